//! `quire import BOOK.docx`: a Word document in, a manuscript folder out (`book.toml`,
//! one Markdown file per chapter, `images/`, and `import-report.txt` listing what was
//! not carried over).
//!
//! ```text
//! BOOK.docx ── package (zip, byte budgets) ── styles + numbering ── document (runs, notes)
//!           ── structure (chapters, lists, quotes, figures) ── markdown + write ── DIR/
//! ```
//!
//! The import knows nothing of EPUB or PDF: it writes the same kind of manuscript an
//! author would, and `quire build` reads it like any other. It never writes a partial
//! folder: every file is written into a temporary folder beside `DIR`, which is renamed
//! into place only when all of them are; any error leaves nothing behind.

mod document;
mod markdown;
mod package;
mod report;
mod structure;
mod styles;
mod write;
mod xml;

pub use report::Report;

use crate::error::{Error, Result};
use package::{Package, PackageError};
use std::path::{Path, PathBuf};

/// What an import made.
#[derive(Debug)]
pub struct Imported {
    /// The manuscript folder.
    pub dir: PathBuf,
    /// What was not carried over.
    pub report: Report,
}

/// The folder `quire import BOOK.docx` writes to without `--out`: `BOOK` beside the file.
pub fn default_out(docx: &Path) -> PathBuf {
    let stem =
        docx.file_stem().map(|s| s.to_os_string()).unwrap_or_else(|| "book".into());
    docx.with_file_name(stem)
}

/// Imports `docx` into the manuscript folder `out`, which must not exist or be empty.
pub fn import(docx: &Path, out: &Path) -> Result<Imported> {
    check_out(out)?;
    let bytes = read_docx(docx)?;
    let fail = |e: PackageError| Error::Import {
        path: match &e.part {
            Some(part) => PathBuf::from(format!("{}:{part}", docx.display())),
            None => docx.to_path_buf(),
        },
        message: e.message,
    };
    let fingerprint = bytes
        .len()
        .to_le_bytes()
        .iter()
        .chain(bytes.iter().take(1 << 20))
        .copied()
        .collect::<Vec<u8>>();
    let mut package = Package::open(bytes).map_err(fail)?;
    let mut report = Report::default();

    // The main document and the parts it names.
    let main = main_part(&mut package).map_err(fail)?;
    let rels = package.relationships(&main).map_err(fail)?;
    let part_of = |kind: &str, fallback: &str| {
        rels.part_of_kind(kind).unwrap_or(fallback).to_string()
    };
    let styles_part = part_of("styles", "word/styles.xml");
    let numbering_part = part_of("numbering", "word/numbering.xml");
    let footnotes_part = part_of("footnotes", "word/footnotes.xml");
    let endnotes_part = part_of("endnotes", "word/endnotes.xml");
    if rels.part_of_kind("header").is_some() || rels.part_of_kind("footer").is_some() {
        report.count(report::Loss::HeaderFooter, || "the document's pages".into());
    }
    let styles_text = package.text(&styles_part).map_err(fail)?;
    let styles =
        styles::Styles::read(styles_text.as_deref(), &styles_part).map_err(fail)?;
    let numbering_text = package.text(&numbering_part).map_err(fail)?;
    let numbering = styles::Numbering::read(numbering_text.as_deref(), &numbering_part)
        .map_err(fail)?;
    let core = core_properties(&mut package).map_err(fail)?;

    // The body, then the notes, through one walker.
    let text = package
        .text(&main)
        .map_err(fail)?
        .ok_or_else(|| fail(PackageError::part(&main, "is missing")))?;
    let doc = xml::parse(&text, &main).map_err(fail)?;
    let mut walker = document::Walker::new(&styles, &mut report);
    walker.body(&doc, &main, rels.clone()).map_err(fail)?;
    drop(doc);
    for (part, endnotes) in [(&footnotes_part, false), (&endnotes_part, true)] {
        let Some(text) = package.text(part).map_err(fail)? else { continue };
        let doc = xml::parse(&text, part).map_err(fail)?;
        let rels = package.relationships(part).map_err(fail)?;
        walker.notes(&doc, part, rels, endnotes).map_err(fail)?;
    }
    let parsed = walker.finish();

    // Chapters, then the files.
    let book = structure::book(parsed.body.clone(), &numbering, &mut report);
    let stem =
        docx.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let today = today();
    let input = write::Input {
        book: &book,
        parsed: &parsed,
        numbering: &numbering,
        core: &core,
        style_language: styles.language.as_deref(),
        stem: &stem,
        fingerprint: &fingerprint,
        today: &today,
    };
    let mut files = write::manuscript(&input, &mut package, &mut report).map_err(fail)?;
    name_places(&mut report, &book, &files);
    report.summary(format!("imported {} into {}", docx.display(), out.display()));
    files.push((PathBuf::from("import-report.txt"), report.render().into_bytes()));
    publish(out, &files)?;
    Ok(Imported { dir: out.to_path_buf(), report })
}

/// Today's date, `YYYY-MM-DD`, for a document that has none.
fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|d| d.date_naive().format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "2026-01-01".into())
}

/// Paragraph numbers in the report become "paragraph 12 (03-the-storm.md)".
fn name_places(
    report: &mut Report,
    book: &structure::Book,
    files: &[(PathBuf, Vec<u8>)],
) {
    let chapter_files: Vec<String> = files
        .iter()
        .map(|(p, _)| p.display().to_string())
        .filter(|p| p.ends_with(".md"))
        .collect();
    let starts: Vec<(usize, String)> = book
        .chapters
        .iter()
        .zip(chapter_files)
        .map(|(c, f)| (c.first_paragraph, f))
        .collect();
    report.rename_places(|place| {
        let Some(n) =
            place.strip_prefix("paragraph ").and_then(|n| n.parse::<usize>().ok())
        else {
            return place.to_string();
        };
        match starts.iter().rev().find(|(start, _)| *start <= n) {
            Some((_, file)) => format!("paragraph {n} ({file})"),
            None => place.to_string(),
        }
    });
}

/// The output folder must not exist, or be an empty folder.
fn check_out(out: &Path) -> Result<()> {
    let refuse = |message: &str| Error::Import {
        path: out.to_path_buf(),
        message: message.into(),
    };
    match std::fs::symlink_metadata(out) {
        Err(_) => Ok(()),
        Ok(m) if m.is_dir() => {
            let empty = std::fs::read_dir(out)
                .map_err(|source| Error::Read { path: out.to_path_buf(), source })?
                .next()
                .is_none();
            if empty {
                Ok(())
            } else {
                Err(refuse(
                    "is not empty; quire import writes only into a new or empty folder",
                ))
            }
        }
        Ok(_) => Err(refuse("exists and is not a folder; give --out a new folder")),
    }
}

/// Reads the .docx, refusing anything that is not a regular file or is too large.
fn read_docx(docx: &Path) -> Result<Vec<u8>> {
    let read_err = |source| Error::Read { path: docx.to_path_buf(), source };
    let meta = std::fs::metadata(docx).map_err(read_err)?;
    if !meta.is_file() {
        return Err(Error::Import {
            path: docx.to_path_buf(),
            message: "is not a file".into(),
        });
    }
    if meta.len() > package::MAX_FILE_BYTES {
        return Err(Error::Import {
            path: docx.to_path_buf(),
            message: format!(
                "is {} MB; a Word document over {} MB is refused",
                meta.len() / (1024 * 1024),
                package::MAX_FILE_BYTES / (1024 * 1024)
            ),
        });
    }
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(docx)
        .and_then(|f| f.take(package::MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(read_err)?;
    Ok(bytes)
}

/// The main document part, as the package's own relationships name it.
fn main_part(package: &mut Package) -> std::result::Result<String, PackageError> {
    let rels = package.relationships("")?;
    let main = rels
        .part_of_kind("officeDocument")
        .map(str::to_string)
        .unwrap_or_else(|| "word/document.xml".into());
    if !package.has(&main) {
        return Err(PackageError::whole(
            "is a zip archive but not a Word document: it has no word/document.xml",
        ));
    }
    Ok(main)
}

/// `docProps/core.xml`: title, author, language and date.
fn core_properties(
    package: &mut Package,
) -> std::result::Result<write::Core, PackageError> {
    let part = "docProps/core.xml";
    let Some(text) = package.text(part)? else { return Ok(write::Core::default()) };
    let doc = xml::parse(&text, part)?;
    let field = |ns: &str, name: &str| {
        doc.root_element()
            .children()
            .find(|n| n.has_tag_name((ns, name)))
            .map(xml::text_of)
            .map(|t| t.trim().to_string())
            .filter(|t| !t.is_empty())
    };
    const TERMS: &str = "http://purl.org/dc/terms/";
    Ok(write::Core {
        title: field(xml::DC, "title"),
        creator: field(xml::DC, "creator"),
        language: field(xml::DC, "language"),
        created: field(TERMS, "created").or_else(|| field(TERMS, "modified")),
        description: field(xml::DC, "description"),
    })
}

/// Writes `files` into a temporary folder beside `out`, then renames it to `out`.
fn publish(out: &Path, files: &[(PathBuf, Vec<u8>)]) -> Result<()> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let write_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| Error::Write { path, source }
    };
    std::fs::create_dir_all(&parent).map_err(write_err(&parent))?;
    let staging = tempfile::Builder::new()
        .prefix(".quire-import-")
        .tempdir_in(&parent)
        .map_err(write_err(&parent))?;
    for (relative, bytes) in files {
        let path = staging.path().join(relative);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(write_err(dir))?;
        }
        std::fs::write(&path, bytes).map_err(write_err(&out.join(relative)))?;
    }
    if out.is_dir() {
        // Checked empty before; removing it lets the rename take its place.
        std::fs::remove_dir(out).map_err(write_err(out))?;
    }
    let staged = staging.keep();
    std::fs::rename(&staged, out).map_err(|source| {
        let _ = std::fs::remove_dir_all(&staged);
        Error::Write { path: out.to_path_buf(), source }
    })
}
