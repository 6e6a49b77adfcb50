//! Reading real repositories right: one small fixture per metadata convention (our own files),
//! each asserting every field of each document in `dossier.json` and the page header.

mod common;
use common::*;
use serde_json::{Value, json};

/// The fields of one document that reading decides, as `dossier.json` gives them.
fn fields(d: &Value) -> Value {
    json!({
        "id": d["id"], "kind": d["kind"], "title": d["title"], "status": d["status"],
        "status_raw": d["status_raw"], "number": d["number"], "date": d["date"],
        "updated": d["updated"], "authors": d["authors"],
    })
}

fn by_source<'a>(j: &'a Value, source: &str) -> &'a Value {
    j["documents"].as_array().unwrap().iter().find(|d| d["source"] == source).unwrap_or_else(|| panic!("no {source}"))
}

/// Builds `tests/fixtures/reading/<name>`, then checks each expected document's fields and the
/// header of its page (title heading, and the status badge when it has a status).
fn check(name: &str, expected: &[(&str, Value)]) -> Built {
    let b = build(&fixture("reading").join(name), &[]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let j = b.json();
    for (source, want) in expected {
        let d = by_source(&j, source);
        let mut got = fields(d);
        // Only the keys the expectation names are compared; absent keys must be null/empty.
        for (k, v) in got.as_object_mut().unwrap() {
            let w = want.get(k).cloned().unwrap_or(match k.as_str() {
                "authors" => json!([]),
                "kind" => json!("design"),
                _ => Value::Null,
            });
            assert_eq!(*v, w, "{source}: field {k}\n{}", serde_json::to_string_pretty(d).unwrap());
        }
        let page = b.read(&format!("{}index.html", d["url"].as_str().unwrap()));
        let title = want["title"].as_str().unwrap().replace('&', "&amp;").replace('"', "&quot;");
        assert!(page.contains(&format!("\">{title}</h1>")), "{source}: page title {title}");
        if let Some(raw) = want["status_raw"].as_str() {
            assert!(page.contains(&format!(">{raw}</a>")), "{source}: badge {raw}");
        }
    }
    b
}

fn warnings(b: &Built, code: &str) -> Vec<String> {
    b.stderr
        .lines()
        .filter(|l| l.contains(&format!("[{code}]")))
        .map(|l| l.split(": ").next().unwrap().to_string())
        .collect()
}

#[test]
fn metadata_tables_under_the_title() {
    let b = check(
        "tables",
        &[
            (
                "rfcs/20240301-cache-layer.md",
                json!({"id": "rfcs/20240301-cache-layer", "title": "Cache Layer for Reads", "status": "implemented",
                       "status_raw": "Implemented (v2.1)", "date": "2024-03-01", "updated": "2024-05-20",
                       "authors": ["Ann Lee", "Bo Chen", "Cy Dee"]}),
            ),
            (
                "rfcs/20240410-header-row.md",
                json!({"id": "rfcs/20240410-header-row", "title": "Tables With a Header Row", "status": "proposed",
                       "status_raw": "Proposed", "date": "2024-04-11", "authors": ["Eli Gray"]}),
            ),
            (
                "rfcs/20240502-bold-keys-no-pipes.md",
                json!({"id": "rfcs/20240502-bold-keys-no-pipes", "title": "Bold Keys Without Outer Pipes",
                       "status": "accepted", "status_raw": "Accepted", "date": "2024-05-02", "authors": ["Fay Hill"]}),
            ),
            (
                "rfcs/20240601-body-table.md",
                json!({"id": "rfcs/20240601-body-table", "title": "A Table In the Body Is Not Metadata",
                       "status": "unknown", "date": "2024-06-01"}),
            ),
        ],
    );
    // The table is metadata: it is shown in the header's table, not repeated in the body.
    let page = b.read("rfcs/20240301-cache-layer/index.html");
    assert!(page.contains("<th>Sponsor</th>") || page.contains(">Sponsor<"), "sponsor shown in the metadata");
    assert_eq!(page.matches("Dana Fox").count(), 1, "the table is not repeated in the body");
    let body_table = b.read("rfcs/20240601-body-table/index.html");
    assert!(body_table.contains("<td>agreed</td>"), "a table in the body stays in the body");
}

#[test]
fn bullets_with_bold_and_linked_keys_and_values() {
    let b = check(
        "bullets",
        &[
            (
                "proposals/0001-first-proposal.md",
                json!({"id": "XY-0001", "number": 1, "title": "First Proposal", "status": "implemented",
                       "status_raw": "Implemented (Release 2.2)", "authors": ["Ann Lee", "Bo Chen"]}),
            ),
            (
                "proposals/0002-second-proposal.md",
                json!({"id": "XY-0002", "number": 2, "title": "Second Proposal", "status": "implemented",
                       "status_raw": "Partially stable in 1.5, see the Status section", "authors": ["Dana Fox"]}),
            ),
            (
                "proposals/0003-nested-authors.md",
                json!({"id": "XY-0003", "number": 3, "title": "Nested Author List", "status": "proposed",
                       "status_raw": "Active review (June 1...June 14)", "date": "2024-06-01",
                       "authors": ["Gus Ivy", "Hana Jo"]}),
            ),
        ],
    );
    // An item without a key stays on the page, in the metadata table.
    let page = b.read("proposals/0001-first-proposal/index.html");
    assert!(page.contains("https://example.org/review/1"), "the unkeyed item is kept");
    assert!(warnings(&b, "unknown-status").is_empty(), "{}", b.stderr);
}

#[test]
fn plain_key_lines_in_common_spellings() {
    check(
        "plain-keys",
        &[
            (
                "design/go-install.md",
                json!({"id": "design/go-install", "title": "Go install", "status": "unknown", "date": "2020-07-01",
                       "updated": "2020-10-14", "authors": ["Ann Lee", "Bo Chen"]}),
            ),
            (
                "design/owner-keys.md",
                json!({"id": "design/owner-keys", "title": "Owner Keys", "status": "proposed",
                       "status_raw": "Returned for revision", "date": "2021-09-15", "authors": ["Cy Dee"]}),
            ),
            (
                "design/deciders-comment.md",
                json!({"id": "design/deciders-comment", "title": "Deciders With a Comment", "status": "accepted",
                       "status_raw": "accepted", "date": "2016-06-16", "authors": ["Dana Fox", "Eli Gray"]}),
            ),
        ],
    );
}

#[test]
fn dates_in_words_months_and_cleaned_author_lists() {
    let b = check(
        "dates-authors",
        &[
            (
                "design/month-date.md",
                json!({"id": "design/month-date", "title": "A Month Only", "status": "unknown", "date": "2020-07",
                       "authors": ["Fay Hill", "Gus Ivy", "Hana Jo"]}),
            ),
            (
                "design/iso-time.md",
                json!({"id": "design/iso-time", "title": "ISO Time In Front Matter", "status": "unknown",
                       "date": "2021-07-20", "authors": ["Zed Ray", "Ann Lee"]}),
            ),
        ],
    );
    assert!(warnings(&b, "invalid-date").is_empty(), "a month is not an error: {}", b.stderr);
    let page = b.read("design/month-date/index.html");
    assert!(page.contains("<time datetime=\"2020-07\">July 2020</time>"), "a month is shown as a month");
    let timeline = b.read("timeline/index.html");
    assert!(timeline.contains("A Month Only"), "a month-dated document is on the timeline");
}

#[test]
fn status_from_the_documents_own_status_section() {
    let b = check(
        "status",
        &[
            (
                "adr/0001-record-decisions.md",
                json!({"id": "ADR-0001", "kind": "adr", "number": 1, "title": "Record decisions", "status": "superseded",
                       "status_raw": "Accepted", "date": "2024-01-02"}),
            ),
            (
                "adr/0002-supersede-first.md",
                json!({"id": "ADR-0002", "kind": "adr", "number": 2, "title": "Supersede the first", "status": "accepted",
                       "status_raw": "Accepted", "date": "2024-02-03"}),
            ),
            (
                "adr/0003-template-choice.md",
                json!({"id": "ADR-0003", "kind": "adr", "number": 3, "title": "Template choice left", "status": "unknown",
                       "date": "2024-03-04"}),
            ),
            (
                "adr/0004-nested-status-only.md",
                json!({"id": "ADR-0004", "kind": "adr", "number": 4, "title": "Nested status only", "status": "unknown",
                       "date": "2024-04-05"}),
            ),
        ],
    );
    let j = b.json();
    let d2 = by_source(&j, "adr/0002-supersede-first.md");
    assert_eq!(d2["supersedes"], json!(["ADR-0001"]));
    assert_eq!(d2["related"], json!([{"id": "ADR-0001", "verb": "Clarifies"}]), "the relation keeps its verb");
    assert!(warnings(&b, "unknown-status").is_empty(), "{}", b.stderr);
    assert_eq!(warnings(&b, "template-placeholder"), ["adr/0003-template-choice.md:7:1"], "{}", b.stderr);
}

#[test]
fn titles_after_comments_badges_and_tables_of_contents() {
    let b = check(
        "titles",
        &[
            (
                "adr/0037-prefixed-title.md",
                json!({"id": "ADR-0037", "kind": "adr", "number": 37, "title": "Prefixed twice", "status": "accepted",
                       "status_raw": "Accepted", "date": "2024-05-06"}),
            ),
            (
                "adr/0042-wrong-number.md",
                json!({"id": "ADR-0042", "kind": "adr", "number": 42, "title": "Wrong number", "status": "accepted",
                       "status_raw": "Accepted"}),
            ),
            (
                "adr/0043-front-matter-title.md",
                json!({"id": "ADR-0043", "kind": "adr", "number": 43, "title": "Title from front matter",
                       "status": "proposed", "status_raw": "proposed"}),
            ),
            ("design/no-h1.md", json!({"id": "design/no-h1", "title": "Faster builds", "status": "unknown"})),
            (
                "design/only-sections.md",
                json!({"id": "design/only-sections", "title": "Only sections", "status": "unknown"}),
            ),
        ],
    );
    assert_eq!(warnings(&b, "number-mismatch"), ["adr/0042-wrong-number.md:1:1"], "{}", b.stderr);
    // Kind and number agree everywhere: no "ADR-0037: ADR 0037:" in the log, search or the page.
    let log = b.read("log/index.html");
    assert!(log.contains("Prefixed twice") && !log.contains("ADR 0037:"), "decision log");
    let page = b.read("adr/0037-prefixed-title/index.html");
    assert!(!page.contains("ADR 0037: Prefixed"), "page");
    let docs = std::fs::read_to_string(b.out.join("search/d/0.json")).unwrap();
    assert!(!docs.contains("ADR 0037:"), "search documents: {docs}");
    // A template's own title is the template's name.
    let j = b.json();
    let t = j["documents"]
        .as_array()
        .unwrap()
        .iter()
        .chain(j["templates"].as_array().into_iter().flatten())
        .find(|d| d["source"] == "adr/adr-template.md")
        .cloned()
        .unwrap();
    assert_eq!(t["title"], "Template for new decisions");
}

#[test]
fn bylines_under_the_title() {
    check(
        "bylines",
        &[
            (
                "design/byline.md",
                json!({"id": "design/byline", "title": "A Design With a Byline", "status": "unknown", "date": "2020-07",
                       "authors": ["Ann Lee", "Bo Chen"]}),
            ),
            (
                "design/not-a-byline.md",
                json!({"id": "design/not-a-byline", "title": "Not a Byline", "status": "unknown"}),
            ),
        ],
    );
}

#[test]
fn yaml_sidecars_beside_a_record_folders_readme() {
    let b = check(
        "sidecar",
        &[
            (
                "keps/sig-store/1234-sidecar-records/README.md",
                json!({"id": "KEP-1234", "number": 1234, "title": "Sidecar records", "status": "accepted",
                       "status_raw": "implementable", "date": "2021-03-04", "updated": "2022-05-06",
                       "authors": ["@annlee", "Bo Chen"]}),
            ),
            (
                "keps/sig-store/1300-second-record/README.md",
                json!({"id": "KEP-1300", "number": 1300, "title": "Second record", "status": "proposed",
                       "status_raw": "provisional", "date": "not a date", "updated": "2022-07-08",
                       "authors": ["@cydee"]}),
            ),
        ],
    );
    // The sidecar's problems name the sidecar's own line.
    assert_eq!(warnings(&b, "invalid-date"), ["keps/sig-store/1300-second-record/kep.yaml:6:16"], "{}", b.stderr);
    let j = b.json();
    let d = by_source(&j, "keps/sig-store/1234-sidecar-records/README.md");
    assert_eq!(d["related"], json!([{"id": "KEP-1300", "verb": "Related"}]), "see-also is a relation");
}

#[test]
fn status_headings_checklists_quotes_stages_and_other_shapes() {
    let b = check(
        "more-shapes",
        &[
            (
                "adr/0001-status-heading.md",
                json!({"id": "ADR-0001", "kind": "adr", "number": 1, "title": "Status in the heading",
                       "status": "accepted", "status_raw": "Accepted", "date": "2020-01-02"}),
            ),
            (
                "adr/0002-checklist-status.md",
                json!({"id": "ADR-0002", "kind": "adr", "number": 2, "title": "Status as a checklist",
                       "status": "accepted", "status_raw": "Accepted", "date": "2020-01-03"}),
            ),
            (
                "adr/0003-blockquote-metadata.md",
                json!({"id": "ADR-0003", "kind": "adr", "number": 3, "title": "Metadata in a quote",
                       "status": "deprecated", "status_raw": "Deprecated", "date": "2020-02-03", "authors": ["Dana Fox"]}),
            ),
            (
                "adr/0004-replaced.md",
                json!({"id": "ADR-0004", "kind": "adr", "number": 4, "title": "Replaced by another",
                       "status": "superseded", "status_raw": "Replaced", "date": "2020-03-04"}),
            ),
            (
                "adr/adr005-no-gap-prefix.md",
                json!({"id": "ADR-0005", "kind": "adr", "number": 5, "title": "Prefix without a gap",
                       "status": "accepted", "status_raw": "accepted"}),
            ),
            (
                "design/ember-stage.md",
                json!({"id": "design/ember-stage", "title": "Stage as the status", "status": "implemented",
                       "status_raw": "released", "date": "2018-10-11", "authors": ["Ann Lee", "Bo Chen"]}),
            ),
            (
                "design/empty-header-table.md",
                json!({"id": "design/empty-header-table", "title": "A table with an empty header", "status": "draft",
                       "status_raw": "Draft", "date": "2022-02-02", "authors": ["Bo Chen"]}),
            ),
            (
                "design/feature-spec.md",
                json!({"id": "design/feature-spec", "title": "Records", "status": "accepted", "status_raw": "Accepted",
                       "authors": ["Cy Dee"]}),
            ),
        ],
    );
    let j = b.json();
    assert_eq!(
        by_source(&j, "adr/0004-replaced.md")["superseded_by"],
        json!(["ADR-0001"]),
        "replaced by is a relation"
    );
    assert!(warnings(&b, "unknown-status").is_empty(), "{}", b.stderr);
}
