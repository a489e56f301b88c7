//! Time-axis ticks in UTC at a step that suits the span, from minutes to centuries: the finest
//! step whose ticks still fit, aligned to round times (midnight, Mondays, the first of a month,
//! round years) so the labels read naturally.

use jiff::Timestamp;
use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Step {
    Minutes(i64),
    Hours(i64),
    Days(i64),
    Weeks(i64),
    Months(i64),
    Years(i64),
}

use Step::*;

const STEPS: [Step; 31] = [
    Minutes(1),
    Minutes(2),
    Minutes(5),
    Minutes(10),
    Minutes(15),
    Minutes(30),
    Hours(1),
    Hours(2),
    Hours(3),
    Hours(6),
    Hours(12),
    Days(1),
    Days(2),
    Weeks(1),
    Weeks(2),
    Months(1),
    Months(2),
    Months(3),
    Months(6),
    Years(1),
    Years(2),
    Years(5),
    Years(10),
    Years(20),
    Years(50),
    Years(100),
    Years(200),
    Years(500),
    Years(1000),
    Years(2000),
    Years(5000),
];

/// 1970-01-05, the first Monday after the epoch: weeks start on Mondays (ISO 8601).
const MONDAY: i64 = 4 * 86_400;

/// The finest step with at most `max_ticks` ticks in `start..=end`, and those ticks.
pub(super) fn ticks(start: Timestamp, end: Timestamp, max_ticks: usize) -> (Step, Vec<Timestamp>) {
    let (s, e) = (start.as_second(), end.as_second());
    let step = STEPS.into_iter().find(|step| count(*step, s, e) <= max_ticks as i64).unwrap_or(Years(5000));
    (step, at(step, s, e))
}

/// The tick's label: a time of day for sub-day steps, else as much of the date as the step needs.
pub(super) fn label(step: Step, t: Timestamp) -> String {
    let format = match step {
        Minutes(_) | Hours(_) => "%H:%M",
        Days(_) | Weeks(_) => "%Y-%m-%d",
        Months(_) => "%Y-%m",
        Years(_) => "%Y",
    };
    t.strftime(format).to_string()
}

/// For sub-day steps, the date under a tick where it changes (and under the first tick).
pub(super) fn date_line(step: Step, t: Timestamp, previous: Option<Timestamp>) -> Option<String> {
    let day = |t: Timestamp| t.as_second().div_euclid(86_400);
    match step {
        Minutes(_) | Hours(_) if previous.is_none_or(|p| day(p) != day(t)) => Some(t.strftime("%Y-%m-%d").to_string()),
        _ => None,
    }
}

/// (step in seconds, alignment offset) of a fixed-length step; `None` for calendar steps.
fn fixed(step: Step) -> Option<(i64, i64)> {
    match step {
        Minutes(n) => Some((60 * n, 0)),
        Hours(n) => Some((3600 * n, 0)),
        Days(n) => Some((86_400 * n, 0)),
        Weeks(n) => Some((7 * 86_400 * n, MONDAY)),
        Months(_) | Years(_) => None,
    }
}

/// Calendar steps as (first, last) index in months since year 0, and the stride in months.
fn calendar(step: Step, s: i64, e: i64) -> (i64, i64, i64) {
    let month = |secs: i64| {
        let dt = Timestamp::from_second(secs).map(|t| TimeZone::UTC.to_datetime(t)).unwrap_or_default();
        let index = i64::from(dt.year()) * 12 + i64::from(dt.month()) - 1;
        let on_boundary = dt.day() == 1 && dt.time() == Time::midnight();
        (index, on_boundary)
    };
    let stride = match step {
        Months(n) => n,
        Years(n) => 12 * n,
        _ => 1,
    };
    let (first, on_boundary) = month(s);
    let first = if on_boundary { first } else { first + 1 };
    let first = first.div_euclid(stride) * stride + if first.rem_euclid(stride) == 0 { 0 } else { stride };
    let last = month(e).0.div_euclid(stride) * stride;
    (first, last, stride)
}

fn count(step: Step, s: i64, e: i64) -> i64 {
    let (first, last, stride) = match fixed(step) {
        Some((len, offset)) => (
            (s - offset).div_euclid(len) + i64::from((s - offset).rem_euclid(len) != 0),
            (e - offset).div_euclid(len),
            1,
        ),
        None => calendar(step, s, e),
    };
    if last < first { 0 } else { (last - first) / stride + 1 }
}

fn at(step: Step, s: i64, e: i64) -> Vec<Timestamp> {
    match fixed(step) {
        Some((len, offset)) => {
            let first = (s - offset).div_euclid(len) + i64::from((s - offset).rem_euclid(len) != 0);
            let last = (e - offset).div_euclid(len);
            (first..=last).filter_map(|k| Timestamp::from_second(k * len + offset).ok()).collect()
        }
        None => {
            let (first, last, stride) = calendar(step, s, e);
            let start_of = |index: i64| {
                let date =
                    Date::new(i16::try_from(index.div_euclid(12)).ok()?, (index.rem_euclid(12) + 1) as i8, 1).ok()?;
                TimeZone::UTC.to_timestamp(date.to_datetime(Time::midnight())).ok()
            };
            (first..=last).step_by(stride as usize).filter_map(start_of).collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn labels(from: &str, to: &str, max: usize) -> (Step, Vec<String>) {
        let (step, ts) = ticks(t(from), t(to), max);
        (step, ts.into_iter().map(|x| label(step, x)).collect())
    }

    #[test]
    fn the_step_suits_the_span() {
        assert_eq!(
            labels("2026-03-14T09:01:30Z", "2026-03-14T09:21:00Z", 8),
            (Minutes(5), ["09:05", "09:10", "09:15", "09:20"].map(String::from).to_vec())
        );
        assert_eq!(labels("2026-03-14T09:00:00Z", "2026-03-14T09:03:00Z", 8).1, ["09:00", "09:01", "09:02", "09:03"]);
        assert_eq!(
            labels("2026-03-14T22:10:00Z", "2026-03-15T03:00:00Z", 8),
            (Hours(1), ["23:00", "00:00", "01:00", "02:00", "03:00"].map(String::from).to_vec())
        );
        assert_eq!(labels("2026-03-13T05:00:00Z", "2026-03-16T05:00:00Z", 8).0, Hours(12));
        assert_eq!(
            labels("2026-03-01T00:00:00Z", "2026-03-20T00:00:00Z", 8),
            (Weeks(1), ["2026-03-02", "2026-03-09", "2026-03-16"].map(String::from).to_vec())
        );
        assert_eq!(labels("2026-01-10T00:00:00Z", "2026-03-20T00:00:00Z", 8).0, Weeks(2));
        assert_eq!(
            labels("2025-11-10T00:00:00Z", "2026-05-20T00:00:00Z", 8),
            (Months(1), ["2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05"].map(String::from).to_vec())
        );
        assert_eq!(
            labels("2023-02-10T00:00:00Z", "2026-05-20T00:00:00Z", 8),
            (Months(6), ["2023-07", "2024-01", "2024-07", "2025-01", "2025-07", "2026-01"].map(String::from).to_vec())
        );
        assert_eq!(
            labels("1990-02-10T00:00:00Z", "2026-05-20T00:00:00Z", 8).1,
            ["1995", "2000", "2005", "2010", "2015", "2020", "2025"]
        );
    }

    #[test]
    fn weeks_start_on_monday_and_boundaries_count() {
        let (step, ts) = ticks(t("2026-03-02T00:00:00Z"), t("2026-03-30T00:00:00Z"), 5);
        assert_eq!(step, Weeks(1));
        assert_eq!(ts.len(), 5, "both ends are on a Monday");
        assert!(ts.iter().all(|x| x.strftime("%A").to_string() == "Monday"));
        let (step, ts) = ticks(t("2026-01-01T00:00:00Z"), t("2026-03-01T00:00:00Z"), 3);
        assert_eq!((step, ts.len()), (Months(1), 3));
    }

    #[test]
    fn never_more_ticks_than_asked_for_any_span() {
        let base = t("2026-03-14T09:00:00Z").as_second();
        for span in [60, 600, 3_600, 86_400, 700_000, 5_000_000, 40_000_000, 400_000_000, 4_000_000_000] {
            for max in [3, 6, 12] {
                let (step, ts) =
                    ticks(Timestamp::from_second(base).unwrap(), Timestamp::from_second(base + span).unwrap(), max);
                assert!(ts.len() <= max, "{span} s, {max} ticks: {step:?} gave {}", ts.len());
                assert!(ts.windows(2).all(|w| w[0] < w[1]));
                assert_eq!(count(step, base, base + span), ts.len() as i64);
            }
        }
    }

    #[test]
    fn dates_appear_under_time_ticks_when_the_day_changes() {
        let (step, ts) = ticks(t("2026-03-14T22:10:00Z"), t("2026-03-15T03:00:00Z"), 8);
        let lines: Vec<Option<String>> =
            ts.iter().enumerate().map(|(i, x)| date_line(step, *x, i.checked_sub(1).map(|j| ts[j]))).collect();
        assert_eq!(lines[0].as_deref(), Some("2026-03-14"));
        assert_eq!(lines[1].as_deref(), Some("2026-03-15"));
        assert!(lines[2..].iter().all(Option::is_none));
        assert_eq!(date_line(Days(1), ts[0], None), None);
    }
}
