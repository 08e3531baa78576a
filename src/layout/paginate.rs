//! The vertical list → pages: fills each page's text block with whole grid slots and puts
//! each cited footnote at the foot of its page.
//!
//! The method is the one a careful compositor uses, made mechanical. A page is filled
//! greedily, then its end is moved back to the nearest legal break (the flow's widow,
//! orphan and keep rules). A page that comes out short would make its spread end on two
//! baselines, so before accepting it the same page is tried one line shorter and one line
//! longer (a "short" or "long" page, the typesetter's classic remedy), and the facing recto
//! prefers the length its verso took, so both pages of a spread end on the same baseline.
//! The last page of a chapter must keep at least two lines; if it would not, the page
//! before gives one up. Footnotes sit on the page of their reference; a note too long for
//! what is left continues on the next page, as in TeX (The TeXbook, ch. 15, on `\insert`).
//! A figure that does not fit floats to the top of the next page while the text goes on.

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
    /// Whether less than one line of space is left.
    full: bool,
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

/// Breaks a chapter's flow into page bodies. The first page is a recto.
pub fn paginate(flow: ChapterFlow, grid: &Grid) -> Vec<PageBody> {
    let plan = plan(&flow, grid);
    materialize(flow, plan.fills)
}

/// Plans the pages of a chapter's flow (see the module doc for the method).
pub fn plan(flow: &ChapterFlow, grid: &Grid) -> Plan {
    let n = flow.items.len();
    let first_cite = first_citations(flow);
    let remaining = remaining_lines(&flow.items);
    let mut ends = Vec::new();
    let mut pages: Vec<Fill> = Vec::new();
    let mut start = 0;
    let mut carry: Vec<(usize, usize)> = Vec::new();
    let mut deferred: Vec<usize> = Vec::new();
    let mut prev_delta: i32 = 0;
    let mut k = 0;
    while start < n || !carry.is_empty() || !deferred.is_empty() {
        let recto = k % 2 == 0;
        // A recto first tries to end where its verso ended (a spread run short or long).
        let mut deltas =
            if recto && k > 0 { vec![prev_delta, 0, -1, 1] } else { vec![0, -1, 1] };
        deltas.dedup();
        let mut chosen: Option<Fill> = None;
        if !recto {
            // Look one page ahead: take the first verso length whose recto can end on the
            // same baseline, so the spread matches.
            for d in [0, -1, 1] {
                let verso =
                    try_fill(flow, grid, start, d, &carry, &deferred, &first_cite);
                let at_end =
                    verso.end >= n && verso.carry.is_empty() && verso.deferred.is_empty();
                if at_end {
                    break;
                }
                let slots = used_slots(&verso, grid);
                let next = try_fill(
                    flow,
                    grid,
                    verso.end,
                    slots - grid.lines as i32,
                    &verso.carry,
                    &verso.deferred,
                    &first_cite,
                );
                let next_at_end =
                    next.end >= n && next.carry.is_empty() && next.deferred.is_empty();
                if next_at_end || used_slots(&next, grid) == slots {
                    chosen = Some(verso);
                    break;
                }
            }
        }
        for &d in &deltas {
            if chosen.is_some() {
                break;
            }
            let fill = try_fill(flow, grid, start, d, &carry, &deferred, &first_cite);
            let last = fill.end >= n && fill.carry.is_empty() && fill.deferred.is_empty();
            if last {
                // The chapter ends here: no need for a full page; prefer the normal length.
                let normal = try_fill(
                    flow,
                    grid,
                    start,
                    deltas[0],
                    &carry,
                    &deferred,
                    &first_cite,
                );
                chosen = Some(if normal.end >= n { normal } else { fill });
                break;
            }
            if fill.full {
                chosen = Some(fill);
                break;
            }
        }
        let mut fill = chosen.unwrap_or_else(|| {
            try_fill(flow, grid, start, deltas[0], &carry, &deferred, &first_cite)
        });
        // The last page of a chapter keeps at least two lines.
        if fill.end < n && remaining[fill.end] < 2 {
            for d in [fill.delta - 1, fill.delta - 2] {
                let shorter =
                    try_fill(flow, grid, start, d, &carry, &deferred, &first_cite);
                if shorter.end < fill.end && remaining[shorter.end] >= 2 {
                    fill = shorter;
                    break;
                }
            }
        }
        // Always make progress, even on input no rule can satisfy.
        if fill.end <= start && fill.body.is_empty() && fill.notes.is_empty() && start < n
        {
            fill.end = start + 1;
            fill.body.push((0, start));
        }
        prev_delta = used_slots(&fill, grid) - grid.lines as i32;
        ends.push(prev_delta);
        start = fill.end;
        carry = fill.carry.clone();
        deferred = fill.deferred.clone();
        pages.push(fill);
        k += 1;
    }
    Plan { fills: pages, ends }
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
        full: false,
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
                    fill.body.push((fill.slots, j));
                    fill.slots += need;
                    j += 1;
                    fill.end = j;
                    if item.break_after() {
                        legal = Some(fill.mark());
                    }
                    break;
                }
                for n in &new {
                    fill.notes.extend((0..flow.notes[*n].len()).map(|l| (*n, l)));
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
    }
    let reached_end = j >= items.len();

    let mut result = match legal {
        Some(mark) if !reached_end => fill.rewind(mark),
        _ => fill,
    };
    let used = result.slots as f64 * grid.leading + grid.notes_height(result.notes.len());
    result.full = cap - used < grid.leading;
    result
}

/// The grid slot a page's last line ends on, counted from the top: its last body line,
/// or, when it has footnotes, the foot of its text block, where the notes end.
fn used_slots(fill: &Fill, grid: &Grid) -> i32 {
    if fill.notes.is_empty() { fill.slots as i32 } else { grid.lines as i32 + fill.delta }
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
