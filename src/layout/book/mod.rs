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
//! practice).

mod contents;
mod dump;
mod matter;
mod paint;

pub use dump::{DumpLine, DumpPage, Typeset};
pub(super) use paint::{Painter, push_runs};

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

/// Most layout passes spent settling the gutter.
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
) -> Typeset {
    let measure = style.measure(inside);
    let mut flow = Flow::new(Shaper::new(fonts), hyphenator, style, measure, assets);
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
    let laid_out =
        lay_out_in_parallel(&just_chapters, style, fonts, hyphenator, assets, measure);
    for ((index, chapter), mut set) in body_chapters.iter().copied().zip(laid_out) {
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
        for (i, mut page) in set.pages.into_iter().enumerate() {
            for placed in &mut page.placed {
                if let Placed::Figure { figure, .. } = placed {
                    figure.image += offset;
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
        front.push(Spec::Matter { body, role: "copyright", folio: false });
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
            front.push(Spec::Matter { body, role, folio: false });
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
            Some(body) => Spec::Matter { body, role: "contents", folio: true },
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

    let mut out = Typeset::default();
    let mut painter =
        Painter { flow: &mut flow, style, inside, measure, out: &mut out, book };
    let all =
        front.into_iter().map(|s| (s, true)).chain(body.into_iter().map(|s| (s, false)));
    for (g, (spec, is_front)) in all.enumerate() {
        let folio_number = if is_front { g + 1 } else { g - front_len + 1 };
        let folio_text =
            if is_front { roman(folio_number) } else { folio_number.to_string() };
        painter.page(g, spec, &folio_text);
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
pub fn roman(n: usize) -> String {
    crate::locale::numbers::roman_upper(n as u32).to_lowercase()
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
