//! Superscript and subscript inside a word: `2^10^`, `H~2~O`, `CO~2~`, `Fe^3+^`.
//!
//! pulldown-cmark reads `^x^` and `~x~` only where the opening mark may start a span,
//! which for `^` and a single `~` it never allows inside a word (its flanking rules, as
//! for `_`; no option changes that in 0.13). So `2^10^` reaches the builder as the text
//! `2^10^`. This pass finds such spans in a text event and nothing else. It is narrow on
//! purpose, so that it never fires on ordinary text:
//!
//! - the opening mark follows a letter or digit (where pulldown-cmark itself could not
//!   open a span; where it could, it already has, or had a reason not to);
//! - the content is one to [`MAX_LEN`] letters, digits, `+`, `-` or `−`, at least one of
//!   them a letter or digit: no spaces (`a ~ b`), no `/` (`~/path`, URLs), no `.`;
//! - neither mark is doubled (`~~strike~~` and runs like `^^^` are left alone);
//! - every `^` and `~` of the text stands literally in the source: a text holding an
//!   escaped mark (`\^`) or one from a character reference is left as it is, whole.
//!
//! Code spans and code blocks never come here (they are not text events).

/// Content longer than this is not taken for a superscript or subscript.
const MAX_LEN: usize = 8;

/// A piece of a text event after the pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Plain text.
    Text(&'a str),
    /// Superscript text (`^…^`).
    Super(&'a str),
    /// Subscript text (`~…~`).
    Sub(&'a str),
}

/// The pieces of `text`, whose source (as written in the file) is `source`; `None` when
/// it holds no superscript or subscript, or when its marks cannot all be matched to
/// literal ones in the source.
pub fn split<'a>(text: &'a str, source: &str) -> Option<Vec<Piece<'a>>> {
    if !text.contains(['^', '~']) || !marks_are_literal(text, source) {
        return None;
    }
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut plain_from = 0;
    let mut i = 0;
    while i < chars.len() {
        let (at, mark) = chars[i];
        let Some(close) = span_at(&chars, i) else {
            i += 1;
            continue;
        };
        if plain_from < at {
            out.push(Piece::Text(&text[plain_from..at]));
        }
        let inner = &text[at + 1..chars[close].0];
        out.push(if mark == '^' { Piece::Super(inner) } else { Piece::Sub(inner) });
        plain_from = chars[close].0 + 1;
        i = close + 1;
    }
    if out.is_empty() {
        return None;
    }
    if plain_from < text.len() {
        out.push(Piece::Text(&text[plain_from..]));
    }
    Some(out)
}

/// The index of the closing mark of a span opened at `chars[i]`, if one is.
fn span_at(chars: &[(usize, char)], i: usize) -> Option<usize> {
    let mark = chars[i].1;
    if mark != '^' && mark != '~' {
        return None;
    }
    let before = chars.get(i.checked_sub(1)?)?.1;
    if !before.is_alphanumeric() {
        return None;
    }
    let close =
        (i + 1..chars.len().min(i + 2 + MAX_LEN)).find(|&j| chars[j].1 == mark)?;
    let inner = &chars[i + 1..close];
    let allowed = |c: char| c.is_alphanumeric() || matches!(c, '+' | '-' | '\u{2212}');
    if inner.is_empty()
        || !inner.iter().all(|&(_, c)| allowed(c))
        || !inner.iter().any(|&(_, c)| c.is_alphanumeric())
        || chars.get(close + 1).is_some_and(|&(_, c)| c == mark)
    {
        return None;
    }
    Some(close)
}

/// Whether each `^` and `~` of `text` is, in order, one written as itself in `source`
/// (not after a backslash), and the two hold as many of each.
fn marks_are_literal(text: &str, source: &str) -> bool {
    ['^', '~'].iter().all(|&mark| {
        let in_text = text.matches(mark).count();
        let mut in_source = 0;
        for (at, _) in source.match_indices(mark) {
            let backslashes =
                source[..at].bytes().rev().take_while(|&b| b == b'\\').count();
            if backslashes % 2 == 1 {
                return false;
            }
            in_source += 1;
        }
        in_text == in_source
    })
}

#[cfg(test)]
mod tests {
    use super::Piece::{Sub, Super, Text};
    use super::split;

    fn same(text: &str) -> Option<Vec<super::Piece<'_>>> {
        split(text, text)
    }

    #[test]
    fn marks_inside_words_make_spans() {
        assert_eq!(
            same("2^10^ bytes"),
            Some(vec![Text("2"), Super("10"), Text(" bytes")])
        );
        assert_eq!(same("H~2~O"), Some(vec![Text("H"), Sub("2"), Text("O")]));
        assert_eq!(
            same("CO~2~ and Fe^3+^, 10^-3^."),
            Some(vec![
                Text("CO"),
                Sub("2"),
                Text(" and Fe"),
                Super("3+"),
                Text(", 10"),
                Super("-3"),
                Text(".")
            ])
        );
    }

    #[test]
    fn ordinary_text_is_left_alone() {
        for text in [
            "~/path and ~/bin",
            "a ~ b ~ c",
            "about ~5 km",
            "x^ y^",
            "a~~b~~",
            "a^^b^^",
            "http://example.com/~user/~x",
            "file~name with spaces~",
            "one^two three^",
            "2^^",
            "x^verylongword^",
            "~x~ at the start",
            "a^+^",
        ] {
            assert_eq!(same(text), None, "{text}");
        }
    }

    #[test]
    fn escaped_or_referenced_marks_leave_the_text_alone() {
        assert_eq!(split("2^10^", r"2\^10\^"), None);
        assert_eq!(split("2^10^", "2&#94;10^"), None);
        // An escaped backslash before the mark leaves the mark literal.
        assert_eq!(
            split("a\\ 2^10^", r"a\\ 2^10^"),
            Some(vec![Text("a\\ 2"), Super("10")])
        );
        // A fragment whose source is not at hand (an empty slice) is left alone.
        assert_eq!(split("2^10^", ""), None);
    }
}
