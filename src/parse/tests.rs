//! Unit tests of the parse stage, one per metadata source and format, malformed input included.

use super::*;
use crate::discover::SourceFile;
use std::path::PathBuf;

fn doc_with(rel: &str, kind: Kind, text: &[u8], prefix: Option<&str>) -> Doc {
    let source = SourceFile {
        rel: rel.to_string(),
        abs: PathBuf::from(rel),
        kind,
        collection: Some(0),
        is_template: false,
        sidecar: None,
    };
    let statuses = BTreeMap::new();
    let scanner = scan::Scanner::new(&["ADR".to_string()], &[]).unwrap();
    parse(&Input {
        scanner: &scanner,
        highlighter: None,
        diagrams: None,
        sidecar: None,
        source: &source,
        bytes: text,
        prefix,
        statuses: &statuses,
    })
}

fn adr(rel: &str, text: &str) -> Doc {
    doc_with(rel, Kind::Adr, text.as_bytes(), Some("ADR"))
}

fn codes(d: &Doc) -> Vec<(Code, u32)> {
    d.diagnostics.iter().map(|x| (x.code, x.line)).collect()
}

#[test]
fn adr_tools_format() {
    let d = adr(
        "doc/adr/0002-implement-as-shell-scripts.md",
        "# 2. Implement as shell scripts\n\nDate: 2016-02-12\n\n## Status\n\nAccepted\n\nAmended by [9. Help scripts](0009-help-scripts.md)\n\n## Context\n\nText.\n",
    );
    assert_eq!(d.id, "ADR-0002");
    assert_eq!(d.number, Some(2));
    assert_eq!(d.title, "Implement as shell scripts");
    assert_eq!((d.status, d.status_raw.as_deref()), (Status::Accepted, Some("Accepted")));
    assert_eq!(d.date.as_deref(), Some("2016-02-12"));
    assert_eq!(d.relations.len(), 1);
    assert_eq!(d.relations[0].kind, RelKind::AmendedBy);
    assert_eq!(d.relations[0].target, Target::Path("0009-help-scripts.md".into()));
    assert_eq!(d.relations[0].line, 9);
    assert!(d.diagnostics.is_empty());
    assert!(!d.html.contains("Implement as shell scripts"), "title is not repeated in the body");
    assert!(d.html.contains("<h2 id=\"status\">Status<a class=\"anchor\" href=\"#status\""));
}

#[test]
fn adr_tools_superseded_status_paragraph() {
    let d = adr(
        "a/0004-dns.md",
        "# 4. DNS\n\nDate: 2017-06-01\n\n## Status\n\nSuperseded by [DNS Infrastructure](0015-dns-infrastructure.md)\n",
    );
    assert_eq!(d.status, Status::Superseded);
    assert_eq!(d.status_raw.as_deref(), Some("Superseded"));
    assert_eq!(d.relations[0].kind, RelKind::SupersededBy);
    assert_eq!(d.relations[0].target, Target::Path("0015-dns-infrastructure.md".into()));
    assert_eq!((d.relations[0].line, d.relations[0].col), (7, 15));
}

#[test]
fn adr_tools_custom_link_verb_is_related() {
    let d = adr("a/0005-x.md", "# 5. X\n\n## Status\n\nAccepted\n\nDepends on [3. Y](0003-y.md)\n");
    assert_eq!(d.relations[0].kind, RelKind::Related);
    assert_eq!(d.relations[0].verb, "Depends on");
}

#[test]
fn madr_yaml_front_matter() {
    let d = adr(
        "docs/decisions/0013-use-yaml-front-matter.md",
        "---\nstatus: \"superseded by ADR-0020\"\ndate: 2022-09-01\ndecision-makers: [Olaf, Anna]\nconsulted: Team\ntags:\n  - meta\n  - format\nsupersedes: [ADR-0004, 0005-old.md]\n---\n# Use YAML front matter for metadata\n\n## Context and Problem Statement\n\nText\n",
    );
    assert_eq!(d.title, "Use YAML front matter for metadata");
    assert_eq!(d.status, Status::Superseded);
    assert_eq!(d.status_raw.as_deref(), Some("superseded"));
    assert_eq!(d.date.as_deref(), Some("2022-09-01"));
    assert_eq!(d.authors, ["Olaf", "Anna"], "in the order written");
    assert_eq!(d.tags, ["format", "meta"]);
    let rels: Vec<_> = d.relations.iter().map(|r| (r.kind, r.target.clone(), r.line)).collect();
    assert_eq!(
        rels,
        [
            (RelKind::SupersededBy, Target::Id("ADR-0020".into()), 2),
            (RelKind::Supersedes, Target::Id("ADR-0004".into()), 9),
            (RelKind::Supersedes, Target::Path("0005-old.md".into()), 9),
        ]
    );
    assert!(d.meta.iter().any(|m| m.key == "consulted" && m.value == "Team"));
}

#[test]
fn toml_front_matter() {
    let d = doc_with(
        "design/x.md",
        Kind::Design,
        b"+++\ntitle = \"Search\"\nstatus = \"Draft\"\ndate = 2024-05-06\nauthors = [\"Kim\"]\n+++\nBody\n",
        None,
    );
    assert_eq!(d.title, "Search");
    assert_eq!(d.status, Status::Draft);
    assert_eq!(d.date.as_deref(), Some("2024-05-06"));
    assert_eq!(d.authors, ["Kim"]);
    assert_eq!(d.id, "design/x");
}

#[test]
fn malformed_front_matter_warns_and_reads_the_rest() {
    let d = adr(
        "adr/0007-x.md",
        "---\ntitle: ADR-7: Colons\nstatus: [unclosed\n---\n# 7. Fallback title\n\n- Status: accepted\n",
    );
    assert_eq!(codes(&d).first().map(|c| c.0), Some(Code::InvalidFrontMatter));
    assert!(d.diagnostics[0].line >= 2);
    assert_eq!(d.title, "Fallback title");
    assert_eq!(d.status, Status::Accepted);
}

#[test]
fn log4brains_bullets_and_date_prefix() {
    let d = adr(
        "docs/adr/20200926-use-the-adr-number.md",
        "# Use the ADR number as its unique ID\n\n- Status: superseded by [20201016-use-the-adr-slug](20201016-use-the-adr-slug.md)\n- Date: 2020-09-26\n- Deciders: Thomas, Ann\n- Tags: id, naming\n\nTechnical Story: none\n\n## Context\n",
    );
    assert_eq!(d.id, "docs/adr/20200926-use-the-adr-number");
    assert_eq!(d.number, None);
    assert_eq!(d.status, Status::Superseded);
    assert_eq!(d.date.as_deref(), Some("2020-09-26"));
    assert_eq!(d.authors, ["Thomas", "Ann"], "in the order written");
    assert_eq!(d.tags, ["id", "naming"]);
    assert_eq!(d.relations[0].target, Target::Path("20201016-use-the-adr-slug.md".into()));
    assert_eq!(d.relations[0].line, 3);
}

#[test]
fn date_prefix_gives_date_when_unstated() {
    let d = adr("docs/adr/20201103-use-lunr.md", "# Use Lunr\n\n- Status: accepted\n");
    assert_eq!(d.date.as_deref(), Some("2020-11-03"));
}

#[test]
fn design_doc_template() {
    let d = doc_with(
        "design/search.md",
        Kind::Design,
        b"# Technical Design: Search Index\n\n**Date:** 2026-01-02\n**Author:** Jo Park\n**Status:** Under Review\n**Context:** [Epic](https://t.example/E-1)\n\n## Problem Statement\n\nX\n",
        None,
    );
    assert_eq!(d.title, "Search Index");
    assert_eq!((d.status, d.status_raw.as_deref()), (Status::Proposed, Some("Under Review")));
    assert_eq!(d.authors, ["Jo Park"]);
    let ctx = d.meta.iter().find(|m| m.key == "Context").unwrap();
    assert_eq!(ctx.value, "Epic");
    assert!(ctx.html.contains("href=\"https://t.example/E-1\""));
    assert_eq!(d.title_id.as_deref(), Some("technical-design-search-index"));
}

#[test]
fn rfc_bullets_title_from_feature_name() {
    let d = doc_with(
        "text/1096-remove-static-assert.md",
        Kind::Design,
        b"- Feature Name: remove-static-assert\n- Start Date: 2015-04-28\n- RFC PR: [rust-lang/rfcs#1096](https://github.com/rust-lang/rfcs/pull/1096)\n\n## Summary\n\nRemove it.\n",
        Some("RFC"),
    );
    assert_eq!(d.id, "RFC-1096");
    assert_eq!(d.title, "remove-static-assert");
    assert_eq!(d.date.as_deref(), Some("2015-04-28"));
    assert_eq!(d.status, Status::Unknown);
    assert_eq!(d.status_raw, None);
    assert!(d.diagnostics.is_empty());
}

#[test]
fn placeholder_feature_name_falls_back_to_file_name() {
    let d = doc_with(
        "text/0001-private-fields.md",
        Kind::Design,
        b"- Feature Name: N/A\n- Start Date: 2014-03-11\n\n## Summary\n",
        None,
    );
    assert_eq!(d.title, "Private fields");
}

#[test]
fn invalid_dates_are_kept_and_warned() {
    let d = adr("adr/0001-x.md", "# 1. X\n\nDate: 2014-19-19\n\n## Status\n\nAccepted\n");
    assert_eq!(d.date.as_deref(), Some("2014-19-19"));
    assert_eq!(codes(&d), [(Code::InvalidDate, 3)]);
    let d = adr("adr/0002-x.md", "---\ndate: 23-07-2014\n---\n# X\n");
    assert_eq!(codes(&d), [(Code::InvalidDate, 2)]);
    assert_eq!(d.diagnostics[0].col, 7);
}

#[test]
fn unknown_status_warns_with_position() {
    let d = adr("adr/0003-x.md", "# 3. X\n\n## Status\n\nAcceptd\n");
    assert_eq!(d.status, Status::Unknown);
    assert_eq!(d.status_raw.as_deref(), Some("Acceptd"));
    assert_eq!(codes(&d), [(Code::UnknownStatus, 5)]);
}

#[test]
fn configured_status_words() {
    let source = SourceFile {
        rel: "a/0001-x.md".into(),
        abs: PathBuf::new(),
        kind: Kind::Adr,
        collection: None,
        is_template: false,
        sidecar: None,
    };
    let mut statuses = BTreeMap::new();
    statuses.insert("in flight".to_string(), Status::Proposed);
    let scanner = scan::Scanner::default();
    let d = parse(&Input {
        scanner: &scanner,
        highlighter: None,
        diagrams: None,
        sidecar: None,
        source: &source,
        bytes: b"# X\n\n- Status: In Flight\n",
        prefix: Some("ADR"),
        statuses: &statuses,
    });
    assert_eq!((d.status, d.status_raw.as_deref()), (Status::Proposed, Some("In Flight")));
}

#[test]
fn invalid_utf8_is_decoded_lossily() {
    let d = adr("adr/0004-x.md", "# 4. Caf\u{e9}\n\n## Status\n\nAccepted\n".replace('\u{e9}', "\u{1}").as_str());
    assert!(d.diagnostics.is_empty());
    let mut bytes = b"# 4. Caf".to_vec();
    bytes.push(0xE9);
    bytes.extend_from_slice(b"\n\nok\n");
    let d = doc_with("adr/0004-x.md", Kind::Adr, &bytes, Some("ADR"));
    assert_eq!(codes(&d), [(Code::InvalidUtf8, 1)]);
    assert_eq!(d.title, "Caf\u{FFFD}");
}

#[test]
fn file_name_title_and_number_forms() {
    let d = adr("adr/adr-012-use-postgres.md", "Body without a title.\n");
    assert_eq!((d.id.as_str(), d.title.as_str()), ("ADR-0012", "Use postgres"));
    let d = adr("adr/ADR-12.md", "# ADR-0012: Use Postgres\n");
    assert_eq!((d.id.as_str(), d.title.as_str()), ("ADR-0012", "Use Postgres"));
}

#[test]
fn pages_have_no_number_and_keep_path_ids() {
    let d = doc_with("adr/README.md", Kind::Page, b"# Decisions\n", Some("ADR"));
    assert_eq!((d.id.as_str(), d.number), ("adr/README", None));
}

#[test]
fn id_key_for_unnumbered_documents() {
    let d = doc_with("design/search.md", Kind::Design, b"---\nid: DD-7\n---\n# Search\n", None);
    assert_eq!(d.id, "DD-7");
}

#[test]
fn empty_and_binary_garbage_never_panic() {
    for input in
        [&b""[..], b"---", b"---\n", b"+++\n+++", b"# ", b"\0\0\0", b"- : \n- **:**", b"## Status\n", b"\xff\xfe\x00"]
    {
        let d = doc_with("adr/0009-x.md", Kind::Adr, input, Some("ADR"));
        assert!(!d.title.is_empty());
    }
}
