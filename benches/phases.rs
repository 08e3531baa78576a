//! The phases of a build, timed one by one on generated corpora of 10,000 and 100,000
//! words (`cargo bench`; `cargo bench -- 1_parse` for one phase).
//!
//! | bench | what is timed |
//! |---|---|
//! | `1_parse` | `quire::markdown::load`: book.toml and every chapter → the model |
//! | `2_epub` | `quire::epub::render` of the model → EPUB bytes |
//! | `3_shape` | a fresh `Shaper` over every word of the book (its per-word cache included) |
//! | `4_items` | `items::prepare` of every paragraph: shaping, hyphenation, boxes and glue |
//! | `5_linebreak` | `LineBreaker::break_paragraph` (Knuth–Plass) over the prepared paragraphs |
//! | `6_paginate` | `layout::book::balanced_pages` of every chapter: set, paginated and its spreads balanced, as the book is |
//! | `7_typeset` | `build::typeset_print`: the whole print layout (6 and everything before it, make-up, gutter passes) |
//! | `8_pdf` | `quire::pdf::render` of the typeset book → PDF bytes |
//! | `9_unbreakable_run` | `Flow::chapter` (setting into lines) of a chapter whose paragraph is one word of 64 KiB, 256 KiB or 1 MiB with no break opportunity, broken anywhere (issue 11) |
//! | `9_prose_paragraph` | the same for a paragraph of ordinary words of the same size, to compare with |
//! | `10_all_editions` | `build::build` of every edition (EPUB, paperback, cover, handouts, leader's guide) into a temporary folder |
//!
//! The corpora come from `benches/common/corpus.rs` (the generator behind
//! `examples/gen_corpus.rs`), written once per run into a temporary folder that is
//! removed at the end. Each bench reports words per second as its throughput.

#[path = "common/corpus.rs"]
mod corpus;

use divan::counter::{BytesCount, ItemsCount};
use divan::{Bencher, black_box};
use quire::config::Config;
use quire::layout::book::balanced_pages;
use quire::layout::flow::Flow;
use quire::layout::items::{Alignment, ItemOptions, ParagraphStyle, Prepared, prepare};
use quire::layout::linebreak::LineBreaker;
use quire::layout::paginate::Grid;
use quire::layout::style::{PrintStyle, kdp_gutter};
use quire::model::{Block, Book, Inline};
use quire::text::font::{Features, FontId, FontSet};
use quire::text::hyphenate::Hyphenator;
use quire::text::shape::Shaper;
use std::path::PathBuf;
use std::sync::Mutex;

/// Corpus sizes, in words.
const SIZES: &[usize] = &[10_000, 100_000];

/// The seed of every corpus (the same as `gen_corpus`'s default).
const SEED: u64 = 1;

/// Sizes of the long paragraphs of the `9_` benches, in bytes.
const RUN_SIZES: &[usize] = &[64 << 10, 256 << 10, 1 << 20];

fn main() {
    divan::main();
    if let Some(root) = ROOT.lock().unwrap_or_else(|e| e.into_inner()).take() {
        let _ = std::fs::remove_dir_all(root);
    }
}

/// The temporary folder holding this run's corpora, once made.
static ROOT: Mutex<Option<PathBuf>> = Mutex::new(None);

/// The manuscript folder of `words` words, generated on first use.
fn corpus_dir(words: usize) -> PathBuf {
    let dir = bench_root().join(format!("{words}-words"));
    if !dir.join("book.toml").exists() {
        corpus::write_corpus(words, &dir, SEED).expect("write the benchmark corpus");
    }
    dir
}

/// This run's temporary folder (see [`ROOT`]).
fn bench_root() -> PathBuf {
    let mut root = ROOT.lock().unwrap_or_else(|e| e.into_inner());
    root.get_or_insert_with(|| {
        std::env::temp_dir().join(format!("quire-bench-{}", std::process::id()))
    })
    .clone()
}

/// A loaded corpus and the print settings, for the phases after parsing.
struct Fixture {
    dir: PathBuf,
    config: Config,
    book: Book,
    style: PrintStyle,
    words: usize,
}

impl Fixture {
    fn new(words: usize) -> Self {
        let dir = corpus_dir(words);
        let (config, book, _warnings) =
            quire::build::load(&dir).expect("load the corpus");
        let style = quire::build::print_style(&config).expect("style");
        let words = book.word_count();
        Fixture { dir, config, book, style, words }
    }

    /// The text block width, with the gutter KDP asks for at about 300 words a page (the
    /// engine settles the real one from the page count).
    fn measure(&self) -> f64 {
        self.style.measure(self.style.inside + kdp_gutter(self.words / 300)).0
    }

    fn hyphenator(&self) -> Hyphenator {
        Hyphenator::new(
            &self.book.meta.language,
            &self.config.print.hyphenation_exceptions,
        )
        .0
    }

    /// The paperback's item settings: its hyphen penalty and protrusion.
    fn item_options(&self) -> ItemOptions {
        ItemOptions {
            hyphen_penalty: self.style.hyphen_penalty,
            protrusion: self.style.protrusion,
        }
    }

    /// Running text as the engine sets it: justified, indented, hyphenated.
    fn paragraph_style(&self) -> ParagraphStyle {
        ParagraphStyle {
            size: self.style.size.0,
            bold: false,
            italic: false,
            features: Features::Text,
            align: Alignment::Justify,
            first_indent: self.style.indent.0,
            hyphenate: self.style.hyphenate,
            small_caps_words: 0,
            hang_lines: 0,
            hang_width: 0.0,
            emergency_width: self.measure(),
            emphasis: self.style.emphasis,
        }
    }

    /// Every paragraph's inlines: body, quotes, list items, notes, reflection questions.
    fn paragraphs(&self) -> Vec<&[Inline]> {
        fn walk<'b>(blocks: &'b [Block], out: &mut Vec<&'b [Inline]>) {
            for block in blocks {
                match block {
                    Block::Paragraph { content, .. } => out.push(content),
                    Block::Quote { blocks } => walk(blocks, out),
                    Block::List { items, .. } => items.iter().for_each(|i| walk(i, out)),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        for chapter in &self.book.chapters {
            walk(&chapter.blocks, &mut out);
            if let Some(r) = &chapter.reflection {
                r.questions.iter().for_each(|q| walk(q, &mut out));
            }
            for note in &chapter.notes {
                walk(&note.blocks, &mut out);
            }
        }
        out
    }

    /// Every paragraph prepared for the line breaker.
    fn prepared(&self, fonts: &FontSet, hyphenator: &Hyphenator) -> Vec<Prepared> {
        let style = self.paragraph_style();
        let mut shaper = Shaper::new(fonts);
        self.paragraphs()
            .into_iter()
            .map(|p| prepare(p, &style, &mut shaper, hyphenator, self.item_options()))
            .collect()
    }
}

#[divan::bench(name = "1_parse", args = SIZES, sample_count = 30)]
fn parse(bencher: Bencher, words: usize) {
    let dir = corpus_dir(words);
    let counted = Fixture::new(words).words;
    bencher
        .counter(ItemsCount::new(counted))
        .bench(|| quire::markdown::load(black_box(&dir)).expect("parse"));
}

#[divan::bench(name = "2_epub", args = SIZES, sample_count = 30)]
fn epub(bencher: Bencher, words: usize) {
    let f = Fixture::new(words);
    bencher.counter(ItemsCount::new(f.words)).bench(|| {
        quire::epub::render(black_box(&f.book), &f.dir).expect("render the EPUB")
    });
}

#[divan::bench(name = "3_shape", args = SIZES, sample_count = 30)]
fn shape(bencher: Bencher, words: usize) {
    let f = Fixture::new(words);
    let fonts = FontSet::builtin();
    let mut text = String::new();
    for chapter in &f.book.chapters {
        chapter.plain_text_into(&mut text);
    }
    let all: Vec<&str> = text.split_whitespace().collect();
    bencher.counter(ItemsCount::new(all.len())).bench(|| {
        let mut shaper = Shaper::new(&fonts);
        for word in &all {
            black_box(shaper.shape(word, FontId::REGULAR, Features::Text));
        }
    });
}

#[divan::bench(name = "4_items", args = SIZES, sample_count = 20)]
fn items(bencher: Bencher, words: usize) {
    let f = Fixture::new(words);
    let fonts = FontSet::builtin();
    let paragraphs = f.paragraphs();
    let style = f.paragraph_style();
    bencher.counter(ItemsCount::new(f.words)).bench(|| {
        // Fresh caches, as each layout worker starts with.
        let hyphenator = f.hyphenator();
        let mut shaper = Shaper::new(&fonts);
        for p in &paragraphs {
            black_box(prepare(p, &style, &mut shaper, &hyphenator, f.item_options()));
        }
    });
}

#[divan::bench(name = "5_linebreak", args = SIZES, sample_count = 30)]
fn linebreak(bencher: Bencher, words: usize) {
    let f = Fixture::new(words);
    let fonts = FontSet::builtin();
    let prepared = f.prepared(&fonts, &f.hyphenator());
    let measure = f.measure();
    let params = f.style.breaking.clone();
    bencher.counter(ItemsCount::new(f.words)).bench(|| {
        let mut breaker = LineBreaker::new();
        for p in &prepared {
            black_box(breaker.break_paragraph(&p.items, |_| measure, &params));
        }
    });
}

#[divan::bench(name = "6_paginate", args = SIZES, sample_count = 10)]
fn paginate_chapters(bencher: Bencher, words: usize) {
    let f = Fixture::new(words);
    let fonts = FontSet::builtin();
    let hyphenator = f.hyphenator();
    // The book's grid, as `layout::book` makes it.
    let grid = Grid {
        lines: f.style.lines_per_page(),
        leading: f.style.leading.0,
        note_leading: f.style.note_leading.0,
        note_gap: f.style.leading.0,
    };
    let mut flow = Flow::new(
        Shaper::new(&fonts),
        &hyphenator,
        &f.style,
        quire::layout::units::Pt(f.measure()),
        &f.dir,
    );
    // The page breaking the book uses: each chapter set, paginated by dynamic
    // programming and its spreads balanced by re-breaking paragraphs. Setting the
    // chapter is part of it, since balancing sets paragraphs again.
    bencher.counter(ItemsCount::new(f.words)).bench_local(|| {
        f.book
            .chapters
            .iter()
            .map(|c| balanced_pages(&mut flow, black_box(c), &grid))
            .collect::<Vec<_>>()
    });
}

#[divan::bench(name = "7_typeset", args = SIZES, sample_count = 10)]
fn typeset(bencher: Bencher, words: usize) {
    let f = Fixture::new(words);
    let fonts = FontSet::builtin();
    bencher.counter(ItemsCount::new(f.words)).bench(|| {
        quire::build::typeset_print(&f.style, black_box(&f.book), &f.dir, &fonts)
    });
}

#[divan::bench(name = "8_pdf", args = SIZES, sample_count = 10)]
fn pdf(bencher: Bencher, words: usize) {
    let f = Fixture::new(words);
    let fonts = FontSet::builtin();
    let typeset = quire::build::typeset_print(&f.style, &f.book, &f.dir, &fonts);
    bencher.counter(ItemsCount::new(f.words)).bench(|| {
        quire::pdf::render(black_box(&typeset.document), &fonts).expect("render the PDF")
    });
}

#[divan::bench(name = "10_all_editions", args = SIZES, sample_count = 5)]
fn all_editions(bencher: Bencher, words: usize) {
    let dir = corpus_dir(words);
    let out = bench_root().join(format!("out-{words}"));
    bencher.counter(ItemsCount::new(words)).bench(|| {
        quire::build::build(&dir, &out, quire::build::Targets::ALL, false)
            .expect("build every edition")
    });
}

/// A one-chapter manuscript whose paragraph between "Before." and "After." is `bytes`
/// long: with `unbreakable`, one word (the alphabet over and over) that must be broken
/// anywhere; otherwise prose, the words of the 10k corpus in their order (punctuation
/// kept, markup left out), so that shaping meets as many different words as in a book.
fn long_paragraph_dir(bytes: usize, unbreakable: bool) -> PathBuf {
    let name = format!("{}-{bytes}", if unbreakable { "run" } else { "prose" });
    let dir = bench_root().join(name);
    if dir.join("book.toml").exists() {
        return dir;
    }
    let paragraph: String = if unbreakable {
        ('a'..='z').cycle().take(bytes).collect()
    } else {
        let book = corpus::generate(SIZES[0], SEED);
        let words: Vec<&str> = book
            .files
            .iter()
            .flat_map(|(_, text)| text.split_whitespace())
            .filter(|w| w.chars().all(|c| c.is_alphabetic() || ",.;:!?'\"".contains(c)))
            .collect();
        let mut text = String::with_capacity(bytes + 20);
        for word in words.iter().cycle() {
            if text.len() + word.len() >= bytes {
                break;
            }
            text.push_str(word);
            text.push(' ');
        }
        text.trim_end().to_string()
    };
    std::fs::create_dir_all(&dir).expect("make the long-paragraph manuscript");
    let toml = "[book]\ntitle = \"Long\"\nauthor = \"A\"\nlanguage = \"en-US\"\n\
identifier = \"urn:uuid:0b6f3c1e-8d2a-4f5b-9c7e-1a2b3c4d5e6f\"\ndate = \"2026-01-01\"\n\n\
[contents]\nessays = [\"a.md\"]\n";
    std::fs::write(dir.join("book.toml"), toml).expect("write book.toml");
    let chapter = format!("# Long\n\nBefore.\n\n{paragraph}\n\nAfter.\n");
    std::fs::write(dir.join("a.md"), chapter).expect("write the chapter");
    dir
}

/// Setting the chapter of a long-paragraph manuscript into lines (`Flow::chapter`: items,
/// line breaking, set lines, at the book's measure), with a fresh shaper and hyphenator
/// as each layout worker has. Pagination and the gutter passes are left out: how often the gutter is
/// settled depends on where the page count falls, not on the paragraph.
fn set_long(bencher: Bencher, bytes: usize, unbreakable: bool) {
    let dir = long_paragraph_dir(bytes, unbreakable);
    let (config, book, _warnings) = quire::build::load(&dir).expect("load");
    let style = quire::build::print_style(&config).expect("style");
    let rules =
        Hyphenator::new(&book.meta.language, &config.print.hyphenation_exceptions)
            .0
            .rules();
    let measure = style.measure(style.inside + kdp_gutter(0));
    let fonts = FontSet::builtin();
    bencher.counter(BytesCount::new(bytes)).bench(|| {
        let hyphenator = rules.build();
        let mut flow = Flow::new(Shaper::new(&fonts), &hyphenator, &style, measure, &dir);
        flow.chapter(black_box(&book.chapters[0]))
    });
}

#[divan::bench(name = "9_unbreakable_run", args = RUN_SIZES, sample_count = 10)]
fn unbreakable_run(bencher: Bencher, bytes: usize) {
    set_long(bencher, bytes, true);
}

#[divan::bench(name = "9_prose_paragraph", args = RUN_SIZES, sample_count = 10)]
fn prose_paragraph(bencher: Bencher, bytes: usize) {
    set_long(bencher, bytes, false);
}
