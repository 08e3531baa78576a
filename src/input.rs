//! Reading the manuscript's own files, and nothing else.
//!
//! Every file quire reads from a manuscript (`book.toml`, chapters, images) goes through
//! [`Manuscript`], which holds one rule: the file's real path — after every symbolic link
//! is followed — lies inside the manuscript folder, and it is a regular file of at most
//! [`MAX_FILE_BYTES`]. So a chapter that is a link to `/etc/passwd`, a folder link out of
//! the manuscript, `/dev/zero` or a named pipe is refused with a message, never read (a
//! pipe would block the build and a device would fill memory).

use std::fmt;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

/// The largest manuscript file quire reads: far above any real chapter or print image
/// (KDP caps a whole interior at 650 MB, a 300-ppi full-page photo is a few MB).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// A manuscript folder, resolved once to its real path.
#[derive(Debug, Clone)]
pub struct Manuscript {
    /// The folder as the user named it, for messages.
    dir: PathBuf,
    /// Its real path: every file read must lie under it.
    root: PathBuf,
}

/// Why a manuscript file is not read. Displayed as a phrase that follows the file's
/// name: `chapter "a.md" is a link to a file outside the manuscript folder`.
#[derive(Debug)]
pub enum Refusal {
    /// An absolute path, or one that climbs out with `..`.
    Leaves,
    /// The real path, after links, is outside the manuscript folder.
    LinksOutside,
    /// There is no such file (or a link points at nothing).
    NotFound,
    /// Links that point at each other, or too many links in a row.
    LinkLoop,
    /// The name is longer than the file system allows.
    NameTooLong,
    /// A folder, pipe, socket or device.
    NotAFile(&'static str),
    /// Larger than [`MAX_FILE_BYTES`].
    TooLarge(u64),
    /// Anything else the operating system refused.
    Io(std::io::Error),
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::Leaves => {
                f.write_str("leaves the manuscript folder; keep every file inside it")
            }
            Refusal::LinksOutside => f.write_str(
                "is a link to a file outside the manuscript folder; copy the file into the folder instead",
            ),
            Refusal::NotFound => f.write_str("is not found in the manuscript folder"),
            Refusal::LinkLoop => f.write_str(
                "is a symbolic link that leads in a circle (or through too many links); point it at a real file",
            ),
            Refusal::NameTooLong => {
                f.write_str("has a name longer than the file system allows; shorten it")
            }
            Refusal::NotAFile(kind) => {
                write!(f, "is a {kind}, not a regular file; only regular files are read")
            }
            Refusal::TooLarge(size) => write!(
                f,
                "is {:.1} MB; quire reads files of at most {} MB",
                *size as f64 / 1_048_576.0,
                MAX_FILE_BYTES / 1_048_576
            ),
            Refusal::Io(e) => write!(f, "cannot be read: {}", plain_io(e)),
        }
    }
}

impl From<std::io::Error> for Refusal {
    fn from(e: std::io::Error) -> Self {
        use std::io::ErrorKind as K;
        if is_link_loop(&e) {
            return Refusal::LinkLoop;
        }
        match e.kind() {
            K::NotFound => Refusal::NotFound,
            K::InvalidFilename => Refusal::NameTooLong,
            K::IsADirectory => Refusal::NotAFile("folder"),
            _ => Refusal::Io(e),
        }
    }
}

/// An I/O error in words, without the "(os error N)" a reader cannot act on.
pub fn plain_io(e: &std::io::Error) -> String {
    use std::io::ErrorKind as K;
    if is_link_loop(e) {
        return "symbolic links lead in a circle".to_string();
    }
    if e.raw_os_error().is_none() {
        // Our own message, already in words.
        return e.to_string();
    }
    let words = match e.kind() {
        K::NotFound => "no such file or folder",
        K::PermissionDenied => "permission denied",
        K::InvalidFilename => "the name is longer than the file system allows",
        K::IsADirectory => "a folder is in the way",
        K::NotADirectory => "a file is in the way where a folder should be",
        K::StorageFull => "the disk is full",
        K::ReadOnlyFilesystem => "the disk is read-only",
        K::QuotaExceeded => "the disk quota is used up",
        K::AlreadyExists => "it already exists",
        _ => {
            let text = e.to_string();
            return match text.find(" (os error") {
                Some(i) => text[..i].to_string(),
                None => text,
            };
        }
    };
    words.to_string()
}

/// ELOOP: `std::io::ErrorKind::FilesystemLoop` is not stable yet, so the number is read.
fn is_link_loop(e: &std::io::Error) -> bool {
    #[cfg(target_os = "linux")]
    const ELOOP: i32 = 40;
    #[cfg(not(target_os = "linux"))]
    const ELOOP: i32 = 62; // the BSDs and macOS
    cfg!(unix) && e.raw_os_error() == Some(ELOOP)
}

impl Manuscript {
    /// The manuscript in `dir`, which must be a folder.
    pub fn open(dir: &Path) -> std::io::Result<Self> {
        let root = dir.canonicalize()?;
        if !root.is_dir() {
            return Err(std::io::Error::new(
                std::io::ErrorKind::NotADirectory,
                "not a folder",
            ));
        }
        Ok(Self { dir: dir.to_path_buf(), root })
    }

    /// The folder as the user named it; messages name files under it.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The real path of `relative` (a path written in the manuscript), checked to be a
    /// regular file inside the manuscript of at most [`MAX_FILE_BYTES`].
    pub fn resolve(&self, relative: &Path) -> Result<PathBuf, Refusal> {
        if relative.as_os_str().is_empty()
            || relative.is_absolute()
            || relative
                .components()
                .any(|c| !matches!(c, Component::Normal(_) | Component::CurDir))
        {
            return Err(Refusal::Leaves);
        }
        let real = self.root.join(relative).canonicalize()?;
        if !real.starts_with(&self.root) {
            return Err(Refusal::LinksOutside);
        }
        let meta = std::fs::metadata(&real)?;
        check_kind(&meta)?;
        Ok(real)
    }

    /// Reads `relative` whole, under the rules of [`Self::resolve`].
    pub fn read(&self, relative: &Path) -> Result<Vec<u8>, Refusal> {
        let real = self.resolve(relative)?;
        let file = std::fs::File::open(&real)?;
        // Checked again on the open file: the path may have been swapped since.
        let meta = file.metadata()?;
        check_kind(&meta)?;
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(Refusal::TooLarge(bytes.len() as u64));
        }
        Ok(bytes)
    }
}

/// Refuses anything but a regular file within the size cap.
fn check_kind(meta: &std::fs::Metadata) -> Result<(), Refusal> {
    let kind = meta.file_type();
    if !kind.is_file() {
        return Err(Refusal::NotAFile(describe(&kind)));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(Refusal::TooLarge(meta.len()));
    }
    Ok(())
}

/// "folder", "named pipe"… for a file that is not a regular one.
fn describe(kind: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return "named pipe";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "device";
        }
        if kind.is_socket() {
            return "socket";
        }
    }
    if kind.is_dir() { "folder" } else { "special file" }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir()
            .join(format!("quire-input-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("book")).unwrap();
        dir
    }

    #[test]
    fn reads_files_inside_and_refuses_the_rest() {
        let dir = scratch("rules");
        let book = dir.join("book");
        std::fs::write(book.join("a.md"), "inside").unwrap();
        std::fs::write(dir.join("secret.md"), "outside").unwrap();
        std::fs::create_dir(book.join("sub")).unwrap();
        let m = Manuscript::open(&book).unwrap();
        assert_eq!(m.read(Path::new("a.md")).unwrap(), b"inside");
        assert_eq!(m.read(Path::new("./a.md")).unwrap(), b"inside");
        let refused = |p: &str| m.read(Path::new(p)).unwrap_err().to_string();
        assert!(refused("../secret.md").starts_with("leaves"));
        assert!(refused("/etc/hostname").starts_with("leaves"));
        assert!(refused("none.md").starts_with("is not found"));
        assert_eq!(
            refused("sub"),
            "is a folder, not a regular file; only regular files are read"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            symlink("../secret.md", book.join("link.md")).unwrap();
            symlink(&dir, book.join("up")).unwrap();
            symlink("loop.md", book.join("loop.md")).unwrap();
            symlink("a.md", book.join("ok.md")).unwrap();
            assert!(refused("link.md").starts_with("is a link to a file outside"));
            assert!(refused("up/secret.md").starts_with("is a link to a file outside"));
            assert!(
                refused("loop.md")
                    .starts_with("is a symbolic link that leads in a circle")
            );
            assert_eq!(m.read(Path::new("ok.md")).unwrap(), b"inside");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn devices_are_refused_without_reading() {
        let dir = scratch("devices");
        let book = dir.join("book");
        std::os::unix::fs::symlink("/dev/zero", book.join("zero.md")).unwrap();
        // /dev is outside the manuscript, so the link rule refuses it first; a device
        // inside the folder is refused for its kind.
        let m = Manuscript::open(Path::new("/dev")).unwrap();
        assert_eq!(
            m.read(Path::new("zero")).unwrap_err().to_string(),
            "is a device, not a regular file; only regular files are read"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
