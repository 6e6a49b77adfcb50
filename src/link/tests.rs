//! Unit tests of the link stage.

use super::*;
use crate::model::{Heading, RawLink, RawMention, RawRelation};

fn doc(source: &str, id: &str, kind: Kind) -> Doc {
    Doc {
        source: source.into(),
        kind,
        collection: None,
        is_template: false,
        id: id.into(),
        path_id: source.trim_end_matches(".md").into(),
        number: split_id(id).map(|(_, n)| n),
        title: format!("Title of {id}"),
        title_id: None,
        status: Status::Accepted,
        status_raw: None,
        date: None,
        date_source: None,
        updated: None,
        contributors: vec![],
        history: Vec::new(),
        authors: vec![],
        tags: vec![],
        meta: vec![],
        relations: vec![],
        links: vec![],
        mentions: vec![],
        headings: vec![Heading { level: 2, id: "context".into(), text: "Context".into() }],
        anchors: vec![],
        placeholders: vec![],
        open_tbd: None,
        title_line: 1,
        html: "".into(),
        text: "".into(),
        body_hash: 0,
        diagnostics: vec![],
    }
}

fn rel(kind: RelKind, target: Target) -> RawRelation {
    RawRelation { kind, verb: String::new(), target, line: 4, col: 2 }
}

fn link_href(href: &str) -> RawLink {
    RawLink { href: href.into(), line: 3, col: 5, image: false, wiki: false }
}

fn run(docs: Vec<Doc>, files: &BTreeSet<String>, reserved: &[Reserved<'_>]) -> (Site, Vec<Diagnostic>) {
    link(
        docs,
        &Options { files, reserved, broken_links: Level::Error, repo: None, collection_pages: &[], root_prefix: None },
    )
}

fn codes(d: &[Diagnostic]) -> Vec<(Code, &str, u32, u32)> {
    d.iter().map(|x| (x.code, x.path.as_str(), x.line, x.col)).collect()
}

#[test]
fn urls() {
    let srcs: HashMap<&str, usize> =
        [("a/index.md", 0), ("a/README.md", 1), ("b/README.md", 2), ("c.md", 3), ("README.md", 4)]
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
    let mut c = doc("adr/0003-c.md", "ADR-0003", Kind::Adr);
    a.relations.push(rel(RelKind::SupersededBy, Target::Path("0002-b.md".into())));
    b.relations.push(rel(RelKind::Amends, Target::Id("ADR 3".into())));
    b.relations.push(rel(RelKind::Related, Target::Id("1. A".into())));
    c.relations.push(rel(RelKind::SupersededBy, Target::Id("ADR-0004".into())));
    let (site, diags) = run(vec![c, b, a], &BTreeSet::new(), &[]);
    assert_eq!(codes(&diags), [(Code::UnknownId, "adr/0003-c.md", 4, 2)]);
    let a = site.get("ADR-0001").unwrap();
    let b = site.get("ADR-0002").unwrap();
    let c = site.get("ADR-0003").unwrap();
    assert_eq!(a.doc.status, Status::Superseded);
    assert_eq!(b.supersedes, ["ADR-0001"]);
    assert_eq!(b.amends, ["ADR-0003"]);
    assert_eq!(c.amended_by, ["ADR-0002"]);
    assert_eq!(a.related[0].id, "ADR-0002");
    assert_eq!(a.backlinks, ["ADR-0002"]);
    assert_eq!(a.backlink_details[0].how, "relates to it");
    assert_eq!(c.backlinks, ["ADR-0002"]);
    assert_eq!(b.references, ["ADR-0001", "ADR-0003"]);
    assert_eq!(b.doc.status, Status::Accepted);
}

#[test]
fn chains_lead_to_the_newest() {
    let mut a = doc("adr/0001-a.md", "ADR-0001", Kind::Adr);
    let mut b = doc("adr/0002-b.md", "ADR-0002", Kind::Adr);
    let c = doc("adr/0003-c.md", "ADR-0003", Kind::Adr);
    a.relations.push(rel(RelKind::SupersededBy, Target::Id("ADR-0002".into())));
    b.relations.push(rel(RelKind::SupersededBy, Target::Id("ADR-0003".into())));
    let (site, diags) = run(vec![a, b, c], &BTreeSet::new(), &[]);
    assert!(diags.is_empty());
    assert_eq!(site.get("ADR-0001").unwrap().newest, ["ADR-0003"]);
    assert_eq!(site.get("ADR-0001").unwrap().superseded_by, ["ADR-0002"]);
    assert!(site.get("ADR-0003").unwrap().newest.is_empty());
}

#[test]
fn conflicting_sides_warn_and_cycles_are_errors() {
    let mut a = doc("adr/0001-a.md", "ADR-0001", Kind::Adr);
    let mut b = doc("adr/0002-b.md", "ADR-0002", Kind::Adr);
    let c = doc("adr/0003-c.md", "ADR-0003", Kind::Adr);
    a.relations.push(rel(RelKind::SupersededBy, Target::Id("ADR-0002".into())));
    b.relations.push(rel(RelKind::Supersedes, Target::Id("ADR-0003".into())));
    let (_, diags) = run(vec![a, b, c], &BTreeSet::new(), &[]);
    assert_eq!(codes(&diags), [(Code::RelationConflict, "adr/0001-a.md", 4, 2)]);
    assert!(diags[0].message.contains("`ADR-0002` says it supersedes `ADR-0003`"), "{}", diags[0].message);

    let mut x = doc("adr/0001-x.md", "ADR-0001", Kind::Adr);
    let mut y = doc("adr/0002-y.md", "ADR-0002", Kind::Adr);
    let mut z = doc("adr/0003-z.md", "ADR-0003", Kind::Adr);
    x.relations.push(rel(RelKind::Supersedes, Target::Id("ADR-0002".into())));
    y.relations.push(rel(RelKind::Supersedes, Target::Id("ADR-0003".into())));
    z.relations.push(rel(RelKind::Supersedes, Target::Id("ADR-0001".into())));
    let (_, diags) = run(vec![x, y, z], &BTreeSet::new(), &[]);
    assert_eq!(codes(&diags), [(Code::SupersedeCycle, "adr/0001-x.md", 1, 1)]);
    assert_eq!(
        diags[0].message,
        "supersede cycle: ADR-0001 supersedes ADR-0002 supersedes ADR-0003 supersedes ADR-0001"
    );
    assert!(diags[0].is_error());
}

#[test]
fn duplicate_ids_and_url_collisions() {
    let a = doc("adr/0001-a.md", "ADR-0001", Kind::Adr);
    let b = doc("adr/0001-b.md", "ADR-0001", Kind::Adr);
    let x = doc("x.md", "x", Kind::Page);
    let xi = doc("x/index.md", "x/index", Kind::Page);
    let s = doc("search.md", "search", Kind::Page);
    let (site, diags) = run(vec![b, a, x, xi, s], &BTreeSet::new(), &[Reserved { url: "search/", name: "search" }]);
    let got: Vec<_> = diags.iter().map(|d| (d.code, d.path.as_str())).collect();
    assert_eq!(
        got,
        [(Code::UrlCollision, "search.md"), (Code::UrlCollision, "x/index.md"), (Code::DuplicateId, "adr/0001-b.md")]
    );
    assert_eq!(site.get("ADR-0001").unwrap().doc.source, "adr/0001-a.md");
    assert!(site.get("adr/0001-b").is_some());
}

#[test]
fn links_resolve_to_pages_files_and_fragments() {
    let mut a = doc("docs/adr/0001-a.md", "ADR-0001", Kind::Adr);
    a.links = vec![
        link_href("../design/search.md#context"),
        link_href("fig%201.png"),
        link_href("#context"),
        link_href("../design/"),
        link_href("missing.md"),
        link_href("../../../outside.md"),
        link_href("../design/search.md#nope"),
        link_href("../design/serach.md"),
    ];
    a.links.push(RawLink { href: "search".into(), line: 9, col: 1, image: false, wiki: true });
    a.links.push(RawLink { href: "ADR-0009".into(), line: 10, col: 1, image: false, wiki: true });
    a.mentions.push(RawMention { text: "ADR 1".into(), line: 11, col: 3 });
    a.mentions.push(RawMention { text: "ADR-0042".into(), line: 12, col: 3 });
    let d = doc("docs/design/search.md", "docs/design/search", Kind::Design);
    let r = doc("docs/design/README.md", "docs/design/README", Kind::Page);
    let files: BTreeSet<String> = ["docs/adr/fig 1.png".to_string()].into();
    let (site, diags) = run(vec![a, d, r], &files, &[]);
    let a = site.get("ADR-0001").unwrap();
    use LinkTarget::*;
    assert_eq!(
        a.link_targets,
        [
            Site("docs/design/search/#context".into()),
            Site("docs/adr/fig 1.png".into()),
            Site("#context".into()),
            Site("docs/design/".into()),
            AsWritten,
            AsWritten,
            Site("docs/design/search/#nope".into()),
            AsWritten,
            Site("docs/design/search/".into()),
            AsWritten,
        ]
    );
    assert_eq!(a.mention_targets, [Some(("docs/adr/0001-a/".into(), "Title of ADR-0001".into())), None]);
    assert_eq!(site.assets, ["docs/adr/fig 1.png"]);
    assert_eq!(a.references, ["docs/design/README", "docs/design/search"]);
    assert_eq!(
        codes(&diags),
        [
            (Code::BrokenLink, "docs/adr/0001-a.md", 3, 5),
            (Code::BrokenAnchor, "docs/adr/0001-a.md", 3, 5),
            (Code::BrokenLink, "docs/adr/0001-a.md", 3, 5),
            (Code::DanglingWikiLink, "docs/adr/0001-a.md", 10, 1),
            (Code::UnknownId, "docs/adr/0001-a.md", 12, 3),
        ]
    );
    assert_eq!(
        diags[2].help.as_deref(),
        Some("did you mean `../design/search.md`? Links are relative to this file's folder")
    );
}

#[test]
fn outside_links_go_to_the_repository_and_broken_links_can_warn() {
    let mut a = doc("adr/0001-a.md", "ADR-0001", Kind::Adr);
    a.links = vec![link_href("../../src/main.rs#L3"), link_href("missing.md")];
    let repo = RepoLinks { repo_url: "https://github.com/o/r".into(), prefix: "docs/kb".into() };
    let files = BTreeSet::new();
    let (site, diags) = link(
        vec![a],
        &Options {
            files: &files,
            reserved: &[],
            broken_links: Level::Warn,
            repo: Some(&repo),
            collection_pages: &[],
            root_prefix: None,
        },
    );
    assert_eq!(
        site.docs[0].link_targets[0],
        LinkTarget::External("https://github.com/o/r/blob/HEAD/docs/src/main.rs#L3".into())
    );
    assert_eq!(codes(&diags), [(Code::BrokenLink, "adr/0001-a.md", 3, 5)]);
    assert!(!diags[0].is_error());
}

#[test]
fn templates_are_not_checked() {
    let mut t = doc("adr/template.md", "adr/template", Kind::Page);
    t.is_template = true;
    t.links = vec![link_href("NNNN-title.md")];
    t.mentions.push(RawMention { text: "ADR-9999".into(), line: 1, col: 1 });
    let (_, diags) = run(vec![t], &BTreeSet::new(), &[]);
    assert!(diags.is_empty());
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
    assert_eq!(relative_path("docs/adr", "docs/design/x.md"), "../design/x.md");
}

#[test]
fn swap_body_matches_a_full_link_and_refuses_edits_that_change_links() {
    let mut a = doc("adr/0001-a.md", "ADR-0001", Kind::Adr);
    a.relations.push(rel(RelKind::SupersededBy, Target::Id("ADR-0002".into())));
    a.links.push(link_href("0002-b.md"));
    a.date = Some("2026-01-02".into());
    a.date_source = Some("git");
    a.contributors = vec!["Ana".into()];
    let mut b = doc("adr/0002-b.md", "ADR-0002", Kind::Adr);
    b.relations.push(rel(RelKind::Supersedes, Target::Id("ADR-0001".into())));
    let files = BTreeSet::new();
    let (mut site, _) = run(vec![a.clone(), b.clone()], &files, &[]);

    // A new parse of `a` with another body: no git date (git is read after parsing).
    let mut edited = a.clone();
    edited.html = "<p>new words</p>".into();
    edited.body_hash = 7;
    edited.date = None;
    edited.date_source = None;
    edited.contributors = vec![];
    let i = swap_body(&mut site, edited.clone()).expect("a body edit swaps");
    let mut fresh = edited.clone();
    fresh.date = a.date.clone();
    fresh.date_source = a.date_source;
    fresh.contributors = a.contributors.clone();
    let (full, _) = run(vec![fresh, b.clone()], &files, &[]);
    let (s, f) = (&site.docs[i], &full.docs[i]);
    assert_eq!(&*s.doc.html, "<p>new words</p>");
    assert_eq!(
        (&s.url, &s.link_targets, &s.superseded_by, &s.backlinks),
        (&f.url, &f.link_targets, &f.superseded_by, &f.backlinks)
    );
    assert_eq!((s.doc.status, &s.doc.date, &s.doc.contributors), (f.doc.status, &f.doc.date, &f.doc.contributors));
    assert_eq!(s.doc.status, Status::Superseded);

    // Edits that change what linking reads need the full link.
    let mut new_link = edited.clone();
    new_link.links.push(link_href("0003-c.md"));
    assert!(swap_body(&mut site, new_link).is_none());
    // A new title shows on the page itself; the pages that mention it follow in the full link.
    let mut new_title = edited.clone();
    new_title.title = "Renamed".into();
    assert!(swap_body(&mut site, new_title).is_some());
    assert_eq!(site.docs[i].doc.title, "Renamed");
    // Unless the document mentions itself: that mention shows the title.
    let mut c = doc("adr/0003-c.md", "ADR-0003", Kind::Adr);
    c.mentions.push(RawMention { text: "ADR-0003".into(), line: 5, col: 1 });
    let (mut site_c, _) = run(vec![c.clone()], &files, &[]);
    let mut c_title = c.clone();
    c_title.title = "Renamed".into();
    assert!(swap_body(&mut site_c, c_title).is_none());
    let mut c_body = c.clone();
    c_body.html = "<p>other words</p>".into();
    assert!(swap_body(&mut site_c, c_body).is_some());
    let mut new_mention = edited.clone();
    new_mention.mentions.push(RawMention { text: "ADR-0002".into(), line: 9, col: 1 });
    assert!(swap_body(&mut site, new_mention).is_none());
    assert!(swap_body(&mut site, doc("adr/0009-new.md", "ADR-0009", Kind::Adr)).is_none(), "a new file");
}

#[test]
fn root_relative_links_and_anchors_in_another_case() {
    let mut a = doc("adr/0001-a.md", "ADR-0001", Kind::Adr);
    a.links = ["/docs/kb/adr/0002-b.md#CONTEXT", "/docs/kb/img/f.png", "/src/main.rs", "#Context", "/docs/kb/adr/9.md"]
        .into_iter()
        .map(link_href)
        .collect();
    let b = doc("adr/0002-b.md", "ADR-0002", Kind::Adr);
    let files: BTreeSet<String> = ["img/f.png".to_string()].into();
    let opts = |repo| Options {
        files: &files,
        reserved: &[],
        broken_links: Level::Error,
        repo,
        collection_pages: &[],
        root_prefix: Some("docs/kb"),
    };
    let (site, diags) = link(vec![a.clone(), b.clone()], &opts(None));
    use LinkTarget::*;
    assert_eq!(
        site.get("ADR-0001").unwrap().link_targets,
        [Site("adr/0002-b/#context".into()), Site("img/f.png".into()), Unlinked, Site("#context".into()), AsWritten]
    );
    assert_eq!(site.assets, ["img/f.png"]);
    assert_eq!(site.outside_links, 1);
    assert_eq!(codes(&diags), [(Code::BrokenLink, "adr/0001-a.md", 3, 5)]);
    let repo = RepoLinks { repo_url: "https://github.com/o/r".into(), prefix: "docs/kb".into() };
    let (site, _) = link(vec![a, b], &opts(Some(&repo)));
    assert_eq!(
        site.get("ADR-0001").unwrap().link_targets[2],
        External("https://github.com/o/r/blob/HEAD/src/main.rs".into())
    );
}
