//! Covers: the ebook's cover image and the paperback's one-piece wraparound cover.
//!
//! A book either brings its art (`[cover] image`) or gets a typographic cover drawn from
//! its title, subtitle and author. Either way the cover is decided once here and given to
//! two renderers:
//!
//! ```text
//! [cover] + book metadata ─┬─ image file ──────────────── checked against the stores ─┐
//!                          └─ design::front (vectors) ─┬─ raster::png ─────────────────┴─> EPUB cover
//!                                                      └─ wrap::document ─> pdf::render ──> <slug>-cover.pdf
//!                                  spine::Wrap (page count × paper) ─┘
//! ```
//!
//! The wraparound cover's width depends on the interior's page count, which the build
//! takes from the paperback it lays out in the same run, so the two never disagree.

pub mod design;
pub mod raster;
pub mod set;
pub mod spine;
pub mod wrap;

use crate::config::Config;
use crate::epub::CoverImage;
use crate::error::{Error, Location, Result, Warning};
use crate::image_header::{ImageFormat, ImageHeader};
use crate::layout::page::{DocumentMeta, ImageData, Rgb};
use crate::layout::units::{Pt, TrimSize};
use crate::model::Book;
use crate::text::font::FontSet;
use design::{Palette, Style, Words};
use spine::{Paper, Printer, Wrap};
use std::path::{Path, PathBuf};

/// The ebook cover's size when quire draws it: the stores' recommended 1600 × 2560.
pub const EBOOK_PIXELS: (u32, u32) = (1600, 2560);

/// The stores' recommendations for cover art (publishing.md): KDP and IngramSpark ask
/// for at least 1600 px on the short side and 2560 on the long one, Apple for at most 4
/// megapixels, KDP for under 50 MB (40 MB recommended for the print cover's file).
const RECOMMENDED_SHORT: u32 = 1600;
const RECOMMENDED_LONG: u32 = 2560;
const APPLE_MAX_PIXELS: u64 = 4_000_000;
/// The other stores' recommended 1600 × 2560 is 4.1 megapixels, just over Apple's
/// figure; quire draws its own covers at that size, so only images larger than it are
/// warned about.
const RECOMMENDED_PIXELS: u64 = RECOMMENDED_SHORT as u64 * RECOMMENDED_LONG as u64;
const MAX_BYTES: usize = 40 * 1024 * 1024;
/// The aspect ratio (long side over short) the stores show best, and how far from it an
/// image may be before it is cropped or letterboxed noticeably.
const ASPECT: f64 = 1.6;
const ASPECT_TOLERANCE: f64 = 0.1;

/// `[cover]` and the paper settings of `[print]`, resolved.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The typographic cover's style.
    pub style: Style,
    /// Its colours (the style's own unless `book.toml` gives them).
    pub palette: Palette,
    /// The cover art, when there is some: its path in the manuscript and where
    /// `book.toml` names it.
    pub image: Option<(PathBuf, Location)>,
    /// Keep a barcode box on the back.
    pub barcode: bool,
    /// The interior's paper.
    pub paper: Paper,
    /// The printer.
    pub printer: Printer,
}

impl Settings {
    /// The settings of a checked configuration.
    pub fn from_config(config: &Config) -> Settings {
        let c = &config.cover;
        let style = Style::parse(c.style.get_ref());
        let defaults = style.palette();
        let colour = |value: &Option<toml::Spanned<String>>, default: Rgb| {
            value.as_ref().and_then(|v| Rgb::parse(v.get_ref())).unwrap_or(default)
        };
        Settings {
            style,
            palette: Palette {
                background: colour(&c.background, defaults.background),
                foreground: colour(&c.foreground, defaults.foreground),
            },
            image: c
                .image
                .as_ref()
                .map(|i| (PathBuf::from(i.get_ref()), config.locate(i))),
            barcode: c.barcode,
            paper: Paper::parse(config.print.paper.get_ref()),
            printer: Printer::parse(config.print.printer.get_ref()),
        }
    }
}

/// The cover art's bytes and header, read through the manuscript's rules (inside the
/// folder, a regular file, a PNG or JPEG); errors name the `book.toml` line.
fn read_image(path: &Path, at: &Location, dir: &Path) -> Result<(Vec<u8>, ImageHeader)> {
    let manuscript = crate::input::Manuscript::open(dir)
        .map_err(|source| Error::Read { path: dir.to_path_buf(), source })?;
    let name = path.display();
    let bytes = manuscript.read(path).map_err(|why| {
        Error::config(at.clone(), format!("cover image \"{name}\" {why}"))
    })?;
    let header =
        crate::image_header::of(&mut std::io::Cursor::new(&bytes)).map_err(|why| {
            Error::config(at.clone(), format!("cover image \"{name}\" {why}"))
        })?;
    Ok((bytes, header))
}

/// The words of the cover.
fn words(book: &Book) -> Words<'_> {
    Words {
        title: &book.meta.title,
        subtitle: book.meta.subtitle.as_deref(),
        author: &book.meta.author,
    }
}

/// The ebook's cover: the art as given (never scaled), checked against what the stores
/// ask for, or the typographic cover painted at [`EBOOK_PIXELS`].
pub fn ebook(
    book: &Book,
    settings: &Settings,
    dir: &Path,
    fonts: &FontSet,
) -> Result<(CoverImage, Vec<Warning>)> {
    let m = &book.meta;
    let alt = match &m.subtitle {
        Some(subtitle) => format!("{}: {subtitle} — {}", m.title, m.author),
        None => format!("{} — {}", m.title, m.author),
    };
    let Some((path, at)) = &settings.image else {
        // Drawn on a 6 in wide panel of the ebook's proportions, then painted to pixels.
        let (w, h) = EBOOK_PIXELS;
        let size = (Pt(432.0), Pt(432.0 * f64::from(h) / f64::from(w)));
        let design =
            design::front(words(book), settings.style, settings.palette, size, fonts);
        let bytes = raster::png(&design, EBOOK_PIXELS, fonts)?;
        let image =
            CoverImage { file: "cover.png".into(), media_type: "image/png", bytes, alt };
        return Ok((image, Vec::new()));
    };
    let (bytes, header) = read_image(path, at, dir)?;
    let warnings = store_checks(&bytes, &header)
        .into_iter()
        .map(|problem| {
            Warning::at(
                at.clone(),
                format!("cover image \"{}\" {problem}", path.display()),
            )
        })
        .collect();
    let file = match header.format {
        ImageFormat::Png => "cover.png",
        ImageFormat::Jpeg => "cover.jpg",
    };
    let image = CoverImage {
        file: file.into(),
        media_type: header.format.media_type(),
        bytes,
        alt,
    };
    Ok((image, warnings))
}

/// What is wrong with cover art for the stores, each as a phrase after its name.
fn store_checks(bytes: &[u8], header: &ImageHeader) -> Vec<String> {
    let mut problems = Vec::new();
    let (w, h) = header.displayed();
    let (short, long) = (w.min(h), w.max(h));
    if !is_colour(bytes, header) {
        problems.push(
            "is greyscale; the stores (Kobo in particular) ask for RGB colour"
                .to_string(),
        );
    }
    if short < RECOMMENDED_SHORT || long < RECOMMENDED_LONG {
        problems.push(format!(
            "is {w} × {h} pixels; the stores recommend at least {RECOMMENDED_SHORT} × \
             {RECOMMENDED_LONG} (quire never enlarges it: supply a larger image)"
        ));
    }
    let aspect = f64::from(long) / f64::from(short.max(1));
    if (aspect - ASPECT).abs() > ASPECT_TOLERANCE {
        problems.push(format!(
            "has an aspect ratio of 1:{aspect:.2}; the stores show 1:{ASPECT} best \
             (e.g. 1600 × 2560) and crop or pad others"
        ));
    }
    if u64::from(w) * u64::from(h) > APPLE_MAX_PIXELS.max(RECOMMENDED_PIXELS) {
        problems.push(format!(
            "has {:.1} megapixels; Apple Books takes images of at most 4",
            f64::from(w) * f64::from(h) / 1e6
        ));
    }
    if bytes.len() > MAX_BYTES {
        problems.push(format!(
            "is {:.1} MB; keep covers under 40 MB",
            bytes.len() as f64 / 1_048_576.0
        ));
    }
    problems
}

/// Whether the image has colour channels: a JPEG's component count, a PNG's colour type
/// (2 RGB, 3 palette, 6 RGBA; 0 and 4 are grey).
fn is_colour(bytes: &[u8], header: &ImageHeader) -> bool {
    match header.format {
        ImageFormat::Jpeg => header.components >= 3,
        // The colour type is byte 25: signature 8, chunk length 4, "IHDR" 4, width 4,
        // height 4, bit depth 1.
        ImageFormat::Png => bytes.get(25).is_some_and(|t| matches!(t, 2 | 3 | 6)),
    }
}

/// The front panel's art, read or drawn once for the cover and its proof.
enum Art {
    /// Cover art and its size as displayed.
    Image(ImageData, (u32, u32)),
    /// The typographic cover at the trim size.
    Design(design::Design),
}

/// The paperback's wraparound cover.
pub struct PrintCover {
    /// The cover's geometry.
    pub wrap: Wrap,
    /// The PDF.
    pub pdf: Vec<u8>,
    /// The proofing PDF with trim, fold and safety lines, when asked for.
    pub guides: Option<Vec<u8>>,
    /// What was noticed making it.
    pub warnings: Vec<Warning>,
}

/// Draws the wraparound cover of `book` for an interior of `pages` pages at `trim`.
pub fn print(
    book: &Book,
    settings: &Settings,
    dir: &Path,
    fonts: &FontSet,
    (trim, pages): (TrimSize, usize),
    guides: bool,
    full_fonts: bool,
) -> Result<PrintCover> {
    let wrap = Wrap::new(trim, pages, settings.paper, settings.printer);
    let m = &book.meta;
    let art = match &settings.image {
        Some((path, at)) => {
            let (bytes, header) = read_image(path, at, dir)?;
            let pixels = (header.width, header.height);
            Art::Image(ImageData { bytes, pixels }, header.displayed())
        }
        None => {
            let size = (trim.width, trim.height);
            Art::Design(design::front(
                words(book),
                settings.style,
                settings.palette,
                size,
                fonts,
            ))
        }
    };
    let front = || match &art {
        Art::Image(data, displayed) => {
            wrap::Front::Image { data: data.clone(), displayed: *displayed }
        }
        Art::Design(design) => wrap::Front::Design(design),
    };
    let text = wrap::Text {
        title: &m.title,
        author: &m.author,
        description: m.description.as_deref(),
    };
    let meta = DocumentMeta {
        title: format!("{} — cover", m.title),
        author: m.author.clone(),
        subject: m.subtitle.clone().unwrap_or_default(),
        keywords: Vec::new(),
        language: m.language.clone(),
        date: m.date.clone(),
        identifier: format!("{}#cover", m.identifier),
    };
    let finish = wrap::Finish {
        ground: settings.palette.background,
        ink: settings.palette.foreground,
        barcode: settings.barcode,
        guides: false,
    };
    let (mut document, warnings) =
        wrap::document(&wrap, front(), &text, finish, meta.clone(), fonts);
    document.full_fonts = full_fonts;
    let pdf = crate::pdf::render(&document, fonts)?;
    let guides = if guides {
        let finish = wrap::Finish { guides: true, ..finish };
        let (mut proof, _) = wrap::document(&wrap, front(), &text, finish, meta, fonts);
        proof.full_fonts = full_fonts;
        Some(crate::pdf::render(&proof, fonts)?)
    } else {
        None
    };
    Ok(PrintCover { wrap, pdf, guides, warnings })
}
