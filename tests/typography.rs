//! Typography read back from the paperback PDF: compounds break only at their own
//! hyphens, punctuation hangs into the right margin (and only with protrusion on),
//! `quire check` counts lines set looser than the tolerance, and generated novels have
//! neither such lines nor paragraphs ending on the tail of a broken word.

mod common;
#[path = "../benches/common/corpus.rs"]
mod corpus;

use common::{
    Manuscript, TempDir, assert_success, pdf_words, quire, require_tools, run, stdout,
    word_lines,
};
use std::collections::BTreeMap;

/// Compounds, each with its own hyphens (or en dash) only.
const COMPOUNDS: &[&str] = &[
    "well-wishers",
    "re-education",
    "good-natured",
    "self-evident",
    "mother-in-law",
    "twenty-one",
    "London–Paris",
    "long-suffering",
    "forget-me-nots",
    "ill-considered",
];

/// Ordinary words, long and short, so that lines need hyphenation now and then.
const WORDS: &[&str] = &[
    "the",
    "quiet",
    "afternoon",
    "remembered",
    "kitchen",
    "conversation",
    "a",
    "letter",
    "understanding",
    "patiently",
    "of",
    "window",
    "neighbourhood",
    "and",
    "extraordinary",
    "photograph",
    "carried",
    "through",
    "responsibility",
    "evening",
    "to",
    "garden",
];

/// Deterministic prose: sentences of 8–20 words with commas and semicolons, one word in
/// ten a compound (more than any real book has).
fn prose(seed: u64, sentences: usize) -> String {
    let mut next = common::dice(seed);
    let mut out = String::new();
    for s in 0..sentences {
        let len = 8 + next(13) as usize;
        let mut words = Vec::new();
        for w in 0..len {
            let word = if next(10) == 0 {
                COMPOUNDS[next(COMPOUNDS.len() as u64) as usize]
            } else {
                WORDS[next(WORDS.len() as u64) as usize]
            };
            let mut word = word.to_string();
            if w + 1 < len && next(7) == 0 {
                word.push(if next(2) == 0 { ',' } else { ';' });
            }
            words.push(word);
        }
        let mut sentence = words.join(" ");
        if let Some(first) = sentence.get(..1) {
            sentence = first.to_uppercase() + &sentence[1..];
        }
        out.push_str(&sentence);
        out.push_str(if s % 9 == 8 { ".\n\n" } else { ". " });
    }
    out
}

/// A manuscript of one long essay of generated prose, with `print` keys added.
fn book(test: &str, print: &str) -> Manuscript {
    let text = format!("# Compounds and marks\n\n{}", prose(7, 260));
    let m = Manuscript::new(test, &[("01-essay.md", &text)]);
    if !print.is_empty() {
        let toml = m.read("book.toml");
        m.write("book.toml", format!("{toml}\n[print]\n{print}\n"));
    }
    m
}

#[test]
fn a_compound_breaks_only_at_its_own_hyphen() {
    if !require_tools(&["pdftotext"]) {
        return;
    }
    // A narrow measure puts many compounds at line ends.
    let m = book("typo_compounds", "trim = \"5x8\"\nfont-size = 12.0\nleading = 15.0");
    let (pdf, _) = m.build_pdf();
    let (_, words) = pdf_words(&pdf);
    let lines = word_lines(&words);
    let strip = |t: &str| t.trim_end_matches([',', ';', '.', ':']).to_string();
    let (mut own, mut inside) = (0, Vec::new());
    for pair in lines.windows(2) {
        let (Some(end), Some(start)) = (pair[0].last(), pair[1].first()) else {
            continue;
        };
        if end.page != start.page || !end.text.ends_with(['-', '–']) {
            continue;
        }
        let whole = strip(&format!("{}{}", end.text, start.text)).to_lowercase();
        if COMPOUNDS.iter().any(|c| c.to_lowercase() == whole) {
            own += 1;
            continue;
        }
        // A discretionary hyphen: the word without it must not be a compound.
        let joined = strip(&format!("{}{}", &end.text[..end.text.len() - 1], start.text));
        if joined.contains(['-', '–']) {
            inside.push(format!("{} / {}", end.text, start.text));
        }
    }
    assert!(own >= 5, "only {own} compounds broken at a line end: is the test live?");
    assert!(inside.is_empty(), "compounds broken inside a part: {inside:?}");
}

/// For each page, the right edge of the text block as the lines that end in a letter
/// show it, and the lines that end in `.` or `,` with how far past it they reach.
fn hangs(pdf: &std::path::Path) -> (usize, Vec<f64>) {
    let (_, words) = pdf_words(pdf);
    let lines = word_lines(&words);
    let mut right: BTreeMap<usize, f64> = BTreeMap::new();
    for line in lines.iter().filter(|l| l.len() >= 5) {
        let last = line.last().unwrap();
        if last.text.ends_with(|c: char| c.is_alphabetic()) {
            let r = right.entry(last.page).or_insert(f64::MIN);
            *r = r.max(last.x_max);
        }
    }
    let mut past = Vec::new();
    let mut letters = 0;
    for line in lines.iter().filter(|l| l.len() >= 5) {
        let last = line.last().unwrap();
        let Some(&r) = right.get(&last.page) else { continue };
        if last.text.ends_with(|c: char| c.is_alphabetic())
            && (last.x_max - r).abs() < 0.05
        {
            letters += 1;
        }
        // Only lines that reach the margin (not a paragraph's short last line).
        if last.text.ends_with(['.', ',']) && last.x_max > r - 3.0 {
            past.push(last.x_max - r);
        }
    }
    (letters, past)
}

#[test]
fn periods_and_commas_hang_into_the_right_margin_only_with_protrusion() {
    if !require_tools(&["pdftotext"]) {
        return;
    }
    let on = book("typo_protrusion_on", "");
    let (pdf, _) = on.build_pdf();
    let (letters, past) = hangs(&pdf);
    assert!(letters >= 50, "only {letters} lines end flush in a letter");
    // Lines ending in a mark that reach the margin: 0.7 of a period or comma at 11 pt is
    // about 1.7 pt. A paragraph's last line that happens to end at the margin has no
    // stretch to give and does not hang, so a few may sit flush.
    let reaching: Vec<f64> = past.iter().copied().filter(|p| *p > -0.05).collect();
    let hanging = reaching.iter().filter(|p| (1.0..3.0).contains(*p)).count();
    assert!(hanging >= 20, "only {hanging} lines hang a mark: {reaching:?}");
    assert!(hanging * 10 >= reaching.len() * 9, "{reaching:?}");
    assert!(reaching.iter().all(|p| *p < 3.0), "{reaching:?}");
    let off = book("typo_protrusion_off", "protrusion = false");
    let (pdf, _) = off.build_pdf();
    let (_, past) = hangs(&pdf);
    let reaching: Vec<f64> = past.iter().copied().filter(|p| *p > -0.05).collect();
    assert!(reaching.len() >= 20);
    for p in &reaching {
        assert!(*p < 0.05, "without protrusion a mark ends {p:.2} pt past the edge");
    }
}

#[test]
fn check_counts_lines_looser_than_the_tolerance() {
    let count = |m: &Manuscript| -> usize {
        let output = run(quire().arg("check").arg(m.dir()));
        assert_success("quire check", &output);
        let out = stdout(&output);
        let n = out
            .split(", ")
            .find_map(|part| part.strip_suffix(" line(s) beyond tolerance\n"))
            .unwrap_or_else(|| panic!("no count of loose lines in {out:?}"));
        n.parse().unwrap()
    };
    // The defaults set the generated prose within tolerance; a tolerance of 1 (almost no
    // stretch allowed) and no expansion cannot be met, and the check says how often.
    assert_eq!(count(&book("typo_check_default", "")), 0);
    let strict =
        book("typo_check_strict", "tolerance = 1.0\npretolerance = 1.0\nexpansion = 0.0");
    assert!(count(&strict) > 10);
}

/// Reads `quire dump --layout` of `dir`: the paragraphs that end on the tail of a word
/// broken at the line before, and the lines flagged `L` (beyond tolerance).
fn tails_and_loose_lines(dir: &std::path::Path) -> (Vec<String>, Vec<String>) {
    let output = run(quire().args(["dump", "--layout"]).arg(dir));
    assert_success("quire dump --layout", &output);
    let (mut tails, mut loose) = (Vec::new(), Vec::new());
    // The last body line read: its paragraph id and whether it ends in a hyphen.
    let mut previous: Option<(String, bool, String)> = None;
    let mut body_lines = 0;
    for line in stdout(&output).lines() {
        if line.starts_with("page ") {
            continue;
        }
        // "  y=… r=… HOL Kind pID:I/N @LINE | text"
        let (head, text) = line
            .trim_start()
            .split_once(" | ")
            .unwrap_or_else(|| panic!("not a dump line: {line:?}"));
        let fields: Vec<&str> = head.split_whitespace().collect();
        let [_, _, flags, kind, par, _] = fields[..] else {
            panic!("a dump line of another shape: {line:?}")
        };
        if flags.ends_with('L') {
            loose.push(text.to_string());
        }
        if kind != "Body" {
            continue;
        }
        body_lines += 1;
        let Some((id, pos)) = par.split_once(':') else { continue };
        let (index, count) = pos.split_once('/').expect("index/count");
        if index == count
            && count != "1"
            && let Some((prev_id, true, prev_text)) = &previous
            && prev_id == id
        {
            tails.push(format!("{prev_text} / {text}"));
        }
        previous = Some((id.to_string(), flags.starts_with('H'), text.to_string()));
    }
    assert!(body_lines > 1000, "only {body_lines} body lines in the dump");
    (tails, loose)
}

/// The novel issue 13 measures (`gen_corpus 60000 DIR --shape novel`, the generator's
/// default seed 1): no paragraph ends on the tail of a broken word and no line is set
/// looser than the tolerance (the paragraphs that could have neither at the book's own
/// expansion are rescued by letter spacing, see TYPOGRAPHY.md). Novels of other seeds
/// still have a few paragraphs that no bounded spacing sets clean (a long word at the
/// end of a two-line paragraph); TYPOGRAPHY.md counts them.
#[test]
fn the_generated_novel_ends_no_paragraph_on_a_tail_and_keeps_every_line_within_tolerance()
{
    let tmp = TempDir::new("typo_novel");
    let dir = tmp.join("novel");
    corpus::write_shape(corpus::Shape::Novel, 60_000, &dir, 1).unwrap();
    let (tails, loose) = tails_and_loose_lines(&dir);
    assert!(tails.is_empty(), "paragraphs ending on a tail: {tails:#?}");
    assert!(loose.is_empty(), "lines beyond tolerance: {loose:#?}");
}
