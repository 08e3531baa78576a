//! Paints a cover [`Design`] into pixels and encodes them as a PNG: the ebook's cover
//! when the book has no cover art. No browser and no external program: rectangles are
//! filled by their exact area coverage of each pixel, and glyphs by the coverage
//! ab_glyph's rasterizer computes from the outlines of the book's own fonts, each blended
//! over what is below it. The output depends only on the design, so it is the same bytes
//! on every build.

use super::design::{Design, Mark};
use crate::error::{Error, Result};
use crate::layout::page::{Rect, Rgb, TextRun};
use crate::text::font::FontSet;
use ab_glyph::{Font, FontRef, GlyphId, PxScale, point};

/// An RGB canvas, 8 bits a channel, row by row from the top.
struct Pixels {
    width: u32,
    height: u32,
    data: Vec<u8>,
}

impl Pixels {
    fn new(width: u32, height: u32, ground: Rgb) -> Self {
        let mut data = Vec::with_capacity(width as usize * height as usize * 3);
        for _ in 0..width as usize * height as usize {
            data.extend_from_slice(&[ground.0, ground.1, ground.2]);
        }
        Pixels { width, height, data }
    }

    /// Blends `colour` over pixel (x, y) by `coverage` (0 to 1); off-canvas is ignored.
    fn blend(&mut self, x: i64, y: i64, colour: Rgb, coverage: f32) {
        if x < 0 || y < 0 || x >= i64::from(self.width) || y >= i64::from(self.height) {
            return;
        }
        let a = coverage.clamp(0.0, 1.0);
        if a <= 0.0 {
            return;
        }
        let at = (y as usize * self.width as usize + x as usize) * 3;
        for (i, c) in [colour.0, colour.1, colour.2].into_iter().enumerate() {
            let below = f32::from(self.data[at + i]);
            self.data[at + i] = (below + (f32::from(c) - below) * a).round() as u8;
        }
    }
}

/// Paints `design` at `width` × `height` pixels (the design is scaled to fill them) and
/// returns the PNG file's bytes.
pub fn png(
    design: &Design,
    (width, height): (u32, u32),
    fonts: &FontSet,
) -> Result<Vec<u8>> {
    let mut pixels = Pixels::new(width, height, design.background);
    let scale = (
        f64::from(width) / design.width.0.max(1e-9),
        f64::from(height) / design.height.0.max(1e-9),
    );
    for mark in &design.marks {
        match mark {
            Mark::Rect { rect, colour } => fill(&mut pixels, rect, *colour, scale),
            Mark::Text { run, colour } => text(&mut pixels, run, *colour, scale, fonts),
        }
    }
    let image = image::RgbImage::from_raw(width, height, pixels.data)
        .ok_or_else(|| Error::Cover("the cover's pixels do not match its size".into()))?;
    let mut bytes = Vec::new();
    let encoder = image::codecs::png::PngEncoder::new_with_quality(
        &mut bytes,
        image::codecs::png::CompressionType::Default,
        image::codecs::png::FilterType::Adaptive,
    );
    image
        .write_with_encoder(encoder)
        .map_err(|e| Error::Cover(format!("cannot encode the cover as PNG: {e}")))?;
    Ok(bytes)
}

/// Fills a rectangle: each pixel gets the share of its area the rectangle covers, so
/// edges that fall between pixels are smooth.
fn fill(pixels: &mut Pixels, rect: &Rect, colour: Rgb, (sx, sy): (f64, f64)) {
    let (x0, x1) = (rect.x.0 * sx, (rect.x.0 + rect.width.0) * sx);
    let (y0, y1) = (rect.y.0 * sy, (rect.y.0 + rect.height.0) * sy);
    if !(x1 > x0 && y1 > y0) {
        return;
    }
    let clamp = |v: f64, max: u32| v.clamp(0.0, f64::from(max)) as i64;
    for py in clamp(y0.floor(), pixels.height)..clamp(y1.ceil(), pixels.height) {
        let cover_y = (y1.min(py as f64 + 1.0) - y0.max(py as f64)).max(0.0);
        for px in clamp(x0.floor(), pixels.width)..clamp(x1.ceil(), pixels.width) {
            let cover_x = (x1.min(px as f64 + 1.0) - x0.max(px as f64)).max(0.0);
            pixels.blend(px, py, colour, (cover_x * cover_y) as f32);
        }
    }
}

/// Draws a run's glyphs from the outlines of its face.
fn text(
    pixels: &mut Pixels,
    run: &TextRun,
    colour: Rgb,
    (sx, sy): (f64, f64),
    fonts: &FontSet,
) {
    let face = fonts.face(run.font);
    // The bundled fonts parse (they are shaped with); if one did not, its text is left
    // out of the picture rather than stopping the build.
    let Ok(font) = FontRef::try_from_slice(face.data) else { return };
    let units = f64::from(face.units_per_em);
    let em = run.size.0 * sy;
    // ab_glyph's scale is the pixel height of the font's ascent-to-descent box.
    let scale = PxScale {
        x: (run.size.0 * sx * run.stretch * f64::from(font.height_unscaled()) / units)
            as f32,
        y: (em * f64::from(font.height_unscaled()) / units) as f32,
    };
    let mut x = run.x.0;
    let baseline = (run.y.0 * sy) as f32;
    for glyph in &run.glyphs {
        let positioned = GlyphId(glyph.id)
            .with_scale_and_position(scale, point((x * sx) as f32, baseline));
        if let Some(outlined) = font.outline_glyph(positioned) {
            let bounds = outlined.px_bounds();
            let (left, top) = (bounds.min.x as i64, bounds.min.y as i64);
            outlined.draw(|gx, gy, coverage| {
                pixels.blend(left + i64::from(gx), top + i64::from(gy), colour, coverage);
            });
        }
        x += f64::from(glyph.advance) * run.size.0 * run.stretch / units;
    }
}

#[cfg(test)]
mod tests {
    use super::png;
    use crate::cover::design::{Style, Words, front};
    use crate::layout::units::Pt;
    use crate::text::font::FontSet;

    #[test]
    fn a_cover_paints_its_ground_and_its_ink_and_is_reproducible() {
        let fonts = FontSet::builtin();
        let words =
            Words { title: "Quiet", subtitle: Some("Essays"), author: "A. Writer" };
        let style = Style::Classic;
        let design = front(words, style, style.palette(), (Pt(432.0), Pt(691.2)), &fonts);
        let bytes = png(&design, (200, 320), &fonts).unwrap();
        assert_eq!(bytes, png(&design, (200, 320), &fonts).unwrap());
        let image = image::load_from_memory(&bytes).unwrap().to_rgb8();
        assert_eq!(image.dimensions(), (200, 320));
        let ground = style.palette().background;
        let ink = style.palette().foreground;
        let count = |rgb: crate::layout::page::Rgb| {
            image.pixels().filter(|p| p.0 == [rgb.0, rgb.1, rgb.2]).count()
        };
        assert!(count(ground) > 200 * 320 / 2);
        assert!(count(ink) > 500, "{}", count(ink));
    }
}
