//! `sessionproof keygen --out KEY`: a minisign key pair for signing bundles; and how the other
//! commands obtain a passphrase (a terminal prompt, or SESSIONPROOF_PASSPHRASE for automation;
//! never a command-line argument, which other users could read in the process list).

use crate::sign::{SignError, keys};
use clap::Args;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use zeroize::Zeroizing;

/// The environment variable automation sets instead of answering the prompt.
pub const PASSPHRASE_ENV: &str = "SESSIONPROOF_PASSPHRASE";

#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// Where to write the secret key (mode 0600, never overwritten); the public key goes
    /// beside it (X.key → X.pub, else KEY.pub).
    #[arg(long, value_name = "KEY")]
    out: PathBuf,
    /// Write the secret key without a passphrase (for automation; anyone who can read the file
    /// can sign in your name).
    #[arg(long)]
    unencrypted: bool,
}

/// The passphrase from the environment, or asked on the terminal (twice when `confirm`).
fn passphrase(purpose: &str, confirm: bool) -> Result<Zeroizing<String>, SignError> {
    if let Ok(p) = std::env::var(PASSPHRASE_ENV) {
        if p.is_empty() {
            return Err(SignError::invalid(format!(
                "{PASSPHRASE_ENV} is set but empty; set the passphrase or unset it"
            )));
        }
        return Ok(Zeroizing::new(p));
    }
    if !std::io::stdin().is_terminal() {
        return Err(SignError::invalid(format!(
            "a passphrase is needed {purpose}, but there is no terminal to ask it on; set {PASSPHRASE_ENV}"
        )));
    }
    let ask = |prompt: &str| {
        rpassword::prompt_password(prompt)
            .map(Zeroizing::new)
            .map_err(|e| SignError::invalid(format!("cannot read the passphrase ({e})")))
    };
    let first = ask(&format!("Passphrase {purpose}: "))?;
    if first.is_empty() {
        return Err(SignError::invalid("an empty passphrase; choose one, or use --unencrypted"));
    }
    if confirm && *ask("Passphrase again: ")? != *first {
        return Err(SignError::invalid("the two passphrases differ; run keygen again"));
    }
    Ok(first)
}

pub fn run(a: KeygenArgs) -> anyhow::Result<ExitCode> {
    let pass = if a.unencrypted {
        eprintln!(
            "warning: the secret key is written WITHOUT a passphrase: anyone who can read {} can sign reports in your name; keep it on an encrypted disk or in a secret store",
            super::shown(&a.out)
        );
        None
    } else {
        Some(passphrase("to protect the new secret key", true)?)
    };
    let (public, pub_path) = keys::write_key_pair(&a.out, pass.as_deref().map(String::as_str))?;
    say!("Wrote secret key {} (mode 0600) and public key {}", super::shown(&a.out), super::shown(&pub_path));
    say!("  key id: {}", public.id);
    say!("Sign a report with: sessionproof report CASE --sign {}", super::shown(&a.out));
    say!(
        "Give {} (or the key id) to recipients through another channel, so they know the signer.",
        super::shown(&pub_path)
    );
    Ok(ExitCode::SUCCESS)
}

/// Loads the case key for `report --sign`, and the PDF signer when a certificate is given.
pub fn load_signing(
    key: &Path,
    pdf_cert: Option<&Path>,
    pdf_key: Option<&Path>,
) -> anyhow::Result<crate::pipeline::ReportSigning> {
    let secret = keys::read_secret_key(key, || passphrase(&format!("for {}", super::shown(key)), false))?;
    let pdf = match (pdf_cert, pdf_key) {
        (Some(cert), Some(k)) => {
            let cert_bytes = crate::evidence::fsutil::read_small(cert, 4_000_000, "certificate file")
                .map_err(|e| anyhow::anyhow!("{}: {e}", super::shown(cert)))?;
            let key_text = Zeroizing::new(read_small_text(k, "private key file")?);
            Some(crate::sign::pdfsig::PdfSigner::from_pem(&cert_bytes, &key_text, cert, k)?)
        }
        _ => None,
    };
    Ok(crate::pipeline::ReportSigning { key: secret, pdf })
}

/// A small text file the user names (a PEM key), refused unread when far too large.
fn read_small_text(path: &Path, what: &str) -> anyhow::Result<String> {
    let bytes = crate::evidence::fsutil::read_small(path, 1_000_000, what)
        .map_err(|e| anyhow::anyhow!("{}: {e}", super::shown(path)))?;
    String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("{}: is not text (a PEM file is)", super::shown(path)))
}
