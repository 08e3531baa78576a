//! The EPUB 3 edition: model → content documents ([`xhtml`]) → epub-builder → a re-zip
//! step ([`fixup`]) that adds what epub-builder cannot (package `xml:lang`, publisher,
//! accessible nav). Reads only the model and the image files it names.
//!
//! Output is reproducible: the identifier, dates and zip timestamps come from the book or
//! `SOURCE_DATE_EPOCH`, never from the clock.

pub mod fixup;
pub mod xhtml;

use crate::error::{Error, Result};
use crate::model::{Block, Book, ChapterKind};
use crate::pages::{PageAnchor, PageBreak, PageList};
use epub_builder::{
    EpubBuilder, EpubContent, EpubVersion, MetadataOpfV3, ReferenceType, ZipLibrary,
};
use std::collections::BTreeMap;
use std::path::Path;

/// The ebook's cover image, made by `crate::cover`: it goes into the EPUB as the
/// manifest's `cover-image` and is shown by a cover page first in the reading order.
#[derive(Debug, Clone)]
pub struct CoverImage {
    /// Its file name in the EPUB (`cover.png`, `cover.jpg`).
    pub file: String,
    /// Its media type.
    pub media_type: &'static str,
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Its text alternative: the title and the author.
    pub alt: String,
}

/// The stylesheet every EPUB carries.
pub const STYLESHEET: &str = include_str!("style.css");

/// Renders `book` as EPUB 3 bytes; `assets` is the manuscript directory its images live in.
pub fn render(book: &Book, assets: &Path) -> Result<Vec<u8>> {
    render_with_pages(book, assets, None, None)
}

/// [`render`], carrying the print edition's pages when `pages` is given: a page-break
/// marker where each printed page begins, a page list in the navigation (and the NCX),
/// and the metadata that says where the pages come from; and with `cover`, a cover page
/// before the title page.
pub fn render_with_pages(
    book: &Book,
    assets: &Path,
    pages: Option<&PageList>,
    cover: Option<&CoverImage>,
) -> Result<Vec<u8>> {
    let marks = pages.map(|p| DocumentMarks::new(&p.breaks)).unwrap_or_default();
    let m = &book.meta;
    let e = |err: epub_builder::Error| Error::Epub(err.to_string());
    let zip = ZipLibrary::new().map_err(e)?;
    let mut builder = EpubBuilder::new(zip).map_err(e)?;
    builder.epub_version(EpubVersion::V30);
    builder.metadata("title", &m.title).map_err(e)?;
    builder.metadata("author", &m.author).map_err(e)?;
    builder.metadata("lang", &m.language).map_err(e)?;
    builder.metadata("generator", "quire").map_err(e)?;
    builder.metadata("toc_name", &book.words.contents).map_err(e)?;
    if let Some(description) = &m.description {
        builder.metadata("description", description).map_err(e)?;
    }
    for subject in &m.subjects {
        builder.metadata("subject", subject).map_err(e)?;
    }
    if let Some(rights) = &m.rights {
        builder.metadata("license", rights).map_err(e)?;
    }
    builder.set_uuid(book_uuid(&m.identifier));
    let published = date_time(&m.date)?;
    builder.set_publication_date(published);
    builder.set_modified_date(modified_date(published));
    for (property, content) in accessibility_metadata(book, pages) {
        builder.add_metadata_opf(Box::new(MetadataOpfV3::new(
            property.into(),
            xhtml::escape(&content),
        )));
    }
    builder.stylesheet(STYLESHEET.as_bytes()).map_err(e)?;

    // Images, in the order the text first shows them.
    let manuscript = crate::input::Manuscript::open(assets)
        .map_err(|source| Error::Read { path: assets.to_path_buf(), source })?;
    let mut added = std::collections::BTreeSet::new();
    for chapter in &book.chapters {
        for (src, _) in chapter_figures(chapter) {
            let key = src.to_string_lossy().replace('\\', "/");
            if added.insert(key.clone()) {
                let bytes = manuscript.read(src).map_err(|why| {
                    Error::Epub(format!(
                        "image {}: the file {why}",
                        assets.join(src).display()
                    ))
                })?;
                let format = crate::image_header::of(&mut std::io::Cursor::new(&bytes))
                    .map_err(|why| Error::Epub(format!("image {key}: the file {why}")))?
                    .format;
                builder
                    .add_resource(&key, bytes.as_slice(), format.media_type())
                    .map_err(e)?;
            }
        }
    }

    if let Some(cover) = cover {
        builder
            .add_cover_image(&cover.file, cover.bytes.as_slice(), cover.media_type)
            .map_err(e)?;
        // No title: the cover page stays out of the table of contents; its landmark is
        // added by `fixup`.
        builder
            .add_content(EpubContent::new(
                xhtml::COVER_FILE,
                xhtml::cover_page(book, &cover.file, &cover.alt).as_bytes(),
            ))
            .map_err(e)?;
    }
    builder
        .add_content(
            EpubContent::new(
                "title.xhtml",
                xhtml::title_page(book, &marks.title).as_bytes(),
            )
            .title(&book.words.title_page)
            .reftype(ReferenceType::TitlePage),
        )
        .map_err(e)?;
    builder
        .add_content(
            EpubContent::new(
                "copyright.xhtml",
                xhtml::copyright_page(book, marks.copyright.clone()).as_bytes(),
            )
            .title(&book.words.copyright)
            .reftype(ReferenceType::Copyright),
        )
        .map_err(e)?;
    let mut body_started = false;
    let part_openings: std::collections::BTreeMap<usize, &crate::model::Part> =
        book.part_openings().collect();
    for (index, chapter) in book.chapters.iter().enumerate() {
        if let Some(part) = part_openings.get(&index) {
            let part_index = book.parts.iter().position(|p| std::ptr::eq(p, *part));
            let part_marks = part_index.and_then(|i| marks.parts.get(&i));
            let doc =
                xhtml::part_page(book, part, part_marks.map_or(&[][..], Vec::as_slice));
            let mut content = EpubContent::new(xhtml::part_file(part), doc.as_bytes())
                .title(part.heading());
            if !body_started {
                body_started = true;
                content = content.reftype(ReferenceType::Text);
            }
            builder.add_content(content).map_err(e)?;
        }
        let doc = xhtml::chapter_with_pages(
            book,
            chapter,
            marks.text.get(&index).cloned().unwrap_or_default(),
        );
        let mut content = EpubContent::new(xhtml::chapter_file(chapter), doc.as_bytes());
        let w = &book.words;
        let (title, reftype) = match chapter.kind {
            ChapterKind::Dedication => {
                (w.dedication.clone(), Some(ReferenceType::Dedication))
            }
            ChapterKind::Epigraph => (w.epigraph.clone(), Some(ReferenceType::Epigraph)),
            ChapterKind::Front => (chapter.title_text(), Some(ReferenceType::Preface)),
            ChapterKind::Essay if !body_started => {
                body_started = true;
                (chapter.numbered_title(), Some(ReferenceType::Text))
            }
            ChapterKind::Essay => (chapter.numbered_title(), None),
            ChapterKind::Back if chapter.slug.starts_with("acknowledg") => {
                (chapter.title_text(), Some(ReferenceType::Acknowledgements))
            }
            ChapterKind::Back => (chapter.title_text(), None),
        };
        content = content.title(title);
        // Chapters in a part are nested under it in the navigation.
        if chapter.part.is_some() {
            content = content.level(2);
        }
        if let Some(reftype) = reftype {
            content = content.reftype(reftype);
        }
        builder.add_content(content).map_err(e)?;
    }
    let mut raw = Vec::new();
    builder.generate(&mut raw).map_err(e)?;
    let list = pages.map(|p| fixup::PageNav {
        entries: p
            .breaks
            .iter()
            .map(|b| (b.label.clone(), page_file(book, &b.anchor)))
            .collect(),
        source: p.source.clone(),
    });
    fixup::finish(&raw, book, list.as_ref(), cover.is_some())
}

/// The print edition's page markers, sorted by the document they go in.
#[derive(Default)]
struct DocumentMarks<'p> {
    /// Labels of the pages that begin at the title page.
    title: Vec<&'p str>,
    /// Markers in the copyright text, by paragraph.
    copyright: xhtml::Marks<'p>,
    /// By part index: the labels of its title page.
    parts: BTreeMap<usize, Vec<&'p str>>,
    /// By chapter index: markers in its text.
    text: BTreeMap<usize, xhtml::Marks<'p>>,
}

impl<'p> DocumentMarks<'p> {
    fn new(breaks: &'p [PageBreak]) -> Self {
        let mut marks = DocumentMarks::default();
        for b in breaks {
            let label = b.label.as_str();
            match &b.anchor {
                PageAnchor::TitlePage => marks.title.push(label),
                PageAnchor::Copyright(pos) => marks
                    .copyright
                    .entry(pos.path.clone())
                    .or_default()
                    .push((pos.word, label)),
                PageAnchor::Part(i) => marks.parts.entry(*i).or_default().push(label),
                PageAnchor::Text { chapter, pos } => marks
                    .text
                    .entry(*chapter)
                    .or_default()
                    .entry(pos.path.clone())
                    .or_default()
                    .push((pos.word, label)),
            }
        }
        marks
    }
}

/// The content document a page's marker is in.
fn page_file(book: &Book, anchor: &PageAnchor) -> String {
    let chapter = |i: &usize| book.chapters.get(*i).map(xhtml::chapter_file);
    match anchor {
        PageAnchor::TitlePage => Some("title.xhtml".to_string()),
        PageAnchor::Copyright(_) => Some("copyright.xhtml".to_string()),
        PageAnchor::Part(i) => book.parts.get(*i).map(xhtml::part_file),
        PageAnchor::Text { chapter: i, .. } => chapter(i),
    }
    .unwrap_or_else(|| "title.xhtml".to_string())
}

/// The EPUB's `urn:uuid`: the book's own UUID, or a v5 UUID derived from its identifier
/// (an ISBN, say), so it never changes between builds.
fn book_uuid(identifier: &str) -> uuid::Uuid {
    identifier
        .strip_prefix("urn:uuid:")
        .and_then(|u| uuid::Uuid::parse_str(u).ok())
        .unwrap_or_else(|| {
            uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_URL, identifier.as_bytes())
        })
}

/// Midnight UTC of a `YYYY-MM-DD` date.
fn date_time(date: &str) -> Result<chrono::DateTime<chrono::Utc>> {
    let day = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map_err(|_| Error::Epub(format!("date {date:?} is not YYYY-MM-DD")))?;
    Ok(day.and_time(chrono::NaiveTime::MIN).and_utc())
}

/// `dcterms:modified`: `SOURCE_DATE_EPOCH` when set (the reproducible-builds convention),
/// else the publication date.
fn modified_date(
    published: chrono::DateTime<chrono::Utc>,
) -> chrono::DateTime<chrono::Utc> {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .unwrap_or(published)
}

/// Discovery metadata of EPUB Accessibility 1.1, which the European Accessibility Act
/// asks of ebooks sold in the EU. With the print edition's pages, it says so
/// (`pageBreakMarkers`, `pageNavigation`, `printPageNumbers`) and names the edition
/// (`pageBreakSource`, EPUB 3.4's unprefixed property that replaces `source-of`; `dc:source`
/// is added by [`fixup`]).
fn accessibility_metadata(
    book: &Book,
    pages: Option<&PageList>,
) -> Vec<(&'static str, String)> {
    let images: Vec<FigureRef<'_>> =
        book.chapters.iter().flat_map(chapter_figures).collect();
    let has_images = !images.is_empty();
    // Claim only what the book satisfies: an image without a text alternative fails
    // WCAG 1.1.1, so then there is no conformance claim and text alone does not suffice.
    let every_alt = images.iter().all(|(_, alt)| !alt.trim().is_empty());
    let mut meta = vec![("schema:accessMode", "textual".to_string())];
    if has_images {
        meta.push(("schema:accessMode", "visual".into()));
    }
    meta.push((
        "schema:accessModeSufficient",
        if every_alt { "textual" } else { "textual,visual" }.into(),
    ));
    for feature in [
        "structuralNavigation",
        "tableOfContents",
        "readingOrder",
        "displayTransformability",
    ] {
        meta.push(("schema:accessibilityFeature", feature.into()));
    }
    if has_images && every_alt {
        meta.push(("schema:accessibilityFeature", "alternativeText".into()));
    }
    if let Some(pages) = pages {
        for feature in ["pageBreakMarkers", "pageNavigation", "printPageNumbers"] {
            meta.push(("schema:accessibilityFeature", feature.into()));
        }
        meta.push(("pageBreakSource", pages.source.clone()));
    }
    meta.push(("schema:accessibilityHazard", "none".into()));
    let pages_note = if pages.is_some() {
        ", the print edition's page numbers as page-break markers and a page list"
    } else {
        ""
    };
    let features = format!(
        "It has a navigable table of contents and landmarks, headings that follow the \
         book's structure, footnotes linked both ways{pages_note}"
    );
    let summary = if every_alt {
        format!(
            "This publication conforms to EPUB Accessibility 1.1 at WCAG 2.1 Level AA. \
             {features}, text alternatives for every image, and no fixed layout, so text \
             can be resized and restyled."
        )
    } else {
        format!(
            "{features}, and no fixed layout, so text can be resized and restyled. Some \
             images have no text alternative, so it does not claim WCAG conformance."
        )
    };
    meta.push(("schema:accessibilitySummary", summary));
    if !every_alt {
        return meta;
    }
    meta.push((
        "dcterms:conformsTo",
        "EPUB Accessibility 1.1 - WCAG 2.1 Level AA".into(),
    ));
    let certifier =
        book.meta.publisher.clone().unwrap_or_else(|| book.meta.author.clone());
    meta.push(("a11y:certifiedBy", certifier));
    meta
}

/// Every figure's image path in a chapter: body, reflection section and notes.
fn chapter_figures(
    chapter: &crate::model::Chapter,
) -> impl Iterator<Item = FigureRef<'_>> {
    let reflection =
        chapter.reflection.iter().flat_map(|r| r.block_runs().flat_map(figures));
    let notes = chapter.notes.iter().flat_map(|n| figures(&n.blocks));
    figures(&chapter.blocks).chain(reflection).chain(notes)
}

/// A figure's image path and its text alternative.
type FigureRef<'b> = (&'b Path, &'b str);

/// Every figure's image path and alt text in `blocks`, depth first.
fn figures(blocks: &[Block]) -> Box<dyn Iterator<Item = FigureRef<'_>> + '_> {
    Box::new(blocks.iter().flat_map(
        |b| -> Box<dyn Iterator<Item = FigureRef<'_>> + '_> {
            match b {
                Block::Figure { src, alt, .. } => {
                    Box::new(std::iter::once((src.as_path(), alt.as_str())))
                }
                Block::Quote { blocks } => figures(blocks),
                Block::List { items, .. } => {
                    Box::new(items.iter().flat_map(|i| figures(i)))
                }
                Block::Definitions { items, .. } => Box::new(
                    items.iter().flat_map(|(_, d)| d.iter().flat_map(|b| figures(b))),
                ),
                _ => Box::new(std::iter::empty()),
            }
        },
    ))
}
