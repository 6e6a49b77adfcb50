//! Search in headless Chromium: the search page served by a local static server (`dossier
//! serve`), queries typed into the box, assertions on the results shown.

#[path = "common/browser.rs"]
mod browser;
mod common;
#[path = "support/corpus.rs"]
mod corpus;
#[path = "common/server.rs"]
mod server;

use common::*;
use serde_json::{Value, json};
use server::Serve;

/// Types `q` into the search box and returns the result titles (with IDs) once shown.
fn query(b: &mut browser::Browser, q: &str) -> Vec<String> {
    let q_js = serde_json::to_string(q).unwrap();
    b.eval(&format!(
        "(function(){{ document.getElementById('search-status').textContent = ''; var i = document.getElementById('search-input'); i.value = {q_js}; i.dispatchEvent(new Event('input')); }})()"
    ));
    b.wait_for(&format!(
        "new URLSearchParams(location.search).get('q') === {q_js} && document.getElementById('search-status').textContent !== ''"
    ));
    let v = b.eval(
        "Array.from(document.querySelectorAll('#search-results li.result .result-title')).map(a => a.textContent)",
    );
    v.as_array().unwrap().iter().map(|x| x.as_str().unwrap().to_string()).collect()
}

#[test]
fn search_page_finds_ranks_filters_and_escapes() {
    let Some(bin) = browser::chromium() else { return };
    let src = tempfile::tempdir().unwrap();
    copy_tree(&fixture("search"), src.path());
    let s = Serve::start(src.path(), &["--base-url", "https://example.org/kb/"]);
    let mut b = browser::Browser::start(&bin, 1100, 800);
    b.eval("window.alert = function () { window.__alerted = true; }");
    b.goto(&format!("{}search/", s.base_url));
    b.wait_for("typeof window.dossierSearch === 'function'");

    // An exact title comes first.
    let r = query(&mut b, "use postgres");
    assert_eq!(r.first().map(String::as_str), Some("ADR-0001 Use Postgres for storage"), "{r:?}");
    // Typing an ID jumps to that document, in any of its spellings.
    for q in ["ADR-12", "adr 12", "ADR-0012"] {
        let r = query(&mut b, q);
        assert_eq!(r.first().map(String::as_str), Some("ADR-0012 Cache rendered pages"), "{q}: {r:?}");
    }
    // A word found only in one body finds that document; prefixes of the last word match too.
    assert_eq!(query(&mut b, "zephyrine"), ["Quarry"]);
    assert_eq!(query(&mut b, "zephyr"), ["Quarry"]);
    // Snippets show the words marked.
    let marks = b.eval("Array.from(document.querySelectorAll('#search-results mark')).map(m => m.textContent)");
    assert!(marks.as_array().unwrap().iter().any(|m| m.as_str().unwrap().eq_ignore_ascii_case("zephyr")), "{marks}");
    // Filters narrow the results.
    let all = query(&mut b, "storage");
    assert!(all.len() >= 3, "{all:?}");
    b.eval("(function(){ var s = document.querySelector('select[data-filter=status]'); s.value = 'proposed'; s.dispatchEvent(new Event('change')); })()");
    b.wait_for("new URLSearchParams(location.search).get('status') === 'proposed'");
    b.wait_for("document.querySelectorAll('#search-results li.result').length === 1");
    let badges = b.eval("Array.from(document.querySelectorAll('#search-results .badge')).map(x => x.className)");
    assert_eq!(badges, json!(["badge status-proposed"]));
    b.eval("(function(){ var s = document.querySelector('select[data-filter=status]'); s.value = ''; s.dispatchEvent(new Event('change')); var t = document.querySelector('select[data-filter=tag]'); t.value = 'search'; t.dispatchEvent(new Event('change')); })()");
    b.wait_for("new URLSearchParams(location.search).get('tag') === 'search'");
    b.wait_for("document.querySelectorAll('#search-results li.result').length === 1");
    b.eval("(function(){ var t = document.querySelector('select[data-filter=tag]'); t.value = ''; t.dispatchEvent(new Event('change')); })()");
    // Nonsense finds nothing, and says so.
    assert!(query(&mut b, "qwxzvk").is_empty());
    assert_eq!(
        b.eval("document.getElementById('search-status').textContent"),
        json!("No results for \u{201c}qwxzvk\u{201d}.")
    );
    // The XSS payload stays text: in the title and in the snippet.
    let r = query(&mut b, "payloadword");
    assert_eq!(r, ["<img src=x onerror=alert(1)>"]);
    b.wait_for("document.querySelector('#search-results .snippet').textContent.includes('onerror')");
    assert_eq!(b.eval("document.querySelectorAll('#search-results img').length"), json!(0));
    assert_eq!(b.eval("window.__alerted === true"), json!(false));
    // Keyboard: arrows select, Enter opens the selected result.
    query(&mut b, "storage");
    b.eval("(function(){ var i = document.getElementById('search-input'); i.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowDown'})); i.dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowDown'})); })()");
    let sel = b.eval("document.querySelector('#search-results li.selected .result-title').getAttribute('href')");
    let href = sel.as_str().unwrap().to_string();
    b.eval("document.getElementById('search-input').dispatchEvent(new KeyboardEvent('keydown', {key: 'Enter'}))");
    b.wait_for(&format!(
        "location.pathname.endsWith({})",
        serde_json::to_string(href.trim_start_matches("../")).unwrap()
    ));
    assert!(b.eval("location.pathname").as_str().unwrap().starts_with("/kb/"), "works under the base path");
}

#[test]
fn header_box_and_slash_shortcut() {
    let Some(bin) = browser::chromium() else { return };
    let src = tempfile::tempdir().unwrap();
    copy_tree(&fixture("search"), src.path());
    let s = Serve::start(src.path(), &[]);
    let mut b = browser::Browser::start(&bin, 1100, 800);
    b.goto(&format!("{}adr/0001-use-postgres/", s.base_url));
    b.eval("document.body.dispatchEvent(new KeyboardEvent('keydown', {key: '/', bubbles: true}))");
    assert_eq!(b.eval("document.activeElement.id"), json!("site-search-q"));
    b.eval(
        "(function(){ var i = document.getElementById('site-search-q'); i.value = 'zephyrine'; i.form.submit(); })()",
    );
    b.wait_for(
        "location.pathname === '/search/' && document.querySelectorAll('#search-results li.result').length === 1",
    );
}

#[test]
fn every_unique_word_finds_its_document_first() {
    let Some(bin) = browser::chromium() else { return };
    let c = corpus::generate(&corpus::Options { count: 1000, seed: 5, broken: 0 });
    let src = tempfile::tempdir().unwrap();
    corpus::write_to(&c, src.path()).unwrap();
    let s = Serve::start(src.path(), &[]);
    let mut b = browser::Browser::start(&bin, 1000, 700);
    b.goto(&format!("{}search/", s.base_url));
    b.wait_for("typeof window.dossierSearch === 'function'");
    let docs = c.expected["documents"].as_array().unwrap();
    let step = docs.len() / 100;
    let sample: Vec<&Value> = docs.iter().step_by(step).take(100).collect();
    let words: Vec<&str> = sample.iter().map(|d| d["unique_word"].as_str().unwrap()).collect();
    let urls = b.eval(&format!(
        "Promise.all({}.map(w => window.dossierSearch(w).then(r => r[0] ? r[0].url : null)))",
        serde_json::to_string(&words).unwrap()
    ));
    let urls = urls.as_array().unwrap();
    let mut found = 0;
    for (d, url) in sample.iter().zip(urls) {
        let source = d["source"].as_str().unwrap();
        let want = format!("{}/", source.trim_end_matches(".md"));
        if url.as_str() == Some(want.as_str()) {
            found += 1;
        }
    }
    assert_eq!(found, 100, "recall of unique words: {found}/100");
}

#[test]
fn stems_bigrams_phrases_exclusions_and_typos() {
    let Some(bin) = browser::chromium() else { return };
    let src = tempfile::tempdir().unwrap();
    copy_tree(&fixture("search"), src.path());
    let s = Serve::start(src.path(), &[]);
    let mut b = browser::Browser::start(&bin, 1100, 800);
    b.goto(&format!("{}search/", s.base_url));
    b.wait_for("typeof window.dossierSearch === 'function'");
    // Another form of a word finds the documents with any form of it ("restart", "restarts").
    let mut r = query(&mut b, "restarting");
    r.sort();
    assert_eq!(r, ["ADR-0001 Use Postgres for storage", "ADR-0003 Retire the old cache"]);
    // A phrase ranks the document with its words in order first; -word leaves documents out.
    let r = query(&mut b, "\"object storage\"");
    assert_eq!(r.first().map(String::as_str), Some("ADR-0002 Store attachments in object storage"), "{r:?}");
    assert_eq!(query(&mut b, "cache -old"), ["ADR-0012 Cache rendered pages"]);
    assert!(!query(&mut b, "storage -postgres").iter().any(|t| t.contains("Postgres")));
    // One typo still finds the word.
    assert_eq!(query(&mut b, "zephyrnie"), ["Quarry"]);

    let src = tempfile::tempdir().unwrap();
    copy_tree(&fixture("search-i18n"), src.path());
    let s = Serve::start(src.path(), &[]);
    b.goto(&format!("{}search/", s.base_url));
    b.wait_for("typeof window.dossierSearch === 'function'");
    // A two-character word inside a longer run of Japanese or Chinese.
    assert_eq!(query(&mut b, "再計算"), ["キャッシュの設計"]);
    assert_eq!(query(&mut b, "阈值"), ["监控与报警"]);
    // A German word typed without its umlaut, in a form the site lacks: the browser loads the
    // German stemmer (and only the site's stemmers exist).
    assert_eq!(query(&mut b, "vertrage"), ["Verträge mit Lieferanten"]);
    assert_eq!(b.eval("typeof window.dossierStem.de"), json!("function"));
    assert_eq!(b.eval("fetch('../assets/stem/de.js').then(r => r.status)"), json!(200));
    assert_eq!(b.eval("fetch('../assets/stem/en.js').then(r => r.status)"), json!(404));
}

#[test]
fn translated_interface_and_string_overrides() {
    let Some(bin) = browser::chromium() else { return };
    let src = tempfile::tempdir().unwrap();
    copy_tree(&fixture("search"), src.path());
    std::fs::write(src.path().join("dossier.toml"), "language = \"de\"\n[strings]\ndecisions = \"Beschlüsse\"\n")
        .unwrap();
    let s = Serve::start(src.path(), &[]);
    let mut b = browser::Browser::start(&bin, 1100, 800);
    b.goto(&format!("{}search/", s.base_url));
    b.wait_for("typeof window.dossierSearch === 'function'");
    assert_eq!(b.eval("document.documentElement.lang"), json!("de"));
    assert_eq!(b.eval("document.querySelector('main h1').textContent"), json!("Suche"));
    assert_eq!(
        b.eval("document.getElementById('search-input').placeholder"),
        json!("Wörter, ein Titel oder eine ID wie ADR-12")
    );
    let nav = b.eval("Array.from(document.querySelectorAll('.site-nav a')).map(a => a.textContent)");
    assert!(nav.as_array().unwrap().contains(&json!("Beschlüsse")), "the override wins: {nav}");
    assert!(nav.as_array().unwrap().contains(&json!("Start")), "{nav}");
    // Search still works on the translated page.
    assert_eq!(query(&mut b, "zephyrine"), ["Quarry"]);
}

/// Status names, dates and page titles follow the page's language (the site's German, one
/// document's Japanese); the status keys in URLs, classes and dossier.json stay English.
#[test]
fn translated_status_names_dates_and_page_titles() {
    let Some(bin) = browser::chromium() else { return };
    let src = tempfile::tempdir().unwrap();
    copy_tree(&fixture("i18n-ui"), src.path());
    let s = Serve::start(src.path(), &[]);
    let mut b = browser::Browser::start(&bin, 1100, 800);
    b.goto(&s.base_url);
    let docs = b.eval(
        "fetch('dossier.json').then(r => r.json()).then(j => Object.fromEntries(j.documents.map(d => [d.source.split('/').pop(), [d.url, d.status]])))",
    );
    let url = |name: &str| docs[name][0].as_str().unwrap().to_string();
    assert_eq!(docs["0001-postgres-verwenden.md"][1], json!("accepted"), "{docs}");
    assert_eq!(docs["0002-cache-ja.md"][1], json!("rejected"), "{docs}");
    let badge = "(function(){ var a = document.querySelector('.doc-status .badge'); return [a.textContent, a.className, a.getAttribute('href').replace(/^(\\.\\.\\/)+/, '')]; })()";
    let time = "(function(){ var t = document.querySelector('.doc-status time'); return [t.textContent, t.getAttribute('datetime')]; })()";

    b.goto(&format!("{}{}", s.base_url, url("0001-postgres-verwenden.md")));
    assert_eq!(b.eval("document.documentElement.lang"), json!("de"));
    assert_eq!(b.eval(badge), json!(["Angenommen", "badge status-accepted", "status/accepted/"]));
    assert_eq!(b.eval(time), json!(["1. März 2024", "2024-03-01"]));
    assert_eq!(b.eval("document.querySelector('.kicker').textContent.trim().split(' ')[0]"), json!("Entscheidung"));
    let crumbs = b.eval("Array.from(document.querySelectorAll('.crumbs a')).map(a => a.textContent)");
    assert_eq!(crumbs, json!(["Start", "Entscheidungen"]));

    b.goto(&format!("{}{}", s.base_url, url("0002-cache-ja.md")));
    assert_eq!(b.eval("document.documentElement.lang"), json!("ja"));
    assert_eq!(b.eval(badge), json!(["却下", "badge status-rejected", "status/rejected/"]));
    assert_eq!(b.eval(time), json!(["2024年3月15日", "2024-03-15"]));
    assert_eq!(b.eval("document.title"), json!("キャッシュを共有しない · Handbuch"));

    // The site's own pages are in the site's language.
    b.goto(&format!("{}log/", s.base_url));
    assert_eq!(b.eval("document.title"), json!("Entscheidungsprotokoll · Handbuch"));
    let rows = b.eval(
        "Array.from(document.querySelectorAll('table.log tbody tr')).map(r => [r.querySelector('.badge').textContent, (r.querySelector('time') || {}).textContent])",
    );
    // An author's own wording stays; a month is in words.
    assert_eq!(
        rows,
        json!([
            ["Angenommen", "1. März 2024"],
            ["Abgelehnt", "15. März 2024"],
            ["In Prüfung", "Februar 2024"],
            ["Vorgeschlagen", "2. April 2024"],
            ["Ersetzt", "20. November 2023"],
            ["Angenommen", "10. Januar 2024"]
        ])
    );
    // What dossier.js writes comes from the page's strings.
    let toggle = b.eval("document.getElementById('theme-toggle').textContent");
    assert!(toggle == json!("\u{263e} Dunkel") || toggle == json!("\u{2600} Hell"), "{toggle}");
    b.goto(&s.base_url);
    let waiting = b.eval("document.querySelector('[data-waiting-since]').textContent");
    assert!(waiting.as_str().is_some_and(|w| w.starts_with("wartet seit ") && w.ends_with(" Tagen")), "{waiting}");
    b.wait_for("!!document.querySelector('label[for=sidebar-q]')");
    let filter = b.eval("document.querySelector('label[for=sidebar-q]').textContent");
    assert_eq!(filter, json!("Dokumente filtern"));
    b.goto(&format!("{}status/accepted/", s.base_url));
    assert_eq!(b.eval("document.title"), json!("Status: Angenommen · Handbuch"));
    assert_eq!(b.eval("document.querySelector('main h1').textContent"), json!("Angenommen"));
    b.goto(&format!("{}timeline/", s.base_url));
    assert_eq!(b.eval("document.title"), json!("Zeitleiste · Handbuch"));
    // The newest month first (ADR-0004's April), then March.
    let months = b.eval("Array.from(document.querySelectorAll('main h2')).map(h => h.firstChild.textContent.trim())");
    assert_eq!(months[1], json!("März 2024"), "{months}");
    b.goto(&format!("{}search/", s.base_url));
    assert_eq!(b.eval("document.title"), json!("Suche · Handbuch"));
    let options = b
        .eval("Array.from(document.querySelectorAll('select[name=status] option')).map(o => [o.value, o.textContent])");
    assert!(options.as_array().unwrap().contains(&json!(["accepted", "Angenommen"])), "{options}");
    b.goto(&format!("{}status/", s.base_url));
    assert_eq!(b.eval("document.title"), json!("Status · Handbuch"));
    b.goto(&format!("{}no-such-page/", s.base_url));
    assert_eq!(b.eval("document.title"), json!("Seite nicht gefunden"));
}

#[test]
fn search_results_speak_the_sites_language() {
    // A French site: status names, kinds, dates and the sentences around the results come from
    // the translation table (meta.json `ui`), `[strings]` overrides included; an author's own
    // status wording stays as written.
    let Some(bin) = browser::chromium() else { return };
    let src = tempfile::tempdir().unwrap();
    copy_tree(&fixture("i18n-search"), src.path());
    let s = Serve::start(src.path(), &[]);
    let mut b = browser::Browser::start(&bin, 1100, 800);
    b.goto(&format!("{}search/", s.base_url));
    b.wait_for("typeof window.dossierSearch === 'function'");
    let r = query(&mut b, "cache");
    assert_eq!(r.len(), 3, "{r:?}");
    let status = b.eval("document.getElementById('search-status').textContent");
    assert_eq!(status, json!("3 résultats."));
    let meta = b.eval(
        "Array.from(document.querySelectorAll('#search-results li.result')).map(li => [li.querySelector('.result-title').textContent, li.querySelector('.badge').textContent, li.querySelector('.kind').textContent, li.querySelector('time').textContent, li.querySelector('time').getAttribute('datetime')])",
    );
    let rows = meta.as_array().unwrap();
    let row =
        |title: &str| rows.iter().find(|m| m[0].as_str().unwrap().ends_with(title)).unwrap_or_else(|| panic!("{meta}"));
    assert_eq!(
        row("Mettre les pages en cache"),
        &json!(["ADR-0001 Mettre les pages en cache", "Accepté", "Décision", "1 mars 2024", "2024-03-01"])
    );
    assert_eq!(
        row("Un cache pour les index"),
        &json!(["ADR-0002 Un cache pour les index", "En revue", "Décision", "février 2024", "2024-02"])
    );
    assert_eq!(
        row("Stockage des documents"),
        &json!(["Stockage des documents", "Proposé", "Note de conception", "20 novembre 2023", "2023-11-20"])
    );
    assert!(query(&mut b, "qwxzvk").is_empty());
    let none = b.eval("document.getElementById('search-status').textContent");
    assert_eq!(none, json!("Aucun résultat pour « qwxzvk »."));

    // The header box on a document page says the same in its dropdown.
    b.goto(&format!("{}adr/0001-cache-des-pages/", s.base_url));
    b.eval("(function(){ var i = document.getElementById('site-search-q'); i.focus(); i.value = 'cache'; i.dispatchEvent(new Event('input')); })()");
    b.wait_for("!document.getElementById('site-search-drop').hidden && document.querySelectorAll('#site-search-list [role=option]').length === 3");
    let all = b.eval("document.querySelector('.search-all').textContent");
    assert_eq!(all, json!("Les 3 résultats pour « cache »"));
    let badges =
        b.eval("Array.from(document.querySelectorAll('#site-search-list .badge')).map(x => x.textContent).sort()");
    assert_eq!(badges, json!(["Accepté", "En revue", "Proposé"]));
    let label = b.eval("document.getElementById('site-search-list').getAttribute('aria-label')");
    assert_eq!(label, json!("Résultats de recherche"));
}
