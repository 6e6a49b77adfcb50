//! What `dossier mcp` answers from: the source folder loaded by the `check` pipeline, its
//! search index, and the answers of each tool as JSON. Kept apart from the protocol (and from
//! tokio): plain functions of a snapshot.

use super::rank::{Filters, Index};
use crate::build::{self, Failure, ParseCache};
use crate::config::Config;
use crate::diag::{self, Diagnostic};
use crate::model::{Kind, LinkedDoc, Site, Status};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// The site as of the last load.
pub struct Snapshot {
    pub root: PathBuf,
    pub config: Config,
    pub site: Site,
    pub diagnostics: Vec<Diagnostic>,
    pub index: Index,
    /// Index of each search-index document number in `site.docs` (templates are not indexed).
    pub indexed: Vec<usize>,
}

/// Why a request has no answer: an argument that names nothing, with what would.
#[derive(Debug, PartialEq)]
pub struct NotFound {
    pub message: String,
    pub closest: Vec<String>,
}

/// Loads DIR as `check` does. An invalid `dossier.toml` keeps `previous`'s documents, with
/// the configuration's diagnostics in place of theirs.
pub fn load(root: &Path, cache: &mut ParseCache, previous: Option<&Snapshot>) -> Result<Snapshot, Failure> {
    let (config, config_diags) = match build::load_config(root) {
        Ok(c) => c,
        Err(Failure::Config(diags)) if previous.is_some() => {
            let p = previous.map(|p| (p.config.clone(), p.site.clone())).unwrap_or_default();
            let (index, indexed) = index_of(&p.1);
            return Ok(Snapshot {
                root: root.to_path_buf(),
                config: p.0,
                site: p.1,
                diagnostics: diags,
                index,
                indexed,
            });
        }
        Err(e) => return Err(e),
    };
    let skip: Vec<PathBuf> = config.output_dir.iter().map(|d| root.join(d)).collect();
    let loaded = build::load_cached(root, config, config_diags, &skip, cache);
    let (index, indexed) = index_of(&loaded.site);
    Ok(Snapshot {
        root: root.to_path_buf(),
        config: loaded.config,
        site: loaded.site,
        diagnostics: loaded.diagnostics,
        index,
        indexed,
    })
}

fn index_of(site: &Site) -> (Index, Vec<usize>) {
    let index = Index::from_files(&crate::search::index(site));
    let indexed = site.docs.iter().enumerate().filter(|(_, d)| !d.doc.is_template).map(|(i, _)| i).collect();
    (index, indexed)
}

impl Snapshot {
    /// The document's URL: absolute with the base URL, else relative to the site root.
    pub fn url(&self, d: &LinkedDoc) -> String {
        format!("{}{}", self.config.base_url.as_deref().unwrap_or(""), d.url)
    }

    fn counted(&self) -> impl Iterator<Item = &LinkedDoc> {
        self.site.docs.iter().filter(|d| !d.doc.is_template)
    }

    /// The document an ID, a path or a URL names: the ID as written or in any case, `ADR-12`
    /// for `ADR-0012`, the source path (with or without `.md`), or the page URL.
    pub fn resolve(&self, what: &str) -> Result<&LinkedDoc, NotFound> {
        let w = what.trim().trim_start_matches("dossier://").trim_start_matches("./");
        if let Some(d) = self.site.get(w) {
            return Ok(d);
        }
        let lower = w.to_lowercase();
        let term = crate::search::id_term(w);
        let page = w.trim_end_matches('/').trim_end_matches("/index.html");
        let found = self.counted().find(|d| {
            d.id.to_lowercase() == lower
                || d.doc.source == w
                || d.doc.source.strip_suffix(".md") == Some(w)
                || (!d.url.is_empty() && d.url.trim_end_matches('/') == page)
                || (term.is_some() && crate::search::id_term(&d.id) == term)
        });
        found.ok_or_else(|| self.not_found(what))
    }

    /// `no document `X``, with the three IDs most like it.
    fn not_found(&self, what: &str) -> NotFound {
        let lower = what.to_lowercase();
        let mut scored: Vec<(f64, &str)> =
            self.counted().map(|d| (strsim::jaro_winkler(&lower, &d.id.to_lowercase()), d.id.as_str())).collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
        let closest: Vec<String> = scored.into_iter().take(3).map(|(_, id)| id.to_string()).collect();
        let message = if closest.is_empty() {
            format!("no document `{what}`: the folder holds no documents")
        } else {
            format!("no document `{what}`; the closest IDs are {}", closest.join(", "))
        };
        NotFound { message, closest }
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

    /// `search`: the site search's ranking, with snippets.
    pub fn search(&self, query: &str, filters: &Filters, limit: usize) -> Value {
        let ranked = self.index.rank(query, filters);
        let results: Vec<Value> = ranked
            .iter()
            .take(limit)
            .filter_map(|&(doc, score)| {
                let d = &self.site.docs[*self.indexed.get(doc)?];
                let mut row = self.row(d);
                row["snippet"] = self.index.snippet(doc, query).into();
                row["score"] = score.into();
                Some(row)
            })
            .collect();
        json!({"query": query, "total": ranked.len(), "results": results})
    }

    /// `list_documents`: every document (templates aside) that passes the filters, in source order.
    pub fn list(&self, kind: Option<Kind>, status: Option<Status>, tag: Option<&str>, author: Option<&str>) -> Value {
        let same = |a: &str, b: &str| a.to_lowercase() == b.to_lowercase();
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

    /// `get_document`: metadata, relations, backlinks and the Markdown body.
    pub fn document(&self, d: &LinkedDoc) -> Value {
        let body = std::fs::read_to_string(self.root.join(&d.doc.source))
            .map(|t| t[crate::parse::front_matter::split(&t).body_start..].to_string())
            .unwrap_or_default();
        let backlinks: Vec<Value> = d.backlink_details.iter().map(|b| json!({"id": b.id, "how": b.how})).collect();
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
            ("related", json!(d.related)),
            ("references", json!(d.references)),
            ("backlinks", json!(backlinks)),
            ("markdown", json!(body)),
        ] {
            v[k] = x;
        }
        v
    }

    /// `decision_chain`: what the document supersedes, transitively (nearest first), and what
    /// supersedes it, up to the newest; `in_force` when nothing supersedes it and it is accepted
    /// or implemented.
    pub fn chain(&self, d: &LinkedDoc) -> Value {
        let walk = |next: fn(&LinkedDoc) -> &Vec<String>| -> Vec<Value> {
            let mut seen = std::collections::HashSet::from([d.id.clone()]);
            let mut queue: std::collections::VecDeque<(String, usize)> =
                next(d).iter().map(|id| (id.clone(), 1)).collect();
            let mut out = Vec::new();
            while let Some((id, depth)) = queue.pop_front() {
                let Some(x) = self.site.get(&id).filter(|_| seen.insert(id.clone())) else { continue };
                let mut row = self.row(x);
                row["depth"] = depth.into();
                out.push(row);
                queue.extend(next(x).iter().map(|id| (id.clone(), depth + 1)));
            }
            out
        };
        let in_force = d.superseded_by.is_empty() && matches!(d.doc.status, Status::Accepted | Status::Implemented);
        json!({
            "document": self.row(d),
            "supersedes": walk(|x| &x.supersedes),
            "superseded_by": walk(|x| &x.superseded_by),
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
        let body = std::fs::read_to_string(self.root.join(&d.doc.source))
            .map(|t| t[crate::parse::front_matter::split(&t).body_start..].to_string())
            .unwrap_or_default();
        format!("---\n{}---\n\n{}\n", crate::render::llms::fields(d, &self.url(d)), body.trim())
    }

    /// Every document (templates aside): ID and title, for `resources/list`.
    pub fn resources(&self) -> Vec<(String, String)> {
        self.counted().map(|d| (d.id.clone(), d.doc.title.clone())).collect()
    }
}

/// A kind filter as the tools take it (`adr`, `decision`, `design`, `page`…).
pub fn kind_arg(s: &str) -> Result<Kind, NotFound> {
    Kind::parse(s).ok_or_else(|| NotFound {
        message: format!("unknown kind `{s}`; use adr, design or page"),
        closest: vec!["adr".into(), "design".into(), "page".into()],
    })
}

/// A status filter: one of dossier's normalised statuses.
pub fn status_arg(s: &str) -> Result<Status, NotFound> {
    Status::from_name(&s.trim().to_lowercase()).ok_or_else(|| {
        let all: Vec<String> = Status::ALL.iter().map(|s| s.as_str().to_string()).collect();
        NotFound { message: format!("unknown status `{s}`; use one of {}", all.join(", ")), closest: all }
    })
}
