//! Workshop handouts (`out/handouts/`): one PDF per essay, the packet, saddle-stitch
//! booklets; reflection questions with ruled writing lines; "page X of Y" footers;
//! `quire handout SLUG`; `handout = false`.
//!
//! Expectations come from the chapter model (`quire dump`), from `book.toml` and from the
//! documented imposition scheme (README, `src/layout/impose.rs` module docs), never from a
//! copy of an earlier run.

mod common;

#[path = "../benches/common/corpus.rs"]
mod corpus;

use common::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

const LETTER: (f64, f64) = (612.0, 792.0);
const A4: (f64, f64) = (595.0, 842.0);
/// Default `[handouts] lines-per-question`.
const DEFAULT_LINES_PER_QUESTION: usize = 4;

/// `quire build <dir> --out <out> --format handouts [--booklet]`, asserted to succeed;
/// returns `<out>/handouts`.
fn build_handouts(manuscript: &Path, out: &Path, booklet: bool) -> PathBuf {
    let extra: &[&str] = if booklet { &["--booklet"] } else { &[] };
    let output = build_format(manuscript, out, "handouts", extra);
    assert_success("quire build --format handouts", &output);
    // Beside handouts/, the leader's guide (tests/editions.rs reads it).
    let others: Vec<String> = dir_entries(out)
        .into_iter()
        .filter(|n| n != "handouts" && !n.ends_with("-leaders-guide.pdf"))
        .collect();
    assert!(others.is_empty(), "--format handouts wrote more than handouts/: {others:?}");
    out.join("handouts")
}

/// `quire handout <slug> --dir <dir> --out <out> [--booklet]`, unchecked.
fn handout_cmd(
    manuscript: &Path,
    out: &Path,
    slug: &str,
    booklet: bool,
) -> std::process::Output {
    let mut cmd = quire();
    cmd.arg("handout").arg(slug).arg("--dir").arg(manuscript).arg("--out").arg(out);
    if booklet {
        cmd.arg("--booklet");
    }
    run(&mut cmd)
}

/// The essays that get handouts, with their file names (`NN-slug`, the essay's number in
/// two digits), in book order.
fn handout_essays(model: &Value) -> Vec<(String, &Value)> {
    chapters(model)
        .iter()
        .filter(|c| c["kind"] == "essay" && c["handout"] == true)
        .map(|c| {
            let number = c["number"].as_u64().expect("an essay without a number");
            (format!("{number:02}-{}", c["slug"].as_str().unwrap()), c)
        })
        .collect()
}

/// Every "page X of Y" in `text`, as (X, Y).
fn footers(text: &str) -> Vec<(usize, usize)> {
    let words: Vec<&str> = text.split_whitespace().collect();
    words
        .windows(4)
        .filter(|w| w[0] == "page" && w[2] == "of")
        .filter_map(|w| Some((w[1].parse().ok()?, w[3].parse().ok()?)))
        .collect()
}

/// Asserts every page of `pdf` is `width` × `height` points (within half a point, for
/// A4's 595.28 × 841.89); returns the page count.
fn assert_page_size(pdf: &Path, (width, height): (f64, f64)) -> usize {
    let doc = load_pdf(pdf);
    let pages = pdf_page_ids(&doc);
    assert!(!pages.is_empty(), "{} has no pages", pdf.display());
    for (i, &page) in pages.iter().enumerate() {
        let b = pdf_page_box(&doc, page, "MediaBox").expect("no /MediaBox");
        let ok = b[0].abs() < 0.01
            && b[1].abs() < 0.01
            && (b[2] - width).abs() <= 0.5
            && (b[3] - height).abs() <= 0.5;
        assert!(
            ok,
            "{} page {}: /MediaBox {b:?}, expected {width} × {height}",
            pdf.display(),
            i + 1
        );
    }
    pages.len()
}

/// The file names a handouts build should write for `model`.
fn expected_files(model: &Value, booklet: bool) -> Vec<String> {
    let mut files = Vec::new();
    for (name, _) in handout_essays(model) {
        files.push(format!("{name}.pdf"));
        if booklet {
            files.push(format!("{name}-booklet.pdf"));
        }
    }
    files.push("packet.pdf".into());
    if booklet {
        files.push("packet-booklet.pdf".into());
    }
    files.sort();
    files
}

/// Lower-case letters only: the key under which a question's text is found among the
/// words pdftotext reports (hyphenation, punctuation, quotes, ligatures and the printed
/// question numbers then do not matter).
fn letters(text: &str) -> Vec<char> {
    text.chars()
        .flat_map(|c| match c {
            '\u{fb00}' => "ff".chars().collect::<Vec<_>>(),
            '\u{fb01}' => "fi".chars().collect(),
            '\u{fb02}' => "fl".chars().collect(),
            '\u{fb03}' => "ffi".chars().collect(),
            '\u{fb04}' => "ffl".chars().collect(),
            c => vec![c],
        })
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_lowercase)
        .collect()
}

/// A place in a document: page index, then y from the top of the page.
type Place = (usize, f64);

/// The ruled writing lines of a PDF: horizontal stroked segments longer than 40 % of the
/// page width, as (page, y from the top). The footnote rule (30 % of the measure) is
/// shorter; writing lines span the measure less the question's indent.
fn writing_rules(pdf: &Path) -> Vec<Place> {
    let doc = load_pdf(pdf);
    let mut rules = Vec::new();
    for (p, page) in pdf_page_ids(&doc).into_iter().enumerate() {
        let media = pdf_page_box(&doc, page, "MediaBox").unwrap();
        let (width, height) = (media[2] - media[0], media[3] - media[1]);
        for s in stroked_segments(&doc, page) {
            if (s.y1 - s.y2).abs() < 0.01 && (s.x2 - s.x1).abs() > 0.4 * width {
                rules.push((p, height - s.y1));
            }
        }
    }
    rules.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    rules
}

fn before(a: Place, b: Place) -> bool {
    a.0 < b.0 || (a.0 == b.0 && a.1 < b.1)
}

/// For each question of `questions` (model inlines), in order: the place of its first word
/// and of its last word's bottom in `pdf`, found with pdftotext -bbox.
fn question_places(pdf: &Path, questions: &[Value]) -> Vec<(Place, Place)> {
    let (_, words) = pdf_words(pdf);
    let mut stream: Vec<char> = Vec::new();
    let mut owner: Vec<usize> = Vec::new();
    for (i, word) in words.iter().enumerate() {
        for c in letters(&word.text) {
            stream.push(c);
            owner.push(i);
        }
    }
    let mut from = 0;
    let mut places = Vec::new();
    for q in questions {
        let text = blocks_text(q);
        let key = letters(&text);
        assert!(!key.is_empty(), "an empty question in the model");
        let at = (from..=stream.len().saturating_sub(key.len()))
            .find(|&i| stream[i..i + key.len()] == key[..])
            .unwrap_or_else(|| {
                panic!(
                    "{}: question not found (in order) in the PDF text: {text:?}",
                    pdf.display()
                )
            });
        let (first, last) = (&words[owner[at]], &words[owner[at + key.len() - 1]]);
        places.push(((first.page, first.y_min), (last.page, last.y_max)));
        from = at + key.len();
    }
    places
}

/// Checks that each reflection question of `essay` is in `pdf`, in order, each followed
/// on its page by exactly `lines` writing rules before the next question, and that there
/// are no other writing rules.
fn assert_questions_with_lines(pdf: &Path, essay: &Value, lines: usize) -> usize {
    let questions =
        essay["reflection"]["questions"].as_array().cloned().unwrap_or_default();
    let places = question_places(pdf, &questions);
    let rules = writing_rules(pdf);
    for (i, (start, end)) in places.iter().enumerate() {
        let next = places.get(i + 1).map_or((usize::MAX, 0.0), |p| p.0);
        assert!(
            before(*start, next),
            "question {} does not come before question {}",
            i + 1,
            i + 2
        );
        let mine: Vec<&Place> =
            rules.iter().filter(|r| before(*end, **r) && before(**r, next)).collect();
        assert_eq!(
            mine.len(),
            lines,
            "{}: question {} ({:?}) is followed by {} writing lines, not {lines}: {mine:?}",
            pdf.display(),
            i + 1,
            blocks_text(&questions[i]),
            mine.len()
        );
        assert!(
            mine.iter().all(|r| r.0 == end.0),
            "{}: the writing lines of question {} are not on its page: {mine:?} after {end:?}",
            pdf.display(),
            i + 1
        );
    }
    assert_eq!(
        rules.len(),
        places.len() * lines,
        "{}: writing lines that follow no question",
        pdf.display()
    );
    places.len()
}

/// Deterministic prose: paragraph `i` of a measured essay.
fn paragraph(i: usize) -> String {
    const SENTENCES: &[&str] = &[
        "The kettle had begun to sing before either of them noticed it.",
        "Neither partner wanted to be the first to say what the silence meant.",
        "There is a kind of quiet that rests, and a kind that waits for something.",
        "He folded the newspaper twice and set it on the arm of the chair.",
        "She had learned long ago that a question asked too soon is rarely answered.",
        "Outside, the rain kept its own patient count against the window.",
        "Most couples can name the moment the room changed, if they are asked gently.",
        "What looks like distance is often only a person catching up with himself.",
        "The evening went on around them, ordinary and kind.",
    ];
    (0..5)
        .map(|j| SENTENCES[(i * 3 + j * 2) % SENTENCES.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

/// An essay of `paragraphs` paragraphs.
fn measured_essay(paragraphs: usize) -> String {
    let mut text = String::from("# A Measured Essay\n\n");
    for i in 0..paragraphs {
        text.push_str(&paragraph(i));
        text.push_str("\n\n");
    }
    text
}

// ---------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------

#[test]
fn handouts_packet_and_booklets_are_written_and_valid() {
    let tmp = TempDir::new("handouts_files");
    let model = dump_model(&sample_manuscript());
    let essays = handout_essays(&model);
    assert!(essays.len() >= 2, "the sample should have several essays with handouts");
    let folder = build_handouts(&sample_manuscript(), &tmp.join("out"), true);
    assert_eq!(dir_entries(&folder), expected_files(&model, true), "files in handouts/");
    let files: Vec<PathBuf> =
        expected_files(&model, true).iter().map(|f| folder.join(f)).collect();
    for file in &files {
        let name = file.file_name().unwrap().to_string_lossy();
        if name.ends_with("-booklet.pdf") {
            assert_page_size(file, (LETTER.1, LETTER.0));
        } else {
            assert_page_size(file, LETTER);
        }
    }

    // A4 paper.
    let book = sample_copy_with(&tmp, "handouts", &["paper = \"a4\""]);
    let a4 = build_handouts(&book, &tmp.join("a4"), true);
    assert_eq!(dir_entries(&a4), expected_files(&model, true), "files in handouts/ (A4)");
    for name in expected_files(&model, true) {
        let size = if name.ends_with("-booklet.pdf") { (A4.1, A4.0) } else { A4 };
        assert_page_size(&a4.join(name), size);
    }

    if !require_tools(&["qpdf", "pdffonts"]) {
        return;
    }
    for file in &files {
        assert_qpdf_clean(file);
        assert_fonts_embedded(file, true);
    }
}

#[test]
fn every_reflection_question_is_in_its_handout_followed_by_writing_lines() {
    if !require_tools(&["pdftotext"]) {
        return;
    }
    let tmp = TempDir::new("handouts_questions");
    let model = dump_model(&sample_manuscript());
    let folder = build_handouts(&sample_manuscript(), &tmp.join("out"), false);
    let mut total = 0;
    for (name, essay) in handout_essays(&model) {
        total += assert_questions_with_lines(
            &folder.join(format!("{name}.pdf")),
            essay,
            DEFAULT_LINES_PER_QUESTION,
        );
    }
    assert!(total >= 10, "only {total} reflection questions in the sample's handouts");

    // `lines-per-question` is obeyed.
    let book = sample_copy_with(&tmp, "handouts", &["lines-per-question = 2"]);
    let (name, essay) = handout_essays(&model).into_iter().next().unwrap();
    let slug = essay["slug"].as_str().unwrap();
    let output = handout_cmd(&book, &tmp.join("two"), slug, false);
    assert_success("quire handout (lines-per-question = 2)", &output);
    let n = assert_questions_with_lines(
        &tmp.join("two/handouts").join(format!("{name}.pdf")),
        essay,
        2,
    );
    assert!(n > 0, "{slug} has no reflection questions");
}

#[test]
fn page_x_of_y_is_right_on_every_page() {
    if !require_tools(&["pdftotext"]) {
        return;
    }
    let tmp = TempDir::new("handouts_page_x_of_y");
    let model = dump_model(&sample_manuscript());
    let folder = build_handouts(&sample_manuscript(), &tmp.join("out"), false);
    let packet = pdf_page_texts(&folder.join("packet.pdf"));
    let mut at = 0; // next page of the packet
    for (name, _) in handout_essays(&model) {
        let pdf = folder.join(format!("{name}.pdf"));
        let pages = pdf_page_texts(&pdf);
        let total = pages.len();
        assert_eq!(total, pdf_page_ids(&load_pdf(&pdf)).len(), "{name}: pdftotext pages");
        for (i, text) in pages.iter().enumerate() {
            assert_eq!(
                footers(text),
                [(i + 1, total)],
                "{name}.pdf page {}: footers",
                i + 1
            );
        }
        // In the packet each handout starts on an odd page (the front of a sheet): a
        // blank page comes first if needed, and its pages are the handout's own.
        if at % 2 == 1 {
            assert!(
                packet.get(at).is_some_and(|t| t.trim().is_empty()),
                "packet page {} should be a blank before {name}",
                at + 1
            );
            at += 1;
        }
        for (i, text) in pages.iter().enumerate() {
            let p = packet
                .get(at + i)
                .unwrap_or_else(|| panic!("the packet ends inside {name}"));
            assert_eq!(
                normalize_ws(p),
                normalize_ws(text),
                "packet page {} is not page {} of {name}",
                at + i + 1,
                i + 1
            );
            assert_eq!(
                footers(p),
                [(i + 1, total)],
                "packet page {}: footers",
                at + i + 1
            );
        }
        at += total;
    }
    assert_eq!(at, packet.len(), "the packet has pages after the last handout");
}

#[test]
fn booklet_imposition_order_for_4_8_and_padded_6_pages() {
    if !require_tools(&["pdftotext"]) {
        return;
    }
    let m =
        Manuscript::new("handouts_booklet", &[("01-measured.md", &measured_essay(1))]);
    let model = m.dump();
    let (name, essay) = handout_essays(&model).into_iter().next().unwrap();
    let slug = essay["slug"].as_str().unwrap().to_string();
    let booklet = m.out().join("handouts").join(format!("{name}-booklet.pdf"));

    // The booklet's page count Y (read from its "page X of Y" footers) for an essay of
    // k paragraphs.
    let mut cache: BTreeMap<usize, usize> = BTreeMap::new();
    let mut pages_for = |k: usize| -> usize {
        if let Some(&y) = cache.get(&k) {
            return y;
        }
        m.write("01-measured.md", measured_essay(k));
        let _ = std::fs::remove_dir_all(m.out());
        let output = handout_cmd(&m.dir(), &m.out(), &slug, true);
        assert_success("quire handout --booklet", &output);
        let all = footers(&pdftotext(&booklet, &[]));
        assert!(!all.is_empty(), "no page X of Y in the booklet of {k} paragraphs");
        let y = all[0].1;
        assert!(all.iter().all(|f| f.1 == y), "booklet footers disagree on Y: {all:?}");
        cache.insert(k, y);
        y
    };
    // The fewest paragraphs that fill `target` pages (page count grows with the text).
    let mut fit = |target: usize, from: usize| -> usize {
        let (mut lo, mut hi) = (from, from.max(1) * 2);
        while pages_for(hi) < target {
            lo = hi;
            hi *= 2;
            assert!(hi < 4096, "cannot reach {target} booklet pages");
        }
        while lo < hi {
            let mid = (lo + hi) / 2;
            if pages_for(mid) < target { lo = mid + 1 } else { hi = mid }
        }
        assert_eq!(
            pages_for(lo),
            target,
            "no paragraph count gives exactly {target} pages"
        );
        lo
    };
    let k4 = fit(4, 1);
    let k6 = fit(6, k4);
    let k8 = fit(8, k6);

    for (y, k) in [(4, k4), (8, k8), (6, k6)] {
        assert_eq!(pages_for(k), y);
        m.write("01-measured.md", measured_essay(k));
        let _ = std::fs::remove_dir_all(m.out());
        assert_success(
            "quire handout --booklet",
            &handout_cmd(&m.dir(), &m.out(), &slug, true),
        );
        let n = y.div_ceil(4) * 4;
        let sides = pdf_page_ids(&load_pdf(&booklet)).len();
        assert_eq!(
            sides,
            n / 4 * 2,
            "{y} pages: sheet sides (N/4 sheets, two sides each)"
        );
        let (sizes, words) = pdf_words(&booklet);
        assert_eq!(sizes.len(), sides);
        let mut seen = Vec::new();
        for (side, &(width, _)) in sizes.iter().enumerate() {
            // Sheet s (0-based) has pages n−2s and 2s+1 on its front (left, right) and
            // 2s+2 and n−2s−1 on its back; pages past y are blank.
            let s = side / 2;
            let (left, right) = if side % 2 == 0 {
                (n - 2 * s, 2 * s + 1)
            } else {
                (2 * s + 2, n - 2 * s - 1)
            };
            let real = |p: usize| (p <= y).then_some(p);
            let mine: Vec<&PdfWord> = words.iter().filter(|w| w.page == side).collect();
            let mut found: [Vec<usize>; 2] = [Vec::new(), Vec::new()];
            for w in mine.windows(4) {
                if w[0].text == "page"
                    && w[2].text == "of"
                    && w[3].text == y.to_string()
                    && let Ok(x) = w[1].text.parse::<usize>()
                {
                    let half =
                        usize::from((w[0].x_min + w[3].x_max) / 2.0 >= width / 2.0);
                    found[half].push(x);
                    seen.push(x);
                }
            }
            let what = format!(
                "{y}-page booklet, sheet {} {}",
                s + 1,
                if side % 2 == 0 { "front" } else { "back" }
            );
            assert_eq!(
                found[0],
                real(left).into_iter().collect::<Vec<_>>(),
                "{what}: left page"
            );
            assert_eq!(
                found[1],
                real(right).into_iter().collect::<Vec<_>>(),
                "{what}: right page"
            );
            // A blank half has nothing on it at all.
            for (half, page) in [(0, left), (1, right)] {
                if real(page).is_none() {
                    let stray: Vec<&str> = mine
                        .iter()
                        .filter(|w| {
                            usize::from((w.x_min + w.x_max) / 2.0 >= width / 2.0) == half
                        })
                        .map(|w| w.text.as_str())
                        .collect();
                    assert!(stray.is_empty(), "{what}: blank half has text {stray:?}");
                }
            }
        }
        seen.sort();
        assert_eq!(seen, (1..=y).collect::<Vec<_>>(), "{y}-page booklet: each page once");
        if y == 6 {
            // Spelled out for the padded case: 8 slots, pages 7 and 8 blank.
            assert_eq!(n, 8);
        }
    }
}

#[test]
fn quire_handout_builds_just_one_essay() {
    let tmp = TempDir::new("handouts_one");
    let model = dump_model(&sample_manuscript());
    let essays = handout_essays(&model);
    let (name, essay) = &essays[essays.len() / 2];
    let slug = essay["slug"].as_str().unwrap();
    let out = tmp.join("one");
    let output = handout_cmd(&sample_manuscript(), &out, slug, false);
    assert_success("quire handout", &output);
    assert_eq!(dir_entries(&out), ["handouts"]);
    assert_eq!(dir_entries(&out.join("handouts")), [format!("{name}.pdf")]);
    // The same pages as the whole build draws for that essay. Not the same bytes: the
    // build's handouts share one embedding of their fonts with the packet (subset to the
    // glyphs of all of them), the lone handout embeds only its own glyphs.
    let folder = build_handouts(&sample_manuscript(), &tmp.join("all"), false);
    let one = out.join("handouts").join(format!("{name}.pdf"));
    let all = folder.join(format!("{name}.pdf"));
    if require_tools(&["pdftoppm", "pdftotext"]) {
        assert_eq!(pdftotext(&one, &["-layout"]), pdftotext(&all, &["-layout"]));
        let pixels = |pdf: &Path, to: &str| -> Vec<Vec<u8>> {
            let dir = tmp.join(to);
            std::fs::create_dir_all(&dir).unwrap();
            let output = run(std::process::Command::new("pdftoppm")
                .args(["-r", "40", "-gray"])
                .arg(pdf)
                .arg(dir.join("p")));
            assert_success("pdftoppm", &output);
            let mut names = dir_entries(&dir);
            names.sort();
            names.iter().map(|n| std::fs::read(dir.join(n)).unwrap()).collect()
        };
        let (lone, built) = (pixels(&one, "lone"), pixels(&all, "built"));
        assert!(!lone.is_empty(), "no pages drawn");
        assert!(
            lone == built,
            "quire handout {slug} draws other pages than the build's {name}.pdf"
        );
    }

    // With --booklet, its booklet too.
    let out_b = tmp.join("booklet");
    assert_success(
        "quire handout --booklet",
        &handout_cmd(&sample_manuscript(), &out_b, slug, true),
    );
    assert_eq!(
        dir_entries(&out_b.join("handouts")),
        [format!("{name}-booklet.pdf"), format!("{name}.pdf")]
    );

    // An unknown slug fails, names the essays, writes nothing.
    let out_x = tmp.join("unknown");
    let output = handout_cmd(&sample_manuscript(), &out_x, "no-such-essay", false);
    assert!(!output.status.success(), "quire handout no-such-essay succeeded");
    let err = stderr(&output);
    assert!(
        err.contains("no-such-essay"),
        "the error does not name the slug asked for:\n{err}"
    );
    for c in chapters(&model).iter().filter(|c| c["kind"] == "essay") {
        let s = c["slug"].as_str().unwrap();
        assert!(err.contains(s), "the error does not list the slug {s:?}:\n{err}");
    }
    assert!(
        dir_entries(&out_x).is_empty(),
        "a failed quire handout wrote {:?}",
        dir_entries(&out_x)
    );

    if !require_tools(&["pdftotext"]) {
        return;
    }
    let title = normalize_ws(&inline_text(&essay["title"]));
    let first = &pdf_page_texts(&out.join("handouts").join(format!("{name}.pdf")))[0];
    assert!(
        normalize_ws(first).contains(&title),
        "page 1 lacks the title {title:?}:\n{first}"
    );
}

#[test]
fn handout_false_front_matter_excludes_an_essay() {
    let kept = "# Kept for the Workshop\n\nThis essay is handed out at the workshop.\n";
    let skipped = "+++\nhandout = false\n+++\n# Private Pages\n\nThis essay stays in the book only.\n";
    let third = "# Third Essay\n\nAnother essay, handed out as well.\n";
    let m = Manuscript::new(
        "handouts_excluded",
        &[("01-kept.md", kept), ("02-private.md", skipped), ("03-third.md", third)],
    );
    let model = m.dump();
    let by_slug =
        |slug: &str| chapters(&model).iter().find(|c| c["slug"] == slug).unwrap();
    assert_eq!(by_slug("private")["handout"], false, "model: handout = false not read");
    assert_eq!(by_slug("kept")["handout"], true);
    let folder = build_handouts(&m.dir(), &m.out(), true);
    assert_eq!(
        dir_entries(&folder),
        [
            "01-kept-booklet.pdf",
            "01-kept.pdf",
            "03-third-booklet.pdf",
            "03-third.pdf",
            "packet-booklet.pdf",
            "packet.pdf"
        ],
        "an essay with handout = false got a handout (or numbering changed)"
    );
    assert_eq!(dir_entries(&folder), expected_files(&model, true));
    // The packet holds only the two handouts (each padded to a sheet).
    let count = |f: &str| pdf_page_ids(&load_pdf(&folder.join(f))).len();
    let expected = count("01-kept.pdf").div_ceil(2) * 2 + count("03-third.pdf");
    assert_eq!(count("packet.pdf"), expected, "packet pages");

    if !require_tools(&["pdftotext"]) {
        return;
    }
    let packet = pdftotext(&folder.join("packet.pdf"), &[]);
    assert!(packet.contains("Kept for the Workshop") && packet.contains("Third Essay"));
    assert!(!packet.contains("Private Pages"), "the packet has the excluded essay");
    assert!(
        !packet.contains("stays in the book only"),
        "the packet has the excluded essay"
    );

    // Asked for by name, the excluded essay's handout is built, with a warning that says
    // why `quire build` leaves it out, located at its file.
    let by_name = m.tmp.join("by-name");
    let output = handout_cmd(&m.dir(), &by_name, "private", false);
    assert_success("quire handout private", &output);
    assert_eq!(dir_entries(&by_name.join("handouts")), ["02-private.pdf"]);
    let err = stderr(&output);
    let file = m.dir().join("02-private.md");
    assert!(
        err.contains(&format!("warning: {}:1:1:", file.display()))
            && err.contains("handout = false"),
        "no located warning for the excluded essay: {err}"
    );
}

#[test]
fn handout_rebuild_is_byte_identical_although_handouts_are_set_in_parallel() {
    let tmp = TempDir::new("handouts_rebuild");
    let read_all = |dir: &Path| -> BTreeMap<String, Vec<u8>> {
        dir_entries(dir)
            .into_iter()
            .map(|name| {
                let bytes = std::fs::read(dir.join(&name)).unwrap();
                (name, bytes)
            })
            .collect()
    };
    let first = read_all(&build_handouts(&sample_manuscript(), &tmp.join("a"), true));
    let second = read_all(&build_handouts(&sample_manuscript(), &tmp.join("b"), true));
    assert!(first.len() > 4, "only {} handout files", first.len());
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        second.keys().collect::<Vec<_>>(),
        "the two builds wrote different files"
    );
    for (name, bytes) in &first {
        assert!(second[name] == *bytes, "{name} differs between two builds");
    }
}

/// The printed lines of a handout's text block (not the title block's display type, not
/// the footer): for each, its characters (words and the single spaces between them) and
/// its width in points.
fn text_block_lines(pdf: &Path, footer_from: f64) -> Vec<(usize, f64)> {
    let (_, words) = pdf_words(pdf);
    word_lines(words.iter().filter(|w| w.y_max < footer_from))
        .into_iter()
        .map(|line| {
            let chars: usize = line.iter().map(|w| w.text.chars().count()).sum::<usize>()
                + line.len()
                - 1;
            let width = line.last().unwrap().x_max - line[0].x_min;
            (chars, width)
        })
        .collect()
}

/// Handouts are set on a measure a reader's eye can follow: no printed line holds more
/// than 75 characters, and every line that fills the measure (justified text) at least
/// 45 (Bringhurst's 45–75), on Letter and on A4, for the sample and a generated book.
#[test]
fn handout_lines_hold_45_to_75_characters_on_letter_and_a4() {
    if !require_tools(&["pdftotext"]) {
        return;
    }
    let tmp = TempDir::new("handouts_measure");
    let generated = tmp.join("generated");
    corpus::write_shape(corpus::Shape::Essays, 12_000, &generated, 11).unwrap();
    let mut checked = 0;
    for (name, book) in [("sample", sample_manuscript()), ("generated", generated)] {
        for paper in ["letter", "a4"] {
            let dir = tmp.join(format!("{name}-{paper}"));
            copy_dir(&book, &dir);
            let toml = std::fs::read_to_string(dir.join("book.toml")).unwrap();
            let toml = if toml.contains("[handouts]") {
                toml.replace("[handouts]", &format!("[handouts]\npaper = \"{paper}\""))
            } else {
                format!("{toml}\n[handouts]\npaper = \"{paper}\"\n")
            };
            write_file(&dir.join("book.toml"), toml);
            let config = quire::config::Config::load(&dir).unwrap();
            let style = quire::build::handout_style(&config).unwrap();
            let measure = style.measure(style.inside).0;
            let footer_from = style.trim.height.0 - style.bottom.0;
            let folder =
                build_handouts(&dir, &tmp.join(format!("out-{name}-{paper}")), false);
            for file in dir_entries(&folder) {
                if file == "packet.pdf" {
                    continue;
                }
                let lines = text_block_lines(&folder.join(&file), footer_from);
                let full: Vec<usize> = lines
                    .iter()
                    .filter(|(_, width)| *width >= measure - 3.0)
                    .map(|(chars, _)| *chars)
                    .collect();
                assert!(
                    full.len() > 20,
                    "{name} {paper} {file}: few full lines: {full:?}"
                );
                for (chars, width) in &lines {
                    assert!(
                        *chars <= 75,
                        "{name} {paper} {file}: a line of {chars} characters ({width:.0} pt)"
                    );
                }
                let short = full.iter().filter(|c| **c < 45).count();
                assert_eq!(
                    short, 0,
                    "{name} {paper} {file}: full lines under 45: {full:?}"
                );
                checked += lines.len();
            }
        }
    }
    assert!(checked > 1000, "only {checked} lines measured");
}

/// Names and rectangles of a PDF's AcroForm fields, in /Fields order: (name, page index,
/// [x1, y1, x2, y2] in PDF space).
fn form_fields(pdf: &Path) -> Vec<(String, usize, [f64; 4])> {
    let doc = load_pdf(pdf);
    let pages = pdf_page_ids(&doc);
    let Ok(form) = doc.catalog().unwrap().get(b"AcroForm") else { return vec![] };
    let form = pdf_resolve(&doc, form).as_dict().unwrap();
    let fields = pdf_resolve(&doc, form.get(b"Fields").unwrap()).as_array().unwrap();
    fields
        .iter()
        .map(|f| {
            let id = f.as_reference().unwrap();
            let field = doc.get_dictionary(id).unwrap();
            let name = pdf_text_string(&doc, field.get(b"T").unwrap());
            let page = field.get(b"P").unwrap().as_reference().unwrap();
            let rect: Vec<f64> = field
                .get(b"Rect")
                .unwrap()
                .as_array()
                .unwrap()
                .iter()
                .map(|v| pdf_number(&doc, v))
                .collect();
            let page = pages.iter().position(|p| *p == page).expect("/P is no page");
            (name, page, [rect[0], rect[1], rect[2], rect[3]])
        })
        .collect()
}

/// Each page's content stream, decoded.
fn page_contents(pdf: &Path) -> Vec<Vec<u8>> {
    let doc = load_pdf(pdf);
    pdf_page_ids(&doc).into_iter().map(|p| doc.get_page_content(p)).collect()
}

/// `[handouts] fillable = true`: one multi-line text field per question, named
/// `<slug>-question-N`, lying over exactly that question's writing lines; the pages
/// draw the same as without fields; the packet keeps every field under its own name;
/// booklets have none; a PDF library can fill every field and save a file that stays
/// valid and holds the answers.
#[test]
fn fillable_handouts_have_one_field_over_each_questions_writing_lines() {
    if !require_tools(&["pdftotext", "qpdf"]) {
        return;
    }
    let tmp = TempDir::new("handouts_fillable");
    let model = dump_model(&sample_manuscript());
    let plain = build_handouts(&sample_manuscript(), &tmp.join("plain"), false);
    let book = sample_copy_with(&tmp, "handouts", &["fillable = true"]);
    let folder = build_handouts(&book, &tmp.join("fillable"), true);
    let mut all_names = Vec::new();
    for (name, essay) in handout_essays(&model) {
        let pdf = folder.join(format!("{name}.pdf"));
        let slug = essay["slug"].as_str().unwrap();
        let questions = essay["reflection"]["questions"].as_array().unwrap();
        let fields = form_fields(&pdf);
        let names: Vec<&str> = fields.iter().map(|f| f.0.as_str()).collect();
        let expected: Vec<String> =
            (1..=questions.len()).map(|n| format!("{slug}-question-{n}")).collect();
        assert_eq!(names, expected, "{name}: field names");
        // Each field covers exactly its question's rules, on its page.
        let doc = load_pdf(&pdf);
        let heights: Vec<f64> = pdf_page_ids(&doc)
            .into_iter()
            .map(|p| pdf_page_box(&doc, p, "MediaBox").unwrap()[3])
            .collect();
        let rules = writing_rules(&pdf);
        let places = question_places(&pdf, questions);
        for (i, (field_name, page, r)) in fields.iter().enumerate() {
            let inside: Vec<&Place> = rules
                .iter()
                .filter(|(p, y)| {
                    *p == *page && heights[*p] - y >= r[1] && heights[*p] - y <= r[3]
                })
                .collect();
            assert_eq!(
                inside.len(),
                DEFAULT_LINES_PER_QUESTION,
                "{field_name}: {inside:?}"
            );
            let end = places[i].1;
            let next = places.get(i + 1).map_or((usize::MAX, 0.0), |p| p.0);
            assert!(
                inside.iter().all(|r| before(end, **r) && before(**r, next)),
                "{field_name} lies over another question's lines"
            );
            assert!(r[2] - r[0] > 200.0, "{field_name} is narrow: {r:?}");
        }
        all_names.extend(expected);
        assert_eq!(
            page_contents(&pdf),
            page_contents(&plain.join(format!("{name}.pdf"))),
            "{name}: the fields changed what the pages draw"
        );
        assert!(
            form_fields(&folder.join(format!("{name}-booklet.pdf"))).is_empty(),
            "{name}: the booklet has fields"
        );
        assert_qpdf_clean(&pdf);
    }
    let packet: Vec<String> =
        form_fields(&folder.join("packet.pdf")).into_iter().map(|f| f.0).collect();
    assert_eq!(packet, all_names, "the packet's fields");
    assert!(form_fields(&folder.join("packet-booklet.pdf")).is_empty());

    // Filled in by a PDF library (pypdf), as a participant's reader would.
    let has_pypdf = std::process::Command::new("python3")
        .args(["-c", "import pypdf"])
        .status()
        .is_ok_and(|s| s.success());
    if !require_validator("pypdf (python3 -m pip install pypdf)", has_pypdf) {
        return;
    }
    let (name, essay) = handout_essays(&model).into_iter().next().unwrap();
    let pdf = folder.join(format!("{name}.pdf"));
    let filled = tmp.join("filled.pdf");
    let script = r#"
import sys
from pypdf import PdfReader, PdfWriter
reader = PdfReader(sys.argv[1])
writer = PdfWriter(clone_from=reader)
fields = reader.get_fields()
for page in writer.pages:
    names = [a.get_object().get("/T") for a in page.get("/Annots", [])]
    values = {n: "Answer to " + n for n in names if n}
    if values:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
writer.write(sys.argv[2])
back = PdfReader(sys.argv[2]).get_fields()
for name in sorted(fields):
    print(name, "=", back[name].get("/V"))
"#;
    let output = run(std::process::Command::new("python3")
        .args(["-c", script])
        .arg(&pdf)
        .arg(&filled));
    assert_success("pypdf filling the fields", &output);
    let answers = stdout(&output);
    let slug = essay["slug"].as_str().unwrap();
    let count = essay["reflection"]["questions"].as_array().unwrap().len();
    for n in 1..=count {
        let field = format!("{slug}-question-{n}");
        assert!(
            answers.contains(&format!("{field} = Answer to {field}")),
            "{field} was not filled: {answers}"
        );
    }
    assert_qpdf_clean(&filled);
}
