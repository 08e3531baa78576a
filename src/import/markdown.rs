//! Writing the imported chapters as Markdown that quire reads back to the same text.
//!
//! Fifth phase of `quire import`. Two problems are solved here:
//!
//! - **Nesting.** Word formats flat runs (italic, bold, small caps…); Markdown nests
//!   spans. [`tree`] turns runs into nested spans by keeping a span open while the next
//!   run still has it, and gives spaces at a span's edge the formatting of both
//!   neighbours only, so `*a* b` never becomes `*a *b`.
//! - **Escaping.** Every character Markdown would read as markup is escaped: `\ * _ [ ]
//!   < ` ~ ^ |` everywhere, `#`, `>`, `+`, `-`, `=`, `:` and `%` and a number's `.` at
//!   the start of a line, a second `-` or third `.` in a row (smart punctuation would
//!   make a dash or an ellipsis of them), and `&` before what could be an entity.
//!   Emphasis uses `_…_` where it can, `*…*` inside words, and `<em>` (which quire maps
//!   to the same span) where neither delimiter may open or close by CommonMark's
//!   flanking rules. Small caps have no Markdown syntax: they are written as
//!   `<span class="smallcaps">`, the one HTML span quire's reader maps to them.

use super::document::Span;
use super::structure::Block;
use std::collections::BTreeMap;
use std::fmt::Write;

/// A span kind, in the order spans nest when they start together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Mark {
    Link(usize),
    Strong,
    Emph,
    Strike,
    SmallCaps,
    Sup,
    Sub,
}

/// A node of the nested form.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Text(String),
    Code(String),
    Break,
    Note(String),
    Wrap(Mark, Vec<Node>),
}

/// Where text is being written: what a line break and a `#` or `|` must become.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Context {
    /// A paragraph: a line break is `\` and a new line.
    Paragraph,
    /// A heading: no line breaks, `#` and `{` escaped.
    Heading,
    /// A table cell: a line break is `<br>`.
    Cell,
}

/// What the inline writer needs from the chapter: link targets and note labels.
pub struct Inlines<'a> {
    /// Hyperlink targets by index.
    pub links: &'a [String],
    /// Note labels by (endnote, id), assigned in order of first reference.
    pub notes: &'a mut BTreeMap<(bool, String), usize>,
    /// Notes in order of first reference.
    pub order: &'a mut Vec<(bool, String)>,
}

impl Inlines<'_> {
    /// `spans` as Markdown text in `context`.
    pub fn write(&mut self, spans: &[Span], context: Context) -> String {
        let nodes = self.tree(spans);
        let mut out = String::new();
        render(&nodes, &mut out, None, context, self.links);
        trim_line_ends(&out)
    }

    /// Runs → nested spans.
    fn tree(&mut self, spans: &[Span]) -> Vec<Node> {
        // Atoms: text pieces with their marks, spaces split off.
        let mut atoms: Vec<(Vec<Mark>, Node, bool)> = Vec::new();
        for span in spans {
            match span {
                Span::Text { text, fmt, link } => {
                    let mut marks = Vec::new();
                    if let Some(l) = link {
                        marks.push(Mark::Link(*l));
                    }
                    if fmt.bold {
                        marks.push(Mark::Strong);
                    }
                    if fmt.italic {
                        marks.push(Mark::Emph);
                    }
                    if fmt.strike {
                        marks.push(Mark::Strike);
                    }
                    if fmt.small_caps {
                        marks.push(Mark::SmallCaps);
                    }
                    if fmt.sup {
                        marks.push(Mark::Sup);
                    } else if fmt.sub {
                        marks.push(Mark::Sub);
                    }
                    if fmt.code {
                        atoms.push((marks, Node::Code(text.clone()), false));
                        continue;
                    }
                    for (piece, space) in split_spaces(text) {
                        atoms.push((marks.clone(), Node::Text(piece.to_string()), space));
                    }
                }
                Span::Break => atoms.push((Vec::new(), Node::Break, true)),
                Span::Note { endnote, id } => {
                    let key = (*endnote, id.clone());
                    let next = self.notes.len() + 1;
                    let label = *self.notes.entry(key.clone()).or_insert_with(|| {
                        self.order.push(key);
                        next
                    });
                    atoms.push((Vec::new(), Node::Note(label.to_string()), true));
                }
                Span::Image(_) | Span::Rule => {}
            }
        }
        // A space (or break, or note) keeps only the marks both neighbours share with it;
        // a break and a note keep exactly those (they have none of their own to lose).
        // The nearest solid atom before and after each atom, found in two linear passes.
        let mut prev_solid = vec![None; atoms.len()];
        let mut last = None;
        for (i, atom) in atoms.iter().enumerate() {
            prev_solid[i] = last;
            if !atom.2 {
                last = Some(i);
            }
        }
        let mut next_solid = vec![None; atoms.len()];
        last = None;
        for i in (0..atoms.len()).rev() {
            next_solid[i] = last;
            if !atoms[i].2 {
                last = Some(i);
            }
        }
        for i in 0..atoms.len() {
            if !atoms[i].2 {
                continue;
            }
            let prev = prev_solid[i].map(|j| atoms[j].0.clone());
            let next = next_solid[i].map(|j| atoms[j].0.clone());
            let own_free = !matches!(atoms[i].1, Node::Text(_));
            let shared: Vec<Mark> = match (prev, next) {
                (Some(p), Some(n)) => {
                    p.into_iter().filter(|m| n.contains(m)).collect::<Vec<_>>()
                }
                _ => Vec::new(),
            };
            atoms[i].0 = if own_free {
                shared
            } else {
                atoms[i].0.iter().copied().filter(|m| shared.contains(m)).collect()
            };
        }
        // Nest: keep open what the next atom still has, close the rest, open the new.
        let mut stack: Vec<(Option<Mark>, Vec<Node>)> = vec![(None, Vec::new())];
        for (mut marks, node, _) in atoms {
            marks.sort();
            let keep = stack
                .iter()
                .skip(1)
                .take_while(|(m, _)| m.is_some_and(|m| marks.contains(&m)))
                .count();
            while stack.len() > keep + 1 {
                close_top(&mut stack);
            }
            for m in marks {
                if !stack.iter().any(|(open, _)| *open == Some(m)) {
                    stack.push((Some(m), Vec::new()));
                }
            }
            if let Some((_, top)) = stack.last_mut() {
                match (top.last_mut(), node) {
                    (Some(Node::Text(t)), Node::Text(more)) => t.push_str(&more),
                    (_, node) => top.push(node),
                }
            }
        }
        while stack.len() > 1 {
            close_top(&mut stack);
        }
        stack.pop().map(|(_, nodes)| nodes).unwrap_or_default()
    }
}

/// Closes the innermost open span into its parent.
fn close_top(stack: &mut Vec<(Option<Mark>, Vec<Node>)>) {
    if let Some((Some(mark), nodes)) = stack.pop()
        && let Some((_, parent)) = stack.last_mut()
    {
        parent.push(Node::Wrap(mark, nodes));
    }
}

/// `text` cut into pieces of non-space and space, each flagged as space or not.
fn split_spaces(text: &str) -> Vec<(&str, bool)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut in_space = None;
    for (i, c) in text.char_indices() {
        let space = c == ' ';
        if in_space.is_some_and(|s| s != space) {
            out.push((&text[start..i], in_space.unwrap_or(false)));
            start = i;
        }
        in_space = Some(space);
    }
    if start < text.len() {
        out.push((&text[start..], in_space.unwrap_or(false)));
    }
    out
}

/// Trailing spaces on a line would make a hard break or be lost: removed.
fn trim_line_ends(text: &str) -> String {
    let lines: Vec<&str> = text.split('\n').map(|l| l.trim_end_matches(' ')).collect();
    lines.join("\n").trim().to_string()
}

/// Whether `c` counts as punctuation for CommonMark's flanking rules.
fn is_punct(c: char) -> bool {
    !c.is_alphanumeric() && !c.is_whitespace()
}

/// The first character `nodes` will write, approximately: a span's delimiter counts as
/// punctuation.
fn first_char(nodes: &[Node], after: Option<char>) -> Option<char> {
    match nodes.first() {
        None => after,
        Some(Node::Text(t)) => t.chars().next().or(after),
        Some(Node::Wrap(Mark::Link(_), _)) | Some(Node::Note(_)) => Some('['),
        // A delimiter or tag: punctuation, never the same as the one being closed.
        Some(Node::Wrap(..)) | Some(Node::Code(_)) | Some(Node::Break) => Some('\u{1}'),
    }
}

/// Writes `nodes` to `out`; `after` is the first character that will follow them.
fn render(
    nodes: &[Node],
    out: &mut String,
    after: Option<char>,
    context: Context,
    links: &[String],
) {
    for (i, node) in nodes.iter().enumerate() {
        let next = first_char(&nodes[i + 1..], after);
        match node {
            Node::Text(t) => escape_into(t, out, context),
            Node::Code(t) => code_span(t, out),
            Node::Break => match context {
                Context::Paragraph => out.push_str("\\\n"),
                Context::Heading => out.push(' '),
                Context::Cell => out.push_str("<br>"),
            },
            Node::Note(label) => {
                let _ = write!(out, "[^{label}]");
            }
            Node::Wrap(mark, children) => {
                let mut inner = String::new();
                // The inner text starts a new run: what precedes it is the delimiter.
                render(children, &mut inner, next, context, links);
                let inner = inner.trim_end_matches(' ').to_string();
                wrap(*mark, &inner, out, next, links);
            }
        }
    }
}

/// Writes `inner` wrapped in the markup of `mark`, choosing delimiters that CommonMark
/// will read as such between `out`'s last character and `next`.
fn wrap(mark: Mark, inner: &str, out: &mut String, next: Option<char>, links: &[String]) {
    let prev = out.chars().last();
    let (Some(first), Some(last)) = (inner.chars().next(), inner.chars().last()) else {
        return;
    };
    let open_ok = |prev: Option<char>| {
        !first.is_whitespace()
            && (!is_punct(first) || prev.is_none_or(|p| p.is_whitespace() || is_punct(p)))
    };
    let close_ok = || {
        !last.is_whitespace()
            && (!is_punct(last) || next.is_none_or(|n| n.is_whitespace() || is_punct(n)))
    };
    let outside_word = prev.is_none_or(|p| p.is_whitespace() || is_punct(p))
        && next.is_none_or(|n| n.is_whitespace() || is_punct(n));
    let delimited = |out: &mut String, d: &str, tag: &str| {
        let ch = d.chars().next();
        let clash = prev == ch || next == ch;
        if open_ok(prev) && close_ok() && !clash {
            let _ = write!(out, "{d}{inner}{d}");
        } else {
            let _ = write!(out, "<{tag}>{inner}</{tag}>");
        }
    };
    match mark {
        Mark::Emph => delimited(out, if outside_word { "_" } else { "*" }, "em"),
        Mark::Strong => delimited(out, "**", "strong"),
        Mark::Strike => {
            let _ = write!(out, "~~{inner}~~");
        }
        Mark::SmallCaps => {
            let _ = write!(out, "<span class=\"smallcaps\">{inner}</span>");
        }
        Mark::Sup | Mark::Sub => {
            let (d, tag) = if mark == Mark::Sup { ('^', "sup") } else { ('~', "sub") };
            let simple = inner.chars().count() <= 8
                && inner.chars().all(|c| c.is_alphanumeric() || c == '+' || c == '-');
            if simple {
                let _ = write!(out, "{d}{inner}{d}");
            } else {
                let _ = write!(out, "<{tag}>{inner}</{tag}>");
            }
        }
        Mark::Link(n) => {
            let url = links.get(n).map(String::as_str).unwrap_or("");
            let _ = write!(out, "[{inner}]({})", link_destination(url));
        }
    }
}

/// A link destination that Markdown reads back unchanged.
fn link_destination(url: &str) -> String {
    let url = url.trim();
    if url.chars().any(|c| c.is_whitespace() || matches!(c, '(' | ')' | '<' | '>' | '\\'))
    {
        let mut s = String::from("<");
        for c in url.chars() {
            match c {
                '<' => s.push_str("%3C"),
                '>' => s.push_str("%3E"),
                ' ' => s.push_str("%20"),
                '\\' => s.push_str("%5C"),
                c if c.is_whitespace() => {}
                c => s.push(c),
            }
        }
        s.push('>');
        s
    } else {
        url.to_string()
    }
}

/// An inline code span with enough backticks.
fn code_span(text: &str, out: &mut String) {
    let text = text.replace('\n', " ");
    let mut longest = 0;
    let mut run = 0;
    for c in text.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let ticks = "`".repeat(longest + 1);
    let pad = if text.starts_with('`') || text.ends_with('`') || text.starts_with(' ') {
        " "
    } else {
        ""
    };
    let _ = write!(out, "{ticks}{pad}{text}{pad}{ticks}");
}

/// Appends `text` with every Markdown-significant character escaped.
pub fn escape_into(text: &str, out: &mut String, context: Context) {
    let chars: Vec<char> = text.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let line_start = out.is_empty() || out.ends_with('\n');
        if line_start && c == ' ' {
            continue;
        }
        let prev = out.chars().last();
        let next = chars.get(i + 1).copied();
        let escape = match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '~' | '^' | '|' => true,
            '&' => next.is_some_and(|n| n.is_alphanumeric() || n == '#'),
            '-' => {
                prev == Some('-')
                    || (line_start && !(next.is_some_and(|n| n.is_alphanumeric())))
            }
            '.' => prev == Some('.'),
            '#' => line_start || context == Context::Heading,
            '{' | '}' => context == Context::Heading,
            '>' | '+' | '=' | '%' => line_start,
            ':' => line_start && next.is_none_or(|n| n.is_whitespace()),
            _ => false,
        };
        // A number opening a line, then `.` or `)`, would start a list.
        let list_marker = matches!(c, '.' | ')') && line_is_a_number(out);
        if escape || list_marker {
            out.push('\\');
        }
        out.push(c);
    }
}

/// Whether the current line of `out` so far is a number that `.` or `)` would make a
/// list marker (CommonMark allows up to nine digits). Looks at the last ten bytes only.
fn line_is_a_number(out: &str) -> bool {
    let digits = out.bytes().rev().take(10).take_while(u8::is_ascii_digit).count();
    let before = out.len().checked_sub(digits + 1).map(|i| out.as_bytes()[i]);
    (1..=9).contains(&digits) && matches!(before, None | Some(b'\n'))
}

/// A chapter's blocks as Markdown, blocks separated by blank lines.
pub fn blocks(
    blocks: &[Block],
    inlines: &mut Inlines<'_>,
    images: &dyn Fn(usize) -> Option<(String, String)>,
) -> String {
    let mut out = String::new();
    let mut previous_list: Option<(bool, bool)> = None;
    for block in blocks {
        let text = match block {
            Block::List { start, .. } => {
                // Two lists in a row would merge: alternate the marker.
                let ordered = start.is_some();
                let alt = matches!(previous_list, Some((o, a)) if o == ordered && !a);
                previous_list = Some((ordered, alt));
                list(block, inlines, images, alt)
            }
            other => {
                previous_list = None;
                block_text(other, inlines, images)
            }
        };
        if text.is_empty() {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(&text);
    }
    out
}

fn block_text(
    block: &Block,
    inlines: &mut Inlines<'_>,
    images: &dyn Fn(usize) -> Option<(String, String)>,
) -> String {
    match block {
        Block::Para(spans) => inlines.write(spans, Context::Paragraph),
        Block::Heading { level, spans, reflection } => {
            let text = inlines.write(spans, Context::Heading);
            let class = if *reflection { " {.reflection}" } else { "" };
            format!("{} {text}{class}", "#".repeat(usize::from(*level)))
        }
        Block::Quote(inner) => {
            let text = blocks(inner, inlines, images);
            text.lines()
                .map(|l| if l.is_empty() { ">".to_string() } else { format!("> {l}") })
                .collect::<Vec<_>>()
                .join("\n")
        }
        Block::List { .. } => list(block, inlines, images, false),
        Block::SceneBreak => "* * *".into(),
        Block::Figure { image, caption } => {
            let Some((file, alt)) = images(*image) else { return String::new() };
            figure(&file, &alt, caption, inlines)
        }
        Block::Table(table) => {
            let width = table.rows.iter().map(Vec::len).max().unwrap_or(0);
            if width == 0 {
                return String::new();
            }
            let mut lines = Vec::new();
            for (r, row) in table.rows.iter().enumerate() {
                let mut cells: Vec<String> =
                    row.iter().map(|c| inlines.write(c, Context::Cell)).collect();
                cells.resize(width, String::new());
                lines.push(format!("| {} |", cells.join(" | ")));
                if r == 0 {
                    lines.push(format!("|{}", " --- |".repeat(width)));
                }
            }
            lines.join("\n")
        }
        Block::Code(text) => {
            let mut fence = "```".to_string();
            while text.contains(&fence) {
                fence.push('`');
            }
            format!("{fence}\n{text}\n{fence}")
        }
    }
}

/// `![alt](file "caption")`: the alt text from the image, the caption Markdown-escaped and
/// then escaped again for the title's quotes (quire reads a title as Markdown).
fn figure(file: &str, alt: &str, caption: &[Span], inlines: &mut Inlines<'_>) -> String {
    let mut alt_md = String::new();
    escape_into(alt, &mut alt_md, Context::Heading);
    let alt_md = alt_md.replace('\n', " ");
    let caption = inlines.write(caption, Context::Heading);
    if caption.is_empty() {
        format!("![{alt_md}]({file})")
    } else {
        let title = caption.replace('\\', "\\\\").replace('"', "\\\"");
        format!("![{alt_md}]({file} \"{title}\")")
    }
}

/// A list, items indented under their markers; `alt` picks the other marker.
fn list(
    block: &Block,
    inlines: &mut Inlines<'_>,
    images: &dyn Fn(usize) -> Option<(String, String)>,
    alt: bool,
) -> String {
    let Block::List { start, items } = block else { return String::new() };
    let mut out = Vec::new();
    let loose = items
        .iter()
        .any(|item| item.iter().filter(|b| !matches!(b, Block::List { .. })).count() > 1);
    for (n, item) in items.iter().enumerate() {
        let marker = match start {
            Some(s) => format!("{}{} ", s + n as u64, if alt { ')' } else { '.' }),
            None => (if alt { "* " } else { "- " }).to_string(),
        };
        let pad = " ".repeat(marker.len());
        let mut body = String::new();
        for (k, b) in item.iter().enumerate() {
            let text = match b {
                Block::List { .. } => list(b, inlines, images, false),
                other => block_text(other, inlines, images),
            };
            if k > 0 {
                body.push_str(if loose || !matches!(b, Block::List { .. }) {
                    "\n\n"
                } else {
                    "\n"
                });
            }
            body.push_str(&text);
        }
        let mut lines = body.lines();
        let first = lines.next().unwrap_or("");
        let mut text = format!("{marker}{first}");
        for line in lines {
            text.push('\n');
            if !line.is_empty() {
                text.push_str(&pad);
                text.push_str(line);
            }
        }
        out.push(text.trim_end().to_string());
    }
    out.join(if loose { "\n\n" } else { "\n" })
}

#[cfg(test)]
mod tests {
    use super::{Context, Inlines, escape_into};
    use crate::import::document::{Fmt, Span};
    use std::collections::BTreeMap;

    fn text(t: &str, fmt: Fmt) -> Span {
        Span::Text { text: t.into(), fmt, link: None }
    }

    fn write(spans: &[Span]) -> String {
        let mut notes = BTreeMap::new();
        let mut order = Vec::new();
        let links = vec!["https://example.com/a b".to_string()];
        Inlines { links: &links, notes: &mut notes, order: &mut order }
            .write(spans, Context::Paragraph)
    }

    #[test]
    fn markdown_characters_are_escaped() {
        let mut out = String::new();
        escape_into(
            "1. a *b* [c] <d> --- x... #5 & &amp; ~2~ ^3^",
            &mut out,
            Context::Paragraph,
        );
        assert_eq!(
            out,
            "1\\. a \\*b\\* \\[c\\] \\<d> -\\-\\- x.\\.\\. #5 & \\&amp; \\~2\\~ \\^3\\^"
        );
        let mut out = String::new();
        escape_into("# not a heading", &mut out, Context::Paragraph);
        assert_eq!(out, "\\# not a heading");
    }

    #[test]
    fn spaces_at_a_span_edge_go_outside_it() {
        let i = Fmt { italic: true, ..Fmt::default() };
        let p = Fmt::default();
        assert_eq!(write(&[text("a ", p), text("b ", i), text("c", p)]), "a _b_ c");
        assert_eq!(
            write(&[text("un", p), text("believ", i), text("able", p)]),
            "un*believ*able"
        );
        assert_eq!(write(&[text("x ", i), text("y", i)]), "_x y_");
    }

    #[test]
    fn emphasis_that_cannot_flank_falls_back_to_html() {
        let i = Fmt { italic: true, ..Fmt::default() };
        let p = Fmt::default();
        assert_eq!(
            write(&[text("a", p), text("“b”", i), text("c", p)]),
            "a<em>“b”</em>c"
        );
    }

    #[test]
    fn nested_and_adjacent_spans() {
        let i = Fmt { italic: true, ..Fmt::default() };
        let b = Fmt { bold: true, ..Fmt::default() };
        let bi = Fmt { bold: true, italic: true, ..Fmt::default() };
        assert_eq!(write(&[text("a ", b), text("b", bi)]), "**a _b_**");
        let sc = Fmt { small_caps: true, ..Fmt::default() };
        assert_eq!(write(&[text("nasa", sc)]), "<span class=\"smallcaps\">nasa</span>");
        let sup = Fmt { sup: true, ..Fmt::default() };
        assert_eq!(write(&[text("x", Fmt::default()), text("2", sup)]), "x^2^");
        let _ = i;
    }
}
