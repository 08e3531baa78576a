//! More print editions from the same manuscript (issue 19): `[book] editions` with the
//! built-in `large-print` preset and `[editions.NAME]` tables, and the group leader's
//! guide.
//!
//! Everything is read back from the PDFs: type sizes from the content streams' `Tf`
//! operators, baselines and line ends from `pdftotext -bbox`, contents entries and
//! page labels from the text and `/PageLabels`. Every PDF a build writes also goes
//! through the bounds check (tests/common/bounds.rs), which holds each edition's pages
//! to its own trim, margins and the gutter of its own page count.

mod common;

#[path = "../benches/common/corpus.rs"]
mod corpus;

use common::*;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The sample manuscript with `keys` added to `[book]`, and `tables` appended.
fn sample_with(tmp: &TempDir, keys: &[&str], tables: &str) -> PathBuf {
    let dir = sample_copy_with(tmp, "book", keys);
    let toml = std::fs::read_to_string(dir.join("book.toml")).unwrap();
    write_file(&dir.join("book.toml"), format!("{toml}\n{tables}"));
    dir
}

/// The type size most of a PDF's text is set in: the `Tf` size that the most text
/// operators follow.
fn body_size(pdf: &Path) -> f64 {
    let doc = load_pdf(pdf);
    let mut counts: BTreeMap<i64, usize> = BTreeMap::new();
    for page in pdf_page_ids(&doc) {
        let mut size = 0.0;
        for (op, args) in page_operations(&doc, page) {
            match op.as_str() {
                "Tf" => size = args.last().copied().unwrap_or(0.0),
                "TJ" | "Tj" => {
                    *counts.entry((size * 100.0).round() as i64).or_default() += 1
                }
                _ => {}
            }
        }
    }
    let (size, _) = counts.into_iter().max_by_key(|(_, n)| *n).expect("no text");
    size as f64 / 100.0
}

/// The most common distance between the baselines of consecutive lines on a page.
fn body_leading(pdf: &Path) -> f64 {
    let (_, words) = pdf_words(pdf);
    let lines = word_lines(&words);
    let mut gaps: BTreeMap<i64, usize> = BTreeMap::new();
    for pair in lines.windows(2) {
        if pair[0][0].page == pair[1][0].page {
            let gap = pair[1][0].y_max - pair[0][0].y_max;
            *gaps.entry((gap * 10.0).round() as i64).or_default() += 1;
        }
    }
    gaps.into_iter().max_by_key(|(_, n)| *n).unwrap().0 as f64 / 10.0
}

/// For each page from `from` on, how far apart the right ends of its full lines lie:
/// lines that start at the page's main left edge and are followed by a line starting
/// there too (so not a paragraph's last line, nor a quotation's or a list's).
fn rag_per_page(pdf: &Path, from: usize) -> Vec<f64> {
    let (_, words) = pdf_words(pdf);
    let lines = word_lines(words.iter().filter(|w| w.page >= from));
    let mut by_page: BTreeMap<usize, Vec<&Vec<&PdfWord>>> = BTreeMap::new();
    for line in &lines {
        by_page.entry(line[0].page).or_default().push(line);
    }
    let mut spreads = Vec::new();
    for lines in by_page.values() {
        let mut lefts: BTreeMap<i64, usize> = BTreeMap::new();
        for line in lines {
            *lefts.entry(line[0].x_min.round() as i64).or_default() += 1;
        }
        let Some((&left, _)) = lefts.iter().max_by_key(|(_, n)| **n) else { continue };
        let at_left =
            |line: &Vec<&PdfWord>| (line[0].x_min.round() as i64 - left).abs() <= 1;
        let ends: Vec<f64> = lines
            .windows(2)
            .filter(|p| at_left(p[0]) && at_left(p[1]))
            .map(|p| p[0].last().unwrap().x_max)
            .collect();
        if ends.len() >= 5 {
            spreads.push(spread(&ends));
        }
    }
    spreads
}

fn spread(values: &[f64]) -> f64 {
    let max = values.iter().copied().fold(f64::MIN, f64::max);
    let min = values.iter().copied().fold(f64::MAX, f64::min);
    max - min
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Every line of `pdf` that ends in a hyphen joining two parts of a word that the
/// manuscript writes without one: a hyphen the engine added.
fn added_hyphens(pdf: &Path, source: &str) -> Vec<String> {
    let (_, words) = pdf_words(pdf);
    let lines = word_lines(&words);
    let mut found = Vec::new();
    for pair in lines.windows(2) {
        let last = &pair[0].last().unwrap().text;
        let Some(head) = last.strip_suffix('-') else { continue };
        let tail = &pair[1][0].text;
        let head: String = head.chars().filter(|c| c.is_alphabetic()).collect();
        let tail: String = tail.chars().take_while(|c| c.is_alphabetic()).collect();
        if head.is_empty() || tail.is_empty() {
            continue;
        }
        if !source.contains(&format!("{head}-{tail}"))
            && source.contains(&format!("{head}{tail}"))
        {
            found.push(format!("{head}-/{tail}"));
        }
    }
    found
}

/// The manuscript's text, as the source of words.
fn manuscript_text(dir: &Path) -> String {
    let mut text = String::new();
    for name in dir_entries(dir).into_iter().filter(|n| n.ends_with(".md")) {
        text.push_str(&std::fs::read_to_string(dir.join(name)).unwrap());
    }
    text
}

/// The page label of the opener of `essay` (a model chapter): the page whose text
/// starts with the essay's label and title ("Essay Two The Weight of Being Seen"), as
/// only an opener's does (other pages start with a running head or the text).
fn opener_label(
    texts: &[String],
    labels: &[String],
    essay: &serde_json::Value,
) -> String {
    let key = |s: &str| -> String {
        s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
    };
    let opening = key(&format!(
        "{} {}",
        essay["label"].as_str().unwrap_or(""),
        inline_text(&essay["title"])
    ));
    let page = texts
        .iter()
        .position(|t| key(t).starts_with(&opening))
        .unwrap_or_else(|| panic!("no page opens with {opening:?}"));
    labels[page].clone()
}

#[test]
fn a_large_print_edition_is_set_in_large_ragged_unhyphenated_type_with_its_own_pages() {
    if !require_tools(&["pdftotext", "qpdf"]) {
        return;
    }
    let tmp = TempDir::new("editions_large_print");
    let dir = sample_with(&tmp, &["editions = [\"large-print\"]"], "");
    let out = tmp.join("out");
    let output = build_format(&dir, &out, "pdf", &[]);
    assert_success("quire build --format pdf with a large-print edition", &output);
    assert_eq!(
        dir_entries(&out),
        ["the-quiet-room-large-print.pdf", "the-quiet-room-print.pdf"]
    );
    let large = out.join("the-quiet-room-large-print.pdf");
    let paperback = out.join("the-quiet-room-print.pdf");
    assert_qpdf_clean(&large);
    assert_fonts_embedded(&large, true);

    let (size, leading) = (body_size(&large), body_leading(&large));
    assert!(size >= 16.0, "large print set in {size} pt");
    assert!(leading >= 1.35 * size, "leading {leading} pt for {size} pt type");
    assert!((body_size(&paperback) - 11.0).abs() < 0.01, "the paperback changed size");

    // Ragged right: the line ends of full lines wander; the paperback's do not (they
    // hang punctuation by a few points at most).
    let doc = load_pdf(&large);
    let labels = pdf_page_labels(&doc);
    let first_body = labels.iter().position(|l| l == "1").unwrap();
    let rag = median(rag_per_page(&large, first_body));
    assert!(rag > 40.0, "the large print's right edge varies by {rag:.1} pt only");
    let paper_labels = pdf_page_labels(&load_pdf(&paperback));
    let paper_first = paper_labels.iter().position(|l| l == "1").unwrap();
    let justified = median(rag_per_page(&paperback, paper_first));
    assert!(justified < 8.0, "the paperback's right edge varies by {justified:.1} pt");

    let source = manuscript_text(&dir);
    let hyphens = added_hyphens(&large, &source);
    assert!(hyphens.is_empty(), "words hyphenated in large print: {hyphens:?}");
    assert!(
        !added_hyphens(&paperback, &source).is_empty(),
        "the check finds no hyphen at all"
    );

    // Its own pagination and contents: more pages than the paperback, and each essay's
    // contents entry names the page the essay opens on in this edition.
    assert!(labels.len() > paper_labels.len() + 20, "{} pages", labels.len());
    let texts = pdf_page_texts(&large);
    let contents = normalize_ws(&texts[..first_body].join(" "));
    let model = dump_model(&dir);
    let essays: Vec<&serde_json::Value> =
        chapters(&model).iter().filter(|c| c["kind"] == "essay").collect();
    for essay in &essays {
        let title = inline_text(&essay["title"]);
        let label = opener_label(&texts, &labels, essay);
        let entry = format!("{} {label}", normalize_ws(&title));
        assert!(contents.contains(&entry), "contents lacks {entry:?}:\n{contents}");
    }
}

/// Each edition gets its own wraparound cover, whose spine follows its own page count
/// (KDP white paper, 0.002252 in a page): the MediaBox is 2 × trim + spine + 2 × bleed
/// wide, read back from both covers and both interiors.
#[test]
fn each_edition_has_its_own_cover_with_a_spine_for_its_own_page_count() {
    let tmp = TempDir::new("editions_covers");
    let dir = sample_with(&tmp, &["editions = [\"large-print\"]"], "");
    let out = tmp.join("out");
    assert_success("covers and interiors", &build_format(&dir, &out, "all", &[]));
    let width_of = |name: &str| {
        let doc = load_pdf(&out.join(name));
        let media = pdf_page_box(&doc, pdf_page_ids(&doc)[0], "MediaBox").unwrap();
        (media[2] - media[0], pdf_page_ids(&doc).len())
    };
    let (_, paper_pages) = width_of("the-quiet-room-print.pdf");
    let (_, large_pages) = width_of("the-quiet-room-large-print.pdf");
    assert!(large_pages > paper_pages);
    for (cover, pages) in [
        ("the-quiet-room-cover.pdf", paper_pages),
        ("the-quiet-room-large-print-cover.pdf", large_pages),
    ] {
        let (width, count) = width_of(cover);
        assert_eq!(count, 1, "{cover}");
        // Both are 6 × 9 in: the sample's paperback and the large-print preset.
        let expected = (2.0 * 6.0 + pages as f64 * 0.002252 + 0.25) * 72.0;
        assert!((width - expected).abs() < 0.01, "{cover}: {width} pt, not {expected}");
    }
}

/// Not only the sample: a generated novel in three parts (YAML titles, no headings, no
/// reflections) gets a clean large-print edition too, every page inside its own margins
/// (the bounds check), its text large and never hyphenated by the engine.
#[test]
fn a_generated_novel_gets_a_large_print_edition() {
    if !require_tools(&["pdftotext", "qpdf"]) {
        return;
    }
    let tmp = TempDir::new("editions_novel");
    let dir = tmp.join("novel");
    corpus::write_shape(corpus::Shape::Novel, 20_000, &dir, 3).unwrap();
    let toml = std::fs::read_to_string(dir.join("book.toml")).unwrap();
    let toml = toml.replacen("[book]\n", "[book]\neditions = [\"large-print\"]\n", 1);
    write_file(&dir.join("book.toml"), toml);
    let out = tmp.join("out");
    let output = build_format(&dir, &out, "pdf", &[]);
    assert_success("the novel's editions", &output);
    assert!(!stderr(&output).contains("warning"), "{}", stderr(&output));
    let large: Vec<String> = dir_entries(&out)
        .into_iter()
        .filter(|n| n.ends_with("-large-print.pdf"))
        .collect();
    assert_eq!(large.len(), 1, "{:?}", dir_entries(&out));
    let large = out.join(&large[0]);
    assert_qpdf_clean(&large);
    assert!(body_size(&large) >= 16.0);
    let source = manuscript_text(&dir);
    let hyphens = added_hyphens(&large, &source);
    assert!(hyphens.is_empty(), "{hyphens:?}");
    // (That the check finds the hyphens a justified edition adds is shown on the sample.)
}

#[test]
fn an_editions_table_sets_its_own_keys_over_the_paperback() {
    let tmp = TempDir::new("editions_table");
    let dir = sample_with(
        &tmp,
        &[],
        "[editions.pocket]\ntrim = \"5x8\"\nfont-size = 10.0\nleading = 13.0\n",
    );
    let out = tmp.join("out");
    assert_success("a pocket edition", &build_format(&dir, &out, "pdf", &[]));
    let pocket = out.join("the-quiet-room-pocket.pdf");
    let doc = load_pdf(&pocket);
    let media = pdf_page_box(&doc, pdf_page_ids(&doc)[0], "MediaBox").unwrap();
    assert_eq!([media[2], media[3]], [360.0, 576.0], "a 5 × 8 in page");
    assert!((body_size(&pocket) - 10.0).abs() < 0.01);
    // Justified and hyphenated, as `[print]` is.
    let source = manuscript_text(&dir);
    assert!(!added_hyphens(&pocket, &source).is_empty());
}

#[test]
fn edition_settings_out_of_range_or_unknown_are_located_errors() {
    let tmp = TempDir::new("editions_errors");
    let dir = sample_with(
        &tmp,
        &["editions = [\"large-print\", \"nosuch\", \"print\"]"],
        "[editions.huge]\nfont-size = 40.0\n\n[editions.bad]\nemphasis = \"underline\"\nleading = 2.0\n",
    );
    let output = build_format(&dir, &tmp.join("out"), "pdf", &[]);
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    let toml = std::fs::read_to_string(dir.join("book.toml")).unwrap();
    for (needle, message) in [
        ("\"nosuch\"", "is not a built-in one"),
        ("\"print\"", "another output's"),
        ("40.0", "font-size = 40.0 is out of range"),
        ("\"underline\"", "is not one of italic, bold"),
        ("2.0", "leading = 2.0 is less than the font size"),
    ] {
        let (line, column) = locate(&toml, needle);
        let place = format!("book.toml:{line}:{column}: ");
        assert!(
            err.lines().any(|l| l.contains(&place) && l.contains(message)),
            "no {message:?} at {place}:\n{err}"
        );
    }
    assert_no_files(&tmp.join("out"));
}

#[test]
fn the_leaders_guide_lists_every_question_with_the_paperback_page_of_its_essay() {
    if !require_tools(&["pdftotext", "qpdf"]) {
        return;
    }
    let tmp = TempDir::new("editions_guide");
    let dir = sample_copy_with(&tmp, "handouts", &["session-minutes = 120"]);
    // A summary for the first essay, in TOML front matter.
    let first = dir.join("01-introduction.md");
    let text = std::fs::read_to_string(&first).unwrap();
    write_file(
        &first,
        format!(
            "+++\nsummary = \"Why a quiet partner is not always a troubled one.\"\n+++\n{text}"
        ),
    );
    let out = tmp.join("out");
    assert_success("quire build", &build_format(&dir, &out, "all", &[]));
    let guide = out.join("the-quiet-room-leaders-guide.pdf");
    assert_qpdf_clean(&guide);
    let text = normalize_ws(&pdftotext(&guide, &[]));
    assert!(text.contains("Why a quiet partner is not always a troubled one."));
    assert!(text.contains("One session of 120 minutes"), "{text}");

    // Each essay: its title, "See page N" with N where it opens in the paperback, then
    // every one of its questions, in order.
    let paperback = out.join("the-quiet-room-print.pdf");
    let texts = pdf_page_texts(&paperback);
    let labels = pdf_page_labels(&load_pdf(&paperback));
    let model = dump_model(&dir);
    let key = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).collect::<String>();
    let flat = key(&text);
    let mut at = 0;
    let mut questions = 0;
    for essay in chapters(&model).iter().filter(|c| c["kind"] == "essay") {
        let title = inline_text(&essay["title"]);
        let page = opener_label(&texts, &labels, essay);
        for part in [key(&title), key(&format!("See page {page} of the paperback"))] {
            at = flat[at..].find(&part).map(|i| at + i + part.len()).unwrap_or_else(
                || panic!("{title:?}: {part} (page {page}) not in order"),
            );
        }
        for q in essay["reflection"]["questions"].as_array().unwrap() {
            let q = key(&blocks_text(q));
            at = flat[at..]
                .find(&q)
                .map(|i| at + i + q.len())
                .unwrap_or_else(|| panic!("question of {title:?} missing: {q}"));
            questions += 1;
        }
    }
    assert!(questions >= 30, "{questions} questions");
}
