//! The document model the report is mapped into: blocks of headings, paragraphs, notes, tables,
//! key/value lists and pictures, with named styles; independent of the report's content.

use super::fonts::FontId;
use super::text::{Direction, TextStyle};
use crate::model::figure::{Figure, Rgb};

/// Paper size.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Paper {
    /// 210 × 297 mm.
    #[default]
    A4,
    /// 8.5 × 11 in.
    Letter,
}

impl Paper {
    /// Width and height in points.
    pub fn size(self) -> (f32, f32) {
        match self {
            Paper::A4 => (595.276, 841.89),
            Paper::Letter => (612.0, 792.0),
        }
    }
}

impl std::str::FromStr for Paper {
    type Err = String;
    fn from_str(s: &str) -> Result<Paper, String> {
        match s.to_ascii_lowercase().as_str() {
            "a4" => Ok(Paper::A4),
            "letter" => Ok(Paper::Letter),
            _ => Err(format!("{s:?} is not a paper size; use a4 or letter")),
        }
    }
}

/// Named text styles; the theme maps each to a face, size and colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Body,
    Strong,
    Lead,
    Small,
    Muted,
    Mono,
    MonoSmall,
    /// Text that must stand out as bad news (red, bold).
    Bad,
    /// Table header cells.
    Header,
    /// A verdict label in its colour.
    Verdict(Tone),
}

/// Colours that carry meaning, readable in greyscale too (they differ in lightness).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Neutral,
    Info,
    Good,
    Warn,
    Bad,
}

pub const INK: Rgb = Rgb(0x1f, 0x23, 0x28);
pub const MUTED: Rgb = Rgb(0x57, 0x60, 0x6a);
pub const RULE: Rgb = Rgb(0xd0, 0xd7, 0xde);
pub const HEADER_FILL: Rgb = Rgb(0xea, 0xee, 0xf2);
pub const ZEBRA: Rgb = Rgb(0xf6, 0xf8, 0xfa);
pub const ACCENT: Rgb = Rgb(0x0b, 0x3d, 0x91);

impl Tone {
    /// The tone's text colour.
    pub fn ink(self) -> Rgb {
        match self {
            Tone::Neutral => INK,
            Tone::Info => Rgb(0x09, 0x5a, 0xb5),
            Tone::Good => Rgb(0x1a, 0x7f, 0x37),
            Tone::Warn => Rgb(0x9a, 0x67, 0x00),
            Tone::Bad => Rgb(0xb3, 0x1d, 0x28),
        }
    }

    /// A light background for notes in this tone.
    pub fn tint(self) -> Rgb {
        match self {
            Tone::Neutral => Rgb(0xf6, 0xf8, 0xfa),
            Tone::Info => Rgb(0xe7, 0xf1, 0xfc),
            Tone::Good => Rgb(0xe6, 0xf4, 0xea),
            Tone::Warn => Rgb(0xff, 0xf5, 0xd6),
            Tone::Bad => Rgb(0xfd, 0xe8, 0xe9),
        }
    }
}

impl Style {
    /// The face, size and colour of this style.
    pub fn text(self) -> TextStyle {
        let (font, size, color) = match self {
            Style::Body => (FontId::Sans, 9.0, INK),
            Style::Strong => (FontId::Bold, 9.0, INK),
            Style::Lead => (FontId::Sans, 10.5, MUTED),
            Style::Small => (FontId::Sans, 7.5, INK),
            Style::Muted => (FontId::Sans, 7.5, MUTED),
            Style::Mono => (FontId::Mono, 8.0, INK),
            Style::MonoSmall => (FontId::Mono, 7.0, INK),
            Style::Bad => (FontId::Bold, 9.0, Tone::Bad.ink()),
            Style::Header => (FontId::Bold, 7.2, INK),
            Style::Verdict(t) => (FontId::Bold, 8.0, t.ink()),
        };
        TextStyle { font, size, color }
    }
}

/// A paragraph of one style.
#[derive(Debug, Clone, PartialEq)]
pub struct Para {
    pub text: String,
    pub style: Style,
}

impl Para {
    pub fn new(style: Style, text: impl Into<String>) -> Para {
        Para { text: text.into(), style }
    }
}

/// A table cell: paragraphs stacked.
pub type Cell = Vec<Para>;

/// A table across the text width. Its columns are as wide as their content asks (see `columns`):
/// each at least as wide as its longest word, the rest shared by how wide each is unwrapped.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// How many columns.
    pub columns: usize,
    /// The first column holds labels (a key/value list, a list's numbers): they stay on one line
    /// as far as the other columns' longest words allow, and the last column takes the width no
    /// column needs (the HTML's `max-content 1fr`).
    pub labels: bool,
    /// Repeated at the top of every page the table runs onto; empty for none.
    pub header: Vec<Cell>,
    pub rows: Vec<Vec<Cell>>,
    /// Alternate rows shaded.
    pub zebra: bool,
}

/// One block of the flow.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// The document's title (once, on the first page).
    Title(String),
    /// A section heading; level 1 and 2 get a bookmark (level 2 nested under the level 1 before).
    Heading {
        level: u8,
        text: String,
    },
    Para(Para),
    /// A boxed note with a coloured edge.
    Note {
        tone: Tone,
        paras: Vec<Para>,
    },
    /// A bulleted list.
    Bullets(Vec<Para>),
    Table(Table),
    /// Label / value pairs.
    KeyValues(Vec<(String, Cell)>),
    /// A vector picture scaled to the text width, its title and description as caption.
    Figure(Figure),
    /// Vertical space in points.
    Space(f32),
}

/// Document-wide settings and metadata.
#[derive(Debug, Clone, PartialEq)]
pub struct Meta {
    pub title: String,
    pub author: String,
    pub subject: String,
    pub keywords: String,
    /// BCP 47, e.g. "en" or "fa".
    pub lang: String,
    /// The report's `--now`; also the creation date.
    pub created: jiff::Timestamp,
    pub producer: String,
    pub paper: Paper,
    /// Right-to-left documents align paragraphs right and mirror tables.
    pub direction: Direction,
    /// Running header on every page after the first.
    pub header: Option<String>,
    /// Running footer, left (right in RTL) side.
    pub footer: String,
    /// Page number text; `{page}` and `{pages}` are replaced.
    pub page_label: String,
    /// Reserve a signature dictionary for `sign::pdfsig` (see `model::pdf_signature`).
    pub signature: Option<crate::model::pdf_signature::SignatureSlot>,
}

/// A whole document.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub meta: Meta,
    pub blocks: Vec<Block>,
}

/// Metadata for tests.
#[cfg(test)]
pub(crate) fn test_meta(direction: Direction) -> Meta {
    Meta {
        title: "Test".into(),
        author: "Examiner".into(),
        subject: "Subject".into(),
        keywords: String::new(),
        lang: if direction == Direction::Rtl { "fa".into() } else { "en".into() },
        created: "2026-11-26T12:00:00Z".parse().expect("a valid time"),
        producer: "sessionproof test".into(),
        paper: Paper::A4,
        direction,
        header: Some("Header".into()),
        footer: "Footer".into(),
        page_label: "Page {page} of {pages}".into(),
        signature: None,
    }
}
