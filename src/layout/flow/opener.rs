//! The top of a chapter: the essay opener (sink, number, title) in the book, the title
//! alone on a handout.

use super::{Flow, FlowItem, Frame, LineKind, keep_lines};
use crate::layout::items::{Alignment, ParagraphStyle};
use crate::layout::units::Pt;
use crate::model::{Chapter, Inline};
use crate::text::font::Features;

/// Size of an essay title on its opening page, relative to the body size.
const TITLE_SCALE: f64 = 1.8;
/// Size of an essay title on a handout, relative to the handout's body size.
const HANDOUT_TITLE_SCALE: f64 = 1.6;
/// Grid slots left blank above an opener's number: the "sink" that marks a new essay.
const OPENER_SINK: usize = 6;

impl<'a, 'f> Flow<'a, 'f> {
    /// The essay opening: a sink, "Essay Three", the title in large type, then space.
    pub(super) fn opener(&mut self, chapter: &Chapter, items: &mut Vec<FlowItem>) {
        let frame =
            Frame { left: Pt::ZERO, measure: self.measure, italic: false, depth: 0 };
        items.push(FlowItem::Space {
            slots: OPENER_SINK,
            discardable: false,
            break_after: false,
        });
        if let Some(label) = &chapter.label {
            let style = ParagraphStyle {
                features: Features::SmallCaps,
                ..self.text_style(Alignment::Center, false)
            };
            // Lower case, so that small capitals set the whole label evenly.
            let label = vec![Inline::Text(label.to_lowercase())];
            self.unit = Some(vec![crate::pages::LABEL]);
            // Generated text: it has no source line of its own (0).
            let lines = self.set(&label, &style, frame, &chapter.source, 0);
            self.unit = None;
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
    pub(super) fn handout_title(&mut self, chapter: &Chapter, items: &mut Vec<FlowItem>) {
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
            self.unit = Some(vec![crate::pages::TITLE]);
            // The model does not keep the title's line (it may come from front matter).
            let lines = self.set(&chapter.title, &style, frame, &chapter.source, 0);
            self.unit = None;
            items.extend(keep_lines(lines, LineKind::Heading, 2));
        }
        items.push(FlowItem::Space { slots: 2, discardable: false, break_after: false });
    }
}
