//! `sessionproof collect CASE --api-id N --api-hash H --phone P` (cargo feature `mtproto`).

use crate::clock::Clock;
use crate::collect::live::LiveTransport;
use crate::collect::terminal::TerminalPrompter;
use crate::pipeline;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;
use zeroize::Zeroizing;

#[derive(Debug, Args)]
pub struct CollectArgs {
    /// The case folder.
    pub(super) case: PathBuf,
    /// The api_id of your application (my.telegram.org › API development tools).
    #[arg(long)]
    api_id: i32,
    /// The api_hash of your application; better given as SESSIONPROOF_API_HASH so it stays out
    /// of the shell history. Never stored.
    #[arg(long, env = "SESSIONPROOF_API_HASH", hide_env_values = true)]
    api_hash: String,
    /// The account's phone number in international form, e.g. +4930123456.
    #[arg(long)]
    phone: String,
    /// End the collector's own session at the end (never any other session).
    #[arg(long)]
    logout: bool,
}

pub fn run(a: CollectArgs, clock: &Clock) -> anyhow::Result<ExitCode> {
    let api_hash = Zeroizing::new(a.api_hash);
    let mut transport = LiveTransport::connect(a.api_id, api_hash)?;
    let out = pipeline::collect(&a.case, &mut transport, &mut TerminalPrompter, &a.phone, a.logout, clock)?;
    say!(
        "Collected: {}, {}, {} -> {}",
        pipeline::count(out.sessions, "session"),
        pipeline::count(out.web_sessions, "web session"),
        pipeline::count(out.warnings, "warning"),
        out.snapshot
    );
    if out.logged_out {
        say!("The collector's own session was logged out; no other session was touched.");
    } else {
        say!(
            "The collector's session (\"{}\") stays in the account's list until it is logged out.",
            crate::collect::live::DEVICE_MODEL
        );
    }
    Ok(ExitCode::SUCCESS)
}
