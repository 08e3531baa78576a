//! A small tokenizer for the raw HTML a manuscript may hold. Raw markup never reaches the
//! model: the builder maps the few tags that mean something in a book (sup, sub, br, em,
//! i, strong, b, small-caps span, img, figure, figcaption, div, p), drops the tags whose
//! content is never text ([`is_opaque`]: script, style…) with their content, and keeps the
//! text of every other tag, dropping the tag itself.

/// One piece of raw HTML.
#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    /// Text between tags, with character references decoded.
    Text(String),
    /// `<name attr="v">` (or `<name/>`); the name in lower case.
    Open {
        /// The tag name.
        name: String,
        /// Its attributes, names in lower case, values decoded.
        attrs: Vec<(String, String)>,
        /// Written `<name/>`.
        self_closing: bool,
    },
    /// `</name>`.
    Close {
        /// The tag name.
        name: String,
    },
    /// A comment, doctype, processing instruction or CDATA section: dropped silently.
    Other,
}

/// What a known inline tag becomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InlineKind {
    /// `<em>`, `<i>` and the like.
    Emph,
    /// `<strong>`, `<b>`.
    Strong,
    /// `<sup>`.
    Superscript,
    /// `<sub>`.
    Subscript,
    /// A small-caps `<span>`.
    SmallCaps,
}

/// The inline style an opening tag stands for, if any.
pub fn inline_kind(name: &str, attrs: &[(String, String)]) -> Option<InlineKind> {
    match name {
        "em" | "i" | "cite" | "dfn" | "var" => Some(InlineKind::Emph),
        "strong" | "b" => Some(InlineKind::Strong),
        "sup" => Some(InlineKind::Superscript),
        "sub" => Some(InlineKind::Subscript),
        "span" if is_small_caps(attrs) => Some(InlineKind::SmallCaps),
        _ => None,
    }
}

/// A `class="smallcaps"` (or `small-caps`, `sc`) or a `font-variant: small-caps` style.
fn is_small_caps(attrs: &[(String, String)]) -> bool {
    attrs.iter().any(|(k, v)| match k.as_str() {
        "class" => v.split_whitespace().any(|c| {
            matches!(c.to_ascii_lowercase().as_str(), "smallcaps" | "small-caps" | "sc")
        }),
        "style" => {
            v.to_ascii_lowercase().replace(' ', "").contains("font-variant:small-caps")
        }
        _ => false,
    })
}

/// The value of attribute `name`.
pub fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// Splits `html` into tokens, each with its byte offset in `html`. Anything that is not a
/// well-formed tag is text.
pub fn tokenize(html: &str) -> Vec<(usize, Token)> {
    let mut out = Vec::new();
    let bytes = html.as_bytes();
    let mut text_start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        let Some((token, end)) = tag_at(html, i) else {
            i += 1;
            continue;
        };
        if text_start < i {
            out.push((text_start, Token::Text(decode(&html[text_start..i]))));
        }
        out.push((i, token));
        i = end;
        text_start = end;
    }
    if text_start < html.len() {
        out.push((text_start, Token::Text(decode(&html[text_start..]))));
    }
    out
}

/// The tag starting at `at` (a `<`) and the offset just after it.
fn tag_at(html: &str, at: usize) -> Option<(Token, usize)> {
    let rest = &html[at..];
    for (open, close) in
        [("<!--", "-->"), ("<![CDATA[", "]]>"), ("<?", "?>"), ("<!", ">")]
    {
        if let Some(after) = rest.strip_prefix(open) {
            let end = after.find(close)? + open.len() + close.len();
            return Some((Token::Other, at + end));
        }
    }
    let (closing, body) = match rest.strip_prefix("</") {
        Some(body) => (true, body),
        None => (false, &rest[1..]),
    };
    let name_len = body
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == ':'))
        .unwrap_or(body.len());
    if name_len == 0 || !body.as_bytes()[0].is_ascii_alphabetic() {
        return None;
    }
    let name = body[..name_len].to_ascii_lowercase();
    // Find the closing `>` outside quoted attribute values.
    let mut quote = None;
    let mut end = None;
    for (j, c) in body[name_len..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => {
                end = Some(name_len + j);
                break;
            }
            (None, '<') => return None,
            _ => {}
        }
    }
    let end = end?;
    let inner = &body[name_len..end];
    let after = at + (rest.len() - body.len()) + end + 1;
    if closing {
        return Some((Token::Close { name }, after));
    }
    let self_closing = inner.trim_end().ends_with('/');
    let inner = inner.trim_end().trim_end_matches('/');
    Some((Token::Open { name, attrs: attributes(inner), self_closing }, after))
}

/// `a="1" b='2' c=3 d` → pairs, names in lower case, values decoded.
fn attributes(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut chars = text.trim().chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut name = String::new();
        while let Some(c) = chars.next_if(|c| !c.is_whitespace() && *c != '=') {
            name.push(c.to_ascii_lowercase());
        }
        if name.is_empty() {
            if chars.next().is_none() {
                break;
            }
            continue;
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'=').is_some() {
            while chars.next_if(|c| c.is_whitespace()).is_some() {}
            match chars.peek() {
                Some(&q @ ('"' | '\'')) => {
                    chars.next();
                    for c in chars.by_ref() {
                        if c == q {
                            break;
                        }
                        value.push(c);
                    }
                }
                _ => {
                    while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                        value.push(c);
                    }
                }
            }
        }
        out.push((name, decode(&value)));
    }
    out
}

/// Decodes the common named character references and every numeric one.
pub fn decode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').filter(|&semi| semi <= 10).and_then(|semi| {
            let name = &rest[1..semi];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{A0}'),
                "mdash" => Some('\u{2014}'),
                "ndash" => Some('\u{2013}'),
                "hellip" => Some('\u{2026}'),
                "copy" => Some('\u{A9}'),
                _ => {
                    let n = name.strip_prefix('#')?;
                    let code = match n.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                        None => n.parse().ok()?,
                    };
                    Some(
                        char::from_u32(code).filter(|&c| c != '\0').unwrap_or('\u{FFFD}'),
                    )
                }
            }?;
            Some((c, semi + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Tags whose content is never text: their content is dropped with them.
pub fn is_opaque(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "template"
            | "iframe"
            | "object"
            | "svg"
            | "math"
            | "head"
            | "title"
    )
}

/// Tags that end a paragraph: block-level elements.
pub fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "figure"
            | "figcaption"
            | "blockquote"
            | "section"
            | "article"
            | "aside"
            | "header"
            | "footer"
            | "nav"
            | "main"
            | "ul"
            | "ol"
            | "li"
            | "dl"
            | "dt"
            | "dd"
            | "table"
            | "thead"
            | "tbody"
            | "tr"
            | "td"
            | "th"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "pre"
            | "hr"
            | "center"
            | "details"
            | "summary"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_text_and_comments() {
        let t = tokenize(
            "a<sup>7</sup><br/><!-- x --><img src=\"p.png\" alt='A &amp; B'> &lt;b",
        );
        assert_eq!(t[0].1, Token::Text("a".into()));
        assert!(matches!(&t[1].1, Token::Open { name, .. } if name == "sup"));
        assert_eq!(t[3].1, Token::Close { name: "sup".into() });
        assert!(
            matches!(&t[4].1, Token::Open { name, self_closing: true, .. } if name == "br")
        );
        assert_eq!(t[5].1, Token::Other);
        let Token::Open { attrs, .. } = &t[6].1 else { panic!() };
        assert_eq!(attr(attrs, "alt"), Some("A & B"));
        assert_eq!(t[7].1, Token::Text(" <b".into()));
        assert_eq!(tokenize("1 < 2 > 0"), [(0, Token::Text("1 < 2 > 0".into()))]);
    }
}
