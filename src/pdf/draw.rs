//! One page of the layout → its content stream, written directly as PDF operators, and
//! its link annotations as printpdf ops. Positions are flipped from the layout's top-left
//! origin to PDF's bottom-left one; nothing else is decided here.
//!
//! Why not printpdf's ops: a page of a book is a few hundred text runs of a dozen
//! glyphs, and printpdf keeps an op list per page (about a hundred bytes per glyph)
//! until the whole document is serialised, then an lopdf operation tree per page on top
//! of it. For a 3,500-page book that was most of a gigabyte. The operators a book page
//! needs are few (`BT`/`ET`, `Tf`, `Tm`, `TJ`; `m`/`l`/`S` for rules; `g`/`re`/`f` for
//! tints; `cm`/`Do` for images), so each page is written straight to bytes and compressed by itself, on any
//! core, and only the compressed bytes are kept (ISO 32000-1, §9.4 and §8.5). printpdf
//! still writes the document around them: fonts, images, pages, annotations.

use super::fonts::{Embedded, EmbeddedFace};
use crate::layout::page::{Page, PageItem, Rect, Rgb, TextRun};
use crate::text::font::FontId;
use printpdf::{Actions, BorderArray, ColorArray, Destination, LinkAnnotation, Op, Pt};
use std::io::Write;

/// The page's content stream, uncompressed. `orientations` holds each image's Exif
/// orientation (see [`image_matrix`]).
pub(super) fn content(page: &Page, fonts: &Embedded, orientations: &[u8]) -> Vec<u8> {
    let height = page.height.0;
    let mut text = TextWriter::new(height);
    for item in &page.items {
        match item {
            PageItem::Text(run) => {
                if let Some(face) = fonts.face(run.font) {
                    text.run(run, face, false);
                }
            }
            PageItem::Coloured { run, colour, turned } => {
                if let Some(face) = fonts.face(run.font) {
                    // The colour is set inside a saved state, so what follows is black.
                    let out = text.graphics();
                    out.extend_from_slice(b"q\n");
                    colour_operands(out, *colour);
                    out.extend_from_slice(b" rg\n");
                    text.run(run, face, *turned);
                    text.graphics().extend_from_slice(b"Q\n");
                }
            }
            PageItem::Paint { rect, colour } => {
                let (x, y) = lower_left(height, rect);
                let out = text.graphics();
                out.extend_from_slice(b"q\n");
                colour_operands(out, *colour);
                out.extend_from_slice(b" rg\n");
                numbers(out, &[x, y, rect.width.0, rect.height.0]);
                out.extend_from_slice(b" re\nf\nQ\n");
            }
            PageItem::Clipped { image, rect, clip } => {
                let (x, y) = lower_left(height, rect);
                let (cx, cy) = lower_left(height, clip);
                let orientation = orientations.get(*image).copied().unwrap_or(1);
                let matrix = image_matrix(orientation, x, y, rect.width.0, rect.height.0);
                let out = text.graphics();
                out.extend_from_slice(b"q\n");
                numbers(out, &[cx, cy, clip.width.0, clip.height.0]);
                out.extend_from_slice(b" re\nW\nn\n");
                numbers(out, &matrix);
                out.extend_from_slice(b" cm\n/");
                out.extend_from_slice(super::image_name(*image).0.as_bytes());
                out.extend_from_slice(b" Do\nQ\n");
            }
            PageItem::Rule { x1, y1, x2, y2, thickness } => {
                let out = text.graphics();
                out.extend_from_slice(b"q\n0 G\n");
                real(out, thickness.0);
                out.extend_from_slice(b" w\n");
                point(out, x1.0, height - y1.0);
                out.extend_from_slice(b" m\n");
                point(out, x2.0, height - y2.0);
                out.extend_from_slice(b" l\nS\nQ\n");
            }
            PageItem::Fill { rect, gray } => {
                let (x, y) = lower_left(height, rect);
                let out = text.graphics();
                out.extend_from_slice(b"q\n");
                real(out, gray.clamp(0.0, 1.0));
                out.extend_from_slice(b" g\n");
                for (i, v) in [x, y, rect.width.0, rect.height.0].iter().enumerate() {
                    if i > 0 {
                        out.push(b' ');
                    }
                    real(out, *v);
                }
                out.extend_from_slice(b" re\nf\nQ\n");
            }
            PageItem::Image { image, rect } => {
                let (x, y) = lower_left(height, rect);
                let orientation = orientations.get(*image).copied().unwrap_or(1);
                let matrix = image_matrix(orientation, x, y, rect.width.0, rect.height.0);
                let out = text.graphics();
                out.extend_from_slice(b"q\n");
                for (i, v) in matrix.iter().enumerate() {
                    if i > 0 {
                        out.push(b' ');
                    }
                    real(out, *v);
                }
                out.extend_from_slice(b" cm\n/");
                out.extend_from_slice(super::image_name(*image).0.as_bytes());
                out.extend_from_slice(b" Do\nQ\n");
            }
            PageItem::Link { .. } => {}
        }
    }
    text.finish()
}

/// The page's link annotations (none without navigation), for printpdf to write.
pub(super) fn links(page: &Page, navigation: bool) -> Vec<Op> {
    if !navigation {
        return Vec::new();
    }
    let height = page.height.0;
    page.items
        .iter()
        .filter_map(|item| match item {
            PageItem::Link { rect, page: target } => Some(link(height, rect, *target)),
            _ => None,
        })
        .collect()
}

/// A link annotation over `rect` to page `target` (0-based), without a visible border.
fn link(height: f64, rect: &Rect, target: usize) -> Op {
    let (x, y) = lower_left(height, rect);
    let area = printpdf::Rect {
        x: Pt(x as f32),
        y: Pt(y as f32),
        width: Pt(rect.width.0 as f32),
        height: Pt(rect.height.0 as f32),
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
/// own `Tm` and `TJ` would write a dozen times the operators for the same marks.
/// Instead every glyph's place is measured from the first run's origin, in thousandths
/// of an em, and rounded to a whole thousandth (0.005 pt at 10 pt). A viewer moves the
/// pen by the glyph's `/W` width; the `TJ` number after the glyph (positive moves left)
/// takes it to the rounded place of the next glyph. Each place is rounded on its own, so
/// rounding never accumulates along the line; within a word of a font with 1000 units
/// per em (all bundled faces) the kerned advances come out exact. Glyphs with no number
/// between them share one hex string (`<00410042>`), which is what most of a page's
/// stream is: the fewer bytes, the less there is to compress.
struct Group {
    font: FontId,
    resource: String,
    size: f64,
    /// Horizontal scale of the text matrix (font expansion), 1 as designed.
    stretch: f64,
    /// Turned a quarter turn clockwise, reading top to bottom.
    turned: bool,
    x: f64,
    y: f64,
    /// The `TJ` array's contents so far, without the brackets.
    array: Vec<u8>,
    /// Whether `array` ends inside a hex string (its `>` not written yet).
    open: bool,
    /// Place of the last glyph written, and its `/W` width, in thousandths of an em.
    last: Option<(i64, i64)>,
}

/// Writes a page's operators, grouping text runs and opening and closing text objects
/// as graphics come between them.
struct TextWriter {
    height: f64,
    out: Vec<u8>,
    group: Option<Group>,
    in_text: bool,
    font: Option<(FontId, f64)>,
}

impl TextWriter {
    fn new(height: f64) -> Self {
        TextWriter {
            height,
            out: Vec::with_capacity(4096),
            group: None,
            in_text: false,
            font: None,
        }
    }

    /// Adds a run, to the current group if it continues its baseline, face and size.
    fn run(&mut self, run: &TextRun, face: &EmbeddedFace, turned: bool) {
        if run.glyphs.is_empty() {
            return;
        }
        let continues = self.group.as_ref().is_some_and(|g| {
            !turned
                && !g.turned
                && g.font == run.font
                && g.size == run.size.0
                && g.y == run.y.0
                && g.stretch == run.stretch
        });
        if !continues {
            self.flush();
            self.group = Some(Group {
                font: run.font,
                resource: face.resource.0.clone(),
                size: run.size.0,
                stretch: run.stretch,
                turned,
                x: run.x.0,
                y: run.y.0,
                array: Vec::with_capacity(run.glyphs.len() * 8),
                open: false,
                last: None,
            });
        }
        let Some(group) = self.group.as_mut() else { return };
        // Places are in text space, which the matrix scales by the stretch.
        let origin = (run.x.0 - group.x) * 1000.0 / (group.size * group.stretch);
        let mut advanced = 0.0;
        for glyph in &run.glyphs {
            let place = (origin + advanced).round() as i64;
            if let Some((last_place, last_width)) = group.last {
                let offset = last_width - (place - last_place);
                if offset != 0 {
                    if group.open {
                        group.array.push(b'>');
                        group.open = false;
                    }
                    // Writing to a Vec cannot fail.
                    let _ = write!(group.array, "{offset}");
                }
            }
            let (id, width) = face.glyph(glyph.id);
            if !group.open {
                group.array.push(b'<');
                group.open = true;
            }
            hex4(&mut group.array, id);
            group.last = Some((place, width));
            advanced += f64::from(glyph.advance) * face.to_thousandths;
        }
    }

    /// Shows the current group, if any.
    fn flush(&mut self) {
        let Some(mut group) = self.group.take() else { return };
        if group.open {
            group.array.push(b'>');
        }
        let out = &mut self.out;
        if !self.in_text {
            out.extend_from_slice(b"BT\n");
            self.in_text = true;
            self.font = None;
        }
        if self.font != Some((group.font, group.size)) {
            out.push(b'/');
            out.extend_from_slice(group.resource.as_bytes());
            out.push(b' ');
            real(out, group.size);
            out.extend_from_slice(b" Tf\n");
            self.font = Some((group.font, group.size));
        }
        // Turned text runs down the page with its tops towards the right: the text
        // matrix maps x to (0, -1) and y to (1, 0).
        if group.turned {
            out.extend_from_slice(b"0 ");
        }
        if group.stretch == 1.0 {
            out.extend_from_slice(if group.turned { b"-1" } else { b"1" });
        } else {
            let sign = if group.turned { "-" } else { "" };
            // Five places: over a 30-em line the places drift by under 0.01 pt.
            let _ = write!(out, "{sign}{:.5}", group.stretch);
        }
        out.extend_from_slice(if group.turned { b" 1 0 " } else { b" 0 0 1 " });
        point(out, group.x, self.height - group.y);
        out.extend_from_slice(b" Tm\n[");
        out.extend_from_slice(&group.array);
        out.extend_from_slice(b"] TJ\n");
    }

    /// Ends any text object and returns the stream, for graphics operators.
    fn graphics(&mut self) -> &mut Vec<u8> {
        self.flush();
        self.end_text();
        &mut self.out
    }

    fn end_text(&mut self) {
        if self.in_text {
            self.out.extend_from_slice(b"ET\n");
            self.in_text = false;
        }
    }

    /// The finished stream.
    fn finish(mut self) -> Vec<u8> {
        self.flush();
        self.end_text();
        self.out
    }
}

/// Writes a glyph id as four lower-case hex digits (a two-byte code of Identity-H).
fn hex4(out: &mut Vec<u8>, id: u16) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    out.extend([12, 8, 4, 0].map(|shift| DIGITS[usize::from((id >> shift) & 0xf)]));
}

/// The `cm` matrix that draws an image (PDF maps it to the unit square, its first row
/// at the top) into the box `x, y, w, h` the right way up for its Exif orientation.
///
/// The orientation says where the stored first row and first column belong when the
/// image is seen (Exif 2.3, §4.6.4): 1 top and left (as stored), 2 top and right,
/// 3 bottom and right, 4 bottom and left, 5 left and top, 6 right and top, 7 right and
/// bottom, 8 left and bottom. For stored unit coordinates `(u, v)` (v = 1 the first
/// row) the seen place is `(X, Y)` in the box, and the matrix is that map scaled to it.
fn image_matrix(orientation: u8, x: f64, y: f64, w: f64, h: f64) -> [f64; 6] {
    match orientation {
        2 => [-w, 0.0, 0.0, h, x + w, y],      // X = 1 − u, Y = v
        3 => [-w, 0.0, 0.0, -h, x + w, y + h], // X = 1 − u, Y = 1 − v
        4 => [w, 0.0, 0.0, -h, x, y + h],      // X = u, Y = 1 − v
        5 => [0.0, -h, -w, 0.0, x + w, y + h], // X = 1 − v, Y = 1 − u
        6 => [0.0, -h, w, 0.0, x, y + h],      // X = v, Y = 1 − u
        7 => [0.0, h, w, 0.0, x, y],           // X = v, Y = u
        8 => [0.0, h, -w, 0.0, x + w, y],      // X = 1 − v, Y = u
        _ => [w, 0.0, 0.0, h, x, y],           // as stored
    }
}

/// Writes a number to a thousandth of a point (a third of a micrometre on paper), with
/// no exponent, no trailing zeros and no negative zero, as PDF wants (§7.3.3).
fn real(out: &mut Vec<u8>, v: f64) {
    let thousandths = if v.is_finite() { (v * 1000.0).round() as i64 } else { 0 };
    let sign = if thousandths < 0 { "-" } else { "" };
    let (whole, frac) = (thousandths.abs() / 1000, thousandths.abs() % 1000);
    let _ = match frac {
        0 => write!(out, "{sign}{whole}"),
        f if f % 100 == 0 => write!(out, "{sign}{whole}.{}", f / 100),
        f if f % 10 == 0 => write!(out, "{sign}{whole}.{:02}", f / 10),
        f => write!(out, "{sign}{whole}.{f:03}"),
    };
}

/// Writes numbers separated by spaces.
fn numbers(out: &mut Vec<u8>, values: &[f64]) {
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            out.push(b' ');
        }
        real(out, *v);
    }
}

/// Writes a colour's three channels, `r g b`, for `rg` or `RG`.
fn colour_operands(out: &mut Vec<u8>, colour: Rgb) {
    numbers(out, &colour.unit());
}

/// Writes `x y`.
fn point(out: &mut Vec<u8>, x: f64, y: f64) {
    real(out, x);
    out.push(b' ');
    real(out, y);
}

/// The PDF lower-left corner of a layout rectangle.
fn lower_left(height: f64, rect: &Rect) -> (f64, f64) {
    (rect.x.0, height - (rect.y.0 + rect.height.0))
}

#[cfg(test)]
mod tests {
    use super::{image_matrix, real};

    #[test]
    fn each_orientation_puts_the_first_row_and_column_where_exif_says() {
        // Where the stored top-left, top-right and bottom-left corners land in a box
        // (0, 0, 4, 2), as (X, Y) with Y up.
        let at = |m: [f64; 6], u: f64, v: f64| {
            (m[0] * u + m[2] * v + m[4], m[1] * u + m[3] * v + m[5])
        };
        let expected = [
            // orientation: stored top-left, top-right, bottom-left
            (1, (0.0, 2.0), (4.0, 2.0), (0.0, 0.0)),
            (2, (4.0, 2.0), (0.0, 2.0), (4.0, 0.0)),
            (3, (4.0, 0.0), (0.0, 0.0), (4.0, 2.0)),
            (4, (0.0, 0.0), (4.0, 0.0), (0.0, 2.0)),
            (5, (0.0, 2.0), (0.0, 0.0), (4.0, 2.0)),
            (6, (4.0, 2.0), (4.0, 0.0), (0.0, 2.0)),
            (7, (4.0, 0.0), (4.0, 2.0), (0.0, 0.0)),
            (8, (0.0, 0.0), (0.0, 2.0), (4.0, 0.0)),
        ];
        for (orientation, top_left, top_right, bottom_left) in expected {
            let m = image_matrix(orientation, 0.0, 0.0, 4.0, 2.0);
            assert_eq!(at(m, 0.0, 1.0), top_left, "orientation {orientation}: top-left");
            assert_eq!(
                at(m, 1.0, 1.0),
                top_right,
                "orientation {orientation}: top-right"
            );
            assert_eq!(
                at(m, 0.0, 0.0),
                bottom_left,
                "orientation {orientation}: bottom-left"
            );
        }
    }

    fn written(v: f64) -> String {
        let mut out = Vec::new();
        real(&mut out, v);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn numbers_are_plain_pdf_reals() {
        assert_eq!(written(0.0), "0");
        assert_eq!(written(-0.0001), "0");
        assert_eq!(written(12.0), "12");
        assert_eq!(written(0.4), "0.4");
        assert_eq!(written(-61.92), "-61.92");
        assert_eq!(written(102.789), "102.789");
        assert_eq!(written(0.05), "0.05");
        assert_eq!(written(1e9), "1000000000");
        assert_eq!(written(f64::NAN), "0");
    }
}
