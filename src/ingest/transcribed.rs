//! `sessionproof/transcribed/v1`: sessions typed from screenshots the account owner sent.
//!
//! The lowest-fidelity source: every field is analyst-entered, relative times ("yesterday at
//! 21:14") are resolved against each screenshot's capture time and keep their original text, and
//! the screenshots themselves are preserved as exhibits. See `docs/transcribed.md`.

use super::fields::{Fields, child, describe};
use super::json::{self, Node};
use super::relative_time;
use super::{IngestError, ParseOptions, Parsed};
use crate::model::snapshot::{
    Account, Method, SNAPSHOT_SCHEMA, Session, Snapshot, Source, Time, TimeBasis, Tool, WebSession,
};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};
use std::collections::BTreeMap;

/// The format identifier.
pub const FORMAT: &str = "sessionproof/transcribed/v1";

const TOP_KEYS: &[&str] = &[
    "format",
    "transcriber",
    "transcribed_at",
    "device_time_zone",
    "language",
    "screenshots",
    "account",
    "sessions",
    "web_sessions",
];
const SHOT_KEYS: &[&str] = &["id", "file", "captured_at", "shows"];
const SESSION_KEYS: &[&str] = &[
    "screenshot",
    "device",
    "app",
    "platform",
    "system_version",
    "location",
    "ip",
    "last_active",
    "created",
    "current",
    "note",
];
const WEB_KEYS: &[&str] =
    &["screenshot", "domain", "bot_username", "browser", "platform", "location", "ip", "last_active", "created"];

/// Parses a transcription. Errors name the JSON pointer; the transcriber fixes and re-imports.
pub fn parse(bytes: &[u8], opts: &ParseOptions) -> Result<Parsed, IngestError> {
    let doc = json::parse(bytes).map_err(|e| {
        IngestError::at(format!("line {}, column {}", e.line, e.column), format!("not valid JSON: {}", e.message))
    })?;
    // Typed by a person, so read strictly: what the tolerant reader forgives is refused here.
    if let Some(q) = doc.quirks.iter().find(|q| q.kind != json::QuirkKind::ByteOrderMark) {
        let (line, column) = json::line_column(bytes, q.offset);
        let message = match &q.kind {
            json::QuirkKind::InvalidUtf8 => "not UTF-8 text; save the transcription as UTF-8".to_string(),
            json::QuirkKind::XEscape(b) => format!("\\x{b:02X} is not a JSON escape; write \\u00{b:02X}"),
            json::QuirkKind::DuplicateKey(k) => format!("key {k:?} appears twice in one object; keep one"),
            json::QuirkKind::RawControlChar(b) => {
                format!("control byte 0x{b:02X} inside a string; remove it, or write it as \\u00{b:02X}")
            }
            json::QuirkKind::ByteOrderMark => String::new(),
        };
        return Err(IngestError::at(format!("line {line}, column {column}"), message));
    }
    let root = &doc.root;
    if root.as_object().is_none() {
        return Err(IngestError::at(
            "/",
            "expected a transcription object; start from `sessionproof template transcribed`",
        ));
    }
    match root.get("format").and_then(Node::as_str) {
        Some(FORMAT) => {}
        Some(other) => {
            return Err(IngestError::at(
                "/format",
                format!("{other:?} is not a format this version reads; expected {FORMAT:?}"),
            ));
        }
        None => return Err(IngestError::at("/format", format!("missing; expected \"format\": {FORMAT:?}"))),
    }
    check_keys(root, "", TOP_KEYS)?;
    let transcriber = required_str(root, "transcriber", "")?;
    let transcribed_at = required_str(root, "transcribed_at", "")?;
    let transcribed_ts: Timestamp = transcribed_at.parse().map_err(|_| {
        IngestError::at(
            "/transcribed_at",
            format!("{transcribed_at:?} is not an RFC 3339 time with a zone, e.g. \"2026-11-26T10:15:00Z\""),
        )
    })?;
    let device_tz_name = optional_str(root, "device_time_zone", "")?;
    let device_tz = match &device_tz_name {
        Some(name) => Some(TimeZone::get(name).map_err(|_| {
            IngestError::at(
                "/device_time_zone",
                format!("{name:?} is not an IANA time zone; use a name such as \"Europe/Berlin\""),
            )
        })?),
        None => None,
    };

    // Screenshots: id → capture moment in the phone's zone.
    let shots_node = root
        .get("screenshots")
        .ok_or_else(|| IngestError::at("/screenshots", "missing; list at least one screenshot"))?;
    let shots = shots_node
        .as_array()
        .ok_or_else(|| IngestError::at("/screenshots", format!("expected an array, found {}", describe(shots_node))))?;
    if shots.is_empty() {
        return Err(IngestError::at("/screenshots", "empty; list the screenshot files the sessions were read from"));
    }
    let mut captured: BTreeMap<String, ZonedDateTime> = BTreeMap::new();
    let mut exhibits = Vec::new();
    let mut latest: Option<(Timestamp, String)> = None;
    for (i, shot) in shots.iter().enumerate() {
        let ptr = format!("/screenshots/{i}");
        if shot.as_object().is_none() {
            return Err(IngestError::at(&ptr, format!("expected a screenshot object, found {}", describe(shot))));
        }
        check_keys(shot, &ptr, SHOT_KEYS)?;
        let id = required_str(shot, "id", &ptr)?;
        let file = required_str(shot, "file", &ptr)?;
        check_relative_path(&file).map_err(|m| IngestError::at(child(&ptr, "file"), m))?;
        let at_text = required_str(shot, "captured_at", &ptr)?;
        let ts: Timestamp = at_text.parse().map_err(|_| {
            IngestError::at(
                child(&ptr, "captured_at"),
                format!("{at_text:?} is not an RFC 3339 time with a zone, e.g. \"2026-11-26T09:41:00+01:00\""),
            )
        })?;
        let zone = match &device_tz {
            Some(tz) => ts.to_zoned_datetime(tz.clone()),
            None => {
                let offset_zone = jiff::fmt::temporal::Pieces::parse(at_text.as_str())
                    .ok()
                    .and_then(|p| p.offset())
                    .map(|o| match o {
                        jiff::fmt::temporal::PiecesOffset::Numeric(n) => n.offset(),
                        _ => jiff::tz::Offset::UTC,
                    });
                ts.to_zoned_datetime(TimeZone::fixed(offset_zone.unwrap_or(jiff::tz::Offset::UTC)))
            }
        };
        if ts > transcribed_ts {
            return Err(IngestError::at(
                child(&ptr, "captured_at"),
                format!(
                    "{at_text} is after transcribed_at ({transcribed_at}): a screenshot cannot be transcribed before it was taken"
                ),
            ));
        }
        if captured.insert(id.clone(), zone).is_some() {
            return Err(IngestError::at(
                child(&ptr, "id"),
                format!("screenshot id {id:?} is used twice; give each screenshot its own id"),
            ));
        }
        if latest.as_ref().is_none_or(|(t, _)| ts > *t) {
            latest = Some((ts, at_text.clone()));
        }
        exhibits.push(file);
    }

    let mut f = Fields::default();
    f.warn(
        "/",
        format!(
            "analyst-entered: every field was typed by {transcriber} from screenshots ({transcribed_at}); lowest fidelity, check against the exhibits"
        ),
    );
    if device_tz.is_none() {
        f.warn(
            "/device_time_zone",
            "not given: relative times were read in the UTC offset of each screenshot's captured_at",
        );
    }

    let sessions_node = root
        .get("sessions")
        .ok_or_else(|| IngestError::at("/sessions", "missing; use [] if the screenshots show no session"))?;
    let list = sessions_node
        .as_array()
        .ok_or_else(|| IngestError::at("/sessions", format!("expected an array, found {}", describe(sessions_node))))?;
    let mut sessions = Vec::new();
    for (i, s) in list.iter().enumerate() {
        let ptr = format!("/sessions/{i}");
        if s.as_object().is_none() {
            return Err(IngestError::at(&ptr, format!("expected a session object, found {}", describe(s))));
        }
        check_keys(s, &ptr, SESSION_KEYS)?;
        let shot = screenshot_of(s, &ptr, &captured)?;
        let device = required_str(s, "device", &ptr)?;
        let app = required_str(s, "app", &ptr)?;
        let (app_name, app_version) = split_app(&app);
        let (region, country) = split_location(optional_str(s, "location", &ptr)?);
        sessions.push(Session {
            current: optional_bool(s, "current", &ptr)?,
            app_name,
            app_version,
            device_model: Some(device),
            platform: optional_str(s, "platform", &ptr)?,
            system_version: optional_str(s, "system_version", &ptr)?,
            ip: optional_str(s, "ip", &ptr)?,
            country,
            region,
            created: optional_time(s, "created", &ptr, shot)?,
            last_active: Some(required_time(s, "last_active", &ptr, shot)?),
            ..Session::unknown(ptr)
        });
    }

    let mut web_sessions = Vec::new();
    if let Some(web) = root.get("web_sessions").filter(|w| !w.is_null()) {
        let list = web
            .as_array()
            .ok_or_else(|| IngestError::at("/web_sessions", format!("expected an array, found {}", describe(web))))?;
        for (i, w) in list.iter().enumerate() {
            let ptr = format!("/web_sessions/{i}");
            if w.as_object().is_none() {
                return Err(IngestError::at(&ptr, format!("expected a web session object, found {}", describe(w))));
            }
            check_keys(w, &ptr, WEB_KEYS)?;
            let shot = screenshot_of(w, &ptr, &captured)?;
            let (region, country) = split_location(optional_str(w, "location", &ptr)?);
            web_sessions.push(WebSession {
                hash: None,
                bot_id: None,
                bot_username: optional_str(w, "bot_username", &ptr)?.map(|u| u.trim_start_matches('@').to_string()),
                domain: Some(required_str(w, "domain", &ptr)?),
                browser: optional_str(w, "browser", &ptr)?,
                platform: optional_str(w, "platform", &ptr)?,
                ip: optional_str(w, "ip", &ptr)?,
                region: match (region, country) {
                    (Some(r), Some(c)) => Some(format!("{r}, {c}")),
                    (r, c) => r.or(c),
                },
                created: optional_time(w, "created", &ptr, shot)?,
                last_active: Some(required_time(w, "last_active", &ptr, shot)?),
                locator: ptr,
                as_written: None,
            });
        }
    }

    let account = match root.get("account").filter(|a| !a.is_null()) {
        Some(a) => {
            if a.as_object().is_none() {
                return Err(IngestError::at("/account", format!("expected an object, found {}", describe(a))));
            }
            check_keys(a, "/account", &["phone", "username", "user_id"])?;
            let user_id = f.integer(a, "user_id", "/account");
            Account {
                user_id,
                phone: optional_str(a, "phone", "/account")?,
                username: optional_str(a, "username", "/account")?.map(|u| u.trim_start_matches('@').to_string()),
                ttl_days: None,
                two_fa: None,
            }
        }
        None => Account::default(),
    };

    Ok(Parsed {
        snapshot: Snapshot {
            schema: SNAPSHOT_SCHEMA.into(),
            acquired_at: opts.acquired_at.clone(),
            captured_at: latest.map(|(t, text)| Time {
                utc: Some(crate::clock::rfc3339(t)),
                original: text,
                basis: TimeBasis::Offset,
                precision: None,
            }),
            captured_at_basis: None,
            capture_window: None,
            reread_of: None,
            method: Method::Transcribed,
            source: Source {
                sha256: crate::digest::sha256_hex(bytes),
                file_name: opts.file_name.clone(),
                bytes: bytes.len() as u64,
                tool: Some(Tool { name: format!("manual transcription ({FORMAT}) by {transcriber}"), version: None }),
                source_tz: device_tz_name,
                companions: Vec::new(),
            },
            account,
            sessions,
            web_sessions,
            security_log: Vec::new(),
            warnings: f.warnings,
        },
        exhibits,
        writer_offsets: None,
    })
}

/// A screenshot path must stay inside the transcription's folder.
fn check_relative_path(file: &str) -> Result<(), String> {
    let p = std::path::Path::new(file);
    if file.trim().is_empty() {
        return Err("empty; give the screenshot's file name relative to the transcription".into());
    }
    if let Some(c) = file.chars().find(|c| c.is_control()) {
        return Err(format!(
            "{file:?} holds a control character (U+{:04X}), which no screenshot's file name has; give the name as it is on disk",
            c as u32
        ));
    }
    if p.is_absolute() || file.starts_with('/') || file.starts_with('\\') || file.contains(':') {
        return Err(format!(
            "{file:?} is an absolute path; give the path relative to the transcription's folder, e.g. \"IMG_0412.png\""
        ));
    }
    if p.components().any(|c| matches!(c, std::path::Component::ParentDir))
        || file.split(['/', '\\']).any(|c| c == "..")
    {
        return Err(format!(
            "{file:?} leaves the transcription's folder (\"..\"); put the screenshots beside the transcription"
        ));
    }
    Ok(())
}

fn check_keys(obj: &Node, ptr: &str, known: &[&str]) -> Result<(), IngestError> {
    for (k, _) in obj.as_object().unwrap_or_default() {
        if !known.contains(&k.as_str()) {
            return Err(IngestError::at(
                child(ptr, k),
                format!("unknown key {k:?}; known keys here: {}", known.join(", ")),
            ));
        }
    }
    Ok(())
}

fn required_str(obj: &Node, key: &str, ptr: &str) -> Result<String, IngestError> {
    optional_str(obj, key, ptr)?
        .ok_or_else(|| IngestError::at(child(ptr, key), "missing or empty; this field is required"))
}

/// Marks the template's values that must be replaced.
pub const PLACEHOLDER: &str = "FILL IN";

fn optional_str(obj: &Node, key: &str, ptr: &str) -> Result<Option<String>, IngestError> {
    match obj.get(key) {
        None => Ok(None),
        Some(n) if n.is_null() => Ok(None),
        Some(n) => match n.as_str() {
            Some(s) if s.trim().is_empty() => Ok(None),
            Some(s) if s.trim_start().starts_with(PLACEHOLDER) => Err(IngestError::at(
                child(ptr, key),
                format!(
                    "still holds the template's placeholder ({s:?}); type what the screenshot shows, or null if it shows nothing"
                ),
            )),
            Some(s) => Ok(Some(s.trim().to_string())),
            None => Err(IngestError::at(child(ptr, key), format!("expected a string, found {}", describe(n)))),
        },
    }
}

fn optional_bool(obj: &Node, key: &str, ptr: &str) -> Result<Option<bool>, IngestError> {
    match obj.get(key) {
        None => Ok(None),
        Some(n) if n.is_null() => Ok(None),
        Some(n) => n.as_bool().map(Some).ok_or_else(|| {
            IngestError::at(child(ptr, key), format!("expected true, false or null, found {}", describe(n)))
        }),
    }
}

fn screenshot_of<'a>(
    obj: &Node,
    ptr: &str,
    shots: &'a BTreeMap<String, ZonedDateTime>,
) -> Result<&'a ZonedDateTime, IngestError> {
    let id = required_str(obj, "screenshot", ptr)?;
    shots.get(&id).ok_or_else(|| {
        IngestError::at(
            child(ptr, "screenshot"),
            format!(
                "no screenshot with id {id:?}; known ids: {}",
                shots.keys().cloned().collect::<Vec<_>>().join(", ")
            ),
        )
    })
}

fn optional_time(obj: &Node, key: &str, ptr: &str, shot: &ZonedDateTime) -> Result<Option<Time>, IngestError> {
    match optional_str(obj, key, ptr)? {
        Some(text) => relative_time::resolve(&text, shot).map(Some).map_err(|m| IngestError::at(child(ptr, key), m)),
        None => Ok(None),
    }
}

fn required_time(obj: &Node, key: &str, ptr: &str, shot: &ZonedDateTime) -> Result<Time, IngestError> {
    optional_time(obj, key, ptr, shot)?.ok_or_else(|| {
        IngestError::at(child(ptr, key), "missing; copy the text the app shows, e.g. \"yesterday at 21:14\"")
    })
}

/// "Telegram Android 11.4.2" → ("Telegram Android", "11.4.2"): the version starts at the first
/// word that starts with a digit.
pub fn split_app(app: &str) -> (Option<String>, Option<String>) {
    let words: Vec<&str> = app.split_whitespace().collect();
    match words.iter().position(|w| w.starts_with(|c: char| c.is_ascii_digit())) {
        Some(0) => (None, Some(words.join(" "))),
        Some(i) => (Some(words[..i].join(" ")), Some(words[i..].join(" "))),
        None => (Some(words.join(" ")), None),
    }
}

/// "Berlin, Germany" → (region "Berlin", country "Germany"); a single name is the country.
pub fn split_location(location: Option<String>) -> (Option<String>, Option<String>) {
    match location {
        None => (None, None),
        Some(l) => match l.rsplit_once(',') {
            Some((r, c)) if !r.trim().is_empty() && !c.trim().is_empty() => {
                (Some(r.trim().into()), Some(c.trim().into()))
            }
            _ => (None, Some(l.trim_matches([',', ' ']).to_string())),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits() {
        assert_eq!(split_app("Telegram Android 11.4.2"), (Some("Telegram Android".into()), Some("11.4.2".into())));
        assert_eq!(
            split_app("Telegram Desktop 5.10.7 Snap"),
            (Some("Telegram Desktop".into()), Some("5.10.7 Snap".into()))
        );
        assert_eq!(split_app("Nicegram"), (Some("Nicegram".into()), None));
        assert_eq!(split_location(Some("Berlin, Germany".into())), (Some("Berlin".into()), Some("Germany".into())));
        assert_eq!(split_location(Some("Germany".into())), (None, Some("Germany".into())));
    }

    #[test]
    fn paths_stay_inside() {
        assert!(check_relative_path("IMG_1.png").is_ok());
        assert!(check_relative_path("shots/IMG_1.png").is_ok());
        for bad in
            ["../../etc/passwd", "/etc/passwd", "a/../../b", "C:\\x.png", "..\\x.png", "", "a\0b.png", "a\nb.png"]
        {
            assert!(check_relative_path(bad).is_err(), "{bad}");
        }
    }
}
