//! The steps of action.yml (scripts/release-action): which version, repository and cache folder
//! `resolve` picks from the runner's context, including the composite-action case where
//! github.action_ref is empty, and the command line `run` gives dossier.

mod common;
use common::*;
use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Output};

fn action(step: &str, env: &[(&str, &str)], dir: &Path) -> Output {
    Command::new("bash")
        .arg(manifest_dir().join("scripts/release-action"))
        .arg(step)
        .env_clear()
        .env("PATH", "/usr/bin:/bin")
        .env("GITHUB_OUTPUT", dir.join("out"))
        .envs(env.iter().copied())
        .output()
        .unwrap()
}

/// `resolve`'s outputs, from $GITHUB_OUTPUT.
fn resolve(env: &[(&str, &str)]) -> Result<BTreeMap<String, String>, String> {
    let tmp = tempfile::tempdir().unwrap();
    let base = [
        ("GITHUB_SERVER_URL", "https://github.com"),
        ("RUNNER_TOOL_CACHE", "/opt/hostedtoolcache"),
        ("RUNNER_ARCH", "X64"),
    ];
    let all: Vec<(&str, &str)> = base.iter().copied().chain(env.iter().copied()).collect();
    let o = action("resolve", &all, tmp.path());
    if !o.status.success() {
        return Err(String::from_utf8_lossy(&o.stderr).into_owned());
    }
    let text = std::fs::read_to_string(tmp.path().join("out")).unwrap();
    Ok(text.lines().filter_map(|l| l.split_once('=')).map(|(k, v)| (k.to_string(), v.to_string())).collect())
}

#[test]
fn action_resolves_its_own_tag_and_repository() {
    let out = resolve(&[("ACTION_REF", "v1.2.3"), ("ACTION_REPOSITORY", "acme/dossier"), ("INPUT_COMMAND", "build")])
        .unwrap();
    assert_eq!(out["version"], "1.2.3");
    assert_eq!(out["releases"], "https://github.com/acme/dossier/releases");
    assert_eq!(out["dir"], "/opt/hostedtoolcache/dossier/1.2.3/X64");
    // Composite actions may see github.action_ref empty (actions/runner#2473): the action's
    // checkout folder names them.
    let out = resolve(&[("ACTION_PATH", "/home/runner/work/_actions/acme/dossier/v0.4.0")]).unwrap();
    assert_eq!(
        (out["version"].as_str(), out["releases"].as_str()),
        ("0.4.0", "https://github.com/acme/dossier/releases")
    );
    // A branch runs the latest release (not cached); the input wins over the tag.
    let out = resolve(&[("ACTION_REF", "main"), ("ACTION_REPOSITORY", "acme/dossier")]).unwrap();
    assert_eq!(out["version"], "latest");
    let out = resolve(&[("ACTION_REF", "v1.2.3"), ("ACTION_REPOSITORY", "acme/dossier"), ("INPUT_VERSION", "v2.0.0")])
        .unwrap();
    assert_eq!(out["version"], "2.0.0");
    // `uses: ./` in the project's own repository.
    let out = resolve(&[("GITHUB_REPOSITORY", "acme/fork"), ("ACTION_PATH", "/home/runner/work/fork/fork")]).unwrap();
    assert_eq!(
        (out["version"].as_str(), out["releases"].as_str()),
        ("latest", "https://github.com/acme/fork/releases")
    );
}

#[test]
fn action_refuses_an_unknown_command_or_version() {
    let err = resolve(&[("ACTION_REPOSITORY", "acme/dossier"), ("INPUT_COMMAND", "deploy")]).unwrap_err();
    assert!(err.contains("::error title=dossier action::command must be build or check, not 'deploy'"), "{err}");
    let err = resolve(&[("ACTION_REPOSITORY", "acme/dossier"), ("INPUT_VERSION", "newest")]).unwrap_err();
    assert!(err.contains("version must be X.Y.Z or latest, not 'newest'"), "{err}");
}

#[test]
fn action_runs_dossier_with_the_source_base_url_and_args() {
    let tmp = tempfile::tempdir().unwrap();
    let bin = tmp.path().join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::write(bin.join("dossier"), "#!/bin/sh\nprintf '%s|' \"$@\"\n").unwrap();
    Command::new("chmod").arg("755").arg(bin.join("dossier")).status().unwrap();
    let dir = bin.to_str().unwrap();
    let path_file = tmp.path().join("path");
    let path_s = path_file.to_str().unwrap();
    let base =
        [("DIR", dir), ("GITHUB_PATH", path_s), ("INPUT_SOURCE", "docs"), ("INPUT_ARGS", "-o _site  --strict *")];
    let run = |extra: &[(&str, &str)]| {
        let all: Vec<(&str, &str)> = base.iter().copied().chain(extra.iter().copied()).collect();
        let o = action("run", &all, tmp.path());
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).into_owned()
    };
    assert_eq!(
        run(&[("INPUT_COMMAND", "build"), ("BASE_URL", "https://acme.github.io/widgets")]),
        "build|docs|--base-url|https://acme.github.io/widgets/|-o|_site|--strict|*|"
    );
    assert_eq!(
        run(&[("INPUT_COMMAND", "check"), ("BASE_URL", "https://acme.github.io/widgets")]),
        "check|docs|-o|_site|--strict|*|"
    );
    assert_eq!(
        std::fs::read_to_string(&path_file).unwrap(),
        format!("{dir}\n{dir}\n"),
        "dossier is on PATH for later steps"
    );
}
