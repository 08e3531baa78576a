//! The resolved settings of one print edition (the paperback, or the handouts): page size
//! and margins, type sizes, and the line breaker's costs. Built once by the orchestrator
//! from `book.toml`; every layout phase reads only this.

pub use super::items::Emphasis;
use super::linebreak::BreakParams;
use super::units::{Pt, TrimSize};

/// Where footnotes go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotePlacement {
    /// At the foot of the page that cites them.
    Footnotes,
    /// Gathered at the end of each essay.
    Endnotes,
}

/// What kind of edition is being set; decides the page make-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditionKind {
    /// The book: front matter, openers on rectos, running heads, mirrored margins.
    Book,
    /// A handout: one essay, a title block, "page X of Y", writing lines.
    Handout,
}

/// Settings of a print edition.
#[derive(Debug, Clone)]
pub struct PrintStyle {
    /// Book or handout make-up.
    pub kind: EditionKind,
    /// The trimmed page.
    pub trim: TrimSize,
    /// Bleed added on the outside, top and bottom edges (0 when off).
    pub bleed: Pt,
    /// Margin above the text block (running heads sit inside it).
    pub top: Pt,
    /// Margin below the text block (folios sit inside it).
    pub bottom: Pt,
    /// Outside margin.
    pub outside: Pt,
    /// Inside margin (gutter side), before any page-count adjustment.
    pub inside: Pt,
    /// Body type size.
    pub size: Pt,
    /// Baseline-to-baseline distance of the body grid.
    pub leading: Pt,
    /// Footnote type size.
    pub note_size: Pt,
    /// Footnote leading.
    pub note_leading: Pt,
    /// Paragraph first-line indent.
    pub indent: Pt,
    /// Hyphenate words.
    pub hyphenate: bool,
    /// The line breaker's costs.
    pub breaking: BreakParams,
    /// Cost of a hyphenation break.
    pub hyphen_penalty: f64,
    /// Hang punctuation into the margins of justified text.
    pub protrusion: bool,
    /// Footnotes or endnotes.
    pub notes: NotePlacement,
    /// Two-line drop cap at each essay opening.
    pub drop_caps: bool,
    /// Ruled writing lines after each reflection question (handouts).
    pub writing_lines: u32,
    /// Footer permission line (handouts).
    pub permission: Option<String>,
    /// A fillable text field over each question's writing lines (handouts).
    pub fillable: bool,
    /// Heading of endnotes, in the book's language.
    pub notes_heading: String,
    /// Dot leaders between a contents entry and its page number.
    pub contents_leaders: bool,
    /// " (p. 42)" after each cross-reference in the book.
    pub page_references: bool,
    /// Justified text; `false` sets body text ranged left (large print).
    pub justify: bool,
    /// How emphasis is set.
    pub emphasis: Emphasis,
    /// Words with their only allowed breaks (`man-u-script`).
    pub hyphenation_exceptions: Vec<String>,
    /// Write bookmarks and link annotations (KDP's profile rejects them).
    pub navigation: bool,
    /// Embed fonts whole instead of subsetting them.
    pub full_fonts: bool,
}

impl PrintStyle {
    /// Lines of body text a page holds.
    pub fn lines_per_page(&self) -> usize {
        lines_in(self.trim.height - self.top - self.bottom, self.leading).max(4)
    }

    /// Height of the text block: whole lines of the grid.
    pub fn body_height(&self) -> Pt {
        self.leading * self.lines_per_page() as f64
    }

    /// The same settings with body type of `size` on `leading`; footnotes are scaled to
    /// match (9 on 11.5 for 11 on 14.5) and the indent is one em.
    pub fn with_type(mut self, size: Pt, leading: Pt) -> Self {
        self.size = size;
        self.leading = leading;
        self.note_size = size * NOTE_SIZE_RATIO;
        self.note_leading = leading * NOTE_LEADING_RATIO;
        self.indent = size;
        self
    }

    /// The same settings with new margins; `sides` is both the inside and outside one.
    pub fn with_margins(mut self, top: Pt, bottom: Pt, sides: Pt) -> Self {
        self.top = top;
        self.bottom = bottom;
        self.inside = sides;
        self.outside = sides;
        self
    }

    /// Width of the text block with a given inside margin.
    pub fn measure(&self, inside: Pt) -> Pt {
        self.trim.width - inside - self.outside
    }
}

/// Whole lines of `leading` in `height` (0 when none fits or a value is not a number).
fn lines_in(height: Pt, leading: Pt) -> usize {
    let lines = (height.0 / leading.0).floor();
    // `as` saturates: NaN gives 0, a huge quotient the largest count.
    if lines > 0.0 { lines as usize } else { 0 }
}

/// The paperback's margins, around the text block; the inside one is added to KDP's
/// minimum gutter ([`kdp_gutter`]), which depends on the page count.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Margins {
    /// Above the text block (the running head sits in it).
    pub top: Pt,
    /// Below the text block (the folio sits in it).
    pub bottom: Pt,
    /// On the outside edge.
    pub outside: Pt,
    /// On the gutter side, before KDP's minimum is added.
    pub inside: Pt,
}

/// The paperback's margins for type of up to about 14 pt; see [`Margins::for_type`].
pub const BOOK_MARGINS: Margins = Margins {
    top: Pt::inches(0.75),
    bottom: Pt::inches(0.85),
    outside: Pt::inches(0.625),
    inside: Pt::inches(0.3),
};

/// How far the running head's baseline sits above the text block, in leadings.
pub const HEAD_RAISE: f64 = 1.5;

/// Size of the running head and the folio, relative to the body size.
pub const MARGIN_TYPE_SCALE: f64 = 0.9;

impl Margins {
    /// The paperback's margins for body type of `size` on `leading`: [`BOOK_MARGINS`],
    /// with the top margin grown where large type would push the running head above the
    /// trim, and the bottom one where it would push the folio below it. The head's
    /// baseline is [`HEAD_RAISE`] leadings above the text block, so the top margin holds
    /// that and a whole em of the head's type (its letters rise about 0.9 em); the folio's
    /// baseline is one size and one leading below the grid's last line, so the bottom
    /// margin holds those and 0.3 em of the folio's type (its descenders).
    pub fn for_type(size: Pt, leading: Pt) -> Margins {
        let margin_size = size * MARGIN_TYPE_SCALE;
        let head = leading * HEAD_RAISE + margin_size;
        let folio = size + leading + margin_size * 0.3;
        Margins {
            top: BOOK_MARGINS.top.max(head),
            bottom: BOOK_MARGINS.bottom.max(folio),
            ..BOOK_MARGINS
        }
    }
}

/// Fewest lines of body text a paperback page must hold. An essay opener takes twelve
/// grid slots (a six-line sink, its label, a blank, a two-slot title line and two blank
/// slots), so sixteen leave room for the first lines of the essay on its opening page,
/// and for the title page's title, author and publisher to stay apart.
pub const MIN_BOOK_LINES: usize = 16;

/// Narrowest paperback measure, in ems of the body type: about 25 characters, four or
/// five words a line, the least that justified text can be set in without every line
/// being stretched or broken inside a word.
pub const MIN_BOOK_MEASURE_EMS: f64 = 12.0;

/// What a paperback trim leaves for text with body type of `size` on `leading`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TextBlock {
    /// Lines of body text a page holds.
    pub lines: usize,
    /// The measure in ems of the body type, with the widest gutter KDP asks for.
    pub ems: f64,
}

impl TextBlock {
    /// The text block of the paperback on `trim`. The widest gutter of KDP's table is
    /// assumed, so that whether a trim is usable does not depend on the page count.
    pub fn of(trim: TrimSize, size: Pt, leading: Pt) -> TextBlock {
        let m = Margins::for_type(size, leading);
        let width = trim.width - m.inside - kdp_gutter(usize::MAX) - m.outside;
        TextBlock {
            lines: lines_in(trim.height - m.top - m.bottom, leading),
            ems: width.0 / size.0,
        }
    }

    /// The rule every paperback trim must meet: at least [`MIN_BOOK_LINES`] lines of at
    /// least [`MIN_BOOK_MEASURE_EMS`] ems.
    pub fn is_usable(&self) -> bool {
        self.lines >= MIN_BOOK_LINES && self.ems >= MIN_BOOK_MEASURE_EMS
    }
}

/// The smallest trim, in whole hundredths of an inch, whose [`TextBlock`] is usable for
/// body type of `size` on `leading` (both positive and finite). Written as
/// `"{w:.2}x{h:.2}in"` and read back, it is the same trim.
pub fn smallest_book_trim(size: Pt, leading: Pt) -> TrimSize {
    let m = Margins::for_type(size, leading);
    let width =
        m.inside + kdp_gutter(usize::MAX) + m.outside + size * MIN_BOOK_MEASURE_EMS;
    let height = m.top + m.bottom + leading * MIN_BOOK_LINES as f64;
    // Up to the next hundredth; a value already on one (within rounding) stays.
    let hundredths = |length: Pt| (length.0 / 72.0 * 100.0 - 1e-6).ceil().max(1.0) as u64;
    let (mut w, mut h) = (hundredths(width), hundredths(height));
    let trim = |w: u64, h: u64| TrimSize {
        width: Pt::inches(w as f64 / 100.0),
        height: Pt::inches(h as f64 / 100.0),
    };
    // Rounding can land a hair short of a whole line or em: step up until it does not
    // (once at most for sizes a configuration allows; bounded for any input).
    for _ in 0..100 {
        let block = TextBlock::of(trim(w, h), size, leading);
        if block.lines < MIN_BOOK_LINES {
            h += 1;
        } else if block.ems < MIN_BOOK_MEASURE_EMS {
            w += 1;
        } else {
            break;
        }
    }
    trim(w, h)
}

/// Footnote size relative to the body: 9 pt notes under 11 pt text.
pub const NOTE_SIZE_RATIO: f64 = 9.0 / 11.0;
/// Footnote leading relative to the body's: 11.5 pt under 14.5 pt.
pub const NOTE_LEADING_RATIO: f64 = 11.5 / 14.5;

/// KDP's minimum inside margin for a page count (24–150 pp 0.375 in, up to 828 pp 0.875 in).
pub fn kdp_gutter(pages: usize) -> Pt {
    let inches = match pages {
        0..=150 => 0.375,
        151..=300 => 0.5,
        301..=500 => 0.625,
        501..=700 => 0.75,
        _ => 0.875,
    };
    Pt::inches(inches)
}

#[cfg(test)]
mod tests {
    use super::{
        BOOK_MARGINS, MIN_BOOK_LINES, Margins, TextBlock, kdp_gutter, smallest_book_trim,
    };
    use crate::layout::units::{Pt, TrimSize};

    #[test]
    fn smallest_trim_is_usable_and_a_hundredth_less_is_not() {
        for (size, leading) in [(11.0, 14.5), (6.0, 6.0), (24.0, 48.0), (9.5, 13.0)] {
            let (size, leading) = (Pt(size), Pt(leading));
            let trim = smallest_book_trim(size, leading);
            let (w, h) = (trim.width.0 / 72.0, trim.height.0 / 72.0);
            let usable = |w: f64, h: f64| {
                let written = TrimSize::parse(&format!("{w:.2}x{h:.2}in")).unwrap();
                TextBlock::of(written, size, leading).is_usable()
            };
            assert!(usable(w, h), "{trim:?}");
            assert!(!usable(w - 0.01, h), "{trim:?}");
            assert!(!usable(w, h - 0.01), "{trim:?}");
        }
        // Every preset sets the default type.
        let block =
            TextBlock::of(TrimSize::parse("b-format").unwrap(), Pt(11.0), Pt(14.5));
        assert!(block.is_usable() && block.lines > MIN_BOOK_LINES, "{block:?}");
    }

    #[test]
    fn margins_grow_only_for_large_type() {
        assert_eq!(Margins::for_type(Pt(11.0), Pt(14.5)), BOOK_MARGINS);
        assert_eq!(Margins::for_type(Pt(6.0), Pt(20.0)), BOOK_MARGINS);
        let large = Margins::for_type(Pt(24.0), Pt(30.0));
        // 1.5 leadings and one em of 21.6 pt head type above the text block.
        assert_eq!(large.top, Pt(30.0 * 1.5 + 24.0 * 0.9));
        assert_eq!(large.bottom, BOOK_MARGINS.bottom);
        let tall = Margins::for_type(Pt(11.0), Pt(48.0));
        assert_eq!(tall.bottom, Pt(11.0 + 48.0 + 11.0 * 0.9 * 0.3));
        assert_eq!(
            (tall.inside, tall.outside),
            (BOOK_MARGINS.inside, BOOK_MARGINS.outside)
        );
    }

    #[test]
    fn text_block_of_nonsense_is_empty_not_a_panic() {
        let tiny = TrimSize { width: Pt(1.0), height: Pt(1.0) };
        let block = TextBlock::of(tiny, Pt(11.0), Pt(14.5));
        assert_eq!(block.lines, 0);
        assert!(!block.is_usable());
        assert_eq!(TextBlock::of(tiny, Pt(11.0), Pt(f64::NAN)).lines, 0);
    }

    #[test]
    fn gutter_follows_kdp_table() {
        assert_eq!(kdp_gutter(150), Pt::inches(0.375));
        assert_eq!(kdp_gutter(151), Pt::inches(0.5));
        assert_eq!(kdp_gutter(301), Pt::inches(0.625));
        assert_eq!(kdp_gutter(828), Pt::inches(0.875));
    }
}
