//! grammers (`grammers-tl-types` with `impl-serde`) dumps serialized with serde_json
//! (telegram-formats.md §3.3).
//!
//! Enums are externally tagged and keep the Rust variant names: `{"Authorizations": {…}}` is
//! `account::Authorizations`, but `account::WebAuthorizations` is tagged `"Authorizations"` too,
//! and both `Authorization` and `WebAuthorization` are tagged `"Authorization"`; the two are told
//! apart by their fields (`users`, `domain`, `bot_id` only on the web ones). `account::Password`
//! appears as its bare struct (`{"has_recovery": …, "has_password": …, "srp_b": …}`, no tag), or
//! tagged `{"Password": {…}}`. Dates are unix seconds, hashes exact JSON numbers, bytes arrays of
//! numbers (never read); users are `{"User": {…}}`.

use super::json::Node;
use super::lib_dump::{Class, DateStyle, Style, first_object, parse_tl_dump, single_member};
use super::{IngestError, ParseOptions, Parsed};
use crate::model::snapshot::Method;
use jiff::tz::TimeZone;

const EXPECTED: &str = "a grammers serde JSON dump: {\"Authorizations\": {…}}, {\"Authorization\": {…}}, an \
account::Password object ({\"has_password\": …, \"srp_b\": …}), or an array of them";

/// A grammers dump: a single-key `Authorizations` / `Authorization` / `Password` object, or an
/// untagged password struct (`has_password` with `srp_b` or `secure_random`, no `"_"`).
pub fn detect(root: &Node) -> bool {
    first_object(root).is_some_and(|o| classify(o).is_some())
}

fn is_bare_password(node: &Node) -> bool {
    node.get("has_password").is_some()
        && (node.get("srp_b").is_some() || node.get("secure_random").is_some())
        && node.get("_").is_none()
        && node.get("@type").is_none()
}

/// Web authorizations carry `domain` / `bot_id`; app ones never do.
fn is_web_authorization(inner: &Node) -> bool {
    inner.get("domain").is_some() || inner.get("bot_id").is_some()
}

fn classify(node: &Node) -> Option<(Class, &Node)> {
    if let Some(inner) = single_member(node, "Authorizations") {
        let first = inner
            .get("authorizations")
            .and_then(Node::as_array)
            .and_then(|l| l.first())
            .and_then(|e| single_member(e, "Authorization"));
        let web = inner.get("users").is_some()
            || (inner.get("authorization_ttl_days").is_none() && first.is_some_and(is_web_authorization));
        return Some((if web { Class::WebAuthorizations } else { Class::Authorizations }, inner));
    }
    if let Some(inner) = single_member(node, "Authorization") {
        let class = if is_web_authorization(inner) { Class::WebAuthorization } else { Class::Authorization };
        return Some((class, inner));
    }
    if let Some(inner) = single_member(node, "Password").filter(|p| p.get("has_password").is_some()) {
        return Some((Class::Password, inner));
    }
    is_bare_password(node).then_some((Class::Password, node))
}

fn element(node: &Node, class: Class) -> Option<&Node> {
    match class {
        Class::Authorization | Class::WebAuthorization => single_member(node, "Authorization"),
        Class::User => single_member(node, "User"),
        Class::Username => single_member(node, "Username"),
        _ => None,
    }
}

/// Parses a grammers serde JSON dump.
pub fn parse(bytes: &[u8], opts: &ParseOptions, tz: Option<&TimeZone>) -> Result<Parsed, IngestError> {
    let style = Style {
        tool: "grammers-tl-types serde JSON",
        dates: DateStyle::Unix,
        tz,
        element,
        unconfirmed_since: "it arrived in layer 166, so this dump was made with an older grammers",
    };
    parse_tl_dump(bytes, opts, &style, Method::GrammersJson, classify, EXPECTED)
}

#[cfg(test)]
mod tests {
    use super::super::lib_dump::tests::{assert_refused, assert_warns, snapshot, warnings};
    use super::*;
    use crate::model::snapshot::TimeBasis;

    const SESSIONS: &[u8] = include_bytes!("../../fixtures/grammers/sessions.json");
    const COMBINED: &[u8] = include_bytes!("../../fixtures/grammers/combined.json");
    const SINGLE: &[u8] = include_bytes!("../../fixtures/grammers/single.json");

    #[test]
    fn sessions_keep_every_field() {
        let s = snapshot(parse, SESSIONS);
        assert_eq!(s.method, Method::GrammersJson);
        assert_eq!(s.account.ttl_days, Some(180));
        let hashes: Vec<_> = s.sessions.iter().map(|x| x.hash).collect();
        assert_eq!(
            hashes,
            [
                Some(7243318865512094211),
                Some(-4611686018427387905),
                Some(1357924680135792468),
                Some(-9001234567890123456),
                Some(42)
            ]
        );
        assert_eq!(s.sessions[0].current, Some(true));
        assert_eq!(s.sessions[0].app_version.as_deref(), Some("5.10.7 Snap"));
        assert_eq!(s.sessions[0].locator, "/authorizations/0");
        assert_eq!(s.sessions[1].device_model.as_deref(), Some("گوشی من"));
        assert_eq!(s.sessions[1].ip.as_deref(), Some("2001:db8:4f2a:1::17"));
        assert_eq!(s.sessions[2].password_pending, Some(true));
        assert_eq!(s.sessions[3].unconfirmed, Some(true));
        assert_eq!(s.sessions[3].device_model.as_deref(), Some("Ноутбук Алексея"));
        assert_eq!(s.sessions[4].encrypted_requests_disabled, Some(true));
        assert_eq!(s.sessions[4].ip, None);
        let active = s.sessions[0].last_active.as_ref().unwrap();
        assert_eq!((active.utc.as_deref(), active.basis), (Some("2026-11-24T17:45:00Z"), TimeBasis::Unix));
        assert_warns(&s, "/authorizations/4/ip", "empty");
        assert_eq!(warnings(&s).len(), 1, "{:?}", warnings(&s));
    }

    #[test]
    fn web_and_app_lists_share_a_tag_but_not_their_fields() {
        let s = snapshot(parse, COMBINED);
        assert_eq!(s.sessions.len(), 2);
        assert_eq!(s.web_sessions.len(), 2);
        let names: Vec<_> = s.web_sessions.iter().map(|w| w.bot_username.as_deref()).collect();
        assert_eq!(names, [Some("exampleshopbot"), Some("forumloginbot")]);
        assert_eq!(s.web_sessions[0].locator, "/1/authorizations/0");
        assert_eq!(s.web_sessions[1].hash, Some(-77));
        // The bare account::Password struct (srp_b and secure_random are number arrays).
        let two_fa = s.account.two_fa.as_ref().unwrap();
        assert_eq!((two_fa.has_password, two_fa.has_recovery), (Some(true), Some(true)));
        assert_eq!(two_fa.email_unconfirmed_pattern.as_deref(), Some("r*****@example.net"));
        assert_eq!(two_fa.pending_reset_date.as_ref().map(|t| t.original.as_str()), Some("1795912000"));
        assert_warns(&s, "/3", "{\"ContentSettings\": …} is not a session list");
        assert_eq!(warnings(&s).len(), 1, "{:?}", warnings(&s));

        let single = snapshot(parse, SINGLE);
        assert_eq!(single.sessions.len(), 1);
        assert_eq!(single.sessions[0].locator, "/0");
        assert_eq!(single.web_sessions.len(), 1);
        assert_eq!(
            (single.web_sessions[0].hash, single.web_sessions[0].bot_username.as_ref()),
            (Some(5764607523034234881), None)
        );
    }

    #[test]
    fn tagged_password_and_empty_lists() {
        let text = r#"[{"Password": {"has_recovery": false, "has_password": false, "pending_reset_date": null,
                                     "email_unconfirmed_pattern": null, "secure_random": [1]}},
                       {"Authorizations": {"authorizations": [], "users": []}},
                       {"Authorizations": {"authorization_ttl_days": 30, "authorizations": []}}]"#;
        let s = snapshot(parse, text.as_bytes());
        let two_fa = s.account.two_fa.as_ref().unwrap();
        assert_eq!((two_fa.has_password, two_fa.pending_reset_date.as_ref()), (Some(false), None));
        assert_eq!(s.account.ttl_days, Some(30));
        assert!(s.sessions.is_empty() && s.web_sessions.is_empty());
        assert_eq!(warnings(&s), vec![]);
    }

    #[test]
    fn fail_inputs_are_refused_naming_the_record() {
        assert_refused(
            parse,
            include_bytes!("../../fixtures/grammers/fail_truncated.json"),
            "line 1, column",
            "truncated file?",
        );
        assert_refused(
            parse,
            include_bytes!("../../fixtures/grammers/fail_wrong_type.json"),
            "/authorizations",
            "found the string \"none\"",
        );
        assert_refused(
            parse,
            include_bytes!("../../fixtures/grammers/fail_hash_not_integer.json"),
            "/authorizations/2/hash",
            "found the number 1.3579246801357926e18",
        );
        assert_refused(
            parse,
            include_bytes!("../../fixtures/grammers/fail_unknown_class.json"),
            "/",
            "not a session list",
        );
    }

    #[test]
    fn detects_tagged_objects_and_the_bare_password() {
        let root = |t: &str| super::super::json::parse(t.as_bytes()).unwrap().root;
        assert!(detect(&root(r#"{"Authorization": {"hash": 1}}"#)));
        assert!(detect(&root(r#"{"has_password": true, "srp_b": [1]}"#)));
        assert!(detect(&root(r#"{"secure_random": [], "has_password": false}"#)));
        assert!(!detect(&root(r#"{"has_password": true, "srp_B": "AQ==", "_": "Password"}"#)));
        assert!(!detect(&root(r#"{"Authorizations": {}, "about": "x"}"#)));
        assert!(!detect(&root(r#"{"Authorizations": []}"#)));
        assert!(!detect(&root(r#"{"has_password": true}"#)));
    }
}
