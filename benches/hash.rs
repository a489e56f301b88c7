//! Evidence hashing speed: `sessionproof::digest::sha256_file` (what import, attach and verify
//! use) over one file of `BENCH_HASH_BYTES` (default 1 GiB), beside `sha256sum` of the same file.
//! Run with `cargo bench --bench hash`; `openssl dgst -sha256` is timed too, for reference. The
//! file is pseudo-random (not all zeros), made once in `BENCH_CACHE` (default
//! /tmp/sessionproof-bench) and reused; after the warm-up pass it is in the page cache, so every
//! tool is timed on hashing, not on the disk.

use sessionproof::digest::sha256_file;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const PASSES: usize = 5;

fn main() {
    let bytes: u64 = match std::env::var("BENCH_HASH_BYTES") {
        Ok(v) => v.parse().unwrap_or_else(|_| fail(&format!("BENCH_HASH_BYTES={v:?} is not a byte count"))),
        Err(_) => 1 << 30,
    };
    let cache = PathBuf::from(std::env::var("BENCH_CACHE").unwrap_or_else(|_| "/tmp/sessionproof-bench".into()));
    let file = ensure_file(&cache, bytes);
    let mb = bytes as f64 / 1e6;

    let (ours, size) = sha256_file(&file).unwrap_or_else(|e| fail(&format!("{}: {e}", file.display())));
    assert_eq!(size, bytes, "{} changed size while being hashed", file.display());
    let times = timed(|| {
        let (hex, _) = sha256_file(&file).unwrap_or_else(|e| fail(&format!("{}: {e}", file.display())));
        assert_eq!(hex, ours, "two passes over the same file disagree");
    });
    let own = median(times);
    println!(
        "sessionproof digest::sha256_file: {:.0} MB/s ({:.3} s for {bytes} bytes, median of {PASSES} after a warm-up)",
        mb / own,
        own
    );

    // GNU sha256sum (portable C, no SHA extensions) is the target's yardstick; OpenSSL, which uses
    // the CPU's SHA extensions where present, is printed beside it for reference when installed.
    let Some(coreutils) = external(&file, &ours, "sha256sum", &[]) else {
        println!("sha256sum: not run (not installed or it failed)");
        return;
    };
    println!(
        "sha256sum: {:.0} MB/s ({:.3} s, median of {PASSES} after a warm-up, same digest)",
        mb / coreutils,
        coreutils
    );
    println!("ratio sessionproof / sha256sum: {:.2} (target ≥ 0.95)", coreutils / own);
    if let Some(openssl) = external(&file, &ours, "openssl", &["dgst", "-sha256", "-r"]) {
        println!(
            "reference, openssl dgst -sha256: {:.0} MB/s ({:.3} s, median of {PASSES} after a warm-up, same digest); \
             ratio sessionproof / openssl: {:.2}",
            mb / openssl,
            openssl,
            openssl / own
        );
    }
}

/// Median seconds of `program args… file` over [`PASSES`] runs after a warm-up run, checking that
/// it prints the same digest (first word of its output) as `ours`; `None` when it cannot be run.
fn external(file: &Path, ours: &str, program: &str, args: &[&str]) -> Option<f64> {
    let digest = || -> Option<String> {
        let out = Command::new(program).args(args).arg(file).output().ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).split_whitespace().next().unwrap_or("").into())
    };
    let hex = digest()?;
    assert_eq!(hex, ours, "{program} and sessionproof disagree on {}", file.display());
    let times = timed(|| {
        digest().unwrap_or_else(|| fail(&format!("{program} failed on a later pass")));
    });
    Some(median(times))
}

/// Seconds of each of [`PASSES`] runs of `f`.
fn timed(mut f: impl FnMut()) -> Vec<f64> {
    (0..PASSES)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64()
        })
        .collect()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// The benchmark file of `bytes` pseudo-random bytes, written once (through a temporary name, so
/// an interrupted run leaves no short file behind) and reused while its size matches.
fn ensure_file(cache: &Path, bytes: u64) -> PathBuf {
    let file = cache.join(format!("hash-{bytes}.bin"));
    if std::fs::metadata(&file).map(|m| m.len() == bytes).unwrap_or(false) {
        return file;
    }
    std::fs::create_dir_all(cache).unwrap_or_else(|e| fail(&format!("{}: {e}", cache.display())));
    let partial = cache.join(format!("hash-{bytes}.bin.partial"));
    let write = || -> std::io::Result<()> {
        let mut out = BufWriter::with_capacity(1 << 20, std::fs::File::create(&partial)?);
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut left = bytes;
        let mut block = [0u8; 8];
        while left > 0 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            block.copy_from_slice(&x.to_le_bytes());
            let n = left.min(8) as usize;
            out.write_all(&block[..n])?;
            left -= n as u64;
        }
        out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
        std::fs::rename(&partial, &file)
    };
    write().unwrap_or_else(|e| fail(&format!("writing {}: {e}", partial.display())));
    file
}

fn fail(message: &str) -> ! {
    eprintln!("hash bench: {message}");
    std::process::exit(1)
}
