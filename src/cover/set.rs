//! Type for covers: a line of text shaped into positioned glyph runs, words wrapped to a
//! measure, and a size found that makes a title fit. Covers set a few short lines in
//! display sizes, ragged or centred, so this is a greedy wrapper over the book's shaper,
//! not the Knuth–Plass engine the interior uses.

use crate::layout::page::{Glyph, TextRun};
use crate::layout::units::Pt;
use crate::text::font::{Features, FontId, FontSet};
use crate::text::shape::Shaper;

/// How one block of cover type is set.
#[derive(Debug, Clone, Copy)]
pub struct Type {
    /// The face.
    pub font: FontId,
    /// Its OpenType features (small capitals for an author's name).
    pub features: Features,
    /// Extra space after each letter, in ems (spaced capitals).
    pub tracking: f64,
}

/// One set line: its runs, starting at x = 0 on a baseline at y = 0, and its width.
#[derive(Debug, Clone)]
pub struct SetLine {
    /// The glyph runs (more than one when a fallback face shows some characters).
    pub runs: Vec<TextRun>,
    /// The advance of the whole line, tracking after the last letter excluded.
    pub width: Pt,
}

impl SetLine {
    /// The runs moved so that the line's baseline starts at (`x`, `y`).
    pub fn placed(&self, x: Pt, y: Pt) -> Vec<TextRun> {
        self.runs
            .iter()
            .map(|r| TextRun { x: r.x + x, y: r.y + y, ..r.clone() })
            .collect()
    }
}

/// A block of lines at one size.
#[derive(Debug, Clone)]
pub struct Fitted {
    /// The type size.
    pub size: Pt,
    /// The lines, in order.
    pub lines: Vec<SetLine>,
}

/// Sets cover type with the book's fonts.
pub struct Setter<'f> {
    shaper: Shaper<'f>,
}

/// Each step down when a title does not fit: small enough that the size chosen is
/// within a few per cent of the largest that fits.
const SHRINK: f64 = 0.95;
/// The smallest size [`Setter::fit`] goes to, in points: a word longer than the measure
/// even at this size is set anyway (it can only be a pathological title).
const FLOOR: f64 = 3.0;

impl<'f> Setter<'f> {
    /// A setter over `fonts`.
    pub fn new(fonts: &'f FontSet) -> Self {
        Setter { shaper: Shaper::new(fonts) }
    }

    /// Shapes `text` as one line at `size`.
    pub fn line(&mut self, text: &str, ty: Type, size: Pt) -> SetLine {
        let mut runs = Vec::new();
        let mut x = 0.0;
        let shaped = self.shaper.shape(text, ty.font, ty.features);
        let total: usize = shaped.iter().map(|s| s.glyphs.len()).sum();
        let mut seen = 0;
        for piece in shaped {
            let units = f64::from(piece.units_per_em);
            let track = (ty.tracking * units).round() as i32;
            let mut glyphs = Vec::with_capacity(piece.glyphs.len());
            let mut advance = 0i64;
            for (i, g) in piece.glyphs.iter().enumerate() {
                seen += 1;
                let start = g.cluster;
                let first = i == 0 || piece.glyphs[i - 1].cluster != start;
                let end = piece.glyphs[i + 1..]
                    .iter()
                    .map(|n| n.cluster)
                    .find(|&c| c != start)
                    .unwrap_or(piece.text.len() as u32);
                let extra = if seen < total { track } else { 0 };
                glyphs.push(Glyph {
                    id: g.id,
                    advance: g.advance + extra,
                    text: if first { (start, end) } else { (start, start) },
                });
                advance += i64::from(g.advance + extra);
            }
            let run = TextRun {
                x: Pt(x),
                y: Pt::ZERO,
                font: piece.font,
                size,
                glyphs,
                stretch: 1.0,
                text: piece.text.clone(),
                link: None,
            };
            x += advance as f64 * size.0 / units;
            runs.push(run);
        }
        SetLine { runs, width: Pt(x) }
    }

    /// The words of `text` at `size`, wrapped greedily to lines no wider than `measure`
    /// (a word wider than the measure gets a line of its own).
    pub fn wrap(&mut self, text: &str, ty: Type, size: Pt, measure: Pt) -> Vec<SetLine> {
        let mut lines = Vec::new();
        let mut current: Option<(String, SetLine)> = None;
        for word in text.split_whitespace() {
            let candidate = match &current {
                Some((words, _)) => format!("{words} {word}"),
                None => word.to_string(),
            };
            let set = self.line(&candidate, ty, size);
            match current.take() {
                Some(done) if set.width > measure => {
                    lines.push(done.1);
                    current = Some((word.to_string(), self.line(word, ty, size)));
                }
                _ => current = Some((candidate, set)),
            }
        }
        lines.extend(current.map(|(_, line)| line));
        lines
    }

    /// Lines of `text` as even in length as the fewest lines greedy wrapping needs: the
    /// narrowest measure (down to half of `measure`) that still gives as many lines.
    pub fn balanced(
        &mut self,
        text: &str,
        ty: Type,
        size: Pt,
        measure: Pt,
    ) -> Vec<SetLine> {
        let lines = self.wrap(text, ty, size, measure);
        if lines.len() < 2 {
            return lines;
        }
        let (mut low, mut high) = (measure.0 / 2.0, measure.0);
        let mut best = lines;
        let count = best.len();
        // Bisect the measure to a quarter point.
        while high - low > 0.25 {
            let mid = (low + high) / 2.0;
            let tried = self.wrap(text, ty, size, Pt(mid));
            if tried.len() <= count && tried.iter().all(|l| l.width.0 <= mid) {
                best = tried;
                high = mid;
            } else {
                low = mid;
            }
        }
        best
    }

    /// The largest size from `largest` down at which `text` wraps into lines within the
    /// frame's measure and room, at most `max_lines` of them; below `smallest` the line
    /// limit is dropped (the room still holds). The size stops shrinking at a floor of
    /// 3 pt, where only a pathological title is still too big. With `balance`, the lines
    /// are balanced at the size found.
    pub fn fit(
        &mut self,
        text: &str,
        ty: Type,
        (largest, smallest): (Pt, Pt),
        frame: Frame,
        balance: bool,
    ) -> Fitted {
        let mut size = largest.0.max(FLOOR);
        loop {
            let lines = self.wrap(text, ty, Pt(size), frame.measure);
            let fits = lines.iter().all(|l| l.width <= frame.measure)
                && frame.height(Pt(size), lines.len()) <= frame.room
                && (lines.len() <= frame.max_lines || size <= smallest.0);
            if fits || size * SHRINK < FLOOR {
                let lines = if balance {
                    self.balanced(text, ty, Pt(size), frame.measure)
                } else {
                    lines
                };
                return Fitted { size: Pt(size), lines };
            }
            size *= SHRINK;
        }
    }
}

/// The height of a capital above the baseline, in ems (Linux Libertine's is 0.65):
/// cover type is placed by its capitals, not by the font's ascent.
pub const CAP_HEIGHT: f64 = 0.65;
/// How far descenders reach below the baseline, in ems (Libertine: about 0.22).
pub const DESCENT: f64 = 0.25;

/// Where a block of cover lines must fit.
#[derive(Debug, Clone, Copy)]
pub struct Frame {
    /// The longest line.
    pub measure: Pt,
    /// The most lines wanted (above the smallest size, more are allowed).
    pub max_lines: usize,
    /// Baseline to baseline, in ems.
    pub leading: f64,
    /// The most height the block may take, from the top of its capitals to the foot of
    /// its last line's descenders.
    pub room: Pt,
}

impl Frame {
    /// The height of `lines` lines at `size`, capitals to descenders.
    pub fn height(&self, size: Pt, lines: usize) -> Pt {
        size * (CAP_HEIGHT + self.leading * lines.saturating_sub(1) as f64 + DESCENT)
    }
}

#[cfg(test)]
mod tests {
    use super::{Frame, Setter, Type};
    use crate::layout::units::Pt;
    use crate::text::font::{Features, FontId, FontSet};

    const ROMAN: Type =
        Type { font: FontId::REGULAR, features: Features::Lining, tracking: 0.0 };

    #[test]
    fn tracking_widens_a_line_but_not_after_its_last_letter() {
        let fonts = FontSet::builtin();
        let mut setter = Setter::new(&fonts);
        let plain = setter.line("ROOM", ROMAN, Pt(10.0));
        let spaced = setter.line("ROOM", Type { tracking: 0.1, ..ROMAN }, Pt(10.0));
        // Three gaps of a tenth of an em at 10 pt.
        assert!((spaced.width.0 - plain.width.0 - 3.0).abs() < 0.01);
        assert_eq!(spaced.runs[0].text, "ROOM");
    }

    #[test]
    fn long_titles_wrap_and_shrink_to_fit() {
        let fonts = FontSet::builtin();
        let mut setter = Setter::new(&fonts);
        let title = "A Very Long Title That Goes On And On Past Any Reasonable Length";
        let frame =
            Frame { measure: Pt(300.0), max_lines: 3, leading: 1.2, room: Pt(500.0) };
        let fitted = setter.fit(title, ROMAN, (Pt(60.0), Pt(20.0)), frame, true);
        assert!(fitted.size.0 < 60.0 && fitted.lines.len() <= 3, "{fitted:?}");
        assert!(fitted.lines.iter().all(|l| l.width.0 <= 300.0));
        let word = "Pneumonoultramicroscopicsilicovolcanoconiosis";
        let narrow = Frame { measure: Pt(100.0), ..frame };
        let fitted = setter.fit(word, ROMAN, (Pt(60.0), Pt(20.0)), narrow, false);
        assert!(fitted.lines[0].width.0 <= 100.0, "{fitted:?}");
        assert!(
            setter.fit("", ROMAN, (Pt(60.0), Pt(20.0)), narrow, true).lines.is_empty()
        );
    }
}
