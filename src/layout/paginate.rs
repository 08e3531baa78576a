//! The vertical list → pages: fills each page's text block with whole grid slots and puts
//! each cited footnote at the foot of its page.
//!
//! A page is filled up to its capacity, then its end is moved back to the nearest legal
//! break (the flow's widow, orphan and keep rules). Which capacity each page gets — its
//! normal number of lines, one short or one long, the typesetter's classic remedy — is
//! chosen for the whole chapter at once by dynamic programming (see [`plan`]), so that
//! both pages of every spread end on the same baseline and the last page keeps at least
//! two lines. Footnotes sit on the page of their reference; a note too long for what is
//! left continues on the next page, as in TeX (The TeXbook, ch. 15, on `\insert`). A
//! figure that does not fit floats to the top of the next page while the text goes on.

use std::collections::BTreeMap;

use super::flow::{ChapterFlow, FigureBlock, FlowItem, FlowLine, LineKind};

/// The geometry the paginator needs, in points.
#[derive(Debug, Clone, Copy)]
pub struct Grid {
    /// Body lines per normal page.
    pub lines: usize,
    /// Baseline distance of the body.
    pub leading: f64,
    /// Baseline distance of footnotes.
    pub note_leading: f64,
    /// Space between the body and the first footnote (holds the rule).
    pub note_gap: f64,
}

impl Grid {
    /// Height taken by `n` footnote lines, with the gap above them.
    fn notes_height(&self, n: usize) -> f64 {
        if n == 0 { 0.0 } else { self.note_gap + n as f64 * self.note_leading }
    }
}

/// Something placed in a page's text block.
#[derive(Debug, Clone)]
pub enum Placed {
    /// A line whose first slot is `slot`.
    Line {
        /// First grid slot (0 = top of the text block).
        slot: usize,
        /// The line.
        line: FlowLine,
    },
    /// A figure whose image starts at `slot`.
    Figure {
        /// First grid slot.
        slot: usize,
        /// The figure.
        figure: FigureBlock,
    },
}

/// One page's text block.
#[derive(Debug, Clone, Default)]
pub struct PageBody {
    /// Lines and figures, top to bottom.
    pub placed: Vec<Placed>,
    /// Footnote lines at the page foot, top to bottom.
    pub notes: Vec<FlowLine>,
    /// Lines added (+1) or taken (−1) to balance the spread.
    pub delta: i32,
}

/// What filling one page from a given start gives.
#[derive(Debug, Clone)]
struct Fill {
    /// Index of the first item not on this page.
    end: usize,
    /// (slot, item index) of what is placed.
    body: Vec<(usize, usize)>,
    /// (note, line) footnote lines on this page.
    notes: Vec<(usize, usize)>,
    /// Note lines continued on the next page.
    carry: Vec<(usize, usize)>,
    /// Figures floated to the next page.
    deferred: Vec<usize>,
    /// Slots of body used.
    slots: usize,
    /// The capacity change used.
    delta: i32,
}

/// How a chapter's flow is cut into pages, before the items are moved into them.
#[derive(Debug, Clone)]
pub struct Plan {
    fills: Vec<Fill>,
    /// Baseline slot each page ends on, comparable between facing pages.
    ends: Vec<i32>,
}

impl Plan {
    /// Number of pages.
    pub fn len(&self) -> usize {
        self.fills.len()
    }

    /// Whether the plan has no pages.
    pub fn is_empty(&self) -> bool {
        self.fills.is_empty()
    }

    /// Indices (within the chapter) of versos whose facing recto ends on another baseline.
    /// The chapter's last page is exempt: it ends where the text ends.
    pub fn mismatched_spreads(&self) -> Vec<usize> {
        let last = self.ends.len().saturating_sub(1);
        (1..last)
            .step_by(2)
            .filter(|&v| v + 1 < last && self.ends[v] != self.ends[v + 1])
            .collect()
    }

    /// Pages, the chapter's last aside, that end more than a line from the normal foot.
    pub fn far_from_the_foot(&self) -> usize {
        let last = self.ends.len().saturating_sub(1);
        self.ends[..last].iter().filter(|e| e.abs() > 1).count()
    }

    /// Item index range placed on page `page`.
    pub fn items_on(&self, page: usize) -> std::ops::Range<usize> {
        let start = if page == 0 { 0 } else { self.fills[page - 1].end };
        start..self.fills.get(page).map_or(start, |f| f.end)
    }
}

/// A legal page end met while filling: enough to cut a [`Fill`] back to it without
/// copying the page's lists at every line.
#[derive(Debug, Clone)]
struct Mark {
    end: usize,
    body: usize,
    notes: usize,
    carry: Vec<(usize, usize)>,
    deferred: usize,
    slots: usize,
}

impl Fill {
    fn mark(&self) -> Mark {
        Mark {
            end: self.end,
            body: self.body.len(),
            notes: self.notes.len(),
            carry: self.carry.clone(),
            deferred: self.deferred.len(),
            slots: self.slots,
        }
    }

    fn rewind(mut self, mark: Mark) -> Fill {
        self.end = mark.end;
        self.body.truncate(mark.body);
        self.notes.truncate(mark.notes);
        self.carry = mark.carry;
        self.deferred.truncate(mark.deferred);
        self.slots = mark.slots;
        self
    }
}

/// Whether pages face each other in the finished object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Facing {
    /// A bound book: each verso and the recto beside it should end on one baseline.
    Spreads,
    /// Loose sheets (handouts): pages are judged one at a time.
    Single,
}

/// Breaks a chapter's flow into page bodies. The first page is a recto.
pub fn paginate(flow: ChapterFlow, grid: &Grid, facing: Facing) -> Vec<PageBody> {
    let plan = plan(&flow, grid, facing);
    materialize(flow, plan.fills)
}

/// Page states kept per page boundary; more only helps chapters hundreds of pages long.
const BEAM: usize = 16;

/// Cost of a page ending `k` lines away from the normal foot (a short or long page).
/// Costs are summed over a whole chapter, so they are 64-bit: a chapter of thousands of
/// nearly empty tall pages would overflow 32 bits.
fn length_cost(k: i32) -> u64 {
    10 * u64::from(k.unsigned_abs()).pow(2)
}
/// Cost of a spread whose two pages end on different baselines.
const MISMATCH_COST: u64 = 100;
/// Cost of leaving fewer than two lines for a chapter's last page.
const LONELY_LAST_PAGE_COST: u64 = 1000;
/// Most lines a recto is run short to match its verso.
const MAX_SHORT: i32 = 3;
/// Cost of each page, so that of two equal layouts the shorter wins.
const PAGE_COST: u64 = 1;
/// Cost of a recto whose last line ends in a hyphen: the reader must turn the leaf to
/// finish the word (TeX's `\brokenpenalty` has the same aim, for every page). Ten times
/// a mismatched spread, so that a page a line short or long is always preferred.
const RECTO_FOOT_HYPHEN_COST: u64 = 1000;
/// Cost of a verso ending in a hyphen: the next page is in view, so only a nudge.
const VERSO_FOOT_HYPHEN_COST: u64 = 5;

/// Where the filling of a chapter stands at a page boundary.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct State {
    start: usize,
    carry: Vec<(usize, usize)>,
    deferred: Vec<usize>,
    /// After a verso: the slot it ended on, which the recto should match.
    verso_end: Option<i32>,
}

/// A way of reaching a [`State`]: the page that led to it and what came before.
#[derive(Debug)]
struct Node {
    cost: u64,
    parent: Option<usize>,
    fill: Option<Fill>,
    end: i32,
}

/// Plans the pages of a chapter's flow.
///
/// Filling each page greedily and patching what goes wrong works page by page, but a
/// spread that cannot match often needs a change two or three pages back. So the plan
/// is chosen the way Knuth–Plass chooses line breaks, applied to pages (Plass's thesis,
/// *Optimal Pagination Techniques for Automatic Typesetting Systems*, Stanford 1981):
/// every page is tried normal, one line short and one line long, each filled up to its
/// last legal break; the resulting page boundaries are the states of a dynamic
/// programme whose cost charges short and long pages, spreads ending on two baselines,
/// and a chapter's last page left with a single line. States reached twice keep the
/// cheaper way, and a beam keeps the search linear in the chapter's length.
pub fn plan(flow: &ChapterFlow, grid: &Grid, facing: Facing) -> Plan {
    let n = flow.items.len();
    let first_cite = first_citations(flow);
    let remaining = remaining_lines(&flow.items);
    let lines = grid.lines as i32;
    if n == 0 {
        return Plan { fills: Vec::new(), ends: Vec::new() };
    }
    let mut nodes = vec![Node { cost: 0, parent: None, fill: None, end: 0 }];
    let mut frontier: Vec<(State, usize)> = vec![(
        State { start: 0, carry: Vec::new(), deferred: Vec::new(), verso_end: None },
        0,
    )];
    let mut best_end: Option<usize> = None;
    let mut page = 0;
    while !frontier.is_empty() {
        let recto = page % 2 == 0;
        let mut next: BTreeMap<State, usize> = BTreeMap::new();
        for (state, from) in frontier {
            let base = nodes[from].cost;
            if best_end.is_some_and(|b| nodes[b].cost <= base) {
                continue;
            }
            // A recto may also copy a verso that a figure or a kept heading left short.
            let mut deltas = vec![0, -1, 1];
            if let Some(verso) = state.verso_end
                && facing == Facing::Spreads
                && (lines - MAX_SHORT..lines - 1).contains(&verso)
            {
                deltas.push(verso - lines);
            }
            for delta in deltas {
                let mut fill = try_fill(
                    flow,
                    grid,
                    state.start,
                    delta,
                    &state.carry,
                    &state.deferred,
                    &first_cite,
                );
                // Always make progress, even on input no rule can satisfy.
                if fill.end <= state.start
                    && fill.body.is_empty()
                    && fill.notes.is_empty()
                    && state.start < n
                {
                    fill.end = state.start + 1;
                    fill.body.push((0, state.start));
                }
                let used = used_slots(&fill, grid, &flow.items);
                let last =
                    fill.end >= n && fill.carry.is_empty() && fill.deferred.is_empty();
                let mut cost = base + PAGE_COST + u64::from(delta.unsigned_abs());
                if !last {
                    cost += length_cost(used - lines);
                    if fill.end < n && remaining[fill.end] < 2 {
                        cost += LONELY_LAST_PAGE_COST;
                    }
                    if ends_in_hyphen(&fill, &flow.items) {
                        cost += if recto || facing == Facing::Single {
                            RECTO_FOOT_HYPHEN_COST
                        } else {
                            VERSO_FOOT_HYPHEN_COST
                        };
                    }
                    if let Some(verso) = state.verso_end
                        && facing == Facing::Spreads
                        && verso != used
                    {
                        cost += MISMATCH_COST;
                    }
                }
                let child = State {
                    start: fill.end,
                    carry: fill.carry.clone(),
                    deferred: fill.deferred.clone(),
                    verso_end: (!recto).then_some(used),
                };
                if last {
                    if best_end.is_none_or(|b| cost < nodes[b].cost) {
                        nodes.push(Node {
                            cost,
                            parent: Some(from),
                            fill: Some(fill),
                            end: used,
                        });
                        best_end = Some(nodes.len() - 1);
                    }
                    continue;
                }
                match next.get(&child) {
                    Some(&old) if nodes[old].cost <= cost => {}
                    _ => {
                        nodes.push(Node {
                            cost,
                            parent: Some(from),
                            fill: Some(fill),
                            end: used,
                        });
                        next.insert(child, nodes.len() - 1);
                    }
                }
            }
        }
        let mut states: Vec<(State, usize)> = next.into_iter().collect();
        // Cheapest first; the sort is stable, so ties keep the map's order.
        states.sort_by_key(|s| nodes[s.1].cost);
        states.truncate(BEAM);
        frontier = states;
        page += 1;
    }
    let mut fills = Vec::new();
    let mut ends = Vec::new();
    let mut at = best_end;
    while let Some(i) = at {
        let node = &mut nodes[i];
        if let Some(fill) = node.fill.take() {
            fills.push(fill);
            ends.push(node.end);
        }
        at = node.parent;
    }
    fills.reverse();
    ends.reverse();
    Plan { fills, ends: ends.iter().map(|e| e - lines).collect() }
}

/// For each item index, the lines of running text from there to the end (one more
/// entry, 0, for the end itself), so the last-page rule costs nothing per page.
fn remaining_lines(items: &[FlowItem]) -> Vec<usize> {
    let mut counts = vec![0; items.len() + 1];
    for (i, item) in items.iter().enumerate().rev() {
        let here = match item {
            FlowItem::Line(l) if l.kind != LineKind::Heading => 1,
            FlowItem::Figure(_) => 2,
            _ => 0,
        };
        counts[i] = counts[i + 1] + here;
    }
    counts
}

/// Fills one page starting at item `start`, with `delta` slots more or less than normal.
fn try_fill(
    flow: &ChapterFlow,
    grid: &Grid,
    start: usize,
    delta: i32,
    carry_in: &[(usize, usize)],
    deferred_in: &[usize],
    first_cite: &[Option<usize>],
) -> Fill {
    let cap_slots = (grid.lines as i32 + delta).max(2) as usize;
    let cap = cap_slots as f64 * grid.leading + 0.01;
    let items = &flow.items;
    let mut fill = Fill {
        end: start,
        body: Vec::new(),
        notes: Vec::new(),
        carry: Vec::new(),
        deferred: Vec::new(),
        slots: 0,
        delta,
    };
    // Continued notes come first, leaving room for at least two lines of text.
    let room_for_notes = ((cap - 2.0 * grid.leading - grid.note_gap) / grid.note_leading)
        .floor()
        .max(1.0) as usize;
    for (i, &nl) in carry_in.iter().enumerate() {
        if i < room_for_notes { fill.notes.push(nl) } else { fill.carry.push(nl) }
    }
    // Floated figures open the page.
    for &f in deferred_in {
        fill.body.push((fill.slots, f));
        fill.slots += items[f].slots();
    }
    let mut legal: Option<Mark> = None;
    let mut j = start;
    while j < items.len() {
        let item = &items[j];
        let need = item.slots();
        // Set when a footnote split across the page fills it.
        let mut notes_full = false;
        match item {
            FlowItem::Space { discardable: true, .. } if fill.slots == 0 => {
                j += 1;
                fill.end = j;
                continue;
            }
            FlowItem::Space { .. } => {
                if (fill.slots + need) as f64 * grid.leading
                    + grid.notes_height(fill.notes.len())
                    > cap
                {
                    break;
                }
            }
            FlowItem::Figure(_) => {
                let h = (fill.slots + need) as f64 * grid.leading
                    + grid.notes_height(fill.notes.len());
                if h > cap && !fill.body.is_empty() {
                    fill.deferred.push(j);
                    j += 1;
                    fill.end = j;
                    if item.break_after() {
                        legal = Some(fill.mark());
                    }
                    continue;
                }
            }
            FlowItem::Line(line) => {
                let new: Vec<usize> = line
                    .notes
                    .iter()
                    .copied()
                    .filter(|n| first_cite.get(*n) == Some(&Some(j)))
                    .collect();
                let new_lines: usize =
                    new.iter().map(|n| flow.notes.get(*n).map_or(0, |l| l.len())).sum();
                let body_h = (fill.slots + need) as f64 * grid.leading;
                let total = body_h + grid.notes_height(fill.notes.len() + new_lines);
                if total > cap {
                    // Split the last new note across the page if two of its lines still fit.
                    let Some(&last) = new.last() else { break };
                    let before: usize =
                        new[..new.len() - 1].iter().map(|n| flow.notes[*n].len()).sum();
                    let fixed = fill.notes.len() + before;
                    let space = cap - body_h - grid.note_gap;
                    let fit = ((space / grid.note_leading).floor() as isize
                        - fixed as isize)
                        .max(0) as usize;
                    let last_len = flow.notes[last].len();
                    if fit < 2 || fit >= last_len || !fill.carry.is_empty() {
                        break;
                    }
                    for n in &new[..new.len() - 1] {
                        fill.notes.extend((0..flow.notes[*n].len()).map(|l| (*n, l)));
                    }
                    fill.notes.extend((0..fit).map(|l| (last, l)));
                    fill.carry.extend((fit..last_len).map(|l| (last, l)));
                    // The line goes on this page, and the page is full.
                    notes_full = true;
                } else {
                    for n in &new {
                        fill.notes.extend((0..flow.notes[*n].len()).map(|l| (*n, l)));
                    }
                }
            }
        }
        fill.body.push((fill.slots, j));
        fill.slots += need;
        j += 1;
        fill.end = j;
        if item.break_after() {
            legal = Some(fill.mark());
        }
        if notes_full {
            break;
        }
    }
    let reached_end = j >= items.len();

    match legal {
        Some(mark) if !reached_end => fill.rewind(mark),
        _ => fill,
    }
}

/// The grid slot a page's last line ends on, counted from the top: its last body line
/// (blank space after it does not count: the eye sees where the ink stops), or, when it
/// has footnotes, the foot of its text block, where the notes end.
fn used_slots(fill: &Fill, grid: &Grid, items: &[FlowItem]) -> i32 {
    if !fill.notes.is_empty() {
        return grid.lines as i32 + fill.delta;
    }
    fill.body
        .iter()
        .filter(|(_, i)| !matches!(items[*i], FlowItem::Space { .. }))
        .map(|&(slot, i)| (slot + items[i].slots()) as i32)
        .max()
        .unwrap_or(0)
}

/// Whether the last line of a page's body ends in a hyphen, the word going on overleaf.
fn ends_in_hyphen(fill: &Fill, items: &[FlowItem]) -> bool {
    fill.body
        .iter()
        .rev()
        .find_map(|&(_, i)| match &items[i] {
            FlowItem::Line(line) => Some(line.hyphenated),
            FlowItem::Space { .. } => None,
            _ => Some(false),
        })
        .unwrap_or(false)
}

/// For each note, the index of the first line that cites it: its text goes on that page.
fn first_citations(flow: &ChapterFlow) -> Vec<Option<usize>> {
    let mut first = vec![None; flow.notes.len()];
    for (i, item) in flow.items.iter().enumerate() {
        if let FlowItem::Line(l) = item {
            for &n in &l.notes {
                if let Some(slot) = first.get_mut(n) {
                    slot.get_or_insert(i);
                }
            }
        }
    }
    first
}

/// Moves the items into the pages of a plan made from the same flow.
pub fn build_pages(flow: ChapterFlow, plan: Plan) -> Vec<PageBody> {
    materialize(flow, plan.fills)
}

/// Moves the items into their pages.
fn materialize(flow: ChapterFlow, fills: Vec<Fill>) -> Vec<PageBody> {
    let notes = flow.notes;
    let mut items: Vec<Option<FlowItem>> = flow.items.into_iter().map(Some).collect();
    fills
        .into_iter()
        .map(|fill| {
            let mut page = PageBody { delta: fill.delta, ..PageBody::default() };
            for (slot, i) in fill.body {
                match items.get_mut(i).and_then(Option::take) {
                    Some(FlowItem::Line(line)) => {
                        page.placed.push(Placed::Line { slot, line })
                    }
                    Some(FlowItem::Figure(figure)) => {
                        page.placed.push(Placed::Figure { slot, figure })
                    }
                    Some(FlowItem::Space { .. }) | None => {}
                }
            }
            for (n, l) in fill.notes {
                if let Some(line) = notes.get(n).and_then(|v| v.get(l)) {
                    page.notes.push(line.clone());
                }
            }
            page
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::flow::ParPos;

    fn grid(lines: usize) -> Grid {
        Grid { lines, leading: 12.0, note_leading: 10.0, note_gap: 6.0 }
    }

    fn line(kind: LineKind, break_after: bool, par: Option<ParPos>) -> FlowItem {
        FlowItem::Line(FlowLine {
            runs: Vec::new(),
            rules: Vec::new(),
            slots: 1,
            break_after,
            kind,
            par,
            ratio: 0.0,
            hyphenated: false,
            overfull: false,
            text: String::new(),
            notes: Vec::new(),
            link: None,
            anchor: None,
            tint: None,
            source: None,
            at_line: 0,
        })
    }

    /// A paragraph of `count` lines that may only break where no widow or orphan results.
    fn paragraph(items: &mut Vec<FlowItem>, id: u64, count: usize) {
        for i in 1..=count {
            let legal = i == count || (i >= 2 && count - i >= 2);
            let par = ParPos { id, index: i, count };
            items.push(line(LineKind::Body, legal, Some(par)));
        }
    }

    /// A chapter of paragraphs and headings drawn from a small deterministic generator.
    fn chapter(seed: u64) -> ChapterFlow {
        let mut state =
            seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        let mut next = |m: u64| {
            state =
                state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) % m
        };
        let mut items = Vec::new();
        let paragraphs = 20 + next(60);
        for id in 0..paragraphs {
            if id > 0 && next(7) == 0 {
                items.push(FlowItem::Space {
                    slots: 1,
                    discardable: true,
                    break_after: false,
                });
                items.push(line(LineKind::Heading, false, None));
            }
            paragraph(&mut items, id, 1 + next(12) as usize);
        }
        ChapterFlow { items, ..ChapterFlow::default() }
    }

    fn placed_lines(plan: &Plan, flow: &ChapterFlow) -> Vec<usize> {
        plan.fills
            .iter()
            .flat_map(|f| f.body.iter().map(|&(_, i)| i))
            .filter(|&i| matches!(flow.items[i], FlowItem::Line(_)))
            .collect()
    }

    /// Mismatched inner spreads of the plain greedy plan: every page filled at its normal
    /// length, as a word processor would.
    fn greedy_mismatches(flow: &ChapterFlow, grid: &Grid) -> usize {
        let cites = first_citations(flow);
        let mut ends = Vec::new();
        let mut start = 0;
        while start < flow.items.len() {
            let fill = try_fill(flow, grid, start, 0, &[], &[], &cites);
            ends.push(used_slots(&fill, grid, &flow.items) - grid.lines as i32);
            start = fill.end.max(start + 1);
        }
        let plan = Plan { fills: Vec::new(), ends };
        plan.mismatched_spreads().len()
    }

    #[test]
    fn every_line_is_placed_once_in_order_within_its_page() {
        let grid = grid(30);
        for seed in 0..200 {
            let flow = chapter(seed);
            let plan = plan(&flow, &grid, Facing::Spreads);
            let expected: Vec<usize> = (0..flow.items.len())
                .filter(|&i| matches!(flow.items[i], FlowItem::Line(_)))
                .collect();
            assert_eq!(placed_lines(&plan, &flow), expected, "seed {seed}");
            for (k, fill) in plan.fills.iter().enumerate() {
                let used = used_slots(fill, &grid, &flow.items);
                assert!(
                    used <= grid.lines as i32 + fill.delta,
                    "seed {seed} page {k}: {used} slots on a page of {}",
                    grid.lines as i32 + fill.delta
                );
                assert!(fill.delta.abs() <= MAX_SHORT, "seed {seed} page {k}");
            }
        }
    }

    #[test]
    fn facing_pages_end_together_far_more_often_than_when_filled_greedily() {
        let grid = grid(30);
        let (mut planned, mut greedy, mut spreads) = (0, 0, 0);
        for seed in 0..200 {
            let flow = chapter(seed);
            let plan = plan(&flow, &grid, Facing::Spreads);
            let mismatched = plan.mismatched_spreads().len();
            let baseline = greedy_mismatches(&flow, &grid);
            assert!(
                mismatched <= baseline,
                "seed {seed}: {mismatched} > greedy {baseline}"
            );
            planned += mismatched;
            greedy += baseline;
            spreads += plan.len().saturating_sub(2) / 2;
        }
        assert!(greedy > spreads / 4, "the generator makes too few hard spreads to test");
        assert!(
            planned * 20 <= spreads,
            "{planned} of {spreads} spreads mismatched (greedy: {greedy})"
        );
    }

    #[test]
    fn single_pages_are_never_run_short_to_match_a_neighbour() {
        let grid = grid(30);
        for seed in 0..50 {
            let flow = chapter(seed);
            let plan = plan(&flow, &grid, Facing::Single);
            assert!(plan.fills.iter().all(|f| f.delta.abs() <= 1), "seed {seed}");
        }
    }

    #[test]
    fn an_empty_flow_has_no_pages() {
        assert!(plan(&ChapterFlow::default(), &grid(30), Facing::Spreads).is_empty());
    }

    /// Marks every third body line hyphenated, as a paragraph set with many long words
    /// would be.
    fn with_hyphens(mut flow: ChapterFlow) -> ChapterFlow {
        for (k, item) in flow.items.iter_mut().enumerate() {
            if let FlowItem::Line(line) = item
                && line.kind == LineKind::Body
                && k % 3 == 0
            {
                line.hyphenated = true;
            }
        }
        flow
    }

    /// Pages (by index) of a plan whose last body line ends in a hyphen, the chapter's
    /// last page aside.
    fn hyphen_feet(plan: &Plan, flow: &ChapterFlow) -> Vec<usize> {
        let last = plan.fills.len().saturating_sub(1);
        (0..last).filter(|&p| ends_in_hyphen(&plan.fills[p], &flow.items)).collect()
    }

    #[test]
    fn a_recto_is_run_a_line_long_rather_than_end_in_a_hyphen() {
        // One paragraph of 40 lines on pages of 10: the first page would end on line 10,
        // which is hyphenated, so it takes 9 or 11 lines instead; the verso after it
        // may end on a hyphen (the reader sees both pages at once).
        let mut items = Vec::new();
        paragraph(&mut items, 0, 40);
        let mut flow = ChapterFlow { items, ..ChapterFlow::default() };
        for k in [9, 19] {
            if let FlowItem::Line(line) = &mut flow.items[k] {
                line.hyphenated = true;
            }
        }
        let greedy = plan(
            &ChapterFlow { items: plain(&flow.items), ..flow.clone() },
            &grid(10),
            Facing::Spreads,
        );
        assert_eq!(greedy.fills[0].end, 10, "without hyphens the recto is full");
        let planned = plan(&flow, &grid(10), Facing::Spreads);
        assert!(!ends_in_hyphen(&planned.fills[0], &flow.items));
        assert_ne!(planned.fills[0].end, 10);
    }

    /// The same items with no line hyphenated.
    fn plain(items: &[FlowItem]) -> Vec<FlowItem> {
        items
            .iter()
            .cloned()
            .map(|mut item| {
                if let FlowItem::Line(line) = &mut item {
                    line.hyphenated = false;
                }
                item
            })
            .collect()
    }

    #[test]
    fn rectos_end_in_hyphens_far_less_often_than_versos() {
        let grid = grid(30);
        let (mut rectos, mut versos) = (0, 0);
        for seed in 0..40 {
            let flow = with_hyphens(chapter(seed));
            let plan = plan(&flow, &grid, Facing::Spreads);
            for page in hyphen_feet(&plan, &flow) {
                if page % 2 == 0 {
                    rectos += 1;
                } else {
                    versos += 1;
                }
            }
        }
        // A third of the lines end in a hyphen, so a verso's foot often does (it costs
        // little); a recto's only where widow and orphan rules leave no other break.
        assert!(versos >= 20, "only {versos} versos end in a hyphen: is the test live?");
        assert!(
            rectos * 10 <= versos,
            "{rectos} rectos and {versos} versos end in a hyphen"
        );
    }

    #[test]
    fn loose_sheets_end_in_hyphens_rarely() {
        let grid = grid(30);
        let (mut feet, mut pages) = (0, 0);
        for seed in 0..20 {
            let flow = with_hyphens(chapter(seed));
            let plan = plan(&flow, &grid, Facing::Single);
            feet += hyphen_feet(&plan, &flow).len();
            pages += plan.fills.len();
        }
        // A third of all lines are hyphenated; a sheet's foot is, at most, one in twenty.
        assert!(feet * 20 <= pages, "{feet} of {pages} sheets end in a hyphen");
    }
}
