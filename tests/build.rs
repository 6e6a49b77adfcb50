//! `dossier build` and `dossier check` on small fixtures: the model in dossier.json,
//! diagnostics and exit codes, output safety and determinism.

mod common;
use common::*;
use serde_json::json;

#[test]
fn every_format_is_read() {
    let b = build(&fixture("formats"), &[]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let j = b.json();
    assert_eq!(j["version"], 1);
    let sources: Vec<&str> = j["documents"].as_array().unwrap().iter().map(|d| d["source"].as_str().unwrap()).collect();
    let mut sorted = sources.clone();
    sorted.sort();
    assert_eq!(sources, sorted, "documents are sorted by source");
    assert_eq!(sources.len(), 7);

    let a1 = b.doc("ADR-0001");
    assert_eq!(a1["title"], "Record decisions");
    assert_eq!(a1["status"], "superseded");
    assert_eq!(a1["status_raw"], "Superseded");
    assert_eq!(a1["superseded_by"], json!(["ADR-0003"]));
    assert_eq!(a1["amended_by"], json!(["ADR-0002"]));
    assert_eq!(a1["url"], "docs/adr/0001-record-decisions/");
    assert_eq!(a1["backlinks"], json!(["ADR-0002", "ADR-0003"]));

    let a2 = b.doc("ADR-0002");
    assert_eq!(a2["authors"], json!(["Rosa Diaz", "Amir Khan"]), "in the order written");
    assert_eq!(a2["tags"], json!(["format", "metadata"]));
    assert_eq!(a2["date"], "2024-02-01");
    assert_eq!(a2["date_source"], "document");
    assert_eq!(a2["number"], 2);

    let a3 = b.doc("ADR-0003");
    assert_eq!(a3["supersedes"], json!(["ADR-0001"]));
    assert_eq!(a3["references"], json!(["ADR-0001", "docs/design/search"]));

    let l = b.doc("docs/decisions/20240401-use-bullets");
    assert_eq!(
        (l["kind"].as_str(), l["status"].as_str(), l["status_raw"].as_str()),
        (Some("adr"), Some("proposed"), Some("Under Review"))
    );
    assert_eq!(l["number"], json!(null));
    assert_eq!(l["authors"], json!(["Lee Park"]));

    let d = b.doc("docs/design/search");
    assert_eq!(
        (d["kind"].as_str(), d["title"].as_str(), d["status"].as_str()),
        (Some("design"), Some("Search Index"), Some("accepted"))
    );
    assert_eq!(d["backlinks"], json!(["ADR-0003", "README"]));
    assert_eq!(d["references"], json!(["ADR-0002"]));

    let t = b.doc("docs/design/toml-notes");
    assert_eq!(
        (t["title"].as_str(), t["status"].as_str(), t["date"].as_str()),
        (Some("TOML front matter notes"), Some("draft"), Some("2024-06-07"))
    );

    let r = b.doc("README");
    assert_eq!((r["kind"].as_str(), r["url"].as_str()), (Some("page"), Some("")));

    // The image next to the ADR is copied, and the page links resolve to rendered pages.
    assert_eq!(b.read("docs/adr/fig.png"), "PNG-bytes");
    let page = b.read("docs/adr/0003-keep-a-decision-log/index.html");
    assert!(page.contains("href=\"../../../docs/design/search/#goals\""), "{page}");
    assert!(b.out.join(".nojekyll").is_file());
}

#[test]
fn diagnostics_are_sorted_with_positions_and_help() {
    let b = build(&fixture("diagnostics"), &[]);
    assert_eq!(b.code, 0, "warnings alone do not fail: {}", b.stderr);
    let lines: Vec<&str> =
        b.stderr.lines().filter(|l| !l.starts_with("  help:") && !l.starts_with("dossier:")).collect();
    assert_eq!(
        lines,
        [
            "adr/0001-bad-front-matter.md:2:13: warning[invalid-front-matter]: front matter ignored: mapping values are not allowed in this context",
            "adr/0002-bad-date.md:3:7: warning[invalid-date]: \"2014-19-19\" is not a valid date; it is kept as written",
            "adr/0002-bad-date.md:7:1: warning[unknown-status]: unknown status \"Acceptd\"",
            "adr/0002-duplicate-number.md:1:1: warning[duplicate-id]: ID `ADR-0002` is already used by `adr/0002-bad-date.md`; this document is known as `adr/0002-duplicate-number`",
            "adr/0003-latin1.md:1:9: warning[invalid-utf8]: the file is not valid UTF-8; invalid bytes are shown as \u{FFFD}",
        ],
        "{}",
        b.stderr
    );
    assert_eq!(b.stderr.matches("  help: ").count(), 5);
    assert!(b.stderr.contains("0 errors, 5 warnings"));
    let j = b.json();
    assert_eq!(j["documents"].as_array().unwrap().len(), 4);
    assert_eq!(b.doc("ADR-0001")["title"], "Fallback title");
    assert_eq!(b.doc("ADR-0002")["date"], "2014-19-19");
    assert_eq!(b.doc("adr/0002-duplicate-number")["title"], "Duplicate number");

    // --strict turns the warnings into a failure, and nothing is written.
    let s = build(&fixture("diagnostics"), &["--strict"]);
    assert_eq!(s.code, 1);
    assert!(!s.out.exists());
    assert!(s.stderr.contains("build failed (--strict)"), "{}", s.stderr);
}

#[test]
fn check_writes_nothing_and_speaks_json_and_github() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("diagnostics"), tmp.path());
    let o = dossier().current_dir(tmp.path()).args(["check", "--format", "json"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["warnings"], 5);
    assert_eq!(v["diagnostics"][0]["code"], "invalid-front-matter");
    assert_eq!(v["diagnostics"][0]["line"], 2);
    assert!(!tmp.path().join("site").exists());
    let o = dossier().current_dir(tmp.path()).args(["check", "--format", "github", "--strict"]).output().unwrap();
    assert_eq!(o.status.code(), Some(1));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("::warning file=adr/0002-bad-date.md,line=3,col=7,title=invalid-date::"), "{out}");
}

#[test]
fn url_collision_is_an_error_and_keeps_the_previous_site() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir_all(src.join("guide")).unwrap();
    std::fs::write(src.join("guide.md"), "# Guide\n").unwrap();
    let out = tmp.path().join("out");
    let ok = dossier().arg("build").arg(&src).arg("-o").arg(&out).output().unwrap();
    assert_eq!(ok.status.code(), Some(0));
    let before = tree(&out);

    std::fs::write(src.join("guide/index.md"), "# Also the guide\n").unwrap();
    std::fs::write(src.join("search.md"), "# Search\n").unwrap();
    let o = dossier().arg("build").arg(&src).arg("-o").arg(&out).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("guide/index.md: error[url-collision]: this page and `guide.md` both map to the URL `guide/`"),
        "{err}"
    );
    assert!(err.contains("search.md: error[url-collision]"), "{err}");
    assert_eq!(tree(&out), before, "the previous output is untouched");
}

#[test]
fn invalid_config_is_exit_2_with_location() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("dossier.toml"), "title = \"x\"\n[check]\nbroken_links = \"sometimes\"\n").unwrap();
    std::fs::write(tmp.path().join("a.md"), "# A\n").unwrap();
    let o = dossier().arg("build").arg(tmp.path()).arg("-o").arg(tmp.path().join("site")).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("dossier.toml:3:1: error[invalid-config]: broken_links = \"sometimes\" is not a level"),
        "{err}"
    );
    assert!(!tmp.path().join("site").exists());

    std::fs::write(tmp.path().join("dossier.toml"), "title = \"x\"\ncolour = \"blue\"\n").unwrap();
    let o = dossier().arg("build").arg(tmp.path()).arg("-o").arg(tmp.path().join("site")).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "unknown keys only warn: {err}");
    assert!(err.contains("dossier.toml:2:1: warning[unknown-config-key]"), "{err}");
}

#[test]
fn usage_errors_are_exit_2() {
    let o = dossier().args(["build", "--no-such-flag"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let o = dossier().args(["build", "/no/such/folder/anywhere"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("does not exist"));
    let o = dossier().args(["build", ".", "--base-url", "not a url"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn refuses_dangerous_output_folders() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("docs");
    copy_tree(&fixture("formats"), &src);
    let run = |out: &std::path::Path| dossier().arg("build").arg(&src).arg("-o").arg(out).output().unwrap();

    for (out, why) in [
        (src.clone(), "is the source folder"),
        (tmp.path().to_path_buf(), "contains the source folder"),
        (src.join("docs/adr/site"), "lies inside the collection"),
    ] {
        let o = run(&out);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{err}");
        assert!(err.contains(why), "{err}");
    }
    // A folder dossier did not make is never replaced.
    let foreign = tmp.path().join("foreign");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("keep.txt"), "mine").unwrap();
    let o = run(&foreign);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("was not made by dossier"));
    assert_eq!(std::fs::read_to_string(foreign.join("keep.txt")).unwrap(), "mine");
    assert_eq!(std::fs::read_dir(&foreign).unwrap().count(), 1);
}

#[test]
fn output_dir_from_config_and_default_site() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("a.md"), "# A\n").unwrap();
    let o = dossier().current_dir(tmp.path()).arg("build").output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(tmp.path().join("site/a/index.html").is_file());
    assert!(!tmp.path().join("site/site").exists(), "the output folder is not read as a source");
    std::fs::write(tmp.path().join("dossier.toml"), "output_dir = \"public\"\n").unwrap();
    let o = dossier().current_dir(tmp.path()).arg("build").output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(tmp.path().join("public/a/index.html").is_file());
    let json = std::fs::read_to_string(tmp.path().join("public/dossier.json")).unwrap();
    assert!(!json.contains("site/"), "the previous output is not a source: {json}");
}

#[test]
fn builds_are_byte_identical() {
    let a = build(&manifest_dir().join("example-docs"), &["--base-url", "https://example.org/kb/"]);
    let b = build(&manifest_dir().join("example-docs"), &["--base-url", "https://example.org/kb/"]);
    assert_eq!(a.code, 0, "{}", a.stderr);
    let (ta, tb) = (tree(&a.out), tree(&b.out));
    assert!(ta.len() > 30);
    assert_eq!(ta.iter().map(|x| &x.0).collect::<Vec<_>>(), tb.iter().map(|x| &x.0).collect::<Vec<_>>());
    for (x, y) in ta.iter().zip(&tb) {
        assert!(x.1 == y.1, "{} differs between builds", x.0);
    }
}
