//! Serializing laid-out pages with pdf-writer: content streams (Flate, deterministic), each used
//! face embedded as a subset Type0 / CIDFontType2 font (Identity-H, CIDToGIDMap Identity, /W from
//! hmtx, a ToUnicode CMap from the shaper's clusters), bookmarks, metadata, and a file /ID that is
//! a hash of the content. No clock and no randomness: same input, same bytes.

use super::content::{ContentWriter, font_name};
use super::doc::Meta;
use super::draw::{Bookmark, Laid};
use super::fonts::{FontId, font};
use super::shaping::Shaper;
use crate::model::pdf_signature::{BYTE_RANGE_PLACEHOLDER, CONTENTS_BYTES, SignatureSlot};
use pdf_writer::types::{
    AnnotationFlags, CidFontType, FieldType, FontFlags, PageMode, SigFlags, SystemInfo, UnicodeCmap,
};
use pdf_writer::{Chunk, Date, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
use std::collections::BTreeMap;
use subsetter::GlyphRemapper;

/// Why the PDF could not be written (a font the subsetter refused; never the user's data).
#[derive(Debug, thiserror::Error)]
#[error("embedding {font}: {message}")]
pub struct WriteError {
    pub font: String,
    pub message: String,
}

/// Hands out object numbers in order.
struct Refs(i32);

impl Refs {
    fn next(&mut self) -> Ref {
        self.0 += 1;
        Ref::new(self.0)
    }
}

/// Flate (zlib) at level 6 with libdeflate: three times faster than miniz at the same size, and
/// its output depends only on the input and the version pinned in Cargo.lock (no CPU-specific
/// paths), so the same report gives the same bytes on every machine.
fn deflate(data: &[u8]) -> Vec<u8> {
    thread_local! {
        static COMPRESSOR: std::cell::RefCell<libdeflater::Compressor> =
            std::cell::RefCell::new(libdeflater::Compressor::new(libdeflater::CompressionLvl::new(6).expect("6 is a level")));
    }
    COMPRESSOR.with_borrow_mut(|c| {
        let mut out = vec![0; c.zlib_compress_bound(data.len())];
        let n = c.zlib_compress(data, &mut out).expect("the output holds the compress bound");
        out.truncate(n);
        out
    })
}

/// A subset's tag: six capital letters derived from the glyph set, as PDF readers expect.
fn subset_tag(glyphs: &[u16]) -> String {
    let bytes: Vec<u8> = glyphs.iter().flat_map(|g| g.to_be_bytes()).collect();
    let hash = crate::digest::sha256_hex(&bytes);
    hash.bytes().take(6).map(|b| (b'A' + b % 26) as char).collect()
}

fn write_font(
    chunk: &mut Chunk,
    refs: &mut Refs,
    face: FontId,
    remapper: &GlyphRemapper,
    shaper: &Shaper,
) -> Result<Ref, WriteError> {
    let f = font(face);
    let gids: Vec<u16> = remapper.remapped_gids().collect();
    let base = format!("{}+{}", subset_tag(&gids), f.postscript_name);
    let subset = subsetter::subset(f.bytes, 0, remapper)
        .map_err(|e| WriteError { font: f.postscript_name.into(), message: e.to_string() })?;
    let (type0, cid, descriptor, file, cmap) = (refs.next(), refs.next(), refs.next(), refs.next(), refs.next());
    let per_mille = |v: f32| v * 1000.0 / f.units_per_em;

    chunk
        .type0_font(type0)
        .base_font(Name(base.as_bytes()))
        .encoding_predefined(Name(b"Identity-H"))
        .descendant_font(cid)
        .to_unicode(cmap);

    let system = SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };
    let mut cid_font = chunk.cid_font(cid);
    cid_font
        .subtype(CidFontType::Type2)
        .base_font(Name(base.as_bytes()))
        .system_info(system)
        .font_descriptor(descriptor);
    cid_font.cid_to_gid_map_predefined(Name(b"Identity"));
    let widths: Vec<f32> = gids.iter().map(|&g| per_mille(f.advance(g) as f32)).collect();
    cid_font.widths().consecutive(0, widths);
    cid_font.finish();

    let mut flags = FontFlags::SYMBOLIC;
    if face == FontId::Mono {
        flags |= FontFlags::FIXED_PITCH;
    }
    let [x0, y0, x1, y1] = f.bbox;
    chunk
        .font_descriptor(descriptor)
        .name(Name(base.as_bytes()))
        .flags(flags)
        .bbox(Rect::new(per_mille(x0), per_mille(y0), per_mille(x1), per_mille(y1)))
        .italic_angle(0.0)
        .ascent(per_mille(f.ascender))
        .descent(per_mille(f.descender))
        .cap_height(per_mille(f.cap_height))
        .stem_v(if face == FontId::Bold { 140.0 } else { 80.0 })
        .font_file2(file);

    let packed = deflate(&subset);
    chunk.stream(file, &packed).filter(Filter::FlateDecode).pair(Name(b"Length1"), subset.len() as i32);

    let mut unicode =
        UnicodeCmap::new(Name(b"Custom"), SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"UCS"), supplement: 0 });
    if let Some(map) = shaper.to_unicode(face) {
        for (cid, gid) in gids.iter().enumerate() {
            if let Some(text) = map.get(gid).filter(|t| !t.is_empty()) {
                unicode.pair_with_multiple(cid as u16, text.chars());
            }
        }
    }
    let packed = deflate(&unicode.finish().into_vec());
    chunk.cmap(cmap, &packed).filter(Filter::FlateDecode);
    Ok(type0)
}

/// Bookmarks as a two-level tree: level-1 items under the level-0 item before them.
fn write_outline(chunk: &mut Chunk, refs: &mut Refs, root: Ref, marks: &[Bookmark], pages: &[Ref], height: f32) {
    let ids: Vec<Ref> = marks.iter().map(|_| refs.next()).collect();
    // Parent of each item (None = the root) and the top-level items.
    let mut parent: Vec<Option<usize>> = Vec::with_capacity(marks.len());
    let mut last_top: Option<usize> = None;
    for (i, m) in marks.iter().enumerate() {
        if m.depth == 0 || last_top.is_none() {
            parent.push(None);
            last_top = Some(i);
        } else {
            parent.push(last_top);
        }
    }
    let children = |p: Option<usize>| -> Vec<usize> { (0..marks.len()).filter(|&i| parent[i] == p).collect() };
    let top = children(None);
    let mut outline = chunk.outline(root);
    if let (Some(first), Some(last)) = (top.first(), top.last()) {
        outline.first(ids[*first]).last(ids[*last]);
    }
    outline.count(top.len() as i32);
    outline.finish();
    for (i, m) in marks.iter().enumerate() {
        let siblings = children(parent[i]);
        let pos = siblings.iter().position(|&s| s == i).unwrap_or(0);
        let mut item = chunk.outline_item(ids[i]);
        item.title(TextStr(&m.title));
        item.parent(parent[i].map(|p| ids[p]).unwrap_or(root));
        if pos > 0 {
            item.prev(ids[siblings[pos - 1]]);
        }
        if let Some(&n) = siblings.get(pos + 1) {
            item.next(ids[n]);
        }
        let kids = children(Some(i));
        if let (Some(first), Some(last)) = (kids.first(), kids.last()) {
            item.first(ids[*first]).last(ids[*last]).count(-(kids.len() as i32));
        }
        let page = pages.get(m.page).copied().unwrap_or(pages[0]);
        item.dest().page(page).xyz(0.0, height - m.y + 4.0, None);
    }
}

fn pdf_date(t: jiff::Timestamp) -> Date {
    let d = jiff::tz::TimeZone::UTC.to_datetime(t);
    Date::new(d.year().clamp(0, 9999) as u16)
        .month(d.month() as u8)
        .day(d.day() as u8)
        .hour(d.hour() as u8)
        .minute(d.minute() as u8)
        .second(d.second() as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0)
}

/// An invisible signature widget on page 1 and, last in the file, its signature dictionary
/// with a fixed-width `/ByteRange` and a reserved `/Contents` (see `model::pdf_signature`).
fn write_signature_slot(pdf: &mut Pdf, slot: &SignatureSlot, field: Ref, sig: Ref, page: Ref) {
    let mut f = pdf.form_field(field);
    f.partial_name(TextStr("Signature1")).field_type(FieldType::Signature);
    f.pair(Name(b"V"), sig);
    let mut annot = f.into_annotation();
    annot.rect(Rect::new(0.0, 0.0, 0.0, 0.0)).page(page).flags(AnnotationFlags::PRINT | AnnotationFlags::LOCKED);
    annot.finish();
    let mut d = pdf.indirect(sig).dict();
    d.pair(Name(b"Type"), Name(b"Sig"))
        .pair(Name(b"Filter"), Name(b"Adobe.PPKLite"))
        .pair(Name(b"SubFilter"), Name(b"adbe.pkcs7.detached"));
    d.insert(Name(b"ByteRange")).array().items(BYTE_RANGE_PLACEHOLDER);
    d.pair(Name(b"Contents"), Str(&[0xFF; CONTENTS_BYTES]))
        .pair(Name(b"M"), pdf_date(slot.signing_time))
        .pair(Name(b"Name"), TextStr(&slot.name))
        .pair(Name(b"Reason"), TextStr(&slot.reason));
}

/// Serializes the document.
pub fn write(laid: &Laid, meta: &Meta, shaper: &Shaper) -> Result<Vec<u8>, WriteError> {
    let mut refs = Refs(0);
    let catalog = refs.next();
    let tree = refs.next();
    let info = refs.next();
    let outline_root = refs.next();
    let page_ids: Vec<Ref> = laid.pages.iter().map(|_| refs.next()).collect();
    let content_ids: Vec<Ref> = laid.pages.iter().map(|_| refs.next()).collect();
    // A signature field and its dictionary, reserved for `sign::pdfsig` to fill.
    let sig_refs = meta.signature.as_ref().map(|_| (refs.next(), refs.next()));

    let mut chunk = Chunk::new();
    let mut remappers: BTreeMap<FontId, GlyphRemapper> = BTreeMap::new();
    // Content streams are written in page order (glyph ids in the subsets are handed out in
    // that order) while a second thread compresses the finished ones, in the same order.
    let contents: Vec<Vec<u8>> = std::thread::scope(|scope| {
        let (raw_tx, raw_rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(16);
        let packer = scope.spawn(move || raw_rx.into_iter().map(|raw| deflate(&raw)).collect());
        let mut w = ContentWriter::new(laid.size.height, &mut remappers);
        for page in &laid.pages {
            if raw_tx.send(w.page(&page.ops).to_vec()).is_err() {
                break;
            }
        }
        drop(raw_tx);
        packer.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    });
    let mut font_refs = BTreeMap::new();
    for (face, remapper) in &remappers {
        font_refs.insert(*face, write_font(&mut chunk, &mut refs, *face, remapper, shaper)?);
    }
    for (i, page) in page_ids.iter().enumerate() {
        let mut p = chunk.page(*page);
        p.media_box(Rect::new(0.0, 0.0, laid.size.width, laid.size.height)).parent(tree).contents(content_ids[i]);
        if let (0, Some((field, _))) = (i, sig_refs) {
            p.annotations([field]);
        }
        let mut res = p.resources();
        let mut fonts = res.fonts();
        for (face, r) in &font_refs {
            fonts.pair(Name(font_name(*face)), *r);
        }
        fonts.finish();
        res.finish();
        p.finish();
        chunk.stream(content_ids[i], &contents[i]).filter(Filter::FlateDecode);
    }
    chunk.pages(tree).kids(page_ids.iter().copied()).count(page_ids.len() as i32);
    if !laid.bookmarks.is_empty() {
        write_outline(&mut chunk, &mut refs, outline_root, &laid.bookmarks, &page_ids, laid.size.height);
    }

    let mut pdf = Pdf::new();
    pdf.extend(&chunk);
    let mut cat = pdf.catalog(catalog);
    cat.pages(tree).lang(TextStr(&meta.lang));
    if !laid.bookmarks.is_empty() {
        cat.outlines(outline_root).page_mode(PageMode::UseOutlines);
    }
    cat.viewer_preferences().display_doc_title(true);
    if let Some((field, _)) = sig_refs {
        cat.form().fields([field]).sig_flags(SigFlags::SIGNATURES_EXIST | SigFlags::APPEND_ONLY);
    }
    cat.finish();
    let date = pdf_date(meta.created);
    pdf.document_info(info)
        .title(TextStr(&meta.title))
        .author(TextStr(&meta.author))
        .subject(TextStr(&meta.subject))
        .keywords(TextStr(&meta.keywords))
        .creator(TextStr(&meta.producer))
        .producer(TextStr(&meta.producer))
        .creation_date(date)
        .modified_date(date);
    if let (Some(slot), Some((field, sig))) = (&meta.signature, sig_refs) {
        write_signature_slot(&mut pdf, slot, field, sig, page_ids[0]);
    }
    // The file identifier is a hash of everything above, so it is the same for the same content.
    let id = crate::digest::sha256_hex(pdf.as_bytes()).into_bytes()[..32].to_vec();
    pdf.set_file_id((id.clone(), id));
    Ok(pdf.finish())
}

#[cfg(test)]
mod tests {
    use crate::render::pdf::doc::{Block, Document, Para, Style, test_meta};
    use crate::render::pdf::render_document;
    use crate::render::pdf::text::Direction;

    fn doc(dir: Direction) -> Document {
        Document {
            meta: test_meta(dir),
            blocks: vec![
                Block::Heading { level: 1, text: "1. Case".into() },
                Block::Para(Para::new(Style::Body, "Hello Москва تهران 北京")),
                Block::Heading { level: 2, text: "Acquisition 1".into() },
                Block::Heading { level: 1, text: "2. Sessions".into() },
            ],
        }
    }

    fn contains(hay: &[u8], needle: &str) -> bool {
        hay.windows(needle.len()).any(|w| w == needle.as_bytes())
    }

    #[test]
    fn bookmarks_metadata_language_and_an_id_are_written() {
        let pdf = render_document(&doc(Direction::Ltr)).unwrap();
        for needle in [
            "/Outlines",
            "/Type /Outlines",
            "/Count 2",
            "(1. Case)",
            "(Acquisition 1)",
            "(2. Sessions)",
            "/PageMode /UseOutlines",
            "/Lang (en)",
            "/CreationDate (D:20261126120000Z)",
            "/Author (Examiner)",
            "/ID [",
            "/Encoding /Identity-H",
            "/CIDToGIDMap /Identity",
            "/ToUnicode",
            "/FontFile2",
        ] {
            assert!(contains(&pdf, needle), "{needle}");
        }
        assert!(!contains(&pdf, "/Outlines") || contains(&pdf, "/Parent"), "items point to their parent");
        let rtl = render_document(&doc(Direction::Rtl)).unwrap();
        assert!(contains(&rtl, "/Lang (fa)"));
    }

    #[test]
    fn the_same_document_gives_the_same_bytes_and_another_a_different_id() {
        let a = render_document(&doc(Direction::Ltr)).unwrap();
        let b = render_document(&doc(Direction::Ltr)).unwrap();
        assert_eq!(a, b);
        let mut other = doc(Direction::Ltr);
        other.blocks.push(Block::Para(Para::new(Style::Body, "one more line")));
        let c = render_document(&other).unwrap();
        let id = |p: &[u8]| {
            let at = p.windows(4).position(|w| w == b"/ID ").unwrap();
            p[at..at + 60].to_vec()
        };
        assert_ne!(id(&a), id(&c));
    }

    #[test]
    fn subset_tags_are_six_capitals() {
        let tag = super::subset_tag(&[0, 3, 40]);
        assert_eq!(tag.len(), 6);
        assert!(tag.bytes().all(|b| b.is_ascii_uppercase()));
        assert_ne!(tag, super::subset_tag(&[0, 3, 41]));
    }
}
