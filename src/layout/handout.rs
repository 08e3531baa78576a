//! Workshop handouts: one essay set on office paper by the same engine as the book, with
//! a title block instead of an opener, reflection questions followed by ruled writing
//! lines, and a footer with "page X of Y" and the permission to copy.

use super::book::{DumpPage, Painter, Typeset, grid, push_runs};
use super::flow::{Flow, FlowItem, LineKind, display_line, flow_line};
use super::items::Alignment;
use super::page::{
    DocumentMeta, FormField, LabelStyle, OutlineEntry, Page, PageLabel, Rect,
};
use super::paginate::{Facing, paginate};
use super::style::PrintStyle;
use super::units::Pt;
use crate::model::{Book, Chapter, Inline, plain_text};
use crate::text::font::{Features, FontId, FontSet};
use crate::text::hyphenate::Hyphenator;
use crate::text::shape::Shaper;
use std::path::Path;

/// Typesets one essay as a handout.
pub fn typeset_handout(
    book: &Book,
    chapter: &Chapter,
    style: &PrintStyle,
    fonts: &FontSet,
    hyphenator: &Hyphenator,
    assets: &Path,
) -> Typeset {
    let measure = style.measure(style.inside);
    let mut flow = Flow::new(Shaper::new(fonts), hyphenator, style, measure, assets);
    let mut cf = flow.chapter(chapter);

    // The title block: the book's title above the essay's, the author below.
    let book_title = flow.display(
        &[Inline::Text(book.meta.title.clone())],
        style.size,
        false,
        Alignment::Center,
        Features::SmallCaps,
    );
    let author = flow.display(
        &[Inline::Text(book.meta.author.clone())],
        style.size,
        true,
        Alignment::Center,
        Features::Text,
    );
    let title_end = cf
        .items
        .iter()
        .position(|i| !matches!(i, FlowItem::Line(l) if l.kind == LineKind::Heading))
        .unwrap_or(0);
    let mut head: Vec<FlowItem> = book_title
        .into_iter()
        .map(|l| FlowItem::Line(flow_line(l, LineKind::Heading, 1)))
        .collect();
    head.push(FlowItem::Space { slots: 1, discardable: false, break_after: false });
    let mut after: Vec<FlowItem> = author
        .into_iter()
        .map(|l| FlowItem::Line(flow_line(l, LineKind::Heading, 1)))
        .collect();
    let inserted = head.len() + after.len();
    after.reverse();
    for item in after {
        cf.items.insert(title_end, item);
    }
    for (k, item) in head.into_iter().enumerate() {
        cf.items.insert(k, item);
    }
    for p in &mut cf.paragraphs {
        p.start += inserted;
    }

    let bodies = paginate(cf, &grid(style), Facing::Single);
    let total = bodies.len();
    let mut out = Typeset::default();
    // Only this chapter's own targets: a link to another chapter stays plain text.
    let mut targets = super::book::Targets::new();
    for (g, body) in bodies.iter().enumerate() {
        super::book::record_targets(&mut targets, g, body, &chapter.slug, g == 0);
    }
    let reflection_title = chapter.reflection.as_ref().map(|r| plain_text(&r.title));
    let mut reflection_page = None;
    {
        let mut painter = Painter {
            flow: &mut flow,
            style,
            inside: style.inside,
            measure,
            out: &mut out,
            book,
            targets,
        };
        for (g, body) in bodies.into_iter().enumerate() {
            let mut page = Page {
                width: style.trim.width,
                height: style.trim.height,
                trim: Rect {
                    x: Pt::ZERO,
                    y: Pt::ZERO,
                    width: style.trim.width,
                    height: style.trim.height,
                },
                items: Vec::new(),
            };
            let origin = (style.inside, Pt::ZERO);
            let first_line = painter.out.lines.len();
            painter.body(&mut page, origin, g, body);
            if reflection_page.is_none() && reflection_title.is_some() {
                let found = painter.out.lines[first_line..].iter().any(|l| {
                    l.kind == LineKind::Heading
                        && Some(&l.text) == reflection_title.as_ref()
                });
                if found {
                    reflection_page = Some(g);
                }
            }
            footer(&mut painter, &mut page, g, total);
            painter.out.pages.push(DumpPage {
                page: g + 1,
                folio: Some(format!("{} of {total}", g + 1)),
                head: None,
                role: if g == 0 { "handout-first" } else { "handout" },
                file: Some(chapter.source.to_string_lossy().into()),
            });
            painter.out.document.pages.push(page);
        }
    }
    let title = chapter.title_text();
    let mut children = Vec::new();
    if let (Some(page), Some(t)) = (reflection_page, reflection_title) {
        children.push(OutlineEntry { title: t, page, children: vec![] });
    }
    out.document.outline = vec![OutlineEntry { title: title.clone(), page: 0, children }];
    out.document.page_labels =
        vec![PageLabel { from_page: 0, style: LabelStyle::Decimal, first: 1 }];
    out.document.meta = DocumentMeta {
        title: format!("{title} — {}", book.meta.title),
        author: book.meta.author.clone(),
        subject: "Workshop handout".into(),
        keywords: book.meta.subjects.clone(),
        language: book.meta.language.clone(),
        date: book.meta.date.clone(),
        identifier: format!("{}#{}", book.meta.identifier, chapter.slug),
    };
    out.document.navigation = style.navigation;
    if style.fillable {
        out.document.fields = answer_fields(chapter, &out.writing_rules, style.leading);
    }
    out.document.images = std::mem::take(&mut flow.images);
    out.warnings.append(&mut flow.warnings);
    out
}

/// One text field per reflection question over its writing lines. A question's lines
/// are never split across pages and lie one leading apart, so each run of rules a
/// leading apart on one page is the next question's; the field reaches from a leading
/// above its first rule (where handwriting would start) to just under its last one.
fn answer_fields(
    chapter: &Chapter,
    rules: &[(usize, Pt, Pt, Pt)],
    leading: Pt,
) -> Vec<FormField> {
    let mut runs: Vec<(usize, Pt, Pt, Pt, Pt)> = Vec::new();
    for &(page, x1, x2, y) in rules {
        match runs.last_mut() {
            Some(run) if run.0 == page && (y - run.4 - leading).0.abs() < 0.01 => {
                run.4 = y
            }
            _ => runs.push((page, x1, x2, y, y)),
        }
    }
    let questions = chapter.reflection.as_ref().map_or(&[][..], |r| &r.questions[..]);
    runs.into_iter()
        .zip(questions)
        .enumerate()
        .map(|(i, ((page, x1, x2, first, last), question))| FormField {
            page,
            rect: Rect {
                x: x1,
                y: first - leading,
                width: x2 - x1,
                height: last - first + leading + Pt(2.0),
            },
            name: format!("{}-question-{}", chapter.slug, i + 1),
            label: crate::model::plain_text_of_blocks(question),
        })
        .collect()
}

/// "page X of Y" and the permission line, centred in the bottom margin.
fn footer(
    painter: &mut Painter<'_, '_, '_, '_>,
    page: &mut Page,
    g: usize,
    total: usize,
) {
    let style = painter.style;
    let size = style.size.0 * 0.8;
    let base = style.trim.height - style.bottom + style.leading * 1.5;
    let text = painter.book.words.page_of(g + 1, total);
    let (runs, width) = display_line(
        &mut painter.flow.shaper,
        &text,
        FontId::REGULAR,
        size,
        Features::Text,
    );
    push_runs(page, runs, style.inside + (painter.measure - width) / 2.0, base);
    painter.out.lines.push(super::book::DumpLine {
        page: g + 1,
        y: base.0,
        ratio: 0.0,
        hyphenated: false,
        overfull: false,
        kind: LineKind::Display,
        par: None,
        at_line: 0,
        text,
    });
    if let Some(permission) = &style.permission {
        for (line, y) in permission_lines(painter, permission, base + style.leading) {
            painter.out.lines.push(super::book::DumpLine {
                page: g + 1,
                y: y.0,
                ratio: 0.0,
                hyphenated: false,
                overfull: line.overfull,
                kind: LineKind::Display,
                par: None,
                at_line: 0,
                text: line.text,
            });
            push_runs(page, line.runs, style.inside, y);
        }
    }
}

/// The most lines the permission to copy may take in the bottom margin.
const PERMISSION_LINES: usize = 2;

/// The permission to copy, set centred and wrapped at the measure, in italic at 80 % of
/// the text size, or smaller (down to 60 %) when that is what keeps it to
/// [`PERMISSION_LINES`] lines; each line with its baseline, the first at `first`.
fn permission_lines(
    painter: &mut Painter<'_, '_, '_, '_>,
    permission: &str,
    first: Pt,
) -> Vec<(crate::layout::line::Line, Pt)> {
    let text = [Inline::Text(permission.to_string())];
    let body = painter.style.size.0;
    let mut set = |scale: f64| {
        let size = Pt(body * scale);
        let lines =
            painter.flow.display(&text, size, true, Alignment::Center, Features::Text);
        (lines, size)
    };
    let (mut lines, mut size) = set(0.8);
    for scale in [0.7, 0.6] {
        if lines.len() <= PERMISSION_LINES {
            break;
        }
        (lines, size) = set(scale);
    }
    let gap = size * 1.2;
    lines
        .into_iter()
        .enumerate()
        .map(|(i, line)| (line, first + gap * i as f64))
        .collect()
}
