//! Completing or removing what a killed run left in the case, before the next command works.
//!
//! The custody log is the commit record (see [`super::staged`]). A staged file the log already
//! records, with the recorded sha256, belongs in place: it is renamed there (rolled forward). A
//! temporary file or folder the log does not vouch for is the leftover of a run killed before its
//! entry: it is removed. A custody log cut in its last line keeps the fragment as evidence.
//! Whatever is done is itself recorded in the custody log, so an interruption is never silent.

use super::EvidenceError;
use super::case_folder::{CASE_TOML, CUSTODY_LOG, Case, CaseLock, EVIDENCE_DIR, REPORTS_DIR, SNAPSHOTS_DIR};
use super::custody::{self, Action};
use super::fsutil::{final_name_of_temp, make_read_only, remove_temp_files, sync_dir, write_atomic};
use super::staged::Staged;
use crate::digest::sha256_file;
use crate::model::custody::{CustodyEntry, FileRef, GENESIS};
use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Component, Path, PathBuf};

/// What a command found left by an interrupted earlier run, and what it did about it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recovery {
    /// Files (and bundle folders, ending in `/`) the custody log recorded, now put in place.
    pub completed: Vec<String>,
    /// Temporary files and folders of runs killed before their custody entry, removed.
    pub removed: Vec<String>,
    /// Repairs of the custody log itself, in words.
    pub repairs: Vec<String>,
}

impl Recovery {
    /// Nothing was left over.
    pub fn is_empty(&self) -> bool {
        self.completed.is_empty() && self.removed.is_empty() && self.repairs.is_empty()
    }
}

impl Case {
    /// Takes the case's lock and then completes or removes what an interrupted run left, so the
    /// command starts from a consistent case. Every command that changes the case starts here.
    pub fn lock_and_recover(&self, at: &str) -> Result<CaseLock, EvidenceError> {
        let lock = self.lock()?;
        self.recover(at)?;
        Ok(lock)
    }

    /// Completes or removes what an interrupted run left, recording what it did at `at`. The
    /// caller holds the case's lock, so no other run is writing.
    pub fn recover(&self, at: &str) -> Result<Recovery, EvidenceError> {
        let mut rec = Recovery::default();
        let (log, log_note) = self.repair_torn_tail(at, &mut rec)?;
        let (entries, _) = custody::parse(&log);
        let completed = self.roll_forward(&entries, &mut rec)?;
        // What is recorded but still missing keeps its staged copies (they did not match the
        // record, so they were not put in place): they may be all that is left of it.
        let recorded: BTreeSet<&str> = entries.iter().flat_map(|e| &e.outputs).map(|f| f.path.as_str()).collect();
        let missing = |rel: &str| {
            !self.root.join(rel).exists()
                && (recorded.contains(rel) || recorded.iter().any(|r| r.starts_with(&format!("{rel}/"))))
        };
        for dir in [EVIDENCE_DIR, SNAPSHOTS_DIR, REPORTS_DIR] {
            let removed = remove_temp_files(&self.root.join(dir), |name| !missing(&format!("{dir}/{name}")));
            rec.removed.extend(removed.into_iter().map(|n| format!("{dir}/{n}")));
        }
        for bundle in bundle_dirs(&self.root.join(REPORTS_DIR)) {
            let prefix = format!("{REPORTS_DIR}/{bundle}");
            let removed = remove_temp_files(&self.root.join(&prefix), |name| !missing(&format!("{prefix}/{name}")));
            rec.removed.extend(removed.into_iter().map(|n| format!("{prefix}/{n}")));
        }
        rec.removed.extend(remove_temp_files(&self.root, |name| name == CASE_TOML || name == CUSTODY_LOG));
        let interrupted = !rec.completed.is_empty() || !rec.removed.is_empty();
        if !interrupted && log_note.is_none() {
            return Ok(rec);
        }
        let mut note = Vec::new();
        if interrupted {
            note.push("an earlier sessionproof run on this case was interrupted (killed or a power cut)".to_string());
        }
        note.extend(log_note);
        if !rec.completed.is_empty() {
            note.push(format!(
                "put in place, as its custody entry had already recorded them with these hashes: {}",
                rec.completed.join(", ")
            ));
        }
        if !rec.removed.is_empty() {
            note.push(format!(
                "removed its temporary files, which no custody entry had recorded: {}",
                rec.removed.join(", ")
            ));
        }
        self.record(Action {
            at: at.to_string(),
            actor: self.actor(),
            action: "recover-interrupted".into(),
            inputs: vec![],
            outputs: completed,
            note: Some(note.join("; ")),
        })?;
        Ok(rec)
    }

    /// Returns the custody log, first repairing a last line without its newline: a whole entry
    /// gets its newline (line hashes exclude it, so the chain is unchanged; the returned note
    /// says so in the recovery entry); a fragment is stored as `evidence/<sha256>.torn` and a
    /// `custody-repaired` entry continues the chain from the last whole line.
    fn repair_torn_tail(&self, at: &str, rec: &mut Recovery) -> Result<(Vec<u8>, Option<String>), EvidenceError> {
        let log = self.custody_bytes()?;
        if log.is_empty() || log.ends_with(b"\n") {
            return Ok((log, None));
        }
        let path = self.root.join(CUSTODY_LOG);
        let cut = log.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        let (head, tail) = log.split_at(cut);
        let (before, _) = custody::parse(head);
        let expected_prev = custody::head(head).unwrap_or_else(|| GENESIS.to_string());
        let whole = serde_json::from_slice::<CustodyEntry>(tail)
            .is_ok_and(|e| e.prev == expected_prev && e.seq == before.len() as u64 + 1);
        if whole {
            let mut fixed = log.clone();
            fixed.push(b'\n');
            write_atomic(&path, &fixed).map_err(EvidenceError::io(&path))?;
            let note = format!("{CUSTODY_LOG}: its last entry lacked the final newline, which was added");
            rec.repairs.push(note.clone());
            return Ok((fixed, Some(note)));
        }
        let mut staged = Staged::default();
        let stored = self.store_evidence_bytes(tail, "torn", &mut staged)?;
        let action = Action {
            at: at.to_string(),
            actor: self.actor(),
            action: "custody-repaired".into(),
            inputs: vec![],
            outputs: vec![stored.file_ref()],
            note: Some(format!(
                "{CUSTODY_LOG} ended in an unfinished line of {} bytes after line {}. sessionproof replaces the log whole, \
                 so the file was cut by something else (a copy, a full disk, a power cut on a file system without atomic \
                 rename). The fragment is kept as {}; the chain continues from line {}",
                tail.len(),
                before.len(),
                stored.rel_path,
                before.len()
            )),
        };
        self.commit_onto(head, action, staged)?;
        rec.repairs.push(format!("{CUSTODY_LOG}: an unfinished last line was kept as {}", stored.rel_path));
        Ok((self.custody_bytes()?, None))
    }

    /// Renames into place every staged file or bundle folder whose custody entry was written;
    /// returns them as file references for the recovery entry.
    fn roll_forward(&self, entries: &[CustodyEntry], rec: &mut Recovery) -> Result<Vec<FileRef>, EvidenceError> {
        let mut recorded: BTreeMap<&str, &FileRef> = BTreeMap::new();
        for f in entries.iter().flat_map(|e| &e.outputs) {
            recorded.insert(f.path.as_str(), f);
        }
        let mut out = Vec::new();
        let mut bundles_seen = BTreeSet::new();
        for (rel, f) in &recorded {
            if !inside_case_folders(rel) {
                continue;
            }
            let dest = self.root.join(rel);
            if dest.symlink_metadata().is_ok() {
                continue;
            }
            let parent = dest.parent().unwrap_or(&self.root);
            if parent.is_dir() {
                for tmp in staged_copies(&dest) {
                    if tmp.is_file() && sha256_file(&tmp).is_ok_and(|(sha, _)| sha == f.sha256) {
                        if !rel.starts_with(REPORTS_DIR) {
                            make_read_only(&tmp).map_err(EvidenceError::io(&tmp))?;
                        }
                        fs::rename(&tmp, &dest).map_err(EvidenceError::io(&dest))?;
                        sync_dir(&dest).map_err(EvidenceError::io(&dest))?;
                        rec.completed.push(rel.to_string());
                        out.push((*f).clone());
                        break;
                    }
                }
            } else if let Some(stamp) = bundle_stamp(rel)
                && bundles_seen.insert(stamp)
            {
                let prefix = format!("{REPORTS_DIR}/{stamp}/");
                let files: Vec<&FileRef> = entries
                    .iter()
                    .filter(|e| e.action == "report")
                    .flat_map(|e| &e.outputs)
                    .filter(|o| o.path.starts_with(&prefix))
                    .collect();
                let dest = self.root.join(REPORTS_DIR).join(stamp);
                for tmp in staged_copies(&dest).into_iter().filter(|t| t.is_dir()) {
                    let holds_all = files
                        .iter()
                        .all(|o| sha256_file(&tmp.join(&o.path[prefix.len()..])).is_ok_and(|(sha, _)| sha == o.sha256));
                    if holds_all && !files.is_empty() {
                        fs::rename(&tmp, &dest).map_err(EvidenceError::io(&dest))?;
                        sync_dir(&dest).map_err(EvidenceError::io(&dest))?;
                        rec.completed.push(prefix.clone());
                        out.extend(files.iter().map(|o| (*o).clone()));
                        break;
                    }
                }
            }
        }
        Ok(out)
    }
}

/// Temporary copies staged for `dest` (`.<name>.tmp-<pid>` beside it), in name order.
pub(super) fn staged_copies(dest: &Path) -> Vec<PathBuf> {
    let (Some(dir), Some(name)) = (dest.parent(), dest.file_name()) else { return Vec::new() };
    let name = name.to_string_lossy();
    let Ok(entries) = fs::read_dir(dir) else { return Vec::new() };
    let mut out: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| final_name_of_temp(&e.file_name().to_string_lossy()) == Some(name.as_ref()))
        .map(|e| e.path())
        .collect();
    out.sort();
    out
}

/// The bundle folders in `reports/` (not the hidden temporary ones).
fn bundle_dirs(reports: &Path) -> Vec<String> {
    let Ok(entries) = fs::read_dir(reports) else { return Vec::new() };
    let mut out: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    out.sort();
    out
}

/// A recorded path that may be completed: relative, plain names only, under a case folder.
fn inside_case_folders(rel: &str) -> bool {
    let path = Path::new(rel);
    path.components().all(|c| matches!(c, Component::Normal(_)))
        && !rel.contains('\\')
        && [EVIDENCE_DIR, SNAPSHOTS_DIR, REPORTS_DIR].iter().any(|d| rel.starts_with(&format!("{d}/")))
}

/// `reports/<stamp>/<file>` → `<stamp>`.
fn bundle_stamp(rel: &str) -> Option<&str> {
    let mut parts = rel.split('/');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(REPORTS_DIR), Some(stamp), Some(_), None) => Some(stamp),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_paths_inside_the_case_folders_are_completed() {
        assert!(inside_case_folders("snapshots/0001.json"));
        assert!(inside_case_folders("reports/20261126T120000Z/report.html"));
        for bad in ["../x/evidence/a", "evidence/../../etc/passwd", "/evidence/a", "case.toml", "evidence\\..\\x"] {
            assert!(!inside_case_folders(bad), "{bad}");
        }
        assert_eq!(bundle_stamp("reports/S/report.html"), Some("S"));
        assert_eq!(bundle_stamp("reports/S/x/y"), None);
    }
}
