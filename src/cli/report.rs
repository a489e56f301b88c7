//! `sessionproof report CASE`.

use crate::clock::Clock;
use crate::pipeline;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The case folder.
    case: PathBuf,
    #[command(flatten)]
    data: super::DataArgs,
    /// Page size of report.pdf.
    #[arg(long, value_name = "a4|letter", default_value = "a4", value_parser = super::parse_paper)]
    paper: crate::render::pdf::Paper,
}

pub fn run(a: ReportArgs, clock: &Clock) -> anyhow::Result<ExitCode> {
    let out = pipeline::report(&a.case, &a.data.options(clock)?, a.paper, clock)?;
    println!("Wrote report bundle {} ({} files in the manifest)", super::shown(&out.dir), out.files);
    println!("  report:   {}", super::shown(&out.dir.join(pipeline::REPORT_HTML)));
    println!("            {}", super::shown(&out.dir.join(pipeline::REPORT_PDF)));
    println!("  manifest: sha256 {}", out.manifest_sha256);
    println!("Check it any time: sessionproof verify {}", super::shown(&out.dir));
    Ok(ExitCode::SUCCESS)
}
