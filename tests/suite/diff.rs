//! `diff`: appeared, vanished and reappeared sessions between acquisitions, the match basis, and
//! acquisitions that cannot prove absence (`fixtures/diff/`).

use super::util::*;
use std::path::{Path, PathBuf};

const TELETHON_1: &str = "diff/1-telethon-2026-11-20.json";
const EXPORT_2: &str = "diff/2-export-2026-11-21/DataExport_2026-11-21";
const TELETHON_3: &str = "diff/3-telethon-2026-11-23.json";
const SCREENSHOTS_4: &str = "diff/4-screenshots-2026-11-24/transcription.json";

/// A case opened before the story begins, with each fixture imported at its own `--now`, in the
/// order given (custody time never goes backwards, so import order is time order).
fn case_with(inputs: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let stated: Vec<(&str, &str, Option<&str>)> = inputs.iter().map(|(i, n)| (*i, *n, None)).collect();
    case_stating(&stated)
}

/// As [`case_with`], each input with the capture time the examiner states, if any.
fn case_stating(inputs: &[(&str, &str, Option<&str>)]) -> (tempfile::TempDir, PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let case = d.path().join("case");
    bin()
        .args(["case", "init"])
        .arg(&case)
        .args(["--examiner", "Test Examiner", "--now", "2026-11-19T00:00:00Z"])
        .assert()
        .success();
    for (input, now, stated) in inputs {
        let mut cmd = bin();
        cmd.arg("import").arg(&case).arg(fixture(input)).args(["--now", now]);
        if let Some(at) = stated {
            cmd.args(["--captured-at", at]);
        }
        cmd.assert().success();
    }
    (d, case)
}

/// The story of `fixtures/diff/`: listed, gone after a termination, back two days later.
fn story() -> (tempfile::TempDir, PathBuf) {
    case_with(&[
        (TELETHON_1, "2026-11-20T10:10:00Z"),
        (EXPORT_2, "2026-11-21T17:45:00Z"),
        (TELETHON_3, "2026-11-23T10:15:00Z"),
    ])
}

fn diff_json(case: &Path, args: &[&str]) -> serde_json::Value {
    let a = bin().arg("diff").arg(case).args(args).arg("--json").assert().success();
    serde_json::from_slice(&a.get_output().stdout).unwrap()
}

/// "kind device" for every change of one pair.
fn kinds(d: &serde_json::Value) -> Vec<String> {
    d["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let device = c["session"]["label"].as_str().unwrap().split(" · ").nth(1).unwrap().to_string();
            format!("{} {device}", c["kind"].as_str().unwrap())
        })
        .collect()
}

/// The block of text output that starts with `header`.
fn block<'a>(out: &'a str, header: &str) -> &'a str {
    let start = out.find(header).unwrap_or_else(|| panic!("no block {header:?} in\n{out}"));
    let rest = &out[start..];
    &rest[..rest.find("\n\n").unwrap_or(rest.len())]
}

#[test]
fn a_terminated_session_that_comes_back_is_shown_as_reappeared() {
    let (_d, case) = story();
    let before = fingerprint(&case);
    let a = bin().arg("diff").arg(&case).assert().success();
    let out = stdout_of(&a);
    assert_eq!(fingerprint(&case), before, "diff changes nothing in the case");

    let first = block(
        &out,
        "acquisition 1 (telethon-json, captured between 2026-11-20T09:58:41Z and 2026-11-20T10:10:00Z, \
         snapshots/0001.json) → acquisition 2",
    );
    assert!(
        first.contains(
            "  - vanished    Telegram Desktop 4.16.8 x64 · DESKTOP-R4N5K2P · 198.51.100.77  [acquisition 1 /authorizations/3]"
        ),
        "{first}"
    );
    assert!(first.contains("  = stayed (2)"), "{first}");
    assert!(
        first.contains(
            "Telegram Desktop 5.16.4 · MacBook Air · 203.0.113.61  [acquisition 2 /sessions/list/0; was acquisition 1 \
             /authorizations/1] (matched by: same created time, app and device)"
        ),
        "an export has no hashes: {first}"
    );
    assert!(first.contains("(current: the session that made this acquisition)"), "{first}");

    let second = block(
        &out,
        "acquisition 2 (tdesktop-json, captured between 2026-11-21T17:29:55Z and 2026-11-21T17:45:00Z, \
         snapshots/0002.json) → acquisition 3",
    );
    assert!(
        second.contains(
            "  ↺ reappeared  Telegram Desktop 4.16.8 x64 · DESKTOP-R4N5K2P · 198.51.100.77  [acquisition 3 \
             /authorizations/4; last seen in acquisition 1 /authorizations/3] (matched by: same session hash)"
        ),
        "{second}"
    );
    assert!(second.contains("  + appeared    Telegram Android 11.4.2 · Samsung SM-S918B · 198.51.100.140"), "{second}");
    assert!(!second.contains("vanished"), "{second}");
    assert!(out.contains("seen in 1, absent from 2, back in 3 (matched by: same session hash)"), "{out}");

    let again = bin().arg("diff").arg(&case).assert().success();
    assert_eq!(stdout_of(&again), out, "same case, same bytes");
}

#[test]
fn json_carries_every_pair_and_the_reappearances() {
    let (_d, case) = story();
    let v = diff_json(&case, &[]);
    assert_eq!(v["order"], serde_json::json!([1, 2, 3]));
    assert_eq!(v["acquisitions"][1]["method"], "tdesktop-json");
    let diffs = v["diffs"].as_array().unwrap();
    assert_eq!(diffs.len(), 2);
    assert_eq!(
        kinds(&diffs[0]),
        ["vanished Helpline laptop", "vanished DESKTOP-R4N5K2P", "stayed MacBook Air", "stayed Pixel 7a"]
    );
    assert_eq!(
        kinds(&diffs[1]),
        [
            "appeared Helpline laptop",
            "appeared Samsung SM-S918B",
            "reappeared DESKTOP-R4N5K2P",
            "stayed MacBook Air",
            "stayed Pixel 7a"
        ]
    );
    let back = &diffs[1]["changes"][2];
    assert_eq!(back["basis"], "same session hash");
    assert_eq!(back["matched"]["acquisition"], 1);
    assert_eq!(back["matched"]["locator"], "/authorizations/3");
    assert_eq!(
        v["reappeared"],
        serde_json::json!([{
            "acquisition": 3,
            "session_index": 4,
            "locator": "/authorizations/4",
            "label": "Telegram Desktop 4.16.8 x64 · DESKTOP-R4N5K2P · 198.51.100.77",
            "seen_in": [1],
            "absent_in": [2],
            "basis": "same session hash"
        }])
    );

    let direct = diff_json(&case, &["1", "3"]);
    assert_eq!(direct["diffs"].as_array().unwrap().len(), 1);
    let d = &direct["diffs"][0];
    assert_eq!((d["from"].as_u64(), d["to"].as_u64()), (Some(1), Some(3)));
    assert!(kinds(d).contains(&"stayed DESKTOP-R4N5K2P".to_string()), "1 and 3 both list it: {d}");
    assert_eq!(direct["reappeared"], v["reappeared"], "reappearances are the whole case's");
}

#[test]
fn a_transcription_without_created_times_proves_no_absence() {
    // Captured in this order: Telethon (1), screenshots (2, no created times), Telethon again (3),
    // whose capture time the examiner states (its own activity ends on the 23rd).
    let (_d, case) = case_stating(&[
        (TELETHON_1, "2026-11-20T10:10:00Z", None),
        (SCREENSHOTS_4, "2026-11-24T09:35:00Z", None),
        (TELETHON_3, "2026-11-25T10:15:00Z", Some("2026-11-25T10:00:00+00:00")),
    ]);
    let v = diff_json(&case, &[]);
    assert_eq!(v["order"], serde_json::json!([1, 2, 3]));
    for d in v["diffs"].as_array().unwrap() {
        assert_eq!(kinds(d), Vec::<String>::new(), "nothing appears or vanishes beside a list without keys: {d}");
        for n in d["not_comparable"].as_array().unwrap() {
            let reason = n["reason"].as_str().unwrap();
            match n["session"]["acquisition"].as_u64().unwrap() {
                2 => assert_eq!(reason, "no-identity", "{n}"),
                _ => {
                    assert_eq!(reason, "cannot-tell-apart", "{n}");
                    assert_eq!(n["acquisition"], 2, "{n}");
                }
            }
        }
    }
    assert_eq!(v["diffs"][0]["not_comparable"].as_array().unwrap().len(), 4 + 3);
    assert_eq!(v["reappeared"], serde_json::json!([]), "DESKTOP-R4N5K2P was never provably gone");

    let out = stdout_of(&bin().arg("diff").arg(&case).assert().success());
    assert!(out.contains("? not comparable (7): neither matched nor provably absent"), "{out}");
    assert!(out.contains("cannot be matched: no session hash and no exact created time with a device:"), "{out}");
    assert!(out.contains("absence cannot be proved: acquisition 2 lists /sessions/0, which has no exact key"), "{out}");
    assert!(!out.contains("reappeared") && !out.contains("vanished"), "{out}");
}

#[test]
fn pairs_follow_capture_order_and_keep_the_report_numbers() {
    // The Telethon dump is imported on 2026-11-25 and states no capture time: it was captured
    // between its newest activity (2026-11-20) and then. The screenshots say 2026-11-24.
    let (_d, case) = case_with(&[(TELETHON_1, "2026-11-25T10:10:00Z"), (SCREENSHOTS_4, "2026-11-26T12:00:00Z")]);
    let out = stdout_of(&bin().arg("diff").arg(&case).assert().success());
    assert!(
        out.starts_with(
            "acquisition 1 (telethon-json, captured between 2026-11-20T09:58:41Z and 2026-11-25T10:10:00Z, \
             snapshots/0001.json) → acquisition 2 (transcribed, captured 2026-11-24T08:12:00Z, snapshots/0002.json)\n  \
             cannot tell which was captured first:"
        ),
        "{out}"
    );
    assert!(out.contains("give each its capture time with `import --captured-at`"), "{out}");
    assert!(!out.contains("+ appeared") && !out.contains("- vanished") && !out.contains("reappeared"), "{out}");
    assert!(out.contains("neither appeared nor gone: which of acquisitions 1 and 2 was captured first is not known:"));

    // Stated by the examiner, the dump comes after the screenshots.
    let (_d, case) = case_stating(&[
        (TELETHON_1, "2026-11-25T10:10:00Z", Some("2026-11-25T09:00:00+01:00")),
        (SCREENSHOTS_4, "2026-11-26T12:00:00Z", None),
    ]);
    let out = stdout_of(&bin().arg("diff").arg(&case).assert().success());
    assert!(out.starts_with("Compared in capture order: 2 → 1 (numbers as in the report)\n"), "{out}");
    assert!(
        out.contains(
            "acquisition 2 (transcribed, captured 2026-11-24T08:12:00Z, snapshots/0002.json) → acquisition 1 \
             (telethon-json, captured 2026-11-25T08:00:00Z (stated by the examiner), snapshots/0001.json)"
        ),
        "{out}"
    );
    let backwards = stdout_of(&bin().arg("diff").arg(&case).args(["1", "2"]).assert().success());
    assert!(backwards.contains("note: acquisition 2 was captured before acquisition 1"), "{backwards}");
    let v = diff_json(&case, &[]);
    assert_eq!(v["order"], serde_json::json!([2, 1]));
    assert_eq!(v["acquisitions"][0]["captured_at"], "2026-11-25T08:00:00Z");
    assert_eq!(v["acquisitions"][0]["captured_at_stated_by"], "examiner");
    assert_eq!(v["acquisitions"][1]["captured_at_stated_by"], "source");
}

#[test]
fn device_names_cannot_reach_the_terminal_raw() {
    // The same export, except that two device names carry control bytes: they no longer match.
    let (_d, case) = case_with(&[
        ("tdesktop-json/modern.json", "2026-11-25T12:00:00Z"),
        ("tdesktop-json/xhh-escape.json", "2026-11-26T12:00:00Z"),
    ]);
    let out = stdout_of(&bin().arg("diff").arg(&case).assert().success());
    assert!(out.contains("⟨U+001B⟩[31mLatitude 7440⟨U+001B⟩[0m"), "{out}");
    assert!(out.contains("Samsung⟨U+0007⟩SM-A546B"), "{out}");
    assert!(!out.contains('\u{1b}') && !out.contains('\u{7}'), "{out:?}");
}

#[test]
fn bad_acquisition_numbers_and_small_cases_are_refused() {
    let (_d, case) = story();
    for (args, message) in [
        (&["1", "4"][..], "there is no acquisition 4: the case has acquisitions 1 to 3"),
        (&["0", "2"][..], "there is no acquisition 0: the case has acquisitions 1 to 3"),
        (&["2", "2"][..], "A and B are both acquisition 2; give two different acquisitions between 1 and 3"),
        (&["2"][..], "<B>"),
        (&["one", "2"][..], "invalid value 'one'"),
    ] {
        let a = bin().arg("diff").arg(&case).args(args).assert().code(2);
        assert!(stderr_of(&a).contains(message), "{args:?}: {}", stderr_of(&a));
        assert!(a.get_output().stdout.is_empty(), "{args:?}");
    }

    let (_d1, one) = case_with(&[(TELETHON_1, NOW)]);
    let a = bin().arg("diff").arg(&one).assert().code(2);
    assert!(stderr_of(&a).contains("1 acquisition imported; diff compares two acquisitions"), "{}", stderr_of(&a));
    let (_d0, none) = case_with(&[]);
    let a = bin().arg("diff").arg(&none).assert().code(2);
    assert!(stderr_of(&a).contains("0 acquisitions imported"), "{}", stderr_of(&a));
    let a = bin().arg("diff").arg(_d0.path().join("nowhere")).assert().code(2);
    assert!(stderr_of(&a).contains("not a sessionproof case"), "{}", stderr_of(&a));
}

#[test]
fn a_case_changed_outside_sessionproof_is_named() {
    let (_d, case) = story();
    std::fs::write(case.join("snapshots/0009.json"), std::fs::read(case.join("snapshots/0003.json")).unwrap()).unwrap();
    let a = bin().arg("diff").arg(&case).assert().success();
    let err = stderr_of(&a);
    assert!(err.contains("snapshots/0009.json: not recorded in the custody log"), "{err}");
    assert!(err.contains("the case does not match its custody log (1 problem)"), "{err}");
}
