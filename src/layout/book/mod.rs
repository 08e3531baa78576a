//! The make-up of a whole book: front matter (half title, title, copyright, dedication,
//! epigraph, contents), parts and chapters opening on rectos, back matter; running heads
//! and folios; mirrored margins with the gutter chosen from the final page count.
//!
//! `typeset_book` is the table of contents of the print engine: set every chapter
//! ([`super::flow`]), paginate it ([`super::paginate`]), then place pages and decorate them
//! ([`paint`]). Front matter that can run long — the copyright text, a dedication, the
//! contents ([`contents`]) — goes through the same flow and paginator as the text
//! ([`matter`]). The gutter depends on the page count and the page count on the measure,
//! so the body is laid out again until KDP's gutter band stops changing (twice at most in
//! practice), and never ends on a gutter narrower than the final page count needs
//! (`settle_gutter`).

mod contents;
mod dump;
mod matter;
mod paint;
mod tint;

pub use dump::{DumpLine, DumpPage, PageRefs, Typeset};
pub(super) use paint::{Painter, Targets, push_runs, record_targets};

use super::flow::Flow;
use super::page::{DocumentMeta, LabelStyle, OutlineEntry, PageLabel};
use super::paginate::{Facing, Grid, PageBody, Placed, build_pages, plan};
use super::style::{PrintStyle, kdp_gutter};
use super::units::Pt;
use crate::error::Warning;
use crate::model::{Book, Chapter, ChapterKind, Part};
use crate::text::font::FontSet;
use crate::text::hyphenate::Hyphenator;
use crate::text::shape::Shaper;
use contents::{Entry, EntryKind};
use std::path::Path;

/// Most layout passes spent looking for the gutter that matches the page count exactly,
/// before [`settle_gutter`] settles for a wider one.
const MAX_GUTTER_PASSES: usize = 4;
/// Most times the contents is set again because it came out longer than the room kept
/// for it (each time the room grows, so this ends).
const MAX_CONTENTS_PASSES: usize = 6;

/// What opens at a page of the body: a part's title page or a chapter.
#[derive(Clone, Copy)]
enum Opening<'b> {
    Part(&'b Part),
    Chapter(&'b Chapter),
}

/// What a page of the book is, before it is drawn.
pub(super) enum Spec<'b> {
    /// An empty page.
    Blank,
    /// The half title.
    HalfTitle,
    /// The title page.
    TitlePage,
    /// A page of front matter set through the flow: copyright, dedication, contents.
    Matter {
        /// Its lines.
        body: PageBody,
        /// What it is, for the dump.
        role: &'static str,
        /// Whether it prints its folio.
        folio: bool,
        /// The dedication or epigraph it is a page of, for the EPUB's page list.
        of: Option<&'b Chapter>,
    },
    /// A part's title page.
    Part(&'b Part),
    /// A page of a chapter's text.
    Body {
        /// Its lines.
        body: PageBody,
        /// The chapter.
        chapter: &'b Chapter,
        /// Whether the chapter opens on it.
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
    let first = kdp_gutter(estimate_pages(book, style));
    let (result, _gutter) = settle_gutter(first, |gutter| {
        let inside = style.inside + gutter;
        let mut typeset = assemble(book, style, fonts, hyphenator, assets, inside, None);
        if style.page_references {
            // " (p. N)" moves text, and so maybe the pages it names: set the book again
            // with the folios found until they stop changing (a book without
            // cross-references settles on the second setting).
            for _ in 0..MAX_PAGE_REF_PASSES {
                let refs = std::sync::Arc::new(typeset.folios.clone());
                let next =
                    assemble(book, style, fonts, hyphenator, assets, inside, Some(&refs));
                let settled = next.folios == *refs;
                typeset = next;
                if settled {
                    break;
                }
            }
        }
        let pages = typeset.document.pages.len();
        (typeset, pages)
    });
    result
}

/// Most times the book is set again for its page references to settle.
const MAX_PAGE_REF_PASSES: usize = 4;

/// Lays out with gutters from KDP's table, starting at `first`, until one gives a page
/// count whose minimum gutter ([`kdp_gutter`]) is no wider than it; returns that layout
/// and its gutter. `lay_out` gives a layout and its page count for a gutter.
///
/// Why the result always meets KDP's minimum, for any `lay_out` (even one where a wider
/// gutter gives fewer pages): the first [`MAX_GUTTER_PASSES`] passes each try the gutter
/// the previous page count needs and stop when the two agree, the best fit. If they
/// never agree (the count keeps crossing a band edge), the widest gutter seen is tried
/// once; as a wider gutter narrows the measure, it normally only adds pages, and the table
/// grows with the count, so this usually fits, with at most one band to spare. If even
/// that layout needs more, the widest gutter of the table is used, which no page count
/// needs more than: so every path returns a gutter `g` with `kdp_gutter(pages) <= g`,
/// after at most `MAX_GUTTER_PASSES + 2` layouts. A test checks every behaviour of
/// `lay_out` over the table's bands.
fn settle_gutter<T>(first: Pt, mut lay_out: impl FnMut(Pt) -> (T, usize)) -> (T, Pt) {
    let mut gutter = first;
    let mut widest = first;
    for _ in 0..MAX_GUTTER_PASSES {
        let (result, pages) = lay_out(gutter);
        let needed = kdp_gutter(pages);
        if needed == gutter {
            return (result, gutter);
        }
        widest = widest.max(needed);
        gutter = needed;
    }
    let (result, pages) = lay_out(widest);
    if kdp_gutter(pages) <= widest {
        return (result, widest);
    }
    let most = kdp_gutter(usize::MAX);
    (lay_out(most).0, most)
}

/// A first guess at the page count, so the gutter is usually right on the first pass:
/// about six characters a word, half an em a character, plus an opening page and a
/// half-empty last page per chapter, plus a dozen pages of front matter. A word longer
/// than a line counts by its length, so that a book holding one (a long URL, a line of
/// code) is not laid out twice for a gutter guessed from far too few pages.
fn estimate_pages(book: &Book, style: &PrintStyle) -> usize {
    let chars_per_line =
        style.measure(style.inside + kdp_gutter(0)).0 / (style.size.0 * 0.47);
    let words_per_page = (chars_per_line / 6.0) * style.lines_per_page() as f64;
    let mut text = String::new();
    for chapter in &book.chapters {
        chapter.plain_text_into(&mut text);
    }
    let words: f64 = text
        .split_whitespace()
        .map(|word| {
            let chars = word.chars().count() as f64;
            if chars > chars_per_line { chars / 6.0 } else { 1.0 }
        })
        .sum();
    let text_pages = words / words_per_page.max(1.0);
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
    page_refs: Option<&std::sync::Arc<PageRefs>>,
) -> Typeset {
    let measure = style.measure(inside);
    let mut flow = Flow::new(Shaper::new(fonts), hyphenator, style, measure, assets);
    flow.page_refs = page_refs.cloned();
    let grid = grid(style);
    let words = &book.words;

    // The body: parts, chapters and back matter, each opening on a recto, numbered from 1.
    let mut body: Vec<Spec<'_>> = Vec::new();
    let mut openings: Vec<(usize, Opening<'_>)> = Vec::new(); // (index in the body, …)
    let part_openings: std::collections::BTreeMap<usize, &Part> =
        book.part_openings().collect();
    let body_chapters: Vec<(usize, &Chapter)> = book
        .chapters
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c.kind, ChapterKind::Essay | ChapterKind::Back))
        .collect();
    let just_chapters: Vec<&Chapter> = body_chapters.iter().map(|(_, c)| *c).collect();
    let laid_out = lay_out_in_parallel(
        &just_chapters,
        style,
        fonts,
        hyphenator,
        assets,
        measure,
        page_refs,
    );
    let stride = paragraph_id_stride(laid_out.iter().map(|set| set.paragraphs));
    for (k, ((index, chapter), mut set)) in
        body_chapters.iter().copied().zip(laid_out).enumerate()
    {
        if let Some(part) = part_openings.get(&index) {
            // A part title on a recto, its verso blank.
            open_recto(&mut body);
            openings.push((body.len(), Opening::Part(part)));
            body.push(Spec::Part(part));
            body.push(Spec::Blank);
        }
        open_recto(&mut body);
        openings.push((body.len(), Opening::Chapter(chapter)));
        // Figures were numbered per chapter; number them in the book's image list.
        let offset = flow.images.len();
        flow.images.append(&mut set.images);
        flow.warnings.append(&mut set.warnings);
        // Each worker numbered its chapter's paragraphs from 0: give each chapter its own.
        let base = (k as u64).saturating_mul(stride);
        for (i, mut page) in set.pages.into_iter().enumerate() {
            for placed in &mut page.placed {
                match placed {
                    Placed::Figure { figure, .. } => figure.image += offset,
                    Placed::Line { line, .. } => {
                        if let Some(par) = &mut line.par {
                            par.id = par.id.saturating_add(base);
                        }
                    }
                }
            }
            body.push(Spec::Body { body: page, chapter, opener: i == 0 });
        }
    }

    // The front matter before the contents; the copyright text on the title's verso.
    let mut front: Vec<Spec<'_>> = vec![Spec::HalfTitle, Spec::Blank, Spec::TitlePage];
    let mut front_starts: Vec<(usize, String)> =
        vec![(2, words.title_page.clone()), (3, words.copyright.clone())];
    for body in matter::copyright_pages(&mut flow, book, &grid) {
        front.push(Spec::Matter { body, role: "copyright", folio: false, of: None });
    }
    for chapter in book
        .chapters
        .iter()
        .filter(|c| matches!(c.kind, ChapterKind::Dedication | ChapterKind::Epigraph))
    {
        open_recto(&mut front);
        let (name, role) = if chapter.kind == ChapterKind::Dedication {
            (&words.dedication, "dedication")
        } else {
            (&words.epigraph, "epigraph")
        };
        front_starts.push((front.len(), name.clone()));
        for body in matter::display_pages(&mut flow, chapter, &grid) {
            front.push(Spec::Matter { body, role, folio: false, of: Some(chapter) });
        }
    }
    open_recto(&mut front);
    let contents_index = front.len();
    front_starts.push((contents_index, words.contents.clone()));
    let front_chapters: Vec<(&Chapter, Vec<PageBody>)> = book
        .chapters
        .iter()
        .filter(|c| c.kind == ChapterKind::Front)
        .map(|c| (c, balanced_pages(&mut flow, c, &grid)))
        .collect();

    // The contents: its length moves every page after it, so it is set for a number of
    // pages, and set again with more room when it needs more.
    let mut room = 1;
    let mut passes = 0;
    let (contents_pages, front_chapter_starts, front_len) = loop {
        passes += 1;
        let mut next = contents_index + room;
        let mut chapter_starts = Vec::new();
        for (_, pages) in &front_chapters {
            next += next % 2; // each opens on a recto
            chapter_starts.push(next);
            next += pages.len();
        }
        let front_len = next + next % 2;
        let mut entries = Vec::new();
        for ((chapter, _), &start) in front_chapters.iter().zip(&chapter_starts) {
            entries.push(Entry {
                kind: EntryKind::Chapter,
                number: String::new(),
                title: chapter.title_text(),
                target: start,
                folio: roman(start + 1),
            });
        }
        for &(i, opening) in &openings {
            let (kind, number, title) = match opening {
                Opening::Part(part) => (EntryKind::Part, None, part.heading()),
                Opening::Chapter(c) => {
                    (EntryKind::Chapter, c.number_label.clone(), c.title_text())
                }
            };
            entries.push(Entry {
                kind,
                number: number.unwrap_or_default(),
                title,
                target: front_len + i,
                folio: (i + 1).to_string(),
            });
        }
        let pages = contents::contents_pages(&mut flow, words, &entries, &grid);
        if pages.len() <= room || passes == MAX_CONTENTS_PASSES {
            break (pages, chapter_starts, front_len);
        }
        room = pages.len();
    };
    let mut contents_pages = contents_pages.into_iter();
    for _ in 0..room {
        front.push(match contents_pages.next() {
            Some(body) => Spec::Matter { body, role: "contents", folio: true, of: None },
            None => Spec::Blank,
        });
    }
    for ((chapter, pages), start) in front_chapters.into_iter().zip(front_chapter_starts)
    {
        open_recto(&mut front);
        debug_assert_eq!(front.len(), start);
        front_starts.push((front.len(), chapter.title_text()));
        for (i, page) in pages.into_iter().enumerate() {
            front.push(Spec::Body { body: page, chapter, opener: i == 0 });
        }
    }
    open_recto(&mut front);
    debug_assert_eq!(front.len(), front_len);
    let front_len = front.len();

    let mut out = Typeset { max_ratio: style.breaking.max_ratio(), ..Typeset::default() };
    let mut targets = paint::Targets::new();
    for (g, spec) in front.iter().chain(body.iter()).enumerate() {
        if let Spec::Body { body, chapter, opener } = spec {
            paint::record_targets(&mut targets, g, body, &chapter.slug, *opener);
        }
    }
    let folio_of = |g: usize| {
        if g < front_len { roman(g + 1) } else { (g - front_len + 1).to_string() }
    };
    out.folios = targets.iter().map(|(key, &g)| (key.clone(), folio_of(g))).collect();
    let mut painter =
        Painter { flow: &mut flow, style, inside, measure, out: &mut out, book, targets };
    let mut heads = paint::RunningHeads::default();
    let all =
        front.into_iter().map(|s| (s, true)).chain(body.into_iter().map(|s| (s, false)));
    let mut anchors = Vec::new();
    for (g, (spec, is_front)) in all.enumerate() {
        if let Some(anchor) = page_anchor(book, &spec) {
            anchors.push((g, anchor));
        }
        let folio_number = if is_front { g + 1 } else { g - front_len + 1 };
        let folio_text =
            if is_front { roman(folio_number) } else { folio_number.to_string() };
        painter.page(g, spec, &folio_text, &mut heads);
    }

    // Navigation and metadata: parts hold their chapters one bookmark level down.
    let mut outline: Vec<OutlineEntry> = front_starts
        .into_iter()
        .map(|(page, title)| OutlineEntry { title, page, children: vec![] })
        .collect();
    for &(i, opening) in &openings {
        let page = front_len + i;
        match opening {
            Opening::Part(part) => outline.push(OutlineEntry {
                title: part.heading(),
                page,
                children: vec![],
            }),
            Opening::Chapter(chapter) => {
                let entry = OutlineEntry {
                    title: chapter.numbered_title(),
                    page,
                    children: vec![],
                };
                // A chapter in a part follows its part's entry.
                match outline.last_mut() {
                    Some(part) if chapter.part.is_some() => part.children.push(entry),
                    _ => outline.push(entry),
                }
            }
        }
    }
    let m = &book.meta;
    out.document.outline = outline;
    out.document.page_labels = vec![
        PageLabel { from_page: 0, style: LabelStyle::LowerRoman, first: 1 },
        PageLabel { from_page: front_len, style: LabelStyle::Decimal, first: 1 },
    ];
    out.page_breaks = anchors
        .into_iter()
        .map(|(g, anchor)| crate::pages::PageBreak {
            label: super::page::page_label(&out.document.page_labels, g),
            anchor,
        })
        .collect();
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
    out.document.navigation = style.navigation;
    out.document.full_fonts = style.full_fonts;
    out.warnings.append(&mut flow.warnings);
    out
}

/// Where a page begins in the text, for the EPUB's page list: the first line on it that
/// was set from a chapter's text (a footnote is not: footnotes sit elsewhere in the
/// EPUB), or the top of the title page, the copyright text, a part's title page, or a
/// dedication's or epigraph's document. `None` for a page without text of the book's:
/// a blank page, a page holding only a figure, and the contents, which each edition makes
/// from its own navigation (the EPUB's lists other entries, without page numbers).
fn page_anchor(book: &Book, spec: &Spec<'_>) -> Option<crate::pages::PageAnchor> {
    use crate::pages::PageAnchor;
    let chapter_index =
        |chapter: &Chapter| book.chapters.iter().position(|c| std::ptr::eq(c, chapter));
    match spec {
        Spec::Blank => None,
        Spec::HalfTitle | Spec::TitlePage => Some(PageAnchor::TitlePage),
        Spec::Matter { role: "copyright", body, .. } => {
            first_source(body).map(PageAnchor::Copyright)
        }
        Spec::Matter { of: Some(chapter), body, .. }
        | Spec::Body { body, chapter, .. } => {
            let chapter = chapter_index(chapter)?;
            Some(PageAnchor::Text { chapter, pos: first_source(body)? })
        }
        Spec::Matter { .. } => None,
        Spec::Part(part) => {
            book.parts.iter().position(|p| std::ptr::eq(p, *part)).map(PageAnchor::Part)
        }
    }
}

/// Where the first line of a page's text block that knows its source begins.
fn first_source(body: &PageBody) -> Option<crate::pages::TextPos> {
    body.placed.iter().find_map(|placed| match placed {
        Placed::Line { line, .. } => line.source.clone(),
        Placed::Figure { figure, .. } => {
            figure.caption.iter().find_map(|l| l.source.clone())
        }
    })
}

/// One chapter set and paginated by a worker, with what its flow collected.
struct ChapterPages {
    pages: Vec<PageBody>,
    images: Vec<super::page::ImageData>,
    warnings: Vec<Warning>,
    /// How many paragraph ids it used, from 0.
    paragraphs: u64,
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
    page_refs: Option<&std::sync::Arc<PageRefs>>,
) -> Vec<ChapterPages> {
    let grid = grid(style);
    let rules = hyphenator.rules();
    crate::parallel::map_with(
        chapters,
        || (rules.build(), Some(Shaper::new(fonts))),
        |(hyphenator, kept), _, chapter| {
            let shaper = kept.take().unwrap_or_else(|| Shaper::new(fonts));
            let mut flow = Flow::new(shaper, hyphenator, style, measure, assets);
            flow.page_refs = page_refs.cloned();
            let pages = balanced_pages(&mut flow, chapter, &grid);
            let paragraphs = flow.paragraphs_numbered();
            let images = std::mem::take(&mut flow.images);
            let warnings = std::mem::take(&mut flow.warnings);
            *kept = Some(flow.shaper);
            ChapterPages { pages, images, warnings, paragraphs }
        },
    )
}

/// Paragraph ids are unique among the body's chapters: chapter `k` (from 0) numbers its
/// paragraphs from `k` × a stride, so an id reads as chapter and paragraph (`p3000012` is
/// paragraph 12 of the fourth chapter). The stride is a million, or the first power of
/// ten that holds the most paragraphs any chapter has, so one chapter's ids never run
/// into the next chapter's whatever the input. (Front matter is numbered by its own flow
/// from 0, as is the first chapter.)
const PARAGRAPH_IDS_PER_CHAPTER: u64 = 1_000_000;

/// The id stride between chapters for chapters that used `counts` ids each.
fn paragraph_id_stride(counts: impl Iterator<Item = u64>) -> u64 {
    let most = counts.max().unwrap_or(0);
    let mut stride = PARAGRAPH_IDS_PER_CHAPTER;
    // Ends: a saturated stride is u64::MAX, which no count exceeds.
    while stride < most {
        stride = stride.saturating_mul(10);
    }
    stride
}

/// Most paragraphs re-broken per chapter to balance its spreads.
const MAX_REBREAKS: usize = 6;

/// Paragraphs tried, longest first, for each spread that does not balance. A re-break
/// that would stretch a line past the tolerance or end on a hyphen's tail is refused,
/// so more than the first few must be tried.
const MAX_CANDIDATES: usize = 24;

/// Sets and paginates a chapter so that facing pages end on the same baseline: where a
/// spread does not, a paragraph on it is re-broken one line longer or shorter (TeX's
/// `\looseness`), the remedy a compositor reaches for first, and kept if it helps.
pub fn balanced_pages(
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
        // The spread's own paragraphs, and those of the spread before it: a line gained
        // or lost there moves every page after it.
        let range = 0..best.items_on(verso + 1).end;
        let mut candidates: Vec<usize> = (0..cf.paragraphs.len())
            .filter(|&p| {
                range.contains(&cf.paragraphs[p].start) && cf.paragraphs[p].len >= 3
            })
            .filter(|p| !adjusted.contains(p))
            .collect();
        candidates.sort_by_key(|&p| std::cmp::Reverse(cf.paragraphs[p].len));
        let mut improved = false;
        'search: for &p in candidates.iter().take(MAX_CANDIDATES) {
            for looseness in [-1, 1] {
                if !flow.reset_paragraph(&mut cf, p, looseness) {
                    continue;
                }
                let trial = plan(&cf, grid, Facing::Spreads);
                // Better only if fewer spreads miss and no more pages end far from
                // the foot: two pages run two lines short do not mend one spread.
                if trial.mismatched_spreads().len() < bad.len()
                    && trial.far_from_the_foot() <= best.far_from_the_foot()
                {
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

/// Lower-case roman numerals for front-matter folios (digits past 3999, as
/// `roman_upper` writes them, and for counts too large for it).
pub fn roman(n: usize) -> String {
    u32::try_from(n)
        .map_or_else(|_| n.to_string(), crate::locale::numbers::roman_upper)
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::{MAX_GUTTER_PASSES, paragraph_id_stride, roman, settle_gutter};
    use crate::layout::style::kdp_gutter;
    use crate::layout::units::Pt;

    /// A page count in each band of KDP's table, and the table's gutters, narrowest first.
    const COUNTS: [usize; 5] = [100, 200, 400, 600, 800];

    fn gutters() -> Vec<Pt> {
        COUNTS.iter().map(|&c| kdp_gutter(c)).collect()
    }

    /// Only the band of the page count matters to the gutter, so a layout is, for this
    /// purpose, a map from the gutter used (one of five) to the band of the count it gives
    /// (one of five): all 5⁵ maps are tried, from every first guess. Each must end with a
    /// gutter no narrower than its own page count needs, within the promised passes.
    #[test]
    fn the_gutter_is_never_narrower_than_the_final_page_count_needs() {
        let gutters = gutters();
        let band = |g: Pt| gutters.iter().position(|&x| x == g).unwrap();
        let mut unsettled = 0;
        for code in 0..5usize.pow(5) {
            let map: Vec<usize> =
                (0..5).map(|i| COUNTS[code / 5usize.pow(i) % 5]).collect();
            for &first in &gutters {
                let mut passes = 0;
                let (pages, gutter) = settle_gutter(first, |g| {
                    passes += 1;
                    (map[band(g)], map[band(g)])
                });
                assert!(
                    kdp_gutter(pages) <= gutter,
                    "map {map:?}, first {first:?}: {pages} pages on a {gutter:?} gutter"
                );
                assert!(passes <= MAX_GUTTER_PASSES + 2, "map {map:?}: {passes} passes");
                if kdp_gutter(pages) != gutter {
                    unsettled += 1;
                }
            }
        }
        // Some maps (those that keep crossing a band edge) do need the wider fallback.
        assert!(unsettled > 0);
    }

    #[test]
    fn chapters_never_share_paragraph_ids_however_many_there_are() {
        assert_eq!(paragraph_id_stride([].into_iter()), 1_000_000);
        assert_eq!(paragraph_id_stride([12, 999_999, 1_000_000].into_iter()), 1_000_000);
        assert_eq!(paragraph_id_stride([1_000_001].into_iter()), 10_000_000);
        assert_eq!(paragraph_id_stride([u64::MAX].into_iter()), u64::MAX);
        // Ids 0..count of chapter k become k × stride + id: the ranges never overlap.
        for counts in [vec![3, 1_500_000, 7], vec![10_000_000, 1]] {
            let stride = paragraph_id_stride(counts.iter().copied());
            for (k, &count) in counts.iter().enumerate() {
                let last = k as u64 * stride + (count - 1);
                assert!(last < (k as u64 + 1) * stride, "{counts:?}");
            }
        }
    }

    /// A layout where each wider gutter adds pages, the case the fallback is for: the count
    /// crosses a band edge back and forth, and the widest gutter seen is kept.
    #[test]
    fn an_unsettled_count_keeps_the_widest_gutter_seen() {
        let gutters = gutters();
        // 0.375 in → 151 pages (needs 0.5 in); 0.5 in → 150 pages (needs 0.375 in)...
        let lay_out = |g: Pt| {
            let pages = if g == gutters[0] {
                151
            } else if g == gutters[1] {
                150
            } else {
                160
            };
            (pages, pages)
        };
        let (pages, gutter) = settle_gutter(gutters[0], lay_out);
        assert_eq!((pages, gutter), (150, gutters[1]));
        // Started on the wider gutter, four passes end on 151 pages with the narrower
        // one, which is where the loop used to stop.
        let (pages, gutter) = settle_gutter(gutters[1], lay_out);
        assert_eq!((pages, gutter), (150, gutters[1]));
        // The sample-like case: right first time.
        assert_eq!(settle_gutter(gutters[0], |_| (120, 120)), (120, gutters[0]));
    }

    #[test]
    fn roman_numerals() {
        assert_eq!(roman(1), "i");
        assert_eq!(roman(4), "iv");
        assert_eq!(roman(14), "xiv");
        assert_eq!(roman(49), "xlix");
        assert_eq!(roman(4000), "4000");
        // Once wrapped to 1 (2³² + 1 as u32): now written out.
        if let Ok(big) = usize::try_from((1u64 << 32) + 1) {
            assert_eq!(roman(big), "4294967297");
        }
    }
}
