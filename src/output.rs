//! Writing output files safely.
//!
//! Each file is first written to a temporary file beside it and renamed into place, so a
//! failed build never leaves a half-written book and an earlier good file survives any
//! failure. Temporary files are created exclusively under unpredictable names (the
//! `tempfile` crate), so a link planted at a likely name in the output folder is never
//! written through; leftovers of an interrupted build (`.<name>.<random>.part`) are
//! removed by the next one. Every file lands inside the output folder: a subfolder that
//! is a link leading out of it is refused.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::{Path, PathBuf};
use tempfile::NamedTempFile;

/// Writes `bytes` to `path` atomically (temporary file in the same folder, then rename).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let err = |source| Error::Write { path: path.to_path_buf(), source };
    let staged = stage(path, bytes).map_err(err)?;
    staged.persist(path).map(drop).map_err(|e| err(e.error))
}

/// Writes several files into the folder `out` so that either all of them are replaced or
/// none is: each is first written to a temporary file beside its target, and only when
/// every one has been written are they renamed into place. Every path must lie in `out`.
pub fn write_all_atomically(out: &Path, files: &[(PathBuf, Vec<u8>)]) -> Result<()> {
    std::fs::create_dir_all(out)
        .map_err(|source| Error::Write { path: out.to_path_buf(), source })?;
    let root = out
        .canonicalize()
        .map_err(|source| Error::Write { path: out.to_path_buf(), source })?;
    let mut staged = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        let err = |source| Error::Write { path: path.clone(), source };
        ensure_inside(&root, path)?;
        if path.is_dir() {
            return Err(err(std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                "a folder is in the way",
            )));
        }
        // Dropping what is staged so far removes its temporary files.
        staged.push(stage(path, bytes).map_err(err)?);
    }
    for (temp, (path, _)) in staged.into_iter().zip(files) {
        temp.persist(path)
            .map_err(|e| Error::Write { path: path.clone(), source: e.error })?;
    }
    Ok(())
}

/// Creates `path`'s folder and refuses it unless its real path is inside `root`.
fn ensure_inside(root: &Path, path: &Path) -> Result<()> {
    let dir = parent(path);
    let err = |source| Error::Write { path: path.to_path_buf(), source };
    std::fs::create_dir_all(dir).map_err(err)?;
    let real = dir.canonicalize().map_err(err)?;
    if !real.starts_with(root) {
        return Err(err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            format!(
                "{} is a link to a folder outside the output folder; remove the link",
                dir.display()
            ),
        )));
    }
    Ok(())
}

/// The folder a file goes in (`.` for a bare name).
fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    }
}

/// Writes `bytes` to a new temporary file in `path`'s folder, after removing the
/// leftovers an interrupted build left for the same target.
fn stage(path: &Path, bytes: &[u8]) -> std::io::Result<NamedTempFile> {
    let dir = parent(path);
    std::fs::create_dir_all(dir)?;
    let name =
        path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    remove_leftovers(dir, &name);
    let mut temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".part")
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    temp.as_file().sync_all()?;
    Ok(temp)
}

/// Removes `.<name>.*.part` entries of `dir`: temporary files of a build that was
/// stopped before it could rename them (or links planted at such names). Links are
/// removed themselves, never followed.
fn remove_leftovers(dir: &Path, name: &str) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let prefix = format!(".{name}.");
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        let is_leftover = file_name.len() > prefix.len() + ".part".len()
            && file_name.starts_with(&prefix)
            && file_name.ends_with(".part");
        let removable = entry.file_type().is_ok_and(|t| t.is_file() || t.is_symlink());
        if is_leftover && removable {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir()
            .join(format!("quire-output-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn writes_and_replaces_without_leftovers() {
        let dir = scratch("replace");
        let path = dir.join("a.txt");
        std::fs::write(dir.join(".a.txt.4242.part"), "stale").unwrap();
        write_atomically(&path, b"one").unwrap();
        write_atomically(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn planted_links_are_never_written_through() {
        let dir = scratch("links");
        let out = dir.join("out");
        let elsewhere = dir.join("elsewhere");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::create_dir_all(&elsewhere).unwrap();
        let victim = elsewhere.join("victim");
        std::fs::write(&victim, "keep").unwrap();
        // The old, predictable temporary name, pointing outside.
        let planted = out.join(format!(".b.epub.{}.part", std::process::id()));
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        std::os::unix::fs::symlink(&elsewhere, out.join("handouts")).unwrap();
        let files = vec![(out.join("b.epub"), b"book".to_vec())];
        write_all_atomically(&out, &files).unwrap();
        assert_eq!(std::fs::read(out.join("b.epub")).unwrap(), b"book");
        assert!(
            std::fs::symlink_metadata(&planted).is_err(),
            "the planted link is removed"
        );
        let files = vec![(out.join("handouts/h.pdf"), b"pdf".to_vec())];
        let e = write_all_atomically(&out, &files).unwrap_err().to_string();
        assert!(e.contains("is a link to a folder outside the output folder"), "{e}");
        let mut outside: Vec<_> = std::fs::read_dir(&elsewhere)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        outside.sort();
        assert_eq!(outside, ["victim"]);
        assert_eq!(std::fs::read(&victim).unwrap(), b"keep");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
