//! The print layout engine: model → pages of positioned glyph runs. Knows fonts and
//! shaping (through `text`), never PDF.
//!
//! Phases, one module each: `items` (paragraph → boxes, glue, penalties), `linebreak`
//! (Knuth–Plass), `line` (breaks → set lines), `flow` (blocks → a vertical list with keeps),
//! `paginate` (vertical list → pages, widows and orphans, footnotes), `book` (the make-up
//! of the whole book: front matter, contents, openers, running heads, folios).
//! `coverage` checks the model's characters against the fonts before any of them runs;
//! `protrusion` says how far punctuation hangs into the margins.

pub mod book;
pub mod coverage;
pub mod flow;
pub mod guide;
pub mod handout;
pub mod impose;
pub mod items;
pub mod line;
pub mod linebreak;
pub mod page;
pub mod paginate;
pub mod protrusion;
pub mod style;
pub mod units;
