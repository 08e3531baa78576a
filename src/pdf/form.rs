//! Fillable text fields (an AcroForm, ISO 32000-1 §12.7): one multi-line field per
//! [`FormField`], each a widget annotation on its page, with an empty appearance so
//! that the page prints exactly as it looks without fields, and a default appearance
//! (Helvetica, 11 pt, black) that a reader uses for what is typed in.

use super::finish::{dict_mut, number, text_string};
use crate::error::Result;
use crate::layout::page::{Document, FormField};
use lopdf::{Dictionary, Object, ObjectId, Stream};

/// Field flag 13, "Multiline" (ISO 32000-1, Table 228).
const MULTILINE: i64 = 1 << 12;
/// Annotation flag 3, "Print": the (empty) appearance is printed, so the field is
/// part of the page and reader software does not hide it.
const PRINT: i64 = 1 << 2;
/// How typed text is set: the standard Helvetica, which every reader has.
const APPEARANCE: &str = "/Helv 11 Tf 0 g";

/// Adds `doc.fields` to `pdf` (`pages` are its page objects, in order) and the
/// catalog's `/AcroForm` naming them all.
pub(super) fn add_fields(
    pdf: &mut lopdf::Document,
    doc: &Document,
    pages: &[ObjectId],
    catalog: ObjectId,
) -> Result<()> {
    if doc.fields.is_empty() {
        return Ok(());
    }
    let helvetica = pdf.add_object(Dictionary::from_iter([
        ("Type", Object::Name(b"Font".to_vec())),
        ("Subtype", Object::Name(b"Type1".to_vec())),
        ("BaseFont", Object::Name(b"Helvetica".to_vec())),
        ("Encoding", Object::Name(b"WinAnsiEncoding".to_vec())),
    ]));
    let mut fields = Vec::with_capacity(doc.fields.len());
    for field in &doc.fields {
        let (Some(&page_id), Some(page)) =
            (pages.get(field.page), doc.pages.get(field.page))
        else {
            continue;
        };
        let widget = widget(pdf, field, page.height.0, page_id);
        let id = pdf.add_object(widget);
        let page_dict = dict_mut(pdf, page_id, "a page")?;
        match page_dict.get_mut(b"Annots") {
            Ok(Object::Array(annots)) => annots.push(Object::Reference(id)),
            _ => page_dict.set("Annots", Object::Array(vec![Object::Reference(id)])),
        }
        fields.push(Object::Reference(id));
    }
    let resources = Dictionary::from_iter([(
        "Font",
        Object::Dictionary(Dictionary::from_iter([(
            "Helv",
            Object::Reference(helvetica),
        )])),
    )]);
    let form = Dictionary::from_iter([
        ("Fields", Object::Array(fields)),
        ("DA", text_string(APPEARANCE)),
        ("DR", Object::Dictionary(resources)),
    ]);
    dict_mut(pdf, catalog, "the catalog")?.set("AcroForm", Object::Dictionary(form));
    Ok(())
}

/// One field and its widget in a single dictionary, as a field with one widget may be.
fn widget(
    pdf: &mut lopdf::Document,
    field: &FormField,
    page_height: f64,
    page: ObjectId,
) -> Dictionary {
    let r = field.rect;
    let (x1, x2) = (r.x.0, r.x.0 + r.width.0);
    let (y1, y2) = (page_height - (r.y.0 + r.height.0), page_height - r.y.0);
    // An empty form XObject: nothing is drawn until the reader types.
    let empty = Stream::new(
        Dictionary::from_iter([
            ("Type", Object::Name(b"XObject".to_vec())),
            ("Subtype", Object::Name(b"Form".to_vec())),
            (
                "BBox",
                Object::Array(vec![
                    number(0.0),
                    number(0.0),
                    number(x2 - x1),
                    number(y2 - y1),
                ]),
            ),
        ]),
        Vec::new(),
    );
    let appearance = pdf.add_object(Object::Stream(empty));
    Dictionary::from_iter([
        ("Type", Object::Name(b"Annot".to_vec())),
        ("Subtype", Object::Name(b"Widget".to_vec())),
        ("FT", Object::Name(b"Tx".to_vec())),
        ("Ff", Object::Integer(MULTILINE)),
        ("F", Object::Integer(PRINT)),
        ("T", text_string(&field.name)),
        ("TU", text_string(&field.label)),
        ("Rect", Object::Array([x1, y1, x2, y2].into_iter().map(number).collect())),
        ("P", Object::Reference(page)),
        ("DA", text_string(APPEARANCE)),
        (
            "AP",
            Object::Dictionary(Dictionary::from_iter([(
                "N",
                Object::Reference(appearance),
            )])),
        ),
        // No border and no background: the page's own rules are the field's look.
        ("MK", Object::Dictionary(Dictionary::new())),
    ])
}
