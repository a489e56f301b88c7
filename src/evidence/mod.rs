//! Evidence handling: hashing, the case folder, the custody log and bundle manifests.

pub mod case_folder;
pub mod custody;
pub mod fsutil;
pub mod recover;
pub mod staged;

pub use case_folder::{Case, StoredFile};
pub use recover::Recovery;
pub use staged::Staged;

use std::path::PathBuf;

/// What can go wrong while reading or writing a case.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvidenceError {
    #[error("{}: not a sessionproof case (no case.toml); create one with `sessionproof case init {}`", .0.display(), .0.display())]
    NotACase(PathBuf),
    #[error("{}: no such folder, so not a sessionproof case; check the path, or create a case there with `sessionproof case init {}`", .0.display(), .0.display())]
    NoSuchFolder(PathBuf),
    #[error("{}: is a file, not a sessionproof case (a case is a folder): give the case's folder, or for `case init` a new one", .0.display())]
    NotAFolder(PathBuf),
    #[error("{}: a case already exists here (case.toml found); nothing was changed", .0.display())]
    AlreadyACase(PathBuf),
    #[error("{}: {message}", path.display())]
    Config { path: PathBuf, message: String },
    #[error("{}: {}", path.display(), describe_io(source))]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{}: another sessionproof command is working on this case; wait for it to finish and run this again", .0.display())]
    Busy(PathBuf),
    #[error("{}: {message}", path.display())]
    Corrupt { path: PathBuf, message: String },
}

impl EvidenceError {
    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> EvidenceError {
        let path = path.into();
        move |source| EvidenceError::Io { path, source }
    }
}

/// An I/O error in words a responder can act on.
pub fn describe_io(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "no such file or folder".into(),
        PermissionDenied => {
            "permission denied; check the permissions of the file and its folder (is it read-only?)".into()
        }
        AlreadyExists => "already exists and is never overwritten".into(),
        StorageFull => "no space left on the device (the disk is full); free space and run the command again".into(),
        QuotaExceeded => {
            "disk quota exceeded (no space left for this user); free space and run the command again".into()
        }
        ReadOnlyFilesystem => "the file system is read-only".into(),
        NotADirectory => "a file stands where a folder is expected".into(),
        _ => e.to_string(),
    }
}
