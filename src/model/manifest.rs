//! `manifest.json`: every file of a report bundle and every evidence item, with its hash.

use serde::{Deserialize, Serialize};

/// The schema identifier written into every manifest.
pub const MANIFEST_SCHEMA: &str = "sessionproof/manifest/v1";

/// The list of files a bundle vouches for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub schema: String,
    pub case_id: String,
    pub created_at: String,
    pub tool: super::custody::CustodyTool,
    pub files: Vec<ManifestEntry>,
}

/// One file: its path relative to the bundle folder (`../../evidence/…` for evidence in the case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestEntry {
    pub path: String,
    pub role: String,
    pub bytes: u64,
    pub sha256: String,
}

impl Manifest {
    /// The same entries in the format `sha256sum -c` reads.
    pub fn sha256sums(&self) -> String {
        self.files.iter().map(|f| format!("{}  {}\n", f.sha256, f.path)).collect()
    }
}
