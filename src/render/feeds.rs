//! `feed.xml` (Atom, documents by date with their status), `sitemap.xml` and `robots.txt`.
//! Feeds and sitemaps need absolute URLs, so they are written only with an absolute base URL.

use super::strings::Ui;
use crate::model::{Kind, LinkedDoc, Site, StatusChange};
use crate::parse::meta::calendar_day;
use std::collections::BTreeMap;

/// Entries in the feed.
pub const FEED_ENTRIES: usize = 50;

fn esc(s: &str) -> String {
    crate::parse::markdown::escape_attr(s)
}

/// One feed entry: a document (by its date), or one change of its status (from git).
struct Entry<'a> {
    doc: &'a LinkedDoc,
    date: String,
    /// Unique among the entries: the page's URL, with `#` and the commit for a change.
    id: String,
    /// The status the entry announces: the term and its label.
    status: (&'static str, String),
    /// What happened, for a change ("Proposed → Accepted"); `None` for a document entry.
    change: Option<String>,
    authors: Vec<&'a str>,
}

/// The feed's entries, newest first (ties by ID, then oldest change first): a document
/// with a status history has an entry per status change, others one entry on their date.
fn entries<'a>(site: &'a Site, base: &str, ui: Ui<'_>) -> Vec<Entry<'a>> {
    let mut v: Vec<Entry<'a>> = Vec::new();
    for d in site.docs.iter().filter(|d| d.doc.kind != Kind::Page && !d.doc.is_template) {
        let url = format!("{base}{}", super::url::encode_path(&d.url));
        let changes: Vec<&StatusChange> = d
            .doc
            .history
            .iter()
            .filter(|c| c.changed.iter().any(|w| matches!(*w, "created" | "status" | "superseded-by")))
            .collect();
        if changes.is_empty() {
            if let Some(date) = d.doc.date.as_deref().and_then(calendar_day) {
                let authors = d.doc.authors.iter().map(String::as_str).collect();
                let status =
                    (d.doc.status.as_str(), ui.status_label(d.doc.status_raw.as_deref(), d.doc.status).into_owned());
                v.push(Entry { doc: d, date, id: url, status, change: None, authors });
            }
            continue;
        }
        let mut before: Option<String> = None;
        for c in changes {
            let label = change_label(c, ui);
            let change = match &before {
                Some(b) => format!("{b} \u{2192} {label}"),
                None => ui.fill("feed_new", &[("status", &label)]),
            };
            let suffix = if c.by.is_some() { "-superseded" } else { "" };
            let id = format!("{url}#change-{}{suffix}", &c.commit[..c.commit.len().min(12)]);
            let status = (c.status.as_str(), label.clone());
            v.push(Entry { doc: d, date: c.date.clone(), id, status, change: Some(change), authors: vec![&c.author] });
            before = Some(label);
        }
    }
    v.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.doc.id.cmp(&b.doc.id)));
    v
}

/// A change's status as a reader says it: the author's wording, or "Superseded by ADR-0031".
/// In `ui`'s language (the site's); the author's wording stays as `Ui::status_label` keeps it.
fn change_label(c: &StatusChange, ui: Ui<'_>) -> String {
    match &c.by {
        Some(by) => format!("{} {by}", ui.get("superseded_by")),
        None => ui.status_label(c.status_raw.as_deref(), c.status).into_owned(),
    }
}

/// The Atom feed of decisions and designs by date, and of their status changes, its text in
/// the site's language `lang` (named in `xml:lang` when it is not English).
pub fn atom(site: &Site, title: &str, base: &str, (lang, ui): (&str, Ui<'_>)) -> String {
    let entries = entries(site, base, ui);
    let updated = entries.first().map_or("1970-01-01".to_string(), |e| e.date.clone());
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\"");
    if ui.translates() {
        out.push_str(&format!(" xml:lang=\"{}\"", esc(lang)));
    }
    out.push_str(">\n");
    out.push_str(&format!("  <title>{}</title>\n  <id>{}</id>\n", esc(title), esc(base)));
    out.push_str(&format!("  <link href=\"{}\"/>\n  <link rel=\"self\" href=\"{}feed.xml\"/>\n", esc(base), esc(base)));
    out.push_str(&format!("  <updated>{updated}T00:00:00Z</updated>\n  <generator>dossier</generator>\n"));
    for e in entries.into_iter().take(FEED_ENTRIES) {
        out.push_str(&entry(base, &e, ui));
    }
    out.push_str("</feed>\n");
    out
}

fn entry(base: &str, e: &Entry<'_>, ui: Ui<'_>) -> String {
    let d = e.doc;
    let url = format!("{base}{}", super::url::encode_path(&d.url));
    let id = if d.id != d.doc.path_id { format!("{} ", d.id) } else { String::new() };
    let mut out = String::from("  <entry>\n");
    let what = e.change.as_deref().unwrap_or(&e.status.1);
    out.push_str(&format!("    <title>{}{} [{}]</title>\n", esc(&id), esc(&d.doc.title), esc(what)));
    out.push_str(&format!("    <id>{}</id>\n    <link href=\"{}\"/>\n", esc(&e.id), esc(&url)));
    out.push_str(&format!("    <updated>{}T00:00:00Z</updated>\n", e.date));
    for a in &e.authors {
        out.push_str(&format!("    <author><name>{}</name></author>\n", esc(a)));
    }
    out.push_str(&format!("    <category term=\"{}\" label=\"{}\"/>\n", e.status.0, esc(&e.status.1)));
    let kind = ui.kind(d.doc.kind, false);
    let summary = match &e.change {
        Some(c) => format!("{kind} · {c}"),
        None => format!("{kind} · {}", ui.fill("feed_status", &[("status", &e.status.1)])),
    };
    out.push_str(&format!("    <summary>{}</summary>\n  </entry>\n", esc(&summary)));
    out
}

/// The sitemap: every page, with the document's date where it has one.
pub fn sitemap(site: &Site, base: &str, pages: &[String]) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    // Every page once, sorted; a document keeps its date.
    let mut urls: BTreeMap<&str, Option<String>> = pages.iter().map(|p| (p.as_str(), None)).collect();
    for d in &site.docs {
        urls.insert(&d.url, d.doc.date.as_deref().and_then(calendar_day));
    }
    for (url, date) in urls {
        out.push_str(&format!("  <url><loc>{}</loc>", esc(&format!("{base}{}", super::url::encode_path(url)))));
        if let Some(d) = date {
            out.push_str(&format!("<lastmod>{d}</lastmod>"));
        }
        out.push_str("</url>\n");
    }
    out.push_str("</urlset>\n");
    out
}

/// `robots.txt`, pointing at the sitemap when there is one.
pub fn robots(base: Option<&str>) -> String {
    match base {
        Some(b) => format!("User-agent: *\nAllow: /\nSitemap: {b}sitemap.xml\n"),
        None => "User-agent: *\nAllow: /\n".to_string(),
    }
}
