//! Signing and time-stamping of report bundles (DESIGN §5): minisign-format Ed25519 keys and
//! signatures (`keys`, `minisig`), RFC 3161 requests and responses (`tsp`), and the PDF's
//! embedded CMS signature (`pdfsig`). Nothing here prints, prompts or reads argv.
//!
//! Secrets never leave this module in clear text: decrypted keys live in types that zeroize on
//! drop, and no error message carries a key, a passphrase or a digest of either.

pub mod keys;
pub mod minisig;
pub mod pdfsig;
pub mod tsp;

pub use keys::{KeyId, PublicKey, SecretKey};

use std::path::PathBuf;

/// Why a signing step or a check failed. Messages name the file and what to do; they never
/// carry secret material.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SignError {
    #[error("{}: {what}; {fix}", path.display())]
    Corrupt { path: PathBuf, what: String, fix: &'static str },
    #[error("{}: wrong passphrase: the key could not be decrypted with it; try again (it is case-sensitive)", .0.display())]
    WrongPassphrase(PathBuf),
    #[error("{}: exists and is never overwritten; choose another --out or move the old key away first", .0.display())]
    Exists(PathBuf),
    #[error("{}: the folder {} does not exist; create it first (mkdir -p {}) or give another --out", .0.display(), .1.display(), .1.display())]
    NoFolder(PathBuf, PathBuf),
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{0}")]
    Invalid(String),
    #[error("the system's random source failed ({0}); try again")]
    Random(String),
}

impl SignError {
    pub(crate) fn invalid(what: impl Into<String>) -> SignError {
        SignError::Invalid(what.into())
    }
}

/// Fills `buf` from the operating system's random source (key generation only; signing is
/// deterministic).
pub(crate) fn random(buf: &mut [u8]) -> Result<(), SignError> {
    getrandom::getrandom(buf).map_err(|e| SignError::Random(e.to_string()))
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Decodes hex (either case); `None` if it is not hex.
pub(crate) fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}
