//! The result of the analysis: each signal with the facts it used, and a verdict per session.

use serde::Serialize;
use serde::ser::SerializeMap;

/// What a signal found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SignalStatus {
    /// The signal fires: the facts point away from the account owner.
    Fired,
    /// Evaluated, and it does not fire.
    Clear,
    /// The baseline or the data the signal needs is missing. Never read as "clean".
    NotEvaluated,
}

/// One signal's outcome, in words a lawyer can repeat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SignalResult {
    /// Stable id, e.g. `device-unknown`.
    pub id: &'static str,
    pub status: SignalStatus,
    /// One line saying why (fixed wording where no fact varies, so 100,000 sessions stay cheap).
    pub reason: std::borrow::Cow<'static, str>,
    /// The facts used, by name.
    pub facts: Facts,
}

/// A signal's facts, by name, in the order the signal gives them. A plain list rather than a
/// map: a signal has a handful of facts, and a case may hold 100,000 sessions of 15 signals.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Facts(pub Vec<(&'static str, String)>);

impl Facts {
    /// The value of fact `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0.iter().find(|(k, _)| *k == name).map(|(_, v)| v.as_str())
    }
}

impl Serialize for Facts {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// The verdict for one session (the field guide's rule, see [`crate::analyze::verdict`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// The collector's own session or Telegram's own network: an information note, not a suspect.
    Info,
    /// No signal fired (which is not proof that the session is the owner's).
    Ok,
    /// One signal fired: could be a false positive; check with the owner.
    Review,
    /// Two or more signals, or one that is decisive alone.
    ActNow,
}

impl Verdict {
    /// The word shown in tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Info => "info",
            Verdict::Ok => "ok",
            Verdict::Review => "review",
            Verdict::ActNow => "act-now",
        }
    }
}

/// The analysis of one observed session (one row of one acquisition).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SessionFinding {
    /// 1-based acquisition number (import order, as in the report).
    pub acquisition: usize,
    pub locator: String,
    pub verdict: Verdict,
    /// Why the verdict is what it is, in one line.
    pub verdict_reason: String,
    pub signals: Vec<SignalResult>,
}

/// The analysis of a whole case.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Analysis {
    pub sessions: Vec<SessionFinding>,
    pub web_sessions: Vec<SessionFinding>,
    /// Account-level signals (2FA state, security log).
    pub account: Vec<SignalResult>,
}
