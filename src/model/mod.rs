//! Plain data types shared by every stage. No I/O here.

pub mod brief;
pub mod capture;
pub mod case_config;
pub mod change;
pub mod countries;
pub mod custody;
pub mod enrichment;
pub mod figure;
pub mod finding;
pub mod identity;
pub mod manifest;
pub mod pdf_signature;
pub mod snapshot;
pub mod text;
pub mod view;
pub mod world;

pub use case_config::CaseConfig;
pub use custody::CustodyEntry;
pub use manifest::{Manifest, ManifestEntry};
pub use snapshot::{Method, Session, Snapshot, Time, TimeBasis, WebSession};
