//! The command line: clap definitions, one file per subcommand. The only place that prints or
//! exits. Exit codes: 0 ok, 1 a check failed (`verify`), 2 usage or runtime error.

/// `println!` for a command's output, returning the write's error instead of panicking: a reader
/// that went away (`sessionproof verify … | head`) ends the command, it does not crash it.
macro_rules! say {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)?;
    }};
}

/// `print!` without the newline, as [`say!`].
macro_rules! say_raw {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout().lock(), $($arg)*)?;
    }};
}

mod analyze;
mod attach;
mod case;
#[cfg(feature = "mtproto")]
mod collect;
pub mod demo;
mod diff;
mod import;
mod keygen;
mod lookup;
mod parse;
mod progress;
mod report;
mod template;
mod timestamp;
mod verify;

use crate::clock::Clock;
use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Turns a Telegram account's list of logged-in sessions into evidence that holds up.
#[derive(Debug, Parser)]
#[command(name = "sessionproof", version, about, max_term_width = 100)]
pub struct Cli {
    /// Use this instant as "now" (RFC 3339, e.g. 2026-11-26T12:00:00Z) for reproducible output.
    #[arg(long, global = true, value_name = "RFC3339", value_parser = parse_now)]
    now: Option<jiff::Timestamp>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a case folder.
    #[command(subcommand)]
    Case(case::CaseCommand),
    /// Preserve an export, transcription or dump in a case and normalize it into a snapshot.
    Import(import::ImportArgs),
    /// Preserve any other exhibit (screenshot, e-mail, recording) in a case: hashed, copied, logged.
    Attach(attach::AttachArgs),
    /// Read the session list live from Telegram (read-only; needs the account's login code).
    #[cfg(feature = "mtproto")]
    Collect(collect::CollectArgs),
    /// Everything known offline about IP addresses (AS, country, place, hosting / VPN / Tor) and its sources.
    Lookup(lookup::LookupArgs),
    /// Enrich and judge every session: the verdict table (reasons with -v, everything with --json).
    Analyze(analyze::AnalyzeArgs),
    /// Print the normalized snapshot of one input as JSON, touching no case.
    Parse(parse::ParseArgs),
    /// Write a new report bundle (HTML report, findings, manifest, verification notes).
    Report(report::ReportArgs),
    /// What appeared, vanished and reappeared between acquisitions, and how each session was matched.
    Diff(diff::DiffArgs),
    /// Check a report bundle: file hashes, signatures, time-stamp, custody chain.
    Verify(verify::VerifyArgs),
    /// Make a minisign key pair for signing report bundles.
    Keygen(keygen::KeygenArgs),
    /// RFC 3161 time-stamps: check a TSA's reply and store it in a bundle.
    #[command(subcommand)]
    Timestamp(timestamp::TimestampCommand),
    /// Print a fill-in template for an input format.
    #[command(subcommand)]
    Template(template::TemplateCommand),
    /// Run the whole pipeline on the built-in sample case.
    Demo(demo::DemoArgs),
}

/// Where IP data comes from, shared by every command that enriches.
#[derive(Debug, clap::Args)]
pub struct DataArgs {
    /// A MaxMind / DB-IP / ip-location-db / IPinfo .mmdb file (repeatable); routed by its type.
    #[arg(long = "mmdb", value_name = "PATH")]
    mmdb: Vec<std::path::PathBuf>,
    /// A folder of .mmdb files (default: $SESSIONPROOF_DATA, then /usr/share/GeoIP, /var/lib/GeoIP).
    #[arg(long, value_name = "DIR")]
    data_dir: Option<std::path::PathBuf>,
}

impl DataArgs {
    /// The enrichment options: the flags, then the environment, then the system folders.
    pub fn options(&self, clock: &Clock) -> anyhow::Result<crate::enrich::EnrichOptions> {
        if let Some(dir) = &self.data_dir
            && !dir.is_dir()
        {
            anyhow::bail!("{}: --data-dir is not a folder; give the folder that holds your .mmdb files", shown(dir));
        }
        for file in &self.mmdb {
            if !file.is_file() {
                anyhow::bail!("{}: --mmdb is not a file; give the path of a .mmdb database", shown(file));
            }
        }
        let env = std::env::var_os("SESSIONPROOF_DATA").map(std::path::PathBuf::from);
        Ok(crate::enrich::EnrichOptions {
            mmdb: self.mmdb.clone(),
            data_dir: crate::enrich::pick_data_dir(self.data_dir.as_deref(), env.as_deref()),
            now: clock.now().as_second(),
        })
    }
}

fn parse_paper(s: &str) -> Result<crate::render::pdf::Paper, String> {
    s.parse()
}

fn parse_now(s: &str) -> Result<jiff::Timestamp, String> {
    s.parse().map_err(|_| format!("{s:?} is not an RFC 3339 time with a zone, e.g. 2026-11-26T12:00:00Z"))
}

/// Runs the command line and returns the process's exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { ExitCode::from(2) } else { ExitCode::SUCCESS };
        }
    };
    let clock = cli.now.map(Clock::Fixed).unwrap_or(Clock::System);
    progress::install_on_terminal();
    // For a command whose output is all it does (`analyze … | head`), a reader that stops early
    // is the user's choice, not an error. A command that writes files reports it: its work
    // stopped there.
    let pipe_ends_quietly = matches!(
        cli.command,
        Command::Analyze(_)
            | Command::Diff(_)
            | Command::Lookup(_)
            | Command::Parse(_)
            | Command::Verify(_)
            | Command::Template(_)
            | Command::Case(case::CaseCommand::Show(_))
    );
    // A command that changes a case first completes or removes what an interrupted earlier run
    // left; the custody log records it, and the user is told after the command.
    let changed_case = match &cli.command {
        Command::Import(a) => Some(a.case.clone()),
        Command::Attach(a) => Some(a.case.clone()),
        Command::Report(a) => Some(a.case.clone()),
        #[cfg(feature = "mtproto")]
        Command::Collect(a) => Some(a.case.clone()),
        // CASE/reports/<stamp>: the bundle's case, when it is in one.
        Command::Timestamp(timestamp::TimestampCommand::Attach { bundle, .. }) => {
            bundle.parent().and_then(std::path::Path::parent).map(std::path::Path::to_path_buf)
        }
        _ => None,
    };
    let entries_before = changed_case.as_deref().map(|case| custody_entries(case).len());
    let result = match cli.command {
        Command::Case(c) => case::run(c, &clock),
        Command::Import(a) => import::run(a, &clock),
        Command::Attach(a) => attach::run(a, &clock),
        #[cfg(feature = "mtproto")]
        Command::Collect(a) => collect::run(a, &clock),
        Command::Parse(a) => parse::run(a, &clock),
        Command::Analyze(a) => analyze::run(a, &clock),
        Command::Lookup(a) => lookup::run(a, &clock),
        Command::Report(a) => report::run(a, &clock),
        Command::Verify(a) => verify::run(a),
        Command::Keygen(a) => keygen::run(a),
        Command::Timestamp(c) => timestamp::run(c, &clock),
        Command::Diff(a) => diff::run(a),
        Command::Template(t) => template::run(t),
        Command::Demo(a) => demo::run(a, &clock),
    };
    if let (Some(case), Some(before)) = (&changed_case, entries_before) {
        for note in recovery_notes(case, before) {
            eprintln!("note: {}", crate::model::text::visible(&note));
        }
    }
    match result {
        Ok(code) => code,
        Err(e) if pipe_ends_quietly && is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) if is_broken_pipe(&e) => {
            eprintln!(
                "error: the reader of the output went away (Broken pipe), so the command stopped there; \
                 run it again with its output to a terminal or a file"
            );
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("error: {}", crate::model::text::visible(&e.to_string()));
            ExitCode::from(2)
        }
    }
}

/// The entries of the case's custody log (none when it cannot be read).
fn custody_entries(case: &std::path::Path) -> Vec<crate::model::custody::CustodyEntry> {
    let log = std::fs::read(case.join(crate::evidence::case_folder::CUSTODY_LOG)).unwrap_or_default();
    crate::evidence::custody::parse(&log).0
}

/// The notes of the recoveries recorded after the first `before` entries of the custody log.
fn recovery_notes(case: &std::path::Path, before: usize) -> Vec<String> {
    custody_entries(case)
        .into_iter()
        .skip(before)
        .filter(|e| e.action == "recover-interrupted")
        .map(|e| e.note.unwrap_or_else(|| "an earlier run on this case was interrupted".into()))
        .collect()
}

/// The error, or one of its causes, is a write to a pipe whose reader has gone.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}

/// A path or name as it is safe to print on a terminal.
fn shown(p: &std::path::Path) -> String {
    crate::model::text::visible(&p.display().to_string())
}
