//! The embedded release table (`data/telegram-releases.tsv`) and how app versions are read.

use jiff::civil::Date;
use std::sync::OnceLock;

static RELEASES_TSV: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/telegram-releases.tsv"));

/// Telegram's own apps, as the release table knows them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum App {
    Android,
    Ios,
    Desktop,
    Macos,
    WebA,
    WebK,
}

impl App {
    const ALL: [App; 6] = [App::Android, App::Ios, App::Desktop, App::Macos, App::WebA, App::WebK];

    /// The key used in the data file.
    pub fn key(self) -> &'static str {
        match self {
            App::Android => "android",
            App::Ios => "ios",
            App::Desktop => "desktop",
            App::Macos => "macos",
            App::WebA => "web-a",
            App::WebK => "web-k",
        }
    }

    /// The name shown in findings.
    pub fn name(self) -> &'static str {
        match self {
            App::Android => "Telegram Android",
            App::Ios => "Telegram iOS",
            App::Desktop => "Telegram Desktop",
            App::Macos => "Telegram macOS",
            App::WebA => "Telegram Web A",
            App::WebK => "Telegram Web K",
        }
    }
}

/// Where rows come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub id: String,
    /// Telegram's own publication (or a package shipping it), rather than a secondary source.
    pub official: bool,
    pub description: String,
}

/// One dated release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Release {
    pub app: App,
    /// As written in the table, e.g. `5.0` or `5.9.0`.
    pub version: String,
    pub line: (u32, u32),
    /// Released no later than this day.
    pub date: Date,
    /// Index into [`ReleaseTable::sources`].
    pub source: usize,
}

/// The parsed release table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseTable {
    pub sources: Vec<Source>,
    /// The earliest row of every (app, line), ordered by app then line.
    pub lines: Vec<Release>,
}

impl ReleaseTable {
    /// Parses the tab-separated table; an error names the line and what to fix.
    pub fn parse(text: &str) -> Result<ReleaseTable, String> {
        let mut sources: Vec<Source> = Vec::new();
        let mut lines: Vec<Release> = Vec::new();
        for (n, raw) in text.lines().enumerate().map(|(i, l)| (i + 1, l)) {
            if raw.trim().is_empty() || raw.starts_with('#') {
                continue;
            }
            let cols: Vec<&str> = raw.split('\t').collect();
            match cols.as_slice() {
                ["source", id, grade, description] => {
                    let official = match *grade {
                        "official" => true,
                        "secondary" => false,
                        other => return Err(format!("line {n}: grade {other:?}; expected official or secondary")),
                    };
                    if sources.iter().any(|s| s.id == *id) {
                        return Err(format!("line {n}: source {id:?} is defined twice"));
                    }
                    sources.push(Source { id: id.to_string(), official, description: description.to_string() });
                }
                ["release", app, version, date, source] => {
                    let app = App::ALL.into_iter().find(|a| a.key() == *app).ok_or_else(|| {
                        format!("line {n}: app {app:?}; expected one of android, ios, desktop, macos, web-a, web-k")
                    })?;
                    let line = parse_line(version)
                        .filter(|_| version.split('.').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())))
                        .ok_or_else(|| format!("line {n}: version {version:?}; expected digits and dots, e.g. 5.7"))?;
                    let date: Date =
                        date.parse().map_err(|e| format!("line {n}: date {date:?} ({e}); expected YYYY-MM-DD"))?;
                    let source = sources
                        .iter()
                        .position(|s| s.id == *source)
                        .ok_or_else(|| format!("line {n}: source {source:?} is not defined above it"))?;
                    let row = Release { app, version: version.to_string(), line, date, source };
                    match lines.iter_mut().find(|r| r.app == app && r.line == line) {
                        Some(r) if r.date > date => *r = row,
                        Some(_) => {}
                        None => lines.push(row),
                    }
                }
                _ => {
                    return Err(format!(
                        "line {n}: expected `source<TAB>id<TAB>grade<TAB>description` or \
                         `release<TAB>app<TAB>version<TAB>YYYY-MM-DD<TAB>source`"
                    ));
                }
            }
        }
        lines.sort_by_key(|r| (r.app, r.line));
        Ok(ReleaseTable { sources, lines })
    }

    /// The table compiled into sessionproof, parsed once.
    pub fn embedded() -> Result<&'static ReleaseTable, &'static str> {
        static TABLE: OnceLock<Result<ReleaseTable, String>> = OnceLock::new();
        TABLE
            .get_or_init(|| ReleaseTable::parse(RELEASES_TSV).map_err(|e| format!("data/telegram-releases.tsv, {e}")))
            .as_ref()
            .map_err(String::as_str)
    }

    /// The lines of one app, oldest line first.
    /// The table as a data source the report cites: its sources, the newest release it knows of
    /// per app (so a reader sees where it ends), and the hash of the embedded text.
    pub fn data_source(&self) -> crate::model::enrichment::DataSource {
        let newest: Vec<String> = App::ALL
            .iter()
            .filter_map(|&app| {
                let last = self.lines_of(app).max_by_key(|r| r.date)?;
                Some(format!("{} {} ({})", app.name(), last.version, last.date))
            })
            .collect();
        let end = self.lines.iter().map(|r| r.date).max();
        crate::model::enrichment::DataSource {
            id: "embedded-releases".into(),
            name: format!(
                "Dated releases of Telegram's official apps, for app-outdated (newest known: {}; apps without a row \
                 are not evaluated)",
                newest.join(", ")
            ),
            version: end.map(|d| d.to_string()),
            build_date: end.map(|d| d.to_string()),
            licence: Some("facts compiled by sessionproof".into()),
            attribution: Some(
                self.sources
                    .iter()
                    .map(|s| format!("{}{}", s.description, if s.official { "" } else { " (secondary source)" }))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            sha256: Some(crate::digest::sha256_hex(RELEASES_TSV.as_bytes())),
            kind: "embedded".into(),
            path: Some("data/telegram-releases.tsv (embedded)".into()),
            database_type: None,
            layers: Vec::new(),
        }
    }

    pub fn lines_of(&self, app: App) -> impl Iterator<Item = &Release> {
        self.lines.iter().filter(move |r| r.app == app)
    }

    /// How a row's source reads in a finding.
    pub(super) fn cite(&self, r: &Release) -> String {
        let s = &self.sources[r.source];
        let grade = if s.official { "" } else { " (secondary source)" };
        format!("{}{grade}", s.description)
    }
}

/// The release line (major, minor) of a version number such as `10.14.5` or `12`.
fn parse_line(number: &str) -> Option<(u32, u32)> {
    let mut parts = number.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next().map_or(Some(0), |p| p.parse().ok())?;
    let rest: Vec<&str> = parts.collect();
    (rest.len() <= 2 && rest.iter().all(|p| p.parse::<u32>().is_ok())).then_some((major, minor))
}

/// Reads an `app_version` as the apps write it: a dotted number, then optionally a build number
/// in parentheses and short words (Android `10.14.5 (4883)`, Desktop `5.8.3 x64` or
/// `5.10.7 Snap`, macOS `11.5 APPSTORE`, Web `2.1.0 K`). Returns the release line and the
/// trailing words; `None` for any other shape.
pub fn parse_app_version(v: &str) -> Option<((u32, u32), Vec<&str>)> {
    let mut words = v.split_whitespace();
    let number = words.next()?;
    if !number.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let line = parse_line(number)?;
    let rest: Vec<&str> = words.collect();
    let build = |w: &str| {
        w.strip_prefix('(')
            .and_then(|w| w.strip_suffix(')'))
            .is_some_and(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit()))
    };
    let word = |w: &str| w.len() <= 12 && w.bytes().all(|b| b.is_ascii_alphanumeric());
    (rest.len() <= 3 && rest.iter().all(|w| build(w) || word(w))).then_some((line, rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_as_the_apps_write_them() {
        assert_eq!(parse_app_version("10.14.5 (4883)"), Some(((10, 14), vec!["(4883)"])));
        assert_eq!(parse_app_version("5.8.3 x64"), Some(((5, 8), vec!["x64"])));
        assert_eq!(parse_app_version("5.10.7 Snap"), Some(((5, 10), vec!["Snap"])));
        assert_eq!(parse_app_version("11.5 APPSTORE"), Some(((11, 5), vec!["APPSTORE"])));
        assert_eq!(parse_app_version("2.1.0 K"), Some(((2, 1), vec!["K"])));
        assert_eq!(parse_app_version("12"), Some(((12, 0), vec![])));
        for bad in ["", "x64", "5.8.3-beta", "5.8.3 (12a)", "1.0 <b>bold</b>", "5.", ".5", "1.2.3.4.5", "99999999999.1"]
        {
            assert_eq!(parse_app_version(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_table_is_cited_with_where_it_ends_and_its_hash() {
        let source = ReleaseTable::embedded().unwrap().data_source();
        assert_eq!(source.id, "embedded-releases");
        assert!(source.name.contains("Telegram Desktop 5.9.0 (2024-12-04)"), "{}", source.name);
        assert!(source.name.contains("apps without a row are not evaluated"), "{}", source.name);
        assert_eq!(source.version.as_deref(), Some("2024-12-04"), "the newest row dates the table");
        assert_eq!(source.sha256, Some(crate::digest::sha256_hex(RELEASES_TSV.as_bytes())));
        assert!(source.attribution.unwrap().contains("(secondary source)"));
    }

    #[test]
    fn the_embedded_table_loads_and_counts_a_line_from_its_earliest_row() {
        let t = ReleaseTable::embedded().unwrap();
        for app in [App::Android, App::Ios, App::Desktop, App::Macos] {
            assert!(t.lines_of(app).count() >= 2, "{}", app.name());
        }
        assert_eq!(t.lines_of(App::WebA).count() + t.lines_of(App::WebK).count(), 0);
        let five = t.lines_of(App::Desktop).find(|r| r.line == (5, 0)).unwrap();
        assert_eq!((five.version.as_str(), five.date.to_string().as_str()), ("5.0", "2024-05-02"));
        assert!(t.sources[five.source].official);
        let t = ReleaseTable::parse(
            "source\ts\tofficial\tS\nrelease\tandroid\t1.2.9\t2020-03-01\ts\nrelease\tandroid\t1.2\t2020-01-01\ts\n\
             release\tandroid\t1.2.1\t2020-02-01\ts\n",
        )
        .unwrap();
        assert_eq!(t.lines.len(), 1);
        assert_eq!(t.lines[0].version, "1.2");
    }

    #[test]
    fn table_errors_name_the_line_and_the_fix() {
        let bad = |text: &str, want: &str| {
            let e = ReleaseTable::parse(text).unwrap_err();
            assert!(e.contains(want), "{e}");
        };
        let src = "source\ts\tofficial\tS\n";
        bad(&format!("{src}release\tandroid\t1.2\t2020-13-01\ts\n"), "line 2: date \"2020-13-01\"");
        bad(&format!("{src}release\tandroid\t1.2\t2020-01-01\tnope\n"), "line 2: source \"nope\" is not defined");
        bad(&format!("{src}release\twindows\t1.2\t2020-01-01\ts\n"), "line 2: app \"windows\"");
        bad(&format!("{src}release\tandroid\t1.2 beta\t2020-01-01\ts\n"), "line 2: version \"1.2 beta\"");
        bad(&format!("{src}release\tandroid\t1.2\n"), "line 2: expected");
        bad("source\ts\tmaybe\tS\n", "line 1: grade \"maybe\"");
        bad(&format!("{src}{src}"), "line 2: source \"s\" is defined twice");
    }
}
