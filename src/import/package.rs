//! The DOCX package: a zip archive of XML parts and media, opened with limits so that a
//! hostile file cannot exhaust memory, plus the relationship files (`_rels/*.rels`) that
//! tie the parts together.
//!
//! First phase of `quire import`: every later phase asks this one for a part by name and
//! gets bytes that were counted while they were inflated. The sizes a zip's headers
//! declare are never trusted: a part is read through a byte budget, so a "zip bomb"
//! (kilobytes that inflate to gigabytes) stops at the cap with an error instead.

use super::xml;
use std::collections::BTreeMap;
use std::io::{Cursor, Read};

/// The largest .docx file read at all (the compressed file on disk).
pub const MAX_FILE_BYTES: u64 = 256 * 1024 * 1024;

/// The most one part may inflate to: generous for a photo or a long book's XML (a
/// 100,000-word document is about 10 MB of XML), far below what would hurt.
pub const MAX_PART_BYTES: u64 = 128 * 1024 * 1024;

/// The most all parts read together may inflate to.
pub const MAX_TOTAL_BYTES: u64 = 512 * 1024 * 1024;

/// The most entries a package may list; Word writes a few dozen.
const MAX_ENTRIES: usize = 100_000;

/// A refusal or failure while reading the package: a message for the user, naming the
/// part when there is one.
#[derive(Debug)]
pub struct PackageError {
    /// The part at fault (`word/document.xml`), if the problem is in one.
    pub part: Option<String>,
    /// What is wrong, in lower case.
    pub message: String,
}

impl PackageError {
    /// An error about the file as a whole.
    pub fn whole(message: impl Into<String>) -> Self {
        Self { part: None, message: message.into() }
    }

    /// An error about one part.
    pub fn part(part: &str, message: impl Into<String>) -> Self {
        Self { part: Some(part.to_string()), message: message.into() }
    }
}

/// An opened DOCX package.
pub struct Package {
    /// The archive, over the file's bytes.
    zip: zip::ZipArchive<Cursor<Vec<u8>>>,
    /// Entry index by lower-cased part name (OPC part names are case-insensitive).
    names: BTreeMap<String, usize>,
    /// Bytes inflated so far, against [`MAX_TOTAL_BYTES`].
    inflated: u64,
}

/// What kind of file `bytes` looks like, when it is not a zip archive: a sentence for the
/// error message that says what to do instead.
fn not_a_zip(bytes: &[u8]) -> String {
    const OLE: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.starts_with(OLE) {
        "is an old-style Word 97–2003 document (.doc) or an encrypted file, not a .docx: \
         open it in Word or LibreOffice, remove any password, and save it as \
         \"Word Document (.docx)\""
            .into()
    } else if bytes.starts_with(b"{\\rtf") {
        "is an RTF file, not a .docx: open it in Word or LibreOffice and save it as \
         \"Word Document (.docx)\""
            .into()
    } else if bytes.is_empty() {
        "is empty, not a Word document".into()
    } else {
        "is not a Word document (.docx): it is not a zip archive".into()
    }
}

impl Package {
    /// Opens the package held in `bytes` (the whole .docx file).
    pub fn open(bytes: Vec<u8>) -> Result<Self, PackageError> {
        if !bytes.starts_with(b"PK") {
            return Err(PackageError::whole(not_a_zip(&bytes)));
        }
        let zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
            PackageError::whole(format!("is not a readable zip archive ({e})"))
        })?;
        if zip.len() > MAX_ENTRIES {
            return Err(PackageError::whole(format!(
                "lists {} entries; a Word document has a few dozen, and more than {MAX_ENTRIES} \
                 are refused",
                zip.len()
            )));
        }
        let mut package = Package { zip, names: BTreeMap::new(), inflated: 0 };
        package.reindex();
        Ok(package)
    }

    /// Rebuilds the name index from the archive's entries, lower-casing names.
    fn reindex(&mut self) {
        let mut names = BTreeMap::new();
        for index in 0..self.zip.len() {
            if let Some(name) = self.zip.name_for_index(index) {
                names.entry(name.trim_start_matches('/').to_lowercase()).or_insert(index);
            }
        }
        self.names = names;
    }

    /// Whether the package has the part `name`.
    pub fn has(&self, name: &str) -> bool {
        self.names.contains_key(&name.to_lowercase())
    }

    /// The bytes of part `name`, or `None` when the package has no such part. Inflation is
    /// counted as it happens: past [`MAX_PART_BYTES`] for the part or
    /// [`MAX_TOTAL_BYTES`] for the package it stops with an error.
    pub fn read(&mut self, name: &str) -> Result<Option<Vec<u8>>, PackageError> {
        let Some(&index) = self.names.get(&name.to_lowercase()) else {
            return Ok(None);
        };
        let mut entry = self
            .zip
            .by_index(index)
            .map_err(|e| PackageError::part(name, format!("cannot be read ({e})")))?;
        let budget = MAX_PART_BYTES.min(MAX_TOTAL_BYTES - self.inflated);
        let mut bytes = Vec::new();
        let mut buf = [0u8; 64 * 1024];
        loop {
            let n = entry.read(&mut buf).map_err(|e| {
                PackageError::part(name, format!("cannot be inflated ({e})"))
            })?;
            if n == 0 {
                break;
            }
            if bytes.len() as u64 + n as u64 > budget {
                return Err(PackageError::part(
                    name,
                    format!(
                        "inflates to more than {} MB; refused as a possible zip bomb \
                         (a part may hold at most {} MB, the whole document {} MB)",
                        budget / (1024 * 1024),
                        MAX_PART_BYTES / (1024 * 1024),
                        MAX_TOTAL_BYTES / (1024 * 1024)
                    ),
                ));
            }
            bytes.extend_from_slice(&buf[..n]);
        }
        self.inflated += bytes.len() as u64;
        Ok(Some(bytes))
    }

    /// Part `name` as text, for XML parts: UTF-8 with or without a byte-order mark.
    pub fn text(&mut self, name: &str) -> Result<Option<String>, PackageError> {
        let Some(bytes) = self.read(name)? else { return Ok(None) };
        let bytes =
            bytes.strip_prefix(b"\xEF\xBB\xBF").map(<[u8]>::to_vec).unwrap_or(bytes);
        String::from_utf8(bytes)
            .map(Some)
            .map_err(|_| PackageError::part(name, "is not UTF-8 text"))
    }

    /// The relationships of part `source` (from `dir/_rels/name.rels`); empty when it has
    /// none.
    pub fn relationships(&mut self, source: &str) -> Result<Relationships, PackageError> {
        let (dir, file) = match source.rfind('/') {
            Some(i) => (&source[..i + 1], &source[i + 1..]),
            None => ("", source),
        };
        let rels_name = format!("{dir}_rels/{file}.rels");
        let Some(text) = self.text(&rels_name)? else {
            return Ok(Relationships::default());
        };
        let doc = xml::parse(&text, &rels_name)?;
        let mut rels = Relationships::default();
        for node in doc
            .root_element()
            .children()
            .filter(|n| n.has_tag_name((xml::REL, "Relationship")))
        {
            let (Some(id), Some(target)) =
                (node.attribute("Id"), node.attribute("Target"))
            else {
                continue;
            };
            let kind = node.attribute("Type").unwrap_or("");
            let kind = kind.rsplit('/').next().unwrap_or("").to_string();
            let target = if node.attribute("TargetMode") == Some("External") {
                Target::External(target.to_string())
            } else {
                match resolve(dir, target) {
                    Some(part) => Target::Part(part),
                    None => Target::Outside(target.to_string()),
                }
            };
            rels.by_id.insert(id.to_string(), Relationship { kind, target });
        }
        Ok(rels)
    }
}

/// Where a relationship points.
#[derive(Debug, Clone, PartialEq)]
pub enum Target {
    /// A part of this package, by its normalised name (`word/media/image1.png`).
    Part(String),
    /// Something outside the package (a web address, a linked file), never fetched.
    External(String),
    /// An internal target whose path leaves the package (`../../etc/x`): refused.
    Outside(String),
}

/// One relationship.
#[derive(Debug, Clone)]
pub struct Relationship {
    /// The last segment of its type URI: `image`, `hyperlink`, `footnotes`, `styles`…
    pub kind: String,
    /// What it points at.
    pub target: Target,
}

/// The relationships of one part, by id (`rId7`).
#[derive(Debug, Clone, Default)]
pub struct Relationships {
    /// By id.
    pub by_id: BTreeMap<String, Relationship>,
}

impl Relationships {
    /// The relationship `id`.
    pub fn get(&self, id: &str) -> Option<&Relationship> {
        self.by_id.get(id)
    }

    /// The part the first relationship of type `kind` points to.
    pub fn part_of_kind(&self, kind: &str) -> Option<&str> {
        self.by_id.values().find_map(|r| match (&r.target, r.kind == kind) {
            (Target::Part(p), true) => Some(p.as_str()),
            _ => None,
        })
    }
}

/// The part name `target` names, relative to the folder `dir` of the part that refers to
/// it (`word/` + `media/a.png`, or `/word/media/a.png` from the root); percent-escapes
/// decoded. `None` when the path climbs out of the package.
pub fn resolve(dir: &str, target: &str) -> Option<String> {
    let target = percent_decode(target);
    let (mut segments, rest): (Vec<&str>, &str) = match target.strip_prefix('/') {
        Some(rest) => (Vec::new(), rest),
        None => (dir.split('/').filter(|s| !s.is_empty()).collect(), target.as_str()),
    };
    for segment in rest.split(['/', '\\']) {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop()?;
            }
            s => segments.push(s),
        }
    }
    (!segments.is_empty()).then(|| segments.join("/"))
}

/// `%20` and the like decoded; a malformed escape is kept as written.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(hex) = std::str::from_utf8(&bytes[i + 1..i + 3])
            && let Ok(v) = u8::from_str_radix(hex, 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::resolve;

    #[test]
    fn targets_resolve_inside_the_package_or_not_at_all() {
        assert_eq!(resolve("word/", "media/a.png").as_deref(), Some("word/media/a.png"));
        assert_eq!(resolve("word/", "../media/a.png").as_deref(), Some("media/a.png"));
        assert_eq!(
            resolve("word/", "/word/media/a.png").as_deref(),
            Some("word/media/a.png")
        );
        assert_eq!(
            resolve("word/", "media/a%20b.png").as_deref(),
            Some("word/media/a b.png")
        );
        assert_eq!(resolve("word/", "../../x"), None);
        assert_eq!(resolve("word/", "../../../etc/passwd"), None);
        assert_eq!(resolve("word/", "..\\..\\x"), None);
    }
}
