//! Post-processing of printpdf's output with lopdf: what printpdf 0.12.8 cannot write, or
//! writes wrongly, and the final compressed, reproducible bytes.

use super::Fnv128;
use crate::error::{Error, Result};
use crate::layout::page::{Document, LabelStyle, OutlineEntry, Page};
use lopdf::{Dictionary, Object, ObjectId, Stream, StringFormat};

/// Trailer `/ID` written first and then replaced by the hash of the finished file.
const ID_PLACEHOLDER: [u8; 16] = [0; 16];

/// A page's content stream, Flate-compressed unless that would not make it smaller.
#[derive(Clone)]
pub struct PageContent {
    bytes: Vec<u8>,
    deflated: bool,
}

/// Compresses a content stream (see [`FLATE_LEVEL`]).
pub(super) fn deflated(bytes: Vec<u8>) -> PageContent {
    match deflate(&bytes) {
        Some(smaller) => PageContent { bytes: smaller, deflated: true },
        None => PageContent { bytes, deflated: false },
    }
}

/// Turns printpdf's document into the finished file: `contents` are the pages' content
/// streams, in order, and printpdf's last page is the census page (see `fonts.rs`).
pub(super) fn finish(
    mut pdf: lopdf::Document,
    doc: &Document,
    contents: Vec<PageContent>,
) -> Result<Vec<u8>> {
    pdf.version = "1.7".to_string();

    let mut page_ids: Vec<ObjectId> = pdf.get_pages().into_values().collect();
    if page_ids.len() != doc.pages.len() + 1 || contents.len() != doc.pages.len() {
        return Err(Error::Pdf(format!(
            "printpdf wrote {} pages instead of {} and the census page",
            page_ids.len(),
            doc.pages.len()
        )));
    }
    if let Some(census) = page_ids.pop() {
        remove_page(&mut pdf, census)?;
    }
    for ((id, page), content) in page_ids.iter().zip(&doc.pages).zip(contents) {
        let dict = dict_mut(&mut pdf, *id, "a page")?;
        fix_page(dict, page);
        let stream = reference(dict, b"Contents", "page content")?;
        let mut dict = Dictionary::new();
        if content.deflated {
            dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        }
        let mut stream_object = Stream::new(dict, content.bytes);
        stream_object.allows_compression = false;
        pdf.objects.insert(stream, Object::Stream(stream_object));
        indirect_annotations(&mut pdf, *id)?;
    }

    let catalog_id = reference(&pdf.trailer, b"Root", "the catalog")?;
    let outline = if doc.navigation && !doc.outline.is_empty() {
        Some(outline(&mut pdf, &doc.outline, &page_ids))
    } else {
        None
    };
    let catalog = dict_mut(&mut pdf, catalog_id, "the catalog")?;
    match outline {
        Some(root) => {
            catalog.set("Outlines", root);
            catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
        }
        None => catalog.set("PageMode", Object::Name(b"UseNone".to_vec())),
    }
    if !doc.meta.language.is_empty() {
        catalog.set("Lang", text_string(&doc.meta.language));
    }
    if !doc.page_labels.is_empty() {
        catalog.set("PageLabels", page_labels(doc));
    }
    if !doc.meta.title.is_empty() {
        catalog.set(
            "ViewerPreferences",
            Dictionary::from_iter([("DisplayDocTitle", Object::Boolean(true))]),
        );
    }

    super::form::add_fields(&mut pdf, doc, &page_ids, catalog_id)?;

    let info = Object::Dictionary(info(doc)?);
    match pdf.trailer.get(b"Info").and_then(Object::as_reference) {
        Ok(id) => {
            pdf.objects.insert(id, info);
        }
        Err(_) => {
            let id = pdf.add_object(info);
            pdf.trailer.set("Info", id);
        }
    }

    compress(&mut pdf);
    close_numbering_gaps(&mut pdf);
    let id = Object::String(ID_PLACEHOLDER.to_vec(), StringFormat::Hexadecimal);
    pdf.trailer.set("ID", Object::Array(vec![id.clone(), id]));
    let mut bytes = Vec::new();
    pdf.save_to(&mut bytes)
        .map_err(|e| Error::Pdf(format!("cannot write the file: {e}")))?;
    stamp_id(&mut bytes, &doc.meta.identifier)?;
    Ok(bytes)
}

/// Numbers the objects 1, 2, 3… in their present order, so the cross-reference table is
/// one unbroken run after the census page's objects were dropped. A table with gaps is
/// legal, but poppler (22.x) then rebuilds it and reports "Couldn't find trailer
/// dictionary" on files whose /Info title is longer than 128 bytes — an error a print
/// service's preflight may well repeat.
fn close_numbering_gaps(pdf: &mut lopdf::Document) {
    let renumbered: std::collections::HashMap<ObjectId, ObjectId> = pdf
        .objects
        .keys()
        .enumerate()
        .map(|(i, &id)| (id, (i as u32 + 1, id.1)))
        .filter(|(old, new)| old != new)
        .collect();
    if renumbered.is_empty() {
        return;
    }
    fn follow(
        object: &mut Object,
        renumbered: &std::collections::HashMap<ObjectId, ObjectId>,
    ) {
        match object {
            Object::Reference(id) => {
                if let Some(new) = renumbered.get(id) {
                    *id = *new;
                }
            }
            Object::Array(items) => items.iter_mut().for_each(|o| follow(o, renumbered)),
            Object::Dictionary(d) => {
                d.iter_mut().for_each(|(_, o)| follow(o, renumbered))
            }
            Object::Stream(s) => {
                s.dict.iter_mut().for_each(|(_, o)| follow(o, renumbered))
            }
            _ => {}
        }
    }
    let objects = std::mem::take(&mut pdf.objects);
    for (id, mut object) in objects {
        follow(&mut object, &renumbered);
        pdf.objects.insert(renumbered.get(&id).copied().unwrap_or(id), object);
    }
    pdf.trailer.iter_mut().for_each(|(_, o)| follow(o, &renumbered));
    pdf.max_id = pdf.objects.len() as u32;
}

/// Takes a page out of the page tree and drops its objects (its dictionary, content
/// stream and resource dictionary; the resources it names are shared and stay).
fn remove_page(pdf: &mut lopdf::Document, page: ObjectId) -> Result<()> {
    let dict = pdf
        .get_dictionary(page)
        .map_err(|e| Error::Pdf(format!("printpdf's output has no census page: {e}")))?;
    let parent = reference(dict, b"Parent", "page tree")?;
    let owned: Vec<ObjectId> = [b"Contents".as_slice(), b"Resources"]
        .iter()
        .filter_map(|key| dict.get(key).and_then(Object::as_reference).ok())
        .collect();
    let tree = dict_mut(pdf, parent, "page tree")?;
    if let Ok(Object::Array(kids)) = tree.get_mut(b"Kids") {
        kids.retain(|kid| kid.as_reference().ok() != Some(page));
    }
    if let Ok(Object::Integer(count)) = tree.get_mut(b"Count") {
        *count -= 1;
    }
    pdf.objects.remove(&page);
    for id in owned {
        pdf.objects.remove(&id);
    }
    Ok(())
}

/// A dictionary object of the document, for editing.
pub(super) fn dict_mut<'a>(
    pdf: &'a mut lopdf::Document,
    id: ObjectId,
    what: &str,
) -> Result<&'a mut Dictionary> {
    pdf.get_object_mut(id)
        .and_then(Object::as_dict_mut)
        .map_err(|e| Error::Pdf(format!("printpdf's output has no usable {what}: {e}")))
}

/// The object a dictionary entry refers to.
fn reference(dict: &Dictionary, key: &[u8], what: &str) -> Result<ObjectId> {
    dict.get(key)
        .and_then(Object::as_reference)
        .map_err(|e| Error::Pdf(format!("printpdf's output has no usable {what}: {e}")))
}

/// Writes the page boxes as `[llx lly urx ury]` (printpdf writes `[x y width height]`,
/// which is only right for boxes at the origin): the media box, the trim box, and, when
/// the page has bleed, a bleed box and crop box equal to the media box. Also drops the
/// empty `/Annots` array printpdf gives pages without links.
fn fix_page(dict: &mut Dictionary, page: &Page) {
    let (w, h) = (page.width.0, page.height.0);
    let media = [0.0, 0.0, w, h];
    let t = page.trim;
    let trim = [t.x.0, h - (t.y.0 + t.height.0), t.x.0 + t.width.0, h - t.y.0];
    dict.set("MediaBox", box_array(media));
    dict.set("TrimBox", box_array(trim));
    if trim == media {
        dict.remove(b"BleedBox");
        dict.remove(b"CropBox");
    } else {
        dict.set("BleedBox", box_array(media));
        dict.set("CropBox", box_array(media));
    }
    if dict.get(b"Annots").and_then(Object::as_array).is_ok_and(Vec::is_empty) {
        dict.remove(b"Annots");
    }
}

/// Makes each of a page's annotations an object of its own, referred to from `/Annots`
/// (ISO 32000-1, Table 30: the array "shall contain indirect references"); printpdf
/// writes the dictionaries inline. Each also gets `/P`, its page.
fn indirect_annotations(pdf: &mut lopdf::Document, page: ObjectId) -> Result<()> {
    let dict = dict_mut(pdf, page, "a page")?;
    let Ok(Object::Array(annots)) = dict.get(b"Annots").cloned() else { return Ok(()) };
    let mut refs = Vec::with_capacity(annots.len());
    for annot in annots {
        match annot {
            Object::Dictionary(mut link) => {
                link.set("P", Object::Reference(page));
                refs.push(Object::Reference(pdf.add_object(Object::Dictionary(link))));
            }
            other => refs.push(other),
        }
    }
    dict_mut(pdf, page, "a page")?.set("Annots", Object::Array(refs));
    Ok(())
}

/// A box as a PDF array, whole numbers as integers.
fn box_array(values: [f64; 4]) -> Object {
    Object::Array(values.into_iter().map(number).collect())
}

/// A length as a PDF number: an integer when it is whole, otherwise a real.
pub(super) fn number(v: f64) -> Object {
    if v.fract() == 0.0 && v.abs() < 1e9 {
        Object::Integer(v as i64)
    } else {
        Object::Real(v as f32)
    }
}

/// A PDF text string: plain for printable ASCII, otherwise UTF-16BE with a byte order
/// mark.
pub(super) fn text_string(text: &str) -> Object {
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        Object::String(text.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut bytes = vec![0xfe, 0xff];
        for unit in text.encode_utf16() {
            bytes.extend_from_slice(&unit.to_be_bytes());
        }
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

/// Writes the outline tree and returns the reference to its root. Entries keep the
/// document's order and nesting; entries with children start closed, so the reader sees
/// the book's parts and essays first.
fn outline(
    pdf: &mut lopdf::Document,
    entries: &[OutlineEntry],
    pages: &[ObjectId],
) -> ObjectId {
    let root = pdf.new_object_id();
    let mut dict = Dictionary::from_iter([
        ("Type", Object::Name(b"Outlines".to_vec())),
        ("Count", Object::Integer(entries.len() as i64)),
    ]);
    if let Some((first, last)) = outline_items(pdf, entries, root, pages) {
        dict.set("First", first);
        dict.set("Last", last);
    }
    pdf.objects.insert(root, Object::Dictionary(dict));
    root
}

/// Writes one level of outline items under `parent`; returns the first and last item
/// (none for no entries). Page indices were checked against `pages` beforehand.
fn outline_items(
    pdf: &mut lopdf::Document,
    entries: &[OutlineEntry],
    parent: ObjectId,
    pages: &[ObjectId],
) -> Option<(ObjectId, ObjectId)> {
    let ids: Vec<ObjectId> = entries.iter().map(|_| pdf.new_object_id()).collect();
    for (i, entry) in entries.iter().enumerate() {
        let page = pages.get(entry.page).map_or(Object::Null, |p| Object::Reference(*p));
        let mut item = Dictionary::from_iter([
            ("Title", text_string(&entry.title)),
            ("Parent", Object::Reference(parent)),
            (
                "Dest",
                Object::Array(vec![
                    page,
                    Object::Name(b"XYZ".to_vec()),
                    Object::Null,
                    Object::Null,
                    Object::Null,
                ]),
            ),
        ]);
        if i > 0 {
            item.set("Prev", ids[i - 1]);
        }
        if let Some(next) = ids.get(i + 1) {
            item.set("Next", *next);
        }
        if let Some((first, last)) = outline_items(pdf, &entry.children, ids[i], pages) {
            item.set("First", first);
            item.set("Last", last);
            // Negative: closed, with this many children shown when opened.
            item.set("Count", -(entry.children.len() as i64));
        }
        pdf.objects.insert(ids[i], Object::Dictionary(item));
    }
    Some((*ids.first()?, *ids.last()?))
}

/// The catalog's `/PageLabels` number tree. A range for page 0 is required, so one
/// without numbers is added if the document's first range starts later.
fn page_labels(doc: &Document) -> Object {
    let mut labels = doc.page_labels.clone();
    // Sorting is stable, so of two ranges for the same page the first given is kept.
    labels.sort_by_key(|l| l.from_page);
    labels.dedup_by(|later, earlier| later.from_page == earlier.from_page);
    let mut nums = Vec::with_capacity(labels.len() * 2 + 2);
    if labels.first().is_some_and(|l| l.from_page > 0) {
        nums.push(Object::Integer(0));
        nums.push(Object::Dictionary(Dictionary::new()));
    }
    for label in labels {
        let style = match label.style {
            LabelStyle::LowerRoman => "r",
            LabelStyle::Decimal => "D",
        };
        nums.push(Object::Integer(label.from_page as i64));
        nums.push(Object::Dictionary(Dictionary::from_iter([
            ("S", Object::Name(style.as_bytes().to_vec())),
            ("St", Object::Integer(i64::from(label.first))),
        ])));
    }
    Object::Dictionary(Dictionary::from_iter([("Nums", Object::Array(nums))]))
}

/// The document information dictionary, built from scratch: printpdf's always names a
/// PDF/X version (so readers think the file claims PDF/X) and has a non-standard
/// `/Identifier`.
fn info(doc: &Document) -> Result<Dictionary> {
    let meta = &doc.meta;
    let mut info = Dictionary::new();
    let keywords = meta.keywords.join(", ");
    for (key, value) in [
        ("Title", &meta.title),
        ("Author", &meta.author),
        ("Subject", &meta.subject),
        ("Keywords", &keywords),
    ] {
        if !value.is_empty() {
            info.set(key, text_string(value));
        }
    }
    info.set("Creator", text_string("quire"));
    info.set("Producer", text_string("quire"));
    if !meta.date.is_empty() {
        let date = pdf_date(&meta.date).ok_or_else(|| {
            Error::Pdf(format!("the date {:?} is not written YYYY-MM-DD", meta.date))
        })?;
        info.set(
            "CreationDate",
            Object::String(date.clone().into_bytes(), StringFormat::Literal),
        );
        info.set("ModDate", Object::String(date.into_bytes(), StringFormat::Literal));
    }
    Ok(info)
}

/// `YYYY-MM-DD` as a PDF date at midnight UTC.
fn pdf_date(date: &str) -> Option<String> {
    let b = date.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        b.get(range).filter(|d| d.iter().all(u8::is_ascii_digit))
    };
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let number = |d: &[u8]| d.iter().fold(0u32, |n, c| n * 10 + u32::from(c - b'0'));
    if !(1..=12).contains(&number(month)) || !(1..=31).contains(&number(day)) {
        return None;
    }
    let text = |d: &[u8]| String::from_utf8_lossy(d).into_owned();
    Some(format!("D:{}{}{}000000Z", text(year), text(month), text(day)))
}

/// Flate-compresses every stream that may be and is not yet, on the build's pool. Each
/// stream is compressed on its own, so the bytes do not depend on which thread took it.
fn compress(pdf: &mut lopdf::Document) {
    let mut streams: Vec<&mut Stream> = pdf
        .objects
        .values_mut()
        .filter_map(|object| match object {
            Object::Stream(s)
                if s.allows_compression && s.dict.get(b"Filter").is_err() =>
            {
                Some(s)
            }
            _ => None,
        })
        .collect();
    // Biggest first, so that no big stream is left for last on one thread.
    streams.sort_by_key(|s| std::cmp::Reverse(s.content.len()));
    crate::parallel::for_each_mut(&mut streams, |stream| compress_one(stream));
}

/// Flate level for content streams: level 6 (zlib's default) gives files within a few
/// per cent of level 9 at a fraction of the time lopdf's own `compress` (level 9) takes.
const FLATE_LEVEL: u32 = 6;

/// Compresses one stream; a stream that fails to compress stays as it is, still valid.
fn compress_one(stream: &mut Stream) {
    if let Some(compressed) = deflate(&stream.content) {
        stream.dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        stream.set_content(compressed);
    }
}

/// `bytes` Flate-compressed, if that makes them smaller.
fn deflate(bytes: &[u8]) -> Option<Vec<u8>> {
    use std::io::Write;
    let mut encoder = flate2::write::ZlibEncoder::new(
        Vec::with_capacity(bytes.len() / 3),
        flate2::Compression::new(FLATE_LEVEL),
    );
    encoder.write_all(bytes).ok()?;
    encoder.finish().ok().filter(|compressed| compressed.len() < bytes.len())
}

/// Replaces the placeholder trailer `/ID` by a hash of the book identifier and the
/// finished file (both entries the same: the file is only ever written whole).
fn stamp_id(bytes: &mut [u8], identifier: &str) -> Result<()> {
    let mut hash = Fnv128::new();
    hash.write(identifier.as_bytes());
    hash.write(&[0]);
    hash.write(bytes);
    let hex: Vec<u8> = format!("{:032X}", hash.finish()).into_bytes();
    let placeholder: Vec<u8> = std::iter::once(b'<')
        .chain(ID_PLACEHOLDER.iter().flat_map(|b| format!("{b:02X}").into_bytes()))
        .chain(std::iter::once(b'>'))
        .collect();
    let trailer = find_last(bytes, b"trailer")
        .ok_or_else(|| Error::Pdf("the file has no trailer".into()))?;
    let mut replaced = 0;
    let mut from = trailer;
    while let Some(at) = find_from(bytes, &placeholder, from) {
        bytes[at + 1..at + 1 + hex.len()].copy_from_slice(&hex);
        from = at + placeholder.len();
        replaced += 1;
    }
    if replaced == 2 {
        Ok(())
    } else {
        Err(Error::Pdf("the trailer /ID was not written as expected".into()))
    }
}

/// Position of the last occurrence of `needle`.
fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).rposition(|w| w == needle)
}

/// Position of the first occurrence of `needle` at or after `from`.
fn find_from(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}
