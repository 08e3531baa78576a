//! One word → its boxes and in-word penalties: where the word may break (UAX #14
//! opportunities, hyphenation points) and, for a word that no line can hold, anywhere at
//! all as a last resort.
//!
//! Every step is linear in the word's length, however long it is, so that a megabyte
//! without a space (a line of code, a run of brackets, a URL) costs about what a megabyte
//! of prose does instead of hanging the build.

use super::{
    Atom, EMERGENCY_BREAK_PENALTY, EXPLICIT_HYPHEN_PENALTY, ItemBuilder,
    OTHER_BREAK_PENALTY, Piece, right_hang,
};
use crate::layout::linebreak::Item;
use crate::text::font::Features;
use crate::text::hyphenate::Hyphenator;
use crate::text::shape::{Shaped, Shaper};
use std::ops::Range;
use std::sync::Arc;

/// One shaped run of a word with the places it may break.
pub(super) struct Part {
    /// Index of the atom the run was shaped from.
    atom: usize,
    /// The glyphs.
    run: Arc<Shaped>,
    /// (byte offset, kind) of each opportunity, rising, none inside a ligature.
    breaks: Vec<(usize, BreakKind)>,
}

/// Why a word may break at some place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BreakKind {
    /// A discretionary hyphen from the patterns.
    Hyphen,
    /// After a hyphen or en dash already in the text.
    Explicit,
    /// After an em dash, a slash or another UAX #14 opportunity.
    Other,
    /// Anywhere inside a word too wide for any line.
    Emergency,
    /// The end of the run: no penalty.
    End,
}

impl ItemBuilder<'_> {
    /// Emits the boxes and in-word penalties of one word, then clears `parts`.
    ///
    /// A word with a stretch wider than the measure (`emergency_width`) and no break
    /// without a hyphen in it may break anywhere, as a last resort: between any two
    /// clusters of a run and where one run meets the next, so that a word made of many
    /// short runs (`*a*b*c…`, or a face change every letter) breaks at the margin as a
    /// plain one does. Hyphenation points do not count as a way out, since the number of
    /// hyphens in a row is limited. A note mark stays with what precedes it.
    pub(super) fn word(
        &mut self,
        atoms: &[Atom<'_>],
        parts: &mut Vec<(usize, Range<usize>)>,
        shaper: &mut Shaper<'_>,
        hyphenator: &Hyphenator,
    ) {
        if parts.is_empty() {
            return;
        }
        let lead_in = self.words < self.style.small_caps_words;
        let is_note = parts.iter().all(|(a, _)| atoms[*a].note.is_some());
        if !is_note {
            self.words += 1;
        }
        // Shape the whole word and find its breaks first: whether it needs emergency
        // breaks depends on all of its runs together.
        let mut runs = std::mem::take(&mut self.runs);
        for (a, range) in parts.drain(..) {
            let atom = &atoms[a];
            let text = &atom.text[range];
            let features = if lead_in && atom.note.is_none() && !atom.code {
                Features::SmallCaps
            } else {
                atom.features
            };
            let hyphenate = self.style.hyphenate && atom.note.is_none() && !lead_in;
            for run in shaper.shape(text, atom.font, features) {
                let breaks = if atom.code {
                    code_breaks(&run)
                } else {
                    natural_breaks(&run, hyphenate, hyphenator)
                };
                runs.push(Part { atom: a, run, breaks });
            }
        }
        let emergency = self.style.emergency_width > 0.0
            && widest_stretch(&runs, atoms) > self.style.emergency_width;
        self.out.emergency |= emergency;
        for (k, part) in runs.drain(..).enumerate() {
            let atom = &atoms[part.atom];
            let breakable = emergency && atom.note.is_none();
            if breakable && k > 0 {
                self.push(
                    Item::Penalty {
                        width: 0.0,
                        cost: EMERGENCY_BREAK_PENALTY,
                        flagged: false,
                    },
                    Piece::Nothing,
                );
            }
            self.run(part, atom, breakable, shaper);
        }
        self.runs = runs;
    }

    /// Splits one shaped run at its breaks into boxes and penalties; with `emergency`,
    /// between any two of its clusters as well.
    fn run(
        &mut self,
        part: Part,
        atom: &Atom<'_>,
        emergency: bool,
        shaper: &mut Shaper<'_>,
    ) {
        let Part { run, mut breaks, .. } = part;
        if emergency {
            // No line can hold this word: allow a break between any two clusters, at a
            // cost high enough that the breaker takes one only where it must. A natural
            // break at the same place keeps its own kind (the sort is stable).
            let mut last = u32::MAX;
            for g in &run.glyphs {
                if g.cluster != last && g.cluster > 0 {
                    breaks.push((g.cluster as usize, BreakKind::Emergency));
                }
                last = g.cluster;
            }
            breaks.sort_by_key(|(o, _)| *o);
            breaks.dedup_by_key(|(o, _)| *o);
        }
        let scale = atom.size / f64::from(run.units_per_em);
        let mut from_glyph = 0;
        // The first glyph whose cluster starts at or after the last break looked up. The
        // breaks rise, so the first glyph at or after each one never lies before it.
        let mut cursor = 0;
        for (offset, kind) in breaks
            .iter()
            .copied()
            .chain(std::iter::once((run.text.len(), BreakKind::End)))
        {
            let to_glyph = if kind == BreakKind::End {
                run.glyphs.len()
            } else {
                while run
                    .glyphs
                    .get(cursor)
                    .is_some_and(|g| (g.cluster as usize) < offset)
                {
                    cursor += 1;
                }
                cursor
            };
            let width: i64 = run.glyphs[from_glyph..to_glyph]
                .iter()
                .map(|g| i64::from(g.advance))
                .sum();
            self.push(
                Item::Box { width: width as f64 * scale },
                Piece::Glyphs {
                    run: run.clone(),
                    from: from_glyph,
                    to: to_glyph,
                    size: atom.size,
                    raise: atom.raise,
                    note: atom.note,
                    link: atom.link.clone(),
                },
            );
            from_glyph = to_glyph;
            // A mark ending the line hangs into the margin: the break's width is less by
            // that much (negative for a dash or a hyphen already in the text).
            let hang = |run: &Shaped, to: usize| {
                if self.protrusion { right_hang(run, to, atom.size) } else { 0.0 }
            };
            match kind {
                BreakKind::Hyphen => {
                    let hyphen = shaper.shape("-", run.font, Features::Text).remove(0);
                    let width = hyphen.width_at(atom.size) - hang(&hyphen, 1);
                    self.push(
                        Item::Penalty { width, cost: self.hyphen_penalty, flagged: true },
                        Piece::Hyphen { run: hyphen, size: atom.size },
                    );
                }
                BreakKind::Explicit => self.push(
                    Item::Penalty {
                        width: -hang(&run, to_glyph),
                        cost: EXPLICIT_HYPHEN_PENALTY,
                        flagged: true,
                    },
                    Piece::Nothing,
                ),
                BreakKind::Other => self.push(
                    Item::Penalty {
                        width: -hang(&run, to_glyph),
                        cost: OTHER_BREAK_PENALTY,
                        flagged: false,
                    },
                    Piece::Nothing,
                ),
                BreakKind::Emergency => self.push(
                    Item::Penalty {
                        width: 0.0,
                        cost: EMERGENCY_BREAK_PENALTY,
                        flagged: false,
                    },
                    Piece::Nothing,
                ),
                BreakKind::End => {}
            }
        }
    }
}

/// The break opportunities inside a run: UAX #14's (after hyphens and dashes they are
/// flagged as hyphen breaks) and, with `hyphenate`, the hyphenation points; rising, and
/// none inside a ligature.
fn natural_breaks(
    run: &Shaped,
    hyphenate: bool,
    hyphenator: &Hyphenator,
) -> Vec<(usize, BreakKind)> {
    let mut breaks: Vec<(usize, BreakKind)> = Vec::new();
    for (offset, _) in unicode_linebreak::linebreaks(&run.text) {
        if offset >= run.text.len() {
            continue;
        }
        let before = run.text[..offset].chars().next_back();
        let kind = match before {
            Some('-' | '\u{2010}' | '\u{2013}') => BreakKind::Explicit,
            _ => BreakKind::Other,
        };
        breaks.push((offset, kind));
    }
    if hyphenate {
        for p in hyphenator.points(&run.text) {
            breaks.push((p, BreakKind::Hyphen));
        }
    }
    breaks.sort_by_key(|(o, _)| *o);
    breaks.dedup_by_key(|(o, _)| *o);
    if !breaks.is_empty() {
        keep_cluster_starts(run, &mut breaks);
    }
    breaks
}

/// The break opportunities inside a run of inline code: after a slash, a dot, a `::`
/// (not between its colons), an underscore, a hyphen, a comma or a semicolon, and only
/// where a letter or digit or an opening bracket follows, so that `a::b()` breaks only
/// after `::` and never before its `()`; never inside a number (`v0.1.0`, `1,024`) nor
/// after a run of punctuation (`__init__`). No hyphen is ever added.
fn code_breaks(run: &Shaped) -> Vec<(usize, BreakKind)> {
    let mut breaks = Vec::new();
    let mut chars = run.text.char_indices().peekable();
    let mut prev = ' ';
    while let Some((_, c)) = chars.next() {
        let Some(&(next_at, next)) = chars.peek() else { break };
        let after = matches!(c, '/' | '.' | '_' | '-' | ',' | ';' | ':' | '\\')
            && (prev.is_alphanumeric()
                || matches!(prev, ')' | ']' | '>')
                || prev == ':' && c == ':')
            && !(c == ':' && next == ':')
            && !(matches!(c, '.' | ',') && next.is_ascii_digit())
            && (next.is_alphanumeric() || matches!(next, '(' | '[' | '{' | '<'));
        if after {
            breaks.push((next_at, BreakKind::Other));
        }
        prev = c;
    }
    if !breaks.is_empty() {
        keep_cluster_starts(run, &mut breaks);
    }
    breaks
}

/// Drops the breaks (rising) that do not fall where a cluster starts, i.e. inside a
/// ligature. The breaks and the cluster starts are both in order, so one walk along the
/// two tests them all, where testing each break against every glyph would make a long
/// run quadratic.
fn keep_cluster_starts(run: &Shaped, breaks: &mut Vec<(usize, BreakKind)>) {
    // Left-to-right shaping gives clusters in order; a sorted copy is made only should
    // it not.
    let ordered = run.glyphs.windows(2).all(|w| w[0].cluster <= w[1].cluster);
    let mut sorted = Vec::new();
    if !ordered {
        sorted.extend(run.glyphs.iter().map(|g| g.cluster));
        sorted.sort_unstable();
    }
    let start = |k: usize| {
        if ordered {
            run.glyphs.get(k).map(|g| g.cluster)
        } else {
            sorted.get(k).copied()
        }
        .map(|c| c as usize)
    };
    let len = run.text.len();
    let mut next = 0;
    breaks.retain(|&(offset, _)| {
        while start(next).is_some_and(|c| c < offset) {
            next += 1;
        }
        offset > 0 && (offset == len || start(next) == Some(offset))
    });
}

/// Width in points of the widest stretch of a word between breaks that need no hyphen
/// (UAX #14 opportunities other than after a hyphen or dash). A word's runs join without
/// a break, so a stretch may span several of them.
fn widest_stretch(parts: &[Part], atoms: &[Atom<'_>]) -> f64 {
    let mut widest = 0.0f64;
    let mut stretch = 0.0;
    for part in parts {
        let glyphs = &part.run.glyphs;
        let scale = atoms[part.atom].size / f64::from(part.run.units_per_em);
        let mut glyph = 0;
        // Advance (font units) of this run's glyphs since the last break.
        let mut units = 0i64;
        for &(offset, kind) in &part.breaks {
            if kind != BreakKind::Other {
                continue;
            }
            while let Some(g) =
                glyphs.get(glyph).filter(|g| (g.cluster as usize) < offset)
            {
                units += i64::from(g.advance);
                glyph += 1;
            }
            stretch += units as f64 * scale;
            widest = widest.max(stretch);
            stretch = 0.0;
            units = 0;
        }
        units += glyphs[glyph.min(glyphs.len())..]
            .iter()
            .map(|g| i64::from(g.advance))
            .sum::<i64>();
        stretch += units as f64 * scale;
        widest = widest.max(stretch);
    }
    widest
}

#[cfg(test)]
mod tests {
    use super::code_breaks;
    use crate::text::font::{Features, FontId, FontSet};
    use crate::text::shape::Shaper;

    /// The pieces a run of inline code may be broken into.
    fn pieces(text: &str) -> Vec<String> {
        let fonts = FontSet::builtin();
        let mut shaper = Shaper::new(&fonts);
        let run = shaper.shape(text, FontId::MONO, Features::Lining).remove(0);
        let mut out = Vec::new();
        let mut from = 0;
        for (at, _) in code_breaks(&run) {
            out.push(text[from..at].to_string());
            from = at;
        }
        out.push(text[from..].to_string());
        out
    }

    #[test]
    fn inline_code_breaks_only_after_its_punctuation() {
        assert_eq!(
            pieces("hosting::add_to_waitlist()"),
            ["hosting::", "add_", "to_", "waitlist()"]
        );
        assert_eq!(pieces("v0.1.0"), ["v0.1.0"]);
        assert_eq!(
            pieces("src/front-of-house.rs"),
            ["src/", "front-", "of-", "house.", "rs"]
        );
        assert_eq!(pieces("__init__"), ["__init__"]);
        assert_eq!(pieces("Vec::<T>::new()"), ["Vec::", "<T>::", "new()"]);
        assert_eq!(pieces("--release"), ["--release"]);
    }
}
