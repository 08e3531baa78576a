//! Print pages as SVG for the live preview: the very [`Page`]s the PDF writer draws,
//! glyph for glyph. Each glyph is the outline of the book's own face (read with
//! ab_glyph), placed where the PDF places it: a run's glyphs advance by their shaped
//! advances times the run's stretch, and are widened by the stretch too. Outlines are
//! defined once per view and reused, and every run also carries its text, invisible, so
//! the words can be found and selected as in a PDF viewer.

use crate::layout::page::{Page, PageItem, Rect, Rgb, TextRun};
use crate::text::font::FontSet;
use ab_glyph::{Font, FontRef, GlyphId, OutlineCurve};
use std::collections::BTreeSet;
use std::fmt::Write;

/// Glyphs used by a page, by face and glyph id: the outlines it defines.
#[derive(Default)]
struct GlyphDefs {
    used: BTreeSet<(u8, u16)>,
}

impl GlyphDefs {
    /// Notes every glyph `page` draws.
    fn add_page(&mut self, page: &Page) {
        for item in &page.items {
            if let Some((run, _, _)) = run_of(item) {
                for g in &run.glyphs {
                    self.used.insert((run.font.0, g.id));
                }
            }
        }
    }

    /// A `<defs>` holding a path for each glyph noted, in font units, y up, its id
    /// starting with `prefix`.
    fn to_defs(&self, fonts: &FontSet, prefix: &str) -> String {
        let mut out = String::from("<defs>");
        // `used` is ordered by face: each face is parsed once, at its first glyph.
        let mut parsed: Option<(u8, Option<FontRef<'_>>)> = None;
        for &(face_id, glyph) in &self.used {
            if parsed.as_ref().is_none_or(|(id, _)| *id != face_id) {
                let face = fonts.face(crate::text::font::FontId(face_id));
                parsed = Some((face_id, FontRef::try_from_slice(face.data).ok()));
            }
            let Some((_, Some(font))) = &parsed else { continue };
            let mut d = String::new();
            if let Some(outline) = font.outline(GlyphId(glyph)) {
                path_data(&outline.curves, &mut d);
            }
            let _ = write!(
                out,
                "<path id=\"{}\" d=\"{d}\"/>",
                glyph_id(prefix, face_id, glyph)
            );
        }
        out.push_str("</defs>");
        out
    }
}

/// The element id of a glyph's outline.
fn glyph_id(prefix: &str, face: u8, glyph: u16) -> String {
    format!("{prefix}g{face}-{glyph}")
}

/// SVG path data for outline curves: a new subpath wherever a curve does not start
/// where the last one ended.
fn path_data(curves: &[OutlineCurve], d: &mut String) {
    let mut end: Option<ab_glyph::Point> = None;
    for curve in curves {
        let (start, last) = match curve {
            OutlineCurve::Line(a, b) => (*a, *b),
            OutlineCurve::Quad(a, _, c) => (*a, *c),
            OutlineCurve::Cubic(a, _, _, d) => (*a, *d),
        };
        if end != Some(start) {
            if end.is_some() {
                d.push('Z');
            }
            let _ = write!(d, "M{} {}", start.x, start.y);
        }
        let _ = match curve {
            OutlineCurve::Line(_, b) => write!(d, "L{} {}", b.x, b.y),
            OutlineCurve::Quad(_, b, c) => write!(d, "Q{} {} {} {}", b.x, b.y, c.x, c.y),
            OutlineCurve::Cubic(_, b, c, e) => {
                write!(d, "C{} {} {} {} {} {}", b.x, b.y, c.x, c.y, e.x, e.y)
            }
        };
        end = Some(last);
    }
    if end.is_some() {
        d.push('Z');
    }
}

/// A run drawn by `item`, with its colour and whether it is turned.
fn run_of(item: &PageItem) -> Option<(&TextRun, Rgb, bool)> {
    match item {
        PageItem::Text(run) => Some((run, Rgb(0, 0, 0), false)),
        PageItem::Coloured { run, colour, turned } => Some((run, *colour, *turned)),
        _ => None,
    }
}

/// One page as an `<svg>` sized in points, holding the outlines of the glyphs it uses
/// (their ids start with `prefix`, unique on the HTML page), so that a page can be
/// replaced alone. `image_url` names where image `n` is served.
pub fn page(
    page: &Page,
    fonts: &FontSet,
    prefix: &str,
    image_url: &dyn Fn(usize) -> String,
) -> String {
    let (w, h) = (page.width.0, page.height.0);
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<svg class=\"page\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {w:.2} {h:.2}\" \
         width=\"{w:.2}\" height=\"{h:.2}\">"
    );
    let mut defs = GlyphDefs::default();
    defs.add_page(page);
    out.push_str(&defs.to_defs(fonts, prefix));
    out.push_str("<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>");
    let mut words = String::new();
    for item in &page.items {
        match item {
            PageItem::Text(_) | PageItem::Coloured { .. } => {
                let Some((run, colour, turned)) = run_of(item) else { continue };
                glyphs(&mut out, run, colour, turned, fonts, prefix);
                text_layer(&mut words, run, turned, fonts);
            }
            PageItem::Rule { x1, y1, x2, y2, thickness } => {
                let _ = write!(
                    out,
                    "<line x1=\"{:.2}\" y1=\"{:.2}\" x2=\"{:.2}\" y2=\"{:.2}\" \
                     stroke=\"#000\" stroke-width=\"{:.2}\"/>",
                    x1.0, y1.0, x2.0, y2.0, thickness.0
                );
            }
            PageItem::Fill { rect, gray } => {
                let v = (gray.clamp(0.0, 1.0) * 255.0).round() as u8;
                rectangle(&mut out, rect, Rgb(v, v, v));
            }
            PageItem::Paint { rect, colour } => rectangle(&mut out, rect, *colour),
            PageItem::Image { image, rect } => {
                image_element(&mut out, &image_url(*image), rect, None);
            }
            PageItem::Clipped { image, rect, clip } => {
                image_element(&mut out, &image_url(*image), rect, Some(clip));
            }
            PageItem::Link { .. } => {}
        }
    }
    out.push_str(&words);
    out.push_str("</svg>");
    out
}

fn rectangle(out: &mut String, rect: &Rect, colour: Rgb) {
    let _ = write!(
        out,
        "<rect x=\"{:.2}\" y=\"{:.2}\" width=\"{:.2}\" height=\"{:.2}\" \
         fill=\"rgb({},{},{})\"/>",
        rect.x.0, rect.y.0, rect.width.0, rect.height.0, colour.0, colour.1, colour.2
    );
}

fn image_element(out: &mut String, href: &str, rect: &Rect, clip: Option<&Rect>) {
    let clip = clip.map_or(String::new(), |c| {
        format!(
            " clip-path=\"inset({:.2}px {:.2}px {:.2}px {:.2}px)\"",
            c.y.0 - rect.y.0,
            (rect.x.0 + rect.width.0) - (c.x.0 + c.width.0),
            (rect.y.0 + rect.height.0) - (c.y.0 + c.height.0),
            c.x.0 - rect.x.0
        )
    });
    let _ = write!(
        out,
        "<image href=\"{}\" x=\"{:.2}\" y=\"{:.2}\" width=\"{:.2}\" height=\"{:.2}\" \
         preserveAspectRatio=\"none\"{clip}/>",
        escape(href),
        rect.x.0,
        rect.y.0,
        rect.width.0,
        rect.height.0
    );
}

/// The transform from a run's font units (y up, x along its baseline) to the page.
fn run_transform(run: &TextRun, turned: bool, fonts: &FontSet) -> String {
    let k = run.size.0 / f64::from(fonts.face(run.font).units_per_em);
    let sx = k * run.stretch;
    if turned {
        // A quarter turn clockwise: the baseline runs down the page.
        format!("matrix(0 {sx:.6} {k:.6} 0 {:.3} {:.3})", run.x.0, run.y.0)
    } else {
        format!("matrix({sx:.6} 0 0 {:.6} {:.3} {:.3})", -k, run.x.0, run.y.0)
    }
}

fn glyphs(
    out: &mut String,
    run: &TextRun,
    colour: Rgb,
    turned: bool,
    fonts: &FontSet,
    prefix: &str,
) {
    let _ = write!(out, "<g transform=\"{}\"", run_transform(run, turned, fonts));
    if colour != Rgb(0, 0, 0) {
        let _ = write!(out, " fill=\"rgb({},{},{})\"", colour.0, colour.1, colour.2);
    }
    out.push('>');
    let mut x: i64 = 0;
    for g in &run.glyphs {
        let _ = write!(
            out,
            "<use href=\"#{}\" x=\"{x}\"/>",
            glyph_id(prefix, run.font.0, g.id)
        );
        x += i64::from(g.advance);
    }
    out.push_str("</g>");
}

/// The run's text, invisible, stretched over the run's width: found by the browser's
/// search and read by the tests.
fn text_layer(out: &mut String, run: &TextRun, turned: bool, fonts: &FontSet) {
    if run.text.trim().is_empty() || turned {
        return;
    }
    let units = f64::from(fonts.face(run.font).units_per_em);
    let advance: i64 = run.glyphs.iter().map(|g| i64::from(g.advance)).sum();
    let width = advance as f64 * run.size.0 * run.stretch / units;
    let _ = write!(
        out,
        "<text x=\"{:.2}\" y=\"{:.2}\" font-size=\"{:.2}\" textLength=\"{:.2}\" \
         lengthAdjust=\"spacingAndGlyphs\" fill=\"transparent\">{}</text> ",
        run.x.0,
        run.y.0,
        run.size.0,
        width.max(0.01),
        escape(&run.text)
    );
}

/// Escapes text for XML content and double-quoted attribute values, as the ebook's
/// XHTML is escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    crate::epub::xhtml::escape_into(text, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::page;
    use crate::layout::page::{Glyph, Page, PageItem, Rect, TextRun};
    use crate::layout::units::Pt;
    use crate::text::font::{FontId, FontSet};

    fn run(text: &str, fonts: &FontSet) -> TextRun {
        let face = fonts.face(FontId(0));
        let font = ab_glyph::FontRef::try_from_slice(face.data).unwrap();
        let glyphs = text
            .char_indices()
            .map(|(i, c)| {
                let id = ab_glyph::Font::glyph_id(&font, c);
                let advance = ab_glyph::Font::h_advance_unscaled(&font, id) as i32;
                Glyph { id: id.0, advance, text: (i as u32, i as u32 + 1) }
            })
            .collect();
        TextRun {
            x: Pt(72.0),
            y: Pt(100.0),
            font: FontId(0),
            size: Pt(10.0),
            glyphs,
            stretch: 1.0,
            text: text.into(),
            link: None,
        }
    }

    #[test]
    fn a_page_draws_each_glyph_from_a_defined_outline_and_keeps_its_text() {
        let fonts = FontSet::builtin();
        let mut p = Page {
            width: Pt(432.0),
            height: Pt(648.0),
            trim: Rect::default(),
            items: vec![PageItem::Text(run("Tea & <cake>", &fonts))],
        };
        p.items.push(PageItem::Rule {
            x1: Pt(1.0),
            y1: Pt(2.0),
            x2: Pt(3.0),
            y2: Pt(4.0),
            thickness: Pt(0.5),
        });
        let svg = page(&p, &fonts, "p1", &|n| format!("/img/{n}"));
        assert!(svg.contains("viewBox=\"0 0 432.00 648.00\""), "{svg}");
        assert!(svg.contains(">Tea &amp; &lt;cake&gt;</text>"), "{svg}");
        assert_eq!(svg.matches("<use ").count(), 12);
        assert!(svg.contains("<line "));
        // Every glyph used is defined on the page, and letters have outlines (spaces
        // have none).
        for id in svg.split("href=\"#").skip(1).map(|s| &s[..s.find('"').unwrap()]) {
            assert!(id.starts_with("p1g0-"), "{id}");
            assert!(svg.contains(&format!("id=\"{id}\"")), "{id} undefined");
        }
        assert!(svg.matches(" d=\"M").count() >= 8, "{svg}");
    }
}
