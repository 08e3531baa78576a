//! Hostile and broken manuscripts: every case ends in a clear diagnostic and a non-zero
//! exit, or in a correct build with a warning — never a panic, a hang, a partial output
//! file, or a file read from outside the manuscript. Large inputs are generated here.

mod common;

use common::{
    Manuscript, assert_built, assert_refused, parse_xml, quire, run, stderr,
    unzip_entries,
};
use std::path::Path;
use std::process::Output;

/// A refused build (see [`assert_refused`]) whose message holds `needle`.
fn refused_with(output: &Output, m: &Manuscript, needle: &str) -> String {
    let err = assert_refused(output, m);
    assert!(err.contains(needle), "expected {needle:?} in:\n{err}");
    err
}

/// Every XHTML file of the EPUB in `out` parses as XML; returns their joined text.
fn epub_xhtml(out: &Path) -> String {
    let epub = common::the_epub_in(out);
    let mut all = String::new();
    for (name, bytes) in unzip_entries(&epub) {
        if name.ends_with(".xhtml") {
            let text = String::from_utf8(bytes).expect("XHTML is UTF-8");
            parse_xml(&text, &name);
            all.push_str(&text);
        }
    }
    all
}

const ESSAY: &str = "# An Essay\n\nA plain paragraph of text.\n";

#[test]
fn malformed_book_toml_names_line_and_column() {
    let m = Manuscript::new("hostile-toml", &[("a.md", ESSAY)]);
    m.write("book.toml", common::book_table("T") + "\n[contents\nessays = [\"a.md\"]\n");
    let err = refused_with(&m.build_as("epub"), &m, "book.toml:8:10:");
    assert!(err.contains("book.toml"), "{err}");
}

#[test]
fn missing_book_toml_is_reported() {
    let m = Manuscript::new("hostile-no-toml", &[("a.md", ESSAY)]);
    std::fs::remove_file(m.dir().join("book.toml")).unwrap();
    refused_with(&m.build_as("epub"), &m, "has no book.toml");
}

#[test]
fn empty_chapter_and_heading_only_chapter_build_with_warnings() {
    let m = Manuscript::new(
        "hostile-empty",
        &[("a.md", ESSAY), ("b.md", ""), ("c.md", "# Only a Heading\n")],
    );
    let output = m.build_as("epub");
    // An empty file has no title: an error naming it.
    refused_with(&output, &m, "b.md:1:1: chapter has no title");
    m.write("b.md", "# Empty Essay\n");
    let err = assert_built(&m.build_as("all"));
    assert!(err.contains("b.md:1:1: chapter has no text"), "{err}");
    assert!(err.contains("c.md:1:1: chapter has no text"), "{err}");
}

#[test]
fn control_characters_line_endings_and_bom_are_cleaned() {
    let lf = "# Title\n\nFirst line\nsecond line.\n\nNext paragraph.\n";
    let crlf = lf.replace('\n', "\r\n");
    let cr = lf.replace('\n', "\r");
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(lf.as_bytes());
    let with_nul = "# Title\n\nFirst line\nsecond\u{0} line.\u{7}\n\nNext paragraph.\n";
    let m = Manuscript::new(
        "hostile-endings",
        &[("lf.md", lf), ("crlf.md", &crlf), ("cr.md", &cr), ("nul.md", with_nul)],
    );
    m.write("bom.md", &bom);
    m.write(
        "book.toml",
        common::book_toml(&[], &["lf.md", "crlf.md", "cr.md", "bom.md", "nul.md"]),
    );
    let err = assert_built(&m.build_as("all"));
    assert!(err.contains("nul.md:4:7: removed 2 control character(s)"), "{err}");
    let model = m.dump();
    let texts: Vec<String> = common::chapters(&model)
        .iter()
        .map(|c| common::paragraph_texts(c).join("|"))
        .collect();
    assert!(texts.iter().all(|t| t == &texts[0]), "{texts:?}");
    assert_eq!(texts[0], "First line second line.|Next paragraph.");
}

#[test]
fn character_references_to_controls_are_removed_with_a_warning() {
    // Found by the fuzz target: the file is cleaned of control characters when read, but
    // `&#1;` brought one back after that, into XHTML that no reader could parse.
    let text = "# T&#1;itle\n\n&#79;ld&#1; and &#xFFFE;new, x&#11;y.\n\n\
                [li&#3;nk](https://example.com/&#2;) and &#0;.\n";
    let m = Manuscript::new("hostile-char-refs", &[("a.md", text)]);
    let err = assert_built(&m.build_as("all"));
    let removed = |at: &str, n: usize, first: &str| {
        format!(
            "a.md:{at}: removed {n} character reference(s) to a control character or \
             noncharacter that cannot be printed (first U+{first})"
        )
    };
    let warnings: Vec<&str> = err.lines().filter(|l| l.starts_with("warning:")).collect();
    let expected =
        [removed("1:4", 1, "0001"), removed("3:8", 3, "0001"), removed("5:4", 1, "0003")];
    assert_eq!(warnings.len(), expected.len(), "{err}");
    for (warning, expected) in warnings.iter().zip(&expected) {
        assert!(warning.ends_with(expected.as_str()), "{warning}\nexpected {expected}");
    }
    let xhtml = epub_xhtml(&m.out());
    assert!(xhtml.contains(">Title</h1>"), "{xhtml}");
    assert!(xhtml.contains("<p>Old and new, xy.</p>"), "{xhtml}");
    // `&#0;` is U+FFFD by CommonMark's rule; the link's address keeps its control
    // character only percent-encoded, which XML allows.
    assert!(
        xhtml.contains("<a href=\"https://example.com/%02\">link</a> and \u{FFFD}."),
        "{xhtml}"
    );
}

#[test]
fn a_title_of_sixty_thousand_words_is_shortened_in_the_running_head() {
    // Found while writing large fuzz seeds, with a release build: the running head tried
    // the title's words one fewer at a time, shaping and caching each try, on every page:
    // a title of 24 KB took 14 s and 1.3 GB. A title of a single word that long, or of one
    // letter under thousands of accents, was quadratic as well. How long it takes now is
    // for benchmarks.
    let title: Vec<String> = (0..60_000).map(|i| format!("word{}", i % 10)).collect();
    let body = "A paragraph of ordinary prose, to fill some pages.\n\n".repeat(300);
    let text = format!("# {}\n\n{body}", title.join(" "));
    let m = Manuscript::new("hostile-long-title", &[("a.md", &text)]);
    let err = assert_built(&m.build_as("pdf"));
    assert!(!err.contains("warning"), "{err}");
    if !common::require_tools(&["pdftotext"]) {
        return;
    }
    let pages = common::pdf_page_texts(&m.out().join("test-book-print.pdf"));
    // The title fills the contents and its opener for hundreds of pages, then the prose
    // follows; each recto of the chapter but the first begins with its running head.
    let heads: Vec<&str> = pages
        .iter()
        .filter_map(|p| p.lines().next())
        .filter(|l| l.ends_with('…'))
        .collect();
    assert!(heads.len() > 100, "{} pages, {} heads", pages.len(), heads.len());
    assert!(heads[0].starts_with("word0 word1 word2 "), "{}", heads[0]);
    assert!(
        heads.iter().all(|&h| h == heads[0]),
        "{:?}",
        heads.iter().find(|&&h| h != heads[0])
    );
}

#[test]
fn nesting_ten_thousand_deep_is_refused_without_overflow() {
    let quotes = format!("# Deep\n\n{} deep\n", ">".repeat(10_000));
    // 4,000 levels: 10,000 would be a 95 MB file, refused by the size cap first.
    let lists: String = (0..4_000).map(|i| format!("{}- x\n", "  ".repeat(i))).collect();
    let emphasis = format!("# Deep\n\n{}x{}\n", "*_".repeat(5_000), "_*".repeat(5_000));
    for (name, text) in
        [("quotes", quotes), ("lists", format!("# Deep\n\n{lists}")), ("emph", emphasis)]
    {
        let m = Manuscript::new(&format!("hostile-deep-{name}"), &[("a.md", &text)]);
        // The markers the parser leaves as text make one word far wider than the line,
        // made of thousands of one-character runs: it is broken at the margin like any
        // long word (the bounds check of every build proves it stays on the page).
        let output = m.build_as("all");
        if output.status.success() {
            // Flattened by the parser instead: fine, as long as the EPUB is sound.
            epub_xhtml(&m.out());
        } else {
            refused_with(&output, &m, "nested more than");
        }
    }
}

#[test]
fn five_megabyte_paragraph_builds() {
    let words =
        ["quiet", "partner", "conversation", "withdrawal", "the", "and", "of", "trust"];
    let mut text = String::from("# One Long Paragraph\n\n");
    let mut i = 0usize;
    while text.len() < 5_000_000 {
        text.push_str(words[(i * 7 + i / 3) % words.len()]);
        text.push(' ');
        i += 1;
    }
    text.push_str("end.\n");
    let m = Manuscript::new("hostile-big-paragraph", &[("a.md", &text)]);
    assert_built(&m.build_as("epub"));
    assert_built(&m.build_as("pdf"));
    let pdf = m.out().join("test-book-print.pdf");
    assert!(std::fs::metadata(&pdf).unwrap().len() > 100_000);
}

#[test]
fn word_of_five_thousand_letters_is_broken_with_a_warning() {
    let text = format!("# Long Word\n\nBefore {} after.\n", "x".repeat(5_000));
    let m = Manuscript::new("hostile-long-word", &[("a.md", &text)]);
    let err = assert_built(&m.build_as("pdf"));
    assert!(err.contains("a.md:3:1: a word is longer than a whole line"), "{err}");
    assert!(!err.contains("sticks out into the margin"), "{err}");
}

#[test]
fn hundred_thousand_footnotes_build() {
    let mut text = String::from("# Notes\n\n");
    for i in 0..100_000 {
        text.push_str(&format!("Paragraph {i}.[^n{i}]\n\n"));
    }
    for i in 0..100_000 {
        text.push_str(&format!("[^n{i}]: Note {i}.\n"));
    }
    let m = Manuscript::new("hostile-notes", &[("a.md", &text)]);
    assert_built(&m.build_as("epub"));
    let xhtml = epub_xhtml(&m.out());
    assert!(xhtml.contains("id=\"note-100000\""));
    assert_built(&m.build_as("pdf"));
}

#[test]
fn unreferenced_footnote_definition_is_a_warning() {
    let text = "# Notes\n\nText.\n\n[^unused]: Never cited.\n";
    let m = Manuscript::new("hostile-unused-note", &[("a.md", text)]);
    let err = assert_built(&m.build_as("epub"));
    assert!(
        err.contains("a.md:5:1: footnote [^unused] is defined but never referenced"),
        "{err}"
    );
}

#[test]
fn raw_html_of_every_kind_never_breaks_the_epub() {
    let text = "# HTML\n\n<div>unclosed <b>bold\n\nA&nbsp;b &amp; c &copy; &#x2014; &bogus; <br> <img src=x onerror=alert(1)>\n\n\
<script>alert('x')</script>\n\n<style>p{}</style>\n\n<!-- comment\n\n<p>para</p> <i>open\n";
    let m = Manuscript::new("hostile-html", &[("a.md", text)]);
    let err = assert_built(&m.build_as("all"));
    assert!(
        err.contains("raw HTML tags with no meaning in a book were dropped"),
        "{err}"
    );
    let xhtml = epub_xhtml(&m.out()).to_lowercase();
    for forbidden in ["<script", "<style", "onerror", "<div", "<img src=\"x\""] {
        assert!(!xhtml.contains(forbidden), "{forbidden} reached the EPUB");
    }
    // The entities became characters, not undeclared XML entities.
    assert!(xhtml.contains("a\u{a0}b"));
    assert!(!xhtml.contains("&nbsp;") && !xhtml.contains("&copy;"));
}

/// CRC-32 as PNG chunks use it (ISO 3309), bit by bit: small inputs only.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A PNG whose valid signature and IHDR chunk declare `w`×`h` pixels, as a
/// decompression bomb does; there is no image data after it.
fn png_header(w: u32, h: u32) -> Vec<u8> {
    let mut chunk = b"IHDR".to_vec();
    chunk.extend_from_slice(&w.to_be_bytes());
    chunk.extend_from_slice(&h.to_be_bytes());
    chunk.extend_from_slice(&[8, 2, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0d".to_vec();
    png.extend_from_slice(&chunk);
    png.extend_from_slice(&crc32(&chunk).to_be_bytes());
    png
}

#[test]
fn images_outside_remote_unsupported_or_huge_are_refused() {
    let secret = common::TempDir::new("hostile-secret");
    common::write_file(&secret.join("secret.png"), common::PNG_1X1);
    let cases: Vec<(&str, String, &str)> = vec![
        ("parent", "../../etc/passwd".into(), "leaves the manuscript folder"),
        // A site-root path is read from the manuscript's top folder, never from `/`.
        (
            "absolute",
            "/etc/passwd".into(),
            "is not found in the manuscript folder (a path that starts with / is read from the manuscript's top folder)",
        ),
        ("remote", "https://example.com/a.png".into(), "is remote; quire never fetches"),
        ("missing", "images/none.png".into(), "not found"),
        ("symlink", "images/link.png".into(), "outside the manuscript folder"),
        ("gif", "images/a.gif".into(), "is not a PNG or JPEG file"),
        ("bomb", "images/bomb.png".into(), "at most 40 megapixels"),
    ];
    for (name, src, needle) in cases {
        let text = format!("# Images\n\n![alt]({src})\n");
        let m = Manuscript::new(&format!("hostile-image-{name}"), &[("a.md", &text)]);
        m.write("images/a.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;");
        m.write("images/bomb.png", png_header(100_000, 100_000));
        #[cfg(unix)]
        {
            let _ = std::os::unix::fs::symlink(
                secret.join("secret.png"),
                m.dir().join("images/link.png"),
            );
        }
        let err = refused_with(&m.build_as("all"), &m, needle);
        assert!(err.contains("a.md:3:1:"), "{name}: {err}");
    }
}

#[test]
fn characters_no_font_has_are_listed_once_with_places() {
    let text = "# Scripts\n\nEmoji 😀 here.\n\nCJK 漢字 and Arabic مرحبا and Greek αβγ and Cyrillic жук.\n";
    let m = Manuscript::new("hostile-glyphs", &[("a.md", text)]);
    let err = assert_built(&m.build_as("pdf"));
    let lines: Vec<&str> =
        err.lines().filter(|l| l.contains("no bundled font")).collect();
    assert_eq!(lines.len(), 1, "{err}");
    let line = lines[0];
    assert!(line.contains("U+1F600") && line.contains("a.md:3"), "{line}");
    assert!(line.contains("U+6F22") && line.contains("a.md:5"), "{line}");
    assert!(line.contains("U+0645"), "{line}");
    // Greek and Cyrillic come from the fonts (Libertine or the Noto fallback).
    assert!(!line.contains("U+03B1") && !line.contains("U+0436"), "{line}");
}

#[test]
fn unwritable_output_is_an_error_and_earlier_output_survives() {
    let m = Manuscript::new("hostile-output", &[("a.md", ESSAY)]);
    // The output "directory" is a file.
    let blocker = m.tmp.join("not-a-dir");
    common::write_file(&blocker, b"keep me");
    let output = run(quire()
        .arg("build")
        .arg(m.dir())
        .arg("--out")
        .arg(&blocker)
        .arg("--format")
        .arg("epub"));
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(err.contains("cannot write"), "{err}");
    assert_eq!(std::fs::read(&blocker).unwrap(), b"keep me");

    // A good build, then a target that cannot be replaced (a directory in its place):
    // the PDF fails, and the EPUB written before is untouched, with no temporary files.
    assert_built(&m.build_as("epub"));
    let epub = m.out().join("test-book.epub");
    let before = std::fs::read(&epub).unwrap();
    std::fs::create_dir_all(m.out().join("test-book-print.pdf/locked")).unwrap();
    let output = m.build_as("all");
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(err.contains("test-book-print.pdf: cannot write"), "{err}");
    assert_eq!(std::fs::read(&epub).unwrap(), before);
    let leftovers: Vec<String> = std::fs::read_dir(m.out())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".part"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
