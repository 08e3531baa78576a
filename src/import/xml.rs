//! XML reading for `quire import`: the parser options (no DTD, so no entity is ever
//! expanded or fetched; a cap on nodes), the namespaces WordprocessingML uses, and small
//! helpers to ask a node for a `w:` child or attribute.
//!
//! roxmltree was picked over quick-xml because every phase asks tree questions (a run's
//! properties, a drawing's description, a hyperlink's runs) that a tree answers directly;
//! it is already in the lock file, has no dependencies and no unsafe code, and parses a
//! 100,000-word document's XML in a few milliseconds (BENCHMARKS.md).

use super::package::PackageError;
use roxmltree::{Document, Node, ParsingOptions};

/// WordprocessingML (transitional, as Word, LibreOffice and pandoc write it).
pub const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
/// WordprocessingML in the strict flavour of ISO 29500.
pub const W_STRICT: &str = "http://purl.oclc.org/ooxml/wordprocessingml/main";
/// Relationship references (`r:id`, `r:embed`).
pub const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
/// The same, strict flavour.
pub const R_STRICT: &str = "http://purl.oclc.org/ooxml/officeDocument/relationships";
/// Package relationships (`_rels/*.rels`).
pub const REL: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
/// Word drawing placement (`wp:docPr`).
pub const WP: &str =
    "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing";
/// DrawingML (`a:blip`).
pub const A: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
/// Markup compatibility (`mc:AlternateContent`).
pub const MC: &str = "http://schemas.openxmlformats.org/markup-compatibility/2006";
/// VML (`v:imagedata`, `v:rect` for horizontal rules).
pub const V: &str = "urn:schemas-microsoft-com:vml";
/// Office VML extensions (`o:hr`).
pub const O: &str = "urn:schemas-microsoft-com:office:office";
/// Dublin Core, in `docProps/core.xml`.
pub const DC: &str = "http://purl.org/dc/elements/1.1/";

/// The most nodes one part may have. A 100,000-word book is a few hundred thousand.
const MAX_NODES: u32 = 8_000_000;

/// Parses `text`, part `part` of the package, refusing DTDs (and so every entity
/// declaration: nothing is expanded, nothing external is fetched).
pub fn parse<'a>(text: &'a str, part: &str) -> Result<Document<'a>, PackageError> {
    let options =
        ParsingOptions { allow_dtd: false, nodes_limit: MAX_NODES, ..Default::default() };
    Document::parse_with_options(text, options).map_err(|e| {
        let message = match e {
            roxmltree::Error::DtdDetected => {
                "declares a DTD (<!DOCTYPE>), which no Word document has; refused, and no \
                 entity in it was expanded or fetched"
                    .to_string()
            }
            roxmltree::Error::NodesLimitReached => {
                format!("has more than {MAX_NODES} XML nodes; refused")
            }
            roxmltree::Error::EntityReferenceLoop(_) => {
                "has entity references that refer to themselves; refused".to_string()
            }
            other => format!("is not well-formed XML ({other})"),
        };
        PackageError::part(part, message)
    })
}

/// Whether `node` is the WordprocessingML element `name`.
pub fn is_w(node: Node<'_, '_>, name: &str) -> bool {
    node.is_element()
        && node.tag_name().name() == name
        && matches!(node.tag_name().namespace(), Some(W) | Some(W_STRICT))
}

/// The first `w:name` child of `node`.
pub fn child<'a, 'i>(node: Node<'a, 'i>, name: &str) -> Option<Node<'a, 'i>> {
    node.children().find(|c| is_w(*c, name))
}

/// Attribute `w:name` of `node`.
pub fn attr<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attribute((W, name)).or_else(|| node.attribute((W_STRICT, name)))
}

/// Attribute `r:name` of `node` (a relationship id).
pub fn rel_attr<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    node.attribute((R, name)).or_else(|| node.attribute((R_STRICT, name)))
}

/// `w:val` of the child `w:name`, if the child is there.
pub fn child_val<'a>(node: Node<'a, '_>, name: &str) -> Option<&'a str> {
    child(node, name).map(|c| attr(c, "val").unwrap_or(""))
}

/// An on/off property (`<w:b/>`, `<w:b w:val="0"/>`): `None` when absent.
pub fn toggle(node: Node<'_, '_>, name: &str) -> Option<bool> {
    let c = child(node, name)?;
    Some(!matches!(attr(c, "val"), Some("0" | "false" | "off" | "none")))
}

/// The text content of `node` and its descendants (for core properties).
pub fn text_of(node: Node<'_, '_>) -> String {
    node.descendants().filter(|n| n.is_text()).filter_map(|n| n.text()).collect()
}
