//! The record tables: web sessions, the account's security log, acquisitions, preserved
//! originals, the custody log, the declared baseline and the data sources.

use super::Ctx;
use super::format::{MAX_SHOWN, capture_text, dash, describe_account, format_utc, join_some_sep, safe, short, show};
use super::network::net;
use super::sessions::{signal_title, verdict_words};
use crate::model::CaseConfig;
use crate::model::capture::{Capture, CapturedAtBasis};
use crate::model::finding::SignalStatus;
use crate::model::view::*;
use crate::render::i18n::{Catalogue, Lang};

pub(super) fn web_sessions(ctx: &Ctx) -> Vec<WebSessionRow> {
    let c = ctx.c;
    let mut out = Vec::new();
    let mut k = 0;
    for (a, item) in ctx.input.snapshots.iter().enumerate() {
        for w in &item.snapshot.web_sessions {
            // The web findings are in the same order as the web sessions.
            let finding = ctx.input.analysis.web_sessions.get(k);
            k += 1;
            let (verdict, verdict_label) = verdict_words(c, finding.map(|f| f.verdict));
            let fired = finding
                .iter()
                .flat_map(|f| f.signals.iter())
                .filter(|s| s.status == SignalStatus::Fired)
                .map(|s| match c.lang() {
                    Lang::En => format!("{}: {}", signal_title(c, s.id), safe(c, &s.reason, MAX_SHOWN)),
                    _ => signal_title(c, s.id),
                })
                .collect();
            out.push(WebSessionRow {
                acquisition: a + 1,
                verdict,
                verdict_label,
                fired,
                network: net(ctx, &w.ip).line(),
                domain: show(c, &w.domain),
                bot: show(c, &w.bot_username.as_ref().map(|b| format!("@{b}"))),
                browser: show(c, &join_some_sep(&[&w.browser, &w.platform], ", ")),
                ip: show(c, &w.ip),
                region: show(c, &w.region),
                created: w.created.as_ref().map(|t| ctx.time(t, a)),
                last_active: w.last_active.as_ref().map(|t| ctx.time(t, a)),
                locator: safe(c, &w.locator, 200),
            });
        }
    }
    out
}

pub(super) fn security_log(ctx: &Ctx) -> Vec<EventRow> {
    let c = ctx.c;
    let mut out = Vec::new();
    for (a, item) in ctx.input.snapshots.iter().enumerate() {
        for e in &item.snapshot.security_log {
            let detail = e
                .detail
                .iter()
                .filter(|(_, v)| !v.is_empty())
                .map(|(k, v)| format!("{k}: {v}"))
                .collect::<Vec<_>>()
                .join("; ");
            out.push(EventRow {
                acquisition: a + 1,
                network: net(ctx, &e.ip).line(),
                event: safe(c, &e.event, MAX_SHOWN),
                at: e.at.as_ref().map(|t| ctx.time(t, a)),
                app_id: e.app_id.map(|x| x.to_string()).unwrap_or_else(dash),
                ip: show(c, &e.ip),
                detail: if detail.is_empty() { dash() } else { safe(c, &detail, MAX_SHOWN) },
                locator: safe(c, &e.locator, 200),
            });
        }
    }
    out
}

pub(super) fn acquisitions(ctx: &Ctx) -> Vec<AcquisitionRow> {
    let c = ctx.c;
    ctx.input
        .snapshots
        .iter()
        .enumerate()
        .map(|(a, item)| {
            let s = &item.snapshot;
            let n = a + 1;
            let tool = s.source.tool.as_ref().map(|t| {
                let text = format!("{}{}", t.name, t.version.as_ref().map(|v| format!(" {v}")).unwrap_or_default());
                safe(c, &text, MAX_SHOWN)
            });
            AcquisitionRow {
                number: n,
                heading: c.tf("acquisitions.heading_one", &[("n", &n.to_string()), ("method", s.method.as_str())]),
                snapshot: item.rel_path.clone(),
                method: s.method.as_str().into(),
                file_name: safe(c, &s.source.file_name, MAX_SHOWN),
                sha256: s.source.sha256.clone(),
                bytes: s.source.bytes,
                acquired_at: s.acquired_at.clone(),
                captured_at: match &s.captured_at {
                    Some(t) if s.captured_at_basis == Some(CapturedAtBasis::StatedByExaminer) => {
                        let cell = ctx.time(t, a);
                        c.tf(
                            "acquisitions.captured_by_examiner",
                            &[("at", &c.isolate(&cell.utc)), ("original", &cell.original)],
                        )
                    }
                    Some(t) => {
                        let cell = ctx.time(t, a);
                        format!("{} ({})", c.isolate(&cell.utc), cell.original)
                    }
                    None => {
                        c.tf("acquisitions.not_stated_bounded", &[("bounds", &capture_text(c, &Capture::of(s).text()))])
                    }
                },
                capture_bounds: s
                    .capture_window
                    .iter()
                    .flat_map(|w| {
                        [("acquisitions.not_before", &w.not_before), ("acquisitions.not_after", &w.not_after)]
                    })
                    .filter_map(|(key, b)| {
                        let b = b.as_ref()?;
                        let at = b.utc.parse().map(format_utc).unwrap_or_else(|_| b.utc.clone());
                        Some(c.tf(key, &[("at", &at), ("basis", &safe(c, &b.basis, MAX_SHOWN * 2))]))
                    })
                    .collect(),
                reread: s.reread_of.as_ref().map(|r| {
                    c.tf(
                        "acquisitions.reread",
                        &[
                            ("snapshot", &safe(c, &r.snapshot, MAX_SHOWN)),
                            ("sha256", &r.sha256),
                            ("changed", &safe(c, &r.changed.join("; "), MAX_SHOWN)),
                        ],
                    )
                }),
                source_tz: s.source.source_tz.clone().unwrap_or_else(dash),
                tool: tool.unwrap_or_else(|| c.t("acquisitions.not_stated")),
                account: describe_account(c, &s.account),
                contents: c.join(&[
                    c.tn("count.sessions", s.sessions.len(), &[]),
                    c.tn("count.web_sessions", s.web_sessions.len(), &[]),
                ]),
                companions: s
                    .source
                    .companions
                    .iter()
                    .map(|x| {
                        c.tf(
                            "acquisitions.companion",
                            &[
                                ("file", &safe(c, &x.file_name, MAX_SHOWN)),
                                ("role", &x.role),
                                ("sha256", &x.sha256),
                                ("bytes", &x.bytes.to_string()),
                            ],
                        )
                    })
                    .collect(),
                warnings_heading: c.tn("acquisitions.warnings", s.warnings.len(), &[]),
                warnings: s
                    .warnings
                    .iter()
                    .map(|w| WarningRow {
                        locator: safe(c, &w.locator, 200),
                        message: safe(c, &w.message, MAX_SHOWN * 2),
                    })
                    .collect(),
            }
        })
        .collect()
}

pub(super) fn evidence(ctx: &Ctx) -> Vec<EvidenceRow> {
    let c = ctx.c;
    ctx.input
        .evidence
        .iter()
        .map(|e| {
            let sha = &e.sha256;
            let mut names: Vec<String> = Vec::new();
            for item in &ctx.input.snapshots {
                let src = &item.snapshot.source;
                if &src.sha256 == sha {
                    names.push(format!("{} ({})", src.file_name, item.snapshot.method.as_str()));
                }
                for x in src.companions.iter().filter(|x| &x.sha256 == sha) {
                    names.push(format!("{} ({})", x.file_name, x.role));
                }
            }
            names.dedup();
            EvidenceRow {
                path: e.rel_path.clone(),
                bytes: e.bytes,
                sha256: e.sha256.clone(),
                received_as: if names.is_empty() { dash() } else { safe(c, &names.join("; "), MAX_SHOWN) },
                intact: e.intact,
                check: c.t(if e.intact { "evidence.matches" } else { "evidence.does_not_match" }),
            }
        })
        .collect()
}

pub(super) fn custody(ctx: &Ctx) -> Vec<CustodyRow> {
    let c = ctx.c;
    ctx.input
        .custody
        .iter()
        .map(|e| CustodyRow {
            seq: e.seq,
            at: e.at.clone(),
            actor: safe(c, &e.actor, MAX_SHOWN),
            action: e.action.clone(),
            tool: format!("{} {}", e.tool.name, e.tool.version),
            files: e
                .inputs
                .iter()
                .map(|f| format!("{} {} ({})", c.t("custody.in"), safe(c, &f.path, 120), short(&f.sha256)))
                .chain(
                    e.outputs
                        .iter()
                        .map(|f| format!("{} {} ({})", c.t("custody.out"), safe(c, &f.path, 120), short(&f.sha256))),
                )
                .collect::<Vec<_>>()
                .join("\n"),
            note: e.note.as_deref().map(|n| safe(c, n, MAX_SHOWN)).unwrap_or_default(),
        })
        .collect()
}

pub(super) fn data_sources(ctx: &Ctx) -> Vec<SourceRow> {
    let c = ctx.c;
    // The world data draws the map and places countries for the distance checks, and the
    // country names read Telegram's countries: cited too.
    let mut world = crate::model::world::sources();
    world.push(crate::model::countries::names_source());
    let releases = crate::analyze::apps::releases_source();
    ctx.input
        .enrichment
        .sources
        .iter()
        .chain(&world)
        .chain(&releases)
        .map(|s| {
            let or_dash = |v: &Option<String>| v.as_deref().map(|x| safe(c, x, MAX_SHOWN * 2)).unwrap_or_else(dash);
            SourceRow {
                id: s.id.clone(),
                name: safe(c, &s.name, MAX_SHOWN),
                version: or_dash(&s.version),
                build_date: or_dash(&s.build_date),
                licence: or_dash(&s.licence),
                sha256: or_dash(&s.sha256),
                path: or_dash(&s.path),
                attribution: or_dash(&s.attribution),
            }
        })
        .collect()
}

/// The declared baseline, one row per declared key; what is not declared says so.
pub(super) fn baseline(c: &Catalogue, config: &CaseConfig) -> Vec<KeyValue> {
    let s = &config.subject;
    let list = |v: &[String]| {
        if v.is_empty() { None } else { Some(v.iter().map(|x| safe(c, x, 120)).collect::<Vec<_>>().join(", ")) }
    };
    let span = |from: String, to: String| c.tf("baseline.span", &[("from", &from), ("to", &to)]);
    let devices = s.devices.iter().map(|d| {
        let extra = [&d.platform, &d.app].iter().filter_map(|x| x.as_deref()).collect::<Vec<_>>().join(", ");
        if extra.is_empty() { safe(c, &d.model, 120) } else { safe(c, &format!("{} ({extra})", d.model), 200) }
    });
    let travel = s.travel.iter().map(|t| {
        let city = t.city.as_deref().map(|x| format!("{}, ", safe(c, x, 80))).unwrap_or_default();
        format!("{city}{} {}", t.country, span(t.from.to_string(), t.to.to_string()))
    });
    let rows: Vec<(&str, Option<String>)> = vec![
        ("baseline.time_zone", s.time_zone.clone()),
        (
            "baseline.sleep",
            s.sleep.map(|w| span(w.from.strftime("%H:%M").to_string(), w.to.strftime("%H:%M").to_string())),
        ),
        ("baseline.usual_countries", list(&s.usual_countries)),
        ("baseline.usual_cities", list(&s.usual_cities)),
        ("baseline.vpn_providers", list(&s.vpn_providers)),
        ("baseline.web_domains", list(&s.web_domains)),
        ("baseline.automation", s.automation.map(|a| c.t(if a { "baseline.yes" } else { "baseline.no" }))),
        ("baseline.last_known_good", s.last_known_good.map(format_utc)),
        ("baseline.incident_window", s.incident_window.map(|w| span(format_utc(w.from), format_utc(w.to)))),
        ("baseline.devices", (!s.devices.is_empty()).then(|| devices.collect::<Vec<_>>().join("; "))),
        ("baseline.travel", (!s.travel.is_empty()).then(|| travel.collect::<Vec<_>>().join("; "))),
    ];
    rows.into_iter()
        .map(|(k, v)| KeyValue { key: c.t(k), value: v.unwrap_or_else(|| c.t("baseline.not_declared")) })
        .collect()
}
