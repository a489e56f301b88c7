//! `attach`: exhibits that are not session lists (screenshots, e-mails, a screen recording, a
//! letter from Telegram) are hashed, copied into `evidence/` byte for byte and logged, so the
//! report's evidence inventory and `verify` vouch for them like every other original.

use super::PipelineError;
use crate::clock::{Clock, rfc3339};
use crate::evidence::case_folder::ext_of;
use crate::evidence::custody::Action;
use crate::evidence::{Case, Staged};
use crate::model::custody::FileRef;
use std::path::{Path, PathBuf};

/// Longest note kept in the custody log.
const MAX_NOTE: usize = 2000;

/// One attached exhibit.
#[derive(Debug, Clone)]
pub struct AttachOutcome {
    pub input: PathBuf,
    /// Its path in the case (`evidence/<sha256>.<ext>`).
    pub stored: String,
    pub sha256: String,
    pub bytes: u64,
    /// The same bytes were already in the case; logged again, not stored twice.
    pub already_present: bool,
}

/// Copies each file into the case's evidence and logs it with `note`. Every file is checked
/// before anything is written. Each file is staged and then committed by its own custody entry,
/// so a failure part-way leaves the files before it attached and logged, and nothing of the
/// failing one.
pub fn attach(
    root: &Path,
    files: &[PathBuf],
    note: Option<&str>,
    clock: &Clock,
) -> Result<Vec<AttachOutcome>, PipelineError> {
    let case = Case::open(root)?;
    if let Some(n) = note
        && n.chars().count() > MAX_NOTE
    {
        return Err(PipelineError::Refused(format!(
            "--note is {} characters long; keep it under {MAX_NOTE} (put longer text in a file and attach that)",
            n.chars().count()
        )));
    }
    for f in files {
        let meta = std::fs::metadata(f).map_err(|source| PipelineError::Io { path: f.clone(), source })?;
        if meta.is_dir() {
            return Err(PipelineError::Refused(format!(
                "{}: is a folder; attach takes files (name the files inside it, e.g. {}/*)",
                f.display(),
                f.display()
            )));
        }
        if !meta.is_file() {
            return Err(PipelineError::Refused(format!(
                "{}: is not a regular file (a device, pipe or socket); save what it holds to a file and attach that",
                f.display()
            )));
        }
    }
    let now = rfc3339(clock.now());
    let _lock = case.lock_and_recover(&now)?;
    case.record_case_toml_change(&now)?;
    let mut outcomes = Vec::new();
    for f in files {
        let mut staged = Staged::default();
        let stored = case.store_evidence_file(f, &ext_of(f), &mut staged)?;
        let name = f.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        case.commit(
            Action {
                at: now.clone(),
                actor: case.actor(),
                action: "attach".into(),
                inputs: vec![FileRef { path: name, sha256: stored.sha256.clone(), bytes: stored.bytes }],
                outputs: vec![stored.file_ref()],
                note: Some(match (note, stored.already_present) {
                    (Some(n), false) => n.to_string(),
                    (Some(n), true) => format!("{n} (same bytes already in the case; not stored again)"),
                    (None, false) => "exhibit attached".into(),
                    (None, true) => "exhibit attached again: same bytes already in the case; not stored again".into(),
                }),
            },
            staged,
        )?;
        outcomes.push(AttachOutcome {
            input: f.clone(),
            stored: stored.rel_path,
            sha256: stored.sha256,
            bytes: stored.bytes,
            already_present: stored.already_present,
        });
    }
    Ok(outcomes)
}
