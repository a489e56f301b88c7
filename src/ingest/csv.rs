//! Session lists typed by hand into a CSV (docs/csv.md): one row per session or web session, the
//! snapshot's field names as the header, columns in any order.
//!
//! Read strictly, because a person can fix the file: an unknown column, a value that is not a
//! time / boolean / number, a missing device (or domain) or a broken quote refuses the file with
//! its row (the 1-based line the record starts on; the header is row 1) and column. Empty cells
//! are unknown, never false. RFC 4180 quoting, CRLF and a UTF-8 byte-order mark are accepted.

mod reader;

use super::fields::Fields;
use super::time::{LocalNote, from_local_text, from_offset_text, from_unix_text, parse_civil_datetime};
use super::{IngestError, ParseOptions, Parsed};
use crate::model::snapshot::{Account, Method, SNAPSHOT_SCHEMA, Session, Snapshot, Source, Time, Tool, WebSession};
use jiff::tz::TimeZone;
use reader::Reader;

/// Which rows a column belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rows {
    Both,
    Session,
    Web,
}

/// Every known column, in the documented order.
pub const COLUMNS: &[(&str, Rows)] = &[
    ("kind", Rows::Both),
    ("hash", Rows::Both),
    ("current", Rows::Session),
    ("official_app", Rows::Session),
    ("password_pending", Rows::Session),
    ("unconfirmed", Rows::Session),
    ("encrypted_requests_disabled", Rows::Session),
    ("call_requests_disabled", Rows::Session),
    ("api_id", Rows::Session),
    ("app_name", Rows::Session),
    ("app_version", Rows::Session),
    ("device_model", Rows::Session),
    ("platform", Rows::Both),
    ("system_version", Rows::Session),
    ("ip", Rows::Both),
    ("country", Rows::Session),
    ("region", Rows::Both),
    ("created", Rows::Both),
    ("last_active", Rows::Both),
    ("domain", Rows::Web),
    ("bot_username", Rows::Web),
    ("bot_id", Rows::Web),
    ("browser", Rows::Web),
];

const BOM: &[u8] = b"\xEF\xBB\xBF";

fn known(name: &str) -> Option<Rows> {
    COLUMNS.iter().find(|(n, _)| *n == name).map(|(_, r)| *r)
}

/// The first line that is not blank or a `#` comment names only known columns, among them
/// `device_model` or `domain`. Looks only at the first 64 KiB.
pub fn detect(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let head = head.strip_prefix(BOM).unwrap_or(head);
    let text = match std::str::from_utf8(head) {
        Ok(t) => t,
        Err(e) => std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or(""),
    };
    let Some(header) = text.lines().map(str::trim).find(|l| !l.is_empty() && !l.starts_with('#')) else {
        return false;
    };
    let names: Vec<String> =
        header.split(',').map(|n| n.trim().trim_matches('"').trim().to_ascii_lowercase()).collect();
    names.iter().all(|n| known(n).is_some()) && names.iter().any(|n| n == "device_model" || n == "domain")
}

/// Parses a sessions CSV.
pub fn parse(bytes: &[u8], opts: &ParseOptions, tz: Option<&TimeZone>) -> Result<Parsed, IngestError> {
    let body = bytes.strip_prefix(BOM).unwrap_or(bytes);
    let text = std::str::from_utf8(body).map_err(|e| {
        let line = 1 + body[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count();
        IngestError::at(
            format!("row {line}"),
            "not UTF-8 text; save the list as UTF-8 CSV (in Excel: \"CSV UTF-8 (comma delimited)\")",
        )
    })?;
    let mut records = Reader::new(text);
    let read_err = |e: reader::ReadError, header: Option<&[String]>| {
        let column = header.and_then(|h| h.get(e.cell)).cloned().unwrap_or_else(|| (e.cell + 1).to_string());
        IngestError::at(format!("row {}, column {column}", e.line), e.message)
    };
    let header = match records.next() {
        Some(r) => r.map_err(|e| read_err(e, None))?,
        None => {
            return Err(IngestError::at(
                "row 1",
                "no header; the first line must name the columns, e.g. kind,device_model,app_name,app_version,ip,last_active (see docs/csv.md)",
            ));
        }
    };
    let columns = read_header(&header)?;

    let mut f = Fields::default();
    f.warn(
        format!("row {}", header.line),
        "typed by hand: every value was entered by a person from another source; check it against that source",
    );
    let mut times = Times { tz, tz_name: opts.source_tz.as_deref(), zone_noted: false };
    let mut sessions = Vec::new();
    let mut web_sessions = Vec::new();
    for record in records {
        let record = record.map_err(|e| read_err(e, Some(&columns)))?;
        let row = format!("row {}", record.line);
        if record.cells.len() != columns.len() {
            return Err(IngestError::at(
                row,
                format!(
                    "{} cells, but the header names {} columns; every row needs one cell per column (leave unknown ones empty)",
                    record.cells.len(),
                    columns.len()
                ),
            ));
        }
        let values: Vec<(&str, &str)> = columns
            .iter()
            .zip(&record.cells)
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(c, v)| (c.as_str(), v.as_str()))
            .collect();
        if values.is_empty() {
            f.warn(row, "every cell is empty; row skipped");
            continue;
        }
        let r = Row { line: record.line, values, has_column: &columns };
        let kind = match r.get("kind").map(|k| k.trim().to_ascii_lowercase()) {
            None => Rows::Session,
            Some(k) if k == "session" => Rows::Session,
            Some(k) if k == "web" => Rows::Web,
            Some(_) => {
                let k = r.raw("kind").unwrap_or_default();
                return Err(r.err("kind", format!("{k:?} is not a kind; use session or web")));
            }
        };
        for (name, _) in &r.values {
            let rows = known(name).unwrap_or(Rows::Both);
            if rows != Rows::Both && rows != kind {
                let (this, other) = if kind == Rows::Web { ("web", "session") } else { ("session", "web") };
                return Err(r.err(
                    name,
                    format!("{this} rows have no {name} (only {other} rows do); leave it empty or set kind to {other}"),
                ));
            }
        }
        if kind == Rows::Web {
            web_sessions.push(read_web(&r, &mut times, &mut f)?);
        } else {
            sessions.push(read_session(&r, &mut times, &mut f)?);
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
            method: Method::Csv,
            source: Source {
                sha256: crate::digest::sha256_hex(bytes),
                file_name: opts.file_name.clone(),
                bytes: bytes.len() as u64,
                tool: Some(Tool {
                    name: "session list typed by hand (sessionproof CSV, docs/csv.md)".into(),
                    version: None,
                }),
                source_tz: opts.source_tz.clone(),
                companions: Vec::new(),
            },
            account: Account::default(),
            sessions,
            web_sessions,
            security_log: Vec::new(),
            warnings: f.warnings,
        },
        exhibits: Vec::new(),
        writer_offsets: None,
    })
}

/// Column names, checked: known, not repeated, with a device or domain column.
fn read_header(header: &reader::Record) -> Result<Vec<String>, IngestError> {
    let at = |i: usize, name: &str| {
        let col = if name.is_empty() { (i + 1).to_string() } else { name.to_string() };
        format!("row {}, column {col}", header.line)
    };
    if header.cells.len() == 1 && header.cells[0].contains(';') {
        return Err(IngestError::at(
            format!("row {}", header.line),
            "the header is separated by \";\"; save the list with commas (in Excel: \"CSV UTF-8 (comma delimited)\")",
        ));
    }
    let mut names: Vec<String> = Vec::new();
    for (i, cell) in header.cells.iter().enumerate() {
        let name = cell.trim().to_ascii_lowercase();
        if name.is_empty() {
            return Err(IngestError::at(at(i, ""), "empty column name; name every column (see docs/csv.md)"));
        }
        if known(&name).is_none() {
            let all: Vec<&str> = COLUMNS.iter().map(|(n, _)| *n).collect();
            return Err(IngestError::at(
                at(i, &name),
                format!("unknown column {:?}; known columns: {}", cell.trim(), all.join(", ")),
            ));
        }
        if names.contains(&name) {
            return Err(IngestError::at(at(i, &name), "this column appears twice; keep one"));
        }
        names.push(name);
    }
    if !names.iter().any(|n| n == "device_model" || n == "domain") {
        return Err(IngestError::at(
            format!("row {}", header.line),
            "the header has neither device_model nor domain; sessions need device_model, web sessions domain",
        ));
    }
    Ok(names)
}

/// One data row: its non-empty cells by column name.
struct Row<'a> {
    line: usize,
    values: Vec<(&'a str, &'a str)>,
    has_column: &'a [String],
}

impl Row<'_> {
    fn at(&self, column: &str) -> String {
        format!("row {}, column {column}", self.line)
    }

    fn err(&self, column: &str, message: impl Into<String>) -> IngestError {
        IngestError::at(self.at(column), message)
    }

    /// The cell as written (quoted cells keep their spaces).
    fn raw(&self, column: &str) -> Option<&str> {
        self.values.iter().find(|(c, _)| *c == column).map(|(_, v)| *v)
    }

    fn get(&self, column: &str) -> Option<&str> {
        self.raw(column).map(str::trim)
    }

    fn text(&self, column: &str) -> Option<String> {
        self.raw(column).map(String::from)
    }

    fn required(&self, column: &str, what: &str) -> Result<String, IngestError> {
        self.text(column).ok_or_else(|| {
            if self.has_column.iter().any(|c| c == column) {
                self.err(column, format!("empty; {what}"))
            } else {
                self.err(column, format!("the header has no {column} column; {what}"))
            }
        })
    }

    fn boolean(&self, column: &str) -> Result<Option<bool>, IngestError> {
        let Some(v) = self.get(column) else { return Ok(None) };
        match v.to_ascii_lowercase().as_str() {
            "true" | "yes" | "1" => Ok(Some(true)),
            "false" | "no" | "0" => Ok(Some(false)),
            _ => Err(self.err(column, format!("{v:?} is not true or false; use true/false, yes/no or 1/0"))),
        }
    }

    fn integer<T: std::str::FromStr>(&self, column: &str, kind: &str) -> Result<Option<T>, IngestError> {
        let Some(v) = self.get(column) else { return Ok(None) };
        v.parse().map(Some).map_err(|_| self.err(column, format!("{v:?} is not {kind}")))
    }
}

fn read_session(r: &Row, times: &mut Times, f: &mut Fields) -> Result<Session, IngestError> {
    let device = r.required("device_model", "every session row needs the device name as the app shows it")?;
    Ok(Session {
        hash: r.integer("hash", "a whole number (a signed 64-bit session hash)")?,
        current: r.boolean("current")?,
        official_app: r.boolean("official_app")?,
        password_pending: r.boolean("password_pending")?,
        unconfirmed: r.boolean("unconfirmed")?,
        encrypted_requests_disabled: r.boolean("encrypted_requests_disabled")?,
        call_requests_disabled: r.boolean("call_requests_disabled")?,
        api_id: r.integer("api_id", "a whole number from -2147483648 to 2147483647")?,
        app_name: r.text("app_name"),
        app_version: r.text("app_version"),
        device_model: Some(device),
        platform: r.text("platform"),
        system_version: r.text("system_version"),
        ip: r.get("ip").map(String::from),
        country: r.text("country"),
        region: r.text("region"),
        created: times.read(r, "created", f)?,
        last_active: times.read(r, "last_active", f)?,
        locator: format!("row {}", r.line),
        as_written: None,
    })
}

fn read_web(r: &Row, times: &mut Times, f: &mut Fields) -> Result<WebSession, IngestError> {
    let domain = r.required("domain", "every web row needs the domain of the site")?;
    Ok(WebSession {
        hash: r.integer("hash", "a whole number (a signed 64-bit session hash)")?,
        bot_id: r.integer("bot_id", "a whole number (the bot's user id)")?,
        bot_username: r.get("bot_username").map(|b| b.trim_start_matches('@').to_string()).filter(|b| !b.is_empty()),
        domain: Some(domain),
        browser: r.text("browser"),
        platform: r.text("platform"),
        ip: r.get("ip").map(String::from),
        region: r.text("region"),
        created: times.read(r, "created", f)?,
        last_active: times.read(r, "last_active", f)?,
        locator: format!("row {}", r.line),
        as_written: None,
    })
}

/// Reads time cells; notes once per file that local times have no zone.
struct Times<'a> {
    tz: Option<&'a TimeZone>,
    tz_name: Option<&'a str>,
    zone_noted: bool,
}

impl Times<'_> {
    fn read(&mut self, r: &Row, column: &str, f: &mut Fields) -> Result<Option<Time>, IngestError> {
        let Some(v) = r.get(column) else { return Ok(None) };
        let bad = || r.err(column, format!("{v:?} is not a time; expected unix seconds, RFC 3339 or YYYY-MM-DD HH:MM"));
        let digits = v.strip_prefix('-').unwrap_or(v);
        if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
            return from_unix_text(v).map(|(t, _)| Some(t)).ok_or_else(bad);
        }
        // `parse_civil_datetime` slices by byte offset: give it ASCII only.
        if v.is_ascii() && parse_civil_datetime(v).is_some() {
            let (t, note) = from_local_text(v, self.tz).ok_or_else(bad)?;
            let zone = self.tz_name.unwrap_or("the given zone");
            match note {
                LocalNote::Exact => {}
                LocalNote::Ambiguous => f.warn(
                    r.at(column),
                    format!("{v} happened twice in {zone} (clocks went back); the earlier instant was taken"),
                ),
                LocalNote::Gap => f.warn(
                    r.at(column),
                    format!("{v} never happened in {zone} (clocks went forward); read as if before the change"),
                ),
            }
            if self.tz.is_none() && !self.zone_noted {
                f.warn(
                    r.at(column),
                    "local time without a zone and no --source-tz: no UTC time is given for the local times in this \
                     file. Re-import with --source-tz Area/City (the zone the times were read in)",
                );
                self.zone_noted = true;
            }
            return Ok(Some(t));
        }
        from_offset_text(v).map(Some).ok_or_else(bad)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::snapshot::TimeBasis;

    const SESSIONS: &[u8] = include_bytes!("../../fixtures/csv/sessions.csv");
    const SESSIONS_CRLF: &[u8] = include_bytes!("../../fixtures/csv/sessions-crlf.csv");

    fn run(bytes: &[u8], tz: Option<&str>) -> Result<Snapshot, IngestError> {
        let opts = ParseOptions {
            file_name: "sessions.csv".into(),
            source_tz: tz.map(String::from),
            acquired_at: "2026-11-26T12:00:00Z".into(),
        };
        let zone = tz.map(|z| TimeZone::get(z).unwrap());
        parse(bytes, &opts, zone.as_ref()).map(|p| p.snapshot)
    }

    fn refused(bytes: &[u8]) -> String {
        run(bytes, None).unwrap_err().to_string()
    }

    #[test]
    fn detects_only_session_csvs() {
        assert!(detect(SESSIONS));
        assert!(detect(SESSIONS_CRLF));
        assert!(detect(b"# typed by A.\n\n device_model , \"ip\"\nPixel 8,192.0.2.1\n"));
        assert!(detect(b"domain\n"));
        assert!(!detect(include_bytes!("../../fixtures/csv/fail_unknown_column.csv")));
        assert!(!detect(b"kind,ip\nsession,192.0.2.1\n"));
        assert!(!detect(b"name,age\nAna,40\n"));
        assert!(!detect(b""));
        assert!(!detect(include_bytes!("../../fixtures/tdesktop-html/export/lists/sessions.html")));
        assert!(!detect(include_bytes!("../../fixtures/tdesktop-json/modern.json")));
        assert!(!detect(b"\xff\xfedevice_model"));
    }

    #[test]
    fn sessions_csv() {
        let s = run(SESSIONS, None).unwrap();
        assert_eq!(s.method, Method::Csv);
        assert_eq!((s.sessions.len(), s.web_sessions.len()), (5, 1));
        let pixel = &s.sessions[0];
        assert_eq!(pixel.locator, "row 2");
        assert_eq!(pixel.hash, Some(-3021578861208546101));
        assert_eq!((pixel.current, pixel.official_app, pixel.password_pending), (Some(true), Some(true), Some(false)));
        assert_eq!((pixel.unconfirmed, pixel.api_id, pixel.encrypted_requests_disabled), (Some(false), Some(6), None));
        assert_eq!(pixel.device_model.as_deref(), Some("Pixel 8"));
        let created = pixel.created.as_ref().unwrap();
        assert_eq!((created.utc.as_deref(), created.basis), (Some("2025-03-02T11:05:19Z"), TimeBasis::Unix));
        let active = pixel.last_active.as_ref().unwrap();
        assert_eq!((active.utc.as_deref(), active.basis), (Some("2026-11-25T17:31:52Z"), TimeBasis::Offset));
        assert_eq!(active.original, "2026-11-25T18:31:52+01:00");

        let thinkpad = &s.sessions[1];
        assert_eq!(thinkpad.device_model.as_deref(), Some("ThinkPad X1 Carbon, Gen 11"));
        assert_eq!(thinkpad.app_version.as_deref(), Some("5.10.7 Snap"));
        assert_eq!((thinkpad.ip.as_deref(), thinkpad.unconfirmed), (None, None));
        assert_eq!(thinkpad.hash, Some(9007199254740993));
        assert_eq!((thinkpad.current, thinkpad.official_app), (Some(false), Some(true)));
        let active = thinkpad.last_active.as_ref().unwrap();
        assert_eq!((active.utc.as_deref(), active.basis), (None, TimeBasis::LocalUnknown));
        assert_eq!(active.original, "2026-11-25 18:40");
        let zone_notes: Vec<_> = s.warnings.iter().filter(|w| w.message.contains("--source-tz")).collect();
        assert_eq!(zone_notes.len(), 1);
        assert_eq!(zone_notes[0].locator, "row 3, column created");

        let cyrillic = &s.sessions[2];
        assert_eq!(cyrillic.device_model.as_deref(), Some("Ноутбук Маши"));
        assert_eq!(cyrillic.ip.as_deref(), Some("2001:db8:85a3::8a2e:370:7334"));
        assert_eq!(cyrillic.hash, Some(4611686018427387904));
        assert_eq!(cyrillic.current, None);
        assert_eq!(s.sessions[3].device_model.as_deref(), Some("Ana's \"work\" phone"));
        assert_eq!((s.sessions[3].created.as_ref(), s.sessions[3].country.as_deref()), (None, None));
        assert_eq!(s.sessions[4].device_model.as_deref(), Some("گوشی من"));

        let web = &s.web_sessions[0];
        assert_eq!(web.locator, "row 7");
        assert_eq!(
            (web.domain.as_deref(), web.bot_username.as_deref()),
            (Some("auth.example.org"), Some("orgauthbot"))
        );
        assert_eq!(
            (web.hash, web.region.as_deref(), web.browser.as_deref()),
            (Some(-1), Some("Netherlands"), Some("Chrome 119"))
        );
        assert_eq!(web.last_active.as_ref().unwrap().utc.as_deref(), Some("2026-11-19T02:41:05Z"));
        assert_eq!(s.warnings[0].locator, "row 1");
        assert!(s.warnings[0].message.starts_with("typed by hand"));
    }

    #[test]
    fn crlf_and_bom_read_the_same() {
        let (a, b) =
            (run(SESSIONS, Some("Europe/Berlin")).unwrap(), run(SESSIONS_CRLF, Some("Europe/Berlin")).unwrap());
        assert_eq!((a.sessions, a.web_sessions, a.warnings), (b.sessions, b.web_sessions, b.warnings));
        let t = run(SESSIONS_CRLF, Some("Europe/Berlin")).unwrap();
        let active = t.sessions[1].last_active.as_ref().unwrap();
        assert_eq!((active.utc.as_deref(), active.basis), (Some("2026-11-25T17:40:00Z"), TimeBasis::LocalAssumed));
        assert!(!t.warnings.iter().any(|w| w.message.contains("--source-tz")));
    }

    #[test]
    fn refuses_with_row_and_column() {
        assert_eq!(
            refused(include_bytes!("../../fixtures/csv/fail_bad_time.csv")),
            "row 4, column created: \"yesterday\" is not a time; expected unix seconds, RFC 3339 or YYYY-MM-DD HH:MM"
        );
        let e = refused(include_bytes!("../../fixtures/csv/fail_unknown_column.csv"));
        assert!(
            e.starts_with("row 1, column last_seen: unknown column \"last_seen\"; known columns: kind, hash"),
            "{e}"
        );
        let e = refused(include_bytes!("../../fixtures/csv/fail_bad_bool.csv"));
        assert!(e.starts_with("row 3, column current: \"maybe\" is not true or false"), "{e}");
        let e = refused(include_bytes!("../../fixtures/csv/fail_unclosed_quote.csv"));
        assert!(e.starts_with("row 3, column device_model: the quoted cell opened on line 3 is never closed"), "{e}");
        let e = refused(include_bytes!("../../fixtures/csv/fail_missing_device.csv"));
        assert!(e.starts_with("row 3, column device_model: empty; every session row needs"), "{e}");
    }

    #[test]
    fn refuses_other_mistakes() {
        let cases: &[(&str, &str)] = &[
            ("", "row 1: no header"),
            ("device_model,ip,ip\n", "row 1, column ip: this column appears twice"),
            ("device_model,\n", "row 1, column 2: empty column name"),
            ("kind;device_model\n", "row 1: the header is separated by \";\""),
            ("ip,region\n", "row 1: the header has neither device_model nor domain"),
            ("device_model,ip\nPixel\n", "row 2: 1 cells, but the header names 2 columns"),
            ("kind,device_model\nphone,Pixel\n", "row 2, column kind: \"phone\" is not a kind"),
            ("kind,domain,app_name\nweb,a.example,X\n", "row 2, column app_name: web rows have no app_name"),
            ("device_model,browser\nPixel,Chrome\n", "row 2, column browser: session rows have no browser"),
            ("kind,device_model\nweb,Pixel\n", "row 2, column device_model: web rows have no device_model"),
            ("domain,kind\na.example,web\n,session\n", "row 3, column device_model: the header has no device_model"),
            ("device_model,hash\nPixel,9223372036854775808\n", "row 2, column hash: \"9223372036854775808\" is not"),
            ("device_model,api_id\nPixel,2147483648\n", "row 2, column api_id: \"2147483648\" is not"),
            ("device_model,created\n\"Pixel\n8\",1.5\n", "row 2, column created: \"1.5\" is not a time"),
            ("device_model,created\nPixel,2026-13-01 10:00\n", "row 2, column created:"),
            ("device_model,created\nPixel,2026-11-25 10:00é\n", "row 2, column created:"),
            ("device_model,ip\n\"Pixel\" 8,1\n", "row 2, column device_model: text after the closing quote"),
        ];
        for (text, expected) in cases {
            let e = refused(text.as_bytes());
            assert!(e.starts_with(expected), "{text:?}: {e}");
        }
        assert!(refused(b"device_model\n\xff\n").starts_with("row 2: not UTF-8 text"));
    }

    #[test]
    fn template_and_its_example_row() {
        let template = include_str!("../../templates/sessions-template.csv");
        assert!(detect(template.as_bytes()));
        let s = run(template.as_bytes(), None).unwrap();
        assert!(s.sessions.is_empty() && s.web_sessions.is_empty());
        let header: Vec<&str> = template.lines().next().unwrap().split(',').collect();
        assert_eq!(header, COLUMNS.iter().map(|(n, _)| *n).collect::<Vec<_>>());
        let s = run(template.replace("# session", "session").as_bytes(), Some("Europe/Berlin")).unwrap();
        assert_eq!((s.sessions[0].device_model.as_deref(), s.sessions[0].current), (Some("Pixel 8"), Some(false)));
    }

    #[test]
    fn never_panics_on_any_prefix_or_damaged_byte() {
        for end in 0..SESSIONS_CRLF.len() {
            let _ = run(&SESSIONS_CRLF[..end], None);
            let _ = detect(&SESSIONS_CRLF[..end]);
        }
        for i in 0..SESSIONS.len() {
            let mut damaged = SESSIONS.to_vec();
            damaged[i] = b",\"\r\n#\xff"[i % 6];
            let _ = run(&damaged, Some("Europe/Berlin"));
        }
    }

    #[test]
    fn rows_follow_lines_and_skip_blanks() {
        let text = "# list\ndevice_model,created\n\"Two\nlines\",\n\n,\nPixel,2021-10-31 02:30\n";
        let s = run(text.as_bytes(), Some("Europe/Berlin")).unwrap();
        assert_eq!(s.sessions.len(), 2);
        assert_eq!(
            (s.sessions[0].locator.as_str(), s.sessions[0].device_model.as_deref()),
            ("row 3", Some("Two\nlines"))
        );
        assert_eq!(s.sessions[1].locator, "row 7");
        assert!(s.warnings.iter().any(|w| w.locator == "row 6" && w.message.contains("every cell is empty")));
        assert!(s.warnings.iter().any(|w| w.locator == "row 7, column created" && w.message.contains("twice")));
    }
}
