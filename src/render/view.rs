//! Typed, borrowing view structs: what templates see. Built from the linked site, never mutated.

use super::strings::Ui;
use crate::model::{Kind, LinkedDoc, Status};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::BTreeMap;

/// What every page knows: the site, the way back to its root, the navigation.
#[derive(Serialize, Clone)]
pub struct SiteView<'a> {
    pub title: &'a str,
    /// Relative prefix to the site root from this page (`./`, `../../`), or the base path on 404.
    pub root: String,
    pub nav: Vec<NavItem>,
    pub generator: &'static str,
    /// Whether `feed.xml` exists (it needs an absolute base URL).
    pub feed: bool,
    /// This page's site-relative URL (the sidebar highlights it).
    pub url: String,
    /// The sidebar's links without JavaScript.
    pub side: Vec<SideSection>,
    /// The icon under `assets/` and its MIME type.
    pub favicon: &'static str,
    pub favicon_type: &'static str,
    /// The page's language for `<html lang>`: its document's `lang`/`language` front-matter
    /// key, else `language` in dossier.toml.
    pub lang: &'a str,
    /// The interface strings in that language (`render::strings`).
    pub t: BTreeMap<&'static str, Cow<'a, str>>,
    /// The strings dossier.js writes, as JSON (`strings::js_strings`); empty on English pages.
    pub js_strings: String,
}

/// A collection index the sidebar links (without JavaScript). No count: a new document
/// would then change every page.
#[derive(Serialize, Clone)]
pub struct SideSection {
    pub label: String,
    pub path: &'static str,
    /// Whether this page is the index or one of its documents.
    pub active: bool,
}

#[derive(Serialize, Clone)]
pub struct NavItem {
    pub label: String,
    /// Site-relative (append to `root`).
    pub path: &'static str,
    pub active: bool,
}

/// A link to a document, as lists and relations show it.
#[derive(Serialize, Clone)]
pub struct DocRef<'a> {
    pub id: &'a str,
    pub title: &'a str,
    /// Site-relative URL (append to `root`), percent-encoded.
    pub path: std::borrow::Cow<'a, str>,
    pub kind: &'static str,
    pub kind_label: Cow<'a, str>,
    pub status: &'static str,
    /// The status as shown, in the page's language (`status` is the key).
    pub status_label: Cow<'a, str>,
    pub date: &'a str,
    /// The date as shown in the page's language (`strings::Ui::date`).
    pub date_label: String,
    pub number: Option<u32>,
    /// Whether the ID is worth showing (not just the file path).
    pub show_id: bool,
}

impl<'a> DocRef<'a> {
    /// The link as a page in `ui`'s language shows it.
    pub fn new(d: &'a LinkedDoc, ui: Ui<'a>) -> Self {
        DocRef {
            id: &d.id,
            title: &d.doc.title,
            path: super::url::encode_path(&d.url),
            kind: d.doc.kind.as_str(),
            kind_label: ui.kind(d.doc.kind, false),
            status: d.doc.status.as_str(),
            status_label: ui.status_label(d.doc.status_raw.as_deref(), d.doc.status),
            date: d.doc.date.as_deref().unwrap_or(""),
            date_label: ui.date(d.doc.date.as_deref().unwrap_or("")),
            number: d.doc.number,
            show_id: d.id != d.doc.path_id,
        }
    }
}

pub fn kind_plural(k: Kind) -> &'static str {
    match k {
        Kind::Adr => "Decisions",
        Kind::Design => "Design docs",
        Kind::Page => "Pages",
    }
}

/// The author's wording when there is one, else the normalised status.
pub fn status_label(d: &LinkedDoc) -> &str {
    match (&d.doc.status_raw, d.doc.status) {
        (Some(raw), _) if !raw.is_empty() => raw,
        (_, s) => status_title(s),
    }
}

pub fn status_title(s: Status) -> &'static str {
    match s {
        Status::Draft => "Draft",
        Status::Proposed => "Proposed",
        Status::Accepted => "Accepted",
        Status::Implemented => "Implemented",
        Status::Rejected => "Rejected",
        Status::Deprecated => "Deprecated",
        Status::Superseded => "Superseded",
        Status::Unknown => "No status",
    }
}

/// A named link (tag, author) with its page.
#[derive(Serialize, Clone)]
pub struct Named {
    pub name: String,
    pub path: String,
}

/// One "Referenced by" entry: the referring document and how it refers.
#[derive(Serialize)]
pub struct BacklinkView<'a> {
    pub doc: DocRef<'a>,
    /// How it refers, in the page's language ("links to it, mentions it").
    pub how: Cow<'a, str>,
}

#[derive(Serialize)]
pub struct MetaView<'a> {
    pub key: &'a str,
    pub html: String,
}

#[derive(Serialize)]
pub struct RelGroup<'a> {
    pub label: String,
    pub docs: Vec<DocRef<'a>>,
}

/// A document page.
#[derive(Serialize)]
pub struct DocPage<'a> {
    pub site: SiteView<'a>,
    pub page_title: String,
    pub doc: DocRef<'a>,
    pub title_id: &'a str,
    pub authors: Vec<Named>,
    pub tags: Vec<Named>,
    pub meta: Vec<MetaView<'a>>,
    pub toc: Vec<&'a crate::model::Heading>,
    pub body: String,
    pub relations: Vec<RelGroup<'a>>,
    pub superseded_by: Vec<DocRef<'a>>,
    /// The end of the supersede chain, when it is further than the direct successor.
    pub newest: Vec<DocRef<'a>>,
    pub backlinks: Vec<BacklinkView<'a>>,
    pub source: &'a str,
    /// The page's Markdown is beside it (`index.md`, `[render] markdown_pages`).
    pub markdown: bool,
    pub edit_url: Option<String>,
    /// The document and its direct neighbours, as a small SVG graph.
    pub local_graph: Option<String>,
    /// Last commit date, from git.
    pub updated: Option<&'a str>,
    pub contributors: &'a [String],
    /// The status changes from git, oldest first: "Proposed 2024-01-02 by Ann Lee".
    pub history: Vec<HistoryStep<'a>>,
    /// Home › the collection's index › this document; the last crumb has no path.
    pub crumbs: Vec<Crumb>,
    /// The neighbours within the document's collection, in its order.
    pub prev: Option<DocRef<'a>>,
    pub next: Option<DocRef<'a>>,
}

/// One status change on a document's page.
#[derive(Serialize)]
pub struct HistoryStep<'a> {
    pub status: &'static str,
    /// The author's wording at that commit, else the status's name.
    pub label: Cow<'a, str>,
    pub date: &'a str,
    pub author: &'a str,
    pub commit: &'a str,
    /// The document that superseded this one, for a change it made.
    pub by: Option<DocRef<'a>>,
}

/// One step of the breadcrumbs.
#[derive(Serialize)]
pub struct Crumb {
    pub label: String,
    /// Site-relative (append to `root`); `None` for the current page.
    pub path: Option<&'static str>,
}

#[derive(Serialize)]
pub struct StatusCount<'a> {
    pub status: &'static str,
    pub label: Cow<'a, str>,
    pub count: usize,
    pub path: String,
}

#[derive(Serialize)]
pub struct KindSummary<'a> {
    pub kind: &'static str,
    pub label: Cow<'a, str>,
    pub total: usize,
    pub path: &'static str,
    pub statuses: Vec<StatusCount<'a>>,
}

/// The home page.
#[derive(Serialize)]
pub struct HomePage<'a> {
    pub site: SiteView<'a>,
    pub page_title: String,
    pub intro: Option<String>,
    pub intro_title: Option<&'a str>,
    /// What the site holds, in words (the introduction without a README).
    pub summary: String,
    pub kinds: Vec<KindSummary<'a>>,
    pub recent: Vec<DocRef<'a>>,
    /// Proposals waiting for a decision (the first ten) and how many there are.
    /// Proposals and drafts, oldest first (the first ten).
    pub open: Vec<WaitingRow<'a>>,
    pub open_total: usize,
    pub total: usize,
}

/// The decision log.
#[derive(Serialize)]
pub struct LogPage<'a> {
    pub site: SiteView<'a>,
    pub page_title: String,
    pub rows: Vec<LogRow<'a>>,
    /// Whether any row has a decided date (from git), for the column.
    pub has_decided: bool,
    /// The decision collections' templates, linked for writing a new one.
    pub templates: Vec<DocRef<'a>>,
}

/// A document waiting for a decision, with the date its status was last set.
#[derive(Serialize)]
pub struct WaitingRow<'a> {
    #[serde(flatten)]
    pub doc: DocRef<'a>,
    pub since: Option<&'a str>,
}

/// `status/waiting/`: proposals and drafts, oldest first.
#[derive(Serialize)]
pub struct WaitingPage<'a> {
    pub site: SiteView<'a>,
    pub page_title: String,
    pub rows: Vec<WaitingRow<'a>>,
}

/// A decision in the log, with the date it was last decided (from its git history).
#[derive(Serialize)]
pub struct LogRow<'a> {
    #[serde(flatten)]
    pub doc: DocRef<'a>,
    pub decided: Option<&'a str>,
}

/// Design docs grouped by status.
#[derive(Serialize)]
pub struct DesignsPage<'a> {
    pub site: SiteView<'a>,
    pub page_title: String,
    pub groups: Vec<RelGroup<'a>>,
    pub total: usize,
    /// The design collections' templates.
    pub templates: Vec<DocRef<'a>>,
}

/// A list of documents (one tag, status or author).
#[derive(Serialize)]
pub struct ListPage<'a> {
    pub site: SiteView<'a>,
    pub page_title: String,
    pub heading: String,
    pub kicker: Cow<'a, str>,
    pub docs: Vec<DocRef<'a>>,
}

/// An index of terms (all tags, all authors, all statuses) with counts.
#[derive(Serialize)]
pub struct TermsPage<'a> {
    pub site: SiteView<'a>,
    pub page_title: String,
    pub heading: Cow<'a, str>,
    pub terms: Vec<Term>,
}

#[derive(Serialize)]
pub struct Term {
    pub name: String,
    pub path: String,
    pub count: usize,
    pub status: &'static str,
}

/// The not-found page.
#[derive(Serialize)]
pub struct NotFoundPage<'a> {
    pub site: SiteView<'a>,
    pub page_title: String,
}

/// A value with its label, for filter menus.
#[derive(Serialize)]
pub struct Choice<'a> {
    pub value: &'static str,
    pub label: Cow<'a, str>,
}

/// The search page.
#[derive(Serialize)]
pub struct SearchPage<'a> {
    pub site: SiteView<'a>,
    pub page_title: String,
    pub kinds: Vec<Choice<'a>>,
    pub statuses: Vec<Choice<'a>>,
    pub tags: Vec<&'a str>,
}

/// One entry of the timeline.
#[derive(Serialize)]
pub struct TimelineEntry<'a> {
    pub doc: DocRef<'a>,
    pub superseded_by: Vec<DocRef<'a>>,
    /// A status change from git, for an entry that is one (else the document on its date).
    pub change: Option<HistoryStep<'a>>,
}

/// One month of the timeline.
#[derive(Serialize)]
pub struct TimelineMonth<'a> {
    pub key: String,
    pub label: String,
    pub docs: Vec<TimelineEntry<'a>>,
}

/// The timeline page.
#[derive(Serialize)]
pub struct TimelinePage<'a> {
    pub site: SiteView<'a>,
    pub page_title: String,
    pub total: usize,
    pub months: Vec<TimelineMonth<'a>>,
}

/// The relation graph page.
#[derive(Serialize)]
pub struct GraphPage<'a> {
    pub site: SiteView<'a>,
    pub page_title: String,
    pub heading: Cow<'a, str>,
    pub all: bool,
    pub svg: String,
    pub node_count: usize,
    pub edge_count: usize,
    pub statuses: Vec<Choice<'a>>,
    /// The kinds on the graph, when it shows more than one.
    pub kinds: Vec<Choice<'a>>,
    /// The same graph as a list, for narrow screens.
    pub list: Vec<super::graph::ListRow<'a>>,
}
