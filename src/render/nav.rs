//! The sidebar: the tree of every document as one shared asset (`assets/nav-tree.json`, drawn
//! by `dossier.js`), and the few links each page carries so that every document stays
//! reachable without JavaScript.

use super::view::{SideSection, kind_plural};
use crate::model::{Doc, Kind, LinkedDoc, Site, Status};
use serde::Serialize;
use std::collections::BTreeMap;

/// The asset's path in the output: one fixed name, so a new title rewrites this file only.
pub const TREE_PATH: &str = "assets/nav-tree.json";

/// A collection's order: number, else date, else title (then the position, for ties).
pub fn order_key(d: &Doc, i: usize) -> (bool, Option<u32>, bool, Option<String>, String, usize) {
    let date = d.date.as_deref().and_then(crate::parse::meta::calendar_day);
    (d.number.is_none(), d.number, date.is_none(), date, d.title.to_lowercase(), i)
}

/// One section of the tree: `[id shown or "", title, site-relative URL, status index]` per
/// document (arrays, not objects: at 10,000 documents the keys would be a third of the file).
#[derive(Serialize)]
struct TreeSection<'a> {
    key: String,
    label: String,
    kind: &'static str,
    /// The section's index page (site-relative), when it has one.
    index: Option<&'static str>,
    docs: Vec<(&'a str, &'a str, String, usize)>,
}

#[derive(Serialize)]
struct Tree<'a> {
    /// Status names and labels, indexed by the documents' status index.
    statuses: Vec<(&'static str, String)>,
    sections: Vec<TreeSection<'a>>,
}

/// The documents of each sidebar section in order: decisions, design docs, then pages by folder.
fn sections(site: &Site) -> Vec<(String, String, Kind, Vec<usize>)> {
    let mut by_kind: BTreeMap<(Kind, String), Vec<usize>> = BTreeMap::new();
    for (i, d) in site.docs.iter().enumerate() {
        if d.doc.is_template || d.url.is_empty() {
            continue;
        }
        let folder = match d.doc.kind {
            Kind::Page => folder_of(&d.url),
            _ => String::new(),
        };
        by_kind.entry((d.doc.kind, folder)).or_default().push(i);
    }
    by_kind
        .into_iter()
        .map(|((kind, folder), mut v)| {
            v.sort_by_cached_key(|&i| match kind {
                Kind::Page => (true, None, true, None, site.docs[i].doc.title.to_lowercase(), i),
                _ => order_key(&site.docs[i].doc, i),
            });
            let (key, label) = match (kind, folder.as_str()) {
                (Kind::Page, "") => ("pages".to_string(), kind_plural(Kind::Page).to_string()),
                (Kind::Page, f) => (format!("pages:{f}"), f.to_string()),
                (k, _) => (k.as_str().to_string(), kind_plural(k).to_string()),
            };
            (key, label, kind, v)
        })
        .collect()
}

/// `notes/guide/` → `notes`; a page at the top → ``.
fn folder_of(url: &str) -> String {
    let trimmed = url.trim_end_matches('/');
    trimmed.rsplit_once('/').map_or(String::new(), |(f, _)| f.to_string())
}

pub fn index_of(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Adr => Some("log/"),
        Kind::Design => Some("designs/"),
        Kind::Page => None,
    }
}

/// The tree as JSON, with kind and status names in the site's language (`ui`).
pub fn tree_json(site: &Site, ui: super::strings::Ui<'_>) -> Vec<u8> {
    let status_index = |s: Status| Status::ALL.iter().position(|x| *x == s).unwrap_or(0);
    let sections = sections(site)
        .into_iter()
        .map(|(key, label, kind, docs)| TreeSection {
            // A folder's label is its name; a kind's is translated.
            label: if kind != Kind::Page || key == "pages" { ui.kind(kind, true).into_owned() } else { label },
            key,
            kind: kind.as_str(),
            index: index_of(kind),
            docs: docs
                .into_iter()
                .map(|i| {
                    let d: &LinkedDoc = &site.docs[i];
                    let id = if d.id != d.doc.path_id && kind != Kind::Page { d.id.as_str() } else { "" };
                    (id, d.doc.title.as_str(), super::url::encode_path(&d.url).into_owned(), status_index(d.doc.status))
                })
                .collect(),
        })
        .collect();
    let tree =
        Tree { statuses: Status::ALL.iter().map(|&s| (s.as_str(), ui.status(s).into_owned())).collect(), sections };
    serde_json::to_vec(&tree).unwrap_or_default()
}

/// The sections with an index page: the links every page's sidebar carries without
/// JavaScript (computed once per render, not per page).
pub fn side_sections(site: &Site) -> Vec<SideSection> {
    sections(site)
        .into_iter()
        .filter_map(|(_, label, kind, _)| Some(SideSection { label, path: index_of(kind)?, active: false }))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folders_of_page_urls() {
        assert_eq!(folder_of("notes/guide/"), "notes");
        assert_eq!(folder_of("a/b/c/"), "a/b");
        assert_eq!(folder_of("guide/"), "");
    }
}
