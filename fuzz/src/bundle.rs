//! A real signed report bundle for the `verify_bundle` target, made once per process: the demo
//! case through the library's pipeline (fixed `--now`, a throwaway unencrypted key, and, when
//! `openssl` is installed, a time-stamp reply from a throwaway TSA). Each input then replaces
//! one file of the bundle (or of its case), the verifier runs, and the file is put back.

use sessionproof::cli::demo::{DEMO_CASE_TOML, DEMO_FILES};
use sessionproof::clock::Clock;
use sessionproof::ingest::Format;
use sessionproof::model::manifest::Manifest;
use sessionproof::pipeline::{self, ImportOptions, ReportOptions, ReportSigning};
use sessionproof::sign::{self, tsp};
use sessionproof::verify::{self, VerifyOptions};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The fixed `--now` of the bundle: after the demo's export and screenshots.
const NOW: &str = "2026-11-26T12:00:00Z";
/// Prefix of the per-process working folders under the temp dir.
const WORK_PREFIX: &str = "sessionproof-fuzz-verify-";

/// The bundle and the files an input may replace.
pub struct Bundle {
    pub dir: PathBuf,
    /// Paths relative to `dir` (the case's own files are `../../…`), sorted; the first byte of
    /// an input picks one.
    pub targets: Vec<String>,
    /// The files the signed manifest lists (their hashes are vouched for).
    pub listed: Vec<String>,
    /// The `--pubkey` and `--tsa-ca` the bundle was made with.
    pub options: VerifyOptions,
}

impl Bundle {
    /// Makes the bundle in a fresh folder of the temp dir; panics (at start-up, not while
    /// fuzzing) when the pipeline cannot.
    pub fn create() -> Bundle {
        let work = std::env::temp_dir().join(format!("{WORK_PREFIX}{}", std::process::id()));
        remove_stale_work_dirs();
        let _ = fs::remove_dir_all(&work);
        fs::create_dir_all(&work).expect("create the fuzz work folder");
        let clock = Clock::Fixed(NOW.parse().expect("NOW is a timestamp"));

        let inputs = work.join("inputs");
        for (rel, bytes) in DEMO_FILES {
            let path = inputs.join(rel);
            fs::create_dir_all(path.parent().expect("has a parent")).expect("create an input folder");
            fs::write(&path, bytes).expect("write a demo input");
        }
        let case = work.join("case");
        pipeline::create_case(&case, DEMO_CASE_TOML, &clock).expect("create the demo case");
        let opts = ImportOptions { format: Format::Auto, source_tz: None, captured_at: None };
        let demo_inputs = [inputs.join("DataExport_2026-11-25"), inputs.join("screenshots/transcription.json")];
        pipeline::import(&case, &demo_inputs, &opts, &clock).expect("import the demo inputs");

        let generated = sign::keys::generate(None).expect("generate a throwaway key");
        let key = sign::keys::load_secret_key(generated.secret_text.as_bytes(), Path::new("fuzz.key"), || {
            unreachable!("the throwaway key has no passphrase")
        })
        .expect("load the throwaway key");
        let enrich = sessionproof::enrich::EnrichOptions { now: clock.now().as_second(), ..Default::default() };
        let report_opts =
            ReportOptions { sign: Some(std::sync::Arc::new(ReportSigning { key, pdf: None })), ..Default::default() };
        let dir = pipeline::report(&case, &enrich, &report_opts, &clock).expect("write the signed report").dir;

        let tsa_ca = throwaway_tsa_reply(&work, &dir, &clock);
        let options = VerifyOptions { pubkey: Some(generated.public), tsa_ca };
        let v = verify::verify_bundle_with(&dir, &options).expect("verify the fresh bundle");
        assert!(v.intact(), "the fresh bundle does not verify: {:?}", v.checks);

        let mut targets: Vec<String> = fs::read_dir(&dir)
            .expect("list the bundle")
            .filter_map(|e| e.ok())
            .filter(|e| e.path().is_file())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        // A reply the fuzzer can write even when openssl could not make a real one.
        if !targets.iter().any(|t| t == pipeline::MANIFEST_TSR) {
            targets.push(pipeline::MANIFEST_TSR.into());
        }
        targets.push(format!("../../{}", sessionproof::evidence::case_folder::CASE_TOML));
        targets.push("../../custody.jsonl".into());
        targets.sort();
        let manifest: Manifest =
            serde_json::from_slice(&fs::read(dir.join(pipeline::MANIFEST_JSON)).expect("read the manifest"))
                .expect("the fresh manifest reads");
        let listed = manifest.files.into_iter().map(|f| f.path).collect();
        Bundle { dir, targets, listed, options }
    }

    /// Which file the first byte of an input picks.
    pub fn target(&self, selector: u8) -> &str {
        &self.targets[usize::from(selector & 0x3f) % self.targets.len()]
    }

    /// The corpus seeds: for each file, its selector byte followed by the file's own bytes.
    pub fn seeds(&self) -> Vec<(String, Vec<u8>)> {
        let mut seeds = Vec::new();
        for selector in 0..0x40u8 {
            let name = self.target(selector).to_string();
            if seeds.iter().any(|(n, _)| *n == name) {
                continue;
            }
            let mut seed = vec![selector | 0x40];
            seed.extend(fs::read(self.dir.join(&name)).unwrap_or_default());
            seeds.push((name, seed));
        }
        seeds
    }

    /// Replaces the file the first byte picks with the rest of `data` (bit 7 set: removes it;
    /// bit 6 set: verifies with `--pubkey` and `--tsa-ca`), runs the verifier and restores the
    /// file. The verifier must answer, and a changed file the signed manifest covers must fail.
    pub fn check(&self, data: &[u8]) {
        let Some((&selector, content)) = data.split_first() else { return };
        let name = self.target(selector);
        let path = self.dir.join(name);
        let original = fs::read(&path).ok();
        let permissions = fs::metadata(&path).ok().map(|m| m.permissions());
        make_writable(&path);
        let removed = selector & 0x80 != 0;
        if removed {
            let _ = fs::remove_file(&path);
        } else {
            fs::write(&path, content).expect("replace a bundle file");
        }
        let options = if selector & 0x40 != 0 { self.options.clone() } else { VerifyOptions::default() };
        let outcome = verify::verify_bundle_with(&self.dir, &options);
        // Put the file back before judging, so a failed assertion leaves the bundle as it was.
        match &original {
            Some(bytes) => {
                fs::write(&path, bytes).expect("restore a bundle file");
                if let Some(p) = permissions {
                    fs::set_permissions(&path, p).expect("restore a bundle file's permissions");
                }
            }
            None => {
                let _ = fs::remove_file(&path);
            }
        }
        let v = match outcome {
            Ok(v) => v,
            Err(e) => panic!("the verifier gave up on a bundle whose {name} was replaced: {e}"),
        };
        let changed = if removed { original.is_some() } else { original.as_deref() != Some(content) };
        let covered = name == pipeline::MANIFEST_JSON || self.listed.iter().any(|l| l == name);
        assert!(
            !(changed && covered && v.intact()),
            "{name} was changed but the bundle still verifies as intact: {:?}",
            v.checks
        );
    }
}

fn make_writable(path: &Path) {
    if let Ok(m) = fs::metadata(path) {
        let mut p = m.permissions();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            p.set_mode(0o644);
        }
        #[cfg(not(unix))]
        p.set_readonly(false);
        let _ = fs::set_permissions(path, p);
    }
}

/// Removes the work folders of earlier fuzzing processes that have ended (Linux: no `/proc/PID`).
fn remove_stale_work_dirs() {
    let Ok(entries) = fs::read_dir(std::env::temp_dir()) else { return };
    for entry in entries.filter_map(|e| e.ok()) {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix(WORK_PREFIX) else { continue };
        if pid.parse::<u32>().is_ok() && Path::new("/proc/self").exists() && !Path::new("/proc").join(pid).exists() {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// When `openssl` is installed: a throwaway CA and TSA answer the bundle's `.tsq`, and the reply
/// is attached as `manifest.json.tsr`. Returns the CA as `--tsa-ca`, or `None` without openssl.
fn throwaway_tsa_reply(work: &Path, bundle: &Path, clock: &Clock) -> Option<Vec<x509_cert::Certificate>> {
    let tsa = work.join("tsa");
    fs::create_dir_all(&tsa).ok()?;
    let script = format!(
        "set -e
         openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -subj '/CN=Fuzz CA' -days 3650 \
           -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign
         openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out tsa.key
         openssl req -new -key tsa.key -subj '/CN=Fuzz TSA' -out tsa.csr
         printf 'extendedKeyUsage=critical,timeStamping\\n' > eku.cnf
         openssl x509 -req -in tsa.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 -extfile eku.cnf -out tsa.crt
         echo 01 > serial
         printf '[ tsa ]\\ndefault_tsa = tsa1\\n[ tsa1 ]\\nserial = ./serial\\ncrypto_device = builtin\\nsigner_cert = ./tsa.crt\\nsigner_key = ./tsa.key\\nsigner_digest = sha256\\ndefault_policy = 1.2.3.4.1\\ndigests = sha256\\naccuracy = secs:1\\nordering = no\\ntsa_name = no\\ness_cert_id_chain = no\\ness_cert_id_alg = sha256\\n' > tsa.cnf
         openssl ts -reply -config tsa.cnf -queryfile '{}' -out reply.tsr",
        bundle.join(pipeline::MANIFEST_TSQ).display()
    );
    let ok = Command::new("sh")
        .arg("-c")
        .arg(&script)
        .current_dir(&tsa)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("verify_bundle: openssl could not make a time-stamp reply; fuzzing without a .tsr");
        return None;
    }
    let ca_path = tsa.join("ca.crt");
    let anchors = tsp::read_certificates(&fs::read(&ca_path).ok()?, &ca_path).ok()?;
    match pipeline::attach_timestamp(bundle, &tsa.join("reply.tsr"), Some(&anchors), clock) {
        Ok(pipeline::TimestampOutcome::Attached(_)) => Some(anchors),
        other => panic!("attach the throwaway time-stamp reply: {other:?}"),
    }
}
