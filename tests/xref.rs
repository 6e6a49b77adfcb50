//! Cross-references on fixtures: each link form, each relation source and each diagnostic code,
//! with exact positions and the rendered links.

mod common;
use common::*;
use scraper::{Html, Selector};
use serde_json::json;

fn hrefs(html: &str, selector: &str) -> Vec<(String, String)> {
    let h = Html::parse_document(html);
    let s = Selector::parse(selector).unwrap();
    h.select(&s)
        .map(|e| {
            let v = e.value().attr("href").or(e.value().attr("src")).unwrap_or("").to_string();
            (e.text().collect::<String>(), v)
        })
        .collect()
}

#[test]
fn every_relation_source_lands_on_both_sides() {
    let b = build(&fixture("xref"), &[]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    assert!(b.stderr.contains("0 errors, 0 warnings"), "{}", b.stderr);
    let first = b.doc("ADR-0001");
    assert_eq!(first["status"], "superseded", "adr-tools `Superseded by` line");
    assert_eq!(first["status_raw"], "Superseded");
    assert_eq!(first["superseded_by"], json!(["ADR-0002"]));
    assert_eq!(first["amended_by"], json!(["ADR-0003", "ADR-0004"]), "Links-section bullet and Status-section line");
    assert_eq!(first["backlinks"], json!(["ADR-0002", "ADR-0003", "ADR-0004", "design/search"]));
    let second = b.doc("ADR-0002");
    assert_eq!(second["supersedes"], json!(["ADR-0001"]), "front matter key");
    assert_eq!(second["related"], json!([{"id": "design/search", "verb": "Related"}]));
    assert_eq!(second["references"], json!(["ADR-0001", "ADR-0003", "design/README", "design/search"]));
    assert_eq!(b.doc("ADR-0003")["amends"], json!(["ADR-0001"]));
    assert_eq!(b.doc("ADR-0004")["related"], json!([{"id": "ADR-0003", "verb": "Depends on"}]));
    assert_eq!(b.doc("ADR-0003")["related"], json!([{"id": "ADR-0004", "verb": "Related to"}]));
    assert_eq!(b.doc("design/search")["related"], json!([{"id": "ADR-0002", "verb": "Related to"}]));
}

#[test]
fn every_link_form_renders() {
    let b = build(&fixture("xref"), &[]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let page = b.read("adr/0002-second/index.html");
    let links = hrefs(&page, ".doc-content a:not(.anchor), .doc-content img");
    let want = [
        ("ADR-0001", "../../adr/0001-first/"),
        ("ADR 3", "../../adr/0003-third/"),
        ("PROJ-123", "https://tracker.example/browse/PROJ-123"),
        ("ADR-0003", "../../adr/0003-third/"),
        ("the search design", "../../design/search/"),
        ("its goals", "../../design/search/#goals"),
        ("design folder", "../../design/"),
        ("the code", "../../src/main.rs"),
        ("", "../../adr/fig.png"),
        ("ADR-0003 as link text", "../../adr/0003-third/"),
    ];
    let got: Vec<(&str, &str)> = links.iter().map(|(t, h)| (t.as_str(), h.as_str())).collect();
    assert_eq!(got, want);
    let h = Html::parse_document(&page);
    let mention = h.select(&Selector::parse("a.mention").unwrap()).next().unwrap();
    assert_eq!(mention.value().attr("title"), Some("First decision"), "mentions carry the title as tooltip");
    assert!(page.contains("Not a mention: <code>ADR-0003</code>"), "no mention inside code");
    assert_eq!(b.read("adr/fig.png"), "PNG");

    // "Referenced by" says how each document refers, and the banner points at the successor.
    let first = b.read("adr/0001-first/index.html");
    let h = Html::parse_document(&first);
    let items: Vec<String> =
        h.select(&Selector::parse(".backlinks li .kind").unwrap()).map(|e| e.text().collect::<String>()).collect();
    assert_eq!(
        items,
        [
            "Decision · supersedes it, mentions it",
            "Decision · amends it, links to it",
            "Decision · amends it, links to it",
            "Design doc · links to it"
        ]
    );
    assert_eq!(
        hrefs(&first, ".banner-superseded a"),
        [("ADR-0002: Second decision".to_string(), "../../adr/0002-second/".to_string())]
    );
}

#[test]
fn every_diagnostic_code_with_its_position() {
    let b = build(&fixture("xref-errors"), &[]);
    assert_eq!(b.code, 1);
    assert!(!b.out.exists(), "nothing is written when there are errors");
    let lines: Vec<&str> =
        b.stderr.lines().filter(|l| !l.starts_with("  help:") && !l.starts_with("dossier:")).collect();
    assert_eq!(
        lines,
        [
            "adr/0001-a.md:1:1: error[supersede-cycle]: supersede cycle: ADR-0001 supersedes ADR-0002 supersedes ADR-0001",
            "adr/0001-a.md:11:3: error[broken-link]: link target `0009-missing.md` does not exist",
            "adr/0001-a.md:11:38: error[broken-anchor]: `#nope` is not a heading of `adr/0002-b.md`",
            "adr/0001-a.md:11:71: error[dangling-wiki-link]: wiki link [[no-such-doc]] matches no document",
            "adr/0001-a.md:12:1: warning[unknown-id]: `ADR-0042` matches no document",
            "adr/0003-c.md:2:16: warning[relation-conflict]: `ADR-0003` says it is superseded by `ADR-0004`, but `ADR-0004` says it supersedes `ADR-0002`",
        ]
    );
    assert!(b.stderr.contains("4 errors, 2 warnings"));

    // `broken_links = "warn"` lowers broken links, anchors and wiki links, not a cycle.
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("xref-errors"), tmp.path());
    std::fs::write(tmp.path().join("dossier.toml"), "[check]\nbroken_links = \"warn\"\n").unwrap();
    let o = dossier().arg("check").arg(tmp.path()).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("warning[broken-link]")
            && err.contains("warning[broken-anchor]")
            && err.contains("warning[dangling-wiki-link]"),
        "{err}"
    );
    assert!(err.contains("1 error, 5 warnings"), "{err}");
    std::fs::remove_file(tmp.path().join("adr/0002-b.md")).unwrap();
    let o = dossier().arg("check").arg(tmp.path()).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn build_speaks_github_annotations() {
    let b = build(&fixture("xref-errors"), &["--format", "github"]);
    assert_eq!(b.code, 1);
    assert!(
        b.stdout.contains(
            "::error file=adr/0001-a.md,line=11,col=3,title=broken-link::link target `0009-missing.md` does not exist"
        ),
        "{}",
        b.stdout
    );
    assert!(b.stdout.contains("::warning file=adr/0003-c.md,line=2,col=16,title=relation-conflict::"), "{}", b.stdout);
}

#[test]
fn links_leaving_the_folder_become_repository_links() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    let docs = repo.join("docs");
    copy_tree(&fixture("xref"), &docs);
    let toml = std::fs::read_to_string(docs.join("dossier.toml")).unwrap();
    std::fs::write(docs.join("dossier.toml"), format!("repo_url = \"https://github.com/org/repo\"\n{toml}")).unwrap();
    let out = tmp.path().join("out");
    let o = dossier().arg("build").arg(&docs).arg("-o").arg(&out).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let page = std::fs::read_to_string(out.join("adr/0002-second/index.html")).unwrap();
    assert!(page.contains("href=\"https://github.com/org/repo/blob/HEAD/src/main.rs\""), "{page}");
    assert!(page.contains("href=\"https://github.com/org/repo/edit/HEAD/docs/adr/0002-second.md\""), "edit link");
}
