//! Hold up under attack (issue 20): special files, oversized files, symlinks leading outside
//! the repository, concurrent builds, the atomic swap and escaped output. Every FIFO and symlink
//! is made at test time in a temp dir, never kept in tests/fixtures.
#![cfg(unix)]

mod common;
use common::*;
use serde_json::Value;
use std::os::unix::fs::symlink;
use std::path::Path;
use std::process::Command as Std;

/// `src` copied into a temp dir (as `tmp/src`).
fn copied(name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    copy_tree(&fixture(name), &src);
    (tmp, src)
}

fn mkfifo(path: &Path) {
    let ok = Std::new("mkfifo").arg(path).status().expect("mkfifo").success();
    assert!(ok, "mkfifo {}", path.display());
}

/// `dossier check --format json` on `src`: (exit code, report).
fn check_json(src: &Path) -> (i32, Value) {
    let o = dossier()
        .arg("check")
        .arg(src)
        .args(["--format", "json"])
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    (o.status.code().unwrap_or(-1), serde_json::from_slice(&o.stdout).unwrap_or(Value::Null))
}

fn with_code(report: &Value, code: &str) -> Vec<(String, String)> {
    report["diagnostics"]
        .as_array()
        .map(|a| a.as_slice())
        .unwrap_or_default()
        .iter()
        .filter(|d| d["code"] == code)
        .map(|d| (d["path"].as_str().unwrap_or("").to_string(), d["message"].as_str().unwrap_or("").to_string()))
        .collect()
}

fn sources(b: &Built) -> Vec<String> {
    b.json()["documents"].as_array().unwrap().iter().map(|d| d["source"].as_str().unwrap().to_string()).collect()
}

/// `dossier build` with a time-out, so that a hang fails the test instead of stalling it.
fn build_guarded(tmp: tempfile::TempDir, src: std::path::PathBuf) -> Built {
    let out = tmp.path().join("out");
    let o = dossier()
        .arg("build")
        .arg(&src)
        .arg("-o")
        .arg(&out)
        .timeout(std::time::Duration::from_secs(120))
        .output()
        .unwrap();
    Built {
        src,
        out,
        code: o.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        tmp,
    }
}

#[test]
fn special_files_are_skipped_with_a_warning_never_read() {
    let (tmp, src) = copied("hardening-files");
    mkfifo(&src.join("notes/x.md"));
    mkfifo(&src.join("notes/pipe.txt"));
    symlink("x.md", src.join("notes/to-fifo.md")).unwrap();
    let b = build_guarded(tmp, src.clone());
    assert_eq!(b.code, 0, "{}", b.stderr);
    for name in ["notes/x.md", "notes/pipe.txt", "notes/to-fifo.md"] {
        assert!(
            b.stderr.contains(&format!("{name}: warning[special-file]: skipped:")),
            "{name} is named in a warning: {}",
            b.stderr
        );
    }
    assert!(b.stderr.contains("a symlink to a special file"), "{}", b.stderr);
    let got = sources(&b);
    assert!(!got.iter().any(|s| s.contains("x.md") || s.contains("to-fifo")), "{got:?}");
    assert!(!b.out.join("notes/pipe.txt").exists());
    let (code, report) = check_json(&src);
    assert_eq!(code, 0);
    let warned: Vec<String> = with_code(&report, "special-file").into_iter().map(|(p, _)| p).collect();
    assert_eq!(warned, ["notes/pipe.txt", "notes/to-fifo.md", "notes/x.md"]);
}

#[test]
fn a_file_over_max_file_size_is_a_warning_and_its_page_says_so() {
    let (tmp, src) = copied("hardening-files");
    let b = build_guarded(tmp, src.clone());
    assert_eq!(b.code, 0, "{}", b.stderr);
    assert!(
        b.stderr.contains(
            "notes/big.md: warning[file-too-large]: not rendered: the file is 1.7 KB, over the limit of 1.0 KB"
        ),
        "{}",
        b.stderr
    );
    let page = b.read("notes/big/index.html");
    assert!(page.contains("This file is too large to render: 1.7 KB"), "{page}");
    assert!(!page.contains("filler text"), "the file's text is not rendered");
    // The link to it still resolves: no broken-link error, and the home page links the page.
    assert!(!b.stderr.contains("broken-link"), "{}", b.stderr);
    assert!(b.read("index.html").contains(r#"href="./notes/big/""#));
    assert!(b.read("notes/small/index.html").contains("rendered as usual"));
    // Raised, the limit lets it through.
    std::fs::write(src.join("dossier.toml"), "[check]\nmax_file_size = 100000\n").unwrap();
    let (code, report) = check_json(&src);
    assert_eq!(code, 0);
    assert!(with_code(&report, "file-too-large").is_empty(), "{report}");
}

#[test]
fn a_bad_max_file_size_is_an_invalid_config() {
    let (_tmp, src) = copied("hardening-files");
    std::fs::write(src.join("dossier.toml"), "[check]\nmax_file_size = \"lots\"\n").unwrap();
    let o = dossier().arg("check").arg(&src).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("dossier.toml:2:1: error[invalid-config]: max_file_size = \"lots\" is not a size"), "{err}");
}
