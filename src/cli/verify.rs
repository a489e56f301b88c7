//! `sessionproof verify BUNDLE`: exit 0 intact, 1 tampered or invalid, 2 unreadable.

use crate::verify::{Verification, VerifyOptions, verify_bundle_with};
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The report bundle folder (CASE/reports/<stamp>).
    bundle: PathBuf,
    /// The examiner's minisign public key: the bundle must be signed with it.
    #[arg(long, value_name = "KEY.pub")]
    pubkey: Option<PathBuf>,
    /// The TSA's CA certificate(s): an attached time-stamp must chain to one.
    #[arg(long, value_name = "CA.pem")]
    tsa_ca: Option<PathBuf>,
    /// Print the checks as JSON on stdout: {bundle, manifest_sha256, intact, checks: [{name,
    /// status: ok|fail|skip, summary, problems}]}. The exit status is the same.
    #[arg(long)]
    json: bool,
}

pub fn run(a: VerifyArgs) -> anyhow::Result<ExitCode> {
    let options = VerifyOptions {
        pubkey: a.pubkey.as_deref().map(crate::sign::PublicKey::from_file).transpose()?,
        tsa_ca: super::timestamp::read_anchors(a.tsa_ca.as_deref())?,
    };
    let v = verify_bundle_with(&a.bundle, &options)?;
    if a.json {
        say!("{}", serde_json::to_string_pretty(&verification_json(&v)).expect("JSON values serialize"));
    } else {
        print_verification(&v)?;
    }
    Ok(if v.intact() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// The checks for a program to read; strings as found (JSON escapes what needs escaping).
fn verification_json(v: &Verification) -> serde_json::Value {
    let checks: Vec<serde_json::Value> = v
        .checks
        .iter()
        .map(|c| {
            let status = match c.passed {
                Some(true) => "ok",
                Some(false) => "fail",
                None => "skip",
            };
            serde_json::json!({ "name": c.name, "status": status, "summary": c.summary, "problems": c.problems })
        })
        .collect();
    serde_json::json!({
        "bundle": v.bundle.to_string_lossy(),
        "manifest_sha256": v.manifest_sha256,
        "intact": v.intact(),
        "checks": checks,
    })
}

/// One line per check, then each problem beneath its check.
pub fn print_verification(v: &Verification) -> std::io::Result<()> {
    use crate::model::text::visible;
    for c in &v.checks {
        let status = match c.passed {
            Some(true) => "ok  ",
            Some(false) => "FAIL",
            None => "skip",
        };
        say!("{status} {}: {}", c.name, visible(&c.summary));
        for p in &c.problems {
            say!("       {}", visible(p));
        }
    }
    if v.intact() {
        say!("INTACT: every check that applies passed ({})", super::shown(&v.bundle));
    } else {
        say!("TAMPERED OR INVALID: see the FAIL lines above ({})", super::shown(&v.bundle));
    }
    Ok(())
}
