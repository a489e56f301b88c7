//! `sessionproof case init`.

use crate::clock::Clock;
use crate::pipeline::{self, InitOptions};
use clap::{Args, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum CaseCommand {
    /// Create a case folder with a commented case.toml to fill in the subject's baseline.
    Init(InitArgs),
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The case folder to create (it may exist but must not already be a case).
    case: PathBuf,
    /// Case identifier (default: the folder's name).
    #[arg(long)]
    case_id: Option<String>,
    /// Who handles the case; recorded in every custody entry.
    #[arg(long)]
    examiner: Option<String>,
    /// The subject's IANA time zone, e.g. Europe/Berlin.
    #[arg(long, value_name = "Area/City")]
    subject_tz: Option<String>,
}

pub fn run(cmd: CaseCommand, clock: &Clock) -> anyhow::Result<ExitCode> {
    match cmd {
        CaseCommand::Init(a) => {
            let case = pipeline::init_case(
                &a.case,
                &InitOptions { case_id: a.case_id, examiner: a.examiner, subject_tz: a.subject_tz },
                clock,
            )?;
            println!("Created case {} in {}", crate::model::text::visible(&case.config.case.id), super::shown(&a.case));
            if case.config.case.examiner.is_none() {
                println!("Note: no --examiner given. Set `examiner` under [case] in case.toml before importing,");
                println!("      so every custody entry names who handled the evidence.");
            }
            println!(
                "Next: fill in {} (the subject's devices, places and hours),",
                super::shown(&a.case.join("case.toml"))
            );
            println!("then: sessionproof import {} PATH-TO-EXPORT", super::shown(&a.case));
            Ok(ExitCode::SUCCESS)
        }
    }
}
