//! Benchmark: search on a built corpus, in headless Chromium.
//!
//! `cargo run --release --example bench_search -- CORPUS [QUERY…]` serves CORPUS with
//! `target/release/dossier serve`, opens the search page in a fresh browser for each query,
//! types it, waits for results and snippets, and reports the bytes of search script and index
//! parts the browser fetched (file sizes as stored; the preview server does not compress), then
//! the median time of the same query once everything is loaded (20 runs). With `BENCH_HEADER=1`,
//! the same for the header's dropdown on a document page (search-box.js, its engine and the
//! passages of the results shown).
#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "../tests/common/browser.rs"]
mod browser;

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::Duration;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let corpus = args.get(1).expect("usage: bench_search CORPUS [QUERY…]");
    let mut queries: Vec<String> = args[2..].to_vec();
    if queries.is_empty() {
        queries = ["deployment", "latency budget", "ADR-12", "cache"].iter().map(|s| s.to_string()).collect();
    }
    // DOSSIER_BIN: another dossier binary (the bytes fetched do not depend on the build profile).
    let bin = std::env::var_os("DOSSIER_BIN")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/release/dossier"));
    let mut child = Command::new(&bin)
        .args(["serve", "--port", "0", corpus])
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run `cargo build --release` first");
    let mut url = String::new();
    for line in BufReader::new(child.stdout.take().unwrap()).lines().map_while(Result::ok) {
        if let Some(rest) = line.split(" at ").nth(1) {
            url = rest.split(' ').next().unwrap().to_string();
            break;
        }
    }
    let chromium = browser::chromium().expect("chromium is needed");
    println!("{:<18} {:>8} {:>9} {:>10} {:>9}", "query", "results", "requests", "bytes", "median");
    if std::env::var_os("BENCH_HEADER").is_some() {
        header_box(&chromium, &url, &queries);
        let _ = Command::new("kill").args(["-INT", &child.id().to_string()]).status();
        let _ = child.wait();
        return;
    }
    for q in &queries {
        let mut b = browser::Browser::start(&chromium, 1000, 800);
        b.goto(&format!("{url}search/"));
        b.wait_for("typeof window.dossierSearch === 'function'");
        let qj = serde_json::to_string(q).unwrap();
        b.eval(&format!("(function(){{ var i = document.getElementById('search-input'); i.value = {qj}; i.dispatchEvent(new Event('input')); }})()"));
        b.wait_for("document.getElementById('search-status').textContent !== ''");
        // Snippets load after the results; wait until every shown result has one.
        b.wait_for(
            "Array.from(document.querySelectorAll('#search-results .snippet')).every(p => p.textContent !== '')",
        );
        std::thread::sleep(Duration::from_millis(200));
        let r = b.eval(
            "(function(){ var e = performance.getEntriesByType('resource').filter(x => x.name.includes('/search/') || x.name.endsWith('search.js') || x.name.endsWith('passages.js')); \
             return [e.length, e.reduce((s, x) => s + x.encodedBodySize, 0), document.querySelectorAll('#search-results li.result').length]; })()",
        );
        let times = b.eval(&format!(
            "(async function(){{ var t = []; for (var i = 0; i < 20; i++) {{ var s = performance.now(); await window.dossierSearch({qj}); t.push(performance.now() - s); }} t.sort((a, b) => a - b); return t[10]; }})()"
        ));
        println!("{:<18} {:>8} {:>9} {:>10} {:>7.1}ms", q, r[2], r[0], r[1], times.as_f64().unwrap_or(f64::NAN));
    }
    let _ = Command::new("kill").args(["-INT", &child.id().to_string()]).status();
    let _ = child.wait();
}

/// The first query typed into the header box of a document page: the bytes of script and index
/// fetched until the dropdown shows its results with their snippets.
fn header_box(chromium: &str, url: &str, queries: &[String]) {
    for q in queries {
        let mut b = browser::Browser::start(chromium, 1280, 800);
        b.goto(&format!("{url}search/"));
        let doc = b.eval("fetch('d/0.json').then(r => r.json()).then(d => d[0][1])");
        b.goto(&format!("{url}{}", doc.as_str().unwrap_or("")));
        let qj = serde_json::to_string(q).unwrap();
        b.eval(&format!("(function(){{ var i = document.getElementById('site-search-q'); i.focus(); i.value = {qj}; i.dispatchEvent(new Event('input')); }})()"));
        b.wait_for(
            "document.getElementById('site-search-drop') && !document.getElementById('site-search-drop').hidden",
        );
        b.wait_for(
            "Array.from(document.querySelectorAll('#site-search-list .snippet')).every(p => p.textContent !== '')",
        );
        std::thread::sleep(Duration::from_millis(200));
        let r = b.eval(
            "(function(){ var e = performance.getEntriesByType('resource').filter(x => x.name.includes('/search/') || /(search|search-box|passages)\\.js$/.test(x.name)); \
             return [e.length, e.reduce((s, x) => s + x.encodedBodySize, 0), document.querySelectorAll('#site-search-list [role=option]').length]; })()",
        );
        println!("{:<18} {:>8} {:>9} {:>10}   (header box)", q, r[2], r[0], r[1]);
    }
}
