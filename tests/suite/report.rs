//! `report`: the bundle's contents, escaping, no overwrite, and byte-identical reruns.

use super::util::*;
use std::path::Path;

fn case_with(inputs: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let (d, case) = new_case();
    for i in inputs {
        bin().arg("import").arg(&case).arg(fixture(i)).args(["--now", NOW]).assert().success();
    }
    (d, case)
}

fn report(case: &Path) -> std::path::PathBuf {
    bin().arg("report").arg(case).args(["--now", NOW]).assert().success();
    only_bundle(case)
}

#[test]
fn bundle_holds_the_report_files_and_a_manifest_of_everything() {
    let (_d, case) =
        case_with(&["tdesktop-json/export-folder/DataExport_2026-11-25", "transcribed/example/transcription.json"]);
    let bundle = report(&case);
    assert_eq!(bundle.file_name().unwrap(), "20261126T120000Z");
    for f in [
        "report.html",
        "findings.json",
        "case-uco.jsonld",
        "manifest.json",
        "VERIFY.txt",
        "SHA256SUMS",
        "custody.jsonl",
    ] {
        assert!(bundle.join(f).is_file(), "{f}");
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(bundle.join("manifest.json")).unwrap()).unwrap();
    let files = manifest["files"].as_array().unwrap();
    let evidence_count = std::fs::read_dir(case.join("evidence")).unwrap().count();
    assert_eq!(files.iter().filter(|f| f["role"] == "evidence").count(), evidence_count);
    assert_eq!(files.iter().filter(|f| f["role"] == "snapshot").count(), 2);
    for f in files {
        let bytes = std::fs::read(bundle.join(f["path"].as_str().unwrap())).unwrap();
        assert_eq!(f["sha256"], sessionproof::digest::sha256_hex(&bytes));
        assert_eq!(f["bytes"], bytes.len() as u64);
    }
    let verify_txt = std::fs::read_to_string(bundle.join("VERIFY.txt")).unwrap();
    assert!(verify_txt.contains("sha256sum -c SHA256SUMS"));
    let log = std::fs::read_to_string(case.join("custody.jsonl")).unwrap();
    assert!(log.lines().last().unwrap().contains("\"action\":\"report\""));
}

#[test]
fn html_is_self_contained_strict_and_shows_every_section() {
    let (_d, case) = case_with(&["tdesktop-json/modern.json", "transcribed/example/transcription.json"]);
    let html = std::fs::read_to_string(report(&case).join("report.html")).unwrap();
    assert!(html.contains("http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'sha256-"));
    assert!(!html.to_lowercase().contains("<script"), "no scripts");
    for external in ["http://", "https://", "src=\"//", "url("] {
        assert!(!html.contains(external), "external reference {external}");
    }
    for section in [
        "id=\"cover\"",
        "id=\"sessions\"",
        "id=\"web-sessions\"",
        "id=\"security-log\"",
        "id=\"acquisitions\"",
        "id=\"evidence\"",
        "id=\"custody\"",
        "Test Examiner",
        "Europe/Berlin",
        "2026-11-26 12:00:00 UTC",
        "2026-11-26 13:00:00 CET (Europe/Berlin)",
        "not evaluated",
        "sessionproof 0.1.0",
    ] {
        assert!(html.contains(section), "missing {section}");
    }
    // The CSP hash matches the inline stylesheet, so a browser applies it.
    let style = html.split("<style>").nth(1).unwrap().split("</style>").next().unwrap();
    assert!(html.contains(&format!("'sha256-{}'", sessionproof::digest::sha256_base64(style.as_bytes()))));
}

#[test]
fn untrusted_names_are_escaped_and_control_characters_marked() {
    let (_d, case) = case_with(&[
        "tdesktop-json/html-injection.json",
        "tdesktop-json/non-latin.json",
        "tdesktop-json/xhh-escape.json",
    ]);
    let html = std::fs::read_to_string(report(&case).join("report.html")).unwrap();
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(!html.contains("<img src=x"));
    assert!(!html.contains("<script>alert"));
    assert!(!html.contains("<svg onload"));
    assert!(html.contains("⟨U+202E⟩") && !html.contains('\u{202E}'), "RTL override must be visibly marked");
    assert!(html.contains("⟨U+001B⟩") && !html.contains('\u{1b}'), "escape bytes must be visibly marked");
    assert!(html.contains("تهران"));
}

#[test]
fn a_bundle_is_never_overwritten() {
    let (_d, case) = case_with(&["tdesktop-json/modern.json"]);
    let bundle = report(&case);
    let before = fingerprint(&bundle);
    let a = bin().arg("report").arg(&case).args(["--now", NOW]).assert().code(2);
    assert!(stderr_of(&a).contains("never overwritten"), "{}", stderr_of(&a));
    assert_eq!(before, fingerprint(&bundle));
}

#[test]
fn report_of_an_empty_case_says_what_to_do() {
    let (_d, case) = new_case();
    let a = bin().arg("report").arg(&case).assert().code(2);
    assert!(stderr_of(&a).contains("nothing imported yet"), "{}", stderr_of(&a));
}

#[test]
fn same_inputs_and_now_give_byte_identical_bundles() {
    let run = || {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("demo");
        bin().arg("demo").arg("--out").arg(&out).args(["--now", NOW]).env("TZ", "America/New_York").assert().success();
        (d, out)
    };
    let (_a, a) = run();
    let (_b, b) = run();
    let fa = fingerprint(&a.join("case"));
    assert!(fa.keys().any(|k| k.ends_with("report.html")));
    assert_eq!(fa, fingerprint(&b.join("case")));
}

#[test]
fn report_refuses_a_case_that_differs_from_its_custody_log() {
    use std::os::unix::fs::PermissionsExt;
    type Damage = fn(&Path);
    let tamper: [(&str, Damage); 3] = [
        ("snapshots/0001.json", |case| {
            let p = case.join("snapshots/0001.json");
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
            let text = std::fs::read_to_string(&p).unwrap().replacen("Latitude 7440", "FORGED", 1);
            std::fs::write(&p, text).unwrap();
        }),
        ("evidence/", |case| {
            let e = std::fs::read_dir(case.join("evidence")).unwrap().next().unwrap().unwrap().path();
            std::fs::set_permissions(&e, std::fs::Permissions::from_mode(0o644)).unwrap();
            let mut f = std::fs::OpenOptions::new().append(true).open(&e).unwrap();
            std::io::Write::write_all(&mut f, b" ").unwrap();
        }),
        ("snapshots/0002.json: not recorded", |case| {
            std::fs::copy(case.join("snapshots/0001.json"), case.join("snapshots/0002.json")).unwrap();
        }),
    ];
    for (name, damage) in tamper {
        let (_d, case) = case_with(&["tdesktop-json/modern.json"]);
        damage(&case);
        let a = bin().arg("report").arg(&case).args(["--now", NOW]).assert().code(2);
        let err = stderr_of(&a);
        assert!(err.contains("does not match its custody log") && err.contains(name), "{name}: {err}");
        assert_eq!(std::fs::read_dir(case.join("reports")).unwrap().count(), 0, "no bundle may be written");
    }
}

#[test]
fn day_only_screen_times_are_shown_as_dates() {
    let (_d, case) = case_with(&["transcribed/example/transcription.json"]);
    let html = std::fs::read_to_string(report(&case).join("report.html")).unwrap();
    assert!(html.contains("2026-11-24 (day only, Europe/Berlin)"), "Tue before Thu 26 Nov 2026");
    assert!(!html.contains("2026-11-23 23:00:00 UTC"));
    assert!(html.contains("2026-11-25 21:15 UTC"), "minute precision shown without seconds");
}

#[test]
fn acquisitions_of_different_accounts_are_flagged() {
    let (_d, case) = case_with(&["tdesktop-json/modern.json", "tdesktop-json/export-folder/DataExport_2026-11-25"]);
    let html = std::fs::read_to_string(report(&case).join("report.html")).unwrap();
    assert!(html.contains("The acquisitions name different Telegram accounts"), "mixed accounts must be flagged");
    assert!(!html.contains("+49 30 90182012"), "phone numbers are masked in the pseudonymous report");

    // One carries a user id and username, the other only the same username: the same account.
    let (_d, case) = case_with(&["demo/export/result.json", "demo/screenshots/transcription.json"]);
    let html = std::fs::read_to_string(report(&case).join("report.html")).unwrap();
    assert!(!html.contains("different Telegram accounts"));
}

#[test]
fn the_declared_baseline_is_shown_and_its_edits_are_in_custody() {
    let (_d, case) = case_with(&["tdesktop-json/modern.json"]);
    let toml = std::fs::read_to_string(case.join("case.toml")).unwrap();
    std::fs::write(case.join("case.toml"), toml.replace("# usual_countries = [\"DE\"]", "usual_countries = [\"DE\"]"))
        .unwrap();
    let html = std::fs::read_to_string(report(&case).join("report.html")).unwrap();
    assert!(html.contains("<th>Usual countries</th><td>DE</td>"), "declared value shown");
    assert!(html.contains("<th>Sleeping hours (local)</th><td>not declared</td>"), "undeclared said so");
    let log = std::fs::read_to_string(case.join("custody.jsonl")).unwrap();
    assert!(log.contains("\"action\":\"case-file-changed\""), "{log}");
}

#[test]
fn a_session_seen_in_two_acquisitions_appears_once_with_both_sources_and_their_differences() {
    let (d, case) = case_with(&["tdesktop-json/modern.json"]);
    // A later export of the same account: same sessions, one IP changed.
    let later = d.path().join("later.json");
    let text = std::fs::read_to_string(fixture("tdesktop-json/modern.json")).unwrap();
    assert!(text.contains("203.0.113.24"));
    std::fs::write(&later, text.replacen("203.0.113.24", "198.51.100.77", 1)).unwrap();
    bin().arg("import").arg(&case).arg(&later).args(["--now", NOW]).assert().success();
    let html = std::fs::read_to_string(report(&case).join("report.html")).unwrap();
    let sessions = html.split("id=\"sessions\"").nth(1).unwrap().split("id=\"web-sessions\"").next().unwrap();
    assert_eq!(sessions.matches("<tr>").count(), 4 + 1, "4 sessions once each, plus the header row");
    assert!(sessions.contains("acquisition 1 /sessions/list/0<br>acquisition 2 /sessions/list/0"));
    assert!(sessions.contains("seen in 2 acquisitions: same created time, app and device"));
    assert!(sessions.contains("sources differ: IP: 203.0.113.24 (acquisition 1) vs 198.51.100.77 (acquisition 2)"));
}
