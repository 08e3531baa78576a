//! The manuscript folder's contents: `book.toml`, one Markdown file per chapter and
//! `images/`, as (relative path, bytes) pairs for the caller to write all at once.
//!
//! Last phase of `quire import`. Images are checked here by their bytes, never by their
//! names: PNG and JPEG files quire can embed are copied under safe names of our own
//! making; other image formats are reported; bytes that are no image at all are an
//! error. Metadata comes from the document's core properties, else its title page,
//! else a placeholder that the report points out.

use super::document::{ImageRef, Item, Parsed, Span, plain};
use super::markdown::{self, Context, Inlines};
use super::package::{Package, PackageError};
use super::report::{Loss, Report};
use super::structure::{self, Block, Book, Kind};
use super::styles::Numbering;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// What `docProps/core.xml` says.
#[derive(Debug, Clone, Default)]
pub struct Core {
    /// `dc:title`.
    pub title: Option<String>,
    /// `dc:creator`.
    pub creator: Option<String>,
    /// `dc:language`.
    pub language: Option<String>,
    /// `dcterms:created`, the date part.
    pub created: Option<String>,
    /// `dc:description`.
    pub description: Option<String>,
}

/// Everything the manuscript needs from the earlier phases.
pub struct Input<'a> {
    /// The chapters.
    pub book: &'a Book,
    /// The walked document (links, images, notes).
    pub parsed: &'a Parsed,
    /// List definitions, for notes' blocks.
    pub numbering: &'a Numbering,
    /// Core properties.
    pub core: &'a Core,
    /// The styles' default language.
    pub style_language: Option<&'a str>,
    /// The .docx file's name without extension, the title of last resort.
    pub stem: &'a str,
    /// Bytes that identify the document, for a stable identifier.
    pub fingerprint: &'a [u8],
    /// Today's date, the date of last resort.
    pub today: &'a str,
}

/// The files of the manuscript, paths relative to its folder.
pub fn manuscript(
    input: &Input<'_>,
    package: &mut Package,
    report: &mut Report,
) -> Result<Vec<(PathBuf, Vec<u8>)>, PackageError> {
    let mut files = Vec::new();
    let images = images(
        &input.parsed.images,
        used_images(input.book),
        package,
        report,
        &mut files,
    )?;
    let mut chapters = input.book.chapters.clone();
    // quire needs at least one numbered chapter.
    if !chapters.iter().any(|c| c.kind == Kind::Essay) {
        for c in
            chapters.iter_mut().filter(|c| matches!(c.kind, Kind::Front | Kind::Back))
        {
            c.kind = Kind::Essay;
        }
    }
    if !chapters.iter().any(|c| c.kind == Kind::Essay) {
        return Err(PackageError::whole(
            "has no text to import: no paragraph outside a dedication or an epigraph",
        ));
    }
    let width = chapters.len().to_string().len().max(2);
    let mut names: Vec<(Kind, String)> = Vec::new();
    let mut slugs = std::collections::BTreeSet::new();
    for (n, chapter) in chapters.iter().enumerate() {
        let base = match chapter.kind {
            Kind::Dedication => "dedication".to_string(),
            Kind::Epigraph => "epigraph".to_string(),
            _ => {
                let s = crate::config::slugify(&plain(&chapter.title));
                if s == "book" && !plain(&chapter.title).to_lowercase().contains("book") {
                    format!("chapter-{}", n + 1)
                } else {
                    s
                }
            }
        };
        let mut slug = base.clone();
        let mut k = 2;
        while slugs.contains(&slug) {
            slug = format!("{base}-{k}");
            k += 1;
        }
        slugs.insert(slug.clone());
        let name = format!("{:0width$}-{slug}.md", n + 1);
        let text = chapter_markdown(chapter, input, &images, report);
        files.push((PathBuf::from(&name), text.into_bytes()));
        names.push((chapter.kind, name));
    }
    let toml = book_toml(input, &names, report);
    files.insert(0, (PathBuf::from("book.toml"), toml.into_bytes()));
    report.summary(format!(
        "{} chapter file(s) ({} numbered), {} image(s)",
        names.len(),
        names.iter().filter(|(k, _)| *k == Kind::Essay).count(),
        images.values().collect::<std::collections::BTreeSet<_>>().len()
    ));
    Ok(files)
}

/// Indices of the images the chapters show.
fn used_images(book: &Book) -> Vec<usize> {
    fn walk(blocks: &[Block], out: &mut Vec<usize>) {
        for b in blocks {
            match b {
                Block::Figure { image, .. } => out.push(*image),
                Block::Quote(inner) => walk(inner, out),
                Block::List { items, .. } => items.iter().for_each(|i| walk(i, out)),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    for c in &book.chapters {
        walk(&c.blocks, &mut out);
    }
    out
}

/// What the first bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sniffed {
    Png,
    Jpeg,
    /// An image format quire does not embed, by name.
    Other(&'static str),
    /// Not an image.
    Unknown,
}

/// Reads the magic bytes of `bytes`.
fn sniff(bytes: &[u8]) -> Sniffed {
    let head = &bytes[..bytes.len().min(512)];
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Sniffed::Png
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Sniffed::Jpeg
    } else if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        Sniffed::Other("GIF")
    } else if head.starts_with(b"BM") {
        Sniffed::Other("BMP")
    } else if head.starts_with(b"II*\0") || head.starts_with(b"MM\0*") {
        Sniffed::Other("TIFF")
    } else if head.len() >= 12 && &head[..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        Sniffed::Other("WebP")
    } else if head.len() >= 44
        && head.starts_with(&[1, 0, 0, 0])
        && &head[40..44] == b" EMF"
    {
        Sniffed::Other("EMF")
    } else if head.starts_with(&[0xD7, 0xCD, 0xC6, 0x9A])
        || head.starts_with(&[1, 0, 9, 0])
    {
        Sniffed::Other("WMF")
    } else if String::from_utf8_lossy(head).contains("<svg") {
        Sniffed::Other("SVG")
    } else {
        Sniffed::Unknown
    }
}

/// Reads, checks and names the images used: image index → (file, alt text).
fn images(
    refs: &[ImageRef],
    used: Vec<usize>,
    package: &mut Package,
    report: &mut Report,
    files: &mut Vec<(PathBuf, Vec<u8>)>,
) -> Result<BTreeMap<usize, (String, String)>, PackageError> {
    let mut by_part: BTreeMap<String, Option<String>> = BTreeMap::new();
    let mut out = BTreeMap::new();
    let mut missing_alt = 0;
    for index in used {
        let Some(image) = refs.get(index) else { continue };
        if image.part.starts_with("../") {
            return Err(PackageError::part(
                "word/_rels/document.xml.rels",
                format!(
                    "refused: an image at {} points outside the package ({}); nothing is \
                     read or written outside the document and the manuscript folder",
                    image.place, image.part
                ),
            ));
        }
        let file = match by_part.get(&image.part) {
            Some(file) => file.clone(),
            None => {
                let file = copy_image(image, package, report, files, &by_part)?;
                by_part.insert(image.part.clone(), file.clone());
                file
            }
        };
        if let Some(file) = file {
            if image.alt.is_empty() {
                missing_alt += 1;
            }
            out.insert(index, (file, image.alt.clone()));
        }
    }
    if missing_alt > 0 {
        report.note(format!(
            "{missing_alt} image(s) have no description (alt text) in the document: add one \
             in the chapter's ![…] so readers who cannot see them are told what they show"
        ));
    }
    Ok(out)
}

/// Copies one image part into `images/`, or reports why not.
fn copy_image(
    image: &ImageRef,
    package: &mut Package,
    report: &mut Report,
    files: &mut Vec<(PathBuf, Vec<u8>)>,
    taken: &BTreeMap<String, Option<String>>,
) -> Result<Option<String>, PackageError> {
    let Some(bytes) = package.read(&image.part)? else {
        report.count(Loss::Image, || {
            format!("{} (its file {} is missing)", image.place, image.part)
        });
        return Ok(None);
    };
    let ext = match sniff(&bytes) {
        Sniffed::Png => "png",
        Sniffed::Jpeg => "jpg",
        Sniffed::Other(format) => {
            report.count(Loss::Image, || {
                format!("{} ({format}: convert it to PNG or JPEG)", image.place)
            });
            return Ok(None);
        }
        Sniffed::Unknown => {
            return Err(PackageError::part(
                &image.part,
                format!(
                    "is shown as an image at {} but is not one (its bytes are not PNG, JPEG \
                     or another image format); refused",
                    image.place
                ),
            ));
        }
    };
    if let Err(reason) = crate::image_header::of(&mut std::io::Cursor::new(&bytes)) {
        report
            .count(Loss::Image, || format!("{} ({} {reason})", image.place, image.part));
        return Ok(None);
    }
    // A name of our own making: the part's base name, letters, digits and dashes only.
    let base = image.part.rsplit('/').next().unwrap_or("image");
    let stem = base.rsplit_once('.').map_or(base, |(s, _)| s);
    let mut stem: String = stem
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .take(60)
        .collect();
    if stem.trim_matches('-').is_empty() {
        stem = "image".into();
    }
    let mut name = format!("images/{stem}.{ext}");
    let mut k = 2;
    while taken.values().flatten().any(|n| *n == name) {
        name = format!("images/{stem}-{k}.{ext}");
        k += 1;
    }
    files.push((PathBuf::from(&name), bytes));
    Ok(Some(name))
}

/// One chapter file.
fn chapter_markdown(
    chapter: &structure::Chapter,
    input: &Input<'_>,
    images: &BTreeMap<usize, (String, String)>,
    report: &mut Report,
) -> String {
    let mut notes = BTreeMap::new();
    let mut order = Vec::new();
    let mut inlines =
        Inlines { links: &input.parsed.links, notes: &mut notes, order: &mut order };
    let lookup = |i: usize| images.get(&i).cloned();
    let mut text = String::new();
    match chapter.kind {
        Kind::Dedication => text.push_str("+++\nkind = \"dedication\"\n+++\n\n"),
        Kind::Epigraph => text.push_str("+++\nkind = \"epigraph\"\n+++\n\n"),
        _ => {
            let title = inlines.write(&chapter.title, Context::Heading);
            text.push_str(&format!("# {title}\n\n"));
        }
    }
    text.push_str(&markdown::blocks(&chapter.blocks, &mut inlines, &lookup));
    // Notes, in order of first reference (a note may cite another: the list grows).
    let mut defs = Vec::new();
    let mut n = 0;
    while n < inlines.order.len() {
        let (endnote, id) = inlines.order[n].clone();
        n += 1;
        let source =
            if endnote { &input.parsed.endnotes } else { &input.parsed.footnotes };
        let items: Vec<Item> = source.get(&id).cloned().unwrap_or_default();
        let blocks = structure::blocks(&trim_note_mark(items), input.numbering, report);
        let mut body = markdown::blocks(&blocks, &mut inlines, &lookup);
        if body.trim().is_empty() {
            report.note(format!(
                "{} {id} is empty or missing in the document; its reference now points to \
                 \"(empty note)\"",
                if endnote { "endnote" } else { "footnote" }
            ));
            body = "(empty note)".into();
        }
        let indented: Vec<String> =
            body.lines()
                .enumerate()
                .map(|(i, l)| {
                    if i == 0 || l.is_empty() {
                        l.to_string()
                    } else {
                        format!("    {l}")
                    }
                })
                .collect();
        defs.push(format!("[^{n}]: {}", indented.join("\n")));
    }
    if !defs.is_empty() {
        text.push_str("\n\n");
        text.push_str(&defs.join("\n\n"));
    }
    text.push('\n');
    text
}

/// A note's first paragraph starts with the note mark and a space: the space goes.
fn trim_note_mark(mut items: Vec<Item>) -> Vec<Item> {
    if let Some(Item::Para(p)) = items.first_mut()
        && let Some(Span::Text { text, .. }) = p.spans.first_mut()
    {
        let trimmed = text.trim_start().to_string();
        if trimmed.is_empty() {
            p.spans.remove(0);
        } else {
            *text = trimmed;
        }
    }
    items
}

/// A TOML string.
fn toml_string(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

/// A `YYYY-MM-DD` date from the start of a W3C date-time.
fn iso_date(s: &str) -> Option<String> {
    let d = s.trim().get(..10)?;
    let b = d.as_bytes();
    let ok = b
        .iter()
        .enumerate()
        .all(|(i, c)| if i == 4 || i == 7 { *c == b'-' } else { c.is_ascii_digit() });
    ok.then(|| d.to_string())
}

/// `book.toml`.
fn book_toml(input: &Input<'_>, names: &[(Kind, String)], report: &mut Report) -> String {
    let core = input.core;
    let meta = &input.book.meta;
    let nonempty = |s: &Option<String>| {
        s.as_ref().map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
    };
    let title = nonempty(&core.title).or_else(|| nonempty(&meta.title)).unwrap_or_else(|| {
        report.note(format!(
            "the document names no title (File › Properties, or a Title paragraph): book.toml \
             says \"{}\", from the file name; change `title`",
            input.stem
        ));
        input.stem.to_string()
    });
    let author = nonempty(&core.creator).or_else(|| nonempty(&meta.author)).unwrap_or_else(|| {
        report.note("the document names no author: book.toml says \"Author Name\"; change `author`");
        "Author Name".into()
    });
    let language = nonempty(&core.language)
        .or_else(|| input.style_language.map(str::to_string))
        .filter(|l| crate::config::is_language_tag(l))
        .unwrap_or_else(|| {
            report.note("the document's language is not set: book.toml says \"en-US\"; change `language`");
            "en-US".into()
        });
    let date = core.created.as_deref().and_then(iso_date).unwrap_or_else(|| {
        report.note(format!(
            "the document has no creation date: book.toml says {}, today; set `date` to the \
             publication date",
            input.today
        ));
        input.today.to_string()
    });
    let id = uuid::Uuid::new_v5(&uuid::Uuid::NAMESPACE_OID, input.fingerprint);
    let mut t = String::from(
        "# Imported from a Word document by `quire import`; see import-report.txt.\n\n[book]\n",
    );
    t.push_str(&format!("title = {}\n", toml_string(&title)));
    if let Some(sub) = nonempty(&meta.subtitle) {
        t.push_str(&format!("subtitle = {}\n", toml_string(&sub)));
    }
    t.push_str(&format!("author = {}\n", toml_string(&author)));
    t.push_str(&format!("language = {}\n", toml_string(&language)));
    t.push_str(&format!("identifier = \"urn:uuid:{id}\"\n"));
    t.push_str(&format!("date = \"{date}\"\n"));
    if let Some(d) = nonempty(&core.description) {
        t.push_str(&format!("description = {}\n", toml_string(&d)));
    }
    let list = |kinds: &[Kind]| {
        let files: Vec<String> = names
            .iter()
            .filter(|(k, _)| kinds.contains(k))
            .map(|(_, n)| format!("  {},\n", toml_string(n)))
            .collect();
        files.concat()
    };
    t.push_str("\n[contents]\n");
    let front = list(&[Kind::Dedication, Kind::Epigraph, Kind::Front]);
    if !front.is_empty() {
        t.push_str(&format!("front = [\n{front}]\n"));
    }
    t.push_str(&format!("chapters = [\n{}]\n", list(&[Kind::Essay])));
    let back = list(&[Kind::Back]);
    if !back.is_empty() {
        t.push_str(&format!("back = [\n{back}]\n"));
    }
    t
}

#[cfg(test)]
mod tests {
    use super::{Sniffed, iso_date, sniff};

    #[test]
    fn images_are_known_by_their_bytes() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Sniffed::Png);
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Sniffed::Jpeg);
        assert_eq!(sniff(b"GIF89a..."), Sniffed::Other("GIF"));
        assert_eq!(sniff(b"<?xml version='1.0'?><svg/>"), Sniffed::Other("SVG"));
        assert_eq!(sniff(b"#!/bin/sh\nrm -rf /"), Sniffed::Unknown);
    }

    #[test]
    fn dates_come_from_w3c_date_times() {
        assert_eq!(iso_date("2026-12-07T20:58:35Z").as_deref(), Some("2026-12-07"));
        assert_eq!(iso_date("yesterday"), None);
    }
}
