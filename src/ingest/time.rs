//! Turning the time texts sources write into [`Time`] values, keeping the original text.

use crate::model::snapshot::{Precision, Time, TimeBasis};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{Timestamp, civil};

/// RFC 3339 UTC with second precision.
pub fn utc_text(t: Timestamp) -> String {
    crate::clock::rfc3339(t)
}

/// Unix seconds written as text (`"1700000000"`, `"1705760185.000000"`).
/// Returns the time and whether the text needed tolerance (a fractional `.000000` part).
pub fn from_unix_text(text: &str) -> Option<(Time, bool)> {
    let t = text.trim();
    let (int, tolerated) = match t.split_once('.') {
        Some((i, frac)) if !frac.is_empty() && frac.bytes().all(|b| b == b'0') => (i, true),
        Some(_) => return None,
        None => (t, false),
    };
    let secs: i64 = int.parse().ok()?;
    let ts = Timestamp::from_second(secs).ok()?;
    Some((
        Time { utc: Some(utc_text(ts)), original: text.to_string(), basis: TimeBasis::Unix, precision: None },
        tolerated,
    ))
}

/// Why `text` is not a usable unix time, for a warning: not a number of seconds, or a number
/// beyond the years -9999 to 9999 that a date can hold (e.g. a corrupted value).
pub fn why_not_unix(text: &str) -> String {
    let t = text.trim();
    let digits = t.strip_prefix('-').unwrap_or(t);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        format!("{} seconds is outside the years -9999 to 9999 a date can hold", crate::model::text::clipped(t, 40))
    } else {
        format!("{:?} is not unix seconds", crate::model::text::clipped(t, 40))
    }
}

/// What became of a local wall-clock text read in an assumed zone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocalNote {
    Exact,
    /// The clock time happened twice (DST fall-back); the earlier instant was taken.
    Ambiguous,
    /// The clock time never happened (DST spring-forward gap); it was shifted forward.
    Gap,
}

/// A local wall-clock text such as `2023-11-14T23:13:20` (no zone), read in `tz` when given.
pub fn from_local_text(text: &str, tz: Option<&TimeZone>) -> Option<(Time, LocalNote)> {
    let dt = parse_civil_datetime(text)?;
    let Some(tz) = tz else {
        return Some((
            Time { utc: None, original: text.to_string(), basis: TimeBasis::LocalUnknown, precision: None },
            LocalNote::Exact,
        ));
    };
    let (ts, note) = resolve_local(dt, tz)?;
    Some((
        Time { utc: Some(utc_text(ts)), original: text.to_string(), basis: TimeBasis::LocalAssumed, precision: None },
        note,
    ))
}

/// The instant of a civil date-time in `tz`, saying whether DST made it ambiguous or impossible.
pub fn resolve_local(dt: civil::DateTime, tz: &TimeZone) -> Option<(Timestamp, LocalNote)> {
    let amb = tz.to_ambiguous_zoned_datetime(dt);
    let note = match amb.offset() {
        AmbiguousOffset::Unambiguous { .. } => LocalNote::Exact,
        AmbiguousOffset::Fold { .. } => LocalNote::Ambiguous,
        AmbiguousOffset::Gap { .. } => LocalNote::Gap,
    };
    // `compatible`: the earlier offset in a fold, the later wall time in a gap (RFC 5545 rules).
    let z = amb.compatible().ok()?;
    Some((z.timestamp(), note))
}

/// `YYYY-MM-DDTHH:MM:SS` or `YYYY-MM-DD HH:MM[:SS]` without a zone.
pub fn parse_civil_datetime(text: &str) -> Option<civil::DateTime> {
    let t = text.trim();
    // Only ASCII can be a date here, and slicing by byte position needs it.
    if !t.is_ascii() || t.len() < 16 || t.ends_with('Z') || t[10..].contains('+') || t[10..].contains('-') {
        return None;
    }
    let normalized = t.replacen(' ', "T", 1);
    normalized.parse::<civil::DateTime>().ok()
}

/// An RFC 3339 text with `Z` or an explicit offset.
pub fn from_offset_text(text: &str) -> Option<Time> {
    let ts: Timestamp = text.trim().parse().ok()?;
    Some(Time { utc: Some(utc_text(ts)), original: text.to_string(), basis: TimeBasis::Offset, precision: None })
}

/// A time read off a screen in `tz` with the given precision.
pub fn screen_time(original: &str, ts: Timestamp, precision: Option<Precision>) -> Time {
    Time { utc: Some(utc_text(ts)), original: original.to_string(), basis: TimeBasis::LocalAssumed, precision }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_texts() {
        let (t, tolerated) = from_unix_text("1700000000").unwrap();
        assert_eq!(t.utc.as_deref(), Some("2023-11-14T22:13:20Z"));
        assert!(!tolerated);
        let (t, tolerated) = from_unix_text("1705760185.000000").unwrap();
        assert_eq!(t.utc.as_deref(), Some("2024-01-20T14:16:25Z"));
        assert!(tolerated);
        assert!(from_unix_text("17.5").is_none());
        assert!(from_unix_text("-1").is_some());
        assert!(from_unix_text("99999999999999999999").is_none());
        assert!(why_not_unix("99999999999999999999").contains("outside the years -9999 to 9999"));
        assert!(why_not_unix("253402300800").contains("outside the years"), "the year 10000");
        assert!(why_not_unix("12ab").contains("\"12ab\" is not unix seconds"));
    }

    #[test]
    fn local_texts_in_a_zone() {
        let berlin = TimeZone::get("Europe/Berlin").unwrap();
        let (t, n) = from_local_text("2023-11-14T23:13:20", Some(&berlin)).unwrap();
        assert_eq!((t.utc.as_deref(), n), (Some("2023-11-14T22:13:20Z"), LocalNote::Exact));
        let (_, n) = from_local_text("2021-10-31T02:30:00", Some(&berlin)).unwrap();
        assert_eq!(n, LocalNote::Ambiguous);
        let (t, n) = from_local_text("2021-03-28T02:30:00", Some(&berlin)).unwrap();
        assert_eq!((t.utc.as_deref(), n), (Some("2021-03-28T01:30:00Z"), LocalNote::Gap));
        let (t, _) = from_local_text("2023-11-14T23:13:20", None).unwrap();
        assert_eq!((t.utc, t.basis), (None, TimeBasis::LocalUnknown));
        assert!(from_local_text("2023-11-14T23:13:20Z", None).is_none());
        assert!(from_local_text("2023-11-1éT00:00:00x", None).is_none(), "non-ASCII must not panic");
    }
}
