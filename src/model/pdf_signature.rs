//! The contract between the PDF writer (which reserves a signature dictionary) and
//! `sign::pdfsig` (which fills it): the placeholder values and the slot's settings.

/// The `/ByteRange` the writer reserves: four integers of fixed width (nine digits), found in
/// the output and overwritten in place with the real, space-padded offsets.
pub const BYTE_RANGE_PLACEHOLDER: [i32; 4] = [0, 999_999_991, 999_999_992, 999_999_993];
/// The reserved `/Contents` as written: `/ByteRange [0 999999991 999999992 999999993]`.
pub const BYTE_RANGE_TEXT: &[u8] = b"/ByteRange [0 999999991 999999992 999999993]";
/// Bytes reserved for the CMS signature (written as twice as many hex digits, 0xFF each).
pub const CONTENTS_BYTES: usize = 8192;

/// What the signature dictionary says besides the signature itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureSlot {
    /// `/Name`: who signs (e.g. "sessionproof case key 0123456789ABCDEF").
    pub name: String,
    /// `/Reason`.
    pub reason: String,
    /// `/M`: the signing time (the report's `--now`).
    pub signing_time: jiff::Timestamp,
}
