//! Collections detected by content: numbered records in any folder, both sides of every
//! threshold, prefixes the files state, DIR itself as the collection, sidecars, and the
//! detection report of `check` and `init`.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

fn built(case: &str) -> Built {
    let b = build(&fixture("collections").join(case), &[]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    b
}

/// (source, kind, id) of every document, sorted by source; templates (listed apart) are pages.
fn kinds(b: &Built) -> Vec<(String, String, String)> {
    let j = b.json();
    let mut v: Vec<(String, String, String)> = j["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or_default().to_string();
            (s("source"), s("kind"), s("id"))
        })
        .chain(j["templates"].as_array().into_iter().flatten().map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or_default().to_string();
            (s("source"), "page".to_string(), s("id"))
        }))
        .collect();
    v.sort();
    v
}

fn kind_of(b: &Built, source: &str) -> String {
    kinds(b).into_iter().find(|(s, _, _)| s == source).unwrap_or_else(|| panic!("no {source}")).1
}

fn check(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let o = dossier().arg("check").arg(dir).args(args).output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into(),
        String::from_utf8_lossy(&o.stderr).into(),
    )
}

#[test]
fn numbered_records_make_a_collection_whatever_the_folder_is_called() {
    let b = built("content");
    let k = kinds(&b);
    let id = |src: &str| k.iter().find(|(s, _, _)| s == src).map(|(_, kind, id)| (kind.as_str(), id.as_str()));
    assert_eq!(id("architecture/0001-record-decisions.md"), Some(("adr", "ADR-0001")));
    assert_eq!(id("architecture/0003-use-redis.md"), Some(("adr", "ADR-0003")));
    assert_eq!(b.doc("ADR-0003")["superseded_by"], serde_json::json!(["ADR-0002"]));
    // MADR bodies named adr-NNN_slug: a second ADR collection; its numbers collide with the first.
    assert_eq!(id("records/adr-001_first.md").map(|x| x.0), Some("adr"));
    // Numbered files with design sections: design docs, known by path (no prefix stated).
    assert_eq!(id("specs/0001-faster-builds.md"), Some(("design", "specs/0001-faster-builds")));
    let log = b.read("log/index.html");
    assert!(log.contains("Use Postgres") && log.contains("Record decisions"), "the decision log lists them");
}

#[test]
fn non_record_files_in_a_record_folder_are_pages_without_structure_lint() {
    let b = built("content");
    assert_eq!(kind_of(&b, "architecture/install.md"), "page");
    assert_eq!(kind_of(&b, "architecture/README.md"), "page");
    assert_eq!(kind_of(&b, "specs/guide.md"), "page");
    // A collection without numbered records is no record folder: its files stay documents.
    assert_eq!(kind_of(&b, "design/search-index.md"), "design");

    assert!(!b.stderr.contains("install.md") && !b.stderr.contains("guide.md"), "{}", b.stderr);
    let complete = !b.stderr.lines().any(|l| l.starts_with("architecture/"));
    assert!(complete, "the decisions themselves are complete: {}", b.stderr);
}

#[test]
fn unnumbered_files_are_records_by_a_status_or_two_sections() {
    let b = built("thresholds");
    assert_eq!(kind_of(&b, "adr/naming-convention.md"), "adr", "Context and Decision");
    assert_eq!(kind_of(&b, "adr/glossary.md"), "page", "one Summary section alone");
    assert_eq!(kind_of(&b, "adr/0001-decision-1.md"), "adr");
}

#[test]
fn mostly_means_more_than_half_of_the_files() {
    let b = built("thresholds");
    // 3 numbered of 5 files: a collection; 2 of 4: not.
    assert_eq!(kind_of(&b, "mostly-yes/0001-decision-1.md"), "adr");
    assert_eq!(kind_of(&b, "mostly-yes/guide-one.md"), "page");
    assert_eq!(kind_of(&b, "mostly-no/0001-decision-1.md"), "page");
}

#[test]
fn a_collection_needs_two_records() {
    let b = built("thresholds");
    assert_eq!(kind_of(&b, "single/0001-only-one.md"), "page");
    assert_eq!(kind_of(&b, "half-shaped/0001-a.md"), "adr", "two records are enough");
}

#[test]
fn record_shape_needs_half_the_records_read_or_a_template() {
    let b = built("thresholds");
    assert_eq!(kind_of(&b, "chapters/01-introduction.md"), "page", "numbered chapters are not records");
    assert_eq!(kind_of(&b, "half-shaped/0002-b.md"), "adr", "1 of 2 record-shaped is half");
    assert_eq!(kind_of(&b, "under-half/0001-a.md"), "page", "1 of 3 is under half");
    assert_eq!(kind_of(&b, "templated/0001-pick-a-host.md"), "adr", "a decision template beside them");
    assert_eq!(kind_of(&b, "templated/decision-template.md"), "page");
}

#[test]
fn prefixes_stated_by_the_files_and_a_sub_collection_with_its_own() {
    let b = built("prefixes");
    assert_eq!(b.doc("SE-0001")["source"], "proposals/0001-faster-builds.md");
    assert_eq!(b.doc("SE-0002")["kind"], "design");
    assert_eq!(b.doc("ST-0001")["source"], "proposals/testing/0001-test-traits.md");
    assert_eq!(b.doc("ST-0002")["source"], "proposals/testing/0002-exit-tests.md");
    // KEEP-0004-type-aliases.md: the prefix comes from the file names, and the number after it.
    let keep = b.doc("KEEP-0004");
    assert_eq!((keep["number"].as_u64(), keep["title"].as_str()), (Some(4), Some("Type aliases")));
    assert!(b.read("keep/KEEP-0007-value-classes/index.html").contains("KEEP-0004"));
    assert!(!b.stderr.contains("duplicate-id"), "{}", b.stderr);
}

#[test]
fn sub_folder_numbered_like_its_parent_warns_duplicate_id() {
    let b = built("nested");
    assert!(
        b.stderr.contains("decisions/legacy/0001-legacy-1.md:1:1: warning[duplicate-id]: the collections `decisions` and `decisions/legacy` both number their documents ADR-NNNN"),
        "{}",
        b.stderr
    );
    assert!(b.stderr.contains("help: tell them apart"), "{}", b.stderr);
    assert_eq!(b.doc("ADR-0001")["source"], "decisions/0001-current-1.md", "the first by path keeps the ID");
    // Design proposals: the sub-folder states no prefix, so it takes its parent's SE.
    assert!(
        b.stderr.contains("proposals/extra/0001-other.md:1:1: warning[duplicate-id]: the collections `proposals` and `proposals/extra` both number their documents SE-NNNN: SE-0001 is `proposals/0001-faster.md` and this file"),
        "{}",
        b.stderr
    );
    assert_eq!(b.doc("SE-0002")["source"], "proposals/0002-smaller.md");
    assert_eq!(b.doc("proposals/extra/0002-more")["kind"], "design", "the other falls back to its path");
}

#[test]
fn no_collection_found_is_said_too() {
    let (code, _, err) = check(&fixture("collections").join("thresholds/chapters"), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("dossier: no collections found: every file is a page"), "{err}");
}

#[test]
fn date_prefixes_are_dates_never_numbers() {
    let b = built("dated");
    let first = b.doc("log/2010-06-first-decision");
    assert_eq!((first["kind"].as_str(), first["number"].as_u64()), (Some("adr"), None));
    assert_eq!(first["date"], "2010-06");
    let second = b.doc("log/20180507-second-decision");
    assert_eq!((second["date"].as_str(), second["number"].as_u64()), (Some("2018-05-07"), None));
}

#[test]
fn folder_per_record_with_sidecars_is_a_collection() {
    let b = built("sidecars");
    assert_eq!(kind_of(&b, "keps/sig-storage/1234-volume-snapshots/README.md"), "design");
    assert_eq!(kind_of(&b, "keps/sig-storage/1400-quotas/README.md"), "design", "a status and a numbered folder");
    assert_eq!(kind_of(&b, "keps/sig-storage/1500-not-a-record/README.md"), "page");
    assert_eq!(kind_of(&b, "keps/sig-storage/1234-volume-snapshots/diagrams.md"), "page");
    assert_eq!(kind_of(&b, "keps/sig-storage/README.md"), "page", "the collection's own README");
    let (_, _, err) = check(&b.src, &[]);
    assert!(
        err.contains(
            "dossier: design collection keps/sig-storage (prefix KEP-, 3 documents) found by numbered records: 3 of 3 Markdown files and record folders numbered or dated, 3 of 3 read look like design docs"
        ),
        "the titles' KEP-NNNN IDs match the folder numbers: {err}"
    );
}

#[test]
fn discovery_records_the_sidecar_path() {
    let root = fixture("collections").join("sidecars");
    let found = dossier::discover::discover(&root, &dossier::config::Config::default(), &[]);
    let sidecar = |rel: &str| found.sources.iter().find(|s| s.rel == rel).unwrap().sidecar.clone();
    assert_eq!(
        sidecar("keps/sig-storage/1234-volume-snapshots/README.md").as_deref(),
        Some("keps/sig-storage/1234-volume-snapshots/kep.yaml")
    );
    assert_eq!(sidecar("keps/sig-storage/1400-quotas/README.md"), None);
    assert_eq!(sidecar("keps/sig-storage/1500-not-a-record/README.md"), None, "one record key is not enough");
    assert_eq!(sidecar("keps/sig-storage/1234-volume-snapshots/diagrams.md"), None);
}

/// (id, number, title, status, relations) of every non-page document.
fn decisions(b: &Built) -> Vec<(String, Value, String, String, String)> {
    let j = b.json();
    let mut v: Vec<_> = j["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["kind"] != "page")
        .map(|d| {
            let s = |k: &str| d[k].as_str().unwrap_or_default().to_string();
            let rel = format!("{} {} {} {}", d["supersedes"], d["superseded_by"], d["amends"], d["amended_by"]);
            (s("id"), d["number"].clone(), s("title"), s("status"), rel)
        })
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    v
}

/// The decision log's rows, without the links (which differ by the folder's depth).
fn log_rows(b: &Built) -> Vec<String> {
    let html = scraper::Html::parse_document(&b.read("log/index.html"));
    let rows = scraper::Selector::parse("tbody tr").unwrap();
    html.select(&rows).map(|r| r.text().collect::<Vec<_>>().join("|")).collect()
}

#[test]
fn dir_itself_is_the_collection_adr_tools() {
    let Some(shared) = shared() else { return };
    let src = shared.join("corpora/adr-tools");
    let whole = build(&src, &[]);
    let sub = build(&src.join("doc/adr"), &[]);
    assert_eq!((whole.code, sub.code), (0, 0), "{}\n{}", whole.stderr, sub.stderr);
    let d = decisions(&whole);
    assert_eq!(d.len(), 9);
    assert_eq!(d, decisions(&sub), "the same decisions, numbers and IDs from doc/adr as from the root");
    assert_eq!(log_rows(&whole), log_rows(&sub));
    // Path-based IDs stay relative to DIR.
    assert_eq!(sub.doc("ADR-0001")["source"], "0001-record-architecture-decisions.md");
    assert_eq!(whole.doc("ADR-0001")["source"], "doc/adr/0001-record-architecture-decisions.md");
}

#[test]
fn dir_itself_is_the_collection_by_content() {
    let src = fixture("collections").join("content");
    let whole = build(&src, &[]);
    let sub = build(&src.join("architecture"), &[]);
    assert_eq!(sub.code, 0, "{}", sub.stderr);
    let adrs = |b: &Built| -> Vec<_> { decisions(b).into_iter().filter(|d| d.0.starts_with("ADR-00")).collect() };
    // The root build also holds records/ (ADR-0001 twice); compare architecture's own.
    let arch: Vec<_> = adrs(&whole).into_iter().filter(|d| d.2 != "First" && d.2 != "Second").collect();
    assert_eq!(arch, adrs(&sub));
    assert_eq!(arch.len(), 3);
    assert_eq!(kind_of(&sub, "install.md"), "page");
}

#[test]
fn check_says_which_collections_it_found_and_q_hides_it() {
    let dir = fixture("collections").join("prefixes");
    let (code, _, err) = check(&dir, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("dossier: design collection proposals (prefix SE-, 2 documents) found by folder name"),
        "{err}"
    );
    assert!(
        err.contains("dossier: design collection proposals/testing (prefix ST-, 2 documents) found by numbered records: 2 of 2 Markdown files numbered or dated, 2 of 2 read look like design docs"),
        "{err}"
    );
    assert!(
        err.contains("dossier: design collection keep (prefix KEEP-, 3 documents) found by numbered records"),
        "{err}"
    );
    let (_, _, quiet) = check(&dir, &["-q"]);
    assert!(!quiet.contains("found by"), "{quiet}");
    assert!(quiet.contains("dossier: checked 7 documents"), "{quiet}");
    // JSON output stays JSON: the report goes to stderr.
    let (_, out, _) = check(&dir, &["--format", "json"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["documents"], 7);
}

#[test]
fn init_proposes_exactly_what_detection_found() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("collections").join("prefixes"), tmp.path());
    let before = check(tmp.path(), &[]).2;
    let o = dossier().arg("init").arg(tmp.path()).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("dossier: design collection proposals/testing (prefix ST-, 2 documents)"), "{err}");
    let toml = std::fs::read_to_string(tmp.path().join("dossier.toml")).unwrap();
    for want in [
        "path = \"keep\"\nkind = \"design\"\nprefix = \"KEEP\"",
        "path = \"proposals\"\nkind = \"design\"\nprefix = \"SE\"",
        "path = \"proposals/testing\"\nkind = \"design\"\nprefix = \"ST\"",
    ] {
        assert!(toml.contains(want), "{want}\n{toml}");
    }
    // Built with the proposed configuration, the documents and IDs are the same.
    let after = check(tmp.path(), &[]).2;
    let summary = |s: &str| s.lines().find(|l| l.starts_with("dossier: checked")).map(String::from);
    assert_eq!(summary(&before), summary(&after));
    let q = dossier().arg("init").arg(tmp.path()).args(["--force", "-q"]).output().unwrap();
    assert_eq!(q.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&q.stderr).contains("found by"));
}

#[test]
fn init_names_the_template_detection_saw() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("collections").join("thresholds/templated"), tmp.path());
    let o = dossier().arg("init").arg(tmp.path()).arg("-q").output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let toml = std::fs::read_to_string(tmp.path().join("dossier.toml")).unwrap();
    assert!(toml.contains("path = \".\"\nkind = \"adr\""), "{toml}");
    assert!(toml.contains("\ntemplate = \"decision-template.md\""), "{toml}");
}

#[test]
fn init_writes_dot_for_dir_itself() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("collections").join("content/architecture"), tmp.path());
    let o = dossier().arg("init").arg(tmp.path()).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let toml = std::fs::read_to_string(tmp.path().join("dossier.toml")).unwrap();
    assert!(toml.contains("path = \".\"\nkind = \"adr\"\nprefix = \"ADR\""), "{toml}");
    let (code, _, err) = check(tmp.path(), &[]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("dossier: adr collection . (prefix ADR-, 3 documents) from dossier.toml"), "{err}");
}
