//! What `dossier mcp` answers from: the source folder loaded by the session engine `check`
//! uses (one function, `load_model`, is all it takes from it), the site's search index over it, and
//! each tool's answer as JSON. Kept apart from the protocol and from tokio: plain functions of
//! a snapshot.

use super::engine::{Engine, Filters};
use crate::build::{Failure, Loaded};
use crate::config::Config;
use crate::diag::{self, Diagnostic};
use crate::model::{Kind, LinkedDoc, Site, Status};
use crate::session::Session;
use serde_json::{Value, json};
use std::collections::{HashSet, VecDeque};
use std::path::{Path, PathBuf};

/// The site as of the last load.
pub struct Snapshot {
    pub config: Config,
    pub site: Site,
    pub diagnostics: Vec<Diagnostic>,
    engine: Engine,
    /// The place in `site.docs` of each document the search index numbers (templates aside).
    indexed: Vec<usize>,
    /// Each document's Markdown body (front matter split off), by place in `site.docs`.
    bodies: Vec<Option<String>>,
}

/// Why a request has no answer: an argument that names nothing, with what would.
#[derive(Debug, PartialEq)]
pub struct NotFound {
    pub message: String,
    pub closest: Vec<String>,
}

/// Reads, parses and links DIR as `check` does, after the edits `changed` (absolute paths;
/// none for the first load), writing nothing: the only use of the engine here. The session
/// keeps the parses of unchanged files.
pub fn load_model<'s>(session: &'s mut Session, changed: &[PathBuf]) -> Result<&'s Loaded, Failure> {
    session.load(changed)
}

/// Loads DIR into a snapshot. An invalid `dossier.toml` keeps `previous`'s documents, with the
/// configuration's diagnostics in place of theirs, so that `check` tells what is wrong.
pub fn load(session: &mut Session, changed: &[PathBuf], previous: Option<&Snapshot>) -> Result<Snapshot, Failure> {
    let root = session.root().to_path_buf();
    let root = root.as_path();
    match (load_model(session, changed).map(|l| (l.config.clone(), l.site.clone(), l.diagnostics.clone())), previous) {
        (Ok((config, site, diagnostics)), _) => Ok(Snapshot::new(root, config, site, diagnostics)),
        (Err(Failure::Config(diags)), Some(p)) => Ok(Snapshot::new(root, p.config.clone(), p.site.clone(), diags)),
        (Err(e), _) => Err(e),
    }
}

/// The bodies of the documents, read once per load, each only if it resolves inside the
/// repository (`boundary`): discovery never follows a link out of it, and neither does this.
fn bodies(root: &Path, site: &Site) -> Vec<Option<String>> {
    let boundary = crate::discover::boundary(root);
    site.docs
        .iter()
        .map(|d| {
            let path = root.join(&d.doc.source).canonicalize().ok().filter(|p| p.starts_with(&boundary))?;
            let text = std::fs::read_to_string(path).ok()?;
            Some(text[crate::parse::front_matter::split(&text).body_start..].to_string())
        })
        .collect()
}

impl Snapshot {
    fn new(root: &Path, config: Config, site: Site, diagnostics: Vec<Diagnostic>) -> Snapshot {
        let engine = Engine::new(crate::search::index(&site, &config.language, &config.strings));
        let indexed = site.docs.iter().enumerate().filter(|(_, d)| !d.doc.is_template).map(|(i, _)| i).collect();
        let bodies = bodies(root, &site);
        Snapshot { config, site, diagnostics, engine, indexed, bodies }
    }

    /// The document's URL as the site has it: absolute with the base URL, else relative to the
    /// site root.
    pub fn url(&self, d: &LinkedDoc) -> String {
        format!("{}{}", self.config.base_url.as_deref().unwrap_or(""), crate::render::url::encode_path(&d.url))
    }

    fn counted(&self) -> impl Iterator<Item = &LinkedDoc> {
        self.site.docs.iter().filter(|d| !d.doc.is_template)
    }

    fn place(&self, d: &LinkedDoc) -> Option<usize> {
        self.site.docs.iter().position(|x| std::ptr::eq(x, d))
    }

    /// The document an ID, a path or a URL names: the ID as written or in any case, `ADR-12`
    /// for `ADR-0012`, the source path (with or without `.md`), or the page URL.
    pub fn resolve(&self, what: &str) -> Result<&LinkedDoc, NotFound> {
        let w = what.trim().trim_start_matches("dossier://").trim_start_matches("./");
        if let Some(d) = self.site.get(w).filter(|d| !d.doc.is_template) {
            return Ok(d);
        }
        let lower = w.to_lowercase();
        let term = crate::search::id_term(w);
        let base = self.config.base_url.as_deref().unwrap_or("");
        let page = w.strip_prefix(base).filter(|_| !base.is_empty()).unwrap_or(w);
        let page = page.trim_end_matches("index.html").trim_end_matches('/');
        let found = self.counted().find(|d| {
            d.id.to_lowercase() == lower
                || d.doc.source == w
                || d.doc.source.strip_suffix(".md") == Some(w)
                || (!d.url.is_empty() && d.url.trim_end_matches('/') == page)
                || (term.is_some() && crate::search::id_term(&d.id) == term)
        });
        found.ok_or_else(|| self.not_found(what))
    }

    /// ``no document `X`; the closest IDs are …``, the three IDs most like it.
    fn not_found(&self, what: &str) -> NotFound {
        let closest = closest(what, self.counted().map(|d| d.id.as_str()));
        let message = if closest.is_empty() {
            format!("no document `{what}`: the folder holds no documents")
        } else {
            format!("no document `{what}`; the closest IDs are {}", closest.join(", "))
        };
        NotFound { message, closest }
    }

    /// A tag filter: the tag as the documents write it, in any case.
    pub fn tag_arg(&self, tag: &str) -> Result<String, NotFound> {
        let tags = self.engine.tags();
        if let Some(t) = tags.iter().find(|t| t.to_lowercase() == tag.trim().to_lowercase()) {
            return Ok(t.to_string());
        }
        let closest = closest(tag, tags.iter().copied());
        let message = if closest.is_empty() {
            format!("unknown tag `{tag}`: no document has tags")
        } else {
            format!("unknown tag `{tag}`; the closest tags are {}", closest.join(", "))
        };
        Err(NotFound { message, closest })
    }

    /// The row of a document in lists.
    fn row(&self, d: &LinkedDoc) -> Value {
        json!({
            "id": d.id,
            "title": d.doc.title,
            "kind": d.doc.kind.as_str(),
            "status": d.doc.status.as_str(),
            "date": d.doc.date,
            "url": self.url(d),
        })
    }

    /// `search`: the site search's ranking (`Engine::rank`), with each result's passage.
    pub fn search(&self, query: &str, filters: &Filters, limit: usize) -> Value {
        let ranked = self.engine.rank(query, filters, limit.max(1));
        let marks = Engine::marks(query);
        let results: Vec<Value> = ranked
            .iter()
            .take(limit)
            .filter_map(|r| {
                let d = &self.site.docs[*self.indexed.get(r.doc as usize)?];
                let text = super::snippet::collapse(&d.doc.text, super::snippet::PASSAGE_MAX);
                let mut row = self.row(d);
                row["snippet"] = super::snippet::passage(&text, &marks).into();
                row["score"] = r.score.into();
                Some(row)
            })
            .collect();
        json!({"query": query, "total": ranked.len(), "results": results})
    }

    /// `list_documents`: every document (templates aside) that passes the filters, in source order.
    pub fn list(&self, kind: Option<Kind>, status: Option<Status>, tag: Option<&str>, author: Option<&str>) -> Value {
        let same = |a: &str, b: &str| a.trim().to_lowercase() == b.trim().to_lowercase();
        let docs: Vec<Value> = self
            .counted()
            .filter(|d| kind.is_none_or(|k| d.doc.kind == k))
            .filter(|d| status.is_none_or(|s| d.doc.status == s))
            .filter(|d| tag.is_none_or(|t| d.doc.tags.iter().any(|x| same(x, t))))
            .filter(|d| author.is_none_or(|a| d.doc.authors.iter().chain(&d.doc.contributors).any(|x| same(x, a))))
            .map(|d| {
                let mut row = self.row(d);
                row["tags"] = json!(d.doc.tags);
                row["authors"] = json!(d.doc.authors);
                row["superseded_by"] = json!(d.superseded_by);
                row
            })
            .collect();
        json!({"total": docs.len(), "documents": docs})
    }

    fn body(&self, d: &LinkedDoc) -> &str {
        self.place(d).and_then(|i| self.bodies[i].as_deref()).unwrap_or("")
    }

    /// `get_document`: metadata, relations, backlinks and the Markdown body.
    pub fn document(&self, d: &LinkedDoc) -> Value {
        let backlinks: Vec<Value> = d.backlink_details.iter().map(|b| json!({"id": b.id, "how": b.how})).collect();
        let related: Vec<Value> = d.related.iter().map(|r| json!({"id": r.id, "verb": r.verb})).collect();
        let mut v = self.row(d);
        for (k, x) in [
            ("status_raw", json!(d.doc.status_raw)),
            ("source", json!(d.doc.source)),
            ("updated", json!(d.doc.updated)),
            ("authors", json!(d.doc.authors)),
            ("tags", json!(d.doc.tags)),
            ("supersedes", json!(d.supersedes)),
            ("superseded_by", json!(d.superseded_by)),
            ("newest", json!(d.newest)),
            ("amends", json!(d.amends)),
            ("amended_by", json!(d.amended_by)),
            ("related", json!(related)),
            ("references", json!(d.references)),
            ("backlinks", json!(backlinks)),
            ("markdown", json!(self.body(d))),
        ] {
            v[k] = x;
        }
        v
    }

    /// The documents reached from `d` by `next`, breadth first, each once, with its depth.
    fn walk(&self, d: &LinkedDoc, next: fn(&LinkedDoc) -> &Vec<String>) -> Vec<Value> {
        let mut seen = HashSet::from([d.id.clone()]);
        let mut queue: VecDeque<(String, usize)> = next(d).iter().map(|id| (id.clone(), 1)).collect();
        let mut out = Vec::new();
        while let Some((id, depth)) = queue.pop_front() {
            let Some(x) = self.site.get(&id).filter(|_| seen.insert(id.clone())) else { continue };
            let mut row = self.row(x);
            row["depth"] = depth.into();
            out.push(row);
            queue.extend(next(x).iter().map(|id| (id.clone(), depth + 1)));
        }
        out
    }

    /// `decision_chain`: what the document supersedes, transitively (nearest first), what
    /// supersedes it, up to the newest, and `in_force`: nothing supersedes it and it is
    /// accepted or implemented.
    pub fn chain(&self, d: &LinkedDoc) -> Value {
        let in_force = d.superseded_by.is_empty() && matches!(d.doc.status, Status::Accepted | Status::Implemented);
        json!({
            "document": self.row(d),
            "supersedes": self.walk(d, |x| &x.supersedes),
            "superseded_by": self.walk(d, |x| &x.superseded_by),
            "newest": d.newest,
            "in_force": in_force,
        })
    }

    /// `check`: the diagnostics, as `dossier check --format json` prints them.
    pub fn check(&self) -> Value {
        diag::json_report(self.counted().count(), &self.diagnostics)
    }

    /// A document as an MCP resource: dossier's fields as front matter, then its Markdown.
    pub fn resource_text(&self, d: &LinkedDoc) -> String {
        format!("---\n{}---\n\n{}\n", crate::render::llms::fields(d, &self.url(d)), self.body(d).trim())
    }

    /// Every document (templates aside): ID and title, for `resources/list`.
    pub fn resources(&self) -> Vec<(String, String)> {
        self.counted().map(|d| (d.id.clone(), d.doc.title.clone())).collect()
    }
}

/// The three names most like `what` (Jaro-Winkler, in any case), best first.
fn closest<'a>(what: &str, names: impl Iterator<Item = &'a str>) -> Vec<String> {
    let lower = what.to_lowercase();
    let mut scored: Vec<(f64, &str)> = names.map(|n| (strsim::jaro_winkler(&lower, &n.to_lowercase()), n)).collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    scored.into_iter().take(3).map(|(_, n)| n.to_string()).collect()
}

/// A kind filter as the tools take it (`adr`, `decision`, `design`, `rfc`, `page`…).
pub fn kind_arg(s: &str) -> Result<Kind, NotFound> {
    Kind::parse(s).ok_or_else(|| NotFound {
        message: format!("unknown kind `{s}`; use adr, design or page"),
        closest: vec!["adr".into(), "design".into(), "page".into()],
    })
}

/// A status filter: one of dossier's normalised statuses, in any case.
pub fn status_arg(s: &str) -> Result<Status, NotFound> {
    Status::from_name(&s.trim().to_lowercase()).ok_or_else(|| {
        let all: Vec<String> = Status::ALL.iter().map(|s| s.as_str().to_string()).collect();
        NotFound { message: format!("unknown status `{s}`; use one of {}", all.join(", ")), closest: all }
    })
}
