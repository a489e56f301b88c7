//! The one-page request to Telegram support (`brief.txt`, `brief.html`): what Telegram needs to
//! find the account and the sessions, and what we ask of it. Built once, rendered twice.

use serde::Serialize;

/// Whether the account owner can still use the account, as the report states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum OwnerAccess {
    /// Derived from the latest acquisition, which was made from the owner's own client.
    AsOfLatestAcquisition,
    /// The responder states that the owner still has access.
    Kept,
    /// The responder states that the owner has lost access.
    Lost,
}

/// The brief, with every untrusted string already made visible-safe.
#[derive(Debug, Clone, Serialize)]
pub struct BriefView {
    pub case_id: String,
    pub examiner: String,
    pub prepared_utc: String,
    pub bundle: String,
    pub manifest_sha256: String,
    /// The closing sentence: what is attached to the brief, and where every file's hash is.
    pub attachments: String,
    /// Labelled account identifiers (masked unless the identity is revealed).
    pub account: Vec<(String, String)>,
    pub identity_masked: bool,
    pub access: String,
    pub access_lost: bool,
    pub two_fa: String,
    /// Flagged sessions whose verdict is act-now.
    pub act_now: Vec<BriefSession>,
    /// Flagged sessions whose verdict is review: one signal, to be confirmed by the owner.
    pub to_confirm: Vec<BriefSession>,
    /// Website log-ins ("Log in with Telegram") whose verdict is act-now, one line each.
    pub websites: Vec<String>,
    pub terminations: Vec<String>,
    pub requests: Vec<String>,
}

/// One session the analysis flags.
#[derive(Debug, Clone, Serialize)]
pub struct BriefSession {
    pub label: String,
    pub verdict: String,
    pub signals: Vec<String>,
    /// Telegram's fields as shown, labelled; times in UTC with the source's own text.
    pub fields: Vec<(String, String)>,
    pub seen: String,
}

/// A session listed in one acquisition and provably absent from the next (0-based indexes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Vanished {
    pub acquisition: usize,
    pub session_index: usize,
    pub absent_from: usize,
}
