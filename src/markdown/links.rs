//! Links and ids: heading ids by the GitHub/pandoc rule, hrefs made valid URLs, and links
//! between chapter files resolved to [`Inline::CrossRef`] once every chapter is loaded.

use crate::error::{Location, Warning};
use crate::model::{Block, Chapter, Inline};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

/// A heading's id made from its text as GitHub and pandoc's `gfm_auto_identifiers` make
/// it: lower case, each space a `-`, punctuation dropped but `-` and `_` kept, letters of
/// any script kept. Then made a valid XML id ([`valid_id`]).
pub fn heading_id(text: &str) -> String {
    let mut id = String::new();
    for c in text.trim().chars() {
        if c.is_whitespace() {
            id.push('-');
        } else if c == '-' || c == '_' || c.is_ascii_alphanumeric() {
            id.push(c.to_ascii_lowercase());
        } else if !c.is_ascii() && c.is_alphanumeric() {
            id.extend(c.to_lowercase());
        }
    }
    valid_id(&id)
}

/// True for a character an XML name may hold (letters of any script, digits, `-`, `_`,
/// `.`, combining marks).
fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || matches!(c, '-' | '_' | '.' | '\u{B7}')
        || (!c.is_ascii() && c.is_alphanumeric())
        || ('\u{300}'..='\u{36F}').contains(&c)
}

/// True for a character an XML name may start with.
fn is_name_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}

/// `id` as a valid XML id: characters no name may hold become `-`, and an id that starts
/// with a digit, `-` or `.` (or is empty) gets `section-` before it, as pandoc does.
pub fn valid_id(id: &str) -> String {
    let id: String = id.chars().map(|c| if is_name_char(c) { c } else { '-' }).collect();
    match id.chars().next() {
        Some(c) if is_name_start(c) => id,
        Some(_) => format!("section-{id}"),
        None => "section".to_string(),
    }
}

/// True when `url` starts with a scheme (`https:`, `mailto:`) or is protocol-relative.
pub fn has_scheme(url: &str) -> bool {
    if url.starts_with("//") {
        return true;
    }
    let Some(colon) = url.find(':') else { return false };
    let scheme = &url[..colon];
    scheme.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

/// `url` as a valid URL: spaces, quotes, `<>\^`{|}`, controls and non-ASCII characters
/// become `%XX` of their UTF-8 bytes; a `%` that does not start an escape becomes `%25`.
pub fn percent_encode(url: &str) -> String {
    let bytes = url.as_bytes();
    let mut out = String::with_capacity(url.len());
    for (i, &b) in bytes.iter().enumerate() {
        let escape = match b {
            b'%' => {
                !(bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
                    && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit))
            }
            b' ' | b'"' | b'<' | b'>' | b'\\' | b'^' | b'`' | b'{' | b'|' | b'}' => true,
            0..=0x1f | 0x7f.. => true,
            _ => false,
        };
        if escape {
            out.push_str(&format!("%{b:02X}"));
        } else {
            out.push(b as char);
        }
    }
    out
}

/// `%XX` escapes decoded (invalid UTF-8 is replaced), for matching file names.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(h), Some(l)) = (
                bytes.get(i + 1).and_then(|&b| hex(b)),
                bytes.get(i + 2).and_then(|&b| hex(b)),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Extensions a link to a chapter file may carry: the Markdown source, or the page
/// another tool would have made of it.
const CHAPTER_EXTENSIONS: &[&str] = &["md", "markdown", "html", "htm", "xhtml"];

/// `path` without `.` and with each `..` applied, as a key; `None` when it leaves the
/// manuscript directory.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(part) => out.push(part),
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// Each chapter's file (without extension) → its slug, and each slug → its heading ids.
struct Targets {
    files: BTreeMap<PathBuf, String>,
    ids: BTreeMap<String, BTreeSet<String>>,
}

/// Turns every relative link of every chapter into a cross-reference to a chapter (and
/// heading) of the book, or into plain text with a warning when it names nothing the
/// book holds. External links were made valid URLs by the builder and stay.
pub fn resolve(chapters: &mut [Chapter], dir: &Path, warnings: &mut Vec<Warning>) {
    let mut targets = Targets { files: BTreeMap::new(), ids: BTreeMap::new() };
    for chapter in chapters.iter_mut() {
        if let Some(key) = normalize(&chapter.source.with_extension("")) {
            targets.files.insert(key, chapter.slug.clone());
        }
        let mut ids = BTreeSet::new();
        super::each_heading_id(chapter, |id| {
            ids.insert(id.clone());
        });
        targets.ids.insert(chapter.slug.clone(), ids);
    }
    for chapter in chapters.iter_mut() {
        let mut r = Resolver {
            targets: &targets,
            slug: chapter.slug.clone(),
            folder: chapter.source.parent().map(Path::to_path_buf).unwrap_or_default(),
            file: dir.join(&chapter.source),
            line: 1,
            warnings,
        };
        r.inlines(&mut chapter.title);
        r.blocks(&mut chapter.blocks);
        if let Some(reflection) = &mut chapter.reflection {
            r.line = reflection.line;
            r.inlines(&mut reflection.title);
            for blocks in reflection.block_runs_mut() {
                r.blocks(blocks);
            }
        }
        for note in &mut chapter.notes {
            r.blocks(&mut note.blocks);
        }
    }
}

struct Resolver<'t, 'w> {
    targets: &'t Targets,
    slug: String,
    folder: PathBuf,
    file: PathBuf,
    /// The line of the block being walked, for warnings.
    line: usize,
    warnings: &'w mut Vec<Warning>,
}

impl Resolver<'_, '_> {
    fn warn(&mut self, message: String) {
        let at = Location::new(&self.file, self.line.max(1), 1);
        self.warnings.push(Warning::at(at, message));
    }

    fn blocks(&mut self, blocks: &mut [Block]) {
        for block in blocks {
            match block {
                Block::Paragraph { content, line }
                | Block::Heading { content, line, .. } => {
                    self.line = *line;
                    self.inlines(content);
                }
                Block::Quote { blocks } => self.blocks(blocks),
                Block::List { items, .. } => {
                    items.iter_mut().for_each(|i| self.blocks(i))
                }
                Block::Definitions { items, line } => {
                    for (term, definitions) in items {
                        self.line = *line;
                        self.inlines(term);
                        definitions.iter_mut().for_each(|d| self.blocks(d));
                    }
                }
                Block::Figure { caption, line, .. } => {
                    self.line = *line;
                    self.inlines(caption);
                }
                Block::Table { header, rows, line, .. } => {
                    self.line = *line;
                    for cell in header.iter_mut().chain(rows.iter_mut().flatten()) {
                        self.inlines(cell);
                    }
                }
                Block::Code { .. } | Block::SceneBreak => {}
            }
        }
    }

    fn inlines(&mut self, inlines: &mut Vec<Inline>) {
        let mut i = 0;
        while i < inlines.len() {
            match &mut inlines[i] {
                Inline::Link { url, content } => {
                    self.inlines(content);
                    if url.is_empty() || has_scheme(url) {
                        i += 1;
                        continue;
                    }
                    let url = std::mem::take(url);
                    let content = std::mem::take(content);
                    match self.link(&url) {
                        Some((chapter, anchor)) => {
                            inlines[i] = Inline::CrossRef { chapter, anchor, content };
                        }
                        None => {
                            let n = content.len();
                            inlines.splice(i..=i, content);
                            i += n;
                            continue;
                        }
                    }
                }
                other => {
                    if let Some(c) = other.children_mut() {
                        self.inlines(c);
                    }
                }
            }
            i += 1;
        }
    }

    /// The chapter and anchor a relative link names, or `None` (with a warning) when it
    /// names nothing in the book.
    fn link(&mut self, url: &str) -> Option<(String, Option<String>)> {
        let (path, fragment) = match url.split_once('#') {
            Some((path, fragment)) => (path, Some(percent_decode(fragment))),
            None => (url, None),
        };
        let path = path.split('?').next().unwrap_or("");
        let slug = if path.is_empty() {
            self.slug.clone()
        } else {
            let decoded = percent_decode(path);
            let relative = Path::new(&decoded);
            let extension = relative
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase)
                .unwrap_or_default();
            let key = normalize(&self.folder.join(relative).with_extension(""));
            let found = key
                .filter(|_| CHAPTER_EXTENSIONS.contains(&extension.as_str()))
                .and_then(|k| self.targets.files.get(&k).cloned());
            match found {
                Some(slug) => slug,
                None if matches!(extension.as_str(), "md" | "markdown") => {
                    self.warn(format!(
                        "the link to {url:?} names a Markdown file that is not a chapter of \
                         the book; it is kept as text"
                    ));
                    return None;
                }
                None => {
                    self.warn(format!(
                        "the link to {url:?} names a file the EPUB does not hold; it is kept \
                         as text (link to a chapter file, or give a full https:// address)"
                    ));
                    return None;
                }
            }
        };
        let anchor = match fragment.filter(|f| !f.is_empty()) {
            None => None,
            Some(fragment) => {
                let ids = self.targets.ids.get(&slug);
                let known = |id: &str| ids.is_some_and(|ids| ids.contains(id));
                let candidates = [fragment.clone(), valid_id(&fragment)];
                match candidates.into_iter().find(|c| known(c)) {
                    Some(id) => Some(id),
                    None if fragment == slug => None,
                    None => {
                        self.warn(format!(
                            "the link to {url:?} names no heading of that chapter; it points \
                             at the chapter's top"
                        ));
                        None
                    }
                }
            }
        };
        Some((slug, anchor))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_ids_follow_the_github_rule() {
        assert_eq!(heading_id("Hello, World!"), "hello-world");
        assert_eq!(heading_id("Don’t panic"), "dont-panic");
        assert_eq!(heading_id("snake_case and-dash"), "snake_case-and-dash");
        assert_eq!(heading_id("Ärger über Café"), "ärger-über-café");
        assert_eq!(heading_id("1. Intro"), "section-1-intro");
        assert_eq!(heading_id("???"), "section");
        assert_eq!(heading_id("A  B"), "a--b");
    }

    #[test]
    fn hrefs_are_percent_encoded_once() {
        assert_eq!(
            percent_encode("https://x.org/a b\"{c}|é?q=%41%zz"),
            "https://x.org/a%20b%22%7Bc%7D%7C%C3%A9?q=%41%25zz"
        );
        assert_eq!(percent_encode("mailto:me@example.com"), "mailto:me@example.com");
    }

    #[test]
    fn schemes_are_recognised() {
        assert!(has_scheme("https://x") && has_scheme("mailto:a@b") && has_scheme("//x"));
        assert!(
            !has_scheme("04-ownership.md") && !has_scheme("#a") && !has_scheme("a/b:c")
        );
    }
}
