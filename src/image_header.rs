//! What an image file says about itself — its format, pixel size and colour components —
//! read from its header without decoding a pixel, so that an image declaring absurd
//! dimensions is refused before any memory is spent on it, and a JPEG can be embedded in
//! the PDF exactly as it is.
//!
//! Two formats are accepted, the two every ebook reader and print service takes: PNG (its
//! `IHDR` chunk, PNG spec §11.2.2) and JPEG as PDF's `DCTDecode` filter reads it: 8-bit
//! baseline, extended or progressive, greyscale or colour (the frame header, ITU T.81
//! §B.2.2). Anything else is refused with the reason, so the writer can convert it.

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

/// An image file format quire embeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// Portable Network Graphics.
    Png,
    /// JPEG (JFIF or Exif).
    Jpeg,
}

impl ImageFormat {
    /// The media type, for the ebook's manifest.
    pub fn media_type(self) -> &'static str {
        match self {
            ImageFormat::Png => "image/png",
            ImageFormat::Jpeg => "image/jpeg",
        }
    }
}

/// What the header of an image file declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageHeader {
    /// The format.
    pub format: ImageFormat,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Colour components per pixel (JPEG: 1 grey or 3 colour; PNG: not read, 0).
    pub components: u8,
    /// The Exif orientation (1–8; 1, upright, when the file has none): how the stored
    /// pixels must be turned or mirrored to be seen the right way up. Phones store
    /// photos sideways and set it to 6 or 8; browsers and reading apps apply it.
    pub orientation: u8,
}

impl ImageHeader {
    /// Width and height as seen: swapped when the orientation turns the image a
    /// quarter turn (5 to 8).
    pub fn displayed(&self) -> (u32, u32) {
        if self.orientation >= 5 {
            (self.height, self.width)
        } else {
            (self.width, self.height)
        }
    }
}

const PNG_SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";

/// Reads the header of the image file at `path`. The error is a phrase that follows the
/// image's name: "is not a PNG or JPEG file", "cannot be read: …".
pub fn read(path: &Path) -> Result<ImageHeader, String> {
    let mut file = std::fs::File::open(path)
        .map_err(|e| format!("cannot be read: {}", crate::input::plain_io(&e)))?;
    of(&mut file)
}

/// Reads an image header from the start of `source`.
pub fn of(source: &mut (impl Read + Seek)) -> Result<ImageHeader, String> {
    let mut start = [0u8; 8];
    let got = read_up_to(source, &mut start)?;
    if got == 8 && &start == PNG_SIGNATURE {
        let mut ihdr = [0u8; 16];
        if read_up_to(source, &mut ihdr)? < 16 || &ihdr[4..8] != b"IHDR" {
            return Err("is damaged: no PNG header chunk".into());
        }
        let width = u32::from_be_bytes([ihdr[8], ihdr[9], ihdr[10], ihdr[11]]);
        let height = u32::from_be_bytes([ihdr[12], ihdr[13], ihdr[14], ihdr[15]]);
        return Ok(ImageHeader {
            format: ImageFormat::Png,
            width,
            height,
            components: 0,
            orientation: 1,
        });
    }
    if got >= 3 && start[..3] == [0xFF, 0xD8, 0xFF] {
        source
            .seek(SeekFrom::Start(2))
            .map_err(|e| format!("cannot be read: {}", crate::input::plain_io(&e)))?;
        return jpeg_frame(source);
    }
    Err("is not a PNG or JPEG file; only PNG and JPEG images are supported".into())
}

/// Reads as many bytes as `buf` holds, fewer only at the end of the file.
fn read_up_to(source: &mut impl Read, buf: &mut [u8]) -> Result<usize, String> {
    let mut filled = 0;
    while filled < buf.len() {
        match source.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => {
                return Err(format!("cannot be read: {}", crate::input::plain_io(&e)));
            }
        }
    }
    Ok(filled)
}

/// Walks a JPEG's marker segments (after SOI) to its frame header, skipping the others
/// (Exif, ICC profiles, tables) by their lengths.
fn jpeg_frame(source: &mut (impl Read + Seek)) -> Result<ImageHeader, String> {
    let damaged = |what: &str| format!("is a damaged JPEG file: {what}");
    let mut orientation = 1;
    loop {
        let mut byte = [0u8; 1];
        // A marker is 0xFF, any number of fill 0xFF bytes, then its code.
        if read_up_to(source, &mut byte)? < 1 {
            return Err(damaged("it ends before its frame header"));
        }
        if byte[0] != 0xFF {
            return Err(damaged("a segment is not where its length said"));
        }
        let mut code = 0xFF;
        while code == 0xFF {
            if read_up_to(source, &mut byte)? < 1 {
                return Err(damaged("it ends before its frame header"));
            }
            code = byte[0];
        }
        match code {
            // Markers without a segment: TEM, RSTn, SOI.
            0x01 | 0xD0..=0xD8 => continue,
            0xD9 | 0xDA => return Err(damaged("no frame header before the image data")),
            _ => {}
        }
        let mut length = [0u8; 2];
        if read_up_to(source, &mut length)? < 2 {
            return Err(damaged("it ends inside a segment"));
        }
        let length = u16::from_be_bytes(length);
        if length < 2 {
            return Err(damaged("a segment has an impossible length"));
        }
        let is_frame = matches!(code, 0xC0..=0xCF) && !matches!(code, 0xC4 | 0xC8 | 0xCC);
        if code == 0xE1 {
            let mut segment = vec![0u8; usize::from(length) - 2];
            if read_up_to(source, &mut segment)? < segment.len() {
                return Err(damaged("it ends inside a segment"));
            }
            if let Some(found) = exif_orientation(&segment) {
                orientation = found;
            }
            continue;
        }
        if !is_frame {
            source
                .seek(SeekFrom::Current(i64::from(length) - 2))
                .map_err(|e| format!("cannot be read: {}", crate::input::plain_io(&e)))?;
            continue;
        }
        let mut frame = [0u8; 6];
        if length < 8 || read_up_to(source, &mut frame)? < 6 {
            return Err(damaged("its frame header is cut short"));
        }
        let precision = frame[0];
        let height = u32::from(u16::from_be_bytes([frame[1], frame[2]]));
        let width = u32::from(u16::from_be_bytes([frame[3], frame[4]]));
        let components = frame[5];
        if !matches!(code, 0xC0..=0xC2) || precision != 8 {
            return Err(format!(
                "is a JPEG of a kind PDF readers do not all display ({}, {precision}-bit); \
                 save it as an 8-bit baseline or progressive JPEG, or as a PNG",
                match code {
                    0xC3 | 0xC7 | 0xCB | 0xCF => "lossless",
                    0xC5..=0xC7 | 0xCD..=0xCF => "hierarchical",
                    0xC9..=0xCB => "arithmetic-coded",
                    _ => "sequential",
                }
            ));
        }
        if !matches!(components, 1 | 3) {
            return Err(format!(
                "is a JPEG with {components} colour components (CMYK?); save it as an RGB \
                 or greyscale JPEG, or as a PNG"
            ));
        }
        if height == 0 {
            return Err(damaged("its height is only given after the image data (DNL)"));
        }
        return Ok(ImageHeader {
            format: ImageFormat::Jpeg,
            width,
            height,
            components,
            orientation,
        });
    }
}

/// The orientation tag (0x0112) of an Exif APP1 segment's first image directory, if the
/// segment is Exif and the value is a valid orientation (Exif 2.3, §4.6.4, TIFF 6.0 §2).
fn exif_orientation(segment: &[u8]) -> Option<u8> {
    let tiff = segment.strip_prefix(b"Exif\0\0")?;
    let big = match tiff.get(..4)? {
        b"MM\0\x2A" => true,
        b"II\x2A\0" => false,
        _ => return None,
    };
    let u16_at = |at: usize| -> Option<u16> {
        let b = tiff.get(at..at.checked_add(2)?)?;
        Some(if big {
            u16::from_be_bytes([b[0], b[1]])
        } else {
            u16::from_le_bytes([b[0], b[1]])
        })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let b = tiff.get(at..at.checked_add(4)?)?;
        let b = [b[0], b[1], b[2], b[3]];
        Some(if big { u32::from_be_bytes(b) } else { u32::from_le_bytes(b) })
    };
    let directory = usize::try_from(u32_at(4)?).ok()?;
    let entries = usize::from(u16_at(directory)?);
    (0..entries).find_map(|i| {
        let entry = directory + 2 + 12 * i;
        // Tag 0x0112, type SHORT (3), one value, stored in the entry itself.
        if u16_at(entry)? != 0x0112 || u16_at(entry + 2)? != 3 {
            return None;
        }
        let value = u16_at(entry + 8)?;
        u8::try_from(value).ok().filter(|v| (1..=8).contains(v))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// A JPEG's first segments: SOI, an APP1 of `app_len` bytes, then a frame header.
    fn jpeg(
        sof: u8,
        precision: u8,
        w: u16,
        h: u16,
        components: u8,
        app_len: u16,
    ) -> Vec<u8> {
        let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
        out.extend((app_len + 2).to_be_bytes());
        out.extend(std::iter::repeat_n(0x45, usize::from(app_len)));
        out.extend([0xFF, 0xFF, sof]); // a fill byte before the marker code
        out.extend(8u16.checked_add(3 * u16::from(components)).unwrap().to_be_bytes());
        out.push(precision);
        out.extend(h.to_be_bytes());
        out.extend(w.to_be_bytes());
        out.push(components);
        for c in 0..components {
            out.extend([c + 1, 0x11, 0]);
        }
        out.extend([0xFF, 0xDA]);
        out
    }

    fn header(bytes: Vec<u8>) -> Result<ImageHeader, String> {
        of(&mut Cursor::new(bytes))
    }

    #[test]
    fn jpeg_frames_are_found_past_other_segments() {
        for (sof, components) in [(0xC0, 3), (0xC1, 1), (0xC2, 3)] {
            let got = header(jpeg(sof, 8, 640, 480, components, 3000)).unwrap();
            assert_eq!(
                got,
                ImageHeader {
                    format: ImageFormat::Jpeg,
                    width: 640,
                    height: 480,
                    components,
                    orientation: 1,
                }
            );
        }
    }

    /// An Exif APP1 segment (marker included) whose first directory holds an
    /// orientation tag, after one other tag, in the given byte order.
    fn exif_app1(orientation: u16, big_endian: bool) -> Vec<u8> {
        let u16b = |v: u16| if big_endian { v.to_be_bytes() } else { v.to_le_bytes() };
        let u32b = |v: u32| if big_endian { v.to_be_bytes() } else { v.to_le_bytes() };
        let mut tiff = Vec::new();
        tiff.extend(if big_endian { *b"MM\0\x2A" } else { *b"II\x2A\0" });
        tiff.extend(u32b(8));
        tiff.extend(u16b(2));
        // ImageWidth (0x0100), LONG, 1 value; then Orientation (0x0112), SHORT, 1 value.
        tiff.extend(u16b(0x0100));
        tiff.extend(u16b(4));
        tiff.extend(u32b(1));
        tiff.extend(u32b(640));
        tiff.extend(u16b(0x0112));
        tiff.extend(u16b(3));
        tiff.extend(u32b(1));
        tiff.extend(u16b(orientation));
        tiff.extend([0, 0]);
        tiff.extend(u32b(0));
        let mut segment = b"Exif\0\0".to_vec();
        segment.extend(tiff);
        let mut out = vec![0xFF, 0xE1];
        out.extend((segment.len() as u16 + 2).to_be_bytes());
        out.extend(segment);
        out
    }

    #[test]
    fn exif_orientation_is_read_in_either_byte_order_and_turns_the_seen_size() {
        for big_endian in [false, true] {
            for orientation in 1..=8u16 {
                let plain = jpeg(0xC0, 8, 640, 480, 3, 4);
                // SOI, then the Exif segment, then the rest.
                let mut bytes = plain[..2].to_vec();
                bytes.extend(exif_app1(orientation, big_endian));
                bytes.extend(&plain[2..]);
                let got = header(bytes).unwrap();
                assert_eq!(
                    got.orientation, orientation as u8,
                    "big endian: {big_endian}"
                );
                let seen = if orientation >= 5 { (480, 640) } else { (640, 480) };
                assert_eq!(got.displayed(), seen, "orientation {orientation}");
            }
        }
        // Out-of-range values and truncated directories are ignored, not trusted.
        assert_eq!(exif_orientation(&exif_app1(9, false)[4..]), None);
        let cut = exif_app1(6, true);
        assert_eq!(exif_orientation(&cut[4..cut.len() - 10]), None);
    }

    #[test]
    fn jpegs_pdf_cannot_show_are_refused_with_the_reason() {
        let why = |bytes| header(bytes).unwrap_err();
        assert!(why(jpeg(0xC3, 8, 10, 10, 3, 4)).contains("lossless"));
        assert!(why(jpeg(0xC9, 8, 10, 10, 3, 4)).contains("arithmetic"));
        assert!(why(jpeg(0xC1, 12, 10, 10, 3, 4)).contains("12-bit"));
        assert!(why(jpeg(0xC0, 8, 10, 10, 4, 4)).contains("CMYK"));
        assert!(why(jpeg(0xC0, 8, 10, 0, 3, 4)).contains("DNL"));
        let mut cut = jpeg(0xC0, 8, 10, 10, 3, 4);
        cut.truncate(9);
        assert!(why(cut).contains("damaged"));
        assert!(why(vec![0xFF, 0xD8, 0xFF, 0xDA, 0, 2]).contains("no frame header"));
    }

    #[test]
    fn png_size_comes_from_ihdr_and_other_files_are_refused() {
        let mut png = PNG_SIGNATURE.to_vec();
        png.extend([0, 0, 0, 13]);
        png.extend(b"IHDR");
        png.extend(300u32.to_be_bytes());
        png.extend(200u32.to_be_bytes());
        let got = header(png).unwrap();
        assert_eq!((got.format, got.width, got.height), (ImageFormat::Png, 300, 200));
        assert!(
            header(b"GIF89a\x01\x00".to_vec()).unwrap_err().contains("not a PNG or JPEG")
        );
        assert!(header(PNG_SIGNATURE.to_vec()).unwrap_err().contains("no PNG header"));
        assert!(header(Vec::new()).unwrap_err().contains("not a PNG or JPEG"));
    }
}
