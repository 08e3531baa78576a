//! The paperback cover's geometry: how thick the spine is for a page count, paper and
//! printer, where the back panel, spine and front panel lie on the one-piece cover, and
//! whether the spine is wide enough to carry text.
//!
//! The figures are the printers' own (`shared/notes/publishing.md`): KDP gives a
//! thickness per page for each paper, and its cover is 2 × trim width + spine + 2 ×
//! 0.125 in bleed wide and trim height + 2 × bleed tall. IngramSpark publishes a cover
//! template generator instead of figures; third-party measures of its papers (about 440
//! white and 430 cream pages to the inch) are used for it.

use crate::layout::page::Rect;
use crate::layout::units::{Pt, TrimSize};

/// The interior's paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paper {
    /// White paper (black-and-white interiors).
    White,
    /// Cream paper (black-and-white interiors).
    Cream,
    /// Colour interiors.
    Colour,
}

/// The printer whose figures are used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Printer {
    /// Amazon KDP.
    Kdp,
    /// IngramSpark.
    Ingram,
}

impl Paper {
    /// The paper named in `book.toml` (checked there).
    pub fn parse(name: &str) -> Paper {
        match name {
            "cream" => Paper::Cream,
            "colour" => Paper::Colour,
            _ => Paper::White,
        }
    }
}

impl Printer {
    /// The printer named in `book.toml` (checked there).
    pub fn parse(name: &str) -> Printer {
        if name == "ingram" { Printer::Ingram } else { Printer::Kdp }
    }
}

/// The thickness of one page (one leaf side) in inches.
///
/// KDP: white 0.002252, cream 0.0025, premium colour 0.002347 (its help page
/// G201953020). Ingram: 1/440 white and 1/430 cream; Ingram's colour interiors print on
/// its white stock, so they get the white figure.
pub fn inches_per_page(paper: Paper, printer: Printer) -> f64 {
    match (printer, paper) {
        (Printer::Kdp, Paper::White) => 0.002252,
        (Printer::Kdp, Paper::Cream) => 0.0025,
        (Printer::Kdp, Paper::Colour) => 0.002347,
        (Printer::Ingram, Paper::White | Paper::Colour) => 1.0 / 440.0,
        (Printer::Ingram, Paper::Cream) => 1.0 / 430.0,
    }
}

/// Bleed on every outer edge of the cover, as both printers ask.
pub const BLEED: Pt = Pt::inches(0.125);

/// The fewest pages whose spine may carry text: KDP allows spine text only on books of
/// more than 79 pages (its Cover Creator, from 80). Ingram publishes no figure, so the
/// same rule is used for it.
pub const SPINE_TEXT_PAGES: usize = 80;

/// The clear space spine text keeps from each fold (KDP: 0.0625 in), since the fold may
/// land up to that far from where it is meant to.
pub const FOLD_SAFETY: Pt = Pt::inches(0.0625);

/// The clear space other cover text keeps from the trim and from the folds: the
/// printers' 0.125 in safety zone.
pub const SAFETY: Pt = Pt::inches(0.125);

/// The barcode area KDP keeps on the back cover: 2 × 1.2 in.
pub const BARCODE: (Pt, Pt) = (Pt::inches(2.0), Pt::inches(1.2));

/// How far the barcode area sits from the back panel's right edge (the spine fold) and
/// its bottom trim, as in KDP's template.
pub const BARCODE_INSET: Pt = Pt::inches(0.25);

/// The one-piece cover's geometry, in points from its top-left corner (bleed included).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Wrap {
    /// The book's trim size (one panel).
    pub trim: TrimSize,
    /// The spine's width.
    pub spine: Pt,
    /// The interior's page count the spine was measured for.
    pub pages: usize,
}

impl Wrap {
    /// The cover of a `pages`-page book of `trim` on `paper` from `printer`.
    pub fn new(trim: TrimSize, pages: usize, paper: Paper, printer: Printer) -> Wrap {
        let spine = Pt::inches(pages as f64 * inches_per_page(paper, printer));
        Wrap { trim, spine, pages }
    }

    /// The media box's width: 2 × trim width + spine + 2 × bleed.
    pub fn width(&self) -> Pt {
        self.trim.width * 2.0 + self.spine + BLEED * 2.0
    }

    /// The media box's height: trim height + 2 × bleed.
    pub fn height(&self) -> Pt {
        self.trim.height + BLEED * 2.0
    }

    /// The trimmed cover: the media box less the bleed.
    pub fn trim_box(&self) -> Rect {
        Rect {
            x: BLEED,
            y: BLEED,
            width: self.width() - BLEED * 2.0,
            height: self.trim.height,
        }
    }

    /// The back panel, trimmed (it is on the left of a cover laid flat, outside up).
    pub fn back(&self) -> Rect {
        Rect { x: BLEED, y: BLEED, width: self.trim.width, height: self.trim.height }
    }

    /// The spine, fold to fold.
    pub fn spine_rect(&self) -> Rect {
        Rect {
            x: BLEED + self.trim.width,
            y: BLEED,
            width: self.spine,
            height: self.trim.height,
        }
    }

    /// The front panel, trimmed.
    pub fn front(&self) -> Rect {
        Rect {
            x: BLEED + self.trim.width + self.spine,
            y: BLEED,
            width: self.trim.width,
            height: self.trim.height,
        }
    }

    /// The front panel with its bleed on the top, outer and bottom edges: what a cover
    /// image must cover.
    pub fn front_with_bleed(&self) -> Rect {
        let front = self.front();
        Rect {
            x: front.x,
            y: Pt::ZERO,
            width: front.width + BLEED,
            height: self.height(),
        }
    }

    /// Whether the spine may carry text.
    pub fn spine_has_text(&self) -> bool {
        self.pages >= SPINE_TEXT_PAGES && self.spine > FOLD_SAFETY * 2.0
    }

    /// The white box kept clear for the barcode: bottom right of the back panel.
    pub fn barcode(&self) -> Rect {
        let back = self.back();
        let (width, height) = BARCODE;
        Rect {
            x: back.x + back.width - BARCODE_INSET - width,
            y: back.y + back.height - BARCODE_INSET - height,
            width,
            height,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Paper, Printer, Wrap};
    use crate::layout::units::{Pt, TrimSize};

    /// publishing.md's worked example: 300 pages, 6 × 9 in, white → spine 0.6756 in,
    /// cover 12.926 × 9.25 in.
    #[test]
    fn the_worked_example() {
        let trim = TrimSize { width: Pt::inches(6.0), height: Pt::inches(9.0) };
        let wrap = Wrap::new(trim, 300, Paper::White, Printer::Kdp);
        assert!((wrap.spine.0 / 72.0 - 0.6756).abs() < 1e-9);
        assert!((wrap.width().0 / 72.0 - 12.9256).abs() < 1e-9);
        assert!((wrap.height().0 / 72.0 - 9.25).abs() < 1e-9);
        assert!(wrap.spine_has_text());
        let thin = Wrap::new(trim, 79, Paper::White, Printer::Kdp);
        assert!(!thin.spine_has_text());
        let cream = Wrap::new(trim, 300, Paper::Cream, Printer::Kdp);
        assert!((cream.spine.0 / 72.0 - 0.75).abs() < 1e-9);
        let ingram = Wrap::new(trim, 440, Paper::White, Printer::Ingram);
        assert!((ingram.spine.0 / 72.0 - 1.0).abs() < 1e-9);
        // The panels tile the trimmed cover from left to right.
        let (back, spine, front) = (wrap.back(), wrap.spine_rect(), wrap.front());
        assert_eq!(back.x + back.width, spine.x);
        assert_eq!(spine.x + spine.width, front.x);
        let barcode = wrap.barcode();
        assert!(barcode.x > back.x && barcode.x + barcode.width < spine.x);
    }
}
