//! Fuzz target: arbitrary bytes as one chapter file, through quire's whole pipeline.
//!
//! bytes ─ markdown::source::decode_with_warnings ─ markdown::builder::parse_chapter
//!       ─ model::Book (fixed metadata, one essay) ─ layout::coverage::missing_glyphs
//!                                               ├ epub::render  (+ every XHTML parses as XML)
//!                                               └ layout::book::typeset_book ─ pdf::render
//!
//! Every phase runs on every input, however large: since the fixes for issue 11 a 1 MiB
//! unbreakable line sets in about a second, so a slow print path is a finding (`-timeout`),
//! not a reason to skip it.
//!
//! An `Err` from any phase is a fine outcome (the input was refused with a diagnostic);
//! only panics, hangs, out-of-memory and crashes are findings.
//!
//! Images: the manuscript root is a temporary directory, made once per process, holding
//! `images/tiny.png` (3×2, valid), `images/withdrawal-cycle.png` (the sample book's figure),
//! `images/truncated.png` (a PNG header and nothing else), `images/huge.png` (a header
//! declaring 6000×6000 pixels, no data), `images/not-a-png.png` (text), `images/photo.jpg`
//! (progressive), `images/rotated.jpg` (Exif orientation 6) and `images/truncated.jpg`
//! (its first 40 bytes), so seeds that reference them reach the figure code of every
//! edition.
//!
//! How to run (needs nightly and `cargo install cargo-fuzz`); from this `fuzz/` directory:
//!
//! ```text
//! sh seeds.sh /tmp/quire-seeds-large
//! nice -n 10 cargo +nightly fuzz run -a manuscript corpus-grown corpus/manuscript \
//!     /tmp/quire-seeds-large -- -jobs=1 -workers=1 -max_total_time=1900 \
//!     -max_len=1048576 -timeout=30 -rss_limit_mb=4096 -dict=manuscript.dict \
//!     -detect_leaks=0
//! ```
//!
//! `-a` adds debug assertions and overflow checks, so arithmetic that overflows on a huge
//! input is a finding too. `-detect_leaks=0`: leaks are not what this target looks for (safe
//! Rust leaks only on purpose), and libFuzzer runs any input whose allocations and frees do
//! not balance a second time, under LeakSanitizer, which doubles a 1 MiB input's run (the
//! first input always qualifies: it fills this target's font and fixture caches).
//!
//! Instrumented, the largest seeds take 5–12 s of CPU each (1–2 s in a release build), up
//! to twice that in wall time on a busy machine: `-timeout=30` leaves room for that, and
//! libFuzzer's `slow-unit-…` files for them are expected, not findings. Time a slow unit or
//! a timeout with a release build of `quire build` before calling it a hang.
//!
//! `seeds.sh` writes a few inputs of 100 KB to 1 MB (a huge word, a huge code line,
//! brackets, nesting near the depth cap, many footnotes, a long table, chapter titles
//! that fill pages): libFuzzer's mutations rarely grow an input that far on their own,
//! and they are too big to commit.
//!
//! `corpus/manuscript/` holds the small, committed seeds (read only: libFuzzer writes new
//! inputs to the first directory, `corpus-grown/`, which is git-ignored). Crashes land in
//! `artifacts/manuscript/`; shrink one with
//! `cargo +nightly fuzz tmin manuscript artifacts/manuscript/crash-…` and replay it with
//! `cargo +nightly fuzz run manuscript artifacts/manuscript/crash-…`.

#![no_main]

use libfuzzer_sys::fuzz_target;
use quire::input::Manuscript;
use quire::markdown::builder::{SourceFile, parse_chapter};
use quire::model::{Book, Chapter, ChapterKind, Inline, Metadata};
use quire::text::font::FontSet;
use quire::text::hyphenate::Hyphenator;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// The smallest `book.toml` that [`quire::config::Config::parse`] accepts.
const MINIMAL_TOML: &str = r#"
[book]
title = "Fuzz"
author = "A. Fuzzer"
language = "en-US"
identifier = "urn:uuid:6f1c2a4e-3b9d-5e27-9a41-0c7d58e2b613"
date = "2026-01-01"

[contents]
essays = ["fuzz.md"]
"#;

/// The sample book's figure, so a real, larger PNG is also reachable.
const SAMPLE_PNG: &[u8] = include_bytes!("../../manuscript/images/withdrawal-cycle.png");
/// A progressive JPEG and one stored sideways with an Exif orientation (test fixtures).
const PROGRESSIVE_JPEG: &[u8] =
    include_bytes!("../../tests/fixtures/photo-progressive.jpg");
const ROTATED_JPEG: &[u8] = include_bytes!("../../tests/fixtures/photo-rotated.jpg");

/// What every input shares: built once per process.
struct Fixture {
    /// The manuscript root, with the image fixtures.
    manuscript: Manuscript,
    /// Its `book.toml` (never written: only named by diagnostics).
    config_path: PathBuf,
    /// The paperback style from [`MINIMAL_TOML`].
    style: quire::layout::style::PrintStyle,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let root =
            std::env::temp_dir().join(format!("quire-fuzz-{}", std::process::id()));
        let images = root.join("images");
        std::fs::create_dir_all(&images).expect("create the fuzz manuscript root");
        let mut tiny = Vec::new();
        image::RgbImage::from_fn(3, 2, |x, y| {
            image::Rgb([x as u8 * 80, y as u8 * 120, 200])
        })
        .write_to(&mut std::io::Cursor::new(&mut tiny), image::ImageFormat::Png)
        .expect("encode the tiny PNG");
        let truncated = &tiny[..33]; // signature + IHDR chunk, no image data
        let mut huge = truncated.to_vec();
        huge[16..20].copy_from_slice(&6000u32.to_be_bytes());
        huge[20..24].copy_from_slice(&6000u32.to_be_bytes());
        for (name, bytes) in [
            ("tiny.png", &tiny[..]),
            ("withdrawal-cycle.png", SAMPLE_PNG),
            ("truncated.png", truncated),
            ("huge.png", &huge[..]),
            ("not-a-png.png", b"this is text, not a PNG\n"),
            ("photo.jpg", PROGRESSIVE_JPEG),
            ("rotated.jpg", ROTATED_JPEG),
            ("truncated.jpg", &ROTATED_JPEG[..40]),
        ] {
            std::fs::write(images.join(name), bytes).expect("write an image fixture");
        }
        let config_path = root.join("book.toml");
        let config = quire::config::Config::parse(&config_path, MINIMAL_TOML)
            .expect("MINIMAL_TOML is a valid book.toml");
        let style = quire::build::print_style(&config);
        let manuscript = Manuscript::open(&root).expect("open the fuzz manuscript root");
        Fixture { manuscript, config_path, style }
    })
}

fn fonts() -> &'static FontSet {
    static FONTS: OnceLock<FontSet> = OnceLock::new();
    FONTS.get_or_init(FontSet::builtin)
}

fn metadata() -> Metadata {
    Metadata {
        title: "Fuzz".into(),
        subtitle: Some("A Book of Arbitrary Bytes".into()),
        author: "A. Fuzzer".into(),
        language: "en-US".into(),
        identifier: "urn:uuid:6f1c2a4e-3b9d-5e27-9a41-0c7d58e2b613".into(),
        date: "2026-01-01".into(),
        publisher: Some("Fuzz Press".into()),
        rights: Some("No rights reserved.".into()),
        description: Some("Whatever libFuzzer wrote.".into()),
        subjects: vec!["Testing".into()],
        copyright_notes: vec!["Made by a fuzzer.".into()],
        slug: "fuzz".into(),
    }
}

/// The invariant: every XHTML file of the EPUB is well-formed XML.
fn check_epub(epub: &[u8]) {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(epub))
        .expect("the EPUB is a readable zip");
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).expect("a readable zip entry");
        let name = entry.name().to_string();
        if !name.ends_with(".xhtml") {
            continue;
        }
        let mut text = String::new();
        entry
            .read_to_string(&mut text)
            .unwrap_or_else(|e| panic!("{name} is not UTF-8: {e}"));
        let options = roxmltree::ParsingOptions { allow_dtd: true, ..Default::default() };
        if let Err(e) = roxmltree::Document::parse_with_options(&text, options) {
            panic!("{name} is not well-formed XML: {e}\n--- {name} ---\n{text}");
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let fixture = fixture();
    let manuscript = &fixture.manuscript;
    let root: &Path = manuscript.dir();
    let path = root.join("fuzz.md");

    let Ok((text, _warnings)) =
        quire::markdown::source::decode_with_warnings(&path, data)
    else {
        return;
    };
    let Ok(parsed) = parse_chapter(&SourceFile { path: &path, text: &text, manuscript })
    else {
        return;
    };
    let title = match parsed.title {
        Some(title) if !title.is_empty() => title,
        _ => vec![Inline::Text("Untitled".into())],
    };
    let book = Book {
        meta: metadata(),
        chapters: vec![Chapter {
            slug: "fuzz".into(),
            kind: ChapterKind::Essay,
            number: Some(1),
            label: Some("Chapter One".into()),
            number_label: Some("1".into()),
            part: None,
            title,
            blocks: parsed.blocks,
            reflection: parsed.reflection,
            notes: parsed.notes,
            handout: true,
            source: PathBuf::from("fuzz.md"),
        }],
        parts: Vec::new(),
        words: quire::locale::Words::for_language("en-US"),
    };

    let fonts = fonts();
    // As `build::load_checked` does for every command: one walk over the whole model.
    let _ =
        quire::layout::coverage::missing_glyphs(&book, fonts, root, &fixture.config_path);

    if let Ok(epub) = quire::epub::render(&book, root) {
        check_epub(&epub);
    }

    let (hyphenator, _) = Hyphenator::new("en-US", &[]);
    let mut typeset = quire::layout::book::typeset_book(
        &book,
        &fixture.style,
        fonts,
        &hyphenator,
        root,
    );
    // As `build::typeset_print` does for the default ("standard") profile.
    typeset.document.navigation = true;
    let _ = quire::pdf::render(&typeset.document, fonts);
});
