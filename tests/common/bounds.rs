//! "Everything inside the page": reads a built PDF back with `pdftotext -bbox` and proves
//! that every word on every page lies inside the page's trim and inside the area meant
//! for it: the text block, the running-head band above it, or the folio (footer) band
//! below it. Each band holds at most the lines that belong there (one running head, one
//! folio; on handouts no head and two footer lines), so text that spills out of the block
//! into a band is caught too.
//!
//! The expected geometry comes from `book.toml` through quire's public style functions
//! (`print_style`, `handout_style`, `booklet_style`, `kdp_gutter`) and the documented
//! make-up rules, never from quire's layout dump:
//!
//! - the paperback: rectos are the odd physical pages (1-based) and have the inside
//!   margin (`inside + kdp_gutter(page count)`) on the left, versos on the right; with
//!   bleed the media box grows by the bleed on the outside, top and bottom edges, so a
//!   verso's trim starts one bleed from the media box's left edge;
//! - handouts (and the packet): one-sided pages on office paper, the same margins on
//!   every page;
//! - booklets: a landscape sheet side carrying two pages side by side, each half laid out
//!   as a `booklet_style` page.
//!
//! The text block runs one line longer than the grid's page (a page may run one line
//! long to avoid a widow, and its footnotes then end on that last baseline). A word box
//! includes the font's ascent and descent; [`SLACK`] absorbs rounding, and punctuation
//! that hangs into a margin may cross its edge by what hangs.
//!
//! [`check_build`] runs all this on every PDF a successful `quire build` or
//! `quire handout` reports having written; [`super::run`] calls it, so every build any
//! test makes is checked.

use super::{PdfWord, load_pdf, pdf_page_box, pdf_page_ids, pdf_words, require_tools};
use quire::config::Config;
use quire::layout::protrusion;
use quire::layout::style::{PrintStyle, kdp_gutter};
use std::cell::RefCell;
use std::ffi::OsString;
use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// How far, in points, a word box may reach past the edge of its area (rounding in
/// pdftotext's coordinates and in the PDF's numbers; real errors are lines, not hairs).
pub const SLACK: f64 = 1.0;

/// The top part of a word box that is the font's room above its letters, as a share of
/// the box's height: pdftotext's box runs from the font's ascent line (0.894 em in
/// Libertine) to its descent line (0.246 em), while ascenders and capitals reach about
/// 0.7 em. A heading raised off the grid at the top of a page reaches into this room
/// above the text block with its box, not with its letters.
pub const ASCENT_ROOM: f64 = 0.2;

/// A rectangle in points from the top-left corner of the media box, y growing downwards
/// (pdftotext's frame).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Area {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
}

impl Area {
    /// True if the word's box, less its [`ASCENT_ROOM`], lies inside this area, give or
    /// take [`SLACK`].
    ///
    /// A mark that hangs into a margin (optical margin alignment, `layout::protrusion`)
    /// may cross the edge by its share of its width; the box's height, about 1.14 em,
    /// bounds the width of every such mark.
    pub fn holds(&self, w: &PdfWord) -> bool {
        let height = w.y_max - w.y_min;
        let top = w.y_min + height * ASCENT_ROOM;
        let hang = |share: Option<f64>| share.unwrap_or(0.0) * height;
        let left = hang(w.text.chars().next().map(protrusion::left));
        let right = hang(w.text.chars().next_back().map(protrusion::right));
        w.x_min >= self.left - SLACK - left
            && w.x_max <= self.right + SLACK + right
            && top >= self.top - SLACK
            && w.y_max <= self.bottom + SLACK
    }

    /// True if the two areas are the same within a hundredth of a point.
    pub fn same_as(&self, other: &Area) -> bool {
        [
            self.left - other.left,
            self.top - other.top,
            self.right - other.right,
            self.bottom - other.bottom,
        ]
        .iter()
        .all(|d| d.abs() < 0.01)
    }
}

impl fmt::Display for Area {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "[x {:.2}–{:.2}, y {:.2}–{:.2}]",
            self.left, self.right, self.top, self.bottom
        )
    }
}

/// Which edition a PDF is, which decides its geometry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PdfEdition {
    /// `<slug>-print.pdf`, the paperback interior.
    Print,
    /// `<slug>-<name>.pdf`, another print edition (`[book] editions`), by its name.
    Edition(String),
    /// `handouts/<NN-slug>.pdf` or `handouts/packet.pdf`, or the leader's guide
    /// (`<slug>-leaders-guide.pdf`), which is set as a handout.
    Handout,
    /// `handouts/<NN-slug>-booklet.pdf` or `handouts/packet-booklet.pdf`.
    Booklet,
    /// `<slug>-cover.pdf` or `<slug>-cover-guides.pdf`, the wraparound cover (of an
    /// edition, by name: `<slug>-<name>-cover.pdf`): it has panels, not a text block, and
    /// its own rule ([`cover_problems`]).
    Cover(Option<String>),
}

impl PdfEdition {
    /// The edition of a PDF quire wrote, from its file name and folder and the
    /// editions `config` names.
    pub fn of(pdf: &Path, config: &Config) -> Option<PdfEdition> {
        let name = pdf.file_name()?.to_str()?;
        let in_handouts = pdf
            .parent()
            .and_then(Path::file_name)
            .is_some_and(|folder| folder == "handouts");
        if in_handouts && name.ends_with("-booklet.pdf") {
            Some(PdfEdition::Booklet)
        } else if (in_handouts && name.ends_with(".pdf"))
            || name.ends_with("-leaders-guide.pdf")
        {
            Some(PdfEdition::Handout)
        } else if let Some(stem) = name
            .strip_suffix("-cover.pdf")
            .or_else(|| name.strip_suffix("-cover-guides.pdf"))
        {
            Some(PdfEdition::Cover(edition_ending(stem, config)))
        } else if let Some(edition) =
            name.strip_suffix(".pdf").and_then(|stem| edition_ending(stem, config))
        {
            Some(PdfEdition::Edition(edition))
        } else if name.ends_with("-print.pdf") {
            Some(PdfEdition::Print)
        } else {
            None
        }
    }
}

/// The name of the edition of `config` that the file stem `stem` (`<slug>-<name>`) ends
/// with, the longest if several do (`large-print` over `print`).
fn edition_ending(stem: &str, config: &Config) -> Option<String> {
    config
        .editions
        .iter()
        .filter(|e| stem.ends_with(&format!("-{}", e.name)))
        .max_by_key(|e| e.name.len())
        .map(|e| e.name.clone())
}

/// One page, or one half of a booklet's sheet side: where text may go.
#[derive(Debug, Clone)]
pub struct PageFrame {
    /// What this frame is, for messages ("", "left half", "right half").
    pub name: &'static str,
    /// The trimmed page.
    pub trim: Area,
    /// The text block, one line longer than the grid's page.
    pub block: Area,
    /// The running-head band: the measure's width, from the trim's top to the block.
    pub head: Area,
    /// Lines of text the head band may hold.
    pub head_lines: usize,
    /// The folio or footer band: the measure's width, from the block to the trim's foot.
    pub foot: Area,
    /// Lines of text the foot band may hold.
    pub foot_lines: usize,
}

/// What one page of a PDF should be: its media box size, its trim box, its frames.
#[derive(Debug, Clone)]
pub struct ExpectedPage {
    /// Width and height of the media box.
    pub media: (f64, f64),
    /// The trim box (for a booklet, the whole sheet).
    pub trim: Area,
    /// One frame, or two (left and right) on a booklet's sheet side.
    pub frames: Vec<PageFrame>,
}

/// A frame for a page with its trim's top-left corner at (`x`, `y`) and the given left
/// and right margins.
fn frame(
    name: &'static str,
    style: &PrintStyle,
    (x, y): (f64, f64),
    (left_margin, right_margin): (f64, f64),
    (head_lines, foot_lines): (usize, usize),
) -> PageFrame {
    let (width, height) = (style.trim.width.0, style.trim.height.0);
    let left = x + left_margin;
    let right = x + width - right_margin;
    let block_top = y + style.top.0;
    let grid_bottom = block_top + style.body_height().0;
    PageFrame {
        name,
        trim: Area { left: x, top: y, right: x + width, bottom: y + height },
        block: Area {
            left,
            top: block_top,
            right,
            bottom: grid_bottom + style.leading.0,
        },
        head: Area { left, top: y, right, bottom: block_top },
        head_lines,
        foot: Area { left, top: grid_bottom, right, bottom: y + height },
        foot_lines,
    }
}

/// The expected boxes and frames of page `index` (0-based) of a `count`-page PDF of
/// `edition`, from the manuscript's settings.
pub fn expected_page(
    edition: PdfEdition,
    config: &Config,
    index: usize,
    count: usize,
) -> ExpectedPage {
    match edition {
        PdfEdition::Print | PdfEdition::Edition(_) => {
            let style = match edition {
                PdfEdition::Edition(name) => {
                    let e =
                        config.editions.iter().find(|e| e.name == name).unwrap_or_else(
                            || panic!("{name} is no edition of book.toml"),
                        );
                    quire::build::edition_style(config, &e.print)
                        .expect("an edition's style")
                }
                _ => quire::build::print_style(config).expect("the paperback's style"),
            };
            let bleed = style.bleed.0;
            let (width, height) = (style.trim.width.0, style.trim.height.0);
            let recto = index.is_multiple_of(2);
            let inside = style.inside.0 + kdp_gutter(count).0;
            let outside = style.outside.0;
            let origin = (if recto { 0.0 } else { bleed }, bleed);
            let margins = if recto { (inside, outside) } else { (outside, inside) };
            let f = frame("", &style, origin, margins, (1, 1));
            ExpectedPage {
                media: (width + bleed, height + 2.0 * bleed),
                trim: f.trim,
                frames: vec![f],
            }
        }
        PdfEdition::Handout => {
            let style = quire::build::handout_style(config).expect("the handouts' style");
            // "page X of Y", then the permission to copy, wrapped to at most two lines.
            let f =
                frame("", &style, (0.0, 0.0), (style.inside.0, style.outside.0), (0, 3));
            ExpectedPage {
                media: (style.trim.width.0, style.trim.height.0),
                trim: f.trim,
                frames: vec![f],
            }
        }
        PdfEdition::Cover(_) => {
            panic!("a cover has panels, not pages of text: see cover_problems")
        }
        PdfEdition::Booklet => {
            let style = quire::build::booklet_style(config).expect("the booklets' style");
            let half = style.trim.width.0;
            let margins = (style.inside.0, style.outside.0);
            let frames = vec![
                frame("left half", &style, (0.0, 0.0), margins, (0, 3)),
                frame("right half", &style, (half, 0.0), margins, (0, 3)),
            ];
            let sheet = (2.0 * half, style.trim.height.0);
            ExpectedPage {
                media: sheet,
                trim: Area { left: 0.0, top: 0.0, right: sheet.0, bottom: sheet.1 },
                frames,
            }
        }
    }
}

/// The lines of a set of words: words whose boxes end at the same depth (within a point
/// and a half) share a line. Each line is given as its words joined.
fn lines_of(words: &[&PdfWord]) -> Vec<String> {
    super::word_lines(words.iter().copied())
        .into_iter()
        .map(|line| {
            let text: Vec<&str> = line.iter().map(|w| w.text.as_str()).collect();
            let depth = line.iter().map(|w| w.y_max).fold(f64::MIN, f64::max);
            format!("{:?} (foot at y {depth:.2})", text.join(" "))
        })
        .collect()
}

/// Where each text-showing operation (`Tj`, `TJ`, `'`, `"`) of a page starts, in PDF
/// user space (y up): the text matrix's origin as set by `Tm`, `Td`, `TD` and `T*`, with
/// `cm` (and `q`/`Q`) applied. pdftotext drops characters drawn wholly off the page, so
/// this is how text set below or beside the page is seen at all.
pub fn text_origins(doc: &lopdf::Document, page: lopdf::ObjectId) -> Vec<(f64, f64)> {
    type M = super::Matrix;
    let mul = super::matrix_mul;
    const IDENTITY: M = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];
    let content = doc
        .get_and_decode_page_content(page)
        .unwrap_or_else(|e| panic!("cannot decode the content of page {page:?}: {e}"));
    let (mut ctm, mut line, mut leading) = (IDENTITY, IDENTITY, 0.0);
    let mut stack: Vec<M> = Vec::new();
    let mut out = Vec::new();
    for op in &content.operations {
        let n: Vec<f64> = op
            .operands
            .iter()
            .filter(|o| matches!(o, lopdf::Object::Integer(_) | lopdf::Object::Real(_)))
            .map(|o| super::pdf_number(doc, o))
            .collect();
        let next_line = |line: &mut M, tx: f64, ty: f64| {
            *line = mul(&[1.0, 0.0, 0.0, 1.0, tx, ty], line);
        };
        match op.operator.as_str() {
            "q" => stack.push(ctm),
            "Q" => ctm = stack.pop().unwrap_or(ctm),
            "cm" if n.len() == 6 => {
                ctm = mul(&[n[0], n[1], n[2], n[3], n[4], n[5]], &ctm)
            }
            "BT" => line = IDENTITY,
            "Tm" if n.len() == 6 => line = [n[0], n[1], n[2], n[3], n[4], n[5]],
            "TL" if n.len() == 1 => leading = n[0],
            "Td" if n.len() == 2 => next_line(&mut line, n[0], n[1]),
            "TD" if n.len() == 2 => {
                leading = -n[1];
                next_line(&mut line, n[0], n[1]);
            }
            "T*" => next_line(&mut line, 0.0, -leading),
            "'" | "\"" | "Tj" | "TJ" => {
                if op.operator == "'" || op.operator == "\"" {
                    next_line(&mut line, 0.0, -leading);
                }
                let m = mul(&line, &ctm);
                out.push((m[4], m[5]));
            }
            _ => {}
        }
    }
    out
}

/// Every way `pdf`'s words break the page geometry of `edition` under `config`: a
/// message per word outside its trim or outside the areas meant for text, per band with
/// too many lines, and per page whose media or trim box is not the expected one. Each
/// message names the PDF, the page, the word, its box and the area it broke. Needs
/// pdftotext (the caller checks).
pub fn bounds_problems(pdf: &Path, edition: PdfEdition, config: &Config) -> Vec<String> {
    if let PdfEdition::Cover(name) = &edition {
        return cover_problems(pdf, config, name.as_deref());
    }
    let doc = load_pdf(pdf);
    let ids = pdf_page_ids(&doc);
    let (sizes, words) = pdf_words(pdf);
    let name = pdf.display();
    let mut problems = Vec::new();
    if sizes.len() != ids.len() {
        problems.push(format!(
            "{name}: pdftotext reads {} pages, lopdf {}",
            sizes.len(),
            ids.len()
        ));
        return problems;
    }
    let count = sizes.len();
    // The words of each page (pdftotext lists them page by page).
    let mut by_page: Vec<Vec<&PdfWord>> = vec![Vec::new(); count];
    for w in &words {
        by_page[w.page].push(w);
    }
    for (index, (&(width, height), &id)) in sizes.iter().zip(&ids).enumerate() {
        let page = index + 1;
        let expected = expected_page(edition.clone(), config, index, count);
        let (ew, eh) = expected.media;
        if (width - ew).abs() > 0.01 || (height - eh).abs() > 0.01 {
            problems.push(format!(
                "{name}: page {page} of {count} is {width:.2} × {height:.2} pt, the \
                 settings make it {ew:.2} × {eh:.2}"
            ));
            continue;
        }
        // The trim box, moved into pdftotext's frame (top-left corner, y down).
        let media =
            pdf_page_box(&doc, id, "MediaBox").unwrap_or([0.0, 0.0, width, height]);
        let b = pdf_page_box(&doc, id, "TrimBox").unwrap_or(media);
        let trim = Area {
            left: b[0] - media[0],
            top: media[3] - b[3],
            right: b[2] - media[0],
            bottom: media[3] - b[1],
        };
        if !trim.same_as(&expected.trim) {
            problems.push(format!(
                "{name}: page {page} of {count}: trim box {trim}, the settings make it {}",
                expected.trim
            ));
            continue;
        }
        for (x, y) in text_origins(&doc, id) {
            // Into pdftotext's frame: from the media box's top-left corner, y down.
            let (x, y) = (x - media[0], media[3] - y);
            if !(trim.left - SLACK..=trim.right + SLACK).contains(&x)
                || !(trim.top - SLACK..=trim.bottom + SLACK).contains(&y)
            {
                problems.push(format!(
                    "{name}: page {page} of {count}: text is drawn starting at (x {x:.2}, \
                     y {y:.2}), outside the trim {trim}: it does not print"
                ));
            }
        }
        let mut heads: Vec<Vec<&PdfWord>> = vec![Vec::new(); expected.frames.len()];
        let mut feet: Vec<Vec<&PdfWord>> = vec![Vec::new(); expected.frames.len()];
        for &w in &by_page[index] {
            let middle = (w.x_min + w.x_max) / 2.0;
            let (k, f) = expected
                .frames
                .iter()
                .enumerate()
                .find(|(_, f)| middle >= f.trim.left && middle < f.trim.right)
                .unwrap_or((0, &expected.frames[0]));
            let at = format!(
                "{name}: page {page} of {count}{}{}: word {:?} at [x {:.2}–{:.2}, y \
                 {:.2}–{:.2}]",
                if f.name.is_empty() { "" } else { ", " },
                f.name,
                w.text,
                w.x_min,
                w.x_max,
                w.y_min,
                w.y_max
            );
            if !f.trim.holds(w) {
                problems.push(format!("{at} is outside the trim {}", f.trim));
            } else if f.block.holds(w) {
            } else if f.head.holds(w) {
                heads[k].push(w);
            } else if f.foot.holds(w) {
                feet[k].push(w);
            } else {
                problems.push(format!(
                    "{at} is outside the text block {}, the running-head band {} and \
                     the folio band {}",
                    f.block, f.head, f.foot
                ));
            }
        }
        for (k, f) in expected.frames.iter().enumerate() {
            for (band, area, allowed, found) in [
                ("running-head band", f.head, f.head_lines, &heads[k]),
                ("folio band", f.foot, f.foot_lines, &feet[k]),
            ] {
                let lines = lines_of(found);
                if lines.len() > allowed {
                    problems.push(format!(
                        "{name}: page {page} of {count}{}{}: the {band} {area} holds {} \
                         lines, at most {allowed} belong there: {}",
                        if f.name.is_empty() { "" } else { ", " },
                        f.name,
                        lines.len(),
                        lines.join("; ")
                    ));
                }
            }
        }
    }
    problems
}

/// The wraparound cover's rule: one page, as tall as the trim plus 0.125 in of bleed at
/// top and bottom, as wide as two trims, a spine of at least nothing and the bleed on
/// both sides, its trim box the media box less the bleed; and every word wholly inside
/// one panel's safe area: the back or the front panel 0.125 in inside its trim and
/// folds, or the spine 0.0625 in inside each fold (measured with the word's whole box,
/// ascent and descent, since spine text is sized to it) and 0.125 in from the trim. The
/// spine's width itself depends on the interior's page count and is checked against the
/// printers' formula by tests/covers.rs.
pub fn cover_problems(pdf: &Path, config: &Config, edition: Option<&str>) -> Vec<String> {
    let name = pdf.display();
    let doc = load_pdf(pdf);
    let ids = pdf_page_ids(&doc);
    let (sizes, words) = pdf_words(pdf);
    if ids.len() != 1 || sizes.len() != 1 {
        return vec![format!("{name}: a cover has one page, this has {}", ids.len())];
    }
    let mut problems = Vec::new();
    let (width, height) = sizes[0];
    let inch = 72.0;
    let bleed = 0.125 * inch;
    let trim = match edition.and_then(|n| config.editions.iter().find(|e| e.name == n)) {
        Some(e) => {
            quire::build::edition_style(config, &e.print).expect("an edition's style")
        }
        None => quire::build::print_style(config).expect("the paperback's style"),
    }
    .trim;
    let (tw, th) = (trim.width.0, trim.height.0);
    let spine = width - 2.0 * tw - 2.0 * bleed;
    if (height - (th + 2.0 * bleed)).abs() > 0.01 || spine < -0.01 {
        problems.push(format!(
            "{name}: the cover is {width:.2} × {height:.2} pt; a {tw:.2} × {th:.2} pt trim \
             makes it {:.2} pt tall and at least {:.2} pt wide",
            th + 2.0 * bleed,
            2.0 * tw + 2.0 * bleed
        ));
        return problems;
    }
    let media =
        pdf_page_box(&doc, ids[0], "MediaBox").unwrap_or([0.0, 0.0, width, height]);
    let b = pdf_page_box(&doc, ids[0], "TrimBox").unwrap_or(media);
    let expected = [bleed, bleed, width - bleed, height - bleed];
    if b.iter().zip(expected).any(|(got, want)| (got - want).abs() > 0.01) {
        problems.push(format!("{name}: trim box {b:?}, the bleed makes it {expected:?}"));
    }
    let safe = 0.125 * inch;
    let fold_safe = 0.0625 * inch;
    let (top, bottom) = (bleed + safe, height - bleed - safe);
    let back = Area { left: bleed + safe, top, right: bleed + tw - safe, bottom };
    let spine_area = Area {
        left: bleed + tw + fold_safe,
        top,
        right: bleed + tw + spine - fold_safe,
        bottom,
    };
    let front = Area {
        left: bleed + tw + spine + safe,
        top,
        right: width - bleed - safe,
        bottom,
    };
    for w in &words {
        let inside_whole = |a: &Area| {
            w.x_min >= a.left - SLACK
                && w.x_max <= a.right + SLACK
                && w.y_min >= a.top - SLACK
                && w.y_max <= a.bottom + SLACK
        };
        // Words on the spine are held to their whole box.
        let middle = (w.x_min + w.x_max) / 2.0;
        let on_spine = middle > bleed + tw && middle < bleed + tw + spine;
        let ok = if on_spine {
            inside_whole(&spine_area)
        } else {
            back.holds(w) || front.holds(w)
        };
        if !ok {
            problems.push(format!(
                "{name}: word {:?} at [x {:.2}–{:.2}, y {:.2}–{:.2}] is not inside the \
                 back's safe area {back}, the spine's {spine_area} or the front's {front}",
                w.text, w.x_min, w.x_max, w.y_min, w.y_max
            ));
        }
    }
    problems
}

/// What the bounds check found while [`expect_out_of_bounds`] runs.
#[derive(Default)]
struct Expected {
    /// PDFs checked.
    checked: usize,
    /// Their problems.
    problems: Vec<String>,
}

thread_local! {
    /// Set while [`expect_out_of_bounds`] runs on this test's thread.
    static EXPECTED: RefCell<Option<Expected>> = const { RefCell::new(None) };
}

/// Runs `build` (which builds through [`super::run`]) for a manuscript that hits a known
/// defect, named by `defect`, that puts text outside the page: the problems the bounds
/// check finds are printed instead of failing the test. If the check ran and found
/// nothing, the test fails: the defect is gone, and this wrapper should go too.
pub fn expect_out_of_bounds<T>(defect: &str, build: impl FnOnce() -> T) -> T {
    EXPECTED.with(|e| *e.borrow_mut() = Some(Expected::default()));
    let result = build();
    let found = EXPECTED.with(|e| e.borrow_mut().take()).unwrap_or_default();
    if found.checked > 0 {
        assert!(
            !found.problems.is_empty(),
            "expected the known defect ({defect}) to put text outside the page, and it \
             did not: if it is fixed, remove expect_out_of_bounds here"
        );
        let _ = writeln!(
            std::io::stderr(),
            "known defect ({defect}): {} problems, the first: {}",
            found.problems.len(),
            found.problems[0]
        );
    }
    result
}

/// Panics, listing the problems, unless every PDF of `pdfs` (written from the manuscript
/// in `manuscript`) keeps every word inside the page and the area meant for it. Skips
/// loudly when pdftotext is missing (fails under `QUIRE_REQUIRE_VALIDATORS=1`).
pub fn assert_pdfs_inside(manuscript: &Path, pdfs: &[PathBuf]) {
    if pdfs.is_empty() || !require_tools(&["pdftotext"]) {
        return;
    }
    let config = Config::load(manuscript).unwrap_or_else(|e| {
        panic!("cannot read the settings of {} again: {e}", manuscript.display())
    });
    let mut problems = Vec::new();
    for pdf in pdfs {
        let edition = PdfEdition::of(pdf, &config).unwrap_or_else(|| {
            panic!("{}: not a PDF name quire writes; which edition is it?", pdf.display())
        });
        problems.extend(bounds_problems(pdf, edition, &config));
    }
    let expected = EXPECTED.with(|e| {
        e.borrow_mut().as_mut().map(|found| {
            found.checked += pdfs.len();
            found.problems.append(&mut problems);
        })
    });
    if expected.is_none() && !problems.is_empty() {
        const SHOWN: usize = 25;
        let more = problems.len().saturating_sub(SHOWN);
        problems.truncate(SHOWN);
        panic!(
            "text outside the page or outside the area meant for it ({} of {}):\n{}{}",
            problems.len(),
            problems.len() + more,
            problems.join("\n"),
            if more > 0 { format!("\n… and {more} more") } else { String::new() }
        );
    }
}

/// The manuscript directory and the written PDFs of a `quire build` or `quire handout`
/// command that succeeded with `output`; `None` for any other command. The PDFs are the
/// `wrote <path>` lines of its standard output; relative paths are taken from the
/// command's working directory.
pub fn built_pdfs(cmd: &Command, output: &Output) -> Option<(PathBuf, Vec<PathBuf>)> {
    if cmd.get_program() != env!("CARGO_BIN_EXE_quire") || !output.status.success() {
        return None;
    }
    let args: Vec<OsString> = cmd.get_args().map(OsString::from).collect();
    let (command, rest) = args.split_first()?;
    // The options that take a value, and the one naming the manuscript (`None`: the
    // first positional argument does).
    let (valued, dir_option): (&[&str], Option<&str>) = match command.to_str()? {
        "build" => (&["--out", "--format"], None),
        "handout" => (&["--out", "--dir"], Some("--dir")),
        _ => return None,
    };
    let mut dir: Option<OsString> = None;
    let mut positional = Vec::new();
    let mut it = rest.iter();
    while let Some(arg) = it.next() {
        let text = arg.to_string_lossy();
        if let Some((option, value)) = text.split_once('=')
            && valued.contains(&option)
        {
            if Some(option) == dir_option {
                dir = Some(value.into());
            }
        } else if valued.contains(&text.as_ref()) {
            let value = it.next().cloned();
            if Some(text.as_ref()) == dir_option {
                dir = value;
            }
        } else if !text.starts_with("--") {
            positional.push(arg.clone());
        }
    }
    if dir_option.is_none() {
        dir = positional.first().cloned();
    }
    let base = cmd
        .get_current_dir()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| std::env::current_dir().unwrap());
    let dir = base.join(dir.unwrap_or_else(|| "manuscript".into()));
    let pdfs = String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|l| l.strip_prefix("wrote "))
        .filter(|p| p.ends_with(".pdf"))
        .map(|p| base.join(p))
        .collect();
    Some((dir, pdfs))
}

/// The hook [`super::run`] calls after every command: for a successful `quire build` or
/// `quire handout`, checks every PDF it wrote with [`assert_pdfs_inside`].
pub fn check_build(cmd: &Command, output: &Output) {
    if let Some((dir, pdfs)) = built_pdfs(cmd, output) {
        assert_pdfs_inside(&dir, &pdfs);
    }
}
