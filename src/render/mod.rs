//! Rendering: the view model from the case's data in one language, then HTML (tera), the
//! findings JSON and CASE/UCO JSON-LD.

pub mod brief;
pub mod figures;
pub mod findings;
pub mod html;
pub mod i18n;
pub mod pdf;
pub mod uco;
pub mod view;

pub use i18n::{Catalogue, Lang};
pub use view::{EvidenceItem, ReportInput, SnapshotItem, build_view};

/// Why a render failed: a template that does not parse or render (with its file and line), or
/// a defect in a built-in template.
#[derive(Debug, thiserror::Error)]
#[error("rendering {what} failed: {message}")]
pub struct RenderError {
    pub what: String,
    pub message: String,
}
