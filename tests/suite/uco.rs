//! `case-uco.jsonld`: every bundle's CASE/UCO document passes `case_validate` (PyPI `case-utils`),
//! for the demo case, a case of four acquisitions and a case of hostile device names.
//!
//! These tests need `case_validate` on the PATH (or its path in `CASE_VALIDATE`); without it they
//! fail and say how to install it, never pass silently.

use super::util::*;
use std::path::{Path, PathBuf};

/// The pinned validator: its bundled ontology is CASE 1.5.0 / UCO 1.5.0.
const CASE_UTILS: &str = "case-utils==0.18.0";

/// Runs `case_validate` on `file` and fails with its report unless the graph conforms.
fn assert_conforms(file: &Path) {
    let program = std::env::var_os("CASE_VALIDATE").unwrap_or_else(|| "case_validate".into());
    let out = match std::process::Command::new(&program).arg(file).output() {
        Ok(out) => out,
        Err(e) => panic!(
            "cannot run {}: {e}. install {CASE_UTILS}: pip install {CASE_UTILS} (or set CASE_VALIDATE to its path)",
            program.to_string_lossy()
        ),
    };
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && report.contains("Conforms: True") && !report.contains("Results ("),
        "{} does not conform ({}):\n{report}\n{}",
        file.display(),
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
}

fn uco_of(bundle: &Path) -> (PathBuf, serde_json::Value) {
    let path = bundle.join("case-uco.jsonld");
    let doc = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    (path, doc)
}

fn acquisitions(doc: &serde_json::Value) -> usize {
    doc["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["uco-core:name"].as_str().is_some_and(|s| s.starts_with("acquisition ")))
        .count()
}

#[test]
fn the_demo_bundle_conforms_and_lists_its_case_document() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("demo");
    bin().arg("demo").arg("--out").arg(&out).args(["--now", NOW]).assert().success();
    let bundle = only_bundle(&out.join("case"));
    let (path, doc) = uco_of(&bundle);
    assert_conforms(&path);
    assert_eq!(acquisitions(&doc), 2);
    assert_eq!(doc["@graph"][0]["uco-core:name"], "DEMO-2026-0001");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(bundle.join("manifest.json")).unwrap()).unwrap();
    let entry = manifest["files"].as_array().unwrap().iter().find(|f| f["path"] == "case-uco.jsonld").unwrap();
    assert_eq!(entry["role"], "case-uco");
    assert_eq!(entry["sha256"], sessionproof::digest::sha256_hex(&std::fs::read(&path).unwrap()));
}

#[test]
fn a_case_of_four_acquisitions_conforms() {
    let d = tempfile::tempdir().unwrap();
    let case = d.path().join("case");
    bin()
        .args(["case", "init"])
        .arg(&case)
        .args(["--examiner", "Test Examiner", "--now", "2026-11-19T00:00:00Z"])
        .assert()
        .success();
    for (input, now) in [
        ("diff/1-telethon-2026-11-20.json", "2026-11-20T10:10:00Z"),
        ("diff/2-export-2026-11-21/DataExport_2026-11-21", "2026-11-21T17:45:00Z"),
        ("diff/3-telethon-2026-11-23.json", "2026-11-23T10:15:00Z"),
        ("diff/4-screenshots-2026-11-24/transcription.json", "2026-11-24T09:30:00Z"),
    ] {
        bin().arg("import").arg(&case).arg(fixture(input)).args(["--now", now]).assert().success();
    }
    bin().arg("report").arg(&case).args(["--now", NOW]).assert().success();
    let (path, doc) = uco_of(&only_bundle(&case));
    assert_conforms(&path);
    assert_eq!(acquisitions(&doc), 4);
    // Each address is one node however many acquisitions list it.
    let addresses: Vec<&str> = doc["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["@type"].as_str().is_some_and(|t| t.starts_with("uco-observable:IPv")))
        .map(|n| n["uco-core:hasFacet"][0]["uco-observable:addressValue"].as_str().unwrap())
        .collect();
    let unique: std::collections::BTreeSet<&&str> = addresses.iter().collect();
    assert!(!addresses.is_empty());
    assert_eq!(unique.len(), addresses.len(), "{addresses:?}");
}

#[test]
fn a_case_of_hostile_device_names_conforms_and_keeps_them_as_escapes() {
    let (d, case) = new_case();
    let hostile = "Evil\u{7f}\u{85}\u{202E}gpj.exe\"}]<script>alert(1)</script>";
    let csv = d.path().join("hostile.csv");
    std::fs::write(
        &csv,
        format!(
            "kind,device_model,app_name,ip,created\n\
             session,\"{}\",Telegram Desktop,203.0.113.9,1795054329\n\
             session,\"Ctl\u{1}\u{1b}[2J\",Telegram Desktop,2001:db8::9,1795054329\n",
            hostile.replace('"', "\"\"")
        ),
    )
    .unwrap();
    for input in ["tdesktop-json/html-injection.json", "tdesktop-json/xhh-escape.json"] {
        bin().arg("import").arg(&case).arg(fixture(input)).args(["--now", NOW]).assert().success();
    }
    bin().arg("import").arg(&case).arg(&csv).args(["--now", NOW]).assert().success();
    bin().arg("report").arg(&case).args(["--now", NOW]).assert().success();
    let (path, doc) = uco_of(&only_bundle(&case));
    assert_conforms(&path);
    let text = std::fs::read_to_string(&path).unwrap();
    for raw in ['\u{1}', '\u{1b}', '\u{7f}', '\u{85}', '\u{202E}'] {
        assert!(!text.contains(raw), "{raw:?} written raw");
    }
    assert!(text.contains(r"\u202e") && text.contains(r"\u001b"));
    let kept = doc["@graph"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|n| n["uco-core:description"].as_str())
        .any(|d| d.contains(&format!("device model: {hostile};")));
    assert!(kept, "the device name is kept exactly");
    let v6 = doc["@graph"].as_array().unwrap().iter().filter(|n| n["@type"] == "uco-observable:IPv6Address");
    assert_eq!(v6.filter(|n| n["uco-core:hasFacet"][0]["uco-observable:addressValue"] == "2001:db8::9").count(), 1);
}
