//! `quire import`: Word documents in, manuscripts out.
//!
//! Every fixture is made here, at test time: a small DOCX writer below builds each
//! document from WordprocessingML text with the `zip` crate (no binary fixture is
//! committed). The round trips convert the sample book to DOCX with pandoc (and through
//! LibreOffice), import it back and compare `quire dump` models; they skip loudly when
//! pandoc or LibreOffice is missing, and fail then under `QUIRE_REQUIRE_VALIDATORS=1`.

mod common;

use common::*;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

// ---------------------------------------------------------------------------------------
// A tiny DOCX writer
// ---------------------------------------------------------------------------------------

const NAMESPACES: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape""#;

/// Paragraph styles every fixture has: the names Word gives them.
const STYLES: &str = r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:docDefaults><w:rPrDefault><w:rPr><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="heading 3"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style>
<w:style w:type="paragraph" w:styleId="Subtitle"><w:name w:val="Subtitle"/></w:style>
<w:style w:type="paragraph" w:styleId="Quote"><w:name w:val="Quote"/><w:rPr><w:i/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="IntenseQuote"><w:name w:val="Intense Quote"/></w:style>
<w:style w:type="paragraph" w:styleId="Caption"><w:name w:val="caption"/></w:style>
<w:style w:type="paragraph" w:styleId="ListParagraph"><w:name w:val="List Paragraph"/></w:style>
<w:style w:type="paragraph" w:styleId="ChapterHead"><w:name w:val="Chapter Head"/><w:basedOn w:val="Heading1"/></w:style>
<w:style w:type="character" w:styleId="Emphasis"><w:name w:val="Emphasis"/><w:rPr><w:i/></w:rPr></w:style>
</w:styles>"#;

/// Bullets (numId 1) and numbers (numId 2), three levels each.
const NUMBERING: &str = r#"<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:abstractNum w:abstractNumId="10"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="bullet"/></w:lvl><w:lvl w:ilvl="2"><w:numFmt w:val="bullet"/></w:lvl></w:abstractNum>
<w:abstractNum w:abstractNumId="20"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="10"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="20"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="20"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="4"/></w:lvlOverride></w:num>
</w:numbering>"#;

/// A Word document being made.
struct Docx {
    body: String,
    /// Extra parts: name and bytes.
    parts: Vec<(String, Vec<u8>)>,
    /// Extra relationships of the document: id, type's last segment, target, external.
    rels: Vec<(String, String, String, bool)>,
    /// `docProps/core.xml`, if any.
    core: Option<String>,
    /// The whole `word/document.xml`, replacing the body, for hostile cases.
    raw_document: Option<Vec<u8>>,
}

fn docx(body: impl Into<String>) -> Docx {
    Docx {
        body: body.into(),
        parts: Vec::new(),
        rels: Vec::new(),
        core: None,
        raw_document: None,
    }
}

impl Docx {
    fn part(mut self, name: &str, bytes: impl Into<Vec<u8>>) -> Self {
        self.parts.push((name.to_string(), bytes.into()));
        self
    }

    fn rel(mut self, id: &str, kind: &str, target: &str) -> Self {
        self.rels.push((id.into(), kind.into(), target.into(), kind == "hyperlink"));
        self
    }

    fn core(mut self, title: &str, author: &str) -> Self {
        self.core = Some(format!(
            r#"<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><dc:title>{}</dc:title><dc:creator>{}</dc:creator><dc:language>en-GB</dc:language><dcterms:created>2025-04-05T10:00:00Z</dcterms:created></cp:coreProperties>"#,
            esc(title),
            esc(author)
        ));
        self
    }

    fn footnotes(self, notes: &[(&str, &str)]) -> Self {
        self.notes_part("footnotes", "footnote", notes)
    }

    fn endnotes(self, notes: &[(&str, &str)]) -> Self {
        self.notes_part("endnotes", "endnote", notes)
    }

    fn notes_part(self, part: &str, element: &str, notes: &[(&str, &str)]) -> Self {
        let mut xml = format!(
            r#"<w:{part} {NAMESPACES}><w:{element} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{element}>"#
        );
        for (id, text) in notes {
            xml.push_str(&format!(
                r#"<w:{element} w:id="{id}"><w:p><w:r><w:{element}Ref/></w:r><w:r><w:t xml:space="preserve"> {}</w:t></w:r></w:p></w:{element}>"#,
                esc(text)
            ));
        }
        xml.push_str(&format!("</w:{part}>"));
        let target = format!("{part}.xml");
        self.part(&format!("word/{part}.xml"), xml).rel(
            &format!("rId{part}"),
            part,
            &target,
        )
    }

    fn document(mut self, bytes: impl Into<Vec<u8>>) -> Self {
        self.raw_document = Some(bytes.into());
        self
    }

    fn bytes(&self) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let mut put = |name: &str, bytes: &[u8]| {
            zip.start_file(name, options).unwrap();
            zip.write_all(bytes).unwrap();
        };
        put(
            "[Content_Types].xml",
            br#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#,
        );
        put(
            "_rels/.rels",
            br#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#,
        );
        let document = match &self.raw_document {
            Some(raw) => raw.clone(),
            None => format!(
                r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document {NAMESPACES}><w:body>{}</w:body></w:document>"#,
                self.body
            )
            .into_bytes(),
        };
        put("word/document.xml", &document);
        let mut rels = String::from(
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdNumbering" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>"#,
        );
        for (id, kind, target, external) in &self.rels {
            let mode = if *external { r#" TargetMode="External""# } else { "" };
            rels.push_str(&format!(
                r#"<Relationship Id="{id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}" Target="{}"{mode}/>"#,
                esc(target)
            ));
        }
        rels.push_str("</Relationships>");
        put("word/_rels/document.xml.rels", rels.as_bytes());
        put("word/styles.xml", STYLES.as_bytes());
        put("word/numbering.xml", NUMBERING.as_bytes());
        if let Some(core) = &self.core {
            put("docProps/core.xml", core.as_bytes());
        }
        for (name, bytes) in &self.parts {
            put(name, bytes);
        }
        zip.finish().unwrap().into_inner()
    }
}

/// XML-escaped text.
fn esc(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A paragraph in style `style` ("" for none) holding `runs`.
fn p(style: &str, runs: &str) -> String {
    if style.is_empty() {
        format!("<w:p>{runs}</w:p>")
    } else {
        format!(r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{runs}</w:p>"#)
    }
}

/// A paragraph with the paragraph properties `ppr`.
fn pp(ppr: &str, runs: &str) -> String {
    format!("<w:p><w:pPr>{ppr}</w:pPr>{runs}</w:p>")
}

/// A plain run.
fn r(text: &str) -> String {
    format!(r#"<w:r><w:t xml:space="preserve">{}</w:t></w:r>"#, esc(text))
}

/// A run with run properties `rpr` (`<w:i/>`).
fn rp(rpr: &str, text: &str) -> String {
    format!(
        r#"<w:r><w:rPr>{rpr}</w:rPr><w:t xml:space="preserve">{}</w:t></w:r>"#,
        esc(text)
    )
}

fn h1(text: &str) -> String {
    p("Heading1", &r(text))
}

/// A list item of list `num` at `level`.
fn li(num: u32, level: u32, text: &str) -> String {
    pp(
        &format!(
            r#"<w:pStyle w:val="ListParagraph"/><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr>"#
        ),
        &r(text),
    )
}

/// An inline image of relationship `rid` with description `alt`.
fn image(rid: &str, alt: &str) -> String {
    format!(
        r#"<w:r><w:drawing><wp:inline><wp:extent cx="952500" cy="952500"/><wp:docPr id="1" name="Picture 1" descr="{}"/><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic><pic:blipFill><a:blip r:embed="{rid}"/></pic:blipFill></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"#,
        esc(alt)
    )
}

// ---------------------------------------------------------------------------------------
// Running the import
// ---------------------------------------------------------------------------------------

/// One import's files.
struct Imported {
    tmp: TempDir,
}

impl Imported {
    fn dir(&self) -> PathBuf {
        self.tmp.join("ms")
    }

    fn model(&self) -> Value {
        dump_model(&self.dir())
    }

    fn report(&self) -> String {
        std::fs::read_to_string(self.dir().join("import-report.txt")).unwrap()
    }

    fn file(&self, name: &str) -> String {
        std::fs::read_to_string(self.dir().join(name)).unwrap_or_else(|e| {
            panic!("{name}: {e}; files: {:?}", dir_entries(&self.dir()))
        })
    }

    /// The text of every chapter file, in name order.
    fn markdown(&self) -> String {
        dir_entries(&self.dir())
            .iter()
            .filter(|n| n.ends_with(".md"))
            .map(|n| self.file(n))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// `quire import` of `docx` into a fresh folder, asserted to succeed.
fn import(test: &str, docx: &Docx) -> Imported {
    let tmp = TempDir::new(&format!("import-{test}"));
    let path = tmp.join("book.docx");
    write_file(&path, docx.bytes());
    let output = run(quire().arg("import").arg(&path).arg("--out").arg(tmp.join("ms")));
    assert_success("quire import", &output);
    Imported { tmp }
}

/// `quire import` of the bytes `bytes`, asserted to be refused: exit 1, a message that
/// contains `expect`, no panic, and nothing written (no folder, no staging leftovers).
fn refused(test: &str, bytes: &[u8], expect: &str) -> String {
    let tmp = TempDir::new(&format!("import-refused-{test}"));
    let path = tmp.join("book.docx");
    write_file(&path, bytes);
    let output = run(quire().arg("import").arg(&path).arg("--out").arg(tmp.join("ms")));
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(1), "expected a refusal:\n{err}");
    assert!(!err.contains("panicked"), "panic:\n{err}");
    assert!(err.contains(expect), "expected {expect:?} in:\n{err}");
    assert_eq!(
        dir_entries(tmp.path()),
        vec!["book.docx".to_string()],
        "something was written"
    );
    err
}

/// Every inline of `kind` anywhere in the model (titles, blocks, notes, reflections),
/// as plain text.
fn inlines_of(model: &Value, kind: &str) -> Vec<String> {
    fn text(v: &Value) -> String {
        match v {
            Value::Array(items) => items.iter().map(text).collect(),
            Value::Object(o) => match o.get("type").and_then(Value::as_str) {
                Some("text") | Some("code") => o["content"].as_str().unwrap_or("").into(),
                Some("line-break") => " ".into(),
                Some("note-ref") => String::new(),
                Some("link") | Some("cross-ref") => text(&o["content"]["content"]),
                _ => o.get("content").map(text).unwrap_or_default(),
            },
            _ => String::new(),
        }
    }
    fn walk(v: &Value, kind: &str, out: &mut Vec<String>) {
        match v {
            Value::Array(items) => items.iter().for_each(|i| walk(i, kind, out)),
            Value::Object(o) => {
                if o.get("type").and_then(Value::as_str) == Some(kind) {
                    out.push(match kind {
                        "link" => format!(
                            "{} -> {}",
                            text(&o["content"]["content"]),
                            o["content"]["url"].as_str().unwrap_or("")
                        ),
                        _ => text(o.get("content").unwrap_or(&Value::Null)),
                    });
                }
                o.values().for_each(|c| walk(c, kind, out));
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(&model["chapters"], kind, &mut out);
    out
}

fn titles(model: &Value) -> Vec<(String, String)> {
    chapters(model)
        .iter()
        .map(|c| (c["kind"].as_str().unwrap().to_string(), inline_text(&c["title"])))
        .collect()
}

/// Builds the manuscript's EPUB and asserts EPUBCheck finds nothing (skips loudly without
/// EPUBCheck).
fn assert_epub_clean(dir: &Path, what: &str) {
    let out = dir.with_extension("out");
    let epub = build_epub(dir, &out);
    assert_success(&format!("quire build of {what}"), &epub);
    let epub = the_epub_in(&out);
    if let Some(report) = epubcheck(&epub, out.as_path()) {
        report.assert_clean(what);
    }
}

// ---------------------------------------------------------------------------------------
// What is carried over
// ---------------------------------------------------------------------------------------

#[test]
fn emphasis_small_caps_and_scripts_are_carried_over() {
    let body = [
        h1("Spans"),
        p(
            "",
            &[
                r("Plain, "),
                rp("<w:i/>", "italic"),
                r(", "),
                rp("<w:b/>", "bold words"),
                r(", "),
                rp("<w:b/><w:i/>", "both"),
                r(", "),
                rp(r#"<w:rStyle w:val="Emphasis"/>"#, "styled"),
                r(", "),
                rp("<w:smallCaps/>", "nasa"),
                r(", E = mc"),
                rp(r#"<w:vertAlign w:val="superscript"/>"#, "2"),
                r(", H"),
                rp(r#"<w:vertAlign w:val="subscript"/>"#, "2"),
                r("O, the 4"),
                // LibreOffice raises the baseline instead.
                rp(r#"<w:position w:val="6"/><w:sz w:val="16"/>"#, "th"),
                r(", un"),
                rp("<w:i/>", "believ"),
                r("able, "),
                rp("<w:strike/>", "gone"),
                r(" and "),
                rp("<w:i/>", "“quoted”"),
                r("."),
            ]
            .concat(),
        ),
    ]
    .concat();
    let imported = import("spans", &docx(body));
    let model = imported.model();
    assert_eq!(
        inlines_of(&model, "emph"),
        ["italic", "both", "styled", "believ", "“quoted”"]
    );
    assert_eq!(inlines_of(&model, "strong"), ["bold words", "both"]);
    assert_eq!(inlines_of(&model, "small-caps"), ["nasa"]);
    assert_eq!(inlines_of(&model, "superscript"), ["2", "th"]);
    assert_eq!(inlines_of(&model, "subscript"), ["2"]);
    assert_eq!(inlines_of(&model, "strike"), ["gone"]);
    // A script's smaller size is no font change worth reporting.
    assert!(!imported.report().contains("own font"), "{}", imported.report());
    let para = &chapters(&model)[0]["blocks"][0]["content"];
    assert_eq!(para[0]["content"], "Plain, ", "{para}");
    assert_eq!(para.as_array().unwrap().len(), 23, "{para}");
}

#[test]
fn chapters_split_at_heading_1_and_sections_at_heading_2_and_3() {
    let body = [
        p("Title", &r("A Book of Storms")),
        p("Subtitle", &r("And Other Weather")),
        h1("The First Storm"),
        p("", &r("Rain.")),
        p("Heading2", &r("Before")),
        p("", &r("Clouds.")),
        p("Heading3", &r("Long before")),
        p("", &r("Sun.")),
        // A page break before a chapter is dropped without a word.
        p("", r#"<w:r><w:br w:type="page"/></w:r>"#),
        p("ChapterHead", &r("The Second Storm")),
        p("", &r("Hail.")),
    ]
    .concat();
    let imported = import("chapters", &docx(body));
    let model = imported.model();
    assert_eq!(
        titles(&model),
        [
            ("essay".into(), "The First Storm".into()),
            ("essay".into(), "The Second Storm".into())
        ]
    );
    let first = &chapters(&model)[0];
    let headings: Vec<(u64, String)> = blocks_of_type(first, "heading")
        .iter()
        .map(|h| (h["level"].as_u64().unwrap(), inline_text(&h["content"])))
        .collect();
    assert_eq!(headings, [(2, "Before".to_string()), (3, "Long before".to_string())]);
    let toml = imported.file("book.toml");
    assert!(toml.contains("title = \"A Book of Storms\""), "{toml}");
    assert!(toml.contains("subtitle = \"And Other Weather\""), "{toml}");
    assert!(imported.file("02-the-second-storm.md").starts_with("# The Second Storm\n"));
    assert!(!imported.report().contains("page breaks"), "{}", imported.report());
}

#[test]
fn without_heading_1_chapters_split_at_titles_chapter_lines_and_centred_bold_lines() {
    let centred_bold = |text: &str| pp(r#"<w:jc w:val="center"/>"#, &rp("<w:b/>", text));
    let page_break = p("", r#"<w:r><w:br w:type="page"/></w:r>"#);
    let body = [
        p("Title", &r("Weather Tales")),
        page_break.clone(),
        p("", &r("Chapter 1")),
        centred_bold("Opening"),
        p("", &r("The first words.")),
        page_break.clone(),
        p("", &r("Chapter Three: The Turn")),
        p("", &r("Turning.")),
        p("Title", &r("Interlude")),
        p("", &r("A pause.")),
        page_break,
        centred_bold("The End"),
        p("", &r("Last words.")),
        // Centred bold, but not after a page break: a paragraph.
        centred_bold("Not a chapter"),
    ]
    .concat();
    let imported = import("no-heading-1", &docx(body));
    let model = imported.model();
    let names: Vec<String> = titles(&model).into_iter().map(|(_, t)| t).collect();
    assert_eq!(names, ["Opening", "The Turn", "Interlude", "The End"]);
    assert_eq!(model["meta"]["title"], "Weather Tales");
    assert_eq!(paragraph_texts(&chapters(&model)[3]), ["Last words.", "Not a chapter"]);
    assert!(!imported.report().contains("page breaks"), "{}", imported.report());
}

#[test]
fn front_and_back_matter_are_recognised_by_title() {
    let body = [
        h1("Dedication"),
        p("", &r("For Ada.")),
        h1("Epigraph"),
        p("", &r("All weather passes.")),
        h1("Foreword"),
        p("", &r("A word first.")),
        h1("Chapter 1: Fog"),
        p("", &r("Grey.")),
        h1("Acknowledgements"),
        p("", &r("Thanks.")),
        h1("About the Author"),
        p("", &r("She lives by the sea.")),
    ]
    .concat();
    let imported = import("matter", &docx(body));
    let model = imported.model();
    assert_eq!(
        titles(&model),
        [
            ("dedication".into(), "".into()),
            ("epigraph".into(), "".into()),
            ("front".into(), "Foreword".into()),
            ("essay".into(), "Fog".into()),
            ("back".into(), "Acknowledgements".into()),
            ("back".into(), "About the Author".into()),
        ]
    );
    let toml = imported.file("book.toml");
    assert!(toml.contains("front = [\n  \"01-dedication.md\",\n  \"02-epigraph.md\",\n  \"03-foreword.md\",\n]"), "{toml}");
    assert!(
        imported
            .file("01-dedication.md")
            .starts_with("+++\nkind = \"dedication\"\n+++\n")
    );
}

#[test]
fn block_quotes_from_quote_styles_and_indented_paragraphs() {
    let body = [
        h1("Quotes"),
        p("", &r("Before.")),
        p("Quote", &r("Styled as a quote, italic by its style only.")),
        p("IntenseQuote", &r("And an intense one.")),
        p("", &r("Between.")),
        pp(r#"<w:ind w:left="1440" w:right="1440"/>"#, &r("Indented an inch.")),
        pp(r#"<w:ind w:firstLine="720"/>"#, &r("A first-line indent is no quote.")),
    ]
    .concat();
    let model = import("quotes", &docx(body)).model();
    let chapter = &chapters(&model)[0];
    let quotes: Vec<Vec<String>> = blocks_of_type(chapter, "quote")
        .iter()
        .map(|q| {
            q["blocks"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| inline_text(&b["content"]))
                .collect()
        })
        .collect();
    assert_eq!(
        quotes,
        [
            vec![
                "Styled as a quote, italic by its style only.".to_string(),
                "And an intense one.".to_string()
            ],
            vec!["Indented an inch.".to_string()],
        ]
    );
    // The Quote style's italic is its look, not emphasis.
    assert!(inlines_of(&model, "emph").is_empty());
}

#[test]
fn nested_lists_keep_their_kind_levels_and_numbers() {
    let body = [
        h1("Lists"),
        li(1, 0, "apples"),
        li(1, 1, "green"),
        li(1, 1, "red"),
        li(1, 0, "pears"),
        p("", &r("Then steps:")),
        li(2, 0, "first"),
        li(2, 1, "a detail"),
        li(2, 0, "second"),
        p("", &r("And from four:")),
        li(3, 0, "fourth"),
        li(3, 0, "fifth"),
        // Another list right after: a list of its own.
        li(1, 0, "bullet again"),
        p("", &r("The steps go on:")),
        li(2, 0, "third"),
        // A numbered heading is a heading, not a list item.
        pp(
            r#"<w:pStyle w:val="Heading2"/><w:numPr><w:ilvl w:val="0"/><w:numId w:val="2"/></w:numPr>"#,
            &r("Numbered section"),
        ),
    ]
    .concat();
    let model = import("lists", &docx(body)).model();
    let blocks = chapters(&model)[0]["blocks"].as_array().unwrap().clone();
    let lists: Vec<&Value> = blocks.iter().filter(|b| b["type"] == "list").collect();
    assert_eq!(lists.len(), 5, "{blocks:?}");
    let item_text = |item: &Value| inline_text(&item[0]["content"]);
    let fruit = lists[0];
    assert!(fruit["start"].is_null());
    assert_eq!(item_text(&fruit["items"][0]), "apples");
    let nested = &fruit["items"][0][1];
    assert_eq!(nested["type"], "list");
    assert_eq!(
        nested["items"].as_array().unwrap().iter().map(item_text).collect::<Vec<_>>(),
        ["green", "red"]
    );
    assert_eq!(item_text(&fruit["items"][1]), "pears");
    assert_eq!(lists[1]["start"], 1);
    assert_eq!(lists[1]["items"][0][1]["type"], "list");
    assert_eq!(lists[2]["start"], 4);
    assert!(lists[3]["start"].is_null());
    assert_eq!(item_text(&lists[3]["items"][0]), "bullet again");
    // Word goes on counting a list a paragraph interrupted.
    assert_eq!(lists[4]["start"], 3);
    assert_eq!(blocks.last().unwrap()["type"], "heading");
}

#[test]
fn footnotes_and_endnotes_become_markdown_footnotes() {
    let body = [
        h1("Notes"),
        p(
            "",
            &[
                r("A claim."),
                r#"<w:r><w:footnoteReference w:id="1"/></w:r>"#.to_string(),
                r(" Another."),
                r#"<w:r><w:endnoteReference w:id="7"/></w:r>"#.to_string(),
                r(" Again the first."),
                r#"<w:r><w:footnoteReference w:id="2"/></w:r>"#.to_string(),
            ]
            .concat(),
        ),
    ]
    .concat();
    let d = docx(body)
        .footnotes(&[("1", "The source, page 4."), ("2", "A second note *with stars*.")])
        .endnotes(&[("7", "An endnote.")]);
    let imported = import("notes", &d);
    let model = imported.model();
    let notes: Vec<String> = chapters(&model)[0]["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| inline_text(&n["blocks"][0]["content"]))
        .collect();
    assert_eq!(
        notes,
        ["The source, page 4.", "An endnote.", "A second note *with stars*."]
    );
    assert!(
        imported.markdown().contains("[^1]: The source, page 4."),
        "{}",
        imported.markdown()
    );
}

#[test]
fn hyperlinks_are_kept() {
    let body = [
        h1("Links"),
        p(
            "",
            &[
                r("See "),
                r#"<w:hyperlink r:id="rIdLink"><w:r><w:t>the site</w:t></w:r></w:hyperlink>"#
                    .to_string(),
                r(" or "),
                r#"<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> HYPERLINK "https://example.org/a_(b)" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>a field link</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>"#.to_string(),
                r("."),
            ]
            .concat(),
        ),
    ]
    .concat();
    let d = docx(body).rel("rIdLink", "hyperlink", "https://example.com/path?q=1&r=2");
    let model = import("links", &d).model();
    assert_eq!(
        inlines_of(&model, "link"),
        [
            "the site -> https://example.com/path?q=1&r=2",
            "a field link -> https://example.org/a_(b)"
        ]
    );
}

#[test]
fn images_keep_their_alt_text_and_caption() {
    let png =
        std::fs::read(sample_manuscript().join("images/withdrawal-cycle.png")).unwrap();
    let jpeg =
        std::fs::read(repo_root().join("tests/fixtures/photo-baseline.jpg")).unwrap();
    let body = [
        h1("Pictures"),
        p("", &image("rIdPng", "A ring of four boxes.")),
        p("Caption", &r("Figure 1. The cycle.")),
        p("", &image("rIdJpg", "A photograph.")),
    ]
    .concat();
    let d = docx(body)
        .part("word/media/image1.png", png.clone())
        .part("word/media/photo 2.jpeg", jpeg.clone())
        .rel("rIdPng", "image", "media/image1.png")
        .rel("rIdJpg", "image", "media/photo%202.jpeg");
    let imported = import("images", &d);
    let model = imported.model();
    let figures = blocks_of_type(&chapters(&model)[0], "figure");
    assert_eq!(figures.len(), 2);
    assert_eq!(figures[0]["alt"], "A ring of four boxes.");
    assert_eq!(inline_text(&figures[0]["caption"]), "Figure 1. The cycle.");
    assert_eq!(figures[1]["alt"], "A photograph.");
    let src = |f: &Value| imported.dir().join(f["src"].as_str().unwrap());
    assert_eq!(std::fs::read(src(figures[0])).unwrap(), png);
    assert_eq!(std::fs::read(src(figures[1])).unwrap(), jpeg);
    assert_eq!(
        dir_entries(&imported.dir().join("images")),
        ["image1.png", "photo-2.jpg"]
    );
    assert_epub_clean(&imported.dir(), "an imported book with images");
}

#[test]
fn tables_are_carried_over() {
    let cell = |t: &str| format!("<w:tc>{}</w:tc>", p("", &r(t)));
    let row = |cells: &[&str]| {
        format!("<w:tr>{}</w:tr>", cells.iter().map(|c| cell(c)).collect::<String>())
    };
    let body = [
        h1("Tables"),
        format!(
            "<w:tbl>{}{}{}</w:tbl>",
            row(&["Season", "Weather"]),
            row(&["Spring", "Rain | showers"]),
            row(&["Winter", "Snow"])
        ),
    ]
    .concat();
    let model = import("tables", &docx(body)).model();
    let tables = blocks_of_type(&chapters(&model)[0], "table");
    assert_eq!(tables.len(), 1);
    let header: Vec<String> =
        tables[0]["header"].as_array().unwrap().iter().map(inline_text).collect();
    assert_eq!(header, ["Season", "Weather"]);
    let rows: Vec<Vec<String>> = tables[0]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_array().unwrap().iter().map(inline_text).collect())
        .collect();
    assert_eq!(rows, [["Spring", "Rain | showers"], ["Winter", "Snow"]]);
}

#[test]
fn scene_breaks_and_hard_line_breaks() {
    let centred = |t: &str| pp(r#"<w:jc w:val="center"/>"#, &r(t));
    let body = [
        h1("Breaks"),
        p("", &[r("One line"), "<w:r><w:br/></w:r>".into(), r("and the next.")].concat()),
        p("", &r("***")),
        p("", &r("After stars.")),
        p("", &r("* * *")),
        p("", &r("After spaced stars.")),
        p("", &r("#")),
        p("", &r("After a hash.")),
        centred("❧"),
        p("", &r("After an ornament.")),
        p("", r#"<w:r><w:pict><v:rect style="width:0;height:1.5pt" o:hr="t" o:hrstd="t"/></w:pict></w:r>"#),
        p("", &r("After a rule.")),
        p("", &[r("A closing break is no break."), "<w:r><w:br/></w:r>".into(), r(" ")].concat()),
    ]
    .concat();
    let model = import("breaks", &docx(body)).model();
    let chapter = &chapters(&model)[0];
    let kinds: Vec<&str> = chapter["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "paragraph",
            "scene-break",
            "paragraph",
            "scene-break",
            "paragraph",
            "scene-break",
            "paragraph",
            "scene-break",
            "paragraph",
            "scene-break",
            "paragraph",
            "paragraph"
        ]
    );
    let last = chapter["blocks"].as_array().unwrap().last().unwrap();
    assert_eq!(last["content"].as_array().unwrap().len(), 1, "{last}");
    let first = &chapter["blocks"][0]["content"];
    assert!(
        first.as_array().unwrap().iter().any(|i| i["type"] == "line-break"),
        "{first}"
    );
}

#[test]
fn markdown_characters_in_the_text_come_back_as_written() {
    let tricky = [
        "*not emphasis* and _not either_ and **nor this**",
        "[not a link](http://x) and <b>not html</b> & &amp; and a \\ backslash",
        "# not a heading",
        "1. not a list, nor 2) this",
        "- not a bullet",
        "+ nor this",
        "> not a quote",
        "Tildes ~x~ and carets ^y^, a pipe | and a `tick`",
        "Two hyphens -- stay two, three dots ... stay three",
        "% not a title block",
        ": not a definition",
        "Curly “quotes”, ‘single’, an em dash — and an en dash –",
        "Trailing backslash \\",
    ];
    let mut body = h1("Escapes");
    for t in tricky {
        body.push_str(&p("", &r(t)));
    }
    let imported = import("escapes", &docx(body));
    let model = imported.model();
    let texts = paragraph_texts(&chapters(&model)[0]);
    assert_eq!(texts, tricky, "markdown:\n{}", imported.markdown());
    assert!(inlines_of(&model, "emph").is_empty());
}

#[test]
fn tracked_changes_are_accepted_and_comments_dropped_and_both_counted() {
    let body = [
        h1("Changes"),
        p(
            "",
            &[
                r("The "),
                r#"<w:ins w:id="1" w:author="Ed"><w:r><w:t xml:space="preserve">new </w:t></w:r></w:ins>"#.to_string(),
                r#"<w:del w:id="2" w:author="Ed"><w:r><w:delText xml:space="preserve">old </w:delText></w:r></w:del>"#.to_string(),
                r#"<w:commentRangeStart w:id="5"/>"#.to_string(),
                r("text"),
                r#"<w:commentRangeEnd w:id="5"/><w:r><w:commentReference w:id="5"/></w:r>"#.to_string(),
                r("."),
            ]
            .concat(),
        ),
        r#"<w:del w:id="3" w:author="Ed"><w:p><w:r><w:delText>A deleted paragraph.</w:delText></w:r></w:p></w:del>"#.to_string(),
    ]
    .concat();
    let imported = import("changes", &docx(body));
    let model = imported.model();
    assert_eq!(paragraph_texts(&chapters(&model)[0]), ["The new text."]);
    let report = imported.report();
    assert!(
        report.contains("1 × tracked insertions (accepted: their text is kept)"),
        "{report}"
    );
    assert!(
        report.contains("2 × tracked deletions (accepted: their text is dropped)"),
        "{report}"
    );
    assert!(report.contains("1 × comments (dropped)"), "{report}");
    assert!(report.contains("first at paragraph 2 (01-changes.md)"), "{report}");
}

#[test]
fn what_is_not_carried_over_is_reported_with_counts_and_places() {
    let body = [
        h1("Losses"),
        p("", &[rp(r#"<w:rFonts w:ascii="Comic Sans MS"/><w:color w:val="FF0000"/>"#, "Loud"), r(" text.")].concat()),
        p("Mystery", &r("A paragraph in a style nobody knows.")),
        p("Mystery", &r("Another one.")),
        p(
            "",
            &[
                r("Page "),
                r#"<w:fldSimple w:instr=" PAGE "><w:r><w:t>7</w:t></w:r></w:fldSimple>"#.to_string(),
                r(" of the book."),
            ]
            .concat(),
        ),
        p("", r#"<w:r><w:drawing><wp:anchor><wp:extent cx="900000" cy="900000"/><wp:docPr id="3" name="Text Box 1"/><a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>Boxed aside</w:t></w:r></w:p></w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>"#),
        p("", &rp(r#"<w:u w:val="single"/>"#, "Underlined.")),
    ]
    .concat();
    let imported = import("losses", &docx(body));
    let report = imported.report();
    for expected in [
        "1 × runs with their own font, size, colour or highlight",
        "2 × paragraphs in styles quire does not know (read as plain paragraphs): \"Mystery\" (2)",
        "1 × fields such as dates and cross-references (their shown text is kept)",
        "1 × text boxes and shapes (dropped with their text)",
        "1 × underlined runs (kept as plain text)",
        "first at paragraph 3 (01-losses.md); paragraph 4 (01-losses.md)",
    ] {
        assert!(report.contains(expected), "expected {expected:?} in:\n{report}");
    }
    let model = imported.model();
    let texts = paragraph_texts(&chapters(&model)[0]);
    assert!(texts.contains(&"Page 7 of the book.".to_string()), "{texts:?}");
    assert!(!texts.iter().any(|t| t.contains("Boxed aside")), "{texts:?}");
}

#[test]
fn metadata_comes_from_core_properties_or_placeholders_with_a_note() {
    let body = [h1("One"), p("", &r("Text."))].concat();
    let imported =
        import("core", &docx(body.clone()).core("Weather Book", "Ada Lovelace"));
    let toml = imported.file("book.toml");
    for line in [
        "title = \"Weather Book\"",
        "author = \"Ada Lovelace\"",
        "language = \"en-GB\"",
        "date = \"2025-04-05\"",
    ] {
        assert!(toml.contains(line), "{line} missing:\n{toml}");
    }
    let bare = import("no-core", &docx(body));
    let toml = bare.file("book.toml");
    assert!(toml.contains("title = \"book\""), "{toml}");
    assert!(toml.contains("author = \"Author Name\""), "{toml}");
    let report = bare.report();
    assert!(report.contains("the document names no title"), "{report}");
    assert!(report.contains("the document names no author"), "{report}");
    // The placeholders build.
    assert_epub_clean(&bare.dir(), "an import without core properties");
}

#[test]
fn the_output_folder_defaults_to_the_documents_name_and_must_be_empty() {
    let tmp = TempDir::new("import-default-out");
    let path = tmp.join("My Novel.docx");
    write_file(&path, docx([h1("One"), p("", &r("Text."))].concat()).bytes());
    let output = run(quire().arg("import").arg(&path));
    assert_success("quire import without --out", &output);
    assert!(tmp.join("My Novel/book.toml").is_file());
    // Again: the folder is no longer empty.
    let output = run(quire().arg("import").arg(&path));
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("is not empty"), "{}", stderr(&output));
    // An empty folder is fine.
    std::fs::create_dir(tmp.join("empty")).unwrap();
    let output =
        run(quire().arg("import").arg(&path).arg("--out").arg(tmp.join("empty")));
    assert_success("quire import into an empty folder", &output);
    let names = dir_entries(tmp.path());
    assert!(!names.iter().any(|n| n.starts_with(".quire-import")), "{names:?}");
}

// ---------------------------------------------------------------------------------------
// Hostile documents
// ---------------------------------------------------------------------------------------

#[test]
fn a_file_that_is_not_a_zip_is_refused() {
    refused(
        "not-zip",
        b"Dear reader, this is plain text.",
        "is not a Word document (.docx)",
    );
    refused("empty", b"", "is empty");
}

#[test]
fn an_old_doc_file_is_refused_with_advice() {
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.extend(std::iter::repeat_n(0u8, 504));
    refused("doc", &ole, "Word 97–2003 document (.doc)");
}

#[test]
fn a_zip_without_a_document_is_refused() {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("hello.txt", zip::write::SimpleFileOptions::default()).unwrap();
    zip.write_all(b"hi").unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    refused("no-document", &bytes, "not a Word document: it has no word/document.xml");
}

#[test]
fn a_zip_bomb_is_refused_while_inflating() {
    // 130 MB of one repeated paragraph deflates to a few hundred kilobytes.
    let paragraph = p("", &r("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
    let mut xml = format!("<w:document {NAMESPACES}><w:body>");
    let copies = 130 * 1024 * 1024 / paragraph.len() + 1;
    xml.reserve(copies * paragraph.len());
    for _ in 0..copies {
        xml.push_str(&paragraph);
    }
    xml.push_str("</w:body></w:document>");
    let bytes = docx("").document(xml).bytes();
    assert!(bytes.len() < 2 * 1024 * 1024, "the bomb is {} bytes", bytes.len());
    refused("bomb", &bytes, "refused as a possible zip bomb");
}

#[test]
fn dtds_and_entities_are_refused_never_expanded() {
    let lol = format!(
        r#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><w:document {NAMESPACES}><w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"#
    );
    refused("entities", &docx("").document(lol).bytes(), "declares a DTD");
    let xxe = format!(
        r#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document {NAMESPACES}><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>"#
    );
    let err = refused(
        "xxe",
        &docx("").document(xxe).bytes(),
        "no entity in it was expanded or fetched",
    );
    assert!(!err.contains("root:"), "{err}");
}

#[test]
fn an_image_path_leaving_the_package_is_refused() {
    let body = [h1("Escape"), p("", &image("rIdEvil", "escape"))].concat();
    let d = docx(body).rel("rIdEvil", "image", "../../../../etc/passwd");
    refused("path", &d.bytes(), "points outside the package");
}

#[test]
fn an_image_that_is_not_an_image_is_refused() {
    let body = [h1("Fake"), p("", &image("rIdFake", "not really"))].concat();
    let d = docx(body)
        .part("word/media/image1.png", b"#!/bin/sh\necho not a picture\n".to_vec())
        .rel("rIdFake", "image", "media/image1.png");
    refused(
        "fake-image",
        &d.bytes(),
        "is shown as an image at paragraph 2 but is not one",
    );
}

#[test]
fn other_image_formats_are_reported_not_refused() {
    let body =
        [h1("Gif"), p("", &image("rIdGif", "an animation")), p("", &r("Text."))].concat();
    let d = docx(body)
        .part("word/media/image1.gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;".to_vec())
        .rel("rIdGif", "image", "media/image1.gif");
    let imported = import("gif", &d);
    assert!(
        imported.report().contains("(GIF: convert it to PNG or JPEG)"),
        "{}",
        imported.report()
    );
}

#[test]
fn absurd_nesting_is_refused() {
    let depth = 5_000;
    let inner = format!(
        "{}{}{}",
        "<w:smartTag>".repeat(depth),
        r("deep"),
        "</w:smartTag>".repeat(depth)
    );
    let body = [h1("Deep"), p("", &inner)].concat();
    refused("nesting", &docx(body).bytes(), "nests elements more than 64 deep");
}

// ---------------------------------------------------------------------------------------
// Round trips of the sample book
// ---------------------------------------------------------------------------------------

/// The sample book as one Markdown file pandoc reads: chapters in reading order, each
/// opening with a `#` heading (a dedication and an epigraph get theirs from their
/// kind), footnote labels made unique per chapter.
fn sample_as_one_markdown(model: &Value) -> String {
    let mut all = String::new();
    for (i, chapter) in chapters(model).iter().enumerate() {
        let source = sample_manuscript().join(chapter["source"].as_str().unwrap());
        let text = std::fs::read_to_string(&source).unwrap();
        // Front matter (+++ … +++) goes; the kind becomes a heading.
        let body = match text.strip_prefix("+++\n") {
            Some(rest) => {
                rest.split_once("\n+++\n").map(|(_, b)| b).unwrap_or(rest).to_string()
            }
            None => text,
        };
        match chapter["kind"].as_str().unwrap() {
            "dedication" => all.push_str("# Dedication\n\n"),
            "epigraph" => all.push_str("# Epigraph\n\n"),
            _ => {}
        }
        all.push_str(&body.replace("[^", &format!("[^c{i}-")));
        all.push_str("\n\n");
    }
    all
}

/// Converts the sample book to DOCX with pandoc in `tmp`; `None` (skipped) without pandoc.
fn sample_docx(tmp: &TempDir, original: &Value) -> Option<PathBuf> {
    if !require_tools(&["pandoc"]) {
        return None;
    }
    let md = tmp.join("sample.md");
    write_file(&md, sample_as_one_markdown(original));
    let meta = &original["meta"];
    let docx = tmp.join("sample.docx");
    let output = run(Command::new("pandoc")
        .args(["-f", "markdown", "-t", "docx"])
        .arg("--resource-path")
        .arg(sample_manuscript())
        .arg(format!("--metadata=title:{}", meta["title"].as_str().unwrap()))
        .arg(format!("--metadata=subtitle:{}", meta["subtitle"].as_str().unwrap()))
        .arg(format!("--metadata=author:{}", meta["author"].as_str().unwrap()))
        .arg("--metadata=lang:en-US")
        .arg("-o")
        .arg(&docx)
        .arg(&md));
    assert_success("pandoc", &output);
    Some(docx)
}

/// Imports `docx` into `dir`, asserting success.
fn import_file(docx: &Path, dir: &Path) -> Output {
    let output = run(quire().arg("import").arg(docx).arg("--out").arg(dir));
    assert_success("quire import", &output);
    output
}

/// What the round trip must keep of a chapter.
#[derive(Debug, PartialEq)]
struct Kept {
    kind: String,
    title: String,
    paragraphs: Vec<String>,
    emphasis: Vec<(String, String)>,
    notes: Vec<String>,
    lists: Vec<(bool, Vec<String>)>,
    /// Every paragraph inside quotes, nesting flattened (Word has no nested quotes).
    quoted: Vec<String>,
    reflection: Vec<String>,
    figures: Vec<(String, Vec<u8>)>,
}

fn kept(model: &Value, dir: &Path) -> Vec<Kept> {
    fn emphasis(v: &Value, out: &mut Vec<(String, String)>) {
        match v {
            Value::Array(a) => a.iter().for_each(|x| emphasis(x, out)),
            Value::Object(o) => {
                let kind = o.get("type").and_then(Value::as_str).unwrap_or("");
                if matches!(kind, "emph" | "strong") {
                    out.push((
                        kind.to_string(),
                        normalize_ws(&inline_text(&o["content"])),
                    ));
                }
                o.values().for_each(|x| emphasis(x, out));
            }
            _ => {}
        }
    }
    fn quoted(blocks: &Value, inside: bool, out: &mut Vec<String>) {
        for b in blocks.as_array().unwrap() {
            match b["type"].as_str().unwrap() {
                "quote" => quoted(&b["blocks"], true, out),
                "paragraph" if inside => {
                    out.push(normalize_ws(&inline_text(&b["content"])))
                }
                "list" => b["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .for_each(|i| quoted(i, inside, out)),
                _ => {}
            }
        }
    }
    chapters(model)
        .iter()
        .map(|c| {
            let mut emph = Vec::new();
            emphasis(&c["blocks"], &mut emph);
            emphasis(&c["notes"], &mut emph);
            let mut q = Vec::new();
            quoted(&c["blocks"], false, &mut q);
            Kept {
                kind: c["kind"].as_str().unwrap().into(),
                title: inline_text(&c["title"]),
                paragraphs: paragraph_texts(c),
                emphasis: emph,
                notes: c["notes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|n| {
                        normalize_ws(
                            &all_blocks(&n["blocks"])
                                .iter()
                                .map(|b| inline_text(&b["content"]))
                                .collect::<Vec<_>>()
                                .join(" "),
                        )
                    })
                    .collect(),
                lists: blocks_of_type(c, "list")
                    .iter()
                    .map(|l| {
                        let items = l["items"]
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|i| normalize_ws(&inline_text(&i[0]["content"])))
                            .collect();
                        (l["start"].is_u64(), items)
                    })
                    .collect(),
                quoted: q,
                reflection: c["reflection"]
                    .as_object()
                    .map(|r| {
                        let mut v = vec![inline_text(&r["title"])];
                        v.extend(
                            r["questions"].as_array().unwrap().iter().map(blocks_text),
                        );
                        v
                    })
                    .unwrap_or_default(),
                // Pandoc writes the alt text as the caption, so captions are not compared.
                figures: blocks_of_type(c, "figure")
                    .iter()
                    .map(|f| {
                        let bytes =
                            std::fs::read(dir.join(f["src"].as_str().unwrap())).unwrap();
                        (f["alt"].as_str().unwrap().to_string(), bytes)
                    })
                    .collect(),
            }
        })
        .collect()
}

/// Asserts that the imported manuscript keeps what the sample book says.
fn assert_same_book(original: &Value, imported: &Value, dir: &Path, what: &str) {
    let a = kept(original, &sample_manuscript());
    let b = kept(imported, dir);
    assert_eq!(a.len(), b.len(), "{what}: chapter count");
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(x, y, "{what}: chapter {:?} differs", x.title);
    }
    assert!(a.iter().any(|k| !k.figures.is_empty()), "the sample has an image");
    assert!(
        a.iter()
            .any(|k| !k.quoted.is_empty() && !k.lists.is_empty() && !k.notes.is_empty())
    );
    let meta = |m: &Value, k: &str| m["meta"][k].clone();
    for key in ["title", "subtitle", "author", "language"] {
        assert_eq!(meta(original, key), meta(imported, key), "{what}: {key}");
    }
}

#[test]
fn round_trip_through_pandoc_keeps_the_sample_book() {
    let tmp = TempDir::new("import-round-trip-pandoc");
    let original = dump_model(&sample_manuscript());
    let Some(docx) = sample_docx(&tmp, &original) else { return };
    let dir = tmp.join("imported");
    import_file(&docx, &dir);
    let imported = dump_model(&dir);
    assert_same_book(&original, &imported, &dir, "pandoc's DOCX");
    assert_epub_clean(&dir, "the sample book imported from pandoc's DOCX");
}

#[test]
fn round_trip_through_libreoffice_keeps_the_sample_book() {
    let tmp = TempDir::new("import-round-trip-libreoffice");
    let original = dump_model(&sample_manuscript());
    let Some(docx) = sample_docx(&tmp, &original) else { return };
    if !require_tools(&["soffice"]) {
        return;
    }
    let saved = tmp.join("libreoffice");
    let output = run(Command::new("soffice")
        .arg(format!("-env:UserInstallation=file://{}", tmp.join("profile").display()))
        .args(["--headless", "--convert-to", "docx:MS Word 2007 XML", "--outdir"])
        .arg(&saved)
        .arg(&docx));
    assert_success("soffice --convert-to docx", &output);
    let dir = tmp.join("imported");
    import_file(&saved.join("sample.docx"), &dir);
    let imported = dump_model(&dir);
    assert_same_book(&original, &imported, &dir, "LibreOffice's DOCX");
    assert_epub_clean(&dir, "the sample book imported from LibreOffice's DOCX");
}
