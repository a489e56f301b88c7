//! Bounds on when a list was captured, for sources that do not say (Desktop exports, library
//! dumps, TL bodies, CSV), and the check of a capture time the examiner states
//! (`import --captured-at`). Pure: the pipeline hands in what it knows about the files.
//!
//! - Not earlier than the newest activity the list shows (a list cannot show activity after it
//!   was captured): the newest created / last-active time of a session or web session, or event
//!   of the security log. A time known to the minute or the day counts from the start of that
//!   minute or day; a local time in an unknown zone counts from the earliest instant any zone
//!   gives it (UTC+14); one read in the `--source-tz` zone from the earlier reading of a
//!   daylight-saving fold or gap.
//! - Not later than when sessionproof first received the original.
//! - A Telegram Desktop export folder is named `DataExport_YYYY-MM-DD` for the local day the export
//!   started, and the session list is fetched in that run: within that day in the PC's zone
//!   (declared with `--source-tz`, else as the export's own dates show it, else unknown: ±14 h),
//!   with [`EXPORT_MARGIN`] for the steps before the list and a daylight-saving change.

use super::IngestError;
use crate::model::capture::{Bound, CaptureWindow, CapturedAtBasis, activity_times, span};
use crate::model::snapshot::{Method, Snapshot, Time, TimeBasis, Warning};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, civil};

/// No zone is more than 14 hours from UTC.
const ANY_ZONE: i64 = 14 * 3600;
/// Slack around a Desktop export folder's day whose zone is known: the steps an export runs before
/// it fetches the session list (account data, profile pictures, contacts), and, where the zone is
/// read from the export's own dates, a daylight-saving change since the newest of them.
pub const EXPORT_MARGIN: i64 = 2 * 3600;

/// What the pipeline knows about an input beyond its parsed snapshot.
#[derive(Debug, Clone, Default)]
pub struct CaptureFacts<'a> {
    /// The Desktop export folder the original was found in, when it has one (`DataExport_2026-11-25`).
    pub export_folder: Option<&'a str>,
    /// The UTC offsets the export's own dates show ([`super::Parsed::writer_offsets`]).
    pub writer_offsets: Option<(i32, i32)>,
    /// When sessionproof first received this original (an earlier import of the same bytes),
    /// when it is being read again; `None`: now, the snapshot's `acquired_at`.
    pub first_received: Option<&'a str>,
    /// The capture time the examiner states (`--captured-at`), as given.
    pub stated: Option<&'a str>,
}

/// Records the capture-time bounds of `s` and the examiner's stated time, if any. Refuses a stated
/// time that is not RFC 3339, that is later than the original reached sessionproof, or earlier
/// than activity the list shows, and one for a source that states its own capture time.
pub fn bound_capture(s: &mut Snapshot, facts: &CaptureFacts) -> Result<(), IngestError> {
    const OPTION: &str = "--captured-at";
    if let Some(own) = &s.captured_at {
        if facts.stated.is_some() {
            return Err(IngestError::at(
                OPTION,
                format!(
                    "this {} source states its own capture time ({}); --captured-at is for sources that do not",
                    s.method.as_str(),
                    own.utc.as_deref().unwrap_or(&own.original)
                ),
            ));
        }
        return Ok(());
    }
    let now: Option<Timestamp> = s.acquired_at.parse().ok();
    let received_text = facts.first_received.unwrap_or(&s.acquired_at).to_string();
    let received: Option<Timestamp> = received_text.parse().ok();
    let (activity, left_out) = newest_activity(s, received);
    let mut window = CaptureWindow {
        not_before: activity.as_ref().map(|a| bound(a.at, format!("the newest activity the list shows: {}", a.what))),
        not_after: received.map(|_| {
            let basis = if facts.first_received.is_some() {
                "the original was first imported into the case then"
            } else {
                "sessionproof received the original then (import)"
            };
            Bound { utc: received_text.clone(), basis: basis.into() }
        }),
    };
    if left_out > 0
        && let Some(b) = window.not_before.as_mut()
    {
        let times = if left_out == 1 { "1 time".to_string() } else { format!("{left_out} times") };
        b.basis.push_str(&format!("; {times} later than the import left out (see the warnings)"));
    }
    if matches!(s.method, Method::TdesktopJson | Method::TdesktopHtml)
        && let Some((start, end)) = facts.export_folder.and_then(|f| folder_day(f, s, facts.writer_offsets))
    {
        let too_late = activity.as_ref().is_some_and(|a| a.at > end.0);
        let too_early = received.is_some_and(|r| start.0 > r);
        if too_late || too_early {
            s.warnings.push(Warning {
                locator: facts.export_folder.unwrap_or_default().to_string(),
                message: format!(
                    "the folder's date does not fit the list ({}): it was renamed, or a clock was wrong; \
                     the date is not used to bound the capture time",
                    if too_late { "the list shows activity after that day" } else { "that day is after the import" }
                ),
            });
        } else {
            if window.not_before.as_ref().is_none_or(|b| b.utc.parse::<Timestamp>().is_ok_and(|t| start.0 > t)) {
                window.not_before = Some(bound(start.0, start.1));
            }
            if window.not_after.as_ref().is_none_or(|b| b.utc.parse::<Timestamp>().is_ok_and(|t| end.0 < t)) {
                window.not_after = Some(bound(end.0, end.1));
            }
        }
    }

    if let Some(text) = facts.stated {
        let at: Timestamp = text.trim().parse().map_err(|_| {
            IngestError::at(
                OPTION,
                format!(
                    "{text:?} is not an RFC 3339 time with a zone; give e.g. 2026-11-23T10:15:00Z or 2026-11-23T11:15:00+01:00"
                ),
            )
        })?;
        if let Some(now) = now
            && at > now
        {
            return Err(IngestError::at(
                OPTION,
                format!(
                    "{text} is later than now ({}, the clock or --now): a list cannot have been captured in the future; \
                     check the date and its zone",
                    s.acquired_at
                ),
            ));
        }
        if let (Some(first), Some(r)) = (facts.first_received, received)
            && at > r
        {
            return Err(IngestError::at(
                OPTION,
                format!("{text} is later than {first}, when this original was first imported: it was captured before"),
            ));
        }
        if let Some(a) = activity.as_ref().filter(|a| at < a.at) {
            return Err(IngestError::at(
                OPTION,
                format!(
                    "{text} is earlier than {} (= {}), which the list shows: a list cannot show activity after it was \
                     captured. Check the time and its zone",
                    a.what,
                    utc(a.at)
                ),
            ));
        }
        let outside = [(&window.not_before, true), (&window.not_after, false)].into_iter().find_map(|(b, lower)| {
            let b = b.as_ref()?;
            let t: Timestamp = b.utc.parse().ok()?;
            let wrong = if lower { at < t } else { at > t };
            wrong.then_some((if lower { "earlier" } else { "later" }, b))
        });
        if let Some((word, b)) = outside {
            s.warnings.push(Warning {
                locator: OPTION.into(),
                message: format!(
                    "the stated capture time {text} is {word} than the bound {} ({}); the stated time is used",
                    b.utc, b.basis
                ),
            });
        }
        s.captured_at =
            Some(Time { utc: Some(utc(at)), original: text.to_string(), basis: TimeBasis::Offset, precision: None });
        s.captured_at_basis = Some(CapturedAtBasis::StatedByExaminer);
    }
    s.capture_window = Some(window);
    Ok(())
}

/// The newest activity a list shows.
struct Activity {
    at: Timestamp,
    /// "/sessions/list/0 last_active 2026-11-25T17:40:05Z" and how it was read.
    what: String,
}

/// The newest activity of `s` no later than `received`, and how many times were later.
fn newest_activity(s: &Snapshot, received: Option<Timestamp>) -> (Option<Activity>, usize) {
    let zone = s.source.source_tz.as_deref().and_then(|z| TimeZone::get(z).ok());
    let mut newest: Option<Activity> = None;
    let mut left_out = 0;
    for (t, locator) in activity_times(s) {
        let Some((at, how)) = earliest(t, zone.as_ref(), s.source.source_tz.as_deref()) else { continue };
        if received.is_some_and(|r| at > r) {
            left_out += 1;
            continue;
        }
        if newest.as_ref().is_none_or(|n| at > n.at) {
            newest = Some(Activity { at, what: format!("{locator} {how}") });
        }
    }
    (newest, left_out)
}

/// The earliest instant `t` can denote, and how it was read.
fn earliest(t: &Time, zone: Option<&TimeZone>, zone_name: Option<&str>) -> Option<(Timestamp, String)> {
    let wall = || {
        super::time::parse_civil_datetime(&t.original)
            .or_else(|| super::tdesktop_html::desktop_date_iso(&t.original)?.parse::<civil::DateTime>().ok())
    };
    match t.basis {
        TimeBasis::LocalUnknown => {
            let as_utc = TimeZone::UTC.to_timestamp(wall()?).ok()?;
            let at = as_utc.checked_sub(SignedDuration::from_secs(ANY_ZONE)).ok()?;
            Some((at, format!("{:?}, a local time in an unknown zone: from {} in any zone", t.original, utc(at))))
        }
        TimeBasis::LocalAssumed => {
            let zoned = zone.zip(wall()).and_then(|(z, w)| z.to_ambiguous_timestamp(w).earlier().ok());
            let at = zoned.or_else(|| span(t).map(|s| s.0))?;
            let zone = zone_name.unwrap_or("the declared zone");
            Some((at, format!("{:?}, read in {zone}{}", t.original, precision_note(t))))
        }
        TimeBasis::Unix | TimeBasis::Offset => {
            let (at, _) = span(t)?;
            let shown = if t.original == utc(at) { String::new() } else { format!(" ({:?})", t.original) };
            Some((at, format!("{}{shown}{}", utc(at), precision_note(t))))
        }
    }
}

fn precision_note(t: &Time) -> &'static str {
    match t.precision {
        Some(crate::model::snapshot::Precision::Day) => ", a day only: from the start of that day",
        Some(crate::model::snapshot::Precision::Minute) => ", to the minute",
        None => "",
    }
}

/// The start and end of the day a Desktop export folder is named for, each with its basis, or
/// `None` when the name is not `DataExport_YYYY-MM-DD` (with an optional ` (N)` suffix).
fn folder_day(
    folder: &str,
    s: &Snapshot,
    offsets: Option<(i32, i32)>,
) -> Option<((Timestamp, String), (Timestamp, String))> {
    let rest = folder.strip_prefix("DataExport_")?;
    let (date, suffix) = (rest.get(..10)?, rest.get(10..)?);
    let numbered = suffix
        .strip_prefix(" (")
        .and_then(|n| n.strip_suffix(')'))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
    if !(suffix.is_empty() || numbered) || date.len() != 10 || date.as_bytes()[4] != b'-' {
        return None;
    }
    let day: civil::Date = date.parse().ok()?;
    let (start, end) =
        (day.to_datetime(civil::Time::midnight()), day.tomorrow().ok()?.to_datetime(civil::Time::midnight()));
    let named = format!("the export folder {folder} is named for the local day the export started");
    let shift = |dt: civil::DateTime, secs: i64| -> Option<Timestamp> {
        TimeZone::UTC.to_timestamp(dt).ok()?.checked_add(SignedDuration::from_secs(secs)).ok()
    };
    let zone = s.source.source_tz.as_deref().and_then(|z| Some((z, TimeZone::get(z).ok()?)));
    match (zone, offsets) {
        (Some((name, tz)), _) => {
            let lo = tz.to_ambiguous_timestamp(start).earlier().ok()?;
            let hi = tz
                .to_ambiguous_timestamp(end)
                .later()
                .ok()?
                .checked_add(SignedDuration::from_secs(EXPORT_MARGIN))
                .ok()?;
            Some((
                (lo, format!("{named}: the start of {date} in {name} (--source-tz)")),
                (
                    hi,
                    format!(
                        "{named}: the end of {date} in {name} (--source-tz), plus 2 hours for the export's steps before the list"
                    ),
                ),
            ))
        }
        (None, Some((low, high))) => {
            let shown =
                if low == high { offset_text(low) } else { format!("{} to {}", offset_text(low), offset_text(high)) };
            let from =
                format!("at {shown}, the offset the export's own dates show (local and unix times side by side)");
            Some((
                (
                    shift(start, -i64::from(high) - EXPORT_MARGIN)?,
                    format!("{named}: the start of {date} {from}, less 2 hours for a daylight-saving change"),
                ),
                (
                    shift(end, -i64::from(low) + EXPORT_MARGIN)?,
                    format!(
                        "{named}: the end of {date} {from}, plus 2 hours for the export's steps before the list and a daylight-saving change"
                    ),
                ),
            ))
        }
        (None, None) => Some((
            (shift(start, -ANY_ZONE)?, format!("{named}: the start of {date} in an unknown zone, widened by 14 hours")),
            (shift(end, ANY_ZONE)?, format!("{named}: the end of {date} in an unknown zone, widened by 14 hours")),
        )),
    }
}

/// "UTC+01:00", "UTC-03:30".
fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let m = seconds.unsigned_abs() / 60;
    format!("UTC{sign}{:02}:{:02}", m / 60, m % 60)
}

fn bound(at: Timestamp, basis: String) -> Bound {
    Bound { utc: utc(at), basis }
}

fn utc(t: Timestamp) -> String {
    crate::clock::rfc3339(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::snapshot::{Precision, Session};

    const NOW: &str = "2026-11-30T12:00:00Z";

    fn parsed(file: &str, tz: Option<&str>) -> (Snapshot, Option<(i32, i32)>) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(file);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let opts = super::super::ParseOptions {
            file_name: file.into(),
            source_tz: tz.map(str::to_string),
            acquired_at: NOW.into(),
        };
        let p = super::super::parse(&bytes, super::super::Format::Auto, &opts).unwrap();
        (p.snapshot, p.writer_offsets)
    }

    fn window(s: &Snapshot) -> (String, String) {
        let w = s.capture_window.as_ref().unwrap();
        let show = |b: &Option<Bound>| b.as_ref().map(|b| format!("{} ({})", b.utc, b.basis)).unwrap_or_default();
        (show(&w.not_before), show(&w.not_after))
    }

    #[test]
    fn a_desktop_export_is_bounded_by_its_newest_activity_and_its_folder_day() {
        let (mut s, offsets) = parsed("demo/export/result.json", None);
        assert_eq!(offsets, Some((3600, 3600)), "the demo export's PC ran at UTC+01:00");
        let facts = CaptureFacts {
            export_folder: Some("DataExport_2026-11-25"),
            writer_offsets: offsets,
            ..Default::default()
        };
        bound_capture(&mut s, &facts).unwrap();
        let (lo, hi) = window(&s);
        assert_eq!(
            lo,
            "2026-11-25T17:40:05Z (the newest activity the list shows: /sessions/list/0 last_active 2026-11-25T17:40:05Z (\"1795628405\"))"
        );
        assert!(
            hi.starts_with("2026-11-26T01:00:00Z (the export folder DataExport_2026-11-25 is named for the local day"),
            "{hi}"
        );
        assert!(hi.contains("at UTC+01:00, the offset the export's own dates show"), "{hi}");
        assert_eq!(s.captured_at, None);

        // Without the offsets the zone is unknown: the day widened by 14 hours each way.
        let (mut s, _) = parsed("demo/export/result.json", None);
        let facts = CaptureFacts { export_folder: Some("DataExport_2026-11-25 (2)"), ..Default::default() };
        bound_capture(&mut s, &facts).unwrap();
        assert!(
            window(&s).1.starts_with("2026-11-26T14:00:00Z (the export folder DataExport_2026-11-25 (2) is named"),
            "{:?}",
            window(&s)
        );
        // A declared zone: the end of the day there, plus the margin.
        let (mut s, offsets) = parsed("demo/export/result.json", Some("America/New_York"));
        bound_capture(
            &mut s,
            &CaptureFacts {
                export_folder: Some("DataExport_2026-11-25"),
                writer_offsets: offsets,
                ..Default::default()
            },
        )
        .unwrap();
        assert!(window(&s).1.starts_with("2026-11-26T07:00:00Z ("), "{:?}", window(&s));
        // Other names say nothing.
        for name in [
            "DataExport_2026-11-25x",
            "ChatExport_2026-11-25",
            "DataExport_25-11-2026",
            "DataExport_ääää-11",
            "DataExport_",
        ] {
            let (mut s, _) = parsed("demo/export/result.json", None);
            bound_capture(&mut s, &CaptureFacts { export_folder: Some(name), ..Default::default() }).unwrap();
            assert_eq!(window(&s).1, format!("{NOW} (sessionproof received the original then (import))"), "{name}");
        }
    }

    #[test]
    fn a_folder_day_that_does_not_fit_the_list_is_not_used() {
        let (mut s, offsets) = parsed("demo/export/result.json", None);
        bound_capture(
            &mut s,
            &CaptureFacts {
                export_folder: Some("DataExport_2026-11-20"),
                writer_offsets: offsets,
                ..Default::default()
            },
        )
        .unwrap();
        assert_eq!(window(&s).1, format!("{NOW} (sessionproof received the original then (import))"));
        assert!(
            s.warnings.iter().any(|w| w.locator == "DataExport_2026-11-20" && w.message.contains("renamed")),
            "{:?}",
            s.warnings
        );
    }

    #[test]
    fn local_times_of_unknown_zone_and_day_only_times_give_looser_bounds() {
        // Telegram Desktop HTML: local times, no zone. 22.01.2024 23:19:08 could be as early as 09:19:08 UTC.
        let (mut s, _) = parsed("tdesktop-html/export/lists/sessions.html", None);
        bound_capture(&mut s, &CaptureFacts::default()).unwrap();
        let lo = window(&s).0;
        assert!(lo.contains("a local time in an unknown zone"), "{lo}");
        let newest = s
            .sessions
            .iter()
            .filter_map(|x| x.last_active.as_ref())
            .map(|t| t.original.clone())
            .max_by_key(|o| super::super::tdesktop_html::desktop_date_iso(o).unwrap());
        let wall: civil::DateTime =
            super::super::tdesktop_html::desktop_date_iso(&newest.unwrap()).unwrap().parse().unwrap();
        let expected = TimeZone::UTC.to_timestamp(wall).unwrap() - SignedDuration::from_hours(14);
        assert!(lo.starts_with(&utc(expected)), "{lo} should start at {}", utc(expected));

        // A screenshot's "Tue" is a day: the bound is the start of that day, not a moment in it.
        let mut s = Snapshot { capture_window: None, ..s };
        s.sessions = vec![Session {
            last_active: Some(Time {
                utc: Some("2026-11-24T00:00:00Z".into()),
                original: "Tue".into(),
                basis: TimeBasis::Unix,
                precision: Some(Precision::Day),
            }),
            ..Session::unknown("/sessions/0")
        }];
        s.web_sessions.clear();
        s.security_log.clear();
        bound_capture(&mut s, &CaptureFacts::default()).unwrap();
        assert_eq!(
            window(&s).0,
            "2026-11-24T00:00:00Z (the newest activity the list shows: /sessions/0 last_active 2026-11-24T00:00:00Z (\"Tue\"), a day only: from the start of that day)"
        );
        // …so a capture later that day is accepted, one the day before is not.
        let mut later = s.clone();
        bound_capture(&mut later, &CaptureFacts { stated: Some("2026-11-24T09:00:00+01:00"), ..Default::default() })
            .unwrap();
        assert_eq!(later.captured_at.as_ref().and_then(|t| t.utc.as_deref()), Some("2026-11-24T08:00:00Z"));
        let e =
            bound_capture(&mut s.clone(), &CaptureFacts { stated: Some("2026-11-23T23:00:00Z"), ..Default::default() })
                .unwrap_err();
        assert!(e.to_string().contains("is earlier than /sessions/0 last_active"), "{e}");
    }

    #[test]
    fn a_stated_capture_time_is_checked_and_recorded_as_the_examiners() {
        let (s, offsets) = parsed("diff/1-telethon-2026-11-20.json", None);
        let state = |text: &str, first: Option<&str>| {
            let mut s = s.clone();
            bound_capture(
                &mut s,
                &CaptureFacts {
                    stated: Some(text),
                    first_received: first,
                    writer_offsets: offsets,
                    ..Default::default()
                },
            )
            .map(|()| s)
        };
        let ok = state("2026-11-20T11:10:00+01:00", None).unwrap();
        assert_eq!(ok.captured_at.as_ref().unwrap().utc.as_deref(), Some("2026-11-20T10:10:00Z"));
        assert_eq!(ok.captured_at.as_ref().unwrap().original, "2026-11-20T11:10:00+01:00");
        assert_eq!(ok.captured_at_basis, Some(CapturedAtBasis::StatedByExaminer));
        assert!(ok.capture_window.is_some(), "the bounds are kept beside the stated time");
        for (text, first, expected) in [
            ("2026-11-20", None, "\"2026-11-20\" is not an RFC 3339 time with a zone"),
            ("2026-11-20T10:10:00", None, "is not an RFC 3339 time with a zone"),
            ("yesterday", None, "is not an RFC 3339 time with a zone"),
            ("2026-12-01T00:00:00Z", None, "is later than now (2026-11-30T12:00:00Z, the clock or --now)"),
            (
                "2026-11-25T00:00:00Z",
                Some("2026-11-24T00:00:00Z"),
                "is later than 2026-11-24T00:00:00Z, when this original was first imported",
            ),
            (
                "2026-11-20T09:00:00Z",
                None,
                "is earlier than /authorizations/0 last_active 2026-11-20T09:58:41Z (\"2026-11-20T09:58:41+00:00\") (= 2026-11-20T09:58:41Z), which the list shows",
            ),
        ] {
            let e = state(text, first).unwrap_err();
            assert_eq!(e.at.as_deref(), Some("--captured-at"), "{text}");
            assert!(e.message.contains(expected), "{text}: {e}");
        }
        let (mut screenshots, _) = parsed("diff/4-screenshots-2026-11-24/transcription.json", None);
        let e = bound_capture(
            &mut screenshots,
            &CaptureFacts { stated: Some("2026-11-24T10:00:00Z"), ..Default::default() },
        )
        .unwrap_err();
        assert!(e.message.contains("states its own capture time"), "{e}");
    }
}
