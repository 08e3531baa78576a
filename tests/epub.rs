//! The EPUB built from the sample manuscript: valid by EPUBCheck, well-formed, faithful to
//! the model, reproducible, accessible.

mod common;

use common::*;
use std::collections::{BTreeMap, BTreeSet};

/// The model of the sample manuscript and its EPUB's entries, built into `tmp`.
fn sample(tmp: &TempDir) -> (serde_json::Value, Vec<(String, Vec<u8>)>) {
    let epub = build_sample_epub(&tmp.join("out"));
    (dump_model(&sample_manuscript()), unzip_entries(&epub))
}

#[test]
fn sample_epub_passes_epubcheck_without_any_message() {
    let tmp = TempDir::new("sample_epubcheck");
    let epub = build_sample_epub(&tmp.join("out"));
    let Some(report) = epubcheck(&epub, tmp.path()) else { return };
    report.assert_clean("the sample book");
}

#[test]
fn mimetype_is_the_first_entry_and_stored_uncompressed() {
    let tmp = TempDir::new("sample_mimetype");
    let epub = build_sample_epub(&tmp.join("out"));
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&epub).unwrap()).unwrap();
    let mut first = archive.by_index(0).unwrap();
    assert_eq!(first.name(), "mimetype");
    assert_eq!(first.compression(), zip::CompressionMethod::Stored);
    let mut text = String::new();
    std::io::Read::read_to_string(&mut first, &mut text).unwrap();
    assert_eq!(text, "application/epub+zip");
}

#[test]
fn every_xml_entry_is_well_formed_and_every_xhtml_declares_its_language() {
    let tmp = TempDir::new("sample_well_formed");
    let (model, entries) = sample(&tmp);
    let language = model["meta"]["language"].as_str().unwrap();
    let mut checked = 0;
    let mut xhtml = 0;
    for (name, bytes) in &entries {
        let is_xhtml = name.ends_with(".xhtml");
        if !(is_xhtml
            || name.ends_with(".opf")
            || name.ends_with(".ncx")
            || name.ends_with(".xml"))
        {
            continue;
        }
        let text =
            std::str::from_utf8(bytes).unwrap_or_else(|_| panic!("{name} is not UTF-8"));
        let doc = parse_xml(text, name);
        checked += 1;
        if is_xhtml {
            xhtml += 1;
            let root = doc.root_element();
            assert!(
                root.has_tag_name((XHTML, "html")),
                "{name}: root is not XHTML <html>"
            );
            assert_eq!(root.attribute("lang"), Some(language), "{name}: <html lang>");
            assert_eq!(
                root.attribute((XML_NS, "lang")),
                Some(language),
                "{name}: <html xml:lang>"
            );
            // Every id in a document is unique (duplicate ids break links and validation).
            let mut ids = BTreeSet::new();
            for node in doc.descendants().filter(|n| n.is_element()) {
                if let Some(id) = node.attribute("id") {
                    assert!(ids.insert(id), "{name}: duplicate id {id:?}");
                }
            }
        }
    }
    // The cover page, title page, copyright page, nav and one document per chapter.
    assert_eq!(
        xhtml,
        chapters(&model).len() + 4,
        "XHTML documents in {:?}",
        entry_names(&entries)
    );
    assert!(checked > xhtml, "the OPF, NCX and container were not found");
}

#[test]
fn epub_text_contains_every_model_paragraph_in_order() {
    let tmp = TempDir::new("sample_paragraphs");
    let (model, entries) = sample(&tmp);
    let mut total = 0;
    for chapter in chapters(&model) {
        let slug = chapter["slug"].as_str().unwrap();
        let xhtml = chapter_xhtml(&entries, slug);
        let text = body_text(&parse_xml(&xhtml, slug));
        let mut from = 0;
        for paragraph in paragraph_texts(chapter) {
            assert!(!paragraph.is_empty(), "{slug}: empty paragraph in the model");
            match text[from..].find(&paragraph) {
                Some(i) => from += i + paragraph.len(),
                None => {
                    let earlier = text[..from].contains(&paragraph);
                    panic!(
                        "{slug}.xhtml: paragraph {} of the model\n  {paragraph:?}\n{}",
                        total + 1,
                        if earlier {
                            "appears only before the previous paragraph (out of order)"
                        } else {
                            "is missing"
                        }
                    );
                }
            }
            total += 1;
        }
    }
    assert!(
        total > 100,
        "only {total} paragraphs in the sample model: is the dump broken?"
    );
}

#[test]
fn rebuilding_gives_a_byte_identical_epub() {
    let tmp = TempDir::new("sample_rebuild");
    let a = build_sample_epub(&tmp.join("a"));
    let b = build_sample_epub(&tmp.join("b"));
    let (a, b) = (std::fs::read(a).unwrap(), std::fs::read(b).unwrap());
    assert!(
        a == b,
        "two builds of the same manuscript differ ({} vs {} bytes)",
        a.len(),
        b.len()
    );
}

#[test]
fn rebuilding_with_source_date_epoch_is_byte_identical_and_uses_it() {
    let tmp = TempDir::new("sample_sde");
    let secs: i64 = 1_700_000_000;
    let build = |dir: &str| {
        let out = tmp.join(dir);
        let output = run(quire()
            .env("SOURCE_DATE_EPOCH", secs.to_string())
            .arg("build")
            .arg(sample_manuscript())
            .arg("--out")
            .arg(&out)
            .args(["--format", "epub"]));
        assert_success("quire build with SOURCE_DATE_EPOCH", &output);
        the_epub_in(&out)
    };
    let (a, b) = (build("a"), build("b"));
    let bytes_a = std::fs::read(&a).unwrap();
    assert!(
        bytes_a == std::fs::read(&b).unwrap(),
        "two builds with SOURCE_DATE_EPOCH={secs} differ"
    );

    let entries = unzip_entries(&a);
    let opf = entry_text(&entries, &opf_path(&entries));
    let doc = parse_xml(&opf, "content.opf");
    let modified = doc
        .descendants()
        .find(|n| n.attribute("property") == Some("dcterms:modified"))
        .and_then(|n| n.text())
        .expect("no dcterms:modified");
    let expected = chrono::DateTime::from_timestamp(secs, 0)
        .unwrap()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    assert_eq!(modified, expected, "dcterms:modified should come from SOURCE_DATE_EPOCH");
}

#[test]
fn opf_has_package_facts_and_accessibility_metadata() {
    let tmp = TempDir::new("sample_opf");
    let (model, entries) = sample(&tmp);
    let meta = &model["meta"];
    let opf = entry_text(&entries, &opf_path(&entries));
    let doc = parse_xml(&opf, "content.opf");
    let package = doc.root_element();
    assert!(package.has_tag_name(("http://www.idpf.org/2007/opf", "package")));
    assert_eq!(package.attribute("version"), Some("3.0"));
    assert_eq!(package.attribute((XML_NS, "lang")), Some("en-US"));

    const DC: &str = "http://purl.org/dc/elements/1.1/";
    let dc = |name: &str| -> Vec<&str> {
        doc.descendants()
            .filter(|n| n.has_tag_name((DC, name)))
            .map(|n| n.text().unwrap_or(""))
            .collect()
    };
    assert_eq!(meta["language"], "en-US", "the sample book is in US English");
    assert_eq!(dc("language"), ["en-US"]);
    assert_eq!(dc("title"), [meta["title"].as_str().unwrap()]);
    assert_eq!(dc("identifier"), [meta["identifier"].as_str().unwrap()]);
    assert_eq!(dc("creator"), [meta["author"].as_str().unwrap()]);
    assert_eq!(dc("publisher"), [meta["publisher"].as_str().unwrap()]);
    let unique = package.attribute("unique-identifier").expect("no unique-identifier");
    let id_node = doc.descendants().find(|n| n.has_tag_name((DC, "identifier"))).unwrap();
    assert_eq!(
        id_node.attribute("id"),
        Some(unique),
        "unique-identifier must point at dc:identifier"
    );

    let mut properties: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for node in doc.descendants().filter(|n| n.has_tag_name("meta")) {
        if let Some(property) = node.attribute("property")
            && node.attribute("refines").is_none()
        {
            properties
                .entry(property)
                .or_default()
                .push(node.text().unwrap_or("").trim());
        }
    }
    let values = |p: &str| properties.get(p).cloned().unwrap_or_default();
    let has_figures =
        chapters(&model).iter().any(|c| !blocks_of_type(c, "figure").is_empty());
    assert!(has_figures, "the sample book has an image");

    assert!(values("schema:accessMode").contains(&"textual"), "{properties:#?}");
    assert!(
        values("schema:accessMode").contains(&"visual"),
        "a book with images has accessMode visual"
    );
    assert!(
        values("schema:accessModeSufficient").contains(&"textual"),
        "{properties:#?}"
    );
    let features = values("schema:accessibilityFeature");
    for feature in ["tableOfContents", "alternativeText"] {
        assert!(
            features.contains(&feature),
            "accessibilityFeature {feature} missing: {features:?}"
        );
    }
    assert_eq!(values("schema:accessibilityHazard").len(), 1, "{properties:#?}");
    assert!(!values("schema:accessibilityHazard")[0].is_empty());
    let summary = values("schema:accessibilitySummary");
    assert!(
        summary.len() == 1 && summary[0].len() > 40,
        "accessibilitySummary: {summary:?}"
    );
    assert_eq!(
        values("dcterms:conformsTo"),
        ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    );
    assert_eq!(
        values("dcterms:modified"),
        [format!("{}T00:00:00Z", meta["date"].as_str().unwrap()).as_str()],
        "without SOURCE_DATE_EPOCH, dcterms:modified is the publication date"
    );
}

#[test]
fn nav_has_a_toc_of_every_chapter_and_landmarks() {
    let tmp = TempDir::new("sample_nav");
    let (model, entries) = sample(&tmp);
    let opf_text = entry_text(&entries, &opf_path(&entries));
    let opf = parse_xml(&opf_text, "content.opf");
    let nav_href = opf
        .descendants()
        .find(|n| {
            n.has_tag_name("item")
                && n.attribute("properties")
                    .is_some_and(|p| p.split(' ').any(|p| p == "nav"))
        })
        .and_then(|n| n.attribute("href"))
        .expect("no manifest item with properties=\"nav\"");
    let dir = content_dir(&entries);
    let nav_text = entry_text(&entries, &format!("{dir}{nav_href}"));
    let nav = parse_xml(&nav_text, nav_href);
    let navs: Vec<_> =
        nav.descendants().filter(|n| n.has_tag_name((XHTML, "nav"))).collect();
    let by_type = |t: &str| navs.iter().find(|n| epub_type(**n) == Some(t)).copied();

    let toc = by_type("toc").expect("nav.xhtml has no <nav epub:type=\"toc\">");
    let links: Vec<(String, String)> = toc
        .descendants()
        .filter(|n| n.has_tag_name((XHTML, "a")))
        .map(|a| {
            (a.attribute("href").unwrap_or("").to_string(), normalize_ws(&node_text(a)))
        })
        .collect();
    let mut position = 0;
    for chapter in chapters(&model) {
        let href = format!("{}.xhtml", chapter["slug"].as_str().unwrap());
        let Some(i) = links[position..].iter().position(|(h, _)| *h == href) else {
            panic!("toc does not list {href} (in reading order): {links:?}");
        };
        let (_, label) = &links[position + i];
        let title = normalize_ws(&inline_text(&chapter["title"]));
        assert!(
            label.contains(&title),
            "toc label {label:?} for {href} should contain its title {title:?}"
        );
        position += i + 1;
    }

    let landmarks =
        by_type("landmarks").expect("nav.xhtml has no <nav epub:type=\"landmarks\">");
    let marks: BTreeMap<&str, &str> = landmarks
        .descendants()
        .filter(|n| n.has_tag_name((XHTML, "a")))
        .map(|a| (epub_type(a).unwrap_or(""), a.attribute("href").unwrap_or("")))
        .collect();
    let first_essay = chapters(&model).iter().find(|c| c["kind"] == "essay").unwrap();
    assert_eq!(
        marks.get("bodymatter").copied(),
        Some(format!("{}.xhtml", first_essay["slug"].as_str().unwrap()).as_str()),
        "landmarks: {marks:?}"
    );
    for href in marks.values() {
        let file = href.split('#').next().unwrap();
        assert!(
            entries.iter().any(|(n, _)| *n == format!("{dir}{file}")),
            "landmark {href} points at nothing"
        );
    }
}

#[test]
fn footnote_references_and_notes_link_both_ways() {
    let tmp = TempDir::new("sample_notes");
    let (model, entries) = sample(&tmp);
    let mut notes_seen = 0;
    for chapter in chapters(&model) {
        let slug = chapter["slug"].as_str().unwrap();
        let notes = chapter["notes"].as_array().unwrap();
        let xhtml = chapter_xhtml(&entries, slug);
        let doc = parse_xml(&xhtml, slug);
        let by_id: BTreeMap<&str, roxmltree::Node> = doc
            .descendants()
            .filter_map(|n| n.attribute("id").map(|id| (id, n)))
            .collect();

        // References: epub:type="noteref", in a <sup>, numbered by first reference.
        let refs: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name((XHTML, "a")) && epub_type(*n) == Some("noteref"))
            .collect();
        let mut first_seen: Vec<&str> = Vec::new();
        for r in &refs {
            assert!(
                r.parent().is_some_and(|p| p.has_tag_name((XHTML, "sup"))),
                "{slug}: noteref outside <sup>"
            );
            let target = r
                .attribute("href")
                .and_then(|h| h.strip_prefix('#'))
                .expect("noteref without #href");
            let aside = by_id
                .get(target)
                .unwrap_or_else(|| panic!("{slug}: noteref to missing #{target}"));
            assert!(
                aside.has_tag_name((XHTML, "aside")),
                "{slug}: #{target} is not an <aside>"
            );
            if !first_seen.contains(&target) {
                first_seen.push(target);
            }
        }
        assert_eq!(first_seen.len(), notes.len(), "{slug}: every note is referenced");

        // Notes: one aside per model note, in order of first reference, each with a backlink.
        let asides: Vec<_> = doc
            .descendants()
            .filter(|n| {
                n.has_tag_name((XHTML, "aside")) && epub_type(*n) == Some("footnote")
            })
            .collect();
        assert_eq!(asides.len(), notes.len(), "{slug}: one note aside per note");
        for (i, (aside, note)) in asides.iter().zip(notes).enumerate() {
            let id = aside.attribute("id").unwrap();
            assert_eq!(
                id,
                first_seen[i],
                "{slug}: note {} is not the {}th referenced",
                i + 1,
                i + 1
            );
            let number = node_text(
                *refs
                    .iter()
                    .find(|r| r.attribute("href") == Some(&format!("#{id}")))
                    .unwrap(),
            );
            assert_eq!(
                number,
                (i + 1).to_string(),
                "{slug}: notes are numbered by first reference"
            );
            let backlink = aside
                .descendants()
                .find(|n| {
                    n.has_tag_name((XHTML, "a"))
                        && n.attribute("role") == Some("doc-backlink")
                })
                .unwrap_or_else(|| panic!("{slug}: note #{id} has no backlink"));
            let back =
                backlink.attribute("href").and_then(|h| h.strip_prefix('#')).unwrap();
            let reference = by_id
                .get(back)
                .unwrap_or_else(|| panic!("{slug}: backlink to missing #{back}"));
            assert_eq!(
                reference.attribute("href"),
                Some(format!("#{id}").as_str()),
                "{slug}: backlink target"
            );
            let aside_text = normalize_ws(&node_text(*aside));
            for block in note["blocks"].as_array().unwrap() {
                if block["type"] == "paragraph" {
                    let text = normalize_ws(&inline_text(&block["content"]));
                    assert!(
                        aside_text.contains(&text),
                        "{slug}: note #{id} lacks {text:?}"
                    );
                }
            }
            notes_seen += 1;
        }
    }
    assert!(notes_seen >= 10, "the sample book has many footnotes; saw {notes_seen}");
}

#[test]
fn sample_image_is_packaged_and_shown_with_its_alt_text() {
    let tmp = TempDir::new("sample_image");
    let (model, entries) = sample(&tmp);
    let dir = content_dir(&entries);
    let opf_text = entry_text(&entries, &opf_path(&entries));
    let opf = parse_xml(&opf_text, "content.opf");
    let mut figures = 0;
    for chapter in chapters(&model) {
        let slug = chapter["slug"].as_str().unwrap();
        for figure in blocks_of_type(chapter, "figure") {
            figures += 1;
            let src = figure["src"].as_str().unwrap();
            let alt = figure["alt"].as_str().unwrap();
            assert!(!alt.trim().is_empty(), "{src}: the sample's image has alt text");

            let original = std::fs::read(sample_manuscript().join(src)).unwrap();
            let packaged = entries
                .iter()
                .find(|(n, _)| *n == format!("{dir}{src}"))
                .unwrap_or_else(|| {
                    panic!("{dir}{src} is not in the EPUB: {:?}", entry_names(&entries))
                });
            assert!(packaged.1 == original, "{src} is packaged with different bytes");
            let item = opf
                .descendants()
                .find(|n| n.has_tag_name("item") && n.attribute("href") == Some(src))
                .unwrap_or_else(|| panic!("{src} is not in the manifest"));
            assert_eq!(item.attribute("media-type"), Some("image/png"));

            let xhtml = chapter_xhtml(&entries, slug);
            let doc = parse_xml(&xhtml, slug);
            let img = doc
                .descendants()
                .find(|n| {
                    n.has_tag_name((XHTML, "img")) && n.attribute("src") == Some(src)
                })
                .unwrap_or_else(|| panic!("{slug}.xhtml shows no <img src={src:?}>"));
            assert_eq!(img.attribute("alt"), Some(alt), "{src}: alt text");
            let caption = normalize_ws(&inline_text(&figure["caption"]));
            if !caption.is_empty() {
                let figure_node = img
                    .ancestors()
                    .find(|n| n.has_tag_name((XHTML, "figure")))
                    .expect("<img> not in <figure>");
                let figcaption = figure_node
                    .descendants()
                    .find(|n| n.has_tag_name((XHTML, "figcaption")))
                    .expect("captioned figure without <figcaption>");
                assert_eq!(normalize_ws(&node_text(figcaption)), caption);
            }
        }
    }
    assert!(figures > 0, "the sample manuscript has an image");
}
