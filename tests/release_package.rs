//! The crates.io package (`dossier-ssg`): `cargo package --list` (offline, no build) holds every
//! file the build needs (all of src/ and themes/ that git tracks, the manifest and lock file) and
//! the documents it cites, and nothing large or beside the point (tests, example-docs, CI files).

#![allow(clippy::print_stderr)] // the skip message

mod common;
use common::*;
use std::process::Command;

fn package_list() -> Option<Vec<String>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let o = Command::new(cargo)
        .args(["package", "--list", "--allow-dirty", "--offline"])
        .current_dir(manifest_dir())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    if !o.status.success() && (err.contains("offline") || err.contains("network")) {
        eprintln!("skipping: `cargo package --list` needs the network here: {err}");
        return None;
    }
    assert!(o.status.success(), "cargo package --list failed: {err}");
    Some(String::from_utf8_lossy(&o.stdout).lines().map(str::to_string).collect())
}

fn tracked(dirs: &[&str]) -> Vec<String> {
    let o = Command::new("git").arg("ls-files").args(dirs).current_dir(manifest_dir()).output().unwrap();
    String::from_utf8_lossy(&o.stdout).lines().map(str::to_string).collect()
}

#[test]
fn cargo_package_holds_the_sources_theme_and_licences_and_nothing_large() {
    let Some(list) = package_list() else { return };
    for f in [
        "Cargo.toml",
        "Cargo.lock",
        "README.md",
        "CHANGELOG.md",
        "LICENSE-MIT",
        "LICENSE-APACHE",
        "src/main.rs",
        "src/lib.rs",
    ] {
        assert!(list.contains(&f.to_string()), "{f} is missing from the package: {list:?}");
    }
    let needed = tracked(&["src", "themes"]);
    assert!(needed.len() > 20, "git ls-files found {needed:?}");
    for f in &needed {
        assert!(list.contains(f), "{f} is tracked but not packaged");
    }
    for f in &list {
        for dir in ["tests/", "example-docs/", "examples/", "scripts/", ".github/", ".ci/", "target/"] {
            assert!(!f.starts_with(dir), "{f} should not be published");
        }
    }
    let mut total = 0;
    for f in list.iter().filter(|f| !matches!(f.as_str(), ".cargo_vcs_info.json" | "Cargo.toml.orig")) {
        let len = std::fs::metadata(manifest_dir().join(f)).map(|m| m.len()).unwrap_or(0);
        assert!(len < 400_000, "{f} is {len} bytes");
        total += len;
    }
    assert!(total < 2_000_000, "the package's files add up to {total} bytes");
}

#[test]
fn cargo_metadata_names_the_package_binary_and_binstall_archives() {
    let manifest: toml::Table = std::fs::read_to_string(manifest_dir().join("Cargo.toml")).unwrap().parse().unwrap();
    assert_eq!(manifest["package"]["name"].as_str(), Some("dossier-ssg"));
    assert_eq!(manifest["lib"]["name"].as_str(), Some("dossier"));
    assert_eq!(manifest["bin"][0]["name"].as_str(), Some("dossier"));
    let binstall = &manifest["package"]["metadata"]["binstall"];
    // The archives scripts/release-archive makes, at the tag release.yml publishes them under.
    assert_eq!(
        binstall["pkg-url"].as_str(),
        Some("{ repo }/releases/download/v{ version }/dossier-{ target }{ archive-suffix }")
    );
    assert_eq!(binstall["bin-dir"].as_str(), Some("{ bin }{ binary-ext }"));
    assert_eq!(binstall["overrides"]["x86_64-pc-windows-msvc"]["pkg-fmt"].as_str(), Some("zip"));
}
