//! Code blocks: set line by line in the monospace face, whitespace kept, never justified
//! or hyphenated. A line too long for the measure wraps, and each continuation starts
//! with a small `↪` at the line's indentation. A light grey tint the width of the measure
//! sets the block apart (the text inset from its edges); a block of a few lines is kept
//! on one page.

use super::{Flow, FlowItem, FlowLine, Frame, LineKind, ParPos, Tint, push_gap};
use super::{display_line, may_break_after};
use crate::layout::page::TextRun;
use crate::layout::units::Pt;
use crate::text::font::{Features, FontId};

/// Characters the measure should hold: the type size is chosen for this many (and is
/// never larger than the text's).
const COLUMNS: f64 = 66.0;
/// A block of at most this many lines never breaks across pages.
const KEEP_LINES: usize = 6;
/// Tab stops every this many columns.
const TAB: usize = 4;
/// The continuation mark, its size relative to the code, and the columns it takes.
const MARK: &str = "\u{21AA}";
/// See [`MARK`].
const MARK_SCALE: f64 = 0.9;
/// See [`MARK`].
const MARK_COLUMNS: usize = 2;
/// The tint behind the block reaches this many leadings above its first baseline (on
/// each page), and [`TINT_BELOW`] under its last: a little more than the code's
/// ascenders and descenders, and as much clear space above them as below.
const TINT_ABOVE: f64 = 0.68;
/// See [`TINT_ABOVE`].
const TINT_BELOW: f64 = 0.38;
/// The code text keeps this many ems of the body text clear of the tint's left and
/// right edges.
const INSET: f64 = 0.5;

/// One output line of a code block: where its text starts (in columns), the text, and
/// whether it continues the line before it.
struct Piece {
    column: usize,
    text: String,
    continued: bool,
    /// Words of its source line that begin before it (`crate::pages` counting).
    words_before: usize,
}

impl<'a, 'f> Flow<'a, 'f> {
    /// The monospace size for a measure, the advance of one character at that size, and
    /// how many characters a line holds.
    pub(super) fn code_metrics(&mut self, measure: Pt) -> (f64, f64, usize) {
        let space = self.shaper.shape(" ", FontId::MONO, Features::Lining);
        let em = space
            .first()
            .map_or(0.6, |s| f64::from(s.width) / f64::from(s.units_per_em))
            .max(0.1);
        let size = (measure.0 / (COLUMNS * em)).min(self.style.size.0).max(1.0);
        let advance = em * size;
        let columns = ((measure.0 / advance) + 1e-6).floor().max(1.0) as usize;
        (size, advance, columns)
    }

    /// Sets a code block at `frame`.
    pub(super) fn code_block(
        &mut self,
        text: &str,
        first_line: usize,
        frame: Frame,
        items: &mut Vec<FlowItem>,
        unit: crate::pages::TextPath,
    ) {
        // The text is set inside the tint, clear of its edges by the inset.
        let inset = self.style.size * INSET;
        let (size, advance, columns) = self.code_metrics(frame.measure - inset * 2.0);
        let fonts = self.shaper.fonts();
        let mono = fonts.face(FontId::MONO);
        let mut pieces: Vec<Piece> = Vec::new();
        // Words of the block before each piece: a page that begins with a piece begins
        // at the first word that starts on it.
        let mut first_words: Vec<usize> = Vec::new();
        // The source line each piece comes from (0 when the block's is unknown).
        let mut source_lines: Vec<u32> = Vec::new();
        let mut counter = crate::pages::WordCounter::default();
        for (n, line) in text.lines().enumerate() {
            let before = counter.words;
            counter.feed(line, |_, _| {});
            counter.gap();
            // Columns a character takes: one, unless it comes from another face (a rare
            // letter the monospace face lacks), which may be wider.
            let shaper = &mut self.shaper;
            let mut width = |c: char| {
                if c == ' ' || mono.covers(c) {
                    return 1;
                }
                let mut buf = [0u8; 4];
                let w: f64 = shaper
                    .shape(c.encode_utf8(&mut buf), FontId::MONO, Features::Lining)
                    .iter()
                    .map(|r| r.width_at(size))
                    .sum();
                ((w / advance) - 1e-6).ceil().max(1.0) as usize
            };
            let wrapped = wrap(&expand_tabs(line), columns, &mut width);
            first_words.extend(wrapped.iter().map(|p| before + p.words_before));
            let at = if first_line == 0 { 0 } else { first_line + n };
            let at = u32::try_from(at).unwrap_or(u32::MAX);
            source_lines.extend(wrapped.iter().map(|_| at));
            pieces.extend(wrapped);
        }
        if pieces.is_empty() {
            return;
        }
        push_gap(items);
        let id = self.next_par;
        self.next_par += 1;
        let count = pieces.len();
        let left = frame.left + inset;
        for (i, piece) in pieces.into_iter().enumerate() {
            let mut runs: Vec<TextRun> = Vec::new();
            let x = left + Pt(advance * piece.column as f64);
            if piece.continued {
                let (mark, _) = display_line(
                    &mut self.shaper,
                    MARK,
                    FontId::MONO,
                    size * MARK_SCALE,
                    Features::Lining,
                );
                for mut run in mark {
                    run.x += x - Pt(advance * MARK_COLUMNS as f64);
                    runs.push(run);
                }
            }
            if !piece.text.is_empty() {
                let (set, _) = display_line(
                    &mut self.shaper,
                    &piece.text,
                    FontId::MONO,
                    size,
                    Features::Lining,
                );
                for mut run in set {
                    run.x += x;
                    runs.push(run);
                }
            }
            let index = i + 1;
            let line_text = if piece.continued {
                format!("{MARK} {}", piece.text)
            } else {
                format!("{}{}", " ".repeat(piece.column), piece.text)
            };
            items.push(FlowItem::Line(FlowLine {
                runs,
                rules: Vec::new(),
                slots: 1,
                break_after: if count <= KEEP_LINES {
                    index == count
                } else {
                    may_break_after(index, count)
                },
                kind: LineKind::Body,
                par: Some(ParPos { id, index, count }),
                ratio: 0.0,
                hyphenated: false,
                overfull: false,
                text: line_text,
                notes: Vec::new(),
                link: None,
                anchor: None,
                tint: Some(Tint {
                    x1: frame.left,
                    x2: frame.left + frame.measure,
                    above: self.style.leading * TINT_ABOVE,
                    below: self.style.leading * TINT_BELOW,
                }),
                source: Some(crate::pages::TextPos {
                    path: unit.clone(),
                    word: first_words.get(i).copied().unwrap_or(0),
                }),
                at_line: source_lines.get(i).copied().unwrap_or(0),
            }));
        }
        push_gap(items);
    }
}

/// Tabs to spaces, to the next stop every [`TAB`] columns.
pub(super) fn expand_tabs(line: &str) -> String {
    if !line.contains('\t') {
        return line.trim_end().to_string();
    }
    let mut out = String::with_capacity(line.len() + 8);
    let mut column = 0;
    for c in line.chars() {
        if c == '\t' {
            let n = TAB - column % TAB;
            out.extend(std::iter::repeat_n(' ', n));
            column += n;
        } else {
            out.push(c);
            column += 1;
        }
    }
    out.truncate(out.trim_end().len());
    out
}

/// Splits one source line into output lines of at most `columns` columns, `width`
/// giving the columns of a character. The first keeps its indentation (as a column, its
/// text without the leading spaces); each continuation starts [`MARK_COLUMNS`] further in,
/// after the mark, and breaks after a space where one falls in the second half of the
/// room, else at the margin.
fn wrap(line: &str, columns: usize, width: &mut impl FnMut(char) -> usize) -> Vec<Piece> {
    let body = line.trim_start_matches(' ');
    // A very deep indentation still leaves room for half a line of text.
    let indent = (line.len() - body.len()).min(columns / 2);
    let chars: Vec<(char, usize)> = body.chars().map(|c| (c, width(c))).collect();
    let mut out = Vec::new();
    let mut start = 0;
    let mut continued = false;
    // Word starts among `chars[..counted]`, counted as `start` moves on.
    let (mut counted, mut words) = (0, 0);
    while start < chars.len() || out.is_empty() {
        while counted < start {
            let begins =
                chars[counted].0 != ' ' && (counted == 0 || chars[counted - 1].0 == ' ');
            words += usize::from(begins);
            counted += 1;
        }
        let column = if continued { indent + MARK_COLUMNS } else { indent };
        let room = columns.saturating_sub(column).max(1);
        // The most characters from `start` that fit the room (at least one).
        let mut end = start;
        let mut used = 0;
        while end < chars.len() && (end == start || used + chars[end].1 <= room) {
            used += chars[end].1;
            end += 1;
        }
        if end < chars.len() {
            // Break after the last space in the second half of the piece, if any.
            let half = start + (end - start) / 2;
            if let Some(k) = (half..end - 1)
                .rev()
                .find(|&k| chars[k].0 == ' ' && chars[k + 1].0 != ' ')
            {
                end = k + 1;
            }
        }
        let text: String = chars[start..end].iter().map(|(c, _)| *c).collect();
        out.push(Piece {
            column,
            text: text.trim_end().to_string(),
            continued,
            words_before: words,
        });
        start = end;
        while start < chars.len() && chars[start].0 == ' ' {
            start += 1;
        }
        continued = true;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{expand_tabs, wrap};

    #[test]
    fn tabs_expand_to_stops_of_four() {
        assert_eq!(expand_tabs("\tx"), "    x");
        assert_eq!(expand_tabs("ab\tc"), "ab  c");
        assert_eq!(expand_tabs("x  \t"), "x");
    }

    #[test]
    fn long_lines_wrap_with_continuations() {
        let line = format!("    {}", "word ".repeat(30));
        let pieces = wrap(line.trim_end(), 40, &mut |_| 1);
        assert!(pieces.len() > 3);
        assert_eq!(pieces[0].column, 4);
        assert!(!pieces[0].continued);
        for p in &pieces[1..] {
            assert!(p.continued);
            assert_eq!(p.column, 6);
            assert!(p.text.chars().count() + p.column <= 40, "{}", p.text);
        }
        let joined: Vec<&str> = pieces.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(joined.join(" "), "word ".repeat(30).trim_end());
        // No space to break at: cut at the margin.
        let pieces = wrap(&"x".repeat(100), 40, &mut |_| 1);
        assert_eq!(pieces[0].text.len(), 40);
        assert_eq!(pieces[1].text.len(), 38);
        // Wide characters take their columns.
        let pieces = wrap(&"w".repeat(30), 40, &mut |_| 2);
        assert_eq!(pieces[0].text.len(), 20);
        assert_eq!(pieces[1].text.len(), 10);
        // An empty line is one empty piece.
        assert_eq!(wrap("", 40, &mut |_| 1).len(), 1);
        // Each piece knows how many words began before it: a piece that starts inside
        // a word counts that word as begun.
        let pieces = wrap("ab cd efghijklmnop qr", 8, &mut |_| 1);
        let texts: Vec<&str> = pieces.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["ab cd", "efghij", "klmnop", "qr"]);
        let before: Vec<usize> = pieces.iter().map(|p| p.words_before).collect();
        assert_eq!(before, [0, 2, 3, 3]);
    }
}
