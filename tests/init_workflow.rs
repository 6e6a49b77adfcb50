//! The workflow `dossier init --github-pages` writes, read as YAML: on a `main` and on a `master`
//! repository (triggers, jobs, permissions, concurrency, the actions at pinned versions), the
//! from-source variant (`--install cargo`, and `--install-from URL` as its alias), its use of the
//! action's inputs, and the check job's annotations pointing at repository paths.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn git(dir: &Path, args: &[&str]) {
    let o = std::process::Command::new("git").current_dir(dir).args(args).output().unwrap();
    assert!(o.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&o.stderr));
}

/// A repository on `branch` with ADRs in `docs/adr`, one with a broken link on line 5.
fn repo(branch: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let adr = tmp.path().join("docs/adr");
    std::fs::create_dir_all(&adr).unwrap();
    std::fs::write(
        adr.join("0001-use-postgres.md"),
        "# 1. Use Postgres\n\nDate: 2024-01-01\n\nSee [the missing one](0009-missing.md).\n\n## Status\n\nAccepted\n\n## Context\n\nc\n\n## Decision\n\nd\n\n## Consequences\n\ne\n",
    )
    .unwrap();
    git(tmp.path(), &["init", "-q", "-b", branch]);
    git(tmp.path(), &["remote", "add", "origin", "git@github.com:acme/widgets.git"]);
    tmp
}

/// Runs `dossier init docs --github-pages ARGS` at the repository root; the workflow as YAML.
fn init(dir: &Path, args: &[&str]) -> (Value, String) {
    let o = dossier().current_dir(dir).args(["init", "docs", "--github-pages", "-q"]).args(args).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let text = std::fs::read_to_string(dir.join(".github/workflows/dossier.yml")).unwrap();
    let y: Value = serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("not YAML: {e}\n{text}"));
    (y, text)
}

fn steps(y: &Value, job: &str) -> Vec<Value> {
    y["jobs"][job]["steps"].as_array().unwrap_or_else(|| panic!("no steps in {job}")).clone()
}

fn uses(steps: &[Value]) -> Vec<String> {
    steps.iter().filter_map(|s| s["uses"].as_str().map(str::to_string)).collect()
}

fn keys(v: &Value) -> Vec<String> {
    v.as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default()
}

/// Every action is pinned: a major version, this release, or the toolchain action's channel.
fn assert_pinned(y: &Value) {
    for job in keys(&y["jobs"]) {
        for u in uses(&steps(y, &job)) {
            let (_, at) = u.split_once('@').unwrap_or_else(|| panic!("{u} has no version"));
            let major = at.strip_prefix('v').is_some_and(|n| n.chars().all(|c| c.is_ascii_digit()));
            assert!(major || at == format!("v{VERSION}") || u == "dtolnay/rust-toolchain@stable", "{u}");
        }
    }
}

fn assert_release_workflow(y: &Value, branch: &str) {
    assert_eq!(y["on"]["push"]["branches"], serde_json::json!([branch]));
    assert!(
        keys(&y["on"]).contains(&"pull_request".to_string())
            && keys(&y["on"]).contains(&"workflow_dispatch".to_string())
    );
    assert_eq!(y["permissions"], serde_json::json!({"contents": "read"}), "least privilege by default");
    assert_eq!(keys(&y["jobs"]), vec!["check", "build", "deploy"]);

    let action = format!("dossier-kb/dossier@v{VERSION}");
    let check = &y["jobs"]["check"];
    assert_eq!(check["if"], "github.event_name == 'pull_request'");
    assert_eq!(check["concurrency"]["cancel-in-progress"], true);
    let s = steps(y, "check");
    assert_eq!(uses(&s), vec!["actions/checkout@v6".to_string(), action.clone()]);
    assert_eq!(s[1]["with"], serde_json::json!({"command": "check", "source": "docs", "args": "--format github"}));

    let build = &y["jobs"]["build"];
    assert_eq!(build["if"], format!("github.ref == 'refs/heads/{branch}'"), "build and deploy only on {branch}");
    assert_eq!(build["permissions"], serde_json::json!({"contents": "read", "pages": "write"}));
    let s = steps(y, "build");
    assert_eq!(
        uses(&s),
        vec!["actions/checkout@v6".to_string(), action, "actions/upload-pages-artifact@v5".to_string()]
    );
    assert_eq!(s[0]["with"]["fetch-depth"], 0, "full history for git dates");
    assert_eq!(
        s[1]["with"],
        serde_json::json!({"source": "docs", "args": "-o _site"}),
        "base-url: the action's Pages default"
    );
    assert_eq!(s[2]["with"]["path"], "_site");

    let deploy = &y["jobs"]["deploy"];
    assert_eq!(deploy["needs"], "build");
    assert_eq!(deploy["permissions"], serde_json::json!({"pages": "write", "id-token": "write"}));
    assert_eq!(deploy["concurrency"], serde_json::json!({"group": "pages", "cancel-in-progress": false}));
    assert_eq!(deploy["environment"]["name"], "github-pages");
    assert_eq!(deploy["environment"]["url"], "${{ steps.deployment.outputs.page_url }}");
    assert_eq!(uses(&steps(y, "deploy")), vec!["actions/deploy-pages@v5".to_string()]);
    assert_pinned(y);
}

#[test]
fn init_workflow_on_a_main_repository_checks_pull_requests_and_deploys_main_with_the_pinned_action() {
    let tmp = repo("main");
    let (y, text) = init(tmp.path(), &[]);
    assert_release_workflow(&y, "main");
    assert_eq!(text, dossier::init::workflow_for("docs", &dossier::init::Install::Release, "main"));
}

#[test]
fn init_workflow_on_a_master_repository_builds_and_deploys_master() {
    let tmp = repo("master");
    let (y, text) = init(tmp.path(), &[]);
    assert_release_workflow(&y, "master");
    assert!(!text.contains("refs/heads/main") && !text.contains("[main]"), "{text}");
}

#[test]
fn init_workflow_install_cargo_compiles_from_crates_io_cached_by_version() {
    let tmp = repo("main");
    let (y, _) = init(tmp.path(), &["--install", "cargo"]);
    assert_eq!(keys(&y["jobs"]), vec!["check", "build", "deploy"]);
    for job in ["check", "build"] {
        let s = steps(&y, job);
        let u = uses(&s);
        assert!(
            u.contains(&"dtolnay/rust-toolchain@stable".to_string()) && u.contains(&"actions/cache@v5".to_string()),
            "{u:?}"
        );
        assert!(!u.iter().any(|u| u.starts_with("dossier-kb/")), "{u:?}");
        let cache = s.iter().find(|s| s["uses"] == "actions/cache@v5").unwrap();
        assert_eq!(
            cache["with"]["key"],
            format!("dossier-${{{{ runner.os }}}}-{VERSION}"),
            "a new version misses the cache"
        );
        let install = s.iter().find(|s| s["run"].as_str().is_some_and(|r| r.starts_with("cargo install"))).unwrap();
        assert_eq!(install["run"], format!("cargo install --locked dossier-ssg --version {VERSION}"));
        assert_eq!(install["if"], "steps.cache.outputs.cache-hit != 'true'");
    }
    let runs: Vec<String> = steps(&y, "build").iter().filter_map(|s| s["run"].as_str().map(str::to_string)).collect();
    assert!(
        runs.contains(&"dossier build docs -o _site --base-url \"${{ steps.pages.outputs.base_url }}/\"".to_string()),
        "{runs:?}"
    );
    assert!(uses(&steps(&y, "build")).contains(&"actions/configure-pages@v6".to_string()));
    let runs: Vec<String> = steps(&y, "check").iter().filter_map(|s| s["run"].as_str().map(str::to_string)).collect();
    assert!(runs.contains(&"dossier check docs --format github".to_string()), "{runs:?}");
    assert_eq!(y["jobs"]["deploy"]["permissions"]["id-token"], "write");
    assert_pinned(&y);
}

#[test]
fn init_workflow_install_from_url_is_an_alias_of_install_cargo_from_that_repository() {
    let tmp = repo("main");
    let (y, _) = init(tmp.path(), &["--install-from", "https://git.example/acme/dossier"]);
    let run: Vec<String> = steps(&y, "build").iter().filter_map(|s| s["run"].as_str().map(str::to_string)).collect();
    assert!(
        run.contains(&format!(
            "cargo install --locked --git https://git.example/acme/dossier --tag v{VERSION} dossier-ssg"
        )),
        "{run:?}"
    );
}

#[test]
fn init_workflow_passes_only_inputs_the_action_declares() {
    let action: Value =
        serde_saphyr::from_str(&std::fs::read_to_string(manifest_dir().join("action.yml")).unwrap()).unwrap();
    let inputs = keys(&action["inputs"]);
    assert_eq!(inputs, vec!["source", "base-url", "version", "args", "command"]);
    assert_eq!(action["runs"]["using"], "composite");
    let tmp = repo("main");
    let (y, _) = init(tmp.path(), &[]);
    for job in ["check", "build"] {
        for s in steps(&y, job).iter().filter(|s| s["uses"].as_str().is_some_and(|u| u.starts_with("dossier-kb/"))) {
            for k in keys(&s["with"]) {
                assert!(inputs.contains(&k), "{job} passes {k}, which action.yml does not declare");
            }
        }
    }
    // The action finds its release through its own repository, never a fixed URL.
    let text = std::fs::read_to_string(manifest_dir().join("action.yml")).unwrap();
    assert!(text.contains("${{ github.action_repository }}") && text.contains("${{ github.action_ref }}"));
    assert!(!text.lines().filter(|l| !l.trim_start().starts_with('#')).any(|l| l.contains("dossier-kb")), "{text}");
}

#[test]
fn init_workflow_check_job_annotations_name_repository_paths() {
    // What the check job runs (the action: `dossier check SOURCE --format github` at the root).
    let tmp = repo("main");
    let o = dossier().current_dir(tmp.path()).args(["check", "docs", "--format", "github"]).output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("::error file=docs/adr/0001-use-postgres.md,line=5,"), "{out}");
}
