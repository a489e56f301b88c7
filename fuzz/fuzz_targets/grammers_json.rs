//! Fuzzes the parser of a grammers JSON dump, through the entry point `import` and `parse` use.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sessionproof::ingest::Format;

fuzz_target!(|data: &[u8]| sessionproof_fuzz::parse_format(data, Format::GrammersJson));
