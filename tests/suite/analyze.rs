//! `analyze` end to end: the demo case's expected verdict for every session, the "not evaluated"
//! path without a baseline, JSON findings with facts, and verdicts in the report.

use super::util::*;

fn demo_case() -> (tempfile::TempDir, std::path::PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("demo");
    bin().arg("demo").arg("--out").arg(&out).args(["--now", NOW]).assert().success();
    (d, out.join("case"))
}

fn analysis(case: &std::path::Path) -> serde_json::Value {
    let a = bin().arg("analyze").arg(case).arg("--json").assert().success();
    serde_json::from_slice(&a.get_output().stdout).unwrap()
}

fn fired(finding: &serde_json::Value) -> Vec<String> {
    finding["signals"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["status"] == "fired")
        .map(|s| s["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_demo_session_gets_its_expected_verdict() {
    let (_d, case) = demo_case();
    let a = analysis(&case);
    let sessions = a["analysis"]["sessions"].as_array().unwrap();
    let expected: [(&str, &str, &[&str]); 8] = [
        ("/sessions/list/0", "ok", &[]),
        ("/sessions/list/1", "ok", &[]),
        // 3.5.140.2 is AWS: a data centre by the curated list and the amazon-aws list. Its entry
        // on MISP's vpn-ipv4 list ("VPN providers and datacenters") is the same fact, counted
        // under net-hosting, so net-vpn does not fire as well.
        (
            "/sessions/list/2",
            "act-now",
            &["device-unknown", "geo-unfamiliar", "hours-asleep", "net-hosting", "app-outdated", "created-in-incident"],
        ),
        // 185.220.101.4 is a Tor exit; its entry on the same MISP list is that fact again.
        (
            "/sessions/list/3",
            "act-now",
            &["device-unknown", "app-unofficial", "hours-asleep", "net-tor", "created-in-incident"],
        ),
        ("/sessions/0", "info", &[]),
        ("/sessions/1", "ok", &[]),
        // The screenshots show less than the export, but the intruder's Desktop 4.16.8 is behind
        // 5.0 (out by 2024-05-02) for more than a year; and with no IP on a screenshot,
        // geo-unfamiliar is judged on Telegram's own "Netherlands" (it was not evaluated before).
        ("/sessions/2", "act-now", &["device-unknown", "geo-unfamiliar", "app-outdated"]),
        ("/sessions/3", "act-now", &["device-unknown", "app-unofficial"]),
    ];
    assert_eq!(sessions.len(), expected.len());
    for (f, (locator, verdict, signals)) in sessions.iter().zip(expected) {
        assert_eq!(f["locator"], locator);
        assert_eq!(f["verdict"], verdict, "{locator}: {}", f["verdict_reason"]);
        assert_eq!(fired(f), signals, "{locator}");
    }
    let account = a["analysis"]["account"].as_array().unwrap();
    let changed = account.iter().find(|s| s["id"] == "account-password-changed-by-unknown").unwrap();
    assert_eq!(changed["status"], "fired", "the 02:05 password change came from AS60729");
    // Every signal carries the facts it used and a reason.
    let desktop = &sessions[2];
    let hosting = desktop["signals"].as_array().unwrap().iter().find(|s| s["id"] == "net-hosting").unwrap();
    assert!(hosting["facts"]["asn"].as_str().unwrap().contains("AS16509"));
    assert!(hosting["reason"].as_str().unwrap().contains("consistent with"));
    let signal = |f: &serde_json::Value, id: &str| {
        f["signals"].as_array().unwrap().iter().find(|s| s["id"] == id).unwrap().clone()
    };
    let outdated = signal(desktop, "app-outdated");
    assert_eq!(outdated["facts"]["app_version"], "4.16.8 x64");
    assert_eq!(outdated["facts"]["newer_release"], "5.0 (2024-05-02)");
    assert_eq!(outdated["facts"]["days_behind"], "937", "2024-05-02 to 2026-11-25, the export's earliest capture day");
    assert!(outdated["facts"]["acquired"].as_str().unwrap().contains("the earliest the list can have been captured"));
    assert!(outdated["reason"].as_str().unwrap().contains("consistent with an app not updated for 937 days"));
    let nicegram = signal(&sessions[3], "app-unofficial");
    assert_eq!(nicegram["facts"]["client"], "Nicegram (third-party client)");
    assert_eq!(signal(&sessions[3], "app-outdated")["status"], "not-evaluated");
    // The owner's Desktop 5.16.4 is not a year behind any line the table knows.
    assert_eq!(signal(&sessions[0], "app-outdated")["status"], "clear");
    // One fact, one signal: the VPN-or-data-centre list hit is kept as a fact of net-hosting.
    let vpn = signal(desktop, "net-vpn");
    assert_eq!(vpn["status"], "clear");
    assert!(vpn["reason"].as_str().unwrap().contains("counted once, under net-hosting"), "{vpn}");
    assert!(hosting["facts"]["sources"].as_str().unwrap().contains("vpn-ipv4"), "{hosting}");
    // DB-IP places 3.5.140.2 in KR, Telegram says Netherlands: the disagreement is a fact.
    let geo = signal(desktop, "geo-unfamiliar");
    assert_eq!(geo["facts"]["telegram_country"], "NL (Telegram: \"Netherlands\")");
    assert!(geo["facts"]["countries_disagree"].as_str().unwrap().contains("in KR; Telegram's own estimate is NL"));
    // On a screenshot, Telegram's country is the basis, and the facts say it is the weaker one.
    let shot = signal(&sessions[6], "geo-unfamiliar");
    assert_eq!(shot["facts"]["country"], "NL (Telegram's country estimate: \"Netherlands\")");
    assert!(shot["facts"]["country_basis"].as_str().unwrap().contains("weaker basis"), "{shot}");
    // The owner's phone and laptop each have one sighting with an IP: nothing to compare a
    // network with, so known-device-new-network is not evaluated for either.
    for owner in &sessions[..2] {
        assert_eq!(signal(owner, "known-device-new-network")["status"], "not-evaluated");
    }
}

/// The review that found it: a phone on mobile data and a laptop on home broadband, one row
/// each, were both flagged as "a declared device on a new network"; the laptop was "review" and
/// the brief asked Telegram to terminate it.
#[test]
fn own_devices_on_their_own_networks_are_not_accused() {
    let (d, case) = new_case();
    std::fs::write(
        case.join("case.toml"),
        "[case]\nid = \"T-1\"\n[subject]\nusual_countries = [\"DE\"]\n\
         [[subject.devices]]\nmodel = \"Pixel 8\"\n\
         [[subject.devices]]\nmodel = \"ThinkPad X1 Carbon\"\n",
    )
    .unwrap();
    let csv = d.path().join("two.csv");
    std::fs::write(
        &csv,
        "kind,device_model,app_name,app_version,platform,ip,country\n\
         session,Pixel 8,Telegram Android,12.1.1,Android,92.72.1.1,Germany\n\
         session,ThinkPad X1 Carbon,Telegram Desktop,5.16.4 x64,Windows,93.220.41.17,Germany\n",
    )
    .unwrap();
    bin().arg("import").arg(&case).arg(&csv).args(["--now", NOW]).assert().success();
    let a = analysis(&case);
    for f in a["analysis"]["sessions"].as_array().unwrap() {
        assert_eq!(f["verdict"], "ok", "{}: {}", f["locator"], f["verdict_reason"]);
        let s = f["signals"].as_array().unwrap().iter().find(|s| s["id"] == "known-device-new-network").unwrap();
        assert_eq!(s["status"], "not-evaluated", "{s}");
        assert!(s["reason"].as_str().unwrap().contains("no other sighting of the subject's"), "{s}");
    }
    // A second acquisition: the laptop now on the phone's network is new for the laptop.
    let later = d.path().join("later.csv");
    std::fs::write(
        &later,
        "kind,device_model,app_name,app_version,platform,ip,country\n\
         session,Pixel 8,Telegram Android,12.1.1,Android,92.72.1.1,Germany\n\
         session,ThinkPad X1 Carbon,Telegram Desktop,5.16.4 x64,Windows,92.72.1.1,Germany\n",
    )
    .unwrap();
    bin().arg("import").arg(&case).arg(&later).args(["--now", NOW]).assert().success();
    let a = analysis(&case);
    let knd: Vec<(String, String)> = a["analysis"]["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let s = f["signals"].as_array().unwrap().iter().find(|s| s["id"] == "known-device-new-network").unwrap();
            (s["status"].as_str().unwrap().to_string(), s["reason"].as_str().unwrap().to_string())
        })
        .collect();
    let statuses: Vec<&str> = knd.iter().map(|(s, _)| s.as_str()).collect();
    // Phone: AS3209 both times. Laptop: AS3320, then AS3209 — each of its two sightings is new to the other.
    assert_eq!(statuses, ["clear", "fired", "clear", "fired"], "{knd:#?}");
    assert!(knd[3].1.contains("ThinkPad X1 Carbon seen from AS3209 Vodafone GmbH"), "{}", knd[3].1);
    assert!(knd[3].1.contains("consistent with a copied Desktop session"), "{}", knd[3].1);
}

#[test]
fn without_a_baseline_signals_are_not_evaluated_never_clean() {
    let (_d, case) = new_case();
    bin().arg("import").arg(&case).arg(fixture("tdesktop-json/modern.json")).args(["--now", NOW]).assert().success();
    let a = analysis(&case);
    for f in a["analysis"]["sessions"].as_array().unwrap() {
        for id in ["device-unknown", "geo-unfamiliar", "hours-asleep", "created-in-incident"] {
            let s = f["signals"].as_array().unwrap().iter().find(|s| s["id"] == id).unwrap();
            assert_eq!(s["status"], "not-evaluated", "{id} must not be judged without the baseline");
        }
        assert!(f["verdict_reason"].as_str().unwrap().contains("not evaluated"), "{}", f["verdict_reason"]);
    }
    let table = stdout_of(&bin().arg("analyze").arg(&case).arg("-v").assert().success());
    assert!(table.contains("not evaluated device-unknown") && table.contains("no devices declared"), "{table}");
    // Words, not the program's internal names.
    assert!(!table.contains("NotEvaluated") && !table.contains("n/e "), "{table}");
}

#[test]
fn the_report_shows_verdicts_and_their_reasons() {
    let (_d, case) = demo_case();
    let html = std::fs::read_to_string(only_bundle(&case).join("report.html")).unwrap();
    assert!(html.contains("class=\"verdict verdict-act-now\">act now"));
    // The row names the fired signals; the detail gives each one's reason.
    let row = between(&html, "<tr id=\"row-3\">", "</tr>");
    assert!(row.contains("fired: Unknown device, "), "{row}");
    let detail = between(&html, "<article class=\"detail\" id=\"session-3\">", "</article>");
    assert!(
        detail.contains("<td>device &quot;DESKTOP-7Q2K9LM&quot; is not among the subject&#39;s declared devices</td>"),
        "{detail}"
    );
    assert!(html.contains("<th><span class=\"verdict verdict-act-now\">act now</span></th><td>4</td>"));
    assert!(html.contains("account-password-changed-by-unknown"));
    let findings: serde_json::Value =
        serde_json::from_slice(&std::fs::read(only_bundle(&case).join("findings.json")).unwrap()).unwrap();
    assert_eq!(findings["sessions"][2]["verdict"], "act-now");
    assert!(findings["verdict_rule"].as_str().unwrap().contains("Two or more"));
}

#[test]
fn analyze_reads_and_never_writes() {
    let (_d, case) = demo_case();
    let before = fingerprint(&case);
    bin().arg("analyze").arg(&case).assert().success();
    assert_eq!(before, fingerprint(&case));
    let (_e, empty) = new_case();
    let a = bin().arg("analyze").arg(&empty).assert().code(2);
    assert!(stderr_of(&a).contains("nothing imported yet"));
}

#[test]
fn a_session_that_comes_back_after_it_was_gone_is_act_now_alone() {
    let (_d, case) = new_case();
    // All imported at once: the first dump's capture time is stated, or nothing orders it
    // before the export (see suite::capture for the case without it).
    for (input, stated) in [
        ("diff/1-telethon-2026-11-20.json", Some("2026-11-20T10:10:00Z")),
        ("diff/2-export-2026-11-21/DataExport_2026-11-21", None),
        ("diff/3-telethon-2026-11-23.json", None),
    ] {
        let mut cmd = bin();
        cmd.arg("import").arg(&case).arg(fixture(input)).args(["--now", NOW]);
        if let Some(at) = stated {
            cmd.args(["--captured-at", at]);
        }
        cmd.assert().success();
    }
    let a = analysis(&case);
    let back: Vec<&serde_json::Value> = a["analysis"]["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| fired(f).contains(&"reappeared".to_string()))
        .collect();
    assert_eq!(back.len(), 1, "{back:?}");
    assert_eq!(back[0]["acquisition"], 3);
    assert_eq!(back[0]["verdict"], "act-now");
}

#[test]
fn impossible_and_fast_but_possible_journeys() {
    let (d, case) = new_case();
    let toml = std::fs::read_to_string(case.join("case.toml")).unwrap();
    std::fs::write(case.join("case.toml"), toml + "\n[[subject.devices]]\nmodel = \"Pixel 8\"\n").unwrap();
    // Coordinates come from MaxMind's City test data: London, Milton (WA), Linköping.
    let csv = d.path().join("sessions.csv");
    std::fs::write(
        &csv,
        "device_model,app_name,app_version,ip,last_active\n\
         Pixel 8,Telegram Android,12.1.1,81.2.69.160,2026-11-20T10:00:00Z\n\
         Evil PC,Telegram Desktop,5.16.4,216.160.83.56,2026-11-20T11:00:00Z\n\
         Travel Laptop,Telegram Desktop,5.16.4,89.160.20.112,2026-11-20T13:00:00Z\n",
    )
    .unwrap();
    bin().arg("import").arg(&case).arg(&csv).args(["--now", NOW]).assert().success();
    let city = fixture("maxmind/GeoIP2-City-Test.mmdb");
    let a = bin().arg("analyze").arg(&case).arg("--json").arg("--mmdb").arg(&city).assert().success();
    let a: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
    let geo = |i: usize| {
        a["analysis"]["sessions"][i]["signals"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["id"] == "geo-impossible")
            .unwrap()
            .clone()
    };
    let impossible = geo(1);
    assert_eq!(impossible["status"], "fired", "London to Washington State in one hour: {impossible}");
    assert!(impossible["reason"].as_str().unwrap().contains("faster than any travel"));
    let possible = geo(2);
    assert_eq!(possible["status"], "clear", "London to Linköping in three hours is fast but possible: {possible}");
    // Without a City database the places are countries (GB and the US, whose far parts reach
    // the Pacific): no longer provably impossible, and the reason says why.
    let a = bin().arg("analyze").arg(&case).arg("--json").assert().success();
    let a: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
    let s = a["analysis"]["sessions"][1]["signals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "geo-impossible")
        .unwrap()
        .clone();
    assert_eq!(s["status"], "clear", "{s}");
    assert!(s["reason"].as_str().unwrap().contains("country level"), "{s}");
}

fn geo_signal(a: &serde_json::Value, i: usize) -> serde_json::Value {
    a["analysis"]["sessions"][i]["signals"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "geo-impossible")
        .unwrap()
        .clone()
}

#[test]
fn country_level_journeys_and_declared_whereabouts() {
    let (d, case) = new_case();
    let toml = std::fs::read_to_string(case.join("case.toml")).unwrap();
    let baseline = "\n[[subject.devices]]\nmodel = \"Pixel 8\"\n\n[[subject.travel]]\ncountry = \"TR\"\nfrom = \"2026-11-19\"\nto = \"2026-11-22\"\n";
    std::fs::write(case.join("case.toml"), toml + baseline).unwrap();
    // Embedded country data only: 93.220.41.17 is in DE, 2.176.0.1 in IR, both residential.
    let csv = d.path().join("sessions.csv");
    std::fs::write(
        &csv,
        "device_model,app_name,app_version,ip,last_active\n\
         Pixel 8,Telegram Android,12.1.1,93.220.41.17,2026-11-24T10:00:00Z\n\
         Evil PC,Telegram Desktop,5.16.4,2.176.0.1,2026-11-24T11:00:00Z\n\
         Home PC,Telegram Desktop,5.16.4,93.220.41.17,2026-11-20T12:00:00Z\n\
         Late PC,Telegram Desktop,5.16.4,93.220.41.17,2026-11-22T20:00:00Z\n\
         Old PC,Telegram Desktop,5.16.4,93.220.41.17,2026-11-10T12:00:00Z\n",
    )
    .unwrap();
    bin().arg("import").arg(&case).arg(&csv).args(["--now", NOW]).assert().success();
    let a = bin().arg("analyze").arg(&case).arg("--json").assert().success();
    let a: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
    // Germany and Iran one hour apart: impossible even between the countries' farthest points.
    let evil = geo_signal(&a, 1);
    assert_eq!(evil["status"], "fired", "{evil}");
    assert!(evil["reason"].as_str().unwrap().contains("country level"), "{evil}");
    // In Germany on an inner day of the declared trip to Turkey.
    let home = geo_signal(&a, 2);
    assert_eq!(home["status"], "fired", "{home}");
    assert!(home["reason"].as_str().unwrap().contains("declared being in TR"), "{home}");
    // 21:00 Berlin on the trip's last day: the subject may have flown home (21 h since midnight).
    let late = geo_signal(&a, 3);
    assert_eq!(late["status"], "clear", "{late}");
    // Outside the trip, with only the Pixel far in time: nothing contradicts it.
    let old = geo_signal(&a, 4);
    assert_eq!(old["status"], "clear", "{old}");
}

/// Runs the binary with its standard output a pipe nobody reads.
fn with_closed_stdout(args: &[&std::ffi::OsStr]) -> std::process::Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    std::process::Command::new(env!("CARGO_BIN_EXE_sessionproof"))
        .args(args)
        .env("TZ", "UTC")
        .env("SESSIONPROOF_DATA", empty_data_dir())
        .stdout(writer)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap()
}

#[test]
fn a_reader_that_goes_away_ends_output_quietly_and_never_panics() {
    let (_d, case) = demo_case();
    let bundle = only_bundle(&case);
    let c = case.as_os_str();
    // `analyze … | head`: the output is all these commands do, so stopping early is not an error.
    for args in [
        vec!["analyze".as_ref(), c],
        vec!["analyze".as_ref(), c, "--json".as_ref()],
        vec!["diff".as_ref(), c],
        vec!["case".as_ref(), "show".as_ref(), c],
        vec!["verify".as_ref(), bundle.as_os_str()],
        vec!["lookup".as_ref(), "8.8.8.8".as_ref()],
        vec!["template".as_ref(), "csv".as_ref()],
    ] {
        let out = with_closed_stdout(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?}: {err}");
    }
    // A command that writes files says that it stopped, as an error, not a panic.
    let d = tempfile::tempdir().unwrap();
    let out = with_closed_stdout(&["demo".as_ref(), "--out".as_ref(), d.path().join("demo").as_os_str()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.starts_with("error: the reader of the output went away") && !err.contains("panicked"), "{err}");
    assert!(err.contains("run it again with its output to a terminal or a file"), "{err}");
}

#[test]
fn analyze_says_when_the_case_does_not_match_its_custody_log() {
    let (_d, case) = demo_case();
    let clean = bin().arg("analyze").arg(&case).assert().success();
    assert!(stderr_of(&clean).is_empty(), "{}", stderr_of(&clean));
    assert_eq!(analysis(&case)["integrity_problems"], serde_json::json!([]));
    // A snapshot edited after its import: still analysed, but never silently.
    let snapshot = std::fs::read_dir(case.join("snapshots")).unwrap().next().unwrap().unwrap().path();
    let mut bytes = std::fs::read(&snapshot).unwrap();
    bytes.extend_from_slice(b"\n");
    std::fs::write(&snapshot, bytes).unwrap();
    let a = bin().arg("analyze").arg(&case).assert().success();
    let err = stderr_of(&a);
    assert!(err.starts_with("warning: ") && err.contains("does not match its custody log (1 problem)"), "{err}");
    assert!(err.contains("`report` refuses such a case") && err.contains("snapshots/"), "{err}");
    let problems = analysis(&case)["integrity_problems"].as_array().unwrap().clone();
    assert_eq!(problems.len(), 1, "{problems:?}");
}

#[test]
fn an_empty_baseline_is_said_so_ok_is_not_read_as_checked() {
    let (_d, case) = new_case();
    bin().arg("import").arg(&case).arg(fixture("csv/sessions.csv")).args(["--now", NOW]).assert().success();
    let a = bin().arg("analyze").arg(&case).assert().success();
    let err = stderr_of(&a);
    assert!(err.contains("note: case.toml does not declare [[subject.devices]]"), "{err}");
    assert!(err.contains("8 signals cannot be judged") && err.contains("device-unknown"), "{err}");
    bin().arg("report").arg(&case).args(["--now", NOW]).assert().success();
    let html = std::fs::read_to_string(only_bundle(&case).join("report.html")).unwrap();
    assert!(html.contains("8 signals could not be judged"), "the report's summary says it too");
    // The demo's baseline declares everything: no note.
    let d = tempfile::tempdir().unwrap();
    bin().arg("demo").arg("--out").arg(d.path().join("demo")).args(["--now", NOW]).assert().success();
    let a = bin().arg("analyze").arg(d.path().join("demo/case")).assert().success();
    assert!(!stderr_of(&a).contains("note: case.toml does not declare"), "{}", stderr_of(&a));
}

#[test]
fn a_website_login_that_needs_action_is_in_the_summary_and_the_actions() {
    let (_d, case) = demo_case();
    let html = std::fs::read_to_string(only_bundle(&case).join("report.html")).unwrap();
    assert!(html.contains("1 website logged in with Telegram needs action now."), "the headline counts it");
    let web = between(&html, "<tr id=\"action-web-logout\">", "</tr>");
    assert!(web.contains("action-do") && web.contains("auth.example.org"), "{web}");
    assert!(web.contains("Active Sessions"), "where it lives in the apps: {web}");
}
