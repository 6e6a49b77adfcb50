//! `dossier serve` under bad clients and a disappearing folder (issue 20 items 8 to 10, issue 18
//! item 6): each test is named after the bug it pins, and runs the real server.

mod common;
#[path = "common/server.rs"]
mod server;

use common::*;
use server::*;
use std::io::Write;
use std::net::TcpStream;
use std::time::Duration;

fn fixture_copy(name: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture(name), tmp.path());
    tmp
}

/// Discards what `rx` has already received, until nothing has come for 300 ms.
fn drain<T>(rx: &std::sync::mpsc::Receiver<T>) {
    while rx.recv_timeout(Duration::from_millis(300)).is_ok() {}
}

/// A connection to `addr` with a tiny receive buffer, so that a client that never reads fills
/// it after a few kilobytes.
fn tiny_buffer_connection(addr: &str) -> TcpStream {
    use rustix::net::{AddressFamily, SocketType, connect, socket, sockopt};
    let addr: std::net::SocketAddr = addr.parse().unwrap();
    let fd = socket(AddressFamily::INET, SocketType::STREAM, None).unwrap();
    sockopt::set_socket_recv_buffer_size(&fd, 2048).unwrap();
    connect(&fd, &addr).unwrap();
    TcpStream::from(fd)
}

#[test]
fn a_live_reload_client_that_stops_reading_does_not_stall_rebuilds() {
    let src = fixture_copy("serve-hardening");
    let s = Serve::start(src.path(), &[]);
    let mut stalled = tiny_buffer_connection(&s.addr);
    write!(stalled, "GET /__dossier/events HTTP/1.1\r\nHost: {}\r\n\r\n", s.addr).unwrap();
    let good = s.events("/");
    wait_event(&good, "event: hello");
    // A new site title changes all 60 pages: each reload event lists them, about 7 KB.
    for i in 0..20 {
        drain(&good);
        std::fs::write(src.path().join("dossier.toml"), format!("title = \"Serve hardening {i}\"\n")).unwrap();
        s.wait_log("rebuilt");
        wait_event(&good, "event: reload");
    }
    let (code, body) = s.get("/");
    assert_eq!(code, 200);
    assert!(body.contains("Serve hardening 19"), "{body}");
    // It never read a byte; it is still connected (or dropped: either way, nothing waits).
    drop(stalled);
}

#[test]
fn idle_connections_cannot_starve_a_request() {
    let src = fixture_copy("serve-hardening");
    // A low limit on open files, as on many desktops (1,024) but lower: tiny_http's own accept
    // loop stopped for good at the first "too many open files".
    let s = Serve::start_with(src.path(), &[], |cmd| {
        use std::os::unix::process::CommandExt;
        // SAFETY: setrlimit is async-signal-safe and touches no memory of the parent.
        unsafe {
            cmd.pre_exec(|| {
                use rustix::process::{Resource, Rlimit, setrlimit};
                setrlimit(Resource::Nofile, Rlimit { current: Some(256), maximum: Some(256) })
                    .map_err(std::io::Error::from)
            });
        }
    });
    let mut idle = Vec::new();
    for i in 0..400 {
        let mut c = TcpStream::connect(&s.addr).unwrap();
        if i % 4 == 0 {
            // Some send half a request head and stop.
            let _ = c.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n");
        }
        idle.push(c);
    }
    std::thread::sleep(Duration::from_millis(500));
    let (code, body) = s.get("/");
    assert_eq!(code, 200, "{body}");
    assert!(body.contains("Serve hardening"), "{body}");
    let (code, _) = s.get("/log/");
    assert_eq!(code, 200);
    drop(idle);
}

#[test]
fn get_double_slash_tags_does_not_redirect_to_a_protocol_relative_url() {
    let src = fixture_copy("serve-hardening");
    let s = Serve::start(src.path(), &[]);
    for (path, to) in [("//tags", "/tags/"), ("//tags//storage", "/tags/storage/"), ("/%2Ftags", "/tags/")] {
        let (code, head, _) = s.raw("GET", path);
        assert_eq!(code, 301, "{path}: {head}");
        let location = head.lines().find_map(|l| l.strip_prefix("Location: ")).unwrap_or_default();
        assert_eq!(location, to, "{path}: {head}");
    }
    assert_eq!(s.raw("GET", "/tags/").0, 200);
}

/// Waits (20 s at most) until `f` holds: file events and rebuilds are asynchronous.
fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while !f() {
        assert!(std::time::Instant::now() < deadline, "timed out waiting for: {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

const FIRST: &str =
    "adr/0001-a-decision-with-a-deliberately-long-name-so-that-each-reload-event-that-lists-it-is-large-number-1";

#[test]
fn the_preview_survives_its_folder_going_away() {
    let parent = tempfile::tempdir().unwrap();
    let src = parent.path().join("docs");
    copy_tree(&fixture("serve-hardening"), &src);
    let s = Serve::start(&src, &[]);
    let page = format!("/{FIRST}/");
    assert_eq!(s.get(&page).0, 200);

    // Removed: said in the log and in the overlay, over the last good site.
    std::fs::remove_dir_all(&src).unwrap();
    let line = s.wait_log("was removed");
    assert!(line.contains(&src.display().to_string()), "{line}");
    let (code, body) = s.get(&page);
    assert_eq!(code, 200, "the last good site stays up");
    assert!(body.contains("dossier-overlay") && body.contains("was removed; waiting for it to come back"), "{body}");

    // Back, with a changed document: watched again (native events) and rebuilt.
    copy_tree(&fixture("serve-hardening"), &src);
    let doc = src.join(format!("{FIRST}.md"));
    let text = std::fs::read_to_string(&doc).unwrap();
    std::fs::write(&doc, text.replace("Context of decision 1.", "Written after the folder came back.")).unwrap();
    s.wait_log("is back: watching it again");
    // (The edited page may be written before the rebuild that clears the overlay ends.)
    eventually("the new content, without the overlay", || {
        let body = s.get(&page).1;
        body.contains("Written after the folder came back.") && !body.contains("dossier-overlay")
    });
    // And the new folder's files are watched.
    std::fs::write(&doc, text.replace("Context of decision 1.", "An edit in the new folder.")).unwrap();
    eventually("an edit in the new folder", || s.get(&page).1.contains("An edit in the new folder."));

    // Replaced in one step (as a `git checkout` can): a new folder renamed over the old path.
    let other = parent.path().join("other");
    copy_tree(&fixture("serve-hardening"), &other);
    std::fs::write(other.join(format!("{FIRST}.md")), text.replace("Context of decision 1.", "From the other branch."))
        .unwrap();
    std::fs::rename(&src, parent.path().join("old")).unwrap();
    std::fs::rename(&other, &src).unwrap();
    eventually("the replaced folder's content", || s.get(&page).1.contains("From the other branch."));
}

#[test]
fn serve_on_a_missing_folder_names_its_path() {
    let parent = tempfile::tempdir().unwrap();
    let missing = parent.path().join("no-such-dir");
    let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("dossier"))
        .arg("serve")
        .arg(&missing)
        .args(["--port", "0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("the source folder {} does not exist", missing.display())), "{stderr}");
}

#[test]
fn a_first_build_that_failed_shows_the_error_list_not_a_404() {
    let src = fixture_copy("serve-hardening");
    let doc = src.path().join(format!("{FIRST}.md"));
    let text = std::fs::read_to_string(&doc).unwrap();
    std::fs::write(&doc, format!("{text}\nSee [the plan](0099-no-such-plan.md).\n")).unwrap();
    let s = Serve::start(src.path(), &[]);
    for page in ["/", "/log/", &format!("/{FIRST}/"), "/no/such/page.html"] {
        let (code, head, body) = s.raw("GET", page);
        let body = String::from_utf8_lossy(&body);
        assert_eq!(code, 200, "{page}: {head}");
        assert!(head.contains("Content-Type: text/html"), "{head}");
        assert!(body.contains("the first build failed with 1 error"), "{page}: {body}");
        assert!(body.contains(&format!("{FIRST}.md:")) && body.contains("broken-link"), "{body}");
        assert!(body.contains("0099-no-such-plan.md") && body.contains("__dossier/live.js"), "{body}");
    }
    // Not for a stylesheet or an image: those are not pages.
    assert_eq!(s.raw("GET", "/assets/style.css").0, 404);
    // Fixed: the site itself.
    std::fs::write(&doc, &text).unwrap();
    eventually("the site", || {
        let (code, body) = s.get("/");
        code == 200 && !body.contains("the first build failed") && body.contains("Serve hardening")
    });
}
