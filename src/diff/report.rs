//! `dossier diff`'s output: text for a terminal, Markdown for a pull-request comment (with
//! links to the pages when `base_url` is known) and JSON. Pure: strings in, strings out.

use super::{Compared, Diff, DocState, RelationChange};
use crate::diag::Diagnostic;
use serde_json::json;

/// The first line of the Markdown report: the workflow finds its own comment by it.
pub const MARKER: &str = "<!-- dossier-diff -->";

/// How the pieces of a report read, in either format.
struct Lines {
    added: Vec<String>,
    removed: Vec<String>,
    renamed: Vec<String>,
    status: Vec<String>,
    titles: Vec<String>,
    relations: Vec<String>,
}

/// One line per change; `name` writes a document's name (a link in Markdown).
fn lines(diff: &Diff, name: &dyn Fn(&DocState) -> String, code: &dyn Fn(&str) -> String) -> Lines {
    Lines {
        added: diff.added.iter().map(|d| format!("{}{}", name(d), status_of(d))).collect(),
        removed: diff.removed.iter().map(|d| format!("{}{}", name(d), status_of(d))).collect(),
        renamed: diff
            .renamed
            .iter()
            .map(|r| format!("{}: {} → {}", name(&r.doc), code(&r.from), code(&r.doc.path)))
            .collect(),
        status: diff.status.iter().map(|c| format!("{}: {} → {}", name(&c.doc), c.from, c.to)).collect(),
        titles: diff.titles.iter().map(|c| format!("{}: “{}” → “{}”", c.doc.id, c.from, c.to)).collect(),
        relations: diff.relations.iter().map(relation_line).collect(),
    }
}

/// ` (accepted)`, or nothing for a document without a status (a plain page).
fn status_of(d: &DocState) -> String {
    match (&d.status_raw, d.status) {
        (None, crate::model::Status::Unknown) => String::new(),
        (Some(raw), crate::model::Status::Unknown) => format!(" ({})", raw.trim().to_lowercase()),
        (_, s) => format!(" ({})", s.as_str()),
    }
}

/// `ADR-0042 now supersedes ADR-0012` / `ADR-0042 no longer amends ADR-0003`.
fn relation_line(c: &RelationChange) -> String {
    let r = &c.relation;
    match c.change {
        "added" => format!("{} now {} {}", r.from, r.kind, r.to),
        _ => format!("{} no longer {} {}", r.from, r.kind, r.to),
    }
}

fn severity(d: &Diagnostic) -> &'static str {
    d.severity.as_str()
}

/// `error[broken-link] docs/adr/0002-x.md:7: message`.
fn diagnostic_line(d: &Diagnostic) -> String {
    format!("{}[{}] {}:{}: {}", severity(d), d.code.as_str(), d.path, d.line, d.message)
}

/// ``error `broken-link` at `docs/adr/0002-x.md:7`: message``.
fn diagnostic_markdown(d: &Diagnostic) -> String {
    format!("{} `{}` at `{}:{}`: {}", severity(d), d.code.as_str(), d.path, d.line, d.message)
}

/// The counts in one sentence: `2 added, 1 status change, 1 new error`.
pub fn summary(diff: &Diff) -> String {
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let new_errors = diff.new_errors();
    let new_warnings = diff.new_diagnostics.len() - new_errors;
    let parts = [
        (diff.added.len(), plural(diff.added.len(), "added", "added")),
        (diff.removed.len(), plural(diff.removed.len(), "removed", "removed")),
        (diff.renamed.len(), plural(diff.renamed.len(), "renamed", "renamed")),
        (diff.status.len(), plural(diff.status.len(), "status change", "status changes")),
        (diff.titles.len(), plural(diff.titles.len(), "title change", "title changes")),
        (diff.relations.len(), plural(diff.relations.len(), "relation change", "relation changes")),
        (new_errors, plural(new_errors, "new error", "new errors")),
        (new_warnings, plural(new_warnings, "new warning", "new warnings")),
        (diff.fixed_diagnostics.len(), plural(diff.fixed_diagnostics.len(), "problem fixed", "problems fixed")),
    ];
    let said: Vec<String> = parts.into_iter().filter(|(n, _)| *n > 0).map(|(_, s)| s).collect();
    if said.is_empty() { "no changes to the knowledge base".to_string() } else { said.join(", ") }
}

/// Sections in order: heading, lines.
fn sections(l: Lines, diff: &Diff, problem: fn(&Diagnostic) -> String) -> Vec<(&'static str, Vec<String>)> {
    vec![
        ("Added", l.added),
        ("Removed", l.removed),
        ("Renamed", l.renamed),
        ("Status changes", l.status),
        ("Title changes", l.titles),
        ("Relations", l.relations),
        ("New problems", diff.new_diagnostics.iter().map(problem).collect()),
        ("Fixed problems", diff.fixed_diagnostics.iter().map(problem).collect()),
    ]
}

/// For a terminal.
pub fn text(c: &Compared) -> String {
    let mut out = format!("dossier diff: {} → {}: {}\n", c.base.label(), c.head.label(), summary(&c.diff));
    let l = lines(&c.diff, &|d| format!("{} {}", d.id, d.title), &|p| p.to_string());
    for (heading, items) in sections(l, &c.diff, diagnostic_line) {
        if items.is_empty() {
            continue;
        }
        out.push_str(&format!("\n{heading}:\n"));
        for i in items {
            out.push_str(&format!("  {i}\n"));
        }
    }
    out
}

/// For a pull-request comment: the marker, a heading, the summary, then a list per section.
/// Documents link to their pages when `base_url` is set.
pub fn markdown(c: &Compared) -> String {
    let base_url = c.base_url.as_deref().map(|u| u.trim_end_matches('/').to_string());
    let name = |d: &DocState| {
        let label = format!("{} {}", d.id, escape(&d.title));
        match &base_url {
            Some(u) => format!("[{label}]({u}/{})", d.url),
            None => format!("**{label}**"),
        }
    };
    let code = |p: &str| format!("`{p}`");
    let mut out = format!(
        "{MARKER}\n### Knowledge base changes\n\n{} (from {} to {}).\n",
        capitalise(&summary(&c.diff)),
        c.base.label(),
        c.head.label()
    );
    for (heading, items) in sections(lines(&c.diff, &name, &code), &c.diff, diagnostic_markdown) {
        if items.is_empty() {
            continue;
        }
        out.push_str(&format!("\n**{heading}**\n\n"));
        for i in items {
            out.push_str(&format!("- {i}\n"));
        }
    }
    out.push_str("\n<sub>Written by `dossier diff`.</sub>\n");
    out
}

/// Markdown's inline specials in a title, escaped.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        if matches!(ch, '[' | ']' | '*' | '_' | '`' | '<' | '>' | '\\' | '|') {
            out.push('\\');
        }
        out.push(ch);
    }
    out
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|f| f.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// For tools: both revisions, the summary and every change.
pub fn json(c: &Compared) -> String {
    let rev = |r: &super::Rev| match r {
        super::Rev::Commit { name, commit } => json!({ "name": name, "commit": commit }),
        super::Rev::WorkTree => json!({ "name": "work tree", "commit": null }),
    };
    let d = &c.diff;
    let v = json!({
        "base": rev(&c.base),
        "head": rev(&c.head),
        "summary": summary(d),
        "added": d.added,
        "removed": d.removed,
        "renamed": d.renamed,
        "status": d.status,
        "titles": d.titles,
        "relations": d.relations,
        "diagnostics": { "new": d.new_diagnostics, "fixed": d.fixed_diagnostics },
    });
    serde_json::to_string_pretty(&v).unwrap_or_default() + "\n"
}
