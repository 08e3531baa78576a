//! PNG and JPEG images as PDF image XObjects, losslessly.
//!
//! printpdf always decodes images and re-encodes them, by default as lossy JPEG (even
//! line art), and its lossless Flate option has no PNG predictor, so it comes out several
//! times larger than the PNG. Images therefore go to printpdf as ready-made external
//! XObjects:
//!
//! - a plain PNG (not interlaced, no transparency, grey, RGB or palette) is passed
//!   through: its `IDAT` data already is a zlib stream of predictor-filtered rows, which
//!   PDF reads directly with `/FlateDecode` and `/Predictor 15`, so the image is embedded
//!   at the PNG's own size, without decoding it;
//! - any other PNG is decoded with the `image` crate, and its colour goes in as raw
//!   samples, which the finishing step Flate-compresses; transparency is flattened over
//!   white, as print services require;
//! - a JPEG is passed through whole with `/DCTDecode`, which is JPEG itself: no pixel is
//!   decoded or re-compressed (the header check in `image_header.rs` has already refused
//!   the kinds of JPEG that PDF readers do not all display).

use crate::error::{Error, Result};
use crate::image_header::{ImageFormat, ImageHeader};
use crate::layout::page::ImageData;
use printpdf::{DictItem, ExternalStream, ExternalXObject, XObject};
use std::collections::BTreeMap;

const SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";

/// The image as an XObject for printpdf's resources, with the header it was made from;
/// `index` is only for messages.
pub(super) fn xobject(image: &ImageData, index: usize) -> Result<(XObject, ImageHeader)> {
    let fail = |e: String| Error::Pdf(format!("image {index}: {e}"));
    let header = crate::image_header::of(&mut std::io::Cursor::new(&image.bytes))
        .map_err(|e| fail(format!("the file {e}")))?;
    let stream = match header.format {
        ImageFormat::Jpeg => jpeg(&image.bytes, header),
        ImageFormat::Png => match passthrough(&image.bytes) {
            Some(stream) => stream,
            None => decoded(&image.bytes).map_err(fail)?,
        },
    };
    let xobject = XObject::External(ExternalXObject {
        stream,
        width: None,
        height: None,
        dpi: None,
    });
    Ok((xobject, header))
}

/// The fields of a PNG header that matter here.
struct Header {
    width: u32,
    height: u32,
    depth: u8,
    colour: u8,
    interlaced: bool,
}

/// The image stream for a PNG whose compressed data PDF can read as is, or `None` when
/// the PNG needs decoding (or is not a PNG this reader understands).
fn passthrough(png: &[u8]) -> Option<ExternalStream> {
    let body = png.strip_prefix(SIGNATURE.as_slice())?;
    let mut header = None;
    let mut palette: Option<&[u8]> = None;
    let mut data = Vec::new();
    let mut rest = body;
    while rest.len() >= 12 {
        let length = u32::from_be_bytes(rest[0..4].try_into().ok()?) as usize;
        let kind = &rest[4..8];
        let chunk = rest.get(8..8usize.checked_add(length)?)?;
        rest = rest.get(length.checked_add(12)?..)?;
        match kind {
            b"IHDR" if chunk.len() == 13 => {
                header = Some(Header {
                    width: u32::from_be_bytes(chunk[0..4].try_into().ok()?),
                    height: u32::from_be_bytes(chunk[4..8].try_into().ok()?),
                    depth: chunk[8],
                    colour: chunk[9],
                    interlaced: chunk[12] != 0,
                });
            }
            b"PLTE" => palette = Some(chunk),
            b"IDAT" => data.extend_from_slice(chunk),
            // Transparency needs a mask, which the decoding path builds.
            b"tRNS" => return None,
            b"IEND" => break,
            _ => {}
        }
    }
    let header = header?;
    if header.interlaced || header.width == 0 || header.height == 0 || data.is_empty() {
        return None;
    }
    let (colours, space) = match (header.colour, header.depth) {
        (0, 1 | 2 | 4 | 8 | 16) => (1, DictItem::Name(b"DeviceGray".to_vec())),
        (2, 8 | 16) => (3, DictItem::Name(b"DeviceRGB".to_vec())),
        (3, 1 | 2 | 4 | 8) => {
            let palette = palette
                .filter(|p| !p.is_empty() && p.len() % 3 == 0 && p.len() <= 768)?;
            let space = DictItem::Array(vec![
                DictItem::Name(b"Indexed".to_vec()),
                DictItem::Name(b"DeviceRGB".to_vec()),
                DictItem::Int(palette.len() as i64 / 3 - 1),
                DictItem::String { data: palette.to_vec(), literal: false },
            ]);
            (1, space)
        }
        _ => return None,
    };
    let mut parms = BTreeMap::new();
    parms.insert("Predictor".to_string(), DictItem::Int(15));
    parms.insert("Colors".to_string(), DictItem::Int(colours));
    parms.insert("BitsPerComponent".to_string(), DictItem::Int(i64::from(header.depth)));
    parms.insert("Columns".to_string(), DictItem::Int(i64::from(header.width)));
    let mut dict =
        image_dict(header.width, header.height, i64::from(header.depth), space);
    dict.insert("Filter".to_string(), DictItem::Name(b"FlateDecode".to_vec()));
    dict.insert("DecodeParms".to_string(), DictItem::Dict { map: parms });
    Some(ExternalStream { dict, content: data, compress: false })
}

/// The image stream for a JPEG: the file itself, which `/DCTDecode` reads.
fn jpeg(bytes: &[u8], header: ImageHeader) -> ExternalStream {
    let space = if header.components == 1 { "DeviceGray" } else { "DeviceRGB" };
    let mut dict = image_dict(
        header.width,
        header.height,
        8,
        DictItem::Name(space.as_bytes().to_vec()),
    );
    dict.insert("Filter".to_string(), DictItem::Name(b"DCTDecode".to_vec()));
    ExternalStream { dict, content: bytes.to_vec(), compress: false }
}

/// The image stream for a PNG that has to be decoded: raw samples, compressed later.
fn decoded(png: &[u8]) -> std::result::Result<ExternalStream, String> {
    let image = image::load_from_memory_with_format(png, image::ImageFormat::Png)
        .map_err(|e| format!("not a usable PNG: {e}"))?;
    let (width, height) = (image.width(), image.height());
    let colour = image.color();
    let sixteen = colour.bytes_per_pixel() / colour.channel_count() == 2;
    let grey = !colour.has_color();
    let (samples, alpha, depth) = match (grey, sixteen) {
        (true, false) => {
            let pixels = image.to_luma_alpha8();
            let (g, a): (Vec<u8>, Vec<u8>) =
                pixels.pixels().map(|p| (p.0[0], p.0[1])).unzip();
            (g, a, 8)
        }
        (false, false) => {
            let pixels = image.to_rgba8();
            let mut rgb = Vec::with_capacity(pixels.len() / 4 * 3);
            let mut a = Vec::with_capacity(pixels.len() / 4);
            for p in pixels.pixels() {
                rgb.extend_from_slice(&p.0[..3]);
                a.push(p.0[3]);
            }
            (rgb, a, 8)
        }
        (true, true) => {
            let pixels = image.to_luma_alpha16();
            let mut g = Vec::with_capacity(pixels.len());
            let mut a = Vec::with_capacity(pixels.len());
            for p in pixels.pixels() {
                g.extend_from_slice(&p.0[0].to_be_bytes());
                a.extend_from_slice(&p.0[1].to_be_bytes());
            }
            (g, a, 16)
        }
        (false, true) => {
            let pixels = image.to_rgba16();
            let mut rgb = Vec::with_capacity(pixels.len() / 4 * 6);
            let mut a = Vec::with_capacity(pixels.len() / 4 * 2);
            for p in pixels.pixels() {
                for c in &p.0[..3] {
                    rgb.extend_from_slice(&c.to_be_bytes());
                }
                a.extend_from_slice(&p.0[3].to_be_bytes());
            }
            (rgb, a, 16)
        }
    };
    let space = if grey { "DeviceGray" } else { "DeviceRGB" };
    let dict =
        image_dict(width, height, depth, DictItem::Name(space.as_bytes().to_vec()));
    let samples = flattened(samples, &alpha, colour_count(grey), depth == 16);
    Ok(ExternalStream { dict, content: samples, compress: true })
}

fn colour_count(grey: bool) -> usize {
    if grey { 1 } else { 3 }
}

/// Samples composited over white paper by their alpha, so the PDF has no transparency:
/// print services ask for it flattened (KDP; PDF/X-1a forbids it), and on a white page
/// the result looks the same. Both are big-endian at 16 bits.
fn flattened(
    mut samples: Vec<u8>,
    alpha: &[u8],
    colours: usize,
    sixteen: bool,
) -> Vec<u8> {
    // Fully opaque is all 0xFF bytes at either depth (65535 is 0xFFFF).
    if alpha.iter().all(|&a| a == 0xFF) {
        return samples;
    }
    let over_white = |c: u32, a: u32, max: u32| (c * a + max * (max - a) + max / 2) / max;
    if sixteen {
        for (pixel, a) in samples.chunks_exact_mut(2 * colours).zip(alpha.chunks_exact(2))
        {
            let a = u32::from(u16::from_be_bytes([a[0], a[1]]));
            for c in pixel.chunks_exact_mut(2) {
                let v = over_white(u32::from(u16::from_be_bytes([c[0], c[1]])), a, 65535);
                // v <= 65535 by construction.
                c.copy_from_slice(&(v as u16).to_be_bytes());
            }
        }
    } else {
        for (pixel, &a) in samples.chunks_exact_mut(colours).zip(alpha) {
            for c in pixel {
                // The result is at most 255 by construction.
                *c = over_white(u32::from(*c), u32::from(a), 255) as u8;
            }
        }
    }
    samples
}

/// The dictionary entries every image XObject has.
fn image_dict(
    width: u32,
    height: u32,
    depth: i64,
    space: DictItem,
) -> BTreeMap<String, DictItem> {
    let mut dict = BTreeMap::new();
    dict.insert("Type".to_string(), DictItem::Name(b"XObject".to_vec()));
    dict.insert("Subtype".to_string(), DictItem::Name(b"Image".to_vec()));
    dict.insert("Width".to_string(), DictItem::Int(i64::from(width)));
    dict.insert("Height".to_string(), DictItem::Int(i64::from(height)));
    dict.insert("BitsPerComponent".to_string(), DictItem::Int(depth));
    dict.insert("ColorSpace".to_string(), space);
    dict
}
