//! Dates and contributors from git: **one** walk of the history (`git log --name-only`) for
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
}

/// Reads the history of `root`, or says why there is none (not a repository, no git).
pub fn history(root: &Path) -> Result<History, String> {
    let head = git(root, &["rev-parse", "HEAD"])?.trim().to_string();
    let shallow = git(root, &["rev-parse", "--is-shallow-repository"]).is_ok_and(|s| s.trim() == "true");
    let log = git(root, &["log", "--format=%x1e%ct%x1f%an", "--name-only", "--no-renames", "--relative", "--", "."])?;
    let mut files: HashMap<String, (i64, i64, BTreeSet<String>)> = HashMap::new();
    for record in log.split('\u{1e}').filter(|r| !r.trim().is_empty()) {
        let mut lines = record.lines();
        let Some(header) = lines.next() else { continue };
        let Some((ts, author)) = header.split_once('\u{1f}') else { continue };
        let Ok(ts) = ts.trim().parse::<i64>() else { continue };
        for path in lines.map(str::trim).filter(|l| !l.is_empty()) {
            let path = unquote(path);
            // Newest first: the first time a file is seen is its last update.
            let e = files.entry(path).or_insert((ts, ts, BTreeSet::new()));
            e.0 = e.0.min(ts);
            e.1 = e.1.max(ts);
            e.2.insert(author.to_string());
        }
    }
    let files = files
        .into_iter()
        .map(|(path, (first, last, authors))| {
            (
                path,
                FileHistory { created: date(first), updated: date(last), contributors: authors.into_iter().collect() },
            )
        })
        .collect();
    Ok(History { files, shallow, head })
}

/// The commit checked out in `root`, if it is in a repository.
pub fn head(root: &Path) -> Option<String> {
    git(root, &["rev-parse", "HEAD"]).ok().map(|s| s.trim().to_string())
}

fn git(root: &Path, args: &[&str]) -> Result<String, String> {
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
fn unquote(p: &str) -> String {
    match p.strip_prefix('"').and_then(|s| s.strip_suffix('"')) {
        Some(inner) => inner.replace("\\\"", "\"").replace("\\\\", "\\").replace("\\t", "\t"),
        None => p.to_string(),
    }
}

fn date(ts: i64) -> String {
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
