//! Footnotes and endnotes: each note set as lines at note size, its number first. Code in
//! a note, inline or a block, is set in the monospace face scaled from the note size as
//! inline code in the text is from the text size.

use super::code::expand_tabs;
use super::{Flow, FlowLine, Frame, LineKind, flow_line};
use crate::layout::items::{Alignment, ParagraphStyle};
use crate::layout::units::Pt;
use crate::model::{Block, Chapter, Inline};

impl<'a, 'f> Flow<'a, 'f> {
    /// A footnote's lines at note size, its number leading the first line.
    pub(super) fn note(
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
            let mut line = 0;
            match block {
                Block::Paragraph { content: c, line: l } => {
                    content.extend(c.iter().cloned());
                    line = *l;
                    // The number joins the first word ("1.\u{2002}The" is one word), so
                    // the words count as in the note's own text.
                    let mut unit = self.at.clone();
                    unit.push(super::index_u32(b));
                    self.unit = Some(unit);
                }
                Block::Code { text, line: l, .. } => {
                    content.extend(code_lines(text));
                    line = *l;
                }
                other => content
                    .push(Inline::Text(crate::model::plain_text(&block_text(other)))),
            }
            let lines = self.set(&content, &style, frame, &chapter.source, line);
            self.unit = None;
            out.extend(lines.into_iter().map(|l| flow_line(l, LineKind::Note, 1)));
        }
        out
    }
}

/// A code block inside a note as inline code, a line break after each of its lines. The
/// note has no room for a block set on the text's grid; its indentation is kept as
/// no-break spaces, so that the lines still line up.
fn code_lines(text: &str) -> Vec<Inline> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push(Inline::LineBreak);
        }
        let line = expand_tabs(line);
        let body = line.trim_start_matches(' ');
        let indent = "\u{a0}".repeat(line.len() - body.len());
        // A blank line keeps its place as one no-break space.
        let text = if body.is_empty() { "\u{a0}".to_string() } else { indent + body };
        out.push(Inline::Code(text));
    }
    out
}

/// Inlines standing for a non-paragraph block inside a note (rare): its plain text.
fn block_text(block: &Block) -> Vec<Inline> {
    let mut chapter_text = String::new();
    let fake = Chapter {
        slug: String::new(),
        kind: crate::model::ChapterKind::Essay,
        number: None,
        label: None,
        number_label: None,
        part: None,
        title: vec![],
        blocks: vec![block.clone()],
        reflection: None,
        notes: vec![],
        handout: false,
        summary: None,
        source: Default::default(),
    };
    fake.plain_text_into(&mut chapter_text);
    vec![Inline::Text(chapter_text.trim().to_string())]
}
