//! `sessionproof parse FILE`: the normalized snapshot on stdout.

use crate::clock::Clock;
use crate::ingest::Format;
use crate::pipeline::{self, ImportOptions};
use clap::Args;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct ParseArgs {
    /// A file or export folder.
    input: PathBuf,
    /// The input format (detected from the content by default).
    #[arg(long, value_enum, default_value = "auto")]
    format: Format,
    /// IANA zone of the PC that wrote local-time dates (exports without *_unixtime).
    #[arg(long, value_name = "Area/City")]
    source_tz: Option<String>,
}

pub fn run(a: ParseArgs, clock: &Clock) -> anyhow::Result<ExitCode> {
    let snapshot = pipeline::parse_file(
        &a.input,
        &ImportOptions { format: a.format, source_tz: a.source_tz, captured_at: None },
        clock,
    )?;
    let mut out = serde_json::to_vec_pretty(&snapshot)?;
    out.push(b'\n');
    std::io::stdout().lock().write_all(&out)?;
    Ok(ExitCode::SUCCESS)
}
