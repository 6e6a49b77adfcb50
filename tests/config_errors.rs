//! Config mistakes are reported, never silent: each one a diagnostic on its `dossier.toml` line
//! with what to do, and an invalid value still exit 2.

mod common;
use common::*;
use serde_json::{Value, json};
use std::path::Path;

/// `dossier check DIR --format json [args]`: the exit code and the report.
fn check_json(dir: &Path, args: &[&str]) -> (i32, Value) {
    let o = dossier().arg("check").arg(dir).args(["--format", "json"]).args(args).output().unwrap();
    let report = serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
    });
    (o.status.code().unwrap_or(-1), report)
}

/// The diagnostics of `report` with `code`.
fn with_code(report: &Value, code: &str) -> Vec<Value> {
    report["diagnostics"].as_array().unwrap().iter().filter(|d| d["code"] == code).cloned().collect()
}

fn copied(name: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture(name), tmp.path());
    tmp
}

#[test]
fn missing_collection_path_silently_turned_adrs_into_pages() {
    let tmp = copied("config-missing-collection");
    let (code, report) = check_json(tmp.path(), &[]);
    assert_eq!(code, 0, "{report}");
    // The line of the second collection's `path`, not the first `path =` in the file.
    assert_eq!(
        with_code(&report, "missing-collection"),
        [json!({
            "severity": "warning",
            "code": "missing-collection",
            "path": "dossier.toml",
            "line": 8,
            "col": 1,
            "message": "collection path `architecture/adrs` does not exist: the adr collection has no documents, \
                        and files meant for it are read as plain pages",
            "help": "did you mean path = \"architecture/adr\"? paths are relative to the folder of dossier.toml",
        })]
    );
    let o = dossier().arg("check").arg(tmp.path()).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(
            "dossier.toml:8:1: warning[missing-collection]: collection path `architecture/adrs` does not exist"
        ),
        "{err}"
    );
    let (code, _) = check_json(tmp.path(), &["--strict"]);
    assert_eq!(code, 1);
}

#[test]
fn missing_collection_that_is_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("dossier.toml"), "[[collections]]\npath = \"adr.md\"\nkind = \"adr\"\n").unwrap();
    std::fs::write(tmp.path().join("adr.md"), "# Decisions\n").unwrap();
    let (code, report) = check_json(tmp.path(), &[]);
    assert_eq!(code, 0);
    let d = &with_code(&report, "missing-collection")[0];
    assert_eq!((d["line"].as_u64(), d["severity"].as_str()), (Some(2), Some("warning")));
    assert_eq!(
        d["message"],
        "collection path `adr.md` is not a folder: the adr collection has no documents, and files meant for it are \
         read as plain pages"
    );
    assert_eq!(d["help"], "create the folder, or correct `path`: it is relative to the folder of dossier.toml");
}

#[test]
fn duplicate_prefix_is_reported_on_the_second_prefix() {
    let tmp = copied("config-duplicate-prefix");
    let (code, report) = check_json(tmp.path(), &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(
        with_code(&report, "duplicate-prefix"),
        [json!({
            "severity": "warning",
            "code": "duplicate-prefix",
            "path": "dossier.toml",
            "line": 9,
            "col": 1,
            "message": "collections `rfcs` and `proposals` share the ID prefix `RFC`: `RFC-0001` would name two documents",
            "help": "give `proposals` its own prefix, e.g. prefix = \"PROPOSALS\"",
        })]
    );
    assert_eq!(report["warnings"], 1, "{report}");
}

#[test]
fn empty_source_folder_is_a_warning_with_help() {
    let tmp = copied("config-empty-source");
    let (code, report) = check_json(tmp.path(), &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["documents"], 0);
    assert_eq!(
        report["diagnostics"],
        json!([{
            "severity": "warning",
            "code": "empty-source",
            "path": ".",
            "line": 0,
            "col": 0,
            "message": format!("0 documents: the source folder `{}` holds no Markdown files", tmp.path().display()),
            "help": "dossier reads the .md and .markdown files under DIR (but in hidden folders, node_modules and \
                     target); pass the folder that holds them, e.g. `dossier build docs`",
        }])
    );
    // The build still succeeds (a warning), and fails under --strict.
    let b = build(&fixture("config-empty-source"), &[]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    assert!(b.stderr.contains(".: warning[empty-source]: 0 documents: the source folder"), "{}", b.stderr);
    let s = build(&fixture("config-empty-source"), &["--strict"]);
    assert_eq!(s.code, 1, "{}", s.stderr);
}

#[test]
fn theme_dir_without_templates_or_static_files() {
    let tmp = copied("config-empty-theme");
    let (code, report) = check_json(tmp.path(), &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(
        report["diagnostics"],
        json!([{
            "severity": "warning",
            "code": "empty-theme",
            "path": "dossier.toml",
            "line": 2,
            "col": 1,
            "message": "theme_dir `theme` has no files in templates/ or static/: the default theme is used unchanged",
            "help": "move templates into theme/templates/ (e.g. doc.html) and assets into theme/static/",
        }])
    );
    // Moved into templates/, the override applies and the warning is gone.
    std::fs::create_dir_all(tmp.path().join("theme/templates")).unwrap();
    std::fs::rename(tmp.path().join("theme/doc.html"), tmp.path().join("theme/templates/doc.html")).unwrap();
    let (_, report) = check_json(tmp.path(), &[]);
    assert_eq!(report["diagnostics"], json!([]));
}

#[test]
fn theme_dir_that_does_not_exist() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("dossier.toml"), "title = \"x\"\n\ntheme_dir = \"themes/mine\"\n").unwrap();
    std::fs::write(tmp.path().join("index.md"), "# Home\n").unwrap();
    let (code, report) = check_json(tmp.path(), &[]);
    assert_eq!(code, 0);
    let d = &with_code(&report, "empty-theme")[0];
    assert_eq!(d["line"], 3);
    assert_eq!(d["message"], "theme_dir `themes/mine` does not exist: the default theme is used");
    assert_eq!(
        d["help"],
        "create themes/mine/templates/ or themes/mine/static/ with the files to override, or remove theme_dir"
    );
}

#[test]
fn invalid_value_is_still_exit_2_and_speaks_the_format() {
    let tmp = copied("config-duplicate-prefix");
    std::fs::write(
        tmp.path().join("dossier.toml"),
        "[[collections]]\npath = \"rfcs\"\n\n[[collections]]\npath = \"proposals\"\nkind = \"blog\"\n",
    )
    .unwrap();
    let (code, report) = check_json(tmp.path(), &[]);
    assert_eq!(code, 2);
    // The `kind` of the second collection, by the parser's spans.
    assert_eq!(
        report["diagnostics"],
        json!([{
            "severity": "error",
            "code": "invalid-config",
            "path": "dossier.toml",
            "line": 6,
            "col": 1,
            "message": "unknown collection kind \"blog\" for `proposals`",
            "help": "use kind = \"adr\", \"design\" or \"page\"",
        }])
    );
    assert_eq!(report["errors"], 1);
    let o = dossier().arg("build").arg(tmp.path()).arg("-o").arg(tmp.path().join("out")).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("dossier.toml:6:1: error[invalid-config]: unknown collection kind")
    );
}

#[test]
fn theme_template_error_named_the_absolute_path() {
    let tmp = copied("config-empty-theme");
    std::fs::create_dir_all(tmp.path().join("theme/templates")).unwrap();
    std::fs::write(tmp.path().join("theme/templates/doc.html"), "{% if %}\n").unwrap();
    let out = tempfile::tempdir().unwrap();
    let o = dossier().arg("build").arg(tmp.path()).arg("-o").arg(out.path().join("site")).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.starts_with("theme/templates: error[invalid-config]: theme template failed to load"), "{err}");
}
