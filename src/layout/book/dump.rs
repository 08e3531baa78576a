//! The layout dump: every page and every text line of a typeset edition, as stable text
//! for `quire dump --layout`, tests and diffs.

use super::super::flow::{FlowLine, LineKind, ParPos};
use super::super::page::Document;
use super::super::units::Pt;
use crate::error::Warning;

/// One line of the layout dump.
#[derive(Debug, Clone, PartialEq)]
pub struct DumpLine {
    /// 1-based physical page.
    pub page: usize,
    /// Baseline, from the top of the trimmed page.
    pub y: f64,
    /// Adjustment ratio.
    pub ratio: f64,
    /// Ends with a hyphen.
    pub hyphenated: bool,
    /// Sticks out of the measure.
    pub overfull: bool,
    /// Its role.
    pub kind: LineKind,
    /// Paragraph position of body lines.
    pub par: Option<ParPos>,
    /// The 1-based line of the page's source file where the block the line sets begins
    /// (a code line: its own line); 0 for generated text such as a label.
    pub at_line: u32,
    /// The text.
    pub text: String,
}

/// One page of the dump's page list.
#[derive(Debug, Clone, PartialEq)]
pub struct DumpPage {
    /// 1-based physical page.
    pub page: usize,
    /// The printed folio, if any.
    pub folio: Option<String>,
    /// The running head, if any: shared by every page it heads (a title can be long).
    pub head: Option<std::sync::Arc<str>>,
    /// What the page is.
    pub role: &'static str,
    /// The manuscript file whose text the page sets (a chapter's), relative to the
    /// manuscript folder; `None` for the title, contents, copyright and part pages.
    pub file: Option<std::sync::Arc<str>>,
}

/// A typeset book: the document to draw and the dump for tests and diffs.
#[derive(Debug, Clone, Default)]
pub struct Typeset {
    /// The pages.
    pub document: Document,
    /// Every text line, in page order.
    pub lines: Vec<DumpLine>,
    /// Every page.
    pub pages: Vec<DumpPage>,
    /// Warnings from setting the text.
    pub warnings: Vec<Warning>,
    /// The printed folio of each cross-reference target's page (`slug`, `slug#id`).
    pub folios: PageRefs,
    /// The largest adjustment ratio the edition's tolerance allows; a justified line
    /// stretched further is "beyond tolerance" (0 when unknown: nothing is counted).
    pub max_ratio: f64,
    /// Every page that begins with text of the book's, in order, with its label and
    /// where it begins: the EPUB's page list.
    pub page_breaks: Vec<crate::pages::PageBreak>,
    /// Every ruled writing line (handouts), in page order: its page index, its left
    /// and right ends, and its height on the page.
    pub writing_rules: Vec<(usize, Pt, Pt, Pt)>,
}

/// Printed folios of cross-reference targets, by target (`slug` or `slug#id`).
pub type PageRefs = std::collections::HashMap<String, String>;

impl Typeset {
    /// Whether a dumped line of running text is stretched past the tolerance.
    pub fn beyond_tolerance(&self, line: &DumpLine) -> bool {
        self.max_ratio > 0.0
            && matches!(line.kind, LineKind::Body | LineKind::Note)
            && line.ratio > self.max_ratio + 1e-9
    }

    /// Lines of running text stretched past the tolerance, which only a paragraph with
    /// no better breaking gets (`quire check` reports the count).
    pub fn lines_beyond_tolerance(&self) -> usize {
        self.lines.iter().filter(|l| self.beyond_tolerance(l)).count()
    }

    /// The layout dump: a page header per page (with the chapter file it sets, if any),
    /// one line per text line. Flags after the ratio: `H` hyphenated, `O` overfull, `L`
    /// looser than the tolerance allows; after the paragraph position, `@N` is the line
    /// of the page's file where the block set on the line begins.
    pub fn dump(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let mut lines = self.lines.iter().peekable();
        for page in &self.pages {
            let _ = write!(
                out,
                "page {} {} {} folio={} head={:?}",
                page.page,
                if page.page % 2 == 1 { "recto" } else { "verso" },
                page.role,
                page.folio.as_deref().unwrap_or("-"),
                page.head.as_deref().unwrap_or("")
            );
            match &page.file {
                Some(file) => {
                    let _ = writeln!(out, " file={file:?}");
                }
                None => out.push('\n'),
            }
            while let Some(line) = lines.next_if(|l| l.page == page.page) {
                let par = line.par.map_or("-".to_string(), |p| {
                    format!("p{}:{}/{}", p.id, p.index, p.count)
                });
                let at = match line.at_line {
                    0 => "-".to_string(),
                    n => format!("@{n}"),
                };
                let _ = writeln!(
                    out,
                    "  y={:.2} r={:+.3} {}{}{} {:?} {} {} | {}",
                    line.y,
                    line.ratio,
                    if line.hyphenated { "H" } else { "-" },
                    if line.overfull { "O" } else { "-" },
                    if self.beyond_tolerance(line) { "L" } else { "-" },
                    line.kind,
                    par,
                    at,
                    line.text
                );
            }
        }
        out
    }
}

/// A dump line for a flow line placed on page `g` (0-based) at baseline `y`.
pub(in crate::layout) fn dump_line(g: usize, y: Pt, line: &FlowLine) -> DumpLine {
    DumpLine {
        page: g + 1,
        y: y.0,
        ratio: line.ratio,
        hyphenated: line.hyphenated,
        overfull: line.overfull,
        kind: line.kind,
        par: line.par,
        at_line: line.at_line,
        text: line.text.clone(),
    }
}
