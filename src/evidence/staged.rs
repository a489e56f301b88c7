//! The files of one action, written whole under hidden temporary names and put in place only
//! after the custody log records them.
//!
//! A command that changes the case (1) stages every file it will add, each written completely
//! and flushed to disk under `.<name>.tmp-<pid>` beside its final place, (2) records its custody
//! entry — the commit point, since the log is replaced whole by a rename — and (3) renames the
//! staged files into place. A kill before (2) leaves only hidden temporary files, which the next
//! command removes; a kill after (2) leaves files the log already vouches for, which the next
//! command renames into place (`Case::recover`). Dropping a `Staged` that was never committed
//! removes its temporary files.

use super::fsutil::{make_read_only, sync_dir, temp_path};
use crate::digest::hash_copy;
use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// Files and folders written under temporary names, waiting for their custody entry.
#[derive(Debug, Default)]
pub struct Staged {
    items: Vec<Item>,
}

#[derive(Debug)]
struct Item {
    tmp: PathBuf,
    dest: PathBuf,
    is_dir: bool,
}

impl Staged {
    /// Writes `bytes` under a temporary name beside `dest` and flushes file and folder, so the
    /// staged copy survives a power cut once the custody log names it.
    pub fn write(&mut self, dest: &Path, bytes: &[u8], read_only: bool) -> io::Result<()> {
        let tmp = temp_path(dest);
        let mut f = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        self.items.push(Item { tmp: tmp.clone(), dest: dest.to_path_buf(), is_dir: false });
        f.write_all(bytes)?;
        f.sync_all()?;
        if read_only {
            make_read_only(&tmp)?;
        }
        sync_dir(&tmp)
    }

    /// Copies the file at `source` into a temporary file in `dir`, hashing it on the way
    /// (constant memory); `dest_name` turns its sha256 into the final name. Returns the final
    /// path, the sha256, the size and whether the copy was staged: when the final file exists or
    /// is staged here already, the copy is removed. An error comes with the file it concerns
    /// (`source` when reading it failed).
    pub fn copy_in(
        &mut self,
        source: &Path,
        dir: &Path,
        dest_name: impl FnOnce(&str) -> String,
        read_only: bool,
    ) -> Result<(PathBuf, String, u64, bool), (PathBuf, io::Error)> {
        let incoming = temp_path(&dir.join("incoming"));
        // A failed copy names the side that failed: the source, or the folder copied into.
        let read_failed = std::cell::Cell::new(false);
        let copied = (|| -> io::Result<(String, u64)> {
            let input = File::open(source).inspect_err(|_| read_failed.set(true))?;
            let mut out = BufWriter::new(OpenOptions::new().write(true).create_new(true).open(&incoming)?);
            let input = crate::progress::reading_file("copying", source, input);
            let (sha, n) = hash_copy(Tracked { inner: input, failed: &read_failed }, &mut out)?;
            out.flush()?;
            out.get_ref().sync_all()?;
            Ok((sha, n))
        })();
        let (sha, bytes) = match copied {
            Ok(v) => v,
            Err(e) => {
                let _ = fs::remove_file(&incoming);
                let path = if read_failed.get() { source.to_path_buf() } else { dir.to_path_buf() };
                return Err((path, e));
            }
        };
        let dest = dir.join(dest_name(&sha));
        if dest.exists() || self.contains(&dest) {
            let _ = fs::remove_file(&incoming);
            return Ok((dest, sha, bytes, false));
        }
        let tmp = temp_path(&dest);
        let placed = (|| -> io::Result<()> {
            if read_only {
                make_read_only(&incoming)?;
            }
            fs::rename(&incoming, &tmp)?;
            sync_dir(&tmp)
        })();
        if let Err(e) = placed {
            let _ = fs::remove_file(&incoming);
            return Err((tmp, e));
        }
        self.items.push(Item { tmp, dest: dest.clone(), is_dir: false });
        Ok((dest, sha, bytes, true))
    }

    /// Creates an empty temporary folder beside `dest` and returns it; the caller fills it
    /// (with [`super::fsutil::write_new`], which flushes each file) before the commit.
    pub fn dir(&mut self, dest: &Path) -> io::Result<PathBuf> {
        let tmp = temp_path(dest);
        fs::create_dir(&tmp)?;
        self.items.push(Item { tmp: tmp.clone(), dest: dest.to_path_buf(), is_dir: true });
        sync_dir(&tmp)?;
        Ok(tmp)
    }

    /// Whether a file bound for `dest` is already staged here.
    pub fn contains(&self, dest: &Path) -> bool {
        self.items.iter().any(|i| i.dest == dest)
    }

    /// Renames every staged file and folder into place and flushes the folders holding them.
    /// Called once the custody entry naming them is written.
    pub fn put_in_place(mut self) -> io::Result<()> {
        // Committed: from here on, a file left behind is completed by the next run, never removed.
        for item in std::mem::take(&mut self.items) {
            if item.is_dir && item.dest.exists() {
                return Err(io::Error::new(io::ErrorKind::AlreadyExists, "a folder of this name exists"));
            }
            fs::rename(&item.tmp, &item.dest)?;
            sync_dir(&item.dest)?;
        }
        Ok(())
    }
}

impl Drop for Staged {
    /// Whatever was not put in place was never committed: remove it.
    fn drop(&mut self) {
        for item in &self.items {
            if item.is_dir {
                let _ = fs::remove_dir_all(&item.tmp);
            } else {
                let _ = fs::remove_file(&item.tmp);
            }
        }
    }
}

/// A reader that remembers whether it failed.
struct Tracked<'a, R> {
    inner: R,
    failed: &'a std::cell::Cell<bool>,
}

impl<R: std::io::Read> std::io::Read for Tracked<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.inner.read(buf).inspect_err(|_| self.failed.set(true))
    }
}
