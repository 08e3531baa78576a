//! Drawing the book's pages: page specs (a body page, a part title, flowed front matter)
//! become document pages with running heads and folios in the margins.

use super::Spec;
use super::dump::{DumpPage, Typeset, dump_line};
use super::tint;
use crate::layout::flow::{Flow, FlowLine, LineKind, display_line};
use crate::layout::items::Alignment;
use crate::layout::line::Line;
use crate::layout::page::{Page, PageItem, Rect, TextRun};
use crate::layout::paginate::{PageBody, Placed};
use crate::layout::style::{HEAD_RAISE, MARGIN_TYPE_SCALE, PrintStyle};
use crate::layout::units::Pt;
use crate::model::{Book, Chapter, Inline};
use crate::text::font::{Features, FontId};
use std::sync::Arc;

/// Height of a cross-reference's link area, in em of its type: an em above the
/// baseline and a third below.
const LINK_DEPTH: f64 = 4.0 / 3.0;

/// Draws page specs into document pages.
pub(in crate::layout) struct Painter<'p, 'a, 'f, 'b> {
    pub(in crate::layout) flow: &'p mut Flow<'a, 'f>,
    pub(in crate::layout) style: &'p PrintStyle,
    pub(in crate::layout) inside: Pt,
    pub(in crate::layout) measure: Pt,
    pub(in crate::layout) out: &'p mut Typeset,
    pub(in crate::layout) book: &'b Book,
    /// The page (0-based, in the document) of each cross-reference target: a chapter's
    /// slug for its opening page, `slug#id` for a heading's. A cross-reference to a
    /// target not here (another chapter in a handout) stays plain text.
    pub(in crate::layout) targets: Targets,
}

/// Cross-reference targets and the pages they are on.
pub(in crate::layout) type Targets = std::collections::HashMap<String, usize>;

/// Records the targets on page `g` of chapter `slug`: the chapter itself on its opening
/// page, and each heading's id on the page its line is placed on (the first one wins).
pub(in crate::layout) fn record_targets(
    targets: &mut Targets,
    g: usize,
    body: &PageBody,
    slug: &str,
    opener: bool,
) {
    if opener {
        targets.entry(slug.to_string()).or_insert(g);
    }
    for placed in &body.placed {
        if let Placed::Line { line, .. } = placed
            && let Some(anchor) = &line.anchor
        {
            targets.entry(anchor.clone()).or_insert(g);
        }
    }
}

/// The running heads as last set: each is set once and then reused on every page that
/// carries it. A chapter title can be as long as a chapter (a whole manuscript under one
/// `#`), and setting it again on each of the pages it fills made a book quadratic.
#[derive(Default)]
pub(super) struct RunningHeads<'b> {
    /// The chapter whose title heads the rectos, with that head.
    recto: Option<(&'b Chapter, RunningHead)>,
    /// The book's title, which heads every verso.
    verso: Option<RunningHead>,
}

/// One running head: its whole text (for the dump) and its line, fitted to the measure.
#[derive(Clone)]
struct RunningHead {
    text: Arc<str>,
    runs: Vec<TextRun>,
    width: Pt,
}

impl Painter<'_, '_, '_, '_> {
    /// Baseline of grid slot `slot` (0-based), from the top of the trim.
    pub(in crate::layout) fn baseline(&self, slot: usize) -> Pt {
        self.style.top + self.style.size + self.style.leading * slot as f64
    }

    /// Draws page `g` (0-based) of the book from its spec, with its printed folio; `heads`
    /// carries the running heads from page to page.
    pub(super) fn page<'s>(
        &mut self,
        g: usize,
        spec: Spec<'s>,
        folio: &str,
        heads: &mut RunningHeads<'s>,
    ) {
        let recto = g.is_multiple_of(2);
        let bleed = self.style.bleed;
        let trim = self.style.trim;
        // With bleed, the media box grows on the outside, top and bottom edges.
        let trim_x = if recto { Pt::ZERO } else { bleed };
        let mut page = Page {
            width: trim.width + bleed,
            height: trim.height + bleed * 2.0,
            trim: Rect { x: trim_x, y: bleed, width: trim.width, height: trim.height },
            items: Vec::new(),
        };
        let left = trim_x + if recto { self.inside } else { self.style.outside };
        let origin = (left, bleed);
        let mut dump =
            DumpPage { page: g + 1, folio: None, head: None, role: "blank", file: None };
        let lines = self.style.lines_per_page();
        match spec {
            Spec::Blank => {}
            Spec::HalfTitle => {
                dump.role = "half-title";
                let title = self.book.meta.title.clone();
                self.centered(
                    &mut page,
                    origin,
                    g,
                    &[Inline::Text(title)],
                    lines / 4,
                    self.style.size * 1.5,
                    false,
                    Features::Lining,
                    2,
                    lines - lines / 4,
                );
            }
            Spec::TitlePage => {
                dump.role = "title";
                let m = &self.book.meta;
                let mut slot = lines / 5;
                slot = self.centered(
                    &mut page,
                    origin,
                    g,
                    &[Inline::Text(m.title.clone())],
                    slot,
                    self.style.size * 2.2,
                    false,
                    Features::Lining,
                    3,
                    (lines - 4).saturating_sub(slot),
                );
                if let Some(sub) = &m.subtitle {
                    slot += 1;
                    slot = self.centered(
                        &mut page,
                        origin,
                        g,
                        &[Inline::Text(sub.clone())],
                        slot,
                        self.style.size * 1.1,
                        true,
                        Features::Text,
                        1,
                        (lines - 4).saturating_sub(slot),
                    );
                }
                // A long title pushes the author down rather than into it.
                let author_slot = (lines / 2 + 2).max(slot + 2);
                self.centered(
                    &mut page,
                    origin,
                    g,
                    &[Inline::Text(m.author.clone())],
                    author_slot,
                    self.style.size * 1.2,
                    false,
                    Features::SmallCaps,
                    1,
                    lines.saturating_sub(author_slot + 1).max(1),
                );
                if let Some(publisher) = &m.publisher {
                    self.centered(
                        &mut page,
                        origin,
                        g,
                        &[Inline::Text(publisher.clone())],
                        lines - 1,
                        self.style.size * 0.9,
                        false,
                        Features::SmallCaps,
                        1,
                        1,
                    );
                }
            }
            Spec::Matter { body, role, folio: numbered, .. } => {
                dump.role = role;
                self.body(&mut page, origin, g, body);
                if numbered {
                    dump.folio = Some(folio.to_string());
                    self.folio(&mut page, origin, folio);
                }
            }
            Spec::Part(part) => {
                dump.role = "part";
                let mut slot = lines / 4;
                if let Some(label) = &part.label {
                    slot = self.centered(
                        &mut page,
                        origin,
                        g,
                        &[Inline::Text(label.to_lowercase())],
                        slot,
                        self.style.size * 1.2,
                        false,
                        Features::SmallCaps,
                        2,
                        lines - slot,
                    );
                }
                self.centered(
                    &mut page,
                    origin,
                    g,
                    &[Inline::Text(part.title.clone())],
                    slot + 1,
                    self.style.size * 1.8,
                    false,
                    Features::Lining,
                    2,
                    lines.saturating_sub(slot + 1),
                );
            }
            Spec::Body { body, chapter, opener } => {
                dump.role = if opener { "opener" } else { "text" };
                dump.file = Some(chapter.source.to_string_lossy().into());
                dump.folio = Some(folio.to_string());
                if !opener {
                    let head = self.running_head(heads, recto.then_some(chapter));
                    let y = origin.1 + self.style.top - self.style.leading * HEAD_RAISE;
                    let x = origin.0 + (self.measure - head.width) / 2.0;
                    push_runs(&mut page, head.runs, x, y);
                    dump.head = Some(head.text);
                }
                self.body(&mut page, origin, g, body);
                self.folio(&mut page, origin, folio);
            }
        }
        self.out.pages.push(dump);
        self.out.document.pages.push(page);
    }

    /// Sets centred display lines from `slot`, each `slots` grid lines tall, within
    /// `room` grid lines; returns the slot after them. Text too long for the room at
    /// `size` is set smaller, line by line tighter, down to the text size; what still
    /// does not fit is left out rather than drawn off the page.
    #[allow(clippy::too_many_arguments)]
    fn centered(
        &mut self,
        page: &mut Page,
        origin: (Pt, Pt),
        g: usize,
        inlines: &[Inline],
        slot: usize,
        size: Pt,
        italic: bool,
        features: Features,
        slots: usize,
        room: usize,
    ) -> usize {
        let body = self.style.size;
        let mut size = size;
        let mut slots = slots;
        let mut lines =
            self.flow.display(inlines, size, italic, Alignment::Center, features);
        while lines.len() * slots > room && size > body {
            size = (size * 0.9).max(body);
            // Lines as far apart as the size needs, on the grid.
            slots = ((size.0 * 1.2) / self.style.leading.0).ceil().max(1.0) as usize;
            lines = self.flow.display(inlines, size, italic, Alignment::Center, features);
        }
        let mut slot = slot;
        for line in lines.into_iter().take(room / slots) {
            let mut fl = flow_line_of(line, LineKind::Display);
            fl.slots = slots;
            self.place_line(page, origin, g, slot, fl);
            slot += slots;
        }
        slot
    }

    /// The running head of a recto in `chapter`, or of a verso (the book's title), set
    /// only when it differs from the last one.
    fn running_head<'s>(
        &mut self,
        heads: &mut RunningHeads<'s>,
        chapter: Option<&'s Chapter>,
    ) -> RunningHead {
        let cached = match chapter {
            Some(c) => heads
                .recto
                .as_ref()
                .filter(|(of, _)| std::ptr::eq(*of, c))
                .map(|(_, h)| h),
            None => heads.verso.as_ref(),
        };
        if let Some(head) = cached {
            return head.clone();
        }
        let text =
            chapter.map_or_else(|| self.book.meta.title.clone(), Chapter::title_text);
        let size = self.style.size.0 * MARGIN_TYPE_SCALE;
        let (runs, width) =
            fitted_line(self.flow, &text, size, Features::SmallCaps, self.measure);
        let head = RunningHead { text: text.into(), runs, width };
        match chapter {
            Some(c) => heads.recto = Some((c, head.clone())),
            None => heads.verso = Some(head.clone()),
        }
        head
    }

    fn folio(&mut self, page: &mut Page, origin: (Pt, Pt), folio: &str) {
        let y = origin.1 + self.baseline(self.style.lines_per_page() + 1);
        self.margin_line(page, origin.0, y, folio, Features::Text);
    }

    /// A line of small type centred over the measure, in the top or bottom margin.
    fn margin_line(
        &mut self,
        page: &mut Page,
        left: Pt,
        y: Pt,
        text: &str,
        features: Features,
    ) {
        let size = self.style.size.0 * MARGIN_TYPE_SCALE;
        let (runs, width) = fitted_line(self.flow, text, size, features, self.measure);
        push_runs(page, runs, left + (self.measure - width) / 2.0, y);
    }

    /// Places a page body: lines and figures on the grid, footnotes at the foot.
    pub(in crate::layout) fn body(
        &mut self,
        page: &mut Page,
        origin: (Pt, Pt),
        g: usize,
        body: PageBody,
    ) {
        // The tints behind code first, so that every line's text lies on them.
        for band in tint::bands(&body.placed, |slot| self.baseline(slot)) {
            page.items.push(PageItem::Fill {
                rect: Rect { x: origin.0 + band.x, y: origin.1 + band.y, ..band },
                gray: tint::TINT_GRAY,
            });
        }
        for placed in body.placed {
            match placed {
                Placed::Line { slot, line } => {
                    self.place_line(page, origin, g, slot, line)
                }
                Placed::Figure { slot, figure } => {
                    let top =
                        origin.1 + self.style.top + self.style.leading * slot as f64;
                    let box_height = self.style.leading * figure.slots as f64;
                    page.items.push(PageItem::Image {
                        image: figure.image,
                        rect: Rect {
                            x: origin.0 + figure.x,
                            y: top + (box_height - figure.height) / 2.0,
                            width: figure.width,
                            height: figure.height,
                        },
                    });
                    let mut s = slot + figure.slots;
                    for caption in figure.caption {
                        let n = caption.slots;
                        self.place_line(page, origin, g, s, caption);
                        s += n;
                    }
                }
            }
        }
        if body.notes.is_empty() {
            return;
        }
        // Footnotes end on the last baseline of the (possibly long or short) page.
        let last_slot =
            (self.style.lines_per_page() as i32 - 1 + body.delta).max(0) as usize;
        let bottom = origin.1 + self.baseline(last_slot);
        let count = body.notes.len();
        let first_baseline = bottom - self.style.note_leading * (count - 1) as f64;
        let rule_y = first_baseline - self.style.note_size - self.style.leading * 0.3;
        page.items.push(PageItem::Rule {
            x1: origin.0,
            y1: rule_y,
            x2: origin.0 + self.measure * 0.3,
            y2: rule_y,
            thickness: Pt(0.4),
        });
        for (i, line) in body.notes.into_iter().enumerate() {
            let y = first_baseline + self.style.note_leading * i as f64;
            self.out.lines.push(dump_line(g, y - origin.1, &line));
            self.cross_links(page, &line.runs, origin.0, y);
            push_runs(page, line.runs, origin.0, y);
        }
    }

    fn place_line(
        &mut self,
        page: &mut Page,
        origin: (Pt, Pt),
        g: usize,
        slot: usize,
        mut line: FlowLine,
    ) {
        let y = origin.1 + self.baseline(slot + line.slots.max(1) - 1);
        // A heading is raised off the text it introduces; at the top of a page there is
        // no text above to stand off from, and raised it would rise out of the text block.
        if slot == 0 && line.kind == LineKind::Heading {
            let raise =
                line.runs.iter().map(|r| r.y).fold(Pt(f64::NEG_INFINITY), Pt::max);
            if raise < Pt::ZERO {
                for run in &mut line.runs {
                    run.y -= raise;
                }
            }
        }
        for rule in &line.rules {
            if line.kind == LineKind::Writing {
                self.out.writing_rules.push((
                    g,
                    origin.0 + rule.x1,
                    origin.0 + rule.x2,
                    y + rule.drop,
                ));
            }
            page.items.push(PageItem::Rule {
                x1: origin.0 + rule.x1,
                y1: y + rule.drop,
                x2: origin.0 + rule.x2,
                y2: y + rule.drop,
                thickness: Pt(0.5),
            });
        }
        if let Some(target) = line.link {
            page.items.push(PageItem::Link {
                rect: Rect {
                    x: origin.0,
                    y: y - self.style.size,
                    width: self.measure,
                    height: self.style.leading,
                },
                page: target,
            });
        }
        if line.kind != LineKind::Writing
            && (!line.runs.is_empty() || !line.text.is_empty())
        {
            self.out.lines.push(dump_line(g, y - origin.1, &line));
        }
        self.cross_links(page, &line.runs, origin.0, y);
        push_runs(page, line.runs, origin.0, y);
    }

    /// Link areas over the runs of a line that belong to a cross-reference whose target's
    /// page is known; runs of one link side by side make one area.
    fn cross_links(&self, page: &mut Page, runs: &[TextRun], x: Pt, y: Pt) {
        // (left, right, type size, target page, target)
        let mut areas: Vec<(Pt, Pt, Pt, usize, &str)> = Vec::new();
        for run in runs {
            let Some(key) = run.link.as_deref() else { continue };
            let Some(&target) = self
                .targets
                .get(key)
                .or_else(|| key.split_once('#').and_then(|(c, _)| self.targets.get(c)))
            else {
                continue;
            };
            let upem = f64::from(self.flow.shaper.fonts().face(run.font).units_per_em);
            let advances: i64 = run.glyphs.iter().map(|g| i64::from(g.advance)).sum();
            let width = Pt(advances as f64 * run.size.0 / upem * run.stretch);
            let (x1, x2) = (run.x, run.x + width);
            match areas.last_mut() {
                Some(last) if last.4 == key => {
                    last.0 = last.0.min(x1);
                    last.1 = last.1.max(x2);
                    last.2 = last.2.max(run.size);
                }
                _ => areas.push((x1, x2, run.size, target, key)),
            }
        }
        // From an em above the baseline to a third of one below it: the words' ascenders
        // and descenders, not the lines above and below.
        for (x1, x2, size, target, _) in areas {
            page.items.push(PageItem::Link {
                rect: Rect {
                    x: x + x1,
                    y: y - size,
                    width: x2 - x1,
                    height: size * LINK_DEPTH,
                },
                page: target,
            });
        }
    }
}

/// Moves runs from line coordinates onto the page at (x, baseline y).
pub(in crate::layout) fn push_runs(page: &mut Page, runs: Vec<TextRun>, x: Pt, y: Pt) {
    for mut run in runs {
        run.x += x;
        run.y += y;
        page.items.push(PageItem::Text(run));
    }
}

pub(super) fn flow_line_of(line: Line, kind: LineKind) -> FlowLine {
    crate::layout::flow::flow_line(line, kind, 1)
}

/// A margin line (a running head) that fits the measure: shortened at a word with an
/// ellipsis when the whole text is too wide, as a long chapter title would be. The most
/// words that fit are found by halving the range, not word by word from the end: a title
/// can be a whole manuscript long, and each try shapes its words (and keeps them in the
/// shaper's cache). While the tries are too wide they halve in length, so all of them
/// together shape about as much text as the title holds.
fn fitted_line(
    flow: &mut Flow<'_, '_>,
    text: &str,
    size: f64,
    features: Features,
    measure: Pt,
) -> (Vec<TextRun>, Pt) {
    let whole = display_line(&mut flow.shaper, text, FontId::REGULAR, size, features);
    if whole.1 <= measure {
        return whole;
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    // Keeping `fits` words fits (none yet: 0), keeping `too_many` does not (all of them
    // did not, above); a word more never makes a line narrower.
    let (mut fits, mut too_many) = (0, words.len());
    let mut best = (Vec::new(), Pt::ZERO);
    while too_many - fits > 1 {
        let keep = fits + (too_many - fits) / 2;
        let kept = words[..keep].join(" ");
        let short = format!("{}\u{2026}", kept.trim_end_matches([',', ';', ':']));
        let fitted =
            display_line(&mut flow.shaper, &short, FontId::REGULAR, size, features);
        if fitted.1 <= measure {
            fits = keep;
            best = fitted;
        } else {
            too_many = keep;
        }
    }
    best
}
