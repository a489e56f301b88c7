//! Fuzzes format detection and `--format auto` parsing: whatever the content sniffing decides,
//! the chosen parser must answer with a snapshot or an error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sessionproof::ingest::{self, Format};

fuzz_target!(|data: &[u8]| {
    let _ = ingest::detect(data);
    sessionproof_fuzz::parse_format(data, Format::Auto);
});
