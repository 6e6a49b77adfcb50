//! `dossier new` and `dossier init`: documents that `check` accepts and that parse back right,
//! `--supersedes` in each format, configs that build, and the GitHub Pages workflow (statically).

mod common;
use common::*;
use serde_json::{Value, json};
use std::path::Path;

fn new(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let o = dossier().arg("new").args(args).arg("--dir").arg(dir).output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn check_json(dir: &Path) -> (Value, Value) {
    let o = dossier().arg("check").arg(dir).args(["--format", "json"]).output().unwrap();
    let diags: Value = serde_json::from_slice(&o.stdout).unwrap();
    let out = tempfile::tempdir().unwrap();
    let b = dossier().arg("build").arg(dir).arg("-o").arg(out.path().join("s")).output().unwrap();
    assert_eq!(b.status.code(), Some(0), "{}", String::from_utf8_lossy(&b.stderr));
    let site: Value = serde_json::from_slice(&std::fs::read(out.path().join("s/dossier.json")).unwrap()).unwrap();
    (diags, site)
}

fn doc<'a>(site: &'a Value, id: &str) -> &'a Value {
    site["documents"].as_array().unwrap().iter().find(|d| d["id"] == id).unwrap_or_else(|| panic!("no {id}"))
}

/// A one-document ADR collection in the given format.
fn collection(first: &str, file: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("docs/adr")).unwrap();
    std::fs::write(tmp.path().join("docs/adr").join(file), first).unwrap();
    tmp
}

const NYGARD: &str =
    "# 1. Record decisions\n\nDate: 2024-01-01\n\n## Status\n\nAccepted\n\n## Context\n\nx\n\n## Decision\n\ny\n";
const MADR: &str = "---\nstatus: accepted\ndate: 2024-01-01\n---\n# Record decisions\n\n## Context and Problem Statement\n\nx\n\n## Decision Outcome\n\ny\n";
const L4B: &str = "# Record decisions\n\n- Status: accepted\n- Date: 2024-01-01\n\n## Context and Problem Statement\n\nx\n\n## Decision Outcome\n\ny\n";

#[test]
fn new_adr_in_each_format_supersedes_and_checks_clean() {
    for (first, file, want_file) in [
        (NYGARD, "0001-record-decisions.md", "docs/adr/0002-use-postgres.md"),
        (MADR, "0001-record-decisions.md", "docs/adr/0002-use-postgres.md"),
        (L4B, "0001-record-decisions.md", "docs/adr/0002-use-postgres.md"),
    ] {
        let tmp = collection(first, file);
        let (code, out, err) = new(tmp.path(), &["adr", "Use Postgres", "--supersedes", "1"]);
        assert_eq!(code, 0, "{err}");
        assert_eq!(out.trim(), tmp.path().join(want_file).display().to_string());
        let (diags, site) = check_json(tmp.path());
        assert_eq!(diags["errors"], 0, "{diags}");
        assert_eq!(diags["warnings"], 0, "{diags}");
        let n = doc(&site, "ADR-0002");
        assert_eq!(
            (n["number"].as_u64(), n["title"].as_str(), n["status"].as_str()),
            (Some(2), Some("Use Postgres"), Some("proposed"))
        );
        assert_eq!(n["supersedes"], json!(["ADR-0001"]));
        let o = doc(&site, "ADR-0001");
        assert_eq!(o["status"], "superseded", "{first}");
        assert_eq!(o["superseded_by"], json!(["ADR-0002"]));
        // The new file is in the collection's own format.
        let text = std::fs::read_to_string(tmp.path().join(want_file)).unwrap();
        match first {
            NYGARD => {
                assert!(text.starts_with("# 2. Use Postgres\n\nDate: ") && text.contains("\n## Status\n\nProposed\n"))
            }
            MADR => assert!(text.starts_with("---\nstatus: proposed\n") && text.contains("supersedes: ADR-0001")),
            _ => assert!(
                text.contains("\n- Status: proposed\n")
                    && text.contains("- Supersedes [Record decisions](0001-record-decisions.md)")
            ),
        }
        // Never overwrites.
        let (code, _, err) = new(tmp.path(), &["adr", "Use Postgres", "--format", "nygard"]);
        assert_eq!(code, 0, "a new number, not an overwrite: {err}");
        std::fs::write(tmp.path().join("docs/adr/0004-taken.md"), "keep").unwrap();
        std::fs::remove_file(tmp.path().join("docs/adr/0003-use-postgres.md")).unwrap();
        let (code, _, err) = new(tmp.path(), &["adr", "Taken", "--format", "nygard"]);
        assert_eq!(code, 0, "{err}");
    }
}

#[test]
fn new_uses_date_prefixes_templates_and_refuses_overwrites() {
    // A log4brains collection with date-prefixed names gets today's date prefix.
    let tmp = collection(L4B, "20240101-record-decisions.md");
    let (code, out, err) = new(tmp.path(), &["adr", "Second decision", "--status", "accepted"]);
    assert_eq!(code, 0, "{err}");
    let name = Path::new(out.trim()).file_name().unwrap().to_string_lossy().into_owned();
    assert!(name.len() == "20240101-second-decision.md".len() && name.ends_with("-second-decision.md"), "{name}");
    assert!(std::fs::read_to_string(out.trim()).unwrap().contains("- Status: accepted"));

    // A collection template is filled in.
    let tmp = collection(NYGARD, "0001-record-decisions.md");
    std::fs::write(tmp.path().join("docs/adr/template.md"), "# NUMBER. TITLE\n\nDate: [YYYY-MM-DD]\n\n## Status\n\n[Proposed | Accepted]\n\n## Context\n\nOur own prompt.\n\n## Decision\n\nd\n").unwrap();
    std::fs::write(
        tmp.path().join("dossier.toml"),
        "[[collections]]\npath = \"docs/adr\"\nkind = \"adr\"\ntemplate = \"template.md\"\n",
    )
    .unwrap();
    let (code, out, err) = new(tmp.path(), &["adr", "From the template"]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(out.trim()).unwrap();
    assert!(
        text.starts_with("# 2. From the template\n") && text.contains("Our own prompt.") && !text.contains("YYYY"),
        "{text}"
    );
    let (diags, site) = check_json(tmp.path());
    assert_eq!(diags["warnings"], 0, "{diags}");
    assert_eq!(doc(&site, "ADR-0002")["status"], "proposed");

    // Design docs: a slug name, the template's structure, and never an overwrite.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("design")).unwrap();
    let (code, out, err) = new(tmp.path(), &["design", "Search Index"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.trim().ends_with("design/search-index.md"));
    let (diags, site) = check_json(tmp.path());
    assert_eq!(diags["warnings"], 0, "{diags}");
    let d = doc(&site, "design/search-index");
    assert_eq!(
        (d["kind"].as_str(), d["title"].as_str(), d["status"].as_str()),
        (Some("design"), Some("Search Index"), Some("draft"))
    );
    let (code, _, err) = new(tmp.path(), &["design", "Search Index"]);
    assert_eq!(code, 1);
    assert!(err.contains("already exists"), "{err}");

    // Usage problems are exit 2 with a clear message.
    let (code, _, err) = new(tmp.path(), &["adr", "No collection"]);
    assert_eq!(code, 2);
    assert!(err.contains("--collection"), "{err}");
    let (code, _, _) = new(tmp.path(), &["design", "Bad status", "--status", "sideways"]);
    assert_eq!(code, 2);
}

#[test]
fn init_writes_a_config_that_builds_and_a_valid_workflow() {
    for (corpus, marker) in [("adr-tools", ".adr-dir"), ("log4brains", ".log4brains.yml")] {
        let tmp = tempfile::tempdir().unwrap();
        let repo = tmp.path();
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        let docs_dir = if corpus == "adr-tools" { "doc/adr" } else { "docs/adr" };
        std::fs::create_dir_all(repo.join(docs_dir)).unwrap();
        // Shaped like each tool's repositories: its marker file and a few records.
        if marker == ".adr-dir" {
            std::fs::write(repo.join(".adr-dir"), "doc/adr\n").unwrap();
            std::fs::write(repo.join("doc/adr/0001-record-decisions.md"), NYGARD).unwrap();
        } else {
            std::fs::write(repo.join(".log4brains.yml"), "project:\n  name: x\n  adrFolder: ./docs/adr\n").unwrap();
            std::fs::write(repo.join("docs/adr/20240101-record-decisions.md"), L4B).unwrap();
            std::fs::write(
                repo.join("docs/adr/template.md"),
                "# [short title of solved problem and solution]\n\n- Status: [proposed | accepted]\n",
            )
            .unwrap();
        }
        let o = dossier().current_dir(repo).args(["init", "--github-pages"]).output().unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
        let toml = std::fs::read_to_string(repo.join("dossier.toml")).unwrap();
        assert!(toml.contains(&format!("path = \"{docs_dir}\"")) && toml.contains("kind = \"adr\""), "{toml}");
        assert!(toml.contains(&format!("Found by {marker}")), "{toml}");
        if marker == ".log4brains.yml" {
            assert!(toml.contains("\ntemplate = \"template.md\""), "{toml}");
        }
        let b = dossier().arg("build").arg(repo).arg("-o").arg(tmp.path().join("site")).output().unwrap();
        assert_eq!(b.status.code(), Some(0), "{}", String::from_utf8_lossy(&b.stderr));

        // The workflow's structure is asserted in tests/init_workflow.rs; here it is the one for
        // the repository's root.
        let wf = std::fs::read_to_string(repo.join(".github/workflows/dossier.yml")).unwrap();
        let y: Value = serde_saphyr::from_str(&wf).expect("the workflow is valid YAML");
        assert_eq!(y["jobs"]["build"]["steps"][1]["with"]["source"], ".", "{wf}");

        // Running it again changes nothing (tests/init_merge.rs has the merge cases).
        let o = dossier().current_dir(repo).args(["init", "--github-pages", "-q"]).output().unwrap();
        assert_eq!((o.status.code(), o.stdout.is_empty()), (Some(0), true));
        assert_eq!(std::fs::read_to_string(repo.join("dossier.toml")).unwrap(), toml);
    }
}

#[test]
fn readme_shows_the_same_workflow() {
    let readme = std::fs::read_to_string(manifest_dir().join("README.md")).unwrap();
    let wf = dossier::init::workflow("docs", &dossier::init::Install::Release);
    assert!(
        readme.contains(&format!("```yaml\n{wf}```")),
        "the README's workflow is what `dossier init --github-pages` writes for docs/"
    );
}

/// A collection template is a page: listed under `templates` in dossier.json, titled "Template
/// for new decisions" without a status badge, and absent from every list of decisions (status
/// counts, the log, tags, authors, the timeline, the graph, the feed and search).
#[test]
fn templates_are_pages_in_every_output() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("authoring-log4brains"), tmp.path());
    // Values a leak would show: a tag and an author only the template has.
    std::fs::write(
        tmp.path().join("docs/adr/template.md"),
        "# [short title of solved problem and solution]\n\n- Status: [proposed | accepted] <!-- optional -->\n- Deciders: Tmpl Author\n- Date: 2023-05-05\n- Tags: tmpl-only-tag\n\n## Context and Problem Statement\n\n[Describe the context.]\n\n## Decision Outcome\n\nChosen option: \"[option 1]\".\n",
    )
    .unwrap();
    let site = build(tmp.path(), &["--base-url", "https://example.org/kb/"]);
    let json = site.json();
    assert_eq!(
        json["templates"],
        json!([{"id": "docs/adr/template", "title": "Template for new decisions", "source": "docs/adr/template.md", "url": "docs/adr/template/"}])
    );
    let sources: Vec<&str> =
        json["documents"].as_array().unwrap().iter().map(|d| d["source"].as_str().unwrap()).collect();
    assert_eq!(sources, ["docs/adr/20240115-record-architecture-decisions.md", "docs/adr/20240201-use-rust.md"]);
    let page = site.read("docs/adr/template/index.html");
    assert!(page.contains(">Template for new decisions</h1>"), "{page}");
    assert!(!page.contains("short title") && !page.contains("class=\"badge"), "{page}");
    // The decision log links it for writing a new decision, and lists only the two records.
    let log = site.read("log/index.html");
    assert!(
        log.contains("Writing a new one? <a href=\"../docs/adr/template/\">Template for new decisions</a>"),
        "{log}"
    );
    assert_eq!(log.matches("adr/template").count(), 1, "{log}");
    assert!(log.contains("<p class=\"lead\">2 decisions."), "{log}");
    for (rel, bytes) in tree(&site.out) {
        if ["docs/adr/template/index.html", "dossier.json", "sitemap.xml", "log/index.html"].contains(&rel.as_str()) {
            continue;
        }
        let text = String::from_utf8_lossy(&bytes);
        for leak in ["adr/template", "Template for new decisions", "tmpl-only-tag", "Tmpl Author", "2023-05-05"] {
            assert!(!text.contains(leak), "{rel} shows the template ({leak})");
        }
    }
    // The status counts are those of the two records.
    let status = site.read("status/index.html");
    assert!(!status.contains("proposed | accepted"), "{status}");
}
