//! The book's own words and structure: chapter labels and numbering, parts, the fixed
//! words of each language, the copyright page. Each test builds a small manuscript and
//! reads the real EPUB (unzipped) and PDF (pdftotext, lopdf) back.

mod common;

use common::*;
use std::path::{Path, PathBuf};

/// A manuscript of `chapters` numbered chapter files ("Title N" each, a paragraph of
/// text), with `book_keys` added to `[book]` and `contents` as the `[contents]` table.
fn manuscript(
    test: &str,
    book_keys: &str,
    contents: &str,
    chapters: usize,
) -> Manuscript {
    let m = Manuscript { tmp: TempDir::new(test) };
    let mut toml = book_table("Labels Test");
    toml.push_str(book_keys);
    toml.push_str("\n[contents]\n");
    toml.push_str(contents);
    m.write("book.toml", toml);
    for i in 1..=chapters {
        m.write(
            &format!("c{i:03}.md"),
            format!(
                "# Title {i}\n\nThe {i}th chapter has a sentence or two of text, so that it is \
                 a chapter.\n"
            ),
        );
    }
    m
}

fn chapter_list(range: std::ops::RangeInclusive<usize>) -> String {
    range.map(|i| format!("\"c{i:03}.md\"")).collect::<Vec<_>>().join(", ")
}

/// Builds every edition; returns the EPUB and the print PDF.
fn build_all(m: &Manuscript) -> (PathBuf, PathBuf) {
    let output = build_format(&m.dir(), &m.out(), "all", &[]);
    assert_success("quire build --format all", &output);
    let pdf = std::fs::read_dir(m.out())
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with("-print.pdf"))
        .expect("no print PDF");
    (the_epub_in(&m.out()), pdf)
}

fn epub_clean(epub: &Path, work: &Path) {
    if let Some(report) = epubcheck(epub, work) {
        report.assert_clean("the parts manuscript");
    }
}

#[test]
fn chapter_labels_follow_book_toml() {
    let cases = [
        ("", "Chapter 3", "chapter 3"),
        ("chapter-numbers = \"words\"\n", "Chapter Three", "chapter three"),
        (
            "chapter-label = \"Letter\"\nchapter-numbers = \"roman\"\n",
            "Letter III",
            "letter iii",
        ),
        ("chapter-label = \"\"\nchapter-numbers = \"words\"\n", "Three", "three"),
    ];
    for (k, (keys, epub_label, pdf_label)) in cases.iter().enumerate() {
        let m = manuscript(
            &format!("labels_{k}"),
            keys,
            &format!("chapters = [{}]\n", chapter_list(1..=3)),
            3,
        );
        let (epub, pdf) = build_all(&m);
        let entries = unzip_entries(&epub);
        let xhtml = chapter_xhtml(&entries, "c003");
        let doc = parse_xml(&xhtml, "c003.xhtml");
        let label = doc
            .descendants()
            .find(|n| n.attribute("class") == Some("chapter-number"))
            .map(node_text)
            .unwrap_or_default();
        assert_eq!(label, *epub_label, "EPUB label with {keys:?}");
        if require_tools(&["pdftotext"]) {
            let pages = pdf_page_texts(&pdf);
            let opener = pages
                .iter()
                .find(|t| t.contains("Title 3") && !t.contains("Title 2"))
                .expect("opener of chapter 3");
            assert!(
                normalize_ws(opener).to_lowercase().contains(pdf_label),
                "PDF opener with {keys:?} lacks {pdf_label:?}: {opener}"
            );
        }
    }

    // "none": no label, in either edition.
    let m = manuscript(
        "labels_none",
        "chapter-numbers = \"none\"\n",
        &format!("chapters = [{}]\n", chapter_list(1..=2)),
        2,
    );
    let (epub, _) = build_all(&m);
    let xhtml = chapter_xhtml(&unzip_entries(&epub), "c002");
    assert!(!xhtml.contains("chapter-number"), "a label was printed: {xhtml}");
}

#[test]
fn number_words_are_right_past_twenty() {
    let m = manuscript(
        "labels_words_106",
        "chapter-numbers = \"words\"\n",
        &format!("chapters = [{}]\n", chapter_list(1..=106)),
        106,
    );
    let model = m.dump();
    let label = |i: usize| chapters(&model)[i - 1]["label"].as_str().unwrap().to_string();
    assert_eq!(label(21), "Chapter Twenty-One");
    assert_eq!(label(106), "Chapter One Hundred Six");
}

#[test]
fn a_german_book_prints_german_words() {
    let m = manuscript(
        "labels_german",
        "chapter-numbers = \"words\"\nrights = \"© 2026 Test\"\n",
        &format!("chapters = [{}]\n", chapter_list(1..=2)),
        2,
    );
    let toml = m.read("book.toml").replace("en-US", "de-DE");
    m.write("book.toml", toml);
    let (epub, pdf) = build_all(&m);
    let entries = unzip_entries(&epub);
    let nav = entry_text(
        &entries,
        entry_names(&entries).into_iter().find(|n| n.ends_with("nav.xhtml")).unwrap(),
    );
    assert!(nav.contains("<h1 id=\"toc-title\">Inhalt</h1>"), "nav heading: {nav}");
    let xhtml = chapter_xhtml(&entries, "c002");
    assert!(xhtml.contains(">Kapitel Zwei</p>"), "EPUB label: {xhtml}");
    if require_tools(&["pdftotext"]) {
        let text = normalize_ws(&pdftotext(&pdf, &[]));
        assert!(text.contains("Inhalt"), "no \"Inhalt\" in the PDF");
        assert!(text.contains("kapitel zwei"), "no \"kapitel zwei\" in the PDF");
        assert!(text.contains("Erstausgabe 2. Januar 2026."), "copyright page in German");
        for english in ["Contents", "Chapter", "First published", "Typeset with"] {
            assert!(!text.contains(english), "English {english:?} in a German book");
        }
    }
}

#[test]
fn only_the_books_own_copyright_words_are_printed() {
    let m = manuscript(
        "labels_copyright",
        "rights = \"Copyright © 2026 Test Author.\"\n\
         copyright-notes = [\"Set in Linux Libertine.\", \"Printed on paper.\"]\n",
        &format!("chapters = [{}]\n", chapter_list(1..=1)),
        1,
    );
    let (epub, pdf) = build_all(&m);
    let entries = unzip_entries(&epub);
    let copyright = entry_text(
        &entries,
        entry_names(&entries)
            .into_iter()
            .find(|n| n.ends_with("copyright.xhtml"))
            .unwrap(),
    );
    for line in
        ["Copyright © 2026 Test Author.", "Set in Linux Libertine.", "Printed on paper."]
    {
        assert!(copyright.contains(line), "EPUB copyright page lacks {line:?}");
    }
    assert!(!copyright.contains("reflection questions"), "the sample's sentence leaked");
    if require_tools(&["pdftotext"]) {
        let text = normalize_ws(&pdftotext(&pdf, &[]));
        assert!(text.contains("Set in Linux Libertine. Printed on paper."), "{text}");
        assert!(!text.contains("reflection questions"), "the sample's sentence leaked");
    }
}

#[test]
fn parts_get_title_pages_contents_entries_and_nested_navigation() {
    let contents = format!(
        "parts = [\n  {{ title = \"The Crossing\", chapters = [{}] }},\n  \
         {{ title = \"The Return\", chapters = [{}] }},\n]\n",
        chapter_list(1..=3),
        chapter_list(4..=5)
    );
    let m = manuscript("labels_parts", "", &contents, 5);
    let model = m.dump();
    assert_eq!(model["parts"][1]["label"], "Part Two");
    assert_eq!(chapters(&model)[3]["number"], 4, "numbers run on through the parts");
    let (epub, pdf) = build_all(&m);
    epub_clean(&epub, m.tmp.path());

    // EPUB: a part page, and the chapters nested under their part in the nav.
    let entries = unzip_entries(&epub);
    let nav_name =
        entry_names(&entries).into_iter().find(|n| n.ends_with("nav.xhtml")).unwrap();
    let nav = entry_text(&entries, nav_name);
    let doc = parse_xml(&nav, "nav.xhtml");
    let toc = doc.descendants().find(|n| n.attribute("id") == Some("toc")).unwrap();
    let top: Vec<String> = toc
        .children()
        .find(|n| n.has_tag_name("ol"))
        .unwrap()
        .children()
        .filter(|n| n.has_tag_name("li"))
        .map(|li| {
            normalize_ws(&node_text(li.children().find(|c| c.has_tag_name("a")).unwrap()))
        })
        .collect();
    assert!(top.contains(&"Part Two: The Return".to_string()), "top level: {top:?}");
    assert!(!top.iter().any(|t| t.contains("Title 4")), "chapter 4 not nested: {top:?}");
    let part_li = toc
        .descendants()
        .find(|n| {
            n.has_tag_name("li") && node_text(*n).trim_start().starts_with("Part Two")
        })
        .unwrap();
    let nested = normalize_ws(&node_text(part_li));
    assert!(nested.contains("4. Title 4") && nested.contains("5. Title 5"), "{nested}");
    let part_page = entry_text(
        &entries,
        entry_names(&entries).into_iter().find(|n| n.ends_with("part-2.xhtml")).unwrap(),
    );
    assert!(part_page.contains("epub:type=\"part\""), "{part_page}");

    // PDF: the bookmarks nest the chapters under their part.
    let doc = load_pdf(&pdf);
    let catalog = doc.catalog().unwrap();
    let root = pdf_resolve(&doc, catalog.get(b"Outlines").unwrap()).as_dict().unwrap();
    let mut next = root.get(b"First").ok().map(|o| o.as_reference().unwrap());
    let mut part_children = None;
    while let Some(id) = next {
        let item = doc.get_dictionary(id).unwrap();
        let title = pdf_text_string(&doc, item.get(b"Title").unwrap());
        if title == "Part One: The Crossing" {
            part_children = Some(item.get(b"Count").unwrap().as_i64().unwrap());
        }
        next = item.get(b"Next").ok().map(|o| o.as_reference().unwrap());
    }
    assert_eq!(part_children, Some(-3), "part one's bookmark holds its 3 chapters");

    // PDF: part title pages, and the parts in the printed contents.
    if require_tools(&["pdftotext"]) {
        let pages = pdf_page_texts(&pdf);
        let part_page = pages
            .iter()
            .position(|t| normalize_ws(t).to_lowercase() == "part two the return")
            .expect("a page with only the part's label and title");
        assert!(part_page % 2 == 0, "part page {} is not a recto", part_page + 1);
        assert!(
            pages[part_page + 1].trim().is_empty(),
            "the part page's verso is not blank"
        );
        let contents = pages.iter().find(|t| t.contains("Contents")).unwrap();
        assert!(normalize_ws(contents).contains("Part Two: The Return"), "{contents}");
    }
}

#[test]
fn colliding_contents_keys_are_refused() {
    let contents = format!(
        "chapters = [{}]\nparts = [{{ title = \"X\", chapters = [{}] }}]\n",
        chapter_list(1..=1),
        chapter_list(2..=2)
    );
    let m = manuscript("labels_both", "", &contents, 2);
    let output = m.dump_output();
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(
        err.contains("book.toml:") && err.contains("both `chapters` and `parts`"),
        "{err}"
    );

    let m = manuscript(
        "labels_bad_numbers",
        "chapter-numbers = \"letters\"\n",
        &format!("chapters = [{}]\n", chapter_list(1..=1)),
        1,
    );
    let err = stderr(&m.dump_output());
    assert!(
        err.contains("\"letters\" is not one of words, digits, roman, none"),
        "{err}"
    );
}
