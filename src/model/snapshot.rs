//! The normalized snapshot (schema v1): one acquisition of the session list, whatever its source.
//!
//! Unknown stays unknown: every field a source may not carry is an `Option`, serialized as `null`.

use super::capture::{CaptureWindow, CapturedAtBasis, Reread};
use serde::{Deserialize, Serialize};

/// The schema identifier written into every snapshot.
pub const SNAPSHOT_SCHEMA: &str = "sessionproof/snapshot/v1";

/// One normalized acquisition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub schema: String,
    /// When sessionproof acquired the list (import or collection time), RFC 3339 UTC.
    pub acquired_at: String,
    /// When the list was captured from Telegram: as the source records it, or as the examiner
    /// stated it (`captured_at_basis`).
    pub captured_at: Option<Time>,
    /// Who states `captured_at`; absent: the source itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub captured_at_basis: Option<CapturedAtBasis>,
    /// Bounds on the capture time, for a source that does not state it (see [`super::capture`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capture_window: Option<CaptureWindow>,
    /// Set when this snapshot reads again, with other options, an original an earlier one read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reread_of: Option<Reread>,
    pub method: Method,
    pub source: Source,
    pub account: Account,
    pub sessions: Vec<Session>,
    pub web_sessions: Vec<WebSession>,
    pub security_log: Vec<SecurityEvent>,
    pub warnings: Vec<Warning>,
}

/// How the list was acquired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    Mtproto,
    TdesktopJson,
    TdesktopHtml,
    TelethonJson,
    PyrogramJson,
    GrammersJson,
    TdlibJson,
    Tl,
    Transcribed,
    Csv,
}

impl Method {
    /// The name used on the command line and in the snapshot.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Mtproto => "mtproto",
            Method::TdesktopJson => "tdesktop-json",
            Method::TdesktopHtml => "tdesktop-html",
            Method::TelethonJson => "telethon-json",
            Method::PyrogramJson => "pyrogram-json",
            Method::GrammersJson => "grammers-json",
            Method::TdlibJson => "tdlib-json",
            Method::Tl => "tl",
            Method::Transcribed => "transcribed",
            Method::Csv => "csv",
        }
    }
}

/// The original the snapshot was made from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub sha256: String,
    pub file_name: String,
    pub bytes: u64,
    /// The tool that wrote the original, when the original says so.
    pub tool: Option<Tool>,
    /// The IANA zone assumed for local wall-clock dates (`--source-tz`).
    pub source_tz: Option<String>,
    /// Further files read with the original (exhibits, companion files), each preserved as evidence.
    pub companions: Vec<Companion>,
}

/// A tool name and version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: Option<String>,
}

/// A file read alongside the main original (a screenshot, `lists/other_data.json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Companion {
    pub role: String,
    pub file_name: String,
    pub sha256: String,
    pub bytes: u64,
}

/// Account-level facts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub user_id: Option<i64>,
    pub phone: Option<String>,
    pub username: Option<String>,
    pub ttl_days: Option<i32>,
    pub two_fa: Option<TwoFa>,
}

/// The 2FA state (`account.password`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TwoFa {
    pub has_password: Option<bool>,
    pub has_recovery: Option<bool>,
    pub email_unconfirmed_pattern: Option<String>,
    pub pending_reset_date: Option<Time>,
}

/// One logged-in session (`authorization`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    /// Signed 64-bit session hash; values above 2^53 are kept exactly.
    pub hash: Option<i64>,
    pub current: Option<bool>,
    pub official_app: Option<bool>,
    pub password_pending: Option<bool>,
    pub unconfirmed: Option<bool>,
    pub encrypted_requests_disabled: Option<bool>,
    pub call_requests_disabled: Option<bool>,
    pub api_id: Option<i32>,
    pub app_name: Option<String>,
    pub app_version: Option<String>,
    pub device_model: Option<String>,
    pub platform: Option<String>,
    pub system_version: Option<String>,
    pub ip: Option<String>,
    pub country: Option<String>,
    pub region: Option<String>,
    pub created: Option<Time>,
    pub last_active: Option<Time>,
    /// Where in the source this came from (JSON pointer, HTML entry, TL byte range).
    pub locator: String,
    /// The source's own composite lines, verbatim, where it wrote fields joined together
    /// (Desktop HTML: name, device and location lines) and the split above is best effort.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_written: Option<Vec<String>>,
}

impl Session {
    /// A session of which nothing is known yet but where it came from: every field `None`.
    pub fn unknown(locator: impl Into<String>) -> Session {
        Session {
            hash: None,
            current: None,
            official_app: None,
            password_pending: None,
            unconfirmed: None,
            encrypted_requests_disabled: None,
            call_requests_disabled: None,
            api_id: None,
            app_name: None,
            app_version: None,
            device_model: None,
            platform: None,
            system_version: None,
            ip: None,
            country: None,
            region: None,
            created: None,
            last_active: None,
            locator: locator.into(),
            as_written: None,
        }
    }
}

/// One "Log in with Telegram" web session (`webAuthorization`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebSession {
    pub hash: Option<i64>,
    pub bot_id: Option<i64>,
    pub bot_username: Option<String>,
    pub domain: Option<String>,
    pub browser: Option<String>,
    pub platform: Option<String>,
    pub ip: Option<String>,
    pub region: Option<String>,
    pub created: Option<Time>,
    pub last_active: Option<Time>,
    pub locator: String,
    /// The source's own composite lines, verbatim (see [`Session::as_written`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_written: Option<Vec<String>>,
}

/// An entry of the account's security log (Desktop export `other_data.changes_log`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SecurityEvent {
    pub event: String,
    pub at: Option<Time>,
    pub app_id: Option<i64>,
    pub ip: Option<String>,
    /// The entry's other fields, verbatim (numbers as written).
    pub detail: std::collections::BTreeMap<String, String>,
    pub locator: String,
}

/// Something odd in the source that did not stop the import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub locator: String,
    pub message: String,
}

/// A point in time as a source wrote it, with how its UTC value was obtained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Time {
    /// RFC 3339 UTC, or `null` when the source's zone is unknown.
    pub utc: Option<String>,
    /// The text exactly as the source wrote it.
    pub original: String,
    pub basis: TimeBasis,
    /// How precise the value is, when coarser than a second (screenshot texts such as "Tue").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<Precision>,
}

/// How a [`Time`]'s UTC value was obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TimeBasis {
    /// Unix seconds: unambiguous.
    Unix,
    /// A text with an explicit UTC offset.
    Offset,
    /// Local wall-clock time read in a zone the examiner declared.
    LocalAssumed,
    /// Local wall-clock time in an unknown zone: no UTC value.
    LocalUnknown,
}

/// The precision of a transcribed time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Precision {
    Minute,
    Day,
}

/// A snapshot for tests: one CSV acquisition imported 2026-11-26 12:00 UTC holding `sessions`,
/// every other field empty; tests change the fields they are about.
#[cfg(test)]
pub(crate) fn test_snapshot(sessions: Vec<Session>) -> Snapshot {
    Snapshot {
        schema: SNAPSHOT_SCHEMA.into(),
        acquired_at: "2026-11-26T12:00:00Z".into(),
        captured_at: None,
        captured_at_basis: None,
        capture_window: None,
        reread_of: None,
        method: Method::Csv,
        source: Source {
            sha256: String::new(),
            file_name: "x".into(),
            bytes: 0,
            tool: None,
            source_tz: None,
            companions: vec![],
        },
        account: Account::default(),
        sessions,
        web_sessions: vec![],
        security_log: vec![],
        warnings: vec![],
    }
}
