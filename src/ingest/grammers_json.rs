//! This input format is not read by this version of sessionproof yet.

use super::{IngestError, ParseOptions, Parsed};
use jiff::tz::TimeZone;

pub fn detect(_root: &super::json::Node) -> bool {
    false
}

pub fn parse(_bytes: &[u8], _opts: &ParseOptions, _tz: Option<&TimeZone>) -> Result<Parsed, IngestError> {
    Err(IngestError::new(
        "this input format is not supported by this version of sessionproof; supported: tdesktop-json, transcribed",
    ))
}
