//! Numbers in `book.toml`: every number out of its range (`nan`, `inf`, negative costs, a
//! leading taller than the page, a count that would fill memory, a trim too small for the
//! type) is an error at its key's line and column that says what to write instead; every
//! such problem is reported in one run, in line order; exit status 1 and nothing written.
//! The limits themselves are usable: the smallest trim quire allows builds with every line
//! inside the page, and so do the most writing lines a handout question may have.

mod common;

use common::*;

const ESSAY: &str = "# An Essay\n\nSome text that is long enough to fill a line or two of \
the page, so that the paragraph has something to break.\n";

/// A one-essay manuscript whose `book.toml` ends with `tail` (tables and keys).
fn manuscript(name: &str, tail: &str) -> (Manuscript, String) {
    let m = Manuscript::new(name, &[("essay.md", ESSAY)]);
    let toml = format!("{}\n{tail}", m.read("book.toml"));
    m.write("book.toml", &toml);
    (m, toml)
}

/// `error: <book.toml>:<line>:<column>: <message>` for the value of the first line of
/// `toml` starting with `key = `.
fn error_at(m: &Manuscript, toml: &str, key: &str, message: &str) -> String {
    let prefix = format!("\n{key} = ");
    let (line, _) = locate(toml, &prefix);
    let (line, column) = (line + 1, prefix.chars().count());
    format!("error: {}:{line}:{column}: {message}", m.dir().join("book.toml").display())
}

/// Runs `quire check` and `quire build --format all`: both must exit with status 1 and
/// print exactly `expected` (one line per error, then the count when there are several)
/// on stderr, and the build must write nothing.
fn assert_errors(m: &Manuscript, expected: &[String]) {
    let mut want = expected.join("\n") + "\n";
    if expected.len() > 1 {
        want.push_str(&format!("{} errors; nothing was written\n", expected.len()));
    }
    std::fs::create_dir_all(m.out()).unwrap();
    let check = run(quire().arg("check").arg(m.dir()));
    assert_eq!(check.status.code(), Some(1), "quire check: {}", stderr(&check));
    assert_eq!(stderr(&check), want, "quire check");
    assert_eq!(stdout(&check), "", "quire check");
    let build = run(quire()
        .arg("build")
        .arg(m.dir())
        .arg("--out")
        .arg(m.out())
        .args(["--format", "all"]));
    assert_eq!(build.status.code(), Some(1), "quire build: {}", stderr(&build));
    assert_eq!(stderr(&build), want, "quire build");
    assert_eq!(dir_entries(&m.out()), Vec::<String>::new(), "a failed build wrote files");
}

/// One bad value per manuscript: (test name, `book.toml` tail, the key whose value the
/// error is at, message).
fn assert_each(cases: &[(&str, &str, &str, &str)]) {
    for (name, tail, key, message) in cases {
        let (m, toml) = manuscript(name, tail);
        assert_errors(&m, &[error_at(&m, &toml, key, message)]);
    }
}

const LEADING_RANGE: &str =
    "use a number of points from the font size (11) to 48 (default 14.5)";

#[test]
fn type_size_and_leading_must_fit_the_page() {
    assert_each(&[
        (
            "lim_leading_nan",
            "[print]\nleading = nan\n",
            "leading",
            &format!("leading = nan is not a number: {LEADING_RANGE}"),
        ),
        (
            "lim_leading_inf",
            "[print]\nleading = inf\n",
            "leading",
            &format!("leading = inf is out of range: {LEADING_RANGE}"),
        ),
        (
            "lim_leading_700",
            "[print]\nleading = 700\n",
            "leading",
            &format!("leading = 700 is out of range: {LEADING_RANGE}"),
        ),
        (
            "lim_leading_solid_minus",
            "[print]\nleading = 10.5\n",
            "leading",
            &format!("leading = 10.5 is less than the font size: {LEADING_RANGE}"),
        ),
        (
            "lim_font_nan",
            "[print]\nfont-size = nan\nleading = 14.5\n",
            "font-size",
            "font-size = nan is not a number: use a size in points from 6 to 24 (default 11)",
        ),
        (
            "lim_font_tiny",
            "[print]\nfont-size = -11\n",
            "font-size",
            "font-size = -11 is out of range: use a size in points from 6 to 24 (default 11)",
        ),
        (
            "lim_font_over_default_leading",
            "[print]\nfont-size = 18\n",
            "font-size",
            "font-size = 18 is larger than the default leading (14.5 pt): also set leading, \
             to a number of points from 18 to 48",
        ),
    ]);
}

#[test]
fn a_bad_font_size_still_bounds_the_leading() {
    let (m, toml) =
        manuscript("lim_font_and_leading", "[print]\nfont-size = 0\nleading = 1e9\n");
    assert_errors(
        &m,
        &[
            error_at(
                &m,
                &toml,
                "font-size",
                "font-size = 0 is out of range: use a size in points from 6 to 24 (default 11)",
            ),
            error_at(
                &m,
                &toml,
                "leading",
                "leading = 1e9 is out of range: use a number of points from the font size \
                 to 48 (default 14.5)",
            ),
        ],
    );
}

#[test]
fn line_breaking_costs_are_finite_and_in_tex_ranges() {
    const TOLERANCE: &str =
        "use a number from 0 to 10000 (default 200; larger accepts looser lines)";
    const PRETOLERANCE: &str = "use a number from -1 to 10000 (default 100; -1 skips the \
                                pass without hyphenation)";
    const PENALTY: &str =
        "use a number from 0 to 10000 (default 300; 10000 turns hyphenation off)";
    const DEMERITS: &str = "use a number from 0 to 1000000 (default 10000)";
    assert_each(&[
        (
            "lim_tolerance_negative",
            "[print]\ntolerance = -5\n",
            "tolerance",
            &format!("tolerance = -5 is out of range: {TOLERANCE}"),
        ),
        (
            "lim_tolerance_nan",
            "[print]\ntolerance = nan\n",
            "tolerance",
            &format!("tolerance = nan is not a number: {TOLERANCE}"),
        ),
        (
            "lim_pretolerance_negative",
            "[print]\npretolerance = -2\n",
            "pretolerance",
            &format!("pretolerance = -2 is out of range: {PRETOLERANCE}"),
        ),
        (
            "lim_hyphen_penalty_negative",
            "[print]\nhyphen-penalty = -50\n",
            "hyphen-penalty",
            &format!("hyphen-penalty = -50 is out of range: {PENALTY}"),
        ),
        (
            "lim_hyphen_penalty_nan",
            "[print]\nhyphen-penalty = -nan\n",
            "hyphen-penalty",
            &format!("hyphen-penalty = -nan is not a number: {PENALTY}"),
        ),
        (
            "lim_demerits_inf",
            "[print]\nconsecutive-hyphen-demerits = +inf\n",
            "consecutive-hyphen-demerits",
            &format!("consecutive-hyphen-demerits = +inf is out of range: {DEMERITS}"),
        ),
        (
            "lim_demerits_negative",
            "[print]\nconsecutive-hyphen-demerits = -1.5e3\n",
            "consecutive-hyphen-demerits",
            &format!("consecutive-hyphen-demerits = -1.5e3 is out of range: {DEMERITS}"),
        ),
    ]);
}

#[test]
fn writing_lines_are_a_small_whole_number() {
    const RANGE: &str = "use a whole number from 0 to 30 (default 4; 0 for none)";
    assert_each(&[
        (
            // An integer that fits in 32 bits: it used to be allocated, and abort.
            "lim_lines_4e9_int",
            "[handouts]\nlines-per-question = 4000000000\n",
            "lines-per-question",
            &format!("lines-per-question = 4000000000 is out of range: {RANGE}"),
        ),
        (
            "lim_lines_4e9",
            "[handouts]\nlines-per-question = 4e9\n",
            "lines-per-question",
            &format!("lines-per-question = 4e9 is out of range: {RANGE}"),
        ),
        (
            "lim_lines_negative",
            "[handouts]\nlines-per-question = -1\n",
            "lines-per-question",
            &format!("lines-per-question = -1 is out of range: {RANGE}"),
        ),
        (
            "lim_lines_fraction",
            "[handouts]\nlines-per-question = 2.5\n",
            "lines-per-question",
            &format!("lines-per-question = 2.5 is not a whole number: {RANGE}"),
        ),
        (
            "lim_lines_31",
            "[handouts]\nlines-per-question = 31\n",
            "lines-per-question",
            &format!("lines-per-question = 31 is out of range: {RANGE}"),
        ),
    ]);
}

#[test]
fn a_trim_too_small_for_its_margins_and_type_names_the_smallest_usable_one() {
    assert_each(&[
        (
            "lim_trim_1x1",
            "[print]\ntrim = \"1x1\"\n",
            "trim",
            "trim \"1x1\" has no unit: write it as \"1x1in\" or \"1x1mm\"; for 11 pt type \
             on 14.5 pt leading the smallest usable trim is \"3.64x4.83in\"",
        ),
        (
            "lim_trim_1x1in",
            "[print]\ntrim = \"1x1in\"\n",
            "trim",
            "trim \"1x1in\" is too small for 11 pt type on 14.5 pt leading: its text block \
             holds 0 lines of 0.0 ems, and at least 16 lines of 12 ems are needed; use a \
             trim of at least \"3.64x4.83in\", or smaller type or leading",
        ),
        (
            "lim_trim_narrow_mm",
            "[print]\ntrim = \"80x200mm\"\n",
            "trim",
            "trim \"80x200mm\" is too small for 11 pt type on 14.5 pt leading: its text \
             block holds 31 lines of 8.8 ems, and at least 16 lines of 12 ems are needed; \
             use a trim of at least \"3.64x4.83in\", or smaller type or leading",
        ),
        (
            "lim_trim_type_too_big",
            "[print]\ntrim = \"5x8\"\nfont-size = 24\nleading = 30\n",
            "trim",
            "trim \"5x8\" is too small for 24 pt type on 30 pt leading: its text block holds \
             14 lines of 9.6 ems, and at least 16 lines of 12 ems are needed; use a trim of \
             at least \"5.81x8.45in\", or smaller type or leading",
        ),
        (
            // The trim is the default: the error is where the page was made too full.
            "lim_trim_default_leading",
            "[print]\nleading = 40\n",
            "leading",
            "trim \"6x9\" (the default) is too small for 11 pt type on 40 pt leading: its \
             text block holds 12 lines of 27.5 ems, and at least 16 lines of 12 ems are \
             needed; use a trim of at least \"3.64x10.71in\", or smaller type or leading",
        ),
        (
            "lim_trim_huge",
            "[print]\ntrim = \"18x22in\"\n",
            "trim",
            "trim \"18x22in\" is larger than 17×22 in, the largest quire sets",
        ),
    ]);
}

#[test]
fn every_bad_number_is_reported_in_one_run_in_line_order() {
    // [handouts] comes first in the file although it is checked last, and a bad date in
    // [book] (above both) shows other checks are gathered too.
    let m = Manuscript::new("lim_many", &[("essay.md", ESSAY)]);
    let toml = m.read("book.toml").replace("2026-01-02", "2026-02-30")
        + "\n[handouts]\nlines-per-question = 4000000000\n\n[print]\ntrim = \"1x1in\"\n\
           font-size = 11\nleading = nan\ntolerance = -1\npretolerance = inf\n\
           hyphen-penalty = nan\nconsecutive-hyphen-demerits = -3\nprofile = \"amazon\"\n";
    m.write("book.toml", &toml);
    let e = |key: &str, message: &str| error_at(&m, &toml, key, message);
    assert_errors(
        &m,
        &[
            e(
                "date",
                "date \"2026-02-30\" is not a calendar date in the form YYYY-MM-DD",
            ),
            e(
                "lines-per-question",
                "lines-per-question = 4000000000 is out of range: use a whole number from 0 \
                 to 30 (default 4; 0 for none)",
            ),
            // The trim's fit is only judged once the type is usable: here it is not, so the
            // trim reads correctly and nothing more is said about it.
            e("leading", &format!("leading = nan is not a number: {LEADING_RANGE}")),
            e(
                "tolerance",
                "tolerance = -1 is out of range: use a number from 0 to 10000 (default 200; \
                 larger accepts looser lines)",
            ),
            e(
                "pretolerance",
                "pretolerance = inf is out of range: use a number from -1 to 10000 (default \
                 100; -1 skips the pass without hyphenation)",
            ),
            e(
                "hyphen-penalty",
                "hyphen-penalty = nan is not a number: use a number from 0 to 10000 (default \
                 300; 10000 turns hyphenation off)",
            ),
            e(
                "consecutive-hyphen-demerits",
                "consecutive-hyphen-demerits = -3 is out of range: use a number from 0 to \
                 1000000 (default 10000)",
            ),
            e("profile", "\"amazon\" is not one of standard, kdp"),
        ],
    );
}

/// Copies the sample manuscript into `to`, with `print` appended to its `book.toml`.
fn sample_with_print(to: &std::path::Path, print: &str) {
    fn copy(from: &std::path::Path, to: &std::path::Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap() {
            let entry = entry.unwrap();
            let target = to.join(entry.file_name());
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &target);
            } else {
                std::fs::copy(entry.path(), &target).unwrap();
            }
        }
    }
    copy(&sample_manuscript(), to);
    let toml = std::fs::read_to_string(to.join("book.toml")).unwrap();
    write_file(&to.join("book.toml"), format!("{toml}\n[print]\n{print}"));
}

#[test]
fn the_smallest_usable_trims_set_every_line_inside_the_page() {
    // The sample book (a long subtitle, notes, figures, a contents) at the smallest trims
    // the messages above name; `run` checks that every word of the PDF is in its area.
    for (name, print) in [
        ("lim_smallest_trim", "trim = \"3.64x4.83in\"\n"),
        // Large print.
        (
            "lim_smallest_trim_large_print",
            "trim = \"4.81x6.49in\"\nfont-size = 18\nleading = 22\n",
        ),
        // Larger still: the top margin grows to hold the running head.
        (
            "lim_smallest_trim_big_type",
            "trim = \"5.47x7.69in\"\nfont-size = 22\nleading = 27\n",
        ),
    ] {
        let tmp = TempDir::new(name);
        sample_with_print(&tmp.join("book"), print);
        let build = run(quire()
            .arg("build")
            .arg(tmp.join("book"))
            .arg("--out")
            .arg(tmp.join("out"))
            .args(["--format", "pdf"]));
        assert_success(&format!("quire build with {print:?}"), &build);
    }
}

#[test]
fn the_most_writing_lines_fit_a_booklet_page_with_a_long_question() {
    let question = "How could the two of you agree on a way to pause a hard conversation \
                    that still promises a return, and what would each of you need to hear \
                    from the other before you could trust that the pause is not a way out, \
                    but a way back in, once you have both had the time you need?";
    let essay =
        format!("{ESSAY}\n## For reflection {{.reflection}}\n\n1. {question}\n2. Why?\n");
    let m = Manuscript::new("lim_most_lines", &[("essay.md", essay.as_str())]);
    let toml =
        m.read("book.toml") + "\n[handouts]\npaper = \"a4\"\nlines-per-question = 30\n";
    m.write("book.toml", &toml);
    let build = run(quire().arg("build").arg(m.dir()).arg("--out").arg(m.out()).args([
        "--format",
        "handouts",
        "--booklet",
    ]));
    assert_success("quire build --format handouts --booklet", &build);
    assert_eq!(stderr(&build), "", "no warning expected");
}
