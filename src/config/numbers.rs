//! The numbers of `book.toml`: each key's allowed range, checked with the key's place so
//! the message can say what to write instead. TOML reads `nan` and `inf` as numbers, so
//! every rule first asks for a finite value.
//!
//! The ranges keep every later phase on safe ground: the type fits the page
//! ([`check_trim`]), the line breaker's costs are TeX's usual ones (finite, so sums of
//! demerits stay comparable), and a handout's writing lines fit on one page with their
//! question.

use super::{Config, Problems};
use crate::layout::style::{
    MIN_BOOK_LINES, MIN_BOOK_MEASURE_EMS, TextBlock, smallest_book_trim,
};
use crate::layout::units::{Pt, TrimSize};
use toml::Spanned;

/// Smallest body type size, in points: below it print is hard to read.
pub const MIN_FONT_SIZE: f64 = 6.0;
/// Largest body type size, in points: large-print books use 16–18 pt.
pub const MAX_FONT_SIZE: f64 = 24.0;
/// Largest leading, in points: double spacing of the largest type.
pub const MAX_LEADING: f64 = 2.0 * MAX_FONT_SIZE;
/// Most ruled writing lines after a handout question. A question is kept on one page
/// with its lines; the smallest handout page, half an A4 sheet in a booklet, holds 36
/// lines, so 30 leave room for a question of four lines and its space (a test in
/// `build.rs` holds this against the styles).
pub const MAX_WRITING_LINES: u32 = 30;
/// The largest badness TeX distinguishes; a tolerance of it accepts any spacing, and a
/// penalty of it forbids the break.
const TEX_INFINITY: f64 = crate::layout::linebreak::INFINITY;

/// What one number key allows.
struct Rule {
    /// The key as written in `book.toml`.
    key: &'static str,
    /// What the number is, after "use": "a size in points".
    what: &'static str,
    /// Least allowed value.
    min: f64,
    /// Greatest allowed value.
    max: f64,
    /// Only whole numbers.
    whole: bool,
    /// The value when the key is absent.
    default: f64,
    /// What the ends of the range mean, if anything.
    note: &'static str,
}

impl Rule {
    /// The message for `value`, written `written` in `book.toml`, when it breaks the rule.
    fn problem(&self, value: f64, written: &str) -> Option<String> {
        let reason = if value.is_nan() {
            "is not a number"
        } else if !(self.min..=self.max).contains(&value) {
            "is out of range"
        } else if self.whole && value.fract() != 0.0 {
            "is not a whole number"
        } else {
            return None;
        };
        Some(format!("{} = {written} {reason}: {}", self.key, self.advice()))
    }

    /// "use a size in points from 6 to 24 (default 11)".
    fn advice(&self) -> String {
        let note =
            if self.note.is_empty() { String::new() } else { format!("; {}", self.note) };
        format!(
            "use {} from {} to {} (default {}{note})",
            self.what,
            show(self.min),
            show(self.max),
            show(self.default)
        )
    }
}

/// A number as a person would write it in `book.toml`: `nan`, `inf`, `14.5`, `4e9`.
pub fn show(x: f64) -> String {
    if x.is_nan() {
        "nan".into()
    } else if x.is_infinite() {
        if x > 0.0 { "inf".into() } else { "-inf".into() }
    } else if x != 0.0 && !(1e-4..1e9).contains(&x.abs()) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}

/// Checks every number of `[print]`, of each edition and of `[handouts]` (`[book]` has
/// none), then whether each trim leaves room for its type.
pub(super) fn check(config: &Config, problems: &mut Problems<'_>) {
    check_print(&config.print, problems);
    for edition in &config.editions {
        check_print(&edition.print, problems);
    }
    let lines = Rule {
        key: "lines-per-question",
        what: "a whole number",
        min: 0.0,
        max: f64::from(MAX_WRITING_LINES),
        whole: true,
        default: *super::HandoutConfig::default().lines_per_question.get_ref(),
        note: "0 for none",
    };
    check_one(&lines, &config.handouts.lines_per_question, problems);
    let minutes = Rule {
        key: "session-minutes",
        what: "a whole number of minutes",
        min: 20.0,
        max: 480.0,
        whole: true,
        default: *super::HandoutConfig::default().session_minutes.get_ref(),
        note: "the length of one group session",
    };
    check_one(&minutes, &config.handouts.session_minutes, problems);
}

/// Checks the numbers of one print edition's settings (`[print]`, or `[print]` with an
/// edition's own over it), then whether its trim leaves room for its type.
fn check_print(p: &super::PrintConfig, problems: &mut Problems<'_>) {
    let defaults = super::PrintConfig::default();
    let rule = |key, what, (min, max), default: &Spanned<f64>, note| Rule {
        key,
        what,
        min,
        max,
        whole: false,
        default: *default.get_ref(),
        note,
    };
    let font_size = rule(
        "font-size",
        "a size in points",
        (MIN_FONT_SIZE, MAX_FONT_SIZE),
        &defaults.font_size,
        "",
    );
    let size_ok = check_one(&font_size, &p.font_size, problems);
    let leading_ok = check_leading(p, size_ok, problems);
    for (value, what, range, default, note) in [
        (
            &p.tolerance,
            "tolerance",
            (0.0, TEX_INFINITY),
            &defaults.tolerance,
            "larger accepts looser lines",
        ),
        (
            &p.pretolerance,
            "pretolerance",
            (-1.0, TEX_INFINITY),
            &defaults.pretolerance,
            "-1 skips the pass without hyphenation",
        ),
        (
            &p.hyphen_penalty,
            "hyphen-penalty",
            (0.0, TEX_INFINITY),
            &defaults.hyphen_penalty,
            "10000 turns hyphenation off",
        ),
        (
            &p.consecutive_hyphen_demerits,
            "consecutive-hyphen-demerits",
            (0.0, 1_000_000.0),
            &defaults.consecutive_hyphen_demerits,
            "",
        ),
        (
            &p.expansion,
            "expansion",
            (0.0, super::MAX_EXPANSION),
            &defaults.expansion,
            "in per cent; 0 turns font expansion off",
        ),
    ] {
        check_one(&rule(what, "a number", range, default, note), value, problems);
    }
    check_trim(p, size_ok && leading_ok, problems);
}

/// Checks one number against its rule; true when it keeps it.
fn check_one(rule: &Rule, value: &Spanned<f64>, problems: &mut Problems<'_>) -> bool {
    match rule.problem(*value.get_ref(), &problems.written(value)) {
        Some(message) => {
            problems.add(value.span(), message);
            false
        }
        None => true,
    }
}

/// Leading runs from the font size (solid) to [`MAX_LEADING`]. A font size above the
/// default leading with no leading given is reported at the font size, which is what
/// was changed.
fn check_leading(
    p: &super::PrintConfig,
    size_ok: bool,
    problems: &mut Problems<'_>,
) -> bool {
    let (size, leading) = (*p.font_size.get_ref(), *p.leading.get_ref());
    let low = if size_ok { size } else { MIN_FONT_SIZE };
    let advice = format!(
        "use a number of points from the font size{} to {} (default {})",
        if size_ok { format!(" ({})", show(size)) } else { String::new() },
        show(MAX_LEADING),
        show(*super::PrintConfig::default().leading.get_ref())
    );
    let reason = if leading.is_nan() {
        "is not a number"
    } else if !(low..=MAX_LEADING).contains(&leading) {
        if size_ok && leading < size {
            "is less than the font size"
        } else {
            "is out of range"
        }
    } else {
        return true;
    };
    if is_default(&p.leading) {
        // Only the font size was set: say so there.
        problems.add(
            p.font_size.span(),
            format!(
                "font-size = {} is larger than the default leading ({} pt): also set \
                 leading, to a number of points from {} to {}",
                problems.written(&p.font_size),
                show(leading),
                show(size),
                show(MAX_LEADING)
            ),
        );
    } else {
        let written = problems.written(&p.leading);
        problems.add(p.leading.span(), format!("leading = {written} {reason}: {advice}"));
    }
    false
}

/// The trim must be one quire reads and, when the type is usable (`type_ok`), leave a
/// text block of at least [`MIN_BOOK_LINES`] lines of the leading and
/// [`MIN_BOOK_MEASURE_EMS`] ems of the type, with the widest gutter
/// ([`TextBlock::is_usable`]). The error says the smallest trim that does, and is placed
/// at the trim key, or at the leading or font size when the trim is the default.
fn check_trim(p: &super::PrintConfig, type_ok: bool, problems: &mut Problems<'_>) {
    let text = p.trim.get_ref();
    let (size, leading) = (Pt(*p.font_size.get_ref()), Pt(*p.leading.get_ref()));
    let smallest = smallest_book_trim(size, leading);
    let smallest_text =
        format!("\"{:.2}x{:.2}in\"", smallest.width.0 / 72.0, smallest.height.0 / 72.0);
    let trim = match TrimSize::parse(text) {
        Ok(trim) => trim,
        Err(mut message) => {
            // Unit-less numbers that are too small even in inches: say how small is usable.
            if type_ok
                && let Ok(inches) = TrimSize::parse(&format!("{}in", text.trim()))
                && !TextBlock::of(inches, size, leading).is_usable()
            {
                message.push_str(&format!(
                    "; for {} pt type on {} pt leading the smallest usable trim is {smallest_text}",
                    show(size.0),
                    show(leading.0)
                ));
            }
            problems.add(p.trim.span(), message);
            return;
        }
    };
    let block = TextBlock::of(trim, size, leading);
    if !type_ok || block.is_usable() {
        return;
    }
    let (span, default) = if !is_default(&p.trim) {
        (p.trim.span(), "")
    } else if !is_default(&p.leading) {
        (p.leading.span(), " (the default)")
    } else {
        (p.font_size.span(), " (the default)")
    };
    problems.add(
        span,
        format!(
            "trim {text:?}{default} is too small for {} pt type on {} pt leading: its text \
             block holds {} lines of {:.1} ems, and at least {MIN_BOOK_LINES} lines of \
             {MIN_BOOK_MEASURE_EMS} ems are needed; use a trim of at least {smallest_text}, \
             or smaller type or leading",
            show(size.0),
            show(leading.0),
            block.lines,
            block.ems.max(0.0),
        ),
    );
}

/// Whether a value is the default, its key absent from `book.toml`.
fn is_default<T>(value: &Spanned<T>) -> bool {
    value.span() == (0..0)
}

#[cfg(test)]
mod tests {
    use super::show;

    #[test]
    fn numbers_are_shown_as_toml_writes_them() {
        assert_eq!(show(f64::NAN), "nan");
        assert_eq!(show(f64::INFINITY), "inf");
        assert_eq!(show(f64::NEG_INFINITY), "-inf");
        assert_eq!(show(14.5), "14.5");
        assert_eq!(show(-1.0), "-1");
        assert_eq!(show(4e9), "4e9");
        assert_eq!(show(1e300), "1e300");
        assert_eq!(show(0.0), "0");
        assert_eq!(show(10_000.0), "10000");
    }
}
