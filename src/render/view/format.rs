//! Small formatting helpers shared by the view builders: untrusted text made visible and
//! clipped, times in UTC and the subject's zone, masked account identifiers.

use crate::model::capture::CaptureText;
use crate::model::snapshot::{Account, Precision, Time, TimeBasis};
use crate::model::text::visible;
use crate::model::view::TimeCell;
use crate::render::i18n::Catalogue;
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// Longest untrusted string shown in full; the rest is cut with a note (the original keeps all).
pub const MAX_SHOWN: usize = 300;

/// Shortens a string to `max` characters, saying (in the report's language) how much was cut.
pub fn clip(c: &Catalogue, s: &str, max: usize) -> String {
    let n = s.chars().count();
    if n <= max {
        return s.to_string();
    }
    let head: String = s.chars().take(max).collect();
    format!("{head}{}", c.tn("text.more_characters", n - max, &[]))
}

/// Untrusted text as it is safe to show: control and bidi-override characters marked, clipped.
pub fn safe(c: &Catalogue, s: &str, max: usize) -> String {
    clip(c, &visible(s), max)
}

/// An optional untrusted value, or "—" when the source did not carry it.
pub fn show(c: &Catalogue, s: &Option<String>) -> String {
    s.as_deref().map(|v| safe(c, v, MAX_SHOWN)).unwrap_or_else(dash)
}

pub fn dash() -> String {
    "—".into()
}

pub fn join_some(parts: &[&Option<String>]) -> Option<String> {
    join_some_sep(parts, " ")
}

pub fn join_some_sep(parts: &[&Option<String>], sep: &str) -> Option<String> {
    let present: Vec<&str> = parts.iter().filter_map(|p| p.as_deref()).collect();
    if present.is_empty() { None } else { Some(present.join(sep)) }
}

/// "sha256 0123456789ab…".
pub fn short(sha: &str) -> String {
    format!("sha256 {}…", &sha[..sha.len().min(12)])
}

/// "2026-11-19 02:12:00 UTC".
pub fn format_utc(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// "2026-11-19 03:12:00 CET (Europe/Berlin)".
pub fn format_local(t: Timestamp, tz: &TimeZone) -> String {
    let z = t.to_zoned_datetime(tz.clone());
    format!("{} ({})", z.strftime("%Y-%m-%d %H:%M:%S %Z"), tz.iana_name().unwrap_or("—"))
}

/// A time for display. Day-only values (a screenshot's "Tue") are shown as a date in the zone
/// they were read in, never as a precise instant; minute values without seconds.
pub fn time_cell(c: &Catalogue, t: &Time, tz: Option<&TimeZone>, source_tz: Option<&TimeZone>) -> TimeCell {
    let basis = c.t(match t.basis {
        TimeBasis::Unix => "time.basis_unix",
        TimeBasis::Offset => "time.basis_offset",
        TimeBasis::LocalAssumed => "time.basis_local_assumed",
        TimeBasis::LocalUnknown => "time.basis_local_unknown",
    });
    let ts = t.utc.as_deref().and_then(|u| u.parse::<Timestamp>().ok());
    let (utc, local) = match (ts, t.precision) {
        (None, _) => (c.t("time.unknown"), None),
        (Some(ts), Some(Precision::Day)) => {
            let zone = source_tz.or(tz).cloned().unwrap_or(TimeZone::UTC);
            let day = ts.to_zoned_datetime(zone.clone()).date().to_string();
            (c.tf("time.day_only", &[("day", &day), ("zone", zone.iana_name().unwrap_or("UTC"))]), None)
        }
        (Some(ts), Some(Precision::Minute)) => (
            ts.strftime("%Y-%m-%d %H:%M UTC").to_string(),
            tz.map(|z| {
                let zt = ts.to_zoned_datetime(z.clone());
                format!("{} ({})", zt.strftime("%Y-%m-%d %H:%M %Z"), z.iana_name().unwrap_or("—"))
            }),
        ),
        (Some(ts), None) => (format_utc(ts), tz.map(|z| format_local(ts, z))),
    };
    let original = safe(c, &t.original, 80);
    TimeCell {
        utc,
        local,
        original: match t.basis {
            TimeBasis::Unix => c.tf("time.unix_original", &[("value", &original)]),
            _ => c.tf("time.as_written", &[("value", &original)]),
        },
        basis,
    }
}

/// When a list was captured, in words: the stated time and who states it, or its bounds.
pub fn capture_text(c: &Catalogue, t: &CaptureText) -> String {
    let show = |u: &str| u.parse::<Timestamp>().map(format_utc).unwrap_or_else(|_| u.to_string());
    match (&t.stated, &t.not_before, &t.not_after) {
        (Some(at), _, _) if t.by_examiner => c.tf("capture.stated_by_examiner", &[("at", &show(at))]),
        (Some(at), _, _) => c.tf("capture.stated", &[("at", &show(at))]),
        (None, Some(a), Some(b)) => c.tf("capture.between", &[("from", &show(a)), ("to", &show(b))]),
        (None, Some(a), None) => c.tf("capture.not_before", &[("from", &show(a))]),
        (None, None, Some(b)) => c.tf("capture.not_after", &[("to", &show(b))]),
        (None, None, None) => c.t("capture.unknown"),
    }
}

/// The account a source names, with identifying parts shortened for a pseudonymous report.
pub fn describe_account(c: &Catalogue, a: &Account) -> String {
    let mut parts = Vec::new();
    if let Some(id) = a.user_id {
        parts.push(c.tf("account.user_id", &[("value", &id.to_string())]));
    }
    if let Some(u) = &a.username {
        parts.push(c.tf("account.username", &[("value", &mask(u))]));
    }
    if let Some(p) = &a.phone {
        parts.push(c.tf("account.phone", &[("value", &mask(p))]));
    }
    if parts.is_empty() { c.t("account.not_stated") } else { c.join(&parts) }
}

/// Keeps the first two and last two characters: enough to tell accounts apart, not to name one.
pub fn mask(s: &str) -> String {
    let chars: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
    if chars.len() <= 4 {
        return "•".repeat(chars.len());
    }
    let head: String = chars[..2].iter().collect();
    let tail: String = chars[chars.len() - 2..].iter().collect();
    visible(&format!("{head}{}{tail}", "•".repeat(chars.len() - 4)))
}

/// "3 and 4", "3, 4 and 7" in the report's language.
pub fn list_numbers(c: &Catalogue, numbers: &[usize]) -> String {
    let shown: Vec<String> = numbers.iter().map(|n| n.to_string()).collect();
    match shown.as_slice() {
        [] => dash(),
        [one] => one.clone(),
        [rest @ .., last] => c.tf("text.list_and", &[("list", &c.join(rest)), ("last", last)]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::i18n::Lang;

    #[test]
    fn clipping_says_how_much_was_cut_in_the_report_language() {
        let en = Catalogue::new(Lang::En);
        assert_eq!(clip(&en, "abcdef", 3), "abc… [3 more characters]");
        assert_eq!(clip(&en, "abc", 3), "abc");
        let ru = Catalogue::new(Lang::Ru);
        assert_eq!(clip(&ru, "abcdef", 3), "abc… [ещё 3 символа]");
        assert_eq!(safe(&en, "a\u{202E}b", 10), "a⟨U+202E⟩b");
    }

    #[test]
    fn masks_and_lists() {
        assert_eq!(mask("+49 30 90182012"), "+4•••••••••12");
        assert_eq!(mask("abc"), "•••");
        let en = Catalogue::new(Lang::En);
        assert_eq!(list_numbers(&en, &[3]), "3");
        assert_eq!(list_numbers(&en, &[3, 4, 7]), "3, 4 and 7");
    }
}
