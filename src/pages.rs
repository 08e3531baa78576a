//! The print edition's page breaks as places in the model's text, so that the EPUB can
//! carry the paperback's page numbers (EPUB Accessibility 1.1's page list).
//!
//! The print layout knows, for every page, the first line set on it and where that line
//! came from; this module is the neutral form of that knowledge, readable by an edition
//! that knows nothing of layout. A place is a text unit (a paragraph, a heading, a table
//! cell…: a run of inlines of one chapter, named by [`TextPath`]) and the index of a word
//! in it. Words are counted as the print engine splits them: runs of characters between
//! spaces, tabs and line feeds ([`is_word_gap`]), a hard line break being a gap too and a
//! note reference joining the word it follows. A word index rather than a character
//! offset, because a marker may only go between words: a page that starts inside a word
//! (a hyphenated break) names the first word that *begins* on it.

/// Where a text unit is in a chapter: a path of indices from the chapter down.
///
/// The first index says which part of the chapter: [`LABEL`], [`TITLE`], [`BODY`],
/// [`REFLECTION_TITLE`], [`REFLECTION_INTRO`], [`QUESTION`], [`REFLECTION_AFTER`] or
/// [`NOTE`]. Below a list of
/// blocks the path continues with the block's index, then, by kind of block: a quote's
/// inner block index; a list's item index and that item's block index; a definition
/// list's item index then 0 for the term or 1 + the definition's index and its block
/// index; a table's row (0 the header, `r + 1` for body row `r`) and column. A paragraph,
/// heading, code block or figure (its caption) is a text unit itself.
pub type TextPath = Vec<u32>;

/// The chapter's label ("Chapter One").
pub const LABEL: u32 = 0;
/// The chapter's title.
pub const TITLE: u32 = 1;
/// The chapter's blocks.
pub const BODY: u32 = 2;
/// The reflection section's title.
pub const REFLECTION_TITLE: u32 = 3;
/// The reflection section's blocks before the questions.
pub const REFLECTION_INTRO: u32 = 4;
/// A reflection question (then its index, then the question's block path).
pub const QUESTION: u32 = 5;
/// A note (then its index, then the note's block path).
pub const NOTE: u32 = 6;
/// The reflection section's blocks after the questions.
pub const REFLECTION_AFTER: u32 = 7;

/// Whether `c` separates words, for counting words as the print engine does.
pub fn is_word_gap(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n')
}

/// A place in a chapter's text: before word `word` of the unit at `path`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TextPos {
    /// The text unit.
    pub path: TextPath,
    /// Index of the word, from 0, in the unit.
    pub word: usize,
}

/// Where a printed page begins, in terms every edition knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageAnchor {
    /// The title page (and the half title before it).
    TitlePage,
    /// A place in the copyright text: `path` is the index of its paragraph in
    /// `Book::copyright_lines`.
    Copyright(TextPos),
    /// The top of part `index`'s title page (`Book::parts`).
    Part(usize),
    /// A place in chapter `chapter`'s text.
    Text {
        /// Index into `Book::chapters`.
        chapter: usize,
        /// The place.
        pos: TextPos,
    },
}

/// One printed page that begins with text: its label as printed, and where it begins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageBreak {
    /// The page's label, as the PDF's page labels give it ("iii", "42").
    pub label: String,
    /// Where the page begins.
    pub anchor: PageAnchor,
}

/// The id of a page's marker in the EPUB: `page-42`, `page-iii`.
pub fn marker_id(label: &str) -> String {
    let safe: String = label
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' })
        .collect();
    format!("page-{safe}")
}

/// Counts words of text as the print engine does, carrying the state across pieces of
/// one text unit (the pieces of its inlines): `feed` returns, for each word that starts
/// in the piece, its byte offset in the piece and its index in the unit.
#[derive(Debug, Default, Clone)]
pub struct WordCounter {
    /// Words started so far.
    pub words: usize,
    /// Whether the last character seen was inside a word.
    in_word: bool,
}

impl WordCounter {
    /// Feeds a piece of text; calls `start(offset, index)` where each word starts.
    pub fn feed(&mut self, text: &str, mut start: impl FnMut(usize, usize)) {
        for (i, c) in text.char_indices() {
            if is_word_gap(c) {
                self.in_word = false;
            } else if !self.in_word {
                self.in_word = true;
                start(i, self.words);
                self.words += 1;
            }
        }
    }

    /// A gap between words that is not a character (a hard line break).
    pub fn gap(&mut self) {
        self.in_word = false;
    }

    /// Something that joins the word it follows or starts one (a note reference).
    pub fn join(&mut self, start: impl FnOnce(usize)) {
        if !self.in_word {
            self.in_word = true;
            start(self.words);
            self.words += 1;
        }
    }
}

/// What the EPUB needs of the print edition to carry its pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageList {
    /// The pages that begin with text, in order.
    pub breaks: Vec<PageBreak>,
    /// The print edition the pages are those of (`dc:source`): `urn:isbn:…` of its
    /// ISBN, or the book's identifier.
    pub source: String,
}

#[cfg(test)]
mod tests {
    use super::{WordCounter, marker_id};

    #[test]
    fn words_are_counted_across_pieces() {
        let mut c = WordCounter::default();
        let mut starts = Vec::new();
        c.feed("un", |o, i| starts.push((0, o, i)));
        c.feed("believable  tale", |o, i| starts.push((1, o, i)));
        c.gap();
        c.feed("next\tone", |o, i| starts.push((2, o, i)));
        assert_eq!(starts, vec![(0, 0, 0), (1, 12, 1), (2, 0, 2), (2, 5, 3)]);
        assert_eq!(c.words, 4);
    }

    #[test]
    fn a_note_reference_joins_its_word() {
        let mut c = WordCounter::default();
        c.feed("word", |_, _| {});
        c.join(|_| panic!("joins the word before"));
        c.feed(" next", |_, _| {});
        assert_eq!(c.words, 2);
        let mut alone = WordCounter::default();
        let mut at = None;
        alone.join(|i| at = Some(i));
        assert_eq!(at, Some(0));
    }

    #[test]
    fn marker_ids_are_xml_names() {
        assert_eq!(marker_id("42"), "page-42");
        assert_eq!(marker_id("xiv"), "page-xiv");
        assert_eq!(marker_id("A 1"), "page-A_1");
    }
}
