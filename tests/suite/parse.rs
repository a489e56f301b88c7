//! `parse`: the normalized snapshot on stdout, for every quirk of the Desktop writer.

use super::util::*;

fn parse(rel: &str, extra: &[&str]) -> serde_json::Value {
    let a = bin().arg("parse").arg(fixture(rel)).args(["--now", NOW]).args(extra).assert().success();
    serde_json::from_slice(&a.get_output().stdout).unwrap()
}

fn warnings(s: &serde_json::Value) -> Vec<(String, String)> {
    s["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| (w["locator"].as_str().unwrap().to_string(), w["message"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn modern_export_snapshot() {
    let a = bin().arg("parse").arg(fixture("tdesktop-json/modern.json")).args(["--now", NOW]).assert().success();
    insta::assert_snapshot!("modern_export", String::from_utf8(a.get_output().stdout.clone()).unwrap());
}

#[test]
fn desktop_quirks_become_warnings_with_locators() {
    let s = parse("tdesktop-json/modern.json", &[]);
    let w = warnings(&s);
    let has = |loc: &str, msg: &str| w.iter().any(|(l, m)| l == loc && m.contains(msg));
    assert!(has("/sessions/list/2/application_name", "null"), "{w:?}");
    assert!(has("/sessions/list/2/application_version", "absent"), "{w:?}");
    assert!(has("/sessions/list/3/last_ip", "empty"), "{w:?}");
    assert!(w.iter().any(|(l, m)| l.starts_with("/other_data/changes_log/") && m.contains(".000000")), "{w:?}");
    assert!(s["sessions"][2]["app_name"].is_null() && s["sessions"][2]["app_version"].is_null());
    assert!(s["sessions"][3]["ip"].is_null(), "an empty IP is unknown, not \"\"");
    assert_eq!(s["sessions"][0]["created"]["basis"], "unix");
    assert_eq!(s["account"]["user_id"], 6839104527i64);
}

#[test]
fn xhh_escapes_are_read_and_noted() {
    let s = parse("tdesktop-json/xhh-escape.json", &[]);
    let devices: Vec<&str> =
        s["sessions"].as_array().unwrap().iter().filter_map(|x| x["device_model"].as_str()).collect();
    assert!(devices.iter().any(|d| d.contains('\u{1b}')), "{devices:?}");
    assert!(devices.iter().any(|d| d.contains('\u{7}')), "{devices:?}");
    assert!(warnings(&s).iter().any(|(l, m)| l.starts_with("line ") && m.contains("\\x1B")), "{:?}", warnings(&s));
}

#[test]
fn exports_without_unixtime_need_the_source_zone() {
    let s = parse("tdesktop-json/no-unixtime.json", &[]);
    let t = &s["sessions"][0]["created"];
    assert!(t["utc"].is_null(), "{t}");
    assert_eq!(t["basis"], "local-unknown");
    assert!(warnings(&s).iter().any(|(_, m)| m.contains("--source-tz")));

    let s = parse("tdesktop-json/no-unixtime.json", &["--source-tz", "Europe/Berlin"]);
    assert_eq!(s["source"]["source_tz"], "Europe/Berlin");
    let gap = &s["sessions"][1]["created"];
    assert_eq!((gap["original"].as_str(), gap["basis"].as_str()), (Some("2021-03-28T02:30:00"), Some("local-assumed")));
    assert_eq!(gap["utc"], "2021-03-28T01:30:00Z");
    let w = warnings(&s);
    assert!(w.iter().any(|(l, m)| l == "/sessions/list/1/created" && m.contains("never happened")), "{w:?}");
    assert!(w.iter().any(|(l, m)| l == "/sessions/list/2/last_active" && m.contains("happened twice")), "{w:?}");

    let a = bin()
        .arg("parse")
        .arg(fixture("tdesktop-json/no-unixtime.json"))
        .args(["--source-tz", "Mars/Base"])
        .assert()
        .code(2);
    assert!(stderr_of(&a).contains("not an IANA time zone"));
}

#[test]
fn untrusted_and_non_latin_names_survive_exactly() {
    let s = parse("tdesktop-json/html-injection.json", &[]);
    assert!(s["sessions"].as_array().unwrap().iter().any(|x| x["device_model"] == "<img src=x onerror=alert(1)>"));
    let s = parse("tdesktop-json/non-latin.json", &[]);
    let text = s.to_string();
    for needle in ["تهران", "گوشی من", "\u{202E}"] {
        assert!(text.contains(needle), "{needle} lost");
    }
}

#[test]
fn signed_64_bit_hashes_survive_exactly() {
    use sessionproof::model::snapshot::Session;
    for hash in [i64::MIN, i64::MAX, -1234567890123456789, (1 << 53) + 1, 0] {
        let json = format!(
            r#"{{"hash":{hash},"current":null,"official_app":null,"password_pending":null,"unconfirmed":null,"encrypted_requests_disabled":null,"call_requests_disabled":null,"api_id":null,"app_name":null,"app_version":null,"device_model":null,"platform":null,"system_version":null,"ip":null,"country":null,"region":null,"created":null,"last_active":null,"locator":"/x"}}"#
        );
        let s: Session = serde_json::from_str(&json).unwrap();
        assert_eq!(s.hash, Some(hash));
        assert!(serde_json::to_string(&s).unwrap().contains(&format!("\"hash\":{hash},")));
        let node = sessionproof::ingest::json::parse(json.as_bytes()).unwrap().root;
        assert_eq!(node.get("hash").unwrap().as_i64(), Some(hash));
    }
}

#[test]
fn template_imports_once_filled_in_and_its_screenshot_exists() {
    let a = bin().args(["template", "transcribed"]).assert().success();
    let template = String::from_utf8(a.get_output().stdout.clone()).unwrap();
    let d = tempfile::tempdir().unwrap();
    let path = d.path().join("transcription.json");
    std::fs::write(d.path().join("IMG_0001.png"), b"\x89PNG\r\n\x1a\n").unwrap();

    std::fs::write(&path, &template).unwrap();
    let unfilled = bin().arg("parse").arg(&path).assert().code(2);
    assert!(
        stderr_of(&unfilled).contains("/transcriber: still holds the template's placeholder"),
        "{}",
        stderr_of(&unfilled)
    );

    let filled: String = template
        .lines()
        .map(|l| match l.find("\"FILL IN") {
            Some(i) => format!("{}\"typed value\"{}", &l[..i], if l.trim_end().ends_with(',') { "," } else { "" }),
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    std::fs::write(&path, filled).unwrap();
    bin().arg("parse").arg(&path).args(["--now", NOW]).assert().success();
    std::fs::remove_file(d.path().join("IMG_0001.png")).unwrap();
    let missing = bin().arg("parse").arg(&path).assert().code(2);
    assert!(stderr_of(&missing).contains("IMG_0001.png"), "{}", stderr_of(&missing));
}
