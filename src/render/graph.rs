//! The relation graph, laid out at build time as an arc diagram in SVG (no JavaScript needed):
//! documents in a column, ordered by number and date, with relations as arcs. Cheap for any
//! size (linear in nodes and edges) and readable, because every node keeps its title as a label.

use super::strings::Ui;
use super::view::DocRef;
use crate::model::{Kind, LinkedDoc, Site};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;

/// How two documents are joined.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EdgeKind {
    Supersedes,
    Amends,
    Related,
    References,
}

impl EdgeKind {
    fn class(self) -> &'static str {
        match self {
            EdgeKind::Supersedes => "edge-supersedes",
            EdgeKind::Amends => "edge-amends",
            EdgeKind::Related => "edge-related",
            EdgeKind::References => "edge-references",
        }
    }
}

impl EdgeKind {
    /// The relation as read from its first document ("ADR-2 supersedes ADR-1"), in `ui`'s
    /// language.
    fn verb<'a>(self, ui: Ui<'a>) -> Cow<'a, str> {
        ui.get(match self {
            EdgeKind::Supersedes => "legend_supersedes",
            EdgeKind::Amends => "legend_amends",
            EdgeKind::Related => "verb_relates",
            EdgeKind::References => "legend_references",
        })
    }
}

/// A document of the graph as a row of its list view (shown instead of the diagram on narrow
/// screens): the document and the documents it links to.
#[derive(Serialize)]
pub struct ListRow<'a> {
    pub doc: DocRef<'a>,
    pub links: Vec<ListLink<'a>>,
}

#[derive(Serialize)]
pub struct ListLink<'a> {
    pub verb: Cow<'a, str>,
    pub doc: DocRef<'a>,
}

/// The graph as a list: every node in the diagram's order, each with its outgoing arcs.
pub fn list<'a>(nodes: &[&'a LinkedDoc], edges: &[(usize, usize, EdgeKind)], ui: Ui<'a>) -> Vec<ListRow<'a>> {
    let mut rows: Vec<ListRow<'a>> =
        nodes.iter().map(|d| ListRow { doc: DocRef::new(d, ui), links: Vec::new() }).collect();
    for &(a, b, kind) in edges {
        rows[a].links.push(ListLink { verb: kind.verb(ui), doc: DocRef::new(nodes[b], ui) });
    }
    rows
}

const ROW: usize = 26;
const TOP: usize = 18;
/// Where the node column stands in the full graph (arcs bend to its left).
const AXIS: usize = 300;
/// The same for the small per-page graph.
const LOCAL_AXIS: usize = 110;
/// Longest label, in characters.
const LABEL: usize = 90;

fn esc(s: &str) -> String {
    crate::parse::markdown::escape_attr(s)
}

/// The documents of the graph, in display order: decisions by number (then date), then designs
/// by title. `with_designs` adds the design docs and their references.
pub fn nodes(site: &Site, with_designs: bool) -> Vec<&LinkedDoc> {
    let mut v: Vec<&LinkedDoc> = site
        .docs
        .iter()
        .filter(|d| !d.doc.is_template && (d.doc.kind == Kind::Adr || (with_designs && d.doc.kind == Kind::Design)))
        .collect();
    v.sort_by(|a, b| {
        (a.doc.kind, a.doc.number.is_none(), a.doc.number, &a.doc.date, a.doc.title.to_lowercase()).cmp(&(
            b.doc.kind,
            b.doc.number.is_none(),
            b.doc.number,
            &b.doc.date,
            b.doc.title.to_lowercase(),
        ))
    });
    v
}

/// The edges among `nodes`: relations always, references (links and mentions) when asked.
pub fn edges(nodes: &[&LinkedDoc], references: bool) -> Vec<(usize, usize, EdgeKind)> {
    let pos: HashMap<&str, usize> = nodes.iter().enumerate().map(|(i, d)| (d.id.as_str(), i)).collect();
    let mut out = Vec::new();
    for (i, d) in nodes.iter().enumerate() {
        let mut push = |ids: &[String], kind: EdgeKind| {
            for id in ids {
                if let Some(&j) = pos.get(id.as_str())
                    && j != i
                {
                    out.push((i, j, kind));
                }
            }
        };
        push(&d.supersedes, EdgeKind::Supersedes);
        push(&d.amends, EdgeKind::Amends);
        let related: Vec<String> = d.related.iter().filter(|r| r.id > d.id).map(|r| r.id.clone()).collect();
        push(&related, EdgeKind::Related);
        if references {
            let plain: Vec<String> = d
                .references
                .iter()
                .filter(|r| {
                    !d.supersedes.contains(r)
                        && !d.superseded_by.contains(r)
                        && !d.amends.contains(r)
                        && !d.amended_by.contains(r)
                })
                .filter(|r| !d.related.iter().any(|x| &x.id == *r))
                .cloned()
                .collect();
            push(&plain, EdgeKind::References);
        }
    }
    out.sort();
    out.dedup();
    out
}

/// The arc diagram as an inline SVG. Node labels link to the pages (`root` + URL).
/// Its titles are in `ui`'s language.
pub fn svg(nodes: &[&LinkedDoc], edges: &[(usize, usize, EdgeKind)], root: &str, label: &str, ui: Ui<'_>) -> String {
    draw(nodes, edges, (root, label), AXIS, ui)
}

fn draw(nodes: &[&LinkedDoc], edges: &[Edge], (root, label): (&str, &str), axis: usize, ui: Ui<'_>) -> String {
    let height = TOP * 2 + nodes.len().max(1) * ROW;
    let width = axis + 8 * LABEL;
    let mut s = String::with_capacity(256 + nodes.len() * 300 + edges.len() * 120);
    let _ = write!(
        s,
        "<svg class=\"graph\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"group\" aria-label=\"{}\">",
        esc(label)
    );
    let y = |i: usize| TOP + i * ROW + ROW / 2;
    s.push_str("<g class=\"edges\" fill=\"none\">");
    for &(a, b, kind) in edges {
        let (y1, y2) = (y(a), y(b));
        let bend = ((y1.abs_diff(y2)) / 2).clamp(12, axis - 16);
        let _ = write!(
            s,
            "<path class=\"edge {}\" d=\"M{axis} {y1} C{} {y1} {} {y2} {axis} {y2}\"><title>{} {} {}</title></path>",
            kind.class(),
            axis - bend,
            axis - bend,
            esc(&nodes[a].id),
            esc(&kind.verb(ui)),
            esc(&nodes[b].id)
        );
    }
    s.push_str("</g><g class=\"nodes\">");
    for (i, d) in nodes.iter().enumerate() {
        let yy = y(i);
        let id = if d.id != d.doc.path_id { format!("{} ", d.id) } else { String::new() };
        let _ = write!(
            s,
            "<a class=\"node kind-{} status-{}\" href=\"{}{}\"><circle cx=\"{axis}\" cy=\"{yy}\" r=\"6\"/><text x=\"{}\" y=\"{}\">{}{}</text><title>{} · {}</title></a>",
            d.doc.kind.as_str(),
            d.doc.status.as_str(),
            esc(root),
            esc(&super::url::encode_path(&d.url)),
            axis + 14,
            yy + 5,
            esc(&id),
            esc(&shorten(&d.doc.title)),
            // The status's key on an English page (as before), its name on another.
            esc(&if ui.translates() { ui.status(d.doc.status) } else { Cow::Borrowed(d.doc.status.as_str()) }),
            esc(&ui.kind(d.doc.kind, false))
        );
    }
    s.push_str("</g></svg>");
    s
}

/// The small graph on a document page: the document and its direct neighbours.
pub fn local(site: &Site, d: &LinkedDoc, root: &str, ui: Ui<'_>) -> Option<String> {
    let (nodes, edges) = local_graph(site, d)?;
    let label = ui.fill("related_to_title", &[("title", &d.doc.title)]);
    Some(draw(&nodes, &edges, (root, &label), LOCAL_AXIS, ui))
}

/// A hash of everything `local` draws (for the page memo of `serve`: drawing is a good part
/// of a document page, and its inputs hash in a fraction of the time).
pub fn local_key(site: &Site, d: &LinkedDoc) -> u64 {
    let Some((nodes, edges)) = local_graph(site, d) else { return 0 };
    let drawn: Vec<_> = nodes
        .iter()
        .map(|n| (&n.id, &n.url, &n.doc.path_id, &n.doc.title, n.doc.kind, n.doc.status.as_str()))
        .collect();
    crate::fx_hash(&(drawn, edges))
}

/// An edge: from node, to node, kind.
type Edge = (usize, usize, EdgeKind);

/// The nodes (the document first) and edges of the local graph; `None` without neighbours.
fn local_graph<'a>(site: &'a Site, d: &'a LinkedDoc) -> Option<(Vec<&'a LinkedDoc>, Vec<Edge>)> {
    let mut ids: Vec<&str> = d
        .supersedes
        .iter()
        .chain(&d.superseded_by)
        .chain(&d.amends)
        .chain(&d.amended_by)
        .chain(d.related.iter().map(|r| &r.id))
        .chain(&d.references)
        .chain(&d.backlinks)
        .map(String::as_str)
        .collect();
    ids.sort();
    ids.dedup();
    ids.retain(|id| *id != d.id);
    if ids.is_empty() {
        return None;
    }
    let mut neighbours: Vec<&LinkedDoc> = ids.iter().filter_map(|id| site.get(id)).collect();
    neighbours.truncate(12);
    let mut nodes: Vec<&LinkedDoc> = vec![d];
    nodes.extend(neighbours);
    let mut edges: Vec<(usize, usize, EdgeKind)> = Vec::new();
    for (j, n) in nodes.iter().enumerate().skip(1) {
        let kind = if d.supersedes.contains(&n.id) || d.superseded_by.contains(&n.id) {
            EdgeKind::Supersedes
        } else if d.amends.contains(&n.id) || d.amended_by.contains(&n.id) {
            EdgeKind::Amends
        } else if d.related.iter().any(|r| r.id == n.id) {
            EdgeKind::Related
        } else {
            EdgeKind::References
        };
        edges.push((0, j, kind));
    }
    Some((nodes, edges))
}

/// A label cut to `LABEL` characters.
fn shorten(title: &str) -> String {
    if title.chars().count() <= LABEL {
        return title.to_string();
    }
    let cut: String = title.chars().take(LABEL - 1).collect();
    format!("{}\u{2026}", cut.trim_end())
}
