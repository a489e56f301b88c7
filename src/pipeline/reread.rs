//! Importing an original the case already holds. With the same reading options it is a
//! duplicate (logged, nothing stored); with other options (`--source-tz`, `--format`,
//! `--captured-at`) it is read again, with the files read beside it, from the preserved copies
//! into a new snapshot, which supersedes the earlier one for analysis. Options not given keep
//! what the latest reading used, so running the same command twice never undoes a correction.

use super::{ImportOptions, PipelineError};
use crate::evidence::Case;
use crate::evidence::case_folder::{EVIDENCE_DIR, StoredSnapshot};
use crate::ingest::Format;
use crate::model::capture::CapturedAtBasis;
use crate::model::custody::FileRef;
use crate::model::{Method, Snapshot};
use std::fs;

/// The latest reading of an original, and when the case first received it.
pub(super) struct Earlier<'a> {
    pub stored: &'a StoredSnapshot,
    /// The import time of the first snapshot of this original.
    pub first_received: String,
}

/// The latest snapshot of the original whose SHA-256 is `sha`, if the case has one.
pub(super) fn latest_reading<'a>(existing: &'a [StoredSnapshot], sha: &str) -> Option<Earlier<'a>> {
    let mut same = existing.iter().filter(|s| s.snapshot.source.sha256 == sha);
    let first = same.next()?;
    let latest = same.next_back().unwrap_or(first);
    Some(Earlier { stored: latest, first_received: first.snapshot.acquired_at.clone() })
}

/// How an import reads an original the case holds.
pub(super) enum Reading {
    /// As the latest reading did: a duplicate.
    Same,
    /// With other options: the options to read it with, and what changed, in words.
    Changed { effective: ImportOptions, changed: Vec<String> },
}

/// Compares the options given with those of the latest reading `e`; options not given are
/// inherited from it. A live capture is never read again (its capture record would be lost),
/// and a transcription states its own zone, so `--source-tz` does not change how it is read.
pub(super) fn compare(opts: &ImportOptions, e: &Snapshot) -> Reading {
    let stated = (e.captured_at_basis == Some(CapturedAtBasis::StatedByExaminer))
        .then(|| e.captured_at.as_ref().map(|t| t.original.clone()))
        .flatten();
    let effective = ImportOptions {
        format: match opts.format {
            Format::Auto => Format::for_method(e.method).unwrap_or(Format::Auto),
            f => f,
        },
        source_tz: opts.source_tz.clone().or_else(|| e.source.source_tz.clone()),
        captured_at: opts.captured_at.clone().or_else(|| stated.clone()),
    };
    if e.method == Method::Mtproto {
        return Reading::Same;
    }
    let was = |v: Option<&str>| v.map(str::to_string).unwrap_or_else(|| "not given".into());
    let mut changed = Vec::new();
    if let Some(m) = opts.format.method()
        && m != e.method
    {
        changed.push(format!("--format {} (was: {})", m.as_str(), e.method.as_str()));
    }
    if let Some(tz) = &opts.source_tz
        && Some(tz) != e.source.source_tz.as_ref()
        && e.method != Method::Transcribed
    {
        changed.push(format!("--source-tz {tz} (was: {})", was(e.source.source_tz.as_deref())));
    }
    if let Some(at) = &opts.captured_at {
        let instant = |t: &str| t.trim().parse::<jiff::Timestamp>().ok();
        let same = stated.as_deref().is_some_and(|s| s == at || (instant(s).is_some() && instant(s) == instant(at)));
        if !same {
            changed.push(format!("--captured-at {at} (was: {})", was(stated.as_deref())));
        }
    }
    if changed.is_empty() { Reading::Same } else { Reading::Changed { effective, changed } }
}

/// The preserved original of SHA-256 `sha` (`evidence/<sha>.<ext>`) and its bytes, checked
/// against its name: a re-reading reads the copy the case keeps, never a second copy.
pub(super) fn preserved_original(case: &Case, sha: &str) -> Result<(FileRef, Vec<u8>), PipelineError> {
    let dir = case.root.join(EVIDENCE_DIR);
    let prefix = format!("{sha}.");
    let mut names: Vec<String> = fs::read_dir(&dir)
        .map_err(|source| PipelineError::Io { path: dir.clone(), source })?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&prefix))
        .collect();
    names.sort();
    let missing = || {
        PipelineError::Refused(format!(
            "{}: the preserved original {EVIDENCE_DIR}/{sha}.* is missing or changed, so it cannot be read again; \
             the case does not match its custody log (`sessionproof analyze` names what differs)",
            case.root.display()
        ))
    };
    let name = names.first().ok_or_else(missing)?;
    let content = super::read_input(&dir.join(name))?;
    if crate::digest::sha256_hex(&content) != sha {
        return Err(missing());
    }
    Ok((
        FileRef { path: format!("{EVIDENCE_DIR}/{name}"), sha256: sha.to_string(), bytes: content.len() as u64 },
        content,
    ))
}

/// The files the earlier reading `e` read with its original (an export's `other_data.json`, its
/// HTML lists), from their preserved copies, each checked against its name: a re-reading reads
/// what the case holds, whatever the folder given now holds. Screenshots are not among them:
/// a transcription names its own, found beside it.
pub(super) fn preserved_companions(
    case: &Case,
    e: &Snapshot,
) -> Result<Vec<(&'static str, std::path::PathBuf, String)>, PipelineError> {
    const ROLES: &[&str] = &["other-data", "sessions-html", "web-sessions-html", "export-index"];
    let mut out = Vec::new();
    for c in &e.source.companions {
        let Some(role) = ROLES.iter().find(|r| **r == c.role) else { continue };
        let (file, _) = preserved_original(case, &c.sha256)?;
        out.push((*role, case.root.join(&file.path), c.file_name.clone()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::snapshot::{Time, TimeBasis};

    fn snap(method: Method, source_tz: Option<&str>, stated: Option<&str>) -> Snapshot {
        let mut s = crate::model::snapshot::test_snapshot(vec![]);
        s.acquired_at = "2026-11-25T10:00:00Z".into();
        s.captured_at =
            stated.map(|t| Time { utc: Some(t.into()), original: t.into(), basis: TimeBasis::Offset, precision: None });
        s.captured_at_basis = stated.map(|_| CapturedAtBasis::StatedByExaminer);
        s.method = method;
        s.source.sha256 = "0".into();
        s.source.source_tz = source_tz.map(str::to_string);
        s
    }

    fn opts(format: Format, tz: Option<&str>, at: Option<&str>) -> ImportOptions {
        ImportOptions { format, source_tz: tz.map(str::to_string), captured_at: at.map(str::to_string) }
    }

    fn changes(o: &ImportOptions, e: &Snapshot) -> Vec<String> {
        match compare(o, e) {
            Reading::Same => vec![],
            Reading::Changed { changed, .. } => changed,
        }
    }

    #[test]
    fn options_not_given_are_inherited_and_only_a_difference_reads_again() {
        let html = snap(Method::TdesktopHtml, None, None);
        assert!(changes(&opts(Format::Auto, None, None), &html).is_empty());
        assert!(changes(&opts(Format::TdesktopHtml, None, None), &html).is_empty());
        assert_eq!(
            changes(&opts(Format::Auto, Some("Europe/Berlin"), None), &html),
            ["--source-tz Europe/Berlin (was: not given)"]
        );
        let berlin = snap(Method::TdesktopHtml, Some("Europe/Berlin"), None);
        assert!(changes(&opts(Format::Auto, None, None), &berlin).is_empty(), "the same command again changes nothing");
        let Reading::Changed { effective, changed } =
            compare(&opts(Format::Auto, None, Some("2026-11-23T11:15:00+01:00")), &berlin)
        else {
            panic!("a stated capture time is a change")
        };
        assert_eq!(changed, ["--captured-at 2026-11-23T11:15:00+01:00 (was: not given)"]);
        assert_eq!(effective.source_tz.as_deref(), Some("Europe/Berlin"), "inherited");
        assert_eq!(effective.format, Format::TdesktopHtml, "inherited");

        let stated = snap(Method::TelethonJson, None, Some("2026-11-23T10:15:00Z"));
        assert!(
            changes(&opts(Format::Auto, None, Some("2026-11-23T11:15:00+01:00")), &stated).is_empty(),
            "same instant"
        );
        assert_eq!(
            changes(&opts(Format::Csv, None, Some("2026-11-23T10:16:00Z")), &stated),
            ["--format csv (was: telethon-json)", "--captured-at 2026-11-23T10:16:00Z (was: 2026-11-23T10:15:00Z)"]
        );
        let screenshots = snap(Method::Transcribed, Some("Europe/Berlin"), None);
        assert!(changes(&opts(Format::Auto, Some("Asia/Tehran"), None), &screenshots).is_empty());
        let live = snap(Method::Mtproto, None, None);
        assert!(
            changes(&opts(Format::Tl, Some("Asia/Tehran"), None), &live).is_empty(),
            "a live capture is never re-read"
        );
    }
}
