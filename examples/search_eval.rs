//! Search quality: builds a source folder with the `dossier` binary of the same profile and runs
//! query sets through the real search client in node (scripts/search_eval.js), printing
//! recall@1, recall@5 and MRR@10 per set.
//!
//! `cargo run --example search_eval -- SOURCE QUERIES.json [QUERIES.json…] [--misses]`, e.g.
//! `cargo run --example search_eval -- ../shared/corpora/rust-rfcs tests/search-queries/rust-rfcs-*.json`.
//! A query file's `config`, if any, is written as the copy's dossier.toml. Build the binary
//! first (`cargo build`, or `cargo build --release` with `--release` here).
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let dest = to.join(e.file_name());
        if e.file_type()?.is_dir() {
            copy_tree(&e.path(), &dest)?;
        } else {
            std::fs::copy(e.path(), dest)?;
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (flags, rest): (Vec<&String>, Vec<&String>) = args.iter().partition(|a| a.starts_with("--"));
    let Some((source, queries)) = rest.split_first().filter(|(_, q)| !q.is_empty()) else {
        eprintln!("usage: search_eval SOURCE QUERIES.json [QUERIES.json…] [--misses]");
        return ExitCode::from(2);
    };
    // The binary beside this example's folder: target/<profile>/dossier.
    let exe = std::env::current_exe().ok();
    let bin = exe.as_ref().and_then(|e| e.parent()?.parent().map(|p| p.join("dossier")));
    let Some(bin) = bin.filter(|b| b.exists()) else {
        eprintln!("build the dossier binary first (`cargo build`)");
        return ExitCode::from(2);
    };
    let tmp = match tempfile::tempdir() {
        Ok(t) => t,
        Err(e) => {
            eprintln!("temporary folder: {e}");
            return ExitCode::FAILURE;
        }
    };
    let (src, out) = (tmp.path().join("src"), tmp.path().join("site"));
    if let Err(e) = copy_tree(Path::new(source.as_str()), &src) {
        eprintln!("{source}: {e}");
        return ExitCode::FAILURE;
    }
    let config = std::fs::read_to_string(queries[0].as_str())
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| v["config"].as_str().map(String::from));
    if let Some(c) = config.filter(|_| !src.join("dossier.toml").exists()) {
        let _ = std::fs::write(src.join("dossier.toml"), c);
    }
    let built = Command::new(&bin)
        .arg("build")
        .arg(&src)
        .arg("-o")
        .arg(&out)
        .arg("-q")
        .stderr(std::process::Stdio::null())
        .status();
    if !built.is_ok_and(|s| s.code() != Some(2) && out.join("search").exists()) {
        eprintln!("{}: the build failed", source);
        return ExitCode::FAILURE;
    }
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scripts/search_eval.js");
    let status = Command::new("node").arg(script).arg(&out).args(queries).args(flags).status();
    if status.is_ok_and(|s| s.success()) { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
