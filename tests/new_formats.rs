//! `dossier new` in each format and template variant (MADR 4 full, minimal and bare, MADR 3 and 2, log4brains,
//! Nygard/adr-tools, the design-doc template): a git repository with the collection and its
//! template, `init`, `new` with `--supersedes`/`--amends` by each kind of reference, then `check`
//! and `build`. The old and new files are compared byte for byte with tests/fixtures/authoring-expected.

mod common;
use common::*;
use serde_json::Value;
use std::path::Path;

fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let o = dossier().current_dir(dir).args(args).output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// A git repository holding a copy of the fixture, with a known author.
fn repo(name: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture(name), tmp.path());
    for args in
        [&["init", "-q"][..], &["config", "user.name", "Ada Lovelace"], &["config", "user.email", "ada@example.org"]]
    {
        let o = std::process::Command::new("git").current_dir(tmp.path()).args(args).output().unwrap();
        assert!(o.status.success(), "git {args:?}");
    }
    tmp
}

/// `check --format json`: every diagnostic as (code, path, line, message).
fn diagnostics(dir: &Path) -> (Value, Vec<(String, String, u64, String)>) {
    let o = dossier().arg("check").arg(dir).args(["--format", "json"]).output().unwrap();
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let list = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["path"].as_str().unwrap().to_string(),
                d["line"].as_u64().unwrap(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    (v, list)
}

/// The collection folder equals the expected files (today's date filled in), byte for byte.
fn assert_collection(dir: &Path, expected: &str) {
    let today = dossier::new::today();
    let want_dir = fixture("authoring-expected").join(expected);
    let mut want: Vec<(String, String)> = std::fs::read_dir(&want_dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().to_string_lossy().replace("TODAY", &today.replace('-', ""));
            let text = std::fs::read_to_string(e.path())
                .unwrap()
                .replace("{TODAY}", &today)
                .replace("{TODAY8}", &today.replace('-', ""));
            (name, text)
        })
        .collect();
    want.sort();
    let mut got: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (e.file_name().to_string_lossy().into_owned(), std::fs::read_to_string(e.path()).unwrap())
        })
        .collect();
    got.sort();
    let names = |v: &[(String, String)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&got), names(&want), "files in {expected}");
    for ((name, g), (_, w)) in got.iter().zip(&want) {
        assert_eq!(g, w, "{expected}/{name}");
    }
}

struct Case {
    fixture: &'static str,
    folder: &'static str,
    args: &'static [&'static str],
    new_file: &'static str,
    new_id: &'static str,
    superseded: &'static str,
    amended: Option<&'static str>,
    /// The placeholder warnings `check` gives for the new file: (line, placeholder).
    placeholders: &'static [(u64, &'static str)],
}

const CASES: &[Case] = &[
    Case {
        fixture: "madr4-full",
        folder: "docs/decisions",
        args: &["new", "adr", "Use Postgres", "--supersedes", "2"],
        new_file: "0003-use-postgres.md",
        new_id: "ADR-0003",
        superseded: "ADR-0002",
        amended: None,
        placeholders: &[
            (6, "{list everyone whose opinions are sought}"),
            (7, "{list everyone who is kept up-to-date on progress}"),
            (14, "{Describe the context and the problem in two or three sentences.}"),
            (19, "{decision driver 1}"),
            (24, "{title of option 1}"),
            (25, "{title of option 2}"),
            (29, "{title of option 1}"),
            (29, "{justification}"),
            (34, "{positive consequence}"),
            (35, "{negative consequence}"),
            (40, "{Further evidence, and links to related decisions.}"),
        ],
    },
    Case {
        fixture: "madr4-minimal",
        folder: "docs/decisions",
        args: &["new", "adr", "Use Postgres", "--supersedes", "ADR-0002"],
        new_file: "0003-use-postgres.md",
        new_id: "ADR-0003",
        superseded: "ADR-0002",
        amended: None,
        placeholders: &[
            (11, "{Describe the context and the problem in two or three sentences.}"),
            (15, "{title of option 1}"),
            (16, "{title of option 2}"),
            (20, "{title of option 1}"),
            (20, "{justification}"),
        ],
    },
    Case {
        fixture: "madr4-bare",
        folder: "docs/decisions",
        args: &["new", "adr", "Use Postgres", "--supersedes", "0002-use-rust.md"],
        new_file: "0003-use-postgres.md",
        new_id: "ADR-0003",
        superseded: "ADR-0002",
        amended: None,
        placeholders: &[],
    },
    Case {
        fixture: "madr3",
        folder: "docs/decisions",
        args: &["new", "adr", "Use Postgres", "--supersedes", "adr-0002", "--amends", "record-architecture-decisions"],
        new_file: "0003-use-postgres.md",
        new_id: "ADR-0003",
        superseded: "ADR-0002",
        amended: Some("ADR-0001"),
        placeholders: &[
            (6, "{list everyone whose opinions are sought}"),
            (7, "{list everyone who is kept up-to-date on progress}"),
            (15, "{Describe the context and the problem in two or three sentences.}"),
            (19, "{title of option 1}"),
            (20, "{title of option 2}"),
            (24, "{title of option 1}"),
            (24, "{justification}"),
        ],
    },
    Case {
        fixture: "madr2",
        folder: "docs/adr",
        args: &["new", "adr", "Use Postgres", "--supersedes", "./docs/adr/0002-use-rust.md", "--amends", "ADR-1"],
        new_file: "0003-use-postgres.md",
        new_id: "ADR-0003",
        superseded: "ADR-0002",
        amended: Some("ADR-0001"),
        placeholders: &[
            (7, "[description | ticket/issue URL]"),
            (11, "[Describe the context and the problem in two or three sentences.]"),
            (15, "[option 1]"),
            (16, "[option 2]"),
        ],
    },
    Case {
        fixture: "log4brains",
        folder: "docs/adr",
        args: &[
            "new",
            "adr",
            "Use Postgres",
            "--supersedes",
            "use-rust",
            "--amends",
            "20240115-record-architecture-decisions",
        ],
        new_file: "TODAY-use-postgres.md",
        new_id: "docs/adr/TODAY-use-postgres",
        superseded: "docs/adr/20240201-use-rust",
        amended: Some("docs/adr/20240115-record-architecture-decisions"),
        placeholders: &[
            (6, "[space and/or comma separated list of tags]"),
            (8, "[description | ticket/issue URL]"),
            (12, "[Describe the context and the problem in two or three sentences.]"),
            (16, "[option 1]"),
            (17, "[option 2]"),
        ],
    },
    Case {
        fixture: "nygard",
        folder: "doc/adr",
        args: &["new", "adr", "Use Postgres", "--supersedes", "doc/adr/0002-use-rust.md", "--amends", "1"],
        new_file: "0003-use-postgres.md",
        new_id: "ADR-0003",
        superseded: "ADR-0002",
        amended: Some("ADR-0001"),
        placeholders: &[],
    },
];

#[test]
fn new_fills_each_format_and_template_variant_and_updates_old_records() {
    let today8 = dossier::new::today().replace('-', "");
    for case in CASES {
        let tmp = repo(&format!("authoring-{}", case.fixture));
        let dir = tmp.path();
        let (code, _, err) = run(dir, &["init", "-q"]);
        assert_eq!(code, 0, "{}: {err}", case.fixture);
        let (code, out, err) = run(dir, case.args);
        assert_eq!(code, 0, "{}: {err}", case.fixture);
        let new_file = case.new_file.replace("TODAY", &today8);
        assert_eq!(out.trim(), format!("./{}/{new_file}", case.folder), "{}", case.fixture);
        assert_collection(&dir.join(case.folder), case.fixture);

        // `check` passes, and the only warnings are the placeholders the author still fills in.
        let (v, diags) = diagnostics(dir);
        assert_eq!(v["errors"], 0, "{}: {diags:?}", case.fixture);
        let new_rel = format!("{}/{new_file}", case.folder);
        let got: Vec<(u64, String)> = diags
            .iter()
            .map(|(code, path, line, msg)| {
                assert_eq!((code.as_str(), path.as_str()), ("template-placeholder", new_rel.as_str()), "{msg}");
                (*line, msg.clone())
            })
            .collect();
        let want: Vec<(u64, String)> =
            case.placeholders.iter().map(|(l, p)| (*l, format!("unfilled template placeholder `{p}`"))).collect();
        assert_eq!(got, want, "{}", case.fixture);

        // The built site reads the new record and the relations as written.
        let site = build(dir, &[]);
        let new_id = case.new_id.replace("TODAY", &today8);
        let n = site.doc(&new_id);
        assert_eq!(
            (n["title"].as_str(), n["status"].as_str(), n["date"].as_str()),
            (Some("Use Postgres"), Some("proposed"), Some(dossier::new::today().as_str())),
            "{}",
            case.fixture
        );
        // adr-tools' shape has no author field; the others get the git author.
        let authors =
            if case.fixture == "nygard" { serde_json::json!([]) } else { serde_json::json!(["Ada Lovelace"]) };
        assert_eq!(n["authors"], authors, "{}", case.fixture);
        assert_eq!(n["supersedes"], serde_json::json!([case.superseded]), "{}", case.fixture);
        let old = site.doc(case.superseded);
        assert_eq!((old["status"].as_str(), &old["superseded_by"]), (Some("superseded"), &serde_json::json!([new_id])));
        if let Some(a) = case.amended {
            assert_eq!(n["amends"], serde_json::json!([a]), "{}", case.fixture);
            let a = site.doc(a);
            assert_eq!((a["status"].as_str(), &a["amended_by"]), (Some("accepted"), &serde_json::json!([new_id])));
        }
        let page = site.read(&format!("{}index.html", n["url"].as_str().unwrap()));
        assert!(page.contains("Use Postgres") && !page.contains("short title"), "{}", case.fixture);
    }
}

#[test]
fn new_fills_the_design_doc_template() {
    let tmp = repo("authoring-design");
    let dir = tmp.path();
    assert_eq!(run(dir, &["init", "-q"]).0, 0);
    let (code, out, err) = run(dir, &["new", "design", "Cache Layer"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(out.trim(), "./design/cache-layer.md");
    assert_collection(&dir.join("design"), "design");
    let (v, diags) = diagnostics(dir);
    assert_eq!(v["errors"], 0, "{diags:?}");
    // Every warning is a placeholder of a section still to write, none on the lines dossier filled.
    assert!(
        diags.iter().all(|(c, p, line, _)| c == "template-placeholder" && p == "design/cache-layer.md" && *line >= 6)
    );
    assert_eq!(
        diags[0],
        (
            "template-placeholder".to_string(),
            "design/cache-layer.md".to_string(),
            6,
            "unfilled template placeholder `[Link to PRD, Epic, or Jira ticket]`".to_string()
        )
    );
    let site = build(dir, &[]);
    let d = site.doc("design/cache-layer");
    assert_eq!((d["title"].as_str(), d["status"].as_str()), (Some("Cache Layer"), Some("draft")));
    assert_eq!(d["authors"], serde_json::json!(["Ada Lovelace"]));
}

#[test]
fn new_by_a_reference_that_matches_nothing_or_no_title_explains() {
    let tmp = repo("authoring-log4brains");
    let dir = tmp.path();
    let (code, _, err) = run(dir, &["new", "adr", "X", "--supersedes", "7"]);
    assert_eq!(code, 2);
    assert!(err.contains("no decision in docs/adr/ matches \"7\"") && err.contains("slug"), "{err}");
    let (code, _, err) = run(dir, &["new", "adr"]);
    assert_eq!(code, 2);
    assert!(err.contains("needs a title, e.g. dossier new adr \""), "{err}");
    // Nothing was written.
    assert_eq!(tree(&dir.join("docs")), tree(&fixture("authoring-log4brains").join("docs")));
}

/// `new` against the real MADR and log4brains templates (a temporary copy of the corpora).
#[test]
fn new_fills_the_real_madr_and_log4brains_templates() {
    let Some(shared) = shared() else { return };
    for (corpus, folder, reference) in
        [("madr", "docs/decisions", "ADR-0005"), ("log4brains", "docs/adr", "20201103-use-lunr-for-search")]
    {
        let tmp = tempfile::tempdir().unwrap();
        copy_tree(&shared.join("corpora").join(corpus), tmp.path());
        let dir = tmp.path();
        let (_, before) = diagnostics(dir);
        let (code, out, err) = run(dir, &["new", "adr", "Use Postgres", "--supersedes", reference]);
        assert_eq!(code, 0, "{corpus}: {err}");
        let rel = out.trim().trim_start_matches("./").to_string();
        assert!(rel.starts_with(folder), "{rel}");
        let text = std::fs::read_to_string(dir.join(&rel)).unwrap();
        assert!(text.contains("\n# Use Postgres\n") || text.starts_with("# Use Postgres\n"), "{text}");
        assert!(!text.contains("short title") && !text.contains("YYYY-MM-DD"), "{text}");
        // Optional markers stay where they were.
        assert!(
            text.contains("<!-- This is an optional element. Feel free to remove. -->")
                || text.contains("<!-- optional -->")
        );
        // `check` gives what it gave before, plus only placeholder warnings for the new file.
        let (v, after) = diagnostics(dir);
        let added: Vec<_> = after.iter().filter(|d| !before.contains(d)).collect();
        assert!(added.iter().all(|(c, p, _, _)| c == "template-placeholder" && *p == rel), "{corpus}: {added:?}");
        assert_eq!(v["errors"].as_u64(), Some(before.iter().filter(|d| d.0 == "broken-link").count() as u64));
    }
}
