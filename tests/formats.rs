//! Output formats that CI tools read: GitHub annotations with repository-relative paths, the
//! JSON report of `check` and `build`, and SARIF 2.1.0 for code scanning.

mod common;
use common::*;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// The `ci-formats` fixture as `docs/` of a fresh git repository: (temp dir, repo, docs).
fn repo_with_docs() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let docs = repo.join("docs");
    copy_tree(&fixture("ci-formats"), &docs);
    let o = std::process::Command::new("git").arg("-C").arg(&repo).args(["init", "-q"]).output().unwrap();
    assert!(o.status.success(), "git init: {}", String::from_utf8_lossy(&o.stderr));
    (tmp, repo, docs)
}

/// Runs `dossier ARGS`: exit code, stdout, stderr.
fn run(args: &[&std::ffi::OsStr]) -> (i32, String, String) {
    let o = dossier().args(args).output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn check(dir: &Path, format: &str) -> (i32, String, String) {
    run(&["check".as_ref(), dir.as_os_str(), "--format".as_ref(), format.as_ref()])
}

fn build(dir: &Path, out: &Path, format: &str) -> (i32, String, String) {
    run(&["build".as_ref(), dir.as_os_str(), "-o".as_ref(), out.as_os_str(), "--format".as_ref(), format.as_ref()])
}

const BROKEN: &str = "::error file=docs/adr/0001-use-ci-formats.md,line=11,col=5,title=broken-link::link target \
                      `runbook.md` does not exist";
const BAD_DATE: &str = "::warning file=docs/adr/0001-use-ci-formats.md,line=3,col=7,title=invalid-date::";

#[test]
fn github_paths_were_relative_to_dir_not_the_repository() {
    let (tmp, _repo, docs) = repo_with_docs();
    let (code, out, err) = check(&docs, "github");
    assert_eq!(code, 1, "{err}");
    assert!(out.lines().any(|l| l.starts_with(BROKEN)), "{out}");
    assert!(out.lines().any(|l| l.starts_with(BAD_DATE)), "{out}");
    assert!(!out.contains("file=adr/"), "{out}");
    let (code, out, err) = build(&docs, &tmp.path().join("site"), "github");
    assert_eq!(code, 1, "{err}");
    assert!(out.lines().any(|l| l.starts_with(BROKEN)), "{out}");
    // Outside a repository the paths stay relative to DIR.
    let plain = tmp.path().join("plain");
    copy_tree(&fixture("ci-formats"), &plain);
    let (_, out, _) = check(&plain, "github");
    assert!(out.contains("::error file=adr/0001-use-ci-formats.md,line=11,col=5,title=broken-link::"), "{out}");
}

/// The JSON report's shape: counts and one object per diagnostic.
fn assert_report_shape(v: &Value) {
    let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["documents", "errors", "warnings", "diagnostics", "not_checked"], "{v}");
    assert_eq!((v["documents"].as_u64(), v["errors"].as_u64(), v["warnings"].as_u64()), (Some(1), Some(1), Some(1)));
    let d = &v["diagnostics"];
    assert_eq!(d[0]["code"], "invalid-date");
    assert_eq!(
        d[1],
        json!({
            "severity": "error",
            "code": "broken-link",
            "path": "adr/0001-use-ci-formats.md",
            "line": 11,
            "col": 5,
            "message": "link target `runbook.md` does not exist",
            "help": d[1]["help"],
        })
    );
    assert!(d[1]["help"].is_string());
}

#[test]
fn check_json_is_one_object_with_a_diagnostics_list() {
    let (_tmp, _repo, docs) = repo_with_docs();
    let (code, out, _) = check(&docs, "json");
    assert_eq!(code, 1);
    assert_report_shape(&serde_json::from_str(&out).unwrap());
}

#[test]
fn build_json_gives_the_same_report_instead_of_text() {
    let (tmp, _repo, docs) = repo_with_docs();
    let site = tmp.path().join("site");
    let (code, out, err) = build(&docs, &site, "json");
    assert_eq!(code, 1);
    let v: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_report_shape(&v);
    assert_eq!(v, serde_json::from_str::<Value>(&check(&docs, "json").1).unwrap());
    // No text diagnostics beside it, only the closing line.
    assert!(!err.contains("error[broken-link]"), "{err}");
    assert!(err.contains("dossier: build failed: 1 error, 1 warning; nothing was written"), "{err}");
    assert!(!site.exists());
    // A build that succeeds prints the report too.
    let adr = docs.join("adr/0001-use-ci-formats.md");
    std::fs::write(&adr, std::fs::read_to_string(&adr).unwrap().replace("[runbook](runbook.md)", "runbook")).unwrap();
    let (code, out, err) = build(&docs, &site, "json");
    assert_eq!(code, 0, "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!((v["documents"].as_u64(), v["errors"].as_u64(), v["warnings"].as_u64()), (Some(1), Some(0), Some(1)));
    assert_eq!(v["diagnostics"][0]["code"], "invalid-date");
    assert!(site.join("index.html").exists());
}

/// The fields GitHub code scanning requires of an uploaded SARIF file.
fn assert_code_scanning_sarif(out: &str) -> Value {
    let v: Value = serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"));
    assert_eq!(v["version"], "2.1.0");
    assert_eq!(v["$schema"], "https://json.schemastore.org/sarif-2.1.0.json");
    let run = &v["runs"][0];
    assert_eq!(v["runs"].as_array().unwrap().len(), 1);
    assert_eq!(run["tool"]["driver"]["name"], "dossier");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["invalid-date", "broken-link"]);
    for r in rules {
        assert!(!r["shortDescription"]["text"].as_str().unwrap().is_empty(), "{r}");
    }
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    for r in results {
        let id = r["ruleId"].as_str().unwrap();
        assert_eq!(rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"], id);
        assert!(["error", "warning", "note"].contains(&r["level"].as_str().unwrap()), "{r}");
        assert!(!r["message"]["text"].as_str().unwrap().is_empty());
        let loc = &r["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "docs/adr/0001-use-ci-formats.md");
        assert!(loc["region"]["startLine"].as_u64().unwrap() >= 1);
        assert!(loc["region"]["startColumn"].as_u64().unwrap() >= 1);
    }
    let broken = results.iter().find(|r| r["ruleId"] == "broken-link").unwrap();
    assert_eq!(broken["level"], "error");
    assert_eq!(broken["locations"][0]["physicalLocation"]["region"], json!({"startLine": 11, "startColumn": 5}));
    assert!(broken["message"]["text"].as_str().unwrap().starts_with("link target `runbook.md` does not exist\nhelp: "));
    v
}

#[test]
fn sarif_for_check_and_build() {
    let (tmp, _repo, docs) = repo_with_docs();
    let (code, out, _) = check(&docs, "sarif");
    assert_eq!(code, 1);
    let from_check = assert_code_scanning_sarif(&out);
    let (code, out, _) = build(&docs, &tmp.path().join("site"), "sarif");
    assert_eq!(code, 1);
    assert_eq!(assert_code_scanning_sarif(&out), from_check);
}

#[test]
fn invalid_config_in_the_machine_formats() {
    let (_tmp, repo, docs) = repo_with_docs();
    std::fs::write(docs.join("dossier.toml"), "[check]\nbroken_links = \"sometimes\"\n").unwrap();
    let (code, out, _) = check(&docs, "github");
    assert_eq!(code, 2);
    assert!(out.starts_with("::error file=docs/dossier.toml,line=2,col=1,title=invalid-config::"), "{out}");
    let (code, out, _) = check(&docs, "sarif");
    assert_eq!(code, 2);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "docs/dossier.toml"
    );
    // At the repository root, paths are the same as relative to DIR.
    let (_, out, _) = check(&repo, "github");
    assert!(out.contains("file=docs/adr/0001-use-ci-formats.md,line=11"), "{out}");
}
