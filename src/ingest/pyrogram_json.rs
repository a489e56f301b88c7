//! Pyrogram raw-object dumps: `str()` of the result of `account.GetAuthorizations`,
//! `account.GetWebAuthorizations` or `account.GetPassword` (telegram-formats.md §3.2).
//!
//! `str(obj)` is `json.dumps(indent=4, ensure_ascii=False)` with `"_"` holding the qualified name
//! (`"types.account.Authorizations"`, `"types.Authorization"`, `"types.account.WebAuthorizations"`,
//! `"types.WebAuthorization"`, `"types.account.Password"`, `"types.User"`). Dates are unix seconds
//! (basis `unix`); bytes are Python `repr` strings (`"b'\\xff'"`, never read); attributes that are
//! `None` are left out, so an absent optional field is unknown. Pyrogram 2.0.106 is layer 158: its
//! `Authorization` has no `unconfirmed` (layer 166), which stays unknown with one warning per file.

use super::json::Node;
use super::lib_dump::{Class, DateStyle, Style, first_object, parse_tl_dump};
use super::{IngestError, ParseOptions, Parsed};
use crate::model::snapshot::Method;
use jiff::tz::TimeZone;

const EXPECTED: &str = "a Pyrogram raw-object dump: an object (or an array of objects) whose \"_\" is \
\"types.account.Authorizations\", \"types.account.WebAuthorizations\", \"types.account.Password\", \
\"types.Authorization\" or \"types.WebAuthorization\"";

fn top_class(name: &str) -> Option<Class> {
    Some(match name {
        "types.account.Authorizations" => Class::Authorizations,
        "types.account.WebAuthorizations" => Class::WebAuthorizations,
        "types.account.Password" => Class::Password,
        "types.Authorization" => Class::Authorization,
        "types.WebAuthorization" => Class::WebAuthorization,
        _ => return None,
    })
}

/// A Pyrogram raw dump: the root (or a root array's first object) has a `"_"` starting `types.`.
pub fn detect(root: &Node) -> bool {
    first_object(root).and_then(|o| o.get("_")).and_then(Node::as_str).is_some_and(|c| c.starts_with("types."))
}

fn classify(node: &Node) -> Option<(Class, &Node)> {
    Some((top_class(node.get("_")?.as_str()?)?, node))
}

fn element(node: &Node, class: Class) -> Option<&Node> {
    let name = match class {
        Class::Authorization => "types.Authorization",
        Class::WebAuthorization => "types.WebAuthorization",
        Class::User => "types.User",
        Class::Username => "types.Username",
        _ => return None,
    };
    (node.get("_")?.as_str()? == name).then_some(node)
}

/// Parses a Pyrogram raw dump.
pub fn parse(bytes: &[u8], opts: &ParseOptions, tz: Option<&TimeZone>) -> Result<Parsed, IngestError> {
    let style = Style {
        tool: "Pyrogram raw str()",
        dates: DateStyle::Unix,
        tz,
        element,
        unconfirmed_since: "Pyrogram 2.0.106 uses schema layer 158 and the flag arrived in layer 166, \
                            so this Pyrogram does not carry it",
    };
    parse_tl_dump(bytes, opts, &style, Method::PyrogramJson, classify, EXPECTED)
}

#[cfg(test)]
mod tests {
    use super::super::lib_dump::tests::{assert_refused, assert_warns, snapshot, warnings};
    use super::*;
    use crate::model::snapshot::TimeBasis;

    const SESSIONS: &[u8] = include_bytes!("../../fixtures/pyrogram/sessions.json");
    const COMBINED: &[u8] = include_bytes!("../../fixtures/pyrogram/combined.json");

    #[test]
    fn sessions_keep_every_field_and_unconfirmed_stays_unknown() {
        let s = snapshot(parse, SESSIONS);
        assert_eq!(s.method, Method::PyrogramJson);
        assert_eq!(s.source.tool.as_ref().map(|t| t.name.as_str()), Some("Pyrogram raw str()"));
        assert_eq!(s.account.ttl_days, Some(180));
        assert_eq!(s.sessions.len(), 5);
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
        // Layer 158 has no `unconfirmed`: null for every session, never false.
        assert!(s.sessions.iter().all(|x| x.unconfirmed.is_none()));
        let w = warnings(&s);
        let notes: Vec<_> = w.iter().filter(|(_, m)| m.contains("unconfirmed")).collect();
        assert_eq!(notes.len(), 1, "{w:?}");
        assert_eq!(notes[0].0, "/authorizations/0");
        assert!(notes[0].1.contains("layer 158") && notes[0].1.contains("5 session(s)"), "{w:?}");

        let current = &s.sessions[0];
        assert_eq!((current.current, current.api_id), (Some(true), Some(611335)));
        assert_eq!(current.app_version.as_deref(), Some("5.10.7 Snap"));
        let created = current.created.as_ref().unwrap();
        assert_eq!(
            (created.utc.as_deref(), created.original.as_str(), created.basis),
            (Some("2025-11-24T09:00:00Z"), "1763974800", TimeBasis::Unix)
        );
        assert_eq!(s.sessions[1].device_model.as_deref(), Some("گوشی من"));
        assert_eq!(s.sessions[1].ip.as_deref(), Some("2001:db8:4f2a:1::17"));
        assert_eq!(s.sessions[3].device_model.as_deref(), Some("Ноутбук Алексея"));
        assert_eq!(s.sessions[2].password_pending, Some(true));
        assert_eq!(s.sessions[4].ip, None);
        assert_eq!(s.sessions[4].call_requests_disabled, Some(true));
        assert_warns(&s, "/authorizations/4/ip", "empty");
        assert_eq!(w.len(), 2, "{w:?}");
    }

    #[test]
    fn combined_dump_fills_one_snapshot() {
        let s = snapshot(parse, COMBINED);
        assert_eq!(s.sessions.len(), 2);
        assert_eq!(s.sessions[0].locator, "/0/authorizations/0");
        let names: Vec<_> = s.web_sessions.iter().map(|w| w.bot_username.as_deref()).collect();
        assert_eq!(names, [Some("exampleshopbot"), Some("forumloginbot")]);
        assert_eq!(s.web_sessions[0].hash, Some(5764607523034234881));
        assert_eq!(s.web_sessions[1].created.as_ref().map(|t| t.original.as_str()), Some("1794000000"));
        // Bytes are Python repr strings (`"b'\\x9e…'"`); the 2FA facts are read around them.
        let two_fa = s.account.two_fa.as_ref().unwrap();
        assert_eq!((two_fa.has_password, two_fa.has_recovery), (Some(true), Some(true)));
        assert_eq!(two_fa.email_unconfirmed_pattern.as_deref(), Some("r*****@example.net"));
        assert_eq!(two_fa.pending_reset_date.as_ref().and_then(|t| t.utc.as_deref()), Some("2026-11-29T00:26:40Z"));
        assert_warns(&s, "/3", "\"types.account.ContentSettings\" is not a session list");
        assert_warns(&s, "/0/authorizations/0", "unconfirmed is absent from 2 session(s)");
        assert_eq!(warnings(&s).len(), 2, "{:?}", warnings(&s));
    }

    #[test]
    fn absent_optional_attributes_are_unknown() {
        // Pyrogram leaves out attributes that are None: no pattern, no reset date.
        let text = r#"[{"_": "types.account.Password", "has_recovery": false, "has_secure_values": false,
                        "has_password": false, "secure_random": "b'\\x01'"},
                       {"_": "types.account.WebAuthorizations", "authorizations": [
                          {"_": "types.WebAuthorization", "hash": 9, "bot_id": 77, "domain": "a.example"},
                          {"_": "types.WebAuthorization", "hash": 10, "bot_id": 78, "domain": "b.example"}],
                        "users": [{"_": "types.User", "id": 77, "bot": false, "username": "someone"}]},
                       {"_": "types.account.Password", "has_password": true}]"#;
        let s = snapshot(parse, text.as_bytes());
        let two_fa = s.account.two_fa.as_ref().unwrap();
        assert_eq!(two_fa.has_password, Some(false));
        assert_eq!((two_fa.email_unconfirmed_pattern.as_ref(), two_fa.pending_reset_date.as_ref()), (None, None));
        assert_eq!(s.web_sessions[0].bot_username, None);
        assert_warns(&s, "/1/authorizations/0/bot_id", "not a bot");
        assert_warns(&s, "/1/authorizations/1/bot_id", "not among the users");
        assert_warns(&s, "/2", "a second 2FA state; the first, at /0, is kept");
        assert_eq!(s.sessions.len(), 0);
    }

    #[test]
    fn fail_inputs_are_refused_naming_the_record() {
        assert_refused(
            parse,
            include_bytes!("../../fixtures/pyrogram/fail_truncated.json"),
            "line ",
            "truncated file?",
        );
        assert_refused(
            parse,
            include_bytes!("../../fixtures/pyrogram/fail_wrong_type.json"),
            "/authorizations",
            "expected an array of Authorization objects",
        );
        assert_refused(
            parse,
            include_bytes!("../../fixtures/pyrogram/fail_hash_not_integer.json"),
            "/authorizations/0/hash",
            "found the number 7.243318865512095e+18",
        );
        assert_refused(
            parse,
            include_bytes!("../../fixtures/pyrogram/fail_unknown_class.json"),
            "/",
            "not a session list",
        );
    }

    #[test]
    fn detects_types_prefix() {
        let root = |t: &str| super::super::json::parse(t.as_bytes()).unwrap().root;
        assert!(detect(&root(r#"{"_": "types.account.Authorizations"}"#)));
        assert!(detect(&root(r#"[{"_": "types.Authorization"}]"#)));
        assert!(!detect(&root(r#"{"_": "Authorizations"}"#)));
        assert!(!detect(&root(r#"{"@type": "sessions"}"#)));
    }
}
