//! The case folder: `case.toml`, `evidence/`, `snapshots/`, `custody.jsonl`, `reports/`.
//!
//! Originals are stored byte for byte as `evidence/<sha256>.<ext>` and made read-only; nothing in
//! `evidence/` or `snapshots/` is ever rewritten.

use super::EvidenceError;
use super::custody::{self, Action};
use super::fsutil::{make_read_only, temp_path, write_atomic, write_new};
use crate::digest::{hash_copy, sha256_hex};
use crate::model::case_config::{CaseConfig, parse_case_toml, parse_case_toml_bytes};
use crate::model::custody::FileRef;
use crate::model::snapshot::Snapshot;
use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Write};
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
    /// Creates a case folder with `case_toml` as its `case.toml`; refuses if one exists.
    pub fn create(root: &Path, case_toml: &str) -> Result<Case, EvidenceError> {
        let toml_path = root.join(CASE_TOML);
        if toml_path.exists() {
            return Err(EvidenceError::AlreadyACase(root.to_path_buf()));
        }
        let config = parse_case_toml(case_toml)
            .map_err(|e| EvidenceError::Config { path: toml_path.clone(), message: e.to_string() })?;
        for dir in [EVIDENCE_DIR, SNAPSHOTS_DIR, REPORTS_DIR] {
            fs::create_dir_all(root.join(dir)).map_err(EvidenceError::io(root.join(dir)))?;
        }
        let lock = root.join(LOCK_FILE);
        if !lock.exists() {
            File::create(&lock).map_err(EvidenceError::io(&lock))?;
        }
        write_new(&toml_path, case_toml.as_bytes()).map_err(EvidenceError::io(&toml_path))?;
        Ok(Case { root: root.to_path_buf(), config })
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
            return Err(EvidenceError::NotACase(root.to_path_buf()));
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
        let path = self.root.join(CASE_TOML);
        let bytes = fs::read(&path).map_err(EvidenceError::io(&path))?;
        Ok(FileRef { path: CASE_TOML.into(), sha256: sha256_hex(&bytes), bytes: bytes.len() as u64 })
    }

    /// Stores an original already in memory as `evidence/<sha256>.<ext>`.
    pub fn store_evidence_bytes(&self, bytes: &[u8], ext: &str) -> Result<StoredFile, EvidenceError> {
        let sha = sha256_hex(bytes);
        let rel = format!("{EVIDENCE_DIR}/{sha}.{}", safe_ext(ext));
        let path = self.root.join(&rel);
        let already_present = path.exists();
        if !already_present {
            write_new(&path, bytes).map_err(EvidenceError::io(&path))?;
            make_read_only(&path).map_err(EvidenceError::io(&path))?;
        }
        Ok(StoredFile { rel_path: rel, sha256: sha, bytes: bytes.len() as u64, already_present })
    }

    /// Copies the file at `source` into `evidence/`, hashing it on the way (constant memory).
    pub fn store_evidence_file(&self, source: &Path, ext: &str) -> Result<StoredFile, EvidenceError> {
        let dir = self.root.join(EVIDENCE_DIR);
        let tmp = temp_path(&dir.join("incoming"));
        let copy = || -> std::io::Result<(String, u64)> {
            let input = File::open(source)?;
            let mut out = BufWriter::new(OpenOptions::new().write(true).create_new(true).open(&tmp)?);
            let (sha, n) = hash_copy(input, &mut out)?;
            out.flush()?;
            out.get_ref().sync_all()?;
            Ok((sha, n))
        };
        let (sha, bytes) = match copy() {
            Ok(v) => v,
            Err(e) => {
                let _ = fs::remove_file(&tmp);
                return Err(EvidenceError::Io { path: source.to_path_buf(), source: e });
            }
        };
        let rel = format!("{EVIDENCE_DIR}/{sha}.{}", safe_ext(ext));
        let path = self.root.join(&rel);
        let already_present = path.exists();
        if already_present {
            let _ = fs::remove_file(&tmp);
        } else {
            make_read_only(&tmp).map_err(EvidenceError::io(&tmp))?;
            fs::rename(&tmp, &path).map_err(EvidenceError::io(&path))?;
            super::fsutil::sync_dir(&path).map_err(EvidenceError::io(&path))?;
        }
        Ok(StoredFile { rel_path: rel, sha256: sha, bytes, already_present })
    }

    /// Every stored snapshot, in acquisition order.
    pub fn snapshots(&self) -> Result<Vec<StoredSnapshot>, EvidenceError> {
        let dir = self.root.join(SNAPSHOTS_DIR);
        let mut names: Vec<String> = fs::read_dir(&dir)
            .map_err(EvidenceError::io(&dir))?
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".json") && !n.starts_with('.'))
            .collect();
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

    /// Writes `snapshot` as the next `snapshots/NNNN.json`, read-only.
    pub fn write_snapshot(&self, snapshot: &Snapshot) -> Result<StoredFile, EvidenceError> {
        let dir = self.root.join(SNAPSHOTS_DIR);
        let count = fs::read_dir(&dir)
            .map_err(EvidenceError::io(&dir))?
            .filter_map(|e| e.ok())
            .filter(|e| {
                e.file_name().to_string_lossy().ends_with(".json") && !e.file_name().to_string_lossy().starts_with('.')
            })
            .count();
        let rel = format!("{SNAPSHOTS_DIR}/{:04}.json", count + 1);
        let path = self.root.join(&rel);
        let mut bytes = serde_json::to_vec_pretty(snapshot).expect("snapshot serializes");
        bytes.push(b'\n');
        write_new(&path, &bytes).map_err(EvidenceError::io(&path))?;
        make_read_only(&path).map_err(EvidenceError::io(&path))?;
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

    /// Appends one entry to the custody log (the whole log is replaced atomically). Custody
    /// time never goes backwards: an entry earlier than the last one is refused.
    pub fn record(&self, action: Action) -> Result<(), EvidenceError> {
        let current = self.custody_bytes()?;
        let path = self.root.join(CUSTODY_LOG);
        if let Some(last) = custody::parse(&current).0.last()
            && action.at < last.at
        {
            return Err(EvidenceError::Corrupt {
                path,
                message: format!(
                    "the last custody entry is dated {}; this action would be dated {}, earlier. Custody time cannot go \
                     backwards: check the computer's clock or --now",
                    last.at, action.at
                ),
            });
        }
        let log = custody::append(&current, action);
        write_atomic(&path, &log).map_err(EvidenceError::io(&path))
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
                problems.push(format!("{rel}: recorded in the custody log but missing from the case"));
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

    /// Removes files this command created, after a failure, so the case is as it was.
    pub fn roll_back(&self, created: &[String]) {
        for rel in created {
            let _ = fs::remove_file(self.root.join(rel));
        }
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
