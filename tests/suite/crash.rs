//! Crash safety: `import` and `report` killed (SIGKILL) at many points leave no half-written
//! snapshot or bundle and an intact custody chain; the next run completes or removes what a
//! killed run left and logs it. The states between the steps of a commit are also built by hand,
//! so each one is checked on every run, not only when a kill happens to land in it.

use super::util::*;
use sessionproof::evidence::custody::{self, Action};
use sessionproof::evidence::fsutil::{final_name_of_temp, is_temp_name};
use sessionproof::evidence::{Case, Staged};
use sessionproof::model::custody::{CustodyEntry, FileRef};
use std::ffi::OsString;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// `--now` for step `n`: one minute apart, so custody time only moves forward and every report
/// gets its own stamp.
fn at(n: u32) -> String {
    format!("2026-11-26T{:02}:{:02}:00Z", 12 + (n + 1) / 60, (n + 1) % 60)
}

/// The binary as a child process, with the environment the other tests give it.
fn spawn(args: &[OsString]) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_sessionproof"))
        .args(args)
        .env_remove("NO_COLOR")
        .env("TZ", "UTC")
        .env("SESSIONPROOF_DATA", empty_data_dir())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

/// A Telegram Desktop export folder (result.json and lists/other_data.json), different bytes
/// for each `k`, so every variant is a new acquisition with a new original and companion.
fn export_variant(dir: &Path, k: u32) -> PathBuf {
    let src = fixture("tdesktop-json/export-folder/DataExport_2026-11-25");
    let out = dir.join(format!("export-{k:02}/DataExport_2026-11-25"));
    fs::create_dir_all(out.join("lists")).unwrap();
    let mut result: serde_json::Value = serde_json::from_slice(&fs::read(src.join("result.json")).unwrap()).unwrap();
    let first = result["sessions"]["list"][0].clone();
    let list = result["sessions"]["list"].as_array_mut().unwrap();
    for i in 0..6 {
        let mut s = first.clone();
        s["last_ip"] = format!("198.51.100.{}", 10 * (k % 20) + i + 1).into();
        s["device_model"] = format!("Test device {k}-{i}").into();
        list.push(s);
    }
    fs::write(out.join("result.json"), serde_json::to_vec_pretty(&result).unwrap()).unwrap();
    let mut other: serde_json::Value =
        serde_json::from_slice(&fs::read(src.join("lists/other_data.json")).unwrap()).unwrap();
    other["ips"].as_array_mut().unwrap().push(serde_json::json!({ "ip": format!("192.0.2.{}", k + 1) }));
    fs::write(out.join("lists/other_data.json"), serde_json::to_vec_pretty(&other).unwrap()).unwrap();
    fs::copy(src.join("export_results.html"), out.join("export_results.html")).unwrap();
    out
}

/// What a check of the case found besides its (asserted) consistency.
#[derive(Debug, Default, PartialEq, Eq)]
struct Leftovers {
    /// Hidden temporary files and folders.
    temporary: Vec<String>,
    /// Files and bundles the custody log records that wait, staged, to be put in place.
    pending: Vec<String>,
}

fn log_entries(case: &Path) -> Vec<CustodyEntry> {
    custody::parse(&fs::read(case.join("custody.jsonl")).unwrap()).0
}

/// Asserts what must hold at any instant, however a run ended: the custody chain is intact;
/// every snapshot and original in place is whole and exactly as recorded; every bundle in place
/// passes `verify`; whatever is recorded but absent waits, staged and whole, beside its place.
fn check(case: &Path, what: &str) -> Leftovers {
    let log = fs::read(case.join("custody.jsonl")).unwrap();
    let problems = custody::check_chain(&log);
    assert!(problems.is_empty(), "{what}: the custody chain is broken: {problems:?}");
    let entries = custody::parse(&log).0;
    let recorded = custody::recorded_files(&entries);
    let mut found = Leftovers::default();
    for name in fs::read_dir(case).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()) {
        if is_temp_name(&name) {
            found.temporary.push(name);
        }
    }
    for dir in ["evidence", "snapshots"] {
        for e in fs::read_dir(case.join(dir)).unwrap() {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            let rel = format!("{dir}/{name}");
            if is_temp_name(&name) {
                found.temporary.push(rel);
                continue;
            }
            let bytes = fs::read(case.join(&rel)).unwrap();
            let sha = sessionproof::digest::sha256_hex(&bytes);
            assert_eq!(
                recorded.get(&rel),
                Some(&sha),
                "{what}: {rel} is in place but not as the custody log records it"
            );
            if dir == "snapshots" {
                serde_json::from_slice::<sessionproof::model::snapshot::Snapshot>(&bytes)
                    .unwrap_or_else(|e| panic!("{what}: {rel} is not a whole snapshot: {e}"));
            }
        }
    }
    for (rel, sha) in recorded.iter().filter(|(r, _)| r.starts_with("evidence/") || r.starts_with("snapshots/")) {
        if !case.join(rel).exists() {
            let (dir, name) = rel.split_once('/').unwrap();
            let staged = fs::read_dir(case.join(dir)).unwrap().any(|e| {
                let e = e.unwrap();
                let n = e.file_name().to_string_lossy().into_owned();
                is_temp_name(&n)
                    && n.starts_with(&format!(".{name}.tmp-"))
                    && sessionproof::digest::sha256_hex(&fs::read(e.path()).unwrap()) == *sha
            });
            assert!(staged, "{what}: {rel} is recorded but neither in place nor staged whole");
            found.pending.push(rel.clone());
        }
    }
    for e in fs::read_dir(case.join("reports")).unwrap() {
        let path = e.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if is_temp_name(&name) {
            found.temporary.push(format!("reports/{name}"));
            continue;
        }
        let v = sessionproof::verify::verify_bundle(&path).unwrap();
        let failed: Vec<_> = v.checks.iter().filter(|c| c.passed == Some(false)).collect();
        assert!(failed.is_empty(), "{what}: bundle {name} does not verify: {failed:#?}");
        for f in fs::read_dir(&path).unwrap() {
            let n = f.unwrap().file_name().to_string_lossy().into_owned();
            if is_temp_name(&n) {
                found.temporary.push(format!("reports/{name}/{n}"));
            }
        }
    }
    for e in entries.iter().filter(|e| e.action == "report") {
        let dir = e.outputs[0].path.rsplit_once('/').unwrap().0;
        if !case.join(dir).is_dir() {
            let stamp = dir.strip_prefix("reports/").unwrap();
            let staged = fs::read_dir(case.join("reports"))
                .unwrap()
                .any(|d| d.unwrap().file_name().to_string_lossy().starts_with(&format!(".{stamp}.tmp-")));
            assert!(staged, "{what}: {dir} is recorded but neither in place nor staged");
            found.pending.push(format!("{dir}/"));
        }
    }
    found
}

/// Runs `args` to completion and asserts success.
fn run_ok(args: &[OsString], what: &str) {
    let out = bin().args(args).output().unwrap();
    assert!(out.status.success(), "{what}: {}", String::from_utf8_lossy(&out.stderr));
}

/// How long `args` takes, run to completion.
fn timed(args: &[OsString]) -> Duration {
    let start = Instant::now();
    run_ok(args, "a timed run");
    start.elapsed()
}

#[test]
fn killed_imports_and_reports_leave_a_consistent_case() {
    let (d, case) = new_case();
    let c = case.as_os_str();
    fn os(s: &str) -> OsString {
        OsString::from(s)
    }
    let mut step = 0u32;
    let mut next = || {
        step += 1;
        at(step)
    };
    // Two acquisitions and a report: what the killed runs work on.
    let mut variant = 0u32;
    let import_args = |now: &str, variant: u32| -> Vec<OsString> {
        vec![os("import"), c.to_owned(), export_variant(d.path(), variant).into_os_string(), os("--now"), os(now)]
    };
    let report_args = |now: &str| vec![os("report"), c.to_owned(), os("--now"), os(now)];
    run_ok(&import_args(&next(), variant), "first import");
    variant += 1;
    let import_time = timed(&import_args(&next(), variant));
    variant += 1;
    let report_time = timed(&report_args(&next()));
    check(&case, "before any kill");

    // Kill delays spread evenly from 0 to a little past a whole run, import and report in turn.
    const KILLS: u32 = 32;
    let (mut killed, mut recovered) = (0, 0);
    for i in 0..KILLS {
        let is_report = i % 2 == 1;
        let typical = if is_report { report_time } else { import_time };
        let delay = typical.mul_f64(1.1 * f64::from(i / 2) / f64::from(KILLS / 2 - 1));
        let now = next();
        let args = if is_report { report_args(&now) } else { import_args(&now, variant) };
        let mut child = spawn(&args);
        std::thread::sleep(delay);
        child.kill().unwrap();
        let status = child.wait().unwrap();
        if status.code().is_none() {
            killed += 1;
        }
        let what = format!("kill {i} ({} after {delay:?})", if is_report { "report" } else { "import" });
        let before = check(&case, &what);
        let seq_before = log_entries(&case).len();

        // The case accepts the next run, which completes or removes what was left and logs it:
        // the same import again; after a report, every fourth time a report, else the last
        // import again (it recovers the same way and keeps the test quick).
        let follow_up = match (is_report, i % 8) {
            (true, 7) => report_args(&next()),
            (true, _) => import_args(&next(), variant - 1),
            (false, _) => import_args(&next(), variant),
        };
        run_ok(&follow_up, &format!("{what}, the next run"));
        let after = check(&case, &format!("{what}, after the next run"));
        assert_eq!(after, Leftovers::default(), "{what}: the next run left these behind");
        let problems = Case::open(&case).unwrap().integrity_problems().unwrap();
        assert!(problems.is_empty(), "{what}: {problems:?}");
        if before != Leftovers::default() {
            recovered += 1;
            let new = &log_entries(&case)[seq_before..];
            let entry = new.iter().find(|e| e.action == "recover-interrupted");
            let entry = entry.unwrap_or_else(|| panic!("{what}: {before:?} was cleared without a custody entry"));
            let note = entry.note.as_deref().unwrap();
            // Each leftover is named: removed under its temporary name, or put in place under its own.
            for name in &before.temporary {
                let (dir, file) = name.rsplit_once('/').unwrap_or(("", name));
                let placed = format!("{dir}/{}", final_name_of_temp(file).unwrap());
                assert!(
                    note.contains(name.as_str()) || note.contains(placed.as_str()),
                    "{what}: the recovery entry does not name {name}: {note}"
                );
            }
            for name in &before.pending {
                assert!(note.contains(name.as_str()), "{what}: the recovery entry does not name {name}: {note}");
            }
        }
        if !is_report {
            variant += 1;
        }
    }
    eprintln!(
        "crash: import {import_time:?}, report {report_time:?}; {killed} of {KILLS} runs killed before they ended, \
         {recovered} left something for the next run"
    );
    assert!(
        killed >= KILLS / 4,
        "only {killed} of {KILLS} runs were killed before they ended: the delays are too long"
    );

    // Every acquisition is recorded exactly once: none lost, none stored twice.
    let entries = log_entries(&case);
    for k in 0..variant {
        let sha = sessionproof::digest::sha256_hex(
            &fs::read(d.path().join(format!("export-{k:02}/DataExport_2026-11-25/result.json"))).unwrap(),
        );
        let imports = entries.iter().filter(|e| e.action == "import" && e.inputs[0].sha256 == sha).count();
        assert_eq!(imports, 1, "export {k} is recorded {imports} times");
    }
    let last = fs::read_dir(case.join("reports"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .max()
        .unwrap();
    bin().arg("verify").arg(&last).assert().success();
}

/// A case with one import, opened through the library.
fn imported_case() -> (tempfile::TempDir, PathBuf, Case) {
    let (d, case) = new_case();
    bin().arg("import").arg(&case).arg(fixture("tdesktop-json/modern.json")).args(["--now", NOW]).assert().success();
    let opened = Case::open(&case).unwrap();
    (d, case, opened)
}

fn action(name: &str, outputs: Vec<FileRef>) -> Action {
    Action { at: NOW.into(), actor: "Test Examiner".into(), action: name.into(), inputs: vec![], outputs, note: None }
}

fn second_snapshot(case: &Case, staged: &mut Staged) -> FileRef {
    let first = case.snapshots().unwrap().remove(0).snapshot;
    let mut s = first.clone();
    s.acquired_at = "2026-11-26T12:30:00Z".into();
    case.write_snapshot(&s, staged).unwrap().file_ref()
}

#[test]
fn killed_after_its_custody_entry_the_run_is_completed_by_the_next() {
    let (_d, root, case) = imported_case();
    let mut staged = Staged::default();
    let snap = second_snapshot(&case, &mut staged);
    case.record(action("import", vec![snap.clone()])).unwrap();
    std::mem::forget(staged); // killed here: recorded, not yet renamed
    let problems = case.integrity_problems().unwrap();
    assert!(problems.iter().any(|p| p.contains("snapshots/0002.json") && p.contains("interrupted")), "{problems:?}");
    assert!(!root.join("snapshots/0002.json").exists());

    let rec = case.recover(NOW).unwrap();
    assert_eq!(rec.completed, vec!["snapshots/0002.json".to_string()]);
    assert!(rec.removed.is_empty(), "{rec:?}");
    assert!(case.integrity_problems().unwrap().is_empty());
    assert!(fs::metadata(root.join("snapshots/0002.json")).unwrap().permissions().readonly());
    let last = log_entries(&root).pop().unwrap();
    assert_eq!(last.action, "recover-interrupted");
    assert_eq!(last.outputs, vec![snap]);
    // Nothing is left, so a second recovery does nothing and logs nothing.
    let lines = log_entries(&root).len();
    assert!(case.recover(NOW).unwrap().is_empty());
    assert_eq!(log_entries(&root).len(), lines);
}

#[test]
fn killed_before_its_custody_entry_the_run_leaves_nothing() {
    let (_d, root, case) = imported_case();
    let before = fingerprint(&root);
    let mut staged = Staged::default();
    second_snapshot(&case, &mut staged);
    case.store_evidence_bytes(b"an original", "json", &mut staged).unwrap();
    let bundle = staged.dir(&root.join("reports/20261126T123000Z")).unwrap();
    fs::write(bundle.join("report.html"), "half a report").unwrap();
    fs::write(root.join(format!(".custody.jsonl.tmp-{}", u32::MAX)), "a log never renamed").unwrap();
    std::mem::forget(staged); // killed here: written, never recorded

    // Readers skip the leftovers: the case is consistent and lists no extra snapshot.
    assert!(case.integrity_problems().unwrap().is_empty());
    assert_eq!(case.snapshots().unwrap().len(), 1);
    assert_ne!(fingerprint(&root), before);

    let rec = case.recover(NOW).unwrap();
    assert!(rec.completed.is_empty(), "{rec:?}");
    assert_eq!(rec.removed.len(), 4, "{rec:?}");
    let entry = log_entries(&root).pop().unwrap();
    assert_eq!(entry.action, "recover-interrupted");
    assert!(entry.outputs.is_empty());
    for name in &rec.removed {
        assert!(entry.note.as_deref().unwrap().contains(name.as_str()), "{name}");
    }
    // The case is as before, plus the entry that says what was removed.
    let mut after = fingerprint(&root);
    let mut expected = before;
    after.remove("custody.jsonl");
    expected.remove("custody.jsonl");
    assert_eq!(after, expected);
}

#[test]
fn killed_report_between_entry_and_rename_is_completed_and_verifies() {
    let (_d, root, case) = imported_case();
    bin().arg("report").arg(&root).args(["--now", &at(1)]).assert().success();
    let bundle = only_bundle(&root);
    let stamp = bundle.file_name().unwrap().to_string_lossy().into_owned();
    // Put the bundle back into its staged state: the custody entry is written, the rename not.
    let staged = root.join(format!("reports/.{stamp}.tmp-{}", u32::MAX));
    fs::rename(&bundle, &staged).unwrap();
    let rec = case.recover(&at(2)).unwrap();
    assert_eq!(rec.completed, vec![format!("reports/{stamp}/")]);
    bin().arg("verify").arg(&bundle).assert().success();

    // A staged bundle that does not hold what the custody entry recorded is not put in place.
    // It is kept, not removed: it may be all that is left of the recorded bundle.
    fs::rename(&bundle, &staged).unwrap();
    fs::write(staged.join("findings.json"), "{}").unwrap();
    let rec = case.recover(&at(3)).unwrap();
    assert!(rec.is_empty(), "{rec:?}");
    assert!(!bundle.exists() && staged.join("report.pdf").is_file());
}

#[test]
fn a_cut_custody_line_is_kept_as_evidence_and_the_chain_continues() {
    let (_d, root, case) = imported_case();
    let path = root.join("custody.jsonl");
    let whole = fs::read(&path).unwrap();
    let fragment = br#"{"seq":3,"at":"2026-11-26T12:00:00Z","actor":"Test Exa"#;
    let mut cut = whole.clone();
    cut.extend_from_slice(fragment);
    fs::write(&path, &cut).unwrap();
    assert!(!custody::check_chain(&cut).is_empty());
    // Appending is refused until the cut line is dealt with; nothing is dropped.
    let refused = case.record(action("attach", vec![])).unwrap_err().to_string();
    assert!(refused.contains("unfinished"), "{refused}");
    assert_eq!(fs::read(&path).unwrap(), cut);

    let rec = case.recover(NOW).unwrap();
    let kept = format!("evidence/{}.torn", sessionproof::digest::sha256_hex(fragment));
    assert_eq!(fs::read(root.join(&kept)).unwrap(), fragment);
    assert!(rec.repairs[0].contains(&kept), "{rec:?}");
    let log = fs::read(&path).unwrap();
    assert!(custody::check_chain(&log).is_empty(), "{:?}", custody::check_chain(&log));
    assert!(log.starts_with(&whole), "the whole lines are kept as they were");
    let last = log_entries(&root).pop().unwrap();
    assert_eq!((last.action.as_str(), last.outputs[0].path.as_str()), ("custody-repaired", kept.as_str()));
    assert!(case.integrity_problems().unwrap().is_empty());

    // A last entry that only lacks its newline gets it back; the chain is unchanged.
    let log = fs::read(&path).unwrap();
    fs::write(&path, &log[..log.len() - 1]).unwrap();
    let rec = case.recover(NOW).unwrap();
    assert!(rec.repairs[0].contains("newline"), "{rec:?}");
    let repaired = fs::read(&path).unwrap();
    assert!(repaired.starts_with(&log) && custody::check_chain(&repaired).is_empty());
}

#[test]
fn an_interrupted_case_init_is_replaced_and_a_lost_case_toml_refused() {
    let d = tempfile::tempdir().unwrap();
    let case = d.path().join("case");
    bin().args(["case", "init"]).arg(&case).args(["--examiner", "A", "--now", NOW]).assert().success();
    // Killed after the custody log, before case.toml: not a case yet.
    let old_log = fs::read(case.join("custody.jsonl")).unwrap();
    fs::rename(case.join("case.toml"), case.join(format!(".case.toml.tmp-{}", u32::MAX))).unwrap();
    bin().arg("case").arg("show").arg(&case).assert().code(2);
    bin().args(["case", "init"]).arg(&case).args(["--examiner", "B", "--now", NOW]).assert().success();
    let entries = log_entries(&case);
    assert_eq!(entries.len(), 1);
    let note = entries[0].note.as_deref().unwrap();
    assert!(note.contains(&sessionproof::digest::sha256_hex(&old_log)), "{note}");
    assert!(fs::read_dir(&case).unwrap().all(|e| !is_temp_name(&e.unwrap().file_name().to_string_lossy())));

    // A case whose log records more than its creation is never re-created.
    bin().arg("import").arg(&case).arg(fixture("tdesktop-json/modern.json")).args(["--now", NOW]).assert().success();
    fs::remove_file(case.join("case.toml")).unwrap();
    let refused = bin().args(["case", "init"]).arg(&case).args(["--now", NOW]).assert().code(2);
    assert!(stderr_of(&refused).contains("Restore case.toml"), "{}", stderr_of(&refused));
}

#[test]
fn the_same_bytes_staged_twice_in_one_action_are_stored_once() {
    let (d, root, case) = imported_case();
    let bytes = b"a screenshot, attached twice".as_slice();
    let file = d.path().join("shot.png");
    fs::write(&file, bytes).unwrap();
    let mut staged = Staged::default();
    let first = case.store_evidence_bytes(bytes, "png", &mut staged).unwrap();
    let again = case.store_evidence_file(&file, "png", &mut staged).unwrap();
    assert!(!first.already_present && again.already_present, "{first:?} {again:?}");
    case.commit(action("import", vec![first.file_ref()]), staged).unwrap();
    assert_eq!(fs::read(root.join(&first.rel_path)).unwrap(), bytes);
    assert!(case.integrity_problems().unwrap().is_empty());
    assert!(
        fs::read_dir(root.join("evidence")).unwrap().all(|e| !is_temp_name(&e.unwrap().file_name().to_string_lossy()))
    );
}

#[test]
fn the_next_command_tells_the_user_what_it_recovered() {
    let (_d, root, case) = imported_case();
    let mut staged = Staged::default();
    let snap = second_snapshot(&case, &mut staged);
    case.record(action("import", vec![snap])).unwrap();
    std::mem::forget(staged); // killed here: recorded, not yet renamed
    let out = bin().arg("report").arg(&root).args(["--now", "2026-11-26T13:00:00Z"]).assert().success();
    let err = stderr_of(&out);
    assert!(err.starts_with("note: an earlier sessionproof run on this case was interrupted"), "{err}");
    assert!(err.contains("snapshots/0002.json"), "{err}");
    // Nothing left over, nothing said.
    let out = bin().arg("report").arg(&root).args(["--now", "2026-11-26T13:00:01Z"]).assert().success();
    assert!(stderr_of(&out).is_empty(), "{}", stderr_of(&out));
}
