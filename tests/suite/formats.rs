//! Every acquisition path through the real binary: detection, one snapshot v1 per input, and
//! refusals that leave the case unchanged.

use super::util::*;

/// Every normal fixture, with the method auto-detection must find.
const NORMAL: &[(&str, &str)] = &[
    ("tdesktop-json/modern.json", "tdesktop-json"),
    ("tdesktop-html/export/lists/sessions.html", "tdesktop-html"),
    ("tdesktop-html/export/lists/web_sessions.html", "tdesktop-html"),
    ("telethon/sessions.json", "telethon-json"),
    ("telethon/combined.json", "telethon-json"),
    ("pyrogram/sessions.json", "pyrogram-json"),
    ("pyrogram/combined.json", "pyrogram-json"),
    ("grammers/sessions.json", "grammers-json"),
    ("grammers/combined.json", "grammers-json"),
    ("grammers/single.json", "grammers-json"),
    ("tdlib/sessions.json", "tdlib-json"),
    ("tdlib/combined.json", "tdlib-json"),
    ("tdlib/legacy-fields.json", "tdlib-json"),
    ("tl/authorizations.bin", "tl"),
    ("tl/authorizations-layer109.bin", "tl"),
    ("tl/authorizations-rpc_result.bin", "tl"),
    ("tl/web_authorizations.bin", "tl"),
    ("tl/password.bin", "tl"),
    ("csv/sessions.csv", "csv"),
    ("csv/sessions-crlf.csv", "csv"),
    ("transcribed/example/transcription.json", "transcribed"),
];

#[test]
fn every_format_is_detected_from_its_content_and_normalized() {
    for (rel, method) in NORMAL {
        let a = bin().arg("parse").arg(fixture(rel)).args(["--now", NOW]).assert().success();
        let s: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
        assert_eq!(s["method"], *method, "{rel}");
        assert_eq!(s["schema"], "sessionproof/snapshot/v1", "{rel}");
        assert_eq!(s["source"]["sha256"], sessionproof::digest::sha256_hex(&std::fs::read(fixture(rel)).unwrap()));
        for session in s["sessions"].as_array().unwrap() {
            for key in ["hash", "current", "official_app", "password_pending", "unconfirmed", "ip", "created"] {
                assert!(session.get(key).is_some(), "{rel}: {key} must be present (null when unknown)");
                if let Some(v) = session[key].as_str() {
                    assert!(!v.is_empty(), "{rel}: {key} is \"\" where unknown must be null");
                }
            }
        }
    }
}

#[test]
fn what_a_source_cannot_carry_stays_null() {
    let parse = |rel: &str| -> serde_json::Value {
        let a = bin().arg("parse").arg(fixture(rel)).args(["--now", NOW]).assert().success();
        serde_json::from_slice(&a.get_output().stdout).unwrap()
    };
    // Desktop exports drop the hash and every flag.
    let html = parse("tdesktop-html/export/lists/sessions.html");
    assert!(html["sessions"][0]["hash"].is_null() && html["sessions"][0]["official_app"].is_null());
    assert!(html["sessions"][0]["as_written"].is_array(), "composite lines kept verbatim");
    // Pyrogram 2.0.106 has no `unconfirmed`.
    let pyro = parse("pyrogram/sessions.json");
    assert!(pyro["sessions"].as_array().unwrap().iter().all(|s| s["unconfirmed"].is_null()));
    // A layer-109 capture predates the later flags.
    let old = parse("tl/authorizations-layer109.bin");
    assert!(old["sessions"][0]["unconfirmed"].is_null() && old["account"]["ttl_days"].is_null());
    // Library dumps carry hashes above 2^53 exactly.
    let tl = parse("tl/authorizations.bin").to_string();
    let telethon = parse("telethon/sessions.json").to_string();
    for text in [tl, telethon] {
        assert!(text.contains("\"hash\":"), "hash present");
    }
}

#[test]
fn every_fail_fixture_is_refused_naming_the_record_and_the_case_is_unchanged() {
    let mut fails = Vec::new();
    for dir in ["csv", "grammers", "pyrogram", "tdesktop-html", "tdlib", "telethon", "tl"] {
        for e in std::fs::read_dir(fixture(dir)).unwrap() {
            let p = e.unwrap().path();
            if p.file_name().unwrap().to_string_lossy().starts_with("fail_") {
                fails.push(p);
            }
        }
    }
    fails.sort();
    assert!(fails.len() >= 25, "{fails:?}");
    let (_d, case) = new_case();
    let before = fingerprint(&case);
    for input in fails {
        let a = bin().arg("import").arg(&case).arg(&input).args(["--now", NOW]).assert().code(2);
        let err = stderr_of(&a);
        let name = input.file_name().unwrap().to_string_lossy().into_owned();
        assert!(err.starts_with("error: ") && err.contains(&name), "{input:?}: {err}");
        assert_eq!(err.trim_end().lines().count(), 1, "{input:?}: one line: {err}");
        let record =
            ["row ", "byte ", "line ", "entry", "/"].iter().any(|r| err.split(&name).nth(1).unwrap_or("").contains(r));
        assert!(record, "{input:?}: the message must name the record: {err}");
        assert_eq!(before, fingerprint(&case), "{input:?} changed the case");
    }
}

#[test]
fn an_html_export_folder_is_one_acquisition_with_its_web_sessions() {
    let (_d, case) = new_case();
    bin().arg("import").arg(&case).arg(fixture("tdesktop-html/export")).args(["--now", NOW]).assert().success();
    let s: serde_json::Value =
        serde_json::from_slice(&std::fs::read(case.join("snapshots/0001.json")).unwrap()).unwrap();
    assert_eq!(s["method"], "tdesktop-html");
    assert!(!s["sessions"].as_array().unwrap().is_empty() && !s["web_sessions"].as_array().unwrap().is_empty());
    assert!(s["web_sessions"][0]["locator"].as_str().unwrap().starts_with("web_sessions.html: "));
    let roles: Vec<&str> =
        s["source"]["companions"].as_array().unwrap().iter().map(|c| c["role"].as_str().unwrap()).collect();
    assert!(roles.contains(&"web-sessions-html") && roles.contains(&"export-index"), "{roles:?}");
}

#[test]
fn an_export_in_both_formats_reads_the_json_and_says_so() {
    let d = tempfile::tempdir().unwrap();
    let export = d.path().join("DataExport_2026-11-25");
    std::fs::create_dir_all(export.join("lists")).unwrap();
    std::fs::copy(fixture("tdesktop-json/modern.json"), export.join("result.json")).unwrap();
    std::fs::copy(fixture("tdesktop-html/export/lists/sessions.html"), export.join("lists/sessions.html")).unwrap();
    let a = bin().arg("parse").arg(&export).args(["--now", NOW]).assert().success();
    let s: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
    assert_eq!(s["method"], "tdesktop-json");
    assert!(
        s["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["message"].as_str().unwrap().contains("result.json was read instead"))
    );
}

#[test]
fn every_acquisition_is_listed_in_the_report_with_method_and_hash() {
    let (_d, case) = new_case();
    let inputs = ["tdesktop-json/modern.json", "telethon/combined.json", "tl/authorizations.bin", "csv/sessions.csv"];
    for i in inputs {
        bin().arg("import").arg(&case).arg(fixture(i)).args(["--now", NOW]).assert().success();
    }
    bin().arg("report").arg(&case).args(["--now", NOW]).assert().success();
    let html = std::fs::read_to_string(only_bundle(&case).join("report.html")).unwrap();
    for (n, (i, method)) in inputs.iter().zip(["tdesktop-json", "telethon-json", "tl", "csv"]).enumerate() {
        assert!(html.contains(&format!("Acquisition {}: {method}", n + 1)), "{method}");
        assert!(html.contains(&sessionproof::digest::sha256_hex(&std::fs::read(fixture(i)).unwrap())));
    }
}

#[test]
fn templates_for_typed_input_are_printed() {
    let a = bin().args(["template", "csv"]).assert().success();
    assert!(stdout_of(&a).starts_with("kind,hash,current"));
}
