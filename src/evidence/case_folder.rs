//! The case folder: `case.toml`, `evidence/`, `snapshots/`, `custody.jsonl`, `reports/`.
//!
//! Originals are stored byte for byte as `evidence/<sha256>.<ext>` and made read-only; nothing in
//! `evidence/` or `snapshots/` is ever rewritten.
//!
//! Crash safety: every file a command adds is staged under a hidden temporary name
//! ([`Staged`]), its custody entry is then written (the commit point), and only then are the
//! files renamed into place ([`Case::commit`]). The next command completes or removes what a
//! killed run left ([`Case::recover`]); docs/crash-safety.md explains the states.

use super::EvidenceError;
use super::custody::{self, Action};
use super::fsutil::{remove_temp_files, sync_dir, write_atomic};
use super::staged::Staged;
use crate::digest::sha256_hex;
use crate::model::case_config::{CaseConfig, parse_case_toml, parse_case_toml_bytes};
use crate::model::custody::FileRef;
use crate::model::snapshot::Snapshot;
use std::fs::{self, File};
use std::path::{Path, PathBuf};

/// The file names inside a case folder.
pub const CASE_TOML: &str = "case.toml";
pub const CUSTODY_LOG: &str = "custody.jsonl";
pub const EVIDENCE_DIR: &str = "evidence";
pub const SNAPSHOTS_DIR: &str = "snapshots";
pub const REPORTS_DIR: &str = "reports";
/// Held (flock) by every command that changes the case, so two runs cannot interleave.
pub const LOCK_FILE: &str = ".sessionproof.lock";

/// An opened case.
#[derive(Debug, Clone)]
pub struct Case {
    pub root: PathBuf,
    pub config: CaseConfig,
}

/// A file stored in the case: its path relative to the case folder, hash and size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub rel_path: String,
    pub sha256: String,
    pub bytes: u64,
    /// The same bytes were already in the case (an earlier import of the same file).
    pub already_present: bool,
}

impl StoredFile {
    /// This file as a custody / manifest reference.
    pub fn file_ref(&self) -> FileRef {
        FileRef { path: self.rel_path.clone(), sha256: self.sha256.clone(), bytes: self.bytes }
    }
}

/// A snapshot as stored: its path in the case and the parsed document.
#[derive(Debug, Clone)]
pub struct StoredSnapshot {
    pub rel_path: String,
    pub sha256: String,
    pub bytes: u64,
    pub snapshot: Snapshot,
}

impl Case {
    /// Creates a case folder with `case_toml` as its `case.toml` and the `case-init` custody
    /// entry dated `at`; refuses if a case exists.
    ///
    /// The custody log is written before `case.toml`, whose arrival makes the folder a case: a
    /// kill in between leaves a folder that is not a case yet, holding only the log of this
    /// interrupted init, which the next `case init` replaces (its new entry says so).
    pub fn create(root: &Path, case_toml: &str, at: &str) -> Result<Case, EvidenceError> {
        let toml_path = root.join(CASE_TOML);
        if root.exists() && !root.is_dir() {
            return Err(EvidenceError::NotAFolder(root.to_path_buf()));
        }
        if toml_path.exists() {
            return Err(EvidenceError::AlreadyACase(root.to_path_buf()));
        }
        let config = parse_case_toml(case_toml)
            .map_err(|e| EvidenceError::Config { path: toml_path.clone(), message: e.to_string() })?;
        // What this call makes, so that a failure (a full disk, say) takes it away again.
        let fresh = |rel: &str| !root.join(rel).exists();
        let fresh_root = !root.exists();
        let (fresh_lock, fresh_log) = (fresh(LOCK_FILE), fresh(CUSTODY_LOG));
        let fresh_dirs: Vec<&str> =
            [EVIDENCE_DIR, SNAPSHOTS_DIR, REPORTS_DIR].into_iter().filter(|d| fresh(d)).collect();
        let made = Case::make(root, case_toml, config, at);
        if made.is_err() {
            let remove = |rel: &str| {
                let _ = fs::remove_file(root.join(rel));
            };
            if !toml_path.exists() {
                if fresh_log {
                    remove(CUSTODY_LOG);
                }
                if fresh_lock {
                    remove(LOCK_FILE);
                }
            }
            for dir in fresh_dirs {
                let _ = fs::remove_dir(root.join(dir));
            }
            if fresh_root {
                let _ = fs::remove_dir(root);
            }
        }
        made
    }

    fn make(root: &Path, case_toml: &str, config: CaseConfig, at: &str) -> Result<Case, EvidenceError> {
        let toml_path = root.join(CASE_TOML);
        for dir in [EVIDENCE_DIR, SNAPSHOTS_DIR, REPORTS_DIR] {
            fs::create_dir_all(root.join(dir)).map_err(EvidenceError::io(root.join(dir)))?;
        }
        sync_dir(&root.join(CASE_TOML)).map_err(EvidenceError::io(root))?;
        let case = Case { root: root.to_path_buf(), config };
        let _lock = case.lock()?;
        if toml_path.exists() {
            return Err(EvidenceError::AlreadyACase(root.to_path_buf()));
        }
        let replaced = case.interrupted_init()?;
        remove_temp_files(root, |name| name == CASE_TOML || name == CUSTODY_LOG);
        let mut staged = Staged::default();
        staged.write(&toml_path, case_toml.as_bytes(), false).map_err(EvidenceError::io(&toml_path))?;
        let toml_ref =
            FileRef { path: CASE_TOML.into(), sha256: sha256_hex(case_toml.as_bytes()), bytes: case_toml.len() as u64 };
        let mut note = format!("case {} created", case.config.case.id);
        if let Some(sha) = replaced {
            note.push_str(&format!(
                "; replaces the custody log (sha256 {sha}) of an earlier `case init` that was interrupted before case.toml was written"
            ));
        }
        let action = Action {
            at: at.to_string(),
            actor: case.actor(),
            action: "case-init".into(),
            inputs: vec![],
            outputs: vec![toml_ref],
            note: Some(note),
        };
        case.commit_onto(&[], action, staged)?;
        Ok(case)
    }

    /// The sha256 of the custody log an interrupted `case init` left (one `case-init` entry and
    /// no `case.toml`), or `None` when there is no log. Any other log is refused: it belongs to a
    /// case whose `case.toml` went missing.
    fn interrupted_init(&self) -> Result<Option<String>, EvidenceError> {
        let log = self.custody_bytes()?;
        if log.is_empty() {
            return Ok(None);
        }
        let (entries, problems) = custody::parse(&log);
        if problems.is_empty() && entries.len() == 1 && entries[0].action == "case-init" {
            return Ok(Some(sha256_hex(&log)));
        }
        Err(EvidenceError::Corrupt {
            path: self.root.join(CUSTODY_LOG),
            message: format!(
                "this folder has a custody log of {} lines but no {CASE_TOML}: it is a case whose {CASE_TOML} went missing. \
                 Restore {CASE_TOML} from a copy (its sha256 is in the log) instead of creating a new case here",
                entries.len() + problems.len()
            ),
        })
    }

    /// Takes the case's exclusive lock for as long as the returned guard lives. The operating
    /// system releases it if the process dies, so a crash never leaves a stale lock.
    pub fn lock(&self) -> Result<CaseLock, EvidenceError> {
        let path = self.root.join(LOCK_FILE);
        let file = match File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                File::create(&path).map_err(EvidenceError::io(&path))?;
                File::open(&path).map_err(EvidenceError::io(&path))?
            }
            Err(e) => return Err(EvidenceError::Io { path, source: e }),
        };
        match file.try_lock() {
            Ok(()) => Ok(CaseLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => Err(EvidenceError::Busy(self.root.clone())),
            Err(std::fs::TryLockError::Error(e)) => Err(EvidenceError::Io { path, source: e }),
        }
    }

    /// Opens an existing case, validating its `case.toml`.
    pub fn open(root: &Path) -> Result<Case, EvidenceError> {
        let toml_path = root.join(CASE_TOML);
        if !toml_path.is_file() {
            return Err(match fs::metadata(root) {
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => EvidenceError::NoSuchFolder(root.to_path_buf()),
                Ok(m) if !m.is_dir() => EvidenceError::NotAFolder(root.to_path_buf()),
                _ => EvidenceError::NotACase(root.to_path_buf()),
            });
        }
        let bytes = fs::read(&toml_path).map_err(EvidenceError::io(&toml_path))?;
        let config = parse_case_toml_bytes(&bytes)
            .map_err(|e| EvidenceError::Config { path: toml_path, message: e.to_string() })?;
        Ok(Case { root: root.to_path_buf(), config })
    }

    /// Who acts in custody entries: the case's examiner.
    pub fn actor(&self) -> String {
        self.config.case.examiner.clone().unwrap_or_else(|| "examiner not named in case.toml".into())
    }

    /// `case.toml` as a file reference.
    pub fn case_toml_ref(&self) -> Result<FileRef, EvidenceError> {
        Ok(self.case_toml()?.0)
    }

    /// `case.toml` as it is now: its reference and its bytes.
    pub fn case_toml(&self) -> Result<(FileRef, Vec<u8>), EvidenceError> {
        let path = self.root.join(CASE_TOML);
        let bytes = fs::read(&path).map_err(EvidenceError::io(&path))?;
        Ok((FileRef { path: CASE_TOML.into(), sha256: sha256_hex(&bytes), bytes: bytes.len() as u64 }, bytes))
    }

    /// Stages an original already in memory as `evidence/<sha256>.<ext>`, read-only; it is put
    /// in place by [`Case::commit`].
    pub fn store_evidence_bytes(
        &self,
        bytes: &[u8],
        ext: &str,
        staged: &mut Staged,
    ) -> Result<StoredFile, EvidenceError> {
        let sha = sha256_hex(bytes);
        let rel = format!("{EVIDENCE_DIR}/{sha}.{}", safe_ext(ext));
        let path = self.root.join(&rel);
        let already_present = path.exists() || staged.contains(&path);
        if !already_present {
            staged.write(&path, bytes, true).map_err(EvidenceError::io(&path))?;
        }
        Ok(StoredFile { rel_path: rel, sha256: sha, bytes: bytes.len() as u64, already_present })
    }

    /// Stages a copy of the file at `source` in `evidence/`, hashing it on the way (constant
    /// memory); it is put in place by [`Case::commit`].
    pub fn store_evidence_file(
        &self,
        source: &Path,
        ext: &str,
        staged: &mut Staged,
    ) -> Result<StoredFile, EvidenceError> {
        let dir = self.root.join(EVIDENCE_DIR);
        let ext = safe_ext(ext);
        let (_, sha, bytes, added) = staged
            .copy_in(source, &dir, |sha| format!("{sha}.{ext}"), true)
            .map_err(|(path, source)| EvidenceError::Io { path, source })?;
        Ok(StoredFile { rel_path: format!("{EVIDENCE_DIR}/{sha}.{ext}"), sha256: sha, bytes, already_present: !added })
    }

    /// Every stored snapshot, in acquisition order.
    pub fn snapshots(&self) -> Result<Vec<StoredSnapshot>, EvidenceError> {
        let dir = self.root.join(SNAPSHOTS_DIR);
        let mut names = snapshot_names(&dir)?;
        names.sort();
        let mut out = Vec::new();
        for name in names {
            let path = dir.join(&name);
            let bytes = fs::read(&path).map_err(EvidenceError::io(&path))?;
            let snapshot = serde_json::from_slice(&bytes).map_err(|e| EvidenceError::Corrupt {
                path: path.clone(),
                message: format!("not a sessionproof snapshot ({e}); the case was altered outside sessionproof"),
            })?;
            out.push(StoredSnapshot {
                rel_path: format!("{SNAPSHOTS_DIR}/{name}"),
                sha256: sha256_hex(&bytes),
                bytes: bytes.len() as u64,
                snapshot,
            });
        }
        Ok(out)
    }

    /// Stages `snapshot` as the next `snapshots/NNNN.json`, read-only: one past every number on
    /// disk and every number the custody log records.
    pub fn write_snapshot(&self, snapshot: &Snapshot, staged: &mut Staged) -> Result<StoredFile, EvidenceError> {
        let dir = self.root.join(SNAPSHOTS_DIR);
        let on_disk = snapshot_names(&dir)?;
        let recorded = custody::recorded_files(&custody::parse(&self.custody_bytes()?).0);
        let number = |name: &str| name.strip_suffix(".json").and_then(|n| n.parse::<usize>().ok()).unwrap_or(0);
        let last = on_disk
            .iter()
            .map(|n| number(n))
            .chain(recorded.keys().filter_map(|p| p.strip_prefix("snapshots/")).map(number))
            .max()
            .unwrap_or(0)
            .max(on_disk.len());
        let rel = format!("{SNAPSHOTS_DIR}/{:04}.json", last + 1);
        let path = self.root.join(&rel);
        if path.exists() {
            return Err(EvidenceError::Io {
                path,
                source: std::io::Error::new(std::io::ErrorKind::AlreadyExists, "snapshot exists"),
            });
        }
        let mut bytes = serde_json::to_vec_pretty(snapshot).expect("snapshot serializes");
        bytes.push(b'\n');
        staged.write(&path, &bytes, true).map_err(EvidenceError::io(&path))?;
        Ok(StoredFile { rel_path: rel, sha256: sha256_hex(&bytes), bytes: bytes.len() as u64, already_present: false })
    }

    /// The custody log's bytes (empty for a case that has none yet).
    pub fn custody_bytes(&self) -> Result<Vec<u8>, EvidenceError> {
        let path = self.root.join(CUSTODY_LOG);
        match fs::read(&path) {
            Ok(b) => Ok(b),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(EvidenceError::Io { path, source: e }),
        }
    }

    /// Appends one entry to the custody log. Custody time never goes backwards: an entry
    /// earlier than the last one is refused.
    ///
    /// The whole log is written to a temporary file, flushed and renamed over the old one, so a
    /// kill leaves the old log or the new one, never a torn last line. A log that nonetheless
    /// ends in an unfinished line (cut by something else: a copy, a disk fault) is refused here;
    /// [`Case::recover`] keeps that fragment as evidence before anything is appended.
    pub fn record(&self, action: Action) -> Result<(), EvidenceError> {
        let current = self.custody_bytes()?;
        if !current.is_empty() && !current.ends_with(b"\n") {
            return Err(EvidenceError::Corrupt {
                path: self.root.join(CUSTODY_LOG),
                message: "the last line is unfinished (the log was cut); run the command again: it keeps the \
                          unfinished line as evidence and records the repair"
                    .into(),
            });
        }
        self.append_onto(&current, action)
    }

    /// Records `action` and then puts its staged files in place: the custody entry is the commit
    /// point. Files left behind by a failure after the entry are completed by the next command.
    pub fn commit(&self, action: Action, staged: Staged) -> Result<(), EvidenceError> {
        self.record(action)?;
        self.put_in_place(staged)
    }

    /// [`Case::commit`] onto `base`, the log as it is to stand before the new entry.
    pub(super) fn commit_onto(&self, base: &[u8], action: Action, staged: Staged) -> Result<(), EvidenceError> {
        self.append_onto(base, action)?;
        self.put_in_place(staged)
    }

    fn put_in_place(&self, staged: Staged) -> Result<(), EvidenceError> {
        staged.put_in_place().map_err(|e| EvidenceError::Corrupt {
            path: self.root.clone(),
            message: format!(
                "the custody log records this action, but its files could not be put in place ({}); run any \
                 sessionproof command that changes the case (import, attach, report) to complete it",
                super::describe_io(&e)
            ),
        })
    }

    /// Writes `base` plus `action` as the custody log.
    fn append_onto(&self, current: &[u8], action: Action) -> Result<(), EvidenceError> {
        let path = self.root.join(CUSTODY_LOG);
        check_time(&path, current, &action.at)?;
        let log = custody::append(current, action);
        write_atomic(&path, &log).map_err(EvidenceError::io(&path))
    }

    /// Refuses, before any work is done, an action dated `at` that the custody log would refuse
    /// to record (earlier than its last entry), so a command never leaves output it cannot log.
    pub fn check_time(&self, at: &str) -> Result<(), EvidenceError> {
        check_time(&self.root.join(CUSTODY_LOG), &self.custody_bytes()?, at)
    }

    /// Checks that the case is as its custody log says: the chain is intact, every snapshot and
    /// evidence file was recorded by an entry with the same hash, and every recorded file is
    /// present and unchanged. Returns the problems found (empty = consistent).
    pub fn integrity_problems(&self) -> Result<Vec<String>, EvidenceError> {
        let log = self.custody_bytes()?;
        let mut problems: Vec<String> = custody::check_chain(&log)
            .into_iter()
            .map(|p| format!("{CUSTODY_LOG} line {}: {}", p.line, p.message))
            .collect();
        let recorded = custody::recorded_files(&custody::parse(&log).0);
        let mut on_disk = Vec::new();
        for dir in [EVIDENCE_DIR, SNAPSHOTS_DIR] {
            let path = self.root.join(dir);
            let mut names: Vec<String> = fs::read_dir(&path)
                .map_err(EvidenceError::io(&path))?
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| !n.starts_with('.'))
                .collect();
            names.sort();
            on_disk.extend(names.into_iter().map(|n| format!("{dir}/{n}")));
        }
        for rel in &on_disk {
            let path = self.root.join(rel);
            // A link would let the bytes change outside the case; only files are evidence.
            let kind = fs::symlink_metadata(&path).map_err(EvidenceError::io(&path))?.file_type();
            if !kind.is_file() {
                let what = match fs::read_link(&path) {
                    Ok(target) => format!("a symbolic link to {}", target.display()),
                    Err(_) if kind.is_dir() => "a folder".to_string(),
                    Err(_) => "not a regular file".to_string(),
                };
                problems.push(format!(
                    "{rel}: is {what}, not a file: it was put there outside sessionproof; put the original file back"
                ));
                continue;
            }
            let (sha, _) = crate::digest::sha256_file(&path).map_err(EvidenceError::io(&path))?;
            match recorded.get(rel) {
                None => {
                    problems.push(format!("{rel}: not recorded in the custody log: it was added outside sessionproof"))
                }
                Some(expected) if *expected != sha => problems
                    .push(format!("{rel}: changed since it was recorded (sha256 {sha}, custody says {expected})")),
                Some(_) => {}
            }
        }
        for rel in recorded.keys() {
            if (rel.starts_with("evidence/") || rel.starts_with("snapshots/")) && !on_disk.contains(rel) {
                let staged = if super::recover::staged_copies(&self.root.join(rel)).is_empty() {
                    ""
                } else {
                    " (a run was interrupted after recording it; the next import, attach or report puts it in place)"
                };
                problems.push(format!("{rel}: recorded in the custody log but missing from the case{staged}"));
            }
        }
        Ok(problems)
    }

    /// Records a change of `case.toml` since the custody log last saw it (the baseline the
    /// analysis is judged against must be traceable).
    pub fn record_case_toml_change(&self, at: &str) -> Result<(), EvidenceError> {
        let current = self.case_toml_ref()?;
        let (entries, _) = custody::parse(&self.custody_bytes()?);
        let last_known = entries.iter().rev().flat_map(|e| e.outputs.iter()).find(|f| f.path == CASE_TOML);
        if last_known.is_some_and(|f| f.sha256 == current.sha256) {
            return Ok(());
        }
        self.record(Action {
            at: at.to_string(),
            actor: self.actor(),
            action: "case-file-changed".into(),
            inputs: last_known.cloned().into_iter().collect(),
            outputs: vec![current],
            note: Some("case.toml was edited since the custody log last recorded it".into()),
        })
    }
}

/// The snapshot files in `dir` (temporary files of an interrupted run are not snapshots).
fn snapshot_names(dir: &Path) -> Result<Vec<String>, EvidenceError> {
    Ok(fs::read_dir(dir)
        .map_err(EvidenceError::io(dir))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json") && !n.starts_with('.'))
        .collect())
}

fn check_time(path: &Path, log: &[u8], at: &str) -> Result<(), EvidenceError> {
    match custody::parse(log).0.last() {
        Some(last) if at < last.at.as_str() => Err(EvidenceError::Corrupt {
            path: path.to_path_buf(),
            message: format!(
                "the last custody entry is dated {}; this action would be dated {at}, earlier. Custody time cannot go \
                 backwards: check the computer's clock or --now",
                last.at
            ),
        }),
        _ => Ok(()),
    }
}

/// The case's lock, released when dropped.
#[derive(Debug)]
pub struct CaseLock {
    _file: File,
}

/// An extension safe for a file name: ASCII letters and digits only, lower case, at most 10.
pub fn safe_ext(ext: &str) -> String {
    let e: String = ext.chars().filter(|c| c.is_ascii_alphanumeric()).take(10).collect::<String>().to_ascii_lowercase();
    if e.is_empty() { "bin".into() } else { e }
}

/// The extension of a user-supplied file name.
pub fn ext_of(path: &Path) -> String {
    safe_ext(&path.extension().map(|e| e.to_string_lossy().into_owned()).unwrap_or_default())
}
