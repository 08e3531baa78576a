//! The paperback's one-piece cover as a one-page [`Document`] for the PDF writer: back
//! panel, spine and front panel on one ground that runs into the bleed. The front is the
//! cover art, cropped to the panel and its bleed, or the typographic [`Design`] as
//! vectors; the spine carries the title and author turned to read from top to bottom
//! when it is wide enough; the back carries the description and a white box for the
//! barcode. With guides, coloured hairlines show the trim, the folds and the safety
//! zones, for proofing on screen.

use super::design::{Design, Mark};
use super::set::{Setter, Type};
use super::spine::{BLEED, FOLD_SAFETY, SAFETY, Wrap};
use crate::error::Warning;
use crate::layout::page::{
    Document, DocumentMeta, ImageData, Page, PageItem, Rect, Rgb, TextRun,
};
use crate::layout::units::Pt;
use crate::text::font::{Features, FontId, FontSet};

/// What the front panel shows.
pub enum Front<'a> {
    /// Cover art, with its size as seen (after any Exif turn).
    Image {
        /// The image file.
        data: ImageData,
        /// Width and height in pixels as displayed.
        displayed: (u32, u32),
    },
    /// A typographic cover drawn at the trim size.
    Design(&'a Design),
}

/// The words on the spine and the back.
pub struct Text<'a> {
    /// The title.
    pub title: &'a str,
    /// The author.
    pub author: &'a str,
    /// The back cover's blurb.
    pub description: Option<&'a str>,
}

/// Colours and switches.
#[derive(Debug, Clone, Copy)]
pub struct Finish {
    /// The ground of back and spine (and of the front, under a design).
    pub ground: Rgb,
    /// Type on the back and spine.
    pub ink: Rgb,
    /// Keep a white barcode box.
    pub barcode: bool,
    /// Draw trim, fold and safety lines.
    pub guides: bool,
}

/// The image resolution below which printed art looks soft, in pixels per inch.
pub const MIN_PPI: f64 = 300.0;
/// The spine text's largest size: a wide spine gets a title, not a poster.
const SPINE_MAX_SIZE: Pt = Pt(18.0);
/// Letter spacing of spine capitals, in ems: a little air, and little enough that text
/// extraction still sees words (poppler splits turned words at wider gaps).
const SPINE_TRACKING: f64 = 0.04;
/// Clear space between the spine text and the top and bottom trim.
const SPINE_END_MARGIN: Pt = Pt::inches(0.5);
/// The back panel's margins around the description.
const BACK_MARGIN: Pt = Pt::inches(0.75);
/// The description's largest and smallest sizes, in points.
const BLURB_SIZES: (f64, f64) = (11.5, 7.5);
/// Its leading, in ems.
const BLURB_LEADING: f64 = 1.4;

/// The cover as a one-page document, and the warnings found making it.
pub fn document(
    wrap: &Wrap,
    front: Front<'_>,
    text: &Text<'_>,
    finish: Finish,
    meta: DocumentMeta,
    fonts: &FontSet,
) -> (Document, Vec<Warning>) {
    let mut warnings = Vec::new();
    let mut items = Vec::new();
    let mut images = Vec::new();
    let media =
        Rect { x: Pt::ZERO, y: Pt::ZERO, width: wrap.width(), height: wrap.height() };
    items.push(PageItem::Paint { rect: media, colour: finish.ground });

    // The front: art cropped to the panel and its bleed, or the design's vectors.
    match front {
        Front::Image { data, displayed } => {
            let area = wrap.front_with_bleed();
            let (w, h) = (f64::from(displayed.0.max(1)), f64::from(displayed.1.max(1)));
            let scale = (area.width.0 / w).max(area.height.0 / h);
            let (width, height) = (Pt(w * scale), Pt(h * scale));
            let rect = Rect {
                x: area.x + (area.width - width) / 2.0,
                y: area.y + (area.height - height) / 2.0,
                width,
                height,
            };
            let ppi = 72.0 / scale;
            if ppi < MIN_PPI {
                warnings.push(Warning::general(format!(
                    "the cover image is {} × {} pixels, {ppi:.0} pixels per inch on the \
                     printed front cover ({:.3} × {:.3} in with bleed); printers ask for \
                     {MIN_PPI:.0}, so it may print soft",
                    displayed.0,
                    displayed.1,
                    area.width.0 / 72.0,
                    area.height.0 / 72.0
                )));
            }
            images.push(data);
            items.push(PageItem::Clipped { image: 0, rect, clip: area });
        }
        Front::Design(design) => {
            let origin = wrap.front();
            for mark in &design.marks {
                items.push(match mark {
                    Mark::Rect { rect, colour } => PageItem::Paint {
                        rect: into_bleed(
                            Rect { x: rect.x + origin.x, y: rect.y + origin.y, ..*rect },
                            origin,
                        ),
                        colour: *colour,
                    },
                    Mark::Text { run, colour } => PageItem::Coloured {
                        run: TextRun {
                            x: run.x + origin.x,
                            y: run.y + origin.y,
                            ..run.clone()
                        },
                        colour: *colour,
                        turned: false,
                    },
                });
            }
        }
    }

    let mut setter = Setter::new(fonts);
    if wrap.spine_has_text() {
        spine(&mut items, wrap, text, finish.ink, &mut setter, fonts);
    }
    back(&mut items, &mut warnings, wrap, text, finish, &mut setter);
    if finish.guides {
        guides(&mut items, wrap);
    }
    let page =
        Page { width: wrap.width(), height: wrap.height(), trim: wrap.trim_box(), items };
    let document = Document {
        pages: vec![page],
        meta,
        images,
        navigation: false,
        ..Document::default()
    };
    (document, warnings)
}

/// A front-panel rectangle that reaches the panel's top, bottom or outer edge carried on
/// over it to the edge of the bleed, so a band printed to the edge still reaches the
/// edge when the trim lands a little off. The edge at the spine fold stays where it is.
fn into_bleed(rect: Rect, panel: Rect) -> Rect {
    const TOUCH: f64 = 0.01;
    let mut r = rect;
    if (r.y - panel.y).0.abs() < TOUCH {
        r.y -= BLEED;
        r.height += BLEED;
    }
    if ((r.y + r.height) - (panel.y + panel.height)).0.abs() < TOUCH {
        r.height += BLEED;
    }
    if ((r.x + r.width) - (panel.x + panel.width)).0.abs() < TOUCH {
        r.width += BLEED;
    }
    r
}

/// The height of the box from descender to ascender of `font`, in ems, and the
/// ascender's share of it: spine type is sized so this whole box, not only the
/// capitals, fits between the fold safety lines.
fn face_box(fonts: &FontSet, font: FontId) -> (f64, f64) {
    use ab_glyph::Font;
    let face = fonts.face(font);
    let units = f64::from(face.units_per_em);
    match ab_glyph::FontRef::try_from_slice(face.data) {
        Ok(f) => (
            f64::from(f.ascent_unscaled()) / units,
            -f64::from(f.descent_unscaled()) / units,
        ),
        // The bundled faces parse; a generous box if one ever did not.
        Err(_) => (1.1, 0.4),
    }
}

/// Title and author along the spine, turned to read from top to bottom, the title from
/// the top and the author to the bottom, centred across the spine.
fn spine(
    items: &mut Vec<PageItem>,
    wrap: &Wrap,
    text: &Text<'_>,
    ink: Rgb,
    setter: &mut Setter<'_>,
    fonts: &FontSet,
) {
    let spine = wrap.spine_rect();
    let across = spine.width - FOLD_SAFETY * 2.0;
    let length = spine.height - SPINE_END_MARGIN * 2.0;
    let title_type = Type {
        font: FontId::REGULAR,
        features: Features::Lining,
        tracking: SPINE_TRACKING,
    };
    let name_type = Type {
        font: FontId::REGULAR,
        features: Features::SmallCaps,
        tracking: SPINE_TRACKING,
    };
    let title = text.title.to_uppercase();
    let name = text.author.to_lowercase();
    // The tallest box of every face the words use (a fallback face may be taller).
    let probe = |setter: &mut Setter<'_>, size: Pt| {
        let lines =
            [setter.line(&title, title_type, size), setter.line(&name, name_type, size)];
        let (mut ascent, mut descent) = (0.0f64, 0.0f64);
        for run in lines.iter().flat_map(|l| &l.runs) {
            let (a, d) = face_box(fonts, run.font);
            ascent = ascent.max(a);
            descent = descent.max(d);
        }
        (lines, ascent, descent)
    };
    let (_, ascent, descent) = probe(setter, Pt(10.0));
    let mut size = SPINE_MAX_SIZE.min(across / (ascent + descent));
    // Shrink until title, a gap of two ems and the author fit the spine's length.
    let (lines, ascent, descent) = loop {
        let (lines, ascent, descent) = probe(setter, size);
        let needed = lines[0].width + size * 2.0 + lines[1].width;
        if needed <= length || size.0 < 2.0 {
            break (lines, ascent, descent);
        }
        size = size * (length.0 / needed.0).min(0.97);
    };
    // The baseline runs down the spine; the glyphs' tops face the front panel.
    let centre = spine.x + spine.width / 2.0;
    let baseline = centre - size * ((ascent - descent) / 2.0);
    let top = spine.y + SPINE_END_MARGIN;
    let bottom = spine.y + spine.height - SPINE_END_MARGIN;
    let starts = [top, bottom - lines[1].width];
    for (line, start) in lines.iter().zip(starts) {
        for run in &line.runs {
            items.push(PageItem::Coloured {
                run: TextRun { x: baseline, y: start + run.x, ..run.clone() },
                colour: ink,
                turned: true,
            });
        }
    }
}

/// The description on the back panel, and the barcode box.
fn back(
    items: &mut Vec<PageItem>,
    warnings: &mut Vec<Warning>,
    wrap: &Wrap,
    text: &Text<'_>,
    finish: Finish,
    setter: &mut Setter<'_>,
) {
    let panel = wrap.back();
    let barcode = wrap.barcode();
    if let Some(description) = text.description {
        let measure = panel.width - BACK_MARGIN * 2.0;
        let top = panel.y + BACK_MARGIN;
        let floor = if finish.barcode {
            barcode.y - SAFETY * 2.0
        } else {
            panel.y + panel.height - BACK_MARGIN
        };
        let roman =
            Type { font: FontId::REGULAR, features: Features::Text, tracking: 0.0 };
        let mut size = BLURB_SIZES.0;
        let (lines, size) = loop {
            let lines = setter.wrap(description, roman, Pt(size), measure);
            let height =
                size * (0.7 + BLURB_LEADING * lines.len().saturating_sub(1) as f64);
            if Pt(height) <= floor - top || size <= BLURB_SIZES.1 {
                break (lines, Pt(size));
            }
            size -= 0.25;
        };
        let mut baseline = top + size * 0.7;
        let mut dropped = 0;
        for line in &lines {
            if baseline > floor {
                dropped += 1;
                continue;
            }
            for run in line.placed(panel.x + BACK_MARGIN, baseline) {
                items.push(PageItem::Coloured { run, colour: finish.ink, turned: false });
            }
            baseline += size * BLURB_LEADING;
        }
        if dropped > 0 {
            warnings.push(Warning::general(format!(
                "the description is too long for the back cover: {dropped} of its {} lines \
                 at {:.1} pt do not fit and are left off; shorten it",
                lines.len(),
                size.0
            )));
        }
    }
    if finish.barcode {
        items.push(PageItem::Paint { rect: barcode, colour: Rgb::WHITE });
    }
}

/// Hairlines for proofing: the trim (magenta), the folds (cyan) and the safety zones
/// (green) of each panel and of the spine.
fn guides(items: &mut Vec<PageItem>, wrap: &Wrap) {
    const TRIM: Rgb = Rgb(0xe6, 0x00, 0x7e);
    const FOLD: Rgb = Rgb(0x00, 0x9f, 0xe3);
    const SAFE: Rgb = Rgb(0x00, 0xa6, 0x51);
    let hair = Pt(0.5);
    let mut outline = |rect: Rect, colour: Rgb| {
        let (x, y, w, h) = (rect.x, rect.y, rect.width, rect.height);
        for r in [
            Rect { x, y, width: w, height: hair },
            Rect { x, y: y + h - hair, width: w, height: hair },
            Rect { x, y, width: hair, height: h },
            Rect { x: x + w - hair, y, width: hair, height: h },
        ] {
            items.push(PageItem::Paint { rect: r, colour });
        }
    };
    outline(wrap.trim_box(), TRIM);
    let inset = |r: Rect, by: Pt| Rect {
        x: r.x + by,
        y: r.y + by,
        width: r.width - by * 2.0,
        height: r.height - by * 2.0,
    };
    outline(inset(wrap.back(), SAFETY), SAFE);
    outline(inset(wrap.front(), SAFETY), SAFE);
    let spine = wrap.spine_rect();
    if spine.width > FOLD_SAFETY * 2.0 {
        outline(
            Rect {
                x: spine.x + FOLD_SAFETY,
                width: spine.width - FOLD_SAFETY * 2.0,
                ..inset(spine, SPINE_END_MARGIN)
            },
            SAFE,
        );
    }
    for x in [spine.x, spine.x + spine.width] {
        items.push(PageItem::Paint {
            rect: Rect {
                x: x - hair / 2.0,
                y: Pt::ZERO,
                width: hair,
                height: wrap.height(),
            },
            colour: FOLD,
        });
    }
}
