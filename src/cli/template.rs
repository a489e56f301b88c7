//! `sessionproof template transcribed`: a fill-in template on stdout.

use clap::Subcommand;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum TemplateCommand {
    /// A transcription template (sessionproof/transcribed/v1) for sessions read off screenshots.
    Transcribed,
    /// A CSV template for a session list typed by hand (docs/csv.md).
    Csv,
}

const TRANSCRIBED: &str = include_str!("../../templates/transcribed-template.json");
const CSV: &str = include_str!("../../templates/sessions-template.csv");

pub fn run(t: TemplateCommand) -> anyhow::Result<ExitCode> {
    match t {
        TemplateCommand::Transcribed => say_raw!("{TRANSCRIBED}"),
        TemplateCommand::Csv => say_raw!("{CSV}"),
    }
    Ok(ExitCode::SUCCESS)
}
