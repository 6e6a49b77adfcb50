//! Structure lint that fits the team: the sections a collection requires (`required_sections`,
//! else its own template's, else those of the format its documents follow), the placeholders
//! its template ships and a document left unfilled, accepted designs whose Open Questions
//! still say TBD, and links written with a space before the URL. Pure: documents and template
//! texts in, warnings out.

mod template;

use crate::config::Collection;
use crate::diag::{Code, Diagnostic};
use crate::model::{Doc, Kind, RawMention, Status};
use std::collections::BTreeMap;
use std::path::Path;
pub use template::{Placeholders, required as template_sections};

/// A known document format: the sections that identify it and those it requires.
#[derive(Debug)]
pub struct Format {
    pub name: &'static str,
    /// A document follows the format when it has at least half of these, by name.
    pub signature: &'static [&'static str],
    pub required: &'static [&'static str],
}

/// The formats, most specific first: a document follows the first one it matches.
pub const FORMATS: &[Format] = &[
    Format {
        name: "MADR",
        signature: &["Context and Problem Statement", "Considered Options", "Decision Outcome", "Decision Drivers"],
        required: &["Context and Problem Statement", "Decision Outcome"],
    },
    Format {
        name: "Nygard",
        signature: &["Status", "Context", "Decision", "Consequences"],
        required: &["Context", "Decision"],
    },
    Format {
        name: "design-doc",
        signature: &["Problem Statement", "Goals", "Proposed Solution"],
        required: &["Problem Statement", "Goals", "Proposed Solution"],
    },
];

/// Headings that also satisfy a section of that name ("Motivation" for a Problem Statement,
/// "Open Issues" for Unresolved Questions).
fn synonyms(section: &str) -> &'static [&'static str] {
    match words(section).as_str() {
        "problem statement" => &["problem", "motivation", "background", "context"],
        "goals" => &["goal", "objective", "requirement"],
        "proposed solution" | "design proposal" => &["solution", "proposal", "design", "approach"],
        "context" => &["context", "background", "problem", "motivation"],
        "decision" => &["decision", "outcome"],
        "motivation" => &["background", "rationale", "context", "problem"],
        "objective" | "summary" | "abstract" => &["objective", "summary", "abstract", "overview", "introduction"],
        "unresolved questions" | "open questions" | "questions and discussion topics" => {
            &["questions", "open issues", "unresolved issues"]
        }
        "alternatives" | "alternatives considered" => &["alternative", "rejected"],
        _ => &[],
    }
}

/// Lower-case words of `s`, joined by single spaces.
pub(crate) fn words(s: &str) -> String {
    s.to_lowercase().split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

const STOP_WORDS: &[&str] = &["a", "an", "and", "the", "of", "for", "to", "in", "on", "or", "with"];

/// The significant words of a heading, singular ("Goals" → "goal"), without numbering
/// ("2. Context" → "context").
fn stems(s: &str) -> Vec<String> {
    words(s)
        .split(' ')
        .filter(|w| !w.is_empty() && !STOP_WORDS.contains(w) && !w.chars().all(|c| c.is_ascii_digit()))
        .map(|w| if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") { &w[..w.len() - 1] } else { w })
        .map(str::to_string)
        .collect()
}

fn contains_all(have: &[String], want: &[String]) -> bool {
    !want.is_empty() && want.iter().all(|w| have.contains(w))
}

/// Whether some heading (given by its stems) names the section (all of its words), as a format's
/// sections are recognised.
fn names_section(heading_stems: &[Vec<String>], name: &str) -> bool {
    let want = stems(name);
    heading_stems.iter().any(|h| contains_all(h, &want))
}

/// Whether some heading of `doc` matches the section loosely: it has the section's words, the
/// section has all of its words ("Alternatives" for "Alternatives Considered"), or it has one
/// of the section's synonyms.
fn has_section(doc: &Doc, name: &str) -> bool {
    let want = stems(name);
    let alternatives: Vec<Vec<String>> = synonyms(name).iter().map(|a| stems(a)).collect();
    doc.headings.iter().any(|h| {
        let have = stems(&h.text);
        contains_all(&have, &want) || contains_all(&want, &have) || alternatives.iter().any(|a| contains_all(&have, a))
    })
}

/// The format a document follows: the first whose signature sections it has at least half of.
pub fn doc_format(doc: &Doc) -> Option<usize> {
    // Each heading's stems once, not once per signature section.
    let hs: Vec<Vec<String>> = doc.headings.iter().map(|h| stems(&h.text)).collect();
    FORMATS.iter().position(|f| 2 * f.signature.iter().filter(|s| names_section(&hs, s)).count() >= f.signature.len())
}

/// The format a collection follows: the one most (more than half) of its documents follow.
pub fn collection_format(docs: &[&Doc]) -> Option<usize> {
    let mut counts = [0usize; FORMATS.len()];
    for f in docs.iter().filter_map(|d| doc_format(d)) {
        counts[f] += 1;
    }
    let (best, n) = counts.iter().enumerate().max_by_key(|(i, n)| (**n, std::cmp::Reverse(*i)))?;
    (2 * n > docs.len()).then_some(best)
}

/// A collection's template, read before the parse.
#[derive(Debug, Clone)]
pub struct Template {
    pub source: String,
    /// The folder it governs, relative to the source folder: its own, or the one above a
    /// `templates/` folder (adr-tools' `doc/adr/templates/template.md`).
    pub dir: String,
    pub collection: Option<usize>,
    pub required: Vec<String>,
    pub placeholders: Placeholders,
    hash: u64,
}

impl Template {
    pub fn new(source: &str, collection: Option<usize>, text: &str) -> Template {
        let mut dir = source.rsplit_once('/').map_or("", |(d, _)| d);
        let last = dir.rsplit('/').next().unwrap_or(dir).to_lowercase();
        if last.contains("template") {
            dir = dir.rsplit_once('/').map_or("", |(d, _)| d);
        }
        Template {
            source: source.to_string(),
            dir: dir.to_string(),
            collection,
            required: template::required(text),
            placeholders: Placeholders::of(text),
            hash: crate::fx_hash(text),
        }
    }
}

/// The templates of every collection, and those `dossier new` ships (for collections without one).
#[derive(Debug, Clone)]
pub struct Templates {
    list: Vec<Template>,
    shipped: Placeholders,
}

impl Templates {
    pub fn new(list: Vec<Template>) -> Templates {
        Templates { list, shipped: Placeholders::of(&crate::new::shipped_templates()) }
    }

    /// Reads the template files (`rel`, absolute path, collection); an unreadable one is left out
    /// (the parse stage reports it).
    pub fn read<'a>(files: impl Iterator<Item = (&'a str, &'a Path, Option<usize>)>) -> Templates {
        let list = files
            .filter_map(|(rel, abs, c)| std::fs::read_to_string(abs).ok().map(|t| Template::new(rel, c, &t)))
            .collect();
        Templates::new(list)
    }

    /// The templates that govern a document: those of its collection in the innermost folder
    /// above it.
    pub fn governing(&self, source: &str, collection: Option<usize>) -> Vec<&Template> {
        let above = |t: &&Template| {
            t.collection == collection
                && collection.is_some()
                && (t.dir.is_empty() || source.starts_with(&format!("{}/", t.dir)))
        };
        let depth = self.list.iter().filter(above).map(|t| t.dir.len()).max();
        self.list.iter().filter(above).filter(|t| Some(t.dir.len()) == depth).collect()
    }

    /// A hash of what the lint of one document depends on (for the parse cache).
    pub fn fingerprint(&self, source: &str, collection: Option<usize>) -> u64 {
        let hashes: Vec<(&str, u64)> =
            self.governing(source, collection).iter().map(|t| (t.source.as_str(), t.hash)).collect();
        crate::fx_hash(&hashes)
    }
}

/// The per-document warnings: placeholders its template ships, left unfilled, and open
/// questions still TBD in an accepted design. `raw` is the document's text.
pub fn check(doc: &Doc, raw: &str, templates: &Templates) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    if doc.is_template || doc.kind == Kind::Page {
        return out;
    }
    for p in placeholders(doc, raw, templates) {
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

/// The placeholders of `doc` that are placeholders: an unfilled status choice, bracketed text
/// its template (else a shipped one) has, and the template's angle and curly tokens and
/// `TBD`/`TODO` (in a section where the template writes them) found in its text.
fn placeholders(doc: &Doc, raw: &str, templates: &Templates) -> Vec<RawMention> {
    let governing = templates.governing(&doc.source, doc.collection);
    let sets: Vec<&Placeholders> = if governing.is_empty() {
        vec![&templates.shipped]
    } else {
        governing.iter().map(|t| &t.placeholders).collect()
    };
    let none = BTreeMap::new();
    let status = if doc.placeholders.is_empty() { Vec::new() } else { status_lines(raw) };
    let choice = |p: &RawMention| status.contains(&p.line) && crate::parse::meta::is_status_choice(&p.text, &none);
    let mut found: Vec<RawMention> =
        doc.placeholders.iter().filter(|p| choice(p) || sets.iter().any(|s| s.has_bracket(&p.text))).cloned().collect();
    let taken: Vec<u32> = found.iter().map(|p| p.line).collect();
    found.extend(tokens_in(raw, &sets).into_iter().filter(|p| !taken.contains(&p.line)));
    found.sort_by_key(|p| (p.line, p.col));
    found.dedup_by_key(|p| (p.line, p.col));
    found
}

/// The lines (from 1) that state a status: a `Status` key, or a line of the Status section.
fn status_lines(raw: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let mut in_status = false;
    for l in template::prose_lines(raw) {
        if let Some((_, name, _)) = l.heading() {
            in_status = words(&name) == "status";
            continue;
        }
        if in_status || l.text.to_lowercase().contains("status") {
            out.push(l.index as u32 + 1);
        }
    }
    out
}

/// The template tokens (`<number>`, `{title of option 1}`, `TBD`) in the prose of `raw`, outside
/// code and the Open Questions section (the `open-questions` rule owns that).
fn tokens_in(raw: &str, sets: &[&Placeholders]) -> Vec<RawMention> {
    let mut out = Vec::new();
    // Most documents hold none of the template's tokens: skip the line-by-line pass for them.
    let any_token = sets.iter().flat_map(|s| &s.tokens).any(|t| raw.contains(t.as_str()));
    let any_tbd = sets.iter().any(|s| !s.tbd_sections.is_empty()) && (raw.contains("TBD") || raw.contains("TODO"));
    if !any_token && !any_tbd {
        return out;
    }
    let mut section = String::new();
    for l in template::prose_lines(raw) {
        if let Some((_, name, _)) = l.heading() {
            section = words(&name);
        }
        if ["open questions", "open issues", "unresolved questions"].contains(&section.as_str()) {
            continue;
        }
        let line = l.index as u32 + 1;
        let col = |byte: usize| l.text[..byte].chars().count() as u32 + 1;
        for t in sets.iter().flat_map(|s| &s.tokens) {
            for (at, _) in l.text.match_indices(t.as_str()) {
                out.push(RawMention { text: t.clone(), line, col: col(at) });
            }
        }
        if sets.iter().any(|s| s.tbd_sections.contains(&section))
            && let Some(c) = template::has_tbd(&l.text)
        {
            let word: String = l.text.chars().skip(c).take_while(|c| c.is_alphanumeric()).collect();
            out.push(RawMention { text: word, line, col: c as u32 + 1 });
        }
    }
    out
}

/// Where a collection's required sections come from.
enum Rule<'a> {
    Config,
    Template(&'a Template),
    Format(&'static Format),
}

/// The `missing-section` warnings of every collection: `required_sections` when set, else
/// the governing template's sections, else those of the format the collection follows (none
/// when it follows none).
pub fn structure(docs: &[Doc], collections: &[Collection], templates: &Templates) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (ci, c) in collections.iter().enumerate() {
        let documents: std::collections::HashSet<&str> = docs.iter().map(|d| d.source.as_str()).collect();
        let members: Vec<&Doc> = docs
            .iter()
            .filter(|d| d.collection == Some(ci) && !d.is_template && d.kind != Kind::Page)
            .filter(|d| !is_attachment(&d.source, &documents))
            .collect();
        if let Some(list) = &c.required_sections {
            for d in &members {
                out.extend(missing(d, list, &Rule::Config));
            }
            continue;
        }
        let (governed, free): (Vec<&Doc>, Vec<&Doc>) =
            members.iter().partition(|d| !templates.governing(&d.source, d.collection).is_empty());
        for d in governed {
            out.extend(against_templates(d, &templates.governing(&d.source, d.collection)));
        }
        if let Some(f) = collection_format(&free) {
            let format = &FORMATS[f];
            let list: Vec<String> = format.required.iter().map(|s| s.to_string()).collect();
            for d in &free {
                out.extend(missing(d, &list, &Rule::Format(format)));
            }
        }
    }
    out
}

/// A file in a document's own folder (`rfcs/20200624-x/tutorial.md` beside `rfcs/20200624-x.md`):
/// material attached to that document, not a document with the collection's sections.
fn is_attachment(source: &str, documents: &std::collections::HashSet<&str>) -> bool {
    let mut dir = source.rsplit_once('/').map(|(d, _)| d);
    while let Some(d) = dir {
        if documents.contains(format!("{d}.md").as_str()) {
            return true;
        }
        dir = d.rsplit_once('/').map(|(p, _)| p);
    }
    false
}

/// The warnings of a document against the template (of several in one folder) it misses the
/// fewest sections of.
fn against_templates(doc: &Doc, governing: &[&Template]) -> Vec<Diagnostic> {
    governing.iter().map(|t| missing(doc, &t.required, &Rule::Template(t))).min_by_key(Vec::len).unwrap_or_default()
}

fn missing(doc: &Doc, required: &[String], rule: &Rule<'_>) -> Vec<Diagnostic> {
    required
        .iter()
        .filter(|name| !has_section(doc, name))
        .map(|name| {
            let help = match rule {
                Rule::Config => format!("add a `## {name}` section, or change required_sections for this collection in dossier.toml"),
                Rule::Template(t) => format!(
                    "add a `## {name}` section: the collection's template {} has it (mark it `<!-- optional -->` there when documents may leave it out)",
                    t.source
                ),
                Rule::Format(f) => format!(
                    "add a `## {name}` section: this collection's documents follow the {} format, which has it; or set required_sections for this collection in dossier.toml",
                    f.name
                ),
            };
            Diagnostic::new(Code::MissingSection, &doc.source, doc.title_line, 1, format!("missing section \"{name}\""))
                .help(help)
        })
        .collect()
}

/// `malformed-link`: `[text] (url)`, which Markdown does not read as a link.
/// A link whose scheme a page may not link to (issue 20): shown as text.
pub fn unsafe_url(rel: &str, m: &RawMention) -> Diagnostic {
    Diagnostic::new(
        Code::UnsafeUrl,
        rel,
        m.line,
        m.col,
        format!("`{}` is shown as text, not a link: only http, https, mailto and relative URLs are linked", m.text),
    )
    .help("link to an http(s) or mailto URL or a relative path")
}

pub fn malformed_link(rel: &str, m: &RawMention) -> Diagnostic {
    Diagnostic::new(
        Code::MalformedLink,
        rel,
        m.line,
        m.col,
        format!("`{}` is not a link: there is a space before its URL", m.text),
    )
    .help("remove the space between ] and (")
}
