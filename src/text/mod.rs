//! Fonts, shaping and hyphenation: everything the layout engine needs to know about
//! characters and glyphs. Knows nothing of pages or PDF.

pub mod font;
pub mod hyphenate;
pub mod shape;
