//! WordprocessingML → a flat list of paragraphs and tables, each paragraph a list of
//! formatted text spans: the import's intermediate form, close to Word's own.
//!
//! Third phase of `quire import`. It walks `word/document.xml` (and each footnote and
//! endnote) once, in document order, and resolves everything that needs the package:
//! styles (what a paragraph is), run formatting, hyperlink and image relationships,
//! fields, tracked changes (accepted: insertions kept, deletions dropped) and comments
//! (dropped). Whatever it does not carry over it counts in the [`Report`]. Chapters,
//! lists and quotes are made from this list by the next phase (`structure`).

use super::package::{PackageError, Relationships, Target};
use super::report::{Loss, Report};
use super::styles::{ListRef, ParaProps, Role, RunProps, Styles, Vert};
use super::xml::{A, MC, O, V, WP, attr, child, child_val, is_w, rel_attr};
use roxmltree::Node;

/// How deep elements may nest (tables in tables, fields, content controls) before the
/// document is refused; Word documents rarely pass 20.
const MAX_DEPTH: usize = 64;

/// The formatting of a span of text that the manuscript can carry.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Fmt {
    /// Italic: emphasis.
    pub italic: bool,
    /// Bold: strong.
    pub bold: bool,
    /// Small capitals.
    pub small_caps: bool,
    /// Struck through.
    pub strike: bool,
    /// Raised.
    pub sup: bool,
    /// Lowered.
    pub sub: bool,
    /// Verbatim.
    pub code: bool,
}

/// A piece of a paragraph.
#[derive(Debug, Clone, PartialEq)]
pub enum Span {
    /// Text with one formatting and at most one link (an index into [`Parsed::links`]).
    Text {
        /// The characters, never empty.
        text: String,
        /// Its formatting.
        fmt: Fmt,
        /// The hyperlink it belongs to.
        link: Option<usize>,
    },
    /// A hard line break.
    Break,
    /// A footnote (`endnote` false) or endnote reference, by its id in the notes part.
    Note {
        /// An endnote rather than a footnote.
        endnote: bool,
        /// The note's `w:id`.
        id: String,
    },
    /// An image: an index into [`Parsed::images`].
    Image(usize),
    /// A horizontal rule (pandoc writes a scene break so).
    Rule,
}

/// An image the document shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageRef {
    /// The package part holding it (`word/media/image1.png`).
    pub part: String,
    /// Its description (`wp:docPr descr`), the alt text.
    pub alt: String,
    /// Its title (`wp:docPr title`), if any.
    pub title: String,
    /// The paragraph it is in, for the report.
    pub place: String,
}

/// A paragraph.
#[derive(Debug, Clone)]
pub struct Para {
    /// 1-based number in its part (document or note), for the report.
    pub number: usize,
    /// What its style says it is.
    pub role: Role,
    /// Its content.
    pub spans: Vec<Span>,
    /// Its list and level, when it is a list item.
    pub list: Option<ListRef>,
    /// Centred.
    pub centered: bool,
    /// Left indent, twentieths of a point.
    pub indent: i64,
    /// Starts a page: `pageBreakBefore`, or a page break before its first text.
    pub page_break_before: bool,
    /// Holds a page break after text (the next paragraph starts a page).
    pub page_break_after: bool,
    /// The part of the document it is in ("paragraph 12", "footnote 3").
    pub place: String,
}

/// A table: rows of cells, each cell's paragraphs joined into one line of spans.
#[derive(Debug, Clone)]
pub struct Table {
    /// The rows.
    pub rows: Vec<Vec<Vec<Span>>>,
}

/// A paragraph or a table.
#[derive(Debug, Clone)]
pub enum Item {
    /// A paragraph.
    Para(Para),
    /// A table.
    Table(Table),
}

/// What the walk produced: the body, the notes, and the links and images they index.
#[derive(Debug, Clone, Default)]
pub struct Parsed {
    /// The document body.
    pub body: Vec<Item>,
    /// Footnotes by id.
    pub footnotes: std::collections::BTreeMap<String, Vec<Item>>,
    /// Endnotes by id.
    pub endnotes: std::collections::BTreeMap<String, Vec<Item>>,
    /// Hyperlink targets.
    pub links: Vec<String>,
    /// Images.
    pub images: Vec<ImageRef>,
}

/// An open complex field (`w:fldChar` begin … separate … end).
#[derive(Debug, Default)]
struct Field {
    /// Its instruction text so far.
    instr: String,
    /// Past `separate`: its shown result follows.
    showing: bool,
    /// The link it makes, for a `HYPERLINK` field.
    link: Option<usize>,
}

/// The walk's state.
pub struct Walker<'a> {
    styles: &'a Styles,
    report: &'a mut Report,
    /// The relationships of the part being walked.
    rels: Relationships,
    /// The package's name for the part being walked, for errors.
    part: String,
    /// "paragraph" or "footnote 3": how places in this part are named.
    place_prefix: String,
    /// Paragraphs seen in this part.
    para_count: usize,
    /// Open complex fields, innermost last.
    fields: Vec<Field>,
    /// A page break was seen in the current paragraph.
    page_break: bool,
    /// Output shared by all parts.
    out: Parsed,
    /// Each link target's index in `out.links`.
    link_index: std::collections::BTreeMap<String, usize>,
}

impl<'a> Walker<'a> {
    /// A walker over the parts of one document.
    pub fn new(styles: &'a Styles, report: &'a mut Report) -> Self {
        Walker {
            styles,
            report,
            rels: Relationships::default(),
            part: String::new(),
            place_prefix: String::new(),
            para_count: 0,
            fields: Vec::new(),
            page_break: false,
            out: Parsed::default(),
            link_index: Default::default(),
        }
    }

    /// What was read.
    pub fn finish(self) -> Parsed {
        self.out
    }

    /// Walks the body of `word/document.xml` (parsed as `doc`, with relationships `rels`).
    pub fn body(
        &mut self,
        doc: &roxmltree::Document<'_>,
        part: &str,
        rels: Relationships,
    ) -> Result<(), PackageError> {
        self.enter(part, rels, "paragraph");
        let Some(body) = child(doc.root_element(), "body") else {
            return Err(PackageError::part(part, "has no document body (w:body)"));
        };
        let mut items = Vec::new();
        self.blocks(body, &mut items, 0)?;
        self.out.body = items;
        Ok(())
    }

    /// Walks a footnotes or endnotes part.
    pub fn notes(
        &mut self,
        doc: &roxmltree::Document<'_>,
        part: &str,
        rels: Relationships,
        endnotes: bool,
    ) -> Result<(), PackageError> {
        let (element, word) =
            if endnotes { ("endnote", "endnote") } else { ("footnote", "footnote") };
        self.enter(part, rels, word);
        for note in doc.root_element().children().filter(|n| is_w(*n, element)) {
            // Separators and continuation notices are layout, not notes.
            if attr(note, "type").is_some_and(|t| t != "normal") {
                continue;
            }
            let Some(id) = attr(note, "id") else { continue };
            self.place_prefix = format!("{word} {id}, paragraph");
            self.para_count = 0;
            let mut items = Vec::new();
            self.blocks(note, &mut items, 0)?;
            let map =
                if endnotes { &mut self.out.endnotes } else { &mut self.out.footnotes };
            map.insert(id.to_string(), items);
        }
        Ok(())
    }

    fn enter(&mut self, part: &str, rels: Relationships, prefix: &str) {
        self.rels = rels;
        self.part = part.to_string();
        self.place_prefix = prefix.to_string();
        self.para_count = 0;
        self.fields.clear();
    }

    /// Where the walk is: the current paragraph.
    fn place(&self) -> String {
        format!("{} {}", self.place_prefix, self.para_count.max(1))
    }

    /// Counts one `loss` at the current paragraph.
    fn lose(&mut self, loss: Loss) {
        let (prefix, n) = (&self.place_prefix, self.para_count.max(1));
        self.report.count(loss, || format!("{prefix} {n}"));
    }

    fn deeper(&self, depth: usize) -> Result<usize, PackageError> {
        if depth >= MAX_DEPTH {
            return Err(PackageError::part(
                &self.part,
                format!("nests elements more than {MAX_DEPTH} deep; refused"),
            ));
        }
        Ok(depth + 1)
    }

    /// Block-level content: paragraphs, tables, and the containers that hold them.
    fn blocks(
        &mut self,
        node: Node<'_, '_>,
        out: &mut Vec<Item>,
        depth: usize,
    ) -> Result<(), PackageError> {
        let depth = self.deeper(depth)?;
        for c in node.children().filter(Node::is_element) {
            if c.tag_name().namespace() == Some(MC) {
                if let Some(choice) = alternate_choice(c) {
                    self.blocks(choice, out, depth)?;
                }
                continue;
            }
            match c.tag_name().name() {
                "p" if is_w(c, "p") => {
                    let para = self.paragraph(c, depth)?;
                    out.push(Item::Para(para));
                }
                "tbl" if is_w(c, "tbl") => {
                    let table = self.table(c, depth)?;
                    out.push(Item::Table(table));
                }
                "sdt" if is_w(c, "sdt") => {
                    if is_contents_control(c) {
                        self.lose(Loss::Contents);
                    } else if let Some(content) = child(c, "sdtContent") {
                        self.blocks(content, out, depth)?;
                    }
                }
                "ins" | "moveTo" if is_w(c, c.tag_name().name()) => {
                    self.lose(Loss::TrackedInsertion);
                    self.blocks(c, out, depth)?;
                }
                "del" | "moveFrom" if is_w(c, c.tag_name().name()) => {
                    self.lose(Loss::TrackedDeletion);
                }
                "customXml" if is_w(c, "customXml") => self.blocks(c, out, depth)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// One `w:p`.
    fn paragraph(&mut self, p: Node<'_, '_>, depth: usize) -> Result<Para, PackageError> {
        self.para_count += 1;
        self.page_break = false;
        let ppr = child(p, "pPr");
        let style_id = ppr.and_then(|ppr| child_val(ppr, "pStyle"));
        let style = self.styles.paragraph(style_id);
        let direct = ppr.map(ParaProps::read).unwrap_or_default();
        let list = direct.list.clone().or(style.para.list.clone());
        let mut role = style.role.unwrap_or(Role::Body);
        if let Some(level) = direct.outline.filter(|l| *l < 9)
            && role == Role::Body
        {
            role = Role::Heading(level + 1);
        }
        if style.role.is_none() && style_id.is_some() {
            let (prefix, n) = (&self.place_prefix, self.para_count);
            self.report.unknown_style(&style.name, || format!("{prefix} {n}"));
        }
        let mut spans = Vec::new();
        self.inlines(p, None, &mut spans, depth)?;
        let page_break_before =
            direct.page_break_before.or(style.para.page_break_before).unwrap_or(false)
                || (self.page_break && spans.iter().all(|s| !has_text(s)));
        Ok(Para {
            number: self.para_count,
            role,
            list: list.filter(|l| l.num_id != "0"),
            centered: direct.centered.or(style.para.centered).unwrap_or(false),
            indent: direct.indent.or(style.para.indent).unwrap_or(0),
            page_break_before,
            page_break_after: self.page_break && spans.iter().any(has_text),
            place: self.place(),
            spans,
        })
    }

    /// Inline content of a paragraph, hyperlink or other inline container.
    fn inlines(
        &mut self,
        node: Node<'_, '_>,
        link: Option<usize>,
        out: &mut Vec<Span>,
        depth: usize,
    ) -> Result<(), PackageError> {
        let depth = self.deeper(depth)?;
        for c in node.children().filter(Node::is_element) {
            let ns = c.tag_name().namespace();
            if ns == Some(MC) {
                if let Some(choice) = alternate_choice(c) {
                    self.inlines(choice, link, out, depth)?;
                }
                continue;
            }
            if ns == Some("http://schemas.openxmlformats.org/officeDocument/2006/math") {
                if matches!(c.tag_name().name(), "oMath" | "oMathPara") {
                    self.lose(Loss::Equation);
                }
                continue;
            }
            if !is_w(c, c.tag_name().name()) {
                continue;
            }
            match c.tag_name().name() {
                "r" => self.run(c, link, out, depth)?,
                "hyperlink" => {
                    let target = rel_attr(c, "id")
                        .and_then(|id| self.rels.get(id))
                        .map(|r| r.target.clone());
                    let new_link = match target {
                        Some(Target::External(url)) => Some(self.link(&url)),
                        _ => {
                            if attr(c, "anchor").is_some() {
                                self.lose(Loss::InternalLink);
                            }
                            None
                        }
                    };
                    self.inlines(c, new_link.or(link), out, depth)?;
                }
                "ins" | "moveTo" => {
                    self.lose(Loss::TrackedInsertion);
                    self.inlines(c, link, out, depth)?;
                }
                "del" | "moveFrom" => {
                    self.lose(Loss::TrackedDeletion);
                }
                "smartTag" | "customXml" | "dir" | "bdo" => {
                    self.inlines(c, link, out, depth)?
                }
                "sdt" => {
                    if let Some(content) = child(c, "sdtContent") {
                        self.inlines(content, link, out, depth)?;
                    }
                }
                "fldSimple" => {
                    let instr = attr(c, "instr").unwrap_or("");
                    let field_link = self.field_link(instr);
                    if field_link.is_none() {
                        self.lose(Loss::Field);
                    }
                    self.inlines(c, field_link.or(link), out, depth)?;
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The link a field instruction makes (`HYPERLINK "url"`), registered; `None` for
    /// every other field.
    fn field_link(&mut self, instr: &str) -> Option<usize> {
        let rest = instr.trim().strip_prefix("HYPERLINK")?.trim();
        if rest.starts_with("\\l") {
            self.lose(Loss::InternalLink);
            return None;
        }
        let url = rest.trim_start_matches('"');
        let url = url.split('"').next().unwrap_or("").trim();
        (!url.is_empty()).then(|| self.link(url))
    }

    fn link(&mut self, url: &str) -> usize {
        if let Some(i) = self.link_index.get(url) {
            return *i;
        }
        self.out.links.push(url.to_string());
        self.link_index.insert(url.to_string(), self.out.links.len() - 1);
        self.out.links.len() - 1
    }

    /// Whether text now belongs to the shown document: not inside a field's instruction.
    fn showing(&self) -> bool {
        self.fields.iter().all(|f| f.showing)
    }

    /// One `w:r`.
    fn run(
        &mut self,
        r: Node<'_, '_>,
        link: Option<usize>,
        out: &mut Vec<Span>,
        depth: usize,
    ) -> Result<(), PackageError> {
        let rpr = child(r, "rPr");
        let direct = rpr.map(RunProps::read).unwrap_or_default();
        let from_style = rpr
            .and_then(|rpr| child_val(rpr, "rStyle"))
            .map(|id| self.styles.character(id))
            .unwrap_or_default();
        let props = direct.over(from_style);
        if let Some(rpr) = rpr {
            self.count_looks(rpr);
        }
        let vert = props.vert.unwrap_or(Vert::Baseline);
        let fmt = Fmt {
            italic: props.italic.unwrap_or(false),
            bold: props.bold.unwrap_or(false),
            small_caps: props.small_caps.unwrap_or(false),
            strike: props.strike.unwrap_or(false),
            sup: vert == Vert::Super,
            sub: vert == Vert::Sub,
            code: props.code.unwrap_or(false),
        };
        let link = self.fields.iter().rev().find_map(|f| f.link).or(link);
        for c in r.children().filter(Node::is_element) {
            if c.tag_name().namespace() == Some(MC) {
                if let Some(choice) = alternate_choice(c) {
                    for g in choice.children().filter(Node::is_element) {
                        if is_w(g, "drawing") {
                            self.drawing(g, out);
                        }
                    }
                }
                continue;
            }
            if !is_w(c, c.tag_name().name()) {
                continue;
            }
            match c.tag_name().name() {
                "fldChar" => match attr(c, "fldCharType") {
                    Some("begin") => self.fields.push(Field::default()),
                    Some("separate") => {
                        let instr = self
                            .fields
                            .last()
                            .map(|f| f.instr.clone())
                            .unwrap_or_default();
                        let field_link = self.field_link(&instr);
                        if field_link.is_none() && !instr.trim().is_empty() {
                            self.lose(Loss::Field);
                        }
                        if let Some(f) = self.fields.last_mut() {
                            f.showing = true;
                            f.link = field_link;
                        }
                    }
                    Some("end") => {
                        self.fields.pop();
                    }
                    _ => {}
                },
                "instrText" => {
                    if let Some(f) = self.fields.last_mut()
                        && !f.showing
                    {
                        f.instr.push_str(c.text().unwrap_or(""));
                    }
                }
                _ if !self.showing() => {}
                "t" => push_text(out, c.text().unwrap_or(""), fmt, link),
                "tab" | "ptab" => push_text(out, " ", fmt, link),
                "noBreakHyphen" => push_text(out, "\u{2011}", fmt, link),
                "softHyphen" => push_text(out, "\u{AD}", fmt, link),
                "br" | "cr" => match attr(c, "type") {
                    Some("page") => self.page_break = true,
                    Some("column") => {}
                    _ => out.push(Span::Break),
                },
                "sym" => self.lose(Loss::Symbol),
                "footnoteReference" | "endnoteReference" => {
                    if let Some(id) = attr(c, "id") {
                        let endnote = c.tag_name().name() == "endnoteReference";
                        out.push(Span::Note { endnote, id: id.to_string() });
                    }
                }
                "commentReference" => self.lose(Loss::Comment),
                "drawing" => self.drawing(c, out),
                "pict" | "object" => self.vml(c, out),
                _ => {}
            }
        }
        let _ = depth;
        Ok(())
    }

    /// Counts run formatting quire does not carry: fonts, sizes, colours, underline.
    fn count_looks(&mut self, rpr: Node<'_, '_>) {
        let font = child(rpr, "rFonts").is_some_and(|f| {
            attr(f, "ascii").is_some_and(|a| {
                !["courier", "consolas", "mono"]
                    .iter()
                    .any(|m| a.to_lowercase().contains(m))
            })
        });
        let colour =
            child_val(rpr, "color").is_some_and(|c| c != "auto" && c != "000000");
        // A smaller size that comes with a raised or lowered baseline is the script's.
        let script =
            child(rpr, "position").is_some() || child(rpr, "vertAlign").is_some();
        let size = child(rpr, "sz").is_some() && !script;
        let look = font
            || colour
            || size
            || child(rpr, "highlight").is_some()
            || child(rpr, "shd").is_some();
        if look {
            self.lose(Loss::FontOrColour);
        }
        if child_val(rpr, "u").is_some_and(|u| u != "none") {
            self.lose(Loss::Underline);
        }
    }

    /// A DrawingML drawing: an image (its blip and description) or a text box or shape.
    fn drawing(&mut self, drawing: Node<'_, '_>, out: &mut Vec<Span>) {
        if drawing.descendants().any(|n| is_w(n, "txbxContent")) {
            self.lose(Loss::TextBox);
            return;
        }
        let doc_pr = drawing.descendants().find(|n| n.has_tag_name((WP, "docPr")));
        let alt =
            doc_pr.and_then(|d| d.attribute("descr")).unwrap_or("").trim().to_string();
        let title =
            doc_pr.and_then(|d| d.attribute("title")).unwrap_or("").trim().to_string();
        let Some(blip) = drawing.descendants().find(|n| n.has_tag_name((A, "blip")))
        else {
            // A shape far wider than tall is a rule (LibreOffice saves a horizontal
            // rule so); anything else is a chart, SmartArt or a drawn shape.
            if is_thin(drawing) {
                out.push(Span::Rule);
            } else {
                self.lose(Loss::Other);
            }
            return;
        };
        match rel_attr(blip, "embed") {
            Some(id) => self.image(id, alt, title, out),
            None => self.lose(Loss::Image),
        }
    }

    /// A VML picture: an old-style image (`v:imagedata`), a horizontal rule or a text box.
    fn vml(&mut self, pict: Node<'_, '_>, out: &mut Vec<Span>) {
        if pict.descendants().any(|n| is_w(n, "txbxContent")) {
            self.lose(Loss::TextBox);
        } else if pict.descendants().any(|n| n.attribute((O, "hr")) == Some("t")) {
            out.push(Span::Rule);
        } else if let Some(data) =
            pict.descendants().find(|n| n.has_tag_name((V, "imagedata")))
        {
            let alt = data
                .attribute((O, "title"))
                .or_else(|| pict.descendants().find_map(|n| n.attribute("alt")))
                .unwrap_or("")
                .to_string();
            match rel_attr(data, "id") {
                Some(id) => self.image(id, alt, String::new(), out),
                None => self.lose(Loss::Image),
            }
        } else {
            self.lose(Loss::Other);
        }
    }

    /// An image by relationship id.
    fn image(&mut self, id: &str, alt: String, title: String, out: &mut Vec<Span>) {
        match self.rels.get(id).map(|r| r.target.clone()) {
            Some(Target::Part(part)) => {
                let place = self.place();
                self.out.images.push(ImageRef { part, alt, title, place });
                out.push(Span::Image(self.out.images.len() - 1));
            }
            Some(Target::Outside(target)) => {
                // Recorded so the import refuses it, naming the path.
                let place = self.place();
                self.out.images.push(ImageRef {
                    part: format!("../{}", target.trim_start_matches("../")),
                    alt,
                    title,
                    place,
                });
                out.push(Span::Image(self.out.images.len() - 1));
            }
            Some(Target::External(_)) | None => self.lose(Loss::Image),
        }
    }

    /// A `w:tbl`: rows of cells; merged and nested cells are flattened and counted.
    fn table(&mut self, tbl: Node<'_, '_>, depth: usize) -> Result<Table, PackageError> {
        let depth = self.deeper(depth)?;
        let mut rows = Vec::new();
        let mut flattened = false;
        for tr in tbl.children().filter(|n| is_w(*n, "tr")) {
            let mut cells = Vec::new();
            for tc in tr.children().filter(|n| is_w(*n, "tc")) {
                if let Some(tcpr) = child(tc, "tcPr")
                    && (child_val(tcpr, "gridSpan").is_some_and(|s| s != "1")
                        || child(tcpr, "vMerge").is_some())
                {
                    flattened = true;
                }
                let mut items = Vec::new();
                self.blocks(tc, &mut items, depth)?;
                let mut spans = Vec::new();
                self.cell_spans(items, &mut spans, &mut flattened);
                cells.push(spans);
            }
            if !cells.is_empty() {
                rows.push(cells);
            }
        }
        if flattened {
            self.lose(Loss::TableLayout);
        }
        Ok(Table { rows })
    }

    /// A cell's paragraphs as one line: paragraphs joined by a line break.
    fn cell_spans(
        &mut self,
        items: Vec<Item>,
        out: &mut Vec<Span>,
        flattened: &mut bool,
    ) {
        for item in items {
            match item {
                Item::Para(p) => {
                    if !out.is_empty() && p.spans.iter().any(has_text) {
                        out.push(Span::Break);
                    }
                    out.extend(p.spans);
                }
                Item::Table(t) => {
                    *flattened = true;
                    for cell in t.rows.into_iter().flatten() {
                        if !out.is_empty() {
                            out.push(Span::Break);
                        }
                        out.extend(cell);
                    }
                }
            }
        }
    }
}

/// Appends text, merging it into the last span when the formatting and link match;
/// control characters are left out.
fn push_text(out: &mut Vec<Span>, text: &str, fmt: Fmt, link: Option<usize>) {
    let clean: String = text.chars().filter(|c| !c.is_control() || *c == '\t').collect();
    let clean = clean.replace('\t', " ");
    if clean.is_empty() {
        return;
    }
    if let Some(Span::Text { text, fmt: f, link: l }) = out.last_mut()
        && *f == fmt
        && *l == link
    {
        text.push_str(&clean);
        return;
    }
    out.push(Span::Text { text: clean, fmt, link });
}

/// Whether a span puts something on the page.
pub fn has_text(span: &Span) -> bool {
    match span {
        Span::Text { text, .. } => !text.trim().is_empty(),
        Span::Note { .. } | Span::Image(_) => true,
        Span::Break | Span::Rule => false,
    }
}

/// Whether a drawing's extent is a line: at least fifty times wider than tall.
fn is_thin(drawing: Node<'_, '_>) -> bool {
    let Some(extent) = drawing.descendants().find(|n| n.has_tag_name((WP, "extent")))
    else {
        return false;
    };
    let size = |a: &str| extent.attribute(a).and_then(|v| v.parse::<i64>().ok());
    matches!((size("cx"), size("cy")), (Some(cx), Some(cy)) if cx > 0 && cy.saturating_mul(50) < cx)
}

/// The branch of an `mc:AlternateContent` to read: its first `mc:Choice` (the richer
/// form; the fallback repeats it for old readers).
fn alternate_choice<'a, 'i>(node: Node<'a, 'i>) -> Option<Node<'a, 'i>> {
    if node.tag_name().name() != "AlternateContent" {
        return None;
    }
    node.children()
        .find(|c| c.tag_name().namespace() == Some(MC) && c.tag_name().name() == "Choice")
}

/// Whether a content control is a table of contents (Word wraps its TOC in one).
fn is_contents_control(sdt: Node<'_, '_>) -> bool {
    child(sdt, "sdtPr")
        .and_then(|pr| pr.descendants().find(|n| is_w(*n, "docPartGallery")))
        .and_then(|g| attr(g, "val"))
        .is_some_and(|v| v.contains("Table of Contents"))
}

/// Plain text of spans (for titles, scene-break tests and captions).
pub fn plain(spans: &[Span]) -> String {
    let mut s = String::new();
    for span in spans {
        match span {
            Span::Text { text, .. } => s.push_str(text),
            Span::Break => s.push(' '),
            _ => {}
        }
    }
    s
}
