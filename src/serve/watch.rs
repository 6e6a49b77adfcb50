//! Watching the source folder: which changes matter (pure) and the notify watcher itself.

use notify_debouncer_full::notify::{self, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, FileIdCache, new_debouncer, new_debouncer_opt};
use std::path::{Path, PathBuf};
use std::sync::mpsc::Sender;
use std::time::Duration;

/// Whether a change to `path` should trigger a rebuild. Ignores the output folder, hidden folders
/// and files (except dossier's own `.adr-dir` and `.log4brains.yml`), `node_modules`, `target`, and
/// editors' swap, backup and temporary files.
pub fn relevant(root: &Path, out: &Path, path: &Path) -> bool {
    if path.starts_with(out) {
        return false;
    }
    let Ok(rel) = path.strip_prefix(root) else { return false };
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    let Some((file, dirs)) = parts.split_last() else { return false };
    if dirs.iter().any(|d| d.starts_with('.') || d == "node_modules" || d == "target") {
        return false;
    }
    if file == ".adr-dir" || file == ".log4brains.yml" {
        return true;
    }
    let junk = file.starts_with('.')
        || file.starts_with('#')
        || file.ends_with('~')
        || file.ends_with(".swp")
        || file.ends_with(".swx")
        || file.ends_with(".swo")
        || file.ends_with(".tmp")
        || file.ends_with(".bak")
        || file.ends_with(".orig")
        || file.contains("___jb_tmp___")
        || file.contains("___jb_old___")
        || file.chars().all(|c| c.is_ascii_digit());
    !junk
}

/// What identifies the folder at `root` (device and inode): a new value means it was removed,
/// or replaced by another folder; `None` when nothing is there.
pub fn identity(root: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(root).ok().filter(|m| m.is_dir()).map(|m| (m.dev(), m.ino()))
}

/// A running watcher; dropping it stops watching.
pub enum Watcher {
    Native(Debouncer<notify::RecommendedWatcher, notify_debouncer_full::RecommendedCache>),
    Poll(Debouncer<notify::PollWatcher, notify_debouncer_full::NoCache>),
}

/// The debouncer's handler for `serve` and `mcp`: each batch's changed paths, sorted and
/// without repeats, sent on `tx`. Reads (access events) are not changes: dossier's own reads
/// would loop otherwise.
pub fn batches(tx: Sender<Vec<PathBuf>>) -> impl FnMut(DebounceEventResult) + Send + 'static {
    move |res: DebounceEventResult| {
        if let Ok(events) = res {
            let mut paths: Vec<PathBuf> = events
                .into_iter()
                .filter(|e| !matches!(e.event.kind, notify::EventKind::Access(_)))
                .flat_map(|e| e.event.paths)
                .collect();
            paths.sort();
            paths.dedup();
            if !paths.is_empty() {
                let _ = tx.send(paths);
            }
        }
    }
}

/// Watches `root` recursively and sends debounced batches of changed paths. A burst of changes
/// (an editor's write-temp-then-rename save, a `git checkout`) arrives as one batch.
pub fn watch(root: &Path, poll: bool, tx: Sender<Vec<PathBuf>>) -> notify::Result<Watcher> {
    let handler = batches(tx);
    let debounce = Duration::from_millis(25);
    if poll {
        let config = notify::Config::default().with_poll_interval(Duration::from_millis(300));
        let mut d = new_debouncer_opt::<_, notify::PollWatcher, _>(
            debounce,
            Some(Duration::from_millis(10)),
            handler,
            notify_debouncer_full::NoCache,
            config,
        )?;
        start(&mut d, root)?;
        Ok(Watcher::Poll(d))
    } else {
        let mut d = new_debouncer(debounce, Some(Duration::from_millis(10)), handler)?;
        start(&mut d, root)?;
        Ok(Watcher::Native(d))
    }
}

fn start<T: notify::Watcher, C: FileIdCache>(d: &mut Debouncer<T, C>, root: &Path) -> notify::Result<()> {
    d.watch(root, RecursiveMode::Recursive)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relevant_changes() {
        let root = Path::new("/r");
        let out = Path::new("/tmp/out");
        let yes =
            ["/r/adr/0001-x.md", "/r/dossier.toml", "/r/theme/templates/doc.html", "/r/img/fig.png", "/r/.adr-dir"];
        let no = [
            "/r/adr/.0001-x.md.swp",
            "/r/adr/0001-x.md~",
            "/r/adr/4913",
            "/r/adr/.#0001-x.md",
            "/r/adr/#0001-x.md#",
            "/r/adr/0001-x.md___jb_tmp___",
            "/r/.git/index",
            "/r/node_modules/a/b.md",
            "/tmp/out/index.html",
            "/elsewhere/x.md",
        ];
        for p in yes {
            assert!(relevant(root, out, Path::new(p)), "{p}");
        }
        for p in no {
            assert!(!relevant(root, out, Path::new(p)), "{p}");
        }
    }
}
