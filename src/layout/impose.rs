//! Whole-document transforms for handouts: joining several documents into a packet where
//! each part starts on the front of a sheet, and saddle-stitch booklet imposition.
//!
//! Booklet imposition (two pages a side, printed double-sided, folded once and stapled):
//! the page count is padded with blanks to a multiple of four, `n`; sheet `s` (0-based)
//! carries pages `n − 2s` and `2s + 1` on its front (left, right) and `2s + 2` and
//! `n − 2s − 1` on its back. Printed with "flip on short edge" and folded, the pages read
//! in order. This is the standard signature scheme described in any printer's manual on
//! saddle stitching.

use super::page::{Document, FormField, OutlineEntry, Page, PageItem, Rect};
use super::units::{Pt, TrimSize};

impl Document {
    /// Appends `other`, re-numbering its images, links and bookmarks. When `new_sheet`
    /// is set and this document has an odd number of pages, a blank page comes first, so
    /// that `other` starts on the front of a sheet printed double-sided.
    pub fn append(&mut self, other: Document, new_sheet: bool) {
        if new_sheet
            && self.pages.len() % 2 == 1
            && let Some(last) = self.pages.last()
        {
            let blank = Page { items: Vec::new(), ..last.clone() };
            self.pages.push(blank);
        }
        let page_offset = self.pages.len();
        let image_offset = self.images.len();
        for mut page in other.pages {
            for item in &mut page.items {
                match item {
                    PageItem::Image { image, .. } | PageItem::Clipped { image, .. } => {
                        *image += image_offset
                    }
                    PageItem::Link { page, .. } => *page += page_offset,
                    PageItem::Text(_)
                    | PageItem::Rule { .. }
                    | PageItem::Fill { .. }
                    | PageItem::Paint { .. }
                    | PageItem::Coloured { .. } => {}
                }
            }
            self.pages.push(page);
        }
        self.images.extend(other.images);
        fn shift(entries: Vec<OutlineEntry>, by: usize) -> Vec<OutlineEntry> {
            entries
                .into_iter()
                .map(|e| OutlineEntry {
                    title: e.title,
                    page: e.page + by,
                    children: shift(e.children, by),
                })
                .collect()
        }
        self.outline.extend(shift(other.outline, page_offset));
        self.fields.extend(
            other
                .fields
                .into_iter()
                .map(|f| FormField { page: f.page + page_offset, ..f }),
        );
    }
}

/// The reading-order page numbers (1-based; 0 = blank) on each side of each sheet, as
/// `[front left, front right, back left, back right]`.
pub fn booklet_order(pages: usize) -> Vec<[usize; 4]> {
    let n = pages.div_ceil(4) * 4;
    let real = |p: usize| if p <= pages { p } else { 0 };
    (0..n / 4)
        .map(|s| [real(n - 2 * s), real(2 * s + 1), real(2 * s + 2), real(n - 2 * s - 1)])
        .collect()
}

/// Imposes `doc` (pages of half the sheet's width) two-up on landscape `sheet`s.
pub fn impose_booklet(doc: &Document, sheet: TrimSize) -> Document {
    let half = sheet.width / 2.0;
    let mut out = Document {
        images: doc.images.clone(),
        meta: doc.meta.clone(),
        navigation: false,
        full_fonts: doc.full_fonts,
        ..Document::default()
    };
    for order in booklet_order(doc.pages.len()) {
        for side in [[order[0], order[1]], [order[2], order[3]]] {
            let mut page = Page {
                width: sheet.width,
                height: sheet.height,
                trim: Rect {
                    x: Pt::ZERO,
                    y: Pt::ZERO,
                    width: sheet.width,
                    height: sheet.height,
                },
                items: Vec::new(),
            };
            for (slot, number) in side.into_iter().enumerate() {
                let Some(source) = number.checked_sub(1).and_then(|i| doc.pages.get(i))
                else {
                    continue;
                };
                // Centre the page in its half of the sheet.
                let dx =
                    half * slot as f64 + (half - source.trim.width) / 2.0 - source.trim.x;
                let dy = (sheet.height - source.trim.height) / 2.0 - source.trim.y;
                for item in &source.items {
                    if let Some(moved) = translate(item, dx, dy) {
                        page.items.push(moved);
                    }
                }
            }
            out.pages.push(page);
        }
    }
    out
}

/// An item moved by (dx, dy); links are dropped (their targets no longer exist as pages).
fn translate(item: &PageItem, dx: Pt, dy: Pt) -> Option<PageItem> {
    Some(match item {
        PageItem::Text(run) => {
            let mut run = run.clone();
            run.x += dx;
            run.y += dy;
            PageItem::Text(run)
        }
        PageItem::Rule { x1, y1, x2, y2, thickness } => PageItem::Rule {
            x1: *x1 + dx,
            y1: *y1 + dy,
            x2: *x2 + dx,
            y2: *y2 + dy,
            thickness: *thickness,
        },
        PageItem::Fill { rect, gray } => PageItem::Fill {
            rect: Rect { x: rect.x + dx, y: rect.y + dy, ..*rect },
            gray: *gray,
        },
        PageItem::Image { image, rect } => PageItem::Image {
            image: *image,
            rect: Rect { x: rect.x + dx, y: rect.y + dy, ..*rect },
        },
        PageItem::Paint { rect, colour } => PageItem::Paint {
            rect: Rect { x: rect.x + dx, y: rect.y + dy, ..*rect },
            colour: *colour,
        },
        PageItem::Coloured { run, colour, turned } => {
            let mut run = run.clone();
            run.x += dx;
            run.y += dy;
            PageItem::Coloured { run, colour: *colour, turned: *turned }
        }
        PageItem::Clipped { image, rect, clip } => PageItem::Clipped {
            image: *image,
            rect: Rect { x: rect.x + dx, y: rect.y + dy, ..*rect },
            clip: Rect { x: clip.x + dx, y: clip.y + dy, ..*clip },
        },
        PageItem::Link { .. } => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::booklet_order;

    #[test]
    fn signature_order_for_four_eight_and_six_pages() {
        assert_eq!(booklet_order(4), vec![[4, 1, 2, 3]]);
        assert_eq!(booklet_order(8), vec![[8, 1, 2, 7], [6, 3, 4, 5]]);
        // Six pages are padded to eight: pages 7 and 8 are blank (0).
        assert_eq!(booklet_order(6), vec![[0, 1, 2, 0], [6, 3, 4, 5]]);
    }
}
