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

#[test]
fn a_baseline_edited_after_a_bundle_leaves_that_bundle_intact_and_is_said() {
    let (_d, case) = new_case();
    bin().arg("import").arg(&case).arg(fixture("csv/sessions.csv")).args(["--now", NOW]).assert().success();
    bin().arg("report").arg(&case).args(["--now", NOW]).assert().success();
    let first = only_bundle(&case);
    let used = std::fs::read(case.join("case.toml")).unwrap();
    assert_eq!(std::fs::read(first.join("case.toml")).unwrap(), used, "the bundle keeps the baseline it used");
    // The owner remembers more: the responder fills in the baseline and reports again.
    let mut text = String::from_utf8(used.clone()).unwrap();
    text = text.replacen("[subject]\n", "[subject]\nusual_countries = [\"DE\"]\n", 1);
    std::fs::write(case.join("case.toml"), &text).unwrap();
    let a = bin().arg("verify").arg(&first).assert().success();
    assert!(stdout_of(&a).contains("not yet in the case's custody log"), "{}", stdout_of(&a));
    bin().arg("report").arg(&case).args(["--now", "2026-11-26T13:00:00Z"]).assert().success();
    let a = bin().arg("verify").arg(&first).assert().success();
    let out = stdout_of(&a);
    assert!(out.contains("ok   case file: the case's case.toml was edited after this bundle was written (the case's custody log records the edit)"), "{out}");
    assert!(out.contains("INTACT"), "{out}");
    assert_eq!(std::fs::read(first.join("case.toml")).unwrap(), used);
    // The bundle's own copy is covered by its manifest like every other file.
    let copy = first.join("case.toml");
    let mut perms = std::fs::metadata(&copy).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perms.set_readonly(false);
    std::fs::set_permissions(&copy, perms).unwrap();
    std::fs::write(&copy, "[case]\nid = \"forged\"\n").unwrap();
    let a = bin().arg("verify").arg(&first).assert().code(1);
    assert!(stdout_of(&a).contains("case.toml: CHANGED"), "{}", stdout_of(&a));
}

#[test]
fn a_bundle_copied_out_of_its_case_checks_its_own_files_with_stock_tools() {
    let (d, case) = new_case();
    bin().arg("import").arg(&case).arg(fixture("csv/sessions.csv")).args(["--now", NOW]).assert().success();
    bin().arg("report").arg(&case).args(["--now", NOW]).assert().success();
    let lone = d.path().join("lone");
    let st = std::process::Command::new("cp").arg("-a").arg(only_bundle(&case)).arg(&lone).status().unwrap();
    assert!(st.success());
    let text = std::fs::read_to_string(lone.join("VERIFY.txt")).unwrap();
    let command = text
        .lines()
        .filter_map(|l| l.strip_prefix("     $ "))
        .find(|c| c.starts_with("grep -v"))
        .expect("a command for a lone bundle");
    let out = std::process::Command::new("sh").arg("-c").arg(command).current_dir(&lone).output().unwrap();
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && shown.contains("report.pdf: OK") && !shown.contains("../../"), "{shown}");
    let a = bin().arg("verify").arg(&lone).assert().success();
    let out = stdout_of(&a);
    assert!(out.contains("skip case files:") && out.contains("not inside its case folder"), "{out}");
    assert!(out.contains("skip brief:") && out.contains("wording is not checked"), "an unsigned brief alone: {out}");
    // A file of the bundle itself removed is still caught by the same command.
    std::fs::remove_file(lone.join("report.pdf")).unwrap();
    let out = std::process::Command::new("sh").arg("-c").arg(command).current_dir(&lone).output().unwrap();
    assert!(!out.status.success(), "a missing bundle file fails the stock check");
}

#[test]
fn verify_json_gives_every_check_and_the_same_exit_status() {
    let (_d, case) = new_case();
    bin().arg("import").arg(&case).arg(fixture("csv/sessions.csv")).args(["--now", NOW]).assert().success();
    bin().arg("report").arg(&case).args(["--now", NOW]).assert().success();
    let bundle = only_bundle(&case);
    let a = bin().arg("verify").arg(&bundle).arg("--json").assert().success();
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&a)).unwrap();
    assert_eq!(v["intact"], true);
    let checks = v["checks"].as_array().unwrap();
    assert!(checks.iter().any(|c| c["name"] == "file hashes" && c["status"] == "ok"), "{v}");
    assert!(checks.iter().all(|c| ["ok", "skip"].contains(&c["status"].as_str().unwrap())), "{v}");
    let sha = sessionproof::digest::sha256_hex(&std::fs::read(bundle.join("manifest.json")).unwrap());
    assert_eq!(v["manifest_sha256"], sha);
    std::fs::remove_file(bundle.join("findings.json")).unwrap();
    let a = bin().arg("verify").arg(&bundle).arg("--json").assert().code(1);
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&a)).unwrap();
    assert_eq!(v["intact"], false);
    let failed: Vec<&serde_json::Value> =
        v["checks"].as_array().unwrap().iter().filter(|c| c["status"] == "fail").collect();
    assert!(failed.iter().any(|c| c["name"] == "file hashes" && c["problems"][0] == "findings.json: MISSING"), "{v}");
}
