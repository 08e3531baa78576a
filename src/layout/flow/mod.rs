//! Blocks → the vertical list: every line of a chapter, set and stacked on the baseline
//! grid, with the page-break rules each one carries.
//!
//! Everything occupies whole grid slots (one leading each), so facing pages line up.
//! Widows and orphans are settled here, per line: a break is legal after line `i` of an
//! `n`-line paragraph only if `i ≥ 2` and `n − i ≥ 2`. Headings, a scene-break ornament,
//! a reflection question with its writing lines, and a paragraph ending in a colon that
//! introduces a code block are kept with what follows them.
//!
//! The work is split by kind of block, one file each: `block` dispatches, and `set`
//! (inline text → lines), `paragraph`, `code`, `opener`, `list`, `table`, `figure`, `note`
//! and `display` (display matter) do the setting (characters no font has are found
//! before, in `layout::coverage`). This file
//! holds the shared types, the chapter as a whole and the small helpers they all use.

mod block;
mod code;
mod display;
mod figure;
mod list;
mod note;
mod opener;
mod paragraph;
mod set;
mod table;

pub use display::display_line;

use super::items::{Alignment, ParagraphStyle};
use super::line::Line;
use super::linebreak::LineBreaker;
use super::page::{ImageData, TextRun};
use super::style::{EditionKind, NotePlacement, PrintStyle};
use super::units::Pt;
use crate::error::Warning;
use crate::model::{Chapter, Inline};
use crate::pages::{self, TextPath};
use crate::text::font::Features;
use crate::text::hyphenate::Hyphenator;
use crate::text::shape::Shaper;
use std::path::Path;

/// Indent of block quotes and lists, in em.
const BLOCK_INDENT_EM: f64 = 1.5;

/// What role a line plays, for the layout dump and page make-up checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// Running text of a paragraph, list item or quote.
    Body,
    /// A heading (section, reflection, opener title or number).
    Heading,
    /// A scene-break ornament.
    Ornament,
    /// A figure caption.
    Caption,
    /// A footnote line.
    Note,
    /// A ruled writing line (handouts).
    Writing,
    /// Display matter: title page, contents, dedication.
    Display,
}

/// A paragraph line's place in its paragraph, for widow and orphan checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParPos {
    /// Paragraph number: counted from 0 in each flow, and in the book offset per chapter
    /// so that the body's chapters never share one (see `layout::book`). 64 bits, so no
    /// input has enough paragraphs to wrap it.
    pub id: u64,
    /// 1-based line number in the paragraph (a word broken across a megabyte of text
    /// makes paragraphs of far more than 65,535 lines).
    pub index: usize,
    /// Lines in the paragraph.
    pub count: usize,
}

/// A horizontal rule under a line, from `x1` to `x2` (from the text block's left edge),
/// `drop` below its baseline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Underrule {
    /// Left end.
    pub x1: Pt,
    /// Right end.
    pub x2: Pt,
    /// Distance below the baseline.
    pub drop: Pt,
}

/// One line of the vertical list.
#[derive(Debug, Clone)]
pub struct FlowLine {
    /// Glyph runs, x from the text block's left edge, y = 0 on the baseline.
    pub runs: Vec<TextRun>,
    /// Horizontal rules drawn under the baseline (writing lines, table rules).
    pub rules: Vec<Underrule>,
    /// Grid slots the line takes; its baseline sits in the last one.
    pub slots: usize,
    /// A page may break after this line.
    pub break_after: bool,
    /// Its role.
    pub kind: LineKind,
    /// Its paragraph position, for body text.
    pub par: Option<ParPos>,
    /// Adjustment ratio of the line.
    pub ratio: f64,
    /// Ends with a hyphen.
    pub hyphenated: bool,
    /// Wider than its measure.
    pub overfull: bool,
    /// Its text, for the dump.
    pub text: String,
    /// Notes cited on the line (indices into the chapter's notes).
    pub notes: Vec<usize>,
    /// The page (0-based, in the document) the line links to, as a contents entry does.
    pub link: Option<usize>,
    /// The heading id (`slug#id`) set on this line, a cross-reference's target.
    pub anchor: Option<String>,
    /// The tint behind a line of a code block: the lines of one block that fall on one
    /// page share one band, so a block broken across pages gets a band on each (see
    /// `layout::book::tint`).
    pub tint: Option<Tint>,
    /// Where in the chapter's text the line begins (its first whole word), when it is
    /// set from the chapter's text: what a page beginning with it maps to in the EPUB.
    pub source: Option<crate::pages::TextPos>,
    /// The 1-based line of the chapter's file where the block the line sets begins (a
    /// code line: its own line), for the layout dump; 0 for generated text.
    pub at_line: u32,
}

/// The light grey band behind a line of a code block.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tint {
    /// Left end, from the text block's left edge.
    pub x1: Pt,
    /// Right end.
    pub x2: Pt,
    /// How far the band reaches above the baseline of its first line on a page.
    pub above: Pt,
    /// How far it reaches below the baseline of its last line on a page.
    pub below: Pt,
}

/// An image with its caption, kept together.
#[derive(Debug, Clone)]
pub struct FigureBlock {
    /// Index into the document's images.
    pub image: usize,
    /// Drawn width.
    pub width: Pt,
    /// Drawn height.
    pub height: Pt,
    /// Left edge from the text block's.
    pub x: Pt,
    /// Grid slots the image itself occupies.
    pub slots: usize,
    /// Caption lines below it.
    pub caption: Vec<FlowLine>,
}

/// An element of the vertical list.
#[derive(Debug, Clone)]
pub enum FlowItem {
    /// A line of text.
    Line(FlowLine),
    /// Blank grid slots; `discardable` ones vanish at the top of a page.
    Space {
        /// How many slots.
        slots: usize,
        /// Dropped at a page top (space between blocks), or kept (an opener's sink).
        discardable: bool,
        /// A page may break after it.
        break_after: bool,
    },
    /// A figure; floats to the next page when it does not fit.
    Figure(FigureBlock),
}

impl FlowItem {
    /// Slots the item occupies.
    pub fn slots(&self) -> usize {
        match self {
            FlowItem::Line(l) => l.slots,
            FlowItem::Space { slots, .. } => *slots,
            FlowItem::Figure(f) => {
                f.slots + f.caption.iter().map(|c| c.slots).sum::<usize>()
            }
        }
    }

    /// Whether a page may end after this item.
    pub fn break_after(&self) -> bool {
        match self {
            FlowItem::Line(l) => l.break_after,
            FlowItem::Space { break_after, .. } => *break_after,
            FlowItem::Figure(_) => true,
        }
    }
}

/// A chapter's vertical list and its notes, each note already set as lines.
#[derive(Debug, Clone, Default)]
pub struct ChapterFlow {
    /// The body.
    pub items: Vec<FlowItem>,
    /// Footnotes by chapter note index.
    pub notes: Vec<Vec<FlowLine>>,
    /// The top-level paragraphs, so that pagination can ask for one to be re-broken.
    pub paragraphs: Vec<ParagraphSource>,
}

/// What is needed to set a top-level paragraph again, and where its lines are.
#[derive(Debug, Clone)]
pub struct ParagraphSource {
    /// Index of its first line in `ChapterFlow::items`.
    pub start: usize,
    /// Number of lines (= items) it has now.
    pub len: usize,
    /// Its paragraph id.
    pub id: u64,
    /// Its text.
    inlines: Vec<Inline>,
    /// How it is set.
    style: ParagraphStyle,
    /// Where it is set.
    frame: Frame,
    /// Source line for diagnostics.
    line: usize,
    /// Its last line stays with what follows (it introduces a code block), however
    /// often it is set again.
    keep_with_next: bool,
    /// Its text unit, so that its lines set again still say where they begin.
    unit: Option<TextPath>,
}

/// Sets chapters into vertical lists.
pub struct Flow<'a, 'f> {
    /// The shaper, with its word cache.
    pub shaper: Shaper<'f>,
    /// Hyphenation for the book's language.
    pub hyphenator: &'a Hyphenator,
    /// The edition's settings.
    pub style: &'a PrintStyle,
    /// Text block width.
    pub measure: Pt,
    /// Line breaker scratch space.
    breaker: LineBreaker,
    /// Warnings met.
    pub warnings: Vec<Warning>,
    /// Images used, for the document.
    pub images: Vec<ImageData>,
    /// Where images are read from.
    assets: &'a Path,
    /// Next paragraph id; also how many paragraphs this flow has numbered.
    next_par: u64,
    /// Top-level paragraphs of the chapter being set.
    sources: Vec<ParagraphSource>,
    /// The source file of the chapter being set.
    source: std::path::PathBuf,
    /// With `[print] page-references`: the folio of each cross-reference target, set
    /// as " (p. N)" after the reference (a target not known yet gets none).
    pub page_refs: Option<std::sync::Arc<crate::layout::book::PageRefs>>,
    /// The path of the block being set (`crate::pages::TextPath`), kept by the walk
    /// over the chapter's blocks.
    at: TextPath,
    /// The text unit being set, if any: lines set now record where they begin in it.
    unit: Option<TextPath>,
}

/// Where a block is set: its left indent, width, and whether it is italic.
#[derive(Debug, Clone, Copy)]
struct Frame {
    left: Pt,
    measure: Pt,
    italic: bool,
    depth: usize,
}
impl<'a, 'f> Flow<'a, 'f> {
    /// A flow for one edition.
    pub fn new(
        shaper: Shaper<'f>,
        hyphenator: &'a Hyphenator,
        style: &'a PrintStyle,
        measure: Pt,
        assets: &'a Path,
    ) -> Self {
        Flow {
            shaper,
            hyphenator,
            style,
            measure,
            breaker: LineBreaker::new(),
            warnings: Vec::new(),
            images: Vec::new(),
            assets,
            next_par: 0,
            sources: Vec::new(),
            source: Default::default(),
            page_refs: None,
            at: Vec::new(),
            unit: None,
        }
    }

    fn text_style(&self, align: Alignment, indent: bool) -> ParagraphStyle {
        ParagraphStyle {
            size: self.style.size.0,
            bold: false,
            italic: false,
            features: Features::Text,
            // Ragged-right editions set what would be justified flush left.
            align: if align == Alignment::Justify && !self.style.justify {
                Alignment::Left
            } else {
                align
            },
            first_indent: if indent { self.style.indent.0 } else { 0.0 },
            hyphenate: self.style.hyphenate,
            small_caps_words: 0,
            hang_lines: 0,
            hang_width: 0.0,
            emergency_width: 0.0,
            emphasis: self.style.emphasis,
        }
    }

    /// A chapter's vertical list. `opener` adds the essay opening (sink, number, title).
    pub fn chapter(&mut self, chapter: &Chapter) -> ChapterFlow {
        let mut items = Vec::new();
        self.sources.clear();
        self.source = chapter.source.clone();
        let frame =
            Frame { left: Pt::ZERO, measure: self.measure, italic: false, depth: 0 };
        let handout = self.style.kind == EditionKind::Handout;
        if handout {
            self.handout_title(chapter, &mut items);
        } else {
            self.opener(chapter, &mut items);
        }
        let mut first = true;
        self.at = vec![pages::BODY];
        self.blocks(&chapter.blocks, frame, &mut items, &mut first, chapter);
        if let Some(reflection) = &chapter.reflection {
            push_gap(&mut items);
            let heading_style = ParagraphStyle {
                features: Features::SmallCaps,
                ..self.text_style(Alignment::Center, false)
            };
            self.unit = Some(vec![pages::REFLECTION_TITLE]);
            let lines =
                self.set(&reflection.title, &heading_style, frame, &chapter.source, 0);
            self.unit = None;
            items.extend(keep_lines(lines, LineKind::Heading, 1));
            items.push(space(1, false));
            let mut first = true;
            self.at = vec![pages::REFLECTION_INTRO];
            self.blocks(&reflection.intro, frame, &mut items, &mut first, chapter);
            self.questions(&reflection.questions, frame, &mut items, chapter);
            // Text after the questions starts flush, as after any list.
            let mut first = true;
            self.at = vec![pages::REFLECTION_AFTER];
            self.blocks(&reflection.after, frame, &mut items, &mut first, chapter);
        }
        let mut notes: Vec<Vec<FlowLine>> = Vec::new();
        for (i, note) in chapter.notes.iter().enumerate() {
            self.at = vec![pages::NOTE, index_u32(i)];
            notes.push(self.note(i, &note.blocks, chapter));
        }
        self.at.clear();
        if self.style.notes == NotePlacement::Endnotes && !notes.is_empty() {
            push_gap(&mut items);
            let heading_style = ParagraphStyle {
                features: Features::SmallCaps,
                ..self.text_style(Alignment::Center, false)
            };
            let heading = self.style.notes_heading.clone();
            let lines = self.set_text(&heading, &heading_style, frame, chapter);
            items.extend(keep_lines(lines, LineKind::Heading, 1));
            items.push(space(1, false));
            for lines in notes.drain(..) {
                let count = lines.len();
                for (i, mut line) in lines.into_iter().enumerate() {
                    line.break_after = may_break_after(i + 1, count);
                    items.push(FlowItem::Line(line));
                }
            }
            for item in &mut items {
                if let FlowItem::Line(l) = item {
                    l.notes.clear();
                }
            }
        }
        ChapterFlow { items, notes, paragraphs: std::mem::take(&mut self.sources) }
    }
}

/// An index as a path step (a chapter never has 4 billion blocks; saturates if it did).
fn index_u32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

/// Whether a page may end after line `index` (1-based) of a `count`-line paragraph: not
/// after its first line alone (an orphan) nor before its last line alone (a widow); the
/// last line may always end a page.
pub fn may_break_after(index: usize, count: usize) -> bool {
    index == count || (index >= 2 && count - index >= 2)
}

fn space(slots: usize, break_after: bool) -> FlowItem {
    FlowItem::Space { slots, discardable: true, break_after }
}

/// A blank line between blocks. A page may break there only where it could break just
/// before it: the space after a heading (before a subheading, say) keeps the heading with
/// what follows, as the heading itself does.
fn push_gap(items: &mut Vec<FlowItem>) {
    let open = items.last().is_none_or(FlowItem::break_after);
    items.push(space(1, open));
}

/// Lines that must stay with what follows (headings, ornaments).
fn keep_lines(lines: Vec<Line>, kind: LineKind, slots: usize) -> Vec<FlowItem> {
    lines.into_iter().map(|l| FlowItem::Line(flow_line(l, kind, slots))).collect()
}

/// A set line as a flow line that may not end a page (callers relax that).
pub fn flow_line(line: Line, kind: LineKind, slots: usize) -> FlowLine {
    FlowLine {
        runs: line.runs,
        rules: vec![],
        slots,
        break_after: false,
        kind,
        par: None,
        ratio: line.ratio,
        hyphenated: line.hyphenated,
        overfull: line.overfull,
        text: line.text,
        notes: line.notes,
        link: None,
        anchor: None,
        tint: None,
        source: line.source,
        at_line: line.at_line,
    }
}
