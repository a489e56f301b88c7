//! Turning a run of text in one direction into positioned glyphs, with font fallback.
//!
//! Scripts that need no shaping (Latin, Cyrillic, Greek, CJK, symbols) written left to right take
//! a fast path: one glyph per character from the font's cmap, no kerning. Everything else
//! (Arabic, Persian, combining marks, any right-to-left run) goes through rustybuzz. Results are
//! cached per document by (face, direction, text), so a value repeated in thousands of table rows
//! is shaped once. Every glyph's source text is recorded for the PDF's ToUnicode maps, which is
//! what makes the text extractable.

use super::fonts::{FontId, face_for, font, is_default_ignorable};
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::OnceLock;

/// One glyph; lengths are in em (multiply by the font size for points).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Glyph {
    pub font: FontId,
    pub gid: u16,
    pub advance: f32,
    pub x_offset: f32,
    pub y_offset: f32,
}

/// Glyphs in visual order (left to right) and their total advance in em.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Shaped {
    pub glyphs: Vec<Glyph>,
    pub width: f32,
}

/// Shapes text for one document and remembers what each glyph stands for.
#[derive(Default)]
pub struct Shaper {
    cache: HashMap<(FontId, bool), HashMap<String, Rc<Shaped>>>,
    /// Per face: glyph → the text it stands for (the first seen wins).
    to_unicode: BTreeMap<FontId, HashMap<u16, String>>,
}

impl Shaper {
    pub fn new() -> Shaper {
        Shaper::default()
    }

    /// The text each used glyph of `face` stands for.
    pub fn to_unicode(&self, face: FontId) -> Option<&HashMap<u16, String>> {
        self.to_unicode.get(&face)
    }

    /// Shapes `text` (one direction, no line breaks) in the style whose own face is `style`.
    /// Characters no embedded face covers must have been replaced before (see `text::prepare`);
    /// any left draw as the style's missing-glyph box.
    pub fn shape(&mut self, style: FontId, text: &str, rtl: bool) -> Rc<Shaped> {
        if let Some(hit) = self.cache.get(&(style, rtl)).and_then(|m| m.get(text)) {
            return hit.clone();
        }
        let shaped = Rc::new(self.shape_uncached(style, text, rtl));
        self.cache.entry((style, rtl)).or_default().insert(text.to_string(), shaped.clone());
        shaped
    }

    fn shape_uncached(&mut self, style: FontId, text: &str, rtl: bool) -> Shaped {
        // Directional isolates have done their work in the bidi algorithm: they draw nothing, and
        // a shaper given them would return an empty glyph that text extraction reads as a space.
        let stripped = crate::model::text::without_isolates(text);
        let text: &str = &stripped;
        let chain = style.fallback_chain();
        // Runs of one face, in logical order.
        let mut runs: Vec<(FontId, &str)> = Vec::new();
        let mut start = 0;
        let mut current: Option<FontId> = None;
        for (i, c) in text.char_indices() {
            // Joiners, and marks the face has, stay with the face of what they attach to.
            let stays = is_default_ignorable(c) || (is_mark(c) && current.is_some_and(|f| font(f).covers(c)));
            let face = if stays { current.unwrap_or(style) } else { face_for(chain, c).unwrap_or(style) };
            if current.is_some_and(|f| f != face) {
                runs.push((current.unwrap_or(style), &text[start..i]));
                start = i;
            }
            current = Some(face);
        }
        if start < text.len() {
            runs.push((current.unwrap_or(style), &text[start..]));
        }
        if rtl {
            runs.reverse();
        }
        let mut out = Shaped::default();
        for (face, run) in runs {
            if !rtl && run.chars().all(is_simple) {
                self.shape_simple(face, run, &mut out);
            } else {
                self.shape_complex(face, run, rtl, &mut out);
            }
        }
        out
    }

    fn shape_simple(&mut self, face: FontId, run: &str, out: &mut Shaped) {
        let f = font(face);
        let map = self.to_unicode.entry(face).or_default();
        for c in run.chars() {
            if is_default_ignorable(c) {
                continue;
            }
            let (gid, adv) = f.glyph(c).unwrap_or((0, f.advance(0)));
            if gid != 0 {
                map.entry(gid).or_insert_with(|| c.to_string());
            }
            let advance = adv as f32 / f.units_per_em;
            out.glyphs.push(Glyph { font: face, gid, advance, x_offset: 0.0, y_offset: 0.0 });
            out.width += advance;
        }
    }

    fn shape_complex(&mut self, face: FontId, run: &str, rtl: bool, out: &mut Shaped) {
        let f = font(face);
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(run);
        buffer.guess_segment_properties();
        buffer.set_direction(if rtl { rustybuzz::Direction::RightToLeft } else { rustybuzz::Direction::LeftToRight });
        let shaped = rustybuzz::shape(&f.face, &[], buffer);
        let infos = shaped.glyph_infos();
        let positions = shaped.glyph_positions();
        // Cluster boundaries in logical order give each cluster its text.
        let mut starts: Vec<usize> = infos.iter().map(|i| i.cluster as usize).collect();
        starts.sort_unstable();
        starts.dedup();
        let end_of = |cluster: usize| match starts.binary_search(&cluster) {
            Ok(k) => starts.get(k + 1).copied().unwrap_or(run.len()),
            Err(_) => run.len(),
        };
        let map = self.to_unicode.entry(face).or_default();
        let mut i = 0;
        while i < infos.len() {
            let cluster = infos[i].cluster as usize;
            let mut j = i;
            while j < infos.len() && infos[j].cluster as usize == cluster {
                j += 1;
            }
            record_cluster(map, &infos[i..j], &run[cluster..end_of(cluster)], rtl, |c| f.glyph(c).map(|g| g.0));
            for (info, pos) in infos[i..j].iter().zip(&positions[i..j]) {
                let advance = pos.x_advance as f32 / f.units_per_em;
                out.glyphs.push(Glyph {
                    font: face,
                    gid: info.glyph_id as u16,
                    advance,
                    x_offset: pos.x_offset as f32 / f.units_per_em,
                    y_offset: pos.y_offset as f32 / f.units_per_em,
                });
                out.width += advance;
            }
            i = j;
        }
    }
}

/// The width in em `Shaper::shape(style, text, false)` gives printable ASCII text, summed the same
/// way but from a table, without hashing the text into the cache: measuring and breaking lines
/// need widths, and most of a report's words are ASCII. `None` for any other text.
pub fn ascii_width(style: FontId, text: &str) -> Option<f32> {
    if !is_printable_ascii(text) {
        return None;
    }
    let advances = ascii_advances(style);
    let mut width = 0.0;
    for b in text.bytes() {
        width += advances[usize::from(b - 0x20)];
    }
    Some(width)
}

/// Whether `text` is all printable ASCII (U+0020 to U+007E).
pub fn is_printable_ascii(text: &str) -> bool {
    text.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// The advance in em of each printable ASCII character (from U+0020) in `style`'s face, or in the
/// face its fallback picks, as `shape` finds it.
pub fn ascii_advances(style: FontId) -> &'static [f32; 95] {
    static TABLES: [OnceLock<[f32; 95]>; 4] = [const { OnceLock::new() }; 4];
    TABLES[style.index()].get_or_init(|| {
        let chain = style.fallback_chain();
        std::array::from_fn(|i| {
            let c = char::from(0x20 + i as u8);
            let f = font(face_for(chain, c).unwrap_or(style));
            let (_, adv) = f.glyph(c).unwrap_or((0, f.advance(0)));
            adv as f32 / f.units_per_em
        })
    })
}

/// Gives each glyph of one cluster its share of the cluster's text: a glyph that is the font's own
/// glyph for one of the characters gets that character; the first glyph gets the rest (a ligature
/// or a shaped form stands for all of it). In a right-to-left run a glyph standing for several
/// characters (lam-alef) gets them in visual order, as the glyphs are: readers put the line back
/// in logical order by reversing it, and would otherwise turn "لا" into "ال".
fn record_cluster(
    map: &mut HashMap<u16, String>,
    glyphs: &[rustybuzz::GlyphInfo],
    text: &str,
    rtl: bool,
    nominal: impl Fn(char) -> Option<u16>,
) {
    let visual = |t: &str| if rtl { t.chars().rev().collect() } else { t.to_string() };
    // Hidden joiners come back as a zero-width space glyph, which must keep meaning " ".
    if text.chars().all(is_default_ignorable) {
        return;
    }
    if glyphs.len() == 1 {
        if glyphs[0].glyph_id != 0 {
            map.entry(glyphs[0].glyph_id as u16).or_insert_with(|| visual(text));
        }
        return;
    }
    let mut rest = String::new();
    let mut own: Vec<Option<char>> = vec![None; glyphs.len()];
    for c in text.chars() {
        match glyphs.iter().enumerate().find(|(k, g)| own[*k].is_none() && nominal(c) == Some(g.glyph_id as u16)) {
            Some((k, _)) => own[k] = Some(c),
            None => rest.push(c),
        }
    }
    for (k, g) in glyphs.iter().enumerate() {
        let gid = g.glyph_id as u16;
        if gid == 0 {
            continue;
        }
        let text = match own[k] {
            Some(c) => c.to_string(),
            None if !rest.is_empty() => visual(&std::mem::take(&mut rest)),
            None => continue,
        };
        map.entry(gid).or_insert(text);
    }
}

/// Characters drawn correctly one glyph per character, left to right, without shaping.
pub fn is_simple(c: char) -> bool {
    let u = c as u32;
    matches!(u,
        0x20..=0x7E | 0xA0..=0x2FF | 0x370..=0x482 | 0x48A..=0x52F | 0x1E00..=0x1FFF
        | 0x2010..=0x2027 | 0x2030..=0x205E | 0x2070..=0x2BFF | 0x3000..=0x3098 | 0x309B..=0x9FFF
        | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFF00..=0xFFEF)
}

/// Combining marks, which attach to the character before them.
pub fn is_mark(c: char) -> bool {
    let u = c as u32;
    matches!(u,
        0x300..=0x36F | 0x483..=0x489 | 0x591..=0x5C7 | 0x610..=0x61A | 0x64B..=0x65F | 0x670
        | 0x6D6..=0x6ED | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(s: &Shaper, shaped: &Shaped) -> String {
        shaped
            .glyphs
            .iter()
            .map(|g| s.to_unicode(g.font).and_then(|m| m.get(&g.gid)).cloned().unwrap_or_default())
            .collect()
    }

    #[test]
    fn latin_takes_one_glyph_per_character_and_maps_back() {
        let mut s = Shaper::new();
        let shaped = s.shape(FontId::Sans, "Hello, Мир", false);
        assert_eq!(shaped.glyphs.len(), 10);
        assert!(shaped.glyphs.iter().all(|g| g.font == FontId::Sans && g.gid != 0));
        assert_eq!(text_of(&s, &shaped), "Hello, Мир");
        assert!((shaped.width - 5.0).abs() < 2.5, "about half an em per letter: {}", shaped.width);
    }

    #[test]
    fn persian_is_joined_and_laid_out_right_to_left() {
        let mut s = Shaper::new();
        let word = "تهران";
        let shaped = s.shape(FontId::Sans, word, true);
        let f = font(FontId::Sans);
        // Joined forms differ from the isolated (nominal) glyphs for the inner letters.
        let nominal: Vec<u16> = word.chars().map(|c| f.glyph(c).unwrap().0).collect();
        let got: Vec<u16> = shaped.glyphs.iter().map(|g| g.gid).collect();
        assert_eq!(got.len(), 5);
        assert_ne!(got.iter().rev().copied().collect::<Vec<_>>(), nominal, "letters must take joining forms");
        // Visual order is right to left: reading the glyphs backwards gives the word.
        let back: String = shaped
            .glyphs
            .iter()
            .rev()
            .map(|g| s.to_unicode(FontId::Sans).unwrap().get(&g.gid).cloned().unwrap_or_default())
            .collect();
        assert_eq!(back, word);
    }

    #[test]
    fn cjk_falls_back_to_droid_and_results_are_cached() {
        let mut s = Shaper::new();
        let a = s.shape(FontId::Sans, "Phone 北京", false);
        assert_eq!(a.glyphs.iter().filter(|g| g.font == FontId::Cjk).count(), 2);
        assert_eq!(text_of(&s, &a), "Phone 北京");
        let b = s.shape(FontId::Sans, "Phone 北京", false);
        assert!(Rc::ptr_eq(&a, &b));
    }

    #[test]
    fn ascii_widths_are_the_shaped_widths_to_the_bit() {
        let mut s = Shaper::new();
        let all: String = (0x20u8..0x7f).map(char::from).collect();
        for face in FontId::ALL {
            for text in ["", "Brandenburg,", "185.220.101.4", "(Telegram's", "a b", all.as_str()] {
                let shaped = s.shape(face, text, false).width;
                assert_eq!(ascii_width(face, text).map(f32::to_bits), Some(shaped.to_bits()), "{face:?} {text:?}");
            }
        }
        assert_eq!(ascii_width(FontId::Sans, "Oценка"), None);
        assert_eq!(ascii_width(FontId::Sans, "tab\there"), None);
    }

    #[test]
    fn marks_stay_with_their_base_and_joiners_draw_nothing() {
        let mut s = Shaper::new();
        let shaped = s.shape(FontId::Sans, "e\u{301}a\u{200D}b", false);
        assert!(shaped.glyphs.iter().all(|g| g.font == FontId::Sans));
        assert!(text_of(&s, &shaped).starts_with('e'));
    }
}
