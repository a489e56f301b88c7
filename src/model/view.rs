//! The report's view model: everything a renderer shows, already in the report's language,
//! formatted and made safe to display. HTML and PDF render from this one value and only place
//! its text, so they cannot disagree.
//!
//! In a right-to-left report, values inserted into sentences are wrapped in U+2068 … U+2069
//! (first-strong isolate … pop isolate) so an IP or a Latin name keeps its own order.

use crate::model::figure::Figure;
use serde::Serialize;
use std::collections::BTreeMap;

/// The whole report, in the order of DESIGN §8.
#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    /// BCP 47 language code: "en", "ru", "fa".
    pub lang: String,
    /// "ltr" or "rtl".
    pub dir: String,
    /// Static headings, column names and notes, by dotted key (`sessions.heading`).
    pub labels: Labels,
    pub cover: Cover,
    pub summary: Summary,
    pub sessions: Vec<SessionRow>,
    pub web_sessions: Vec<WebSessionRow>,
    pub security_log: Vec<EventRow>,
    /// Per-session detail: every session judged review or act now in full, info sessions briefly.
    pub details: Vec<SessionDetail>,
    /// Signal outcomes every fully detailed session shares (two or more of them), said once
    /// above the details and left out of each.
    pub details_common: Vec<SignalGroup>,
    /// The account-level signals (2FA state, security log), each with its status.
    pub account_signals: Vec<SignalView>,
    /// The pictures (timeline, map), drawn natively by the PDF; the HTML takes `figures_svg`.
    #[serde(skip)]
    pub figures: Vec<Figure>,
    /// The same pictures as SVG, inserted verbatim, each with its caption.
    pub figures_svg: Vec<FigureSvg>,
    pub changes: Changes,
    pub actions: Actions,
    pub methodology: Methodology,
    /// The subject's declared baseline from `case.toml`, as label and value.
    pub baseline: Vec<KeyValue>,
    pub acquisitions: Vec<AcquisitionRow>,
    pub evidence: Vec<EvidenceRow>,
    pub custody: Vec<CustodyRow>,
    pub verification: Verification,
    /// Every IP data source used, with version, build date, licence and attribution.
    pub data_sources: Vec<SourceRow>,
    /// Layers no source could serve (as the enrichment recorded them).
    pub missing_layers: Vec<String>,
    /// Problems with data files (as the enrichment recorded them).
    pub data_warnings: Vec<String>,
    /// The closing line.
    pub footer: String,
}

/// Static texts by dotted key. Serialized as nested maps, so a template writes
/// `r.labels.sessions.heading`; Rust renderers call [`Labels::get`].
#[derive(Debug, Clone, Default)]
pub struct Labels(pub BTreeMap<String, String>);

impl Labels {
    /// The label `key`, e.g. `sessions.heading`; a missing one shows as `⟦key⟧`.
    pub fn get(&self, key: &str) -> String {
        self.0.get(key).cloned().unwrap_or_else(|| format!("⟦{key}⟧"))
    }
}

impl Serialize for Labels {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Default)]
        struct Node(BTreeMap<String, Entry>);
        enum Entry {
            Text(String),
            Table(Node),
        }
        impl Serialize for Node {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut map = s.serialize_map(Some(self.0.len()))?;
                for (k, v) in &self.0 {
                    match v {
                        Entry::Text(t) => map.serialize_entry(k, t)?,
                        Entry::Table(n) => map.serialize_entry(k, n)?,
                    }
                }
                map.end()
            }
        }
        let mut root = Node::default();
        for (key, text) in &self.0 {
            let mut node = &mut root;
            let mut parts = key.split('.').peekable();
            while let Some(part) = parts.next() {
                if parts.peek().is_none() {
                    node.0.insert(part.to_string(), Entry::Text(text.clone()));
                    break;
                }
                let entry = node.0.entry(part.to_string()).or_insert_with(|| Entry::Table(Node::default()));
                if let Entry::Text(_) = entry {
                    // A key that is both a text and a prefix (the catalogue tests forbid it): the
                    // longer keys win.
                    *entry = Entry::Table(Node::default());
                }
                let Entry::Table(next) = entry else { unreachable!("made a table above") };
                node = next;
            }
        }
        root.serialize(serializer)
    }
}

/// A picture as the HTML shows it: inline SVG and, beneath it, its title and description.
#[derive(Debug, Clone, Serialize)]
pub struct FigureSvg {
    pub svg: String,
    pub title: String,
    pub description: String,
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
    /// One sentence under the title.
    pub lead: String,
    pub examiner: String,
    pub subject: String,
    /// The subject's zone, or a sentence saying times are in UTC only.
    pub subject_tz: String,
    pub generated_utc: String,
    pub generated_local: Option<String>,
    pub tool: String,
    pub binary_sha256: String,
    /// The minisign key id of the case key that signed the bundle, when signed.
    pub signing_key_id: Option<String>,
    /// Where the manifest's SHA-256 is found (it covers this report, so it cannot be inside it).
    pub manifest: String,
    /// "2 acquisitions, 8 sessions, …".
    pub contents: String,
}

/// The plain-language summary.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub acquisitions: usize,
    pub sessions: usize,
    pub web_sessions: usize,
    pub security_events: usize,
    pub warnings: usize,
    /// One or two sentences: how many sessions need what.
    pub headline: String,
    /// How sessions were judged, in a sentence.
    pub analysis: String,
    /// Sessions by verdict, most urgent first (only verdicts that occur).
    pub verdicts: Vec<VerdictCount>,
    /// The three most urgent actions, in order.
    pub urgent: Vec<String>,
    /// Account-level findings that fired, each with its explanation.
    pub account_findings: Vec<String>,
    /// Things the reader must know before trusting the tables (e.g. mixed accounts).
    pub notes: Vec<String>,
}

/// How many sessions got one verdict.
#[derive(Debug, Clone, Serialize)]
pub struct VerdictCount {
    /// Stable id: "act-now", "review", "ok", "info".
    pub verdict: String,
    pub label: String,
    pub count: usize,
}

/// A time shown in UTC and in the subject's zone, with how it was obtained.
#[derive(Debug, Clone, Serialize)]
pub struct TimeCell {
    pub utc: String,
    pub local: Option<String>,
    pub original: String,
    pub basis: String,
}

/// One row of the sessions table (one session, however many acquisitions listed it).
#[derive(Debug, Clone, Serialize)]
pub struct SessionRow {
    pub number: usize,
    /// The HTML anchor of its detail ("session-3") when it has one.
    pub detail_anchor: Option<String>,
    /// Every acquisition the session was seen in, with where in its source.
    pub sources: Vec<String>,
    /// How the observations were matched, when there are several.
    pub matched_by: Option<String>,
    /// Rows from other acquisitions that may be this session, when too little is known to match
    /// them (same app, version and device; no session hash or creation time to tell).
    pub possibly_same: Option<String>,
    /// Fields on which the sources disagree, each with the values per acquisition.
    pub disagreements: Vec<String>,
    /// The source's composite lines, verbatim, when the fields above were split from them.
    pub as_written: Vec<String>,
    /// Stable id: "act-now", "review", "ok", "info", "not-evaluated".
    pub verdict: String,
    pub verdict_label: String,
    /// Why the verdict is what it is.
    pub verdict_reason: String,
    /// Each fired signal: its title, and in English its reason.
    pub fired: Vec<String>,
    /// Titles of the signals that could not be evaluated.
    pub not_evaluated: Vec<String>,
    /// Titles of the fired signals alone: the row's summary when the session has a detail,
    /// where the reasons are.
    pub fired_titles: Vec<String>,
    pub app: String,
    pub device: String,
    pub system: String,
    pub ip: String,
    /// AS number and organisation, with the source in brackets.
    pub network: String,
    /// Network use flags (hosting, VPN, Tor, Telegram) with their sources.
    pub network_flags: Vec<String>,
    /// Where Telegram placed it (its own GeoIP estimate).
    pub place: String,
    /// Where the offline data places the IP, with the source.
    pub geolocated: String,
    pub created: Option<TimeCell>,
    pub last_active: Option<TimeCell>,
    pub flags: String,
}

/// One row of the web sessions table.
#[derive(Debug, Clone, Serialize)]
pub struct WebSessionRow {
    pub acquisition: usize,
    pub verdict: String,
    pub verdict_label: String,
    pub fired: Vec<String>,
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

/// Everything about one session the reader may need to act on it or defend the finding.
#[derive(Debug, Clone, Serialize)]
pub struct SessionDetail {
    /// Its number in the sessions table.
    pub number: usize,
    /// HTML anchor, "session-3".
    pub anchor: String,
    /// "Session 3: Telegram Desktop 4.16.8 · DESKTOP-7Q2K9LM".
    pub heading: String,
    pub verdict: String,
    pub verdict_label: String,
    pub verdict_reason: String,
    /// An information note (the acquiring session, Telegram's network): fields only.
    pub brief: bool,
    /// Telegram's fields, verbatim, per acquisition that listed the session.
    pub observations: Vec<Observation>,
    /// What the offline data says about its IP, each fact with its source.
    pub enrichment: Vec<EnrichmentFact>,
    /// Every signal, in two parts. The signals shown one per row, with status, reason and facts:
    /// those that fired and any other that used facts.
    pub signal_rows: Vec<SignalView>,
    /// The rest (clear or not evaluated, without facts), those with the same status and reason
    /// together, so a signal that did not apply takes a line, not a row.
    pub signal_groups: Vec<SignalGroup>,
}

/// Signals with the same status and the same reason, and no facts.
#[derive(Debug, Clone, Serialize)]
pub struct SignalGroup {
    /// "clear" or "not-evaluated".
    pub status: String,
    pub status_label: String,
    pub reason: String,
    /// Each signal's title with its id: "Tor network (net-tor)".
    pub signals: Vec<String>,
}

/// One acquisition's record of a session.
#[derive(Debug, Clone, Serialize)]
pub struct Observation {
    /// "Acquisition 2 (telethon-json) · /authorizations/3".
    pub heading: String,
    pub fields: Vec<Field>,
}

/// A field as the source named and wrote it.
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    /// The snapshot's field name (`device_model`), untranslated.
    pub name: String,
    pub value: String,
}

/// A network fact and where it came from.
#[derive(Debug, Clone, Serialize)]
pub struct EnrichmentFact {
    pub label: String,
    pub value: String,
    /// The data source id (see the attributions), or "—".
    pub source: String,
}

/// One signal's outcome for a session or the account.
#[derive(Debug, Clone, Serialize)]
pub struct SignalView {
    pub id: String,
    pub title: String,
    /// "fired", "clear" or "not-evaluated".
    pub status: String,
    pub status_label: String,
    pub reason: String,
    /// The facts the signal used, with translated names and verbatim values.
    pub facts: Vec<KeyValue>,
}

/// Changes between acquisitions.
#[derive(Debug, Clone, Serialize)]
pub struct Changes {
    /// What the section shows, or why there is nothing to compare.
    pub intro: String,
    pub pairs: Vec<ChangePair>,
}

/// The changes from one acquisition to the next in capture order.
#[derive(Debug, Clone, Serialize)]
pub struct ChangePair {
    /// "Acquisition 1 (telethon-json, 2026-11-20 …) → acquisition 2 (…)".
    pub heading: String,
    /// Appeared, vanished and reappeared sessions.
    pub rows: Vec<ChangeRow>,
    /// "3 sessions are in both."
    pub stayed: String,
    /// Sessions neither matched nor provably absent, with the reason.
    pub not_comparable: Vec<ChangeRow>,
    /// Why nothing is called appeared or gone between the two: which was captured first is not known.
    pub order_unknown: Option<String>,
}

/// One session's change.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeRow {
    /// "appeared", "vanished", "reappeared", "stayed" or "not-comparable".
    pub kind: String,
    pub kind_label: String,
    /// Its number in the sessions table.
    pub number: Option<usize>,
    /// "app version · device · ip", made safe to show.
    pub session: String,
    /// "acquisition 2 /authorizations/3".
    pub location: String,
    /// How it was matched with its earlier sighting, or why it cannot be compared.
    pub explanation: String,
}

/// Recommended actions with their status.
#[derive(Debug, Clone, Serialize)]
pub struct Actions {
    pub intro: String,
    /// Termination has no undo; a young session cannot terminate others.
    pub warnings: Vec<String>,
    pub items: Vec<ActionItem>,
}

/// One recommended action.
#[derive(Debug, Clone, Serialize)]
pub struct ActionItem {
    /// Stable id: "terminate-session", "terminate-others", "auto-terminate", "two-step",
    /// "recovery-email", "phone-number".
    pub id: String,
    pub title: String,
    /// "do", "check", "done", "unknown", "not-needed".
    pub status: String,
    pub status_label: String,
    /// What in the data sets the status.
    pub why: String,
    /// Where it lives in the apps, one line per platform.
    pub paths: Vec<String>,
}

/// How the findings were reached and what they cannot show.
#[derive(Debug, Clone, Serialize)]
pub struct Methodology {
    pub approach: Vec<String>,
    pub verdict_rule: String,
    pub limitations: Vec<String>,
    pub signals: Vec<SignalDoc>,
}

/// A signal as the methodology explains it.
#[derive(Debug, Clone, Serialize)]
pub struct SignalDoc {
    pub id: String,
    pub title: String,
    pub meaning: String,
    /// How it came out in this case: "fired 2×, clear 5×, not evaluated 1×".
    pub in_case: String,
}

/// How anyone can check the bundle.
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    pub intro: String,
    pub steps: Vec<VerifyStep>,
}

/// One verification step: what to do, the commands, what to expect.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyStep {
    pub text: String,
    pub commands: Vec<String>,
    pub expect: String,
}

/// One acquisition (snapshot) and its source.
#[derive(Debug, Clone, Serialize)]
pub struct AcquisitionRow {
    pub number: usize,
    pub heading: String,
    pub snapshot: String,
    pub method: String,
    pub file_name: String,
    pub sha256: String,
    pub bytes: u64,
    pub acquired_at: String,
    /// When the list was captured: the stated time and who states it, or its bounds.
    pub captured_at: String,
    /// The bounds on the capture time and what sets each, for a source that does not state it.
    pub capture_bounds: Vec<String>,
    /// For a re-reading of an original an earlier snapshot read: which, and what changed.
    pub reread: Option<String>,
    pub source_tz: String,
    pub tool: String,
    /// The account the source belongs to, masked (user id, phone and username shortened).
    pub account: String,
    pub contents: String,
    pub companions: Vec<String>,
    pub warnings_heading: String,
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
    /// "matches" or "DOES NOT MATCH its name", in the report's language.
    pub check: String,
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
