//! The report's sections, one function each, in the order of `templates/report.html` and with its
//! headings and texts. Each appends blocks for one section of the view model.

use super::doc::{Block, Cell, Para, Style, Table, Tone};
use super::report::{cell, heading, para, plural, time, tone_of};
use crate::model::view::{ReportView, SessionRow};

pub(super) fn cover(b: &mut Vec<Block>, r: &ReportView) {
    let c = &r.cover;
    let s = &r.summary;
    heading(b, 1, "1. Case");
    let mut generated = cell(Style::Small, c.generated_utc.clone());
    if let Some(local) = &c.generated_local {
        generated.push(Para::new(Style::Muted, local.clone()));
    }
    let tz = c.subject_tz.clone().unwrap_or_else(|| "not declared (times are shown in UTC only)".into());
    let contents = format!(
        "{}, {}, {}, {}, {}",
        plural(s.acquisitions, "acquisition", "acquisitions"),
        plural(s.sessions, "session", "sessions"),
        plural(s.web_sessions, "web session", "web sessions"),
        plural(s.security_events, "security-log entry", "security-log entries"),
        plural(s.warnings, "source warning", "source warnings"),
    );
    b.push(Block::KeyValues(vec![
        ("Case".into(), cell(Style::Small, c.case_id.clone())),
        ("Subject".into(), cell(Style::Small, c.subject.clone())),
        ("Examiner".into(), cell(Style::Small, c.examiner.clone())),
        ("Report generated".into(), generated),
        ("Subject's time zone".into(), cell(Style::Small, tz)),
        (
            "Tool".into(),
            vec![
                Para::new(Style::Small, c.tool.clone()),
                Para::new(Style::MonoSmall, format!("binary sha256 {}", c.binary_sha256)),
            ],
        ),
        ("Contents".into(), cell(Style::Small, contents)),
    ]));
    if let Some(id) = &c.signing_key_id {
        b.push(Block::KeyValues(vec![(
            "Signed with".into(),
            cell(Style::Small, format!("case key {id} (minisign key id; see VERIFY.txt)")),
        )]));
    }
    b.push(Block::Note { tone: Tone::Neutral, paras: vec![Para::new(Style::Small, s.analysis.clone())] });
    if !s.verdicts.is_empty() {
        b.push(Block::KeyValues(
            s.verdicts.iter().map(|v| (format!("Sessions: {}", v.key), cell(Style::Small, v.value.clone()))).collect(),
        ));
    }
    for a in &s.account_findings {
        b.push(Block::Note { tone: Tone::Warn, paras: vec![Para::new(Style::Small, format!("Account: {a}"))] });
    }
    b.push(para(Style::Muted, format!("Verdict rule: {}", s.verdict_rule)));
    for n in &s.notes {
        b.push(Block::Note { tone: Tone::Warn, paras: vec![Para::new(Style::Small, format!("Attention: {n}"))] });
    }
}

/// A session's row, and beneath it, across the table, its signals (the HTML's verdict cell,
/// given the width to stay readable).
fn session_rows(s: &SessionRow) -> Vec<Vec<Cell>> {
    let verdict = cell(Style::Verdict(tone_of(&s.verdict)), s.verdict.clone());
    let mut device = vec![Para::new(Style::Small, s.device.clone()), Para::new(Style::Muted, s.system.clone())];
    if !s.as_written.is_empty() {
        device.push(Para::new(Style::Muted, format!("as written: {}", s.as_written.join(" / "))));
    }
    let mut source: Cell = s.sources.iter().map(|x| Para::new(Style::Small, x.clone())).collect();
    if let Some(m) = &s.matched_by {
        source.push(Para::new(Style::Muted, m.clone()));
    }
    if s.flags != "—" {
        source.push(Para::new(Style::Verdict(Tone::Neutral), s.flags.clone()));
    }
    source.extend(s.disagreements.iter().map(|d| Para::new(Style::Verdict(Tone::Bad), format!("sources differ: {d}"))));
    let mut signals: Cell = s.fired.iter().map(|f| Para::new(Style::Small, format!("▸ {f}"))).collect();
    if !s.not_evaluated.is_empty() {
        signals.push(Para::new(Style::Muted, format!("not evaluated: {}", s.not_evaluated.join(", "))));
    }
    let main = vec![
        cell(Style::Small, s.number.to_string()),
        verdict,
        cell(Style::Small, s.app.clone()),
        device,
        vec![Para::new(Style::MonoSmall, s.ip.clone()), Para::new(Style::Small, s.network.clone())],
        cell(Style::Small, s.place.clone()),
        time(&s.created, true),
        time(&s.last_active, true),
        source,
    ];
    if signals.is_empty() { vec![main] } else { vec![main, vec![signals]] }
}

fn header(names: &[&str]) -> Vec<Cell> {
    names.iter().map(|n| cell(Style::Header, *n)).collect()
}

pub(super) fn sessions(b: &mut Vec<Block>, r: &ReportView) {
    heading(b, 1, "2. Sessions");
    if r.sessions.is_empty() {
        b.push(Block::Note {
            tone: Tone::Neutral,
            paras: vec![Para::new(Style::Small, "The acquired lists contain no logged-in sessions.")],
        });
        return;
    }
    b.push(para(
        Style::Muted,
        "Fields as Telegram gave them. Times are UTC with the subject's local time beneath. \"Source record\" names \
         the acquisition (section 6) and where in its original the row is.",
    ));
    b.push(Block::Table(Table {
        columns: vec![0.04, 0.095, 0.1, 0.125, 0.165, 0.11, 0.115, 0.115, 0.135],
        header: header(&[
            "#",
            "Verdict",
            "App",
            "Device and system",
            "IP and network",
            "Place (Telegram)",
            "Created",
            "Last active",
            "Source record",
        ]),
        rows: r.sessions.iter().flat_map(session_rows).collect(),
        zebra: true,
    }));
}

pub(super) fn web_sessions(b: &mut Vec<Block>, r: &ReportView) {
    heading(b, 1, "3. Web sessions (\"Log in with Telegram\")");
    if r.web_sessions.is_empty() {
        b.push(para(Style::Body, "None in the acquired lists."));
        return;
    }
    b.push(Block::Table(Table {
        columns: vec![0.06, 0.14, 0.12, 0.13, 0.18, 0.11, 0.13, 0.13],
        header: header(&[
            "Acq.",
            "Domain",
            "Bot",
            "Browser, platform",
            "IP and network",
            "Region",
            "Created",
            "Last active",
        ]),
        rows: r
            .web_sessions
            .iter()
            .map(|w| {
                vec![
                    cell(Style::Small, w.acquisition.to_string()),
                    cell(Style::Small, w.domain.clone()),
                    cell(Style::Small, w.bot.clone()),
                    cell(Style::Small, w.browser.clone()),
                    vec![Para::new(Style::MonoSmall, w.ip.clone()), Para::new(Style::Small, w.network.clone())],
                    cell(Style::Small, w.region.clone()),
                    time(&w.created, false),
                    time(&w.last_active, false),
                ]
            })
            .collect(),
        zebra: true,
    }));
}

pub(super) fn security_log(b: &mut Vec<Block>, r: &ReportView) {
    heading(b, 1, "4. Account security log");
    if r.security_log.is_empty() {
        b.push(para(Style::Body, "No security-log entries in the acquired sources."));
        return;
    }
    b.push(para(
        Style::Muted,
        "From the export's other_data: changes Telegram recorded for the account, and the IP addresses it lists for it.",
    ));
    b.push(Block::Table(Table {
        columns: vec![0.06, 0.2, 0.17, 0.09, 0.22, 0.26],
        header: header(&["Acq.", "Event", "When", "App id", "IP", "Details"]),
        rows: r
            .security_log
            .iter()
            .map(|e| {
                vec![
                    cell(Style::Small, e.acquisition.to_string()),
                    cell(Style::Small, e.event.clone()),
                    time(&e.at, false),
                    cell(Style::Small, e.app_id.clone()),
                    vec![Para::new(Style::MonoSmall, e.ip.clone()), Para::new(Style::Small, e.network.clone())],
                    cell(Style::Small, e.detail.clone()),
                ]
            })
            .collect(),
        zebra: true,
    }));
}

pub(super) fn baseline(b: &mut Vec<Block>, r: &ReportView) {
    heading(b, 1, "5. What the subject declared");
    b.push(para(
        Style::Muted,
        "From the case file case.toml: the baseline later analysis is judged against. Nothing here is inferred.",
    ));
    b.push(Block::KeyValues(
        r.baseline.iter().map(|kv| (kv.key.clone(), cell(Style::Small, kv.value.clone()))).collect(),
    ));
}

pub(super) fn acquisitions(b: &mut Vec<Block>, r: &ReportView) {
    heading(b, 1, "6. Acquisitions");
    for a in &r.acquisitions {
        heading(b, 2, format!("Acquisition {}: {}", a.number, a.method));
        let captured = match &a.captured_at {
            Some(t) => format!("{} ({})", t.utc, t.original),
            None => "not stated by the source".into(),
        };
        let mut rows = vec![
            ("Original file".to_string(), cell(Style::Small, a.file_name.clone())),
            ("sha256, size".into(), cell(Style::MonoSmall, format!("{}, {} bytes", a.sha256, a.bytes))),
            ("Acquired by sessionproof".into(), cell(Style::Small, a.acquired_at.clone())),
            ("Captured from Telegram".into(), cell(Style::Small, captured)),
            ("Written by".into(), cell(Style::Small, a.tool.clone())),
            ("Account".into(), cell(Style::Small, a.account.clone())),
            ("Zone assumed for local dates".into(), cell(Style::Small, a.source_tz.clone())),
            ("Normalized snapshot".into(), cell(Style::MonoSmall, a.snapshot.clone())),
            (
                "Contents".into(),
                cell(
                    Style::Small,
                    format!(
                        "{}, {}",
                        plural(a.sessions, "session", "sessions"),
                        plural(a.web_sessions, "web session", "web sessions")
                    ),
                ),
            ),
        ];
        if !a.companions.is_empty() {
            rows.push((
                "Read with it".into(),
                a.companions.iter().map(|c| Para::new(Style::Small, c.clone())).collect(),
            ));
        }
        b.push(Block::KeyValues(rows));
        if !a.warnings.is_empty() {
            b.push(Block::Note {
                tone: Tone::Warn,
                paras: vec![Para::new(Style::Strong, format!("What was odd in this source ({}):", a.warnings.len()))],
            });
            b.push(Block::Table(Table {
                columns: vec![0.3, 0.7],
                header: header(&["Where", "What"]),
                rows: a
                    .warnings
                    .iter()
                    .map(|w| vec![cell(Style::MonoSmall, w.locator.clone()), cell(Style::Small, w.message.clone())])
                    .collect(),
                zebra: true,
            }));
        }
    }
}

pub(super) fn evidence(b: &mut Vec<Block>, r: &ReportView) {
    heading(b, 1, "7. Evidence inventory");
    b.push(para(
        Style::Muted,
        "Every original, stored byte for byte under its own SHA-256 in the case's evidence/ folder and made read-only.",
    ));
    b.push(Block::Table(Table {
        columns: vec![0.3, 0.14, 0.09, 0.32, 0.15],
        header: header(&["File", "Received as", "Bytes", "sha256", "Hash re-checked"]),
        rows: r
            .evidence
            .iter()
            .map(|e| {
                vec![
                    cell(Style::MonoSmall, e.path.clone()),
                    cell(Style::Small, e.received_as.clone()),
                    cell(Style::Small, e.bytes.to_string()),
                    cell(Style::MonoSmall, e.sha256.clone()),
                    if e.intact {
                        cell(Style::Small, "matches")
                    } else {
                        cell(Style::Verdict(Tone::Bad), "DOES NOT MATCH its name")
                    },
                ]
            })
            .collect(),
        zebra: true,
    }));
}

pub(super) fn custody(b: &mut Vec<Block>, r: &ReportView) {
    heading(b, 1, "8. Chain of custody");
    b.push(para(
        Style::Muted,
        "From custody.jsonl; each line carries the SHA-256 of the line before it. This report's own entry is \
         appended after it is written.",
    ));
    b.push(Block::Table(Table {
        columns: vec![0.04, 0.14, 0.13, 0.1, 0.1, 0.3, 0.19],
        header: header(&["#", "When (UTC)", "Who", "Action", "Tool", "Files", "Note"]),
        rows: r
            .custody
            .iter()
            .map(|c| {
                vec![
                    cell(Style::Small, c.seq.to_string()),
                    cell(Style::Small, c.at.clone()),
                    cell(Style::Small, c.actor.clone()),
                    cell(Style::Small, c.action.clone()),
                    cell(Style::Small, c.tool.clone()),
                    cell(Style::MonoSmall, c.files.clone()),
                    cell(Style::Small, c.note.clone()),
                ]
            })
            .collect(),
        zebra: true,
    }));
}

pub(super) fn data_sources(b: &mut Vec<Block>, r: &ReportView) {
    heading(b, 1, "9. IP data sources");
    b.push(para(
        Style::Muted,
        "Every network fact above names its source in brackets. All lookups ran offline on this machine; no address \
         was sent anywhere. Geolocation is an estimate (country-level at best without a City database), and a VPN or \
         Tor shows its exit, not the person.",
    ));
    b.push(Block::Table(Table {
        columns: vec![0.13, 0.21, 0.13, 0.12, 0.12, 0.29],
        header: header(&["Id", "Source", "Version", "Built", "Licence", "sha256 / file"]),
        rows: r
            .data_sources
            .iter()
            .map(|s| {
                let mut file = cell(Style::MonoSmall, s.sha256.clone());
                if s.path != "—" {
                    file.push(Para::new(Style::MonoSmall, s.path.clone()));
                }
                vec![
                    cell(Style::MonoSmall, s.id.clone()),
                    cell(Style::Small, s.name.clone()),
                    cell(Style::Small, s.version.clone()),
                    cell(Style::Small, s.build_date.clone()),
                    cell(Style::Small, s.licence.clone()),
                    file,
                ]
            })
            .collect(),
        zebra: true,
    }));
    for m in &r.missing_layers {
        b.push(Block::Note { tone: Tone::Warn, paras: vec![Para::new(Style::Small, format!("Layer missing: {m}"))] });
    }
    for w in &r.data_warnings {
        b.push(Block::Note {
            tone: Tone::Warn,
            paras: vec![Para::new(Style::Small, format!("Data file problem: {w}"))],
        });
    }
    heading(b, 2, "Attributions");
    b.push(Block::Bullets(
        r.data_sources
            .iter()
            .filter(|s| s.attribution != "—")
            .map(|s| Para::new(Style::Small, s.attribution.clone()))
            .collect(),
    ));
}

pub(super) fn verification(b: &mut Vec<Block>) {
    heading(b, 1, "10. Verification and limitations");
    b.push(para(
        Style::Body,
        "This report belongs to a bundle whose manifest.json lists every file of the bundle and every original with \
         its SHA-256. Anyone can re-check it: sessionproof verify on the bundle folder, or sha256sum -c SHA256SUMS \
         inside it, as VERIFY.txt explains.",
    ));
    b.push(Block::Bullets(
        [
            "Device, app and system names are reported by the client that logged in and can be chosen freely by it.",
            "Telegram's country and region are estimates from the IP address; a VPN shows its exit address.",
            "Dates in Telegram Desktop exports are the exporting computer's local time; the *_unixtime fields are \
             used when present, otherwise the zone declared at import is stated beside each time.",
            "Transcribed screenshots are typed by a person; their times are as precise as the screen showed them.",
            "The absence of a finding is not proof that a session is the account owner's.",
        ]
        .iter()
        .map(|t| Para::new(Style::Body, *t))
        .collect(),
    ));
}
