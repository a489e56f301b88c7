//! Page content streams, written compactly: numbers rounded to what print can show (1/100 pt for
//! positions, three decimals for colour), glyph codes as hex strings, axis-aligned rectangles as
//! `re`, and colour, line and font state set only when it changes. A 5,000-session report has
//! some ten thousand pages, so every byte here is paid for many times over in deflate and I/O.

use super::draw::{Op, Seg, Stroke};
use super::fonts::{FontId, font};
use super::text::Placed;
use crate::model::figure::Rgb;
use std::collections::BTreeMap;
use subsetter::GlyphRemapper;

/// The resource name of a face in every page's font dictionary.
pub fn font_name(face: FontId) -> &'static [u8] {
    match face {
        FontId::Sans => b"F0",
        FontId::Bold => b"F1",
        FontId::Mono => b"F2",
        FontId::Cjk => b"F3",
    }
}

/// The parts of the graphics state the writer sets; `None` until first set on the page.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct State {
    fill: Option<Rgb>,
    stroke: Option<Rgb>,
    width: Option<f32>,
    dashed: Option<bool>,
    font: Option<(FontId, f32)>,
}

/// Writes pages' operations as content streams, remapping glyphs to their subset ids (handed
/// out in the order the streams are written, so the same sequence of streams gives the same ids).
pub struct ContentWriter {
    height: f32,
    remappers: BTreeMap<FontId, GlyphRemapper>,
    out: Vec<u8>,
    state: State,
    saved: Vec<State>,
}

impl ContentWriter {
    pub fn new(height: f32) -> Self {
        ContentWriter {
            height,
            remappers: BTreeMap::new(),
            out: Vec::new(),
            state: State::default(),
            saved: Vec::new(),
        }
    }

    /// Each face used so far with the glyphs its subset must keep.
    pub fn remappers(&self) -> &BTreeMap<FontId, GlyphRemapper> {
        &self.remappers
    }

    /// One page's content stream (uncompressed), valid until the next page.
    pub fn page(&mut self, ops: &[Op]) -> &[u8] {
        self.out.clear();
        self.state = State::default();
        self.saved.clear();
        for op in ops {
            match op {
                Op::Path { segs, fill, stroke } => self.path(segs, *fill, *stroke),
                Op::Text { x, baseline, style, glyphs } => {
                    if glyphs.is_empty() {
                        continue;
                    }
                    self.set_fill(style.color);
                    self.out.extend_from_slice(b"BT\n");
                    self.glyphs(*x, self.height - baseline, style.size, glyphs);
                    self.out.extend_from_slice(b"ET\n");
                }
                Op::PushClip { x, y, w, h } => {
                    self.out.extend_from_slice(b"q\n");
                    self.saved.push(self.state);
                    self.nums(&[*x, self.height - y - h, *w, *h]);
                    self.out.extend_from_slice(b"re W n\n");
                }
                Op::PopClip => {
                    if let Some(s) = self.saved.pop() {
                        self.out.extend_from_slice(b"Q\n");
                        self.state = s;
                    }
                }
            }
        }
        // Clips left open by a caller are closed so the stream's q/Q stay balanced.
        for _ in self.saved.drain(..) {
            self.out.extend_from_slice(b"Q\n");
        }
        &self.out
    }

    fn set_fill(&mut self, c: Rgb) {
        if self.state.fill != Some(c) {
            self.color(c);
            self.out.extend_from_slice(b"rg\n");
            self.state.fill = Some(c);
        }
    }

    fn set_stroke(&mut self, s: Stroke) {
        if self.state.stroke != Some(s.color) {
            self.color(s.color);
            self.out.extend_from_slice(b"RG\n");
            self.state.stroke = Some(s.color);
        }
        if self.state.width != Some(s.width) {
            self.nums(&[s.width]);
            self.out.extend_from_slice(b"w\n");
            self.state.width = Some(s.width);
        }
        if self.state.dashed != Some(s.dashed) {
            self.out.extend_from_slice(if s.dashed { b"[3 2] 0 d\n" } else { b"[] 0 d\n" });
            self.state.dashed = Some(s.dashed);
        }
    }

    fn path(&mut self, segs: &[Seg], fill: Option<Rgb>, stroke: Option<Stroke>) {
        if let Some(f) = fill {
            self.set_fill(f);
        }
        if let Some(s) = stroke {
            self.set_stroke(s);
        }
        let h = self.height;
        if let Some([x, y, w, rh]) = as_rect(segs) {
            self.nums(&[x, h - y - rh, w, rh]);
            self.out.extend_from_slice(b"re\n");
        } else {
            for seg in segs {
                match *seg {
                    Seg::Move(x, y) => {
                        self.nums(&[x, h - y]);
                        self.out.extend_from_slice(b"m\n");
                    }
                    Seg::Line(x, y) => {
                        self.nums(&[x, h - y]);
                        self.out.extend_from_slice(b"l\n");
                    }
                    Seg::Cubic(x1, y1, x2, y2, x3, y3) => {
                        self.nums(&[x1, h - y1, x2, h - y2, x3, h - y3]);
                        self.out.extend_from_slice(b"c\n");
                    }
                    Seg::Close => self.out.extend_from_slice(b"h\n"),
                }
            }
        }
        self.out.extend_from_slice(match (fill.is_some(), stroke.is_some()) {
            (true, true) => b"B*\n",
            (true, false) => b"f*\n",
            (false, true) => b"S\n",
            (false, false) => b"n\n",
        });
    }

    /// Shows glyphs: one `Tm` per group of one face and vertical offset, `TJ` adjustments where a
    /// glyph's position differs from the previous glyph's advance.
    fn glyphs(&mut self, x0: f32, y: f32, size: f32, glyphs: &[Placed]) {
        let mut i = 0;
        while i < glyphs.len() {
            let (face, dy) = (glyphs[i].font, glyphs[i].dy);
            let mut j = i;
            while j < glyphs.len() && glyphs[j].font == face && glyphs[j].dy == dy {
                j += 1;
            }
            if self.state.font != Some((face, size)) {
                self.out.push(b'/');
                self.out.extend_from_slice(font_name(face));
                self.out.push(b' ');
                self.nums(&[size]);
                self.out.extend_from_slice(b"Tf\n");
                self.state.font = Some((face, size));
            }
            self.out.extend_from_slice(b"1 0 0 1 ");
            self.nums(&[x0 + glyphs[i].x, y + dy]);
            self.out.extend_from_slice(b"Tm\n[<");
            let f = font(face);
            let remapper = self.remappers.entry(face).or_default();
            let mut pen = glyphs[i].x;
            for g in &glyphs[i..j] {
                let gap = g.x - pen;
                if gap.abs() > 0.005 {
                    // Leave the hex string, adjust (in thousandths of the font size), resume.
                    self.out.extend_from_slice(b">");
                    push_num(&mut self.out, -gap * 1000.0 / size, 10.0);
                    self.out.extend_from_slice(b"<");
                }
                push_hex(&mut self.out, remapper.remap(g.gid));
                pen = g.x + f.advance(g.gid) as f32 / f.units_per_em * size;
            }
            self.out.extend_from_slice(b">]TJ\n");
            i = j;
        }
    }

    fn color(&mut self, c: Rgb) {
        for v in [c.0, c.1, c.2] {
            push_num(&mut self.out, v as f32 / 255.0, 1000.0);
            self.out.push(b' ');
        }
    }

    /// Positions, each followed by a space, rounded to 1/100 pt.
    fn nums(&mut self, vs: &[f32]) {
        for &v in vs {
            push_num(&mut self.out, v, 100.0);
            self.out.push(b' ');
        }
    }
}

/// `[x, y, w, h]` (top-left origin) when the path is exactly an axis-aligned rectangle as
/// `draw::rect` makes it.
fn as_rect(segs: &[Seg]) -> Option<[f32; 4]> {
    match *segs {
        [Seg::Move(x0, y0), Seg::Line(x1, y1), Seg::Line(x2, y2), Seg::Line(x3, y3), Seg::Close]
            if y1 == y0 && x2 == x1 && y3 == y2 && x3 == x0 && x1 >= x0 && y2 >= y0 =>
        {
            Some([x0, y0, x1 - x0, y2 - y0])
        }
        _ => None,
    }
}

/// A number rounded to `1/scale`, without a trailing zero or point ("12", "3.5", "-0.25").
fn push_num(out: &mut Vec<u8>, v: f32, scale: f32) {
    let scaled = (v as f64 * scale as f64).round();
    let scaled = if scaled.is_finite() { scaled.clamp(-1e15, 1e15) as i64 } else { 0 };
    if scaled < 0 {
        out.push(b'-');
    }
    let n = scaled.unsigned_abs();
    let scale = scale as u64;
    push_uint(out, n / scale);
    let mut frac = n % scale;
    if frac != 0 {
        out.push(b'.');
        let mut unit = scale / 10;
        while frac != 0 && unit != 0 {
            out.push(b'0' + (frac / unit) as u8);
            frac %= unit;
            unit /= 10;
        }
    }
}

fn push_uint(out: &mut Vec<u8>, n: u64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[i..]);
}

fn push_hex(out: &mut Vec<u8>, v: u16) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for shift in [12, 8, 4, 0] {
        out.push(HEX[((v >> shift) & 0xF) as usize]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::pdf::draw::{Op, rect};
    use crate::render::pdf::text::TextStyle;

    fn num(v: f32, scale: f32) -> String {
        let mut out = Vec::new();
        push_num(&mut out, v, scale);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn numbers_are_short_and_exact_to_their_precision() {
        assert_eq!(num(12.0, 100.0), "12");
        assert_eq!(num(3.5, 100.0), "3.5");
        assert_eq!(num(-0.25, 100.0), "-0.25");
        assert_eq!(num(549.276, 100.0), "549.28");
        assert_eq!(num(0.001, 100.0), "0");
        assert_eq!(num(31.0 / 255.0, 1000.0), "0.122");
        assert_eq!(num(0.05, 1000.0), "0.05");
        assert_eq!(num(f32::NAN, 100.0), "0");
        assert_eq!(num(1e30, 100.0), "10000000000000");
    }

    fn text(x: f32, color: Rgb) -> Op {
        let style = TextStyle { font: FontId::Sans, size: 9.0, color };
        Op::Text { x, baseline: 100.0, style, glyphs: vec![Placed { font: FontId::Sans, gid: 36, x: 0.0, dy: 0.0 }] }
    }

    fn stream(ops: &[Op]) -> String {
        let mut w = ContentWriter::new(800.0);
        String::from_utf8(w.page(ops).to_vec()).unwrap()
    }

    #[test]
    fn colour_and_font_are_set_once_while_unchanged_and_again_after_a_clip() {
        let grey = Rgb(31, 35, 40);
        let s = stream(&[
            text(10.0, grey),
            text(20.0, grey),
            Op::PushClip { x: 0.0, y: 0.0, w: 10.0, h: 10.0 },
            text(30.0, Rgb(200, 0, 0)),
            Op::PopClip,
            text(40.0, grey),
        ]);
        assert_eq!(s.matches(" rg\n").count(), 2, "{s}");
        assert_eq!(s.matches("Tf\n").count(), 1, "the font survives q/Q: {s}");
        assert_eq!(s.matches("TJ\n").count(), 4);
        assert!(s.contains("[<0001>]TJ"), "glyphs as hex: {s}");
        assert!(s.starts_with("0.122 0.137 0.157 rg\nBT\n/F0 9 Tf\n1 0 0 1 10 700 Tm\n"), "{s}");
    }

    #[test]
    fn rectangles_become_re_and_other_paths_stay_paths() {
        let s = stream(&[Op::fill_rect(46.0, 10.0, 100.0, 20.0, Rgb(1, 2, 3))]);
        assert!(s.ends_with("46 770 100 20 re\nf*\n"), "{s}");
        let s = stream(&[Op::line(0.0, 0.0, 10.0, 10.0, Rgb(0, 0, 0), 0.5)]);
        assert!(s.contains("0 800 m\n10 790 l\nS\n") && s.contains("0.5 w\n"), "{s}");
        assert_eq!(as_rect(&rect(1.0, 2.0, 3.0, 4.0)), Some([1.0, 2.0, 3.0, 4.0]));
    }

    #[test]
    fn an_unbalanced_clip_is_closed() {
        let s = stream(&[Op::PushClip { x: 0.0, y: 0.0, w: 1.0, h: 1.0 }]);
        assert_eq!(s.matches("q\n").count(), s.matches("Q\n").count());
    }
}
