//! The top of a chapter file, read before its Markdown: front matter — TOML between `+++`
//! lines or YAML between `---` lines — then a pandoc title block (`% Title`).
//!
//! Only the very top of a file counts, so a `+++` or `---` further down is ordinary
//! Markdown (a `---` there is a scene break). A `---` block counts as front matter only when
//! its YAML is a mapping (or empty), as pandoc has it; a file that merely opens with a scene
//! break and a line of prose is left alone. YAML front matter is read for the same four keys
//! as TOML, and every other key (date, tags, layout, …) that other tools put there is
//! ignored; TOML front matter is quire's own, so an unknown key there is an error.

use crate::error::{Error, LineIndex, Location, Result};
use serde::Deserialize;
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// A chapter's front matter, from either syntax.
#[derive(Debug, Default)]
pub struct FrontMatter {
    /// `dedication`, `epigraph`, or the section's own kind, with where it was set.
    pub kind: Option<Keyed>,
    /// The chapter title; it replaces a `#` heading that opens the file.
    pub title: Option<String>,
    /// Overrides the slug derived from the file name, with where it was set.
    pub slug: Option<Keyed>,
    /// `false` leaves this essay out of the handouts.
    pub handout: Option<bool>,
    /// A one-line summary of the chapter, for the group leader's guide.
    pub summary: Option<String>,
}

/// A front matter value and the place that set it, for diagnostics.
#[derive(Debug, Clone)]
pub struct Keyed {
    /// The value as written.
    pub value: String,
    /// Where it is.
    pub at: Location,
}

/// What the top of a file holds, and where its Markdown body starts.
#[derive(Debug, Default)]
pub struct Top {
    /// The front matter (all `None` when there is none).
    pub front: FrontMatter,
    /// The title line of a pandoc title block: its text (continuation lines joined) and
    /// the byte offset where that text starts.
    pub title_block: Option<(String, usize)>,
    /// Byte offset of the first line after the front matter and title block.
    pub body: usize,
}

/// Reads the front matter and title block at the top of `text` (the file at `path`).
pub fn read(path: &Path, text: &str, index: &LineIndex) -> Result<Top> {
    let mut top = Top::default();
    if let Some(block) = delimited(text) {
        let raw = &text[block.content.clone()];
        let at = |offset: usize| {
            let (line, column) = index.line_col(text, block.content.start + offset);
            Location::new(path, line, column)
        };
        let front = match block.fence {
            b'+' => Some(toml_front(raw, &at)?),
            _ => yaml_front(raw, &at)?,
        };
        if let Some(front) = front {
            top.front = front;
            top.body = block.end;
        }
    }
    top.title_block = title_block(text, &mut top.body);
    Ok(top)
}

/// A `+++` or `---` block at the very top of a file.
struct Delimited {
    /// `+` or `-`.
    fence: u8,
    /// The lines between the fences.
    content: Range<usize>,
    /// Just after the closing fence's line.
    end: usize,
}

/// Finds a block that opens the file with exactly three `+` or `-` (nothing else on the
/// line but spaces), whose first line is neither blank nor the closing fence, and that
/// closes with the same three characters (or `...` for YAML) at the start of a line. These
/// are the rules pulldown-cmark applies to metadata blocks, so `+++` front matter is found
/// exactly where it was before quire read it itself.
fn delimited(text: &str) -> Option<Delimited> {
    let fence = match text.as_bytes().get(..3)? {
        b"+++" => b'+',
        b"---" => b'-',
        _ => return None,
    };
    let first_end = line_end(text, 0);
    if !text[3..first_end].trim().is_empty() {
        return None;
    }
    let start = (first_end + 1).min(text.len());
    let mut pos = start;
    while pos < text.len() {
        let end = line_end(text, pos);
        let line = &text[pos..end];
        if is_closing(line, fence) {
            return (pos > start).then(|| Delimited {
                fence,
                content: start..pos,
                end: (end + 1).min(text.len()),
            });
        }
        if pos == start && line.trim().is_empty() {
            return None;
        }
        pos = end + 1;
    }
    None
}

fn is_closing(line: &str, fence: u8) -> bool {
    let rest = match line.as_bytes().get(..3) {
        Some(b"+++") if fence == b'+' => &line[3..],
        Some(b"---" | b"...") if fence == b'-' => &line[3..],
        _ => return false,
    };
    rest.trim_end_matches(' ').is_empty()
}

/// The offset of the `\n` ending the line at `pos`, or the end of the text.
fn line_end(text: &str, pos: usize) -> usize {
    text[pos..].find('\n').map_or(text.len(), |i| pos + i)
}

/// A pandoc title block where the body starts: up to three `%` lines (title, authors,
/// date), each continued on lines that begin with a space or tab. Blank lines between
/// front matter and the block are allowed. Moves `body` past the block and returns the
/// title line's text (empty for a bare `%`) and offset; authors and date are not used.
fn title_block(text: &str, body: &mut usize) -> Option<(String, usize)> {
    let mut pos = *body;
    if pos > 0 {
        while pos < text.len() && text[pos..line_end(text, pos)].trim().is_empty() {
            pos = line_end(text, pos) + 1;
        }
    }
    if !text[pos.min(text.len())..].starts_with('%') {
        return None;
    }
    let mut title: Option<(String, usize)> = None;
    for _ in 0..3 {
        if !text.get(pos..).is_some_and(|rest| rest.starts_with('%')) {
            break;
        }
        let end = line_end(text, pos);
        let line = &text[pos + 1..end];
        let offset = pos + 1 + (line.len() - line.trim_start().len());
        let mut value = line.trim().to_string();
        pos = (end + 1).min(text.len());
        while pos < text.len() && text[pos..].starts_with([' ', '\t']) {
            let end = line_end(text, pos);
            let more = text[pos..end].trim();
            if more.is_empty() {
                break;
            }
            value.push(' ');
            value.push_str(more);
            pos = (end + 1).min(text.len());
        }
        title.get_or_insert((value, offset));
    }
    *body = pos;
    title
}

/// quire's own front matter: every key known, so a typo is an error.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct TomlFront {
    kind: Option<Spanned<String>>,
    title: Option<String>,
    slug: Option<Spanned<String>>,
    handout: Option<bool>,
    summary: Option<String>,
}

fn toml_front(raw: &str, at: &dyn Fn(usize) -> Location) -> Result<FrontMatter> {
    let f: TomlFront = toml::from_str(raw).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        Error::config(at(offset), e.message().trim().to_string())
    })?;
    let keyed =
        |v: Spanned<String>| Keyed { at: at(v.span().start), value: v.into_inner() };
    Ok(FrontMatter {
        kind: f.kind.map(keyed),
        title: f.title.filter(|t| !t.trim().is_empty()),
        slug: f.slug.map(keyed),
        handout: f.handout,
        summary: nonblank(f.summary),
    })
}

/// The keys quire reads from YAML front matter; serde skips every other key.
#[derive(Deserialize)]
struct YamlFront {
    kind: Option<String>,
    title: Option<String>,
    slug: Option<String>,
    handout: Option<bool>,
    summary: Option<String>,
}

/// YAML front matter, or `None` when the block is valid YAML but not a mapping (then it
/// is not front matter but the file's first lines).
fn yaml_front(raw: &str, at: &dyn Fn(usize) -> Location) -> Result<Option<FrontMatter>> {
    let error = |e: yaml_serde::Error| {
        let start = at(0);
        let mut message = e.to_string();
        let mut place = start.clone();
        if let Some(l) = e.location() {
            let own = format!(" at line {} column {}", l.line(), l.column());
            message = message.replacen(&own, "", 1);
            place.line += l.line() - 1;
            place.column = l.column();
        }
        let message = file_lines(&message, start.line);
        Error::config(place, format!("YAML front matter: {message}"))
    };
    match yaml_serde::from_str::<yaml_serde::Value>(raw) {
        Ok(yaml_serde::Value::Mapping(_) | yaml_serde::Value::Null) => {}
        Ok(_) => return Ok(None),
        Err(e) => return Err(error(e)),
    }
    let f: YamlFront = yaml_serde::from_str(raw).map_err(error)?;
    let keyed = |key: &str, value: String| Keyed { value, at: at(key_offset(raw, key)) };
    Ok(Some(FrontMatter {
        kind: f.kind.map(|v| keyed("kind", v)),
        title: f.title.filter(|t| !t.trim().is_empty()),
        slug: f.slug.map(|v| keyed("slug", v)),
        handout: f.handout,
        summary: nonblank(f.summary),
    }))
}

/// A summary with its white space collapsed; `None` when it has no words.
fn nonblank(text: Option<String>) -> Option<String> {
    let text = text?.split_whitespace().collect::<Vec<_>>().join(" ");
    (!text.is_empty()).then_some(text)
}

/// The offset of the top-level line that sets `key` in a YAML block (its start if none
/// does, as in a flow mapping): the parser does not keep positions of values.
fn key_offset(raw: &str, key: &str) -> usize {
    let mut offset = 0;
    for line in raw.split_inclusive('\n') {
        let name = line.trim_start_matches(['"', '\'']);
        if let Some(rest) = name.strip_prefix(key)
            && rest.trim_start_matches(['"', '\'']).trim_start().starts_with(':')
        {
            return offset;
        }
        offset += line.len();
    }
    0
}

/// The parser's message with each "line N" it names counted from the top of the file
/// (the YAML starts on line `first`), so every place in a diagnostic is the file's.
fn file_lines(message: &str, first: usize) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find("line ") {
        let (before, after) = rest.split_at(i + "line ".len());
        out.push_str(before);
        let digits =
            after.len() - after.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        match after[..digits].parse::<usize>() {
            Ok(n) if n > 0 => out.push_str(&(n + first - 1).to_string()),
            _ => out.push_str(&after[..digits]),
        }
        rest = &after[digits..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn top(text: &str) -> Result<Top> {
        read(Path::new("c.md"), text, &LineIndex::new(text))
    }

    fn err(text: &str) -> String {
        top(text).unwrap_err().to_string()
    }

    #[test]
    fn toml_front_matter_is_read_and_strict() {
        let t = top("+++\ntitle = \"T\"\nslug = \"s\"\n+++\n# H\n").unwrap();
        assert_eq!(t.front.title.as_deref(), Some("T"));
        let slug = t.front.slug.unwrap();
        assert_eq!((slug.value.as_str(), slug.at.line, slug.at.column), ("s", 3, 8));
        assert_eq!(&"+++\ntitle = \"T\"\nslug = \"s\"\n+++\n# H\n"[t.body..], "# H\n");
        assert!(
            err("+++\ndate = 1\n+++\n").starts_with("c.md:2:1: unknown field `date`")
        );
    }

    #[test]
    fn yaml_front_matter_reads_four_keys_and_ignores_the_rest() {
        let text = "---\nlayout: post\ntitle: 1984\ndate: 2020-01-02\ntags: [a, b]\nauthor:\n  - name: X\n    links: {a: 1}\nkind: front\nhandout: false\n...\nBody\n";
        let t = top(text).unwrap();
        assert_eq!(t.front.title.as_deref(), Some("1984"));
        let kind = t.front.kind.unwrap();
        assert_eq!((kind.value.as_str(), kind.at.line), ("front", 9));
        assert_eq!(t.front.handout, Some(false));
        assert_eq!(&text[t.body..], "Body\n");
    }

    #[test]
    fn malformed_yaml_is_an_error_at_its_file_position() {
        assert_eq!(
            err("---\ntitle: x\n  bad: : [\n---\n"),
            "c.md:3:6: YAML front matter: mapping values are not allowed in this context"
        );
        assert_eq!(
            err("---\ntitle: [a, b]\n---\n"),
            "c.md:2:8: YAML front matter: title: invalid type: sequence, expected a string"
        );
        assert!(err("---\nhandout: maybe\n---\n").starts_with("c.md:2:10: "));
        assert_eq!(
            err("---\ntitle: x\ntags: [a, b\n---\n"),
            "c.md:4:1: YAML front matter: did not find expected ',' or ']', \
             while parsing a flow sequence at line 3 column 7"
        );
    }

    #[test]
    fn a_dash_block_that_is_not_a_mapping_is_markdown() {
        for text in [
            "---\nIt was late.\n---\n",
            "---\n- a list\n---\n",
            "---\n\ntitle: blank first line\n---\n",
            "---\ntitle: never closed\n",
            "----\ntitle: four dashes\n----\n",
            "Prose.\n\n---\ntitle: not at the top\n---\n",
            " ---\ntitle: indented\n---\n",
        ] {
            let t = top(text).unwrap();
            assert!(t.front.title.is_none() && t.body == 0, "{text:?}");
        }
        // An empty (comment-only) mapping is front matter with nothing in it.
        let t = top("---\n# just a comment\n---\nBody\n").unwrap();
        assert!(t.front.title.is_none() && t.body > 0);
    }

    #[test]
    fn title_block_gives_the_title_and_skips_authors_and_date() {
        let text = "% The *Long*\n  Night\n% A. Writer; B. Writer\n% 2024\nBody\n";
        let t = top(text).unwrap();
        let (title, offset) = t.title_block.unwrap();
        assert_eq!(title, "The *Long* Night");
        assert_eq!(offset, 2);
        assert_eq!(&text[t.body..], "Body\n");
        let t = top("%\n% Author\n\n# Heading\n").unwrap();
        assert_eq!(t.title_block.unwrap().0, "");
        let text = "---\nkind: front\n---\n\n% After front matter\n";
        assert_eq!(top(text).unwrap().title_block.unwrap().0, "After front matter");
        assert!(top("Text\n% not a title\n").unwrap().title_block.is_none());
    }
}
