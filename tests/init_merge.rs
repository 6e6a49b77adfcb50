//! `dossier init` merges instead of overwriting: run twice, after an edit, after a build, and
//! with `--github-pages` on a `master` repository, each result asserted as a diff of the files.

mod common;
use common::*;
use std::collections::BTreeMap;
use std::path::Path;

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let o = dossier().current_dir(dir).args(args).output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn git(dir: &Path, args: &[&str]) {
    let o = std::process::Command::new("git").current_dir(dir).args(args).output().unwrap();
    assert!(o.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&o.stderr));
}

/// A `master` repository with an `origin` remote and one adr-tools collection.
fn repo() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("authoring-nygard"), tmp.path());
    git(tmp.path(), &["init", "-q", "-b", "master"]);
    git(tmp.path(), &["remote", "add", "origin", "git@github.com:acme/widgets.git"]);
    tmp
}

type Files = BTreeMap<String, String>;

fn files(dir: &Path) -> Files {
    tree(dir)
        .into_iter()
        .filter(|(p, _)| !p.starts_with(".git/"))
        .map(|(p, b)| (p, String::from_utf8(b).unwrap()))
        .collect()
}

/// What changed between two snapshots: (path, before, after).
fn diff(before: &Files, after: &Files) -> Vec<(String, Option<String>, Option<String>)> {
    let mut paths: Vec<&String> = before.keys().chain(after.keys()).collect();
    paths.sort();
    paths.dedup();
    paths
        .into_iter()
        .filter(|p| before.get(*p) != after.get(*p))
        .map(|p| ((*p).clone(), before.get(p).cloned(), after.get(p).cloned()))
        .collect()
}

const CONFIG: &str = r#"# dossier configuration. Every key is optional; see the README for all of them.

title = "TITLE knowledge base"
# base_url = "https://org.github.io/repo/"   # where the site is published (or --base-url)
repo_url = "https://github.com/acme/widgets"   # from the origin remote
edit_url = "https://github.com/acme/widgets/edit/master/{path}"   # {path}: the source path
# output_dir = "site"

# Found by .adr-dir.
[[collections]]
path = "doc/adr"
kind = "adr"
prefix = "ADR"            # IDs such as ADR-0012
template = "template.md"   # the collection's template, used by `dossier new`
# required_sections = []      # sections every document must have (default: the format's own)

[check]
broken_links = "error"   # "warn" while old broken links are being fixed

# [statuses]                 # your own status words
# "In Flight" = "proposed"

# [[links]]                  # ticket IDs to links ($1 is the first group)
# pattern = "PROJ-(\\d+)"
# url = "https://tracker.example/browse/PROJ-$1"
"#;

fn config_for(dir: &Path) -> String {
    CONFIG.replace("TITLE", &dir.file_name().unwrap().to_string_lossy())
}

#[test]
fn init_twice_changes_nothing_the_second_time() {
    let tmp = repo();
    let dir = tmp.path();
    let before = files(dir);
    let (code, out, err) = run(dir, &["init", "-q"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "./dossier.toml\n./.gitignore\n");
    let after = files(dir);
    assert_eq!(
        diff(&before, &after),
        vec![
            (".gitignore".into(), None, Some("# dossier's output\n/site/\n".into())),
            ("dossier.toml".into(), None, Some(config_for(dir))),
        ]
    );
    let (code, out, err) = run(dir, &["init", "-q"]);
    assert_eq!((code, out.as_str(), err.as_str()), (0, "", ""));
    assert_eq!(diff(&after, &files(dir)), vec![]);
}

#[test]
fn init_after_an_edit_keeps_it_and_force_replaces_only_the_named_value() {
    let tmp = repo();
    let dir = tmp.path();
    assert_eq!(run(dir, &["init", "-q"]).0, 0);
    let edited = config_for(dir)
        .replace("prefix = \"ADR\"            # IDs such as ADR-0012\n", "prefix = \"WID\"  # our own\n")
        .replace("title = \"", "# our title\ntitle = \"Widgets ")
        .replace("[check]\nbroken_links = \"error\"", "[check]\nbroken_links = \"warn\"");
    std::fs::write(dir.join("dossier.toml"), &edited).unwrap();
    // A new collection appears: init adds it and keeps every edit.
    std::fs::create_dir_all(dir.join("design")).unwrap();
    std::fs::copy(fixture("authoring-design/design/search-index.md"), dir.join("design/search-index.md")).unwrap();
    std::fs::write(dir.join("design/queue.md"), "# Technical Design: Queue\n\n**Status:** Draft\n\n## Problem Statement\n\nx\n\n## Goals\n\n- y\n\n## Proposed Solution\n\nz\n").unwrap();
    let before = files(dir);
    let (code, out, err) = run(dir, &["init", "-q"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "./dossier.toml\n");
    assert_eq!(
        err,
        "dossier: kept check.broken_links = \"warn\" (init found \"error\"; --force replaces it)\n\
         dossier: kept collections[path = \"doc/adr\"].prefix = \"WID\" (init found \"ADR\"; --force replaces it)\n"
    );
    let added = "# Found by folder name.\n[[collections]]\npath = \"design\"\nkind = \"design\"\nprefix = \"\"               # no number-based IDs: documents are known by their path\n# template = \"template.md\"   # the collection's template, used by `dossier new`\n# required_sections = []      # sections every document must have (default: the format's own)\n\n";
    let merged = edited.replace("\n[check]\n", &format!("\n{added}[check]\n"));
    assert_eq!(diff(&before, &files(dir)), vec![("dossier.toml".into(), Some(edited.clone()), Some(merged.clone()))]);

    // --force replaces the two values it names, and nothing else.
    let (code, out, err) = run(dir, &["init", "-q", "--force"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out, "./dossier.toml\n");
    assert_eq!(
        err,
        "dossier: replaced check.broken_links = \"warn\" with \"error\" (--force)\n\
         dossier: replaced collections[path = \"doc/adr\"].prefix = \"WID\" with \"ADR\" (--force)\n"
    );
    let forced = merged
        .replace("prefix = \"WID\"", "prefix = \"ADR\"")
        .replace("broken_links = \"warn\"", "broken_links = \"error\"");
    assert_eq!(std::fs::read_to_string(dir.join("dossier.toml")).unwrap(), forced);
}

#[test]
fn init_after_a_build_ignores_the_output_folders() {
    let tmp = repo();
    let dir = tmp.path();
    // Two builds: the default output folder and another one (known by its marker), each with a
    // Markdown file that would look like records.
    for out in ["site", "public"] {
        let (code, _, err) = run(dir, &["build", ".", "-o", out]);
        assert_eq!(code, 0, "{err}");
        std::fs::create_dir_all(dir.join(out).join("doc/adr")).unwrap();
        for f in ["0001-record-architecture-decisions.md", "0002-use-rust.md"] {
            std::fs::copy(dir.join("doc/adr").join(f), dir.join(out).join("doc/adr").join(f)).unwrap();
        }
    }
    std::fs::create_dir_all(dir.join(".cache/adr")).unwrap();
    std::fs::copy(dir.join("doc/adr/0002-use-rust.md"), dir.join(".cache/adr/0002-use-rust.md")).unwrap();
    std::fs::write(dir.join(".gitignore"), "target\n").unwrap();
    let before = files(dir);
    let (code, out, err) = run(dir, &["init"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(err, "dossier: adr collection doc/adr (prefix ADR-, 2 documents) found by .adr-dir\n");
    assert_eq!(out, "./dossier.toml\n./.gitignore\n");
    assert_eq!(
        diff(&before, &files(dir)),
        vec![
            (".gitignore".into(), Some("target\n".into()), Some("target\n# dossier's output\n/site/\n".into())),
            ("dossier.toml".into(), None, Some(config_for(dir))),
        ]
    );
    // `new` then has one collection to write to.
    let (code, _, err) = run(dir, &["new", "adr", "Use Postgres"]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn init_github_pages_on_a_master_repository_adds_the_workflow_for_master() {
    let tmp = repo();
    let dir = tmp.path();
    assert_eq!(run(dir, &["init", "-q"]).0, 0);
    let before = files(dir);
    let (code, out, err) = run(dir, &["init", "-q", "--github-pages"]);
    assert_eq!(code, 0, "{err}");
    let wf_path = dir.join(".github/workflows/dossier.yml");
    assert_eq!(out, format!("{}\n", wf_path.display()));
    let wf = dossier::init::workflow_for(".", &dossier::init::Install::Release, "master");
    assert_eq!(diff(&before, &files(dir)), vec![(".github/workflows/dossier.yml".into(), None, Some(wf.clone()))]);
    // Again: nothing to do. After an edit of the workflow: kept, unless --force.
    assert_eq!(run(dir, &["init", "-q", "--github-pages"]), (0, String::new(), String::new()));
    std::fs::write(&wf_path, format!("{wf}# ours\n")).unwrap();
    let (code, _, err) = run(dir, &["init", "-q", "--github-pages"]);
    assert_eq!(code, 0);
    assert!(err.contains("it differs from the workflow dossier writes; use --force to replace it"), "{err}");
    assert_eq!(std::fs::read_to_string(&wf_path).unwrap(), format!("{wf}# ours\n"));
    assert_eq!(run(dir, &["init", "-q", "--github-pages", "--force"]).0, 0);
    assert_eq!(std::fs::read_to_string(&wf_path).unwrap(), wf);

    // origin/HEAD names the default branch when it is known.
    git(dir, &["symbolic-ref", "refs/remotes/origin/HEAD", "refs/remotes/origin/trunk"]);
    assert_eq!(dossier::init::git_info(dir).branch.as_deref(), Some("trunk"));
}

#[test]
fn web_urls_from_remotes() {
    for (remote, want) in [
        ("git@github.com:acme/widgets.git", Some("https://github.com/acme/widgets")),
        ("https://github.com/acme/widgets.git", Some("https://github.com/acme/widgets")),
        ("https://user@gitlab.com/acme/sub/widgets", Some("https://gitlab.com/acme/sub/widgets")),
        ("ssh://git@github.com:22/acme/widgets.git", Some("https://github.com/acme/widgets")),
        ("/srv/git/widgets", None),
    ] {
        assert_eq!(dossier::init::web_url(remote).as_deref(), want, "{remote}");
    }
}
