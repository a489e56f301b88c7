//! sessionproof: Telegram session lists turned into evidence that holds up.
//!
//! Data flows `cli -> pipeline -> {ingest, evidence, render} -> model`; `verify` checks bundles.
//! Stages meet in `model` and never import each other.

#![forbid(unsafe_code)]

pub mod analyze;
pub mod cli;
pub mod clock;
pub mod collect;
pub mod digest;
pub mod enrich;
pub mod evidence;
pub mod ingest;
pub mod model;
pub mod pipeline;
pub mod progress;
pub mod render;
pub mod sign;
pub mod verify;

/// The tool's name as recorded in custody entries, snapshots and reports.
pub const TOOL_NAME: &str = env!("CARGO_PKG_NAME");
/// The tool's version as recorded in custody entries, snapshots and reports.
pub const TOOL_VERSION: &str = env!("CARGO_PKG_VERSION");
