//! Tables: fixed column fractions, wrapped cell text, the header row repeated on every page, zebra
//! rows and rules. A row that fits on a page is never split; a row taller than a page is split
//! between lines, never through one.

use super::doc::{Cell, HEADER_FILL, RULE, Style, Table, ZEBRA};
use super::draw::Op;
use super::flow::Flow;
use super::text::Line;
use crate::model::figure::Rgb;

const PAD_X: f32 = 3.5;
const PAD_Y: f32 = 2.5;
const PARA_GAP: f32 = 1.0;

/// A cell's lines, each with the space it takes (leading, plus a gap before a new paragraph).
struct CellLines {
    lines: Vec<(Line, f32)>,
    next: usize,
}

impl CellLines {
    fn remaining(&self) -> f32 {
        self.lines[self.next..].iter().map(|(_, h)| h).sum()
    }

    fn done(&self) -> bool {
        self.next >= self.lines.len()
    }
}

/// Column left edges and widths, mirrored in right-to-left documents.
fn columns(flow: &Flow, t: &Table) -> Vec<(f32, f32)> {
    let total: f32 = t.columns.iter().map(|c| c.max(0.0)).sum();
    let n = t.columns.len().max(1) as f32;
    let width = flow.g.text_width();
    let mut x = 0.0;
    let mut out = Vec::new();
    for c in &t.columns {
        let w = if total > 0.0 { c.max(0.0) / total * width } else { width / n };
        let left = if flow.rtl() { flow.g.right - x - w } else { flow.g.left + x };
        out.push((left, w));
        x += w;
    }
    out
}

fn lay_cells(flow: &mut Flow, cells: &[Cell], cols: &[(f32, f32)], header: bool) -> Vec<CellLines> {
    cols.iter()
        .enumerate()
        .map(|(i, (_, w))| {
            let mut lines = Vec::new();
            for (k, p) in cells.get(i).map(Vec::as_slice).unwrap_or(&[]).iter().enumerate() {
                let style = if header { Style::Header.text() } else { p.style.text() };
                let inner = (w - 2.0 * PAD_X).max(style.size);
                for (j, line) in flow.lines(&p.text, style, inner).into_iter().enumerate() {
                    let gap = if k > 0 && j == 0 { PARA_GAP } else { 0.0 };
                    let h = line.style.leading() + gap;
                    lines.push((line, h));
                }
            }
            CellLines { lines, next: 0 }
        })
        .collect()
}

/// Draws as many lines of each cell as fit in `avail`; returns the height used (0 if none fit).
fn draw_segment(
    flow: &mut Flow,
    cells: &mut [CellLines],
    cols: &[(f32, f32)],
    avail: f32,
    fill: Option<Rgb>,
    rule: bool,
) -> f32 {
    // Decide first, draw after: the background goes under the text.
    let mut takes = Vec::with_capacity(cells.len());
    let mut height: f32 = 0.0;
    for c in cells.iter() {
        let mut h = 0.0;
        let mut n = 0;
        for (_, lh) in &c.lines[c.next..] {
            if h + lh > avail {
                break;
            }
            h += lh;
            n += 1;
        }
        takes.push(n);
        height = height.max(h);
    }
    let progress = takes.iter().any(|n| *n > 0) || cells.iter().all(CellLines::done);
    if !progress {
        return 0.0;
    }
    let top = flow.y;
    let row_h = height + 2.0 * PAD_Y;
    if let Some(color) = fill {
        let (l, w) = (flow.g.left, flow.g.text_width());
        flow.ops().push(Op::fill_rect(l, top, w, row_h, color));
    }
    for ((c, n), (x, w)) in cells.iter_mut().zip(takes).zip(cols) {
        let mut y = top + PAD_Y;
        for k in c.next..c.next + n {
            let (line, h) = &c.lines[k];
            let gap = h - line.style.leading();
            let line = line.clone();
            flow.draw_line(&line, x + PAD_X, w - 2.0 * PAD_X, y + gap);
            y += h;
        }
        c.next += n;
    }
    let (l, r, bottom) = (flow.g.left, flow.g.right, top + row_h);
    if rule {
        flow.ops().push(Op::line(l, bottom, r, bottom, RULE, 0.5));
    }
    flow.y = bottom;
    row_h
}

fn draw_header(flow: &mut Flow, header: &[Cell], cols: &[(f32, f32)]) {
    if header.is_empty() {
        return;
    }
    let mut cells = lay_cells(flow, header, cols, true);
    let avail = flow.g.text_height();
    draw_segment(flow, &mut cells, cols, avail, Some(HEADER_FILL), true);
}

fn header_height(flow: &mut Flow, header: &[Cell], cols: &[(f32, f32)]) -> f32 {
    if header.is_empty() {
        return 0.0;
    }
    let cells = lay_cells(flow, header, cols, true);
    cells.iter().map(CellLines::remaining).fold(0.0, f32::max) + 2.0 * PAD_Y
}

/// A row laid out: its cells' lines and its column boxes.
struct LaidRow {
    cells: Vec<CellLines>,
    cols: Vec<(f32, f32)>,
}

impl LaidRow {
    fn height(&self) -> f32 {
        self.cells.iter().map(CellLines::remaining).fold(0.0, f32::max) + 2.0 * PAD_Y
    }
}

/// Rows grouped with the full-width rows that follow them (a row of one cell in a table of
/// several columns spans them all and belongs to the row above: same shading, kept together).
fn groups(t: &Table) -> Vec<std::ops::Range<usize>> {
    let span = |r: &Vec<Cell>| r.len() == 1 && t.columns.len() > 1;
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for (i, row) in t.rows.iter().enumerate() {
        match out.last_mut() {
            Some(g) if span(row) => g.end = i + 1,
            _ => out.push(i..i + 1),
        }
    }
    out
}

fn lay_group(flow: &mut Flow, t: &Table, cols: &[(f32, f32)], rows: std::ops::Range<usize>) -> Vec<LaidRow> {
    t.rows[rows]
        .iter()
        .map(|row| {
            let cols =
                if row.len() == 1 && cols.len() > 1 { vec![(flow.g.left, flow.g.text_width())] } else { cols.to_vec() };
            LaidRow { cells: lay_cells(flow, row, &cols, false), cols }
        })
        .collect()
}

/// The height a table needs at the bottom of a page to start there: its header and first row
/// group (capped, since a very tall group is split anyway).
pub(super) fn start_height(flow: &mut Flow, t: &Table) -> f32 {
    if t.columns.is_empty() {
        return 0.0;
    }
    let cols = columns(flow, t);
    let head_h = header_height(flow, &t.header, &cols);
    let first = groups(t).into_iter().next().map(|g| lay_group(flow, t, &cols, g)).unwrap_or_default();
    let first_h: f32 = first.iter().map(LaidRow::height).sum();
    head_h + first_h.min(flow.g.text_height() / 3.0)
}

/// Lays out a table at the cursor.
pub(super) fn table(flow: &mut Flow, t: &Table) {
    if t.columns.is_empty() {
        return;
    }
    let cols = columns(flow, t);
    let head_h = header_height(flow, &t.header, &cols);
    // The header must not stand alone at the bottom of a page.
    let start = start_height(flow, t);
    flow.ensure(start);
    draw_header(flow, &t.header, &cols);
    let (l, r, y) = (flow.g.left, flow.g.right, flow.y);
    if t.header.is_empty() {
        flow.ops().push(Op::line(l, y, r, y, RULE, 0.5));
    }
    for (k, range) in groups(t).into_iter().enumerate() {
        let mut rows = lay_group(flow, t, &cols, range);
        let group_h: f32 = rows.iter().map(LaidRow::height).sum();
        // A group that fits on a page is never split: it moves to the next page whole.
        let first_h = rows.first().map(LaidRow::height).unwrap_or(0.0);
        let fits_a_page = group_h <= flow.g.text_height() - head_h;
        if group_h > flow.room() && (fits_a_page || first_h.min(2.0 * PAD_Y + 14.0) > flow.room()) {
            flow.new_page();
            draw_header(flow, &t.header, &cols);
        }
        let fill = (t.zebra && k % 2 == 1).then_some(ZEBRA);
        let n = rows.len();
        for (j, row) in rows.iter_mut().enumerate() {
            // No rule between a row and the full-width row that belongs to it.
            let rule_after = j + 1 == n;
            draw_row(flow, &t.header, &cols, row, fill, rule_after);
        }
    }
    flow.y += 6.0;
}

/// Draws one row, continuing it on new pages (under the repeated header) while it does not fit.
fn draw_row(flow: &mut Flow, header: &[Cell], cols: &[(f32, f32)], row: &mut LaidRow, fill: Option<Rgb>, rule: bool) {
    let mut fresh = false;
    loop {
        let avail = flow.room() - 2.0 * PAD_Y;
        let last = row.height() <= avail + 2.0 * PAD_Y;
        let used = draw_segment(flow, &mut row.cells, &row.cols, avail, fill, rule || !last);
        if used == 0.0 && fresh {
            // Not even one line fits under the header: draw one line per cell anyway.
            let need = row.cells.iter().filter(|c| !c.done()).map(|c| c.lines[c.next].1).fold(0.0, f32::max);
            draw_segment(flow, &mut row.cells, &row.cols, need, fill, true);
        }
        if row.cells.iter().all(CellLines::done) {
            return;
        }
        // The rest of a row taller than the page continues on the next one.
        flow.new_page();
        draw_header(flow, header, cols);
        fresh = true;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::doc::{Block, Document, Para, test_meta};
    use crate::render::pdf::draw::Laid;
    use crate::render::pdf::flow::lay_out;
    use crate::render::pdf::shaping::Shaper;
    use crate::render::pdf::text::Direction;

    fn cellp(s: &str) -> Cell {
        vec![Para::new(Style::Small, s)]
    }

    fn laid(t: Table, dir: Direction) -> Laid {
        lay_out(&Document { meta: test_meta(dir), blocks: vec![Block::Table(t)] }, &mut Shaper::new())
    }

    fn header_fills(l: &Laid) -> Vec<usize> {
        l.pages
            .iter()
            .map(|p| {
                p.ops.iter().filter(|op| matches!(op, Op::Path { fill: Some(c), .. } if *c == HEADER_FILL)).count()
            })
            .collect()
    }

    #[test]
    fn the_header_row_repeats_on_every_page() {
        let t = Table {
            columns: vec![0.2, 0.8],
            header: vec![cellp("Key"), cellp("Value")],
            rows: (0..200).map(|i| vec![cellp(&i.to_string()), cellp("a value")]).collect(),
            zebra: true,
        };
        let l = laid(t, Direction::Ltr);
        assert!(l.pages.len() >= 3);
        assert!(header_fills(&l).iter().all(|&n| n == 1), "{:?}", header_fills(&l));
    }

    #[test]
    fn a_row_taller_than_a_page_splits_between_lines_and_never_runs_off() {
        let tall = (0..400).map(|i| format!("line {i}")).collect::<Vec<_>>().join("\n");
        let t = Table {
            columns: vec![0.5, 0.5],
            header: vec![cellp("A"), cellp("B")],
            rows: vec![
                vec![cellp("short"), cellp("short")],
                vec![cellp(&tall), cellp("next to it")],
                vec![cellp("after"), cellp("")],
            ],
            zebra: false,
        };
        let l = laid(t, Direction::Ltr);
        assert!(l.pages.len() >= 3, "{}", l.pages.len());
        let bottom = l.size.height - 52.0;
        for p in &l.pages {
            for op in &p.ops {
                if let Op::Text { baseline, style, .. } = op {
                    // Page furniture sits below the text area; table text never does.
                    assert!(*baseline <= bottom || style.size <= 7.0, "{baseline}");
                }
            }
        }
        assert!(header_fills(&l).iter().all(|&n| n == 1));
    }

    #[test]
    fn a_row_of_one_cell_spans_the_table_and_rtl_mirrors_the_columns() {
        let t = Table {
            columns: vec![0.5, 0.5],
            header: vec![],
            rows: vec![vec![cellp("first"), cellp("second")], vec![cellp("across")]],
            zebra: false,
        };
        let xs = |l: &Laid| -> Vec<f32> {
            l.pages[0].ops.iter().filter_map(|op| if let Op::Text { x, .. } = op { Some(*x) } else { None }).collect()
        };
        let ltr = xs(&laid(t.clone(), Direction::Ltr));
        assert!(ltr[0] < ltr[1], "first column on the left");
        assert!((ltr[2] - ltr[0]).abs() < 0.01, "the spanning cell starts at the left edge");
        let rtl = xs(&laid(t, Direction::Rtl));
        assert!(rtl[0] > rtl[1], "first column on the right: {rtl:?}");
    }
}
