//! `brief.txt` / `brief.html`: the request to Telegram support, its quoted manifest hash, the
//! identity mask, the owner's access, vanished sessions, escaping, and `verify`'s brief check.

use super::util::*;
use std::fs;
use std::path::{Path, PathBuf};

/// The demo case (full baseline, two flagged sessions), reported once at `NOW`.
fn demo() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("demo");
    bin().arg("demo").arg("--out").arg(&out).args(["--now", NOW]).assert().success();
    let case = out.join("case");
    let bundle = only_bundle(&case);
    (d, case, bundle)
}

fn read(p: &Path) -> String {
    fs::read_to_string(p).unwrap()
}

#[test]
fn brief_names_the_flagged_sessions_and_quotes_the_manifest_hash() {
    let (_d, _case, bundle) = demo();
    let txt = read(&bundle.join("brief.txt"));
    let manifest = sessionproof::digest::sha256_hex(&fs::read(bundle.join("manifest.json")).unwrap());
    assert!(txt.contains(&format!("manifest.json sha256 {manifest}")), "{txt}");
    assert!(read(&bundle.join("brief.html")).contains(&manifest));
    for ip in ["3.5.140.2", "185.220.101.4"] {
        assert!(txt.contains(&format!("IP address: “{ip}”")), "{ip} missing:\n{txt}");
    }
    assert!(!txt.contains("93.220.41.17\u{201d}"), "the owner's own sessions are not listed as unrecognised");
    assert!(txt.contains("Created: 2026-11-19 02:12:09 UTC"), "times in UTC:\n{txt}");
    // Pseudonymous by default: the phone number is masked.
    assert!(!txt.contains("90182011") && txt.contains("--reveal-identity"), "{txt}");
    assert!(txt.contains("Preserve the server-side records"));
    // The website log-in the analysis judges act-now is in the brief and what it asks.
    let sites = txt.split("Websites: log-ins with the account that need action now").nth(1).expect("a websites group");
    assert!(sites.contains("“auth.example.org” (bot: “@orgauthbot”)"), "{txt}");
    assert!(txt.contains("Log the account out of the websites listed under “Websites”"), "{txt}");
    // The brief is outside the manifest (it quotes its hash) and the custody log records it.
    let m = read(&bundle.join("manifest.json"));
    assert!(!m.contains("brief.txt"));
    let log = read(&bundle.join("../../custody.jsonl"));
    assert!(log.lines().last().unwrap().contains("brief.txt"));
}

#[test]
fn reveal_identity_and_lost_access_are_stated_and_logged() {
    let (_d, case, _) = demo();
    bin()
        .arg("report")
        .arg(&case)
        .args(["--reveal-identity", "--owner-access", "lost", "--now", "2026-11-26T13:00:00Z"])
        .assert()
        .success();
    let txt = read(&case.join("reports/20261126T130000Z/brief.txt"));
    assert!(txt.contains("+49 30 90182011"), "{txt}");
    assert!(txt.contains("lost access") && txt.contains("Restore the owner's access"), "{txt}");
    let log = read(&case.join("custody.jsonl"));
    assert!(log.lines().last().unwrap().contains("owner access lost; identity revealed"));
}

#[test]
fn vanished_sessions_are_listed_only_when_the_lists_can_be_compared() {
    let (_d, case) = new_case();
    // The first dump's capture time is stated: without it, which was captured first is not known.
    for (f, at) in [
        ("diff/1-telethon-2026-11-20.json", "2026-11-20T10:10:00Z"),
        ("diff/3-telethon-2026-11-23.json", "2026-11-23T10:15:00Z"),
    ] {
        bin().arg("import").arg(&case).arg(fixture(f)).args(["--now", NOW, "--captured-at", at]).assert().success();
    }
    bin().arg("report").arg(&case).args(["--now", NOW]).assert().success();
    let txt = read(&only_bundle(&case).join("brief.txt"));
    let section = txt.split("3. Sessions that vanished").nth(1).unwrap().split("4. What we ask").next().unwrap();
    assert!(section.contains("Helpline laptop") && section.contains("absent from acquisition 2"), "{section}");
    assert_eq!(section.matches("absent from acquisition").count(), 1, "only the one that vanished:\n{section}");
}

#[test]
fn hostile_device_names_are_escaped_in_both_briefs() {
    let (_d, case) = new_case();
    let toml = read(&case.join("case.toml"));
    fs::write(case.join("case.toml"), format!("{toml}\n[[subject.devices]]\nmodel = \"ThinkCentre M70q\"\n")).unwrap();
    bin()
        .arg("import")
        .arg(&case)
        .arg(fixture("tdesktop-json/html-injection.json"))
        .args(["--now", NOW])
        .assert()
        .success();
    bin().arg("report").arg(&case).args(["--now", NOW]).assert().success();
    let bundle = only_bundle(&case);
    let html = read(&bundle.join("brief.html"));
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"), "escaped in HTML");
    assert!(!html.contains("<img"), "never markup");
    let txt = read(&bundle.join("brief.txt"));
    assert!(txt.contains("<img src=x onerror=alert(1)>"), "shown as text:\n{txt}");
    assert!(!txt.chars().any(|c| c.is_control() && c != '\n'), "no control characters reach the text brief");
}

#[test]
fn verify_catches_an_edited_brief() {
    let (_d, _case, bundle) = demo();
    let path = bundle.join("brief.txt");
    let txt = read(&path);
    // Another manifest hash: the brief no longer belongs to this bundle.
    let at = txt.find("manifest.json sha256 ").unwrap() + "manifest.json sha256 ".len();
    let mut forged = txt.clone();
    forged.replace_range(at..at + 1, if &txt[at..at + 1] == "0" { "1" } else { "0" });
    make_writable(&path);
    fs::write(&path, &forged).unwrap();
    let out = bin().arg("verify").arg(&bundle).assert().code(1);
    assert!(stdout_of(&out).contains("brief.txt: quotes manifest sha256"), "{}", stdout_of(&out));
    // Same hash, other words: the case's custody log no longer vouches for it.
    fs::write(&path, txt.replace("What we ask", "What we demand")).unwrap();
    let out = bin().arg("verify").arg(&bundle).assert().code(1);
    assert!(stdout_of(&out).contains("brief.txt: the case's custody log does not record this file"));
    fs::write(&path, &txt).unwrap();
    bin().arg("verify").arg(&bundle).assert().success();
}

fn make_writable(p: &Path) {
    let mut perm = fs::metadata(p).unwrap().permissions();
    #[allow(clippy::permissions_set_readonly_false)]
    perm.set_readonly(false);
    fs::set_permissions(p, perm).unwrap();
}

#[test]
fn a_session_with_one_signal_is_to_be_confirmed_not_reported_as_unrecognised() {
    let (d, case) = new_case();
    let toml = case.join("case.toml");
    let mut text = read(&toml);
    text.push_str("\n[[subject.devices]]\nmodel = \"Pixel 8\"\n");
    text = text.replacen("[subject]\n", "[subject]\nusual_countries = [\"DE\"]\n", 1);
    fs::write(&toml, text).unwrap();
    let csv = d.path().join("sessions.csv");
    fs::write(
        &csv,
        "kind,hash,app_name,app_version,device_model,platform,ip,country,created,last_active\n\
         session,11,Telegram Android,12.1.1,Pixel 8,Android,93.220.41.17,,1795000000,1795200000\n\
         session,22,Telegram iOS,12.1,iPad Air,iOS,93.220.41.17,,1795010000,1795210000\n",
    )
    .unwrap();
    bin().arg("import").arg(&case).arg(&csv).args(["--format", "csv", "--now", NOW]).assert().success();
    bin().arg("report").arg(&case).args(["--now", NOW]).assert().success();
    let bundle = only_bundle(&case);
    let txt = read(&bundle.join("brief.txt"));
    assert!(!txt.contains("Sessions the owner does not recognise") && !txt.contains("Act now"), "{txt}");
    let confirm = txt.split("To be confirmed by the owner").nth(1).expect("a to-be-confirmed group");
    assert!(confirm.contains("iPad Air") && confirm.contains("Unknown device (device-unknown)"), "{txt}");
    assert!(!txt.contains("Terminate the sessions"), "no termination asked on one signal:\n{txt}");
    assert!(txt.contains("Do not act on the sessions under “To be confirmed”"), "{txt}");
    let html = read(&bundle.join("report.html"));
    let first = between(&html, "Ask the owner whether session", "</ol>");
    assert!(first.contains("If any of them is not the owner"), "the owner's answer comes first: {first}");
    assert!(!html.contains("Then, from a phone or computer"), "no dangling “Then”");
}
