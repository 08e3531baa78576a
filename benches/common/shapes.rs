//! Book shapes other than the default essays, for trying quire on manuscripts laid out as
//! real books are (issue 10):
//!
//! - `novel`: 60 chapters in three parts (`[contents] parts`), each file opening with YAML
//!   front matter (`title:`, and the `date:` and `tags:` that other tools leave there)
//!   and no `#` heading; narrative and dialogue in straight quotes, emphasis, scene
//!   breaks. The files are all named `NN-chapter.md`, as exports from writing tools are,
//!   so their slugs collide and quire must tell them apart. Chapters are labelled
//!   "Chapter One" (`chapter-label`, `chapter-numbers = "words"`).
//! - `manual`: 150 chapters with titles of 100 to 140 characters (over two lines of a 6 × 9
//!   contents page), sections three levels deep (`##`, `###`, `####`), lists, inline code,
//!   a table now and then; `chapter-numbers = "digits"`.
//! - `short`: five essays, a `rights` line and `copyright-notes` that fill about two pages,
//!   and a dedication of about 400 words in several paragraphs (`kind = "dedication"`).
//!
//! WORDS is spread evenly over the chapters of the shape (the chapter counts are fixed);
//! a manual chapter has at least about 350 words (its headings, with a block under each),
//! and the copyright text and the dedication do not depend on WORDS. The same WORDS, shape and
//! seed give byte-identical files.

use super::{Book, Gen, MARKER, Sentence, name_uuid, slug_of};
use std::fmt::Write as _;

/// The kind of book to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Essays of about 4,000 words each (their number follows WORDS): the benchmark book.
    Essays,
    /// 60 chapters in three parts, YAML front matter titles, no headings.
    Novel,
    /// 150 chapters with long titles and deep sections.
    Manual,
    /// Five chapters, a two-page copyright text, a long dedication.
    Short,
}

impl Shape {
    /// Every shape, the default first.
    pub const ALL: [Shape; 4] =
        [Shape::Essays, Shape::Novel, Shape::Manual, Shape::Short];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Shape::Essays => "essays",
            Shape::Novel => "novel",
            Shape::Manual => "manual",
            Shape::Short => "short",
        }
    }

    /// The shape called `name`.
    pub fn parse(name: &str) -> Option<Shape> {
        Shape::ALL.into_iter().find(|s| s.name() == name)
    }
}

/// Chapters of the novel, and how many parts they fall into.
pub const NOVEL_CHAPTERS: usize = 60;
/// Parts of the novel.
pub const NOVEL_PARTS: usize = 3;
/// Chapters of the manual.
pub const MANUAL_CHAPTERS: usize = 150;
/// Chapters of the short book.
pub const SHORT_CHAPTERS: usize = 5;
/// Shortest and longest manual chapter title, in characters.
pub const MANUAL_TITLE_CHARS: (usize, usize) = (100, 140);
/// Words in the short book's dedication, roughly.
pub const DEDICATION_WORDS: usize = 400;
/// Words in the short book's copyright notes, roughly: about two pages of 6 × 9 at the
/// copyright page's small type.
pub const COPYRIGHT_NOTE_WORDS: usize = 760;

/// Generates a book of `shape` with about `words` words.
pub fn generate_shape(shape: Shape, words: usize, seed: u64) -> Book {
    match shape {
        Shape::Essays => super::generate(words, seed),
        Shape::Novel => novel(words, seed),
        Shape::Manual => manual(words, seed),
        Shape::Short => short(words, seed),
    }
}

/// The words for chapter `i` of `n`: an even share of the `remaining` words (at least 1).
fn share(remaining: usize, n: usize, i: usize) -> usize {
    (remaining / (n - i)).max(1)
}

fn novel(words: usize, seed: u64) -> Book {
    let mut g = Gen::new(seed ^ 0x4e4f_5645_4c00);
    let mut files = Vec::new();
    let mut titles = Vec::new();
    let mut parts = Vec::new();
    let (mut remaining, mut total) = (words, 0);
    for i in 0..NOVEL_CHAPTERS {
        if i % (NOVEL_CHAPTERS / NOVEL_PARTS) == 0 {
            let title = g.title(1, 3);
            total += title.words;
            parts.push((title.text, NOVEL_CHAPTERS / NOVEL_PARTS));
        }
        let (title, text, n) = g.novel_chapter(share(remaining, NOVEL_CHAPTERS, i));
        remaining = remaining.saturating_sub(n);
        total += n;
        files.push((format!("{:02}-chapter.md", i + 1), text));
        titles.push(title);
    }
    let mut t = head("novel", words, seed, "The Benchmark Novel");
    let _ = writeln!(t, "chapter-label = \"Chapter\"");
    let _ = writeln!(t, "chapter-numbers = \"words\"");
    let _ = writeln!(t);
    let _ = writeln!(t, "[contents]");
    let _ = writeln!(t, "parts = [");
    let mut names = files.iter().map(|(n, _)| n);
    for (title, count) in &parts {
        let _ = writeln!(t, "  {{ title = \"{title}\", chapters = [");
        for name in names.by_ref().take(*count) {
            let _ = writeln!(t, "    \"{name}\",");
        }
        let _ = writeln!(t, "  ] }},");
    }
    let _ = writeln!(t, "]");
    Book { toml: t, files, words: total, notes: g.notes, titles, parts }
}

fn manual(words: usize, seed: u64) -> Book {
    let mut g = Gen::new(seed ^ 0x4d41_4e55_414c);
    let mut files = Vec::new();
    let mut titles = Vec::new();
    let mut slugs = std::collections::BTreeSet::new();
    let (mut remaining, mut total) = (words, 0);
    for i in 0..MANUAL_CHAPTERS {
        let (title, text, n) = g.manual_chapter(share(remaining, MANUAL_CHAPTERS, i));
        remaining = remaining.saturating_sub(n);
        total += n;
        let slug = unique_slug(&mut slugs, &title, i);
        files.push((format!("{:03}-{slug}.md", i + 1), text));
        titles.push(title);
    }
    let mut t = head("manual", words, seed, "The Benchmark Manual");
    let _ = writeln!(t, "chapter-numbers = \"digits\"");
    let _ = writeln!(t);
    let _ = writeln!(t, "[contents]");
    list(&mut t, "chapters", files.iter().map(|(n, _)| n.as_str()));
    Book { toml: t, files, words: total, notes: g.notes, titles, parts: Vec::new() }
}

fn short(words: usize, seed: u64) -> Book {
    let mut g = Gen::new(seed ^ 0x5348_4f52_5400);
    let (dedication, mut total) = g.dedication();
    let mut files = vec![("00-dedication.md".to_string(), dedication)];
    let mut titles = Vec::new();
    let mut slugs = std::collections::BTreeSet::new();
    let mut remaining = words;
    for i in 0..SHORT_CHAPTERS {
        let (title, text, n) = g.chapter(share(remaining, SHORT_CHAPTERS, i));
        remaining = remaining.saturating_sub(n);
        total += n;
        let slug = unique_slug(&mut slugs, &title, i);
        files.push((format!("{:02}-{slug}.md", i + 1), text));
        titles.push(title);
    }
    // Plain sentences (no Markdown, no double quotes) for the TOML strings.
    let mut notes = Vec::new();
    let mut written = 0;
    while written < COPYRIGHT_NOTE_WORDS {
        let mut note = Vec::new();
        for _ in 0..g.rng.range(4, 7) {
            let s = g.sentence();
            written += s.words;
            note.push(s.text.replace('"', "'"));
        }
        notes.push(note.join(" "));
    }
    let mut t = head("short", words, seed, "The Benchmark Pamphlet");
    let _ = writeln!(t, "copyright-notes = [");
    for note in &notes {
        let _ = writeln!(t, "  \"{note}\",");
    }
    let _ = writeln!(t, "]");
    let _ = writeln!(t);
    let _ = writeln!(t, "[contents]");
    let _ = writeln!(t, "front = [\"00-dedication.md\"]");
    list(&mut t, "chapters", files[1..].iter().map(|(n, _)| n.as_str()));
    Book {
        toml: t,
        files,
        words: total + written,
        notes: g.notes,
        titles,
        parts: Vec::new(),
    }
}

/// The file-name slug of chapter `i`'s title, made distinct from those already taken.
fn unique_slug(
    taken: &mut std::collections::BTreeSet<String>,
    title: &str,
    i: usize,
) -> String {
    let mut slug = slug_of(title);
    if !taken.insert(slug.clone()) {
        slug = format!("{slug}-{}", i + 1);
        taken.insert(slug.clone());
    }
    slug
}

/// The start of a shape's `book.toml`: the marker, and `[book]` up to its last keys.
fn head(shape: &str, words: usize, seed: u64, title: &str) -> String {
    // A name-based identifier, different for each shape.
    let tag =
        shape.bytes().fold(0x5348_4150_4521u64, |h, b| h.rotate_left(8) ^ u64::from(b));
    let uuid = name_uuid(seed, words, tag);
    let mut t = String::new();
    let _ = writeln!(t, "{MARKER}");
    let _ = writeln!(
        t,
        "# Shape {shape}, {words} words, seed {seed}. Regenerate rather than edit."
    );
    let _ = writeln!(t);
    let _ = writeln!(t, "[book]");
    let _ = writeln!(t, "title = \"{title}\"");
    let _ = writeln!(t, "author = \"Quire Corpus Generator\"");
    let _ = writeln!(t, "language = \"en-US\"");
    let _ = writeln!(t, "identifier = \"urn:uuid:{uuid}\"");
    let _ = writeln!(t, "date = \"2026-01-01\"");
    let _ = writeln!(t, "publisher = \"Quire Benchmarks\"");
    let _ = writeln!(
        t,
        "rights = \"Copyright © 2026 Quire Corpus Generator. Generated text; no rights \
         are reserved, and none are claimed in the words of any list it draws on.\""
    );
    let _ = writeln!(t, "slug = \"benchmark-{shape}\"");
    t
}

/// `key = [ ... ]`, one file a line.
fn list<'a>(t: &mut String, key: &str, names: impl Iterator<Item = &'a str>) {
    let _ = writeln!(t, "{key} = [");
    for name in names {
        let _ = writeln!(t, "  \"{name}\",");
    }
    let _ = writeln!(t, "]");
}

/// Words that name things in a manual's inline code.
const CODE_WORDS: &[&str] = &[
    "ledger", "lantern", "compass", "harbor", "archive", "journal", "kettle", "anchor",
    "bridge", "market", "thread", "needle", "signal", "window", "drawer", "station",
];

/// Small words that join a long title's capitalized words.
const TITLE_JOINS: &[&str] = &["and", "for", "of", "with", "in", "from", "between"];

impl Gen {
    /// One chapter of the novel, about `budget` words: (title, file text, words).
    fn novel_chapter(&mut self, budget: usize) -> (String, String, usize) {
        let title = self.title(2, 4);
        let tags = ["draft", "revised", "fiction", "morning", "winter", "harbor"];
        let (a, b) = (self.rng.below(3), 3 + self.rng.below(3));
        let mut out = format!(
            "---\ntitle: \"{}\"\ndate: 2020-01-01\ntags: [{}, {}]\n---\n\n",
            title.text, tags[a], tags[b]
        );
        let mut n = title.words;
        // At least one paragraph; a scene break only between two paragraphs.
        let mut after_break = true;
        loop {
            if !after_break && n > budget / 5 && self.rng.chance(0.06) {
                out.push_str("* * *\n\n");
                after_break = true;
                continue;
            }
            let p = if self.rng.chance(0.35) {
                self.dialogue()
            } else {
                self.paragraph(2, 6)
            };
            out.push_str(&p.text);
            out.push_str("\n\n");
            n += p.words;
            after_break = false;
            if n >= budget {
                break;
            }
        }
        out.pop();
        (title.text, out, n)
    }

    /// A line of dialogue in straight quotes, sometimes with a sentence after it.
    fn dialogue(&mut self) -> Sentence {
        let mut s = Sentence::new();
        self.clause(&mut s);
        let mut s = s.capitalized();
        let who = self.rng.pick(&self.v.names);
        let verb = self.rng.pick(&self.v.says);
        let end = if verb == "asked" { "?" } else { "," };
        s.text = format!("\"{}{end}\" {verb} {who}.", s.text);
        s.words += 2;
        if self.rng.chance(0.4) {
            let more = self.sentence();
            s.text.push(' ');
            s.text.push_str(&more.text);
            s.words += more.words;
        }
        if self.rng.chance(0.2) {
            s.text = self.emphasize(&s.text);
        }
        s
    }

    /// A manual chapter title of 100 to 140 characters: capitalized words joined now and
    /// then by a small word.
    fn long_title(&mut self) -> Sentence {
        let (lo, hi) = MANUAL_TITLE_CHARS;
        let mut t = Sentence::new();
        // A title neither starts nor ends with a small word, nor has two in a row.
        let mut after_join = true;
        loop {
            let join = !after_join && self.rng.chance(0.3);
            let word = if join {
                self.rng.pick(TITLE_JOINS).to_string()
            } else {
                let w = if self.rng.chance(0.35) {
                    self.rng.skewed(&self.v.adjectives)
                } else {
                    self.noun()
                };
                let mut c = w.to_string();
                c[..1].make_ascii_uppercase();
                c
            };
            if t.text.len() + 1 + word.len() > hi {
                if t.text.len() >= lo && !after_join {
                    return t;
                }
                // No way to end it here: start again, from new draws.
                t = Sentence::new();
                after_join = true;
                continue;
            }
            t.word(&word);
            after_join = join;
            if t.text.len() >= lo && !join && self.rng.chance(0.3) {
                return t;
            }
        }
    }

    /// A paragraph of a manual: plain sentences with a word or two as inline code.
    fn manual_paragraph(&mut self) -> Sentence {
        let mut p = self.paragraph(2, 5);
        if self.rng.chance(0.6) {
            let code = if self.rng.chance(0.5) {
                format!("`{}_{}()`", self.rng.pick(CODE_WORDS), self.rng.pick(CODE_WORDS))
            } else {
                format!("`--{}`", self.rng.pick(CODE_WORDS))
            };
            p.text = format!("{} Set {code} first.", p.text);
            p.words += 3;
        }
        p
    }

    /// A table of options: a header row and three to six rows.
    fn table(&mut self) -> (String, usize) {
        let mut out = String::from("| Option | Meaning | Default |\n|---|---|---|\n");
        let mut n = 3;
        for _ in 0..self.rng.range(3, 6) {
            let mut meaning = Sentence::new();
            self.noun_phrase(&mut meaning);
            let meaning = meaning.capitalized();
            let name = self.rng.pick(CODE_WORDS);
            let default = self.rng.range(0, 99);
            let _ = writeln!(out, "| `{name}` | {} | {default} |", meaning.text);
            n += meaning.words + 2;
        }
        out.pop();
        (out, n)
    }

    /// A bulleted or numbered list of three to six items.
    fn manual_list(&mut self) -> (String, usize) {
        let ordered = self.rng.chance(0.5);
        let mut out = String::new();
        let mut n = 0;
        for i in 0..self.rng.range(3, 6) {
            let item = self.sentence();
            if ordered {
                let _ = writeln!(out, "{}. {}", i + 1, item.text);
            } else {
                let _ = writeln!(out, "- {}", item.text);
            }
            n += item.words;
        }
        out.pop();
        (out, n)
    }

    /// One chapter of the manual, about `budget` words: (title, file text, words).
    fn manual_chapter(&mut self, budget: usize) -> (String, String, usize) {
        let title = self.long_title();
        let mut out = format!("# {}\n\n", title.text);
        let mut n = title.words;
        let intro = self.manual_paragraph();
        out.push_str(&intro.text);
        out.push_str("\n\n");
        n += intro.words;
        // Sections, each with subsections, some with sub-subsections; blocks in each.
        let sections = self.rng.range(2, 3);
        let leaves = sections * 2 + 2;
        let per_leaf = budget.saturating_sub(n) / leaves;
        for _ in 0..sections {
            let h = self.title(2, 4);
            let _ = write!(out, "## {}\n\n", h.text);
            n += h.words;
            for _ in 0..self.rng.range(1, 2) {
                let h = self.title(2, 4);
                let _ = write!(out, "### {}\n\n", h.text);
                n += h.words;
                n += self.manual_blocks(&mut out, per_leaf);
                if self.rng.chance(0.5) {
                    let h = self.title(1, 3);
                    let _ = write!(out, "#### {}\n\n", h.text);
                    n += h.words;
                    n += self.manual_blocks(&mut out, per_leaf / 2);
                }
            }
        }
        out.pop();
        (title.text, out, n)
    }

    /// Blocks of about `budget` words (at least one): paragraphs, lists, tables.
    fn manual_blocks(&mut self, out: &mut String, budget: usize) -> usize {
        let mut n = 0;
        loop {
            let x = self.rng.unit();
            let (text, words) = if x < 0.12 {
                self.manual_list()
            } else if x < 0.18 {
                self.table()
            } else {
                let p = self.manual_paragraph();
                (p.text, p.words)
            };
            out.push_str(&text);
            out.push_str("\n\n");
            n += words;
            if n >= budget {
                return n;
            }
        }
    }

    /// The short book's dedication: TOML front matter with `kind = "dedication"`, then
    /// about [`DEDICATION_WORDS`] words in several paragraphs. (Markdown, words.)
    fn dedication(&mut self) -> (String, usize) {
        let who = self.rng.pick(&self.v.names);
        let mut paragraphs = vec![format!("For {who}.")];
        let mut n = 2;
        while n < DEDICATION_WORDS {
            let p = self.paragraph(3, 5);
            paragraphs.push(p.text);
            n += p.words;
        }
        (format!("+++\nkind = \"dedication\"\n+++\n\n{}\n", paragraphs.join("\n\n")), n)
    }
}
