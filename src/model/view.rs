//! The report's view model: everything a renderer shows, already formatted and made safe to
//! display. HTML and (later) PDF render from this one value, so they cannot disagree.

use serde::Serialize;

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    pub cover: Cover,
    pub summary: Summary,
    /// The subject's declared baseline from `case.toml`, as key and value.
    pub baseline: Vec<KeyValue>,
    pub sessions: Vec<SessionRow>,
    pub web_sessions: Vec<WebSessionRow>,
    pub security_log: Vec<EventRow>,
    pub acquisitions: Vec<AcquisitionRow>,
    pub evidence: Vec<EvidenceRow>,
    pub custody: Vec<CustodyRow>,
    /// Every IP data source used, with version, build date, licence and attribution.
    pub data_sources: Vec<SourceRow>,
    /// Layers no source could serve.
    pub missing_layers: Vec<String>,
    /// Problems with data files.
    pub data_warnings: Vec<String>,
}

/// One IP data source as the report cites it.
#[derive(Debug, Clone, Serialize)]
pub struct SourceRow {
    pub id: String,
    pub name: String,
    pub version: String,
    pub build_date: String,
    pub licence: String,
    pub sha256: String,
    pub path: String,
    pub attribution: String,
}

/// A labelled value.
#[derive(Debug, Clone, Serialize)]
pub struct KeyValue {
    pub key: String,
    pub value: String,
}

/// Who, what, when.
#[derive(Debug, Clone, Serialize)]
pub struct Cover {
    pub case_id: String,
    pub examiner: String,
    pub subject: String,
    pub subject_tz: Option<String>,
    pub generated_utc: String,
    pub generated_local: Option<String>,
    pub tool: String,
    pub binary_sha256: String,
    /// The minisign key id of the case key that signed the bundle, when signed.
    pub signing_key_id: Option<String>,
}

/// Counts and the state of the analysis.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub acquisitions: usize,
    pub sessions: usize,
    pub web_sessions: usize,
    pub security_events: usize,
    pub warnings: usize,
    pub analysis: String,
    /// Sessions by verdict: (verdict, count), most urgent first.
    pub verdicts: Vec<KeyValue>,
    /// Account-level findings that fired, and the verdict rule.
    pub account_findings: Vec<String>,
    pub verdict_rule: String,
    /// Things the reader must know before trusting the tables (e.g. mixed accounts).
    pub notes: Vec<String>,
}

/// A time shown in UTC and in the subject's zone, with how it was obtained.
#[derive(Debug, Clone, Serialize)]
pub struct TimeCell {
    pub utc: String,
    pub local: Option<String>,
    pub original: String,
    pub basis: String,
}

/// One row of the sessions table.
#[derive(Debug, Clone, Serialize)]
pub struct SessionRow {
    pub number: usize,
    /// Every acquisition the session was seen in, with where in its source.
    pub sources: Vec<String>,
    /// How the observations were matched, when there are several.
    pub matched_by: Option<String>,
    /// Fields on which the sources disagree, each with the values per acquisition.
    pub disagreements: Vec<String>,
    /// The source's composite lines, verbatim, when the fields above were split from them.
    pub as_written: Vec<String>,
    pub verdict: String,
    /// The verdict's reason and each fired signal with its reason.
    pub verdict_reason: String,
    pub fired: Vec<String>,
    pub not_evaluated: Vec<String>,
    pub app: String,
    pub device: String,
    pub system: String,
    pub ip: String,
    pub network: String,
    pub place: String,
    pub created: Option<TimeCell>,
    pub last_active: Option<TimeCell>,
    pub flags: String,
}

/// One row of the web sessions table.
#[derive(Debug, Clone, Serialize)]
pub struct WebSessionRow {
    pub acquisition: usize,
    pub network: String,
    pub domain: String,
    pub bot: String,
    pub browser: String,
    pub ip: String,
    pub region: String,
    pub created: Option<TimeCell>,
    pub last_active: Option<TimeCell>,
    pub locator: String,
}

/// One security-log event.
#[derive(Debug, Clone, Serialize)]
pub struct EventRow {
    pub acquisition: usize,
    pub network: String,
    pub event: String,
    pub at: Option<TimeCell>,
    pub app_id: String,
    pub ip: String,
    pub detail: String,
    pub locator: String,
}

/// One acquisition (snapshot) and its source.
#[derive(Debug, Clone, Serialize)]
pub struct AcquisitionRow {
    pub number: usize,
    pub snapshot: String,
    pub method: String,
    pub file_name: String,
    pub sha256: String,
    pub bytes: u64,
    pub acquired_at: String,
    pub captured_at: Option<TimeCell>,
    pub source_tz: String,
    pub tool: String,
    /// The account the source belongs to, masked (user id, phone and username shortened).
    pub account: String,
    pub sessions: usize,
    pub web_sessions: usize,
    pub companions: Vec<String>,
    pub warnings: Vec<WarningRow>,
}

/// A warning with where it arose.
#[derive(Debug, Clone, Serialize)]
pub struct WarningRow {
    pub locator: String,
    pub message: String,
}

/// One preserved original.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceRow {
    pub path: String,
    pub bytes: u64,
    pub sha256: String,
    pub received_as: String,
    pub intact: bool,
}

/// One custody log line.
#[derive(Debug, Clone, Serialize)]
pub struct CustodyRow {
    pub seq: u64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub tool: String,
    pub files: String,
    pub note: String,
}
