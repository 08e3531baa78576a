//! Front matter that is display text but may run long — the copyright text, a
//! dedication, an epigraph — set through the same flow and paginator as the chapters,
//! so that a two-page copyright notice or a long dedication continues on the next page
//! instead of running off this one.

use crate::layout::flow::{
    ChapterFlow, Flow, FlowItem, LineKind, flow_line, may_break_after,
};
use crate::layout::items::Alignment;
use crate::layout::line::Line;
use crate::layout::paginate::{Facing, Grid, PageBody, paginate};
use crate::model::{Block, Book, Chapter, Inline};
use crate::pages::TextPath;
use crate::text::font::Features;

/// Size of the copyright text, relative to the body.
const COPYRIGHT_SCALE: f64 = 0.85;

/// The copyright page(s): set small at the foot of the title's verso when they fit on
/// it, else from the top of as many pages as they need.
pub(super) fn copyright_pages(
    flow: &mut Flow<'_, '_>,
    book: &Book,
    grid: &Grid,
) -> Vec<PageBody> {
    let paragraphs: Vec<Vec<Inline>> =
        book.copyright_lines().into_iter().map(|t| vec![Inline::Text(t)]).collect();
    let size = flow.style.size * COPYRIGHT_SCALE;
    // Each paragraph is a text unit of the copyright text, named by its index.
    let sets: Vec<Vec<Line>> = paragraphs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let unit = vec![u32::try_from(i).unwrap_or(u32::MAX)];
            flow.display_at(unit, p, size, false, Alignment::Left, Features::Text)
        })
        .collect();
    let mut items = stacked(sets);
    let used: usize = items.iter().map(FlowItem::slots).sum();
    if used <= grid.lines {
        items.insert(0, sink(grid.lines - used));
    }
    paginate(ChapterFlow { items, ..Default::default() }, grid, Facing::Single)
}

/// A dedication's or an epigraph's pages: centred italic paragraphs, a quarter of the
/// way down the first page.
pub(super) fn display_pages(
    flow: &mut Flow<'_, '_>,
    chapter: &Chapter,
    grid: &Grid,
) -> Vec<PageBody> {
    let size = flow.style.size;
    let mut paragraphs = Vec::new();
    display_paragraphs(&chapter.blocks, &mut vec![crate::pages::BODY], &mut paragraphs);
    let sets: Vec<Vec<Line>> = paragraphs
        .into_iter()
        .map(|(path, p)| {
            flow.display_at(path, &p, size, true, Alignment::Center, Features::Text)
        })
        .collect();
    let mut items = stacked(sets);
    items.insert(0, sink(grid.lines / 4));
    paginate(ChapterFlow { items, ..Default::default() }, grid, Facing::Single)
}

/// Paragraphs of display lines with a blank slot between them; a page may break between
/// paragraphs, or inside one where neither part is left a single line.
fn stacked(paragraphs: Vec<Vec<Line>>) -> Vec<FlowItem> {
    let mut items = Vec::new();
    for lines in paragraphs {
        if !items.is_empty() {
            items.push(FlowItem::Space {
                slots: 1,
                discardable: true,
                break_after: true,
            });
        }
        let count = lines.len();
        for (i, line) in lines.into_iter().enumerate() {
            let index = i + 1;
            let mut line = flow_line(line, LineKind::Display, 1);
            line.break_after = may_break_after(index, count);
            items.push(FlowItem::Line(line));
        }
    }
    items
}

/// Blank slots at the head of a page that stay there.
fn sink(slots: usize) -> FlowItem {
    FlowItem::Space { slots, discardable: false, break_after: false }
}

/// The paragraphs of a dedication or epigraph, quotes and lists flattened, each with
/// its place in the chapter (`crate::pages::TextPath`) below `path`.
fn display_paragraphs(
    blocks: &[Block],
    path: &mut TextPath,
    out: &mut Vec<(TextPath, Vec<Inline>)>,
) {
    for (i, block) in blocks.iter().enumerate() {
        path.push(u32::try_from(i).unwrap_or(u32::MAX));
        match block {
            Block::Paragraph { content, .. } => out.push((path.clone(), content.clone())),
            Block::Quote { blocks } => display_paragraphs(blocks, path, out),
            Block::List { items, .. } => {
                for (j, item) in items.iter().enumerate() {
                    path.push(u32::try_from(j).unwrap_or(u32::MAX));
                    display_paragraphs(item, path, out);
                    path.pop();
                }
            }
            _ => {}
        }
        path.pop();
    }
}
