//! The incremental engine against a fresh full build: random edit sequences (seeded) applied to
//! a small site, one `Session` kept across them as `serve` keeps it; after every edit the
//! session's output tree equals a fresh `build`'s byte for byte, and the diagnostics are equal.
//! Runs in-process against the library. A failure prints its seed and the edits so far; set
//! `DOSSIER_SEED` to replay one seed, or `DOSSIER_SEEDS=40` to run seeds 1 to 40 (default 6).

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
            let line = match (rng.usize(..3), adr_id(&target)) {
                (0, Some(id)) => format!("Link: mentions {id}."),
                // A heading a body edit may add (`## Goals 7`), or not.
                (1, _) => format!("Link: see [goals]({}#goals-{}).", relative(&rel, &target), rng.usize(1..13)),
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

/// What a case counted: steps after which both wrote a site, steps that re-linked nothing, and
/// steps that re-linked some documents but not all (the link memo at work).
#[derive(Default)]
struct Counts {
    compared: usize,
    unlinked: usize,
    partial: usize,
}

/// Runs `steps` random edits from `seed`: what it counted, or `Err` naming the first step whose
/// result differs.
fn case(seed: u64, steps: usize) -> Result<Counts, String> {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("src");
    common::copy_tree(&fixture("engine"), &root);
    let (preview, full) = (tmp.path().join("preview"), tmp.path().join("full"));
    let mut session = Session::new(&root, Settings { skip: vec![preview.clone()], ..Settings::default() });
    let sink = || Folder(Preview::open(&preview).unwrap());
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut log = vec!["initial build".to_string()];
    let mut changed = Vec::new();
    let mut counts = Counts::default();
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
            counts.unlinked += 1;
        }
        if step > 0 && outcome.work.relinked > 0 && outcome.work.relinked < outcome.documents {
            counts.partial += 1;
        }
        if written {
            counts.compared += 1;
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
    Ok(counts)
}

#[test]
fn random_edit_sequences_equal_a_full_build() {
    let count: u64 = std::env::var("DOSSIER_SEEDS").map_or(6, |s| s.parse().expect("DOSSIER_SEEDS is a number"));
    let seeds: Vec<u64> = match std::env::var("DOSSIER_SEED") {
        Ok(s) => vec![s.parse().expect("DOSSIER_SEED is a number")],
        Err(_) => (1..=count).collect(),
    };
    let (mut total, mut steps) = (Counts::default(), 0);
    for seed in seeds {
        match case(seed, 12) {
            Ok(c) => {
                total.compared += c.compared;
                total.unlinked += c.unlinked;
                total.partial += c.partial;
            }
            Err(e) => panic!("{e}"),
        }
        steps += 13;
    }
    // Most edits leave a site without errors, whose trees were compared; some (the body edits)
    // reuse the last discovery and the last link, and some (titles, statuses, links, new and
    // deleted files) re-link only some documents.
    assert!(total.compared * 2 > steps, "only {} of {steps} steps wrote a site", total.compared);
    assert!(total.unlinked > 0, "no edit re-linked nothing");
    assert!(total.partial > 0, "no edit re-linked some documents but not all");
}
