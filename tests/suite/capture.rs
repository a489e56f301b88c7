//! When each list was captured: stated by the source, stated by the examiner (`--captured-at`),
//! or bounded; no appearance, termination or return is claimed across an order that is not
//! known; and importing an original again with other reading options (`--source-tz`).

use super::util::*;
use std::fs;
use std::path::{Path, PathBuf};

fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn json(p: &Path) -> serde_json::Value {
    serde_json::from_str(&read(p)).unwrap()
}

fn import(case: &Path, input: &Path, now: &str, extra: &[&str]) -> assert_cmd::assert::Assert {
    bin().arg("import").arg(case).arg(input).args(["--now", now]).args(extra).assert()
}

fn analysis(case: &Path) -> serde_json::Value {
    let a = bin().arg("analyze").arg(case).arg("--json").assert().success();
    serde_json::from_slice(&a.get_output().stdout).unwrap()
}

/// (acquisition, locator) → the `reappeared` signal's status and reason.
fn reappeared(a: &serde_json::Value) -> Vec<(u64, String, String, String)> {
    a["analysis"]["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let s = f["signals"].as_array().unwrap().iter().find(|s| s["id"] == "reappeared").unwrap();
            (
                f["acquisition"].as_u64().unwrap(),
                f["locator"].as_str().unwrap().to_string(),
                s["status"].as_str().unwrap().to_string(),
                s["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_demo_export_is_ordered_before_the_screenshots_taken_the_next_morning() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("demo");
    bin().arg("demo").arg("--out").arg(&out).args(["--now", NOW]).assert().success();
    let case = out.join("case");
    let text = stdout_of(&bin().arg("diff").arg(&case).assert().success());
    assert!(!text.contains("Compared in capture order"), "import order is capture order here:\n{text}");
    assert!(
        text.starts_with(
            "acquisition 1 (tdesktop-json, captured between 2026-11-25T17:40:05Z and 2026-11-26T01:00:00Z, \
             snapshots/0001.json) → acquisition 2 (transcribed, captured 2026-11-26T08:42:30Z, snapshots/0002.json)\n"
        ),
        "{text}"
    );
    assert!(!text.contains("cannot tell which was captured first"), "{text}");
    let s = json(&case.join("snapshots/0001.json"));
    let bound = &s["capture_window"]["not_after"]["basis"];
    assert!(
        bound.as_str().unwrap().contains("DataExport_2026-11-25 is named for the local day the export started")
            && bound.as_str().unwrap().contains("UTC+01:00, the offset the export's own dates show"),
        "{bound}"
    );

    let bundle = only_bundle(&case);
    let html = read(&bundle.join("report.html"));
    assert!(
        html.contains("not stated by the source; captured between 2026-11-25 17:40:05 UTC and 2026-11-26 01:00:00 UTC"),
        "the inventory says what is known"
    );
    assert!(html.contains("acquisition 1 (tdesktop-json, captured between 2026-11-25 17:40:05 UTC and"), "changes");
    let brief = read(&bundle.join("brief.txt"));
    assert!(
        brief.contains("The owner's own client was logged in at 2026-11-26 08:42:30 UTC (acquisition 2, transcribed)"),
        "{brief}"
    );
    let findings = json(&bundle.join("findings.json"));
    assert_eq!(findings["capture_order"], serde_json::json!([1, 2]));
    assert_eq!(findings["capture_order_unknown"], serde_json::json!([]));
    assert_eq!(findings["acquisitions"][0]["capture"]["not_before"], "2026-11-25T17:40:05Z");
    assert_eq!(findings["acquisitions"][1]["capture"]["stated"], "2026-11-26T08:42:30Z");
}

/// Telethon dumps written to `dir`: the 20 Nov and 23 Nov fixtures, and a copy made on the
/// 24th (the 23rd's list, active again the next day). `without` drops a session (by device)
/// from the 23 Nov dump.
fn dumps(dir: &Path, without: Option<&str>) -> [PathBuf; 3] {
    let load = |f: &str| -> serde_json::Value { serde_json::from_str(&read(&fixture(f))).unwrap() };
    let first = load("diff/1-telethon-2026-11-20.json");
    let mut third = load("diff/3-telethon-2026-11-23.json");
    let mut copy = third.clone();
    for a in copy["authorizations"].as_array_mut().unwrap() {
        let active = a["date_active"].as_str().unwrap().replace("2026-11-23", "2026-11-24");
        a["date_active"] = active.into();
    }
    if let Some(device) = without {
        third["authorizations"].as_array_mut().unwrap().retain(|a| a["device_model"] != device);
    }
    let write = |name: &str, v: &serde_json::Value| {
        let p = dir.join(name);
        fs::write(&p, serde_json::to_string(v).unwrap()).unwrap();
        p
    };
    [write("dump-23.json", &third), write("dump-20.json", &first), write("dump-24.json", &copy)]
}

#[test]
fn dumps_imported_out_of_order_make_no_session_reappear_unless_their_capture_times_are_stated() {
    // The review's case: dumps of 23, 20 and 24 November imported in that order, all on the 26th.
    // The Samsung session was created on the 22nd: in the 23rd's and the 24th's lists, not the 20th's.
    let d = tempfile::tempdir().unwrap();
    let [d23, d20, d24] = dumps(d.path(), None);
    let (_c, case) = new_case();
    for (input, now) in [(&d23, "2026-11-26T12:01:00Z"), (&d20, "2026-11-26T12:02:00Z"), (&d24, "2026-11-26T12:03:00Z")]
    {
        import(&case, input, now, &[]).success();
    }
    let a = analysis(&case);
    assert!(reappeared(&a).iter().all(|(_, _, status, _)| status != "fired"), "{:?}", reappeared(&a));
    let text = stdout_of(&bin().arg("diff").arg(&case).assert().success());
    assert!(
        text.starts_with("Compared in capture order: 2 → 1 → 3"),
        "by the earliest each can have been captured:\n{text}"
    );
    assert!(
        text.contains("cannot tell which was captured first: acquisition 2 was captured between 2026-11-20T09:58:41Z")
    );
    assert!(!text.contains("↺ reappeared") && !text.contains("- vanished") && !text.contains("+ appeared"), "{text}");
    bin().arg("report").arg(&case).args(["--now", "2026-11-26T13:00:00Z"]).assert().success();
    let bundle = only_bundle(&case);
    let html = read(&bundle.join("report.html"));
    assert!(!html.contains("the login is being repeated"), "no false alarm in the summary");
    assert!(html.contains("Cannot tell which was captured first: acquisition 2 was captured between"), "changes");
    let findings = json(&bundle.join("findings.json"));
    assert_eq!(findings["capture_order_unknown"].as_array().unwrap().len(), 2, "{}", findings["capture_order_unknown"]);
    assert!(findings["capture_order_unknown"][0]["reason"].as_str().unwrap().contains("--captured-at"));

    // Stated, the order is certain: the Samsung session appeared on the 23rd and stayed.
    let (_c, stated) = new_case();
    for (input, now, at) in [
        (&d23, "2026-11-26T12:01:00Z", "2026-11-23T11:15:00+01:00"),
        (&d20, "2026-11-26T12:02:00Z", "2026-11-20T10:10:00Z"),
        (&d24, "2026-11-26T12:03:00Z", "2026-11-24T12:00:00Z"),
    ] {
        import(&stated, input, now, &["--captured-at", at]).success();
    }
    assert!(reappeared(&analysis(&stated)).iter().all(|(_, _, status, _)| status != "fired"));
    let v: serde_json::Value =
        serde_json::from_slice(&bin().arg("diff").arg(&stated).arg("--json").assert().success().get_output().stdout)
            .unwrap();
    assert_eq!(v["order"], serde_json::json!([2, 1, 3]));
    assert!(v["diffs"].as_array().unwrap().iter().all(|d| d.get("order_unknown").is_none()), "{v}");
    let kinds: Vec<&str> =
        v["diffs"][0]["changes"].as_array().unwrap().iter().map(|c| c["kind"].as_str().unwrap()).collect();
    assert!(kinds.contains(&"appeared"), "the Samsung session appears on the 23rd: {kinds:?}");
}

#[test]
fn a_real_return_is_a_guess_until_the_capture_times_are_stated() {
    // The 23rd's dump lacks DESKTOP-R4N5K2P (terminated on the 21st); the 24th's has it again.
    let d = tempfile::tempdir().unwrap();
    let [d23, d20, d24] = dumps(d.path(), Some("DESKTOP-R4N5K2P"));
    let (_c, case) = new_case();
    for (input, now) in [(&d23, "2026-11-26T12:01:00Z"), (&d20, "2026-11-26T12:02:00Z"), (&d24, "2026-11-26T12:03:00Z")]
    {
        import(&case, input, now, &[]).success();
    }
    let signals = reappeared(&analysis(&case));
    let (_, _, status, reason) = signals.iter().find(|(a, l, _, _)| *a == 3 && l == "/authorizations/4").unwrap();
    assert_eq!(status, "not-evaluated", "{reason}");
    assert!(
        reason.starts_with(
            "seen in acquisition 2, absent from 1, listed again in 3 — but cannot tell which was captured first"
        ),
        "{reason}"
    );
    assert!(signals.iter().all(|(_, _, s, _)| s != "fired"));
    // The SIM-card action says the question is open, not that no session came back.
    bin().arg("report").arg(&case).args(["--now", "2026-11-26T13:00:00Z"]).assert().success();
    let html = read(&only_bundle(&case).join("report.html"));
    let sim = between(&html, "<tr id=\"action-phone-number\">", "</tr>");
    assert!(sim.contains("action-check") && sim.contains("Whether a session came back cannot be told"), "{sim}");

    let (_c, stated) = new_case();
    for (input, now, at) in [
        (&d23, "2026-11-26T12:01:00Z", "2026-11-23T10:15:00Z"),
        (&d20, "2026-11-26T12:02:00Z", "2026-11-20T10:10:00Z"),
        (&d24, "2026-11-26T12:03:00Z", "2026-11-24T12:00:00Z"),
    ] {
        import(&stated, input, now, &["--captured-at", at]).success();
    }
    let a = analysis(&stated);
    let fired: Vec<_> = reappeared(&a).into_iter().filter(|(_, _, s, _)| s == "fired").collect();
    assert_eq!(fired.iter().map(|(a, l, _, _)| (*a, l.as_str())).collect::<Vec<_>>(), [(3, "/authorizations/4")]);
    let verdict = a["analysis"]["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["acquisition"] == 3 && f["locator"] == "/authorizations/4")
        .unwrap();
    assert_eq!(verdict["verdict"], "act-now");
    let log = read(&stated.join("custody.jsonl"));
    assert!(
        log.contains("captured at 2026-11-23T10:15:00Z as stated by the examiner (--captured-at 2026-11-23T10:15:00Z)"),
        "{log}"
    );
    let s = json(&stated.join("snapshots/0001.json"));
    assert_eq!(s["captured_at"]["utc"], "2026-11-23T10:15:00Z");
    assert_eq!(s["captured_at_basis"], "stated-by-examiner");
    bin().arg("report").arg(&stated).args(["--now", "2026-11-26T13:00:00Z"]).assert().success();
    let html = read(&only_bundle(&stated).join("report.html"));
    assert!(
        html.contains("2026-11-23 10:15:00 UTC (as written: “2026-11-23T10:15:00Z”), as stated by the examiner"),
        "inventory"
    );
}

#[test]
fn a_bad_captured_at_is_refused_and_the_case_is_unchanged() {
    let dump = fixture("diff/1-telethon-2026-11-20.json");
    for (args, expected) in [
        (
            vec!["--captured-at", "20.11.2026 10:10"],
            "--captured-at: \"20.11.2026 10:10\" is not an RFC 3339 time with a zone; give e.g. 2026-11-23T10:15:00Z",
        ),
        (vec!["--captured-at", "2026-11-20T10:10:00"], "is not an RFC 3339 time with a zone"),
        (
            vec!["--captured-at", "2026-11-27T00:00:00Z"],
            "--captured-at: 2026-11-27T00:00:00Z is later than now (2026-11-26T12:00:00Z, the clock or --now)",
        ),
        (
            vec!["--captured-at", "2026-11-20T10:50:00+01:00"],
            "--captured-at: 2026-11-20T10:50:00+01:00 is earlier than /authorizations/0 last_active 2026-11-20T09:58:41Z",
        ),
    ] {
        let (_d, case) = new_case();
        let before = fingerprint(&case);
        let a = import(&case, &dump, NOW, &args).code(2);
        let err = stderr_of(&a);
        assert!(
            err.starts_with("error: ") && err.contains("1-telethon-2026-11-20.json") && err.contains(expected),
            "{args:?}: {err}"
        );
        assert_eq!(fingerprint(&case), before, "{args:?}: the case must stay exactly as it was");
    }
    let (_d, case) = new_case();
    let before = fingerprint(&case);
    let screenshots = fixture("diff/4-screenshots-2026-11-24/transcription.json");
    let err = stderr_of(&import(&case, &screenshots, NOW, &["--captured-at", "2026-11-24T10:00:00Z"]).code(2));
    assert!(err.contains("this transcribed source states its own capture time (2026-11-24T08:12:00Z)"), "{err}");
    let a = bin()
        .arg("import")
        .arg(&case)
        .arg(&dump)
        .arg(&screenshots)
        .args(["--now", NOW, "--captured-at", "2026-11-24T10:00:00Z"])
        .assert()
        .code(2);
    assert!(stderr_of(&a).contains("import the inputs one at a time"), "{}", stderr_of(&a));
    assert_eq!(fingerprint(&case), before);
}

#[test]
fn a_desktop_html_export_can_be_read_again_with_its_zone() {
    let (_d, case) = new_case();
    let export = fixture("tdesktop-html/export");
    let a = import(&case, &export, NOW, &[]).success();
    let err = stderr_of(&a);
    assert!(err.contains("warning: ") && err.contains("local time without a zone"), "the warning's text: {err}");
    let command = format!("sessionproof import {} {} --source-tz Area/City", case.display(), export.display());
    assert!(err.contains(&command), "the command that fixes it: {err}");
    let evidence = fs::read_dir(case.join("evidence")).unwrap().count();

    // A refused re-reading changes nothing.
    let before = fingerprint(&case);
    let refused = import(&case, &export, "2026-11-26T12:05:00Z", &["--source-tz", "Mars/Olympus_Mons"]).code(2);
    assert!(stderr_of(&refused).contains("is not an IANA time zone"), "{}", stderr_of(&refused));
    assert_eq!(fingerprint(&case), before);

    let a = import(&case, &export, "2026-11-26T12:05:00Z", &["--source-tz", "Europe/Berlin"]).success();
    let out = stdout_of(&a);
    assert!(out.contains("-> snapshots/0002.json"), "{out}");
    assert!(out.contains("read again from the preserved original of snapshots/0001.json with --source-tz Europe/Berlin (was: not given)"), "{out}");
    assert!(!stderr_of(&a).contains("--source-tz Area/City"), "resolved: {}", stderr_of(&a));
    assert_eq!(fs::read_dir(case.join("evidence")).unwrap().count(), evidence, "no second copy of any original");
    let s = json(&case.join("snapshots/0002.json"));
    assert_eq!(s["reread_of"]["snapshot"], "snapshots/0001.json");
    assert_eq!(s["source"]["source_tz"], "Europe/Berlin");
    assert_eq!(s["sessions"][0]["last_active"]["basis"], "local-assumed");
    assert_eq!(s["capture_window"]["not_after"]["utc"], NOW, "first received at the first import");
    let log = read(&case.join("custody.jsonl"));
    let entry: serde_json::Value = serde_json::from_str(log.lines().last().unwrap()).unwrap();
    assert_eq!(entry["action"], "import");
    let note = entry["note"].as_str().unwrap();
    assert!(note.starts_with("re-reading of the original of snapshots/0001.json (evidence/"), "{note}");
    assert!(
        note.contains("not stored again) with --source-tz Europe/Berlin (was: not given): tdesktop-html"),
        "{note}"
    );
    let outputs: Vec<&str> = entry["outputs"].as_array().unwrap().iter().map(|o| o["path"].as_str().unwrap()).collect();
    assert_eq!(outputs, ["snapshots/0002.json"]);

    // The same again: a duplicate; the zone given before still holds.
    let again = import(&case, &export, "2026-11-26T12:06:00Z", &[]).success();
    assert!(stdout_of(&again).contains("Already imported"), "{}", stdout_of(&again));
    assert_eq!(fs::read_dir(case.join("snapshots")).unwrap().count(), 2);

    // One acquisition of the account: the later reading replaces the earlier.
    let a = analysis(&case);
    let acquisitions: std::collections::BTreeSet<u64> =
        a["analysis"]["sessions"].as_array().unwrap().iter().map(|f| f["acquisition"].as_u64().unwrap()).collect();
    assert_eq!(acquisitions, [1].into());
    let diff = bin().arg("diff").arg(&case).assert().code(2);
    assert!(stderr_of(&diff).contains("1 acquisition imported"), "{}", stderr_of(&diff));
    bin().arg("report").arg(&case).args(["--now", "2026-11-26T12:10:00Z"]).assert().success();
    let bundle = only_bundle(&case);
    let manifest = read(&bundle.join("manifest.json"));
    assert!(
        manifest.contains("../../snapshots/0001.json") && manifest.contains("../../snapshots/0002.json"),
        "both kept"
    );
    let html = read(&bundle.join("report.html"));
    assert!(
        html.contains("Reads again the original of snapshots/0001.json"),
        "the inventory names the earlier reading"
    );
    assert!(!html.contains("change change-vanished") && !html.contains("change change-reappeared"));
    bin().arg("verify").arg(&bundle).assert().success();
}

#[test]
fn a_re_reading_reads_the_preserved_files_beside_the_original_too() {
    // Imported as a folder (result.json with lists/other_data.json), then its result.json alone
    // with a stated capture time: the security log from other_data.json is still read.
    let (_d, case) = new_case();
    let folder = fixture("tdesktop-json/export-folder/DataExport_2026-11-25");
    import(&case, &folder, NOW, &[]).success();
    let first = json(&case.join("snapshots/0001.json"));
    assert_eq!(
        first["capture_window"]["not_after"]["utc"], "2026-11-26T01:00:00Z",
        "the folder's day, at the export's offsets"
    );
    import(&case, &folder.join("result.json"), "2026-11-26T12:01:00Z", &["--captured-at", "2026-11-25T20:00:00Z"])
        .success();
    let second = json(&case.join("snapshots/0002.json"));
    assert_eq!(second["security_log"], first["security_log"]);
    assert_eq!(second["source"]["companions"], first["source"]["companions"]);
    assert_eq!(second["capture_window"], first["capture_window"], "the same folder, the same bounds");
    assert_eq!(second["captured_at"]["utc"], "2026-11-25T20:00:00Z");
    let log = read(&case.join("custody.jsonl"));
    let entry: serde_json::Value = serde_json::from_str(log.lines().last().unwrap()).unwrap();
    let inputs: Vec<&str> = entry["inputs"].as_array().unwrap().iter().map(|i| i["path"].as_str().unwrap()).collect();
    assert!(
        inputs[1].starts_with("evidence/") && inputs.contains(&"DataExport_2026-11-25/lists/other_data.json"),
        "{inputs:?}"
    );
    // A time outside the folder's day is the examiner's to state; the snapshot says it is outside.
    import(&case, &folder, "2026-11-26T12:02:00Z", &["--captured-at", "2026-11-26T11:00:00Z"]).success();
    let third = json(&case.join("snapshots/0003.json"));
    let warned = third["warnings"].as_array().unwrap().iter().any(|w| {
        w["locator"] == "--captured-at"
            && w["message"].as_str().unwrap().starts_with(
                "the stated capture time 2026-11-26T11:00:00Z is later than the bound 2026-11-26T01:00:00Z",
            )
    });
    assert!(warned, "{}", third["warnings"]);
}
