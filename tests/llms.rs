//! `llms.txt`, `llms-full.txt` and the Markdown pages (`[render] markdown_pages`), built from
//! tests/fixtures/llms: exact files, links that resolve, and `serve` keeping them current.

mod common;
#[path = "common/server.rs"]
mod server;

use common::*;
use std::path::Path;
use std::time::{Duration, Instant};

const LLMS_TXT: &str = include_str!("fixtures/llms-expected/llms.txt");
const LLMS_FULL: &str = include_str!("fixtures/llms-expected/llms-full.txt");

/// The fixture copied, with `extra` appended to its dossier.toml, and built with `args`.
fn build_with(extra: &str, args: &[&str]) -> Built {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    copy_tree(&fixture("llms"), &src);
    let toml = std::fs::read_to_string(src.join("dossier.toml")).unwrap();
    std::fs::write(src.join("dossier.toml"), format!("{toml}{extra}")).unwrap();
    let b = build_in(tmp, src, args);
    assert_eq!(b.code, 0, "{}", b.stderr);
    b
}

#[test]
fn llms_txt_and_llms_full_txt_exactly() {
    let b = build_with("", &[]);
    assert_eq!(b.read("llms.txt"), LLMS_TXT);
    assert_eq!(b.read("llms-full.txt"), LLMS_FULL);
    // Off by default: no Markdown pages, no link to them.
    assert!(!b.out.join("docs/adr/0002-use-rust/index.md").exists());
    assert!(!b.read("docs/adr/0002-use-rust/index.html").contains("text/markdown"));
}

#[test]
fn llms_links_resolve_to_pages() {
    let b = build_with("", &[]);
    for file in ["llms.txt", "llms-full.txt"] {
        let links = links_of(&b.read(file));
        assert!(links.len() >= 5, "{file}: {links:?}");
        for l in links {
            assert!(resolves(&b.out, Path::new(""), &l), "{file}: {l} does not resolve");
        }
    }
}

#[test]
fn with_a_base_url_every_link_is_absolute() {
    let b = build_with("", &["--base-url", "https://kb.example/acme/"]);
    let txt = b.read("llms.txt");
    assert!(
        txt.contains("- [ADR-0003: Use CockroachDB](https://kb.example/acme/docs/adr/0003-use-cockroachdb/): accepted. Postgres cannot span regions.\n"),
        "{txt}"
    );
    let full = b.read("llms-full.txt");
    assert!(full.contains("url: \"https://kb.example/acme/docs/design/search/\"\n"), "{full}");
    assert!(full.contains("[search design](https://kb.example/acme/docs/design/search/#goals)"), "{full}");
    for l in links_of(&txt) {
        assert!(l.starts_with("https://kb.example/acme/"), "{l}");
    }
}

#[test]
fn llms_false_writes_neither_file() {
    let b = build_with("\n[render]\nllms = false\n", &[]);
    assert!(!b.out.join("llms.txt").exists());
    assert!(!b.out.join("llms-full.txt").exists());
    assert!(b.out.join("dossier.json").exists());
}

#[test]
fn markdown_pages_beside_every_page_with_links_that_resolve() {
    let b = build_with("\n[render]\nmarkdown_pages = true\n", &[]);
    let pages: Vec<String> = tree(&b.out).into_iter().map(|(p, _)| p).filter(|p| p.ends_with("/index.md")).collect();
    assert_eq!(
        pages,
        [
            "docs/adr/0001-use-postgres/index.md",
            "docs/adr/0002-use-rust/index.md",
            "docs/adr/0003-use-cockroachdb/index.md",
            "docs/adr/0004-use-mongodb/index.md",
            "docs/design/search/index.md",
            "docs/guide/index.md",
        ]
    );
    let mut checked = 0;
    for p in &pages {
        let md = b.read(p);
        let dir = Path::new(p).parent().unwrap();
        for l in links_of(&md) {
            assert!(resolves(&b.out, dir, &l), "{p}: {l} does not resolve");
            checked += 1;
        }
        let html = b.read(&p.replace("index.md", "index.html"));
        let head = &html[..html.find("</head>").unwrap()];
        assert!(head.contains("<link rel=\"alternate\" type=\"text/markdown\" href=\"index.md\">"), "{p}");
    }
    assert!(checked >= 5, "only {checked} links checked");
    let rust = b.read("docs/adr/0002-use-rust/index.md");
    assert_eq!(
        rust,
        "---\nid: \"ADR-0002\"\ntitle: \"Use Rust for services\"\nkind: adr\nstatus: accepted\ndate: \"2024-02-01\"\n\
         authors: [\"Jane Doe\"]\ntags: [\"language\", \"services\"]\nurl: \"./\"\n---\n\n\
         # Use Rust for services\n\n## Context\n\nOur services crash on null pointers. See the \
         [search design](../../../docs/design/search/#goals) and ![diagram](../../../docs/img/arch.png).\n\n\
         ## Decision\n\nWrite new services in Rust, as [ADR-0003](../../../docs/adr/0003-use-cockroachdb/) assumes.\n\n\
         ```mermaid\ngraph LR\n  A --> B\n```\n"
    );
}

/// A site built into a folder inside DIR holds `index.md` pages: a later run must not read them
/// as documents (they would double every document and clash on every ID).
#[test]
fn a_site_built_inside_dir_is_not_read_as_sources() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    copy_tree(&fixture("llms"), &src);
    let toml = std::fs::read_to_string(src.join("dossier.toml")).unwrap();
    std::fs::write(src.join("dossier.toml"), format!("{toml}\n[render]\nmarkdown_pages = true\n")).unwrap();
    let o = dossier().arg("build").arg(&src).arg("-o").arg(src.join("public")).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(src.join("public/docs/guide/index.md").is_file());
    let o = dossier().arg("check").arg(&src).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    assert!(err.contains("checked 7 documents"), "{err}");
}

#[test]
fn serve_keeps_llms_txt_current() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("llms"), tmp.path());
    let s = server::Serve::start(tmp.path(), &[]);
    let (code, body) = s.get("/llms.txt");
    assert_eq!(code, 200);
    assert!(body.contains("- [ADR-0004: Use MongoDB](docs/adr/0004-use-mongodb/): rejected."), "{body}");
    let path = tmp.path().join("docs/adr/0004-use-mongodb.md");
    let text = std::fs::read_to_string(&path).unwrap().replace("# 4. Use MongoDB", "# 4. Use DynamoDB");
    std::fs::write(&path, text).unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (_, body) = s.get("/llms.txt");
        if body.contains("- [ADR-0004: Use DynamoDB](docs/adr/0004-use-mongodb/): rejected.") {
            break;
        }
        assert!(Instant::now() < deadline, "llms.txt never followed the edit:\n{body}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The targets of the Markdown links and images in `text` (`](target)`), fragments kept.
fn links_of(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find("](") {
        let after = &rest[i + 2..];
        let end = after.find([')', ' ']).unwrap_or(after.len());
        out.push(after[..end].to_string());
        rest = &after[end..];
    }
    out
}

/// Whether `link`, written in a file of folder `dir` of the site `out`, leads to a file of it
/// (a page's folder to its `index.html`); absolute URLs do not.
fn resolves(out: &Path, dir: &Path, link: &str) -> bool {
    let path = link.split('#').next().unwrap_or("");
    if path.contains("://") {
        return false;
    }
    let mut target = out.join(dir);
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                target.pop();
            }
            p => target.push(p),
        }
    }
    if !target.starts_with(out) {
        return false;
    }
    if path.is_empty() || path.ends_with('/') { target.join("index.html").is_file() } else { target.is_file() }
}
