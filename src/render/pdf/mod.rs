//! `report.pdf`: our own PDF writer. Text is shaped (rustybuzz) and reordered (unicode-bidi) so
//! Persian and Arabic read correctly and extract in logical order; the embedded fonts are subset;
//! layout, tables, pictures and pagination are done here, from the same view model as the HTML.
//!
//! The stages: `report` (with `sections` and `records`) maps the view into a `doc::Document`; `flow` (with `table`, `figure` and
//! `text`; `columns` sizes tables, `breaks` says where lines may break) lays it out into `draw::Page`s; `writer` serializes each page as soon as it is laid
//! out, on a second thread, and the rest of the file once all are.

mod breaks;
pub mod columns;
mod content;
pub mod doc;
pub mod draw;
pub mod figure;
pub mod flow;
pub mod fonts;
mod records;
pub mod report;
mod sections;
pub mod shaping;
pub mod table;
pub mod text;
pub mod writer;

pub use doc::{Block, Cell, Document, Meta, Paper, Para, Style, Table, Tone};
pub use report::{PdfOptions, render_pdf, report_document};
pub use text::Direction;

use crate::render::RenderError;

/// Lays out and writes any document.
pub fn render_document(doc: &Document) -> Result<Vec<u8>, RenderError> {
    let mut shaper = shaping::Shaper::new();
    writer::write(doc, &mut shaper).map_err(|e| RenderError { what: "report.pdf".into(), message: e.to_string() })
}
