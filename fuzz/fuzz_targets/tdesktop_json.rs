//! Fuzzes the parser of a Telegram Desktop JSON export (`result.json`) and its `lists/other_data.json`, through the entry point `import` and `parse` use.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sessionproof::ingest::Format;

fuzz_target!(|data: &[u8]| {
    sessionproof_fuzz::parse_format(data, Format::TdesktopJson);
    // An export folder's `lists/other_data.json` goes through its own reader.
    let _ = sessionproof::ingest::tdesktop_json::parse_other_data(data, "lists/other_data.json");
});
