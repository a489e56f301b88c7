//! `findings.json`: the machine-readable result of the analysis, one entry per session.

use crate::model::capture::{self, CaptureText};
use crate::model::enrichment::{DataSource, Enrichment, IpFacts};
use crate::model::finding::{Analysis as Analysed, SessionFinding, SignalResult};
use crate::model::snapshot::Snapshot;
use serde::Serialize;

/// The schema identifier of `findings.json`.
pub const FINDINGS_SCHEMA: &str = "sessionproof/findings/v1";

#[derive(Serialize)]
struct Findings<'a> {
    schema: &'static str,
    case_id: &'a str,
    generated_at: String,
    tool: Tool,
    analysis: Analysis,
    enrichment_sources: &'a [DataSource],
    missing_layers: &'a [String],
    verdict_rule: &'static str,
    /// When each acquisition was captured, as stated or as bounded.
    acquisitions: Vec<Acquisition<'a>>,
    /// Acquisition numbers in capture order (the order `diff` and the report compare them in).
    capture_order: Vec<usize>,
    /// Pairs next to each other in that order whose capture times overlap: which came first is
    /// not known, so nothing is called appeared, gone or back between them.
    capture_order_unknown: Vec<OrderUnknown>,
    account: &'a [SignalResult],
    sessions: Vec<Finding<'a>>,
    web_sessions: Vec<Finding<'a>>,
}

#[derive(Serialize)]
struct Acquisition<'a> {
    number: usize,
    snapshot: &'a str,
    /// The stated time (and whether the examiner states it) or the bounds, RFC 3339 UTC.
    capture: CaptureText,
    /// What sets each bound.
    not_before_basis: Option<&'a str>,
    not_after_basis: Option<&'a str>,
    /// The snapshot this one reads again and supersedes (`import` with other options).
    reread_of: Option<&'a str>,
}

#[derive(Serialize)]
struct OrderUnknown {
    acquisitions: [usize; 2],
    reason: String,
}

#[derive(Serialize)]
struct Tool {
    name: &'static str,
    version: &'static str,
}

#[derive(Serialize)]
struct Analysis {
    enrichment: &'static str,
    signals: &'static str,
    note: &'static str,
}

#[derive(Serialize)]
struct Finding<'a> {
    acquisition: usize,
    snapshot: &'a str,
    locator: &'a str,
    hash: Option<i64>,
    verdict: &'static str,
    verdict_reason: &'a str,
    signals: &'a [SignalResult],
    enrichment: Option<&'a IpFacts>,
}

/// The findings document for `snapshots` (path, snapshot) as pretty JSON with a final newline.
pub fn render_findings(
    case_id: &str,
    generated_at: &str,
    snapshots: &[(String, &Snapshot)],
    enrichment: &Enrichment,
    analysis: &Analysed,
) -> Vec<u8> {
    let facts = |ip: &Option<String>| crate::enrich::is_lookup_candidate(ip).and_then(|i| enrichment.ips.get(i));
    let mut sessions = Vec::new();
    let mut web_sessions = Vec::new();
    for (i, (path, s)) in snapshots.iter().enumerate() {
        for sess in &s.sessions {
            let f = analysis.sessions.get(sessions.len());
            sessions.push(finding(i + 1, path, &sess.locator, sess.hash, facts(&sess.ip), f));
        }
        for w in &s.web_sessions {
            let f = analysis.web_sessions.get(web_sessions.len());
            web_sessions.push(finding(i + 1, path, &w.locator, w.hash, facts(&w.ip), f));
        }
    }
    let refs: Vec<&Snapshot> = snapshots.iter().map(|(_, s)| *s).collect();
    let order = capture::order(&refs);
    let acquisitions = snapshots
        .iter()
        .enumerate()
        .map(|(i, (path, s))| Acquisition {
            number: i + 1,
            snapshot: path,
            capture: capture::Capture::of(s).text(),
            not_before_basis: s.capture_window.as_ref().and_then(|w| Some(w.not_before.as_ref()?.basis.as_str())),
            not_after_basis: s.capture_window.as_ref().and_then(|w| Some(w.not_after.as_ref()?.basis.as_str())),
            reread_of: s.reread_of.as_ref().map(|r| r.snapshot.as_str()),
        })
        .collect();
    let capture_order_unknown = order
        .windows(2)
        .filter_map(|w| {
            let o = capture::order_unknown(&refs, w[0], w[1])?;
            Some(OrderUnknown { acquisitions: [w[0] + 1, w[1] + 1], reason: o.explain() })
        })
        .collect();
    let doc = Findings {
        schema: FINDINGS_SCHEMA,
        case_id,
        generated_at: generated_at.to_string(),
        tool: Tool { name: crate::TOOL_NAME, version: crate::TOOL_VERSION },
        analysis: Analysis {
            enrichment: "evaluated",
            signals: "evaluated",
            note: "Every signal is reported with its status: fired, clear or not-evaluated. \
                   \"not-evaluated\" never means \"clean\".",
        },
        enrichment_sources: &enrichment.sources,
        missing_layers: &enrichment.missing_layers,
        verdict_rule: crate::analyze::verdict::RULE,
        acquisitions,
        capture_order: order.iter().map(|i| i + 1).collect(),
        capture_order_unknown,
        account: &analysis.account,
        sessions,
        web_sessions,
    };
    let mut out = serde_json::to_vec_pretty(&doc).expect("findings serialize");
    out.push(b'\n');
    out
}

fn finding<'a>(
    acquisition: usize,
    snapshot: &'a str,
    locator: &'a str,
    hash: Option<i64>,
    enrichment: Option<&'a IpFacts>,
    analysed: Option<&'a SessionFinding>,
) -> Finding<'a> {
    Finding {
        acquisition,
        snapshot,
        locator,
        hash,
        verdict: analysed.map(|f| f.verdict.as_str()).unwrap_or("not-evaluated"),
        verdict_reason: analysed.map(|f| f.verdict_reason.as_str()).unwrap_or(""),
        signals: analysed.map(|f| f.signals.as_slice()).unwrap_or(&[]),
        enrichment,
    }
}
