//! Integration test modules, by topic.

mod case_init;
mod import;
mod parse;
mod report;
mod util;
mod verify;
