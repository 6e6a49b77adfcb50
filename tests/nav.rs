//! Finding your way around a built site: breadcrumbs, previous/next within a collection (and
//! `<link rel>`), the home page of a site without a README, and that no page links to a page
//! that was not written.

mod common;
use common::*;
use scraper::{Html, Selector};

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn page(b: &Built, rel: &str) -> Html {
    Html::parse_document(&b.read(rel))
}

fn texts(h: &Html, s: &str) -> Vec<String> {
    h.select(&sel(s))
        .map(|e| e.text().collect::<Vec<_>>().join(" ").split_whitespace().collect::<Vec<_>>().join(" "))
        .collect()
}

fn attrs(h: &Html, s: &str, attr: &str) -> Vec<String> {
    h.select(&sel(s)).filter_map(|e| e.value().attr(attr).map(String::from)).collect()
}

fn nav_fixture(name: &str) -> Built {
    let b = build(&fixture("nav").join(name), &[]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    b
}

#[test]
fn a_decision_has_breadcrumbs_home_decisions_and_its_id() {
    let b = nav_fixture("full");
    let p = page(&b, "adr/0002-use-postgres/index.html");
    assert_eq!(texts(&p, ".crumbs li"), ["Home", "Decisions", "ADR-0002"]);
    assert_eq!(attrs(&p, ".crumbs a", "href"), ["../../", "../../log/"]);
    assert_eq!(texts(&p, ".crumbs [aria-current=page]"), ["ADR-0002"]);
    let d = page(&b, "design/alpha-search/index.html");
    assert_eq!(texts(&d, ".crumbs li"), ["Home", "Design docs", "Alpha search"]);
    assert_eq!(attrs(&d, ".crumbs a", "href"), ["../../", "../../designs/"]);
}

#[test]
fn previous_and_next_follow_the_number_not_the_file_name() {
    let b = nav_fixture("full");
    // 1, 2, 10: by number (0010 would sort first as text "10." against "2.").
    let first = page(&b, "adr/0001-record-decisions/index.html");
    assert!(attrs(&first, "link[rel=prev]", "href").is_empty());
    assert!(first.select(&sel(".pager-prev")).next().is_none());
    assert_eq!(attrs(&first, "link[rel=next]", "href"), ["../../adr/0002-use-postgres/"]);
    let mid = page(&b, "adr/0002-use-postgres/index.html");
    assert_eq!(attrs(&mid, "link[rel=prev]", "href"), ["../../adr/0001-record-decisions/"]);
    assert_eq!(attrs(&mid, "link[rel=next]", "href"), ["../../adr/0010-adopt-queues/"]);
    assert_eq!(texts(&mid, ".pager-prev"), ["Previous ADR-0001 Record architecture decisions"]);
    assert_eq!(texts(&mid, ".pager-next"), ["Next ADR-0010 Adopt queues"]);
    let last = page(&b, "adr/0010-adopt-queues/index.html");
    assert!(attrs(&last, "link[rel=next]", "href").is_empty());
    assert!(last.select(&sel(".pager-next")).next().is_none());
}

#[test]
fn design_docs_without_numbers_go_by_date_then_title_and_never_cross_into_decisions() {
    let b = nav_fixture("full");
    // Zebra cache (2024-01-05) → Alpha search (2024-04-20) → Beta notes (no date).
    let z = page(&b, "design/zebra-cache/index.html");
    assert!(attrs(&z, "link[rel=prev]", "href").is_empty(), "the first design doc has no previous decision");
    assert_eq!(attrs(&z, "link[rel=next]", "href"), ["../../design/alpha-search/"]);
    let a = page(&b, "design/alpha-search/index.html");
    assert_eq!(attrs(&a, ".pager a", "href"), ["../../design/zebra-cache/", "../../design/undated-notes/"]);
    let n = page(&b, "design/undated-notes/index.html");
    assert_eq!(attrs(&n, "link[rel=prev]", "href"), ["../../design/alpha-search/"]);
    assert!(attrs(&n, "link[rel=next]", "href").is_empty());
}

/// The `href`/`src` of every element of `html`, with whether it is in a document's body;
/// `<noscript>` content (raw text to the parser) is parsed too.
fn links_of(html: &Html, in_body: bool, out: &mut Vec<(String, bool)>) {
    let body = sel(".doc-content [href], .doc-content [src]");
    let body_links: Vec<_> = html.select(&body).map(|e| e.id()).collect();
    for e in html.select(&sel("[href], [src]")) {
        if let Some(link) = e.value().attr("href").or_else(|| e.value().attr("src")) {
            out.push((link.to_string(), in_body || body_links.contains(&e.id())));
        }
    }
    for n in html.select(&sel("noscript")) {
        links_of(&Html::parse_fragment(&n.text().collect::<String>()), in_body, out);
    }
}

/// Where `link` on the page `rel` points inside `out`, `..` resolved; `None` for external links.
fn target_of(out: &std::path::Path, rel: &str, link: &str) -> Option<std::path::PathBuf> {
    let path = link.split(['#', '?']).next().unwrap_or("");
    if path.is_empty() || path.contains(':') || path.starts_with("//") {
        return None;
    }
    let dir = std::path::Path::new(rel).parent().unwrap_or(std::path::Path::new("")).to_path_buf();
    let mut target = match path.strip_prefix('/') {
        Some(abs) => out.join(percent_decode(abs)),
        None => out.join(&dir).join(percent_decode(path)),
    };
    if path.ends_with('/') || target.is_dir() {
        target = target.join("index.html");
    }
    let mut norm = std::path::PathBuf::new();
    for c in target.components() {
        match c {
            std::path::Component::ParentDir => {
                norm.pop();
            }
            std::path::Component::CurDir => {}
            c => norm.push(c),
        }
    }
    Some(norm)
}

/// Every internal link of every page of the built site `b` that names no written file, as
/// `page: href`, and how many of them are in document bodies. The 404 page's links start at
/// the base path (`/`).
fn dangling_links(b: &Built) -> (Vec<String>, usize) {
    let pages: Vec<(String, Vec<u8>)> = tree(&b.out).into_iter().filter(|(p, _)| p.ends_with(".html")).collect();
    assert!(pages.len() > 5, "{} pages", pages.len());
    let (mut bad, mut in_bodies) = (Vec::new(), 0);
    for (rel, bytes) in &pages {
        let mut links = Vec::new();
        links_of(&Html::parse_document(&String::from_utf8_lossy(bytes)), false, &mut links);
        for (link, in_body) in links {
            let Some(target) = target_of(&b.out, rel, &link) else { continue };
            if !target.starts_with(&b.out) || !target.is_file() {
                if in_body {
                    in_bodies += 1;
                } else {
                    bad.push(format!("{rel}: {link}"));
                }
            }
        }
    }
    bad.sort();
    (bad, in_bodies)
}

/// The count in the build summary's "N link(s) leave(s) DIR (not checked)", else 0.
fn links_leaving(b: &Built) -> usize {
    let all = format!("{}{}", b.stdout, b.stderr);
    let Some(i) = all.find(" leave") else { return 0 };
    let before = all[..i].trim_end_matches(" links").trim_end_matches(" link");
    before.rsplit(' ').next().and_then(|n| n.parse().ok()).unwrap_or(0)
}

#[test]
fn every_internal_link_of_every_page_resolves_to_a_written_file() {
    for (name, b) in [
        ("nav/full", nav_fixture("full")),
        ("nav/decisions-only", nav_fixture("decisions-only")),
        ("xref", build(&fixture("xref"), &[])),
        ("collections", build(&fixture("collections"), &[])),
        ("example-docs", build(&manifest_dir().join("example-docs"), &[])),
    ] {
        let (bad, in_bodies) = dangling_links(&b);
        assert!(bad.is_empty(), "{name}: links to pages that were not written:\n{}", bad.join("\n"));
        // A link the author wrote out of the source folder is the author's (and is reported).
        assert_eq!(in_bodies, links_leaving(&b), "{name}: dangling links in document bodies");
    }
}

#[test]
fn home_without_a_readme_says_what_the_site_holds_and_what_waits_for_a_decision() {
    let b = nav_fixture("full");
    let home = page(&b, "index.html");
    assert_eq!(texts(&home, ".home-intro .lead"), ["This site holds 3 decisions and 3 design docs."]);
    assert_eq!(texts(&home, ".home-intro .collections li"), ["Decisions 3", "Design docs 3"]);
    assert_eq!(attrs(&home, ".home-intro .collections a", "href"), ["./log/", "./designs/"]);
    // The proposals and drafts, the longest waiting first: Zebra cache (a draft since
    // 2024-01-05), ADR-0010 (2024-03-05), Alpha search (2024-04-20), then the undated draft.
    assert_eq!(texts(&home, ".home-intro .open h2"), ["Waiting for a decision"]);
    assert_eq!(
        attrs(&home, ".home-intro .open li > a", "href"),
        ["./design/zebra-cache/", "./adr/0010-adopt-queues/", "./design/alpha-search/", "./design/undated-notes/"]
    );
    let only = page(&nav_fixture("decisions-only"), "index.html");
    assert_eq!(texts(&only, ".home-intro .lead"), ["This site holds 2 decisions and 1 page."]);
    assert!(only.select(&sel(".home-intro .open")).next().is_none(), "nothing is proposed");
}

#[test]
fn a_site_without_design_docs_tags_or_authors_neither_writes_nor_links_them() {
    let b = nav_fixture("decisions-only");
    for gone in ["designs/index.html", "tags/index.html", "authors/index.html"] {
        assert!(!b.out.join(gone).exists(), "{gone} was written");
    }
    for rel in ["index.html", "search/index.html", "log/index.html", "decisions/0001-first/index.html", "404.html"] {
        let p = page(&b, rel);
        let nav = texts(&p, ".site-nav a");
        assert_eq!(nav, ["Home", "Decisions", "Timeline", "Graph"], "{rel}");
        let html = b.read(rel);
        for word in ["designs/", "tags/", "authors/"] {
            assert!(!html.contains(&format!("{word}\"")), "{rel} links {word}");
        }
    }
    // No tags: no tag filter; the kinds are those the site has.
    let search = page(&b, "search/index.html");
    assert_eq!(attrs(&search, "select[data-filter]", "name"), ["kind", "status"]);
    assert_eq!(texts(&search, "select[name=kind] option"), ["Any", "Decisions", "Pages"]);
    // The full fixture keeps all three, and its pages.
    let full = nav_fixture("full");
    let search = page(&full, "search/index.html");
    assert_eq!(attrs(&search, "select[data-filter]", "name"), ["kind", "status", "tag"]);
    assert_eq!(texts(&page(&full, "index.html"), ".site-nav a").len(), 7);
}

#[test]
fn every_page_has_the_built_in_favicon_and_a_theme_icon_replaces_it() {
    let b = nav_fixture("full");
    let svg = b.read("assets/favicon.svg");
    assert!(svg.starts_with("<svg"), "{svg}");
    for rel in ["index.html", "adr/0002-use-postgres/index.html", "search/index.html"] {
        let p = page(&b, rel);
        let icon = attrs(&p, "link[rel=icon]", "href");
        assert_eq!(icon.len(), 1, "{rel}");
        assert!(icon[0].ends_with("assets/favicon.svg"), "{rel}: {icon:?}");
        assert_eq!(attrs(&p, "link[rel=icon]", "type"), ["image/svg+xml"]);
    }
    let themed = nav_fixture("theme-icon");
    let p = page(&themed, "index.html");
    assert_eq!(attrs(&p, "link[rel=icon]", "href"), ["./assets/favicon.png"]);
    assert_eq!(attrs(&p, "link[rel=icon]", "type"), ["image/png"]);
    assert!(std::fs::read(themed.out.join("assets/favicon.png")).unwrap().starts_with(b"\x89PNG"));
}

#[test]
fn regression_the_404_page_marked_home_as_the_current_page() {
    let b = nav_fixture("full");
    let p = page(&b, "404.html");
    assert_eq!(texts(&p, ".site-nav a").len(), 7);
    assert_eq!(p.select(&sel("[aria-current]")).count(), 0, "no nav item is current on 404.html");
    // The home page still marks itself.
    assert_eq!(texts(&page(&b, "index.html"), ".site-nav [aria-current=page]"), ["Home"]);
}

/// The bytes of `<aside class="sidebar" …>…</aside>` and the menu button on a page.
fn sidebar_bytes(html: &str) -> usize {
    let aside =
        html.find("<aside class=\"sidebar\"").and_then(|a| Some(html[a..].find("</aside>")? + "</aside>".len()));
    let button = html
        .find("<button type=\"button\" class=\"menu-toggle\"")
        .and_then(|a| html[a..].find("</button>").map(|e| e + 9));
    aside.unwrap_or(0) + button.unwrap_or(0)
}

#[test]
fn the_sidebar_tree_is_one_shared_file_listing_every_document_in_collection_order() {
    let b = nav_fixture("decisions-only");
    let tree: serde_json::Value = serde_json::from_str(&b.read("assets/nav-tree.json")).unwrap();
    let sections: Vec<(String, Vec<String>)> = tree["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            let docs = s["docs"].as_array().unwrap().iter().map(|d| format!("{} {} {}", d[0], d[1], d[2])).collect();
            (s["label"].as_str().unwrap().to_string(), docs)
        })
        .collect();
    assert_eq!(
        sections,
        [
            (
                "Decisions".to_string(),
                vec![
                    "\"ADR-0001\" \"First decision\" \"decisions/0001-first/\"".to_string(),
                    "\"ADR-0002\" \"Second decision\" \"decisions/0002-second/\"".to_string()
                ]
            ),
            ("notes".to_string(), vec!["\"\" \"Contributor guide\" \"notes/guide/\"".to_string()]),
        ]
    );
    let statuses = tree["statuses"].as_array().unwrap();
    let first = &tree["sections"][0]["docs"][0];
    assert_eq!(statuses[first[3].as_u64().unwrap() as usize][0], "accepted");
    // Each page points at the one file and links its collection's index, in a few hundred bytes.
    let page = page(&b, "decisions/0002-second/index.html");
    assert_eq!(attrs(&page, "#sidebar", "data-tree"), ["../../assets/nav-tree.json"]);
    assert_eq!(attrs(&page, "#sidebar", "data-current"), ["decisions/0002-second/"]);
    assert_eq!(attrs(&page, "#sidebar a.active", "href"), ["../../log/"]);
    for (rel, _) in common::tree(&b.out).iter().filter(|(p, _)| p.ends_with(".html")) {
        let n = sidebar_bytes(&b.read(rel));
        assert!(n > 200 && n <= 2048, "{rel}: the sidebar adds {n} bytes");
    }
}

#[test]
fn a_new_title_or_document_rewrites_the_tree_but_not_the_pages_of_unrelated_documents() {
    let b = nav_fixture("full");
    let before = tree(&b.out);
    let adr = b.src.join("adr/0001-record-decisions.md");
    let text = std::fs::read_to_string(&adr).unwrap();
    std::fs::write(&adr, text.replace("# 1. Record architecture decisions", "# 1. Keep a decision log")).unwrap();
    let out2 = b.tmp.path().join("out2");
    let o = dossier().arg("build").arg(&b.src).arg("-o").arg(&out2).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let after: std::collections::BTreeMap<String, Vec<u8>> = tree(&out2).into_iter().collect();
    let changed: Vec<&str> =
        before.iter().filter(|(p, bytes)| after.get(p) != Some(bytes)).map(|(p, _)| p.as_str()).collect();
    assert!(changed.contains(&"assets/nav-tree.json"), "{changed:?}");
    assert!(String::from_utf8_lossy(&after["assets/nav-tree.json"]).contains("Keep a decision log"));
    for unrelated in
        ["design/zebra-cache/index.html", "design/alpha-search/index.html", "adr/0010-adopt-queues/index.html"]
    {
        assert!(!changed.contains(&unrelated), "{unrelated} was rewritten: {changed:?}");
    }
    // A new decision at the end: its neighbour's page changes (a next link), unrelated ones not.
    std::fs::write(
        b.src.join("adr/0011-add-a-cache.md"),
        text.replace("# 1. Record architecture decisions", "# 11. Add a cache"),
    )
    .unwrap();
    let out3 = b.tmp.path().join("out3");
    let o = dossier().arg("build").arg(&b.src).arg("-o").arg(&out3).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let third: std::collections::BTreeMap<String, Vec<u8>> = tree(&out3).into_iter().collect();
    let changed: Vec<&str> =
        after.iter().filter(|(p, bytes)| third.get(*p) != Some(*bytes)).map(|(p, _)| p.as_str()).collect();
    assert!(
        changed.contains(&"assets/nav-tree.json") && changed.contains(&"adr/0010-adopt-queues/index.html"),
        "{changed:?}"
    );
    for unrelated in ["design/zebra-cache/index.html", "adr/0002-use-postgres/index.html"] {
        assert!(!changed.contains(&unrelated), "{unrelated} was rewritten by a new document: {changed:?}");
    }
}
