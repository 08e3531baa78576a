//! Total-fit paragraph breaking after Knuth and Plass.
//!
//! A paragraph arrives as a list of items. A *box* is material of fixed width (a word, a
//! syllable, an indent). *Glue* is space with a natural width that may stretch or shrink;
//! it is a legal breakpoint when it directly follows a box. A *penalty* is a possible
//! breakpoint with a cost: an infinite cost forbids the break, a minus-infinite cost
//! forces it, and its width (a hyphen) is typeset only when the line ends there. Hyphen
//! breaks are "flagged".
//!
//! Each candidate line has an adjustment ratio r: the shortfall divided by the line's
//! total stretch, or by its total shrink when the line is too wide. Its badness is
//! 100·|r|³, capped at 10 000; r < −1 would squeeze glue past its limit and is never
//! feasible. A line costs (line_penalty + badness)² demerits, plus the square of a
//! positive break penalty or minus the square of a negative one, plus extra demerits for
//! two hyphenated lines in a row, for a hyphen ending the penultimate line, and for
//! neighbouring lines whose fitness classes (very loose r > 1, loose r > ½, decent, tight
//! r < −½) are more than one class apart. The breaking with the least total demerits over
//! the whole paragraph wins: "total fit".
//!
//! The search is a dynamic programme over *active nodes*, the breakpoints that could
//! still start the next line. The items are scanned once; every legal breakpoint is tried
//! as the end of a line from every active node, and the cheapest way to reach it is kept
//! for each combination of line-number class, fitness class and current run of hyphenated
//! lines (the state a later line's cost or legality depends on). A node retires as soon
//! as its line becomes overfull or a forced break passes, so the active list holds about
//! one line's worth of breakpoints. Running totals of width, stretch and shrink make each
//! trial O(1), giving O(n · active) time. Glue and penalties after a break vanish (TeX's
//! discard rule), so each node stores the totals at the first box of its line.
//!
//! As in TeX up to three passes are made: without hyphenation against `pretolerance`;
//! with every break against `tolerance`; and, if `emergency_stretch` > 0, with that much
//! extra stretch per line. If all fail, a last pass accepts any line that is not overfull
//! and forces the least overfull line where every route would die: it never gives up.
//! A paragraph whose result is not clean (a line past the tolerance, or its last line the
//! tail of a broken word) may be broken once more with more flex in its boxes and its
//! spaces held to ratio 1 ([`BreakParams::rescue_expansion`]).
//!
//! Sources: Donald E. Knuth and Michael F. Plass, "Breaking Paragraphs into Lines",
//! Software—Practice and Experience 11 (1981) 1119–1184; Donald E. Knuth, *The TeXbook*
//! (Addison-Wesley, 1984), chapter 14, and §813–890 of *TeX: The Program*.
//!
//! Input conventions (one width unit of the caller's choice, no NaN, the closing fil glue
//! and forced penalty) are spelled out on [`Item`].

use std::cell::Cell;
use std::collections::VecDeque;

/// TeX's "infinite" penalty: a cost of at least this forbids a break, one of at most
/// `-INFINITY` forces it. TeX's own value (`inf_penalty`), so TeX costs carry over.
pub const INFINITY: f64 = 10_000.0;

/// Stretch of "fil" glue, the infinitely stretchable space that ends a paragraph (TeX's
/// `\parfillskip`). Glue whose stretch is `f64::INFINITY` absorbs all of a line's
/// shortfall, so finite glue on that line stays at its natural width (ratio 0). A large
/// finite number such as `1e6` also works; it then simply counts as ordinary stretch.
pub const FIL: f64 = f64::INFINITY;

/// Largest badness, TeX's `inf_bad`. Lines at least this bad count as equally bad, which
/// keeps demerits finite for a line that has no stretch at all.
const INF_BAD: f64 = 10_000.0;

/// Relative slack in the "fits" test. Running sums over hundreds of thousands of items
/// lose a few ulps, and a line that fits exactly at full shrink must not be called
/// overfull for it. 1e-7 of the measure is far below anything visible on a page.
const FIT_EPSILON: f64 = 1e-7;

/// Fitness classes, numbered as in TeX so that "adjacent" means "differ by at most one".
const VERY_LOOSE: u8 = 0;
/// See [`VERY_LOOSE`].
const LOOSE: u8 = 1;
/// See [`VERY_LOOSE`]; also the class assumed for the line before the first.
const DECENT: u8 = 2;
/// See [`VERY_LOOSE`]; also the class given to a forced overfull line.
const TIGHT: u8 = 3;

/// Above this ratio a line is very loose (badness 100, TeX's boundary is badness 99).
const VERY_LOOSE_RATIO: f64 = 1.0;
/// Above this ratio a line is loose (badness 12.5, TeX's boundary is badness 12).
const LOOSE_RATIO: f64 = 0.5;
/// Below this ratio a shrunk line is tight (the mirror image of [`LOOSE_RATIO`]).
const TIGHT_RATIO: f64 = -0.5;

/// Longest paragraph (in items) for which `looseness` is honoured. Looseness needs exact
/// line numbers, so nodes can no longer be merged and the work grows with the square of
/// the length (measured: 30 ms at 10 000 items, minutes at 400 000). TeX users apply it
/// to ordinary paragraphs, to save a widow or a page; 10 000 items is some 2 000 words.
pub const LOOSENESS_ITEM_LIMIT: usize = 10_000;

/// "No predecessor" in the break-node arena (the start of the paragraph).
const NONE: usize = usize::MAX;

/// One element of a paragraph's item list (Knuth & Plass 1981).
///
/// Widths, stretch and shrink share one unit of the caller's choice (points, say), as do
/// the line widths and `emergency_stretch`. Values must not be NaN; so that nothing
/// panics, non-finite values (other than [`FIL`] stretch) and NaN costs are read as 0.
///
/// The list should end with `Glue { width: 0.0, stretch: FIL, shrink: 0.0 }` followed by
/// `Penalty { width: 0.0, cost: -INFINITY, flagged: false }`, so the last line is set at
/// its natural width. A list that does not end with a forced break gets one implied after
/// its last item.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Item {
    /// Unbreakable material of a fixed width (a word or part of a word, an indent).
    Box {
        /// Width of the material.
        width: f64,
    },
    /// Stretchable, shrinkable space; a legal break when it directly follows a box.
    ///
    /// (An optional break, glue or penalty, is also ignored when no box follows it before
    /// the next forced break: the line after it would be empty. So the fil glue at the
    /// end of a paragraph is never itself a break.)
    Glue {
        /// Natural width.
        width: f64,
        /// How much the glue may grow at ratio 1; [`FIL`] for infinite stretch.
        stretch: f64,
        /// How much the glue may shrink at ratio −1 (never more).
        shrink: f64,
    },
    /// A possible break with a cost. `cost >= INFINITY` forbids the break, `cost <=
    /// -INFINITY` forces it. `width` is added to the line when the break is taken here
    /// (e.g. a hyphen's width). `flagged` marks hyphen breaks (discretionary hyphens and
    /// explicit hyphens/dashes).
    ///
    /// A forced break inside a paragraph should be preceded by fil glue (TeX's
    /// `\hfil\break`), otherwise the short line before it is stretched like any other and
    /// may be infeasible.
    Penalty {
        /// Width typeset at the end of the line if the break is taken here (a hyphen).
        width: f64,
        /// Aesthetic cost of breaking here; see [`INFINITY`].
        cost: f64,
        /// True for hyphen breaks; they are skipped in the first pass and counted for the
        /// double-hyphen, final-hyphen and consecutive-hyphen rules.
        flagged: bool,
    },
}

/// Tunable costs (TeX defaults in Default impl with a comment each on why).
#[derive(Debug, Clone, PartialEq)]
pub struct BreakParams {
    /// Badness limit of the first pass, which does not break at flagged penalties.
    /// A negative value skips the first pass (as in TeX).
    pub pretolerance: f64,
    /// Badness limit of the second pass (all breaks) and of the emergency pass.
    pub tolerance: f64,
    /// Extra stretch (same unit as widths) added to every line in the third pass; 0
    /// disables that pass. The caller sets it, e.g. 1.5 em. It only steers the choice of
    /// breaks: the reported ratios refer to the real glue.
    pub emergency_stretch: f64,
    /// Font expansion (Zapf's hz, pdfTeX's `\pdfadjustspacing`): how far the glyphs of
    /// a line may widen or narrow, as a fraction of their width (0.02 is 2 %). It adds
    /// that share of the line's box width to both its stretch and its shrink, and the
    /// line's adjustment ratio then scales glyphs and spaces together, so a tight or
    /// loose line spreads its correction over every letter instead of only its spaces.
    /// 0 (TeX's default) sets glyphs at their natural width.
    pub expansion: f64,
    /// Flex, as a share of the box width like `expansion`, that a paragraph may use when
    /// no breaking at `expansion` is clean: every breaking ends it on the tail of a
    /// broken word or stretches a line past `tolerance` (see [`Breaking::clean`]). Such a
    /// paragraph is broken once more with this much flex and its thresholds capped at
    /// badness 100, and that breaking is kept only if it is clean with no line past ratio
    /// 1, so its spaces never open beyond their natural stretch. The caller sets what the
    /// flex is made of (quire: the glyphs up to `expansion`, letter spacing for the rest,
    /// as a compositor tracks a paragraph to pull a line back). 0 or a value not above
    /// `expansion` turns this off; so does `looseness`.
    pub rescue_expansion: f64,
    /// Demerits charged per line before squaring (TeX `\linepenalty`).
    pub line_penalty: f64,
    /// Extra demerits when two consecutive lines end in flagged breaks (TeX
    /// `\doublehyphendemerits`).
    pub double_hyphen_demerits: f64,
    /// Extra demerits when the penultimate line ends in a flagged break (TeX
    /// `\finalhyphendemerits`).
    pub final_hyphen_demerits: f64,
    /// Extra demerits when adjacent lines' fitness classes differ by more than one (TeX
    /// `\adjdemerits`).
    pub adjacent_demerits: f64,
    /// Hard limit on consecutive lines ending with a flagged break; 0 means unlimited.
    /// Forced breaks and forced overfull lines of the last-resort pass are exempt.
    pub max_consecutive_hyphens: usize,
    /// Desired change in the number of lines relative to the optimum (TeX `\looseness`):
    /// −1 asks for one line fewer, +1 for one more, as long as every line stays within
    /// tolerance. It needs exact line numbers, which costs time quadratic in the
    /// paragraph's length, so paragraphs of more than 10 000 items are set as with
    /// looseness 0; so is the last-resort pass.
    pub looseness: i32,
}

impl Default for BreakParams {
    fn default() -> Self {
        BreakParams {
            // Plain TeX: ratio ≤ 1 is acceptable without hyphenating, so most paragraphs
            // are set in the cheap first pass and no words are split needlessly.
            pretolerance: 100.0,
            // Plain TeX: with hyphenation allowed, lines may stretch to ratio ≈ 1.26.
            tolerance: 200.0,
            // Plain TeX: off. Emergency stretch spreads bad spacing over several lines,
            // a per-document choice that depends on the font size (1.5 em is typical).
            emergency_stretch: 0.0,
            // Plain TeX: glyphs keep their width.
            expansion: 0.0,
            // Plain TeX has no such rescue.
            rescue_expansion: 0.0,
            // Plain TeX: a small per-line charge, so that of two otherwise equal
            // breakings the one with fewer lines wins.
            line_penalty: 10.0,
            // Plain TeX: two hyphens in a row cost as much as a line of badness ≈ 90.
            double_hyphen_demerits: 10_000.0,
            // Plain TeX: a hyphen on the penultimate line strands a fragment below.
            final_hyphen_demerits: 5_000.0,
            // Plain TeX: a loose line next to a tight one makes the colour uneven.
            adjacent_demerits: 10_000.0,
            // House style (TeX has no hard limit): a ladder of three or more hyphens at
            // the right margin looks careless, two is the usual maximum in book work.
            max_consecutive_hyphens: 2,
            // Plain TeX: the optimum number of lines.
            looseness: 0,
        }
    }
}

impl BreakParams {
    /// The largest adjustment ratio `tolerance` allows: badness is 100·r³, so r is the
    /// cube root of a hundredth of it (1.26 for TeX's 200). A line stretched further is
    /// "beyond tolerance", set so only because no better breaking existed.
    pub fn max_ratio(&self) -> f64 {
        (self.tolerance.max(0.0) / 100.0).cbrt()
    }
}

/// Which of TeX's passes produced the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pass {
    /// First pass: no flagged breaks, every line within `pretolerance`.
    NoHyphenation,
    /// Second pass: all breaks allowed, every line within `tolerance`.
    Hyphenation,
    /// Third pass: like the second, with `emergency_stretch` added to every line.
    EmergencyStretch,
    /// Last resort: no breaking within tolerance exists. Lines may be looser than
    /// tolerance, and lines that cannot fit at all are set overfull and listed in
    /// `overfull_lines`.
    Overfull,
}

/// A chosen break: index into `items` of the glue or penalty where the line ends
/// (the last break is the final forced penalty), plus the line's adjustment ratio
/// (negative = shrunk, positive = stretched; the final line with fil glue is ~0).
///
/// The ratio refers to the line's real glue (without emergency stretch). It is −1 for an
/// overfull line and 0 for a line that has no stretch to use or is filled by fil glue. If
/// the caller's list lacks the final forced penalty, the last break's index is
/// `items.len()`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Break {
    /// Index into the items of the glue or penalty that ends the line.
    pub index: usize,
    /// Adjustment ratio: each glue is set at width + ratio · (stretch or shrink).
    pub ratio: f64,
    /// True when the line ends at a flagged penalty (it ends with a hyphen).
    pub flagged: bool,
}

/// The result of breaking a paragraph.
#[derive(Debug, Clone, PartialEq)]
pub struct Breaking {
    /// One entry per line, in order.
    pub breaks: Vec<Break>,
    /// The pass that produced the breaking.
    pub pass: Pass,
    /// Sum of the lines' demerits as optimised by that pass (including emergency stretch,
    /// if that pass used it); equals [`demerits_of`] for the other passes.
    pub total_demerits: f64,
    /// indices (0-based line numbers), in increasing order, of lines wider than their
    /// measure even at full shrink
    pub overfull_lines: Vec<usize>,
    /// The flex (share of the box width, see [`BreakParams::expansion`]) the ratios were
    /// computed with, which the lines must be set with: the parameters' `expansion`, or
    /// their `rescue_expansion` for a paragraph that could be set clean only with it.
    pub expansion: f64,
}

impl Breaking {
    /// The breaking of an empty paragraph: no lines at all.
    fn empty() -> Self {
        Breaking {
            breaks: Vec::new(),
            pass: Pass::NoHyphenation,
            total_demerits: 0.0,
            overfull_lines: Vec::new(),
            expansion: 0.0,
        }
    }

    /// Whether a compositor would let this breaking stand: no overfull line, no line
    /// stretched past `max_ratio`, and no paragraph ending on the tail of a word broken
    /// at the line before.
    pub fn clean(&self, max_ratio: f64) -> bool {
        let tail = self.breaks.len() >= 2 && self.breaks[self.breaks.len() - 2].flagged;
        self.pass != Pass::Overfull
            && self.overfull_lines.is_empty()
            && !tail
            && self.breaks.iter().all(|b| b.ratio <= max_ratio + 1e-9)
    }
}

/// Break a paragraph. `line_width(n)` gives the measure of line n (0-based) so the caller
/// can indent quotes or shape around a drop cap. Never panics: on impossible input (a box
/// wider than the line) falls back to the least-bad breaking, reports overfull lines,
/// pass = Overfull.
///
/// See [`Item`] for the conventions on the end of the list. An empty list gives no lines.
/// For many paragraphs, [`LineBreaker`] reuses its buffers between calls.
pub fn break_paragraph(
    items: &[Item],
    line_width: impl Fn(usize) -> f64,
    params: &BreakParams,
) -> Breaking {
    LineBreaker::new().break_paragraph(items, line_width, params)
}

/// Greedy first-fit breaking over the same items, for comparison in tests and as a
/// last resort.
///
/// Each line takes as much material as fits at full shrink (respecting forbidden and
/// forced breaks and `max_consecutive_hyphens`). The reported pass is the first of TeX's
/// passes whose limits the result happens to meet, or `Overfull`; `total_demerits` is
/// [`demerits_of`].
pub fn break_first_fit(
    items: &[Item],
    line_width: impl Fn(usize) -> f64,
    params: &BreakParams,
) -> Breaking {
    if items.is_empty() {
        return Breaking::empty();
    }
    let para = Paragraph::new(items);
    let limit = params.max_consecutive_hyphens;
    let mut positions: Vec<usize> = Vec::new();

    // Greedy scan: remember the last break that fitted, and end the line there as soon as
    // the line becomes overfull or a forced break arrives.
    let mut line = 0usize;
    let mut hyphens = 0usize;
    let mut start = 0usize;
    let mut start_sums = Sums::default();
    let mut last_fit: Option<(usize, Sums, bool)> = None;
    let mut sums = Sums::default();
    let mut i = 0usize;
    while i <= para.end {
        // Breaks in the glue discarded at the start of a line would make an empty line.
        let bp = if i >= start { para.breakpoint(i, true) } else { None };
        if let Some(bp) = bp {
            let fit = fit_line(
                &start_sums,
                &sums,
                bp.width,
                line_width(line),
                0.0,
                params.expansion,
            );
            let legal = bp.forced || !bp.flagged || limit == 0 || hyphens < limit;
            if bp.forced || fit.dead {
                // End the line here if this break is good, else at the last one that was;
                // with neither, this line is overfull and ends as early as possible.
                let (at, at_sums, flagged) = match last_fit {
                    Some(previous) if !(fit.fits && legal) => previous,
                    _ => (i, sums, bp.flagged),
                };
                positions.push(at);
                if at >= para.end {
                    break;
                }
                hyphens = if flagged { hyphens + 1 } else { 0 };
                line += 1;
                // Resume at the first item of the new line (this may rescan a few items).
                let (next, next_sums) = para.line_start_after(at, at_sums);
                start = next;
                start_sums = next_sums;
                last_fit = None;
                i = next;
                sums = next_sums;
                continue;
            }
            if fit.fits && legal {
                last_fit = Some((i, sums, bp.flagged));
            }
        }
        if let Some(item) = para.items.get(i) {
            sums.add(item);
        }
        i += 1;
    }

    // Describe the lines and classify the result by the passes whose limits it meets.
    let mut breaks = Vec::with_capacity(positions.len());
    let mut overfull_lines = Vec::new();
    let mut worst = 0.0f64;
    let mut any_flagged = false;
    let total =
        walk_lines(&para, positions.iter().copied(), &line_width, params, |line| {
            if line.overfull {
                overfull_lines.push(breaks.len());
            }
            worst = worst.max(line.badness);
            any_flagged |= line.flagged;
            breaks.push(Break {
                index: line.index,
                ratio: line.ratio,
                flagged: line.flagged,
            });
        });
    let pass = if !overfull_lines.is_empty() {
        Pass::Overfull
    } else if !any_flagged && params.pretolerance >= 0.0 && worst <= params.pretolerance {
        Pass::NoHyphenation
    } else if worst <= params.tolerance {
        Pass::Hyphenation
    } else {
        Pass::Overfull
    };
    Breaking {
        breaks,
        pass,
        total_demerits: total,
        overfull_lines,
        expansion: params.expansion,
    }
}

/// Demerits of a given breaking under the Knuth–Plass cost model (for tests comparing
/// with first-fit).
///
/// Uses the real glue (no emergency stretch). Overfull lines count with badness 10 000,
/// as the last-resort pass charges them. Break indices that do not increase are skipped.
pub fn demerits_of(
    items: &[Item],
    breaks: &[Break],
    line_width: impl Fn(usize) -> f64,
    params: &BreakParams,
) -> f64 {
    let para = Paragraph::new(items);
    walk_lines(&para, breaks.iter().map(|b| b.index), line_width, params, |_| {})
}

/// A reusable line breaker: keeps its working buffers between paragraphs so that breaking
/// a whole book allocates only a few times per paragraph rather than per node.
#[derive(Debug, Default)]
pub struct LineBreaker {
    /// Nodes that may still start a line.
    active: VecDeque<Active>,
    /// Which of the active nodes scanned at a breakpoint stay active.
    keep: Vec<bool>,
    /// Scan every active node at every breakpoint, without the early stop; the tests
    /// check that the stop changes nothing.
    exhaustive: bool,
    /// Best new nodes found at the breakpoint being examined.
    candidates: Vec<Candidate>,
    /// Every break node ever created in this pass, linked back to its predecessor.
    nodes: Vec<Node>,
}

impl LineBreaker {
    /// A breaker with empty buffers.
    pub fn new() -> Self {
        Self::default()
    }

    /// Same as the free function [`break_paragraph`], reusing this breaker's buffers.
    pub fn break_paragraph(
        &mut self,
        items: &[Item],
        line_width: impl Fn(usize) -> f64,
        params: &BreakParams,
    ) -> Breaking {
        let best = self.break_passes(items, &line_width, params);
        let rescue = params.rescue_expansion;
        if rescue <= params.expansion
            || params.looseness != 0
            || best.clean(params.max_ratio())
        {
            return best;
        }
        // The rescue: more flex in the boxes, none beyond ratio 1 in the spaces. The
        // thresholds are capped at badness 100 (ratio 1), so the spaces of a rescued line
        // never open past their natural stretch, well within the tolerance.
        let strict = BreakParams {
            expansion: rescue,
            rescue_expansion: 0.0,
            pretolerance: params.pretolerance.min(100.0),
            tolerance: params.tolerance.min(100.0),
            ..params.clone()
        };
        let rescued = self.break_passes(items, &line_width, &strict);
        if rescued.clean(1.0) { rescued } else { best }
    }

    /// TeX's passes, then the last resort, at the parameters' own expansion.
    fn break_passes(
        &mut self,
        items: &[Item],
        line_width: impl Fn(usize) -> f64,
        params: &BreakParams,
    ) -> Breaking {
        // Phase 0: an empty list has no lines.
        if items.is_empty() {
            return Breaking::empty();
        }
        let para = Paragraph::new(items);

        // Phase 1: cache the measures. A paragraph cannot have more lines than
        // breakpoints, so asking for that many widths finds the line after which the
        // shape is constant; from there on, nodes differing only in line number are
        // merged (TeX's easy_line).
        let (breakpoints, has_flagged) = para.survey();
        let measures = Measures::new(&line_width, breakpoints.max(1));
        let looseness =
            if items.len() <= LOOSENESS_ITEM_LIMIT { params.looseness } else { 0 };

        // Phase 2: TeX's passes in order (pass 2 is skipped if it could only repeat 1).
        let first = params.pretolerance >= 0.0;
        let second = !first || has_flagged || params.tolerance > params.pretolerance;
        let third = params.emergency_stretch > 0.0;
        let emergency = if third { params.emergency_stretch } else { 0.0 };
        let plan = [
            first.then_some(PassConfig {
                pass: Pass::NoHyphenation,
                threshold: params.pretolerance,
                allow_flagged: false,
                extra_stretch: 0.0,
                artificial: false,
                looseness,
            }),
            second.then_some(PassConfig {
                pass: Pass::Hyphenation,
                threshold: params.tolerance,
                allow_flagged: true,
                extra_stretch: 0.0,
                artificial: false,
                looseness,
            }),
            third.then_some(PassConfig {
                pass: Pass::EmergencyStretch,
                threshold: params.tolerance,
                allow_flagged: true,
                extra_stretch: emergency,
                artificial: false,
                looseness,
            }),
        ];
        let mut found: Option<(PassOutcome, Pass)> = None;
        for cfg in plan.iter().flatten() {
            if let Some(outcome) = self.run_pass(&para, &measures, params, cfg) {
                // With looseness, a later pass may get closer to the wanted count.
                let done = outcome.looseness_met;
                found = Some((outcome, cfg.pass));
                if done {
                    break;
                }
            }
        }

        // Phase 3: last resort. Accept any line that is not overfull, and force an
        // overfull line where the active list would otherwise become empty.
        if found.is_none() {
            let cfg = PassConfig {
                pass: Pass::Overfull,
                threshold: f64::INFINITY,
                allow_flagged: true,
                extra_stretch: emergency,
                artificial: true,
                looseness: 0,
            };
            found = self
                .run_pass(&para, &measures, params, &cfg)
                .map(|outcome| (outcome, Pass::Overfull));
        }
        let Some((outcome, pass)) = found else {
            // Unreachable for finite input; greedy breaking still gives the caller lines.
            let mut greedy = break_first_fit(items, &line_width, params);
            greedy.pass = Pass::Overfull;
            return greedy;
        };

        // Phase 4: recompute each chosen line's real ratio and overfull status.
        let mut breaks = Vec::with_capacity(outcome.positions.len());
        let mut overfull_lines = Vec::new();
        let measure = |n: usize| measures.get(n);
        walk_lines(&para, outcome.positions.iter().copied(), measure, params, |line| {
            if line.overfull {
                overfull_lines.push(breaks.len());
            }
            breaks.push(Break {
                index: line.index,
                ratio: line.ratio,
                flagged: line.flagged,
            });
        });
        Breaking {
            breaks,
            pass,
            total_demerits: outcome.demerits,
            overfull_lines,
            expansion: params.expansion,
        }
    }

    /// One pass of the total-fit algorithm; `None` if no breaking meets its limits.
    fn run_pass(
        &mut self,
        para: &Paragraph<'_>,
        measures: &Measures,
        params: &BreakParams,
        cfg: &PassConfig,
    ) -> Option<PassOutcome> {
        // Set-up: the start of the paragraph is the only active node.
        self.active.clear();
        self.candidates.clear();
        self.nodes.clear();
        self.active.push_back(Active {
            start: 0,
            line: 0,
            fitness: DECENT,
            hyphens: 0,
            flagged: false,
            totals: Sums::default(),
            demerits: 0.0,
            node: NONE,
        });
        let limit = params.max_consecutive_hyphens;
        // Line numbers from which nodes merge: never when looseness needs exact counts.
        let merge_from = if cfg.looseness == 0 { measures.easy_line } else { NONE };
        // A candidate this much worse than another one can never catch up (see
        // prune_dominated).
        let margin = params.adjacent_demerits.abs();
        // Memo of the discard scan: breaks before `discard_end` share its line start.
        let mut discard_end = 0usize;
        let mut discard_sums = Sums::default();
        // Totals of all items before the current one.
        let mut sums = Sums::default();

        // Main scan; `para.end` is the final (possibly implied) forced break.
        for i in 0..=para.end {
            if let Some(bp) = para.breakpoint(i, cfg.allow_flagged) {
                let is_final = i == para.end;
                self.candidates.clear();
                // Best node to force an overfull line from, should every node die here.
                let mut rescue: Option<(f64, Active)> = None;

                // Try each active node as the start of a line ending at `i`; retire nodes
                // whose lines are now overfull, and all of them at a forced break.
                //
                // The list is in order of position, so (with no negative widths) a line
                // from a later node is no wider and has no more stretch: once one is too
                // loose for the pass, so is every later one, and none of them is overfull.
                // The scan stops there and keeps the rest as they are. Without this, a run
                // of emergency breaks (a long word broken anywhere) would test a whole
                // line's worth of nodes at every one of them.
                self.keep.clear();
                while let Some(&a) = self.active.get(self.keep.len()) {
                    if i < a.start {
                        // `i` is in the glue discarded after `a`: an empty line.
                        self.keep.push(true);
                        continue;
                    }
                    let measure = measures.get(a.line);
                    let fit = fit_line(
                        &a.totals,
                        &sums,
                        bp.width,
                        measure,
                        cfg.extra_stretch,
                        params.expansion,
                    );
                    let legal =
                        limit == 0 || !bp.flagged || bp.forced || a.hyphens < limit;
                    if fit.fits && legal && fit.badness <= cfg.threshold {
                        let fitness = fitness_class(fit.ratio);
                        let demerits = a.demerits
                            + line_demerits(params, fit.badness, &bp)
                            + transition_demerits(params, &a, &bp, is_final, fitness);
                        offer(
                            &mut self.candidates,
                            Candidate {
                                line: next_line(a.line, merge_from),
                                fitness,
                                hyphens: next_hyphens(a.hyphens, &bp, limit),
                                demerits,
                                node: a.node,
                            },
                        );
                    }
                    if bp.forced || fit.dead {
                        if cfg.artificial {
                            // Prefer the least overfull line, then the cheaper history.
                            let better = match &rescue {
                                None => true,
                                Some((excess, best)) => {
                                    fit.excess < *excess
                                        || (fit.excess == *excess
                                            && a.demerits < best.demerits)
                                }
                            };
                            if better {
                                rescue = Some((fit.excess, a));
                            }
                        }
                        self.keep.push(false);
                        continue;
                    }
                    self.keep.push(true);
                    if para.monotone
                        && !self.exhaustive
                        && too_loose(&fit, cfg.threshold)
                        && (measure.to_bits() == measures.narrowest.to_bits()
                            || too_loose(
                                &fit_line(
                                    &a.totals,
                                    &sums,
                                    bp.width,
                                    measures.narrowest,
                                    cfg.extra_stretch,
                                    params.expansion,
                                ),
                                cfg.threshold,
                            ))
                    {
                        break;
                    }
                }
                // Close the gaps by moving the scanned nodes that stay towards the ones
                // not scanned, then drop what is left in front: only scanned nodes move.
                let mut write = self.keep.len();
                for (j, &keep) in self.keep.iter().enumerate().rev() {
                    if keep {
                        write -= 1;
                        self.active[write] = self.active[j];
                    }
                }
                self.active.drain(..write);

                // Last-resort pass only: nothing survives and nothing new was found,
                // so set the least overfull line (badness 10 000, fully shrunk).
                if self.active.is_empty()
                    && self.candidates.is_empty()
                    && let Some((_, a)) = rescue
                {
                    let demerits = a.demerits
                        + line_demerits(params, INF_BAD, &bp)
                        + transition_demerits(params, &a, &bp, is_final, TIGHT);
                    self.candidates.push(Candidate {
                        line: next_line(a.line, merge_from),
                        fitness: TIGHT,
                        hyphens: next_hyphens(a.hyphens, &bp, limit),
                        demerits,
                        node: a.node,
                    });
                }

                // Turn the surviving candidates into active nodes at `i`.
                if !self.candidates.is_empty() {
                    prune_dominated(&mut self.candidates, margin);
                    if i >= discard_end {
                        (discard_end, discard_sums) = para.line_start_after(i, sums);
                    }
                    for c in &self.candidates {
                        let node = self.nodes.len();
                        self.nodes.push(Node { position: i, prev: c.node });
                        self.active.push_back(Active {
                            start: discard_end,
                            line: c.line,
                            fitness: c.fitness,
                            hyphens: c.hyphens,
                            flagged: bp.flagged,
                            totals: discard_sums,
                            demerits: c.demerits,
                            node,
                        });
                    }
                }
                if self.active.is_empty() {
                    // No feasible way past this breakpoint: the pass fails.
                    return None;
                }
            }
            if let Some(item) = para.items.get(i) {
                sums.add(item);
            }
        }

        // Choice: after the final forced break every active node sits at the end.
        let mut best = *self.active.front()?;
        for a in &self.active {
            if a.demerits < best.demerits {
                best = *a;
            }
        }
        let mut looseness_met = true;
        if cfg.looseness != 0 {
            // TeX §875: move towards the requested line count as far as it is achievable,
            // and among nodes with that count take the cheapest.
            let wanted = i64::from(cfg.looseness);
            let best_line = best.line as i64;
            let mut actual = 0i64;
            let mut fewest = best.demerits;
            for a in &self.active {
                let diff = a.line as i64 - best_line;
                if (diff < actual && wanted <= diff) || (diff > actual && wanted >= diff)
                {
                    best = *a;
                    actual = diff;
                    fewest = a.demerits;
                } else if diff == actual && a.demerits < fewest {
                    best = *a;
                    fewest = a.demerits;
                }
            }
            looseness_met = actual == wanted;
        }

        // Walk back through the node arena to list the breaks in order.
        let mut positions = Vec::new();
        let mut cursor = best.node;
        while let Some(node) = self.nodes.get(cursor) {
            positions.push(node.position);
            cursor = node.prev;
        }
        positions.reverse();
        Some(PassOutcome { positions, demerits: best.demerits, looseness_met })
    }
}

/// Settings that distinguish the passes.
#[derive(Debug, Clone, Copy)]
struct PassConfig {
    /// Which pass this is.
    pass: Pass,
    /// Largest acceptable badness.
    threshold: f64,
    /// Whether flagged penalties are breakpoints.
    allow_flagged: bool,
    /// Stretch added to every line (emergency stretch).
    extra_stretch: f64,
    /// Whether to force overfull lines when the active list would run dry.
    artificial: bool,
    /// Requested looseness (0 in the last-resort pass and for very long paragraphs).
    looseness: i32,
}

/// What a successful pass found.
#[derive(Debug)]
struct PassOutcome {
    /// Item indices of the breaks, in order.
    positions: Vec<usize>,
    /// Total demerits as optimised by the pass.
    demerits: f64,
    /// Whether the requested looseness was achieved (always true for looseness 0).
    looseness_met: bool,
}

/// Running totals of the items before some position.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    /// Natural width of boxes and glue.
    width: f64,
    /// Natural width of boxes alone, which font expansion scales.
    boxes: f64,
    /// Finite stretch.
    stretch: f64,
    /// Number of fil glues (infinitely stretchable).
    fil: f64,
    /// Shrink.
    shrink: f64,
}

impl Sums {
    /// Add one item; penalties have no width unless a line ends at them.
    fn add(&mut self, item: &Item) {
        match *item {
            Item::Box { width } => {
                self.width += finite(width);
                self.boxes += finite(width);
            }
            Item::Glue { width, stretch, shrink } => {
                self.width += finite(width);
                if stretch == f64::INFINITY {
                    self.fil += 1.0;
                } else {
                    self.stretch += finite(stretch);
                }
                self.shrink += finite(shrink);
            }
            Item::Penalty { .. } => {}
        }
    }
}

/// An active node: a break from which the next line could start.
#[derive(Debug, Clone, Copy)]
struct Active {
    /// Index of the line's first item after discarding glue and penalties.
    start: usize,
    /// Lines set so far (clamped to the merge line when widths are constant from there).
    line: usize,
    /// Fitness class of the line ending here.
    fitness: u8,
    /// Consecutive lines ending in flagged breaks up to here.
    hyphens: usize,
    /// Whether the line ending here ends with a flagged break.
    flagged: bool,
    /// Totals up to `start`.
    totals: Sums,
    /// Total demerits of the best way to get here.
    demerits: f64,
    /// This node's entry in the node arena (`NONE` for the paragraph start).
    node: usize,
}

/// The cheapest way found so far to reach the current breakpoint in one state.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    /// Line number class of the new node.
    line: usize,
    /// Fitness class of the line ending here.
    fitness: u8,
    /// Hyphen run including this break.
    hyphens: usize,
    /// Total demerits.
    demerits: f64,
    /// Arena entry of the node the line starts from.
    node: usize,
}

/// A break in the arena, linked to the break before it; kept small because the arena
/// holds every node created in the pass.
#[derive(Debug, Clone, Copy)]
struct Node {
    /// Item index of the break.
    position: usize,
    /// Arena index of the previous break, or `NONE`.
    prev: usize,
}

/// What a legal breakpoint contributes to a line ending there.
#[derive(Debug, Clone, Copy)]
struct Breakpoint {
    /// Width added to the line (a hyphen).
    width: f64,
    /// Penalty cost (0 for glue).
    cost: f64,
    /// Hyphen break.
    flagged: bool,
    /// Forced break.
    forced: bool,
}

impl Breakpoint {
    /// The end of a list that lacks its final forced penalty.
    const IMPLIED_END: Breakpoint =
        Breakpoint { width: 0.0, cost: -INFINITY, flagged: false, forced: true };
    /// Stand-in when a caller's break index is not a legal breakpoint.
    const PLAIN: Breakpoint =
        Breakpoint { width: 0.0, cost: 0.0, flagged: false, forced: false };
}

/// The item list with its final break located.
struct Paragraph<'a> {
    /// The caller's items.
    items: &'a [Item],
    /// Index of the final forced break: the last item, or `items.len()` if it is implied.
    end: usize,
    /// Memo for [`Paragraph::next_stop`]: `(from, stop)` answers every `i` in
    /// `from..stop`.
    stop_memo: Cell<(usize, usize)>,
    /// No box or glue has a negative width, stretch or shrink, so the totals only grow
    /// along the list (what lets a pass stop scanning its active nodes early).
    monotone: bool,
}

impl<'a> Paragraph<'a> {
    /// Locate the final break.
    fn new(items: &'a [Item]) -> Self {
        let end = match items.last() {
            Some(&Item::Penalty { cost, .. }) if penalty_cost(cost) <= -INFINITY => {
                items.len() - 1
            }
            _ => items.len(),
        };
        let monotone = items.iter().all(|item| match *item {
            Item::Box { width } => finite(width) >= 0.0,
            Item::Glue { width, stretch, shrink } => {
                finite(width) >= 0.0 && finite(stretch) >= 0.0 && finite(shrink) >= 0.0
            }
            Item::Penalty { .. } => true,
        });
        Paragraph { items, end, stop_memo: Cell::new((0, 0)), monotone }
    }

    /// Index of the first box or forced break after `i` (or `items.len()`): where the
    /// line after a break at `i` begins. Memoised, so a forward scan costs O(n) in all.
    fn next_stop(&self, i: usize) -> usize {
        let (from, stop) = self.stop_memo.get();
        if from <= i && i < stop {
            return stop;
        }
        let mut j = i + 1;
        while let Some(item) = self.items.get(j) {
            match item {
                Item::Box { .. } => break,
                Item::Penalty { cost, .. } if penalty_cost(*cost) <= -INFINITY => break,
                _ => j += 1,
            }
        }
        self.stop_memo.set((i, j));
        j
    }

    /// Whether a box follows `i` before the next forced break, so that an optional
    /// break at `i` would not leave an empty line (as at the paragraph's fil glue).
    fn box_follows(&self, i: usize) -> bool {
        matches!(self.items.get(self.next_stop(i)), Some(Item::Box { .. }))
    }

    /// The breakpoint at `i`, if `i` is a legal break in this pass.
    fn breakpoint(&self, i: usize, allow_flagged: bool) -> Option<Breakpoint> {
        match self.items.get(i) {
            None => (i == self.end).then_some(Breakpoint::IMPLIED_END),
            Some(Item::Box { .. }) => None,
            Some(Item::Glue { .. }) => {
                let after_box =
                    i > 0 && matches!(self.items.get(i - 1), Some(Item::Box { .. }));
                (after_box && self.box_follows(i)).then_some(Breakpoint {
                    width: 0.0,
                    cost: 0.0,
                    flagged: false,
                    forced: false,
                })
            }
            Some(&Item::Penalty { width, cost, flagged }) => {
                let cost = penalty_cost(cost);
                let forced = cost <= -INFINITY;
                if cost >= INFINITY
                    || (!forced && ((flagged && !allow_flagged) || !self.box_follows(i)))
                {
                    return None;
                }
                Some(Breakpoint { width: finite(width), cost, flagged, forced })
            }
        }
    }

    /// Where the line after a break at `b` starts, and the totals there: the break
    /// item and the glue and penalties up to the next box or forced break vanish.
    fn line_start_after(&self, b: usize, sums_at_b: Sums) -> (usize, Sums) {
        let mut sums = sums_at_b;
        let Some(item) = self.items.get(b) else {
            return (b + 1, sums);
        };
        sums.add(item);
        let mut j = b + 1;
        while let Some(item) = self.items.get(j) {
            let keep = match item {
                Item::Box { .. } => true,
                Item::Glue { .. } => false,
                Item::Penalty { cost, .. } => penalty_cost(*cost) <= -INFINITY,
            };
            if keep {
                break;
            }
            sums.add(item);
            j += 1;
        }
        (j, sums)
    }

    /// Number of legal breakpoints (an upper bound on the line count) and whether any
    /// penalty is flagged.
    fn survey(&self) -> (usize, bool) {
        let mut count = 0;
        let mut flagged = false;
        for i in 0..=self.end {
            if let Some(bp) = self.breakpoint(i, true) {
                count += 1;
                flagged |= bp.flagged;
            }
        }
        (count, flagged)
    }
}

/// Cached line widths: lines up to `easy_line` one by one, later ones equal to it.
struct Measures {
    /// Widths of lines `0..=easy_line`.
    widths: Vec<f64>,
    /// First line from which all widths are equal.
    easy_line: usize,
    /// The smallest width (NaN widths left out; +∞ if there is none).
    narrowest: f64,
}

impl Measures {
    /// Ask `line_width` for lines `0..max_lines` to find where the shape settles.
    fn new(line_width: &impl Fn(usize) -> f64, max_lines: usize) -> Self {
        let mut easy_line = 0;
        let mut previous = line_width(0);
        for n in 1..max_lines {
            let width = line_width(n);
            // Bitwise comparison, so even a NaN width compares equal to itself.
            if width.to_bits() != previous.to_bits() {
                easy_line = n;
            }
            previous = width;
        }
        let widths: Vec<f64> = (0..=easy_line).map(line_width).collect();
        let narrowest = widths.iter().copied().fold(f64::INFINITY, f64::min);
        Measures { widths, easy_line, narrowest }
    }

    /// The measure of line `line`.
    fn get(&self, line: usize) -> f64 {
        self.widths.get(line.min(self.easy_line)).copied().unwrap_or(0.0)
    }
}

/// How a line from one break to another sets.
#[derive(Debug, Clone, Copy)]
struct LineFit {
    /// Adjustment ratio; +∞ if short without stretch, below −1 if overfull.
    ratio: f64,
    /// Badness for the ratio (10 000 at most, also for overfull lines).
    badness: f64,
    /// Whether the line fits at full shrink or better.
    fits: bool,
    /// Whether the line is overfull even without the break's own width, so no later break
    /// from the same start can fit either (widths are assumed non-negative).
    dead: bool,
    /// How far the fully shrunk line exceeds the measure (negative when it fits).
    excess: f64,
    /// Whether the line is shorter than the measure (beyond rounding) at natural width.
    short: bool,
}

/// Evaluate the line between the totals `start` and `end` ending at a break of width
/// `break_width`, with `extra_stretch` added to its stretch and `expansion` of its box
/// width to both its stretch and its shrink.
fn fit_line(
    start: &Sums,
    end: &Sums,
    break_width: f64,
    measure: f64,
    extra_stretch: f64,
    expansion: f64,
) -> LineFit {
    let base = end.width - start.width;
    let natural = base + break_width;
    let flex = expansion.max(0.0) * (end.boxes - start.boxes);
    let stretch = end.stretch - start.stretch + extra_stretch + flex;
    let fil = end.fil - start.fil;
    let shrink = end.shrink - start.shrink + flex;
    let slack = FIT_EPSILON * (1.0 + measure.abs());
    let excess = natural - shrink - measure;
    let fits = excess <= slack;
    let dead = base - shrink - measure > slack;
    let shortfall = measure - natural;
    let ratio = if shortfall.abs() <= slack {
        // Exactly full (up to rounding).
        0.0
    } else if shortfall > 0.0 {
        // Too short: fil glue takes it all, else finite stretch; none at all is
        // infinitely bad.
        if fil > 0.0 {
            0.0
        } else if stretch > 0.0 {
            shortfall / stretch
        } else {
            f64::INFINITY
        }
    } else if shrink > 0.0 {
        // Too long: shrink, clamped at −1 when the miss is within rounding slack.
        let r = shortfall / shrink;
        if fits { r.max(-1.0) } else { r }
    } else {
        f64::NEG_INFINITY
    };
    LineFit {
        ratio,
        badness: badness(ratio),
        fits,
        dead,
        excess,
        short: shortfall > slack,
    }
}

/// Whether a short line is too loose for a pass with badness limit `threshold`: the
/// lines from later active nodes then are too (see [`LineBreaker::run_pass`]). Never
/// true for a NaN limit, which only costs the early stop.
fn too_loose(fit: &LineFit, threshold: f64) -> bool {
    fit.short && fit.badness > threshold
}

/// TeX's badness, 100·|r|³ capped at 10 000; overfull (r < −1) and NaN count as 10 000.
fn badness(ratio: f64) -> f64 {
    if ratio >= -1.0 { (100.0 * ratio.abs().powi(3)).min(INF_BAD) } else { INF_BAD }
}

/// Fitness class of a line with adjustment ratio `ratio`.
fn fitness_class(ratio: f64) -> u8 {
    if ratio > VERY_LOOSE_RATIO {
        VERY_LOOSE
    } else if ratio > LOOSE_RATIO {
        LOOSE
    } else if ratio >= TIGHT_RATIO {
        DECENT
    } else {
        TIGHT
    }
}

/// The ratio reported to the caller: finite, and −1 for overfull lines.
fn reported_ratio(ratio: f64) -> f64 {
    if ratio.is_finite() {
        ratio.max(-1.0)
    } else if ratio < 0.0 {
        -1.0
    } else {
        0.0
    }
}

/// Demerits of one line from its badness and break penalty.
fn line_demerits(params: &BreakParams, badness: f64, bp: &Breakpoint) -> f64 {
    let base = params.line_penalty + badness;
    let mut demerits = base * base;
    if !bp.forced {
        if bp.cost >= 0.0 {
            demerits += bp.cost * bp.cost;
        } else {
            demerits -= bp.cost * bp.cost;
        }
    }
    demerits
}

/// Demerits that depend on the previous line: hyphen pairs and fitness jumps.
fn transition_demerits(
    params: &BreakParams,
    from: &Active,
    bp: &Breakpoint,
    is_final: bool,
    fitness: u8,
) -> f64 {
    transition_cost(params, from.flagged, from.fitness, bp.flagged, is_final, fitness)
}

/// See [`transition_demerits`]; takes the previous line's state directly.
fn transition_cost(
    params: &BreakParams,
    prev_flagged: bool,
    prev_fitness: u8,
    flagged: bool,
    is_final: bool,
    fitness: u8,
) -> f64 {
    let mut demerits = 0.0;
    if prev_flagged {
        if is_final {
            demerits += params.final_hyphen_demerits;
        } else if flagged {
            demerits += params.double_hyphen_demerits;
        }
    }
    if prev_fitness.abs_diff(fitness) > 1 {
        demerits += params.adjacent_demerits;
    }
    demerits
}

/// Line-number class of the node after a line that started at line `line`.
fn next_line(line: usize, merge_from: usize) -> usize {
    line.saturating_add(1).min(merge_from)
}

/// Hyphen run after breaking at `bp`; capped at the limit, and not tracked when
/// unlimited.
fn next_hyphens(hyphens: usize, bp: &Breakpoint, limit: usize) -> usize {
    if limit == 0 || !bp.flagged { 0 } else { (hyphens + 1).min(limit) }
}

/// Keep the cheaper of two candidates in the same state.
fn offer(candidates: &mut Vec<Candidate>, candidate: Candidate) {
    for existing in candidates.iter_mut() {
        if existing.line == candidate.line
            && existing.fitness == candidate.fitness
            && existing.hyphens == candidate.hyphens
        {
            if candidate.demerits < existing.demerits {
                *existing = candidate;
            }
            return;
        }
    }
    candidates.push(candidate);
}

/// Drop candidates that can never win. All candidates end at the same break, so their
/// futures differ only through the next line's adjacency demerits (at most `margin`)
/// and through the hyphen run (a shorter run allows all a longer one does). So one at
/// least `margin` worse than another of the same line class and no longer run is useless.
fn prune_dominated(candidates: &mut Vec<Candidate>, margin: f64) {
    let mut k = 0;
    while k < candidates.len() {
        let x = candidates[k];
        let dominated = candidates.iter().enumerate().any(|(j, y)| {
            j != k
                && y.line == x.line
                && y.hyphens <= x.hyphens
                && y.demerits + margin <= x.demerits
                // On an exact tie keep the earlier one, never both nor neither.
                && (y.hyphens < x.hyphens || y.demerits + margin < x.demerits || j < k)
        });
        if dominated {
            candidates.remove(k);
        } else {
            k += 1;
        }
    }
}

/// One line as seen by [`walk_lines`].
struct LineReport {
    /// Item index of the break ending the line.
    index: usize,
    /// Reported adjustment ratio.
    ratio: f64,
    /// Badness with the real glue.
    badness: f64,
    /// Whether the line ends with a flagged break.
    flagged: bool,
    /// Whether the line is overfull.
    overfull: bool,
}

/// Evaluate a given breaking line by line with the real glue, call `visit` for each line
/// and return the total demerits. Break indices that do not increase are skipped.
fn walk_lines(
    para: &Paragraph<'_>,
    breaks: impl IntoIterator<Item = usize>,
    measure: impl Fn(usize) -> f64,
    params: &BreakParams,
    mut visit: impl FnMut(LineReport),
) -> f64 {
    let mut targets = breaks.into_iter().peekable();
    let mut sums = Sums::default();
    let mut start_sums = Sums::default();
    let mut line = 0usize;
    let mut prev_flagged = false;
    let mut prev_fitness = DECENT;
    let mut total = 0.0;
    for i in 0..=para.end {
        while targets.next_if(|&t| t < i).is_some() {}
        if targets.next_if_eq(&i).is_some() {
            let bp = para.breakpoint(i, true).unwrap_or(Breakpoint::PLAIN);
            let fit = fit_line(
                &start_sums,
                &sums,
                bp.width,
                measure(line),
                0.0,
                params.expansion,
            );
            let fitness = fitness_class(fit.ratio);
            total += line_demerits(params, fit.badness, &bp)
                + transition_cost(
                    params,
                    prev_flagged,
                    prev_fitness,
                    bp.flagged,
                    i == para.end,
                    fitness,
                );
            visit(LineReport {
                index: i,
                ratio: reported_ratio(fit.ratio),
                badness: fit.badness,
                flagged: bp.flagged,
                overfull: !fit.fits,
            });
            prev_flagged = bp.flagged;
            prev_fitness = fitness;
            line += 1;
            start_sums = para.line_start_after(i, sums).1;
        }
        if let Some(item) = para.items.get(i) {
            sums.add(item);
        }
    }
    total
}

/// Non-finite widths, stretch and shrink are read as 0 (documented NaN-free input).
fn finite(x: f64) -> f64 {
    if x.is_finite() { x } else { 0.0 }
}

/// A NaN cost is read as 0 so that it neither forbids nor forces a break.
fn penalty_cost(cost: f64) -> f64 {
    if cost.is_nan() { 0.0 } else { cost }
}

#[cfg(test)]
mod tests;
