//! Tables: cell text wrapped in the column boxes `columns` measures, the header row repeated on
//! every page, zebra rows and rules. A row that fits on a page is never split; a row taller than a page is split
//! between lines, never through one.

use super::columns::{Column, spans};
use super::doc::{Cell, HEADER_FILL, RULE, Style, Table, ZEBRA};
use super::draw::Op;
use super::flow::Flow;
use super::text::Line;
use crate::model::figure::Rgb;

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

fn lay_cells(flow: &mut Flow, cells: &[Cell], cols: &[Column], header: bool) -> Vec<CellLines> {
    cols.iter()
        .enumerate()
        .map(|(i, col)| {
            let mut lines = Vec::new();
            for (k, p) in cells.get(i).map(Vec::as_slice).unwrap_or(&[]).iter().enumerate() {
                let style = if header { Style::Header.text() } else { p.style.text() };
                let inner = col.inner().max(style.size);
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
    cols: &[Column],
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
    for ((c, n), col) in cells.iter_mut().zip(takes).zip(cols) {
        let mut y = top + PAD_Y;
        for k in c.next..c.next + n {
            let (line, h) = &c.lines[k];
            let gap = h - line.style.leading();
            let line = line.clone();
            flow.draw_line(&line, col.left + col.pad, col.inner(), y + gap);
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

fn draw_header(flow: &mut Flow, header: &[Cell], cols: &[Column]) {
    if header.is_empty() {
        return;
    }
    let mut cells = lay_cells(flow, header, cols, true);
    let avail = flow.g.text_height();
    draw_segment(flow, &mut cells, cols, avail, Some(HEADER_FILL), true);
}

fn header_height(flow: &mut Flow, header: &[Cell], cols: &[Column]) -> f32 {
    if header.is_empty() {
        return 0.0;
    }
    let cells = lay_cells(flow, header, cols, true);
    cells.iter().map(CellLines::remaining).fold(0.0, f32::max) + 2.0 * PAD_Y
}

/// A row laid out: its cells' lines and its column boxes.
struct LaidRow {
    cells: Vec<CellLines>,
    cols: Vec<Column>,
}

impl LaidRow {
    fn height(&self) -> f32 {
        self.cells.iter().map(CellLines::remaining).fold(0.0, f32::max) + 2.0 * PAD_Y
    }
}

/// Rows grouped with the full-width rows that follow them (a row of one cell in a table of
/// several columns spans them all and belongs to the row above: same shading, kept together).
fn groups(t: &Table) -> Vec<std::ops::Range<usize>> {
    let mut out: Vec<std::ops::Range<usize>> = Vec::new();
    for (i, row) in t.rows.iter().enumerate() {
        match out.last_mut() {
            Some(g) if spans(t, row) => g.end = i + 1,
            _ => out.push(i..i + 1),
        }
    }
    out
}

fn lay_group(flow: &mut Flow, t: &Table, cols: &[Column], rows: std::ops::Range<usize>) -> Vec<LaidRow> {
    t.rows[rows]
        .iter()
        .map(|row| {
            let cols = match cols.first() {
                Some(c) if spans(t, row) => vec![Column { left: flow.g.left, width: flow.g.text_width(), pad: c.pad }],
                _ => cols.to_vec(),
            };
            LaidRow { cells: lay_cells(flow, row, &cols, false), cols }
        })
        .collect()
}

/// The height a table needs at the bottom of a page to start there: its header and first row
/// group (capped, since a very tall group is split anyway), in the column boxes `cols`.
pub(super) fn start_height(flow: &mut Flow, t: &Table, cols: &[Column]) -> f32 {
    if t.columns == 0 {
        return 0.0;
    }
    let head_h = header_height(flow, &t.header, cols);
    let first = groups(t).into_iter().next().map(|g| lay_group(flow, t, cols, g)).unwrap_or_default();
    let first_h: f32 = first.iter().map(LaidRow::height).sum();
    head_h + first_h.min(flow.g.text_height() / 3.0)
}

/// Lays out a table at the cursor in the column boxes `cols` (from `columns`).
pub(super) fn table(flow: &mut Flow, t: &Table, cols: &[Column]) {
    if t.columns == 0 {
        return;
    }
    let head_h = header_height(flow, &t.header, cols);
    // The header must not stand alone at the bottom of a page.
    let start = start_height(flow, t, cols);
    flow.ensure(start);
    draw_header(flow, &t.header, cols);
    let (l, r, y) = (flow.g.left, flow.g.right, flow.y);
    if t.header.is_empty() {
        flow.ops().push(Op::line(l, y, r, y, RULE, 0.5));
    }
    for (k, range) in groups(t).into_iter().enumerate() {
        let mut rows = lay_group(flow, t, cols, range);
        let group_h: f32 = rows.iter().map(LaidRow::height).sum();
        // A group that fits on a page is never split: it moves to the next page whole.
        let first_h = rows.first().map(LaidRow::height).unwrap_or(0.0);
        let fits_a_page = group_h <= flow.g.text_height() - head_h;
        if group_h > flow.room() && (fits_a_page || first_h.min(2.0 * PAD_Y + 14.0) > flow.room()) {
            flow.new_page();
            draw_header(flow, &t.header, cols);
        }
        let fill = (t.zebra && k % 2 == 1).then_some(ZEBRA);
        let n = rows.len();
        for (j, row) in rows.iter_mut().enumerate() {
            // No rule between a row and the full-width row that belongs to it.
            let rule_after = j + 1 == n;
            draw_row(flow, &t.header, cols, row, fill, rule_after);
        }
    }
    flow.y += 6.0;
}

/// Draws one row, continuing it on new pages (under the repeated header) while it does not fit.
fn draw_row(flow: &mut Flow, header: &[Cell], cols: &[Column], row: &mut LaidRow, fill: Option<Rgb>, rule: bool) {
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
            columns: 2,
            labels: false,
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
            columns: 2,
            labels: false,
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
            columns: 2,
            labels: false,
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

/// Tables of sessions as the report makes them: no word is cut unless it alone is wider than its
/// column can be, in English, Russian and Persian.
#[cfg(test)]
mod word_tests {
    use super::*;
    use crate::render::pdf::doc::{Block, Document, Para, Tone, test_meta};
    use crate::render::pdf::draw::Laid;
    use crate::render::pdf::flow::lay_out;
    use crate::render::pdf::shaping::Shaper;
    use crate::render::pdf::text::Direction;

    /// The body text of every page (the running header and footer lie outside the text area), line
    /// by line.
    fn lines(table: Table, dir: Direction) -> (Laid, Vec<String>) {
        let mut shaper = Shaper::new();
        let laid = lay_out(&Document { meta: test_meta(dir), blocks: vec![Block::Table(table)] }, &mut shaper);
        let text = |glyphs: &[crate::render::pdf::text::Placed]| -> String {
            glyphs
                .iter()
                .map(|g| shaper.to_unicode(g.font).and_then(|m| m.get(&g.gid)).cloned().unwrap_or_default())
                .collect()
        };
        let out = laid
            .pages
            .iter()
            .flat_map(|p| &p.ops)
            .filter_map(|op| match op {
                Op::Text { glyphs, baseline, .. } if (54.0..laid.size.height - 52.0).contains(baseline) => {
                    Some(text(glyphs))
                }
                _ => None,
            })
            .collect();
        (laid, out)
    }

    /// How many times `word` stands whole in the lines, read in either direction (a right-to-left
    /// line's glyphs are in visual order).
    fn whole(lines: &[String], word: &str) -> usize {
        let back: String = word.chars().rev().collect();
        lines.iter().map(|l| l.matches(word).count().max(l.matches(back.as_str()).count())).sum()
    }

    fn p(style: Style, text: &str, dir: Direction) -> Para {
        // Values are isolated in a right-to-left report, as `report::bdi` does.
        let text = if dir == Direction::Rtl { format!("\u{2068}{text}\u{2069}") } else { text.to_string() };
        Para::new(style, text)
    }

    /// The sessions table of the report: its ten columns, its header in `labels`, three sessions.
    fn sessions(labels: [&str; 10], verdict: &str, dir: Direction) -> Table {
        let header = labels.iter().map(|l| vec![Para::new(Style::Header, *l)]).collect();
        let row = |n: usize| {
            vec![
                vec![p(Style::Small, &n.to_string(), dir)],
                vec![Para::new(Style::Verdict(Tone::Bad), verdict)],
                vec![p(Style::Small, "Nicegram 1.6.1", dir)],
                vec![p(Style::Small, "Samsung SM-G991B", dir), p(Style::Muted, "Android SDK 33", dir)],
                vec![p(Style::MonoSmall, "185.220.101.4", dir)],
                vec![
                    p(Style::Small, "AS60729 Stiftung Erneuerbare Freiheit [embedded-asn]", dir),
                    p(Style::Header, "Tor [curated-asn]", dir),
                ],
                vec![p(Style::Small, "Brandenburg, Germany", dir), p(Style::Muted, "geolocated: DE", dir)],
                vec![p(Style::Small, "2026-11-21 01:38:27 UTC", dir), p(Style::Muted, "unix time 1771060367", dir)],
                vec![p(Style::Small, "2026-11-24 00:19:40 UTC", dir), p(Style::Muted, "Netherlands", dir)],
                vec![p(Style::Small, "acquisition 1 / sessions/list/3", dir)],
            ]
        };
        Table { columns: 10, labels: false, header, rows: (1..=3).map(row).collect(), zebra: true }
    }

    const DATA: [&str; 6] = ["Nicegram", "Brandenburg", "Erneuerbare", "1771060367", "185.220.101.4", "Netherlands"];

    #[test]
    fn english_sessions_keep_their_words_whole() {
        let labels = [
            "#",
            "Verdict",
            "App",
            "Device and system",
            "IP",
            "AS and organisation",
            "Place",
            "Created",
            "Last active",
            "Source record",
        ];
        let (_, got) = lines(sessions(labels, "information only", Direction::Ltr), Direction::Ltr);
        for word in DATA.iter().chain(&["information", "organisation", "acquisition"]) {
            let want = if *word == "organisation" { 1 } else { 3 };
            assert_eq!(whole(&got, word), want, "{word} cut in {got:#?}");
        }
    }

    #[test]
    fn russian_sessions_keep_their_words_whole() {
        let labels = [
            "№",
            "Оценка",
            "Приложение",
            "Устройство и система",
            "IP",
            "AS и организация",
            "Место",
            "Создан",
            "Последняя активность",
            "Источник записи",
        ];
        let (_, got) = lines(sessions(labels, "действовать сейчас", Direction::Ltr), Direction::Ltr);
        for word in ["Оценка", "Приложение", "Устройство", "организация", "Последняя", "активность", "Источник"]
        {
            assert_eq!(whole(&got, word), 1, "{word} cut in {got:#?}");
        }
        for word in DATA.iter().chain(&["действовать", "сейчас"]) {
            assert_eq!(whole(&got, word), 3, "{word} cut in {got:#?}");
        }
    }

    #[test]
    fn persian_sessions_keep_their_words_whole() {
        let labels = [
            "#",
            "ارزیابی",
            "برنامه",
            "دستگاه و سیستم",
            "IP",
            "AS و سازمان",
            "مکان",
            "ایجاد",
            "آخرین فعالیت",
            "منبع رکورد",
        ];
        let (_, got) = lines(sessions(labels, "اقدام فوری", Direction::Rtl), Direction::Rtl);
        for word in ["ارزیابی", "برنامه", "سازمان", "فعالیت"] {
            assert_eq!(whole(&got, word), 1, "{word} cut in {got:#?}");
        }
        for word in DATA.iter().chain(&["اقدام"]) {
            assert_eq!(whole(&got, word), 3, "{word} cut in {got:#?}");
        }
    }

    #[test]
    fn a_word_wider_than_its_column_can_be_is_cut_into_lines_that_fit_and_nothing_is_lost() {
        let long: String = (0..240).map(|i| char::from(b"0123456789abcdefghjk"[i * 7 % 20])).collect();
        let cell = |t: &str| vec![Para::new(Style::Small, t)];
        let words = "every column here holds words that must stay whole";
        let table = Table {
            columns: 3,
            labels: false,
            header: Vec::new(),
            rows: vec![vec![cell(words), cell(&long), cell(words)]],
            zebra: false,
        };
        let (laid, got) = lines(table, Direction::Ltr);
        let pieces: Vec<&String> = got.iter().filter(|l| long.contains(l.as_str())).collect();
        assert!(pieces.len() > 3, "cut into several lines: {got:#?}");
        assert_eq!(pieces.iter().map(|s| s.as_str()).collect::<String>(), long, "every character, once, in order");
        for word in words.split(' ') {
            assert_eq!(whole(&got, word), 2, "{word} cut in {got:#?}");
        }
        // Every line stays inside the page's text area.
        let right = laid.size.width - 46.0;
        for op in laid.pages.iter().flat_map(|p| &p.ops) {
            if let Op::Text { x, glyphs, style, .. } = op {
                let end = x + glyphs.last().map_or(0.0, |g| g.x) + style.size * 0.7;
                assert!(*x >= 46.0 - 0.01 && end <= right + 0.5, "{x}..{end}");
            }
        }
    }
}
