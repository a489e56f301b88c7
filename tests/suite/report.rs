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
    assert!(!html.contains(" style="), "no inline style attributes: the CSP allows only the hashed stylesheet");
    // The inline SVG's namespace is a name, not something fetched.
    let fetchable = html.replace("xmlns=\"http://www.w3.org/2000/svg\"", "");
    assert!(html.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""), "the pictures are inline SVG");
    for external in ["http://", "https://", "src=\"//", "url("] {
        assert!(!fetchable.contains(external), "external reference {external}");
    }
    for section in [
        "id=\"web-sessions\"",
        "id=\"security-log\"",
        "id=\"account-signals\"",
        "id=\"baseline\"",
        "id=\"acquisitions\"",
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
fn a_report_dated_before_the_custody_log_writes_nothing() {
    let (_d, case) = case_with(&["tdesktop-json/modern.json"]);
    let before = fingerprint(&case);
    let a = bin().arg("report").arg(&case).args(["--now", "2020-01-01T00:00:00Z"]).assert().code(2);
    let err = stderr_of(&a);
    assert!(err.contains("custody.jsonl") && err.contains("cannot go backwards") && err.contains("--now"), "{err}");
    assert_eq!(before, fingerprint(&case), "no bundle without its custody entry");
}

#[test]
fn report_of_an_empty_case_says_what_to_do() {
    let (_d, case) = new_case();
    let a = bin().arg("report").arg(&case).assert().code(2);
    assert!(stderr_of(&a).contains("nothing imported yet"), "{}", stderr_of(&a));
}

#[test]
fn same_inputs_and_now_give_byte_identical_bundles() {
    for lang in ["en", "fa"] {
        // The machine's zone and locale must not reach the output.
        let run = |tz: &str, locale: &str| {
            let d = tempfile::tempdir().unwrap();
            let out = d.path().join("demo");
            bin()
                .arg("demo")
                .arg("--out")
                .arg(&out)
                .args(["--lang", lang, "--now", NOW])
                .env("TZ", tz)
                .env("LANG", locale)
                .env("LC_ALL", locale)
                .assert()
                .success();
            (d, out)
        };
        let (_a, a) = run("America/New_York", "C");
        let (_b, b) = run("Asia/Tehran", "fa_IR.UTF-8");
        let fa = fingerprint(&a.join("case"));
        for f in ["report.html", "report.pdf", "case-uco.jsonld", "brief.txt", "manifest.json"] {
            assert!(fa.keys().any(|k| k.ends_with(f)), "{f}");
        }
        assert_eq!(fa, fingerprint(&b.join("case")), "{lang}");
    }
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
    assert_eq!(sessions.matches("<tr id=\"row-").count(), 4, "4 sessions once each");
    assert!(
        sessions.contains("<bdi>acquisition 1 /sessions/list/0</bdi><br><bdi>acquisition 2 /sessions/list/0</bdi>")
    );
    assert!(sessions.contains("seen in 2 acquisitions: same created time, app and device"));
    assert!(sessions.contains("sources differ: IP: 203.0.113.24 (acquisition 1) vs 198.51.100.77 (acquisition 2)"));
}

/// The top-level sections of DESIGN §8, in order.
const SECTIONS: [&str; 12] = [
    "cover",
    "summary",
    "sessions",
    "details",
    "pictures",
    "changes",
    "actions",
    "methodology",
    "evidence",
    "custody",
    "verification",
    "data-sources",
];

/// A report in `lang` at `now`; returns its HTML.
fn report_html(case: &Path, lang: &str, now: &str) -> String {
    bin().arg("report").arg(case).args(["--lang", lang, "--now", now]).assert().success();
    let stamp: String = now.chars().filter(|c| !matches!(c, '-' | ':')).collect();
    std::fs::read_to_string(case.join("reports").join(stamp).join("report.html")).unwrap()
}

/// A section of the report by id.
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    between(html, &format!("<section id=\"{id}\""), "</section>")
}

#[test]
fn every_section_is_there_in_order_in_every_language() {
    let (_d, case) = case_with(&["tdesktop-json/modern.json", "transcribed/example/transcription.json"]);
    let languages = [
        ("en", "ltr", ["<h2>3. Sessions</h2>", "<h2>7. Recommended actions</h2>"]),
        ("ru", "ltr", ["<h2>3. Сеансы</h2>", "<h2>7. Рекомендуемые действия</h2>"]),
        ("fa", "rtl", ["<h2>3. نشست‌ها</h2>", "<h2>7. اقدام‌های پیشنهادی</h2>"]),
    ];
    for (i, (lang, dir, headings)) in languages.iter().enumerate() {
        let html = report_html(&case, lang, &format!("2026-11-26T12:0{i}:00Z"));
        assert!(html.contains(&format!("<html lang=\"{lang}\" dir=\"{dir}\">")), "{lang}");
        let at: Vec<usize> = SECTIONS
            .iter()
            .map(|id| html.find(&format!("<section id=\"{id}\"")).unwrap_or_else(|| panic!("{lang}: no section {id}")))
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{lang}: sections out of the order of DESIGN §8: {at:?}");
        for h in headings {
            assert!(html.contains(h), "{lang}: heading {h}");
        }
        assert!(!html.contains('⟦'), "{lang}: a message is missing from the catalogue");
        assert!(!html.contains(" style="), "{lang}: no inline style attribute under the CSP");
        if *lang != "en" {
            for english in [">Recommended actions<", ">Chain of custody<", ">Sessions in detail<", "What to do first"] {
                assert!(!html.contains(english), "{lang}: English left in the report: {english}");
            }
        }
    }
}

#[test]
fn the_timeline_and_the_map_are_inline_svg_with_their_captions_in_every_language() {
    let (_d, case) = case_with(&["tdesktop-json/modern.json", "transcribed/example/transcription.json"]);
    for (i, lang) in ["en", "ru", "fa"].iter().enumerate() {
        let html = report_html(&case, lang, &format!("2026-11-26T12:0{i}:00Z"));
        let pictures = section(&html, "pictures");
        assert_eq!(pictures.matches("<svg ").count(), 2, "{lang}: the timeline and the map");
        assert_eq!(pictures.matches("<figcaption>").count(), 2, "{lang}: each with its caption");
        assert!(pictures.contains("direction=\"ltr\""), "{lang}: the geometry runs left to right");
        assert!(!pictures.contains(" style="), "{lang}: presentation attributes only, under the CSP");
        assert!(!pictures.contains('⟦') && !pictures.contains("⟨U+2068⟩"), "{lang}");
        let lang = lang.parse::<sessionproof::render::i18n::Lang>().unwrap();
        let c = sessionproof::render::i18n::Catalogue::new(lang);
        for key in ["figure.timeline.title", "figure.map.title", "figure.timeline.key_acquisition"] {
            assert!(pictures.contains(&escaped(&c.t(key))), "{}: {key}", lang.code());
        }
        let sources = section(&html, "data-sources");
        assert!(sources.contains("embedded-world-shapes") && sources.contains("Natural Earth"), "map data cited");
        assert!(sources.contains("embedded-world-codes") && sources.contains("i18n-iso-countries"), "codes cited");
    }
}

#[test]
fn persian_is_laid_out_right_to_left_with_data_kept_left_to_right() {
    let (_d, case) = case_with(&["tdesktop-json/modern.json"]);
    let html = report_html(&case, "fa", NOW);
    assert!(html.contains("<html lang=\"fa\" dir=\"rtl\">"));
    assert!(html.contains("<h2>2. خلاصه</h2>"));
    // Addresses, hashes and times are marked left to right inside the right-to-left page.
    assert!(html.contains("<span class=\"mono\" dir=\"ltr\">203.0.113.24</span>"), "an IP in the sessions table");
    assert!(html.contains("<span dir=\"ltr\">2026-11-26 12:00:00 UTC</span>"), "the report's time");
    let evidence = section(&html, "evidence");
    assert!(evidence.contains("<td class=\"mono hash\" dir=\"ltr\">"), "hashes");
    // A value inside a Persian sentence is isolated (U+2068 … U+2069), so it keeps its own order.
    assert!(html.contains("\u{2068}1\u{2069} گردآوری"), "counts in sentences are isolated");
    let css = between(&html, "<style>", "</style>");
    assert!(css.contains("border-inline-start") && !css.contains("border-left"), "logical CSS properties only");
}

#[test]
fn a_hostile_device_name_is_escaped_and_marked_in_the_detail_too() {
    let (d, case) = new_case();
    // A declared device, so the other sessions are judged (and get a detail).
    let toml = std::fs::read_to_string(case.join("case.toml")).unwrap();
    std::fs::write(case.join("case.toml"), format!("{toml}\n[[subject.devices]]\nmodel = \"Latitude 7440\"\n"))
        .unwrap();
    let hostile = format!("<img src=x onerror=alert(1)>\u{202E}evil\u{1b}[2J\u{7}{}", "X".repeat(10_000));
    let text = std::fs::read_to_string(fixture("tdesktop-json/modern.json")).unwrap();
    assert!(text.contains("\"PC 64bit\""));
    let input = d.path().join("hostile.json");
    std::fs::write(&input, text.replacen("\"PC 64bit\"", &serde_json::to_string(&hostile).unwrap(), 1)).unwrap();
    bin().arg("import").arg(&case).arg(&input).args(["--now", NOW]).assert().success();
    for (i, lang) in ["en", "ru", "fa"].iter().enumerate() {
        let html = report_html(&case, lang, &format!("2026-11-26T12:0{i}:00Z"));
        assert!(!html.contains("<img src=x"), "{lang}: markup must be escaped");
        assert!(!html.contains('\u{202E}') && !html.contains('\u{1b}') && !html.contains('\u{7}'), "{lang}");
        let details = section(&html, "details");
        let sessions = section(&html, "sessions");
        for part in [&details, &sessions] {
            assert!(part.contains("&lt;img src=x onerror=alert(1)&gt;⟨U+202E⟩evil⟨U+001B⟩[2J⟨U+0007⟩XXX"), "{lang}");
        }
        let more = match *lang {
            "en" => "… [9,7",
            "ru" => "… [ещё 97",
            _ => "… [\u{2068}97",
        };
        let cut = details.find(more.trim_start_matches("… [").split(',').next().unwrap()).is_some();
        assert!(cut, "{lang}: the 10,000 characters are cut with a note: {more}");
        assert!(!html.contains(&"X".repeat(400)), "{lang}: never shown in full");
    }
}

#[test]
fn a_template_override_that_does_not_parse_names_the_file_and_line_and_writes_nothing() {
    let (d, case) = case_with(&["tdesktop-json/html-injection.json"]);
    let templates = d.path().join("my-templates");
    std::fs::create_dir(&templates).unwrap();
    let run =
        |now: &str| bin().arg("report").arg(&case).arg("--templates").arg(&templates).args(["--now", now]).assert();

    std::fs::write(templates.join("report.html"), "<html>\n<body>\n{% for x in %}\n</body>\n").unwrap();
    let before = fingerprint(&case);
    let err = stderr_of(&run(NOW).code(2));
    let file = templates.join("report.html").display().to_string();
    assert!(err.contains(&format!("rendering {file} failed: line 3, column")), "{err}");
    assert_eq!(fingerprint(&case), before, "nothing is written when a template does not parse");

    std::fs::write(templates.join("report.html"), "<p>\n{{ r.no_such_field }}\n</p>\n").unwrap();
    let err = stderr_of(&run(NOW).code(2));
    assert!(err.contains(&format!("{file} failed: line 2, column")) && err.contains("no_such_field"), "{err}");
    assert_eq!(std::fs::read_dir(case.join("reports")).unwrap().count(), 0, "no bundle");

    // A working override: the user's template and stylesheet, with escaping still on.
    std::fs::write(
        templates.join("report.html"),
        "<style>{{ stylesheet | safe }}</style><h1>{{ r.labels.title }}</h1>\
         {% for s in r.sessions %}<p>{{ s.device }}</p>{% endfor %}",
    )
    .unwrap();
    std::fs::write(templates.join("report.css"), "h1 { color: teal; }").unwrap();
    run(NOW).success();
    let html = std::fs::read_to_string(only_bundle(&case).join("report.html")).unwrap();
    assert!(html.starts_with("<style>h1 { color: teal; }</style><h1>Telegram session incident report</h1>"), "{html}");
    assert!(html.contains("<p>&lt;img src=x onerror=alert(1)&gt;</p>"), "{html}");

    let err = stderr_of(&bin().arg("report").arg(&case).arg("--templates").arg(d.path().join("none")).assert().code(2));
    assert!(err.contains("--templates is not a folder"), "{err}");
}

#[test]
fn the_detail_of_a_suspicious_session_lists_every_signal_with_its_facts() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("demo");
    bin().arg("demo").arg("--out").arg(&out).args(["--now", NOW]).assert().success();
    let bundle = only_bundle(&out.join("case"));
    let html = std::fs::read_to_string(bundle.join("report.html")).unwrap();
    let findings: serde_json::Value =
        serde_json::from_slice(&std::fs::read(bundle.join("findings.json")).unwrap()).unwrap();
    let en = sessionproof::render::Catalogue::new(sessionproof::render::Lang::En);
    // Session 3 of the table is the export's third session: act now.
    let finding = &findings["sessions"][2];
    assert_eq!(finding["verdict"], "act-now");
    let detail = between(&html, "<article class=\"detail\" id=\"session-3\">", "</article>");
    let signals = finding["signals"].as_array().unwrap();
    assert!(signals.len() >= 10);
    let mut facts = 0;
    for s in signals {
        let id = s["id"].as_str().unwrap();
        // A signal that fired or used facts has its row; the others are named in their group's line.
        let row = format!("<span class=\"mono muted\" dir=\"ltr\">{id}</span>");
        if s["status"] == "fired" || !s["facts"].as_object().unwrap().is_empty() {
            assert!(detail.contains(&row), "signal {id}");
        } else {
            assert!(!detail.contains(&row), "signal {id}");
            let title = en.t(&format!("signal.{id}.title"));
            // In the detail, or, when every detailed session shares the outcome, above them all.
            let common = between(&html, "<p class=\"muted small\">The same for every session below", "</ul>");
            let named = |l: &&str| l.contains(&format!("<bdi>{} ({id})</bdi>", escaped(&title)));
            let line = detail.lines().find(named).or_else(|| common.lines().find(named));
            let line = line.unwrap_or_else(|| panic!("signal {id} in a group line:\n{detail}"));
            let status = s["status"].as_str().unwrap();
            assert!(line.starts_with(&format!("<li class=\"signal-{status}\">")), "{line}");
            assert!(line.contains(&escaped(s["reason"].as_str().unwrap())), "{id}: {line}");
        }
        for (key, value) in s["facts"].as_object().unwrap() {
            let label = en.t(&format!("fact.{}", key.replace(' ', "_")));
            let shown = escaped(value.as_str().unwrap());
            let shown: String = shown.chars().take(120).collect();
            assert!(detail.contains(&format!("<dt>{label}</dt><dd><bdi>{shown}")), "{id}: fact {key} = {shown}");
            facts += 1;
        }
    }
    assert!(facts >= 8, "{facts}");
    // Telegram's fields verbatim, and the network facts each with a source.
    for field in [
        "<th class=\"mono\" dir=\"ltr\">device_model</th><td class=\"hash\"><bdi>DESKTOP-7Q2K9LM</bdi></td>",
        "locator",
    ] {
        assert!(detail.contains(field), "{field}");
    }
    assert!(detail.contains(
        "<th>Autonomous system</th><td><bdi>AS16509</bdi></td><td class=\"mono\" dir=\"ltr\">embedded-asn</td>"
    ));
    // A session with no verdict worth a look has no detail; the acquiring session a brief one.
    assert!(!html.contains("id=\"session-1\""));
    let current = between(&html, "<article class=\"detail\" id=\"session-5\">", "</article>");
    assert!(current.contains("only the fields are shown") && !current.contains("class=\"signals\""));
}

/// The story of `fixtures/diff/`: listed, gone after a termination, back two days later.
fn diff_story() -> (tempfile::TempDir, std::path::PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let case = d.path().join("case");
    bin().args(["case", "init"]).arg(&case).args(["--now", "2026-11-19T00:00:00Z"]).assert().success();
    for (input, now) in [
        ("diff/1-telethon-2026-11-20.json", "2026-11-20T10:10:00Z"),
        ("diff/2-export-2026-11-21/DataExport_2026-11-21", "2026-11-21T17:45:00Z"),
        ("diff/3-telethon-2026-11-23.json", "2026-11-23T10:15:00Z"),
    ] {
        bin().arg("import").arg(&case).arg(fixture(input)).args(["--now", now]).assert().success();
    }
    (d, case)
}

#[test]
fn changes_between_acquisitions_show_what_vanished_appeared_and_came_back() {
    let (_d, case) = diff_story();
    let html = report_html(&case, "en", NOW);
    let changes = section(&html, "changes");
    assert_eq!(changes.matches("<table class=\"changes\">").count(), 2, "two pairs, each with changes");
    let row = |kind: &str, session: &str| {
        changes.lines().find(|l| l.contains(&format!("change-{kind}\"")) && l.contains(session)).map(str::to_string)
    };
    let back = row("reappeared", "DESKTOP-R4N5K2P · 198.51.100.77").expect("the reappeared session");
    assert!(back.contains("seen before as acquisition 1 /authorizations/3, absent from acquisition 2"), "{back}");
    assert!(back.contains("matched by same session hash"), "{back}");
    let number: String = back.split("href=\"#row-").nth(1).unwrap().chars().take_while(char::is_ascii_digit).collect();
    assert!(row("vanished", "Helpline laptop").unwrap().contains("consistent with a termination or a log-out"));
    assert!(row("appeared", "Samsung SM-S918B").is_some());
    assert!(changes.contains("2 sessions are in both."));
    // The session table row it links to is act now, and the actions say what that means.
    let table_row = between(&html, &format!("<tr id=\"row-{number}\">"), "</tr>");
    assert!(table_row.contains("verdict-act-now") && table_row.contains("Back after it was gone"), "{table_row}");
    let phone = between(&html, "<tr id=\"action-phone-number\">", "</tr>");
    assert!(phone.contains("action-do") && phone.contains(&format!("Session {number} came back")), "{phone}");
    let urgent = between(&html, "<ol class=\"urgent\">", "</ol>");
    assert!(urgent.find("came back").unwrap() < urgent.find("Terminate").unwrap_or(usize::MAX), "{urgent}");

    let ru = report_html(&case, "ru", "2026-11-26T12:01:00Z");
    assert!(section(&ru, "changes").contains("вернулся"));
}

#[test]
fn recommended_actions_take_their_status_from_the_data() {
    let action = |html: &str, id: &str| between(html, &format!("<tr id=\"action-{id}\">"), "</tr>").to_string();

    // 2FA off.
    let (_d, case) = case_with(&["tl/password-off.bin"]);
    let html = report_html(&case, "en", NOW);
    let two_step = action(&html, "two-step");
    assert!(two_step.contains("action-do") && two_step.contains("Two-step verification is off: turn it on."));
    assert!(action(&html, "recovery-email").contains("With two-step verification off there is no recovery e-mail"));
    assert!(html.contains("Turn on two-step verification"), "among the most urgent actions");
    let web = action(&html, "web-logout");
    assert!(web.contains("action-not-needed") && web.contains("no website logged in with Telegram"), "{web}");

    // 2FA on, nothing pending, inactive sessions ended after 180 days.
    let (d, case) = new_case();
    let mut dump: serde_json::Value =
        serde_json::from_slice(&std::fs::read(fixture("telethon/combined.json")).unwrap()).unwrap();
    let password = dump[2].as_object_mut().unwrap();
    assert_eq!(password["_"], "Password");
    password.insert("pending_reset_date".into(), serde_json::Value::Null);
    password.insert("email_unconfirmed_pattern".into(), serde_json::Value::Null);
    let input = d.path().join("on.json");
    std::fs::write(&input, serde_json::to_vec(&dump).unwrap()).unwrap();
    bin().arg("import").arg(&case).arg(&input).args(["--now", NOW]).assert().success();
    let html = report_html(&case, "en", NOW);
    let two_step = action(&html, "two-step");
    assert!(
        two_step.contains("action-check")
            && two_step.contains("It is on: change the password after a confirmed breach."),
        "{two_step}"
    );
    assert!(action(&html, "recovery-email").contains("A recovery e-mail is set"));
    let ttl = action(&html, "auto-terminate");
    assert!(ttl.contains("action-do") && ttl.contains("after 180 days"), "{ttl}");
    let ru = report_html(&case, "ru", "2026-11-26T12:01:00Z");
    assert!(action(&ru, "two-step").contains("Пароль включён: смените его после подтверждённого взлома."));

    // A pending reset and a new recovery e-mail.
    let (_d, case) = case_with(&["tl/password.bin"]);
    let html = report_html(&case, "en", NOW);
    let two_step = action(&html, "two-step");
    assert!(two_step.contains("action-do") && two_step.contains("scheduled 2026-11-29 14:05:22 UTC"), "{two_step}");
    assert!(action(&html, "recovery-email").contains("r*****@example.net"));

    // No source carries the 2FA state.
    let (_d, case) = case_with(&["tdesktop-json/modern.json"]);
    let html = report_html(&case, "en", NOW);
    assert!(action(&html, "two-step").contains("action-unknown"));
    assert!(action(&html, "auto-terminate").contains("action-unknown"));
    for warning in ["has no undo", "younger than 24 hours cannot terminate"] {
        assert!(section(&html, "actions").contains(warning), "{warning}");
    }
    for path in
        ["Settings › Devices", "Settings › Privacy and Security › Active Sessions", "“Terminate All Other Sessions”"]
    {
        assert!(section(&html, "actions").contains(path), "{path}");
    }
}

#[test]
fn every_signal_and_fact_the_analysis_gives_has_a_name_in_every_language() {
    use sessionproof::render::{Catalogue, Lang};
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("demo");
    bin().arg("demo").arg("--out").arg(&out).args(["--now", NOW]).assert().success();
    let (_a, diff) = diff_story();
    let (_b, tl) = case_with(&["tl/authorizations.bin", "tl/web_authorizations.bin", "tl/password.bin"]);
    let (_c, exports) = case_with(&[
        "tdesktop-json/export-folder/DataExport_2026-11-25",
        "tdesktop-json/html-injection.json",
        "telethon/combined.json",
    ]);
    let mut ids = std::collections::BTreeSet::new();
    let mut facts = std::collections::BTreeSet::new();
    for case in [out.join("case"), diff, tl, exports] {
        let a = bin().arg("analyze").arg(&case).arg("--json").assert().success();
        let v: serde_json::Value = serde_json::from_slice(&a.get_output().stdout).unwrap();
        let analysis = &v["analysis"];
        let lists = [&analysis["sessions"], &analysis["web_sessions"]];
        let signals = lists
            .iter()
            .flat_map(|l| l.as_array().unwrap().iter().flat_map(|f| f["signals"].as_array().unwrap().iter()))
            .chain(analysis["account"].as_array().unwrap().iter());
        for s in signals {
            ids.insert(s["id"].as_str().unwrap().to_string());
            facts.extend(s["facts"].as_object().unwrap().keys().cloned());
        }
    }
    assert!(ids.len() >= 18, "{ids:?}");
    assert!(facts.len() >= 12, "{facts:?}");
    for lang in Lang::ALL {
        let c = Catalogue::new(lang);
        for id in &ids {
            for part in ["title", "meaning"] {
                assert!(c.has(&format!("signal.{id}.{part}")), "{}: signal.{id}.{part}", lang.code());
            }
        }
        for f in &facts {
            assert!(c.has(&format!("fact.{}", f.replace(' ', "_"))), "{}: fact {f}", lang.code());
        }
    }
    // The English rule is the analysis' own; the translations follow it.
    assert_eq!(Catalogue::new(Lang::En).t("methodology.verdict_rule"), sessionproof::analyze::verdict::RULE);
}

#[test]
fn summary_and_actions_read_as_reviewed_in_every_language() {
    let d = tempfile::tempdir().unwrap();
    for lang in ["en", "ru", "fa"] {
        let out = d.path().join(lang);
        bin().arg("demo").arg("--out").arg(&out).args(["--lang", lang, "--now", NOW]).assert().success();
        let html = std::fs::read_to_string(only_bundle(&out.join("case")).join("report.html")).unwrap();
        let text = format!("{}\n{}", section(&html, "summary"), section(&html, "actions"));
        insta::assert_snapshot!(format!("demo_summary_and_actions_{lang}"), text);
    }
}

/// The bundle's own files as its manifest lists them (paths without ../../).
fn own_files(bundle: &Path) -> Vec<String> {
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(bundle.join("manifest.json")).unwrap()).unwrap();
    manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .filter(|p| !p.starts_with("../"))
        .collect()
}

#[test]
fn format_writes_only_the_parts_asked_for_and_says_so_in_custody() {
    let (_d, case) = case_with(&["tdesktop-json/modern.json"]);
    let always = ["case.toml", "custody.jsonl", "VERIFY.txt"];
    for (i, (format, own, briefs)) in [
        ("json", vec!["findings.json", "enrichment.json"], false),
        ("pdf,brief", vec!["report.pdf"], true),
        ("case-uco,html", vec!["report.html", "case-uco.jsonld"], false),
        ("brief", vec![], true),
    ]
    .into_iter()
    .enumerate()
    {
        let now = format!("2026-11-26T12:00:0{i}Z");
        bin().arg("report").arg(&case).args(["--format", format, "--now", &now]).assert().success();
        let bundle = case.join("reports").join(format!("20261126T12000{i}Z"));
        let mut expected: Vec<String> = own.iter().chain(&always).map(|s| s.to_string()).collect();
        assert_eq!(own_files(&bundle), expected, "{format}");
        expected.extend(["manifest.json", "SHA256SUMS", "manifest.json.tsq"].map(String::from));
        if briefs {
            expected.extend(["brief.txt", "brief.html"].map(String::from));
        }
        let mut on_disk: Vec<String> = std::fs::read_dir(&bundle)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        on_disk.sort();
        expected.sort();
        assert_eq!(on_disk, expected, "{format}");
        bin().arg("verify").arg(&bundle).assert().success();
        let log = std::fs::read_to_string(case.join("custody.jsonl")).unwrap();
        let entry: serde_json::Value = serde_json::from_str(log.lines().last().unwrap()).unwrap();
        let note = entry["note"].as_str().unwrap();
        let canonical = ["html", "pdf", "json", "brief", "case-uco"]
            .into_iter()
            .filter(|p| format.split(',').any(|f| f == *p))
            .collect::<Vec<_>>()
            .join(",");
        assert!(note.ends_with(&format!("; parts {canonical}")), "{note}");
        let outputs: Vec<&str> =
            entry["outputs"].as_array().unwrap().iter().map(|o| o["path"].as_str().unwrap()).collect();
        assert_eq!(outputs.len(), expected.len() - 1, "every file but SHA256SUMS: {outputs:?}");
        if briefs {
            let brief = std::fs::read_to_string(bundle.join("brief.txt")).unwrap();
            let pdf = own.contains(&"report.pdf");
            assert_eq!(brief.contains("The attached report (report.pdf)"), pdf, "{brief}");
            assert!(!brief.contains("report.html"), "{brief}");
        }
    }
}

#[test]
fn format_refuses_unknown_parts_and_options_for_parts_it_does_not_write() {
    let (_d, case) = case_with(&["tdesktop-json/modern.json"]);
    let before = fingerprint(&case);
    let a = bin().arg("report").arg(&case).args(["--format", "html,docx", "--now", NOW]).assert().code(2);
    let err = stderr_of(&a);
    assert!(err.contains("docx") && err.contains("html, pdf, json, brief, case-uco"), "{err}");
    for (args, flag, fix) in [
        (&["--format", "html", "--paper", "letter"][..], "--paper", "add pdf to --format"),
        (&["--format", "json", "--lang", "ru"][..], "--lang", "add html or pdf to --format"),
        (&["--format", "pdf", "--owner-access", "lost"][..], "--owner-access", "add brief to --format"),
        (&["--format", "pdf,json", "--templates", "."][..], "--templates", "add html to --format"),
    ] {
        let a = bin().arg("report").arg(&case).args(args).args(["--now", NOW]).assert().code(2);
        let err = stderr_of(&a);
        assert!(err.contains(flag) && err.contains(fix) && err.contains("leave"), "{err}");
    }
    assert_eq!(before, fingerprint(&case), "nothing written");
}

#[test]
fn rows_too_bare_to_match_are_marked_as_possibly_the_same_session() {
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("demo");
    bin().arg("demo").arg("--out").arg(&out).args(["--now", NOW]).assert().success();
    let html = std::fs::read_to_string(only_bundle(&out.join("case")).join("report.html")).unwrap();
    // The intruder's Desktop in the export (row 3) and on the screenshots (row 7): nothing to
    // match them by, so both rows say they may be one session; nothing is merged.
    let row = |n: usize| between(&html, &format!("<tr id=\"row-{n}\">"), "</tr>").to_string();
    assert!(row(3).contains("possibly the same session as row 7"), "{}", row(3));
    assert!(row(7).contains("possibly the same session as row 3"), "{}", row(7));
    assert!(html.contains("8 sessions"), "the count is unchanged: nothing is merged on a guess");
    let brief = std::fs::read_to_string(only_bundle(&out.join("case")).join("brief.txt")).unwrap();
    let c = brief.split("   Session C ").nth(1).unwrap().split("   Session D ").next().unwrap();
    assert!(c.contains("Possibly the same session as Session A"), "{brief}");
}
