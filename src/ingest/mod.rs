//! Input formats: each parser takes the original's bytes and returns a normalized snapshot.
//! Parsers are pure: they never touch the disk; the pipeline reads and preserves the files.

pub mod capture_window;
pub mod csv;
pub mod fields;
pub mod grammers_json;
pub mod json;
pub mod lib_dump;
pub mod plausibility;
pub mod pyrogram_json;
pub mod relative_time;
pub mod tdesktop_html;
pub mod tdesktop_json;
pub mod tdlib_json;
pub mod telethon_json;
pub mod time;
pub mod tl;
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
    GrammersJson,
    TdlibJson,
    Tl,
    Transcribed,
    Csv,
}

impl Format {
    /// The method a fixed format stands for; `None` for `Auto`.
    pub fn method(self) -> Option<Method> {
        Some(match self {
            Format::Auto => return None,
            Format::TdesktopJson => Method::TdesktopJson,
            Format::TdesktopHtml => Method::TdesktopHtml,
            Format::TelethonJson => Method::TelethonJson,
            Format::PyrogramJson => Method::PyrogramJson,
            Format::GrammersJson => Method::GrammersJson,
            Format::TdlibJson => Method::TdlibJson,
            Format::Tl => Method::Tl,
            Format::Transcribed => Method::Transcribed,
            Format::Csv => Method::Csv,
        })
    }

    /// The format that reads a method's input; `None` for a live capture, which is not a file.
    pub fn for_method(m: Method) -> Option<Format> {
        Some(match m {
            Method::Mtproto => return None,
            Method::TdesktopJson => Format::TdesktopJson,
            Method::TdesktopHtml => Format::TdesktopHtml,
            Method::TelethonJson => Format::TelethonJson,
            Method::PyrogramJson => Format::PyrogramJson,
            Method::GrammersJson => Format::GrammersJson,
            Method::TdlibJson => Format::TdlibJson,
            Method::Tl => Format::Tl,
            Method::Transcribed => Format::Transcribed,
            Method::Csv => Format::Csv,
        })
    }
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
    /// The smallest and largest UTC offset (seconds) the writer's clock showed, where the source
    /// writes a time both as local text and as unix seconds (Desktop JSON `created` and
    /// `created_unixtime`): the exporting PC's zone, as the export itself shows it.
    pub writer_offsets: Option<(i32, i32)>,
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
    let tz = tz.as_ref();
    let method = match format.method() {
        Some(m) => m,
        None => detect(bytes)?,
    };
    let mut parsed = match method {
        Method::TdesktopJson => tdesktop_json::parse(bytes, opts, tz),
        Method::TdesktopHtml => tdesktop_html::parse(bytes, opts, tz),
        Method::TelethonJson => telethon_json::parse(bytes, opts, tz),
        Method::PyrogramJson => pyrogram_json::parse(bytes, opts, tz),
        Method::GrammersJson => grammers_json::parse(bytes, opts, tz),
        Method::TdlibJson => tdlib_json::parse(bytes, opts, tz),
        Method::Tl => tl::parse(bytes, opts, tz),
        Method::Transcribed => transcribed::parse(bytes, opts),
        Method::Csv => csv::parse(bytes, opts, tz),
        Method::Mtproto => Err(IngestError::new(
            "live MTProto captures are imported by `sessionproof collect`, not from a file; import the saved response bodies with --format tl",
        )),
    }?;
    fields::note_hidden_characters(&mut parsed.snapshot);
    plausibility::note_implausible_values(&mut parsed.snapshot);
    Ok(parsed)
}

const EXPECTED: &str = "expected a Telegram Desktop export (result.json or lists/sessions.html), a sessionproof transcription, \
a Telethon / Pyrogram / grammers / TDLib JSON dump, a raw TL response body or a sessions CSV";

/// "UTF-16LE" or "UTF-16BE" when `bytes` look like UTF-16 text: a byte-order mark, or ASCII
/// with every other byte zero (Windows tools write it as "Unicode").
fn utf16(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\xFF\xFE") {
        return Some("UTF-16LE");
    }
    if bytes.starts_with(b"\xFE\xFF") {
        return Some("UTF-16BE");
    }
    let head = &bytes[..bytes.len().min(64) & !1];
    let ascii_at = |odd: bool| {
        head.len() >= 4
            && head.chunks(2).all(|p| {
                let (a, b) = if odd { (p[1], p[0]) } else { (p[0], p[1]) };
                b == 0 && a != 0 && a.is_ascii()
            })
    };
    if ascii_at(false) {
        Some("UTF-16LE")
    } else if ascii_at(true) {
        Some("UTF-16BE")
    } else {
        None
    }
}

/// Recognizes the format of `bytes` from its content, never its name.
pub fn detect(bytes: &[u8]) -> Result<Method, IngestError> {
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if text.iter().all(|b| b.is_ascii_whitespace()) {
        let what = if text.is_empty() && !bytes.is_empty() { " (only a byte-order mark)" } else { "" };
        return Err(IngestError::new(format!("the file is empty{what}; {EXPECTED}")));
    }
    if tl::detect(bytes) {
        return Ok(Method::Tl);
    }
    if let Some(encoding) = utf16(bytes) {
        return Err(IngestError::new(format!(
            "this is {encoding} text; sessionproof reads UTF-8: save it again as UTF-8 (in a text editor: Save as, \
             encoding UTF-8), then import the new copy and keep this one as the original"
        )));
    }
    // Text exports never hold a raw NUL (Telegram Desktop writes control bytes as \xHH), wherever it is.
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(IngestError::at(
            format!("byte {at}"),
            format!("a NUL byte: this is a binary file (or a damaged one), not text; {EXPECTED}"),
        ));
    }
    if tdesktop_html::detect(bytes) {
        return Ok(Method::TdesktopHtml);
    }
    let first = bytes.iter().find(|b| !b.is_ascii_whitespace() && **b != 0xEF && **b != 0xBB && **b != 0xBF);
    if !matches!(first, Some(b'{') | Some(b'[')) && csv::detect(bytes) {
        return Ok(Method::Csv);
    }
    let parsed = json::parse(bytes).map_err(|e| {
        let looks_like = if first == Some(&b'<') {
            "; for an HTML export page pass --format tdesktop-html to see why it was not recognized"
        } else if !matches!(first, Some(b'{') | Some(b'[')) {
            "; for a hand-typed list pass --format csv to see why it was not recognized"
        } else {
            ""
        };
        IngestError::at(
            format!("line {}, column {}", e.line, e.column),
            format!("not readable as JSON ({}); {EXPECTED}{looks_like}", e.message),
        )
    })?;
    let root = &parsed.root;
    if root.get("format").and_then(|f| f.as_str()).is_some_and(|f| f.starts_with("sessionproof/transcribed/")) {
        return Ok(Method::Transcribed);
    }
    type Detector = fn(&json::Node) -> bool;
    let detectors: [(Detector, Method); 4] = [
        (telethon_json::detect, Method::TelethonJson),
        (pyrogram_json::detect, Method::PyrogramJson),
        (tdlib_json::detect, Method::TdlibJson),
        (grammers_json::detect, Method::GrammersJson),
    ];
    for (detects, method) in detectors {
        if detects(root) {
            return Ok(method);
        }
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
