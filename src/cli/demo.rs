//! `sessionproof demo`: the whole pipeline on the built-in sample case, offline.

use crate::clock::Clock;
use crate::ingest::Format;
use crate::pipeline::{self, ImportOptions};
use clap::Args;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where to put the sample inputs and the demo case (replaced if it holds an earlier demo).
    #[arg(long, default_value = "reports/demo")]
    out: PathBuf,
    /// Page size of report.pdf.
    #[arg(long, value_name = "a4|letter", default_value = "a4", value_parser = super::parse_paper)]
    paper: crate::render::pdf::Paper,
    /// The report's language: en (English), ru (Russian) or fa (Persian, right to left).
    #[arg(long, default_value = "en", value_name = "LANG")]
    lang: crate::render::Lang,
}

/// The sample case's `case.toml` and files, compiled in so the demo works from the binary alone
/// (the bundle verifier's fuzz target builds its bundle from them too).
pub const DEMO_CASE_TOML: &str = include_str!("../../fixtures/demo/case.toml");
/// The sample inputs: (path under the demo's `inputs/` folder, bytes).
pub const DEMO_FILES: &[(&str, &[u8])] = &[
    ("DataExport_2026-11-25/result.json", include_bytes!("../../fixtures/demo/export/result.json")),
    ("screenshots/transcription.json", include_bytes!("../../fixtures/demo/screenshots/transcription.json")),
    (
        "screenshots/Screenshot_20261126-094100.png",
        include_bytes!("../../fixtures/demo/screenshots/Screenshot_20261126-094100.png"),
    ),
    (
        "screenshots/Screenshot_20261126-094230.png",
        include_bytes!("../../fixtures/demo/screenshots/Screenshot_20261126-094230.png"),
    ),
];
const DEMO_MARKER: &str = "sessionproof-demo";

pub fn run(a: DemoArgs, clock: &Clock) -> anyhow::Result<ExitCode> {
    let out = &a.out;
    prepare_out(out)?;
    let inputs = out.join("inputs");
    for (rel, bytes) in DEMO_FILES {
        let path = inputs.join(rel);
        let ctx = |e: std::io::Error| anyhow::anyhow!("{}: {}", super::shown(&path), crate::evidence::describe_io(&e));
        fs::create_dir_all(path.parent().unwrap_or(&inputs)).map_err(ctx)?;
        fs::write(&path, bytes).map_err(ctx)?;
    }
    let case_dir = out.join("case");
    say!("1. case init    {}", super::shown(&case_dir));
    pipeline::create_case(&case_dir, DEMO_CASE_TOML, clock)?;
    let opts = ImportOptions { format: Format::Auto, source_tz: None, captured_at: None };
    for input in [inputs.join("DataExport_2026-11-25"), inputs.join("screenshots/transcription.json")] {
        for o in pipeline::import(&case_dir, std::slice::from_ref(&input), &opts, clock)? {
            if let pipeline::ImportOutcome::Imported { snapshot, sessions, web_sessions, warnings, method, .. } = o {
                say!(
                    "2. import       {} ({method}): {}, {}, {} -> {snapshot}",
                    super::shown(&input),
                    pipeline::count(sessions, "session"),
                    pipeline::count(web_sessions, "web session"),
                    pipeline::count(warnings, "warning")
                );
            }
        }
    }
    // The demo uses the embedded data only, so it gives the same report on every machine.
    let embedded_only = crate::enrich::EnrichOptions { now: clock.now().as_second(), ..Default::default() };
    let options = pipeline::ReportOptions { paper: a.paper, lang: a.lang, ..Default::default() };
    let report = pipeline::report(&case_dir, &embedded_only, &options, clock)?;
    say!("3. report       {}", super::shown(&report.dir));
    say!("4. verify       {}", super::shown(&report.dir));
    let v = crate::verify::verify_bundle(&report.dir)?;
    super::verify::print_verification(&v)?;
    say!();
    say!("Open the report: {}", super::shown(&report.dir.join(pipeline::REPORT_HTML)));
    say!("            PDF: {}", super::shown(&report.dir.join(pipeline::REPORT_PDF)));
    fs::write(out.join(DEMO_MARKER), "written by `sessionproof demo`; safe to delete\n")
        .map_err(|e| anyhow::anyhow!("{}: {}", super::shown(out), crate::evidence::describe_io(&e)))?;
    Ok(if v.intact() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// Clears what an earlier demo wrote in `out` (and nothing else); refuses a folder the demo
/// did not write.
fn prepare_out(out: &Path) -> anyhow::Result<()> {
    let ctx = |e: std::io::Error| anyhow::anyhow!("{}: {}", super::shown(out), crate::evidence::describe_io(&e));
    if out.exists() {
        if !out.is_dir() {
            anyhow::bail!("{}: is a file; give --out a folder", super::shown(out));
        }
        let empty = fs::read_dir(out).map_err(ctx)?.next().is_none();
        if out.join(DEMO_MARKER).is_file() {
            for part in ["case", "inputs"] {
                if out.join(part).exists() {
                    fs::remove_dir_all(out.join(part)).map_err(ctx)?;
                }
            }
        } else if !empty {
            anyhow::bail!(
                "{}: exists and was not written by `sessionproof demo`; choose another folder with --out",
                super::shown(out)
            );
        }
    }
    fs::create_dir_all(out).map_err(ctx)?;
    Ok(())
}
