//! Structure lint: required sections, template placeholders and open questions, each at its
//! position, and nothing on a clean document.

mod common;
use common::*;

#[test]
fn each_rule_fires_at_its_position_and_not_on_clean_documents() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("lint"), tmp.path());
    let o = dossier().arg("check").arg(tmp.path()).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "lint findings are warnings");
    let err = String::from_utf8_lossy(&o.stderr);
    let lines: Vec<&str> = err.lines().filter(|l| l.contains(": warning[")).collect();
    assert_eq!(
        lines,
        [
            "adr/0002-unfinished.md:1:1: warning[missing-section]: missing section \"Decision\"",
            "adr/0002-unfinished.md:3:7: warning[template-placeholder]: unfilled template placeholder `[YYYY-MM-DD]`",
            "adr/0002-unfinished.md:11:10: warning[template-placeholder]: unfilled template placeholder `[Option 1]`",
            "design/accepted-with-tbd.md:4:13: warning[template-placeholder]: unfilled template placeholder `[Name]`",
            "design/accepted-with-tbd.md:22:8: warning[open-questions]: this design is accepted but an open question is still TBD",
            "rfcs/0001-configured.md:1:1: warning[missing-section]: missing section \"Motivation\"",
        ]
    );
    assert!(!err.contains("0001-clean.md") && !err.contains("draft-with-tbd.md"), "{err}");
    // The same findings as pull-request annotations.
    let o = dossier().arg("check").arg(tmp.path()).args(["--format", "github", "--strict"]).output().unwrap();
    assert_eq!(o.status.code(), Some(1), "--strict fails on them");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("::warning file=design/accepted-with-tbd.md,line=22,col=8,title=open-questions::"), "{out}");
    assert!(out.contains("::warning file=adr/0002-unfinished.md,line=3,col=7,title=template-placeholder::"), "{out}");
}

#[test]
fn templates_are_not_linted() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("adr")).unwrap();
    std::fs::write(tmp.path().join("adr/template.md"), "# [short title of solved problem]\n\nDate: [YYYY-MM-DD]\n")
        .unwrap();
    let o = dossier().arg("check").arg(tmp.path()).output().unwrap();
    assert!(String::from_utf8_lossy(&o.stderr).contains("0 errors, 0 warnings"));
}
