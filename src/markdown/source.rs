//! Raw manuscript bytes → clean text: UTF-8 checked (with the byte offset of the first bad
//! byte), byte-order mark dropped, Windows and old-Mac line endings made `\n`, and control
//! characters that no book can show taken out with a warning.

use crate::error::{Error, LineIndex, Location, Result, Warning};
use std::path::Path;

/// Decodes a text file of the manuscript; see the module doc for what is cleaned.
pub fn decode(path: &Path, bytes: &[u8]) -> Result<String> {
    decode_with_warnings(path, bytes).map(|(text, _)| text)
}

/// [`decode`], also returning a warning for each kind of character removed.
pub fn decode_with_warnings(path: &Path, bytes: &[u8]) -> Result<(String, Vec<Warning>)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            let good = e.valid_up_to();
            // The prefix is valid by construction, so it can be indexed for a line and column.
            let prefix = std::str::from_utf8(&bytes[..good]).unwrap_or("");
            let (line, column) = LineIndex::new(prefix).line_col(prefix, good);
            return Err(Error::markdown(
                Location::new(path, line, column),
                format!(
                    "file is not valid UTF-8: byte 0x{:02X} at byte offset {good}; save it as UTF-8",
                    bytes[good]
                ),
            ));
        }
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
            c if c.is_control() => {
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
                "removed {removed_count} control character(s) that cannot be printed (first U+{first:04X})"
            ),
        ));
    }
    Ok((out, warnings))
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
    fn invalid_utf8_names_the_byte_offset() {
        let err = decode_with_warnings(Path::new("a.md"), b"ok\nab\xFFc").unwrap_err();
        assert_eq!(
            err.to_string(),
            "a.md:2:3: file is not valid UTF-8: byte 0xFF at byte offset 5; save it as UTF-8"
        );
    }
}
