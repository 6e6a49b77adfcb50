//! The link memo: what the last link resolved for each document, and what that resolution
//! read (the names it looked up, the documents whose URL, ID, title or headings it showed), so
//! that the next link resolves again only the documents an edit can change (ADR-0024,
//! "Incremental linking").

use super::{DocOut, split_id};
use crate::model::{Doc, Kind};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::sync::Arc;

/// The hashed names one document's resolution depended on: names looked up in the resolver
/// (`id:adr-0012`, `path:adr/0012-x.md`, `dir:adr`, …) and documents read (`src:adr/0012-x.md`).
#[derive(Default)]
pub(super) struct Deps(pub(super) Vec<u64>);

impl Deps {
    pub(super) fn name(&mut self, kind: &str, key: &str) {
        self.0.push(name(kind, key));
    }
}

fn name(kind: &str, key: &str) -> u64 {
    crate::fx_hash(&(kind, key))
}

/// One document's resolution, with what it was computed from.
pub(super) struct DocMemo {
    /// The hash of what linking reads of the document itself.
    pub(super) input: u64,
    /// Its own facts (URL, final ID, title, anchors) at the time.
    pub(super) own: u64,
    pub(super) deps: Vec<u64>,
    pub(super) out: DocOut,
}

/// What the resolver knows of one document: its final ID, path ID and kind.
type Names = (String, String, Kind);

/// The last link's per-document resolutions, by source, and the tables they were resolved
/// against. Empty (`Memo::default()`) resolves everything.
#[derive(Clone, Default)]
pub struct Memo {
    /// The link options (and the non-Markdown files) the resolutions hold for.
    options: Option<u64>,
    pub(super) docs: HashMap<String, Arc<DocMemo>>,
    /// Per source, what the resolver knew of it, and its facts.
    names: HashMap<String, Names>,
    facts: HashMap<String, u64>,
    /// The ID prefixes of the collection documents (bare numbers resolve when there is one).
    prefixes: BTreeSet<String>,
}

/// What a document shows to those that link to or mention it: its URL, final ID, title and
/// anchors. Another document's resolution reads these and nothing else of it.
pub(super) fn facts(d: &Doc, url: &str, id: &str) -> u64 {
    let headings: Vec<&str> = d.headings.iter().map(|h| h.id.as_str()).collect();
    crate::fx_hash(&(url, id, &d.title, &d.title_id, headings, &d.anchors))
}

/// The names under which the resolver finds a document (see `Resolver::id` and `path`).
fn names_of(source: &str, (id, path_id, kind): &Names, out: &mut HashSet<u64>) {
    out.insert(name("id", &id.to_lowercase()));
    if let Some((prefix, n)) = split_id(id)
        && *kind != Kind::Page
    {
        out.insert(name("num", &format!("{}/{n}", prefix.to_lowercase())));
    }
    let stem = path_id.rsplit('/').next().unwrap_or(path_id).to_lowercase();
    out.insert(name("stem", &stem));
    out.insert(name("path", source));
    let mut cur = source;
    while let Some((dir, _)) = cur.rsplit_once('/') {
        out.insert(name("dir", dir));
        cur = dir;
    }
    out.insert(name("dir", ""));
}

/// The link's view of the documents now: names and facts per source.
pub(super) struct Now<'a> {
    pub(super) sources: &'a [&'a str],
    pub(super) names: Vec<Names>,
    pub(super) facts: Vec<u64>,
    pub(super) prefixes: BTreeSet<String>,
}

impl Memo {
    /// The hashed names whose lookups or facts differ between this memo and `now`: every name
    /// of a document added, removed, or whose ID, path ID or kind changed; `src:` for each
    /// whose facts changed; `closest` (the suggestions) when any name changed; `bare` when the
    /// ID prefixes changed. `None` when the options differ (nothing can be reused).
    pub(super) fn changed(&self, options: u64, now: &Now<'_>) -> Option<HashSet<u64>> {
        if self.options != Some(options) {
            return None;
        }
        let mut out = HashSet::new();
        let mut seen = 0;
        for (i, &s) in now.sources.iter().enumerate() {
            match self.names.get(s) {
                Some(old) if *old == now.names[i] => {}
                Some(old) => {
                    names_of(s, old, &mut out);
                    names_of(s, &now.names[i], &mut out);
                }
                None => names_of(s, &now.names[i], &mut out),
            }
            if self.names.contains_key(s) {
                seen += 1;
            }
            if self.facts.get(s) != Some(&now.facts[i]) {
                out.insert(name("src", s));
            }
        }
        if seen < self.names.len() {
            let live: HashSet<&str> = now.sources.iter().copied().collect();
            for (s, old) in self.names.iter().filter(|(s, _)| !live.contains(s.as_str())) {
                names_of(s, old, &mut out);
                out.insert(name("src", s));
            }
        }
        if !out.is_empty() {
            out.insert(name("closest", ""));
        }
        if self.prefixes != now.prefixes {
            out.insert(name("bare", ""));
        }
        Some(out)
    }

    /// The memo of a link under `options`, of `now`, with the resolutions `docs`.
    pub(super) fn new(options: u64, now: Now<'_>, docs: HashMap<String, Arc<DocMemo>>) -> Memo {
        let Now { sources, names, facts, prefixes } = now;
        Memo {
            options: Some(options),
            docs,
            names: sources.iter().map(|s| s.to_string()).zip(names).collect(),
            facts: sources.iter().map(|s| s.to_string()).zip(facts).collect(),
            prefixes,
        }
    }

    /// The resolution of `source` kept by this memo, when it still holds: the same input and
    /// own facts, and none of its dependencies in `changed`.
    pub(super) fn reuse(&self, source: &str, input: u64, own: u64, changed: &HashSet<u64>) -> Option<&Arc<DocMemo>> {
        let m = self.docs.get(source)?;
        (m.input == input && m.own == own && !m.deps.iter().any(|d| changed.contains(d))).then_some(m)
    }
}

/// The `src:` name of a document, for a resolution that read it.
pub(super) fn read(deps: &mut Deps, source: &str) {
    deps.name("src", source);
}
