//! Mermaid diagrams become inline SVG at build time; a diagram the renderer cannot read stays a
//! code block with a `path:line` warning, in `build` and in `check`.

mod common;
use common::{build, dossier, fixture};

fn sections(html: &str) -> Vec<(String, String)> {
    // (heading id, the HTML up to the next h2)
    html.split("<h2 id=\"")
        .skip(1)
        .map(|s| {
            let id = s.split('"').next().unwrap_or_default().to_string();
            (id, s.to_string())
        })
        .collect()
}

#[test]
fn every_diagram_type_becomes_svg() {
    let b = build(&fixture("diagrams"), &[]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let html = b.read("design/diagrams/index.html");
    let secs = sections(&html);
    for (id, kind) in [
        ("flowchart", "flowchart"),
        ("graph", "flowchart"),
        ("sequence", "sequence"),
        ("class", "class"),
        ("state", "state"),
        ("entity-relationship", "er"),
    ] {
        let (_, sec) = secs.iter().find(|(i, _)| i == id).unwrap_or_else(|| panic!("no section {id}"));
        assert!(sec.contains("<figure class=\"diagram\"><svg"), "{id}: no inline SVG");
        assert!(sec.contains(&format!("aria-roledescription=\"{kind}")), "{id}: not a {kind} diagram");
        assert!(!sec.contains("language-mermaid"), "{id}: source left as code");
    }
    // Two copies of one diagram on a page get distinct ids (their markers and styles are scoped).
    let ids: Vec<&str> =
        html.match_indices("<svg id=\"").map(|(i, _)| html[i + 9..].split('"').next().unwrap()).collect();
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(ids.len(), 7, "{ids:?}");
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
    // Labels are carried into the SVG, escaped.
    assert!(html.contains("Markdown file") && html.contains("Superseded"));
}

#[test]
fn invalid_diagram_keeps_its_source_and_warns_with_its_line() {
    let b = build(&fixture("diagrams"), &[]);
    assert_eq!(b.code, 0, "warnings do not fail a build: {}", b.stderr);
    assert!(
        b.stderr.contains("design/diagrams.md:83:1: warning[invalid-diagram]: Mermaid diagram not rendered"),
        "{}",
        b.stderr
    );
    assert!(b.stderr.contains("Unterminated node label"), "{}", b.stderr);
    let html = b.read("design/diagrams/index.html");
    let secs = sections(&html);
    let (_, broken) = secs.iter().find(|(i, _)| i == "broken").unwrap();
    assert!(broken.contains("<code class=\"language-mermaid\">flowchart TD\n  A[Start] --&gt; B[Middle"), "{broken}");
    assert!(!broken.contains("<svg"));
    // ASCII art stays a monospaced, unwrapped code block.
    let (_, ascii) = secs.iter().find(|(i, _)| i == "ascii-art").unwrap();
    assert!(ascii.contains("<pre tabindex=\"0\"><code>+--------+"), "{ascii}");
    let css = b.read("assets/style.css");
    assert!(css.contains("white-space: pre;") && css.contains("foreignObject { overflow: visible; }"));
}

#[test]
fn check_reports_diagram_warnings_and_strict_fails() {
    let o = dossier().arg("check").arg(fixture("diagrams")).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(err.contains("design/diagrams.md:83:1: warning[invalid-diagram]"), "{err}");
    let o = dossier().arg("check").arg("--strict").arg(fixture("diagrams")).output().unwrap();
    assert_eq!(o.status.code(), Some(1), "{}", String::from_utf8_lossy(&o.stderr));
}

#[test]
fn diagrams_can_be_switched_off() {
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    common::copy_tree(&fixture("diagrams"), &src);
    let cfg = std::fs::read_to_string(src.join("dossier.toml")).unwrap();
    std::fs::write(src.join("dossier.toml"), format!("{cfg}\n[render]\ndiagrams = false\n")).unwrap();
    let b = common::build_in(tmp, src, &[]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    assert!(!b.stderr.contains("invalid-diagram"), "{}", b.stderr);
    let html = b.read("design/diagrams/index.html");
    assert!(!html.contains("<svg id=\"mermaid-"));
    assert_eq!(html.matches("language-mermaid").count(), 8);
}

#[test]
fn serve_cache_renders_an_unchanged_diagram_once() {
    // The cache `serve` keeps between rebuilds: editing prose beside a diagram re-parses the
    // file, but the diagram's SVG comes from the content-hash memo.
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    common::copy_tree(&fixture("diagrams"), &src);
    let mut session = dossier::session::Session::new(&src, dossier::session::Settings::default());
    let page = src.join("design/diagrams.md");
    let mut load = |changed: &[std::path::PathBuf]| {
        let loaded = session.load(changed).unwrap();
        let (rendered, _, _) = loaded.timings.diagrams.expect("diagrams on");
        (rendered, session.work().parsed)
    };
    // 8 blocks: 7 distinct (content, id) pairs render, one of them invalid.
    assert_eq!(load(&[]), (8, 1));
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, text.replace("The same flowchart again", "The very same flowchart again")).unwrap();
    assert_eq!(load(std::slice::from_ref(&page)), (0, 1), "re-parsed, but no diagram rendered again");
    let new_diagram = text.replace("graph LR\n  A[Discover]", "graph LR\n  A[Find]");
    std::fs::write(&page, new_diagram).unwrap();
    assert_eq!(load(std::slice::from_ref(&page)), (1, 1), "only the edited diagram is rendered");
}
