//! The verdict rule, in one place (the field guide's rule, printed in the report's methodology):
//! no signal → ok; one → review (could be a false positive); two or more → act-now;
//! `login-password-pending` and `reappeared` are act-now alone. The collector's own session and
//! Telegram's own network carry an information note instead.

use crate::model::finding::{SignalResult, SignalStatus, Verdict};

/// Signals decisive on their own.
pub const DECISIVE: &[&str] = &["login-password-pending", "reappeared"];

/// The rule as the report prints it.
pub const RULE: &str = "No signal: ok. One signal: review (it could be a false positive). Two or more: act now. \
A login waiting only for the 2FA password, or a session that reappeared after it was gone, is act now on its own. \
The acquiring session itself and addresses in Telegram's own network get an information note instead.";

/// The verdict and a one-line reason.
pub fn decide(signals: &[SignalResult], is_current: bool, is_telegram: bool) -> (Verdict, String) {
    let fired: Vec<&str> = signals.iter().filter(|s| s.status == SignalStatus::Fired).map(|s| s.id).collect();
    let not_evaluated = signals.iter().filter(|s| s.status == SignalStatus::NotEvaluated).count();
    if is_current {
        return (Verdict::Info, "the session that made this acquisition (marked current by the source)".into());
    }
    if is_telegram {
        return (Verdict::Info, "the IP is in Telegram's own network".into());
    }
    let decisive: Vec<&str> = fired.iter().copied().filter(|id| DECISIVE.contains(id)).collect();
    let tail = if not_evaluated > 0 { format!("; {not_evaluated} signal(s) not evaluated") } else { String::new() };
    match (fired.len(), decisive.is_empty()) {
        (0, _) => (Verdict::Ok, format!("no signal fired{tail}")),
        (_, false) => {
            (Verdict::ActNow, format!("{} alone is decisive; fired: {}{tail}", decisive.join(", "), fired.join(", ")))
        }
        (1, true) => (Verdict::Review, format!("one signal fired: {}{tail}", fired[0])),
        (_, true) => (Verdict::ActNow, format!("{} signals fired: {}{tail}", fired.len(), fired.join(", "))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sig(id: &'static str, status: SignalStatus) -> SignalResult {
        SignalResult { id, status, reason: "".into(), facts: Default::default() }
    }

    #[test]
    fn the_rule() {
        use SignalStatus::*;
        let v = |s: &[SignalResult]| decide(s, false, false).0;
        assert_eq!(v(&[sig("a", Clear), sig("b", NotEvaluated)]), Verdict::Ok);
        assert_eq!(v(&[sig("a", Fired), sig("b", Clear)]), Verdict::Review);
        assert_eq!(v(&[sig("a", Fired), sig("b", Fired)]), Verdict::ActNow);
        assert_eq!(v(&[sig("login-password-pending", Fired)]), Verdict::ActNow);
        assert_eq!(v(&[sig("reappeared", Fired)]), Verdict::ActNow);
        assert_eq!(decide(&[sig("a", Fired), sig("b", Fired)], true, false).0, Verdict::Info);
        assert_eq!(decide(&[sig("a", Fired)], false, true).0, Verdict::Info);
        assert!(decide(&[sig("a", NotEvaluated)], false, false).1.contains("1 signal(s) not evaluated"));
    }
}
