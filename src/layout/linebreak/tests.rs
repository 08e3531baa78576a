//! Unit tests of the line breaker: hand-checked paragraphs, the TeX rules one by one,
//! and randomised comparisons against a brute-force search.

use super::*;

/// The inter-word space of the monospace test font (letters are 1 unit wide).
const SPACE: Item = Item::Glue { width: 1.0, stretch: 0.5, shrink: 0.33 };
/// Cost of a discretionary hyphen in the generated paragraphs (TeX's \hyphenpenalty).
const HYPHEN_COST: f64 = 50.0;
/// Tolerance for comparing widths and demerits computed in different orders.
const EPS: f64 = 1e-6;

/// A tiny deterministic generator (Knuth's MMIX LCG), so tests need no crates.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as u32
    }
    fn below(&mut self, n: u32) -> u32 {
        self.next() % n
    }
}

/// Append a word made of syllables, with a flagged hyphen penalty between syllables.
fn push_word(items: &mut Vec<Item>, syllables: &[usize], hyphen_cost: f64) {
    for (k, &len) in syllables.iter().enumerate() {
        if k > 0 {
            items.push(Item::Penalty { width: 1.0, cost: hyphen_cost, flagged: true });
        }
        items.push(Item::Box { width: len as f64 });
    }
}

/// Append the conventional paragraph end: fil glue and a forced break.
fn finish(items: &mut Vec<Item>) {
    items.push(Item::Glue { width: 0.0, stretch: FIL, shrink: 0.0 });
    items.push(Item::Penalty { width: 0.0, cost: -INFINITY, flagged: false });
}

/// Syllables of a random word of 1–10 letters; words of 5+ letters split into
/// 2–3-letter syllables when `hyphenate` is set.
fn random_word(rng: &mut Lcg, hyphenate: bool) -> Vec<usize> {
    let len = 1 + rng.below(10) as usize;
    if !hyphenate || len < 5 {
        return vec![len];
    }
    let mut syllables = Vec::new();
    let mut rest = len;
    while rest > 0 {
        let mut s = (2 + rng.below(2) as usize).min(rest);
        if rest - s == 1 {
            s = rest;
        }
        syllables.push(s);
        rest -= s;
    }
    syllables
}

/// A deterministic random paragraph of `words` words.
fn random_paragraph(seed: u64, words: usize, hyphenate: bool) -> Vec<Item> {
    let mut rng = Lcg(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xDEAD_BEEF);
    let mut items = Vec::new();
    for w in 0..words {
        if w > 0 {
            items.push(SPACE);
        }
        push_word(&mut items, &random_word(&mut rng, hyphenate), HYPHEN_COST);
    }
    finish(&mut items);
    items
}

/// A line measured independently of the module: natural width, stretch, shrink and
/// the break it ends at.
#[derive(Debug, Clone, Copy)]
struct NaiveLine {
    natural: f64,
    base: f64,
    stretch: f64,
    fil: bool,
    shrink: f64,
    cost: f64,
    flagged: bool,
    forced: bool,
}

/// The line from the break `from` (None: paragraph start) to the break `to`.
fn naive_line(items: &[Item], from: Option<usize>, to: usize) -> NaiveLine {
    let mut k = match from {
        None => 0,
        Some(f) => {
            let mut k = f + 1;
            while k < items.len() {
                match items[k] {
                    Item::Box { .. } => break,
                    Item::Penalty { cost, .. } if cost <= -INFINITY => break,
                    _ => k += 1,
                }
            }
            k
        }
    };
    k = k.min(to);
    let mut line = NaiveLine {
        natural: 0.0,
        base: 0.0,
        stretch: 0.0,
        fil: false,
        shrink: 0.0,
        cost: 0.0,
        flagged: false,
        forced: false,
    };
    for item in &items[k..to.min(items.len())] {
        match *item {
            Item::Box { width } => line.natural += width,
            Item::Glue { width, stretch, shrink } => {
                line.natural += width;
                if stretch.is_infinite() {
                    line.fil = true;
                } else {
                    line.stretch += stretch;
                }
                line.shrink += shrink;
            }
            Item::Penalty { .. } => {}
        }
    }
    line.base = line.natural;
    match items.get(to) {
        Some(&Item::Penalty { width, cost, flagged }) => {
            line.natural += width;
            line.cost = cost;
            line.flagged = flagged;
            line.forced = cost <= -INFINITY;
        }
        None => line.forced = true,
        _ => {}
    }
    line
}

/// Adjustment ratio of a naive line.
fn naive_ratio(line: &NaiveLine, measure: f64) -> f64 {
    let short = measure - line.natural;
    if short.abs() < 1e-9 {
        0.0
    } else if short > 0.0 {
        if line.fil {
            0.0
        } else if line.stretch > 0.0 {
            short / line.stretch
        } else {
            f64::INFINITY
        }
    } else if line.shrink > 0.0 {
        short / line.shrink
    } else {
        f64::NEG_INFINITY
    }
}

/// Badness 100|r|³ capped at 10 000 (overfull counts as 10 000).
fn naive_badness(r: f64) -> f64 {
    if r < -1.0 - 1e-9 { 10_000.0 } else { (100.0 * r.abs().powi(3)).min(10_000.0) }
}

/// Fitness class 0..=3 of a ratio.
fn naive_fitness(r: f64) -> u8 {
    if r > 1.0 {
        0
    } else if r > 0.5 {
        1
    } else if r >= -0.5 {
        2
    } else {
        3
    }
}

/// Demerits of a line given the previous line's state.
fn naive_demerits(
    line: &NaiveLine,
    r: f64,
    prev_flagged: bool,
    prev_fitness: u8,
    is_final: bool,
    p: &BreakParams,
) -> f64 {
    let b = naive_badness(r);
    let mut d = (p.line_penalty + b).powi(2);
    if !line.forced {
        d += line.cost.signum() * line.cost * line.cost;
    }
    if prev_flagged && is_final {
        d += p.final_hyphen_demerits;
    } else if prev_flagged && line.flagged {
        d += p.double_hyphen_demerits;
    }
    if prev_fitness.abs_diff(naive_fitness(r)) > 1 {
        d += p.adjacent_demerits;
    }
    d
}

/// Naive lines of a breaking.
fn lines_of(items: &[Item], breaking: &Breaking) -> Vec<NaiveLine> {
    let mut from = None;
    let mut lines = Vec::new();
    for b in &breaking.breaks {
        lines.push(naive_line(items, from, b.index));
        from = Some(b.index);
    }
    lines
}

/// Check a breaking against the naive model: legal breaks, the last one at the end,
/// no overfull line unless reported, and ratios that really fill the measure.
fn check_breaking(items: &[Item], breaking: &Breaking, width: &dyn Fn(usize) -> f64) {
    let last = breaking.breaks.last().expect("a non-empty paragraph has lines");
    assert_eq!(last.index, items.len() - 1, "last break is the final penalty");
    let lines = lines_of(items, breaking);
    for (n, (line, b)) in lines.iter().zip(&breaking.breaks).enumerate() {
        match items[b.index] {
            Item::Box { .. } => panic!("break at a box"),
            Item::Glue { .. } => {
                assert!(matches!(items[b.index - 1], Item::Box { .. }))
            }
            Item::Penalty { cost, flagged, .. } => {
                assert!(cost < INFINITY, "break at a forbidden penalty");
                assert_eq!(flagged, b.flagged);
            }
        }
        if !line.forced {
            assert!(naive_box_follows(items, b.index), "break leaves an empty line");
        }
        let measure = width(n);
        let overfull = line.natural - line.shrink > measure + EPS;
        assert_eq!(
            overfull,
            breaking.overfull_lines.contains(&n),
            "line {n} overfull status"
        );
        let r = naive_ratio(line, measure);
        if r.is_finite() && r >= -1.0 {
            assert!(
                (r - b.ratio).abs() < EPS,
                "line {n}: ratio {} vs naive {r}",
                b.ratio
            );
        }
    }
}

/// Whether a box comes after `i` before any forced break.
fn naive_box_follows(items: &[Item], i: usize) -> bool {
    for item in &items[i + 1..] {
        match *item {
            Item::Box { .. } => return true,
            Item::Penalty { cost, .. } if cost <= -INFINITY => return false,
            _ => {}
        }
    }
    false
}

/// Longest run of consecutive lines ending in flagged breaks.
fn longest_hyphen_run(breaking: &Breaking) -> usize {
    let mut run = 0;
    let mut longest = 0;
    for b in &breaking.breaks {
        run = if b.flagged { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    longest
}

/// Exhaustive search for the cheapest breaking whose lines all have badness at most
/// `threshold` (flagged breaks only if allowed, hyphen runs within the limit).
fn brute_force(
    items: &[Item],
    width: &dyn Fn(usize) -> f64,
    p: &BreakParams,
    threshold: f64,
    allow_flagged: bool,
) -> Option<f64> {
    let mut breakpoints = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let legal = match *item {
            Item::Box { .. } => false,
            Item::Glue { .. } => i > 0 && matches!(items[i - 1], Item::Box { .. }),
            Item::Penalty { cost, flagged, .. } => {
                cost < INFINITY && (allow_flagged || !flagged || cost <= -INFINITY)
            }
        };
        let forced = matches!(*item, Item::Penalty { cost, .. } if cost <= -INFINITY);
        if legal && (forced || naive_box_follows(items, i)) {
            breakpoints.push(i);
        }
    }
    let mut best = None;
    search(
        items,
        width,
        p,
        threshold,
        &breakpoints,
        None,
        0,
        false,
        2,
        0,
        0.0,
        &mut best,
    );
    best
}

/// Depth-first part of [`brute_force`].
#[allow(clippy::too_many_arguments)]
fn search(
    items: &[Item],
    width: &dyn Fn(usize) -> f64,
    p: &BreakParams,
    threshold: f64,
    breakpoints: &[usize],
    from: Option<usize>,
    line_no: usize,
    prev_flagged: bool,
    prev_fitness: u8,
    run: usize,
    acc: f64,
    best: &mut Option<f64>,
) {
    let final_index = items.len() - 1;
    for &to in breakpoints.iter().filter(|&&b| from.is_none_or(|f| b > f)) {
        let line = naive_line(items, from, to);
        let measure = width(line_no);
        if line.base - line.shrink > measure + EPS {
            break;
        }
        let r = naive_ratio(&line, measure);
        let limit = p.max_consecutive_hyphens;
        let legal = limit == 0 || !line.flagged || line.forced || run < limit;
        if r >= -1.0 - 1e-9 && naive_badness(r) <= threshold && legal {
            let is_final = to == final_index;
            let d =
                acc + naive_demerits(&line, r, prev_flagged, prev_fitness, is_final, p);
            if is_final {
                if best.is_none_or(|b| d < b) {
                    *best = Some(d);
                }
            } else {
                let run = if line.flagged { run + 1 } else { 0 };
                let fit = naive_fitness(r);
                search(
                    items,
                    width,
                    p,
                    threshold,
                    breakpoints,
                    Some(to),
                    line_no + 1,
                    line.flagged,
                    fit,
                    run,
                    d,
                    best,
                );
            }
        }
        if line.forced {
            break;
        }
    }
}

/// Relative closeness of two demerit totals.
fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= EPS * (1.0 + a.abs().max(b.abs()))
}

#[test]
fn no_overfull_line_when_a_feasible_breaking_exists() {
    let params = BreakParams::default();
    let mut checked = 0;
    for seed in 0..40u64 {
        for &measure in &[12.0, 18.0, 25.0, 33.0, 40.0, 60.0] {
            let hyphenate = seed % 2 == 0;
            let items = random_paragraph(seed, 30 + (seed as usize * 7) % 90, hyphenate);
            let width = |_: usize| measure;
            let greedy = break_first_fit(&items, width, &params);
            // Words have at most 10 letters, so no line need be overfull.
            assert!(greedy.overfull_lines.is_empty());
            let kp = break_paragraph(&items, width, &params);
            assert!(
                kp.overfull_lines.is_empty(),
                "seed {seed} measure {measure}: {kp:?}"
            );
            check_breaking(&items, &kp, &width);
            check_breaking(&items, &greedy, &width);
            checked += 1;
        }
    }
    assert_eq!(checked, 240);
}

#[test]
fn total_fit_demerits_never_exceed_first_fit() {
    let params = BreakParams::default();
    let mut compared = 0;
    for seed in 0..150u64 {
        for &measure in &[35.0, 45.0, 55.0, 66.0, 80.0] {
            let items = random_paragraph(
                seed + 1000,
                20 + (seed as usize * 13) % 100,
                seed % 3 != 0,
            );
            let width = |_: usize| measure;
            let greedy = break_first_fit(&items, width, &params);
            let kp = break_paragraph(&items, width, &params);
            let kp_demerits = demerits_of(&items, &kp.breaks, width, &params);
            let greedy_demerits = demerits_of(&items, &greedy.breaks, width, &params);
            assert!(close(kp_demerits, kp.total_demerits));
            assert!(close(greedy_demerits, greedy.total_demerits));
            // First-fit is feasible for a pass when it meets that pass's limits; the
            // optimum of the pass that ran can then be no worse.
            if greedy.pass == kp.pass && kp.pass != Pass::Overfull {
                assert!(
                    kp_demerits <= greedy_demerits + EPS,
                    "seed {seed} measure {measure}: {kp_demerits} > {greedy_demerits}"
                );
                compared += 1;
            }
            if greedy.pass == Pass::NoHyphenation {
                assert_eq!(kp.pass, Pass::NoHyphenation);
            }
        }
    }
    assert!(compared >= 250, "only {compared} feasible first-fit breakings");
}

#[test]
fn non_breaking_space_is_never_broken() {
    let params = BreakParams::default();
    for seed in 0..30u64 {
        let mut rng = Lcg(seed);
        let mut items = Vec::new();
        let mut tied = Vec::new();
        for w in 0..80 {
            if w > 0 {
                if rng.below(3) == 0 {
                    items.push(Item::Penalty {
                        width: 0.0,
                        cost: INFINITY,
                        flagged: false,
                    });
                    tied.push(items.len());
                }
                items.push(SPACE);
            }
            push_word(&mut items, &random_word(&mut rng, true), HYPHEN_COST);
        }
        finish(&mut items);
        for &measure in &[15.0, 24.0, 40.0] {
            let width = |_: usize| measure;
            for breaking in [
                break_paragraph(&items, width, &params),
                break_first_fit(&items, width, &params),
            ] {
                for b in &breaking.breaks {
                    assert!(
                        !tied.contains(&b.index),
                        "broke a non-breaking space at {}",
                        b.index
                    );
                    assert!(
                        !tied.contains(&(b.index + 1)),
                        "broke at an infinite penalty"
                    );
                }
                check_breaking(&items, &breaking, &width);
            }
        }
    }
}

#[test]
fn forced_break_mid_paragraph_is_honoured() {
    let params = BreakParams::default();
    for seed in 0..20u64 {
        let mut items = random_paragraph(seed, 25, true);
        // Remove the end, add a forced break after \hfil, then more words.
        items.truncate(items.len() - 2);
        items.push(Item::Glue { width: 0.0, stretch: FIL, shrink: 0.0 });
        items.push(Item::Penalty { width: 0.0, cost: -INFINITY, flagged: false });
        let forced = items.len() - 1;
        items.extend(random_paragraph(seed + 77, 25, true));
        for &measure in &[20.0, 31.0, 45.0, 300.0] {
            let width = |_: usize| measure;
            let kp = break_paragraph(&items, width, &params);
            let at = kp
                .breaks
                .iter()
                .position(|b| b.index == forced)
                .expect("forced break taken");
            assert!(
                kp.breaks[at].ratio.abs() < EPS,
                "the \\hfil line is set at natural width"
            );
            if measure > 200.0 {
                // Each half fits on one line ending in fil glue: no stretching.
                assert_eq!(kp.breaks.len(), 2);
                assert_eq!(kp.pass, Pass::NoHyphenation);
            }
            check_breaking(&items, &kp, &width);
            let greedy = break_first_fit(&items, width, &params);
            assert!(greedy.breaks.iter().any(|b| b.index == forced));
        }
    }
    // Without fil glue the line is stretched, but the break is still taken.
    let mut items = Vec::new();
    push_word(&mut items, &[3], HYPHEN_COST);
    items.push(Item::Penalty { width: 0.0, cost: -INFINITY, flagged: false });
    push_word(&mut items, &[4], HYPHEN_COST);
    finish(&mut items);
    let kp = break_paragraph(&items, |_| 20.0, &params);
    assert_eq!(kp.breaks.iter().map(|b| b.index).collect::<Vec<_>>(), vec![1, 4]);
}

#[test]
fn consecutive_hyphens_are_limited() {
    // Make hyphens cheap so the unconstrained optimum builds hyphen ladders.
    let free = BreakParams {
        max_consecutive_hyphens: 0,
        double_hyphen_demerits: 0.0,
        ..BreakParams::default()
    };
    let limited = BreakParams { max_consecutive_hyphens: 2, ..free.clone() };
    let mut ladders = 0;
    let mut solved = 0;
    for seed in 0..200u64 {
        let mut rng = Lcg(seed + 5);
        let mut items = Vec::new();
        for w in 0..40 {
            if w > 0 {
                items.push(SPACE);
            }
            // Long, richly hyphenatable words.
            let word: Vec<usize> =
                (0..2 + rng.below(3)).map(|_| 2 + rng.below(2) as usize).collect();
            push_word(&mut items, &word, 0.0);
        }
        finish(&mut items);
        let measure = 36.0 + (seed % 8) as f64;
        let width = |_: usize| measure;
        let unconstrained = break_paragraph(&items, width, &free);
        let constrained = break_paragraph(&items, width, &limited);
        check_breaking(&items, &constrained, &width);
        assert!(longest_hyphen_run(&constrained) <= 2, "seed {seed}: {constrained:?}");
        if longest_hyphen_run(&unconstrained) >= 3 {
            ladders += 1;
            // A constraint can only cost demerits, and the limited result is still
            // within tolerance (the constraint is solved, not abandoned).
            if unconstrained.pass == constrained.pass {
                assert!(constrained.total_demerits >= unconstrained.total_demerits - EPS);
            }
            if constrained.pass != Pass::Overfull {
                solved += 1;
            }
        }
    }
    assert!(ladders >= 5, "only {ladders} paragraphs with 3+ hyphens in a row");
    assert!(solved >= 5, "only {solved} ladders removed within tolerance");
}

#[test]
fn hyphen_limit_on_a_handmade_ladder() {
    // Words "ab-cd-ef" (three 2-letter syllables) with generous spaces: in a measure
    // of 24 the unconstrained optimum ends three lines in a row with a hyphen.
    let ladder = |words: usize| {
        let mut items = Vec::new();
        for w in 0..words {
            if w > 0 {
                items.push(Item::Glue { width: 1.0, stretch: 1.0, shrink: 0.33 });
            }
            push_word(&mut items, &[2, 2, 2], 0.0);
        }
        finish(&mut items);
        items
    };
    let width = |_: usize| 24.0;
    let free = BreakParams {
        max_consecutive_hyphens: 0,
        double_hyphen_demerits: 0.0,
        ..BreakParams::default()
    };
    let items = ladder(14);
    let unconstrained = break_paragraph(&items, width, &free);
    assert_eq!(unconstrained.pass, Pass::Hyphenation);
    assert_eq!(longest_hyphen_run(&unconstrained), 3, "{unconstrained:?}");
    let optimum = brute_force(&items, &width, &free, free.tolerance, true);
    assert!(close(optimum.unwrap_or(f64::NAN), unconstrained.total_demerits));
    for limit in [1, 2] {
        let p = BreakParams { max_consecutive_hyphens: limit, ..free.clone() };
        let limited = break_paragraph(&items, width, &p);
        assert!(longest_hyphen_run(&limited) <= limit, "{limited:?}");
        check_breaking(&items, &limited, &width);
        // The result is the true optimum among breakings obeying the limit.
        match brute_force(&items, &width, &p, p.tolerance, true) {
            Some(best) => {
                assert_eq!(limited.pass, Pass::Hyphenation);
                assert!(close(best, limited.total_demerits), "{best} vs {limited:?}");
                assert!(best > unconstrained.total_demerits);
            }
            None => assert_eq!(limited.pass, Pass::Overfull),
        }
    }
    // A longer ladder: four in a row when unlimited, two with the default limit.
    let items = ladder(18);
    assert_eq!(longest_hyphen_run(&break_paragraph(&items, width, &free)), 4);
    let limited = BreakParams { max_consecutive_hyphens: 2, ..free.clone() };
    let kp = break_paragraph(&items, width, &limited);
    assert_eq!(kp.pass, Pass::Hyphenation);
    assert_eq!(longest_hyphen_run(&kp), 2);
}

#[test]
fn box_wider_than_the_measure_is_reported_overfull() {
    let params = BreakParams::default();
    let mut items = random_paragraph(3, 12, false);
    let tail = items.split_off(items.len() - 2);
    items.push(SPACE);
    items.push(Item::Box { width: 50.0 });
    let wide = items.len() - 1;
    items.push(SPACE);
    push_word(&mut items, &[4], HYPHEN_COST);
    items.extend(tail);
    let width = |_: usize| 20.0;
    let kp = break_paragraph(&items, width, &params);
    assert_eq!(kp.pass, Pass::Overfull);
    assert_eq!(kp.overfull_lines.len(), 1, "{kp:?}");
    let line = kp.overfull_lines[0];
    // The overfull line holds the wide box and nothing else.
    assert_eq!(kp.breaks[line].index, wide + 1);
    assert_eq!(kp.breaks[line - 1].index, wide - 1);
    assert_eq!(kp.breaks[line].ratio, -1.0);
    check_breaking(&items, &kp, &width);
    assert!(close(kp.total_demerits, demerits_of(&items, &kp.breaks, width, &params)));
    // First-fit survives it too.
    let greedy = break_first_fit(&items, width, &params);
    assert_eq!(greedy.pass, Pass::Overfull);
    assert!(!greedy.overfull_lines.is_empty());
    // A paragraph that is nothing but a too-wide box.
    let mut lone = vec![Item::Box { width: 99.0 }];
    finish(&mut lone);
    let kp = break_paragraph(&lone, width, &params);
    assert_eq!(kp.pass, Pass::Overfull);
    assert_eq!(kp.overfull_lines, vec![0]);
    assert_eq!(kp.breaks.len(), 1);
}

#[test]
fn passes_escalate_only_when_needed() {
    let params = BreakParams::default();
    // Pass 1: generous measure, hyphenation available but not needed.
    let items = random_paragraph(11, 60, true);
    let kp = break_paragraph(&items, |_| 60.0, &params);
    assert_eq!(kp.pass, Pass::NoHyphenation);
    assert!(kp.breaks.iter().all(|b| !b.flagged));

    // Pass 2: "aaaaaa bbb-|bbb" in a measure of 11 fits only by hyphenating.
    let mut items = Vec::new();
    push_word(&mut items, &[6], HYPHEN_COST);
    items.push(Item::Glue { width: 1.0, stretch: 1.0, shrink: 0.5 });
    push_word(&mut items, &[3, 3], HYPHEN_COST);
    finish(&mut items);
    let kp = break_paragraph(&items, |_| 11.0, &params);
    assert_eq!(kp.pass, Pass::Hyphenation);
    assert_eq!(kp.breaks.iter().map(|b| b.index).collect::<Vec<_>>(), vec![3, 6]);
    assert!(kp.breaks[0].flagged);
    // 10² + 50² for the hyphenated line, 10² for the last, plus final-hyphen.
    assert!(close(kp.total_demerits, 100.0 + 2_500.0 + 100.0 + 5_000.0));

    // Pass 3: "aaaaaa aaaaaa" in a measure of 10 needs 4 units of emergency stretch.
    let mut items = Vec::new();
    push_word(&mut items, &[6], HYPHEN_COST);
    items.push(Item::Glue { width: 1.0, stretch: 1.0, shrink: 0.5 });
    push_word(&mut items, &[6], HYPHEN_COST);
    finish(&mut items);
    let emergency = BreakParams { emergency_stretch: 4.0, ..params.clone() };
    let kp = break_paragraph(&items, |_| 10.0, &emergency);
    assert_eq!(kp.pass, Pass::EmergencyStretch);
    assert_eq!(kp.breaks.iter().map(|b| b.index).collect::<Vec<_>>(), vec![1, 4]);
    // Without emergency stretch the last resort prefers an underfull line to an
    // overfull one.
    let kp = break_paragraph(&items, |_| 10.0, &params);
    assert_eq!(kp.pass, Pass::Overfull);
    assert!(kp.overfull_lines.is_empty());
    // Too little emergency stretch is not enough either.
    let weak = BreakParams { emergency_stretch: 3.0, ..params.clone() };
    assert_eq!(break_paragraph(&items, |_| 10.0, &weak).pass, Pass::Overfull);
    // Negative pretolerance skips the first pass, as in TeX.
    let skip = BreakParams { pretolerance: -1.0, ..params.clone() };
    let items = random_paragraph(11, 60, true);
    assert_eq!(break_paragraph(&items, |_| 60.0, &skip).pass, Pass::Hyphenation);
}

#[test]
fn final_line_ratio_is_zero_and_line_widths_are_respected() {
    let params = BreakParams::default();
    let shape = |n: usize| match n {
        0 => 14.0,
        1 => 20.0,
        _ => 34.0,
    };
    let mut wide_lines = 0;
    for seed in 0..30u64 {
        let items = random_paragraph(seed + 300, 60, seed % 2 == 1);
        let kp = break_paragraph(&items, shape, &params);
        check_breaking(&items, &kp, &shape);
        assert!(kp.overfull_lines.is_empty());
        let last = kp.breaks.last().expect("lines");
        assert!(last.ratio.abs() < 1e-12);
        let lines = lines_of(&items, &kp);
        assert!(lines[0].natural - lines[0].shrink <= 14.0 + EPS);
        assert!(lines[1].natural - lines[1].shrink <= 20.0 + EPS);
        wide_lines +=
            lines[2..lines.len() - 1].iter().filter(|l| l.natural > 25.0).count();
        // An alternating shape never becomes constant; nodes keep their line numbers.
        let zigzag = |n: usize| if n.is_multiple_of(2) { 18.0 } else { 30.0 };
        let kp = break_paragraph(&items, zigzag, &params);
        check_breaking(&items, &kp, &zigzag);
        assert!(kp.overfull_lines.is_empty());
    }
    assert!(wide_lines > 100, "the wider measure after line 2 is used");
    // Fil given as a large finite number also leaves the last line nearly
    // unstretched.
    let mut items = random_paragraph(9, 40, false);
    let n = items.len();
    items[n - 2] = Item::Glue { width: 0.0, stretch: 1e6, shrink: 0.0 };
    let kp = break_paragraph(&items, |_| 30.0, &params);
    assert!(kp.breaks.last().expect("lines").ratio.abs() < 1e-4);
}

#[test]
fn empty_and_degenerate_input_does_not_panic() {
    let params = BreakParams::default();
    let width = |_: usize| 20.0;
    let empty = break_paragraph(&[], width, &params);
    assert!(empty.breaks.is_empty());
    assert_eq!(empty.total_demerits, 0.0);
    assert!(break_first_fit(&[], width, &params).breaks.is_empty());
    assert_eq!(demerits_of(&[], &[], width, &params), 0.0);

    let mut only_end = Vec::new();
    finish(&mut only_end);
    let kp = break_paragraph(&only_end, width, &params);
    assert_eq!(kp.breaks.len(), 1);
    assert_eq!(kp.breaks[0].index, 1);
    assert_eq!(kp.breaks[0].ratio, 0.0);
    assert_eq!(kp.pass, Pass::NoHyphenation);
    assert_eq!(break_first_fit(&only_end, width, &params).breaks.len(), 1);

    // A lone forced break, no final penalty, junk values, odd measures.
    let lone = [Item::Penalty { width: 0.0, cost: -INFINITY, flagged: false }];
    assert_eq!(break_paragraph(&lone, width, &params).breaks.len(), 1);
    let open = [Item::Box { width: 3.0 }, SPACE, Item::Box { width: 4.0 }];
    let kp = break_paragraph(&open, width, &params);
    assert_eq!(kp.breaks.last().map(|b| b.index), Some(open.len()));
    assert_eq!(
        break_first_fit(&open, width, &params).breaks.last().map(|b| b.index),
        Some(3)
    );
    let junk = [
        Item::Glue { width: f64::NAN, stretch: f64::NAN, shrink: f64::INFINITY },
        Item::Box { width: f64::INFINITY },
        Item::Penalty { width: f64::NAN, cost: f64::NAN, flagged: true },
        Item::Box { width: -5.0 },
        Item::Glue { width: 1.0, stretch: -1.0, shrink: -1.0 },
        Item::Penalty { width: 1.0, cost: -INFINITY, flagged: true },
        Item::Glue { width: 0.0, stretch: FIL, shrink: 0.0 },
        Item::Penalty { width: 0.0, cost: -INFINITY, flagged: false },
    ];
    for measure in [20.0, 0.0, -5.0, f64::NAN, f64::INFINITY] {
        for items in [&junk[..], &only_end[..], &open[..], &lone[..]] {
            let w = |_: usize| measure;
            let kp = break_paragraph(items, w, &params);
            assert!(!kp.breaks.is_empty());
            let _ = break_first_fit(items, w, &params);
            let _ = demerits_of(items, &kp.breaks, w, &params);
        }
    }
    // Garbage break lists for demerits_of.
    let bogus = [
        Break { index: 7, ratio: 0.0, flagged: false },
        Break { index: 2, ratio: 0.0, flagged: false },
        Break { index: 99, ratio: 0.0, flagged: false },
    ];
    let _ = demerits_of(&junk, &bogus, width, &params);
}

#[test]
fn result_is_the_brute_force_optimum() {
    let mut cases = 0;
    for seed in 0..400u64 {
        let mut rng = Lcg(seed + 40_000);
        let words = 3 + rng.below(6) as usize;
        let items = random_paragraph(seed + 7_000, words, true);
        let base = 10.0 + rng.below(12) as f64;
        let first = base - rng.below(4) as f64;
        let width = move |n: usize| if n == 0 { first } else { base + (n % 3) as f64 };
        let params = BreakParams {
            max_consecutive_hyphens: (seed % 3) as usize,
            double_hyphen_demerits: if seed % 2 == 0 { 0.0 } else { 10_000.0 },
            adjacent_demerits: if seed % 5 == 0 { 0.0 } else { 10_000.0 },
            ..BreakParams::default()
        };
        let kp = break_paragraph(&items, width, &params);
        check_breaking(&items, &kp, &width);
        let pass1 = brute_force(&items, &width, &params, params.pretolerance, false);
        let pass2 = brute_force(&items, &width, &params, params.tolerance, true);
        match (pass1, pass2) {
            (Some(best), _) => {
                assert_eq!(kp.pass, Pass::NoHyphenation, "seed {seed}");
                assert!(close(best, kp.total_demerits), "seed {seed}: {best} vs {kp:?}");
                cases += 1;
            }
            (None, Some(best)) => {
                assert_eq!(kp.pass, Pass::Hyphenation, "seed {seed}");
                assert!(close(best, kp.total_demerits), "seed {seed}: {best} vs {kp:?}");
                cases += 1;
            }
            (None, None) => assert_eq!(kp.pass, Pass::Overfull, "seed {seed}"),
        }
        if kp.pass != Pass::Overfull {
            assert!(close(
                kp.total_demerits,
                demerits_of(&items, &kp.breaks, width, &params)
            ));
        }
    }
    assert!(cases >= 100, "only {cases} feasible cases");
    assert!(cases <= 390, "too few infeasible cases to test the fallback");
}

#[test]
fn looseness_changes_the_line_count_when_possible() {
    let mut tighter = 0;
    let mut looser = 0;
    for seed in 0..40u64 {
        let items = random_paragraph(seed + 500, 80, true);
        let width = |_: usize| 40.0;
        let params = BreakParams::default();
        let optimum = break_paragraph(&items, width, &params);
        for looseness in [-1, 1] {
            let p = BreakParams { looseness, ..params.clone() };
            let kp = break_paragraph(&items, width, &p);
            check_breaking(&items, &kp, &width);
            let diff = kp.breaks.len() as i64 - optimum.breaks.len() as i64;
            // Never overshoots and never moves the wrong way.
            assert!(diff == 0 || diff == i64::from(looseness), "seed {seed}: {diff}");
            if diff == -1 {
                tighter += 1;
            }
            if diff == 1 {
                looser += 1;
            }
        }
    }
    assert!(tighter > 0 && looser > 0, "tighter {tighter}, looser {looser}");
}

#[test]
fn reused_breaker_matches_the_free_function() {
    let params = BreakParams { emergency_stretch: 3.0, ..BreakParams::default() };
    let mut breaker = LineBreaker::new();
    for seed in 0..20u64 {
        let items = random_paragraph(seed, 50, true);
        let width = |n: usize| if n < 2 { 15.0 } else { 22.0 };
        assert_eq!(
            breaker.break_paragraph(&items, width, &params),
            break_paragraph(&items, width, &params)
        );
    }
}

#[test]
fn long_paragraph_stays_linear() {
    // 100 000 words in one paragraph: must finish quickly with no overfull lines.
    let params = BreakParams::default();
    let items = random_paragraph(42, 100_000, true);
    let started = std::time::Instant::now();
    let kp = break_paragraph(&items, |_| 80.0, &params);
    let elapsed = started.elapsed();
    assert!(kp.overfull_lines.is_empty());
    assert_ne!(kp.pass, Pass::Overfull);
    assert_eq!(kp.breaks.last().map(|b| b.index), Some(items.len() - 1));
    assert!(elapsed.as_secs() < 20, "took {elapsed:?}");
    // Looseness is not applied to a paragraph this long (it would be quadratic).
    let loose = BreakParams { looseness: 1, ..params.clone() };
    let started = std::time::Instant::now();
    assert_eq!(break_paragraph(&items, |_| 80.0, &loose), kp);
    assert!(started.elapsed().as_secs() < 20);
}

/// A paragraph with a long word broken anywhere, as `items` makes one: one-unit boxes
/// with an emergency penalty between them, among ordinary words.
fn paragraph_with_long_word(seed: u64, letters: usize) -> Vec<Item> {
    let mut items = random_paragraph(seed, 8, true);
    items.truncate(items.len() - 2);
    items.push(SPACE);
    for k in 0..letters {
        if k > 0 {
            items.push(Item::Penalty { width: 0.0, cost: 9_000.0, flagged: false });
        }
        items.push(Item::Box { width: 1.0 });
    }
    items.push(SPACE);
    let tail = random_paragraph(seed + 1, 8, true);
    items.extend(tail);
    items
}

#[test]
fn stopping_the_scan_at_the_first_loose_line_changes_nothing() {
    let shapes: [&dyn Fn(usize) -> f64; 3] =
        [&|_| 30.0, &|n| if n < 2 { 24.0 } else { 30.0 }, &|n| {
            20.0 + (n % 3) as f64 * 6.0
        }];
    let mut params = vec![BreakParams::default()];
    params.push(BreakParams { emergency_stretch: 3.0, ..BreakParams::default() });
    params.push(BreakParams { looseness: 1, ..BreakParams::default() });
    params.push(BreakParams {
        looseness: -1,
        pretolerance: -1.0,
        ..BreakParams::default()
    });
    params.push(BreakParams {
        tolerance: 30.0,
        pretolerance: 10.0,
        ..BreakParams::default()
    });
    let mut paragraphs: Vec<Vec<Item>> = (0..40)
        .map(|seed| random_paragraph(seed + 500, 40 + seed as usize * 3, seed % 2 == 0))
        .collect();
    paragraphs.extend(
        (0..10).map(|seed| paragraph_with_long_word(seed + 900, 50 + 17 * seed as usize)),
    );
    // Spaces of uneven stretch and shrink, so that lines differ in more than width.
    let mut rng = Lcg(77);
    for items in paragraphs.iter_mut().skip(20) {
        for item in items.iter_mut() {
            if *item == SPACE {
                let stretch = 0.1 + rng.below(10) as f64 / 10.0;
                let shrink = rng.below(5) as f64 / 10.0;
                *item = Item::Glue { width: 1.0, stretch, shrink };
            }
        }
    }
    for (p, items) in paragraphs.iter().enumerate() {
        for shape in shapes {
            for param in &params {
                let fast = LineBreaker::new().break_paragraph(items, shape, param);
                let mut full = LineBreaker { exhaustive: true, ..LineBreaker::new() };
                let slow = full.break_paragraph(items, shape, param);
                assert_eq!(fast, slow, "paragraph {p}, {param:?}");
            }
        }
    }
}

#[test]
fn prohibitive_final_hyphen_demerits_keep_the_last_line_whole() {
    // The paperback's value (see `build::print_style`): no paragraph ends on the tail
    // of a word broken at the line before, where any other breaking exists.
    const PROHIBITIVE: f64 = 10_000_000.0;
    let house =
        BreakParams { final_hyphen_demerits: PROHIBITIVE, ..BreakParams::default() };
    let ends_on_a_tail =
        |b: &Breaking| b.breaks.len() >= 2 && b.breaks[b.breaks.len() - 2].flagged;
    let (mut tex, mut removed) = (0, 0);
    for seed in 0..400u64 {
        let items = random_paragraph(seed, 20 + (seed % 40) as usize, true);
        let measure = 40.0 + (seed % 20) as f64;
        let width = |_: usize| measure;
        let plain = break_paragraph(&items, width, &BreakParams::default());
        let strict = break_paragraph(&items, width, &house);
        check_breaking(&items, &strict, &width);
        if ends_on_a_tail(&plain) {
            tex += 1;
            removed += usize::from(!ends_on_a_tail(&strict));
        }
        // Kept only where every breaking within tolerance has one: the optimum then
        // carries the whole charge.
        if ends_on_a_tail(&strict) && strict.pass == Pass::Hyphenation {
            assert!(strict.total_demerits >= PROHIBITIVE, "seed {seed}: {strict:?}");
        }
    }
    assert!(tex >= 20, "TeX's own value left only {tex} final hyphens");
    assert!(removed * 4 >= tex * 3, "only {removed} of {tex} final hyphens removed");
}

#[test]
fn expansion_adds_a_share_of_the_boxes_to_stretch_and_shrink() {
    // Ten words of 5 units and nine spaces: natural width 59, glue stretch 4.5, glue
    // shrink 2.97, box width 50.
    // The spaces are not breaks (a penalty of INFINITY before each), so the paragraph
    // is one line, whatever its fit.
    let mut items = Vec::new();
    for w in 0..10 {
        if w > 0 {
            items.push(Item::Penalty { width: 0.0, cost: INFINITY, flagged: false });
            items.push(SPACE);
        }
        items.push(Item::Box { width: 5.0 });
    }
    items.push(Item::Penalty { width: 0.0, cost: -INFINITY, flagged: false });
    let hz =
        BreakParams { expansion: 0.02, tolerance: 10_000.0, ..BreakParams::default() };
    let tex = BreakParams { tolerance: 10_000.0, ..BreakParams::default() };
    // Stretched by 5: glue alone 5 / 4.5; with 2 % of 50 = 1 more, 5 / 5.5.
    let ratio = |params: &BreakParams, measure: f64| {
        break_paragraph(&items, |_| measure, params).breaks[0].ratio
    };
    assert!(close(ratio(&tex, 64.0), 5.0 / 4.5));
    assert!(close(ratio(&hz, 64.0), 5.0 / 5.5));
    // Shrunk by 3.5: past the glue's 2.97 (overfull without expansion), within the
    // 3.97 that expansion gives.
    let plain = break_paragraph(&items, |_| 55.5, &tex);
    assert!(!plain.overfull_lines.is_empty());
    let expanded = break_paragraph(&items, |_| 55.5, &hz);
    assert!(expanded.overfull_lines.is_empty());
    assert!(close(expanded.breaks[0].ratio, -3.5 / 3.97));
}

/// Five ten-letter words and a ten-letter word that may break after its third letter,
/// for a 60-unit measure. At 2.5 % expansion the first line can neither end before the
/// long word (ratio 6 / 3.25 ≈ 1.85, beyond tolerance) nor take it whole (5 units too
/// wide, with 3.15 of shrink): the only breaking within tolerance ends the paragraph on
/// the word's tail.
fn tail_or_loose() -> Vec<Item> {
    let mut items = Vec::new();
    for w in 0..5 {
        if w > 0 {
            items.push(SPACE);
        }
        items.push(Item::Box { width: 10.0 });
    }
    items.push(SPACE);
    push_word(&mut items, &[3, 7], HYPHEN_COST);
    finish(&mut items);
    items
}

/// The paperback's costs: 2.5 % expansion, final-hyphen demerits of 10⁷.
fn house() -> BreakParams {
    BreakParams {
        expansion: 0.025,
        final_hyphen_demerits: 10_000_000.0,
        ..BreakParams::default()
    }
}

#[test]
fn a_paragraph_with_no_clean_breaking_is_rescued_with_more_flex() {
    let items = tail_or_loose();
    let width = |_: usize| 60.0;
    let plain = break_paragraph(&items, width, &house());
    assert!(!plain.clean(house().max_ratio()), "{plain:?}");
    assert_eq!(plain.expansion, 0.025);
    // 6 % of flex gives the whole line 1.65 + 3.6 = 5.25 of shrink: the word fits whole.
    let params = BreakParams { rescue_expansion: 0.06, ..house() };
    let rescued = break_paragraph(&items, width, &params);
    assert!(rescued.clean(1.0), "{rescued:?}");
    assert_eq!(rescued.expansion, 0.06);
    assert_eq!(rescued.breaks.len(), 1);
    assert!(close(rescued.breaks[0].ratio, -5.0 / 5.25), "{rescued:?}");
    // 4 % is not enough (4.05 of shrink, and ratio 1.5 to end before the word): the
    // breaking stays as it was, tail and all.
    let short = BreakParams { rescue_expansion: 0.04, ..house() };
    assert_eq!(break_paragraph(&items, width, &short), plain);
    // Looseness asks for another shape, which the rescue does not serve.
    let loose = BreakParams { rescue_expansion: 0.06, looseness: 1, ..house() };
    assert_eq!(break_paragraph(&items, width, &loose).expansion, 0.025);
}

#[test]
fn the_rescue_never_opens_a_space_past_ratio_one_and_leaves_clean_paragraphs_alone() {
    let params = BreakParams { rescue_expansion: 0.06, ..house() };
    let (mut dirty, mut rescued) = (0, 0);
    for seed in 0..2000u64 {
        let items = random_paragraph(seed, 6 + (seed % 20) as usize, true);
        let measure = 24.0 + (seed % 25) as f64;
        let width = |_: usize| measure;
        let plain = break_paragraph(&items, width, &house());
        let with = break_paragraph(&items, width, &params);
        assert_eq!(with.breaks.last().map(|b| b.index), Some(items.len() - 1));
        if plain.clean(house().max_ratio()) {
            assert_eq!(with, plain, "seed {seed}: a clean paragraph was set again");
            continue;
        }
        dirty += 1;
        if with.expansion == 0.06 {
            rescued += 1;
            assert!(with.clean(1.0), "seed {seed}: {with:?}");
            assert!(with.breaks.iter().all(|b| b.ratio <= 1.0), "seed {seed}");
        } else {
            assert_eq!(with, plain, "seed {seed}: a failed rescue changed the breaking");
        }
    }
    assert!(dirty >= 20, "only {dirty} paragraphs could not be set clean");
    assert!(rescued * 2 >= dirty, "only {rescued} of {dirty} rescued");
}
