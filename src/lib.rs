//! quire turns a Markdown manuscript into a finished book: an EPUB 3 ebook and print-ready
//! PDF editions, all from one shared chapter model.
//!
//! ```text
//! manuscript/ (book.toml + chapter .md files)
//!    └─ markdown (pulldown-cmark) ──> model (Book → Chapter → Block → Inline)
//!                                        ├─ epub    (epub-builder)       → out/<slug>.epub
//!                                        ├─ layout + pdf (printpdf)      → out/<slug>-print.pdf
//!                                        ├─ layout + pdf, handout style  → out/handouts/*.pdf
//!                                        └─ cover (its page count from the paperback's layout)
//!                                             → the EPUB's cover image, out/<slug>-cover.pdf
//! ```
//!
//! `import` turns a Word document into such a manuscript folder; it knows only the model's
//! Markdown conventions, no edition.
//!
//! Dependency direction: `model` knows no format; `markdown` builds the model; `epub`
//! reads only the model; `layout` reads the model and `text` (fonts, shaping) and never
//! touches printpdf; `pdf` draws finished pages and makes no layout decision.

#![warn(missing_docs)]

pub mod build;
pub mod config;
pub mod cover;
pub mod epub;
pub mod error;
pub mod image_header;
pub mod import;
pub mod input;
pub mod layout;
pub mod locale;
pub mod markdown;
pub mod model;
pub mod output;
pub mod pages;
pub mod parallel;
pub mod pdf;
pub mod scaffold;
pub mod serve;
pub mod text;

pub use error::{Error, Location, Result, Warning};
