//! The re-zip step after epub-builder: patches the two files it generates where its API
//! cannot reach (see `shared/notes/crates.md` §3.4), and rewrites the archive with a fixed
//! entry order and 1980-01-01 timestamps so builds are byte-identical.
//!
//! - `content.opf`: `xml:lang` on `<package>`, and `dc:publisher`.
//! - `nav.xhtml`: `lang` on `<html>`, `role="doc-toc"` and a label on the toc nav, a
//!   label on the landmarks nav (both asked for by Ace), and the vocabulary's spelling
//!   `acknowledgments`.

use super::xhtml::escape;
use crate::error::{Error, Result};
use crate::model::Book;
use crate::pages::marker_id;
use std::io::{Cursor, Read, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

/// The print edition's page list, for the navigation document, the NCX and the OPF.
#[derive(Debug, Clone)]
pub struct PageNav {
    /// Each page's label and the content document its marker is in, in page order.
    pub entries: Vec<(String, String)>,
    /// The print edition (`dc:source`).
    pub source: String,
}

/// Patches and re-zips the EPUB `raw` made by epub-builder.
pub fn finish(
    raw: &[u8],
    book: &Book,
    pages: Option<&PageNav>,
    cover: bool,
) -> Result<Vec<u8>> {
    let e = |err: zip::result::ZipError| Error::Epub(format!("re-zip: {err}"));
    let mut input = ZipArchive::new(Cursor::new(raw)).map_err(e)?;
    let mut output = ZipWriter::new(Cursor::new(Vec::with_capacity(raw.len())));
    let stamp = DateTime::default();
    let stored = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Stored)
        .last_modified_time(stamp);
    let deflated = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(stamp);
    let lang = escape(&book.meta.language);
    for i in 0..input.len() {
        let mut entry = input.by_index(i).map_err(e)?;
        let name = entry.name().to_string();
        let mut bytes = Vec::with_capacity(entry.size() as usize);
        entry
            .read_to_end(&mut bytes)
            .map_err(|err| Error::Epub(format!("re-zip {name}: {err}")))?;
        drop(entry);
        if name.ends_with("content.opf") {
            bytes = patch_opf(&bytes, &lang, book, pages)?.into_bytes();
        } else if name.ends_with("nav.xhtml") {
            let cover = cover.then_some(book.words.cover.as_str());
            bytes = patch_nav(&bytes, &lang, pages, cover)?.into_bytes();
        } else if name.ends_with("toc.ncx")
            && let Some(pages) = pages
        {
            bytes = patch_ncx(&bytes, pages)?.into_bytes();
        }
        // The mimetype entry must be first and uncompressed (OCF 3.3 §4.2.3).
        let options = if name == "mimetype" { stored } else { deflated };
        output.start_file(name.as_str(), options).map_err(e)?;
        output
            .write_all(&bytes)
            .map_err(|err| Error::Epub(format!("re-zip {name}: {err}")))?;
    }
    Ok(output.finish().map_err(e)?.into_inner())
}

fn text(bytes: &[u8], file: &str) -> Result<String> {
    String::from_utf8(bytes.to_vec())
        .map_err(|_| Error::Epub(format!("{file} is not UTF-8")))
}

/// Replaces `from` with `to` once, failing loudly if epub-builder's output changed shape.
fn replace_once(text: &str, from: &str, to: &str, file: &str) -> Result<String> {
    if !text.contains(from) {
        return Err(Error::Epub(format!(
            "{file}: expected {from:?} in epub-builder's output"
        )));
    }
    Ok(text.replacen(from, to, 1))
}

fn patch_opf(
    bytes: &[u8],
    lang: &str,
    book: &Book,
    pages: Option<&PageNav>,
) -> Result<String> {
    let opf = text(bytes, "content.opf")?;
    let opf = match pages {
        Some(pages) => replace_once(
            &opf,
            "<meta property=\"dcterms:modified\">",
            &format!(
                "<dc:source>{}</dc:source>\n    <meta property=\"dcterms:modified\">",
                escape(&pages.source)
            ),
            "content.opf",
        )?,
        None => opf,
    };
    let opf = replace_once(
        &opf,
        "<package version=\"3.0\"",
        &format!("<package version=\"3.0\" xml:lang=\"{lang}\""),
        "content.opf",
    )?;
    match &book.meta.publisher {
        Some(publisher) => replace_once(
            &opf,
            "<meta property=\"dcterms:modified\">",
            &format!(
                "<dc:publisher>{}</dc:publisher>\n    <meta property=\"dcterms:modified\">",
                escape(publisher)
            ),
            "content.opf",
        ),
        None => Ok(opf),
    }
}

fn patch_nav(
    bytes: &[u8],
    lang: &str,
    pages: Option<&PageNav>,
    cover: Option<&str>,
) -> Result<String> {
    let nav = text(bytes, "nav.xhtml")?;
    let nav = match pages {
        Some(pages) => replace_once(&nav, "</body>", &page_list_nav(pages), "nav.xhtml")?,
        None => nav,
    };
    let nav = replace_once(
        &nav,
        "<html xmlns=",
        &format!("<html lang=\"{lang}\" xml:lang=\"{lang}\" xmlns="),
        "nav.xhtml",
    )?;
    let nav = replace_once(
        &nav,
        "<nav epub:type = \"toc\" id=\"toc\">",
        "<nav epub:type=\"toc\" id=\"toc\" role=\"doc-toc\" aria-labelledby=\"toc-title\">",
        "nav.xhtml",
    )?;
    // epub-builder spells the landmark type the British way, which the EPUB structural
    // semantics vocabulary does not know.
    let nav =
        nav.replace("epub:type=\"acknowledgements\"", "epub:type=\"acknowledgments\"");
    let nav = replace_once(
        &nav,
        "<nav epub:type = \"landmarks\">",
        "<nav epub:type=\"landmarks\" aria-label=\"Landmarks\" hidden=\"hidden\">",
        "nav.xhtml",
    )?;
    // The cover page has no title (so it is not in the contents); its landmark comes
    // first, as the cover comes first in the reading order.
    match cover {
        Some(label) => {
            let landmarks = nav.find("epub:type=\"landmarks\"").unwrap_or(0);
            let Some(list) = nav[landmarks..].find("<ol>").map(|i| landmarks + i + 4)
            else {
                return Err(Error::Epub(
                    "nav.xhtml: expected a list of landmarks in epub-builder's output"
                        .into(),
                ));
            };
            let entry = format!(
                "\n<li><a epub:type=\"cover\" href=\"{}\">{}</a></li>",
                super::xhtml::COVER_FILE,
                escape(label)
            );
            Ok(format!("{}{entry}{}", &nav[..list], &nav[list..]))
        }
        None => Ok(nav),
    }
}

/// The navigation document's `page-list` nav (EPUB 3.3 §7.4.2.3): every printed page
/// that begins with text, in order, each a link to its marker.
fn page_list_nav(pages: &PageNav) -> String {
    let mut out = String::from(
        "<nav epub:type=\"page-list\" id=\"page-list\" role=\"doc-pagelist\" \
         aria-label=\"Page list\" hidden=\"hidden\">\n<ol>\n",
    );
    for (label, file) in &pages.entries {
        out.push_str(&format!(
            "<li><a href=\"{}#{}\">{}</a></li>\n",
            escape(file),
            escape(&marker_id(label)),
            escape(label)
        ));
    }
    out.push_str("</ol>\n</nav>\n</body>");
    out
}

/// The NCX's `pageList` (for EPUB 2 reading systems), after its `navMap`; play order
/// continues from the navigation points'.
fn patch_ncx(bytes: &[u8], pages: &PageNav) -> Result<String> {
    let ncx = text(bytes, "toc.ncx")?;
    let order = ncx.matches("playOrder=").count();
    let mut list = String::from(
        "</navMap>\n  <pageList>\n    <navLabel><text>Pages</text></navLabel>\n",
    );
    for (i, (label, file)) in pages.entries.iter().enumerate() {
        // A decimal label is the page's number; a roman one is front matter.
        let (kind, value) = match label.parse::<u32>() {
            Ok(n) => ("normal", format!(" value=\"{n}\"")),
            Err(_) => ("front", String::new()),
        };
        let id = marker_id(label);
        list.push_str(&format!(
            "    <pageTarget id=\"{}\" type=\"{kind}\"{value} playOrder=\"{}\">\
             <navLabel><text>{}</text></navLabel><content src=\"{}#{}\"/></pageTarget>\n",
            escape(&format!("nav-{id}")),
            order + i + 1,
            escape(label),
            escape(file),
            escape(&id)
        ));
    }
    list.push_str("  </pageList>");
    replace_once(&ncx, "</navMap>", &list, "toc.ncx")
}
