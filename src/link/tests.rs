//! Unit tests of the link stage.

use super::*;
use crate::model::{RawLink, RawRelation};

fn doc(source: &str, id: &str, kind: Kind) -> Doc {
    Doc {
        source: source.into(),
        kind,
        collection: None,
        is_template: false,
        id: id.into(),
        path_id: source.trim_end_matches(".md").into(),
        number: split_id(id).map(|(_, n)| n),
        title: source.into(),
        title_id: None,
        status: Status::Accepted,
        status_raw: None,
        date: None,
        authors: vec![],
        tags: vec![],
        meta: vec![],
        relations: vec![],
        links: vec![],
        headings: vec![],
        html: String::new(),
        text: String::new(),
        diagnostics: vec![],
    }
}

fn rel(kind: RelKind, target: Target) -> RawRelation {
    RawRelation {
        kind,
        verb: String::new(),
        target,
        line: 1,
        col: 1,
    }
}

fn link_href(href: &str) -> RawLink {
    RawLink {
        href: href.into(),
        line: 1,
        col: 1,
        image: false,
    }
}

#[test]
fn urls() {
    let srcs: HashMap<&str, usize> = [
        ("a/index.md", 0),
        ("a/README.md", 1),
        ("b/README.md", 2),
        ("c.md", 3),
        ("README.md", 4),
    ]
    .into_iter()
    .collect();
    assert_eq!(url_for("a/index.md", &srcs), "a/");
    assert_eq!(url_for("a/README.md", &srcs), "a/README/");
    assert_eq!(url_for("b/README.md", &srcs), "b/");
    assert_eq!(url_for("c.md", &srcs), "c/");
    assert_eq!(url_for("README.md", &srcs), "");
}

#[test]
fn relations_inverses_and_superseded_status() {
    let mut a = doc("adr/0001-a.md", "ADR-0001", Kind::Adr);
    let mut b = doc("adr/0002-b.md", "ADR-0002", Kind::Adr);
    let c = doc("adr/0003-c.md", "ADR-0003", Kind::Adr);
    a.relations
        .push(rel(RelKind::SupersededBy, Target::Path("0002-b.md".into())));
    b.relations
        .push(rel(RelKind::Amends, Target::Id("ADR 3".into())));
    b.relations
        .push(rel(RelKind::Related, Target::Id("1. A".into())));
    let (site, diags) = link(vec![c, b, a], &BTreeSet::new(), &[]);
    assert!(diags.is_empty());
    let a = site.get("ADR-0001").unwrap();
    let b = site.get("ADR-0002").unwrap();
    let c = site.get("ADR-0003").unwrap();
    assert_eq!(a.doc.status, Status::Superseded);
    assert_eq!(b.supersedes, ["ADR-0001"]);
    assert_eq!(b.amends, ["ADR-0003"]);
    assert_eq!(c.amended_by, ["ADR-0002"]);
    assert_eq!(a.related[0].id, "ADR-0002");
    assert_eq!(a.backlinks, ["ADR-0002"]);
    assert_eq!(c.backlinks, ["ADR-0002"]);
    assert_eq!(b.references, ["ADR-0001", "ADR-0003"]);
    assert_eq!(b.doc.status, Status::Accepted);
}

#[test]
fn duplicate_ids_and_url_collisions() {
    let a = doc("adr/0001-a.md", "ADR-0001", Kind::Adr);
    let b = doc("adr/0001-b.md", "ADR-0001", Kind::Adr);
    let x = doc("x.md", "x", Kind::Page);
    let xi = doc("x/index.md", "x/index", Kind::Page);
    let s = doc("search.md", "search", Kind::Page);
    let (site, diags) = link(
        vec![b, a, x, xi, s],
        &BTreeSet::new(),
        &[Reserved {
            url: "search/",
            name: "search",
        }],
    );
    let got: Vec<_> = diags.iter().map(|d| (d.code, d.path.as_str())).collect();
    assert_eq!(
        got,
        [
            (Code::UrlCollision, "search.md"),
            (Code::UrlCollision, "x/index.md"),
            (Code::DuplicateId, "adr/0001-b.md")
        ]
    );
    assert_eq!(site.get("ADR-0001").unwrap().doc.source, "adr/0001-a.md");
    assert!(site.get("adr/0001-b").is_some());
}

#[test]
fn links_resolve_to_pages_files_and_fragments() {
    let mut a = doc("docs/adr/0001-a.md", "ADR-0001", Kind::Adr);
    a.links = vec![
        link_href("../design/search.md#goals"),
        link_href("fig%201.png"),
        link_href("#context"),
        link_href("../design/"),
        link_href("missing.md"),
        link_href("../../../outside.md"),
    ];
    let d = doc("docs/design/search.md", "docs/design/search", Kind::Design);
    let r = doc("docs/design/README.md", "docs/design/README", Kind::Page);
    let files: BTreeSet<String> = ["docs/adr/fig 1.png".to_string()].into();
    let (site, _) = link(vec![a, d, r], &files, &[]);
    let a = site.get("ADR-0001").unwrap();
    assert_eq!(
        a.link_targets,
        [
            Some("docs/design/search/#goals".to_string()),
            Some("docs/adr/fig 1.png".to_string()),
            Some("docs/adr/0001-a/#context".to_string()),
            Some("docs/design/".to_string()),
            None,
            None
        ]
    );
    assert_eq!(site.assets, ["docs/adr/fig 1.png"]);
    assert_eq!(a.references, ["docs/design/README", "docs/design/search"]);
}

#[test]
fn id_forms() {
    assert_eq!(split_id("ADR-0012"), Some(("ADR", 12)));
    assert_eq!(split_id("adr 12"), Some(("adr", 12)));
    assert_eq!(split_id("RFC0042"), Some(("RFC", 42)));
    assert_eq!(split_id("ADR-12x"), None);
    assert_eq!(split_id("12"), None);
    assert_eq!(normalize("a/b/../c/./d.md"), Some("a/c/d.md".into()));
    assert_eq!(normalize("a/../../x"), None);
}
