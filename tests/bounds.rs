//! The "everything inside the page" check itself (tests/common/bounds.rs): that it
//! reports words set where they do not belong, naming the PDF, the page, the word, its
//! box and the area it broke; that it sees every PDF a build writes; and, on a book
//! whose contents outgrows its one page (issue 10), that it catches the entries drawn
//! over the folio and off the page.

mod common;

use common::*;
use quire::config::Config;
use std::path::Path;
use std::process::{Command, Output};

/// Writes a PDF whose pages are `media` points large (with no trim box, so the trim is
/// the media box) and carry the given words in 10 pt Helvetica, each at (x, baseline y)
/// in points from the page's top-left corner.
fn write_pdf(path: &Path, media: (f64, f64), pages: &[Vec<(f64, f64, &str)>]) {
    use lopdf::content::{Content, Operation};
    use lopdf::{Document, Object, Stream, dictionary};
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
    });
    let resources = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font },
    });
    let mut kids = Vec::new();
    for words in pages {
        let mut operations = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 10.into()]),
        ];
        for &(x, y, text) in words {
            let matrix = [1.0, 0.0, 0.0, 1.0, x, media.1 - y];
            operations.push(Operation::new(
                "Tm",
                matrix.iter().map(|&v| Object::Real(v as f32)).collect(),
            ));
            operations.push(Operation::new("Tj", vec![Object::string_literal(text)]));
        }
        operations.push(Operation::new("ET", vec![]));
        let content = Content { operations }.encode().unwrap();
        let content_id = doc.add_object(Stream::new(dictionary! {}, content));
        kids.push(
            doc.add_object(dictionary! {
                "Type" => "Page",
                "Parent" => pages_id,
                "Contents" => content_id,
            })
            .into(),
        );
    }
    let count = kids.len() as i64;
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => kids,
            "Count" => count,
            "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), Object::Real(media.0 as f32),
                Object::Real(media.1 as f32)],
        }),
    );
    let catalog =
        doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    doc.save(path).unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
}

/// The one problem of `problems` that mentions `needle`.
fn the_problem<'a>(problems: &'a [String], needle: &str) -> &'a str {
    let found: Vec<&String> = problems.iter().filter(|p| p.contains(needle)).collect();
    assert_eq!(found.len(), 1, "expected one problem with {needle:?} in {problems:#?}");
    found[0]
}

#[test]
fn misplaced_words_are_reported_with_pdf_page_word_box_and_area() {
    if !require_tools(&["pdftotext"]) {
        return;
    }
    let m = Manuscript::new("bounds-misplaced", &[("a.md", "# A\n\nText.\n")]);
    let config = Config::load(&m.dir()).unwrap();
    let pdf = m.tmp.join("made-print.pdf");
    let frame =
        |i: usize| expected_page(PdfEdition::Print, &config, i, 4).frames[0].clone();
    let (p1, p2, p3, p4) = (frame(0), frame(1), frame(2), frame(3));
    // 6 × 9 in, no bleed: a page's trim is its media box.
    assert!(p1.trim.same_as(&Area { left: 0.0, top: 0.0, right: 432.0, bottom: 648.0 }));
    // Rectos have the inside margin on the left, versos on the right.
    assert!(p1.block.left > p2.block.left && p1.block.right > p2.block.right);
    write_pdf(
        &pdf,
        (432.0, 648.0),
        &[
            // A word in the text block, and one in the recto's outside margin.
            vec![
                (p1.block.left + 20.0, p1.block.top + 40.0, "Inside"),
                (p1.block.right + 10.0, p1.block.top + 100.0, "Stray"),
            ],
            // A running head, a folio, and a line spilled into the folio band.
            vec![
                (p2.head.left + 50.0, p2.head.bottom - 15.0, "Head"),
                (p2.foot.left + 100.0, p2.foot.top + 20.0, "Folio"),
                (p2.foot.left + 100.0, p2.foot.top + 40.0, "Spill"),
            ],
            // A word across the trim's right edge, and one drawn below the page.
            vec![
                (p3.trim.right - 10.0, p3.block.top + 60.0, "Edge"),
                (p3.block.left + 20.0, p3.trim.bottom + 30.0, "Gone"),
            ],
            // A page where everything is in its place.
            vec![
                (p4.head.left + 50.0, p4.head.bottom - 15.0, "Head"),
                (p4.block.left, p4.block.top + 12.0, "First"),
                (p4.block.right - 40.0, p4.block.bottom - 20.0, "Last"),
                (p4.foot.left + 100.0, p4.foot.top + 20.0, "4"),
            ],
        ],
    );
    let problems = bounds_problems(&pdf, PdfEdition::Print, &config);
    assert_eq!(problems.len(), 4, "{problems:#?}");
    let name = pdf.display().to_string();
    assert!(problems.iter().all(|p| p.starts_with(&name)), "{problems:#?}");
    let stray = the_problem(&problems, "\"Stray\"");
    assert!(
        stray.contains("page 1 of 4")
            && stray.contains("outside the text block")
            && stray.contains(&p1.block.to_string())
            && stray.contains("at [x "),
        "{stray}"
    );
    let spill = the_problem(&problems, "Spill");
    assert!(
        spill.contains("page 2 of 4")
            && spill.contains("folio band")
            && spill.contains("holds 2 lines, at most 1")
            && spill.contains("\"Folio\""),
        "{spill}"
    );
    // (pdftotext keeps the letters that start on the page: "Ed".)
    let edge = the_problem(&problems, "word \"Ed");
    assert!(edge.contains("page 3 of 4") && edge.contains("outside the trim"), "{edge}");
    // pdftotext does not see text wholly off the page; the content stream does.
    let gone = the_problem(&problems, "drawn starting at");
    assert!(gone.contains("page 3 of 4") && gone.contains("does not print"), "{gone}");
    assert!(!problems.iter().any(|p| p.contains("page 4 of 4")), "{problems:#?}");

    // A booklet's sheet side: each half is its own page.
    let sheet = expected_page(PdfEdition::Booklet, &config, 0, 1);
    let (left, right) = (&sheet.frames[0], &sheet.frames[1]);
    let booklet = m.tmp.join("handouts/made-booklet.pdf");
    std::fs::create_dir_all(booklet.parent().unwrap()).unwrap();
    write_pdf(
        &booklet,
        sheet.media,
        &[vec![
            (left.block.left + 10.0, left.block.top + 30.0, "Left"),
            (right.block.left + 10.0, right.block.top + 30.0, "Right"),
            (left.block.right + 5.0, left.block.top + 60.0, "Gutter"),
        ]],
    );
    assert_eq!(PdfEdition::of(&booklet, &config), Some(PdfEdition::Booklet));
    let problems = bounds_problems(&booklet, PdfEdition::Booklet, &config);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert!(
        problems[0].contains("left half") && problems[0].contains("\"Gutter\""),
        "{problems:#?}"
    );
}

/// A finished `Output` with `stdout`, as a successful command leaves it.
fn succeeded(stdout: &str) -> Output {
    use std::os::unix::process::ExitStatusExt;
    Output {
        status: std::process::ExitStatus::from_raw(0),
        stdout: stdout.as_bytes().to_vec(),
        stderr: Vec::new(),
    }
}

#[test]
fn the_check_finds_the_manuscript_and_pdfs_of_every_build_command() {
    let here = std::env::current_dir().unwrap();
    let mut cmd = quire();
    cmd.args(["build", "--format", "all", "book", "--booklet", "--out", "o"]);
    let output = succeeded(
        "wrote o/b.epub\nwrote o/b-print.pdf\nwrote o/handouts/01-a.pdf\n\
         wrote o/handouts/01-a-booklet.pdf\n",
    );
    let (dir, pdfs) = built_pdfs(&cmd, &output).expect("a build is checked");
    assert_eq!(dir, here.join("book"));
    assert_eq!(
        pdfs,
        ["o/b-print.pdf", "o/handouts/01-a.pdf", "o/handouts/01-a-booklet.pdf"]
            .map(|p| here.join(p))
    );

    let mut cmd = quire();
    cmd.args(["handout", "a", "--out=/abs/o", "--dir", "/abs/book"]).current_dir("/tmp");
    let output = succeeded("wrote /abs/o/handouts/01-a.pdf\n");
    let (dir, pdfs) = built_pdfs(&cmd, &output).expect("a handout is checked");
    assert_eq!(dir, Path::new("/abs/book"));
    assert_eq!(pdfs, [Path::new("/abs/o/handouts/01-a.pdf")]);

    // The defaults, and commands that build nothing.
    let mut cmd = quire();
    cmd.arg("build").current_dir("/tmp");
    assert_eq!(built_pdfs(&cmd, &succeeded("")).unwrap().0, Path::new("/tmp/manuscript"));
    let mut cmd = quire();
    cmd.args(["dump", "--layout", "book"]);
    assert!(built_pdfs(&cmd, &succeeded("wrote x.pdf\n")).is_none());
    let mut other = Command::new("pdftotext");
    other.args(["build", "x"]);
    assert!(built_pdfs(&other, &succeeded("wrote x.pdf\n")).is_none());
}

#[test]
fn every_pdf_of_a_full_build_is_read_back() {
    let tmp = TempDir::new("bounds-full");
    let out = tmp.join("out");
    let mut cmd = quire();
    cmd.arg("build").arg(sample_manuscript()).arg("--out").arg(&out).arg("--booklet");
    // `run` checks the PDFs; this test shows which ones it is given.
    let output = run(&mut cmd);
    assert_success("quire build --booklet", &output);
    let (dir, pdfs) = built_pdfs(&cmd, &output).unwrap();
    assert_eq!(dir, sample_manuscript());
    let mut on_disk: Vec<_> = dir_entries(&out.join("handouts"))
        .into_iter()
        .map(|n| out.join("handouts").join(n))
        .collect();
    on_disk.extend(
        dir_entries(&out)
            .into_iter()
            .filter(|n| n.ends_with(".pdf"))
            .map(|n| out.join(n)),
    );
    on_disk.sort();
    let mut checked = pdfs.clone();
    checked.sort();
    assert_eq!(checked, on_disk);
    let config = Config::load(&sample_manuscript()).unwrap();
    let editions: Vec<Option<PdfEdition>> =
        pdfs.iter().map(|p| PdfEdition::of(p, &config)).collect();
    for edition in [PdfEdition::Print, PdfEdition::Handout, PdfEdition::Booklet] {
        assert!(
            editions.contains(&Some(edition.clone())),
            "no {edition:?} among {pdfs:?}"
        );
    }
}

// Issue 10: the printed contents used to be one fixed page (entry k at grid slot 10 + 2k),
// so with twenty essays entries 14 and 15 landed in the folio band and entries 17 to 20
// below the page; the bounds check in `build_format` (through `run`) caught it. The
// contents now paginates.
#[test]
fn a_contents_of_twenty_essays_stays_inside_its_pages() {
    let essays: Vec<(String, String)> = (1..=20)
        .map(|i| {
            (
                format!("essay-{i:02}.md"),
                format!("# Essay Number {i}\n\nText of essay {i}.\n"),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> =
        essays.iter().map(|(n, t)| (n.as_str(), t.as_str())).collect();
    let m = Manuscript::new("bounds-twenty", &refs);
    let output = build_format(&m.dir(), &m.out(), "pdf", &[]);
    assert_success("quire build --format pdf (twenty essays)", &output);
}
