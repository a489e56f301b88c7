//! Building the report's view model for one language. Every label and sentence comes from the
//! message catalogue, and untrusted strings are made visible-safe here, once, so every renderer
//! only places text and shows control and bidi-override characters as marked text.

mod changes;
pub(crate) mod format;
mod guidance;
mod network;
mod pictures;
mod records;
mod sessions;

use crate::model::CaseConfig;
use crate::model::change::Diff;
use crate::model::custody::CustodyEntry;
use crate::model::finding::{Analysis, SignalStatus};
use crate::model::snapshot::{Snapshot, Time};
use crate::model::view::*;
use crate::render::i18n::{Catalogue, Lang};
use format::{format_local, format_utc, safe};
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// A stored snapshot as the report sees it.
#[derive(Debug, Clone)]
pub struct SnapshotItem {
    pub rel_path: String,
    pub snapshot: Snapshot,
}

/// A preserved original as the report sees it.
#[derive(Debug, Clone)]
pub struct EvidenceItem {
    pub rel_path: String,
    pub bytes: u64,
    pub sha256: String,
    /// The file's hash matches the name it was stored under.
    pub intact: bool,
}

/// Everything the report is built from.
#[derive(Debug, Clone)]
pub struct ReportInput {
    pub config: CaseConfig,
    pub snapshots: Vec<SnapshotItem>,
    pub evidence: Vec<EvidenceItem>,
    pub custody: Vec<CustodyEntry>,
    pub generated_at: Timestamp,
    pub binary_sha256: String,
    /// What is known about every IP the snapshots name.
    pub enrichment: crate::model::enrichment::Enrichment,
    /// The signals and verdicts.
    pub analysis: Analysis,
    /// The changes from each acquisition to the next in capture order.
    pub changes: Vec<Diff>,
    /// The verdict rule as the analysis states it (printed as is in English).
    pub verdict_rule: String,
    /// The bundle's folder inside the case, "reports/20261126T120000Z".
    pub bundle_dir: String,
}

/// What every builder needs: the catalogue, the input, and the zones to show times in.
struct Ctx<'a> {
    c: &'a Catalogue,
    input: &'a ReportInput,
    /// The subject's zone.
    tz: Option<TimeZone>,
    /// Per acquisition, the zone its local dates were read in.
    zones: Vec<Option<TimeZone>>,
}

impl Ctx<'_> {
    /// A time of acquisition `a` (0-based) for display.
    fn time(&self, t: &Time, a: usize) -> TimeCell {
        format::time_cell(self.c, t, self.tz.as_ref(), self.zones.get(a).and_then(Option::as_ref))
    }
}

/// Signals in the order of DESIGN §7, for the methodology's table.
const SIGNAL_ORDER: &[&str] = &[
    "device-unknown",
    "app-outdated",
    "app-unofficial",
    "geo-unfamiliar",
    "geo-impossible",
    "hours-asleep",
    "net-hosting",
    "net-vpn",
    "net-tor",
    "net-proxy",
    "known-device-new-network",
    "login-password-pending",
    "login-unconfirmed",
    "created-in-incident",
    "reappeared",
    "account-2fa-off",
    "account-2fa-reset-pending",
    "account-email-change",
    "account-password-changed-by-unknown",
    "web-unknown-domain",
];

/// Builds the view model in the catalogue's language.
pub fn build_view(input: &ReportInput, c: &Catalogue) -> ReportView {
    let zone = |name: Option<&str>| name.and_then(|n| TimeZone::get(n).ok());
    let ctx = Ctx {
        c,
        input,
        tz: zone(input.config.subject.time_zone.as_deref()),
        zones: input.snapshots.iter().map(|i| zone(i.snapshot.source.source_tz.as_deref())).collect(),
    };
    let mut built = sessions::build(&ctx);
    let web_sessions = records::web_sessions(&ctx);
    let security_log = records::security_log(&ctx);
    let situation = guidance::Situation::new(&ctx, &built, &web_sessions);
    let warnings: usize = input.snapshots.iter().map(|s| s.snapshot.warnings.len()).sum();
    let contents = c.join(&[
        c.tn("count.acquisitions", input.snapshots.len(), &[]),
        c.tn("count.sessions", built.rows.len(), &[]),
        c.tn("count.web_sessions", web_sessions.len(), &[]),
        c.tn("count.security_events", security_log.len(), &[]),
        c.tn("count.warnings", warnings, &[]),
    ]);
    let summary = Summary {
        acquisitions: input.snapshots.len(),
        sessions: built.rows.len(),
        web_sessions: web_sessions.len(),
        security_events: security_log.len(),
        warnings,
        headline: guidance::headline(c, &situation),
        analysis: c.t("summary.analysis"),
        verdicts: guidance::verdict_counts(c, &built.rows),
        urgent: guidance::urgent(c, &situation),
        account_findings: guidance::account_findings(c, &situation),
        notes: mixed_accounts(c, input).into_iter().chain(baseline_gaps(c, input)).collect(),
    };
    let actions = guidance::actions(c, &situation);
    let changes = changes::build(&ctx, &built.numbers);
    let generated_utc = format_utc(input.generated_at);
    let figures = pictures::build(&ctx, &built);
    let figures_svg = figures
        .iter()
        .map(|f| FigureSvg {
            svg: crate::render::figures::svg(f),
            title: f.title.clone(),
            description: f.description.clone(),
        })
        .collect();
    ReportView {
        lang: c.lang().code().to_string(),
        dir: c.direction().as_str().to_string(),
        labels: Labels(c.section("labels")),
        cover: cover(&ctx, contents),
        summary,
        sessions: built.rows,
        web_sessions,
        security_log,
        details_common: sessions::hoist_common(&mut built.details),
        details: built.details,
        account_signals: input.analysis.account.iter().map(|s| sessions::signal_view(c, s)).collect(),
        figures,
        figures_svg,
        changes,
        actions,
        methodology: methodology(c, input),
        baseline: records::baseline(c, &input.config),
        acquisitions: records::acquisitions(&ctx),
        evidence: records::evidence(&ctx),
        custody: records::custody(&ctx),
        verification: verification(c, input),
        data_sources: records::data_sources(&ctx),
        missing_layers: input.enrichment.missing_layers.iter().map(|m| missing_layer(c, m)).collect(),
        data_warnings: input.enrichment.warnings.iter().map(|w| safe(c, w, 600)).collect(),
        footer: c.tf(
            "footer",
            &[("tool", &format!("{} {}", crate::TOOL_NAME, crate::TOOL_VERSION)), ("at", &generated_utc)],
        ),
    }
}

/// A layer the enrichment lacked: as it recorded it in English, else in the catalogue's words
/// for the layers it names ("city: …", "anonymity: …").
fn missing_layer(c: &Catalogue, recorded: &str) -> String {
    let key = match recorded.split(':').next() {
        _ if c.lang() == Lang::En => None,
        Some("city") => Some("attributions.missing_city"),
        Some("anonymity") => Some("attributions.missing_anonymity"),
        _ => None,
    };
    key.map(|k| c.t(k)).unwrap_or_else(|| safe(c, recorded, 300))
}

fn cover(ctx: &Ctx, contents: String) -> Cover {
    let (c, input) = (ctx.c, ctx.input);
    let subject = &input.config.subject;
    Cover {
        case_id: safe(c, &input.config.case.id, 200),
        lead: c.tf("cover.lead", &[("case", &safe(c, &input.config.case.id, 200))]),
        examiner: input
            .config
            .case
            .examiner
            .as_deref()
            .map(|e| safe(c, e, 300))
            .unwrap_or_else(|| c.t("cover.no_examiner")),
        subject: subject.pseudonym.as_deref().map(|p| safe(c, p, 200)).unwrap_or_else(|| c.t("cover.no_pseudonym")),
        subject_tz: subject.time_zone.clone().unwrap_or_else(|| c.t("cover.no_zone")),
        generated_utc: format_utc(input.generated_at),
        generated_local: ctx.tz.as_ref().map(|z| format_local(input.generated_at, z)),
        tool: format!("{} {}", crate::TOOL_NAME, crate::TOOL_VERSION),
        binary_sha256: input.binary_sha256.clone(),
        manifest: c.tf("cover.manifest", &[("bundle", &input.bundle_dir)]),
        contents,
        signing_key_id: None,
    }
}

/// A note when two acquisitions name different accounts (an identifier both carry differs).
/// What the declared baseline leaves unjudged, so "ok" is never read as "checked and clean".
fn baseline_gaps(c: &Catalogue, input: &ReportInput) -> Option<String> {
    let (signals, keys) = crate::analyze::baseline_gaps(&input.config.subject);
    if signals.is_empty() {
        return None;
    }
    let titles: Vec<String> = signals.iter().map(|id| sessions::signal_title(c, id)).collect();
    Some(c.tn("summary.baseline_gaps", signals.len(), &[("keys", &keys.join("; ")), ("signals", &c.join(&titles))]))
}

fn mixed_accounts(c: &Catalogue, input: &ReportInput) -> Option<String> {
    let ids: Vec<[Option<String>; 3]> = input
        .snapshots
        .iter()
        .map(|item| {
            let a = &item.snapshot.account;
            [
                a.user_id.map(|u| u.to_string()),
                a.username.as_ref().map(|u| u.trim_start_matches('@').to_lowercase()),
                a.phone.as_ref().map(|p| p.chars().filter(char::is_ascii_digit).collect()),
            ]
        })
        .collect();
    let mut conflicts = Vec::new();
    for i in 0..ids.len() {
        for j in i + 1..ids.len() {
            if ids[i].iter().zip(&ids[j]).any(|(a, b)| matches!((a, b), (Some(a), Some(b)) if a != b)) {
                let one = |k: usize| {
                    c.tf(
                        "summary.account_of",
                        &[
                            ("n", &(k + 1).to_string()),
                            ("account", &format::describe_account(c, &input.snapshots[k].snapshot.account)),
                        ],
                    )
                };
                conflicts.push(c.tf("summary.account_pair", &[("a", &one(i)), ("b", &one(j))]));
            }
        }
    }
    (!conflicts.is_empty()).then(|| c.tf("summary.mixed_accounts", &[("pairs", &conflicts.join("; "))]))
}

fn methodology(c: &Catalogue, input: &ReportInput) -> Methodology {
    let mut ids: Vec<&str> = SIGNAL_ORDER.to_vec();
    let a = &input.analysis;
    let all = || a.sessions.iter().chain(&a.web_sessions).flat_map(|f| f.signals.iter()).chain(&a.account);
    for s in all() {
        if !ids.contains(&s.id) {
            ids.push(s.id);
        }
    }
    let signals = ids
        .into_iter()
        .map(|id| {
            let count = |st: SignalStatus| all().filter(|s| s.id == id && s.status == st).count();
            let (fired, clear, not) =
                (count(SignalStatus::Fired), count(SignalStatus::Clear), count(SignalStatus::NotEvaluated));
            SignalDoc {
                id: id.to_string(),
                title: sessions::signal_title(c, id),
                meaning: c.t(&format!("signal.{id}.meaning")),
                in_case: if fired + clear + not == 0 {
                    c.t("methodology.not_run")
                } else {
                    c.tf(
                        "methodology.in_case",
                        &[
                            ("fired", &fired.to_string()),
                            ("clear", &clear.to_string()),
                            ("not_evaluated", &not.to_string()),
                        ],
                    )
                },
            }
        })
        .collect();
    Methodology {
        approach: ["methodology.approach_baseline", "methodology.approach_offline", "methodology.approach_wording"]
            .iter()
            .map(|k| c.t(k))
            .collect(),
        verdict_rule: match c.lang() {
            Lang::En => input.verdict_rule.clone(),
            _ => c.t("methodology.verdict_rule"),
        },
        limitations: [
            "methodology.limit_spoofable",
            "methodology.limit_ip",
            "methodology.limit_geoip",
            "methodology.limit_vpn",
            "methodology.limit_export_dates",
            "methodology.limit_export_fields",
            "methodology.limit_tdata",
            "methodology.limit_absence",
        ]
        .iter()
        .map(|k| c.t(k))
        .collect(),
        signals,
    }
}

fn verification(c: &Catalogue, input: &ReportInput) -> Verification {
    let bundle = &input.bundle_dir;
    let step =
        |text: &str, commands: Vec<String>, expect: &str| VerifyStep { text: c.t(text), commands, expect: c.t(expect) };
    Verification {
        intro: c.tf("verification.intro", &[("bundle", bundle)]),
        steps: vec![
            step(
                "verification.step_sums",
                vec![format!("cd CASE/{bundle}"), "sha256sum -c SHA256SUMS".into()],
                "verification.expect_sums",
            ),
            step("verification.step_manifest", vec!["sha256sum manifest.json".into()], "verification.expect_manifest"),
            step(
                "verification.step_originals",
                vec!["sha256sum ../../evidence/*".into()],
                "verification.expect_originals",
            ),
            step(
                "verification.step_tool",
                vec![format!("sessionproof verify CASE/{bundle}")],
                "verification.expect_tool",
            ),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_signal_in_the_order_has_a_title_and_meaning_in_every_language() {
        for lang in Lang::ALL {
            let c = Catalogue::new(lang);
            for id in SIGNAL_ORDER {
                assert!(c.has(&format!("signal.{id}.title")), "{}: {id}", lang.code());
                assert!(c.has(&format!("signal.{id}.meaning")), "{}: {id}", lang.code());
            }
        }
    }
}
