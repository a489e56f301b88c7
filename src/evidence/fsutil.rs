//! Crash-safe file writes: a temporary file in the same folder, fsync, then rename.
//!
//! Every temporary name is `.<final name>.tmp-<process id>`, so a run that is killed leaves only
//! hidden files that [`is_temp_name`] recognizes; readers skip them and the next command that
//! changes the case completes or removes them (`Case::recover`, docs/crash-safety.md).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically: readers see the old file or the whole new one, never half.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = temp_path(path);
    let result = (|| {
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)?;
        sync_dir(path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
}

/// Like [`write_atomic`] but refuses to replace an existing file.
pub fn write_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    if path.exists() {
        return Err(io::Error::new(io::ErrorKind::AlreadyExists, "file exists; it is never overwritten"));
    }
    write_atomic(path, bytes)
}

/// A temporary name beside `path`, unique to this process.
pub fn temp_path(path: &Path) -> PathBuf {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

/// Whether `name` is a temporary name made by [`temp_path`] (`.<name>.tmp-<digits>`).
pub fn is_temp_name(name: &str) -> bool {
    name.starts_with('.')
        && name
            .rsplit_once(".tmp-")
            .is_some_and(|(stem, pid)| stem.len() > 1 && !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()))
}

/// The final name a temporary name stands for: `.report.html.tmp-42` → `report.html`.
pub fn final_name_of_temp(name: &str) -> Option<&str> {
    if !is_temp_name(name) {
        return None;
    }
    name.rsplit_once(".tmp-").map(|(stem, _)| &stem[1..])
}

/// Removes the temporary files and folders a killed run left directly in `dir` whose final name
/// `wanted` accepts; returns their names.
pub fn remove_temp_files(dir: &Path, wanted: impl Fn(&str) -> bool) -> Vec<String> {
    let Ok(entries) = fs::read_dir(dir) else { return Vec::new() };
    let mut removed = Vec::new();
    for e in entries.filter_map(|e| e.ok()) {
        let name = e.file_name().to_string_lossy().into_owned();
        let Some(stands_for) = final_name_of_temp(&name) else { continue };
        if !wanted(stands_for) {
            continue;
        }
        let path = e.path();
        let is_dir = e.file_type().is_ok_and(|t| t.is_dir());
        let gone = if is_dir { fs::remove_dir_all(&path) } else { fs::remove_file(&path) };
        if gone.is_ok() {
            removed.push(name);
        }
    }
    removed.sort();
    removed
}

/// Flushes the folder entry of `path` so a rename survives a power cut.
pub fn sync_dir(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    if let Some(dir) = path.parent() {
        let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
        File::open(dir)?.sync_all()?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Makes a file read-only for everyone (evidence is never rewritten).
pub fn make_read_only(path: &Path) -> io::Result<()> {
    let mut perms = fs::metadata(path)?.permissions();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        perms.set_mode(0o444);
    }
    #[cfg(not(unix))]
    perms.set_readonly(true);
    fs::set_permissions(path, perms)
}

/// The bytes of `path` when it holds at most `limit` bytes; `None` for a larger file, found out
/// without reading more than `limit + 1` bytes (a device such as /dev/zero never ends).
pub fn read_bounded(path: &Path, limit: u64) -> io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let file = File::open(path)?;
    let size = file.metadata()?.len();
    if size > limit {
        return Ok(None);
    }
    let mut bytes = Vec::with_capacity(size as usize);
    file.take(limit + 1).read_to_end(&mut bytes)?;
    Ok((bytes.len() as u64 <= limit).then_some(bytes))
}

/// Reads a small file the user names (a key, a certificate, a template): one far larger than
/// such a file can be is refused unread, with what was expected, instead of filling memory.
pub fn read_small(path: &Path, limit: u64, what: &str) -> io::Result<Vec<u8>> {
    read_bounded(path, limit)?.ok_or_else(|| {
        // A device (/dev/zero) reports no size: it is at least one byte over.
        let size = fs::metadata(path).map(|m| m.len()).unwrap_or(0).max(limit + 1);
        let over = if size == limit + 1 { format!("over {limit} bytes") } else { format!("{size} bytes") };
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("is {over}, more than a {what} can be ({limit} bytes at most), so it was not read: check the path"),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temp_names_are_recognized_and_map_back() {
        let t = temp_path(Path::new("case/snapshots/0003.json"));
        let name = t.file_name().unwrap().to_str().unwrap();
        assert!(is_temp_name(name), "{name}");
        assert_eq!(final_name_of_temp(name), Some("0003.json"));
        for not in [".sessionproof.lock", "0003.json", ".tmp-12", ".x.tmp-", ".x.tmp-12a", "x.tmp-12", ".DS_Store"] {
            assert!(!is_temp_name(not), "{not}");
        }
    }
}
