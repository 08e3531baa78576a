//! End-to-end tests of the PDF writer on a small synthetic book, read back with lopdf and
//! checked with poppler and qpdf when they are installed.

use super::render;
use crate::layout::page::{
    Document, DocumentMeta, FormField, Glyph, ImageData, LabelStyle, OutlineEntry, Page,
    PageItem, PageLabel, Rect, TextRun,
};
use crate::layout::units::Pt;
use crate::text::font::{Features, FontId, FontSet};
use harfrust::{Buffer, Direction, Script, ShapeOptions};
use lopdf::{Dictionary, Object, ObjectId};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Shapes `text` in `font` the way the layout engine does and places it on a baseline.
fn run(fonts: &FontSet, font: FontId, text: &str, x: f64, y: f64, size: f64) -> PageItem {
    let face = fonts.face(font);
    let (plan, features) = face.plan(Features::Text);
    let mut buffer = Buffer::new();
    buffer.push_str(text);
    buffer.set_direction(Direction::LeftToRight);
    buffer.set_script(Some(Script::LATIN));
    harfrust::shape(
        &face.shaper(),
        &mut buffer,
        ShapeOptions::new().plan(Some(plan)).features(features),
    )
    .expect("shaping works");
    let infos = buffer.glyph_infos();
    let positions = buffer.glyph_positions();
    let mut glyphs = Vec::with_capacity(infos.len());
    for (i, (info, pos)) in infos.iter().zip(positions).enumerate() {
        let start = info.cluster;
        let first = i == 0 || infos[i - 1].cluster != start;
        let end = infos[i..]
            .iter()
            .map(|g| g.cluster)
            .find(|&c| c != start)
            .unwrap_or(text.len() as u32);
        let range = if first { (start, end) } else { (start, start) };
        glyphs.push(Glyph {
            id: info.glyph_id as u16,
            advance: pos.x_advance,
            text: range,
        });
    }
    PageItem::Text(TextRun {
        stretch: 1.0,
        x: Pt(x),
        y: Pt(y),
        font,
        size: Pt(size),
        glyphs,
        text: text.to_string(),
        link: None,
    })
}

/// A small PNG: an opaque RGB gradient, or a grey one fading to transparent.
fn png(alpha: bool) -> ImageData {
    let (w, h) = (40u32, 20u32);
    let mut bytes = std::io::Cursor::new(Vec::new());
    if alpha {
        let img = image::GrayAlphaImage::from_fn(w, h, |x, _| {
            image::LumaA([40, (x * 6) as u8])
        });
        img.write_to(&mut bytes, image::ImageFormat::Png).expect("png encodes");
    } else {
        let img = image::RgbImage::from_fn(w, h, |x, y| {
            image::Rgb([(x * 6) as u8, (y * 12) as u8, 160])
        });
        img.write_to(&mut bytes, image::ImageFormat::Png).expect("png encodes");
    }
    ImageData { bytes: bytes.into_inner(), pixels: (w, h) }
}

const FIRST_LINE: &str = "office affluent baffle";
const WORD_BY_WORD: &str = "Set word by word, as the layout engine sets lines.";

/// A line set as the layout engine sets it: one run per word, the spaces left as gaps.
fn words(fonts: &FontSet, text: &str, x: f64, y: f64, size: f64) -> Vec<PageItem> {
    let mut x = x;
    text.split(' ')
        .map(|word| {
            let item = run(fonts, FontId::REGULAR, word, x, y, size);
            if let PageItem::Text(r) = &item {
                let width: i32 = r.glyphs.iter().map(|g| g.advance).sum();
                x += f64::from(width) * size / 1000.0 + size / 3.5;
            }
            item
        })
        .collect()
}

/// Three 6×9 in pages: the second has 9 pt of bleed around its trim box.
fn sample(fonts: &FontSet) -> Document {
    let (w, h) = (432.0, 648.0);
    let trim = Rect { x: Pt(0.0), y: Pt(0.0), width: Pt(w), height: Pt(h) };
    let mut page1 = Page {
        width: Pt(w),
        height: Pt(h),
        trim,
        items: vec![
            run(fonts, FontId::REGULAR, FIRST_LINE, 72.0, 100.0, 12.0),
            run(
                fonts,
                FontId::REGULAR,
                "“Quoted,” she said — AVA WAVE To.",
                72.0,
                118.0,
                12.0,
            ),
            run(fonts, FontId::ITALIC, "An italic run, fluffier", 72.0, 136.0, 12.0),
            run(fonts, FontId::REGULAR, "Cyrillic:", 72.0, 154.0, 12.0),
            run(fonts, FontId::FALLBACK, "Жук", 122.0, 154.0, 12.0),
            PageItem::Rule {
                x1: Pt(72.0),
                y1: Pt(170.0),
                x2: Pt(360.0),
                y2: Pt(170.0),
                thickness: Pt(0.5),
            },
            PageItem::Image {
                image: 0,
                rect: Rect {
                    x: Pt(72.0),
                    y: Pt(190.0),
                    width: Pt(160.0),
                    height: Pt(80.0),
                },
            },
            PageItem::Link {
                rect: Rect {
                    x: Pt(72.0),
                    y: Pt(90.0),
                    width: Pt(120.0),
                    height: Pt(14.0),
                },
                page: 2,
            },
        ],
    };
    page1.items.extend(words(fonts, WORD_BY_WORD, 72.0, 300.0, 12.0));
    let bleed = 9.0;
    let page2 = Page {
        width: Pt(w + 2.0 * bleed),
        height: Pt(h + 2.0 * bleed),
        trim: Rect { x: Pt(bleed), y: Pt(bleed), width: Pt(w), height: Pt(h) },
        items: vec![run(
            fonts,
            FontId::BOLD,
            "A page with bleed",
            72.0 + bleed,
            100.0 + bleed,
            14.0,
        )],
    };
    let page3 = Page {
        width: Pt(w),
        height: Pt(h),
        trim,
        items: vec![
            run(fonts, FontId::REGULAR, "Chapter three", 72.0, 100.0, 18.0),
            PageItem::Image {
                image: 1,
                rect: Rect {
                    x: Pt(72.0),
                    y: Pt(120.0),
                    width: Pt(80.0),
                    height: Pt(40.0),
                },
            },
        ],
    };
    Document {
        pages: vec![page1, page2, page3],
        outline: vec![
            OutlineEntry { title: "Contents".into(), page: 0, children: vec![] },
            OutlineEntry {
                title: "Chapter “Three”".into(),
                page: 2,
                children: vec![OutlineEntry {
                    title: "A section".into(),
                    page: 2,
                    children: vec![],
                }],
            },
        ],
        page_labels: vec![
            PageLabel { from_page: 0, style: LabelStyle::LowerRoman, first: 1 },
            PageLabel { from_page: 2, style: LabelStyle::Decimal, first: 1 },
        ],
        meta: DocumentMeta {
            title: "Essays & Things".into(),
            author: "Ann Writer".into(),
            subject: "A test".into(),
            keywords: vec!["essays".into(), "tests".into()],
            language: "en-US".into(),
            date: "2026-11-25".into(),
            identifier: "urn:isbn:9780000000000".into(),
        },
        images: vec![png(false), png(true)],
        navigation: true,
        full_fonts: false,
        fields: vec![],
    }
}

fn load(bytes: &[u8]) -> lopdf::Document {
    lopdf::Document::load_mem(bytes).expect("lopdf reads the output")
}

fn catalog(pdf: &lopdf::Document) -> &Dictionary {
    pdf.catalog().expect("catalog")
}

fn deref<'a>(pdf: &'a lopdf::Document, object: &'a Object) -> &'a Object {
    match object {
        Object::Reference(id) => pdf.get_object(*id).expect("reference resolves"),
        other => other,
    }
}

fn dict<'a>(pdf: &'a lopdf::Document, object: &'a Object) -> &'a Dictionary {
    deref(pdf, object).as_dict().expect("a dictionary")
}

fn numbers(object: &Object) -> Vec<f64> {
    object
        .as_array()
        .expect("an array")
        .iter()
        .map(|n| match n {
            Object::Integer(i) => *i as f64,
            Object::Real(r) => f64::from(*r),
            other => panic!("not a number: {other:?}"),
        })
        .collect()
}

fn pages(pdf: &lopdf::Document) -> Vec<ObjectId> {
    pdf.get_pages().into_values().collect()
}

#[test]
fn renders_a_pdf_1_7() {
    let fonts = FontSet::builtin();
    let bytes = render(&sample(&fonts), &fonts).expect("renders");
    assert!(
        bytes.starts_with(b"%PDF-1.7\n"),
        "{:?}",
        String::from_utf8_lossy(&bytes[..16])
    );
    assert_eq!(pages(&load(&bytes)).len(), 3);
}

#[test]
fn output_is_deterministic_whatever_printpdf_drew_before() {
    let fonts = FontSet::builtin();
    let doc = sample(&fonts);
    let first = render(&doc, &fonts).expect("renders");
    // Advance printpdf's process-wide id counter, as other documents would.
    for _ in 0..7 {
        let _ = printpdf::FontId::new();
    }
    let second = render(&doc, &fonts).expect("renders");
    assert!(first == second, "two renders of the same document differ");
    let mut full = doc.clone();
    full.full_fonts = true;
    assert_eq!(
        render(&full, &fonts).expect("renders"),
        render(&full, &fonts).expect("renders")
    );
}

/// Renders in a second process (this test binary, filtered to this test) and compares.
#[test]
fn output_is_identical_in_another_process() {
    const CHILD: &str = "QUIRE_PDF_CHILD_OUT";
    let fonts = FontSet::builtin();
    let bytes = render(&sample(&fonts), &fonts).expect("renders");
    if let Some(out) = std::env::var_os(CHILD) {
        std::fs::write(out, &bytes).expect("child writes");
        return;
    }
    let out =
        std::env::temp_dir().join(format!("quire-pdf-child-{}.pdf", std::process::id()));
    let child = Command::new(std::env::current_exe().expect("test binary"))
        .args(["--exact", "pdf::tests::output_is_identical_in_another_process"])
        .env(CHILD, &out)
        .output()
        .expect("child runs");
    assert!(child.status.success(), "{}", String::from_utf8_lossy(&child.stdout));
    let other = std::fs::read(&out).expect("child wrote the file");
    let _ = std::fs::remove_file(&out);
    assert!(other == bytes, "another process wrote different bytes");
}

#[test]
fn catalog_navigation_boxes_and_info_read_back() {
    let fonts = FontSet::builtin();
    let pdf = load(&render(&sample(&fonts), &fonts).expect("renders"));
    let root = catalog(&pdf);
    assert_eq!(root.get(b"Lang").and_then(Object::as_str).expect("/Lang"), b"en-US");
    assert_eq!(
        root.get(b"PageMode").and_then(Object::as_name).expect("/PageMode name"),
        b"UseOutlines"
    );

    let labels = dict(&pdf, root.get(b"PageLabels").expect("/PageLabels"));
    let nums = labels.get(b"Nums").and_then(Object::as_array).expect("/Nums");
    assert_eq!(nums.len(), 4);
    assert_eq!(nums[0].as_i64().expect("index"), 0);
    assert_eq!(
        dict(&pdf, &nums[1]).get(b"S").and_then(Object::as_name).expect("/S"),
        b"r"
    );
    assert_eq!(nums[2].as_i64().expect("index"), 2);
    let decimal = dict(&pdf, &nums[3]);
    assert_eq!(decimal.get(b"S").and_then(Object::as_name).expect("/S"), b"D");
    assert_eq!(decimal.get(b"St").and_then(Object::as_i64).expect("/St"), 1);

    let page_ids = pages(&pdf);
    let outlines = dict(&pdf, root.get(b"Outlines").expect("/Outlines"));
    let first = dict(&pdf, outlines.get(b"First").expect("/First"));
    assert_eq!(first.get(b"Title").and_then(Object::as_str).expect("title"), b"Contents");
    assert!(first.get(b"First").is_err(), "the first entry has no children");
    let second = dict(&pdf, first.get(b"Next").expect("/Next"));
    let title = lopdf::decode_text_string(second.get(b"Title").expect("title"))
        .expect("text string");
    assert_eq!(title, "Chapter “Three”");
    let dest = second.get(b"Dest").and_then(Object::as_array).expect("/Dest");
    assert_eq!(dest[0].as_reference().expect("page ref"), page_ids[2]);
    let child = dict(&pdf, second.get(b"First").expect("nested child"));
    assert_eq!(
        child.get(b"Title").and_then(Object::as_str).expect("title"),
        b"A section"
    );
    assert_eq!(
        child.get(b"Parent").and_then(Object::as_reference).expect("parent"),
        first.get(b"Next").and_then(Object::as_reference).expect("ref")
    );

    let page1 = pdf.get_dictionary(page_ids[0]).expect("page 1");
    let annots =
        deref(&pdf, page1.get(b"Annots").expect("/Annots")).as_array().expect("array");
    assert_eq!(annots.len(), 1);
    let link = dict(&pdf, &annots[0]);
    assert_eq!(link.get(b"Subtype").and_then(Object::as_name).expect("subtype"), b"Link");
    assert_eq!(numbers(link.get(b"Border").expect("/Border")), vec![0.0, 0.0, 0.0]);
    let action = dict(&pdf, link.get(b"A").expect("/A"));
    let target = action.get(b"D").and_then(Object::as_array).expect("/D");
    assert_eq!(target[0].as_reference().expect("page ref"), page_ids[2]);
    let rect = numbers(link.get(b"Rect").expect("/Rect"));
    assert_eq!(rect, vec![72.0, 648.0 - 104.0, 192.0, 648.0 - 90.0]);

    let page2 = pdf.get_dictionary(page_ids[1]).expect("page 2");
    assert_eq!(
        numbers(page2.get(b"MediaBox").expect("media")),
        vec![0.0, 0.0, 450.0, 666.0]
    );
    assert_eq!(
        numbers(page2.get(b"TrimBox").expect("trim")),
        vec![9.0, 9.0, 441.0, 657.0]
    );
    assert_eq!(
        numbers(page2.get(b"BleedBox").expect("bleed")),
        vec![0.0, 0.0, 450.0, 666.0]
    );
    assert_eq!(
        numbers(page2.get(b"CropBox").expect("crop")),
        vec![0.0, 0.0, 450.0, 666.0]
    );
    assert!(page1.get(b"BleedBox").is_err(), "no bleed box without bleed");
    assert_eq!(
        numbers(page1.get(b"TrimBox").expect("trim")),
        vec![0.0, 0.0, 432.0, 648.0]
    );

    let info = dict(&pdf, pdf.trailer.get(b"Info").expect("/Info"));
    assert_eq!(
        info.get(b"Producer").and_then(Object::as_str).expect("producer"),
        b"quire"
    );
    assert_eq!(
        info.get(b"CreationDate").and_then(Object::as_str).expect("date"),
        b"D:20261125000000Z"
    );
    assert!(info.get(b"GTS_PDFXVersion").is_err() && info.get(b"Identifier").is_err());
    let id = pdf.trailer.get(b"ID").and_then(Object::as_array).expect("/ID");
    assert_eq!(id.len(), 2);
    assert_eq!(id[0], id[1]);
    assert_ne!(id[0].as_str().expect("bytes"), &[0u8; 16]);
}

#[test]
fn without_navigation_there_are_no_bookmarks_or_annotations() {
    let fonts = FontSet::builtin();
    let mut doc = sample(&fonts);
    doc.navigation = false;
    let pdf = load(&render(&doc, &fonts).expect("renders"));
    let root = catalog(&pdf);
    assert!(root.get(b"Outlines").is_err());
    assert_eq!(
        root.get(b"PageMode").and_then(Object::as_name).expect("/PageMode"),
        b"UseNone"
    );
    for id in pages(&pdf) {
        assert!(pdf.get_dictionary(id).expect("page").get(b"Annots").is_err());
    }
    assert!(
        !pdf.objects.values().any(|o| o.as_dict().is_ok_and(|d| d
            .get(b"Subtype")
            .and_then(Object::as_name)
            .is_ok_and(|n| n == b"Link"))),
        "a link annotation was written"
    );
}

#[test]
fn widths_match_the_shaper_and_only_used_faces_are_embedded() {
    let fonts = FontSet::builtin();
    let doc = sample(&fonts);
    let embedded = super::fonts::embed(&[&doc], doc.full_fonts, &fonts).expect("embeds");
    assert!(embedded.face(FontId::BOLD_ITALIC).is_none());
    for page in &doc.pages {
        for item in &page.items {
            let PageItem::Text(run) = item else { continue };
            let face = fonts.face(run.font);
            let embedded = embedded.face(run.font).expect("used face is embedded");
            for glyph in &run.glyphs {
                let nominal = face
                    .shaper()
                    .glyph_h_advance(harfrust::GlyphId::new(u32::from(glyph.id)));
                let expected =
                    (nominal as f32 * 1000.0 / f32::from(face.units_per_em)) as i64;
                assert_eq!(
                    embedded.glyph(glyph.id).1,
                    expected,
                    "glyph {} of {}",
                    glyph.id,
                    face.postscript_name
                );
            }
        }
    }
    let pdf = load(&render(&doc, &fonts).expect("renders"));
    let names: Vec<String> = pdf
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| {
            d.get(b"Type").and_then(Object::as_name).is_ok_and(|n| n == b"FontDescriptor")
        })
        .filter_map(|d| d.get(b"FontName").and_then(Object::as_name).ok())
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .collect();
    assert_eq!(names.len(), 4, "{names:?}");
    for name in &names {
        let (tag, rest) = name.split_once('+').expect("subset tag");
        assert!(tag.len() == 6 && tag.bytes().all(|b| b.is_ascii_uppercase()), "{name}");
        assert!(
            ["LinLibertineO", "LinLibertineOI", "LinLibertineOB", "NotoSerif"]
                .contains(&rest),
            "{name}"
        );
    }
}

#[test]
fn bad_references_are_errors() {
    let fonts = FontSet::builtin();
    let mut doc = sample(&fonts);
    doc.outline[0].page = 9;
    assert!(matches!(render(&doc, &fonts), Err(crate::Error::Pdf(_))));
    let mut doc = sample(&fonts);
    doc.pages[0].items.push(PageItem::Image { image: 5, rect: Rect::default() });
    assert!(matches!(render(&doc, &fonts), Err(crate::Error::Pdf(_))));
    let mut doc = sample(&fonts);
    doc.meta.date = "25/11/2026".into();
    assert!(matches!(render(&doc, &fonts), Err(crate::Error::Pdf(_))));
}

/// Runs an external checker, or says loudly that it is missing (and fails when
/// `QUIRE_REQUIRE_VALIDATORS=1`).
fn tool(name: &str, args: &[&str], file: &Path) -> Option<std::process::Output> {
    match Command::new(name).args(args).arg(file).output() {
        Ok(output) => Some(output),
        Err(_) => {
            let required =
                std::env::var("QUIRE_REQUIRE_VALIDATORS").is_ok_and(|v| v == "1");
            assert!(!required, "{name} not found, and QUIRE_REQUIRE_VALIDATORS=1");
            // Straight to the stream: the test harness captures `eprintln!`.
            let _ = writeln!(std::io::stderr(), "\n*** SKIPPED: {name} not found ***\n");
            None
        }
    }
}

/// Writes the sample where the checkers can read it (kept at `$QUIRE_PDF_KEEP` if set).
fn write_sample(doc: &Document, fonts: &FontSet, stem: &str) -> PathBuf {
    let bytes = render(doc, fonts).expect("renders");
    let path = match std::env::var_os("QUIRE_PDF_KEEP") {
        Some(dir) => PathBuf::from(dir).join(format!("{stem}.pdf")),
        None => {
            std::env::temp_dir().join(format!("quire-{stem}-{}.pdf", std::process::id()))
        }
    };
    std::fs::write(&path, bytes).expect("temp file");
    path
}

fn cleanup(path: &Path) {
    if std::env::var_os("QUIRE_PDF_KEEP").is_none() {
        let _ = std::fs::remove_file(path);
    }
}

#[test]
fn poppler_and_qpdf_accept_the_file() {
    let fonts = FontSet::builtin();
    let doc = sample(&fonts);
    let PageItem::Text(first) = &doc.pages[0].items[0] else { panic!("a text run") };
    assert!(
        first.glyphs.len() < FIRST_LINE.chars().count() - 3,
        "the ffi, ffl and ff ligatures should have formed"
    );
    let path = write_sample(&doc, &fonts, "pdf-sample");
    if let Some(out) = tool("qpdf", &["--check"], &path) {
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        println!("qpdf --check:\n{text}");
        assert!(out.status.success(), "{text}");
        assert!(!text.to_lowercase().contains("warning"), "{text}");
        assert!(text.contains("No syntax or stream encoding errors"), "{text}");
    }
    if let Some(out) = tool("pdffonts", &[], &path) {
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        println!("pdffonts:\n{text}");
        let rows: Vec<&str> = text.lines().skip(2).collect();
        assert_eq!(rows.len(), 4, "{text}");
        for row in rows {
            let cols: Vec<&str> = row.split_whitespace().collect();
            // name type... emb sub uni object-id: the flags are the 5th to 3rd last columns.
            let n = cols.len();
            assert_eq!(
                &cols[n - 5..n - 2],
                ["yes", "yes", "yes"],
                "emb/sub/uni in {row}"
            );
        }
    }
    if let Some(out) = tool("pdftotext", &["-layout"], &path) {
        assert!(out.status.success());
        // pdftotext writes next to the PDF when no output file is named.
        let txt = path.with_extension("txt");
        let text = std::fs::read_to_string(&txt).expect("pdftotext output");
        let _ = std::fs::remove_file(&txt);
        println!("pdftotext:\n{text}");
        for wanted in [
            FIRST_LINE,
            "“Quoted,” she said — AVA WAVE To.",
            "An italic run, fluffier",
            "Жук",
            "Chapter three",
        ] {
            assert!(text.contains(wanted), "{wanted:?} not in {text:?}");
        }
    }
    if let Some(out) = tool("pdfinfo", &[], &path) {
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        println!("pdfinfo:\n{text}");
        assert!(!text.contains("PDF/X"), "{text}");
        let field = |key: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(key))
                .map(|v| v.trim_start_matches(':').trim().to_string())
        };
        assert_eq!(field("PDF version").as_deref(), Some("1.7"), "{text}");
        assert_eq!(field("Title").as_deref(), Some("Essays & Things"), "{text}");
    }
    cleanup(&path);
}

#[test]
fn whole_fonts_are_embedded_without_a_subset_tag() {
    let fonts = FontSet::builtin();
    let mut doc = sample(&fonts);
    doc.full_fonts = true;
    let path = write_sample(&doc, &fonts, "pdf-full-fonts");
    if let Some(out) = tool("pdffonts", &[], &path) {
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        println!("pdffonts (full fonts):\n{text}");
        let rows: Vec<&str> = text.lines().skip(2).collect();
        assert_eq!(rows.len(), 4, "{text}");
        for row in rows {
            let cols: Vec<&str> = row.split_whitespace().collect();
            let n = cols.len();
            assert!(!cols[0].contains('+'), "{row}");
            assert_eq!(&cols[n - 5..n - 2], ["yes", "no", "yes"], "emb/sub/uni in {row}");
        }
    }
    if let Some(out) = tool("qpdf", &["--check"], &path) {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    }
    if let Some(out) = tool("pdftotext", &["-layout"], &path) {
        assert!(out.status.success());
        let txt = path.with_extension("txt");
        let text = std::fs::read_to_string(&txt).expect("pdftotext output");
        let _ = std::fs::remove_file(&txt);
        assert!(text.contains(FIRST_LINE) && text.contains("Жук"), "{text}");
    }
    cleanup(&path);
}

/// A 300-page book of 40 lines of about 60 glyphs each, set as one run per line or, as
/// the layout engine does, one run per word.
fn large_book(fonts: &FontSet, per_word: bool) -> Document {
    let text = "the quick brown fox jumps over a lazy dog while fifty affluent officers \
        shuffle baffled waffles; “nobody” expected—least of all the flustered chef—such \
        a difficult, effortless finale to their long and winding evening walk by the river";
    let words: Vec<&str> = text.split(' ').collect();
    let (size, leading) = (10.5, 13.5);
    let mut lines: Vec<Vec<PageItem>> = Vec::new();
    for n in 0..40 {
        let mut line = String::new();
        let mut i = n;
        while line.chars().count() < 60 {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(words[i % words.len()]);
            i += 3;
        }
        let font = if n % 7 == 3 { FontId::ITALIC } else { FontId::REGULAR };
        let y = 60.0 + leading * n as f64;
        if per_word {
            let mut x = 54.0;
            let mut runs = Vec::new();
            for word in line.split(' ') {
                let item = run(fonts, font, word, x, y, size);
                if let PageItem::Text(r) = &item {
                    let width: i32 = r.glyphs.iter().map(|g| g.advance).sum();
                    x += f64::from(width) * size / 1000.0 + 3.1;
                }
                runs.push(item);
            }
            lines.push(runs);
        } else {
            lines.push(vec![run(fonts, font, &line, 54.0, y, size)]);
        }
    }
    let items: Vec<PageItem> = lines.into_iter().flatten().collect();
    let mut doc = sample(fonts);
    doc.outline.clear();
    doc.page_labels.clear();
    doc.pages = (0..300)
        .map(|_| Page {
            width: Pt(432.0),
            height: Pt(648.0),
            trim: Rect { x: Pt(0.0), y: Pt(0.0), width: Pt(432.0), height: Pt(648.0) },
            items: items.clone(),
        })
        .collect();
    doc
}

/// Prints how long rendering a large book takes. Run with
/// `cargo test --release --lib pdf::tests::large_book -- --ignored --nocapture`.
#[test]
#[ignore = "timing; run in release"]
fn large_book_render_time() {
    let fonts = FontSet::builtin();
    for per_word in [false, true] {
        for full_fonts in [false, true] {
            let mut doc = large_book(&fonts, per_word);
            doc.full_fonts = full_fonts;
            let (mut glyphs, mut runs) = (0, 0);
            for item in doc.pages.iter().flat_map(|p| &p.items) {
                if let PageItem::Text(r) = item {
                    glyphs += r.glyphs.len();
                    runs += 1;
                }
            }
            // The machine may be shared: report the best and the median of several.
            let mut times = Vec::new();
            let mut size = 0;
            for _ in 0..7 {
                let start = std::time::Instant::now();
                size = render(&doc, &fonts).expect("renders").len();
                times.push(start.elapsed());
            }
            times.sort();
            println!(
                "300 pages, {glyphs} glyphs in {runs} runs, {}: best {:?}, median {:?}, {size} bytes",
                if full_fonts { "full fonts" } else { "subset" },
                times[0],
                times[times.len() / 2],
            );
        }
    }
}

/// Subsets of more than 255 glyphs come out of allsorts as CID-keyed CFF, which printpdf
/// embeds as a bare CFF program with charset codes: check that path end to end.
#[test]
fn large_subsets_stay_valid() {
    let fonts = FontSet::builtin();
    let mut doc = sample(&fonts);
    let letters = "abcdefghijklmnopqrst";
    doc.pages[2].items = (0..20u16)
        .map(|row| {
            let glyphs = (0..20u16)
                .map(|i| Glyph {
                    id: 1 + row * 20 + i,
                    advance: 600,
                    text: (u32::from(i), u32::from(i) + 1),
                })
                .collect();
            PageItem::Text(TextRun {
                stretch: 1.0,
                x: Pt(20.0),
                y: Pt(40.0 + 20.0 * f64::from(row)),
                font: FontId::REGULAR,
                size: Pt(12.0),
                glyphs,
                text: letters.into(),
                link: None,
            })
        })
        .collect();
    let path = write_sample(&doc, &fonts, "pdf-large-subset");
    if let Some(out) = tool("qpdf", &["--check"], &path) {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    }
    if let Some(out) = tool("pdffonts", &[], &path) {
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let row =
            text.lines().find(|l| l.contains("+LinLibertineO ")).expect("regular face");
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(&cols[n - 5..n - 2], ["yes", "yes", "yes"], "{row}");
    }
    if let Some(out) = tool("pdftotext", &[], &path) {
        assert!(out.status.success());
        let txt = path.with_extension("txt");
        let text = std::fs::read_to_string(&txt).expect("pdftotext output");
        let _ = std::fs::remove_file(&txt);
        // The fixed advances make pdftotext see gaps; the letters are all there.
        let squeezed: String = text.split_whitespace().collect();
        assert_eq!(squeezed.matches(letters).count(), 20, "{text}");
    }
    cleanup(&path);
}

/// PNGs of several kinds are embedded without loss: `pdfimages` gets the very pixels back.
#[test]
fn images_are_embedded_losslessly() {
    let fonts = FontSet::builtin();
    let (w, h) = (23u32, 11u32);
    let encode = |image: image::DynamicImage| {
        let mut bytes = std::io::Cursor::new(Vec::new());
        image.write_to(&mut bytes, image::ImageFormat::Png).expect("png encodes");
        ImageData { bytes: bytes.into_inner(), pixels: (w, h) }
    };
    let rgb = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x * 11) as u8, (y * 23) as u8, 7])
    });
    let grey = image::GrayImage::from_fn(w, h, |x, y| image::Luma([(x * y) as u8]));
    let rgba = image::RgbaImage::from_fn(w, h, |x, y| {
        image::Rgba([(x * 11) as u8, 90, (y * 23) as u8, (x * 9) as u8])
    });
    let deep = image::ImageBuffer::<image::Rgb<u16>, Vec<u16>>::from_fn(w, h, |x, y| {
        image::Rgb([(x * 2000) as u16, (y * 5000) as u16, 300])
    });
    let originals: Vec<image::DynamicImage> =
        vec![rgb.into(), grey.into(), rgba.into(), deep.into()];

    let mut doc = sample(&fonts);
    doc.images = originals.iter().cloned().map(encode).collect();
    doc.pages.truncate(1);
    doc.outline.clear();
    doc.page_labels.clear();
    doc.pages[0].items = (0..originals.len())
        .map(|i| PageItem::Image {
            image: i,
            rect: Rect {
                x: Pt(50.0),
                y: Pt(50.0 + 60.0 * i as f64),
                width: Pt(92.0),
                height: Pt(44.0),
            },
        })
        .collect();
    let path = write_sample(&doc, &fonts, "pdf-images");
    if let Some(out) = tool("qpdf", &["--check"], &path) {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    }
    let dir =
        std::env::temp_dir().join(format!("quire-pdf-images-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let prefix = dir.join("img");
    let extracted =
        Command::new("pdfimages").arg("-png").arg(&path).arg(&prefix).output();
    match extracted {
        Err(_) => {
            let _ = tool("pdfimages", &[], &path);
        }
        Ok(out) => {
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
                .expect("listing")
                .map(|e| e.expect("entry").path())
                .collect();
            files.sort();
            let read = |i: usize| image::open(&files[i]).expect("pdfimages wrote a PNG");
            // Transparency is flattened over white: no soft mask.
            assert_eq!(files.len(), 4, "{files:?}");
            assert_eq!(read(0).to_rgb8(), originals[0].to_rgb8(), "RGB, passed through");
            assert_eq!(
                read(1).to_luma8(),
                originals[1].to_luma8(),
                "grey, passed through"
            );
            let over_white: Vec<u8> = originals[2]
                .to_rgba8()
                .pixels()
                .flat_map(|p| {
                    let a = f64::from(p.0[3]) / 255.0;
                    let mix = move |c: u8| (f64::from(c) * a + 255.0 * (1.0 - a)).round();
                    [mix(p.0[0]) as u8, mix(p.0[1]) as u8, mix(p.0[2]) as u8]
                })
                .collect();
            assert_eq!(
                read(2).to_rgb8().into_raw(),
                over_white,
                "RGBA flattened over white"
            );
            // pdfimages writes 16-bit samples with their high byte only.
            let high: Vec<u8> = originals[3]
                .to_rgb16()
                .into_raw()
                .iter()
                .map(|v| (v >> 8) as u8)
                .collect();
            assert_eq!(read(3).to_rgb8().into_raw(), high, "16-bit RGB, passed through");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    cleanup(&path);
}

/// Every object reachable from the trailer, following references.
fn reachable(pdf: &lopdf::Document) -> std::collections::BTreeSet<ObjectId> {
    fn visit(
        pdf: &lopdf::Document,
        object: &Object,
        seen: &mut std::collections::BTreeSet<ObjectId>,
    ) {
        match object {
            Object::Reference(id) => {
                if seen.insert(*id)
                    && let Ok(target) = pdf.get_object(*id)
                {
                    visit(pdf, target, seen);
                }
            }
            Object::Array(items) => items.iter().for_each(|o| visit(pdf, o, seen)),
            Object::Dictionary(d) => d.iter().for_each(|(_, o)| visit(pdf, o, seen)),
            Object::Stream(s) => s.dict.iter().for_each(|(_, o)| visit(pdf, o, seen)),
            _ => {}
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    pdf.trailer.iter().for_each(|(_, o)| visit(pdf, o, &mut seen));
    seen
}

#[test]
fn the_census_page_leaves_no_page_and_no_object_behind() {
    let fonts = FontSet::builtin();
    for navigation in [true, false] {
        let mut doc = sample(&fonts);
        doc.navigation = navigation;
        let pdf = load(&render(&doc, &fonts).expect("renders"));
        assert_eq!(pages(&pdf).len(), doc.pages.len());
        let pages_root = catalog(&pdf).get(b"Pages").expect("Pages");
        let count = dict(&pdf, pages_root).get(b"Count").and_then(Object::as_i64);
        assert_eq!(count.ok(), Some(doc.pages.len() as i64));
        let seen = reachable(&pdf);
        let stray: Vec<&ObjectId> =
            pdf.objects.keys().filter(|id| !seen.contains(id)).collect();
        assert!(stray.is_empty(), "objects nothing refers to: {stray:?}");
        // Every page draws what the layout put on it, from its own content stream.
        for (id, page) in pages(&pdf).into_iter().zip(&doc.pages) {
            let content = pdf.get_page_content(id);
            let shows = content.windows(2).filter(|w| w == b"TJ").count();
            let runs =
                page.items.iter().filter(|i| matches!(i, PageItem::Text(_))).count();
            assert!(runs == 0 || shows > 0, "a page with {runs} runs shows no text");
        }
    }
}

#[test]
fn form_fields_are_widgets_on_their_pages_named_in_the_acroform() {
    let fonts = FontSet::builtin();
    let mut doc = sample(&fonts);
    let rect = Rect { x: Pt(72.0), y: Pt(100.0), width: Pt(300.0), height: Pt(60.0) };
    doc.fields = vec![
        FormField { page: 0, rect, name: "a-question-1".into(), label: "Why?".into() },
        FormField {
            page: 2,
            rect,
            name: "a-question-2".into(),
            label: "How “so”?".into(),
        },
    ];
    let pdf = load(&render(&doc, &fonts).unwrap());
    let catalog = pdf.catalog().unwrap();
    let form = catalog.get(b"AcroForm").and_then(Object::as_dict).unwrap();
    let fields = form.get(b"Fields").and_then(Object::as_array).unwrap();
    assert_eq!(fields.len(), 2);
    let pages: Vec<_> = pdf.get_pages().into_values().collect();
    for (field, (page, name)) in
        fields.iter().zip([(0, "a-question-1"), (2, "a-question-2")])
    {
        let id = field.as_reference().unwrap();
        let dict = pdf.get_dictionary(id).unwrap();
        assert_eq!(dict.get(b"T").and_then(Object::as_str).unwrap(), name.as_bytes());
        assert_eq!(dict.get(b"FT").and_then(Object::as_name).unwrap(), b"Tx");
        assert_eq!(
            dict.get(b"Ff").and_then(Object::as_i64).unwrap() & (1 << 12),
            1 << 12
        );
        assert_eq!(dict.get(b"P").and_then(Object::as_reference).unwrap(), pages[page]);
        // Flipped to PDF space: 792 - (100 + 60) .. 792 - 100 on a Letter-high page.
        let r: Vec<f32> = dict
            .get(b"Rect")
            .and_then(Object::as_array)
            .unwrap()
            .iter()
            .map(|v| v.as_float().unwrap())
            .collect();
        let h = doc.pages[page].height.0 as f32;
        assert_eq!(r, [72.0, h - 160.0, 372.0, h - 100.0]);
        let annots = pdf
            .get_dictionary(pages[page])
            .unwrap()
            .get(b"Annots")
            .and_then(Object::as_array)
            .unwrap();
        assert!(annots.iter().any(|a| a.as_reference().ok() == Some(id)));
    }
    // Without fields, no form at all.
    let plain = load(&render(&sample(&fonts), &fonts).unwrap());
    assert!(plain.catalog().unwrap().get(b"AcroForm").is_err());
}
