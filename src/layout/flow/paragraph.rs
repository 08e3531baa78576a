//! Paragraphs of running text: the lead-in and drop cap that open an essay, paragraph
//! numbering for widow and orphan rules, and setting a paragraph again on request.

use super::{
    ChapterFlow, Flow, FlowItem, FlowLine, Frame, LineKind, ParPos, ParagraphSource,
};
use super::{display_line, flow_line, may_break_after};
use crate::layout::items::{Alignment, ParagraphStyle};
use crate::layout::line::Line;
use crate::layout::linebreak::LOOSENESS_ITEM_LIMIT;
use crate::layout::page::TextRun;
use crate::layout::style::EditionKind;
use crate::layout::units::Pt;
use crate::model::{Chapter, Inline};
use crate::text::font::{Features, FontId};

/// Words of an essay's first paragraph set in small capitals.
const LEAD_IN_WORDS: usize = 3;
/// Lines a drop cap spans.
const DROP_CAP_LINES: usize = 2;
/// Cap height of Linux Libertine, in em, to size a drop cap so it aligns with the text.
const CAP_HEIGHT_EM: f64 = 0.65;

impl<'a, 'f> Flow<'a, 'f> {
    /// A paragraph of running text. The first paragraph after an essay's opener leads in
    /// with small capitals (and a drop cap when the edition asks for one); a top-level
    /// paragraph is remembered so pagination can set it again.
    pub(super) fn paragraph(
        &mut self,
        content: &[Inline],
        line: usize,
        frame: Frame,
        items: &mut Vec<FlowItem>,
        first: bool,
        chapter: &Chapter,
    ) {
        let top_level = frame.depth == 0;
        let indent = !first;
        let mut style = ParagraphStyle {
            italic: frame.italic,
            ..self.text_style(Alignment::Justify, indent)
        };
        let opening = first
            && top_level
            && items_are_opener(items)
            && self.style.kind == EditionKind::Book;
        if opening {
            style.small_caps_words = LEAD_IN_WORDS;
        }
        let drop =
            if opening && self.style.drop_caps { self.drop_cap(content) } else { None };
        let unit = self.at.clone();
        self.unit = Some(unit.clone());
        let lines = match drop {
            Some((initial, rest, width)) => {
                style.hang_lines = DROP_CAP_LINES;
                style.hang_width = width.0;
                let mut lines = self.set(&rest, &style, frame, &chapter.source, line);
                // When the initial is a whole word ("I", "A"), the rest counts one word
                // fewer than the paragraph: the lines after the first begin a word later.
                let shift = usize::from(starts_with_gap(&rest));
                for (i, set) in lines.iter_mut().enumerate() {
                    if let Some(source) = &mut set.source {
                        source.word = if i == 0 { 0 } else { source.word + shift };
                    }
                }
                if let Some(first_line) = lines.first_mut() {
                    for mut run in initial {
                        run.x += frame.left;
                        first_line.runs.insert(0, run);
                    }
                }
                lines
            }
            None => self.set(content, &style, frame, &chapter.source, line),
        };
        self.unit = None;
        let start = items.len();
        let id = self.next_par;
        items.extend(self.paragraph_lines(lines, LineKind::Body, 1));
        if top_level {
            self.sources.push(ParagraphSource {
                start,
                len: items.len() - start,
                id,
                inlines: content.to_vec(),
                style,
                frame,
                line,
                keep_with_next: false,
                unit: Some(unit),
            });
        }
    }

    /// Splits an essay's first letter (with any opening quote) off `content` and sets it
    /// as a drop cap spanning [`DROP_CAP_LINES`] lines: its runs (relative to the first
    /// line), the rest of the paragraph, and the room the initial needs.
    fn drop_cap(
        &mut self,
        content: &[Inline],
    ) -> Option<(Vec<TextRun>, Vec<Inline>, Pt)> {
        let Some(Inline::Text(first)) = content.first() else { return None };
        let split = first
            .char_indices()
            .find(|(_, c)| c.is_alphanumeric())
            .map(|(i, c)| i + c.len_utf8())?;
        let (initial, rest) = first.split_at(split);
        // The initial's cap height spans from the first line's cap height to the baseline
        // of the last dropped line.
        let leading = self.style.leading.0;
        let size = self.style.size.0;
        let cap = size * CAP_HEIGHT_EM;
        let drop_size = (leading * (DROP_CAP_LINES - 1) as f64 + cap) / CAP_HEIGHT_EM;
        let (mut runs, width) = display_line(
            &mut self.shaper,
            initial,
            FontId::REGULAR,
            drop_size,
            Features::Lining,
        );
        for run in &mut runs {
            run.y += Pt(leading * (DROP_CAP_LINES - 1) as f64);
        }
        let mut rest_inlines = Vec::with_capacity(content.len());
        if !rest.is_empty() {
            rest_inlines.push(Inline::Text(rest.to_string()));
        }
        rest_inlines.extend(content[1..].iter().cloned());
        Some((runs, rest_inlines, width + Pt(size * 0.2)))
    }

    /// How many paragraphs this flow has numbered (ids run from 0 to one less).
    pub fn paragraphs_numbered(&self) -> u64 {
        self.next_par
    }

    /// Sets top-level paragraph `index` of `flow` again, `looseness` lines longer (or
    /// shorter) than its optimum, and splices the new lines in. Returns whether its line
    /// count changed. Looseness 0 restores the optimum.
    pub fn reset_paragraph(
        &mut self,
        flow: &mut ChapterFlow,
        index: usize,
        looseness: i32,
    ) -> bool {
        let Some(src) = flow.paragraphs.get(index).cloned() else { return false };
        // Each line ends at an item of its own, so a paragraph of more lines than that
        // has more items than the breaker honours looseness for: setting it again (a
        // megabyte, perhaps) would only give the same lines back.
        if looseness != 0 && src.len > LOOSENESS_ITEM_LIMIT {
            return false;
        }
        let source = std::mem::take(&mut self.source);
        self.unit = src.unit.clone();
        let lines = self.set_loose(
            &src.inlines,
            &src.style,
            src.frame,
            &source,
            src.line,
            looseness,
        );
        self.unit = None;
        self.source = source;
        if lines.len() == src.len && looseness != 0 {
            return false;
        }
        // A spread is not worth a loose paragraph: a new shape that stretches a line past
        // tolerance (or past what the optimum already had to) is refused.
        if looseness != 0 {
            let before = flow.items[src.start..src.start + src.len]
                .iter()
                .filter_map(|item| match item {
                    FlowItem::Line(line) => Some(line.ratio),
                    _ => None,
                })
                .fold(0.0, f64::max);
            let after = lines.iter().map(|line| line.ratio).fold(0.0, f64::max);
            if after > before.max(self.style.breaking.max_ratio()) {
                return false;
            }
            // Nor worth ending the paragraph on the tail of a broken word.
            let ends_on_tail = lines.len() >= 2 && lines[lines.len() - 2].hyphenated;
            if ends_on_tail {
                return false;
            }
        }
        let mut new_items = self.lines_with_id(lines, LineKind::Body, 1, src.id);
        if src.keep_with_next {
            keep_last(&mut new_items);
        }
        let new_len = new_items.len();
        flow.items.splice(src.start..src.start + src.len, new_items);
        let shift = new_len as isize - src.len as isize;
        for later in flow.paragraphs.iter_mut().skip(index + 1) {
            later.start = (later.start as isize + shift) as usize;
        }
        flow.paragraphs[index].len = new_len;
        shift != 0
    }

    /// Keeps the paragraph just set (the last of `items`) with what follows: no page
    /// may end after its last line, now or when it is set again.
    pub(super) fn keep_with_next(&mut self, items: &mut [FlowItem]) {
        keep_last(items);
        if let Some(src) = self.sources.last_mut()
            && src.start + src.len == items.len()
        {
            src.keep_with_next = true;
        }
    }

    /// Wraps set lines as flow lines of one paragraph, with widow and orphan rules.
    pub(super) fn paragraph_lines(
        &mut self,
        lines: Vec<Line>,
        kind: LineKind,
        slots: usize,
    ) -> Vec<FlowItem> {
        let id = self.next_par;
        self.next_par += 1;
        self.lines_with_id(lines, kind, slots, id)
    }

    /// [`Self::paragraph_lines`] for a paragraph whose id is already known.
    fn lines_with_id(
        &mut self,
        lines: Vec<Line>,
        kind: LineKind,
        slots: usize,
        id: u64,
    ) -> Vec<FlowItem> {
        let count = lines.len();
        lines
            .into_iter()
            .enumerate()
            .map(|(i, line)| {
                let index = i + 1;
                let break_after = may_break_after(index, count);
                FlowItem::Line(FlowLine {
                    break_after: break_after && kind == LineKind::Body,
                    par: (kind == LineKind::Body).then_some(ParPos { id, index, count }),
                    ..flow_line(line, kind, slots)
                })
            })
            .collect()
    }
}

/// No page may end after the last of `items`, if it is a line.
fn keep_last(items: &mut [FlowItem]) {
    if let Some(FlowItem::Line(last)) = items.last_mut() {
        last.break_after = false;
    }
}

/// True while only the opener has been emitted (so the next paragraph opens the essay).
fn items_are_opener(items: &[FlowItem]) -> bool {
    items.iter().all(|i| match i {
        FlowItem::Space { .. } => true,
        FlowItem::Line(l) => l.kind == LineKind::Heading,
        FlowItem::Figure(_) => false,
    })
}

/// Whether inline text begins between words (a space, a hard line break): then the
/// drop cap before it was a word of its own.
fn starts_with_gap(inlines: &[Inline]) -> bool {
    match inlines.first() {
        None | Some(Inline::LineBreak) => true,
        Some(Inline::Text(t) | Inline::Code(t)) => {
            t.chars().next().is_none_or(crate::pages::is_word_gap)
        }
        Some(Inline::NoteRef(_)) => false,
        Some(nested) => nested.children().is_some_and(starts_with_gap),
    }
}
