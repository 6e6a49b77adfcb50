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
    for width in [390, 1024, 1440] {
        for dark in [false, true] {
            browser::set_width(&mut b, width, dark);
            for page in PAGES {
                b.goto(&format!("{}{page}", s.base_url));
                let fits = b.eval("document.documentElement.scrollWidth <= window.innerWidth");
                let sizes = b.eval("[document.documentElement.scrollWidth, window.innerWidth]");
                assert_eq!(fits, json!(true), "{page} overflows at {width}px (dark: {dark}): {sizes}");
            }
        }
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
