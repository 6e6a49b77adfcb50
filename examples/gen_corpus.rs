//! Writes a deterministic synthetic corpus of ADRs and design docs plus `expected.json`:
//! `cargo run --release --example gen_corpus -- --count 10000 --seed 42 [--broken 5] --out DIR`
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "../tests/support/corpus.rs"]
mod corpus;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const USAGE: &str = "usage: gen_corpus --count N --seed S [--broken K] --out DIR

Writes N documents (docs/adr, docs/decisions, docs/design) and expected.json into DIR,
which must not exist or be empty. K documents get one link to a missing file.
Defaults: --count 1000 --seed 42 --broken 0.";

struct Args {
    opts: corpus::Options,
    out: PathBuf,
}

fn parse(args: &[String]) -> Result<Option<Args>, String> {
    let mut opts = corpus::Options { count: 1000, seed: 42, broken: 0 };
    let mut out = None;
    let mut iter = args.iter();
    while let Some(arg) = iter.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        if flag == "-h" || flag == "--help" {
            return Ok(None);
        }
        let mut value = || -> Result<String, String> {
            match &inline {
                Some(v) => Ok(v.clone()),
                None => iter.next().cloned().ok_or_else(|| format!("{flag} needs a value")),
            }
        };
        let number = |v: String| -> Result<u64, String> {
            v.parse::<u64>().map_err(|_| format!("{flag}: not a non-negative integer: {v:?}"))
        };
        match flag {
            "--count" => opts.count = number(value()?)? as usize,
            "--seed" => opts.seed = number(value()?)?,
            "--broken" => opts.broken = number(value()?)? as usize,
            "--out" => out = Some(PathBuf::from(value()?)),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    let out = out.ok_or("--out DIR is required")?;
    Ok(Some(Args { opts, out }))
}

fn is_non_empty(dir: &Path) -> bool {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => entries.next().is_some(),
        // Exists but is not a readable folder (e.g. a file): also refuse.
        Err(_) => dir.exists(),
    }
}

fn main() -> ExitCode {
    let raw: Vec<String> = std::env::args().skip(1).collect();
    let args = match parse(&raw) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(msg) => {
            eprintln!("gen_corpus: {msg}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    if is_non_empty(&args.out) {
        eprintln!("gen_corpus: refusing to write into {}: it exists and is not an empty folder", args.out.display());
        return ExitCode::from(2);
    }
    let started = Instant::now();
    let corpus = corpus::generate(&args.opts);
    let generated = started.elapsed();
    if let Err(err) = corpus::write_to(&corpus, &args.out) {
        eprintln!("gen_corpus: writing {}: {err}", args.out.display());
        return ExitCode::FAILURE;
    }
    let written = started.elapsed() - generated;
    let bytes: usize = corpus.files.iter().map(|(_, c)| c.len()).sum();
    println!(
        "wrote {} documents ({:.1} MB) and expected.json to {} (seed {}, {} broken links): generated in {} ms, written in {} ms",
        corpus.files.len(),
        bytes as f64 / 1e6,
        args.out.display(),
        args.opts.seed,
        args.opts.broken.min(args.opts.count),
        generated.as_millis(),
        written.as_millis()
    );
    ExitCode::SUCCESS
}
