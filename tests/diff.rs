//! `dossier diff`: a repository built by the test (fixed dates and authors) with a branch that
//! accepts, adds, removes, renames, retitles and supersedes decisions, fixes one broken link
//! and adds another; the text, Markdown and JSON reports asserted exactly, the exit codes, the
//! default BASE (the merge base with main) against the work tree, and nothing written to DIR.

mod common;
use common::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// A Nygard record; `relation` goes in the Status section, `context` is the Context's text.
fn adr(n: u32, title: &str, status: &str, relation: &str, context: &str) -> String {
    format!(
        "# {n}. {title}\n\nDate: 2024-01-0{n}\n\n## Status\n\n{status}\n\n{relation}## Context\n\nWhy. {context}\n\n## Decision\n\nWhat.\n\n## Consequences\n\nSo.\n"
    )
}

fn commit(repo: &Path, msg: &str, date: &str) {
    git_as(repo, &["add", "-A"], date, "Ann Lee");
    git_as(repo, &["commit", "-q", "-m", msg], date, "Ann Lee");
}

/// `main`: four decisions, one with a broken link, 0004 amending 0001. `feature`: 0001
/// accepted and its link fixed, 0002 renamed and retitled, 0003 added (superseding 0004, with
/// a broken link), 0004 superseded and no longer amending 0001, 0005 removed.
fn repository(tmp: &Path) -> PathBuf {
    let repo = tmp.join("repo");
    let adr_dir = repo.join("docs/adr");
    std::fs::create_dir_all(&adr_dir).unwrap();
    git_as(&repo, &["init", "-q"], "2024-01-01T00:00:00Z", "Ann Lee");
    let write = |name: &str, text: String| std::fs::write(adr_dir.join(name), text).unwrap();
    write("0001-use-postgres.md", adr(1, "Use Postgres", "Proposed", "", "See [the old plan](0009-old-plan.md)."));
    write("0002-use-rest.md", adr(2, "Use REST", "Accepted", "", ""));
    write(
        "0004-deploy-by-hand.md",
        adr(4, "Deploy by hand", "Accepted", "Amends [ADR-0001](0001-use-postgres.md)\n\n", ""),
    );
    write("0005-use-xml.md", adr(5, "Use XML", "Rejected", "", ""));
    commit(&repo, "decisions", "2024-01-02T10:00:00Z");
    git_as(&repo, &["checkout", "-q", "-b", "feature"], "2024-01-03T10:00:00Z", "Ann Lee");
    write("0001-use-postgres.md", adr(1, "Use Postgres", "Accepted", "", ""));
    std::fs::remove_file(adr_dir.join("0002-use-rest.md")).unwrap();
    write("0002-use-rest-apis.md", adr(2, "Use REST APIs", "Accepted", "", ""));
    write(
        "0003-deploy-with-ci.md",
        adr(
            3,
            "Deploy with CI",
            "Proposed",
            "Supersedes [ADR-0004](0004-deploy-by-hand.md)\n\n",
            "See [the runbook](runbook.md).",
        ),
    );
    write(
        "0004-deploy-by-hand.md",
        adr(4, "Deploy by hand", "Superseded by [ADR-0003](0003-deploy-with-ci.md)", "", ""),
    );
    std::fs::remove_file(adr_dir.join("0005-use-xml.md")).unwrap();
    commit(&repo, "feature", "2024-01-04T10:00:00Z");
    repo
}

fn diff(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    let o = dossier().arg("diff").args(args).arg("--dir").arg(dir).output().unwrap();
    (o.status.code(), String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
}

fn listing(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .map(|e| e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

fn rev(repo: &Path, name: &str) -> String {
    let o =
        std::process::Command::new("git").arg("-C").arg(repo).args(["rev-parse", "--short=7", name]).output().unwrap();
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

/// `got` against the snapshot `tests/fixtures/diff/NAME`, with the commits named in `revs`
/// written as `<name>` (re-bless with `DOSSIER_BLESS=1 cargo test --test diff`).
fn snapshot(name: &str, got: &str, repo: &Path, revs: &[&str]) {
    let mut got = got.to_string();
    for r in revs {
        for form in [git_out(repo, &["rev-parse", r]), rev(repo, r)] {
            got = got.replace(form.trim(), &format!("<{r}>"));
        }
    }
    let path = manifest_dir().join("tests/fixtures/diff").join(name);
    if std::env::var("DOSSIER_BLESS").is_ok_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("no snapshot {}", path.display()));
    assert!(got == want, "{name} differs from its snapshot (re-bless with DOSSIER_BLESS=1 if intended):\n{got}");
}

const SUMMARY: &str =
    "1 added, 1 removed, 1 renamed, 2 status changes, 1 title change, 2 relation changes, 1 new error, 1 problem fixed";

#[test]
fn diff_reports_a_branch_as_a_reader_would_say_it() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repository(tmp.path());
    let docs = repo.join("docs");
    let before = listing(&repo);
    let (code, out, err) = diff(&docs, &["main", "feature"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(
        out.starts_with(&format!(
            "dossier diff: main ({}) → feature ({}): {SUMMARY}\n",
            rev(&repo, "main"),
            rev(&repo, "feature")
        )),
        "{out}"
    );
    assert!(
        out.contains("\nRelations:\n  ADR-0003 now supersedes ADR-0004\n  ADR-0004 no longer amends ADR-0001\n"),
        "{out}"
    );
    snapshot("branch.txt", &out, &repo, &["main", "feature"]);
    assert_eq!(listing(&repo), before, "diff writes nothing into the repository");
}

#[test]
fn the_markdown_report_is_the_pull_request_comment() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repository(tmp.path());
    let base = git_out(&repo, &["rev-parse", "main"]);
    let (code, out, err) = diff(
        &repo.join("docs"),
        &[base.trim(), "feature", "--format", "markdown", "--base-url", "https://acme.github.io/kb"],
    );
    assert_eq!(code, Some(0), "{err}");
    assert!(out.starts_with("<!-- dossier-diff -->\n### Knowledge base changes\n\n"), "{out}");
    assert!(
        out.contains("- [ADR-0003 Deploy with CI](https://acme.github.io/kb/adr/0003-deploy-with-ci/) (proposed)\n"),
        "{out}"
    );
    snapshot("branch.md", &out, &repo, &["main", "feature"]);
}

#[test]
fn the_json_report_names_both_revisions_and_every_change() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repository(tmp.path());
    let (code, out, err) = diff(&repo.join("docs"), &["main", "feature", "--format", "json"]);
    assert_eq!(code, Some(0), "{err}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["base"], serde_json::json!({"name": "main", "commit": git_out(&repo, &["rev-parse", "main"]).trim()}));
    assert_eq!(v["summary"], SUMMARY);
    assert_eq!(
        v["relations"],
        serde_json::json!([{"from": "ADR-0003", "kind": "supersedes", "to": "ADR-0004", "change": "added"},
            {"from": "ADR-0004", "kind": "amends", "to": "ADR-0001", "change": "removed"}])
    );
    snapshot("branch.json", &out, &repo, &["main", "feature"]);
}

#[test]
fn a_base_before_the_collection_existed_adds_every_document() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    git_as(&repo, &["init", "-q"], "2024-01-01T00:00:00Z", "Ann Lee");
    std::fs::write(repo.join("README.md"), "# Widgets\n").unwrap();
    commit(&repo, "code", "2024-01-02T10:00:00Z");
    git_as(&repo, &["tag", "before"], "2024-01-02T10:00:00Z", "Ann Lee");
    std::fs::create_dir_all(repo.join("docs/adr")).unwrap();
    std::fs::write(repo.join("docs/adr/0001-use-postgres.md"), adr(1, "Use Postgres", "Accepted", "", "")).unwrap();
    std::fs::write(
        repo.join("docs/adr/0002-use-rest.md"),
        adr(2, "Use REST", "Proposed", "Amends [ADR-0001](0001-use-postgres.md)\n\n", ""),
    )
    .unwrap();
    commit(&repo, "docs", "2024-01-03T10:00:00Z");
    let (code, out, err) = diff(&repo.join("docs"), &["before", "HEAD"]);
    assert_eq!(code, Some(0), "{err}");
    snapshot("new-collection.txt", &out, &repo, &["before", "HEAD"]);
}

#[test]
fn a_dossier_toml_change_shows_as_the_changes_it_makes() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(repo.join("docs/adr")).unwrap();
    git_as(&repo, &["init", "-q"], "2024-01-01T00:00:00Z", "Ann Lee");
    std::fs::write(repo.join("docs/adr/0001-use-postgres.md"), adr(1, "Use Postgres", "Parked", "", "")).unwrap();
    std::fs::write(repo.join("docs/adr/0002-use-rest.md"), adr(2, "Use REST", "Accepted", "", "See [it](missing.md)."))
        .unwrap();
    commit(&repo, "docs", "2024-01-02T10:00:00Z");
    // The team maps "Parked" (read as proposed by default) to deprecated and makes broken links
    // warnings.
    std::fs::write(
        repo.join("docs/dossier.toml"),
        "[statuses]\n\"Parked\" = \"deprecated\"\n\n[check]\nbroken_links = \"warn\"\n",
    )
    .unwrap();
    commit(&repo, "config", "2024-01-03T10:00:00Z");
    let (code, out, err) = diff(&repo.join("docs"), &["HEAD~1", "HEAD", "--format", "markdown"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains("**ADR-0001 Use Postgres**: proposed → deprecated"), "{out}");
    snapshot("config-change.md", &out, &repo, &["HEAD~1", "HEAD"]);
}

#[test]
fn fail_on_new_errors_exits_1_only_when_the_change_adds_one() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repository(tmp.path());
    let docs = repo.join("docs");
    let report = tmp.path().join("report.txt");
    let (code, out, err) = diff(&docs, &["main", "feature", "--fail-on", "new-errors", "-o", report.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{out}{err}");
    assert!(err.contains("the change introduces 1 error(s)"), "{err}");
    assert!(out.is_empty(), "--output takes the report: {out}");
    let file = std::fs::read_to_string(&report).unwrap();
    assert!(file.contains("\nNew problems:\n  error[broken-link] docs/adr/0003-deploy-with-ci.md:13: link target `runbook.md` does not exist\n"), "{file}");
    // An error that was there before the change is not the change's: feature against itself
    // keeps its broken link and exits 0.
    let (code, out, err) = diff(&docs, &["feature", "feature", "--fail-on", "new-errors"]);
    assert_eq!(code, Some(0), "{out}{err}");
    assert!(out.contains("no changes to the knowledge base"), "{out}");
}

#[test]
fn by_default_diff_compares_the_merge_base_with_main_to_the_work_tree() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repository(tmp.path());
    let adr_dir = repo.join("docs/adr");
    // main moves on after the branch: its change is not the branch's.
    git_as(&repo, &["checkout", "-q", "main"], "2024-01-05T10:00:00Z", "Ann Lee");
    std::fs::write(adr_dir.join("0006-use-grpc.md"), adr(6, "Use gRPC", "Proposed", "", "")).unwrap();
    commit(&repo, "main moves", "2024-01-05T10:00:00Z");
    git_as(&repo, &["checkout", "-q", "feature"], "2024-01-06T10:00:00Z", "Ann Lee");
    // Uncommitted: 0003 accepted, and a new untracked runbook that fixes its link.
    let text = std::fs::read_to_string(adr_dir.join("0003-deploy-with-ci.md")).unwrap();
    std::fs::write(adr_dir.join("0003-deploy-with-ci.md"), text.replace("\nProposed\n", "\nAccepted\n")).unwrap();
    std::fs::write(adr_dir.join("runbook.md"), "# Runbook\n\nSteps.\n").unwrap();
    let status_before = git_out(&repo, &["status", "--porcelain"]);
    let (code, out, err) = diff(&repo.join("docs"), &[]);
    assert_eq!(code, Some(0), "{err}");
    let base = rev(&repo, "main~1");
    assert!(
        out.starts_with(&format!(
            "dossier diff: merge base with main ({base}) → the work tree: 2 added, 1 removed, 1 renamed, 2 status changes"
        )),
        "{out}"
    );
    assert!(out.contains("\nAdded:\n  ADR-0003 Deploy with CI (accepted)\n  adr/runbook Runbook\n"), "{out}");
    assert!(!out.contains("ADR-0006"), "main's own change is not the branch's: {out}");
    assert!(!out.contains("New problems"), "the runbook fixed the link: {out}");
    assert_eq!(git_out(&repo, &["status", "--porcelain"]), status_before, "nothing written into the work tree");
}

/// Regression: with DIR at the repository's top level, each side read nothing (the check for
/// DIR's tree asked git for the commit's type), so every change went unreported.
#[test]
fn diff_at_the_top_level_of_the_repository_reads_both_sides() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    std::fs::create_dir_all(&repo).unwrap();
    git_as(&repo, &["init", "-q"], "2024-01-01T00:00:00Z", "Ann Lee");
    std::fs::write(repo.join("0001-use-postgres.md"), adr(1, "Use Postgres", "Proposed", "", "")).unwrap();
    commit(&repo, "propose", "2024-01-02T10:00:00Z");
    std::fs::write(repo.join("0001-use-postgres.md"), adr(1, "Use Postgres", "Accepted", "", "")).unwrap();
    commit(&repo, "accept", "2024-01-03T10:00:00Z");
    let (code, out, err) = diff(&repo, &["HEAD~1", "HEAD"]);
    assert_eq!(code, Some(0), "{err}");
    assert!(out.contains(": 1 status change\n") && out.contains("Use Postgres: proposed → accepted"), "{out}");
}

#[test]
fn an_unchanged_knowledge_base_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repository(tmp.path());
    let (code, out, _) = diff(&repo.join("docs"), &["feature", "feature"]);
    assert_eq!(code, Some(0));
    let feature = rev(&repo, "feature");
    assert_eq!(
        out,
        format!("dossier diff: feature ({feature}) → feature ({feature}): no changes to the knowledge base\n")
    );
}

#[test]
fn diff_names_what_it_cannot_compare() {
    let tmp = tempfile::tempdir().unwrap();
    let plain = tmp.path().join("plain");
    std::fs::create_dir_all(&plain).unwrap();
    let (code, _, err) = diff(&plain, &[]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("is not in a git repository") && err.contains("`dossier diff` compares two revisions"),
        "{err}"
    );
    let repo = repository(tmp.path());
    let (code, _, err) = diff(&repo.join("docs"), &["no-such-branch"]);
    assert_eq!(code, Some(2));
    assert!(err.contains("`no-such-branch` is not a commit, branch or tag of this repository"), "{err}");
    // A shallow clone (CI's default depth of 1) lacks the base: the error says how to fetch it.
    let shallow = tmp.path().join("shallow");
    let url = format!("file://{}", repo.display());
    git_as(
        tmp.path(),
        &["clone", "-q", "--depth", "1", "--branch", "feature", &url, "shallow"],
        "2024-02-01T00:00:00Z",
        "Ann Lee",
    );
    let (code, _, err) = diff(&shallow.join("docs"), &["feature~1"]);
    assert_eq!(code, Some(2));
    assert!(
        err.contains("this clone is shallow: fetch the history, e.g. `fetch-depth: 0` in actions/checkout"),
        "{err}"
    );
}

fn git_out(repo: &Path, args: &[&str]) -> String {
    let o = std::process::Command::new("git").arg("-C").arg(repo).args(args).output().unwrap();
    String::from_utf8_lossy(&o.stdout).into_owned()
}
