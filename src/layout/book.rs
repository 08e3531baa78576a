//! The make-up of a whole book: front matter (half title, title, copyright, dedication,
//! epigraph, contents), essays opening on rectos, back matter; running heads and folios;
//! mirrored margins with the gutter chosen from the final page count.
//!
//! `typeset_book` is the table of contents of the print engine: set every chapter
//! ([`super::flow`]), paginate it ([`super::paginate`]), then place pages and decorate them
//! here. The gutter depends on the page count and the page count on the measure, so the
//! body is laid out again until KDP's gutter band stops changing (twice at most in practice).

use super::flow::{Flow, FlowLine, LineKind, ParPos, display_line};
use super::items::Alignment;
use super::line::Line;
use super::page::{
    Document, DocumentMeta, LabelStyle, OutlineEntry, Page, PageItem, PageLabel, Rect,
    TextRun,
};
use super::paginate::{Facing, Grid, PageBody, Placed, build_pages, plan};
use super::style::{PrintStyle, kdp_gutter};
use super::units::Pt;
use crate::error::Warning;
use crate::model::{Block, Book, Chapter, ChapterKind, Inline};
use crate::text::font::{Features, FontId, FontSet};
use crate::text::hyphenate::Hyphenator;
use crate::text::shape::Shaper;
use std::path::Path;

/// Most layout passes spent settling the gutter.
const MAX_GUTTER_PASSES: usize = 4;

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
    /// The running head, if any.
    pub head: Option<String>,
    /// What the page is.
    pub role: &'static str,
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
}

impl Typeset {
    /// The layout dump: a page header per page, one line per text line.
    pub fn dump(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let mut lines = self.lines.iter().peekable();
        for page in &self.pages {
            let _ = writeln!(
                out,
                "page {} {} {} folio={} head={:?}",
                page.page,
                if page.page % 2 == 1 { "recto" } else { "verso" },
                page.role,
                page.folio.as_deref().unwrap_or("-"),
                page.head.as_deref().unwrap_or("")
            );
            while let Some(line) = lines.next_if(|l| l.page == page.page) {
                let par = line.par.map_or("-".to_string(), |p| {
                    format!("p{}:{}/{}", p.id, p.index, p.count)
                });
                let _ = writeln!(
                    out,
                    "  y={:.2} r={:+.3} {}{} {:?} {} | {}",
                    line.y,
                    line.ratio,
                    if line.hyphenated { "H" } else { "-" },
                    if line.overfull { "O" } else { "-" },
                    line.kind,
                    par,
                    line.text
                );
            }
        }
        out
    }
}

/// What a page of the book is, before it is drawn.
enum Spec<'b> {
    Blank,
    HalfTitle,
    TitlePage,
    Copyright,
    /// A dedication or epigraph, centred on its own page.
    Display(&'b Chapter),
    Contents,
    /// A page of a chapter's text.
    Body {
        body: PageBody,
        chapter: &'b Chapter,
        opener: bool,
    },
}

/// Typesets the book for print.
pub fn typeset_book(
    book: &Book,
    style: &PrintStyle,
    fonts: &FontSet,
    hyphenator: &Hyphenator,
    assets: &Path,
) -> Typeset {
    let mut gutter = kdp_gutter(estimate_pages(book, style));
    let mut result = Typeset::default();
    for _ in 0..MAX_GUTTER_PASSES {
        result = assemble(book, style, fonts, hyphenator, assets, style.inside + gutter);
        let needed = kdp_gutter(result.document.pages.len());
        if needed == gutter {
            break;
        }
        gutter = needed;
    }
    result
}

/// A first guess at the page count, so the gutter is usually right on the first pass:
/// about six characters a word, half an em a character, plus an opening page and a
/// half-empty last page per chapter, plus a dozen pages of front matter.
fn estimate_pages(book: &Book, style: &PrintStyle) -> usize {
    let chars_per_line =
        style.measure(style.inside + kdp_gutter(0)).0 / (style.size.0 * 0.47);
    let words_per_page = (chars_per_line / 6.0) * style.lines_per_page() as f64;
    let text_pages = book.word_count() as f64 / words_per_page.max(1.0);
    (text_pages + book.chapters.len() as f64 * 1.5 + 12.0) as usize
}

/// The pagination grid of an edition.
pub(super) fn grid(style: &PrintStyle) -> Grid {
    Grid {
        lines: style.lines_per_page(),
        leading: style.leading.0,
        note_leading: style.note_leading.0,
        note_gap: style.leading.0,
    }
}

/// Lays out the whole book with a given inside margin.
fn assemble(
    book: &Book,
    style: &PrintStyle,
    fonts: &FontSet,
    hyphenator: &Hyphenator,
    assets: &Path,
    inside: Pt,
) -> Typeset {
    let measure = style.measure(inside);
    let mut flow = Flow::new(Shaper::new(fonts), hyphenator, style, measure, assets);
    let grid = grid(style);

    // The body: essays and back matter, each opening on a recto, numbered from 1.
    let mut body: Vec<Spec<'_>> = Vec::new();
    let mut starts: Vec<(usize, &Chapter)> = Vec::new(); // (index in its part, chapter)
    let body_chapters: Vec<&Chapter> = book
        .chapters
        .iter()
        .filter(|c| matches!(c.kind, ChapterKind::Essay | ChapterKind::Back))
        .collect();
    let laid_out =
        lay_out_in_parallel(&body_chapters, style, fonts, hyphenator, assets, measure);
    for (chapter, mut set) in body_chapters.iter().copied().zip(laid_out) {
        open_recto(&mut body);
        starts.push((body.len(), chapter));
        // Figures were numbered per chapter; number them in the book's image list.
        let offset = flow.images.len();
        flow.images.append(&mut set.images);
        flow.warnings.append(&mut set.warnings);
        for (i, mut page) in set.pages.into_iter().enumerate() {
            for placed in &mut page.placed {
                if let Placed::Figure { figure, .. } = placed {
                    figure.image += offset;
                }
            }
            body.push(Spec::Body { body: page, chapter, opener: i == 0 });
        }
    }

    // The front matter, ending on a verso so the first essay is a recto.
    let mut front: Vec<Spec<'_>> =
        vec![Spec::HalfTitle, Spec::Blank, Spec::TitlePage, Spec::Copyright];
    let mut front_starts: Vec<(usize, String)> =
        vec![(2, "Title Page".into()), (3, "Copyright".into())];
    for chapter in book
        .chapters
        .iter()
        .filter(|c| matches!(c.kind, ChapterKind::Dedication | ChapterKind::Epigraph))
    {
        open_recto(&mut front);
        let name = if chapter.kind == ChapterKind::Dedication {
            "Dedication"
        } else {
            "Epigraph"
        };
        front_starts.push((front.len(), name.into()));
        front.push(Spec::Display(chapter));
    }
    open_recto(&mut front);
    let contents_index = front.len();
    front_starts.push((contents_index, "Contents".into()));
    front.push(Spec::Contents);
    let mut front_chapters: Vec<(usize, &Chapter)> = Vec::new();
    for chapter in book.chapters.iter().filter(|c| c.kind == ChapterKind::Front) {
        open_recto(&mut front);
        front_chapters.push((front.len(), chapter));
        front_starts.push((front.len(), chapter.title_text()));
        let pages = balanced_pages(&mut flow, chapter, &grid);
        for (i, page) in pages.into_iter().enumerate() {
            front.push(Spec::Body { body: page, chapter, opener: i == 0 });
        }
    }
    open_recto(&mut front);
    let front_len = front.len();

    // Contents entries: (label, title, global page index, printed folio).
    let mut entries: Vec<(String, String, usize, String)> = Vec::new();
    for (i, chapter) in &front_chapters {
        entries.push((String::new(), chapter.title_text(), *i, roman(*i + 1)));
    }
    for (i, chapter) in &starts {
        let label = chapter.number.map(|n| n.to_string()).unwrap_or_default();
        entries.push((label, chapter.title_text(), front_len + i, (i + 1).to_string()));
    }

    let mut out = Typeset::default();
    let mut painter =
        Painter { flow: &mut flow, style, inside, measure, out: &mut out, book };
    let all =
        front.into_iter().map(|s| (s, true)).chain(body.into_iter().map(|s| (s, false)));
    for (g, (spec, is_front)) in all.enumerate() {
        let folio_number = if is_front { g + 1 } else { g - front_len + 1 };
        let folio_text =
            if is_front { roman(folio_number) } else { folio_number.to_string() };
        painter.page(g, spec, &folio_text, &entries);
    }

    // Navigation and metadata.
    let mut outline: Vec<OutlineEntry> = front_starts
        .into_iter()
        .map(|(page, title)| OutlineEntry { title, page, children: vec![] })
        .collect();
    for (i, chapter) in &starts {
        let title = match chapter.number {
            Some(n) => format!("{n}. {}", chapter.title_text()),
            None => chapter.title_text(),
        };
        outline.push(OutlineEntry { title, page: front_len + i, children: vec![] });
    }
    let m = &book.meta;
    out.document.outline = outline;
    out.document.page_labels = vec![
        PageLabel { from_page: 0, style: LabelStyle::LowerRoman, first: 1 },
        PageLabel { from_page: front_len, style: LabelStyle::Decimal, first: 1 },
    ];
    out.document.meta = DocumentMeta {
        title: m.title.clone(),
        author: m.author.clone(),
        subject: m.subtitle.clone().or_else(|| m.description.clone()).unwrap_or_default(),
        keywords: m.subjects.clone(),
        language: m.language.clone(),
        date: m.date.clone(),
        identifier: m.identifier.clone(),
    };
    out.document.images = std::mem::take(&mut flow.images);
    out.warnings.append(&mut flow.warnings);
    out.warnings.extend(flow.missing_glyph_warnings());
    out
}

/// One chapter set and paginated by a worker, with what its flow collected.
struct ChapterPages {
    pages: Vec<PageBody>,
    images: Vec<super::page::ImageData>,
    warnings: Vec<Warning>,
}

/// Sets and paginates chapters on all cores: chapters do not depend on each other once
/// the measure is fixed. Each worker keeps its own hyphenator and shaper (their caches
/// are not shared between threads) from chapter to chapter; results come back in chapter
/// order, so the output does not depend on the number of cores. Characters no font has
/// are reported per chapter.
fn lay_out_in_parallel(
    chapters: &[&Chapter],
    style: &PrintStyle,
    fonts: &FontSet,
    hyphenator: &Hyphenator,
    assets: &Path,
    measure: Pt,
) -> Vec<ChapterPages> {
    let grid = grid(style);
    let rules = hyphenator.rules();
    crate::parallel::map_with(
        chapters,
        || (rules.build(), Some(Shaper::new(fonts))),
        |(hyphenator, kept), i, chapter| {
            let shaper = kept.take().unwrap_or_else(|| Shaper::new(fonts));
            let mut flow = Flow::new(shaper, hyphenator, style, measure, assets);
            flow.set_paragraph_base(i as u32 * PARAGRAPH_IDS_PER_CHAPTER);
            let pages = balanced_pages(&mut flow, chapter, &grid);
            let images = std::mem::take(&mut flow.images);
            let mut warnings = std::mem::take(&mut flow.warnings);
            warnings.extend(flow.missing_glyph_warnings());
            *kept = Some(flow.shaper);
            ChapterPages { pages, images, warnings }
        },
    )
}

/// Paragraph ids are unique in a book: each chapter numbers from its own base.
const PARAGRAPH_IDS_PER_CHAPTER: u32 = 1_000_000;

/// Most paragraphs re-broken per chapter to balance its spreads.
const MAX_REBREAKS: usize = 6;

/// Sets and paginates a chapter so that facing pages end on the same baseline: where a
/// spread does not, a paragraph on it is re-broken one line longer or shorter (TeX's
/// `\looseness`), the remedy a compositor reaches for first, and kept if it helps.
fn balanced_pages(
    flow: &mut Flow<'_, '_>,
    chapter: &Chapter,
    grid: &Grid,
) -> Vec<PageBody> {
    let mut cf = flow.chapter(chapter);
    let mut best = plan(&cf, grid, Facing::Spreads);
    let mut rebreaks = 0;
    let mut skip: Vec<usize> = Vec::new();
    // Paragraphs already re-broken keep their new shape; restoring one to its optimum
    // after a failed trial would leave the flow out of step with `best`.
    let mut adjusted: Vec<usize> = Vec::new();
    while rebreaks < MAX_REBREAKS {
        let bad = best.mismatched_spreads();
        let Some(&verso) = bad.iter().find(|v| !skip.contains(v)) else { break };
        let range =
            best.items_on(verso.saturating_sub(1)).start..best.items_on(verso + 1).end;
        let mut candidates: Vec<usize> = (0..cf.paragraphs.len())
            .filter(|&p| {
                range.contains(&cf.paragraphs[p].start) && cf.paragraphs[p].len >= 3
            })
            .filter(|p| !adjusted.contains(p))
            .collect();
        candidates.sort_by_key(|&p| std::cmp::Reverse(cf.paragraphs[p].len));
        let mut improved = false;
        'search: for &p in candidates.iter().take(3) {
            for looseness in [-1, 1] {
                if !flow.reset_paragraph(&mut cf, p, looseness) {
                    continue;
                }
                let trial = plan(&cf, grid, Facing::Spreads);
                if trial.mismatched_spreads().len() < bad.len() {
                    best = trial;
                    adjusted.push(p);
                    improved = true;
                    break 'search;
                }
                flow.reset_paragraph(&mut cf, p, 0);
            }
        }
        rebreaks += 1;
        if !improved {
            skip.push(verso);
        }
    }
    build_pages(cf, best)
}

/// Pads a page list with a blank verso so that the next page is a recto.
fn open_recto(pages: &mut Vec<Spec<'_>>) {
    if pages.len() % 2 == 1 {
        pages.push(Spec::Blank);
    }
}

/// Lower-case roman numerals for front-matter folios.
pub fn roman(mut n: usize) -> String {
    const TABLE: [(usize, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (value, digits) in TABLE {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

/// Draws page specs into document pages.
pub(super) struct Painter<'p, 'a, 'f, 'b> {
    pub(super) flow: &'p mut Flow<'a, 'f>,
    pub(super) style: &'p PrintStyle,
    pub(super) inside: Pt,
    pub(super) measure: Pt,
    pub(super) out: &'p mut Typeset,
    pub(super) book: &'b Book,
}

impl Painter<'_, '_, '_, '_> {
    /// Baseline of grid slot `slot` (0-based), from the top of the trim.
    pub(super) fn baseline(&self, slot: usize) -> Pt {
        self.style.top + self.style.size + self.style.leading * slot as f64
    }

    fn page(
        &mut self,
        g: usize,
        spec: Spec<'_>,
        folio: &str,
        entries: &[(String, String, usize, String)],
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
        let mut dump = DumpPage { page: g + 1, folio: None, head: None, role: "blank" };
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
                    );
                }
                let _ = slot;
                self.centered(
                    &mut page,
                    origin,
                    g,
                    &[Inline::Text(m.author.clone())],
                    lines / 2 + 2,
                    self.style.size * 1.2,
                    false,
                    Features::SmallCaps,
                    1,
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
                    );
                }
            }
            Spec::Copyright => {
                dump.role = "copyright";
                let paragraphs: Vec<Vec<Inline>> = self
                    .book
                    .copyright_lines()
                    .into_iter()
                    .map(|t| vec![Inline::Text(t)])
                    .collect();
                let set = self.display_block(
                    &paragraphs,
                    self.style.size * 0.85,
                    false,
                    Alignment::Left,
                );
                // Set at the foot of the page.
                let start = lines.saturating_sub(set.len());
                self.place_display(&mut page, origin, g, start, set);
            }
            Spec::Display(chapter) => {
                dump.role = if chapter.kind == ChapterKind::Dedication {
                    "dedication"
                } else {
                    "epigraph"
                };
                let paragraphs = display_paragraphs(&chapter.blocks);
                let set = self.display_block(
                    &paragraphs,
                    self.style.size,
                    true,
                    Alignment::Center,
                );
                self.place_display(&mut page, origin, g, lines / 4, set);
            }
            Spec::Contents => {
                dump.role = "contents";
                dump.folio = Some(folio.to_string());
                self.centered(
                    &mut page,
                    origin,
                    g,
                    &[Inline::Text("Contents".into())],
                    6,
                    self.style.size * 1.8,
                    false,
                    Features::Lining,
                    2,
                );
                let mut slot = 10;
                for (label, title, target, printed) in entries {
                    self.contents_entry(
                        &mut page, origin, g, slot, label, title, printed, *target,
                    );
                    slot += 2;
                }
                self.folio(&mut page, origin, folio);
            }
            Spec::Body { body, chapter, opener } => {
                dump.role = if opener { "opener" } else { "text" };
                dump.folio = Some(folio.to_string());
                if !opener {
                    let head = if recto {
                        chapter.title_text()
                    } else {
                        self.book.meta.title.clone()
                    };
                    self.running_head(&mut page, origin, &head);
                    dump.head = Some(head);
                }
                self.body(&mut page, origin, g, body);
                self.folio(&mut page, origin, folio);
            }
        }
        self.out.pages.push(dump);
        self.out.document.pages.push(page);
    }

    /// Sets display paragraphs (copyright lines, a dedication) with a blank line between.
    fn display_block(
        &mut self,
        paragraphs: &[Vec<Inline>],
        size: Pt,
        italic: bool,
        align: Alignment,
    ) -> Vec<Line> {
        let mut set: Vec<Line> = Vec::new();
        for inlines in paragraphs {
            set.extend(self.flow.display(inlines, size, italic, align, Features::Text));
            set.push(Line::default());
        }
        set.pop();
        set
    }

    /// Places display lines one grid slot each, from `start`.
    fn place_display(
        &mut self,
        page: &mut Page,
        origin: (Pt, Pt),
        g: usize,
        start: usize,
        set: Vec<Line>,
    ) {
        for (i, line) in set.into_iter().enumerate() {
            self.place_line(
                page,
                origin,
                g,
                start + i,
                flow_line_of(line, LineKind::Display),
            );
        }
    }

    /// Sets centred display lines from `slot`, each `slots` grid lines tall; returns the
    /// slot after them.
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
    ) -> usize {
        let lines = self.flow.display(inlines, size, italic, Alignment::Center, features);
        let mut slot = slot;
        for line in lines {
            let mut fl = flow_line_of(line, LineKind::Display);
            fl.slots = slots;
            self.place_line(page, origin, g, slot, fl);
            slot += slots;
        }
        slot
    }

    /// One contents line: number, title, and the page number flush right, linked.
    #[allow(clippy::too_many_arguments)]
    fn contents_entry(
        &mut self,
        page: &mut Page,
        origin: (Pt, Pt),
        g: usize,
        slot: usize,
        label: &str,
        title: &str,
        printed: &str,
        target: usize,
    ) {
        let size = self.style.size.0;
        let y = origin.1 + self.baseline(slot);
        let number_width = self.style.size * 1.6;
        let (runs, _) = display_line(
            &mut self.flow.shaper,
            label,
            FontId::REGULAR,
            size,
            Features::Lining,
        );
        push_runs(page, runs, origin.0, y);
        let (runs, title_width) = display_line(
            &mut self.flow.shaper,
            title,
            FontId::REGULAR,
            size,
            Features::Text,
        );
        push_runs(page, runs, origin.0 + number_width, y);
        let (runs, width) = display_line(
            &mut self.flow.shaper,
            printed,
            FontId::REGULAR,
            size,
            Features::Text,
        );
        push_runs(page, runs, origin.0 + self.measure - width, y);
        page.items.push(PageItem::Link {
            rect: Rect {
                x: origin.0,
                y: y - self.style.size,
                width: self.measure,
                height: self.style.leading,
            },
            page: target,
        });
        let _ = title_width;
        self.out.lines.push(DumpLine {
            page: g + 1,
            y: (y - origin.1).0,
            ratio: 0.0,
            hyphenated: false,
            overfull: false,
            kind: LineKind::Display,
            par: None,
            text: format!("{label} {title} {printed}").trim().to_string(),
        });
    }

    fn running_head(&mut self, page: &mut Page, origin: (Pt, Pt), text: &str) {
        let y = origin.1 + self.style.top - self.style.leading * 1.5;
        self.margin_line(page, origin.0, y, text, Features::SmallCaps);
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
        let size = self.style.size.0 * 0.9;
        let (runs, width) =
            display_line(&mut self.flow.shaper, text, FontId::REGULAR, size, features);
        push_runs(page, runs, left + (self.measure - width) / 2.0, y);
    }

    /// Places a page body: lines and figures on the grid, footnotes at the foot.
    pub(super) fn body(
        &mut self,
        page: &mut Page,
        origin: (Pt, Pt),
        g: usize,
        body: PageBody,
    ) {
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
            push_runs(page, line.runs, origin.0, y);
        }
    }

    fn place_line(
        &mut self,
        page: &mut Page,
        origin: (Pt, Pt),
        g: usize,
        slot: usize,
        line: FlowLine,
    ) {
        let y = origin.1 + self.baseline(slot + line.slots.max(1) - 1);
        for rule in &line.rules {
            page.items.push(PageItem::Rule {
                x1: origin.0 + rule.x1,
                y1: y + rule.drop,
                x2: origin.0 + rule.x2,
                y2: y + rule.drop,
                thickness: Pt(0.5),
            });
        }
        if line.kind != LineKind::Writing
            && (!line.runs.is_empty() || !line.text.is_empty())
        {
            self.out.lines.push(dump_line(g, y - origin.1, &line));
        }
        push_runs(page, line.runs, origin.0, y);
    }
}

fn dump_line(g: usize, y: Pt, line: &FlowLine) -> DumpLine {
    DumpLine {
        page: g + 1,
        y: y.0,
        ratio: line.ratio,
        hyphenated: line.hyphenated,
        overfull: line.overfull,
        kind: line.kind,
        par: line.par,
        text: line.text.clone(),
    }
}

/// Moves runs from line coordinates onto the page at (x, baseline y).
pub(super) fn push_runs(page: &mut Page, runs: Vec<TextRun>, x: Pt, y: Pt) {
    for mut run in runs {
        run.x += x;
        run.y += y;
        page.items.push(PageItem::Text(run));
    }
}

fn flow_line_of(line: Line, kind: LineKind) -> FlowLine {
    super::flow::flow_line(line, kind, 1)
}

/// The paragraphs of a dedication or epigraph, quotes flattened, as inline runs.
fn display_paragraphs(blocks: &[Block]) -> Vec<Vec<Inline>> {
    let mut out = Vec::new();
    for block in blocks {
        match block {
            Block::Paragraph { content, .. } => out.push(content.clone()),
            Block::Quote { blocks } => out.extend(display_paragraphs(blocks)),
            Block::List { items, .. } => {
                items.iter().for_each(|i| out.extend(display_paragraphs(i)))
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::roman;

    #[test]
    fn roman_numerals() {
        assert_eq!(roman(1), "i");
        assert_eq!(roman(4), "iv");
        assert_eq!(roman(14), "xiv");
        assert_eq!(roman(49), "xlix");
    }
}
