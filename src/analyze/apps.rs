//! The two app signals: `app-unofficial` names the client a session reports, and `app-outdated`
//! measures an official app's version against an embedded, dated table of Telegram's releases
//! (`data/telegram-releases.tsv`, which says where every row comes from).
//!
//! The rule of `app-outdated`: an official app's version is outdated when a newer release line
//! (major.minor) of the same app was out at least [`OUTDATED_AFTER_DAYS`] days before the
//! acquisition. A line counts from its earliest dated row; the table holds only rows checked
//! against a source, so a gap can make the signal fire less often, never more.

use crate::model::finding::{Facts, SignalResult, SignalStatus};
use crate::model::snapshot::{Precision, Session, Snapshot};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use std::borrow::Cow;

/// A newer line must have been out this long before the acquisition for the signal to fire.
pub const OUTDATED_AFTER_DAYS: i32 = 365;

mod table;

/// The embedded release table as a data source for the report's list of sources; `None` if the
/// table does not load (app-outdated then says so for every session).
pub fn releases_source() -> Option<crate::model::enrichment::DataSource> {
    table::ReleaseTable::embedded().ok().map(|t| t.data_source())
}

pub use table::{App, Release, ReleaseTable, Source, parse_app_version};

/// Which of Telegram's own apps an `app_name` (and, for the web, the version's last letter) names.
/// `Err(())` for the web app when the version does not say whether it is Web A or Web K.
pub fn official_app(name: &str, version: Option<&str>) -> Option<Result<App, ()>> {
    let app = match name.trim().to_lowercase().as_str() {
        "telegram android" => App::Android,
        "telegram ios" => App::Ios,
        "telegram desktop" => App::Desktop,
        "telegram macos" => App::Macos,
        "telegram web a" | "telegram weba" | "telegram webz" | "telegram web z" => App::WebA,
        "telegram web k" | "telegram webk" => App::WebK,
        // Telegram Web reports itself as "Telegram Web" with the client's letter after the version
        // ("2.1.0 K"); Z was Web A's earlier name.
        "telegram web" => {
            return Some(match version.and_then(|v| v.split_whitespace().last()) {
                Some("K" | "k") => Ok(App::WebK),
                Some("A" | "a" | "Z" | "z") => Ok(App::WebA),
                _ => Err(()),
            });
        }
        _ => return None,
    };
    Some(Ok(app))
}

/// A third-party client: what its `app_name` starts with (lower case) and how findings name it.
/// Each reuses Telegram's API with its own code.
const THIRD_PARTY: &[(&str, &str)] = &[
    ("nicegram", "Nicegram"),
    ("unigram", "Unigram"),
    ("plus messenger", "Plus Messenger"),
    ("exteragram", "exteraGram"),
    ("forkgram", "Forkgram"),
    ("kotatogram", "Kotatogram"),
    ("64gram", "64Gram"),
    ("ayugram", "AyuGram"),
    ("swiftgram", "Swiftgram"),
    ("turrit", "Turrit"),
    ("nekogram", "Nekogram"),
    ("mdgram", "MDgram"),
];

/// Telegram X is published by Telegram itself but is not one of its main apps (Android, iOS,
/// Desktop, macOS, Web). `app-unofficial` does not fire for it on its name alone: calling an app
/// Telegram publishes "unofficial" would be a statement the report could not defend. Its reason
/// names it, so the reader can ask whether the owner uses it; Telegram's own `official_app =
/// false` still fires, as for any app.
const TELEGRAM_X: &str = "telegram x";

/// Whether `name` (lower case) is `needle` or starts with it followed by a non-alphanumeric.
fn names(name: &str, needle: &str) -> bool {
    name.strip_prefix(needle).is_some_and(|rest| !rest.starts_with(|c: char| c.is_alphanumeric()))
}

/// How a session's app is classified by its name alone.
#[derive(Clone, Copy)]
enum Named {
    Official,
    TelegramX,
    ThirdParty(&'static str),
    Unknown,
}

fn named(name: &str) -> Named {
    let lower = name.trim().to_lowercase();
    if let Some((_, shown)) = THIRD_PARTY.iter().find(|(needle, _)| names(&lower, needle)) {
        Named::ThirdParty(shown)
    } else if names(&lower, TELEGRAM_X) {
        Named::TelegramX
    } else if official_app(&lower, None).is_some() {
        Named::Official
    } else {
        Named::Unknown
    }
}

fn signal(id: &'static str, status: SignalStatus, reason: impl Into<Cow<'static, str>>) -> SignalResult {
    SignalResult { id, status, reason: reason.into(), facts: Facts::default() }
}

fn with(mut r: SignalResult, facts: Vec<(&'static str, String)>) -> SignalResult {
    r.facts = Facts(facts);
    r
}

/// `app-unofficial`: Telegram's own `official_app = false`, or an app name that is not one of
/// Telegram's apps. Known third-party clients are named as such.
pub fn app_unofficial(s: &Session) -> SignalResult {
    const ID: &str = "app-unofficial";
    let raw = s.app_name.clone().unwrap_or_default();
    let kind = s.app_name.as_deref().map(named);
    let client = match kind {
        Some(Named::ThirdParty(shown)) => Some(format!("{shown} (third-party client)")),
        Some(Named::TelegramX) => Some("Telegram X (published by Telegram, not one of its main apps)".to_string()),
        _ => None,
    };
    if s.official_app == Some(false) {
        let mut facts = vec![("official_app", "false".to_string()), ("app_name", raw)];
        facts.extend(client.map(|c| ("client", c)));
        return with(
            signal(ID, SignalStatus::Fired, "Telegram marks this session's app as not official (official_app = false)"),
            facts,
        );
    }
    let Some(kind) = kind else {
        return signal(
            ID,
            SignalStatus::NotEvaluated,
            "the source gives neither the app's name nor Telegram's official-app flag",
        );
    };
    let shown = client.unwrap_or_default();
    match kind {
        Named::ThirdParty(name) => with(
            signal(
                ID,
                SignalStatus::Fired,
                format!(
                    "{name} (third-party client): a Telegram client by another developer, not one of Telegram's official apps"
                ),
            ),
            vec![("app_name", raw), ("client", shown)],
        ),
        Named::TelegramX => with(
            signal(
                ID,
                SignalStatus::Clear,
                "Telegram X: published by Telegram itself, but not one of its main apps (Android, iOS, Desktop, \
                 macOS, Web); check that the owner uses it",
            ),
            vec![("app_name", raw), ("client", shown)],
        ),
        // Clear results are static text: a large case holds one per session (the name is in the session).
        Named::Official if s.official_app == Some(true) => {
            signal(ID, SignalStatus::Clear, "the name of an official Telegram app, and Telegram marks it official")
        }
        Named::Official => signal(ID, SignalStatus::Clear, "the name of an official Telegram app"),
        Named::Unknown => with(
            signal(ID, SignalStatus::Fired, format!("{raw:?} is not the name of an official Telegram app")),
            vec![("app_name", raw)],
        ),
    }
}

/// The day an acquisition is measured at, and what that day is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Acquisition {
    pub date: Date,
    /// E.g. `2026-11-26 (when the source captured the list)`.
    pub shown: String,
}

/// When the list was captured, as a day: the stated capture time (the source's or the
/// examiner's) when it is known to better than a day; otherwise the earliest the list can have
/// been captured, so an app is never called outdated by releases that may have come later.
pub fn acquisition_time(snap: &Snapshot) -> Option<Acquisition> {
    let day = |t: Timestamp| t.to_zoned_datetime(TimeZone::UTC).date();
    let captured = snap
        .captured_at
        .as_ref()
        .filter(|t| t.precision != Some(Precision::Day))
        .and_then(|t| t.utc.as_deref()?.parse::<Timestamp>().ok());
    if let Some(t) = captured {
        let date = day(t);
        let by = if snap.captured_at_basis == Some(crate::model::capture::CapturedAtBasis::StatedByExaminer) {
            "when the examiner states the list was captured"
        } else {
            "when the source captured the list"
        };
        return Some(Acquisition { date, shown: format!("{date} ({by})") });
    }
    let t = crate::model::capture::Capture::of(snap).earliest()?;
    let date = day(t);
    Some(Acquisition {
        date,
        shown: format!("{date} (the earliest the list can have been captured; the source records no capture time)"),
    })
}

/// `app-outdated`: see the module documentation for the rule.
pub fn app_outdated(s: &Session, at: Option<&Acquisition>) -> SignalResult {
    const ID: &str = "app-outdated";
    let not_evaluated = |reason: Cow<'static, str>, facts: Vec<(&'static str, String)>| {
        with(signal(ID, SignalStatus::NotEvaluated, reason), facts)
    };
    let Some(name) = s.app_name.as_deref() else {
        return not_evaluated("the source gives no app name".into(), vec![]);
    };
    let version = s.app_version.as_deref();
    let app = match official_app(name, version) {
        _ if s.official_app == Some(false) => None,
        Some(Ok(app)) => Some(app),
        Some(Err(())) => {
            return not_evaluated(
                "whether this is Telegram Web A or Web K cannot be told from the version".into(),
                vec![("app_name", name.into()), ("app_version", version.unwrap_or_default().into())],
            );
        }
        None => None,
    };
    let Some(app) = app else {
        return not_evaluated("not an official app; see app-unofficial".into(), vec![]);
    };
    let table = match ReleaseTable::embedded() {
        Ok(t) => t,
        Err(e) => return not_evaluated(format!("the release table could not be read: {e}").into(), vec![]),
    };
    if table.lines_of(app).next().is_none() {
        return not_evaluated(
            format!("the release table has no dated release of {} to compare with", app.name()).into(),
            vec![("app", app.name().into())],
        );
    }
    let Some(version) = version.filter(|v| !v.trim().is_empty()) else {
        return not_evaluated("the source gives no app version".into(), vec![("app", app.name().into())]);
    };
    let Some((line, _)) = parse_app_version(version) else {
        return not_evaluated(
            format!("version {version:?} is not in a shape sessionproof reads (a dotted number, then a build or short words)")
                .into(),
            vec![("app", app.name().into()), ("app_version", version.into())],
        );
    };
    let Some(at) = at else {
        return not_evaluated("the acquisition time is unknown".into(), vec![("app", app.name().into())]);
    };
    let days_before = |r: &Release| r.date.until(at.date).map(|span| span.get_days()).unwrap_or(i32::MIN);
    // The newer line that came out first: the longest time this version has been behind.
    let first_newer = table.lines_of(app).filter(|r| r.line > line).min_by_key(|r| (r.date, r.line));
    match first_newer {
        Some(r) if days_before(r) >= OUTDATED_AFTER_DAYS => {
            let days = days_before(r);
            with(
                signal(
                    ID,
                    SignalStatus::Fired,
                    format!(
                        "{} {version}: the newer line {}.{} was out by {}, {days} days before the acquisition \
                         ({OUTDATED_AFTER_DAYS} or more): consistent with an app not updated for {days} days",
                        app.name(),
                        r.line.0,
                        r.line.1,
                        r.date
                    ),
                ),
                vec![
                    ("app", app.name().into()),
                    ("app_version", version.into()),
                    ("newer_release", format!("{} ({})", r.version, r.date)),
                    ("newer_release_source", table.cite(r)),
                    ("acquired", at.shown.clone()),
                    ("days_behind", days.to_string()),
                ],
            )
        }
        Some(r) if r.date > at.date => signal(
            ID,
            SignalStatus::Clear,
            format!(
                "no newer release line of {} in the release table had come out by the acquisition ({})",
                app.name(),
                at.date
            ),
        ),
        Some(r) => signal(
            ID,
            SignalStatus::Clear,
            format!(
                "the first newer line of {} in the release table, {}.{} (out by {}), came out {} days before the \
                 acquisition: less than {OUTDATED_AFTER_DAYS}",
                app.name(),
                r.line.0,
                r.line.1,
                r.date,
                days_before(r)
            ),
        ),
        // Static text: the common case in a large case (the version is in the session).
        None => signal(ID, SignalStatus::Clear, "not behind any release line of this app in the release table"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::snapshot::{Time, TimeBasis};
    use SignalStatus::{Clear, Fired, NotEvaluated};

    fn session(app: Option<&str>, version: Option<&str>, official: Option<bool>) -> Session {
        Session {
            app_name: app.map(Into::into),
            app_version: version.map(Into::into),
            official_app: official,
            ..Session::unknown("/x")
        }
    }

    /// (app_name, app_version, acquisition day, status, newer release, days behind)
    type OutdatedCase<'a> = (&'a str, &'a str, &'a str, SignalStatus, Option<&'a str>, Option<&'a str>);
    /// (app_name, official_app, status, "client" fact)
    type UnofficialCase<'a> = (Option<&'a str>, Option<bool>, SignalStatus, Option<&'a str>);

    fn on(day: &str) -> Acquisition {
        Acquisition { date: day.parse().unwrap(), shown: format!("{day} (test)") }
    }

    #[test]
    fn app_outdated_by_the_rule() {
        let cases: &[OutdatedCase] = &[
            // Desktop: 5.0 was out by 2024-05-02, 938 days before 2026-11-26.
            ("Telegram Desktop", "4.16.8 x64", "2026-11-26", Fired, Some("5.0 (2024-05-02)"), Some("938")),
            ("telegram desktop", "3.1.11 x64", "2026-11-26", Fired, Some("3.2 (2021-11-03)"), Some("1849")),
            // No line newer than 5.10 is in the table: clear.
            ("Telegram Desktop", "5.10.7 Snap", "2026-11-26", Clear, None, None),
            // Exactly 365 days after 5.7 was out: fires; one day earlier: clear.
            ("Telegram Desktop", "5.6.3 x64", "2025-10-31", Fired, Some("5.7 (2024-10-31)"), Some("365")),
            ("Telegram Desktop", "5.6.3 x64", "2025-10-30", Clear, None, None),
            // 5.9 (a secondary source's row) is the first newer line of 5.8.
            ("Telegram Desktop", "5.8.3 x64", "2026-11-26", Fired, Some("5.9.0 (2024-12-04)"), Some("722")),
            // Current, and newer than every row.
            ("Telegram Desktop", "6.5.1 x64", "2026-11-26", Clear, None, None),
            ("Telegram Desktop", "7.0", "2026-11-26", Clear, None, None),
            // Android: "10.14.5 (4883)" is behind 11.5 (by 2024-12-04).
            ("Telegram Android", "10.14.5 (4883)", "2026-11-26", Fired, Some("11.5.1 (2024-12-04)"), Some("722")),
            ("Telegram Android", "10.8.0", "2025-06-01", Fired, Some("10.9.1 (2024-03-04)"), Some("454")),
            ("Telegram Android", "11.6.2", "2026-11-26", Clear, None, None),
            ("Telegram Android", "12.1.1", "2026-11-26", Clear, None, None),
            // iOS with a build number; a version of a release line the table lists is current.
            ("Telegram iOS", "10.2 (27731)", "2026-11-26", Fired, Some("10.9.1 (2024-03-06)"), Some("995")),
            ("Telegram iOS", "11.5 (29840)", "2026-11-26", Clear, None, None),
            // macOS from the App Store.
            ("Telegram macOS", "10.8 APPSTORE", "2026-11-26", Fired, Some("10.9 (2024-03-05)"), Some("996")),
            ("Telegram macOS", "11.5 APPSTORE", "2026-11-26", Clear, None, None),
            // Behind, but not yet for a year; and an acquisition before the newer line came out.
            ("Telegram macOS", "11.1", "2025-06-01", Clear, None, None),
            ("Telegram Desktop", "4.16.8 x64", "2024-04-15", Clear, None, None),
            // The web apps have no dated rows; the letter after the version tells which one.
            ("Telegram Web", "2.1.0 K", "2026-11-26", NotEvaluated, None, None),
            ("Telegram WebA", "10.9.29 A", "2026-11-26", NotEvaluated, None, None),
            ("Telegram Web", "2.1.0", "2026-11-26", NotEvaluated, None, None),
            // Unparseable versions.
            ("Telegram Desktop", "1.0 <b>bold</b>", "2026-11-26", NotEvaluated, None, None),
            ("Telegram Android", "v10.14", "2026-11-26", NotEvaluated, None, None),
            ("Telegram Android", "10..14", "2026-11-26", NotEvaluated, None, None),
            ("Telegram Android", "", "2026-11-26", NotEvaluated, None, None),
            // Not official apps.
            ("Nicegram", "1.8.0", "2026-11-26", NotEvaluated, None, None),
            ("Evil Client", "4.0", "2026-11-26", NotEvaluated, None, None),
            ("Telegram X", "0.26.8", "2026-11-26", NotEvaluated, None, None),
        ];
        for (app, version, day, status, newer, days) in cases {
            let r = app_outdated(&session(Some(app), Some(version), None), Some(&on(day)));
            let case = format!("{app} {version:?} on {day}: {}", r.reason);
            assert_eq!(r.status, *status, "{case}");
            assert_eq!(r.facts.get("newer_release"), *newer, "{case}");
            assert_eq!(r.facts.get("days_behind"), *days, "{case}");
            if r.status == Fired {
                assert!(r.reason.contains(&format!("consistent with an app not updated for {} days", days.unwrap())));
                assert_eq!(r.facts.get("app_version"), Some(*version));
                assert_eq!(r.facts.get("acquired"), Some(format!("{day} (test)").as_str()));
                assert!(r.facts.get("newer_release_source").is_some_and(|s| !s.is_empty()), "{case}");
            }
        }
        let cite = |version: &str| {
            let r = app_outdated(&session(Some("Telegram Desktop"), Some(version), None), Some(&on("2026-11-26")));
            r.facts.get("newer_release_source").unwrap().to_string()
        };
        assert!(cite("5.8.3").ends_with("(secondary source)"), "{}", cite("5.8.3"));
        assert!(cite("4.16.8").contains("Debian package telegram-desktop"), "{}", cite("4.16.8"));
        let early = app_outdated(&session(Some("Telegram Desktop"), Some("4.16.8"), None), Some(&on("2024-04-15")));
        assert!(early.reason.contains("had come out by the acquisition (2024-04-15)"), "{}", early.reason);
        let young = app_outdated(&session(Some("Telegram macOS"), Some("11.1"), None), Some(&on("2025-06-01")));
        assert!(young.reason.contains("11.5 (out by 2024-12-04), came out 179 days before"), "{}", young.reason);
    }

    #[test]
    fn app_outdated_says_why_it_cannot_evaluate() {
        let at = on("2026-11-26");
        let reason = |s: &Session, at: Option<&Acquisition>| {
            let r = app_outdated(s, at);
            assert_eq!(r.status, NotEvaluated, "{}", r.reason);
            r
        };
        let r = reason(&session(Some("Telegram Desktop"), Some("1.0 <b>bold</b>"), None), Some(&at));
        assert_eq!(r.facts.get("app_version"), Some("1.0 <b>bold</b>"), "the string is kept in the facts");
        let r = reason(&session(Some("Telegram Web"), Some("2.1.0 K"), None), Some(&at));
        assert!(r.reason.contains("Telegram Web K"), "{}", r.reason);
        let r = reason(&session(Some("Telegram Web"), Some("2.1.0"), None), Some(&at));
        assert!(r.reason.contains("Web A or Web K"), "{}", r.reason);
        let r = reason(&session(Some("Nicegram"), Some("1.8.0"), None), Some(&at));
        assert_eq!(r.reason, "not an official app; see app-unofficial");
        let r = reason(&session(Some("Telegram Android"), Some("10.0"), Some(false)), Some(&at));
        assert_eq!(r.reason, "not an official app; see app-unofficial", "Telegram's own flag wins");
        let r = reason(&session(Some("Telegram Android"), Some("10.0"), None), None);
        assert_eq!(r.reason, "the acquisition time is unknown");
        let r = reason(&session(Some("Telegram Android"), None, None), Some(&at));
        assert_eq!(r.reason, "the source gives no app version");
        let r = reason(&session(None, Some("10.0"), None), Some(&at));
        assert_eq!(r.reason, "the source gives no app name");
    }

    #[test]
    fn acquisition_time_prefers_the_sources_capture_time() {
        let mut snap: Snapshot = serde_json::from_value(serde_json::json!({
            "schema": "sessionproof/snapshot/v1", "acquired_at": "2026-11-26T12:00:00Z", "captured_at": null,
            "method": "tdesktop-json",
            "source": {"sha256": "0", "file_name": "x", "bytes": 0, "tool": null, "source_tz": null, "companions": []},
            "account": {}, "sessions": [], "web_sessions": [], "security_log": [], "warnings": []
        }))
        .unwrap_or_else(|e| panic!("a minimal snapshot: {e}"));
        assert_eq!(acquisition_time(&snap), None, "nothing bounds the capture time from below");
        snap.capture_window = Some(crate::model::capture::CaptureWindow {
            not_before: Some(crate::model::capture::Bound { utc: "2026-11-24T23:00:00Z".into(), basis: "x".into() }),
            not_after: Some(crate::model::capture::Bound { utc: "2026-11-26T12:00:00Z".into(), basis: "y".into() }),
        });
        let got = acquisition_time(&snap).unwrap();
        assert_eq!(got.date.to_string(), "2026-11-24", "the earliest possible day, not the import's");
        assert!(got.shown.contains("the earliest the list can have been captured"), "{}", got.shown);
        let time = |utc: &str, precision| Time {
            utc: Some(utc.into()),
            original: utc.into(),
            basis: TimeBasis::Unix,
            precision,
        };
        snap.captured_at = Some(time("2025-01-02T23:59:00Z", None));
        let got = acquisition_time(&snap).unwrap();
        assert_eq!(got.date.to_string(), "2025-01-02");
        assert!(got.shown.contains("captured"), "{}", got.shown);
        snap.captured_at_basis = Some(crate::model::capture::CapturedAtBasis::StatedByExaminer);
        assert!(acquisition_time(&snap).unwrap().shown.contains("when the examiner states"));
        snap.captured_at = Some(time("2025-01-02T00:00:00Z", Some(Precision::Day)));
        let got = acquisition_time(&snap).unwrap();
        assert_eq!(got.date.to_string(), "2025-01-02", "a stated day: its start is the earliest");
        assert!(got.shown.contains("the earliest the list can have been captured"), "{}", got.shown);
        snap.capture_window = None;
        snap.captured_at = None;
        assert_eq!(acquisition_time(&snap), None);
    }

    #[test]
    fn app_unofficial_names_third_party_clients() {
        let cases: &[UnofficialCase] = &[
            (Some("Telegram Android"), None, Clear, None),
            (Some("Telegram Desktop"), Some(true), Clear, None),
            (Some("Nicegram"), None, Fired, Some("Nicegram (third-party client)")),
            (Some("NICEGRAM 1.8"), None, Fired, Some("Nicegram (third-party client)")),
            (Some("Plus Messenger"), None, Fired, Some("Plus Messenger (third-party client)")),
            (Some("exteraGram"), None, Fired, Some("exteraGram (third-party client)")),
            (Some("Unigram"), Some(true), Fired, Some("Unigram (third-party client)")),
            (Some("Telegram X"), None, Clear, Some("Telegram X (published by Telegram, not one of its main apps)")),
            (
                Some("Telegram X"),
                Some(false),
                Fired,
                Some("Telegram X (published by Telegram, not one of its main apps)"),
            ),
            (Some("Telegram Xtra"), None, Fired, None),
            (Some("Evil Client"), None, Fired, None),
            (Some("Telegram Android"), Some(false), Fired, None),
            (Some("Nicegram"), Some(false), Fired, Some("Nicegram (third-party client)")),
            (None, Some(false), Fired, None),
            (None, None, NotEvaluated, None),
        ];
        for (name, official, status, client) in cases {
            let r = app_unofficial(&session(*name, None, *official));
            let case = format!("{name:?} official_app={official:?}: {}", r.reason);
            assert_eq!(r.status, *status, "{case}");
            assert_eq!(r.facts.get("client"), *client, "{case}");
            if let Some(shown) = client.filter(|_| *official != Some(false)) {
                assert!(r.reason.starts_with(shown.split(" (").next().unwrap()), "{case}");
            }
            if *official == Some(false) {
                assert_eq!(r.facts.get("official_app"), Some("false"), "{case}");
            }
        }
    }
}
