//! Cross-references in print: a link to another chapter, or to a heading in it, is a
//! clickable area over its words that goes to the page its target is set on.

mod common;

use common::*;
use std::path::PathBuf;

/// Two chapters: the first links to the second and to a heading in it, which is set a
/// few pages into the second chapter.
fn linked_book(test: &str, extra_toml: &str) -> Manuscript {
    let filler = "A paragraph of plain running text fills the pages before the heading, \
                  so that the heading is set on a later page than its chapter opens on. "
        .repeat(8);
    let mut second = String::from("# The Second\n\n");
    for _ in 0..12 {
        second.push_str(&filler);
        second.push_str("\n\n");
    }
    second.push_str("## A Heading\n\nThe text under the heading.\n");
    let m = Manuscript::new(
        test,
        &[
            (
                "01-a.md",
                "# The First\n\nBefore the link, [see ch 2](02-b.md#a-heading) and also \
                 [the other chapter](02-b.md) after it.[^n]\n\n\
                 [^n]: A note that links to [the second](02-b.md) too.\n",
            ),
            ("02-b.md", &second),
        ],
    );
    if !extra_toml.is_empty() {
        let mut toml = m.read("book.toml");
        toml.push_str(extra_toml);
        m.write("book.toml", toml);
    }
    m
}

/// The linked book's print PDF and the pages its links should lead to.
struct LinkedPdf {
    /// Kept so that its temporary folder (holding the PDF) lives as long as this does.
    _book: Manuscript,
    pdf: PathBuf,
    /// The page index that shows "A Heading".
    heading_page: usize,
    /// The page index that opens the second chapter.
    second_page: usize,
}

/// Builds [`linked_book`] to PDF and finds its target pages; `None` (the test skips)
/// without pdftotext.
fn linked_pdf(test: &str, extra_toml: &str) -> Option<LinkedPdf> {
    let book = linked_book(test, extra_toml);
    let (pdf, _) = book.build_pdf();
    if !require_tools(&["pdftotext"]) {
        return None;
    }
    let texts = pdf_page_texts(&pdf);
    let heading_page = texts
        .iter()
        .position(|t| t.lines().any(|l| l.trim() == "A Heading"))
        .expect("no page shows the heading");
    let second_page = texts
        .iter()
        .position(|t| {
            t.lines().any(|l| l.trim() == "The Second")
                && t.contains("A paragraph of plain")
        })
        .expect("no page opens the second chapter");
    Some(LinkedPdf { _book: book, pdf, heading_page, second_page })
}

/// Builds a manuscript's PDF; `None` (the test skips) without pdftotext.
fn plain_pdf(m: &Manuscript) -> Option<PathBuf> {
    let (pdf, _) = m.build_pdf();
    require_tools(&["pdftotext"]).then_some(pdf)
}

/// Each link annotation of the PDF: (page index it is on, target page index, rect).
fn links(pdf: &std::path::Path) -> Vec<(usize, usize, [f64; 4])> {
    let doc = load_pdf(pdf);
    let pages = pdf_page_ids(&doc);
    let mut out = Vec::new();
    for (i, &id) in pages.iter().enumerate() {
        let page = doc.get_dictionary(id).unwrap();
        let Ok(annots) = page.get(b"Annots") else { continue };
        let annots = pdf_resolve(&doc, annots).as_array().unwrap();
        for a in annots {
            let a = pdf_resolve(&doc, a).as_dict().unwrap();
            if a.get(b"Subtype").and_then(|s| s.as_name()).ok() != Some(&b"Link"[..]) {
                continue;
            }
            let dest = match a.get(b"Dest") {
                Ok(d) => pdf_resolve(&doc, d),
                Err(_) => {
                    let action =
                        pdf_resolve(&doc, a.get(b"A").unwrap()).as_dict().unwrap();
                    pdf_resolve(&doc, action.get(b"D").unwrap())
                }
            };
            let target = dest.as_array().unwrap()[0].as_reference().unwrap();
            let to = pages.iter().position(|&p| p == target).unwrap();
            let r = pdf_resolve(&doc, a.get(b"Rect").unwrap()).as_array().unwrap();
            let n: Vec<f64> = r.iter().map(|x| pdf_number(&doc, x)).collect();
            out.push((i, to, [n[0], n[1], n[2], n[3]]));
        }
    }
    out
}

#[test]
fn a_cross_reference_links_to_its_targets_page_over_its_words() {
    let Some(LinkedPdf { _book, pdf, heading_page, second_page }) =
        linked_pdf("print_links_goto", "")
    else {
        return;
    };
    assert!(heading_page > second_page, "the heading should be pages into its chapter");
    let (sizes, words) = pdf_words(&pdf);
    let word = |text: &str| {
        words
            .iter()
            .find(|w| w.text == text)
            .unwrap_or_else(|| panic!("no word {text:?}"))
    };
    let see = word("see");
    let at = words.iter().position(|w| w.text == "see").unwrap();
    let two = &words[at + 2];
    assert_eq!((words[at + 1].text.as_str(), two.text.as_str()), ("ch", "2"));
    let links = links(&pdf);
    let from_text: Vec<_> = links.iter().filter(|l| l.0 == see.page).collect();
    // The contents' entries link too; the text's links are those on the first chapter's page.
    assert_eq!(from_text.len(), 3, "{links:?}");
    let height = sizes[see.page].1;
    let (_, to, r) = from_text[0];
    assert_eq!(*to, heading_page, "the heading link goes to the page of the heading");
    // The area covers "see ch 2" (pdftotext's boxes are top-down) and not the words before.
    assert!(
        r[0] <= see.x_min + 0.5 && r[2] >= two.x_max - 1.5,
        "{r:?} vs {see:?} {two:?}"
    );
    assert!(r[2] <= two.x_max + 0.5, "the area runs past the link's words: {r:?}");
    let link = word("link,");
    assert!(r[0] >= link.x_max, "the area covers words before the link: {r:?}");
    let (top, bottom) = (height - r[3], height - r[1]);
    assert!(top <= see.y_min + 0.5 && bottom >= see.y_max - 0.5, "{r:?} vs {see:?}");
    let (_, to, _) = from_text[1];
    assert_eq!(*to, second_page, "the chapter link goes to the chapter's opening page");
    // The footnote's link, at the page foot.
    let (_, to, r) = from_text[2];
    assert_eq!(*to, second_page);
    let note_word =
        words.iter().find(|w| w.text == "second" && w.page == see.page).unwrap();
    assert!(r[0] <= note_word.x_min + 0.5 && r[2] >= note_word.x_max - 0.5, "{r:?}");
    assert!(height - r[3] <= note_word.y_min + 0.5, "{r:?} {note_word:?}");
}

#[test]
fn a_handout_keeps_a_link_to_another_chapter_as_plain_text() {
    let m = linked_book("print_links_handout", "");
    let output = build_format(&m.dir(), &m.out(), "handouts", &[]);
    assert_success("quire build --format handouts", &output);
    let pdfs: Vec<PathBuf> = walk(&m.out())
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    assert!(!pdfs.is_empty(), "no handout PDF in {:?}", m.out());
    for pdf in pdfs {
        assert!(links(&pdf).is_empty(), "{}: a dead link", pdf.display());
    }
}

fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

/// The top of the first word `text` in the PDF.
fn word_top(words: &[PdfWord], text: &str) -> (usize, f64) {
    let w =
        words.iter().find(|w| w.text == text).unwrap_or_else(|| panic!("no {text:?}"));
    (w.page, w.y_min)
}

#[test]
fn a_loose_list_has_paragraph_space_between_its_items_a_tight_one_none() {
    let m = Manuscript::new(
        "print_links_lists",
        &[(
            "01-lists.md",
            "# Lists\n\nA tight list:\n\n- alpha\n- beta\n- gamma\n\nA loose list:\n\n\
             - delta\n\n- epsilon\n\n- zeta\n\nThe end.\n",
        )],
    );
    let Some(pdf) = plain_pdf(&m) else {
        return;
    };
    let (_, words) = pdf_words(&pdf);
    let step = |a: &str, b: &str| {
        let (pa, ya) = word_top(&words, a);
        let (pb, yb) = word_top(&words, b);
        assert_eq!(pa, pb, "{a} and {b} on different pages");
        yb - ya
    };
    let tight = step("alpha", "beta");
    let loose = step("delta", "epsilon");
    assert!((tight - step("beta", "gamma")).abs() < 0.01);
    assert!((loose - step("epsilon", "zeta")).abs() < 0.01);
    // One leading between tight items; a blank slot more between loose ones.
    assert!((loose - 2.0 * tight).abs() < 0.01, "tight {tight}, loose {loose}");
}

#[test]
fn nested_quotation_marks_get_a_narrow_space_between_them_in_print() {
    let m = Manuscript::new(
        "print_links_quotes",
        &[(
            "01-quotes.md",
            "# Quotes\n\nShe wrote, “‘Tis the season,’ he said, ‘and “that” is all.’”\n",
        )],
    );
    let Some(pdf) = plain_pdf(&m) else {
        return;
    };
    // pdftotext writes the narrow no-break space as a plain space; the layout has it.
    let text = pdftotext(&pdf, &[]).replace('\u{202f}', " ");
    assert!(text.contains("“ ‘Tis"), "{text}");
    assert!(text.contains("all.’ ”"), "{text}");
    let layout = stdout(&run(quire().args(["dump", "--layout"]).arg(m.dir())));
    assert!(layout.contains("“\u{202f}‘Tis"), "{layout}");
    assert!(layout.contains("all.’\u{202f}”"), "{layout}");
    // Quotes that do not nest are left alone.
    assert!(text.contains("‘and “that” is"), "{text}");
    // The EPUB keeps the characters as written.
    let (epub, _) = m.build_ok();
    let entries = unzip_entries(&epub);
    let xhtml = chapter_xhtml(&entries, "quotes");
    assert!(xhtml.contains("“‘Tis"), "{xhtml}");
}

#[test]
fn page_references_print_the_folio_of_the_targets_page() {
    let Some(LinkedPdf { _book, pdf, heading_page, second_page }) =
        linked_pdf("print_links_page_refs", "\n[print]\npage-references = true\n")
    else {
        return;
    };
    let labels = pdf_page_labels(&load_pdf(&pdf));
    let text = pdftotext(&pdf, &[]).replace(['\u{a0}', '\n'], " ");
    let expect = format!("see ch 2 (p. {})", labels[heading_page]);
    assert!(text.contains(&expect), "no {expect:?} in {text}");
    let expect = format!("the other chapter (p. {})", labels[second_page]);
    assert!(text.contains(&expect), "no {expect:?} in {text}");
    // The page numbers are part of the links.
    let links = links(&pdf);
    let (_, words) = pdf_words(&pdf);
    let see = words.iter().find(|w| w.text == "see").unwrap();
    let first = links.iter().find(|l| l.0 == see.page).expect("no link");
    assert_eq!(first.1, heading_page);
    let close = words
        .iter()
        .find(|w| {
            w.page == see.page
                && w.text.starts_with(&labels[heading_page])
                && w.text.contains(')')
        })
        .expect("no folio word");
    assert!(first.2[2] >= close.x_max - 1.5, "{first:?} {close:?}");
}

#[test]
fn page_references_are_off_by_default() {
    let Some(LinkedPdf { _book, pdf, .. }) = linked_pdf("print_links_no_page_refs", "")
    else {
        return;
    };
    assert!(!pdftotext(&pdf, &[]).contains("(p."));
}

/// A dedication that refers to the second chapter, a chapter whose figure's caption
/// refers to a heading of the second chapter, and that second chapter.
fn captioned_book(test: &str) -> Manuscript {
    let m = Manuscript::with_front(
        test,
        &[(
            "dedication.md",
            "+++\nkind = \"dedication\"\n+++\n\nFor the readers of [the second \
             chapter](02-b.md).\n",
        )],
        &[
            (
                "01-a.md",
                "# The First\n\n![A cycle](images/c.png \"The cycle, as [the heading \
                 says](02-b.md#a-heading) later\")\n",
            ),
            ("02-b.md", "# The Second\n\n## A Heading\n\nThe text under the heading.\n"),
        ],
    );
    let png =
        std::fs::read(sample_manuscript().join("images/withdrawal-cycle.png")).unwrap();
    m.write("images/c.png", png);
    m
}

#[test]
fn cross_references_in_a_caption_and_a_dedication_are_links_in_both_editions() {
    let m = captioned_book("print_links_caption");
    let (epub, _) = m.build_ok();
    let entries = unzip_entries(&epub);
    let dedication = chapter_xhtml(&entries, "dedication");
    let want = "<a href=\"b.xhtml\">the second chapter</a>";
    assert!(dedication.contains(want), "{want} not in\n{dedication}");
    let xhtml = chapter_xhtml(&entries, "a");
    let want = "<figcaption>The cycle, as <a href=\"b.xhtml#a-heading\">the heading \
                says</a> later</figcaption>";
    assert!(xhtml.contains(want), "{want} not in\n{xhtml}");
    if let Some(report) = epubcheck(&epub, m.tmp.path()) {
        report.assert_clean("the captioned book");
    }
    let Some(pdf) = plain_pdf(&m) else {
        return;
    };
    let texts = pdf_page_texts(&pdf);
    let page_showing = |line: &str| {
        texts
            .iter()
            .position(|t| t.lines().any(|l| l.trim() == line))
            .unwrap_or_else(|| panic!("no page shows {line:?}"))
    };
    // The second chapter is short: it opens on the page of its heading.
    let heading_page = page_showing("A Heading");
    let second_page = heading_page;
    assert!(texts[second_page].contains("The Second"), "{}", texts[second_page]);
    let (_, words) = pdf_words(&pdf);
    let links = links(&pdf);
    let link_over = |text: &str| {
        let word = words.iter().find(|w| w.text == text).expect("no such word");
        links
            .iter()
            .find(|(page, _, r)| {
                *page == word.page && r[0] <= word.x_min + 0.5 && r[2] >= word.x_max - 0.5
            })
            .unwrap_or_else(|| panic!("no link over {text:?}: {links:?}"))
            .1
    };
    assert_eq!(
        link_over("says"),
        heading_page,
        "the caption links to the heading's page"
    );
    assert_eq!(link_over("second"), second_page, "the dedication links to the chapter");
}
