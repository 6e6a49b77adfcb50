//! Helpers shared by the integration tests: run the real binary, copy fixtures, read output.
#![allow(dead_code, clippy::print_stderr)]

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

pub fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixture(name: &str) -> PathBuf {
    manifest_dir().join("tests/fixtures").join(name)
}

/// The `dossier` binary.
pub fn dossier() -> Command {
    let mut c = Command::cargo_bin("dossier").expect("binary");
    c.env("NO_COLOR", "1");
    c
}

/// Copies a folder (read-only sources included) into a fresh writable temp dir.
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(from).unwrap();
        let target = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
            let mut perms = std::fs::metadata(&target).unwrap().permissions();
            #[allow(clippy::permissions_set_readonly_false)]
            perms.set_readonly(false);
            std::fs::set_permissions(&target, perms).unwrap();
        }
    }
}

/// A built fixture: the temp dir, the output folder and the process result.
pub struct Built {
    pub tmp: tempfile::TempDir,
    pub src: PathBuf,
    pub out: PathBuf,
    pub code: i32,
    pub stderr: String,
    pub stdout: String,
}

impl Built {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&std::fs::read(self.out.join("dossier.json")).expect("dossier.json")).unwrap()
    }

    pub fn doc(&self, id: &str) -> Value {
        let j = self.json();
        j["documents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|d| d["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("no document {id}"))
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.out.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
    }
}

/// Copies `src` to a temp dir and runs `dossier build` on it with `args`.
pub fn build(src: &Path, args: &[&str]) -> Built {
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("src");
    copy_tree(src, &copy);
    build_in(tmp, copy, args)
}

/// Runs `dossier build` on `copy` (inside `tmp`) into `tmp/out`.
pub fn build_in(tmp: tempfile::TempDir, copy: PathBuf, args: &[&str]) -> Built {
    let out = tmp.path().join("out");
    let o = dossier().arg("build").arg(&copy).arg("-o").arg(&out).args(args).output().unwrap();
    Built {
        src: copy,
        out,
        code: o.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        tmp,
    }
}

/// `../shared` beside the repository, or `None` with a printed reason. With
/// `DOSSIER_REQUIRE_SHARED=1` (set by `.ci/run`) a missing folder fails the test instead.
pub fn shared() -> Option<PathBuf> {
    let p = manifest_dir().join("../shared");
    if p.join("corpora").is_dir() {
        return Some(p);
    }
    if std::env::var("DOSSIER_REQUIRE_SHARED").is_ok_and(|v| v == "1") {
        panic!("../shared/corpora is missing but DOSSIER_REQUIRE_SHARED=1");
    }
    eprintln!("skipped: ../shared/corpora not found (it exists in CI; set DOSSIER_REQUIRE_SHARED=1 to require it)");
    None
}

/// Every file under `dir`, relative, sorted, with its bytes.
pub fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect();
    v.sort();
    v
}

/// `%xx` escapes decoded (as a browser does for a path), lossily as UTF-8.
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let Some(v) = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Runs git in `dir` as `author` at `date` (author and committer alike), with no signing and
/// `main` as the first branch, so a test's repository has known commits; panics on failure.
pub fn git_as(dir: &Path, args: &[&str], date: &str, author: &str) {
    let out = std::process::Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"])
        .args(args)
        .env("GIT_AUTHOR_DATE", date)
        .env("GIT_COMMITTER_DATE", date)
        .env("GIT_AUTHOR_NAME", author)
        .env("GIT_AUTHOR_EMAIL", "a@example.org")
        .env("GIT_COMMITTER_NAME", author)
        .env("GIT_COMMITTER_EMAIL", "a@example.org")
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}
