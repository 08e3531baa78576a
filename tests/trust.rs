//! Trust: quire reads nothing from outside the manuscript folder, writes nothing outside
//! `--out`, reports every error of a run at its place, and says what to change in words a
//! person can act on. Each test plants the links and files an attacker or a hurried user
//! would, then checks the exit status, the exact diagnostics and the files on disk.

#![cfg(unix)]

mod common;

use common::{
    Manuscript, assert_built, assert_refused, book_toml, quire, run, stderr,
    unzip_entries,
};
use std::os::unix::fs::symlink;

const ESSAY: &str = "# An Essay\n\nPlain text of the essay, long enough to set.\n";
const SECRET: &str = "TOP-SECRET-TEXT-FROM-OUTSIDE";

/// `book.toml`'s path as diagnostics print it, with the line and column of `needle`.
fn toml_at(m: &Manuscript, needle: &str) -> String {
    let (line, column) = common::locate(&m.read("book.toml"), needle);
    format!("{}:{line}:{column}", m.dir().join("book.toml").display())
}

/// The place of `needle` in a manuscript file, as diagnostics print it (column 1: the
/// start of the block).
fn file_line(m: &Manuscript, file: &str, needle: &str) -> String {
    let (line, _) = common::locate(&m.read(file), needle);
    format!("{}:{line}:1", m.dir().join(file).display())
}

#[test]
fn chapter_links_leading_outside_are_refused_all_in_one_run() {
    let m = Manuscript::new("trust-links", &[("a.md", ESSAY)]);
    let outside = m.tmp.join("elsewhere");
    std::fs::create_dir_all(&outside).unwrap();
    std::fs::write(outside.join("secret.md"), format!("# Secret\n\n{SECRET}\n")).unwrap();
    symlink("../elsewhere/secret.md", m.dir().join("relative.md")).unwrap();
    symlink(outside.join("secret.md"), m.dir().join("absolute.md")).unwrap();
    symlink(&outside, m.dir().join("sys")).unwrap();
    symlink("loop.md", m.dir().join("loop.md")).unwrap();
    m.write(
        "book.toml",
        book_toml(
            &[],
            &["a.md", "relative.md", "absolute.md", "sys/secret.md", "loop.md"],
        ),
    );
    let err = assert_refused(&m.build_as("all"), &m);
    let expected = [
        format!(
            "error: {}: chapter file \"relative.md\" is a link to a file outside the manuscript folder; copy the file into the folder instead",
            toml_at(&m, "\"relative.md\"")
        ),
        format!(
            "error: {}: chapter file \"absolute.md\" is a link to a file outside the manuscript folder; copy the file into the folder instead",
            toml_at(&m, "\"absolute.md\"")
        ),
        format!(
            "error: {}: chapter file \"sys/secret.md\" is a link to a file outside the manuscript folder; copy the file into the folder instead",
            toml_at(&m, "\"sys/secret.md\"")
        ),
        format!(
            "error: {}: chapter file \"loop.md\" is a symbolic link that leads in a circle (or through too many links); point it at a real file",
            toml_at(&m, "\"loop.md\"")
        ),
        "4 errors; nothing was written".to_string(),
    ];
    assert_eq!(err.lines().collect::<Vec<_>>(), expected, "{err}");
    assert!(!err.contains(SECRET));
    // A link that stays inside the manuscript is fine.
    symlink("a.md", m.dir().join("inside.md")).unwrap();
    m.write("book.toml", book_toml(&[], &["inside.md"]));
    assert_built(&m.build_as("epub"));
}

#[test]
fn devices_pipes_and_huge_files_are_never_read() {
    let m = Manuscript::new("trust-devices", &[("a.md", ESSAY)]);
    symlink("/dev/zero", m.dir().join("zero.md")).unwrap();
    let fifo = m.dir().join("pipe.md");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    // A sparse file: 65 MiB long without writing 65 MiB.
    let huge = std::fs::File::create(m.dir().join("huge.md")).unwrap();
    huge.set_len(65 * 1024 * 1024).unwrap();
    std::fs::create_dir(m.dir().join("folder.md")).unwrap();
    m.write("book.toml", book_toml(&[], &["zero.md", "pipe.md", "huge.md", "folder.md"]));
    let err = assert_refused(&m.build_as("all"), &m);
    let expected = [
        format!(
            "error: {}: chapter file \"zero.md\" is a link to a file outside the manuscript folder; copy the file into the folder instead",
            toml_at(&m, "\"zero.md\"")
        ),
        format!(
            "error: {}: chapter file \"pipe.md\" is a named pipe, not a regular file; only regular files are read",
            toml_at(&m, "\"pipe.md\"")
        ),
        format!(
            "error: {}: chapter file \"huge.md\" is 65.0 MB; quire reads files of at most 64 MB",
            toml_at(&m, "\"huge.md\"")
        ),
        format!(
            "error: {}: chapter file \"folder.md\" is a folder, not a regular file; only regular files are read",
            toml_at(&m, "\"folder.md\"")
        ),
        "4 errors; nothing was written".to_string(),
    ];
    assert_eq!(err.lines().collect::<Vec<_>>(), expected, "{err}");
}

#[test]
fn images_and_book_toml_follow_the_same_rule() {
    let m = Manuscript::new(
        "trust-images",
        &[(
            "a.md",
            "# A\n\n![a picture](images/link.png)\n\n![a pipe](images/pipe.png)\n",
        )],
    );
    let outside = m.tmp.join("elsewhere");
    common::write_file(&outside.join("p.png"), common::PNG_1X1);
    std::fs::create_dir_all(m.dir().join("images")).unwrap();
    symlink(outside.join("p.png"), m.dir().join("images/link.png")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(m.dir().join("images/pipe.png"))
        .status()
        .unwrap();
    assert!(made.success());
    let err = assert_refused(&m.build_as("all"), &m);
    let a = m.dir().join("a.md");
    assert!(
        err.contains(&format!(
            "error: {}:3:1: image \"images/link.png\" is a link to a file outside the manuscript folder",
            a.display()
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "error: {}:5:1: image \"images/pipe.png\" is a named pipe, not a regular file",
            a.display()
        )),
        "{err}"
    );
    // book.toml itself may not be a link out of the folder either.
    let m = Manuscript::new("trust-toml-link", &[("a.md", ESSAY)]);
    let outside = m.tmp.join("elsewhere.toml");
    std::fs::rename(m.dir().join("book.toml"), &outside).unwrap();
    symlink(&outside, m.dir().join("book.toml")).unwrap();
    let err = assert_refused(&m.build_as("epub"), &m);
    assert_eq!(
        err.trim(),
        format!(
            "error: {}:1:1: book.toml is a link to a file outside the manuscript folder; copy the file into the folder instead",
            m.dir().join("book.toml").display()
        )
    );
}

#[test]
fn planted_temporary_names_and_folder_links_are_never_written_through() {
    let m = Manuscript::new("trust-out", &[("a.md", ESSAY)]);
    let out = m.out();
    std::fs::create_dir_all(&out).unwrap();
    let victims = m.tmp.join("victims");
    std::fs::create_dir_all(&victims).unwrap();
    // Links at every name the old scheme (`.NAME.PID.part`) could have picked for the
    // next few processes, and a stale temporary file of an interrupted build.
    let next_pid = std::process::id();
    for pid in next_pid..next_pid + 200 {
        let victim = victims.join(format!("v{pid}"));
        std::fs::write(&victim, "keep").unwrap();
        symlink(&victim, out.join(format!(".test-book.epub.{pid}.part"))).unwrap();
    }
    std::fs::write(out.join(".test-book.epub.77.part"), "half a book").unwrap();
    assert_built(&m.build_as("epub"));
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["test-book.epub"], "leftovers and planted links are removed");
    for victim in std::fs::read_dir(&victims).unwrap().flatten() {
        assert_eq!(std::fs::read(victim.path()).unwrap(), b"keep");
    }
    // A handouts folder that is a link out of --out: refused, nothing written anywhere.
    std::fs::remove_dir_all(&out).unwrap();
    std::fs::create_dir_all(&out).unwrap();
    symlink(&victims, out.join("handouts")).unwrap();
    let before = std::fs::read_dir(&victims).unwrap().count();
    let output = m.build_as("all");
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "{err}");
    assert!(
        err.contains(&format!(
            "{} is a link to a folder outside the output folder; remove the link",
            out.join("handouts").display()
        )),
        "{err}"
    );
    assert_eq!(std::fs::read_dir(&victims).unwrap().count(), before);
    let names: Vec<_> =
        std::fs::read_dir(&out).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(names, ["handouts"], "nothing but the planted link");
}

#[test]
fn every_error_of_a_run_is_reported_sorted_and_capped() {
    let images: String =
        (0..23).map(|i| format!("![figure {i}](images/missing-{i}.png)\n\n")).collect();
    let m = Manuscript::new(
        "trust-all-errors",
        &[
            ("a.md", &format!("# A\n\n{images}")),
            ("b.md", "# B\n\nA note[^gone] that is never defined.\n"),
        ],
    );
    let err = assert_refused(&m.build_as("all"), &m);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 25, "{err}");
    let a = m.dir().join("a.md");
    for (i, line) in lines[..23].iter().enumerate() {
        assert_eq!(
            *line,
            format!(
                "error: {}:{}:1: image \"images/missing-{i}.png\" is not found in the manuscript folder",
                a.display(),
                3 + 2 * i
            )
        );
    }
    assert_eq!(
        lines[23],
        format!(
            "error: {}:3:7: footnote [^gone] is referenced but never defined",
            m.dir().join("b.md").display()
        )
    );
    assert_eq!(lines[24], "24 errors; nothing was written");

    let many: String = (0..130).map(|i| format!("![f](missing-{i}.png)\n\n")).collect();
    m.write("a.md", format!("# A\n\n{many}"));
    m.write("b.md", "# B\n\nFine.\n");
    let err = assert_refused(&m.build_as("epub"), &m);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 102, "{err}");
    assert_eq!(lines[100], "error: … and 30 more");
    assert_eq!(lines[101], "130 errors; nothing was written");
}

#[test]
fn dangerous_link_schemes_never_reach_the_epub() {
    let text = "# A\n\n[one](javascript:alert(1)) and [two](JavaScript:alert(2))\n\n\
                [three](data:text/html,x) [four](file:///etc/passwd) [five](vbscript:x)\n\n\
                <javascript:alert(3)> and [fine](https://example.com/).\n";
    let m = Manuscript::new("trust-schemes", &[("a.md", text)]);
    let err = assert_built(&m.build_as("epub"));
    let a = m.dir().join("a.md");
    for (line, scheme) in [(3, "javascript"), (3, "javascript"), (5, "data"), (5, "file")]
        .into_iter()
        .chain([(5, "vbscript"), (7, "javascript")])
    {
        let expected = format!(
            "a `{scheme}:` link can run code or reach files in a reading system; it is kept as plain text"
        );
        assert!(
            err.lines()
                .any(|l| l.starts_with(&format!("warning: {}:{line}:", a.display()))
                    && l.ends_with(&expected)),
            "no {scheme} warning at line {line}:\n{err}"
        );
    }
    let epub = common::the_epub_in(&m.out());
    let xhtml: String = unzip_entries(&epub)
        .into_iter()
        .filter(|(n, _)| n.ends_with(".xhtml"))
        .map(|(_, b)| String::from_utf8(b).unwrap().to_lowercase())
        .collect();
    for scheme in ["javascript:", "vbscript:", "data:", "file:"] {
        assert!(
            !xhtml.contains(&format!("href=\"{scheme}")),
            "{scheme} href in the EPUB"
        );
    }
    assert!(xhtml.contains("href=\"https://example.com/\""));
    assert!(xhtml.contains("one</") || xhtml.contains("one "), "link text kept");
}

#[test]
fn text_encodings_and_invisible_characters_are_handled_or_named() {
    let wide = |text: &str| -> Vec<u8> {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in text.encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        bytes
    };
    let m = Manuscript::new("trust-encodings", &[("a.md", ESSAY)]);
    m.write("a.md", wide("# Wide Café\n\nSaved by Word as “Unicode”.\n"));
    assert_built(&m.build_as("epub"));
    let model = m.dump();
    assert_eq!(common::inline_text(&common::chapters(&model)[0]["title"]), "Wide Café");

    m.write("a.md", &wide("# A\n\nText.\n")[2..]);
    std::fs::remove_dir_all(m.out()).unwrap();
    let err = assert_refused(&m.build_as("epub"), &m);
    assert_eq!(
        err.trim(),
        format!(
            "error: {}:1:1: file looks like UTF-16 without a byte-order mark; save it as UTF-8",
            m.dir().join("a.md").display()
        )
    );

    m.write("a.md", "# A\n\nNon\u{FFFE}char\u{FFFF}acters.\n");
    let err = assert_built(&m.build_as("epub"));
    assert!(
        err.contains(&format!(
            "warning: {}:3:4: removed 2 control character(s) or noncharacter(s) that cannot be printed (first U+FFFE)",
            m.dir().join("a.md").display()
        )),
        "{err}"
    );
    if let Some(report) = common::epubcheck(&common::the_epub_in(&m.out()), m.tmp.path())
    {
        report.assert_clean("noncharacters removed");
    }

    let toml = m.read("book.toml").replace("essays = [", "essays = [\"a\0.md\", ");
    m.write("book.toml", &toml);
    std::fs::remove_dir_all(m.out()).unwrap();
    let err = assert_refused(&m.build_as("epub"), &m);
    let (line, column) = common::locate(&toml, "\0");
    assert_eq!(
        err.trim(),
        format!(
            "error: {}:{line}:{column}: a control character or noncharacter is here (an invisible character such as NUL); delete it",
            m.dir().join("book.toml").display()
        )
    );
}

#[test]
fn a_title_too_long_for_a_file_name_still_builds() {
    let m = Manuscript::new("trust-long-title", &[("a.md", ESSAY)]);
    let title = "A Very Long Title ".repeat(30);
    let toml = m.read("book.toml").replace("\"Test Book\"", &format!("{title:?}"));
    m.write("book.toml", toml);
    assert_built(&m.build_as("all"));
    let epub = common::the_epub_in(&m.out());
    let name = epub.file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.len() <= 90, "{name}");
    assert!(name.starts_with("a-very-long-title-a-very-long-title"), "{name}");
    // Poppler reads the print PDF (a long /Info title once made it rebuild the
    // cross-reference table with "Syntax Error"s).
    if common::require_tools(&["pdftotext"]) {
        let pdf = epub.with_file_name(name.replace(".epub", "-print.pdf"));
        let read =
            std::process::Command::new("pdftotext").arg(&pdf).arg("-").output().unwrap();
        let complaints = String::from_utf8_lossy(&read.stderr);
        assert!(read.status.success() && complaints.is_empty(), "{complaints}");
    }
}

/// Warnings about the manuscript are the same whichever editions are built.
#[test]
fn every_format_reports_the_same_manuscript_warnings() {
    let text = "# A \u{1F600} Title\n\nText with a \u{1F600} face.\n\n## Heading \u{1F600}\n\nMore.\n";
    let m = Manuscript::new("trust-same-warnings", &[("a.md", text)]);
    let toml = m.read("book.toml").replace("en-US", "xx");
    m.write("book.toml", &toml);
    let a = m.dir().join("a.md");
    let expected = [
        format!(
            "warning: {}: no hyphenation patterns for language \"xx\"; lines will not be hyphenated",
            toml_at(&m, "\"xx\"")
        ),
        format!(
            "warning: {}:1:1: no bundled font has these characters, so they print as blank boxes in the PDF editions: U+1F600 '😀' ×3 ({0}:1:1, {0}:3:1, {0}:5:1)",
            a.display()
        ),
    ];
    for format in ["epub", "pdf", "handouts", "all"] {
        let output = m.build_as(format);
        let err = assert_built(&output);
        let warnings: Vec<&str> =
            err.lines().filter(|l| l.starts_with("warning:")).collect();
        assert_eq!(warnings, expected, "--format {format}");
    }
    let check = run(quire().arg("check").arg(m.dir()));
    let err = stderr(&check);
    let warnings: Vec<&str> = err.lines().filter(|l| l.starts_with("warning:")).collect();
    assert_eq!(warnings, expected, "quire check");
    let denied = run(quire()
        .args(["build", "--format", "handouts", "--deny-warnings", "--out"])
        .arg(m.out())
        .arg(m.dir()));
    assert_eq!(denied.status.code(), Some(1));
    assert!(stderr(&denied).contains("blank boxes"));
}

#[test]
fn layout_warnings_name_the_line_of_their_text() {
    let long = "x".repeat(400);
    let text = format!(
        "# A\n\nFirst paragraph.\n\n## Heading {long}\n\nMore text.\n\n```\nshort\n{long}\n```\n\n| a | b |\n|---|---|\n| 1 | {long} |\n"
    );
    let m = Manuscript::new("trust-layout-places", &[("a.md", &text)]);
    let err = assert_built(&m.build_as("pdf"));
    let heading = file_line(&m, "a.md", "## Heading");
    let (code_line, _) = common::locate(&text, &format!("\n{long}\n```"));
    let code = format!("{}:{}:1", m.dir().join("a.md").display(), code_line + 1);
    let (row_line, _) = common::locate(&text, "| 1 |");
    let row = format!("{}:{row_line}:1", m.dir().join("a.md").display());
    for place in [heading, row] {
        assert!(
            err.lines().any(|l| l.starts_with(&format!("warning: {place}: a word is"))),
            "no warning at {place}:\n{err}"
        );
    }
    // A code line too long for the measure is wrapped with a continuation mark, as code
    // is (issue 12): nothing to warn about there.
    assert!(!err.contains(&format!("{code}: a word")), "{err}");
    assert!(!err.contains(":1:1: a word"), "a warning at the file's start:\n{err}");

    // Every build that lays the paperback out reports its warnings, in the same words:
    // the EPUB's page list and the leader's guide need its pages too.
    let warnings = |output: &std::process::Output| -> Vec<String> {
        let err = assert_built(output);
        err.lines().filter(|l| l.starts_with("warning:")).map(str::to_string).collect()
    };
    let pdf = warnings(&m.build_as("pdf"));
    assert!(pdf.iter().any(|w| w.contains("a word is")), "{pdf:?}");
    for format in ["epub", "all"] {
        assert_eq!(warnings(&m.build_as(format)), pdf, "--format {format}");
    }
    // Without a page list the ebook does not lay the paperback out, and says nothing of it.
    let toml = m.read("book.toml");
    m.write("book.toml", format!("{toml}\n[epub]\npage-list = false\n"));
    let epub = warnings(&m.build_as("epub"));
    assert!(!epub.iter().any(|w| w.contains("a word is")), "{epub:?}");
}

#[test]
fn an_image_without_alt_text_drops_the_conformance_claim() {
    let m =
        Manuscript::new("trust-alt", &[("a.md", "# A\n\n![](images/p.png)\n\nText.\n")]);
    m.write("images/p.png", common::PNG_1X1);
    let err = assert_built(&m.build_as("epub"));
    assert!(
        err.contains(
            "image \"images/p.png\" has no alt text; describe it for readers who cannot see it (until every image has one, the EPUB claims no WCAG conformance)"
        ),
        "{err}"
    );
    let entries = unzip_entries(&common::the_epub_in(&m.out()));
    let opf = common::entry_text(&entries, &common::opf_path(&entries));
    assert!(!opf.contains("conformsTo"), "{opf}");
    assert!(!opf.contains("alternativeText"), "{opf}");
    assert!(!opf.contains("certifiedBy"), "{opf}");
    assert!(opf.contains("does not claim WCAG conformance"), "{opf}");
    if let Some(report) = common::epubcheck(&common::the_epub_in(&m.out()), m.tmp.path())
    {
        report.assert_clean("no alt text");
    }
    // With alt text the claim is back.
    m.write("a.md", "# A\n\n![a grey dot](images/p.png)\n\nText.\n");
    assert_built(&m.build_as("epub"));
    let entries = unzip_entries(&common::the_epub_in(&m.out()));
    let opf = common::entry_text(&entries, &common::opf_path(&entries));
    assert!(opf.contains("EPUB Accessibility 1.1 - WCAG 2.1 Level AA"), "{opf}");
    assert!(opf.contains("alternativeText"), "{opf}");
}

#[test]
fn a_long_permission_line_wraps_inside_the_page() {
    let m = Manuscript::new("trust-permission", &[("a.md", ESSAY)]);
    let permission = "Permission is granted to copy this handout for use in a workshop, \
                      a classroom or a reading group, provided that the author's name and \
                      this notice are kept on every copy you make.";
    let toml =
        format!("{}\n[handouts]\npermission = {permission:?}\n", m.read("book.toml"));
    m.write("book.toml", toml);
    assert_built(&m.build_as("handouts"));
    let pdf = m.out().join("handouts/01-a.pdf");
    if !common::require_tools(&["pdftotext"]) {
        return;
    }
    let (pages, words) = common::pdf_words(&pdf);
    let width = pages[0].0;
    let footer: Vec<_> =
        words.iter().filter(|w| w.page == 0 && w.y_min > pages[0].1 - 72.0).collect();
    let text: Vec<&str> = footer.iter().map(|w| w.text.as_str()).collect();
    let text = text.join(" ");
    assert!(
        text.contains("Permission is granted") && text.contains("every copy you make."),
        "{text}"
    );
    for w in &footer {
        assert!(
            w.x_min >= 36.0 && w.x_max <= width - 36.0,
            "{:?} runs off the page",
            w.text
        );
    }
    // The longest permission allowed still fits two lines on the smallest page, a
    // booklet's half sheet (the bounds check of every built PDF says so); one more
    // character is an error at its place.
    let longest: String =
        "Copy freely for a workshop. ".repeat(8).chars().take(200).collect();
    let toml = format!(
        "{}\n[handouts]\npermission = {longest:?}\n",
        m.read("book.toml").split("\n[handouts]").next().unwrap()
    );
    m.write("book.toml", &toml);
    assert_built(&run(quire()
        .args(["build", "--format", "handouts", "--booklet", "--out"])
        .arg(m.out())
        .arg(m.dir())));
    let toml =
        toml.replace(&format!("{longest:?}"), &format!("{:?}", format!("{longest}!")));
    m.write("book.toml", &toml);
    let output = m.build_as("handouts");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(
        stderr(&output).trim(),
        format!(
            "error: {}: permission is 201 characters; a handout's footer holds at most 200: shorten it",
            toml_at(&m, "\"Copy freely")
        )
    );
    let rows: std::collections::BTreeSet<i64> =
        footer.iter().map(|w| w.y_min.round() as i64).collect();
    assert!(rows.len() >= 3, "page line plus a wrapped permission: {rows:?}");
}
