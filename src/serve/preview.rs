//! What the preview page shows after a good build: the chapters, the EPUB's own files
//! (read back from the EPUB the build wrote, so the ebook view is what readers get), and
//! the paperback's pages of each chapter, with a fingerprint of each view so the page
//! reloads only the views that changed.

use crate::error::{Error, Location, Result, Warning};
use crate::layout::book::Typeset;
use crate::layout::page::{Document, PageItem, page_label};
use crate::model::Book;
use std::collections::HashMap;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Read;
use std::ops::Range;
use std::path::Path;

/// One chapter as the page lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ChapterView {
    /// The chapter's slug.
    pub slug: String,
    /// Its title as plain text (numbered when the book numbers it).
    pub title: String,
    /// Its source file, relative to the manuscript folder.
    pub source: String,
    /// Its XHTML document's path inside the EPUB.
    pub ebook: String,
    /// The paperback's pages it covers (0-based, end exclusive); empty when it has none.
    pub pages: Range<usize>,
    /// Changes when the chapter's ebook document (or the stylesheet) changes.
    pub ebook_hash: String,
    /// Changes when the chapter's printed pages change.
    pub print_hash: String,
    /// A fingerprint of each of its pages, so that only the pages that changed are
    /// drawn again.
    pub page_hashes: Vec<String>,
}

/// A good build, as the page shows it.
pub struct Preview {
    /// The book's title.
    pub title: String,
    /// Every chapter, in reading order.
    pub chapters: Vec<ChapterView>,
    /// The EPUB's files, by their path inside it.
    pub epub: HashMap<String, Vec<u8>>,
    /// The paperback's pages.
    pub document: Document,
    /// The printed folio of each page ("" when it has none).
    pub folios: Vec<String>,
    /// The files the page may show as source: book.toml and the chapter files, relative
    /// to the manuscript folder.
    pub sources: Vec<String>,
}

/// One problem, as the page lists it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Diagnostic {
    /// `error` or `warning`.
    pub level: &'static str,
    /// The whole message, place included, as the command line prints it.
    pub text: String,
    /// The file, relative to the manuscript folder, when there is one.
    pub file: Option<String>,
    /// 1-based line (0 when unknown).
    pub line: usize,
}

impl Diagnostic {
    fn new(level: &'static str, text: String, at: Option<&Location>, dir: &Path) -> Self {
        let file = at.map(|at| {
            at.path.strip_prefix(dir).unwrap_or(&at.path).to_string_lossy().into_owned()
        });
        Diagnostic { level, text, file, line: at.map_or(0, |at| at.line) }
    }

    /// A warning of a build.
    pub fn warning(w: &Warning, dir: &Path) -> Self {
        Self::new("warning", w.to_string(), w.at.as_ref(), dir)
    }

    /// The errors that stopped a build, one by one.
    pub fn errors(err: &Error, dir: &Path) -> Vec<Self> {
        err.each()
            .iter()
            .map(|e| Self::new("error", e.to_string(), e.location(), dir))
            .collect()
    }
}

impl Preview {
    /// The preview of a build that wrote `epub` (the file's bytes) and laid out the
    /// paperback as `typeset`.
    pub fn new(
        book: &Book,
        epub: &[u8],
        typeset: Typeset,
        config_file: &str,
    ) -> Result<Self> {
        let epub = unzip(epub)?;
        let document = typeset.document;
        let folios: Vec<String> = (0..document.pages.len())
            .map(|i| page_label(&document.page_labels, i))
            .collect();
        let starts: Vec<Option<usize>> = book
            .chapters
            .iter()
            .map(|c| {
                let folio = typeset.folios.get(&c.slug)?;
                folios.iter().position(|f| f == folio)
            })
            .collect();
        let styles: Vec<&String> = {
            let mut names: Vec<&String> =
                epub.keys().filter(|k| k.ends_with(".css")).collect();
            names.sort();
            names
        };
        let mut chapters = Vec::with_capacity(book.chapters.len());
        for (i, chapter) in book.chapters.iter().enumerate() {
            let file = crate::epub::xhtml::chapter_file(chapter);
            let ebook = epub
                .keys()
                .filter(|k| k.rsplit('/').next() == Some(file.as_str()))
                .min()
                .cloned()
                .unwrap_or_default();
            let pages = match starts[i] {
                Some(start) => {
                    let end = starts
                        .iter()
                        .flatten()
                        .filter(|&&s| s > start)
                        .min()
                        .copied()
                        .unwrap_or(document.pages.len());
                    start..end
                }
                None => 0..0,
            };
            let mut h = DefaultHasher::new();
            epub.get(&ebook).hash(&mut h);
            for css in &styles {
                epub.get(*css).hash(&mut h);
            }
            let ebook_hash = format!("{:016x}", h.finish());
            let print_hash =
                format!("{:016x}", hash_pages(&document, &folios, pages.clone()));
            let page_hashes = pages
                .clone()
                .map(|p| format!("{:016x}", hash_pages(&document, &folios, p..p + 1)))
                .collect();
            chapters.push(ChapterView {
                slug: chapter.slug.clone(),
                title: chapter.numbered_title(),
                source: chapter.source.to_string_lossy().into_owned(),
                ebook,
                pages,
                ebook_hash,
                print_hash,
                page_hashes,
            });
        }
        let mut sources = vec![config_file.to_string()];
        sources.extend(chapters.iter().map(|c| c.source.clone()));
        Ok(Preview {
            title: book.meta.title.clone(),
            chapters,
            epub,
            document,
            folios,
            sources,
        })
    }
}

/// Every file of an EPUB, by its path inside it.
fn unzip(bytes: &[u8]) -> Result<HashMap<String, Vec<u8>>> {
    let bad =
        |e: zip::result::ZipError| Error::Epub(format!("cannot read back the EPUB: {e}"));
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(bad)?;
    let mut files = HashMap::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).map_err(bad)?;
        if entry.is_dir() {
            continue;
        }
        let mut data = Vec::with_capacity(entry.size() as usize);
        entry
            .read_to_end(&mut data)
            .map_err(|e| Error::Epub(format!("cannot read back the EPUB: {e}")))?;
        files.insert(entry.name().to_string(), data);
    }
    Ok(files)
}

/// A fingerprint of what pages `range` draw, and their folios.
fn hash_pages(document: &Document, folios: &[String], range: Range<usize>) -> u64 {
    let mut h = DefaultHasher::new();
    for i in range {
        folios[i].hash(&mut h);
        let page = &document.pages[i];
        page.width.0.to_bits().hash(&mut h);
        page.height.0.to_bits().hash(&mut h);
        for item in &page.items {
            match item {
                PageItem::Text(run) => {
                    run.x.0.to_bits().hash(&mut h);
                    run.y.0.to_bits().hash(&mut h);
                    run.font.0.hash(&mut h);
                    run.size.0.to_bits().hash(&mut h);
                    run.stretch.to_bits().hash(&mut h);
                    run.text.hash(&mut h);
                    for g in &run.glyphs {
                        (g.id, g.advance).hash(&mut h);
                    }
                }
                other => format!("{other:?}").hash(&mut h),
            }
        }
    }
    h.finish()
}

/// The media type of a file served by its name.
pub fn content_type(name: &str) -> &'static str {
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    match ext.as_str() {
        "xhtml" => "application/xhtml+xml; charset=utf-8",
        "html" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "otf" => "font/otf",
        "ttf" => "font/ttf",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "json" => "application/json",
        "xml" | "opf" | "ncx" => "application/xml",
        _ => "application/octet-stream",
    }
}
