//! Telegram Desktop "Export Telegram data" in HTML: `lists/sessions.html` and
//! `lists/web_sessions.html` (telegram-formats.md §2.4, real samples in §4).
//!
//! The lossiest export: each session is three composite text lines plus two dates. The name line
//! joins app name and version with a space (versions contain spaces: "5.10.7 Snap"), the subname
//! joins `device, platform system_version` (an empty platform leaves a double space, an empty
//! version a trailing one), the location line is `ip – region, country` where a single place may
//! be either, and dates are the exporting PC's local time without a zone. There is no hash, no
//! flag and no api_id (the `userpicN` colour only hints at it and is ignored). Splits are best
//! guesses and say so in warnings; the composite lines are kept verbatim in `as_written`.

mod scan;

use super::fields::Fields;
use super::time::{LocalNote, from_local_text};
use super::{IngestError, ParseOptions, Parsed};
use crate::model::snapshot::{Account, Method, SNAPSHOT_SCHEMA, Session, Snapshot, Source, Time, Tool, WebSession};
use jiff::tz::TimeZone;
use scan::RawEntry;

const EXPECTED: &str = "expected Telegram Desktop's lists/sessions.html or lists/web_sessions.html \
(Settings › Advanced › Export Telegram data, format HTML, \"Active sessions\" ticked)";

/// Which of the two list pages a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Sessions,
    Web,
}

impl Kind {
    fn path(self) -> &'static str {
        match self {
            Kind::Sessions => "lists/sessions.html",
            Kind::Web => "lists/web_sessions.html",
        }
    }
}

/// An HTML document from the export writer that holds a list of entries with session details.
/// Looks only at the first 64 KiB.
pub fn detect(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(64 * 1024)];
    let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    let start = head.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(head.len());
    let doctype = head.get(start..start + 15).is_some_and(|d| d.eq_ignore_ascii_case(b"<!DOCTYPE html>"));
    doctype
        && contains(head, b"class=\"entry_list\"")
        && (contains(head, b"Last active: ") || contains(head, b"class=\"page_body list_page\""))
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Parses one `sessions.html` or `web_sessions.html`.
pub fn parse(bytes: &[u8], opts: &ParseOptions, tz: Option<&TimeZone>) -> Result<Parsed, IngestError> {
    let mut f = Fields::default();
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(body) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(e) => {
            let line = 1 + body[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count();
            f.warn(
                format!("line {line}"),
                "invalid UTF-8; shown as U+FFFD, the original bytes are preserved in the evidence",
            );
            String::from_utf8_lossy(body)
        }
    };
    if !text.trim_start().starts_with('<') {
        return Err(IngestError::at("line 1", format!("this is not an HTML document; {EXPECTED}")));
    }
    let page = scan::scan(&text).map_err(|e| IngestError::at(format!("line {}", e.line), e.message))?;
    if !page.entry_list && page.entries.is_empty() {
        let what = match &page.title {
            Some(t) => format!("this HTML page ({:?}) has no list of sessions", crate::model::text::clipped(t, 60)),
            None => "this HTML page has no list of sessions".to_string(),
        };
        return Err(IngestError::at(
            "div.entry_list",
            format!(
                "{what} (Telegram Desktop writes them as <div class=\"entry\"> inside <div class=\"entry_list\">); {EXPECTED}"
            ),
        ));
    }
    let kind = page_kind(&page, &mut f)?;
    let file = kind.path();
    for (line, note) in &page.notes {
        f.warn(format!("{file} line {line}"), note.clone());
    }
    if page.entries.is_empty() {
        f.warn(file, "the list has no entries (Telegram Desktop writes this file only when the list is not empty)");
    }

    let mut dates = Dates { tz, tz_name: opts.source_tz.as_deref(), file, zone_noted: false };
    let mut sessions = Vec::new();
    let mut web_sessions = Vec::new();
    for entry in &page.entries {
        let loc = format!("{file} entry {} (line {})", entry.number, entry.line);
        let Some(name) = entry.name.as_deref() else {
            f.warn(&loc, "the entry has no name line (div.name); entry skipped");
            continue;
        };
        let (location, last_active, created) = split_details(entry, &loc, &mut f);
        // The composite lines cannot be split reliably: they are kept verbatim beside the split.
        let as_written: Vec<String> =
            [Some(name), entry.subname.as_deref(), location].into_iter().flatten().map(str::to_string).collect();
        match kind {
            Kind::Sessions => {
                if let Some(info) = &entry.info {
                    f.warn(&loc, format!("{info:?} beside the entry: only web sessions carry a bot; ignored"));
                }
                let mut s = read_session(&mut f, &loc, name, entry.subname.as_deref(), location);
                s.last_active = last_active.and_then(|t| dates.read(&mut f, t, &loc, "last active"));
                s.created = created.and_then(|t| dates.read(&mut f, t, &loc, "created"));
                s.as_written = Some(as_written);
                sessions.push(s);
            }
            Kind::Web => {
                let mut w = read_web(&mut f, &loc, entry, name, location);
                w.last_active = last_active.and_then(|t| dates.read(&mut f, t, &loc, "last active"));
                w.created = created.and_then(|t| dates.read(&mut f, t, &loc, "created"));
                w.as_written = Some(as_written);
                web_sessions.push(w);
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
            method: Method::TdesktopHtml,
            source: Source {
                sha256: crate::digest::sha256_hex(bytes),
                file_name: opts.file_name.clone(),
                bytes: bytes.len() as u64,
                tool: Some(Tool { name: "Telegram Desktop (Export Telegram data, HTML)".into(), version: None }),
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

/// Sessions or web sessions: the page header says so; without it, the entries' shape decides.
fn page_kind(page: &scan::Page, f: &mut Fields) -> Result<Kind, IngestError> {
    let by_shape = if page.entries.iter().any(|e| e.info.is_some()) { Kind::Web } else { Kind::Sessions };
    let dated = page.entries.iter().any(|e| e.details.iter().any(|d| d.starts_with("Last active:")));
    match page.header.as_deref().map(str::trim) {
        Some("Sessions") => Ok(Kind::Sessions),
        Some("Web sessions") => Ok(Kind::Web),
        Some(other) if !dated => Err(IngestError::at(
            "div.page_header",
            format!(
                "this is Telegram Desktop's {:?} page, not a list of sessions; {EXPECTED}",
                crate::model::text::clipped(other, 60)
            ),
        )),
        other => {
            let said = other.map_or("no page header".to_string(), |h| format!("the page header {h:?}"));
            f.warn(
                by_shape.path(),
                format!(
                    "{said} instead of \"Sessions\" / \"Web sessions\"; read as {} by the entries' shape",
                    by_shape.path()
                ),
            );
            Ok(by_shape)
        }
    }
}

/// The location line and the two dates among an entry's detail lines.
fn split_details<'a>(
    entry: &'a RawEntry,
    loc: &str,
    f: &mut Fields,
) -> (Option<&'a str>, Option<&'a str>, Option<&'a str>) {
    let (mut location, mut last_active, mut created) = (None, None, None);
    for line in &entry.details {
        if let Some(t) = line.strip_prefix("Last active:") {
            last_active = Some(t.trim());
        } else if let Some(t) = line.strip_prefix("Created:") {
            created = Some(t.trim());
        } else if location.is_none() {
            location = Some(line.as_str());
        } else {
            f.warn(loc, format!("unexpected detail line {}; ignored", quoted(Some(line))));
        }
    }
    (location, last_active, created)
}

/// A session from its lines; the caller fills in the dates.
fn read_session(f: &mut Fields, loc: &str, name: &str, subname: Option<&str>, location: Option<&str>) -> Session {
    let (app_name, app_version, notes) = split_name(name);
    note_all(f, loc, notes);
    let (device_model, rest) = match subname {
        Some(line) => {
            let (device, rest, notes) = split_last_comma(line, "device model", "platform");
            note_all(f, loc, notes);
            (device, rest)
        }
        None => {
            f.warn(loc, "the entry has no device line (div.subname); device, platform and system unknown");
            (None, None)
        }
    };
    let (platform, system_version, notes) = split_platform(rest.as_deref());
    note_all(f, loc, notes);
    let (ip, place, notes) = split_location(location);
    note_all(f, loc, notes);
    let (region, country) = match place.as_deref().map(|p| p.rsplit_once(", ").unwrap_or(("", p))) {
        Some((region, country)) => {
            if region.is_empty() && !country.is_empty() {
                f.warn(
                    loc,
                    format!("a single place name {country:?} may be a region or a country; read as the country"),
                );
            }
            (non_empty(region), non_empty(country))
        }
        None => (None, None),
    };
    Session {
        app_name,
        app_version,
        device_model,
        platform,
        system_version,
        ip,
        country,
        region,
        ..Session::unknown(loc.to_string())
    }
}

/// A web session from its lines; the caller fills in the dates.
fn read_web(f: &mut Fields, loc: &str, entry: &RawEntry, name: &str, location: Option<&str>) -> WebSession {
    let domain = if name.trim() == "Unknown" {
        f.warn(loc, "domain \"Unknown\": Telegram Desktop writes this when the site sent no domain; read as unknown");
        None
    } else {
        non_empty(name)
    };
    let (platform, browser) = match entry.subname.as_deref() {
        Some(line) => {
            let (platform, browser, notes) = split_last_comma(line, "platform", "browser");
            note_all(f, loc, notes);
            (platform, browser.as_deref().and_then(non_empty))
        }
        None => (None, None),
    };
    let (ip, region, notes) = split_location(location);
    note_all(f, loc, notes);
    WebSession {
        hash: None,
        bot_id: None,
        bot_username: entry.info.as_deref().map(|b| b.trim().trim_start_matches('@')).and_then(non_empty),
        domain,
        browser,
        platform,
        ip,
        region,
        created: None,
        last_active: None,
        locator: loc.to_string(),
        as_written: None,
    }
}

fn note_all(f: &mut Fields, loc: &str, notes: Vec<String>) {
    for n in notes {
        f.warn(loc, n);
    }
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// A line quoted as a JSON string, so leading, trailing and double spaces stay visible.
fn quoted(line: Option<&str>) -> String {
    line.map_or("(none)".to_string(), |l| serde_json::to_string(l).unwrap_or_default())
}

/// `app_name + ' ' + app_version` → (name, version). An empty version leaves a trailing space;
/// otherwise the version is taken to start at the first later word that starts with a digit.
fn split_name(line: &str) -> (Option<String>, Option<String>, Vec<String>) {
    let mut notes = Vec::new();
    let (name, version) = if let Some(name) = line.strip_suffix(' ') {
        (name, "")
    } else {
        let mut starts = line.match_indices(' ').map(|(i, _)| i + 1);
        let digit = starts.clone().find(|&i| line[i..].starts_with(|c: char| c.is_ascii_digit()));
        match digit.or_else(|| starts.next_back()) {
            Some(i) => {
                let (name, version) = (&line[..i - 1], &line[i..]);
                if digit.is_none() {
                    notes.push(format!(
                        "no word of {line:?} starts with a digit; read as app {name:?}, version {version:?} (a guess)"
                    ));
                } else if version.contains(' ') {
                    notes.push(format!(
                        "version read as {version:?}: the name line joins app name and version with a space and \
                         versions can contain spaces, so the split of {line:?} is a best guess"
                    ));
                }
                (name, version)
            }
            None => {
                notes.push(format!("{line:?} has no space between app name and version; read as the app name"));
                (line, "")
            }
        }
    };
    let name = if name.trim() == "Unknown" {
        notes.push(
            "app name \"Unknown\": Telegram Desktop writes this when the app sent no name; read as unknown".into(),
        );
        None
    } else {
        non_empty(name)
    };
    (name, non_empty(version), notes)
}

/// `left + ", " + right`, split at the last ", " (device names may contain commas).
fn split_last_comma(line: &str, left: &str, right: &str) -> (Option<String>, Option<String>, Vec<String>) {
    let mut notes = Vec::new();
    match line.rsplit_once(", ") {
        Some((l, r)) => {
            if l.contains(", ") {
                notes.push(format!("{line:?} has several \", \"; split at the last one into {left} and {right}"));
            }
            if l.trim().is_empty() {
                notes.push(format!("no {left} before the \", \""));
            }
            // The right part keeps its spaces: they tell an empty platform from an empty version.
            (non_empty(l), (!r.is_empty()).then(|| r.to_string()), notes)
        }
        None => {
            notes.push(format!("{line:?} has no \", \" between {left} and {right}; read as the {left}"));
            (non_empty(line), None, notes)
        }
    }
}

/// `platform + ' ' + system_version` → (platform, system version): an empty platform leaves a
/// leading space, an empty system version a trailing one.
fn split_platform(rest: Option<&str>) -> (Option<String>, Option<String>, Vec<String>) {
    let Some(rest) = rest else { return (None, None, Vec::new()) };
    match rest.split_once(' ') {
        Some((platform, system)) => {
            let mut notes = Vec::new();
            if platform.is_empty() && !system.trim().is_empty() {
                notes.push(format!(
                    "no platform (two spaces after the comma); {:?} read as the system version",
                    system.trim()
                ));
            }
            (non_empty(platform), non_empty(system), notes)
        }
        None => (non_empty(rest), None, Vec::new()),
    }
}

/// `ip + " – " + place` → (ip, place). exteraGram's port of the writer uses an ASCII " - ".
fn split_location(line: Option<&str>) -> (Option<String>, Option<String>, Vec<String>) {
    let Some(line) = line else {
        return (None, None, vec!["the entry has no location line; IP and place unknown".into()]);
    };
    let mut notes = Vec::new();
    let parts = match line.split_once('\u{2013}') {
        Some(parts) => Some(parts),
        None => {
            let ascii = line.split_once(" - ").or_else(|| line.strip_prefix("- ").map(|p| ("", p)));
            if ascii.is_some() {
                notes.push("ASCII \" - \" instead of \" – \" between IP and place (exteraGram's export)".into());
            }
            ascii
        }
    };
    let Some((ip, place)) = parts else {
        notes.push(format!("{line:?} has no \" – \" between IP and place; location not read"));
        return (None, None, notes);
    };
    let ip = non_empty(ip);
    if ip.is_none() {
        notes.push("no IP address: Telegram gave none for this session (common in recent exports)".into());
    }
    (ip, non_empty(place), notes)
}

/// Reads `dd.MM.yyyy HH:mm:ss` local dates, noting once per file that their zone is unknown.
struct Dates<'a> {
    tz: Option<&'a TimeZone>,
    tz_name: Option<&'a str>,
    file: &'static str,
    zone_noted: bool,
}

impl Dates<'_> {
    fn read(&mut self, f: &mut Fields, text: &str, loc: &str, what: &str) -> Option<Time> {
        if text.is_empty() {
            return None;
        }
        let Some((mut time, note)) = desktop_date_iso(text).and_then(|iso| from_local_text(&iso, self.tz)) else {
            f.warn(loc, format!("{what} {text:?} is not a date in dd.MM.yyyy HH:mm:ss form; kept as unknown"));
            return None;
        };
        time.original = text.to_string();
        let zone = self.tz_name.unwrap_or("the given zone");
        match note {
            LocalNote::Exact => {}
            LocalNote::Ambiguous => f.warn(
                loc,
                format!("{what} {text} happened twice in {zone} (clocks went back); the earlier instant was taken"),
            ),
            LocalNote::Gap => f.warn(
                loc,
                format!("{what} {text} never happened in {zone} (clocks went forward); read as if before the change"),
            ),
        }
        if self.tz.is_none() && !self.zone_noted {
            f.warn(
                self.file,
                "dates in Telegram Desktop's HTML export are the exporting PC's local time without a zone, so no UTC \
                 time is given. Re-import with --source-tz Area/City (the PC's zone) to resolve them",
            );
            self.zone_noted = true;
        }
        Some(time)
    }
}

/// "22.01.2024 23:19:08" → "2024-01-22T23:19:08".
pub(crate) fn desktop_date_iso(text: &str) -> Option<String> {
    let (date, time) = text.trim().split_once(' ')?;
    let mut d = date.split('.');
    let (day, month, year) = (d.next()?, d.next()?, d.next()?);
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let time_ok = time.len() == 8
        && time.bytes().enumerate().all(|(i, b)| if i == 2 || i == 5 { b == b':' } else { b.is_ascii_digit() });
    (d.next().is_none() && digits(day, 2) && digits(month, 2) && digits(year, 4) && time_ok)
        .then(|| format!("{year}-{month}-{day}T{time}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::snapshot::TimeBasis;

    const SESSIONS: &[u8] = include_bytes!("../../fixtures/tdesktop-html/export/lists/sessions.html");
    const WEB: &[u8] = include_bytes!("../../fixtures/tdesktop-html/export/lists/web_sessions.html");
    const SUMMARY: &[u8] = include_bytes!("../../fixtures/tdesktop-html/export/export_results.html");
    const NOT_HTML: &[u8] = include_bytes!("../../fixtures/tdesktop-html/fail_not_html.html");
    const NO_ENTRIES: &[u8] = include_bytes!("../../fixtures/tdesktop-html/fail_no_entries.html");
    const TRUNCATED: &[u8] = include_bytes!("../../fixtures/tdesktop-html/fail_truncated.html");

    fn opts(tz: Option<&str>) -> ParseOptions {
        ParseOptions {
            file_name: "sessions.html".into(),
            source_tz: tz.map(String::from),
            acquired_at: "2026-11-26T12:00:00Z".into(),
        }
    }

    fn run(bytes: &[u8], tz: Option<&str>) -> Result<Snapshot, IngestError> {
        let zone = tz.map(|z| TimeZone::get(z).unwrap());
        parse(bytes, &opts(tz), zone.as_ref()).map(|p| p.snapshot)
    }

    fn warnings_at<'a>(s: &'a Snapshot, loc: &str) -> Vec<&'a str> {
        s.warnings.iter().filter(|w| w.locator == loc).map(|w| w.message.as_str()).collect()
    }

    #[test]
    fn detects_only_the_list_pages() {
        assert!(detect(SESSIONS));
        assert!(detect(WEB));
        for other in [SUMMARY, NOT_HTML, NO_ENTRIES, b"" as &[u8], b"\xEF\xBB\xBF", b"<!DOCTYPE html>"] {
            assert!(!detect(other));
        }
        assert!(!detect(include_bytes!("../../fixtures/tdesktop-json/modern.json")));
        assert!(!detect(include_bytes!("../../fixtures/csv/sessions.csv")));
    }

    #[test]
    fn sessions_page() {
        let s = run(SESSIONS, None).unwrap();
        assert_eq!(s.method, Method::TdesktopHtml);
        assert_eq!(s.sessions.len(), 6);
        assert!(s.web_sessions.is_empty());
        let first = &s.sessions[0];
        assert_eq!(first.locator, "lists/sessions.html entry 1 (line 42)");
        assert_eq!(first.app_name.as_deref(), Some("Telegram Desktop"));
        assert_eq!(first.app_version.as_deref(), Some("5.10.7 Snap"));
        assert_eq!(first.device_model.as_deref(), Some("ThinkCentre-M70q"));
        assert_eq!(first.platform.as_deref(), Some("Linux"));
        assert_eq!(first.system_version.as_deref(), Some("Ubuntu 24.04 LTS"));
        assert_eq!((first.ip.as_deref(), first.region.as_deref()), (Some("203.0.113.45"), Some("Madrid")));
        assert_eq!(first.country.as_deref(), Some("Spain"));
        assert_eq!((first.hash, first.current, first.api_id, first.unconfirmed), (None, None, None, None));
        let active = first.last_active.as_ref().unwrap();
        assert_eq!((active.original.as_str(), active.utc.as_deref()), ("25.11.2026 18:40:05", None));
        assert_eq!(active.basis, TimeBasis::LocalUnknown);
        let loc = &first.locator;
        let w = warnings_at(&s, loc);
        assert_eq!(
            first.as_written.as_deref().unwrap(),
            [
                "Telegram Desktop 5.10.7 Snap",
                "ThinkCentre-M70q, Linux Ubuntu 24.04 LTS",
                "203.0.113.45 – Madrid, Spain"
            ]
        );
        assert!(w[0].contains("\"5.10.7 Snap\"") && w[0].contains("best guess"), "{w:?}");
        assert_eq!(warnings_at(&s, "lists/sessions.html").len(), 1, "one note about the unknown zone");

        let x3500 = &s.sessions[1];
        assert_eq!((x3500.device_model.as_deref(), x3500.platform.as_deref()), (Some("X3500PCB"), None));
        assert_eq!(x3500.system_version.as_deref(), Some("Windows 11"));
        assert!(warnings_at(&s, &x3500.locator).iter().any(|m| m.contains("two spaces")));

        let web = &s.sessions[2];
        assert_eq!(
            (web.device_model.as_deref(), web.platform.as_deref()),
            (Some("Microsoft Edge 132"), Some("Windows"))
        );
        assert_eq!((web.system_version.as_deref(), web.ip.as_deref(), web.region.as_deref()), (None, None, None));
        assert_eq!(web.country.as_deref(), Some("The Netherlands"));
        let w = warnings_at(&s, &web.locator);
        let lines = web.as_written.as_deref().unwrap();
        assert_eq!(
            &lines[1..],
            ["Microsoft Edge 132, Windows ", " – The Netherlands"],
            "kept verbatim, spaces included"
        );
        assert!(w.iter().any(|m| m.contains("no IP address")));
        assert!(w.iter().any(|m| m.contains("region or a country")));

        let persian = &s.sessions[3];
        assert_eq!(persian.device_model.as_deref(), Some("گوشی من"));
        assert_eq!(persian.ip.as_deref(), Some("2001:db8:4f2e::17"));
        assert_eq!(persian.app_version.as_deref(), Some("11.6.2"));

        let unknown = &s.sessions[4];
        assert_eq!((unknown.app_name.as_deref(), unknown.app_version.as_deref()), (None, None));
        assert_eq!(unknown.device_model.as_deref(), Some("<img src=x onerror=alert(1)>"));
        assert!(warnings_at(&s, &unknown.locator).iter().any(|m| m.contains("\"Unknown\"")));

        assert_eq!(s.sessions[5].device_model.as_deref(), Some("Ana's \"work\" iPhone & co"));
        assert_eq!(s.sessions[5].region, None);
    }

    #[test]
    fn sessions_page_with_source_tz() {
        let s = run(SESSIONS, Some("Europe/Madrid")).unwrap();
        let active = s.sessions[0].last_active.as_ref().unwrap();
        assert_eq!(active.utc.as_deref(), Some("2026-11-25T17:40:05Z"));
        assert_eq!(active.basis, TimeBasis::LocalAssumed);
        assert_eq!(s.sessions[0].created.as_ref().unwrap().utc.as_deref(), Some("2026-02-14T09:12:47Z"));
        // 26.10.2025 02:30:00 happened twice in Madrid; the writer meant the second (01:30Z).
        let created = s.sessions[1].created.as_ref().unwrap();
        assert_eq!(created.utc.as_deref(), Some("2025-10-26T00:30:00Z"));
        assert!(warnings_at(&s, &s.sessions[1].locator).iter().any(|m| m.contains("happened twice in Europe/Madrid")));
        assert!(warnings_at(&s, "lists/sessions.html").is_empty());
    }

    #[test]
    fn web_sessions_page() {
        let s = run(WEB, Some("Europe/Madrid")).unwrap();
        assert!(s.sessions.is_empty());
        let w = &s.web_sessions;
        assert_eq!(w.len(), 3);
        assert_eq!(w[0].locator, "lists/web_sessions.html entry 1 (line 42)");
        assert_eq!((w[0].domain.as_deref(), w[0].bot_username.as_deref()), (Some("example.org"), Some("examplebot")));
        assert_eq!((w[0].platform.as_deref(), w[0].browser.as_deref()), (Some("Windows"), Some("Chrome 120")));
        assert_eq!((w[0].ip.as_deref(), w[0].region.as_deref()), (Some("198.51.100.2"), Some("Spain")));
        assert_eq!(w[0].created.as_ref().unwrap().utc.as_deref(), Some("2026-11-19T02:40:12Z"));
        assert_eq!((w[1].domain.as_deref(), w[1].bot_username.as_deref()), (None, None));
        assert_eq!(w[1].platform.as_deref(), Some("Linux ubuntu GNOME Wayland glibc 2.39"));
        assert_eq!((w[1].ip.as_deref(), w[1].region.as_deref()), (Some("2001:db8::42"), Some("Madrid")));
        assert_eq!((w[2].ip.as_deref(), w[2].region.as_deref()), (None, None));
        assert_eq!(w[2].bot_username.as_deref(), Some("shop_login_bot"));
    }

    #[test]
    fn refuses_what_is_not_a_session_list() {
        let e = run(NOT_HTML, None).unwrap_err();
        assert_eq!(e.at.as_deref(), Some("line 1"));
        assert!(e.message.contains("not an HTML document"), "{e}");
        let e = run(NO_ENTRIES, None).unwrap_err();
        assert_eq!(e.at.as_deref(), Some("div.entry_list"));
        assert!(e.message.contains("\"Opening hours\"") && e.message.contains("lists/sessions.html"), "{e}");
        let e = run(SUMMARY, None).unwrap_err();
        assert!(e.message.contains("no list of sessions"), "{e}");
        let e = run(TRUNCATED, None).unwrap_err();
        assert!(e.message.contains("entry 4 (opened at line 162)") && e.message.contains("truncated"), "{e}");
        assert!(e.at.unwrap().starts_with("line "));
        let contacts = "<!DOCTYPE html>\n<div class=\"page_header\"><div class=\"text bold\">\nContacts\n</div></div>\n\
                        <div class=\"entry_list\"><div class=\"entry\"><div class=\"name bold\">Ana</div></div></div>";
        let e = run(contacts.as_bytes(), None).unwrap_err();
        assert!(e.message.contains("\"Contacts\" page"), "{e}");
    }

    #[test]
    fn tolerated_oddities() {
        // No page header, an entry without a name, exteraGram's ASCII dash and a foreign date.
        let html = "<!DOCTYPE html>\n<div class=\"entry_list\">\n<div class=\"entry\">\n<div class=\"subname\">\nX, Y\n\
                    </div>\n</div>\n<div class=\"entry\">\n<div class=\"name bold\">\nPlus Messenger 10.2.3\n</div>\n\
                    <div class=\"subname\">\nRedmi, Android 14\n</div>\n<div class=\"details_entry\">\n\
                    198.51.100.9 - Lisboa, Portugal\n</div>\n<div class=\"details_entry\">\nLast active: Nov 25, 2026\n\
                    </div>\n</div>\n</div>\n";
        let s = run(html.as_bytes(), None).unwrap();
        assert_eq!(s.sessions.len(), 1);
        assert!(warnings_at(&s, "lists/sessions.html entry 1 (line 3)")[0].contains("no name line"));
        let one = &s.sessions[0];
        assert_eq!(one.locator, "lists/sessions.html entry 2 (line 8)");
        assert_eq!((one.ip.as_deref(), one.region.as_deref()), (Some("198.51.100.9"), Some("Lisboa")));
        assert_eq!((one.last_active.as_ref(), one.app_name.as_deref()), (None, Some("Plus Messenger")));
        let w = warnings_at(&s, &one.locator);
        assert!(w.iter().any(|m| m.contains("exteraGram")), "{w:?}");
        assert!(w.iter().any(|m| m.contains("\"Nov 25, 2026\" is not a date")), "{w:?}");
        assert!(warnings_at(&s, "lists/sessions.html")[0].contains("no page header"));
    }

    #[test]
    fn never_panics_on_any_prefix_or_damaged_byte() {
        for end in 0..SESSIONS.len() {
            let _ = run(&SESSIONS[..end], None);
        }
        for i in (0..WEB.len()).step_by(7) {
            let mut damaged = WEB.to_vec();
            damaged[i] = b"<>&\"'\n\xff"[i % 7];
            let _ = run(&damaged, Some("Europe/Madrid"));
        }
    }

    #[test]
    fn splits() {
        assert_eq!(
            split_name("Telegram Android 11.6.2"),
            (Some("Telegram Android".into()), Some("11.6.2".into()), vec![])
        );
        assert_eq!(split_name("Nicegram ").0.as_deref(), Some("Nicegram"));
        assert_eq!(split_name("Nicegram ").1, None);
        assert_eq!(split_name("Unknown 1.0").0, None);
        assert_eq!(split_name("Bot beta").1.as_deref(), Some("beta"));
        assert_eq!(split_name("Solo").0.as_deref(), Some("Solo"));
        assert_eq!(split_platform(Some(" ")), (None, None, vec![]));
        assert_eq!(split_location(Some(" – ")).0, None);
        assert_eq!(desktop_date_iso("22.01.2024 23:19:08").as_deref(), Some("2024-01-22T23:19:08"));
        for bad in [
            "",
            "22.01.2024",
            "2024-01-22 23:19:08",
            "22.1.2024 23:19:08",
            "22.01.2024 23-19-08",
            "٢٢.01.2024 23:19:08",
        ] {
            assert_eq!(desktop_date_iso(bad), None, "{bad}");
        }
    }
}
