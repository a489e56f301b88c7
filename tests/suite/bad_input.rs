//! The bad-input catalogue (docs/bad-input.md): every way an input, a case folder or a bundle
//! can be wrong, through the real binary. A refusal exits with the documented code and one line
//! naming the file, the record and the fix, never a panic, and leaves the case exactly as it
//! was (paths, bytes, modes, links; no temporary file left). An oddity that is accepted is read
//! as DESIGN says and noted where it is. Test names are the catalogue's case names.

use super::util::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Output;

// ---------------------------------------------------------------------------------------------
// Helpers

/// What one path in a folder is: enough to tell any change apart.
#[derive(Debug, PartialEq, Eq)]
enum Entry {
    Dir { mode: u32 },
    File { mode: u32, sha256: String },
    Link { target: PathBuf },
    Other { mode: u32 },
}

/// Every path under `dir`, hidden ones included, links not followed; empty when `dir` is absent.
fn tree(dir: &Path) -> BTreeMap<String, Entry> {
    use std::os::unix::fs::MetadataExt;
    fn walk(root: &Path, dir: &Path, out: &mut BTreeMap<String, Entry>) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            let rel = p.strip_prefix(root).unwrap().to_string_lossy().into_owned();
            let meta = std::fs::symlink_metadata(&p).unwrap();
            let mode = meta.mode() & 0o7777;
            let entry = if meta.file_type().is_symlink() {
                Entry::Link { target: std::fs::read_link(&p).unwrap() }
            } else if meta.is_dir() {
                walk(root, &p, out);
                Entry::Dir { mode }
            } else if meta.is_file() {
                Entry::File { mode, sha256: sessionproof::digest::sha256_file(&p).unwrap().0 }
            } else {
                Entry::Other { mode }
            };
            out.insert(rel, entry);
        }
    }
    let mut out = BTreeMap::new();
    if dir.is_dir() {
        walk(dir, dir, &mut out);
    }
    out
}

fn no_panic(stderr: &str) {
    for text in ["panicked at", "RUST_BACKTRACE", "stack backtrace"] {
        assert!(!stderr.contains(text), "a panic, not a message: {stderr}");
    }
}

/// Runs `cmd`, expecting a refusal: exit `code`, one stderr line "error: …" holding every
/// fragment, no panic, and `case` exactly as before. Returns the message.
fn refused(case: &Path, cmd: &mut assert_cmd::Command, code: i32, fragments: &[&str]) -> String {
    let before = tree(case);
    let existed = case.exists();
    let out = cmd.output().unwrap();
    check_refusal(&out, code, fragments);
    assert_eq!(case.exists(), existed, "{case:?} must not be created or removed");
    assert_eq!(tree(case), before, "the case must be exactly as it was");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn check_refusal(out: &Output, code: i32, fragments: &[&str]) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(code), "exit code; stderr: {err}");
    no_panic(&err);
    assert!(err.starts_with("error: ") && err.trim_end().lines().count() == 1, "one line \"error: …\": {err}");
    for f in fragments {
        assert!(err.contains(f), "the message lacks {f:?}: {err}");
    }
}

/// A case and a folder for inputs beside it.
struct Bench {
    dir: tempfile::TempDir,
    case: PathBuf,
}

impl Bench {
    fn new() -> Bench {
        let (dir, case) = new_case();
        std::fs::create_dir(dir.path().join("in")).unwrap();
        Bench { dir, case }
    }

    /// Writes an input file beside the case.
    fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.dir.path().join("in").join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    fn import(&self, input: &Path) -> assert_cmd::Command {
        let mut c = bin();
        c.arg("import").arg(&self.case).arg(input).args(["--now", NOW]);
        c
    }

    /// Imports `input`, which must be accepted and preserved byte for byte; the new snapshot.
    fn imported(&self, input: &Path) -> serde_json::Value {
        let out = self.import(input).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        no_panic(&err);
        assert!(out.status.success(), "{input:?} must be accepted: {err}");
        let text = String::from_utf8_lossy(&out.stdout);
        let rel = text.split("-> ").nth(1).unwrap().lines().next().unwrap().trim();
        let snapshot: serde_json::Value = serde_json::from_slice(&std::fs::read(self.case.join(rel)).unwrap()).unwrap();
        let original = std::fs::read(input).unwrap();
        let sha = sessionproof::digest::sha256_hex(&original);
        assert_eq!(snapshot["source"]["sha256"], sha);
        let stored = std::fs::read_dir(self.case.join("evidence"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(&sha))
            .expect("the original is in evidence/");
        assert_eq!(std::fs::read(stored).unwrap(), original, "kept byte for byte");
        let names = tree(&self.case);
        assert!(names.keys().all(|k| !k.contains(".tmp-") && !k.contains(".partial-")), "no temporary file: {names:?}");
        snapshot
    }

    fn analyze_json(&self) -> serde_json::Value {
        let a = bin().arg("analyze").arg(&self.case).arg("--json").args(["--now", NOW]).assert().success();
        serde_json::from_slice(&a.get_output().stdout).unwrap()
    }
}

/// `parse` of `input` (with extra arguments), which must succeed; the snapshot.
fn parsed(input: &Path, extra: &[&str]) -> serde_json::Value {
    let now = if extra.contains(&"--now") { &[][..] } else { &["--now", NOW][..] };
    let out = bin().arg("parse").arg(input).args(now).args(extra).output().unwrap();
    no_panic(&String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// True when the snapshot holds a warning whose locator contains `at` and message contains `says`.
fn warns(snapshot: &serde_json::Value, at: &str, says: &str) -> bool {
    snapshot["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w["locator"].as_str().unwrap().contains(at) && w["message"].as_str().unwrap().contains(says))
}

/// A Telegram Desktop JSON export with one session; cases replace parts of its text.
const EXPORT: &str = r#"{
 "personal_information": {
  "user_id": 6839104527,
  "phone_number": "+49 30 90182012"
 },
 "sessions": {
  "about": "Session details are kept so that Settings > Privacy & Security > Active Sessions can list them.",
  "list": [
   {
    "last_active": "2026-11-24T20:05:33",
    "last_active_unixtime": "1795547133",
    "last_ip": "203.0.113.24",
    "last_country": "Germany",
    "last_region": "Berlin",
    "application_name": "Telegram Desktop",
    "application_version": "5.16.4 x64",
    "device_model": "Latitude 7440",
    "platform": "Windows",
    "system_version": "11",
    "created": "2026-03-10T09:14:02",
    "created_unixtime": "1773130442"
   }
  ]
 }
}
"#;

/// Telegram Desktop's HTML page of another section of the export.
const CONTACTS_HTML: &str = r#"<!DOCTYPE html>
<html>
 <head>
  <meta charset="utf-8"/>
<title>Exported Data</title>
 </head>
 <body>
  <div class="page_wrap">
   <div class="page_header">
     <div class="text bold">
Contacts
     </div>
   </div>
   <div class="page_body list_page">
    <div class="entry_list">
     <div class="entry clearfix">
      <div class="body">
       <div class="name bold">
Erika Mustermann
       </div>
       <div class="details_entry details">
+49 30 90182012
       </div>
      </div>
     </div>
    </div>
   </div>
  </div>
 </body>
</html>
"#;

fn export_with(from: &str, to: &str) -> String {
    assert!(EXPORT.contains(from), "{from}");
    EXPORT.replacen(from, to, 1)
}

fn sessions_html() -> Vec<u8> {
    std::fs::read(fixture("tdesktop-html/export/lists/sessions.html")).unwrap()
}

fn sessions_csv() -> Vec<u8> {
    std::fs::read(fixture("csv/sessions.csv")).unwrap()
}

fn replace(bytes: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let i = bytes.windows(from.len()).position(|w| w == from).expect("the text to replace");
    [&bytes[..i], to, &bytes[i + from.len()..]].concat()
}

/// A TL `string`: a length byte (or 0xfe and three), the bytes, zero padding to 4.
fn tl_string(s: &[u8]) -> Vec<u8> {
    let mut out = vec![s.len() as u8];
    out.extend_from_slice(s);
    out.resize(out.len().div_ceil(4) * 4, 0);
    out
}

/// `account.authorizations` with one `authorization` per device name (hash 1000 + index).
fn tl_authorizations(devices: &[&[u8]], date_created: i32) -> Vec<u8> {
    let mut b = Vec::new();
    b.extend_from_slice(&0x4bff_8ea0u32.to_le_bytes());
    b.extend_from_slice(&180i32.to_le_bytes());
    b.extend_from_slice(&0x1cb5_c415u32.to_le_bytes());
    b.extend_from_slice(&(devices.len() as i32).to_le_bytes());
    for (i, device) in devices.iter().enumerate() {
        b.extend_from_slice(&0xad01_d61du32.to_le_bytes());
        b.extend_from_slice(&2u32.to_le_bytes()); // official_app
        b.extend_from_slice(&(1000 + i as i64).to_le_bytes());
        b.extend(tl_string(device));
        b.extend(tl_string(b"Android"));
        b.extend(tl_string(b"SDK 35"));
        b.extend_from_slice(&6i32.to_le_bytes());
        b.extend(tl_string(b"Telegram Android"));
        b.extend(tl_string(b"12.1.1"));
        b.extend_from_slice(&date_created.to_le_bytes());
        b.extend_from_slice(&1_795_547_133i32.to_le_bytes());
        b.extend(tl_string(b"203.0.113.7"));
        b.extend(tl_string(b"Germany"));
        b.extend(tl_string(b"Berlin"));
    }
    b
}

// ---------------------------------------------------------------------------------------------
// Encodings: invalid UTF-8, NUL bytes, \xHH escapes, UTF-16, byte-order marks, line endings

#[test]
fn invalid_utf8_in_desktop_json_is_kept_and_warned() {
    let b = Bench::new();
    let input = b.file("result.json", replace(EXPORT.as_bytes(), b"Latitude", b"Lati\xff\xfetude"));
    let s = b.imported(&input);
    assert_eq!(s["sessions"][0]["device_model"], "Lati\u{FFFD}\u{FFFD}tude 7440");
    assert!(warns(&s, "line 17, column 26", "invalid UTF-8; shown as U+FFFD"), "{}", s["warnings"]);
}

#[test]
fn invalid_utf8_in_desktop_html_is_kept_and_warned() {
    let b = Bench::new();
    let input = b.file("sessions.html", replace(&sessions_html(), b"ThinkCentre", b"Think\xffCentre"));
    let s = b.imported(&input);
    assert_eq!(s["sessions"][0]["device_model"], "Think\u{FFFD}Centre-M70q");
    assert!(warns(&s, "line 63", "invalid UTF-8; shown as U+FFFD"), "{}", s["warnings"]);
}

#[test]
fn invalid_utf8_in_a_transcription_is_refused_naming_line_and_column() {
    let b = Bench::new();
    let folder = b.dir.path().join("in/screenshots");
    std::fs::create_dir(&folder).unwrap();
    for e in std::fs::read_dir(fixture("transcribed/example")).unwrap() {
        let p = e.unwrap().path();
        std::fs::copy(&p, folder.join(p.file_name().unwrap())).unwrap();
    }
    // Typed by a person, a transcription is read strictly, like a CSV: the transcriber fixes it.
    let t = folder.join("transcription.json");
    std::fs::write(&t, replace(&std::fs::read(&t).unwrap(), b"\"Pixel 8\"", b"\"Pixel \xc3\"")).unwrap();
    let fix = ["transcription.json: line 29, column 24: not UTF-8 text; save the transcription as UTF-8"];
    refused(&b.case, &mut b.import(&t), 2, &fix);
    refused(&b.case, &mut b.import(&folder), 2, &fix);
}

#[test]
fn invalid_utf8_in_a_tl_string_is_kept_and_warned() {
    let b = Bench::new();
    let input = b.file("authorizations.bin", tl_authorizations(&[b"Pixel \xff8"], 1_740_913_519));
    let s = b.imported(&input);
    assert_eq!(s["method"], "tl");
    assert_eq!(s["sessions"][0]["device_model"], "Pixel \u{FFFD}8");
    assert!(
        warns(&s, "bytes 32..44", "device_model of authorization#ad01d61d is not valid UTF-8"),
        "{}",
        s["warnings"]
    );
}

#[test]
fn invalid_utf8_in_a_library_dump_is_kept_and_warned() {
    let b = Bench::new();
    let dump = std::fs::read(fixture("telethon/sessions.json")).unwrap();
    let s = b.imported(&b.file("telethon.json", replace(&dump, b"ThinkPad T14", b"ThinkPad \xffT14")));
    assert_eq!(s["method"], "telethon-json");
    assert_eq!(s["sessions"][0]["device_model"], "ThinkPad \u{FFFD}T14 Gen 3");
    assert!(warns(&s, "line 1, column ", "invalid UTF-8; shown as U+FFFD"), "{}", s["warnings"]);
}

#[test]
fn invalid_utf8_in_csv_is_refused_naming_the_row() {
    let b = Bench::new();
    let input = b.file("sessions.csv", replace(&sessions_csv(), b"Pixel 8", b"Pix\xe9l 8"));
    refused(&b.case, &mut b.import(&input), 2, &["sessions.csv: row 2: not UTF-8 text", "save the list as UTF-8"]);
}

#[test]
fn invalid_utf8_in_case_toml_is_refused_naming_the_byte() {
    let b = Bench::new();
    let toml = b.case.join("case.toml");
    std::fs::write(&toml, b"[case]\nid = \"HL-1\"\nexaminer = \"A. Resp\xf6nder\"\n").unwrap();
    let input = b.file("result.json", EXPORT);
    refused(&b.case, &mut b.import(&input), 2, &["case.toml: byte 38: not UTF-8 text; save case.toml as UTF-8"]);
}

#[test]
fn nul_byte_in_json_is_refused_naming_the_byte() {
    let b = Bench::new();
    // Past the first 4 KiB, where a look at the head alone would miss it.
    let padded = export_with("\"about\": \"", &format!("\"about\": \"{}", "x".repeat(5000)));
    let at = padded.find("Latitude").unwrap();
    let input = b.file("result.json", replace(padded.as_bytes(), b"Latitude", b"Lat\0itude"));
    let byte = format!("result.json: byte {}: a NUL byte", at + 3);
    refused(&b.case, &mut b.import(&input), 2, &[&byte, "binary file (or a damaged one), not text"]);
}

#[test]
fn nul_byte_in_csv_is_refused_naming_the_byte() {
    let b = Bench::new();
    let csv = sessions_csv();
    let at = csv.windows(7).position(|w| w == b"Pixel 8").unwrap();
    let input = b.file("sessions.csv", replace(&csv, b"Pixel 8", b"\0ixel 8"));
    refused(&b.case, &mut b.import(&input), 2, &[&format!("sessions.csv: byte {at}: a NUL byte"), "not text"]);
}

#[test]
fn escaped_nul_in_a_json_string_is_kept_and_marked() {
    let b = Bench::new();
    let s = b.imported(&b.file("result.json", export_with("Latitude 7440", "Latitude\\u0000 7440")));
    assert_eq!(s["sessions"][0]["device_model"], "Latitude\u{0} 7440");
    assert!(warns(&s, "/sessions/list/0/device_model", "shown marked as Latitude⟨U+0000⟩ 7440"), "{}", s["warnings"]);
}

#[test]
fn malformed_xhh_escape_in_json_is_refused_naming_line_and_column() {
    let b = Bench::new();
    let input = b.file("result.json", export_with("Latitude 7440", "Latitude\\xZZ"));
    refused(
        &b.case,
        &mut b.import(&input),
        2,
        &["result.json: line 17, column 30: not readable as JSON (invalid escape '\\x': expected two hex digits)"],
    );
}

#[test]
fn xhh_escape_in_json_is_read_as_the_control_byte() {
    let b = Bench::new();
    let s = b.imported(&b.file("result.json", export_with("Latitude 7440", "Latitude\\x1B[2J")));
    assert_eq!(s["sessions"][0]["device_model"], "Latitude\u{1b}[2J");
    assert!(warns(&s, "line 17, column 30", "control byte written as \\x1B"), "{}", s["warnings"]);
    // The terminal never receives the raw escape.
    let out = stdout_of(&bin().arg("analyze").arg(&b.case).args(["--now", NOW]).assert().success());
    assert!(!out.contains('\u{1b}') && out.contains("Latitude⟨U+001B⟩[2J"), "{out}");
}

#[test]
fn xhh_text_in_html_is_kept_literally() {
    let b = Bench::new();
    let s = b.imported(&b.file("sessions.html", replace(&sessions_html(), b"ThinkCentre", b"Think\\x1bCentre")));
    assert_eq!(s["sessions"][0]["device_model"], "Think\\x1bCentre-M70q", "HTML has no \\x escapes: text as written");
}

#[test]
fn utf16_json_is_refused_with_save_as_utf8() {
    let b = Bench::new();
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(EXPORT.encode_utf16().flat_map(u16::to_le_bytes));
    let input = b.file("result.json", bytes);
    refused(&b.case, &mut b.import(&input), 2, &["result.json: this is UTF-16LE text", "save it again as UTF-8"]);
}

#[test]
fn utf16_csv_without_bom_is_refused_with_save_as_utf8() {
    let b = Bench::new();
    let text = String::from_utf8(sessions_csv()).unwrap();
    let input = b.file("sessions.csv", text.encode_utf16().flat_map(u16::to_be_bytes).collect::<Vec<u8>>());
    refused(&b.case, &mut b.import(&input), 2, &["sessions.csv: this is UTF-16BE text", "save it again as UTF-8"]);
}

#[test]
fn bom_and_whitespace_only_file_is_refused_as_empty() {
    let b = Bench::new();
    let input = b.file("result.json", b"\xEF\xBB\xBF \r\n\t\n");
    refused(&b.case, &mut b.import(&input), 2, &["result.json: the file is empty; expected a Telegram Desktop export"]);
    let only_bom = b.file("bom.json", b"\xEF\xBB\xBF");
    refused(&b.case, &mut b.import(&only_bom), 2, &["bom.json: the file is empty (only a byte-order mark)"]);
}

#[test]
fn zero_byte_file_is_refused_as_empty() {
    let b = Bench::new();
    let input = b.file("sessions.csv", b"");
    refused(&b.case, &mut b.import(&input), 2, &["sessions.csv: the file is empty", "a sessions CSV"]);
}

#[test]
fn crlf_json_reads_like_lf() {
    let d = tempfile::tempdir().unwrap();
    let lf = d.path().join("lf.json");
    let crlf = d.path().join("crlf.json");
    std::fs::write(&lf, EXPORT).unwrap();
    std::fs::write(&crlf, EXPORT.replace('\n', "\r\n")).unwrap();
    let (a, b) = (parsed(&lf, &[]), parsed(&crlf, &[]));
    assert_eq!(a["sessions"], b["sessions"]);
    assert_eq!(a["warnings"], b["warnings"]);
}

#[test]
fn crlf_html_reads_like_lf() {
    let d = tempfile::tempdir().unwrap();
    let lf = d.path().join("sessions.html");
    std::fs::write(&lf, sessions_html()).unwrap();
    let crlf = d.path().join("crlf.html");
    std::fs::write(&crlf, String::from_utf8(sessions_html()).unwrap().replace('\n', "\r\n")).unwrap();
    let (a, b) = (parsed(&lf, &[]), parsed(&crlf, &[]));
    assert_eq!(a["sessions"].as_array().unwrap().len(), 6);
    assert_eq!(a["sessions"], b["sessions"]);
}

// ---------------------------------------------------------------------------------------------
// Structure: nesting, truncation, wrong shapes, CSV columns, TL lengths

#[test]
fn deeply_nested_json_arrays_are_refused_without_stack_overflow() {
    let b = Bench::new();
    let input = b.file("result.json", "[".repeat(100_000));
    refused(&b.case, &mut b.import(&input), 2, &["result.json: line 1, column 129", "nesting deeper than 128 levels"]);
}

#[test]
fn deeply_nested_json_objects_are_refused_without_stack_overflow() {
    let b = Bench::new();
    let input = b.file("result.json", format!("{}1{}", "{\"sessions\":".repeat(100_000), "}".repeat(100_000)));
    refused(&b.case, &mut b.import(&input), 2, &["result.json: line 1, column 1537", "nesting deeper than 128 levels"]);
}

#[test]
fn deeply_nested_html_is_refused_without_stack_overflow() {
    let b = Bench::new();
    let html = sessions_html();
    let nested = [&b"<div>".repeat(100_000)[..], &b"</div>".repeat(100_000)].concat();
    let input = b.file(
        "sessions.html",
        replace(&html, b"<div class=\"body\">", &[&nested[..], b"<div class=\"body\">"].concat()),
    );
    refused(&b.case, &mut b.import(&input), 2, &["sessions.html: line 56: tags nested more than 1000 deep"]);
}

#[test]
fn deeply_nested_case_toml_is_refused_without_stack_overflow() {
    let b = Bench::new();
    let toml =
        format!("[case]\nid = \"HL-1\"\n[subject]\nusual_countries = {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
    std::fs::write(b.case.join("case.toml"), toml).unwrap();
    refused(&b.case, bin().args(["case", "show"]).arg(&b.case), 2, &["case.toml: line 4:", "max recursion depth met"]);
}

#[test]
fn truncated_json_is_refused_naming_the_line() {
    let b = Bench::new();
    let input = b.file("result.json", &EXPORT[..EXPORT.find("\"platform\"").unwrap()]);
    refused(
        &b.case,
        &mut b.import(&input),
        2,
        &["result.json: line 18, column 5", "found end of input (truncated file?)"],
    );
}

#[test]
fn truncated_html_is_refused_naming_the_entry() {
    let b = Bench::new();
    let html = sessions_html();
    let input = b.file("sessions.html", &html[..html.len() / 2]);
    refused(
        &b.case,
        &mut b.import(&input),
        2,
        &["sessions.html: line 140: the file ends inside entry 3", "import a complete copy"],
    );
}

#[test]
fn json_whose_top_level_is_not_an_object_is_refused() {
    let b = Bench::new();
    for (name, text) in [("list.json", "[1, 2, 3]"), ("text.json", "\"sessions\""), ("number.json", "42")] {
        let input = b.file(name, text);
        refused(
            &b.case,
            &mut b.import(&input),
            2,
            &[name, "valid JSON, but not a format sessionproof knows", "expected"],
        );
    }
}

#[test]
fn html_page_of_another_export_section_is_refused() {
    let b = Bench::new();
    let input = b.file("contacts.html", CONTACTS_HTML);
    refused(
        &b.case,
        &mut b.import(&input),
        2,
        &[
            "contacts.html: div.page_header: this is Telegram Desktop's \"Contacts\" page, not a list of sessions",
            "\"Active sessions\" ticked",
        ],
    );
}

#[test]
fn csv_row_with_a_missing_column_is_refused_naming_the_row() {
    let b = Bench::new();
    let input = b.file(
        "sessions.csv",
        "kind,device_model,app_name,ip\nsession,Pixel 8,Telegram Android,203.0.113.7\nsession,iPad\n",
    );
    refused(
        &b.case,
        &mut b.import(&input),
        2,
        &["sessions.csv: row 3: 2 cells, but the header names 4 columns", "leave unknown ones empty"],
    );
}

#[test]
fn csv_row_with_extra_columns_is_refused_naming_the_row() {
    let b = Bench::new();
    let input = b.file(
        "sessions.csv",
        "kind,device_model,app_name,ip\nsession,Pixel 8,Telegram Android,203.0.113.7,extra,more\n",
    );
    refused(&b.case, &mut b.import(&input), 2, &["sessions.csv: row 2: 6 cells, but the header names 4 columns"]);
}

#[test]
fn csv_quoted_newline_is_kept_in_the_cell_and_marked() {
    let b = Bench::new();
    let s = b.imported(
        &b.file("sessions.csv", "kind,device_model,ip\nsession,\"Pixel\n8\",203.0.113.7\nsession,iPad,198.51.100.4\n"),
    );
    assert_eq!(s["sessions"][0]["device_model"], "Pixel\n8");
    assert!(warns(&s, "row 2/device_model", "Pixel⟨U+000A⟩8"), "{}", s["warnings"]);
    assert_eq!(s["sessions"][1]["locator"], "row 4", "the next record starts on line 4");
}

#[test]
fn tl_string_length_past_the_end_is_refused_naming_the_byte() {
    let b = Bench::new();
    let mut body = tl_authorizations(&[b"Pixel 8"], 1_740_913_519);
    body.truncate(32);
    body.extend_from_slice(&[0xfe, 0xff, 0xff, 0xff, b'P', b'i', b'x', 0]);
    let input = b.file("authorizations.bin", body);
    refused(
        &b.case,
        &mut b.import(&input),
        2,
        &["authorizations.bin: byte 32: input ends inside device_model of authorization#ad01d61d"],
    );
}

#[test]
fn tl_vector_count_too_large_is_refused_naming_the_byte() {
    let b = Bench::new();
    let mut body = tl_authorizations(&[b"Pixel 8"], 1_740_913_519);
    body[12..16].copy_from_slice(&i32::MAX.to_le_bytes());
    let input = b.file("authorizations.bin", body);
    refused(
        &b.case,
        &mut b.import(&input),
        2,
        &["authorizations.bin: byte 12: authorizations of account.authorizations#4bff8ea0 claims 2147483647 items"],
    );
}

#[test]
fn tl_body_cut_short_is_refused_naming_the_byte() {
    let b = Bench::new();
    let body = tl_authorizations(&[b"Pixel 8"], 1_740_913_519);
    let input = b.file("authorizations.bin", &body[..body.len() - 6]);
    refused(
        &b.case,
        &mut b.import(&input),
        2,
        &["authorizations.bin: byte ", "input ends inside region of authorization#ad01d61d (truncated capture?"],
    );
}

// ---------------------------------------------------------------------------------------------
// Size

#[test]
fn input_of_200_mb_is_refused_before_it_is_read() {
    let b = Bench::new();
    let input = b.dir.path().join("in/result.json");
    let f = std::fs::File::create(&input).unwrap();
    f.set_len(200_000_000).unwrap(); // sparse: no disk, no time
    let before = std::fs::metadata(&input).unwrap().modified().unwrap();
    let started = std::time::Instant::now();
    let fix = [
        "result.json: 200.0 MB, more than the 64 MB sessionproof reads",
        "nothing was stored",
        "sessionproof attach CASE FILE",
    ];
    refused(&b.case, &mut b.import(&input), 2, &fix);
    refused(&b.case, bin().arg("parse").arg(&input), 2, &fix);
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "refused before reading: {:?}", started.elapsed());
    assert_eq!(std::fs::metadata(&input).unwrap().len(), 200_000_000);
    assert_eq!(std::fs::metadata(&input).unwrap().modified().unwrap(), before, "the original is never touched");
}

#[test]
fn key_and_template_files_far_too_large_are_refused_unread() {
    let b = Bench::new();
    b.import(&fixture("tdesktop-json/modern.json")).assert().success();
    // A device that never ends, given as the signing key: refused after 64 kB, not read forever.
    let started = std::time::Instant::now();
    refused(
        &b.case,
        bin().arg("report").arg(&b.case).args(["--sign", "/dev/zero"]),
        2,
        &[
            "/dev/zero: is over 64000 bytes, more than a minisign secret key can be",
            "so it was not read: check the path",
        ],
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "refused unread: {:?}", started.elapsed());
    let templates = b.dir.path().join("in/templates");
    std::fs::create_dir(&templates).unwrap();
    std::fs::File::create(templates.join("report.html")).unwrap().set_len(200_000_000).unwrap();
    refused(
        &b.case,
        bin().arg("report").arg(&b.case).arg("--templates").arg(&templates),
        2,
        &["report.html: is 200000000 bytes, more than a template can be (16000000 bytes at most)"],
    );
}

#[test]
fn folder_holding_a_200_mb_json_is_not_read() {
    let b = Bench::new();
    let folder = b.dir.path().join("in/export");
    std::fs::create_dir(&folder).unwrap();
    std::fs::File::create(folder.join("huge.json")).unwrap().set_len(200_000_000).unwrap();
    let started = std::time::Instant::now();
    refused(&b.case, &mut b.import(&folder), 2, &["export: this folder holds neither a Telegram Desktop export"]);
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
}

#[test]
fn device_name_of_1_mb_is_kept_and_clipped_on_the_terminal() {
    let b = Bench::new();
    let name = "A".repeat(1 << 20);
    let s = b.imported(&b.file("result.json", export_with("Latitude 7440", &name)));
    assert_eq!(s["sessions"][0]["device_model"].as_str().unwrap().len(), 1 << 20, "kept whole in the snapshot");
    let out = stdout_of(&bin().arg("analyze").arg(&b.case).arg("-v").args(["--now", NOW]).assert().success());
    assert!(out.lines().filter(|l| l.contains("AAAA")).all(|l| l.chars().count() < 200), "clipped on the terminal");
    assert!(out.contains(&format!("{}…", "A".repeat(23))), "{}", &out[..out.len().min(500)]);
    assert_eq!(b.analyze_json()["analysis"]["sessions"].as_array().unwrap().len(), 1);
    bin().arg("report").arg(&b.case).args(["--now", NOW]).assert().success();
    let html = std::fs::read_to_string(only_bundle(&b.case).join("report.html")).unwrap();
    assert!(
        html.contains(&format!("{}… [1048276 more characters]", "A".repeat(100))),
        "the report shows the name clipped, with its length"
    );
    assert!(html.len() < 1 << 20, "and stays small: {} bytes", html.len());
}

// ---------------------------------------------------------------------------------------------
// Times

#[test]
fn negative_unix_time_is_kept_as_1969_and_warned() {
    let b = Bench::new();
    let s = b.imported(&b.file("result.json", export_with("\"1773130442\"", "\"-1000\"")));
    assert_eq!(s["sessions"][0]["created"]["utc"], "1969-12-31T23:43:20Z");
    assert_eq!(s["sessions"][0]["created"]["original"], "-1000");
    assert!(warns(&s, "/sessions/list/0/created", "is before Telegram existed (August 2013)"), "{}", s["warnings"]);
}

#[test]
fn time_after_2038_is_read_as_that_year() {
    let d = tempfile::tempdir().unwrap();
    let input = d.path().join("result.json");
    std::fs::write(&input, export_with("\"1795547133\"", "\"2208988800\"")).unwrap();
    // 2^31 seconds is 2038-01-19; 2208988800 is past it and must not wrap.
    let later = parsed(&input, &["--now", "2041-01-01T00:00:00Z"]);
    assert_eq!(later["sessions"][0]["last_active"]["utc"], "2040-01-01T00:00:00Z");
    assert!(later["warnings"].as_array().unwrap().is_empty(), "{}", later["warnings"]);
    let now = parsed(&input, &[]);
    assert_eq!(now["sessions"][0]["last_active"]["utc"], "2040-01-01T00:00:00Z");
    assert!(warns(&now, "/last_active", "is later than the acquisition (2026-11-26T12:00:00Z)"), "{}", now["warnings"]);
}

#[test]
fn time_beyond_year_9999_is_unknown_and_warned() {
    let b = Bench::new();
    let s = b.imported(&b.file(
        "result.json",
        export_with("\"1795547133\"", "\"253402300800\"").replace("2026-11-24T20:05:33", "10000-01-01T00:00:00"),
    ));
    assert!(s["sessions"][0]["last_active"].is_null(), "unknown, never a wrong date");
    assert!(
        warns(&s, "/last_active_unixtime", "253402300800 seconds is outside the years -9999 to 9999"),
        "{}",
        s["warnings"]
    );
    assert!(warns(&s, "/last_active", "\"10000-01-01T00:00:00\" is not a date sessionproof can read; kept as unknown"));
}

#[test]
fn time_overflowing_64_bits_is_unknown_and_warned() {
    let b = Bench::new();
    let s = b.imported(&b.file("result.json", export_with("\"1773130442\"", "99999999999999999999999")));
    assert!(s["sessions"][0]["created"]["utc"].is_null(), "{}", s["sessions"][0]["created"]);
    assert!(
        warns(&s, "/created_unixtime", "99999999999999999999999 seconds is outside the years"),
        "{}",
        s["warnings"]
    );
}

#[test]
fn csv_time_beyond_year_9999_is_refused_naming_row_and_column() {
    let b = Bench::new();
    let input = b.file("sessions.csv", "kind,device_model,created\nsession,Pixel 8,253402300800\n");
    refused(
        &b.case,
        &mut b.import(&input),
        2,
        &["sessions.csv: row 2, column created: \"253402300800\" is not a time", "expected unix seconds"],
    );
}

#[test]
fn tl_negative_date_is_kept_as_before_1970_and_warned() {
    let b = Bench::new();
    let s = b.imported(&b.file("authorizations.bin", tl_authorizations(&[b"Pixel 8"], -1)));
    assert_eq!(s["sessions"][0]["created"]["utc"], "1969-12-31T23:59:59Z", "a TL int is signed: -1 is 1969, not 2106");
    assert!(warns(&s, "/created", "before Telegram existed"), "{}", s["warnings"]);
}

// ---------------------------------------------------------------------------------------------
// IP addresses

#[test]
fn ipv6_with_zone_id_is_looked_up_without_the_zone() {
    let b = Bench::new();
    let s = b.imported(&b.file("result.json", export_with("203.0.113.24", "fe80::1%eth0")));
    assert_eq!(s["sessions"][0]["ip"], "fe80::1%eth0", "kept as written");
    assert!(!warns(&s, "/ip", ""), "a zone id is a valid address: {}", s["warnings"]);
    let out = stdout_of(&bin().args(["lookup", "fe80::1%eth0"]).assert().success());
    assert!(out.contains("zone id %eth0 dropped") && out.contains("link-local address: not looked up"), "{out}");
    let a = b.analyze_json();
    let net =
        &a["analysis"]["sessions"][0]["signals"].as_array().unwrap().iter().find(|s| s["id"] == "net-hosting").unwrap()
            ["reason"];
    assert_eq!(net, "link-local address: no network to judge");
}

#[test]
fn ipv4_mapped_ipv6_is_enriched_as_the_ipv4_address() {
    let b = Bench::new();
    b.imported(&b.file("result.json", export_with("203.0.113.24", "::ffff:149.154.167.50")));
    let out = stdout_of(&bin().args(["lookup", "::ffff:149.154.167.50"]).assert().success());
    assert!(out.contains("looked up as 149.154.167.50") && out.contains("AS62041 Telegram Messenger Inc"), "{out}");
    let e = b.analyze_json()["enrichment"].to_string();
    assert!(e.contains("149.154.167.50") && e.contains("62041"), "the mapped address is enriched as IPv4: {e}");
}

#[test]
fn unparsable_ip_is_kept_warned_and_not_looked_up() {
    let b = Bench::new();
    let s = b.imported(&b.file("result.json", export_with("203.0.113.24", "300.1.2.3")));
    assert_eq!(s["sessions"][0]["ip"], "300.1.2.3");
    assert!(
        warns(&s, "/sessions/list/0/ip", "\"300.1.2.3\" is not an IP address; kept as written, and not looked up"),
        "{}",
        s["warnings"]
    );
    let a = b.analyze_json();
    let net =
        &a["analysis"]["sessions"][0]["signals"].as_array().unwrap().iter().find(|s| s["id"] == "net-vpn").unwrap();
    assert_eq!(
        (net["status"].as_str(), net["reason"].as_str()),
        (Some("not-evaluated"), Some("\"300.1.2.3\" is not an IP address"))
    );
}

#[test]
fn lookup_of_an_unparsable_ip_names_it_and_exits_2() {
    let out = bin().args(["lookup", "1.2.3.4", "300.1.2.3"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    no_panic(&err);
    assert!(err.contains("error: \"300.1.2.3\" is not an IP address; give IPv4 (1.2.3.4) or IPv6"), "{err}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("1.2.3.4"), "the good address is still looked up");
}

// ---------------------------------------------------------------------------------------------
// Duplicates

#[test]
fn duplicate_sessions_in_one_export_are_kept_and_warned() {
    let b = Bench::new();
    let entry = &EXPORT[EXPORT.find("   {\n    \"last_active\"").unwrap()..EXPORT.find("\n  ]").unwrap()];
    let s = b.imported(&b.file("result.json", EXPORT.replacen(entry, &format!("{entry},\n{entry}"), 1)));
    assert_eq!(s["sessions"].as_array().unwrap().len(), 2, "both kept: the list is evidence as it is");
    assert!(
        warns(&s, "/sessions/list/1", "the same session as /sessions/list/0, field for field"),
        "{}",
        s["warnings"]
    );
}

#[test]
fn duplicate_hashes_in_a_tl_body_are_kept_and_warned() {
    let b = Bench::new();
    let mut body = tl_authorizations(&[b"Pixel 8", b"Pixel 9"], 1_740_913_519);
    let second = body.windows(7).rposition(|w| w == b"Pixel 9").unwrap() - 1 - 8;
    body[second..second + 8].copy_from_slice(&1000i64.to_le_bytes());
    let s = b.imported(&b.file("authorizations.bin", body));
    assert_eq!((s["sessions"][0]["hash"].as_i64(), s["sessions"][1]["hash"].as_i64()), (Some(1000), Some(1000)));
    assert!(warns(&s, "bytes ", "the same session hash as bytes 16.."), "{}", s["warnings"]);
}

#[test]
fn same_bytes_under_two_names_in_one_import_are_stored_once() {
    let b = Bench::new();
    let first = b.file("result.json", EXPORT);
    let second = b.file("copy-of-result.json", EXPORT);
    let out =
        stdout_of(&bin().arg("import").arg(&b.case).arg(&first).arg(&second).args(["--now", NOW]).assert().success());
    assert!(
        out.contains("Already imported: ")
            && out.contains("copy-of-result.json has the same bytes as the original of snapshots/0001.json"),
        "{out}"
    );
    assert_eq!(std::fs::read_dir(b.case.join("evidence")).unwrap().count(), 1);
    assert_eq!(std::fs::read_dir(b.case.join("snapshots")).unwrap().count(), 1);
}

// ---------------------------------------------------------------------------------------------
// Links, paths and names

#[test]
fn symlink_as_the_input_is_read_through_and_its_target_preserved() {
    let b = Bench::new();
    let target = b.file("result.json", EXPORT);
    let link = b.dir.path().join("in/link.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let s = b.imported(&link);
    assert_eq!(s["source"]["file_name"], "link.json", "the name the examiner gave");
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink(), "the link is left as it was");
}

#[test]
fn dangling_symlink_as_the_input_is_refused() {
    let b = Bench::new();
    let link = b.dir.path().join("in/gone.json");
    std::os::unix::fs::symlink(b.dir.path().join("in/nowhere.json"), &link).unwrap();
    refused(
        &b.case,
        &mut b.import(&link),
        2,
        &["gone.json: a symbolic link to ", "nowhere.json, which does not exist; give the file itself"],
    );
}

#[test]
fn symlink_loop_as_the_input_is_refused() {
    let b = Bench::new();
    let (x, y) = (b.dir.path().join("in/x.json"), b.dir.path().join("in/y.json"));
    std::os::unix::fs::symlink(&y, &x).unwrap();
    std::os::unix::fs::symlink(&x, &y).unwrap();
    refused(
        &b.case,
        &mut b.import(&x),
        2,
        &["x.json: symbolic links that lead back to themselves; give the file itself"],
    );
}

#[test]
fn symlink_inside_evidence_is_named_and_report_refuses() {
    let b = Bench::new();
    b.imported(&b.file("result.json", EXPORT));
    let stored = std::fs::read_dir(b.case.join("evidence")).unwrap().next().unwrap().unwrap().path();
    let outside = b.file("outside.json", std::fs::read(&stored).unwrap());
    std::fs::remove_file(&stored).unwrap();
    std::os::unix::fs::symlink(&outside, &stored).unwrap();
    let name = format!(
        "evidence/{}: is a symbolic link to {}",
        stored.file_name().unwrap().to_string_lossy(),
        outside.display()
    );
    refused(
        &b.case,
        bin().arg("report").arg(&b.case).args(["--now", NOW]),
        2,
        &["the case does not match its custody log", &name, "put the original file back"],
    );
}

#[test]
fn symlinked_snapshot_is_named_and_report_refuses() {
    let b = Bench::new();
    b.imported(&b.file("result.json", EXPORT));
    let snap = b.case.join("snapshots/0001.json");
    let elsewhere = b.file("0001.json", std::fs::read(&snap).unwrap());
    std::fs::remove_file(&snap).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &snap).unwrap();
    refused(
        &b.case,
        bin().arg("report").arg(&b.case).args(["--now", NOW]),
        2,
        &["snapshots/0001.json: is a symbolic link to"],
    );
}

#[test]
fn attach_of_dotdot_and_absolute_paths_stores_a_copy_under_its_hash() {
    let b = Bench::new();
    // `../../etc/passwd` from wherever the examiner stands, and `/etc/passwd`: both name a file to
    // read; the copy is named after its hash inside evidence/, and nothing is written elsewhere.
    let cwd = b.dir.path().join("in").canonicalize().unwrap();
    let up = "../".repeat(cwd.components().count() - 1);
    let system = Path::new("/etc/passwd");
    let (bytes, modified) = (std::fs::read(system).unwrap(), std::fs::metadata(system).unwrap().modified().unwrap());
    let out = bin()
        .current_dir(&cwd)
        .arg("attach")
        .arg(&b.case)
        .arg(format!("{up}etc/passwd"))
        .arg(system)
        .args(["--now", NOW])
        .assert()
        .success();
    let sha = sessionproof::digest::sha256_hex(&bytes);
    let text = stdout_of(&out);
    assert!(
        text.contains(&format!("-> evidence/{sha}.bin")) && text.contains("Already in the case: /etc/passwd"),
        "{text}"
    );
    assert_eq!(std::fs::read(b.case.join(format!("evidence/{sha}.bin"))).unwrap(), bytes);
    assert_eq!(
        (std::fs::read(system).unwrap(), std::fs::metadata(system).unwrap().modified().unwrap()),
        (bytes, modified)
    );
    let log = std::fs::read_to_string(b.case.join("custody.jsonl")).unwrap();
    assert!(log.lines().last().unwrap().contains("\"path\":\"passwd\""), "only the file's own name is recorded");
}

#[test]
fn attach_name_with_newline_and_controls_is_stored_under_its_hash_and_shown_marked() {
    let b = Bench::new();
    let exhibit = b.file("shot\n\u{1b}[31mred\u{202e}gnp.exe.png", b"\x89PNG\r\n\x1a\nnot really");
    let out = bin().arg("attach").arg(&b.case).arg(&exhibit).args(["--now", NOW]).assert().success();
    let text = stdout_of(&out);
    assert!(!text.contains('\u{1b}') && !text.contains('\u{202e}'), "{text:?}");
    assert!(text.contains("shot⟨U+000A⟩⟨U+001B⟩[31mred⟨U+202E⟩gnp.exe.png"), "{text}");
    assert_eq!(text.lines().count(), 1, "a newline in a name cannot forge an output line: {text:?}");
    let names: Vec<String> = std::fs::read_dir(b.case.join("evidence"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, [format!("{}.png", sessionproof::digest::sha256_hex(&std::fs::read(&exhibit).unwrap()))]);
}

#[test]
fn attach_of_a_fifo_is_refused_without_blocking() {
    let b = Bench::new();
    let fifo = b.dir.path().join("in/pipe");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let started = std::time::Instant::now();
    refused(
        &b.case,
        bin().arg("attach").arg(&b.case).arg(&fifo).args(["--now", NOW]),
        2,
        &["pipe: is not a regular file (a device, pipe or socket); save what it holds to a file"],
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(10));
}

#[test]
fn input_that_is_a_device_is_refused() {
    let b = Bench::new();
    refused(
        &b.case,
        &mut b.import(Path::new("/dev/zero")),
        2,
        &["/dev/zero: neither a file nor a folder (a device, pipe or socket)"],
    );
}

#[test]
fn transcription_naming_an_absolute_screenshot_path_is_refused() {
    let b = Bench::new();
    let text = std::fs::read_to_string(fixture("transcribed/fail_traversal/transcription.json")).unwrap();
    let input = b.file("transcription.json", text.replace("../../etc/passwd", "/etc/passwd"));
    refused(
        &b.case,
        &mut b.import(&input),
        2,
        &[
            "transcription.json: /screenshots/0/file: \"/etc/passwd\" is an absolute path",
            "relative to the transcription's folder",
        ],
    );
}

#[test]
fn transcription_naming_a_screenshot_with_nul_or_newline_is_refused() {
    let b = Bench::new();
    let text = std::fs::read_to_string(fixture("transcribed/fail_traversal/transcription.json")).unwrap();
    for (name, shown) in [("shot\\u0000.png", "U+0000"), ("shot\\n.png", "U+000A")] {
        let input = b.file("transcription.json", text.replace("../../etc/passwd", name));
        refused(
            &b.case,
            &mut b.import(&input),
            2,
            &[
                "transcription.json: /screenshots/0/file:",
                &format!("holds a control character ({shown})"),
                "give the name as it is on disk",
            ],
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The case folder: read-only, full disk, case.toml, missing or wrong folders, tampering

/// The effective user id, from the owner of this process's /proc entry.
fn euid() -> u32 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").unwrap().uid()
}

/// Makes every folder of `case` read-only until dropped. As root, where permissions do not stop
/// writes, commands built by [`unprivileged`] run as `nobody` so that they do.
struct ReadOnly {
    dirs: Vec<PathBuf>,
}

impl ReadOnly {
    fn new(case: &Path) -> ReadOnly {
        use std::os::unix::fs::PermissionsExt;
        let mut dirs = vec![case.to_path_buf()];
        dirs.extend(tree(case).iter().filter(|(_, e)| matches!(e, Entry::Dir { .. })).map(|(rel, _)| case.join(rel)));
        for d in &dirs {
            std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o555)).unwrap();
        }
        // `nobody` must reach the case and the inputs.
        std::fs::set_permissions(case.parent().unwrap(), std::fs::Permissions::from_mode(0o755)).unwrap();
        ReadOnly { dirs }
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        for d in &self.dirs {
            let _ = std::fs::set_permissions(d, std::fs::Permissions::from_mode(0o755));
        }
    }
}

/// The binary, as a path `nobody` can run (a hard link beside the tests' temp files when the
/// build folder is out of its reach).
fn binary_for_nobody() -> PathBuf {
    static BIN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BIN.get_or_init(|| {
        let built = PathBuf::from(env!("CARGO_BIN_EXE_sessionproof"));
        let reachable = std::process::Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups", "test", "-x"])
            .arg(&built)
            .status()
            .is_ok_and(|s| s.success());
        if reachable {
            return built;
        }
        let dir = std::env::temp_dir().join(format!("sessionproof-tests-bin-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let copy = dir.join("sessionproof");
        if std::fs::hard_link(&built, &copy).is_err() {
            std::fs::copy(&built, &copy).unwrap();
        }
        copy
    })
    .clone()
}

/// `sessionproof ARGS` as a user whom the case's permissions bind: `nobody` when running as root.
fn unprivileged(cwd: &Path) -> assert_cmd::Command {
    let mut c = if euid() == 0 {
        let mut c = assert_cmd::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]).arg(binary_for_nobody());
        c
    } else {
        assert_cmd::Command::new(env!("CARGO_BIN_EXE_sessionproof"))
    };
    c.env_remove("NO_COLOR").env("TZ", "UTC").env("SESSIONPROOF_DATA", empty_data_dir()).current_dir(cwd);
    c
}

#[test]
fn read_only_case_folder_refuses_import_naming_the_path() {
    let b = Bench::new();
    let input = b.file("result.json", EXPORT);
    let _ro = ReadOnly::new(&b.case);
    let mut cmd = unprivileged(b.dir.path());
    cmd.arg("import").arg(&b.case).arg(&input).args(["--now", NOW]);
    refused(&b.case, &mut cmd, 2, &["/evidence/", "permission denied", "is it read-only?"]);
}

#[test]
fn read_only_case_folder_refuses_attach_naming_the_evidence_folder() {
    let b = Bench::new();
    let input = b.file("letter.pdf", b"%PDF-1.4 not really");
    let _ro = ReadOnly::new(&b.case);
    let mut cmd = unprivileged(b.dir.path());
    cmd.arg("attach").arg(&b.case).arg(&input).args(["--now", NOW]);
    let err = refused(&b.case, &mut cmd, 2, &["/evidence: permission denied", "is it read-only?"]);
    assert!(!err.contains("letter.pdf"), "the exhibit was readable; the case folder was not: {err}");
}

#[test]
fn read_only_case_folder_refuses_report_naming_the_bundle() {
    let b = Bench::new();
    b.imported(&b.file("result.json", EXPORT));
    let _ro = ReadOnly::new(&b.case);
    let mut cmd = unprivileged(b.dir.path());
    cmd.arg("report").arg(&b.case).args(["--now", "2026-11-26T13:00:00Z"]);
    refused(&b.case, &mut cmd, 2, &["/reports/20261126T130000Z: permission denied"]);
}

/// Runs sessionproof on a copy of `case` inside a 256 KiB tmpfs with `free` bytes left, in a
/// private mount namespace (as root, or as an ordinary user mapped to root); `args` name the
/// copy `@CASE` and the file system `@DISK`. Returns the exit status and stderr, after checking
/// that the file system holds exactly the case as it was: nothing half-written, no temporary
/// file, no other folder. `None` when this machine cannot mount a tmpfs at all.
fn on_full_disk(case: &Path, free: usize, args: &[&str]) -> Option<Output> {
    const SCRIPT: &str = r#"
set -u
mnt=$1 src=$2 out=$3 free=$4
shift 4
mkdir -p "$mnt"
mount -t tmpfs -o size=256k tmpfs "$mnt" 2>/dev/null || exit 99
cp -a "$src" "$mnt/case" || exit 98
head -c "$free" /dev/zero > "$mnt/reserve" || exit 97
head -c 1000000 /dev/zero > "$mnt/filler" 2>/dev/null
rm "$mnt/reserve"
"$@"
code=$?
rm "$mnt/filler" && cp -a "$mnt/." "$out/after" || exit 96
exit $code
"#;
    let work = tempfile::tempdir().unwrap();
    let mnt = work.path().join("mnt");
    std::fs::create_dir(work.path().join("after")).unwrap();
    let disk = mnt.to_string_lossy().into_owned();
    let args: Vec<String> =
        args.iter().map(|a| a.replace("@CASE", &format!("{disk}/case")).replace("@DISK", &disk)).collect();
    let mut cmd = std::process::Command::new("unshare");
    if euid() != 0 {
        cmd.args(["--user", "--map-root-user"]);
    }
    cmd.args(["--mount", "--propagation", "private", "sh", "-c", SCRIPT, "sh"])
        .arg(&mnt)
        .arg(case)
        .arg(work.path())
        .arg(free.to_string())
        .arg(env!("CARGO_BIN_EXE_sessionproof"))
        .args(&args)
        .env_remove("NO_COLOR")
        .env("TZ", "UTC")
        .env("SESSIONPROOF_DATA", empty_data_dir());
    let out = cmd.output().unwrap();
    match out.status.code() {
        Some(99) => {
            eprintln!("skipped: cannot mount a tmpfs here: {}", String::from_utf8_lossy(&out.stderr));
            return None;
        }
        Some(96..=98) => panic!("setting up the full disk failed: {out:?}"),
        _ => {}
    }
    let after = work.path().join("after");
    let names: Vec<String> =
        std::fs::read_dir(&after).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    assert_eq!(names, ["case"], "nothing beside the case on the disk: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(tree(&after.join("case")), tree(case), "the case as it was: {}", String::from_utf8_lossy(&out.stderr));
    Some(out)
}

#[test]
fn full_disk_during_import_leaves_nothing_half_written() {
    let b = Bench::new();
    let input = b.file("result.json", std::fs::read(fixture("tdesktop-json/modern.json")).unwrap());
    // Room for the original (one 4 KiB page) but not for its snapshot: the original must go again.
    let args = ["import", "@CASE", &input.to_string_lossy(), "--now", NOW];
    if let Some(out) = on_full_disk(&b.case, 8192, &args) {
        check_refusal(
            &out,
            2,
            &["/snapshots/0001.json: no space left on the device", "free space and run the command again"],
        );
    }
}

#[test]
fn full_disk_during_report_leaves_no_partial_bundle() {
    let b = Bench::new();
    b.imported(&b.file("result.json", EXPORT));
    if let Some(out) = on_full_disk(&b.case, 8192, &["report", "@CASE", "--now", "2026-11-26T13:00:00Z"]) {
        check_refusal(&out, 2, &["/reports/20261126T130000Z: no space left on the device"]);
    }
}

#[test]
fn full_disk_during_attach_leaves_no_partial_copy() {
    let b = Bench::new();
    let exhibit = b.file("recording.mp4", vec![7u8; 300_000]);
    if let Some(out) = on_full_disk(&b.case, 0, &["attach", "@CASE", &exhibit.to_string_lossy(), "--now", NOW]) {
        check_refusal(&out, 2, &["/evidence: no space left on the device"]);
    }
}

#[test]
fn full_disk_during_case_init_leaves_no_half_made_case() {
    let b = Bench::new();
    // 0 bytes: no case.toml; 4 KiB: case.toml but no custody log. Either way, no case is left.
    for free in [0, 4096] {
        if let Some(out) = on_full_disk(&b.case, free, &["case", "init", "@DISK/new", "--now", NOW]) {
            check_refusal(&out, 2, &["/new/", "no space left on the device"]);
        }
    }
}

#[test]
fn case_toml_unknown_key_in_the_case_table_is_named_with_its_line() {
    let b = Bench::new();
    std::fs::write(b.case.join("case.toml"), "[case]\nid = \"HL-1\"\nexaminr = \"A. Responder\"\n").unwrap();
    let input = b.file("result.json", EXPORT);
    refused(&b.case, &mut b.import(&input), 2, &["case.toml: line 3: unknown key `examinr`"]);
}

#[test]
fn case_toml_unknown_table_is_named_with_its_line() {
    let b = Bench::new();
    std::fs::write(b.case.join("case.toml"), "[case]\nid = \"HL-1\"\n\n[subjects]\ntime_zone = \"Europe/Berlin\"\n")
        .unwrap();
    refused(&b.case, bin().args(["case", "show"]).arg(&b.case), 2, &["case.toml: line 4: unknown key `subjects`"]);
}

#[test]
fn case_toml_value_of_the_wrong_type_is_named_with_its_line() {
    let b = Bench::new();
    for (text, line) in [
        ("[case]\nid = \"HL-1\"\n[subject]\nautomation = \"yes\"\n", "line 4: `automation = \"yes\"`"),
        ("[case]\nid = \"HL-1\"\n[subject]\nusual_countries = \"DE\"\n", "line 4: `usual_countries = \"DE\"`"),
        ("[case]\nid = 42\n", "line 2: `id = 42`: invalid type: integer `42`, expected a string"),
    ] {
        std::fs::write(b.case.join("case.toml"), text).unwrap();
        refused(&b.case, bin().arg("analyze").arg(&b.case), 2, &["case.toml: ", line]);
    }
}

#[test]
fn case_toml_without_a_case_id_is_refused() {
    let b = Bench::new();
    std::fs::write(b.case.join("case.toml"), "[case]\nexaminer = \"A. Responder\"\n").unwrap();
    let input = b.file("result.json", EXPORT);
    refused(&b.case, &mut b.import(&input), 2, &["case.toml: line 1: missing key `id`; add it"]);
}

#[test]
fn case_folder_that_does_not_exist_is_named_and_not_created() {
    let d = tempfile::tempdir().unwrap();
    let missing = d.path().join("HL-2026-0142");
    let input = d.path().join("result.json");
    std::fs::write(&input, EXPORT).unwrap();
    let fix = ["HL-2026-0142: no such folder", "check the path, or create a case there with `sessionproof case init"];
    refused(&missing, bin().arg("import").arg(&missing).arg(&input), 2, &fix);
    refused(&missing, bin().arg("attach").arg(&missing).arg(&input), 2, &fix);
    refused(&missing, bin().arg("analyze").arg(&missing), 2, &fix);
    refused(&missing, bin().arg("report").arg(&missing), 2, &fix);
    refused(&missing, bin().args(["case", "show"]).arg(&missing), 2, &fix);
}

#[test]
fn file_given_as_the_case_folder_is_refused() {
    let b = Bench::new();
    let input = b.file("result.json", EXPORT);
    let before = tree(&b.dir.path().join("in"));
    let fix = ["result.json: is a file, not a sessionproof case", "give the case's folder"];
    refused(&b.case, bin().arg("import").arg(&input).arg(&input), 2, &fix);
    refused(&b.case, bin().arg("report").arg(&input), 2, &fix);
    refused(&b.case, bin().args(["case", "init"]).arg(&input), 2, &fix);
    assert_eq!(tree(&b.dir.path().join("in")), before, "the file is left as it was");
}

#[test]
fn tampered_snapshot_is_named_and_report_refuses() {
    use std::os::unix::fs::PermissionsExt;
    let b = Bench::new();
    b.imported(&b.file("result.json", EXPORT));
    let snap = b.case.join("snapshots/0001.json");
    std::fs::set_permissions(&snap, std::fs::Permissions::from_mode(0o644)).unwrap();
    let text = std::fs::read_to_string(&snap).unwrap().replace("Latitude 7440", "Latitude 7441");
    std::fs::write(&snap, text).unwrap();
    refused(
        &b.case,
        bin().arg("report").arg(&b.case).args(["--now", NOW]),
        2,
        &["snapshots/0001.json: changed since it was recorded", "no report is written"],
    );
}

#[test]
fn snapshot_that_is_not_json_is_named() {
    use std::os::unix::fs::PermissionsExt;
    let b = Bench::new();
    b.imported(&b.file("result.json", EXPORT));
    let snap = b.case.join("snapshots/0001.json");
    std::fs::set_permissions(&snap, std::fs::Permissions::from_mode(0o644)).unwrap();
    std::fs::write(&snap, "{ not json").unwrap();
    let fix = ["snapshots/0001.json: not a sessionproof snapshot", "the case was altered outside sessionproof"];
    refused(&b.case, bin().arg("analyze").arg(&b.case), 2, &fix);
    refused(&b.case, bin().arg("diff").arg(&b.case), 2, &fix);
}

// ---------------------------------------------------------------------------------------------
// Bundles: verify and timestamp attach

/// A fresh copy of one case with one report bundle: (guard, case, bundle).
fn bundle() -> (tempfile::TempDir, PathBuf, PathBuf) {
    static TEMPLATE: std::sync::OnceLock<(tempfile::TempDir, PathBuf)> = std::sync::OnceLock::new();
    let (_, case) = TEMPLATE.get_or_init(|| {
        let (d, case) = new_case();
        bin()
            .arg("import")
            .arg(&case)
            .arg(fixture("tdesktop-json/modern.json"))
            .args(["--now", NOW])
            .assert()
            .success();
        bin().arg("report").arg(&case).args(["--now", NOW]).assert().success();
        (d, case)
    });
    let d = tempfile::tempdir().unwrap();
    let copy = d.path().join("case");
    assert!(std::process::Command::new("cp").arg("-a").arg(case).arg(&copy).status().unwrap().success());
    let b = only_bundle(&copy);
    (d, copy, b)
}

/// `verify` must exit 1 naming each fragment, and change nothing.
fn verify_fails(case: &Path, bundle: &Path, fragments: &[&str]) {
    let before = tree(case);
    let out = bin().arg("verify").arg(bundle).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    no_panic(&String::from_utf8_lossy(&out.stderr));
    assert_eq!(out.status.code(), Some(1), "{text}");
    for f in fragments {
        assert!(text.contains(f), "missing {f:?} in:\n{text}");
    }
    assert_eq!(tree(case), before);
}

#[test]
fn bundle_missing_a_file_fails_verify_naming_it() {
    let (_d, case, bundle) = bundle();
    std::fs::remove_file(bundle.join("report.pdf")).unwrap();
    verify_fails(&case, &bundle, &["report.pdf: MISSING", "TAMPERED"]);
}

#[test]
fn bundle_missing_an_original_fails_verify_naming_it() {
    let (_d, case, bundle) = bundle();
    let original = std::fs::read_dir(case.join("evidence")).unwrap().next().unwrap().unwrap().path();
    std::fs::remove_file(&original).unwrap();
    let name = format!("../../evidence/{}: MISSING", original.file_name().unwrap().to_string_lossy());
    verify_fails(&case, &bundle, &[&name, "TAMPERED"]);
}

#[test]
fn timestamp_reply_of_garbage_is_rejected_and_nothing_attached() {
    let (d, case, bundle) = bundle();
    let reply = d.path().join("reply.tsr");
    std::fs::write(&reply, b"<html>502 Bad Gateway</html>").unwrap();
    refused(
        &case,
        bin().args(["timestamp", "attach"]).arg(&bundle).arg(&reply),
        1,
        &["reply.tsr: ", "nothing attached"],
    );
}

#[test]
fn timestamp_reply_that_never_ends_is_rejected_unread() {
    let (_d, case, bundle) = bundle();
    refused(
        &case,
        bin().args(["timestamp", "attach"]).arg(&bundle).arg("/dev/zero"),
        1,
        &["/dev/zero: larger than 1 MB, so not a time-stamp reply", "nothing attached"],
    );
}

#[test]
fn timestamp_attach_to_a_folder_that_is_not_a_bundle_is_refused() {
    let (d, case, _) = bundle();
    let reply = d.path().join("reply.tsr");
    std::fs::write(&reply, b"x").unwrap();
    refused(
        &case,
        bin().args(["timestamp", "attach"]).arg(&case).arg(&reply),
        2,
        &["case: not a report bundle (no manifest.json)", "CASE/reports/<stamp>"],
    );
}

// ---------------------------------------------------------------------------------------------
// The catalogue document

#[test]
fn every_case_is_in_the_catalogue_and_every_catalogue_row_is_a_case() {
    let source = include_str!("bad_input.rs");
    let mut tests: Vec<&str> = source
        .split("#[test]\nfn ")
        .skip(1)
        .map(|rest| rest.split('(').next().unwrap())
        .filter(|name| *name != "every_case_is_in_the_catalogue_and_every_catalogue_row_is_a_case")
        .collect();
    let doc = include_str!("../../docs/bad-input.md");
    let mut rows: Vec<&str> = doc
        .lines()
        .filter_map(|l| l.strip_prefix("| `")?.split('`').next())
        .filter(|name| !name.contains(' '))
        .collect();
    tests.sort();
    rows.sort();
    assert!(tests.len() >= 40, "{}", tests.len());
    assert_eq!(rows, tests, "docs/bad-input.md lists exactly the tests of bad_input.rs");
}

#[test]
fn hurried_mistakes_get_the_fix_in_the_message() {
    let b = Bench::new();
    // The wrong --format: the message says what the file does read as.
    refused(
        &b.case,
        b.import(&fixture("csv/sessions.csv")).args(["--format", "tdesktop-json"]),
        2,
        &[
            "not a readable Telegram Desktop result.json",
            "this file reads as csv: leave out --format, or give --format csv",
        ],
    );
    // The folder that holds the export and the screenshots, not the export itself.
    let parent = b.dir.path().join("in/from-the-owner");
    std::fs::create_dir_all(parent.join("export")).unwrap();
    std::fs::create_dir_all(parent.join("screenshots")).unwrap();
    refused(
        &b.case,
        &mut b.import(&parent),
        2,
        &[
            "it has 2 subfolders: to import what they hold, give them instead",
            "from-the-owner/export",
            "from-the-owner/screenshots",
        ],
    );
    // A zone without its area: the flag is named, not a line of a case.toml the user never wrote.
    let new = b.dir.path().join("new-case");
    refused(
        &new,
        bin().args(["case", "init"]).arg(&new).args(["--subject-tz", "Berlin"]),
        2,
        &["--subject-tz \"Berlin\" is not an IANA time zone", "\"Europe/Berlin\""],
    );
    // A key into a folder that does not exist yet.
    let keys = b.dir.path().join("keys");
    let out = bin()
        .args(["keygen", "--out"])
        .arg(keys.join("helpline.key"))
        .env("SESSIONPROOF_PASSPHRASE", "p")
        .output()
        .unwrap();
    check_refusal(&out, 2, &["the folder", "does not exist; create it first (mkdir -p", "or give another --out"]);
    assert!(!keys.exists());
    // An option for a part the bundle will not have.
    refused(
        &b.case,
        bin().arg("report").arg(&b.case).args(["--format", "html", "--paper", "letter"]),
        2,
        &["--paper sets report.pdf's page size, but --format html does not write it: add pdf to --format"],
    );
}
