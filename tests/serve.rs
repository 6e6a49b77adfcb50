//! `dossier serve` end to end: a real server on a free port against a temp copy of a fixture.

mod common;
#[path = "common/server.rs"]
mod server;

use common::*;
use server::*;
use std::time::{Duration, Instant};

fn fixture_copy(name: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture(name), tmp.path());
    tmp
}

/// Retries `f` until it holds (10 s at most): file events and rebuilds are asynchronous.
/// Discards the events already sent, until none has come for 300 ms.
fn drain(events: &std::sync::mpsc::Receiver<String>) {
    while events.recv_timeout(Duration::from_millis(300)).is_ok() {}
}

fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for: {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn serves_pages_with_types_codes_and_no_caching() {
    let src = fixture_copy("xref");
    let s = Serve::start(src.path(), &[]);
    let (code, head, body) = s.raw("GET", "/");
    assert_eq!(code, 200);
    assert!(
        head.contains("Content-Type: text/html; charset=utf-8") && head.contains("Cache-Control: no-store"),
        "{head}"
    );
    let body = String::from_utf8(body).unwrap();
    assert!(body.contains("<script src=\"/__dossier/live.js\"></script></body>"), "live reload is injected");
    let (code, head, _) = s.raw("GET", "/assets/style.css");
    assert_eq!(code, 200);
    assert!(head.contains("text/css"));
    let (code, head, _) = s.raw("GET", "/dossier.json");
    assert_eq!(code, 200);
    assert!(head.contains("application/json"));
    let (code, head, _) = s.raw("GET", "/__dossier/live.js");
    assert_eq!(code, 200);
    assert!(head.contains("text/javascript"));
    let (code, head, _) = s.raw("GET", "/adr");
    assert_eq!(code, 301);
    assert!(head.contains("Location: /adr/"), "{head}");
    let (code, _, body) = s.raw("GET", "/adr/0001-first/");
    assert_eq!(code, 200);
    assert!(String::from_utf8_lossy(&body).contains("First decision"));
    let (code, _, body) = s.raw("GET", "/no/such/page/");
    assert_eq!(code, 404);
    assert!(String::from_utf8_lossy(&body).contains("Page not found"), "the site's 404.html");
    let (code, head, body) = s.raw("HEAD", "/");
    assert_eq!(code, 200);
    assert!(head.contains("Content-Length"), "{head}");
    assert!(body.is_empty());
    let (code, _, _) = s.raw("POST", "/");
    assert_eq!(code, 405);
    // A folder with a non-ASCII name redirects to an escaped location (the server survives).
    std::fs::create_dir_all(s.preview.join("café")).unwrap();
    std::fs::write(s.preview.join("café/index.html"), "<html><body>x</body></html>").unwrap();
    let (code, head, _) = s.raw("GET", "/caf%C3%A9");
    assert_eq!(code, 301);
    assert!(head.contains("Location: /caf%C3%A9/"), "{head}");
    let (code, _, _) = s.raw("GET", "/%0d%0aSet-Cookie:x");
    assert!(code == 404 || code == 400, "{code}");
    assert_eq!(s.raw("GET", "/").0, 200, "still serving");
    // The build output of `dossier build` is never written by serve.
    assert!(!src.path().join("site").exists());
    let preview = s.preview.clone();
    assert!(s.stop().success(), "Ctrl-C stops cleanly");
    assert!(!preview.exists(), "the private preview folder is removed");
}

#[test]
fn traversal_attempts_never_leak_files() {
    let src = fixture_copy("xref");
    let s = Serve::start(src.path(), &[]);
    std::fs::write(src.path().join("secret.txt"), "TOP-SECRET").unwrap();
    std::os::unix::fs::symlink("/etc/passwd", s.preview.join("passwd-link")).unwrap();
    std::os::unix::fs::symlink(src.path().join("secret.txt"), s.preview.join("secret-link")).unwrap();
    for path in [
        "/../secret.txt",
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/assets/..%2f..%2f..%2fetc%2fpasswd",
        "/..\\..\\etc\\passwd",
        "/%5c..%5c..%5cetc%5cpasswd",
        "/index.html%00.css",
        "//etc/passwd",
        "/passwd-link",
        "/secret-link",
        "/%zz",
        "/C:/Windows/win.ini",
    ] {
        let (code, _, body) = s.raw("GET", path);
        assert!(code == 400 || code == 404, "{path} answered {code}");
        let body = String::from_utf8_lossy(&body);
        assert!(!body.contains("root:") && !body.contains("TOP-SECRET"), "{path} leaked a file");
    }
}

#[test]
fn edits_reload_and_errors_show_an_overlay() {
    let src = fixture_copy("xref");
    let s = Serve::start(src.path(), &[]);
    let events = s.events("/");
    wait_event(&events, "event: hello");
    let other_tab = s.events("/");
    wait_event(&other_tab, "event: hello");

    // An edit: a reload event naming the page, and the new content.
    let page = src.path().join("adr/0003-third.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("Keep going.", "Keep going, now with a fresh sentence.")).unwrap();
    let ev = wait_event(&events, "\"paths\"");
    assert!(ev.contains("/adr/0003-third/"), "{ev}");
    wait_event(&other_tab, "/adr/0003-third/");
    assert!(s.get("/adr/0003-third/").1.contains("fresh sentence"));
    // The rest of that rebuild (index pages, search) ends with a reload event of its own: let it
    // pass, so that the event awaited below is the broken build's, not this one's.
    s.wait_log("rebuilt");
    drain(&events);

    // A broken link: the last good page with the overlay, and the terminal says so.
    let good = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, format!("{good}\nSee [nowhere](0099-nowhere.md).\n")).unwrap();
    wait_event(&events, "\"all\":true");
    let (_, body) = s.get("/adr/0003-third/");
    assert!(body.contains("dossier-overlay"), "overlay shown");
    assert!(body.contains("adr/0003-third.md:"), "with path:line:col");
    assert!(body.contains("broken-link"));
    assert!(body.contains("fresh sentence") && !body.contains(">nowhere</a>"), "the last good page is kept");
    assert!(s.get("/").1.contains("dossier-overlay"), "on every page");
    s.wait_log("error[broken-link]");

    // Fixing it clears the overlay.
    std::fs::write(&page, &good).unwrap();
    wait_event(&events, "\"all\":true");
    eventually("overlay cleared", || !s.get("/adr/0003-third/").1.contains("dossier-overlay"));
}

#[test]
fn document_pages_reload_before_the_index_pages() {
    let src = fixture_copy("xref");
    let s = Serve::start(src.path(), &[]);
    let events = s.events("/");
    wait_event(&events, "event: hello");
    // A new title shows on the page itself and on the decision log.
    let page = src.path().join("adr/0003-third.md");
    let text = std::fs::read_to_string(&page).unwrap();
    let (first_line, rest) = text.split_once('\n').unwrap();
    assert!(first_line.starts_with("# "), "{first_line}");
    std::fs::write(&page, format!("# Third, renamed\n{rest}")).unwrap();
    let first = wait_event(&events, "\"paths\"");
    assert!(first.contains("/adr/0003-third/"), "the page reloads first: {first}");
    assert!(!first.contains("\"/log/\""), "index pages come in a later event: {first}");
    assert!(s.get("/adr/0003-third/").1.contains("Third, renamed"), "written before its event");
    let later = wait_event(&events, "\"/log/\"");
    assert!(!later.contains("/adr/0003-third/"), "each page is named once: {later}");
    assert!(s.get("/log/").1.contains("Third, renamed"));
}

/// Once the server is idle, its preview equals a fresh `dossier build` of `src`, byte for byte.
fn assert_preview_equals_a_full_build(s: &Serve, src: &std::path::Path) {
    std::thread::sleep(Duration::from_millis(300));
    let out = tempfile::tempdir().unwrap();
    let full = out.path().join("site");
    let o = dossier().arg("build").arg(src).arg("-o").arg(&full).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    eventually("preview equals a full build", || tree(&s.preview) == tree(&full));
}

/// The next `--timings` work line of the server's log (`dossier: work: 1 parsed, …`).
fn next_work(s: &Serve) -> String {
    loop {
        let line = s.log.recv_timeout(Duration::from_secs(10)).expect("a rebuild with its work line");
        if line.starts_with("dossier: work:") {
            return line;
        }
    }
}

/// The count before `what` in a work line (`3 pages rendered` → 3).
fn count(line: &str, what: &str) -> usize {
    let before = line.split(what).next().unwrap_or_default();
    before.rsplit(|c: char| !c.is_ascii_digit()).find(|w| !w.is_empty()).and_then(|n| n.parse().ok()).unwrap()
}

/// The next rebuild's summary line (`dossier: rebuilt …; 0 errors, 1 warning`) and its
/// `--timings` work line.
fn next_rebuild(s: &Serve) -> (String, String) {
    let mut rebuilt = String::new();
    loop {
        let line = s.log.recv_timeout(Duration::from_secs(10)).expect("a rebuild with its work line");
        if line.starts_with("dossier: rebuilt") {
            rebuilt = line;
        } else if line.starts_with("dossier: work:") {
            return (rebuilt, line);
        }
    }
}

/// Regression (issue 24): a body edit stat'ed and cloned every document of the site, linted
/// them all and rebuilt the link tables; now the last load is patched with the one new parse.
#[test]
fn a_body_edit_stats_parses_and_lints_only_the_edited_file_and_relinks_nothing() {
    let src = fixture_copy("body-edit");
    let s = Serve::start(src.path(), &["--timings"]);
    let events = s.events("/");
    wait_event(&events, "event: hello");
    let adr = src.path().join("adr/0002-watcher.md");
    let text = std::fs::read_to_string(&adr).unwrap();
    let edited = text.replace("waits for the next walk.", "waits for the next walk, or a restart.");
    assert_ne!(edited, text);
    std::fs::write(&adr, edited).unwrap();
    let event = wait_event(&events, "\"paths\"");
    assert!(event.contains("/adr/0002-watcher/"), "{event}");
    let page = s.get("/adr/0002-watcher/").1;
    assert!(page.contains("or a restart"), "written before its event");
    // What linking gave it stays: the backlink from the decision that links to it.
    let backlinks = page.split("id=\"backlinks-title\"").nth(1).unwrap_or_default();
    assert!(backlinks.contains("ADR-0001"), "{backlinks}");
    let (rebuilt, work) = next_rebuild(&s);
    assert_eq!(count(&work, " stat'ed"), 1, "{work}");
    assert_eq!(count(&work, " parsed"), 1, "{work}");
    assert_eq!(count(&work, " linted"), 1, "{work}");
    assert_eq!(count(&work, " re-linked"), 0, "{work}");
    // Its page and the printable decision log, which shows its body.
    assert_eq!(count(&work, " pages rendered"), 2, "{work}");
    assert!(work.ends_with("folder not walked"), "{work}");
    assert!(rebuilt.ends_with("0 errors, 0 warnings"), "{rebuilt}");

    // A body edit that gives the document a warning of its own (an accepted design with an
    // open question still TBD), then one that takes it away: the warning comes and goes, each
    // time from one parse and no link.
    let design = src.path().join("design/preview.md");
    let d = std::fs::read_to_string(&design).unwrap();
    std::fs::write(&design, d.replace("None left.", "Cache size: TBD.")).unwrap();
    let (rebuilt, work) = next_rebuild(&s);
    assert_eq!((count(&work, " parsed"), count(&work, " linted"), count(&work, " re-linked")), (1, 1, 0), "{work}");
    assert!(rebuilt.ends_with("0 errors, 1 warning"), "{rebuilt}");
    std::fs::write(&design, &d).unwrap();
    let (rebuilt, work) = next_rebuild(&s);
    assert_eq!((count(&work, " parsed"), count(&work, " linted"), count(&work, " re-linked")), (1, 1, 0), "{work}");
    assert!(rebuilt.ends_with("0 errors, 0 warnings"), "{rebuilt}");
    assert_preview_equals_a_full_build(&s, src.path());
}

#[test]
fn a_body_edit_renders_only_the_pages_that_show_it_and_a_new_link_its_target_too() {
    let src = fixture_copy("xref");
    let s = Serve::start(src.path(), &["--timings"]);
    let events = s.events("/");
    wait_event(&events, "event: hello");
    let first = src.path().join("adr/0001-first.md");
    let text = std::fs::read_to_string(&first).unwrap();

    // A body edit: the page reloads first and keeps what linking gave it (superseded by the
    // second decision, its backlinks); only the pages that show its body are rendered again
    // (its page and the printable decision log), from one parse; nothing is re-linked and the
    // folder is not walked again.
    std::fs::write(&first, text.replace("What we chose.", "What we chose, and why.")).unwrap();
    let event = wait_event(&events, "\"paths\"");
    assert!(event.contains("/adr/0001-first/"), "{event}");
    let page = s.get("/adr/0001-first/").1;
    assert!(page.contains("and why"), "written before its event");
    let backlinks = page.split("id=\"backlinks-title\"").nth(1).unwrap_or_default();
    assert!(backlinks.contains("ADR-0002"), "the backlinks linking gave it stay");
    let work = next_work(&s);
    assert_eq!(count(&work, " parsed"), 1, "{work}");
    assert_eq!(count(&work, " pages rendered"), 2, "{work}");
    assert_eq!(count(&work, " re-linked"), 0, "{work}");
    assert!(work.ends_with("folder not walked"), "the watcher named the file: {work}");

    // A new link changes another page too (the target's backlinks).
    std::fs::write(&first, text.replace("What we chose.", "What we chose; see [the fourth](0004-fourth.md).")).unwrap();
    let work = next_work(&s);
    assert_eq!(count(&work, " parsed"), 1, "{work}");
    assert!(count(&work, " pages rendered") >= 3, "{work}");
    assert!(count(&work, " re-linked") > 0, "{work}");
    eventually("the target lists its new backlink", || s.get("/adr/0004-fourth/").1.contains("0001-first"));

    // Either way the preview equals a fresh full build.
    assert_preview_equals_a_full_build(&s, src.path());
}

#[test]
fn deletes_renames_and_incremental_equals_full_build() {
    let src = fixture_copy("xref");
    let s = Serve::start(src.path(), &[]);
    let events = s.events("/");
    wait_event(&events, "event: hello");

    // Delete a page (and the links to it, so the build stays clean).
    std::fs::remove_file(src.path().join("adr/0004-fourth.md")).unwrap();
    wait_event(&events, "event: reload");
    eventually("deleted page gone", || s.get("/adr/0004-fourth/").0 == 404);

    // Rename (an editor's or git's move): old URL gone, new one served.
    std::fs::rename(src.path().join("design/search.md"), src.path().join("design/finding.md")).unwrap();
    let linking = src.path().join("adr/0002-second.md");
    let t = std::fs::read_to_string(&linking)
        .unwrap()
        .replace("search.md", "finding.md")
        .replace("[[search|", "[[finding|");
    std::fs::write(&linking, t).unwrap();
    let p = src.path().join("design/finding.md");
    std::fs::write(&p, std::fs::read_to_string(&p).unwrap()).unwrap();
    eventually("renamed page served", || s.get("/design/finding/").0 == 200 && s.get("/design/search/").0 == 404);

    // An editor's atomic save: write a temporary file, rename it over the original.
    let target = src.path().join("adr/0001-first.md");
    let tmp = src.path().join("adr/.0001-first.md.swp");
    std::fs::write(
        &tmp,
        std::fs::read_to_string(&target).unwrap().replace("The first one.", "The first one, saved atomically."),
    )
    .unwrap();
    std::fs::rename(&tmp, &target).unwrap();
    eventually("atomic save seen", || s.get("/adr/0001-first/").1.contains("saved atomically"));

    // A new title shows on the pages that mention or link to it, though those pages' own
    // sources did not change (the page memo keys on what a page shows, not on its file).
    let third = src.path().join("adr/0003-third.md");
    std::fs::write(&third, std::fs::read_to_string(&third).unwrap().replace("# Third", "# Renamed third")).unwrap();
    eventually("mentioning page re-rendered", || s.get("/adr/0002-second/").1.contains("Renamed third"));

    // Whatever happened, the preview equals a fresh full build of the same sources.
    assert_preview_equals_a_full_build(&s, src.path());
}

#[test]
fn serves_under_a_base_path() {
    let src = fixture_copy("xref");
    let s = Serve::start(src.path(), &["--base-url", "https://example.org/kb/"]);
    assert!(s.base_url.ends_with("/kb/"), "{}", s.base_url);
    let (code, head, _) = s.raw("GET", "/");
    assert_eq!(code, 301);
    assert!(head.contains("Location: /kb/"));
    let (code, _, body) = s.raw("GET", "/kb/adr/0001-first/");
    assert_eq!(code, 200);
    assert!(String::from_utf8_lossy(&body).contains("/kb/__dossier/live.js"));
    assert_eq!(s.raw("GET", "/adr/0001-first/").0, 404);
}

#[test]
fn first_build_with_errors_still_serves_the_error_list() {
    let src = fixture_copy("xref-errors");
    let s = Serve::start(src.path(), &[]);
    let (code, body) = s.get("/");
    assert_eq!(code, 200, "no good site yet: the error list itself, not a 404 under an overlay");
    assert!(body.contains("the first build failed") && body.contains("supersede-cycle"), "{body}");
}

#[test]
fn a_busy_port_moves_to_the_next() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let src = fixture_copy("xref");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("dossier"))
        .arg("serve")
        .arg(src.path())
        .args(["--port", &port.to_string()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let mut seen = Vec::new();
    for line in std::io::BufRead::lines(std::io::BufReader::new(stderr)).map_while(Result::ok) {
        let done = line.contains("preview files in");
        seen.push(line);
        if done {
            break;
        }
    }
    // Ctrl-C, so that it removes its preview folder (a kill would leave it behind).
    let _ = std::process::Command::new("kill").args(["-INT", &child.id().to_string()]).status();
    let deadline = Instant::now() + Duration::from_secs(3);
    while matches!(child.try_wait(), Ok(None)) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
    assert!(seen.iter().any(|l| l.contains(&format!("port {port} is busy, trying the next one"))), "{seen:?}");
    drop(listener);
}

/// The pages a `relink` edit renders besides documents' pages, at most: the home page, the
/// decision log and its printable view, the timeline, the two graphs, the search page, the 404
/// page and the tag pages.
const INDEX_PAGES: usize = 9;

#[test]
fn title_status_and_link_edits_relink_only_the_documents_they_touch() {
    // 24 documents; the hub is mentioned by one decision and linked (and related) by another.
    let src = fixture_copy("relink");
    let s = Serve::start(src.path(), &["--timings"]);
    let events = s.events("/");
    wait_event(&events, "event: hello");
    let hub = src.path().join("adr/0001-hub.md");
    let text = std::fs::read_to_string(&hub).unwrap();

    // A new title: the hub and the two documents that show it (a mention, a link) re-link.
    std::fs::write(&hub, text.replace("# Hub decision", "# Hub, renamed")).unwrap();
    let work = next_work(&s);
    assert_eq!(count(&work, " parsed"), 1, "{work}");
    assert_eq!(count(&work, " re-linked"), 3, "{work}");
    assert!(count(&work, " pages rendered") <= 4 + INDEX_PAGES, "{work}");
    eventually("the mention shows the new title", || s.get("/adr/0002-mentions/").1.contains("Hub, renamed"));

    // A new status: only the hub re-links (no other document's resolution reads a status).
    let renamed = std::fs::read_to_string(&hub).unwrap();
    std::fs::write(&hub, renamed.replace("status: accepted", "status: deprecated")).unwrap();
    let work = next_work(&s);
    assert_eq!(count(&work, " re-linked"), 1, "{work}");
    assert!(count(&work, " pages rendered") <= 4 + INDEX_PAGES, "{work}");

    // A new link from an unrelated decision: it re-links alone; the hub gains a backlink.
    let other = src.path().join("adr/0009-other-09.md");
    let o = std::fs::read_to_string(&other).unwrap();
    std::fs::write(&other, o.replace("Unrelated to the rest.", "Now see [the hub](0001-hub.md).")).unwrap();
    let work = next_work(&s);
    assert_eq!(count(&work, " re-linked"), 1, "{work}");
    assert!(count(&work, " pages rendered") <= 4 + INDEX_PAGES, "{work}");
    eventually("the hub lists its new backlink", || {
        let page = s.get("/adr/0001-hub/").1;
        page.split("id=\"backlinks-title\"").nth(1).is_some_and(|b| b.contains("ADR-0009"))
    });

    // A new document that mentions the hub: it alone is resolved; no one linked to it before.
    std::fs::write(src.path().join("adr/0016-new.md"), "# New one\n\n## Context\n\nAfter ADR-0001.\n").unwrap();
    let work = next_work(&s);
    assert_eq!(count(&work, " re-linked"), 1, "{work}");

    // Deleting a document nothing refers to re-links nothing.
    std::fs::remove_file(src.path().join("adr/0015-other-15.md")).unwrap();
    let work = next_work(&s);
    assert_eq!(count(&work, " re-linked"), 0, "{work}");

    assert_preview_equals_a_full_build(&s, src.path());
}
