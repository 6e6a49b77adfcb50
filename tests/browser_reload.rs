//! In headless Chromium: a page reloads by itself after a save, keeps its scroll position, and
//! reloads again when it reconnects to a restarted server.

#[path = "common/browser.rs"]
mod browser;
mod common;
#[path = "common/server.rs"]
mod server;

use common::*;
use server::Serve;

#[test]
fn page_reloads_by_itself_after_a_save() {
    let Some(bin) = browser::chromium() else { return };
    let src = tempfile::tempdir().unwrap();
    copy_tree(&manifest_dir().join("example-docs"), src.path());
    let s = Serve::start(src.path(), &[]);
    let mut b = browser::Browser::start(&bin, 1000, 700);
    let page = "adr/0003-parse-markdown-with-pulldown-cmark/";
    b.goto(&format!("{}{page}", s.base_url));
    b.wait_for("document.querySelector('h1') !== null");
    // Give the event stream a moment to connect, then mark this page instance and scroll.
    std::thread::sleep(std::time::Duration::from_millis(500));
    b.eval("window.__sameDocument = true; window.scrollTo(0, 400); window.scrollY");

    let file = src.path().join("adr/0003-parse-markdown-with-pulldown-cmark.md");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{text}\nA sentence added while the page was open.\n")).unwrap();
    b.wait_for(
        "window.__sameDocument === undefined && document.body.innerText.includes('added while the page was open')",
    );
    b.wait_for("Math.abs(window.scrollY - 400) < 5");

    // A page that other edits do not touch does not reload.
    b.eval("window.__sameDocument = true");
    let other = src.path().join("guides/writing-adrs.md");
    let t = std::fs::read_to_string(&other).unwrap();
    std::fs::write(&other, format!("{t}\nUnrelated edit.\n")).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1500));
    assert_eq!(b.eval("window.__sameDocument === true"), serde_json::json!(true), "untouched pages stay");

    // Restart the server on the same port: the page reconnects and reloads.
    let port: u16 = s.addr.rsplit(':').next().unwrap().parse().unwrap();
    assert!(s.stop().success());
    std::fs::write(&file, format!("{text}\nWritten while the server was down.\n")).unwrap();
    let _s2 = Serve::start(src.path(), &["--port", &port.to_string()]);
    b.wait_for("window.__sameDocument === undefined && document.body.innerText.includes('while the server was down')");
}
