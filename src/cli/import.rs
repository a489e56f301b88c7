//! `sessionproof import CASE PATH...`.

use crate::clock::Clock;
use crate::ingest::Format;
use crate::pipeline::{self, ImportOptions, ImportOutcome, count};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The case folder.
    pub(super) case: PathBuf,
    /// Files or folders: a Telegram Desktop export folder or its result.json, a transcription.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// The input format (detected from the content by default).
    #[arg(long, value_enum, default_value = "auto")]
    format: Format,
    /// IANA zone of the PC that wrote local-time dates (exports without *_unixtime).
    #[arg(long, value_name = "Area/City")]
    source_tz: Option<String>,
}

pub fn run(a: ImportArgs, clock: &Clock) -> anyhow::Result<ExitCode> {
    let outcomes =
        pipeline::import(&a.case, &a.inputs, &ImportOptions { format: a.format, source_tz: a.source_tz }, clock)?;
    for o in outcomes {
        match o {
            ImportOutcome::Imported { input, snapshot, sessions, web_sessions, warnings, method } => {
                say!(
                    "Imported {} ({method}): {}, {}, {} -> {snapshot}",
                    super::shown(&input),
                    count(sessions, "session"),
                    count(web_sessions, "web session"),
                    count(warnings, "warning")
                );
                if warnings > 0 {
                    say!("  the warnings (what was odd in the source, and where) are in {snapshot} and in the report");
                }
            }
            ImportOutcome::Duplicate { input, earlier_snapshot } => {
                say!(
                    "Already imported: {} has the same bytes as the original of {earlier_snapshot}; logged, not stored again",
                    super::shown(&input)
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
