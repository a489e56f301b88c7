//! `sessionproof report CASE`.

use crate::clock::Clock;
use crate::pipeline;
use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The case folder.
    pub(super) case: PathBuf,
    #[command(flatten)]
    data: super::DataArgs,
    /// What the brief to Telegram support says about the owner's access: by default, that the
    /// owner's client was logged in at the latest acquisition.
    #[arg(long, value_enum)]
    owner_access: Option<Access>,
    /// Show the account's phone number and username in full in the brief (masked by default).
    #[arg(long)]
    reveal_identity: bool,
    /// Page size of report.pdf.
    #[arg(long, value_name = "a4|letter", default_value = "a4", value_parser = super::parse_paper)]
    paper: crate::render::pdf::Paper,
    /// Sign the bundle with this minisign secret key (from `sessionproof keygen`). Its
    /// passphrase is asked on the terminal, or read from SESSIONPROOF_PASSPHRASE.
    #[arg(long, value_name = "KEY")]
    sign: Option<PathBuf>,
    /// Sign report.pdf with this X.509 certificate (PEM, then its chain) instead of a
    /// self-signed one for the case key; needs --sign and --pdf-key.
    #[arg(long, value_name = "CERT.pem", requires_all = ["sign", "pdf_key"])]
    pdf_cert: Option<PathBuf>,
    /// The unencrypted PKCS#8 private key (PEM, P-256 or RSA) of --pdf-cert.
    #[arg(long, value_name = "KEY.pem", requires = "pdf_cert")]
    pdf_key: Option<PathBuf>,
    /// The report's language: en (English), ru (Russian) or fa (Persian, right to left).
    #[arg(long, default_value = "en", value_name = "LANG")]
    lang: crate::render::Lang,
    /// A folder whose report.html and/or report.css replace the built-in ones.
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
}

/// The owner's access to the account, as the responder states it.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Access {
    /// The owner can still use the account.
    Kept,
    /// The owner has lost access to the account.
    Lost,
}

pub fn run(a: ReportArgs, clock: &Clock) -> anyhow::Result<ExitCode> {
    use crate::model::brief::OwnerAccess;
    let options = pipeline::ReportOptions {
        access: match a.owner_access {
            None => OwnerAccess::AsOfLatestAcquisition,
            Some(Access::Kept) => OwnerAccess::Kept,
            Some(Access::Lost) => OwnerAccess::Lost,
        },
        reveal_identity: a.reveal_identity,
        paper: a.paper,
        sign: match &a.sign {
            Some(key) => Some(std::sync::Arc::new(super::keygen::load_signing(
                key,
                a.pdf_cert.as_deref(),
                a.pdf_key.as_deref(),
            )?)),
            None => None,
        },
        lang: a.lang,
        templates: a.templates,
    };
    let out = pipeline::report(&a.case, &a.data.options(clock)?, &options, clock)?;
    say!("Wrote report bundle {} ({} files in the manifest)", super::shown(&out.dir), out.files);
    say!("  report:   {}", super::shown(&out.dir.join(pipeline::REPORT_HTML)));
    say!("            {}", super::shown(&out.dir.join(pipeline::REPORT_PDF)));
    say!("  brief:    {} (the request to Telegram support)", super::shown(&out.dir.join(pipeline::BRIEF_TXT)));
    say!("  manifest: sha256 {}", out.manifest_sha256);
    say!("Check it any time: sessionproof verify {}", super::shown(&out.dir));
    Ok(ExitCode::SUCCESS)
}
