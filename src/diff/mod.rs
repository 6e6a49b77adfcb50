//! `dossier diff [BASE] [HEAD]`: what a change does to the knowledge base, as a reader would
//! say it. Both sides are written from git objects (or the work tree) into a private temporary
//! folder by [`tree`] and read by the session engine as `check` reads a folder; [`compare`] is pure and turns
//! the two linked sites into documents added, removed and renamed, status, title and relation
//! changes, and the diagnostics introduced and fixed; [`report`] prints it.

pub mod report;
pub mod tree;

use crate::build;
use crate::diag::{Diagnostic, Severity};
use crate::model::{Kind, LinkedDoc, Status};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
pub use tree::Rev;

/// What to compare.
pub struct Options {
    pub dir: PathBuf,
    /// BASE (default: the merge base with the default branch).
    pub base: Option<String>,
    /// HEAD (default: the work tree).
    pub head: Option<String>,
}

/// A document as the diff sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocState {
    pub id: String,
    pub title: String,
    pub kind: Kind,
    pub status: Status,
    /// The status as written, when the document states one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_raw: Option<String>,
    pub path: String,
    /// Site-relative URL of the page.
    pub url: String,
}

/// A relation between two documents, stated by `from` (or inferred from its inverse).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Relation {
    pub from: String,
    /// `supersedes`, `amends` or `relates to`.
    pub kind: &'static str,
    pub to: String,
}

/// One side, read.
#[derive(Clone, Debug, Default)]
pub struct Side {
    pub docs: Vec<DocState>,
    pub relations: BTreeSet<Relation>,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Renamed {
    pub doc: DocState,
    pub from: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Changed {
    pub doc: DocState,
    pub from: String,
    pub to: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RelationChange {
    #[serde(flatten)]
    pub relation: Relation,
    /// `added` or `removed`.
    pub change: &'static str,
}

/// What changed between two sides.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Diff {
    pub added: Vec<DocState>,
    pub removed: Vec<DocState>,
    pub renamed: Vec<Renamed>,
    pub status: Vec<Changed>,
    pub titles: Vec<Changed>,
    pub relations: Vec<RelationChange>,
    pub new_diagnostics: Vec<Diagnostic>,
    pub fixed_diagnostics: Vec<Diagnostic>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty()
            && self.removed.is_empty()
            && self.renamed.is_empty()
            && self.status.is_empty()
            && self.titles.is_empty()
            && self.relations.is_empty()
            && self.new_diagnostics.is_empty()
            && self.fixed_diagnostics.is_empty()
    }

    pub fn new_errors(&self) -> usize {
        self.new_diagnostics.iter().filter(|d| d.severity == Severity::Error).count()
    }
}

/// Both sides, read, and what changed.
pub struct Compared {
    pub base: Rev,
    pub head: Rev,
    pub diff: Diff,
    pub base_url: Option<String>,
}

/// Resolves the revisions, reads both sides and compares them.
pub fn run(opts: &Options) -> Result<Compared, String> {
    let repo = tree::repo(&opts.dir)?;
    let base = match &opts.base {
        Some(name) => tree::resolve(&opts.dir, name)?,
        None => tree::default_base(&opts.dir)?,
    };
    let head = match &opts.head {
        Some(name) => tree::resolve(&opts.dir, name)?,
        None => Rev::WorkTree,
    };
    let scratch = tempfile::Builder::new()
        .prefix("dossier-diff-")
        .tempdir()
        .map_err(|e| format!("cannot create a temporary folder: {e}"))?;
    let (base_side, _) = read_side(&repo, &base, &scratch.path().join("base"))?;
    let (head_side, base_url) = read_side(&repo, &head, &scratch.path().join("head"))?;
    let renames = tree::renames(&repo, &base, &head);
    let diff = compare(&base_side, &head_side, &renames);
    Ok(Compared { base, head, diff, base_url })
}

/// One side written out and read through the session engine `check` uses (no git history:
/// both sides are read alike). A dossier.toml with errors is reported as that side's
/// diagnostics and the documents are read with the default settings. Returns the side and its
/// `base_url`.
fn read_side(repo: &tree::Repo, rev: &Rev, into: &Path) -> Result<(Side, Option<String>), String> {
    let root = tree::materialise(repo, rev, into)?;
    let (config, diagnostics) = match build::load_config(&root) {
        Ok(loaded) => loaded,
        Err(build::Failure::Config(diags)) => (crate::config::Config::default(), diags),
        Err(other) => return Err(other.to_string()),
    };
    let base_url = config.base_url.clone();
    let settings = crate::session::Settings { one_shot: true, ..Default::default() };
    let mut session = crate::session::Session::new(&root, settings);
    let loaded = session.load_with(config, diagnostics);
    let mut side = side_of(&loaded.site.docs, loaded.diagnostics.clone());
    // Repository paths, as a pull request shows them (and git's renames name them).
    let in_repo = |p: &mut String| {
        if !repo.prefix.is_empty() {
            *p = format!("{}/{p}", repo.prefix);
        }
    };
    side.docs.iter_mut().for_each(|d| in_repo(&mut d.path));
    side.diagnostics.iter_mut().for_each(|d| in_repo(&mut d.path));
    Ok((side, base_url))
}

/// The documents and relations of a linked site (templates left out).
pub fn side_of(docs: &[LinkedDoc], diagnostics: Vec<Diagnostic>) -> Side {
    let mut side = Side { diagnostics, ..Side::default() };
    for d in docs.iter().filter(|d| !d.doc.is_template) {
        side.docs.push(DocState {
            id: d.id.clone(),
            title: d.doc.title.clone(),
            kind: d.doc.kind,
            status: d.doc.status,
            status_raw: d.doc.status_raw.clone(),
            path: d.doc.source.clone(),
            url: d.url.clone(),
        });
        side.relations.extend(relations_of(d));
    }
    side
}

/// A document's relations, each once whichever side states it: `A supersedes B` also stands
/// for `B is superseded by A`, and `relates to` is recorded in ID order.
fn relations_of(d: &LinkedDoc) -> Vec<Relation> {
    let rel = |from: &str, kind, to: &str| Relation { from: from.to_string(), kind, to: to.to_string() };
    let mut out = Vec::new();
    out.extend(d.supersedes.iter().map(|t| rel(&d.id, "supersedes", t)));
    out.extend(d.superseded_by.iter().map(|t| rel(t, "supersedes", &d.id)));
    out.extend(d.amends.iter().map(|t| rel(&d.id, "amends", t)));
    out.extend(d.amended_by.iter().map(|t| rel(t, "amends", &d.id)));
    for r in &d.related {
        let (a, b) = if d.id <= r.id { (&d.id, &r.id) } else { (&r.id, &d.id) };
        out.push(rel(a, "relates to", b));
    }
    out
}

/// What changed from `base` to `head`. `renames` are git's (old path, new path); a removed and
/// an added document that keep their ID are a rename too.
pub fn compare(base: &Side, head: &Side, renames: &[(String, String)]) -> Diff {
    let mut diff = Diff::default();
    let pairs = pair(base, head, renames);
    let paired_head: BTreeSet<usize> = pairs.values().copied().collect();
    for (i, b) in base.docs.iter().enumerate() {
        match pairs.get(&i) {
            None => diff.removed.push(b.clone()),
            Some(&j) => changes(b, &head.docs[j], &mut diff),
        }
    }
    diff.added =
        head.docs.iter().enumerate().filter(|(j, _)| !paired_head.contains(j)).map(|(_, d)| d.clone()).collect();
    diff.relations = relation_changes(&base.relations, &head.relations);
    let moved: HashMap<&str, &str> = diff.renamed.iter().map(|r| (r.from.as_str(), r.doc.path.as_str())).collect();
    let (new, fixed) = diagnostic_changes(&base.diagnostics, &head.diagnostics, &moved);
    diff.new_diagnostics = new;
    diff.fixed_diagnostics = fixed;
    diff
}

/// Base document index → head document index: same path, git's renames, then same ID.
fn pair(base: &Side, head: &Side, renames: &[(String, String)]) -> BTreeMap<usize, usize> {
    let head_by_path: HashMap<&str, usize> = head.docs.iter().enumerate().map(|(j, d)| (d.path.as_str(), j)).collect();
    let renamed: HashMap<&str, &str> = renames.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    let mut pairs = BTreeMap::new();
    let mut taken = BTreeSet::new();
    for (i, b) in base.docs.iter().enumerate() {
        let path = if head_by_path.contains_key(b.path.as_str()) {
            Some(b.path.as_str())
        } else {
            renamed.get(b.path.as_str()).copied()
        };
        if let Some(&j) = path.and_then(|p| head_by_path.get(p)).filter(|j| !taken.contains(*j)) {
            pairs.insert(i, j);
            taken.insert(j);
        }
    }
    let base_paths: BTreeSet<&str> = base.docs.iter().map(|d| d.path.as_str()).collect();
    let unpaired: Vec<usize> = (0..base.docs.len()).filter(|i| !pairs.contains_key(i)).collect();
    for i in unpaired {
        let b = &base.docs[i];
        let same_id = head.docs.iter().enumerate().find(|(j, d)| {
            d.id == b.id && d.kind == b.kind && !taken.contains(j) && !base_paths.contains(d.path.as_str())
        });
        if let Some((j, _)) = same_id {
            pairs.insert(i, j);
            taken.insert(j);
        }
    }
    pairs
}

/// A paired document's rename, status and title changes.
fn changes(b: &DocState, h: &DocState, diff: &mut Diff) {
    if b.path != h.path {
        diff.renamed.push(Renamed { doc: h.clone(), from: b.path.clone() });
    }
    if status_word(b) != status_word(h) {
        diff.status.push(Changed { doc: h.clone(), from: status_word(b), to: status_word(h) });
    }
    if b.title != h.title {
        diff.titles.push(Changed { doc: h.clone(), from: b.title.clone(), to: h.title.clone() });
    }
}

/// The status as a reader names it: the normalised status, or the author's own word for one
/// dossier does not know.
fn status_word(d: &DocState) -> String {
    match (d.status, &d.status_raw) {
        (Status::Unknown, Some(raw)) => raw.trim().to_lowercase(),
        (s, _) => s.as_str().to_string(),
    }
}

fn relation_changes(base: &BTreeSet<Relation>, head: &BTreeSet<Relation>) -> Vec<RelationChange> {
    let added = head.difference(base).map(|r| RelationChange { relation: r.clone(), change: "added" });
    let removed = base.difference(head).map(|r| RelationChange { relation: r.clone(), change: "removed" });
    added.chain(removed).collect()
}

/// Diagnostics in head and not in base (new) and the other way round (fixed), compared by
/// severity, code, file (following renames) and message, not by line: an edit above a problem
/// moves it without fixing it.
fn diagnostic_changes(
    base: &[Diagnostic],
    head: &[Diagnostic],
    moved: &HashMap<&str, &str>,
) -> (Vec<Diagnostic>, Vec<Diagnostic>) {
    type Key = (Severity, String, String, String);
    let key = |d: &Diagnostic, path: &str| -> Key {
        (d.severity, d.code.as_str().to_string(), path.to_string(), d.message.clone())
    };
    let mut base_count: HashMap<Key, usize> = HashMap::new();
    for d in base {
        let path = moved.get(d.path.as_str()).copied().unwrap_or(&d.path);
        *base_count.entry(key(d, path)).or_default() += 1;
    }
    let mut new = Vec::new();
    for d in head {
        match base_count.get_mut(&key(d, &d.path)) {
            Some(n) if *n > 0 => *n -= 1,
            _ => new.push(d.clone()),
        }
    }
    let mut head_count: HashMap<Key, usize> = HashMap::new();
    for d in head {
        *head_count.entry(key(d, &d.path)).or_default() += 1;
    }
    let mut fixed = Vec::new();
    for d in base {
        let path = moved.get(d.path.as_str()).copied().unwrap_or(&d.path);
        match head_count.get_mut(&key(d, path)) {
            Some(n) if *n > 0 => *n -= 1,
            _ => fixed.push(d.clone()),
        }
    }
    (new, fixed)
}

#[cfg(test)]
mod tests;
