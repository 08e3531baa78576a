//! Writing output files safely: each file is written to a temporary file beside it and
//! renamed into place, so a failed build never leaves a half-written book and an earlier
//! good file survives any failure.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` atomically (temporary file in the same directory, then rename).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let err = |source| Error::Write { path: path.to_path_buf(), source };
    let temp = stage(path, bytes).map_err(err)?;
    std::fs::rename(&temp, path).map_err(|source| {
        let _ = std::fs::remove_file(&temp);
        err(source)
    })
}

/// Writes several files so that either all of them are replaced or none is: each is
/// first written to a temporary file beside its target, and only when every one has been
/// written are they renamed into place.
pub fn write_all_atomically(files: &[(std::path::PathBuf, Vec<u8>)]) -> Result<()> {
    let mut staged: Vec<(std::path::PathBuf, &Path)> = Vec::new();
    let cleanup = |staged: &[(std::path::PathBuf, &Path)]| {
        for (temp, _) in staged {
            let _ = std::fs::remove_file(temp);
        }
    };
    for (path, bytes) in files {
        let err = |source| Error::Write { path: path.clone(), source };
        if path.is_dir() {
            cleanup(&staged);
            return Err(err(std::io::Error::new(
                std::io::ErrorKind::IsADirectory,
                "a directory is in the way",
            )));
        }
        match stage(path, bytes) {
            Ok(temp) => staged.push((temp, path)),
            Err(source) => {
                cleanup(&staged);
                return Err(err(source));
            }
        }
    }
    for (i, (temp, path)) in staged.iter().enumerate() {
        if let Err(source) = std::fs::rename(temp, path) {
            cleanup(&staged[i..]);
            return Err(Error::Write { path: path.to_path_buf(), source });
        }
    }
    Ok(())
}

/// Writes `bytes` to a temporary file in `path`'s directory and returns its name.
fn stage(path: &Path, bytes: &[u8]) -> std::io::Result<std::path::PathBuf> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir)?;
    let name =
        path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let temp = dir.join(format!(".{name}.{}.part", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()
    })();
    match result {
        Ok(()) => Ok(temp),
        Err(e) => {
            let _ = std::fs::remove_file(&temp);
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::write_atomically;

    #[test]
    fn writes_and_replaces_without_leftovers() {
        let dir =
            std::env::temp_dir().join(format!("quire-output-{}", std::process::id()));
        let path = dir.join("a.txt");
        write_atomically(&path, b"one").unwrap();
        write_atomically(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
