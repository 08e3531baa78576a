//! pulldown-cmark events → one [`ParsedChapter`]: a small stack machine.
//!
//! Containers (quotes, list items, footnote definitions) collect blocks; paragraphs,
//! headings and spans collect inlines. `run` feeds every event to `event`, whose match
//! names every event and tag kind, so a new pulldown-cmark variant is a compile error
//! rather than silently lost text. Tight list items get an implicit paragraph.

use super::front::{self, FrontMatter};
use super::html::{self, InlineKind, Token};
use super::links;
use super::opaque::{self, Opaque, Step};
use super::parser;
use super::scripts;
use crate::config::slugify;
use crate::error::{Error, LineIndex, Location, Result, Warning};
use crate::input::Manuscript;
use crate::model::{Align, Block, Inline, Note, Reflection, plain_text};
use pulldown_cmark::{
    Alignment, CodeBlockKind, Event, MetadataBlockKind, Tag, TextMergeWithOffset,
};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::ops::Range;
use std::path::Path;

/// Deepest nesting of quotes, lists and spans accepted; deeper input is an error, not a
/// stack overflow in some later recursive phase.
pub const MAX_DEPTH: usize = 48;

/// Largest image accepted, judged from its header before decoding (a guard against
/// decompression bombs): 40 megapixels.
const MAX_IMAGE_PIXELS: u64 = 40_000_000;

/// What one Markdown file holds, before it is placed in the book.
#[derive(Debug, Default)]
pub struct ParsedChapter {
    /// The title, from the first of: front matter `title`, a `% Title` line, a heading
    /// that opens the file (the rules are on `Builder::settle_title`).
    pub title: Option<Vec<Inline>>,
    /// The body blocks.
    pub blocks: Vec<Block>,
    /// The reflection-questions section.
    pub reflection: Option<Reflection>,
    /// Footnotes in order of first reference.
    pub notes: Vec<Note>,
    /// The front matter, read by [`front::read`].
    pub front: FrontMatter,
    /// Oddities found while reading.
    pub warnings: Vec<Warning>,
}

/// Where a chapter's text came from and where its images may live.
pub struct SourceFile<'a> {
    /// The file, as shown in diagnostics.
    pub path: &'a Path,
    /// The text, already decoded and cleaned.
    pub text: &'a str,
    /// The manuscript; images must resolve inside it.
    pub manuscript: &'a Manuscript,
}

/// Parses one chapter file: its front matter and title block, then its Markdown.
pub fn parse_chapter(source: &SourceFile<'_>) -> Result<ParsedChapter> {
    let mut builder = Builder::new(source);
    let top = front::read(source.path, source.text, &builder.index)?;
    builder.explicit_title = match (&top.front.title, &top.title_block) {
        (None, Some((title, _))) if title.is_empty() => None,
        // Read as Markdown, like a heading (smart quotes, emphasis); a title that
        // Markdown would read as a list or a quote ("1. Beginnings") is kept as written.
        (Some(title), _) | (None, Some((title, _))) => {
            let offset = top.title_block.as_ref().map_or(0, |(_, offset)| *offset);
            let offset = if top.front.title.is_some() { 0 } else { offset };
            Some(builder.fragment(title, offset)?)
                .filter(|t| !t.is_empty())
                .or_else(|| Some(vec![Inline::Text(title.clone())]))
        }
        (None, None) => None,
    };
    builder.out.front = top.front;
    builder.run(&source.text[top.body..], top.body)?;
    builder.finish()
}

/// The URL schemes never written into a book: they run code (`javascript:`,
/// `vbscript:`), embed anything (`data:`) or reach the reader's files (`file:`).
const DANGEROUS_SCHEMES: &[&str] = &["javascript", "vbscript", "data", "file"];

/// The scheme of `url` when it is one of [`DANGEROUS_SCHEMES`], read as a browser reads
/// it: leading blanks and controls skipped, tabs and newlines inside ignored, any case.
fn dangerous_scheme(url: &str) -> Option<&'static str> {
    let scheme: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take_while(|&c| c != ':')
        .collect::<String>()
        .to_ascii_lowercase();
    let has_colon = url.contains(':');
    DANGEROUS_SCHEMES.iter().copied().find(|&s| has_colon && scheme == s)
}

/// The first heading of a file, when nothing comes before it: the title unless the file
/// has one from elsewhere (see [`Builder::settle_title`]).
struct Lead {
    level: u8,
    id: Option<String>,
    content: Vec<Inline>,
    offset: usize,
}

/// What kind of block container a frame is.
enum Container {
    Quote,
    Item,
    FootnoteDefinition {
        label: String,
        offset: usize,
    },
    /// One definition of a definition-list term.
    Definition,
}

/// What kind of inline collector a frame is.
enum Span {
    /// A paragraph; `implicit` when pulldown-cmark gave no tag (tight list items).
    Paragraph {
        line: usize,
        implicit: bool,
        figures: Vec<Block>,
    },
    Heading {
        level: u8,
        id: Option<String>,
        reflection: bool,
    },
    Emph,
    Strong,
    Strike,
    Superscript,
    Subscript,
    Link {
        url: String,
        /// An email autolink (`<me@example.com>`).
        email: bool,
    },
    Image {
        url: String,
        title: String,
        offset: usize,
    },
    /// An inline raw HTML element with a meaning (`<sup>`, `<em>`…), until its end tag.
    Html {
        name: String,
        kind: InlineKind,
    },
    /// A table's head row (`true`) or a body row: a marker whose cells go to the table.
    Row {
        head: bool,
    },
    Cell,
    /// A definition-list term.
    Term,
}

/// One level of the builder's stack.
enum Frame {
    Blocks {
        kind: Container,
        blocks: Vec<Block>,
    },
    Inlines {
        kind: Span,
        content: Vec<Inline>,
    },
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
        /// No item has a paragraph of its own (CommonMark's tight list).
        tight: bool,
    },
    /// A definition list: terms with their definitions.
    Definitions {
        items: Vec<(Vec<Inline>, Vec<Vec<Block>>)>,
        line: usize,
    },
    Table {
        align: Vec<Align>,
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
        row: Vec<Vec<Inline>>,
        /// Images met in cells, set as figures after the table.
        figures: Vec<Block>,
    },
    Code {
        text: String,
        /// The first word of a fence's info string.
        language: Option<String>,
        /// Source line of the text's first line.
        line: usize,
    },
    /// A raw HTML block, read as a whole when it ends ([`Builder::html_block`]).
    Html {
        text: String,
        offset: usize,
    },
    /// A metadata block; never produced, as [`parser::options`] enables none (front
    /// matter is read by [`front`]), but its text is dropped if one ever is.
    Metadata,
}

/// The state of one chapter's conversion.
struct Builder<'a> {
    /// The file being read.
    path: &'a Path,
    /// Its text, for locating events.
    text: &'a str,
    /// Line starts of `text`.
    index: LineIndex,
    /// The manuscript directory, canonicalised, for image checks.
    manuscript: Manuscript,
    /// Problems that stop the build, gathered so that one run reports them all.
    errors: Vec<Error>,
    /// Open containers and spans, innermost last.
    stack: Vec<Frame>,
    /// The finished chapter so far.
    out: ParsedChapter,
    /// True once the reflection heading has been seen at the top level.
    in_reflection: bool,
    /// Footnote definitions by label, with the offset of each.
    note_defs: BTreeMap<String, (Vec<Block>, usize)>,
    /// Footnote labels by index, in order of first reference, with that reference's offset.
    note_refs: Vec<(String, usize)>,
    /// Index of each referenced label in `note_refs`.
    note_index: HashMap<String, usize>,
    /// Heading ids used so far, to keep them unique.
    ids: BTreeSet<String>,
    /// Ids written by hand (`{#id}`) anywhere in the file: made ids keep clear of them.
    explicit_ids: BTreeSet<String>,
    /// Raw HTML tags dropped (their text kept): name → source lines, reported once.
    dropped_tags: BTreeMap<String, Vec<usize>>,
    /// A `<script>` or `<style>` opened in running text, its content being dropped.
    opaque: Option<Opaque>,
    /// Base offset added to event ranges (non-zero when parsing a caption fragment).
    base: usize,
    /// The title given by front matter or a `% Title` line.
    explicit_title: Option<Vec<Inline>>,
    /// The heading that opens the file, held back until the title is settled.
    lead: Option<Lead>,
    /// True once a level-1 heading other than the lead has been seen.
    level_one_seen: bool,
}

impl<'a> Builder<'a> {
    fn new(source: &SourceFile<'a>) -> Self {
        Builder {
            path: source.path,
            text: source.text,
            index: LineIndex::new(source.text),
            manuscript: source.manuscript.clone(),
            errors: Vec::new(),
            stack: Vec::new(),
            out: ParsedChapter::default(),
            in_reflection: false,
            note_defs: BTreeMap::new(),
            note_refs: Vec::new(),
            note_index: HashMap::new(),
            ids: BTreeSet::new(),
            explicit_ids: BTreeSet::new(),
            dropped_tags: BTreeMap::new(),
            opaque: None,
            base: 0,
            explicit_title: None,
            lead: None,
            level_one_seen: false,
        }
    }

    fn at(&self, offset: usize) -> Location {
        let (line, column) = self.index.line_col(self.text, offset);
        Location::new(self.path, line, column)
    }

    /// Feeds every event of `text` (found at byte `base` of the file) through the machine.
    fn run(&mut self, text: &str, base: usize) -> Result<()> {
        self.base = base;
        // Ids written by hand win over ids made from heading text, wherever they are.
        for event in parser::parser(text) {
            if let Event::Start(Tag::Heading { id: Some(id), .. }) = event {
                self.explicit_ids.insert(links::valid_id(&id));
            }
        }
        let events = TextMergeWithOffset::new(parser::parser(text).into_offset_iter());
        for (event, range) in events {
            let range = range.start + base..range.end + base;
            self.event(event, range)?;
        }
        self.opaque = None;
        self.close_implicit();
        Ok(())
    }

    /// Handles one event; every kind is named.
    fn event(&mut self, event: Event<'_>, range: Range<usize>) -> Result<()> {
        if let Some(opaque) = &mut self.opaque
            && !matches!(event, Event::InlineHtml(_) | Event::Html(_))
        {
            match opaque.step(&event) {
                Step::Drop => {
                    if opaque.is_over() {
                        self.opaque = None;
                    }
                    return Ok(());
                }
                Step::EndAndKeep => self.opaque = None,
            }
        }
        match event {
            Event::Start(tag) => self.start(tag, range)?,
            Event::End(_) => self.end(range)?,
            Event::Text(text) => self.text(&text, range)?,
            Event::Code(code) => {
                self.inline(Inline::Code(code.to_string()), range.start)?
            }
            Event::InlineMath(math) | Event::DisplayMath(math) => {
                self.inline(Inline::Code(math.to_string()), range.start)?
            }
            Event::Html(html) => match self.stack.last_mut() {
                Some(Frame::Html { text, .. }) => text.push_str(&html),
                _ => self.inline_html(&html, range.start)?,
            },
            Event::InlineHtml(html) => self.inline_html(&html, range.start)?,
            Event::FootnoteReference(label) => {
                let index = self.note_ref(&label, range.start);
                self.inline(Inline::NoteRef(index), range.start)?;
            }
            Event::SoftBreak => self.inline(Inline::Text(" ".into()), range.start)?,
            Event::HardBreak => self.inline(Inline::LineBreak, range.start)?,
            Event::Rule => self.block(Block::SceneBreak, range.start)?,
            Event::TaskListMarker(done) => {
                let mark = if done { "[x] " } else { "[ ] " };
                self.inline(Inline::Text(mark.into()), range.start)?
            }
        }
        Ok(())
    }

    fn start(&mut self, tag: Tag<'_>, range: Range<usize>) -> Result<()> {
        let line = self.at(range.start).line;
        if !opaque::is_inline(&tag) {
            self.close_html_spans(range.start)?;
            self.close_implicit();
        }
        let frame = match tag {
            Tag::Paragraph => {
                // A paragraph of its own in a list item makes the list loose.
                let n = self.stack.len();
                if n >= 2
                    && matches!(
                        self.stack[n - 1],
                        Frame::Blocks { kind: Container::Item, .. }
                    )
                    && let Frame::List { tight, .. } = &mut self.stack[n - 2]
                {
                    *tight = false;
                }
                Frame::Inlines {
                    kind: Span::Paragraph { line, implicit: false, figures: vec![] },
                    content: vec![],
                }
            }
            Tag::Heading { level, id, classes, attrs: _ } => Frame::Inlines {
                kind: Span::Heading {
                    level: level as u8,
                    id: id.map(|i| i.to_string()),
                    reflection: classes.iter().any(|c| c.as_ref() == "reflection"),
                },
                content: vec![],
            },
            Tag::BlockQuote(_) => {
                Frame::Blocks { kind: Container::Quote, blocks: vec![] }
            }
            Tag::CodeBlock(kind) => {
                // A fenced block's text starts on the line after its fence.
                let fence = usize::from(matches!(kind, CodeBlockKind::Fenced(_)));
                let language = match &kind {
                    CodeBlockKind::Fenced(info) => info
                        .split(|c: char| c.is_whitespace() || c == ',' || c == '{')
                        .next()
                        .filter(|w| !w.is_empty())
                        .map(str::to_string),
                    CodeBlockKind::Indented => None,
                };
                Frame::Code {
                    text: String::new(),
                    language,
                    line: self.at(range.start).line + fence,
                }
            }
            Tag::HtmlBlock => Frame::Html { text: String::new(), offset: range.start },
            Tag::List(start) => Frame::List { start, items: vec![], tight: true },
            Tag::Item => Frame::Blocks { kind: Container::Item, blocks: vec![] },
            Tag::FootnoteDefinition(label) => Frame::Blocks {
                kind: Container::FootnoteDefinition {
                    label: label.to_string(),
                    offset: range.start,
                },
                blocks: vec![],
            },
            Tag::DefinitionList => Frame::Definitions { items: vec![], line },
            Tag::DefinitionListDefinition => {
                Frame::Blocks { kind: Container::Definition, blocks: vec![] }
            }
            Tag::DefinitionListTitle => {
                Frame::Inlines { kind: Span::Term, content: vec![] }
            }
            Tag::Table(align) => Frame::Table {
                align: align
                    .iter()
                    .map(|a| match a {
                        Alignment::None => Align::None,
                        Alignment::Left => Align::Left,
                        Alignment::Center => Align::Center,
                        Alignment::Right => Align::Right,
                    })
                    .collect(),
                header: vec![],
                rows: vec![],
                row: vec![],
                figures: vec![],
            },
            // Rows and the head are tracked inside the table frame; a marker keeps the
            // stack balanced with their End events.
            Tag::TableHead => {
                Frame::Inlines { kind: Span::Row { head: true }, content: vec![] }
            }
            Tag::TableRow => {
                Frame::Inlines { kind: Span::Row { head: false }, content: vec![] }
            }
            Tag::TableCell => Frame::Inlines { kind: Span::Cell, content: vec![] },
            Tag::Emphasis => self.open_inline(Span::Emph, range.start)?,
            Tag::Strong => self.open_inline(Span::Strong, range.start)?,
            Tag::Strikethrough => self.open_inline(Span::Strike, range.start)?,
            Tag::Superscript => self.open_inline(Span::Superscript, range.start)?,
            Tag::Subscript => self.open_inline(Span::Subscript, range.start)?,
            Tag::Link { link_type, dest_url, title: _, id: _ } => self.open_inline(
                Span::Link {
                    url: dest_url.to_string(),
                    email: link_type == pulldown_cmark::LinkType::Email,
                },
                range.start,
            )?,
            Tag::Image { link_type: _, dest_url, title, id: _ } => self.open_inline(
                Span::Image {
                    url: dest_url.to_string(),
                    title: title.to_string(),
                    offset: range.start,
                },
                range.start,
            )?,
            Tag::MetadataBlock(
                MetadataBlockKind::PlusesStyle | MetadataBlockKind::YamlStyle,
            ) => Frame::Metadata,
        };
        self.push(frame, range.start)
    }

    /// Opens a span, first opening an implicit paragraph when inline content starts
    /// directly in a container (tight list items).
    fn open_inline(&mut self, kind: Span, offset: usize) -> Result<Frame> {
        self.ensure_inline_target(offset)?;
        Ok(Frame::Inlines { kind, content: vec![] })
    }

    fn push(&mut self, frame: Frame, offset: usize) -> Result<()> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(Error::markdown(
                self.at(offset),
                format!(
                    "quotes, lists or emphasis are nested more than {MAX_DEPTH} levels deep"
                ),
            ));
        }
        self.stack.push(frame);
        Ok(())
    }

    /// Closes the innermost frame and hands its result to its parent.
    fn end(&mut self, range: Range<usize>) -> Result<()> {
        self.close_html_spans(range.start)?;
        self.close_implicit_if_not_target();
        let Some(frame) = self.stack.pop() else { return Ok(()) };
        match frame {
            Frame::Blocks { kind, blocks } => match kind {
                Container::Quote => self.block(Block::Quote { blocks }, range.start)?,
                Container::Item => match self.stack.last_mut() {
                    Some(Frame::List { items, .. }) => items.push(blocks),
                    _ => self.blocks(blocks, range.start)?,
                },
                Container::FootnoteDefinition { label, offset } => {
                    let warning = format!(
                        "footnote [^{label}] is defined twice; the first definition is kept"
                    );
                    match self.note_defs.entry(label) {
                        std::collections::btree_map::Entry::Occupied(_) => {
                            let at = self.at(offset);
                            self.out.warnings.push(Warning::at(at, warning));
                        }
                        std::collections::btree_map::Entry::Vacant(slot) => {
                            slot.insert((blocks, offset));
                        }
                    }
                }
                Container::Definition => match self.stack.last_mut() {
                    Some(Frame::Definitions { items, .. }) => match items.last_mut() {
                        Some((_, definitions)) => definitions.push(blocks),
                        None => items.push((vec![], vec![blocks])),
                    },
                    _ => self.blocks(blocks, range.start)?,
                },
            },
            Frame::List { start, items, tight } => {
                self.block(Block::List { start, items, tight }, range.start)?
            }
            Frame::Definitions { items, line } => {
                self.block(Block::Definitions { items, line }, range.start)?
            }
            Frame::Code { text, language, line } => {
                self.block(Block::Code { text, language, line }, range.start)?
            }
            Frame::Html { text, offset } => self.html_block(&text, offset)?,
            Frame::Metadata => {}
            Frame::Table { align, header, rows, row: _, figures } => {
                let line = self.at(range.start).line;
                self.block(Block::Table { align, header, rows, line }, range.start)?;
                self.blocks(figures, range.start)?
            }
            Frame::Inlines { kind, content } => self.end_span(kind, content, range)?,
        }
        Ok(())
    }

    fn end_span(
        &mut self,
        kind: Span,
        content: Vec<Inline>,
        range: Range<usize>,
    ) -> Result<()> {
        match kind {
            Span::Paragraph { line, implicit: _, figures } => {
                if !is_blank(&content) {
                    self.block(Block::Paragraph { content, line }, range.start)?;
                    if !figures.is_empty() {
                        self.out.warnings.push(Warning::at(
                            self.at(range.start),
                            "an image inside running text is set as a figure after its paragraph",
                        ));
                    }
                }
                self.blocks(figures, range.start)?;
            }
            Span::Term => match self.stack.last_mut() {
                Some(Frame::Definitions { items, .. }) => items.push((content, vec![])),
                _ => {
                    let line = self.at(range.start).line;
                    self.block(Block::Paragraph { content, line }, range.start)?
                }
            },
            Span::Heading { level, id, reflection } => {
                self.end_heading(level, id, reflection, content, range.start)?
            }
            Span::Emph => self.inline(Inline::Emph(content), range.start)?,
            Span::Strong => self.inline(Inline::Strong(content), range.start)?,
            Span::Strike => self.inline(Inline::Strike(content), range.start)?,
            Span::Superscript => {
                self.inline(Inline::Superscript(content), range.start)?
            }
            Span::Html { name: _, kind } => {
                self.inline(html_inline(kind, content), range.start)?
            }
            Span::Subscript => self.inline(Inline::Subscript(content), range.start)?,
            Span::Row { head } => {
                if let Some(Frame::Table { header, rows, row, .. }) =
                    self.stack.last_mut()
                {
                    let cells = std::mem::take(row);
                    if head { *header = cells } else { rows.push(cells) }
                }
            }
            Span::Cell => {
                let table = self.stack.iter_mut().rev().find_map(|f| match f {
                    Frame::Table { row, .. } => Some(row),
                    _ => None,
                });
                if let Some(row) = table {
                    row.push(content);
                }
            }
            Span::Link { url, email } => match dangerous_scheme(&url) {
                None => {
                    let url = if email && !url.to_ascii_lowercase().starts_with("mailto:")
                    {
                        format!("mailto:{url}")
                    } else {
                        url
                    };
                    // Relative links are resolved once every chapter is read
                    // (`links::resolve`); they are encoded there if they stay links.
                    let url = if links::has_scheme(&url) {
                        links::percent_encode(&url)
                    } else {
                        url
                    };
                    self.inline(Inline::Link { url, content }, range.start)?
                }
                Some(scheme) => {
                    self.out.warnings.push(Warning::at(
                        self.at(range.start),
                        format!(
                            "a `{scheme}:` link can run code or reach files in a reading \
                             system; it is kept as plain text"
                        ),
                    ));
                    for inline in content {
                        self.inline(inline, range.start)?;
                    }
                }
            },
            Span::Image { url, title, offset } => {
                let alt_text = plain_text(&content);
                let figure = match self.figure(&url, &title, alt_text.clone(), offset) {
                    Ok(figure) => figure,
                    Err(e) => {
                        self.errors.push(e);
                        return Ok(());
                    }
                };
                if let Some(Frame::Inlines { kind: Span::Link { .. }, .. }) =
                    self.stack.last()
                {
                    // The link keeps the image's alt text as its words.
                    self.inline(Inline::Text(alt_text), offset)?;
                }
                self.place_figure(figure, offset)?;
            }
        }
        Ok(())
    }

    fn end_heading(
        &mut self,
        level: u8,
        id: Option<String>,
        reflection: bool,
        content: Vec<Inline>,
        offset: usize,
    ) -> Result<()> {
        let top_level = self.stack.is_empty();
        if top_level
            && self.lead.is_none()
            && self.out.blocks.is_empty()
            && self.out.reflection.is_none()
            && (level == 1 || !reflection)
        {
            self.lead = Some(Lead { level, id, content, offset });
            return Ok(());
        }
        if reflection && top_level {
            if self.out.reflection.is_some() {
                self.errors.push(Error::markdown(
                    self.at(offset),
                    "a chapter can have only one reflection section",
                ));
                return Ok(());
            }
            self.in_reflection = true;
            let line = self.at(offset).line;
            self.out.reflection = Some(Reflection {
                title: content,
                intro: vec![],
                questions: vec![],
                after: vec![],
                line,
            });
            return Ok(());
        }
        if level == 1 {
            self.level_one_seen = true;
            self.out.warnings.push(Warning::at(
                self.at(offset),
                "a second level-1 heading is set as a section heading; a chapter has one title",
            ));
        }
        let id = self.unique_id(id, &content);
        self.in_reflection = false;
        let line = self.at(offset).line;
        self.block(Block::Heading { level: level.max(2), id, content, line }, offset)
    }

    /// A section heading's id: the one written (`{#id}`) or one made from its text by
    /// the GitHub rule ([`links::heading_id`]), kept clear of the editions' own ids, of
    /// ids written by hand and of every id before it (`-1`, `-2`… as GitHub numbers them).
    fn unique_id(&mut self, id: Option<String>, content: &[Inline]) -> String {
        let explicit = id.is_some();
        let mut base = match id {
            Some(id) => links::valid_id(&id),
            None => links::heading_id(&plain_text(content)),
        };
        if is_reserved_id(&base) {
            base = format!("section-{base}");
        }
        let taken = |ids: &BTreeSet<String>, id: &str| {
            ids.contains(id) || (!explicit && self.explicit_ids.contains(id))
        };
        let mut unique = base.clone();
        let mut n = 0;
        while taken(&self.ids, &unique) {
            n += 1;
            unique = format!("{base}-{n}");
        }
        self.ids.insert(unique.clone());
        unique
    }

    /// Decides the title once the whole file is read. A title from front matter or a
    /// `% Title` line replaces an opening `#` heading (with a warning when their words
    /// differ) and leaves an opening heading of another level as a section. Otherwise an
    /// opening `#` heading is the title; so is an opening heading of any other level when
    /// the file has no level-1 heading at all, and then every heading moves up by the
    /// same number of levels (`##` title, `###` sections at level 2). A heading after
    /// text is never the title.
    fn settle_title(&mut self) {
        let lead = self.lead.take();
        self.out.title = match (self.explicit_title.take(), lead) {
            (Some(title), Some(lead)) if lead.level == 1 => {
                if slugify(&plain_text(&title)) != slugify(&plain_text(&lead.content)) {
                    self.out.warnings.push(Warning::at(
                        self.at(lead.offset),
                        format!(
                            "this heading is replaced by the title {:?} given above it; \
                             remove one of them",
                            plain_text(&title)
                        ),
                    ));
                }
                Some(title)
            }
            (Some(title), lead) => {
                if let Some(lead) = lead {
                    self.restore(lead);
                }
                Some(title)
            }
            (None, Some(lead)) if lead.level == 1 => Some(lead.content),
            (None, Some(lead)) if !self.level_one_seen => {
                let up = lead.level - 1;
                let shift =
                    |level: &mut u8, _: &mut String| *level = (*level - up).max(2);
                for_each_heading(&mut self.out.blocks, shift);
                if let Some(reflection) = &mut self.out.reflection {
                    for blocks in reflection.block_runs_mut() {
                        for_each_heading(blocks, shift);
                    }
                }
                for note in &mut self.out.notes {
                    for_each_heading(&mut note.blocks, shift);
                }
                Some(lead.content)
            }
            (None, Some(lead)) => {
                self.restore(lead);
                None
            }
            (None, None) => None,
        };
    }

    /// Puts a held-back opening heading back as the first section heading.
    fn restore(&mut self, lead: Lead) {
        let id = self.unique_id(lead.id, &lead.content);
        let line = self.at(lead.offset).line;
        let heading =
            Block::Heading { level: lead.level.max(2), id, content: lead.content, line };
        self.out.blocks.insert(0, heading);
    }

    /// Resolves and checks an image: it must be a PNG or JPEG inside the manuscript directory.
    fn figure(
        &mut self,
        url: &str,
        title: &str,
        alt: String,
        offset: usize,
    ) -> Result<Block> {
        let at = self.at(offset);
        if url.contains("://") || url.starts_with("//") || url.starts_with("data:") {
            return Err(Error::markdown(
                at,
                format!(
                    "image {url:?} is remote; quire never fetches files: save it in the manuscript folder"
                ),
            ));
        }
        // A site-root path (`/images/a.png`, as Jekyll and mdBook books write it) means
        // the manuscript's top folder; `//host/…` was refused above as remote.
        let relative = Path::new(url.strip_prefix('/').unwrap_or(url));
        let real = self
            .manuscript
            .resolve(relative)
            .map_err(|why| {
                let hint = match why {
                    crate::input::Refusal::NotFound if url.starts_with('/') => {
                        " (a path that starts with / is read from the manuscript's top folder)"
                    }
                    _ => "",
                };
                Error::markdown(at.clone(), format!("image {url:?} {why}{hint}"))
            })?;
        let header = crate::image_header::read(&real).map_err(|message| {
            Error::markdown(at.clone(), format!("image {url:?} {message}"))
        })?;
        // Sized as seen: a photo stored sideways with an Exif orientation is upright.
        let (w, h) = header.displayed();
        if w == 0 || h == 0 || u64::from(w) * u64::from(h) > MAX_IMAGE_PIXELS {
            return Err(Error::markdown(
                at,
                format!(
                    "image {url:?} declares {w}×{h} pixels; at most 40 megapixels are accepted"
                ),
            ));
        }
        if alt.trim().is_empty() {
            self.out.warnings.push(Warning::at(
                at,
                format!(
                    "image {url:?} has no alt text; describe it for readers who cannot see it \
                     (until every image has one, the EPUB claims no WCAG conformance)"
                ),
            ));
        }
        let caption = self.fragment(title, offset)?;
        let line = self.index.line_col(self.text, offset).0;
        Ok(Block::Figure {
            src: relative.to_path_buf(),
            alt,
            caption,
            pixels: (w, h),
            line,
        })
    }

    /// Reads a caption or other one-line text with the book's Markdown options, so it
    /// gets the same smart punctuation and emphasis as the chapter around it.
    fn fragment(&mut self, text: &str, offset: usize) -> Result<Vec<Inline>> {
        if text.trim().is_empty() {
            return Ok(vec![]);
        }
        let mut sub = Builder {
            path: self.path,
            text: self.text,
            index: LineIndex::new(self.text),
            manuscript: self.manuscript.clone(),
            errors: Vec::new(),
            stack: vec![],
            out: ParsedChapter::default(),
            in_reflection: false,
            note_defs: BTreeMap::new(),
            note_refs: vec![],
            note_index: HashMap::new(),
            ids: BTreeSet::new(),
            explicit_ids: BTreeSet::new(),
            dropped_tags: BTreeMap::new(),
            opaque: None,
            base: 0,
            explicit_title: None,
            lead: None,
            level_one_seen: false,
        };
        let events = TextMergeWithOffset::new(parser::parser(text).into_offset_iter());
        for (event, _) in events {
            sub.event(event, offset..offset)?;
        }
        sub.close_implicit();
        self.errors.append(&mut sub.errors);
        Ok(sub
            .out
            .blocks
            .into_iter()
            .find_map(|b| match b {
                Block::Paragraph { content, .. } => Some(content),
                _ => None,
            })
            .unwrap_or_default())
    }

    fn note_ref(&mut self, label: &str, offset: usize) -> usize {
        if let Some(&i) = self.note_index.get(label) {
            return i;
        }
        let i = self.note_refs.len();
        self.note_refs.push((label.to_string(), offset));
        self.note_index.insert(label.to_string(), i);
        i
    }

    fn text(&mut self, text: &str, range: Range<usize>) -> Result<()> {
        // The file was cleaned of characters no book can show when it was read, but a
        // character reference (`&#1;`, `&#xFFFE;`) brings one back: removed here too.
        let cleaned = super::source::without_unprintable(text);
        if let Some((_, count, first)) = &cleaned {
            let source = self.text.get(range.clone()).unwrap_or("");
            let at = range.start
                + super::source::first_unprintable_reference(source).unwrap_or(0);
            self.out.warnings.push(Warning::at(
                self.at(at),
                format!(
                    "removed {count} character reference(s) to a control character or \
                     noncharacter that cannot be printed (first U+{:04X})",
                    *first as u32
                ),
            ));
        }
        let text = cleaned.as_ref().map_or(text, |(kept, ..)| kept.as_str());
        match self.stack.last_mut() {
            Some(Frame::Code { text: code, .. }) => {
                code.push_str(text);
                return Ok(());
            }
            Some(Frame::Metadata | Frame::Html { .. }) => return Ok(()),
            _ => {}
        }
        // pulldown-cmark leaves a reference to an undefined footnote as literal text.
        let source = self.text.get(range.clone()).unwrap_or("");
        let mut from = 0;
        while let Some(found) = text[from..].find("[^") {
            let start = from + found;
            from = start + 2;
            let Some(len) = text[start + 2..].find(']') else { break };
            let label = &text[start + 2..start + 2 + len];
            if label.is_empty()
                || label.contains(char::is_whitespace)
                || label.contains('[')
            {
                continue;
            }
            // `\[^label]` is an escaped, literal bracket: leave it as text.
            let spelled = format!("[^{label}]");
            let Some(at) = source.find(&spelled) else { continue };
            if source[..at].ends_with('\\') {
                continue;
            }
            self.errors.push(Error::markdown(
                self.at(range.start + at),
                format!("footnote [^{label}] is referenced but never defined"),
            ));
        }
        let text = close_quotes(text);
        let Some(pieces) = scripts::split(&text, source) else {
            return self.inline(Inline::Text(text), range.start);
        };
        for piece in pieces {
            let inline = match piece {
                scripts::Piece::Text(t) => Inline::Text(t.to_string()),
                scripts::Piece::Super(t) => {
                    Inline::Superscript(vec![Inline::Text(t.to_string())])
                }
                scripts::Piece::Sub(t) => {
                    Inline::Subscript(vec![Inline::Text(t.to_string())])
                }
            };
            self.inline(inline, range.start)?;
        }
        Ok(())
    }

    /// Sets a figure made inside running text after its paragraph; one inside a table
    /// cell goes after the table.
    fn place_figure(&mut self, figure: Block, offset: usize) -> Result<()> {
        for frame in self.stack.iter_mut().rev() {
            match frame {
                Frame::Inlines { kind: Span::Paragraph { figures, .. }, .. } => {
                    figures.push(figure);
                    return Ok(());
                }
                Frame::Table { figures, .. } => {
                    figures.push(figure);
                    return Ok(());
                }
                Frame::Inlines { .. } => {}
                _ => break,
            }
        }
        self.block(figure, offset)
    }

    /// Ends the raw HTML spans left open at the top of the stack (`<sup>` without
    /// `</sup>`) before a block boundary.
    fn close_html_spans(&mut self, offset: usize) -> Result<()> {
        while let Some(Frame::Inlines { kind: Span::Html { .. }, .. }) = self.stack.last()
        {
            if let Some(Frame::Inlines { kind, content }) = self.stack.pop() {
                self.end_span(kind, content, offset..offset)?;
            }
        }
        Ok(())
    }

    fn drop_tag(&mut self, name: &str, line: usize) {
        let lines = self.dropped_tags.entry(name.to_string()).or_default();
        if lines.last() != Some(&line) {
            lines.push(line);
        }
    }

    /// One warning for the whole chapter naming every raw HTML tag dropped.
    fn report_dropped_tags(&mut self) {
        let Some(first) = self.dropped_tags.values().flatten().min().copied() else {
            return;
        };
        let list: Vec<String> = self
            .dropped_tags
            .iter()
            .map(|(name, lines)| {
                let lines: Vec<String> = lines.iter().map(usize::to_string).collect();
                let word = if lines.len() == 1 { "line" } else { "lines" };
                format!("<{name}> ({word} {})", lines.join(", "))
            })
            .collect();
        let at = Location::new(self.path, first, 1);
        self.out.warnings.push(Warning::at(
            at,
            format!(
                "raw HTML tags with no meaning in a book were dropped, their text kept: {}",
                list.join(", ")
            ),
        ));
    }

    /// An `<img>` in raw HTML: a figure, through the same checks as a Markdown image;
    /// one whose file cannot be used is left out with a warning (its alt text kept).
    fn html_image(&mut self, attrs: &[(String, String)], offset: usize) -> Option<Block> {
        let src = html::attr(attrs, "src").unwrap_or("");
        let alt = html::attr(attrs, "alt").unwrap_or("").to_string();
        let title = html::attr(attrs, "title").unwrap_or("").to_string();
        let errors = self.errors.len();
        match self.figure(src, &title, alt.clone(), offset) {
            Ok(figure) => Some(figure),
            Err(e) => {
                self.errors.truncate(errors);
                self.out.warnings.push(Warning::at(
                    self.at(offset),
                    format!(
                        "an HTML <img> is left out: {}",
                        e.to_string().rsplit(": ").next().unwrap_or("")
                    ),
                ));
                if !alt.trim().is_empty() {
                    let _ = self.inline(Inline::Text(alt), offset);
                }
                None
            }
        }
    }

    /// Raw HTML inside running text, one tag at a time: mapped tags open spans, `<br>`
    /// breaks the line, `<img>` is a figure, `<script>` and `<style>` are dropped with
    /// their content ([`Opaque`]), other tags are dropped (their text stays).
    fn inline_html(&mut self, raw: &str, offset: usize) -> Result<()> {
        let line = self.at(offset).line;
        for (_, token) in html::tokenize(raw) {
            if let Some(opaque) = &mut self.opaque {
                if let Token::Close { name } = &token
                    && opaque.close(name)
                {
                    self.opaque = None;
                }
                continue;
            }
            match token {
                Token::Other => {}
                Token::Text(t) => {
                    if !t.trim().is_empty() {
                        self.inline(Inline::Text(t), offset)?
                    }
                }
                Token::Open { name, attrs, self_closing } => {
                    if name == "br" {
                        self.inline(Inline::LineBreak, offset)?;
                    } else if name == "img" {
                        self.ensure_inline_target(offset)?;
                        if let Some(figure) = self.html_image(&attrs, offset) {
                            self.place_figure(figure, offset)?;
                        }
                    } else if let Some(kind) = html::inline_kind(&name, &attrs) {
                        if !self_closing {
                            let frame =
                                self.open_inline(Span::Html { name, kind }, offset)?;
                            self.push(frame, offset)?;
                        }
                    } else {
                        self.drop_tag(&name, line);
                        if html::is_opaque(&name) && !self_closing {
                            self.opaque = Some(Opaque::new(name));
                        }
                    }
                }
                Token::Close { name } => {
                    if let Some(Frame::Inlines {
                        kind: Span::Html { name: open, .. },
                        ..
                    }) = self.stack.last()
                        && *open == name
                        && let Some(Frame::Inlines { kind, content }) = self.stack.pop()
                    {
                        self.end_span(kind, content, offset..offset)?;
                    }
                }
            }
        }
        Ok(())
    }

    /// A raw HTML block as a whole: text in `<p>`, `<div>` and the like becomes
    /// paragraphs, `<figure>` with `<img>` and `<figcaption>` a figure, the inline tags
    /// with a meaning their styles; comments, scripts and styles are dropped, and every
    /// other tag is dropped with its text kept.
    fn html_block(&mut self, raw: &str, offset: usize) -> Result<()> {
        let first_line = self.at(offset).line;
        let mut para = HtmlParagraph::default();
        let mut blocks: Vec<Block> = Vec::new();
        // The figure being read: its image, and whether its caption is being read.
        let mut figure: Option<Option<Block>> = None;
        let mut opaque: Option<String> = None;
        for (pos, token) in html::tokenize(raw) {
            let line = first_line + raw[..pos].matches('\n').count();
            if let Some(name) = &opaque {
                if token == (Token::Close { name: name.clone() }) {
                    opaque = None;
                }
                continue;
            }
            match token {
                Token::Other => {}
                Token::Text(t) => para.text(&t),
                Token::Open { name, attrs, self_closing } => match name.as_str() {
                    "br" => para.push(Inline::LineBreak),
                    "img" => {
                        let Some(image) = self.html_image(&attrs, offset) else {
                            continue;
                        };
                        match &mut figure {
                            Some(slot @ None) => *slot = Some(image),
                            _ => {
                                para.flush(&mut blocks, line);
                                blocks.push(image);
                            }
                        }
                    }
                    "figure" => {
                        para.flush(&mut blocks, line);
                        figure = Some(None);
                    }
                    _ if html::is_opaque(&name) => {
                        self.drop_tag(&name, line);
                        if !self_closing {
                            opaque = Some(name);
                        }
                    }
                    _ => match html::inline_kind(&name, &attrs) {
                        Some(kind) if !self_closing => para.open(name, kind),
                        Some(_) => {}
                        None => {
                            if html::is_block(&name) {
                                para.flush(&mut blocks, line);
                            }
                            if !matches!(
                                name.as_str(),
                                "p" | "div" | "figcaption" | "span"
                            ) {
                                self.drop_tag(&name, line);
                            }
                        }
                    },
                },
                Token::Close { name } => match name.as_str() {
                    "figcaption" => {
                        let caption = para.take();
                        if let Some(Some(Block::Figure { caption: c, .. })) = &mut figure
                        {
                            *c = caption;
                        } else if !caption.is_empty() {
                            blocks.push(Block::Paragraph { content: caption, line });
                        }
                    }
                    "figure" => {
                        para.flush(&mut blocks, line);
                        if let Some(Some(image)) = figure.take() {
                            blocks.push(image);
                        }
                    }
                    _ if html::is_block(&name) => para.flush(&mut blocks, line),
                    _ => para.close(&name),
                },
            }
        }
        para.flush(&mut blocks, first_line);
        if let Some(Some(image)) = figure.take() {
            blocks.push(image);
        }
        self.blocks(blocks, offset)
    }

    /// Makes sure the innermost frame collects inlines, opening an implicit paragraph in a
    /// container.
    fn ensure_inline_target(&mut self, offset: usize) -> Result<()> {
        match self.stack.last() {
            Some(Frame::Inlines { .. }) => Ok(()),
            Some(Frame::Blocks { .. }) | None => {
                let line = self.at(offset).line;
                self.push(
                    Frame::Inlines {
                        kind: Span::Paragraph { line, implicit: true, figures: vec![] },
                        content: vec![],
                    },
                    offset,
                )
            }
            Some(_) => Ok(()),
        }
    }

    fn inline(&mut self, inline: Inline, offset: usize) -> Result<()> {
        self.ensure_inline_target(offset)?;
        if let Some(Frame::Inlines { content, .. }) = self.stack.last_mut() {
            match (content.last_mut(), inline) {
                (Some(Inline::Text(prev)), Inline::Text(next)) => prev.push_str(&next),
                (_, inline) => content.push(inline),
            }
        }
        Ok(())
    }

    fn close_implicit(&mut self) {
        if let Some(Frame::Inlines {
            kind: Span::Paragraph { implicit: true, .. }, ..
        }) = self.stack.last()
            && let Some(Frame::Inlines { kind, content }) = self.stack.pop()
        {
            // An implicit paragraph only ever holds inlines, so this cannot fail on depth.
            let _ = self.end_span(kind, content, 0..0);
        }
    }

    /// Before an End event: an implicit paragraph ends with its container.
    fn close_implicit_if_not_target(&mut self) {
        self.close_implicit();
    }

    fn blocks(&mut self, blocks: Vec<Block>, offset: usize) -> Result<()> {
        for block in blocks {
            self.block(block, offset)?;
        }
        Ok(())
    }

    /// Hands a finished block to the innermost container, or to the chapter.
    fn block(&mut self, block: Block, offset: usize) -> Result<()> {
        match self.stack.last_mut() {
            Some(Frame::Blocks { blocks, .. }) => blocks.push(block),
            Some(Frame::List { items, .. }) => items.push(vec![block]),
            Some(_) => {
                self.out.warnings.push(Warning::at(
                    self.at(offset),
                    "a block inside running text was left out",
                ));
            }
            None if self.in_reflection => self.reflection_block(block),
            None => self.out.blocks.push(block),
        }
        Ok(())
    }

    /// Top-level blocks after the reflection heading: the first list gives the questions.
    fn reflection_block(&mut self, block: Block) {
        let Some(reflection) = self.out.reflection.as_mut() else { return };
        match block {
            Block::List { items, .. } if reflection.questions.is_empty() => {
                reflection.questions = items;
            }
            other if reflection.questions.is_empty() => reflection.intro.push(other),
            other => reflection.after.push(other),
        }
    }

    /// Checks footnotes and reports dropped HTML.
    fn finish(mut self) -> Result<ParsedChapter> {
        self.report_dropped_tags();
        for (label, offset) in &self.note_refs {
            if !self.note_defs.contains_key(label) {
                self.errors.push(Error::markdown(
                    self.at(*offset),
                    format!("footnote [^{label}] is referenced but never defined"),
                ));
            }
        }
        for (label, (_, offset)) in &self.note_defs {
            if !self.note_index.contains_key(label) {
                self.out.warnings.push(Warning::at(
                    self.at(*offset),
                    format!("footnote [^{label}] is defined but never referenced; it is left out"),
                ));
            }
        }
        let refs = std::mem::take(&mut self.note_refs);
        self.out.notes = refs
            .into_iter()
            .map(|(label, _)| {
                let blocks =
                    self.note_defs.remove(&label).map(|(b, _)| b).unwrap_or_default();
                Note { label, blocks }
            })
            .collect();
        self.settle_title();
        Error::many(std::mem::take(&mut self.errors))?;
        Ok(self.out)
    }
}

/// Ids the editions give their own elements (chapter and reflection titles, note
/// references and notes), which a section heading must not take.
pub(crate) fn is_reserved_id(id: &str) -> bool {
    let numbered = |prefix: &str| {
        id.strip_prefix(prefix).is_some_and(|rest| {
            !rest.is_empty()
                && rest
                    .split('-')
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
        })
    };
    matches!(id, "chapter-title" | "reflection-title")
        || numbered("note-")
        || numbered("ref-")
}

/// Calls `f` with the level and id of every section heading in `blocks`, however deeply
/// quoted or listed.
pub(crate) fn for_each_heading(
    blocks: &mut [Block],
    mut f: impl FnMut(&mut u8, &mut String),
) {
    fn walk(blocks: &mut [Block], f: &mut dyn FnMut(&mut u8, &mut String)) {
        for block in blocks {
            match block {
                Block::Heading { level, id, .. } => f(level, id),
                Block::Quote { blocks } => walk(blocks, f),
                Block::List { items, .. } => {
                    for item in items {
                        walk(item, f);
                    }
                }
                Block::Definitions { items, .. } => {
                    for (_, definitions) in items {
                        for definition in definitions {
                            walk(definition, f);
                        }
                    }
                }
                Block::Paragraph { .. }
                | Block::Code { .. }
                | Block::SceneBreak
                | Block::Figure { .. }
                | Block::Table { .. } => {}
            }
        }
    }
    walk(blocks, &mut f);
}

/// Curls the right way a quote that smart punctuation opened after a word and before
/// punctuation or a space (`c".` → `c”.`): pulldown-cmark opens it when the quote
/// before it was nested (`"a "b" c".`).
fn close_quotes(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let after_word =
            i > 0 && (chars[i - 1].is_alphanumeric() || ".,!?”’".contains(chars[i - 1]));
        let before_end = chars
            .get(i + 1)
            .is_none_or(|n| n.is_whitespace() || ".,;:!?)]”’".contains(*n));
        match c {
            '“' if after_word && before_end => out.push('”'),
            '‘' if after_word && before_end => out.push('’'),
            c => out.push(c),
        }
    }
    out
}

/// The inline an HTML element of `kind` holding `content` becomes.
fn html_inline(kind: InlineKind, content: Vec<Inline>) -> Inline {
    match kind {
        InlineKind::Emph => Inline::Emph(content),
        InlineKind::Strong => Inline::Strong(content),
        InlineKind::Superscript => Inline::Superscript(content),
        InlineKind::Subscript => Inline::Subscript(content),
        InlineKind::SmallCaps => Inline::SmallCaps(content),
    }
}

/// The paragraph being read from a raw HTML block, with its open inline elements.
#[derive(Default)]
struct HtmlParagraph {
    content: Vec<Inline>,
    open: Vec<(String, InlineKind, Vec<Inline>)>,
}

impl HtmlParagraph {
    fn target(&mut self) -> &mut Vec<Inline> {
        match self.open.last_mut() {
            Some((_, _, content)) => content,
            None => &mut self.content,
        }
    }

    fn push(&mut self, inline: Inline) {
        self.target().push(inline);
    }

    /// Text with its runs of white space made single spaces, as HTML shows them.
    fn text(&mut self, text: &str) {
        let mut out = String::new();
        for (i, word) in text.split(|c: char| c.is_ascii_whitespace()).enumerate() {
            if i > 0 && !out.ends_with(' ') {
                out.push(' ');
            }
            out.push_str(word);
        }
        let target = self.target();
        match target.last_mut() {
            Some(Inline::Text(prev)) => {
                if prev.ends_with(' ') && out.starts_with(' ') {
                    out.remove(0);
                }
                prev.push_str(&out)
            }
            _ if out.is_empty() => {}
            _ => target.push(Inline::Text(out)),
        }
    }

    fn open(&mut self, name: String, kind: InlineKind) {
        self.open.push((name, kind, Vec::new()));
    }

    fn close(&mut self, name: &str) {
        if self.open.last().is_some_and(|(n, _, _)| n == name)
            && let Some((_, kind, content)) = self.open.pop()
        {
            self.push(html_inline(kind, content));
        }
    }

    /// The paragraph's inlines, every open element closed, outer spaces trimmed.
    fn take(&mut self) -> Vec<Inline> {
        while let Some((_, kind, content)) = self.open.pop() {
            self.push(html_inline(kind, content));
        }
        let mut content = std::mem::take(&mut self.content);
        if let Some(Inline::Text(t)) = content.first_mut() {
            *t = t.trim_start().to_string();
        }
        if let Some(Inline::Text(t)) = content.last_mut() {
            *t = t.trim_end().to_string();
        }
        content.retain(|i| !matches!(i, Inline::Text(t) if t.is_empty()));
        content
    }

    fn flush(&mut self, blocks: &mut Vec<Block>, line: usize) {
        let content = self.take();
        if !is_blank(&content) {
            blocks.push(Block::Paragraph { content, line });
        }
    }
}

/// True when a paragraph holds nothing but spaces (e.g. only an image).
fn is_blank(content: &[Inline]) -> bool {
    content.iter().all(|i| matches!(i, Inline::Text(t) if t.trim().is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> ParsedChapter {
        let manuscript = Manuscript::open(&std::env::temp_dir()).unwrap();
        let source =
            SourceFile { path: Path::new("c.md"), text, manuscript: &manuscript };
        parse_chapter(&source).unwrap()
    }

    fn title(p: &ParsedChapter) -> Option<String> {
        p.title.as_deref().map(plain_text)
    }

    /// Each top-level heading as (level, id, text).
    fn headings(p: &ParsedChapter) -> Vec<(u8, String, String)> {
        p.blocks
            .iter()
            .filter_map(|b| match b {
                Block::Heading { level, id, content, .. } => {
                    Some((*level, id.clone(), plain_text(content)))
                }
                _ => None,
            })
            .collect()
    }

    fn h(level: u8, id: &str, text: &str) -> (u8, String, String) {
        (level, id.into(), text.into())
    }

    #[test]
    fn an_opening_level_one_heading_is_the_title() {
        let p = parse("# The Title\n\nText.\n\n## The Title\n");
        assert_eq!(title(&p).as_deref(), Some("The Title"));
        assert_eq!(headings(&p), [h(2, "the-title", "The Title")]);
        assert!(p.warnings.is_empty());
    }

    #[test]
    fn an_opening_heading_of_another_level_is_the_title_and_the_rest_move_up() {
        let p = parse(
            "## Title\n\nText.\n\n### Part\n\n> #### Quoted\n\n##### Deep\n\n## Back\n",
        );
        assert_eq!(title(&p).as_deref(), Some("Title"));
        assert_eq!(
            headings(&p),
            [h(2, "part", "Part"), h(4, "deep", "Deep"), h(2, "back", "Back")]
        );
        let Block::Quote { blocks } = &p.blocks[2] else { panic!("{:?}", p.blocks) };
        assert!(matches!(blocks[0], Block::Heading { level: 3, .. }));
    }

    #[test]
    fn a_level_one_heading_later_keeps_the_opening_heading_a_section() {
        let p = parse("## Opening\n\nText.\n\n# Later\n");
        assert_eq!(title(&p), None);
        assert_eq!(headings(&p), [h(2, "opening", "Opening"), h(2, "later", "Later")]);
        assert_eq!(p.warnings.len(), 1, "{:?}", p.warnings);
    }

    #[test]
    fn a_heading_after_text_is_never_the_title() {
        for text in ["Text.\n\n# Late\n", "Text.\n\n## Late\n"] {
            let p = parse(text);
            assert_eq!(title(&p), None, "{text:?}");
            assert_eq!(headings(&p), [h(2, "late", "Late")]);
        }
    }

    #[test]
    fn a_front_matter_title_replaces_an_opening_level_one_heading_only() {
        let p = parse("+++\ntitle = \"Don't Go\"\n+++\n# Don’t go!\n\nText.\n");
        // Front matter titles get smart punctuation, as headings do.
        assert_eq!(title(&p).as_deref(), Some("Don\u{2019}t Go"));
        assert!(headings(&p).is_empty() && p.warnings.is_empty(), "{:?}", p.warnings);

        let p = parse("---\ntitle: Given\n---\n# Other words\n\nText.\n");
        assert_eq!(title(&p).as_deref(), Some("Given"));
        assert!(headings(&p).is_empty());
        assert_eq!(p.warnings.len(), 1);
        assert!(
            p.warnings[0].to_string().starts_with("c.md:4:1: this heading is replaced")
        );

        let p = parse("---\ntitle: Given\n---\n## Intro\n\nText.\n\n### Sub\n");
        assert_eq!(title(&p).as_deref(), Some("Given"));
        assert_eq!(headings(&p), [h(2, "intro", "Intro"), h(3, "sub", "Sub")]);
    }

    #[test]
    fn a_title_block_gives_a_markdown_title() {
        let p = parse("% The *Long* Night\n% A. Writer\n% 2024\n\nText.\n\n## Dawn\n");
        let t = p.title.clone().unwrap();
        assert_eq!(plain_text(&t), "The Long Night");
        assert!(t.iter().any(|i| matches!(i, Inline::Emph(_))), "{t:?}");
        assert_eq!(headings(&p), [h(2, "dawn", "Dawn")]);
        assert_eq!(
            title(&parse("% 1. Beginnings\n\nText.\n")).as_deref(),
            Some("1. Beginnings")
        );
        assert_eq!(title(&parse("%\n% Author\n\nText.\n")), None);
    }

    #[test]
    fn nested_quotes_close_the_right_way() {
        let p = parse("# T\n\n\"a \"b\" c\".\n");
        let Block::Paragraph { content, .. } = &p.blocks[0] else { panic!() };
        assert_eq!(plain_text(content), "“a “b” c”.");
    }

    #[test]
    fn fences_below_the_top_are_markdown() {
        let p = parse(
            "# T\n\nOne.\n\n+++\ntitle = \"x\"\n+++\n\nTwo.\n\n---\n\nThree.\n---\n",
        );
        assert_eq!(title(&p).as_deref(), Some("T"));
        assert!(p.front.title.is_none());
        let breaks = p.blocks.iter().filter(|b| matches!(b, Block::SceneBreak)).count();
        assert_eq!(breaks, 1, "{:?}", p.blocks);
        let text: Vec<String> = p
            .blocks
            .iter()
            .filter_map(|b| match b {
                Block::Paragraph { content, .. } => Some(plain_text(content)),
                Block::Heading { content, .. } => Some(plain_text(content)),
                _ => None,
            })
            .collect();
        assert_eq!(text, ["One.", "+++ title = “x” +++", "Two.", "Three."]);
    }
}
