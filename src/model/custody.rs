//! One line of the append-only chain-of-custody log (`custody.jsonl`).

use serde::{Deserialize, Serialize};

/// The `prev` of the first line: there is no earlier line.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who did what, when, with which tool, on which file hashes. Field order is the line's key order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustodyEntry {
    /// 1-based position in the log.
    pub seq: u64,
    /// RFC 3339 UTC.
    pub at: String,
    pub actor: String,
    pub action: String,
    pub tool: CustodyTool,
    pub inputs: Vec<FileRef>,
    pub outputs: Vec<FileRef>,
    pub note: Option<String>,
    /// sha256 of the previous line's bytes (without its newline), or [`GENESIS`].
    pub prev: String,
}

/// The tool that acted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CustodyTool {
    pub name: String,
    pub version: String,
}

/// A file an action read or wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileRef {
    /// Path relative to the case folder, or the name the user gave for an input outside it.
    pub path: String,
    pub sha256: String,
    pub bytes: u64,
}
