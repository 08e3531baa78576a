//! Long runs of text with no break opportunity (issue 11): a word of thousands of letters,
//! a line of brackets, backticks or `<`, a URL, a word made of many emphasis runs, and a
//! megabyte-long line of code. Each must be set within the page (the bounds check of
//! every build proves it), broken where it reaches the margin with exactly one located
//! warning, and printed whole. How long they take is measured in `benches/phases.rs`, not
//! here.

mod common;

use common::{Manuscript, pdf_words, quire, require_tools, run, stderr};
use std::path::Path;

/// The warning for a word broken without a hyphen.
const BROKEN: &str = "a word is longer than a whole line; it was broken without a hyphen where it reached the margin";
/// The warning for a word left sticking out of the text block.
const STICKS_OUT: &str = "sticks out into the margin";
/// Characters per run: a few hundred lines, some pages.
const RUN: usize = 20_000;

/// The print PDF's words in reading order, joined without spaces, leaving out the running
/// heads and folios (the words of `heads`, and numbers), so that a run broken across
/// lines and pages reads as one piece.
fn pdf_text(pdf: &Path, heads: &[&str]) -> String {
    let (_, words) = pdf_words(pdf);
    words
        .into_iter()
        .map(|w| w.text)
        .filter(|t| {
            !heads.contains(&t.as_str()) && !t.chars().all(|c| c.is_ascii_digit())
        })
        .collect()
}

/// The warnings about broken or protruding words in `err`.
fn long_word_warnings(err: &str) -> Vec<&str> {
    err.lines().filter(|l| l.contains(BROKEN) || l.contains(STICKS_OUT)).collect()
}

/// One paragraph of the test chapter: its Markdown, the text it prints, and whether it
/// needs breaking anywhere (and so a warning).
struct Case {
    name: &'static str,
    markdown: String,
    printed: String,
    unbreakable: bool,
}

fn cases() -> Vec<Case> {
    let case = |name, markdown: String, printed: String, unbreakable| Case {
        name,
        markdown,
        printed,
        unbreakable,
    };
    let url_tail = "q".repeat(RUN);
    let slashed: String = (0..RUN / 8).map(|i| format!("p{i:05}/")).collect();
    vec![
        case("letters", "z".repeat(RUN), "z".repeat(RUN), true),
        case("brackets", "(".repeat(RUN), "(".repeat(RUN), true),
        case(
            "backticks",
            format!("x{}", "`".repeat(RUN)),
            format!("x{}", "`".repeat(RUN)),
            true,
        ),
        case("less-than", "<".repeat(RUN), "<".repeat(RUN), true),
        case(
            "url",
            format!("https://example.com/?q={url_tail}"),
            format!("https://example.com/?q={url_tail}"),
            true,
        ),
        case("emphasis", "*a*b".repeat(RUN / 4), "ab".repeat(RUN / 4), true),
        case(
            "strong",
            format!("{}z", "x**y**".repeat(RUN / 6)),
            format!("{}z", "xy".repeat(RUN / 6)),
            true,
        ),
        // Breaks after every slash: no emergency, no warning.
        case(
            "slashed url",
            format!("https://example.com/{slashed}"),
            format!("https://example.com/{slashed}"),
            false,
        ),
    ]
}

#[test]
fn unbreakable_runs_are_broken_at_the_margin_with_one_warning_each() {
    if !require_tools(&["pdftotext"]) {
        return;
    }
    let cases = cases();
    let mut chapter = String::from("# Runs\n\nBefore.\n");
    let mut lines = Vec::new();
    for case in &cases {
        chapter.push('\n');
        lines.push(chapter.lines().count() + 1);
        chapter.push_str(&case.markdown);
        chapter.push('\n');
    }
    chapter.push_str("\nAfter.\n");
    let m = Manuscript::new("long-runs", &[("a.md", &chapter)]);
    let (pdf, err) = m.build_pdf();
    let warnings = long_word_warnings(&err);
    let expected: Vec<String> = cases
        .iter()
        .zip(&lines)
        .filter(|(case, _)| case.unbreakable)
        .map(|(_, line)| format!("{}:{line}:1: {BROKEN}", m.dir().join("a.md").display()))
        .collect();
    assert_eq!(warnings.len(), expected.len(), "{err}");
    for (warning, expected) in warnings.iter().zip(&expected) {
        assert_eq!(*warning, format!("warning: {expected}"), "{err}");
    }
    let text = pdf_text(&pdf, &["Test", "Book", "Runs"]);
    for case in &cases {
        assert!(text.contains(&case.printed), "{}: not printed whole", case.name);
    }
    assert!(text.contains(&format!("Before.{}", cases[0].printed)));
    assert!(text.ends_with("After."), "{}", &text[text.len() - 100..]);
}

#[test]
fn cjk_text_without_spaces_breaks_between_characters_without_a_warning() {
    // No bundled face has these characters (they print as boxes, with a warning of
    // their own), but a line may break between any two of them.
    let text = "漢字仮名交じり文".repeat(2_000);
    let m = Manuscript::new("long-runs-cjk", &[("a.md", &format!("# Runs\n\n{text}\n"))]);
    let (_, err) = m.build_pdf();
    assert!(long_word_warnings(&err).is_empty(), "{err}");
    assert!(err.contains("no bundled font has these characters"), "{err}");
}

#[test]
fn a_megabyte_line_of_code_is_wrapped_without_a_warning() {
    if !require_tools(&["pdftotext"]) {
        return;
    }
    let code = "c".repeat(1 << 20);
    let chapter = format!("# Runs\n\nBefore.\n\n```\n{code}\n```\n\nAfter.\n");
    let m = Manuscript::new("long-runs-code", &[("a.md", &chapter)]);
    let (pdf, err) = m.build_pdf();
    // A code line is wrapped at the margin with a continuation mark (issue 12): nothing
    // to warn about, and nothing sticks out.
    let warnings = long_word_warnings(&err);
    assert!(warnings.is_empty(), "{err}");
    let text = pdf_text(&pdf, &["Test", "Book", "Runs"]);
    let text = text.replace('\u{21AA}', "");
    assert!(
        text.contains(&format!("Before.{code}After.")),
        "the code is not printed whole"
    );
}

#[test]
fn a_paragraph_of_seventy_thousand_lines_is_numbered_and_kept_from_widows() {
    // Hard line breaks make one paragraph of 70,001 lines, beyond what 16 bits count.
    let mut text = String::from("# Lines\n\n");
    for i in 0..70_000 {
        text.push_str(&format!("l{i}\\\n"));
    }
    text.push_str("end.\n");
    let m = Manuscript::new("long-runs-lines", &[("a.md", &text)]);
    let output = run(quire().args(["dump", "--layout"]).arg(m.dir()));
    assert!(output.status.success(), "{}", stderr(&output));
    let dump = String::from_utf8(output.stdout).unwrap();
    assert!(dump.contains(" p0:65536/70001 @3 | l65535\n"), "16-bit wrap in the dump");
    assert!(dump.contains(" p0:70001/70001 @3 | end.\n"));
    // Neither the first line alone at the foot of a page nor the last alone at the head.
    for page in dump.split("\npage ").skip(1) {
        let body: Vec<&str> = page.lines().filter(|l| l.contains(" Body p0:")).collect();
        let has = |n: usize| body.iter().any(|l| l.contains(&format!(" p0:{n}/70001 ")));
        assert!(!has(1) || has(2), "orphan:\n{page}");
        assert!(!has(70_001) || has(70_000), "widow:\n{page}");
    }
}
