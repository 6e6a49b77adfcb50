//! Status history from git: a repository built by the test, with fixed dates and authors,
//! read into `dossier.json`, the document page and the decision log.

mod common;
use common::*;
use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;

fn adr(n: u32, title: &str, status: &str, extra: &str) -> String {
    format!("# {n}. {title}\n\n## Status\n\n{status}\n\n{extra}## Context\n\nWhy.\n\n## Decision\n\nWhat.\n")
}

fn commit(repo: &Path, msg: &str, date: &str, author: &str) {
    git_as(repo, &["add", "-A"], date, author);
    git_as(repo, &["commit", "-q", "-m", msg], date, author);
}

/// A repository whose first decision is proposed, accepted, renamed, edited and superseded by a
/// second, and whose third is accepted, reverted, then accepted on a merged branch.
fn repository(tmp: &Path) -> std::path::PathBuf {
    let repo = tmp.join("repo");
    let adr_dir = repo.join("docs/adr");
    std::fs::create_dir_all(&adr_dir).unwrap();
    git_as(&repo, &["init", "-q"], "2024-01-01T00:00:00Z", "Ann Lee");
    let write = |name: &str, text: String| std::fs::write(adr_dir.join(name), text).unwrap();
    write("0001-use-postgres.md", adr(1, "Use Postgres", "Proposed", ""));
    write("0003-use-rest.md", adr(3, "Use REST", "Proposed", ""));
    commit(&repo, "propose", "2024-01-02T10:00:00Z", "Ann Lee");
    write("0001-use-postgres.md", adr(1, "Use Postgres", "Accepted", ""));
    commit(&repo, "accept", "2024-02-10T10:00:00Z", "Bo Chen");
    // A rename with a body edit that changes nothing history records.
    std::fs::remove_file(adr_dir.join("0001-use-postgres.md")).unwrap();
    let body = adr(1, "Use Postgres", "Accepted", "").replace("Why.", "Why, in more words.");
    write("0001-use-postgresql.md", body);
    commit(&repo, "rename", "2024-03-01T10:00:00Z", "Ann Lee");
    write("0003-use-rest.md", adr(3, "Use REST", "Accepted", ""));
    commit(&repo, "accept rest", "2024-04-01T10:00:00Z", "Bo Chen");
    git_as(&repo, &["revert", "--no-edit", "HEAD"], "2024-04-02T10:00:00Z", "Ann Lee");
    git_as(&repo, &["checkout", "-q", "-b", "side"], "2024-04-03T10:00:00Z", "Ann Lee");
    write("0003-use-rest.md", adr(3, "Use REST APIs", "Accepted", ""));
    commit(&repo, "accept rest again", "2024-04-05T10:00:00Z", "Carol Diaz");
    git_as(&repo, &["checkout", "-q", "main"], "2024-04-06T10:00:00Z", "Ann Lee");
    git_as(&repo, &["merge", "-q", "--no-ff", "-m", "merge side", "side"], "2024-04-06T10:00:00Z", "Ann Lee");
    write(
        "0002-use-cockroach.md",
        adr(2, "Use CockroachDB", "Accepted", "Supersedes [ADR-0001](0001-use-postgresql.md)\n\n"),
    );
    commit(&repo, "supersede", "2025-03-01T10:00:00Z", "Carol Diaz");
    repo
}

fn build(dir: &Path, out: &Path) -> (Value, String) {
    let o = dossier()
        .arg("build")
        .arg(dir)
        .arg("-o")
        .arg(out)
        .args(["--base-url", "https://example.org/kb/"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(0), "{err}");
    (serde_json::from_slice(&std::fs::read(out.join("dossier.json")).unwrap()).unwrap(), err)
}

fn doc<'a>(j: &'a Value, id: &str) -> &'a Value {
    j["documents"].as_array().unwrap().iter().find(|d| d["id"] == id).unwrap()
}

/// `(status, date, author, changed)` of each change, without the commit hashes.
fn steps(d: &Value) -> Vec<(String, String, String, Vec<String>)> {
    d["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap_or_default().to_string();
            let changed = c["changed"].as_array().unwrap().iter().map(|w| w.as_str().unwrap().to_string()).collect();
            (s("status"), s("date"), s("author"), changed)
        })
        .collect()
}

fn step(status: &str, date: &str, author: &str, changed: &[&str]) -> (String, String, String, Vec<String>) {
    (status.into(), date.into(), author.into(), changed.iter().map(|s| s.to_string()).collect())
}

#[test]
fn status_history_follows_renames_supersedes_reverts_and_merges() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repository(tmp.path());
    let out = tmp.path().join("out");
    let (j, _) = build(&repo.join("docs"), &out);

    let first = doc(&j, "ADR-0001");
    assert_eq!(
        steps(first),
        [
            step("proposed", "2024-01-02", "Ann Lee", &["created"]),
            step("accepted", "2024-02-10", "Bo Chen", &["status"]),
            step("superseded", "2025-03-01", "Carol Diaz", &["superseded-by"]),
        ]
    );
    assert_eq!(first["history"][2]["by"], json!("ADR-0002"));
    assert_eq!(first["history"][0]["commit"].as_str().map(str::len), Some(40));
    assert_eq!(first["decided"], json!("2024-02-10"));

    let rest = doc(&j, "ADR-0003");
    assert_eq!(
        steps(rest),
        [
            step("proposed", "2024-01-02", "Ann Lee", &["created"]),
            step("accepted", "2024-04-01", "Bo Chen", &["status"]),
            step("proposed", "2024-04-02", "Ann Lee", &["status"]),
            step("accepted", "2024-04-05", "Carol Diaz", &["status", "title"]),
        ]
    );
    assert_eq!(rest["decided"], json!("2024-04-05"));
    assert_eq!(doc(&j, "ADR-0002")["decided"], json!("2025-03-01"));

    let page = std::fs::read_to_string(out.join("adr/0001-use-postgresql/index.html")).unwrap();
    let text = page.split("doc-history").nth(1).unwrap().split("</ol>").next().unwrap();
    assert!(text.contains("Proposed <time datetime=\"2024-01-02\">2024-01-02</time> by Ann Lee"), "{text}");
    assert!(text.contains("Accepted <time datetime=\"2024-02-10\">2024-02-10</time> by Bo Chen"), "{text}");
    assert!(text.contains("Superseded by <a href=\"../../adr/0002-use-cockroach/\">ADR-0002</a> <time"), "{text}");

    let log = std::fs::read_to_string(out.join("log/index.html")).unwrap();
    assert!(log.contains(">Decided</button>"), "{log}");
    assert!(log.contains("<time datetime=\"2024-04-05\">2024-04-05</time>"), "{log}");

    // The feed has an entry per status change, newest first, each by its commit's author.
    let feed = std::fs::read_to_string(out.join("feed.xml")).unwrap();
    let titles: Vec<&str> = feed.split("<title>").skip(2).map(|t| t.split("</title>").next().unwrap()).collect();
    assert_eq!(
        titles,
        [
            "ADR-0001 Use Postgres [Accepted \u{2192} Superseded by ADR-0002]",
            "ADR-0002 Use CockroachDB [Accepted (new)]",
            "ADR-0003 Use REST APIs [Proposed \u{2192} Accepted]",
            "ADR-0003 Use REST APIs [Accepted \u{2192} Proposed]",
            "ADR-0003 Use REST APIs [Proposed \u{2192} Accepted]",
            "ADR-0001 Use Postgres [Proposed \u{2192} Accepted]",
            "ADR-0001 Use Postgres [Proposed (new)]",
            "ADR-0003 Use REST APIs [Proposed (new)]",
        ]
    );
    assert!(feed.contains("<author><name>Carol Diaz</name></author>"), "{feed}");
    let ids: std::collections::BTreeSet<&str> =
        feed.split("<id>").skip(2).map(|t| t.split("</id>").next().unwrap()).collect();
    assert_eq!(ids.len(), titles.len(), "entry ids are unique: {feed}");

    // The timeline shows the changes after each document's creation on their own dates.
    let timeline = std::fs::read_to_string(out.join("timeline/index.html")).unwrap();
    let changes: Vec<&str> = timeline
        .split("<li class=\"change\">")
        .skip(1)
        .map(|t| t.split("<time datetime=\"").nth(1).unwrap().split('"').next().unwrap())
        .collect();
    assert_eq!(changes, ["2025-03-01", "2024-04-05", "2024-04-02", "2024-04-01", "2024-02-10"], "{timeline}");
    assert!(timeline.contains("Superseded by ADR-0002</span> <span class=\"kind\">status change by Carol Diaz"));

    // An edit not yet committed is the current status, not a change of the last commit.
    std::fs::write(repo.join("docs/adr/0003-use-rest.md"), adr(3, "Use REST APIs", "Deprecated", "")).unwrap();
    let (j, _) = build(&repo.join("docs"), &tmp.path().join("out2"));
    let rest = doc(&j, "ADR-0003");
    assert_eq!(rest["status"], json!("deprecated"));
    assert_eq!(steps(rest).last(), Some(&step("accepted", "2024-04-05", "Carol Diaz", &["status", "title"])));
}

#[test]
fn a_shallow_clone_has_only_the_history_it_holds() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = repository(tmp.path());
    let clone = tmp.path().join("clone");
    let st = Command::new("git")
        .args(["clone", "-q", "--depth", "1"])
        .arg(format!("file://{}", repo.display()))
        .arg(&clone)
        .output()
        .unwrap();
    assert!(st.status.success());
    let (j, err) = build(&clone.join("docs"), &tmp.path().join("out"));
    assert!(err.contains("note: git history is shallow"), "{err}");
    // One commit: every document was "created" in it, and nothing was decided before it.
    let first = doc(&j, "ADR-0001");
    assert_eq!(steps(first)[0].3, ["created"]);
    assert_eq!(steps(first)[0].1, "2025-03-01");
}

#[test]
fn without_git_there_is_no_history() {
    let tmp = tempfile::tempdir().unwrap();
    let adr_dir = tmp.path().join("docs/adr");
    std::fs::create_dir_all(&adr_dir).unwrap();
    std::fs::write(adr_dir.join("0001-a.md"), adr(1, "A", "Accepted", "")).unwrap();
    let (j, _) = build(&tmp.path().join("docs"), &tmp.path().join("out"));
    assert_eq!(doc(&j, "ADR-0001")["history"], json!([]));
    assert_eq!(doc(&j, "ADR-0001")["decided"], Value::Null);
    let log = std::fs::read_to_string(tmp.path().join("out/log/index.html")).unwrap();
    assert!(!log.contains(">Decided<"), "{log}");
}

#[test]
fn waiting_proposals_are_listed_oldest_first_and_stale_ones_warned_against_heads_date() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let adr_dir = repo.join("docs/adr");
    std::fs::create_dir_all(&adr_dir).unwrap();
    git_as(&repo, &["init", "-q"], "2024-01-01T00:00:00Z", "Ann Lee");
    let write = |name: &str, text: String| std::fs::write(adr_dir.join(name), text).unwrap();
    write("0001-old.md", adr(1, "Old proposal", "Proposed", ""));
    write("0003-done.md", adr(3, "Done", "Accepted", ""));
    commit(&repo, "add", "2024-01-02T10:00:00Z", "Ann Lee");
    write("0002-new.md", adr(2, "New draft", "Draft", ""));
    commit(&repo, "draft", "2024-06-01T10:00:00Z", "Bo Chen");
    std::fs::write(repo.join("notes.txt"), "x").unwrap();
    commit(&repo, "elsewhere", "2024-08-01T10:00:00Z", "Bo Chen");
    std::fs::write(repo.join("docs/dossier.toml"), "[review]\nstale_after = \"90d\"\n").unwrap();

    let o = dossier().arg("check").arg(repo.join("docs")).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let stale: Vec<&str> = err.lines().filter(|l| l.contains("stale-proposal")).collect();
    assert_eq!(
        stale,
        [
            "adr/0001-old.md:1:1: warning[stale-proposal]: proposed since 2024-01-02: 212 days before the last commit, longer than `stale_after` (90 days)"
        ],
        "{err}"
    );

    let out = tmp.path().join("out");
    let (_, _) = build(&repo.join("docs"), &out);
    let page = std::fs::read_to_string(out.join("status/waiting/index.html")).unwrap();
    let order: Vec<&str> = page.split("data-waiting-since=\"").skip(1).map(|t| t.split('"').next().unwrap()).collect();
    assert_eq!(order, ["2024-01-02", "2024-06-01"], "{page}");
    assert!(!page.contains("Done"), "{page}");
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(home.contains("Waiting for a decision"), "{home}");
    assert!(home.contains("href=\"./status/waiting/\""), "{home}");

    // Off by default, and an unreadable duration is a config error with help.
    std::fs::write(repo.join("docs/dossier.toml"), "[review]\nstale_after = \"soon\"\n").unwrap();
    let o = dossier().arg("check").arg(repo.join("docs")).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("stale_after = \"soon\" is not a duration"), "{err}");
    std::fs::remove_file(repo.join("docs/dossier.toml")).unwrap();
    let o = dossier().arg("check").arg(repo.join("docs")).output().unwrap();
    assert!(!String::from_utf8_lossy(&o.stderr).contains("stale-proposal"));
}
