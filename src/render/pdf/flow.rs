//! Pagination: blocks flow down the page and onto new pages; headings keep with what follows and
//! leave bookmarks. Each page is handed on as soon as it is finished, with its running header and
//! footer, so the writer can encode it while the next one is laid out; only "page n of N" waits
//! for the page count (`PageNumbers`).

use super::columns::Column;
use super::doc::{ACCENT, Block, Document, INK, MUTED, Para, RULE, Style, Table, Tone};
use super::draw::{Bookmark, Laid, Op, Page, PageSize};
use super::fonts::FontId;
use super::shaping::Shaper;
use super::text::{Direction, Extent, Line, TextStyle, is_rtl_char, layout, measure};
use std::rc::Rc;

/// Margins and the text area, in points from the top left.
#[derive(Debug, Clone, Copy)]
pub(super) struct Geometry {
    pub height: f32,
    pub left: f32,
    pub right: f32,
    pub top: f32,
    pub bottom: f32,
}

impl Geometry {
    fn new(width: f32, height: f32) -> Geometry {
        let side = 46.0;
        Geometry { height, left: side, right: width - side, top: 54.0, bottom: height - 52.0 }
    }

    pub fn text_width(&self) -> f32 {
        self.right - self.left
    }

    pub fn text_height(&self) -> f32 {
        self.bottom - self.top
    }
}

/// The layout state: the page being filled, how many were handed on before it, and the cursor.
pub(super) struct Flow<'s> {
    pub shaper: &'s mut Shaper,
    pub g: Geometry,
    pub dir: Direction,
    /// The page being filled.
    page: Page,
    /// Pages finished and handed to `emit`; also the index of `page`.
    done: usize,
    emit: &'s mut dyn FnMut(Page),
    furniture: Furniture,
    pub y: f32,
    pub bookmarks: Vec<Bookmark>,
    /// The column boxes of the document's table measured last, by its address: a heading's
    /// keep-with-next and the table itself both need them, and measuring a table of thousands of
    /// rows twice would be waste. Only tables the document holds are kept here, never
    /// temporaries, whose address a later one could reuse.
    table_columns: Option<(*const Table, Rc<[Column]>)>,
}

const PARA_GAP: f32 = 4.0;

impl Flow<'_> {
    pub fn rtl(&self) -> bool {
        self.dir == Direction::Rtl
    }

    /// The operations of the page being filled (earlier pages are gone).
    pub fn ops(&mut self) -> &mut Vec<Op> {
        &mut self.page.ops
    }

    pub fn new_page(&mut self) {
        self.finish_page();
        self.y = self.g.top;
    }

    /// Adds the running header and footer to the page being filled and hands it on.
    fn finish_page(&mut self) {
        let mut page = std::mem::take(&mut self.page);
        self.furniture.draw(&mut page.ops, self.done);
        (self.emit)(page);
        self.done += 1;
    }

    /// Room left on this page.
    pub fn room(&self) -> f32 {
        self.g.bottom - self.y
    }

    /// Starts a new page unless `h` points fit here (or the page is still empty).
    pub fn ensure(&mut self, h: f32) {
        if h > self.room() && self.y > self.g.top + 0.5 {
            self.new_page();
        }
    }

    /// Lays out text in the document's direction (but see `text_direction`).
    pub fn lines(&mut self, text: &str, style: TextStyle, width: f32) -> Vec<Line> {
        layout(self.shaper, text, style, text_direction(self.dir, text), width)
    }

    /// The widths `text` needs when laid out by `lines`.
    pub fn measure(&mut self, text: &str, style: TextStyle) -> Extent {
        measure(self.shaper, text, style, text_direction(self.dir, text))
    }

    /// The column boxes of a table of the document, measured once.
    fn document_table_columns(&mut self, t: &Table) -> Rc<[Column]> {
        if let Some((at, cols)) = &self.table_columns
            && std::ptr::eq(*at, t)
        {
            return cols.clone();
        }
        let cols: Rc<[Column]> = super::columns::columns(self, t).into();
        self.table_columns = Some((t, cols.clone()));
        cols
    }

    /// Draws one line in the box [x, x + width], aligned to the document's start side, top at `top`.
    pub fn draw_line(&mut self, line: &Line, x: f32, width: f32, top: f32) {
        if line.glyphs.is_empty() {
            return;
        }
        let x = if self.rtl() { x + width - line.width } else { x };
        let op = Op::Text { x, baseline: top + line.style.size, style: line.style, glyphs: line.glyphs.clone() };
        self.ops().push(op);
    }

    /// Places lines one after another at the cursor, breaking pages between lines.
    pub fn place_lines(&mut self, lines: &[Line], x: f32, width: f32) {
        for line in lines {
            let h = line.style.leading();
            self.ensure(h);
            let top = self.y;
            self.draw_line(line, x, width, top);
            self.y += h;
        }
    }

    fn para(&mut self, p: &Para) {
        let (x, w) = (self.g.left, self.g.text_width());
        let lines = self.lines(&p.text, p.style.text(), w);
        self.place_lines(&lines, x, w);
        self.y += PARA_GAP;
    }

    /// How much of `rest` must follow a heading on its page: the first lines of a paragraph (all
    /// of a short one, and then what follows it), a table's header and first row, and so on.
    fn start_height(&mut self, rest: &[Block]) -> f32 {
        let Some(first) = rest.first() else { return 0.0 };
        let w = self.g.text_width();
        match first {
            Block::Para(p) => {
                let lines = self.lines(&p.text, p.style.text(), w);
                let h: f32 = lines.iter().take(3).map(|l| l.style.leading()).sum();
                if lines.len() <= 3 { h + PARA_GAP + self.start_height(&rest[1..]) } else { h }
            }
            Block::Note { paras, .. } => paras.first().map(|p| p.style.text().leading()).unwrap_or(0.0) + 12.0,
            Block::Bullets(items) => items.first().map(|p| p.style.text().leading()).unwrap_or(0.0),
            Block::Table(t) => {
                let cols = self.document_table_columns(t);
                super::table::start_height(self, t, &cols)
            }
            Block::KeyValues(pairs) => {
                // All the pairs: the labels' widths set the columns.
                let t = key_value_table(pairs);
                let cols = super::columns::columns(self, &t);
                super::table::start_height(self, &t, &cols)
            }
            Block::Figure(f) => {
                let s = if f.width > 0.0 { w / f.width } else { 0.0 };
                Style::Strong.text().leading() + (f.height * s).clamp(0.0, self.g.text_height() / 2.0)
            }
            Block::Heading { level, .. } => {
                let size = if *level <= 1 { 13.0 } else { 10.5 };
                size * 1.3 + 15.0 + self.start_height(&rest[1..])
            }
            Block::Title(_) | Block::Space(_) => 0.0,
        }
    }

    fn heading(&mut self, level: u8, text: &str, rest: &[Block]) {
        let (size, space_before, depth) = match level {
            0 | 1 => (13.0, 16.0, 0),
            _ => (10.5, 10.0, 1),
        };
        let style = TextStyle { font: FontId::Bold, size, color: if level <= 1 { ACCENT } else { INK } };
        let w = self.g.text_width();
        let lines = self.lines(text, style, w);
        let h: f32 = lines.iter().map(|l| l.style.leading()).sum::<f32>() + 4.0;
        if self.y > self.g.top + 0.5 {
            self.y += space_before;
        }
        // Keep the heading with the start of what follows.
        let next = self.start_height(rest).min(self.g.text_height() / 2.0);
        self.ensure(h + next);
        self.bookmarks.push(Bookmark {
            title: crate::model::text::visible(&crate::model::text::without_isolates(text)),
            depth,
            page: self.done,
            y: self.y,
        });
        let left = self.g.left;
        self.place_lines(&lines, left, w);
        if level <= 1 {
            let (l, r, y) = (self.g.left, self.g.right, self.y + 1.0);
            self.ops().push(Op::line(l, y, r, y, RULE, 0.75));
        }
        self.y += 5.0;
    }

    fn title(&mut self, text: &str) {
        let style = TextStyle { font: FontId::Bold, size: 19.0, color: INK };
        let w = self.g.text_width();
        let lines = self.lines(text, style, w);
        let left = self.g.left;
        self.place_lines(&lines, left, w);
        self.y += 4.0;
    }

    fn note(&mut self, tone: Tone, paras: &[Para]) {
        let pad = 5.0;
        let bar = 2.5;
        let inner = self.g.text_width() - 2.0 * pad - bar;
        let mut lines = Vec::new();
        for p in paras {
            lines.extend(self.lines(&p.text, p.style.text(), inner));
        }
        if lines.is_empty() {
            return;
        }
        self.ensure(lines[0].style.leading() + 2.0 * pad);
        self.y += 1.0;
        let mut k = 0;
        while k < lines.len() {
            // One box per page the note runs onto.
            let start_y = self.y;
            let at = self.ops().len();
            self.y += pad;
            while k < lines.len()
                && (self.y + lines[k].style.leading() + pad <= self.g.bottom || self.y <= start_y + pad)
            {
                let top = self.y;
                let x = if self.rtl() { self.g.left + pad } else { self.g.left + bar + pad };
                let line = lines[k].clone();
                self.draw_line(&line, x, inner, top);
                self.y += line.style.leading();
                k += 1;
            }
            self.y += pad;
            let h = self.y - start_y;
            let (l, w) = (self.g.left, self.g.text_width());
            let bar_x = if self.rtl() { self.g.right - bar } else { l };
            let ops = self.ops();
            ops.insert(at, Op::fill_rect(bar_x, start_y, bar, h, tone.ink()));
            ops.insert(at, Op::fill_rect(l, start_y, w, h, tone.tint()));
            if k < lines.len() {
                self.new_page();
            }
        }
        self.y += PARA_GAP + 1.0;
    }

    fn bullets(&mut self, items: &[Para]) {
        let indent = 11.0;
        let w = self.g.text_width() - indent;
        for p in items {
            let lines = self.lines(&p.text, p.style.text(), w);
            let Some(first) = lines.first() else { continue };
            self.ensure(first.style.leading());
            let dot = self.lines("•", p.style.text(), indent);
            let top = self.y;
            let (text_x, dot_x) =
                if self.rtl() { (self.g.left, self.g.right - indent) } else { (self.g.left + indent, self.g.left) };
            if let Some(d) = dot.first() {
                let d = d.clone();
                self.draw_line(&d, dot_x, indent, top);
            }
            self.place_lines(&lines, text_x, w);
            self.y += 2.0;
        }
        self.y += PARA_GAP;
    }

    fn block(&mut self, b: &Block, rest: &[Block]) {
        match b {
            Block::Title(t) => self.title(t),
            Block::Heading { level, text } => self.heading(*level, text, rest),
            Block::Para(p) => self.para(p),
            Block::Note { tone, paras } => self.note(*tone, paras),
            Block::Bullets(items) => self.bullets(items),
            Block::Table(t) => {
                let cols = self.document_table_columns(t);
                super::table::table(self, t, &cols);
            }
            Block::KeyValues(pairs) => {
                let t = key_value_table(pairs);
                let cols = super::columns::columns(self, &t);
                super::table::table(self, &t, &cols);
            }
            Block::Figure(f) => super::figure::figure(self, f),
            Block::Space(h) => {
                self.y += h.clamp(0.0, self.g.text_height());
                if self.y > self.g.bottom {
                    self.new_page();
                }
            }
        }
    }
}

/// Label / value pairs as a two-column table, labels in bold.
fn key_value_table(pairs: &[(String, Vec<Para>)]) -> Table {
    Table {
        columns: 2,
        labels: true,
        header: Vec::new(),
        rows: pairs.iter().map(|(k, v)| vec![vec![Para::new(Style::Header, k.clone())], v.clone()]).collect(),
        zebra: false,
    }
}

/// Text without any right-to-left letter (an IP, a time, a hash, a file name) keeps its
/// left-to-right order in a right-to-left document, as `<bdi>` keeps it in the HTML.
fn text_direction(dir: Direction, text: &str) -> Direction {
    if dir == Direction::Rtl && !text.chars().any(is_rtl_char) { Direction::Ltr } else { dir }
}

/// Where the running header and footer lines go: small muted text between the margins.
#[derive(Debug, Clone, Copy)]
struct Band {
    left: f32,
    right: f32,
    style: TextStyle,
}

impl Band {
    const HEAD_TOP: f32 = 26.0;

    fn new(g: &Geometry) -> Band {
        Band { left: g.left, right: g.right, style: TextStyle { font: FontId::Sans, size: 7.0, color: MUTED } }
    }

    /// The rule above the footer (its text hangs 5 pt below it).
    fn foot_rule(g: &Geometry) -> f32 {
        g.height - 34.0
    }

    /// A line placed against the left or right margin, its top at `top`.
    fn text(&self, line: &Line, at_right: bool, top: f32) -> Op {
        let x = if at_right { self.right - line.width } else { self.left };
        Op::Text { x, baseline: top + self.style.size, style: self.style, glyphs: line.glyphs.clone() }
    }
}

/// The running header (every page after the first) and footer (every page), shaped once.
struct Furniture {
    band: Band,
    rtl: bool,
    foot_y: f32,
    footer: Option<Line>,
    header: Option<Line>,
}

impl Furniture {
    fn new(doc: &Document, shaper: &mut Shaper, g: &Geometry, dir: Direction) -> Furniture {
        let band = Band::new(g);
        let w = g.text_width();
        let mut first_line = |text: &str, width: f32| {
            layout(shaper, text, band.style, text_direction(dir, text), width).into_iter().next()
        };
        let footer = first_line(&doc.meta.footer, w * 0.7);
        let header = doc.meta.header.as_deref().and_then(|h| first_line(h, w));
        Furniture { band, rtl: dir == Direction::Rtl, foot_y: Band::foot_rule(g), footer, header }
    }

    /// Puts the header (after the first page) before the page's body, and the footer rule and
    /// text after it, so that text comes out top to bottom.
    fn draw(&self, ops: &mut Vec<Op>, page: usize) {
        let (l, r) = (self.band.left, self.band.right);
        if page > 0
            && let Some(h) = &self.header
        {
            let y = Band::HEAD_TOP + 13.0;
            let head = [self.band.text(h, self.rtl, Band::HEAD_TOP), Op::line(l, y, r, y, RULE, 0.5)];
            ops.splice(0..0, head);
        }
        ops.push(Op::line(l, self.foot_y, r, self.foot_y, RULE, 0.5));
        if let Some(f) = &self.footer {
            ops.push(self.band.text(f, self.rtl, self.foot_y + 5.0));
        }
    }
}

/// "Page n of N" in the footer, opposite the footer text: drawn once the page count is known.
#[derive(Debug, Clone)]
pub struct PageNumbers {
    band: Band,
    dir: Direction,
    width: f32,
    top: f32,
    /// `Meta::page_label`.
    label: String,
}

impl PageNumbers {
    /// The operations that draw the number of page `page` (from 0) of `pages`; none for an
    /// empty label.
    pub fn ops(&self, shaper: &mut Shaper, page: usize, pages: usize) -> Vec<Op> {
        let text = self.label.replace("{page}", &(page + 1).to_string()).replace("{pages}", &pages.to_string());
        let lines = layout(shaper, &text, self.band.style, text_direction(self.dir, &text), self.width);
        let at_right = self.dir != Direction::Rtl;
        lines.first().map(|line| vec![self.band.text(line, at_right, self.top)]).unwrap_or_default()
    }
}

/// What is left of a layout once every page has been handed on.
#[derive(Debug, Clone)]
pub struct Paged {
    pub size: PageSize,
    /// How many pages were handed on.
    pub pages: usize,
    pub bookmarks: Vec<Bookmark>,
    pub numbers: PageNumbers,
}

/// Lays out a document, handing each page to `emit`, in order, as soon as nothing more will be
/// drawn on it: its body and running header and footer, all but its number (`Paged::numbers`).
pub fn lay_out_with(doc: &Document, shaper: &mut Shaper, emit: &mut dyn FnMut(Page)) -> Paged {
    let (width, height) = doc.meta.paper.size();
    let g = Geometry::new(width, height);
    let dir = if doc.meta.direction == Direction::Rtl { Direction::Rtl } else { Direction::Ltr };
    let furniture = Furniture::new(doc, shaper, &g, dir);
    let numbers = PageNumbers {
        band: furniture.band,
        dir,
        width: g.text_width(),
        top: Band::foot_rule(&g) + 5.0,
        label: doc.meta.page_label.clone(),
    };
    let mut flow = Flow {
        shaper,
        g,
        dir,
        page: Page::default(),
        done: 0,
        emit,
        furniture,
        y: g.top,
        bookmarks: Vec::new(),
        table_columns: None,
    };
    for (i, b) in doc.blocks.iter().enumerate() {
        flow.block(b, &doc.blocks[i + 1..]);
    }
    // A trailing page break leaves an empty page: drop it (but keep an empty document's page).
    if flow.done == 0 || !flow.page.ops.is_empty() {
        flow.finish_page();
    }
    Paged { size: PageSize { width, height }, pages: flow.done, bookmarks: flow.bookmarks, numbers }
}

/// Lays out a document into pages held in memory, numbered (for tests and tools that want them
/// all at once; the writer takes them one by one from `lay_out_with`).
pub fn lay_out(doc: &Document, shaper: &mut Shaper) -> Laid {
    let mut pages = Vec::new();
    let paged = lay_out_with(doc, shaper, &mut |p| pages.push(p));
    let total = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        page.ops.extend(paged.numbers.ops(shaper, i, total));
    }
    Laid { size: paged.size, pages, bookmarks: paged.bookmarks }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::doc::test_meta;

    fn laid(blocks: Vec<Block>, dir: Direction) -> Laid {
        let doc = Document { meta: test_meta(dir), blocks };
        lay_out(&doc, &mut Shaper::new())
    }

    /// Every glyph's left edge lies inside the text area, every baseline on the page.
    fn assert_inside(l: &Laid) {
        let g = Geometry::new(l.size.width, l.size.height);
        for (p, page) in l.pages.iter().enumerate() {
            for op in &page.ops {
                if let Op::Text { x, baseline, glyphs, style } = op {
                    for gl in glyphs {
                        let gx = x + gl.x;
                        assert!(gx >= g.left - 0.5 && gx + style.size * 0.3 <= g.right + 0.5, "page {p}: x {gx}");
                    }
                    assert!(*baseline > 0.0 && *baseline < l.size.height, "page {p}: baseline {baseline}");
                }
            }
        }
    }

    #[test]
    fn long_text_flows_onto_new_pages_and_stays_inside_the_margins() {
        let long = "Lorem ipsum dolor sit amet ".repeat(600) + &"X".repeat(10_000);
        let l = laid(vec![Block::Title("T".into()), Block::Para(Para::new(Style::Body, long))], Direction::Ltr);
        assert!(l.pages.len() >= 4, "{}", l.pages.len());
        assert_inside(&l);
    }

    #[test]
    fn a_heading_moves_to_the_next_page_with_the_start_of_its_table() {
        let table = Table {
            columns: 2,
            labels: false,
            header: vec![vec![Para::new(Style::Header, "A")], vec![Para::new(Style::Header, "B")]],
            rows: vec![vec![vec![Para::new(Style::Small, "one")], vec![Para::new(Style::Small, "two")]]; 3],
            zebra: true,
        };
        let l = laid(
            vec![
                Block::Heading { level: 1, text: "First".into() },
                Block::Space(690.0),
                Block::Heading { level: 1, text: "Second".into() },
                Block::Table(table),
                Block::Heading { level: 2, text: "Nested".into() },
            ],
            Direction::Ltr,
        );
        let marks: Vec<(&str, u8, usize)> = l.bookmarks.iter().map(|b| (b.title.as_str(), b.depth, b.page)).collect();
        assert_eq!(marks, vec![("First", 0, 0), ("Second", 0, 1), ("Nested", 1, 1)]);
    }

    #[test]
    fn every_page_gets_its_number_and_the_header_after_the_first() {
        let l = laid(vec![Block::Para(Para::new(Style::Body, "word ".repeat(3000)))], Direction::Ltr);
        let n = l.pages.len();
        assert!(n >= 2);
        let mut shaper = Shaper::new();
        for (i, page) in l.pages.iter().enumerate() {
            let label = format!("Page {} of {n}", i + 1);
            let want = layout(
                &mut shaper,
                &label,
                TextStyle { font: FontId::Sans, size: 7.0, color: MUTED },
                Direction::Ltr,
                500.0,
            );
            let has = page.ops.iter().any(|op| matches!(op, Op::Text { glyphs, .. } if *glyphs == want[0].glyphs));
            assert!(has, "page {} lacks {label}", i + 1);
        }
    }

    #[test]
    fn pages_are_handed_on_with_header_and_footer_and_numbered_at_the_end() {
        let doc = Document {
            meta: test_meta(Direction::Ltr),
            // The space at the end breaks the page and leaves an empty one, which is dropped.
            blocks: vec![Block::Para(Para::new(Style::Body, "word ".repeat(3000))), Block::Space(2000.0)],
        };
        let mut shaper = Shaper::new();
        let mut pages = Vec::new();
        let paged = lay_out_with(&doc, &mut shaper, &mut |p| pages.push(p));
        let n = pages.len();
        assert!(n >= 2 && n == paged.pages, "{n} pages, {} counted", paged.pages);
        let small = TextStyle { font: FontId::Sans, size: 7.0, color: MUTED };
        let glyphs =
            |shaper: &mut Shaper, text: &str| layout(shaper, text, small, Direction::Ltr, 500.0)[0].glyphs.clone();
        let (header, footer) = (glyphs(&mut shaper, "Header"), glyphs(&mut shaper, "Footer"));
        let shows = |ops: &[Op], want: &[crate::render::pdf::text::Placed]| {
            ops.iter().any(|op| matches!(op, Op::Text { glyphs, .. } if glyphs == want))
        };
        for (i, page) in pages.iter().enumerate() {
            assert!(shows(&page.ops, &footer), "page {} has its footer", i + 1);
            assert_eq!(shows(&page.ops, &header), i > 0, "page {}: a header after the first page only", i + 1);
            let texts = page.ops.iter().filter(|op| matches!(op, Op::Text { .. })).count();
            assert!(texts > 2, "page {} has body text (no empty page is handed on)", i + 1);
            let number = glyphs(&mut shaper, &format!("Page {} of {n}", i + 1));
            assert!(!shows(&page.ops, &number), "the number waits for the count");
            assert!(shows(&paged.numbers.ops(&mut shaper, i, n), &number), "page {}", i + 1);
        }
        // The header comes first in a page's operations, the footer last: text reads top to bottom.
        assert!(matches!(&pages[1].ops[0], Op::Text { glyphs, .. } if *glyphs == header));
        assert!(matches!(pages[1].ops.last(), Some(Op::Text { glyphs, .. }) if *glyphs == footer));
    }

    #[test]
    fn data_in_a_right_to_left_document_keeps_its_order() {
        let doc = Document {
            meta: test_meta(Direction::Rtl),
            blocks: vec![Block::Para(Para::new(Style::Body, "2026-11-26 12:00:00 UTC"))],
        };
        let mut shaper = Shaper::new();
        let l = lay_out(&doc, &mut shaper);
        let Op::Text { glyphs, .. } = &l.pages[0].ops[0] else { panic!("text first") };
        let visual: String = glyphs
            .iter()
            .map(|g| shaper.to_unicode(g.font).and_then(|m| m.get(&g.gid)).cloned().unwrap_or_default())
            .collect();
        assert_eq!(visual, "2026-11-26 12:00:00 UTC", "left to right, as <bdi> keeps it in the HTML");
    }

    #[test]
    fn isolates_reach_neither_the_outline_nor_the_glyphs() {
        let heading = "نشست \u{2068}3\u{2069}: \u{2068}Telegram Desktop\u{2069}";
        let l = laid(vec![Block::Heading { level: 2, text: heading.into() }], Direction::Rtl);
        assert_eq!(l.bookmarks[0].title, "نشست 3: Telegram Desktop");
        let mut s = Shaper::new();
        let plain = layout(&mut s, "نشست 3: Telegram Desktop", Style::Body.text(), Direction::Rtl, 500.0);
        let isolated = layout(&mut s, heading, Style::Body.text(), Direction::Rtl, 500.0);
        assert_eq!(plain[0].glyphs.len(), isolated[0].glyphs.len(), "no glyph is drawn for an isolate");
    }

    #[test]
    fn right_to_left_documents_align_right() {
        let l = laid(vec![Block::Para(Para::new(Style::Body, "گوشی من"))], Direction::Rtl);
        let g = Geometry::new(l.size.width, l.size.height);
        let Op::Text { x, glyphs, .. } = &l.pages[0].ops[0] else { panic!("text first") };
        let right = x + glyphs.iter().map(|g| g.x).fold(0.0, f32::max);
        assert!(right > g.right - 20.0 && *x > g.left + 100.0, "aligned right: {x}");
    }
}
