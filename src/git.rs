//! Dates and contributors from git: **one** walk of the history (`git log --raw`, see `history`) for
//! the whole source folder, never one command per file. An I/O edge, like discovery.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;
use std::process::Command;

/// What git knows about one file.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct FileHistory {
    /// Date of the first commit that touched the file (`YYYY-MM-DD`, UTC).
    pub created: String,
    /// Date of the last commit that touched it.
    pub updated: String,
    /// Commit authors, sorted.
    pub contributors: Vec<String>,
}

/// The history of the source folder.
#[derive(Clone, Debug, Default)]
pub struct History {
    /// By path relative to the source folder.
    pub files: HashMap<String, FileHistory>,
    /// A shallow clone: the oldest dates are wrong.
    pub shallow: bool,
    /// The commit the history was read at (for caching in `serve`).
    pub head: String,
    /// HEAD's commit time (seconds since the epoch): "now" for `[review] stale_after`.
    pub head_time: i64,
    /// Every revision of every file, for status histories.
    pub revisions: crate::history::Revisions,
}

/// Reads the history of `root`, or says why there is none (not a repository, no git): one
/// walk of the log with every file's revisions (renames followed), from which the dates and
/// contributors are taken.
pub fn history(root: &Path) -> Result<History, String> {
    let head_line = git(root, &["log", "-1", "--format=%H %ct", "HEAD"])?;
    let (head, head_time) = head_line.trim().split_once(' ').ok_or("git log printed no commit")?;
    let (head, head_time) = (head.to_string(), head_time.parse().unwrap_or(0));
    let shallow = git(root, &["rev-parse", "--is-shallow-repository"]).is_ok_and(|s| s.trim() == "true");
    let revisions = crate::history::walk(root)?;
    let files = revisions
        .by_path
        .iter()
        .filter_map(|(path, revs)| {
            let first = revs.iter().map(|r| r.ts).min()?;
            let last = revs.iter().map(|r| r.ts).max()?;
            let authors: BTreeSet<&str> = revs.iter().map(|r| r.author.as_str()).collect();
            let contributors = authors.into_iter().map(str::to_string).collect();
            Some((path.clone(), FileHistory { created: date(first), updated: date(last), contributors }))
        })
        .collect();
    Ok(History { files, shallow, head, head_time, revisions })
}

/// The commit checked out in `root`, if it is in a repository.
pub fn head(root: &Path) -> Option<String> {
    git(root, &["rev-parse", "HEAD"]).ok().map(|s| s.trim().to_string())
}

pub(crate) fn git(root: &Path, args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["-c", "core.quotepath=off"])
        .args(args)
        .output()
        .map_err(|e| format!("git is not available ({e})"))?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        return Err(err.lines().next().unwrap_or("git failed").trim().to_string());
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// Git quotes unusual paths (`"a\tb.md"`); undo the common escapes.
pub(crate) fn unquote(p: &str) -> String {
    match p.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        Some(inner) => inner.replace("\\\"", "\"").replace("\\\\", "\\").replace("\\t", "\t"),
        None => p.to_string(),
    }
}

pub(crate) fn date(ts: i64) -> String {
    jiff::Timestamp::from_second(ts).map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date().to_string()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_from_timestamps() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(1_700_000_000), "2023-11-14");
        assert_eq!(unquote("\"a\\\"b.md\""), "a\"b.md");
    }
}
