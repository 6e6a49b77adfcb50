//! Benchmark: time from saving one file to the reload event of `dossier serve`, on a corpus.
//!
//! `cargo run --release --example bench_reload -- CORPUS [EDITS] [body|link]` copies CORPUS to
//! a temporary folder, starts `target/release/dossier serve` on it, edits one document EDITS
//! times (default 20), and prints the median and spread of save → first reload event (the edited page's, sent
//! once the document pages are written), plus the server's own line for the whole rebuild.
//! `body` (the default) appends a sentence, the commonest edit; `link` adds or removes a link to
//! another document in turn, which changes the other page's backlinks; `title` and `status`
//! change the document's title or status (shown on other pages); `new` adds a new document and
//! times the reload event that names its page; `delete` removes the document and puts it back in
//! turn, timing the removals. The server is the `dossier` binary beside this example (built with
//! the same profile: `cargo build --profile quick --bin dossier --example bench_reload`).
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
    let kind = args.get(3).map_or("body", String::as_str);
    if !["body", "link", "title", "status", "new", "delete"].contains(&kind) {
        panic!("edit kind {kind:?}: body, link, title, status, new or delete");
    }
    let tmp = tempfile::tempdir().unwrap();
    copy(&corpus, tmp.path());
    // `target/PROFILE/examples/bench_reload` → `target/PROFILE/dossier`.
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().and_then(Path::parent).map(|d| d.join("dossier")).unwrap();
    let mut child = Command::new(&bin)
        .args(["serve", "--port", "0", "--timings"])
        .arg(tmp.path())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("build the dossier binary with the same profile first");
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
        // What the reload event must name (`new`: the new page), and whether to time this edit.
        let (wait_for, timed) = edit(kind, i, &doc, &original, &other);
        loop {
            let (at, line) = events.recv_timeout(Duration::from_secs(60)).expect("no reload event");
            if line.starts_with("data:") && line.contains("\"build\"") && line.contains(&wait_for) {
                if timed {
                    times.push(at - saved);
                }
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
    println!("edit kind {kind}, on {} ({} edits)", doc.strip_prefix(tmp.path()).unwrap().display(), times.len());
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

/// Makes edit number `i` of `kind` to `doc`: returns what its reload event must contain, and
/// whether it is timed (`delete` times the removals, not the restores).
fn edit(kind: &str, i: usize, doc: &Path, original: &str, other: &str) -> (String, bool) {
    let write = |text: String| {
        assert_ne!(text, original);
        std::fs::write(doc, text).unwrap();
    };
    match kind {
        "link" if i.is_multiple_of(2) => write(format!("{original}\nSee [the next design]({other}), edit {i}.\n")),
        "title" => write(original.replacen("\n", &format!(" (edit {i})\n"), 1)),
        "status" => write(with_status(original, if i.is_multiple_of(2) { "Rejected" } else { "Deprecated" })),
        "new" => {
            let name = format!("bench-new-{i}");
            let text = format!("# A new design {i}\n\n## Goals\n\nNew words, see [that]({other}).\n");
            std::fs::write(doc.with_file_name(format!("{name}.md")), text).unwrap();
            return (name, true);
        }
        "delete" if i.is_multiple_of(2) => {
            std::fs::remove_file(doc).unwrap();
            return (String::new(), true);
        }
        "delete" => {
            std::fs::write(doc, original).unwrap();
            return (String::new(), false);
        }
        _ => write(format!("{original}\nEdit number {i}.\n")),
    }
    (String::new(), true)
}

/// `text` with its status (front matter, `- Status:` line or `## Status` section) set to `status`.
fn with_status(text: &str, status: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(String::from).collect();
    for i in 0..lines.len() {
        let l = lines[i].clone();
        if let Some(p) = ["status: ", "- Status: ", "Status: "].iter().find(|p| l.starts_with(**p)) {
            lines[i] = format!("{p}{status}");
            return lines.join("\n") + "\n";
        }
        if l == "## Status" && i + 2 < lines.len() {
            lines[i + 2] = status.to_string();
            return lines.join("\n") + "\n";
        }
    }
    format!("---\nstatus: {status}\n---\n{text}")
}
