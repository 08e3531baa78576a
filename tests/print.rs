//! The print edition (`<slug>-print.pdf`) built from the sample manuscript: page size,
//! validity, embedded fonts, the text it gives back, the make-up rules seen through
//! `quire dump --layout`, reproducibility, navigation and metadata, and the `[print]`
//! settings (KDP profile, bleed, trim sizes).
//!
//! Expectations come from the chapter model (`quire dump`), from `book.toml`'s documented
//! meaning (README) and from the layout dump, never from a copy of an earlier run.

mod common;

use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// 6 × 9 in, the default trim, in points.
const SIX_BY_NINE: (f64, f64) = (432.0, 648.0);
/// 0.125 in of bleed, in points.
const BLEED: f64 = 9.0;

/// Builds `manuscript`'s print PDF into `out`, asserts success, returns its path (the only
/// file written).
fn build_print(manuscript: &Path, out: &Path) -> PathBuf {
    let output = build_format(manuscript, out, "pdf", &[]);
    assert_success("quire build --format pdf", &output);
    let written = dir_entries(out);
    assert_eq!(written.len(), 1, "--format pdf wrote {written:?}");
    assert!(written[0].ends_with("-print.pdf"), "--format pdf wrote {written:?}");
    out.join(&written[0])
}

/// One text line of the layout dump.
#[derive(Debug, Clone)]
struct LLine {
    y: f64,
    hyphenated: bool,
    overfull: bool,
    /// Stretched past the tolerance.
    loose: bool,
    kind: String,
    /// (paragraph id, 1-based index, count) of body paragraph lines.
    par: Option<(u32, u32, u32)>,
    /// The 1-based line of the page's file where the line's block begins (`@N`).
    at_line: Option<usize>,
    text: String,
}

/// One page of the layout dump.
#[derive(Debug, Clone)]
struct LPage {
    /// 1-based.
    number: usize,
    recto: bool,
    role: String,
    folio: Option<String>,
    head: String,
    /// The chapter file the page sets, relative to the manuscript.
    file: Option<String>,
    lines: Vec<LLine>,
}

impl LPage {
    fn non_note(&self) -> impl Iterator<Item = &LLine> {
        self.lines.iter().filter(|l| l.kind != "Note")
    }

    /// The text of the page's heading lines, joined by spaces.
    fn heading_text(&self) -> String {
        let parts: Vec<&str> = self
            .lines
            .iter()
            .filter(|l| l.kind == "Heading")
            .map(|l| l.text.as_str())
            .collect();
        parts.join(" ")
    }
}

const ROLES: &[&str] = &[
    "half-title",
    "blank",
    "title",
    "copyright",
    "dedication",
    "epigraph",
    "contents",
    "opener",
    "text",
];
const KINDS: &[&str] =
    &["Body", "Heading", "Ornament", "Caption", "Note", "Writing", "Display"];

/// Undoes Rust's `{:?}` escaping of a string (without the surrounding quotes).
fn unescape_debug(s: &str) -> String {
    let mut out = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some('u') => {
                let hex: String =
                    chars.by_ref().skip(1).take_while(|&c| c != '}').collect();
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
            }
            Some(other) => out.push(other),
            None => panic!("dangling backslash in {s:?}"),
        }
    }
    out
}

/// Parses `quire dump --layout` output, failing on any line not in the documented format.
fn parse_layout(dump: &str) -> Vec<LPage> {
    let mut pages: Vec<LPage> = Vec::new();
    for (n, line) in dump.lines().enumerate() {
        let bad =
            |why: &str| -> ! { panic!("layout dump line {}: {why}: {line:?}", n + 1) };
        if let Some(rest) = line.strip_prefix("page ") {
            // page <n> <recto|verso> <role> folio=<f> head="<h>"[ file="<f>"]
            let (fields, head) =
                rest.split_once(" head=\"").unwrap_or_else(|| bad("no head"));
            let (head, file) = match head.rsplit_once("\" file=\"") {
                Some((head, file)) => (
                    head,
                    Some(
                        file.strip_suffix('"').unwrap_or_else(|| bad("file not quoted")),
                    ),
                ),
                None => (
                    head.strip_suffix('"').unwrap_or_else(|| bad("head not quoted")),
                    None,
                ),
            };
            let f: Vec<&str> = fields.split(' ').collect();
            if f.len() != 4 {
                bad("expected 4 fields before head");
            }
            let number: usize = f[0].parse().unwrap_or_else(|_| bad("page number"));
            let recto = match f[1] {
                "recto" => true,
                "verso" => false,
                _ => bad("side"),
            };
            if !ROLES.contains(&f[2]) {
                bad("unknown role");
            }
            let folio = f[3].strip_prefix("folio=").unwrap_or_else(|| bad("folio"));
            assert_eq!(number, pages.len() + 1, "layout dump pages out of sequence");
            pages.push(LPage {
                number,
                recto,
                role: f[2].to_string(),
                folio: (folio != "-").then(|| folio.to_string()),
                head: unescape_debug(head),
                file: file.map(unescape_debug),
                lines: Vec::new(),
            });
        } else if let Some(rest) = line.strip_prefix("  y=") {
            // y=<baseline> r=<ratio> <H|-><O|-><L|-> <Kind> <par> <@line|-> | <text>
            let (fields, text) =
                rest.split_once(" | ").unwrap_or_else(|| bad("no ' | '"));
            let f: Vec<&str> = fields.split(' ').collect();
            if f.len() != 6 {
                bad("expected 6 fields before ' | '");
            }
            let at_line = match f[5] {
                "-" => None,
                at => Some(
                    at.strip_prefix('@')
                        .and_then(|n| n.parse::<usize>().ok())
                        .filter(|&n| n > 0)
                        .unwrap_or_else(|| bad("source line")),
                ),
            };
            let y: f64 = f[0].parse().unwrap_or_else(|_| bad("y"));
            let ratio = f[1].strip_prefix("r=").unwrap_or_else(|| bad("r="));
            let _: f64 = ratio.parse().unwrap_or_else(|_| bad("ratio"));
            let flags: Vec<char> = f[2].chars().collect();
            if flags.len() != 3
                || !"H-".contains(flags[0])
                || !"O-".contains(flags[1])
                || !"L-".contains(flags[2])
            {
                bad("flags");
            }
            if !KINDS.contains(&f[3]) {
                bad("unknown kind");
            }
            let par = if f[4] == "-" {
                None
            } else {
                let p = f[4].strip_prefix('p').unwrap_or_else(|| bad("par"));
                let (id, pos) = p.split_once(':').unwrap_or_else(|| bad("par"));
                let (index, count) = pos.split_once('/').unwrap_or_else(|| bad("par"));
                let num =
                    |s: &str| s.parse::<u32>().unwrap_or_else(|_| bad("par number"));
                let (index, count) = (num(index), num(count));
                if index == 0 || index > count {
                    bad("paragraph index out of range");
                }
                Some((num(id), index, count))
            };
            let page = pages.last_mut().unwrap_or_else(|| bad("line before any page"));
            page.lines.push(LLine {
                y,
                hyphenated: flags[0] == 'H',
                overfull: flags[1] == 'O',
                loose: flags[2] == 'L',
                kind: f[3].to_string(),
                par,
                at_line,
                text: text.to_string(),
            });
        } else {
            bad("neither a page header nor a text line");
        }
    }
    assert!(!pages.is_empty(), "the layout dump is empty");
    pages
}

/// `quire dump --layout <manuscript>`, parsed.
fn layout_of(manuscript: &Path) -> Vec<LPage> {
    let output = run(quire().args(["dump", "--layout"]).arg(manuscript));
    assert_success("quire dump --layout", &output);
    parse_layout(&stdout(&output))
}

/// The chapters of the model of one kind.
fn chapters_of<'a>(model: &'a Value, kind: &str) -> Vec<&'a Value> {
    chapters(model).iter().filter(|c| c["kind"] == kind).collect()
}

/// A chapter's title as plain text.
fn title_of(chapter: &Value) -> String {
    normalize_ws(&inline_text(&chapter["title"]))
}

/// The index (0-based) of the opener page showing `title`.
fn opener_of(pages: &[LPage], title: &str) -> usize {
    let found: Vec<usize> = pages
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            p.role == "opener" && normalize_ws(&p.heading_text()).contains(title)
        })
        .map(|(i, _)| i)
        .collect();
    assert_eq!(found.len(), 1, "{title:?} is the heading of opener pages {found:?}");
    found[0]
}

/// The key under which PDF text and model text are compared, the same normaliser for both:
///
/// - hyphenated line ends (`-` + newline) are joined, as pdftotext's own dehyphenation
///   does, and then every remaining `-` and soft hyphen is dropped too, because a line
///   broken after the explicit hyphen of a compound ("going-|away") comes back from
///   pdftotext without it;
/// - note references: the PDF prints them as superscript digits right after a word or
///   its punctuation ("everywhere.1"), while the model's text leaves them out. So every
///   run of digits that directly follows a non-space, non-digit character is removed, on
///   both sides. A number standing on its own ("35 minutes") is kept; a number after an
///   opening parenthesis is removed on both sides alike, which costs nothing;
/// - ligatures pdftotext might return as presentation forms (U+FB00–FB06) are spelled
///   out;
/// - all whitespace is removed: a line may end after a dash, giving "road— and" for the
///   model's "road—and".
fn text_key(text: &str) -> String {
    let joined = text.replace("-\n", "");
    let mut out = String::with_capacity(joined.len());
    let mut prev: Option<char> = None;
    let mut in_stripped_digits = false;
    for c in joined.chars() {
        let is_digit = c.is_ascii_digit();
        let strip = if is_digit {
            match prev {
                Some(p) if p.is_ascii_digit() => in_stripped_digits,
                Some(p) => !p.is_whitespace(),
                None => false,
            }
        } else {
            false
        };
        in_stripped_digits = is_digit && strip;
        prev = Some(c);
        if strip || ignorable(c) {
            continue;
        }
        match c {
            '\u{fb00}' => out.push_str("ff"),
            '\u{fb01}' => out.push_str("fi"),
            '\u{fb02}' => out.push_str("fl"),
            '\u{fb03}' => out.push_str("ffi"),
            '\u{fb04}' => out.push_str("ffl"),
            '\u{fb05}' | '\u{fb06}' => out.push_str("st"),
            _ => out.push(c),
        }
    }
    out
}

/// The text of a line of the dump as the page shows it, lines joined: a hyphenated line
/// end is joined without a space.
fn join_lines<'a>(lines: impl Iterator<Item = &'a LLine>) -> String {
    let mut out = String::new();
    for line in lines {
        out.push_str(&line.text);
        out.push(if line.hyphenated || line.text.ends_with('-') { '\n' } else { ' ' });
    }
    out
}

/// Characters the comparison keys ignore (besides note-reference digits).
fn ignorable(c: char) -> bool {
    c.is_whitespace() || c == '-' || c == '\u{ad}'
}

/// `text` without a trailing `suffix`, comparing only the characters [`text_key`] keeps
/// (ligature forms spelled out, whitespace and hyphens ignored, digits kept); `None` if
/// `text` does not end so.
fn strip_suffix_loose<'a>(text: &'a str, suffix: &str) -> Option<&'a str> {
    let spell = |c: char| -> Vec<char> {
        match c {
            '\u{fb00}' => vec!['f', 'f'],
            '\u{fb01}' => vec!['f', 'i'],
            '\u{fb02}' => vec!['f', 'l'],
            '\u{fb03}' => vec!['f', 'f', 'i'],
            '\u{fb04}' => vec!['f', 'f', 'l'],
            '\u{fb05}' | '\u{fb06}' => vec!['s', 't'],
            c if ignorable(c) => vec![],
            c => vec![c],
        }
    };
    let mut wanted: Vec<char> = suffix.chars().flat_map(spell).collect();
    if wanted.is_empty() {
        return Some(text);
    }
    for (i, c) in text.char_indices().rev() {
        for s in spell(c).into_iter().rev() {
            if wanted.pop() != Some(s) {
                return None;
            }
        }
        if wanted.is_empty() {
            return Some(&text[..i]);
        }
    }
    None
}

/// Strips `prefix` from the start of `text` ignoring case (small capitals may come back
/// from the PDF in either case); `None` if it is not there.
fn strip_prefix_nocase<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let n = prefix.chars().count();
    let end = text.char_indices().nth(n).map_or(text.len(), |(i, _)| i);
    (text.chars().count() >= n && text[..end].to_lowercase() == prefix.to_lowercase())
        .then(|| &text[end..])
}

/// The catalog's /PageLabels ranges as (first page index, /S style, /St start).
fn page_label_ranges(doc: &lopdf::Document) -> Vec<(i64, String, i64)> {
    let catalog = doc.catalog().expect("no catalog");
    let labels = pdf_resolve(doc, catalog.get(b"PageLabels").expect("no /PageLabels"))
        .as_dict()
        .expect("/PageLabels is not a dictionary");
    let nums = pdf_resolve(
        doc,
        labels.get(b"Nums").expect("/PageLabels has no /Nums (a /Kids tree?)"),
    )
    .as_array()
    .expect("/Nums is not an array");
    assert!(nums.len().is_multiple_of(2), "/Nums has an odd length");
    nums.chunks(2)
        .map(|pair| {
            let from =
                pdf_resolve(doc, &pair[0]).as_i64().expect("/Nums key not an integer");
            let d = pdf_resolve(doc, &pair[1]).as_dict().expect("/Nums value not a dict");
            let style = d
                .get(b"S")
                .ok()
                .map(|s| String::from_utf8_lossy(s.as_name().unwrap()).into_owned())
                .unwrap_or_default();
            let start = d.get(b"St").ok().map_or(1, |s| s.as_i64().unwrap());
            (from, style, start)
        })
        .collect()
}

/// The outline's top-level entries: (title, index of the destination page).
fn outline_entries(doc: &lopdf::Document) -> Vec<(String, Option<usize>)> {
    let pages = pdf_page_ids(doc);
    let catalog = doc.catalog().expect("no catalog");
    let root = pdf_resolve(doc, catalog.get(b"Outlines").expect("no /Outlines"))
        .as_dict()
        .expect("/Outlines is not a dictionary");
    let mut entries = Vec::new();
    let mut next = root.get(b"First").ok().map(|o| o.as_reference().expect("/First"));
    while let Some(id) = next {
        assert!(entries.len() < 10_000, "outline loops");
        let item = doc.get_dictionary(id).expect("outline item");
        let title = pdf_text_string(
            doc,
            item.get(b"Title").expect("outline item without /Title"),
        );
        let dest = item
            .get(b"Dest")
            .ok()
            .and_then(|d| pdf_resolve(doc, d).as_array().ok())
            .and_then(|a| a.first())
            .and_then(|p| p.as_reference().ok())
            .and_then(|p| pages.iter().position(|&q| q == p));
        entries.push((title, dest));
        next = item.get(b"Next").ok().map(|o| o.as_reference().expect("/Next"));
    }
    entries
}

/// The annotation dictionaries of a page, whether `/Annots` holds references (as ISO
/// 32000-1 requires) or, as quire writes them, direct dictionaries. (lopdf's
/// `get_page_annotations` sees only references.)
fn page_annotations(
    doc: &lopdf::Document,
    page: lopdf::ObjectId,
) -> Vec<&lopdf::Dictionary> {
    let dict = doc.get_dictionary(page).unwrap();
    let Ok(annots) = dict.get(b"Annots") else { return Vec::new() };
    pdf_resolve(doc, annots)
        .as_array()
        .expect("/Annots is not an array")
        .iter()
        .map(|a| {
            pdf_resolve(doc, a).as_dict().expect("an /Annots entry is not a dictionary")
        })
        .collect()
}

fn approx(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.01
}

fn assert_box(what: &str, actual: Option<[f64; 4]>, expected: [f64; 4]) {
    let actual = actual.unwrap_or_else(|| panic!("{what}: missing"));
    assert!(
        actual.iter().zip(expected).all(|(a, e)| approx(*a, e)),
        "{what}: {actual:?}, expected {expected:?}"
    );
}

/// Every page's media box is `[0 0 width height]`.
fn assert_all_pages_sized(pdf: &Path, width: f64, height: f64) -> usize {
    let doc = load_pdf(pdf);
    let pages = pdf_page_ids(&doc);
    assert!(!pages.is_empty(), "{} has no pages", pdf.display());
    for (i, &page) in pages.iter().enumerate() {
        assert_box(
            &format!("{} page {} /MediaBox", pdf.display(), i + 1),
            pdf_page_box(&doc, page, "MediaBox"),
            [0.0, 0.0, width, height],
        );
    }
    pages.len()
}

// ---------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------

#[test]
fn sample_print_pdf_is_6x9_qpdf_clean_fonts_embedded_and_subset() {
    let tmp = TempDir::new("print_6x9");
    let pdf = build_print(&sample_manuscript(), &tmp.join("out"));
    let model = dump_model(&sample_manuscript());
    assert!(
        pdf.ends_with(format!("{}-print.pdf", model["meta"]["slug"].as_str().unwrap())),
        "the print PDF is named {}",
        pdf.display()
    );
    let count = assert_all_pages_sized(&pdf, SIX_BY_NINE.0, SIX_BY_NINE.1);
    // Without bleed the trim box is the media box.
    let doc = load_pdf(&pdf);
    for (i, &page) in pdf_page_ids(&doc).iter().enumerate() {
        let trim = pdf_page_box(&doc, page, "TrimBox");
        assert_box(&format!("page {} /TrimBox", i + 1), trim, [0.0, 0.0, 432.0, 648.0]);
    }
    assert_eq!(
        count,
        layout_of(&sample_manuscript()).len(),
        "PDF pages vs layout dump pages"
    );
    if !require_tools(&["qpdf", "pdffonts"]) {
        return;
    }
    assert_qpdf_clean(&pdf);
    assert_fonts_embedded(&pdf, true);
}

#[test]
fn pdftotext_gives_back_every_paragraph_in_order() {
    if !require_tools(&["pdftotext"]) {
        return;
    }
    let tmp = TempDir::new("print_pdftotext");
    let pdf = build_print(&sample_manuscript(), &tmp.join("out"));
    let model = dump_model(&sample_manuscript());
    let layout = layout_of(&sample_manuscript());
    let texts = pdf_page_texts(&pdf);
    assert_eq!(texts.len(), layout.len(), "pdftotext pages vs layout dump pages");

    // Split the PDF's text into the running text and the footnotes, page by page: the
    // running head (the dump's head) must open a page and its folio end it; the page's
    // footnote lines (the dump's Note lines) must come last before the folio.
    let mut body_key = String::new();
    let mut notes_key = String::new();
    for (page, text) in layout.iter().zip(&texts) {
        let n = page.number;
        let mut t = normalize_ws(text);
        if !page.head.is_empty() {
            t = strip_prefix_nocase(&t, &page.head)
                .unwrap_or_else(|| {
                    panic!(
                        "page {n}: running head {:?} does not open the page text:\n{t}",
                        page.head
                    )
                })
                .trim_start()
                .to_string();
        }
        if let Some(folio) = &page.folio {
            t = t
                .strip_suffix(folio.as_str())
                .unwrap_or_else(|| {
                    panic!("page {n}: folio {folio:?} does not end the page text:\n{t}")
                })
                .trim_end()
                .to_string();
        } else if page.role == "blank" {
            assert!(t.is_empty(), "page {n} is blank in the layout but has text {t:?}");
        }
        let notes = join_lines(page.lines.iter().filter(|l| l.kind == "Note"));
        // pdftotext may join the page's last text line, when it ends with a hyphen, to
        // the first footnote line ("be-" + "3. Names" gives "be3. Names"), so the notes
        // are found at the end of the page loosely (see `strip_suffix_loose`) before the
        // note-reference digits are removed.
        let body = strip_suffix_loose(&t, &notes).unwrap_or_else(|| {
            panic!("page {n}: the footnotes of the layout do not end the page text\n  notes: {notes}\n  page:  {t}")
        });
        body_key.push_str(&text_key(body));
        notes_key.push_str(&text_key(&notes));
    }

    // Every paragraph of every chapter (dedication and epigraph included), its
    // reflection section's with its questions among them, in reading order.
    let mut failures = Vec::new();
    let mut checked = 0;
    let mut check =
        |stream: &str, cursor: &mut usize, slug: &str, what: &str, text: &str| {
            let key = text_key(text);
            assert!(!key.is_empty(), "{slug}: empty {what} in the model");
            match stream[*cursor..].find(&key) {
                Some(i) => *cursor += i + key.len(),
                None => failures.push(format!(
                    "{slug}: {what} {}: {text:?}",
                    if stream.contains(&key) { "is out of order" } else { "is missing" }
                )),
            }
            checked += 1;
        };
    let (mut body_at, mut notes_at) = (0, 0);
    for chapter in chapters(&model) {
        let slug = chapter["slug"].as_str().unwrap();
        let mut blocks = all_blocks(&chapter["blocks"]);
        blocks.extend(reflection_blocks(chapter));
        for block in blocks.into_iter().filter(|b| b["type"] == "paragraph") {
            check(
                &body_key,
                &mut body_at,
                slug,
                "paragraph",
                &inline_text(&block["content"]),
            );
        }
        for note in chapter["notes"].as_array().unwrap() {
            for block in all_blocks(&note["blocks"])
                .into_iter()
                .filter(|b| b["type"] == "paragraph")
            {
                check(
                    &notes_key,
                    &mut notes_at,
                    slug,
                    "footnote",
                    &inline_text(&block["content"]),
                );
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} texts:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(
        checked > 100,
        "only {checked} texts in the sample model: is the dump broken?"
    );
    for kind in ["dedication", "epigraph"] {
        assert!(
            !chapters_of(&model, kind).is_empty(),
            "the sample has no {kind}: test covers less"
        );
    }
}

/// The page make-up faults a reader would see, one line each: widows, orphans, a heading
/// ending a page, overfull lines, a chapter's last page with a single line, an opener on
/// a verso. Also returns the number of body lines looked at.
fn make_up_problems(pages: &[LPage]) -> (Vec<String>, usize) {
    let mut problems = Vec::new();
    let mut body_lines = 0;
    for page in pages {
        let n = page.number;
        assert_eq!(
            page.recto,
            n % 2 == 1,
            "page {n}: recto/verso does not follow the number"
        );
        let body: Vec<&LLine> =
            page.non_note().filter(|l| l.kind == "Body" && l.par.is_some()).collect();
        body_lines += body.len();
        if let Some(first) = body.first()
            && let Some((id, index, count)) = first.par
            && count > 1
            && index == count
        {
            problems.push(format!(
                "page {n}: widow (last line of p{id}, {count} lines, opens the page): {:?}",
                first.text
            ));
        }
        if let Some(last) = body.last()
            && let Some((id, index, count)) = last.par
            && count > 1
            && index == 1
        {
            problems.push(format!(
                "page {n}: orphan (first line of p{id}, {count} lines, ends the page): {:?}",
                last.text
            ));
        }
        if page.role == "text"
            && let Some(last) = page.non_note().last()
            && last.kind == "Heading"
        {
            problems.push(format!("page {n}: ends with the heading {:?}", last.text));
        }
        for line in page.lines.iter().filter(|l| l.overfull) {
            problems.push(format!(
                "page {n}: overfull line at y={}: {:?}",
                line.y, line.text
            ));
        }
        for line in page.lines.iter().filter(|l| l.loose) {
            problems.push(format!(
                "page {n}: line looser than the tolerance at y={}: {:?}",
                line.y, line.text
            ));
        }
        // A paragraph never ends on the tail of a word broken at the line before.
        for line in page.lines.iter().filter(|l| l.hyphenated) {
            if let Some((_, index, count)) = line.par
                && index + 1 == count
            {
                problems.push(format!(
                    "page {n}: a paragraph's last line is the tail of {:?}",
                    line.text
                ));
            }
        }
        // A recto's last line never sends half a word overleaf.
        if page.role == "text"
            && page.recto
            && pages.get(n).is_some_and(|next| next.role == "text")
            && page.non_note().last().is_some_and(|l| l.hyphenated)
        {
            problems.push(format!("page {n}: a recto ends in a hyphen"));
        }
        let chapter_ends = pages.get(n).is_none_or(|next| next.role != "text");
        if page.role == "text" && chapter_ends && body.len() < 2 {
            problems.push(format!(
                "page {n}: a chapter's last page with {} line(s) of text",
                body.len()
            ));
        }
        if page.role == "opener" && !page.recto {
            problems.push(format!("page {n}: an opener on a verso"));
        }
    }
    (problems, body_lines)
}

#[test]
fn layout_dump_has_no_widows_orphans_headings_at_foot_or_overfull_lines() {
    let model = dump_model(&sample_manuscript());
    let pages = layout_of(&sample_manuscript());
    let (problems, body_lines) = make_up_problems(&pages);
    assert!(body_lines > 1000, "only {body_lines} body lines: is the dump broken?");
    assert!(
        problems.is_empty(),
        "{} make-up problems:\n{}",
        problems.len(),
        problems.join("\n")
    );

    // Each essay opens on an opener page carrying its title; openers are exactly the
    // front-matter chapters with a title, the essays and the back matter.
    let essays = chapters_of(&model, "essay");
    let mut last = 0;
    for essay in &essays {
        let title = title_of(essay);
        let at = opener_of(&pages, &title);
        assert!(at >= last, "essay {title:?} opens before the essay before it");
        last = at;
    }
    let openers = pages.iter().filter(|p| p.role == "opener").count();
    let expected = essays.len()
        + chapters_of(&model, "front").len()
        + chapters_of(&model, "back").len();
    assert_eq!(
        openers, expected,
        "opener pages vs essays + front + back chapters in the model"
    );
}

/// An essay built to strain page make-up: paragraphs of 1 to 12 lines' worth of
/// sentences, headings directly followed by subheadings, scene breaks, quotes and lists,
/// in a deterministic but irregular order.
fn strained_essay(seed: u64, blocks: usize) -> String {
    const SENTENCES: &[&str] = &[
        "The kettle had begun to sing before either of them noticed it.",
        "Neither partner wanted to be the first to say what the silence meant.",
        "There is a kind of quiet that rests, and a kind that waits for something.",
        "He folded the newspaper twice and set it on the arm of the chair.",
        "She had learned that a question asked too soon is rarely answered.",
        "Outside, the rain kept its own patient count against the window.",
        "What looks like distance is often a person catching up with himself.",
    ];
    let mut next = common::dice(seed);
    let mut text = format!("# A Strained Essay {seed}\n\n");
    for b in 0..blocks {
        match next(14) {
            0 => text.push_str(&format!("## Section {b}\n\n### And its subsection\n\n")),
            1 => text.push_str(&format!("## Section {b}\n\n")),
            2 => text.push_str("* * *\n\n"),
            3 => text.push_str(
                "> A quoted line that the reader should hear in another voice.\n\n",
            ),
            4 => text.push_str(
                "- one small thing\n- another, a little longer than the first\n\n",
            ),
            _ => {}
        }
        let sentences = 1 + next(22) as usize;
        let words: Vec<&str> = (0..sentences)
            .map(|_| SENTENCES[next(SENTENCES.len() as u64) as usize])
            .collect();
        text.push_str(&words.join(" "));
        text.push_str("\n\n");
    }
    text
}

#[test]
fn strained_manuscripts_keep_every_make_up_rule_and_match_their_spreads() {
    let essays: Vec<(String, String)> = (0..4)
        .map(|i| (format!("0{i}-strained-{i}.md"), strained_essay(i, 160)))
        .collect();
    let refs: Vec<(&str, &str)> =
        essays.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let m = Manuscript::new("print_strained", &refs);
    let pages = layout_of(&m.dir());
    let (problems, body_lines) = make_up_problems(&pages);
    assert!(body_lines > 2000, "only {body_lines} body lines");
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
    let (spreads, mismatched) = spread_mismatches(&pages);
    assert!(spreads > 40, "only {spreads} inner spreads");
    assert!(
        mismatched.len() * 20 <= spreads,
        "{} of {spreads} spreads end on two baselines:\n{}",
        mismatched.len(),
        mismatched.join("\n")
    );
}

/// Where a page's ink ends: the baseline of its last line, footnotes included.
fn last_baseline(page: &LPage) -> f64 {
    page.lines.iter().map(|l| l.y).fold(f64::NEG_INFINITY, f64::max)
}

/// Index pairs (verso, recto) of the inner spreads: a text verso facing a text recto
/// that is not its chapter's last page (that one ends where the text ends).
fn inner_spreads(pages: &[LPage]) -> Vec<(usize, usize)> {
    let text = |i: usize| pages.get(i).is_some_and(|p| p.role == "text");
    (0..pages.len())
        .filter(|&i| !pages[i].recto && text(i) && text(i + 1) && text(i + 2))
        .map(|i| (i, i + 1))
        .collect()
}

/// The number of inner spreads, and one line for each whose pages end on two baselines.
fn spread_mismatches(pages: &[LPage]) -> (usize, Vec<String>) {
    let spreads = inner_spreads(pages);
    let mismatched = spreads
        .iter()
        .filter_map(|&(v, r)| {
            let (a, b) = (last_baseline(&pages[v]), last_baseline(&pages[r]));
            ((a - b).abs() > 0.01).then(|| {
                format!("pp. {}/{}: {a} vs {b}", pages[v].number, pages[r].number)
            })
        })
        .collect();
    (spreads.len(), mismatched)
}

#[test]
fn facing_pages_end_on_the_same_baseline_at_most_one_line_from_normal() {
    let pages = layout_of(&sample_manuscript());
    let spreads = inner_spreads(&pages);
    // The normal foot: the median of where the pages of inner spreads end (pages are
    // run short and long about equally often).
    let mut feet: Vec<f64> = spreads
        .iter()
        .flat_map(|&(v, r)| [v, r])
        .map(|i| last_baseline(&pages[i]))
        .collect();
    feet.sort_by(f64::total_cmp);
    let normal = *feet.get(feet.len() / 2).expect("the sample has inner spreads");
    let step = pages
        .iter()
        .flat_map(|p| p.lines.windows(2))
        .filter(|w| w[0].kind == "Body" && w[1].kind == "Body")
        .map(|w| w[1].y - w[0].y)
        .fold(f64::INFINITY, f64::min);

    let (count, mut problems) = spread_mismatches(&pages);
    assert!(count >= 10, "only {count} inner spreads: is the dump broken?");
    for &(v, r) in &spreads {
        for page in [&pages[v], &pages[r]] {
            let y = last_baseline(page);
            if (y - normal).abs() > step + 0.01 {
                problems.push(format!(
                    "p. {}: ends at {y}, more than a line from the normal {normal}",
                    page.number
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems in {count} spreads:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn print_pdf_rebuild_is_byte_identical() {
    let tmp = TempDir::new("print_rebuild");
    let first = std::fs::read(build_print(&sample_manuscript(), &tmp.join("a"))).unwrap();
    let second =
        std::fs::read(build_print(&sample_manuscript(), &tmp.join("b"))).unwrap();
    assert!(first.len() > 10_000, "the print PDF is only {} bytes", first.len());
    if first != second {
        let at = first
            .iter()
            .zip(&second)
            .position(|(a, b)| a != b)
            .unwrap_or(first.len().min(second.len()));
        panic!(
            "two builds differ: {} vs {} bytes, first difference at byte {at}",
            first.len(),
            second.len()
        );
    }
    // Building every edition at once gives the same print PDF as building it alone.
    let output = build_format(&sample_manuscript(), &tmp.join("all"), "all", &[]);
    assert_success("quire build --format all", &output);
    let slug =
        dump_model(&sample_manuscript())["meta"]["slug"].as_str().unwrap().to_string();
    let third = std::fs::read(tmp.join("all").join(format!("{slug}-print.pdf"))).unwrap();
    assert!(first == third, "--format all gives a different print PDF than --format pdf");
}

#[test]
fn print_pdf_has_page_labels_outline_lang_and_metadata() {
    let tmp = TempDir::new("print_navigation");
    let pdf = build_print(&sample_manuscript(), &tmp.join("out"));
    let model = dump_model(&sample_manuscript());
    let meta = &model["meta"];
    let layout = layout_of(&sample_manuscript());
    let doc = load_pdf(&pdf);
    let essays = chapters_of(&model, "essay");

    // Page labels: roman from the first page, arabic from the first essay's opener.
    let first_essay = opener_of(&layout, &title_of(essays[0]));
    assert_eq!(
        layout[first_essay].folio.as_deref(),
        Some("1"),
        "first essay's printed folio"
    );
    let ranges = page_label_ranges(&doc);
    assert_eq!(
        ranges,
        vec![(0, "r".to_string(), 1), (first_essay as i64, "D".to_string(), 1)],
        "/PageLabels ranges (from, style, start)"
    );

    // /Lang: book.toml's language (the model's meta echoes [book]).
    let toml = std::fs::read_to_string(sample_manuscript().join("book.toml")).unwrap();
    let language = meta["language"].as_str().unwrap();
    assert!(toml.contains(&format!("language = \"{language}\"")), "book.toml language");
    let catalog = doc.catalog().unwrap();
    let lang = pdf_text_string(&doc, catalog.get(b"Lang").expect("no /Lang"));
    assert_eq!(lang, language, "/Lang");

    // Outline: an entry per essay, in order, opening its opener page.
    let outline = outline_entries(&doc);
    let mut from = 0;
    for essay in &essays {
        let title = title_of(essay);
        let i = outline[from..]
            .iter()
            .position(|(t, _)| t.contains(&title))
            .map(|i| i + from)
            .unwrap_or_else(|| {
                panic!("no outline entry (in order) for {title:?} in {outline:?}")
            });
        assert_eq!(
            outline[i].1,
            Some(opener_of(&layout, &title)),
            "outline entry {:?} does not open the essay's opener page",
            outline[i].0
        );
        from = i + 1;
    }

    // Document information.
    let info_ref = doc.trailer.get(b"Info").expect("no /Info");
    let info = pdf_resolve(&doc, info_ref).as_dict().expect("/Info is not a dictionary");
    let field = |key: &str| {
        pdf_text_string(
            &doc,
            info.get(key.as_bytes()).unwrap_or_else(|_| panic!("no /Info /{key}")),
        )
    };
    assert_eq!(field("Title"), meta["title"].as_str().unwrap(), "/Info /Title");
    assert_eq!(field("Author"), meta["author"].as_str().unwrap(), "/Info /Author");
}

#[test]
fn kdp_profile_writes_no_annotations_or_bookmarks() {
    // The standard profile has both (else this test would prove nothing)...
    let tmp = TempDir::new("print_kdp");
    let standard = load_pdf(&build_print(&sample_manuscript(), &tmp.join("standard")));
    assert!(
        standard.catalog().unwrap().get(b"Outlines").is_ok(),
        "standard: no /Outlines"
    );
    let annotated = pdf_page_ids(&standard)
        .into_iter()
        .filter(|&p| standard.get_dictionary(p).unwrap().get(b"Annots").is_ok())
        .count();
    assert!(
        annotated > 0,
        "standard: no page has link annotations (the contents should)"
    );

    // ...the KDP profile neither.
    let book = sample_copy_with(&tmp, "print", &["profile = \"kdp\""]);
    let doc = load_pdf(&build_print(&book, &tmp.join("kdp")));
    let catalog = doc.catalog().unwrap();
    assert!(catalog.get(b"Outlines").is_err(), "kdp: the catalog has /Outlines");
    for (i, page) in pdf_page_ids(&doc).into_iter().enumerate() {
        let dict = doc.get_dictionary(page).unwrap();
        if let Ok(annots) = dict.get(b"Annots") {
            let n = pdf_resolve(&doc, annots).as_array().map_or(1, Vec::len);
            assert_eq!(n, 0, "kdp: page {} has /Annots {annots:?}", i + 1);
        }
    }
    assert_eq!(
        pdf_page_ids(&doc).len(),
        pdf_page_ids(&standard).len(),
        "the profile should not change the pages"
    );
}

#[test]
fn bleed_sets_trim_and_bleed_boxes() {
    let tmp = TempDir::new("print_bleed");
    let book = sample_copy_with(&tmp, "print", &["bleed = true"]);
    let pdf = build_print(&book, &tmp.join("out"));
    let (w, h) = SIX_BY_NINE;
    assert_all_pages_sized(&pdf, w + BLEED, h + 2.0 * BLEED);
    let doc = load_pdf(&pdf);
    for (i, page) in pdf_page_ids(&doc).into_iter().enumerate() {
        let n = i + 1;
        let media = pdf_page_box(&doc, page, "MediaBox").unwrap();
        let trim = pdf_page_box(&doc, page, "TrimBox")
            .unwrap_or_else(|| panic!("page {n}: no /TrimBox"));
        let bleed = pdf_page_box(&doc, page, "BleedBox")
            .unwrap_or_else(|| panic!("page {n}: no /BleedBox"));
        // Bleed is added on the outside (right of a recto, left of a verso), top and
        // bottom; never at the spine.
        let x = if n % 2 == 1 { 0.0 } else { BLEED };
        assert_box(
            &format!("page {n} /TrimBox"),
            Some(trim),
            [x, BLEED, x + w, BLEED + h],
        );
        let inside = |outer: [f64; 4], inner: [f64; 4]| {
            outer[0] <= inner[0] + 0.01
                && outer[1] <= inner[1] + 0.01
                && outer[2] + 0.01 >= inner[2]
                && outer[3] + 0.01 >= inner[3]
        };
        assert!(
            inside(bleed, trim),
            "page {n}: /BleedBox {bleed:?} does not hold /TrimBox {trim:?}"
        );
        assert!(
            inside(media, bleed),
            "page {n}: /MediaBox {media:?} does not hold /BleedBox {bleed:?}"
        );
        assert!(
            approx(bleed[2] - bleed[0], w + BLEED)
                && approx(bleed[3] - bleed[1], h + 2.0 * BLEED),
            "page {n}: /BleedBox {bleed:?} is not the trim plus 0.125 in outside, top and bottom"
        );
    }
}

#[test]
fn trim_presets_change_the_page_size() {
    let tmp = TempDir::new("print_trim");
    let book = sample_copy_with(&tmp, "print", &["trim = \"5x8\""]);
    let pages =
        assert_all_pages_sized(&build_print(&book, &tmp.join("out")), 360.0, 576.0);
    // A smaller page holds less: more pages than the 6 × 9 book.
    let six_by_nine = layout_of(&sample_manuscript()).len();
    assert!(pages > six_by_nine, "5x8 has {pages} pages, 6x9 {six_by_nine}");
    assert_eq!(pages, layout_of(&book).len(), "5x8 PDF pages vs its layout dump");
}

#[test]
fn contents_page_numbers_match_the_openers() {
    let model = dump_model(&sample_manuscript());
    let pages = layout_of(&sample_manuscript());
    let contents: Vec<&LPage> = pages.iter().filter(|p| p.role == "contents").collect();
    assert_eq!(contents.len(), 1, "contents pages");
    let entries: Vec<&str> = contents[0]
        .lines
        .iter()
        .map(|l| l.text.as_str())
        .filter(|t| *t != "Contents")
        .collect();
    // Each chapter with an opener (front matter with a title, essays, back matter) is
    // listed, in book order, as "[<number> ]<title> <folio of its opener>".
    let listed: Vec<&Value> = chapters(&model)
        .iter()
        .filter(|c| matches!(c["kind"].as_str(), Some("front" | "essay" | "back")))
        .collect();
    assert_eq!(entries.len(), listed.len(), "contents entries {entries:?}");
    for (entry, chapter) in entries.iter().zip(&listed) {
        let title = title_of(chapter);
        let opener = &pages[opener_of(&pages, &title)];
        let folio = opener
            .folio
            .as_deref()
            .unwrap_or_else(|| panic!("opener of {title:?} has no folio"));
        let expected = match chapter["number"].as_u64() {
            Some(n) => format!("{n} {title} {folio}"),
            None => format!("{title} {folio}"),
        };
        assert_eq!(normalize_ws(entry), expected, "contents entry for {title:?}");
    }
    let essays = listed.iter().filter(|c| c["kind"] == "essay").count();
    assert_eq!(essays, chapters_of(&model, "essay").len());
    assert!(essays > 0);

    // The contents page links each entry to its opener (standard profile).
    let tmp = TempDir::new("print_contents_links");
    let doc = load_pdf(&build_print(&sample_manuscript(), &tmp.join("out")));
    let ids = pdf_page_ids(&doc);
    let contents_index = contents[0].number - 1;
    let annots = page_annotations(&doc, ids[contents_index]);
    let mut targets: Vec<(f64, usize)> = annots
        .iter()
        .map(|a| {
            let top = pdf_number(&doc, &a.get(b"Rect").unwrap().as_array().unwrap()[3]);
            let dest = a
                .get(b"Dest")
                .ok()
                .or_else(|| {
                    a.get(b"A")
                        .ok()
                        .and_then(|act| pdf_resolve(&doc, act).as_dict().ok())
                        .and_then(|d| d.get(b"D").ok())
                })
                .expect("link without /Dest or /A /D");
            let page = pdf_resolve(&doc, dest).as_array().expect("/Dest not an array")[0]
                .as_reference()
                .expect("/Dest page not a reference");
            (
                top,
                ids.iter()
                    .position(|&p| p == page)
                    .expect("/Dest page not in the document"),
            )
        })
        .collect();
    // Top of the page first (PDF y grows upwards).
    targets.sort_by(|a, b| b.0.total_cmp(&a.0));
    let expected: Vec<usize> =
        listed.iter().map(|c| opener_of(&pages, &title_of(c))).collect();
    let actual: Vec<usize> = targets.into_iter().map(|(_, p)| p).collect();
    assert_eq!(actual, expected, "contents link targets (0-based pages), top to bottom");
}

#[test]
fn link_annotations_are_indirect_objects() {
    let tmp = TempDir::new("print_annots_indirect");
    let doc = load_pdf(&build_print(&sample_manuscript(), &tmp.join("out")));
    let mut links = 0;
    for (i, page) in pdf_page_ids(&doc).into_iter().enumerate() {
        let dict = doc.get_dictionary(page).unwrap();
        let Ok(annots) = dict.get(b"Annots") else { continue };
        for entry in
            pdf_resolve(&doc, annots).as_array().expect("/Annots is not an array")
        {
            assert!(
                entry.as_reference().is_ok(),
                "page {}: /Annots holds a direct dictionary, not a reference: {entry:?}",
                i + 1
            );
            links += 1;
        }
        // What a reader that follows the standard (here lopdf) sees.
        assert_eq!(
            doc.get_page_annotations(page).unwrap().len(),
            page_annotations(&doc, page).len(),
            "page {}: annotations a standard reader finds",
            i + 1
        );
    }
    assert!(links > 0, "no link annotations at all (the contents should have them)");
}

#[test]
fn jpeg_images_go_into_both_editions_byte_for_byte() {
    let fixtures = repo_root().join("tests/fixtures");
    let names = ["photo-baseline.jpg", "photo-progressive.jpg", "photo-grey.jpg"];
    let mut essay = String::from("# Photographs\n\nThree photographs follow.\n\n");
    for name in names {
        essay.push_str(&format!(
            "![A photograph]({name} \"The file {name}\")\n\nText.\n\n"
        ));
    }
    let m = Manuscript::new("print_jpeg", &[("01-photos.md", &essay)]);
    let files: Vec<Vec<u8>> = names
        .iter()
        .map(|name| {
            let bytes = std::fs::read(fixtures.join(name)).unwrap();
            m.write(name, &bytes);
            bytes
        })
        .collect();
    let output = build_format(&m.dir(), &m.out(), "all", &[]);
    assert_success("quire build --format all (JPEG images)", &output);
    // The fixtures are 120×80 pixels: each prints small, with a warning at its line.
    let warnings: Vec<String> = stderr(&output)
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .map(String::from)
        .collect();
    let file = m.dir().join("01-photos.md");
    for name in names {
        let (line, _) = locate(&essay, &format!("![A photograph]({name}"));
        let expected = format!(
            "warning: {}:{line}:1: image {name} is only 120×80 pixels",
            file.display()
        );
        assert!(
            warnings
                .iter()
                .any(|w| w.starts_with(&expected) && w.contains("0.4 in wide")),
            "no warning {expected:?} in {warnings:#?}"
        );
    }
    assert_eq!(warnings.len(), names.len(), "{warnings:#?}");

    // The ebook packages each file unchanged, declared as image/jpeg.
    let epub = the_epub_in(&m.out());
    let entries = unzip_entries(&epub);
    let opf_text = entry_text(&entries, &opf_path(&entries));
    for (name, bytes) in names.iter().zip(&files) {
        let packaged = entries
            .iter()
            .find(|(n, _)| n.ends_with(&format!("/{name}")))
            .unwrap_or_else(|| panic!("{name} not in the EPUB"));
        assert!(packaged.1 == *bytes, "{name} changed in the EPUB");
        let item = opf_text
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("{name} not in the manifest"));
        assert!(item.contains("image/jpeg"), "{name}: {item}");
    }
    if let Some(report) = epubcheck(&epub, &m.out()) {
        assert!(
            report.fatal + report.error + report.warning == 0,
            "EPUBCheck: {:?}",
            report.messages
        );
    }

    // The print PDF embeds each file unchanged as a DCTDecode image, in the right colours.
    let pdf = m.out().join("test-book-print.pdf");
    let doc = load_pdf(&pdf);
    let mut embedded: Vec<(Vec<u8>, String)> = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| {
            s.dict.get(b"Filter").and_then(|f| f.as_name()).ok() == Some(b"DCTDecode")
        })
        .map(|s| {
            let space =
                s.dict.get(b"ColorSpace").and_then(|c| c.as_name()).unwrap_or(b"?");
            (s.content.clone(), String::from_utf8_lossy(space).into_owned())
        })
        .collect();
    embedded.sort();
    let mut expected: Vec<(Vec<u8>, String)> = files
        .iter()
        .zip(names)
        .map(|(bytes, name)| {
            let space = if name.contains("grey") { "DeviceGray" } else { "DeviceRGB" };
            (bytes.clone(), space.to_string())
        })
        .collect();
    expected.sort();
    assert!(embedded == expected, "the PDF's JPEG streams are not the three files");
    assert_qpdf_clean(&pdf);
    if require_tools(&["pdfimages"]) {
        let list = run(std::process::Command::new("pdfimages").arg("-list").arg(&pdf));
        let jpegs = stdout(&list).lines().filter(|l| l.contains(" jpeg ")).count();
        assert_eq!(jpegs, 3, "pdfimages -list:\n{}", stdout(&list));
    }
}

#[test]
fn a_photo_stored_sideways_prints_upright() {
    // photo-rotated.jpg stores 120×80 pixels with Exif orientation 6: seen upright, it is
    // 80×120, an arrow pointing up.
    let bytes =
        std::fs::read(repo_root().join("tests/fixtures/photo-rotated.jpg")).unwrap();
    let essay = "# Upright\n\nA photograph taken with the phone held upright.\n\n\
                 ![An arrow pointing up](photo-rotated.jpg \"Upright\")\n\nText.\n";
    let m = Manuscript::new("print_exif", &[("01-upright.md", essay)]);
    m.write("photo-rotated.jpg", &bytes);
    let model = m.dump();
    let figure = chapters(&model)[0]["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["type"] == "figure")
        .expect("a figure")
        .clone();
    assert_eq!(figure["pixels"], serde_json::json!([80, 120]), "size as seen");

    let output = build_format(&m.dir(), &m.out(), "pdf", &[]);
    assert_success("quire build --format pdf (rotated JPEG)", &output);
    let pdf = m.out().join("test-book-print.pdf");
    let doc = load_pdf(&pdf);
    let image = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .find(|s| {
            s.dict.get(b"Filter").and_then(|f| f.as_name()).ok() == Some(b"DCTDecode")
        })
        .expect("the JPEG is embedded");
    assert!(image.content == bytes, "the JPEG was changed");
    let dim = |key: &[u8]| image.dict.get(key).and_then(|v| v.as_i64()).unwrap();
    assert_eq!((dim(b"Width"), dim(b"Height")), (120, 80), "stored as it was");
    // The page draws it with a quarter turn clockwise: [0 −h w 0 x y+h].
    let matrices: Vec<Vec<f64>> = pdf_page_ids(&doc)
        .into_iter()
        .flat_map(|page| {
            let content = doc.get_page_content(page);
            let text = String::from_utf8_lossy(&content).into_owned();
            text.lines()
                .filter(|l| l.ends_with(" cm"))
                .map(|l| {
                    l.split(' ').take(6).map(|n| n.parse::<f64>().unwrap()).collect()
                })
                .collect::<Vec<Vec<f64>>>()
        })
        .collect();
    assert_eq!(matrices.len(), 1, "{matrices:?}");
    let m6 = &matrices[0];
    assert!(
        m6[0] == 0.0 && m6[3] == 0.0 && m6[1] < 0.0 && m6[2] > 0.0 && -m6[1] > m6[2],
        "not a clockwise quarter turn into a portrait box: {m6:?}"
    );
}

#[test]
fn a_german_book_is_hyphenated_with_german_patterns() {
    let paragraph = "Wenn die Unterhaltung am Küchentisch verstummt, bedeutet das nicht \
        unbedingt Gleichgültigkeit. Manchmal braucht ein Mensch Abstand, um seine \
        Gedanken zu ordnen, bevor er die richtigen Worte für Verletzlichkeit, \
        Überforderung und Sehnsucht nach Selbstbestimmung findet. Beziehungsgespräche \
        gelingen eher, wenn beide Partner Verantwortung übernehmen.";
    let essay = format!("# Der stille Raum\n\n{}\n", [paragraph; 12].join("\n\n"));
    let m = Manuscript::new("print_german", &[("01-raum.md", &essay)]);
    let toml =
        m.read("book.toml").replace("language = \"en-US\"", "language = \"de-DE\"");
    m.write("book.toml", toml);
    let output = run(quire().args(["dump", "--layout"]).arg(m.dir()));
    assert_success("quire dump --layout (German)", &output);
    assert!(
        !stderr(&output).contains("hyphenation"),
        "German should have patterns: {}",
        stderr(&output)
    );
    let pages = parse_layout(&stdout(&output));
    let hyphenated: Vec<&LLine> =
        pages.iter().flat_map(|p| &p.lines).filter(|l| l.hyphenated).collect();
    assert!(!hyphenated.is_empty(), "no line of the German text ends in a hyphen");
    let (problems, _) = make_up_problems(&pages);
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn tables_print_in_columns_that_wrap_within_the_measure() {
    let essay = "# Tables\n\nA short table first.\n\n\
        | Style | Under stress | What helps |\n\
        |:------|:------------:|-----------:|\n\
        | Pursuer | talks more | a set time |\n\
        | Withdrawer | goes quiet | a promised return |\n\n\
        Then a wide one.\n\n\
        | Pattern | Outside | Inside |\n|---|---|---|\n\
        | Stonewalling | A partner who stares at the floor and answers in single words while the other keeps asking | A nervous system flooded past the point where listening is possible |\n\
        | Pursuit | Questions that come faster and louder the less they are answered | Fear that the silence means the relationship is ending |\n\n\
        Text after the tables.\n";
    let m = Manuscript::new("print_tables", &[("01-tables.md", essay)]);
    let pages = layout_of(&m.dir());
    let (problems, _) = make_up_problems(&pages);
    assert!(problems.is_empty(), "{problems:#?}");
    // Two rows of the wide table need several lines each: its cells wrapped.
    // (Table lines are body lines outside any paragraph.)
    let table_lines = pages
        .iter()
        .flat_map(|p| &p.lines)
        .filter(|l| l.kind == "Body" && l.par.is_none())
        .count();
    assert!(
        table_lines >= 3 + 1 + 2 * 2,
        "the wide table's cells did not wrap: {table_lines}"
    );

    let output = build_format(&m.dir(), &m.out(), "pdf", &[]);
    assert_success("quire build --format pdf (tables)", &output);
    if !require_tools(&["pdftotext"]) {
        return;
    }
    let (sizes, words) = pdf_words(&m.out().join("test-book-print.pdf"));
    let find = |text: &str| -> &PdfWord {
        words
            .iter()
            .find(|w| w.text == text)
            .unwrap_or_else(|| panic!("no word {text:?}"))
    };
    // A left-aligned column starts at one x; a right-aligned one ends at one x; cells of
    // a row share a baseline; columns are left to right.
    let (style, pursuer, withdrawer) =
        (find("Style"), find("Pursuer"), find("Withdrawer"));
    assert!(
        (style.x_min - pursuer.x_min).abs() < 0.1
            && (pursuer.x_min - withdrawer.x_min).abs() < 0.1
    );
    let (helps, time, ret) = (find("helps"), find("time"), find("return"));
    assert!(
        (helps.x_max - time.x_max).abs() < 0.5 && (time.x_max - ret.x_max).abs() < 0.5
    );
    assert!((find("talks").y_max - pursuer.y_max).abs() < 0.1, "a row off its baseline");
    assert!(pursuer.x_max < find("talks").x_min && find("talks").x_max < time.x_min);
    // The narrow table is centred; the wide one spans the measure and stays inside it.
    let (page_width, _) = sizes[pursuer.page];
    let left_gap = style.x_min;
    let margin = find("Stonewalling").x_min;
    assert!(left_gap > margin + 10.0, "the narrow table is not centred");
    let widest = words
        .iter()
        .filter(|w| w.page == pursuer.page && w.y_min > find("Pattern").y_min)
        .map(|w| w.x_max)
        .fold(0.0, f64::max);
    assert!(
        widest <= page_width - 36.0,
        "a table cell runs into the outer margin: {widest}"
    );
}

/// Whether `word` occurs in the source block that starts at 1-based `line` of `text`
/// (up to the next blank line), and that line is not blank itself.
fn block_at_line_holds(text: &str, line: usize, word: &str) -> bool {
    let mut lines = text.lines().skip(line - 1);
    let Some(first) = lines.next().filter(|l| !l.trim().is_empty()) else {
        return false;
    };
    std::iter::once(first)
        .chain(lines.take_while(|l| !l.trim().is_empty()))
        .any(|l| l.contains(word))
}

/// The first run of three or more ASCII letters in a printed line (a word whose letters
/// the manuscript spells the same way, whatever smart punctuation did around it).
fn first_plain_word(text: &str) -> Option<&str> {
    text.split(|c: char| !c.is_ascii_alphabetic()).find(|w| w.len() >= 3)
}

/// Checks that every line of running text or notes in `pages` names (`@N`) a line of its
/// page's file where a block holding the line's first word begins, and so does every
/// heading that names one (a chapter's title and label do not); returns how many lines
/// were checked.
fn check_source_lines(manuscript: &Path, pages: &[LPage]) -> usize {
    let mut checked = 0;
    let mut files = std::collections::HashMap::new();
    for page in pages {
        let Some(file) = &page.file else {
            assert!(
                page.lines.iter().all(|l| l.at_line.is_none() || page.role == "blank"),
                "page {} names source lines but no file",
                page.number
            );
            continue;
        };
        let text = files.entry(file.clone()).or_insert_with(|| {
            std::fs::read_to_string(manuscript.join(file))
                .unwrap_or_else(|e| panic!("page {}: file {file:?}: {e}", page.number))
        });
        for line in &page.lines {
            if !matches!(line.kind.as_str(), "Body" | "Heading" | "Note") {
                continue;
            }
            let Some(word) = first_plain_word(&line.text) else { continue };
            if line.kind == "Heading" && line.at_line.is_none() {
                continue;
            }
            let at = line.at_line.unwrap_or_else(|| {
                panic!("page {}: {:?} has no source line", page.number, line.text)
            });
            assert!(
                block_at_line_holds(text, at, word),
                "page {}: {:?} says it comes from {file}:{at}, where no block holds {word:?}",
                page.number,
                line.text
            );
            checked += 1;
        }
    }
    checked
}

#[test]
fn layout_dump_names_the_source_line_of_every_line() {
    let sample = sample_manuscript();
    let checked = check_source_lines(&sample, &layout_of(&sample));
    assert!(checked > 1000, "only {checked} sample lines checked");

    // Every kind of block, each starting on a line of its own, in two files.
    let first = "# Where Lines Come From\n\nA first paragraph that runs long enough to \
                 fill more than one printed line of the page, so that its second line\n\
                 names the same source line as its first, written over two lines.\n\n\
                 ## A Section Heading\n\n> Quoted words that the reader hears in another \
                 voice.\n\n- listed thing one\n- listed thing two, longer\n\n```\nfn \
                 coded() {\n    println!(\"monospace\");\n}\n```\n\nNoted text.[^n]\n\n\
                 [^n]: Footnote words, at the foot.\n";
    let second = "---\ntitle: A Second File\n---\n\nParagraph after front matter, whose \
                  line numbers count the front matter too.\n\n| Tabled | Values |\n|---|---|\n\
                  | Cellular | Entry |\n";
    let m = Manuscript::new(
        "dump-source-lines",
        &[("01-first.md", first), ("02-second.md", second)],
    );
    let pages = layout_of(&m.dir());
    let checked = check_source_lines(&m.dir(), &pages);
    let sets = |word: &str| {
        pages
            .iter()
            .flat_map(|p| &p.lines)
            .find(|l| l.text.contains(word))
            .map(|l| l.at_line)
    };
    // Exact lines, counted by hand from the texts above.
    assert_eq!(sets("fill more"), Some(Some(3)));
    assert_eq!(sets("names the same"), Some(Some(3)), "a paragraph's second line");
    assert_eq!(sets("println"), Some(Some(15)), "a code line names its own line");
    assert_eq!(sets("Footnote words"), Some(Some(21)));
    assert_eq!(sets("Paragraph after"), Some(Some(5)));
    assert!(checked >= 10, "only {checked} fixture lines checked");
}
