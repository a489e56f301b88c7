//! Integration test modules, by topic.

mod analyze;
mod attach;
mod bad_input;
mod brief;
mod capture;
mod case_init;
mod collect;
mod crash;
mod diff;
mod enrich;
mod formats;
mod fuzz_regressions;
mod import;
mod parse;
mod pdf;
mod progress;
mod report;
mod sign;
mod uco;
mod util;
mod verify;
