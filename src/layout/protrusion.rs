//! Character protrusion, the half of optical margin alignment that hangs light marks into
//! the margin.
//!
//! A justified column ends every line at the same x, but a line ending in a hyphen,
//! comma or period has less ink at its end than one ending in a letter, so the right edge
//! looks ragged, with dents at every small mark. Letting those marks stick out by part of
//! their width makes the edge look straight. The amounts here are fractions of the
//! glyph's own advance, after the defaults of Robert Schlicht's `microtype` package
//! (its "default" protrusion set, built on Hàn Thế Thành's pdfTeX work, *Micro-typographic
//! extensions to the TeX typesetting system*, 2000); they suit a serif book face.
//!
//! Only positions change: the glyphs and their text stay the same, so copying or
//! searching the PDF gives the same words.

/// How far `c` may hang past the right margin, as a fraction of its advance.
pub fn right(c: char) -> f64 {
    match c {
        // Marks with ink only low or only high: hang most of their width.
        '.' | ',' | '-' | '\u{2010}' | '\u{2011}' | '\'' | '’' | '”' | '"' | '‚'
        | '„' => 0.7,
        '\u{2026}' => 0.3, // ellipsis: three dots, mostly ink
        ':' | ';' => 0.3,
        '!' | '?' => 0.2,
        // En and em dash: wide, so a smaller share hangs far enough.
        '\u{2013}' | '\u{2014}' => 0.2,
        ')' | ']' | '»' | '›' => 0.05,
        _ => 0.0,
    }
}

/// How far `c` may hang past the left margin, as a fraction of its advance.
pub fn left(c: char) -> f64 {
    match c {
        '‘' | '\'' | '‚' => 0.7,
        '“' | '"' | '„' => 0.5,
        '(' | '[' | '«' | '‹' => 0.05,
        _ => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::{left, right};

    #[test]
    fn light_marks_hang_and_letters_do_not() {
        for c in ['.', ',', '-', '’', '”'] {
            assert!(right(c) >= 0.5, "{c}");
        }
        assert!(right(':') > right('!'));
        assert!(right('—') > 0.0 && right('—') < right('-'));
        for c in ['a', 'W', '1', ' ', '“'] {
            assert_eq!(right(c), 0.0, "{c}");
        }
        assert!(left('“') > 0.0 && left('‘') > left('“'));
        for c in ['a', '.', '”', '’'] {
            assert_eq!(left(c), 0.0, "{c}");
        }
    }
}
