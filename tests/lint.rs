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

/// The warning lines (`path:line:col: warning[code]: message`) of `dossier check` on a copy of
/// the fixture, for the files whose path starts with `prefix`.
fn warnings_for(fixture_name: &str, prefix: &str) -> Vec<String> {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture(fixture_name), tmp.path());
    let o = dossier().arg("check").arg(tmp.path()).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(!err.contains("panicked"), "{err}");
    err.lines().filter(|l| l.contains(": warning[") && l.starts_with(prefix)).map(str::to_string).collect()
}

// Placeholders that are placeholders: each false positive below is text its template also has,
// so only the rule named by the test keeps it from being reported.

#[test]
fn citations_are_not_placeholders() {
    assert_eq!(warnings_for("lint-false-positives", "adr/0001-"), Vec::<String>::new());
}

#[test]
fn escaped_brackets_are_not_placeholders() {
    assert_eq!(warnings_for("lint-false-positives", "adr/0002-"), Vec::<String>::new());
}

#[test]
fn quoted_syntax_is_not_a_placeholder() {
    assert_eq!(warnings_for("lint-false-positives", "adr/0003-"), Vec::<String>::new());
}

#[test]
fn reference_links_are_not_placeholders() {
    assert_eq!(warnings_for("lint-false-positives", "adr/0004-"), Vec::<String>::new());
}

#[test]
fn a_link_with_a_space_before_its_url_is_a_malformed_link_not_a_placeholder() {
    assert_eq!(
        warnings_for("lint-false-positives", "adr/0005-"),
        [
            "adr/0005-link-with-a-space.md:11:6: warning[malformed-link]: `[the Option 1 notes] (https://example.org/notes)` is not a link: there is a space before its URL"
        ]
    );
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("lint-false-positives"), tmp.path());
    let o = dossier().arg("check").arg(tmp.path()).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    let at = err.find("warning[malformed-link]").unwrap();
    assert!(err[at..].lines().nth(1).unwrap().contains("help: remove the space between ] and ("), "{err}");
}

#[test]
fn placeholders_of_the_template_left_unfilled_still_warn() {
    assert_eq!(
        warnings_for("lint-false-positives", "adr/0006-"),
        [
            "adr/0006-unfilled.md:3:7: warning[template-placeholder]: unfilled template placeholder `[YYYY-MM-DD]`",
            "adr/0006-unfilled.md:4:9: warning[template-placeholder]: unfilled template placeholder `<ticket number>`",
            "adr/0006-unfilled.md:8:1: warning[template-placeholder]: unfilled template placeholder `{Proposed|Accepted|Superseded}`",
            "adr/0006-unfilled.md:12:1: warning[template-placeholder]: unfilled template placeholder `[Describe the context and the forces at play.]`",
            "adr/0006-unfilled.md:17:17: warning[template-placeholder]: unfilled template placeholder `{title of option 1}`",
            "adr/0006-unfilled.md:21:1: warning[template-placeholder]: unfilled template placeholder `TBD`",
        ],
        "the TBD and the citation of the Context section are not the template's"
    );
    // The template's <br> is HTML, not a placeholder: 0001 uses it too.
}

#[test]
fn bracketed_text_no_template_has_is_not_a_placeholder() {
    // No template in the collection: the placeholders are those of dossier's own templates,
    // which have no bracketed text; an unfilled status choice still warns.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(tmp.path().join("adr")).unwrap();
    std::fs::write(
        tmp.path().join("adr/0001-x.md"),
        "# 1. X\n\n## Status\n\n[Proposed | Accepted]\n\n## Context\n\nWe chose [Option 1] over [Some Name].\n\n## Decision\n\nY.\n",
    )
    .unwrap();
    let o = dossier().arg("check").arg(tmp.path()).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    let lines: Vec<&str> = err.lines().filter(|l| l.contains(": warning[")).collect();
    assert_eq!(
        lines,
        ["adr/0001-x.md:5:1: warning[template-placeholder]: unfilled template placeholder `[Proposed | Accepted]`"]
    );
}

// Structure lint that fits the team.

#[test]
fn missing_sections_come_from_the_collections_template_without_its_optional_ones() {
    // Drivers (MADR's comment), Follow-up (<!-- optional -->), Risks ("(optional)"), Rollback
    // ("This section is optional."), level-3 Details and the appendix's Cost are not required.
    // The template numbers its sections ("7. Outcome"), 0001 numbers them its own way ("3. Outcome").
    assert_eq!(
        warnings_for("lint-sections", "team/"),
        ["team/0002-no-outcome.md:1:1: warning[missing-section]: missing section \"Outcome\""]
    );
}

#[test]
fn missing_sections_of_the_design_doc_format() {
    // design/full/benchmarks.md is material attached to design/full.md: no sections required.
    assert_eq!(
        warnings_for("lint-sections", "design/"),
        ["design/no-goals.md:1:1: warning[missing-section]: missing section \"Goals\""]
    );
}

#[test]
fn missing_sections_of_the_nygard_format() {
    assert_eq!(
        warnings_for("lint-sections", "nygard/"),
        ["nygard/0002-no-decision.md:1:1: warning[missing-section]: missing section \"Decision\""]
    );
}

#[test]
fn a_madr_record_without_its_decision_outcome_still_warns() {
    // Its "Decision Drivers" is not the outcome.
    assert_eq!(
        warnings_for("lint-sections", "madr/"),
        ["madr/0002-no-outcome.md:1:1: warning[missing-section]: missing section \"Decision Outcome\""]
    );
}

#[test]
fn a_proposals_collection_following_no_format_gets_no_missing_section_warnings() {
    // Three of four proposals are Abstract/Background/Proposal; the fourth follows the
    // design-doc format (2 of 3 sections) but the collection does not.
    assert_eq!(warnings_for("lint-sections", "proposals/"), Vec::<String>::new());
}

#[test]
fn required_sections_in_dossier_toml_win_over_the_template() {
    assert_eq!(
        warnings_for("lint-sections", "configured/"),
        ["configured/0001-configured.md:1:1: warning[missing-section]: missing section \"Rationale\""]
    );
}

#[test]
fn a_repository_that_uses_its_own_template_gets_no_structure_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("lint-own-template"), tmp.path());
    let o = dossier().arg("check").arg(tmp.path()).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    // 0003 names its sections in other words: Abstract, Background, Design Overview, Open Issues.
    assert!(err.contains("checked 3 documents: 0 errors, 0 warnings"), "{err}");
}

/// `(source, message)` of the structure warnings (`missing-section`, `template-placeholder`)
/// of `dossier check` on a temporary copy of a shared corpus, with the copy's path.
fn corpus_structure_warnings(name: &str) -> Option<(tempfile::TempDir, Vec<(String, String)>)> {
    let src = shared()?.join("corpora").join(name);
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&src, tmp.path());
    let o = dossier().arg("check").arg(tmp.path()).output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(!err.contains("panicked"), "{err}");
    let found = err
        .lines()
        .filter(|l| l.contains("warning[missing-section]") || l.contains("warning[template-placeholder]"))
        .map(|l| (l.split(':').next().unwrap().to_string(), l.split_once("]: ").unwrap().1.to_string()))
        .collect();
    Some((tmp, found))
}

/// Whether the file has a Markdown heading naming `section` (case aside) — an independent check
/// that a reported section is really missing.
fn has_heading(path: &std::path::Path, section: &str) -> bool {
    let mut text = std::fs::read_to_string(path).unwrap().to_lowercase();
    // Headings commented out are not headings.
    while let Some(start) = text.find("<!--") {
        let end = text[start..].find("-->").map_or(text.len(), |e| start + e + 3);
        text.replace_range(start..end, "");
    }
    text.lines().any(|l| l.trim_start().starts_with('#') && l.contains(&section.to_lowercase()))
}

#[test]
fn swift_evolution_without_a_template_and_following_no_format_gets_no_structure_warnings() {
    let Some((_tmp, found)) = corpus_structure_warnings("swift-evolution") else { return };
    assert_eq!(found, Vec::<(String, String)>::new());
}

#[test]
fn tensorflow_rfcs_warn_only_about_sections_of_their_own_template_that_are_really_missing() {
    let Some((tmp, found)) = corpus_structure_warnings("tensorflow-rfcs") else { return };
    // yyyymmdd-rfc-template.md: "Detailed Design" says "This section is optional."; the
    // level-3 headings under Design Proposal are not top-level sections.
    let template = ["Objective", "Motivation", "User Benefit", "Design Proposal", "Questions and Discussion Topics"];
    assert!(!found.is_empty());
    for (source, message) in &found {
        let section = message.strip_prefix("missing section \"").and_then(|m| m.strip_suffix('"'));
        let section = section.unwrap_or_else(|| panic!("{source}: {message}"));
        assert!(template.contains(&section), "{source}: {message}");
        assert!(!has_heading(&tmp.path().join(source), section), "{source} has a {section} heading");
    }
}

#[test]
fn kotlin_keep_warns_only_in_stdlib_proposals_about_their_templates_sections() {
    let Some((tmp, found)) = corpus_structure_warnings("kotlin-keep") else { return };
    // proposals/stdlib/TEMPLATE.md governs its folder; the language proposals beside it follow
    // no format. Its appendix ("# Appendix: Questions to consider") is not required.
    let text = std::fs::read_to_string(tmp.path().join("proposals/stdlib/TEMPLATE.md")).unwrap();
    for (source, message) in &found {
        assert!(source.starts_with("proposals/stdlib/"), "{source}: {message}");
        let section = message.strip_prefix("missing section \"").and_then(|m| m.strip_suffix('"')).unwrap();
        assert!(text.contains(&format!("\n## {section}\n")), "{source}: {message}");
        assert!(!["Naming", "Contracts", "Shape"].contains(&section), "{source}: {message}");
        assert!(!has_heading(&tmp.path().join(source), section), "{source} has a {section} heading");
    }
}

#[test]
fn a_template_in_a_templates_folder_governs_the_folder_above() {
    // adr-tools' layout: doc/adr/templates/template.md; Review is no Nygard section, so only the
    // template can require it.
    assert_eq!(
        warnings_for("lint-sections", "tools/"),
        ["tools/0002-not-reviewed.md:1:1: warning[missing-section]: missing section \"Review\""]
    );
}
