//! One page of the layout → printpdf ops. Positions are flipped from the layout's
//! top-left origin to PDF's bottom-left one; nothing else is decided here.

use super::fonts::{Embedded, EmbeddedFace};
use crate::layout::page::{Page, PageItem, Rect, TextRun};
use crate::layout::units::Pt as LayoutPt;
use crate::text::font::FontId;
use printpdf::{
    Actions, BorderArray, Codepoint, Color, ColorArray, Destination, Greyscale, Line,
    LinePoint, LinkAnnotation, Op, PdfFontHandle, PdfPage, Point, Pt, TextItem,
    TextMatrix, XObjectTransform,
};

/// The ops of one page, with its media box; the trim and bleed boxes are written in
/// `finish.rs`, where printpdf's box arrays are corrected. `seq` counts the document's
/// glyphs in drawing order, as [`super::fonts::embed`] counted them.
pub(super) fn page(
    page: &Page,
    fonts: &Embedded<'_>,
    navigation: bool,
    seq: &mut u64,
) -> PdfPage {
    let height = page.height.0;
    let mut text = TextWriter::new(height, page.items.len());
    let mut links = Vec::new();
    for item in &page.items {
        match item {
            PageItem::Text(run) => {
                if let Some(face) = fonts.face(run.font) {
                    text.run(run, face, seq);
                }
            }
            PageItem::Rule { x1, y1, x2, y2, thickness } => {
                let point = |x: LayoutPt, y: LayoutPt| LinePoint {
                    p: Point { x: pt(x), y: flip(height, y) },
                    bezier: false,
                };
                text.graphics([
                    Op::SaveGraphicsState,
                    Op::SetOutlineColor {
                        col: Color::Greyscale(Greyscale {
                            percent: 0.0,
                            icc_profile: None,
                        }),
                    },
                    Op::SetOutlineThickness { pt: pt(*thickness) },
                    Op::DrawLine {
                        line: Line {
                            points: vec![point(*x1, *y1), point(*x2, *y2)],
                            is_closed: false,
                        },
                    },
                    Op::RestoreGraphicsState,
                ]);
            }
            PageItem::Image { image, rect } => {
                let (x, y) = lower_left(height, rect);
                text.graphics([Op::UseXobject {
                    id: super::image_name(*image),
                    transform: XObjectTransform {
                        translate_x: Some(x),
                        translate_y: Some(y),
                        rotate: None,
                        scale_x: Some(rect.width.0 as f32),
                        scale_y: Some(rect.height.0 as f32),
                        dpi: None,
                        no_auto_scale: true,
                    },
                }]);
            }
            PageItem::Link { rect, page: target } if navigation => {
                links.push(link(height, rect, *target));
            }
            PageItem::Link { .. } => {}
        }
    }
    let mut ops = text.finish();
    // Annotations are collected apart from the content stream, so their place among
    // the ops only sets their order in /Annots.
    ops.append(&mut links);
    let media = printpdf::Rect::from_wh(Pt(page.width.0 as f32), Pt(height as f32));
    PdfPage { media_box: media.clone(), trim_box: media.clone(), crop_box: media, ops }
}

/// A link annotation over `rect` to page `target` (0-based), without a visible border.
fn link(height: f64, rect: &Rect, target: usize) -> Op {
    let (x, y) = lower_left(height, rect);
    let area = printpdf::Rect {
        x,
        y,
        width: pt(rect.width),
        height: pt(rect.height),
        mode: None,
        winding_order: None,
    };
    // printpdf numbers destination pages from 1.
    let goto = Destination::Xyz { page: target + 1, left: None, top: None, zoom: None };
    Op::LinkAnnotation {
        link: LinkAnnotation::new(
            area,
            Actions::go_to(goto),
            Some(BorderArray::Solid([0.0, 0.0, 0.0])),
            Some(ColorArray::Transparent),
            None,
        ),
    }
}

/// Text runs on one baseline in one face and size, shown with a single `Tm` and `TJ`.
///
/// The layout sets lines word by word, so a line is a dozen runs; drawing each with its
/// own `Tm` and `TJ` would cost printpdf a dozen times the work for the same marks.
/// Instead every glyph's place is measured from the first run's origin, in thousandths
/// of an em, and rounded to a whole thousandth (0.005 pt at 10 pt). A viewer moves the
/// pen by the glyph's `/W` width; the `TJ` number after the glyph (positive moves left)
/// takes it to the rounded place of the next glyph. Each place is rounded on its own, so
/// rounding never accumulates along the line; within a word of a font with 1000 units
/// per em (all bundled faces) the kerned advances come out exact.
struct Group<'f> {
    font: FontId,
    face: &'f EmbeddedFace<'f>,
    size: f64,
    x: f64,
    y: f64,
    glyphs: Vec<Codepoint>,
    /// Place of the last glyph pushed, and its `/W` width, in thousandths of an em.
    last: (i64, i64),
}

/// Builds a page's ops, grouping text runs and opening and closing text objects as
/// graphics come between them.
struct TextWriter<'f> {
    height: f64,
    ops: Vec<Op>,
    group: Option<Group<'f>>,
    in_text: bool,
    font: Option<(FontId, f64)>,
}

impl<'f> TextWriter<'f> {
    fn new(height: f64, items: usize) -> Self {
        TextWriter {
            height,
            ops: Vec::with_capacity(items + 8),
            group: None,
            in_text: false,
            font: None,
        }
    }

    /// Adds a run, to the current group if it continues its baseline, face and size.
    fn run(&mut self, run: &TextRun, face: &'f EmbeddedFace<'f>, seq: &mut u64) {
        if run.glyphs.is_empty() {
            return;
        }
        let continues = self.group.as_ref().is_some_and(|g| {
            g.font == run.font && g.size == run.size.0 && g.y == run.y.0
        });
        if !continues {
            self.flush();
            self.group = Some(Group {
                font: run.font,
                face,
                size: run.size.0,
                x: run.x.0,
                y: run.y.0,
                glyphs: Vec::with_capacity(run.glyphs.len() * 8),
                last: (0, 0),
            });
        }
        let Some(group) = self.group.as_mut() else { return };
        let origin = (run.x.0 - group.x) * 1000.0 / group.size;
        let mut advanced = 0.0;
        for glyph in &run.glyphs {
            let place = (origin + advanced).round() as i64;
            let (last_place, last_width) = group.last;
            if let Some(previous) = group.glyphs.last_mut() {
                previous.offset = (last_width - (place - last_place)) as f32;
            }
            let (id, width) = face.glyph(glyph.id);
            *seq += 1;
            group.glyphs.push(Codepoint {
                gid: id,
                offset: 0.0,
                cid: Some(face.unicode(glyph.id, *seq)),
            });
            group.last = (place, width);
            advanced += f64::from(glyph.advance) * face.to_thousandths;
        }
    }

    /// Shows the current group, if any.
    fn flush(&mut self) {
        let Some(group) = self.group.take() else { return };
        if !self.in_text {
            self.ops.push(Op::StartTextSection);
            self.in_text = true;
            self.font = None;
        }
        if self.font != Some((group.font, group.size)) {
            self.ops.push(Op::SetFont {
                font: PdfFontHandle::External(group.face.resource.clone()),
                size: Pt(group.size as f32),
            });
            self.font = Some((group.font, group.size));
        }
        self.ops.push(Op::SetTextMatrix {
            matrix: TextMatrix::Translate(
                Pt(group.x as f32),
                Pt((self.height - group.y) as f32),
            ),
        });
        self.ops.push(Op::ShowText { items: vec![TextItem::GlyphIds(group.glyphs)] });
    }

    /// Adds graphics ops, outside any text object.
    fn graphics<const N: usize>(&mut self, ops: [Op; N]) {
        self.flush();
        self.end_text();
        self.ops.extend(ops);
    }

    fn end_text(&mut self) {
        if self.in_text {
            self.ops.push(Op::EndTextSection);
            self.in_text = false;
        }
    }

    /// The page's ops.
    fn finish(mut self) -> Vec<Op> {
        self.flush();
        self.end_text();
        self.ops
    }
}

/// A layout length as a printpdf length.
fn pt(v: LayoutPt) -> Pt {
    Pt(v.0 as f32)
}

/// A layout y (down from the top) as a PDF y (up from the bottom).
fn flip(height: f64, y: LayoutPt) -> Pt {
    Pt((height - y.0) as f32)
}

/// The PDF lower-left corner of a layout rectangle.
fn lower_left(height: f64, rect: &Rect) -> (Pt, Pt) {
    (pt(rect.x), flip(height, rect.y + rect.height))
}
