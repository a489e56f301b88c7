//! Integration test modules, by topic.

mod case_init;
mod collect;
mod enrich;
mod formats;
mod import;
mod parse;
mod report;
mod util;
mod verify;
