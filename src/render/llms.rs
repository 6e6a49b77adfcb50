//! The site for coding assistants: `llms.txt` (the llmstxt.org index: every document with its
//! ID, status and first sentence, superseded ones apart with their successors), `llms-full.txt`
//! (every current document's Markdown with a metadata header) and, with `[render]
//! markdown_pages`, each page's Markdown beside it (`…/index.md`).
//!
//! The Markdown is the source file's, read again here: its front matter replaced by dossier's
//! fields, relative links rewritten to site URLs, diagrams left as their source.

use super::view::kind_plural;
use crate::model::{Kind, LinkTarget, LinkedDoc, Site, Status};
use pulldown_cmark::{Event, HeadingLevel, Parser, Tag, TagEnd};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// Headings whose first paragraph describes a document best, in order of preference.
const DESCRIBING: &[&str] = &["summary", "abstract", "context", "problem", "motivation", "background", "overview"];

/// Characters a description is cut to.
const DESCRIPTION_CHARS: usize = 240;

/// A document's Markdown: the source's body (front matter split off, links as written) and its
/// first sentence.
pub struct Markdown {
    pub body: String,
    pub description: String,
}

/// Reads the Markdown of every document but templates (by index into `site.docs`).
pub fn markdown_of(site: &Site, root: &Path) -> Vec<Option<Markdown>> {
    site.docs
        .par_iter()
        .map(|d| {
            if d.doc.is_template {
                return None;
            }
            let text = std::fs::read_to_string(root.join(&d.doc.source)).ok()?;
            let split = crate::parse::front_matter::split(&text);
            let body = text[split.body_start..].to_string();
            let description = description(&body, &d.doc.title);
            Some(Markdown { body, description })
        })
        .collect()
}

/// The URL of a document as listed in a file at the site root: absolute with the base URL,
/// else relative to the root (`./` for the home page).
fn doc_url(d: &LinkedDoc, base: &str) -> String {
    match (base, d.url.as_str()) {
        ("", "") => "./".to_string(),
        (b, u) => format!("{b}{}", super::url::encode_path(u)),
    }
}

/// `ADR-0012: Use Postgres`, or the title alone when the document has no ID of its own.
fn label(d: &LinkedDoc) -> String {
    if d.id != d.doc.path_id { format!("{}: {}", d.id, d.doc.title) } else { d.doc.title.clone() }
}

/// Superseded: by its status or by a document that says it supersedes it.
fn is_superseded(d: &LinkedDoc) -> bool {
    d.doc.status == Status::Superseded || !d.superseded_by.is_empty()
}

/// Groups of listed documents: one per collection, in the order decisions, designs, pages.
fn sections(site: &Site) -> Vec<(String, Vec<usize>)> {
    let mut groups: BTreeMap<(Kind, Option<usize>), Vec<usize>> = BTreeMap::new();
    for (i, d) in site.docs.iter().enumerate() {
        if !d.doc.is_template && !is_superseded(d) {
            let coll = if d.doc.kind == Kind::Page { None } else { d.doc.collection };
            groups.entry((d.doc.kind, coll)).or_default().push(i);
        }
    }
    let mut per_kind: BTreeMap<Kind, usize> = BTreeMap::new();
    for (kind, _) in groups.keys() {
        *per_kind.entry(*kind).or_default() += 1;
    }
    groups
        .into_iter()
        .map(|((kind, _), mut v)| {
            v.sort_by_cached_key(|&i| super::nav::order_key(&site.docs[i].doc, i));
            let heading = if per_kind[&kind] > 1 {
                format!("{}: {}", kind_plural(kind), common_folder(v.iter().map(|&i| site.docs[i].doc.source.as_str())))
            } else {
                kind_plural(kind).to_string()
            };
            (heading, v)
        })
        .collect()
}

/// The deepest folder holding every one of `sources` (`.` for the root).
fn common_folder<'a>(mut sources: impl Iterator<Item = &'a str>) -> String {
    let dir = |s: &'a str| s.rsplit_once('/').map_or("", |(d, _)| d);
    let mut common = sources.next().map_or("", dir).to_string();
    for s in sources {
        while !common.is_empty() && dir(s) != common && !dir(s).starts_with(&format!("{common}/")) {
            common = common.rsplit_once('/').map_or("", |(d, _)| d).to_string();
        }
    }
    if common.is_empty() { ".".to_string() } else { common }
}

/// `3 decisions, 2 design docs and 1 page`.
fn counts(site: &Site) -> String {
    let mut parts = Vec::new();
    for (kind, one, many) in [
        (Kind::Adr, "decision", "decisions"),
        (Kind::Design, "design doc", "design docs"),
        (Kind::Page, "page", "pages"),
    ] {
        let n = site.docs.iter().filter(|d| d.doc.kind == kind && !d.doc.is_template).count();
        if n > 0 {
            parts.push(format!("{n} {}", if n == 1 { one } else { many }));
        }
    }
    match parts.len() {
        0 => "no documents".to_string(),
        1 => parts.remove(0),
        n => format!("{} and {}", parts[..n - 1].join(", "), parts[n - 1]),
    }
}

/// `llms.txt`: `base` is the base URL, or empty for links relative to the site root.
pub fn llms_txt(site: &Site, title: &str, base: &str, md: &[Option<Markdown>]) -> String {
    let mut out = format!("# {title}\n\n");
    out.push_str(&format!(
        "> The design docs and architecture decision records of {title}: {}. Each entry gives the \
         document's ID, its status (draft, proposed, accepted, implemented, rejected, deprecated or \
         superseded) and its first sentence; superseded documents are listed apart, each with the \
         document that replaced it. An accepted or implemented decision that nothing supersedes is in force.\n\n",
        counts(site)
    ));
    out.push_str(&format!(
        "The full text of every current document is in [llms-full.txt]({base}llms-full.txt); every \
         document's metadata and relations are in [dossier.json]({base}dossier.json).\n"
    ));
    let describe = |i: usize| md.get(i).and_then(Option::as_ref).map_or("", |m| m.description.as_str());
    for (heading, docs) in sections(site) {
        out.push_str(&format!("\n## {heading}\n\n"));
        for i in docs {
            let d = &site.docs[i];
            let status = if d.doc.kind == Kind::Page { String::new() } else { format!("{}. ", d.doc.status.as_str()) };
            out.push_str(&format!("- [{}]({}): {status}{}\n", label(d), doc_url(d, base), describe(i)));
        }
    }
    let mut superseded: Vec<usize> =
        (0..site.docs.len()).filter(|&i| !site.docs[i].doc.is_template && is_superseded(&site.docs[i])).collect();
    if !superseded.is_empty() {
        superseded.sort_by_cached_key(|&i| (site.docs[i].doc.kind, super::nav::order_key(&site.docs[i].doc, i)));
        out.push_str("\n## Superseded\n\n");
        for i in superseded {
            let d = &site.docs[i];
            out.push_str(&format!("- [{}]({}): {}. {}\n", label(d), doc_url(d, base), successors(d), describe(i)));
        }
    }
    out
}

/// `superseded by ADR-0005 (newest: ADR-0007)`, or `superseded` when no document says so.
fn successors(d: &LinkedDoc) -> String {
    if d.superseded_by.is_empty() {
        return "superseded".to_string();
    }
    let by = format!("superseded by {}", d.superseded_by.join(", "));
    if d.newest.is_empty() || d.newest == d.superseded_by {
        by
    } else {
        format!("{by} (newest: {})", d.newest.join(", "))
    }
}

/// `llms-full.txt`: every current document (not superseded, not rejected, templates aside),
/// in the order of `llms.txt`, each after a metadata header.
pub fn llms_full(site: &Site, title: &str, base: &str, md: &[Option<Markdown>]) -> String {
    let mut out = format!(
        "# {title}\n\n> Every current document of {title} (superseded and rejected ones left out), \
         each after a header with its ID, title, status, date, relations and URL.\n"
    );
    let order: Vec<usize> = sections(site).into_iter().flat_map(|(_, docs)| docs).collect();
    let parts: Vec<String> = order
        .par_iter()
        .filter_map(|&i| {
            let d = &site.docs[i];
            let m = md.get(i).and_then(Option::as_ref)?;
            if d.doc.status == Status::Rejected {
                return None;
            }
            let body = rewrite_links(d, &m.body, base);
            Some(format!("\n---\n{}---\n\n{}\n", fields(d, &doc_url(d, base)), body.trim()))
        })
        .collect();
    out.extend(parts);
    out
}

/// dossier's fields of a document as YAML lines (JSON strings are YAML strings).
pub fn fields(d: &LinkedDoc, url: &str) -> String {
    let q = |s: &str| serde_json::to_string(s).unwrap_or_default();
    let list = |v: &[String]| format!("[{}]", v.iter().map(|s| q(s)).collect::<Vec<_>>().join(", "));
    let mut out = format!("id: {}\ntitle: {}\nkind: {}\n", q(&d.id), q(&d.doc.title), d.doc.kind.as_str());
    if d.doc.kind != Kind::Page || d.doc.status != Status::Unknown {
        out.push_str(&format!("status: {}\n", d.doc.status.as_str()));
    }
    if let Some(date) = &d.doc.date {
        out.push_str(&format!("date: {}\n", q(date)));
    }
    for (key, v) in [
        ("authors", &d.doc.authors),
        ("tags", &d.doc.tags),
        ("supersedes", &d.supersedes),
        ("superseded_by", &d.superseded_by),
        ("amends", &d.amends),
        ("amended_by", &d.amended_by),
    ] {
        if !v.is_empty() {
            out.push_str(&format!("{key}: {}\n", list(v)));
        }
    }
    out.push_str(&format!("url: {}\n", q(url)));
    out
}

/// The Markdown page beside a document's HTML page: dossier's fields as front matter, then the
/// body. `prefix` starts the site URLs of its links: the base URL, else the way back to the
/// site root (`../../`).
pub fn markdown_page(d: &LinkedDoc, prefix: &str, m: &Markdown) -> String {
    let own = if prefix.starts_with("http://") || prefix.starts_with("https://") || prefix.starts_with('/') {
        format!("{prefix}{}", super::url::encode_path(&d.url))
    } else {
        "./".to_string()
    };
    format!("---\n{}---\n\n{}\n", fields(d, &own), rewrite_links(d, &m.body, prefix).trim())
}

/// The body with each relative link replaced by its site URL (`prefix` + site path): inline
/// and reference links, raw HTML `href`/`src`, and wiki links (which become Markdown links).
fn rewrite_links(d: &LinkedDoc, body: &str, prefix: &str) -> String {
    let mut plain: Vec<(&str, String)> = Vec::new();
    let mut wiki: Vec<(&str, String)> = Vec::new();
    let mut done = std::collections::HashSet::new();
    for (raw, target) in d.doc.links.iter().zip(&d.link_targets) {
        let url = match target {
            LinkTarget::Site(t) if t.starts_with('#') => t.clone(),
            LinkTarget::Site(t) => format!("{prefix}{}", super::encode_path(t)),
            LinkTarget::External(u) => u.clone(),
            LinkTarget::AsWritten | LinkTarget::Unlinked => continue,
        };
        if done.insert((raw.href.as_str(), raw.wiki)) {
            if raw.wiki { &mut wiki } else { &mut plain }.push((raw.href.as_str(), url));
        }
    }
    let mut out = if plain.is_empty() { body.to_string() } else { rewrite_plain(body, &plain) };
    for (href, url) in wiki {
        out = out.replace(&format!("[[{href}]]"), &format!("[{href}]({url})"));
        out = out.replace(&format!("[[{href}|"), &format!("[[{url}|"));
        out = rewrite_piped_wiki(&out, &url);
    }
    out
}

/// Where a link's destination starts, and what may end it: `](<h>)`, `](h)` or `](h "title")`,
/// a reference definition's `]: h` (line end or title), a raw HTML `href="h"` or `src="h"`.
const DESTINATIONS: &[(&str, &[&str])] =
    &[("](<", &[">)"]), ("](", &[")", " "]), ("]: ", &["\n", " "]), ("href=\"", &["\""]), ("src=\"", &["\""])];

/// One pass over `body`: each destination that is one of `links` (as written, followed by what
/// may end it) becomes its URL; `](<h>)` becomes `](URL)`.
fn rewrite_plain(body: &str, links: &[(&str, String)]) -> String {
    static OPENERS: std::sync::OnceLock<Option<aho_corasick::AhoCorasick>> = std::sync::OnceLock::new();
    let Some(openers) = OPENERS
        .get_or_init(|| {
            aho_corasick::AhoCorasick::builder()
                .match_kind(aho_corasick::MatchKind::LeftmostLongest)
                .build(DESTINATIONS.iter().map(|(open, _)| open))
                .ok()
        })
        .as_ref()
    else {
        return body.to_string();
    };
    let mut out = String::with_capacity(body.len() + 64);
    let mut done = 0;
    for m in openers.find_iter(body) {
        if m.start() < done {
            continue;
        }
        let (open, ends) = DESTINATIONS[m.pattern().as_usize()];
        let dest = &body[m.end()..];
        let found = links.iter().find_map(|(h, url)| {
            let after = dest.strip_prefix(h)?;
            let end = ends.iter().find(|e| after.starts_with(**e))?;
            Some((url, h.len(), end.len()))
        });
        let Some((url, len, end)) = found else { continue };
        if open == "](<" {
            // `](<h>)` becomes `](URL)`: the URL needs no brackets.
            out.push_str(&body[done..m.end() - 1]);
            out.push_str(url);
            out.push(')');
            done = m.end() + len + end;
        } else {
            out.push_str(&body[done..m.end()]);
            out.push_str(url);
            done = m.end() + len;
        }
    }
    out.push_str(&body[done..]);
    out
}

/// `[[URL|label]]` (a wiki link whose target was just rewritten) → `[label](URL)`.
fn rewrite_piped_wiki(text: &str, url: &str) -> String {
    let open = format!("[[{url}|");
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find(&open) {
        let after = &rest[i + open.len()..];
        let Some(end) = after.find("]]") else { break };
        out.push_str(&rest[..i]);
        out.push_str(&format!("[{}]({url})", &after[..end]));
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

/// The first sentence of the document's summary or context section, else of its first
/// paragraph (metadata lines such as `Status: accepted` left out), cut to a line.
pub fn description(body: &str, title: &str) -> String {
    // The paragraph under the heading earliest in `DESCRIBING`, else the first that is not
    // metadata nor the title.
    let (mut best, mut fallback): (Option<(usize, String)>, Option<String>) = (None, None);
    for (heading, p) in paragraphs(body) {
        let rank = heading.map(|h| h.to_lowercase()).and_then(|h| DESCRIBING.iter().position(|w| h.starts_with(w)));
        if let Some(rank) = rank.filter(|r| best.as_ref().is_none_or(|(b, _)| r < b)) {
            let first = rank == 0;
            best = Some((rank, p));
            if first {
                break;
            }
        } else if fallback.is_none() && !is_metadata(&p) && p != title {
            fallback = Some(p);
        }
    }
    best.map(|(_, p)| p).or(fallback).map_or(String::new(), |p| first_sentence(&p))
}

/// Each paragraph's plain text with the heading it is under.
fn paragraphs(body: &str) -> Vec<(Option<String>, String)> {
    let mut out = Vec::new();
    let (mut heading, mut in_heading, mut para): (Option<String>, bool, Option<String>) = (None, false, None);
    for ev in Parser::new(body) {
        match ev {
            Event::Start(Tag::Heading { level, .. }) if level != HeadingLevel::H1 => {
                in_heading = true;
                heading = Some(String::new());
            }
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            Event::Start(Tag::Paragraph) => para = Some(String::new()),
            Event::End(TagEnd::Paragraph) => {
                if let Some(p) = para.take().filter(|p| !p.trim().is_empty()) {
                    out.push((heading.clone(), p.trim().to_string()));
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if in_heading {
                    heading.get_or_insert_with(String::new).push_str(&t);
                } else if let Some(p) = para.as_mut() {
                    p.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some(p) = para.as_mut() {
                    p.push('\n');
                }
            }
            _ => {}
        }
    }
    out
}

/// Whether every line of a paragraph reads as `Key: value` (Nygard and log4brains metadata).
fn is_metadata(p: &str) -> bool {
    p.lines()
        .all(|l| l.split_once(':').is_some_and(|(k, _)| !k.trim().is_empty() && k.len() <= 30 && !k.contains(". ")))
}

/// The text up to the first `.`, `?` or `!` followed by a space (or the end), one line, cut
/// to `DESCRIPTION_CHARS`.
fn first_sentence(p: &str) -> String {
    let flat = p.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut end = flat.len();
    for (i, c) in flat.char_indices() {
        if matches!(c, '.' | '?' | '!') && flat[i + 1..].starts_with(' ') {
            end = i + 1;
            break;
        }
    }
    let s = &flat[..end];
    match s.char_indices().nth(DESCRIPTION_CHARS) {
        Some((cut, _)) => format!("{}…", s[..cut].trim_end()),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_are_rewritten_in_one_pass_as_written() {
        let body = "[a](a.md) [t](a.md \"T\") [b](<b c.md>) [r]: a.md\n[r2]: a.md \"T\"\n<a href=\"a.md\">x</a> <img src=\"a.md\"> [n](a.mdx) [[a.md]]";
        let links = [("a.md", "../a/".to_string()), ("b c.md", "../b%20c/".to_string())];
        assert_eq!(
            rewrite_plain(body, &links),
            "[a](../a/) [t](../a/ \"T\") [b](../b%20c/) [r]: ../a/\n[r2]: ../a/ \"T\"\n<a href=\"../a/\">x</a> <img src=\"../a/\"> [n](a.mdx) [[a.md]]"
        );
        assert_eq!(rewrite_plain("no links here", &links), "no links here");
    }

    #[test]
    fn descriptions() {
        let body = "# Use X\n\nStatus: accepted\nDate: 2024-01-01\n\n## Context\n\nWe need a store. It must be fast.\n";
        assert_eq!(description(body, "Use X"), "We need a store.");
        assert_eq!(description("# T\n\nFirst one? Then more.\n", "T"), "First one?");
        assert_eq!(description("# T\n\nNo stop at e.g.x here\n", "T"), "No stop at e.g.x here");
        assert_eq!(common_folder(["docs/adr/a.md", "docs/adr/b.md"].into_iter()), "docs/adr");
        assert_eq!(common_folder(["docs/adr/a.md", "docs/rfc/b.md"].into_iter()), "docs");
        assert_eq!(common_folder(["a.md", "docs/b.md"].into_iter()), ".");
        assert_eq!(rewrite_piped_wiki("see [[u/|the doc]] now", "u/"), "see [the doc](u/) now");
    }
}
