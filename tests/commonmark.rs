//! The CommonMark spec's own examples (spec 0.31.2, vendored in
//! `tests/fixtures/commonmark/spec.json`, see the README there) read through quire's
//! Markdown reader and XHTML writer: every example without raw HTML must build, and the
//! text of quire's XHTML must equal the text of the spec's expected HTML.
//!
//! Which examples count: all but those in the spec's "HTML blocks" and "Raw HTML"
//! sections and those whose Markdown holds something that may be an HTML tag — a `<`
//! followed by a letter, `/`, `!` or `?` that does not open an autolink (`<scheme:…>` or
//! `<name@host>`). Quire maps raw HTML into its model on purpose (issue 12), so its text
//! there differs from CommonMark's pass-through by design.
//!
//! What is compared: the text content of both documents — tags removed (a block-level
//! tag counts as a space, an `<img>` as its alt text), the basic entities decoded, runs of
//! white space made one space — after undoing quire's smart punctuation on both sides
//! (curly quotes to straight ones, en and em dashes to `--` and `---`, an ellipsis to `...`).
//! The test fails when fewer examples pass than [`FLOOR`], or when one panics or gives
//! XHTML that is not well-formed XML.

mod common;

use quire::input::Manuscript;
use quire::markdown::builder::{SourceFile, parse_chapter};
use quire::markdown::source::decode_with_warnings;
use serde_json::Value;
use std::path::{Component, Path};

/// Examples known to pass today; raise it when quire gets closer to CommonMark.
const FLOOR: usize = 545;

/// Why an example is left out or did not pass.
enum Outcome {
    Pass,
    /// quire refused the file.
    Error(String),
    /// quire built it, with other text.
    Differs {
        quire: String,
        spec: String,
    },
}

#[test]
fn commonmark_examples_without_raw_html_give_the_spec_text() {
    let json = std::fs::read_to_string(
        common::repo_root().join("tests/fixtures/commonmark/spec.json"),
    )
    .expect("spec.json is vendored");
    let examples: Vec<Value> = serde_json::from_str(&json).expect("spec.json is JSON");
    let mut considered = 0usize;
    let mut passed = 0usize;
    let mut failures = Vec::new();
    for example in &examples {
        let number = example["example"].as_u64().unwrap();
        let section = example["section"].as_str().unwrap();
        let markdown = example["markdown"].as_str().unwrap();
        let html = example["html"].as_str().unwrap();
        if has_raw_html(section, markdown) {
            continue;
        }
        considered += 1;
        match run(markdown, html) {
            Outcome::Pass => passed += 1,
            Outcome::Error(e) => {
                failures.push(format!("#{number} ({section}): error: {e}"))
            }
            Outcome::Differs { quire, spec } => failures.push(format!(
                "#{number} ({section}): text differs: quire {quire:?}, spec {spec:?}"
            )),
        }
    }
    for failure in &failures {
        eprintln!("{failure}");
    }
    eprintln!(
        "{passed} of {considered} CommonMark examples without raw HTML give the spec's text \
         ({} examples in all)",
        examples.len()
    );
    assert!(
        passed >= FLOOR,
        "only {passed} of {considered} CommonMark examples pass; at least {FLOOR} did before"
    );
}

/// True when the example is about raw HTML or may hold an HTML tag (the rule is above).
fn has_raw_html(section: &str, markdown: &str) -> bool {
    if section == "HTML blocks" || section == "Raw HTML" {
        return true;
    }
    let bytes = markdown.as_bytes();
    for (i, _) in markdown.match_indices('<') {
        let Some(&next) = bytes.get(i + 1) else { continue };
        if !(next.is_ascii_alphabetic() || matches!(next, b'/' | b'!' | b'?')) {
            continue;
        }
        let rest = &markdown[i + 1..];
        let inner = rest.find('>').map(|end| &rest[..end]);
        if !inner.is_some_and(is_autolink) {
            return true;
        }
    }
    false
}

/// An autolink's inside: `scheme:rest` (scheme of 2 to 32 characters) or an email address.
fn is_autolink(inner: &str) -> bool {
    if inner.is_empty() || inner.contains(|c: char| c.is_ascii_whitespace() || c == '<') {
        return false;
    }
    if let Some((scheme, _)) = inner.split_once(':') {
        let mut chars = scheme.chars();
        let first_letter = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
        return first_letter
            && (2..=32).contains(&scheme.len())
            && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-'));
    }
    inner.split_once('@').is_some_and(|(local, host)| {
        !local.is_empty()
            && !host.is_empty()
            && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.'))
    })
}

/// Builds one example in a fresh manuscript and compares its text with the spec's.
fn run(markdown: &str, html: &str) -> Outcome {
    let dir = tempfile::tempdir().unwrap();
    write_images(dir.path(), markdown);
    let manuscript = Manuscript::open(dir.path()).unwrap();
    // A title heading of its own, so the example's first heading stays in the body (a
    // title from front matter would replace an opening `#` heading instead).
    let file = format!("# T\n\n{markdown}");
    let path = Path::new("example.md");
    let text = match decode_with_warnings(path, file.as_bytes()) {
        Ok((text, _)) => text,
        Err(e) => return Outcome::Error(e.to_string()),
    };
    let parsed =
        match parse_chapter(&SourceFile { path, text: &text, manuscript: &manuscript }) {
            Ok(parsed) => parsed,
            Err(e) => return Outcome::Error(one_line(&e.to_string())),
        };
    let xhtml = quire::epub::xhtml::blocks(&parsed.blocks);
    let wrapped =
        format!("<body xmlns:epub=\"http://www.idpf.org/2007/ops\">{xhtml}</body>");
    if let Err(e) = roxmltree::Document::parse(&wrapped) {
        panic!("quire's XHTML for {markdown:?} is not well-formed: {e}\n{xhtml}");
    }
    let quire = normalise(&text_of(&xhtml));
    let spec = normalise(&text_of(html));
    if quire == spec { Outcome::Pass } else { Outcome::Differs { quire, spec } }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Writes a 1×1 PNG wherever the example names a relative or site-root (`/url`) image,
/// so images build.
fn write_images(dir: &Path, markdown: &str) {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES;
    for event in Parser::new_ext(markdown, options) {
        let Event::Start(Tag::Image { dest_url, .. }) = event else { continue };
        let relative = Path::new(dest_url.strip_prefix('/').unwrap_or(dest_url.as_ref()));
        let plain = !dest_url.is_empty()
            && !dest_url.contains(':')
            && relative.components().all(|c| matches!(c, Component::Normal(_)));
        if plain {
            let target = dir.join(relative);
            if let Some(parent) = target.parent() {
                let _ = std::fs::create_dir_all(parent);
            }
            let _ = std::fs::write(target, common::PNG_1X1);
        }
    }
}

/// Elements that separate words: their tags count as white space.
const BLOCK_TAGS: &[&str] = &[
    "p",
    "li",
    "ul",
    "ol",
    "blockquote",
    "pre",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "br",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "figure",
    "figcaption",
    "dl",
    "dt",
    "dd",
    "section",
    "header",
    "aside",
    "div",
];

/// The text of an HTML or XHTML fragment: tags dropped (block tags as spaces, `<img>` as
/// its alt text), entities decoded. Tolerant: the spec's HTML is not XML.
fn text_of(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&decode(&rest[..lt]));
        let tail = &rest[lt..];
        let Some(gt) = tail.find('>') else {
            out.push_str(&decode(tail));
            rest = "";
            break;
        };
        let tag = &tail[1..gt];
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name == "img" {
            if let Some(alt) = attribute(tag, "alt") {
                out.push_str(&decode(alt));
            }
        } else if BLOCK_TAGS.contains(&name.as_str()) {
            out.push(' ');
        }
        rest = &tail[gt + 1..];
    }
    out.push_str(&decode(rest));
    out
}

/// A double-quoted attribute's raw value.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let start = tag.find(&key)? + key.len();
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// Decodes `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;` and numeric references.
fn decode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let end = tail.find(';').filter(|&e| e <= 12);
        let decoded = end.and_then(|e| {
            let name = &tail[1..e];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => {
                    let n = if let Some(hex) =
                        name.strip_prefix("#x").or_else(|| name.strip_prefix("#X"))
                    {
                        u32::from_str_radix(hex, 16).ok()
                    } else if let Some(dec) = name.strip_prefix('#') {
                        dec.parse().ok()
                    } else {
                        None
                    };
                    n.and_then(char::from_u32)
                }
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &tail[len..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Smart punctuation undone, runs of white space made one space, ends trimmed.
fn normalise(text: &str) -> String {
    let mut plain = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\u{201C}' | '\u{201D}' | '\u{201E}' => plain.push('"'),
            '\u{2018}' | '\u{2019}' | '\u{201A}' => plain.push('\''),
            '\u{2013}' => plain.push_str("--"),
            '\u{2014}' => plain.push_str("---"),
            '\u{2026}' => plain.push_str("..."),
            c => plain.push(c),
        }
    }
    plain.split_ascii_whitespace().collect::<Vec<_>>().join(" ")
}
