//! `sessionproof template transcribed`: a fill-in template on stdout.

use clap::Subcommand;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum TemplateCommand {
    /// A transcription template (sessionproof/transcribed/v1) for sessions read off screenshots.
    Transcribed,
}

const TRANSCRIBED: &str = include_str!("../../templates/transcribed-template.json");

pub fn run(t: TemplateCommand) -> anyhow::Result<ExitCode> {
    match t {
        TemplateCommand::Transcribed => print!("{TRANSCRIBED}"),
    }
    Ok(ExitCode::SUCCESS)
}
