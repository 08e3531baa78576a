//! Raw manuscript bytes → clean text: UTF-8 checked (with the byte offset of the first bad
//! byte), UTF-16 with a byte-order mark decoded (Windows editors save "Unicode" so),
//! byte-order mark dropped, Windows and old-Mac line endings made `\n`, and control
//! characters and noncharacters that no book can show taken out with a warning.

use crate::error::{Error, LineIndex, Location, Result, Warning};
use std::path::Path;

/// Decodes a text file of the manuscript; see the module doc for what is cleaned.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<String> {
    decode_with_warnings(path, bytes).map(|(text, _)| text)
}

/// [`decode`], also returning a warning for each kind of character removed.
pub fn decode_with_warnings(path: &Path, bytes: &[u8]) -> Result<(String, Vec<Warning>)> {
    let utf16;
    let text = if let Some(wide) = utf16_with_bom(path, bytes)? {
        utf16 = wide;
        utf16.as_str()
    } else {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        utf8(path, bytes)?
    };
    let mut out = String::with_capacity(text.len());
    let mut warnings = Vec::new();
    let mut removed: Option<(usize, usize, u32)> = None; // (line, column, first code point)
    let mut removed_count = 0usize;
    let (mut line, mut column) = (1usize, 1usize);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                // "\r\n" (Windows) and a lone "\r" (old Mac OS) both end a line.
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push('\n');
                line += 1;
                column = 1;
                continue;
            }
            '\n' => {
                out.push('\n');
                line += 1;
                column = 1;
                continue;
            }
            '\t' => out.push(c),
            c if c.is_control() || is_noncharacter(c) => {
                removed_count += 1;
                removed.get_or_insert((line, column, c as u32));
            }
            c => out.push(c),
        }
        column += 1;
    }
    if let Some((line, column, first)) = removed {
        warnings.push(Warning::at(
            Location::new(path, line, column),
            format!(
                "removed {removed_count} control character(s) or noncharacter(s) that cannot be printed (first U+{first:04X})"
            ),
        ));
    }
    Ok((out, warnings))
}

/// Text that is valid UTF-8, or an error at the first bad byte that says what the file
/// probably is.
fn utf8<'b>(path: &Path, bytes: &'b [u8]) -> Result<&'b str> {
    // UTF-16 without a byte-order mark: English text in it is mostly zero bytes every
    // other byte, which UTF-8 would read as control characters and drop.
    let head = &bytes[..bytes.len().min(4096)];
    if head.len() >= 8 && head.iter().filter(|&&b| b == 0).count() * 4 > head.len() {
        return Err(Error::markdown(
            Location::file(path),
            "file looks like UTF-16 without a byte-order mark; save it as UTF-8",
        ));
    }
    std::str::from_utf8(bytes).map_err(|e| {
        let good = e.valid_up_to();
        // The prefix is valid by construction, so it can be indexed for a line and column.
        let prefix = std::str::from_utf8(&bytes[..good]).unwrap_or("");
        let (line, column) = LineIndex::new(prefix).line_col(prefix, good);
        Error::markdown(
            Location::new(path, line, column),
            format!(
                "file is not valid UTF-8: byte 0x{:02X} at byte offset {good}; save it as UTF-8",
                bytes[good]
            ),
        )
    })
}

/// Decodes UTF-16 that starts with its byte-order mark; `None` when there is no such mark.
fn utf16_with_bom(path: &Path, bytes: &[u8]) -> Result<Option<String>> {
    let (little, order) = match bytes {
        [0xFF, 0xFE, ..] => (true, "little-endian"),
        [0xFE, 0xFF, ..] => (false, "big-endian"),
        _ => return Ok(None),
    };
    let body = &bytes[2..];
    let units = body.chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if little { u16::from_le_bytes(pair) } else { u16::from_be_bytes(pair) }
    });
    let mut text = String::with_capacity(body.len() / 2);
    let damaged = |text: &str| {
        let (line, column) = LineIndex::new(text).line_col(text, text.len());
        Error::markdown(
            Location::new(path, line, column),
            format!("file is UTF-16 ({order}) but damaged here; save it as UTF-8"),
        )
    };
    for c in char::decode_utf16(units) {
        text.push(c.map_err(|_| damaged(&text))?);
    }
    if body.len() % 2 == 1 {
        return Err(damaged(&text));
    }
    Ok(Some(text))
}

/// `text` without the characters a file is cleaned of (controls other than tab and line
/// feed, noncharacters), with how many there were and the first; `None` when it has none.
/// The Markdown reader needs this again after [`decode_with_warnings`]: a character
/// reference (`&#1;`, `&#xFFFE;`) brings such a character back, and XML cannot hold it.
pub fn without_unprintable(text: &str) -> Option<(String, usize, char)> {
    let first = text.chars().find(|&c| unprintable(c))?;
    let kept: String = text.chars().filter(|&c| !unprintable(c)).collect();
    let removed = text.chars().count() - kept.chars().count();
    Some((kept, removed, first))
}

/// Byte offset in `source` of the first numeric character reference (`&#1;`, `&#x7F;`)
/// to a character [`without_unprintable`] removes: where its warning points.
pub fn first_unprintable_reference(source: &str) -> Option<usize> {
    source.match_indices("&#").map(|(at, _)| at).find(|&at| {
        let body = &source[at + 2..];
        let (digits, radix) = match body.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16),
            None => (body, 10),
        };
        let end = digits.find(';').filter(|&end| (1..=8).contains(&end));
        end.and_then(|end| u32::from_str_radix(&digits[..end], radix).ok())
            .and_then(char::from_u32)
            .is_some_and(|c| c != '\0' && unprintable(c))
    })
}

/// A control character other than tab and line feed, or a noncharacter.
fn unprintable(c: char) -> bool {
    c != '\t' && c != '\n' && (c.is_control() || is_noncharacter(c))
}

/// Unicode's noncharacters (U+FDD0–U+FDEF and the last two code points of every plane):
/// never meant for interchange, and fatal in an EPUB's XHTML.
fn is_noncharacter(c: char) -> bool {
    let c = c as u32;
    (0xFDD0..=0xFDEF).contains(&c) || c & 0xFFFE == 0xFFFE
}

#[cfg(test)]
mod tests {
    use super::decode_with_warnings;
    use std::path::Path;

    #[test]
    fn line_endings_bom_and_controls_are_cleaned() {
        let (text, warnings) =
            decode_with_warnings(Path::new("a.md"), b"\xEF\xBB\xBFa\r\nb\rc\x00d\n")
                .unwrap();
        assert_eq!(text, "a\nb\ncd\n");
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].to_string().starts_with("a.md:3:2: removed 1 control"));
    }

    #[test]
    fn utf16_is_decoded_or_named() {
        let wide = |little: bool, text: &str| -> Vec<u8> {
            let mut bytes = if little { vec![0xFF, 0xFE] } else { vec![0xFE, 0xFF] };
            for unit in text.encode_utf16() {
                bytes.extend(if little {
                    unit.to_le_bytes()
                } else {
                    unit.to_be_bytes()
                });
            }
            bytes
        };
        for little in [true, false] {
            let (text, warnings) = decode_with_warnings(
                Path::new("a.md"),
                &wide(little, "# Café\r\n“x” 𝄞\n"),
            )
            .unwrap();
            assert_eq!(text, "# Café\n“x” 𝄞\n");
            assert!(warnings.is_empty());
        }
        let mut odd = wide(true, "ab\ncd");
        odd.push(0x41);
        let e = decode_with_warnings(Path::new("a.md"), &odd).unwrap_err();
        assert_eq!(
            e.to_string(),
            "a.md:2:3: file is UTF-16 (little-endian) but damaged here; save it as UTF-8"
        );
        let bare = &wide(true, "# A chapter title\n\nText.\n")[2..];
        let e = decode_with_warnings(Path::new("a.md"), bare).unwrap_err();
        assert_eq!(
            e.to_string(),
            "a.md:1:1: file looks like UTF-16 without a byte-order mark; save it as UTF-8"
        );
    }

    #[test]
    fn noncharacters_are_removed_with_a_warning() {
        let (text, warnings) = decode_with_warnings(
            Path::new("a.md"),
            "a\u{FFFE}b\n\u{FDD0}c\u{10FFFF}".as_bytes(),
        )
        .unwrap();
        assert_eq!(text, "ab\nc");
        assert_eq!(
            warnings[0].to_string(),
            "a.md:1:2: removed 3 control character(s) or noncharacter(s) that cannot be printed (first U+FFFE)"
        );
    }

    #[test]
    fn unprintable_characters_are_found_and_removed() {
        assert!(super::without_unprintable("plain\ttext\n“é”").is_none());
        assert_eq!(
            super::without_unprintable("a\u{1}b\u{FFFE}\u{B}c\r"),
            Some(("abc".to_string(), 4, '\u{1}'))
        );
        let first = super::first_unprintable_reference;
        assert_eq!(first("&#65; &#0; &#x9; &amp;#1; &#xffFE;"), Some(26));
        assert_eq!(first("&#1"), None);
        assert_eq!(first("&#12345678901; &#11;"), Some(15));
    }

    #[test]
    fn invalid_utf8_names_the_byte_offset() {
        let err = decode_with_warnings(Path::new("a.md"), b"ok\nab\xFFc").unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.md:2:3: file is not valid UTF-8: byte 0xFF at byte offset 5; save it as UTF-8"
        );
    }
}
