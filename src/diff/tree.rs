//! The I/O edge of `dossier diff`: which revisions to compare, and each side's files written
//! into a private temporary folder from git objects (a revision) or from the work tree (its
//! tracked and untracked, not ignored, files), so that both sides are read by the same
//! pipeline in the same way. Nothing is written into the repository.

use crate::git::{git, unquote};
use crate::history;
use std::path::{Path, PathBuf};

/// Files bigger than this are written empty: linking needs them to exist, nothing reads them
/// (Markdown is always written whole).
const PLACEHOLDER_OVER: u64 = 1 << 20;

/// One side of the comparison, as the user named it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Rev {
    /// A commit, branch or tag, with the commit it names.
    Commit { name: String, commit: String },
    /// The work tree (tracked and untracked files that git does not ignore).
    WorkTree,
}

impl Rev {
    /// How the report names it: `main (1a2b3c4)` or `the work tree`.
    pub fn label(&self) -> String {
        match self {
            Rev::Commit { name, commit } if name.starts_with(commit.as_str()) || commit.starts_with(name.as_str()) => {
                short(commit).to_string()
            }
            Rev::Commit { name, commit } => format!("{name} ({})", short(commit)),
            Rev::WorkTree => "the work tree".to_string(),
        }
    }
}

fn short(commit: &str) -> &str {
    &commit[..commit.len().min(7)]
}

/// Where DIR sits in its repository.
pub struct Repo {
    /// The repository's top level.
    pub top: PathBuf,
    /// DIR's path inside it (`docs`), empty at the top level.
    pub prefix: String,
}

/// The repository that holds `dir`.
pub fn repo(dir: &Path) -> Result<Repo, String> {
    let top = git(dir, &["rev-parse", "--show-toplevel"]).map_err(|e| {
        format!("{} is not in a git repository ({e}); `dossier diff` compares two revisions", dir.display())
    })?;
    let prefix = git(dir, &["rev-parse", "--show-prefix"]).unwrap_or_default();
    Ok(Repo { top: PathBuf::from(top.trim()), prefix: prefix.trim().trim_end_matches('/').to_string() })
}

/// The commit a name resolves to.
pub fn resolve(dir: &Path, name: &str) -> Result<Rev, String> {
    let spec = format!("{name}^{{commit}}");
    let commit = git(dir, &["rev-parse", "--verify", "--quiet", &spec]).map_err(|_| {
        let shallow = git(dir, &["rev-parse", "--is-shallow-repository"]).is_ok_and(|s| s.trim() == "true");
        let hint = if shallow {
            " (this clone is shallow: fetch the history, e.g. `fetch-depth: 0` in actions/checkout)"
        } else {
            ""
        };
        format!("`{name}` is not a commit, branch or tag of this repository{hint}")
    })?;
    Ok(Rev::Commit { name: name.to_string(), commit: commit.trim().to_string() })
}

/// The default BASE: where HEAD left the default branch (`origin/HEAD`, else the first of
/// `origin/main`, `origin/master`, `main`, `master` that exists).
pub fn default_base(dir: &Path) -> Result<Rev, String> {
    let symbolic = git(dir, &["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"]).ok();
    let candidates = symbolic
        .into_iter()
        .map(|s| s.trim().to_string())
        .chain(["origin/main", "origin/master", "main", "master"].iter().map(|s| s.to_string()));
    for branch in candidates.filter(|b| !b.is_empty()) {
        if resolve(dir, &branch).is_err() {
            continue;
        }
        let base = git(dir, &["merge-base", &branch, "HEAD"])
            .map_err(|e| format!("no common ancestor of {branch} and HEAD ({e}); name BASE"))?;
        return Ok(Rev::Commit { name: format!("merge base with {branch}"), commit: base.trim().to_string() });
    }
    Err("cannot tell the default branch (no origin/HEAD, main or master); name BASE: `dossier diff BASE`".into())
}

/// Writes DIR's files at `rev` under `into`, at their repository paths (so that root-relative
/// links resolve as they do in the repository), and marks `into` as the repository's top
/// level. Returns DIR's copy.
pub fn materialise(repo: &Repo, rev: &Rev, into: &Path) -> Result<PathBuf, String> {
    let files = match rev {
        Rev::Commit { commit, .. } => committed(repo, commit)?,
        Rev::WorkTree => working(repo)?,
    };
    let root = into.join(&repo.prefix);
    std::fs::create_dir_all(&root).map_err(|e| format!("{}: {e}", root.display()))?;
    // An empty `.git` folder: dossier finds the top level by it; git ignores it (no HEAD).
    std::fs::create_dir_all(into.join(".git")).map_err(|e| format!("{}: {e}", into.display()))?;
    for (rel, bytes) in files {
        let path = root.join(&rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(root)
}

/// Whether a file's content is needed, or only its existence.
fn needs_content(rel: &str, size: u64) -> bool {
    crate::discover::is_markdown(rel) || size <= PLACEHOLDER_OVER
}

/// DIR's files at a commit, paths relative to DIR: one `git ls-tree` and one `git cat-file
/// --batch`.
fn committed(repo: &Repo, commit: &str) -> Result<Vec<(String, Vec<u8>)>, String> {
    // `REV:PATH` names DIR's tree (`REV:` the top level's).
    let spec = format!("{commit}:{}", repo.prefix);
    // DIR did not exist yet at that commit: an empty knowledge base, not an error.
    if git(&repo.top, &["cat-file", "-t", &spec]).map(|t| t.trim() != "tree").unwrap_or(true) {
        return Ok(Vec::new());
    }
    let listing =
        git(&repo.top, &["ls-tree", "-r", "-l", "-z", &spec]).map_err(|e| format!("cannot list {spec}: {e}"))?;
    let entries: Vec<(String, String, u64)> = listing.split('\0').filter_map(tree_entry).collect();
    let wanted: std::collections::BTreeSet<&str> =
        entries.iter().filter(|(rel, _, size)| needs_content(rel, *size)).map(|(_, blob, _)| blob.as_str()).collect();
    let blobs = history::blobs(&repo.top, &wanted.into_iter().collect::<Vec<_>>())?;
    Ok(entries.into_iter().map(|(rel, blob, _)| (rel, blobs.get(&blob).cloned().unwrap_or_default())).collect())
}

/// One regular file of `git ls-tree -r -l -z`: `MODE blob HASH SIZE\tPATH` (links and
/// submodules are left out).
fn tree_entry(line: &str) -> Option<(String, String, u64)> {
    let (meta, path) = line.split_once('\t')?;
    let mut f = meta.split_whitespace();
    let (mode, kind, blob, size) = (f.next()?, f.next()?, f.next()?, f.next()?);
    (kind == "blob" && mode != "120000").then(|| (path.to_string(), blob.to_string(), size.parse().unwrap_or(0)))
}

/// DIR's files in the work tree: tracked, and untracked but not ignored.
fn working(repo: &Repo) -> Result<Vec<(String, Vec<u8>)>, String> {
    let dir = repo.top.join(&repo.prefix);
    let listing = git(&dir, &["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "."])
        .map_err(|e| format!("cannot list the work tree: {e}"))?;
    let mut files = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for rel in listing.split('\0').filter(|r| !r.is_empty()) {
        let path = dir.join(rel);
        // Deleted but still in the index, a folder (a submodule), or a link: not a file here.
        let Ok(meta) = std::fs::symlink_metadata(&path) else { continue };
        if !meta.is_file() || !seen.insert(rel.to_string()) {
            continue;
        }
        let bytes = if needs_content(rel, meta.len()) {
            std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?
        } else {
            Vec::new()
        };
        files.push((rel.to_string(), bytes));
    }
    Ok(files)
}

/// The renames git sees between the two sides, as repository paths (`old`, `new`).
pub fn renames(repo: &Repo, base: &Rev, head: &Rev) -> Vec<(String, String)> {
    let Rev::Commit { commit: from, .. } = base else { return Vec::new() };
    let mut args = vec!["diff", "-M", "--name-status", "-z", from.as_str()];
    if let Rev::Commit { commit, .. } = head {
        args.push(commit);
    }
    // Run at the top level: the scope and the output are then repository paths.
    let scope = if repo.prefix.is_empty() { "." } else { repo.prefix.as_str() };
    args.extend(["--", scope]);
    let Ok(out) = git(&repo.top, &args) else { return Vec::new() };
    let mut fields = out.split('\0');
    let mut found = Vec::new();
    while let Some(status) = fields.next() {
        if status.is_empty() {
            continue;
        }
        let takes = if status.starts_with('R') || status.starts_with('C') { 2 } else { 1 };
        let paths: Vec<String> = fields.by_ref().take(takes).map(unquote).collect();
        if status.starts_with('R') && paths.len() == 2 {
            found.push((paths[0].clone(), paths[1].clone()));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_entries_keep_regular_files_only() {
        assert_eq!(
            tree_entry("100644 blob 1a2b 120\tadr/0001-a.md"),
            Some(("adr/0001-a.md".into(), "1a2b".into(), 120))
        );
        assert_eq!(tree_entry("120000 blob 1a2b 9\tlink.md"), None);
        assert_eq!(tree_entry("160000 commit 1a2b -\tvendor"), None);
    }

    #[test]
    fn labels_name_the_revision_and_its_commit() {
        let c = Rev::Commit { name: "main".into(), commit: "0123456789abcdef".into() };
        assert_eq!(c.label(), "main (0123456)");
        let c = Rev::Commit { name: "0123456".into(), commit: "0123456789abcdef".into() };
        assert_eq!(c.label(), "0123456");
        assert_eq!(Rev::WorkTree.label(), "the work tree");
    }

    #[test]
    fn markdown_is_always_read_whole() {
        assert!(needs_content("a.md", u64::MAX));
        assert!(!needs_content("big.png", PLACEHOLDER_OVER + 1));
        assert!(needs_content("small.png", 10));
    }
}
