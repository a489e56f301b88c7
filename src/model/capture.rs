//! When a session list was captured from Telegram, and which of two lists came first.
//!
//! A live capture and a transcription's screenshots state their capture time; the examiner may
//! state it (`import --captured-at`). Every other source gets bounds at import (recorded in the
//! snapshot as [`CaptureWindow`]): not earlier than the newest activity the list shows, not later
//! than when sessionproof first received it (tightened by a Desktop export folder's date).
//! Two acquisitions are in a known order only when one's latest possible capture time is before
//! the other's earliest; otherwise nothing is claimed to have vanished or come back between them.

use super::snapshot::{Precision, Snapshot, Time, TimeBasis};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

/// Bounds on when a list was captured, for a source that does not state it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaptureWindow {
    /// The list cannot have been captured earlier (it shows activity up to then).
    pub not_before: Option<Bound>,
    /// The list cannot have been captured later (sessionproof had it by then).
    pub not_after: Option<Bound>,
}

/// One bound of a [`CaptureWindow`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Bound {
    /// RFC 3339 UTC.
    pub utc: String,
    /// What sets it, naming the field, file or time it rests on.
    pub basis: String,
}

/// Who states a snapshot's `captured_at`. Absent from a snapshot: the source itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CapturedAtBasis {
    /// The source records it (a live capture, a transcription's screenshots).
    Source,
    /// The examiner stated it (`import --captured-at`), e.g. from the file's date or the owner's words.
    StatedByExaminer,
}

/// A snapshot that reads again, with other options, an original an earlier snapshot read.
/// It supersedes that snapshot for analysis; both stay in the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reread {
    /// The earlier snapshot of the same original (`snapshots/0001.json`).
    pub snapshot: String,
    /// That snapshot file's SHA-256.
    pub sha256: String,
    /// The reading options that changed, e.g. `--source-tz Europe/Berlin (was: not given)`.
    pub changed: Vec<String>,
}

/// What is known about when one list was captured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Capture {
    /// Stated by the source or the examiner; `lo..=hi` spans its precision (a minute, a day).
    Stated { lo: Timestamp, hi: Timestamp, by_examiner: bool },
    /// Only bounds, either of which may be unknown.
    Bounded { not_before: Option<Timestamp>, not_after: Option<Timestamp> },
}

impl Capture {
    /// The capture time of `s`: as stated, else its recorded window, else (a snapshot written
    /// before windows were recorded) bounds from its UTC times and its import time.
    pub fn of(s: &Snapshot) -> Capture {
        if let Some((lo, hi)) = s.captured_at.as_ref().and_then(span) {
            let by_examiner = s.captured_at_basis == Some(CapturedAtBasis::StatedByExaminer);
            return Capture::Stated { lo, hi, by_examiner };
        }
        let window = match &s.capture_window {
            Some(w) => w.clone(),
            None => fallback_window(s),
        };
        let at = |b: &Option<Bound>| b.as_ref().and_then(|b| b.utc.parse::<Timestamp>().ok());
        Capture::Bounded { not_before: at(&window.not_before), not_after: at(&window.not_after) }
    }

    /// The earliest it can have been.
    pub fn earliest(&self) -> Option<Timestamp> {
        match self {
            Capture::Stated { lo, .. } => Some(*lo),
            Capture::Bounded { not_before, .. } => *not_before,
        }
    }

    /// The latest it can have been.
    pub fn latest(&self) -> Option<Timestamp> {
        match self {
            Capture::Stated { hi, .. } => Some(*hi),
            Capture::Bounded { not_after, .. } => *not_after,
        }
    }

    /// Whether this list was certainly captured before `other`.
    pub fn before(&self, other: &Capture) -> bool {
        matches!((self.latest(), other.earliest()), (Some(a), Some(b)) if a < b)
    }

    /// What is known, as a [`CaptureText`] for display.
    pub fn text(&self) -> CaptureText {
        let utc = |t: &Timestamp| t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
        match self {
            Capture::Stated { lo, by_examiner, .. } => {
                CaptureText { stated: Some(utc(lo)), by_examiner: *by_examiner, not_before: None, not_after: None }
            }
            Capture::Bounded { not_before, not_after } => CaptureText {
                stated: None,
                by_examiner: false,
                not_before: not_before.as_ref().map(utc),
                not_after: not_after.as_ref().map(utc),
            },
        }
    }
}

/// When a list was captured, as text parts (RFC 3339 UTC): a stated time, or bounds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaptureText {
    /// The stated capture time.
    pub stated: Option<String>,
    /// `stated` comes from the examiner, not the source.
    pub by_examiner: bool,
    pub not_before: Option<String>,
    pub not_after: Option<String>,
}

impl CaptureText {
    /// "captured 2026-11-24T08:12:00Z", "captured between X and Y", … (English, for the
    /// terminal, the brief and the custody notes; the report words it from its catalogue).
    pub fn describe(&self) -> String {
        match (&self.stated, &self.not_before, &self.not_after) {
            (Some(t), _, _) if self.by_examiner => format!("captured {t} (stated by the examiner)"),
            (Some(t), _, _) => format!("captured {t}"),
            (None, Some(a), Some(b)) => format!("captured between {a} and {b}"),
            (None, Some(a), None) => format!("captured not earlier than {a}"),
            (None, None, Some(b)) => format!("captured not later than {b}"),
            (None, None, None) => "capture time not known".into(),
        }
    }
}

/// Capture order, as 0-based indexes: by the stated time, else by the earliest possible time
/// (the latest when that is unknown); then by the latest; ties, and lists with no time at all
/// (last), by import order. It never puts a list before one it was certainly captured after;
/// which pairs it cannot vouch for, [`order_unknown`] says.
pub fn order(snapshots: &[&Snapshot]) -> Vec<usize> {
    let captures: Vec<Capture> = snapshots.iter().map(|s| Capture::of(s)).collect();
    let mut idx: Vec<usize> = (0..snapshots.len()).collect();
    idx.sort_by_key(|&i| {
        let c = &captures[i];
        let key = c.earliest().or(c.latest());
        (key.is_none(), key, c.latest(), i)
    });
    idx
}

/// Why the capture order of `snapshots[a]` and `snapshots[b]` cannot be told, or `None` when
/// one was certainly captured before the other.
pub fn order_unknown(snapshots: &[&Snapshot], a: usize, b: usize) -> Option<OrderUnknown> {
    let (x, y) = (Capture::of(snapshots[a]), Capture::of(snapshots[b]));
    if x.before(&y) || y.before(&x) {
        return None;
    }
    Some(OrderUnknown { first: (a + 1, x.text()), second: (b + 1, y.text()) })
}

/// Two acquisitions whose capture times overlap: which came first is not known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderUnknown {
    /// (1-based acquisition number, what is known of its capture time), for each of the two.
    pub first: (usize, CaptureText),
    pub second: (usize, CaptureText),
}

impl OrderUnknown {
    /// The reason in words: "cannot tell which was captured first: …; give --captured-at".
    pub fn explain(&self) -> String {
        format!(
            "cannot tell which was captured first: acquisition {} was {}, acquisition {} was {}; give each its \
             capture time with `import --captured-at` to compare them",
            self.first.0,
            self.first.1.describe(),
            self.second.0,
            self.second.1.describe()
        )
    }
}

/// Indexes (0-based) of the snapshots a later snapshot of the same original supersedes: a
/// re-reading with other options (`--source-tz`, `--format`, `--captured-at`) replaces the
/// earlier reading for analysis; both stay in the case.
pub fn superseded(snapshots: &[&Snapshot]) -> Vec<bool> {
    (0..snapshots.len())
        .map(|i| snapshots[i + 1..].iter().any(|later| later.source.sha256 == snapshots[i].source.sha256))
        .collect()
}

/// The instants a time can denote, from its UTC value and precision: a time to the minute spans
/// that minute, a day-only time that day. `None` without a UTC value.
pub fn span(t: &Time) -> Option<(Timestamp, Timestamp)> {
    let lo: Timestamp = t.utc.as_deref()?.parse().ok()?;
    let width = match t.precision {
        None => 0,
        Some(Precision::Minute) => 59,
        Some(Precision::Day) => 24 * 3600 - 1,
    };
    Some((lo, lo.checked_add(SignedDuration::from_secs(width)).unwrap_or(lo)))
}

/// Bounds for a snapshot recorded before windows were: the newest UTC time it shows (a local
/// time in an unknown zone is left out: that only loosens the bound) and its import time.
fn fallback_window(s: &Snapshot) -> CaptureWindow {
    let imported: Option<Timestamp> = s.acquired_at.parse().ok();
    let newest = activity_times(s)
        .filter(|(t, _)| t.basis != TimeBasis::LocalUnknown)
        .filter_map(|(t, what)| Some((span(t)?.0, what)))
        .filter(|(t, _)| imported.is_none_or(|i| *t <= i))
        .max_by_key(|(t, _)| *t);
    CaptureWindow {
        not_before: newest.map(|(t, what)| Bound {
            utc: t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
            basis: format!("the newest time the list shows ({what})"),
        }),
        not_after: imported.map(|_| Bound { utc: s.acquired_at.clone(), basis: "imported into the case".into() }),
    }
}

/// Every time in the list that is activity before its capture, with where it is: sessions' and
/// web sessions' created and last-active times, and the security log's events.
pub fn activity_times(s: &Snapshot) -> impl Iterator<Item = (&Time, String)> {
    fn pair<'a>(locator: &str, field: &str, t: &'a Option<Time>) -> Option<(&'a Time, String)> {
        t.as_ref().map(|t| (t, format!("{locator} {field}")))
    }
    let sessions = s.sessions.iter().flat_map(move |x| {
        [pair(&x.locator, "created", &x.created), pair(&x.locator, "last_active", &x.last_active)].into_iter().flatten()
    });
    let web = s.web_sessions.iter().flat_map(move |x| {
        [pair(&x.locator, "created", &x.created), pair(&x.locator, "last_active", &x.last_active)].into_iter().flatten()
    });
    let log = s.security_log.iter().filter_map(move |e| pair(&e.locator, "at", &e.at));
    sessions.chain(web).chain(log)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::snapshot::{Method, Session};

    fn time(utc: &str, precision: Option<Precision>) -> Time {
        Time { utc: Some(utc.into()), original: utc.into(), basis: TimeBasis::Unix, precision }
    }

    fn snap(acquired: &str, captured: Option<&str>, window: Option<(&str, &str)>) -> Snapshot {
        let mut s = crate::model::snapshot::test_snapshot(vec![]);
        s.acquired_at = acquired.into();
        s.captured_at = captured.map(|c| time(c, None));
        s.capture_window = window.map(|(a, b)| CaptureWindow {
            not_before: Some(Bound { utc: a.into(), basis: "a".into() }),
            not_after: Some(Bound { utc: b.into(), basis: "b".into() }),
        });
        s.method = Method::TelethonJson;
        s.source.sha256 = acquired.into();
        s
    }

    #[test]
    fn overlapping_windows_have_no_known_order_and_are_sorted_by_their_earliest_time() {
        // Telethon dumps of 23, 20 and 24 November, all imported on the 25th.
        let snaps = [
            snap("2026-11-25T10:00:00Z", None, Some(("2026-11-23T10:03:12Z", "2026-11-25T10:00:00Z"))),
            snap("2026-11-25T10:01:00Z", None, Some(("2026-11-20T09:58:41Z", "2026-11-25T10:01:00Z"))),
            snap("2026-11-25T10:02:00Z", None, Some(("2026-11-24T11:00:00Z", "2026-11-25T10:02:00Z"))),
        ];
        let refs: Vec<&Snapshot> = snaps.iter().collect();
        assert_eq!(order(&refs), vec![1, 0, 2]);
        let why = order_unknown(&refs, 1, 0).expect("the windows overlap");
        assert_eq!(
            why.explain(),
            "cannot tell which was captured first: acquisition 2 was captured between 2026-11-20T09:58:41Z and \
             2026-11-25T10:01:00Z, acquisition 1 was captured between 2026-11-23T10:03:12Z and 2026-11-25T10:00:00Z; \
             give each its capture time with `import --captured-at` to compare them"
        );
    }

    #[test]
    fn stated_times_and_disjoint_windows_are_ordered() {
        let mut stated = snap("2026-11-25T10:00:00Z", Some("2026-11-24T08:12:00Z"), None);
        stated.captured_at_basis = Some(CapturedAtBasis::StatedByExaminer);
        let snaps = [
            snap("2026-11-26T10:00:00Z", None, Some(("2026-11-25T17:40:05Z", "2026-11-26T01:00:00Z"))),
            stated,
            snap("2026-11-27T10:00:00Z", Some("2026-11-26T08:41:00Z"), None),
        ];
        let refs: Vec<&Snapshot> = snaps.iter().collect();
        assert_eq!(order(&refs), vec![1, 0, 2]);
        assert_eq!(order_unknown(&refs, 0, 2), None);
        assert_eq!(order_unknown(&refs, 1, 0), None);
        assert_eq!(Capture::of(&snaps[1]).text().describe(), "captured 2026-11-24T08:12:00Z (stated by the examiner)");
        assert_eq!(Capture::of(&snaps[2]).text().describe(), "captured 2026-11-26T08:41:00Z");
        // A stated time inside a window is not ordered against it.
        let inside = [snaps[0].clone(), snap("2026-11-27T10:00:00Z", Some("2026-11-25T20:00:00Z"), None)];
        let refs: Vec<&Snapshot> = inside.iter().collect();
        assert!(order_unknown(&refs, 0, 1).is_some());
    }

    #[test]
    fn a_stated_day_spans_the_day() {
        let mut s = snap("2026-11-27T10:00:00Z", Some("2026-11-24T00:00:00Z"), None);
        s.captured_at.as_mut().unwrap().precision = Some(Precision::Day);
        let c = Capture::of(&s);
        assert_eq!(c.earliest(), Some("2026-11-24T00:00:00Z".parse().unwrap()));
        assert_eq!(c.latest(), Some("2026-11-24T23:59:59Z".parse().unwrap()));
    }

    #[test]
    fn a_snapshot_without_a_window_is_bounded_by_its_utc_times_and_its_import() {
        let mut s = snap("2026-11-25T10:00:00Z", None, None);
        s.sessions.push(Session {
            last_active: Some(time("2026-11-23T10:03:12Z", None)),
            created: Some(Time {
                utc: None,
                original: "2026-11-24T12:00:00".into(),
                basis: TimeBasis::LocalUnknown,
                precision: None,
            }),
            ..Session::unknown("/authorizations/0")
        });
        s.sessions.push(Session {
            last_active: Some(time("2027-01-01T00:00:00Z", None)),
            ..Session::unknown("/authorizations/1")
        });
        assert_eq!(
            fallback_window(&s),
            CaptureWindow {
                not_before: Some(Bound {
                    utc: "2026-11-23T10:03:12Z".into(),
                    basis: "the newest time the list shows (/authorizations/0 last_active)".into()
                }),
                not_after: Some(Bound { utc: "2026-11-25T10:00:00Z".into(), basis: "imported into the case".into() }),
            },
            "a local time of unknown zone and a time after the import are left out"
        );
        s.acquired_at = "never".into();
        s.sessions.clear();
        assert_eq!(Capture::of(&s), Capture::Bounded { not_before: None, not_after: None });
        assert_eq!(Capture::of(&s).text().describe(), "capture time not known");
    }

    #[test]
    fn a_later_snapshot_of_the_same_original_supersedes_the_earlier() {
        let mut snaps = [
            snap("2026-11-25T10:00:00Z", None, None),
            snap("2026-11-25T11:00:00Z", None, None),
            snap("2026-11-25T12:00:00Z", None, None),
        ];
        snaps[2].source.sha256 = snaps[0].source.sha256.clone();
        let refs: Vec<&Snapshot> = snaps.iter().collect();
        assert_eq!(superseded(&refs), vec![true, false, false]);
    }
}
