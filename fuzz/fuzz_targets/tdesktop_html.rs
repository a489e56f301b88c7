//! Fuzzes the parser of a Telegram Desktop HTML session list (`lists/sessions.html`, `web_sessions.html`), through the entry point `import` and `parse` use.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sessionproof::ingest::Format;

fuzz_target!(|data: &[u8]| sessionproof_fuzz::parse_format(data, Format::TdesktopHtml));
