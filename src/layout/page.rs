//! The finished layout: pages of positioned glyph runs, rules, tints, images and links, plus the
//! document-level facts a PDF needs (outline, page labels, metadata). Coordinates are in
//! points from the top-left corner of the media box, y growing downwards; the PDF writer
//! flips them.

use super::units::Pt;
use crate::text::font::FontId;

/// A laid-out document, ready to draw.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// The pages in order.
    pub pages: Vec<Page>,
    /// Bookmarks: front-matter parts and essays (with optional children).
    pub outline: Vec<OutlineEntry>,
    /// Page numbering styles, by the first page index each applies from.
    pub page_labels: Vec<PageLabel>,
    /// Title, author and the other document information.
    pub meta: DocumentMeta,
    /// The images drawn by [`PageItem::Image`], by index.
    pub images: Vec<ImageData>,
    /// Write bookmarks and link annotations (false for the KDP profile, which rejects them).
    pub navigation: bool,
    /// Embed fonts whole instead of subsetting them.
    pub full_fonts: bool,
    /// Fillable text fields (a handout's answers), drawn by nothing: the page looks the
    /// same with or without them.
    pub fields: Vec<FormField>,
}

/// A multi-line text field a reader can type into and save (a PDF AcroForm field).
#[derive(Debug, Clone, PartialEq)]
pub struct FormField {
    /// 0-based page index.
    pub page: usize,
    /// The area the typed text fills.
    pub rect: Rect,
    /// The field's name, unique in its document (`fear-of-conflict-question-2`).
    pub name: String,
    /// What a reader (or a screen reader) is told the field is for: the question.
    pub label: String,
}

/// One page.
#[derive(Debug, Clone, Default)]
pub struct Page {
    /// The media box: the trimmed page plus any bleed.
    pub width: Pt,
    /// Height of the media box.
    pub height: Pt,
    /// The trim box inside the media box: x, y (top-left), width, height.
    pub trim: Rect,
    /// What is drawn on the page, in drawing order.
    pub items: Vec<PageItem>,
}

/// A rectangle: top-left corner and size.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Rect {
    /// Left edge.
    pub x: Pt,
    /// Top edge.
    pub y: Pt,
    /// Width.
    pub width: Pt,
    /// Height.
    pub height: Pt,
}

/// Something drawn on a page.
#[derive(Debug, Clone, PartialEq)]
pub enum PageItem {
    /// Shaped glyphs on one baseline.
    Text(TextRun),
    /// A straight line (footnote rule, writing lines on handouts).
    Rule {
        /// Start point x.
        x1: Pt,
        /// Start point y.
        y1: Pt,
        /// End point x.
        x2: Pt,
        /// End point y.
        y2: Pt,
        /// Stroke width.
        thickness: Pt,
    },
    /// A rectangle filled with a grey, drawn beneath what comes after it on the page (the
    /// light tint behind a code block).
    Fill {
        /// The area.
        rect: Rect,
        /// The grey: 0 black, 1 white.
        gray: f64,
    },
    /// An image scaled into a rectangle.
    Image {
        /// Index into [`Document::images`].
        image: usize,
        /// Where it goes.
        rect: Rect,
    },
    /// A rectangle filled with a colour (a cover's ground, its frame rules, the barcode
    /// area).
    Paint {
        /// The area.
        rect: Rect,
        /// The colour.
        colour: Rgb,
    },
    /// Text in a colour other than black; with `turned`, turned a quarter turn clockwise
    /// about its origin, so that it reads from top to bottom (a spine's title).
    Coloured {
        /// The glyphs; when turned, `run.x`, `run.y` is the top end of the baseline.
        run: TextRun,
        /// The colour.
        colour: Rgb,
        /// Turned a quarter turn clockwise.
        turned: bool,
    },
    /// An image scaled into `rect` and shown only inside `clip` (a cover image cropped to
    /// its panel).
    Clipped {
        /// Index into [`Document::images`].
        image: usize,
        /// Where the whole image goes.
        rect: Rect,
        /// The part of the page it may show in.
        clip: Rect,
    },
    /// A clickable area that goes to another page (contents entries).
    Link {
        /// The area.
        rect: Rect,
        /// 0-based index of the target page.
        page: usize,
    },
}

/// A colour in sRGB, 8 bits a channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// White.
    pub const WHITE: Rgb = Rgb(255, 255, 255);

    /// Parses `#rrggbb` or `#rgb`.
    pub fn parse(text: &str) -> Option<Rgb> {
        let hex = text.strip_prefix('#')?;
        if !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        let channel = |s: &str| u8::from_str_radix(s, 16).ok();
        match hex.len() {
            6 => Some(Rgb(
                channel(&hex[0..2])?,
                channel(&hex[2..4])?,
                channel(&hex[4..6])?,
            )),
            3 => {
                let short = |i: usize| channel(&hex[i..=i]).map(|v| v * 17);
                Some(Rgb(short(0)?, short(1)?, short(2)?))
            }
            _ => None,
        }
    }

    /// The channels from 0 to 1, as PDF's `rg` operator takes them.
    pub fn unit(self) -> [f64; 3] {
        [self.0, self.1, self.2].map(|c| f64::from(c) / 255.0)
    }
}

/// A run of glyphs of one face and size, starting at a point on the baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    /// Left end of the baseline.
    pub x: Pt,
    /// The baseline.
    pub y: Pt,
    /// The face.
    pub font: FontId,
    /// Type size.
    pub size: Pt,
    /// The glyphs, each advancing by its shaped advance times `stretch`.
    pub glyphs: Vec<Glyph>,
    /// Horizontal scale of the glyphs and their advances (font expansion): 1 as
    /// designed, 1.01 one per cent wider. A justified line's scale comes from its
    /// adjustment ratio.
    pub stretch: f64,
    /// The text the glyphs show, for ToUnicode / copy and paste.
    pub text: String,
    /// The cross-reference the run belongs to (`slug` or `slug#anchor`), made a link to
    /// its target's page once pages are known; `None` for ordinary text.
    pub link: Option<std::sync::Arc<str>>,
}

/// One glyph of a [`TextRun`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Glyph {
    /// Glyph id in the face.
    pub id: u16,
    /// Shaped advance in font units (kerning included), which may differ from the
    /// font's nominal `hmtx` advance.
    pub advance: i32,
    /// Byte range of `TextRun::text` this glyph starts; empty for the second and later
    /// glyphs of a cluster. A ligature's range covers all its characters ("ffi").
    pub text: (u32, u32),
}

/// A bookmark.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineEntry {
    /// What the reader sees.
    pub title: String,
    /// 0-based index of the page it opens.
    pub page: usize,
    /// Nested entries.
    pub children: Vec<OutlineEntry>,
}

/// A page numbering range (PDF `/PageLabels`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageLabel {
    /// 0-based index of the first page it applies to.
    pub from_page: usize,
    /// How numbers are written.
    pub style: LabelStyle,
    /// The number of that first page.
    pub first: u32,
}

/// Numbering style of a [`PageLabel`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelStyle {
    /// i, ii, iii…
    LowerRoman,
    /// 1, 2, 3…
    Decimal,
}

/// Document information.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocumentMeta {
    /// Title.
    pub title: String,
    /// Author.
    pub author: String,
    /// Subject line (the subtitle or description).
    pub subject: String,
    /// Keywords.
    pub keywords: Vec<String>,
    /// BCP 47 language tag, written as the catalog's `/Lang`.
    pub language: String,
    /// `YYYY-MM-DD`: creation and modification dates (never the clock).
    pub date: String,
    /// The book's identifier, hashed into the trailer `/ID`.
    pub identifier: String,
}

/// An image file's bytes (PNG or JPEG) and pixel size.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageData {
    /// The file.
    pub bytes: Vec<u8>,
    /// Width and height in pixels.
    pub pixels: (u32, u32),
}

/// The label a PDF viewer shows for page `page` (0-based) under `labels`, the ranges the
/// PDF's `/PageLabels` is written from: the range that starts last at or before the page
/// (of two starting on the same page, the first given, as in the PDF), its number counted
/// on from `first`. Empty when no range covers the page, as a viewer shows none.
pub fn page_label(labels: &[PageLabel], page: usize) -> String {
    let mut range: Option<&PageLabel> = None;
    for label in labels.iter().filter(|l| l.from_page <= page) {
        match range {
            Some(r) if r.from_page >= label.from_page => {}
            _ => range = Some(label),
        }
    }
    let Some(range) = range else { return String::new() };
    let n = (page - range.from_page).saturating_add(range.first as usize);
    match range.style {
        LabelStyle::LowerRoman => crate::layout::book::roman(n),
        LabelStyle::Decimal => n.to_string(),
    }
}

#[cfg(test)]
mod label_tests {
    use super::{LabelStyle, PageLabel, page_label};

    #[test]
    fn labels_follow_the_ranges() {
        let labels = [
            PageLabel { from_page: 0, style: LabelStyle::LowerRoman, first: 1 },
            PageLabel { from_page: 12, style: LabelStyle::Decimal, first: 1 },
            PageLabel { from_page: 12, style: LabelStyle::LowerRoman, first: 5 },
        ];
        assert_eq!(page_label(&labels, 0), "i");
        assert_eq!(page_label(&labels, 11), "xii");
        assert_eq!(page_label(&labels, 12), "1");
        assert_eq!(page_label(&labels, 53), "42");
        let late = [PageLabel { from_page: 2, style: LabelStyle::Decimal, first: 7 }];
        assert_eq!(page_label(&late, 1), "");
        assert_eq!(page_label(&late, 3), "8");
    }
}
