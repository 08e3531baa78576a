//! A paragraph's inlines → the Knuth–Plass item list (boxes, glue, penalties) and, beside
//! each item, the [`Piece`] of shaped text it stands for.
//!
//! Words are split at spaces; inside a word, break opportunities come from Unicode's line
//! breaking rules (after hyphens, dashes and slashes, UAX #14 via `unicode-linebreak`) and
//! from hyphenation patterns. A hyphenation point inside a ligature is dropped, so shaping
//! the whole word once stays correct. A word that no line can hold may break anywhere,
//! as a last resort (`words`, which turns each word into boxes and penalties). A
//! non-breaking space never becomes glue. Note references become small raised figures
//! that remember which note they cite.

mod words;

use super::linebreak::{FIL, INFINITY, Item};
use crate::model::Inline;
use crate::text::font::{Features, FontId};
use crate::text::hyphenate::Hyphenator;
use crate::text::shape::{Shaped, Shaper};
use std::sync::Arc;

/// Cost of breaking after an explicit hyphen or en dash (TeX's `\exhyphenpenalty`).
const EXPLICIT_HYPHEN_PENALTY: f64 = 50.0;
/// Cost of breaking after an em dash or a slash: allowed, but not free.
const OTHER_BREAK_PENALTY: f64 = 50.0;
/// Cost of an emergency break inside an over-wide word: just short of forbidden.
const EMERGENCY_BREAK_PENALTY: f64 = 9_000.0;
/// Interword glue stretches by half a space and shrinks by a third (TeX's defaults for
/// Computer Modern, which suit most book faces).
const SPACE_STRETCH: f64 = 0.5;
/// See [`SPACE_STRETCH`].
const SPACE_SHRINK: f64 = 1.0 / 3.0;
/// Extra room after italic text before upright text, in em (a typical italic correction).
const ITALIC_CORRECTION: f64 = 0.08;
/// Note reference figures: size relative to the text, and how far they are raised (in em).
const NOTE_MARK_SCALE: f64 = 0.62;
/// See [`NOTE_MARK_SCALE`].
const NOTE_MARK_RAISE: f64 = 0.36;
/// Inline code's size relative to the text: DejaVu Sans Mono's x-height (0.547 em) is
/// larger than Libertine's (0.429 em), so code at the text's size looks shouted.
pub const INLINE_CODE_SCALE: f64 = 0.8;

/// Superscript and subscript text: size relative to the text around it, and how far it
/// is raised or lowered (in em of that text).
const SCRIPT_SCALE: f64 = 0.7;
/// See [`SCRIPT_SCALE`].
const SCRIPT_RAISE: f64 = 0.33;
/// See [`SCRIPT_SCALE`].
const SCRIPT_LOWER: f64 = 0.15;

/// How a paragraph is set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParagraphStyle {
    /// Type size in points.
    pub size: f64,
    /// Bold text throughout.
    pub bold: bool,
    /// Italic text throughout (emphasis inside then turns roman).
    pub italic: bool,
    /// OpenType features of the text.
    pub features: Features,
    /// Justified, flush left or centred.
    pub align: Alignment,
    /// Indent of the first line, in points.
    pub first_indent: f64,
    /// Whether words may be hyphenated.
    pub hyphenate: bool,
    /// Set the first this-many words in small capitals (an essay's lead-in).
    pub small_caps_words: usize,
    /// Lines at the start narrowed (and moved right) to make room for a drop cap.
    pub hang_lines: usize,
    /// How much those lines are narrowed, in points.
    pub hang_width: f64,
    /// A word wider than this (the measure) may be broken anywhere, as a last resort;
    /// 0 turns that off.
    pub emergency_width: f64,
    /// How emphasis is set.
    pub emphasis: Emphasis,
}

/// How emphasised text (`*word*`) is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Emphasis {
    /// In italic (roman inside italic text), as books usually set it.
    #[default]
    Italic,
    /// In bold: large-print guidance asks for no italics, which many readers with low
    /// vision find hard to read.
    Bold,
}

/// Horizontal alignment of a paragraph's lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alignment {
    /// Both edges flush: Knuth–Plass with stretchable spaces.
    Justify,
    /// Ragged right.
    Left,
    /// Each line centred.
    Center,
}

/// What an item draws.
#[derive(Debug, Clone)]
pub enum Piece {
    /// Glyphs `from..to` of a shaped run.
    Glyphs {
        /// The run.
        run: Arc<Shaped>,
        /// First glyph.
        from: usize,
        /// One past the last glyph.
        to: usize,
        /// Type size.
        size: f64,
        /// Baseline shift upwards, in points (note marks).
        raise: f64,
        /// The chapter note this mark cites, if it is a note reference.
        note: Option<usize>,
        /// The cross-reference it is part of (`slug` or `slug#anchor`).
        link: Option<Arc<str>>,
    },
    /// A hyphen drawn only if the line breaks here.
    Hyphen {
        /// The shaped hyphen.
        run: Arc<Shaped>,
        /// Type size.
        size: f64,
    },
    /// Space, an indent or a bare penalty: draws nothing.
    Nothing,
    /// The break after a mark that hangs into the right margin: the penalty's negative
    /// width is how far (see `layout::protrusion`). Draws nothing.
    Hang,
}

/// A paragraph ready for the line breaker.
#[derive(Debug, Clone, Default)]
pub struct Prepared {
    /// The items, ending with fil glue and a forced break.
    pub items: Vec<Item>,
    /// What each item draws; same length as `items`.
    pub pieces: Vec<Piece>,
    /// A word was wider than the line and got emergency break points.
    pub emergency: bool,
    /// Opening marks at a line's start hang into the left margin (`layout::protrusion`).
    pub protrusion: bool,
    /// Index in `items` of each word's first item, in order: word `k` of the text (words
    /// counted as `crate::pages` counts them) starts at `word_starts[k]`.
    pub word_starts: Vec<usize>,
}

/// One stretch of text with its style, after the inline tree is flattened.
#[derive(Clone)]
struct Atom<'a> {
    text: &'a str,
    font: FontId,
    features: Features,
    size: f64,
    raise: f64,
    note: Option<usize>,
    /// The cross-reference it is part of (`slug` or `slug#anchor`).
    link: Option<Arc<str>>,
    /// Inline code: never hyphenated, broken only after `/ . :: _ -` and the like.
    code: bool,
}

/// Settings of the item list that come from the edition rather than the paragraph.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ItemOptions {
    /// Cost of a break at a hyphenation point (TeX's `\hyphenpenalty`).
    pub hyphen_penalty: f64,
    /// Hang punctuation into the margins of justified lines (`layout::protrusion`).
    pub protrusion: bool,
}

impl ItemOptions {
    /// TeX's hyphen penalty and no protrusion: what the tests' expectations assume.
    pub const PLAIN: ItemOptions =
        ItemOptions { hyphen_penalty: 50.0, protrusion: false };
}

/// Builds the item list of a paragraph.
pub fn prepare(
    inlines: &[Inline],
    style: &ParagraphStyle,
    shaper: &mut Shaper<'_>,
    hyphenator: &Hyphenator,
    options: ItemOptions,
) -> Prepared {
    let mut atoms = Vec::new();
    let mut numbers = Vec::new();
    collect_numbers(inlines, &mut numbers);
    let mut number_iter = numbers.iter();
    flatten(inlines, style, style.bold, style.italic, &mut atoms, &mut number_iter);
    let atoms = space_nested_quotes(atoms);
    let mut builder = ItemBuilder {
        out: Prepared::default(),
        style,
        hyphen_penalty: options.hyphen_penalty,
        protrusion: options.protrusion && style.align == Alignment::Justify,
        words: 0,
        last_italic: false,
        runs: Vec::new(),
    };
    if style.first_indent > 0.0 {
        builder.push(Item::Box { width: style.first_indent }, Piece::Nothing);
    }
    // Words may span atoms ("un*believ*able"), so a word is a list of (atom, range) parts;
    // a space seen since the last word is emitted just before the next one.
    let mut word: Vec<(usize, std::ops::Range<usize>)> = Vec::new();
    let mut space: Option<(FontId, f64)> = None;
    for (a, atom) in atoms.iter().enumerate() {
        if atom.text == "\n" {
            builder.flush(&atoms, &mut word, &mut space, shaper, hyphenator);
            // A hard line break: fill the line and force the break.
            builder.push(
                Item::Glue { width: 0.0, stretch: FIL, shrink: 0.0 },
                Piece::Nothing,
            );
            builder.push(
                Item::Penalty { width: 0.0, cost: -INFINITY, flagged: false },
                Piece::Nothing,
            );
            space = None;
            continue;
        }
        if atom.note.is_some() {
            // The mark joins the word before it; no break opportunity between them.
            word.push((a, 0..atom.text.len()));
            continue;
        }
        let mut start = 0;
        for (i, c) in atom.text.char_indices() {
            if c == ' ' || c == '\t' || c == '\n' {
                if start < i {
                    word.push((a, start..i));
                }
                builder.flush(&atoms, &mut word, &mut space, shaper, hyphenator);
                if !builder.out.items.is_empty() {
                    space = Some((atom.font, atom.size));
                }
                start = i + c.len_utf8();
            }
        }
        if start < atom.text.len() {
            word.push((a, start..atom.text.len()));
        }
    }
    builder.flush(&atoms, &mut word, &mut space, shaper, hyphenator);
    builder.out.protrusion = builder.protrusion;
    builder.push(Item::Glue { width: 0.0, stretch: FIL, shrink: 0.0 }, Piece::Nothing);
    builder.push(
        Item::Penalty { width: 0.0, cost: -INFINITY, flagged: false },
        Piece::Nothing,
    );
    builder.out
}

/// How far glyph `from` of `run`, set at `size`, may hang past the left margin.
pub fn left_hang(run: &Shaped, from: usize, size: f64) -> f64 {
    hang(run, Some(from), size, super::protrusion::left)
}

/// How far glyph `to − 1` of `run`, set at `size`, may hang past the right margin.
fn right_hang(run: &Shaped, to: usize, size: f64) -> f64 {
    hang(run, to.checked_sub(1), size, super::protrusion::right)
}

/// `share` of glyph `index`'s own character, times the glyph's advance at `size`.
fn hang(run: &Shaped, index: Option<usize>, size: f64, share: fn(char) -> f64) -> f64 {
    let Some(glyph) = index.and_then(|i| run.glyphs.get(i)) else { return 0.0 };
    let c = run.text.get(glyph.cluster as usize..).and_then(|t| t.chars().next());
    c.map_or(0.0, share) * f64::from(glyph.advance) * size / f64::from(run.units_per_em)
}

/// A narrow no-break space (U+202F, a sixth of an em or so) set between two quotation
/// marks side by side in print.
const QUOTE_SPACE: &str = "\u{202f}";

/// Whether quotation marks `a` then `b` nest (“‘, ‘“, ’”, ”’), and so want a thin space
/// between them.
fn quotes_nest(a: char, b: char) -> bool {
    matches!((a, b), ('“', '‘') | ('‘', '“') | ('’', '”') | ('”', '’'))
}

/// Splits atoms where two quotation marks nest and puts a narrow no-break space between
/// them, in print only (the EPUB keeps the text as written). The space joins the word
/// it sits in, so no line breaks there. Inline code is left as it is.
fn space_nested_quotes(atoms: Vec<Atom<'_>>) -> Vec<Atom<'_>> {
    let mut out: Vec<Atom<'_>> = Vec::with_capacity(atoms.len());
    for atom in atoms {
        if atom.code || atom.note.is_some() {
            out.push(atom);
            continue;
        }
        // Between the last atom and this one.
        if let (Some(prev), Some(first)) = (out.last(), atom.text.chars().next())
            && !prev.code
            && prev.note.is_none()
            && prev.text.chars().next_back().is_some_and(|last| quotes_nest(last, first))
        {
            out.push(Atom { text: QUOTE_SPACE, ..atom.clone() });
        }
        let text = atom.text;
        let mut start = 0;
        let mut chars = text.char_indices().peekable();
        while let Some((_, c)) = chars.next() {
            if let Some(&(j, d)) = chars.peek()
                && quotes_nest(c, d)
            {
                out.push(Atom { text: &text[start..j], ..atom.clone() });
                out.push(Atom { text: QUOTE_SPACE, ..atom.clone() });
                start = j;
            }
        }
        out.push(Atom { text: &text[start..], ..atom });
    }
    out
}

/// The name a cross-reference's target is known by: the chapter's slug, or
/// `slug#anchor` for a heading in it.
pub fn link_key(chapter: &str, anchor: Option<&str>) -> String {
    match anchor {
        Some(anchor) => format!("{chapter}#{anchor}"),
        None => chapter.to_string(),
    }
}

fn is_italic(font: FontId) -> bool {
    font == FontId::ITALIC || font == FontId::BOLD_ITALIC
}

/// Note reference numbers in order of appearance.
fn collect_numbers(inlines: &[Inline], out: &mut Vec<String>) {
    for inline in inlines {
        match inline {
            Inline::NoteRef(i) => out.push((i + 1).to_string()),
            Inline::Emph(c)
            | Inline::Strong(c)
            | Inline::Strike(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::SmallCaps(c) => collect_numbers(c, out),
            Inline::Link { content, .. } | Inline::CrossRef { content, .. } => {
                collect_numbers(content, out)
            }
            Inline::Text(_) | Inline::Code(_) | Inline::LineBreak => {}
        }
    }
}

fn flatten<'a>(
    inlines: &'a [Inline],
    style: &ParagraphStyle,
    bold: bool,
    italic: bool,
    out: &mut Vec<Atom<'a>>,
    numbers: &mut std::slice::Iter<'a, String>,
) {
    for inline in inlines {
        let font = FontId::for_style(bold, italic);
        match inline {
            Inline::Text(t) => out.push(Atom {
                text: t,
                font,
                features: style.features,
                size: style.size,
                raise: 0.0,
                note: None,
                link: None,
                code: false,
            }),
            Inline::Code(t) => out.push(Atom {
                text: t,
                font: FontId::MONO,
                features: Features::Lining,
                size: style.size * INLINE_CODE_SCALE,
                raise: 0.0,
                note: None,
                link: None,
                code: true,
            }),
            Inline::Emph(c) => match style.emphasis {
                Emphasis::Italic => flatten(c, style, bold, !italic, out, numbers),
                Emphasis::Bold => flatten(c, style, true, italic, out, numbers),
            },
            Inline::Strong(c) => flatten(c, style, true, italic, out, numbers),
            Inline::Strike(c) => flatten(c, style, bold, italic, out, numbers),
            Inline::Link { content, .. } => {
                flatten(content, style, bold, italic, out, numbers)
            }
            // A cross-reference's words remember their target, to become a link to its
            // page once pages are known (`layout::book`).
            Inline::CrossRef { chapter, anchor, content } => {
                let from = out.len();
                flatten(content, style, bold, italic, out, numbers);
                let key: Arc<str> = link_key(chapter, anchor.as_deref()).into();
                for atom in &mut out[from..] {
                    if atom.note.is_none() {
                        atom.link = Some(key.clone());
                    }
                }
            }
            Inline::Superscript(c) | Inline::Subscript(c) => {
                let from = out.len();
                flatten(c, style, bold, italic, out, numbers);
                let up = matches!(inline, Inline::Superscript(_));
                for atom in &mut out[from..] {
                    if atom.note.is_none() {
                        let shift = if up { SCRIPT_RAISE } else { -SCRIPT_LOWER };
                        atom.raise += atom.size * shift;
                        atom.size *= SCRIPT_SCALE;
                    }
                }
            }
            Inline::SmallCaps(c) => {
                let from = out.len();
                flatten(c, style, bold, italic, out, numbers);
                for atom in &mut out[from..] {
                    if atom.features == Features::Text {
                        atom.features = Features::SmallCaps;
                    }
                }
            }
            Inline::NoteRef(i) => {
                if let Some(n) = numbers.next() {
                    out.push(Atom {
                        text: n,
                        font: FontId::REGULAR,
                        features: Features::Lining,
                        size: style.size * NOTE_MARK_SCALE,
                        raise: style.size * NOTE_MARK_RAISE,
                        note: Some(*i),
                        link: None,
                        code: false,
                    });
                }
            }
            Inline::LineBreak => out.push(Atom {
                text: "\n",
                font,
                features: style.features,
                size: style.size,
                raise: 0.0,
                note: None,
                link: None,
                code: false,
            }),
        }
    }
}

struct ItemBuilder<'s> {
    out: Prepared,
    style: &'s ParagraphStyle,
    hyphen_penalty: f64,
    /// Punctuation hangs into the margins (justified text with protrusion on).
    protrusion: bool,
    /// Words emitted so far, for the small-caps lead-in.
    words: usize,
    /// Whether the last word emitted ended in an italic face.
    last_italic: bool,
    /// Scratch list of a word's shaped runs, kept to reuse.
    runs: Vec<words::Part>,
}

impl ItemBuilder<'_> {
    fn push(&mut self, item: Item, piece: Piece) {
        self.out.items.push(item);
        self.out.pieces.push(piece);
    }

    /// Interword glue sized from the space of the text before it.
    fn space(&mut self, font: FontId, size: f64, shaper: &mut Shaper<'_>) {
        let width = shaper
            .shape(" ", font, Features::Text)
            .iter()
            .map(|r| r.width_at(size))
            .sum::<f64>();
        let stretch = if self.style.align == Alignment::Justify {
            width * SPACE_STRETCH
        } else {
            0.0
        };
        let shrink = if self.style.align == Alignment::Justify {
            width * SPACE_SHRINK
        } else {
            0.0
        };
        // A line ending before this space may hang its last mark into the margin: the
        // break moves to a penalty of minus that width, and the glue after it (no longer
        // right after a box) is no break of its own. Mid-line the penalty is nothing.
        let hang = self.hang_after_last_box();
        if hang > 0.0 {
            self.push(
                Item::Penalty { width: -hang, cost: 0.0, flagged: false },
                Piece::Hang,
            );
        }
        self.push(Item::Glue { width, stretch, shrink }, Piece::Nothing);
    }

    /// Emits the pending space and then the word, if there is a word.
    /// How far the last glyph of the items so far may hang past the right margin, in
    /// points; 0 without protrusion or when the last item is not glyphs.
    fn hang_after_last_box(&self) -> f64 {
        if !self.protrusion {
            return 0.0;
        }
        match (self.out.items.last(), self.out.pieces.last()) {
            (
                Some(Item::Box { .. }),
                Some(Piece::Glyphs { run, to, size, note: None, .. }),
            ) => right_hang(run, *to, *size),
            _ => 0.0,
        }
    }

    fn flush(
        &mut self,
        atoms: &[Atom<'_>],
        word: &mut Vec<(usize, std::ops::Range<usize>)>,
        space: &mut Option<(FontId, f64)>,
        shaper: &mut Shaper<'_>,
        hyphenator: &Hyphenator,
    ) {
        if word.is_empty() {
            return;
        }
        // Italic correction: a slanted letter leans over the space that follows it, so an
        // italic word followed by an upright one gets a little extra room (TeX's `\/`).
        let upright_next = word.first().is_some_and(|(a, _)| !is_italic(atoms[*a].font));
        if self.last_italic && upright_next {
            self.push(
                Item::Box { width: self.style.size * ITALIC_CORRECTION },
                Piece::Nothing,
            );
        }
        if let Some((font, size)) = space.take() {
            self.space(font, size, shaper);
        }
        self.last_italic = word.last().is_some_and(|(a, _)| is_italic(atoms[*a].font));
        self.out.word_starts.push(self.out.items.len());
        self.word(atoms, word, shaper, hyphenator);
    }
}

#[cfg(test)]
mod tests {
    use super::{Alignment, ParagraphStyle, Piece, prepare};
    use crate::layout::line::set_paragraph;
    use crate::layout::linebreak::{BreakParams, LineBreaker};
    use crate::model::Inline;
    use crate::text::font::{Features, FontSet};
    use crate::text::hyphenate::Hyphenator;
    use crate::text::shape::Shaper;

    fn style() -> ParagraphStyle {
        ParagraphStyle {
            size: 11.0,
            bold: false,
            italic: false,
            features: Features::Text,
            align: Alignment::Justify,
            first_indent: 11.0,
            hyphenate: true,
            small_caps_words: 0,
            hang_lines: 0,
            hang_width: 0.0,
            emergency_width: 0.0,
            emphasis: super::Emphasis::Italic,
        }
    }

    /// The width of `text` alone at 11 pt in the regular face.
    fn width_of(shaper: &mut Shaper<'_>, text: &str) -> f64 {
        use crate::text::font::FontId;
        shaper
            .shape(text, FontId::REGULAR, Features::Text)
            .iter()
            .map(|r| r.width_at(11.0))
            .sum()
    }

    #[test]
    fn marks_at_a_break_hang_by_their_share_of_their_width() {
        use crate::layout::linebreak::Item;
        let fonts = FontSet::builtin();
        let mut shaper = Shaper::new(&fonts);
        let (hyph, _) = Hyphenator::new("en-US", &[]);
        let hanging =
            super::ItemOptions { protrusion: true, ..super::ItemOptions::PLAIN };
        let text = [Inline::Text("Yes, well-known and—quiet. No".into())];
        let hung = prepare(&text, &style(), &mut shaper, &hyph, hanging);
        let plain =
            prepare(&text, &style(), &mut shaper, &hyph, super::ItemOptions::PLAIN);
        let widths = |p: &super::Prepared| -> Vec<f64> {
            p.items
                .iter()
                .filter_map(|i| match *i {
                    Item::Penalty { width, .. } if width < 0.0 => Some(width),
                    _ => None,
                })
                .collect()
        };
        assert!(widths(&plain).is_empty(), "no hanging without protrusion");
        // After the comma (before a space), the compound's hyphen, the em dash and the
        // period: each its share of its own width, in that order.
        let expected = [(",", 0.7), ("-", 0.7), ("—", 0.2), (".", 0.7)]
            .map(|(c, share)| -share * width_of(&mut shaper, c));
        let got = widths(&hung);
        assert_eq!(got.len(), expected.len(), "{got:?}");
        for (g, e) in got.iter().zip(expected) {
            assert!((g - e).abs() < 0.01, "{got:?} against {expected:?}");
        }
        // A hanging break stands before the space, and the space is then no break.
        let at = hung
            .items
            .iter()
            .position(|i| matches!(i, Item::Penalty { width, .. } if *width < 0.0));
        assert!(matches!(hung.pieces[at.unwrap()], Piece::Hang));
        assert!(matches!(hung.items[at.unwrap() + 1], Item::Glue { .. }));
        // A discretionary hyphen is narrower by the share that hangs.
        let word = [Inline::Text("extraordinarily".into())];
        let hyphen = |p: &super::Prepared| {
            p.items.iter().find_map(|i| match *i {
                Item::Penalty { width, flagged: true, .. } => Some(width),
                _ => None,
            })
        };
        let full = hyphen(&prepare(
            &word,
            &style(),
            &mut shaper,
            &hyph,
            super::ItemOptions::PLAIN,
        ));
        let short = hyphen(&prepare(&word, &style(), &mut shaper, &hyph, hanging));
        let dash = width_of(&mut shaper, "-");
        assert!((full.unwrap() - dash).abs() < 0.01);
        assert!((short.unwrap() - 0.3 * dash).abs() < 0.01);
    }

    #[test]
    fn a_justified_line_hangs_its_marks_and_keeps_its_text() {
        let fonts = FontSet::builtin();
        let mut shaper = Shaper::new(&fonts);
        let (hyph, _) = Hyphenator::new("en-US", &[]);
        let hanging =
            super::ItemOptions { protrusion: true, ..super::ItemOptions::PLAIN };
        let text = "“Quiet,” he said, and the room went on without them, the clock, the rain, the kettle. “Later,” she said, and they waited; nobody moved, nobody spoke, and the evening went by.";
        let inlines = [Inline::Text(text.into())];
        let style = ParagraphStyle { first_indent: 0.0, ..style() };
        let mut set = |options| {
            let p = prepare(&inlines, &style, &mut shaper, &hyph, options);
            set_paragraph(
                &p,
                &style,
                150.0,
                &BreakParams::default(),
                &mut LineBreaker::new(),
            )
            .0
        };
        let plain = set(super::ItemOptions::PLAIN);
        let hung = set(hanging);
        let text_of = |lines: &[crate::layout::line::Line]| {
            lines.iter().map(|l| l.text.clone()).collect::<Vec<_>>().join(" ")
        };
        assert_eq!(text_of(&plain).replace("- ", ""), text_of(&hung).replace("- ", ""));
        // The opening quote of the first line starts left of the margin, and no line
        // is reported wider than the measure for what hangs.
        assert!(hung[0].runs[0].x.0 < -1.0, "{:?}", hung[0].runs[0].x);
        assert!(hung.iter().all(|l| !l.overfull));
        // A line that ends in a comma reaches past the measure by 0.7 of the comma.
        let line = hung[..hung.len() - 1].iter().find(|l| l.text.ends_with(',')).unwrap();
        let run = line.runs.last().unwrap();
        let upem = f64::from(fonts.face(run.font).units_per_em);
        let advances: i32 = run.glyphs.iter().map(|g| g.advance).sum();
        let end = run.x.0 + f64::from(advances) * 11.0 / upem * run.stretch;
        let comma = width_of(&mut shaper, ",");
        assert!((end - 150.0 - 0.7 * comma).abs() < 0.05, "{end} against {comma}");
    }

    #[test]
    fn every_character_reaches_a_line() {
        let fonts = FontSet::builtin();
        let mut shaper = Shaper::new(&fonts);
        let (hyph, _) = Hyphenator::new("en-US", &[]);
        let text = "Tomas was happy too. He would tell me later that he had been thinking almost the same thing a minute earlier. But when he heard her say it aloud, something in his chest drew tight, the way your hand closes when someone tosses you something fragile without warning. He laughed and said, “Don’t jinx it.” Then he stood, said he’d better check the back door, and went inside.";
        let p = prepare(
            &[Inline::Text(text.into())],
            &style(),
            &mut shaper,
            &hyph,
            super::ItemOptions::PLAIN,
        );
        let glyph_pieces =
            p.pieces.iter().filter(|x| matches!(x, Piece::Glyphs { .. })).count();
        assert!(glyph_pieces > 10);
        let (lines, _) = set_paragraph(
            &p,
            &style(),
            340.0,
            &BreakParams::default(),
            &mut LineBreaker::new(),
        );
        let joined: String = lines
            .iter()
            .map(|l| {
                l.text
                    .strip_suffix('-')
                    .map(str::to_string)
                    .unwrap_or_else(|| format!("{} ", l.text))
            })
            .collect();
        assert_eq!(joined.trim_end(), text);
    }

    /// Each line knows the first word that begins on it (what a page starting with the
    /// line maps to in the EPUB): the word at that index of the text is the line's first
    /// word, or, when the line begins with the tail of a hyphenated word, the one after.
    #[test]
    fn every_line_knows_its_first_whole_word() {
        let fonts = FontSet::builtin();
        let mut shaper = Shaper::new(&fonts);
        let (hyph, _) = Hyphenator::new("en-US", &[]);
        let text = "Uncharacteristically incomprehensible conversations notwithstanding, \
                    the representatives of the telecommunications departments deliberated \
                    interminably about responsibilities, institutionalization and \
                    counterproductive disproportionate misunderstandings.";
        let inlines = [
            Inline::Text(text[..14].into()),
            Inline::Emph(vec![Inline::Text(text[14..60].into())]),
            Inline::Text(text[60..].into()),
        ];
        let p =
            prepare(&inlines, &style(), &mut shaper, &hyph, super::ItemOptions::PLAIN);
        let (lines, _) = set_paragraph(
            &p,
            &style(),
            150.0,
            &BreakParams::default(),
            &mut LineBreaker::new(),
        );
        let words: Vec<&str> = text.split(' ').collect();
        assert!(lines.iter().any(|l| l.hyphenated), "no hyphenated line to test");
        assert_eq!(lines[0].word, 0);
        for pair in lines.windows(2) {
            let (before, line) = (&pair[0], &pair[1]);
            let first = line.text.split(' ').next().unwrap();
            if before.hyphenated {
                // The tail of a word: the marker goes before the next one.
                assert!(words[line.word - 1].ends_with(first), "{:?}", line.text);
                let second = line.text.split(' ').nth(1).unwrap_or("");
                assert!(
                    second.is_empty() || words[line.word] == second,
                    "{:?}",
                    line.text
                );
            } else {
                assert_eq!(words[line.word], first, "{:?}", line.text);
            }
        }
    }
}

#[cfg(test)]
mod long_word_tests {
    use super::{Alignment, ParagraphStyle, prepare};
    use crate::layout::line::set_paragraph;
    use crate::layout::linebreak::{BreakParams, Item, LineBreaker};
    use crate::model::Inline;
    use crate::text::font::{Features, FontSet};
    use crate::text::hyphenate::Hyphenator;
    use crate::text::shape::Shaper;

    const MEASURE: f64 = 200.0;

    fn style() -> ParagraphStyle {
        ParagraphStyle {
            size: 11.0,
            bold: false,
            italic: false,
            features: Features::Text,
            align: Alignment::Justify,
            first_indent: 0.0,
            hyphenate: true,
            small_caps_words: 0,
            hang_lines: 0,
            hang_width: 0.0,
            emergency_width: MEASURE,
            emphasis: super::Emphasis::Italic,
        }
    }

    /// Prepares and sets `inlines`; returns whether emergency breaks were given, the
    /// lines' texts and whether any line is overfull.
    fn set(inlines: &[Inline]) -> (bool, Vec<String>, bool) {
        let fonts = FontSet::builtin();
        let mut shaper = Shaper::new(&fonts);
        let (hyph, _) = Hyphenator::new("en-US", &[]);
        let p = prepare(inlines, &style(), &mut shaper, &hyph, super::ItemOptions::PLAIN);
        let params = BreakParams { emergency_stretch: 16.5, ..BreakParams::default() };
        let (lines, _) =
            set_paragraph(&p, &style(), MEASURE, &params, &mut LineBreaker::new());
        let overfull = lines.iter().any(|l| l.overfull);
        (p.emergency, lines.into_iter().map(|l| l.text).collect(), overfull)
    }

    #[test]
    fn a_word_of_many_runs_breaks_at_the_margin() {
        // "ababab…" with every "a" in italics: 600 runs, none wider than a line.
        let mut inlines = Vec::new();
        for _ in 0..300 {
            inlines.push(Inline::Emph(vec![Inline::Text("a".into())]));
            inlines.push(Inline::Text("b".into()));
        }
        let (emergency, lines, overfull) = set(&inlines);
        assert!(emergency);
        assert!(!overfull, "{lines:?}");
        assert!(lines.len() > 5, "{lines:?}");
        assert_eq!(lines.concat(), "ab".repeat(300));
    }

    #[test]
    fn a_note_mark_stays_with_the_letter_before_it() {
        let fonts = FontSet::builtin();
        let mut shaper = Shaper::new(&fonts);
        let (hyph, _) = Hyphenator::new("en-US", &[]);
        let inlines = [
            Inline::Text("x".repeat(200)),
            Inline::NoteRef(0),
            Inline::Text("y".repeat(200)),
        ];
        let p =
            prepare(&inlines, &style(), &mut shaper, &hyph, super::ItemOptions::PLAIN);
        assert!(p.emergency);
        // The mark's box comes right after a letter's box, with no break between.
        let mark = p
            .pieces
            .iter()
            .position(|piece| matches!(piece, super::Piece::Glyphs { note: Some(0), .. }))
            .expect("the mark");
        assert!(
            matches!(p.items[mark - 1], Item::Box { .. }),
            "{:?}",
            &p.items[mark - 2..=mark]
        );
    }

    #[test]
    fn a_long_run_that_may_break_anyway_gets_no_emergency_breaks() {
        // A URL with a slash every few letters, and em-dashed words: wider than a line
        // as a whole, but never wider between two of their own breaks.
        let url: String = (0..80).map(|i| format!("seg{i}/")).collect();
        let dashes = "word\u{2014}".repeat(60);
        for text in [url, dashes] {
            let (emergency, lines, overfull) = set(&[Inline::Text(text.clone())]);
            assert!(!emergency, "{text}");
            assert!(!overfull, "{lines:?}");
            assert_eq!(lines.concat(), text);
        }
    }

    #[test]
    fn a_long_word_is_broken_without_a_hyphen() {
        let text = "(".repeat(3_000);
        let (emergency, lines, overfull) = set(&[Inline::Text(text.clone())]);
        assert!(emergency);
        assert!(!overfull);
        assert_eq!(lines.concat(), text);
    }
}

#[cfg(test)]
mod space_tests {
    use super::{Alignment, ParagraphStyle, prepare};
    use crate::layout::linebreak::Item;
    use crate::model::Inline;
    use crate::text::font::{Features, FontSet};
    use crate::text::hyphenate::Hyphenator;
    use crate::text::shape::Shaper;

    /// 11 pt justified text with emphasis set as `emphasis` says.
    fn style(emphasis: super::Emphasis) -> ParagraphStyle {
        ParagraphStyle {
            size: 11.0,
            bold: false,
            italic: false,
            features: Features::Text,
            align: Alignment::Justify,
            first_indent: 0.0,
            hyphenate: true,
            small_caps_words: 0,
            hang_lines: 0,
            hang_width: 0.0,
            emergency_width: 0.0,
            emphasis,
        }
    }

    #[test]
    fn space_after_emphasis_is_glue() {
        let fonts = FontSet::builtin();
        let mut shaper = Shaper::new(&fonts);
        let (hyph, _) = Hyphenator::new("en-US", &[]);
        let style = style(super::Emphasis::Italic);
        let inlines = vec![
            Inline::Text("house: ".into()),
            Inline::Emph(vec![Inline::Text("the end?".into())]),
            Inline::Text(" The theory".into()),
        ];
        let p = prepare(&inlines, &style, &mut shaper, &hyph, super::ItemOptions::PLAIN);
        let glue = p
            .items
            .iter()
            .filter(|i| matches!(i, Item::Glue { width, .. } if *width > 0.0))
            .count();
        assert_eq!(glue, 4, "{:?}", p.items);
    }

    #[test]
    fn emphasis_is_italic_or_bold_as_the_edition_asks() {
        let inlines = [
            Inline::Text("plain ".into()),
            Inline::Emph(vec![Inline::Text("stressed".into())]),
        ];
        let font_of = |emphasis| {
            let style = style(emphasis);
            let mut atoms = Vec::new();
            super::flatten(&inlines, &style, false, false, &mut atoms, &mut [].iter());
            atoms.iter().find(|a| a.text == "stressed").map(|a| a.font)
        };
        use crate::text::font::FontId;
        assert_eq!(
            font_of(super::Emphasis::Italic),
            Some(FontId::for_style(false, true))
        );
        assert_eq!(font_of(super::Emphasis::Bold), Some(FontId::for_style(true, false)));
    }
}
