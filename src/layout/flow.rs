//! Blocks → the vertical list: every line of a chapter, set and stacked on the baseline
//! grid, with the page-break rules each one carries.
//!
//! Everything occupies whole grid slots (one leading each), so facing pages line up.
//! Widows and orphans are settled here, per line: a break is legal after line `i` of an
//! `n`-line paragraph only if `i ≥ 2` and `n − i ≥ 2`. Headings, a scene-break ornament and
//! a reflection question with its writing lines are kept with what follows them.

use super::items::{Alignment, ParagraphStyle, prepare};
use super::line::{Line, set_paragraph};
use super::linebreak::LineBreaker;
use super::page::{ImageData, TextRun};
use super::style::{EditionKind, NotePlacement, PrintStyle};
use super::units::Pt;
use crate::error::{Location, Warning};
use crate::model::number_word;
use crate::model::{Align, Block, Chapter, Inline};
use crate::text::font::{Features, FontId};
use crate::text::hyphenate::Hyphenator;
use crate::text::shape::Shaper;
use std::path::Path;

/// Size of an essay title on its opening page, relative to the body size.
const TITLE_SCALE: f64 = 1.8;
/// Size of an essay title on a handout, relative to the handout's body size.
const HANDOUT_TITLE_SCALE: f64 = 1.6;
/// Grid slots left blank above an opener's number: the "sink" that marks a new essay.
const OPENER_SINK: usize = 6;
/// Words of an essay's first paragraph set in small capitals.
const LEAD_IN_WORDS: usize = 3;
/// Indent of block quotes and lists, in em.
const BLOCK_INDENT_EM: f64 = 1.5;
/// How many places a missing character's warning names.
const MISSING_PLACES_SHOWN: usize = 3;
/// Lines a drop cap spans.
const DROP_CAP_LINES: usize = 2;
/// Cap height of Linux Libertine, in em, to size a drop cap so it aligns with the text.
const CAP_HEIGHT_EM: f64 = 0.65;
/// A section heading's baseline sits this many leadings above its grid slot.
const HEADING_RAISE: f64 = 0.3;
/// Size of the scene-break ornament relative to the text.
const ORNAMENT_SCALE: f64 = 1.4;
/// The ornament that marks a scene break.
const ORNAMENT: &str = "⁂";
/// Pixels per inch an image needs in print (KDP's and IngramSpark's minimum).
const PRINT_PPI: f64 = 300.0;
/// Grid slots a scene break takes.
const ORNAMENT_SLOTS: usize = 2;

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
    /// Paragraph number, unique in the document.
    pub id: u32,
    /// 1-based line number in the paragraph.
    pub index: u16,
    /// Lines in the paragraph.
    pub count: u16,
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

/// How far below the baseline a writing line is ruled: just under the descenders of
/// handwriting sitting on it.
const WRITING_RULE_DROP: Pt = Pt(1.5);
/// A table's rules sit this many leadings below a row's baseline: clear of its
/// descenders and of the next row's capitals.
const TABLE_RULE_DROP: f64 = 0.3;

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
    pub id: u32,
    /// Its text.
    inlines: Vec<Inline>,
    /// How it is set.
    style: ParagraphStyle,
    /// Where it is set.
    frame: Frame,
    /// Source line for diagnostics.
    line: usize,
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
    /// Next paragraph id.
    next_par: u32,
    /// Top-level paragraphs of the chapter being set.
    sources: Vec<ParagraphSource>,
    /// Characters no face has, with how often they occur and their first places.
    missing: std::collections::BTreeMap<char, (usize, Vec<Location>)>,
    /// The source file of the chapter being set.
    source: std::path::PathBuf,
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
            missing: Default::default(),
            source: Default::default(),
        }
    }

    fn text_style(&self, align: Alignment, indent: bool) -> ParagraphStyle {
        ParagraphStyle {
            size: self.style.size.0,
            bold: false,
            italic: false,
            features: Features::Text,
            align,
            first_indent: if indent { self.style.indent.0 } else { 0.0 },
            hyphenate: self.style.hyphenate,
            small_caps_words: 0,
            hang_lines: 0,
            hang_width: 0.0,
            emergency_width: 0.0,
        }
    }

    /// Sets inlines as lines at `frame`, reporting overfull lines against `source`.
    fn set(
        &mut self,
        inlines: &[Inline],
        style: &ParagraphStyle,
        frame: Frame,
        source: &Path,
        line_no: usize,
    ) -> Vec<Line> {
        self.set_loose(inlines, style, frame, source, line_no, 0)
    }

    /// [`Self::set`] for generated text (a label, a code line, an ornament), which has no
    /// source line of its own.
    fn set_text(
        &mut self,
        text: &str,
        style: &ParagraphStyle,
        frame: Frame,
        chapter: &Chapter,
    ) -> Vec<Line> {
        self.set(&[Inline::Text(text.to_string())], style, frame, &chapter.source, 0)
    }

    /// [`Self::set`] asking the breaker for `looseness` more (or fewer) lines than optimal.
    fn set_loose(
        &mut self,
        inlines: &[Inline],
        style: &ParagraphStyle,
        frame: Frame,
        source: &Path,
        line_no: usize,
        looseness: i32,
    ) -> Vec<Line> {
        let style = &ParagraphStyle { emergency_width: frame.measure.0, ..*style };
        let prepared = prepare(
            inlines,
            style,
            &mut self.shaper,
            self.hyphenator,
            self.style.hyphen_penalty,
        );
        if prepared.missing_glyphs {
            self.note_missing_glyphs(inlines, source, line_no);
        }
        let params = if looseness == 0 {
            std::borrow::Cow::Borrowed(&self.style.breaking)
        } else {
            std::borrow::Cow::Owned(super::linebreak::BreakParams {
                looseness,
                ..self.style.breaking.clone()
            })
        };
        let (mut lines, breaking) =
            set_paragraph(&prepared, style, frame.measure.0, &params, &mut self.breaker);
        if prepared.emergency {
            self.warnings.push(Warning::at(
                Location::new(&self.assets.join(source), line_no.max(1), 1),
                "a word is longer than a whole line; it was broken without a hyphen where it reached the margin",
            ));
        }
        if !breaking.overfull_lines.is_empty() || lines.iter().any(|l| l.overfull) {
            let worst = lines
                .iter()
                .filter(|l| l.overfull)
                .map(|l| l.text.clone())
                .next()
                .unwrap_or_default();
            self.warnings.push(Warning::at(
                Location::new(&self.assets.join(source), line_no.max(1), 1),
                format!(
                    "a word is too long for the line and sticks out into the margin: {:?}",
                    worst.chars().take(60).collect::<String>()
                ),
            ));
        }
        for line in &mut lines {
            for run in &mut line.runs {
                run.x += frame.left;
            }
        }
        lines
    }

    /// Splits an essay's first letter (with any opening quote) off `content` and sets it
    /// as a drop cap spanning [`DROP_CAP_LINES`] lines: its runs (relative to the first
    /// line), the rest of the paragraph, and the room the initial needs.
    fn drop_cap(
        &mut self,
        content: &[Inline],
    ) -> Option<(Vec<TextRun>, Vec<Inline>, Pt)> {
        let Some(Inline::Text(first)) = content.first() else { return None };
        let split = first
            .char_indices()
            .find(|(_, c)| c.is_alphanumeric())
            .map(|(i, c)| i + c.len_utf8())?;
        let (initial, rest) = first.split_at(split);
        // The initial's cap height spans from the first line's cap height to the baseline
        // of the last dropped line.
        let leading = self.style.leading.0;
        let size = self.style.size.0;
        let cap = size * CAP_HEIGHT_EM;
        let drop_size = (leading * (DROP_CAP_LINES - 1) as f64 + cap) / CAP_HEIGHT_EM;
        let (mut runs, width) = display_line(
            &mut self.shaper,
            initial,
            FontId::REGULAR,
            drop_size,
            Features::Lining,
        );
        for run in &mut runs {
            run.y += Pt(leading * (DROP_CAP_LINES - 1) as f64);
        }
        let mut rest_inlines = Vec::with_capacity(content.len());
        if !rest.is_empty() {
            rest_inlines.push(Inline::Text(rest.to_string()));
        }
        rest_inlines.extend(content[1..].iter().cloned());
        Some((runs, rest_inlines, width + Pt(size * 0.2)))
    }

    /// Numbers the next paragraphs from `base`, so ids stay unique when chapters are
    /// set by several flows.
    pub fn set_paragraph_base(&mut self, base: u32) {
        self.next_par = base;
    }

    /// Records the characters of `inlines` that no bundled face can show.
    fn note_missing_glyphs(&mut self, inlines: &[Inline], source: &Path, line_no: usize) {
        let fonts = self.shaper.fonts();
        let text = crate::model::plain_text(inlines);
        for c in text.chars() {
            let shown =
                c.is_whitespace() || fonts.faces().any(|(_, face)| face.covers(c));
            if !shown {
                let entry = self.missing.entry(c).or_insert((0, Vec::new()));
                entry.0 += 1;
                let at = Location::new(&self.assets.join(source), line_no.max(1), 1);
                if entry.1.len() < MISSING_PLACES_SHOWN && !entry.1.contains(&at) {
                    entry.1.push(at);
                }
            }
        }
    }

    /// One warning listing every character no font could show, with where each occurs;
    /// empties the record.
    pub fn missing_glyph_warnings(&mut self) -> Option<Warning> {
        if self.missing.is_empty() {
            return None;
        }
        let list: Vec<String> = std::mem::take(&mut self.missing)
            .into_iter()
            .map(|(c, (count, places))| {
                let places: Vec<String> = places
                    .iter()
                    .map(|p| format!("{}:{}", p.path.display(), p.line))
                    .collect();
                format!("U+{:04X} {c:?} ×{count} ({})", c as u32, places.join(", "))
            })
            .collect();
        Some(Warning::general(format!(
            "no bundled font has these characters, so they print as blank boxes: {}",
            list.join("; ")
        )))
    }

    /// Sets display text (title pages, contents, dedications) across the full measure.
    pub fn display(
        &mut self,
        inlines: &[Inline],
        size: Pt,
        italic: bool,
        align: Alignment,
        features: Features,
    ) -> Vec<Line> {
        let style = ParagraphStyle {
            size: size.0,
            italic,
            features,
            hyphenate: false,
            ..self.text_style(align, false)
        };
        let frame = Frame { left: Pt::ZERO, measure: self.measure, italic, depth: 0 };
        self.set(inlines, &style, frame, Path::new("book.toml"), 0)
    }

    /// Sets top-level paragraph `index` of `flow` again, `looseness` lines longer (or
    /// shorter) than its optimum, and splices the new lines in. Returns whether its line
    /// count changed. Looseness 0 restores the optimum.
    pub fn reset_paragraph(
        &mut self,
        flow: &mut ChapterFlow,
        index: usize,
        looseness: i32,
    ) -> bool {
        let Some(src) = flow.paragraphs.get(index).cloned() else { return false };
        let source = std::mem::take(&mut self.source);
        let lines = self.set_loose(
            &src.inlines,
            &src.style,
            src.frame,
            &source,
            src.line,
            looseness,
        );
        self.source = source;
        if lines.len() == src.len && looseness != 0 {
            return false;
        }
        let new_items = self.lines_with_id(lines, LineKind::Body, 1, src.id);
        let new_len = new_items.len();
        flow.items.splice(src.start..src.start + src.len, new_items);
        let shift = new_len as isize - src.len as isize;
        for later in flow.paragraphs.iter_mut().skip(index + 1) {
            later.start = (later.start as isize + shift) as usize;
        }
        flow.paragraphs[index].len = new_len;
        shift != 0
    }

    /// Wraps set lines as flow lines of one paragraph, with widow and orphan rules.
    fn paragraph_lines(
        &mut self,
        lines: Vec<Line>,
        kind: LineKind,
        slots: usize,
    ) -> Vec<FlowItem> {
        let id = self.next_par;
        self.next_par += 1;
        self.lines_with_id(lines, kind, slots, id)
    }

    /// [`Self::paragraph_lines`] for a paragraph whose id is already known.
    fn lines_with_id(
        &mut self,
        lines: Vec<Line>,
        kind: LineKind,
        slots: usize,
        id: u32,
    ) -> Vec<FlowItem> {
        let count = lines.len();
        lines
            .into_iter()
            .enumerate()
            .map(|(i, line)| {
                let index = i + 1;
                // No orphan (first line alone at a page foot), no widow (last line alone at a
                // page head); the last line may always end a page.
                let break_after = index == count || (index >= 2 && count - index >= 2);
                FlowItem::Line(FlowLine {
                    break_after: break_after && kind == LineKind::Body,
                    par: (kind == LineKind::Body).then_some(ParPos {
                        id,
                        index: index as u16,
                        count: count as u16,
                    }),
                    ..flow_line(line, kind, slots)
                })
            })
            .collect()
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
        self.blocks(&chapter.blocks, frame, &mut items, &mut first, chapter);
        if let Some(reflection) = &chapter.reflection {
            push_gap(&mut items);
            let heading_style = ParagraphStyle {
                features: Features::SmallCaps,
                ..self.text_style(Alignment::Center, false)
            };
            let lines =
                self.set(&reflection.title, &heading_style, frame, &chapter.source, 0);
            items.extend(keep_lines(lines, LineKind::Heading, 1));
            items.push(space(1, false));
            let mut first = true;
            self.blocks(&reflection.intro, frame, &mut items, &mut first, chapter);
            self.questions(&reflection.questions, frame, &mut items, chapter);
        }
        let mut notes: Vec<Vec<FlowLine>> = Vec::new();
        for (i, note) in chapter.notes.iter().enumerate() {
            notes.push(self.note(i, &note.blocks, chapter));
        }
        if self.style.notes == NotePlacement::Endnotes && !notes.is_empty() {
            push_gap(&mut items);
            let heading_style = ParagraphStyle {
                features: Features::SmallCaps,
                ..self.text_style(Alignment::Center, false)
            };
            let lines = self.set_text("Notes", &heading_style, frame, chapter);
            items.extend(keep_lines(lines, LineKind::Heading, 1));
            items.push(space(1, false));
            for lines in notes.drain(..) {
                let count = lines.len();
                for (i, mut line) in lines.into_iter().enumerate() {
                    line.break_after = i + 1 == count || (i + 1 >= 2 && count - i > 2);
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

    /// The essay opening: a sink, "Essay Three", the title in large type, then space.
    fn opener(&mut self, chapter: &Chapter, items: &mut Vec<FlowItem>) {
        let frame =
            Frame { left: Pt::ZERO, measure: self.measure, italic: false, depth: 0 };
        items.push(FlowItem::Space {
            slots: OPENER_SINK,
            discardable: false,
            break_after: false,
        });
        if let Some(n) = chapter.number {
            let style = ParagraphStyle {
                features: Features::SmallCaps,
                ..self.text_style(Alignment::Center, false)
            };
            let label =
                vec![Inline::Text(format!("essay {}", number_word(n).to_lowercase()))];
            let lines = self.set(&label, &style, frame, &chapter.source, 1);
            items.extend(keep_lines(lines, LineKind::Heading, 1));
            items.push(FlowItem::Space {
                slots: 1,
                discardable: false,
                break_after: false,
            });
        }
        self.title_block(chapter, TITLE_SCALE, items);
    }

    /// A handout's title: the book's title and the author are added around it by
    /// `handout.rs`, which knows the book.
    fn handout_title(&mut self, chapter: &Chapter, items: &mut Vec<FlowItem>) {
        self.title_block(chapter, HANDOUT_TITLE_SCALE, items);
    }

    /// The chapter title in large type, two grid slots a line, then two blank slots.
    fn title_block(&mut self, chapter: &Chapter, scale: f64, items: &mut Vec<FlowItem>) {
        if !chapter.title.is_empty() {
            let frame =
                Frame { left: Pt::ZERO, measure: self.measure, italic: false, depth: 0 };
            let style = ParagraphStyle {
                size: self.style.size.0 * scale,
                features: Features::Lining,
                hyphenate: false,
                ..self.text_style(Alignment::Center, false)
            };
            let lines = self.set(&chapter.title, &style, frame, &chapter.source, 1);
            items.extend(keep_lines(lines, LineKind::Heading, 2));
        }
        items.push(FlowItem::Space { slots: 2, discardable: false, break_after: false });
    }

    /// Handout and book reflection questions: numbered; on handouts each is followed by
    /// ruled writing lines, kept together with it.
    fn questions(
        &mut self,
        questions: &[Vec<Inline>],
        frame: Frame,
        items: &mut Vec<FlowItem>,
        chapter: &Chapter,
    ) {
        let indent = self.style.size * BLOCK_INDENT_EM;
        let writing = if self.style.kind == EditionKind::Handout {
            self.style.writing_lines as usize
        } else {
            0
        };
        for (i, q) in questions.iter().enumerate() {
            let mut question =
                self.list_item(&format!("{}.", i + 1), q, frame, indent, chapter);
            if writing > 0 {
                for item in question.iter_mut() {
                    if let FlowItem::Line(l) = item {
                        l.break_after = false;
                    }
                }
                items.extend(question);
                for k in 0..writing {
                    items.push(FlowItem::Line(FlowLine {
                        runs: vec![],
                        rules: vec![Underrule {
                            x1: frame.left + indent,
                            x2: frame.left + frame.measure,
                            drop: WRITING_RULE_DROP,
                        }],
                        slots: if k == 0 { 2 } else { 1 },
                        break_after: k + 1 == writing,
                        kind: LineKind::Writing,
                        par: None,
                        ratio: 0.0,
                        hyphenated: false,
                        overfull: false,
                        text: String::new(),
                        notes: vec![],
                    }));
                }
                push_gap(items);
            } else {
                items.extend(question);
            }
        }
    }

    /// One list item: the label hung in the indent, the text set at the narrower measure.
    fn list_item(
        &mut self,
        label: &str,
        content: &[Inline],
        frame: Frame,
        indent: Pt,
        chapter: &Chapter,
    ) -> Vec<FlowItem> {
        let inner =
            Frame { left: frame.left + indent, measure: frame.measure - indent, ..frame };
        let style = ParagraphStyle {
            italic: frame.italic,
            ..self.text_style(Alignment::Justify, false)
        };
        let mut lines = self.set(content, &style, inner, &chapter.source, 0);
        let label_style = ParagraphStyle {
            features: Features::Lining,
            ..self.text_style(Alignment::Left, false)
        };
        let label_lines = self.set_text(label, &label_style, frame, chapter);
        if let (Some(first), Some(label_line)) =
            (lines.first_mut(), label_lines.into_iter().next())
        {
            // Right-align the label a third of an em before the text.
            let shift = indent - label_line.width - self.style.size / 3.0;
            for mut run in label_line.runs {
                run.x += shift;
                first.runs.insert(0, run);
            }
            first.text = format!("{label} {}", first.text);
        }
        self.paragraph_lines(lines, LineKind::Body, 1)
    }

    fn blocks(
        &mut self,
        blocks: &[Block],
        frame: Frame,
        items: &mut Vec<FlowItem>,
        first: &mut bool,
        chapter: &Chapter,
    ) {
        for block in blocks {
            self.block(block, frame, items, first, chapter);
        }
    }

    fn block(
        &mut self,
        block: &Block,
        frame: Frame,
        items: &mut Vec<FlowItem>,
        first: &mut bool,
        chapter: &Chapter,
    ) {
        let top_level = frame.depth == 0;
        match block {
            Block::Paragraph { content, line } => {
                let indent = !*first;
                let mut style = ParagraphStyle {
                    italic: frame.italic,
                    ..self.text_style(Alignment::Justify, indent)
                };
                let opening = *first
                    && top_level
                    && items_are_opener(items)
                    && self.style.kind == EditionKind::Book;
                if opening {
                    style.small_caps_words = LEAD_IN_WORDS;
                }
                let drop = if opening && self.style.drop_caps {
                    self.drop_cap(content)
                } else {
                    None
                };
                let lines = match drop {
                    Some((initial, rest, width)) => {
                        style.hang_lines = DROP_CAP_LINES;
                        style.hang_width = width.0;
                        let mut lines =
                            self.set(&rest, &style, frame, &chapter.source, *line);
                        if let Some(first_line) = lines.first_mut() {
                            for mut run in initial {
                                run.x += frame.left;
                                first_line.runs.insert(0, run);
                            }
                        }
                        lines
                    }
                    None => self.set(content, &style, frame, &chapter.source, *line),
                };
                let start = items.len();
                let id = self.next_par;
                items.extend(self.paragraph_lines(lines, LineKind::Body, 1));
                if top_level {
                    self.sources.push(ParagraphSource {
                        start,
                        len: items.len() - start,
                        id,
                        inlines: content.clone(),
                        style,
                        frame,
                        line: *line,
                    });
                }
                *first = false;
            }
            Block::Heading { content, .. } => {
                push_gap(items);
                let style = ParagraphStyle {
                    italic: true,
                    hyphenate: false,
                    ..self.text_style(Alignment::Center, false)
                };
                let mut lines = self.set(content, &style, frame, &chapter.source, 0);
                // Raise the heading a little off the text it introduces, staying on the grid.
                for line in &mut lines {
                    for run in &mut line.runs {
                        run.y -= self.style.leading * HEADING_RAISE;
                    }
                }
                items.extend(keep_lines(lines, LineKind::Heading, 1));
                *first = true;
            }
            Block::Quote { blocks } => {
                let indent = self.style.size * BLOCK_INDENT_EM;
                let inner = Frame {
                    left: frame.left + indent,
                    measure: frame.measure - indent * 2.0,
                    italic: frame.italic || frame.depth >= 1,
                    depth: frame.depth + 1,
                };
                if top_level {
                    push_gap(items);
                }
                let mut inner_first = true;
                self.blocks(blocks, inner, items, &mut inner_first, chapter);
                if top_level {
                    push_gap(items);
                }
                *first = true;
            }
            Block::List { start, items: list_items } => {
                let indent = self.style.size * BLOCK_INDENT_EM;
                if top_level {
                    push_gap(items);
                }
                for (i, item) in list_items.iter().enumerate() {
                    let label = match start {
                        Some(s) => format!("{}.", s + i as u64),
                        None => "•".to_string(),
                    };
                    let mut rest: &[Block] = item;
                    if let Some(Block::Paragraph { content, .. }) = item.first() {
                        items.extend(
                            self.list_item(&label, content, frame, indent, chapter),
                        );
                        rest = &item[1..];
                    }
                    let inner = Frame {
                        left: frame.left + indent,
                        measure: frame.measure - indent,
                        depth: frame.depth + 1,
                        ..frame
                    };
                    let mut inner_first = false;
                    self.blocks(rest, inner, items, &mut inner_first, chapter);
                }
                if top_level {
                    push_gap(items);
                }
                *first = true;
            }
            Block::Code { text } => {
                for code_line in text.lines() {
                    let style = ParagraphStyle {
                        hyphenate: false,
                        ..self.text_style(Alignment::Left, false)
                    };
                    let lines = self.set_text(code_line, &style, frame, chapter);
                    items.extend(self.paragraph_lines(lines, LineKind::Body, 1));
                }
                *first = true;
            }
            Block::SceneBreak => {
                let style = ParagraphStyle {
                    features: Features::Lining,
                    size: self.style.size.0 * ORNAMENT_SCALE,
                    ..self.text_style(Alignment::Center, false)
                };
                let mut lines = self.set_text(ORNAMENT, &style, frame, chapter);
                // The ornament takes two grid slots and sits midway up them, with as much
                // air above it as below: on one slot it would touch the text around it.
                for line in &mut lines {
                    for run in &mut line.runs {
                        run.y -= self.style.leading * 0.5;
                    }
                }
                items.extend(keep_lines(lines, LineKind::Ornament, ORNAMENT_SLOTS));
                *first = true;
            }
            Block::Figure { src, alt: _, caption, pixels, line } => {
                let at = Location::new(&self.assets.join(&chapter.source), *line, 1);
                self.figure(src, caption, *pixels, at, frame, items, chapter);
                *first = true;
            }
            Block::Table { align, header, rows } => {
                self.table(align, header, rows, frame, items, chapter);
                *first = true;
            }
        }
    }

    /// Sets a table: each column as wide as its widest cell when the table fits the
    /// measure (the table then centred), otherwise narrowed in proportion to what its
    /// cells need (their text then wraps, ragged); columns an em apart; the header in
    /// bold over a rule, and a rule under the last row; a blank line above and below. A row never splits across pages, and the header stays with the
    /// first row.
    fn table(
        &mut self,
        align: &[Align],
        header: &[Vec<Inline>],
        rows: &[Vec<Vec<Inline>>],
        frame: Frame,
        items: &mut Vec<FlowItem>,
        chapter: &Chapter,
    ) {
        let columns = rows.iter().map(Vec::len).chain([header.len()]).max().unwrap_or(0);
        if columns == 0 {
            return;
        }
        let cell_style = |flow: &Self, bold: bool, alignment: Alignment| ParagraphStyle {
            bold,
            hyphenate: false,
            ..flow.text_style(alignment, false)
        };
        let table_rows: Vec<(bool, &[Vec<Inline>])> = std::iter::once((true, header))
            .chain(rows.iter().map(|r| (false, r.as_slice())))
            .collect();
        // Natural widths: each cell set on one unbounded line.
        let unbounded = Frame { left: Pt(0.0), measure: Pt(1.0e6), ..frame };
        let mut natural = vec![0.0_f64; columns];
        for &(bold, row) in &table_rows {
            for (c, cell) in row.iter().enumerate() {
                let style = cell_style(self, bold, Alignment::Left);
                let lines = self.set(cell, &style, unbounded, &chapter.source, 0);
                let width = lines.iter().map(|l| l.width.0).fold(0.0, f64::max);
                natural[c] = natural[c].max(width);
            }
        }
        let gap = self.style.size.0;
        let available =
            (frame.measure.0 - gap * (columns - 1) as f64).max(columns as f64);
        let widths = fit_columns(&natural, available);
        let mut lefts = Vec::with_capacity(columns);
        let mut x = 0.0;
        for w in &widths {
            lefts.push(x);
            x += w + gap;
        }
        let table_width = x - gap;
        // A table narrower than the measure is centred on it.
        let inset = Pt(((frame.measure.0 - table_width) / 2.0).max(0.0));
        let rule = Underrule {
            x1: frame.left + inset,
            x2: frame.left + inset + Pt(table_width),
            drop: self.style.leading * TABLE_RULE_DROP,
        };
        push_gap(items);
        let last_row = table_rows.len() - 1;
        for (r, &(bold, row)) in table_rows.iter().enumerate() {
            let mut cells: Vec<Vec<Line>> = Vec::with_capacity(columns);
            for c in 0..columns {
                let Some(cell) = row.get(c) else {
                    cells.push(Vec::new());
                    continue;
                };
                let column_align = align.get(c).copied().unwrap_or(Align::None);
                let alignment = if column_align == Align::Center {
                    Alignment::Center
                } else {
                    Alignment::Left
                };
                let style = cell_style(self, bold, alignment);
                let at = Frame {
                    left: frame.left + inset + Pt(lefts[c]),
                    measure: Pt(widths[c]),
                    ..frame
                };
                let mut lines = self.set(cell, &style, at, &chapter.source, 0);
                if column_align == Align::Right {
                    for line in &mut lines {
                        let shift = Pt(widths[c]) - line.width;
                        for run in &mut line.runs {
                            run.x += shift;
                        }
                    }
                }
                cells.push(lines);
            }
            let height = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
            for k in 0..height {
                let mut line = FlowLine {
                    runs: Vec::new(),
                    rules: Vec::new(),
                    slots: 1,
                    // A row stays whole; the header stays with the first row.
                    break_after: k + 1 == height && r > 0,
                    kind: LineKind::Body,
                    par: None,
                    ratio: 0.0,
                    hyphenated: false,
                    overfull: false,
                    text: String::new(),
                    notes: Vec::new(),
                };
                for cell in &mut cells {
                    let Some(part) = cell.get_mut(k) else { continue };
                    if !line.text.is_empty() && !part.text.is_empty() {
                        line.text.push_str(" | ");
                    }
                    line.text.push_str(&part.text);
                    line.runs.append(&mut part.runs);
                    line.notes.append(&mut part.notes);
                    line.overfull |= part.overfull;
                }
                if k + 1 == height && (r == 0 || r == last_row) {
                    line.rules.push(rule);
                }
                items.push(FlowItem::Line(line));
            }
        }
        push_gap(items);
    }

    /// Sets an image and its caption; `at` is the image's place in the manuscript.
    #[allow(clippy::too_many_arguments)]
    fn figure(
        &mut self,
        src: &Path,
        caption: &[Inline],
        pixels: (u32, u32),
        at: Location,
        frame: Frame,
        items: &mut Vec<FlowItem>,
        chapter: &Chapter,
    ) {
        let bytes = match std::fs::read(self.assets.join(src)) {
            Ok(bytes) => bytes,
            Err(e) => {
                self.warnings.push(Warning::at(
                    at,
                    format!("image {} could not be read for print: {e}", src.display()),
                ));
                return;
            }
        };
        let leading = self.style.leading;
        let (w, h) = (f64::from(pixels.0.max(1)), f64::from(pixels.1.max(1)));
        // Never wider than the image holds at print resolution: an enlarged image prints
        // soft, and print services reject images under 300 ppi.
        let full = frame.measure * 0.9;
        let natural = Pt(w / PRINT_PPI * 72.0);
        let mut width = if natural < full { natural } else { full };
        if natural < full * 0.5 {
            self.warnings.push(Warning::at(
                at,
                format!(
                    "image {} is only {}×{} pixels, so it prints {:.1} in wide at the \
                     {PRINT_PPI} ppi print services ask for; supply a larger image to \
                     print it bigger",
                    src.display(),
                    pixels.0,
                    pixels.1,
                    w / PRINT_PPI
                ),
            ));
        }
        let mut height = width * (h / w);
        let max_height = self.style.body_height() * 0.45;
        if height > max_height {
            width = width * (max_height.0 / height.0);
            height = max_height;
        }
        let slots = (height.0 / leading.0).ceil() as usize;
        let index = self.images.len();
        self.images.push(ImageData { bytes, pixels });
        let style = ParagraphStyle {
            italic: true,
            size: self.style.size.0 * 0.9,
            hyphenate: false,
            ..self.text_style(Alignment::Center, false)
        };
        let caption_lines = if caption.is_empty() {
            Vec::new()
        } else {
            self.set(caption, &style, frame, &chapter.source, 0)
                .into_iter()
                .map(|l| flow_line(l, LineKind::Caption, 1))
                .collect()
        };
        push_gap(items);
        items.push(FlowItem::Figure(FigureBlock {
            image: index,
            width,
            height,
            x: frame.left + (frame.measure - width) / 2.0,
            slots,
            caption: caption_lines,
        }));
        push_gap(items);
    }

    /// A footnote's lines at note size, its number leading the first line.
    fn note(
        &mut self,
        index: usize,
        blocks: &[Block],
        chapter: &Chapter,
    ) -> Vec<FlowLine> {
        let frame =
            Frame { left: Pt::ZERO, measure: self.measure, italic: false, depth: 0 };
        let style = ParagraphStyle {
            size: self.style.note_size.0,
            ..self.text_style(Alignment::Justify, false)
        };
        let mut out = Vec::new();
        for (b, block) in blocks.iter().enumerate() {
            let mut content = Vec::new();
            if b == 0 {
                content.push(Inline::Text(format!("{}.\u{2002}", index + 1)));
            }
            match block {
                Block::Paragraph { content: c, .. } => content.extend(c.iter().cloned()),
                other => content
                    .push(Inline::Text(crate::model::plain_text(&block_text(other)))),
            }
            let lines = self.set(&content, &style, frame, &chapter.source, 0);
            out.extend(lines.into_iter().map(|l| flow_line(l, LineKind::Note, 1)));
        }
        out
    }
}

/// Inlines standing for a non-paragraph block inside a note (rare): its plain text.
fn block_text(block: &Block) -> Vec<Inline> {
    let mut chapter_text = String::new();
    let fake = Chapter {
        slug: String::new(),
        kind: crate::model::ChapterKind::Essay,
        number: None,
        title: vec![],
        blocks: vec![block.clone()],
        reflection: None,
        notes: vec![],
        handout: false,
        source: Default::default(),
    };
    fake.plain_text_into(&mut chapter_text);
    vec![Inline::Text(chapter_text.trim().to_string())]
}

/// True while only the opener has been emitted (so the next paragraph opens the essay).
fn items_are_opener(items: &[FlowItem]) -> bool {
    items.iter().all(|i| match i {
        FlowItem::Space { .. } => true,
        FlowItem::Line(l) => l.kind == LineKind::Heading,
        FlowItem::Figure(_) => false,
    })
}

/// Column widths for a table whose columns would naturally be `natural` wide, within
/// `available` points: the natural widths when they fit; otherwise every column keeps
/// what it needs up to an equal share, and the room left is shared among the wider
/// columns in proportion to what they still want.
fn fit_columns(natural: &[f64], available: f64) -> Vec<f64> {
    let total: f64 = natural.iter().sum();
    if total <= available || natural.is_empty() {
        return natural.to_vec();
    }
    let share = available / natural.len() as f64;
    let mut widths: Vec<f64> = natural.iter().map(|&n| n.min(share)).collect();
    let left = available - widths.iter().sum::<f64>();
    let wanting: f64 = natural.iter().zip(&widths).map(|(n, w)| n - w).sum();
    if wanting > 0.0 {
        for (w, n) in widths.iter_mut().zip(natural) {
            *w += left * (n - *w) / wanting;
        }
    }
    widths
}

/// A blank slot between blocks.
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
    }
}

/// Sets a single display line (title pages, contents, running heads) at `size` with
/// `features`, returning its runs and width. Used by the book make-up.
pub fn display_line(
    shaper: &mut Shaper<'_>,
    text: &str,
    font: FontId,
    size: f64,
    features: Features,
) -> (Vec<TextRun>, Pt) {
    let mut runs = Vec::new();
    let mut x = 0.0;
    for shaped in shaper.shape(text, font, features) {
        let glyphs = shaped
            .glyphs
            .iter()
            .enumerate()
            .map(|(k, g)| {
                let next = shaped.glyphs[k + 1..]
                    .iter()
                    .find(|n| n.cluster != g.cluster)
                    .map_or(shaped.text.len() as u32, |n| n.cluster);
                let starts = k == 0 || shaped.glyphs[k - 1].cluster != g.cluster;
                let range =
                    if starts { (g.cluster, next) } else { (g.cluster, g.cluster) };
                super::page::Glyph { id: g.id, advance: g.advance, text: range }
            })
            .collect();
        runs.push(TextRun {
            x: Pt(x),
            y: Pt::ZERO,
            font: shaped.font,
            size: Pt(size),
            glyphs,
            text: shaped.text.clone(),
        });
        x += shaped.width_at(size);
    }
    (runs, Pt(x))
}

#[cfg(test)]
mod tests {
    use super::fit_columns;

    #[test]
    fn columns_keep_their_natural_widths_when_they_fit() {
        assert_eq!(fit_columns(&[50.0, 80.0, 20.0], 200.0), vec![50.0, 80.0, 20.0]);
        assert!(fit_columns(&[], 100.0).is_empty());
    }

    #[test]
    fn too_wide_columns_share_the_room_by_what_they_need() {
        let natural = [60.0, 400.0, 250.0];
        let widths = fit_columns(&natural, 300.0);
        let total: f64 = widths.iter().sum();
        assert!((total - 300.0).abs() < 1e-9, "{widths:?}");
        // A column narrower than an equal share keeps its natural width.
        assert_eq!(widths[0], 60.0);
        // The wider columns are narrowed, the one that wanted more keeps more.
        assert!(widths[1] < 400.0 && widths[2] < 250.0 && widths[1] > widths[2]);
        for (w, n) in widths.iter().zip(natural) {
            assert!(*w <= n + 1e-9);
        }
    }
}
