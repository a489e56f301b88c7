//! Fuzzes `case.toml` parsing and validation on raw bytes, through the function `Case::open` uses.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = sessionproof::model::case_config::parse_case_toml_bytes(data);
});
