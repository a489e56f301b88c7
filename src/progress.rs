//! Progress of long work (hashing a large exhibit, laying out a PDF of thousands of rows), told
//! to whatever front end wants to show it. The library knows nothing of terminals: the CLI
//! installs a [`Sink`] once, at start-up, when stderr is a terminal (`cli/progress.rs`); library
//! code asks for a [`Task`] and advances it. With nothing installed — in tests, in other front
//! ends, when output is piped — every call is a branch on an empty `Option`.
//!
//! The sink is process-wide, like a logger: threading a handle through every stage would put a
//! display concern into the signature of `hash_copy` and the PDF writer, and progress never
//! changes what a command writes.

use std::io::{self, Read};
use std::path::Path;
use std::sync::OnceLock;

/// Files at least this large get a progress bar while they are hashed or copied: below it, the
/// work takes well under a second.
pub const BIG_FILE: u64 = 64 * 1024 * 1024;

/// What a task counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    Bytes,
    /// Things with this (plural) name, e.g. "pages".
    Items(&'static str),
}

/// A front end that shows progress. Installed once with [`install`].
pub trait Sink: Send + Sync {
    /// A new piece of work: `total` is `None` when it is not known up front.
    fn start(&self, label: &str, total: Option<u64>, unit: Unit) -> Box<dyn Bar>;
}

/// One piece of work as the front end shows it.
pub trait Bar: Send {
    /// `n` more units done.
    fn advance(&mut self, n: u64);
    /// The work ended (done or failed): the front end removes it. Called once.
    fn finish(&mut self);
}

static SINK: OnceLock<Box<dyn Sink>> = OnceLock::new();

/// Installs the process's sink; returns `false` (and drops `sink`) if one was installed already.
pub fn install(sink: Box<dyn Sink>) -> bool {
    SINK.set(sink).is_ok()
}

/// Whether a sink is installed, i.e. whether progress is shown at all.
pub fn installed() -> bool {
    SINK.get().is_some()
}

fn sink() -> Option<&'static dyn Sink> {
    SINK.get().map(|s| &**s)
}

/// Starts a task on the installed sink; a no-op task when none is.
pub fn task(label: &str, total: Option<u64>, unit: Unit) -> Task {
    Task::start(sink(), label, total, unit)
}

/// `file` (opened from `path`) wrapped so that reading it advances a "`verb` <file name>" task,
/// when a sink is installed and the file is at least [`BIG_FILE`] long.
pub fn reading_file(verb: &str, path: &Path, file: std::fs::File) -> Reading<std::fs::File> {
    reading_file_on(sink(), verb, path, file)
}

fn reading_file_on(sink: Option<&dyn Sink>, verb: &str, path: &Path, file: std::fs::File) -> Reading<std::fs::File> {
    let task = match sink {
        // The size is asked for only when it can matter.
        Some(s) => match file.metadata() {
            Ok(m) if m.len() >= BIG_FILE => Task::start(Some(s), &file_label(verb, path), Some(m.len()), Unit::Bytes),
            _ => Task::none(),
        },
        None => Task::none(),
    };
    task.reading(file)
}

/// "hashing photo.jpg": the file's own name, not its folders.
fn file_label(verb: &str, path: &Path) -> String {
    let name = path.file_name().unwrap_or(path.as_os_str()).to_string_lossy();
    format!("{verb} {name}")
}

/// One piece of work in progress. Advances are passed on in steps of about a thousandth of the
/// total, so a caller may advance per read without the front end seeing every one. Dropping the
/// task finishes it.
pub struct Task {
    bar: Option<Box<dyn Bar>>,
    /// Advanced here, not yet passed on.
    pending: u64,
    /// Pass advances on once `pending` reaches this.
    step: u64,
}

impl std::fmt::Debug for Task {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Task").field("shown", &self.is_shown()).field("pending", &self.pending).finish()
    }
}

impl Task {
    /// A task nobody sees.
    pub fn none() -> Task {
        Task { bar: None, pending: 0, step: u64::MAX }
    }

    /// A task on `sink`, or a no-op one without a sink.
    pub fn start(sink: Option<&dyn Sink>, label: &str, total: Option<u64>, unit: Unit) -> Task {
        match sink {
            None => Task::none(),
            Some(s) => Task {
                bar: Some(s.start(label, total, unit)),
                pending: 0,
                step: total.map_or(1, |t| (t / 1000).max(1)),
            },
        }
    }

    /// Whether a front end shows this task.
    pub fn is_shown(&self) -> bool {
        self.bar.is_some()
    }

    /// `n` more units done.
    #[inline]
    pub fn advance(&mut self, n: u64) {
        if let Some(bar) = &mut self.bar {
            self.pending += n;
            if self.pending >= self.step {
                bar.advance(std::mem::take(&mut self.pending));
            }
        }
    }

    /// Ends the task (the same as dropping it).
    pub fn finish(self) {}

    /// `reader`, advancing this task by every byte read through it.
    pub fn reading<R: Read>(self, reader: R) -> Reading<R> {
        Reading { inner: reader, task: self }
    }
}

impl Drop for Task {
    fn drop(&mut self) {
        if let Some(bar) = &mut self.bar {
            if self.pending > 0 {
                bar.advance(std::mem::take(&mut self.pending));
            }
            bar.finish();
        }
    }
}

/// A reader that advances a [`Task`] by the bytes read; the task ends when the reader is dropped.
#[derive(Debug)]
pub struct Reading<R> {
    inner: R,
    task: Task,
}

impl<R> Reading<R> {
    /// Whether reading shows progress.
    pub fn is_shown(&self) -> bool {
        self.task.is_shown()
    }
}

impl<R: Read> Read for Reading<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.task.advance(n as u64);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// What a recording sink saw.
    #[derive(Debug, Clone, PartialEq)]
    enum Event {
        Start(String, Option<u64>, Unit),
        Advance(u64),
        Finish,
    }

    #[derive(Default, Clone)]
    struct Recorder(Arc<Mutex<Vec<Event>>>);

    struct RecordedBar(Arc<Mutex<Vec<Event>>>);

    impl Sink for Recorder {
        fn start(&self, label: &str, total: Option<u64>, unit: Unit) -> Box<dyn Bar> {
            self.0.lock().unwrap().push(Event::Start(label.into(), total, unit));
            Box::new(RecordedBar(self.0.clone()))
        }
    }

    impl Bar for RecordedBar {
        fn advance(&mut self, n: u64) {
            self.0.lock().unwrap().push(Event::Advance(n));
        }
        fn finish(&mut self) {
            self.0.lock().unwrap().push(Event::Finish);
        }
    }

    impl Recorder {
        fn events(&self) -> Vec<Event> {
            self.0.lock().unwrap().clone()
        }
        fn advanced(&self) -> u64 {
            self.events().iter().map(|e| if let Event::Advance(n) = e { *n } else { 0 }).sum()
        }
    }

    #[test]
    fn without_a_sink_nothing_is_shown_and_reading_passes_bytes_through() {
        let mut t = Task::start(None, "hashing", Some(10), Unit::Bytes);
        assert!(!t.is_shown());
        t.advance(5);
        assert_eq!(t.pending, 0, "a task nobody sees counts nothing");
        t.finish();
        // The library's own tests never install a sink, so the process-wide calls are no-ops too.
        assert!(!installed());
        assert!(!task("x", None, Unit::Items("pages")).is_shown());
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("big.bin");
        let f = std::fs::File::create(&path).unwrap();
        f.set_len(BIG_FILE).unwrap();
        let mut r = reading_file("hashing", &path, std::fs::File::open(&path).unwrap());
        assert!(!r.is_shown());
        let mut first = [1u8; 4];
        r.read_exact(&mut first).unwrap();
        assert_eq!(first, [0; 4]);
    }

    #[test]
    fn advances_are_batched_and_all_reach_the_sink_before_it_finishes() {
        let rec = Recorder::default();
        let mut t = Task::start(Some(&rec), "copying shot.png", Some(10_000), Unit::Bytes);
        assert!(t.is_shown());
        for _ in 0..2_500 {
            t.advance(3);
        }
        t.advance(7);
        let before_end = rec.events();
        assert!(before_end.len() < 2_500, "passed on in steps, not per call: {}", before_end.len());
        drop(t);
        let events = rec.events();
        assert_eq!(events[0], Event::Start("copying shot.png".into(), Some(10_000), Unit::Bytes));
        assert_eq!(events.last(), Some(&Event::Finish));
        assert_eq!(events.iter().filter(|e| **e == Event::Finish).count(), 1);
        assert_eq!(rec.advanced(), 7_507, "every unit arrives, the remainder at the end");
    }

    #[test]
    fn an_unknown_total_passes_each_advance_on() {
        let rec = Recorder::default();
        let mut t = Task::start(Some(&rec), "writing the PDF", None, Unit::Items("pages"));
        t.advance(1);
        t.advance(1);
        assert_eq!(rec.events()[1..], [Event::Advance(1), Event::Advance(1)]);
        t.finish();
        assert_eq!(rec.events().last(), Some(&Event::Finish));
    }

    #[test]
    fn a_reader_counts_what_it_reads_and_ends_its_task_when_dropped() {
        let rec = Recorder::default();
        let data = vec![9u8; 5_000];
        let t = Task::start(Some(&rec), "hashing a", Some(data.len() as u64), Unit::Bytes);
        let mut copy = Vec::new();
        t.reading(&data[..]).read_to_end(&mut copy).unwrap();
        assert_eq!(copy, data);
        assert_eq!(rec.advanced(), 5_000);
        assert_eq!(rec.events().last(), Some(&Event::Finish));
    }

    #[test]
    fn only_big_files_get_a_task() {
        let rec = Recorder::default();
        let dir = tempfile::tempdir().unwrap();
        let (small, big) = (dir.path().join("small.png"), dir.path().join("recording.mp4"));
        std::fs::File::create(&small).unwrap().set_len(BIG_FILE - 1).unwrap();
        std::fs::File::create(&big).unwrap().set_len(BIG_FILE).unwrap();
        let open = |p: &Path| std::fs::File::open(p).unwrap();
        assert!(!reading_file_on(Some(&rec), "hashing", &small, open(&small)).is_shown());
        assert!(rec.events().is_empty());
        let mut r = reading_file_on(Some(&rec), "hashing", &big, open(&big));
        assert!(r.is_shown());
        assert_eq!(rec.events(), [Event::Start("hashing recording.mp4".into(), Some(BIG_FILE), Unit::Bytes)]);
        let mut buf = vec![0u8; 1 << 20];
        r.read_exact(&mut buf).unwrap();
        assert_eq!(rec.advanced(), 1 << 20);
    }

    #[test]
    fn labels_name_the_file_not_its_folders() {
        assert_eq!(file_label("hashing", Path::new("/a/b/evidence/ab.mp4")), "hashing ab.mp4");
        assert_eq!(file_label("copying", Path::new("x")), "copying x");
    }
}
