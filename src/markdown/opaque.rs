//! A raw `<script>`, `<style>` (any [`html::is_opaque`](super::html::is_opaque) tag)
//! opened inside running text. Its content is code or CSS, never words of the book, so
//! everything up to its closing tag is dropped. pulldown-cmark hands such a span over as
//! separate events (`<script>`, then text, emphasis and the like, then `</script>`), so
//! the builder keeps one [`Opaque`] open across them and asks it about each event.
//!
//! The span never reaches past the container it was opened in: the end of an enclosing
//! emphasis, link or paragraph ends it, so a missing `</script>` drops at most the rest
//! of its paragraph. Inline spans opened inside it are dropped whole, their ends with
//! them, so the builder's stack stays balanced whatever the nesting.

use pulldown_cmark::{Event, Tag};

/// What the builder does with an event while an opaque span is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// The event is part of the span: drop it.
    Drop,
    /// The event is past the span, which ends here: handle it as usual.
    EndAndKeep,
}

/// An opaque tag opened in running text, its content being dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opaque {
    /// The tag's name, in lower case, whose closing tag ends the span.
    name: String,
    /// Inline spans opened (and dropped) inside it and not yet ended.
    depth: usize,
    /// The closing tag was met while spans opened inside were still open: the span ends
    /// when they end.
    closed: bool,
}

impl Opaque {
    /// A span opened by `<name>`.
    pub fn new(name: String) -> Opaque {
        Opaque { name, depth: 0, closed: false }
    }

    /// The step for a Markdown event (not raw HTML) met inside the span.
    pub fn step(&mut self, event: &Event<'_>) -> Step {
        match event {
            Event::Start(tag) if is_inline(tag) => {
                self.depth += 1;
                Step::Drop
            }
            // A block starts: the span could not have reached it.
            Event::Start(_) => Step::EndAndKeep,
            Event::End(_) if self.depth > 0 => {
                self.depth -= 1;
                Step::Drop
            }
            // The end of the container the span was opened in.
            Event::End(_) => Step::EndAndKeep,
            _ => Step::Drop,
        }
    }

    /// True when the span is over (its closing tag met, every span inside it ended).
    pub fn is_over(&self) -> bool {
        self.closed && self.depth == 0
    }

    /// A closing tag `</name>` met inside the span: true if it ends the span now.
    pub fn close(&mut self, name: &str) -> bool {
        if name == self.name {
            self.closed = true;
        }
        self.is_over()
    }
}

/// Tags that open a span inside running text rather than a block.
pub fn is_inline(tag: &Tag<'_>) -> bool {
    matches!(
        tag,
        Tag::Emphasis
            | Tag::Strong
            | Tag::Strikethrough
            | Tag::Superscript
            | Tag::Subscript
            | Tag::Link { .. }
            | Tag::Image { .. }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use pulldown_cmark::{CowStr, TagEnd};

    #[test]
    fn the_closing_tag_ends_the_span_after_the_spans_opened_inside() {
        let mut o = Opaque::new("script".into());
        assert_eq!(o.step(&Event::Text(CowStr::from("a"))), Step::Drop);
        assert_eq!(o.step(&Event::Start(Tag::Emphasis)), Step::Drop);
        assert!(!o.close("style"));
        assert!(!o.close("script"), "the emphasis opened inside is still open");
        assert_eq!(o.step(&Event::End(TagEnd::Emphasis)), Step::Drop);
        assert!(o.is_over());
    }

    #[test]
    fn the_end_of_the_container_ends_an_unclosed_span() {
        let mut o = Opaque::new("style".into());
        assert_eq!(o.step(&Event::SoftBreak), Step::Drop);
        assert_eq!(o.step(&Event::End(TagEnd::Paragraph)), Step::EndAndKeep);
        let mut o = Opaque::new("style".into());
        assert_eq!(o.step(&Event::Start(Tag::Paragraph)), Step::EndAndKeep);
    }
}
