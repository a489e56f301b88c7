//! `verify`: an intact bundle passes; every kind of change is caught and named.

use super::util::*;
use std::path::{Path, PathBuf};

/// A fresh copy of one demo run: (guard, bundle folder inside the copied case).
fn demo() -> (tempfile::TempDir, PathBuf) {
    static TEMPLATE: std::sync::OnceLock<(tempfile::TempDir, PathBuf)> = std::sync::OnceLock::new();
    let (_, case) = TEMPLATE.get_or_init(|| {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("demo");
        bin().arg("demo").arg("--out").arg(&out).args(["--now", NOW]).assert().success();
        (d, out.join("case"))
    });
    let d = tempfile::tempdir().unwrap();
    copy_dir(case, &d.path().join("case"));
    let bundle = only_bundle(&d.path().join("case"));
    (d, bundle)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let target = to.join(p.file_name().unwrap());
        if p.is_dir() {
            copy_dir(&p, &target);
        } else {
            std::fs::copy(&p, &target).unwrap();
        }
    }
}

fn flip_byte(path: &Path, at: usize) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let mut bytes = std::fs::read(path).unwrap();
    let i = at.min(bytes.len() - 1);
    bytes[i] ^= 0x01;
    std::fs::write(path, bytes).unwrap();
}

fn verify_fails_naming(bundle: &Path, name: &str) {
    let a = bin().arg("verify").arg(bundle).assert().code(1);
    let out = stdout_of(&a);
    assert!(out.contains("FAIL") && out.contains(name) && out.contains("TAMPERED"), "{name}:\n{out}");
}

#[test]
fn an_intact_bundle_verifies() {
    let (_d, bundle) = demo();
    let out = stdout_of(&bin().arg("verify").arg(&bundle).assert().success());
    assert!(out.contains("INTACT") && !out.contains("FAIL"), "{out}");
}

#[test]
fn a_flipped_byte_in_each_kind_of_file_is_caught() {
    let (_d, bundle) = demo();
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(bundle.join("manifest.json")).unwrap()).unwrap();
    let mut targets: Vec<String> =
        manifest["files"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap().to_string()).collect();
    targets.push("manifest.json".into());
    targets.push("SHA256SUMS".into());
    for target in targets {
        for position in [0usize, 100, usize::MAX] {
            let (_d, bundle) = demo();
            flip_byte(&bundle.join(&target), position);
            let name = if target == "manifest.json" { "manifest".to_string() } else { target.clone() };
            verify_fails_naming(&bundle, &name);
        }
    }
}

#[test]
fn removed_and_added_files_are_named() {
    let (_d, bundle) = demo();
    std::fs::remove_file(bundle.join("findings.json")).unwrap();
    verify_fails_naming(&bundle, "findings.json: MISSING");

    let (_d, bundle) = demo();
    std::fs::write(bundle.join("note-from-someone.txt"), "hello").unwrap();
    verify_fails_naming(&bundle, "note-from-someone.txt: EXTRA");
}

#[test]
fn edited_or_deleted_custody_lines_break_the_chain() {
    let (_d, bundle) = demo();
    let log_path = bundle.join("../../custody.jsonl");
    let log = std::fs::read_to_string(&log_path).unwrap();
    let lines: Vec<&str> = log.lines().collect();
    let without_second: String =
        lines.iter().enumerate().filter(|(i, _)| *i != 1).map(|(_, l)| format!("{l}\n")).collect();
    std::fs::write(&log_path, without_second).unwrap();
    verify_fails_naming(&bundle, "custody.jsonl line 2");

    let (_d, bundle) = demo();
    let log_path = bundle.join("../../custody.jsonl");
    let log = std::fs::read_to_string(&log_path).unwrap();
    std::fs::write(&log_path, log.replacen("A. Responder", "B. Responder", 1)).unwrap();
    verify_fails_naming(&bundle, "custody.jsonl line 2");
}

#[test]
fn a_missing_or_non_bundle_path_is_an_error() {
    let d = tempfile::tempdir().unwrap();
    let a = bin().arg("verify").arg(d.path()).assert().code(2);
    assert!(stderr_of(&a).contains("not a report bundle"), "{}", stderr_of(&a));
    let a = bin().arg("verify").arg(d.path().join("nope")).assert().code(2);
    assert!(stderr_of(&a).contains("no such folder"), "{}", stderr_of(&a));
}

#[test]
fn a_bundle_sent_without_its_case_still_verifies_its_own_files() {
    let (_d, bundle) = demo();
    let alone = tempfile::tempdir().unwrap();
    copy_dir(&bundle, &alone.path().join("bundle"));
    let out = stdout_of(&bin().arg("verify").arg(alone.path().join("bundle")).assert().success());
    assert!(out.contains("not inside its case folder") && out.contains("INTACT"), "{out}");
    flip_byte(&alone.path().join("bundle/report.html"), 10);
    verify_fails_naming(&alone.path().join("bundle"), "report.html");
}

#[test]
fn a_file_or_a_bundle_without_manifest_is_named() {
    let (_d, bundle) = demo();
    let a = bin().arg("verify").arg(bundle.join("report.html")).assert().code(2);
    assert!(stderr_of(&a).contains("is a file"), "{}", stderr_of(&a));
    std::fs::remove_file(bundle.join("manifest.json")).unwrap();
    verify_fails_naming(&bundle, "manifest.json: MISSING");
}
