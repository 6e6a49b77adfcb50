//! The header's search as you type, in headless Chromium: results drop down under the box with
//! status and kind, the keyboard moves through them, "All results" leads to the search page
//! with the same ranking, and snippets show the passage where the query's words occur even
//! deep in a long document (search/p/, fetched only for the results shown).

#[path = "common/browser.rs"]
mod browser;
mod common;
#[path = "common/server.rs"]
mod server;

use common::*;
use serde_json::{Value, json};
use server::Serve;

/// Types `q` into the header box and returns the dropdown's option titles once shown.
fn type_in_header(b: &mut browser::Browser, q: &str) -> Vec<String> {
    let q_js = serde_json::to_string(q).unwrap();
    b.eval(&format!(
        "(function(){{ var i = document.getElementById('site-search-q'); i.focus(); i.value = {q_js}; i.dispatchEvent(new Event('input')); }})()"
    ));
    b.wait_for(&format!(
        "!document.getElementById('site-search-drop').hidden && document.querySelector('.search-all').href.endsWith('?q=' + encodeURIComponent({q_js}))"
    ));
    titles(b, "#site-search-list [role=option] .result-title")
}

fn titles(b: &mut browser::Browser, selector: &str) -> Vec<String> {
    let v = b.eval(&format!("Array.from(document.querySelectorAll('{selector}')).map(a => a.textContent)"));
    v.as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()).collect()
}

fn key(b: &mut browser::Browser, k: &str) {
    b.eval(&format!(
        "document.getElementById('site-search-q').dispatchEvent(new KeyboardEvent('keydown', {{key: '{k}', bubbles: true, cancelable: true}}))"
    ));
}

fn serve() -> (tempfile::TempDir, Serve) {
    let src = tempfile::tempdir().unwrap();
    copy_tree(&fixture("header-search"), src.path());
    let s = Serve::start(&src.path().join("docs"), &[]);
    (src, s)
}

#[test]
fn header_search_as_you_type_with_the_keyboard() {
    let Some(bin) = browser::chromium() else { return };
    let (_src, s) = serve();
    let mut b = browser::Browser::start(&bin, 1280, 900);
    b.goto(&format!("{}adr/0002-cache-pages/", s.base_url));
    // A page that is only read loads no search code.
    assert_eq!(
        b.eval("performance.getEntriesByType('resource').filter(e => /search|passages/.test(e.name)).length"),
        json!(0)
    );
    let got = type_in_header(&mut b, "storage");
    assert!(got.len() >= 3, "{got:?}");
    // Status badge and kind on every option.
    let meta = b.eval(
        "Array.from(document.querySelectorAll('#site-search-list [role=option]')).map(o => [o.querySelector('.badge').className, o.querySelector('.kind').textContent])",
    );
    assert!(meta.as_array().unwrap().iter().all(|m| m[0].as_str().unwrap().starts_with("badge status-")), "{meta}");
    assert!(meta.as_array().unwrap().iter().any(|m| m[1] == json!("Decision")), "{meta}");
    assert!(meta.as_array().unwrap().iter().any(|m| m[1] == json!("Design doc")), "{meta}");
    assert_eq!(b.eval("document.getElementById('site-search-q').getAttribute('aria-expanded')"), json!("true"));

    // ↓ ↓ ↑ moves the selection; Esc closes; ↓ opens again; Enter opens the selected result.
    key(&mut b, "ArrowDown");
    key(&mut b, "ArrowDown");
    let second = "document.querySelectorAll('#site-search-list [role=option]')[1]";
    assert_eq!(b.eval(&format!("{second}.getAttribute('aria-selected')")), json!("true"));
    assert_eq!(
        b.eval("document.getElementById('site-search-q').getAttribute('aria-activedescendant')"),
        b.eval(&format!("{second}.id"))
    );
    key(&mut b, "ArrowUp");
    assert_eq!(
        b.eval("document.querySelector('#site-search-list [aria-selected=true]').id"),
        json!("site-search-opt-0")
    );
    key(&mut b, "Escape");
    assert_eq!(b.eval("document.getElementById('site-search-drop').hidden"), json!(true));
    assert_eq!(b.eval("document.getElementById('site-search-q').getAttribute('aria-expanded')"), json!("false"));
    key(&mut b, "ArrowDown");
    assert_eq!(b.eval("document.getElementById('site-search-drop').hidden"), json!(false));
    key(&mut b, "ArrowDown");
    key(&mut b, "ArrowDown");
    let href = b.eval(&format!("{second}.getAttribute('href')")).as_str().unwrap().to_string();
    key(&mut b, "Enter");
    let path = href.trim_start_matches("../").to_string();
    b.wait_for(&format!(
        "location.pathname.endsWith({}) && document.readyState === 'complete'",
        serde_json::to_string(&path).unwrap()
    ));

    // The same ranking as the search page, which "All results" opens.
    let header = type_in_header(&mut b, "storage");
    b.eval("document.querySelector('.search-all').click()");
    b.wait_for("location.pathname === '/search/' && document.getElementById('search-status').textContent !== ''");
    assert_eq!(b.eval("document.getElementById('search-input').value"), json!("storage"));
    let page = titles(&mut b, "#search-results li.result .result-title");
    assert_eq!(page[..header.len()], header[..], "the dropdown shows the search page's first results");
}

#[test]
fn snippet_shows_the_passage_deep_in_a_long_document() {
    let Some(bin) = browser::chromium() else { return };
    let (_src, s) = serve();
    let mut b = browser::Browser::start(&bin, 1280, 900);
    b.goto(&s.base_url);
    // "quillback" occurs once, past the 15,000th character of the design doc.
    let got = type_in_header(&mut b, "quillback compaction");
    assert_eq!(got.first().map(String::as_str), Some("Storage engine notes"), "{got:?}");
    let first = "document.querySelector('#site-search-list [role=option] .snippet')";
    b.wait_for(&format!("{first}.textContent !== ''"));
    let snippet = b.eval(&format!("{first}.textContent")).as_str().unwrap().to_string();
    let marks = b.eval(&format!("Array.from({first}.querySelectorAll('mark')).map(m => m.textContent)"));
    assert!(snippet.starts_with('…'), "a passage from the middle: {snippet}");
    assert!(snippet.contains("write amplification"), "{snippet}");
    assert_eq!(marks, json!(["quillback", "compaction"]), "{snippet}");
    // Only the shown results' texts were fetched, not one per document of the site.
    let fetched = b.eval(
        "performance.getEntriesByType('resource').filter(e => e.name.includes('/search/p/')).map(e => e.name.split('/search/p/')[1])",
    );
    let shown = b.eval("document.querySelectorAll('#site-search-list [role=option]').length");
    assert_eq!(fetched.as_array().unwrap().len() as u64, shown.as_u64().unwrap(), "{fetched}");

    // The search page cuts its snippets the same way.
    b.goto(&format!("{}search/?q=quillback", s.base_url));
    b.wait_for("document.querySelector('#search-results .snippet mark') !== null");
    let page = b.eval("document.querySelector('#search-results .snippet').textContent");
    assert!(page.as_str().unwrap().contains("quillback compaction keeps write"), "{page}");
    let v: Value = b.eval("document.querySelector('#search-results .snippet mark').textContent");
    assert_eq!(v, json!("quillback"));
}

#[test]
fn header_box_ranks_with_the_stemming_engine_and_marks_no_excluded_word() {
    let Some(bin) = browser::chromium() else { return };
    let (_src, s) = serve();
    let mut b = browser::Browser::start(&bin, 1280, 900);
    b.goto(&format!("{}adr/0002-cache-pages/", s.base_url));
    // Another form of a word (stem), a typo, and -word leaving documents out.
    assert_eq!(type_in_header(&mut b, "uploading"), ["ADR-0003 Retire the FTP upload"]);
    assert_eq!(type_in_header(&mut b, "quotaz"), ["ADR-0004 Storage quotas per team"]);
    let mut got = type_in_header(&mut b, "compaction -postgres");
    got.sort();
    assert_eq!(got, ["ADR-0003 Retire the FTP upload", "Storage engine notes"]);
    // An excluded word is not marked, even where it starts a word of a result ("stor").
    let got = type_in_header(&mut b, "compaction -stor");
    assert!(got.iter().any(|t| t.contains("Storage")), "{got:?}");
    b.wait_for("Array.from(document.querySelectorAll('#site-search-list .snippet')).every(p => p.textContent !== '')");
    let marks =
        b.eval("Array.from(document.querySelectorAll('#site-search-list mark')).map(m => m.textContent.toLowerCase())");
    let marks = marks.as_array().unwrap();
    assert!(!marks.is_empty() && marks.iter().all(|m| m == "compaction"), "{marks:?}");
    // One engine: the dropdown's is the one search.js made, not a copy with its own ranking.
    assert_eq!(
        b.eval("typeof window.dossierSearchEngine === 'function' && typeof window.dossierEngine.marks"),
        json!("function")
    );
}
