//! In-process fuzzing of parse, lint, link, search and render on stable Rust (issue 20).
//!
//! `cargo run --example fuzz -- SECONDS [--limit-ms MS] [--seed N] [--full-every K] [--out DIR]`
//! (or `scripts/fuzz SECONDS`). Seeds are the Markdown files of tests/fixtures and example-docs
//! and, read at run time and never copied, those of `../shared/corpora`. Each case mutates a
//! seed (byte flips, splices with another seed, Markdown-structure insertions, repeats and cuts)
//! and runs it through parse, lint and search tokenising in memory; every K-th case also goes
//! through a whole in-process build of a small site holding it (discover, parse, lint, link,
//! render every page, search index) in a temp folder. Each case runs under `catch_unwind`; a
//! panicking input is saved to DIR (`target/fuzz` by default) and counted, and so is the slowest
//! input (`slowest.md`). A watchdog thread watches the case at hand: past its time limit it
//! saves the input, reports and aborts.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use dossier::discover::SourceFile;
use dossier::model::Kind;
use dossier::parse::{self, Input, diagram::Diagrammer, highlight::Highlighter, scan::Scanner};
use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Markdown structure inserted at random places: the constructs the stages treat specially.
const SNIPPETS: &[&str] = &[
    "\n```mermaid\nflowchart TD\n  A[\"x\"] --> B\n```\n",
    "\n```mermaid\nerDiagram\n  A ||--o{ B : \"<img src=x onerror=alert(1)>\"\n```\n",
    "\n```rust\nfn main() { let x = [(1, {2})]; }\n```\n",
    "\n```python\nx = (((1)))\n",
    "\n```\n",
    "~~~",
    "[[ADR-0001]]",
    "[[",
    "]]",
    "](",
    "[x](../a.md#b)",
    "[x](javascript:alert(1))",
    "![i](img.png)",
    "<a href=\"x.md\">",
    "<!--",
    "-->",
    "> > > ",
    "\n* a\n  * b\n    * c\n",
    "\n1. a\n2. b\n",
    "\n| a | b |\n|---|---|\n| c | d |\n",
    "\n---\ntitle: x\nstatus: accepted\n---\n",
    "---\n",
    "+++\n",
    "\n# Title\n",
    "\n## Status\n\nSuperseded by [ADR-0002](0002-b.md)\n",
    "\n## Links\n\n- Amends ADR-0001\n",
    "\nStatus: Accepted\nDate: 2020-02-30\n",
    "[^1]",
    "\n[^1]: note\n",
    "&#x0;",
    "&amp;",
    "\u{0}",
    "\u{1b}]0;title\u{7}",
    "\u{202e}",
    "é",
    "😀",
    "\r\n",
    "\t",
    "https://example.org/a?b#c",
    "RFC-12",
    "{#id}",
    "<details><summary>s</summary>",
    "$$x$$",
    "\\",
    "`",
    "*",
    "_",
];

struct Args {
    seconds: u64,
    limit: Duration,
    seed: u64,
    full_every: u64,
    out: PathBuf,
}

fn args() -> Args {
    let mut a = Args {
        seconds: 60,
        limit: Duration::from_millis(10_000),
        seed: 1,
        full_every: 25,
        out: PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/fuzz"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(x) = it.next() {
        let mut value = || it.next().unwrap_or_default();
        match x.as_str() {
            "--limit-ms" => a.limit = Duration::from_millis(value().parse().unwrap_or(10_000)),
            "--seed" => a.seed = value().parse().unwrap_or(1),
            "--full-every" => a.full_every = value().parse::<u64>().unwrap_or(25).max(1),
            "--out" => a.out = PathBuf::from(value()),
            n => a.seconds = n.parse().unwrap_or(60),
        }
    }
    a
}

/// Every `.md` file under `dir` (at most `cap`), as bytes.
fn markdown_under(dir: &Path, cap: usize, into: &mut Vec<Vec<u8>>) {
    let start = into.len();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name().into_iter().filter_map(Result::ok) {
        if into.len() - start >= cap {
            break;
        }
        let p = e.path();
        if e.file_type().is_file()
            && p.extension().is_some_and(|x| x == "md")
            && let Ok(b) = std::fs::read(p)
        {
            // Whole corpora documents are big: fuzz their first 16 KB.
            into.push(b[..b.len().min(16 * 1024)].to_vec());
        }
    }
}

fn seeds() -> Vec<Vec<u8>> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut seeds = Vec::new();
    markdown_under(&root.join("tests/fixtures"), 2_000, &mut seeds);
    markdown_under(&root.join("example-docs"), 500, &mut seeds);
    let ours = seeds.len();
    let shared = root.join("../shared/corpora");
    if shared.is_dir() {
        markdown_under(&shared, 5_000, &mut seeds);
    } else {
        eprintln!("fuzz: ../shared/corpora not found: seeded from our fixtures only");
    }
    eprintln!("fuzz: {} seeds ({ours} ours, {} from the shared corpora)", seeds.len(), seeds.len() - ours);
    seeds
}

/// One mutated input from the seeds.
fn mutate(rng: &mut fastrand::Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut b = seeds[rng.usize(..seeds.len())].clone();
    for _ in 0..rng.usize(1..6) {
        let at = rng.usize(..=b.len());
        match rng.u8(..6) {
            0 if !b.is_empty() => {
                let i = rng.usize(..b.len());
                b[i] ^= 1 << rng.u8(..8);
            }
            1 => {
                let other = &seeds[rng.usize(..seeds.len())];
                let from = rng.usize(..=other.len());
                let to = (from + rng.usize(..=512)).min(other.len());
                b.splice(at..at, other[from..to].iter().copied());
            }
            2 | 3 => {
                let s = SNIPPETS[rng.usize(..SNIPPETS.len())].as_bytes();
                b.splice(at..at, s.iter().copied());
            }
            4 => {
                // A piece repeated: deep nesting, long lines, many links.
                let to = (at + rng.usize(1..=16)).min(b.len());
                let piece = b[at..to].to_vec();
                for _ in 0..rng.usize(1..200) {
                    b.splice(at..at, piece.iter().copied());
                }
            }
            _ => {
                let to = (at + rng.usize(..=256)).min(b.len());
                b.drain(at..to);
            }
        }
    }
    b.truncate(256 * 1024);
    b
}

/// The shared engines and settings of the in-memory stages.
struct Engines {
    highlighter: Highlighter,
    diagrams: Diagrammer,
    scanner: Scanner,
    statuses: BTreeMap<String, dossier::model::Status>,
    templates: dossier::lint::Templates,
}

/// Parse, lint and search tokens of one input, in memory.
fn in_memory(e: &Engines, bytes: &[u8], adr: bool) {
    let source = SourceFile {
        rel: if adr { "adr/0007-fuzz.md".into() } else { "notes/fuzz.md".into() },
        abs: PathBuf::from("/nonexistent/fuzz.md"),
        kind: if adr { Kind::Adr } else { Kind::Page },
        collection: adr.then_some(0),
        is_template: false,
        sidecar: None,
    };
    let input = Input {
        source: &source,
        bytes,
        prefix: adr.then_some("ADR"),
        statuses: &e.statuses,
        scanner: &e.scanner,
        highlighter: Some(&e.highlighter),
        diagrams: Some(&e.diagrams),
        sidecar: None,
    };
    let doc = parse::parse(&input);
    let _ = dossier::lint::check(&doc, &String::from_utf8_lossy(bytes), &e.templates);
    let _ = dossier::search::tokens(&doc.text).count();
}

/// A whole in-process build (without writing the site) of a small site holding the input.
fn full(dir: &Path, bytes: &[u8]) {
    let _ = std::fs::write(dir.join("adr/0007-fuzz.md"), bytes);
    let Ok((config, diags)) = dossier::build::load_config(dir) else { return };
    let loaded = dossier::build::load(dir, config, diags, &[]);
    let mut timings = dossier::build::Timings::default();
    let _ = dossier::build::outputs(&loaded, dir, None, &mut timings, None, None, None);
}

/// The small site `full` builds: a collection, two neighbours that link to the fuzzed file.
fn site(dir: &Path) {
    let w = |p: &str, t: &str| {
        let p = dir.join(p);
        std::fs::create_dir_all(p.parent().unwrap_or(dir)).expect("fuzz site folder");
        std::fs::write(p, t).expect("fuzz site file");
    };
    w(
        "dossier.toml",
        "[[collections]]\npath = \"adr\"\nkind = \"adr\"\nprefix = \"ADR\"\n[check]\nbroken_links = \"warn\"\n",
    );
    w("adr/0001-first.md", "# 1. First\n\nStatus: Accepted\n\nSee [the fuzzed one](0007-fuzz.md#x) and ADR-0007.\n");
    w("notes/index.md", "# Notes\n\n[[ADR-0007]] and [a](../adr/0007-fuzz.md).\n");
}

/// What a case left behind: saved to `out` under `name`.
fn save(out: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let _ = std::fs::create_dir_all(out);
    let p = out.join(name);
    let _ = std::fs::write(&p, bytes);
    p
}

fn main() {
    let a = args();
    let seeds = seeds();
    let engines = Engines {
        highlighter: Highlighter::default(),
        diagrams: Diagrammer::default(),
        scanner: Scanner::new(&["ADR".to_string(), "RFC".to_string()], &[]).unwrap_or_default(),
        statuses: BTreeMap::new(),
        templates: dossier::lint::Templates::new(Vec::new()),
    };
    let tmp = tempfile::Builder::new().prefix("dossier-fuzz").tempdir_in(shm()).expect("temp dir");
    site(tmp.path());
    // The case at hand, for the watchdog: its start (ms since `epoch`, 0 when idle) and input.
    let epoch = Instant::now();
    let started = Arc::new(AtomicU64::new(0));
    let current: Arc<Mutex<Vec<u8>>> = Arc::new(Mutex::new(Vec::new()));
    watchdog(a.limit, epoch, started.clone(), current.clone(), a.out.clone());
    std::panic::set_hook(Box::new(|_| {}));
    let mut rng = fastrand::Rng::with_seed(a.seed);
    let (mut cases, mut fulls, mut panics, mut slowest) = (0u64, 0u64, 0u64, Duration::ZERO);
    let mut slowest_input: Vec<u8> = Vec::new();
    let deadline = epoch + Duration::from_secs(a.seconds);
    while Instant::now() < deadline {
        let input = mutate(&mut rng, &seeds);
        let whole = cases % a.full_every == 0;
        *current.lock().unwrap_or_else(|e| e.into_inner()) = input.clone();
        let t = Instant::now();
        started.store(epoch.elapsed().as_millis() as u64 + 1, Ordering::SeqCst);
        let run = catch_unwind(AssertUnwindSafe(|| {
            in_memory(&engines, &input, cases % 2 == 0);
            if whole {
                full(tmp.path(), &input);
            }
        }));
        started.store(0, Ordering::SeqCst);
        if t.elapsed() > slowest {
            slowest = t.elapsed();
            slowest_input.clone_from(&input);
        }
        cases += 1;
        fulls += u64::from(whole);
        if run.is_err() {
            panics += 1;
            let p = save(&a.out, &format!("panic-{panics}.md"), &input);
            eprintln!("fuzz: case {cases} panicked: input saved to {}", p.display());
        }
        if cases % 10_000 == 0 {
            eprintln!("fuzz: {cases} cases, {panics} panics, {:.0} s", epoch.elapsed().as_secs_f64());
        }
    }
    let kept = save(&a.out, "slowest.md", &slowest_input);
    println!(
        "fuzz: {cases} cases ({fulls} whole builds) in {:.0} s, {panics} panics, 0 over the {} ms limit, slowest case {} ms ({})",
        epoch.elapsed().as_secs_f64(),
        a.limit.as_millis(),
        slowest.as_millis(),
        kept.display()
    );
    if panics > 0 {
        std::process::exit(1);
    }
}

/// A tmpfs for the whole-build cases, when there is one.
fn shm() -> PathBuf {
    let shm = PathBuf::from("/dev/shm");
    if shm.is_dir() { shm } else { std::env::temp_dir() }
}

/// Checks the case at hand every 50 ms; past `limit` it saves the input, reports and aborts.
fn watchdog(limit: Duration, epoch: Instant, started: Arc<AtomicU64>, current: Arc<Mutex<Vec<u8>>>, out: PathBuf) {
    std::thread::spawn(move || {
        loop {
            std::thread::sleep(Duration::from_millis(50));
            let s = started.load(Ordering::SeqCst);
            if s == 0 {
                continue;
            }
            let now = epoch.elapsed().as_millis() as u64 + 1;
            if now.saturating_sub(s) > limit.as_millis() as u64 {
                let input = current.lock().unwrap_or_else(|e| e.into_inner()).clone();
                let p = save(&out, "slow.md", &input);
                eprintln!(
                    "fuzz: a case ran over the {} ms limit: input saved to {}; aborting",
                    limit.as_millis(),
                    p.display()
                );
                std::process::abort();
            }
        }
    });
}
