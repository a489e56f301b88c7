//! What the parser targets share: run the CLI's entry point (`ingest::parse`) on the input, with
//! and without `--source-tz`, and check that an accepted input gives a snapshot that survives the
//! case folder's JSON round trip (`import` stores it, `analyze` reads it back).

pub mod bundle;

use sessionproof::ingest::{self, Format, ParseOptions};
use sessionproof::model::snapshot::Snapshot;

/// Parses `data` as `format` twice: without a source zone (local dates stay unknown) and with
/// one (they resolve). Errors are the expected outcome for most inputs; panics are the bugs.
pub fn parse_format(data: &[u8], format: Format) {
    for source_tz in [None, Some("Europe/Berlin")] {
        let opts = ParseOptions {
            file_name: "fuzz-input".into(),
            source_tz: source_tz.map(str::to_string),
            acquired_at: "2026-11-26T12:00:00Z".into(),
        };
        if let Ok(parsed) = ingest::parse(data, format, &opts) {
            check_round_trip(&parsed.snapshot);
            // The capture-time bounds read every time the list holds, and the folder's date.
            let mut snapshot = parsed.snapshot;
            let facts = ingest::capture_window::CaptureFacts {
                export_folder: Some("DataExport_2026-11-25"),
                writer_offsets: parsed.writer_offsets,
                ..Default::default()
            };
            if ingest::capture_window::bound_capture(&mut snapshot, &facts).is_ok() {
                check_round_trip(&snapshot);
            }
        }
    }
}

/// The case folder writes a snapshot with `serde_json` and `analyze` reads it back: what a
/// parser accepts must come back equal.
pub fn check_round_trip(snapshot: &Snapshot) {
    let bytes = serde_json::to_vec_pretty(snapshot).expect("an accepted snapshot serializes");
    let back: Snapshot = serde_json::from_slice(&bytes).expect("a stored snapshot reads back");
    assert_eq!(&back, snapshot, "the snapshot changed in its JSON round trip");
}
