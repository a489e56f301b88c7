//! `verify BUNDLE`: re-hashes every file the manifest names, looks for files it does not name,
//! checks `SHA256SUMS` against the manifest and walks the custody chain. It reads the stored
//! bytes and never re-serializes what it checks.

mod signatures;

use crate::digest::sha256_file;
use crate::evidence::custody::check_chain;
use crate::model::custody::CustodyEntry;
use crate::model::manifest::Manifest;
use std::collections::BTreeSet;
use std::fs;
use std::path::{Component, Path, PathBuf};

/// Files a bundle may hold besides those the manifest lists.
pub const UNLISTED_ALLOWED: &[&str] = &[
    "manifest.json",
    "SHA256SUMS",
    "manifest.json.minisig",
    "manifest.json.tsq",
    "manifest.json.tsr",
    "key.pub",
    "brief.txt",
    "brief.html",
    "brief.txt.minisig",
    "brief.html.minisig",
];

/// The briefs to Telegram support: written after the manifest, whose sha256 they quote.
const BRIEFS: &[&str] = &["brief.txt", "brief.html"];

/// One check and what it found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub name: &'static str,
    /// `None` when the check did not apply (say, no case log beside a copied bundle).
    pub passed: Option<bool>,
    pub summary: String,
    pub problems: Vec<String>,
}

/// All checks of one bundle.
#[derive(Debug, Clone)]
pub struct Verification {
    pub bundle: PathBuf,
    pub manifest_sha256: Option<String>,
    pub checks: Vec<Check>,
}

impl Verification {
    /// Intact: every check that applied passed.
    pub fn intact(&self) -> bool {
        self.checks.iter().all(|c| c.passed != Some(false))
    }
}

/// Why a bundle could not be checked at all (exit 2), as opposed to failing a check (exit 1).
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error("{}: no such folder; give the path of a report bundle (CASE/reports/<stamp>)", .0.display())]
    NotFound(PathBuf),
    #[error("{}: is a file; give the bundle's folder (CASE/reports/<stamp>), not a file in it", .0.display())]
    IsAFile(PathBuf),
    #[error("{}: not a report bundle (no manifest.json); give the path of CASE/reports/<stamp>", .0.display())]
    NotABundle(PathBuf),
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
}

/// What the checker is told beyond the bundle.
#[derive(Debug, Clone, Default)]
pub struct VerifyOptions {
    /// The key the bundle must be signed with (`--pubkey`).
    pub pubkey: Option<crate::sign::PublicKey>,
    /// CA certificates the time-stamp's TSA must chain to (`--tsa-ca`).
    pub tsa_ca: Option<Vec<x509_cert::Certificate>>,
}

/// Verifies the bundle in `dir`.
pub fn verify_bundle(dir: &Path) -> Result<Verification, VerifyError> {
    verify_bundle_with(dir, &VerifyOptions::default())
}

/// Verifies the bundle in `dir`, with an expected key and TSA anchors.
pub fn verify_bundle_with(dir: &Path, options: &VerifyOptions) -> Result<Verification, VerifyError> {
    if dir.is_file() {
        return Err(VerifyError::IsAFile(dir.to_path_buf()));
    }
    if !dir.is_dir() {
        return Err(VerifyError::NotFound(dir.to_path_buf()));
    }
    let manifest_path = dir.join("manifest.json");
    if !manifest_path.is_file() {
        // A folder that still holds bundle files but lost its manifest was tampered with.
        if dir.join("SHA256SUMS").is_file() || dir.join("report.html").is_file() {
            let check = fail("manifest", "manifest.json is missing", vec!["manifest.json: MISSING".into()]);
            return Ok(Verification { bundle: dir.to_path_buf(), manifest_sha256: None, checks: vec![check] });
        }
        return Err(VerifyError::NotABundle(dir.to_path_buf()));
    }
    let manifest_bytes =
        fs::read(&manifest_path).map_err(|source| VerifyError::Io { path: manifest_path.clone(), source })?;
    let manifest_sha256 = crate::digest::sha256_hex(&manifest_bytes);
    let mut checks = Vec::new();

    let manifest: Option<Manifest> = match serde_json::from_slice(&manifest_bytes) {
        Ok(m) => {
            checks.push(pass("manifest", format!("manifest.json reads (sha256 {manifest_sha256})")));
            Some(m)
        }
        Err(e) => {
            checks.push(fail(
                "manifest",
                "manifest.json is damaged",
                vec![format!("manifest.json: not a readable manifest ({e}): it was altered")],
            ));
            None
        }
    };

    // A bundle sent on its own (without its case folder) cannot show the case's originals.
    let in_case = dir.join("../../case.toml").is_file() && dir.join("../../custody.jsonl").is_file();
    if let Some(m) = &manifest {
        checks.push(check_files(dir, m, in_case));
        checks.extend(check_case_files_reachable(m, in_case));
        checks.push(check_unlisted(dir, m));
        checks.push(check_sums(dir, m));
    }
    checks.extend(signatures::signature_checks(dir, &manifest_bytes, manifest.as_ref(), options));
    checks.push(check_case_file(dir, manifest.as_ref(), in_case));
    let signed = manifest.as_ref().is_some_and(|m| m.files.iter().any(|f| f.path == crate::pipeline::KEY_PUB));
    let brief_key = options.pubkey.clone().or_else(|| {
        let text = fs::read(dir.join(crate::pipeline::KEY_PUB)).ok()?;
        crate::sign::PublicKey::parse(&text, Path::new(crate::pipeline::KEY_PUB)).ok()
    });
    checks.push(check_briefs(dir, &manifest_sha256, signed, brief_key.as_ref()));
    checks.push(check_bundle_custody(dir, manifest.as_ref()));
    checks.push(check_case_custody(dir, &manifest_sha256, manifest.as_ref()));
    Ok(Verification { bundle: dir.to_path_buf(), manifest_sha256: Some(manifest_sha256), checks })
}

pub(crate) fn pass(name: &'static str, summary: String) -> Check {
    Check { name, passed: Some(true), summary, problems: Vec::new() }
}

pub(crate) fn fail(name: &'static str, summary: &str, problems: Vec<String>) -> Check {
    Check { name, passed: Some(false), summary: summary.to_string(), problems }
}

/// A manifest path must stay in the bundle, or point into the case's evidence, snapshots or case.toml.
fn path_allowed(path: &str) -> bool {
    let p = Path::new(path);
    if p.is_absolute() || path.contains('\\') {
        return false;
    }
    let comps: Vec<Component> = p.components().collect();
    let parents = comps.iter().take_while(|c| matches!(c, Component::ParentDir)).count();
    let rest = &comps[parents..];
    if rest.iter().any(|c| !matches!(c, Component::Normal(_))) || rest.is_empty() {
        return false;
    }
    match parents {
        0 => true,
        2 => {
            let first = rest[0].as_os_str();
            (first == "evidence" || first == "snapshots") && rest.len() == 2
                || (first == "case.toml" && rest.len() == 1)
        }
        _ => false,
    }
}

fn check_files(dir: &Path, m: &Manifest, in_case: bool) -> Check {
    let mut problems = Vec::new();
    let mut skipped = 0;
    for f in &m.files {
        if !in_case && f.path.starts_with("../../") {
            skipped += 1;
            continue;
        }
        if !path_allowed(&f.path) {
            problems.push(format!("{}: path leaves the bundle and the case's evidence; refused", f.path));
            continue;
        }
        let path = dir.join(&f.path);
        match sha256_file(&path) {
            Ok((sha, bytes)) => {
                if sha != f.sha256 {
                    problems.push(format!("{}: CHANGED: sha256 is {sha}, the manifest says {}", f.path, f.sha256));
                } else if bytes != f.bytes {
                    problems.push(format!("{}: size is {bytes} bytes, the manifest says {}", f.path, f.bytes));
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => problems.push(format!("{}: MISSING", f.path)),
            Err(e) => problems.push(format!("{}: unreadable ({e})", f.path)),
        }
    }
    if problems.is_empty() {
        let what = if skipped > 0 { " of the bundle's own" } else { "" };
        pass("file hashes", format!("all {} files{what} checked match the manifest", m.files.len() - skipped))
    } else {
        fail("file hashes", "files differ from the manifest", problems)
    }
}

/// What a bundle copied out of its case cannot show: the case files its manifest lists.
fn check_case_files_reachable(m: &Manifest, in_case: bool) -> Option<Check> {
    let listed = m.files.iter().filter(|f| f.path.starts_with("../../")).count();
    (!in_case && listed > 0).then(|| Check {
        name: "case files",
        passed: None,
        summary: format!(
            "{listed} files of the case (originals, snapshots) not checked: the bundle is not inside its case folder; \
             check them beside the case (CASE/reports/<stamp>)"
        ),
        problems: vec![],
    })
}

fn check_unlisted(dir: &Path, m: &Manifest) -> Check {
    let listed: BTreeSet<&str> = m.files.iter().map(|f| f.path.as_str()).collect();
    let mut found = Vec::new();
    collect_files(dir, dir, &mut found);
    // A killed `timestamp attach` leaves `.manifest.json.tsr.tmp-<pid>`: not part of the bundle,
    // named in the summary, and removed by the next command on the case.
    let (temporary, found): (Vec<String>, Vec<String>) = found.into_iter().partition(|p| {
        crate::evidence::fsutil::final_name_of_temp(p).is_some_and(|name| UNLISTED_ALLOWED.contains(&name))
    });
    let extra: Vec<String> = found
        .into_iter()
        .filter(|p| !listed.contains(p.as_str()) && !UNLISTED_ALLOWED.contains(&p.as_str()))
        .map(|p| format!("{p}: EXTRA file, not in the manifest"))
        .collect();
    if extra.is_empty() {
        let mut summary = "no file in the bundle is missing from the manifest".to_string();
        if !temporary.is_empty() {
            summary.push_str(&format!(
                "; ignored {}, left by an interrupted run (the next sessionproof command on the case removes it)",
                temporary.join(", ")
            ));
        }
        pass("bundle contents", summary)
    } else {
        fail("bundle contents", "the bundle holds files the manifest does not list", extra)
    }
}

fn collect_files(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let path = e.path();
        if path.is_dir() {
            collect_files(root, &path, out);
        } else if let Ok(rel) = path.strip_prefix(root) {
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

fn check_sums(dir: &Path, m: &Manifest) -> Check {
    let path = dir.join("SHA256SUMS");
    match fs::read(&path) {
        Ok(bytes) if bytes == m.sha256sums().as_bytes() => {
            pass("SHA256SUMS", "matches the manifest line for line".into())
        }
        Ok(_) => fail(
            "SHA256SUMS",
            "SHA256SUMS disagrees with manifest.json",
            vec!["SHA256SUMS: CHANGED: its lines differ from the manifest's entries".into()],
        ),
        Err(_) => fail("SHA256SUMS", "SHA256SUMS is missing", vec!["SHA256SUMS: MISSING".into()]),
    }
}

fn check_bundle_custody(dir: &Path, manifest: Option<&Manifest>) -> Check {
    let path = dir.join("custody.jsonl");
    let listed = manifest.is_none_or(|m| m.files.iter().any(|f| f.path == "custody.jsonl"));
    match fs::read(&path) {
        Ok(log) => chain_check("custody chain", "custody.jsonl", &log),
        Err(_) if !listed => Check {
            name: "custody chain",
            passed: None,
            summary: "no custody copy in this bundle".into(),
            problems: vec![],
        },
        Err(_) => fail("custody chain", "custody.jsonl is missing", vec!["custody.jsonl: MISSING".into()]),
    }
}

fn chain_check(name: &'static str, label: &str, log: &[u8]) -> Check {
    let problems = check_chain(log);
    if problems.is_empty() {
        let lines = log.split(|b| *b == b'\n').filter(|l| !l.is_empty()).count();
        pass(name, format!("{label}: {lines} lines, each chained to the one before"))
    } else {
        fail(
            name,
            "the custody chain is broken",
            problems.into_iter().map(|p| format!("{label} line {}: {}", p.line, p.message)).collect(),
        )
    }
}

/// The bundle's copy of case.toml (the baseline its analysis used) against the case's current one:
/// an edit since is no fault of the bundle's, and it is said, with what custody recorded of it.
fn check_case_file(dir: &Path, m: Option<&Manifest>, in_case: bool) -> Check {
    const NAME: &str = "case file";
    let skip = |summary: &str| Check { name: NAME, passed: None, summary: summary.into(), problems: vec![] };
    let Some(m) = m else { return skip("no readable manifest") };
    if !m.files.iter().any(|f| f.path == "case.toml") {
        return skip("the bundle has no copy of case.toml (it was written before bundles kept one)");
    }
    if !in_case {
        return skip("not beside its case: the bundle's case.toml (checked above) is the baseline it used");
    }
    let (Ok(ours), Ok(now)) = (fs::read(dir.join("case.toml")), fs::read(dir.join("../../case.toml"))) else {
        return skip("case.toml could not be read in the bundle or the case");
    };
    if ours == now {
        return pass(NAME, "the case's case.toml is the baseline this bundle used".into());
    }
    let theirs = crate::digest::sha256_hex(&now);
    let recorded = fs::read(dir.join("../../custody.jsonl")).ok().is_some_and(|log| {
        log.split(|b| *b == b'\n').filter_map(|l| serde_json::from_slice::<CustodyEntry>(l).ok()).any(|e| {
            e.action == "case-file-changed" && e.outputs.iter().any(|f| f.path == "case.toml" && f.sha256 == theirs)
        })
    });
    pass(
        NAME,
        format!(
            "the case's case.toml was edited after this bundle was written ({}); the bundle keeps the \
             baseline its analysis used",
            if recorded {
                "the case's custody log records the edit"
            } else {
                "not yet in the case's custody log: the next import, attach or report on the case records it"
            }
        ),
    )
}

/// When the bundle sits in its case (`CASE/reports/<stamp>`), the case's own log must be an
/// intact chain that contains the bundle's copy and records this manifest.
/// Each brief must quote this manifest's sha256; in a signed bundle its own signature must hold;
/// beside its case, the case's custody log must record the brief's own hash. Outside its case, an
/// unsigned brief's wording is vouched for by nothing, and the check says so.
fn check_briefs(dir: &Path, manifest_sha256: &str, signed: bool, key: Option<&crate::sign::PublicKey>) -> Check {
    const NAME: &str = "brief";
    let present: Vec<&str> = BRIEFS.iter().copied().filter(|b| dir.join(b).is_file()).collect();
    if present.is_empty() {
        return Check { name: NAME, passed: None, summary: "no brief in the bundle".into(), problems: vec![] };
    }
    let case_log = fs::read(dir.join("../../custody.jsonl")).ok();
    let entries: Vec<CustodyEntry> = case_log
        .iter()
        .flat_map(|log| log.split(|b| *b == b'\n'))
        .filter_map(|l| serde_json::from_slice::<CustodyEntry>(l).ok())
        .collect();
    let mut problems = Vec::new();
    for b in &present {
        let path = dir.join(b);
        let bytes = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) => {
                problems.push(format!("{b}: unreadable ({})", crate::evidence::describe_io(&e)));
                continue;
            }
        };
        let text = String::from_utf8_lossy(&bytes);
        let quoted = quoted_manifest_hash(&text);
        match quoted {
            Some(q) if q == manifest_sha256 => {}
            Some(q) => {
                problems.push(format!("{b}: quotes manifest sha256 {q}, but manifest.json hashes to {manifest_sha256}"))
            }
            None => problems.push(format!("{b}: quotes no manifest sha256: it was altered")),
        }
        let sig_path = dir.join(format!("{b}.minisig"));
        match (fs::read(&sig_path), signed) {
            (Ok(text), _) => match (crate::sign::minisig::Signature::parse(&text), key) {
                (Err(e), _) => problems.push(format!("{b}.minisig: {e}")),
                (Ok(_), None) => {
                    problems.push(format!("{b}.minisig: no public key to check it with (key.pub or --pubkey)"))
                }
                (Ok(sig), Some(k)) => {
                    if let Err(e) = sig.verify(k, &bytes) {
                        problems.push(format!(
                            "{b}: its signature {b}.minisig does not hold ({e}): it was changed after signing"
                        ));
                    } else if sig.comment_field("manifest-sha256") != Some(manifest_sha256) {
                        problems.push(format!("{b}.minisig: signed for another manifest"));
                    }
                }
            },
            (Err(_), true) => problems.push(format!("{b}.minisig: MISSING: a signed bundle signs its briefs")),
            (Err(_), false) => {}
        }
        if case_log.is_some() {
            let sha = crate::digest::sha256_hex(&bytes);
            let recorded = entries.iter().any(|e| {
                e.action == "report" && e.outputs.iter().any(|o| o.path.ends_with(&format!("/{b}")) && o.sha256 == sha)
            });
            if !recorded {
                problems.push(format!("{b}: the case's custody log does not record this file with this hash: it was changed after the report"));
            }
        }
    }
    if !problems.is_empty() {
        return fail(NAME, "a brief does not match this bundle", problems);
    }
    let quote =
        format!("{} quote{} this manifest's sha256", present.join(" and "), if present.len() == 1 { "s" } else { "" });
    match (signed, case_log.is_some()) {
        (true, _) => pass(NAME, format!("{quote}, and their signatures hold")),
        (false, true) => pass(NAME, format!("{quote}, and the case's custody log records them")),
        (false, false) => Check {
            name: NAME,
            passed: None,
            summary: format!(
                "{quote}, but their wording is not checked: outside its case folder nothing vouches for an \
                 unsigned brief (the case's custody log records its hash; a bundle made with --sign signs it)"
            ),
            problems: vec![],
        },
    }
}

/// The 64 hex digits after "manifest.json sha256" in a brief.
fn quoted_manifest_hash(text: &str) -> Option<&str> {
    let at = text.find("manifest.json sha256")? + "manifest.json sha256".len();
    let rest = text[at..].trim_start();
    let rest = rest.strip_prefix("<code>").unwrap_or(rest);
    let hex = rest.get(..64)?;
    hex.bytes().all(|c| c.is_ascii_hexdigit()).then_some(hex)
}

fn check_case_custody(dir: &Path, manifest_sha256: &str, manifest: Option<&Manifest>) -> Check {
    let case_log = dir.join("../../custody.jsonl");
    let Ok(log) = fs::read(&case_log) else {
        return Check {
            name: "case custody log",
            passed: None,
            summary: "not beside its case; the case's log was not checked".into(),
            problems: vec![],
        };
    };
    let mut check = chain_check("case custody log", "../../custody.jsonl", &log);
    if let Ok(copy) = fs::read(dir.join("custody.jsonl"))
        && !log.starts_with(&copy)
    {
        check.problems.push("../../custody.jsonl: does not begin with the bundle's copy of the log: lines were changed after the report".into());
    }
    let entries: Vec<CustodyEntry> =
        log.split(|b| *b == b'\n').filter_map(|l| serde_json::from_slice::<CustodyEntry>(l).ok()).collect();
    let recorded = entries.iter().any(|e| {
        e.action == "report"
            && e.outputs.iter().any(|o| o.path.ends_with("manifest.json") && o.sha256 == manifest_sha256)
    });
    if let Some(m) = manifest {
        let files = crate::evidence::custody::recorded_files(&entries);
        for f in m.files.iter().filter(|f| f.role == "evidence" || f.role == "snapshot") {
            let rel = f.path.trim_start_matches("../../");
            if files.get(rel) != Some(&f.sha256) {
                check.problems.push(format!("{}: the custody log never recorded this file with this hash", f.path));
            }
        }
    }
    // Every file the report entry wrote into this bundle must still be there.
    let stamp = dir.canonicalize().ok().and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()));
    if let Some(stamp) = stamp {
        let prefix = format!("reports/{stamp}/");
        let mut gone: BTreeSet<String> = BTreeSet::new();
        for e in entries.iter().filter(|e| e.action == "report" || e.action == "timestamp-attach") {
            for o in e.outputs.iter().filter(|o| o.path.starts_with(&prefix)) {
                let name = &o.path[prefix.len()..];
                if !dir.join(name).exists() {
                    gone.insert(name.to_string());
                }
            }
        }
        for name in gone {
            check.problems.push(format!("{name}: MISSING: the case's custody log records it in this bundle"));
        }
    }
    if !recorded {
        check.problems.push(format!("../../custody.jsonl: no report entry records this manifest (sha256 {manifest_sha256}): manifest.json was changed or replaced"));
    }
    if !check.problems.is_empty() {
        check.passed = Some(false);
        check.summary = "the case's custody log does not vouch for this bundle".into();
    } else {
        check.summary = format!("{}; it records this manifest", check.summary);
    }
    check
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_hashes_in_text_and_html_briefs() {
        let h = "0f1c1b6e5b21d0d35e6b6d5373650615a71a11f66964de67142e71a4ccb224b0";
        let a = "af1c1b6e5b21d0d35e6b6d5373650615a71a11f66964de67142e71a4ccb224b0";
        assert_eq!(quoted_manifest_hash(&format!("bundle x · manifest.json sha256 {h}\n")), Some(h));
        assert_eq!(quoted_manifest_hash(&format!("manifest.json sha256 <code>{a}</code>")), Some(a));
        assert_eq!(quoted_manifest_hash("manifest.json sha256 <code>nothex</code>"), None);
        assert_eq!(quoted_manifest_hash("no hash here"), None);
    }

    #[test]
    fn manifest_paths_are_confined() {
        for ok in ["report.html", "sub/x.txt", "../../evidence/ab.json", "../../snapshots/0001.json", "../../case.toml"]
        {
            assert!(path_allowed(ok), "{ok}");
        }
        for bad in [
            "/etc/passwd",
            "../x",
            "../../../etc/passwd",
            "../../evidence/../../x",
            "../../custody.jsonl",
            "a/../../b",
            "..\\x",
        ] {
            assert!(!path_allowed(bad), "{bad}");
        }
    }
}
