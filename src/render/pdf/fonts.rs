//! The fonts compiled into the binary (fonts/, from Debian packages; see fonts/README.md), their
//! metrics, and the fallback order: the style's own DejaVu face, then DejaVu Sans, then Droid Sans
//! Fallback for CJK. Missing fonts are impossible at run time.

use std::sync::OnceLock;

/// One of the embedded faces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FontId {
    Sans,
    Bold,
    Mono,
    Cjk,
}

impl FontId {
    pub const ALL: [FontId; 4] = [FontId::Sans, FontId::Bold, FontId::Mono, FontId::Cjk];

    pub fn index(self) -> usize {
        self as usize
    }

    /// The faces tried in order for a character, starting with this style's own.
    pub fn fallback_chain(self) -> &'static [FontId] {
        match self {
            FontId::Sans => &[FontId::Sans, FontId::Cjk],
            FontId::Bold => &[FontId::Bold, FontId::Sans, FontId::Cjk],
            FontId::Mono => &[FontId::Mono, FontId::Sans, FontId::Cjk],
            FontId::Cjk => &[FontId::Cjk, FontId::Sans],
        }
    }
}

/// File name, PostScript name and bytes.
struct Embedded {
    file: &'static str,
    postscript_name: &'static str,
    bytes: &'static [u8],
}

const EMBEDDED: [Embedded; 4] = [
    Embedded {
        file: "DejaVuSans.ttf",
        postscript_name: "DejaVuSans",
        bytes: include_bytes!("../../../fonts/DejaVuSans.ttf"),
    },
    Embedded {
        file: "DejaVuSans-Bold.ttf",
        postscript_name: "DejaVuSans-Bold",
        bytes: include_bytes!("../../../fonts/DejaVuSans-Bold.ttf"),
    },
    Embedded {
        file: "DejaVuSansMono.ttf",
        postscript_name: "DejaVuSansMono",
        bytes: include_bytes!("../../../fonts/DejaVuSansMono.ttf"),
    },
    Embedded {
        file: "DroidSansFallbackFull.ttf",
        postscript_name: "DroidSansFallback",
        bytes: include_bytes!("../../../fonts/DroidSansFallbackFull.ttf"),
    },
];

/// Characters below this have their glyph and advance in a table, filled once.
const TABLE_LIMIT: u32 = 0x0800;

/// A parsed face with what layout and the writer need.
pub struct Font {
    pub id: FontId,
    pub face: rustybuzz::Face<'static>,
    pub bytes: &'static [u8],
    pub postscript_name: &'static str,
    pub units_per_em: f32,
    pub ascender: f32,
    pub descender: f32,
    pub cap_height: f32,
    pub bbox: [f32; 4],
    /// (glyph, advance) for characters below `TABLE_LIMIT`; glyph 0 = not covered.
    table: Vec<(u16, u16)>,
}

impl Font {
    fn load(id: FontId) -> Font {
        let e = &EMBEDDED[id.index()];
        // The bytes are compiled in and tested (`embedded_fonts_parse_and_match_their_pins`).
        let face = rustybuzz::Face::from_slice(e.bytes, 0)
            .unwrap_or_else(|| panic!("fonts/{} is compiled in but is not a font", e.file));
        let units_per_em = face.units_per_em() as f32;
        let bb = face.global_bounding_box();
        let mut font = Font {
            id,
            units_per_em,
            ascender: face.ascender() as f32,
            descender: face.descender() as f32,
            cap_height: face.capital_height().unwrap_or(face.ascender()) as f32,
            bbox: [bb.x_min as f32, bb.y_min as f32, bb.x_max as f32, bb.y_max as f32],
            face,
            bytes: e.bytes,
            postscript_name: e.postscript_name,
            table: Vec::new(),
        };
        font.table =
            (0..TABLE_LIMIT).map(|c| char::from_u32(c).and_then(|c| font.lookup(c)).unwrap_or((0, 0))).collect();
        font
    }

    fn lookup(&self, c: char) -> Option<(u16, u16)> {
        let g = self.face.glyph_index(c)?;
        Some((g.0, self.face.glyph_hor_advance(g).unwrap_or(0)))
    }

    /// The glyph and advance (font units) of a character, if this face has it.
    pub fn glyph(&self, c: char) -> Option<(u16, u16)> {
        if (c as u32) < TABLE_LIMIT {
            let (g, a) = self.table[c as usize];
            return (g != 0).then_some((g, a));
        }
        self.lookup(c)
    }

    pub fn covers(&self, c: char) -> bool {
        self.glyph(c).is_some()
    }

    /// A glyph's advance in font units.
    pub fn advance(&self, gid: u16) -> u16 {
        self.face.glyph_hor_advance(ttf_parser::GlyphId(gid)).unwrap_or(0)
    }
}

/// Every embedded face, parsed once.
pub fn font(id: FontId) -> &'static Font {
    static FONTS: OnceLock<Vec<Font>> = OnceLock::new();
    &FONTS.get_or_init(|| FontId::ALL.iter().map(|&id| Font::load(id)).collect())[id.index()]
}

/// The face of `chain` that draws `c`, if any does.
pub fn face_for(chain: &[FontId], c: char) -> Option<FontId> {
    chain.iter().copied().find(|&f| font(f).covers(c))
}

/// Characters that draw nothing and need no glyph (joiners, directional isolates, variation
/// selectors).
pub fn is_default_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{034F}' | '\u{200B}'..='\u{200D}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FE00}'..='\u{FE0F}'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sha256 of each font as pinned in scripts/fonts/fetch.sh and fonts/README.md.
    const PINS: [&str; 4] = [
        "abdc775b21b1bc470d50c97e790d276f2054b7504e56e5bd3e64f48d68582322",
        "0d977336a6d5fba34eab8e3199eb218327161b5143749f802982c2bc34df0c96",
        "0f5db4f1749979d961019838b160bec74abdf7f9eca69553fe1aa856bbff49a4",
        "acb6440a713d880a13a21b468ba7cd43f5a2b2934972e51be791c880730777b8",
    ];

    #[test]
    fn embedded_fonts_parse_and_match_their_pins() {
        for ((id, e), pin) in FontId::ALL.iter().zip(EMBEDDED.iter()).zip(PINS) {
            assert_eq!(
                crate::digest::sha256_hex(e.bytes),
                pin,
                "fonts/{} differs from the pin in scripts/fonts/fetch.sh",
                e.file
            );
            assert_eq!(font(*id).id, *id);
            assert!(font(*id).units_per_em > 0.0);
        }
    }

    #[test]
    fn scripts_find_a_face_in_the_fallback_order() {
        assert_eq!(face_for(FontId::Sans.fallback_chain(), 'a'), Some(FontId::Sans));
        assert_eq!(face_for(FontId::Sans.fallback_chain(), 'Ж'), Some(FontId::Sans));
        assert_eq!(face_for(FontId::Sans.fallback_chain(), 'گ'), Some(FontId::Sans));
        assert_eq!(face_for(FontId::Bold.fallback_chain(), 'ت'), Some(FontId::Bold));
        assert_eq!(face_for(FontId::Sans.fallback_chain(), '北'), Some(FontId::Cjk));
        assert_eq!(face_for(FontId::Mono.fallback_chain(), '京'), Some(FontId::Cjk));
        assert_eq!(face_for(FontId::Sans.fallback_chain(), '⟨'), Some(FontId::Sans));
        assert_eq!(face_for(FontId::Sans.fallback_chain(), '\u{10FFFD}'), None);
    }
}
