//! Lists and reflection questions: labels hung in the indent, and on handouts the ruled
//! writing lines under each question.

use super::{
    BLOCK_INDENT_EM, Flow, FlowItem, FlowLine, Frame, LineKind, Underrule, push_gap,
};
use crate::layout::items::{Alignment, ParagraphStyle};
use crate::layout::style::EditionKind;
use crate::layout::units::Pt;
use crate::model::{Block, Chapter, Inline};
use crate::text::font::Features;

/// How far below the baseline a writing line is ruled: just under the descenders of
/// handwriting sitting on it.
const WRITING_RULE_DROP: Pt = Pt(1.5);

impl<'a, 'f> Flow<'a, 'f> {
    /// A bulleted or numbered list: each item's first paragraph hung on its label, the
    /// rest of the item set at the item's indent. A loose list (CommonMark's: its items
    /// are separated by blank lines) has a blank grid slot between its items, as between
    /// paragraphs of other kinds of block; a tight one none.
    pub(super) fn list(
        &mut self,
        start: Option<u64>,
        tight: bool,
        list_items: &[Vec<Block>],
        frame: Frame,
        items: &mut Vec<FlowItem>,
        chapter: &Chapter,
    ) {
        let top_level = frame.depth == 0;
        let indent = self.style.size * BLOCK_INDENT_EM;
        if top_level {
            push_gap(items);
        }
        for (i, item) in list_items.iter().enumerate() {
            if i > 0 && !tight {
                push_gap(items);
            }
            let label = match start {
                Some(s) => format!("{}.", s + i as u64),
                None => "•".to_string(),
            };
            self.at.push(super::index_u32(i));
            self.item(&label, item, frame, indent, items, chapter);
            self.at.pop();
        }
        if top_level {
            push_gap(items);
        }
    }

    /// One list item at `self.at`: its first paragraph hung on `label`, the rest of its
    /// blocks set at the item's indent (a label with no paragraph to hang on gets a line
    /// of its own).
    fn item(
        &mut self,
        label: &str,
        item: &[Block],
        frame: Frame,
        indent: Pt,
        items: &mut Vec<FlowItem>,
        chapter: &Chapter,
    ) {
        let rest = match item.split_first() {
            Some((Block::Paragraph { content, line }, rest)) => {
                self.at.push(0);
                self.unit = Some(self.at.clone());
                let at = (*line, chapter.source.as_path());
                items.extend(self.list_item(label, content, frame, indent, at));
                self.unit = None;
                self.at.pop();
                rest
            }
            _ => {
                let at = (0, chapter.source.as_path());
                items.extend(self.list_item(label, &[], frame, indent, at));
                item
            }
        };
        let skipped = item.len() - rest.len();
        let inner = Frame {
            left: frame.left + indent,
            measure: frame.measure - indent,
            depth: frame.depth + 1,
            ..frame
        };
        let mut inner_first = false;
        for (j, block) in rest.iter().enumerate() {
            self.at.push(super::index_u32(j + skipped));
            self.block(block, inner, items, &mut inner_first, chapter);
            self.at.pop();
        }
    }

    /// Handout and book reflection questions: numbered, each with every block the author
    /// wrote under it; on handouts each is followed by ruled writing lines, kept together
    /// with the whole question.
    pub(super) fn questions(
        &mut self,
        questions: &[Vec<Block>],
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
            self.at = vec![crate::pages::QUESTION, super::index_u32(i)];
            let mut question = Vec::new();
            self.item(&format!("{}.", i + 1), q, frame, indent, &mut question, chapter);
            if writing > 0 {
                // A question is kept whole with its writing lines, unless it is longer
                // than half a page: then only its last line is.
                let slots: usize = question.iter().map(FlowItem::slots).sum();
                let keep = if slots * 2 > self.style.lines_per_page() {
                    question.len().saturating_sub(1)
                } else {
                    0
                };
                for item in question.iter_mut().skip(keep) {
                    match item {
                        FlowItem::Line(l) => l.break_after = false,
                        FlowItem::Space { break_after, .. } => *break_after = false,
                        _ => {}
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
                        link: None,
                        anchor: None,
                        tint: None,
                        source: None,
                        at_line: 0,
                    }));
                }
                push_gap(items);
            } else {
                items.extend(question);
            }
        }
        self.at.clear();
    }

    /// One list item: the label hung in the indent, the text set at the narrower measure.
    fn list_item(
        &mut self,
        label: &str,
        content: &[Inline],
        frame: Frame,
        indent: Pt,
        (line, source): (usize, &std::path::Path),
    ) -> Vec<FlowItem> {
        let inner =
            Frame { left: frame.left + indent, measure: frame.measure - indent, ..frame };
        let style = ParagraphStyle {
            italic: frame.italic,
            ..self.text_style(Alignment::Justify, false)
        };
        let mut lines = self.set(content, &style, inner, source, line);
        let label_style = ParagraphStyle {
            features: Features::Lining,
            ..self.text_style(Alignment::Left, false)
        };
        let unit = self.unit.take();
        let label_lines = self.set(
            &[Inline::Text(label.to_string())],
            &label_style,
            frame,
            source,
            line,
        );
        self.unit = unit;
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
}
