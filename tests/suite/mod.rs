//! Integration test modules, by topic.

mod case_init;
mod collect;
mod formats;
mod import;
mod parse;
mod report;
mod util;
mod verify;
