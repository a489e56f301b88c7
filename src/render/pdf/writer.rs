//! Serializing pages with pdf-writer as layout finishes them: content streams (Flate,
//! deterministic), each used face embedded as a subset Type0 / CIDFontType2 font (Identity-H,
//! CIDToGIDMap Identity, /W from hmtx, a ToUnicode CMap from the shaper's clusters), bookmarks,
//! metadata, and a file /ID that is a hash of the content. No clock and no randomness: same
//! input, same bytes.
//!
//! Layout and encoding run as a pipeline (`write`): the calling thread lays pages out while a
//! second thread encodes and compresses each finished page straight into the file, so a page's
//! drawing operations live only until its content stream is written. Object numbers are handed
//! out as objects are made: first those every page points at (catalog, page tree, info, outline
//! root, the shared resources, the signature slot), then page by page (the page, its body stream,
//! its number stream), then fonts and outline items. Each page's /Contents is [body, number]:
//! "Page n of N" is the only thing on a page that waits for the page count, so the small number
//! streams are written last.

use super::content::{ContentWriter, font_name};
use super::doc::{Block, Document, Meta};
use super::draw::{Bookmark, Page, PageSize};
use super::flow::{Paged, lay_out_with};
use super::fonts::{FontId, font};
use super::shaping::Shaper;
use crate::model::pdf_signature::{BYTE_RANGE_PLACEHOLDER, CONTENTS_BYTES, SignatureSlot};
use pdf_writer::types::{
    AnnotationFlags, CidFontType, FieldType, FontFlags, PageMode, SigFlags, SystemInfo, UnicodeCmap,
};
use pdf_writer::writers::Resources;
use pdf_writer::{Chunk, Date, Filter, Finish, Name, Pdf, Rect, Ref, Str, TextStr};
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

/// Flate (zlib) at level 4 with libdeflate: a third faster than its level 6 for 5% more bytes (and
/// several times faster than miniz), and
/// its output depends only on the input and the version pinned in Cargo.lock (no CPU-specific
/// paths), so the same report gives the same bytes on every machine. The output buffer is reused,
/// so ten thousand pages do not each fault in fresh memory.
struct Packer {
    compressor: libdeflater::Compressor,
    out: Vec<u8>,
}

impl Packer {
    fn new() -> Packer {
        let level = libdeflater::CompressionLvl::new(4).expect("4 is a level");
        Packer { compressor: libdeflater::Compressor::new(level), out: Vec::new() }
    }

    /// `data` compressed, valid until the next call.
    fn pack(&mut self, data: &[u8]) -> &[u8] {
        let bound = self.compressor.zlib_compress_bound(data.len());
        if self.out.len() < bound {
            self.out.resize(bound, 0);
        }
        let n = self.compressor.zlib_compress(data, &mut self.out).expect("the output holds the compress bound");
        &self.out[..n]
    }
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
    packer: &mut Packer,
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

    let packed = packer.pack(&subset);
    chunk.stream(file, packed).filter(Filter::FlateDecode).pair(Name(b"Length1"), subset.len() as i32);

    let mut unicode =
        UnicodeCmap::new(Name(b"Custom"), SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"UCS"), supplement: 0 });
    if let Some(map) = shaper.to_unicode(face) {
        for (cid, gid) in gids.iter().enumerate() {
            if let Some(text) = map.get(gid).filter(|t| !t.is_empty()) {
                unicode.pair_with_multiple(cid as u16, text.chars());
            }
        }
    }
    let packed = packer.pack(&unicode.finish().into_vec());
    chunk.cmap(cmap, packed).filter(Filter::FlateDecode);
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

/// Object numbers made before any page, so that pages can point at them as they go by.
#[derive(Debug, Clone, Copy)]
struct Fixed {
    catalog: Ref,
    tree: Ref,
    info: Ref,
    outline: Ref,
    /// The font dictionary every page shares, written once the fonts are.
    resources: Ref,
    /// A signature field and its dictionary, reserved for `sign::pdfsig` to fill.
    signature: Option<(Ref, Ref)>,
}

/// One page's objects.
#[derive(Debug, Clone, Copy)]
struct PageRefs {
    page: Ref,
    body: Ref,
    number: Ref,
}

/// Puts the file together: pages as they are finished, then everything that depends on all of
/// them. Pages must come in order (glyph ids in the subsets are handed out in that order).
struct Assembler {
    pdf: Pdf,
    refs: Refs,
    fixed: Fixed,
    size: PageSize,
    content: ContentWriter,
    packer: Packer,
    pages: Vec<PageRefs>,
}

impl Assembler {
    fn new(meta: &Meta) -> Assembler {
        let (width, height) = meta.paper.size();
        let mut refs = Refs(0);
        let fixed = Fixed {
            catalog: refs.next(),
            tree: refs.next(),
            info: refs.next(),
            outline: refs.next(),
            resources: refs.next(),
            signature: meta.signature.as_ref().map(|_| (refs.next(), refs.next())),
        };
        Assembler {
            pdf: Pdf::new(),
            refs,
            fixed,
            size: PageSize { width, height },
            content: ContentWriter::new(height),
            packer: Packer::new(),
            pages: Vec::new(),
        }
    }

    /// Writes one page's object and compressed body stream; its operations are dropped here.
    fn page(&mut self, page: Page) {
        let ids = PageRefs { page: self.refs.next(), body: self.refs.next(), number: self.refs.next() };
        let raw = self.content.page(&page.ops);
        drop(page);
        let packed = self.packer.pack(raw);
        let Fixed { tree, resources, signature, .. } = self.fixed;
        let mut p = self.pdf.page(ids.page);
        p.media_box(Rect::new(0.0, 0.0, self.size.width, self.size.height))
            .parent(tree)
            .contents_array([ids.body, ids.number])
            .pair(Name(b"Resources"), resources);
        if let (true, Some((field, _))) = (self.pages.is_empty(), signature) {
            p.annotations([field]);
        }
        p.finish();
        self.pdf.stream(ids.body, packed).filter(Filter::FlateDecode);
        self.pages.push(ids);
    }

    /// Writes the page numbers, fonts, page tree, outline, catalog, metadata and signature slot.
    fn finish(self, paged: &Paged, meta: &Meta, shaper: &mut Shaper) -> Result<Vec<u8>, WriteError> {
        let Assembler { mut pdf, mut refs, fixed, size, mut content, mut packer, pages } = self;
        // "Page n of N", now that N is known: a few dozen bytes each, left uncompressed.
        let total = pages.len();
        for (i, ids) in pages.iter().enumerate() {
            let ops = paged.numbers.ops(shaper, i, total);
            pdf.stream(ids.number, content.page(&ops));
        }
        let mut font_refs = Vec::new();
        for (face, remapper) in content.remappers() {
            font_refs.push((*face, write_font(&mut pdf, &mut refs, &mut packer, *face, remapper, shaper)?));
        }
        let mut fonts = pdf.indirect(fixed.resources).start::<Resources>();
        let mut dict = fonts.fonts();
        for (face, r) in &font_refs {
            dict.pair(Name(font_name(*face)), *r);
        }
        dict.finish();
        fonts.finish();
        let page_ids: Vec<Ref> = pages.iter().map(|p| p.page).collect();
        pdf.pages(fixed.tree).kids(page_ids.iter().copied()).count(total as i32);
        let outlined = !paged.bookmarks.is_empty();
        if outlined {
            write_outline(&mut pdf, &mut refs, fixed.outline, &paged.bookmarks, &page_ids, size.height);
        }

        let mut cat = pdf.catalog(fixed.catalog);
        cat.pages(fixed.tree).lang(TextStr(&meta.lang));
        if outlined {
            cat.outlines(fixed.outline).page_mode(PageMode::UseOutlines);
        }
        cat.viewer_preferences().display_doc_title(true);
        if let Some((field, _)) = fixed.signature {
            cat.form().fields([field]).sig_flags(SigFlags::SIGNATURES_EXIST | SigFlags::APPEND_ONLY);
        }
        cat.finish();
        let date = pdf_date(meta.created);
        pdf.document_info(fixed.info)
            .title(TextStr(&meta.title))
            .author(TextStr(&meta.author))
            .subject(TextStr(&meta.subject))
            .keywords(TextStr(&meta.keywords))
            .creator(TextStr(&meta.producer))
            .producer(TextStr(&meta.producer))
            .creation_date(date)
            .modified_date(date);
        if let (Some(slot), Some((field, sig))) = (&meta.signature, fixed.signature) {
            write_signature_slot(&mut pdf, slot, field, sig, page_ids[0]);
        }
        // The file identifier is a hash of everything above, so it is the same for the same content.
        let id = crate::digest::sha256_hex(pdf.as_bytes()).into_bytes()[..32].to_vec();
        pdf.set_file_id((id.clone(), id));
        Ok(pdf.finish())
    }
}

/// Pages waiting between layout and encoding: enough to smooth out uneven pages, few enough that
/// memory stays flat.
const PIPELINE_PAGES: usize = 8;

/// Lays out and serializes the document: layout on this thread, each finished page encoded,
/// compressed and written on a second one. The bytes do not depend on the threads' timing: pages
/// reach the encoder in order and everything after them is written in one place.
pub fn write(doc: &Document, shaper: &mut Shaper) -> Result<Vec<u8>, WriteError> {
    // The page count is known only at the end: a big document shows a count of pages laid out.
    let mut progress = if doc_rows(doc) >= BIG_DOCUMENT_ROWS {
        crate::progress::task("writing the PDF", None, crate::progress::Unit::Items("pages"))
    } else {
        crate::progress::Task::none()
    };
    let (assembler, paged) = std::thread::scope(|scope| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Page>(PIPELINE_PAGES);
        let meta = &doc.meta;
        let encoder = scope.spawn(move || {
            let mut assembler = Assembler::new(meta);
            for page in rx {
                assembler.page(page);
            }
            assembler
        });
        let paged = lay_out_with(doc, shaper, &mut |page| {
            // Fails only if the encoder panicked; joining it below passes the panic on.
            let _ = tx.send(page);
            progress.advance(1);
        });
        drop(tx);
        (encoder.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)), paged)
    });
    let pdf = assembler.finish(&paged, &doc.meta, shaper);
    progress.finish();
    pdf
}

/// Documents of at least this many rows (see [`doc_rows`]) show progress while they are written:
/// a report of 500 sessions with findings has about this many (some 37 rows a session; a session
/// without findings takes two or three, and lays out as quickly).
pub const BIG_DOCUMENT_ROWS: usize = 18_000;

/// A size of the document known before layout: its blocks, plus the rows, items and pairs inside
/// them (a table of 5,000 sessions is one block but most of the work).
pub fn doc_rows(doc: &Document) -> usize {
    doc.blocks
        .iter()
        .map(|b| match b {
            Block::Table(t) => 1 + t.rows.len(),
            Block::Bullets(items) => 1 + items.len(),
            Block::KeyValues(pairs) => 1 + pairs.len(),
            Block::Note { paras, .. } => 1 + paras.len(),
            _ => 1,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::{Assembler, Shaper, WriteError, lay_out_with, write};
    use crate::render::pdf::doc::{Block, Document, Para, Style, Table, test_meta};
    use crate::render::pdf::render_document;
    use crate::render::pdf::text::Direction;
    use std::collections::HashMap;

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

    /// The same assembly as `write`, all on this thread: pages go straight from layout to the
    /// assembler.
    fn write_in_one_thread(doc: &Document) -> Result<Vec<u8>, WriteError> {
        let mut shaper = Shaper::new();
        let mut assembler = Assembler::new(&doc.meta);
        let paged = lay_out_with(doc, &mut shaper, &mut |page| assembler.page(page));
        assembler.finish(&paged, &doc.meta, &mut shaper)
    }

    /// Several pages of paragraphs, a table running over pages, bookmarks on later pages.
    fn long_doc(dir: Direction) -> Document {
        let cell = |t: &str| vec![Para::new(Style::Small, t)];
        let table = Table {
            columns: 2,
            labels: false,
            header: vec![cell("IP"), cell("Device")],
            rows: (0..150).map(|i| vec![cell(&format!("10.0.0.{i}")), cell("Pixel 8 گوشی من")]).collect(),
            zebra: true,
        };
        let mut blocks = vec![Block::Title("Report".into())];
        for k in 1..=3 {
            blocks.push(Block::Heading { level: 1, text: format!("{k}. Part") });
            blocks.push(Block::Para(Para::new(Style::Body, "words and more words ".repeat(400))));
            blocks.push(Block::Heading { level: 2, text: format!("{k}.1 Table") });
            blocks.push(Block::Table(table.clone()));
        }
        Document { meta: test_meta(dir), blocks }
    }

    #[test]
    fn the_size_that_decides_on_progress_counts_rows_inside_blocks() {
        // Title, then per part: heading, paragraph, heading, a table of 150 rows.
        assert_eq!(super::doc_rows(&long_doc(Direction::Ltr)), 1 + 3 * (3 + 1 + 150));
        assert!(super::doc_rows(&long_doc(Direction::Ltr)) < super::BIG_DOCUMENT_ROWS);
    }

    /// Object `n`'s text, from its header to `endobj`.
    fn object(pdf: &[u8], n: i32) -> &[u8] {
        let head = format!("\n{n} 0 obj\n");
        let at = pdf.windows(head.len()).position(|w| w == head.as_bytes()).unwrap_or_else(|| panic!("object {n}"));
        let end = pdf[at..].windows(7).position(|w| w == b"\nendobj").expect("endobj") + at;
        &pdf[at + head.len()..end]
    }

    /// A stream object's data.
    fn stream_data(obj: &[u8]) -> &[u8] {
        let at = obj.windows(7).position(|w| w == b"stream\n").expect("a stream") + 7;
        let end = obj.windows(10).rposition(|w| w == b"\nendstream").expect("endstream");
        &obj[at..end]
    }

    /// The objects `key` points at in `obj`: one `n 0 R`, or an array of them.
    fn refs_after(obj: &[u8], key: &str) -> Vec<i32> {
        let text = String::from_utf8_lossy(obj);
        let at = text.find(key).unwrap_or_else(|| panic!("{key} in {text}")) + key.len();
        let rest = text[at..].trim_start();
        let value = match rest.strip_prefix('[') {
            Some(array) => &array[..array.find(']').expect("a closed array")],
            None => rest.lines().next().unwrap_or_default(),
        };
        let words: Vec<&str> = value.split_whitespace().collect();
        words.chunks(3).filter(|w| w.len() == 3 && w[1] == "0" && w[2] == "R").map(|w| w[0].parse().unwrap()).collect()
    }

    /// The text a content stream shows in face /F0, read back through that font's ToUnicode CMap.
    fn shown_text(pdf: &[u8], content: &[u8], resources: i32) -> String {
        let font = refs_after(object(pdf, resources), "/F0")[0];
        let cmap_ref = refs_after(object(pdf, font), "/ToUnicode")[0];
        let packed = stream_data(object(pdf, cmap_ref));
        let mut cmap = vec![0; 1 << 20];
        let n = libdeflater::Decompressor::new().zlib_decompress(packed, &mut cmap).expect("a zlib stream");
        let mut to_text: HashMap<u16, String> = HashMap::new();
        for line in String::from_utf8_lossy(&cmap[..n]).lines() {
            if let Some((cid, units)) = line.strip_prefix('<').and_then(|l| l.split_once("> <")) {
                let units = units.trim_end_matches('>');
                let utf16: Vec<u16> =
                    (0..units.len()).step_by(4).map(|i| u16::from_str_radix(&units[i..i + 4], 16).unwrap()).collect();
                to_text.insert(u16::from_str_radix(cid, 16).unwrap(), String::from_utf16(&utf16).unwrap());
            }
        }
        let content = String::from_utf8_lossy(content);
        assert!(content.contains("/F0 "), "{content}");
        let mut text = String::new();
        for hex in content.split('<').skip(1).map(|s| &s[..s.find('>').unwrap()]) {
            for i in (0..hex.len()).step_by(4) {
                let cid = u16::from_str_radix(&hex[i..i + 4], 16).unwrap();
                text.push_str(to_text.get(&cid).map(String::as_str).unwrap_or("?"));
            }
        }
        text
    }

    #[test]
    fn the_pipeline_gives_the_same_bytes_every_time_and_as_one_thread_does() {
        for dir in [Direction::Ltr, Direction::Rtl] {
            let d = long_doc(dir);
            let a = render_document(&d).unwrap();
            let b = write(&d, &mut Shaper::new()).unwrap();
            assert_eq!(a, b, "{dir:?}");
            assert_eq!(a, write_in_one_thread(&d).unwrap(), "{dir:?}");
        }
    }

    #[test]
    fn every_page_of_a_long_document_ends_with_its_number_of_the_final_count() {
        let pdf = render_document(&long_doc(Direction::Ltr)).unwrap();
        // The page tree is object 2 and the shared resources object 5 (`Assembler::new`).
        let kids = refs_after(object(&pdf, 2), "/Kids");
        let n = kids.len();
        assert!(n >= 5, "a multi-page document: {n} pages");
        assert!(contains(object(&pdf, 2), &format!("/Count {n}")));
        for (i, kid) in kids.iter().enumerate() {
            let page = object(&pdf, *kid);
            assert_eq!(refs_after(page, "/Resources"), vec![5], "page {}", i + 1);
            let contents = refs_after(page, "/Contents");
            assert_eq!(contents.len(), 2, "body and number: {}", String::from_utf8_lossy(page));
            let number = stream_data(object(&pdf, contents[1]));
            assert_eq!(shown_text(&pdf, number, 5), format!("Page {} of {n}", i + 1));
        }
        let last = object(&pdf, kids[n - 1]);
        let number = stream_data(object(&pdf, refs_after(last, "/Contents")[1]));
        assert_eq!(shown_text(&pdf, number, 5), format!("Page {n} of {n}"), "the last page");
    }
}
