//! Signed bundles (issue 7): keygen, `report --sign`, minisign / openssl / pdfsig as outside
//! oracles, `timestamp attach` against a throwaway `openssl ts` TSA, VERIFY.txt run literally,
//! and the tamper suite. The outside tools are required: a test FAILS when one is missing.

use super::util::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

const PASS: &str = "test passphrase 1";

/// Fails the test with what to install when a tool the check relies on is missing.
fn require(tool: &str, package: &str) {
    let found =
        Command::new("sh").arg("-c").arg(format!("command -v {tool}")).output().is_ok_and(|o| o.status.success());
    assert!(
        found,
        "`{tool}` is not installed: install the Debian package `{package}` (apt-get install {package}); this check cannot pass without it"
    );
}

fn sh(dir: &Path, script: &str) -> std::process::Output {
    let out = Command::new("sh").arg("-ec").arg(script).current_dir(dir).output().unwrap();
    assert!(
        out.status.success(),
        "`{script}` failed:\n{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn keygen(dir: &Path, name: &str) -> PathBuf {
    let key = dir.join(name);
    bin().args(["keygen", "--out"]).arg(&key).env("SESSIONPROOF_PASSPHRASE", PASS).assert().success();
    key
}

/// VERIFY.txt's commands, in order, as a reader runs them from inside the bundle.
fn verify_txt_commands(text: &str) -> Vec<&str> {
    text.lines().filter_map(|l| l.strip_prefix("     $ ")).filter(|c| !c.starts_with("cd CASE/")).collect()
}

/// Runs `commands` literally in `bundle` with our binary on PATH (and TSA_CA set when given);
/// fails the test unless every one succeeds; returns all they printed.
fn run_in_bundle(bundle: &Path, commands: &[&str], tsa_ca: Option<&Path>) -> String {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_sessionproof")).parent().unwrap();
    let mut sh = Command::new("sh");
    sh.arg("-ec").arg(commands.join("\n")).current_dir(bundle);
    sh.env("PATH", format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap()));
    if let Some(ca) = tsa_ca {
        sh.env("TSA_CA", ca);
    }
    let out = sh.output().unwrap();
    let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{all}");
    all
}

/// A case with one import, signed with an encrypted key; (case, key).
fn signed_case(dir: &Path) -> (PathBuf, PathBuf) {
    let case = dir.join("case");
    bin()
        .args(["case", "init"])
        .arg(&case)
        .args(["--case-id", "HL-SIGN", "--examiner", "Test Examiner", "--now", NOW])
        .assert()
        .success();
    bin().arg("import").arg(&case).arg(fixture("tdesktop-json/modern.json")).args(["--now", NOW]).assert().success();
    let key = keygen(dir, "case.key");
    bin()
        .arg("report")
        .arg(&case)
        .args(["--sign"])
        .arg(&key)
        .args(["--now", NOW])
        .env("SESSIONPROOF_PASSPHRASE", PASS)
        .assert()
        .success();
    (case, key)
}

/// A throwaway TSA made with openssl in `dir`: a CA and a TSA certificate with (or without)
/// the critical timeStamping EKU, for an RSA or a P-256 key.
struct Tsa {
    dir: PathBuf,
}

impl Tsa {
    fn new(dir: &Path, p256: bool) -> Tsa {
        require("openssl", "openssl");
        std::fs::create_dir_all(dir).unwrap();
        let keygen = if p256 {
            "-algorithm EC -pkeyopt ec_paramgen_curve:P-256"
        } else {
            "-algorithm RSA -pkeyopt rsa_keygen_bits:2048"
        };
        // RSA signs with ESS signingCertificateV2 (sha256); P-256 with the older SHA-1 ESS id.
        let ess = if p256 { "sha1" } else { "sha256" };
        sh(
            dir,
            &format!(
                "openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -subj '/CN=Throwaway Test CA' -days 30 -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign 2>/dev/null
                 openssl genpkey {keygen} -out tsa.key 2>/dev/null
                 openssl req -new -key tsa.key -subj '/CN=Throwaway TSA' -out tsa.csr
                 printf 'extendedKeyUsage=critical,timeStamping\\n' > eku.cnf
                 printf 'extendedKeyUsage=emailProtection\\n' > noeku.cnf
                 openssl x509 -req -in tsa.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 -extfile eku.cnf -out tsa.crt 2>/dev/null
                 openssl x509 -req -in tsa.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 30 -extfile noeku.cnf -out noeku.crt 2>/dev/null
                 echo 01 > serial
                 cat > tsa.cnf <<EOF
[ tsa ]
default_tsa = tsa1
[ tsa1 ]
serial = ./serial
crypto_device = builtin
signer_cert = ./tsa.crt
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = {ess}
EOF"
            ),
        );
        Tsa { dir: dir.to_path_buf() }
    }

    /// The TSA's reply to `tsq`, as a file.
    fn reply(&self, tsq: &Path, name: &str) -> PathBuf {
        let out = self.dir.join(name);
        sh(
            &self.dir,
            &format!(
                "openssl ts -reply -config tsa.cnf -queryfile '{}' -out '{}' 2>/dev/null",
                tsq.display(),
                out.display()
            ),
        );
        out
    }

    /// A reply to `tsq` whose token is signed with the certificate lacking the timeStamping EKU
    /// (openssl ts refuses such a signer, so the token is re-signed with openssl cms).
    fn reply_without_eku(&self, tsq: &Path) -> PathBuf {
        let good = self.reply(tsq, "good-for-noeku.tsr");
        sh(
            &self.dir,
            &format!(
                "openssl ts -reply -in '{}' -token_out -out token.der
                 openssl cms -verify -noverify -inform DER -in token.der -binary -out tst.der 2>/dev/null
                 openssl cms -sign -binary -nodetach -nosmimecap -md sha256 -econtent_type 1.2.840.113549.1.9.16.1.4 -in tst.der -signer noeku.crt -inkey tsa.key -outform DER -out token2.der",
                good.display()
            ),
        );
        let token = std::fs::read(self.dir.join("token2.der")).unwrap();
        let mut body = vec![0x30, 0x03, 0x02, 0x01, 0x00];
        body.extend_from_slice(&token);
        let out = self.dir.join("noeku.tsr");
        std::fs::write(&out, der_sequence(&body)).unwrap();
        out
    }
}

/// `timestamp attach` at the tests' fixed time (custody time never goes backwards).
fn attach() -> assert_cmd::Command {
    let mut c = bin();
    c.args(["timestamp", "attach", "--now", NOW]);
    c
}

fn der_sequence(body: &[u8]) -> Vec<u8> {
    let mut out = vec![0x30];
    let n = body.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes: Vec<u8> = n.to_be_bytes().into_iter().skip_while(|b| *b == 0).collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(body);
    out
}

/// One signed, time-stamped case made once for the tests that only read or copy it.
fn shared() -> &'static (tempfile::TempDir, PathBuf, PathBuf) {
    static SHARED: OnceLock<(tempfile::TempDir, PathBuf, PathBuf)> = OnceLock::new();
    SHARED.get_or_init(|| {
        let d = tempfile::tempdir().unwrap();
        let (case, key) = signed_case(d.path());
        let bundle = only_bundle(&case);
        let tsa = Tsa::new(&d.path().join("tsa-rsa"), false);
        let tsr = tsa.reply(&bundle.join("manifest.json.tsq"), "reply.tsr");
        bin()
            .args(["timestamp", "attach"])
            .arg(&bundle)
            .arg(&tsr)
            .arg("--tsa-ca")
            .arg(tsa.dir.join("ca.crt"))
            .args(["--now", NOW])
            .assert()
            .success();
        (d, case, key)
    })
}

/// A fresh copy of the shared case; returns (guard, bundle in the copy).
fn copy_of_shared() -> (tempfile::TempDir, PathBuf) {
    let (_, case, _) = shared();
    let d = tempfile::tempdir().unwrap();
    let st = Command::new("cp").arg("-a").arg(case).arg(d.path().join("case")).status().unwrap();
    assert!(st.success());
    let bundle = only_bundle(&d.path().join("case"));
    (d, bundle)
}

#[test]
fn keygen_writes_0600_never_overwrites_and_warns_when_unencrypted() {
    let d = tempfile::tempdir().unwrap();
    let key = keygen(d.path(), "case.key");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&key).unwrap().permissions().mode() & 0o777, 0o600);
    }
    let text = std::fs::read_to_string(&key).unwrap();
    assert!(text.starts_with("untrusted comment: minisign encrypted secret key\n"));
    assert!(d.path().join("case.pub").is_file());
    let before = std::fs::read(&key).unwrap();
    let a = bin().args(["keygen", "--out"]).arg(&key).env("SESSIONPROOF_PASSPHRASE", PASS).assert().code(2);
    assert!(stderr_of(&a).contains("exists and is never overwritten"), "{}", stderr_of(&a));
    assert_eq!(std::fs::read(&key).unwrap(), before);
    let a = bin().args(["keygen", "--unencrypted", "--out"]).arg(d.path().join("auto")).assert().success();
    assert!(stderr_of(&a).contains("WITHOUT a passphrase"));
    assert!(d.path().join("auto.pub").is_file());
    assert!(
        std::fs::read_to_string(d.path().join("auto")).unwrap().starts_with("untrusted comment: minisign secret key\n")
    );
    // No passphrase, no terminal: a clear error, no key written.
    let a = bin()
        .args(["keygen", "--out"])
        .arg(d.path().join("nopass.key"))
        .env_remove("SESSIONPROOF_PASSPHRASE")
        .assert()
        .code(2);
    assert!(stderr_of(&a).contains("SESSIONPROOF_PASSPHRASE"));
    assert!(!d.path().join("nopass.key").exists());
}

#[test]
fn the_reference_minisign_signs_with_our_encrypted_key_and_we_verify() {
    require("minisign", "minisign");
    let d = tempfile::tempdir().unwrap();
    let key = keygen(d.path(), "case.key");
    std::fs::write(d.path().join("data"), b"bytes").unwrap();
    sh(d.path(), &format!("echo '{PASS}' | minisign -S -s case.key -m data -t 'from the cli' >/dev/null"));
    let sig = std::fs::read(d.path().join("data.minisig")).unwrap();
    let pk = sessionproof::sign::PublicKey::from_file(&d.path().join("case.pub")).unwrap();
    let s = sessionproof::sign::minisig::Signature::parse(&sig).unwrap();
    s.verify(&pk, b"bytes").unwrap();
    assert!(s.verify(&pk, b"bytez").is_err());
    let _ = key;
}

#[test]
fn wrong_passphrase_and_corrupt_key_are_named_and_leak_nothing() {
    let (_, case, key) = shared();
    let a = bin()
        .arg("report")
        .arg(case)
        .arg("--sign")
        .arg(key)
        .args(["--now", "2026-11-26T12:00:01Z"])
        .env("SESSIONPROOF_PASSPHRASE", "not the passphrase")
        .assert()
        .code(2);
    let err = stderr_of(&a);
    assert!(err.contains("wrong passphrase"), "{err}");
    assert!(!err.contains("not the passphrase"));
    let d = tempfile::tempdir().unwrap();
    let bad = d.path().join("bad.key");
    std::fs::write(&bad, "untrusted comment: x\nnot base64 at all\n").unwrap();
    let a =
        bin().arg("report").arg(case).arg("--sign").arg(&bad).args(["--now", "2026-11-26T12:00:01Z"]).assert().code(2);
    let err = stderr_of(&a);
    assert!(err.contains("bad.key") && err.contains("not valid base64"), "{err}");
    assert_eq!(std::fs::read_dir(case.join("reports")).unwrap().count(), 1, "no bundle was written");
}

#[test]
fn a_signed_bundle_verifies_with_minisign_pdfsig_openssl_and_ourselves() {
    require("minisign", "minisign");
    require("pdfsig", "poppler-utils");
    require("openssl", "openssl");
    let (d, case, _) = shared();
    let bundle = only_bundle(case);
    let out = sh(&bundle, "minisign -Vm manifest.json -p key.pub");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Signature and comment signature verified"), "{text}");
    assert!(text.contains("case:HL-SIGN") && text.contains("signed:2026-11-26T12:00:00Z"), "{text}");
    let manifest_sha = sessionproof::digest::sha256_hex(&std::fs::read(bundle.join("manifest.json")).unwrap());
    assert!(text.contains(&format!("manifest-sha256:{manifest_sha}")));
    let out = sh(&bundle, "pdfsig report.pdf");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Signature is Valid"), "{text}");
    assert!(text.contains("Total document signed") && text.contains("adbe.pkcs7.detached"), "{text}");
    assert!(text.contains("Nov 26 2026 12:00:00"), "signing time shown: {text}");
    let ca = d.path().join("tsa-rsa/ca.crt");
    let out = sh(
        &bundle,
        &format!("openssl ts -verify -in manifest.json.tsr -queryfile manifest.json.tsq -CAfile '{}'", ca.display()),
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("Verification: OK"));
    let pubkey = d.path().join("case.pub");
    let a = bin().arg("verify").arg(&bundle).arg("--pubkey").arg(&pubkey).arg("--tsa-ca").arg(&ca).assert().success();
    let out = stdout_of(&a);
    for line in [
        "ok   manifest signature",
        "ok   signer key",
        "ok   time-stamp request",
        "ok   time-stamp token",
        "ok   PDF signature",
        "INTACT",
    ] {
        assert!(out.contains(line), "{line}\n{out}");
    }
    // The key id is on the report's cover, in HTML and PDF.
    let id = std::fs::read_to_string(&pubkey).unwrap().lines().next().unwrap().rsplit(' ').next().unwrap().to_string();
    assert!(std::fs::read_to_string(bundle.join("report.html")).unwrap().contains(&id));
    let pdf_text = Command::new("pdftotext").arg(bundle.join("report.pdf")).arg("-").output().unwrap();
    assert!(String::from_utf8_lossy(&pdf_text.stdout).contains(&id));
}

#[test]
fn verify_txt_steps_run_literally() {
    require("minisign", "minisign");
    require("pdfsig", "poppler-utils");
    require("openssl", "openssl");
    let (d, case, _) = shared();
    let bundle = only_bundle(case);
    let text = std::fs::read_to_string(bundle.join("VERIFY.txt")).unwrap();
    let commands = verify_txt_commands(&text);
    assert!(commands.len() >= 8, "{commands:?}");
    for tool in ["sha256sum -c", "minisign -Vm", "pdfsig", "openssl ts -verify", "sessionproof verify"] {
        assert!(commands.iter().any(|c| c.contains(tool)), "VERIFY.txt lacks {tool}");
    }
    let all = run_in_bundle(&bundle, &commands, Some(&d.path().join("tsa-rsa/ca.crt")));
    for expect in [
        "SHA256SUMS",
        ": OK",
        "Signature and comment signature verified",
        "Signature is Valid",
        "Verification: OK",
        "INTACT",
    ] {
        assert!(all.contains(expect), "{expect}\n{all}");
    }
}

#[test]
fn signed_output_is_deterministic() {
    let (_, case, key) = shared();
    let bundle = only_bundle(case);
    // A second case built the same way, signed with the same key at the same --now.
    let d = tempfile::tempdir().unwrap();
    let case2 = d.path().join("case");
    bin()
        .args(["case", "init"])
        .arg(&case2)
        .args(["--case-id", "HL-SIGN", "--examiner", "Test Examiner", "--now", NOW])
        .assert()
        .success();
    bin().arg("import").arg(&case2).arg(fixture("tdesktop-json/modern.json")).args(["--now", NOW]).assert().success();
    bin()
        .arg("report")
        .arg(&case2)
        .arg("--sign")
        .arg(key)
        .args(["--now", NOW])
        .env("SESSIONPROOF_PASSPHRASE", PASS)
        .assert()
        .success();
    let bundle2 = only_bundle(&case2);
    for f in ["manifest.json", "manifest.json.minisig", "manifest.json.tsq", "report.pdf", "key.pub"] {
        assert!(std::fs::read(bundle.join(f)).unwrap() == std::fs::read(bundle2.join(f)).unwrap(), "{f} differs");
    }
}

fn verify_lib(bundle: &Path) -> sessionproof::verify::Verification {
    sessionproof::verify::verify_bundle(bundle).unwrap()
}

/// The FAIL lines (summary and problems) of a verification, for assertions.
fn failures(v: &sessionproof::verify::Verification) -> String {
    v.checks
        .iter()
        .filter(|c| c.passed == Some(false))
        .map(|c| format!("{}: {} | {}", c.name, c.summary, c.problems.join(" | ")))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every file of the signed bundle, and the case files its manifest lists.
fn all_files(bundle: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(bundle).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    let m: serde_json::Value = serde_json::from_slice(&std::fs::read(bundle.join("manifest.json")).unwrap()).unwrap();
    for f in m["files"].as_array().unwrap() {
        let p = f["path"].as_str().unwrap();
        if p.starts_with("../../") {
            names.push(p.to_string());
        }
    }
    names.sort();
    names
}

#[test]
fn tamper_suite_flipped_bytes_in_every_file_are_detected_and_named() {
    let (_base_guard, base) = copy_of_shared();
    assert!(verify_lib(&base).intact(), "{}", failures(&verify_lib(&base)));
    let files = all_files(&base);
    for name in
        ["manifest.json.minisig", "manifest.json.tsq", "manifest.json.tsr", "key.pub", "report.pdf", "brief.txt"]
    {
        assert!(files.contains(&name.to_string()), "{name} in {files:?}");
    }
    for name in &files {
        let len = std::fs::metadata(base.join(name)).unwrap().len() as usize;
        let mut positions = vec![0, len / 3, len / 2, 2 * len / 3, len - 1];
        positions.dedup();
        for at in positions {
            let (_g, bundle) = copy_of_shared();
            let path = bundle.join(name);
            let mut bytes = std::fs::read(&path).unwrap();
            bytes[at] ^= 0x01;
            // Evidence files are read-only after write; the attacker does not care.
            let mut perm = std::fs::metadata(&path).unwrap().permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perm.set_readonly(false);
            std::fs::set_permissions(&path, perm).unwrap();
            std::fs::write(&path, &bytes).unwrap();
            let v = verify_lib(&bundle);
            let fails = failures(&v);
            assert!(!v.intact(), "{name} byte {at} flipped, not detected");
            let short = name.trim_start_matches("../../");
            assert!(
                fails.contains(short) || (name == "manifest.json" && fails.contains("manifest")),
                "{name} byte {at}: not named:\n{fails}"
            );
        }
    }
}

#[test]
fn tamper_suite_removed_added_files_custody_edits_and_swapped_signatures() {
    let (_base_guard, base) = copy_of_shared();
    for name in std::fs::read_dir(&base).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()) {
        let (_g, bundle) = copy_of_shared();
        std::fs::remove_file(bundle.join(&name)).unwrap();
        let v = verify_lib(&bundle);
        assert!(!v.intact(), "removing {name} not detected");
        assert!(
            failures(&v).contains(&name) || name == "manifest.json",
            "removing {name}: not named:\n{}",
            failures(&v)
        );
    }
    // An added file.
    let (_g, bundle) = copy_of_shared();
    std::fs::write(bundle.join("extra.txt"), "added").unwrap();
    assert!(failures(&verify_lib(&bundle)).contains("extra.txt: EXTRA"));
    // A custody line edited or deleted, in the bundle's copy and in the case's log.
    for (file, edit) in [
        ("custody.jsonl", true),
        ("custody.jsonl", false),
        ("../../custody.jsonl", true),
        ("../../custody.jsonl", false),
    ] {
        let (_g, bundle) = copy_of_shared();
        let path = bundle.join(file);
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        if edit {
            lines[0] = lines[0].replace("Test Examiner", "Test Examinor");
        } else {
            lines.remove(0);
        }
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
        let v = verify_lib(&bundle);
        assert!(!v.intact(), "{file} edit={edit} not detected");
        assert!(failures(&v).contains("custody"), "{}", failures(&v));
    }
    // Another key's signature over the same manifest, with and without its key.pub.
    let (_g, bundle) = copy_of_shared();
    let other = sessionproof::sign::keys::generate(None).unwrap();
    let sk =
        sessionproof::sign::keys::load_secret_key(other.secret_text.as_bytes(), Path::new("other"), || unreachable!())
            .unwrap();
    let manifest = std::fs::read(bundle.join("manifest.json")).unwrap();
    let sha = sessionproof::digest::sha256_hex(&manifest);
    let sig = sessionproof::sign::minisig::sign(
        &sk,
        &manifest,
        &format!("timestamp:1\tsigned:x\tcase:HL-SIGN\tmanifest-sha256:{sha}"),
    );
    std::fs::write(bundle.join("manifest.json.minisig"), &sig).unwrap();
    let fails = failures(&verify_lib(&bundle));
    assert!(fails.contains(&format!("made with key {}", sk.id)), "{fails}");
    std::fs::write(bundle.join("key.pub"), other.public_text.as_bytes()).unwrap();
    let fails = failures(&verify_lib(&bundle));
    assert!(fails.contains("key.pub: CHANGED"), "{fails}");
    // With the examiner's key, a swapped signature fails the signer check by name.
    let (_, _, key) = shared();
    let pubkey = sessionproof::sign::PublicKey::from_file(&key.with_extension("pub")).unwrap();
    let v = sessionproof::verify::verify_bundle_with(
        &bundle,
        &sessionproof::verify::VerifyOptions { pubkey: Some(pubkey), tsa_ca: None },
    )
    .unwrap();
    assert!(failures(&v).contains("signer key"), "{}", failures(&v));
}

#[test]
fn a_signature_over_other_bytes_fails() {
    let (_g, bundle) = copy_of_shared();
    let (_, _, key) = shared();
    let text = std::fs::read(key).unwrap();
    let sk = sessionproof::sign::keys::load_secret_key(&text, key, || Ok(zeroize::Zeroizing::new(PASS.to_string())))
        .unwrap();
    let manifest = std::fs::read(bundle.join("manifest.json")).unwrap();
    let sha = sessionproof::digest::sha256_hex(&manifest);
    let sig = sessionproof::sign::minisig::sign(
        &sk,
        b"other bytes",
        &format!("timestamp:1\tsigned:x\tcase:HL-SIGN\tmanifest-sha256:{sha}"),
    );
    std::fs::write(bundle.join("manifest.json.minisig"), sig).unwrap();
    let a = bin().arg("verify").arg(&bundle).assert().code(1);
    assert!(stdout_of(&a).contains("does not match these bytes"), "{}", stdout_of(&a));
}

#[test]
fn an_unsigned_bundle_with_pubkey_fails_by_name() {
    let (_, _, key) = shared();
    let (_d, case) = new_case();
    bin().arg("import").arg(&case).arg(fixture("tdesktop-json/modern.json")).args(["--now", NOW]).assert().success();
    bin().arg("report").arg(&case).args(["--now", NOW]).assert().success();
    let bundle = only_bundle(&case);
    assert!(bundle.join("manifest.json.tsq").is_file(), "every bundle holds the request");
    let a = bin().arg("verify").arg(&bundle).assert().success();
    assert!(stdout_of(&a).contains("skip manifest signature"));
    let a = bin().arg("verify").arg(&bundle).arg("--pubkey").arg(key.with_extension("pub")).assert().code(1);
    assert!(stdout_of(&a).contains("--pubkey expects a signed bundle"), "{}", stdout_of(&a));
    let a = bin().arg("verify").arg(&bundle).arg("--pubkey").arg(key).assert().code(2);
    assert!(stderr_of(&a).contains("case.key"), "a secret key given as --pubkey is unreadable input");
}

#[test]
fn timestamp_attach_with_rsa_and_p256_tsas_and_each_bad_reply() {
    require("openssl", "openssl");
    let (_g, bundle) = copy_of_shared();
    std::fs::remove_file(bundle.join("manifest.json.tsr")).unwrap();
    let before = fingerprint(&bundle);
    let d = tempfile::tempdir().unwrap();
    let tsq = bundle.join("manifest.json.tsq");
    // Accepted by openssl as a request.
    sh(d.path(), &format!("openssl ts -query -in '{}' -text | grep -q 'Certificate required: yes'", tsq.display()));
    for p256 in [false, true] {
        let tsa = Tsa::new(&d.path().join(if p256 { "p256" } else { "rsa" }), p256);
        // A reply for another request.
        std::fs::write(d.path().join("other.txt"), "other").unwrap();
        sh(d.path(), "openssl ts -query -data other.txt -sha256 -cert -out other.tsq");
        let other = tsa.reply(&d.path().join("other.tsq"), "other.tsr");
        let a = attach().arg(&bundle).arg(&other).assert().code(1);
        assert!(stderr_of(&a).contains("other bytes"), "{}", stderr_of(&a));
        // A TSA certificate without the timeStamping EKU.
        let noeku = tsa.reply_without_eku(&tsq);
        let a = attach().arg(&bundle).arg(&noeku).assert().code(1);
        assert!(stderr_of(&a).contains("not for time-stamping"), "{}", stderr_of(&a));
        // Garbage and a CA that is not the TSA's.
        std::fs::write(d.path().join("junk.tsr"), "junk").unwrap();
        let a = attach().arg(&bundle).arg(d.path().join("junk.tsr")).assert().code(1);
        assert!(stderr_of(&a).contains("not an RFC 3161 time-stamp response"), "{}", stderr_of(&a));
        let good = tsa.reply(&tsq, "good.tsr");
        let a = attach().arg(&bundle).arg(&good).arg("--tsa-ca").arg(d.path().join("rsa/tsa.crt")).assert();
        if p256 {
            let a = a.code(1);
            assert!(stderr_of(&a).contains("does not chain"), "{}", stderr_of(&a));
        } else {
            // The RSA TSA's own certificate as the anchor is accepted.
            a.success();
            std::fs::remove_file(bundle.join("manifest.json.tsr")).unwrap();
        }
        let a = attach().arg(&bundle).arg(d.path().join("missing.tsr")).assert().code(2);
        assert!(stderr_of(&a).contains("missing.tsr"));
        assert_eq!(fingerprint(&bundle), before, "a rejected reply writes nothing");
        // The good reply, checked against the CA, is stored and re-checked by verify.
        let a = attach().arg(&bundle).arg(&good).arg("--tsa-ca").arg(tsa.dir.join("ca.crt")).assert().success();
        assert!(stdout_of(&a).contains("chains to the given CA"));
        let a = bin().arg("verify").arg(&bundle).arg("--tsa-ca").arg(tsa.dir.join("ca.crt")).assert().success();
        assert!(stdout_of(&a).contains("ok   time-stamp token: time-stamped at"), "{}", stdout_of(&a));
        let a = attach().arg(&bundle).arg(&good).assert().code(2);
        assert!(stderr_of(&a).contains("never overwritten"));
        // Signed files are unchanged: only the reply was added.
        let mut after = fingerprint(&bundle);
        assert!(after.remove("manifest.json.tsr").is_some());
        assert_eq!(after, before);
        std::fs::remove_file(bundle.join("manifest.json.tsr")).unwrap();
    }
}

#[test]
fn report_pdf_signed_with_the_users_own_certificate() {
    require("openssl", "openssl");
    require("pdfsig", "poppler-utils");
    let d = tempfile::tempdir().unwrap();
    // The examiner's own P-256 key and certificate, as an organisation would issue them.
    sh(
        d.path(),
        "openssl ecparam -name prime256v1 -genkey -noout -out ec.pem && \
         openssl pkcs8 -topk8 -nocrypt -in ec.pem -out pdf.key && \
         openssl req -new -x509 -key pdf.key -out pdf.crt -days 3650 -subj '/CN=Example Helpline Examiner/O=Example Helpline'",
    );
    let case = d.path().join("case");
    bin().args(["case", "init"]).arg(&case).args(["--case-id", "HL-CERT", "--now", NOW]).assert().success();
    bin().arg("import").arg(&case).arg(fixture("tdesktop-json/modern.json")).args(["--now", NOW]).assert().success();
    let key = keygen(d.path(), "case.key");
    // A key that does not belong to the certificate is refused before anything is written.
    sh(
        d.path(),
        "openssl ecparam -name prime256v1 -genkey -noout -out other.pem && openssl pkcs8 -topk8 -nocrypt -in other.pem -out other.key",
    );
    // `report --sign` with the examiner's certificate and the PDF key in `key_file`.
    let report_with = |key_file: &str| {
        let mut cmd = bin();
        cmd.arg("report")
            .arg(&case)
            .arg("--sign")
            .arg(&key)
            .arg("--pdf-cert")
            .arg(d.path().join("pdf.crt"))
            .arg("--pdf-key")
            .arg(d.path().join(key_file))
            .args(["--now", NOW])
            .env("SESSIONPROOF_PASSPHRASE", PASS);
        cmd.assert()
    };
    let wrong = report_with("other.key").code(2);
    assert!(stderr_of(&wrong).contains("does not belong to the certificate"), "{}", stderr_of(&wrong));
    assert!(!case.join("reports").exists() || std::fs::read_dir(case.join("reports")).unwrap().count() == 0);
    report_with("pdf.key").success();
    let bundle = only_bundle(&case);
    let out = sh(&bundle, "pdfsig report.pdf");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Signature is Valid"), "{text}");
    assert!(text.contains("Example Helpline Examiner"), "signed with the user's certificate: {text}");
    bin().arg("verify").arg(&bundle).assert().success();
}

#[test]
fn a_signed_bundle_without_pdf_or_brief_has_instructions_for_what_it_holds_and_they_run() {
    require("minisign", "minisign");
    require("openssl", "openssl");
    let d = tempfile::tempdir().unwrap();
    let case = d.path().join("case");
    bin().args(["case", "init"]).arg(&case).args(["--case-id", "HL-PARTS", "--now", NOW]).assert().success();
    bin().arg("import").arg(&case).arg(fixture("tdesktop-json/modern.json")).args(["--now", NOW]).assert().success();
    let key = keygen(d.path(), "case.key");
    let a = bin()
        .arg("report")
        .arg(&case)
        .args(["--format", "html,json", "--sign"])
        .arg(&key)
        .args(["--now", NOW])
        .env("SESSIONPROOF_PASSPHRASE", PASS)
        .assert()
        .success();
    let out = stdout_of(&a);
    assert!(out.contains("report.html") && out.contains("findings.json"), "{out}");
    assert!(!out.contains("report.pdf") && !out.contains("brief"), "{out}");
    let bundle = only_bundle(&case);
    let text = std::fs::read_to_string(bundle.join("VERIFY.txt")).unwrap();
    assert!(!text.contains("pdfsig") && !text.contains("brief"), "{text}");
    let words = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        words.contains("(report.html, findings.json, enrichment.json, case.toml, custody.jsonl, this file, key.pub)"),
        "{text}"
    );
    let mut intro = text.lines().skip_while(|l| !l.starts_with("The bundle lists")).take_while(|l| !l.is_empty());
    assert!(intro.all(|l| l.chars().count() <= 100), "{text}");
    // The steps are numbered 1, 2, 3, … with no gap where the PDF's step would be.
    let numbers: Vec<&str> =
        text.lines().filter_map(|l| l.split_once(". ").map(|p| p.0)).filter(|n| n.parse::<u32>().is_ok()).collect();
    assert_eq!(numbers, ["1", "2", "3", "4", "5"], "{text}");
    let commands = verify_txt_commands(&text);
    let all = run_in_bundle(&bundle, &commands, None);
    for expect in ["findings.json: OK", "Signature and comment signature verified", "INTACT", "skip PDF signature"] {
        assert!(all.contains(expect), "{expect}\n{all}");
    }
}

#[test]
fn a_signed_brief_is_checked_by_its_own_signature_even_out_of_its_case() {
    let (_, case, _) = shared();
    let d = tempfile::tempdir().unwrap();
    let lone = d.path().join("bundle");
    let st = Command::new("cp").arg("-a").arg(only_bundle(case)).arg(&lone).status().unwrap();
    assert!(st.success());
    let a = bin().arg("verify").arg(&lone).assert().success();
    assert!(
        stdout_of(&a)
            .contains("ok   brief: brief.txt and brief.html quote this manifest's sha256, and their signatures hold"),
        "{}",
        stdout_of(&a)
    );
    // What was sent to Telegram, changed after signing, outside the case: caught.
    let brief = lone.join("brief.txt");
    let mut perms = std::fs::metadata(&brief).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&brief, perms).unwrap();
    let text = std::fs::read_to_string(&brief).unwrap().replacen(
        "4. What we ask",
        "4. What we ask\n   0. Delete the account.",
        1,
    );
    assert!(text.contains("Delete the account"));
    std::fs::write(&brief, text).unwrap();
    let a = bin().arg("verify").arg(&lone).assert().code(1);
    assert!(stdout_of(&a).contains("brief.txt: its signature brief.txt.minisig does not hold"), "{}", stdout_of(&a));
    std::fs::remove_file(lone.join("brief.html.minisig")).unwrap();
    let a = bin().arg("verify").arg(&lone).assert().code(1);
    assert!(stdout_of(&a).contains("brief.html.minisig: MISSING"), "{}", stdout_of(&a));
}
