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
