//! Watching the manuscript folder for saves. The folder is watched, not its files: an
//! editor that saves by writing a new file and renaming it over the old one replaces the
//! file the watch would have been on. A burst of events (an editor writes, renames, sets
//! times) becomes one rebuild: after the first event, events are gathered until the
//! folder has been quiet for [`QUIET`].

use crate::error::{Error, Result};
use notify::{Event, EventKind, RecursiveMode, Watcher};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

/// How long the folder must be quiet before a rebuild starts.
pub const QUIET: Duration = Duration::from_millis(30);

/// A watch on a manuscript folder.
pub struct FolderWatch {
    // Kept alive: dropping it ends the watch.
    _watcher: notify::RecommendedWatcher,
    events: Receiver<notify::Result<Event>>,
    /// Changes under here are the build's own (an output folder inside the manuscript).
    ignore: Option<PathBuf>,
}

impl FolderWatch {
    /// Watches `dir` and everything in it; changes under `ignore` (the output folder)
    /// are not the author's and start no rebuild.
    pub fn new(dir: &Path, ignore: &Path) -> Result<FolderWatch> {
        let (tx, events) = channel();
        let fail = |e: notify::Error| Error::Read {
            path: dir.to_path_buf(),
            source: std::io::Error::other(format!("cannot watch for changes: {e}")),
        };
        let mut watcher = notify::recommended_watcher(tx).map_err(fail)?;
        watcher.watch(dir, RecursiveMode::Recursive).map_err(fail)?;
        // The output folder is made now, so that it can be told apart from the first
        // build on (a folder that does not exist has no canonical path).
        std::fs::create_dir_all(ignore)
            .map_err(|source| Error::Write { path: ignore.to_path_buf(), source })?;
        let ignore = ignore.canonicalize().ok();
        Ok(FolderWatch { _watcher: watcher, events, ignore })
    }

    /// Waits for a change and then for the folder to be quiet; returns the files that
    /// changed, or `None` when the watch has ended.
    pub fn next_change(&self) -> Option<Vec<PathBuf>> {
        let mut changed = Vec::new();
        loop {
            let event = if changed.is_empty() {
                self.events.recv().ok()?
            } else {
                match self.events.recv_timeout(QUIET) {
                    Ok(event) => event,
                    Err(RecvTimeoutError::Timeout) => return Some(changed),
                    Err(RecvTimeoutError::Disconnected) => return None,
                }
            };
            // A watch error (an overflowed queue) may hide changes: rebuild to be safe.
            let Ok(event) = event else {
                changed.push(PathBuf::new());
                continue;
            };
            if matches!(event.kind, EventKind::Access(_)) {
                continue;
            }
            for path in event.paths {
                if !self.is_ignored(&path) && !changed.contains(&path) {
                    changed.push(path);
                }
            }
        }
    }

    fn is_ignored(&self, path: &Path) -> bool {
        let Some(ignore) = &self.ignore else { return false };
        let real = path
            .canonicalize()
            .or_else(|_| path.parent().map_or(Ok(PathBuf::new()), Path::canonicalize));
        real.is_ok_and(|p| p.starts_with(ignore))
    }
}
