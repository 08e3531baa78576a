//! Breaks + items → set lines: glue stretched or shrunk by the line's adjustment ratio,
//! space at a break dropped, a hyphen drawn where a line ends at a hyphenation point.
//! Ragged and centred text is broken here too, first-fit at natural widths (as TeX's
//! `\raggedright` in effect does for short display lines).

use super::items::{Alignment, ParagraphStyle, Piece, Prepared, left_hang};
use super::linebreak::{BreakParams, Breaking, INFINITY, Item, LineBreaker, Pass};
use super::page::{Glyph, TextRun};
use super::units::Pt;

/// One set line. Runs are placed from the line's left edge (x = 0) on its baseline (y = 0).
#[derive(Debug, Clone, Default)]
pub struct Line {
    /// The glyph runs, word by word.
    pub runs: Vec<TextRun>,
    /// Width the content occupies.
    pub width: Pt,
    /// Adjustment ratio: 0 natural, −1 fully shrunk, +1 fully stretched.
    pub ratio: f64,
    /// Whether the line ends with a hyphen the breaker inserted or chose.
    pub hyphenated: bool,
    /// Whether the content is wider than the measure.
    pub overfull: bool,
    /// Chapter notes cited on this line.
    pub notes: Vec<usize>,
    /// The line's text (spaces between words, the hyphen if any), for dumps and tests.
    pub text: String,
    /// Index of the first word of the paragraph that begins on this line (or, when none
    /// does, of the next word): where a page starting with this line begins in the text.
    pub word: usize,
    /// Where the line begins in the model, when it is set from a text unit of a chapter
    /// (see `crate::pages`).
    pub source: Option<crate::pages::TextPos>,
    /// The 1-based line of the manuscript file where the line's block begins (0 for
    /// generated text): where the layout dump and a reader of it look in the source.
    pub at_line: u32,
}

/// Breaks a prepared paragraph into lines of `measure` points.
pub fn set_paragraph(
    prepared: &Prepared,
    style: &ParagraphStyle,
    measure: f64,
    params: &BreakParams,
    breaker: &mut LineBreaker,
) -> (Vec<Line>, Breaking) {
    let width_of = |n: usize| {
        if n < style.hang_lines { measure - style.hang_width } else { measure }
    };
    let breaking = match style.align {
        Alignment::Justify => breaker.break_paragraph(&prepared.items, width_of, params),
        Alignment::Left | Alignment::Center => break_ragged(&prepared.items, measure),
    };
    let mut lines = Vec::with_capacity(breaking.breaks.len());
    let mut start = 0;
    for (n, b) in breaking.breaks.iter().enumerate() {
        let ratio = if style.align == Alignment::Justify { b.ratio } else { 0.0 };
        // The breaking's own flex: a rescued paragraph has more than its glyphs may take.
        let (expansion, glyph_limit) = if style.align == Alignment::Justify {
            (breaking.expansion, params.expansion)
        } else {
            (0.0, 0.0)
        };
        let mut line =
            build_line(prepared, start, b.index, ratio, expansion, glyph_limit);
        // The list is in line order: a search, not a scan per line.
        line.overfull = breaking.overfull_lines.binary_search(&n).is_ok()
            || line.width.0 > width_of(n) + 0.5;
        if n < style.hang_lines {
            for run in &mut line.runs {
                run.x.0 += style.hang_width;
            }
        }
        if style.align == Alignment::Center {
            let shift = ((measure - line.width.0) / 2.0).max(0.0);
            for run in &mut line.runs {
                run.x.0 += shift;
            }
        }
        lines.push(line);
        start = b.index + 1;
    }
    (lines, breaking)
}

/// How a line's adjustment is shared between its glyphs, the room between its letters
/// and its spaces.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Adjustment {
    /// Horizontal scale of the glyphs: 1 natural, 1.02 two per cent wider.
    stretch: f64,
    /// Letter spacing, as a share of each glyph's advance added after it (0 none,
    /// −0.01 one per cent tighter). Only a paragraph rescued with more flex than the
    /// glyphs may take gets any.
    track: f64,
    /// The ratio applied to the glue.
    glue: f64,
}

impl Adjustment {
    /// Splits the line's `ratio` (over glue and `flex` together, as the breaker computed
    /// it, `flex` being the share of the box width it counted as stretch and shrink) for
    /// a line whose boxes are `boxes` wide and whose glue may stretch `glue_stretch`.
    /// The glyphs follow the ratio up to ±`glyph_limit`; what flex is left over goes
    /// between the letters; a line looser than ratio 1 takes the rest in its spaces, as
    /// a TeX line would.
    fn split(
        ratio: f64,
        flex: f64,
        glyph_limit: f64,
        boxes: f64,
        glue_stretch: f64,
    ) -> Adjustment {
        if flex <= 0.0 || !ratio.is_finite() {
            return Adjustment { stretch: 1.0, track: 0.0, glue: ratio };
        }
        let share = ratio.clamp(-1.0, 1.0) * flex;
        let limit = glyph_limit.clamp(0.0, flex);
        let glyphs = share.clamp(-limit, limit);
        let mut glue = ratio;
        if ratio > 1.0 && glue_stretch > 0.0 {
            // The flex the ratio asked for beyond its limit goes to the glue.
            glue += (ratio - 1.0) * flex * boxes / glue_stretch;
        }
        Adjustment { stretch: 1.0 + glyphs, track: share - glyphs, glue }
    }
}

/// Spaces the letters of `run` by `share` of each glyph's advance (in the run's own
/// scaled units, so it adds to the glyph scale). The advances are whole font units, so
/// each is rounded; the next word is placed from the line's own sums, so the rounding
/// never carries past a word.
fn track(run: &mut TextRun, share: f64) {
    for glyph in &mut run.glyphs {
        glyph.advance += (f64::from(glyph.advance) * share).round() as i32;
    }
}

/// Sets items `start..=end` (the break item) as one line; `expansion` is the flex the
/// breaker gave the boxes for justified text (0 otherwise), of which the glyphs take up
/// to `glyph_limit` and the letter spacing the rest.
fn build_line(
    prepared: &Prepared,
    start: usize,
    end: usize,
    ratio: f64,
    expansion: f64,
    glyph_limit: f64,
) -> Line {
    let items = &prepared.items;
    // TeX's discard rule: glue and penalties after a break vanish.
    let mut first = start;
    while first < end && !matches!(items[first], Item::Box { .. }) {
        first += 1;
    }
    let last = end.min(items.len().saturating_sub(1));
    // An opening mark at the line's start hangs into the left margin.
    let lead = match (&items[first..=last].first(), prepared.pieces.get(first)) {
        (
            Some(Item::Box { .. }),
            Some(Piece::Glyphs { run, from, size, note: None, .. }),
        ) if prepared.protrusion => left_hang(run, *from, *size),
        _ => 0.0,
    };
    let (mut boxes, mut glue_stretch, mut fil) = (0.0, 0.0, false);
    if (expansion > 0.0 && ratio > 1.0) || lead > 0.0 {
        for (i, item) in items.iter().enumerate().take(last + 1).skip(first) {
            match *item {
                Item::Box { width } => boxes += width,
                Item::Glue { stretch, .. } if i < end => {
                    if stretch.is_finite() {
                        glue_stretch += stretch;
                    } else {
                        fil = true;
                    }
                }
                _ => {}
            }
        }
    }
    let adjust = Adjustment::split(ratio, expansion, glyph_limit, boxes, glue_stretch);
    // The room the hanging mark frees is shared by the spaces, as stretch; a line that
    // ends with fil glue (a paragraph's last) simply starts further left.
    let lead_per_stretch =
        if lead > 0.0 && !fil && glue_stretch > 0.0 { lead / glue_stretch } else { 0.0 };
    let lead = if lead_per_stretch > 0.0 || fil { lead } else { 0.0 };
    // The first word that begins at or after the line's first box: a line that starts
    // with the tail of a hyphenated word begins, as far as the text goes, at the next.
    let word = prepared.word_starts.partition_point(|&s| s < first);
    let mut line = Line { ratio, word, ..Line::default() };
    let mut x = -lead;
    // Sum of the advances of the line's last run, for `push_merged`.
    let mut advance = 0i64;
    #[allow(clippy::needless_range_loop)]
    // `i` is compared with `end` and indexes two lists
    for i in first..=last {
        match (&items[i], &prepared.pieces[i]) {
            (Item::Box { width }, piece) => {
                if let Piece::Glyphs { run, from, to, size, raise, note, link } = piece {
                    let mut set =
                        text_run(run, *from, *to, *size, x, *raise, link.as_ref());
                    set.stretch = adjust.stretch;
                    if adjust.track != 0.0 {
                        track(&mut set, adjust.track / adjust.stretch);
                    }
                    line.text.push_str(&set.text);
                    push_merged(&mut line.runs, set, &mut advance, run.units_per_em);
                    if let Some(n) = note {
                        line.notes.push(*n);
                    }
                }
                x += width * (adjust.stretch + adjust.track);
            }
            (Item::Glue { width, stretch, shrink }, _) if i < end => {
                let ratio = adjust.glue;
                let mut adjust = if ratio > 0.0 {
                    if stretch.is_finite() { ratio * stretch } else { 0.0 }
                } else {
                    ratio * shrink
                };
                if stretch.is_finite() {
                    adjust += lead_per_stretch * stretch;
                }
                x += width + adjust;
                if *width > 0.0 && !line.text.ends_with(' ') {
                    line.text.push(' ');
                }
            }
            (Item::Penalty { width, .. }, Piece::Hyphen { run, size }) if i == end => {
                let hyphen = text_run(run, 0, run.glyphs.len(), *size, x, 0.0, None);
                push_merged(&mut line.runs, hyphen, &mut advance, run.units_per_em);
                line.text.push('-');
                line.hyphenated = true;
                x += width;
            }
            (Item::Penalty { width, flagged, cost }, _)
                if i == end && *cost < INFINITY =>
            {
                // A break after a hyphen already in the text is flagged; a negative width
                // is how far the line's last mark hangs into the margin.
                line.hyphenated |= *flagged;
                x += width;
            }
            _ => {}
        }
    }
    line.width = Pt(x);
    let trimmed = line.text.trim_end().len();
    line.text.truncate(trimmed);
    // A book keeps every line until its PDF is written: give back what the merging of
    // word runs over-reserved (up to half of each buffer).
    for run in &mut line.runs {
        run.glyphs.shrink_to_fit();
        run.text.shrink_to_fit();
    }
    line.runs.shrink_to_fit();
    line.text.shrink_to_fit();
    line
}

/// Appends `next` to the line's runs, joining it to the previous run when both are in
/// the same face, size and baseline: the space between them is added to the last
/// glyph's advance. A line then holds a run or two instead of one per word, which keeps
/// a long book's memory small; the PDF shows exactly the same positions.
///
/// `advance` carries the sum of the last run's advances from call to call, so that a line
/// of many pieces (a long word broken anywhere) is joined in linear time.
fn push_merged(
    runs: &mut Vec<TextRun>,
    next: TextRun,
    advance: &mut i64,
    units_per_em: u16,
) {
    let next_advance: i64 = next.glyphs.iter().map(|g| i64::from(g.advance)).sum();
    if let Some(prev) = runs.last_mut()
        && prev.font == next.font
        && prev.size == next.size
        && prev.y == next.y
        && prev.link == next.link
        && prev.stretch == next.stretch
        && !prev.glyphs.is_empty()
    {
        let upem = f64::from(units_per_em);
        // Exact: a sum of integer advances is exact in an f64 as it is in an i64. The
        // advances are scaled with the glyphs, so the gap is measured in scaled units.
        let em = prev.size.0 * prev.stretch / upem;
        let prev_width = *advance as f64 * em;
        let gap = next.x.0 - (prev.x.0 + prev_width);
        if let Some(last) = prev.glyphs.last_mut() {
            let extra = (gap / em).round() as i32;
            last.advance += extra;
            *advance += i64::from(extra);
        }
        let offset = prev.text.len() as u32;
        prev.text.push_str(&next.text);
        prev.glyphs.extend(next.glyphs.into_iter().map(|mut g| {
            g.text = (g.text.0 + offset, g.text.1 + offset);
            g
        }));
        *advance += next_advance;
        return;
    }
    *advance = next_advance;
    runs.push(next);
}

/// A text run for glyphs `from..to` of a shaped run, with ToUnicode ranges per cluster.
fn text_run(
    run: &crate::text::shape::Shaped,
    from: usize,
    to: usize,
    size: f64,
    x: f64,
    raise: f64,
    link: Option<&std::sync::Arc<str>>,
) -> TextRun {
    let glyphs = &run.glyphs[from..to];
    let text_start = glyphs.first().map_or(0, |g| g.cluster as usize);
    let text_end = run.glyphs.get(to).map_or(run.text.len(), |g| g.cluster as usize);
    let text = run.text.get(text_start..text_end).unwrap_or("").to_string();
    let mut out = Vec::with_capacity(glyphs.len());
    for (k, g) in glyphs.iter().enumerate() {
        let starts_cluster = k == 0 || glyphs[k - 1].cluster != g.cluster;
        let range = if starts_cluster {
            let begin = g.cluster as usize - text_start;
            let next = glyphs[k..]
                .iter()
                .find(|n| n.cluster != g.cluster)
                .map_or(text.len(), |n| n.cluster as usize - text_start);
            (begin as u32, next.max(begin) as u32)
        } else {
            let at = (g.cluster as usize - text_start) as u32;
            (at, at)
        };
        out.push(Glyph { id: g.id, advance: g.advance, text: range });
    }
    TextRun {
        stretch: 1.0,
        x: Pt(x),
        y: Pt(-raise),
        font: run.font,
        size: Pt(size),
        glyphs: out,
        text,
        link: link.cloned(),
    }
}

/// First-fit breaking at natural widths, for ragged and centred lines.
pub fn break_ragged(items: &[Item], measure: f64) -> Breaking {
    let mut breaks = Vec::new();
    let mut overfull = Vec::new();
    let mut width = 0.0;
    let mut candidate: Option<(usize, f64)> = None; // (index, width at that break)
    let mut line_start = 0;
    let mut i = 0;
    while i < items.len() {
        let legal = match items[i] {
            Item::Glue { .. } => {
                i > line_start && matches!(items[i - 1], Item::Box { .. })
            }
            Item::Penalty { cost, .. } => cost < INFINITY,
            Item::Box { .. } => false,
        };
        if let Item::Penalty { cost, .. } = items[i]
            && cost <= -INFINITY
        {
            breaks.push(super::linebreak::Break { index: i, ratio: 0.0, flagged: false });
            width = 0.0;
            candidate = None;
            line_start = i + 1;
            i += 1;
            continue;
        }
        let extra = match items[i] {
            Item::Penalty { width: w, .. } => w,
            _ => 0.0,
        };
        if legal && width + extra <= measure {
            candidate = Some((i, width));
        }
        if let Item::Box { width: w } | Item::Glue { width: w, .. } = items[i] {
            width += w;
        }
        if width > measure {
            if let Some((c, _)) = candidate.take() {
                breaks.push(super::linebreak::Break {
                    index: c,
                    ratio: 0.0,
                    flagged: false,
                });
                // Restart after the break, skipping discardable items.
                i = c + 1;
                while i < items.len() && !matches!(items[i], Item::Box { .. }) {
                    if matches!(items[i], Item::Penalty { cost, .. } if cost <= -INFINITY)
                    {
                        break;
                    }
                    i += 1;
                }
                line_start = i;
                width = 0.0;
                continue;
            } else if overfull.last() != Some(&breaks.len()) {
                overfull.push(breaks.len());
            }
        }
        i += 1;
    }
    Breaking {
        breaks,
        pass: Pass::NoHyphenation,
        total_demerits: 0.0,
        overfull_lines: overfull,
        expansion: 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::Adjustment;

    #[test]
    fn glyphs_follow_the_ratio_up_to_the_expansion_and_spaces_take_the_rest() {
        // Without expansion the glyphs keep their width.
        assert_eq!(
            Adjustment::split(0.7, 0.0, 0.0, 300.0, 20.0),
            Adjustment { stretch: 1.0, track: 0.0, glue: 0.7 }
        );
        // Within ±1 glyphs and glue share the ratio.
        let a = Adjustment::split(-0.5, 0.02, 0.02, 300.0, 20.0);
        assert!((a.stretch - 0.99).abs() < 1e-12 && a.glue == -0.5 && a.track == 0.0);
        // Past 1 the glyphs stop at 2 %, and the 0.5 · 2 % of 300 = 3 points they
        // would have taken go to the 20 points of glue stretch (0.15 more ratio).
        let b = Adjustment::split(1.5, 0.02, 0.02, 300.0, 20.0);
        assert!((b.stretch - 1.02).abs() < 1e-12 && b.track == 0.0);
        assert!((b.glue - 1.65).abs() < 1e-12, "{b:?}");
    }

    #[test]
    fn flex_beyond_the_glyph_limit_goes_between_the_letters() {
        // A rescued line: 6 % of flex, of which the glyphs may take 2.5 %. At ratio
        // −0.8 it needs 4.8 %: 2.5 % narrower glyphs, 2.3 % tighter letter spacing.
        let a = Adjustment::split(-0.8, 0.06, 0.025, 300.0, 20.0);
        assert!((a.stretch - 0.975).abs() < 1e-12, "{a:?}");
        assert!((a.track + 0.023).abs() < 1e-12 && a.glue == -0.8, "{a:?}");
        // A small ratio stays in the glyphs.
        let b = Adjustment::split(0.3, 0.06, 0.025, 300.0, 20.0);
        assert!((b.stretch - 1.018).abs() < 1e-12 && b.track == 0.0, "{b:?}");
        // Past ratio 1 both are at their limits and the spaces take the rest.
        let c = Adjustment::split(1.1, 0.06, 0.025, 300.0, 20.0);
        assert!((c.stretch - 1.025).abs() < 1e-12 && (c.track - 0.035).abs() < 1e-12);
        assert!((c.glue - (1.1 + 0.1 * 0.06 * 300.0 / 20.0)).abs() < 1e-12, "{c:?}");
    }
}
