//! Table column widths from the content, much as a browser's automatic table layout finds them:
//! measured once per table from the shaping cache, so that no word is cut unless it alone is wider
//! than its column can be.

use super::doc::{Cell, Style, Table};
use super::flow::Flow;
use super::text::Extent;

/// Padding either side of a cell's text, and the least it may shrink to in a table whose longest
/// words leave less than `ROOM` of the width to share with the full padding (or do not fit).
const PAD_X: f32 = 3.5;
const MIN_PAD_X: f32 = 2.0;
const ROOM: f32 = 0.1;
/// The most of the text width a column's longest word (or a label column's labels) may claim: a
/// longer word (a hash, a file name) is cut rather than narrow every other column.
const WORD_SHARE: f32 = 0.25;
/// Added to measured widths, so that a word measured to fit is not cut for a rounding error.
const SLACK: f32 = 0.05;

/// A column's box: its left edge, its width and the padding either side of its text, in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Column {
    pub left: f32,
    pub width: f32,
    pub pad: f32,
}

impl Column {
    /// The width its text may take.
    pub(super) fn inner(&self) -> f32 {
        self.width - 2.0 * self.pad
    }
}

/// Column widths and the padding of every cell, from `column_widths`.
#[derive(Debug, Clone, PartialEq)]
pub struct Widths {
    pub widths: Vec<f32>,
    pub pad: f32,
}

/// Whether `row` is a row of one cell spanning a table of several columns.
pub(super) fn spans(t: &Table, row: &[Cell]) -> bool {
    row.len() == 1 && t.columns > 1
}

/// What each column's content needs (spanning rows aside; of the header, its longest word), from
/// the shaping cache: one pass over the table.
fn needs(flow: &mut Flow, t: &Table) -> Vec<Extent> {
    let mut need = vec![Extent::default(); t.columns];
    let header = (!t.header.is_empty()).then_some((&t.header, true));
    for (row, is_header) in header.into_iter().chain(t.rows.iter().map(|r| (r, false))) {
        if spans(t, row) {
            continue;
        }
        for (cell, e) in row.iter().zip(need.iter_mut()) {
            for p in cell {
                let style = if is_header { Style::Header.text() } else { p.style.text() };
                let m = flow.measure(&p.text, style);
                e.min = e.min.max(m.min);
                // A header wraps before the cells under it do: its words count, not its length.
                e.max = e.max.max(if is_header { m.min } else { m.max });
            }
        }
    }
    need
}

/// Column widths filling `total` points, from what each column's content needs, much as a
/// browser's automatic table layout finds them: every column at least as wide as its longest word
/// (up to `WORD_SHARE` of the total; a label column, as its widest label); then short columns
/// unwrapped where that is cheap, and the rest shared in proportion to the columns' unwrapped
/// widths, none wider than its own unwrapped width while another still wraps. In a dense table
/// the padding shrinks (to `MIN_PAD_X`) to leave the wrapping columns room, and before any word is
/// cut; when not even then do the longest words fit side by side, the widest columns give way to a
/// common width.
pub fn column_widths(need: &[Extent], total: f32, labels: bool) -> Widths {
    let n = need.len();
    if n == 0 {
        return Widths { widths: Vec::new(), pad: PAD_X };
    }
    let cap = total * WORD_SHARE;
    let mut content: Vec<f32> = need.iter().map(|e| e.min.min(cap) + SLACK).collect();
    if labels {
        // Labels unwrapped, if the other columns' longest words leave the room.
        let room = total - content[1..].iter().sum::<f32>() - (2 * n) as f32 * PAD_X;
        content[0] = content[0].max((need[0].max.min(cap) + SLACK).min(room));
    }
    let pad = ((total * (1.0 - ROOM) - content.iter().sum::<f32>()) / (2 * n) as f32).clamp(MIN_PAD_X, PAD_X);
    let min: Vec<f32> = content.iter().map(|c| c + 2.0 * pad).collect();
    let max: Vec<f32> = need.iter().zip(&min).map(|(e, m)| (e.max + SLACK + 2.0 * pad).max(*m)).collect();
    let sum_min: f32 = min.iter().sum();
    if sum_min >= total {
        return Widths { widths: level(&min, total), pad };
    }
    let mut w = min;
    let mut rest = total - sum_min;
    // Where the room allows, the cheapest first: a word longer than the cap is not cut after all;
    // then short content (a verdict, a count: a column no wider unwrapped than an equal share of
    // the table) goes on one line.
    let whole: Vec<f32> = need.iter().zip(&max).map(|(e, m)| (e.min + SLACK + 2.0 * pad).min(*m)).collect();
    let short = |i: usize| if max[i] <= total / n as f32 { max[i] } else { w[i] };
    for target in [whole, (0..n).map(short).collect()] {
        let mut wants: Vec<usize> = (0..n).filter(|&i| target[i] > w[i]).collect();
        wants.sort_by(|&a, &b| (target[a] - w[a]).total_cmp(&(target[b] - w[b])).then(a.cmp(&b)));
        for i in wants {
            if target[i] - w[i] > rest {
                break;
            }
            rest -= target[i] - w[i];
            w[i] = target[i];
        }
    }
    loop {
        let open: Vec<usize> = (0..n).filter(|&i| w[i] < max[i]).collect();
        if open.is_empty() {
            break;
        }
        let weight: f32 = open.iter().map(|&i| max[i]).sum();
        // Columns whose share would take them past their unwrapped width take just that, and the
        // others share again what is left.
        let full: Vec<usize> = open.iter().copied().filter(|&i| rest * max[i] / weight >= max[i] - w[i]).collect();
        if full.is_empty() {
            for i in open {
                w[i] += rest * max[i] / weight;
            }
            rest = 0.0;
            break;
        }
        for i in full {
            rest -= max[i] - w[i];
            w[i] = max[i];
        }
    }
    // Every column is unwrapped and there is room to spare.
    if rest > 0.0 {
        if labels {
            w[n - 1] += rest;
        } else {
            let sum_max: f32 = max.iter().sum();
            for (w, m) in w.iter_mut().zip(&max) {
                *w += rest * m / sum_max;
            }
        }
    }
    Widths { widths: w, pad }
}

/// Widths filling `total` when the columns' `min` widths do not fit: those wider than a common
/// level are cut down to it.
fn level(min: &[f32], total: f32) -> Vec<f32> {
    let mut sorted = min.to_vec();
    sorted.sort_by(f32::total_cmp);
    let n = sorted.len();
    let mut below = 0.0;
    // Rounding can leave every column under the level: then none is cut.
    let mut level = f32::MAX;
    for (k, m) in sorted.iter().enumerate() {
        let here = (total - below) / (n - k) as f32;
        if here <= *m {
            level = here;
            break;
        }
        below += m;
    }
    min.iter().map(|m| m.min(level)).collect()
}

/// The column boxes of `t`, mirrored in right-to-left documents: measured from its content
/// (`column_widths`).
pub(super) fn columns(flow: &mut Flow, t: &Table) -> Vec<Column> {
    let need = needs(flow, t);
    let total = flow.g.text_width();
    let Widths { widths, pad } = column_widths(&need, total, t.labels);
    let mut x = 0.0;
    let mut out = Vec::with_capacity(widths.len());
    for (i, w) in widths.iter().enumerate() {
        // The last column ends at the margin, whatever the rounding.
        let width = if i + 1 == widths.len() { (total - x).max(0.0) } else { *w };
        let left = if flow.rtl() { flow.g.right - x - width } else { flow.g.left + x };
        out.push(Column { left, width, pad });
        x += width;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(min: f32, max: f32) -> Extent {
        Extent { min, max }
    }

    fn sum(w: &Widths) -> f32 {
        w.widths.iter().sum()
    }

    #[test]
    fn short_columns_stay_narrow_and_text_columns_share_the_rest_by_their_unwrapped_width() {
        // #, a verdict, a short text and a long one.
        let need = [e(6.0, 6.0), e(30.0, 40.0), e(40.0, 400.0), e(40.0, 800.0)];
        let w = column_widths(&need, 500.0, false);
        assert_eq!(w.pad, PAD_X, "the longest words fit with the full padding");
        let pad = 2.0 * PAD_X + SLACK;
        assert!((sum(&w) - 500.0).abs() < 0.01, "{w:?}");
        assert_eq!(w.widths[0], 6.0 + pad, "the number column is as wide as its number");
        assert_eq!(w.widths[1], 40.0 + pad, "the verdict goes on one line");
        let (a, b) = (w.widths[2] - pad, w.widths[3] - pad);
        assert!(a >= 40.0 && b > a * 1.5, "the longer text takes more: {w:?}");
    }

    #[test]
    fn no_column_is_narrower_than_its_longest_word_when_the_words_fit_side_by_side() {
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = |k: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % k) as f32
        };
        for _ in 0..2000 {
            let n = 1 + next(10) as usize;
            let need: Vec<Extent> = (0..n)
                .map(|_| {
                    let min = 1.0 + next(90);
                    e(min, min + next(600))
                })
                .collect();
            let labels = next(2) == 0.0;
            let w = column_widths(&need, 500.0, labels);
            assert!((sum(&w) - 500.0).abs() < 0.05, "{need:?}: {w:?}");
            assert!((MIN_PAD_X..=PAD_X).contains(&w.pad));
            let fits = need.iter().map(|x| x.min + SLACK + 2.0 * w.pad).sum::<f32>() <= 500.0;
            for (x, width) in need.iter().zip(&w.widths) {
                if fits {
                    assert!(width - 2.0 * w.pad >= x.min, "{need:?}: {w:?}");
                }
            }
        }
    }

    #[test]
    fn room_to_spare_goes_by_unwrapped_width_or_to_the_values_of_a_label_list() {
        let need = [e(20.0, 50.0), e(20.0, 100.0)];
        let shared = column_widths(&need, 500.0, false);
        let pad = 2.0 * PAD_X + SLACK;
        let ratio = shared.widths[1] / shared.widths[0];
        assert!((ratio - (100.0 + pad) / (50.0 + pad)).abs() < 0.001, "{shared:?}");
        let labels = column_widths(&need, 500.0, true);
        assert_eq!(labels.widths[0], 50.0 + pad, "labels as wide as the widest, no more");
        assert!((labels.widths[1] - (500.0 - labels.widths[0])).abs() < 0.01);
        // Labels wrap rather than cut the values' words.
        let need = [e(40.0, 300.0), e(400.0, 900.0)];
        let labels = column_widths(&need, 700.0, true);
        assert!(labels.widths[0] < 300.0 && labels.widths[1] - pad >= 400.0, "{labels:?}");
    }

    #[test]
    fn a_word_longer_than_the_cap_gives_way_to_the_other_columns_unless_there_is_room() {
        // A hash (270 pt) beside three columns that need 150 pt each: it cannot have its width.
        let need = [e(270.0, 270.0), e(150.0, 300.0), e(150.0, 300.0), e(40.0, 60.0)];
        let w = column_widths(&need, 500.0, false);
        assert!(w.widths[0] < 270.0 && w.widths[0] >= 125.0, "{w:?}");
        assert!(w.widths[1..3].iter().all(|x| x - 2.0 * w.pad >= 150.0), "the others keep their words: {w:?}");
        // With room, it is not cut.
        let w = column_widths(&need[..2], 500.0, false);
        assert!(w.widths[0] - 2.0 * w.pad >= 270.0, "{w:?}");
    }

    #[test]
    fn when_the_longest_words_cannot_fit_the_padding_shrinks_then_the_widest_give_way() {
        // Words that fit only with less padding.
        let need = [e(100.0, 100.0); 5];
        let w = column_widths(&need, 525.0, false);
        assert!(w.pad < PAD_X && w.pad >= MIN_PAD_X, "{w:?}");
        assert!(w.widths.iter().all(|x| x - 2.0 * w.pad >= 100.0), "{w:?}");
        // Words that fit in no way: the narrow columns keep theirs, the widest share the rest.
        let need = [e(20.0, 20.0), e(110.0, 200.0), e(120.0, 200.0), e(124.0, 200.0), e(124.0, 200.0)];
        let w = column_widths(&need, 400.0, false);
        assert_eq!(w.pad, MIN_PAD_X);
        assert!((sum(&w) - 400.0).abs() < 0.01, "{w:?}");
        assert_eq!(w.widths[0], 20.0 + SLACK + 2.0 * MIN_PAD_X);
        let level = w.widths[4];
        assert!(w.widths[1..].iter().all(|x| (x - level).abs() < 0.01), "{w:?}");
    }
}
