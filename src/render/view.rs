//! Building the report's view model. Untrusted strings are made visible-safe here, once, so
//! every renderer shows control and bidi-override characters as marked text.

use crate::model::CaseConfig;
use crate::model::custody::CustodyEntry;
use crate::model::snapshot::{Session, Snapshot, Time, TimeBasis};
use crate::model::text::{clipped, visible};
use crate::model::view::*;
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// Longest untrusted string shown in full; the rest is cut with a note (the original keeps all).
const MAX_SHOWN: usize = 300;

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
    pub analysis: crate::model::finding::Analysis,
}

/// Builds the view model.
pub fn build_view(input: &ReportInput) -> ReportView {
    let tz = input.config.subject.time_zone.as_deref().and_then(|n| TimeZone::get(n).ok());
    let tz = tz.as_ref();
    let show = |s: &Option<String>| s.as_deref().map(|v| clipped(&visible(v), MAX_SHOWN)).unwrap_or_else(|| "—".into());
    let mut sessions = Vec::new();
    let mut web_sessions = Vec::new();
    let mut security_log = Vec::new();
    let mut acquisitions = Vec::new();
    let zones: Vec<Option<TimeZone>> = input
        .snapshots
        .iter()
        .map(|i| i.snapshot.source.source_tz.as_deref().and_then(|n| TimeZone::get(n).ok()))
        .collect();
    let observed: Vec<(usize, &Session)> = input
        .snapshots
        .iter()
        .enumerate()
        .flat_map(|(i, item)| item.snapshot.sessions.iter().map(move |s| (i, s)))
        .collect();
    let refs: Vec<&Session> = observed.iter().map(|(_, s)| *s).collect();
    // The findings in the same order as the observed sessions.
    let findings: Vec<&crate::model::finding::SessionFinding> = input.analysis.sessions.iter().collect();
    for (members, basis) in crate::model::identity::group_sessions(&refs) {
        use crate::model::finding::{SignalStatus, Verdict};
        let member_findings: Vec<&crate::model::finding::SessionFinding> =
            members.iter().filter_map(|&m| findings.get(m).copied()).collect();
        let worst = member_findings
            .iter()
            .max_by_key(|f| if f.verdict == Verdict::Info { (0, Verdict::Info) } else { (1, f.verdict) })
            .copied();
        let verdict = if member_findings.iter().any(|f| f.verdict == Verdict::Info) {
            member_findings.iter().find(|f| f.verdict == Verdict::Info).copied()
        } else {
            worst
        };
        let mut fired = Vec::new();
        let mut not_evaluated = Vec::new();
        for f in &member_findings {
            for sig in &f.signals {
                let line = format!("{}: {}", sig.id, clipped(&visible(&sig.reason), 300));
                match sig.status {
                    SignalStatus::Fired if !fired.contains(&line) => fired.push(line),
                    SignalStatus::NotEvaluated if !not_evaluated.contains(&sig.id.to_string()) => {
                        not_evaluated.push(sig.id.to_string())
                    }
                    _ => {}
                }
            }
        }
        // The latest observation gives the fields shown; the others are listed as sources.
        let &(last_acq, sess) = &observed[*members.last().expect("groups are never empty")];
        let stz = zones[last_acq].as_ref();
        let app = join_some(&[&sess.app_name, &sess.app_version]);
        let system = join_some(&[&sess.platform, &sess.system_version]);
        let place = join_some_sep(&[&sess.region, &sess.country], ", ");
        let mut flags = Vec::new();
        for (v, name) in [
            (sess.current, "current (the acquiring session)"),
            (sess.password_pending, "password pending"),
            (sess.unconfirmed, "unconfirmed"),
            (sess.official_app.map(|o| !o), "not an official app"),
        ] {
            if v == Some(true) {
                flags.push(name);
            }
        }
        let sources = members
            .iter()
            .map(|&m| format!("acquisition {} {}", observed[m].0 + 1, visible(&observed[m].1.locator)))
            .collect();
        sessions.push(SessionRow {
            number: sessions.len() + 1,
            sources,
            matched_by: basis.map(|b| format!("seen in {} acquisitions: {b}", members.len())),
            disagreements: disagreements(&members.iter().map(|&m| observed[m]).collect::<Vec<_>>()),
            as_written: sess
                .as_written
                .iter()
                .flatten()
                .map(|l| format!("“{}”", clipped(&visible(l), MAX_SHOWN)))
                .collect(),
            verdict: verdict.map(|f| f.verdict.as_str().to_string()).unwrap_or_else(|| "not evaluated".into()),
            verdict_reason: verdict.map(|f| f.verdict_reason.clone()).unwrap_or_default(),
            fired,
            not_evaluated,
            app: show(&app),
            device: show(&sess.device_model),
            system: show(&system),
            ip: show(&sess.ip),
            network: network_summary(&input.enrichment, &sess.ip),
            place: show(&place),
            created: sess.created.as_ref().map(|t| time_cell(t, tz, stz)),
            last_active: sess.last_active.as_ref().map(|t| time_cell(t, tz, stz)),
            flags: if flags.is_empty() { "—".into() } else { flags.join(", ") },
        });
    }
    for (i, item) in input.snapshots.iter().enumerate() {
        let n = i + 1;
        let s = &item.snapshot;
        let source_zone = s.source.source_tz.as_deref().and_then(|n| TimeZone::get(n).ok());
        let stz = source_zone.as_ref();
        for w in &s.web_sessions {
            web_sessions.push(WebSessionRow {
                acquisition: n,
                network: network_summary(&input.enrichment, &w.ip),
                domain: show(&w.domain),
                bot: show(&w.bot_username.as_ref().map(|b| format!("@{b}"))),
                browser: show(&join_some_sep(&[&w.browser, &w.platform], ", ")),
                ip: show(&w.ip),
                region: show(&w.region),
                created: w.created.as_ref().map(|t| time_cell(t, tz, stz)),
                last_active: w.last_active.as_ref().map(|t| time_cell(t, tz, stz)),
                locator: visible(&w.locator),
            });
        }
        for e in &s.security_log {
            let detail = e
                .detail
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| format!("{k}: {v}"))
                .collect::<Vec<_>>()
                .join("; ");
            security_log.push(EventRow {
                acquisition: n,
                network: network_summary(&input.enrichment, &e.ip),
                event: clipped(&visible(&e.event), MAX_SHOWN),
                at: e.at.as_ref().map(|t| time_cell(t, tz, stz)),
                app_id: e.app_id.map(|a| a.to_string()).unwrap_or_else(|| "—".into()),
                ip: show(&e.ip),
                detail: if detail.is_empty() { "—".into() } else { clipped(&visible(&detail), MAX_SHOWN) },
                locator: visible(&e.locator),
            });
        }
        acquisitions.push(AcquisitionRow {
            number: n,
            snapshot: item.rel_path.clone(),
            method: s.method.as_str().into(),
            file_name: clipped(&visible(&s.source.file_name), MAX_SHOWN),
            sha256: s.source.sha256.clone(),
            bytes: s.source.bytes,
            acquired_at: s.acquired_at.clone(),
            captured_at: s.captured_at.as_ref().map(|t| time_cell(t, tz, stz)),
            source_tz: s.source.source_tz.clone().unwrap_or_else(|| "—".into()),
            tool: s
                .source
                .tool
                .as_ref()
                .map(|t| {
                    clipped(
                        &visible(&format!(
                            "{}{}",
                            t.name,
                            t.version.as_ref().map(|v| format!(" {v}")).unwrap_or_default()
                        )),
                        MAX_SHOWN,
                    )
                })
                .unwrap_or_else(|| "not stated".into()),
            account: describe_account(&s.account),
            sessions: s.sessions.len(),
            web_sessions: s.web_sessions.len(),
            companions: s
                .source
                .companions
                .iter()
                .map(|c| {
                    format!(
                        "{} ({}): sha256 {}, {} bytes",
                        clipped(&visible(&c.file_name), MAX_SHOWN),
                        c.role,
                        c.sha256,
                        c.bytes
                    )
                })
                .collect(),
            warnings: s
                .warnings
                .iter()
                .map(|w| WarningRow {
                    locator: visible(&w.locator),
                    message: clipped(&visible(&w.message), MAX_SHOWN * 2),
                })
                .collect(),
        });
    }

    let evidence = input
        .evidence
        .iter()
        .map(|e| {
            let sha = &e.sha256;
            let mut names: Vec<String> = Vec::new();
            for item in &input.snapshots {
                let src = &item.snapshot.source;
                if &src.sha256 == sha {
                    names.push(format!("{} ({})", src.file_name, item.snapshot.method.as_str()));
                }
                for c in src.companions.iter().filter(|c| &c.sha256 == sha) {
                    names.push(format!("{} ({})", c.file_name, c.role));
                }
            }
            names.dedup();
            EvidenceRow {
                path: e.rel_path.clone(),
                bytes: e.bytes,
                sha256: e.sha256.clone(),
                received_as: if names.is_empty() {
                    "—".into()
                } else {
                    clipped(&visible(&names.join("; ")), MAX_SHOWN)
                },
                intact: e.intact,
            }
        })
        .collect();

    let custody = input
        .custody
        .iter()
        .map(|c| CustodyRow {
            seq: c.seq,
            at: c.at.clone(),
            actor: clipped(&visible(&c.actor), MAX_SHOWN),
            action: c.action.clone(),
            tool: format!("{} {}", c.tool.name, c.tool.version),
            files: c
                .inputs
                .iter()
                .map(|f| format!("in: {} ({})", clipped(&visible(&f.path), 120), short(&f.sha256)))
                .chain(
                    c.outputs
                        .iter()
                        .map(|f| format!("out: {} ({})", clipped(&visible(&f.path), 120), short(&f.sha256))),
                )
                .collect::<Vec<_>>()
                .join("\n"),
            note: c.note.as_deref().map(|n| clipped(&visible(n), MAX_SHOWN)).unwrap_or_default(),
        })
        .collect();

    let subject = &input.config.subject;
    let warnings = input.snapshots.iter().map(|s| s.snapshot.warnings.len()).sum();
    let mut notes = Vec::new();
    // Two sources name different accounts when an identifier both carry differs.
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
                conflicts.push(format!(
                    "acquisition {} ({}) and acquisition {} ({})",
                    i + 1,
                    describe_account(&input.snapshots[i].snapshot.account),
                    j + 1,
                    describe_account(&input.snapshots[j].snapshot.account)
                ));
            }
        }
    }
    if !conflicts.is_empty() {
        notes.push(format!(
            "The acquisitions name different Telegram accounts: {}. Sessions of one account say nothing about another; \
             check that every source belongs to the subject's account.",
            conflicts.join("; ")
        ));
    }
    ReportView {
        cover: Cover {
            case_id: visible(&input.config.case.id),
            examiner: input
                .config
                .case
                .examiner
                .as_deref()
                .map(visible)
                .unwrap_or_else(|| "not named in case.toml".into()),
            subject: subject
                .pseudonym
                .as_deref()
                .map(visible)
                .unwrap_or_else(|| "the account owner (no pseudonym declared)".into()),
            subject_tz: subject.time_zone.clone(),
            generated_utc: format_utc(input.generated_at),
            generated_local: tz.map(|z| format_local(input.generated_at, z)),
            tool: format!("{} {}", crate::TOOL_NAME, crate::TOOL_VERSION),
            binary_sha256: input.binary_sha256.clone(),
            signing_key_id: None,
        },
        summary: Summary {
            acquisitions: input.snapshots.len(),
            sessions: sessions.len(),
            web_sessions: web_sessions.len(),
            security_events: security_log.len(),
            warnings,
            notes,
            analysis:
                "Each session is judged only against what the subject declared (section 5) and the offline network \
                       facts about its IP (section 9 names the data). Wording states what the data is consistent with, \
                       never what a person did; a signal that lacked what it needs is \"not evaluated\", never clean."
                    .into(),
            verdicts: {
                let mut v = Vec::new();
                for (verdict, label) in
                    [("act-now", "act now"), ("review", "review"), ("ok", "ok"), ("info", "information only")]
                {
                    let n = sessions.iter().filter(|r| r.verdict == verdict).count();
                    if n > 0 {
                        v.push(KeyValue { key: label.into(), value: n.to_string() });
                    }
                }
                v
            },
            account_findings: input
                .analysis
                .account
                .iter()
                .filter(|s| s.status == crate::model::finding::SignalStatus::Fired)
                .map(|s| format!("{}: {}", s.id, visible(&s.reason)))
                .collect(),
            verdict_rule: crate::analyze::verdict::RULE.into(),
        },
        baseline: baseline_rows(&input.config),
        sessions,
        web_sessions,
        security_log,
        acquisitions,
        evidence,
        custody,
        data_sources: input
            .enrichment
            .sources
            .iter()
            .map(|s| {
                let or_dash = |v: &Option<String>| v.as_deref().map(visible).unwrap_or_else(|| "—".into());
                SourceRow {
                    id: s.id.clone(),
                    name: visible(&s.name),
                    version: or_dash(&s.version),
                    build_date: or_dash(&s.build_date),
                    licence: or_dash(&s.licence),
                    sha256: or_dash(&s.sha256),
                    path: or_dash(&s.path),
                    attribution: or_dash(&s.attribution),
                }
            })
            .collect(),
        missing_layers: input.enrichment.missing_layers.clone(),
        data_warnings: input.enrichment.warnings.iter().map(|w| visible(w)).collect(),
    }
}

/// One line on who owns an address and what it is used for, each fact with its source id.
fn network_summary(e: &crate::model::enrichment::Enrichment, ip: &Option<String>) -> String {
    use crate::model::enrichment::{AddressClass, FlagKind};
    let Some(facts) = crate::enrich::is_lookup_candidate(ip).and_then(|i| e.ips.get(i)) else {
        return "no IP".into();
    };
    if facts.normalized.is_none() {
        return "not an IP address: not looked up".into();
    }
    if let Some(class) = facts.class.filter(|c| *c != AddressClass::Public) {
        return format!("{}: not looked up", crate::enrich::classify::describe(class));
    }
    let mut parts = Vec::new();
    match &facts.asn {
        Some(a) => parts.push(format!(
            "AS{} {} [{}]",
            a.value.number,
            a.value.organization.as_deref().map(|o| clipped(&visible(o), 60)).unwrap_or_default(),
            a.source
        )),
        None => parts.push("AS unknown".into()),
    }
    if let Some(isp) = &facts.isp {
        parts.push(format!("ISP {} [{}]", clipped(&visible(&isp.value), 60), isp.source));
    }
    match (&facts.place, &facts.country) {
        (Some(p), _) => {
            let v = &p.value;
            let text =
                [&v.city, &v.region, &v.country].iter().filter_map(|x| x.as_deref()).collect::<Vec<_>>().join(", ");
            parts.push(format!("geolocated {} [{}]", visible(&text), p.source));
        }
        (None, Some(c)) => parts.push(format!("geolocated {} [{}]", c.value, c.source)),
        _ => {}
    }
    // One entry per kind, with every source that set it.
    let mut kinds: Vec<(FlagKind, Vec<&str>)> = Vec::new();
    for f in &facts.flags {
        match kinds.iter_mut().find(|(k, _)| *k == f.kind) {
            Some((_, sources)) if !sources.contains(&f.source.as_str()) => sources.push(&f.source),
            Some(_) => {}
            None => kinds.push((f.kind, vec![&f.source])),
        }
    }
    for (kind, sources) in kinds {
        let label = match kind {
            FlagKind::Telegram => "TELEGRAM INFRASTRUCTURE",
            FlagKind::Tor => "Tor",
            FlagKind::Vpn => "VPN or data center",
            FlagKind::Proxy => "proxy",
            FlagKind::Hosting => "hosting / cloud",
            FlagKind::Cdn => "CDN",
            FlagKind::Relay => "privacy relay",
            FlagKind::PublicDns => "public DNS",
        };
        parts.push(format!("{label} [{}]", sources.join(", ")));
    }
    parts.join(" · ")
}

/// The declared baseline, one row per declared key; what is not declared says so.
fn baseline_rows(config: &CaseConfig) -> Vec<KeyValue> {
    let s = &config.subject;
    let list = |v: &[String]| {
        if v.is_empty() { None } else { Some(v.iter().map(|x| visible(x)).collect::<Vec<_>>().join(", ")) }
    };
    let rows: Vec<(&str, Option<String>)> = vec![
        ("Time zone", s.time_zone.clone()),
        (
            "Sleeping hours (local)",
            s.sleep.map(|w| format!("{} to {}", w.from.strftime("%H:%M"), w.to.strftime("%H:%M"))),
        ),
        ("Usual countries", list(&s.usual_countries)),
        ("Usual cities", list(&s.usual_cities)),
        ("VPN providers", list(&s.vpn_providers)),
        ("Sites logged into with Telegram", list(&s.web_domains)),
        ("Bots or scripts active at night", s.automation.map(|a| if a { "yes".into() } else { "no".into() })),
        ("Last known good", s.last_known_good.map(format_utc)),
        ("Incident window", s.incident_window.map(|w| format!("{} to {}", format_utc(w.from), format_utc(w.to)))),
        (
            "Devices",
            if s.devices.is_empty() {
                None
            } else {
                Some(
                    s.devices
                        .iter()
                        .map(|d| {
                            let extra = [&d.platform, &d.app]
                                .iter()
                                .filter_map(|x| x.as_deref())
                                .collect::<Vec<_>>()
                                .join(", ");
                            if extra.is_empty() {
                                visible(&d.model)
                            } else {
                                visible(&format!("{} ({extra})", d.model))
                            }
                        })
                        .collect::<Vec<_>>()
                        .join("; "),
                )
            },
        ),
        (
            "Travel",
            if s.travel.is_empty() {
                None
            } else {
                Some(
                    s.travel
                        .iter()
                        .map(|t| {
                            let city = t.city.as_deref().map(|c| format!("{}, ", visible(c))).unwrap_or_default();
                            format!("{city}{} from {} to {}", t.country, t.from, t.to)
                        })
                        .collect::<Vec<_>>()
                        .join("; "),
                )
            },
        ),
    ];
    rows.into_iter()
        .map(|(k, v)| KeyValue { key: k.to_string(), value: v.unwrap_or_else(|| "not declared".into()) })
        .collect()
}

/// The account a source names, with identifying parts shortened for a pseudonymous report.
fn describe_account(a: &crate::model::snapshot::Account) -> String {
    let mut parts = Vec::new();
    if let Some(id) = a.user_id {
        parts.push(format!("user id {id}"));
    }
    if let Some(u) = &a.username {
        parts.push(format!("username {}", mask(u)));
    }
    if let Some(p) = &a.phone {
        parts.push(format!("phone {}", mask(p)));
    }
    if parts.is_empty() { "not stated by the source".into() } else { parts.join(", ") }
}

/// Keeps the first two and last two characters: enough to tell accounts apart, not to name one.
fn mask(s: &str) -> String {
    let chars: Vec<char> = s.chars().filter(|c| !c.is_whitespace()).collect();
    if chars.len() <= 4 {
        return "•".repeat(chars.len());
    }
    let head: String = chars[..2].iter().collect();
    let tail: String = chars[chars.len() - 2..].iter().collect();
    visible(&format!("{head}{}{tail}", "•".repeat(chars.len() - 4)))
}

/// The fields on which observations of one session disagree (last active is expected to move).
fn disagreements(obs: &[(usize, &Session)]) -> Vec<String> {
    type Field = fn(&Session) -> Option<String>;
    let fields: [(&str, Field); 7] = [
        ("app", |s| join_some(&[&s.app_name, &s.app_version])),
        ("device", |s| s.device_model.clone()),
        ("system", |s| join_some(&[&s.platform, &s.system_version])),
        ("IP", |s| s.ip.clone()),
        ("country", |s| s.country.clone()),
        ("region", |s| s.region.clone()),
        ("created", |s| s.created.as_ref().and_then(|t| t.utc.clone())),
    ];
    let mut out = Vec::new();
    for (name, get) in fields {
        let values: Vec<(usize, String)> = obs.iter().filter_map(|(acq, s)| get(s).map(|v| (acq + 1, v))).collect();
        if values.windows(2).any(|w| w[0].1 != w[1].1) {
            let list: Vec<String> =
                values.iter().map(|(acq, v)| format!("{} (acquisition {acq})", clipped(&visible(v), 80))).collect();
            out.push(format!("{name}: {}", list.join(" vs ")));
        }
    }
    out
}

fn join_some(parts: &[&Option<String>]) -> Option<String> {
    join_some_sep(parts, " ")
}

fn join_some_sep(parts: &[&Option<String>], sep: &str) -> Option<String> {
    let present: Vec<&str> = parts.iter().filter_map(|p| p.as_deref()).collect();
    if present.is_empty() { None } else { Some(present.join(sep)) }
}

fn short(sha: &str) -> String {
    format!("sha256 {}…", &sha[..sha.len().min(12)])
}

/// "2026-11-19 02:12:00 UTC".
pub fn format_utc(t: Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M:%S UTC").to_string()
}

/// "2026-11-19 03:12:00 CET (Europe/Berlin)".
pub fn format_local(t: Timestamp, tz: &TimeZone) -> String {
    let z = t.to_zoned_datetime(tz.clone());
    format!("{} ({})", z.strftime("%Y-%m-%d %H:%M:%S %Z"), tz.iana_name().unwrap_or("subject's zone"))
}

/// A time for display. Day-only values (a screenshot's "Tue") are shown as a date in the zone
/// they were read in, never as a precise instant; minute values without seconds.
fn time_cell(t: &Time, tz: Option<&TimeZone>, source_tz: Option<&TimeZone>) -> TimeCell {
    use crate::model::snapshot::Precision;
    let basis = match t.basis {
        TimeBasis::Unix => "unix time",
        TimeBasis::Offset => "time with offset",
        TimeBasis::LocalAssumed => "local time, zone assumed",
        TimeBasis::LocalUnknown => "local time, zone unknown",
    };
    let ts = t.utc.as_deref().and_then(|u| u.parse::<Timestamp>().ok());
    let (utc, local) = match (ts, t.precision) {
        (None, _) => ("unknown".to_string(), None),
        (Some(ts), Some(Precision::Day)) => {
            let zone = source_tz.or(tz).cloned().unwrap_or(TimeZone::UTC);
            let day = ts.to_zoned_datetime(zone.clone()).date();
            (format!("{day} (day only, {})", zone.iana_name().unwrap_or("UTC")), None)
        }
        (Some(ts), Some(Precision::Minute)) => (
            ts.strftime("%Y-%m-%d %H:%M UTC").to_string(),
            tz.map(|z| {
                let zt = ts.to_zoned_datetime(z.clone());
                format!("{} ({})", zt.strftime("%Y-%m-%d %H:%M %Z"), z.iana_name().unwrap_or("subject's zone"))
            }),
        ),
        (Some(ts), None) => (format_utc(ts), tz.map(|z| format_local(ts, z))),
    };
    let original = clipped(&visible(&t.original), 80);
    TimeCell {
        utc,
        local,
        original: match t.basis {
            TimeBasis::Unix => format!("unix time {original}"),
            _ => format!("as written: “{original}”"),
        },
        basis: basis.to_string(),
    }
}
