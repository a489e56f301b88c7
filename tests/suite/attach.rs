//! `attach`: any exhibit is copied, hashed, logged, listed in the report's manifest and checked
//! by `verify`; bad arguments leave the case unchanged.

use super::util::*;
use std::fs;

#[test]
fn attached_exhibits_are_preserved_logged_and_vouched_for() {
    let (d, case) = new_case();
    let mail = d.path().join("telegram-mail.eml");
    fs::write(&mail, b"From: Telegram\r\nSubject: New login\r\n\r\nA new login from Amsterdam.\r\n").unwrap();
    let out = bin()
        .arg("attach")
        .arg(&case)
        .arg(&mail)
        .args(["--note", "login alert e-mail, forwarded by the owner", "--now", NOW])
        .assert()
        .success();
    let sha = sessionproof::digest::sha256_hex(&fs::read(&mail).unwrap());
    let stored = case.join(format!("evidence/{sha}.eml"));
    assert!(stdout_of(&out).contains(&sha));
    assert_eq!(fs::read(&stored).unwrap(), fs::read(&mail).unwrap(), "byte for byte");
    assert!(fs::metadata(&stored).unwrap().permissions().readonly());
    let log = fs::read_to_string(case.join("custody.jsonl")).unwrap();
    let last = log.lines().last().unwrap();
    assert!(last.contains("\"action\":\"attach\"") && last.contains("login alert e-mail"), "{last}");
    // Attaching the same bytes again is logged, not stored twice.
    bin().arg("attach").arg(&case).arg(&mail).args(["--now", NOW]).assert().success();
    assert_eq!(fs::read_dir(case.join("evidence")).unwrap().count(), 1);
    // The report's manifest lists the exhibit, and verify checks it.
    bin().arg("import").arg(&case).arg(fixture("tdesktop-json/modern.json")).args(["--now", NOW]).assert().success();
    bin().arg("report").arg(&case).args(["--now", NOW]).assert().success();
    let bundle = only_bundle(&case);
    let manifest = fs::read_to_string(bundle.join("manifest.json")).unwrap();
    assert!(manifest.contains(&format!("../../evidence/{sha}.eml")));
    bin().arg("verify").arg(&bundle).assert().success();
}

#[test]
fn folders_missing_files_and_long_notes_change_nothing() {
    let (d, case) = new_case();
    let good = d.path().join("shot.png");
    fs::write(&good, b"\x89PNG\r\n\x1a\nnot really").unwrap();
    let before = fingerprint(&case);
    let folder = bin().arg("attach").arg(&case).arg(d.path()).args(["--now", NOW]).assert().code(2);
    assert!(stderr_of(&folder).contains("is a folder; attach takes files"), "{}", stderr_of(&folder));
    // One missing file among several: refused before anything is written.
    let missing =
        bin().arg("attach").arg(&case).arg(&good).arg(d.path().join("nope.png")).args(["--now", NOW]).assert().code(2);
    assert!(stderr_of(&missing).contains("nope.png"), "{}", stderr_of(&missing));
    let long = "x".repeat(5000);
    bin().arg("attach").arg(&case).arg(&good).args(["--note", &long, "--now", NOW]).assert().code(2);
    assert_eq!(fingerprint(&case), before, "the case is unchanged");
}
