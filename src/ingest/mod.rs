//! Input formats: each parser takes the original's bytes and returns a normalized snapshot.
//! Parsers are pure: they never touch the disk; the pipeline reads and preserves the files.

pub mod fields;
pub mod json;
pub mod relative_time;
pub mod tdesktop_json;
pub mod time;
pub mod transcribed;

use crate::model::snapshot::{Method, Snapshot};
use jiff::tz::TimeZone;

/// Formats the `--format` option accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Auto,
    TdesktopJson,
    TdesktopHtml,
    TelethonJson,
    PyrogramJson,
    Tl,
    Transcribed,
    Csv,
}

/// Why an input was refused: where in the file (JSON pointer, line) and what was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", at.as_ref().map(|a| format!("{a}: ")).unwrap_or_default())]
pub struct IngestError {
    pub at: Option<String>,
    pub message: String,
}

impl IngestError {
    pub fn new(message: impl Into<String>) -> Self {
        IngestError { at: None, message: message.into() }
    }
    pub fn at(at: impl Into<String>, message: impl Into<String>) -> Self {
        IngestError { at: Some(at.into()), message: message.into() }
    }
}

/// What a parser needs besides the bytes.
#[derive(Debug, Clone)]
pub struct ParseOptions {
    /// The file name as the user gave it (recorded in the snapshot).
    pub file_name: String,
    /// The zone of the PC that wrote local-time dates (`--source-tz`).
    pub source_tz: Option<String>,
    /// When sessionproof acquired the input, RFC 3339 UTC.
    pub acquired_at: String,
}

/// A parsed input: the snapshot and the files it refers to (screenshots), which the pipeline
/// must hash and preserve. `sha256`/`bytes` of the snapshot's source are filled in by the parser.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub snapshot: Snapshot,
    /// Relative paths (from the input's folder) of exhibits the input names.
    pub exhibits: Vec<String>,
}

/// Parses `bytes` in `format` (detected when `Auto`).
pub fn parse(bytes: &[u8], format: Format, opts: &ParseOptions) -> Result<Parsed, IngestError> {
    let tz = match &opts.source_tz {
        Some(name) => Some(TimeZone::get(name).map_err(|_| {
            IngestError::new(format!(
                "--source-tz {name:?} is not an IANA time zone; use a name such as \"Europe/Berlin\""
            ))
        })?),
        None => None,
    };
    let method = match format {
        Format::Auto => detect(bytes)?,
        Format::TdesktopJson => Method::TdesktopJson,
        Format::Transcribed => Method::Transcribed,
        other => {
            return Err(IngestError::new(format!(
                "the {} format is not supported by this version of sessionproof; supported: tdesktop-json, transcribed",
                format_name(other)
            )));
        }
    };
    match method {
        Method::TdesktopJson => tdesktop_json::parse(bytes, opts, tz.as_ref()),
        Method::Transcribed => transcribed::parse(bytes, opts),
        other => Err(IngestError::new(format!("the {} format is not supported yet", other.as_str()))),
    }
}

/// Recognizes the format of `bytes` from its content, never its name.
pub fn detect(bytes: &[u8]) -> Result<Method, IngestError> {
    const EXPECTED: &str = "expected a Telegram Desktop export (result.json) or a sessionproof transcription (sessionproof/transcribed/v1)";
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(IngestError::new(format!("the file is empty; {EXPECTED}")));
    }
    if bytes.iter().take(4096).any(|&b| b == 0) {
        return Err(IngestError::new(format!("this is a binary file, not text; {EXPECTED}")));
    }
    let parsed = json::parse(bytes).map_err(|e| {
        IngestError::at(
            format!("line {}, column {}", e.line, e.column),
            format!("not readable as JSON ({}); {EXPECTED}", e.message),
        )
    })?;
    let root = &parsed.root;
    if root.get("format").and_then(|f| f.as_str()).is_some_and(|f| f.starts_with("sessionproof/transcribed/")) {
        return Ok(Method::Transcribed);
    }
    if root.as_object().is_some()
        && ["personal_information", "sessions", "web_sessions", "other_data", "chats"]
            .iter()
            .any(|k| root.get(k).is_some())
    {
        return Ok(Method::TdesktopJson);
    }
    Err(IngestError::new(format!("valid JSON, but not a format sessionproof knows; {EXPECTED}")))
}

fn format_name(f: Format) -> &'static str {
    match f {
        Format::Auto => "auto",
        Format::TdesktopJson => "tdesktop-json",
        Format::TdesktopHtml => "tdesktop-html",
        Format::TelethonJson => "telethon-json",
        Format::PyrogramJson => "pyrogram-json",
        Format::Tl => "tl",
        Format::Transcribed => "transcribed",
        Format::Csv => "csv",
    }
}
