//! `dossier init`: detect the collections of an existing repository, write a commented
//! `dossier.toml`, and with `--github-pages` a workflow that builds and deploys the site.

use crate::config::Collection;
use crate::discover;
use crate::model::Kind;
use std::path::{Path, PathBuf};

pub mod merge;
pub mod workflow;

pub use workflow::Install;

/// What to write.
#[derive(Clone, Debug)]
pub struct Options {
    pub root: PathBuf,
    pub github_pages: bool,
    /// How the workflow gets dossier (`--install`, `--install-from`).
    pub install: Install,
    /// Replace values the user set (in `dossier.toml` and the workflow) with what init found.
    pub force: bool,
}

/// Why nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("{0}")]
    Refused(String),
}

/// What `init` did.
#[derive(Debug, Default)]
pub struct Report {
    /// Files created or changed.
    pub written: Vec<PathBuf>,
    /// One line per collection found (`discover::describe`).
    pub collections: Vec<String>,
    /// Values kept or replaced, one sentence each.
    pub notes: Vec<String>,
}

/// What git says about the repository: its root, the `origin` web URL and the default branch.
#[derive(Clone, Debug, Default)]
pub struct GitInfo {
    pub root: Option<PathBuf>,
    pub web_url: Option<String>,
    pub branch: Option<String>,
}

/// Detects the collections and merges what is missing into `dossier.toml`, the workflow (with
/// `--github-pages`) and `.gitignore`, leaving what the user wrote alone unless `--force`.
pub fn run(opts: &Options) -> Result<Report, InitError> {
    let toml_path = opts.root.join(crate::config::FILE_NAME);
    let existing = std::fs::read_to_string(&toml_path).ok();
    let output_dir = existing.as_deref().and_then(configured_output_dir).unwrap_or_else(|| "site".to_string());
    let config = crate::config::Config::default();
    let skip = dossier_outputs(&opts.root, &output_dir);
    let found = discover::discover(&opts.root, &config, &skip);
    let git = git_info(&opts.root);
    let title = title_for(&opts.root, git.root.as_deref());
    let mut collections = found.collections.clone();
    for c in &mut collections {
        let dir = opts.root.join(&c.path);
        c.template = ["template.md", "adr-template.md", "_template.md"]
            .iter()
            .find(|t| dir.join(t).is_file())
            .map(|t| t.to_string())
            .or_else(|| template_beside(&found, c));
    }
    let dir_in_repo = dir_in_repo(&opts.root, git.root.as_deref());
    let urls = git.web_url.as_ref().map(|u| {
        let branch = git.branch.clone().unwrap_or_else(|| "main".into());
        let prefix = if dir_in_repo == "." { String::new() } else { format!("{dir_in_repo}/") };
        (u.clone(), format!("{u}/edit/{branch}/{prefix}{{path}}"))
    });
    let mut report = Report { collections: report(&found), ..Report::default() };
    let fresh = config_text(&title, &collections, urls.as_ref());
    let blocks: Vec<(String, String)> =
        collections.iter().map(|c| (crate::config::clean_rel_path(&c.path), collection_block(c))).collect();
    let text = match &existing {
        None => fresh,
        Some(old) => merge::merge(old, &fresh, &blocks, opts.force, &mut report.notes)
            .map_err(|e| InitError::Refused(format!("{}: {e}", toml_path.display())))?,
    };
    if existing.as_deref() != Some(text.as_str()) {
        write(&toml_path, &text)?;
        report.written.push(toml_path);
    }
    if opts.github_pages {
        let repo = git.root.clone().unwrap_or_else(|| opts.root.clone());
        let branch = git.branch.clone().unwrap_or_else(|| "main".into());
        let path = repo.join(".github/workflows/dossier.yml");
        let text = workflow_for(&dir_in_repo, &opts.install, &branch);
        match std::fs::read_to_string(&path) {
            Ok(old) if old == text => {}
            Ok(_) if !opts.force => report.notes.push(format!(
                "kept {}: it differs from the workflow dossier writes; use --force to replace it",
                path.display()
            )),
            _ => {
                write(&path, &text)?;
                report.written.push(path);
            }
        }
    }
    if let Some(p) = gitignore(&opts.root, &output_dir)? {
        report.written.push(p);
    }
    Ok(report)
}

fn write(path: &Path, text: &str) -> Result<(), InitError> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| InitError::Refused(format!("cannot create {}: {e}", parent.display())))?;
    }
    std::fs::write(path, text).map_err(|e| InitError::Refused(format!("cannot write {}: {e}", path.display())))
}

/// `output_dir` as the existing `dossier.toml` sets it.
fn configured_output_dir(text: &str) -> Option<String> {
    let doc: toml_edit::DocumentMut = text.parse().ok()?;
    doc.get("output_dir").and_then(|v| v.as_str()).map(crate::config::clean_rel_path)
}

/// Folders dossier wrote: the output folder and any folder holding the `.dossier-site` marker.
fn dossier_outputs(root: &Path, output_dir: &str) -> Vec<PathBuf> {
    let mut skip = vec![root.join(output_dir)];
    let walker = walkdir::WalkDir::new(root).max_depth(4).into_iter().filter_entry(|e| {
        e.depth() == 0 || !(e.file_type().is_dir() && e.file_name().to_string_lossy().starts_with('.'))
    });
    for e in walker.flatten() {
        if e.file_type().is_dir() && e.path().join(crate::write::MARKER).is_file() {
            skip.push(e.path().to_path_buf());
        }
    }
    skip
}

/// Adds the output folder to `.gitignore` (created if needed) unless a line already names it.
fn gitignore(root: &Path, output_dir: &str) -> Result<Option<PathBuf>, InitError> {
    let path = root.join(".gitignore");
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    let name = output_dir.trim_matches('/');
    let named = old.lines().map(|l| l.trim().trim_start_matches('/').trim_end_matches('/')).any(|l| l == name);
    if named {
        return Ok(None);
    }
    let sep = if old.is_empty() || old.ends_with('\n') { "" } else { "\n" };
    write(&path, &format!("{old}{sep}# dossier's output\n/{name}/\n"))?;
    Ok(Some(path))
}

fn git(dir: &Path, args: &[&str]) -> Option<String> {
    let out = std::process::Command::new("git").arg("-C").arg(dir).args(args).output().ok()?;
    let s = String::from_utf8_lossy(&out.stdout).trim().to_string();
    (out.status.success() && !s.is_empty()).then_some(s)
}

/// The repository root, the `origin` remote as a web URL and the default branch: origin's HEAD,
/// else the current branch, else `main` or `master` if such a branch exists.
pub fn git_info(dir: &Path) -> GitInfo {
    let root = repo_root(dir);
    let Some(r) = root.as_deref() else { return GitInfo::default() };
    let branch = git(r, &["symbolic-ref", "--short", "refs/remotes/origin/HEAD"])
        .map(|b| b.strip_prefix("origin/").map_or(b.clone(), str::to_string))
        .or_else(|| git(r, &["symbolic-ref", "--short", "HEAD"]))
        .or_else(|| {
            ["main", "master"]
                .iter()
                .find(|b| git(r, &["rev-parse", "--verify", "--quiet", b]).is_some())
                .map(|b| b.to_string())
        });
    let web_url = git(r, &["remote", "get-url", "origin"]).and_then(|u| web_url(&u));
    GitInfo { root, web_url, branch }
}

/// `git@github.com:org/repo.git`, `ssh://git@host/org/repo` or `https://host/org/repo.git` as
/// `https://host/org/repo`.
pub fn web_url(remote: &str) -> Option<String> {
    let r = remote.trim().trim_end_matches('/');
    let r = r.strip_suffix(".git").unwrap_or(r);
    let (host, path) = if let Some(rest) = r.strip_prefix("https://").or_else(|| r.strip_prefix("http://")) {
        let rest = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
        rest.split_once('/')?
    } else if let Some(rest) = r.strip_prefix("ssh://") {
        let rest = rest.rsplit_once('@').map_or(rest, |(_, h)| h);
        let (host, path) = rest.split_once('/')?;
        (host.split(':').next().unwrap_or(host), path)
    } else {
        let rest = r.rsplit_once('@').map_or(r, |(_, h)| h);
        rest.split_once(':')?
    };
    (!host.is_empty() && path.contains('/')).then(|| format!("https://{host}/{path}"))
}

/// `dir` relative to the repository root, `.` for the root itself.
fn dir_in_repo(dir: &Path, repo: Option<&Path>) -> String {
    let repo = repo.map_or_else(|| crate::write::absolute(dir), crate::write::absolute);
    let abs = crate::write::absolute(dir);
    let rel = abs.strip_prefix(&repo).map(Path::to_path_buf).unwrap_or_default();
    let s = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
    if s.is_empty() { ".".into() } else { s }
}

/// Any other template file directly in the collection's folder (`decision-template.md`), as
/// discovery classified it.
fn template_beside(found: &discover::Discovered, c: &Collection) -> Option<String> {
    found.sources.iter().filter(|s| s.is_template).find_map(|s| {
        let (dir, file) = s.rel.rsplit_once('/').unwrap_or(("", &s.rel));
        (dir == c.path).then(|| file.to_string())
    })
}

/// The detection report: each collection with the documents discovery classified into it.
fn report(found: &discover::Discovered) -> Vec<String> {
    found
        .collections
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let n = found
                .sources
                .iter()
                .filter(|s| s.collection == Some(i) && s.kind != Kind::Page && !s.is_template)
                .count();
            discover::describe(c, n)
        })
        .collect()
}

/// The git repository containing `dir`, if any.
fn repo_root(dir: &Path) -> Option<PathBuf> {
    let abs = crate::write::absolute(dir);
    abs.ancestors().find(|d| d.join(".git").exists()).map(Path::to_path_buf)
}

fn title_for(root: &Path, repo: Option<&Path>) -> String {
    let base = repo.unwrap_or(root);
    let name = crate::write::absolute(base).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if name.is_empty() { "Knowledge base".to_string() } else { format!("{name} knowledge base") }
}

/// A commented `dossier.toml` naming the collections found.
/// `urls`: `repo_url` and `edit_url` read from git, when it knows them.
pub fn config_text(title: &str, collections: &[Collection], urls: Option<&(String, String)>) -> String {
    let mut s = String::from("# dossier configuration. Every key is optional; see the README for all of them.\n\n");
    s.push_str(&format!("title = {}\n", toml_str(title)));
    s.push_str("# base_url = \"https://org.github.io/repo/\"   # where the site is published (or --base-url)\n");
    match urls {
        Some((repo, edit)) => {
            s.push_str(&format!("repo_url = {}   # from the origin remote\n", toml_str(repo)));
            s.push_str(&format!("edit_url = {}   # {{path}}: the source path\n", toml_str(edit)));
        }
        None => s.push_str("# repo_url = \"https://github.com/org/repo\"   # \"Edit this page\" and links to code\n"),
    }
    s.push_str("# output_dir = \"site\"\n\n");
    if collections.is_empty() {
        s.push_str("# No collections were detected. Name your folders of decisions and designs:\n");
        s.push_str("# [[collections]]\n# path = \"docs/adr\"\n# kind = \"adr\"\n");
    }
    for c in collections {
        s.push_str(&collection_block(c));
    }
    s.push_str("[check]\nbroken_links = \"error\"   # \"warn\" while old broken links are being fixed\n\n");
    s.push_str("# [statuses]                 # your own status words\n# \"In Flight\" = \"proposed\"\n\n");
    s.push_str("# [[links]]                  # ticket IDs to links ($1 is the first group)\n# pattern = \"PROJ-(\\\\d+)\"\n# url = \"https://tracker.example/browse/PROJ-$1\"\n");
    s
}

/// One `[[collections]]` block of the config, with its comments and a blank line after it.
pub fn collection_block(c: &Collection) -> String {
    let mut s = format!("# Found by {}.\n[[collections]]\n", c.origin);
    let path = if c.path.is_empty() { "." } else { c.path.as_str() };
    s.push_str(&format!("path = {}\nkind = \"{}\"\n", toml_str(path), c.kind.as_str()));
    match (&c.prefix, c.kind) {
        (Some(p), _) => s.push_str(&format!("prefix = {}            # IDs such as {p}-0012\n", toml_str(p))),
        // Without a prefix an ADR collection would still get ADR; say none for designs.
        (None, Kind::Adr) => s.push_str("prefix = \"ADR\"            # IDs such as ADR-0012\n"),
        (None, _) => {
            s.push_str("prefix = \"\"               # no number-based IDs: documents are known by their path\n")
        }
    }
    match &c.template {
        Some(t) => {
            s.push_str(&format!("template = {}   # the collection's template, used by `dossier new`\n", toml_str(t)))
        }
        None => s.push_str("# template = \"template.md\"   # the collection's template, used by `dossier new`\n"),
    }
    s.push_str("# required_sections = []      # sections every document must have (default: the format's own)\n\n");
    s
}

fn toml_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The GitHub Pages workflow for a repository whose default branch is `main` (see
/// [`workflow::workflow`]).
pub fn workflow(dir: &str, install: &Install) -> String {
    workflow_for(dir, install, "main")
}

/// The workflow, building and deploying on pushes to `branch` (the repository's default branch).
pub fn workflow_for(dir: &str, install: &Install, branch: &str) -> String {
    workflow::workflow(dir, install, branch)
}
