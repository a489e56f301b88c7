//! `case init` and the strictness of `case.toml`.

use super::util::*;

#[test]
fn init_writes_a_commented_case_toml_and_a_custody_entry() {
    let (_d, case) = new_case();
    let toml = std::fs::read_to_string(case.join("case.toml")).unwrap();
    for key in [
        "[case]",
        "id = \"case\"",
        "examiner = \"Test Examiner\"",
        "[subject]",
        "time_zone = \"Europe/Berlin\"",
        "# sleep",
        "# usual_countries",
        "# usual_cities",
        "# vpn_providers",
        "# web_domains",
        "# automation",
        "# last_known_good",
        "# incident_window",
        "# [[subject.devices]]",
        "# [[subject.travel]]",
    ] {
        assert!(toml.contains(key), "missing {key} in\n{toml}");
    }
    let log = std::fs::read_to_string(case.join("custody.jsonl")).unwrap();
    assert_eq!(log.lines().count(), 1);
    assert!(log.contains("\"action\":\"case-init\"") && log.contains("\"at\":\"2026-11-26T12:00:00Z\""), "{log}");
    for dir in ["evidence", "snapshots", "reports"] {
        assert!(case.join(dir).is_dir());
    }
}

#[test]
fn init_refuses_to_overwrite_a_case() {
    let (_d, case) = new_case();
    let before = fingerprint(&case);
    let a = bin().args(["case", "init"]).arg(&case).assert().code(2);
    assert!(stderr_of(&a).contains("a case already exists here"), "{}", stderr_of(&a));
    assert_eq!(before, fingerprint(&case));
}

#[test]
fn a_bad_case_toml_is_named_with_key_and_line() {
    for (text, expected) in [
        ("[case]\nid = \"X\"\n[subject]\nfavourite_colour = \"red\"\n", "line 4: unknown key `favourite_colour`"),
        (
            "[case]\nid = \"X\"\n[subject]\nsleep = { from = \"25:00\", to = \"07:00\" }\n",
            "line 4: `subject.sleep.from`",
        ),
        ("[case]\nid = \"X\"\n[subject]\ntime_zone = \"Mars/Base\"\n", "line 4: `subject.time_zone`"),
    ] {
        let (_d, case) = new_case();
        std::fs::write(case.join("case.toml"), text).unwrap();
        let before = fingerprint(&case);
        let a = bin().arg("import").arg(&case).arg(fixture("tdesktop-json/modern.json")).assert().code(2);
        let err = stderr_of(&a);
        assert!(err.contains("case.toml") && err.contains(expected), "{err}");
        assert_eq!(err.trim().lines().count(), 1, "{err}");
        assert_eq!(before, fingerprint(&case));
    }
}

#[test]
fn commands_on_a_folder_that_is_not_a_case_say_so() {
    let d = tempfile::tempdir().unwrap();
    for args in [vec!["import", "FOLDER", "x.json"], vec!["report", "FOLDER"]] {
        let args: Vec<String> =
            args.iter().map(|a| if *a == "FOLDER" { d.path().display().to_string() } else { a.to_string() }).collect();
        let a = bin().args(&args).assert().code(2);
        assert!(stderr_of(&a).contains("not a sessionproof case"), "{}", stderr_of(&a));
    }
    assert!(std::fs::read_dir(d.path()).unwrap().next().is_none(), "nothing may be written");
}

#[test]
fn case_show_prints_the_baseline_and_what_it_lets_us_evaluate() {
    let (_d, case) = new_case();
    let out = stdout_of(&bin().args(["case", "show"]).arg(&case).assert().success());
    assert!(out.contains("time zone        Europe/Berlin"), "{out}");
    assert!(out.contains("no   device-unknown: needs [[subject.devices]]"), "{out}");
    assert!(out.contains("yes  app-unofficial"), "{out}");
    let toml = std::fs::read_to_string(case.join("case.toml")).unwrap();
    let toml = toml
        .replace("# [[subject.devices]]\n# model = \"ThinkPad X1\"", "[[subject.devices]]\nmodel = \"ThinkPad X1\"");
    std::fs::write(case.join("case.toml"), toml).unwrap();
    let out = stdout_of(&bin().args(["case", "show"]).arg(&case).assert().success());
    assert!(out.contains("device           ThinkPad X1") && out.contains("yes  device-unknown"), "{out}");
}

#[test]
fn an_unknown_country_code_is_named() {
    let (_d, case) = new_case();
    std::fs::write(case.join("case.toml"), "[case]\nid = \"X\"\n[subject]\nusual_countries = [\"DE\", \"XX\"]\n")
        .unwrap();
    let a = bin().args(["case", "show"]).arg(&case).assert().code(2);
    assert!(stderr_of(&a).contains("line 4: `subject.usual_countries` has \"XX\""), "{}", stderr_of(&a));
}

#[test]
fn case_show_json_gives_the_baseline_and_what_each_signal_needs() {
    let (_d, case) = new_case();
    let a = bin().args(["case", "show"]).arg(&case).arg("--json").assert().success();
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&a)).unwrap();
    assert_eq!(v["case"]["id"], "case");
    let signals = v["signals"].as_array().unwrap();
    let device = signals.iter().find(|s| s["id"] == "device-unknown").expect("device-unknown listed");
    assert_eq!(device["evaluable"], false, "no devices declared in a new case: {v}");
    assert!(device["needs"].as_str().unwrap().contains("devices"), "{v}");
    assert!(v["subject"].is_object());
}

#[test]
fn import_into_a_case_without_an_examiner_says_custody_names_nobody() {
    let d = tempfile::tempdir().unwrap();
    let case = d.path().join("c");
    bin().args(["case", "init"]).arg(&case).args(["--now", NOW]).assert().success();
    let a = bin()
        .arg("import")
        .arg(&case)
        .arg(fixture("tdesktop-json/modern.json"))
        .args(["--now", NOW])
        .assert()
        .success();
    assert!(stderr_of(&a).contains("names no examiner"), "{}", stderr_of(&a));
    let (_d2, named) = new_case();
    let a = bin()
        .arg("import")
        .arg(&named)
        .arg(fixture("tdesktop-json/modern.json"))
        .args(["--now", NOW])
        .assert()
        .success();
    assert!(!stderr_of(&a).contains("names no examiner"), "{}", stderr_of(&a));
}
