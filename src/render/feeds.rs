//! `feed.xml` (Atom, documents by date with their status), `sitemap.xml` and `robots.txt`.
//! Feeds and sitemaps need absolute URLs, so they are written only with an absolute base URL.

use super::view::{kind_label, status_label};
use crate::model::{Kind, LinkedDoc, Site};
use crate::parse::meta::calendar_day;
use std::collections::BTreeMap;

/// Entries in the feed.
pub const FEED_ENTRIES: usize = 50;

fn esc(s: &str) -> String {
    crate::parse::markdown::escape_attr(s)
}

/// Documents with a valid date, newest first (ties by ID), templates and pages left out.
fn dated(site: &Site) -> Vec<(&LinkedDoc, String)> {
    let mut v: Vec<(&LinkedDoc, String)> = site
        .docs
        .iter()
        .filter(|d| d.doc.kind != Kind::Page && !d.doc.is_template)
        .filter_map(|d| d.doc.date.as_deref().and_then(calendar_day).map(|date| (d, date)))
        .collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.id.cmp(&b.0.id)));
    v
}

/// The Atom feed of decisions and designs by date.
pub fn atom(site: &Site, title: &str, base: &str) -> String {
    let entries = dated(site);
    let updated = entries.first().map_or("1970-01-01".to_string(), |e| e.1.clone());
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    out.push_str(&format!("  <title>{}</title>\n  <id>{}</id>\n", esc(title), esc(base)));
    out.push_str(&format!("  <link href=\"{}\"/>\n  <link rel=\"self\" href=\"{}feed.xml\"/>\n", esc(base), esc(base)));
    out.push_str(&format!("  <updated>{updated}T00:00:00Z</updated>\n  <generator>dossier</generator>\n"));
    for (d, date) in entries.into_iter().take(FEED_ENTRIES) {
        let url = format!("{base}{}", super::url::encode_path(&d.url));
        let id = if d.id != d.doc.path_id { format!("{} ", d.id) } else { String::new() };
        out.push_str("  <entry>\n");
        out.push_str(&format!("    <title>{}{} [{}]</title>\n", esc(&id), esc(&d.doc.title), esc(status_label(d))));
        out.push_str(&format!("    <id>{}</id>\n    <link href=\"{}\"/>\n", esc(&url), esc(&url)));
        out.push_str(&format!("    <updated>{date}T00:00:00Z</updated>\n"));
        for a in &d.doc.authors {
            out.push_str(&format!("    <author><name>{}</name></author>\n", esc(a)));
        }
        out.push_str(&format!(
            "    <category term=\"{}\" label=\"{}\"/>\n",
            d.doc.status.as_str(),
            esc(status_label(d))
        ));
        out.push_str(&format!(
            "    <summary>{} · status: {}</summary>\n  </entry>\n",
            kind_label(d.doc.kind),
            esc(status_label(d))
        ));
    }
    out.push_str("</feed>\n");
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
