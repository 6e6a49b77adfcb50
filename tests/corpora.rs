//! Every public corpus in ../shared/corpora builds: each `.md` becomes exactly one document,
//! no panic, and spot checks of titles and statuses across formats.

mod common;
use common::*;
use serde_json::Value;

/// Builds a temporary copy of one corpus, with an optional dossier.toml.
fn build_corpus(name: &str, config: Option<&str>) -> Option<(Built, usize)> {
    build_corpus_dir(name, "", config)
}

/// Like `build_corpus`, but with DIR a sub-folder of the corpus (as `dossier build docs`).
fn build_corpus_dir(name: &str, sub: &str, config: Option<&str>) -> Option<(Built, usize)> {
    let shared = shared()?;
    let src = shared.join("corpora").join(name).join(sub);
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("src");
    copy_tree(&src, &copy);
    if let Some(c) = config {
        std::fs::write(copy.join("dossier.toml"), c).unwrap();
    }
    let md = walkdir::WalkDir::new(&copy)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .count();
    let built = build_in(tmp, copy, &[]);
    assert_eq!(built.code, 0, "{name}: {}", built.stderr);
    assert!(!built.stderr.contains("panicked"), "{}", built.stderr);
    Some((built, md))
}

fn title_status(b: &Built, id: &str) -> (String, String) {
    let d = b.doc(id);
    (d["title"].as_str().unwrap().to_string(), d["status"].as_str().unwrap().to_string())
}

fn count(b: &Built) -> usize {
    b.json()["documents"].as_array().unwrap().len()
}

#[test]
fn adr_tools() {
    let Some((b, md)) = build_corpus("adr-tools", None) else {
        return;
    };
    assert_eq!(count(&b), md);
    assert_eq!(title_status(&b, "ADR-0008"), ("Use ISO 8601 Format for Dates".into(), "accepted".into()));
    assert_eq!(b.doc("ADR-0009")["amends"], serde_json::json!(["ADR-0005"]));
    assert_eq!(b.doc("ADR-0005")["amended_by"], serde_json::json!(["ADR-0009"]));
}

#[test]
fn madr() {
    let Some((b, md)) = build_corpus("madr", None) else {
        return;
    };
    assert_eq!(count(&b), md);
    assert_eq!(title_status(&b, "ADR-0013"), ("Use YAML front matter for metadata".into(), "unknown".into()));
    assert_eq!(title_status(&b, "ADR-0003"), ("Write Own MADR Tooling".into(), "proposed".into()));
    assert_eq!(b.doc("ADR-0003")["status_raw"], "on hold");
    let t = b.doc("docs/decisions/adr-template");
    assert_eq!(t["kind"], "page", "the template is a page, not a decision");
    assert_eq!(b.doc("docs/decisions/index")["url"], "docs/decisions/");
}

#[test]
fn log4brains() {
    // The corpus root is the repository's top level; `/l4b-static/…` (served by log4brains'
    // own site) is missing there, so the image is broken on GitHub too: reported, as a warning.
    let Some((b, md)) = build_corpus("log4brains", Some("[check]\nbroken_links = \"warn\"\n")) else {
        return;
    };
    let broken: Vec<&str> = b.stderr.lines().filter(|l| l.contains("[broken-link]")).collect();
    assert_eq!(
        broken,
        ["docs/adr/index.md:28:1: warning[broken-link]: image `/l4b-static/adr-workflow.png` does not exist"]
    );
    assert_eq!(count(&b), md);
    let old = b.doc("docs/adr/20200926-use-the-adr-number-as-its-unique-id");
    assert_eq!(old["status"], "superseded");
    assert_eq!(old["date"], "2020-09-26");
    assert_eq!(old["superseded_by"], serde_json::json!(["docs/adr/20201016-use-the-adr-slug-as-its-unique-id"]));
    assert_eq!(
        title_status(&b, "docs/adr/20201103-use-lunr-for-search"),
        ("Use Lunr for search".into(), "accepted".into())
    );
    // index.md takes the folder URL; README.md keeps its own.
    assert_eq!(b.doc("docs/adr/index")["url"], "docs/adr/");
    assert_eq!(b.doc("docs/adr/README")["url"], "docs/adr/README/");
    assert_eq!(b.doc("docs/adr/index")["title"], "Architecture knowledge base");
}

#[test]
fn org_govuk_aws() {
    // Built from `docs/`, as its repository would be: links into the Terraform code leave DIR
    // and are not checked (the corpus holds only the docs).
    let Some((b, md)) = build_corpus_dir("org-govuk-aws", "docs", None) else {
        return;
    };
    assert_eq!(count(&b), md);
    assert_eq!(title_status(&b, "ADR-0004"), ("DNS definitions for hosts and services".into(), "superseded".into()));
    assert_eq!(b.doc("ADR-0015")["supersedes"], serde_json::json!(["ADR-0004"]));
    assert_eq!(title_status(&b, "ADR-0006"), ("Puppet architecture".into(), "proposed".into()));
    assert_eq!(b.doc("ADR-0003")["status_raw"], "Partly superseded");
    assert_eq!(title_status(&b, "ADR-0038").1, "accepted");
    // Figures next to the decisions are copied when linked.
    let linked_png = b.tree_has_png();
    assert!(linked_png, "linked images are copied");
}

#[test]
fn rust_rfcs() {
    let config =
        "[[collections]]\npath = \"text\"\nkind = \"design\"\nprefix = \"RFC\"\n[check]\nbroken_links = \"warn\"\n";
    let Some((b, md)) = build_corpus("rust-rfcs", Some(config)) else {
        return;
    };
    assert_eq!(count(&b), md);
    assert_eq!(title_status(&b, "RFC-1096"), ("remove-static-assert".into(), "unknown".into()));
    assert_eq!(b.doc("RFC-1096")["date"], "2015-04-28");
    assert_eq!(title_status(&b, "RFC-0001").0, "Private fields");
    // Real corpora contain impossible dates: kept as written, with a warning.
    assert_eq!(b.doc("RFC-0534")["date"], "2014-19-19");
    assert!(b.stderr.contains("text/0534-deriving2derive.md:1:15: warning[invalid-date]"), "{}", b.stderr);
    let docs: Vec<Value> = b.json()["documents"].as_array().unwrap().clone();
    assert!(docs.iter().all(|d| d["kind"] == "design"));
}

trait PngCheck {
    fn tree_has_png(&self) -> bool;
}

impl PngCheck for Built {
    fn tree_has_png(&self) -> bool {
        tree(&self.out).iter().any(|(p, _)| p.ends_with(".png"))
    }
}
