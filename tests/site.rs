//! The rendered site: page kinds and their counts, links and badges (parsed HTML), sub-path
//! hosting (a crawl under `/kb/`), theme overrides and GFM rendering.

mod common;
use common::*;
use scraper::{Html, Selector};
use std::collections::{BTreeMap, BTreeSet};

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

fn page(b: &Built, rel: &str) -> Html {
    Html::parse_document(&b.read(rel))
}

fn texts(h: &Html, s: &str) -> Vec<String> {
    h.select(&sel(s)).map(|e| e.text().collect::<String>().trim().to_string()).collect()
}

fn example() -> Built {
    let b = build(&manifest_dir().join("example-docs"), &[]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    b
}

#[test]
fn example_docs_has_every_page_kind_with_counts() {
    let b = example();
    let j = b.json();
    let docs = j["documents"].as_array().unwrap();
    let adrs: Vec<_> = docs.iter().filter(|d| d["kind"] == "adr").collect();
    let designs: Vec<_> = docs.iter().filter(|d| d["kind"] == "design").collect();
    assert!(adrs.len() >= 6 && designs.len() >= 4, "{} ADRs, {} designs", adrs.len(), designs.len());

    // Home: the README as introduction, a card per kind with its total, recent documents.
    let home = page(&b, "index.html");
    assert_eq!(texts(&home, "h1"), ["dossier knowledge base"]);
    let cards = texts(&home, ".overview .card h2");
    assert_eq!(cards, [format!("Decisions {}", adrs.len()), format!("Design docs {}", designs.len())]);
    let superseded = adrs.iter().filter(|d| d["status"] == "superseded").count();
    assert!(texts(&home, ".overview .badge.status-superseded").contains(&format!("Superseded {superseded}")));
    assert_eq!(home.select(&sel(".recent li")).count(), 10);

    // Decision log: one row per ADR, in number order, with badges.
    let log = page(&b, "log/index.html");
    let ids = texts(&log, "table.log tbody td:first-child");
    assert_eq!(ids.len(), adrs.len());
    assert_eq!(ids[0], "ADR-0001");
    let mut sorted = ids.clone();
    sorted.sort();
    assert_eq!(ids, sorted);
    assert_eq!(log.select(&sel("table.log tbody .badge")).count(), adrs.len());
    assert_eq!(log.select(&sel("th[data-sort] button")).count(), 4, "every column sorts");

    // Design docs grouped by status.
    let d = page(&b, "designs/index.html");
    let grouped: usize = d.select(&sel(".group li")).count();
    assert_eq!(grouped, designs.len());

    // A superseded decision points at its successor; the successor lists the relation.
    let old = page(&b, "adr/0005-render-mermaid-diagrams-in-the-browser/index.html");
    assert_eq!(texts(&old, ".doc-status .badge"), ["superseded"]);
    assert!(old.select(&sel(".doc-status .badge.status-superseded")).next().is_some());
    let banner: Vec<_> =
        old.select(&sel(".banner-superseded a")).map(|a| a.value().attr("href").unwrap().to_string()).collect();
    assert_eq!(banner, ["../../adr/0006-render-mermaid-at-build-time/"]);
    let new = page(&b, "adr/0006-render-mermaid-at-build-time/index.html");
    assert!(texts(&new, ".relations h3").contains(&"Supersedes".to_string()));
    assert!(texts(&new, ".relations li a").iter().any(|t| t.contains("Render Mermaid diagrams in the browser")));

    // Backlinks: every document that references another appears on its page.
    for doc in docs {
        let url = doc["url"].as_str().unwrap();
        if url.is_empty() {
            continue;
        }
        let p = page(&b, &format!("{url}index.html"));
        let shown = p.select(&sel(".backlinks li")).count();
        assert_eq!(shown, doc["backlinks"].as_array().unwrap().len(), "backlinks of {url}");
    }

    // Tags, statuses and authors: an index and a page each, with matching counts.
    let mut tag_counts: BTreeMap<String, usize> = BTreeMap::new();
    for d in docs {
        for t in d["tags"].as_array().unwrap() {
            *tag_counts.entry(t.as_str().unwrap().to_string()).or_default() += 1;
        }
    }
    assert!(!tag_counts.is_empty());
    let tags = page(&b, "tags/index.html");
    assert_eq!(tags.select(&sel(".terms li")).count(), tag_counts.len());
    for (tag, n) in &tag_counts {
        let p = page(&b, &format!("tags/{tag}/index.html"));
        assert_eq!(p.select(&sel(".doc-list li")).count(), *n, "tag {tag}");
    }
    let accepted = page(&b, "status/accepted/index.html");
    let n_accepted = docs.iter().filter(|d| d["status"] == "accepted").count();
    assert_eq!(accepted.select(&sel(".doc-list li")).count(), n_accepted);
    assert!(page(&b, "authors/index.html").select(&sel(".terms li")).count() >= 2);

    // Design doc pages: metadata table, table of contents, heading anchors.
    let design = page(&b, "design/build-pipeline/index.html");
    let keys = texts(&design, ".meta dt");
    assert!(keys.contains(&"Author".to_string()) && keys.contains(&"Context".to_string()), "{keys:?}");
    assert!(design.select(&sel(".toc a[href='#problem-statement']")).next().is_some());
    assert!(design.select(&sel("h2#problem-statement")).next().is_some());
    assert!(b.out.join("404.html").is_file() && b.out.join(".nojekyll").is_file());
}

/// Resolves a relative href from the page at `page_rel` (a file path in the output) to a file.
fn target_file(out: &std::path::Path, page_rel: &str, href: &str) -> std::path::PathBuf {
    let base_dir = page_rel.rsplit_once('/').map_or("", |(d, _)| d);
    let mut parts: Vec<&str> = base_dir.split('/').filter(|s| !s.is_empty()).collect();
    for seg in href.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop().expect("link climbs above the site root");
            }
            s => parts.push(s),
        }
    }
    let mut p = out.join(parts.join("/").replace("%20", " "));
    if href.ends_with('/') || href.is_empty() || p.is_dir() {
        p = p.join("index.html");
    }
    p
}

#[test]
fn sub_path_crawl_finds_no_missing_file() {
    let b = build(&manifest_dir().join("example-docs"), &["--base-url", "https://example.org/kb/"]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let attr = sel("[href], [src]");
    let mut ids_cache: BTreeMap<std::path::PathBuf, BTreeSet<String>> = BTreeMap::new();
    let mut checked = 0;
    for (rel, bytes) in tree(&b.out) {
        if !rel.ends_with(".html") {
            continue;
        }
        let html = Html::parse_document(&String::from_utf8(bytes).unwrap());
        for el in html.select(&attr) {
            let v = el.value().attr("href").or_else(|| el.value().attr("src")).unwrap();
            if v.contains("://") || v.starts_with("mailto:") {
                continue;
            }
            assert!(!v.starts_with('/') || v.starts_with("/kb/"), "{rel}: absolute link {v} outside /kb/");
            let (path, frag) = v.split_once('#').map_or((v, None), |(p, f)| (p, Some(f)));
            let file = if let Some(abs) = path.strip_prefix("/kb/") {
                target_file(&b.out, "", abs)
            } else if path.is_empty() {
                b.out.join(&rel)
            } else {
                target_file(&b.out, &rel, path)
            };
            assert!(file.is_file(), "{rel}: link {v} → missing {}", file.display());
            if let Some(f) = frag.filter(|f| !f.is_empty()) {
                let ids = ids_cache.entry(file.clone()).or_insert_with(|| {
                    let h = Html::parse_document(&std::fs::read_to_string(&file).unwrap());
                    h.select(&sel("[id]")).map(|e| e.value().attr("id").unwrap().to_string()).collect()
                });
                assert!(ids.contains(f), "{rel}: link {v} → no #{f} in {}", file.display());
            }
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} links checked");
    // 404.html works at any depth: its links are absolute under the base path.
    let nf = page(&b, "404.html");
    let hrefs: Vec<_> = nf
        .select(&sel("a[href], link[href], script[src]"))
        .map(|e| e.value().attr("href").or(e.value().attr("src")).unwrap().to_string())
        .collect();
    assert!(hrefs.iter().all(|h| h.starts_with("/kb/") || h == "#main"), "{hrefs:?}");
}

#[test]
fn theme_override_replaces_one_block_and_adds_assets() {
    let b = build(&fixture("theme-override"), &[]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let doc = page(&b, "adr/0001-x/index.html");
    assert_eq!(texts(&doc, ".site-footer .wrap"), ["Maintained by the platform team · ADR-0001"]);
    assert_eq!(texts(&doc, "h1"), ["Themed decision"], "the rest of the default template stays");
    let home = page(&b, "index.html");
    assert!(texts(&home, ".site-footer .wrap")[0].starts_with("Built with"), "other templates keep the default block");
    assert_eq!(b.read("assets/extra.css"), ".extra { color: red; }\n");
    assert!(b.read("assets/style.css").contains("prefers-color-scheme: dark"));

    // GFM features render.
    assert!(doc.select(&sel(".doc-body del")).next().is_some());
    assert!(doc.select(&sel(".doc-body table td")).next().is_some());
    assert_eq!(doc.select(&sel(".doc-body input[type=checkbox]")).count(), 2);
    assert!(doc.select(&sel(".doc-body sup.footnote-reference a[href='#1']")).next().is_some());
    assert!(doc.select(&sel(".doc-body .footnote-definition[id='1']")).next().is_some());
    assert!(doc.select(&sel(".doc-body .markdown-alert-note")).next().is_some());
}

#[test]
fn broken_theme_template_is_a_config_error() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("theme-override"), tmp.path());
    std::fs::write(
        tmp.path().join("theme/templates/doc.html"),
        "{% extends \"default/doc.html\" %}{% block footer %}{{ oops(\n",
    )
    .unwrap();
    let o = dossier().arg("build").arg(tmp.path()).arg("-o").arg(tmp.path().join("out")).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("error[invalid-config]") && err.contains("theme"), "{err}");
    assert!(!tmp.path().join("out").exists());
}

#[test]
fn metadata_is_escaped() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("adr")).unwrap();
    std::fs::write(
        tmp.path().join("adr/0001-x.md"),
        "---\ntitle: \"<img src=x onerror=alert(1)>\"\nstatus: \"<b>accepted</b>\"\ntags: [\"<script>x</script>\"]\nowner: \"<i>me</i>\"\n---\nBody\n",
    )
    .unwrap();
    let o = dossier().arg("build").arg(tmp.path()).arg("-o").arg(tmp.path().join("out")).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    for page in ["adr/0001-x/index.html", "index.html", "log/index.html", "tags/index.html"] {
        let html = std::fs::read_to_string(tmp.path().join("out").join(page)).unwrap();
        assert!(
            !html.contains("<img src=x") && !html.contains("<script>x") && !html.contains("<i>me"),
            "{page} is not escaped"
        );
    }
}

#[test]
fn feed_sitemap_and_robots_use_absolute_urls() {
    let b = build(&manifest_dir().join("example-docs"), &["--base-url", "https://example.org/kb/"]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let feed = b.read("feed.xml");
    let doc = roxmltree::Document::parse(&feed).expect("feed.xml is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "feed");
    let entries: Vec<_> = root.children().filter(|n| n.has_tag_name("entry")).collect();
    assert!(entries.len() >= 10, "{}", entries.len());
    let mut dates = Vec::new();
    for e in &entries {
        let link = e.children().find(|n| n.has_tag_name("link")).unwrap().attribute("href").unwrap();
        assert!(link.starts_with("https://example.org/kb/"), "{link}");
        let cat = e.children().find(|n| n.has_tag_name("category")).unwrap();
        assert!(
            ["accepted", "proposed", "draft", "superseded", "rejected", "implemented", "deprecated"]
                .contains(&cat.attribute("term").unwrap())
        );
        dates.push(e.children().find(|n| n.has_tag_name("updated")).unwrap().text().unwrap().to_string());
    }
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "newest first");

    let sitemap = b.read("sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).expect("sitemap.xml is well-formed XML");
    let locs: Vec<&str> = doc.descendants().filter(|n| n.has_tag_name("loc")).filter_map(|n| n.text()).collect();
    assert!(locs.len() > 30);
    assert!(locs.iter().all(|l| l.starts_with("https://example.org/kb/")));
    assert!(locs.contains(&"https://example.org/kb/log/") && locs.contains(&"https://example.org/kb/search/"));
    assert_eq!(b.read("robots.txt"), "User-agent: *\nAllow: /\nSitemap: https://example.org/kb/sitemap.xml\n");
    assert!(b.read("index.html").contains("<link rel=\"alternate\" type=\"application/atom+xml\""));

    // Without an absolute base URL there are no absolute URLs to give: no feed, no sitemap.
    let plain = build(&manifest_dir().join("example-docs"), &[]);
    assert!(!plain.out.join("feed.xml").exists() && !plain.out.join("sitemap.xml").exists());
    assert_eq!(plain.read("robots.txt"), "User-agent: *\nAllow: /\n");
}

#[test]
fn timeline_lists_dated_documents_by_month_newest_first() {
    let b = example();
    let j = b.json();
    let dated =
        j["documents"].as_array().unwrap().iter().filter(|d| d["kind"] != "page" && d["date"].is_string()).count();
    let t = page(&b, "timeline/index.html");
    let dates: Vec<String> =
        t.select(&sel(".timeline > li > time")).map(|e| e.value().attr("datetime").unwrap().to_string()).collect();
    assert_eq!(dates.len(), dated);
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted);
    assert!(texts(&t, "section h2").iter().all(|h| h.contains(" 20")), "month headings");
    // The superseded decision points at its successor from the timeline too.
    assert!(t.select(&sel(".timeline a[href='../adr/0006-render-mermaid-at-build-time/']")).count() >= 2);
    // Every page offers the theme toggle (shown by the script) and applies a stored choice early.
    let home = b.read("index.html");
    assert!(home.contains("id=\"theme-toggle\"") && home.contains("localStorage.getItem(\"dossier-theme\")"));
}

#[test]
fn relation_graph_and_local_graphs() {
    let b = example();
    let j = b.json();
    let adrs = j["documents"].as_array().unwrap().iter().filter(|d| d["kind"] == "adr").count();
    let g = page(&b, "graph/index.html");
    assert_eq!(g.select(&sel("svg.graph a.node")).count(), adrs, "the default graph shows the decisions");
    assert!(g.select(&sel("svg.graph a.node.status-superseded")).next().is_some(), "coloured by status");
    let sup: Vec<String> = g.select(&sel("svg.graph path.edge-supersedes title")).map(|t| t.text().collect()).collect();
    assert!(sup.contains(&"ADR-0006 supersedes ADR-0005".to_string()), "{sup:?}");
    assert!(sup.contains(&"ADR-0013 supersedes ADR-0010".to_string()), "{sup:?}");
    let all = page(&b, "graph/all/index.html");
    assert!(all.select(&sel("svg.graph a.node.kind-design")).count() >= 4, "design docs behind the second view");
    assert!(all.select(&sel("svg.graph path.edge-references")).count() > 0);
    assert!(all.select(&sel(".graph-filters input[data-status]")).count() >= 3, "status filters");
    let kinds: Vec<&str> =
        all.select(&sel(".graph-filters input[data-kind]")).map(|i| i.value().attr("data-kind").unwrap()).collect();
    assert_eq!(kinds, ["adr", "design"], "kind filters where the graph shows more than one kind");
    assert_eq!(g.select(&sel(".graph-filters input[data-kind]")).count(), 0, "one kind, no kind filter");
    // Every document with neighbours shows its local graph, linking to them.
    let p = page(&b, "adr/0006-render-mermaid-at-build-time/index.html");
    let local: Vec<&str> = p.select(&sel(".local-graph svg a.node")).map(|a| a.value().attr("href").unwrap()).collect();
    assert!(local.len() >= 3 && local.contains(&"../../adr/0005-render-mermaid-diagrams-in-the-browser/"), "{local:?}");
}

#[test]
fn search_passages_hold_each_documents_whole_text_in_index_order() {
    let b = build(&fixture("header-search").join("docs"), &[]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let meta: serde_json::Value = serde_json::from_str(&b.read("search/meta.json")).unwrap();
    let (n, chunk) = (meta["docs"].as_u64().unwrap() as usize, meta["chunk"].as_u64().unwrap() as usize);
    assert_eq!(n, 5);
    let mut deep = None;
    for i in 0..n {
        let rows: serde_json::Value = serde_json::from_str(&b.read(&format!("search/d/{}.json", i / chunk))).unwrap();
        let title = rows[i % chunk][0].as_str().unwrap().to_string();
        let text: String = serde_json::from_str(&b.read(&format!("search/p/{i}.json"))).unwrap();
        // Document i of the index is document i of the passages: a phrase of its own body.
        let own = [
            ("Use Postgres for storage", "Postgres holds the metadata"),
            ("Cache rendered pages", "cached by content hash"),
            ("Retire the FTP upload", "Uploads move to HTTPS"),
            ("Storage quotas per team", "gets a storage quota"),
            ("Storage engine notes", "write amplification"),
        ];
        let phrase = own.iter().find(|(t, _)| title.ends_with(t)).map(|p| p.1).expect(&title);
        assert!(text.contains(phrase), "{i}: {title}: {}", &text[..80.min(text.len())]);
        assert!(!text.contains("  ") && !text.contains('\n'), "whitespace collapsed");
        if let Some(at) = text.find("quillback") {
            deep = Some((title, at));
        }
    }
    let (title, at) = deep.expect("the deep word is in a passage file");
    assert_eq!(title, "Storage engine notes");
    assert!(at > 10_000, "found at character {at}, far past the old 800-character excerpt");
    assert!(!b.out.join(format!("search/p/{n}.json")).exists(), "one file per document, no more");
}

/// Every `[id]` of a page, and the ones that occur more than once.
fn ids_of(h: &Html) -> (BTreeSet<String>, Vec<String>) {
    let mut all = BTreeSet::new();
    let mut dups = Vec::new();
    for e in h.select(&sel("[id]")) {
        let id = e.value().attr("id").unwrap().to_string();
        if !all.insert(id.clone()) {
            dups.push(id);
        }
    }
    (all, dups)
}

/// The in-page links (`href="#…"`) of a page that lead to no element.
fn dangling_fragments(h: &Html) -> Vec<String> {
    let (ids, _) = ids_of(h);
    h.select(&sel("a[href^='#']"))
        .map(|a| a.value().attr("href").unwrap()[1..].to_string())
        .filter(|f| !f.is_empty() && !ids.contains(&percent_decode(f)))
        .collect()
}

#[test]
fn printable_views_hold_each_collection_in_order_with_unique_ids() {
    let b = example();
    let j = b.json();
    let docs = j["documents"].as_array().unwrap();
    let mut adrs: Vec<&serde_json::Value> = docs.iter().filter(|d| d["kind"] == "adr").collect();
    adrs.sort_by_key(|d| d["number"].as_u64());
    let designs = docs.iter().filter(|d| d["kind"] == "design").count();

    // Linked from each collection's index.
    assert_eq!(texts(&page(&b, "log/index.html"), "a[href='../log/print/']"), ["Printable view"]);
    assert_eq!(texts(&page(&b, "designs/index.html"), "a[href='../designs/print/']"), ["Printable view"]);

    let log = page(&b, "log/print/index.html");
    let titles = texts(&log, "article.print-doc .print-title");
    let expected: Vec<String> = adrs.iter().map(|d| d["title"].as_str().unwrap().to_string()).collect();
    assert_eq!(titles, expected, "every decision, in number order");
    assert_eq!(texts(&page(&b, "designs/print/index.html"), "article.print-doc").len(), designs);
    for rel in ["log/print/index.html", "designs/print/index.html"] {
        let h = page(&b, rel);
        let (ids, dups) = ids_of(&h);
        assert!(dups.is_empty(), "{rel}: ids used twice: {dups:?}");
        assert!(ids.len() > 40, "{rel}: {} ids", ids.len());
        assert_eq!(dangling_fragments(&h), Vec::<String>::new(), "{rel}");
        // Each document's ids carry its article's id as prefix.
        for art in h.select(&sel("article.print-doc")) {
            let own = art.value().attr("id").unwrap();
            for e in art.select(&sel("[id]")) {
                assert!(e.value().attr("id").unwrap().starts_with(own), "{rel}: {own}");
            }
        }
        assert_eq!(h.select(&sel(".print-parts")).count(), 0, "one part only");
    }
    // The headings that every decision has (Context, Decision…) are there once per document.
    let contexts = log.select(&sel("article.print-doc [id$='-context']")).count();
    assert!(contexts >= 5, "{contexts} Context headings");
}

#[test]
fn printable_view_is_split_into_parts_of_200_documents() {
    let tmp = tempfile::tempdir().unwrap();
    let adr = tmp.path().join("docs/adr");
    std::fs::create_dir_all(&adr).unwrap();
    for n in 1..=205 {
        let text = format!(
            "# {n}. Decision number {n}\n\nDate: 2024-01-01\n\n## Status\n\nAccepted\n\n## Context\n\nSee [the context](#context) and [the next one](000{}-decision-number-{}.md).\n\n## Decision\n\nDone.\n\n## Consequences\n\nNone.\n",
            n % 9 + 1,
            n % 9 + 1
        );
        std::fs::write(adr.join(format!("{n:04}-decision-number-{n}.md")), text).unwrap();
    }
    let b = build(&tmp.path().join("docs"), &[]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let one = page(&b, "log/print/index.html");
    let two = page(&b, "log/print/2/index.html");
    assert_eq!(one.select(&sel("article.print-doc")).count(), 200);
    assert_eq!(texts(&two, "article.print-doc .print-title").len(), 5);
    assert_eq!(texts(&two, "article.print-doc .print-title")[0], "Decision number 201");
    assert!(!b.out.join("log/print/3").exists());
    assert_eq!(texts(&one, ".print-parts a"), ["Part 2"]);
    assert_eq!(texts(&two, ".print-parts a"), ["Part 1"]);
    assert_eq!(texts(&two, "h1"), ["Decision log, part 2 of 2"]);
    for (rel, h) in [("log/print/index.html", &one), ("log/print/2/index.html", &two)] {
        let (_, dups) = ids_of(h);
        assert!(dups.is_empty(), "{rel}: {dups:?}");
        assert_eq!(dangling_fragments(h), Vec::<String>::new(), "{rel}");
        // Links to other documents lead to their pages.
        for a in h.select(&sel("article.print-doc a[href]")) {
            let href = a.value().attr("href").unwrap();
            if !href.starts_with('#') {
                let file = target_file(&b.out, rel, href.split('#').next().unwrap());
                assert!(file.is_file(), "{rel}: {href} → {}", file.display());
            }
        }
    }
}
