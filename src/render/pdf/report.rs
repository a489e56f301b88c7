//! The report's PDF: the view model mapped section by section, in the order and with the headings
//! and texts of `templates/report.html`, so the PDF shows what the HTML shows. One function per
//! section; each only places the view's already-formatted strings and the catalogue's labels.

use super::doc::{Block, Cell, Document, Meta, Para, Style, Table, Tone};
use super::text::Direction;
use super::{records, sections};
use crate::model::view::{ReportView, TimeCell};
use crate::render::RenderError;

pub use super::doc::Paper;

/// How the PDF is laid out. Its language and direction are the view's.
#[derive(Debug, Clone, PartialEq)]
pub struct PdfOptions {
    pub paper: Paper,
    /// The report's `--now`: the PDF's creation date.
    pub created: jiff::Timestamp,
    /// Reserve a signature dictionary, filled afterwards by `sign::pdfsig`.
    pub signature: Option<crate::model::pdf_signature::SignatureSlot>,
}

impl PdfOptions {
    pub fn new(paper: Paper, created: jiff::Timestamp) -> PdfOptions {
        PdfOptions { paper, created, signature: None }
    }
}

/// Renders `report.pdf`.
pub fn render_pdf(view: &ReportView, options: &PdfOptions) -> Result<Vec<u8>, RenderError> {
    super::render_document(&report_document(view, options))
}

/// The report as a document (exposed for tests and other front ends).
pub fn report_document(view: &ReportView, options: &PdfOptions) -> Document {
    let r = view;
    let title = label(r, "labels.title");
    let case = &r.cover.case_id;
    let meta = Meta {
        title: format!("{title}: {case}"),
        author: r.cover.examiner.clone(),
        subject: r.cover.lead.clone(),
        keywords: label(r, "labels.pdf.keywords"),
        lang: r.lang.clone(),
        created: options.created,
        producer: r.cover.tool.clone(),
        paper: options.paper,
        direction: if r.dir == "rtl" { Direction::Rtl } else { Direction::Ltr },
        header: Some(format!("{title} · {} {case}", label(r, "labels.cover.case"))),
        footer: format!("{} · {}", r.cover.tool, r.cover.generated_utc),
        page_label: label(r, "labels.pdf.page"),
        signature: options.signature.clone(),
    };
    let mut b = Vec::new();
    b.push(Block::Title(title));
    b.push(para(Style::Lead, r.cover.lead.clone()));
    b.push(para(Style::Muted, contents(r)));
    sections::cover(&mut b, r);
    sections::summary(&mut b, r);
    sections::sessions(&mut b, r);
    sections::details(&mut b, r);
    sections::pictures(&mut b, r);
    sections::changes(&mut b, r);
    records::actions(&mut b, r);
    records::methodology(&mut b, r);
    records::evidence(&mut b, r);
    records::custody(&mut b, r);
    records::verification(&mut b, r);
    records::data_sources(&mut b, r);
    b.push(para(Style::Muted, r.footer.clone()));
    Document { meta, blocks: b }
}

/// The section headings in order, numbered as the HTML numbers them.
pub(super) const SECTIONS: [&str; 12] = [
    "labels.cover.heading",
    "labels.summary.heading",
    "labels.sessions.heading",
    "labels.details.heading",
    "labels.pictures.heading",
    "labels.changes.heading",
    "labels.actions.heading",
    "labels.methodology.heading",
    "labels.evidence.heading",
    "labels.custody.heading",
    "labels.verification.heading",
    "labels.attributions.heading",
];

/// The table of contents, as one line (the PDF's outline links to each section).
fn contents(r: &ReportView) -> String {
    let items: Vec<String> = SECTIONS.iter().enumerate().map(|(i, k)| format!("{}. {}", i + 1, label(r, k))).collect();
    format!("{}: {}", label(r, "labels.toc"), items.join(" · "))
}

/// A static label by its full catalogue key (`labels.sessions.heading`), so the catalogue tests
/// see every key the PDF uses.
pub(super) fn label(r: &ReportView, key: &str) -> String {
    r.labels.get(key.strip_prefix("labels.").unwrap_or(key))
}

/// The heading of section `key`, numbered.
pub(super) fn section(b: &mut Vec<Block>, r: &ReportView, key: &str) {
    let n = SECTIONS.iter().position(|k| *k == key).map_or(0, |i| i + 1);
    heading(b, 1, format!("{n}. {}", label(r, key)));
}

pub(super) fn para(style: Style, text: impl Into<String>) -> Block {
    Block::Para(Para::new(style, text))
}

pub(super) fn heading(b: &mut Vec<Block>, level: u8, text: impl Into<String>) {
    b.push(Block::Heading { level, text: text.into() });
}

pub(super) fn note(tone: Tone, text: impl Into<String>) -> Block {
    Block::Note { tone, paras: vec![Para::new(Style::Small, text)] }
}

pub(super) fn cell(style: Style, text: impl Into<String>) -> Cell {
    vec![Para::new(style, text)]
}

/// A header row of labels.
pub(super) fn header(r: &ReportView, keys: &[&str]) -> Vec<Cell> {
    keys.iter().map(|k| cell(Style::Header, label(r, k))).collect()
}

/// A table with a header row (which sets how many columns) and shaded alternate rows.
pub(super) fn table(header: Vec<Cell>, rows: Vec<Vec<Cell>>) -> Block {
    Block::Table(Table { columns: header.len(), labels: false, header, rows, zebra: true })
}

/// A numbered list counting from `first`: a table of two columns, the numbers in the narrow one
/// (mirrored, like every table, in a right-to-left report).
pub(super) fn numbered(first: usize, items: &[String], style: Style) -> Block {
    let row = |(i, t): (usize, &String)| vec![cell(style, format!("{}.", first + i)), cell(style, t.clone())];
    Block::Table(Table {
        columns: 2,
        labels: true,
        header: Vec::new(),
        rows: items.iter().enumerate().map(row).collect(),
        zebra: false,
    })
}

/// A value the HTML shows in `<bdi>` or `dir="ltr"` (a name, an address, a time): in a
/// right-to-left report it is isolated (U+2068 … U+2069), so it keeps its own direction while
/// its cell stays aligned to the right.
pub(super) fn bdi(r: &ReportView, text: &str) -> String {
    if r.dir == "rtl" { format!("\u{2068}{text}\u{2069}") } else { text.to_string() }
}

/// A cell of one isolated value.
pub(super) fn value(r: &ReportView, style: Style, text: &str) -> Cell {
    cell(style, bdi(r, text))
}

/// UTC, the subject's local time and, optionally, the source's own text, one per line.
pub(super) fn time(r: &ReportView, t: &Option<TimeCell>, with_original: bool) -> Cell {
    match t {
        None => cell(Style::Small, "—"),
        Some(t) => {
            let mut c = value(r, Style::Small, &t.utc);
            if let Some(local) = &t.local {
                c.push(Para::new(Style::Muted, bdi(r, local)));
            }
            if with_original {
                c.push(Para::new(Style::Muted, bdi(r, &t.original)));
            }
            c
        }
    }
}

/// The colour of a verdict (and of a signal's or action's status) by its stable id.
pub(super) fn tone_of(id: &str) -> Tone {
    match id {
        "act-now" | "fired" | "do" | "reappeared" => Tone::Bad,
        "review" | "check" | "appeared" | "not-comparable" => Tone::Warn,
        "ok" | "clear" | "done" | "vanished" => Tone::Good,
        "info" => Tone::Info,
        _ => Tone::Neutral,
    }
}
