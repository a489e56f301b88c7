//! Telegram Desktop "Export Telegram data" in JSON (`result.json`).
//!
//! Quirks tolerated, each recorded as a warning with its JSON pointer: `\xHH` escapes for control
//! bytes (not JSON), `application_name: null`, an omitted `application_version`, empty IPs,
//! numbers re-emitted as `1705760185.000000`, and exports older than Desktop 3.7.6 that carry only
//! local wall-clock dates without a zone (`*_unixtime` is authoritative when present).

use super::fields::{Fields, child};
use super::json::{self, Node, QuirkKind, Value};
use super::time::{LocalNote, from_local_text, from_unix_text, why_not_unix};
use super::{IngestError, ParseOptions, Parsed};
use crate::model::snapshot::{
    Account, Method, SNAPSHOT_SCHEMA, SecurityEvent, Session, Snapshot, Source, Time, Tool, WebSession,
};
use jiff::tz::TimeZone;
use std::collections::BTreeMap;

const SESSION_KEYS: &[&str] = &[
    "last_active",
    "last_active_unixtime",
    "last_ip",
    "last_country",
    "last_region",
    "application_name",
    "application_version",
    "device_model",
    "platform",
    "system_version",
    "created",
    "created_unixtime",
];
const WEB_KEYS: &[&str] = &[
    "last_active",
    "last_active_unixtime",
    "last_ip",
    "last_region",
    "bot_username",
    "domain_name",
    "browser",
    "platform",
    "created",
    "created_unixtime",
];

/// Parses a `result.json`.
pub fn parse(bytes: &[u8], opts: &ParseOptions, tz: Option<&TimeZone>) -> Result<Parsed, IngestError> {
    let doc = json::parse(bytes).map_err(|e| {
        IngestError::at(
            format!("line {}, column {}", e.line, e.column),
            format!("not a readable Telegram Desktop result.json: {}", e.message),
        )
    })?;
    let root = &doc.root;
    if root.as_object().is_none() {
        return Err(IngestError::at(
            "/",
            format!("expected the export's top-level object, found a {}", root.kind_name()),
        ));
    }
    let mut f = Fields::default();
    let mut lines = json::LineColumns::new(bytes);
    for q in &doc.quirks {
        let (line, col) = lines.at(q.offset);
        let at = format!("line {line}, column {col}");
        match &q.kind {
            QuirkKind::XEscape(b) => f.warn(at, format!("control byte written as \\x{b:02X} (Telegram Desktop's writer does this; not valid JSON); read as U+{b:04X}")),
            QuirkKind::InvalidUtf8 => f.warn(at, "invalid UTF-8; shown as U+FFFD, the original bytes are preserved in the evidence"),
            QuirkKind::ByteOrderMark => f.warn(at, "byte-order mark at the start of the file; ignored"),
            QuirkKind::DuplicateKey(k) => f.warn(at, format!("key {k:?} appears twice in one object; the first is used")),
            QuirkKind::RawControlChar(b) => f.warn(at, format!("unescaped control byte 0x{b:02X} inside a string; kept")),
        }
    }

    let Some(sessions_node) = root.get("sessions") else {
        return Err(IngestError::at(
            "/sessions",
            "this Telegram Desktop export has no \"sessions\" section: it was exported without \"Active sessions\". \
             Export again (Settings › Advanced › Export Telegram data) with \"Active sessions\" ticked",
        ));
    };
    let list = section_list(sessions_node, "/sessions")?;

    let has_unixtime =
        list.iter().any(|e| e.get("created_unixtime").is_some() || e.get("last_active_unixtime").is_some());
    let mut dates = Dates { tz, tz_name: opts.source_tz.as_deref(), missing_zone_noted: false, offsets: None };
    if !has_unixtime && !list.is_empty() && tz.is_none() {
        f.warn(
            "/sessions/list",
            "this export has no *_unixtime fields (Telegram Desktop older than 3.7.6): its dates are the exporting PC's \
             local time without a zone, so no UTC time is given. Re-import with --source-tz Area/City (the PC's zone) to resolve them",
        );
        dates.missing_zone_noted = true;
    }

    let mut sessions = Vec::new();
    for (i, entry) in list.iter().enumerate() {
        let ptr = format!("/sessions/list/{i}");
        if entry.as_object().is_none() {
            f.warn(&ptr, format!("expected a session object, found a {}; entry skipped", entry.kind_name()));
            continue;
        }
        note_unknown_keys(&mut f, entry, &ptr, SESSION_KEYS);
        if matches!(entry.get("application_name"), Some(n) if n.is_null()) {
            f.warn(
                child(&ptr, "application_name"),
                "application_name is null (Telegram Desktop writes null when the app sent no name)",
            );
        }
        if entry.get("application_version").is_none() {
            f.warn(
                child(&ptr, "application_version"),
                "application_version is absent (Telegram Desktop omits it when empty)",
            );
        }
        sessions.push(Session {
            app_name: f.string(entry, "application_name", &ptr, Some("application_name is empty")),
            app_version: f.string(entry, "application_version", &ptr, None),
            device_model: f.string(entry, "device_model", &ptr, Some("device_model is empty")),
            platform: f.string(entry, "platform", &ptr, None),
            system_version: f.string(entry, "system_version", &ptr, None),
            ip: f.string(
                entry,
                "last_ip",
                &ptr,
                Some("last_ip is empty: Telegram gave no IP for this session (common in recent exports)"),
            ),
            country: f.string(entry, "last_country", &ptr, None),
            region: f.string(entry, "last_region", &ptr, None),
            created: dates.read(&mut f, entry, "created", &ptr),
            last_active: dates.read(&mut f, entry, "last_active", &ptr),
            ..Session::unknown(ptr)
        });
    }

    let mut web_sessions = Vec::new();
    if let Some(web) = root.get("web_sessions") {
        for (i, entry) in section_list(web, "/web_sessions")?.iter().enumerate() {
            let ptr = format!("/web_sessions/list/{i}");
            if entry.as_object().is_none() {
                f.warn(&ptr, format!("expected a web session object, found a {}; entry skipped", entry.kind_name()));
                continue;
            }
            note_unknown_keys(&mut f, entry, &ptr, WEB_KEYS);
            web_sessions.push(WebSession {
                hash: None,
                bot_id: None,
                bot_username: f.string(entry, "bot_username", &ptr, None),
                domain: f.string(entry, "domain_name", &ptr, None),
                browser: f.string(entry, "browser", &ptr, None),
                platform: f.string(entry, "platform", &ptr, None),
                ip: f.string(entry, "last_ip", &ptr, Some("last_ip is empty")),
                region: f.string(entry, "last_region", &ptr, None),
                created: dates.read(&mut f, entry, "created", &ptr),
                last_active: dates.read(&mut f, entry, "last_active", &ptr),
                locator: ptr,
                as_written: None,
            });
        }
    }

    let account = match root.get("personal_information") {
        Some(p) if p.as_object().is_some() => Account {
            user_id: f.integer(p, "user_id", "/personal_information"),
            phone: f.string(p, "phone_number", "/personal_information", None),
            username: f
                .string(p, "username", "/personal_information", None)
                .map(|u| u.trim_start_matches('@').to_string()),
            ttl_days: None,
            two_fa: None,
        },
        _ => Account::default(),
    };

    let security_log = match root.get("other_data") {
        Some(other) => read_other_data(&mut f, other, "/other_data"),
        None => Vec::new(),
    };

    Ok(Parsed {
        snapshot: Snapshot {
            schema: SNAPSHOT_SCHEMA.into(),
            acquired_at: opts.acquired_at.clone(),
            captured_at: None,
            captured_at_basis: None,
            capture_window: None,
            reread_of: None,
            method: Method::TdesktopJson,
            source: Source {
                sha256: crate::digest::sha256_hex(bytes),
                file_name: opts.file_name.clone(),
                bytes: bytes.len() as u64,
                tool: Some(Tool { name: "Telegram Desktop (Export Telegram data, JSON)".into(), version: None }),
                source_tz: opts.source_tz.clone(),
                companions: Vec::new(),
            },
            account,
            sessions,
            web_sessions,
            security_log,
            warnings: f.warnings,
        },
        exhibits: Vec::new(),
        writer_offsets: dates.offsets,
    })
}

/// Reads a `lists/other_data.json` as the server wrote it (a companion of an export folder).
pub fn parse_other_data(
    bytes: &[u8],
    locator: &str,
) -> Result<(Vec<SecurityEvent>, Vec<crate::model::snapshot::Warning>), IngestError> {
    let doc = json::parse(bytes).map_err(|e| {
        IngestError::at(format!("line {}, column {}", e.line, e.column), format!("not readable JSON: {}", e.message))
    })?;
    let mut f = Fields::default();
    let events = read_other_data(&mut f, &doc.root, locator);
    Ok((events, f.warnings))
}

/// `{"about": "...", "list": [...]}` → the list.
fn section_list<'a>(section: &'a Node, ptr: &str) -> Result<&'a [Node], IngestError> {
    match section.get("list").and_then(|l| l.as_array()) {
        Some(list) => Ok(list),
        None => Err(IngestError::at(
            format!("{ptr}/list"),
            "expected the section's \"list\" array (Telegram Desktop writes {\"about\": …, \"list\": […]}); the file is damaged or not a Telegram Desktop export",
        )),
    }
}

fn note_unknown_keys(f: &mut Fields, entry: &Node, ptr: &str, known: &[&str]) {
    for (k, _) in entry.as_object().unwrap_or_default() {
        if !known.contains(&k.as_str()) {
            f.warn(child(ptr, k), format!("unexpected key {k:?}; kept in the original only"));
        }
    }
}

/// Reads `created` / `last_active` with their `*_unixtime` companions.
struct Dates<'a> {
    tz: Option<&'a TimeZone>,
    tz_name: Option<&'a str>,
    missing_zone_noted: bool,
    /// The smallest and largest UTC offset seen where a date is written both ways.
    offsets: Option<(i32, i32)>,
}

impl Dates<'_> {
    fn read(&mut self, f: &mut Fields, entry: &Node, key: &str, ptr: &str) -> Option<Time> {
        let unix_key = format!("{key}_unixtime");
        if let Some(node) = entry.get(&unix_key) {
            let at = child(ptr, &unix_key);
            let text = scalar_text(node);
            match text.as_deref().and_then(from_unix_text) {
                Some((t, tolerated)) => {
                    if tolerated {
                        f.warn(
                            at,
                            format!("unix time written with a fraction ({}); read as whole seconds", t.original),
                        );
                    }
                    self.note_offset(entry.get(key), &t);
                    return Some(t);
                }
                None if node.is_null() => {}
                None => {
                    let why = text.as_deref().map(why_not_unix);
                    let why = why.unwrap_or_else(|| format!("{} is not unix seconds", super::fields::describe(node)));
                    f.warn(at, format!("{why}; the local date is used instead"))
                }
            }
        }
        let node = entry.get(key)?;
        let at = child(ptr, key);
        let text = scalar_text(node)?;
        if text.is_empty() {
            return None;
        }
        // exteraGram's port of the writer puts unix seconds into `created` / `last_active`.
        if text.bytes().all(|b| b.is_ascii_digit())
            && let Some((t, _)) = from_unix_text(&text)
        {
            f.warn(at, "unix seconds in a date field (as exteraGram's exporter writes them)");
            return Some(t);
        }
        match from_local_text(&text, self.tz) {
            Some((t, note)) => {
                let zone = self.tz_name.unwrap_or("the given zone");
                match note {
                    LocalNote::Exact => {}
                    LocalNote::Ambiguous => f.warn(
                        at.clone(),
                        format!("{text} happened twice in {zone} (clocks went back); the earlier instant was taken"),
                    ),
                    LocalNote::Gap => f.warn(
                        at.clone(),
                        format!("{text} never happened in {zone} (clocks went forward); read as if before the change"),
                    ),
                }
                if self.tz.is_none() && !self.missing_zone_noted {
                    f.warn(at, "local date without a zone and no --source-tz: no UTC time is given");
                    self.missing_zone_noted = true;
                }
                Some(t)
            }
            None => {
                f.warn(at, format!("{text:?} is not a date sessionproof can read; kept as unknown"));
                None
            }
        }
    }
}

impl Dates<'_> {
    /// The writer's UTC offset at `t`, where the local text beside its unix time shows it: Telegram
    /// Desktop writes both from one instant, the local one in the exporting PC's zone.
    fn note_offset(&mut self, local: Option<&Node>, t: &Time) {
        let Some(local) = local.and_then(scalar_text).and_then(|l| super::time::parse_civil_datetime(&l)) else {
            return;
        };
        let Some(utc) = t.utc.as_deref().and_then(|u| u.parse::<jiff::Timestamp>().ok()) else { return };
        let Ok(as_utc) = jiff::tz::TimeZone::UTC.to_timestamp(local) else { return };
        let offset = as_utc.as_second() - utc.as_second();
        // Real offsets lie within ±14 hours; anything else is not a zone's offset.
        let Ok(offset) = i32::try_from(offset) else { return };
        if offset.abs() > 14 * 3600 {
            return;
        }
        self.offsets = Some(match self.offsets {
            Some((lo, hi)) => (lo.min(offset), hi.max(offset)),
            None => (offset, offset),
        });
    }
}

/// A string's text or a number's exact source text.
fn scalar_text(node: &Node) -> Option<String> {
    match &node.value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.clone()),
        _ => None,
    }
}

/// `other_data`: `changes_log` entries and the `ips` list become the security log.
fn read_other_data(f: &mut Fields, other: &Node, ptr: &str) -> Vec<SecurityEvent> {
    let mut out = Vec::new();
    if let Some(log) = other.get("changes_log") {
        let Some(items) = log.as_array() else {
            f.warn(child(ptr, "changes_log"), format!("expected an array, found a {}; ignored", log.kind_name()));
            return out;
        };
        for (i, item) in items.iter().enumerate() {
            let at = format!("{ptr}/changes_log/{i}");
            let Some(members) = item.as_object() else {
                f.warn(&at, format!("expected an object, found a {}; skipped", item.kind_name()));
                continue;
            };
            let mut detail = BTreeMap::new();
            let mut time = None;
            let mut app_id = None;
            for (k, v) in members {
                match k.as_str() {
                    "event" | "ip" => {}
                    "timestamp" => match scalar_text(v).and_then(|t| from_unix_text(&t)) {
                        Some((t, tolerated)) => {
                            if tolerated {
                                f.warn(
                                    child(&at, k),
                                    format!(
                                        "number re-emitted as {} by Telegram Desktop; read as whole seconds",
                                        t.original
                                    ),
                                );
                            }
                            time = Some(t);
                        }
                        None => f.warn(
                            child(&at, k),
                            format!("{}; no time for this event", why_not_unix(&scalar_text(v).unwrap_or_default())),
                        ),
                    },
                    "app_id" => match scalar_text(v).and_then(|t| from_unix_text(&t).map(|(u, tol)| (t, u, tol))) {
                        Some((text, _, tolerated)) => {
                            let whole = text.split('.').next().unwrap_or(&text);
                            app_id = whole.parse().ok();
                            if tolerated {
                                f.warn(
                                    child(&at, k),
                                    format!("number re-emitted as {text} by Telegram Desktop; read as {whole}"),
                                );
                            }
                        }
                        None => f.warn(child(&at, k), "not a whole number; ignored"),
                    },
                    _ => {
                        let text = scalar_text(v).unwrap_or_else(|| {
                            if v.is_null() { String::new() } else { format!("({})", v.kind_name()) }
                        });
                        detail.insert(k.clone(), text);
                    }
                }
            }
            out.push(SecurityEvent {
                event: f.string(item, "event", &at, None).unwrap_or_else(|| "unknown".into()),
                at: time,
                app_id,
                ip: f.string(item, "ip", &at, None),
                detail,
                locator: at,
            });
        }
    }
    if let Some(ips) = other.get("ips").and_then(|v| v.as_array()) {
        for (i, item) in ips.iter().enumerate() {
            let at = format!("{ptr}/ips/{i}");
            if let Some(ip) = f.string(item, "ip", &at, None) {
                let mut detail = BTreeMap::new();
                detail.insert("note".into(), "listed in the account's IP history; Telegram gives no time".into());
                out.push(SecurityEvent {
                    event: "account-ip".into(),
                    at: None,
                    app_id: None,
                    ip: Some(ip),
                    detail,
                    locator: at,
                });
            }
        }
    }
    out
}
