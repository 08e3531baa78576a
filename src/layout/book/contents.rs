//! The printed table of contents, set through the flow and paginator like any text, so it
//! runs over as many pages as it needs.
//!
//! Each entry is a small paragraph: its number in a column of its own, the title set
//! ragged right beside it (a long title wraps under itself, a hanging indent), and the
//! page number flush right on the entry's last line, with dot leaders when the book asks
//! for them. An entry never breaks across pages; a part's entry stays with the chapter
//! entry after it.

use crate::layout::flow::{
    ChapterFlow, Flow, FlowItem, FlowLine, LineKind, display_line,
};
use crate::layout::items::Alignment;
use crate::layout::page::TextRun;
use crate::layout::paginate::{Facing, Grid, PageBody, paginate};
use crate::layout::units::Pt;
use crate::locale::Words;
use crate::model::Inline;
use crate::text::font::{Features, FontId};

/// Blank slots above the contents heading, as above a chapter's title.
const SINK: usize = 6;
/// Size of the contents heading, relative to the body.
const HEADING_SCALE: f64 = 1.8;
/// Narrowest number column, in em: room for two digits and a gap.
const NUMBER_COLUMN_EM: f64 = 1.6;
/// Space between the number column's widest label and the titles, in em.
const NUMBER_GAP_EM: f64 = 0.5;
/// Space kept between a title and its page number, in em.
const FOLIO_GAP_EM: f64 = 1.0;
/// Distance between leader dots, in em.
const LEADER_STEP_EM: f64 = 0.5;

/// What a contents entry names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum EntryKind {
    /// A part's title page.
    Part,
    /// A chapter, or a piece of front or back matter.
    Chapter,
}

/// One entry of the contents.
#[derive(Debug, Clone)]
pub(super) struct Entry {
    /// What it names.
    pub kind: EntryKind,
    /// The number shown in the number column ("7", "XXI"); empty for none.
    pub number: String,
    /// The title.
    pub title: String,
    /// The page it opens on (0-based, in the document), for the link.
    pub target: usize,
    /// That page's printed folio.
    pub folio: String,
}

/// The contents' pages.
pub(super) fn contents_pages(
    flow: &mut Flow<'_, '_>,
    words: &Words,
    entries: &[Entry],
    grid: &Grid,
) -> Vec<PageBody> {
    let style = flow.style;
    let size = style.size;
    let measure = flow.measure;
    let mut items =
        vec![FlowItem::Space { slots: SINK, discardable: false, break_after: false }];
    let heading = flow.display(
        &[Inline::Text(words.contents.clone())],
        size * HEADING_SCALE,
        false,
        Alignment::Center,
        Features::Lining,
    );
    for line in heading {
        items.push(FlowItem::Line(crate::layout::flow::flow_line(
            line,
            LineKind::Display,
            2,
        )));
    }
    items.push(FlowItem::Space { slots: 2, discardable: false, break_after: false });

    let numbers = widest(flow, entries.iter().map(|e| &e.number), Features::Lining);
    let number_column = if numbers > Pt::ZERO {
        (size * NUMBER_COLUMN_EM).max(numbers + size * NUMBER_GAP_EM)
    } else {
        Pt::ZERO
    };
    let folios = widest(flow, entries.iter().map(|e| &e.folio), Features::Text);
    let title_measure = measure - number_column - folios - size * FOLIO_GAP_EM;

    for (k, entry) in entries.iter().enumerate() {
        let part = entry.kind == EntryKind::Part;
        if k > 0 {
            let slots = if part { 2 } else { 1 };
            items.push(FlowItem::Space { slots, discardable: true, break_after: true });
        }
        let (left, features) = if part {
            (Pt::ZERO, Features::SmallCaps)
        } else {
            (number_column, Features::Text)
        };
        let lines = flow.display_in(
            &[Inline::Text(entry.title.clone())],
            size,
            false,
            Alignment::Left,
            features,
            title_measure + number_column - left,
        );
        let count = lines.len();
        for (i, line) in lines.into_iter().enumerate() {
            let last = i + 1 == count;
            let title_end = left + line.width;
            let mut runs = shifted(line.runs, left);
            let mut text = line.text;
            if i == 0 && !entry.number.is_empty() {
                let (label, _) = display_line(
                    &mut flow.shaper,
                    &entry.number,
                    FontId::REGULAR,
                    size.0,
                    Features::Lining,
                );
                runs.splice(0..0, label);
                text = format!("{} {text}", entry.number);
            }
            if last {
                let (folio, width) = display_line(
                    &mut flow.shaper,
                    &entry.folio,
                    FontId::REGULAR,
                    size.0,
                    Features::Text,
                );
                let folio_x = measure - width;
                if style.contents_leaders {
                    runs.extend(leaders(flow, title_end, folio_x));
                }
                runs.extend(shifted(folio, folio_x));
                text = format!("{text} {}", entry.folio);
            }
            items.push(FlowItem::Line(FlowLine {
                runs,
                rules: Vec::new(),
                slots: 1,
                // An entry stays whole, and a part stays with its first chapter.
                break_after: last && !part,
                kind: LineKind::Display,
                par: None,
                ratio: 0.0,
                hyphenated: false,
                overfull: line.overfull,
                text: text.trim().to_string(),
                notes: Vec::new(),
                link: Some(entry.target),
                anchor: None,
                tint: None,
                source: None,
                at_line: 0,
            }));
        }
    }
    paginate(ChapterFlow { items, ..Default::default() }, grid, Facing::Single)
}

/// The width of the widest of `texts`, set in body type with `features`.
fn widest<'t>(
    flow: &mut Flow<'_, '_>,
    texts: impl Iterator<Item = &'t String>,
    features: Features,
) -> Pt {
    let size = flow.style.size.0;
    texts
        .map(|t| display_line(&mut flow.shaper, t, FontId::REGULAR, size, features).1)
        .fold(Pt::ZERO, Pt::max)
}

/// Runs moved `dx` to the right.
fn shifted(runs: Vec<TextRun>, dx: Pt) -> Vec<TextRun> {
    runs.into_iter()
        .map(|mut r| {
            r.x += dx;
            r
        })
        .collect()
}

/// Dot leaders from after `from` to before `to`, each dot on a fixed step from the left
/// edge so that the dots of every entry line up in columns.
fn leaders(flow: &mut Flow<'_, '_>, from: Pt, to: Pt) -> Vec<TextRun> {
    let size = flow.style.size;
    let step = size * LEADER_STEP_EM;
    let (dot, width) =
        display_line(&mut flow.shaper, ".", FontId::REGULAR, size.0, Features::Text);
    let mut runs = Vec::new();
    let mut k = ((from + step).0 / step.0).ceil();
    while Pt(k * step.0) + width + step <= to {
        runs.extend(shifted(dot.clone(), Pt(k * step.0)));
        k += 1.0;
    }
    runs
}
