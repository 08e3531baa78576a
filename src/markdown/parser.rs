//! The one place that sets pulldown-cmark's options, so every Markdown file of a book —
//! chapters, captions, `%` titles — is read the same way.

use pulldown_cmark::{Options, Parser};

/// The Markdown dialect quire reads: CommonMark with smart punctuation, footnotes,
/// `{#id .class}` heading attributes, tables, strikethrough (`~~`), superscript (`^7^`),
/// subscript (`~2~`) and definition lists. No metadata blocks:
/// pulldown-cmark would take a `+++` or `---` block anywhere in a file, so front matter is
/// cut from the top of the file by `front` before this parser sees the rest.
pub fn options() -> Options {
    Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_SUPERSCRIPT
        | Options::ENABLE_SUBSCRIPT
        | Options::ENABLE_DEFINITION_LIST
}

/// A parser over `text` with [`options`].
pub fn parser(text: &str) -> Parser<'_> {
    Parser::new_ext(text, options())
}
