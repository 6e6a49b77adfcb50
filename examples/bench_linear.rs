//! Benchmark: does every stage stay linear on pathological input? (issue 20)
//!
//! `cargo run --example bench_linear -- [BIN] [--steps N] [--base BYTES] [--runs R] [--only NAME]` builds, with
//! the real binary (BIN, default target/release/dossier), one document made of one
//! pathological pattern at BYTES (default 16 KB), then doubled N times (default 4), and prints the
//! median CPU time of R builds (default 3) less that of an empty document, and its growth per
//! doubling: linear work grows about 2×; the issue's bound is 2.5×. Patterns: long lines of
//! prose and of code, brackets nested in code, deep lists and quotes, many links, emphasis and
//! brackets left open, a huge table.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::process::Command;

/// A pattern: its name and the document it makes at about `n` bytes.
type Pattern = (&'static str, fn(usize) -> String);

fn rep(s: &str, n: usize) -> String {
    s.repeat((n / s.len()).max(1))
}

const PATTERNS: &[Pattern] = &[
    ("long prose line", |n| format!("# T\n\n{}\n", rep("word ", n))),
    ("long shell line", |n| format!("# T\n\n```sh\necho {}\n```\n", rep("a\"b'c$(d) ", n))),
    ("long JS line", |n| format!("# T\n\n```js\nvar x = [{}];\n```\n", rep("{a:\"b\",c:/d/g},", n))),
    ("nested ( in Python", |n| format!("# T\n\n```python\nx = {}\n```\n", rep("(", n))),
    ("nested [ over lines", |n| format!("# T\n\n```json\n{}1\n```\n", rep("[\n", n))),
    ("many code lines", |n| format!("# T\n\n```rust\n{}```\n", rep("let x = f(a, [b, c]); // d\n", n))),
    ("deep list", |n| format!("# T\n\n{}x\n", rep("- ", n))),
    ("deep quote", |n| format!("# T\n\n{}x\n", rep("> ", n))),
    ("many links", |n| format!("# T\n\n{}\n", rep("[a](other.md) ", n))),
    ("many wiki links", |n| format!("# T\n\n{}\n", rep("[[other]] ", n))),
    ("open brackets", |n| format!("# T\n\n{}\n", rep("[", n))),
    ("open emphasis", |n| format!("# T\n\n{}\n", rep("*a _b ", n))),
    ("open backticks", |n| format!("# T\n\n{}\n", rep("`a ``b ", n))),
    ("huge table", |n| format!("# T\n\n| a | b | c |\n|---|---|---|\n{}", rep("| 1 | [x](other.md) | `c` |\n", n))),
    ("many headings", |n| format!("# T\n\n{}", rep("## Same heading\n\n", n))),
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str, default: usize| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let bin = args
        .first()
        .filter(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/dossier"));
    let (steps, base, runs) = (flag("--steps", 4), flag("--base", 16 * 1024), flag("--runs", 3));
    let tmp = tempfile::tempdir().expect("temp dir");
    let empty = time(&bin, tmp.path(), "# T\n\nx\n", runs);
    println!("binary: {}  (an empty document builds in {empty:.1} ms; times below are less that)", bin.display());
    println!("{:<22} {:>9} {:>10} {:>8}", "pattern", "bytes", "ms", "growth");
    let mut worst: (f64, &str) = (0.0, "");
    let only = args.iter().position(|a| a == "--only").and_then(|i| args.get(i + 1));
    for (name, make) in PATTERNS.iter().filter(|(n, _)| only.is_none_or(|o| n.contains(o.as_str()))) {
        let mut last: Option<f64> = None;
        for k in 0..=steps {
            let doc = make(base << k);
            let ms = (time(&bin, tmp.path(), &doc, runs) - empty).max(0.1);
            let growth = last.map(|l| ms / l);
            println!(
                "{name:<22} {:>9} {ms:>10.1} {:>8}",
                doc.len(),
                growth.map_or(String::new(), |g| format!("{g:.2}x"))
            );
            // Growth between tiny times is noise: judged from the second doubling on.
            if let Some(g) = growth.filter(|_| k >= 2)
                && g > worst.0
            {
                worst = (g, name);
            }
            last = Some(ms);
        }
    }
    println!("worst growth per doubling (from the second doubling on): {:.2}x ({})", worst.0, worst.1);
}

/// Median CPU time (user + system, ms) of `runs` builds of a folder holding `doc` and the file
/// it links to: CPU time, not wall time, so that other load on the machine counts less.
fn time(bin: &Path, tmp: &Path, doc: &str, runs: usize) -> f64 {
    let src = tmp.join("src");
    let _ = std::fs::remove_dir_all(&src);
    std::fs::create_dir_all(&src).expect("source folder");
    std::fs::write(src.join("doc.md"), doc).expect("document");
    std::fs::write(src.join("other.md"), "# Other\n\nx\n").expect("document");
    std::fs::write(src.join("dossier.toml"), "[check]\nbroken_links = \"warn\"\n").expect("config");
    let report = tmp.join("time");
    let mut times: Vec<f64> = (0..runs.max(1))
        .map(|i| {
            let out = tmp.join(format!("out{i}"));
            let status = Command::new("/usr/bin/time")
                .args(["-f", "%U %S", "-o"])
                .arg(&report)
                .arg(bin)
                .arg("build")
                .arg(&src)
                .arg("-o")
                .arg(&out)
                .arg("-q")
                .output();
            let cpu: Option<f64> = std::fs::read_to_string(&report)
                .ok()
                .and_then(|t| t.split_whitespace().map(|x| x.parse::<f64>().ok()).sum::<Option<f64>>());
            let (Ok(_), Some(cpu)) = (status, cpu) else {
                eprintln!("bench_linear: cannot run {} under /usr/bin/time", bin.display());
                std::process::exit(2);
            };
            let _ = std::fs::remove_dir_all(&out);
            cpu * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}
