//! The printable views of a collection (`log/print/`, `designs/print/`): its documents in the
//! collection's order on one page, each starting a new printed page, for "save as PDF". Split
//! into parts of at most `PART` documents (`print/`, `print/2/`, …); each document's element ids
//! are prefixed with its own slug so that they stay unique on the page, and its in-page links
//! follow them.

use super::view::{DocRef, SiteView};
use super::{Renderer, nav, slugify};
use crate::diag::Diagnostic;
use crate::model::{Kind, LinkedDoc};
use crate::write::OutputFile;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashSet;

/// Documents per printable page.
pub const PART: usize = 200;

#[derive(Serialize)]
struct PrintPage<'a> {
    site: SiteView<'a>,
    page_title: String,
    heading: String,
    /// The collection's index page (site-relative).
    index: &'static str,
    docs: Vec<PrintDoc<'a>>,
    /// Every part of the view, when there is more than one.
    parts: Vec<Part>,
    part: usize,
}

#[derive(Serialize, Clone)]
struct Part {
    /// 1-based.
    number: usize,
    /// Site-relative URL.
    path: String,
}

#[derive(Serialize)]
struct PrintDoc<'a> {
    doc: DocRef<'a>,
    /// The prefix of this document's ids, and the id of its article.
    anchor: String,
    body: String,
}

/// The URL of part `n` (1-based) of the printable view under `base` (`log/`).
fn part_url(base: &str, n: usize) -> String {
    if n == 1 { format!("{base}print/") } else { format!("{base}print/{n}/") }
}

/// Gives every `id="…"` of `html` the prefix `p`, and every in-page link `href="#…"` with it;
/// an in-page link to an id the document lacks (a broken fragment, reported on the document's
/// own page) leads to the document's start, `#{top}`.
pub fn prefix_ids(html: &str, p: &str, top: &str) -> String {
    let ids: HashSet<&str> =
        html.split(" id=\"").skip(1).filter_map(|rest| rest.split_once('"').map(|(id, _)| id)).collect();
    let html = html.replace(" id=\"", &format!(" id=\"{p}"));
    let mut parts = html.split(" href=\"#");
    let mut out = String::with_capacity(html.len() + 256);
    out.push_str(parts.next().unwrap_or(""));
    for rest in parts {
        let (frag, after) = rest.split_once('"').unwrap_or((rest, ""));
        if ids.contains(frag) {
            out.push_str(&format!(" href=\"#{p}{frag}\"{after}"));
        } else {
            out.push_str(&format!(" href=\"#{top}\"{after}"));
        }
    }
    out
}

/// Anchor prefixes for the documents: their slugified IDs, made unique on the page.
fn anchors(docs: &[&LinkedDoc]) -> Vec<String> {
    let mut seen = HashSet::new();
    docs.iter()
        .map(|d| {
            let base = format!("doc-{}", slugify(&d.id));
            let mut a = base.clone();
            let mut n = 2;
            while !seen.insert(a.clone()) {
                a = format!("{base}-{n}");
                n += 1;
            }
            a
        })
        .collect()
}

impl<'a> Renderer<'a> {
    /// The printable view of the collection of `kind` (none when it has no documents).
    pub(super) fn print_pages(&self, kind: Kind) -> Result<Vec<OutputFile>, Diagnostic> {
        let ui = self.ui();
        let (base, index, label) = match kind {
            Kind::Adr => ("log/", "log/", ui.get("decision_log")),
            _ => ("designs/", "designs/", ui.get("design_docs")),
        };
        let mut docs: Vec<(usize, &LinkedDoc)> = self.counted().filter(|d| d.doc.kind == kind).enumerate().collect();
        docs.sort_by_cached_key(|(i, d)| nav::order_key(&d.doc, *i));
        let docs: Vec<&LinkedDoc> = docs.into_iter().map(|(_, d)| d).collect();
        let count = docs.len().div_ceil(PART);
        let parts: Vec<Part> = if count > 1 {
            (1..=count).map(|number| Part { number, path: part_url(base, number) }).collect()
        } else {
            Vec::new()
        };
        // Each part is a page of up to `PART` whole documents: rendered side by side.
        let chunks: Vec<&[&LinkedDoc]> = docs.chunks(PART).collect();
        chunks
            .par_iter()
            .enumerate()
            .map(|(k, chunk)| self.print_part(chunk, k + 1, &parts, (base, index, &label)))
            .collect()
    }

    /// Part `number` (1-based) of a printable view, of the documents `chunk`.
    fn print_part(
        &self,
        chunk: &[&'a LinkedDoc],
        number: usize,
        parts: &[Part],
        (base, index, label): (&str, &'static str, &str),
    ) -> Result<OutputFile, Diagnostic> {
        let count = parts.len().max(1);
        let url = part_url(base, number);
        let site = self.site_view(&url);
        let root = site.root.clone();
        let ui = self.ui();
        let heading = if count > 1 {
            ui.fill("part_of", &[("title", label), ("n", &number.to_string()), ("m", &count.to_string())])
        } else {
            label.to_string()
        };
        let mut view = PrintPage {
            page_title: format!("{} · {}", ui.fill("print_title", &[("title", &heading)]), self.opts.config.title),
            heading,
            index,
            docs: chunk
                .iter()
                .zip(anchors(chunk))
                .map(|(d, anchor)| PrintDoc { doc: DocRef::new(d, self.ui()), body: String::new(), anchor })
                .collect(),
            parts: parts.to_vec(),
            part: number,
            site,
        };
        let fill = |view: &mut PrintPage<'a>| {
            for (p, d) in view.docs.iter_mut().zip(chunk) {
                // A broken link's written path means nothing here: its text stays, unlinked.
                let body = Self::fill_links_keeping(d, &d.doc.html, &root, false);
                p.body = prefix_ids(&body, &format!("{}-", p.anchor), &p.anchor);
            }
        };
        let path = format!("{url}index.html");
        if self.memo.off {
            self.memo.count();
            fill(&mut view);
            return Ok(OutputFile::Bytes { bytes: self.tera("print.html", &view)?, path });
        }
        // As for a document page: the view without the bodies, and what the bodies are made
        // of, so that `serve` builds the bodies again only when one of them changed.
        let bodies: Vec<_> = chunk.iter().map(|d| (d.doc.body_hash, &d.link_targets, &d.mention_targets)).collect();
        let key = self.memo_key("print.html", &view, crate::fx_hash(&bodies));
        let bytes = self.memoised(&path, key, || {
            fill(&mut view);
            self.tera("print.html", &view)
        })?;
        Ok(OutputFile::Bytes { bytes, path })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_and_in_page_links_get_the_prefix() {
        let html = r##"<h2 id="context">Context</h2><p><a href="#context">up</a> <a href="../x/#context">there</a> <a href="#gone">gone</a> <code>id="no"</code></p>"##;
        assert_eq!(
            prefix_ids(html, "doc-adr-1-", "doc-adr-1"),
            r##"<h2 id="doc-adr-1-context">Context</h2><p><a href="#doc-adr-1-context">up</a> <a href="../x/#context">there</a> <a href="#doc-adr-1">gone</a> <code>id="no"</code></p>"##
        );
        assert_eq!(part_url("log/", 1), "log/print/");
        assert_eq!(part_url("log/", 3), "log/print/3/");
    }
}
