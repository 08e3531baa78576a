//! Tables: column widths fitted to the measure, wrapping cells, rules under the header
//! and the last row, rows kept whole.

use super::{Flow, FlowItem, FlowLine, Frame, LineKind, Underrule, push_gap};
use crate::layout::items::{Alignment, ParagraphStyle};
use crate::layout::line::Line;
use crate::layout::units::Pt;
use crate::model::{Align, Inline};
use crate::text::font::Features;
use std::path::Path;

/// A table's rules sit this many leadings below a row's baseline: clear of its
/// descenders and of the next row's capitals.
const TABLE_RULE_DROP: f64 = 0.3;

impl<'a, 'f> Flow<'a, 'f> {
    /// Sets a table: each column as wide as its widest cell when the table fits the
    /// measure (the table then centred), otherwise narrowed in proportion to what its
    /// cells need (their text then wraps, ragged); columns an em apart; the header in
    /// bold over a rule, and a rule under the last row; a blank line above and below. A row never splits across pages, and the header stays with the
    /// first row.
    pub(super) fn table(
        &mut self,
        align: &[Align],
        header: &[Vec<Inline>],
        rows: &[Vec<Vec<Inline>>],
        frame: Frame,
        items: &mut Vec<FlowItem>,
        (line, source): (usize, &Path),
    ) {
        let columns = rows.iter().map(Vec::len).chain([header.len()]).max().unwrap_or(0);
        if columns == 0 {
            return;
        }
        // Lining figures: a column of numbers reads (and aligns) better without old-style
        // figures' ascenders and descenders.
        let cell_style = |flow: &Self, bold: bool, alignment: Alignment| ParagraphStyle {
            bold,
            hyphenate: false,
            features: Features::Lining,
            ..flow.text_style(alignment, false)
        };
        let table_rows: Vec<(bool, &[Vec<Inline>])> = std::iter::once((true, header))
            .chain(rows.iter().map(|r| (false, r.as_slice())))
            .collect();
        // Natural widths: each cell set on one unbounded line.
        let unbounded = Frame { left: Pt(0.0), measure: Pt(1.0e6), ..frame };
        let mut natural = vec![0.0_f64; columns];
        // A pipe table is a row per line: the header, the delimiter row, then the body.
        let row_line = |r: usize| if r == 0 { line } else { line + 1 + r };
        for (r, &(bold, row)) in table_rows.iter().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let style = cell_style(self, bold, Alignment::Left);
                let lines = self.set(cell, &style, unbounded, source, row_line(r));
                let width = lines.iter().map(|l| l.width.0).fold(0.0, f64::max);
                natural[c] = natural[c].max(width);
            }
        }
        let gap = self.style.size.0;
        let available =
            (frame.measure.0 - gap * (columns - 1) as f64).max(columns as f64);
        let widths = fit_columns(&natural, available);
        let mut lefts = Vec::with_capacity(columns);
        let mut x = 0.0;
        for w in &widths {
            lefts.push(x);
            x += w + gap;
        }
        let table_width = x - gap;
        // A table narrower than the measure is centred on it.
        let inset = Pt(((frame.measure.0 - table_width) / 2.0).max(0.0));
        let rule = Underrule {
            x1: frame.left + inset,
            x2: frame.left + inset + Pt(table_width),
            drop: self.style.leading * TABLE_RULE_DROP,
        };
        push_gap(items);
        let last_row = table_rows.len() - 1;
        for (r, &(bold, row)) in table_rows.iter().enumerate() {
            let mut cells: Vec<Vec<Line>> = Vec::with_capacity(columns);
            for c in 0..columns {
                let Some(cell) = row.get(c) else {
                    cells.push(Vec::new());
                    continue;
                };
                let column_align = align.get(c).copied().unwrap_or(Align::None);
                let alignment = if column_align == Align::Center {
                    Alignment::Center
                } else {
                    Alignment::Left
                };
                let style = cell_style(self, bold, alignment);
                let at = Frame {
                    left: frame.left + inset + Pt(lefts[c]),
                    measure: Pt(widths[c]),
                    ..frame
                };
                let mut unit = self.at.clone();
                unit.extend([super::index_u32(r), super::index_u32(c)]);
                self.unit = Some(unit);
                let mut lines = self.set(cell, &style, at, source, row_line(r));
                self.unit = None;
                if column_align == Align::Right {
                    for line in &mut lines {
                        let shift = Pt(widths[c]) - line.width;
                        for run in &mut line.runs {
                            run.x += shift;
                        }
                    }
                }
                cells.push(lines);
            }
            let height = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
            for k in 0..height {
                let mut line = FlowLine {
                    runs: Vec::new(),
                    rules: Vec::new(),
                    slots: 1,
                    // A row stays whole.
                    break_after: k + 1 == height && row_may_break_after(r, last_row),
                    kind: LineKind::Body,
                    par: None,
                    ratio: 0.0,
                    hyphenated: false,
                    overfull: false,
                    text: String::new(),
                    notes: Vec::new(),
                    link: None,
                    anchor: None,
                    tint: None,
                    source: None,
                    at_line: 0,
                };
                for cell in &mut cells {
                    let Some(part) = cell.get_mut(k) else { continue };
                    if line.source.is_none() && !part.text.is_empty() {
                        line.source = part.source.take();
                    }
                    line.at_line = line.at_line.max(part.at_line);
                    if !line.text.is_empty() && !part.text.is_empty() {
                        line.text.push_str(" | ");
                    }
                    line.text.push_str(&part.text);
                    line.runs.append(&mut part.runs);
                    line.notes.append(&mut part.notes);
                    line.overfull |= part.overfull;
                }
                if k + 1 == height && (r == 0 || r == last_row) {
                    line.rules.push(rule);
                }
                items.push(FlowItem::Line(line));
            }
        }
        push_gap(items);
    }
}

/// Column widths for a table whose columns would naturally be `natural` wide, within
/// `available` points: the natural widths when they fit; otherwise every column keeps
/// what it needs up to an equal share, and the room left is shared among the wider
/// columns in proportion to what they still want.
fn fit_columns(natural: &[f64], available: f64) -> Vec<f64> {
    let total: f64 = natural.iter().sum();
    if total <= available || natural.is_empty() {
        return natural.to_vec();
    }
    let share = available / natural.len() as f64;
    let mut widths: Vec<f64> = natural.iter().map(|&n| n.min(share)).collect();
    let left = available - widths.iter().sum::<f64>();
    let wanting: f64 = natural.iter().zip(&widths).map(|(n, w)| n - w).sum();
    if wanting > 0.0 {
        for (w, n) in widths.iter_mut().zip(natural) {
            *w += left * (n - *w) / wanting;
        }
    }
    widths
}

/// Whether a page may break after row `r` (0 is the header) of a table whose last row is
/// `last_row`: after the table, or where the header and at least two rows stay before the
/// break and two rows follow it, so no row is left alone and a table of under five rows
/// stays whole.
fn row_may_break_after(r: usize, last_row: usize) -> bool {
    r == last_row || (r >= 2 && r + 2 <= last_row)
}

#[cfg(test)]
mod tests {
    #[test]
    fn rows_are_never_left_alone_at_a_page_break() {
        let breaks = |last: usize| -> Vec<usize> {
            (0..=last).filter(|&r| super::row_may_break_after(r, last)).collect()
        };
        assert_eq!(breaks(3), [3], "header and three rows stay whole");
        assert_eq!(breaks(4), [2, 4]);
        assert_eq!(breaks(6), [2, 3, 4, 6]);
    }

    use super::fit_columns;

    #[test]
    fn columns_keep_their_natural_widths_when_they_fit() {
        assert_eq!(fit_columns(&[50.0, 80.0, 20.0], 200.0), vec![50.0, 80.0, 20.0]);
        assert!(fit_columns(&[], 100.0).is_empty());
    }

    #[test]
    fn too_wide_columns_share_the_room_by_what_they_need() {
        let natural = [60.0, 400.0, 250.0];
        let widths = fit_columns(&natural, 300.0);
        let total: f64 = widths.iter().sum();
        assert!((total - 300.0).abs() < 1e-9, "{widths:?}");
        // A column narrower than an equal share keeps its natural width.
        assert_eq!(widths[0], 60.0);
        // The wider columns are narrowed, the one that wanted more keeps more.
        assert!(widths[1] < 400.0 && widths[2] < 250.0 && widths[1] > widths[2]);
        for (w, n) in widths.iter().zip(natural) {
            assert!(*w <= n + 1e-9);
        }
    }
}
