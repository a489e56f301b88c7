//! `sessionproof import CASE PATH...`.

use crate::clock::Clock;
use crate::ingest::Format;
use crate::model::text::visible;
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
    /// When the list was captured from Telegram, for a source that does not say (RFC 3339 with a
    /// zone, e.g. 2026-11-23T11:15:00+01:00), from the file's date or the owner's words; recorded
    /// as stated by the examiner. One input at a time.
    #[arg(long, value_name = "RFC3339")]
    captured_at: Option<String>,
}

pub fn run(a: ImportArgs, clock: &Clock) -> anyhow::Result<ExitCode> {
    let opts = ImportOptions { format: a.format, source_tz: a.source_tz, captured_at: a.captured_at };
    let outcomes = pipeline::import(&a.case, &a.inputs, &opts, clock)?;
    for o in outcomes {
        match o {
            ImportOutcome::Imported {
                input,
                snapshot,
                sessions,
                web_sessions,
                warnings,
                method,
                reread_of,
                to_do,
                zone_unknown,
            } => {
                say!(
                    "Imported {} ({method}): {}, {}, {} -> {snapshot}",
                    super::shown(&input),
                    count(sessions, "session"),
                    count(web_sessions, "web session"),
                    count(warnings, "warning")
                );
                if let Some((earlier, changed)) = reread_of {
                    say!(
                        "  read again from the preserved original of {earlier} with {}; {snapshot} replaces it in the \
                         analysis, both stay in the case",
                        visible(&changed.join("; "))
                    );
                }
                if warnings > 0 {
                    say!("  the warnings (what was odd in the source, and where) are in {snapshot} and in the report");
                }
                // What asks for the user's action goes to stderr in full, with the command that does it.
                for w in &to_do {
                    eprintln!("warning: {}: {}", super::shown(&input), visible(w));
                }
                if zone_unknown {
                    eprintln!(
                        "  to give these dates a UTC time, name the zone of the PC that wrote them and import again \
                         (the original is read again, not copied twice):\n    sessionproof import {} {} --source-tz Area/City",
                        quoted(&a.case),
                        quoted(&input)
                    );
                }
            }
            ImportOutcome::Duplicate { input, earlier_snapshot } => {
                say!(
                    "Already imported: {} has the same bytes as the original of {earlier_snapshot}, read with the same \
                     options; logged, not stored again",
                    super::shown(&input)
                );
            }
        }
    }
    // Custody names who handled the evidence; a case without an examiner records that nobody is named.
    if crate::evidence::Case::open(&a.case).is_ok_and(|c| c.config.case.examiner.is_none()) {
        eprintln!(
            "note: {} names no examiner, so its custody log records \"examiner not named in case.toml\"; set \
             `examiner` under [case] there before the next step",
            super::shown(&a.case.join("case.toml"))
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// A path as a shell argument: as it is when it needs no quoting, else in single quotes.
fn quoted(p: &std::path::Path) -> String {
    let text = visible(&p.display().to_string());
    let plain = !text.is_empty() && text.chars().all(|c| c.is_ascii_alphanumeric() || "/._-+,:@%".contains(c));
    if plain { text } else { format!("'{}'", text.replace('\'', "'\\''")) }
}
