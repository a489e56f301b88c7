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
