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

/// Documents and pages in dossier.json, templates (listed apart) included.
fn count(b: &Built) -> usize {
    let j = b.json();
    j["documents"].as_array().unwrap().len() + j["templates"].as_array().map_or(0, Vec::len)
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
    let templates = b.json()["templates"].clone();
    assert_eq!(templates[0]["id"], "docs/decisions/adr-template", "the template is a page, not a decision");
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

/// The reading fields of the document at `source`, compared with what was checked by hand
/// against the file (title, number, ID, status as written and normalised, date, authors).
fn expect_fields(b: &Built, source: &str, want: Value) {
    let j = b.json();
    let d =
        j["documents"].as_array().unwrap().iter().find(|d| d["source"] == source).unwrap_or_else(|| panic!("{source}"));
    for (k, w) in want.as_object().unwrap() {
        assert_eq!(&d[k], w, "{source}: {k}");
    }
}

#[test]
fn swift_evolution() {
    let Some((b, md)) = build_corpus("swift-evolution", Some("[check]\nbroken_links = \"warn\"\n")) else {
        return;
    };
    assert_eq!(count(&b), md);
    use serde_json::json;
    let p = "proposals/";
    for (file, id, title, raw, status, authors) in [
        (
            "0039-playgroundliterals.md",
            "SE-0039",
            "Modernizing Playground Literals",
            "Implemented (Swift 3.0)",
            "implemented",
            json!(["Erica Sadun"]),
        ),
        (
            "0050-floating-point-stride.md",
            "SE-0050",
            "Decoupling Floating Point Strides from Generic Implementations",
            "Withdrawn",
            "rejected",
            json!(["Erica Sadun", "Xiaodi Wu"]),
        ),
        (
            "0097-negative-attributes.md",
            "SE-0097",
            "Normalizing naming for \"negative\" attributes",
            "Rejected",
            "rejected",
            json!(["Erica Sadun"]),
        ),
        (
            "0155-normalize-enum-case-representation.md",
            "SE-0155",
            "Normalize Enum Case Representation",
            "Implemented (Swift 3.0)",
            "implemented",
            json!(["Daniel Duan", "Joe Groff"]),
        ),
        (
            "0220-count-where.md",
            "SE-0220",
            "count(where:)",
            "Implemented (Swift 6.0)",
            "implemented",
            json!(["Soroush Khanlou"]),
        ),
        (
            "0186-remove-ownership-keyword-support-in-protocols.md",
            "SE-0186",
            "Remove ownership keyword support in protocols",
            "Implemented (Swift 4.1)",
            "implemented",
            json!(["Greg Spiers"]),
        ),
        (
            "0195-dynamic-member-lookup.md",
            "SE-0195",
            "Introduce User-defined \"Dynamic Member Lookup\" Types",
            "Implemented (Swift 4.2)",
            "implemented",
            json!(["Chris Lattner"]),
        ),
        (
            "0400-init-accessors.md",
            "SE-0400",
            "Init Accessors",
            "Implemented (Swift 5.9)",
            "implemented",
            json!(["Holly Borla", "Doug Gregor"]),
        ),
        (
            "0519-ref-mutableref-types.md",
            "proposals/0519-ref-mutableref-types",
            "Ref and MutableRef types for safe, first-class references",
            "Implemented (Swift 6.4)",
            "implemented",
            json!(["Joe Groff", "Alejandro Alonso"]),
        ),
        (
            "testing/0001-refactor-bug-inits.md",
            "ST-0001",
            "Dedicated .bug() functions for URLs and IDs",
            "Implemented (Swift 6.0)",
            "implemented",
            json!(["Jonathan Grynspan"]),
        ),
    ] {
        let number: u32 = file.trim_start_matches("testing/")[..4].parse().unwrap();
        expect_fields(
            &b,
            &format!("{p}{file}"),
            json!({"id": id, "title": title, "status_raw": raw, "status": status, "authors": authors, "number": number, "date": null}),
        );
    }
    // Two proposals share number 519: the second by path keeps its path ID, with a warning.
    assert!(b.stderr.contains("warning[duplicate-id]"), "{}", b.stderr);
}

#[test]
fn tensorflow_rfcs() {
    let Some((b, md)) = build_corpus("tensorflow-rfcs", Some("[check]\nbroken_links = \"warn\"\n")) else {
        return;
    };
    assert_eq!(count(&b), md);
    use serde_json::json;
    for (file, title, status, date, authors) in [
        (
            "20180507-cond-v2.md",
            "\"Functional\" cond design doc",
            "accepted",
            "2018-05-07",
            json!(["Skye Wanderman-Milne"]),
        ),
        (
            "20180817-variables-20.md",
            "Variables in TensorFlow 2.0",
            "accepted",
            "2018-08-17",
            json!(["apassos@google.com"]),
        ),
        (
            "20180827-api-names.md",
            "TensorFlow Namespaces",
            "accepted",
            "2018-08-27",
            json!(["Anna Revinskaya", "Andrew Selle"]),
        ),
        (
            "20181214-move-to-addons.md",
            "Move from tf.contrib to tensorflow/addons",
            "accepted",
            "2018-12-14",
            json!(["Sean Morgan", "Armando Fandango"]),
        ),
        ("20190630-tfx-on-kfp.md", "Kubeflow Pipelines & TFX", "implemented", "2019-06-30", json!(["Ajay Gopinathan"])),
        (
            "20190814-kernel-and-op-registration.md",
            "Kernel and Op Implementation and Registration API",
            "accepted",
            "2019-08-14",
            json!(["James Ring"]),
        ),
        (
            "20200107-tf-data-snapshot.md",
            "tf.data Snapshot",
            "accepted",
            "2020-01-07",
            json!(["Frank Chen", "Rohan Jain"]),
        ),
        ("20200211-tf-types.md", "TensorFlow Canonical Type System", "accepted", "2020-02-11", json!(["Dan Moldovan"])),
        (
            "20200824-e2e-text-preprocessing.md",
            "End-to-end text preprocessing with TF.Text",
            "accepted",
            "2020-08-24",
            json!(["Terry Huang", "Arno Eigenwillig", "Chen Chen"]),
        ),
        ("20200916-sig-tf-js.md", "Creating SIG TF.js", "proposed", "2020-09-16", json!(["Ping Yu", "Sandeep Gupta"])),
        (
            "20210307-tfx-api-artifact-compat.md",
            "API & Artifact Compatibility for TFX::OSS & Libraries",
            "accepted",
            "2021-03-07",
            json!(["Zhitao Li", "Jiayi Zhao", "Zhuo Peng"]),
        ),
        (
            "20230221-tf-distribution-api-dtensor.md",
            "A new TensorFlow Distribution API with DTensor",
            "accepted",
            "2023-02-21",
            json!([
                "Yu Feng",
                "Bruce Fontaine",
                "Yuefeng Zhou",
                "Scott Zhu",
                "Srujun Thanmay Gupta",
                "Justin Szaday",
                "Samuel Lee"
            ]),
        ),
    ] {
        expect_fields(
            &b,
            &format!("rfcs/{file}"),
            json!({"title": title, "status": status, "date": date, "authors": authors, "number": null}),
        );
    }
    // The `Updated` row is the update date, not the creation date.
    expect_fields(&b, "rfcs/20180507-cond-v2.md", json!({"updated": "2019-02-26"}));
}

#[test]
fn kotlin_keep() {
    let Some((b, md)) = build_corpus("kotlin-keep", Some("[check]\nbroken_links = \"warn\"\n")) else {
        return;
    };
    assert_eq!(count(&b), md);
    use serde_json::json;
    for (file, id, title, raw, status, authors) in [
        (
            "KEEP-0031-data-class-inheritance.md",
            "KEEP-0031",
            "Data Class Inheritance",
            "Stable in 1.1",
            "implemented",
            json!(["Alexander Udalov"]),
        ),
        (
            "KEEP-0079-jsr-305-custom-nullability-qualifiers.md",
            "KEEP-0079",
            "JSR-305 custom nullability qualifiers",
            "Stable",
            "implemented",
            json!(["Denis Zharkov"]),
        ),
        (
            "KEEP-0135-unsigned-types.md",
            "KEEP-0135",
            "Unsigned types",
            "Partially stable in 1.5, see details in the Status section",
            "implemented",
            json!(["Ilya Gorbunov", "Mikhail Zarechenskiy"]),
        ),
        (
            "KEEP-0314-open-ended-ranges.md",
            "KEEP-0314",
            "Open-ended ranges and rangeUntil operator",
            "Stable in 1.9.0",
            "implemented",
            json!(["Ilya Gorbunov"]),
        ),
        (
            "KEEP-0385-kdoc-links-to-extensions.md",
            "KEEP-0385",
            "Resolution of links to extensions",
            "In progress",
            "draft",
            json!(["Oleg Yukhnevich"]),
        ),
        (
            "KEEP-0440-bcv-to-kgp.md",
            "KEEP-0440",
            "Moving ABI Validation to Kotlin Gradle Plugin",
            "Public discussion",
            "proposed",
            json!(["Sergei Shanshin"]),
        ),
        ("KEEP-0446-uklibs.md", "KEEP-0446", "UKlibs", "Declined", "rejected", json!(["Dmitry Savvinov"])),
        (
            "KEEP-0462-rich-errors.md",
            "KEEP-0462",
            "Rich Errors, aka Error Union Types",
            "Public discussion",
            "proposed",
            json!(["Michail Zarečenskij", "Roman Venediktov"]),
        ),
        (
            "stdlib/KEEP-0227-char-int-conversions.md",
            "KEEP-0227",
            "Straighten Char-to-code and Char-to-digit conversions out",
            "Implemented in Kotlin 1.5",
            "implemented",
            json!(["Ilya Gorbunov", "Abduqodiri Qurbonzoda"]),
        ),
    ] {
        let number: u32 = file.trim_start_matches("stdlib/")[5..9].parse().unwrap();
        expect_fields(
            &b,
            &format!("proposals/{file}"),
            json!({"id": id, "title": title, "status_raw": raw, "status": status, "authors": authors, "number": number, "date": null}),
        );
    }
}
