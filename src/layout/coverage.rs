//! Characters no bundled face can show, found in the model before any edition is set.
//!
//! Checked once per build on the whole model rather than while lines are set, so every
//! build reports the same thing whichever editions it makes (`--format handouts` sets only
//! some chapters; `--format epub` sets none), and `quire check` reports it too.

use crate::error::{Location, Warning};
use crate::model::{Block, Book, Inline};
use crate::text::font::FontSet;
use std::collections::BTreeMap;
use std::path::Path;

/// How many places a missing character's warning names.
const PLACES_SHOWN: usize = 3;

/// One warning listing every character of `book` that no face of `fonts` has, each with
/// how often and where it occurs, located at the first occurrence; `None` when all are
/// covered. `dir` is the manuscript folder; `config` the `book.toml` the metadata is from.
pub fn missing_glyphs(
    book: &Book,
    fonts: &FontSet,
    dir: &Path,
    config: &Path,
) -> Option<Warning> {
    let mut check = Check { fonts, missing: BTreeMap::new(), first: None };
    let m = &book.meta;
    let at = Location::file(config);
    for text in [&m.title, &m.author].into_iter().chain(&m.subtitle).chain(&m.publisher) {
        check.text(text, &at);
    }
    for text in m.rights.iter().chain(&m.copyright_notes) {
        check.text(text, &at);
    }
    for part in &book.parts {
        check.text(&part.title, &at);
    }
    for chapter in &book.chapters {
        let file = dir.join(&chapter.source);
        // The title is on the file's first lines (a heading, `% Title` or front matter).
        check.inlines(&chapter.title, &Location::file(&file));
        check.blocks(&chapter.blocks, &file);
        if let Some(r) = &chapter.reflection {
            let at = Location::new(&file, r.line.max(1), 1);
            check.inlines(&r.title, &at);
            for blocks in r.block_runs() {
                check.blocks(blocks, &file);
            }
        }
        for note in &chapter.notes {
            check.blocks(&note.blocks, &file);
        }
    }
    let first = check.first?;
    let list: Vec<String> = check
        .missing
        .into_iter()
        .map(|(c, (count, places))| {
            let places: Vec<String> = places.iter().map(ToString::to_string).collect();
            format!("U+{:04X} {c:?} ×{count} ({})", c as u32, places.join(", "))
        })
        .collect();
    Some(Warning::at(
        first,
        format!(
            "no bundled font has these characters, so they print as blank boxes in the PDF \
             editions: {}",
            list.join("; ")
        ),
    ))
}

/// The walk's state: what is missing so far, and where it was first seen.
struct Check<'f> {
    fonts: &'f FontSet,
    missing: BTreeMap<char, (usize, Vec<Location>)>,
    first: Option<Location>,
}

impl Check<'_> {
    fn blocks(&mut self, blocks: &[Block], file: &Path) {
        let at = |line: usize| Location::new(file, line.max(1), 1);
        for block in blocks {
            match block {
                Block::Paragraph { content, line }
                | Block::Heading { content, line, .. } => {
                    self.inlines(content, &at(*line))
                }
                Block::Quote { blocks } => self.blocks(blocks, file),
                Block::List { items, .. } => {
                    items.iter().for_each(|i| self.blocks(i, file))
                }
                Block::Code { text, line, .. } => {
                    for (i, code_line) in text.lines().enumerate() {
                        self.text(code_line, &at(line + i));
                    }
                }
                Block::SceneBreak => {}
                Block::Definitions { items, line } => {
                    for (term, definitions) in items {
                        self.inlines(term, &at(*line));
                        definitions.iter().for_each(|d| self.blocks(d, file));
                    }
                }
                Block::Figure { caption, line, .. } => self.inlines(caption, &at(*line)),
                Block::Table { header, rows, line, .. } => {
                    // A pipe table is a row per line: header, delimiter row, body rows.
                    for cell in header {
                        self.inlines(cell, &at(*line));
                    }
                    for (r, row) in rows.iter().enumerate() {
                        for cell in row {
                            self.inlines(cell, &at(line + 2 + r));
                        }
                    }
                }
            }
        }
    }

    fn inlines(&mut self, inlines: &[Inline], at: &Location) {
        for inline in inlines {
            match inline {
                Inline::Text(t) | Inline::Code(t) => self.text(t, at),
                Inline::Emph(c)
                | Inline::Strong(c)
                | Inline::Strike(c)
                | Inline::Superscript(c)
                | Inline::Subscript(c)
                | Inline::SmallCaps(c) => self.inlines(c, at),
                Inline::Link { content, .. } | Inline::CrossRef { content, .. } => {
                    self.inlines(content, at)
                }
                Inline::NoteRef(_) | Inline::LineBreak => {}
            }
        }
    }

    fn text(&mut self, text: &str, at: &Location) {
        for c in text.chars() {
            if c.is_whitespace() || self.fonts.faces().any(|(_, face)| face.covers(c)) {
                continue;
            }
            let entry = self.missing.entry(c).or_insert((0, Vec::new()));
            entry.0 += 1;
            if entry.1.len() < PLACES_SHOWN && !entry.1.contains(at) {
                entry.1.push(at.clone());
            }
            if self.first.as_ref().is_none_or(|f| (&at.path, at.line) < (&f.path, f.line))
            {
                self.first = Some(at.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Chapter, ChapterKind};

    #[test]
    fn every_missing_character_is_listed_with_its_places() {
        let fonts = FontSet::builtin();
        let chapter = Chapter {
            slug: "a".into(),
            kind: ChapterKind::Essay,
            number: Some(1),
            label: None,
            number_label: None,
            part: None,
            title: vec![Inline::Text("Title".into())],
            blocks: vec![
                Block::Paragraph { content: vec![Inline::Text("fine".into())], line: 3 },
                Block::Heading {
                    level: 2,
                    id: "h".into(),
                    content: vec![Inline::Text("\u{1F600} x".into())],
                    line: 5,
                },
                Block::Code {
                    text: "ok\n\u{1F600}\u{1F600}".into(),
                    language: None,
                    line: 8,
                },
            ],
            reflection: None,
            notes: vec![],
            handout: true,
            summary: None,
            source: "a.md".into(),
        };
        let meta = crate::model::Metadata {
            title: "T".into(),
            subtitle: None,
            author: "A".into(),
            language: "en".into(),
            identifier: "x".into(),
            date: "2026-01-01".into(),
            publisher: None,
            rights: None,
            description: None,
            subjects: vec![],
            copyright_notes: vec![],
            slug: "t".into(),
        };
        let words = crate::locale::Words::for_language("en");
        let mut book = Book { meta, chapters: vec![chapter], parts: vec![], words };
        let w = missing_glyphs(&book, &fonts, Path::new("m"), Path::new("m/book.toml"))
            .unwrap();
        assert_eq!(
            w.to_string(),
            "m/a.md:5:1: no bundled font has these characters, so they print as blank boxes \
             in the PDF editions: U+1F600 '😀' ×3 (m/a.md:5:1, m/a.md:9:1)"
        );
        book.chapters.clear();
        assert!(
            missing_glyphs(&book, &fonts, Path::new("m"), Path::new("m/book.toml"))
                .is_none()
        );
    }
}
