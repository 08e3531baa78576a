//! The typographic front cover, drawn once as a vector description — a ground colour,
//! filled rectangles and positioned glyph runs — at whatever size it is asked for. The
//! ebook's PNG is this description painted into pixels (`raster.rs`); the paperback's
//! front panel is the same description drawn as PDF vectors (`wrap.rs`). So the two
//! covers cannot drift apart, and neither renderer makes a design decision.
//!
//! Every measure is a share of the panel's width or height, so a design keeps its
//! proportions on a 1:1.6 ebook cover and a 2:3 paperback alike. The three styles:
//!
//! - **classic**: a dark ground inside a double-rule frame (a heavy rule and a hairline);
//!   the title in large spaced capitals in the upper third, a short rule, the subtitle
//!   in italic on balanced lines, the author in spaced small capitals at the foot;
//! - **modern**: a light ground, a heavy bar over a bold title set flush left, the
//!   subtitle below it, and the author reversed out of a band across the foot;
//! - **minimal**: an off-white ground, the title in the book's roman at the optical
//!   centre, a hairline, the subtitle, and the author in small capitals near the foot.

use super::set::{CAP_HEIGHT, DESCENT, Frame, Setter, Type};
use crate::layout::page::{Rect, Rgb, TextRun};
use crate::layout::units::Pt;
use crate::text::font::{Features, FontId, FontSet};

/// Something drawn on a cover.
#[derive(Debug, Clone, PartialEq)]
pub enum Mark {
    /// A filled rectangle.
    Rect {
        /// The area, from the panel's top-left corner.
        rect: Rect,
        /// Its colour.
        colour: Rgb,
    },
    /// Glyphs on a baseline.
    Text {
        /// The run, from the panel's top-left corner.
        run: TextRun,
        /// Its colour.
        colour: Rgb,
    },
}

/// A panel's drawing: its size, its ground and what lies on it, in drawing order.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    /// The panel's width.
    pub width: Pt,
    /// Its height.
    pub height: Pt,
    /// The ground, under everything.
    pub background: Rgb,
    /// The marks, each over the ones before it.
    pub marks: Vec<Mark>,
}

/// A typographic cover style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Framed, centred, spaced capitals on a dark ground.
    Classic,
    /// Flush left, bold, a bar and a band.
    Modern,
    /// Centred roman type on a pale ground, nothing else.
    Minimal,
}

impl Style {
    /// The style named in `book.toml` (`classic` when the name is not known; the
    /// configuration check has already refused one).
    pub fn parse(name: &str) -> Style {
        match name {
            "modern" => Style::Modern,
            "minimal" => Style::Minimal,
            _ => Style::Classic,
        }
    }

    /// The style's own ground and ink.
    pub fn palette(self) -> Palette {
        match self {
            // Navy and a warm cream.
            Style::Classic => Palette {
                background: Rgb(0x1b, 0x2a, 0x41),
                foreground: Rgb(0xf3, 0xea, 0xd8),
            },
            // Stone and a deep ink blue.
            Style::Modern => Palette {
                background: Rgb(0xec, 0xe6, 0xda),
                foreground: Rgb(0x1d, 0x35, 0x57),
            },
            // Off-white and near-black.
            Style::Minimal => Palette {
                background: Rgb(0xfa, 0xf8, 0xf3),
                foreground: Rgb(0x22, 0x22, 0x22),
            },
        }
    }
}

/// The two colours of a cover.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    /// The ground.
    pub background: Rgb,
    /// Type and rules.
    pub foreground: Rgb,
}

/// The words a cover shows.
#[derive(Debug, Clone, Copy)]
pub struct Words<'a> {
    /// The title.
    pub title: &'a str,
    /// The subtitle, if any.
    pub subtitle: Option<&'a str>,
    /// The author as credited.
    pub author: &'a str,
}

/// Draws the front cover of `words` in `style` on a `width` × `height` panel.
pub fn front(
    words: Words<'_>,
    style: Style,
    palette: Palette,
    (width, height): (Pt, Pt),
    fonts: &FontSet,
) -> Design {
    let mut canvas = Canvas {
        setter: Setter::new(fonts),
        design: Design {
            width,
            height,
            background: palette.background,
            marks: Vec::new(),
        },
        ink: palette.foreground,
    };
    match style {
        Style::Classic => classic(&mut canvas, words),
        Style::Modern => modern(&mut canvas, words, palette),
        Style::Minimal => minimal(&mut canvas, words),
    }
    canvas.design
}

/// A design being drawn.
struct Canvas<'f> {
    setter: Setter<'f>,
    design: Design,
    ink: Rgb,
}

/// How a block of lines sits across the panel.
#[derive(Clone, Copy)]
enum Align {
    /// Each line centred on the panel's middle.
    Centre,
    /// Each line starting at this x.
    Left(Pt),
}

impl Canvas<'_> {
    fn w(&self, share: f64) -> Pt {
        self.design.width * share
    }

    fn h(&self, share: f64) -> Pt {
        self.design.height * share
    }

    fn rect(&mut self, x: Pt, y: Pt, width: Pt, height: Pt, colour: Rgb) {
        self.design.marks.push(Mark::Rect { rect: Rect { x, y, width, height }, colour });
    }

    /// An outline of `thickness` just inside the rectangle `inset` from the panel's edges.
    fn frame(&mut self, inset: Pt, thickness: Pt) {
        let (w, h) = (self.design.width - inset * 2.0, self.design.height - inset * 2.0);
        let ink = self.ink;
        self.rect(inset, inset, w, thickness, ink);
        self.rect(inset, inset + h - thickness, w, thickness, ink);
        self.rect(inset, inset, thickness, h, ink);
        self.rect(inset + w - thickness, inset, thickness, h, ink);
    }

    /// Sets `text` fitted to `frame` from the larger of `sizes` down, its first line's
    /// capitals starting at `top`; returns the last baseline and the size.
    #[allow(clippy::too_many_arguments)]
    fn block(
        &mut self,
        text: &str,
        ty: Type,
        sizes: (Pt, Pt),
        frame: Frame,
        top: Pt,
        align: Align,
        colour: Rgb,
    ) -> (Pt, Pt) {
        let fitted = self.setter.fit(text, ty, sizes, frame, true);
        // The first line's capitals start at `top`.
        let mut y = top + fitted.size * CAP_HEIGHT;
        for (i, line) in fitted.lines.iter().enumerate() {
            if i > 0 {
                y += fitted.size * frame.leading;
            }
            let x = match align {
                Align::Centre => (self.design.width - line.width) / 2.0,
                Align::Left(x) => x,
            };
            for run in line.placed(x, y) {
                self.design.marks.push(Mark::Text { run, colour });
            }
        }
        (y, fitted.size)
    }

    /// The size `text` would be set at and the block's height, without drawing it.
    fn measure(
        &mut self,
        text: &str,
        ty: Type,
        sizes: (Pt, Pt),
        frame: Frame,
    ) -> (Pt, Pt) {
        let fitted = self.setter.fit(text, ty, sizes, frame, true);
        (fitted.size, frame.height(fitted.size, fitted.lines.len()))
    }
}

/// Spaced capitals for titles.
const TITLE_CAPS: Type =
    Type { font: FontId::REGULAR, features: Features::Lining, tracking: 0.1 };
/// Spaced small capitals for names.
const NAME_SMALL_CAPS: Type =
    Type { font: FontId::REGULAR, features: Features::SmallCaps, tracking: 0.14 };
/// Italic for subtitles.
const SUBTITLE_ITALIC: Type =
    Type { font: FontId::ITALIC, features: Features::Lining, tracking: 0.0 };

fn classic(c: &mut Canvas<'_>, words: Words<'_>) {
    // The frame: a heavy outer rule and a hairline inside it.
    let outer = c.w(0.055);
    c.frame(outer, c.w(0.008));
    let inner = outer + c.w(0.022);
    c.frame(inner, c.w(0.0025));
    let measure = c.design.width - (inner + c.w(0.075)) * 2.0;
    let ink = c.ink;

    // The author at the foot, inside the frame; measured first, as the subtitle ends
    // above it.
    let name = words.author.to_lowercase();
    let sizes = (c.w(0.05), c.w(0.03));
    let author = Frame { measure, max_lines: 2, leading: 1.3, room: c.h(0.12) };
    let (size, height) = c.measure(&name, NAME_SMALL_CAPS, sizes, author);
    let foot = c.design.height - inner - c.h(0.075);
    let author_top = foot + size * DESCENT - height;
    c.block(&name, NAME_SMALL_CAPS, sizes, author, author_top, Align::Centre, ink);

    // The title's capitals, centred on the upper third whatever their number of lines,
    // in the zone from just inside the frame to the middle.
    let title = words.title.to_uppercase();
    let sizes = (c.w(0.12), c.w(0.055));
    let zone_top = inner + c.h(0.04);
    let frame =
        Frame { measure, max_lines: 4, leading: 1.18, room: c.h(0.52) - zone_top };
    let (_, height) = c.measure(&title, TITLE_CAPS, sizes, frame);
    let top = (c.h(0.33) - height / 2.0).max(zone_top);
    let (last, size) = c.block(&title, TITLE_CAPS, sizes, frame, top, Align::Centre, ink);

    // A short rule between title and subtitle.
    let rule_y = last + size * 0.5 + c.h(0.035);
    let rule_width = c.w(0.14);
    c.rect((c.design.width - rule_width) / 2.0, rule_y, rule_width, c.w(0.004), ink);

    if let Some(subtitle) = words.subtitle {
        let sizes = (c.w(0.052), c.w(0.034));
        let top = rule_y + c.h(0.035);
        let room = author_top - c.h(0.05) - top;
        let frame = Frame { measure: measure * 0.9, max_lines: 4, leading: 1.3, room };
        c.block(subtitle, SUBTITLE_ITALIC, sizes, frame, top, Align::Centre, ink);
    }
}

fn modern(c: &mut Canvas<'_>, words: Words<'_>, palette: Palette) {
    let left = c.w(0.1);
    let measure = c.w(0.8);
    let ink = c.ink;
    // A heavy bar above the title.
    let bar_top = c.h(0.11);
    c.rect(left, bar_top, c.w(0.2), c.h(0.012), ink);

    // The title, flush left under the bar, in the zone down to 60 % of the height.
    let bold = Type { font: FontId::BOLD, features: Features::Lining, tracking: 0.0 };
    let sizes = (c.w(0.15), c.w(0.06));
    let top = bar_top + c.h(0.05);
    let frame = Frame { measure, max_lines: 5, leading: 1.02, room: c.h(0.6) - top };
    let (last, size) =
        c.block(words.title, bold, sizes, frame, top, Align::Left(left), ink);

    // The author reversed out of a band across the foot.
    let band_top = c.h(0.86);
    if let Some(subtitle) = words.subtitle {
        let roman =
            Type { font: FontId::REGULAR, features: Features::Lining, tracking: 0.0 };
        let top = last + size * DESCENT + c.h(0.045);
        let room = band_top - c.h(0.04) - top;
        let frame = Frame { measure: c.w(0.72), max_lines: 4, leading: 1.28, room };
        let sizes = (c.w(0.05), c.w(0.032));
        c.block(subtitle, roman, sizes, frame, top, Align::Left(left), ink);
    }
    let band = c.design.height - band_top;
    c.rect(Pt::ZERO, band_top, c.design.width, band, ink);
    let caps = Type { font: FontId::BOLD, features: Features::Lining, tracking: 0.12 };
    let name = words.author.to_uppercase();
    let sizes = (c.w(0.042), c.w(0.025));
    let frame = Frame { measure, max_lines: 1, leading: 1.2, room: band * 0.7 };
    let (_, height) = c.measure(&name, caps, sizes, frame);
    let top = band_top + (band - height) / 2.0;
    let colour = palette.background;
    c.block(&name, caps, sizes, frame, top, Align::Left(left), colour);
}

fn minimal(c: &mut Canvas<'_>, words: Words<'_>) {
    let measure = c.w(0.72);
    let ink = c.ink;
    // The title's block ends at the optical centre, a little above the middle.
    let roman =
        Type { font: FontId::REGULAR, features: Features::Lining, tracking: 0.01 };
    let sizes = (c.w(0.11), c.w(0.05));
    let frame = Frame { measure, max_lines: 4, leading: 1.15, room: c.h(0.3) };
    let (_, height) = c.measure(words.title, roman, sizes, frame);
    let top = c.h(0.4) - height;
    let (last, size) = c.block(words.title, roman, sizes, frame, top, Align::Centre, ink);

    let rule_y = last + size * 0.45 + c.h(0.03);
    let rule_width = c.w(0.08);
    c.rect((c.design.width - rule_width) / 2.0, rule_y, rule_width, c.w(0.0018), ink);

    let name = words.author.to_lowercase();
    let sizes = (c.w(0.042), c.w(0.028));
    let author = Frame { measure, max_lines: 2, leading: 1.3, room: c.h(0.1) };
    let author_top = c.h(0.84);
    c.block(&name, NAME_SMALL_CAPS, sizes, author, author_top, Align::Centre, ink);

    if let Some(subtitle) = words.subtitle {
        let sizes = (c.w(0.042), c.w(0.03));
        let top = rule_y + c.h(0.03);
        let room = author_top - c.h(0.06) - top;
        let frame = Frame { measure, max_lines: 4, leading: 1.3, room };
        c.block(subtitle, SUBTITLE_ITALIC, sizes, frame, top, Align::Centre, ink);
    }
}

#[cfg(test)]
mod tests {
    use super::{Mark, Style, Words, front};
    use crate::layout::units::Pt;
    use crate::text::font::FontSet;

    /// Every glyph run lies inside the panel, clear of its edges by the printers' 0.125 in
    /// (9 pt), capitals to descenders, and every rectangle lies on the panel; also for a
    /// title far too long for any cover.
    #[test]
    fn every_style_keeps_its_marks_on_the_panel() {
        let fonts = FontSet::builtin();
        let long = "A Very Long Title ".repeat(30);
        let titles = [
            "The Remarkably Long and Winding Title of an Improbable Book of Essays",
            &long,
        ];
        for title in titles {
            let words = Words {
                title,
                subtitle: Some(
                    "And a subtitle that also runs on for rather longer than it should",
                ),
                author: "Bartholomew Featherstonehaugh-Montgomery",
            };
            for style in [Style::Classic, Style::Modern, Style::Minimal] {
                for (w, h) in [(432.0, 691.2), (432.0, 648.0)] {
                    let design =
                        front(words, style, style.palette(), (Pt(w), Pt(h)), &fonts);
                    let texts =
                        design.marks.iter().filter(|m| matches!(m, Mark::Text { .. }));
                    assert!(texts.count() >= 3, "{style:?}");
                    for mark in &design.marks {
                        match mark {
                            Mark::Rect { rect, .. } => {
                                assert!(
                                    rect.x.0 >= -0.01
                                        && rect.x.0 + rect.width.0 <= w + 0.01
                                );
                                assert!(
                                    rect.y.0 >= -0.01
                                        && rect.y.0 + rect.height.0 <= h + 0.01
                                );
                            }
                            Mark::Text { run, .. } => {
                                let (top, foot) = (
                                    run.y.0 - run.size.0 * 0.7,
                                    run.y.0 + run.size.0 * 0.25,
                                );
                                assert!(
                                    run.x.0 >= 9.0 && run.x.0 < w - 9.0,
                                    "{style:?} {run:?}"
                                );
                                assert!(
                                    top >= 9.0 && foot <= h - 9.0,
                                    "{style:?} {h} {:?} at y {}",
                                    run.text,
                                    run.y.0
                                );
                            }
                        }
                    }
                }
            }
        }
    }
}
