//! The one source of "now": the wall clock, or a fixed instant from `--now` for reproducible runs.

use jiff::Timestamp;

/// Where the current time comes from. Handed down from the CLI; nothing else reads the clock.
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    System,
    Fixed(Timestamp),
}

impl Clock {
    /// The current instant, truncated to whole seconds so every stamp is stable and readable.
    pub fn now(&self) -> Timestamp {
        let t = match self {
            Clock::System => Timestamp::now(),
            Clock::Fixed(t) => *t,
        };
        Timestamp::from_second(t.as_second()).unwrap_or(t)
    }
}

/// RFC 3339 UTC text with second precision, e.g. `2026-11-26T12:00:00Z`.
pub fn rfc3339(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A compact UTC stamp for folder names, e.g. `20261126T120000Z`.
pub fn folder_stamp(t: Timestamp) -> String {
    t.strftime("%Y%m%dT%H%M%SZ").to_string()
}
