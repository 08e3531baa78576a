//! Styles and list numbering: what `word/styles.xml` and `word/numbering.xml` say a
//! paragraph is (a heading, a quotation, a caption…) and how a list level counts.
//!
//! Second phase of `quire import`, read before the document. A style's meaning comes from
//! its name (`Heading 1`, `Quote`, LibreOffice's `Quotations`, pandoc's `Block Text`), or
//! else from the style it is based on, so a custom "Chapter Heading" based on Heading 1 is
//! still a chapter heading. Run formatting that a paragraph style gives (an italic Quote
//! style) is the style's look and is not carried over; formatting a character style gives
//! (Emphasis, Strong) is.

use super::package::PackageError;
use super::xml::{self, attr, child, child_val, is_w, toggle};
use roxmltree::Node;
use std::collections::BTreeMap;

/// What a paragraph is, as its style says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Running text.
    Body,
    /// A heading of level 1 to 9 (Heading 1 opens a chapter).
    Heading(u8),
    /// The document's title (Word's Title style).
    Title,
    /// The subtitle.
    Subtitle,
    /// An author line (pandoc writes one).
    Author,
    /// A date line (pandoc writes one).
    Date,
    /// A block quotation.
    Quote,
    /// A caption under an image or table.
    Caption,
    /// Preformatted text.
    Code,
    /// An entry or heading of a table of contents.
    Contents,
}

/// Run formatting a style or a run's own properties set; `None` leaves it as inherited.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RunProps {
    /// Italic.
    pub italic: Option<bool>,
    /// Bold.
    pub bold: Option<bool>,
    /// Small capitals.
    pub small_caps: Option<bool>,
    /// Struck through.
    pub strike: Option<bool>,
    /// `superscript` or `subscript` (`w:vertAlign`).
    pub vert: Option<Vert>,
    /// Verbatim (a code character style or a monospaced font).
    pub code: Option<bool>,
}

/// Vertical alignment of a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vert {
    /// On the baseline.
    Baseline,
    /// Raised.
    Super,
    /// Lowered.
    Sub,
}

impl RunProps {
    /// Reads the properties in `rPr`.
    pub fn read(rpr: Node<'_, '_>) -> Self {
        // `w:vertAlign`, else a raised or lowered baseline (`w:position`, in half
        // points), which is how LibreOffice saves a superscript typed in HTML.
        let position = child_val(rpr, "position").and_then(|v| v.parse::<i32>().ok());
        let vert = child_val(rpr, "vertAlign")
            .map(|v| match v {
                "superscript" => Vert::Super,
                "subscript" => Vert::Sub,
                _ => Vert::Baseline,
            })
            .or(match position {
                Some(p) if p > 0 => Some(Vert::Super),
                Some(p) if p < 0 => Some(Vert::Sub),
                _ => None,
            });
        let mono = child(rpr, "rFonts").and_then(|f| attr(f, "ascii")).map(is_monospace);
        RunProps {
            italic: toggle(rpr, "i"),
            bold: toggle(rpr, "b"),
            small_caps: toggle(rpr, "smallCaps"),
            strike: toggle(rpr, "strike").or(toggle(rpr, "dstrike")),
            vert,
            code: mono.filter(|m| *m),
        }
    }

    /// `self`, with what it leaves unset taken from `base`.
    pub fn over(self, base: RunProps) -> RunProps {
        RunProps {
            italic: self.italic.or(base.italic),
            bold: self.bold.or(base.bold),
            small_caps: self.small_caps.or(base.small_caps),
            strike: self.strike.or(base.strike),
            vert: self.vert.or(base.vert),
            code: self.code.or(base.code),
        }
    }
}

/// Font names that mark text as code.
fn is_monospace(font: &str) -> bool {
    let f = font.to_ascii_lowercase();
    ["courier", "consolas", "menlo", "monaco", "mono", "lucida console", "source code"]
        .iter()
        .any(|m| f.contains(m))
}

/// A list reference: which numbering and which level (0-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRef {
    /// `w:numId`; `"0"` means "no list".
    pub num_id: String,
    /// `w:ilvl`, 0 to 8.
    pub level: u8,
}

/// Paragraph properties a style or a paragraph sets; `None` leaves them inherited.
#[derive(Debug, Clone, Default)]
pub struct ParaProps {
    /// Its list, if numbered.
    pub list: Option<ListRef>,
    /// Centred (`w:jc` center).
    pub centered: Option<bool>,
    /// Left indent in twentieths of a point.
    pub indent: Option<i64>,
    /// Starts on a new page.
    pub page_break_before: Option<bool>,
    /// Outline level 0–8 (0 is a Heading 1).
    pub outline: Option<u8>,
}

impl ParaProps {
    /// Reads the properties in `pPr`.
    pub fn read(ppr: Node<'_, '_>) -> Self {
        let list = child(ppr, "numPr").and_then(|n| {
            let num_id = child_val(n, "numId")?.to_string();
            let level = child_val(n, "ilvl").and_then(|l| l.parse().ok()).unwrap_or(0u8);
            Some(ListRef { num_id, level: level.min(8) })
        });
        let centered = child_val(ppr, "jc").map(|v| v == "center");
        let indent = child(ppr, "ind").and_then(|i| {
            attr(i, "left").or_else(|| attr(i, "start")).and_then(|v| v.parse().ok())
        });
        ParaProps {
            list,
            centered,
            indent,
            page_break_before: toggle(ppr, "pageBreakBefore"),
            outline: child_val(ppr, "outlineLvl").and_then(|v| v.parse().ok()),
        }
    }

    /// `self`, with what it leaves unset taken from `base`.
    fn over(&self, base: &ParaProps) -> ParaProps {
        ParaProps {
            list: self.list.clone().or_else(|| base.list.clone()),
            centered: self.centered.or(base.centered),
            indent: self.indent.or(base.indent),
            page_break_before: self.page_break_before.or(base.page_break_before),
            outline: self.outline.or(base.outline),
        }
    }
}

/// One style, as written.
#[derive(Debug, Clone, Default)]
struct RawStyle {
    name: String,
    based_on: Option<String>,
    para: ParaProps,
    run: RunProps,
}

/// A paragraph style with its inheritance resolved.
#[derive(Debug, Clone)]
pub struct ParaStyle {
    /// The style's display name.
    pub name: String,
    /// What it means; `None` when neither it nor a style it is based on is known.
    pub role: Option<Role>,
    /// Its paragraph properties, inherited ones included.
    pub para: ParaProps,
}

/// The document's styles.
#[derive(Debug, Clone, Default)]
pub struct Styles {
    paragraph: BTreeMap<String, RawStyle>,
    character: BTreeMap<String, RawStyle>,
    /// The id of the default paragraph style (`Normal`).
    default_paragraph: Option<String>,
    /// The document's default language (`w:docDefaults` … `w:lang`), e.g. `en-US`.
    pub language: Option<String>,
}

/// The most `basedOn` links followed: a loop or an absurd chain stops here.
const MAX_CHAIN: usize = 32;

impl Styles {
    /// Reads `styles.xml` (its text, or `None` when the package has none).
    pub fn read(text: Option<&str>, part: &str) -> Result<Self, PackageError> {
        let mut styles = Styles::default();
        let Some(text) = text else { return Ok(styles) };
        let doc = xml::parse(text, part)?;
        styles.language = child(doc.root_element(), "docDefaults")
            .and_then(|d| d.descendants().find(|n| is_w(*n, "lang")))
            .and_then(|l| attr(l, "val"))
            .map(str::to_string);
        for node in doc.root_element().children().filter(|n| is_w(*n, "style")) {
            let Some(id) = attr(node, "styleId") else { continue };
            let raw = RawStyle {
                name: child_val(node, "name").unwrap_or(id).to_string(),
                based_on: child_val(node, "basedOn").map(str::to_string),
                para: child(node, "pPr").map(ParaProps::read).unwrap_or_default(),
                run: child(node, "rPr").map(RunProps::read).unwrap_or_default(),
            };
            match attr(node, "type") {
                Some("character") => {
                    styles.character.insert(id.to_string(), raw);
                }
                Some("paragraph") | None => {
                    if attr(node, "default").is_some_and(|d| d == "1" || d == "true") {
                        styles.default_paragraph = Some(id.to_string());
                    }
                    styles.paragraph.insert(id.to_string(), raw);
                }
                Some(_) => {}
            }
        }
        Ok(styles)
    }

    /// The paragraph style `id` (or the default style), resolved.
    pub fn paragraph(&self, id: Option<&str>) -> ParaStyle {
        let id = id.or(self.default_paragraph.as_deref());
        let mut name = None;
        let mut role = None;
        let mut para = ParaProps::default();
        let mut next = id.map(str::to_string);
        for _ in 0..MAX_CHAIN {
            let Some(current) = next.take() else { break };
            let Some(raw) = self.paragraph.get(&current) else {
                // A style id with no definition: judge it by the id itself.
                name.get_or_insert_with(|| current.clone());
                role = role.or_else(|| role_of(&current));
                break;
            };
            name.get_or_insert_with(|| raw.name.clone());
            role = role.or_else(|| role_of(&raw.name)).or_else(|| role_of(&current));
            para = para.over(&raw.para);
            next = raw.based_on.clone();
        }
        if role.is_none()
            && let Some(level) = para.outline.filter(|l| *l < 9)
        {
            role = Some(Role::Heading(level + 1));
        }
        ParaStyle { name: name.unwrap_or_else(|| "Normal".into()), role, para }
    }

    /// The run properties character style `id` gives, inheritance included.
    pub fn character(&self, id: &str) -> RunProps {
        let mut props = RunProps::default();
        let mut next = Some(id.to_string());
        for _ in 0..MAX_CHAIN {
            let Some(current) = next.take() else { break };
            let Some(raw) = self.character.get(&current) else {
                // pandoc and others name code spans by style: take a code name as code.
                if is_code_style(&current) {
                    props.code = props.code.or(Some(true));
                }
                break;
            };
            let mut own = raw.run;
            if is_code_style(&raw.name) {
                own.code = Some(true);
            }
            props = props.over(own);
            next = raw.based_on.clone();
        }
        props
    }
}

/// Character style names that mean code.
fn is_code_style(name: &str) -> bool {
    let n = normalise(name);
    n.contains("verbatim") || n == "code" || n.contains("sourcecode") || n == "htmlcode"
}

/// A style name without case, spaces, hyphens or underscores.
fn normalise(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The meaning of a style name, for the names Word, LibreOffice, Google Docs, Scrivener
/// and pandoc use; `None` for a name not known.
pub fn role_of(name: &str) -> Option<Role> {
    let n = normalise(name);
    if let Some(level) = n.strip_prefix("heading").and_then(|l| l.parse::<u8>().ok()) {
        return Some(Role::Heading(level.clamp(1, 9)));
    }
    if let Some(rest) = n.strip_prefix("toc").or_else(|| n.strip_prefix("contents"))
        && (rest.is_empty() || rest == "heading" || rest.parse::<u8>().is_ok())
    {
        return Some(Role::Contents);
    }
    Some(match n.as_str() {
        "title" => Role::Title,
        "subtitle" => Role::Subtitle,
        "author" => Role::Author,
        "date" => Role::Date,
        "chaptertitle" | "chapterheading" | "chapter" => Role::Heading(1),
        "quote" | "intensequote" | "blocktext" | "blockquote" | "quotation"
        | "quotations" | "extract" => Role::Quote,
        "caption" | "imagecaption" | "tablecaption" | "figurecaption" => Role::Caption,
        "sourcecode" | "htmlpreformatted" | "preformattedtext" | "code" | "plaintext" => {
            Role::Code
        }
        "normal"
        | "default"
        | "standard"
        | "defaultparagraphstyle"
        | "bodytext"
        | "bodytext2"
        | "bodytext3"
        | "textbody"
        | "firstparagraph"
        | "compact"
        | "bodytextfirstindent"
        | "bodytextindent"
        | "nospacing"
        | "normalweb"
        | "listparagraph"
        | "list"
        | "listbullet"
        | "listbullet2"
        | "listbullet3"
        | "listnumber"
        | "listnumber2"
        | "listnumber3"
        | "listcontinue"
        | "footnotetext"
        | "endnotetext"
        | "footnote"
        | "endnote"
        | "figure"
        | "captionedfigure"
        | "abstract"
        | "bibliography"
        | "definition"
        | "definitionterm"
        | "tablecontents"
        | "tableheading"
        | "framecontents"
        | "header"
        | "footer"
        | "index"
        | "signature"
        | "closing"
        | "salutation" => Role::Body,
        _ => return None,
    })
}

/// One level of a list's numbering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Level {
    /// Numbered (decimal, letters, roman…) rather than bulleted.
    pub ordered: bool,
    /// The first number.
    pub start: u64,
}

/// The document's list definitions (`numbering.xml`).
#[derive(Debug, Clone, Default)]
pub struct Numbering {
    /// `numId` → (`abstractNumId`, start overrides by level).
    nums: BTreeMap<String, (String, BTreeMap<u8, u64>)>,
    /// `abstractNumId` → levels.
    abstracts: BTreeMap<String, BTreeMap<u8, Level>>,
}

impl Numbering {
    /// Reads `numbering.xml` (its text, or `None` when the package has none).
    pub fn read(text: Option<&str>, part: &str) -> Result<Self, PackageError> {
        let mut numbering = Numbering::default();
        let Some(text) = text else { return Ok(numbering) };
        let doc = xml::parse(text, part)?;
        for node in doc.root_element().children() {
            if is_w(node, "abstractNum") {
                let Some(id) = attr(node, "abstractNumId") else { continue };
                let mut levels = BTreeMap::new();
                for lvl in node.children().filter(|n| is_w(*n, "lvl")) {
                    let Some(ilvl) = attr(lvl, "ilvl").and_then(|v| v.parse().ok())
                    else {
                        continue;
                    };
                    let format = child_val(lvl, "numFmt").unwrap_or("decimal");
                    let start =
                        child_val(lvl, "start").and_then(|v| v.parse().ok()).unwrap_or(1);
                    let ordered = !matches!(format, "bullet" | "none" | "");
                    levels.insert(ilvl, Level { ordered, start });
                }
                numbering.abstracts.insert(id.to_string(), levels);
            } else if is_w(node, "num") {
                let (Some(id), Some(abs)) =
                    (attr(node, "numId"), child_val(node, "abstractNumId"))
                else {
                    continue;
                };
                let mut overrides = BTreeMap::new();
                for o in node.children().filter(|n| is_w(*n, "lvlOverride")) {
                    if let (Some(ilvl), Some(start)) = (
                        attr(o, "ilvl").and_then(|v| v.parse().ok()),
                        child_val(o, "startOverride").and_then(|v| v.parse().ok()),
                    ) {
                        overrides.insert(ilvl, start);
                    }
                }
                numbering.nums.insert(id.to_string(), (abs.to_string(), overrides));
            }
        }
        Ok(numbering)
    }

    /// The abstract numbering list `num_id` is an instance of. Instances of one abstract
    /// list count on together (Word's and LibreOffice's reading), unless one restarts.
    pub fn abstract_of(&self, num_id: &str) -> Option<&str> {
        self.nums.get(num_id).map(|(abs, _)| abs.as_str())
    }

    /// Whether list `num_id` restarts its numbering at `level` (a start override).
    pub fn restarts(&self, num_id: &str, level: u8) -> bool {
        self.nums.get(num_id).is_some_and(|(_, overrides)| overrides.contains_key(&level))
    }

    /// Level `level` of list `num_id`; `None` when the list is not defined (a paragraph
    /// that then is not a list item).
    pub fn level(&self, num_id: &str, level: u8) -> Option<Level> {
        let (abs, overrides) = self.nums.get(num_id)?;
        let mut found = self
            .abstracts
            .get(abs)?
            .get(&level)
            .copied()
            .unwrap_or(Level { ordered: false, start: 1 });
        if let Some(start) = overrides.get(&level) {
            found.start = *start;
        }
        Some(found)
    }
}

#[cfg(test)]
mod tests {
    use super::{Role, role_of};

    #[test]
    fn style_names_of_word_libreoffice_and_pandoc_are_known() {
        assert_eq!(role_of("heading 1"), Some(Role::Heading(1)));
        assert_eq!(role_of("Heading2"), Some(Role::Heading(2)));
        assert_eq!(role_of("Intense Quote"), Some(Role::Quote));
        assert_eq!(role_of("Quotations"), Some(Role::Quote));
        assert_eq!(role_of("Block Text"), Some(Role::Quote));
        assert_eq!(role_of("Text Body"), Some(Role::Body));
        assert_eq!(role_of("TOC 2"), Some(Role::Contents));
        assert_eq!(role_of("Image Caption"), Some(Role::Caption));
        assert_eq!(role_of("Fancy Thing"), None);
    }
}
