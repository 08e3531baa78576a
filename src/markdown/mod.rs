//! Manuscript directory → [`Book`]: reads `book.toml`, then each chapter file in the order
//! it lists them, and builds the shared model. The only module that knows Markdown.

pub mod builder;
pub mod front;
pub mod parser;
pub mod source;

use crate::config::{Config, slugify};
use crate::error::{Error, Location, Result, Warning};
use crate::model::{Book, Chapter, ChapterKind, Metadata};
use std::collections::BTreeSet;
use std::path::Path;
use toml::Spanned;

/// Reads the manuscript in `dir` into the model, with the warnings met on the way.
pub fn load(dir: &Path) -> Result<(Book, Vec<Warning>)> {
    let config = Config::load(dir)?;
    load_with(dir, &config)
}

/// [`load`] with an already loaded configuration.
pub fn load_with(dir: &Path, config: &Config) -> Result<(Book, Vec<Warning>)> {
    let mut warnings = Vec::new();
    let mut chapters = Vec::new();
    let sections = [
        (ChapterKind::Front, &config.contents.front),
        (ChapterKind::Essay, &config.contents.essays),
        (ChapterKind::Back, &config.contents.back),
    ];
    let mut essay_number = 0;
    let mut slugs = BTreeSet::new();
    for (section, files) in sections {
        for file in files {
            let (mut chapter, _) =
                load_chapter(dir, config, file, section, &mut warnings)?;
            if chapter.kind == ChapterKind::Essay {
                essay_number += 1;
                chapter.number = Some(essay_number);
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
        slug: config.slug(),
    };
    Ok((Book { meta, chapters }, warnings))
}

/// Reads one chapter file; the location comes with a slug set by hand in front matter.
fn load_chapter(
    dir: &Path,
    config: &Config,
    file: &Spanned<String>,
    section: ChapterKind,
    warnings: &mut Vec<Warning>,
) -> Result<(Chapter, Option<Location>)> {
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

    let front = parsed.front;
    let kind = match &front.kind {
        None => section,
        Some(k) => match k.value.as_str() {
            "dedication" => ChapterKind::Dedication,
            "epigraph" => ChapterKind::Epigraph,
            "front" => ChapterKind::Front,
            "essay" => ChapterKind::Essay,
            "back" => ChapterKind::Back,
            other => {
                return Err(Error::config(
                    k.at.clone(),
                    format!(
                        "kind {other:?} is not one of dedication, epigraph, front, essay, back"
                    ),
                ));
            }
        },
    };
    let title = parsed.title.unwrap_or_default();
    let needs_title = !matches!(kind, ChapterKind::Dedication | ChapterKind::Epigraph);
    if needs_title && title.is_empty() {
        return Err(Error::markdown(
            Location::file(&path),
            "chapter has no title: give it one with `title` in +++ or --- front matter, \
             a `% Title` first line, or a heading that opens the file",
        ));
    }
    if parsed.blocks.is_empty() && parsed.reflection.is_none() {
        warnings.push(Warning::at(Location::file(&path), "chapter has no text"));
    }
    let stem = relative.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let (slug, slug_set_at) = match front.slug {
        Some(s) => (slugify(&s.value), Some(s.at)),
        None => (
            slugify(stem.trim_start_matches(|c: char| {
                c.is_ascii_digit() || c == '-' || c == '_'
            })),
            None,
        ),
    };
    let handout = front.handout.unwrap_or(kind == ChapterKind::Essay);
    let chapter = Chapter {
        slug,
        kind,
        number: None,
        title,
        blocks: parsed.blocks,
        reflection: parsed.reflection,
        notes: parsed.notes,
        handout: handout && kind == ChapterKind::Essay,
        source: relative.to_path_buf(),
    };
    Ok((chapter, slug_set_at))
}
