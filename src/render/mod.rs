//! Rendering: the view model from the case's data, then HTML (tera), the findings JSON and CASE/UCO JSON-LD.

pub mod brief;
pub mod figures;
pub mod findings;
pub mod html;
pub mod pdf;
pub mod uco;
pub mod view;

pub use view::{EvidenceItem, ReportInput, SnapshotItem, build_view};

/// Why a render failed (a template bug, never the user's data).
#[derive(Debug, thiserror::Error)]
#[error("rendering {what} failed: {message}")]
pub struct RenderError {
    pub what: String,
    pub message: String,
}
