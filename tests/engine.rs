//! The incremental engine against a fresh full build: random edit sequences (seeded) applied to
//! a small site, one `Session` kept across them as `serve` keeps it; after every edit the
//! session's output tree equals a fresh `build`'s byte for byte, and the diagnostics are equal.
//! Runs in-process against the library. A failure prints its seed and the edits so far; set
//! `DOSSIER_SEED` to replay one seed.

mod common;

use common::{fixture, tree};
use dossier::build::{self, Mode};
use dossier::diag::Diagnostic;
use dossier::session::{Session, Settings, Sink};
use dossier::write::{OutputFile, Preview};
use std::path::{Path, PathBuf};

/// `serve`'s kind of sink: changed files written into a folder, gone ones removed.
struct Folder(Preview);

impl Sink for Folder {
    fn put(&self, file: &OutputFile) -> Result<(), String> {
        self.0.put(file).map_err(|e| e.to_string())
    }
    fn remove(&self, path: &str) -> Result<(), String> {
        self.0.remove(path).map_err(|e| e.to_string())
    }
}

const STATUSES: [&str; 5] = ["proposed", "accepted", "rejected", "deprecated", "draft"];

/// The Markdown files under `root`, relative, sorted.
fn docs(root: &Path) -> Vec<String> {
    let mut v: Vec<String> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.path().strip_prefix(root).unwrap().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// The path from the folder of `from` to `to`, both relative to the root.
fn relative(from: &str, to: &str) -> String {
    let depth = from.matches('/').count();
    format!("{}{to}", "../".repeat(depth))
}

/// The ID a mention of `rel` would use, when it has one (`adr/0003-x.md` → `ADR-0003`).
fn adr_id(rel: &str) -> Option<String> {
    let name = rel.strip_prefix("adr/")?;
    let n = name.get(..4).filter(|n| n.chars().all(|c| c.is_ascii_digit()))?;
    Some(format!("ADR-{n}"))
}

/// One random edit to the site at `root`: what it did, and the paths it touched.
fn edit(rng: &mut fastrand::Rng, root: &Path, step: usize) -> (String, Vec<PathBuf>) {
    let files = docs(root);
    let pick = |rng: &mut fastrand::Rng| files[rng.usize(..files.len())].clone();
    let read = |rel: &str| std::fs::read_to_string(root.join(rel)).unwrap();
    let write = |rel: &str, text: &str| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    };
    match rng.usize(..13) {
        0 => {
            let target = pick(rng);
            let (rel, text) = if rng.bool() {
                let n = 4 + rng.usize(..6);
                let status = STATUSES[rng.usize(..STATUSES.len())];
                let rel = format!("adr/{n:04}-added-{step}.md");
                let link = relative(&rel, &target);
                (rel, format!("---\nstatus: {status}\n---\n# Added {step}\n\n## Context\n\nSee [it]({link}).\n"))
            } else {
                let rel = format!("design/added-{step}.md");
                let link = relative(&rel, &target);
                (rel, format!("# Design {step}\n\n## Goals\n\nAfter [that]({link}).\n"))
            };
            let p = write(&rel, &text);
            (format!("add {rel} linking to {target}"), vec![p])
        }
        1 if files.len() > 3 => {
            let rel = pick(rng);
            let p = root.join(&rel);
            std::fs::remove_file(&p).unwrap();
            (format!("delete {rel}"), vec![p])
        }
        2 => {
            let rel = pick(rng);
            let to = rel.replace(".md", &format!("-moved-{step}.md"));
            std::fs::rename(root.join(&rel), root.join(&to)).unwrap();
            (format!("rename {rel} to {to}"), vec![root.join(&rel), root.join(&to)])
        }
        3 => {
            let rel = pick(rng);
            let text = read(&rel);
            let new: Vec<String> = text
                .lines()
                .map(|l| if l.starts_with("# ") { format!("{l} retitled {step}") } else { l.to_string() })
                .collect();
            (format!("retitle {rel}"), vec![write(&rel, &(new.join("\n") + "\n"))])
        }
        4 | 5 => {
            let (rel, target) = (pick(rng), pick(rng));
            let line = match (rng.bool(), adr_id(&target)) {
                (true, Some(id)) => format!("Link: mentions {id}."),
                _ => format!("Link: see [this]({}).", relative(&rel, &target)),
            };
            let text = read(&rel);
            (format!("relink {rel}: {line}"), vec![write(&rel, &format!("{text}\n{line}\n"))])
        }
        6 => {
            let rel = pick(rng);
            let text = read(&rel);
            let Some(line) = text.lines().find(|l| l.starts_with("Link: ")).map(String::from) else {
                return (format!("unlink {rel}: none"), Vec::new());
            };
            (format!("unlink {rel}: {line}"), vec![write(&rel, &text.replacen(&format!("{line}\n"), "", 1))])
        }
        7 => {
            let rel = pick(rng);
            let status = STATUSES[rng.usize(..STATUSES.len())];
            let text = read(&rel);
            let mut lines: Vec<String> = text.lines().map(String::from).collect();
            let mut done = false;
            for i in 0..lines.len() {
                let l = lines[i].clone();
                if l.starts_with("status: ") || l.starts_with("- Status: ") {
                    lines[i] = format!("{}{status}", &l[..l.find(": ").unwrap() + 2]);
                    done = true;
                    break;
                }
                if l == "## Status" && i + 2 < lines.len() {
                    lines[i + 2] = status.to_string();
                    done = true;
                    break;
                }
            }
            if !done {
                return (format!("status {rel}: no status line"), Vec::new());
            }
            (format!("status {rel} -> {status}"), vec![write(&rel, &(lines.join("\n") + "\n"))])
        }
        8 => {
            let (rel, target) = (pick(rng), pick(rng));
            let text = read(&rel);
            let (Some(id), Some(rest)) = (adr_id(&target), text.strip_prefix("---\n")) else {
                return (format!("supersede {rel}: no front matter or no ADR target"), Vec::new());
            };
            let text = format!("---\nsupersedes: {id}\n{rest}");
            (format!("{rel} supersedes {id}"), vec![write(&rel, &text)])
        }
        10 | 11 => {
            // A body edit: words, or a heading that a link's `#fragment` may name.
            let rel = pick(rng);
            let line = if rng.bool() { format!("Body words {step}.") } else { format!("## Goals {step}") };
            let text = read(&rel);
            (format!("body {rel}: {line}"), vec![write(&rel, &format!("{text}\n{line}\n"))])
        }
        _ => {
            let toml = if rng.bool() {
                format!("title = \"Engine {step}\"\n\n[check]\nbroken_links = \"warn\"\n")
            } else {
                format!("title = \"Engine {step}\"\n\n[check]\nbroken_links = \"warn\"\n\n[render]\nllms = false\n")
            };
            (format!("config: {}", toml.replace('\n', " ")), vec![write("dossier.toml", &toml)])
        }
    }
}

/// A fresh full build of `root` into `out`: its diagnostics, and whether it wrote the site.
fn full_build(root: &Path, out: &Path) -> (Vec<Diagnostic>, bool) {
    let _ = std::fs::remove_dir_all(out);
    let opts = build::Options {
        root: root.to_path_buf(),
        out: Some(out.to_path_buf()),
        base_url: None,
        strict: false,
        mode: Mode::Build,
        wait: false,
    };
    match build::run(&opts) {
        Ok(r) => (r.diagnostics, r.written),
        Err(build::Failure::Config(d) | build::Failure::Theme(d)) => (d, false),
        Err(e) => panic!("build failed: {e}"),
    }
}

fn texts(d: &[Diagnostic]) -> Vec<String> {
    d.iter().map(|d| format!("{d:?}")).collect()
}

/// Runs `steps` random edits from `seed`: the number of steps after which both wrote a site and
/// of those that re-linked nothing, or `Err` naming the first step whose result differs.
fn case(seed: u64, steps: usize) -> Result<(usize, usize), String> {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("src");
    common::copy_tree(&fixture("engine"), &root);
    let (preview, full) = (tmp.path().join("preview"), tmp.path().join("full"));
    let mut session = Session::new(&root, Settings { skip: vec![preview.clone()], ..Settings::default() });
    let sink = || Folder(Preview::open(&preview).unwrap());
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut log = vec!["initial build".to_string()];
    let mut changed = Vec::new();
    let (mut compared, mut unlinked) = (0, 0);
    for step in 0..=steps {
        if step > 0 {
            let (what, paths) = edit(&mut rng, &root, step);
            log.push(what);
            changed = paths;
        }
        let outcome = session.run(&changed, &sink());
        let (diagnostics, written) = full_build(&root, &full);
        let fail = |why: &str| Err(format!("seed {seed}, step {step}: {why}\nedits:\n  {}", log.join("\n  ")));
        if texts(&outcome.diagnostics) != texts(&diagnostics) {
            return fail(&format!(
                "diagnostics differ:\nsession: {:#?}\nfull build: {:#?}",
                outcome.diagnostics, diagnostics
            ));
        }
        let clean = !diagnostics.iter().any(Diagnostic::is_error);
        if clean != written {
            return fail(&format!("the full build wrote: {written}, with errors: {}", !clean));
        }
        if step > 0 && outcome.work.relinked == 0 && !outcome.work.walked {
            unlinked += 1;
        }
        if written {
            compared += 1;
            let (a, b) = (tree(&preview), tree(&full));
            if a != b {
                let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
                let differ: Vec<&String> = a
                    .iter()
                    .filter(|(p, bytes)| b.iter().find(|(q, _)| q == p).is_none_or(|(_, c)| c != bytes))
                    .map(|(p, _)| p)
                    .collect();
                return fail(&format!(
                    "output trees differ; differing or extra in the session: {differ:?}\nsession files: {:?}\nfull build files: {:?}",
                    names(&a),
                    names(&b)
                ));
            }
        }
    }
    Ok((compared, unlinked))
}

#[test]
fn random_edit_sequences_equal_a_full_build() {
    let seeds: Vec<u64> = match std::env::var("DOSSIER_SEED") {
        Ok(s) => vec![s.parse().expect("DOSSIER_SEED is a number")],
        Err(_) => (1..=6).collect(),
    };
    let (mut compared, mut unlinked, mut steps) = (0, 0, 0);
    for seed in seeds {
        match case(seed, 12) {
            Ok((n, u)) => (compared, unlinked) = (compared + n, unlinked + u),
            Err(e) => panic!("{e}"),
        }
        steps += 13;
    }
    // Most edits leave a site without errors, whose trees were compared, and some (the body
    // edits) reuse the last discovery and the last link.
    assert!(compared * 2 > steps, "only {compared} of {steps} steps wrote a site");
    assert!(unlinked > 0, "no edit re-linked nothing");
}
