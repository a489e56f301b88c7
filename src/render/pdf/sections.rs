//! The report's first sections, one function each, in the order of `templates/report.html`: the
//! cover, the summary, the sessions (with web sessions and the security log), the per-session
//! details, the pictures and the changes between acquisitions.

use super::doc::{Block, Cell, Para, Style, Table, Tone};
use super::report::{bdi, cell, header, heading, label, note, numbered, para, section, table, time, tone_of, value};
use crate::model::view::{ChangeRow, ReportView, SessionRow, SignalGroup, SignalView};

pub(super) fn cover(b: &mut Vec<Block>, r: &ReportView) {
    let c = &r.cover;
    section(b, r, "labels.cover.heading");
    let mut generated = value(r, Style::Small, &c.generated_utc);
    if let Some(local) = &c.generated_local {
        generated.push(Para::new(Style::Muted, bdi(r, local)));
    }
    let tool = vec![
        Para::new(Style::Small, bdi(r, &c.tool)),
        Para::new(Style::Muted, label(r, "labels.cover.binary_sha256")),
        Para::new(Style::MonoSmall, c.binary_sha256.clone()),
    ];
    b.push(Block::KeyValues(vec![
        (label(r, "labels.cover.case"), value(r, Style::Small, &c.case_id)),
        (label(r, "labels.cover.subject"), value(r, Style::Small, &c.subject)),
        (label(r, "labels.cover.examiner"), value(r, Style::Small, &c.examiner)),
        (label(r, "labels.cover.generated"), generated),
        (label(r, "labels.cover.subject_tz"), value(r, Style::Small, &c.subject_tz)),
        (label(r, "labels.cover.tool"), tool),
        (label(r, "labels.cover.manifest"), cell(Style::Small, c.manifest.clone())),
        (label(r, "labels.cover.contents"), cell(Style::Small, c.contents.clone())),
    ]));
    if let Some(id) = &c.signing_key_id {
        b.push(Block::KeyValues(vec![(
            label(r, "labels.cover.signed_with"),
            vec![
                Para::new(Style::MonoSmall, id.clone()),
                Para::new(Style::Muted, label(r, "labels.cover.signed_note")),
            ],
        )]));
    }
}

pub(super) fn summary(b: &mut Vec<Block>, r: &ReportView) {
    let s = &r.summary;
    section(b, r, "labels.summary.heading");
    b.push(para(Style::Strong, s.headline.clone()));
    heading(b, 2, label(r, "labels.summary.urgent"));
    b.push(numbered(1, &s.urgent, Style::Strong));
    if !s.verdicts.is_empty() {
        b.push(para(Style::Strong, label(r, "labels.summary.by_verdict")));
        b.push(Block::Table(Table {
            columns: 2,
            labels: true,
            header: Vec::new(),
            rows: s
                .verdicts
                .iter()
                .map(|v| {
                    vec![
                        cell(Style::Verdict(tone_of(&v.verdict)), v.label.clone()),
                        cell(Style::Small, v.count.to_string()),
                    ]
                })
                .collect(),
            zebra: false,
        }));
    }
    for a in &s.account_findings {
        b.push(note(Tone::Warn, format!("{} {a}", label(r, "labels.summary.account"))));
    }
    for n in &s.notes {
        b.push(note(Tone::Warn, format!("{} {n}", label(r, "labels.summary.attention"))));
    }
    b.push(note(Tone::Neutral, s.analysis.clone()));
}

/// A session's row, and beneath it, across the table, its signals (the HTML's verdict cell,
/// given the width to stay readable).
fn session_rows(r: &ReportView, s: &SessionRow) -> Vec<Vec<Cell>> {
    let mut device = vec![Para::new(Style::Small, bdi(r, &s.device)), Para::new(Style::Muted, bdi(r, &s.system))];
    if !s.as_written.is_empty() {
        let lines = s.as_written.iter().map(|l| bdi(r, l)).collect::<Vec<_>>().join(" / ");
        device.push(Para::new(Style::Muted, format!("{} {lines}", label(r, "labels.sessions.as_written"))));
    }
    let mut network = value(r, Style::Small, &s.network);
    network.extend(s.network_flags.iter().map(|f| Para::new(Style::Header, bdi(r, f))));
    let mut place = value(r, Style::Small, &s.place);
    if s.place != "—" {
        place.push(Para::new(Style::Muted, label(r, "labels.sessions.place_telegram")));
    }
    if s.geolocated != "—" {
        let geolocated = bdi(r, &s.geolocated);
        place.push(Para::new(Style::Muted, format!("{} {geolocated}", label(r, "labels.sessions.geolocated"))));
    }
    let mut source: Cell = s.sources.iter().map(|x| Para::new(Style::Small, bdi(r, x))).collect();
    if let Some(m) = &s.matched_by {
        source.push(Para::new(Style::Muted, m.clone()));
    }
    if s.flags != "—" {
        source.push(Para::new(Style::Header, s.flags.clone()));
    }
    let differ = label(r, "labels.sessions.differ");
    source.extend(s.disagreements.iter().map(|d| Para::new(Style::Verdict(Tone::Bad), format!("{differ} {d}"))));
    // A session with a detail gets the names of its fired signals; the reasons are in the detail.
    let detailed = s.detail_anchor.is_some();
    let separator = label(r, "labels.separator");
    let mut signals: Cell = Vec::new();
    if detailed && !s.fired_titles.is_empty() {
        let titles = s.fired_titles.join(&separator);
        signals.push(Para::new(Style::Small, format!("{} {titles}", label(r, "labels.sessions.fired"))));
    } else if !detailed {
        signals.extend(s.fired.iter().map(|f| Para::new(Style::Small, format!("• {f}"))));
        if !s.not_evaluated.is_empty() {
            let list = s.not_evaluated.join(&separator);
            signals.push(Para::new(Style::Muted, format!("{} {list}", label(r, "labels.sessions.not_evaluated"))));
        }
    }
    let main = vec![
        cell(Style::Small, s.number.to_string()),
        cell(Style::Verdict(tone_of(&s.verdict)), s.verdict_label.clone()),
        value(r, Style::Small, &s.app),
        device,
        value(r, Style::MonoSmall, &s.ip),
        network,
        place,
        time(r, &s.created, !detailed),
        time(r, &s.last_active, !detailed),
        source,
    ];
    // Said across the table's width: in the narrow source column it would squeeze the others.
    if let Some(m) = &s.possibly_same {
        signals.push(Para::new(Style::Muted, m.clone()));
    }
    if signals.is_empty() { vec![main] } else { vec![main, vec![signals]] }
}

pub(super) fn sessions(b: &mut Vec<Block>, r: &ReportView) {
    section(b, r, "labels.sessions.heading");
    if r.sessions.is_empty() {
        b.push(note(Tone::Neutral, label(r, "labels.sessions.empty")));
    } else {
        b.push(para(Style::Muted, label(r, "labels.sessions.intro")));
        b.push(table(
            header(
                r,
                &[
                    "labels.sessions.col_number",
                    "labels.sessions.col_verdict",
                    "labels.sessions.col_app",
                    "labels.sessions.col_device",
                    "labels.sessions.col_ip",
                    "labels.sessions.col_network",
                    "labels.sessions.col_place",
                    "labels.sessions.col_created",
                    "labels.sessions.col_last_active",
                    "labels.sessions.col_source",
                ],
            ),
            r.sessions.iter().flat_map(|s| session_rows(r, s)).collect(),
        ));
    }
    web_sessions(b, r);
    security_log(b, r);
}

fn web_sessions(b: &mut Vec<Block>, r: &ReportView) {
    heading(b, 2, label(r, "labels.web.heading"));
    if r.web_sessions.is_empty() {
        b.push(para(Style::Body, label(r, "labels.web.empty")));
        return;
    }
    // As in the sessions table, the fired signals run across the table under their row.
    let rows = r
        .web_sessions
        .iter()
        .flat_map(|w| {
            let main = vec![
                cell(Style::Small, w.acquisition.to_string()),
                cell(Style::Verdict(tone_of(&w.verdict)), w.verdict_label.clone()),
                value(r, Style::Small, &w.domain),
                value(r, Style::Small, &w.bot),
                value(r, Style::Small, &w.browser),
                vec![Para::new(Style::MonoSmall, bdi(r, &w.ip)), Para::new(Style::Small, bdi(r, &w.network))],
                value(r, Style::Small, &w.region),
                time(r, &w.created, false),
                time(r, &w.last_active, false),
            ];
            let fired: Cell = w.fired.iter().map(|f| Para::new(Style::Small, format!("• {f}"))).collect();
            if fired.is_empty() { vec![main] } else { vec![main, vec![fired]] }
        })
        .collect();
    b.push(table(
        header(
            r,
            &[
                "labels.web.col_acquisition",
                "labels.web.col_verdict",
                "labels.web.col_domain",
                "labels.web.col_bot",
                "labels.web.col_browser",
                "labels.web.col_ip",
                "labels.web.col_region",
                "labels.web.col_created",
                "labels.web.col_last_active",
            ],
        ),
        rows,
    ));
}

fn security_log(b: &mut Vec<Block>, r: &ReportView) {
    heading(b, 2, label(r, "labels.log.heading"));
    if r.security_log.is_empty() {
        b.push(para(Style::Body, label(r, "labels.log.empty")));
        return;
    }
    b.push(para(Style::Muted, label(r, "labels.log.intro")));
    let rows = r
        .security_log
        .iter()
        .map(|e| {
            vec![
                cell(Style::Small, e.acquisition.to_string()),
                value(r, Style::Small, &e.event),
                time(r, &e.at, false),
                cell(Style::Small, e.app_id.clone()),
                vec![Para::new(Style::MonoSmall, bdi(r, &e.ip)), Para::new(Style::Small, bdi(r, &e.network))],
                value(r, Style::Small, &e.detail),
            ]
        })
        .collect();
    b.push(table(
        header(
            r,
            &[
                "labels.log.col_acquisition",
                "labels.log.col_event",
                "labels.log.col_when",
                "labels.log.col_app_id",
                "labels.log.col_ip",
                "labels.log.col_details",
            ],
        ),
        rows,
    ));
}

/// Signals with their status, reason and facts.
fn signals_table(r: &ReportView, signals: &[SignalView]) -> Block {
    let rows = signals
        .iter()
        .map(|s| {
            let facts: Cell = if s.facts.is_empty() {
                cell(Style::Small, "—")
            } else {
                s.facts.iter().map(|f| Para::new(Style::Small, format!("{}: {}", f.key, bdi(r, &f.value)))).collect()
            };
            vec![
                vec![Para::new(Style::Small, s.title.clone()), Para::new(Style::MonoSmall, bdi(r, &s.id))],
                cell(Style::Verdict(tone_of(&s.status)), s.status_label.clone()),
                cell(Style::Small, s.reason.clone()),
                facts,
            ]
        })
        .collect();
    table(
        header(
            r,
            &[
                "labels.details.col_signal",
                "labels.details.col_status",
                "labels.details.col_reason",
                "labels.details.col_facts",
            ],
        ),
        rows,
    )
}

/// Signals that did not fire, one line per status and reason.
fn group_lines(r: &ReportView, groups: &[SignalGroup]) -> Block {
    Block::Bullets(
        groups
            .iter()
            .map(|g| {
                let names = g.signals.join(&label(r, "labels.separator"));
                Para::new(Style::Small, format!("{}: {} — {}", g.status_label, bdi(r, &names), g.reason))
            })
            .collect(),
    )
}

pub(super) fn details(b: &mut Vec<Block>, r: &ReportView) {
    section(b, r, "labels.details.heading");
    b.push(para(Style::Muted, label(r, "labels.details.intro")));
    if r.details.is_empty() {
        b.push(note(Tone::Neutral, label(r, "labels.details.empty")));
    }
    if !r.details_common.is_empty() {
        b.push(para(Style::Muted, label(r, "labels.details.common")));
        b.push(group_lines(r, &r.details_common));
    }
    for d in &r.details {
        heading(b, 2, bdi(r, &d.heading));
        b.push(Block::Note {
            tone: tone_of(&d.verdict),
            paras: vec![
                Para::new(Style::Verdict(tone_of(&d.verdict)), d.verdict_label.clone()),
                Para::new(Style::Small, d.verdict_reason.clone()),
            ],
        });
        if d.brief {
            b.push(para(Style::Muted, label(r, "labels.details.brief")));
        }
        b.push(para(Style::Strong, label(r, "labels.details.fields")));
        for o in &d.observations {
            b.push(para(Style::Muted, bdi(r, &o.heading)));
            // Two fields a row: the verbatim record takes half the height.
            b.push(table(
                header(
                    r,
                    &[
                        "labels.details.col_field",
                        "labels.details.col_value",
                        "labels.details.col_field",
                        "labels.details.col_value",
                    ],
                ),
                o.fields
                    .chunks(2)
                    .map(|pair| {
                        let mut row = Vec::with_capacity(4);
                        for f in pair {
                            row.push(value(r, Style::MonoSmall, &f.name));
                            row.push(value(r, Style::Small, &f.value));
                        }
                        row.resize_with(4, Vec::new);
                        row
                    })
                    .collect(),
            ));
        }
        if !d.enrichment.is_empty() {
            b.push(para(Style::Strong, label(r, "labels.details.network")));
            b.push(table(
                header(r, &["labels.details.col_fact", "labels.details.col_value", "labels.details.col_source"]),
                d.enrichment
                    .iter()
                    .map(|f| {
                        vec![
                            cell(Style::Header, f.label.clone()),
                            value(r, Style::Small, &f.value),
                            value(r, Style::MonoSmall, &f.source),
                        ]
                    })
                    .collect(),
            ));
        }
        if !d.signal_rows.is_empty() || !d.signal_groups.is_empty() {
            b.push(para(Style::Strong, label(r, "labels.details.signals")));
        }
        if !d.signal_rows.is_empty() {
            b.push(signals_table(r, &d.signal_rows));
        }
        if !d.signal_groups.is_empty() {
            b.push(para(Style::Muted, label(r, "labels.details.others")));
            b.push(group_lines(r, &d.signal_groups));
        }
    }
    heading(b, 2, label(r, "labels.details.account"));
    b.push(para(Style::Muted, label(r, "labels.details.account_intro")));
    b.push(signals_table(r, &r.account_signals));
}

pub(super) fn pictures(b: &mut Vec<Block>, r: &ReportView) {
    section(b, r, "labels.pictures.heading");
    if r.figures.is_empty() {
        b.push(para(Style::Muted, label(r, "labels.pictures.empty")));
    }
    b.extend(r.figures.iter().cloned().map(Block::Figure));
}

fn change_table(r: &ReportView, rows: &[ChangeRow]) -> Block {
    table(
        header(
            r,
            &[
                "labels.changes.col_change",
                "labels.changes.col_session",
                "labels.changes.col_where",
                "labels.changes.col_explanation",
            ],
        ),
        rows.iter()
            .map(|c| {
                let session = match c.number {
                    Some(n) => format!("{n} {}", bdi(r, &c.session)),
                    None => bdi(r, &c.session),
                };
                vec![
                    cell(Style::Verdict(tone_of(&c.kind)), c.kind_label.clone()),
                    cell(Style::Small, session),
                    value(r, Style::Small, &c.location),
                    cell(Style::Small, c.explanation.clone()),
                ]
            })
            .collect(),
    )
}

pub(super) fn changes(b: &mut Vec<Block>, r: &ReportView) {
    section(b, r, "labels.changes.heading");
    b.push(para(Style::Body, r.changes.intro.clone()));
    for p in &r.changes.pairs {
        heading(b, 2, bdi(r, &p.heading));
        if let Some(why) = &p.order_unknown {
            b.push(Block::Note { tone: Tone::Warn, paras: vec![Para::new(Style::Body, why.clone())] });
        }
        if p.rows.is_empty() {
            b.push(para(Style::Muted, label(r, "labels.changes.none")));
        } else {
            b.push(change_table(r, &p.rows));
        }
        b.push(para(Style::Muted, p.stayed.clone()));
        if !p.not_comparable.is_empty() {
            b.push(para(Style::Strong, label(r, "labels.changes.not_comparable")));
            b.push(change_table(r, &p.not_comparable));
        }
    }
}
