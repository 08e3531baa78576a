//! Manuscript directory → [`Book`]: reads `book.toml`, then each chapter file in the order
//! it lists them, and builds the shared model. The only module that knows Markdown.

pub mod builder;
pub mod parser;
pub mod source;

use crate::config::{Config, slugify};
use crate::error::{Error, LineIndex, Location, Result, Warning};
use crate::locale::numbers::{NumberStyle, format_number};
use crate::model::{Book, Chapter, ChapterKind, Inline, Metadata, Part};
use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::Path;
use toml::Spanned;

/// Per-chapter front matter: TOML between `+++` lines at the top of a file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct FrontMatter {
    /// `dedication`, `epigraph`, or the section's own kind.
    kind: Option<Spanned<String>>,
    /// Overrides the `# ` heading.
    title: Option<String>,
    /// Overrides the slug derived from the file name.
    slug: Option<String>,
    /// `false` leaves this essay out of the handouts.
    handout: Option<bool>,
}

/// Reads the manuscript in `dir` into the model, with the warnings met on the way.
pub fn load(dir: &Path) -> Result<(Book, Vec<Warning>)> {
    let config = Config::load(dir)?;
    load_with(dir, &config)
}

/// [`load`] with an already loaded configuration.
pub fn load_with(dir: &Path, config: &Config) -> Result<(Book, Vec<Warning>)> {
    let mut warnings = Vec::new();
    let mut chapters = Vec::new();
    let words = config.words();
    let language = config.book.language.get_ref();
    let c = &config.contents;
    let mut sections: Vec<Section<'_>> = vec![
        (ChapterKind::Front, None, &c.front),
        (ChapterKind::Essay, None, &c.chapters),
    ];
    for (i, part) in c.parts.iter().enumerate() {
        sections.push((ChapterKind::Essay, Some(i), &part.chapters));
    }
    sections.push((ChapterKind::Back, None, &c.back));
    let mut chapter_number = 0;
    let mut slugs = BTreeSet::new();
    for (section, part, files) in sections {
        for file in files {
            let mut chapter = load_chapter(dir, config, file, section, &mut warnings)?;
            if chapter.kind == ChapterKind::Essay {
                chapter_number += 1;
                chapter.number = Some(chapter_number);
                chapter.part = part;
                let number =
                    format_number(chapter_number, config.chapter_numbers(), language);
                chapter.label = label(&words.chapter, number.as_deref());
                chapter.number_label = match config.chapter_numbers() {
                    NumberStyle::None => None,
                    NumberStyle::Roman => number,
                    _ => Some(chapter_number.to_string()),
                };
            }
            if !slugs.insert(chapter.slug.clone()) {
                return Err(Error::config(
                    config.locate(file),
                    format!(
                        "two chapters share the slug {:?}; set `slug` in one's front matter",
                        chapter.slug
                    ),
                ));
            }
            chapters.push(chapter);
        }
    }
    let parts = c
        .parts
        .iter()
        .enumerate()
        .map(|(i, part)| {
            let number = i as u32 + 1;
            let formatted = format_number(number, config.part_numbers(), language);
            Part {
                number,
                label: label(&words.part, formatted.as_deref()),
                title: part.title.get_ref().trim().to_string(),
                slug: unused_slug(&format!("part-{number}"), &slugs),
            }
        })
        .collect();
    let b = &config.book;
    let meta = Metadata {
        title: b.title.clone(),
        subtitle: b.subtitle.clone(),
        author: b.author.clone(),
        language: b.language.get_ref().clone(),
        identifier: b.identifier.get_ref().clone(),
        date: b.date.get_ref().clone(),
        publisher: b.publisher.clone(),
        rights: b.rights.clone(),
        description: b.description.clone(),
        subjects: b.subjects.clone(),
        copyright_notes: b.copyright_notes.clone(),
        slug: config.slug(),
    };
    Ok((Book { meta, chapters, parts, words }, warnings))
}

/// A run of chapter files in reading order: their section, their part, the files.
type Section<'c> = (ChapterKind, Option<usize>, &'c [Spanned<String>]);

/// "Chapter Three": the label word and the number, either of which may be missing.
fn label(word: &str, number: Option<&str>) -> Option<String> {
    let number = number?;
    let word = word.trim();
    Some(if word.is_empty() { number.to_string() } else { format!("{word} {number}") })
}

/// `wanted`, or `wanted-2`, `wanted-3`… when a chapter already has it.
fn unused_slug(wanted: &str, taken: &BTreeSet<String>) -> String {
    let mut slug = wanted.to_string();
    let mut n = 2;
    while taken.contains(&slug) {
        slug = format!("{wanted}-{n}");
        n += 1;
    }
    slug
}

fn load_chapter(
    dir: &Path,
    config: &Config,
    file: &Spanned<String>,
    section: ChapterKind,
    warnings: &mut Vec<Warning>,
) -> Result<Chapter> {
    let name = file.get_ref();
    let relative = Path::new(name);
    if relative.is_absolute()
        || relative.components().any(|c| matches!(c, std::path::Component::ParentDir))
    {
        return Err(Error::config(
            config.locate(file),
            format!("chapter file {name:?} is outside the manuscript folder"),
        ));
    }
    let path = dir.join(relative);
    let bytes = std::fs::read(&path).map_err(|e| {
        Error::config(
            config.locate(file),
            format!("chapter file {name:?} cannot be read: {e}"),
        )
    })?;
    let (text, mut decode_warnings) = source::decode_with_warnings(&path, &bytes)?;
    warnings.append(&mut decode_warnings);
    let parsed = builder::parse_chapter(&builder::SourceFile {
        path: &path,
        text: &text,
        root: dir,
    })?;
    warnings.extend(parsed.warnings);

    let front: FrontMatter = match &parsed.front_matter {
        Some((raw, offset)) => toml::from_str(raw).map_err(|e| {
            // The TOML starts on the line after the opening `+++`.
            let index = LineIndex::new(&text);
            let body_start =
                text[*offset..].find('\n').map_or(*offset, |i| offset + i + 1);
            let span = e.span().unwrap_or(0..0);
            let (line, column) = index.line_col(&text, body_start + span.start);
            Error::config(
                Location::new(&path, line, column),
                e.message().trim().to_string(),
            )
        })?,
        None => FrontMatter::default(),
    };
    let kind = match front.kind.as_ref().map(|k| k.get_ref().as_str()) {
        None => section,
        Some("dedication") => ChapterKind::Dedication,
        Some("epigraph") => ChapterKind::Epigraph,
        Some("front") => ChapterKind::Front,
        Some("essay" | "chapter") => ChapterKind::Essay,
        Some("back") => ChapterKind::Back,
        Some(other) => {
            return Err(Error::config(
                Location::file(&path),
                format!(
                    "kind {other:?} is not one of dedication, epigraph, front, chapter (or essay), back"
                ),
            ));
        }
    };
    let title = match (front.title, parsed.title) {
        (Some(t), _) => vec![Inline::Text(t)],
        (None, Some(t)) => t,
        (None, None) => Vec::new(),
    };
    let needs_title = !matches!(kind, ChapterKind::Dedication | ChapterKind::Epigraph);
    if needs_title && title.is_empty() {
        return Err(Error::markdown(
            Location::file(&path),
            "chapter has no title: begin it with a `# Title` line",
        ));
    }
    if parsed.blocks.is_empty() && parsed.reflection.is_none() {
        warnings.push(Warning::at(Location::file(&path), "chapter has no text"));
    }
    let stem = relative.file_stem().and_then(|s| s.to_str()).unwrap_or("chapter");
    let slug = match front.slug {
        Some(s) => slugify(&s),
        None => slugify(
            stem.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_'),
        ),
    };
    let handout = front.handout.unwrap_or(kind == ChapterKind::Essay);
    Ok(Chapter {
        slug,
        kind,
        number: None,
        label: None,
        number_label: None,
        part: None,
        title,
        blocks: parsed.blocks,
        reflection: parsed.reflection,
        notes: parsed.notes,
        handout: handout && kind == ChapterKind::Essay,
        source: relative.to_path_buf(),
    })
}
