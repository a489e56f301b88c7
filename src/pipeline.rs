//! The only orchestrator: case → ingest → evidence → render → bundle. Each public function is
//! one command's work; the CLI turns arguments into these calls and prints their outcomes.

use crate::clock::{Clock, folder_stamp, rfc3339};
use crate::digest::{sha256_file, sha256_hex};
use crate::evidence::case_folder::{CASE_TOML, CUSTODY_LOG, EVIDENCE_DIR, REPORTS_DIR, ext_of};
use crate::evidence::custody::Action;
use crate::evidence::fsutil::read_bounded;
use crate::evidence::fsutil::write_new;
use crate::evidence::{Case, EvidenceError};
use crate::ingest::{self, Format, IngestError, ParseOptions};
use crate::model::case_config::case_toml_template;
use crate::model::custody::{CustodyTool, FileRef};
use crate::model::manifest::{MANIFEST_SCHEMA, Manifest, ManifestEntry};
use crate::model::snapshot::{Companion, Snapshot};
use crate::render::{self, EvidenceItem, ReportInput, SnapshotItem};
use std::fs;
use std::path::{Path, PathBuf};

mod attach;
mod reread;
pub use attach::{AttachOutcome, attach};

/// Why a command failed. Every message names the file and what to do.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PipelineError {
    #[error(transparent)]
    Evidence(#[from] EvidenceError),
    #[error("{}: {error}", path.display())]
    Input { path: PathBuf, error: IngestError },
    #[error(transparent)]
    Render(#[from] render::RenderError),
    #[error(transparent)]
    Sign(#[from] crate::sign::SignError),
    #[error("{}: {}", path.display(), crate::evidence::describe_io(source))]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{0}")]
    Refused(String),
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> PipelineError + '_ {
    move |source| PipelineError::Io { path: path.to_path_buf(), source }
}

/// `case init` options.
#[derive(Debug, Clone, Default)]
pub struct InitOptions {
    pub case_id: Option<String>,
    pub examiner: Option<String>,
    pub subject_tz: Option<String>,
}

/// Creates a case folder with a commented `case.toml` and the first custody entry.
pub fn init_case(root: &Path, opts: &InitOptions, clock: &Clock) -> Result<Case, PipelineError> {
    let id = match &opts.case_id {
        Some(id) => id.clone(),
        None => root
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .filter(|n| !n.is_empty() && n != "." && n != "..")
            .ok_or_else(|| {
                PipelineError::Refused(format!(
                    "{}: cannot name the case after this folder; pass --case-id",
                    root.display()
                ))
            })?,
    };
    // The flag is the user's words, not a line of case.toml: judged as the flag.
    if let Some(tz) = opts.subject_tz.as_deref()
        && jiff::tz::TimeZone::get(tz).is_err()
    {
        return Err(PipelineError::Refused(format!(
            "--subject-tz {:?} is not an IANA time zone; use a name such as \"Europe/Berlin\" or \"Asia/Tehran\"",
            crate::model::text::visible(tz)
        )));
    }
    let text = case_toml_template(&id, opts.examiner.as_deref(), opts.subject_tz.as_deref());
    create_case(root, &text, clock)
}

/// Creates a case from a complete `case.toml` text, with its `case-init` custody entry.
pub fn create_case(root: &Path, case_toml: &str, clock: &Clock) -> Result<Case, PipelineError> {
    Ok(Case::create(root, case_toml, &rfc3339(clock.now()))?)
}

/// `import` and `parse` options.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub format: Format,
    pub source_tz: Option<String>,
    /// When the list was captured, as the examiner states it (`--captured-at`, RFC 3339), for a
    /// source that does not say.
    pub captured_at: Option<String>,
}

/// What one import did.
#[derive(Debug, Clone)]
pub enum ImportOutcome {
    Imported {
        input: PathBuf,
        snapshot: String,
        sessions: usize,
        web_sessions: usize,
        warnings: usize,
        method: String,
        /// The earlier snapshot of the same original this one reads again, and what changed.
        reread_of: Option<(String, Vec<String>)>,
        /// The warnings that ask the user to do something (`locator: message`).
        to_do: Vec<String>,
        /// Some dates are local times in an unknown zone: `--source-tz` would resolve them.
        zone_unknown: bool,
    },
    Duplicate {
        input: PathBuf,
        earlier_snapshot: String,
    },
}

/// An input read and parsed, not yet stored.
struct Prepared {
    input: PathBuf,
    main_bytes: Vec<u8>,
    main_ext: String,
    companions: Vec<(Companion, PathBuf)>,
    snapshot: Snapshot,
    /// For a re-reading: the preserved original it was read from (not stored again).
    preserved: Option<FileRef>,
}

/// What `import` will do with one input.
enum Plan {
    Store(Box<Prepared>),
    /// The same original read the same way as `earlier` (a snapshot path, or an input of this
    /// run whose snapshot is not written yet).
    Duplicate {
        input: PathBuf,
        input_ref: FileRef,
    },
}

/// Imports each input into the case. Everything is read and checked first; if any input is
/// refused, nothing is written and the case stays exactly as it was. An original the case holds
/// is a duplicate when read as before, and is read again from its preserved copy into a new
/// snapshot when options differ (see `reread`).
pub fn import(
    root: &Path,
    inputs: &[PathBuf],
    opts: &ImportOptions,
    clock: &Clock,
) -> Result<Vec<ImportOutcome>, PipelineError> {
    if opts.captured_at.is_some() && inputs.len() > 1 {
        return Err(PipelineError::Refused(
            "--captured-at states when one list was captured; import the inputs one at a time, each with its own time"
                .into(),
        ));
    }
    let case = Case::open(root)?;
    let now = rfc3339(clock.now());
    let _lock = case.lock_and_recover(&now)?;
    let existing = case.snapshots()?;
    let mut plans = Vec::new();
    let mut planned: Vec<String> = Vec::new();
    for input in inputs {
        let files = read_files(input)?;
        let sha = sha256_hex(&files.main_bytes);
        let input_ref =
            FileRef { path: files.resolved.display.clone(), sha256: sha.clone(), bytes: files.main_bytes.len() as u64 };
        if planned.contains(&sha) {
            plans.push(Plan::Duplicate { input: input.clone(), input_ref });
            continue;
        }
        planned.push(sha.clone());
        let plan = match reread::latest_reading(&existing, &sha) {
            None => Plan::Store(Box::new(prepare(files, opts, &now, None)?)),
            Some(earlier) => match reread::compare(opts, &earlier.stored.snapshot) {
                reread::Reading::Same => Plan::Duplicate { input: input.clone(), input_ref },
                reread::Reading::Changed { effective, changed } => {
                    let (original, bytes) = reread::preserved_original(&case, &sha)?;
                    let companions = reread::preserved_companions(&case, &earlier.stored.snapshot)?;
                    let resolved = Resolved { companions, ..files.resolved };
                    let files = InputFiles { main_bytes: bytes, resolved, ..files };
                    let mut p = prepare(files, &effective, &now, Some(&earlier.first_received))?;
                    p.snapshot.reread_of = Some(crate::model::capture::Reread {
                        snapshot: earlier.stored.rel_path.clone(),
                        sha256: earlier.stored.sha256.clone(),
                        changed,
                    });
                    p.preserved = Some(original);
                    Plan::Store(Box::new(p))
                }
            },
        };
        plans.push(plan);
    }
    case.record_case_toml_change(&now)?;
    let mut known: Vec<(String, String)> =
        existing.iter().map(|s| (s.snapshot.source.sha256.clone(), s.rel_path.clone())).collect();
    let mut outcomes = Vec::new();
    for plan in plans {
        let p = match plan {
            Plan::Store(p) => p,
            Plan::Duplicate { input, input_ref } => {
                let earlier = known.iter().rev().find(|(s, _)| *s == input_ref.sha256).map(|(_, p)| p.clone());
                let earlier = earlier.unwrap_or_default();
                case.record(Action {
                    at: now.clone(),
                    actor: case.actor(),
                    action: "import-duplicate".into(),
                    inputs: vec![input_ref],
                    outputs: vec![],
                    note: Some(format!(
                        "same bytes as the original of {earlier}, read with the same options; not stored again"
                    )),
                })?;
                outcomes.push(ImportOutcome::Duplicate { input, earlier_snapshot: earlier });
                continue;
            }
        };
        let sha = p.snapshot.source.sha256.clone();
        let input_ref =
            FileRef { path: p.snapshot.source.file_name.clone(), sha256: sha.clone(), bytes: p.snapshot.source.bytes };
        let snapshot_path = store_prepared(&case, &p, input_ref, &now)?;
        known.push((sha, snapshot_path.clone()));
        let s = &p.snapshot;
        outcomes.push(ImportOutcome::Imported {
            input: p.input.clone(),
            snapshot: snapshot_path,
            sessions: s.sessions.len(),
            web_sessions: s.web_sessions.len(),
            warnings: s.warnings.len(),
            method: s.method.as_str().into(),
            reread_of: s.reread_of.as_ref().map(|r| (r.snapshot.clone(), r.changed.clone())),
            to_do: s
                .warnings
                .iter()
                .filter(|w| ["--source-tz", "--now", "--captured-at"].iter().any(|o| w.message.contains(o)))
                .map(|w| format!("{}: {}", w.locator, w.message))
                .collect(),
            zone_unknown: crate::model::capture::activity_times(s)
                .any(|(t, _)| t.basis == crate::model::TimeBasis::LocalUnknown),
        });
    }
    Ok(outcomes)
}

/// Stores one prepared input: originals, companions and snapshot are staged, then its custody
/// entry commits them. Returns the snapshot's path; on a failure before the entry, the staged
/// files are removed and the case is as it was.
fn store_prepared(case: &Case, p: &Prepared, input_ref: FileRef, now: &str) -> Result<String, PipelineError> {
    let mut staged = crate::evidence::Staged::default();
    let mut inputs_refs = vec![input_ref];
    let mut outputs = Vec::new();
    match &p.preserved {
        Some(original) => inputs_refs.push(original.clone()),
        None => outputs.push(case.store_evidence_bytes(&p.main_bytes, &p.main_ext, &mut staged)?.file_ref()),
    }
    for (companion, path) in &p.companions {
        let stored = case.store_evidence_file(path, &ext_of(path), &mut staged)?;
        if stored.sha256 != companion.sha256 {
            return Err(PipelineError::Refused(format!(
                "{}: the file changed while it was being imported (sha256 {} then {}); import it again when nothing writes to it",
                path.display(),
                companion.sha256,
                stored.sha256
            )));
        }
        inputs_refs.push(FileRef {
            path: companion.file_name.clone(),
            sha256: companion.sha256.clone(),
            bytes: companion.bytes,
        });
        // A re-reading lists only what it adds; the companions it shares are recorded already.
        if p.preserved.is_none() || !stored.already_present {
            outputs.push(stored.file_ref());
        }
    }
    let stored = case.write_snapshot(&p.snapshot, &mut staged)?;
    outputs.push(stored.file_ref());
    let s = &p.snapshot;
    let mut note = format!(
        "{}: {}, {}, {}",
        s.method.as_str(),
        count(s.sessions.len(), "session"),
        count(s.web_sessions.len(), "web session"),
        count(s.warnings.len(), "warning")
    );
    if let (Some(r), Some(original)) = (&s.reread_of, &p.preserved) {
        note = format!(
            "re-reading of the original of {} ({}, not stored again) with {}: {note}",
            r.snapshot,
            original.path,
            r.changed.join("; ")
        );
    }
    if s.captured_at_basis == Some(crate::model::capture::CapturedAtBasis::StatedByExaminer)
        && let Some(t) = &s.captured_at
    {
        note.push_str(&format!(
            "; captured at {} as stated by the examiner (--captured-at {})",
            t.utc.as_deref().unwrap_or_default(),
            t.original
        ));
    }
    let action = Action {
        at: now.to_string(),
        actor: case.actor(),
        action: "import".into(),
        inputs: inputs_refs,
        outputs,
        note: Some(note),
    };
    case.commit(action, staged)?;
    Ok(stored.rel_path)
}

/// "1 session", "2 sessions".
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

/// `parse`: the normalized snapshot of one input, touching no case.
pub fn parse_file(input: &Path, opts: &ImportOptions, clock: &Clock) -> Result<Snapshot, PipelineError> {
    Ok(prepare(read_files(input)?, opts, &rfc3339(clock.now()), None)?.snapshot)
}

/// The files an input consists of.
struct Resolved {
    main: PathBuf,
    /// The name recorded as the source's file name (relative to what the user gave).
    display: String,
    companions: Vec<(&'static str, PathBuf, String)>,
    /// The Telegram Desktop export folder the input lies in (`DataExport_2026-11-25`), if any:
    /// its name dates the export.
    export_folder: Option<String>,
}

/// The name of the Desktop export folder `path` is, or lies in (as `result.json` or
/// `lists/sessions.html` do), when it is named like one.
fn export_folder_of(path: &Path) -> Option<String> {
    let full = fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    full.ancestors()
        .take(3)
        .filter_map(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .find(|n| n.starts_with("DataExport_"))
}

/// A file is itself; a Telegram Desktop export folder is its `result.json` plus the session lists
/// beside it; another folder must hold exactly one transcription.
fn resolve(input: &Path) -> Result<Resolved, PipelineError> {
    let name_of =
        |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| p.display().to_string());
    let meta = fs::metadata(input).map_err(|e| PipelineError::Input {
        path: input.to_path_buf(),
        error: IngestError::new(match (e.kind(), fs::read_link(input)) {
            (std::io::ErrorKind::NotFound, Ok(target)) => {
                format!("a symbolic link to {}, which does not exist; give the file itself", target.display())
            }
            (std::io::ErrorKind::NotFound, _) => "no such file or folder".to_string(),
            (std::io::ErrorKind::PermissionDenied, _) => {
                "permission denied: cannot read it; check its permissions".to_string()
            }
            // ELOOP: `ErrorKind::FilesystemLoop` is not stable yet.
            _ if cfg!(target_os = "linux") && e.raw_os_error() == Some(40) => {
                "symbolic links that lead back to themselves; give the file itself".to_string()
            }
            _ => format!("cannot read it ({e})"),
        }),
    })?;
    if meta.is_file() {
        let export_folder = export_folder_of(input);
        return Ok(Resolved { main: input.to_path_buf(), display: name_of(input), companions: vec![], export_folder });
    }
    if !meta.is_dir() {
        return Err(PipelineError::Input {
            path: input.to_path_buf(),
            error: IngestError::new(
                "neither a file nor a folder (a device, pipe or socket); give the export's file or folder",
            ),
        });
    }
    let folder = name_of(input);
    let present = |rel: &str| input.join(rel).is_file();
    let companions_of = |list: &[(&'static str, &str)]| -> Vec<(&'static str, PathBuf, String)> {
        list.iter()
            .filter(|(_, rel)| present(rel))
            .map(|(role, rel)| (*role, input.join(rel), format!("{folder}/{rel}")))
            .collect()
    };
    // A Desktop export in JSON, or in both formats: the JSON carries unix times, so it is read.
    if present("result.json") {
        let companions = companions_of(&[
            ("other-data", "lists/other_data.json"),
            ("sessions-html", "lists/sessions.html"),
            ("web-sessions-html", "lists/web_sessions.html"),
            ("export-index", "export_results.html"),
        ]);
        return Ok(Resolved {
            main: input.join("result.json"),
            display: format!("{folder}/result.json"),
            companions,
            export_folder: export_folder_of(input),
        });
    }
    // A Desktop export in HTML only: the session lists, with the web sessions read alongside.
    for (main_rel, others) in [
        (
            "lists/sessions.html",
            &[
                ("web-sessions-html", "lists/web_sessions.html"),
                ("other-data", "lists/other_data.json"),
                ("export-index", "export_results.html"),
            ][..],
        ),
        (
            "lists/web_sessions.html",
            &[("other-data", "lists/other_data.json"), ("export-index", "export_results.html")][..],
        ),
    ] {
        if present(main_rel) {
            return Ok(Resolved {
                main: input.join(main_rel),
                display: format!("{folder}/{main_rel}"),
                companions: companions_of(others),
                export_folder: export_folder_of(input),
            });
        }
    }
    let mut candidates = Vec::new();
    for entry in fs::read_dir(input).map_err(io_err(input))?.filter_map(|e| e.ok()) {
        let p = entry.path();
        if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("json")) && p.is_file() {
            // A file too large for a session list is no transcription; it is not read.
            let Some(bytes) = read_bounded(&p, MAX_INPUT_BYTES).map_err(io_err(&p))? else { continue };
            if matches!(ingest::detect(&bytes), Ok(crate::model::Method::Transcribed)) {
                candidates.push(p);
            }
        }
    }
    candidates.sort();
    match candidates.len() {
        1 => {
            let main = candidates.remove(0);
            Ok(Resolved {
                display: format!("{folder}/{}", name_of(&main)),
                main,
                companions: vec![],
                export_folder: None,
            })
        }
        0 => {
            // A folder of inputs (an export beside a folder of screenshots): name what is inside.
            let mut subfolders: Vec<String> = fs::read_dir(input)
                .map(|entries| {
                    entries
                        .filter_map(|e| e.ok())
                        .filter(|e| e.path().is_dir())
                        .map(|e| crate::model::text::visible(&input.join(e.file_name()).to_string_lossy()))
                        .collect()
                })
                .unwrap_or_default();
            subfolders.sort();
            let hint = match subfolders.len() {
                0 => String::new(),
                n => format!(
                    "; it has {}: to import what they hold, give them instead ({}{})",
                    count(n, "subfolder"),
                    subfolders.iter().take(5).map(String::as_str).collect::<Vec<_>>().join(" "),
                    if n > 5 { " …" } else { "" }
                ),
            };
            Err(PipelineError::Input {
                path: input.to_path_buf(),
                error: IngestError::new(format!(
                    "this folder holds neither a Telegram Desktop export (result.json) nor a sessionproof transcription; \
                     give the export folder (DataExport_…), its result.json, or a transcription file{hint}"
                )),
            })
        }
        _ => Err(PipelineError::Input {
            path: input.to_path_buf(),
            error: IngestError::new("this folder holds several transcriptions; import each file by name"),
        }),
    }
}

/// An input's files, resolved, with its main file read.
struct InputFiles {
    input: PathBuf,
    resolved: Resolved,
    main_bytes: Vec<u8>,
}

fn read_files(input: &Path) -> Result<InputFiles, PipelineError> {
    let resolved = resolve(input)?;
    let main_bytes = read_input(&resolved.main)?;
    Ok(InputFiles { input: input.to_path_buf(), resolved, main_bytes })
}

/// Parses an input with its companions and exhibits, and bounds or states its capture time.
/// `first_received`: when the case first received this original, for a re-reading.
fn prepare(
    files: InputFiles,
    opts: &ImportOptions,
    acquired_at: &str,
    first_received: Option<&str>,
) -> Result<Prepared, PipelineError> {
    let InputFiles { input, resolved, main_bytes } = files;
    let parse_opts = ParseOptions {
        file_name: resolved.display.clone(),
        source_tz: opts.source_tz.clone(),
        acquired_at: acquired_at.to_string(),
    };
    let parsed = ingest::parse(&main_bytes, opts.format, &parse_opts).map_err(|mut error| {
        // A format given by hand that does not fit: say what the file does read as.
        if let Some(forced) = opts.format.method()
            && let Ok(found) = ingest::detect(&main_bytes)
            && found != forced
        {
            let found = found.as_str();
            error
                .message
                .push_str(&format!("; this file reads as {found}: leave out --format, or give --format {found}"));
        }
        PipelineError::Input { path: resolved.main.clone(), error }
    })?;
    let mut snapshot = parsed.snapshot;

    let mut companions = Vec::new();
    for (role, path, display) in &resolved.companions {
        let (sha, bytes) = sha256_file(path).map_err(io_err(path))?;
        let method = snapshot.method;
        let read = |p: &Path| read_input(p);
        let refused = |error| PipelineError::Input { path: path.clone(), error };
        match *role {
            "other-data" if snapshot.security_log.is_empty() => {
                let (events, warnings) =
                    ingest::tdesktop_json::parse_other_data(&read(path)?, display).map_err(refused)?;
                snapshot.security_log.extend(events);
                snapshot.warnings.extend(warnings);
            }
            "web-sessions-html" if method == crate::model::Method::TdesktopHtml => {
                let web_opts = ParseOptions { file_name: display.clone(), ..parse_opts.clone() };
                let web = ingest::parse(&read(path)?, Format::TdesktopHtml, &web_opts).map_err(refused)?.snapshot;
                let name = display.rsplit('/').next().unwrap_or(display);
                snapshot.web_sessions.extend(web.web_sessions.into_iter().map(|mut w| {
                    w.locator = format!("{name}: {}", w.locator);
                    w
                }));
                snapshot.warnings.extend(web.warnings.into_iter().map(|mut w| {
                    w.locator = format!("{name}: {}", w.locator);
                    w
                }));
            }
            "sessions-html" | "web-sessions-html" if method == crate::model::Method::TdesktopJson => {
                snapshot.warnings.push(crate::model::snapshot::Warning {
                    locator: display.clone(),
                    message:
                        "the export also holds this HTML list; result.json was read instead (it carries unix times), \
                              the HTML is preserved as evidence"
                            .into(),
                });
            }
            _ => {}
        }
        companions
            .push((Companion { role: role.to_string(), file_name: display.clone(), sha256: sha, bytes }, path.clone()));
    }

    // Exhibits named by a transcription must exist beside it and stay inside its folder.
    let base = resolved.main.parent().map(Path::to_path_buf).unwrap_or_default();
    let base_canon =
        fs::canonicalize(if base.as_os_str().is_empty() { Path::new(".") } else { &base }).map_err(io_err(&base))?;
    for (i, rel) in parsed.exhibits.iter().enumerate() {
        let at = format!("/screenshots/{i}/file");
        let path = base.join(rel);
        let refuse = |message: String| PipelineError::Input {
            path: resolved.main.clone(),
            error: IngestError::at(at.clone(), message),
        };
        let canon = fs::canonicalize(&path).map_err(|_| {
            refuse(format!(
                "{rel:?} was not found beside the transcription; put the screenshot file there or correct the name"
            ))
        })?;
        if !canon.starts_with(&base_canon) {
            return Err(refuse(format!(
                "{rel:?} leads outside the transcription's folder (through a link); copy the screenshot into the folder"
            )));
        }
        if !canon.is_file() {
            return Err(refuse(format!("{rel:?} is not a file")));
        }
        let (sha, bytes) = sha256_file(&canon).map_err(io_err(&canon))?;
        companions.push((Companion { role: "screenshot".into(), file_name: rel.clone(), sha256: sha, bytes }, canon));
    }
    snapshot.source.companions = companions.iter().map(|(c, _)| c.clone()).collect();
    // After the companions: their web sessions and security log are activity the list shows too.
    let facts = ingest::capture_window::CaptureFacts {
        export_folder: resolved.export_folder.as_deref(),
        writer_offsets: parsed.writer_offsets,
        first_received,
        stated: opts.captured_at.as_deref(),
    };
    ingest::capture_window::bound_capture(&mut snapshot, &facts)
        .map_err(|error| PipelineError::Input { path: resolved.main.clone(), error })?;
    Ok(Prepared { input, main_ext: ext_of(&resolved.main), main_bytes, companions, snapshot, preserved: None })
}

/// The largest file `import` and `parse` read as a session list (or a companion of one). Real
/// lists are kilobytes; a Desktop export with every chat ticked can reach gigabytes, and is
/// refused before it is read rather than filling the memory.
pub const MAX_INPUT_BYTES: u64 = 64_000_000;

/// Reads an input of at most [`MAX_INPUT_BYTES`]; a larger one is refused unread, with the fix.
fn read_input(path: &Path) -> Result<Vec<u8>, PipelineError> {
    let refused = |message: String| PipelineError::Input { path: path.to_path_buf(), error: IngestError::new(message) };
    match read_bounded(path, MAX_INPUT_BYTES) {
        Ok(Some(bytes)) => Ok(bytes),
        Ok(None) => {
            let size = fs::metadata(path).map(|m| m.len()).unwrap_or(0).max(MAX_INPUT_BYTES + 1);
            Err(refused(format!(
                "{:.1} MB, more than the {} MB sessionproof reads as a session list, so it was not read and nothing \
                 was stored. Export only the session list (Telegram Desktop: Settings › Advanced › Export Telegram \
                 data, only \"Active sessions\" ticked) and import that; to preserve this file as it is, attach it \
                 (`sessionproof attach CASE FILE`)",
                size as f64 / 1e6,
                MAX_INPUT_BYTES / 1_000_000
            )))
        }
        Err(e) => Err(refused(format!("cannot read it ({e})"))),
    }
}

/// What `report` wrote.
#[derive(Debug, Clone)]
pub struct ReportOutcome {
    pub dir: PathBuf,
    pub manifest_sha256: String,
    pub files: usize,
}

/// How a report is written, beyond the case itself.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// What the brief says about the owner's access to the account.
    pub access: crate::model::brief::OwnerAccess,
    /// Show the account's phone number and username in full in the brief.
    pub reveal_identity: bool,
    /// Page size of report.pdf.
    pub paper: render::pdf::Paper,
    /// Sign the bundle: manifest.json.minisig with the case key, and report.pdf's embedded signature.
    pub sign: Option<std::sync::Arc<ReportSigning>>,
    /// The report's language.
    pub lang: render::Lang,
    /// A folder whose `report.html` and/or `report.css` replace the built-in ones.
    pub templates: Option<PathBuf>,
    /// Which parts the bundle has; the manifest, its hash list, VERIFY.txt, the custody log's
    /// copy and the time-stamp request are in every bundle.
    pub parts: ReportParts,
}

/// The parts of a report bundle that `report --format` chooses among.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportParts {
    /// report.html.
    pub html: bool,
    /// report.pdf.
    pub pdf: bool,
    /// findings.json and enrichment.json.
    pub json: bool,
    /// brief.txt and brief.html, the request to Telegram support.
    pub brief: bool,
    /// case-uco.jsonld.
    pub case_uco: bool,
}

impl ReportParts {
    /// Every part: what `report` writes unless told otherwise.
    pub const ALL: ReportParts = ReportParts { html: true, pdf: true, json: true, brief: true, case_uco: true };

    /// The parts' names as `--format` spells them, in that option's order.
    pub fn names(&self) -> Vec<&'static str> {
        [
            (self.html, "html"),
            (self.pdf, "pdf"),
            (self.json, "json"),
            (self.brief, "brief"),
            (self.case_uco, "case-uco"),
        ]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect()
    }
}

/// The keys a signed report is made with.
#[derive(Debug)]
pub struct ReportSigning {
    /// The case key (minisign format) that signs manifest.json.
    pub key: crate::sign::SecretKey,
    /// The PDF's signer; `None` derives one from the case key (see `sign::pdfsig`).
    pub pdf: Option<crate::sign::pdfsig::PdfSigner>,
}

impl Default for ReportOptions {
    fn default() -> Self {
        ReportOptions {
            access: crate::model::brief::OwnerAccess::AsOfLatestAcquisition,
            reveal_identity: false,
            paper: render::pdf::Paper::A4,
            sign: None,
            lang: render::Lang::En,
            templates: None,
            parts: ReportParts::ALL,
        }
    }
}

/// Bundle file names.
pub const REPORT_HTML: &str = "report.html";
pub const REPORT_PDF: &str = "report.pdf";
pub const FINDINGS_JSON: &str = "findings.json";
pub const ENRICHMENT_JSON: &str = "enrichment.json";
pub const CASE_UCO_JSONLD: &str = "case-uco.jsonld";
pub const VERIFY_TXT: &str = "VERIFY.txt";
pub const MANIFEST_JSON: &str = "manifest.json";
pub const SHA256SUMS: &str = "SHA256SUMS";
pub const KEY_PUB: &str = "key.pub";
pub const MANIFEST_MINISIG: &str = "manifest.json.minisig";
pub const MANIFEST_TSQ: &str = "manifest.json.tsq";
pub const MANIFEST_TSR: &str = "manifest.json.tsr";
/// The request to Telegram support; written after the manifest, whose hash it quotes.
pub const BRIEF_TXT: &str = "brief.txt";
pub const BRIEF_HTML: &str = "brief.html";
/// A signed bundle's signatures over its briefs, which the manifest cannot list (they quote it).
pub const BRIEF_TXT_MINISIG: &str = "brief.txt.minisig";
pub const BRIEF_HTML_MINISIG: &str = "brief.html.minisig";

/// Each bundle file's manifest entry: its name, role, size and SHA-256.
fn entries_of(files: &[(&str, &str, Vec<u8>)]) -> Vec<ManifestEntry> {
    files
        .iter()
        .map(|(name, role, bytes)| ManifestEntry {
            path: name.to_string(),
            role: role.to_string(),
            bytes: bytes.len() as u64,
            sha256: sha256_hex(bytes),
        })
        .collect()
}

/// Writes a new report bundle `reports/<UTC-stamp>/`; an existing bundle is never overwritten.
/// A template override that does not parse is refused before anything is written.
pub fn report(
    root: &Path,
    enrich: &crate::enrich::EnrichOptions,
    options: &ReportOptions,
    clock: &Clock,
) -> Result<ReportOutcome, PipelineError> {
    let templates = load_templates(options.templates.as_deref())?;
    let case = Case::open(root)?;
    let now = clock.now();
    let _lock = case.lock_and_recover(&rfc3339(now))?;
    let stamp = folder_stamp(now);
    let problems = case.integrity_problems()?;
    if !problems.is_empty() {
        let shown: Vec<&str> = problems.iter().take(5).map(String::as_str).collect();
        return Err(PipelineError::Refused(format!(
            "{}: the case does not match its custody log, so no report is written: {}{}",
            root.display(),
            shown.join("; "),
            if problems.len() > 5 { format!("; and {} more", problems.len() - 5) } else { String::new() }
        )));
    }
    case.check_time(&rfc3339(now))?;
    case.record_case_toml_change(&rfc3339(now))?;
    // Every snapshot is in the manifest and the custody entry; the analysis reads those in force.
    let all_snapshots = imported_snapshots(&case, root)?;
    let snapshots = in_force(all_snapshots.clone());
    let reports = root.join(REPORTS_DIR);
    fs::create_dir_all(&reports).map_err(io_err(&reports))?;
    let final_dir = reports.join(&stamp);
    if final_dir.exists() {
        return Err(PipelineError::Refused(format!(
            "{}: a bundle with this time stamp exists and is never overwritten; run again a second later (or with another --now)",
            final_dir.display()
        )));
    }

    let evidence = evidence_inventory(&case.root)?;
    let custody_log = case.custody_bytes()?;
    let (custody_entries, _) = crate::evidence::custody::parse(&custody_log);
    let refs: Vec<&Snapshot> = snapshots.iter().map(|s| &s.snapshot).collect();
    let enrichment = enrich_snapshots(&refs, enrich);
    // Each acquisition against the next in capture order, as `diff` shows them.
    let order = crate::analyze::diff::order(&refs);
    let changes = order.windows(2).map(|w| crate::analyze::diff::diff(&refs, w[0], w[1])).collect();
    let input = ReportInput {
        config: case.config.clone(),
        snapshots: snapshots
            .iter()
            .map(|s| SnapshotItem { rel_path: s.rel_path.clone(), snapshot: s.snapshot.clone() })
            .collect(),
        evidence: evidence.clone(),
        custody: custody_entries,
        generated_at: now,
        binary_sha256: binary_sha256(),
        analysis: crate::analyze::analyze(&case.config.subject, &refs, &enrichment),
        enrichment,
        changes,
        verdict_rule: crate::analyze::verdict::RULE.into(),
        bundle_dir: format!("{REPORTS_DIR}/{stamp}"),
    };
    let parts = options.parts;
    let signing = options.sign.as_deref();
    // The HTML and the PDF are two renderings of one view, built only when one of them is asked for.
    let view = (parts.html || parts.pdf).then(|| {
        let mut view = render::build_view(&input, &render::Catalogue::new(options.lang));
        view.cover.signing_key_id = signing.map(|s| s.key.id.to_string());
        view
    });
    let mut pdf_options = render::pdf::PdfOptions::new(options.paper, now);
    pdf_options.signature = signing.map(|s| crate::model::pdf_signature::SignatureSlot {
        name: format!("sessionproof case key {}", s.key.id),
        reason: format!(
            "Incident report of case {}, signed with the case key that signs its bundle",
            case.config.case.id
        ),
        signing_time: now,
    });
    // The PDF, the longest piece, is made on a thread of its own while this one writes the
    // HTML and the JSON files, and a third builds the CASE/UCO graph, which waits only for the
    // hashes of the files it lists. Each output depends only on its inputs, so the bytes are the
    // same whatever the threads' timing.
    let pairs: Vec<(String, &Snapshot)> = snapshots.iter().map(|s| (s.rel_path.clone(), &s.snapshot)).collect();
    let (toml_ref, toml_bytes) = case.case_toml()?;
    let uco_bundle = render::uco::UcoBundle {
        dir: format!("{REPORTS_DIR}/{stamp}"),
        case_toml: toml_ref.clone(),
        snapshots: snapshots
            .iter()
            .map(|s| FileRef { path: s.rel_path.clone(), sha256: s.sha256.clone(), bytes: s.bytes })
            .collect(),
        files: Vec::new(),
    };
    let (files_tx, files_rx) = std::sync::mpsc::channel::<Vec<ManifestEntry>>();
    let key_id = signing.map(|s| s.key.id.to_string());
    let (bundle_files, file_entries) = std::thread::scope(|scope| -> Result<_, PipelineError> {
        // Owned here, so every way out of this closure drops it and the graph's thread ends.
        let files_tx = files_tx;
        let (input, uco_bundle, view) = (&input, &uco_bundle, view.as_ref());
        let uco_job = parts.case_uco.then(|| {
            scope.spawn(move || render::uco::render_uco_when(input, uco_bundle, move || files_rx.recv().ok()))
        });
        let pdf_job = view.filter(|_| parts.pdf).map(|view| {
            scope.spawn(|| -> Result<Vec<u8>, PipelineError> {
                let pdf = render::pdf::render_pdf(view, &pdf_options)?;
                // The PDF's signature is its last step: the manifest then hashes the signed file.
                let Some(s) = signing else { return Ok(pdf) };
                let derived;
                let signer = match &s.pdf {
                    Some(p) => p,
                    None => {
                        derived = crate::sign::pdfsig::PdfSigner::for_case_key(&s.key, now)?;
                        &derived
                    }
                };
                Ok(crate::sign::pdfsig::sign_pdf(pdf, signer, now)?)
            })
        });
        let html = view.filter(|_| parts.html).map(|view| templates.render(view)).transpose();
        let json = parts.json.then(|| {
            let findings = render::findings::render_findings(
                &case.config.case.id,
                &rfc3339(now),
                &pairs,
                &input.enrichment,
                &input.analysis,
            );
            let mut enrichment_json = serde_json::to_vec_pretty(&input.enrichment).expect("enrichment serializes");
            enrichment_json.push(b'\n');
            (findings, enrichment_json)
        });
        let pdf = pdf_job.map(|job| job.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).transpose();
        // On an error the sender is dropped unused, and the graph's thread stops.
        let (pdf, html) = (pdf?, html?);
        let mut bundle_files: Vec<(&str, &str, Vec<u8>)> = Vec::new();
        if let Some(html) = html {
            bundle_files.push((REPORT_HTML, "report-html", html.into_bytes()));
        }
        if let Some(pdf) = pdf {
            bundle_files.push((REPORT_PDF, "report-pdf", pdf));
        }
        if let Some((findings, enrichment_json)) = json {
            bundle_files.push((FINDINGS_JSON, "findings", findings));
            bundle_files.push((ENRICHMENT_JSON, "enrichment", enrichment_json));
        }
        // The CASE/UCO document goes after findings.json, when it is made.
        let uco_at = bundle_files.iter().position(|f| f.0 == ENRICHMENT_JSON).unwrap_or(bundle_files.len());
        let mut own: Vec<&str> = bundle_files.iter().map(|f| f.0).collect();
        if parts.case_uco {
            own.insert(uco_at, CASE_UCO_JSONLD);
        }
        own.extend([CASE_TOML, CUSTODY_LOG, VERIFY_TXT]);
        if signing.is_some() {
            own.push(KEY_PUB);
        }
        let verify_txt = verify_instructions(&VerifyText {
            case_id: &case.config.case.id,
            stamp: &stamp,
            generated: &rfc3339(now),
            key_id: key_id.as_deref(),
            own_files: &own,
            briefs: parts.brief,
        });
        // The baseline the sessions were judged against travels with the bundle, so a later edit
        // of the case's case.toml (recorded in custody) leaves this bundle intact and checkable.
        bundle_files.push((CASE_TOML, "case-file", toml_bytes));
        bundle_files.push((CUSTODY_LOG, "custody-log-copy", custody_log));
        bundle_files.push((VERIFY_TXT, "verification-instructions", verify_txt.into_bytes()));
        if let Some(s) = signing {
            bundle_files.push((KEY_PUB, "public-key", s.key.public().to_file_text().into_bytes()));
        }
        // Each file is hashed once, here; the CASE/UCO document names every file written before
        // it, the manifest then names it too, and the custody entry repeats the manifest's hashes.
        let mut file_entries = entries_of(&bundle_files);
        if let Some(job) = uco_job {
            let _ = files_tx.send(file_entries.clone());
            let uco = job.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))?;
            bundle_files.insert(uco_at, (CASE_UCO_JSONLD, "case-uco", uco.into_bytes()));
            file_entries.insert(uco_at, entries_of(&bundle_files[uco_at..uco_at + 1]).remove(0));
        }
        Ok((bundle_files, file_entries))
    })?;
    let mut entries = file_entries.clone();
    for s in &all_snapshots {
        entries.push(ManifestEntry {
            path: format!("../../{}", s.rel_path),
            role: "snapshot".into(),
            bytes: s.bytes,
            sha256: s.sha256.clone(),
        });
    }
    for e in &evidence {
        entries.push(ManifestEntry {
            path: format!("../../{}", e.rel_path),
            role: "evidence".into(),
            bytes: e.bytes,
            sha256: e.sha256.clone(),
        });
    }
    let manifest = Manifest {
        schema: MANIFEST_SCHEMA.into(),
        case_id: case.config.case.id.clone(),
        created_at: rfc3339(now),
        tool: CustodyTool { name: crate::TOOL_NAME.into(), version: crate::TOOL_VERSION.into() },
        files: entries,
    };
    let mut manifest_bytes = serde_json::to_vec_pretty(&manifest).expect("manifest serializes");
    manifest_bytes.push(b'\n');
    let manifest_sha256 = sha256_hex(&manifest_bytes);
    let manifest_digest: [u8; 32] =
        sha2::Digest::finalize(sha2::Digest::chain_update(sha2::Sha256::default(), &manifest_bytes)).into();
    // Written after the manifest, over its bytes: the signature and the RFC 3161 request.
    let mut after_manifest: Vec<(&str, Vec<u8>)> = vec![(MANIFEST_TSQ, crate::sign::tsp::request(&manifest_digest))];
    if let Some(s) = signing {
        let comment = format!(
            "timestamp:{}\tsigned:{}\tcase:{}\tmanifest-sha256:{manifest_sha256}",
            now.as_second(),
            rfc3339(now),
            case.config.case.id
        );
        after_manifest
            .insert(0, (MANIFEST_MINISIG, crate::sign::minisig::sign(&s.key, &manifest_bytes, &comment).into_bytes()));
    }
    let rel_dir = format!("{REPORTS_DIR}/{stamp}");
    let mut brief_files: Vec<(&str, Vec<u8>)> = Vec::new();
    if parts.brief {
        let own_files: Vec<&str> = file_entries.iter().map(|e| e.path.as_str()).collect();
        // The comparisons the report already made, consecutive in capture order.
        let order = crate::analyze::diff::order(&refs);
        let mut vanished = Vec::new();
        for d in &input.changes {
            for c in d.changes.iter().filter(|c| c.kind == crate::analyze::diff::ChangeKind::Vanished) {
                vanished.push(crate::model::brief::Vanished {
                    acquisition: c.session.acquisition - 1,
                    session_index: c.session.session_index,
                    absent_from: d.to - 1,
                });
            }
        }
        let brief = render::brief::build_brief(
            &input,
            &render::brief::BriefContext {
                bundle: &rel_dir,
                manifest_sha256: &manifest_sha256,
                access: options.access,
                reveal_identity: options.reveal_identity,
                vanished: &vanished,
                order: &order,
                files: &own_files,
            },
        );
        brief_files.push((BRIEF_TXT, render::brief::render_brief_txt(&brief).into_bytes()));
        brief_files.push((BRIEF_HTML, render::brief::render_brief_html(&brief)?.into_bytes()));
        // The manifest cannot vouch for the briefs (they quote its hash); with a key, each is
        // signed on its own, so the text sent to Telegram can be checked without the case.
        if let Some(s) = signing {
            for (name, sig_name) in [(BRIEF_TXT, BRIEF_TXT_MINISIG), (BRIEF_HTML, BRIEF_HTML_MINISIG)] {
                let bytes = &brief_files.iter().find(|f| f.0 == name).expect("just written").1;
                let comment = format!(
                    "timestamp:{}\tsigned:{}\tcase:{}\tfile:{name}\tmanifest-sha256:{manifest_sha256}",
                    now.as_second(),
                    rfc3339(now),
                    case.config.case.id
                );
                let sig = crate::sign::minisig::sign(&s.key, bytes, &comment).into_bytes();
                brief_files.push((sig_name, sig));
            }
        }
    }

    // Written into a hidden temporary folder, recorded, then renamed whole: a bundle is complete
    // or absent, and a bundle in place is always one the custody log records.
    let mut staged = crate::evidence::Staged::default();
    let mut write_all = || -> std::io::Result<()> {
        let tmp_dir = staged.dir(&final_dir)?;
        for (name, _, bytes) in &bundle_files {
            write_new(&tmp_dir.join(name), bytes)?;
        }
        write_new(&tmp_dir.join(MANIFEST_JSON), &manifest_bytes)?;
        write_new(&tmp_dir.join(SHA256SUMS), manifest.sha256sums().as_bytes())?;
        for (name, bytes) in &after_manifest {
            write_new(&tmp_dir.join(name), bytes)?;
        }
        for (name, bytes) in &brief_files {
            write_new(&tmp_dir.join(name), bytes)?;
        }
        Ok(())
    };
    if let Err(e) = write_all() {
        return Err(PipelineError::Io { path: final_dir, source: e });
    }

    let action = Action {
        at: rfc3339(now),
        actor: case.actor(),
        action: "report".into(),
        inputs: all_snapshots
            .iter()
            .map(|s| FileRef { path: s.rel_path.clone(), sha256: s.sha256.clone(), bytes: s.bytes })
            .collect(),
        outputs: file_entries
            .iter()
            .map(|e| FileRef { path: format!("{rel_dir}/{}", e.path), sha256: e.sha256.clone(), bytes: e.bytes })
            .chain(std::iter::once(FileRef {
                path: format!("{rel_dir}/{MANIFEST_JSON}"),
                sha256: manifest_sha256.clone(),
                bytes: manifest_bytes.len() as u64,
            }))
            .chain(after_manifest.iter().chain(brief_files.iter()).map(|(name, bytes)| FileRef {
                path: format!("{rel_dir}/{name}"),
                sha256: sha256_hex(bytes),
                bytes: bytes.len() as u64,
            }))
            .collect(),
        note: Some(report_note(&rel_dir, options)),
    };
    case.commit(action, staged)?;
    Ok(ReportOutcome { dir: final_dir, manifest_sha256, files: manifest.files.len() })
}

/// The custody entry's note on a bundle: where it is, which parts it has when not all, and what
/// its brief states beyond the default.
fn report_note(rel_dir: &str, options: &ReportOptions) -> String {
    let mut note = format!("bundle {rel_dir}");
    if options.parts != ReportParts::ALL {
        note.push_str(&format!("; parts {}", options.parts.names().join(",")));
    }
    if options.parts.brief {
        use crate::model::brief::OwnerAccess;
        if options.access != OwnerAccess::AsOfLatestAcquisition || options.reveal_identity {
            let access = serde_json::to_value(options.access).ok();
            note.push_str(&format!(
                "; brief states owner access {}{}",
                access.as_ref().and_then(|v| v.as_str()).unwrap_or_default(),
                if options.reveal_identity { "; identity revealed" } else { "" }
            ));
        }
    }
    note
}

/// The report's templates: the built-in ones, each replaced by the file of the same name in
/// `dir` when there is one. Read and compiled before the case is touched.
fn load_templates(dir: Option<&Path>) -> Result<render::html::HtmlTemplates, PipelineError> {
    use render::html::{HtmlTemplates, Override, STYLESHEET_NAME, TEMPLATE_NAME};
    let Some(dir) = dir else { return Ok(HtmlTemplates::builtin()) };
    if !dir.is_dir() {
        return Err(PipelineError::Refused(format!(
            "{}: --templates is not a folder; give the folder that holds your {TEMPLATE_NAME} and/or {STYLESHEET_NAME}",
            dir.display()
        )));
    }
    let read = |name: &str| -> Result<Option<Override>, PipelineError> {
        let path = dir.join(name);
        if !path.is_file() {
            return Ok(None);
        }
        let bytes = crate::evidence::fsutil::read_small(&path, 16_000_000, "template").map_err(io_err(&path))?;
        let text = String::from_utf8(bytes).map_err(|e| {
            PipelineError::Refused(format!(
                "{}: is not UTF-8 text (invalid byte at offset {}); save it as UTF-8",
                path.display(),
                e.utf8_error().valid_up_to()
            ))
        })?;
        Ok(Some(Override { shown_as: path.display().to_string(), text }))
    };
    let (template, stylesheet) = (read(TEMPLATE_NAME)?, read(STYLESHEET_NAME)?);
    if template.is_none() && stylesheet.is_none() {
        return Err(PipelineError::Refused(format!(
            "{}: holds neither {TEMPLATE_NAME} nor {STYLESHEET_NAME}; put the files to override there",
            dir.display()
        )));
    }
    Ok(HtmlTemplates::new(template, stylesheet)?)
}

/// Enriches every IP the snapshots name (sessions, web sessions, security log), each once.
pub fn enrich_snapshots(
    snapshots: &[&Snapshot],
    opts: &crate::enrich::EnrichOptions,
) -> crate::model::enrichment::Enrichment {
    let enricher = crate::enrich::Enricher::new(opts);
    let ips = snapshots.iter().flat_map(|s| {
        s.sessions
            .iter()
            .map(|x| &x.ip)
            .chain(s.web_sessions.iter().map(|w| &w.ip))
            .chain(s.security_log.iter().map(|e| &e.ip))
            .filter_map(crate::enrich::is_lookup_candidate)
    });
    enricher.enrich(ips)
}

/// The case's snapshots; a case with none yet is refused with what to do.
fn imported_snapshots(
    case: &Case,
    root: &Path,
) -> Result<Vec<crate::evidence::case_folder::StoredSnapshot>, PipelineError> {
    let snapshots = case.snapshots()?;
    if snapshots.is_empty() {
        return Err(PipelineError::Refused(format!(
            "{}: nothing imported yet; run `sessionproof import {} EXPORT` first",
            root.display(),
            root.display()
        )));
    }
    Ok(snapshots)
}

/// The snapshots the analysis reads: all but those a later re-reading of the same original
/// supersedes (`import` with other options). Acquisitions are numbered in this list.
pub fn in_force(
    all: Vec<crate::evidence::case_folder::StoredSnapshot>,
) -> Vec<crate::evidence::case_folder::StoredSnapshot> {
    let superseded = crate::model::capture::superseded(&all.iter().map(|s| &s.snapshot).collect::<Vec<_>>());
    all.into_iter().zip(superseded).filter(|(_, gone)| !gone).map(|(s, _)| s).collect()
}

/// Every file in `evidence/`, re-hashed and compared with the name it is stored under.
fn evidence_inventory(root: &Path) -> Result<Vec<EvidenceItem>, PipelineError> {
    let dir = root.join(EVIDENCE_DIR);
    let mut names: Vec<String> = fs::read_dir(&dir)
        .map_err(io_err(&dir))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.'))
        .collect();
    names.sort();
    let mut out = Vec::new();
    for name in names {
        let path = dir.join(&name);
        let (sha, bytes) = sha256_file(&path).map_err(io_err(&path))?;
        let intact = name.split('.').next() == Some(sha.as_str());
        out.push(EvidenceItem { rel_path: format!("{EVIDENCE_DIR}/{name}"), bytes, sha256: sha, intact });
    }
    Ok(out)
}

/// The SHA-256 of the running program, so a report names the exact build that made it.
fn binary_sha256() -> String {
    std::env::current_exe()
        .ok()
        .and_then(|p| sha256_file(&p).ok())
        .map(|(sha, _)| sha)
        .unwrap_or_else(|| "unavailable".into())
}

/// What VERIFY.txt describes.
struct VerifyText<'a> {
    case_id: &'a str,
    stamp: &'a str,
    generated: &'a str,
    /// The signing key's id, when the bundle is signed.
    key_id: Option<&'a str>,
    /// The bundle's own files in the manifest, VERIFY.txt among them.
    own_files: &'a [&'a str],
    /// Whether brief.txt and brief.html are written.
    briefs: bool,
}

/// VERIFY.txt. Every command is on its own line starting with "     $ ", run from inside the
/// bundle folder; a test runs them literally. It describes only the parts the bundle has.
fn verify_instructions(v: &VerifyText) -> String {
    let VerifyText { case_id, stamp, generated, key_id, own_files, briefs } = *v;
    let listed: Vec<&str> = own_files.iter().map(|f| if *f == VERIFY_TXT { "this file" } else { f }).collect();
    let mut t = format!(
        "How to check this report bundle
===============================

Case {case_id}, bundle reports/{stamp}, written {generated} by {name} {version}.

{intro}

     $ cd CASE/reports/{stamp}

1. File hashes, with sha256sum alone (GNU coreutils; on macOS use `shasum -a 256 -c`):

     $ sha256sum -c SHA256SUMS

   Every line must end in \"OK\". SHA256SUMS holds the same paths and hashes as manifest.json.
   A bundle copied out of its case folder cannot open the paths starting ../../ (sha256sum says
   \"FAILED open or read\" for them); check the bundle's own files alone with:

     $ grep -v '  \\.\\./\\.\\./' SHA256SUMS | sha256sum -c

2. The manifest's own hash; compare it with the one you were given (sessionproof prints it,
   the case's custody.jsonl records it in the \"report\" entry{briefs_quote}):

     $ sha256sum manifest.json

   The originals are named after their own SHA-256, so each can also be checked alone: each
   printed hash must equal the file's name before the extension.

     $ sha256sum ../../evidence/*
",
        intro = crate::model::text::wrap(
            &format!(
                "The bundle lists every file it vouches for in manifest.json: its own files ({}) and, with \
                 paths starting ../../, the case's normalized snapshots and preserved originals \
                 (evidence/<sha256>.<ext>). Its case.toml is the baseline as it was when the bundle was \
                 written. Keep the bundle inside its case folder (CASE/reports/{stamp}) to \
                 check those too. Run every command below from inside the bundle folder:",
                listed.join(", ")
            ),
            94
        ),
        briefs_quote = if briefs { ", the briefs quote it" } else { "" },
        name = crate::TOOL_NAME,
        version = crate::TOOL_VERSION
    );
    if briefs {
        t.push_str(
            "
   brief.txt and brief.html (the request to Telegram support) are written after the manifest
   and quote its sha256, so they are not listed in it; the hash they quote must equal step 2's:

     $ grep -o 'manifest.json sha256 [0-9a-f]*' brief.txt
",
        );
    }
    let mut n = 3;
    if let Some(id) = key_id {
        t.push_str(&format!(
            "
{n}. The signature over manifest.json, with minisign (Ed25519, key id {id}):

     $ minisign -Vm manifest.json -p key.pub

   It must say \"Signature and comment signature verified\"; the trusted comment shows the
   signing time, the case id and the manifest's sha256. key.pub travels with the bundle, so it
   proves only that the files were not changed since signing. To know WHO signed, compare the key
   id {id} with the one the examiner gave you through another channel, or verify with
   the public key file they gave you instead of key.pub (minisign -Vm manifest.json -p THEIR.pub).
"
        ));
        if briefs {
            t.push_str(
                "
   The briefs are written after the manifest, so each is signed on its own with the same key:

     $ minisign -Vm brief.txt -p key.pub
     $ minisign -Vm brief.html -p key.pub
",
            );
        }
        let signature_step = n;
        n += 1;
        if own_files.contains(&REPORT_PDF) {
            t.push_str(&format!(
                "
{n}. The PDF's embedded signature, with pdfsig (poppler-utils):

     $ pdfsig report.pdf

   It must say \"Signature is Valid\" and \"Total document signed\". The certificate is
   self-signed and names the case key (CN=sessionproof case key {id}): a PDF viewer cannot
   know this key, so it shows the signer as not trusted. Its key is a P-256 key derived from the
   case key, because PDF readers do not accept Ed25519; what binds it to the case key is step {signature_step}:
   the signed manifest holds report.pdf's sha256, certificate included.
"
            ));
            n += 1;
        }
    }
    t.push_str(&format!(
        "
{n}. Time. manifest.json.tsq is an RFC 3161 time-stamp request over the manifest's SHA-256 (the
   imprint printed must equal step 2's hash):

     $ openssl ts -query -in manifest.json.tsq -text

   Send it to any time-stamping authority (TSA) when online, e.g.
   curl -H 'Content-Type: application/timestamp-query' --data-binary @manifest.json.tsq URL > reply.tsr,
   then store the reply with `sessionproof timestamp attach . reply.tsr`. Once the bundle holds
   manifest.json.tsr, check it against the request and the TSA's CA certificate (set TSA_CA to
   that file; the command then says \"Verification: OK\"):

     $ test ! -e manifest.json.tsr || openssl ts -verify -in manifest.json.tsr -queryfile manifest.json.tsq -CAfile \"$TSA_CA\"

{m}. With sessionproof, which does all of the above and also walks the custody log's hash chain
   and looks for files added to the bundle (add --pubkey THEIR.pub to require the examiner's key):

     $ sessionproof verify .

   Exit status 0 means intact, 1 means something was changed (each change is named),
   2 means the bundle could not be read.
",
        m = n + 1
    ));
    t
}

/// What `collect` stored.
#[derive(Debug, Clone)]
pub struct CollectOutcome {
    pub snapshot: String,
    pub sessions: usize,
    pub web_sessions: usize,
    pub warnings: usize,
    pub logged_out: bool,
}

/// Live acquisition: runs the read-only collection, stores every request and response body and
/// a capture record as evidence, decodes the bodies with the same TL decoder as `import --format
/// tl`, and logs custody. A refused or failed collection leaves the case unchanged.
pub fn collect(
    root: &Path,
    transport: &mut dyn crate::collect::Transport,
    prompter: &mut dyn crate::collect::Prompter,
    phone: &str,
    log_out: bool,
    clock: &Clock,
) -> Result<CollectOutcome, PipelineError> {
    let case = Case::open(root)?;
    let started = rfc3339(clock.now());
    let _lock = case.lock_and_recover(&started)?;
    let collected = crate::collect::run(transport, prompter, phone, log_out, clock)
        .map_err(|e| PipelineError::Refused(format!("collect: {e}")))?;
    let snapshot = snapshot_from_capture(&collected, &started)
        .map_err(|error| PipelineError::Input { path: PathBuf::from("(live capture)"), error })?;
    case.record_case_toml_change(&started)?;

    // Staged, then committed by the custody entry: a failure before it leaves the case unchanged.
    let result = (|| -> Result<String, PipelineError> {
        let mut staged = crate::evidence::Staged::default();
        let mut outputs = Vec::new();
        let record = crate::collect::capture_record(&collected);
        outputs.push(case.store_evidence_bytes(&record, "json", &mut staged)?.file_ref());
        for c in &collected.captures {
            outputs.push(case.store_evidence_bytes(&c.request, "bin", &mut staged)?.file_ref());
            outputs.push(case.store_evidence_bytes(&c.response, "bin", &mut staged)?.file_ref());
        }
        let stored = case.write_snapshot(&snapshot, &mut staged)?;
        outputs.push(stored.file_ref());
        let conn = &collected.connection;
        let action = Action {
            at: rfc3339(clock.now()),
            actor: case.actor(),
            action: "collect".into(),
            inputs: vec![],
            outputs,
            note: Some(format!(
                "live MTProto acquisition via {}: layer {}, DC {}, api_id {}, announced device_model {:?}, app_version {:?}; \
                 read-only (account.getAuthorizations, account.getWebAuthorizations, account.getPassword), no session terminated{}",
                conn.library,
                conn.layer,
                conn.dc_id,
                conn.api_id,
                conn.device_model,
                conn.app_version,
                if collected.logged_out { "; the collector's own session was logged out at the end" } else { "" }
            )),
        };
        case.commit(action, staged)?;
        Ok(stored.rel_path)
    })();
    match result {
        Ok(path) => Ok(CollectOutcome {
            snapshot: path,
            sessions: snapshot.sessions.len(),
            web_sessions: snapshot.web_sessions.len(),
            warnings: snapshot.warnings.len(),
            logged_out: collected.logged_out,
        }),
        Err(e) => Err(e),
    }
}

/// Decodes the captured bodies with the same TL decoder as `import --format tl` into one snapshot.
fn snapshot_from_capture(c: &crate::collect::Collected, acquired_at: &str) -> Result<Snapshot, IngestError> {
    use crate::ingest::tl::{TlBody, decode_body};
    use crate::model::snapshot::{Account, SNAPSHOT_SCHEMA, Source, Time, TimeBasis, Tool, Warning};
    let conn = &c.connection;
    let mut account = Account::default();
    let (mut sessions, mut web_sessions, mut warnings) = (Vec::new(), Vec::new(), Vec::new());
    let mut companions = Vec::new();
    let mut main = None;
    for cap in &c.captures {
        let name = format!("{} response", cap.method);
        let decoded = decode_body(&cap.response).map_err(|e| IngestError::at(name.clone(), e.to_string()))?;
        warnings
            .extend(decoded.warnings.into_iter().map(|w| Warning { locator: format!("{name}: {}", w.locator), ..w }));
        match decoded.body {
            TlBody::Authorizations { ttl_days, sessions: s } => {
                account.ttl_days = ttl_days;
                sessions = s;
            }
            TlBody::WebAuthorizations { web_sessions: w } => web_sessions = w,
            TlBody::Password { two_fa } => account.two_fa = Some(two_fa),
        }
        let sha = sha256_hex(&cap.response);
        if cap.method == "account.getAuthorizations" {
            main = Some((name, sha, cap.response.len() as u64));
        } else {
            companions.push(Companion {
                role: "mtproto-response".into(),
                file_name: name,
                sha256: sha,
                bytes: cap.response.len() as u64,
            });
        }
        companions.push(Companion {
            role: "mtproto-request".into(),
            file_name: format!("{} request", cap.method),
            sha256: sha256_hex(&cap.request),
            bytes: cap.request.len() as u64,
        });
    }
    let record = crate::collect::capture_record(c);
    companions.push(Companion {
        role: "capture-record".into(),
        file_name: "capture record (DC, layer, announced parameters, times)".into(),
        sha256: sha256_hex(&record),
        bytes: record.len() as u64,
    });
    let (file_name, sha256, bytes) =
        main.ok_or_else(|| IngestError::new("the capture holds no account.getAuthorizations response"))?;
    for s in sessions.iter().filter(|s| s.current == Some(true)) {
        if s.device_model.as_deref() != Some(conn.device_model.as_str()) {
            warnings.push(Warning {
                locator: s.locator.clone(),
                message: format!(
                    "Telegram marks this session current, but the collector announced device model {:?}; check which session is the collector's",
                    conn.device_model
                ),
            });
        }
    }
    let first =
        c.captures.first().map(|x| crate::clock::rfc3339(x.captured_at)).unwrap_or_else(|| acquired_at.to_string());
    Ok(Snapshot {
        schema: SNAPSHOT_SCHEMA.into(),
        acquired_at: acquired_at.to_string(),
        captured_at: Some(Time {
            utc: Some(first.clone()),
            original: first,
            basis: TimeBasis::Offset,
            precision: None,
        }),
        captured_at_basis: None,
        capture_window: None,
        reread_of: None,
        method: crate::model::Method::Mtproto,
        source: Source {
            sha256,
            file_name,
            bytes,
            tool: Some(Tool {
                name: format!(
                    "sessionproof collect via {} (MTProto layer {}, DC {})",
                    conn.library, conn.layer, conn.dc_id
                ),
                version: Some(crate::TOOL_VERSION.into()),
            }),
            source_tz: None,
            companions,
        },
        account,
        sessions,
        web_sessions,
        security_log: Vec::new(),
        warnings,
    })
}

/// What `analyze` found: the snapshots as read, the enrichment and the analysis.
pub struct CaseAnalysis {
    /// Where the case does not match its custody log (empty: it does). `analyze` still reads
    /// it, and says so; `report` refuses it.
    pub integrity_problems: Vec<String>,
    pub snapshots: Vec<crate::evidence::case_folder::StoredSnapshot>,
    pub enrichment: crate::model::enrichment::Enrichment,
    pub analysis: crate::model::finding::Analysis,
    /// The case's declared baseline.
    pub subject: crate::model::case_config::Subject,
}

/// `analyze`: enriches and judges every session; reads the case, writes nothing.
pub fn analyze_case(root: &Path, enrich: &crate::enrich::EnrichOptions) -> Result<CaseAnalysis, PipelineError> {
    let case = Case::open(root)?;
    let integrity_problems = case.integrity_problems()?;
    let snapshots = in_force(imported_snapshots(&case, root)?);
    let refs: Vec<&Snapshot> = snapshots.iter().map(|s| &s.snapshot).collect();
    let enrichment = enrich_snapshots(&refs, enrich);
    let analysis = crate::analyze::analyze(&case.config.subject, &refs, &enrichment);
    Ok(CaseAnalysis { integrity_problems, snapshots, enrichment, analysis, subject: case.config.subject })
}

/// What `timestamp attach` did.
#[derive(Debug, Clone)]
pub enum TimestampOutcome {
    /// The reply was checked and stored as `manifest.json.tsr`.
    Attached(crate::sign::tsp::TimestampInfo),
    /// The reply does not hold for this bundle; nothing was written.
    Rejected(String),
}

/// `timestamp attach`: checks a TSA's reply against the bundle's own request and stores it as
/// `manifest.json.tsr`, changing no signed file; beside its case, the case's custody log
/// records it. `anchors`: the TSA's CA certificates, when the user gives them.
pub fn attach_timestamp(
    bundle: &Path,
    tsr_path: &Path,
    anchors: Option<&[x509_cert::Certificate]>,
    clock: &Clock,
) -> Result<TimestampOutcome, PipelineError> {
    let manifest_path = bundle.join(MANIFEST_JSON);
    if !manifest_path.is_file() {
        return Err(PipelineError::Refused(format!(
            "{}: not a report bundle (no manifest.json); give the path of CASE/reports/<stamp>",
            bundle.display()
        )));
    }
    let manifest = fs::read(&manifest_path).map_err(io_err(&manifest_path))?;
    let tsq_path = bundle.join(MANIFEST_TSQ);
    let tsq = fs::read(&tsq_path).map_err(io_err(&tsq_path))?;
    let digest: [u8; 32] =
        sha2::Digest::finalize(sha2::Digest::chain_update(sha2::Sha256::default(), &manifest)).into();
    if tsq != crate::sign::tsp::request(&digest) {
        return Ok(TimestampOutcome::Rejected(format!(
            "{}: is not the request over this manifest.json: one of them was changed; nothing attached",
            tsq_path.display()
        )));
    }
    // A TSA's reply is a few kilobytes; anything much larger is not one, and is not read whole.
    let Some(tsr) = read_bounded(tsr_path, 1_000_000).map_err(io_err(tsr_path))? else {
        return Ok(TimestampOutcome::Rejected(format!(
            "{}: larger than 1 MB, so not a time-stamp reply (a TSA's reply is a few kilobytes); nothing attached",
            tsr_path.display()
        )));
    };
    let info = match crate::sign::tsp::check_response(&tsq, &tsr, anchors) {
        Ok(info) => info,
        Err(e) => return Ok(TimestampOutcome::Rejected(format!("{}: {e}; nothing attached", tsr_path.display()))),
    };
    let out = bundle.join(MANIFEST_TSR);
    let root = bundle.join("../..");
    let case = if root.join(CASE_TOML).is_file() && root.join(CUSTODY_LOG).is_file() {
        Some(Case::open(&root)?)
    } else {
        None
    };
    let now = rfc3339(clock.now());
    let _lock = case.as_ref().map(|c| c.lock_and_recover(&now)).transpose()?;
    if out.exists() {
        return Err(PipelineError::Refused(format!(
            "{}: the bundle already holds a time-stamp reply, which is never overwritten",
            out.display()
        )));
    }
    // Staged, recorded in the case's custody log, then renamed into the bundle.
    let mut staged = crate::evidence::Staged::default();
    if case.is_none() {
        crate::evidence::fsutil::remove_temp_files(bundle, |name| name == MANIFEST_TSR);
    }
    staged.write(&out, &tsr, false).map_err(io_err(&out))?;
    if let Some(case) = &case {
        let rel = bundle
            .canonicalize()
            .ok()
            .and_then(|b| Some(b.strip_prefix(root.canonicalize().ok()?).ok()?.to_string_lossy().replace('\\', "/")))
            .unwrap_or_else(|| bundle.display().to_string());
        let file = FileRef { path: format!("{rel}/{MANIFEST_TSR}"), sha256: sha256_hex(&tsr), bytes: tsr.len() as u64 };
        let action = Action {
            at: now,
            actor: case.actor(),
            action: "timestamp-attach".into(),
            inputs: vec![FileRef {
                path: tsr_path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
                ..file.clone()
            }],
            outputs: vec![file],
            note: Some(format!("RFC 3161 token: genTime {}, TSA {}, serial {}", info.gen_time, info.tsa, info.serial)),
        };
        case.commit(action, staged)?;
    } else {
        staged.put_in_place().map_err(io_err(&out))?;
    }
    Ok(TimestampOutcome::Attached(info))
}
