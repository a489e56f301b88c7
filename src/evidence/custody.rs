//! The chain-of-custody log: one JSON object per line, each carrying the sha256 of the line
//! before it, so an edited, inserted or deleted line breaks the chain where it happened.

use crate::digest::sha256_hex;
use crate::model::custody::{CustodyEntry, CustodyTool, FileRef, GENESIS};

/// A break in the chain: the 1-based line and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainProblem {
    pub line: usize,
    pub message: String,
}

/// What an action did, before it is placed in the chain.
#[derive(Debug, Clone)]
pub struct Action {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub inputs: Vec<FileRef>,
    pub outputs: Vec<FileRef>,
    pub note: Option<String>,
}

/// Returns `log` with `action` appended as a new line chained to the last one.
pub fn append(log: &[u8], action: Action) -> Vec<u8> {
    let lines = split_lines(log);
    let (seq, prev) = match lines.last() {
        Some(last) => (lines.len() as u64 + 1, sha256_hex(last)),
        None => (1, GENESIS.to_string()),
    };
    let entry = CustodyEntry {
        seq,
        at: action.at,
        actor: action.actor,
        action: action.action,
        tool: CustodyTool { name: crate::TOOL_NAME.into(), version: crate::TOOL_VERSION.into() },
        inputs: action.inputs,
        outputs: action.outputs,
        note: action.note,
        prev,
    };
    let mut out = log.to_vec();
    if !out.is_empty() && !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    // Serializing a plain struct of strings and numbers cannot fail.
    out.extend_from_slice(serde_json::to_string(&entry).expect("custody entry serializes").as_bytes());
    out.push(b'\n');
    out
}

/// Parses every line, reporting each that is not a well-formed entry.
pub fn parse(log: &[u8]) -> (Vec<CustodyEntry>, Vec<ChainProblem>) {
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for (i, line) in split_lines(log).iter().enumerate() {
        match serde_json::from_slice::<CustodyEntry>(line) {
            Ok(e) => entries.push(e),
            Err(e) => problems.push(ChainProblem { line: i + 1, message: format!("not a custody entry ({e})") }),
        }
    }
    (entries, problems)
}

/// Walks the chain: every line parses, is numbered in order and names the hash of the line before.
pub fn check_chain(log: &[u8]) -> Vec<ChainProblem> {
    let mut problems = Vec::new();
    if !log.is_empty() && !log.ends_with(b"\n") {
        problems.push(ChainProblem {
            line: split_lines(log).len(),
            message: "the last line is not terminated: the log was cut or edited".into(),
        });
    }
    let mut prev_hash = GENESIS.to_string();
    for (i, line) in split_lines(log).iter().enumerate() {
        let n = i + 1;
        match serde_json::from_slice::<CustodyEntry>(line) {
            Ok(e) => {
                if e.prev != prev_hash {
                    problems.push(ChainProblem {
                        line: n,
                        message: format!("`prev` is {} but the line before hashes to {prev_hash}: a line was edited, inserted or deleted here", e.prev),
                    });
                }
                if e.seq != n as u64 {
                    problems.push(ChainProblem {
                        line: n,
                        message: format!("`seq` is {} where {n} was expected: a line was inserted or deleted", e.seq),
                    });
                }
            }
            Err(e) => problems.push(ChainProblem { line: n, message: format!("not a custody entry ({e})") }),
        }
        prev_hash = sha256_hex(line);
    }
    problems
}

/// Every file path the entries wrote, with the hash of its latest recording.
pub fn recorded_files(entries: &[CustodyEntry]) -> std::collections::BTreeMap<String, String> {
    let mut out = std::collections::BTreeMap::new();
    for e in entries {
        for f in &e.outputs {
            out.insert(f.path.clone(), f.sha256.clone());
        }
    }
    out
}

/// The sha256 of the last line: the head of the chain.
pub fn head(log: &[u8]) -> Option<String> {
    split_lines(log).last().map(|l| sha256_hex(l))
}

fn split_lines(log: &[u8]) -> Vec<&[u8]> {
    let body = log.strip_suffix(b"\n").unwrap_or(log);
    if body.is_empty() { Vec::new() } else { body.split(|b| *b == b'\n').collect() }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn act(name: &str) -> Action {
        Action {
            at: "2026-11-26T12:00:00Z".into(),
            actor: "tester".into(),
            action: name.into(),
            inputs: vec![],
            outputs: vec![],
            note: None,
        }
    }

    #[test]
    fn chain_detects_edit_delete_and_insert() {
        let mut log = Vec::new();
        for a in ["case-init", "import", "report"] {
            log = append(&log, act(a));
        }
        assert!(check_chain(&log).is_empty());
        let text = String::from_utf8(log.clone()).unwrap();
        let lines: Vec<&str> = text.lines().collect();

        let edited = text.replacen("\"import\"", "\"imporT\"", 1);
        assert_eq!(check_chain(edited.as_bytes())[0].line, 3);

        let deleted = format!("{}\n{}\n", lines[0], lines[2]);
        let p = check_chain(deleted.as_bytes());
        assert!(p.iter().any(|p| p.line == 2), "{p:?}");

        let truncated = &log[..log.len() - 1];
        assert!(!check_chain(truncated).is_empty());
        assert_eq!(parse(&log).0.len(), 3);
    }
}
