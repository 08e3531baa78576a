//! Covers (issue 15), read back from the files quire writes: the EPUB's cover (drawn, or
//! the author's image) in the OPF, the reading order and the landmarks, EPUBCheck and Ace
//! clean; the wraparound cover PDF's size against the printers' formula (twice the trim
//! width, plus the spine, plus 0.125 in of bleed each side; the spine is the interior's
//! page count times the paper's thickness per page, from `shared/notes/publishing.md`)
//! for the sample and a generated 300-page book on white and cream paper, and its text,
//! boxes, fonts and spine.
//!
//! Expected figures come from the printers' numbers written out here and from the
//! interior PDF read back (its page count), never from quire's own cover code. Every
//! cover PDF a build writes is also held to the cover rule of the bounds check
//! (`tests/common/bounds.rs`, `cover_problems`): every word inside one panel's safe area.
//! Cover images are made at test time; none is committed.

mod common;

#[path = "../benches/common/corpus.rs"]
mod corpus;

use common::*;
use std::path::{Path, PathBuf};

/// Points per inch.
const INCH: f64 = 72.0;
/// KDP's thickness of a page, in inches: white and cream paper.
const WHITE: f64 = 0.002252;
const CREAM: f64 = 0.0025;
/// Bleed on each outer edge of the cover.
const BLEED: f64 = 0.125 * INCH;
/// The sample's trim, 6 × 9 in.
const TRIM: (f64, f64) = (6.0 * INCH, 9.0 * INCH);

/// The one file in `out` whose name ends with `suffix`.
fn the_file(out: &Path, suffix: &str) -> PathBuf {
    let found: Vec<String> =
        dir_entries(out).into_iter().filter(|n| n.ends_with(suffix)).collect();
    assert_eq!(found.len(), 1, "files ending {suffix} in {}: {found:?}", out.display());
    out.join(&found[0])
}

/// The page count and the first page's media box of a PDF.
fn pages_and_media(pdf: &Path) -> (usize, [f64; 4]) {
    let doc = load_pdf(pdf);
    let ids = pdf_page_ids(&doc);
    let media = pdf_page_box(&doc, ids[0], "MediaBox").expect("a media box");
    (ids.len(), media)
}

/// Asserts the cover's media box is the formula's for `pages` pages of `per_page` in.
fn assert_cover_size(cover: &Path, pages: usize, per_page: f64, what: &str) {
    let (count, media) = pages_and_media(cover);
    assert_eq!(count, 1, "{what}: a cover is one page");
    let spine = pages as f64 * per_page * INCH;
    let width = 2.0 * TRIM.0 + spine + 2.0 * BLEED;
    let height = TRIM.1 + 2.0 * BLEED;
    let (w, h) = (media[2] - media[0], media[3] - media[1]);
    assert!(
        (w - width).abs() < 0.01 && (h - height).abs() < 0.01,
        "{what}: the cover is {w:.3} × {h:.3} pt; {pages} pages make it {width:.3} × \
         {height:.3} pt (spine {spine:.3} pt)"
    );
    // The trim box is the media box less the bleed; the bleed box is the media box.
    let doc = load_pdf(cover);
    let id = pdf_page_ids(&doc)[0];
    let trim = pdf_page_box(&doc, id, "TrimBox").expect("a trim box");
    let bleed = pdf_page_box(&doc, id, "BleedBox").expect("a bleed box");
    let expected = [BLEED, BLEED, width - BLEED, height - BLEED];
    for (got, want) in trim.iter().zip(expected) {
        assert!(
            (got - want).abs() < 0.01,
            "{what}: trim box {trim:?}, expected {expected:?}"
        );
    }
    assert_eq!(bleed, media, "{what}: the bleed box is the media box");
    // No annotations (KDP refuses them).
    let page = doc.get_dictionary(id).unwrap();
    assert!(page.get(b"Annots").is_err(), "{what}: the cover has annotations");
}

/// The words pdftotext finds on the spine of `cover` (their middle between the folds).
fn spine_words(cover: &Path) -> Vec<PdfWord> {
    let (_, media) = pages_and_media(cover);
    let spine = (media[2] - media[0]) - 2.0 * TRIM.0 - 2.0 * BLEED;
    let (left, right) = (BLEED + TRIM.0, BLEED + TRIM.0 + spine);
    let (_, words) = pdf_words(cover);
    words
        .into_iter()
        .filter(|w| {
            let middle = (w.x_min + w.x_max) / 2.0;
            middle > left && middle < right
        })
        .collect()
}

/// The text of a PDF, words separated by single spaces, lower case.
fn plain_text(pdf: &Path) -> String {
    normalize_ws(&pdftotext(pdf, &[])).to_lowercase()
}

/// The sample's description from its book.toml.
fn sample_description() -> String {
    let config = quire::config::Config::load(&sample_manuscript()).unwrap();
    config.book.description.unwrap()
}

/// EPUBCheck with no message at all, and Ace with no violation (advisory).
fn validate_epub(epub: &Path, tmp: &TempDir, what: &str) {
    if let Some(report) = epubcheck(epub, tmp.path()) {
        report.assert_clean(what);
    }
    ace_clean(epub, what);
}

/// The OPF, nav and cover page show the cover: the image item with `cover-image`, the
/// cover page first in the spine, the `cover` landmark first, the alt text naming the
/// title and author. Returns the cover image's bytes.
fn assert_epub_cover(epub: &Path, image_name: &str, media_type: &str) -> Vec<u8> {
    let entries = unzip_entries(epub);
    let dir = content_dir(&entries);
    let opf_text = entry_text(&entries, &opf_path(&entries));
    let opf = parse_xml(&opf_text, "content.opf");
    let item = opf
        .descendants()
        .find(|n| {
            n.has_tag_name("item") && n.attribute("properties") == Some("cover-image")
        })
        .unwrap_or_else(|| panic!("no cover-image item in the OPF:\n{opf_text}"));
    assert_eq!(item.attribute("href"), Some(image_name));
    assert_eq!(item.attribute("media-type"), Some(media_type));
    let first = opf
        .descendants()
        .find(|n| n.has_tag_name("itemref"))
        .and_then(|r| r.attribute("idref"))
        .unwrap();
    let first_href = opf
        .descendants()
        .find(|n| n.has_tag_name("item") && n.attribute("id") == Some(first))
        .and_then(|n| n.attribute("href"))
        .unwrap();
    assert_eq!(first_href, "cover.xhtml", "the spine starts with the cover page");

    let nav_text = entry_text(&entries, &format!("{dir}nav.xhtml"));
    let nav = parse_xml(&nav_text, "nav.xhtml");
    let landmarks = nav
        .descendants()
        .find(|n| n.has_tag_name("nav") && epub_type(*n) == Some("landmarks"))
        .expect("a landmarks nav");
    let first_landmark = landmarks.descendants().find(|n| n.has_tag_name("a")).unwrap();
    assert_eq!(epub_type(first_landmark), Some("cover"));
    assert_eq!(first_landmark.attribute("href"), Some("cover.xhtml"));
    // The cover page is not an entry of the table of contents.
    let toc = nav
        .descendants()
        .find(|n| n.has_tag_name("nav") && epub_type(*n) == Some("toc"))
        .unwrap();
    assert!(
        !toc.descendants().any(|n| n.attribute("href") == Some("cover.xhtml")),
        "the cover page is in the contents"
    );

    let page_text = entry_text(&entries, &format!("{dir}cover.xhtml"));
    let page = parse_xml(&page_text, "cover.xhtml");
    let img = page.descendants().find(|n| n.has_tag_name("img")).expect("an <img>");
    assert_eq!(img.attribute("src"), Some(image_name));
    let alt = img.attribute("alt").unwrap_or("");
    assert!(
        alt.contains("The Quiet Room") && alt.contains("Elias Marlowe"),
        "alt {alt:?}"
    );
    entries
        .iter()
        .find(|(name, _)| *name == format!("{dir}{image_name}"))
        .map(|(_, bytes)| bytes.clone())
        .expect("the cover image in the EPUB")
}

#[test]
fn the_sample_ebook_carries_a_drawn_cover() {
    let tmp = TempDir::new("covers-drawn-epub");
    let out = tmp.join("out");
    assert_success("build", &build_format(&sample_manuscript(), &out, "epub", &[]));
    let epub = the_epub_in(&out);
    let png = assert_epub_cover(&epub, "cover.png", "image/png");
    let image = image::load_from_memory(&png).expect("the drawn cover decodes").to_rgb8();
    assert_eq!(image.dimensions(), (1600, 2560));
    // Navy ground and cream type (the classic style): both colours cover real area.
    let count = |rgb: [u8; 3]| image.pixels().filter(|p| p.0 == rgb).count();
    assert!(count([0x1b, 0x2a, 0x41]) > 1600 * 2560 / 2, "the ground is not navy");
    assert!(count([0xf3, 0xea, 0xd8]) > 10_000, "too little cream type and rule");
    validate_epub(&epub, &tmp, "the sample's EPUB with a drawn cover");
    // Byte-identical on a rebuild.
    let again = tmp.join("again");
    assert_success("rebuild", &build_format(&sample_manuscript(), &again, "epub", &[]));
    assert!(std::fs::read(&epub).unwrap() == std::fs::read(the_epub_in(&again)).unwrap());
}

/// Writes a `width` × `height` RGB PNG (a two-colour diagonal, so it compresses) to `path`.
fn write_png(path: &Path, (width, height): (u32, u32), grey: bool) {
    let image = image::RgbImage::from_fn(width, height, |x, y| {
        let v = if (x + y) % 64 < 32 { 40 } else { 200 };
        if grey { image::Rgb([v, v, v]) } else { image::Rgb([v, 90, 255 - v]) }
    });
    let bytes = if grey {
        let mut out = std::io::Cursor::new(Vec::new());
        image::DynamicImage::ImageRgb8(image)
            .to_luma8()
            .write_to(&mut out, image::ImageFormat::Png)
            .unwrap();
        out.into_inner()
    } else {
        let mut out = std::io::Cursor::new(Vec::new());
        image.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    };
    write_file(path, bytes);
}

#[test]
fn an_image_cover_goes_in_unscaled_and_crops_to_the_front_panel() {
    let tmp = TempDir::new("covers-image");
    let dir = sample_copy_with(&tmp, "cover", &["image = \"images/cover.png\""]);
    write_png(&dir.join("images/cover.png"), (1600, 2560), false);
    let out = tmp.join("out");
    let output = build_format(&dir, &out, "all", &[]);
    assert_success("build", &output);
    // The stores' recommended size: no store warning (only print's resolution below).
    assert!(!stderr(&output).contains("cover image \""), "{}", stderr(&output));
    let epub = the_epub_in(&out);
    let bytes = assert_epub_cover(&epub, "cover.png", "image/png");
    assert!(bytes == std::fs::read(dir.join("images/cover.png")).unwrap(), "re-encoded");
    validate_epub(&epub, &tmp, "the sample's EPUB with an image cover");
    // In print, 1600 px over the front panel and its bleed (6.125 in) is 261 ppi.
    assert!(stderr(&output).contains("261 pixels per inch"), "{}", stderr(&output));
    let cover = the_file(&out, "-cover.pdf");
    let pages = pages_and_media(&the_file(&out, "-print.pdf")).0;
    assert_cover_size(&cover, pages, WHITE, "the image cover");
    assert_qpdf_clean(&cover);
    // The image is drawn inside a clipping path: the front panel and its bleed.
    let doc = load_pdf(&cover);
    let ops = page_operations(&doc, pdf_page_ids(&doc)[0]);
    let front_left = BLEED + TRIM.0 + pages as f64 * WHITE * INCH;
    let clipped = ops.windows(4).any(|w| {
        w[0].0 == "re"
            && (w[0].1[0] - front_left).abs() < 0.01
            && (w[0].1[2] - (TRIM.0 + BLEED)).abs() < 0.01
            && w[1].0 == "W"
            && w[2].0 == "n"
            && w[3].0 == "cm"
    });
    assert!(clipped, "no image clipped to the front panel at x {front_left:.3}: {ops:?}");

    // A small greyscale image: every store warning, located at the `image` line.
    let tmp_small = TempDir::new("covers-image-small");
    let small = sample_copy_with(&tmp_small, "cover", &["image = \"images/small.png\""]);
    let toml = std::fs::read_to_string(small.join("book.toml")).unwrap();
    write_png(&small.join("images/small.png"), (500, 500), true);
    let output = build_format(&small, &tmp.join("small-out"), "epub", &[]);
    assert_success("build", &output);
    let err = stderr(&output);
    let (line, column) = locate(&toml, "\"images/small.png\"");
    let at = format!("book.toml:{line}:{column}: cover image \"images/small.png\"");
    for problem in ["is greyscale", "is 500 × 500 pixels", "never enlarges", "1:1.00"] {
        assert!(
            err.lines().any(|l| l.contains(&at) && l.contains(problem)),
            "no warning {problem:?} at {at}:\n{err}"
        );
    }
}

#[test]
fn the_sample_cover_pdf_matches_the_formula_on_white_and_cream() {
    if !require_tools(&["pdftotext", "qpdf", "pdffonts"]) {
        return;
    }
    let tmp = TempDir::new("covers-sample-pdf");
    let out = tmp.join("out");
    let output = build_format(&sample_manuscript(), &out, "all", &["--cover-guides"]);
    assert_success("build", &output);
    let cover = the_file(&out, "-cover.pdf");
    let pages = pages_and_media(&the_file(&out, "-print.pdf")).0;
    assert_eq!(pages, 71, "the sample's interior");
    assert_cover_size(&cover, pages, WHITE, "the sample on white");
    assert_qpdf_clean(&cover);
    assert_fonts_embedded(&cover, true);
    let text = plain_text(&cover);
    for words in ["the quiet room", "elias marlowe", &sample_description().to_lowercase()]
    {
        assert!(
            text.contains(&normalize_ws(words)),
            "{words:?} not in the cover:\n{text}"
        );
    }
    // 71 pages: no spine text (KDP: from 80).
    assert!(spine_words(&cover).is_empty(), "{:?}", spine_words(&cover));
    // The proof has the same size and more marks (the guides).
    let guides = the_file(&out, "-cover-guides.pdf");
    assert_eq!(pages_and_media(&guides), pages_and_media(&cover));
    assert!(std::fs::read(&guides).unwrap() != std::fs::read(&cover).unwrap());

    // Cream paper, and only the cover: the paperback is laid out to count its pages,
    // but not written.
    let dir = sample_copy_with(&tmp, "print", &["paper = \"cream\""]);
    let cream = tmp.join("cream");
    assert_success("build", &build_format(&dir, &cream, "cover", &[]));
    assert_eq!(dir_entries(&cream).len(), 1, "{:?}", dir_entries(&cream));
    assert_cover_size(
        &the_file(&cream, "-cover.pdf"),
        pages,
        CREAM,
        "the sample on cream",
    );
    // Byte-identical on a rebuild.
    let again = tmp.join("again");
    assert_success("build", &build_format(&sample_manuscript(), &again, "cover", &[]));
    assert!(
        std::fs::read(&cover).unwrap()
            == std::fs::read(the_file(&again, "-cover.pdf")).unwrap()
    );
}

/// A generated book of `words` words (seed 1, as `gen_corpus`) in `<tmp>/name`.
fn generated(tmp: &TempDir, name: &str, words: usize, print: &[&str]) -> PathBuf {
    let dir = tmp.join(name);
    corpus::write_corpus(words, &dir, 1).expect("write the corpus");
    if !print.is_empty() {
        let path = dir.join("book.toml");
        let toml = std::fs::read_to_string(&path).unwrap();
        assert!(!toml.contains("[print]"), "the generator now writes [print]: merge");
        write_file(&path, format!("{toml}\n[print]\n{}\n", print.join("\n")));
    }
    dir
}

/// The interior's page count and the cover of `dir`, built in one run.
fn build_pdf_and_cover(tmp: &TempDir, dir: &Path, name: &str) -> (usize, PathBuf) {
    let out = tmp.join(name);
    for format in ["pdf", "cover"] {
        assert_success("build", &build_format(dir, &out, format, &[]));
    }
    (pages_and_media(&the_file(&out, "-print.pdf")).0, the_file(&out, "-cover.pdf"))
}

#[test]
fn a_300_page_book_on_white_and_cream() {
    if !require_tools(&["pdftotext", "qpdf"]) {
        return;
    }
    let tmp = TempDir::new("covers-300");
    // 87,520 generated words set in 300 pages when this was written: the worked example
    // of publishing.md. The assertions follow the page count the interior really has.
    let white = generated(&tmp, "white", 87_520, &[]);
    let (pages, cover) = build_pdf_and_cover(&tmp, &white, "white-out");
    assert!((290..=310).contains(&pages), "{pages} pages: retune the word count");
    assert_cover_size(&cover, pages, WHITE, "300 pages on white");
    if pages == 300 {
        // publishing.md: spine 0.6756 in, cover 12.926 × 9.25 in.
        let (_, media) = pages_and_media(&cover);
        assert!(((media[2] - media[0]) / INCH - 12.9256).abs() < 0.0005);
        assert!(((media[3] - media[1]) / INCH - 9.25).abs() < 0.0005);
    }
    assert_qpdf_clean(&cover);
    // The spine carries the title and the author.
    let spine: Vec<String> = spine_words(&cover).into_iter().map(|w| w.text).collect();
    let spine = spine.join(" ").to_lowercase();
    assert!(spine.contains("benchmark") && spine.contains("generator"), "{spine}");

    let cream = generated(&tmp, "cream", 87_520, &["paper = \"cream\""]);
    let (cream_pages, cover) = build_pdf_and_cover(&tmp, &cream, "cream-out");
    assert_eq!(cream_pages, pages, "paper does not change the interior");
    assert_cover_size(&cover, pages, CREAM, "300 pages on cream");
}

#[test]
fn spine_text_only_from_80_pages_and_inside_the_spine() {
    if !require_tools(&["pdftotext"]) {
        return;
    }
    let tmp = TempDir::new("covers-spine");
    let thin = generated(&tmp, "thin", 16_500, &[]);
    let (pages, cover) = build_pdf_and_cover(&tmp, &thin, "thin-out");
    assert!(pages < 80, "{pages} pages");
    assert!(spine_words(&cover).is_empty(), "{pages} pages: {:?}", spine_words(&cover));

    let book = generated(&tmp, "book", 36_000, &[]);
    let (pages, cover) = build_pdf_and_cover(&tmp, &book, "book-out");
    assert!((100..200).contains(&pages), "{pages} pages");
    let spine = pages as f64 * WHITE * INCH;
    let (left, right) = (BLEED + TRIM.0, BLEED + TRIM.0 + spine);
    let words = spine_words(&cover);
    assert!(words.len() >= 4, "{words:?}");
    // Each word's whole box (ascent to descent) clears both folds by 1/16 in.
    let safe = 0.0625 * INCH;
    for w in &words {
        assert!(
            w.x_min >= left + safe - 0.5 && w.x_max <= right - safe + 0.5,
            "{:?} [x {:.2}–{:.2}] leaves the spine's safe area [{:.2}–{:.2}]",
            w.text,
            w.x_min,
            w.x_max,
            left + safe,
            right - safe
        );
        // Turned: taller than wide, reading down the spine.
        assert!(w.y_max - w.y_min > w.x_max - w.x_min || w.text.len() < 3, "{w:?}");
    }
    // The title is at the top of the spine and the author at the foot.
    let title = words.iter().find(|w| w.text.eq_ignore_ascii_case("benchmark")).unwrap();
    let author = words.iter().find(|w| w.text.eq_ignore_ascii_case("generator")).unwrap();
    assert!(title.y_max < author.y_min, "{title:?} {author:?}");
}

#[test]
fn cover_settings_are_checked_and_located_in_one_run() {
    let tmp = TempDir::new("covers-config");
    let dir = sample_copy_with(
        &tmp,
        "cover",
        &[
            "style = \"baroque\"",
            "background = \"navy\"",
            "foreground = \"#12345\"",
            "image = \"images/cover.gif\"",
        ],
    );
    let path = dir.join("book.toml");
    let toml = std::fs::read_to_string(&path).unwrap();
    let toml = toml.replace(
        "[handouts]",
        "[print]\npaper = \"glossy\"\nprinter = \"lulu\"\n\n[handouts]",
    );
    write_file(&path, &toml);
    let output = build_format(&dir, &tmp.join("out"), "all", &[]);
    assert!(!output.status.success());
    let err = stderr(&output);
    for value in [
        "\"baroque\"",
        "\"navy\"",
        "\"#12345\"",
        "\"images/cover.gif\"",
        "\"glossy\"",
        "\"lulu\"",
    ] {
        let (line, column) = locate(&toml, value);
        assert!(
            err.contains(&format!("book.toml:{line}:{column}:")),
            "{value} not located at {line}:{column}:\n{err}"
        );
    }
    assert!(!tmp.join("out").exists(), "something was written");
    // An image outside the manuscript folder is refused, at its line.
    let tmp_outside = TempDir::new("covers-config-outside");
    let dir = sample_copy_with(&tmp_outside, "cover", &["image = \"../x.png\""]);
    let toml = std::fs::read_to_string(dir.join("book.toml")).unwrap();
    let output = build_format(&dir, &tmp.join("out2"), "epub", &[]);
    assert!(!output.status.success());
    let (line, column) = locate(&toml, "\"../x.png\"");
    let err = stderr(&output);
    assert!(err.contains(&format!("book.toml:{line}:{column}:")), "{err}");
    assert!(err.contains("leaves the manuscript folder"), "{err}");
}
