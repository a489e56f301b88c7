//! `sessionproof analyze CASE [--json] [-v]`: the verdict table, with reasons on request.

use super::DataArgs;
use crate::model::finding::{SignalStatus, Verdict};
use crate::model::text::visible;
use crate::pipeline;
use clap::Args;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// The case folder.
    case: PathBuf,
    /// Print the findings (every signal with its facts) as JSON.
    #[arg(long)]
    json: bool,
    /// Show every signal's reason under each session.
    #[arg(short, long)]
    verbose: bool,
    #[command(flatten)]
    data: DataArgs,
}

pub fn run(a: AnalyzeArgs, clock: &crate::clock::Clock) -> anyhow::Result<ExitCode> {
    let out = pipeline::analyze_case(&a.case, &a.data.options(clock)?)?;
    if !out.integrity_problems.is_empty() {
        let n = out.integrity_problems.len();
        eprintln!(
            "warning: {} does not match its custody log ({}): these findings rest on files changed after \
             they were recorded, and `report` refuses such a case. Restore the files from a backup, or start \
             a new case from the originals:",
            super::shown(&a.case),
            pipeline::count(n, "problem")
        );
        for p in out.integrity_problems.iter().take(10) {
            eprintln!("  {}", crate::model::text::visible(p));
        }
        if n > 10 {
            eprintln!("  and {} more", n - 10);
        }
    }
    let (unjudged, keys) = crate::analyze::baseline_gaps(&out.subject);
    if !unjudged.is_empty() {
        eprintln!(
            "note: case.toml does not declare {}, so {} cannot be judged ({}). A session marked ok had \
             nothing fire among the signals that could be; fill in case.toml with the owner (see \
             `sessionproof case show {}`).",
            keys.join("; "),
            pipeline::count(unjudged.len(), "signal"),
            unjudged.join(", "),
            super::shown(&a.case)
        );
    }
    let mut w = std::io::stdout().lock();
    if a.json {
        // Streamed as it is serialized: 100,000 sessions make some 450 MB of JSON, which an
        // intermediate value and buffer would hold several times over.
        #[derive(serde::Serialize)]
        struct Doc<'a> {
            integrity_problems: &'a [String],
            analysis: &'a crate::model::finding::Analysis,
            enrichment: &'a crate::model::enrichment::Enrichment,
        }
        let mut w = std::io::BufWriter::with_capacity(1 << 16, w);
        serde_json::to_writer_pretty(
            &mut w,
            &Doc { integrity_problems: &out.integrity_problems, analysis: &out.analysis, enrichment: &out.enrichment },
        )?;
        w.write_all(b"\n")?;
        w.flush()?;
        return Ok(ExitCode::SUCCESS);
    }
    let color = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let paint = |v: Verdict| -> String {
        let text = format!("{:<8}", v.as_str());
        if !color {
            return text;
        }
        let code = match v {
            Verdict::ActNow => "1;31",
            Verdict::Review => "33",
            Verdict::Ok => "32",
            Verdict::Info => "2",
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    };
    writeln!(w, "{:<8}  {:<4}  {:<26}  {:<24}  {:<18}  signals", "verdict", "acq", "app", "device", "ip")?;
    let mut i = 0;
    for (snap_i, snap) in out.snapshots.iter().enumerate() {
        for s in &snap.snapshot.sessions {
            let Some(f) = out.analysis.sessions.get(i) else { break };
            i += 1;
            let app = [&s.app_name, &s.app_version].iter().filter_map(|x| x.as_deref()).collect::<Vec<_>>().join(" ");
            let fired: Vec<&str> = f.signals.iter().filter(|x| x.status == SignalStatus::Fired).map(|x| x.id).collect();
            writeln!(
                w,
                "{}  {:<4}  {:<26}  {:<24}  {:<18}  {}",
                paint(f.verdict),
                snap_i + 1,
                fit(&visible(&app), 26),
                fit(&visible(s.device_model.as_deref().unwrap_or("—")), 24),
                fit(&visible(s.ip.as_deref().unwrap_or("—")), 45),
                if fired.is_empty() { "—".to_string() } else { fired.join(", ") }
            )?;
            if a.verbose {
                writeln!(w, "          {}", visible(&f.verdict_reason))?;
                for sig in &f.signals {
                    writeln!(w, "          {} {:<36} {}", mark(sig.status), sig.id, visible(&sig.reason))?;
                }
            }
        }
    }
    let fired: Vec<_> = out.analysis.account.iter().filter(|s| s.status == SignalStatus::Fired).collect();
    if !fired.is_empty() || a.verbose {
        writeln!(w, "\nAccount:")?;
        for sig in &out.analysis.account {
            if sig.status == SignalStatus::Fired || a.verbose {
                writeln!(w, "  {} {}: {}", mark(sig.status), sig.id, visible(&sig.reason))?;
            }
        }
    }
    writeln!(w, "\n{}", crate::analyze::verdict::RULE)?;
    Ok(ExitCode::SUCCESS)
}

/// A signal's outcome in words, padded to one width so the ids line up.
fn mark(status: SignalStatus) -> &'static str {
    match status {
        SignalStatus::Fired => "FIRED        ",
        SignalStatus::Clear => "clear        ",
        SignalStatus::NotEvaluated => "not evaluated",
    }
}

/// Cuts a cell to `n` characters with an ellipsis, for a table that stays aligned.
fn fit(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_string() } else { s.chars().take(n - 1).chain(std::iter::once('…')).collect() }
}
