//! Progress bars (DESIGN §2): drawn on a terminal while a big exhibit is copied, never when stderr
//! is piped or redirected or the terminal is dumb, without colour under `NO_COLOR`. The terminal
//! is a pseudo-terminal from util-linux `script`.

use super::util::*;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A case and a sparse exhibit just big enough for a bar (64 MiB; quick to copy).
fn case_with_big_exhibit() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let (d, case) = new_case();
    let big = d.path().join("recording.bin");
    std::fs::File::create(&big).unwrap().set_len(sessionproof::progress::BIG_FILE).unwrap();
    (d, case, big)
}

fn quoted(p: &Path) -> String {
    format!("'{}'", p.display().to_string().replace('\'', r"'\''"))
}

/// `sessionproof attach CASE FILE` as a shell command line, with `redirect` appended.
fn attach_line(case: &Path, file: &Path, redirect: &str) -> String {
    format!("{} attach {} {} --now {NOW} {redirect}", env!("CARGO_BIN_EXE_sessionproof"), quoted(case), quoted(file))
}

/// Runs `line` on a pseudo-terminal and returns everything the terminal received, or `None`
/// when `script` is not installed.
fn on_terminal(line: &str, env: &[(&str, &str)]) -> Option<String> {
    let mut c = Command::new("script");
    c.args(["-qfec", line, "/dev/null"]).env_remove("NO_COLOR").env("TZ", "UTC");
    c.env("SESSIONPROOF_DATA", empty_data_dir()).env("TERM", "xterm-256color");
    for (k, v) in env {
        c.env(k, v);
    }
    let out = match c.output() {
        Ok(out) => out,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("SKIPPED: `script` (util-linux, Debian package bsdutils) is not installed; no pty test ran");
            return None;
        }
        Err(e) => panic!("script: {e}"),
    };
    assert!(out.status.success(), "{line}: {:?}\n{}", out.status, String::from_utf8_lossy(&out.stdout));
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// An SGR sequence (`ESC [ … m`): colour or another text attribute.
fn has_sgr(s: &str) -> bool {
    s.split("\x1b[").skip(1).any(|rest| {
        let end = rest.find(|c: char| !(c.is_ascii_digit() || c == ';'));
        end.is_some_and(|i| rest[i..].starts_with('m'))
    })
}

#[test]
fn a_big_exhibit_shows_a_bar_on_a_terminal_and_nothing_when_stderr_is_piped() {
    let (_d, case, big) = case_with_big_exhibit();
    let Some(shown) = on_terminal(&attach_line(&case, &big, ""), &[]) else { return };
    assert!(shown.contains("copying recording.bin"), "{shown:?}");
    assert!(shown.contains("MiB/64.00 MiB"), "{shown:?}");
    assert!(shown.contains('\r') && has_sgr(&shown), "redrawn in place, in colour: {shown:?}");
    // Cleared when done: the command's own line follows a cleared line, not the bar.
    let last = shown.rsplit("\x1b[2K").next().unwrap();
    assert!(last.starts_with("Attached ") && last.contains("recording.bin -> evidence/"), "{last:?}");

    // Same command, stderr redirected to a file, stdout still the terminal: no bar anywhere.
    let err = case.parent().unwrap().join("stderr.txt");
    let piped = on_terminal(&attach_line(&case, &big, &format!("2>{}", quoted(&err))), &[]).unwrap();
    let err = std::fs::read_to_string(&err).unwrap();
    assert_eq!(err, "", "stderr holds no bar");
    assert!(piped.starts_with("Already in the case: ") && piped.contains("recording.bin is evidence/"), "{piped:?}");
    assert!(!piped.contains("copying") && !piped.contains('\x1b'), "{piped:?}");

    // A dumb terminal gets no bar either.
    let dumb = on_terminal(&attach_line(&case, &big, ""), &[("TERM", "dumb")]).unwrap();
    assert!(!dumb.contains("copying") && !dumb.contains('\x1b'), "{dumb:?}");

    // And stderr piped to the test: empty.
    let direct = bin().arg("attach").arg(&case).arg(&big).args(["--now", NOW]).assert().success();
    assert_eq!(stderr_of(&direct), "");
}

#[test]
fn no_color_draws_the_bar_without_colour() {
    let (_d, case, big) = case_with_big_exhibit();
    let Some(shown) = on_terminal(&attach_line(&case, &big, ""), &[("NO_COLOR", "1")]) else { return };
    assert!(shown.contains("copying recording.bin") && shown.contains('\r'), "a bar is drawn: {shown:?}");
    assert!(!has_sgr(&shown), "no colour codes: {shown:?}");
}

#[test]
fn the_sgr_check_finds_colour_codes() {
    assert!(has_sgr("a\x1b[36mb\x1b[0m"));
    assert!(has_sgr("\x1b[1;34m"));
    assert!(!has_sgr("\x1b[2Kline\r\x1b[1A"));
}
