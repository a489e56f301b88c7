//! The signature checks of `verify`: the minisign signature over manifest.json's stored bytes,
//! the signer key against the expected one, the RFC 3161 request and reply, and report.pdf's
//! embedded signature. Each is its own line, so integrity and signer identity stay apart.

use super::{Check, VerifyOptions, fail, pass};
use crate::model::manifest::Manifest;
use crate::pipeline::{KEY_PUB, MANIFEST_MINISIG, MANIFEST_TSQ, MANIFEST_TSR, REPORT_PDF};
use crate::sign::minisig::{Signature, untrusted_comment};
use crate::sign::{PublicKey, pdfsig, tsp};
use std::fs;
use std::path::Path;

fn skip(name: &'static str, summary: &str) -> Check {
    Check { name, passed: None, summary: summary.into(), problems: vec![] }
}

/// Every signature-related check of the bundle in `dir`.
pub(super) fn signature_checks(
    dir: &Path,
    manifest_bytes: &[u8],
    manifest: Option<&Manifest>,
    o: &VerifyOptions,
) -> Vec<Check> {
    let lists_key = manifest.is_some_and(|m| m.files.iter().any(|f| f.path == KEY_PUB));
    let bundle_key = fs::read(dir.join(KEY_PUB)).ok().map(|b| PublicKey::parse(&b, Path::new(KEY_PUB)));
    let mut checks = vec![];
    let (sig_check, signer) = manifest_signature(dir, manifest_bytes, manifest, lists_key, &bundle_key, o);
    checks.push(sig_check);
    checks.push(signer_key(signer, o));
    checks.extend(timestamp(dir, manifest_bytes, o));
    checks.push(pdf_signature(dir, lists_key, signer));
    checks
}

fn manifest_signature(
    dir: &Path,
    manifest_bytes: &[u8],
    manifest: Option<&Manifest>,
    lists_key: bool,
    bundle_key: &Option<Result<PublicKey, crate::sign::SignError>>,
    o: &VerifyOptions,
) -> (Check, Option<crate::sign::KeyId>) {
    const NAME: &str = "manifest signature";
    let Ok(text) = fs::read(dir.join(MANIFEST_MINISIG)) else {
        return if lists_key {
            (
                fail(
                    NAME,
                    "the bundle was signed but its signature is gone",
                    vec![format!("{MANIFEST_MINISIG}: MISSING")],
                ),
                None,
            )
        } else if o.pubkey.is_some() {
            (
                fail(
                    NAME,
                    "the bundle is not signed, but --pubkey expects a signed bundle",
                    vec![format!("{MANIFEST_MINISIG}: MISSING: this bundle was made without --sign")],
                ),
                None,
            )
        } else {
            (skip(NAME, "the bundle is not signed (made without --sign)"), None)
        };
    };
    let sig = match Signature::parse(&text) {
        Ok(s) => s,
        Err(e) => return (fail(NAME, "the signature file is damaged", vec![format!("{MANIFEST_MINISIG}: {e}")]), None),
    };
    let mut problems = vec![];
    // Verified with the expected key when given, else with the bundle's own key.pub.
    let key = match (&o.pubkey, bundle_key) {
        (Some(k), _) => Some(k.clone()),
        (None, Some(Ok(k))) => Some(k.clone()),
        (None, Some(Err(e))) => {
            problems.push(format!("{KEY_PUB}: {e}"));
            None
        }
        (None, None) => {
            problems.push(format!("{KEY_PUB}: MISSING: the public key the signature can be checked with"));
            None
        }
    };
    if let Some(Ok(k)) = bundle_key
        && k.id != sig.key_id
    {
        problems.push(format!(
            "{MANIFEST_MINISIG}: made with key {}, but the bundle's {KEY_PUB} is key {}: the signature was swapped",
            sig.key_id, k.id
        ));
    }
    if let Some(k) = &key
        && let Err(e) = sig.verify(k, manifest_bytes)
    {
        problems.push(format!("{MANIFEST_MINISIG}: {e}"));
    }
    if sig.untrusted_comment != untrusted_comment(sig.key_id) {
        problems.push(format!("{MANIFEST_MINISIG}: its untrusted comment line was changed"));
    }
    let sha = crate::digest::sha256_hex(manifest_bytes);
    if sig.comment_field("manifest-sha256") != Some(sha.as_str()) {
        problems.push(format!("{MANIFEST_MINISIG}: its trusted comment does not name this manifest's sha256 {sha}"));
    }
    if let Some(m) = manifest
        && sig.comment_field("case") != Some(m.case_id.as_str())
    {
        problems.push(format!("{MANIFEST_MINISIG}: its trusted comment names another case than {}", m.case_id));
    }
    if problems.is_empty() {
        let when = sig.comment_field("signed").unwrap_or("an unstated time");
        (
            pass(
                NAME,
                format!("manifest.json is signed by key {} at {when}; the signature matches its bytes", sig.key_id),
            ),
            Some(sig.key_id),
        )
    } else {
        (fail(NAME, "the signature over manifest.json does not hold", problems), None)
    }
}

fn signer_key(signer: Option<crate::sign::KeyId>, o: &VerifyOptions) -> Check {
    const NAME: &str = "signer key";
    match (&o.pubkey, signer) {
        (Some(k), Some(id)) if k.id == id => pass(NAME, format!("the signer is the expected key {id} (--pubkey)")),
        (Some(k), _) => fail(
            NAME,
            "not signed by the expected key",
            vec![format!("--pubkey is key {}; the bundle's signature does not verify with it", k.id)],
        ),
        (None, Some(id)) => skip(
            NAME,
            &format!(
                "signed by key {id}, which was not compared with an expected key; give --pubkey with the examiner's public key"
            ),
        ),
        (None, None) => skip(NAME, "no valid signature to attribute"),
    }
}

fn timestamp(dir: &Path, manifest_bytes: &[u8], o: &VerifyOptions) -> Vec<Check> {
    let digest: [u8; 32] =
        sha2::Digest::finalize(sha2::Digest::chain_update(sha2::Sha256::default(), manifest_bytes)).into();
    let expected = tsp::request(&digest);
    let tsq = fs::read(dir.join(MANIFEST_TSQ));
    let request = match &tsq {
        Ok(b) if *b == expected => {
            pass("time-stamp request", format!("{MANIFEST_TSQ} is the RFC 3161 request over this manifest"))
        }
        Ok(_) => fail(
            "time-stamp request",
            "the time-stamp request is not over this manifest",
            vec![format!("{MANIFEST_TSQ}: CHANGED: it differs from the request over manifest.json's bytes")],
        ),
        Err(_) => {
            fail("time-stamp request", "the time-stamp request is missing", vec![format!("{MANIFEST_TSQ}: MISSING")])
        }
    };
    let token = match fs::read(dir.join(MANIFEST_TSR)) {
        Err(_) if case_recorded_tsr(dir) => fail(
            "time-stamp token",
            "the attached time-stamp is gone",
            vec![format!("{MANIFEST_TSR}: MISSING: the case's custody log records it was attached")],
        ),
        Err(_) => skip("time-stamp token", "no time-stamp attached yet (sessionproof timestamp attach)"),
        Ok(tsr) => match tsp::check_response(&expected, &tsr, o.tsa_ca.as_deref()) {
            Ok(info) => pass(
                "time-stamp token",
                format!(
                    "time-stamped at {} by {}{}",
                    info.gen_time,
                    info.tsa,
                    if info.chained.is_some() {
                        "; chains to the given CA"
                    } else {
                        "; TSA not checked against a CA (give --tsa-ca)"
                    }
                ),
            ),
            Err(e) => fail("time-stamp token", "the time-stamp does not hold", vec![format!("{MANIFEST_TSR}: {e}")]),
        },
    };
    vec![request, token]
}

/// Whether the case's custody log (beside the bundle) records a time-stamp attached to it.
fn case_recorded_tsr(dir: &Path) -> bool {
    let Ok(log) = fs::read(dir.join("../../custody.jsonl")) else { return false };
    let stamp = dir
        .canonicalize()
        .ok()
        .and_then(|d| d.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_default();
    log.split(|b| *b == b'\n')
        .filter_map(|l| serde_json::from_slice::<crate::model::custody::CustodyEntry>(l).ok())
        .any(|e| {
            e.action == "timestamp-attach"
                && e.outputs.iter().any(|f| f.path.ends_with(&format!("{stamp}/{MANIFEST_TSR}")))
        })
}

fn pdf_signature(dir: &Path, signed: bool, signer: Option<crate::sign::KeyId>) -> Check {
    const NAME: &str = "PDF signature";
    let Ok(pdf) = fs::read(dir.join(REPORT_PDF)) else {
        return skip(NAME, "no report.pdf in the bundle");
    };
    if !signed && !pdf.windows(12).any(|w| w == b"/ByteRange [") {
        return skip(NAME, "report.pdf is not signed (the bundle was made without --sign)");
    }
    match pdfsig::verify_pdf(&pdf) {
        Ok(s) => {
            if let Some(id) = signer
                && s.signer.contains("sessionproof case key")
                && !s.signer.contains(&id.to_string())
            {
                return fail(
                    NAME,
                    "report.pdf is signed for another case key",
                    vec![format!(
                        "{REPORT_PDF}: its certificate is {}, but the manifest is signed by key {id}",
                        s.signer
                    )],
                );
            }
            pass(
                NAME,
                format!(
                    "report.pdf's embedded signature is valid ({}, signed {})",
                    s.signer,
                    s.signing_time.as_deref().unwrap_or("at an unstated time")
                ),
            )
        }
        Err(e) => fail(NAME, "report.pdf's embedded signature does not hold", vec![format!("{REPORT_PDF}: {e}")]),
    }
}
