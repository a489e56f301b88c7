//! The case folder: `case.toml`, `evidence/`, `snapshots/`, `custody.jsonl`, `reports/`.
//!
//! Originals are stored byte for byte as `evidence/<sha256>.<ext>` and made read-only; nothing in
//! `evidence/` or `snapshots/` is ever rewritten.

use super::EvidenceError;
use super::custody::{self, Action};
use super::fsutil::{make_read_only, temp_path, write_atomic, write_new};
use crate::digest::{hash_copy, sha256_hex};
use crate::model::case_config::{CaseConfig, parse_case_toml};
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
        write_new(&toml_path, case_toml.as_bytes()).map_err(EvidenceError::io(&toml_path))?;
        Ok(Case { root: root.to_path_buf(), config })
    }

    /// Opens an existing case, validating its `case.toml`.
    pub fn open(root: &Path) -> Result<Case, EvidenceError> {
        let toml_path = root.join(CASE_TOML);
        if !toml_path.is_file() {
            return Err(EvidenceError::NotACase(root.to_path_buf()));
        }
        let text = fs::read_to_string(&toml_path).map_err(EvidenceError::io(&toml_path))?;
        let config =
            parse_case_toml(&text).map_err(|e| EvidenceError::Config { path: toml_path, message: e.to_string() })?;
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

    /// Appends one entry to the custody log (the whole log is replaced atomically).
    pub fn record(&self, action: Action) -> Result<(), EvidenceError> {
        let log = custody::append(&self.custody_bytes()?, action);
        let path = self.root.join(CUSTODY_LOG);
        write_atomic(&path, &log).map_err(EvidenceError::io(&path))
    }
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
