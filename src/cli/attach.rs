//! `sessionproof attach CASE FILE... [--note TEXT]`.

use crate::clock::Clock;
use crate::pipeline;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct AttachArgs {
    /// The case folder.
    pub(super) case: PathBuf,
    /// Exhibits to preserve: screenshots, e-mails, recordings, letters — any file.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// What the exhibits are and where they came from; written to the custody log.
    #[arg(long)]
    note: Option<String>,
}

pub fn run(a: AttachArgs, clock: &Clock) -> anyhow::Result<ExitCode> {
    for o in pipeline::attach(&a.case, &a.files, a.note.as_deref(), clock)? {
        if o.already_present {
            say!("Already in the case: {} is {} (logged again, not stored twice)", super::shown(&o.input), o.stored);
        } else {
            say!("Attached {} -> {} ({} bytes, sha256 {})", super::shown(&o.input), o.stored, o.bytes, o.sha256);
        }
    }
    Ok(ExitCode::SUCCESS)
}
