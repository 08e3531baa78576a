//! The PDF writer: the only user of printpdf. It draws the finished pages of a
//! [`Document`] exactly where the layout engine put them and makes no layout decision of
//! its own; the one coordinate change is the y flip (layout measures down from the top,
//! PDF up from the bottom), done here and nowhere else.
//!
//! # Pipeline
//!
//! 1. **Fonts** (`fonts.rs`): one pass over every text run collects the glyph ids each face
//!    uses. Each used face is subset once with allsorts (`SubsetProfile::Pdf`, the same
//!    subsetter printpdf calls internally under its `text_layout` feature, which quire does
//!    not enable because it drags in the azul stack). The subset renumbers glyphs in the
//!    order they are passed, so a glyph's new id is its position in the sorted list, with
//!    `.notdef` first. The face is named `TAGXYZ+PostScriptName`, where the tag is derived
//!    from a hash of the glyph set, so it is stable from run to run. With
//!    [`Document::full_fonts`] the whole font is embedded under its plain PostScript name.
//! 2. **Drawing** (`draw.rs`): each page's content stream is written directly as PDF
//!    operators and compressed on its own, on all cores: printpdf's op list would hold
//!    about a hundred bytes per glyph for the whole book until it serialised. A text run
//!    is one absolute `Tm` and one `TJ` of glyph ids; the shaped advance of a glyph can
//!    differ from the font's nominal `hmtx` advance (kerning), and a viewer only knows the
//!    nominal one (printpdf writes it into `/W`), so after each glyph a `TJ` number makes
//!    up the difference: positive numbers move the pen left. Rules are stroked lines,
//!    images XObjects (`image.rs`) placed with `cm`. printpdf still writes everything
//!    around the streams: pages, fonts, images, and link annotations (with a zero-width
//!    border; printpdf's default is a visible cyan box), which stay printpdf ops.
//!
//!    printpdf builds each font's `/W` widths and ToUnicode CMap from the glyphs it sees
//!    drawn, so it is given one extra *census* page showing every used glyph once, with
//!    its text (a ligature's is "ffi"), and `finish.rs` takes that page out again. A
//!    ToUnicode CMap maps each glyph id to one text for the whole document, so a glyph
//!    shared by two texts (say a small capital shared by `a` and `A`) extracts as one of
//!    them; that is inherent in ToUnicode.
//! 3. **Finishing** (`finish.rs`): printpdf's `to_lopdf_document` output is post-processed
//!    with lopdf: the census page goes, each page gets its content stream, and then
//!    everything printpdf 0.12.8 lacks or gets wrong is put right: it writes PDF 1.3
//!    (OpenType CFF fonts need 1.6; we write 1.7), its box arrays are `[x y w h]` instead
//!    of `[llx lly urx ury]` and it has no `/BleedBox`, it has no `/Lang`, no page labels,
//!    and only a flat outline sorted by page and title with `/PageMode` as a string. Its
//!    Info dictionary always claims a PDF/X version and carries a non-standard
//!    `/Identifier`, so it is rebuilt. Streams are compressed and the trailer `/ID` is a
//!    hash of the book identifier and the finished bytes.
//!
//! # Reproducibility
//!
//! printpdf draws its resource names and the trailer `/ID` from a process-wide counter,
//! so a second document in the same process would differ from the first. Every name that
//! reaches the file is chosen here instead (`F0`…, `Im0`…, the subset tags) and the `/ID`
//! is replaced, so the same [`Document`] gives the same bytes in any process, any number
//! of times.

mod draw;
mod finish;
mod fonts;
mod form;
mod image;
#[cfg(test)]
mod tests;

use crate::error::{Error, Result};
use crate::layout::page::{Document, PageItem};
use crate::text::font::FontSet;
use printpdf::{PdfDocument, PdfParseErrorSeverity, PdfSaveOptions, XObjectId};

/// Draws a finished [`Document`] as a PDF and returns the file's bytes.
///
/// Fonts are subset unless [`Document::full_fonts`] is set; bookmarks and link
/// annotations are written only when [`Document::navigation`] is set. The output depends
/// on nothing but `doc` and `fonts`: no clock, no randomness, no process state.
///
/// # Errors
///
/// [`Error::Pdf`] when the document refers to a page, image or face that does not exist,
/// has a position or size that is not a finite number (or a type size that is not
/// positive), has a date that is not `YYYY-MM-DD`, or carries an image that is not a
/// readable PNG; and when a font cannot be subset or printpdf reports an error.
pub fn render(doc: &Document, fonts: &FontSet) -> Result<Vec<u8>> {
    check(doc)?;
    let embedded = SharedFonts(fonts::embed(&[doc], doc.full_fonts, fonts)?);
    let contents = draw_pages(doc, &embedded, Vec::new());
    assemble(doc, &embedded, contents)
}

/// Fonts embedded once for several documents (see [`shared_fonts`]).
pub struct SharedFonts(fonts::Embedded);

/// A page's content stream, drawn and compressed for one [`SharedFonts`]: the same bytes
/// serve every document drawn with those fonts.
pub use finish::PageContent;

/// Embeds the faces `docs` use, subset to the glyphs of all of them (whole with
/// `full_fonts`), so that a page drawn for one of them is drawn for all: the workshop
/// packet is put together from its handouts' pages instead of being drawn again.
///
/// # Errors
///
/// As [`render`], for the documents' text.
pub fn shared_fonts(
    docs: &[&Document],
    full_fonts: bool,
    fonts: &FontSet,
) -> Result<SharedFonts> {
    for doc in docs {
        check(doc)?;
    }
    Ok(SharedFonts(fonts::embed(docs, full_fonts, fonts)?))
}

/// Draws and compresses each page of `doc` with `fonts`, on the pool, except where
/// `drawn` already has the page (`drawn[i]`, from a document drawn with the same fonts;
/// missing or `None` entries are drawn). Pages that show images are always drawn, as a
/// document numbers its images itself.
pub fn draw_pages(
    doc: &Document,
    fonts: &SharedFonts,
    drawn: Vec<Option<PageContent>>,
) -> Vec<PageContent> {
    let orientations: Vec<u8> = doc
        .images
        .iter()
        .map(|image| {
            crate::image_header::of(&mut std::io::Cursor::new(&image.bytes))
                .map_or(1, |header| header.orientation)
        })
        .collect();
    let mut drawn = drawn;
    drawn.resize_with(doc.pages.len(), || None);
    for (done, page) in drawn.iter_mut().zip(&doc.pages) {
        if page
            .items
            .iter()
            .any(|item| matches!(item, PageItem::Image { .. } | PageItem::Clipped { .. }))
        {
            *done = None;
        }
    }
    // Only the missing pages are drawn; the others are moved, not copied.
    let missing: Vec<usize> = (0..drawn.len()).filter(|&i| drawn[i].is_none()).collect();
    let fresh = crate::parallel::map_with(
        &missing,
        || (),
        |_, _, &i| {
            finish::deflated(draw::content(&doc.pages[i], &fonts.0, &orientations))
        },
    );
    for (i, content) in missing.into_iter().zip(fresh) {
        drawn[i] = Some(content);
    }
    drawn.into_iter().flatten().collect()
}

/// Writes `doc` as a PDF from its pages' `contents` ([`draw_pages`] with `fonts`).
///
/// # Errors
///
/// As [`render`].
pub fn assemble(
    doc: &Document,
    fonts: &SharedFonts,
    contents: Vec<PageContent>,
) -> Result<Vec<u8>> {
    check(doc)?;
    let embedded = &fonts.0;
    let mut pdf = PdfDocument::new(&doc.meta.title);
    let mut used_images = vec![false; doc.images.len()];
    for page in &doc.pages {
        for item in &page.items {
            if let PageItem::Image { image, .. } | PageItem::Clipped { image, .. } = item
                && let Some(used) = used_images.get_mut(*image)
            {
                *used = true;
            }
        }
    }
    for ((index, data), used) in doc.images.iter().enumerate().zip(used_images) {
        if used {
            let (xobject, _) = image::xobject(data, index)?;
            pdf.resources.xobjects.map.insert(image_name(index), xobject);
        }
    }
    let media = |width: f64, height: f64| {
        printpdf::Rect::from_wh(printpdf::Pt(width as f32), printpdf::Pt(height as f32))
    };
    pdf.pages = doc
        .pages
        .iter()
        .map(|page| {
            let media = media(page.width.0, page.height.0);
            printpdf::PdfPage {
                media_box: media.clone(),
                trim_box: media.clone(),
                crop_box: media,
                ops: draw::links(page, doc.navigation),
            }
        })
        .collect();
    // The census page, after the last: printpdf learns every glyph's width and text
    // from it; `finish` takes it out again.
    let census = media(100.0, 100.0);
    pdf.pages.push(printpdf::PdfPage {
        media_box: census.clone(),
        trim_box: census.clone(),
        crop_box: census,
        ops: embedded.census_ops(),
    });
    embedded.register(&mut pdf);

    let options = PdfSaveOptions {
        optimize: false,
        subset_fonts: false,
        secure: true,
        image_optimization: None,
    };
    let mut warnings = Vec::new();
    let lopdf_doc = pdf.to_lopdf_document(&options, &mut warnings);
    if let Some(problem) =
        warnings.iter().find(|w| w.severity == PdfParseErrorSeverity::Error)
    {
        return Err(Error::Pdf(format!("printpdf: {}", problem.msg)));
    }
    drop(pdf);
    finish::finish(lopdf_doc, doc, contents)
}

/// The XObject resource name of image `index`.
fn image_name(index: usize) -> XObjectId {
    XObjectId(format!("Im{index}"))
}

/// Rejects documents whose references or numbers cannot be written: a bad page or image
/// index, or a coordinate that is not a finite number. These are layout bugs, reported
/// rather than drawn wrongly.
fn check(doc: &Document) -> Result<()> {
    let pages = doc.pages.len();
    let finite = |values: &[f64]| values.iter().all(|v| v.is_finite());
    for (index, page) in doc.pages.iter().enumerate() {
        let n = index + 1;
        if !(finite(&[page.width.0, page.height.0])
            && page.width.0 > 0.0
            && page.height.0 > 0.0)
        {
            return Err(Error::Pdf(format!("page {n} has no usable size")));
        }
        let t = page.trim;
        if !finite(&[t.x.0, t.y.0, t.width.0, t.height.0]) {
            return Err(Error::Pdf(format!(
                "page {n} has a trim box that is not a number"
            )));
        }
        for item in &page.items {
            let ok = match item {
                PageItem::Text(run) => {
                    finite(&[run.x.0, run.y.0, run.size.0]) && run.size.0 > 0.0
                }
                PageItem::Rule { x1, y1, x2, y2, thickness } => {
                    finite(&[x1.0, y1.0, x2.0, y2.0, thickness.0])
                }
                PageItem::Fill { rect, gray } => {
                    finite(&[rect.x.0, rect.y.0, rect.width.0, rect.height.0, *gray])
                }
                PageItem::Paint { rect, .. } => {
                    finite(&[rect.x.0, rect.y.0, rect.width.0, rect.height.0])
                }
                PageItem::Coloured { run, .. } => {
                    finite(&[run.x.0, run.y.0, run.size.0]) && run.size.0 > 0.0
                }
                PageItem::Image { image, rect }
                | PageItem::Clipped { image, rect, clip: _ } => {
                    if let PageItem::Clipped { clip, .. } = item
                        && !finite(&[clip.x.0, clip.y.0, clip.width.0, clip.height.0])
                    {
                        return Err(Error::Pdf(format!(
                            "page {n} clips an image to an area that is not a number"
                        )));
                    }
                    if *image >= doc.images.len() {
                        return Err(Error::Pdf(format!(
                            "page {n} draws image {image}, but there are {}",
                            doc.images.len()
                        )));
                    }
                    finite(&[rect.x.0, rect.y.0, rect.width.0, rect.height.0])
                }
                PageItem::Link { rect, page } => {
                    if *page >= pages {
                        return Err(Error::Pdf(format!(
                            "page {n} links to page {}, but there are {pages}",
                            page + 1
                        )));
                    }
                    finite(&[rect.x.0, rect.y.0, rect.width.0, rect.height.0])
                }
            };
            if !ok {
                return Err(Error::Pdf(format!(
                    "page {n} has an item whose position or size is not a usable number"
                )));
            }
        }
    }
    fn outline_ok(
        entries: &[crate::layout::page::OutlineEntry],
        pages: usize,
    ) -> Result<()> {
        for entry in entries {
            if entry.page >= pages {
                return Err(Error::Pdf(format!(
                    "bookmark {:?} points to page {}, but there are {pages}",
                    entry.title,
                    entry.page + 1
                )));
            }
            outline_ok(&entry.children, pages)?;
        }
        Ok(())
    }
    outline_ok(&doc.outline, pages)?;
    if let Some(label) = doc.page_labels.iter().find(|l| l.from_page >= pages) {
        return Err(Error::Pdf(format!(
            "page numbering starts at page {}, but there are {pages}",
            label.from_page + 1
        )));
    }
    Ok(())
}

/// 128-bit FNV-1a: a small, dependency-free hash for the subset tags and the trailer
/// `/ID`. Neither needs to resist attack, only to be stable and well spread.
#[derive(Clone, Copy)]
struct Fnv128(u128);

impl Fnv128 {
    const OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;

    fn new() -> Self {
        Fnv128(Self::OFFSET)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u128::from(b);
            self.0 = self.0.wrapping_mul(Self::PRIME);
        }
    }

    fn finish(self) -> u128 {
        self.0
    }
}
