//! Structure lint: required sections per collection, unfilled template placeholders, and
//! accepted designs whose Open Questions still say TBD. Pure: a parsed document in, warnings out.

use crate::config::Collection;
use crate::diag::{Code, Diagnostic};
use crate::model::{Doc, Kind, Status};

/// The sections a collection requires when `dossier.toml` does not say.
pub fn default_sections(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Design => &["Problem Statement", "Goals", "Proposed Solution"],
        Kind::Adr => &["Context", "Decision"],
        Kind::Page => &[],
    }
}

/// Words that also satisfy a default section ("Decision Outcome" counts as Decision, an RFC's
/// "Motivation" as its Problem Statement).
fn synonyms(section: &str) -> &'static [&'static str] {
    match section.to_lowercase().as_str() {
        "problem statement" => &["problem", "motivation", "background", "context"],
        "goals" => &["goals", "objectives", "requirements"],
        "proposed solution" => &["solution", "proposal", "design", "approach"],
        "context" => &["context", "background", "problem", "motivation"],
        "decision" => &["decision", "outcome"],
        _ => &[],
    }
}

fn words(s: &str) -> String {
    s.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Whether some heading of `doc` matches the section name, loosely.
fn has_section(doc: &Doc, name: &str) -> bool {
    let want = words(name);
    let alternatives = synonyms(name);
    doc.headings.iter().any(|h| {
        let have = words(&h.text);
        have.contains(&want) || alternatives.iter().any(|a| have.split(' ').any(|w| w == *a))
    })
}

/// The structure warnings for one document.
pub fn check(doc: &Doc, collection: Option<&Collection>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if doc.is_template || doc.kind == Kind::Page {
        return out;
    }
    let required: Vec<String> = match collection.and_then(|c| c.required_sections.clone()) {
        Some(list) => list,
        None => default_sections(doc.kind).iter().map(|s| s.to_string()).collect(),
    };
    for name in &required {
        if !has_section(doc, name) {
            out.push(
                Diagnostic::new(
                    Code::MissingSection,
                    &doc.source,
                    doc.title_line,
                    1,
                    format!("missing section \"{name}\""),
                )
                .help(format!(
                    "add a `## {name}` section, or set required_sections for this collection in dossier.toml"
                )),
            );
        }
    }
    for p in &doc.placeholders {
        out.push(
            Diagnostic::new(
                Code::TemplatePlaceholder,
                &doc.source,
                p.line,
                p.col,
                format!("unfilled template placeholder `{}`", p.text),
            )
            .help("replace it with the real value, or delete it"),
        );
    }
    if let Some((line, col)) = doc.open_tbd
        && doc.kind == Kind::Design
        && matches!(doc.status, Status::Accepted | Status::Implemented)
    {
        out.push(
            Diagnostic::new(
                Code::OpenQuestions,
                &doc.source,
                line,
                col,
                format!("this design is {} but an open question is still TBD", doc.status.as_str()),
            )
            .help("answer the open questions, or set the status back to proposed"),
        );
    }
    out
}
