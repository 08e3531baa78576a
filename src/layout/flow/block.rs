//! The block dispatcher: hands each block of a chapter to the code that sets its kind, and
//! sets the small ones (headings, quotes, code, scene breaks) itself.

use super::{BLOCK_INDENT_EM, Flow, FlowItem, Frame, LineKind, keep_lines, push_gap};
use crate::error::Location;
use crate::layout::items::{Alignment, ParagraphStyle};
use crate::model::{Block, Chapter};
use crate::text::font::Features;

/// A section heading's baseline sits this many leadings above its grid slot.
const HEADING_RAISE: f64 = 0.3;
/// Size of the scene-break ornament relative to the text.
const ORNAMENT_SCALE: f64 = 1.4;
/// The ornament that marks a scene break.
const ORNAMENT: &str = "⁂";
/// Grid slots a scene break takes.
const ORNAMENT_SLOTS: usize = 2;

/// A paragraph ending in a colon right before a code block ("as follows:") introduces
/// it: its last line stays on the page of the block's first lines.
fn introduces_code(block: &Block, next: Option<&Block>) -> bool {
    matches!(next, Some(Block::Code { .. }))
        && matches!(block, Block::Paragraph { content, .. }
            if crate::model::plain_text(content).ends_with(':'))
}

impl<'a, 'f> Flow<'a, 'f> {
    pub(super) fn blocks(
        &mut self,
        blocks: &[Block],
        frame: Frame,
        items: &mut Vec<FlowItem>,
        first: &mut bool,
        chapter: &Chapter,
    ) {
        for (i, block) in blocks.iter().enumerate() {
            self.at.push(super::index_u32(i));
            self.block(block, frame, items, first, chapter);
            self.at.pop();
            if introduces_code(block, blocks.get(i + 1)) {
                self.keep_with_next(items);
            }
        }
    }

    pub(super) fn block(
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
                self.paragraph(content, *line, frame, items, *first, chapter);
                *first = false;
            }
            Block::Heading { content, line, id, .. } => {
                push_gap(items);
                let style = ParagraphStyle {
                    italic: true,
                    hyphenate: false,
                    ..self.text_style(Alignment::Center, false)
                };
                self.unit = Some(self.at.clone());
                let mut lines = self.set(content, &style, frame, &chapter.source, *line);
                self.unit = None;
                // Raise the heading a little off the text it introduces, staying on the grid.
                for line in &mut lines {
                    for run in &mut line.runs {
                        run.y -= self.style.leading * HEADING_RAISE;
                    }
                }
                let from = items.len();
                items.extend(keep_lines(lines, LineKind::Heading, 1));
                if let Some(FlowItem::Line(first_line)) = items.get_mut(from) {
                    first_line.anchor =
                        Some(crate::layout::items::link_key(&chapter.slug, Some(id)));
                }
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
            Block::List { start, items: list_items, tight } => {
                self.list(*start, *tight, list_items, frame, items, chapter);
                *first = true;
            }
            Block::Code { text, line, .. } => {
                let unit = self.at.clone();
                self.code_block(text, *line, frame, items, unit);
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
                self.unit = Some(self.at.clone());
                self.figure(src, caption, *pixels, at, frame, items, chapter);
                self.unit = None;
                *first = true;
            }
            Block::Table { align, header, rows, line } => {
                self.table(align, header, rows, frame, items, (*line, &chapter.source));
                *first = true;
            }
            Block::Definitions { items: definitions, line } => {
                // Each term in bold, its definitions indented below it.
                if top_level {
                    push_gap(items);
                }
                let indent = self.style.size * BLOCK_INDENT_EM;
                let term_frame = Frame { depth: frame.depth + 1, ..frame };
                let inner = Frame {
                    left: frame.left + indent,
                    measure: frame.measure - indent,
                    depth: frame.depth + 1,
                    ..frame
                };
                for (t, (term, blocks)) in definitions.iter().enumerate() {
                    self.at.push(super::index_u32(t));
                    let term = [crate::model::Inline::Strong(term.clone())];
                    self.at.push(0);
                    self.paragraph(&term, *line, term_frame, items, true, chapter);
                    self.at.pop();
                    for (d, definition) in blocks.iter().enumerate() {
                        self.at.push(super::index_u32(d).saturating_add(1));
                        let mut inner_first = true;
                        self.blocks(definition, inner, items, &mut inner_first, chapter);
                        self.at.pop();
                    }
                    self.at.pop();
                }
                if top_level {
                    push_gap(items);
                }
                *first = true;
            }
        }
    }
}
