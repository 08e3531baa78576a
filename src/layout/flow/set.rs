//! Setting inline text as lines at a frame: the one path every paragraph, heading, label
//! and caption goes through, which also reports words too long for the line.

use super::{Flow, Frame};
use crate::error::{Location, Warning};
use crate::layout::book::PageRefs;
use crate::layout::items::{ItemOptions, ParagraphStyle, link_key, prepare};
use crate::layout::line::{Line, set_paragraph};
use crate::model::{Chapter, Inline};
use crate::pages::WordCounter;
use std::path::Path;

impl<'a, 'f> Flow<'a, 'f> {
    /// Sets inlines as lines at `frame`, reporting overfull lines against `source`.
    pub(super) fn set(
        &mut self,
        inlines: &[Inline],
        style: &ParagraphStyle,
        frame: Frame,
        source: &Path,
        line_no: usize,
    ) -> Vec<Line> {
        self.set_loose(inlines, style, frame, source, line_no, 0)
    }

    /// [`Self::set`] for generated text (a label, a code line, an ornament), which has no
    /// source line of its own.
    pub(super) fn set_text(
        &mut self,
        text: &str,
        style: &ParagraphStyle,
        frame: Frame,
        chapter: &Chapter,
    ) -> Vec<Line> {
        let unit = self.unit.take();
        let lines =
            self.set(&[Inline::Text(text.to_string())], style, frame, &chapter.source, 0);
        self.unit = unit;
        lines
    }

    /// [`Self::set`] asking the breaker for `looseness` more (or fewer) lines than optimal.
    pub(super) fn set_loose(
        &mut self,
        inlines: &[Inline],
        style: &ParagraphStyle,
        frame: Frame,
        source: &Path,
        line_no: usize,
        looseness: i32,
    ) -> Vec<Line> {
        let style = &ParagraphStyle { emergency_width: frame.measure.0, ..*style };
        let with_refs =
            self.page_refs.as_deref().and_then(|refs| with_page_refs(inlines, refs));
        let mut prepared = prepare(
            with_refs.as_ref().map_or(inlines, |(with, _)| with.as_slice()),
            style,
            &mut self.shaper,
            self.hyphenator,
            ItemOptions {
                hyphen_penalty: self.style.hyphen_penalty,
                protrusion: self.style.protrusion,
            },
        );
        // The page numbers added are not the text's words: lines count without them.
        if let Some((_, added)) = &with_refs {
            let mut k = 0;
            let mut index = 0;
            prepared.word_starts.retain(|_| {
                let keep = added.get(k) != Some(&index);
                k += usize::from(!keep);
                index += 1;
                keep
            });
        }
        let params = if looseness == 0 {
            std::borrow::Cow::Borrowed(&self.style.breaking)
        } else {
            std::borrow::Cow::Owned(crate::layout::linebreak::BreakParams {
                looseness,
                ..self.style.breaking.clone()
            })
        };
        let (mut lines, breaking) =
            set_paragraph(&prepared, style, frame.measure.0, &params, &mut self.breaker);
        if prepared.emergency {
            self.warnings.push(Warning::at(
                Location::new(&self.assets.join(source), line_no.max(1), 1),
                "a word is longer than a whole line; it was broken without a hyphen where it reached the margin",
            ));
        }
        if !breaking.overfull_lines.is_empty() || lines.iter().any(|l| l.overfull) {
            let worst = lines
                .iter()
                .filter(|l| l.overfull)
                .map(|l| l.text.clone())
                .next()
                .unwrap_or_default();
            self.warnings.push(Warning::at(
                Location::new(&self.assets.join(source), line_no.max(1), 1),
                format!(
                    "a word is too long for the line and sticks out into the margin: {:?}",
                    worst.chars().take(60).collect::<String>()
                ),
            ));
        }
        let unit = self.unit.as_ref();
        for line in &mut lines {
            for run in &mut line.runs {
                run.x += frame.left;
            }
            line.source = unit.map(|path| crate::pages::TextPos {
                path: path.clone(),
                word: line.word,
            });
            line.at_line = u32::try_from(line_no).unwrap_or(u32::MAX);
        }
        lines
    }
}

/// The inlines with " (p. N)" added inside each cross-reference whose target's folio is
/// known (so the page number is part of the link), and the indices of the words added
/// (as `crate::pages` counts words, in ascending order); `None` when there is none to add.
fn with_page_refs(
    inlines: &[Inline],
    refs: &PageRefs,
) -> Option<(Vec<Inline>, Vec<usize>)> {
    fn has(inlines: &[Inline]) -> bool {
        inlines.iter().any(|i| match i {
            Inline::CrossRef { .. } => true,
            nested => nested.children().is_some_and(has),
        })
    }
    fn add(
        inlines: &[Inline],
        refs: &PageRefs,
        words: &mut WordCounter,
        added: &mut Vec<usize>,
    ) -> Vec<Inline> {
        inlines
            .iter()
            .map(|i| match i {
                Inline::CrossRef { chapter, anchor, content } => {
                    let key = link_key(chapter, anchor.as_deref());
                    let mut content = add(content, refs, words, added);
                    if let Some(folio) = refs.get(&key).or_else(|| refs.get(chapter)) {
                        let text = format!(" (p.\u{a0}{folio})");
                        words.feed(&text, |_, index| added.push(index));
                        content.push(Inline::Text(text));
                    }
                    Inline::CrossRef {
                        chapter: chapter.clone(),
                        anchor: anchor.clone(),
                        content,
                    }
                }
                Inline::Emph(c) => Inline::Emph(add(c, refs, words, added)),
                Inline::Strong(c) => Inline::Strong(add(c, refs, words, added)),
                Inline::Strike(c) => Inline::Strike(add(c, refs, words, added)),
                Inline::Superscript(c) => Inline::Superscript(add(c, refs, words, added)),
                Inline::Subscript(c) => Inline::Subscript(add(c, refs, words, added)),
                Inline::SmallCaps(c) => Inline::SmallCaps(add(c, refs, words, added)),
                Inline::Link { url, content } => Inline::Link {
                    url: url.clone(),
                    content: add(content, refs, words, added),
                },
                Inline::Text(t) | Inline::Code(t) => {
                    words.feed(t, |_, _| {});
                    i.clone()
                }
                Inline::NoteRef(_) => {
                    words.join(|_| {});
                    i.clone()
                }
                Inline::LineBreak => {
                    words.gap();
                    i.clone()
                }
            })
            .collect()
    }
    has(inlines).then(|| {
        let mut added = Vec::new();
        let with = add(inlines, refs, &mut WordCounter::default(), &mut added);
        (with, added)
    })
}
