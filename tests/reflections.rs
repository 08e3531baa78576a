//! Reflection sections keep what the author wrote (issue 19): text before the question
//! list, questions of several paragraphs and with nested lists, and text after the list
//! come out in the author's order in the model, the EPUB, the paperback and the handout,
//! and on the handout each question's writing lines follow the whole question.
//!
//! Expectations come from the fixture's own words, read back from the real files
//! (the EPUB's XHTML, `pdftotext` of both PDFs, the handout's ruled lines).

mod common;

use common::*;

/// Words of the fixture that must appear, in this order, wherever the section is shown.
const ORDER: [&str; 8] = [
    "Slowlyintro",
    "Firstquestion",
    "Secondparagraph",
    "Nestedalpha",
    "Nestedbeta",
    "Secondquestion",
    "Thirdquestion",
    "Closingafter",
];

const ESSAY: &str = "# An Essay\n\nThe body of the essay says what it has to say.\n\n\
## For reflection {.reflection}\n\nTake these Slowlyintro, one at a time.\n\n\
1. Firstquestion: what did you notice?\n\n   Secondparagraph of the first question.\n\n   \
- Nestedalpha one way\n   - Nestedbeta another\n\n\
2. Secondquestion: what did you say?\n\
3. Thirdquestion: what will you try?\n\n\
Closingafter these questions, talk it over.\n";

/// Where each of [`ORDER`]'s words first occurs in `text`, asserting all do, in order.
fn assert_in_order(text: &str, what: &str) -> Vec<usize> {
    let mut at = Vec::new();
    for word in ORDER {
        let i = text.find(word).unwrap_or_else(|| panic!("{what}: {word} is missing"));
        at.push(i);
    }
    assert!(
        at.windows(2).all(|w| w[0] < w[1]),
        "{what}: out of the author's order: {at:?}"
    );
    at
}

#[test]
fn every_block_of_a_reflection_section_is_shown_in_the_authors_order() {
    let m = Manuscript::new("reflection_order", &[("01-essay.md", ESSAY)]);
    let model = m.dump();
    let reflection = &chapters(&model)[0]["reflection"];
    assert_eq!(
        blocks_text(&reflection["intro"]),
        "Take these Slowlyintro, one at a time."
    );
    let questions = reflection["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 3);
    let first: Vec<&str> = questions[0]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["type"].as_str().unwrap())
        .collect();
    assert_eq!(first, ["paragraph", "paragraph", "list"], "the first question's blocks");
    assert_eq!(
        blocks_text(&reflection["after"]),
        "Closingafter these questions, talk it over."
    );

    // The ebook: everything inside the reflection aside, in order.
    let (epub, err) = m.build_ok();
    assert!(!err.contains("warning"), "warned:\n{err}");
    let entries = unzip_entries(&epub);
    let xhtml = without_page_markers(&chapter_xhtml(&entries, "essay"));
    let aside = &xhtml[xhtml.find("<aside class=\"reflection\"").unwrap()..];
    let aside = &aside[..aside.find("</aside>").unwrap()];
    assert_in_order(aside, "EPUB");
    let doc = parse_xml(&xhtml, "essay");
    let list = doc
        .descendants()
        .find(|n| n.has_tag_name("ol") && n.attribute("class") == Some("questions"))
        .expect("the question list");
    let items: Vec<String> =
        list.children().filter(|n| n.has_tag_name("li")).map(node_text).collect();
    assert_eq!(items.len(), 3);
    assert!(
        items[0].contains("Secondparagraph") && items[0].contains("Nestedbeta"),
        "{items:?}"
    );
    assert!(aside.find("</ol>").unwrap() < aside.find("Closingafter").unwrap());
    if let Some(report) = epubcheck(&epub, m.tmp.path()) {
        report.assert_clean("the reflection fixture's EPUB");
    }
    if !require_tools(&["pdftotext"]) {
        return;
    }

    // The paperback.
    let (pdf, _) = m.build_pdf();
    let text: String =
        pdftotext(&pdf, &[]).split_whitespace().collect::<Vec<_>>().join(" ");
    assert_in_order(&text, "paperback");

    // The handout: the same order, and the first question's four writing lines come
    // after its nested list, before the second question.
    let out = m.tmp.join("handout");
    assert_success(
        "quire build --format handouts",
        &build_format(&m.dir(), &out, "handouts", &[]),
    );
    let handout = out.join("handouts/01-essay.pdf");
    let text: String =
        pdftotext(&handout, &[]).split_whitespace().collect::<Vec<_>>().join(" ");
    assert_in_order(&text, "handout");
    let (_, words) = pdf_words(&handout);
    let place = |word: &str| {
        let w = words.iter().find(|w| w.text.contains(word)).unwrap();
        (w.page, w.y_max)
    };
    let doc = load_pdf(&handout);
    let mut rules = Vec::new();
    for (p, page) in pdf_page_ids(&doc).into_iter().enumerate() {
        let height = pdf_page_box(&doc, page, "MediaBox").unwrap()[3];
        for s in stroked_segments(&doc, page) {
            if (s.y1 - s.y2).abs() < 0.01 && (s.x2 - s.x1).abs() > 200.0 {
                rules.push((p, height - s.y1));
            }
        }
    }
    let between = |a: (usize, f64), b: (usize, f64)| {
        rules.iter().filter(|r| (r.0, r.1) > a && (r.0, r.1) < b).count()
    };
    assert_eq!(
        between(place("Firstquestion"), place("Nestedbeta")),
        0,
        "lines inside question 1"
    );
    assert_eq!(
        between(place("Nestedbeta"), place("Secondquestion")),
        4,
        "question 1's lines"
    );
    assert_eq!(
        between(place("Thirdquestion"), place("Closingafter")),
        4,
        "question 3's lines"
    );
}
