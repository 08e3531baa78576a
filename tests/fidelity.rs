//! What the author wrote reaches the EPUB (issue 12): links between chapters, heading
//! ids, mailto and encoded URLs, superscript and subscript, definition lists, tight and
//! loose lists. Each fixture is built with `quire build` and EPUBCheck must find nothing.

mod common;

use common::*;

const INTRO: &str = r#"# Introduction

Links: [four](parts/04-ownership.md), [the table](parts/04-ownership.md#a-table),
[as html](./parts/04-ownership.html#a-table), [as xhtml](parts/04-ownership.xhtml),
[here](#duplicate-1), [custom](#my-id), [numbered](#1-numbered),
[nowhere](parts/04-ownership.md#nowhere), [not in book](notes/other.md),
[a pdf](images/x.pdf), <me@example.com>, [spaced](<https://example.com/a b>),
[accented](https://example.com/café?q="x"), [evil](javascript:alert(1)).

## Duplicate

Text.

## Duplicate

Text.

## Custom {#my-id}

## 1. Numbered

## Ärger über Café

Powers: ^7^ and ~2~ and ~~struck~~ (pulldown-cmark reads them between words only).

Apple
: A fruit.

Pear
: Another fruit.
: Also a colour.

- tight one
- tight two

1. loose one

2. loose two

HTML: 2<sup>7</sup>, H<sub>2</sub>O, <span class="smallcaps">nasa</span>, <em>em</em><br>next <blink>kept</blink>.

<figure>
<img src="images/cycle.png" alt="A cycle">
<figcaption>The <em>cycle</em></figcaption>
</figure>

<div class="note">
Text in a <b>div</b>.
</div>

<!-- a comment -->

<script>alert("x")</script>

[![Linked image](images/cycle.png)](https://example.com/)

| pic | text |
|-----|------|
| ![In a cell](images/cycle.png) | words |

A note.[^list]

[^list]: - item one
    - item two
"#;

const OWNERSHIP: &str = r#"# Ownership

Back to [the intro](../01-intro.md#duplicate) and [its top](../01-intro.md).

## A table

| a | b |
|---|---|
| 1 | 2 |
"#;

fn fixture(test: &str) -> Manuscript {
    let m = Manuscript::new(
        test,
        &[("01-intro.md", INTRO), ("parts/04-ownership.md", OWNERSHIP)],
    );
    let png =
        std::fs::read(sample_manuscript().join("images/withdrawal-cycle.png")).unwrap();
    m.write("images/cycle.png", png);
    m
}

#[test]
fn links_ids_and_extensions_reach_the_epub() {
    let m = fixture("fidelity-links");
    let (epub, stderr) = m.build_ok();
    let entries = unzip_entries(&epub);
    // The print edition's page-break markers (issue 14) may fall anywhere in the text;
    // this test is about the rest of the markup.
    let intro = without_page_markers(&chapter_xhtml(&entries, "intro"));
    let ownership = chapter_xhtml(&entries, "ownership");

    // Cross-chapter links, in every form, point at the chapter's XHTML and anchor.
    for want in [
        r#"<a href="ownership.xhtml">four</a>"#,
        r#"<a href="ownership.xhtml#a-table">the table</a>"#,
        r#"<a href="ownership.xhtml#a-table">as html</a>"#,
        r#"<a href="ownership.xhtml">as xhtml</a>"#,
        r#"<a href="intro.xhtml#duplicate-1">here</a>"#,
        r#"<a href="intro.xhtml#my-id">custom</a>"#,
        r#"<a href="intro.xhtml#section-1-numbered">numbered</a>"#,
        r#"<a href="ownership.xhtml">nowhere</a>"#,
        r#"<a href="mailto:me@example.com">me@example.com</a>"#,
        r#"<a href="https://example.com/a%20b">spaced</a>"#,
        r#"<a href="https://example.com/caf%C3%A9?q=%22x%22">accented</a>"#,
    ] {
        assert!(intro.contains(want), "{want} not in\n{intro}");
    }
    for want in [
        r#"<a href="intro.xhtml#duplicate">the intro</a>"#,
        r#"<a href="intro.xhtml">its top</a>"#,
    ] {
        assert!(ownership.contains(want), "{want} not in\n{ownership}");
    }
    // Links to files the book does not hold, and dangerous ones, are text.
    assert!(intro.contains(", not in book, a pdf,"), "{intro}");
    assert!(intro.contains("evil."), "{intro}");
    assert!(!intro.contains("javascript") && !intro.contains(".pdf\""), "{intro}");
    for warning in [
        "01-intro.md:3:1: the link to \"parts/04-ownership.md#nowhere\" names no heading",
        "01-intro.md:3:1: the link to \"notes/other.md\" names a Markdown file that is not a chapter",
        "01-intro.md:3:1: the link to \"images/x.pdf\" names a file the EPUB does not hold",
    ] {
        assert!(stderr.contains(warning), "{warning:?} not in\n{stderr}");
    }

    // Heading ids: GitHub's rule, duplicates numbered, {#id} wins, valid XML ids.
    for want in [
        r#"<h2 id="duplicate">"#,
        r#"<h2 id="duplicate-1">"#,
        r#"<h2 id="my-id">"#,
        r#"<h2 id="section-1-numbered">"#,
        r#"<h2 id="ärger-über-café">"#,
    ] {
        assert!(intro.contains(want), "{want} not in\n{intro}");
    }

    // Superscript, subscript, strikethrough.
    assert!(
        intro.contains("<sup>7</sup> and <sub>2</sub> and <del>struck</del>"),
        "{intro}"
    );
    // Definition lists.
    assert!(intro.contains(
        "<dl>\n<dt>Apple</dt>\n<dd>A fruit.</dd>\n<dt>Pear</dt>\n<dd>Another fruit.</dd>\n<dd>Also a colour.</dd>\n</dl>"
    ), "{intro}");
    // Tight and loose lists.
    assert!(
        intro.contains("<ul>\n<li>tight one</li>\n<li>tight two</li>\n</ul>"),
        "{intro}"
    );
    assert!(
        intro.contains(
            "<ol>\n<li>\n<p>loose one</p>\n</li>\n<li>\n<p>loose two</p>\n</li>\n</ol>"
        ),
        "{intro}"
    );

    // Raw HTML with a meaning is mapped; other tags keep their text, with one warning.
    for want in [
        "HTML: 2<sup>7</sup>, H<sub>2</sub>O, <span class=\"smallcaps\">nasa</span>, <em>em</em><br/>next kept.",
        "<figure>\n<img src=\"images/cycle.png\" alt=\"A cycle\"/>\n<figcaption>The <em>cycle</em></figcaption>\n</figure>",
        "<p>Text in a <strong>div</strong>.</p>",
        // An image in a link: the link keeps its alt text, the image follows as a figure.
        "<p><a href=\"https://example.com/\">Linked image</a></p>\n<figure>\n<img src=\"images/cycle.png\" alt=\"Linked image\"/>",
        // An image in a table cell follows the table.
        "</table>\n<figure>\n<img src=\"images/cycle.png\" alt=\"In a cell\"/>",
    ] {
        assert!(intro.contains(want), "{want} not in\n{intro}");
    }
    assert!(
        !intro.contains("blink")
            && !intro.contains("alert")
            && !intro.contains("comment")
    );
    let dropped: Vec<&str> =
        stderr.lines().filter(|l| l.contains("raw HTML tags")).collect();
    assert_eq!(dropped.len(), 1, "{stderr}");
    assert!(
        dropped[0].contains("<blink> (line 40)")
            && dropped[0].contains("<script> (line 53)"),
        "{stderr}"
    );
    assert!(!stderr.contains("left out"), "{stderr}");

    // A note that opens with a list still shows its number and back-link.
    assert!(
        intro.contains("role=\"doc-backlink\" aria-label=\"Back to note 1 reference\">1.</a></p>\n<ul>"),
        "{intro}"
    );

    if let Some(report) = epubcheck(&epub, m.tmp.path()) {
        report.assert_clean("the fidelity fixture");
    }
}

/// Inline `<script>` and `<style>`, closed, unclosed and crossing an emphasis, and a block
/// `<style>`: their content is code, not words of the book.
const SCRIPTS: &str = r#"# Scripts

Before <script>var x = "SCRIPTTEXT";</script> middle <style>p { color: STYLETEXT; }</style> after.

Nested *a <script>b* c</script> d* end <script>*EMTEXT*</script> tail.

Unclosed <style>UNCLOSEDTEXT to the end.

Next paragraph stays.

<style>
p { BLOCKSTYLE: 1 }
</style>
"#;

#[test]
fn inline_script_and_style_content_reaches_neither_edition() {
    let m = Manuscript::new("fidelity-scripts", &[("01-scripts.md", SCRIPTS)]);
    let err = assert_built(&m.build_as("all"));
    let entries = unzip_entries(&the_epub_in(&m.out()));
    let xhtml = chapter_xhtml(&entries, "scripts");
    let words = ["SCRIPTTEXT", "STYLETEXT", "EMTEXT", "UNCLOSEDTEXT", "BLOCKSTYLE"];
    for word in words {
        assert!(!xhtml.contains(word), "{word} in\n{xhtml}");
    }
    for kept in ["Before", "middle", "after.", "Nested", "tail.", "Next paragraph stays."]
    {
        assert!(xhtml.contains(kept), "{kept} not in\n{xhtml}");
    }
    // The tags are named in the chapter's one warning about dropped tags.
    let dropped: Vec<&str> =
        err.lines().filter(|l| l.contains("raw HTML tags")).collect();
    assert_eq!(dropped.len(), 1, "{err}");
    assert!(
        dropped[0].contains("<script> (lines 3, 5)")
            && dropped[0].contains("<style> (lines 3, 7, 11)"),
        "{err}"
    );
    if require_tools(&["pdftotext"]) {
        let text = pdftotext(&m.out().join("test-book-print.pdf"), &[]);
        for word in words {
            assert!(!text.contains(word), "{word} in the PDF:\n{text}");
        }
        assert!(text.contains("Next paragraph stays."), "{text}");
    }
    if let Some(report) = epubcheck(&the_epub_in(&m.out()), m.tmp.path()) {
        report.assert_clean("the scripts fixture");
    }
}

/// Superscript and subscript inside words, beside text that only looks like them.
const POWERS: &str = "# Powers\n\nA kilobyte is 2^10^ bytes, water is H~2~O and air holds \
CO~2~; not ~/path, a ~ b, ~~struck~~, `x^2^` or http://example.com/~a/~b.\n\n\
Escaped: 2\\^10\\^ stays.\n";

#[test]
fn superscript_and_subscript_inside_words_reach_both_editions() {
    let m = Manuscript::new("fidelity-powers", &[("01-powers.md", POWERS)]);
    let err = assert_built(&m.build_as("all"));
    assert!(!err.contains("warning"), "{err}");
    let epub = the_epub_in(&m.out());
    let xhtml = chapter_xhtml(&unzip_entries(&epub), "powers");
    for want in [
        "<p>A kilobyte is 2<sup>10</sup> bytes, water is H<sub>2</sub>O and air holds \
         CO<sub>2</sub>; not ~/path, a ~ b, <del>struck</del>, <code>x^2^</code> or \
         http://example.com/~a/~b.</p>",
        "<p>Escaped: 2^10^ stays.</p>",
    ] {
        assert!(xhtml.contains(want), "{want} not in\n{xhtml}");
    }
    if let Some(report) = epubcheck(&epub, m.tmp.path()) {
        report.assert_clean("the powers fixture");
    }
    if !require_tools(&["pdftotext"]) {
        return;
    }
    // In print: "10" after "2" smaller and raised, "2" after "H" smaller and lowered.
    let (_, words) = pdf_words(&m.out().join("test-book-print.pdf"));
    let after = |before: &str, text: &str| {
        let at = words
            .windows(2)
            .position(|w| w[0].text == before && w[1].text == text)
            .unwrap_or_else(|| panic!("no {before:?} then {text:?} in {words:?}"));
        (&words[at], &words[at + 1])
    };
    let (two, ten) = after("2", "10");
    assert!(ten.y_max - ten.y_min < two.y_max - two.y_min, "{two:?} {ten:?}");
    assert!(ten.y_max < two.y_max, "superscript raised: {two:?} {ten:?}");
    let (h, sub) = after("H", "2");
    assert!(sub.y_max - sub.y_min < h.y_max - h.y_min, "{h:?} {sub:?}");
    assert!(sub.y_max > h.y_max, "subscript lowered: {h:?} {sub:?}");
    assert!(words.iter().any(|w| w.text == "2^10^"), "the escaped marks are printed");
}
