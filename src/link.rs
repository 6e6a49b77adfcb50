//! The link stage: URLs, final IDs, link and mention targets, relations and their inverses,
//! references and backlinks, and every cross-reference diagnostic. Pure: takes parsed documents,
//! returns the linked site and diagnostics.

use crate::config::Level;
use crate::diag::{Code, Diagnostic};
use crate::model::{
    Backlink, Doc, Kind, LinkTarget, LinkedDoc, MentionTarget, RawLink, RawRelation, RelKind, Related, Site, Status,
    StatusChange, Target,
};
pub use memo::Memo;
use memo::{Deps, DocMemo};
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

mod memo;

/// A page that dossier generates itself, whose URL documents may not take.
pub struct Reserved<'a> {
    pub url: &'a str,
    pub name: &'a str,
}

/// Where links that leave the source folder point, when the repository is known.
#[derive(Clone, Debug, Default)]
pub struct RepoLinks {
    /// `https://github.com/org/repo` (no trailing slash).
    pub repo_url: String,
    /// The source folder's path inside the repository (`docs`), or empty at the root.
    pub prefix: String,
}

/// What linking needs besides the documents.
pub struct Options<'a> {
    /// The non-Markdown files of the source folder (relative paths).
    pub files: &'a BTreeSet<String>,
    /// The URLs of generated pages.
    pub reserved: &'a [Reserved<'a>],
    pub broken_links: Level,
    pub repo: Option<&'a RepoLinks>,
    /// Collection folders and the generated page that lists them (`docs/adr` → `log/`).
    pub collection_pages: &'a [(String, String)],
    /// The source folder's path inside the repository (`docs`; empty at the top level), found
    /// once per build. Root-relative links (`/docs/adr/1.md`) resolve from the repository's top
    /// level; `None` (not in a repository): from the source folder.
    pub root_prefix: Option<&'a str>,
}

/// How one document refers to another (for "Referenced by").
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum RefKind {
    Relation(RelKind),
    Link,
    Mention,
}

impl RefKind {
    fn label(self) -> &'static str {
        match self {
            RefKind::Relation(RelKind::Supersedes) => "supersedes it",
            RefKind::Relation(RelKind::SupersededBy) => "is superseded by it",
            RefKind::Relation(RelKind::Amends) => "amends it",
            RefKind::Relation(RelKind::AmendedBy) => "is amended by it",
            RefKind::Relation(RelKind::Related) => "relates to it",
            RefKind::Link => "links to it",
            RefKind::Mention => "mentions it",
        }
    }
}

/// Links the documents, in named steps: URLs, final IDs, each document's relations, links and
/// mentions (resolved one document at a time, in parallel), then what needs them all: relation
/// conflicts, supersede cycles, inverses, references and backlinks.
pub fn link(docs: Vec<Doc>, opts: &Options<'_>) -> (Site, Vec<Diagnostic>) {
    let linked = link_incremental(docs, opts, None);
    (linked.site, linked.diagnostics)
}

/// What an incremental link needs besides the documents: the hash of what linking reads of each
/// document (by source), the hash of the options, and the last link's memo.
pub struct Incremental<'a> {
    pub inputs: &'a [(String, u64)],
    pub options: u64,
    pub previous: Memo,
}

/// The result of [`link_incremental`].
pub struct Linked {
    pub site: Site,
    pub diagnostics: Vec<Diagnostic>,
    /// For the next link (empty without [`Incremental`]).
    pub memo: Memo,
    /// Documents resolved again, not taken from the memo (all of them without one).
    pub relinked: usize,
}

/// [`link`], taking each document's resolution from the last link's memo when nothing it
/// depended on changed (see `memo`): the tables (URLs, final IDs, the resolver) and the steps
/// that need every document are done again, each document's relations, links and mentions
/// only when it or what they read changed. The result equals a full link's.
pub fn link_incremental(mut docs: Vec<Doc>, opts: &Options<'_>, inc: Option<Incremental<'_>>) -> Linked {
    docs.sort_by(|a, b| a.source.cmp(&b.source));
    let sources: HashMap<&str, usize> = docs.iter().enumerate().map(|(i, d)| (d.source.as_str(), i)).collect();
    let urls: Vec<String> = docs.iter().map(|d| url_for(&d.source, &sources)).collect();
    let mut diags = url_collisions(&docs, &urls, opts.reserved);
    let (ids, by_id) = final_ids(&docs, &mut diags);
    let (resolved, links, memo, relinked) = {
        let resolver = Resolver::new(&docs, &ids, &sources, opts.files, opts.root_prefix.unwrap_or(""));
        let cx = Shared { docs: &docs, ids: &ids, urls: &urls, resolver: &resolver, opts };
        let (memos, memo, relinked) = resolve_all(&cx, inc);
        let outs: Vec<&DocOut> = memos.iter().map(|m| &m.out).collect();
        let (resolved, links) = gather(&cx, &sources, &outs, &mut diags);
        (resolved, links, memo, relinked)
    };
    drop(sources);
    let linked = linked_docs(docs, Resolution { ids, urls, ..resolved });
    let site = Site { docs: linked, by_id, assets: links.assets.into_iter().collect(), outside_links: links.outside };
    Linked { site, diagnostics: diags, memo, relinked }
}

/// Each document's resolution, from `inc`'s memo where it holds, with the memo for the next
/// link and the number resolved again.
fn resolve_all(cx: &Shared<'_>, inc: Option<Incremental<'_>>) -> (Vec<Arc<DocMemo>>, Memo, usize) {
    let n = cx.docs.len();
    let Some(inc) = inc else {
        let memos: Vec<Arc<DocMemo>> = (0..n)
            .into_par_iter()
            .map(|i| {
                let (out, _) = cx.resolve(i);
                Arc::new(DocMemo { input: 0, own: 0, deps: Vec::new(), out })
            })
            .collect();
        return (memos, Memo::default(), n);
    };
    let src: Vec<&str> = cx.docs.iter().map(|d| d.source.as_str()).collect();
    let inputs: HashMap<&str, u64> = inc.inputs.iter().map(|(s, h)| (s.as_str(), *h)).collect();
    let now = memo::Now {
        sources: &src,
        names: cx.docs.iter().zip(cx.ids).map(|(d, id)| (id.clone(), d.path_id.clone(), d.kind)).collect(),
        facts: (0..n).into_par_iter().map(|i| memo::facts(&cx.docs[i], &cx.urls[i], &cx.ids[i])).collect(),
        prefixes: cx.resolver.prefixes.clone(),
    };
    let changed = inc.previous.changed(inc.options, &now);
    let results: Vec<(Arc<DocMemo>, bool)> = (0..n)
        .into_par_iter()
        .map(|i| {
            let input = inputs.get(src[i]).copied();
            let own = now.facts[i];
            let kept = match (&changed, input) {
                (Some(ch), Some(input)) => inc.previous.reuse(src[i], input, own, ch),
                _ => None,
            };
            match kept {
                Some(m) => (m.clone(), false),
                None => {
                    let (out, deps) = cx.resolve(i);
                    (Arc::new(DocMemo { input: input.unwrap_or_default(), own, deps: deps.0, out }), true)
                }
            }
        })
        .collect();
    let relinked = results.iter().filter(|(_, fresh)| *fresh).count();
    let memos: Vec<Arc<DocMemo>> = results.into_iter().map(|(m, _)| m).collect();
    let keep: HashMap<String, Arc<DocMemo>> = src.iter().map(|s| s.to_string()).zip(memos.iter().cloned()).collect();
    (memos, Memo::new(inc.options, now, keep), relinked)
}

/// What needs every document's resolution: the relations both ways and their conflicts and
/// cycles, references, superseded-by events, the targets in document order, the assets; the
/// diagnostics in the order of a full link's steps (relations, conflicts, cycles, links,
/// mentions).
fn gather(
    cx: &Shared<'_>,
    sources: &HashMap<&str, usize>,
    outs: &[&DocOut],
    diags: &mut Vec<Diagnostic>,
) -> (Resolution, Links) {
    let n = outs.len();
    let idx = |s: &str| sources.get(s).copied();
    let mut stated = Vec::new();
    let mut related: Vec<BTreeMap<usize, String>> = vec![BTreeMap::new(); n];
    let mut refs: Vec<Refs> = vec![BTreeMap::new(); n];
    let mut events: Vec<Vec<StatusChange>> = vec![Vec::new(); n];
    let mut links = Links { assets: BTreeSet::new(), outside: 0 };
    for (i, out) in outs.iter().enumerate() {
        for (kind, verb, t, line, col) in &out.relations {
            let Some(j) = idx(t) else { continue };
            if *kind == RelKind::Related {
                related[i].insert(j, verb.clone());
                related[j].entry(i).or_insert_with(|| "Related to".to_string());
            } else {
                stated.push((i, *kind, j, *line, *col));
            }
        }
        for (t, how) in &out.refs {
            if let Some(j) = idx(t) {
                refs[i].entry(j).or_default().insert(*how);
            }
        }
        for (t, change) in &out.events {
            if let Some(j) = idx(t) {
                events[j].push(change.clone());
            }
        }
        links.assets.extend(out.assets.iter().cloned());
        links.outside += out.outside;
    }
    let mut rels: Vec<Rels> = vec![BTreeMap::new(); n];
    for &(i, kind, j, _, _) in &stated {
        rels[i].entry(kind).or_default().insert(j);
        rels[j].entry(kind.inverse()).or_default().insert(i);
    }
    diags.extend(outs.iter().flat_map(|o| o.diags[0].iter().cloned()));
    diags.extend(relation_conflicts(cx.docs, cx.ids, &stated));
    diags.extend(supersede_cycles(cx.docs, cx.ids, &rels));
    diags.extend(outs.iter().flat_map(|o| o.diags[1].iter().cloned()));
    diags.extend(outs.iter().flat_map(|o| o.diags[2].iter().cloned()));
    let resolution = Resolution {
        ids: Vec::new(),
        urls: Vec::new(),
        refs,
        relations: Relations { related, rels },
        link_targets: outs.iter().map(|o| o.link_targets.clone()).collect(),
        mention_targets: outs.iter().map(|o| o.mention_targets.clone()).collect(),
        events,
    };
    (resolution, links)
}

/// A `url-collision` for every document whose URL a generated page or an earlier document
/// (by path) already has.
fn url_collisions(docs: &[Doc], urls: &[String], reserved: &[Reserved<'_>]) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut by_url: HashMap<&str, usize> = HashMap::new();
    for (i, url) in urls.iter().enumerate() {
        if let Some(r) = reserved.iter().find(|r| r.url == url) {
            diags.push(
                Diagnostic::new(
                    Code::UrlCollision,
                    &docs[i].source,
                    0,
                    0,
                    format!("this page's URL `{url}` is taken by the generated {} page", r.name),
                )
                .help("rename or move the file"),
            );
        } else if let Some(&first) = by_url.get(url.as_str()) {
            diags.push(
                Diagnostic::new(
                    Code::UrlCollision,
                    &docs[i].source,
                    0,
                    0,
                    format!("this page and `{}` both map to the URL `{}`", docs[first].source, display_url(url)),
                )
                .help("rename one of them (`index.md` and `README.md` in one folder, or `x.md` beside `x/index.md`, share a URL)"),
            );
        } else {
            by_url.insert(url, i);
        }
    }
    diags
}

/// Final IDs: the first document by path keeps a contested ID, the others fall back to their
/// path IDs with a `duplicate-id` error.
fn final_ids(docs: &[Doc], diags: &mut Vec<Diagnostic>) -> (Vec<String>, BTreeMap<String, usize>) {
    let mut ids: Vec<String> = Vec::with_capacity(docs.len());
    let mut by_id: BTreeMap<String, usize> = BTreeMap::new();
    for (i, d) in docs.iter().enumerate() {
        let id = if let Some(&first) = by_id.get(&d.id) {
            diags.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    &d.source,
                    1,
                    1,
                    format!(
                        "ID `{}` is already used by `{}`; this document is known as `{}`",
                        d.id, docs[first].source, d.path_id
                    ),
                )
                .help("give each document its own number (or `id` key)"),
            );
            d.path_id.clone()
        } else {
            d.id.clone()
        };
        by_id.entry(id.clone()).or_insert(i);
        ids.push(id);
    }
    (ids, by_id)
}

/// One document's references to others, by target index.
type Refs = BTreeMap<usize, BTreeSet<RefKind>>;
/// One document's resolved relations (supersedes, amends and their inverses), by kind.
type Rels = BTreeMap<RelKind, BTreeSet<usize>>;

/// The relations resolved, both ways.
struct Relations {
    /// "Related" relations both ways, with the verb shown.
    related: Vec<BTreeMap<usize, String>>,
    /// Every relation with its inverse.
    rels: Vec<Rels>,
}

/// What the links of all documents add up to.
struct Links {
    /// The non-Markdown files linked (copied to the site).
    assets: BTreeSet<String>,
    /// Links that leave the source folder.
    outside: usize,
}

/// One document's resolution: what its relations, links and mentions resolved to (targets by
/// source, so that it holds when other documents come and go) and its diagnostics.
#[derive(Clone, Default)]
struct DocOut {
    /// Resolved relations to other documents: kind, verb, target, line, column.
    relations: Vec<(RelKind, String, String, u32, u32)>,
    /// References to other documents (relations, links, mentions).
    refs: Vec<(String, RefKind)>,
    link_targets: Vec<LinkTarget>,
    mention_targets: Vec<MentionTarget>,
    /// The non-Markdown files it links to.
    assets: Vec<String>,
    /// Its links that leave the source folder.
    outside: usize,
    /// The superseded-by changes it made to others' histories, by target.
    events: Vec<(String, StatusChange)>,
    /// The diagnostics of its relations, links and mentions.
    diags: [Vec<Diagnostic>; 3],
}

/// The tables every document's resolution reads.
struct Shared<'a> {
    docs: &'a [Doc],
    ids: &'a [String],
    urls: &'a [String],
    resolver: &'a Resolver<'a>,
    opts: &'a Options<'a>,
}

impl Shared<'_> {
    /// Resolves the relations, links and mentions of document `i`, and what that read.
    fn resolve(&self, i: usize) -> (DocOut, Deps) {
        let mut cx = DocLinking { s: self, i, d: &self.docs[i], out: DocOut::default(), deps: Deps::default() };
        cx.relations();
        cx.links();
        cx.mentions();
        cx.superseded_events();
        (cx.out, cx.deps)
    }
}

/// The resolving of one document: what it found, and the names and documents it read.
struct DocLinking<'s, 'a> {
    s: &'s Shared<'a>,
    i: usize,
    d: &'a Doc,
    out: DocOut,
    deps: Deps,
}

impl DocLinking<'_, '_> {
    /// A broken-reference diagnostic at the level `[check] broken_links` sets, in `bucket`.
    fn broken(&mut self, bucket: usize, d: Diagnostic) {
        self.out.diags[bucket].push(if self.s.opts.broken_links == Level::Warn { d.as_warning() } else { d });
    }

    /// The source of document `j`, whose facts (URL, ID, title, anchors) the result shows.
    fn read(&mut self, j: usize) -> &str {
        let source = self.s.docs[j].source.as_str();
        memo::read(&mut self.deps, source);
        source
    }

    fn refer(&mut self, to: usize, how: RefKind) {
        if to != self.i {
            let source = self.s.docs[to].source.clone();
            self.out.refs.push((source, how));
        }
    }

    /// Resolves each stated relation; unresolved ones and relations to the document itself
    /// are reported and dropped.
    fn relations(&mut self) {
        let d = self.d;
        for r in &d.relations {
            let Some(j) = self.relation_target(r) else { continue };
            if j == self.i {
                if !d.is_template {
                    self.out.diags[0].push(
                        Diagnostic::new(
                            Code::SelfRelation,
                            &d.source,
                            r.line,
                            r.col,
                            format!("\"{}\" names this document itself; the relation is ignored", r.verb),
                        )
                        .help("name the other document, e.g. the one that replaces this one"),
                    );
                }
                continue;
            }
            let target = self.s.docs[j].source.clone();
            self.out.relations.push((r.kind, r.verb.clone(), target, r.line, r.col));
            self.refer(j, RefKind::Relation(r.kind));
        }
    }

    /// The document `target` names (a path or an ID-like text).
    fn target(&mut self, target: &Target) -> Option<usize> {
        match target {
            Target::Path(p) => match self.s.resolver.path(&self.d.source, p, &mut self.deps) {
                Some(Resolved::Doc(j, _)) => Some(j),
                _ => None,
            },
            Target::Id(text) => self.s.resolver.id(text, &mut self.deps),
        }
    }

    /// The document a relation names, or `None` with a diagnostic (none for templates).
    fn relation_target(&mut self, r: &RawRelation) -> Option<usize> {
        let d = self.d;
        let target = self.target(&r.target);
        if target.is_some() || d.is_template {
            return target;
        }
        let (what, code) = match &r.target {
            Target::Path(p) => (format!("`{p}`"), Code::BrokenLink),
            Target::Id(t) => (format!("`{t}`"), Code::UnknownId),
        };
        let dg = Diagnostic::new(
            code,
            &d.source,
            r.line,
            r.col,
            format!("{} target {what} matches no document", r.verb.to_lowercase()),
        )
        .help(match self.s.resolver.closest(&d.source, &r.target, &mut self.deps) {
            Some(c) => format!("did you mean `{c}`?"),
            None => "name an existing document by its ID or relative path".to_string(),
        });
        if code == Code::BrokenLink {
            self.broken(0, dg);
        } else {
            self.out.diags[0].push(dg);
        }
        None
    }

    /// Resolves every link and wiki link.
    fn links(&mut self) {
        let d = self.d;
        let targets = d.links.iter().map(|l| if l.wiki { self.wiki_target(l) } else { self.link_target(l) }).collect();
        self.out.link_targets = targets;
    }

    fn wiki_target(&mut self, l: &RawLink) -> LinkTarget {
        let d = self.d;
        let (name, frag) = split_fragment(&l.href);
        if let Some(j) = self.s.resolver.id(name, &mut self.deps) {
            self.refer(j, RefKind::Link);
            self.read(j);
            return LinkTarget::Site(format!("{}{}", self.s.urls[j], frag));
        }
        if !d.is_template {
            let help = match self.s.resolver.closest_id(name, &mut self.deps) {
                Some(c) => format!("did you mean [[{c}]]?"),
                None => "name a document by its ID (ADR-0012) or file name without .md".to_string(),
            };
            self.broken(
                1,
                Diagnostic::new(
                    Code::DanglingWikiLink,
                    &d.source,
                    l.line,
                    l.col,
                    format!("wiki link [[{}]] matches no document", l.href),
                )
                .help(help),
            );
        }
        LinkTarget::AsWritten
    }

    fn link_target(&mut self, l: &RawLink) -> LinkTarget {
        let d = self.d;
        match self.s.resolver.path(&d.source, &l.href, &mut self.deps) {
            Some(Resolved::Doc(j, frag)) => {
                self.refer(j, RefKind::Link);
                self.read(j);
                let frag = self.anchor(&self.s.docs[j], frag, l);
                LinkTarget::Site(format!("{}{}", self.s.urls[j], frag))
            }
            Some(Resolved::Fragment(frag)) => LinkTarget::Site(self.anchor(d, frag, l)),
            Some(Resolved::File(path, frag)) => {
                let t = format!("{path}{frag}");
                self.out.assets.push(path);
                LinkTarget::Site(t)
            }
            // Not checked: a repository link with `repo_url`, else as written (a
            // root-relative one, which has no URL on the site, becomes plain text).
            Some(Resolved::Outside(repo_path)) => {
                self.out.outside += 1;
                match self.s.opts.repo.and_then(|r| repo_target(r, &repo_path, "blob")) {
                    Some(url) => LinkTarget::External(url),
                    None if l.href.starts_with('/') => LinkTarget::Unlinked,
                    None => LinkTarget::AsWritten,
                }
            }
            // A folder without a README: its collection's index page, else the
            // repository's folder view (it works on GitHub, so it is not broken).
            Some(Resolved::Folder(folder)) => match self.s.opts.collection_pages.iter().find(|(p, _)| *p == folder) {
                Some((_, url)) => LinkTarget::Site(url.clone()),
                None => match self.s.opts.repo.and_then(|r| repo_target(r, &folder, "tree")) {
                    Some(url) => LinkTarget::External(url),
                    None => LinkTarget::AsWritten,
                },
            },
            None => {
                if !d.is_template {
                    self.broken_link(l);
                }
                LinkTarget::AsWritten
            }
        }
    }

    /// `frag` checked against `target`'s headings: rewritten to the heading id's own spelling,
    /// or kept as written with a `broken-anchor` diagnostic.
    fn anchor(&mut self, target: &Doc, frag: String, l: &RawLink) -> String {
        let from = self.d;
        match check_anchor(target, &frag, from, l.line, l.col) {
            Ok(f) => f,
            Err(dg) => {
                if !from.is_template {
                    self.broken(1, dg);
                }
                frag
            }
        }
    }

    fn broken_link(&mut self, l: &RawLink) {
        let d = self.d;
        let help = match self.s.resolver.closest(&d.source, &Target::Path(l.href.clone()), &mut self.deps) {
            _ if is_email(&l.href) => format!("add mailto: to link an e-mail address: `mailto:{}`", l.href),
            Some(c) => format!("did you mean `{c}`? Links are relative to this file's folder"),
            None => "check the path; links are relative to this file's folder".to_string(),
        };
        let what = if l.image { "image" } else { "link target" };
        self.broken(
            1,
            Diagnostic::new(Code::BrokenLink, &d.source, l.line, l.col, format!("{what} `{}` does not exist", l.href))
                .help(help),
        );
    }

    /// The moments this document superseded others: the first revision that names each under
    /// Supersedes (from its git history).
    fn superseded_events(&mut self) {
        let d = self.d;
        let mut named: BTreeSet<usize> = BTreeSet::new();
        for c in &d.history {
            for t in &c.supersedes {
                let Some(j) = self.target(t).filter(|&j| j != self.i) else { continue };
                if named.insert(j) {
                    let target = self.read(j).to_string();
                    let change = StatusChange {
                        status: Status::Superseded,
                        status_raw: Some(format!("Superseded by {}", self.s.ids[self.i])),
                        title: self.s.docs[j].title.clone(),
                        changed: vec!["superseded-by"],
                        by: Some(self.s.ids[self.i].clone()),
                        supersedes: Vec::new(),
                        ..c.clone()
                    };
                    self.out.events.push((target, change));
                }
            }
        }
    }

    /// Resolves every ID mention: the target's URL and title, or `None` with an `unknown-id`.
    fn mentions(&mut self) {
        let d = self.d;
        let mut targets = Vec::with_capacity(d.mentions.len());
        for m in &d.mentions {
            if let Some(j) = self.s.resolver.id(&m.text, &mut self.deps) {
                self.refer(j, RefKind::Mention);
                self.read(j);
                targets.push(Some((self.s.urls[j].clone(), self.s.docs[j].title.clone())));
                continue;
            }
            if !d.is_template {
                self.out.diags[2].push(
                    Diagnostic::new(
                        Code::UnknownId,
                        &d.source,
                        m.line,
                        m.col,
                        format!("`{}` matches no document", m.text),
                    )
                    .help(format!("check the number; write it as code (`{}`) if it is not a reference", m.text)),
                );
            }
            targets.push(None);
        }
        self.out.mention_targets = targets;
    }
}

/// A `relation-conflict` where two sides of a relation name different documents.
fn relation_conflicts(docs: &[Doc], ids: &[String], stated: &[(usize, RelKind, usize, u32, u32)]) -> Vec<Diagnostic> {
    let mut by_side: HashMap<(usize, RelKind), BTreeSet<usize>> = HashMap::new();
    for s in stated {
        by_side.entry((s.0, s.1)).or_default().insert(s.2);
    }
    let mut diags = Vec::new();
    for &(i, kind, j, line, col) in stated {
        let Some(other_side) = by_side.get(&(j, kind.inverse())) else { continue };
        if other_side.contains(&i) {
            continue;
        }
        let names: Vec<String> = other_side.iter().map(|&k| format!("`{}`", ids[k])).collect();
        diags.push(
            Diagnostic::new(
                Code::RelationConflict,
                &docs[i].source,
                line,
                col,
                format!(
                    "`{}` says it {} `{}`, but `{}` says it {} {}",
                    ids[i],
                    verb_phrase(kind),
                    ids[j],
                    ids[j],
                    verb_phrase(kind.inverse()),
                    names.join(", ")
                ),
            )
            .help(format!("make `{}` and `{}` name each other", docs[i].source, docs[j].source)),
        );
    }
    diags
}

/// Everything the resolving steps found, by document index.
struct Resolution {
    /// History changes that other documents made to a document (superseding it).
    events: Vec<Vec<StatusChange>>,
    ids: Vec<String>,
    urls: Vec<String>,
    refs: Vec<Refs>,
    relations: Relations,
    link_targets: Vec<Vec<LinkTarget>>,
    mention_targets: Vec<Vec<MentionTarget>>,
}

/// The linked documents: each with its relations (as sorted IDs), the newest successors,
/// references, backlinks and resolved targets; a document something supersedes is superseded.
fn linked_docs(docs: Vec<Doc>, r: Resolution) -> Vec<LinkedDoc> {
    let n = docs.len();
    let Resolution {
        ids,
        urls,
        refs,
        relations: Relations { related, rels, .. },
        link_targets,
        mention_targets,
        events,
    } = r;
    let mut backlinks: Vec<Refs> = vec![BTreeMap::new(); n];
    for (i, r) in refs.iter().enumerate() {
        for (&j, kinds) in r {
            backlinks[j].insert(i, kinds.clone());
        }
    }
    let id_list = |set: Option<&BTreeSet<usize>>| -> Vec<String> {
        let mut v: Vec<String> = set.map(|s| s.iter().map(|&j| ids[j].clone()).collect()).unwrap_or_default();
        v.sort();
        v
    };
    let iter = docs.into_iter().zip(link_targets).zip(mention_targets).zip(urls).zip(events);
    let mut linked = Vec::with_capacity(n);
    for (i, ((((mut doc, targets), mtargets), url), events)) in iter.enumerate() {
        merge_history(&mut doc.history, events);
        let superseded_by = id_list(rels[i].get(&RelKind::SupersededBy));
        if !superseded_by.is_empty() {
            doc.status = Status::Superseded;
        }
        let mut rel_list: Vec<Related> =
            related[i].iter().map(|(&j, verb)| Related { id: ids[j].clone(), verb: verb.clone() }).collect();
        rel_list.sort();
        let mut back: Vec<Backlink> = backlinks[i]
            .iter()
            .map(|(&j, kinds)| Backlink {
                id: ids[j].clone(),
                how: kinds.iter().map(|k| k.label()).collect::<Vec<_>>().join(", "),
            })
            .collect();
        back.sort();
        // The newest successors: follow superseded-by to the end of each chain.
        let newest = id_list(Some(&chain_ends(i, &rels).into_iter().collect()));
        linked.push(LinkedDoc {
            id: ids[i].clone(),
            url,
            supersedes: id_list(rels[i].get(&RelKind::Supersedes)),
            superseded_by,
            newest,
            amends: id_list(rels[i].get(&RelKind::Amends)),
            amended_by: id_list(rels[i].get(&RelKind::AmendedBy)),
            related: rel_list,
            references: id_list(Some(&refs[i].keys().copied().collect())),
            backlinks: back.iter().map(|b| b.id.clone()).collect(),
            backlink_details: back,
            link_targets: targets,
            mention_targets: mtargets,
            doc,
        });
    }
    linked
}

/// Adds the changes other documents made to a document's own history, in date order; one
/// made in a commit where the document itself already says it is superseded is left out.
fn merge_history(history: &mut Vec<StatusChange>, events: Vec<StatusChange>) {
    for e in events {
        let said = history.iter().any(|c| c.commit == e.commit && c.status == Status::Superseded);
        if !said {
            history.push(e);
        }
    }
    history.sort_by(|a, b| a.date.cmp(&b.date));
}

fn verb_phrase(kind: RelKind) -> &'static str {
    match kind {
        RelKind::Supersedes => "supersedes",
        RelKind::SupersededBy => "is superseded by",
        RelKind::Amends => "amends",
        RelKind::AmendedBy => "is amended by",
        RelKind::Related => "relates to",
    }
}

fn split_fragment(href: &str) -> (&str, String) {
    match href.find('#') {
        Some(i) => (&href[..i], href[i..].to_string()),
        None => (href, String::new()),
    }
}

/// `frag` as it must be written on the site: a `#fragment` names a heading (or raw HTML id)
/// of `target` in any case, as on GitHub, and is rewritten to the id's own spelling. A
/// `broken-anchor` diagnostic when it names none.
fn check_anchor(target: &Doc, frag: &str, from: &Doc, line: u32, col: u32) -> Result<String, Diagnostic> {
    let Some(f) = frag.strip_prefix('#') else { return Ok(frag.to_string()) };
    if f.is_empty() || f == "top" {
        return Ok(frag.to_string());
    }
    let f_dec = percent_decode(f);
    let ids = target
        .headings
        .iter()
        .map(|h| h.id.as_str())
        .chain(target.title_id.as_deref())
        .chain(target.anchors.iter().map(String::as_str));
    if ids.clone().any(|id| id == f_dec) {
        return Ok(frag.to_string());
    }
    let lower = f_dec.to_lowercase();
    if let Some(id) = ids.clone().find(|id| id.to_lowercase() == lower) {
        return Ok(format!("#{id}"));
    }
    // Broken: the closest id, for the help line.
    let mut best: Option<(f64, &str)> = None;
    for id in ids {
        let score = strsim::jaro_winkler(id, &f_dec);
        if best.is_none_or(|(s, _)| score > s) {
            best = Some((score, id));
        }
    }
    let help = match best {
        Some((s, id)) if s > 0.7 => format!("did you mean `#{id}`?"),
        _ => "link to one of the target's headings (lower-case, spaces as `-`)".to_string(),
    };
    Err(Diagnostic::new(
        Code::BrokenAnchor,
        &from.source,
        line,
        col,
        format!("`#{f}` is not a heading of `{}`", target.source),
    )
    .help(help))
}

/// `ann@example.com`: an e-mail address written as a link target without `mailto:`.
fn is_email(href: &str) -> bool {
    href.split_once('@').is_some_and(|(user, host)| {
        !user.is_empty() && host.contains('.') && !href.contains(['/', '#', ' ']) && !host.contains('@')
    })
}

/// Repository URL for a path relative to the repository root, if it stays inside it.
fn repo_target(r: &RepoLinks, path_in_dir: &str, view: &str) -> Option<String> {
    let joined = if r.prefix.is_empty() { path_in_dir.to_string() } else { format!("{}/{}", r.prefix, path_in_dir) };
    let (p, frag) = split_fragment(&joined);
    let normalized = normalize(p)?;
    Some(format!("{}/{view}/HEAD/{}{}", r.repo_url, normalized, frag))
}

/// Errors for every supersede cycle (each reported once, at its first document by path).
fn supersede_cycles(docs: &[Doc], ids: &[String], rels: &[BTreeMap<RelKind, BTreeSet<usize>>]) -> Vec<Diagnostic> {
    let n = docs.len();
    // 0 = unvisited, 1 = on the stack, 2 = done.
    let mut state = vec![0u8; n];
    let mut out = Vec::new();
    let mut reported: BTreeSet<Vec<usize>> = BTreeSet::new();
    for start in 0..n {
        if state[start] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, Vec<usize>)> = vec![(start, succ(rels, start))];
        let mut path = vec![start];
        state[start] = 1;
        while let Some((node, next)) = stack.last_mut() {
            let node = *node;
            if let Some(j) = next.pop() {
                match state[j] {
                    0 => {
                        state[j] = 1;
                        path.push(j);
                        stack.push((j, succ(rels, j)));
                    }
                    1 => {
                        let pos = path.iter().position(|&p| p == j).unwrap_or(0);
                        let mut cycle: Vec<usize> = path[pos..].to_vec();
                        let min = cycle.iter().enumerate().min_by_key(|&(_, &c)| &docs[c].source).map_or(0, |(k, _)| k);
                        cycle.rotate_left(min);
                        if reported.insert(cycle.clone()) {
                            let names: Vec<&str> =
                                cycle.iter().chain(cycle.first()).map(|&c| ids[c].as_str()).collect();
                            out.push(
                                Diagnostic::new(
                                    Code::SupersedeCycle,
                                    &docs[cycle[0]].source,
                                    1,
                                    1,
                                    format!("supersede cycle: {}", names.join(" supersedes ")),
                                )
                                .help(
                                    "a document cannot supersede its own successor; one of these relations is reversed",
                                ),
                            );
                        }
                    }
                    _ => {}
                }
            } else {
                state[node] = 2;
                path.pop();
                stack.pop();
            }
        }
    }
    out
}

fn succ(rels: &[BTreeMap<RelKind, BTreeSet<usize>>], i: usize) -> Vec<usize> {
    rels[i].get(&RelKind::Supersedes).map(|s| s.iter().rev().copied().collect()).unwrap_or_default()
}

/// The ends of the superseded-by chains starting at `i` (empty when `i` is not superseded).
fn chain_ends(i: usize, rels: &[BTreeMap<RelKind, BTreeSet<usize>>]) -> Vec<usize> {
    let mut ends = BTreeSet::new();
    let mut seen = BTreeSet::from([i]);
    let mut todo: Vec<usize> =
        rels[i].get(&RelKind::SupersededBy).map(|s| s.iter().copied().collect()).unwrap_or_default();
    while let Some(j) = todo.pop() {
        if !seen.insert(j) {
            continue;
        }
        match rels[j].get(&RelKind::SupersededBy) {
            Some(next) if !next.is_empty() => todo.extend(next.iter().copied()),
            _ => {
                ends.insert(j);
            }
        }
    }
    ends.into_iter().collect()
}

/// The site-relative URL of a source file: `a/b.md` → `a/b/`; `a/index.md` → `a/`;
/// `a/README.md` → `a/` unless `a/index.md` exists.
pub fn url_for(source: &str, sources: &HashMap<&str, usize>) -> String {
    let (dir, file) = source.rsplit_once('/').map_or(("", source), |(d, f)| (d, f));
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    let dir_url = if dir.is_empty() { String::new() } else { format!("{dir}/") };
    match stem.to_ascii_lowercase().as_str() {
        "index" => dir_url,
        "readme" => {
            let has_index = ["index.md", "INDEX.md", "index.markdown"]
                .iter()
                .any(|i| sources.contains_key(format!("{dir_url}{i}").as_str()));
            if has_index { format!("{dir_url}{stem}/") } else { dir_url }
        }
        _ => format!("{dir_url}{stem}/"),
    }
}

fn display_url(url: &str) -> &str {
    if url.is_empty() { "/" } else { url }
}

/// Where a link points.
enum Resolved {
    /// A document and the `#fragment` (with `#`, or empty).
    Doc(usize, String),
    /// A fragment of the same page.
    Fragment(String),
    /// A non-Markdown file of the source folder (relative path) and fragment.
    File(String, String),
    /// A path that leaves the source folder (joined, not normalised, with its fragment).
    Outside(String),
    /// A folder of the source folder without a README or index.
    Folder(String),
}

/// Look-up tables for resolving paths and ID-like text.
struct Resolver<'a> {
    sources: &'a HashMap<&'a str, usize>,
    /// Every ID and slug, for suggestions, lower-cased beside as written.
    display_ids: Vec<(String, String)>,
    /// Every document and file by file name, for suggestions: a broken link is compared with each
    /// name once, however many folders hold it.
    by_name: BTreeMap<&'a str, Vec<&'a str>>,
    /// File names close to a wanted one (jaro-winkler at least 0.85), by wanted name: copied
    /// folders repeat their broken links.
    near_names: std::sync::Mutex<HashMap<String, Vec<(f64, &'a str)>>>,
    /// Every folder that holds a document or file.
    dirs: BTreeSet<String>,
    files: &'a BTreeSet<String>,
    by_id: HashMap<String, usize>,
    by_number: HashMap<(String, u32), usize>,
    by_stem: HashMap<String, Option<usize>>,
    prefixes: BTreeSet<String>,
    /// The source folder's path inside the repository (`docs`), or empty.
    root_prefix: &'a str,
}

impl<'a> Resolver<'a> {
    fn new(
        docs: &[Doc],
        ids: &[String],
        sources: &'a HashMap<&'a str, usize>,
        files: &'a BTreeSet<String>,
        root_prefix: &'a str,
    ) -> Self {
        let mut by_id = HashMap::new();
        let mut by_number = HashMap::new();
        let mut by_stem: HashMap<String, Option<usize>> = HashMap::new();
        let mut prefixes = BTreeSet::new();
        for (i, d) in docs.iter().enumerate() {
            by_id.entry(ids[i].to_lowercase()).or_insert(i);
            if let Some((prefix, n)) = split_id(&ids[i])
                && d.kind != Kind::Page
            {
                prefixes.insert(prefix.to_lowercase());
                by_number.entry((prefix.to_lowercase(), n)).or_insert(i);
            }
            let stem = d.path_id.rsplit('/').next().unwrap_or(&d.path_id).to_lowercase();
            by_stem.entry(stem).and_modify(|e| *e = None).or_insert(Some(i));
        }
        let mut display_ids: Vec<String> = ids.to_vec();
        display_ids.extend(docs.iter().map(|d| d.path_id.rsplit('/').next().unwrap_or(&d.path_id).to_string()));
        display_ids.sort();
        display_ids.dedup();
        let display_ids = display_ids.into_iter().map(|d| (d.to_lowercase(), d)).collect();
        let mut by_name: BTreeMap<&'a str, Vec<&'a str>> = BTreeMap::new();
        for p in sources.keys().copied().chain(files.iter().map(String::as_str)) {
            by_name.entry(p.rsplit('/').next().unwrap_or(p)).or_default().push(p);
        }
        let mut dirs = BTreeSet::new();
        for p in sources.keys().copied().chain(files.iter().map(String::as_str)) {
            let mut cur = p;
            while let Some((d, _)) = cur.rsplit_once('/') {
                if !dirs.insert(d.to_string()) {
                    break;
                }
                cur = d;
            }
        }
        Resolver {
            sources,
            display_ids,
            by_name,
            near_names: Default::default(),
            dirs,
            files,
            by_id,
            by_number,
            by_stem,
            prefixes,
            root_prefix,
        }
    }

    /// Resolves ID-like text: `ADR-0012`, `adr 12`, `12. Title` (when one prefix exists), a
    /// slug. `deps` gets the names looked up.
    fn id(&self, text: &str, deps: &mut Deps) -> Option<usize> {
        let t = text.trim().trim_start_matches("[[").trim_end_matches("]]").trim();
        let lower = t.to_lowercase();
        deps.name("id", &lower);
        if let Some(&i) = self.by_id.get(&lower) {
            return Some(i);
        }
        if let Some((prefix, n)) = split_id(t) {
            let prefix = prefix.to_lowercase();
            deps.name("num", &format!("{prefix}/{n}"));
            if let Some(&i) = self.by_number.get(&(prefix, n)) {
                return Some(i);
            }
        }
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && (t.len() == digits || !t.as_bytes()[digits].is_ascii_alphanumeric()) {
            // Whether there is one prefix, and which, is a name too.
            deps.name("bare", "");
            if self.prefixes.len() == 1 {
                let n: u32 = t[..digits].parse().ok()?;
                let prefix = self.prefixes.iter().next()?;
                deps.name("num", &format!("{prefix}/{n}"));
                if let Some(&i) = self.by_number.get(&(prefix.clone(), n)) {
                    return Some(i);
                }
            }
        }
        deps.name("stem", &lower);
        self.by_stem.get(&lower).copied().flatten()
    }

    /// Resolves a relative link from the document at `from`.
    fn path(&self, from: &str, href: &str, deps: &mut Deps) -> Option<Resolved> {
        let (path_part, frag) = match href.find('#') {
            Some(i) => (&href[..i], href[i..].to_string()),
            None => (href, String::new()),
        };
        let path_part = path_part.split('?').next().unwrap_or(path_part);
        if path_part.is_empty() {
            return Some(Resolved::Fragment(frag));
        }
        let decoded = percent_decode(path_part);
        let (dir, decoded) = match self.root_relative(&decoded) {
            Some(Ok(inside)) => ("", inside),
            Some(Err(outside)) => return Some(Resolved::Outside(format!("{outside}{frag}"))),
            None => (from.rsplit_once('/').map_or("", |(d, _)| d), decoded),
        };
        let raw_joined = if dir.is_empty() { decoded.clone() } else { format!("{dir}/{decoded}") };
        let Some(joined) = normalize(&raw_joined) else {
            return Some(Resolved::Outside(format!("{raw_joined}{frag}")));
        };
        deps.name("path", &joined);
        if let Some(&j) = self.sources.get(joined.as_str()) {
            return Some(Resolved::Doc(j, frag));
        }
        let folder = joined.trim_end_matches('/');
        deps.name("dir", folder);
        for name in ["index.md", "README.md", "readme.md", "Readme.md"] {
            let candidate = if folder.is_empty() { name.to_string() } else { format!("{folder}/{name}") };
            if let Some(&j) = self.sources.get(candidate.as_str()) {
                return Some(Resolved::Doc(j, frag));
            }
        }
        if self.files.contains(&joined) {
            return Some(Resolved::File(joined, frag));
        }
        if self.dirs.contains(folder) {
            return Some(Resolved::Folder(folder.to_string()));
        }
        None
    }
}

impl Resolver<'_> {
    /// A root-relative path (`/docs/adr/1.md`) made relative to the source folder: `Ok` with the
    /// path inside it (`adr/1.md`), or `Err` with the path that leaves it (`../src/main.rs`).
    /// `None` when `path` is not root-relative.
    fn root_relative(&self, path: &str) -> Option<Result<String, String>> {
        let abs = path.strip_prefix('/')?;
        if self.root_prefix.is_empty() {
            return Some(Ok(abs.to_string()));
        }
        match abs.strip_prefix(self.root_prefix) {
            Some(rest) if rest.is_empty() || rest.starts_with('/') => {
                Some(Ok(rest.trim_start_matches('/').to_string()))
            }
            _ => Some(Err(format!("{}{abs}", "../".repeat(self.root_prefix.split('/').count())))),
        }
    }

    /// The existing document or file closest to a broken target, for a `help:` line.
    fn closest(&self, from: &str, target: &Target, deps: &mut Deps) -> Option<String> {
        deps.name("closest", "");
        match target {
            Target::Id(t) => self.closest_id(t, deps),
            Target::Path(href) => {
                let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
                let path = percent_decode(href.split('#').next().unwrap_or(href));
                let wanted = match self.root_relative(&path) {
                    Some(Ok(inside)) => normalize(&inside)?,
                    Some(Err(_)) => return None,
                    None => normalize(&format!("{dir}/{path}"))?,
                };
                let name = wanted.rsplit('/').next().unwrap_or(&wanted).to_string();
                let mut best: Option<(f64, &str)> = None;
                let near = self.near_names(&name);
                for &(name_score, cname) in near.iter() {
                    for &cand in self.by_name[cname].iter().filter(|&&c| c != from) {
                        let score = name_score + 0.5 * strsim::jaro_winkler(&wanted, cand);
                        if best.is_none_or(|(s, c)| score > s || (score == s && cand < c)) {
                            best = Some((score, cand));
                        }
                    }
                }
                let (score, cand) = best?;
                (score > 1.3).then(|| relative_path(dir, cand))
            }
        }
    }

    /// The file names close to `name` (jaro-winkler at least 0.85), remembered for this link.
    fn near_names(&self, name: &str) -> Vec<(f64, &str)> {
        if let Some(v) = self.near_names.lock().unwrap_or_else(|e| e.into_inner()).get(name) {
            return v.clone();
        }
        let v: Vec<(f64, &str)> = self
            .by_name
            .keys()
            .map(|&cname| (strsim::jaro_winkler(name, cname), cname))
            .filter(|(score, _)| *score >= 0.85)
            .collect();
        self.near_names.lock().unwrap_or_else(|e| e.into_inner()).insert(name.to_string(), v.clone());
        v
    }

    /// The ID or slug closest to an unknown one.
    fn closest_id(&self, text: &str, deps: &mut Deps) -> Option<String> {
        deps.name("closest", "");
        let t = text.to_lowercase();
        let mut best: Option<(f64, &str)> = None;
        for (lower, cand) in &self.display_ids {
            let cand = cand.as_str();
            let score = strsim::jaro_winkler(&t, lower);
            if best.is_none_or(|(s, c)| score > s || (score == s && cand < c)) {
                best = Some((score, cand));
            }
        }
        best.filter(|(s, _)| *s > 0.8).map(|(_, c)| c.to_string())
    }
}

/// `to` written relative to the folder `from_dir` (both relative to the source folder).
fn relative_path(from_dir: &str, to: &str) -> String {
    let a: Vec<&str> = from_dir.split('/').filter(|s| !s.is_empty()).collect();
    let b: Vec<&str> = to.split('/').collect();
    let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<&str> = vec![".."; a.len() - common];
    parts.extend(&b[common..]);
    parts.join("/")
}

/// Splits `ADR-0012`, `ADR 12`, `adr_12`, `RFC0042` into a prefix and a number.
pub fn split_id(text: &str) -> Option<(&str, u32)> {
    let t = text.trim();
    let letters = t.bytes().take_while(u8::is_ascii_alphabetic).count();
    if letters == 0 || letters > 10 {
        return None;
    }
    let rest = t[letters..].trim_start_matches(['-', '_', ' ']);
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 7 {
        return None;
    }
    let after = &rest[digits..];
    if after.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric()) {
        return None;
    }
    Some((&t[..letters], rest[..digits].parse().ok()?))
}

/// Resolves `.` and `..` in a slash path. `None` if it climbs out of the root.
pub fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests;
