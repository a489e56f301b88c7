//! Shared helpers: run the binary, find fixtures, fingerprint a folder.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const NOW: &str = "2026-11-26T12:00:00Z";

/// The built binary, with a fixed `--now` available to callers.
pub fn bin() -> assert_cmd::Command {
    let mut c = assert_cmd::Command::new(env!("CARGO_BIN_EXE_sessionproof"));
    c.env_remove("NO_COLOR").env("TZ", "UTC").env("SESSIONPROOF_DATA", empty_data_dir());
    c
}

/// An empty data folder, so no test reads the machine's own /usr/share/GeoIP.
pub fn empty_data_dir() -> PathBuf {
    let dir = std::env::temp_dir().join("sessionproof-tests-no-geoip");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn fixture(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures").join(rel)
}

/// A fresh case in a temporary folder; returns (tempdir guard, case path).
pub fn new_case() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let case = dir.path().join("case");
    bin()
        .args(["case", "init"])
        .arg(&case)
        .args(["--examiner", "Test Examiner", "--subject-tz", "Europe/Berlin", "--now", NOW])
        .assert()
        .success();
    (dir, case)
}

/// Every file under `dir` with its bytes' sha256: equal fingerprints mean an unchanged folder.
pub fn fingerprint(dir: &Path) -> BTreeMap<String, String> {
    use sha2::Digest;
    let mut out = BTreeMap::new();
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, String>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                out.insert(format!("{}/", p.strip_prefix(root).unwrap().display()), String::new());
                walk(root, &p, out);
            } else {
                let bytes = std::fs::read(&p).unwrap();
                out.insert(p.strip_prefix(root).unwrap().display().to_string(), hex(&sha2::Sha256::digest(&bytes)));
            }
        }
    }
    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }
    walk(dir, dir, &mut out);
    out
}

/// The single bundle folder of a case.
pub fn only_bundle(case: &Path) -> PathBuf {
    let mut dirs: Vec<PathBuf> =
        std::fs::read_dir(case.join("reports")).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    assert_eq!(dirs.len(), 1, "{dirs:?}");
    dirs.remove(0)
}

pub fn stdout_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.get_output().stdout.clone()).unwrap()
}

pub fn stderr_of(a: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(a.get_output().stderr.clone()).unwrap()
}

/// The text of the element that starts with `start`, up to the first `end` after it.
pub fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).unwrap_or_else(|| panic!("no {start:?}"));
    let rest = &html[from..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

/// Text as tera's autoescaping writes it.
pub fn escaped(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}
