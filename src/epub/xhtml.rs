//! Model → XHTML content documents, through a small escaping writer of our own: every
//! byte of text and every attribute value passes through [`escape`], so a document is
//! well-formed XML whatever the manuscript holds.

use crate::model::{Align, Block, Book, Chapter, ChapterKind, Inline, Note, Part};
use crate::pages::{self, TextPath, WordCounter, marker_id};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Escapes text for XML content and double-quoted attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    escape_into(text, &mut out);
    out
}

/// Characters XML 1.0 cannot hold, even as a reference, are left out: the reader removes
/// them with a warning, so one reaching here (a front-matter string, a link) is dropped
/// rather than making the document unreadable.
pub(crate) fn escape_into(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(c),
            '\0'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

/// A whole XHTML document around `body`, with `lang` on the root element.
pub fn document(lang: &str, title: &str, body: &str) -> String {
    let lang = escape(lang);
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE html>\n\
<html xmlns=\"http://www.w3.org/1999/xhtml\" xmlns:epub=\"http://www.idpf.org/2007/ops\" lang=\"{lang}\" xml:lang=\"{lang}\">\n\
<head>\n<meta charset=\"utf-8\"/>\n<title>{}</title>\n<link rel=\"stylesheet\" type=\"text/css\" href=\"stylesheet.css\"/>\n</head>\n\
<body>\n{body}</body>\n</html>\n",
        escape(title)
    )
}

/// The cover page's file name in the EPUB.
pub const COVER_FILE: &str = "cover.xhtml";

/// The cover page: the cover image alone, filling the screen, with its text alternative.
pub fn cover_page(book: &Book, image: &str, alt: &str) -> String {
    let body = format!(
        "<section class=\"cover\">\n<img src=\"{}\" alt=\"{}\" role=\"doc-cover\"/>\n</section>\n",
        escape(image),
        escape(alt)
    );
    document(&book.meta.language, &book.meta.title, &body)
}

/// The title page, made from the book's metadata; `marks` are the labels of the printed
/// pages that begin here (the half title and the title page).
pub fn title_page(book: &Book, marks: &[&str]) -> String {
    let m = &book.meta;
    let mut body = String::from(
        "<section class=\"titlepage\" epub:type=\"titlepage\" aria-label=\"",
    );
    let _ = writeln!(body, "{}\">", escape(&book.words.title_page));
    for label in marks {
        body.push_str(&page_marker(label));
    }
    let _ = writeln!(body, "<h1 class=\"title\">{}</h1>", escape(&m.title));
    if let Some(sub) = &m.subtitle {
        let _ = writeln!(body, "<p class=\"subtitle\">{}</p>", escape(sub));
    }
    let _ = writeln!(body, "<p class=\"author\">{}</p>", escape(&m.author));
    if let Some(publisher) = &m.publisher {
        let _ = writeln!(body, "<p class=\"publisher\">{}</p>", escape(publisher));
    }
    body.push_str("</section>\n");
    document(&m.language, &m.title, &body)
}

/// The copyright page: rights, publisher, identifier and date; `marks` are the print
/// edition's page markers in the copyright text (by paragraph of
/// [`Book::copyright_lines`]), which begins after the title here.
pub fn copyright_page(book: &Book, marks: Marks<'_>) -> String {
    let m = &book.meta;
    let mut w = Writer::new(0, marks);
    w.out.push_str(
        "<section class=\"copyright\" epub:type=\"copyright-page\" aria-label=\"",
    );
    let _ = writeln!(w.out, "{}\">", escape(&book.words.copyright));
    let _ = writeln!(w.out, "<p><i>{}</i></p>", escape(&m.title));
    for (i, line) in book.copyright_lines().iter().enumerate() {
        w.out.push_str("<p>");
        w.begin(&[index(i)]);
        w.text(line);
        w.end();
        w.out.push_str("</p>\n");
    }
    w.rest_of_marks();
    let mut body = w.out;
    body.push_str("</section>\n");
    document(&m.language, &book.words.copyright, &body)
}

/// One chapter as a content document.
pub fn chapter(book: &Book, chapter: &Chapter) -> String {
    chapter_with_pages(book, chapter, Marks::new())
}

/// One chapter as a content document, with the print edition's page markers `marks`
/// in its text.
pub fn chapter_with_pages(book: &Book, chapter: &Chapter, marks: Marks<'_>) -> String {
    let mut w = Writer::new(chapter.notes.len(), marks);
    let title = chapter.title_text();
    let (epub_type, role, class) = match chapter.kind {
        ChapterKind::Dedication => ("dedication", Some("doc-dedication"), "dedication"),
        ChapterKind::Epigraph => ("epigraph", Some("doc-epigraph"), "epigraph"),
        // No structural type fits "how to use this book" or "about the author" exactly, and
        // a type without its matching ARIA role is an accessibility fault: leave them plain.
        ChapterKind::Front => ("", None, "front"),
        ChapterKind::Essay => ("chapter", Some("doc-chapter"), "essay"),
        ChapterKind::Back if chapter.slug.starts_with("acknowledg") => {
            ("acknowledgments", Some("doc-acknowledgments"), "back")
        }
        ChapterKind::Back => ("", None, "back"),
    };
    let _ = write!(w.out, "<section class=\"{class}\" id=\"{}\"", escape(&chapter.slug));
    if !epub_type.is_empty() {
        let _ = write!(w.out, " epub:type=\"{epub_type}\"");
    }
    if let Some(role) = role {
        let _ = write!(w.out, " role=\"{role}\"");
    }
    if chapter.title.is_empty() {
        let label = match chapter.kind {
            ChapterKind::Dedication => &book.words.dedication,
            _ => &book.words.epigraph,
        };
        let _ = writeln!(w.out, " aria-label=\"{}\">", escape(label));
    } else {
        w.out.push_str(" aria-labelledby=\"chapter-title\">\n<header>\n");
        if let Some(label) = &chapter.label {
            w.out.push_str("<p class=\"chapter-number\">");
            w.begin(&[pages::LABEL]);
            w.text(label);
            w.end();
            w.out.push_str("</p>\n");
        }
        w.out.push_str("<h1 id=\"chapter-title\" class=\"chapter-title\">");
        w.unit_inlines(&[pages::TITLE], &chapter.title);
        w.out.push_str("</h1>\n</header>\n");
    }
    w.path = vec![pages::BODY];
    w.blocks(&chapter.blocks);
    if let Some(r) = &chapter.reflection {
        w.path.clear();
        w.out.push_str("<aside class=\"reflection\" aria-labelledby=\"reflection-title\">\n<h2 id=\"reflection-title\">");
        w.unit_inlines(&[pages::REFLECTION_TITLE], &r.title);
        w.out.push_str("</h2>\n");
        w.path = vec![pages::REFLECTION_INTRO];
        w.blocks(&r.intro);
        w.path.clear();
        w.out.push_str("<ol class=\"questions\">\n");
        for (i, q) in r.questions.iter().enumerate() {
            w.out.push_str("<li>");
            w.path = vec![pages::QUESTION, index(i)];
            w.item_body(q, true);
            w.out.push_str("</li>\n");
        }
        w.out.push_str("</ol>\n");
        w.path = vec![pages::REFLECTION_AFTER];
        w.blocks(&r.after);
        w.out.push_str("</aside>\n");
    }
    w.path.clear();
    // Markers of pages whose text this writer did not meet (none, unless the layout and
    // this writer disagree on a path): before the notes, so the page list stays whole.
    let notes_marks: Marks<'_> = w
        .marks
        .split_off(&vec![pages::NOTE])
        .into_iter()
        .filter(|(path, _)| path.first() == Some(&pages::NOTE))
        .collect();
    w.rest_of_marks();
    w.marks = notes_marks;
    if !chapter.notes.is_empty() {
        w.notes(&chapter.notes, &book.words.notes);
    }
    w.rest_of_marks();
    w.out.push_str("</section>\n");
    let title = if title.is_empty() { book.meta.title.clone() } else { title };
    document(&book.meta.language, &title, &w.out)
}

/// Body blocks alone as XHTML, without the chapter's section, title or notes: what
/// [`chapter`] writes for them (tests compare it with other Markdown renderers).
pub fn blocks(blocks: &[Block]) -> String {
    let mut w = Writer::new(0, Marks::new());
    w.blocks(blocks);
    w.out
}

/// A part's title page: its label ("Part Two") above its title; `marks` are the labels
/// of the printed pages that begin here.
pub fn part_page(book: &Book, part: &Part, marks: &[&str]) -> String {
    let mut body = format!(
        "<section class=\"part\" id=\"{}\" epub:type=\"part\" role=\"doc-part\" \
         aria-labelledby=\"part-title\">\n",
        escape(&part.slug)
    );
    for label in marks {
        body.push_str(&page_marker(label));
    }
    body.push_str("<header>\n");
    if let Some(label) = &part.label {
        let _ = writeln!(body, "<p class=\"part-number\">{}</p>", escape(label));
    }
    let _ = writeln!(
        body,
        "<h1 id=\"part-title\" class=\"part-title\">{}</h1>\n</header>\n</section>",
        escape(&part.title)
    );
    document(&book.meta.language, &part.title, &body)
}

/// The file name of a part's title page inside the EPUB.
pub fn part_file(part: &Part) -> String {
    format!("{}.xhtml", part.slug)
}

/// The file name of a chapter's document inside the EPUB.
pub fn chapter_file(chapter: &Chapter) -> String {
    format!("{}.xhtml", chapter.slug)
}

/// Accumulates one document's body.
struct Writer<'m> {
    out: String,
    /// How often each note has been referenced so far, for unique reference ids.
    ref_counts: Vec<usize>,
    /// The print edition's page markers still to place in this document.
    marks: Marks<'m>,
    /// The path of the block being written (`crate::pages::TextPath`).
    path: TextPath,
    /// The markers of the text unit being written, by word, in order, and how many of
    /// them are placed; with the word counter of the unit.
    unit: Vec<(usize, &'m str)>,
    /// How many of `unit` are placed.
    placed: usize,
    /// Counts the unit's words as the print engine does.
    words: WordCounter,
}

/// Page markers of one chapter: for each text unit, its (word, label) pairs in order.
pub type Marks<'m> = BTreeMap<TextPath, Vec<(usize, &'m str)>>;

/// The page-break marker of a printed page (DPUB-ARIA `doc-pagebreak`).
pub fn page_marker(label: &str) -> String {
    format!(
        "<span epub:type=\"pagebreak\" role=\"doc-pagebreak\" id=\"{}\" aria-label=\"{}\"/>",
        escape(&marker_id(label)),
        escape(label)
    )
}

impl<'m> Writer<'m> {
    fn new(ref_counts: usize, marks: Marks<'m>) -> Self {
        Writer {
            out: String::new(),
            ref_counts: vec![0; ref_counts],
            marks,
            path: Vec::new(),
            unit: Vec::new(),
            placed: 0,
            words: WordCounter::default(),
        }
    }

    /// Begins the text unit at `self.path` + `tail`: its markers become due.
    fn begin(&mut self, tail: &[u32]) {
        self.unit.clear();
        self.placed = 0;
        self.words = WordCounter::default();
        if self.marks.is_empty() {
            return;
        }
        let mut path = self.path.clone();
        path.extend_from_slice(tail);
        if let Some(marks) = self.marks.remove(&path) {
            self.unit = marks;
        }
    }

    /// Ends the text unit: markers past its last word go at its end (a page that begins
    /// with the tail of the unit's last word begins, as text goes, after it).
    fn end(&mut self) {
        while self.placed < self.unit.len() {
            let (_, label) = self.unit[self.placed];
            self.out.push_str(&page_marker(label));
            self.placed += 1;
        }
        self.unit.clear();
        self.placed = 0;
    }

    /// Writes the markers due before word `index`.
    fn before_word(&mut self, index: usize) {
        while let Some(&(word, label)) = self.unit.get(self.placed) {
            if word > index {
                break;
            }
            self.out.push_str(&page_marker(label));
            self.placed += 1;
        }
    }

    /// Writes text, escaped, with the unit's markers before the words they name.
    fn text(&mut self, text: &str) {
        if self.placed >= self.unit.len() {
            self.words.feed(text, |_, _| {});
            escape_into(text, &mut self.out);
            return;
        }
        let mut starts = Vec::new();
        self.words.feed(text, |offset, index| starts.push((offset, index)));
        let mut from = 0;
        for (offset, index) in starts {
            escape_into(&text[from..offset], &mut self.out);
            from = offset;
            self.before_word(index);
        }
        escape_into(&text[from..], &mut self.out);
    }

    /// Inlines as one text unit at `self.path` + `tail`.
    fn unit_inlines(&mut self, tail: &[u32], inlines: &[Inline]) {
        self.begin(tail);
        self.inlines(inlines);
        self.end();
    }

    /// Markers left over (a unit this document did not write): placed here, in order, so
    /// that every page of the page list has its target.
    fn rest_of_marks(&mut self) {
        let mut rest: Vec<(usize, &str)> = Vec::new();
        for marks in std::mem::take(&mut self.marks).into_values() {
            rest.extend(marks);
        }
        for (_, label) in rest {
            self.out.push_str(&page_marker(label));
        }
    }
}

impl Writer<'_> {
    /// A list item's blocks at `self.path`; a one-paragraph item is written without
    /// `<p>` when `bare` (a tight list's, or a reflection question's).
    fn item_body(&mut self, item: &[Block], bare: bool) {
        match item {
            [Block::Paragraph { content, .. }] if bare => {
                self.unit_inlines(&[0], content)
            }
            blocks => {
                self.out.push('\n');
                self.blocks(blocks);
            }
        }
    }

    fn blocks(&mut self, blocks: &[Block]) {
        for (i, block) in blocks.iter().enumerate() {
            self.path.push(index(i));
            self.block(block);
            self.path.pop();
        }
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Paragraph { content, .. } => {
                self.out.push_str("<p>");
                self.unit_inlines(&[], content);
                self.out.push_str("</p>\n");
            }
            Block::Heading { level, id, content, .. } => {
                let level = (*level).clamp(2, 6);
                let _ = write!(self.out, "<h{level} id=\"{}\">", escape(id));
                self.unit_inlines(&[], content);
                let _ = writeln!(self.out, "</h{level}>");
            }
            Block::Quote { blocks } => {
                self.out.push_str("<blockquote>\n");
                self.blocks(blocks);
                self.out.push_str("</blockquote>\n");
            }
            Block::List { start, items, tight } => {
                match start {
                    Some(1) => self.out.push_str("<ol>\n"),
                    Some(n) => {
                        let _ = writeln!(self.out, "<ol start=\"{n}\">");
                    }
                    None => self.out.push_str("<ul>\n"),
                }
                for (i, item) in items.iter().enumerate() {
                    self.path.push(index(i));
                    self.out.push_str("<li>");
                    self.item_body(item, *tight);
                    self.out.push_str("</li>\n");
                    self.path.pop();
                }
                self.out.push_str(if start.is_some() { "</ol>\n" } else { "</ul>\n" });
            }
            Block::Code { text, language, .. } => {
                let class = language
                    .as_deref()
                    .map(|l| format!(" class=\"language-{}\"", escape(l)))
                    .unwrap_or_default();
                let _ = write!(self.out, "<pre><code{class}>");
                self.begin(&[]);
                self.text(text.trim_end());
                self.end();
                self.out.push_str("</code></pre>\n");
            }
            Block::Definitions { items, .. } => {
                self.out.push_str("<dl>\n");
                for (t, (term, definitions)) in items.iter().enumerate() {
                    self.path.push(index(t));
                    self.out.push_str("<dt>");
                    self.unit_inlines(&[0], term);
                    self.out.push_str("</dt>\n");
                    for (d, definition) in definitions.iter().enumerate() {
                        self.path.push(index(d).saturating_add(1));
                        self.out.push_str("<dd>");
                        match definition.as_slice() {
                            [Block::Paragraph { content, .. }] => {
                                self.unit_inlines(&[0], content)
                            }
                            blocks => {
                                self.out.push('\n');
                                self.blocks(blocks);
                            }
                        }
                        self.out.push_str("</dd>\n");
                        self.path.pop();
                    }
                    self.path.pop();
                }
                self.out.push_str("</dl>\n");
            }
            Block::SceneBreak => self.out.push_str("<hr class=\"scene-break\"/>\n"),
            Block::Figure { src, alt, caption, .. } => {
                let src = src.to_string_lossy().replace('\\', "/");
                let _ = write!(
                    self.out,
                    "<figure>\n<img src=\"{}\" alt=\"{}\"/>\n",
                    escape(&src),
                    escape(alt)
                );
                if !caption.is_empty() {
                    self.out.push_str("<figcaption>");
                    self.unit_inlines(&[], caption);
                    self.out.push_str("</figcaption>\n");
                }
                self.out.push_str("</figure>\n");
            }
            Block::Table { align, header, rows, .. } => {
                self.out.push_str("<table>\n<thead>\n<tr>");
                for (i, cell) in header.iter().enumerate() {
                    self.cell("th", align.get(i), cell, [0, index(i)]);
                }
                self.out.push_str("</tr>\n</thead>\n<tbody>\n");
                for (r, row) in rows.iter().enumerate() {
                    self.out.push_str("<tr>");
                    for (i, cell) in row.iter().enumerate() {
                        let at = [index(r).saturating_add(1), index(i)];
                        self.cell("td", align.get(i), cell, at);
                    }
                    self.out.push_str("</tr>\n");
                }
                self.out.push_str("</tbody>\n</table>\n");
            }
        }
    }

    fn cell(
        &mut self,
        tag: &str,
        align: Option<&Align>,
        content: &[Inline],
        at: [u32; 2],
    ) {
        let class = match align {
            Some(Align::Left) => " class=\"left\"",
            Some(Align::Center) => " class=\"center\"",
            Some(Align::Right) => " class=\"right\"",
            Some(Align::None) | None => "",
        };
        let _ = write!(self.out, "<{tag}{class}>");
        self.unit_inlines(&at, content);
        let _ = write!(self.out, "</{tag}>");
    }

    fn inlines(&mut self, inlines: &[Inline]) {
        for inline in inlines {
            match inline {
                Inline::Text(t) => self.text(t),
                Inline::Emph(c) => self.wrap("em", c),
                Inline::Strong(c) => self.wrap("strong", c),
                Inline::Strike(c) => self.wrap("del", c),
                Inline::Superscript(c) => self.wrap("sup", c),
                Inline::Subscript(c) => self.wrap("sub", c),
                Inline::SmallCaps(c) => {
                    self.out.push_str("<span class=\"smallcaps\">");
                    self.inlines(c);
                    self.out.push_str("</span>");
                }
                Inline::Code(t) => {
                    self.out.push_str("<code>");
                    self.text(t);
                    self.out.push_str("</code>");
                }
                Inline::Link { url, content } => {
                    let _ = write!(self.out, "<a href=\"{}\">", escape(url));
                    self.inlines(content);
                    self.out.push_str("</a>");
                }
                Inline::CrossRef { chapter, anchor, content } => {
                    let _ = write!(self.out, "<a href=\"{}.xhtml", escape(chapter));
                    if let Some(anchor) = anchor {
                        let _ = write!(self.out, "#{}", escape(anchor));
                    }
                    self.out.push_str("\">");
                    self.inlines(content);
                    self.out.push_str("</a>");
                }
                Inline::NoteRef(i) => {
                    // The print edition joins the mark to the word before it.
                    let mut starts = None;
                    self.words.join(|index| starts = Some(index));
                    if let Some(index) = starts {
                        self.before_word(index);
                    }
                    let n = i + 1;
                    let count = self.ref_counts.get(*i).copied().unwrap_or(0);
                    if let Some(c) = self.ref_counts.get_mut(*i) {
                        *c += 1;
                    }
                    let id = if count == 0 {
                        format!("ref-{n}")
                    } else {
                        format!("ref-{n}-{}", count + 1)
                    };
                    let _ = write!(
                        self.out,
                        "<sup><a href=\"#note-{n}\" id=\"{id}\" epub:type=\"noteref\" role=\"doc-noteref\">{n}</a></sup>"
                    );
                }
                Inline::LineBreak => {
                    self.words.gap();
                    self.out.push_str("<br/>");
                }
            }
        }
    }

    fn wrap(&mut self, tag: &str, content: &[Inline]) {
        let _ = write!(self.out, "<{tag}>");
        self.inlines(content);
        let _ = write!(self.out, "</{tag}>");
    }

    /// Footnotes as EPUB 3 note asides, each with a link back to its first reference.
    fn notes(&mut self, notes: &[Note], label: &str) {
        let _ = writeln!(
            self.out,
            "<section class=\"notes\" aria-label=\"{}\">",
            escape(label)
        );
        for (i, note) in notes.iter().enumerate() {
            self.path = vec![pages::NOTE, index(i)];
            let n = i + 1;
            let _ = writeln!(
                self.out,
                "<aside id=\"note-{n}\" epub:type=\"footnote\" role=\"doc-footnote\">"
            );
            let back = format!(
                "<a href=\"#ref-{n}\" role=\"doc-backlink\" aria-label=\"Back to note {n} reference\">{n}.</a>"
            );
            match note.blocks.first() {
                Some(Block::Paragraph { content, .. }) => {
                    let _ = write!(self.out, "<p>{back} ");
                    self.unit_inlines(&[0], content);
                    self.out.push_str("</p>\n");
                    for (b, block) in note.blocks.iter().enumerate().skip(1) {
                        self.path.push(index(b));
                        self.block(block);
                        self.path.pop();
                    }
                }
                // A note that opens with a list or a quote still shows its number.
                _ => {
                    let _ = writeln!(self.out, "<p>{back}</p>");
                    self.blocks(&note.blocks);
                }
            }
            self.out.push_str("</aside>\n");
        }
        self.out.push_str("</section>\n");
        self.path.clear();
    }
}

/// An index as a path step, as the print layout writes it.
fn index(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::{Marks, Writer, escape, page_marker};
    use crate::model::{Block, Inline};

    /// Body blocks written with page markers at `(path, word, label)`.
    fn with_marks(blocks: &[Block], marks: &[(Vec<u32>, usize, &'static str)]) -> String {
        let mut map = Marks::new();
        for (path, word, label) in marks {
            map.entry(path.clone()).or_default().push((*word, *label));
        }
        let mut w = Writer::new(0, map);
        w.path = vec![crate::pages::BODY];
        w.blocks(blocks);
        w.rest_of_marks();
        w.out
    }

    fn paragraph(content: Vec<Inline>) -> Block {
        Block::Paragraph { content, line: 1 }
    }

    #[test]
    fn a_marker_goes_before_its_word_between_words() {
        let text = |t: &str| Inline::Text(t.into());
        let blocks = [
            paragraph(vec![text("One two  three")]),
            // "un<em>believ</em>able" is one word; the note mark joins "tale".
            paragraph(vec![
                text("un"),
                Inline::Emph(vec![text("believ")]),
                text("able tale"),
                Inline::NoteRef(0),
                text(" end"),
            ]),
        ];
        let m = |l| page_marker(l);
        let out = with_marks(
            &blocks,
            &[
                (vec![2, 0], 0, "7"),
                (vec![2, 0], 2, "8"),
                (vec![2, 1], 2, "9"),
                (vec![2, 1], 5, "10"),
            ],
        );
        assert!(
            out.starts_with(&format!("<p>{}One two  {}three</p>", m("7"), m("8"))),
            "{out}"
        );
        assert!(out.contains("tale<sup>"), "{out}");
        // Word 2 is "end" (the mark joined "tale"); word 5 does not exist: at the end.
        assert!(out.contains(&format!("</sup> {}end{}</p>", m("9"), m("10"))), "{out}");
        assert_eq!(out.matches("doc-pagebreak").count(), 4);
    }

    #[test]
    fn markers_in_code_lists_and_cells_follow_the_paths() {
        let text = |t: &str| Inline::Text(t.into());
        let blocks = [
            Block::List {
                start: None,
                items: vec![
                    vec![paragraph(vec![text("a b")])],
                    vec![paragraph(vec![text("c d")])],
                ],
                tight: true,
            },
            Block::Code {
                text: "fn main() {\n    x\n}\n".into(),
                language: None,
                line: 1,
            },
            Block::Table {
                align: vec![],
                header: vec![vec![text("h1")], vec![text("h2")]],
                rows: vec![vec![vec![text("r1")], vec![text("r2 more")]]],
                line: 1,
            },
        ];
        let m = |l| page_marker(l);
        let out = with_marks(
            &blocks,
            &[
                (vec![2, 0, 1, 0], 1, "1"),
                (vec![2, 1], 3, "2"),
                (vec![2, 2, 1, 1], 1, "3"),
                // A path no block has: still placed, at the end.
                (vec![2, 9], 0, "4"),
            ],
        );
        assert!(out.contains(&format!("<li>c {}d</li>", m("1"))), "{out}");
        assert!(out.contains(&format!("{{\n    {}x\n}}", m("2"))), "{out}");
        assert!(out.contains(&format!("<td>r2 {}more</td>", m("3"))), "{out}");
        assert!(out.ends_with(&m("4")), "{out}");
    }

    #[test]
    fn escaping_covers_markup_characters() {
        assert_eq!(escape("a < b & \"c\" > d"), "a &lt; b &amp; &quot;c&quot; &gt; d");
    }

    #[test]
    fn escaping_leaves_out_what_xml_cannot_hold() {
        assert_eq!(escape("a\u{0}\u{1}\u{B}\u{1F}b\u{FFFE}\u{FFFF}c"), "abc");
        assert_eq!(
            escape("tab\tline\nreturn\r\u{7F}\u{FFFD}"),
            "tab\tline\nreturn\r\u{7F}\u{FFFD}"
        );
    }
}
