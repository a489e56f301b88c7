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
    /// Which parts to write, comma-separated: html (report.html), pdf (report.pdf), json
    /// (findings.json, enrichment.json), brief (brief.txt, brief.html: the request to Telegram
    /// support), case-uco (case-uco.jsonld). All of them unless given. Every bundle also has
    /// manifest.json, SHA256SUMS, VERIFY.txt, its custody log's copy and a time-stamp request.
    #[arg(long, value_enum, value_delimiter = ',', value_name = "PART,...")]
    format: Vec<Part>,
    /// Page size of report.pdf [default: a4].
    #[arg(long, value_name = "a4|letter", value_parser = super::parse_paper)]
    paper: Option<crate::render::pdf::Paper>,
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
    /// The language of report.html and report.pdf: en (English), ru (Russian) or fa (Persian,
    /// right to left) [default: en].
    #[arg(long, value_name = "LANG")]
    lang: Option<crate::render::Lang>,
    /// A folder whose report.html and/or report.css replace the built-in ones.
    #[arg(long, value_name = "DIR")]
    templates: Option<PathBuf>,
}

/// A part of the bundle, as `--format` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Part {
    Html,
    Pdf,
    Json,
    Brief,
    CaseUco,
}

/// The parts `--format` asks for (all when it is not given), refusing options that change only
/// a part that is not written: the user meant something else.
fn parts(a: &ReportArgs) -> anyhow::Result<pipeline::ReportParts> {
    if a.format.is_empty() {
        return Ok(pipeline::ReportParts::ALL);
    }
    let has = |p| a.format.contains(&p);
    let parts = pipeline::ReportParts {
        html: has(Part::Html),
        pdf: has(Part::Pdf),
        json: has(Part::Json),
        brief: has(Part::Brief),
        case_uco: has(Part::CaseUco),
    };
    let unused: [(bool, &str, &str, &str); 6] = [
        (a.paper.is_some() && !parts.pdf, "--paper", "sets report.pdf's page size", "pdf"),
        (a.pdf_cert.is_some() && !parts.pdf, "--pdf-cert", "signs report.pdf", "pdf"),
        (a.templates.is_some() && !parts.html, "--templates", "changes report.html", "html"),
        (
            a.lang.is_some() && !parts.html && !parts.pdf,
            "--lang",
            "sets the language of report.html and report.pdf",
            "html or pdf",
        ),
        (a.owner_access.is_some() && !parts.brief, "--owner-access", "is stated in the brief", "brief"),
        (a.reveal_identity && !parts.brief, "--reveal-identity", "shows the identity in the brief", "brief"),
    ];
    if let Some((_, flag, what, part)) = unused.into_iter().find(|u| u.0) {
        anyhow::bail!(
            "{flag} {what}, but --format {} does not write it: add {part} to --format, or leave {flag} out",
            parts.names().join(",")
        );
    }
    Ok(parts)
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
    let parts = parts(&a)?;
    let options = pipeline::ReportOptions {
        access: match a.owner_access {
            None => OwnerAccess::AsOfLatestAcquisition,
            Some(Access::Kept) => OwnerAccess::Kept,
            Some(Access::Lost) => OwnerAccess::Lost,
        },
        reveal_identity: a.reveal_identity,
        paper: a.paper.unwrap_or_default(),
        sign: match &a.sign {
            Some(key) => Some(std::sync::Arc::new(super::keygen::load_signing(
                key,
                a.pdf_cert.as_deref(),
                a.pdf_key.as_deref(),
            )?)),
            None => None,
        },
        lang: a.lang.unwrap_or_default(),
        templates: a.templates,
        parts,
    };
    let out = pipeline::report(&a.case, &a.data.options(clock)?, &options, clock)?;
    say!("Wrote report bundle {} ({} files in the manifest)", super::shown(&out.dir), out.files);
    let mut label = "  report:  ";
    for (written, name) in [(parts.html, pipeline::REPORT_HTML), (parts.pdf, pipeline::REPORT_PDF)] {
        if written {
            say!("{label} {}", super::shown(&out.dir.join(name)));
            label = "           ";
        }
    }
    if parts.json {
        say!("  findings: {}", super::shown(&out.dir.join(pipeline::FINDINGS_JSON)));
    }
    if parts.brief {
        say!("  brief:    {} (the request to Telegram support)", super::shown(&out.dir.join(pipeline::BRIEF_TXT)));
    }
    say!("  manifest: sha256 {}", out.manifest_sha256);
    say!("Check it any time: sessionproof verify {}", super::shown(&out.dir));
    Ok(ExitCode::SUCCESS)
}
