//! The render stage: the linked site → every output file as bytes. Writes nothing itself.

pub mod contrast;
pub mod diagram_svg;
pub mod feeds;
pub mod graph;
pub mod json;
pub mod llms;
pub mod nav;
pub mod print;
pub mod strings;
pub mod theme;
pub mod url;
pub mod view;

use crate::config::{Config, base_path};
use crate::diag::{Code, Diagnostic};
use crate::link::Reserved;
use crate::model::{Kind, LinkTarget, LinkedDoc, Site, Status};
use crate::parse::markdown::MARK;
use crate::write::OutputFile;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use strings::Ui;
use theme::Theme;
use view::*;

/// URLs of the pages dossier generates; a document may not take them.
pub const RESERVED: &[Reserved<'static>] = &[
    Reserved { url: "search/", name: "search" },
    Reserved { url: "log/", name: "decision log" },
    Reserved { url: "designs/", name: "design docs" },
    Reserved { url: "tags/", name: "tags" },
    Reserved { url: "status/", name: "statuses" },
    Reserved { url: "authors/", name: "authors" },
    Reserved { url: "graph/", name: "relation graph" },
    Reserved { url: "timeline/", name: "timeline" },
    Reserved { url: "assets/", name: "theme assets" },
];

/// What rendering needs besides the site.
pub struct Options<'a> {
    pub config: &'a Config,
    /// The base URL in force (`--base-url` or `base_url`), normalised with a trailing `/`.
    pub base_url: Option<&'a str>,
    /// The source folder, for copying linked files.
    pub root: &'a Path,
    /// The source folder's path inside its git repository, for edit links.
    pub repo_prefix: Option<&'a str>,
}

/// Takes one rendered page; an `Err` (a write that failed) stops the render.
pub type Emit<'a> = &'a (dyn Fn(OutputFile) -> Result<(), String> + Sync);

/// Why rendering stopped.
#[derive(Debug)]
pub enum Stop {
    /// A template failed.
    Template(Diagnostic),
    /// `emit` failed.
    Emit(String),
}

impl From<Diagnostic> for Stop {
    fn from(d: Diagnostic) -> Stop {
        Stop::Template(d)
    }
}

/// Pages rendered before, by output path: the hash of everything each was rendered from, and
/// its bytes. A page whose inputs hash the same is not rendered again. [`PageMemo::off`]
/// remembers nothing (a one-shot `build`, which would only double its memory).
#[derive(Default)]
pub struct PageMemo {
    pages: std::sync::Mutex<HashMap<String, (u64, Vec<u8>)>>,
    off: bool,
    /// Pages rendered (memo misses) since the last [`PageMemo::take_rendered`].
    rendered: std::sync::atomic::AtomicUsize,
}

impl PageMemo {
    /// A memo that keeps nothing: every page is rendered.
    pub fn off() -> PageMemo {
        PageMemo { off: true, ..PageMemo::default() }
    }

    /// Forgets the pages whose paths `live` rejects (pages that are gone).
    pub fn retain(&self, live: impl Fn(&str) -> bool) {
        self.pages.lock().unwrap_or_else(|e| e.into_inner()).retain(|path, _| live(path));
    }

    /// The number of pages rendered (not taken from the memo) since the last call.
    pub fn take_rendered(&self) -> usize {
        self.rendered.swap(0, std::sync::atomic::Ordering::Relaxed)
    }

    fn count(&self) {
        self.rendered.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }
}

/// The pages of the documents whose sources are in `only` (all with `None`), each given to
/// `emit` as soon as it is rendered (so that the site is never all in memory, and `serve` can
/// write the page being edited before the index pages and the search index are done).
pub fn doc_pages(
    site: &Site,
    theme: &Theme,
    opts: &Options<'_>,
    memo: &PageMemo,
    only: Option<&std::collections::HashSet<&str>>,
    emit: Emit<'_>,
) -> Result<(), Stop> {
    let r = Renderer::new(site, theme, opts, memo);
    site.docs
        .par_iter()
        .filter(|d| !d.url.is_empty() && only.is_none_or(|o| o.contains(d.doc.source.as_str())))
        .try_for_each(|d| {
            let page = OutputFile::Bytes { path: format!("{}index.html", d.url), bytes: r.doc_page(d)? };
            emit(page).map_err(Stop::Emit)
        })
}

/// Removes the `href="`/`src="` that `out` ends with and writes `rest` without its closing
/// quote: the element keeps its text, not its link. False when `out` ends with neither.
fn drop_attr(out: &mut String, rest: &str) -> bool {
    let Some(attr) = [" href=\"", " src=\""].iter().find(|a| out.ends_with(*a)) else { return false };
    out.truncate(out.len() - attr.len());
    out.push_str(rest.strip_prefix('"').unwrap_or(rest));
    true
}

/// Every other page, feed and asset, sorted by path (none at a document page's path: that
/// page wins). Also returns the time the two relation-graph pages took.
pub fn site_pages(
    site: &Site,
    theme: &Theme,
    opts: &Options<'_>,
    memo: &PageMemo,
) -> Result<(Vec<OutputFile>, std::time::Duration), Stop> {
    let r = Renderer::new(site, theme, opts, memo);
    // The graphs beside the rest: each graph is one big page, and so is each printable part.
    let graphs = || -> Result<(Vec<OutputFile>, std::time::Duration), Stop> {
        let t = std::time::Instant::now();
        let (a, b) = rayon::join(
            || r.page("graph/index.html", "graph.html", &r.graph_page(false)),
            || r.page("graph/all/index.html", "graph.html", &r.graph_page(true)),
        );
        Ok((vec![a?, b?], t.elapsed()))
    };
    let rest = || -> Result<Vec<OutputFile>, Stop> {
        let parts: Vec<Vec<OutputFile>> = r.page_jobs().par_iter().map(|job| job()).collect::<Result<_, _>>()?;
        Ok(parts.into_iter().flatten().collect())
    };
    let (g, rest) = rayon::join(graphs, rest);
    let (graph_files, graph_time) = g?;
    let mut files = rest?;
    files.extend(graph_files);
    // Feeds and the sitemap need absolute URLs; the sitemap lists the pages above.
    if let Some(base) = absolute_base(opts) {
        let pages: Vec<String> = files
            .iter()
            .filter_map(|f| f.path().strip_suffix("index.html").map(String::from))
            // The printable views repeat the documents' pages.
            .filter(|p| !["log/print/", "designs/print/"].iter().any(|v| p.starts_with(v)))
            .chain(["search/".to_string()])
            .collect();
        files.push(OutputFile::Bytes {
            path: "sitemap.xml".into(),
            bytes: feeds::sitemap(site, base, &pages).into_bytes(),
        });
    }
    files.extend(static_files(site, theme, opts));
    files.sort_by(|a, b| a.path().cmp(b.path()));
    files.dedup_by(|a, b| a.path() == b.path());
    // A document page (rendered by `doc_pages`) wins over anything else at its path.
    let doc_pages: std::collections::HashSet<String> =
        site.docs.iter().filter(|d| !d.url.is_empty()).map(|d| format!("{}index.html", d.url)).collect();
    files.retain(|f| !doc_pages.contains(f.path()));
    Ok((files, graph_time))
}

/// The base URL when it is absolute (`http(s)://`), as feeds and the sitemap need.
fn absolute_base<'o>(opts: &Options<'o>) -> Option<&'o str> {
    opts.base_url.filter(|u| u.starts_with("http://") || u.starts_with("https://"))
}

/// A part of `site_pages` that runs beside the others.
type PageJob<'j> = Box<dyn Fn() -> Result<Vec<OutputFile>, Stop> + Send + Sync + 'j>;

/// The theme's assets, the highlight stylesheet, the documents' own assets, `.nojekyll` and
/// `robots.txt`: nothing to render.
fn static_files(site: &Site, theme: &Theme, opts: &Options<'_>) -> Vec<OutputFile> {
    let mut files = vec![
        OutputFile::Bytes { path: ".nojekyll".into(), bytes: Vec::new() },
        OutputFile::Bytes { path: "robots.txt".into(), bytes: feeds::robots(absolute_base(opts)).into_bytes() },
    ];
    for (path, bytes) in &theme.assets {
        files.push(OutputFile::Bytes { path: format!("assets/{path}"), bytes: bytes.clone() });
    }
    if !theme.assets.contains_key("highlight.css") {
        files.push(OutputFile::Bytes {
            path: "assets/highlight.css".into(),
            bytes: crate::parse::highlight::css().into_bytes(),
        });
    }
    for asset in &site.assets {
        files.push(OutputFile::Copy { path: asset.clone(), from: opts.root.join(asset) });
    }
    files
}

/// `llms.txt`, `llms-full.txt` and the Markdown pages, as `[render]` asks.
fn llms_files(site: &Site, opts: &Options<'_>) -> Vec<OutputFile> {
    let config = opts.config;
    if !config.llms && !config.markdown_pages {
        return Vec::new();
    }
    let md = llms::markdown_of(site, opts.root);
    let base = opts.base_url.unwrap_or("");
    let mut files = Vec::new();
    if config.llms {
        let txt = llms::llms_txt(site, &config.title, base, &md);
        let full = llms::llms_full(site, &config.title, base, &md);
        files.push(OutputFile::Bytes { path: "llms.txt".into(), bytes: txt.into_bytes() });
        files.push(OutputFile::Bytes { path: "llms-full.txt".into(), bytes: full.into_bytes() });
    }
    if config.markdown_pages {
        files.par_extend(site.docs.par_iter().zip(&md).filter(|(d, _)| !d.url.is_empty()).filter_map(|(d, m)| {
            let prefix = if base.is_empty() { Renderer::root_for(&d.url) } else { base.to_string() };
            let bytes = llms::markdown_page(d, &prefix, m.as_ref()?).into_bytes();
            Some(OutputFile::Bytes { path: format!("{}index.md", d.url), bytes })
        }));
    }
    files
}

struct Renderer<'a> {
    site: &'a Site,
    theme: &'a Theme,
    opts: &'a Options<'a>,
    memo: &'a PageMemo,
    /// Whether the site has decisions and design docs (for the navigation of every page).
    has_adrs: bool,
    has_designs: bool,
    /// Whether any document has tags, authors: without, their pages are not written nor linked.
    has_tags: bool,
    has_authors: bool,
    /// The sidebar's links without JavaScript: each collection index with its count.
    side: Vec<SideSection>,
    /// Document by page URL.
    by_url: HashMap<&'a str, usize>,
    /// Each document's previous and next within its collection (by index into `site.docs`).
    neighbours: HashMap<usize, (Option<usize>, Option<usize>)>,
}

const NAV: &[(&str, &str)] = &[
    ("Home", ""),
    ("Decisions", "log/"),
    ("Design docs", "designs/"),
    ("Timeline", "timeline/"),
    ("Graph", "graph/"),
    ("Tags", "tags/"),
    ("Authors", "authors/"),
];

impl<'a> Renderer<'a> {
    /// The pages of `site_pages` but the graphs, as jobs that run side by side.
    fn page_jobs(&self) -> Vec<PageJob<'_>> {
        let (site, opts) = (self.site, self.opts);
        let one = |f: Result<OutputFile, Diagnostic>| -> Result<Vec<OutputFile>, Stop> { Ok(vec![f?]) };
        let mut jobs: Vec<PageJob<'_>> = vec![
            Box::new(move || one(self.page("index.html", "home.html", &self.home()))),
            Box::new(move || one(self.page("search/index.html", "search.html", &self.search_page()))),
            Box::new(move || one(self.page("timeline/index.html", "timeline.html", &self.timeline()))),
            Box::new(move || Ok(self.term_pages()?)),
            Box::new(move || one(self.page("404.html", "404.html", &self.not_found()))),
            Box::new(move || {
                Ok(vec![OutputFile::Bytes { path: nav::TREE_PATH.into(), bytes: nav::tree_json(site, self.ui()) }])
            }),
            Box::new(move || {
                let bytes = json::dossier_json(site, &opts.config.title, opts.base_url);
                Ok(vec![OutputFile::Bytes { path: "dossier.json".into(), bytes }])
            }),
            Box::new(move || Ok(llms_files(site, opts))),
        ];
        if let Some(base) = absolute_base(opts) {
            jobs.push(Box::new(move || {
                let lang = (opts.config.language.as_str(), self.ui());
                let bytes = feeds::atom(site, &opts.config.title, base, lang).into_bytes();
                Ok(vec![OutputFile::Bytes { path: "feed.xml".into(), bytes }])
            }));
        }
        if self.has_adrs {
            jobs.push(Box::new(move || one(self.page("log/index.html", "log.html", &self.log()))));
            jobs.push(Box::new(move || Ok(self.print_pages(Kind::Adr)?)));
        }
        if self.has_designs {
            jobs.push(Box::new(move || one(self.page("designs/index.html", "designs.html", &self.designs()))));
            jobs.push(Box::new(move || Ok(self.print_pages(Kind::Design)?)));
        }
        jobs
    }

    /// The 404 page: no section's, so no item of its navigation is current.
    fn not_found(&self) -> NotFoundPage<'a> {
        let mut site = self.site_view_root(base_path(self.opts.base_url), "");
        site.nav.iter_mut().for_each(|item| item.active = false);
        site.url = "404.html".into();
        site.side.iter_mut().for_each(|s| s.active = false);
        NotFoundPage { site, page_title: self.ui().get("page_not_found").into_owned() }
    }

    fn new(site: &'a Site, theme: &'a Theme, opts: &'a Options<'a>, memo: &'a PageMemo) -> Renderer<'a> {
        let has = |k: Kind| site.docs.iter().any(|d| d.doc.kind == k);
        Renderer {
            site,
            theme,
            opts,
            memo,
            has_adrs: has(Kind::Adr),
            has_designs: has(Kind::Design),
            has_tags: site.docs.iter().any(|d| !d.doc.is_template && !d.doc.tags.is_empty()),
            has_authors: site.docs.iter().any(|d| !d.doc.is_template && !d.doc.authors.is_empty()),
            neighbours: neighbours(site),
            side: nav::side_sections(site),
            by_url: site.docs.iter().enumerate().map(|(i, d)| (d.url.as_str(), i)).collect(),
        }
    }

    /// Home › the collection's index (Decisions, Design docs) › the document.
    fn crumbs(d: &LinkedDoc, ui: Ui<'_>) -> Vec<Crumb> {
        let mut crumbs = vec![Crumb { label: ui.get("home").into_owned(), path: Some("") }];
        match d.doc.kind {
            Kind::Adr => crumbs.push(Crumb { label: ui.kind(Kind::Adr, true).into_owned(), path: Some("log/") }),
            Kind::Design => {
                crumbs.push(Crumb { label: ui.kind(Kind::Design, true).into_owned(), path: Some("designs/") })
            }
            Kind::Page => {}
        }
        let label = if d.id != d.doc.path_id && d.doc.kind != Kind::Page { d.id.clone() } else { d.doc.title.clone() };
        crumbs.push(Crumb { label, path: None });
        crumbs
    }

    /// The relative way back to the root from a page at `url`.
    fn root_for(url: &str) -> String {
        let depth = url.matches('/').count();
        if depth == 0 { "./".to_string() } else { "../".repeat(depth) }
    }

    /// The interface language of the site's own pages (lists, search, 404).
    fn ui(&self) -> Ui<'a> {
        Ui::new(&self.opts.config.language, &self.opts.config.strings)
    }

    /// The interface language of a document's page.
    fn doc_ui(&self, d: &LinkedDoc) -> Ui<'a> {
        Ui::new(crate::search::doc_language(d, &self.opts.config.language), &self.opts.config.strings)
    }

    /// `Search · My site`, with the page's name in the site's language.
    fn title_of(&self, key: &str) -> String {
        format!("{} · {}", self.ui().get(key), self.opts.config.title)
    }

    fn site_view(&self, url: &str) -> SiteView<'a> {
        self.site_view_root(Self::root_for(url), url)
    }

    fn site_view_root(&self, root: String, url: &str) -> SiteView<'a> {
        let lang =
            self.by_url.get(url).and_then(|&i| self.site.docs.get(i)).map_or(self.opts.config.language.as_str(), |d| {
                crate::search::doc_language(d, &self.opts.config.language)
            });
        let overrides = &self.opts.config.strings;
        let t = strings::strings(lang, overrides);
        let ui = Ui::new(lang, overrides);
        let nav = NAV
            .iter()
            .filter(|(_, p)| match *p {
                "log/" => self.has_adrs,
                "designs/" => self.has_designs,
                "tags/" => self.has_tags,
                "authors/" => self.has_authors,
                _ => true,
            })
            .map(|(label, path)| NavItem {
                label: t.get(strings::nav_key(label).as_str()).map_or_else(|| label.to_string(), |l| l.to_string()),
                path,
                active: if path.is_empty() { url.is_empty() } else { url.starts_with(path) },
            })
            .collect();
        let feed = absolute_base(self.opts).is_some();
        let (favicon, favicon_type) = self.theme.favicon();
        let mut side = self.side.clone();
        for s in &mut side {
            s.active = url.starts_with(s.path) || self.site_section(url) == Some(s.path);
            match s.path {
                "log/" => s.label = ui.kind(Kind::Adr, true).into_owned(),
                "designs/" => s.label = ui.kind(Kind::Design, true).into_owned(),
                _ => {}
            }
        }
        SiteView {
            lang,
            js_strings: strings::js_strings(lang, overrides),
            t,
            url: url.to_string(),
            side,
            title: &self.opts.config.title,
            root,
            nav,
            generator: concat!("dossier ", env!("CARGO_PKG_VERSION")),
            feed,
            favicon,
            favicon_type,
        }
    }

    /// The index of the collection the document at `url` belongs to.
    fn site_section(&self, url: &str) -> Option<&'static str> {
        let d = self.site.docs.get(*self.by_url.get(url)?)?;
        nav::index_of(d.doc.kind)
    }

    fn tera(&self, template: &str, view: &impl Serialize) -> Result<Vec<u8>, Diagnostic> {
        let ctx = tera::Context::from_serialize(view).map_err(|e| self.template_error(template, &e))?;
        self.theme.tera.render(template, &ctx).map(String::into_bytes).map_err(|e| self.template_error(template, &e))
    }

    fn template_error(&self, template: &str, e: &dyn std::error::Error) -> Diagnostic {
        let path = match &self.opts.config.theme_dir {
            Some(d) => format!("{d}/templates/{template}"),
            None => format!("themes/default/templates/{template}"),
        };
        Diagnostic::new(Code::InvalidConfig, path, 0, 0, format!("template failed: {}", theme::error_chain(e)))
            .help("fix the template; `default/<name>` names the built-in template it can extend")
    }

    fn page(&self, path: &str, template: &str, view: &impl Serialize) -> Result<OutputFile, Diagnostic> {
        let bytes = if self.memo.off {
            self.memo.count();
            self.tera(template, view)?
        } else {
            // An index page is a function of its view: rendered again only when that changes.
            let key = self.memo_key(template, view, 0);
            self.memoised(path, key, || self.tera(template, view))?
        };
        Ok(OutputFile::Bytes { path: path.to_string(), bytes })
    }

    /// The hash of what a page is rendered from: template, view (as JSON), `extra`, theme.
    fn memo_key(&self, template: &str, view: &impl Serialize, extra: u64) -> u64 {
        // The JSON goes straight into the hasher (no buffer): this runs for every page on every
        // rebuild of `serve`.
        struct HashWriter(rustc_hash::FxHasher);
        impl std::io::Write for HashWriter {
            fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
                std::hash::Hasher::write(&mut self.0, buf);
                Ok(buf.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let mut w = HashWriter(rustc_hash::FxHasher::default());
        let _ = serde_json::to_writer(&mut w, view);
        crate::fx_hash(&(template, std::hash::Hasher::finish(&w.0), extra, self.theme.hash))
    }

    /// The page at `path` from the memo when its key is `key`, else rendered and remembered.
    fn memoised(
        &self,
        path: &str,
        key: u64,
        render: impl FnOnce() -> Result<Vec<u8>, Diagnostic>,
    ) -> Result<Vec<u8>, Diagnostic> {
        let memo = &self.memo.pages;
        if let Some((k, bytes)) = memo.lock().unwrap_or_else(|e| e.into_inner()).get(path)
            && *k == key
        {
            return Ok(bytes.clone());
        }
        self.memo.count();
        let bytes = render()?;
        memo.lock().unwrap_or_else(|e| e.into_inner()).insert(path.to_string(), (key, bytes.clone()));
        Ok(bytes)
    }

    fn doc_ref(&self, id: &str, ui: Ui<'a>) -> Option<DocRef<'a>> {
        self.site.get(id).map(|d| DocRef::new(d, ui))
    }

    fn refs(&self, ids: &[String], ui: Ui<'a>) -> Vec<DocRef<'a>> {
        ids.iter().filter_map(|id| self.doc_ref(id, ui)).collect()
    }

    /// Replaces link (`\0n\0`) and mention (`\0mn\0`) placeholders in `html` with hrefs
    /// relative to the page whose root prefix is `root`.
    fn fill_links(d: &LinkedDoc, html: &str, root: &str) -> String {
        Self::fill_links_keeping(d, html, root, true)
    }

    /// `fill_links`; with `keep_broken` false, a link that resolved to nothing loses its `href`
    /// or `src` like an unlinked one (for pages other than the document's own, where the
    /// written relative path would point somewhere else).
    fn fill_links_keeping(d: &LinkedDoc, html: &str, root: &str, keep_broken: bool) -> String {
        if !html.contains(MARK) {
            return html.to_string();
        }
        let mut out = String::with_capacity(html.len() + 64);
        let mut parts = html.split(MARK);
        out.push_str(parts.next().unwrap_or(""));
        while let (Some(token), Some(rest)) = (parts.next(), parts.next()) {
            if let Some(m) = token.strip_prefix('m') {
                let i = m.parse::<usize>().unwrap_or(usize::MAX);
                match (d.doc.mentions.get(i), d.mention_targets.get(i)) {
                    (Some(mention), Some(Some((url, title)))) => {
                        out.push_str(&format!(
                            "<a class=\"mention\" href=\"{}{}\" title=\"{}\">{}</a>",
                            escape_attr(root),
                            escape_attr(&encode_path(url)),
                            escape_attr(title),
                            escape_attr(&mention.text)
                        ));
                    }
                    (Some(mention), _) => out.push_str(&escape_attr(&mention.text)),
                    _ => {}
                }
            } else {
                let i = token.parse::<usize>().unwrap_or(usize::MAX);
                // No URL on the site (or, without `keep_broken`, none found): the element loses
                // its `href`/`src` (text stays).
                let unlink = match (d.link_targets.get(i), d.doc.links.get(i)) {
                    (Some(LinkTarget::Unlinked), _) => true,
                    (Some(LinkTarget::Site(_) | LinkTarget::External(_)), _) => false,
                    (_, raw) => raw.is_some() && !keep_broken,
                };
                if unlink && drop_attr(&mut out, rest) {
                    continue;
                }
                match (d.link_targets.get(i), d.doc.links.get(i)) {
                    _ if unlink => {}
                    (Some(LinkTarget::Site(t)), _) if t.starts_with('#') => out.push_str(&escape_attr(t)),
                    (Some(LinkTarget::Site(t)), _) => {
                        out.push_str(&escape_attr(root));
                        out.push_str(&escape_attr(&encode_path(t)));
                    }
                    (Some(LinkTarget::External(u)), _) => out.push_str(&escape_attr(u)),
                    (_, Some(raw)) => out.push_str(&escape_attr(&raw.href)),
                    _ => {}
                }
            }
            out.push_str(rest);
        }
        out
    }

    /// The page's status history: the changes of status (and the first revision), with the
    /// document that superseded it linked.
    fn history(&self, d: &'a LinkedDoc, ui: Ui<'a>) -> Vec<view::HistoryStep<'a>> {
        d.doc
            .history
            .iter()
            .filter(|c| c.changed.iter().any(|w| matches!(*w, "created" | "status" | "superseded-by")))
            .map(|c| view::HistoryStep {
                status: c.status.as_str(),
                label: match &c.by {
                    Some(_) => ui.get("superseded_by"),
                    None => ui.status_label(c.status_raw.as_deref(), c.status),
                },
                date: &c.date,
                author: &c.author,
                commit: &c.commit,
                by: c.by.as_deref().and_then(|id| self.doc_ref(id, ui)),
            })
            .collect()
    }

    fn doc_page(&self, d: &'a LinkedDoc) -> Result<Vec<u8>, Diagnostic> {
        let site = self.site_view(&d.url);
        let ui = self.doc_ui(d);
        let root = site.root.clone();
        let mut relations = Vec::new();
        for (key, ids) in
            [("rel_supersedes", &d.supersedes), ("rel_amends", &d.amends), ("rel_amended_by", &d.amended_by)]
        {
            let docs = self.refs(ids, ui);
            if !docs.is_empty() {
                relations.push(RelGroup { label: ui.get(key).into_owned(), docs });
            }
        }
        let mut by_verb: BTreeMap<&str, Vec<DocRef<'a>>> = BTreeMap::new();
        for r in &d.related {
            if let Some(dr) = self.doc_ref(&r.id, ui) {
                by_verb.entry(r.verb.as_str()).or_default().push(dr);
            }
        }
        relations.extend(
            by_verb.into_iter().map(|(verb, docs)| RelGroup { label: ui.related_verb(verb).into_owned(), docs }),
        );
        // Shown elsewhere on the page: the status badge, the date beside it, the tag chips.
        let hidden = ["status", "tags", "tag", "date"];
        let meta = d
            .doc
            .meta
            .iter()
            .filter(|m| !hidden.contains(&crate::parse::meta::norm_key(&m.key).as_str()))
            .map(|m| MetaView { key: &m.key, html: Self::fill_links(d, &m.html, &root) })
            .collect();
        let source = url::encode_path(&d.doc.source);
        let edit_url = self.opts.config.edit_url.as_ref().map(|u| u.replace("{path}", &source)).or_else(|| {
            self.opts.config.repo_url.as_ref().map(|r| match self.opts.repo_prefix {
                Some(p) if !p.is_empty() => format!("{r}/edit/HEAD/{}/{source}", url::encode_path(p)),
                _ => format!("{r}/edit/HEAD/{source}"),
            })
        });
        let mut view = DocPage {
            page_title: format!("{} · {}", d.doc.title, self.opts.config.title),
            doc: DocRef::new(d, ui),
            title_id: d.doc.title_id.as_deref().unwrap_or("title"),
            authors: d
                .doc
                .authors
                .iter()
                .map(|a| Named { name: a.clone(), path: format!("authors/{}/", slugify(a)) })
                .collect(),
            tags: d.doc.tags.iter().map(|t| Named { name: t.clone(), path: format!("tags/{}/", slugify(t)) }).collect(),
            meta,
            toc: d.doc.headings.iter().filter(|h| h.level >= 2 && h.level <= 3).collect(),
            body: String::new(),
            relations,
            superseded_by: self.refs(&d.superseded_by, ui),
            newest: if d.newest == d.superseded_by { Vec::new() } else { self.refs(&d.newest, ui) },
            backlinks: d
                .backlink_details
                .iter()
                .filter_map(|b| Some(BacklinkView { doc: self.doc_ref(&b.id, ui)?, how: ui.how(&b.how).into() }))
                .collect(),
            source: &d.doc.source,
            markdown: self.opts.config.markdown_pages,
            edit_url,
            // Drawn below: with the memo, only when the page is rendered.
            local_graph: None,
            updated: d.doc.updated.as_deref(),
            contributors: &d.doc.contributors,
            history: self.history(d, ui),
            crumbs: Self::crumbs(d, ui),
            prev: self.neighbour(d, false, ui),
            next: self.neighbour(d, true, ui),
            site,
        };
        if self.memo.off {
            self.memo.count();
            view.body = Self::fill_links(d, &d.doc.html, &root);
            view.local_graph = graph::local(self.site, d, &root, ui);
            return self.tera("doc.html", &view);
        }
        // The page's inputs: the view without its body and graph (its JSON is small), the
        // body's source and its resolved links and mentions, what the graph draws, and the
        // templates.
        let extra =
            crate::fx_hash(&(d.doc.body_hash, &d.link_targets, &d.mention_targets, graph::local_key(self.site, d)));
        let key = self.memo_key("doc.html", &view, extra);
        self.memoised(&format!("{}index.html", d.url), key, || {
            view.body = Self::fill_links(d, &d.doc.html, &root);
            view.local_graph = graph::local(self.site, d, &root, ui);
            self.tera("doc.html", &view)
        })
    }

    /// The document before (or after, with `next`) `d` in its collection.
    fn neighbour(&self, d: &LinkedDoc, next: bool, ui: Ui<'a>) -> Option<DocRef<'a>> {
        let i = self.site.by_id.get(&d.id)?;
        let (p, n) = self.neighbours.get(i)?;
        let j = if next { n } else { p };
        j.map(|j| DocRef::new(&self.site.docs[j], ui))
    }

    fn counted(&self) -> impl Iterator<Item = &'a LinkedDoc> {
        self.site.docs.iter().filter(|d| !d.doc.is_template)
    }

    fn home(&self) -> HomePage<'a> {
        let site = self.site_view("");
        let ui = self.ui();
        let intro_doc = self.site.docs.iter().find(|d| d.url.is_empty());
        let intro = intro_doc.map(|d| Self::fill_links(d, &d.doc.html, &site.root));
        let mut kinds = Vec::new();
        for kind in [Kind::Adr, Kind::Design] {
            let docs: Vec<_> = self.counted().filter(|d| d.doc.kind == kind).collect();
            if docs.is_empty() {
                continue;
            }
            let statuses = Status::ALL
                .iter()
                .map(|&s| StatusCount {
                    status: s.as_str(),
                    label: ui.status(s),
                    count: docs.iter().filter(|d| d.doc.status == s).count(),
                    path: format!("status/{}/", s.as_str()),
                })
                .filter(|c| c.count > 0)
                .collect();
            kinds.push(KindSummary {
                kind: kind.as_str(),
                label: ui.kind(kind, true),
                total: docs.len(),
                path: if kind == Kind::Adr { "log/" } else { "designs/" },
                statuses,
            });
        }
        let mut recent: Vec<&LinkedDoc> =
            self.counted().filter(|d| d.doc.kind != Kind::Page && d.doc.date.is_some()).collect();
        recent.sort_by(|a, b| b.doc.date.cmp(&a.doc.date).then_with(|| a.id.cmp(&b.id)));
        let open = self.waiting(ui);
        HomePage {
            page_title: self.opts.config.title.clone(),
            intro,
            intro_title: intro_doc.map(|d| d.doc.title.as_str()),
            summary: self.summary(ui),
            kinds,
            recent: recent.into_iter().take(10).map(|d| DocRef::new(d, ui)).collect(),
            open_total: open.len(),
            open: open.into_iter().take(10).collect(),
            total: self.counted().filter(|d| d.doc.kind != Kind::Page).count(),
            site,
        }
    }

    /// What the site holds, in words: `3 decisions, 2 design docs and 1 page.`
    fn summary(&self, ui: Ui<'_>) -> String {
        let mut parts = Vec::new();
        for (kind, key) in
            [(Kind::Adr, "count_decisions"), (Kind::Design, "count_designs"), (Kind::Page, "count_pages")]
        {
            let n = self.counted().filter(|d| d.doc.kind == kind && !d.url.is_empty()).count();
            if n > 0 {
                parts.push(ui.count(key, n));
            }
        }
        let list = match parts.len() {
            0 => return ui.get("no_documents").into_owned(),
            1 => parts[0].clone(),
            n => format!("{}{}{}", parts[..n - 1].join(ui.get("list_sep").as_ref()), ui.get("list_and"), parts[n - 1]),
        };
        ui.fill("site_holds", &[("list", &list)])
    }

    fn search_page(&self) -> SearchPage<'a> {
        let ui = self.ui();
        let kinds = [Kind::Adr, Kind::Design, Kind::Page]
            .into_iter()
            .filter(|k| self.counted().any(|d| d.doc.kind == *k))
            .map(|k| Choice { value: k.as_str(), label: ui.kind(k, true) })
            .collect::<Vec<_>>();
        // A filter with one choice filters nothing.
        let kinds = if kinds.len() > 1 { kinds } else { Vec::new() };
        let statuses = Status::ALL
            .into_iter()
            .filter(|s| self.counted().any(|d| d.doc.status == *s))
            .map(|s| Choice { value: s.as_str(), label: ui.status(s) })
            .collect();
        let tags: std::collections::BTreeSet<&str> =
            self.counted().flat_map(|d| d.doc.tags.iter().map(String::as_str)).collect();
        SearchPage {
            site: self.site_view("search/"),
            page_title: self.title_of("search"),
            kinds,
            statuses,
            tags: tags.into_iter().collect(),
        }
    }

    fn graph_page(&self, all: bool) -> GraphPage<'a> {
        let url = if all { "graph/all/" } else { "graph/" };
        let site = self.site_view(url);
        let ui = self.ui();
        let nodes = graph::nodes(self.site, all);
        let edges = graph::edges(&nodes, all);
        let statuses = Status::ALL
            .into_iter()
            .filter(|s| nodes.iter().any(|d| d.doc.status == *s))
            .map(|s| Choice { value: s.as_str(), label: ui.status(s) })
            .collect();
        let kinds: Vec<Choice> = [Kind::Adr, Kind::Design, Kind::Page]
            .into_iter()
            .filter(|k| nodes.iter().any(|d| d.doc.kind == *k))
            .map(|k| Choice { value: k.as_str(), label: ui.kind(k, true) })
            .collect();
        let kinds = if kinds.len() > 1 { kinds } else { Vec::new() };
        let heading = ui.get(if all { "graph_all" } else { "graph_adrs" });
        GraphPage {
            kinds,
            svg: graph::svg(&nodes, &edges, &site.root, &heading, ui),
            list: graph::list(&nodes, &edges, ui),
            page_title: self.title_of("graph"),
            heading,
            all,
            node_count: nodes.len(),
            edge_count: edges.len(),
            statuses,
            site,
        }
    }

    fn timeline(&self) -> TimelinePage<'a> {
        // Each document on its date, and each later change of its status on the change's date.
        let ui = self.ui();
        let mut dated: Vec<(&LinkedDoc, String, Option<view::HistoryStep<'a>>)> = Vec::new();
        for d in self.counted().filter(|d| d.doc.kind != Kind::Page) {
            if let Some(date) = d.doc.date.as_deref().and_then(crate::parse::meta::calendar_day) {
                dated.push((d, date, None));
            }
            let changes = self.history(d, ui).into_iter().skip(1);
            dated.extend(changes.map(|step| (d, step.date.to_string(), Some(step))));
        }
        dated.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.id.cmp(&b.0.id)));
        let total = dated.iter().filter(|e| e.2.is_none()).count();
        let mut months: Vec<TimelineMonth<'a>> = Vec::new();
        for (d, date, change) in dated {
            let key = date[..7].to_string();
            if months.last().is_none_or(|m| m.key != key) {
                months.push(TimelineMonth { label: ui.month(&key), key: key.clone(), docs: Vec::new() });
            }
            if let Some(m) = months.last_mut() {
                let superseded_by = if change.is_none() { self.refs(&d.superseded_by, ui) } else { Vec::new() };
                m.docs.push(TimelineEntry { doc: DocRef::new(d, ui), superseded_by, change });
            }
        }
        TimelinePage { site: self.site_view("timeline/"), page_title: self.title_of("timeline"), total, months }
    }

    fn log(&self) -> LogPage<'a> {
        let mut rows: Vec<&LinkedDoc> = self.counted().filter(|d| d.doc.kind == Kind::Adr).collect();
        rows.sort_by(|a, b| {
            (a.doc.number.is_none(), a.doc.number, &a.doc.date, &a.id).cmp(&(
                b.doc.number.is_none(),
                b.doc.number,
                &b.doc.date,
                &b.id,
            ))
        });
        let rows: Vec<LogRow<'a>> = rows
            .into_iter()
            .map(|d| LogRow { doc: DocRef::new(d, self.ui()), decided: crate::history::decided(&d.doc.history) })
            .collect();
        LogPage {
            site: self.site_view("log/"),
            page_title: self.title_of("decision_log"),
            has_decided: rows.iter().any(|r| r.decided.is_some()),
            rows,
            templates: self.templates_of(Kind::Adr),
        }
    }

    /// The templates of the collections of one kind, by source.
    fn templates_of(&self, kind: Kind) -> Vec<DocRef<'a>> {
        // A template's collection holds documents of that kind.
        let of_kind: std::collections::BTreeSet<usize> =
            self.site.docs.iter().filter(|d| d.doc.kind == kind).filter_map(|d| d.doc.collection).collect();
        self.site
            .docs
            .iter()
            .filter(|d| d.doc.is_template && d.doc.collection.is_some_and(|c| of_kind.contains(&c)))
            .map(|d| DocRef::new(d, self.ui()))
            .collect()
    }

    fn designs(&self) -> DesignsPage<'a> {
        let docs: Vec<&LinkedDoc> = self.counted().filter(|d| d.doc.kind == Kind::Design).collect();
        let order = [
            Status::Draft,
            Status::Proposed,
            Status::Accepted,
            Status::Implemented,
            Status::Unknown,
            Status::Deprecated,
            Status::Rejected,
            Status::Superseded,
        ];
        let groups = order
            .iter()
            .map(|&s| {
                let mut v: Vec<&LinkedDoc> = docs.iter().copied().filter(|d| d.doc.status == s).collect();
                v.sort_by(|a, b| {
                    a.doc.title.to_lowercase().cmp(&b.doc.title.to_lowercase()).then_with(|| a.id.cmp(&b.id))
                });
                let docs = v.into_iter().map(|d| DocRef::new(d, self.ui())).collect();
                RelGroup { label: self.ui().status(s).into_owned(), docs }
            })
            .filter(|g| !g.docs.is_empty())
            .collect();
        DesignsPage {
            site: self.site_view("designs/"),
            page_title: self.title_of("design_docs"),
            groups,
            total: docs.len(),
            templates: self.templates_of(Kind::Design),
        }
    }

    /// Tag, status and author pages, with their indexes.
    /// The tag, author and status pages: an index of each, and a list page per term (rendered in
    /// parallel: on a big site some list every document).
    fn term_pages(&self) -> Result<Vec<OutputFile>, Diagnostic> {
        let mut files = Vec::new();
        type Groups<'b> = BTreeMap<String, (String, Vec<&'b LinkedDoc>)>;
        let mut tags: Groups<'a> = BTreeMap::new();
        let mut authors: Groups<'a> = BTreeMap::new();
        let mut statuses: BTreeMap<Status, Vec<&'a LinkedDoc>> = BTreeMap::new();
        for d in self.counted() {
            for t in &d.doc.tags {
                tags.entry(slugify(t)).or_insert_with(|| (t.clone(), Vec::new())).1.push(d);
            }
            for a in &d.doc.authors {
                authors.entry(slugify(a)).or_insert_with(|| (a.clone(), Vec::new())).1.push(d);
            }
            if d.doc.kind != Kind::Page {
                statuses.entry(d.doc.status).or_default().push(d);
            }
        }
        let ui = self.ui();
        for (section, heading, kicker, groups) in
            [("tags", "tags", "tag", &tags), ("authors", "authors", "author", &authors)]
        {
            if groups.is_empty() {
                continue;
            }
            let url = format!("{section}/");
            let terms = groups
                .iter()
                .map(|(slug, (name, docs))| Term {
                    name: name.clone(),
                    path: format!("{section}/{slug}/"),
                    count: docs.len(),
                    status: "",
                })
                .collect();
            let view = TermsPage {
                site: self.site_view(&url),
                page_title: self.title_of(heading),
                heading: ui.get(heading),
                terms,
            };
            files.push(self.page(&format!("{url}index.html"), "terms.html", &view)?);
            let lists: Vec<OutputFile> = groups
                .par_iter()
                .map(|(slug, (name, docs))| self.list_page(&format!("{section}/{slug}/"), ui.get(kicker), name, docs))
                .collect::<Result<_, _>>()?;
            files.extend(lists);
        }
        let terms = statuses
            .iter()
            .map(|(s, docs)| Term {
                name: ui.status(*s).into_owned(),
                path: format!("status/{}/", s.as_str()),
                count: docs.len(),
                status: s.as_str(),
            })
            .collect();
        let view = TermsPage {
            site: self.site_view("status/"),
            page_title: self.title_of("statuses"),
            heading: ui.get("statuses"),
            terms,
        };
        files.push(self.page("status/index.html", "terms.html", &view)?);
        files.extend(self.waiting_page()?);
        let lists: Vec<OutputFile> = statuses
            .par_iter()
            .map(|(s, docs)| self.list_page(&format!("status/{}/", s.as_str()), ui.get("status"), &ui.status(*s), docs))
            .collect::<Result<_, _>>()?;
        files.extend(lists);
        Ok(files)
    }

    /// The proposals and drafts, oldest first by the date of their last status change (from
    /// git, else their own date; undated last).
    fn waiting(&self, ui: Ui<'a>) -> Vec<WaitingRow<'a>> {
        let mut rows: Vec<(&'a LinkedDoc, Option<&'a str>)> = self
            .counted()
            .filter(|d| d.doc.kind != Kind::Page && crate::history::is_waiting(d.doc.status))
            .map(|d| (d, crate::history::waiting_since(&d.doc)))
            .collect();
        rows.sort_by(|a, b| (a.1.is_none(), a.1, &a.0.id).cmp(&(b.1.is_none(), b.1, &b.0.id)));
        rows.into_iter().map(|(d, since)| WaitingRow { doc: DocRef::new(d, ui), since }).collect()
    }

    /// `status/waiting/`: every proposal and draft, oldest first; `None` when there is none.
    fn waiting_page(&self) -> Result<Option<OutputFile>, Diagnostic> {
        let rows = self.waiting(self.ui());
        if rows.is_empty() {
            return Ok(None);
        }
        let view = WaitingPage { site: self.site_view("status/waiting/"), page_title: self.title_of("waiting"), rows };
        self.page("status/waiting/index.html", "waiting.html", &view).map(Some)
    }

    fn list_page(
        &self,
        url: &str,
        kicker: std::borrow::Cow<'a, str>,
        name: &str,
        docs: &[&'a LinkedDoc],
    ) -> Result<OutputFile, Diagnostic> {
        let mut docs: Vec<&LinkedDoc> = docs.to_vec();
        docs.sort_by(|a, b| {
            (a.doc.kind, a.doc.number.is_none(), a.doc.number, &a.doc.title).cmp(&(
                b.doc.kind,
                b.doc.number.is_none(),
                b.doc.number,
                &b.doc.title,
            ))
        });
        let view = ListPage {
            site: self.site_view(url),
            page_title: format!("{kicker}: {name} · {}", self.opts.config.title),
            heading: name.to_string(),
            kicker,
            docs: docs.into_iter().map(|d| DocRef::new(d, self.ui())).collect(),
        };
        self.page(&format!("{url}index.html"), "list.html", &view)
    }
}

/// Previous and next of every document of a collection (decisions and design docs, templates
/// left out), in the collection's order: number, else date, else title.
fn neighbours(site: &Site) -> HashMap<usize, (Option<usize>, Option<usize>)> {
    let mut groups: BTreeMap<(Kind, Option<usize>), Vec<usize>> = BTreeMap::new();
    for (i, d) in site.docs.iter().enumerate() {
        if d.doc.kind != Kind::Page && !d.doc.is_template && !d.url.is_empty() {
            groups.entry((d.doc.kind, d.doc.collection)).or_default().push(i);
        }
    }
    let mut out = HashMap::new();
    for mut v in groups.into_values() {
        v.sort_by_cached_key(|&i| nav::order_key(&site.docs[i].doc, i));
        for (k, &i) in v.iter().enumerate() {
            let prev = k.checked_sub(1).map(|p| v[p]);
            out.insert(i, (prev, v.get(k + 1).copied()));
        }
    }
    out
}

/// A URL slug: lower-case letters and digits, other runs become `-`.
pub fn slugify(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let t = out.trim_matches('-').to_string();
    if t.is_empty() { "-".to_string() } else { t }
}

/// Percent-encodes a site-relative path for an `href` ([`url::encode_path`]); a `#fragment`
/// stays as written.
fn encode_path(p: &str) -> String {
    match p.split_once('#') {
        Some((path, frag)) => format!("{}#{frag}", url::encode_path(path)),
        None => url::encode_path(p).into_owned(),
    }
}

fn escape_attr(s: &str) -> String {
    crate::parse::markdown::escape_attr(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_paths() {
        assert_eq!(slugify("Jane Doe"), "jane-doe");
        assert_eq!(slugify("  C++ / Rust "), "c-rust");
        assert_eq!(slugify("Ünïcode"), "ünïcode");
        assert_eq!(encode_path("docs/fig 1.png#a b"), "docs/fig%201.png#a b");
        assert_eq!(Renderer::root_for(""), "./");
        assert_eq!(Renderer::root_for("docs/adr/0001-x/"), "../../../");
    }
}
