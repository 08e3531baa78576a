//! The print layout engine: model → pages of positioned lines. Knows fonts and shaping
//! (through `text`), never PDF.

pub mod units;
