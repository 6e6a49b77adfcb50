//! Links as GitHub renders them: e-mail and bare-URL autolinks, anchors in any case,
//! root-relative links, raw HTML targets, closing fences followed by whitespace and links that
//! leave DIR; each false positive and silent break pinned on its own fixture, then a property:
//! every link of every built page resolves, has a diagnostic, or is a documented unchecked kind.

mod common;
#[path = "support/corpus.rs"]
mod corpus;

use common::*;
use scraper::{Html, Selector};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

/// The diagnostic lines of a run (`path:line:col: severity[code]: message`), in order.
fn diagnostics(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.contains("error[") || l.contains("warning[")).collect()
}

/// The `href` (or `src`) of every element matching `selector` in the page's article, with its text.
fn targets(page: &str, selector: &str) -> Vec<(String, String)> {
    let h = Html::parse_document(page);
    let s = Selector::parse(&format!("article {selector}")).unwrap();
    h.select(&s)
        .map(|e| {
            let v = e.value().attr("href").or(e.value().attr("src")).or(e.value().attr("srcset"));
            (e.text().collect::<String>(), v.unwrap_or("(none)").to_string())
        })
        .collect()
}

fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
    v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
}

#[test]
fn email_autolink_is_a_mailto_link_not_a_broken_link() {
    let b = build(&fixture("links/email-autolinks"), &[]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    assert_eq!(diagnostics(&b.stderr), Vec::<&str>::new());
    assert_eq!(
        targets(&b.read("contact/index.html"), "a"),
        pairs(&[("ann@example.com", "mailto:ann@example.com"), ("bob@example.org", "mailto:bob@example.org")])
    );
}

#[test]
fn email_link_without_mailto_is_an_error_that_says_add_mailto() {
    let b = build(&fixture("links/email-without-mailto"), &[]);
    assert_eq!(b.code, 1, "{}", b.stderr);
    assert_eq!(
        diagnostics(&b.stderr),
        ["contact.md:3:5: error[broken-link]: link target `ann@example.com` does not exist"]
    );
    assert!(b.stderr.contains("help: add mailto: to link an e-mail address: `mailto:ann@example.com`"), "{}", b.stderr);
}

#[test]
fn bare_urls_become_links_outside_code_and_links() {
    let b = build(&fixture("links/bare-urls"), &[]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    assert_eq!(diagnostics(&b.stderr), Vec::<&str>::new());
    let page = b.read("notes/index.html");
    assert_eq!(
        targets(&page, "a"),
        pairs(&[
            ("https://example.org/issue/1", "https://example.org/issue/1"),
            ("www.example.com/mirror", "http://www.example.com/mirror"),
            ("a link https://example.org/inner", "https://example.org/outer"),
            ("https://example.org/spec", "https://example.org/spec"),
            ("#", "#spec-at-httpsexampleorgspec"),
        ])
    );
    assert!(page.contains("<code>https://example.org/code</code>"), "{page}");
    assert!(page.contains("https://example.org/block") && !page.contains("href=\"https://example.org/block"));
}

#[test]
fn anchor_in_another_case_is_rewritten_to_the_heading_id_and_a_missing_one_is_broken() {
    let b = build(&fixture("links/anchor-case"), &[]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    assert_eq!(
        diagnostics(&b.stderr),
        ["guide.md:5:3: warning[broken-anchor]: `#No-Such-Heading` is not a heading of `guide.md`"]
    );
    assert_eq!(
        targets(&b.read("guide/index.html"), "p a"),
        pairs(&[
            ("handling", "#request-handling"),
            ("the other page", "../other/#error-codes"),
            ("missing one", "#No-Such-Heading"),
        ])
    );
}

#[test]
fn raw_html_images_are_checked_copied_and_rewritten() {
    let b = build(&fixture("links/raw-html"), &[]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    assert_eq!(
        diagnostics(&b.stderr),
        ["design.md:8:83: warning[broken-link]: image `img/missing.png` does not exist"]
    );
    let page = b.read("design/index.html");
    assert_eq!(
        targets(&page, "source, img, p a"),
        pairs(&[
            ("", "../img/b.png"),
            ("", "../img/a.png"),
            ("link to the other page", "../other/#section-one"),
            ("", "img/missing.png"),
        ])
    );
    for img in ["img/a.png", "img/b.png"] {
        assert_eq!(std::fs::read(b.out.join(img)).unwrap(), std::fs::read(b.src.join(img)).unwrap(), "{img} copied");
    }
}

/// pulldown-cmark 0.13.6 leaves a fenced code block open when its closing fence is followed by a
/// tab (CommonMark 0.31 §4.5: "The closing code fence … may be followed only by spaces or tabs";
/// GitHub closes it). Minimal reproduction, with `pulldown_cmark::html::push_html`:
///
/// ```text
/// input:    "```\ncode\n```\t\n\n# After\n"
/// expected: "<pre><code>code\n</code></pre>\n<h1>After</h1>\n"
/// actual:   "<pre><code>code\n```\t\n\n# After\n</code></pre>\n"
/// ```
///
/// dossier rewrites the whitespace after a closing fence into fence characters before parsing
/// (`parse::gfm::close_fences`); without it this page's heading is code, `#after` is a false
/// `broken-anchor` and the broken link after the fence goes unreported.
#[test]
fn closing_fence_followed_by_a_tab_closes_the_block() {
    let b = build(&fixture("links/fence-whitespace"), &[]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    // The position is the one in the file: the normalisation keeps every byte's offset.
    assert_eq!(diagnostics(&b.stderr), ["code.md:7:25: warning[broken-link]: link target `missing.md` does not exist"]);
    let page = b.read("code/index.html");
    assert_eq!(targets(&page, "p a"), pairs(&[("after", "#after"), ("gone", "missing.md")]));
    assert!(page.contains("<h2 id=\"after\">"), "{page}");
    assert_eq!(page.matches("<pre").count(), 2, "two code blocks: {page}");
}

/// The root-relative fixture as a repository (`repo/.git`, DIR = `repo/docs`), with extra
/// `dossier.toml` lines; returns the build.
fn build_in_repo(toml: &str) -> Built {
    let tmp = tempfile::tempdir().unwrap();
    let repo = tmp.path().join("repo");
    copy_tree(&fixture("links/root-relative"), &repo);
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    let docs = repo.join("docs");
    let base = std::fs::read_to_string(docs.join("dossier.toml")).unwrap();
    std::fs::write(docs.join("dossier.toml"), format!("{toml}{base}")).unwrap();
    build_in(tmp, docs, &[])
}

#[test]
fn root_relative_links_and_images_resolve_from_the_repository_root() {
    let b = build_in_repo("");
    assert_eq!(b.code, 0, "{}", b.stderr);
    assert_eq!(
        diagnostics(&b.stderr),
        ["guide.md:7:3: warning[broken-link]: link target `/docs/adr/0002-missing.md` does not exist"]
    );
    assert_eq!(
        targets(&b.read("guide/index.html"), "p a, p img"),
        pairs(&[
            ("the decision", "../adr/0001-use-postgres/#decision"),
            ("", "../img/a.png"),
            // Outside DIR without repo_url: a root-relative link has no URL on the site.
            ("entry point", "(none)"),
            ("its folder", "../src/main.rs"),
            ("broken one", "/docs/adr/0002-missing.md"),
        ])
    );
    assert!(b.out.join("img/a.png").is_file(), "image copied");
    assert!(b.stderr.contains("1 warning; 2 links leave DIR (not checked)"), "{}", b.stderr);
}

#[test]
fn root_relative_links_stay_right_under_a_sub_path() {
    let b = build_in_repo("base_url = \"https://org.github.io/kb/\"\n");
    assert_eq!(b.code, 0, "{}", b.stderr);
    let got = targets(&b.read("guide/index.html"), "p a, p img");
    assert_eq!(got[0].1, "../adr/0001-use-postgres/#decision", "relative, so right under /kb/: {got:?}");
    assert_eq!(got[1].1, "../img/a.png");
}

#[test]
fn links_leaving_dir_are_repository_links_and_counted_as_not_checked() {
    let b = build_in_repo("repo_url = \"https://github.com/org/kb\"\n");
    assert_eq!(b.code, 0, "{}", b.stderr);
    let got = targets(&b.read("guide/index.html"), "p a");
    assert_eq!(got[1], ("entry point".into(), "https://github.com/org/kb/blob/HEAD/src/main.rs".into()));
    assert_eq!(got[2], ("its folder".into(), "https://github.com/org/kb/blob/HEAD/src/main.rs".into()));
    let o = dossier().arg("check").arg(b.src.as_path()).args(["--format", "json"]).output().unwrap();
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!((v["errors"].as_u64(), v["warnings"].as_u64(), v["not_checked"].as_u64()), (Some(0), Some(1), Some(2)));
}

#[test]
fn root_relative_links_resolve_from_dir_outside_a_repository() {
    // No `.git` above DIR: `/adr/…` is read from DIR itself.
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir_all(&src).unwrap();
    std::fs::write(src.join("a.md"), "# A\n\nSee [B](/sub/b.md#Part-Two).\n").unwrap();
    std::fs::create_dir_all(src.join("sub")).unwrap();
    std::fs::write(src.join("sub/b.md"), "# B\n\n## Part two\n").unwrap();
    let b = build_in(tmp, src, &[]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    assert_eq!(diagnostics(&b.stderr), Vec::<&str>::new());
    assert_eq!(targets(&b.read("a/index.html"), "p a"), pairs(&[("B", "../sub/b/#part-two")]));
}

// The property: every link of every built page resolves, has a diagnostic or is documented as
// unchecked.

/// The ids of an HTML file (`id` and `<a name>`), cached.
struct Ids(HashMap<PathBuf, Vec<String>>);

impl Ids {
    fn of(&mut self, file: &Path) -> &[String] {
        self.0.entry(file.to_path_buf()).or_insert_with(|| {
            let h = Html::parse_document(&std::fs::read_to_string(file).unwrap_or_default());
            let s = Selector::parse("[id], a[name]").unwrap();
            h.select(&s).filter_map(|e| e.value().attr("id").or(e.value().attr("name")).map(String::from)).collect()
        })
    }
}

/// `.`/`..` resolved; `None` when the path climbs out.
fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

fn external(href: &str) -> bool {
    let scheme = href.bytes().take_while(|b| b.is_ascii_alphanumeric() || b"+.-".contains(b)).count();
    href.starts_with("//") || (scheme > 0 && href[scheme..].starts_with(':'))
}

/// Why a site-relative `href` on the page `page` (relative to `out`) does not resolve, if it
/// does not.
fn unresolved(out: &Path, page: &str, href: &str, ids: &mut Ids) -> Option<String> {
    let (path, frag) = href.split_once('#').unwrap_or((href, ""));
    let path = path.split('?').next().unwrap_or(path);
    let dir = page.rsplit_once('/').map_or("", |(d, _)| d);
    // The 404 page is served at any path, so its links are site-relative by design.
    let path = if page == "404.html" { path.strip_prefix('/').unwrap_or(path) } else { path };
    let target = if path.is_empty() {
        out.join(page)
    } else if path.starts_with('/') {
        return Some("site-relative URL".into());
    } else {
        let joined = normalize(&format!("{dir}/{}", percent_decode(path)))?;
        let t = out.join(&joined);
        if t.is_dir() { t.join("index.html") } else { t }
    };
    if !target.is_file() {
        return Some(format!("no file {}", target.display()));
    }
    let frag = percent_decode(frag);
    let is_html = target.extension().is_some_and(|e| e == "html");
    if !frag.is_empty() && frag != "top" && is_html && !ids.of(&target).contains(&frag) {
        return Some(format!("no id `{frag}` in {}", target.display()));
    }
    None
}

/// Every `href`/`src`/`srcset` URL of a page.
fn page_urls(html: &str) -> Vec<String> {
    let h = Html::parse_document(html);
    let s = Selector::parse("a[href], img[src], source[src], img[srcset], source[srcset]").unwrap();
    let mut urls = Vec::new();
    for e in h.select(&s) {
        let v = e.value();
        urls.extend(v.attr("href").or(v.attr("src")).map(String::from));
        if let Some(set) = v.attr("srcset") {
            urls.extend(set.split(',').filter_map(|c| c.split_whitespace().next()).map(String::from));
        }
    }
    urls
}

/// Checks the property on a built site: `diags` are `check --format json`'s diagnostics.
/// Returns the number of URLs checked.
fn assert_every_link_accounted_for(out: &Path, diags: &[Value]) -> usize {
    let json: Value = serde_json::from_slice(&std::fs::read(out.join("dossier.json")).unwrap()).unwrap();
    let source_of: BTreeMap<String, String> = json["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (format!("{}index.html", d["url"].as_str().unwrap()), d["source"].as_str().unwrap().to_string()))
        .collect();
    let mut ids = Ids(HashMap::new());
    let mut problems = Vec::new();
    let mut checked = 0;
    for (rel, bytes) in tree(out).into_iter().filter(|(p, _)| p.ends_with(".html")) {
        let html = String::from_utf8_lossy(&bytes);
        for href in page_urls(&html) {
            checked += 1;
            if external(&href) {
                continue;
            }
            let Some(why) = unresolved(out, &rel, &href, &mut ids) else { continue };
            let source = source_of.get(&rel);
            // A diagnostic of the page's document names the target (or its fragment).
            let frag = href.split_once('#').map(|(_, f)| format!("`#{f}`"));
            let reported = diags.iter().any(|d| {
                Some(&d["path"].as_str().unwrap_or("").to_string()) == source
                    && d["message"].as_str().is_some_and(|m| {
                        m.contains(&format!("`{href}`"))
                            || m.contains(&format!("[[{}]]", percent_decode(&href)))
                            || frag.as_ref().is_some_and(|f| m.contains(f.as_str()))
                    })
            });
            // Documented unchecked kinds: a link that leaves DIR, and links in templates.
            let leaves_dir = source.is_some_and(|s| {
                let dir = s.rsplit_once('/').map_or("", |(d, _)| d);
                let path = href.split('#').next().unwrap_or(&href);
                normalize(&format!("{dir}/{}", percent_decode(path))).is_none()
            });
            let template = source.is_some_and(|s| {
                let stem = s.rsplit('/').next().unwrap_or(s).trim_end_matches(".md").to_lowercase();
                stem == "template" || stem.ends_with("-template") || stem.ends_with("_template")
            });
            if !(reported || leaves_dir || template) {
                problems.push(format!("{rel}: `{href}`: {why} (from {source:?})"));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} unaccounted links, first ones:\n{}",
        problems.len(),
        problems[..problems.len().min(20)].join("\n")
    );
    checked
}

/// Builds `src` (broken links lowered to warnings, so that the pages are written) and checks
/// the property.
fn build_and_check_links(tmp: tempfile::TempDir, src: PathBuf) -> usize {
    let toml = src.join("dossier.toml");
    let old = std::fs::read_to_string(&toml).unwrap_or_default();
    assert!(!old.contains("[check]"), "the test adds its own [check] table");
    std::fs::write(&toml, format!("{old}\n[check]\nbroken_links = \"warn\"\n")).unwrap();
    let o = dossier().arg("check").arg(&src).args(["--format", "json"]).output().unwrap();
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let diags = v["diagnostics"].as_array().unwrap().clone();
    let b = build_in(tmp, src.clone(), &[]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    assert!(!b.stderr.contains("panicked"), "{}", b.stderr);
    assert_every_link_accounted_for(&b.out, &diags)
}

#[test]
fn every_link_of_generated_markdown_resolves_or_is_reported() {
    let c = corpus::generate(&corpus::Options { count: 300, seed: 23, broken: 6 });
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    corpus::write_to(&c, &src).unwrap();
    let checked = build_and_check_links(tmp, src);
    assert!(checked > 3000, "{checked} URLs checked");
}

#[test]
fn every_link_of_the_corpora_resolves_or_is_reported() {
    let Some(shared) = shared() else { return };
    let mut names: Vec<_> = std::fs::read_dir(shared.join("corpora"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 8, "{names:?}");
    for name in names {
        let tmp = tempfile::tempdir().unwrap();
        let src = tmp.path().join("src");
        copy_tree(&shared.join("corpora").join(&name), &src);
        let checked = build_and_check_links(tmp, src);
        assert!(checked > 0, "{name}");
    }
}
