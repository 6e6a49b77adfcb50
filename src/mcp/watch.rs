//! The watcher of `dossier mcp`: `serve`'s (debounced batches of changed paths, reads left
//! out), except that it never follows a symlink, so that it lists no folder outside the
//! repository through one (discovery skips those links anyway, and the server reads nothing
//! outside the repository).

use notify_debouncer_full::notify::{self, RecursiveMode};
use notify_debouncer_full::{Debouncer, NoCache, new_debouncer_opt};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

/// A running watcher; dropping it stops watching.
pub type Watcher = Debouncer<notify::RecommendedWatcher, NoCache>;

/// Watches `root` recursively, not through symlinks, and sends debounced batches of changed
/// paths.
pub fn watch(root: &Path, tx: Sender<Vec<PathBuf>>) -> notify::Result<Watcher> {
    let handler = crate::serve::watch::batches(tx);
    let config = notify::Config::default().with_follow_symlinks(false);
    let mut d = new_debouncer_opt::<_, notify::RecommendedWatcher, _>(
        Duration::from_millis(25),
        Some(Duration::from_millis(10)),
        handler,
        NoCache,
        config,
    )?;
    d.watch(root, RecursiveMode::Recursive)?;
    Ok(d)
}
