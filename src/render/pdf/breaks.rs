//! Where a line may break. Between words: after spaces, after a `/` (paths, locators) and after a
//! hyphen that follows a letter (`DESKTOP-`, `embedded-`; not in `2026-11-26` nor in `-5`).
//! Inside a word, only when the word alone is wider than the line: after punctuation that
//! separates its parts (an address's `.` or `:`, a URL's `/`) where one is near the end of the
//! line, else between any two characters (a digit run, a hash). Such a cut adds no character: the
//! text extracted from the PDF is the text given.

use super::fonts::is_default_ignorable;
use super::shaping::{Shaper, is_mark};
use super::text::TextStyle;

/// A stretch of a paragraph between break opportunities: `text[start..core_end]` is drawn,
/// `core_end..end` are the spaces after it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Word {
    pub start: usize,
    pub core_end: usize,
    pub end: usize,
    pub width: f32,
    pub space_width: f32,
}

/// (start, end of the word, end of the spaces after it) for each word.
pub(super) fn split_words(text: &str) -> Vec<(usize, usize, usize)> {
    // At most one word per break opportunity, and one more.
    let mut out = Vec::with_capacity(1 + text.bytes().filter(|b| matches!(b, b' ' | b'/' | b'-')).count());
    let mut start = 0;
    let mut core_end = None;
    let mut prev = ' ';
    let mut after: Option<char> = None;
    for (i, c) in text.char_indices() {
        let soft_break = match after {
            Some('/') => true,
            Some(_) => !is_mark(c),
            None => false,
        };
        if c == ' ' {
            core_end.get_or_insert(i);
        } else if let Some(ce) = core_end {
            out.push((start, ce, i));
            start = i;
            core_end = None;
        } else if soft_break && i > start {
            out.push((start, i, i));
            start = i;
        }
        after = (c == '/' || (c == '-' && prev.is_alphabetic())).then_some(c);
        prev = c;
    }
    out.push((start, core_end.unwrap_or(text.len()), text.len()));
    out
}

/// Characters after which a word too wide for its line is best cut: the separators of addresses,
/// locators and identifiers.
fn cut_after(c: char) -> bool {
    matches!(c, '.' | ':' | '/' | '\\' | '_' | '-' | ',' | ';' | '=' | '&' | '?' | '#' | '@' | '|' | '+')
}

/// Cuts `text[start..end]`, a word wider than `max_width`, into pieces that fit, pushing them to
/// `words`. A piece ends after the last separator (`cut_after`) that leaves it at least a third
/// of the line, else between characters; never before a mark.
pub(super) fn hard_split(
    shaper: &mut Shaper,
    text: &str,
    start: usize,
    end: usize,
    style: TextStyle,
    max_width: f32,
    words: &mut Vec<Word>,
) {
    // Nominal advances; joining forms differ a little, so leave a margin.
    let limit = max_width * 0.95;
    let mut piece_start = start;
    let mut width = 0.0;
    // The last separator in the piece: the offset after it and the piece's width up to there.
    let mut last_cut: Option<(usize, f32)> = None;
    let mut chars = text[start..end].char_indices().peekable();
    while let Some((off, c)) = chars.next() {
        let i = start + off;
        let w = if is_mark(c) || is_default_ignorable(c) {
            0.0
        } else {
            shaper.shape(style.font, c.encode_utf8(&mut [0; 4]), false).width * style.size
        };
        while i > piece_start && width + w > limit && !is_mark(c) {
            let (cut, cut_width) = match last_cut {
                Some((at, cw)) if at > piece_start && at <= i && cw >= limit / 3.0 => (at, cw),
                _ => (i, width),
            };
            words.push(Word { start: piece_start, core_end: cut, end: cut, width: cut_width, space_width: 0.0 });
            piece_start = cut;
            width -= cut_width;
            last_cut = None;
        }
        width += w;
        let next_is_mark = chars.peek().is_some_and(|&(_, n)| is_mark(n));
        if cut_after(c) && !next_is_mark {
            last_cut = Some((i + c.len_utf8(), width));
        }
    }
    words.push(Word { start: piece_start, core_end: end, end, width, space_width: 0.0 });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::figure::Rgb;
    use crate::render::pdf::fonts::FontId;

    const MONO: TextStyle = TextStyle { font: FontId::Mono, size: 10.0, color: Rgb(0, 0, 0) };

    fn words(text: &str) -> Vec<&str> {
        split_words(text).into_iter().map(|(s, e, _)| &text[s..e]).collect()
    }

    fn pieces(text: &str, max_width: f32) -> Vec<String> {
        let mut out = Vec::new();
        hard_split(&mut Shaper::new(), text, 0, text.len(), MONO, max_width, &mut out);
        out.iter().map(|w| text[w.start..w.core_end].to_string()).collect()
    }

    #[test]
    fn words_break_after_spaces_slashes_and_hyphens_between_letters_only() {
        assert_eq!(words("acquisition 1 / sessions/list/0"), ["acquisition", "1", "/", "sessions/", "list/", "0"]);
        assert_eq!(words("[embedded-asn] DESKTOP-7Q2K9LM"), ["[embedded-", "asn]", "DESKTOP-", "7Q2K9LM"]);
        // Dates, times, numbers and ranges keep together.
        assert_eq!(words("2026-11-26T12:00:00Z -5 10-20"), ["2026-11-26T12:00:00Z", "-5", "10-20"]);
        assert_eq!(words("Nicegram Brandenburg 1771060367"), ["Nicegram", "Brandenburg", "1771060367"]);
    }

    #[test]
    fn a_word_wider_than_the_line_is_cut_after_a_separator_when_one_is_near() {
        // Monospace: 6 pt a character at 10 pt, so 0.95 × 60 pt holds 9 characters.
        assert_eq!(pieces("185.220.101.4", 60.0), ["185.220.", "101.4"]);
        assert_eq!(pieces("2001:db8:85a3::8a2e:370:7334", 60.0), ["2001:db8:", "85a3::", "8a2e:370:", "7334"]);
        assert_eq!(pieces("evidence/4288615b91e7.json", 60.0), ["evidence/", "4288615b9", "1e7.json"]);
        // No separator, or none far enough along: between any two characters.
        assert_eq!(pieces("17710603671771060367", 60.0), ["177106036", "717710603", "67"]);
        assert_eq!(pieces("a.bcdefghijkl", 60.0), ["a.bcdefgh", "ijkl"]);
    }

    #[test]
    fn cut_pieces_hold_every_character_once_and_marks_stay_with_their_base() {
        let text = "e\u{301}".repeat(30) + "x.y:z" + &"ж".repeat(40);
        let got = pieces(&text, 40.0);
        assert_eq!(got.concat(), text);
        assert!(got.iter().all(|p| !p.starts_with('\u{301}')), "{got:?}");
    }
}
