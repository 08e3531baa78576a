//! `quire new DIR`: a small, valid manuscript that builds cleanly, to start a book from.

use crate::error::{Error, Result};
use std::path::Path;

/// Writes a starter manuscript into `dir`, which must not exist or be empty.
pub fn create(dir: &Path) -> Result<()> {
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .map_err(|source| Error::Read { path: dir.to_path_buf(), source })?
            .next()
            .is_none();
        if !empty {
            return Err(Error::Write {
                path: dir.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::AlreadyExists,
                    "directory is not empty; quire new will not overwrite anything",
                ),
            });
        }
    }
    let title = dir
        .file_name()
        .map(|n| n.to_string_lossy().replace(['-', '_'], " "))
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| "My Book".into());
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let date = chrono::DateTime::from_timestamp(secs, 0)
        .map(|d| d.date_naive().format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "2026-01-01".into());
    let id = uuid::Uuid::new_v4();
    let files = [
        (
            "book.toml",
            format!(
                "[book]\ntitle = {title:?}\nauthor = \"Your Name\"\nlanguage = \"en-US\"\n\
identifier = \"urn:uuid:{id}\"\ndate = \"{date}\"\n\
rights = \"Copyright © {year} Your Name. All rights reserved.\"\n\n\
[contents]\nfront = [\"dedication.md\"]\nessays = [\"01-first-essay.md\", \"02-second-essay.md\"]\n",
                year = &date[..4]
            ),
        ),
        ("dedication.md", "+++\nkind = \"dedication\"\n+++\n\nFor everyone who reads to the end.\n".into()),
        (
            "01-first-essay.md",
            "# A First Essay\n\nEvery book starts with a sentence. This one says that quire turns \
plain Markdown into an ebook and a paperback---with *emphasis*, **strong words**, \"smart \
quotes\" and footnotes.[^start]\n\n* * *\n\nA scene break sits above this paragraph.\n\n\
## For reflection {.reflection}\n\n1. What will your first sentence be?\n2. Who is the book for?\n\n\
[^start]: Footnotes are numbered for you, per essay.\n"
                .into(),
        ),
        (
            "02-second-essay.md",
            "# A Second Essay\n\nWrite one Markdown file per essay and list it in `book.toml`.\n\n\
> A block quote looks like this.\n\n- a list\n- of points\n"
                .into(),
        ),
    ];
    for (name, text) in files {
        crate::output::write_atomically(&dir.join(name), text.as_bytes())?;
    }
    Ok(())
}
