//! The shared chapter model: the whole manuscript as plain, serialisable data.
//!
//! Every edition (EPUB, print, handouts) reads only this. It knows nothing of Markdown,
//! XHTML or PDF. Decisions fixed here, so that all editions show the same characters:
//! smart punctuation is already applied, soft line breaks are single spaces, a hard line
//! break is [`Inline::LineBreak`], raw HTML never reaches the model, and footnotes are
//! numbered per chapter in order of first reference.

use crate::locale::{Words, fill};
use serde::Serialize;
use std::path::PathBuf;

/// The whole manuscript, parsed and checked once.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Book {
    /// Title, author, language and the other book-level facts.
    pub meta: Metadata,
    /// Front matter, essays and back matter, in reading order.
    pub chapters: Vec<Chapter>,
    /// The parts the numbered chapters are grouped in; empty when they are not.
    pub parts: Vec<Part>,
    /// The fixed words the book prints ("Contents", "Chapter"…), in its language.
    pub words: Words,
}

/// A titled group of chapters ("Part Two: The Return").
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Part {
    /// 1-based.
    pub number: u32,
    /// "Part Two", as configured; `None` when parts are not labelled.
    pub label: Option<String>,
    /// The title.
    pub title: String,
    /// Stable, URL-safe id (`part-2`), distinct from every chapter's.
    pub slug: String,
}

/// Book-level metadata, from `[book]` in `book.toml`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metadata {
    /// The main title.
    pub title: String,
    /// An optional subtitle.
    pub subtitle: Option<String>,
    /// The author as credited (often a pen name).
    pub author: String,
    /// BCP 47 tag such as `en-US`; drives hyphenation and every `lang` attribute.
    pub language: String,
    /// Stable identifier (`urn:uuid:…` or `urn:isbn:…`); never generated at build time.
    pub identifier: String,
    /// Publication date (`YYYY-MM-DD`); also pins every timestamp written, for
    /// reproducible builds.
    pub date: String,
    /// The publisher or imprint.
    pub publisher: Option<String>,
    /// The rights statement printed on the copyright page.
    pub rights: Option<String>,
    /// A blurb for store listings.
    pub description: Option<String>,
    /// Subject headings (BISAC-style phrases).
    pub subjects: Vec<String>,
    /// Further paragraphs of the copyright page.
    pub copyright_notes: Vec<String>,
    /// File-name-safe short name, used for output files (`out/<slug>.epub`).
    pub slug: String,
}

/// What part of the book a chapter is; editions style and place each kind differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChapterKind {
    /// A short dedication, set alone on its page.
    Dedication,
    /// An epigraph, set alone on its page.
    Epigraph,
    /// Other front matter with a title, such as "How to use this book".
    Front,
    /// A numbered chapter (an essay, in the sample book): the body of the book.
    Essay,
    /// Back matter such as acknowledgements.
    Back,
}

/// One Markdown file: an essay, or a piece of front or back matter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chapter {
    /// Stable, URL-safe id (`fear-of-conflict`): EPUB file name, PDF destination, handout name.
    pub slug: String,
    /// Which part of the book this is.
    pub kind: ChapterKind,
    /// Chapter number (1-based); `None` for front and back matter.
    pub number: Option<u32>,
    /// The label above its title, "Chapter Twenty-One", as configured; `None` for
    /// unnumbered matter or when the book shows none.
    pub label: Option<String>,
    /// The number as contents and navigation show it ("21", "XXI"); `None` when the
    /// book shows no numbers.
    pub number_label: Option<String>,
    /// Index into `Book::parts` of the part it opens or belongs to.
    pub part: Option<usize>,
    /// The title (the file's `# ` heading); empty for a dedication or an epigraph.
    pub title: Vec<Inline>,
    /// The body, without the title and without the reflection questions.
    pub blocks: Vec<Block>,
    /// Questions for discussion that close an essay, if it has them.
    pub reflection: Option<Reflection>,
    /// Footnotes in order of first reference; [`Inline::NoteRef`] indexes this.
    pub notes: Vec<Note>,
    /// Whether a workshop handout is made of this chapter.
    pub handout: bool,
    /// A one-line summary from the front matter, for the group leader's guide.
    pub summary: Option<String>,
    /// The source file, relative to the manuscript directory, for diagnostics.
    pub source: PathBuf,
}

/// The closing "For reflection" section of an essay.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reflection {
    /// The section heading as written ("For reflection").
    pub title: Vec<Inline>,
    /// Any text between the heading and the questions.
    pub intro: Vec<Block>,
    /// The questions, each the blocks of its list item (a paragraph, and whatever the
    /// author wrote under it: a second paragraph, a nested list).
    pub questions: Vec<Vec<Block>>,
    /// Any text after the questions, kept after them as the author wrote it.
    pub after: Vec<Block>,
    /// 1-based source line of its heading, for diagnostics.
    pub line: usize,
}

impl Reflection {
    /// Every run of blocks in the section, in reading order: the intro, each question,
    /// the text after them. For walks that treat them all alike.
    pub fn block_runs(&self) -> impl Iterator<Item = &[Block]> {
        std::iter::once(self.intro.as_slice())
            .chain(self.questions.iter().map(Vec::as_slice))
            .chain(std::iter::once(self.after.as_slice()))
    }

    /// [`Reflection::block_runs`], to change them.
    pub fn block_runs_mut(&mut self) -> impl Iterator<Item = &mut Vec<Block>> {
        std::iter::once(&mut self.intro)
            .chain(self.questions.iter_mut())
            .chain(std::iter::once(&mut self.after))
    }
}

/// A block-level element of a chapter.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "type")]
pub enum Block {
    /// A paragraph of running text.
    Paragraph {
        /// Its text.
        content: Vec<Inline>,
        /// 1-based source line of its first character, for diagnostics from later phases.
        line: usize,
    },
    /// A section heading inside a chapter (level 2 to 6; the chapter title is level 1).
    Heading {
        /// 2 to 6.
        level: u8,
        /// A document-unique id for links.
        id: String,
        /// Its text.
        content: Vec<Inline>,
        /// 1-based source line, for diagnostics from later phases.
        line: usize,
    },
    /// A block quotation; may nest.
    Quote {
        /// Its content.
        blocks: Vec<Block>,
    },
    /// An ordered (`start` is `Some`) or unordered list.
    List {
        /// The first number of an ordered list; `None` for bullets.
        start: Option<u64>,
        /// Each item's blocks.
        items: Vec<Vec<Block>>,
        /// A tight list (CommonMark): no paragraph spacing between its items.
        tight: bool,
    },
    /// Preformatted text, set as is.
    Code {
        /// The text, lines separated by `\n`.
        text: String,
        /// The first word of a fenced block's info string (`rust`), if any.
        language: Option<String>,
        /// 1-based source line of the text's first line, for diagnostics.
        line: usize,
    },
    /// A break between scenes, set as an ornament.
    SceneBreak,
    /// An image with its description and caption.
    Figure {
        /// The image file, relative to the manuscript directory; checked to exist inside it.
        src: PathBuf,
        /// Text alternative for readers who cannot see the image.
        alt: String,
        /// The caption shown below it; may be empty.
        caption: Vec<Inline>,
        /// Pixel width and height, read from the file's header.
        pixels: (u32, u32),
        /// 1-based source line of the image, for diagnostics from later phases.
        line: usize,
    },
    /// A table: a header row and body rows of cells.
    Table {
        /// Column alignments.
        align: Vec<Align>,
        /// The header cells.
        header: Vec<Vec<Inline>>,
        /// The body rows.
        rows: Vec<Vec<Vec<Inline>>>,
        /// 1-based source line of the header row, for diagnostics.
        line: usize,
    },
    /// A definition list: terms, each with one or more definitions.
    Definitions {
        /// Each term with its definitions (each a list of blocks).
        items: Vec<(Vec<Inline>, Vec<Vec<Block>>)>,
        /// 1-based source line of the first term, for diagnostics.
        line: usize,
    },
}

/// Horizontal alignment of a table column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Align {
    /// Not specified.
    None,
    /// Flush left.
    Left,
    /// Centred.
    Center,
    /// Flush right.
    Right,
}

/// An inline element of running text.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "type", content = "content")]
pub enum Inline {
    /// Prose text with smart punctuation applied; never empty.
    Text(String),
    /// Emphasis, usually italic.
    Emph(Vec<Inline>),
    /// Strong emphasis, usually bold.
    Strong(Vec<Inline>),
    /// Struck-through text.
    Strike(Vec<Inline>),
    /// Superscript text.
    Superscript(Vec<Inline>),
    /// Subscript text.
    Subscript(Vec<Inline>),
    /// Text set in small capitals.
    SmallCaps(Vec<Inline>),
    /// Code or other verbatim text.
    Code(String),
    /// A hyperlink out of the book (already percent-encoded, a valid URL).
    Link {
        /// Where it points.
        url: String,
        /// What it says.
        content: Vec<Inline>,
    },
    /// A link to a chapter of this book, or to a heading inside one.
    CrossRef {
        /// The target chapter's slug.
        chapter: String,
        /// The id of a heading in it; `None` for the chapter's top.
        anchor: Option<String>,
        /// What it says.
        content: Vec<Inline>,
    },
    /// A reference to `Chapter::notes[index]`; shown as `index + 1`.
    NoteRef(usize),
    /// A hard line break, as in verse.
    LineBreak,
}

impl Inline {
    /// The inlines nested in this one (emphasis, a link's words…), for code that walks
    /// the tree without caring how each kind of span looks.
    pub fn children(&self) -> Option<&[Inline]> {
        match self {
            Inline::Emph(c)
            | Inline::Strong(c)
            | Inline::Strike(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::SmallCaps(c)
            | Inline::Link { content: c, .. }
            | Inline::CrossRef { content: c, .. } => Some(c),
            Inline::Text(_)
            | Inline::Code(_)
            | Inline::NoteRef(_)
            | Inline::LineBreak => None,
        }
    }

    /// [`Self::children`], to change them (the same spans, listed again because Rust
    /// matches shared and mutable borrows separately).
    pub fn children_mut(&mut self) -> Option<&mut Vec<Inline>> {
        match self {
            Inline::Emph(c)
            | Inline::Strong(c)
            | Inline::Strike(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::SmallCaps(c)
            | Inline::Link { content: c, .. }
            | Inline::CrossRef { content: c, .. } => Some(c),
            Inline::Text(_)
            | Inline::Code(_)
            | Inline::NoteRef(_)
            | Inline::LineBreak => None,
        }
    }
}

/// A footnote's content.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Note {
    /// The label used in the source (`[^label]`), for diagnostics.
    pub label: String,
    /// Its paragraphs.
    pub blocks: Vec<Block>,
}

impl Book {
    /// The paragraphs of the copyright page, shared by every edition: what `rights` and
    /// `copyright-notes` say, then the publisher, date and identifier in the book's words.
    pub fn copyright_lines(&self) -> Vec<String> {
        let m = &self.meta;
        let w = &self.words;
        let mut lines: Vec<String> = m.rights.iter().cloned().collect();
        lines.extend(m.copyright_notes.iter().cloned());
        if let Some(publisher) = &m.publisher {
            lines.push(fill(&w.published_by, "publisher", publisher));
        }
        lines.push(fill(&w.first_published, "date", &w.date(&m.date)));
        lines.push(fill(&w.identifier, "identifier", &m.identifier));
        if !w.typeset_with.is_empty() {
            lines.push(w.typeset_with.clone());
        }
        lines
    }

    /// The chapters that open a part, with the part: where a part title page goes.
    pub fn part_openings(&self) -> impl Iterator<Item = (usize, &Part)> {
        let mut last = None;
        self.chapters.iter().enumerate().filter_map(move |(i, c)| {
            let part = c.part?;
            if last == Some(part) {
                return None;
            }
            last = Some(part);
            Some((i, &self.parts[part]))
        })
    }

    /// The essays only, in order.
    pub fn essays(&self) -> impl Iterator<Item = &Chapter> {
        self.chapters.iter().filter(|c| c.kind == ChapterKind::Essay)
    }

    /// Total number of words in titles, text, notes and questions.
    pub fn word_count(&self) -> usize {
        let mut text = String::new();
        for chapter in &self.chapters {
            chapter.plain_text_into(&mut text);
        }
        text.split_whitespace().count()
    }
}

impl Part {
    /// The part as contents and navigation name it: "Part Two: The Return".
    pub fn heading(&self) -> String {
        match &self.label {
            Some(label) => format!("{label}: {}", self.title),
            None => self.title.clone(),
        }
    }
}

impl Chapter {
    /// The title with its number, for navigation: "21. The Storm".
    pub fn numbered_title(&self) -> String {
        match &self.number_label {
            Some(n) => format!("{n}. {}", self.title_text()),
            None => self.title_text(),
        }
    }

    /// The title as plain text, for tables of contents and running heads.
    pub fn title_text(&self) -> String {
        plain_text(&self.title)
    }

    /// Appends every piece of text of the chapter to `out`, separated by spaces.
    pub fn plain_text_into(&self, out: &mut String) {
        push_inlines(&self.title, out);
        out.push(' ');
        push_blocks(&self.blocks, out);
        if let Some(r) = &self.reflection {
            push_inlines(&r.title, out);
            out.push(' ');
            for blocks in r.block_runs() {
                push_blocks(blocks, out);
            }
        }
        for note in &self.notes {
            push_blocks(&note.blocks, out);
        }
    }
}

/// The text of inlines without markup (note references omitted).
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    push_inlines(inlines, &mut out);
    out.trim().to_string()
}

/// The text of blocks without markup, on one line with single spaces.
pub fn plain_text_of_blocks(blocks: &[Block]) -> String {
    let mut out = String::new();
    push_blocks(blocks, &mut out);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn push_blocks(blocks: &[Block], out: &mut String) {
    for block in blocks {
        match block {
            Block::Paragraph { content, .. } | Block::Heading { content, .. } => {
                push_inlines(content, out)
            }
            Block::Quote { blocks } => push_blocks(blocks, out),
            Block::List { items, .. } => items.iter().for_each(|i| push_blocks(i, out)),
            Block::Code { text, .. } => out.push_str(text),
            Block::Definitions { items, .. } => {
                for (term, definitions) in items {
                    push_inlines(term, out);
                    out.push(' ');
                    definitions.iter().for_each(|d| push_blocks(d, out));
                }
            }
            Block::SceneBreak => {}
            Block::Figure { caption, .. } => push_inlines(caption, out),
            Block::Table { header, rows, .. } => {
                for cell in header.iter().chain(rows.iter().flatten()) {
                    push_inlines(cell, out);
                    out.push(' ');
                }
            }
        }
        out.push(' ');
    }
}

fn push_inlines(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Emph(c)
            | Inline::Strong(c)
            | Inline::Strike(c)
            | Inline::Superscript(c)
            | Inline::Subscript(c)
            | Inline::SmallCaps(c) => push_inlines(c, out),
            Inline::Link { content, .. } | Inline::CrossRef { content, .. } => {
                push_inlines(content, out)
            }
            Inline::NoteRef(_) => {}
            Inline::LineBreak => out.push(' '),
        }
    }
}
