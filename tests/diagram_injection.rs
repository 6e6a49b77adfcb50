//! Script injection through diagrams (issue 20, item 1): every diagram type with script
//! payloads in every label position renders to SVG holding only allow-listed elements and
//! attributes, runs nothing in Chromium, and still shows its labels; links from metadata with a
//! `javascript:` or `data:` scheme are shown as text with a warning naming file:line.
#![allow(clippy::print_stderr)]

#[path = "common/browser.rs"]
mod browser;
mod common;

use common::*;
use serde_json::{Value, json};

/// Every diagram type in the fixture, as its section heading.
const TYPES: &[&str] = &[
    "er",
    "flowchart",
    "sequence",
    "class",
    "state",
    "gantt",
    "pie",
    "journey",
    "mindmap",
    "gitgraph",
    "timeline",
    "quadrant",
    "requirement",
    "c4",
    "sankey",
    "xychart",
    "block",
    "packet",
    "kanban",
    "architecture",
    "radar",
    "treemap",
];

/// The elements a diagram may hold (lower-cased: the HTML parser's view), written out here
/// rather than taken from the sanitizer, so that a widened allow-list fails this test.
const ALLOWED: &[&str] = &[
    "svg",
    "g",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "textpath",
    "defs",
    "marker",
    "style",
    "title",
    "desc",
    "foreignobject",
    "lineargradient",
    "radialgradient",
    "stop",
    "clippath",
    "mask",
    "pattern",
    "symbol",
    "use",
    "switch",
    "filter",
    "fedropshadow",
    "fegaussianblur",
    "feoffset",
    "feblend",
    "feflood",
    "fecomposite",
    "femerge",
    "femergenode",
    "fecolormatrix",
    "a",
    "div",
    "span",
    "p",
    "br",
    "b",
    "strong",
    "i",
    "em",
    "u",
    "s",
    "del",
    "code",
    "sub",
    "sup",
    "small",
];

fn page() -> Built {
    let b = build(&fixture("diagram-injection"), &[]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    b
}

/// The (element, attribute) pairs of every diagram's SVG that fall outside the allow-list:
/// unknown elements, event handlers, links to anything but `#id`, http(s) or mailto.
fn outside_the_allow_list(html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("figure.diagram *").unwrap();
    let mut bad = Vec::new();
    for el in doc.select(&sel) {
        let name = el.value().name().to_ascii_lowercase();
        if !ALLOWED.contains(&name.as_str()) {
            bad.push(format!("<{name}>"));
        }
        for (k, v) in el.value().attrs() {
            let k = k.to_ascii_lowercase();
            let v = v.trim().to_ascii_lowercase();
            let link = k == "href" || k.ends_with(":href") || k == "src";
            if k.starts_with("on")
                || (link && !(v.starts_with('#') || v.starts_with("http") || v.starts_with("mailto:")))
            {
                bad.push(format!("<{name} {k}={v}>"));
            }
        }
    }
    bad
}

#[test]
fn script_injection_through_diagrams_is_escaped_in_every_diagram_type() {
    let b = page();
    let html = b.read("design/injection/index.html");
    // Every type rendered (a type that fell back to a code block would hide nothing).
    for t in TYPES {
        let sec = html.split(&format!("<h2 id=\"{t}\"")).nth(1).unwrap_or_else(|| panic!("no section {t}"));
        let sec = sec.split("<h2 ").next().unwrap_or(sec);
        assert!(sec.contains("<figure class=\"diagram\"><svg"), "{t}: not rendered as SVG");
    }
    let bad = outside_the_allow_list(&html);
    assert!(bad.is_empty(), "outside the allow-list: {bad:?}");
    let figures: Vec<&str> =
        html.split("<figure class=\"diagram\">").skip(1).map(|f| f.split("</figure>").next().unwrap_or(f)).collect();
    assert_eq!(figures.len(), TYPES.len());
    for f in &figures {
        assert!(!f.contains("<script") && !f.contains("<img") && !f.contains("onerror=\""), "raw payload in {f}");
    }
    // The ER label the renderer wrote as HTML is shown as its text.
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"), "the payload is not shown as text");
}

#[test]
fn unsafe_urls_from_metadata_are_shown_as_text_with_a_warning() {
    let b = page();
    let html = b.read("design/injection/index.html");
    assert!(!html.to_ascii_lowercase().contains("href=\"javascript:"), "javascript: link on the page");
    assert!(!html.contains("href=\"data:"), "data: link on the page");
    assert!(html.contains("thread (javascript:alert(5))"), "the metadata link is not shown as text");
    assert!(html.contains("href=\"https://example.org/\""), "a safe link lost");
    let o = dossier().arg("check").arg(fixture("diagram-injection")).args(["--format", "json"]).output().unwrap();
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    let mut at: Vec<(String, u64)> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] == "unsafe-url")
        .map(|d| {
            assert_eq!(d["severity"], "warning", "{d}");
            (d["path"].as_str().unwrap().to_string(), d["line"].as_u64().unwrap())
        })
        .collect();
    at.sort();
    let path = "design/injection.md".to_string();
    assert_eq!(at, vec![(path.clone(), 4), (path.clone(), 8), (path, 8)], "{report}");
}

#[test]
fn script_injection_through_diagrams_runs_nothing_in_chromium() {
    let Some(bin) = browser::chromium() else { return };
    let b = page();
    let mut br = browser::Browser::start(&bin, 1280, 900);
    // Any alert, inline handler or script that runs counts.
    br.page(
        "Page.addScriptToEvaluateOnNewDocument",
        json!({"source": "window.__ran = 0; window.alert = function () { window.__ran += 1; };"}),
    );
    let url = format!("file://{}", b.out.join("design/injection/index.html").display());
    br.goto(&url);
    // Image errors fire after load: give them a moment.
    br.eval("new Promise(r => setTimeout(r, 500))");
    assert_eq!(br.eval("window.__ran"), json!(0), "a payload ran");
    let allowed = serde_json::to_string(ALLOWED).unwrap();
    let bad = br.eval(&format!(
        "(() => {{ const ok = new Set({allowed}); const bad = [];
            for (const el of document.querySelectorAll('figure.diagram *')) {{
              const n = el.localName.toLowerCase();
              if (!ok.has(n)) bad.push(n);
              for (const a of el.attributes) if (a.name.toLowerCase().startsWith('on')) bad.push(n + ' ' + a.name);
            }}
            return bad; }})()"
    ));
    assert_eq!(bad, json!([]), "elements or attributes outside the allow-list");
    // Labels still show: the ER relationship's text is laid out with a size.
    let shown = br.eval(
        "(() => { const t = [...document.querySelectorAll('figure.diagram')].filter(f => (f.textContent || '').includes('onerror=alert(1)'));
                  return t.length > 0 && t.every(f => f.getBoundingClientRect().width > 0); })()",
    );
    assert_eq!(shown, json!(true), "payload labels are not shown as text");
    let shot = manifest_dir().join("target/diagram-injection.png");
    br.screenshot(&shot);
    eprintln!("screenshot: {}", shot.display());
}
