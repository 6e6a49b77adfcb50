//! Finding your way in headless Chromium, on the `nav/full` fixture: breadcrumbs and
//! previous/next with JavaScript on and off, the copy button of code blocks and the copy-link
//! of headings, axe on the new parts in light and dark, and screenshots at 390 and 1440 px
//! (kept in `$DOSSIER_SCREENSHOTS` when set, to look at).
#![allow(clippy::print_stderr)]

#[path = "common/browser.rs"]
mod browser;
mod common;
#[path = "common/server.rs"]
mod server;

use common::*;
use serde_json::json;

fn serve_nav() -> (tempfile::TempDir, server::Serve) {
    let src = tempfile::tempdir().unwrap();
    copy_tree(&fixture("nav/full"), src.path());
    let s = server::Serve::start(src.path(), &[]);
    (src, s)
}

/// Clicks the first element matching `selector` and waits for a page whose path ends with `path`.
fn click_to(b: &mut browser::Browser, selector: &str, path: &str) {
    b.eval(&format!("document.querySelector({}).click()", serde_json::to_string(selector).unwrap()));
    b.wait_for(&format!("location.pathname.endsWith({}) && document.readyState === 'complete'", json!(path)));
}

#[test]
fn previous_next_and_breadcrumbs_walk_the_collection_with_and_without_javascript() {
    let Some(bin) = browser::chromium() else { return };
    let (_src, s) = serve_nav();
    let mut b = browser::Browser::start(&bin, 1280, 900);
    for js in [true, false] {
        b.page("Emulation.setScriptExecutionDisabled", json!({"value": !js}));
        b.goto(&format!("{}adr/0001-record-decisions/", s.base_url));
        click_to(&mut b, ".pager-next", "/adr/0002-use-postgres/");
        click_to(&mut b, ".pager-next", "/adr/0010-adopt-queues/");
        assert_eq!(b.eval("document.querySelector('.pager-next')"), json!(null), "ADR-0010 is the last (js: {js})");
        click_to(&mut b, ".pager-prev", "/adr/0002-use-postgres/");
        let crumbs = b.eval("Array.from(document.querySelectorAll('.crumbs li')).map(l => l.textContent)");
        assert_eq!(crumbs, json!(["Home", "Decisions", "ADR-0002"]), "js: {js}");
        click_to(&mut b, ".crumbs a[href$='log/']", "/log/");
    }
}

#[test]
fn code_blocks_copy_their_code_and_heading_anchors_copy_their_link() {
    let Some(bin) = browser::chromium() else { return };
    let (_src, s) = serve_nav();
    let mut b = browser::Browser::start(&bin, 1280, 900);
    b.goto(&format!("{}design/zebra-cache/", s.base_url));
    // The clipboard of a headless browser is not ours to read: record what is written to it.
    b.eval("navigator.clipboard.writeText = function (t) { window.__copied = t; return Promise.resolve(); }");
    assert_eq!(b.eval("document.querySelectorAll('.code-block > pre + button.copy-code').length"), json!(1));
    b.eval("document.querySelector('.copy-code').click()");
    b.wait_for("window.__copied === 'echo cached'");
    assert_eq!(b.eval("document.querySelector('.copy-code').textContent"), json!("Copied"));
    b.wait_for("document.getElementById('copy-status') && document.getElementById('copy-status').textContent === 'Code copied'");
    b.eval("document.querySelector('h2#goals a.anchor').click()");
    b.wait_for("typeof window.__copied === 'string' && window.__copied.endsWith('/design/zebra-cache/#goals')");
    assert_eq!(b.eval("location.hash"), json!("#goals"));
    assert_eq!(b.eval("window.__copied.startsWith(location.origin)"), json!(true));
}

#[test]
fn axe_finds_nothing_serious_in_the_new_parts_and_screenshots_at_390_and_1440() {
    let Some(bin) = browser::chromium() else { return };
    let axe = std::fs::read_to_string(manifest_dir().join("tests/browser/node_modules/axe-core/axe.min.js")).ok();
    if axe.is_none() {
        if std::env::var("DOSSIER_REQUIRE_CHROMIUM").is_ok_and(|v| v == "1") {
            panic!("axe-core is missing: npm install --no-save --prefix tests/browser axe-core@4");
        }
        eprintln!("skipped axe: axe-core not installed (npm install --no-save --prefix tests/browser axe-core@4)");
    }
    let shots = std::env::var("DOSSIER_SCREENSHOTS").ok().map(std::path::PathBuf::from);
    let (_src, s) = serve_nav();
    let mut b = browser::Browser::start(&bin, 1440, 900);
    for width in [390, 1440] {
        for dark in [false, true] {
            browser::set_width(&mut b, width, dark);
            for (name, page) in
                [("home", ""), ("decision", "adr/0002-use-postgres/"), ("design", "design/zebra-cache/")]
            {
                b.goto(&format!("{}{page}", s.base_url));
                let fits = b.eval("document.documentElement.scrollWidth <= window.innerWidth");
                assert_eq!(fits, json!(true), "{page} overflows at {width}px (dark: {dark})");
                b.wait_for("document.querySelector('#sidebar.has-tree')");
                if width < 600 {
                    b.eval("document.getElementById('menu-toggle').click()");
                }
                if let Some(axe) = &axe {
                    b.eval(axe);
                    let found = b.eval(
                        "axe.run({include: [['.crumbs'], ['.pager'], ['.code-block'], ['.home-intro'], ['link[rel=icon]'], ['#sidebar'], ['#menu-toggle']]}, {resultTypes: ['violations']}).then(r => r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')))",
                    );
                    assert_eq!(found, json!([]), "axe on {page} at {width}px (dark: {dark})");
                }
                if let Some(dir) = &shots {
                    std::fs::create_dir_all(dir).unwrap();
                    let mode = if dark { "dark" } else { "light" };
                    b.screenshot(&dir.join(format!("{name}-{width}-{mode}.png")));
                }
            }
        }
    }
}

/// The sidebar's tree once drawn: the links' texts by section (`Label: id title, …`).
fn tree_texts(b: &mut browser::Browser) -> serde_json::Value {
    b.wait_for("document.querySelector('#sidebar.has-tree')");
    b.eval("Array.from(document.querySelectorAll('.sidebar-tree details:not([hidden])')).map(d => d.querySelector('summary').textContent + ': ' + Array.from(d.querySelectorAll('li a')).map(a => a.textContent).join(', '))")
}

#[test]
fn sidebar_lists_every_document_highlights_the_current_one_and_filters() {
    let Some(bin) = browser::chromium() else { return };
    let (_src, s) = serve_nav();
    let mut b = browser::Browser::start(&bin, 1440, 900);
    browser::set_width(&mut b, 1440, false);
    b.goto(&format!("{}adr/0002-use-postgres/", s.base_url));
    b.eval("localStorage.clear()");
    b.goto(&format!("{}adr/0002-use-postgres/", s.base_url));
    // The current page's section is open, the others closed (drawn when opened).
    assert_eq!(
        tree_texts(&mut b),
        json!([
            "Decisions 3: Accepted: 0001Record architecture decisions, Accepted: 0002Use Postgres, Proposed: 0010Adopt queues",
            "Design docs 3: "
        ])
    );
    let current = b.eval(
        "Array.from(document.querySelectorAll('.sidebar-tree [aria-current=page]')).map(a => a.getAttribute('href'))",
    );
    assert_eq!(current, json!(["../../adr/0002-use-postgres/"]));
    assert_eq!(
        b.eval("getComputedStyle(document.getElementById('sidebar')).display"),
        json!("block"),
        "visible on a wide screen"
    );
    // The current page's section opened by itself is not remembered as opened.
    b.goto(&format!("{}design/zebra-cache/", s.base_url));
    let t = tree_texts(&mut b);
    assert_eq!(t[0], json!("Decisions 3: "), "{t}");
    // Opening a section by hand draws it and is remembered on the next page.
    b.eval("document.querySelectorAll('.sidebar-tree summary')[0].click()");
    b.wait_for("document.querySelectorAll('.sidebar-tree details')[0].querySelectorAll('li').length === 3");
    b.goto(&s.base_url);
    let t = tree_texts(&mut b);
    assert!(t[0].as_str().unwrap().contains("Adopt queues"), "{t}");
    assert_eq!(t[1], json!("Design docs 3: "), "{t}");
    b.eval("document.querySelectorAll('.sidebar-tree summary')[1].click()");
    b.wait_for("document.querySelectorAll('.sidebar-tree details')[1].querySelectorAll('li').length === 3");
    std::thread::sleep(std::time::Duration::from_millis(100));
    b.goto(&format!("{}log/", s.base_url));
    let t = tree_texts(&mut b);
    assert!(t[1].as_str().unwrap().contains("Draft: Zebra cache, Proposed: Alpha search, Draft: Beta notes"), "{t}");
    // The filter: words of the title, a status, a kind.
    for (q, want) in [
        ("postgres", json!(["Decisions 3: Accepted: 0002Use Postgres"])),
        ("proposed", json!(["Decisions 3: Proposed: 0010Adopt queues", "Design docs 3: Proposed: Alpha search"])),
        ("design draft", json!(["Design docs 3: Draft: Zebra cache, Draft: Beta notes"])),
    ] {
        b.eval(&format!("(function(){{ var i = document.getElementById('sidebar-q'); i.value = {}; i.dispatchEvent(new Event('input')); }})()", json!(q)));
        b.wait_for(&format!("document.querySelector('.sidebar-filter [role=status]').textContent !== '' && document.getElementById('sidebar-q').value === {}", json!(q)));
        std::thread::sleep(std::time::Duration::from_millis(150));
        assert_eq!(tree_texts(&mut b), want, "filter {q}");
    }
}

#[test]
fn sidebar_without_javascript_links_each_collection_index_and_on_a_phone_opens_from_the_menu() {
    let Some(bin) = browser::chromium() else { return };
    let (_src, s) = serve_nav();
    let mut b = browser::Browser::start(&bin, 390, 900);
    b.page("Emulation.setScriptExecutionDisabled", json!({"value": true}));
    browser::set_width(&mut b, 390, false);
    b.goto(&format!("{}design/alpha-search/", s.base_url));
    let links = b.eval("Array.from(document.querySelectorAll('#sidebar a')).map(a => [a.textContent, a.getAttribute('href'), a.className])");
    assert_eq!(links, json!([["Decisions", "../../log/", ""], ["Design docs", "../../designs/", "active"]]));
    assert_eq!(b.eval("getComputedStyle(document.getElementById('sidebar')).display"), json!("block"));
    assert_eq!(b.eval("document.getElementById('menu-toggle').hidden"), json!(true), "no menu button without JS");
    click_to(&mut b, "#sidebar a[href$='designs/']", "/designs/");
    // The index lists every design doc.
    assert_eq!(b.eval("document.querySelectorAll('main a[href*=\"design/\"]').length"), json!(3));
    b.page("Emulation.setScriptExecutionDisabled", json!({"value": false}));
    b.goto(&format!("{}design/alpha-search/", s.base_url));
    assert_eq!(
        b.eval("getComputedStyle(document.getElementById('sidebar')).display"),
        json!("none"),
        "closed on a phone"
    );
    b.eval("document.getElementById('menu-toggle').click()");
    b.wait_for("document.querySelector('#sidebar.has-tree.open')");
    assert_eq!(b.eval("document.getElementById('menu-toggle').getAttribute('aria-expanded')"), json!("true"));
    assert_eq!(b.eval("document.activeElement.id"), json!("sidebar-q"));
    assert_eq!(
        b.eval("document.querySelector('.sidebar-tree [aria-current=page]').textContent"),
        json!("Proposed: Alpha search")
    );
    assert_eq!(b.eval("document.documentElement.scrollWidth <= window.innerWidth"), json!(true));
}
