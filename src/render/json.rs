//! `dossier.json`: every document's metadata and relations, for other tools; collection
//! templates are listed apart, under `templates`.

use crate::model::{Related, Site};
use serde::Serialize;

#[derive(Serialize)]
struct Root<'a> {
    version: u32,
    site: SiteMeta<'a>,
    documents: Vec<JsonDoc<'a>>,
    templates: Vec<JsonTemplate<'a>>,
}

/// A collection's template: a page, never a document.
#[derive(Serialize)]
struct JsonTemplate<'a> {
    id: &'a str,
    title: &'a str,
    source: &'a str,
    url: &'a str,
}

#[derive(Serialize)]
struct SiteMeta<'a> {
    title: &'a str,
    base_url: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonDoc<'a> {
    id: &'a str,
    kind: &'static str,
    title: &'a str,
    status: &'static str,
    status_raw: Option<&'a str>,
    number: Option<u32>,
    date: Option<&'a str>,
    date_source: Option<&'static str>,
    /// Last commit date (git), when known.
    updated: Option<&'a str>,
    contributors: &'a [String],
    authors: &'a [String],
    tags: &'a [String],
    source: &'a str,
    url: &'a str,
    supersedes: &'a [String],
    superseded_by: &'a [String],
    amends: &'a [String],
    amended_by: &'a [String],
    related: &'a [Related],
    references: &'a [String],
    backlinks: &'a [String],
    /// Status, title and relation changes from git, oldest first.
    history: &'a [crate::model::StatusChange],
    /// The date of the latest decision, accepted or rejected (from the history).
    decided: Option<&'a str>,
}

/// Serialises the site model. Documents are sorted by source; every list is sorted.
pub fn dossier_json(site: &Site, title: &str, base_url: Option<&str>) -> Vec<u8> {
    let documents = site
        .docs
        .iter()
        .filter(|d| !d.doc.is_template)
        .map(|d| JsonDoc {
            id: &d.id,
            kind: d.doc.kind.as_str(),
            title: &d.doc.title,
            status: d.doc.status.as_str(),
            status_raw: d.doc.status_raw.as_deref(),
            number: d.doc.number,
            date: d.doc.date.as_deref(),
            date_source: d.doc.date_source,
            updated: d.doc.updated.as_deref(),
            contributors: &d.doc.contributors,
            authors: &d.doc.authors,
            tags: &d.doc.tags,
            source: &d.doc.source,
            url: &d.url,
            supersedes: &d.supersedes,
            superseded_by: &d.superseded_by,
            amends: &d.amends,
            amended_by: &d.amended_by,
            related: &d.related,
            references: &d.references,
            backlinks: &d.backlinks,
            history: &d.doc.history,
            decided: crate::history::decided(&d.doc.history),
        })
        .collect();
    let templates = site
        .docs
        .iter()
        .filter(|d| d.doc.is_template)
        .map(|d| JsonTemplate { id: &d.id, title: &d.doc.title, source: &d.doc.source, url: &d.url })
        .collect();
    let root = Root { version: 1, site: SiteMeta { title, base_url }, documents, templates };
    let mut out = serde_json::to_vec_pretty(&root).unwrap_or_default();
    out.push(b'\n');
    out
}
