//! Code in print (issue 12): code blocks and inline code set in the bundled monospace face
//! (DejaVu Sans Mono), whitespace kept, long lines wrapped with a continuation mark, short
//! blocks kept on one page, inline code broken only at `/ . :: _ -` and never hyphenated,
//! lining figures in code and in tables, box drawing from the monospace face. Every
//! fixture is written here; the PDF is read back with `pdftotext -bbox` and `pdffonts`,
//! and the laid-out pages through the library for the glyphs themselves.

mod common;

use common::{
    Manuscript, PdfWord, filled_rects, load_pdf, pdf_page_ids, pdf_words, pdffonts,
    require_tools, stroked_segments, text_origins,
};
use quire::layout::page::{PageItem, TextRun};
use quire::text::font::{Features, FontId, FontSet};
use quire::text::shape::Shaper;

/// The token the issue saw hyphenated as `host-ing::add_to_waitlist()`.
const TOKEN: &str = "hosting::add_to_waitlist()";

/// A code block indented by 0, 2, 4 and 8 spaces, with a tab and a line longer than any
/// measure.
const CODE: &str = "```rust
fn main() {
  let two = 2;
    let four = 4;
        let eight = 8;
\tlet tab = 1;
    let long = \"alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon phi chi psi omega\";
}
```
";

/// A tree listing in box-drawing characters.
const TREE: &str = "```
restaurant
├── src
│   ├── front_of_house.rs
│   └── lib.rs
└── Cargo.toml
```
";

/// A table of numbers.
const TABLE: &str = "| Year | Orders |
|-----:|-------:|
| 2019 | 1,024 |
| 2020 | 3,578 |
| 2021 | 9,660 |
";

fn chapter() -> String {
    let mut text = String::from("# Code\n\n");
    text.push_str(&"The listing below is set as code, in a face of its own. ".repeat(6));
    text.push_str("\n\n");
    text.push_str(CODE);
    text.push_str("\nAnd a tree of files:\n\n");
    text.push_str(TREE);
    text.push_str("\nThe version is `v0.1.0` today.\n\n");
    // The token at many places along the line, so that some land at a line's end.
    let mut para = String::new();
    for i in 0..40 {
        para.push_str(&format!(
            "Call `{TOKEN}` from {} here. ",
            "the front ".repeat(i % 5 + 1)
        ));
    }
    text.push_str(&para);
    text.push_str("\n\n");
    text.push_str(TABLE);
    text
}

/// The first word whose text is `text` and that follows a word `before` on its line.
fn word_after<'w>(words: &'w [PdfWord], before: &str, text: &str) -> &'w PdfWord {
    words
        .windows(2)
        .find(|w| {
            w[0].text == before
                && w[1].text == text
                && (w[0].y_min - w[1].y_min).abs() < 0.5
        })
        .map(|w| &w[0])
        .unwrap_or_else(|| panic!("no {before:?} before {text:?}"))
}

#[test]
fn code_lines_start_at_their_indentation_in_the_monospace_face() {
    if !require_tools(&["pdftotext", "pdffonts"]) {
        return;
    }
    let m = Manuscript::new("code-indent", &[("a.md", &chapter())]);
    let (pdf, err) = m.build_pdf();
    assert!(!err.contains("warning"), "{err}");
    let (_, words) = pdf_words(&pdf);
    let fn_word = words.iter().find(|w| w.text == "fn").expect("fn");
    let x0 = fn_word.x_min;
    let let_at = |name: &str| word_after(&words, "let", name).x_min;
    // The advance of one character: from the width of a word of three, in pdftotext's
    // boxes (which come from the embedded font's widths).
    let main_word = words.iter().find(|w| w.text == "main()").expect("main()");
    let advance = (main_word.x_max - main_word.x_min) / 6.0;
    assert!(advance > 3.0 && advance < 7.0, "advance {advance}");
    for (name, indent) in [("two", 2.0), ("four", 4.0), ("eight", 8.0), ("tab", 4.0)] {
        let x = let_at(name);
        assert!(
            (x - x0 - indent * advance).abs() < 0.3,
            "`let {name}` at {x}, expected {} ({indent} × {advance} from {x0})",
            x0 + indent * advance
        );
    }
    // The size fits about 66 characters on the measure: the justified paragraph above
    // the code, on the same page, reaches from the code's left edge to the measure's end.
    let right = words
        .iter()
        .filter(|w| w.page == fn_word.page && w.y_max < fn_word.y_min)
        .filter(|w| !w.text.chars().all(|c| c.is_ascii_digit()))
        .map(|w| w.x_max)
        .fold(0.0, f64::max);
    let columns = (right - x0) / advance;
    assert!((60.0..=72.0).contains(&columns), "{columns} columns on the measure");
    // The monospace face is embedded and subset.
    let fonts = pdffonts(&pdf);
    let mono = fonts.iter().find(|f| f.name.ends_with("+DejaVuSansMono"));
    let mono = mono.unwrap_or_else(|| panic!("no DejaVuSansMono in {fonts:?}"));
    assert!(mono.embedded && mono.subset, "{mono:?}");
}

#[test]
fn a_long_code_line_wraps_with_a_continuation_mark_and_no_warning() {
    if !require_tools(&["pdftotext"]) {
        return;
    }
    let m = Manuscript::new("code-wrap", &[("a.md", &chapter())]);
    let (pdf, err) = m.build_pdf();
    assert!(!err.contains("too long") && !err.contains("longer than"), "{err}");
    let (_, words) = pdf_words(&pdf);
    let long = words.iter().position(|w| w.text == "long").expect("`let long`");
    let marks: Vec<&PdfWord> =
        words[long..].iter().take(40).filter(|w| w.text == "\u{21AA}").collect();
    assert!(!marks.is_empty(), "no continuation mark after the long line");
    // The continuation is indented past the mark, which sits at the line's indentation,
    // and every word of the line is printed, in order.
    let text: Vec<&str> = words[long..]
        .iter()
        .take_while(|w| w.text != "}")
        .map(|w| w.text.as_str())
        .filter(|t| *t != "\u{21AA}")
        .collect();
    assert_eq!(
        text.join(" "),
        "long = \"alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon phi chi psi omega\";"
    );
    let let_long = &words[long - 1];
    assert_eq!(let_long.text, "let");
    assert!((marks[0].x_min - let_long.x_min).abs() < 0.5, "{marks:?} vs {let_long:?}");
}

#[test]
fn inline_code_breaks_only_at_its_punctuation_and_is_never_hyphenated() {
    if !require_tools(&["pdftotext"]) {
        return;
    }
    let m = Manuscript::new("code-inline", &[("a.md", &chapter())]);
    let (pdf, _) = m.build_pdf();
    let (_, words) = pdf_words(&pdf);
    let allowed = ["hosting::", "hosting::add_", "hosting::add_to_"];
    let mut whole = 0;
    let mut split = 0;
    for (i, w) in words.iter().enumerate() {
        if w.text == TOKEN {
            whole += 1;
        } else if TOKEN.starts_with(&w.text) && w.text.starts_with("host") {
            assert!(allowed.contains(&w.text.as_str()), "broken as {:?}", w.text);
            let rest = &words[i + 1].text;
            assert_eq!(format!("{}{rest}", w.text), TOKEN, "{:?} then {rest:?}", w.text);
            split += 1;
        } else {
            assert!(!w.text.contains("host") || w.text.contains(TOKEN), "{:?}", w.text);
        }
    }
    assert_eq!(whole + split, 40, "{whole} whole, {split} split");
    eprintln!("{TOKEN}: {whole} whole, {split} broken at its punctuation");
}

#[test]
fn box_drawing_comes_from_the_monospace_face_without_a_warning() {
    if !require_tools(&["pdftotext"]) {
        return;
    }
    let m = Manuscript::new("code-tree", &[("a.md", &chapter())]);
    let (pdf, err) = m.build_pdf();
    assert!(!err.contains("no bundled font") && !err.contains("cannot"), "{err}");
    assert!(!err.contains("warning"), "{err}");
    // Each name starts at its column: four characters in per level.
    let (_, words) = pdf_words(&pdf);
    let at = |text: &str| words.iter().find(|w| w.text == text).expect(text).x_min;
    let x0 = at("restaurant");
    let advance = (at("src") - x0) / 4.0;
    assert!(advance > 3.0, "{advance}");
    for (name, column) in
        [("├──", 0.0), ("front_of_house.rs", 8.0), ("lib.rs", 8.0), ("Cargo.toml", 4.0)]
    {
        let x = at(name);
        assert!((x - x0 - column * advance).abs() < 0.3, "{name} at {x}");
    }
    let vertical: Vec<&PdfWord> = words.iter().filter(|w| w.text == "│").collect();
    assert_eq!(vertical.len(), 2);
    assert!(vertical.iter().all(|w| (w.x_min - x0).abs() < 0.3));
}

/// The laid-out runs of the fixture, through the library.
fn laid_out_runs() -> Vec<TextRun> {
    laid_out_runs_of(&Manuscript::new("code-glyphs", &[("a.md", &chapter())]))
}

/// The laid-out runs of a manuscript's print edition, through the library.
fn laid_out_runs_of(m: &Manuscript) -> Vec<TextRun> {
    let fonts = FontSet::builtin();
    let (config, book, _) = quire::build::load(&m.dir()).expect("load");
    let typeset = quire::build::typeset_print(
        &quire::build::print_style(&config).expect("style"),
        &book,
        &m.dir(),
        &fonts,
    );
    typeset
        .document
        .pages
        .into_iter()
        .flat_map(|p| p.items)
        .filter_map(|item| match item {
            PageItem::Text(run) => Some(run),
            _ => None,
        })
        .collect()
}

fn glyph_ids(run: &TextRun) -> Vec<u16> {
    run.glyphs.iter().map(|g| g.id).collect()
}

#[test]
fn code_and_table_figures_are_lining() {
    let runs = laid_out_runs();
    let fonts = FontSet::builtin();
    let mut shaper = Shaper::new(&fonts);
    let mut shaped = |text: &str, font: FontId, features: Features| -> Vec<u16> {
        shaper.shape(text, font, features)[0].glyphs.iter().map(|g| g.id).collect()
    };
    // Inline code: the monospace face, lining figures (a zero, not an "o").
    let version = runs.iter().find(|r| r.text == "v0.1.0").expect("v0.1.0 run");
    assert_eq!(version.font, FontId::MONO);
    assert_eq!(glyph_ids(version), shaped("v0.1.0", FontId::MONO, Features::Lining));
    let body = runs.iter().find(|r| r.text.contains("version")).expect("body run");
    assert!(version.size < body.size, "inline code is scaled down to the x-height");
    // Code blocks are in the monospace face too.
    let code = runs.iter().find(|r| r.text.starts_with("let eight")).expect("code run");
    assert_eq!(code.font, FontId::MONO);
    // Table cells: Libertine with lining figures, which differ from its old-style ones.
    for number in ["2019", "3,578", "9,660"] {
        let cell = runs.iter().find(|r| r.text == number).expect("cell run");
        assert_eq!(cell.font, FontId::REGULAR);
        let lining = shaped(number, FontId::REGULAR, Features::Lining);
        assert_ne!(lining, shaped(number, FontId::REGULAR, Features::Text));
        assert_eq!(glyph_ids(cell), lining, "{number}");
    }
}

#[test]
fn a_short_code_block_is_never_split_across_pages() {
    if !require_tools(&["pdftotext"]) {
        return;
    }
    // Blocks of five lines after paragraphs of varying length, so that many of them
    // come near a page's foot.
    let mut text = String::from("# Blocks\n\n");
    for k in 0..40 {
        text.push_str(
            &"Some words of prose to push the block along. ".repeat(k * k % 13 + 1),
        );
        text.push_str("\n\n```\n");
        for j in 0..5 {
            text.push_str(&format!("block{k}_line{j}\n"));
        }
        text.push_str("```\n\n");
    }
    let m = Manuscript::new("code-keep", &[("a.md", &text)]);
    let (pdf, _) = m.build_pdf();
    let (pages, words) = pdf_words(&pdf);
    assert!(pages.len() > 8, "{} pages", pages.len());
    let mut moved = 0;
    for k in 0..40 {
        let on: Vec<usize> = (0..5)
            .map(|j| {
                let name = format!("block{k}_line{j}");
                words.iter().find(|w| w.text == name).expect(&name).page
            })
            .collect();
        assert!(on.iter().all(|&p| p == on[0]), "block {k} split over pages {on:?}");
        // Blocks that start a page after prose on the page before: where one fell at
        // a page's foot, it was kept whole by moving it.
        let first = words.iter().position(|w| w.text == format!("block{k}_line0"));
        let prose = words[..first.unwrap_or(0)].iter().rposition(|w| w.text == "along.");
        if prose.is_some_and(|p| words[p].page != on[0]) {
            moved += 1;
        }
    }
    assert!(moved > 0, "no block fell at a page's foot; the fixture tests nothing");
}

/// A paragraph, a listing of 60 numbered lines of one word each (longer than a page),
/// a paragraph.
fn long_listing() -> String {
    let para =
        "Plain running text sets the measure of the page on either side. ".repeat(6);
    let listing: String = (0..60).map(|i| format!("row{i}=compute({i});\n")).collect();
    format!("# Listing\n\n{para}\n\n```\n{listing}```\n\n{para}\n")
}

#[test]
fn a_code_block_lies_on_a_light_tint_the_width_of_the_measure_on_each_page() {
    if !require_tools(&["pdftotext"]) {
        return;
    }
    let m = Manuscript::new("code-tint", &[("a.md", &long_listing())]);
    let (pdf, _) = m.build_pdf();
    let (sizes, words) = pdf_words(&pdf);
    let doc = load_pdf(&pdf);
    let pages = pdf_page_ids(&doc);
    fn is_code(w: &PdfWord) -> bool {
        w.text.starts_with("row")
    }
    let code_pages: Vec<usize> = {
        let mut p: Vec<usize> =
            words.iter().filter(|w| is_code(w)).map(|w| w.page).collect();
        p.dedup();
        p
    };
    assert!(code_pages.len() >= 2, "the listing should cross a page break");
    let mut rows_seen = 0;
    for &page in &code_pages {
        let height = sizes[page].1;
        let fills = filled_rects(&doc, pages[page]);
        assert_eq!(fills.len(), 1, "one tint on page {page}: {fills:?}");
        let fill = fills[0];
        assert!((0.93..=0.95).contains(&fill.gray), "{fill:?}");
        // Top-down, as pdftotext's boxes are.
        let (top, bottom) = (height - fill.y2, height - fill.y1);
        let on_page: Vec<&PdfWord> = words.iter().filter(|w| w.page == page).collect();
        let code: Vec<&PdfWord> =
            on_page.iter().copied().filter(|w| is_code(w)).collect();
        rows_seen += code.len();
        // The full measure: as wide as the running text (justified) on the page the
        // listing starts on, and centred where the page's other words (running text, or
        // the running head and folio, centred over the measure) are.
        let extent = |page: usize| {
            words
                .iter()
                .filter(|w| w.page == page && !is_code(w))
                .fold((f64::MAX, 0.0f64), |(l, r), w| (l.min(w.x_min), r.max(w.x_max)))
        };
        let (left, right) = extent(code_pages[0]);
        let (l, r) = extent(page);
        let (width, centre) = (right - left, (l + r) / 2.0);
        assert!((fill.x2 - fill.x1 - width).abs() < 0.5, "{fill:?}: measure {width}");
        assert!(((fill.x1 + fill.x2) / 2.0 - centre).abs() < 0.5, "{fill:?}: {centre}");
        // Exactly the block's lines on this page: each code word inside, with room to
        // spare of less than a line above the first and below the last; no other word
        // overlaps it.
        let first = code.iter().map(|w| w.y_min).fold(f64::MAX, f64::min);
        let last = code.iter().map(|w| w.y_max).fold(0.0, f64::max);
        assert!(top < first && first - top < 8.0, "top {top}, first line at {first}");
        assert!(bottom > last && bottom - last < 8.0, "bottom {bottom}, last at {last}");
        for w in &code {
            assert!(w.x_min > fill.x1 && w.x_max < fill.x2, "{w:?} outside {fill:?}");
        }
        for w in on_page.iter().filter(|w| !is_code(w)) {
            assert!(w.y_max <= top || w.y_min >= bottom, "{w:?} overlaps the tint");
        }
        // Drawn beneath the text: every line inside it is shown after it.
        let origins = text_origins(&doc, pages[page]);
        for (i, &(x, y)) in origins.iter().enumerate() {
            if x >= fill.x1 && x <= fill.x2 && y >= fill.y1 && y <= fill.y2 {
                assert!(
                    i >= fill.texts_before,
                    "text at ({x}, {y}) drawn under the tint"
                );
            }
        }
        // The tint replaces the rules that set code apart before.
        assert!(stroked_segments(&doc, pages[page]).is_empty(), "a rule on page {page}");
    }
    assert_eq!(rows_seen, 60);
}

#[test]
fn the_line_that_introduces_a_code_block_stays_on_the_page_of_its_first_lines() {
    if !require_tools(&["pdftotext"]) {
        return;
    }
    // Chapter k has k one-line paragraphs, then "Intro{k} follows:" and a code block of
    // eight lines: across the chapters the introducing line falls on every line of a
    // page, the last among them.
    let chapters: Vec<(String, String)> = (0..36)
        .map(|k| {
            let mut text = format!("# Case {k}\n\n");
            for i in 0..k {
                text.push_str(&format!("Filler line {i}.\n\n"));
            }
            text.push_str(&format!("Intro{k} follows:\n\n```\n"));
            for i in 0..8 {
                text.push_str(&format!("first{k}_{i}();\n"));
            }
            text.push_str("```\n\nAfter.\n");
            (format!("{k:02}-case.md"), text)
        })
        .collect();
    let files: Vec<(&str, &str)> =
        chapters.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let m = Manuscript::new("code-intro", &files);
    let (pdf, _) = m.build_pdf();
    let (_, words) = pdf_words(&pdf);
    let page_of = |text: &str| {
        words
            .iter()
            .find(|w| w.text == text)
            .map(|w| w.page)
            .unwrap_or_else(|| panic!("no {text:?}"))
    };
    let mut split_blocks = 0;
    for k in 0..36 {
        let intro = page_of(&format!("Intro{k}"));
        assert_eq!(
            intro,
            page_of(&format!("first{k}_0();")),
            "case {k}: the introducing line is on another page than the code"
        );
        // The block itself may still break after its second line.
        if page_of(&format!("first{k}_7();")) != intro {
            split_blocks += 1;
        }
    }
    assert!(split_blocks > 0, "no case puts the block across a page break");
}

#[test]
fn code_in_a_note_is_monospace_scaled_from_the_note_size() {
    let m = Manuscript::new(
        "code-note",
        &[(
            "a.md",
            "# Notes\n\nA sentence with a note.[^1] And `bodycode` here.\n\n\
             [^1]: The note says `notecode` in code, and shows a block:\n\n    \
             ```\n    blockcode();\n      indented(two);\n    ```\n",
        )],
    );
    let runs = laid_out_runs_of(&m);
    let run = |text: &str| {
        runs.iter()
            .find(|r| r.text.contains(text))
            .unwrap_or_else(|| panic!("no run of {text:?}"))
    };
    let (body, body_code) = (run("sentence"), run("bodycode"));
    let (note, note_code) = (run("says"), run("notecode"));
    assert_eq!(body_code.font, FontId::MONO);
    assert_eq!(note_code.font, FontId::MONO, "{note_code:?}");
    assert!(note.size < body.size, "the note is set smaller than the text");
    let (body_ratio, note_ratio) =
        (body_code.size.0 / body.size.0, note_code.size.0 / note.size.0);
    assert!((note_ratio - body_ratio).abs() < 1e-9, "{note_ratio} vs {body_ratio}");
    // A code block in the note: the same face and size, a line each, indentation kept.
    let (block, indented) = (run("blockcode"), run("indented"));
    for code in [block, indented] {
        assert_eq!(code.font, FontId::MONO, "{code:?}");
        assert!((code.size.0 - note_code.size.0).abs() < 1e-9, "{code:?}");
    }
    assert!(indented.y > block.y, "one line each");
    // Kept as two no-break spaces at the head of the run, each a character wide.
    assert!(indented.text.starts_with("\u{a0}\u{a0}indented"), "{indented:?}");
    assert!((indented.x - block.x).0.abs() < 1e-9, "{indented:?} {block:?}");
}
