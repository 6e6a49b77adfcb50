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

#[test]
fn the_error_overlay_collapses_to_a_badge_that_survives_reloads() {
    let Some(bin) = browser::chromium() else { return };
    let src = tempfile::tempdir().unwrap();
    copy_tree(&fixture("serve-hardening"), src.path());
    let s = Serve::start(src.path(), &[]);
    let doc = src.path().join(
        "adr/0001-a-decision-with-a-deliberately-long-name-so-that-each-reload-event-that-lists-it-is-large-number-1.md",
    );
    let text = std::fs::read_to_string(&doc).unwrap();
    std::fs::write(&doc, format!("{text}\nSee [the plan](0099-no-such-plan.md).\n")).unwrap();
    s.wait_log("1 error");
    let mut b = browser::Browser::start(&bin, 1000, 700);
    b.goto(&format!("{}log/", s.base_url));
    let panel = "getComputedStyle(document.querySelector('.dossier-panel')).display";
    let badge = "getComputedStyle(document.getElementById('dossier-badge')).display";
    b.wait_for(&format!("document.getElementById('dossier-overlay') !== null && {panel} !== 'none'"));
    assert_eq!(b.eval(badge), serde_json::json!("none"), "the badge waits while the list shows");

    b.eval("document.getElementById('dossier-collapse').click()");
    assert_eq!(b.eval(panel), serde_json::json!("none"), "collapsed");
    assert_eq!(b.eval(badge), serde_json::json!("block"));
    assert_eq!(b.eval("document.getElementById('dossier-badge').textContent"), serde_json::json!("1 error"));
    assert_eq!(b.eval("document.activeElement.id"), serde_json::json!("dossier-badge"), "focus follows");

    // Still collapsed after a reload, and on another page of the tab.
    b.eval("window.__sameDocument = true; location.reload(); true");
    b.wait_for("window.__sameDocument === undefined && document.getElementById('dossier-badge') !== null");
    assert_eq!(b.eval(panel), serde_json::json!("none"), "remembered across reloads");
    b.goto(&s.base_url);
    b.wait_for("document.getElementById('dossier-badge') !== null");
    assert_eq!(b.eval(badge), serde_json::json!("block"));

    axe_on_the_overlay(&mut b, "collapsed");
    if let Some(dir) = std::env::var("DOSSIER_SCREENSHOTS").ok().map(std::path::PathBuf::from) {
        b.screenshot(&dir.join("overlay-collapsed.png"));
    }

    // The badge opens the list again.
    b.eval("document.getElementById('dossier-badge').click()");
    assert_eq!(b.eval(panel), serde_json::json!("block"));
    assert_eq!(b.eval(badge), serde_json::json!("none"));
    axe_on_the_overlay(&mut b, "open");
    if let Some(dir) = std::env::var("DOSSIER_SCREENSHOTS").ok().map(std::path::PathBuf::from) {
        b.screenshot(&dir.join("overlay-open.png"));
    }
}

/// axe-core on the overlay and its badge: no serious or critical violation (skipped, with a
/// message, when axe-core is not installed, unless DOSSIER_REQUIRE_CHROMIUM=1).
#[allow(clippy::print_stderr)]
fn axe_on_the_overlay(b: &mut browser::Browser, state: &str) {
    let Ok(axe) = std::fs::read_to_string(manifest_dir().join("tests/browser/node_modules/axe-core/axe.min.js")) else {
        if std::env::var("DOSSIER_REQUIRE_CHROMIUM").is_ok_and(|v| v == "1") {
            panic!("axe-core is missing: npm install --no-save --prefix tests/browser axe-core@4");
        }
        eprintln!("skipped axe: axe-core not installed (npm install --no-save --prefix tests/browser axe-core@4)");
        return;
    };
    b.eval(&axe);
    let found = b.eval(
        "axe.run({include: [['#dossier-overlay']]}, {resultTypes: ['violations']}).then(r => r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')))",
    );
    assert_eq!(found, serde_json::json!([]), "axe on the {state} overlay");
}
