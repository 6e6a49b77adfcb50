//! Dates and contributors from git, read from a temporary repository with known commit dates.

mod common;
use common::*;
use std::process::Command;

#[test]
fn dates_and_contributors_come_from_one_walk_of_the_history() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    let docs = repo.join("docs");
    std::fs::create_dir_all(docs.join("adr")).unwrap();
    git_as(&repo, &["init", "-q"], "2020-01-01T00:00:00Z", "Ann");
    std::fs::write(
        docs.join("adr/0001-undated.md"),
        "# 1. Undated\n\n## Status\n\nAccepted\n\n## Context\n\nx\n\n## Decision\n\ny\n",
    )
    .unwrap();
    std::fs::write(
        docs.join("adr/0002-dated.md"),
        "# 2. Dated\n\nDate: 2019-05-05\n\n## Status\n\nAccepted\n\n## Context\n\nx\n\n## Decision\n\ny\n",
    )
    .unwrap();
    git_as(&repo, &["add", "."], "2020-01-02T10:00:00Z", "Ann");
    git_as(&repo, &["commit", "-q", "-m", "first"], "2020-01-02T10:00:00Z", "Ann Author");
    std::fs::write(
        docs.join("adr/0001-undated.md"),
        "# 1. Undated\n\n## Status\n\nAccepted\n\n## Context\n\nx, edited\n\n## Decision\n\ny\n",
    )
    .unwrap();
    git_as(&repo, &["commit", "-q", "-am", "second"], "2021-03-04T12:00:00Z", "Bob Builder");

    let out = tmp.path().join("out");
    let o = dossier().arg("build").arg(&docs).arg("-o").arg(&out).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(!err.contains("note:"), "{err}");
    let j: serde_json::Value = serde_json::from_slice(&std::fs::read(out.join("dossier.json")).unwrap()).unwrap();
    let doc = |id: &str| j["documents"].as_array().unwrap().iter().find(|d| d["id"] == id).unwrap().clone();
    let a = doc("ADR-0001");
    assert_eq!(
        (a["date"].as_str(), a["date_source"].as_str(), a["updated"].as_str()),
        (Some("2020-01-02"), Some("git"), Some("2021-03-04"))
    );
    assert_eq!(a["contributors"], serde_json::json!(["Ann Author", "Bob Builder"]));
    let b = doc("ADR-0002");
    assert_eq!(
        (b["date"].as_str(), b["date_source"].as_str(), b["updated"].as_str()),
        (Some("2019-05-05"), Some("document"), Some("2020-01-02"))
    );
    let page = std::fs::read_to_string(out.join("adr/0001-undated/index.html")).unwrap();
    assert!(
        page.contains("Last updated <time datetime=\"2021-03-04\">2021-03-04</time> by Ann Author, Bob Builder"),
        "{page}"
    );

    // A shallow clone still builds, with a note.
    let clone = tmp.path().join("clone");
    let st = Command::new("git")
        .args(["clone", "-q", "--depth", "1"])
        .arg(format!("file://{}", repo.display()))
        .arg(&clone)
        .output()
        .unwrap();
    assert!(st.status.success());
    let o = dossier().arg("build").arg(clone.join("docs")).arg("-o").arg(tmp.path().join("out2")).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stderr).contains("note: git history is shallow"));
}

#[test]
fn no_git_at_all_works_with_a_note() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("a.md"), "# A\n").unwrap();
    let o = dossier().arg("build").arg(tmp.path()).arg("-o").arg(tmp.path().join("out")).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("note: no git history here"), "{err}");
    let j: serde_json::Value =
        serde_json::from_slice(&std::fs::read(tmp.path().join("out/dossier.json")).unwrap()).unwrap();
    assert_eq!(j["documents"][0]["updated"], serde_json::Value::Null);
}
