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

#[test]
fn symlinks_leading_outside_the_repository_are_skipped_not_published() {
    let (tmp, src) = copied("hardening-files");
    let secret = tmp.path().join("secret");
    std::fs::create_dir(&secret).unwrap();
    std::fs::write(secret.join("passwd.txt"), "root:x:0:0:SECRET-TEXT\n").unwrap();
    std::fs::write(secret.join("system.md"), "# System\n\nSECRET-TEXT\n").unwrap();
    symlink(secret.join("passwd.txt"), src.join("notes/passwd.txt")).unwrap();
    symlink(secret.join("system.md"), src.join("notes/system.md")).unwrap();
    symlink(&secret, src.join("outside-folder")).unwrap();
    symlink("/dev/zero", src.join("notes/zero.md")).unwrap();
    symlink("no-such-target.md", src.join("notes/broken.md")).unwrap();
    // Inside the source folder: followed.
    symlink("small.md", src.join("notes/alias.md")).unwrap();
    std::fs::write(src.join("notes/data.csv"), "a,b\n").unwrap();
    symlink("data.csv", src.join("notes/data-link.csv")).unwrap();
    std::fs::write(src.join("notes/small.md"), "# Small notes\n\n[data](data-link.csv), [passwd](passwd.txt)\n")
        .unwrap();
    let b = build_guarded(tmp, src.clone());
    assert_eq!(b.code, 1, "the link to the skipped file is broken: {}", b.stderr);
    assert!(
        b.stderr.contains("notes/small.md:3:24: error[broken-link]: link target `passwd.txt` does not exist"),
        "{}",
        b.stderr
    );
    for name in ["notes/passwd.txt", "notes/system.md", "outside-folder", "notes/zero.md"] {
        assert!(
            b.stderr.contains(&format!("{name}: warning[skipped-symlink]: skipped: a symlink to `")),
            "{name}: {}",
            b.stderr
        );
    }
    assert!(b.stderr.contains("notes/broken.md: warning[skipped-symlink]: skipped: a broken symlink"), "{}", b.stderr);
    // Without the broken link the site is built, with nothing from outside in it.
    std::fs::write(src.join("notes/small.md"), "# Small notes\n\n[data](data-link.csv)\n").unwrap();
    let out = src.parent().unwrap().join("out");
    let o = dossier().arg("build").arg(&src).arg("-o").arg(&out).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    for (path, bytes) in tree(&out) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains("SECRET-TEXT"),
            "{path} holds text from outside the repository"
        );
        assert!(!path.contains("passwd") && !path.contains("system") && !path.contains("outside-folder"), "{path}");
    }
    assert_eq!(std::fs::read_to_string(out.join("notes/data-link.csv")).unwrap(), "a,b\n");
    assert!(out.join("notes/alias/index.html").is_file(), "a symlink inside the source folder is followed");
}

#[test]
fn symlinks_within_the_git_repository_but_outside_dir_are_followed() {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    copy_tree(&fixture("hardening-files"), &repo.join("docs"));
    std::fs::create_dir_all(repo.join("shared")).unwrap();
    std::fs::write(repo.join("shared/glossary.md"), "# Glossary\n\nTERM-FROM-REPO\n").unwrap();
    let ok = Std::new("git").arg("init").arg("-q").arg(&repo).status().unwrap().success();
    assert!(ok);
    symlink("../../shared/glossary.md", repo.join("docs/notes/glossary.md")).unwrap();
    let out = tmp.path().join("out");
    let o = dossier().arg("build").arg(repo.join("docs")).arg("-o").arg(&out).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(!err.contains("skipped-symlink"), "{err}");
    let page = std::fs::read_to_string(out.join("notes/glossary/index.html")).unwrap();
    assert!(page.contains("TERM-FROM-REPO"));
}

/// Holds the lock that `dossier build -o OUT` takes (`.OUT.dossier-lock` beside OUT).
fn hold_lock(out: &Path) -> std::fs::File {
    let name = out.file_name().unwrap().to_string_lossy();
    let path = out.parent().unwrap().join(format!(".{name}.dossier-lock"));
    let f = std::fs::OpenOptions::new().create(true).truncate(false).write(true).open(path).unwrap();
    rustix::fs::flock(&f, rustix::fs::FlockOperation::NonBlockingLockExclusive).unwrap();
    f
}

#[test]
fn a_second_concurrent_build_is_refused_while_the_first_writes() {
    let (tmp, src) = copied("hardening-files");
    let out = tmp.path().join("out");
    let held = hold_lock(&out);
    let o = dossier().arg("build").arg(&src).arg("-o").arg(&out).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains(&format!("another build is writing {}", out.display())), "{err}");
    assert!(err.contains("--wait"), "{err}");
    assert!(!out.exists(), "nothing was written");
    drop(held);
    let o = dossier().arg("build").arg(&src).arg("-o").arg(&out).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.join(".dossier-site").is_file());
}

#[test]
fn build_wait_queues_behind_the_build_holding_the_lock() {
    let (tmp, src) = copied("hardening-files");
    let out = tmp.path().join("out");
    let held = hold_lock(&out);
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("dossier"))
        .arg("build")
        .arg(&src)
        .arg("-o")
        .arg(&out)
        .arg("--wait")
        .env("NO_COLOR", "1")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // While the lock is held the waiting build cannot publish anything.
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(child.try_wait().unwrap().is_none(), "--wait does not give up while the lock is held");
    assert!(!out.exists());
    drop(held);
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(out.join("notes/small/index.html").is_file());
}

#[test]
fn concurrent_builds_into_one_folder_leave_a_whole_site() {
    let (tmp, src) = copied("hardening-files");
    let out = tmp.path().join("out");
    let spawn = || {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("dossier"))
            .arg("build")
            .arg(&src)
            .arg("-o")
            .arg(&out)
            .env("NO_COLOR", "1")
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap()
    };
    for _ in 0..3 {
        let runs: Vec<_> = (0..4).map(|_| spawn()).collect();
        for r in runs {
            let o = r.wait_with_output().unwrap();
            let err = String::from_utf8_lossy(&o.stderr);
            let refused = o.status.code() == Some(1) && err.contains("another build is writing");
            assert!(o.status.success() || refused, "{err}");
        }
        assert!(out.join(".dossier-site").is_file(), "the site keeps its marker");
        assert!(out.join("notes/small/index.html").is_file());
    }
    let o = dossier().arg("build").arg(&src).arg("-o").arg(&out).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "later builds accept the folder: {}", String::from_utf8_lossy(&o.stderr));
    let leftovers: Vec<String> =
        settled_names(tmp.path()).into_iter().filter(|n| n.contains("staging") || n.contains("dossier-old")).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_build_killed_mid_swap_leaves_a_site_the_next_build_accepts() {
    let (tmp, src) = copied("hardening-files");
    let out = tmp.path().join("out");
    let o = dossier().arg("build").arg(&src).arg("-o").arg(&out).output().unwrap();
    assert_eq!(o.status.code(), Some(0));
    // The state a kill between the fallback swap's two renames leaves: no OUT, the previous site aside.
    std::fs::rename(&out, tmp.path().join(".out.dossier-old-4242")).unwrap();
    std::fs::write(src.join("notes/small.md"), "# Small notes\n\nSECOND BUILD\n").unwrap();
    let o = dossier().arg("build").arg(&src).arg("-o").arg(&out).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(std::fs::read_to_string(out.join("notes/small/index.html")).unwrap().contains("SECOND BUILD"));
    let names: Vec<String> = settled_names(tmp.path()).into_iter().filter(|n| n.starts_with(".out.")).collect();
    assert_eq!(names, [".out.dossier-lock"], "nothing but the lock file beside OUT");
}

/// The names in `dir` once the previous sites that builds remove after their swap, in the
/// background, are gone (5 s at most).
fn settled_names(dir: &std::path::Path) -> Vec<String> {
    let names = || -> Vec<String> {
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect()
    };
    for _ in 0..100 {
        if !names().iter().any(|n| n.contains(".dossier-old-")) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    names()
}

/// A file named to inject into whatever reads dossier's output: a newline with a forged
/// workflow command, `,` and `:` (GitHub properties), `%`, and terminal escapes (set the
/// window title, clear the screen); its link target carries an escape too.
fn awkward_source() -> (tempfile::TempDir, std::path::PathBuf, String) {
    let (tmp, src) = copied("hardening-files");
    let name = "notes/evil\u{1b}]0;pwned\u{7}\u{1b}[2J,x:y%\n::error file=z::forged.md".to_string();
    std::fs::write(src.join(&name), "# Evil\n\n[gone](<missing\u{1b}[2J.md>)\n").unwrap();
    (tmp, src, name)
}

fn check_output(src: &Path, args: &[&str]) -> (i32, String, String) {
    let o = dossier().arg("check").arg(src).args(args).output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

#[test]
fn format_github_escapes_file_names_so_nothing_is_injected() {
    let (_tmp, src, _) = awkward_source();
    let (code, out, _) = check_output(&src, &["--format", "github"]);
    assert_eq!(code, 1);
    let lines: Vec<&str> = out.lines().filter(|l| l.contains("evil")).collect();
    assert_eq!(lines.len(), 1, "one annotation, on one line: {out}");
    // (The terminal escapes themselves are stripped on the way to a pipe.)
    assert!(lines[0].starts_with("::error file=notes/evil"), "{}", lines[0]);
    assert!(
        lines[0]
            .contains("%2Cx%3Ay%25%0A%3A%3Aerror file=z%3A%3Aforged.md,line=3,col=1,title=broken-link::link target"),
        "{}",
        lines[0]
    );
    assert!(!out.lines().any(|l| l.starts_with("::error file=z")), "no forged annotation: {out}");
}

#[test]
fn json_and_sarif_are_valid_for_any_file_name() {
    let (_tmp, src, name) = awkward_source();
    let (_, out, _) = check_output(&src, &["--format", "json"]);
    let v: Value = serde_json::from_str(&out).expect("valid JSON");
    assert!(v["diagnostics"].as_array().unwrap().iter().any(|d| d["path"] == name.as_str()), "{out}");
    let (_, out, _) = check_output(&src, &["--format", "sarif"]);
    let v: Value = serde_json::from_str(&out).expect("valid SARIF JSON");
    let uris: Vec<&str> = v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str())
        .collect();
    assert!(uris.iter().any(|u| u.starts_with("notes/evil") && !u.contains('\n')), "{uris:?}");
}

#[test]
fn text_output_to_a_terminal_shows_control_characters_in_file_names_and_text() {
    let (_tmp, src, _) = awkward_source();
    // CLICOLOR_FORCE: write as to a terminal (escapes are not stripped on the way out).
    let o = dossier().env_remove("NO_COLOR").env("CLICOLOR_FORCE", "1").arg("check").arg(&src).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(!err.contains("\u{1b}]0;") && !err.contains("\u{1b}[2J") && !err.contains('\u{7}'), "{err:?}");
    assert!(err.contains(r"notes/evil\x1B]0;pwned\x07\x1B[2J,x:y%\x0A::error file=z::forged.md"), "{err:?}");
    assert!(err.contains(r"missing\x1B[2J.md"), "the link target from the document's text: {err:?}");
}

/// A temp source folder with `files` (path, text) written into it.
fn written(files: &[(&str, &str)]) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    for (path, text) in files {
        let p = src.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    (tmp, src)
}

const ADR_BODY: &str = "## Context\n\nx\n\n## Decision\n\ny\n\n## Consequences\n\nz\n";

#[test]
fn a_theme_template_error_says_theme_template_and_check_exits_as_build_does() {
    let (tmp, src) = written(&[
        ("README.md", "# Home\n"),
        ("dossier.toml", "theme_dir = \"theme\"\n"),
        ("theme/templates/doc.html", "{% if %}\n"),
    ]);
    let b = dossier().arg("build").arg(&src).arg("-o").arg(tmp.path().join("out")).output().unwrap();
    let c = dossier().arg("check").arg(&src).output().unwrap();
    for o in [&b, &c] {
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains("theme/templates: error[invalid-config]: theme template failed to load"), "{err}");
        assert!(err.contains("dossier: theme template error: 1 error, 0 warnings"), "{err}");
        assert!(!err.contains("invalid dossier.toml"), "{err}");
    }
}

#[test]
fn a_document_superseding_itself_is_a_warning() {
    let text = format!("---\ntitle: Itself\nstatus: superseded\nsuperseded_by: ADR-0001\n---\n# Itself\n\n{ADR_BODY}");
    let other = format!("# 2. Other\n\nStatus: accepted\n\n{ADR_BODY}");
    let (_tmp, src) = written(&[("adr/0001-itself.md", &text), ("adr/0002-other.md", &other)]);
    let (code, out, err) = check_output(&src, &[]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        err.contains("adr/0001-itself.md:4:16: warning[self-relation]: \"Superseded by\" names this document itself; the relation is ignored"),
        "{err}"
    );
}

#[test]
fn unterminated_front_matter_is_a_warning_with_its_line() {
    let (_tmp, src) = written(&[("notes.md", "---\ntitle: Lost title\nstatus: accepted\n\n# Notes\n\nText.\n")]);
    let (code, _, err) = check_output(&src, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("notes.md:1:1: warning[invalid-front-matter]: front matter ignored: the front matter opened with `---` on line 1 is never closed, so its keys (such as `title`) are not read"),
        "{err}"
    );
}

#[test]
fn every_type_error_in_dossier_toml_is_reported() {
    let (_tmp, src) = written(&[
        ("README.md", "# Home\n"),
        ("dossier.toml", "title = 3\nbase_url = 4\n\n[check]\nbroken_links = true\n\n[render]\nhighlight = \"yes\"\n"),
    ]);
    let (code, _, err) = check_output(&src, &[]);
    assert_eq!(code, 2, "{err}");
    for want in [
        "dossier.toml:1:1: error[invalid-config]: `title`: invalid type: integer `3`, expected a string",
        "dossier.toml:2:1: error[invalid-config]: `base_url`: invalid type: integer `4`, expected a string",
        "dossier.toml:5:1: error[invalid-config]: `check.broken_links`: invalid type: boolean `true`, expected a string",
        "dossier.toml:8:1: error[invalid-config]: `render.highlight`: invalid type: string \"yes\", expected a boolean",
    ] {
        assert!(err.contains(want), "{want}\n{err}");
    }
    assert!(err.contains("dossier: invalid dossier.toml: 4 errors"), "{err}");
}

#[test]
fn output_inside_a_collection_reports_the_refusal_not_broken_links() {
    let first = format!("# 1. First\n\nStatus: accepted\n\nSee [the second](0002-second.md).\n\n{ADR_BODY}");
    let second = format!("# 2. Second\n\nStatus: accepted\n\n{ADR_BODY}");
    let (_tmp, src) = written(&[
        ("README.md", "# Home\n\n[First](adr/0001-first.md)\n"),
        ("adr/0001-first.md", &first),
        ("adr/0002-second.md", &second),
    ]);
    let o = dossier().arg("build").arg(&src).arg("-o").arg(src.join("adr")).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("lies inside the collection"), "{err}");
    assert!(!err.contains("broken-link"), "{err}");
}

#[test]
fn a_root_collection_refuses_an_output_inside_the_source_folder() {
    let first = format!("# 1. First\n\nStatus: accepted\n\n{ADR_BODY}");
    let (_tmp, src) =
        written(&[("dossier.toml", "[[collections]]\npath = \".\"\nkind = \"adr\"\n"), ("0001-first.md", &first)]);
    let o = dossier().arg("build").arg(&src).arg("-o").arg(src.join("site")).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("lies inside the collection at the source folder's root (path = \".\")"), "{err}");
    assert!(!src.join("site").exists());
    let o = dossier().arg("build").arg(&src).arg("-o").arg(src.parent().unwrap().join("site")).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
}

/// The inputs on which highlighting was super-linear (issue 20, item 2), each in its own block:
/// (language, code, the block's line in the file where the limit is passed).
fn pathological_blocks() -> (String, Vec<(&'static str, usize)>) {
    let blocks: Vec<(&str, String)> = vec![
        ("sh", format!("echo {}\n", "a\"b'c$(d) ".repeat(2_000))),
        ("js", format!("var x = [{}];\n", "{a:\"b\",c:/d/g},".repeat(2_000))),
        ("python", format!("x = {}\n", "(".repeat(40_000))),
        ("rust", format!("let s = \"{}\";\n", "x".repeat(221 * 1024))),
        ("json", format!("{}1\n", "[\n".repeat(5_000))),
        ("python", "ok = 1\ny = 2 # fine\n".to_string()),
    ];
    let mut doc = String::from("# Highlighting limits\n\nText.\n\n");
    let mut lines = Vec::new();
    for (lang, code) in &blocks {
        let fence = doc.lines().count() + 1;
        doc.push_str(&format!("```{lang}\n{code}```\n\n"));
        // The first line of each block except the last is the one past a limit (the nesting
        // one: its 101st line).
        lines.push((*lang, fence + if *lang == "json" { 101 } else { 1 }));
    }
    lines.pop();
    (doc, lines)
}

#[test]
fn highlighting_limits_show_pathological_blocks_as_plain_code_with_a_warning() {
    let (doc, lines) = pathological_blocks();
    let (tmp, src) = written(&[("notes/code.md", &doc)]);
    let (_, report) = check_json(&src);
    let mut found: Vec<u64> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "highlight-limit")
        .map(|d| {
            assert_eq!((d["path"].as_str(), d["severity"].as_str()), (Some("notes/code.md"), Some("warning")), "{d}");
            d["line"].as_u64().unwrap()
        })
        .collect();
    found.sort();
    let want: Vec<u64> = lines.iter().map(|(_, l)| *l as u64).collect();
    assert_eq!(found, want, "{report}");
    let b = build_guarded(tmp, src);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let html = b.read("notes/code/index.html");
    for lang in ["sh", "js", "python", "rust", "json"] {
        assert!(html.contains(&format!("<pre tabindex=\"0\"><code class=\"language-{lang}\">")), "{lang} not plain");
    }
    assert!(html.contains("(((((") && html.contains("a&quot;b"), "the code is not all there, escaped");
    // The small block under the limits is still highlighted.
    assert!(html.contains("<pre class=\"highlight\" tabindex=\"0\"><code class=\"language-python\">"), "small block");
}
