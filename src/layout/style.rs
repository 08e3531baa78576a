//! The resolved settings of one print edition (the paperback, or the handouts): page size
//! and margins, type sizes, and the line breaker's costs. Built once by the orchestrator
//! from `book.toml`; every layout phase reads only this.

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
    /// Footnotes or endnotes.
    pub notes: NotePlacement,
    /// Two-line drop cap at each essay opening.
    pub drop_caps: bool,
    /// Ruled writing lines after each reflection question (handouts).
    pub writing_lines: u32,
    /// Footer permission line (handouts).
    pub permission: Option<String>,
    /// Heading of endnotes, in the book's language.
    pub notes_heading: String,
    /// Dot leaders between a contents entry and its page number.
    pub contents_leaders: bool,
}

impl PrintStyle {
    /// Lines of body text a page holds.
    pub fn lines_per_page(&self) -> usize {
        ((self.trim.height - self.top - self.bottom).0 / self.leading.0).floor().max(4.0)
            as usize
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
    use super::kdp_gutter;
    use crate::layout::units::Pt;

    #[test]
    fn gutter_follows_kdp_table() {
        assert_eq!(kdp_gutter(150), Pt::inches(0.375));
        assert_eq!(kdp_gutter(151), Pt::inches(0.5));
        assert_eq!(kdp_gutter(301), Pt::inches(0.625));
        assert_eq!(kdp_gutter(828), Pt::inches(0.875));
    }
}
