//! Manuscript directory → [`Book`]: reads `book.toml`, then each chapter file in the order
//! it lists them, and builds the shared model. The only module that knows Markdown.

pub mod builder;
pub mod front;
pub mod html;
pub mod links;
pub mod opaque;
pub mod parser;
pub mod scripts;
pub mod source;

use crate::config::{Config, slugify};
use crate::error::{Error, Location, Result, Warning};
use crate::input::Manuscript;
use crate::locale::numbers::{NumberStyle, format_number};
use crate::model::{Book, Chapter, ChapterKind, Metadata, Part};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use toml::Spanned;

/// Slugs the EPUB already uses for its own documents (`title.xhtml`, `copyright.xhtml`,
/// `nav.xhtml`, see `epub/mod.rs`); a chapter is `<slug>.xhtml` beside them.
const EDITION_SLUGS: &[&str] = &["title", "copyright", "nav"];

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
    let manuscript = Manuscript::open(dir)
        .map_err(|source| Error::Read { path: dir.to_path_buf(), source })?;
    let mut chapter_number = 0;
    let mut errors = Vec::new();
    for (section, part, files) in sections {
        for file in files {
            let (mut chapter, slug_set_at) =
                match load_chapter(&manuscript, config, file, section, &mut warnings) {
                    Ok(loaded) => loaded,
                    Err(e) => {
                        // Read on: one run reports every chapter's problems.
                        errors.push(e);
                        continue;
                    }
                };
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
            chapters.push((chapter, slug_set_at));
        }
    }
    Error::many(errors)?;
    let mut chapters = assign_slugs(chapters)?;
    links::resolve(&mut chapters, manuscript.dir(), &mut warnings);
    let slugs: BTreeSet<String> = chapters.iter().map(|c| c.slug.clone()).collect();
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
                slug: first_free(&format!("part-{number}"), |s| slugs.contains(s)),
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

/// `wanted`, or the first of `wanted-2`, `wanted-3`… that is not `taken`.
fn first_free(wanted: &str, taken: impl Fn(&str) -> bool) -> String {
    let mut name = wanted.to_string();
    let mut n = 1;
    while taken(&name) {
        n += 1;
        name = format!("{wanted}-{n}");
    }
    name
}

/// Reads one chapter file; the location comes with a slug set by hand in front matter.
fn load_chapter(
    manuscript: &Manuscript,
    config: &Config,
    file: &Spanned<String>,
    section: ChapterKind,
    warnings: &mut Vec<Warning>,
) -> Result<(Chapter, Option<Location>)> {
    let name = file.get_ref();
    let relative = Path::new(name);
    let path = manuscript.dir().join(relative);
    let bytes = manuscript.read(relative).map_err(|why| {
        Error::config(config.locate(file), format!("chapter file {name:?} {why}"))
    })?;
    let (text, mut decode_warnings) = source::decode_with_warnings(&path, &bytes)?;
    warnings.append(&mut decode_warnings);
    let parsed = builder::parse_chapter(&builder::SourceFile {
        path: &path,
        text: &text,
        manuscript,
    })?;
    warnings.extend(parsed.warnings);

    let front = parsed.front;
    let kind = match &front.kind {
        None => section,
        Some(k) => match k.value.as_str() {
            "dedication" => ChapterKind::Dedication,
            "epigraph" => ChapterKind::Epigraph,
            "front" => ChapterKind::Front,
            "essay" | "chapter" => ChapterKind::Essay,
            "back" => ChapterKind::Back,
            other => {
                return Err(Error::config(
                    k.at.clone(),
                    format!(
                        "kind {other:?} is not one of dedication, epigraph, front, chapter (or essay), back"
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
        None => (derived_slug(stem), None),
    };
    let handout = front.handout.unwrap_or(kind == ChapterKind::Essay);
    let chapter = Chapter {
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
        summary: front.summary,
        source: relative.to_path_buf(),
    };
    Ok((chapter, slug_set_at))
}

/// The slug a file name gives: its stem without a leading number (`01-`, `003_`), made
/// URL-safe; the number itself when that is all the name is (`01.md` → `01`).
fn derived_slug(stem: &str) -> String {
    let words =
        stem.trim_start_matches(|c: char| c.is_ascii_digit() || c == '-' || c == '_');
    [words, stem]
        .into_iter()
        .find(|s| s.chars().any(|c| c.is_ascii_alphanumeric()))
        .map_or_else(|| "chapter".to_string(), slugify)
}

/// True when a chapter may not take `slug`: the EPUB's own documents use it as a file
/// name, or the chapter's XHTML uses it as an id of its own.
fn is_reserved_slug(slug: &str) -> bool {
    EDITION_SLUGS.contains(&slug) || builder::is_reserved_id(slug)
}

/// Makes every slug unique. Slugs set by hand are kept, and two alike are an error naming
/// both places; a slug derived from a file name that is already taken (by hand, by an
/// earlier file, or by the EPUB itself) gets `-2`, `-3`, … silently. Then no section
/// heading may carry its chapter's slug, which is the id of the chapter's own section.
fn assign_slugs(loaded: Vec<(Chapter, Option<Location>)>) -> Result<Vec<Chapter>> {
    let mut by_hand: BTreeMap<&str, &Location> = BTreeMap::new();
    for (chapter, set_at) in &loaded {
        let Some(at) = set_at else { continue };
        if is_reserved_slug(&chapter.slug) {
            return Err(Error::config(
                at.clone(),
                format!(
                    "slug {:?} is taken by the book's own pages; choose another",
                    chapter.slug
                ),
            ));
        }
        if let Some(first) = by_hand.insert(&chapter.slug, at) {
            return Err(Error::config(
                at.clone(),
                format!(
                    "slug {:?} is also set by hand at {first}; two chapters cannot share a slug",
                    chapter.slug
                ),
            ));
        }
    }
    let mut used: BTreeSet<String> = by_hand.keys().map(|s| s.to_string()).collect();
    let mut chapters = Vec::with_capacity(loaded.len());
    for (mut chapter, set_at) in loaded {
        if set_at.is_none() {
            let slug =
                first_free(&chapter.slug, |s| used.contains(s) || is_reserved_slug(s));
            used.insert(slug.clone());
            chapter.slug = slug;
        }
        free_slug_id(&mut chapter);
        chapters.push(chapter);
    }
    Ok(chapters)
}

/// Renames a section heading whose id is the chapter's slug (`storm.md` with a
/// `## Storm`), which would be a second element with that id in the chapter's XHTML.
fn free_slug_id(chapter: &mut Chapter) {
    let mut ids = BTreeSet::new();
    each_heading_id(chapter, |id| {
        ids.insert(id.clone());
    });
    if !ids.contains(&chapter.slug) {
        return;
    }
    let fresh = first_free(&format!("section-{}", chapter.slug), |id| ids.contains(id));
    let slug = chapter.slug.clone();
    each_heading_id(chapter, |id| {
        if *id == slug {
            *id = fresh.clone();
        }
    });
}

/// Calls `f` with the id of every section heading of a chapter: body, reflection, notes.
fn each_heading_id(chapter: &mut Chapter, mut f: impl FnMut(&mut String)) {
    let mut visit = |_: &mut u8, id: &mut String| f(id);
    builder::for_each_heading(&mut chapter.blocks, &mut visit);
    if let Some(reflection) = &mut chapter.reflection {
        for blocks in reflection.block_runs_mut() {
            builder::for_each_heading(blocks, &mut visit);
        }
    }
    for note in &mut chapter.notes {
        builder::for_each_heading(&mut note.blocks, &mut visit);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Inline;
    use std::path::PathBuf;

    fn chapter(slug: &str, headings: &[&str]) -> Chapter {
        Chapter {
            slug: slug.into(),
            kind: ChapterKind::Essay,
            number: None,
            label: None,
            number_label: None,
            part: None,
            title: vec![Inline::Text("T".into())],
            blocks: headings
                .iter()
                .map(|id| crate::model::Block::Heading {
                    level: 2,
                    id: id.to_string(),
                    content: vec![],
                    line: 1,
                })
                .collect(),
            reflection: None,
            notes: vec![],
            handout: false,
            summary: None,
            source: PathBuf::from(format!("{slug}.md")),
        }
    }

    fn at(file: &str, line: usize) -> Option<Location> {
        Some(Location::new(Path::new(file), line, 8))
    }

    fn slugs(loaded: Vec<(Chapter, Option<Location>)>) -> Vec<String> {
        assign_slugs(loaded).unwrap().into_iter().map(|c| c.slug).collect()
    }

    #[test]
    fn derived_slugs_drop_the_leading_number_unless_it_is_all_there_is() {
        assert_eq!(derived_slug("01-fear-of-conflict"), "fear-of-conflict");
        assert_eq!(derived_slug("003-1-chapter"), "chapter");
        assert_eq!(derived_slug("2_The End"), "the-end");
        assert_eq!(derived_slug("01"), "01");
        assert_eq!(derived_slug("日本"), "chapter");
    }

    #[test]
    fn derived_slugs_that_collide_are_numbered_and_yield_to_hand_set_ones() {
        let loaded = vec![
            (chapter("chapter", &[]), None),
            (chapter("chapter", &[]), None),
            (chapter("copyright", &[]), None),
            (chapter("chapter", &[]), None),
            (chapter("chapter-2", &[]), at("e.md", 2)),
        ];
        assert_eq!(
            slugs(loaded),
            ["chapter", "chapter-3", "copyright-2", "chapter-4", "chapter-2"]
        );
    }

    #[test]
    fn two_hand_set_slugs_alike_are_an_error_naming_both() {
        let loaded =
            vec![(chapter("x", &[]), at("a.md", 2)), (chapter("x", &[]), at("b.md", 3))];
        let e = assign_slugs(loaded).unwrap_err().to_string();
        assert_eq!(
            e,
            "b.md:3:8: slug \"x\" is also set by hand at a.md:2:8; two chapters cannot share a slug"
        );
        let e = assign_slugs(vec![(chapter("nav", &[]), at("a.md", 2))]).unwrap_err();
        assert!(e.to_string().starts_with("a.md:2:8: slug \"nav\" is taken"), "{e}");
    }

    #[test]
    fn a_heading_never_shares_its_chapter_slug_as_id() {
        let loaded = vec![(chapter("storm", &["storm", "section-storm", "calm"]), None)];
        let c = assign_slugs(loaded).unwrap().remove(0);
        let ids: Vec<&str> = c
            .blocks
            .iter()
            .map(|b| match b {
                crate::model::Block::Heading { id, .. } => id.as_str(),
                _ => "",
            })
            .collect();
        assert_eq!(ids, ["section-storm-2", "section-storm", "calm"]);
    }
}
