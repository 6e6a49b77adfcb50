//! The default theme's interface text in the page's language (ADR-0030): relation labels,
//! sentences with a count, the printable view's link and the Atom feed, on the German site of
//! tests/fixtures/i18n-ui (one document in Japanese) and on the same site set to Japanese.

mod common;

use common::*;
use scraper::{Html, Selector};

/// The fixture built with an absolute base URL (for the feed), in the site language `lang`.
fn built(lang: &str) -> Built {
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("src");
    copy_tree(&fixture("i18n-ui"), &copy);
    std::fs::write(copy.join("dossier.toml"), format!("title = \"Handbuch\"\nlanguage = \"{lang}\"\n")).unwrap();
    let b = build_in(tmp, copy, &["--base-url", "https://example.org/handbuch/"]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    b
}

/// The text of each element `css` selects, its white space collapsed.
fn texts(b: &Built, rel: &str, css: &str) -> Vec<String> {
    let html = Html::parse_document(&b.read(rel));
    let sel = Selector::parse(css).unwrap();
    html.select(&sel).map(|e| e.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")).collect()
}

/// The page of the document whose source file is `name`.
fn page_of(b: &Built, name: &str) -> String {
    let j = b.json();
    let d = j["documents"].as_array().unwrap().iter().find(|d| d["source"].as_str().unwrap().ends_with(name));
    format!("{}index.html", d.unwrap_or_else(|| panic!("no {name}"))["url"].as_str().unwrap())
}

#[test]
fn relation_labels_follow_the_page_language() {
    let b = built("de");
    let p1 = page_of(&b, "0001-postgres-verwenden.md");
    assert_eq!(texts(&b, &p1, ".relations h3"), ["Geändert durch"]);
    assert_eq!(texts(&b, &p1, ".backlinks h2"), ["Referenziert von"]);
    let how = texts(&b, &p1, ".backlinks .kind");
    assert_eq!(how, ["Entscheidung · ändert es, erwähnt es"], "{how:?}");
    let p4 = page_of(&b, "0004-lesereplikate.md");
    assert_eq!(texts(&b, &p4, ".relations h3"), ["Ändert", "Verwandt mit"]);
    // The Japanese document's page, on the German site.
    let p2 = page_of(&b, "0002-cache-ja.md");
    assert_eq!(texts(&b, &p2, ".backlinks h2"), ["参照元"]);
    assert_eq!(texts(&b, &p2, ".backlinks .kind"), ["決定 · これに関連する、これに言及している"]);
    assert_eq!(texts(&b, &p2, ".relations h3"), ["関連先"]);
    let banner = texts(&b, &page_of(&b, "0005-dateien-ablegen.md"), ".banner-superseded");
    assert_eq!(banner, ["Diese Entscheidung wird ersetzt durch ADR-0006: Anhänge im Objektspeicher ablegen."]);
    assert_eq!(texts(&b, &page_of(&b, "0006-objektspeicher.md"), ".relations h3"), ["Ersetzt"]);
    // The graph's legend and list.
    assert_eq!(texts(&b, "graph/index.html", ".graph-legend .legend"), ["ersetzt", "ändert", "verwandt"]);
    let list = texts(&b, "graph/index.html", ".graph-list ul li");
    assert!(
        list.contains(&"ändert ADR-0001".to_string()) && list.contains(&"ersetzt ADR-0005".to_string()),
        "{list:?}"
    );
    let svg = b.read("graph/index.html");
    assert!(svg.contains("<title>ADR-0004 ändert ADR-0001</title>"), "the arcs' titles");
    assert!(svg.contains("<title>Vorgeschlagen · Entscheidung</title>"), "the nodes' titles");
}

#[test]
fn sentences_with_a_count_printable_view_and_feed_in_german_and_japanese() {
    let expect = [
        (
            "de",
            "6 Entscheidungen. Zum Sortieren eine Spaltenüberschrift wählen.",
            "Druckansicht",
            "6 Dokumente, jedes auf einer eigenen Druckseite.",
            "Diese Website enthält 6 Entscheidungen.",
            "Entscheidung · Status: Angenommen",
        ),
        (
            "ja",
            "決定 6 件。列の見出しを選ぶと並べ替えます。",
            "印刷用ページ",
            "文書 6 件、",
            "このサイトには決定 6 件があります。",
            "決定 · 状態: 承認",
        ),
    ];
    for (lang, lead, print, print_lead, summary, feed_summary) in expect {
        let b = built(lang);
        assert_eq!(texts(&b, "log/index.html", "main .lead"), [lead], "{lang}");
        assert_eq!(texts(&b, "log/index.html", ".print-link a"), [print], "{lang}");
        let printed = texts(&b, "log/print/index.html", ".print-intro .lead");
        assert!(printed[0].starts_with(print_lead), "{lang}: {printed:?}");
        assert_eq!(texts(&b, "index.html", ".home-intro .lead"), [summary], "{lang}");
        // The Atom feed: still well-formed, in the site's language.
        let feed = b.read("feed.xml");
        let doc = roxmltree::Document::parse(&feed).expect("feed.xml is well-formed XML");
        let root = doc.root_element();
        assert_eq!(root.attribute(("http://www.w3.org/XML/1998/namespace", "lang")), Some(lang));
        let summaries: Vec<&str> =
            root.descendants().filter(|n| n.has_tag_name("summary")).filter_map(|n| n.text()).collect();
        assert!(summaries.contains(&feed_summary), "{lang}: {summaries:?}");
        // The waiting proposal on the home page, and how long it waits (its date in words).
        let since = texts(&b, "index.html", ".open .sub");
        let want = if lang == "de" { "seit 2. April 2024" } else { "2024年4月2日 から" };
        assert!(since[0].contains(want), "{lang}: {since:?}");
    }
}

#[test]
fn pages_in_another_language_carry_dossier_js_strings_english_ones_do_not() {
    let b = built("de");
    let html = b.read("log/index.html");
    let start = html.find("<script type=\"application/json\" id=\"dossier-strings\">").expect("the strings block");
    let json = &html[start..];
    let json = &json[json.find('>').unwrap() + 1..json.find("</script>").unwrap()];
    let strings: serde_json::Value = serde_json::from_str(json).unwrap();
    assert_eq!(strings["js_copy"], "Kopieren");
    assert_eq!(strings["js_waiting_days"], "wartet seit {n} Tag|wartet seit {n} Tagen");
    let en = built("en");
    assert!(!en.read("log/index.html").contains("dossier-strings"));
    assert_eq!(texts(&en, "log/index.html", "main .lead"), ["6 decisions. Select a column heading to sort."]);
    assert!(!en.read("feed.xml").contains("xml:lang"));
    // Two builds of the same input are byte-identical.
    assert!(tree(&b.out) == tree(&built("de").out), "two German builds differ");
}
