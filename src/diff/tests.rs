use super::*;
use crate::diag::Code;

fn doc(id: &str, path: &str, title: &str, status: Status) -> DocState {
    DocState {
        id: id.into(),
        title: title.into(),
        kind: Kind::Adr,
        status,
        status_raw: None,
        path: path.into(),
        url: format!("{}/", path.trim_end_matches(".md")),
    }
}

fn rel(from: &str, kind: &'static str, to: &str) -> Relation {
    Relation { from: from.into(), kind, to: to.into() }
}

#[test]
fn added_removed_and_status_changes() {
    let base = Side {
        docs: vec![
            doc("ADR-0001", "adr/0001-a.md", "A", Status::Proposed),
            doc("ADR-0002", "adr/0002-b.md", "B", Status::Accepted),
        ],
        ..Side::default()
    };
    let head = Side {
        docs: vec![
            doc("ADR-0001", "adr/0001-a.md", "A", Status::Accepted),
            doc("ADR-0003", "adr/0003-c.md", "C", Status::Proposed),
        ],
        ..Side::default()
    };
    let d = compare(&base, &head, &[]);
    assert_eq!(d.added.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), ["ADR-0003"]);
    assert_eq!(d.removed.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(), ["ADR-0002"]);
    assert_eq!(d.status.len(), 1);
    assert_eq!((d.status[0].from.as_str(), d.status[0].to.as_str()), ("proposed", "accepted"));
    assert!(d.renamed.is_empty() && d.titles.is_empty());
}

#[test]
fn renames_pair_by_git_or_by_id() {
    let base = Side {
        docs: vec![
            doc("ADR-0001", "adr/0001-a.md", "A", Status::Accepted),
            doc("ADR-0002", "adr/0002-b.md", "B", Status::Accepted),
        ],
        ..Side::default()
    };
    let head = Side {
        docs: vec![
            doc("ADR-0001", "adr/0001-a-new.md", "A2", Status::Accepted),
            doc("ADR-0009", "adr/0009-b.md", "B", Status::Accepted),
        ],
        ..Side::default()
    };
    // Git saw 0002 → 0009 (renumbered); 0001's rename is found by its ID.
    let d = compare(&base, &head, &[("adr/0002-b.md".into(), "adr/0009-b.md".into())]);
    assert!(d.added.is_empty() && d.removed.is_empty(), "{d:?}");
    let renamed: Vec<(&str, &str)> = d.renamed.iter().map(|r| (r.from.as_str(), r.doc.path.as_str())).collect();
    assert_eq!(renamed, [("adr/0001-a.md", "adr/0001-a-new.md"), ("adr/0002-b.md", "adr/0009-b.md")]);
    assert_eq!(d.titles.len(), 1);
    assert_eq!((d.titles[0].from.as_str(), d.titles[0].to.as_str()), ("A", "A2"));
}

#[test]
fn relations_are_compared_whichever_side_states_them() {
    let base = Side { relations: [rel("ADR-0002", "amends", "ADR-0001")].into(), ..Side::default() };
    let head = Side {
        relations: [rel("ADR-0003", "supersedes", "ADR-0001"), rel("ADR-0002", "amends", "ADR-0001")].into(),
        ..Side::default()
    };
    let d = compare(&base, &head, &[]);
    assert_eq!(d.relations.len(), 1);
    assert_eq!(d.relations[0].change, "added");
    assert_eq!(report::summary(&d), "1 relation change");
    let back = compare(&head, &base, &[]);
    assert_eq!(back.relations[0].change, "removed");
}

#[test]
fn a_problem_moved_by_an_edit_is_neither_new_nor_fixed() {
    let at = |path: &str, line, msg: &str| Diagnostic::new(Code::BrokenLink, path, line, 1, msg);
    let base = Side { diagnostics: vec![at("adr/0001-a.md", 4, "x"), at("adr/0002-b.md", 9, "y")], ..Side::default() };
    let head = Side { diagnostics: vec![at("adr/0001-a.md", 7, "x"), at("adr/0001-a.md", 8, "z")], ..Side::default() };
    let d = compare(&base, &head, &[]);
    assert_eq!(d.new_diagnostics.iter().map(|d| d.message.as_str()).collect::<Vec<_>>(), ["z"]);
    assert_eq!(d.fixed_diagnostics.iter().map(|d| d.message.as_str()).collect::<Vec<_>>(), ["y"]);
    assert_eq!(d.new_errors(), 1);
}

#[test]
fn a_problem_in_a_renamed_file_follows_it() {
    let at = |path: &str| Diagnostic::new(Code::BrokenLink, path, 3, 1, "x");
    let base = Side {
        docs: vec![doc("ADR-0001", "adr/0001-a.md", "A", Status::Accepted)],
        diagnostics: vec![at("adr/0001-a.md")],
        ..Side::default()
    };
    let head = Side {
        docs: vec![doc("ADR-0001", "adr/0001-b.md", "A", Status::Accepted)],
        diagnostics: vec![at("adr/0001-b.md")],
        ..Side::default()
    };
    let d = compare(&base, &head, &[("adr/0001-a.md".into(), "adr/0001-b.md".into())]);
    assert!(d.new_diagnostics.is_empty() && d.fixed_diagnostics.is_empty(), "{d:?}");
}

#[test]
fn an_unknown_status_is_compared_as_written() {
    let mut a = doc("ADR-0001", "a.md", "A", Status::Unknown);
    a.status_raw = Some("Parked".into());
    let mut b = a.clone();
    b.status_raw = Some("Revisit".into());
    let d = compare(&Side { docs: vec![a], ..Side::default() }, &Side { docs: vec![b], ..Side::default() }, &[]);
    assert_eq!((d.status[0].from.as_str(), d.status[0].to.as_str()), ("parked", "revisit"));
}
