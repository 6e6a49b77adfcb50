//! Status history from git. One `git log --raw` walk of the source folder (renames followed)
//! names every revision of every file and its blob; one `git cat-file --batch` reads the blobs
//! that documents need. Each revision is parsed with the normal parser by the caller, and
//! [`changes`] turns the parses into the moments the status, title or relations changed.
//! The walk and the blob reads are the I/O edge; [`changes`] is pure.

use crate::diag::{Code, Diagnostic};
use crate::git::{date, git, unquote};
use crate::model::{Doc, RelKind, Status, StatusChange, Target};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};

/// One commit's version of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Revision {
    pub commit: String,
    /// Commit time, seconds since the epoch.
    pub ts: i64,
    pub author: String,
    /// The file's blob at that commit.
    pub blob: String,
}

/// Every revision of every file of the source folder, by the file's current path, oldest
/// first. A renamed file's revisions under its old names are listed under its new one.
#[derive(Clone, Debug, Default)]
pub struct Revisions {
    pub by_path: HashMap<String, Vec<Revision>>,
}

/// What history needs from one revision's parse.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub status: Status,
    pub status_raw: Option<String>,
    pub title: String,
    /// The relations as written: kind and target, in order.
    pub relations: Vec<(RelKind, Target)>,
}

impl Snapshot {
    pub fn of(doc: &crate::model::Doc) -> Snapshot {
        Snapshot {
            status: doc.status,
            status_raw: doc.status_raw.clone(),
            title: doc.title.clone(),
            relations: doc.relations.iter().map(|r| (r.kind, r.target.clone())).collect(),
        }
    }
}

/// The files under `root` that differ from HEAD in the work tree or the index (one `git diff`),
/// or `None` when git cannot tell.
pub fn changed_since_head(root: &Path) -> Option<std::collections::HashSet<String>> {
    let out = git(root, &["diff", "--name-only", "--relative", "HEAD", "--", "."]).ok()?;
    Some(out.lines().map(unquote).collect())
}

/// Reads the revisions of the files under `root` from one `git log --raw` walk.
pub fn walk(root: &Path) -> Result<Revisions, String> {
    let log =
        git(root, &["log", "--format=%x1e%H%x1f%ct%x1f%an", "--raw", "-M", "--no-abbrev", "--relative", "--", "."])?;
    Ok(revisions_of(&log))
}

/// Where a path seen in an older commit belongs: a current file, or a file that no longer
/// exists (deleted, or an older file of the same name before the current one was added).
enum Owner {
    Current(String),
    Gone,
}

/// Parses `git log --raw` output (newest commit first) into revisions by current path.
fn revisions_of(log: &str) -> Revisions {
    let mut by_path: HashMap<String, Vec<Revision>> = HashMap::new();
    let mut owner: HashMap<String, Owner> = HashMap::new();
    for record in log.split('\u{1e}').filter(|r| !r.trim().is_empty()) {
        let mut lines = record.lines();
        let Some(header) = lines.next() else { continue };
        let mut fields = header.splitn(3, '\u{1f}');
        let (Some(commit), Some(ts), Some(author)) = (fields.next(), fields.next(), fields.next()) else { continue };
        let Ok(ts) = ts.trim().parse::<i64>() else { continue };
        for line in lines.filter(|l| l.starts_with(':')) {
            let Some(change) = RawChange::parse(line) else { continue };
            let path = change.path.clone();
            let current = match owner.get(&path) {
                Some(Owner::Gone) => continue,
                Some(Owner::Current(c)) => c.clone(),
                None if change.kind == 'D' => {
                    owner.insert(path, Owner::Gone);
                    continue;
                }
                None => path.clone(),
            };
            if change.kind == 'D' {
                continue;
            }
            let rev = Revision { commit: commit.to_string(), ts, author: author.to_string(), blob: change.blob };
            by_path.entry(current.clone()).or_default().push(rev);
            // Before an add or a rename, this name was another file's (or none); a rename's old
            // name was this file's.
            if change.kind == 'A' || change.from.is_some() {
                owner.insert(path, Owner::Gone);
            }
            if let Some(old) = change.from {
                owner.insert(old, Owner::Current(current));
            }
        }
    }
    for revs in by_path.values_mut() {
        revs.reverse();
        revs.sort_by_key(|r| r.ts);
    }
    Revisions { by_path }
}

/// One line of `git log --raw`: `:100644 100644 OLD NEW M\tpath` or `… R087\told\tnew`.
struct RawChange {
    kind: char,
    blob: String,
    path: String,
    /// A rename's or copy's old path (copies keep their source, so only renames use it).
    from: Option<String>,
}

impl RawChange {
    fn parse(line: &str) -> Option<RawChange> {
        let (meta, paths) = line.split_once('\t')?;
        let mut parts = meta.split_whitespace();
        let blob = parts.nth(3)?.to_string();
        let kind = parts.next()?.chars().next()?;
        let mut paths = paths.split('\t').map(unquote);
        let first = paths.next()?;
        Some(match (kind, paths.next()) {
            ('R', Some(new)) => RawChange { kind: 'M', blob, path: new, from: Some(first) },
            ('C', Some(new)) => RawChange { kind: 'A', blob, path: new, from: None },
            _ => RawChange { kind, blob, path: first, from: None },
        })
    }
}

/// Reads `blobs` with one `git cat-file --batch`. Missing objects are left out.
pub fn blobs(root: &Path, blobs: &[&str]) -> Result<HashMap<String, Vec<u8>>, String> {
    let mut child = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("git is not available ({e})"))?;
    let mut stdin = child.stdin.take().ok_or("git cat-file has no input")?;
    let wanted: Vec<String> = blobs.iter().map(|b| b.to_string()).collect();
    // Written from a thread: git answers while it reads, and both pipes have bounded buffers.
    let writer = std::thread::spawn(move || {
        for b in &wanted {
            if writeln!(stdin, "{b}").is_err() {
                break;
            }
        }
    });
    let stdout = child.stdout.take().ok_or("git cat-file has no output")?;
    let out = read_batch(BufReader::new(stdout), blobs.len());
    let _ = writer.join();
    let _ = child.wait();
    out
}

fn read_batch(mut r: impl BufRead, n: usize) -> Result<HashMap<String, Vec<u8>>, String> {
    let mut out = HashMap::with_capacity(n);
    let mut header = String::new();
    for _ in 0..n {
        header.clear();
        if r.read_line(&mut header).map_err(|e| e.to_string())? == 0 {
            break;
        }
        let mut parts = header.split_whitespace();
        let (Some(sha), Some(kind)) = (parts.next(), parts.next()) else { continue };
        if kind == "missing" {
            continue;
        }
        let size: usize = parts.next().and_then(|s| s.parse().ok()).ok_or("git cat-file: bad header")?;
        let mut body = vec![0; size + 1];
        r.read_exact(&mut body).map_err(|e| e.to_string())?;
        body.pop();
        out.insert(sha.to_string(), body);
    }
    Ok(out)
}

/// The moments a document's status, title or relations changed, oldest first: its first
/// revision, then every revision whose parse differs from the one before in one of them.
/// Revisions whose blob has no snapshot (unreadable, not a document then) are skipped.
pub fn changes<'s>(revs: &[Revision], snap: impl Fn(&str) -> Option<&'s Snapshot>) -> Vec<StatusChange> {
    let mut out: Vec<StatusChange> = Vec::new();
    let mut last: Option<&Snapshot> = None;
    for r in revs {
        let Some(s) = snap(&r.blob) else { continue };
        let mut what = Vec::new();
        match last {
            None => what.push("created"),
            Some(prev) => {
                if (prev.status, &prev.status_raw) != (s.status, &s.status_raw) {
                    what.push("status");
                }
                if prev.title != s.title {
                    what.push("title");
                }
                if prev.relations != s.relations {
                    what.push("relations");
                }
            }
        }
        last = Some(s);
        if what.is_empty() {
            continue;
        }
        out.push(StatusChange {
            status: s.status,
            status_raw: s.status_raw.clone(),
            title: s.title.clone(),
            date: date(r.ts),
            commit: r.commit.clone(),
            author: r.author.clone(),
            changed: what,
            by: None,
            supersedes: s.relations.iter().filter(|(k, _)| *k == RelKind::Supersedes).map(|(_, t)| t.clone()).collect(),
        });
    }
    out
}

/// Whether a document waits for a decision: proposed or a draft.
pub fn is_waiting(status: Status) -> bool {
    matches!(status, Status::Proposed | Status::Draft)
}

/// Since when a waiting document has had its status: the date of its last status change
/// (from git), else its own date.
pub fn waiting_since(doc: &Doc) -> Option<&str> {
    let changed = doc.history.iter().rev().find(|c| c.changed.iter().any(|w| matches!(*w, "created" | "status")));
    changed.map(|c| c.date.as_str()).or(doc.date.as_deref())
}

/// A `stale-proposal` warning for every proposal or draft whose status has not changed for
/// more than `days` before `head_time` (HEAD's commit, not the clock, so builds repeat).
pub fn stale_proposals(docs: &[Doc], head_time: i64, days: u32) -> Vec<Diagnostic> {
    let now = jiff::Timestamp::from_second(head_time).map(|t| t.to_zoned(jiff::tz::TimeZone::UTC).date());
    let Ok(now) = now else { return Vec::new() };
    let mut out = Vec::new();
    for d in docs.iter().filter(|d| d.collection.is_some() && !d.is_template && is_waiting(d.status)) {
        let Some(since) = waiting_since(d).and_then(crate::parse::meta::calendar_day) else { continue };
        let Ok(since_date) = since.parse::<jiff::civil::Date>() else { continue };
        let Ok(span) = since_date.until((jiff::Unit::Day, now)) else { continue };
        let waited = span.get_days();
        if i64::from(waited) > i64::from(days) {
            out.push(
                Diagnostic::new(
                    Code::StaleProposal,
                    &d.source,
                    d.title_line,
                    1,
                    format!(
                        "{} since {since}: {waited} days before the last commit, longer than `stale_after` ({days} days)",
                        d.status.as_str()
                    ),
                )
                .help("decide it (accept or reject it), or mark it deferred; `[review] stale_after` sets the limit"),
            );
        }
    }
    out
}

/// The date a decision was last decided: the latest change into accepted (implemented
/// continues it) or rejected from another status.
pub fn decided(history: &[StatusChange]) -> Option<&str> {
    // `None`: not decided; `Some(true)`: accepted or implemented; `Some(false)`: rejected.
    let verdict = |s: Status| match s {
        Status::Accepted | Status::Implemented => Some(true),
        Status::Rejected => Some(false),
        _ => None,
    };
    let mut prev = None;
    let mut when = None;
    for c in history {
        let now = verdict(c.status);
        if now.is_some() && now != prev {
            when = Some(c.date.as_str());
        }
        prev = now;
    }
    when
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(commit: &str, ts: i64, changes: &[&str]) -> String {
        let mut s = format!("\u{1e}{commit}\u{1f}{ts}\u{1f}Ann\n\n");
        for c in changes {
            s.push_str(c);
            s.push('\n');
        }
        s
    }

    #[test]
    fn renames_are_followed_to_the_current_name() {
        let z = "0".repeat(40);
        let log = [
            rec("c3", 30, &[":100644 100644 b2 b3 R090\tadr/old.md\tadr/new.md"]),
            rec("c2", 20, &[":100644 100644 b1 b2 M\tadr/old.md"]),
            rec("c1", 10, &[&format!(":000000 100644 {z} b1 A\tadr/old.md")]),
        ]
        .concat();
        let r = revisions_of(&log);
        let blobs: Vec<&str> = r.by_path["adr/new.md"].iter().map(|r| r.blob.as_str()).collect();
        assert_eq!(blobs, ["b1", "b2", "b3"]);
        assert!(!r.by_path.contains_key("adr/old.md"));
    }

    #[test]
    fn a_deleted_file_and_an_older_file_of_the_same_name_are_not_the_current_one() {
        let z = "0".repeat(40);
        let log = [
            rec("c4", 40, &[&format!(":000000 100644 {z} b4 A\ta.md")]),
            rec("c3", 30, &[&format!(":100644 000000 b2 {z} D\ta.md"), &format!(":100644 000000 g1 {z} D\tgone.md")]),
            rec("c2", 20, &[":100644 100644 b1 b2 M\ta.md"]),
            rec("c1", 10, &[&format!(":000000 100644 {z} g1 A\tgone.md")]),
        ]
        .concat();
        let r = revisions_of(&log);
        assert_eq!(r.by_path["a.md"].iter().map(|r| r.blob.as_str()).collect::<Vec<_>>(), ["b4"]);
        assert!(!r.by_path.contains_key("gone.md"));
    }

    #[test]
    fn changes_are_the_revisions_that_moved_status_title_or_relations() {
        let snap = |status, title: &str| Snapshot { status, status_raw: None, title: title.into(), relations: vec![] };
        let snaps: HashMap<String, Snapshot> = [
            ("b1".to_string(), snap(Status::Proposed, "Use X")),
            ("b2".to_string(), snap(Status::Proposed, "Use X")),
            ("b3".to_string(), snap(Status::Accepted, "Use X")),
        ]
        .into();
        let rev = |blob: &str, ts| Revision { commit: format!("c{ts}"), ts, author: "Ann".into(), blob: blob.into() };
        let c = changes(&[rev("b1", 0), rev("b2", 86_400), rev("b3", 2 * 86_400)], |b| snaps.get(b));
        let got: Vec<(&str, Vec<&str>)> = c.iter().map(|c| (c.date.as_str(), c.changed.clone())).collect();
        assert_eq!(got, [("1970-01-01", vec!["created"]), ("1970-01-03", vec!["status"])]);
        assert_eq!(decided(&c), Some("1970-01-03"));
        // Implemented continues the acceptance; a rejection is a new decision.
        let later = |status, date: &str| StatusChange { status, date: date.into(), ..c[1].clone() };
        let more = [c[0].clone(), c[1].clone(), later(Status::Implemented, "1970-02-01")];
        assert_eq!(decided(&more), Some("1970-01-03"));
        let reversed = [c[1].clone(), later(Status::Rejected, "1970-03-01")];
        assert_eq!(decided(&reversed), Some("1970-03-01"));
    }

    #[test]
    fn batch_output_is_read_by_size() {
        let data = b"aa blob 3\nx\ny\nbb missing\ncc blob 0\n\n";
        let got = read_batch(&data[..], 3).unwrap();
        assert_eq!(got["aa"], b"x\ny");
        assert_eq!(got["cc"], b"");
        assert!(!got.contains_key("bb"));
    }
}
