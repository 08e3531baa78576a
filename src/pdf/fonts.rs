//! Font embedding: which faces and glyphs a document uses, the subset font programs,
//! and the glyph-id and width tables the drawing code needs.
//!
//! printpdf 0.12.8 without its `text_layout` feature embeds every font whole and ignores
//! `PdfSaveOptions::subset_fonts`. So the subsetting happens here, with the same allsorts
//! call printpdf would make: the subset program goes to printpdf as if it were a complete
//! font, the content streams use the renumbered ids, and the `/BaseFont` gets its subset
//! tag through `ParsedFont::font_name` (printpdf would otherwise use its random resource
//! id as the font's name).

use super::Fnv128;
use crate::error::{Error, Result};
use crate::layout::page::{Document, PageItem};
use crate::text::font::{FontId, FontSet};
use allsorts::binary::read::ReadScope;
use allsorts::font_data::FontData;
use allsorts::subset::{CmapTarget, SubsetProfile, subset};
use printpdf::{
    Codepoint, Op, ParsedFont, PdfDocument, PdfFont, PdfFontHandle, Pt, TextItem,
};

/// Marks a glyph id that the document does not use.
const UNUSED: u16 = u16::MAX;

/// Every face the document uses, ready to draw with and to hand to printpdf.
pub(super) struct Embedded {
    /// Indexed by [`FontId`]; `None` for faces the document never uses.
    faces: Vec<Option<EmbeddedFace>>,
}

/// One embedded face.
pub(super) struct EmbeddedFace {
    /// printpdf's resource handle (`F0`, `F1`…, after the quire font id).
    pub resource: printpdf::FontId,
    /// Original glyph id → glyph id in the embedded program ([`UNUSED`] if not used).
    new_id: Vec<u16>,
    /// Embedded glyph id → advance in thousandths of an em, exactly as printpdf writes
    /// it into `/W` and as viewers advance the pen.
    width: Vec<i64>,
    /// `1000 / units_per_em`: font units → thousandths of an em.
    pub to_thousandths: f64,
    /// The original glyphs used, ascending, each with its text (see
    /// [`EmbeddedFace::census`]).
    used: Vec<(u16, Box<str>)>,
    /// The font program, until [`Embedded::register`] hands it to printpdf.
    parsed: ParsedFont,
}

impl EmbeddedFace {
    /// The embedded glyph id and its `/W` advance for an original glyph id.
    #[inline]
    pub fn glyph(&self, id: u16) -> (u16, i64) {
        let new = self.new_id.get(usize::from(id)).copied().unwrap_or(0);
        let new = if new == UNUSED { 0 } else { new };
        (new, self.width.get(usize::from(new)).copied().unwrap_or(0))
    }

    /// A `TJ` showing every glyph the document uses in this face once, each carrying
    /// its text, for printpdf: it builds the face's `/W` widths and ToUnicode CMap from
    /// the glyphs it sees drawn, and the real pages are written without it (see
    /// `draw.rs`), so this is drawn on an extra page that `finish.rs` removes.
    ///
    /// The text of a glyph is the one of its last occurrence that starts a cluster (a
    /// ligature carries "ffi"), so a glyph that also shows up inside a cluster still
    /// extracts as itself; a glyph that only ever continues a cluster (whose characters
    /// its cluster's first glyph already carries) gets an empty text, which printpdf
    /// leaves out of the CMap. The corollary, inherent in ToUnicode, is that a glyph
    /// shared by two texts (a small capital shared by `a` and `A`) extracts as one.
    pub fn census(&self) -> Vec<Codepoint> {
        self.used
            .iter()
            .map(|(id, text)| Codepoint {
                gid: self.glyph(*id).0,
                offset: 0.0,
                cid: Some(text.to_string()),
            })
            .collect()
    }
}

impl Embedded {
    /// The embedded face for a quire font id, if the document uses it.
    #[inline]
    pub fn face(&self, id: FontId) -> Option<&EmbeddedFace> {
        self.faces.get(usize::from(id.0)).and_then(Option::as_ref)
    }

    /// The ops of the census page: every used glyph of every face, once (see
    /// [`EmbeddedFace::census`]).
    pub fn census_ops(&self) -> Vec<Op> {
        let mut ops = vec![Op::StartTextSection];
        for face in self.faces.iter().flatten() {
            ops.push(Op::SetFont {
                font: PdfFontHandle::External(face.resource.clone()),
                size: Pt(10.0),
            });
            ops.push(Op::ShowText { items: vec![TextItem::GlyphIds(face.census())] });
        }
        ops.push(Op::EndTextSection);
        ops
    }

    /// Puts the font programs into printpdf's resources under their fixed names (a
    /// copy each: documents that share the embedding each get the same programs).
    pub fn register(&self, pdf: &mut PdfDocument) {
        for face in self.faces.iter().flatten() {
            pdf.resources
                .fonts
                .map
                .insert(face.resource.clone(), PdfFont::new(face.parsed.clone()));
        }
    }
}

/// How a document uses one face, by original glyph id.
#[derive(Default)]
struct Usage<'a> {
    /// Whether the glyph is drawn at all.
    used: Vec<bool>,
    /// The text of the glyph's last occurrence that starts a cluster.
    text: Vec<Option<&'a str>>,
}

impl<'a> Usage<'a> {
    #[inline]
    fn record(&mut self, id: u16, text: Option<&'a str>) {
        let id = usize::from(id);
        if id >= self.used.len() {
            self.used.resize(id + 1, false);
            self.text.resize(id + 1, None);
        }
        self.used[id] = true;
        if text.is_some() {
            self.text[id] = text;
        }
    }

    /// The used glyph ids in ascending order.
    fn ids(&self) -> Vec<u16> {
        // `used` is indexed by u16 glyph ids, so every index fits in u16.
        self.used
            .iter()
            .enumerate()
            .filter(|(_, u)| **u)
            .map(|(id, _)| id as u16)
            .collect()
    }

    /// The text a glyph extracts as ("" for none).
    fn text_of(&self, id: u16) -> &'a str {
        self.text.get(usize::from(id)).copied().flatten().unwrap_or("")
    }
}

/// The text a glyph of a run starts, if it starts a cluster.
#[inline]
fn cluster_text(text: &str, range: (u32, u32)) -> Option<&str> {
    let (start, end) = range;
    if start < end { text.get(start as usize..end as usize) } else { None }
}

/// Collects the glyphs of every face the documents use, in order, and embeds those
/// faces once for all of them: subset, or whole when `full_fonts` is set. Documents
/// drawn with one embedding show the same glyph with the same code, so a page drawn for
/// one of them is drawn for all (the handouts and their packet).
pub(super) fn embed(
    docs: &[&Document],
    full_fonts: bool,
    fonts: &FontSet,
) -> Result<Embedded> {
    let face_count = fonts.faces().count();
    let mut used: Vec<Option<Usage<'_>>> = (0..face_count).map(|_| None).collect();
    for page in docs.iter().flat_map(|doc| &doc.pages) {
        for item in &page.items {
            if let PageItem::Text(run) | PageItem::Coloured { run, .. } = item {
                if run.glyphs.is_empty() {
                    continue;
                }
                let Some(slot) = used.get_mut(usize::from(run.font.0)) else {
                    return Err(Error::Pdf(format!(
                        "a text run uses font {}, but there are only {face_count} faces",
                        run.font.0
                    )));
                };
                let usage = slot.get_or_insert_with(Usage::default);
                for glyph in &run.glyphs {
                    usage.record(glyph.id, cluster_text(&run.text, glyph.text));
                }
            }
        }
    }

    let mut faces = Vec::with_capacity(face_count);
    for (index, usage) in used.into_iter().enumerate() {
        let Some(usage) = usage else {
            faces.push(None);
            continue;
        };
        // `index` < face_count, which came from a FontSet indexed by u8.
        let id = FontId(index as u8);
        let ids = usage.ids();
        let (parsed, new_id) = if full_fonts {
            whole(fonts, id, &ids)?
        } else {
            subsetted(fonts, id, &ids)?
        };
        let width = widths(
            &parsed,
            new_id
                .iter()
                .filter(|&&n| n != UNUSED)
                .max()
                .map_or(1, |&n| usize::from(n) + 1),
        );
        faces.push(Some(EmbeddedFace {
            resource: resource(id),
            new_id,
            width,
            to_thousandths: thousandths(&parsed),
            used: ids.iter().map(|&id| (id, usage.text_of(id).into())).collect(),
            parsed,
        }));
    }
    Ok(Embedded { faces })
}

/// The resource name printpdf writes for a face (`/F0`…).
fn resource(id: FontId) -> printpdf::FontId {
    printpdf::FontId(format!("F{}", id.0))
}

/// The face's program with just the glyphs `used` (ascending), renumbered from 1 with
/// `.notdef` as glyph 0, and the map from original to new glyph ids.
fn subsetted(
    fonts: &FontSet,
    id: FontId,
    used: &[u16],
) -> Result<(ParsedFont, Vec<u16>)> {
    let face = fonts.face(id);
    let name = face.postscript_name;
    let keep: Vec<u16> =
        std::iter::once(0).chain(used.iter().copied().filter(|&g| g != 0)).collect();
    let fail = |what: &str, why: String| {
        Error::Pdf(format!("cannot subset {name}: {what}: {why}"))
    };
    let file = ReadScope::new(face.data)
        .read::<FontData<'_>>()
        .map_err(|e| fail("reading the font", e.to_string()))?;
    let provider =
        file.table_provider(0).map_err(|e| fail("reading the font", e.to_string()))?;
    let program = subset(&provider, &keep, &SubsetProfile::Pdf, CmapTarget::Unicode)
        .map_err(|e| fail("subsetting", e.to_string()))?;
    let mut warnings = Vec::new();
    let mut parsed = ParsedFont::from_bytes(&program, 0, &mut warnings)
        .ok_or_else(|| fail("reading the subset back", format!("{warnings:?}")))?;
    parsed.font_name = Some(format!("{}+{name}", tag(name, &keep)));

    // allsorts numbers the subset's glyphs in the order they were asked for.
    let mut new_id = vec![UNUSED; usize::from(keep.last().copied().unwrap_or(0)) + 1];
    for (new, &old) in keep.iter().enumerate() {
        // keep.len() <= 65536 distinct u16 ids, so the position fits in u16.
        new_id[usize::from(old)] = new as u16;
    }
    Ok((parsed, new_id))
}

/// The face's whole program, glyph ids unchanged.
fn whole(fonts: &FontSet, id: FontId, used: &[u16]) -> Result<(ParsedFont, Vec<u16>)> {
    let face = fonts.face(id);
    let mut warnings = Vec::new();
    let mut parsed =
        ParsedFont::from_bytes(face.data, 0, &mut warnings).ok_or_else(|| {
            Error::Pdf(format!("cannot read font {}: {warnings:?}", face.postscript_name))
        })?;
    parsed.font_name = Some(face.postscript_name.to_string());
    let len = usize::from(used.last().copied().unwrap_or(0)) + 1;
    let new_id: Vec<u16> = (0..len).map(|g| g as u16).collect();
    Ok((parsed, new_id))
}

/// `1000 / units_per_em` of a parsed font.
fn thousandths(parsed: &ParsedFont) -> f64 {
    1000.0 / f64::from(parsed.pdf_font_metrics.units_per_em.max(1))
}

/// The `/W` advances of glyphs `0..count`, computed the way printpdf computes them
/// (hmtx advance scaled to 1/1000 em in `f32`, truncated), so that the `TJ` corrections
/// are measured from the very pen position the viewer will use.
fn widths(parsed: &ParsedFont, count: usize) -> Vec<i64> {
    let upem = f32::from(parsed.pdf_font_metrics.units_per_em.max(1));
    (0..count)
        .map(|g| {
            let advance = u16::try_from(g)
                .ok()
                .and_then(|g| parsed.get_glyph_width(g))
                .unwrap_or(0);
            (f32::from(advance) * 1000.0 / upem) as i64
        })
        .collect()
}

/// The six-letter subset tag: upper-case letters from a hash of the face name and the
/// glyph set, so the same glyphs always give the same tag.
fn tag(name: &str, glyphs: &[u16]) -> String {
    let mut hash = Fnv128::new();
    hash.write(name.as_bytes());
    for g in glyphs {
        hash.write(&g.to_be_bytes());
    }
    let mut value = hash.finish();
    (0..6)
        .map(|_| {
            // value % 26 < 26, so the sum stays within 'A'..='Z'.
            let letter = char::from(b'A' + (value % 26) as u8);
            value /= 26;
            letter
        })
        .collect()
}
