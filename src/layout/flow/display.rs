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

    /// [`Self::display`] of the text unit at `unit` in the chapter (a dedication's
    /// paragraph): its lines say where they begin in it.
    pub fn display_at(
        &mut self,
        unit: crate::pages::TextPath,
        inlines: &[Inline],
        size: Pt,
        italic: bool,
        align: Alignment,
        features: Features,
    ) -> Vec<Line> {
        self.unit = Some(unit);
        let lines = self.display(inlines, size, italic, align, features);
        self.unit = None;
        lines
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
        // Where each glyph's cluster ends (the next cluster's start), in one pass from the
        // end: a cluster can hold thousands of glyphs (a letter under as many accents), and
        // looking ahead from each of them made a running head of one quadratic.
        let mut ends = vec![shaped.text.len() as u32; shaped.glyphs.len()];
        for k in (0..shaped.glyphs.len().saturating_sub(1)).rev() {
            let next = &shaped.glyphs[k + 1];
            ends[k] = if next.cluster != shaped.glyphs[k].cluster {
                next.cluster
            } else {
                ends[k + 1]
            };
        }
        let glyphs = shaped
            .glyphs
            .iter()
            .enumerate()
            .map(|(k, g)| {
                let next = ends[k];
                let starts = k == 0 || shaped.glyphs[k - 1].cluster != g.cluster;
                let range =
                    if starts { (g.cluster, next) } else { (g.cluster, g.cluster) };
                crate::layout::page::Glyph { id: g.id, advance: g.advance, text: range }
            })
            .collect();
        runs.push(TextRun {
            stretch: 1.0,
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

#[cfg(test)]
mod tests {
    use super::display_line;
    use crate::text::font::{Features, FontId, FontSet};
    use crate::text::shape::Shaper;

    /// Each glyph maps to the text of its cluster when it starts one, to nothing when it
    /// follows another glyph of the same cluster: the PDF's text layer copies that text.
    #[test]
    fn glyphs_carry_the_text_of_their_cluster_once() {
        let fonts = FontSet::builtin();
        let mut shaper = Shaper::new(&fonts);
        // A letter under many accents is one cluster of many glyphs.
        let text = format!("aq{}b", "\u{301}".repeat(500));
        let (runs, _) =
            display_line(&mut shaper, &text, FontId::REGULAR, 10.0, Features::Text);
        let glyphs: Vec<_> = runs.iter().flat_map(|r| &r.glyphs).collect();
        assert_eq!(glyphs.len(), 503, "{:?}", &glyphs[..4]);
        let q_end = text.len() as u32 - 1;
        assert_eq!(glyphs[0].text, (0, 1));
        assert_eq!(glyphs[1].text, (1, q_end));
        assert!(glyphs[2..502].iter().all(|g| g.text == (1, 1)));
        assert_eq!(glyphs[502].text, (q_end, q_end + 1));
    }
}
