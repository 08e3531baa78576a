//! Orchestration: manuscript → model → the editions asked for → files in the output
//! directory. Each edition is rendered completely in memory before anything is written.

use crate::config::Config;
use crate::error::{Result, Warning};
use crate::model::Book;
use crate::output::write_atomically;
use std::path::{Path, PathBuf};

/// Which editions to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Targets {
    /// The EPUB 3 ebook.
    pub epub: bool,
    /// The print interior PDF.
    pub print: bool,
    /// The workshop handouts.
    pub handouts: bool,
}

impl Targets {
    /// Every edition.
    pub const ALL: Targets = Targets { epub: true, print: true, handouts: true };
}

/// What a build wrote and what it noticed.
#[derive(Debug, Default)]
pub struct Report {
    /// The files written, in order.
    pub written: Vec<PathBuf>,
    /// Warnings from every phase.
    pub warnings: Vec<Warning>,
    /// Words in the book.
    pub words: usize,
}

/// Loads the manuscript in `dir`.
pub fn load(dir: &Path) -> Result<(Config, Book, Vec<Warning>)> {
    let config = Config::load(dir)?;
    let (book, warnings) = crate::markdown::load_with(dir, &config)?;
    Ok((config, book, warnings))
}

/// Builds the editions in `targets` from the manuscript in `dir` into `out`.
pub fn build(dir: &Path, out: &Path, targets: Targets) -> Result<Report> {
    let (_config, book, warnings) = load(dir)?;
    let mut report = Report { warnings, words: book.word_count(), ..Report::default() };
    if targets.epub {
        let bytes = crate::epub::render(&book, dir)?;
        let path = out.join(format!("{}.epub", book.meta.slug));
        write_atomically(&path, &bytes)?;
        report.written.push(path);
    }
    Ok(report)
}
