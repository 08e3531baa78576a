//! Errors and warnings shared by every phase: a typed [`Error`] that names the file, line
//! and column where it can, and [`Warning`]s that are collected and returned, never printed
//! by the library.

use std::cell::Cell;
use std::fmt;
use std::path::{Path, PathBuf};

/// A place in a manuscript file, 1-based, for diagnostics.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Location {
    /// The file, as the user named it (manuscript directory joined with the file name).
    pub path: PathBuf,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub column: usize,
}

impl Location {
    /// A location at `line`:`column` of `path`.
    pub fn new(path: &Path, line: usize, column: usize) -> Self {
        Self { path: path.to_path_buf(), line, column }
    }

    /// The start of a file, for problems that concern the file as a whole.
    pub fn file(path: &Path) -> Self {
        Self::new(path, 1, 1)
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.path.display(), self.line, self.column)
    }
}

/// Everything that can stop a build.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or directory could not be read.
    #[error("{}: cannot read: {}", path.display(), crate::input::plain_io(source))]
    Read {
        /// What we tried to read.
        path: PathBuf,
        /// Why the operating system refused.
        source: std::io::Error,
    },
    /// An output file could not be written; earlier output is left as it was.
    #[error("{}: cannot write: {}", path.display(), crate::input::plain_io(source))]
    Write {
        /// What we tried to write.
        path: PathBuf,
        /// Why the operating system refused.
        source: std::io::Error,
    },
    /// `book.toml` or a chapter's front matter is malformed or inconsistent.
    #[error("{at}: {message}")]
    Config {
        /// Where the offending key or value is.
        at: Location,
        /// What is wrong, in lower case.
        message: String,
    },
    /// The Markdown of a chapter cannot be turned into the model.
    #[error("{at}: {message}")]
    Markdown {
        /// Where the problem starts.
        at: Location,
        /// What is wrong, in lower case.
        message: String,
    },
    /// A font file is missing or unusable.
    #[error("{}: {reason}", path.display())]
    Font {
        /// The font file.
        path: PathBuf,
        /// What is wrong with it.
        reason: String,
    },
    /// A Word file given to `quire import` cannot be read, or is refused as unsafe.
    #[error("{}: {message}", path.display())]
    Import {
        /// The Word file, or the part of it that is at fault (`book.docx:word/document.xml`).
        path: PathBuf,
        /// What is wrong, in lower case.
        message: String,
    },
    /// The EPUB writer failed.
    #[error("epub: {0}")]
    Epub(String),
    /// The PDF writer failed.
    #[error("pdf: {0}")]
    Pdf(String),
    /// A cover could not be drawn or encoded.
    #[error("cover: {0}")]
    Cover(String),
    /// Several problems found in one run, sorted by file and line; see [`Error::many`].
    #[error("{}", many_summary(errors, *more))]
    Many {
        /// The errors reported (at most [`MAX_ERRORS`]).
        errors: Vec<Error>,
        /// How many more were found and not kept.
        more: usize,
    },
    /// `--deny-warnings` was given and the build warned; nothing was written.
    #[error("{count} warning(s) and --deny-warnings: nothing was written")]
    Denied {
        /// How many.
        count: usize,
        /// The warnings, for the caller to print.
        warnings: Vec<Warning>,
    },
}

/// The most errors one run reports; past it, only their count.
pub const MAX_ERRORS: usize = 100;

/// Every error of a [`Error::Many`], one per line.
fn many_summary(errors: &[Error], more: usize) -> String {
    let mut lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    if more > 0 {
        lines.push(format!("and {more} more"));
    }
    lines.join("\n")
}

impl Error {
    /// Gathers the errors of one run: `Ok` when there are none, the error itself when
    /// there is one, else [`Error::Many`] sorted by file, line and column (errors with no
    /// place first) and cut at [`MAX_ERRORS`]. Nested `Many`s are flattened.
    pub fn many(errors: Vec<Error>) -> Result<()> {
        let mut flat = Vec::with_capacity(errors.len());
        let mut more = 0;
        for e in errors {
            match e {
                Error::Many { errors, more: m } => {
                    flat.extend(errors);
                    more += m;
                }
                e => flat.push(e),
            }
        }
        flat.sort_by(|a, b| {
            let key =
                |e: &Error| e.location().map(|l| (l.path.clone(), l.line, l.column));
            key(a).cmp(&key(b))
        });
        if flat.len() > MAX_ERRORS {
            more += flat.len() - MAX_ERRORS;
            flat.truncate(MAX_ERRORS);
        }
        match flat.len() {
            0 => Ok(()),
            1 if more == 0 => Err(flat.remove(0)),
            _ => Err(Error::Many { errors: flat, more }),
        }
    }

    /// Where the problem is, when it has a place in a file.
    pub fn location(&self) -> Option<&Location> {
        match self {
            Error::Config { at, .. } | Error::Markdown { at, .. } => Some(at),
            _ => None,
        }
    }

    /// The single errors this one stands for: itself, or each of a [`Error::Many`].
    pub fn each(&self) -> &[Error] {
        match self {
            Error::Many { errors, .. } => errors,
            e => std::slice::from_ref(e),
        }
    }

    /// A configuration error at `at`.
    pub fn config(at: Location, message: impl Into<String>) -> Self {
        Error::Config { at, message: message.into() }
    }

    /// A Markdown error at `at`.
    pub fn markdown(at: Location, message: impl Into<String>) -> Self {
        Error::Markdown { at, message: message.into() }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Something odd that does not stop the build, such as dropped raw HTML or an overfull line.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Warning {
    /// Where it happened, when that is known.
    pub at: Option<Location>,
    /// What happened, in lower case.
    pub message: String,
}

impl Warning {
    /// A warning tied to a place in a file.
    pub fn at(at: Location, message: impl Into<String>) -> Self {
        Self { at: Some(at), message: message.into() }
    }

    /// A warning about the book as a whole.
    pub fn general(message: impl Into<String>) -> Self {
        Self { at: None, message: message.into() }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.at {
            Some(at) => write!(f, "{at}: {}", self.message),
            None => write!(f, "{}", self.message),
        }
    }
}

/// Maps a byte offset in a text to a 1-based line and column (in characters).
pub struct LineIndex {
    starts: Vec<usize>,
    /// The last offset looked up and its column. A lookup further along the same line
    /// counts on from there, so that looking up every emphasis of a megabyte-long line in
    /// turn takes linear time, not quadratic.
    last: Cell<(usize, usize)>,
}

impl LineIndex {
    /// Indexes the line starts of `text` once, so each lookup is a binary search.
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self { starts, last: Cell::new((0, 1)) }
    }

    /// Line and column of byte `offset` in `text` (the text this index was built from).
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let (last, last_column) = self.last.get();
        let (from, column) = if start <= last && last <= offset {
            (last, last_column)
        } else {
            (start, 1)
        };
        let column = match text.get(from..offset) {
            Some(s) => {
                let column = column + s.chars().count();
                self.last.set((offset, column));
                column
            }
            None => 1,
        };
        (line + 1, column)
    }
}

#[cfg(test)]
mod tests {
    use super::{Error, LineIndex, Location, MAX_ERRORS};
    use std::path::Path;

    #[test]
    fn many_errors_are_sorted_flattened_and_capped() {
        let e = |file: &str, line| {
            Error::markdown(Location::new(Path::new(file), line, 1), "x")
        };
        assert!(Error::many(vec![]).is_ok());
        let one = Error::many(vec![e("a.md", 3)]).unwrap_err();
        assert_eq!(one.to_string(), "a.md:3:1: x");
        let inner = Error::many(vec![e("b.md", 1), e("a.md", 9)]).unwrap_err();
        let all = Error::many(vec![e("a.md", 10), inner]).unwrap_err();
        assert_eq!(all.to_string(), "a.md:9:1: x\na.md:10:1: x\nb.md:1:1: x");
        let lots = Error::many((0..MAX_ERRORS + 5).map(|i| e("c.md", i + 1)).collect());
        let lots = lots.unwrap_err();
        assert_eq!(lots.each().len(), MAX_ERRORS);
        assert!(lots.to_string().ends_with("\nand 5 more"));
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "ab\n“cd”e\nx";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 0), (1, 1));
        assert_eq!(index.line_col(text, 3), (2, 1));
        let e = text.find('e').unwrap();
        assert_eq!(index.line_col(text, e), (2, 5));
        assert_eq!(index.line_col(text, text.len()), (3, 2));
    }

    #[test]
    fn line_col_is_the_same_in_any_order_of_lookups() {
        let text = "ab\n“cd”e and more\nx yz\n\nlast line here";
        let fresh = |offset: usize| LineIndex::new(text).line_col(text, offset);
        let index = LineIndex::new(text);
        // Rising, falling, repeated, inside a character, and past the end.
        let mut offsets: Vec<usize> = (0..=text.len() + 2).collect();
        offsets.extend((0..=text.len()).rev());
        offsets.extend([5, 5, 4, 30, 6, 0, 31]);
        for offset in offsets {
            assert_eq!(index.line_col(text, offset), fresh(offset), "offset {offset}");
        }
    }
}
