//! Benchmark: time from saving one file to the reload event of `dossier serve`, on a corpus.
//!
//! `cargo run --release --example bench_reload -- CORPUS [EDITS] [body|link]` copies CORPUS to
//! a temporary folder, starts `target/release/dossier serve` on it, edits one document EDITS
//! times (default 20), and prints the median and spread of save → first reload event (the edited page's, sent
//! once the document pages are written), plus the server's own line for the whole rebuild.
//! `body` (the default) appends a sentence, the commonest edit, which gets `serve`'s head start;
//! `link` adds or removes a link to another document in turn, which changes the other page's
//! backlinks and needs the whole-site link first.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc::channel;
use std::time::{Duration, Instant};

fn copy(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from).into_iter().filter_map(Result::ok) {
        let t = to.join(e.path().strip_prefix(from).unwrap());
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&t).unwrap();
        } else {
            std::fs::copy(e.path(), &t).unwrap();
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let corpus = PathBuf::from(args.get(1).expect("usage: bench_reload CORPUS [EDITS]"));
    let edits: usize = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(20);
    let relink = match args.get(3).map(String::as_str) {
        None | Some("body") => false,
        Some("link") => true,
        Some(other) => panic!("edit kind {other:?}: body or link"),
    };
    let tmp = tempfile::tempdir().unwrap();
    copy(&corpus, tmp.path());
    let bin = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/dossier");
    let mut child = Command::new(&bin)
        .args(["serve", "--port", "0", "--timings"])
        .arg(tmp.path())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run `cargo build --release` first");
    let (tx, log) = channel::<String>();
    for s in [
        Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>,
        Box::new(child.stderr.take().unwrap()),
    ] {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for l in BufReader::new(s).lines().map_while(Result::ok) {
                let _ = tx.send(l);
            }
        });
    }
    let addr = loop {
        let l = log.recv_timeout(Duration::from_secs(120)).expect("serve did not start");
        if let Some(rest) = l.split(" at http://").nth(1) {
            break rest.split('/').next().unwrap().to_string();
        }
    };
    let mut s = TcpStream::connect(&addr).unwrap();
    write!(s, "GET /__dossier/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    let (etx, events) = channel::<(Instant, String)>();
    std::thread::spawn(move || {
        for l in BufReader::new(s).lines().map_while(Result::ok) {
            let _ = etx.send((Instant::now(), l));
        }
    });
    let doc = walkdir::WalkDir::new(tmp.path())
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .find(|e| e.path().extension().is_some_and(|x| x == "md") && e.path().to_string_lossy().contains("/design/"))
        .or_else(|| {
            walkdir::WalkDir::new(tmp.path())
                .into_iter()
                .filter_map(Result::ok)
                .find(|e| e.path().extension().is_some_and(|x| x == "md"))
        })
        .unwrap()
        .into_path();
    let original = std::fs::read_to_string(&doc).unwrap();
    // Another document in the same folder, for `link` edits.
    let other = std::fs::read_dir(doc.parent().unwrap())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".md") && Some(n.as_str()) != doc.file_name().and_then(|f| f.to_str()))
        .min()
        .unwrap_or_default();
    std::thread::sleep(Duration::from_millis(500));
    while events.try_recv().is_ok() {}
    while log.try_recv().is_ok() {}
    let mut times = Vec::new();
    let mut rebuilds: Vec<String> = Vec::new();
    let mut stages = String::new();
    for i in 0..edits {
        let saved = Instant::now();
        let edited = if relink && i % 2 == 0 {
            format!("{original}\nSee [the next design]({other}), edit {i}.\n")
        } else {
            format!("{original}\nEdit number {i}.\n")
        };
        assert_ne!(edited, original);
        std::fs::write(&doc, edited).unwrap();
        loop {
            let (at, line) = events.recv_timeout(Duration::from_secs(60)).expect("no reload event");
            if line.starts_with("data:") && line.contains("\"build\"") {
                times.push(at - saved);
                break;
            }
        }
        // Measure every edit from an idle server: wait for the whole rebuild (index pages,
        // search index) that goes on after the first reload event.
        loop {
            let l = log.recv_timeout(Duration::from_secs(60)).expect("no rebuilt line");
            // `--timings` prints the stages line right after the "rebuilt" line.
            if l.contains("rebuilt") {
                rebuilds.push(l);
            } else if l.contains("stages:") {
                stages = l;
                break;
            }
        }
        while events.try_recv().is_ok() {}
        std::thread::sleep(Duration::from_millis(200));
    }
    let _ = Command::new("kill").args(["-INT", &child.id().to_string()]).status();
    let _ = child.wait();
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let kind = if relink { "links" } else { "body" };
    println!("edited the {kind} of {} ({} edits)", doc.strip_prefix(tmp.path()).unwrap().display(), times.len());
    println!(
        "save → reload event: median {:.0} ms, min {:.0} ms, max {:.0} ms",
        ms(times[times.len() / 2]),
        ms(times[0]),
        ms(times[times.len() - 1])
    );
    if let Some(last) = rebuilds.last() {
        println!("server: {last}");
    }
    if !stages.is_empty() {
        // The first reload event goes out after "write pages".
        println!("server: {}", stages.trim_start_matches("dossier: "));
    }
}
