//! The light grey bands behind code blocks. Each code line carries its [`Tint`]; here the
//! tinted lines placed one under the other on a page are joined into one band, reaching
//! the tint's `above` over the first baseline and `below` under the last. A block broken
//! across pages so gets a whole band on each page, and two blocks one after the other
//! (a gap between them) get one each. The bands are drawn before the page's text, so the
//! text lies on them.

use crate::layout::flow::Tint;
use crate::layout::page::Rect;
use crate::layout::paginate::Placed;
use crate::layout::units::Pt;

/// The grey of the band: light enough for any printer to keep the text black on it.
pub(super) const TINT_GRAY: f64 = 0.94;

/// The bands of one page body, in text-block coordinates (x from its left edge, y from
/// the page's top as `baseline` gives it for a grid slot).
pub(super) fn bands(placed: &[Placed], baseline: impl Fn(usize) -> Pt) -> Vec<Rect> {
    // The band being gathered: its tint, top, bottom, and the slot right below it.
    let mut open: Option<(Tint, Pt, Pt, usize)> = None;
    let mut out = Vec::new();
    let close = |open: &mut Option<(Tint, Pt, Pt, usize)>, out: &mut Vec<Rect>| {
        if let Some((tint, top, bottom, _)) = open.take() {
            out.push(Rect {
                x: tint.x1,
                y: top,
                width: tint.x2 - tint.x1,
                height: bottom - top,
            });
        }
    };
    for item in placed {
        let Placed::Line { slot, line } = item else {
            close(&mut open, &mut out);
            continue;
        };
        let Some(tint) = line.tint else {
            close(&mut open, &mut out);
            continue;
        };
        let slots = line.slots.max(1);
        let y = baseline(slot + slots - 1);
        match &mut open {
            Some((t, _, bottom, next))
                if *next == *slot && t.x1 == tint.x1 && t.x2 == tint.x2 =>
            {
                *bottom = y + tint.below;
                *next = slot + slots;
            }
            _ => {
                close(&mut open, &mut out);
                open = Some((tint, y - tint.above, y + tint.below, slot + slots));
            }
        }
    }
    close(&mut open, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::flow::{FlowLine, LineKind, flow_line};
    use crate::layout::line::Line;

    fn line(tint: Option<Tint>) -> FlowLine {
        FlowLine { tint, ..flow_line(Line::default(), LineKind::Body, 1) }
    }

    #[test]
    fn adjacent_tinted_lines_share_a_band_and_a_gap_splits_it() {
        let t = Tint { x1: Pt(0.0), x2: Pt(300.0), above: Pt(9.0), below: Pt(5.0) };
        let placed: Vec<Placed> = [(0, None), (1, Some(t)), (2, Some(t)), (3, Some(t))]
            .into_iter()
            .chain([(5, Some(t)), (6, Some(t))])
            .map(|(slot, tint)| Placed::Line { slot, line: line(tint) })
            .collect();
        let bands = bands(&placed, |slot| Pt(100.0 + 12.0 * slot as f64));
        assert_eq!(
            bands,
            [
                Rect { x: Pt(0.0), y: Pt(103.0), width: Pt(300.0), height: Pt(38.0) },
                Rect { x: Pt(0.0), y: Pt(151.0), width: Pt(300.0), height: Pt(26.0) },
            ]
        );
    }
}
