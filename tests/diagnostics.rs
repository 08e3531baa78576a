//! Every diagnostic: a non-zero exit, `error: FILE:LINE:COL: message` on stderr with the
//! place computed from the fixture, and nothing written to the output directory.

mod common;

use common::*;
use std::path::Path;

const ESSAY: &str = "# An Essay\n\nSome text.\n";

/// Runs `quire build` (and `quire check`) on a broken manuscript: both must fail with the
/// same message, and the output directory, created empty beforehand, must stay empty
/// (no EPUB, no temporary file). Returns stderr of the build.
fn expect_failure(m: &Manuscript) -> String {
    std::fs::create_dir_all(m.out()).unwrap();
    let output = m.build();
    let err = stderr(&output);
    assert!(
        !output.status.success(),
        "the build should fail; stderr:\n{err}\nstdout:\n{}",
        stdout(&output)
    );
    assert!(err.contains("error: "), "no error line: {err}");
    assert_eq!(
        dir_entries(&m.out()),
        Vec::<String>::new(),
        "a failed build wrote into the output directory"
    );
    let check = run(quire().arg("check").arg(m.dir()));
    assert!(!check.status.success(), "quire check should fail too");
    assert_eq!(
        stderr(&check),
        err,
        "quire check and quire build should report the same problem"
    );
    err
}

/// `error: <path>:<line>:<column>: ` for the start of `needle` in `text`.
fn error_at(path: &Path, text: &str, needle: &str) -> String {
    let (line, column) = locate(text, needle);
    format!("error: {}:{line}:{column}: ", path.display())
}

/// Asserts `stderr` holds `prefix` immediately followed by a message containing every
/// one of `words` (case-insensitive).
fn assert_diagnostic(stderr: &str, prefix: &str, words: &[&str]) {
    let Some(start) = stderr.find(prefix) else {
        panic!("expected a diagnostic starting {prefix:?}, got:\n{stderr}");
    };
    let message =
        stderr[start + prefix.len()..].lines().next().unwrap_or("").to_lowercase();
    for word in words {
        assert!(
            message.contains(&word.to_lowercase()),
            "message {message:?} should mention {word:?}"
        );
    }
}

#[test]
fn unknown_book_toml_key_names_its_line_and_column() {
    let m = Manuscript::new("diag_unknown_key", &[("essay.md", ESSAY)]);
    let toml = m.read("book.toml").replace("author = ", "authour = \"Typo\"\nauthor = ");
    m.write("book.toml", &toml);
    let err = expect_failure(&m);
    assert_diagnostic(
        &err,
        &error_at(&m.dir().join("book.toml"), &toml, "authour"),
        &["unknown field", "authour"],
    );
}

#[test]
fn wrong_value_types_in_book_toml_are_located() {
    for (name, edit, needle) in [
        ("diag_type_date", ("date = \"2026-01-02\"", "date = 2026"), "2026\n"),
        (
            "diag_type_print",
            ("[contents]", "[print]\nfont-size = \"big\"\n\n[contents]"),
            "\"big\"",
        ),
        (
            "diag_type_subjects",
            ("[contents]", "subjects = \"one\"\n\n[contents]"),
            "\"one\"",
        ),
    ] {
        let m = Manuscript::new(name, &[("essay.md", ESSAY)]);
        let toml = m.read("book.toml").replace(edit.0, edit.1);
        assert!(toml.contains(needle), "fixture edit failed for {name}");
        m.write("book.toml", &toml);
        let err = expect_failure(&m);
        assert_diagnostic(
            &err,
            &error_at(&m.dir().join("book.toml"), &toml, needle),
            &["invalid type"],
        );
    }
}

#[test]
fn impossible_date_is_located_and_explained() {
    let m = Manuscript::new("diag_bad_date", &[("essay.md", ESSAY)]);
    let toml = m.read("book.toml").replace("2026-01-02", "2026-02-30");
    m.write("book.toml", &toml);
    let err = expect_failure(&m);
    assert_diagnostic(
        &err,
        &error_at(&m.dir().join("book.toml"), &toml, "\"2026-02-30\""),
        &["2026-02-30", "date"],
    );
}

#[test]
fn undefined_footnote_names_the_chapter_file_line_and_column() {
    // Curly quotes before the reference: columns count characters, not bytes.
    let essay =
        "# An Essay\n\nFirst paragraph.\n\nA “quoted” line with a note[^nope] here.\n";
    let m = Manuscript::new("diag_footnote", &[("essay.md", essay)]);
    let err = expect_failure(&m);
    assert_diagnostic(
        &err,
        &error_at(&m.dir().join("essay.md"), essay, "[^nope]"),
        &["[^nope]", "never defined"],
    );
}

#[test]
fn missing_image_is_located() {
    let essay = "# An Essay\n\nText.\n\n![A chart](images/missing.png)\n";
    let m = Manuscript::new("diag_missing_image", &[("essay.md", essay)]);
    let err = expect_failure(&m);
    assert_diagnostic(
        &err,
        &error_at(&m.dir().join("essay.md"), essay, "!["),
        &["images/missing.png", "not found"],
    );
}

#[test]
fn image_path_leaving_the_manuscript_folder_is_rejected() {
    let essay = "# An Essay\n\nText.\n\n![Outside](../x.png)\n";
    let m = Manuscript::new("diag_image_escape", &[("essay.md", essay)]);
    // The file exists: the path itself is the problem.
    write_file(&m.dir().join("../x.png"), PNG_1X1);
    let err = expect_failure(&m);
    assert_diagnostic(
        &err,
        &error_at(&m.dir().join("essay.md"), essay, "!["),
        &["../x.png", "manuscript folder"],
    );
}

#[test]
fn chapter_listed_but_absent_names_book_toml_and_the_file() {
    let m = Manuscript::new("diag_absent_chapter", &[("essay.md", ESSAY)]);
    let toml =
        m.read("book.toml").replace("[\"essay.md\"]", "[\"essay.md\", \"missing.md\"]");
    m.write("book.toml", &toml);
    let err = expect_failure(&m);
    let prefix = error_at(&m.dir().join("book.toml"), &toml, "\"missing.md\"");
    assert_diagnostic(&err, &prefix, &["missing.md"]);
    let message = err.to_lowercase();
    assert!(
        ["cannot be read", "not found", "no such file", "does not exist"]
            .iter()
            .any(|w| message.contains(w)),
        "the message should say the file is missing: {err}"
    );
}

#[test]
fn chapter_listed_twice_is_rejected_at_its_second_listing() {
    let m = Manuscript::new("diag_twice", &[("essay.md", ESSAY)]);
    let toml =
        m.read("book.toml").replace("[\"essay.md\"]", "[\"essay.md\", \"essay.md\"]");
    m.write("book.toml", &toml);
    let err = expect_failure(&m);
    let second = toml.rfind("\"essay.md\"").unwrap();
    let (line, column) = line_col(&toml, second);
    let prefix =
        format!("error: {}:{line}:{column}: ", m.dir().join("book.toml").display());
    assert_diagnostic(&err, &prefix, &["essay.md", "twice"]);
}

#[test]
fn missing_manuscript_directory_is_reported() {
    let tmp = TempDir::new("diag_no_dir");
    let dir = tmp.join("no-such-manuscript");
    let out = tmp.join("out");
    std::fs::create_dir_all(&out).unwrap();
    let output = build_epub(&dir, &out);
    let err = stderr(&output);
    assert!(!output.status.success());
    assert!(
        err.contains(&format!("error: {}", dir.display())),
        "should name the directory: {err}"
    );
    assert!(err.to_lowercase().contains("not found"), "{err}");
    assert_eq!(dir_entries(&out), Vec::<String>::new());
}

#[test]
fn non_utf8_chapter_names_the_byte_offset() {
    let m = Manuscript::new("diag_utf8", &[("essay.md", ESSAY)]);
    let bytes: &[u8] = b"# An Essay\n\nCaf\xC3\xA9 is fine.\nab\xFFc is not.\n";
    m.write("essay.md", bytes);
    let offset = bytes.iter().position(|&b| b == 0xFF).unwrap();
    let prefix_text = std::str::from_utf8(&bytes[..offset]).unwrap();
    let (line, column) = line_col(prefix_text, offset);
    let err = expect_failure(&m);
    let prefix =
        format!("error: {}:{line}:{column}: ", m.dir().join("essay.md").display());
    assert_diagnostic(&err, &prefix, &["utf-8", &format!("byte offset {offset}")]);
}

#[test]
fn non_utf8_book_toml_names_the_byte_offset() {
    let m = Manuscript::new("diag_utf8_toml", &[("essay.md", ESSAY)]);
    let mut bytes = m.read("book.toml").replace("Test Author", "Ren\u{1}").into_bytes();
    let offset = bytes.iter().position(|&b| b == 1).unwrap();
    bytes[offset] = 0xE9; // "René" in Latin-1
    m.write("book.toml", &bytes);
    let prefix_text = std::str::from_utf8(&bytes[..offset]).unwrap();
    let (line, column) = line_col(prefix_text, offset);
    let err = expect_failure(&m);
    let prefix =
        format!("error: {}:{line}:{column}: ", m.dir().join("book.toml").display());
    assert_diagnostic(&err, &prefix, &["utf-8", &format!("byte offset {offset}")]);
}

#[test]
fn failed_build_leaves_an_earlier_good_epub_byte_identical() {
    let m = Manuscript::new("diag_keep_good", &[("essay.md", ESSAY)]);
    let (epub, _) = m.build_ok();
    let before = std::fs::read(&epub).unwrap();
    let entries_before = dir_entries(&m.out());

    m.write("essay.md", format!("{ESSAY}\nNow broken.[^nope]\n"));
    let output = m.build();
    assert!(!output.status.success(), "the broken manuscript should fail");
    assert!(stderr(&output).contains("never defined"), "{}", stderr(&output));
    assert_eq!(dir_entries(&m.out()), entries_before, "no new or temporary files");
    assert!(std::fs::read(&epub).unwrap() == before, "the earlier EPUB changed");
}

#[test]
fn undefined_footnote_after_other_bracketed_text_is_still_reported() {
    let essay = "# An Essay\n\nA [^not a note] and then a real one[^nope].\n";
    let m = Manuscript::new("diag_footnote_second", &[("essay.md", essay)]);
    let err = expect_failure(&m);
    assert_diagnostic(
        &err,
        &error_at(&m.dir().join("essay.md"), essay, "[^nope]"),
        &["never defined"],
    );
}

#[test]
fn escaped_footnote_syntax_is_literal_text() {
    let m = Manuscript::new(
        "diag_footnote_escaped",
        &[("essay.md", "# An Essay\n\nWrite \\[^label] for a note.\n")],
    );
    let model = m.dump();
    let text = inline_text(&chapters(&model)[0]["blocks"][0]["content"]);
    assert_eq!(text, "Write [^label] for a note.");
}

#[test]
fn a_dump_read_only_in_part_ends_quietly() {
    use std::io::Read;
    use std::process::Stdio;
    for layout in [true, false] {
        let mut cmd = quire();
        cmd.arg("dump");
        if layout {
            cmd.arg("--layout");
        }
        let mut child = cmd
            .arg(sample_manuscript())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("quire starts");
        // Read a little, then hang up, as `quire dump | head` does.
        let mut first = [0u8; 64];
        child.stdout.take().unwrap().read_exact(&mut first).unwrap();
        let output = child.wait_with_output().unwrap();
        let err = stderr(&output);
        assert!(!err.contains("panicked"), "dump --layout={layout} panicked:\n{err}");
        assert!(output.status.success(), "dump --layout={layout}: {err}");
    }
}
