//! Paragraph layout: untrusted text made visible, bidi levels per paragraph (unicode-bidi), line
//! breaking where `breaks` allows (a word is cut only when it alone is too long for a line), and
//! each line's runs reordered visually and shaped; and the widths a text needs, for tables.
//! Linear in the text's length; never loops, never overflows.

use super::breaks::{Word, hard_split, split_words};
use super::fonts::{FontId, face_for, is_default_ignorable};
use super::shaping::{Glyph, Shaper, ascii_advances, ascii_width, is_printable_ascii};
use crate::model::figure::Rgb;
use crate::model::text::{is_isolate, visible_keeping_isolates};
use std::borrow::Cow;
use unicode_bidi::{Level, ParagraphBidiInfo};

/// How a piece of text is drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextStyle {
    pub font: FontId,
    pub size: f32,
    pub color: Rgb,
}

impl TextStyle {
    /// Baseline-to-baseline distance.
    pub fn leading(&self) -> f32 {
        self.size * 1.3
    }
}

/// Base direction of a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Ltr,
    Rtl,
    /// From the first strong character (LTR when there is none).
    Auto,
}

/// A glyph placed on a line: `x` from the line's left edge, `dy` upwards, in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Placed {
    pub font: FontId,
    pub gid: u16,
    pub x: f32,
    pub dy: f32,
}

/// One laid-out line, glyphs left to right.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub glyphs: Vec<Placed>,
    pub width: f32,
    pub style: TextStyle,
    /// The line's paragraph runs right to left (it is aligned to the right edge by default).
    pub rtl: bool,
}

/// Makes text safe to draw: control and bidi-override characters become visible `⟨U+XXXX⟩`
/// markers (device names are attacker-controlled), and characters no embedded face has become
/// markers too, so nothing is silently dropped or drawn as an anonymous box. Directional isolates
/// stay: the report's messages put them around values in right-to-left text; the bidi algorithm
/// uses them and the shaper draws nothing for them.
pub fn prepare(text: &str) -> Cow<'_, str> {
    // Printable ASCII (most of a report) has nothing to mark and every face covers it.
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return Cow::Borrowed(text);
    }
    let marked = visible_keeping_isolates(text);
    let chain = FontId::Sans.fallback_chain();
    // Printable ASCII is covered (and controls were marked above): look up only the rest.
    let uncovered = |c: char| !(' '..='~').contains(&c) && !is_default_ignorable(c) && face_for(chain, c).is_none();
    if !marked.chars().any(uncovered) {
        return if marked == text { Cow::Borrowed(text) } else { Cow::Owned(marked) };
    }
    let mut out = String::with_capacity(marked.len() + 16);
    for c in marked.chars() {
        if uncovered(c) {
            out.push_str(&format!("⟨U+{:04X}⟩", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Lays out `text` in lines no wider than `max_width` points. `\n` (and U+2028/U+2029) break
/// lines; an empty text gives no lines.
pub fn layout(shaper: &mut Shaper, text: &str, style: TextStyle, dir: Direction, max_width: f32) -> Vec<Line> {
    let mut lines = Vec::new();
    if text.is_empty() {
        return lines;
    }
    for piece in text.split(['\n', '\u{2028}', '\u{2029}']) {
        let piece = prepare(piece);
        layout_paragraph(shaper, &piece, style, dir, max_width.max(style.size), &mut lines);
    }
    lines
}

/// The widths a text needs, in points: `min`, its widest word (in a narrower line a word is cut),
/// and `max`, its widest paragraph on one line.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Extent {
    pub min: f32,
    pub max: f32,
}

/// Measures `text` as `layout` would lay it out: with the same words, shapes and sums, so a line
/// `max` wide holds its widest paragraph and one `min` wide cuts no word.
pub fn measure(shaper: &mut Shaper, text: &str, style: TextStyle, dir: Direction) -> Extent {
    let mut extent = Extent::default();
    for piece in text.split(['\n', '\u{2028}', '\u{2029}']) {
        let piece = prepare(piece);
        // Left-to-right ASCII (most cells of a report) in one pass, without shaping.
        if dir != Direction::Rtl && is_printable_ascii(&piece) {
            measure_ascii(&piece, style, &mut extent);
        } else {
            measure_shaped(shaper, &piece, style, dir, &mut extent);
        }
    }
    extent
}

/// One paragraph's part of `measure`: the sums of the greedy filling in `layout_paragraph`, term
/// for term.
fn measure_shaped(shaper: &mut Shaper, text: &str, style: TextStyle, dir: Direction, extent: &mut Extent) {
    let (_, words) = shaped_words(shaper, text, style, dir);
    let mut run = 0.0;
    for w in &words {
        extent.min = extent.min.max(w.width);
        extent.max = extent.max.max(run + w.width);
        run += w.width + w.space_width;
    }
}

/// `measure_shaped` for a paragraph of printable ASCII laid out left to right, without building
/// its words: the same breaks as `breaks::split_words`, the same sums in the same order (tested
/// to be equal to the bit).
fn measure_ascii(text: &str, style: TextStyle, extent: &mut Extent) {
    let advances = ascii_advances(style.font);
    let space = advances[0] * style.size;
    let mut run = 0.0;
    let mut add = |word: f32, spaces: usize| {
        let width = word * style.size;
        extent.min = extent.min.max(width);
        extent.max = extent.max.max(run + width);
        run += width + spaces as f32 * space;
    };
    // The word being read (its width in em) and the spaces after it.
    let (mut word, mut spaces) = (0.0, 0);
    let (mut prev, mut soft) = (b' ', false);
    for b in text.bytes() {
        if b == b' ' {
            spaces += 1;
        } else if spaces > 0 || soft {
            add(word, spaces);
            (word, spaces) = (advances[usize::from(b - 0x20)], 0);
        } else {
            word += advances[usize::from(b - 0x20)];
        }
        soft = b == b'/' || (b == b'-' && prev.is_ascii_alphabetic());
        prev = b;
    }
    add(word, spaces);
}

/// A paragraph's bidi analysis (none for one all left to right) and its words, shaped whole in
/// their direction.
fn shaped_words<'t>(
    shaper: &mut Shaper,
    text: &'t str,
    style: TextStyle,
    dir: Direction,
) -> (Option<ParagraphBidiInfo<'t>>, Vec<Word>) {
    let has_rtl = text.chars().any(|c| is_rtl_char(c) || is_isolate(c));
    let base = match dir {
        Direction::Ltr => Some(Level::ltr()),
        Direction::Rtl => Some(Level::rtl()),
        Direction::Auto if has_rtl => None,
        Direction::Auto => Some(Level::ltr()),
    };
    let bidi = (has_rtl || dir == Direction::Rtl).then(|| ParagraphBidiInfo::new(text, base));
    let space = ascii_width(style.font, " ").unwrap_or_default() * style.size;
    let word_rtl = |i: usize| bidi.as_ref().is_some_and(|b| b.levels[i].is_rtl());
    let words = split_words(text)
        .into_iter()
        .map(|(start, core_end, end)| {
            let word = &text[start..core_end];
            // Left-to-right ASCII from a table of advances; the rest shaped (and cached).
            let width = if word.is_empty() {
                0.0
            } else if word_rtl(start) {
                shaper.shape(style.font, word, true).width * style.size
            } else {
                ascii_width(style.font, word).unwrap_or_else(|| shaper.shape(style.font, word, false).width)
                    * style.size
            };
            // Only spaces lie between a word and the next.
            let space_width = (end - core_end) as f32 * space;
            Word { start, core_end, end, width, space_width }
        })
        .collect();
    (bidi, words)
}

fn layout_paragraph(
    shaper: &mut Shaper,
    text: &str,
    style: TextStyle,
    dir: Direction,
    max_width: f32,
    out: &mut Vec<Line>,
) {
    let (bidi, mut words) = shaped_words(shaper, text, style, dir);
    let rtl_para = bidi.as_ref().is_some_and(|b| b.paragraph_level.is_rtl());
    // Only a word wider than the whole line is cut.
    if words.iter().any(|w| w.width > max_width) {
        let mut cut = Vec::with_capacity(words.len() + 4);
        for w in words {
            if w.width > max_width {
                hard_split(shaper, text, w.start, w.core_end, style, max_width, &mut cut);
                if let Some(last) = cut.last_mut() {
                    last.end = w.end;
                    last.space_width = w.space_width;
                }
            } else {
                cut.push(w);
            }
        }
        words = cut;
    }
    // Greedy filling; a line's trailing spaces do not count against its width.
    let mut first = 0;
    let mut width = 0.0;
    for k in 0..words.len() {
        let w = &words[k];
        if k > first && width + w.width > max_width {
            emit(shaper, text, &words[first..k], style, bidi.as_ref(), rtl_para, out);
            first = k;
            width = 0.0;
        }
        width += w.width + w.space_width;
    }
    emit(shaper, text, &words[first..], style, bidi.as_ref(), rtl_para, out);
}

/// Shapes one line of words and places its glyphs left to right.
fn emit(
    shaper: &mut Shaper,
    text: &str,
    words: &[Word],
    style: TextStyle,
    bidi: Option<&ParagraphBidiInfo>,
    rtl: bool,
    out: &mut Vec<Line>,
) {
    let (Some(first), Some(last)) = (words.first(), words.last()) else { return };
    // An empty word (an empty line, or spaces only) still gives a line, keeping its height.
    let mut glyphs = Vec::new();
    let mut x = 0.0;
    let mut place = |shaped: &[Glyph], x: &mut f32| {
        for g in shaped {
            glyphs.push(Placed {
                font: g.font,
                gid: g.gid,
                x: *x + g.x_offset * style.size,
                dy: g.y_offset * style.size,
            });
            *x += g.advance * style.size;
        }
    };
    match bidi {
        None => {
            // Left to right throughout: the words' cached shapes, spaces between them.
            for (k, w) in words.iter().enumerate() {
                let core = shaper.shape(style.font, &text[w.start..w.core_end], false);
                place(&core.glyphs, &mut x);
                if k + 1 < words.len() && w.end > w.core_end {
                    let spaces = shaper.shape(style.font, &text[w.core_end..w.end], false);
                    place(&spaces.glyphs, &mut x);
                }
            }
        }
        // Nothing but spaces: an empty line (unicode-bidi needs a non-empty line).
        Some(_) if first.start == last.core_end => {}
        Some(b) => {
            let range = first.start..last.core_end;
            let (levels, runs) = b.visual_runs(range);
            for run in runs {
                let run_rtl = levels[run.start].is_rtl();
                let shaped = shaper.shape(style.font, &text[run], run_rtl);
                place(&shaped.glyphs, &mut x);
            }
        }
    }
    out.push(Line { glyphs, width: x, style, rtl });
}

/// Characters of right-to-left scripts (Hebrew, Arabic and their presentation forms, and others).
pub fn is_rtl_char(c: char) -> bool {
    let u = c as u32;
    matches!(u, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    const STYLE: TextStyle = TextStyle { font: FontId::Sans, size: 10.0, color: Rgb(0, 0, 0) };

    fn line_text(s: &Shaper, line: &Line) -> String {
        line.glyphs
            .iter()
            .map(|g| s.to_unicode(g.font).and_then(|m| m.get(&g.gid)).cloned().unwrap_or_default())
            .collect()
    }

    #[test]
    fn breaks_at_spaces_within_the_width() {
        let mut s = Shaper::new();
        let lines = layout(&mut s, "the quick brown fox jumps over the lazy dog", STYLE, Direction::Ltr, 80.0);
        assert!(lines.len() > 2, "{}", lines.len());
        for l in &lines {
            assert!(l.width <= 80.0 + 0.01, "{}", l.width);
        }
        let joined: Vec<String> = lines.iter().map(|l| line_text(&s, l)).collect();
        assert_eq!(joined.join(" "), "the quick brown fox jumps over the lazy dog");
    }

    #[test]
    fn a_ten_thousand_character_name_is_cut_into_lines_that_fit() {
        let mut s = Shaper::new();
        let name = "A".repeat(5000) + &"ж".repeat(5000);
        let lines = layout(&mut s, &name, STYLE, Direction::Ltr, 200.0);
        assert!(lines.len() > 100);
        assert!(lines.iter().all(|l| l.width <= 200.0 && !l.glyphs.is_empty()));
        let all: String = lines.iter().map(|l| line_text(&s, l)).collect();
        assert_eq!(all, name, "nothing lost, nothing repeated");
    }

    #[test]
    fn overrides_and_controls_are_marked_not_obeyed() {
        let mut s = Shaper::new();
        let lines = layout(&mut s, "evil\u{202E}gpj.exe\u{1b}[2J", STYLE, Direction::Ltr, 500.0);
        assert_eq!(line_text(&s, &lines[0]), "evil⟨U+202E⟩gpj.exe⟨U+001B⟩[2J");
        assert_eq!(prepare("\u{10FFFD}x"), "⟨U+10FFFD⟩x", "no face has it: marked");
    }

    #[test]
    fn persian_lines_are_right_to_left_and_break_between_words() {
        let mut s = Shaper::new();
        let text = "گوشی من در تهران";
        let lines = layout(&mut s, text, STYLE, Direction::Auto, 500.0);
        assert_eq!(lines.len(), 1);
        assert!(lines[0].rtl);
        // Visual order reversed gives the logical text back, word by word.
        let visual = line_text(&s, &lines[0]);
        let logical: String = visual.chars().rev().collect();
        assert_eq!(logical, text);
        let narrow = layout(&mut s, text, STYLE, Direction::Rtl, 45.0);
        assert!(narrow.len() >= 2);
        let first: String = line_text(&s, &narrow[0]).chars().rev().collect();
        assert!(text.starts_with(first.trim()), "the first line holds the first words: {first}");
    }

    #[test]
    fn mixed_direction_keeps_numbers_left_to_right() {
        let mut s = Shaper::new();
        let lines = layout(&mut s, "IP 203.0.113.5 در تهران", STYLE, Direction::Ltr, 500.0);
        let visual = line_text(&s, &lines[0]);
        assert!(visual.starts_with("IP 203.0.113.5 "), "{visual}");
        assert!(!lines[0].rtl);
    }

    #[test]
    fn random_mixtures_of_scripts_never_panic_nor_overflow() {
        let palette: Vec<char> =
            "aZ09 -/.,()\nتهرانگوشیمن\u{64B}\u{200C}\u{200D}Жж北京\u{301}\u{202E}\u{2029}\u{1F4F1}\t".chars().collect();
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let mut s = Shaper::new();
        for round in 0..200 {
            let len = (next() % 120) as usize;
            let text: String = (0..len).map(|_| palette[(next() % palette.len() as u64) as usize]).collect();
            let width = 20.0 + (next() % 300) as f32;
            let dir = [Direction::Ltr, Direction::Rtl, Direction::Auto][round % 3];
            for line in layout(&mut s, &text, STYLE, dir, width) {
                assert!(line.width <= width * 1.05 + STYLE.size, "{text:?} in {width}: {}", line.width);
            }
        }
    }

    #[test]
    fn measured_widths_hold_a_paragraph_on_one_line_and_every_word_whole() {
        let mut s = Shaper::new();
        for (text, dir) in [
            ("Brandenburg, Germany (Telegram's estimate)", Direction::Ltr),
            ("Последняя активность 1771060367", Direction::Ltr),
            ("آخرین فعالیت \u{2068}185.220.101.4\u{2069}", Direction::Rtl),
        ] {
            let e = measure(&mut s, text, STYLE, dir);
            assert!(e.min > 0.0 && e.min < e.max, "{text}: {e:?}");
            assert_eq!(layout(&mut s, text, STYLE, dir, e.max).len(), 1, "{text} on one line at {}", e.max);
            assert!(layout(&mut s, text, STYLE, dir, e.max - 0.5).len() > 1, "{text}: max is the least");
            let whole: Vec<&str> = text.split(' ').collect();
            let narrow = layout(&mut s, text, STYLE, dir, e.min);
            assert!(narrow.len() <= whole.len(), "{text}: no word cut at {}", e.min);
            if dir == Direction::Rtl {
                // The widest word, the address, on a line of its own and whole.
                assert!(narrow.iter().any(|l| line_text(&s, l) == "185.220.101.4"), "{text}");
            } else {
                let words = |width: f32, s: &mut Shaper| -> Vec<String> {
                    let lines = layout(s, text, STYLE, dir, width);
                    lines
                        .iter()
                        .flat_map(|l| line_text(s, l).split(' ').map(str::to_string).collect::<Vec<_>>())
                        .collect()
                };
                let at_min = words(e.min, &mut s);
                assert!(at_min.iter().all(|w| w.is_empty() || whole.contains(&w.as_str())), "{text}: {at_min:?}");
                let below = words(e.min - 0.5, &mut s);
                assert!(below.iter().any(|w| !w.is_empty() && !whole.contains(&w.as_str())), "{text}: {below:?}");
            }
        }
        assert_eq!(
            measure(&mut s, "ab\nabcdef gh", STYLE, Direction::Ltr),
            measure(&mut s, "abcdef gh", STYLE, Direction::Ltr)
        );
    }

    #[test]
    fn ascii_is_measured_in_one_pass_exactly_as_shaped() {
        let palette: Vec<char> = "aZ09 -/.,()_:x-".chars().collect();
        let mut seed: u64 = 0x5851_F42D_4C95_7F2D;
        let mut next = |k: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % k as u64) as usize
        };
        let mut s = Shaper::new();
        for round in 0..3000 {
            let text: String = (0..next(40)).map(|_| palette[next(palette.len())]).collect();
            let style = TextStyle { font: FontId::ALL[round % 3], size: [7.0, 7.5, 9.0][round % 3], ..STYLE };
            let (mut fast, mut shaped) = (Extent::default(), Extent::default());
            measure_ascii(&text, style, &mut fast);
            measure_shaped(&mut s, &text, style, Direction::Ltr, &mut shaped);
            assert_eq!(
                (fast.min.to_bits(), fast.max.to_bits()),
                (shaped.min.to_bits(), shaped.max.to_bits()),
                "{text:?}"
            );
        }
    }

    #[test]
    fn newlines_start_new_lines_and_spaces_only_keep_height() {
        let mut s = Shaper::new();
        assert_eq!(layout(&mut s, "a\nb\n\nc", STYLE, Direction::Ltr, 100.0).len(), 4);
        assert_eq!(layout(&mut s, "", STYLE, Direction::Ltr, 100.0).len(), 0);
        assert_eq!(layout(&mut s, "   ", STYLE, Direction::Ltr, 100.0).len(), 1);
        assert_eq!(layout(&mut s, "ب\n\n   \nا", STYLE, Direction::Rtl, 100.0).len(), 4);
        assert_eq!(layout(&mut s, "\n", STYLE, Direction::Rtl, 100.0).len(), 2);
    }
}
