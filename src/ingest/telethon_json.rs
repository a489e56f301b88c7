//! Telethon `to_json()` dumps of `account.getAuthorizations`, `account.getWebAuthorizations` and
//! `account.getPassword` (telegram-formats.md §3.1).
//!
//! Objects carry `"_"` with the class name without its namespace (`"Authorizations"`,
//! `"Authorization"`, `"WebAuthorizations"`, `"WebAuthorization"`, `"Password"`, `"User"`); dates
//! are ISO 8601 texts in UTC (`"2023-11-14T22:13:20+00:00"`, basis `offset`); hashes are JSON
//! numbers that may exceed 2^53; bytes are base64 (never read); true-flags are always written as
//! booleans. A file holds one object or an array of several, combined into one snapshot.
//! `unconfirmed` exists from layer 166; dumps by older Telethon versions leave it unknown.

use super::json::Node;
use super::lib_dump::{Class, DateStyle, Style, first_object, parse_tl_dump};
use super::{IngestError, ParseOptions, Parsed};
use crate::model::snapshot::Method;
use jiff::tz::TimeZone;

const EXPECTED: &str = "a Telethon to_json() dump: an object (or an array of objects) whose \"_\" is \
\"Authorizations\", \"WebAuthorizations\", \"Password\", \"Authorization\" or \"WebAuthorization\"";

/// The top-level classes this format reads.
fn top_class(name: &str) -> Option<Class> {
    Some(match name {
        "Authorizations" => Class::Authorizations,
        "WebAuthorizations" => Class::WebAuthorizations,
        "Password" => Class::Password,
        "Authorization" => Class::Authorization,
        "WebAuthorization" => Class::WebAuthorization,
        _ => return None,
    })
}

/// A Telethon dump: the root (or a root array's first object) has one of the classes above.
pub fn detect(root: &Node) -> bool {
    first_object(root).and_then(|o| o.get("_")).and_then(Node::as_str).and_then(top_class).is_some()
}

fn classify(node: &Node) -> Option<(Class, &Node)> {
    Some((top_class(node.get("_")?.as_str()?)?, node))
}

fn element(node: &Node, class: Class) -> Option<&Node> {
    let name = match class {
        Class::Authorization => "Authorization",
        Class::WebAuthorization => "WebAuthorization",
        Class::User => "User",
        Class::Username => "Username",
        _ => return None,
    };
    (node.get("_")?.as_str()? == name).then_some(node)
}

/// Parses a Telethon dump.
pub fn parse(bytes: &[u8], opts: &ParseOptions, tz: Option<&TimeZone>) -> Result<Parsed, IngestError> {
    let style = Style {
        tool: "Telethon to_json()",
        dates: DateStyle::Iso,
        tz,
        element,
        unconfirmed_since: "it arrived in layer 166, so this dump was made with an older Telethon",
    };
    parse_tl_dump(bytes, opts, &style, Method::TelethonJson, classify, EXPECTED)
}

#[cfg(test)]
mod tests {
    use super::super::lib_dump::tests::{assert_refused, assert_warns, snapshot, warnings};
    use super::*;
    use crate::model::snapshot::TimeBasis;

    const SESSIONS: &[u8] = include_bytes!("../../fixtures/telethon/sessions.json");
    const COMBINED: &[u8] = include_bytes!("../../fixtures/telethon/combined.json");

    #[test]
    fn sessions_keep_every_field() {
        let s = snapshot(parse, SESSIONS);
        assert_eq!(s.method, Method::TelethonJson);
        assert_eq!(s.source.tool.as_ref().map(|t| t.name.as_str()), Some("Telethon to_json()"));
        assert_eq!(s.source.bytes, SESSIONS.len() as u64);
        assert_eq!(s.source.sha256, crate::digest::sha256_hex(SESSIONS));
        assert_eq!(s.account.ttl_days, Some(180));
        assert_eq!(s.account.two_fa, None);
        assert_eq!(s.captured_at, None);
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
        let current = &s.sessions[0];
        assert_eq!((current.current, current.official_app, current.api_id), (Some(true), Some(true), Some(611335)));
        assert_eq!(current.app_version.as_deref(), Some("5.10.7 Snap"));
        assert_eq!(current.locator, "/authorizations/0");
        let created = current.created.as_ref().unwrap();
        assert_eq!(created.utc.as_deref(), Some("2025-11-24T09:00:00Z"));
        assert_eq!(created.original, "2025-11-24T09:00:00+00:00");
        assert_eq!(created.basis, TimeBasis::Offset);

        // Telethon escapes non-ASCII (\u06af…); the names come back exactly.
        assert_eq!(s.sessions[1].device_model.as_deref(), Some("گوشی من"));
        assert_eq!(s.sessions[1].ip.as_deref(), Some("2001:db8:4f2a:1::17"));
        assert_eq!(s.sessions[3].device_model.as_deref(), Some("Ноутбук Алексея"));
        assert_eq!((s.sessions[2].password_pending, s.sessions[2].unconfirmed), (Some(true), Some(false)));
        assert_eq!((s.sessions[3].unconfirmed, s.sessions[3].current), (Some(true), Some(false)));

        let ipad = &s.sessions[4];
        assert_eq!((ipad.encrypted_requests_disabled, ipad.call_requests_disabled), (Some(true), Some(true)));
        assert_eq!((ipad.ip.as_deref(), ipad.country.as_deref(), ipad.region.as_deref()), (None, None, None));
        assert_warns(&s, "/authorizations/4/ip", "empty");
        assert_eq!(warnings(&s).len(), 1, "{:?}", warnings(&s));
    }

    #[test]
    fn combined_dump_fills_one_snapshot() {
        let s = snapshot(parse, COMBINED);
        assert_eq!(s.sessions.len(), 2);
        assert_eq!(s.sessions[1].locator, "/0/authorizations/1");
        assert_eq!(s.account.ttl_days, Some(180));
        let web = &s.web_sessions;
        assert_eq!(web.len(), 2);
        assert_eq!((web[0].hash, web[0].bot_id), (Some(5764607523034234881), Some(6011234567)));
        assert_eq!(web[0].bot_username.as_deref(), Some("exampleshopbot"));
        // The second bot has only a collectible username in `usernames`.
        assert_eq!(web[1].bot_username.as_deref(), Some("forumloginbot"));
        assert_eq!((web[1].hash, web[1].ip.as_deref()), (Some(-77), Some("2001:db8:77::5")));
        assert_eq!(web[0].domain.as_deref(), Some("shop.example.org"));
        assert_eq!(web[0].region.as_deref(), Some("Netherlands"));
        assert_eq!(web[0].locator, "/1/authorizations/0");
        assert_eq!(web[0].last_active.as_ref().and_then(|t| t.utc.as_deref()), Some("2026-11-19T15:01:40Z"));
        let two_fa = s.account.two_fa.as_ref().unwrap();
        assert_eq!((two_fa.has_password, two_fa.has_recovery), (Some(true), Some(true)));
        assert_eq!(two_fa.email_unconfirmed_pattern.as_deref(), Some("r*****@example.net"));
        let reset = two_fa.pending_reset_date.as_ref().unwrap();
        assert_eq!((reset.utc.as_deref(), reset.basis), (Some("2026-11-29T00:26:40Z"), TimeBasis::Offset));
        assert_warns(&s, "/3", "\"ContentSettings\" is not a session list");
        assert_eq!(warnings(&s).len(), 1, "{:?}", warnings(&s));
    }

    #[test]
    fn hashes_survive_exactly_at_the_i64_limits() {
        let text = r#"[{"_": "Authorization", "hash": -9223372036854775808, "device_model": "a"},
                       {"_": "Authorization", "hash": 9223372036854775807, "device_model": "b"},
                       {"_": "Authorization", "hash": 9007199254740993, "device_model": "c"}]"#;
        let s = snapshot(parse, text.as_bytes());
        let hashes: Vec<_> = s.sessions.iter().map(|x| x.hash).collect();
        assert_eq!(hashes, [Some(i64::MIN), Some(i64::MAX), Some(9007199254740993)]);
        // Flags missing from every session: one warning per flag, and null rather than false.
        assert_eq!(s.sessions[0].unconfirmed, None);
        assert_warns(&s, "/0", "unconfirmed is absent from 3 session(s)");
        assert_warns(&s, "/0", "current is absent from 3 session(s)");
        let beyond = r#"{"_": "Authorization", "hash": 9223372036854775808}"#;
        assert_refused(parse, beyond.as_bytes(), "/hash", "signed 64-bit");
        let string = r#"{"_": "Authorization", "hash": "42"}"#;
        assert_refused(parse, string.as_bytes(), "/hash", "Telethon to_json() writes hashes as JSON numbers");
    }

    #[test]
    fn odd_entries_are_skipped_with_a_warning() {
        let text = r#"{"_": "Authorizations", "authorization_ttl_days": 7, "authorizations": [
            5, {"_": "WebAuthorization", "hash": 1},
            {"_": "Authorization", "hash": 1, "api_id": "six", "date_active": 1700000000, "device_model": "", "extra": 1}]}"#;
        let s = snapshot(parse, text.as_bytes());
        assert_eq!(s.sessions.len(), 1);
        assert_eq!(s.account.ttl_days, Some(7));
        assert_warns(&s, "/authorizations/0", "found the number 5; skipped");
        assert_warns(&s, "/authorizations/1", "found \"WebAuthorization\"; skipped");
        assert_warns(&s, "/authorizations/2/api_id", "expected a whole number");
        assert_warns(&s, "/authorizations/2/date_active", "unix seconds where Telethon to_json() writes ISO dates");
        assert_warns(&s, "/authorizations/2/device_model", "empty");
        assert_warns(&s, "/authorizations/2/extra", "unexpected key");
        assert_eq!(s.sessions[0].last_active.as_ref().map(|t| t.basis), Some(TimeBasis::Unix));
    }

    #[test]
    fn fail_inputs_are_refused_naming_the_record() {
        assert_refused(
            parse,
            include_bytes!("../../fixtures/telethon/fail_truncated.json"),
            "line 1, column",
            "truncated file?",
        );
        assert_refused(
            parse,
            include_bytes!("../../fixtures/telethon/fail_wrong_type.json"),
            "/authorizations",
            "expected an array of Authorization objects, found the string",
        );
        assert_refused(
            parse,
            include_bytes!("../../fixtures/telethon/fail_hash_not_integer.json"),
            "/authorizations/1/hash",
            "found the number -4.611686018427388e+18",
        );
        assert_refused(
            parse,
            include_bytes!("../../fixtures/telethon/fail_unknown_class.json"),
            "/",
            "\"ContentSettings\" is not a session list",
        );
        assert_refused(parse, b"[]", "/", "no session list");
        assert_refused(parse, br#"[{"_": "ContentSettings"}]"#, "/", "no session list");
    }

    #[test]
    fn detects_telethon_objects() {
        let root = |t: &str| super::super::json::parse(t.as_bytes()).unwrap().root;
        assert!(detect(&root(r#"{"_": "Password", "has_password": false}"#)));
        assert!(detect(&root(r#"[1, {"_": "WebAuthorizations"}]"#)));
        assert!(!detect(&root(r#"{"_": "types.account.Password"}"#)));
        assert!(!detect(&root(r#"[{"_": "ContentSettings"}, {"_": "Authorizations"}]"#)));
    }
}
