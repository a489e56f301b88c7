//! TDLib JSON-interface objects (`td_json_client`): `getActiveSessions` → `sessions`,
//! `getConnectedWebsites` → `connectedWebsites`, `getPasswordState` → `passwordState`
//! (telegram-formats.md §3.4; `td/generate/scheme/td_api.tl`).
//!
//! Quirks: 64-bit ids are JSON strings (`"id": "-1234567890123456789"`); the flags are inverted
//! or renamed from MTProto (`can_accept_secret_chats` = not `encrypted_requests_disabled`,
//! `can_accept_calls` = not `call_requests_disabled`); dates are unix seconds, `0` meaning unset.
//! Field names changed in September 2023: `ip`/`country`/`region` became `ip_address`/`location`,
//! and `is_unconfirmed` was added, so older dumps leave `unconfirmed` unknown. Both spellings are
//! read. A session's `location` is the country only (TDLib fills it from `authorization.country`
//! and drops the region); a website's `location` (older `region`) is the region. The computed
//! `device_type` (older `type`) and the `@extra` / `@client_id` request tags are not kept.

use super::fields::{child, describe};
use super::json::Node;
use super::lib_dump::{DateStyle, Dump, EMPTY_IP, Int64, class_name, first_object, read_json, shown, top_items};
use super::{IngestError, ParseOptions, Parsed};
use crate::model::snapshot::{Method, Session, TwoFa, WebSession};
use jiff::tz::TimeZone;

const TOOL: &str = "TDLib JSON interface";
const EXPECTED: &str = "a TDLib JSON object (or an array of them) whose \"@type\" is \"sessions\", \"session\", \
\"connectedWebsites\", \"connectedWebsite\" or \"passwordState\"";
const TYPES: &[&str] = &["sessions", "session", "connectedWebsites", "connectedWebsite", "passwordState"];

const SESSION_KEYS: &[&str] = &[
    "@type",
    "id",
    "is_current",
    "is_password_pending",
    "is_unconfirmed",
    "can_accept_secret_chats",
    "can_accept_calls",
    "device_type",
    "type",
    "api_id",
    "application_name",
    "application_version",
    "is_official_application",
    "device_model",
    "platform",
    "system_version",
    "log_in_date",
    "last_active_date",
    "ip_address",
    "location",
    "ip",
    "country",
    "region",
];
const WEBSITE_KEYS: &[&str] = &[
    "@type",
    "id",
    "domain_name",
    "bot_user_id",
    "browser",
    "platform",
    "log_in_date",
    "last_active_date",
    "ip_address",
    "ip",
    "location",
    "region",
];

const UNCONFIRMED_SINCE: &str = "TDLib added is_unconfirmed in September 2023, so this TDLib is older";
const CAN_ACCEPT_SINCE: &str = "older TDLib versions do not report it";
const ALWAYS: &str = "every TDLib version reports it, so the object was edited or cut";

/// A TDLib object: the root (or a root array's first object) has one of the `@type`s above.
pub fn detect(root: &Node) -> bool {
    first_object(root).and_then(|o| o.get("@type")).and_then(Node::as_str).is_some_and(|t| TYPES.contains(&t))
}

/// Parses TDLib JSON.
pub fn parse(bytes: &[u8], opts: &ParseOptions, tz: Option<&TimeZone>) -> Result<Parsed, IngestError> {
    let doc = read_json(bytes, "TDLib JSON object")?;
    let mut d = Dump::new(bytes, &doc.quirks, TOOL);
    for (ptr, item) in top_items(&doc.root) {
        match item.get("@type").and_then(Node::as_str) {
            Some("sessions") => read_list(&mut d, item, &ptr, "sessions", tz)?,
            Some("connectedWebsites") => read_list(&mut d, item, &ptr, "websites", tz)?,
            Some("session") => read_session(&mut d, item, &ptr, tz)?,
            Some("connectedWebsite") => read_website(&mut d, item, &ptr, tz)?,
            Some("passwordState") => read_password_state(&mut d, item, &ptr, tz),
            _ => {
                d.unknown(&ptr, &class_name(item), EXPECTED)?;
                continue;
            }
        }
        d.recognized += 1;
    }
    d.finish(bytes, opts, Method::TdlibJson, EXPECTED)
}

/// `sessions` (with `inactive_session_ttl_days`) or `connectedWebsites`.
fn read_list(d: &mut Dump, obj: &Node, ptr: &str, key: &str, tz: Option<&TimeZone>) -> Result<(), IngestError> {
    let web = key == "websites";
    let item = if web { "connectedWebsite" } else { "session" };
    if !web {
        d.set_ttl(obj, "inactive_session_ttl_days", ptr);
    }
    let list_ptr = child(ptr, key);
    let list = match obj.get(key) {
        Some(n) => n.as_array().ok_or_else(|| {
            IngestError::at(&list_ptr, format!("expected an array of {item} objects, found {}", describe(n)))
        })?,
        None => return Err(IngestError::at(&list_ptr, format!("missing: expected the array of {item} objects"))),
    };
    for (i, el) in list.iter().enumerate() {
        let at = format!("{list_ptr}/{i}");
        match el.get("@type").and_then(Node::as_str) {
            Some("session") if !web => read_session(d, el, &at, tz)?,
            Some("connectedWebsite") if web => read_website(d, el, &at, tz)?,
            _ => d.f.warn(at, format!("expected a {item} object, found {}; skipped", class_name(el))),
        }
    }
    Ok(())
}

/// The current spelling's value, else the pre-September-2023 one.
fn string_either(d: &mut Dump, obj: &Node, keys: [&str; 2], ptr: &str, note: Option<&str>) -> Option<String> {
    let key = if obj.get(keys[0]).is_some() { keys[0] } else { keys[1] };
    d.f.string(obj, key, ptr, note)
}

fn read_session(d: &mut Dump, obj: &Node, ptr: &str, tz: Option<&TimeZone>) -> Result<(), IngestError> {
    d.note_unknown_keys(obj, ptr, SESSION_KEYS);
    let hash = d.hash(obj, "id", ptr, Int64::String)?;
    let f = |d: &mut Dump, key: &str| d.f.string(obj, key, ptr, None);
    let session = Session {
        hash,
        current: d.flag(obj, "is_current", ptr, ALWAYS),
        official_app: d.flag(obj, "is_official_application", ptr, ALWAYS),
        password_pending: d.flag(obj, "is_password_pending", ptr, ALWAYS),
        unconfirmed: d.flag(obj, "is_unconfirmed", ptr, UNCONFIRMED_SINCE),
        encrypted_requests_disabled: d.flag(obj, "can_accept_secret_chats", ptr, CAN_ACCEPT_SINCE).map(|v| !v),
        call_requests_disabled: d.flag(obj, "can_accept_calls", ptr, CAN_ACCEPT_SINCE).map(|v| !v),
        api_id: d.int32(obj, "api_id", ptr),
        app_name: f(d, "application_name"),
        app_version: f(d, "application_version"),
        device_model: d.f.string(obj, "device_model", ptr, Some("device_model is empty")),
        platform: f(d, "platform"),
        system_version: f(d, "system_version"),
        ip: string_either(d, obj, ["ip_address", "ip"], ptr, Some(EMPTY_IP)),
        // TDLib's `location` is the MTProto `country`; older TDLib wrote `country` and `region`.
        country: string_either(d, obj, ["location", "country"], ptr, None),
        region: f(d, "region"),
        created: d.time(obj, "log_in_date", ptr, DateStyle::Unix, tz, false),
        last_active: d.time(obj, "last_active_date", ptr, DateStyle::Unix, tz, false),
        locator: shown(ptr).to_string(),
        as_written: None,
    };
    d.sessions.push(session);
    Ok(())
}

fn read_website(d: &mut Dump, obj: &Node, ptr: &str, tz: Option<&TimeZone>) -> Result<(), IngestError> {
    d.note_unknown_keys(obj, ptr, WEBSITE_KEYS);
    let hash = d.hash(obj, "id", ptr, Int64::String)?;
    let f = |d: &mut Dump, key: &str| d.f.string(obj, key, ptr, None);
    let web = WebSession {
        hash,
        bot_id: d.f.integer(obj, "bot_user_id", ptr),
        // TDLib gives only the bot's user id; its username needs a separate getUser call.
        bot_username: None,
        domain: f(d, "domain_name"),
        browser: f(d, "browser"),
        platform: f(d, "platform"),
        ip: string_either(d, obj, ["ip_address", "ip"], ptr, Some(EMPTY_IP)),
        region: string_either(d, obj, ["location", "region"], ptr, None),
        created: d.time(obj, "log_in_date", ptr, DateStyle::Unix, tz, false),
        last_active: d.time(obj, "last_active_date", ptr, DateStyle::Unix, tz, false),
        locator: shown(ptr).to_string(),
        as_written: None,
    };
    d.web_sessions.push(web);
    Ok(())
}

/// `passwordState`: a non-null `recovery_email_address_code_info` means a recovery e-mail is
/// waiting for its confirmation code (MTProto `email_unconfirmed_pattern`).
fn read_password_state(d: &mut Dump, obj: &Node, ptr: &str, tz: Option<&TimeZone>) {
    let info_ptr = child(ptr, "recovery_email_address_code_info");
    let email_unconfirmed_pattern = match obj.get("recovery_email_address_code_info") {
        None => None,
        Some(n) if n.is_null() => None,
        Some(n) if n.as_object().is_some() => {
            let pattern = d.f.string(n, "email_address_pattern", &info_ptr, None);
            if pattern.is_none() {
                d.f.warn(
                    &info_ptr,
                    "a recovery e-mail is waiting for confirmation, but its pattern is missing; kept as unknown",
                );
            }
            pattern
        }
        Some(n) => {
            d.f.warn(&info_ptr, format!("expected an object or null, found {}; ignored", describe(n)));
            None
        }
    };
    let two_fa = TwoFa {
        has_password: d.f.boolean(obj, "has_password", ptr),
        has_recovery: d.f.boolean(obj, "has_recovery_email_address", ptr),
        email_unconfirmed_pattern,
        // TDLib writes 0 when no reset is pending.
        pending_reset_date: d.time(obj, "pending_reset_date", ptr, DateStyle::Unix, tz, true),
    };
    d.set_two_fa(two_fa, ptr);
}

#[cfg(test)]
mod tests {
    use super::super::lib_dump::tests::{assert_refused, assert_warns, snapshot, warnings};
    use super::*;
    use crate::model::snapshot::TimeBasis;

    const SESSIONS: &[u8] = include_bytes!("../../fixtures/tdlib/sessions.json");
    const COMBINED: &[u8] = include_bytes!("../../fixtures/tdlib/combined.json");
    const LEGACY: &[u8] = include_bytes!("../../fixtures/tdlib/legacy-fields.json");

    #[test]
    fn sessions_map_tdlib_names_back_to_mtproto() {
        let s = snapshot(parse, SESSIONS);
        assert_eq!(s.method, Method::TdlibJson);
        assert_eq!(s.source.tool.as_ref().map(|t| t.name.as_str()), Some("TDLib JSON interface"));
        assert_eq!(s.account.ttl_days, Some(180));
        // TDLib's order: current, password-pending, unconfirmed, then most recently active.
        let hashes: Vec<_> = s.sessions.iter().map(|x| x.hash).collect();
        assert_eq!(
            hashes,
            [
                Some(7243318865512094211),
                Some(1357924680135792468),
                Some(-9001234567890123456),
                Some(-4611686018427387905),
                Some(42)
            ]
        );
        let current = &s.sessions[0];
        assert_eq!((current.current, current.official_app, current.api_id), (Some(true), Some(true), Some(611335)));
        assert_eq!(
            (current.app_name.as_deref(), current.app_version.as_deref()),
            (Some("Telegram Desktop"), Some("5.10.7 Snap"))
        );
        // `location` is the country; TDLib drops the region.
        assert_eq!((current.country.as_deref(), current.region.as_deref()), (Some("Germany"), None));
        assert_eq!((current.encrypted_requests_disabled, current.call_requests_disabled), (Some(false), Some(false)));
        let created = current.created.as_ref().unwrap();
        assert_eq!((created.utc.as_deref(), created.basis), (Some("2025-11-24T09:00:00Z"), TimeBasis::Unix));
        assert_eq!(current.locator, "/sessions/0");
        assert_eq!(s.sessions[1].password_pending, Some(true));
        assert_eq!(
            (s.sessions[2].unconfirmed, s.sessions[2].device_model.as_deref()),
            (Some(true), Some("Ноутбук Алексея"))
        );
        assert_eq!(s.sessions[3].device_model.as_deref(), Some("گوشی من"));
        assert_eq!(s.sessions[3].ip.as_deref(), Some("2001:db8:4f2a:1::17"));
        let ipad = &s.sessions[4];
        // can_accept_secret_chats / can_accept_calls false = the MTProto "disabled" flags set.
        assert_eq!((ipad.encrypted_requests_disabled, ipad.call_requests_disabled), (Some(true), Some(true)));
        assert_eq!((ipad.ip.as_ref(), ipad.country.as_ref()), (None, None));
        assert_warns(&s, "/sessions/4/ip_address", "empty");
        assert_eq!(warnings(&s).len(), 1, "{:?}", warnings(&s));
    }

    #[test]
    fn combined_objects_fill_one_snapshot() {
        let s = snapshot(parse, COMBINED);
        assert_eq!(s.sessions.len(), 2);
        assert_eq!(s.sessions[1].locator, "/0/sessions/1");
        let web = &s.web_sessions;
        assert_eq!(web.len(), 2);
        assert_eq!((web[0].hash, web[0].bot_id), (Some(5764607523034234881), Some(6011234567)));
        assert_eq!(web[0].bot_username, None, "TDLib gives only the bot's user id");
        assert_eq!(
            (web[0].domain.as_deref(), web[0].region.as_deref()),
            (Some("shop.example.org"), Some("Netherlands"))
        );
        assert_eq!((web[1].hash, web[1].ip.as_deref()), (Some(-77), Some("2001:db8:77::5")));
        assert_eq!(web[1].locator, "/1/websites/1");
        let two_fa = s.account.two_fa.as_ref().unwrap();
        assert_eq!((two_fa.has_password, two_fa.has_recovery), (Some(true), Some(true)));
        assert_eq!(two_fa.email_unconfirmed_pattern.as_deref(), Some("r*****@example.net"));
        assert_eq!(two_fa.pending_reset_date.as_ref().and_then(|t| t.utc.as_deref()), Some("2026-11-29T00:26:40Z"));
        assert_warns(&s, "/3", "\"accountTtl\" is not a session list");
        assert_eq!(warnings(&s).len(), 1, "{:?}", warnings(&s));
    }

    #[test]
    fn legacy_field_names_are_read() {
        let s = snapshot(parse, LEGACY);
        assert_eq!(s.account.ttl_days, Some(365));
        assert_eq!(s.sessions.len(), 3);
        let first = &s.sessions[0];
        assert_eq!(first.ip.as_deref(), Some("203.0.113.45"));
        assert_eq!((first.country.as_deref(), first.region.as_deref()), (Some("Germany"), Some("Berlin")));
        assert!(s.sessions.iter().all(|x| x.unconfirmed.is_none()));
        assert_warns(&s, "/0/sessions/0", "is_unconfirmed is absent from 3 session(s)");
        assert_eq!(s.web_sessions[0].ip.as_deref(), Some("198.51.100.40"));
        assert_eq!(s.web_sessions[0].region.as_deref(), Some("Netherlands"));
        assert_eq!(warnings(&s).len(), 1, "{:?}", warnings(&s));
    }

    #[test]
    fn int64_ids_as_strings_survive_exactly() {
        let text = r#"[{"@type": "session", "id": "-9223372036854775808"},
                       {"@type": "session", "id": "9223372036854775807"},
                       {"@type": "session", "id": 12},
                       {"@type": "passwordState", "has_password": false, "recovery_email_address_code_info": null,
                        "pending_reset_date": 0}]"#;
        let s = snapshot(parse, text.as_bytes());
        let ids: Vec<_> = s.sessions.iter().map(|x| x.hash).collect();
        assert_eq!(ids, [Some(i64::MIN), Some(i64::MAX), Some(12)]);
        assert_eq!(s.sessions[0].locator, "/0");
        assert_warns(&s, "/2/id", "TDLib writes 64-bit ids as strings");
        let two_fa = s.account.two_fa.as_ref().unwrap();
        assert_eq!((two_fa.email_unconfirmed_pattern.as_ref(), two_fa.pending_reset_date.as_ref()), (None, None));
        for bad in [r#"{"@type": "session", "id": "9223372036854775808"}"#, r#"{"@type": "session", "id": "+5"}"#] {
            assert_refused(parse, bad.as_bytes(), "/id", "signed 64-bit");
        }
    }

    #[test]
    fn fail_inputs_are_refused_naming_the_record() {
        assert_refused(
            parse,
            include_bytes!("../../fixtures/tdlib/fail_truncated.json"),
            "line 1, column",
            "truncated file?",
        );
        assert_refused(
            parse,
            include_bytes!("../../fixtures/tdlib/fail_wrong_type.json"),
            "/sessions",
            "expected an array of session objects, found the string",
        );
        assert_refused(
            parse,
            include_bytes!("../../fixtures/tdlib/fail_hash_not_integer.json"),
            "/sessions/3/id",
            "found the string \"-4.611686018427388e+18\"",
        );
        assert_refused(parse, include_bytes!("../../fixtures/tdlib/fail_unknown_class.json"), "/", "\"accountTtl\"");
    }

    #[test]
    fn detects_tdlib_types() {
        let root = |t: &str| super::super::json::parse(t.as_bytes()).unwrap().root;
        assert!(detect(&root(r#"{"@type": "passwordState"}"#)));
        assert!(detect(&root(r#"[{"@type": "connectedWebsites", "websites": []}]"#)));
        assert!(!detect(&root(r#"{"@type": "accountTtl"}"#)));
        assert!(!detect(&root(r#"{"_": "sessions"}"#)));
    }
}
