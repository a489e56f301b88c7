//! Inputs the cargo-fuzz targets (`fuzz/`, `scripts/fuzz.sh`) found crashing, one test each,
//! named after the target and the fault. Each goes through the public entry point the CLI uses
//! and must now give a clean answer.

use sessionproof::ingest::{self, Format, IngestError, ParseOptions, Parsed};

fn parse(bytes: &[u8], format: Format) -> Result<Parsed, IngestError> {
    let opts =
        ParseOptions { file_name: "fuzz-input".into(), source_tz: None, acquired_at: "2026-11-26T12:00:00Z".into() };
    ingest::parse(bytes, format, &opts)
}

/// A one-session transcription whose `last_active` is `last_active`.
fn transcription(last_active: &str) -> Vec<u8> {
    format!(
        r#"{{"format":"sessionproof/transcribed/v1","transcriber":"T","transcribed_at":"2026-11-26T10:15:00Z",
"device_time_zone":"Europe/Berlin",
"screenshots":[{{"id":"s1","file":"s1.png","captured_at":"2026-11-26T09:41:00+01:00"}}],
"sessions":[{{"screenshot":"s1","device":"Pixel 8","app":"Telegram Android 12.1.1","last_active":{last_active:?}}}]}}"#
    )
    .into_bytes()
}

/// "Nov 1€": the month-name reader sliced the word after "Nov" at byte 3, inside the '€'.
#[test]
fn fuzz_transcribed_month_word_cut_inside_a_character() {
    let e = parse(&transcription("Nov 1€"), Format::Transcribed).unwrap_err();
    assert_eq!(e.at.as_deref(), Some("/sessions/0/last_active"), "{e}");
    assert!(e.message.contains("\"Nov 1€\" is not a time sessionproof understands"), "{e}");
    // A non-ASCII word in the month position is refused the same way.
    let e = parse(&transcription("1€x Nov"), Format::Transcribed).unwrap_err();
    assert_eq!(e.at.as_deref(), Some("/sessions/0/last_active"), "{e}");
    // The ASCII forms still read.
    let ok = parse(&transcription("Nov 19"), Format::Transcribed).unwrap();
    let t = ok.snapshot.sessions[0].last_active.as_ref().unwrap();
    assert_eq!(t.original, "Nov 19");
}

/// `bytes` with `n` invalid UTF-8 bytes (0xFF) put at the start of the first device name, and
/// the line and column of the first one.
fn with_invalid_bytes(fixture: &str, n: usize) -> (Vec<u8>, usize, usize) {
    let original = std::fs::read(super::util::fixture(fixture)).unwrap();
    let key = b"\"device_model\": \"";
    let at = original.windows(key.len()).position(|w| w == key).unwrap() + key.len();
    let line = 1 + original[..at].iter().filter(|&&b| b == b'\n').count();
    let column = 1 + at - original[..at].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let mut bytes = original[..at].to_vec();
    bytes.extend(std::iter::repeat_n(0xFF, n));
    bytes.extend_from_slice(&original[at..]);
    (bytes, line, column)
}

/// Profiling the JSON targets showed every tolerated quirk (here an invalid UTF-8 byte) located
/// by re-scanning the file from its start: quadratic, so 40 KB of bad bytes took a minute and
/// 100 KB several. Now one pass; each byte still gets its own warning with its own column.
#[test]
fn fuzz_json_quirk_on_every_byte_is_located_in_linear_time() {
    const N: usize = 100_000;
    for (fixture, format) in
        [("telethon/sessions.json", Format::TelethonJson), ("tdesktop-json/modern.json", Format::TdesktopJson)]
    {
        let (bytes, line, column) = with_invalid_bytes(fixture, N);
        let started = std::time::Instant::now();
        let parsed = parse(&bytes, format).unwrap();
        let took = started.elapsed();
        assert!(took < std::time::Duration::from_secs(60), "{fixture}: {took:?}");
        let located: Vec<&str> = parsed
            .snapshot
            .warnings
            .iter()
            .filter(|w| w.message.starts_with("invalid UTF-8"))
            .map(|w| w.locator.as_str())
            .collect();
        assert_eq!(located.len(), N, "{fixture}");
        assert_eq!(located[0], format!("line {line}, column {column}"), "{fixture}");
        assert_eq!(located[N - 1], format!("line {line}, column {}", column + N - 1), "{fixture}");
        assert!(parsed.snapshot.sessions[0].device_model.as_deref().unwrap().starts_with("\u{FFFD}\u{FFFD}"));
    }
}
