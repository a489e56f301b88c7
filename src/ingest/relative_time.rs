//! Times as Telegram's apps display them ("yesterday at 21:14", "Tue", "12.11.26"), resolved
//! against the moment a screenshot was taken, in the phone's zone.

use super::time::{from_offset_text, resolve_local, screen_time};
use crate::model::snapshot::{Precision, Time};
use jiff::{ZonedDateTime, civil};

/// The forms understood, for error messages.
pub const FORMS: &str = "\"online\", \"just now\", \"today at 21:14\", \"yesterday at 21:14\", \"21:14\", a weekday (\"Tue\", \
\"Tuesday at 21:14\"), \"12.11.26\", \"12.11.2026\", \"Nov 12\", \"12 Nov 2026\", \"2026-11-12\", \"2026-11-12 21:14\" or RFC 3339";

/// Resolves a displayed time against `captured` (the screenshot's moment, in the phone's zone).
pub fn resolve(text: &str, captured: &ZonedDateTime) -> Result<Time, String> {
    let t = text.trim();
    let lower = t.to_lowercase();
    let today = captured.date();
    let tz = captured.time_zone();
    let at_day = |date: civil::Date, clock: Option<civil::Time>| -> Result<Time, String> {
        let (dt, precision) = match clock {
            Some(c) => (date.to_datetime(c), Precision::Minute),
            None => (date.to_datetime(civil::Time::midnight()), Precision::Day),
        };
        let (ts, _) =
            resolve_local(dt, tz).ok_or_else(|| format!("{t:?} is outside the range of dates sessionproof handles"))?;
        if ts > captured.timestamp() {
            return Err(format!(
                "{t:?} is later than the screenshot's capture time ({captured}); check the date or the screenshot's captured_at"
            ));
        }
        Ok(screen_time(t, ts, Some(precision)))
    };

    if lower == "online" || lower == "just now" || lower == "now" {
        return Ok(screen_time(t, captured.timestamp(), Some(Precision::Minute)));
    }
    if let Some(time) = from_offset_text(t) {
        return Ok(time);
    }
    if let Some(rest) = strip_word(&lower, "today") {
        return at_day(today, Some(clock(rest).ok_or_else(|| unknown(t))?));
    }
    if let Some(rest) = strip_word(&lower, "yesterday") {
        let day = today.yesterday().map_err(|e| e.to_string())?;
        return at_day(day, Some(clock(rest).ok_or_else(|| unknown(t))?));
    }
    if let Some(c) = clock(&lower) {
        return at_day(today, Some(c));
    }
    if let Some((weekday, rest)) = weekday_prefix(&lower) {
        let clock = if rest.trim().is_empty() { None } else { Some(clock(rest).ok_or_else(|| unknown(t))?) };
        let mut day = today.yesterday().map_err(|e| e.to_string())?;
        while day.weekday() != weekday {
            day = day.yesterday().map_err(|e| e.to_string())?;
        }
        return at_day(day, clock);
    }
    if let Ok(dt) = lower.replacen(' ', "T", 1).parse::<civil::DateTime>()
        && lower.len() >= 16
    {
        return at_day(dt.date(), Some(dt.time()));
    }
    if let Ok(date) = lower.parse::<civil::Date>() {
        return at_day(date, None);
    }
    if let Some(date) = dotted_date(&lower) {
        return at_day(date, None);
    }
    if let Some(date) = month_name_date(&lower, today) {
        return at_day(date, None);
    }
    Err(unknown(t))
}

fn unknown(t: &str) -> String {
    format!("{t:?} is not a time sessionproof understands; write it as the app shows it, one of: {FORMS}")
}

/// `word`, then optionally "at", then the rest.
fn strip_word<'a>(s: &'a str, word: &str) -> Option<&'a str> {
    let rest = s.strip_prefix(word)?;
    if !(rest.is_empty() || rest.starts_with(' ') || rest.starts_with(',')) {
        return None;
    }
    let rest = rest.trim_start_matches([' ', ',']);
    Some(rest.strip_prefix("at ").unwrap_or(rest))
}

/// "21:14", "9:05", "9:05 pm".
fn clock(s: &str) -> Option<civil::Time> {
    let s = s.trim();
    let (s, pm) = match (s.strip_suffix("pm"), s.strip_suffix("am")) {
        (Some(r), _) => (r.trim(), Some(true)),
        (_, Some(r)) => (r.trim(), Some(false)),
        _ => (s, None),
    };
    let (h, m) = s.split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut h: i8 = h.parse().ok()?;
    match pm {
        Some(true) if (1..12).contains(&h) => h += 12,
        Some(false) if h == 12 => h = 0,
        Some(_) if !(1..=12).contains(&h) => return None,
        _ => {}
    }
    civil::Time::new(h, m.parse().ok()?, 0, 0).ok()
}

fn weekday_prefix(s: &str) -> Option<(civil::Weekday, &str)> {
    use civil::Weekday::*;
    const DAYS: [(&str, &str, civil::Weekday); 7] = [
        ("monday", "mon", Monday),
        ("tuesday", "tue", Tuesday),
        ("wednesday", "wed", Wednesday),
        ("thursday", "thu", Thursday),
        ("friday", "fri", Friday),
        ("saturday", "sat", Saturday),
        ("sunday", "sun", Sunday),
    ];
    for (long, short, day) in DAYS {
        for name in [long, short] {
            if let Some(rest) = strip_word(s, name) {
                return Some((day, rest));
            }
        }
    }
    None
}

/// "12.11.26", "12.11.2026", "12/11/2026" (day first, as Telegram's European formats show it).
fn dotted_date(s: &str) -> Option<civil::Date> {
    let parts: Vec<&str> = s.split(['.', '/']).collect();
    if parts.len() != 3 || !parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let year: i16 = match parts[2].len() {
        2 => 2000 + parts[2].parse::<i16>().ok()?,
        4 => parts[2].parse().ok()?,
        _ => return None,
    };
    civil::Date::new(year, parts[1].parse().ok()?, parts[0].parse().ok()?).ok()
}

/// "Nov 12", "12 Nov", "Nov 12, 2025", "12 November 2025".
fn month_name_date(s: &str, today: civil::Date) -> Option<civil::Date> {
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let words: Vec<&str> = s.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    if !(2..=3).contains(&words.len()) {
        return None;
    }
    let month_of = |w: &str| {
        MONTHS
            .iter()
            .position(|m| w.len() >= 3 && w.bytes().all(|b| b.is_ascii_alphabetic()) && m.starts_with(&w[..3]))
            .map(|i| i as i8 + 1)
    };
    let (month, day) = match (month_of(words[0]), month_of(words[1])) {
        (Some(m), None) => (m, words[1].parse::<i8>().ok()?),
        (None, Some(m)) => (m, words[0].parse::<i8>().ok()?),
        _ => return None,
    };
    match words.get(2) {
        Some(y) => civil::Date::new(y.parse().ok()?, month, day).ok(),
        None => {
            let this_year = civil::Date::new(today.year(), month, day).ok()?;
            if this_year > today { civil::Date::new(today.year() - 1, month, day).ok() } else { Some(this_year) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn captured() -> ZonedDateTime {
        // Thursday 26 November 2026, 09:41 in Berlin (UTC+1).
        "2026-11-26T09:41:00+01:00[Europe/Berlin]".parse().unwrap()
    }

    fn utc(text: &str) -> String {
        resolve(text, &captured()).unwrap().utc.unwrap()
    }

    #[test]
    fn displayed_forms() {
        assert_eq!(utc("online"), "2026-11-26T08:41:00Z");
        assert_eq!(utc("today at 08:15"), "2026-11-26T07:15:00Z");
        assert_eq!(utc("yesterday at 21:14"), "2026-11-25T20:14:00Z");
        assert_eq!(utc("Yesterday, 9:14 PM"), "2026-11-25T20:14:00Z");
        assert_eq!(utc("07:02"), "2026-11-26T06:02:00Z");
        assert_eq!(utc("Tue"), "2026-11-23T23:00:00Z");
        assert_eq!(utc("Thursday at 10:00"), "2026-11-19T09:00:00Z");
        assert_eq!(utc("12.11.26"), "2026-11-11T23:00:00Z");
        assert_eq!(utc("12/11/2026"), "2026-11-11T23:00:00Z");
        assert_eq!(utc("Nov 12"), "2026-11-11T23:00:00Z");
        assert_eq!(utc("12 Dec"), "2025-12-11T23:00:00Z");
        assert_eq!(utc("2026-11-12 21:14"), "2026-11-12T20:14:00Z");
        assert_eq!(utc("2026-11-12T21:14:00+03:30"), "2026-11-12T17:44:00Z");
        let t = resolve("Tue", &captured()).unwrap();
        assert_eq!((t.original.as_str(), t.precision), ("Tue", Some(Precision::Day)));
    }

    #[test]
    fn refuses_what_it_cannot_read_or_what_is_in_the_future() {
        assert!(resolve("sometime last spring", &captured()).unwrap_err().contains("not a time"));
        assert!(resolve("today at 23:00", &captured()).unwrap_err().contains("later than"));
        assert!(resolve("31.02.2026", &captured()).is_err());
        assert!(resolve("25:61", &captured()).is_err());
    }
}
