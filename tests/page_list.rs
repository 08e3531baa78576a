//! The ebook knows the paperback's pages (issue 14): the EPUB's page list has an entry
//! for every printed page that begins with text, in order, labelled as the PDF labels
//! its pages, and the words after each page's marker in the XHTML are the first words
//! of that page as `pdftotext` reads it.
//!
//! Expectations come from the PDF read back (word boxes in the text block, `/PageLabels`,
//! the outline for the contents pages) and the EPUB read back (nav, XHTML), never from
//! quire's own page list.
//!
//! What "begins with text" means here: the page's text block holds a word. The contents
//! pages are left out: each edition makes its own contents from its own navigation (the
//! EPUB's lists other entries, without page numbers), so they have no counterpart in the
//! ebook's text. A page that starts with the tail of a word hyphenated on the page before
//! (or before a dash, "road|—their") is compared from its first whole word, where the
//! marker stands: a marker is never put inside a word, a word being what lies between
//! spaces. The number of a numbered list item ("3.") is made by the EPUB's
//! stylesheet, and a page reference " (p. 23)" is the print edition's: both are left out
//! of the printed words.

mod common;

#[path = "../benches/common/corpus.rs"]
mod corpus;

use common::*;
use corpus::Shape;
use quire::config::Config;
use std::path::{Path, PathBuf};

/// Words compared at the top of each page.
const COMPARED: usize = 4;

/// A word made comparable: letters and digits only, lower case (small capitals read back
/// as lower or upper case; punctuation, quotes and dashes dropped).
fn bare(word: &str) -> String {
    word.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// One word of the top of a printed page, made comparable.
#[derive(Debug, Clone)]
struct Word {
    bare: String,
}

/// One printed page: its label and the first words of its text block (a word hyphenated
/// at a line's end joined to its second half).
#[derive(Debug)]
struct PrintedPage {
    label: String,
    words: Vec<Word>,
    /// Whether the page begins with the tail of a word broken (after a hyphen or a dash)
    /// at the end of the page before.
    starts_in_word: bool,
}

/// Reads every page of the print PDF: labels from `/PageLabels`, words from the text
/// block (running heads and folios left out) a line at a time from the top.
fn printed_pages(pdf: &Path, config: &Config) -> Vec<PrintedPage> {
    let doc = load_pdf(pdf);
    let labels = pdf_page_labels(&doc);
    let (sizes, all) = pdf_words(pdf);
    let count = sizes.len();
    assert_eq!(labels.len(), count, "a label per page");
    // The usual height of a word of letters on each page (the median), to tell note
    // references by.
    let mut heights = vec![Vec::new(); count];
    for w in all.iter().filter(|w| w.text.chars().any(char::is_alphabetic)) {
        heights[w.page].push(w.y_max - w.y_min);
    }
    let usual: Vec<f64> = heights
        .iter_mut()
        .map(|h| {
            h.sort_by(f64::total_cmp);
            h.get(h.len() / 2).copied().unwrap_or(0.0)
        })
        .collect();
    let mut pages = Vec::new();
    let mut last_ended_in_word = false;
    for page in 0..count {
        let frame =
            expected_page(PdfEdition::Print, config, page, count).frames[0].clone();
        // Note references are raised and small: left out here, as on the EPUB's side.
        let block: Vec<&PdfWord> = all
            .iter()
            .filter(|w| w.page == page && frame.block.holds(w))
            .filter(|w| !is_note_mark(w, usual[page]))
            .collect();
        let lines = word_lines(block);
        // Footnote lines are set smaller than the text: the text's last line is the last
        // line of the text's height.
        let height = |line: &Vec<&PdfWord>| {
            line.iter().map(|w| w.y_max - w.y_min).fold(0.0_f64, f64::max)
        };
        let mut heights: Vec<f64> = lines.iter().map(height).collect();
        heights.sort_by(f64::total_cmp);
        let body = heights.get(heights.len() / 2).copied().unwrap_or(0.0);
        let mut words: Vec<Word> = Vec::new();
        let mut carry: Option<String> = None;
        let mut ends_in_word = false;
        let mut first_raw: Option<String> = None;
        let mut skip_next = false;
        for mut line in lines {
            line.sort_by(|a, b| a.x_min.total_cmp(&b.x_min));
            let n = line.len();
            if height(&line) >= body * 0.9 {
                let last = &line[n - 1].text;
                // A word broken after a hyphen or a dash, not a dash standing alone.
                ends_in_word = last
                    .ends_with(['-', '\u{2010}', '\u{ad}', '\u{2013}', '\u{2014}'])
                    && last.chars().any(char::is_alphanumeric);
            }
            for (i, w) in line.iter().enumerate() {
                if first_raw.is_none() && w.text.chars().any(char::is_alphanumeric) {
                    first_raw = Some(w.text.clone());
                }
                let mut raw = w.text.clone();
                if let Some(first) = carry.take() {
                    raw = first + &raw;
                }
                let ends_hyphen = raw.ends_with(['-', '\u{2010}', '\u{ad}']);
                if i + 1 == n && ends_hyphen && raw.chars().count() > 1 {
                    carry =
                        Some(raw.trim_end_matches(['-', '\u{2010}', '\u{ad}']).into());
                    continue;
                }
                // A list item's number is the EPUB stylesheet's, not text.
                let number = raw.len() <= 4
                    && raw.ends_with('.')
                    && raw.trim_end_matches('.').chars().all(|c| c.is_ascii_digit());
                // A page reference, " (p. 23)", is the print edition's, not text.
                if skip_next {
                    skip_next = false;
                    continue;
                }
                if raw.starts_with("(p.") {
                    skip_next = !raw.ends_with(')');
                    continue;
                }
                let b = bare(&raw);
                if !b.is_empty() && !number {
                    words.push(Word { bare: b });
                }
            }
        }
        if let Some(rest) = carry {
            words.push(Word { bare: bare(&rest) });
        }
        // A word joined to the one before by a dash may break before the dash: the
        // page then begins with "—their", the tail of "road—their" (the generated books,
        // like most, set an em dash without spaces).
        let dash_led = first_raw.as_deref().is_some_and(|w| {
            w.starts_with('\u{2014}') && w.chars().any(char::is_alphanumeric)
        });
        pages.push(PrintedPage {
            label: labels[page].clone(),
            starts_in_word: (last_ended_in_word || dash_led) && !words.is_empty(),
            words,
        });
        if !pages[page].words.is_empty() {
            last_ended_in_word = ends_in_word;
        }
    }
    pages
}

/// Whether `w` is a note reference: digits set smaller than the `usual` word of its page.
fn is_note_mark(w: &PdfWord, usual: f64) -> bool {
    w.text.chars().all(|c| c.is_ascii_digit()) && usual > (w.y_max - w.y_min) * 1.25
}

/// The 0-based pages the outline's "Contents" entry covers: from its page to the page
/// before the next entry's.
fn contents_pages(pdf: &Path, contents_title: &str) -> std::ops::Range<usize> {
    let doc = load_pdf(pdf);
    let pages = pdf_page_ids(&doc);
    let catalog = doc.catalog().expect("no catalog");
    let root = pdf_resolve(&doc, catalog.get(b"Outlines").expect("no /Outlines"))
        .as_dict()
        .expect("/Outlines is not a dictionary");
    let mut entries: Vec<(String, usize)> = Vec::new();
    let mut next = root.get(b"First").ok().map(|o| o.as_reference().expect("/First"));
    while let Some(id) = next {
        assert!(entries.len() < 10_000, "outline loops");
        let item = doc.get_dictionary(id).expect("outline item");
        let title = pdf_text_string(&doc, item.get(b"Title").expect("no /Title"));
        let page = item
            .get(b"Dest")
            .ok()
            .and_then(|d| pdf_resolve(&doc, d).as_array().ok())
            .and_then(|a| a.first())
            .and_then(|p| p.as_reference().ok())
            .and_then(|p| pages.iter().position(|&q| q == p))
            .expect("an outline entry without a page");
        entries.push((title, page));
        next = item.get(b"Next").ok().map(|o| o.as_reference().expect("/Next"));
    }
    let at = entries
        .iter()
        .position(|(t, _)| t == contents_title)
        .unwrap_or_else(|| panic!("no {contents_title:?} in the outline: {entries:?}"));
    let start = entries[at].1;
    let end = entries.get(at + 1).map_or(pages.len(), |e| e.1);
    start..end
}

/// One entry of the EPUB's page list: its label, and the words after its marker.
#[derive(Debug)]
struct Listed {
    label: String,
    after: Vec<String>,
}

/// Reads the page list from the EPUB's navigation document and, for each entry, the
/// words that follow its marker in the content document it points to (the marker must be
/// a `doc-pagebreak` span with the entry's label as its `aria-label`).
fn page_list(epub: &Path) -> Vec<Listed> {
    let entries = unzip_entries(epub);
    let dir = content_dir(&entries);
    let nav_text = entry_text(&entries, &format!("{dir}nav.xhtml"));
    let nav = parse_xml(&nav_text, "nav.xhtml");
    let list = nav
        .descendants()
        .find(|n| epub_type(*n) == Some("page-list"))
        .expect("nav.xhtml has no page-list nav");
    let mut out = Vec::new();
    let mut docs: std::collections::HashMap<String, String> = Default::default();
    for a in list.descendants().filter(|n| n.tag_name().name() == "a") {
        let label = node_text(a);
        let href = a.attribute("href").expect("a page-list link without href");
        let (file, id) = href.split_once('#').expect("a page-list link without a #");
        let text = docs
            .entry(file.to_string())
            .or_insert_with(|| entry_text(&entries, &format!("{dir}{file}")));
        let doc = parse_xml(text, file);
        let marker = doc
            .descendants()
            .find(|n| n.attribute("id") == Some(id))
            .unwrap_or_else(|| panic!("{file} has no #{id}"));
        assert_eq!(epub_type(marker), Some("pagebreak"), "#{id} in {file}");
        assert_eq!(marker.attribute("role"), Some("doc-pagebreak"), "#{id} in {file}");
        assert_eq!(marker.attribute("aria-label"), Some(label.as_str()), "#{id}");
        assert!(!marker.has_children(), "#{id} in {file} is not empty");
        // The text after the marker, in document order, across elements.
        let mut following = String::new();
        let mut seen = false;
        for node in doc.descendants() {
            if node == marker {
                seen = true;
                continue;
            }
            if !seen {
                continue;
            }
            // Blocks and cells are apart; inline elements are not (`un<em>be</em>`).
            if node.is_element()
                && !["span", "em", "strong", "a", "sup", "sub", "code", "del", "i", "b"]
                    .contains(&node.tag_name().name())
            {
                following.push(' ');
            }
            let in_note_ref = node.ancestors().any(|a| epub_type(a) == Some("noteref"));
            if node.is_text() && !in_note_ref {
                following.push_str(node.text().unwrap_or(""));
                if following.split_whitespace().count() > COMPARED * 3 {
                    break;
                }
            }
        }
        let after: Vec<String> =
            following.split_whitespace().map(bare).filter(|w| !w.is_empty()).collect();
        out.push(Listed { label, after });
    }
    out
}

/// Checks the page list of `epub` against `pdf`; `what` names the book in messages.
fn check(what: &str, dir: &Path, epub: &Path, pdf: &Path) {
    let config = Config::load(dir).expect("book.toml");
    let words = config.words();
    let printed = printed_pages(pdf, &config);
    let contents = contents_pages(pdf, &words.contents);
    let expected: Vec<&PrintedPage> = printed
        .iter()
        .enumerate()
        .filter(|(i, p)| !p.words.is_empty() && !contents.contains(i))
        .map(|(_, p)| p)
        .collect();
    let listed = page_list(epub);
    let expected_labels: Vec<&str> = expected.iter().map(|p| p.label.as_str()).collect();
    let listed_labels: Vec<&str> = listed.iter().map(|l| l.label.as_str()).collect();
    assert_eq!(
        listed_labels, expected_labels,
        "{what}: the page list is not the printed pages that begin with text"
    );
    assert!(
        expected_labels.iter().any(|l| l.chars().all(|c| "ivxlcdm".contains(c))),
        "{what}: no front-matter page in roman numerals"
    );
    let mut failures = Vec::new();
    for (page, entry) in expected.iter().zip(&listed) {
        let mut words: Vec<&Word> = page.words.iter().collect();
        if page.starts_in_word {
            words.remove(0);
        }
        let page_words: Vec<&str> =
            words.iter().take(COMPARED).map(|w| w.bare.as_str()).collect();
        let n = page_words.len();
        let after: Vec<&str> = entry.after.iter().take(n).map(String::as_str).collect();
        if page_words.is_empty() || page_words != after {
            failures.push(format!(
                "page {}: printed {page_words:?}, after the marker {after:?}",
                page.label
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{what}: {} of {} pages differ:\n{}",
        failures.len(),
        expected.len(),
        failures.join("\n")
    );
}

/// Builds the EPUB and the print PDF of `dir` into `<tmp>/out`, each on its own, and
/// checks the EPUB with EPUBCheck (and Ace, when installed): no message, no page-list
/// finding. Returns (EPUB, PDF).
fn build(tmp: &TempDir, dir: &Path) -> (PathBuf, PathBuf) {
    let out = tmp.join("out");
    for format in ["epub", "pdf"] {
        let output = build_format(dir, &out, format, &[]);
        assert_success(&format!("quire build --format {format}"), &output);
    }
    let epub = the_epub_in(&out);
    if let Some(report) = epubcheck(&epub, tmp.path()) {
        report.assert_clean("the EPUB with a page list");
    }
    ace_clean(&epub);
    let pdf = dir_entries(&out)
        .into_iter()
        .find(|n| n.ends_with("-print.pdf"))
        .map(|n| out.join(n))
        .expect("no print PDF");
    (epub, pdf)
}

/// Ace (see [`common::ace_clean`]) finds no violation, and nothing about page lists or
/// page sources.
fn ace_clean(epub: &Path) {
    let Some(text) = common::ace_clean(epub, "the page list") else { return };
    for finding in ["page-list", "pagebreak", "pagesource", "dc:source"] {
        assert!(!text.contains(finding), "Ace says something of {finding}:\n{text}");
    }
}

fn tools_present() -> bool {
    require_tools(&["pdftotext"])
}

#[test]
fn the_sample_book_lists_every_printed_page() {
    if !tools_present() {
        return;
    }
    let tmp = TempDir::new("page-list-sample");
    let (epub, pdf) = build(&tmp, &sample_manuscript());
    check("the sample book", &sample_manuscript(), &epub, &pdf);
    // The EPUB does not depend on which editions were asked for.
    let all = tmp.join("all");
    assert_success("quire build", &build_format(&sample_manuscript(), &all, "all", &[]));
    assert!(
        std::fs::read(the_epub_in(&all)).unwrap() == std::fs::read(&epub).unwrap(),
        "the EPUB of --format all differs from the EPUB of --format epub"
    );
}

/// A generated book of `shape` and `words` words, checked page by page.
fn generated(shape: Shape, words: usize) {
    if !tools_present() {
        return;
    }
    let tmp = TempDir::new(&format!("page-list-{}", shape.name()));
    let dir = tmp.join("book");
    corpus::write_shape(shape, words, &dir, 7)
        .unwrap_or_else(|e| panic!("cannot write the {} corpus: {e}", shape.name()));
    let (epub, pdf) = build(&tmp, &dir);
    check(&format!("the {} book", shape.name()), &dir, &epub, &pdf);
}

#[test]
fn generated_essays_list_every_printed_page() {
    generated(Shape::Essays, 100_000);
}

#[test]
fn a_generated_novel_in_parts_lists_every_printed_page() {
    generated(Shape::Novel, 30_000);
}

#[test]
fn a_generated_manual_lists_every_printed_page() {
    generated(Shape::Manual, 30_000);
}

#[test]
fn a_generated_short_book_lists_every_printed_page() {
    generated(Shape::Short, 5_000);
}

/// With `[print] page-references`, the print edition adds " (p. N)" after each link to
/// another chapter: words the EPUB does not have, which must not shift the markers.
#[test]
fn page_references_do_not_shift_the_markers() {
    if !tools_present() {
        return;
    }
    let tmp = TempDir::new("page-list-refs");
    let dir = sample_copy_with(&tmp, "print", &["page-references = true"]);
    let intro = dir.join("01-introduction.md");
    let mut text = std::fs::read_to_string(&intro).unwrap();
    let mut paragraph = String::from("\n\n");
    for i in 0..60 {
        paragraph.push_str(&format!(
            "Turn to [the essay on autonomy](04-autonomy.md) or [the last \
             one](07-trust-and-dialogue.md) for more, reader number {i}. "
        ));
    }
    text.push_str(&paragraph);
    text.push('\n');
    std::fs::write(&intro, text).unwrap();
    let (epub, pdf) = build(&tmp, &dir);
    check("the sample with page references", &dir, &epub, &pdf);
}

#[test]
fn without_a_page_list_the_epub_has_no_page_breaks() {
    let tmp = TempDir::new("page-list-off");
    let dir = sample_copy_with(&tmp, "epub", &["page-list = false"]);
    let out = tmp.join("out");
    assert_success("quire build", &build_format(&dir, &out, "epub", &[]));
    let entries = unzip_entries(&the_epub_in(&out));
    for (name, bytes) in &entries {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains("pagebreak"), "{name} has a page break");
        assert!(!text.contains("page-list"), "{name} has a page list");
        assert!(!text.contains("pageList"), "{name} has a pageList");
        assert!(!text.contains("dc:source"), "{name} has dc:source");
    }
}

#[test]
fn the_package_names_the_print_edition() {
    let tmp = TempDir::new("page-list-isbn");
    let dir = sample_copy_with(&tmp, "print", &["isbn = \"978-0-306-40615-7\""]);
    let out = tmp.join("out");
    assert_success("quire build", &build_format(&dir, &out, "epub", &[]));
    let entries = unzip_entries(&the_epub_in(&out));
    let opf = entry_text(&entries, &opf_path(&entries));
    assert!(opf.contains("<dc:source>urn:isbn:9780306406157</dc:source>"), "{opf}");
    assert!(
        opf.contains("property=\"pageBreakSource\">urn:isbn:9780306406157<"),
        "{opf}"
    );
    for feature in ["pageBreakMarkers", "pageNavigation", "printPageNumbers"] {
        assert!(opf.contains(&format!(">{feature}<")), "no {feature}: {opf}");
    }
    let ncx = entry_text(&entries, &format!("{}toc.ncx", content_dir(&entries)));
    assert!(ncx.contains("<pageList>") && ncx.contains("<pageTarget"), "{ncx}");
    // A wrong check digit is refused, located.
    let bad_tmp = TempDir::new("page-list-bad-isbn");
    let bad = sample_copy_with(&bad_tmp, "print", &["isbn = \"978-0-306-40615-8\""]);
    let output = build_format(&bad, &tmp.join("bad"), "epub", &[]);
    assert!(!output.status.success(), "a bad ISBN was accepted");
    let err = stderr(&output);
    assert!(err.contains("book.toml:") && err.contains("check digit"), "{err}");
}
