//! One small manuscript per Markdown feature: what the model (`quire dump`) holds and what
//! the EPUB shows. Expected values are derived from the fixture text in each test.

mod common;

use common::*;
use roxmltree::{Document, Node};
use serde_json::Value;

/// A one-essay manuscript (`essay.md`), dumped and built.
struct Built {
    m: Manuscript,
    model: Value,
    xhtml: String,
    stderr: String,
}

impl Built {
    fn chapter(&self) -> &Value {
        &chapters(&self.model)[0]
    }

    fn blocks(&self) -> &Vec<Value> {
        self.chapter()["blocks"].as_array().unwrap()
    }

    fn doc(&self) -> Document<'_> {
        parse_xml(&self.xhtml, "essay.xhtml")
    }

    fn entries(&self) -> Vec<(String, Vec<u8>)> {
        unzip_entries(&the_epub_in(&self.m.out()))
    }
}

/// Writes `markdown` as the only essay, dumps and builds it, and checks that neither step
/// warned (every fixture here is meant to be clean unless the test says otherwise).
fn build_one(test: &str, markdown: &str) -> Built {
    let built = build_one_with_warnings(test, markdown);
    assert!(!built.stderr.contains("warning"), "unexpected warnings:\n{}", built.stderr);
    built
}

fn build_one_with_warnings(test: &str, markdown: &str) -> Built {
    let m = Manuscript::new(test, &[("essay.md", markdown)]);
    build_manuscript(m)
}

fn build_manuscript(m: Manuscript) -> Built {
    let model = m.dump();
    let (epub, stderr) = m.build_ok();
    let entries = unzip_entries(&epub);
    let slug = chapters(&model).iter().find(|c| c["kind"] == "essay").unwrap()["slug"]
        .as_str()
        .unwrap()
        .to_string();
    let xhtml = chapter_xhtml(&entries, &slug);
    Built { m, model, xhtml, stderr }
}

/// XHTML elements named `name` in document order.
fn elements<'a, 'i>(doc: &'a Document<'i>, name: &str) -> Vec<Node<'a, 'i>> {
    doc.descendants().filter(|n| n.has_tag_name((XHTML, name))).collect()
}

/// The paragraphs' plain texts of the model's first chapter body, top level only.
fn top_paragraphs(chapter: &Value) -> Vec<String> {
    chapter["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["type"] == "paragraph")
        .map(|b| inline_text(&b["content"]))
        .collect()
}

/// Every `<img src>` of every XHTML document resolves to an entry of the EPUB.
fn assert_images_resolve(entries: &[(String, Vec<u8>)]) {
    let dir = content_dir(entries);
    for (name, bytes) in entries.iter().filter(|(n, _)| n.ends_with(".xhtml")) {
        let text = String::from_utf8(bytes.clone()).unwrap();
        let doc = parse_xml(&text, name);
        for img in elements(&doc, "img") {
            let src = img.attribute("src").unwrap();
            assert!(
                entries.iter().any(|(n, _)| *n == format!("{dir}{src}")),
                "{name} shows <img src={src:?}> but the EPUB has no {dir}{src}: {:?}",
                entry_names(entries)
            );
        }
    }
}

#[test]
fn emphasis_and_strong_become_em_and_strong() {
    let b = build_one(
        "md_emphasis",
        "# Emphasis\n\nPlain *soft* and _also soft_, **firm** and ***both*** here.\n",
    );
    let content = &b.blocks()[0]["content"];
    let find = |kind: &str, text: &str| {
        content
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["type"] == kind && inline_text(&i["content"]) == text)
    };
    assert!(
        find("emph", "soft") && find("emph", "also soft") && find("strong", "firm"),
        "{content}"
    );
    // ***both*** is emphasis and strong emphasis nested, in either order.
    let both = content
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["type"] != "text" && inline_text(&i["content"]) == "both")
        .expect("no ***both*** span");
    let inner = &both["content"][0];
    let mut kinds = [both["type"].as_str().unwrap(), inner["type"].as_str().unwrap()];
    kinds.sort();
    assert_eq!(kinds, ["emph", "strong"], "{both}");
    assert_eq!(inline_text(content), "Plain soft and also soft, firm and both here.");

    let doc = b.doc();
    let ems: Vec<String> = elements(&doc, "em").iter().map(|n| node_text(*n)).collect();
    let strongs: Vec<String> =
        elements(&doc, "strong").iter().map(|n| node_text(*n)).collect();
    assert!(
        ems.contains(&"soft".into())
            && ems.contains(&"also soft".into())
            && ems.contains(&"both".into()),
        "{ems:?}"
    );
    assert!(
        strongs.contains(&"firm".into()) && strongs.contains(&"both".into()),
        "{strongs:?}"
    );
    assert!(body_text(&doc).contains("Plain soft and also soft, firm and both here."));
}

#[test]
fn smart_punctuation_curls_quotes_and_makes_dashes_and_ellipses() {
    let source = "\"Double,\" she said. 'Single.' It's 1990--1999 --- or so...";
    let b = build_one("md_smart", &format!("# Punctuation\n\n{source}\n"));
    let expected = source
        .replacen('"', "\u{201C}", 1)
        .replacen('"', "\u{201D}", 1)
        .replacen('\'', "\u{2018}", 1)
        .replacen('\'', "\u{2019}", 1)
        .replacen('\'', "\u{2019}", 1)
        .replace("---", "\u{2014}")
        .replace("--", "\u{2013}")
        .replace("...", "\u{2026}");
    assert_eq!(expected, "“Double,” she said. ‘Single.’ It’s 1990–1999 — or so…");
    assert_eq!(top_paragraphs(b.chapter()), std::slice::from_ref(&expected));
    let doc = b.doc();
    let p = elements(&doc, "p")
        .into_iter()
        .find(|p| node_text(*p).contains("she said"))
        .unwrap();
    assert_eq!(node_text(p), expected);
    for straight in ["\"", "'", "--", "..."] {
        assert!(
            !body_text(&doc).contains(straight),
            "{straight:?} left in the EPUB text"
        );
    }
}

#[test]
fn nested_block_quotes_nest_in_the_model_and_the_xhtml() {
    let b = build_one(
        "md_quotes",
        "# Quotes\n\n> Outer paragraph.\n>\n> > Inner paragraph.\n>\n> Outer again.\n\nAfter.\n",
    );
    let outer = &b.blocks()[0];
    assert_eq!(outer["type"], "quote", "{outer}");
    let inner_blocks = outer["blocks"].as_array().unwrap();
    let kinds: Vec<&str> =
        inner_blocks.iter().map(|b| b["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["paragraph", "quote", "paragraph"]);
    assert_eq!(inline_text(&inner_blocks[0]["content"]), "Outer paragraph.");
    assert_eq!(inline_text(&inner_blocks[1]["blocks"][0]["content"]), "Inner paragraph.");
    assert_eq!(inline_text(&inner_blocks[2]["content"]), "Outer again.");
    assert_eq!(inline_text(&b.blocks()[1]["content"]), "After.");

    let doc = b.doc();
    let quotes = elements(&doc, "blockquote");
    assert_eq!(quotes.len(), 2);
    let inner = quotes[1];
    assert!(
        inner.ancestors().skip(1).any(|a| a == quotes[0]),
        "inner <blockquote> is not inside the outer one"
    );
    assert_eq!(normalize_ws(&node_text(inner)), "Inner paragraph.");
    assert!(!normalize_ws(&node_text(quotes[0])).contains("After."));
}

#[test]
fn ordered_list_keeps_its_start_number_and_bullets_stay_unordered() {
    let b = build_one(
        "md_lists",
        "# Lists\n\n3. three\n4. four\n5. five\n\nBetween.\n\n- apple\n- *pear*\n\nAgain.\n\n1. one\n2. two\n",
    );
    let lists: Vec<&Value> = b.blocks().iter().filter(|b| b["type"] == "list").collect();
    assert_eq!(lists.len(), 3);
    let item_texts = |list: &Value| -> Vec<String> {
        list["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|item| inline_text(&item[0]["content"]))
            .collect()
    };
    assert_eq!(lists[0]["start"], 3);
    assert_eq!(item_texts(lists[0]), ["three", "four", "five"]);
    assert!(lists[1]["start"].is_null(), "{}", lists[1]);
    assert_eq!(item_texts(lists[1]), ["apple", "pear"]);
    assert_eq!(lists[2]["start"], 1);

    let doc = b.doc();
    let ols = elements(&doc, "ol");
    let uls = elements(&doc, "ul");
    assert_eq!((ols.len(), uls.len()), (2, 1));
    assert_eq!(ols[0].attribute("start"), Some("3"));
    assert!(matches!(ols[1].attribute("start"), None | Some("1")));
    let lis = |list: Node| -> Vec<String> {
        list.children()
            .filter(|c| c.has_tag_name((XHTML, "li")))
            .map(|li| normalize_ws(&node_text(li)))
            .collect()
    };
    assert_eq!(lis(ols[0]), ["three", "four", "five"]);
    assert_eq!(lis(uls[0]), ["apple", "pear"]);
    assert_eq!(lis(ols[1]), ["one", "two"]);
}

#[test]
fn footnotes_are_numbered_by_first_reference_and_keep_their_content() {
    let b = build_one(
        "md_footnotes",
        "# Notes\n\nAlpha[^zeta] and beta[^alpha] share a paragraph.\n\nAgain[^alpha].\n\n\
[^alpha]: The alpha note.\n\n[^zeta]: The zeta note, with *emphasis*.\n",
    );
    let ch = b.chapter();
    let notes = ch["notes"].as_array().unwrap();
    let labels: Vec<&str> = notes.iter().map(|n| n["label"].as_str().unwrap()).collect();
    assert_eq!(
        labels,
        ["zeta", "alpha"],
        "numbered in order of first reference, not of definition"
    );
    assert_eq!(
        inline_text(&notes[0]["blocks"][0]["content"]),
        "The zeta note, with emphasis."
    );
    assert_eq!(inline_text(&notes[1]["blocks"][0]["content"]), "The alpha note.");
    let refs = |block: &Value| -> Vec<u64> {
        block["content"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["type"] == "note-ref")
            .map(|i| i["content"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(refs(&b.blocks()[0]), [0, 1], "two references in one paragraph");
    assert_eq!(refs(&b.blocks()[1]), [1], "a second reference to the same note");
    assert_eq!(top_paragraphs(ch), ["Alpha and beta share a paragraph.", "Again."]);

    let doc = b.doc();
    let noterefs: Vec<Node> = elements(&doc, "a")
        .into_iter()
        .filter(|a| epub_type(*a) == Some("noteref"))
        .collect();
    let numbers: Vec<String> = noterefs.iter().map(|a| node_text(*a)).collect();
    assert_eq!(numbers, ["1", "2", "2"]);
    let hrefs: Vec<&str> =
        noterefs.iter().map(|a| a.attribute("href").unwrap()).collect();
    assert_eq!(hrefs[1], hrefs[2], "both references to a note point at it");
    let ids: Vec<&str> = noterefs.iter().map(|a| a.attribute("id").unwrap()).collect();
    assert!(ids[1] != ids[2], "each reference has its own id: {ids:?}");
    for (href, text) in
        [(hrefs[0], "The zeta note, with emphasis."), (hrefs[1], "The alpha note.")]
    {
        let id = href.strip_prefix('#').unwrap();
        let aside = doc.descendants().find(|n| n.attribute("id") == Some(id)).unwrap();
        assert!(
            aside.has_tag_name((XHTML, "aside")) && epub_type(aside) == Some("footnote")
        );
        assert!(
            normalize_ws(&node_text(aside)).contains(text),
            "{id}: {}",
            node_text(aside)
        );
        let back = aside
            .descendants()
            .find(|n| n.attribute("role") == Some("doc-backlink"))
            .expect("no backlink");
        let target = back.attribute("href").unwrap().strip_prefix('#').unwrap();
        assert!(
            ids.contains(&target),
            "backlink #{target} is not a reference id {ids:?}"
        );
    }
    assert!(
        elements(&doc, "em").iter().any(|e| node_text(*e) == "emphasis"),
        "emphasis inside the note"
    );
}

#[test]
fn scene_break_becomes_a_separator_between_paragraphs() {
    let b = build_one("md_scene", "# Scenes\n\nFirst scene.\n\n* * *\n\nSecond scene.\n");
    let kinds: Vec<&str> =
        b.blocks().iter().map(|b| b["type"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["paragraph", "scene-break", "paragraph"]);
    let doc = b.doc();
    let hr = elements(&doc, "hr");
    assert_eq!(hr.len(), 1);
    let before = hr[0].prev_sibling_element().map(node_text);
    let after = hr[0].next_sibling_element().map(node_text);
    assert_eq!(
        (before.as_deref(), after.as_deref()),
        (Some("First scene."), Some("Second scene."))
    );
    assert!(!body_text(&doc).contains('*'), "the scene-break asterisks are not text");
}

#[test]
fn hard_line_breaks_become_br() {
    let b =
        build_one("md_linebreak", "# Verse\n\nLine one,\\\nline two,  \nline three.\n");
    let content = b.blocks()[0]["content"].as_array().unwrap();
    let kinds: Vec<&str> = content.iter().map(|i| i["type"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        ["text", "line-break", "text", "line-break", "text"],
        "backslash and two-space breaks"
    );
    assert_eq!(inline_text(&b.blocks()[0]["content"]), "Line one, line two, line three.");
    let doc = b.doc();
    let p = elements(&doc, "p")
        .into_iter()
        .find(|p| node_text(*p).contains("Line one"))
        .unwrap();
    assert_eq!(p.children().filter(|c| c.has_tag_name((XHTML, "br"))).count(), 2);
    let mut lines = vec![String::new()];
    for child in p.children() {
        if child.has_tag_name((XHTML, "br")) {
            lines.push(String::new());
        } else {
            lines.last_mut().unwrap().push_str(&node_text(child));
        }
    }
    let lines: Vec<&str> = lines.iter().map(|l| l.trim()).collect();
    assert_eq!(lines, ["Line one,", "line two,", "line three."]);
}

#[test]
fn heading_attributes_set_ids_and_the_reflection_section_collects_questions() {
    let b = build_one(
        "md_headings",
        "# Headings\n\nIntro.\n\n## A Section {#custom-id}\n\nText.\n\n## Another Section\n\nMore.\n\n\
## For reflection {.reflection}\n\n1. First question?\n2. Second *question*?\n",
    );
    let ch = b.chapter();
    assert_eq!(inline_text(&ch["title"]), "Headings");
    let headings: Vec<&Value> =
        b.blocks().iter().filter(|b| b["type"] == "heading").collect();
    assert_eq!(headings.len(), 2, "the reflection heading is not a body heading");
    assert_eq!(
        (headings[0]["level"].as_u64(), headings[0]["id"].as_str()),
        (Some(2), Some("custom-id"))
    );
    assert_eq!(
        inline_text(&headings[0]["content"]),
        "A Section",
        "the attribute block is not text"
    );
    let auto_id = headings[1]["id"].as_str().unwrap();
    assert!(!auto_id.is_empty() && auto_id != "custom-id");
    let reflection = &ch["reflection"];
    assert_eq!(inline_text(&reflection["title"]), "For reflection");
    let questions: Vec<String> =
        reflection["questions"].as_array().unwrap().iter().map(blocks_text).collect();
    assert_eq!(questions, ["First question?", "Second question?"]);
    assert!(
        b.blocks().iter().all(|b| b["type"] != "list"),
        "the questions are not a body list"
    );

    let doc = b.doc();
    let h2: Vec<Node> = elements(&doc, "h2");
    let custom = h2
        .iter()
        .find(|h| h.attribute("id") == Some("custom-id"))
        .expect("<h2 id=custom-id>");
    assert_eq!(node_text(*custom), "A Section");
    assert!(h2.iter().any(|h| h.attribute("id") == Some(auto_id)));
    let lis: Vec<String> =
        elements(&doc, "li").iter().map(|li| normalize_ws(&node_text(*li))).collect();
    assert_eq!(lis, questions);
    let heading = h2
        .iter()
        .find(|h| node_text(**h) == "For reflection")
        .expect("reflection heading");
    assert!(!node_text(*heading).contains('{'));
}

#[test]
fn tables_keep_header_rows_and_alignment() {
    let b = build_one(
        "md_tables",
        "# Tables\n\n| Left | Center | Right |\n|:-----|:------:|------:|\n| a | *b* | 1 |\n| c | d | 2 |\n",
    );
    let table = &b.blocks()[0];
    assert_eq!(table["type"], "table");
    assert_eq!(table["align"], serde_json::json!(["left", "center", "right"]));
    let texts = |cells: &Value| -> Vec<String> {
        cells.as_array().unwrap().iter().map(inline_text).collect()
    };
    assert_eq!(texts(&table["header"]), ["Left", "Center", "Right"]);
    let rows: Vec<Vec<String>> =
        table["rows"].as_array().unwrap().iter().map(texts).collect();
    assert_eq!(rows, [["a", "b", "1"], ["c", "d", "2"]]);

    let doc = b.doc();
    let th: Vec<Node> = elements(&doc, "th");
    assert_eq!(
        th.iter().map(|c| node_text(*c)).collect::<Vec<_>>(),
        ["Left", "Center", "Right"]
    );
    assert!(th.iter().all(|c| c.ancestors().any(|a| a.has_tag_name((XHTML, "thead")))));
    let body_rows: Vec<Vec<String>> = elements(&doc, "tbody")[0]
        .children()
        .filter(|r| r.has_tag_name((XHTML, "tr")))
        .map(|r| {
            r.children()
                .filter(|c| c.has_tag_name((XHTML, "td")))
                .map(node_text)
                .collect()
        })
        .collect();
    assert_eq!(body_rows, rows);
    // Each column's alignment reaches its cells (as a class or a style).
    for (i, side) in ["left", "center", "right"].iter().enumerate() {
        let attrs =
            format!("{:?} {:?}", th[i].attribute("class"), th[i].attribute("style"));
        assert!(attrs.contains(side), "column {i} should be aligned {side}: {attrs}");
    }
    assert!(elements(&doc, "em").iter().any(|e| node_text(*e) == "b"));
}

#[test]
fn strikethrough_becomes_del() {
    let b = build_one("md_strike", "# Strike\n\nKeep ~~drop this~~ going.\n");
    let content = b.blocks()[0]["content"].as_array().unwrap();
    let strike =
        content.iter().find(|i| i["type"] == "strike").expect("no strike inline");
    assert_eq!(inline_text(&strike["content"]), "drop this");
    let doc = b.doc();
    let del = elements(&doc, "del");
    assert_eq!(del.iter().map(|d| node_text(*d)).collect::<Vec<_>>(), ["drop this"]);
    assert!(!body_text(&doc).contains('~'));
}

#[test]
fn links_keep_their_url_and_text() {
    let b = build_one(
        "md_link",
        "# Links\n\nSee [the *example* site](https://example.com/a?b=1&c=2) now.\n",
    );
    let content = b.blocks()[0]["content"].as_array().unwrap();
    let link = content.iter().find(|i| i["type"] == "link").expect("no link inline");
    assert_eq!(link["content"]["url"], "https://example.com/a?b=1&c=2");
    assert_eq!(inline_text(&link["content"]["content"]), "the example site");
    let doc = b.doc();
    let a: Vec<Node> =
        elements(&doc, "a").into_iter().filter(|a| epub_type(*a).is_none()).collect();
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].attribute("href"), Some("https://example.com/a?b=1&c=2"));
    assert_eq!(node_text(a[0]), "the example site");
}

#[test]
fn image_with_caption_becomes_a_packaged_figure_with_alt_text() {
    let m = Manuscript::new(
        "md_image",
        &[(
            "essay.md",
            "# Pictures\n\nBefore.\n\n![A single dot](images/dot.png \"A *tiny* caption -- really\")\n\nAfter.\n",
        )],
    );
    m.write("images/dot.png", PNG_1X1);
    let b = build_manuscript(m);
    assert_only_print_size_warnings(&b.stderr);
    let figure =
        b.blocks().iter().find(|b| b["type"] == "figure").expect("no figure block");
    assert_eq!(figure["src"], "images/dot.png");
    assert_eq!(figure["alt"], "A single dot");
    assert_eq!(
        inline_text(&figure["caption"]),
        "A tiny caption \u{2013} really",
        "captions get smart punctuation"
    );
    assert_eq!(figure["pixels"], serde_json::json!([1, 1]));
    assert_eq!(top_paragraphs(b.chapter()), ["Before.", "After."]);

    let doc = b.doc();
    let img = elements(&doc, "img");
    assert_eq!(img.len(), 1);
    assert_eq!(img[0].attribute("src"), Some("images/dot.png"));
    assert_eq!(img[0].attribute("alt"), Some("A single dot"));
    let fig = img[0]
        .ancestors()
        .find(|n| n.has_tag_name((XHTML, "figure")))
        .expect("<img> outside <figure>");
    let caption = fig
        .descendants()
        .find(|n| n.has_tag_name((XHTML, "figcaption")))
        .expect("no <figcaption>");
    assert_eq!(normalize_ws(&node_text(caption)), "A tiny caption \u{2013} really");
    assert!(
        caption.descendants().any(|n| n.has_tag_name((XHTML, "em"))),
        "caption emphasis"
    );

    let entries = b.entries();
    let dir = content_dir(&entries);
    let packaged = entries
        .iter()
        .find(|(n, _)| *n == format!("{dir}images/dot.png"))
        .expect("image not packaged");
    assert_eq!(packaged.1, PNG_1X1);
    let opf_text = entry_text(&entries, &opf_path(&entries));
    let opf = parse_xml(&opf_text, "content.opf");
    let item = opf
        .descendants()
        .find(|n| n.attribute("href") == Some("images/dot.png"))
        .expect("not in manifest");
    assert_eq!(item.attribute("media-type"), Some("image/png"));
    assert_images_resolve(&entries);
}

#[test]
fn raw_html_is_dropped_with_a_warning_and_never_reaches_the_epub() {
    let markdown = "# Raw\n\nBefore.\n\n<script>alert(\"boom\")</script>\n\n<div class=\"x\">block html</div>\n\n\
Inline <span onclick=\"evil()\">kept words</span> here.\n";
    let b = build_one_with_warnings("md_html", markdown);
    let (line, column) = locate(markdown, "<script>");
    let place = format!("{}:{line}:{column}", b.m.dir().join("essay.md").display());
    assert!(b.stderr.contains("warning:"), "no warning: {}", b.stderr);
    assert!(b.stderr.contains(&place), "the warning should name {place}: {}", b.stderr);
    assert!(b.stderr.to_lowercase().contains("html"), "{}", b.stderr);

    let entries = b.entries();
    for (name, bytes) in entries.iter().filter(|(n, _)| n.ends_with(".xhtml")) {
        // The print edition's page-break markers are quire's own spans, not the HTML's.
        let text = without_page_markers(&String::from_utf8(bytes.clone()).unwrap());
        let doc = parse_xml(&text, name);
        for tag in ["script", "div", "span"] {
            assert!(elements(&doc, tag).is_empty(), "{name} has a <{tag}>");
        }
        assert!(
            !doc.descendants().any(|n| n.attribute("onclick").is_some()),
            "{name} has an onclick"
        );
        assert!(
            !text.contains("alert(") && !text.contains("evil("),
            "{name} carries script text"
        );
    }
    let text = body_text(&b.doc());
    assert!(text.contains("Before.") && text.contains("kept words"), "{text}");
    // Issue 12: a <div>'s text is a paragraph now; only its tag is dropped.
    assert!(text.contains("block html"), "a <div>'s text is kept: {text}");
    for paragraph in paragraph_texts(b.chapter()) {
        assert!(!paragraph.contains('<'), "HTML in the model: {paragraph}");
    }
}

#[test]
fn dedication_and_epigraph_kinds_come_from_front_matter() {
    let m = Manuscript::with_front(
        "md_kinds",
        &[
            ("dedication.md", "+++\nkind = \"dedication\"\n+++\n\nFor Sam, always.\n"),
            (
                "epigraph.md",
                "+++\nkind = \"epigraph\"\n+++\n\nA door is also a wall.\n\n--- the notebook\n",
            ),
        ],
        &[("essay.md", "# The Essay\n\nBody text.\n")],
    );
    let model = m.dump();
    let chs = chapters(&model);
    let kinds: Vec<&str> = chs.iter().map(|c| c["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["dedication", "epigraph", "essay"]);
    for ch in &chs[..2] {
        assert_eq!(ch["title"], serde_json::json!([]), "no title for a {}", ch["kind"]);
        assert!(ch["number"].is_null());
    }
    assert_eq!(chs[2]["number"], 1, "front matter does not count as an essay");
    assert_eq!(top_paragraphs(&chs[0]), ["For Sam, always."]);
    assert_eq!(
        top_paragraphs(&chs[1]),
        ["A door is also a wall.", "\u{2014} the notebook"]
    );

    let (epub, stderr) = m.build_ok();
    assert!(!stderr.contains("warning"), "{stderr}");
    let entries = unzip_entries(&epub);
    for (ch, kind) in chs[..2].iter().zip(["dedication", "epigraph"]) {
        let slug = ch["slug"].as_str().unwrap();
        let xhtml = chapter_xhtml(&entries, slug);
        let doc = parse_xml(&xhtml, slug);
        assert!(
            doc.descendants().any(|n| n.has_tag_name((XHTML, "section")) && epub_type(n) == Some(kind)),
            "{slug}.xhtml has no section of epub:type {kind}"
        );
        let text = body_text(&doc);
        assert!(
            !text.contains("kind") && !text.contains("+++"),
            "front matter shown as text: {text}"
        );
        assert!(elements(&doc, "h1").is_empty(), "a {kind} has no heading");
    }
    let nav_text = entry_text(&entries, &format!("{}nav.xhtml", content_dir(&entries)));
    let nav = parse_xml(&nav_text, "nav.xhtml");
    let landmarks: Vec<&str> = nav
        .descendants()
        .filter(|n| n.has_tag_name((XHTML, "a")))
        .filter_map(epub_type)
        .collect();
    assert!(
        landmarks.contains(&"dedication") && landmarks.contains(&"epigraph"),
        "{landmarks:?}"
    );
}

#[test]
fn kitchen_sink_manuscript_builds_cleanly_and_passes_epubcheck() {
    let m = Manuscript::with_front(
        "md_kitchen_sink",
        &[("dedication.md", "+++\nkind = \"dedication\"\n+++\n\nFor the testers.\n")],
        &[
            (
                "01-first.md",
                "# First & \"Foremost\"\n\n*Soft*, **firm**, ~~gone~~, `code` and [a link](https://example.com/).[^one]\n\n\
> Quoted.\n>\n> > Deeper.\n\n3. three\n4. four\n\n- bullet\n\n* * *\n\nVerse,\\\nline two...\n\n\
![A dot](images/dot.png \"Caption -- here\")\n\n| A | B |\n|:--|--:|\n| 1 | 2 |\n\n## Section {#sec}\n\nText.[^two]\n\n\
## For reflection {.reflection}\n\n1. Why?\n2. Why not?\n\n[^one]: First note.\n\n[^two]: Second note.\n",
            ),
            (
                "02-second.md",
                "# Second\n\nAlso notes.[^a]\n\n[^a]: Numbered from one again.\n",
            ),
        ],
    );
    m.write("images/dot.png", PNG_1X1);
    let (epub, stderr) = m.build_ok();
    assert_only_print_size_warnings(&stderr);
    let entries = unzip_entries(&epub);
    assert_images_resolve(&entries);
    let second = chapter_xhtml(&entries, "second");
    let doc = parse_xml(&second, "second.xhtml");
    let noteref = doc.descendants().find(|n| epub_type(*n) == Some("noteref")).unwrap();
    assert_eq!(node_text(noteref), "1", "footnotes are numbered per chapter");
    let Some(report) = epubcheck(&epub, m.tmp.path()) else { return };
    report.assert_clean("a manuscript using every Markdown feature");
}

#[test]
fn new_scaffold_builds_and_passes_epubcheck() {
    let tmp = TempDir::new("md_scaffold");
    let dir = tmp.join("x");
    let output = run(quire().arg("new").arg(&dir));
    assert_success("quire new", &output);
    assert!(dir.join("book.toml").is_file());
    let out = tmp.join("out");
    let output = build_epub(&dir, &out);
    assert_success("quire build of a new scaffold", &output);
    assert!(
        !stderr(&output).contains("warning"),
        "a new book builds without warnings:\n{}",
        stderr(&output)
    );
    let epub = the_epub_in(&out);
    let Some(report) = epubcheck(&epub, tmp.path()) else { return };
    report.assert_clean("the scaffold from `quire new`");
}

#[test]
fn new_refuses_a_non_empty_directory_and_leaves_it_alone() {
    let tmp = TempDir::new("md_scaffold_refuse");
    let dir = tmp.join("x");
    write_file(&dir.join("notes.txt"), "mine");
    let output = run(quire().arg("new").arg(&dir));
    assert!(!output.status.success(), "quire new overwrote a non-empty directory");
    assert!(stderr(&output).contains("not empty"), "{}", stderr(&output));
    assert_eq!(dir_entries(&dir), ["notes.txt"]);
    assert_eq!(std::fs::read_to_string(dir.join("notes.txt")).unwrap(), "mine");
}

#[test]
fn heading_ids_never_collide_with_generated_ids() {
    let b = build_one(
        "md_id_collision",
        "# Title\n\nText.[^n]\n\n## Chapter Title\n\nA.\n\n## Note 1\n\nB.\n\n## Section {#ref-1}\n\nC.\n\n\
## For reflection {.reflection}\n\n1. Q?\n\n[^n]: A note.\n",
    );
    let doc = b.doc();
    let mut ids = std::collections::BTreeSet::new();
    for id in doc.descendants().filter_map(|n| n.attribute("id")) {
        assert!(ids.insert(id), "duplicate id {id:?} in essay.xhtml");
    }
}

#[test]
fn images_in_notes_and_reflection_intro_are_packaged() {
    let m = Manuscript::new(
        "md_hidden_images",
        &[(
            "essay.md",
            "# Title\n\nText.[^n]\n\n## For reflection {.reflection}\n\n![A dot](images/dot.png)\n\n1. Q?\n\n\
[^n]: A note.\n\n    ![Another dot](images/other.png)\n",
        )],
    );
    m.write("images/dot.png", PNG_1X1);
    m.write("images/other.png", PNG_1X1);
    let b = build_manuscript(m);
    assert_eq!(elements(&b.doc(), "img").len(), 2);
    assert_images_resolve(&b.entries());
}

/// The model's chapter titles, as plain text.
fn titles(model: &Value) -> Vec<String> {
    chapters(model).iter().map(|c| inline_text(&c["title"])).collect()
}

/// Each section heading of a chapter, top level, as (level, text).
fn section_headings(chapter: &Value) -> Vec<(u64, String)> {
    chapter["blocks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["type"] == "heading")
        .map(|b| (b["level"].as_u64().unwrap(), inline_text(&b["content"])))
        .collect()
}

fn heading(level: u64, text: &str) -> (u64, String) {
    (level, text.to_string())
}

/// The text of the `<h1 id="chapter-title">` in a chapter's XHTML.
fn xhtml_title(entries: &[(String, Vec<u8>)], slug: &str) -> String {
    let xhtml = chapter_xhtml(entries, slug);
    let doc = parse_xml(&xhtml, slug);
    let h1 = doc
        .descendants()
        .find(|n| n.attribute("id") == Some("chapter-title"))
        .unwrap_or_else(|| panic!("{slug}.xhtml has no chapter title"));
    normalize_ws(&node_text(h1))
}

/// Builds every edition (`--format all`), asserting success and no warnings; returns the
/// EPUB and the print PDF.
fn build_all_clean(m: &Manuscript) -> (std::path::PathBuf, std::path::PathBuf) {
    let output = build_format(&m.dir(), &m.out(), "all", &[]);
    assert_success("quire build --format all", &output);
    assert!(!stderr(&output).contains("warning"), "{}", stderr(&output));
    let pdf = dir_entries(&m.out())
        .into_iter()
        .find(|n| n.ends_with("-print.pdf"))
        .expect("no print PDF written");
    (the_epub_in(&m.out()), m.out().join(pdf))
}

#[test]
fn chapter_titles_come_from_front_matter_title_blocks_and_opening_headings() {
    let m = Manuscript::new(
        "md_title_sources",
        &[
            (
                "01-yaml.md",
                "---\ntitle: The Crossing\ndate: 2024-05-01\ntags: [sea, night]\nauthor:\n  - name: A. Writer\n    \
affiliation: {place: Harbour}\nlayout: chapter\ndraft: false\n---\n\n## Before Dawn\n\nThe boat left at four.\n",
            ),
            (
                "02-pandoc.md",
                "% The *Long* Night\n% A. Writer\n% May 2024\n\nThe lamps went out.\n",
            ),
            (
                "03-shifted.md",
                "## Harbour Lights\n\nThe town was asleep.\n\n### On the Quay\n\nA cat.\n\n#### Nets\n\nWet.\n",
            ),
            (
                "04-toml.md",
                "+++\ntitle = \"Landfall\"\n+++\n\nThey saw the coast.\n\n---\n\nThen the rain.\n",
            ),
            ("05-heading.md", "# Home\n\nThe end.\n"),
        ],
    );
    let model = m.dump();
    let expected =
        ["The Crossing", "The Long Night", "Harbour Lights", "Landfall", "Home"];
    assert_eq!(titles(&model), expected);
    let chs = chapters(&model);
    // YAML keys other than title/slug/kind/handout are ignored; the ## stays a section.
    assert_eq!(section_headings(&chs[0]), [heading(2, "Before Dawn")]);
    assert_eq!(top_paragraphs(&chs[0]), ["The boat left at four."]);
    // The title block's author and date lines are not text.
    assert_eq!(top_paragraphs(&chs[1]), ["The lamps went out."]);
    assert!(chs[1]["title"].to_string().contains("\"emph\""), "{}", chs[1]["title"]);
    // ## was the title, so ### and #### move up to levels 2 and 3.
    assert_eq!(
        section_headings(&chs[2]),
        [heading(2, "On the Quay"), heading(3, "Nets")]
    );
    // A --- further down is a scene break, not front matter.
    assert_eq!(blocks_of_type(&chs[3], "scene-break").len(), 1, "{}", chs[3]);
    let slugs: Vec<&str> = chs.iter().map(|c| c["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, ["yaml", "pandoc", "shifted", "toml", "heading"]);

    let (epub, pdf) = build_all_clean(&m);
    let entries = unzip_entries(&epub);
    for (slug, title) in slugs.iter().zip(expected) {
        assert_eq!(xhtml_title(&entries, slug), title);
    }
    let shifted = chapter_xhtml(&entries, "shifted");
    let shifted = parse_xml(&shifted, "shifted.xhtml");
    assert_eq!(elements(&shifted, "h2").len(), 1);
    assert_eq!(elements(&shifted, "h3").len(), 1);
    let nav = entry_text(&entries, &format!("{}nav.xhtml", content_dir(&entries)));
    for title in expected {
        assert!(nav.contains(title), "{title:?} not in nav.xhtml:\n{nav}");
    }
    if let Some(report) = epubcheck(&epub, m.tmp.path()) {
        report.assert_clean("chapters titled in five ways");
    }
    if require_tools(&["pdftotext"]) {
        let text = normalize_ws(&pdftotext(&pdf, &[]));
        for title in expected {
            assert!(text.contains(title), "{title:?} not in the print PDF");
        }
        assert!(!text.contains("A. Writer") && !text.contains("affiliation"), "{text}");
    }
}

#[test]
fn slugs_from_file_names_are_made_distinct_and_yield_to_hand_set_ones() {
    let m = Manuscript::new(
        "md_slug_dedup",
        &[
            ("003-1-chapter.md", "# One\n\nA.\n"),
            ("004-2-chapter.md", "# Two\n\nB.\n"),
            ("005-chapter.md", "---\ntitle: Three\nslug: chapter\n---\n\nC.\n"),
            ("storm.md", "# Storm\n\nD.\n\n## Storm\n\nE.\n"),
            ("copyright.md", "# Rights\n\nF.\n"),
        ],
    );
    let model = m.dump();
    let slugs: Vec<&str> =
        chapters(&model).iter().map(|c| c["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, ["chapter-2", "chapter-3", "chapter", "storm", "copyright-2"]);
    // The section heading gives up the id its chapter's <section> carries.
    let storm = &chapters(&model)[3];
    let id = storm["blocks"].as_array().unwrap()[1]["id"].as_str().unwrap();
    assert_eq!(id, "section-storm");

    let (epub, _) = build_all_clean(&m);
    let entries = unzip_entries(&epub);
    for (slug, title) in slugs.iter().zip(["One", "Two", "Three", "Storm", "Rights"]) {
        assert_eq!(xhtml_title(&entries, slug), title);
    }
    if let Some(report) = epubcheck(&epub, m.tmp.path()) {
        report.assert_clean("chapters whose file names give the same slug");
    }
}

#[test]
fn two_chapters_given_the_same_slug_by_hand_is_an_error_naming_both() {
    let a = "+++\nslug = \"same\"\n+++\n# A\n\nText.\n";
    let b = "---\ntitle: B\ndate: 2024-01-01\nslug: Same\n---\n\nText.\n";
    let m = Manuscript::new("md_slug_by_hand", &[("a.md", a), ("b.md", b)]);
    let output = m.build();
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    let (a_line, a_col) = locate(a, "\"same\"");
    let first = format!("{}:{a_line}:{a_col}", m.dir().join("a.md").display());
    let second = format!("{}:4:1", m.dir().join("b.md").display());
    assert!(
        err.contains(&format!("{second}: slug \"same\" is also set by hand at {first}")),
        "{err}"
    );
}

#[test]
fn malformed_yaml_front_matter_names_its_line_and_column() {
    let text = "---\ntitle: The Crossing\ntags: [sea, night\n---\n\nText.\n";
    let m = Manuscript::new("md_bad_yaml", &[("bad.md", text)]);
    let output = m.build();
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    let file = m.dir().join("bad.md").display().to_string();
    // libyaml notices the unclosed flow sequence where the block ends, on line 4.
    assert!(err.contains(&format!("{file}:4:1: YAML front matter: ")), "{err}");
    assert!(!err.contains("panicked"), "{err}");

    let wrong_type = "---\nhandout: sometimes\n---\n# T\n\nText.\n";
    m.write("bad.md", wrong_type);
    let err = stderr(&m.build());
    assert!(
        err.contains(&format!("{file}:2:10: YAML front matter: handout: invalid type")),
        "{err}"
    );
}

#[test]
fn a_chapter_without_a_title_names_every_way_to_give_one() {
    let m = Manuscript::new(
        "md_no_title",
        &[("a.md", "---\ndate: 2024-01-01\n---\n\nProse first.\n\n# Too late\n")],
    );
    let output = m.build();
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    let file = m.dir().join("a.md").display().to_string();
    assert!(err.contains(&format!("{file}:1:1: chapter has no title")), "{err}");
    for way in ["+++", "---", "% Title", "heading"] {
        assert!(err.contains(way), "{way:?} not named in {err}");
    }
}

/// The EPUB build lays the paperback out for its page list, and the paperback has
/// something to say of a one-pixel image: that it prints too small. Nothing else may
/// be warned of.
fn assert_only_print_size_warnings(stderr: &str) {
    let warnings: Vec<&str> = stderr.lines().filter(|l| l.contains("warning")).collect();
    assert!(
        warnings.iter().all(|w| w.contains("is only 1×1 pixels, so it prints")),
        "{stderr}"
    );
}
