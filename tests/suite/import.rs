//! `import`: preservation, snapshots, custody, duplicates, and refusals that leave the case as it was.

use super::util::*;
use std::path::Path;

fn import(case: &Path, input: &Path) -> assert_cmd::assert::Assert {
    bin().arg("import").arg(case).arg(input).args(["--now", NOW]).assert()
}

fn snapshot(case: &Path, n: u32) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(case.join(format!("snapshots/{n:04}.json"))).unwrap()).unwrap()
}

#[test]
fn export_folder_is_preserved_byte_for_byte_and_read_only() {
    let (_d, case) = new_case();
    let folder = fixture("tdesktop-json/export-folder/DataExport_2026-11-25");
    let out = stdout_of(&import(&case, &folder).success());
    assert!(out.contains("(tdesktop-json)") && out.contains("snapshots/0001.json"), "{out}");

    for rel in ["result.json", "lists/other_data.json"] {
        let original = std::fs::read(folder.join(rel)).unwrap();
        let sha = sessionproof::digest::sha256_hex(&original);
        let stored = case.join(format!("evidence/{sha}.json"));
        assert_eq!(std::fs::read(&stored).unwrap(), original, "{rel} must be stored byte for byte");
        assert!(std::fs::metadata(&stored).unwrap().permissions().readonly(), "{rel} must be read-only");
    }
    let s = snapshot(&case, 1);
    assert_eq!(s["method"], "tdesktop-json");
    assert_eq!(s["source"]["file_name"], "DataExport_2026-11-25/result.json");
    assert_eq!(s["source"]["companions"][0]["role"], "other-data");
    let log = std::fs::read_to_string(case.join("custody.jsonl")).unwrap();
    assert_eq!(log.lines().count(), 2);
    assert!(log.lines().nth(1).unwrap().contains("\"action\":\"import\""));
}

#[test]
fn importing_the_same_file_twice_is_logged_not_duplicated() {
    let (_d, case) = new_case();
    import(&case, &fixture("tdesktop-json/modern.json")).success();
    let a = import(&case, &fixture("tdesktop-json/modern.json")).success();
    assert!(stdout_of(&a).contains("Already imported"), "{}", stdout_of(&a));
    assert_eq!(std::fs::read_dir(case.join("snapshots")).unwrap().count(), 1);
    assert_eq!(std::fs::read_dir(case.join("evidence")).unwrap().count(), 1);
    let log = std::fs::read_to_string(case.join("custody.jsonl")).unwrap();
    assert!(log.lines().last().unwrap().contains("\"action\":\"import-duplicate\""), "{log}");
}

#[test]
fn transcription_preserves_every_screenshot() {
    let (_d, case) = new_case();
    import(&case, &fixture("transcribed/example/transcription.json")).success();
    let s = snapshot(&case, 1);
    assert_eq!(s["method"], "transcribed");
    let companions = s["source"]["companions"].as_array().unwrap();
    assert_eq!(companions.len(), 2);
    for c in companions {
        assert_eq!(c["role"], "screenshot");
        let original = std::fs::read(fixture("transcribed/example").join(c["file_name"].as_str().unwrap())).unwrap();
        let stored = case.join(format!("evidence/{}.png", c["sha256"].as_str().unwrap()));
        assert_eq!(std::fs::read(stored).unwrap(), original);
    }
    // "yesterday at 22:15" on a screenshot taken 2026-11-26 09:41 in Berlin.
    let laptop = &s["sessions"][1];
    assert_eq!(laptop["last_active"]["original"], "yesterday at 22:15");
    assert_eq!(laptop["last_active"]["utc"], "2026-11-25T21:15:00Z");
    assert_eq!(laptop["last_active"]["basis"], "local-assumed");
}

#[test]
fn zero_sessions_is_a_valid_acquisition() {
    let (_d, case) = new_case();
    let a = import(&case, &fixture("tdesktop-json/zero-sessions.json")).success();
    assert!(stdout_of(&a).contains("0 sessions"), "{}", stdout_of(&a));
    bin().arg("report").arg(&case).args(["--now", NOW]).assert().success();
    let html = std::fs::read_to_string(only_bundle(&case).join("report.html")).unwrap();
    assert!(html.contains("The acquired lists contain no logged-in sessions."));
}

#[test]
fn bad_inputs_are_refused_with_one_line_naming_the_file_and_the_case_is_unchanged() {
    let unreadable = tempfile::tempdir().unwrap();
    let cases: Vec<(std::path::PathBuf, &str)> = vec![
        (fixture("tdesktop-json/fail_truncated.json"), "truncated"),
        (fixture("tdesktop-json/fail_unrelated.json"), "not a format sessionproof knows"),
        (fixture("tdesktop-json/fail_binary.bin"), "binary file"),
        (fixture("tdesktop-json/fail_empty.json"), "the file is empty"),
        (
            fixture("tdesktop-json/fail_no_sessions_key.json"),
            "/sessions: this Telegram Desktop export has no \"sessions\" section",
        ),
        (fixture("transcribed/fail_missing_image/transcription.json"), "/file: \""),
        (fixture("transcribed/fail_traversal/transcription.json"), "leaves the transcription's folder"),
        (fixture("transcribed/fail_bad_time/transcription.json"), "is not a time sessionproof understands"),
        (fixture("transcribed/fail_wrong_format/transcription.json"), "/format:"),
        (unreadable.path().join("no-such-file.json"), "no such file or folder"),
        (unreadable.path().to_path_buf(), "neither a Telegram Desktop export"),
    ];
    for (input, expected) in cases {
        let (_d, case) = new_case();
        let before = fingerprint(&case);
        let a = bin().arg("import").arg(&case).arg(&input).arg(fixture("tdesktop-json/modern.json")).assert().code(2);
        let err = stderr_of(&a);
        let name = input.file_name().unwrap().to_string_lossy().into_owned();
        assert!(err.starts_with("error: ") && err.contains(&name) && err.contains(expected), "{input:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "one line: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(before, fingerprint(&case), "{input:?}: the case must stay exactly as it was");
    }
}

#[test]
fn a_file_nobody_may_read_is_refused_cleanly() {
    use std::os::unix::fs::PermissionsExt;
    let d = tempfile::tempdir().unwrap();
    let file = d.path().join("result.json");
    std::fs::copy(fixture("tdesktop-json/modern.json"), &file).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&file).is_ok() {
        return; // running as root: permissions do not apply
    }
    let (_c, case) = new_case();
    let a = bin().arg("import").arg(&case).arg(&file).assert().code(2);
    assert!(stderr_of(&a).contains("result.json"), "{}", stderr_of(&a));
}

#[test]
fn concurrent_imports_never_interleave() {
    let (_d, case) = new_case();
    let inputs = [
        "tdesktop-json/modern.json",
        "tdesktop-json/non-latin.json",
        "tdesktop-json/html-injection.json",
        "tdesktop-json/zero-sessions.json",
        "tdesktop-json/xhh-escape.json",
        "transcribed/example/transcription.json",
    ];
    let children: Vec<_> = inputs
        .iter()
        .map(|i| {
            std::process::Command::new(env!("CARGO_BIN_EXE_sessionproof"))
                .arg("import")
                .arg(&case)
                .arg(fixture(i))
                .args(["--now", NOW])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut imported = 0;
    for child in children {
        let out = child.wait_with_output().unwrap();
        match out.status.code() {
            Some(0) => imported += 1,
            Some(2) => {
                assert!(String::from_utf8_lossy(&out.stderr).contains("another sessionproof command"), "{out:?}")
            }
            other => panic!("unexpected exit {other:?}: {out:?}"),
        }
    }
    assert_eq!(std::fs::read_dir(case.join("snapshots")).unwrap().count(), imported);
    bin().arg("report").arg(&case).args(["--now", NOW]).assert().success();
}

#[test]
fn a_failure_while_storing_rolls_back_what_was_written() {
    let (_d, case) = new_case();
    std::fs::remove_dir(case.join("snapshots")).unwrap();
    std::fs::write(case.join("snapshots"), "not a folder").unwrap();
    let before = fingerprint(&case);
    let a =
        bin().arg("import").arg(&case).arg(fixture("tdesktop-json/modern.json")).args(["--now", NOW]).assert().code(2);
    assert!(stderr_of(&a).contains("snapshots"), "{}", stderr_of(&a));
    assert_eq!(before, fingerprint(&case), "the original stored before the failure must be removed again");
}

#[test]
fn custody_time_cannot_go_backwards() {
    let (_d, case) = new_case();
    let before = fingerprint(&case);
    let a = bin()
        .arg("import")
        .arg(&case)
        .arg(fixture("tdesktop-json/modern.json"))
        .args(["--now", "2026-11-20T00:00:00Z"])
        .assert()
        .code(2);
    assert!(stderr_of(&a).contains("cannot go backwards"), "{}", stderr_of(&a));
    assert_eq!(before, fingerprint(&case));
}

#[test]
fn hidden_characters_in_names_are_warned_about() {
    let (_d, case) = new_case();
    import(&case, &fixture("tdesktop-json/non-latin.json")).success();
    let s = snapshot(&case, 1);
    let warnings = s["warnings"].as_array().unwrap();
    assert!(
        warnings.iter().any(|w| w["locator"].as_str().unwrap().ends_with("/device_model")
            && w["message"].as_str().unwrap().contains("U+202E")),
        "{warnings:?}"
    );
}

#[test]
fn a_screenshot_taken_after_its_transcription_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let src = fixture("transcribed/example");
    for e in std::fs::read_dir(&src).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, d.path().join(p.file_name().unwrap())).unwrap();
    }
    let t = d.path().join("transcription.json");
    let text = std::fs::read_to_string(&t)
        .unwrap()
        .replace("\"transcribed_at\": \"2026-11-26T10:15:00Z\"", "\"transcribed_at\": \"2026-11-20T10:15:00Z\"");
    std::fs::write(&t, text).unwrap();
    let a = bin().arg("parse").arg(&t).assert().code(2);
    assert!(
        stderr_of(&a).contains("/screenshots/0/captured_at") && stderr_of(&a).contains("after transcribed_at"),
        "{}",
        stderr_of(&a)
    );
}
