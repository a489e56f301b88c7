//! Shared reading of client-library dumps (telegram-formats.md §3.1–3.4).
//!
//! Telethon, Pyrogram and grammers all serialize the same MTProto objects (`account.authorizations`,
//! `account.webAuthorizations`, `account.password`) with the TL field names; they differ only in
//! how a class is named and how dates are written, which a [`Style`] describes. TDLib has its own
//! field names but shares the collector ([`Dump`]), hashes, dates and the top-level layout: a file
//! holds one object, or a JSON array of several that are combined into one snapshot.

use super::fields::{Fields, child, describe};
use super::json::{self, Node, QuirkKind};
use super::time::{from_local_text, from_offset_text, from_unix_text, why_not_unix};
use super::{IngestError, ParseOptions, Parsed};
use crate::model::snapshot::{
    Account, Method, SNAPSHOT_SCHEMA, Session, Snapshot, Source, Time, Tool, TwoFa, WebSession,
};
use jiff::tz::TimeZone;
use std::collections::BTreeMap;

mod tl_objects;
pub use tl_objects::{Class, Style, parse_tl_dump};

/// Shown when a session has no IP: Telegram sends `""` for some sessions.
pub const EMPTY_IP: &str = "the IP is empty: Telegram gave no IP for this session; kept as unknown";

/// Parses the file as JSON; a syntax error (a truncated file) names the line and column.
pub fn read_json(bytes: &[u8], what: &str) -> Result<json::Parsed, IngestError> {
    json::parse(bytes).map_err(|e| {
        IngestError::at(
            format!("line {}, column {} (byte {})", e.line, e.column, e.offset),
            format!("not a readable {what}: {}", e.message),
        )
    })
}

/// The object a detector looks at: the root, or the first object of a root array.
pub fn first_object(root: &Node) -> Option<&Node> {
    match root.as_array() {
        Some(items) => items.iter().find(|n| n.as_object().is_some()),
        None => root.as_object().map(|_| root),
    }
}

/// The dumped objects with their JSON pointers: the root (`""`), or each element of a root array.
pub fn top_items(root: &Node) -> Vec<(String, &Node)> {
    match root.as_array() {
        Some(items) => items.iter().enumerate().map(|(i, n)| (format!("/{i}"), n)).collect(),
        None => vec![(String::new(), root)],
    }
}

/// A pointer as shown to people: the root is `/`.
pub fn shown(ptr: &str) -> &str {
    if ptr.is_empty() { "/" } else { ptr }
}

/// The value of a single-key object such as grammers' `{"Authorization": {…}}`.
pub fn single_member<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    match node.as_object()? {
        [(k, inner)] if k == key && inner.as_object().is_some() => Some(inner),
        _ => None,
    }
}

/// A short name of what an element is, for "skipped" warnings.
pub fn class_name(node: &Node) -> String {
    if let Some(c) = node.get("_").or_else(|| node.get("@type")).and_then(Node::as_str) {
        return format!("{:?}", crate::model::text::clipped(c, 60));
    }
    match node.as_object() {
        Some([(k, _)]) => format!("{{{:?}: …}}", crate::model::text::clipped(k, 60)),
        _ => describe(node),
    }
}

/// How a library writes session dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateStyle {
    /// ISO 8601 with an offset (Telethon: `"2023-11-14T22:13:20+00:00"`).
    Iso,
    /// Unix seconds as a JSON number (Pyrogram, grammers, TDLib).
    Unix,
}

/// How a 64-bit identifier is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Int64 {
    /// A JSON number, exact beyond 2^53 (Python and serde write them so).
    Number,
    /// A JSON string of decimal digits (TDLib's JSON interface).
    String,
}

/// Collects what a dump holds, whatever its format, and builds the snapshot.
pub struct Dump {
    pub f: Fields,
    pub sessions: Vec<Session>,
    pub web_sessions: Vec<WebSession>,
    /// Objects recognized so far (a file with none is refused).
    pub recognized: usize,
    tool: &'static str,
    ttl: Option<(i32, String)>,
    two_fa: Option<(TwoFa, String)>,
    /// Flags absent from sessions: key → (count, first pointer, when the flag appeared).
    missing_flags: BTreeMap<String, (usize, String, &'static str)>,
}

impl Dump {
    /// Starts a dump of `tool`'s output, noting the JSON quirks the reader tolerated.
    pub fn new(bytes: &[u8], quirks: &[json::Quirk], tool: &'static str) -> Self {
        let mut f = Fields::default();
        let mut lines = json::LineColumns::new(bytes);
        for q in quirks {
            let (line, col) = lines.at(q.offset);
            let at = format!("line {line}, column {col}");
            match &q.kind {
                QuirkKind::XEscape(b) => f.warn(
                    at,
                    format!("\\x{b:02X} escape (not JSON, and not something {tool} writes); read as U+{b:04X}"),
                ),
                QuirkKind::InvalidUtf8 => {
                    f.warn(at, "invalid UTF-8; shown as U+FFFD, the original bytes are preserved in the evidence")
                }
                QuirkKind::ByteOrderMark => f.warn(at, "byte-order mark at the start of the file; ignored"),
                QuirkKind::DuplicateKey(k) => {
                    f.warn(at, format!("key {k:?} appears twice in one object; the first is used"))
                }
                QuirkKind::RawControlChar(b) => {
                    f.warn(at, format!("unescaped control byte 0x{b:02X} inside a string; kept"))
                }
            }
        }
        Dump {
            f,
            sessions: Vec::new(),
            web_sessions: Vec::new(),
            recognized: 0,
            tool,
            ttl: None,
            two_fa: None,
            missing_flags: BTreeMap::new(),
        }
    }

    /// An object this format does not describe: refused at the root, skipped inside an array.
    pub fn unknown(&mut self, ptr: &str, what: &str, expected: &str) -> Result<(), IngestError> {
        if ptr.is_empty() {
            return Err(IngestError::at("/", format!("{what} is not a session list; expected {expected}")));
        }
        self.f.warn(ptr, format!("{what} is not a session list, 2FA state or web-login list; skipped"));
        Ok(())
    }

    /// The session-TTL setting (`authorization_ttl_days`, `inactive_session_ttl_days`).
    pub fn set_ttl(&mut self, obj: &Node, key: &str, ptr: &str) {
        let at = child(ptr, key);
        let Some(days) = self.int32(obj, key, ptr) else { return };
        match &self.ttl {
            Some((first, first_at)) if *first != days => self.f.warn(
                at,
                format!(
                    "a second session TTL ({days} days) differs from {first} days at {first_at}; the first is kept"
                ),
            ),
            Some(_) => {}
            None => self.ttl = Some((days, at)),
        }
    }

    /// The 2FA state; a second one is noted and ignored.
    pub fn set_two_fa(&mut self, two_fa: TwoFa, ptr: &str) {
        match &self.two_fa {
            Some((_, first)) => self.f.warn(shown(ptr), format!("a second 2FA state; the first, at {first}, is kept")),
            None => self.two_fa = Some((two_fa, shown(ptr).to_string())),
        }
    }

    /// A session flag; an absent one stays unknown and is summed up in one warning per flag.
    /// `since` says why a dump may lack it ("it arrived in layer 166").
    pub fn flag(&mut self, obj: &Node, key: &str, ptr: &str, since: &'static str) -> Option<bool> {
        if obj.get(key).is_none() {
            let entry = self.missing_flags.entry(key.to_string()).or_insert((0, shown(ptr).to_string(), since));
            entry.0 += 1;
            return None;
        }
        self.f.boolean(obj, key, ptr)
    }

    /// A 32-bit integer field (api_id, a TTL).
    pub fn int32(&mut self, obj: &Node, key: &str, ptr: &str) -> Option<i32> {
        let v = self.f.integer(obj, key, ptr)?;
        let fits = i32::try_from(v).ok();
        if fits.is_none() {
            self.f.warn(child(ptr, key), format!("{v} does not fit the 32-bit field; ignored"));
        }
        fits
    }

    /// A session hash / id. It identifies the session to Telegram (termination, support requests),
    /// so a value that is not exact refuses the whole file rather than guessing.
    pub fn hash(&mut self, obj: &Node, key: &str, ptr: &str, style: Int64) -> Result<Option<i64>, IngestError> {
        let at = child(ptr, key);
        let Some(node) = obj.get(key) else {
            self.f.warn(at, "no hash: this session cannot be named in a termination request");
            return Ok(None);
        };
        if node.is_null() {
            self.f.warn(at, "the hash is null: this session cannot be named in a termination request");
            return Ok(None);
        }
        let refuse = |found: String, hint: &str| {
            IngestError::at(
                &at,
                format!("expected the session hash as a signed 64-bit whole number, found {found}; {hint}"),
            )
        };
        const LOSSY: &str = "a hash that is not exact cannot identify the session (was the dump re-encoded \
                             through floating-point numbers?); dump the list again with the library itself";
        match (style, node.as_number(), node.as_str()) {
            (Int64::Number, Some(_), _) => node.as_i64().map(Some).ok_or_else(|| refuse(describe(node), LOSSY)),
            (Int64::String, _, Some(text)) => match text.parse::<i64>() {
                Ok(v) if !text.starts_with('+') => Ok(Some(v)),
                _ => Err(refuse(describe(node), LOSSY)),
            },
            (Int64::String, Some(_), _) => {
                let v = node.as_i64().ok_or_else(|| refuse(describe(node), LOSSY))?;
                self.f.warn(
                    at.clone(),
                    "TDLib writes 64-bit ids as strings; this one is a number, so the dump was re-encoded: \
                     check it against the original if it is beyond 2^53",
                );
                Ok(Some(v))
            }
            (Int64::Number, None, Some(_)) => {
                Err(refuse(describe(node), &format!("{} writes hashes as JSON numbers", self.tool)))
            }
            _ => Err(refuse(describe(node), "the file is damaged or not this format")),
        }
    }

    /// A date: unix seconds or an ISO text with an offset. `0` is "not set" (quietly so when the
    /// format uses 0 for that, as TDLib's `pending_reset_date`).
    pub fn time(
        &mut self,
        obj: &Node,
        key: &str,
        ptr: &str,
        style: DateStyle,
        tz: Option<&TimeZone>,
        zero_is_unset: bool,
    ) -> Option<Time> {
        let node = obj.get(key)?;
        let at = child(ptr, key);
        let tool = self.tool;
        if let Some(text) = node.as_number() {
            if node.as_i64() == Some(0) {
                if !zero_is_unset {
                    self.f.warn(at, "the date is 0 (not set); kept as unknown");
                }
                return None;
            }
            let Some((t, _)) = node.as_i64().and_then(|_| from_unix_text(text)) else {
                self.f.warn(at, format!("{}; kept as unknown", why_not_unix(text)));
                return None;
            };
            if style == DateStyle::Iso {
                self.f.warn(at, format!("unix seconds where {tool} writes ISO dates; read as unix seconds"));
            }
            return Some(t);
        }
        let Some(text) = node.as_str() else {
            if !node.is_null() {
                self.f.warn(at, format!("expected a date, found {}; kept as unknown", describe(node)));
            }
            return None;
        };
        if let Some(t) = from_offset_text(text) {
            if style == DateStyle::Unix {
                self.f.warn(at, format!("an ISO date where {tool} writes unix seconds; read with its offset"));
            }
            return Some(t);
        }
        if !text.is_empty()
            && text.bytes().all(|b| b.is_ascii_digit())
            && let Some((t, _)) = from_unix_text(text)
        {
            self.f.warn(at, "unix seconds written as a string; read as unix seconds");
            return Some(t);
        }
        // `from_local_text` slices by byte position, so only plain ASCII reaches it.
        if text.is_ascii()
            && let Some((t, _)) = from_local_text(text, tz)
        {
            let how = if tz.is_some() {
                "read in the --source-tz zone"
            } else {
                "no UTC time is given; pass --source-tz Area/City if the zone is known"
            };
            self.f.warn(at, format!("a date without a UTC offset, which {tool} does not write; {how}"));
            return Some(t);
        }
        self.f.warn(at, format!("{} is not a date sessionproof can read; kept as unknown", describe(node)));
        None
    }

    /// Notes keys this format does not define (a newer layer may add fields).
    pub fn note_unknown_keys(&mut self, obj: &Node, ptr: &str, known: &[&str]) {
        for (k, _) in obj.as_object().unwrap_or_default() {
            if !known.contains(&k.as_str()) {
                self.f.warn(child(ptr, k), format!("unexpected key {k:?}; kept in the original only"));
            }
        }
    }

    /// Builds the snapshot; a file without any recognized object is refused.
    pub fn finish(
        mut self,
        bytes: &[u8],
        opts: &ParseOptions,
        method: Method,
        expected: &str,
    ) -> Result<Parsed, IngestError> {
        if self.recognized == 0 {
            return Err(IngestError::at(
                "/",
                format!("no session list, web-login list or 2FA state; expected {expected}"),
            ));
        }
        for (key, (count, first, since)) in std::mem::take(&mut self.missing_flags) {
            self.f.warn(
                first,
                format!(
                    "{key} is absent from {count} session(s), the first here: {since}. \
                     It stays unknown (null), not false"
                ),
            );
        }
        let mut seen: BTreeMap<i64, &str> = BTreeMap::new();
        for s in &self.sessions {
            if let Some(h) = s.hash {
                match seen.get(&h) {
                    Some(first) => self.f.warn(&s.locator, format!("the same hash {h} as the session at {first}")),
                    None => {
                        seen.insert(h, &s.locator);
                    }
                }
            }
        }
        Ok(Parsed {
            snapshot: Snapshot {
                schema: SNAPSHOT_SCHEMA.into(),
                acquired_at: opts.acquired_at.clone(),
                captured_at: None,
                captured_at_basis: None,
                capture_window: None,
                reread_of: None,
                method,
                source: Source {
                    sha256: crate::digest::sha256_hex(bytes),
                    file_name: opts.file_name.clone(),
                    bytes: bytes.len() as u64,
                    tool: Some(Tool { name: self.tool.to_string(), version: None }),
                    source_tz: opts.source_tz.clone(),
                    companions: Vec::new(),
                },
                account: Account {
                    user_id: None,
                    phone: None,
                    username: None,
                    ttl_days: self.ttl.map(|(d, _)| d),
                    two_fa: self.two_fa.map(|(t, _)| t),
                },
                sessions: self.sessions,
                web_sessions: self.web_sessions,
                security_log: Vec::new(),
                warnings: self.f.warnings,
            },
            exhibits: Vec::new(),
            writer_offsets: None,
        })
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use crate::model::snapshot::Snapshot;

    /// Fixed options for the library-dump tests.
    pub fn opts() -> ParseOptions {
        ParseOptions { file_name: "dump.json".into(), source_tz: None, acquired_at: "2026-11-25T10:00:00Z".into() }
    }

    type ParseFn = fn(&[u8], &ParseOptions, Option<&TimeZone>) -> Result<Parsed, IngestError>;

    /// Parses with `parse`, which must succeed.
    pub fn snapshot(parse: ParseFn, bytes: &[u8]) -> Snapshot {
        match parse(bytes, &opts(), None) {
            Ok(p) => p.snapshot,
            Err(e) => panic!("refused: {e}"),
        }
    }

    /// The warnings as (locator, message) pairs.
    pub fn warnings(s: &Snapshot) -> Vec<(String, String)> {
        s.warnings.iter().map(|w| (w.locator.clone(), w.message.clone())).collect()
    }

    /// Asserts a warning at `locator` whose message contains `text`.
    pub fn assert_warns(s: &Snapshot, locator: &str, text: &str) {
        let w = warnings(s);
        assert!(w.iter().any(|(l, m)| l == locator && m.contains(text)), "no {locator:?} ~ {text:?} in {w:#?}");
    }

    /// Asserts `parse` refuses `bytes` at `at` (a prefix of the error's location) with `text`.
    pub fn assert_refused(parse: ParseFn, bytes: &[u8], at: &str, text: &str) {
        match parse(bytes, &opts(), None) {
            Ok(_) => panic!("accepted, expected a refusal at {at}"),
            Err(e) => {
                let loc = e.at.clone().unwrap_or_default();
                assert!(loc.starts_with(at), "refused at {loc:?}, expected {at:?}: {e}");
                assert!(e.message.contains(text), "{e}");
            }
        }
    }

    const ALL: &[(&str, &[u8])] = &[
        ("telethon/sessions", include_bytes!("../../fixtures/telethon/sessions.json")),
        ("telethon/combined", include_bytes!("../../fixtures/telethon/combined.json")),
        ("pyrogram/sessions", include_bytes!("../../fixtures/pyrogram/sessions.json")),
        ("pyrogram/combined", include_bytes!("../../fixtures/pyrogram/combined.json")),
        ("grammers/sessions", include_bytes!("../../fixtures/grammers/sessions.json")),
        ("grammers/combined", include_bytes!("../../fixtures/grammers/combined.json")),
        ("grammers/single", include_bytes!("../../fixtures/grammers/single.json")),
        ("tdlib/sessions", include_bytes!("../../fixtures/tdlib/sessions.json")),
        ("tdlib/combined", include_bytes!("../../fixtures/tdlib/combined.json")),
        ("tdlib/legacy-fields", include_bytes!("../../fixtures/tdlib/legacy-fields.json")),
    ];

    #[test]
    fn each_dump_is_claimed_by_its_own_detector_only() {
        for (name, bytes) in ALL {
            let expected = match name.split('/').next() {
                Some("telethon") => Method::TelethonJson,
                Some("pyrogram") => Method::PyrogramJson,
                Some("grammers") => Method::GrammersJson,
                _ => Method::TdlibJson,
            };
            let root = json::parse(bytes).unwrap().root;
            let claims = [
                (super::super::telethon_json::detect(&root), Method::TelethonJson),
                (super::super::pyrogram_json::detect(&root), Method::PyrogramJson),
                (super::super::grammers_json::detect(&root), Method::GrammersJson),
                (super::super::tdlib_json::detect(&root), Method::TdlibJson),
            ];
            let claimed: Vec<Method> = claims.iter().filter(|(c, _)| *c).map(|(_, m)| *m).collect();
            assert_eq!(claimed, vec![expected], "{name}");
            assert_eq!(super::super::detect(bytes), Ok(expected), "{name}");
        }
    }

    #[test]
    fn desktop_exports_and_transcriptions_are_not_claimed() {
        let others: [&[u8]; 4] = [
            include_bytes!("../../fixtures/tdesktop-json/modern.json"),
            include_bytes!("../../fixtures/tdesktop-json/zero-sessions.json"),
            include_bytes!("../../fixtures/demo/export/result.json"),
            include_bytes!("../../fixtures/transcribed/example/transcription.json"),
        ];
        for bytes in others {
            let root = json::parse(bytes).unwrap().root;
            assert!(!super::super::telethon_json::detect(&root));
            assert!(!super::super::pyrogram_json::detect(&root));
            assert!(!super::super::grammers_json::detect(&root));
            assert!(!super::super::tdlib_json::detect(&root));
        }
        for text in ["[]", "{}", "[1, \"x\", null]", "{\"_\": 5}", "{\"Authorizations\": 1}", "\"Authorizations\""] {
            let root = json::parse(text.as_bytes()).unwrap().root;
            assert!(!super::super::telethon_json::detect(&root), "{text}");
            assert!(!super::super::pyrogram_json::detect(&root), "{text}");
            assert!(!super::super::grammers_json::detect(&root), "{text}");
            assert!(!super::super::tdlib_json::detect(&root), "{text}");
        }
    }

    #[test]
    fn cut_or_corrupted_dumps_never_panic() {
        let parsers: [ParseFn; 4] = [
            super::super::telethon_json::parse,
            super::super::pyrogram_json::parse,
            super::super::grammers_json::parse,
            super::super::tdlib_json::parse,
        ];
        let o = opts();
        for (_, bytes) in ALL {
            for parse in parsers {
                for cut in (0..bytes.len()).step_by(11) {
                    let _ = parse(&bytes[..cut], &o, None);
                }
                let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
                for _ in 0..150 {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    let mut v = bytes.to_vec();
                    let i = (seed as usize) % v.len();
                    v[i] = b"{}[]\":,0-9.e\"ax\\"[(seed >> 32) as usize % 16];
                    let _ = parse(&v, &o, None);
                }
            }
        }
    }

    #[test]
    fn time_readers_keep_the_original_text() {
        let mut d = Dump::new(b"", &[], "Telethon to_json()");
        let obj = json::parse(
            br#"{"a": "2023-11-14T22:13:20+00:00", "b": 1700000000, "c": "2023-11-14T23:13:20", "d": 0, "e": "soon", "f": "\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u0660\u0661\u0662\u0663\u0664\u0665\u0666"}"#,
        )
        .unwrap()
        .root;
        let a = d.time(&obj, "a", "", DateStyle::Iso, None, false).unwrap();
        assert_eq!(
            (a.utc.as_deref(), a.original.as_str()),
            (Some("2023-11-14T22:13:20Z"), "2023-11-14T22:13:20+00:00")
        );
        assert_eq!(a.basis, crate::model::snapshot::TimeBasis::Offset);
        let b = d.time(&obj, "b", "", DateStyle::Iso, None, false).unwrap();
        assert_eq!(
            (b.utc.as_deref(), b.basis),
            (Some("2023-11-14T22:13:20Z"), crate::model::snapshot::TimeBasis::Unix)
        );
        let c = d.time(&obj, "c", "", DateStyle::Iso, None, false).unwrap();
        assert_eq!((c.utc, c.basis), (None, crate::model::snapshot::TimeBasis::LocalUnknown));
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        let c = d.time(&obj, "c", "", DateStyle::Iso, Some(&berlin), false).unwrap();
        assert_eq!(c.utc.as_deref(), Some("2023-11-14T22:13:20Z"));
        assert!(d.time(&obj, "d", "", DateStyle::Unix, None, false).is_none());
        assert!(d.time(&obj, "e", "", DateStyle::Iso, None, false).is_none());
        assert!(d.time(&obj, "f", "", DateStyle::Iso, None, false).is_none());
        let w: Vec<&str> = d.f.warnings.iter().map(|w| w.locator.as_str()).collect();
        assert_eq!(w, ["/b", "/c", "/c", "/d", "/e", "/f"]);
        assert!(d.f.warnings[2].message.contains("--source-tz"));
    }
}
