//! URLs from file names are percent-encoded (issue 20, item 7): a source folder whose files are
//! named with `?`, `#`, `%`, spaces and non-ASCII letters (made at test time) gets links,
//! `edit_url`'s `{path}`, the sitemap and the feed percent-encoded, and a crawl of the preview
//! server from its home page reaches every page.
#![cfg(unix)]

mod common;
#[path = "common/server.rs"]
mod server;

use common::*;
use std::collections::{BTreeSet, VecDeque};

/// (file name in `notes/`, how a Markdown link from `notes/hub.md` names it).
const AWKWARD: &[(&str, &str)] = &[
    ("a?b.md", "a%3Fb.md"),
    ("c#d.md", "c%23d.md"),
    ("100% done.md", "100%25%20done.md"),
    ("with space.md", "<with space.md>"),
    ("café.md", "café.md"),
    ("日本語.md", "%E6%97%A5%E6%9C%AC%E8%AA%9E.md"),
];

fn awkward_site() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir_all(src.join("notes")).unwrap();
    std::fs::write(
        src.join("dossier.toml"),
        "base_url = \"https://kb.example/\"\nedit_url = \"https://git.example/edit/{path}\"\n\n[[collections]]\npath = \"notes\"\nkind = \"design\"\nrequired_sections = []\n",
    )
    .unwrap();
    let mut hub = String::from("# Hub\n\n");
    for (i, (file, link)) in AWKWARD.iter().enumerate() {
        std::fs::write(
            src.join("notes").join(file),
            format!("# Awkward {i}\n\nDate: 2024-01-0{}\n\nBack to [the hub](hub.md).\n", i + 1),
        )
        .unwrap();
        hub.push_str(&format!("- [{file}]({link})\n"));
    }
    std::fs::write(src.join("notes/hub.md"), hub).unwrap();
    std::fs::write(src.join("index.md"), "# Home\n\nStart at [the hub](notes/hub.md).\n").unwrap();
    (tmp, src)
}

/// What a browser percent-encodes in a path it requests (besides non-ASCII).
const SENT: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS.add(b' ');

/// The URL paths a page links to on the site, as a browser requests them: resolved against
/// `page` (a path ending in `/`), fragment and query cut off.
fn links_of(page: &str, html: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse("a[href]").unwrap();
    let mut out = Vec::new();
    for a in doc.select(&sel) {
        let href = a.value().attr("href").unwrap_or("");
        if href.contains("://") || href.starts_with("//") || href.starts_with("mailto:") || href.starts_with('#') {
            continue;
        }
        let path = href.split(['#', '?']).next().unwrap_or("");
        let mut parts: Vec<&str> = if path.starts_with('/') {
            vec![]
        } else {
            page.trim_matches('/').split('/').filter(|s| !s.is_empty()).collect()
        };
        for seg in path.split('/') {
            match seg {
                "" | "." => {}
                ".." => {
                    parts.pop();
                }
                s => parts.push(s),
            }
        }
        let mut p = format!("/{}", parts.join("/"));
        if path.ends_with('/') && p != "/" {
            p.push('/');
        }
        // A browser sends spaces and non-ASCII percent-encoded.
        out.push(percent_encoding::utf8_percent_encode(&p, SENT).to_string());
    }
    out
}

#[test]
fn urls_from_file_names_are_percent_encoded_in_links_edit_url_sitemap_and_feed() {
    let (tmp, src) = awkward_site();
    let b = build_in(tmp, src, &[]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let hub = b.read("notes/hub/index.html");
    for encoded in ["a%3Fb/", "c%23d/", "100%25%20done/", "with%20space/", "caf%C3%A9/", "%E6%97%A5%E6%9C%AC%E8%AA%9E/"]
    {
        assert!(hub.contains(&format!("href=\"../../notes/{encoded}\"")), "no link to {encoded} in the hub");
    }
    assert!(!hub.contains("href=\"../../notes/a?b/\""), "a raw ? in a link");
    let page = b.read("notes/a?b/index.html");
    assert!(page.contains("https://git.example/edit/notes/a%3Fb.md"), "edit_url's {{path}} is not encoded");
    let sitemap = b.read("sitemap.xml");
    assert!(sitemap.contains("<loc>https://kb.example/notes/a%3Fb/</loc>"), "{sitemap}");
    assert!(sitemap.contains("<loc>https://kb.example/notes/100%25%20done/</loc>"), "{sitemap}");
    let feed = b.read("feed.xml");
    assert!(feed.contains("href=\"https://kb.example/notes/c%23d/\""), "{feed}");
    assert!(!sitemap.contains("a?b") && !feed.contains("c#d/"), "raw names in the sitemap or feed");
    // Search results and llms.txt link the encoded URLs too.
    let meta: String = std::fs::read_dir(b.out.join("search/d"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(meta.contains("\"notes/a%3Fb/\"") && !meta.contains("\"notes/a?b/\""), "{meta}");
    let llms = b.read("llms.txt");
    assert!(llms.contains("(https://kb.example/notes/c%23d/)") && !llms.contains("notes/c#d/"), "{llms}");
}

#[test]
fn a_crawl_of_the_preview_over_awkward_file_names_finds_every_page() {
    let (_tmp, src) = awkward_site();
    let s = server::Serve::start(&src, &[]);
    let (code, json) = s.get("/dossier.json");
    assert_eq!(code, 200);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let want: BTreeSet<String> =
        json["documents"].as_array().unwrap().iter().map(|d| format!("/{}", d["url"].as_str().unwrap())).collect();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut found: BTreeSet<String> = BTreeSet::new();
    let mut queue: VecDeque<String> = VecDeque::from(["/".to_string()]);
    while let Some(path) = queue.pop_front() {
        if !seen.insert(path.clone()) || seen.len() > 500 {
            continue;
        }
        let (code, body) = s.get(&path);
        if code != 200 || !path.ends_with('/') {
            continue;
        }
        found.insert(percent_decode(&path));
        for l in links_of(&path, &body) {
            queue.push_back(l);
        }
    }
    let missing: Vec<&String> = want.difference(&found).collect();
    assert!(missing.is_empty(), "pages the crawl did not reach: {missing:?} (reached {found:?})");
    // The sitemap's URLs are served too.
    let (_, sitemap) = s.get("/sitemap.xml");
    for loc in sitemap.split("<loc>").skip(1).map(|l| l.split("</loc>").next().unwrap_or("")) {
        let path = loc.split_once("://").map_or(loc, |(_, r)| r.find('/').map_or("/", |i| &r[i..]));
        assert_eq!(s.get(path).0, 200, "{loc} from the sitemap is not served");
    }
    s.stop();
}
