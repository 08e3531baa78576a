//! From a flat list of Word paragraphs to a book: metadata, chapters (front matter,
//! numbered chapters, back matter) and, inside each chapter, sections, quotes, lists,
//! scene breaks, figures and tables.
//!
//! Fourth phase of `quire import`. The decisions, in order:
//!
//! 1. **Chapters** start at Heading 1 paragraphs. A document with none starts them where
//!    Vellum would: at Title paragraphs, at "Chapter N" lines, and at short centred bold
//!    lines that open a page. Title, Subtitle and Author paragraphs before the first
//!    chapter are the book's title page, not a chapter.
//! 2. **Front and back matter** are recognised by their usual titles (Dedication,
//!    Foreword, Acknowledgements, About the Author…): front matter only before the first
//!    numbered chapter, back matter only after it, so the reading order never changes.
//!    A dedication's or epigraph's title is dropped (quire sets them untitled).
//! 3. **Inside a chapter**, consecutive list paragraphs make one list, nested by their
//!    level; consecutive quotation paragraphs (a quote style, or a paragraph indented
//!    from the left margin) make one block quote; a paragraph of `***`, `#` or an ornament
//!    is a scene break; an image's paragraph and the caption under it make a figure.
//! 4. A closing "For reflection" heading followed by a list becomes quire's reflection
//!    section.

use super::document::{Item, Para, Span, Table, has_text, plain};
use super::report::{Loss, Report};
use super::styles::{ListRef, Numbering, Role};
use std::collections::BTreeMap;

/// A left indent at least this large (twentieths of a point: half an inch) makes a
/// paragraph a quotation; first-line indents and list indents do not count.
const QUOTE_INDENT: i64 = 567;

/// Lines longer than this are never taken for a chapter heading or a scene break.
const MAX_HEADING_CHARS: usize = 80;

/// What the title page of the document says.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    /// The Title paragraph.
    pub title: Option<String>,
    /// The Subtitle paragraph.
    pub subtitle: Option<String>,
    /// The Author paragraph.
    pub author: Option<String>,
    /// The Date paragraph.
    pub date: Option<String>,
}

/// Which part of the book a chapter is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A dedication: untitled.
    Dedication,
    /// An epigraph: untitled.
    Epigraph,
    /// Other front matter.
    Front,
    /// A numbered chapter.
    Essay,
    /// Back matter.
    Back,
}

/// A block of a chapter.
#[derive(Debug, Clone)]
pub enum Block {
    /// A paragraph.
    Para(Vec<Span>),
    /// A section heading (level 2 to 6).
    Heading {
        /// 2 to 6.
        level: u8,
        /// Its text.
        spans: Vec<Span>,
        /// The closing reflection-questions heading.
        reflection: bool,
    },
    /// A block quote.
    Quote(Vec<Block>),
    /// A list; `start` is `Some` for a numbered one.
    List {
        /// The first number, for a numbered list.
        start: Option<u64>,
        /// Each item's blocks.
        items: Vec<Vec<Block>>,
    },
    /// A scene break.
    SceneBreak,
    /// An image with its caption.
    Figure {
        /// Index into the parsed images.
        image: usize,
        /// The caption (may be empty).
        caption: Vec<Span>,
    },
    /// A table.
    Table(Table),
    /// Preformatted text.
    Code(String),
}

/// A chapter.
#[derive(Debug, Clone)]
pub struct Chapter {
    /// Its title (empty for a dedication or an epigraph).
    pub title: Vec<Span>,
    /// Which part of the book it is.
    pub kind: Kind,
    /// Its body.
    pub blocks: Vec<Block>,
    /// The paragraph number (in the document) of its first paragraph, for the report.
    pub first_paragraph: usize,
}

/// The book as the document lays it out.
#[derive(Debug, Clone, Default)]
pub struct Book {
    /// Title page facts.
    pub meta: Meta,
    /// Chapters in reading order.
    pub chapters: Vec<Chapter>,
}

/// Front-matter titles (lower case; a title equal to one, or starting with one followed
/// by a space, counts).
const FRONT: &[&str] = &[
    "dedication",
    "epigraph",
    "foreword",
    "forward",
    "preface",
    "prologue",
    "introduction",
    "author's note",
    "author’s note",
    "a note to the reader",
    "note to the reader",
    "to the reader",
    "a note on",
    "how to use this book",
    "about this book",
    "copyright",
];

/// Back-matter titles, as [`FRONT`].
const BACK: &[&str] = &[
    "afterword",
    "epilogue",
    "acknowledgements",
    "acknowledgments",
    "about the author",
    "about the authors",
    "also by",
    "notes",
    "endnotes",
    "bibliography",
    "references",
    "further reading",
    "resources",
    "glossary",
    "appendix",
    "index",
    "credits",
    "permissions",
    "reading group guide",
    "discussion questions",
];

/// Headings that open an essay's closing questions.
const REFLECTION: &[&str] = &[
    "for reflection",
    "reflection",
    "reflection questions",
    "questions for reflection",
    "questions for discussion",
    "discussion questions",
    "for discussion",
    "questions",
];

/// Whether `title` (any case) is one of `list`, or starts with one and a space.
fn title_in(title: &str, list: &[&str]) -> bool {
    let t = title.trim().trim_end_matches([':', '.']).to_lowercase();
    list.iter().any(|w| t == *w || t.strip_prefix(w).is_some_and(|r| r.starts_with(' ')))
}

/// Builds the book.
pub fn book(items: Vec<Item>, numbering: &Numbering, report: &mut Report) -> Book {
    let items = drop_contents(items, report);
    let has_heading_1 = items.iter().any(|i| is_role(i, Role::Heading(1)));
    let mut meta = Meta::default();
    let mut rest = items.into_iter().peekable();

    // The title page: Title, Subtitle, Author and Date paragraphs before anything else,
    // when chapters are marked some other way (else a Title opens a chapter).
    let mut leading = Vec::new();
    while let Some(Item::Para(p)) = rest.peek() {
        let role = p.role;
        let title_page = matches!(role, Role::Subtitle | Role::Author | Role::Date)
            || (role == Role::Title && meta.title.is_none());
        if !title_page && p.spans.iter().any(has_text) {
            break;
        }
        if let Some(Item::Para(p)) = rest.next() {
            leading.push(p);
        }
    }
    let mut body: Vec<Item> = Vec::new();
    let later_starts =
        |items: &[Item]| items.iter().any(|i| chapter_start(i, false, false));
    let remaining: Vec<Item> = rest.collect();
    let title_is_book = has_heading_1 || later_starts(&remaining);
    for p in leading {
        let text = plain(&p.spans).trim().to_string();
        if text.is_empty() {
            continue;
        }
        match p.role {
            Role::Title if title_is_book => meta.title = Some(text),
            Role::Subtitle => meta.subtitle = Some(text),
            Role::Author => meta.author = Some(text),
            Role::Date => meta.date = Some(text),
            _ => body.push(Item::Para(p)),
        }
    }
    body.extend(remaining);

    // Split into chapters.
    let mut chapters: Vec<(Option<Para>, Vec<Item>)> = Vec::new();
    let mut after_break = true;
    for item in body {
        let starts = chapter_start(&item, has_heading_1, after_break);
        after_break = match &item {
            Item::Para(p) => {
                p.page_break_after
                    || (p.page_break_before && !p.spans.iter().any(has_text))
            }
            Item::Table(_) => false,
        };
        if let (true, Item::Para(p)) = (starts, &item) {
            let mut p = p.clone();
            // "Chapter 3" alone, with the title on the next line, is handled below.
            p.page_break_before = false;
            chapters.push((Some(p), Vec::new()));
            continue;
        }
        match chapters.last_mut() {
            Some((_, items)) => items.push(item),
            None => chapters.push((None, vec![item])),
        }
    }

    // Titles and kinds.
    let mut book = Book { meta, chapters: Vec::new() };
    let mut seen_essay = false;
    let mut seen_back = false;
    for (heading, mut items) in chapters {
        let first_paragraph = heading
            .as_ref()
            .map(|p| p.number)
            .or_else(|| {
                items.iter().find_map(|i| match i {
                    Item::Para(p) => Some(p.number),
                    Item::Table(_) => None,
                })
            })
            .unwrap_or(1);
        let title = match heading {
            Some(h) => chapter_title(h, &mut items),
            None => {
                if !items.iter().any(item_has_text) {
                    continue;
                }
                report.note(
                    "the text before the first chapter heading was put in a front-matter \
                     chapter titled \"Front Matter\": retitle it, split it or delete it",
                );
                vec![Span::Text {
                    text: "Front Matter".into(),
                    fmt: Default::default(),
                    link: None,
                }]
            }
        };
        let text = plain(&title);
        let mut kind = if seen_back {
            Kind::Back
        } else if !seen_essay && title_in(&text, FRONT) {
            Kind::Front
        } else if seen_essay && title_in(&text, BACK) {
            Kind::Back
        } else {
            Kind::Essay
        };
        seen_essay |= kind == Kind::Essay;
        seen_back |= kind == Kind::Back;
        let lower = text.trim().to_lowercase();
        if kind == Kind::Front && lower == "dedication" {
            kind = Kind::Dedication;
        } else if kind == Kind::Front && (lower == "epigraph" || lower == "epigraphs") {
            kind = Kind::Epigraph;
        }
        let title = if matches!(kind, Kind::Dedication | Kind::Epigraph) {
            Vec::new()
        } else {
            title
        };
        let mut blocks = blocks(&items, numbering, report);
        if kind == Kind::Essay {
            mark_reflection(&mut blocks);
        }
        book.chapters.push(Chapter { title, kind, blocks, first_paragraph });
    }
    book
}

/// Removes tables of contents (TOC-styled paragraphs), counting each run of them once.
fn drop_contents(items: Vec<Item>, report: &mut Report) -> Vec<Item> {
    let mut out = Vec::with_capacity(items.len());
    let mut in_contents = false;
    for item in items {
        let contents = is_role(&item, Role::Contents);
        if contents
            && !in_contents
            && let Item::Para(p) = &item
        {
            let place = p.place.clone();
            report.count(Loss::Contents, || place);
        }
        in_contents = contents;
        if !contents {
            out.push(item);
        }
    }
    out
}

fn is_role(item: &Item, role: Role) -> bool {
    matches!(item, Item::Para(p) if p.role == role)
}

fn item_has_text(item: &Item) -> bool {
    match item {
        Item::Para(p) => p.spans.iter().any(has_text),
        Item::Table(_) => true,
    }
}

/// Whether a paragraph opens a chapter: a Heading 1, or, in a document without Heading
/// 1, a Title, a "Chapter N" line, or a short centred bold line after a page break.
fn chapter_start(item: &Item, has_heading_1: bool, after_break: bool) -> bool {
    let Item::Para(p) = item else { return false };
    // A heading with no words (an image, a page break) titles nothing.
    if plain(&p.spans).trim().is_empty() {
        return false;
    }
    if has_heading_1 {
        return p.role == Role::Heading(1) || (p.role == Role::Title && p.number > 1);
    }
    let text = plain(&p.spans);
    let text = text.trim();
    if text.is_empty() || text.chars().count() > MAX_HEADING_CHARS || p.list.is_some() {
        return false;
    }
    if p.role == Role::Title || is_chapter_number(text) {
        return true;
    }
    let all_bold = p.spans.iter().all(|s| match s {
        Span::Text { text, fmt, .. } => fmt.bold || text.trim().is_empty(),
        _ => true,
    });
    p.centered && all_bold && (after_break || p.page_break_before) && !is_scene_break(p)
}

/// "Chapter 3", "CHAPTER THREE", "Chapter 12: The Storm", "Ch. 4".
fn is_chapter_number(text: &str) -> bool {
    chapter_number_rest(text).is_some()
}

/// What follows "Chapter N" (maybe empty), or `None` if the text does not start so.
fn chapter_number_rest(text: &str) -> Option<&str> {
    let rest = ["chapter ", "ch. "].iter().find_map(|p| {
        let head = text.get(..p.len())?;
        head.eq_ignore_ascii_case(p).then(|| &text[p.len()..])
    })?;
    let word_end = rest
        .find(|c: char| c.is_whitespace() || ":.—–-".contains(c))
        .unwrap_or(rest.len());
    let number = &rest[..word_end];
    let numeric = !number.is_empty()
        && (number.chars().all(|c| c.is_ascii_digit())
            || number.chars().all(|c| "ivxlcIVXLC".contains(c))
            || crate::locale::numbers::is_english_number_word(number)
            || number.contains('-'));
    numeric.then(|| {
        rest[word_end..]
            .trim_start_matches(|c: char| c.is_whitespace() || ":.—–-".contains(c))
    })
}

/// The title of a chapter from its heading paragraph: "Chapter 3: The Storm" loses its
/// number (quire numbers chapters itself); a bare "Chapter 3" takes the next line as
/// its title when that line looks like one.
fn chapter_title(heading: Para, items: &mut Vec<Item>) -> Vec<Span> {
    let text = plain(&heading.spans);
    let spans = strip_bold(heading.spans);
    let Some(rest) = chapter_number_rest(text.trim()) else { return spans };
    if !rest.is_empty() {
        return vec![Span::Text {
            text: rest.to_string(),
            fmt: Default::default(),
            link: None,
        }];
    }
    // A bare number: is the next paragraph its title?
    let next = items.iter().position(item_has_text);
    if let Some(i) = next
        && let Item::Para(p) = &items[i]
        && (p.centered
            || matches!(p.role, Role::Subtitle | Role::Heading(_) | Role::Title))
        && plain(&p.spans).trim().chars().count() <= MAX_HEADING_CHARS
        && p.list.is_none()
    {
        let Item::Para(p) = items.remove(i) else { return spans };
        return strip_bold(p.spans);
    }
    spans
}

/// A title's spans without bold, which is the heading's look, not emphasis.
fn strip_bold(spans: Vec<Span>) -> Vec<Span> {
    let all_bold = spans.iter().all(|s| match s {
        Span::Text { fmt, text, .. } => fmt.bold || text.trim().is_empty(),
        _ => true,
    });
    spans
        .into_iter()
        .filter(|s| !matches!(s, Span::Break | Span::Image(_) | Span::Rule))
        .map(|s| match s {
            Span::Text { text, mut fmt, link } => {
                if all_bold {
                    fmt.bold = false;
                }
                Span::Text { text, fmt, link }
            }
            other => other,
        })
        .collect()
}

/// Whether a paragraph is a scene break: a rule, or a short line of only `*`, `#`, `~`,
/// dashes or ornaments (`* * *`, `#`, `❧`, `⁂`).
fn is_scene_break(p: &Para) -> bool {
    if p.spans.iter().any(|s| matches!(s, Span::Rule)) && !p.spans.iter().any(has_text) {
        return true;
    }
    if p.spans.iter().any(|s| matches!(s, Span::Image(_) | Span::Note { .. })) {
        return false;
    }
    let text = plain(&p.spans);
    let marks: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    !marks.is_empty()
        && marks.len() <= 12
        && marks.iter().all(|c| is_ornament(*c))
        && (p.centered || marks.iter().all(|c| matches!(c, '*' | '#' | '~')))
}

/// Characters a scene-break line is made of.
fn is_ornament(c: char) -> bool {
    matches!(c, '*' | '#' | '~' | '-' | '–' | '—' | '•' | '·' | '+' | '=' | '§')
        || ('\u{2020}'..='\u{2BFF}').contains(&c) && !c.is_alphanumeric()
        || ('\u{2700}'..='\u{27BF}').contains(&c)
        || matches!(c, '\u{2042}' | '\u{2051}' | '\u{2766}' | '\u{2767}' | '\u{2619}')
}

/// What a body paragraph becomes inside a chapter, before grouping.
fn is_quote(p: &Para) -> bool {
    p.list.is_none()
        && (p.role == Role::Quote
            || (p.role == Role::Body && p.indent >= QUOTE_INDENT && !p.centered))
}

/// The blocks of a chapter (or a note) from its items.
pub fn blocks(items: &[Item], numbering: &Numbering, report: &mut Report) -> Vec<Block> {
    let mut out = Vec::new();
    // Whether any item after index i has text, for every i (one pass from the end).
    let mut text_after = vec![false; items.len() + 1];
    for i in (0..items.len()).rev() {
        text_after[i] = text_after[i + 1] || item_has_text(&items[i]);
    }
    // Items numbered so far per abstract list and level, so a numbered list that a
    // paragraph interrupts goes on counting, as Word's does.
    let mut counted = Counted::default();
    let mut i = 0;
    while i < items.len() {
        let para = match &items[i] {
            Item::Table(t) => {
                out.push(Block::Table(t.clone()));
                i += 1;
                continue;
            }
            Item::Para(p) => p,
        };
        // A page break before a chapter is dropped silently; one inside it is counted.
        if para.page_break_before && !out.is_empty() && text_after[i + 1] {
            let place = para.place.clone();
            report.count(Loss::PageBreak, || place);
        }
        if let Some(root) = para.list.clone()
            && list_level(para, numbering).is_some()
            && !matches!(para.role, Role::Heading(_))
        {
            // The list runs on while paragraphs are list items of it: an item back at
            // the first one's level from another list, or restarting, starts a new one.
            let same_list = |l: &ListRef| {
                l.num_id == root.num_id
                    || (numbering.abstract_of(&l.num_id)
                        == numbering.abstract_of(&root.num_id)
                        && !numbering.restarts(&l.num_id, l.level))
            };
            let end = run_end(items, i, |p| {
                p.list.as_ref().is_some_and(|l| l.level > root.level || same_list(l))
                    && list_level(p, numbering).is_some()
                    && !matches!(p.role, Role::Heading(_))
            });
            out.push(list(&items[i..end], numbering, &mut counted));
            i = end;
            continue;
        }
        if is_quote(para) && !is_scene_break(para) {
            let end = run_end(items, i, is_quote);
            let inner: Vec<Item> = items[i..end].to_vec();
            let quoted = paragraphs(&inner, report);
            if !quoted.is_empty() {
                out.push(Block::Quote(quoted));
            }
            i = end;
            continue;
        }
        if para.role == Role::Code {
            let end = run_end(items, i, |p| p.role == Role::Code);
            let lines: Vec<String> = items[i..end]
                .iter()
                .filter_map(|it| match it {
                    Item::Para(p) => Some(code_text(&p.spans)),
                    Item::Table(_) => None,
                })
                .collect();
            out.push(Block::Code(lines.join("\n")));
            i = end;
            continue;
        }
        i += 1;
        if let Role::Heading(level) = para.role
            && para.spans.iter().any(has_text)
        {
            out.push(Block::Heading {
                level: level.clamp(2, 6),
                spans: strip_bold(para.spans.clone()),
                reflection: false,
            });
            continue;
        }
        if is_scene_break(para) {
            if !matches!(out.last(), None | Some(Block::SceneBreak)) {
                out.push(Block::SceneBreak);
            }
            continue;
        }
        // Figures: each image of the paragraph, its caption from the next paragraph.
        let images: Vec<usize> = para
            .spans
            .iter()
            .filter_map(|s| match s {
                Span::Image(n) => Some(*n),
                _ => None,
            })
            .collect();
        let text: Vec<Span> = para
            .spans
            .iter()
            .filter(|s| !matches!(s, Span::Image(_) | Span::Rule))
            .cloned()
            .collect();
        if text.iter().any(has_text) {
            out.push(Block::Para(trim_breaks(text)));
        }
        if !images.is_empty() {
            let mut caption = Vec::new();
            if let Some(Item::Para(next)) = items.get(i)
                && next.role == Role::Caption
                && next.list.is_none()
            {
                caption = next.spans.clone();
                i += 1;
            }
            let last = images.len() - 1;
            for (n, image) in images.into_iter().enumerate() {
                let caption =
                    if n == last { std::mem::take(&mut caption) } else { Vec::new() };
                out.push(Block::Figure { image, caption });
            }
        }
    }
    while matches!(out.last(), Some(Block::SceneBreak)) {
        out.pop();
    }
    out
}

/// Paragraph blocks of quoted items (scene breaks and images included).
fn paragraphs(items: &[Item], report: &mut Report) -> Vec<Block> {
    let plain_items: Vec<Item> = items
        .iter()
        .map(|it| match it {
            Item::Para(p) => {
                let mut p = p.clone();
                p.role = Role::Body;
                p.indent = 0;
                Item::Para(p)
            }
            other => other.clone(),
        })
        .collect();
    blocks(&plain_items, &Numbering::default(), report)
}

/// The end (exclusive) of the run of paragraphs from `start` that satisfy `pred`.
fn run_end(items: &[Item], start: usize, pred: impl Fn(&Para) -> bool) -> usize {
    let mut end = start;
    while let Some(Item::Para(p)) = items.get(end) {
        if !pred(p) {
            break;
        }
        end += 1;
    }
    end.max(start + 1)
}

/// The numbering level of a list paragraph.
fn list_level(p: &Para, numbering: &Numbering) -> Option<super::styles::Level> {
    let l = p.list.as_ref()?;
    numbering.level(&l.num_id, l.level)
}

/// Items numbered so far, per abstract list and level, and the list instances seen (a
/// start override restarts the count where its instance first appears).
#[derive(Default)]
struct Counted {
    items: BTreeMap<(String, u8), u64>,
    seen: std::collections::BTreeSet<(String, u8)>,
}

/// A run of list paragraphs as nested lists: a deeper level opens a list inside the
/// previous item; a shallower one closes it.
fn list(items: &[Item], numbering: &Numbering, counted: &mut Counted) -> Block {
    /// An open list: its level, numbering start, and items so far.
    struct Open {
        level: u8,
        start: Option<u64>,
        items: Vec<Vec<Block>>,
    }
    fn close(open: Open) -> Block {
        Block::List { start: open.start, items: open.items }
    }
    /// Closes the innermost open list into the last item of the list around it.
    fn close_innermost(stack: &mut Vec<Open>) {
        if let Some(done) = stack.pop() {
            let block = close(done);
            if let Some(parent) = stack.last_mut() {
                match parent.items.last_mut() {
                    Some(last) => last.push(block),
                    None => parent.items.push(vec![block]),
                }
            }
        }
    }
    let mut stack: Vec<Open> = Vec::new();
    for item in items {
        let Item::Para(p) = item else { continue };
        let Some(list_ref) = &p.list else { continue };
        let level = list_ref.level;
        let def = numbering.level(&list_ref.num_id, level);
        let key = numbering.abstract_of(&list_ref.num_id).unwrap_or("").to_string();
        if counted.seen.insert((list_ref.num_id.clone(), level))
            && numbering.restarts(&list_ref.num_id, level)
        {
            counted.items.remove(&(key.clone(), level));
        }
        let done = counted.items.get(&(key.clone(), level)).copied().unwrap_or(0);
        let start = def.filter(|d| d.ordered).map(|d| d.start + done);
        // This item counts; the levels under it start again.
        *counted.items.entry((key.clone(), level)).or_default() += 1;
        counted.items.retain(|(id, l), _| *id != key || *l <= level);
        // Close deeper lists.
        while stack.len() > 1 && stack.last().is_some_and(|o| o.level > level) {
            close_innermost(&mut stack);
        }
        if stack.last().is_none_or(|o| level > o.level) {
            stack.push(Open { level, start, items: Vec::new() });
        }
        let content = trim_breaks(p.spans.clone());
        if let Some(open) = stack.last_mut() {
            open.items.push(if content.iter().any(has_text) {
                vec![Block::Para(content)]
            } else {
                Vec::new()
            });
        }
    }
    while stack.len() > 1 {
        close_innermost(&mut stack);
    }
    stack.pop().map(close).unwrap_or(Block::List { start: None, items: Vec::new() })
}

/// Line breaks at the start or end of a paragraph are no breaks (Markdown would read a
/// closing `\` as a backslash); spaces beside them go too.
fn trim_breaks(mut spans: Vec<Span>) -> Vec<Span> {
    let blank = |s: &Span| match s {
        Span::Break => true,
        Span::Text { text, .. } => text.trim().is_empty(),
        _ => false,
    };
    while spans.last().is_some_and(blank) {
        spans.pop();
    }
    let lead = spans.iter().take_while(|s| blank(s)).count();
    spans.drain(..lead);
    spans
}

/// The text of a code paragraph, line breaks as newlines.
fn code_text(spans: &[Span]) -> String {
    let mut s = String::new();
    for span in spans {
        match span {
            Span::Text { text, .. } => s.push_str(text),
            Span::Break => s.push('\n'),
            _ => {}
        }
    }
    s
}

/// Marks a closing reflection section: a heading with a reflection title whose section
/// holds a list and only paragraphs besides, at the end of the chapter.
fn mark_reflection(blocks: &mut [Block]) {
    let Some(at) = blocks.iter().rposition(|b| matches!(b, Block::Heading { .. })) else {
        return;
    };
    let after = &blocks[at + 1..];
    let lists = after.iter().filter(|b| matches!(b, Block::List { .. })).count();
    let only_text =
        after.iter().all(|b| matches!(b, Block::List { .. } | Block::Para(_)));
    if let Block::Heading { spans, reflection, .. } = &mut blocks[at]
        && lists == 1
        && only_text
        && REFLECTION
            .iter()
            .any(|r| plain(spans).trim().trim_end_matches(':').eq_ignore_ascii_case(r))
    {
        *reflection = true;
    }
}

#[cfg(test)]
mod tests {
    use super::{BACK, FRONT, chapter_number_rest, title_in};

    #[test]
    fn usual_titles_are_front_or_back_matter() {
        assert!(title_in("Dedication", FRONT));
        assert!(title_in("How to Use This Book in a Group", FRONT));
        assert!(title_in("A Note on Sources", FRONT));
        assert!(title_in("About the Author", BACK));
        assert!(title_in("Acknowledgments:", BACK));
        assert!(!title_in("Notebooks", BACK));
        assert!(!title_in("The Storm", FRONT));
    }

    #[test]
    fn chapter_lines_lose_their_number() {
        assert_eq!(chapter_number_rest("Chapter 3: The Storm"), Some("The Storm"));
        assert_eq!(chapter_number_rest("CHAPTER THREE"), Some(""));
        assert_eq!(chapter_number_rest("Chapter XII — Home"), Some("Home"));
        assert_eq!(chapter_number_rest("Chapter and verse"), None);
        assert_eq!(chapter_number_rest("The chapter 3"), None);
    }
}
