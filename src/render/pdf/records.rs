//! The report's later sections, one function each, in the order of `templates/report.html`: the
//! recommended actions, the methodology (with the declared baseline), the evidence inventory (with
//! the acquisitions), the chain of custody, how to verify, and the data sources.

use super::doc::{Block, Para, Style, Tone};
use super::report::{bdi, cell, header, heading, label, note, numbered, para, section, table, tone_of, value};
use crate::model::view::ReportView;

pub(super) fn actions(b: &mut Vec<Block>, r: &ReportView) {
    let a = &r.actions;
    section(b, r, "labels.actions.heading");
    b.push(para(Style::Body, a.intro.clone()));
    b.extend(a.warnings.iter().map(|w| note(Tone::Warn, w.clone())));
    let rows = a
        .items
        .iter()
        .map(|i| {
            vec![
                cell(Style::Strong, i.title.clone()),
                cell(Style::Verdict(tone_of(&i.status)), i.status_label.clone()),
                cell(Style::Small, i.why.clone()),
                i.paths.iter().map(|p| Para::new(Style::Small, p.clone())).collect(),
            ]
        })
        .collect();
    b.push(table(
        header(
            r,
            &[
                "labels.actions.col_action",
                "labels.actions.col_status",
                "labels.actions.col_why",
                "labels.actions.col_where",
            ],
        ),
        rows,
    ));
}

pub(super) fn methodology(b: &mut Vec<Block>, r: &ReportView) {
    let m = &r.methodology;
    section(b, r, "labels.methodology.heading");
    b.extend(m.approach.iter().map(|p| para(Style::Body, p.clone())));
    heading(b, 2, label(r, "labels.methodology.rule"));
    b.push(note(Tone::Neutral, m.verdict_rule.clone()));
    heading(b, 2, label(r, "labels.methodology.limitations"));
    b.push(Block::Bullets(m.limitations.iter().map(|l| Para::new(Style::Body, l.clone())).collect()));
    heading(b, 2, label(r, "labels.methodology.signals"));
    let rows = m
        .signals
        .iter()
        .map(|s| {
            vec![
                value(r, Style::MonoSmall, &s.id),
                cell(Style::Small, s.title.clone()),
                cell(Style::Small, s.meaning.clone()),
                cell(Style::Muted, s.in_case.clone()),
            ]
        })
        .collect();
    b.push(table(
        header(
            r,
            &[
                "labels.methodology.col_id",
                "labels.methodology.col_signal",
                "labels.methodology.col_meaning",
                "labels.methodology.col_in_case",
            ],
        ),
        rows,
    ));
    heading(b, 2, label(r, "labels.baseline.heading"));
    b.push(para(Style::Muted, label(r, "labels.baseline.intro")));
    b.push(Block::KeyValues(
        r.baseline.iter().map(|kv| (kv.key.clone(), cell(Style::Small, kv.value.clone()))).collect(),
    ));
}

pub(super) fn evidence(b: &mut Vec<Block>, r: &ReportView) {
    section(b, r, "labels.evidence.heading");
    b.push(para(Style::Muted, label(r, "labels.evidence.intro")));
    let rows = r
        .evidence
        .iter()
        .map(|e| {
            vec![
                value(r, Style::MonoSmall, &e.path),
                value(r, Style::Small, &e.received_as),
                cell(Style::Small, e.bytes.to_string()),
                value(r, Style::MonoSmall, &e.sha256),
                cell(if e.intact { Style::Small } else { Style::Verdict(Tone::Bad) }, e.check.clone()),
            ]
        })
        .collect();
    b.push(table(
        header(
            r,
            &[
                "labels.evidence.col_file",
                "labels.evidence.col_received_as",
                "labels.evidence.col_bytes",
                "labels.evidence.col_sha256",
                "labels.evidence.col_check",
            ],
        ),
        rows,
    ));
    acquisitions(b, r);
}

fn acquisitions(b: &mut Vec<Block>, r: &ReportView) {
    heading(b, 2, label(r, "labels.acquisitions.heading"));
    for a in &r.acquisitions {
        b.push(para(Style::Strong, a.heading.clone()));
        let row = |key: &str, style: Style, text: &str| (label(r, key), value(r, style, text));
        let mut rows = vec![
            row("labels.acquisitions.file", Style::Small, &a.file_name),
            row("labels.acquisitions.sha256", Style::MonoSmall, &a.sha256),
            row("labels.acquisitions.bytes", Style::Small, &a.bytes.to_string()),
            row("labels.acquisitions.acquired", Style::Small, &a.acquired_at),
            row("labels.acquisitions.captured", Style::Small, &a.captured_at),
            row("labels.acquisitions.written_by", Style::Small, &a.tool),
            row("labels.acquisitions.account", Style::Small, &a.account),
            row("labels.acquisitions.zone", Style::Small, &a.source_tz),
            row("labels.acquisitions.snapshot", Style::MonoSmall, &a.snapshot),
            (label(r, "labels.acquisitions.contents"), cell(Style::Small, a.contents.clone())),
        ];
        if !a.capture_bounds.is_empty() {
            rows.insert(
                5,
                (
                    label(r, "labels.acquisitions.capture_bounds"),
                    a.capture_bounds.iter().map(|c| Para::new(Style::Small, bdi(r, c))).collect(),
                ),
            );
        }
        if let Some(reread) = &a.reread {
            let at = if a.capture_bounds.is_empty() { 5 } else { 6 };
            rows.insert(at, (label(r, "labels.acquisitions.reread"), vec![Para::new(Style::Small, bdi(r, reread))]));
        }
        if !a.companions.is_empty() {
            rows.push((
                label(r, "labels.acquisitions.companions"),
                a.companions.iter().map(|c| Para::new(Style::Small, bdi(r, c))).collect(),
            ));
        }
        b.push(Block::KeyValues(rows));
        if !a.warnings.is_empty() {
            b.push(Block::Note { tone: Tone::Warn, paras: vec![Para::new(Style::Strong, a.warnings_heading.clone())] });
            b.push(table(
                header(r, &["labels.acquisitions.col_where", "labels.acquisitions.col_what"]),
                a.warnings
                    .iter()
                    .map(|w| vec![value(r, Style::MonoSmall, &w.locator), value(r, Style::Small, &w.message)])
                    .collect(),
            ));
        }
    }
}

pub(super) fn custody(b: &mut Vec<Block>, r: &ReportView) {
    section(b, r, "labels.custody.heading");
    b.push(para(Style::Muted, label(r, "labels.custody.intro")));
    let rows = r
        .custody
        .iter()
        .map(|c| {
            vec![
                cell(Style::Small, c.seq.to_string()),
                value(r, Style::Small, &c.at),
                value(r, Style::Small, &c.actor),
                value(r, Style::Small, &c.action),
                value(r, Style::Small, &c.tool),
                value(r, Style::MonoSmall, &c.files),
                value(r, Style::Small, &c.note),
            ]
        })
        .collect();
    b.push(table(
        header(
            r,
            &[
                "labels.custody.col_seq",
                "labels.custody.col_when",
                "labels.custody.col_who",
                "labels.custody.col_action",
                "labels.custody.col_tool",
                "labels.custody.col_files",
                "labels.custody.col_note",
            ],
        ),
        rows,
    ));
}

pub(super) fn verification(b: &mut Vec<Block>, r: &ReportView) {
    let v = &r.verification;
    section(b, r, "labels.verification.heading");
    b.push(para(Style::Body, v.intro.clone()));
    for (i, s) in v.steps.iter().enumerate() {
        b.push(numbered(i + 1, std::slice::from_ref(&s.text), Style::Body));
        let commands = s.commands.iter().map(|c| bdi(r, c)).collect::<Vec<_>>().join("\n");
        b.push(Block::Note { tone: Tone::Neutral, paras: vec![Para::new(Style::Mono, commands)] });
        b.push(para(Style::Muted, s.expect.clone()));
    }
}

pub(super) fn data_sources(b: &mut Vec<Block>, r: &ReportView) {
    section(b, r, "labels.attributions.heading");
    b.push(para(Style::Muted, label(r, "labels.attributions.intro")));
    let rows = r
        .data_sources
        .iter()
        .map(|s| {
            let mut file = value(r, Style::MonoSmall, &s.sha256);
            if s.path != "—" {
                file.push(Para::new(Style::MonoSmall, bdi(r, &s.path)));
            }
            vec![
                value(r, Style::MonoSmall, &s.id),
                value(r, Style::Small, &s.name),
                value(r, Style::Small, &s.version),
                value(r, Style::Small, &s.build_date),
                value(r, Style::Small, &s.licence),
                file,
            ]
        })
        .collect();
    b.push(table(
        header(
            r,
            &[
                "labels.attributions.col_id",
                "labels.attributions.col_source",
                "labels.attributions.col_version",
                "labels.attributions.col_built",
                "labels.attributions.col_licence",
                "labels.attributions.col_file",
            ],
        ),
        rows,
    ));
    let missing = label(r, "labels.attributions.missing_layer");
    b.extend(r.missing_layers.iter().map(|m| note(Tone::Warn, format!("{missing} {}", bdi(r, m)))));
    let problem = label(r, "labels.attributions.data_problem");
    b.extend(r.data_warnings.iter().map(|w| note(Tone::Warn, format!("{problem} {}", bdi(r, w)))));
    heading(b, 2, label(r, "labels.attributions.required"));
    b.push(Block::Bullets(
        r.data_sources
            .iter()
            .filter(|s| s.attribution != "—")
            .map(|s| Para::new(Style::Small, bdi(r, &s.attribution)))
            .collect(),
    ));
}
