//! Layout and accessibility in headless Chromium over the built example-docs: no horizontal
//! overflow at phone, tablet and desktop widths, and no serious or critical axe-core violation,
//! in light and dark mode.
#![allow(clippy::print_stderr)]

#[path = "common/browser.rs"]
mod browser;
mod common;
#[path = "common/server.rs"]
mod server;

use common::*;
use serde_json::json;

const PAGES: &[&str] = &[
    "",
    "design/build-pipeline/",
    "adr/0006-render-mermaid-at-build-time/",
    "graph/",
    "graph/all/",
    "design/preview-server/",
    "search/?q=search",
    "log/",
    "timeline/",
    "log/print/",
    "designs/print/",
];

/// `dossier serve` on a copy of example-docs (the copy lives as long as the returned folder).
fn serve_example_docs() -> (tempfile::TempDir, server::Serve) {
    let src = tempfile::tempdir().unwrap();
    copy_tree(&manifest_dir().join("example-docs"), src.path());
    let s = server::Serve::start(src.path(), &[]);
    (src, s)
}

#[test]
fn no_horizontal_overflow_at_any_width() {
    let Some(bin) = browser::chromium() else { return };
    let (_src, s) = serve_example_docs();
    let mut b = browser::Browser::start(&bin, 1440, 900);
    for width in [390, 768, 1024, 1440] {
        for dark in [false, true] {
            browser::set_width(&mut b, width, dark);
            for page in PAGES {
                b.goto(&format!("{}{page}", s.base_url));
                let fits = b.eval("document.documentElement.scrollWidth <= window.innerWidth");
                let sizes = b.eval("[document.documentElement.scrollWidth, window.innerWidth]");
                assert_eq!(fits, json!(true), "{page} overflows at {width}px (dark: {dark}): {sizes}");
                // Wide tables and code blocks scroll in their own box: no column is cut off.
                let cut = b.eval(CUT);
                assert_eq!(cut, json!([]), "{page} at {width}px cuts these off");
            }
        }
    }
}

/// Tables and code blocks that reach past the viewport without a scrolling box around them.
const CUT: &str = "Array.from(document.querySelectorAll('main table, main pre, main svg.graph')).filter(e => e.getClientRects().length && e.getBoundingClientRect().right > window.innerWidth + 1).filter(e => { for (var p = e; p && p !== document.body; p = p.parentElement) { var o = getComputedStyle(p).overflowX; if ((o === 'auto' || o === 'scroll') && p.getBoundingClientRect().right <= window.innerWidth + 1) return false; } return true; }).map(e => e.tagName + '.' + e.className)";

/// Whether the header's visible parts sit in one row, and its height.
const ONE_ROW: &str = "(function(){ var kids = Array.from(document.querySelector('.header-row').children).filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden'); var mids = kids.map(e => { var r = e.getBoundingClientRect(); return (r.top + r.bottom) / 2; }); return [Math.max.apply(null, mids) - Math.min.apply(null, mids) < 8, Math.round(document.querySelector('.site-header').getBoundingClientRect().height), kids.map(e => e.className)]; })()";

#[test]
fn phone_and_tablet_header_is_one_row_and_the_graph_a_list() {
    let Some(bin) = browser::chromium() else { return };
    let (_src, s) = serve_example_docs();
    let mut b = browser::Browser::start(&bin, 390, 900);
    for width in [390, 768] {
        browser::set_width(&mut b, width, false);
        b.goto(&format!("{}adr/0006-render-mermaid-at-build-time/", s.base_url));
        let row = b.eval(ONE_ROW);
        assert_eq!(row[0], json!(true), "one row at {width}px: {row}");
        assert!(row[1].as_u64().unwrap() <= 64, "header height at {width}px: {row}");
        let kids = row[2].to_string();
        assert!(kids.contains("menu-toggle") && kids.contains("brand"), "{kids}");
        assert!(!kids.contains("site-nav"), "the links move into the menu: {kids}");
        // The header's links are in the menu.
        b.eval("document.getElementById('menu-toggle').click()");
        let links = b.eval("Array.from(document.querySelectorAll('#sidebar .sidebar-site-nav a')).filter(a => a.getClientRects().length).map(a => a.textContent)");
        assert!(links.as_array().unwrap().iter().any(|l| l == "Graph"), "{links}");
        b.eval("document.getElementById('menu-toggle').click()");
    }
    // At 390 px the search box hides behind a button that opens it over the row.
    browser::set_width(&mut b, 390, false);
    b.goto(&format!("{}adr/0006-render-mermaid-at-build-time/", s.base_url));
    assert_eq!(b.eval("document.getElementById('site-search-q').getClientRects().length"), json!(0));
    b.eval("document.getElementById('search-toggle').click()");
    assert_eq!(b.eval("document.activeElement.id"), json!("site-search-q"));
    let r = b.eval("(function(){ var r = document.getElementById('site-search-q').getBoundingClientRect(); return [r.width > 250, r.right <= window.innerWidth]; })()");
    assert_eq!(r, json!([true, true]));
    b.eval("document.getElementById('site-search-q').dispatchEvent(new KeyboardEvent('keydown', {key: 'Escape', bubbles: true, cancelable: true}))");
    assert_eq!(b.eval("document.getElementById('site-search-q').getClientRects().length"), json!(0));
    assert_eq!(b.eval("document.activeElement.id"), json!("search-toggle"));
    // The graph is a list below 768 px, the diagram above.
    b.goto(&format!("{}graph/all/", s.base_url));
    let shown = "[document.querySelector('.graph-list').getClientRects().length > 0, document.getElementById('graph').getClientRects().length > 0]";
    assert_eq!(b.eval(shown), json!([true, false]));
    let rows = b.eval("document.querySelectorAll('.graph-list > li').length");
    let nodes = b.eval("document.querySelectorAll('#graph .node').length");
    assert_eq!(rows, nodes, "a row per node");
    assert!(b.eval("document.querySelector('.graph-list ul li').textContent").as_str().unwrap().contains(' '));
    browser::set_width(&mut b, 1024, false);
    b.goto(&format!("{}graph/all/", s.base_url));
    assert_eq!(b.eval(shown), json!([false, true]));
}

/// Screenshots for a person to look at: `DOSSIER_SCREENSHOTS=DIR cargo test --test
/// browser_layout screenshots` writes home, a decision and search at 390 and 1440 px.
#[test]
fn screenshots() {
    let Some(dir) = std::env::var_os("DOSSIER_SCREENSHOTS") else { return };
    let Some(bin) = browser::chromium() else { return };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    let (_src, s) = serve_example_docs();
    let mut b = browser::Browser::start(&bin, 1440, 900);
    for width in [390, 1440] {
        for dark in [false, true] {
            browser::set_width(&mut b, width, dark);
            for (name, page) in
                [("home", ""), ("decision", "adr/0006-render-mermaid-at-build-time/"), ("search", "search/?q=search")]
            {
                b.goto(&format!("{}{page}", s.base_url));
                if name == "search" {
                    b.wait_for("Array.from(document.querySelectorAll('#search-results .snippet')).every(p => p.textContent !== '') && document.querySelectorAll('#search-results li').length > 0");
                }
                let scheme = if dark { "dark" } else { "light" };
                b.screenshot(&dir.join(format!("{name}-{width}-{scheme}.png")));
            }
        }
        // The header's dropdown, opened from the search button on a phone.
        browser::set_width(&mut b, width, false);
        b.goto(&format!("{}adr/0006-render-mermaid-at-build-time/", s.base_url));
        b.eval("(function(){ var t = document.getElementById('search-toggle'); if (t.getClientRects().length) t.click(); var i = document.getElementById('site-search-q'); i.focus(); i.value = 'sharded index'; i.dispatchEvent(new Event('input')); })()");
        b.wait_for("document.getElementById('site-search-drop') && !document.getElementById('site-search-drop').hidden && Array.from(document.querySelectorAll('#site-search-list .snippet')).every(p => p.textContent !== '')");
        b.screenshot(&dir.join(format!("dropdown-{width}.png")));
    }
}

#[test]
fn axe_finds_no_serious_or_critical_violation() {
    let Some(bin) = browser::chromium() else { return };
    let axe_path = manifest_dir().join("tests/browser/node_modules/axe-core/axe.min.js");
    let Ok(axe) = std::fs::read_to_string(&axe_path) else {
        if std::env::var("DOSSIER_REQUIRE_CHROMIUM").is_ok_and(|v| v == "1") {
            panic!("axe-core is missing: npm install --no-save --prefix tests/browser axe-core@4");
        }
        eprintln!("skipped: axe-core not installed (npm install --no-save --prefix tests/browser axe-core@4)");
        return;
    };
    let (_src, s) = serve_example_docs();
    let mut b = browser::Browser::start(&bin, 1280, 900);
    for dark in [false, true] {
        browser::set_width(&mut b, 1280, dark);
        for page in [
            "",
            "design/build-pipeline/",
            "design/preview-server/",
            "adr/0006-render-mermaid-at-build-time/",
            "graph/",
            "graph/all/",
            "search/?q=search",
        ] {
            b.goto(&format!("{}{page}", s.base_url));
            if page.starts_with("search/") {
                // Check the results as shown, not half-rendered ones.
                b.wait_for("document.getElementById('search-status').textContent !== '' && Array.from(document.querySelectorAll('#search-results .snippet')).every(p => p.textContent !== '')");
            }
            b.eval(&axe);
            let found = b.eval(
                "axe.run(document, {resultTypes: ['violations']}).then(r => r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')))",
            );
            assert_eq!(found, json!([]), "axe on {page} (dark: {dark})");
        }
    }
}

#[test]
fn graph_filters_dim_kinds_and_diagrams_follow_dark_mode() {
    let Some(bin) = browser::chromium() else { return };
    let (_src, s) = serve_example_docs();
    let mut b = browser::Browser::start(&bin, 1280, 900);
    browser::set_width(&mut b, 1280, false);
    b.goto(&format!("{}graph/all/", s.base_url));
    assert_eq!(b.eval("document.querySelector('.graph-filter-row').hidden"), json!(false), "filters shown with JS");
    b.eval("document.querySelector('.graph-filters input[data-kind=design]').click()");
    let counts = b.eval(
        "['.node.kind-design.dimmed', '.node.kind-design', '.node.kind-adr.dimmed'].map(q => document.querySelectorAll('#graph ' + q).length)",
    );
    let n = counts[1].as_u64().unwrap();
    assert!(n > 0 && counts[0] == counts[1] && counts[2] == json!(0), "unticking design docs dims them only: {counts}");
    b.eval("document.querySelector('.graph-filters input[data-status=superseded]').click()");
    let superseded = b.eval("[document.querySelectorAll('#graph .node.kind-adr.status-superseded.dimmed').length, document.querySelectorAll('#graph .node.kind-adr.status-superseded').length]");
    assert!(superseded[0] == superseded[1] && superseded[1].as_u64().unwrap() > 0, "{superseded}");

    // Mermaid diagrams are inline SVG, drawn dark in dark mode and as rendered in light mode.
    let filter = "getComputedStyle(document.querySelector('figure.diagram svg')).filter";
    b.goto(&format!("{}design/preview-server/", s.base_url));
    assert_eq!(b.eval("document.querySelectorAll('figure.diagram svg').length"), json!(2));
    assert_eq!(b.eval(filter), json!("none"));
    browser::set_width(&mut b, 1280, true);
    b.goto(&format!("{}design/preview-server/", s.base_url));
    let dark = b.eval(filter);
    assert!(dark.as_str().unwrap().contains("invert"), "{dark}");
    // The toggle's choice wins over the system's.
    b.eval("document.documentElement.setAttribute('data-theme', 'light')");
    assert_eq!(b.eval(filter), json!("none"));
}

#[test]
fn code_colours_follow_light_and_dark_mode() {
    let Some(bin) = browser::chromium() else { return };
    let (_src, s) = serve_example_docs();
    let mut b = browser::Browser::start(&bin, 1280, 900);
    // A keyword of the Rust block: a light and a dark colour class.
    let token = "document.querySelector('.highlight code.language-rust span[class*=\"d\"]')";
    let colours =
        format!("[getComputedStyle({token}).color, getComputedStyle({token}.closest('pre')).color, {token}.className]");
    browser::set_width(&mut b, 1280, false);
    b.goto(&format!("{}design/build-pipeline/", s.base_url));
    let light = b.eval(&colours);
    assert_ne!(light[0], light[1], "light mode colours the token: {light}");
    browser::set_width(&mut b, 1280, true);
    b.goto(&format!("{}design/build-pipeline/", s.base_url));
    let dark = b.eval(&colours);
    assert_ne!(dark[0], dark[1], "dark mode colours the token: {dark}");
    assert_ne!(dark[0], light[0], "with the dark theme's colour: {light} {dark}");
    // The toggle's choice gives the same colours as the system's.
    browser::set_width(&mut b, 1280, false);
    b.goto(&format!("{}design/build-pipeline/", s.base_url));
    b.eval("document.documentElement.setAttribute('data-theme', 'dark')");
    assert_eq!(b.eval(&colours), dark, "data-theme=dark");
}

/// axe-core's serious and critical violations on the page as it is now (`scope`: a selector).
fn axe_violations(b: &mut browser::Browser, axe: &str, scope: &str) -> serde_json::Value {
    if b.eval("typeof axe") != json!("object") {
        b.eval(axe);
    }
    b.eval(&format!(
        "axe.run({}, {{resultTypes: ['violations']}}).then(r => r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => v.id + ': ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')))",
        serde_json::to_string(scope).unwrap()
    ))
}

#[test]
fn axe_finds_no_serious_violation_in_the_new_parts() {
    let Some(bin) = browser::chromium() else { return };
    let Ok(axe) = std::fs::read_to_string(manifest_dir().join("tests/browser/node_modules/axe-core/axe.min.js")) else {
        if std::env::var("DOSSIER_REQUIRE_CHROMIUM").is_ok_and(|v| v == "1") {
            panic!("axe-core is missing: npm install --no-save --prefix tests/browser axe-core@4");
        }
        eprintln!("skipped: axe-core not installed (npm install --no-save --prefix tests/browser axe-core@4)");
        return;
    };
    let (_src, s) = serve_example_docs();
    let mut b = browser::Browser::start(&bin, 1280, 900);
    let decision = format!("{}adr/0006-render-mermaid-at-build-time/", s.base_url);
    for dark in [false, true] {
        // The header's dropdown, open with a result selected.
        browser::set_width(&mut b, 1280, dark);
        b.goto(&decision);
        b.eval("(function(){ var i = document.getElementById('site-search-q'); i.focus(); i.value = 'search'; i.dispatchEvent(new Event('input')); })()");
        b.wait_for("document.getElementById('site-search-drop') && !document.getElementById('site-search-drop').hidden && Array.from(document.querySelectorAll('#site-search-list .snippet')).every(p => p.textContent !== '')");
        b.eval("document.getElementById('site-search-q').dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowDown', bubbles: true}))");
        assert_eq!(axe_violations(&mut b, &axe, "header"), json!([]), "dropdown (dark: {dark})");
        // The printable views.
        for page in ["log/print/", "designs/print/"] {
            b.goto(&format!("{}{page}", s.base_url));
            assert_eq!(axe_violations(&mut b, &axe, "html"), json!([]), "{page} (dark: {dark})");
        }
        // A phone: the menu with the header's links, the search box opened over the row, the
        // graph as a list.
        browser::set_width(&mut b, 390, dark);
        b.goto(&decision);
        b.eval("document.getElementById('menu-toggle').click()");
        b.wait_for("document.querySelector('#sidebar .sidebar-tree') !== null");
        assert_eq!(axe_violations(&mut b, &axe, "html"), json!([]), "menu at 390 px (dark: {dark})");
        b.eval("document.getElementById('menu-toggle').click()");
        b.eval("document.getElementById('search-toggle').click()");
        assert_eq!(axe_violations(&mut b, &axe, "header"), json!([]), "search box at 390 px (dark: {dark})");
        b.goto(&format!("{}graph/all/", s.base_url));
        assert_eq!(axe_violations(&mut b, &axe, "main"), json!([]), "graph list at 390 px (dark: {dark})");
    }
}
