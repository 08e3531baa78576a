//! Display matter set outside the running text: title pages, contents, dedications and
//! running heads, for the book make-up.

use super::{Flow, Frame};
use crate::layout::items::{Alignment, ParagraphStyle};
use crate::layout::line::Line;
use crate::layout::page::TextRun;
use crate::layout::units::Pt;
use crate::model::Inline;
use crate::text::font::{Features, FontId};
use crate::text::shape::Shaper;
use std::path::Path;

impl<'a, 'f> Flow<'a, 'f> {
    /// Sets display text (title pages, contents, dedications) across the full measure.
    pub fn display(
        &mut self,
        inlines: &[Inline],
        size: Pt,
        italic: bool,
        align: Alignment,
        features: Features,
    ) -> Vec<Line> {
        let measure = self.measure;
        self.display_in(inlines, size, italic, align, features, measure)
    }

    /// [`Self::display`] at a narrower `measure` (a contents entry beside its numbers).
    pub fn display_in(
        &mut self,
        inlines: &[Inline],
        size: Pt,
        italic: bool,
        align: Alignment,
        features: Features,
        measure: Pt,
    ) -> Vec<Line> {
        let style = ParagraphStyle {
            size: size.0,
            italic,
            features,
            hyphenate: false,
            ..self.text_style(align, false)
        };
        let frame = Frame { left: Pt::ZERO, measure, italic, depth: 0 };
        self.set(inlines, &style, frame, Path::new("book.toml"), 0)
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
                crate::layout::page::Glyph { id: g.id, advance: g.advance, text: range }
            })
            .collect();
        runs.push(TextRun {
            link: None,
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
