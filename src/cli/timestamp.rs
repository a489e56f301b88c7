//! `sessionproof timestamp attach BUNDLE RESPONSE.tsr [--tsa-ca CA.pem]`: exit 0 stored,
//! 1 the reply does not hold for this bundle, 2 unreadable input.

use crate::clock::Clock;
use crate::pipeline::{self, TimestampOutcome};
use clap::Subcommand;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum TimestampCommand {
    /// Check a TSA's reply to the bundle's manifest.json.tsq and store it as manifest.json.tsr.
    Attach {
        /// The report bundle folder (CASE/reports/<stamp>).
        bundle: PathBuf,
        /// The TSA's reply (DER, as `curl --data-binary @manifest.json.tsq` returns it).
        response: PathBuf,
        /// The TSA's CA certificate(s) (PEM or DER): the TSA certificate must chain to one.
        #[arg(long, value_name = "CA.pem")]
        tsa_ca: Option<PathBuf>,
    },
}

/// Reads CA certificates for `--tsa-ca`.
pub fn read_anchors(path: Option<&std::path::Path>) -> anyhow::Result<Option<Vec<x509_cert::Certificate>>> {
    let Some(path) = path else { return Ok(None) };
    let bytes = crate::evidence::fsutil::read_small(path, 4_000_000, "file of CA certificates")
        .map_err(|e| anyhow::anyhow!("{}: {e}", super::shown(path)))?;
    Ok(Some(crate::sign::tsp::read_certificates(&bytes, path)?))
}

pub fn run(c: TimestampCommand, clock: &Clock) -> anyhow::Result<ExitCode> {
    let TimestampCommand::Attach { bundle, response, tsa_ca } = c;
    let anchors = read_anchors(tsa_ca.as_deref())?;
    match pipeline::attach_timestamp(&bundle, &response, anchors.as_deref(), clock)? {
        TimestampOutcome::Attached(info) => {
            say!("Attached {}", super::shown(&bundle.join(pipeline::MANIFEST_TSR)));
            say!("  time-stamped at {} by {}", info.gen_time, crate::model::text::visible(&info.tsa));
            say!("  serial {}, policy {}", info.serial, info.policy);
            match info.chained {
                Some(_) => say!("  the TSA certificate chains to the given CA"),
                None => say!("  the TSA certificate was not checked against a CA (give --tsa-ca)"),
            }
            Ok(ExitCode::SUCCESS)
        }
        TimestampOutcome::Rejected(why) => {
            eprintln!("error: {}", crate::model::text::visible(&why));
            Ok(ExitCode::from(1))
        }
    }
}
