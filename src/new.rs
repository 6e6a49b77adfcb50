//! `dossier new adr|design "Title"`: a new document in the right collection, with the next
//! number (or today's date prefix), filling the collection's own template in its format;
//! `--supersedes`/`--amends` also update the older record in its format. Never overwrites a file.

use crate::build;
use crate::config::Collection;
use crate::discover;
use crate::model::Kind;
use crate::parse::meta::{file_name, normalize_status};
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

pub mod fill;

/// The ADR formats dossier can write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Nygard,
    Madr,
    Log4brains,
}

/// What to create.
#[derive(Clone, Debug)]
pub struct Options {
    pub root: PathBuf,
    pub kind: Kind,
    pub title: String,
    /// Decisions this one supersedes: numbers, IDs, slugs, file names or paths.
    pub supersedes: Vec<String>,
    /// Decisions this one amends, named the same ways.
    pub amends: Vec<String>,
    pub status: Option<String>,
    pub format: Option<Format>,
    pub collection: Option<String>,
    /// `YYYY-MM-DD`.
    pub today: String,
    pub author: Option<String>,
}

/// What was written.
#[derive(Debug)]
pub struct Created {
    pub path: PathBuf,
    /// The older records updated by `--supersedes` and `--amends`, with the verb.
    pub updated: Vec<(PathBuf, &'static str)>,
}

/// Why nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum NewError {
    #[error("{0}")]
    Usage(String),
    #[error("{0}")]
    Refused(String),
}

/// Today's date (UTC), `YYYY-MM-DD`.
pub fn today() -> String {
    jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date().to_string()
}

/// The author from `git config user.name`, when git knows one.
pub fn git_author(root: &Path) -> Option<String> {
    let out = std::process::Command::new("git").arg("-C").arg(root).args(["config", "user.name"]).output().ok()?;
    let name = String::from_utf8_lossy(&out.stdout).trim().to_string();
    (out.status.success() && !name.is_empty()).then_some(name)
}

/// A file-name slug of a title: lower-case words joined by `-`, at most 60 characters.
pub fn slug(title: &str) -> String {
    let s = crate::render::slugify(title);
    if s == "-" {
        return String::new();
    }
    s.chars().take(60).collect::<String>().trim_end_matches('-').to_string()
}

/// Detects the ADR format of a document from its text.
pub fn detect_format(text: &str) -> Option<Format> {
    if text.starts_with("---") || text.starts_with("+++") {
        return Some(Format::Madr);
    }
    let head: Vec<&str> = text.lines().take(40).collect();
    if head.iter().any(|l| {
        l.trim_start().to_lowercase().starts_with("- status:") || l.trim_start().to_lowercase().starts_with("* status:")
    }) {
        return Some(Format::Log4brains);
    }
    if head.iter().any(|l| l.trim().eq_ignore_ascii_case("## status")) {
        return Some(Format::Nygard);
    }
    None
}

/// The collection's members of the wanted kind, as (path relative to the root, text).
struct Members {
    texts: Vec<(String, String)>,
    template: Option<String>,
}

fn members(found: &discover::Discovered, coll_path: &str, collection: Option<&Collection>, opts: &Options) -> Members {
    let in_coll = |s: &discover::SourceFile| s.collection.is_some_and(|c| found.collections[c].path == coll_path);
    let texts = found
        .sources
        .iter()
        .filter(|s| in_coll(s) && s.kind == opts.kind && !s.is_template)
        .filter_map(|s| std::fs::read_to_string(&s.abs).ok().map(|t| (s.rel.clone(), t)))
        .collect();
    let dir = opts.root.join(coll_path);
    // The configured template, else a template file discovery found directly in the folder.
    let configured = collection.and_then(|c| c.template.as_ref()).map(|t| dir.join(t)).filter(|p| p.is_file());
    let beside = || {
        found
            .sources
            .iter()
            .find(|s| {
                s.is_template && s.rel.rsplit_once('/').map_or("", |(d, _)| d) == coll_path && s.rel.ends_with(".md")
            })
            .map(|s| s.abs.clone())
    };
    let template = configured.or_else(beside).and_then(|p| std::fs::read_to_string(p).ok());
    Members { texts, template }
}

/// Creates the document (and updates the records it supersedes or amends).
pub fn run(opts: &Options) -> Result<Created, NewError> {
    if opts.title.trim().is_empty() {
        return Err(NewError::Usage(
            "the title is empty; write it in quotes, e.g. dossier new adr \"Use Postgres for storage\"".into(),
        ));
    }
    let (config, _) = build::load_config(&opts.root).map_err(|e| NewError::Usage(format!("dossier.toml: {e}")))?;
    let found = discover::discover(&opts.root, &config, &[]);
    let (coll_path, collection) = pick_collection(&found.collections, opts)?;
    let dir = opts.root.join(&coll_path);
    let m = members(&found, &coll_path, collection, opts);
    let status_word = status_word(opts, &config)?;
    let prefix = collection.and_then(|c| c.prefix.clone()).filter(|p| !p.is_empty()).unwrap_or_else(|| "ADR".into());
    let stems: Vec<String> = m.texts.iter().map(|(rel, _)| stem(rel)).collect();
    let date_named =
        !stems.is_empty() && stems.iter().filter(|s| file_name(s).date.is_some()).count() * 2 > stems.len();
    let number = stems.iter().filter_map(|s| file_name(s).number).max().unwrap_or(0) + 1;
    let slug = slug(&opts.title);
    if slug.is_empty() {
        return Err(NewError::Usage("the title has no letters or digits to name the file after".into()));
    }
    let olds = resolve_all(opts, &m.texts, &coll_path, &prefix)?;
    let format = opts
        .format
        .or_else(|| majority(m.texts.iter().filter_map(|(_, t)| detect_format(t))))
        .unwrap_or(if date_named { Format::Log4brains } else { Format::Nygard });
    let file = match opts.kind {
        Kind::Design => format!("{slug}.md"),
        _ if date_named => format!("{}-{slug}.md", opts.today.replace('-', "")),
        _ => format!("{number:04}-{slug}.md"),
    };
    let relations: Vec<fill::Relation> = olds.iter().map(|o| relation(o, &prefix)).collect();
    let status = if opts.kind == Kind::Design { status_word.clone() } else { status_text(format, &status_word) };
    let values = fill::Values {
        title: opts.title.trim(),
        number: (opts.kind == Kind::Adr && format == Format::Nygard && !date_named).then_some(number),
        status: &status,
        date: &opts.today,
        author: opts.author.as_deref(),
        relations: &relations,
    };
    let template = m.template.clone().unwrap_or_else(|| match opts.kind {
        Kind::Design => DESIGN_DOC.to_string(),
        _ => builtin_adr(format, opts.author.is_some()),
    });
    let content = fill::fill(&template, &values);
    let path = dir.join(&file);
    write_new(&dir, &path, &content)?;
    let new_ref = NewRef {
        id: (!date_named).then(|| format!("{prefix}-{number:04}")),
        text: if format == Format::Nygard && !date_named {
            format!("{number}. {}", opts.title.trim())
        } else {
            opts.title.trim().to_string()
        },
        file: file.clone(),
    };
    let updated = update_olds(opts, &olds, &new_ref)?;
    Ok(Created { path, updated })
}

/// The status to start with: `--status` if it is one dossier knows, else draft or proposed.
fn status_word(opts: &Options, config: &crate::config::Config) -> Result<String, NewError> {
    let word = opts
        .status
        .clone()
        .unwrap_or_else(|| if opts.kind == Kind::Design { "Draft".into() } else { "Proposed".into() });
    if normalize_status(&word, &config.statuses).status.is_none() {
        return Err(NewError::Usage(format!(
            "unknown status \"{word}\"; use draft, proposed, accepted, implemented, rejected, deprecated or superseded"
        )));
    }
    Ok(word)
}

/// An older record named by `--supersedes` or `--amends`.
struct Old {
    rel: String,
    text: String,
    verb: &'static str,
}

/// The new record as the old ones refer to it.
struct NewRef {
    id: Option<String>,
    text: String,
    file: String,
}

fn relation(o: &Old, prefix: &str) -> fill::Relation {
    let file = o.rel.rsplit('/').next().unwrap_or(&o.rel).to_string();
    let number = file_name(&stem(&o.rel)).number;
    let title = title_of(&o.text);
    let nygard = detect_format(&o.text) == Some(Format::Nygard);
    fill::Relation {
        verb: o.verb,
        id: number.map_or_else(|| file.clone(), |n| format!("{prefix}-{n:04}")),
        text: match number {
            Some(n) if nygard => format!("{n}. {title}"),
            _ => title,
        },
        file,
    }
}

fn resolve_all(
    opts: &Options,
    texts: &[(String, String)],
    coll_path: &str,
    prefix: &str,
) -> Result<Vec<Old>, NewError> {
    if (!opts.supersedes.is_empty() || !opts.amends.is_empty()) && opts.kind != Kind::Adr {
        return Err(NewError::Usage("--supersedes and --amends are for decisions (dossier new adr)".into()));
    }
    let named = opts.supersedes.iter().map(|r| (r, "Supersedes")).chain(opts.amends.iter().map(|r| (r, "Amends")));
    let mut olds: Vec<Old> = Vec::new();
    for (reference, verb) in named {
        let i = resolve(reference, texts, &opts.root, coll_path, prefix)?;
        if olds.iter().any(|o| o.rel == texts[i].0) {
            return Err(NewError::Usage(format!("{} is named twice", texts[i].0)));
        }
        olds.push(Old { rel: texts[i].0.clone(), text: texts[i].1.clone(), verb });
    }
    Ok(olds)
}

/// The index of the record `reference` names: a number (`1`, `0001`), an ID (`ADR-0001`), a
/// slug (`use-postgres`), a file stem (`20200926-use-postgres`), a file name or a path.
fn resolve(
    reference: &str,
    texts: &[(String, String)],
    root: &Path,
    coll_path: &str,
    prefix: &str,
) -> Result<usize, NewError> {
    let r = reference.trim();
    let number = id_number(r, prefix);
    let as_path = crate::config::clean_rel_path(r);
    let abs = std::fs::canonicalize(r).ok();
    let matches: Vec<usize> = (0..texts.len())
        .filter(|&i| {
            let rel = &texts[i].0;
            let file = rel.rsplit('/').next().unwrap_or(rel);
            let st = stem(rel);
            let name = file_name(&st);
            number.is_some_and(|n| name.number == Some(n))
                || file == r
                || st == r
                || (!name.slug.is_empty() && name.slug == r)
                || *rel == as_path
                || abs.as_ref().is_some_and(|a| std::fs::canonicalize(root.join(rel)).ok().as_ref() == Some(a))
        })
        .collect();
    match matches.as_slice() {
        [one] => Ok(*one),
        [] => Err(NewError::Usage(format!(
            "no decision in {}/ matches \"{r}\"; name it by number (1), ID ({prefix}-0001), slug, file name or path",
            if coll_path.is_empty() { "." } else { coll_path }
        ))),
        many => Err(NewError::Usage(format!(
            "\"{r}\" matches several decisions: {}; name one by its file name",
            many.iter().map(|&i| texts[i].0.as_str()).collect::<Vec<_>>().join(", ")
        ))),
    }
}

/// The number in `12`, `0012`, `ADR-0012` or `adr-12` (the collection's prefix, any case).
fn id_number(r: &str, prefix: &str) -> Option<u32> {
    let digits = match r.rsplit_once('-') {
        Some((p, d)) if p.eq_ignore_ascii_case(prefix) || p.eq_ignore_ascii_case("adr") => d,
        Some(_) => return None,
        None => r,
    };
    (!digits.is_empty() && digits.len() <= 7 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

fn write_new(dir: &Path, path: &Path, content: &str) -> Result<(), NewError> {
    std::fs::create_dir_all(dir).map_err(|e| NewError::Refused(format!("cannot create {}: {e}", dir.display())))?;
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            NewError::Refused(format!(
                "{} already exists; dossier never overwrites a document (choose another title)",
                path.display()
            ))
        } else {
            NewError::Refused(format!("cannot create {}: {e}", path.display()))
        }
    })?;
    f.write_all(content.as_bytes()).map_err(|e| NewError::Refused(format!("cannot write {}: {e}", path.display())))
}

fn update_olds(opts: &Options, olds: &[Old], new: &NewRef) -> Result<Vec<(PathBuf, &'static str)>, NewError> {
    let mut updated = Vec::new();
    for o in olds {
        let key_id = new.id.clone().unwrap_or_else(|| new.file.clone());
        let marked = if o.verb == "Supersedes" {
            mark_superseded(&o.text, &key_id, &new.text, &new.file)
        } else {
            Some(mark_amended(&o.text, &key_id, &new.text, &new.file))
        };
        let marked = marked.ok_or_else(|| {
            NewError::Refused(format!("{} has no status to mark as superseded; edit it by hand", o.rel))
        })?;
        let old_path = opts.root.join(&o.rel);
        std::fs::write(&old_path, marked).map_err(|e| NewError::Refused(format!("cannot update {}: {e}", o.rel)))?;
        updated.push((old_path, if o.verb == "Supersedes" { "superseded" } else { "amended" }));
    }
    Ok(updated)
}

fn stem(rel: &str) -> String {
    let f = rel.rsplit('/').next().unwrap_or(rel);
    f.rsplit_once('.').map_or(f, |(s, _)| s).to_string()
}

fn majority(formats: impl Iterator<Item = Format>) -> Option<Format> {
    let mut counts: BTreeMap<u8, (usize, Format)> = BTreeMap::new();
    for f in formats {
        let key = f as u8;
        counts.entry(key).or_insert((0, f)).0 += 1;
    }
    counts.into_values().max_by_key(|(n, _)| *n).map(|(_, f)| f)
}

/// The title of a document (first H1, number prefix removed).
fn title_of(text: &str) -> String {
    text.lines()
        .find_map(|l| l.strip_prefix("# "))
        .map(|t| crate::parse::meta::strip_title_prefix(t.trim()))
        .unwrap_or_else(|| "previous decision".into())
}

fn pick_collection<'a>(
    collections: &'a [Collection],
    opts: &Options,
) -> Result<(String, Option<&'a Collection>), NewError> {
    if let Some(p) = &opts.collection {
        let p = crate::config::clean_rel_path(p);
        return Ok((p.clone(), collections.iter().find(|c| c.path == p)));
    }
    let of_kind: Vec<&Collection> = collections.iter().filter(|c| c.kind == opts.kind).collect();
    match of_kind.as_slice() {
        [one] => Ok((one.path.clone(), Some(one))),
        [] => Err(NewError::Usage(format!(
            "no {} collection here; name its folder with --collection (e.g. --collection {}) or run `dossier init`",
            if opts.kind == Kind::Adr { "decision" } else { "design-doc" },
            if opts.kind == Kind::Adr { "docs/adr" } else { "docs/design" }
        ))),
        many => Err(NewError::Usage(format!(
            "several collections could hold it: {}; choose one with --collection",
            many.iter().map(|c| c.path.as_str()).collect::<Vec<_>>().join(", ")
        ))),
    }
}

fn status_text(format: Format, status: &str) -> String {
    match format {
        Format::Nygard => {
            let mut c = status.chars();
            c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
        }
        _ => status.to_lowercase(),
    }
}

/// dossier's own template in each format, filled like a collection's template.
fn builtin_adr(format: Format, with_author: bool) -> String {
    match format {
        Format::Nygard => "# NUMBER. TITLE\n\nDate: DATE\n\n## Status\n\nSTATUS\n\n\
             ## Context\n\nWhat is the issue that we're seeing that is motivating this decision or change?\n\n\
             ## Decision\n\nWhat is the change that we're proposing and/or doing?\n\n\
             ## Consequences\n\nWhat becomes easier or more difficult to do because of this change?\n"
            .to_string(),
        Format::Madr => format!(
            "---\nstatus: STATUS\ndate: DATE\n{}---\n# TITLE\n\n## Context and Problem Statement\n\n\
             Describe the context and the problem in two or three sentences.\n\n\
             ## Considered Options\n\n* The option we chose\n* An alternative\n\n\
             ## Decision Outcome\n\nChosen option: \"The option we chose\", because it meets the decision drivers best.\n\n\
             ### Consequences\n\n* Good, because …\n* Bad, because …\n",
            if with_author { "decision-makers: AUTHOR\n" } else { "" }
        ),
        Format::Log4brains => format!(
            "# TITLE\n\n- Status: STATUS\n- Date: DATE\n{}\n## Context and Problem Statement\n\n\
             Describe the context and the problem in two or three sentences.\n\n\
             ## Decision Outcome\n\nChosen option: the one that meets the decision drivers best.\n",
            if with_author { "- Deciders: AUTHOR\n" } else { "" }
        ),
    }
}

/// The text of every template `dossier new` writes (design doc, Nygard, MADR, log4brains), for
/// the lint stage: with no template of its own, a collection's placeholders are those of these.
pub fn shipped_templates() -> String {
    let mut out = DESIGN_DOC.to_string();
    for f in [Format::Nygard, Format::Madr, Format::Log4brains] {
        out.push_str(&builtin_adr(f, true));
    }
    out
}

/// dossier's own design-doc template (the shape of `design-doc-template.md`, short prompts).
const DESIGN_DOC: &str = "# Technical Design: TITLE\n\n**Date:** DATE\n**Author:** Unknown\n**Status:** STATUS\n**Context:** the ticket, epic or PRD this design answers\n\n\
## Problem Statement\n\nWhat hurts, for whom, and why it matters now.\n\n\
## Goals\n\n- A specific, measurable outcome.\n\n\
## Non-Goals\n\n- What this design deliberately leaves out.\n\n\
## Proposed Solution\n\n### Architecture Overview\n\nThe shape of the solution, in a diagram or a few paragraphs.\n\n\
### Alternatives Considered\n\n| Approach | Pros | Cons | Decision |\n|---|---|---|---|\n| The chosen one | … | … | Chosen |\n\n\
### Security Considerations\n\nWho may do what, and how that is enforced.\n\n\
### Performance Considerations\n\nExpected load and the latency that matters.\n\n\
### Rollout Plan\n\nPhases, success criteria and how to roll back.\n\n\
## Open Questions\n\n1. **Q:** Anything still undecided?\n   **A:** To be discussed in review.\n\n\
## Success Metrics\n\n- How we will know this worked.\n\n\
## References\n\n- Related ADRs: none yet.\n";

/// The old decision's text with its status marked as superseded by the new one, in its own
/// format: the front matter `status` key, a status bullet, bold key or table row, or the Status
/// section's paragraph. Every other byte stays. `None` when it states no status dossier can find.
pub fn mark_superseded(text: &str, new_id: &str, new_text: &str, new_file: &str) -> Option<String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    if let Some(end) = front_matter_end(&lines) {
        let new_line = format!("status: {}\n", fill::yaml_str(&format!("superseded by {new_id}")));
        match (1..end).find(|&i| lines[i].starts_with("status:")) {
            Some(i) => out[i] = new_line,
            None => out.insert(end, new_line),
        }
        return Some(out.concat());
    }
    let link = format!("[{new_text}]({new_file})");
    if let Some((i, keep)) = status_line(&lines) {
        let eol = &lines[i][lines[i].trim_end().len()..];
        let comment = lines[i][keep.len().min(lines[i].len())..]
            .find("<!--")
            .map_or(String::new(), |c| format!(" {}", lines[i][keep.len() + c..].trim_end()));
        out[i] = format!("{keep}superseded by {link}{comment}{eol}");
        if keep.trim_start().starts_with('|') {
            out[i] = format!("{keep}superseded by {link} |{eol}");
        }
        return Some(out.concat());
    }
    let (start, end) = status_paragraph(&lines)?;
    let mut out: Vec<String> = lines[..start].iter().map(|l| l.to_string()).collect();
    out.push(format!("Superseded by {link}\n"));
    out.extend(lines[end..].iter().map(|l| l.to_string()));
    Some(out.concat())
}

/// The old decision's text with an "amended by" relation added in its own format: an
/// `amended-by` front matter key, a line in the Status section, or a bullet in its Links
/// section (a new Links section at the end when it has none). Its status stays.
pub fn mark_amended(text: &str, new_id: &str, new_text: &str, new_file: &str) -> String {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    if let Some(end) = front_matter_end(&lines) {
        match (1..end).find(|&i| lines[i].starts_with("amended-by:")) {
            Some(i) => {
                let v = lines[i]["amended-by:".len()..].trim();
                let items = v.trim_start_matches('[').trim_end_matches(']').trim();
                out[i] = format!("amended-by: [{items}, {}]\n", fill::yaml_str(new_id));
            }
            None => out.insert(end, format!("amended-by: {}\n", fill::yaml_str(new_id))),
        }
        return out.concat();
    }
    let link = format!("[{new_text}]({new_file})");
    if status_line(&lines).is_none()
        && let Some((_, end)) = status_paragraph(&lines)
    {
        out.insert(end, format!("\nAmended by {link}\n"));
        return out.concat();
    }
    let marker = fill::bullet_marker(text);
    let links = lines.iter().position(|l| {
        l.strip_prefix("## ")
            .is_some_and(|h| crate::parse::markdown::strip_comments(h).trim().eq_ignore_ascii_case("links"))
    });
    match links {
        Some(h) => {
            let at = if lines.get(h + 1).is_some_and(|l| l.trim().is_empty()) { h + 2 } else { h + 1 };
            out.insert(at.min(out.len()), format!("{marker} Amended by {link}\n"));
        }
        None => {
            if !text.ends_with('\n') {
                out.push("\n".into());
            }
            out.push(format!("\n## Links\n\n{marker} Amended by {link}\n"));
        }
    }
    out.concat()
}

/// The index of the closing fence of YAML front matter.
fn front_matter_end(lines: &[&str]) -> Option<usize> {
    if lines.first().is_some_and(|l| l.trim_end() == "---") {
        return lines.iter().skip(1).position(|l| l.trim_end() == "---").map(|i| i + 1);
    }
    None
}

/// A status line before the first `##` heading (`- Status: …`, `**Status:** …`, `Status: …`,
/// `| Status | … |`): its index and the text before the value.
fn status_line(lines: &[&str]) -> Option<(usize, String)> {
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_end();
        if t.starts_with("## ") {
            return None;
        }
        if t.trim_start().starts_with('|') {
            let cells: Vec<&str> = t.trim().trim_matches('|').split('|').collect();
            if cells.len() >= 2 && crate::parse::meta::norm_key(cells[0].trim().trim_matches('*')) == "status" {
                return Some((i, format!("|{}| ", cells[0])));
            }
            continue;
        }
        let indent = t.len() - t.trim_start().len();
        let marker = ["- ", "* ", "+ "].iter().find(|m| t[indent..].starts_with(**m)).map_or(0, |m| m.len());
        let start = indent + marker;
        if let Some(kv) = crate::parse::meta::key_value(&t[start..])
            && crate::parse::meta::norm_key(kv.key) == "status"
        {
            return Some((i, t[..start + kv.value_offset].to_string()));
        }
    }
    None
}

/// The first paragraph of the `## Status` section: its first line and the line after it.
fn status_paragraph(lines: &[&str]) -> Option<(usize, usize)> {
    let h = lines.iter().position(|l| l.trim().eq_ignore_ascii_case("## status"))?;
    let start = (h + 1..lines.len()).find(|&i| !lines[i].trim().is_empty())?;
    let end = (start..lines.len()).find(|&i| lines[i].trim().is_empty()).unwrap_or(lines.len());
    Some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("Use Postgres: for storage!"), "use-postgres-for-storage");
        assert_eq!(slug("  Über   café "), "über-café");
    }

    #[test]
    fn formats_are_detected() {
        assert_eq!(detect_format("---\nstatus: accepted\n---\n# X\n"), Some(Format::Madr));
        assert_eq!(detect_format("# X\n\n- Status: accepted\n"), Some(Format::Log4brains));
        assert_eq!(detect_format("# 1. X\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n"), Some(Format::Nygard));
        assert_eq!(detect_format("# X\n\nText.\n"), None);
    }

    #[test]
    fn references_by_number_id_slug_file_and_stem() {
        let texts = vec![
            ("docs/adr/0001-use-x.md".to_string(), String::new()),
            ("docs/adr/20200926-use-y.md".to_string(), String::new()),
        ];
        let r = |s: &str| resolve(s, &texts, Path::new("/nonexistent"), "docs/adr", "ADR").ok();
        for s in ["1", "0001", "ADR-0001", "adr-1", "use-x", "0001-use-x.md", "docs/adr/0001-use-x.md"] {
            assert_eq!(r(s), Some(0), "{s}");
        }
        for s in ["20200926-use-y", "use-y", "20200926-use-y.md"] {
            assert_eq!(r(s), Some(1), "{s}");
        }
        assert_eq!(r("2"), None);
    }

    #[test]
    fn marks_superseded_in_each_format() {
        let m = mark_superseded("---\nstatus: accepted\ndate: 2020-01-01\n---\n# X\n", "ADR-0002", "2. Y", "0002-y.md")
            .unwrap();
        assert_eq!(m, "---\nstatus: superseded by ADR-0002\ndate: 2020-01-01\n---\n# X\n");
        let m = mark_superseded(
            "# X\n\n- Status: accepted <!-- optional -->\n- Date: 2020\n",
            "ADR-0002",
            "Y",
            "0002-y.md",
        )
        .unwrap();
        assert_eq!(m, "# X\n\n- Status: superseded by [Y](0002-y.md) <!-- optional -->\n- Date: 2020\n");
        let m = mark_superseded("# X\n\n**Status:** Accepted\n", "ADR-0002", "Y", "0002-y.md").unwrap();
        assert_eq!(m, "# X\n\n**Status:** superseded by [Y](0002-y.md)\n");
        let m = mark_superseded("# 1. X\n\n## Status\n\nAccepted\n\n## Context\n", "ADR-0002", "2. Y", "0002-y.md")
            .unwrap();
        assert_eq!(m, "# 1. X\n\n## Status\n\nSuperseded by [2. Y](0002-y.md)\n\n## Context\n");
        assert!(mark_superseded("# X\n\nno status\n", "ADR-0002", "2. Y", "f.md").is_none());
    }

    #[test]
    fn marks_amended_in_each_format() {
        let m = mark_amended("---\nstatus: accepted\n---\n# X\n", "ADR-0002", "Y", "0002-y.md");
        assert_eq!(m, "---\nstatus: accepted\namended-by: ADR-0002\n---\n# X\n");
        let m = mark_amended("# 1. X\n\n## Status\n\nAccepted\n\n## Context\n", "ADR-0002", "2. Y", "0002-y.md");
        assert_eq!(m, "# 1. X\n\n## Status\n\nAccepted\n\nAmended by [2. Y](0002-y.md)\n\n## Context\n");
        let m = mark_amended("# X\n\n- Status: accepted\n\n## Links\n\n- a\n", "ADR-0002", "Y", "0002-y.md");
        assert_eq!(m, "# X\n\n- Status: accepted\n\n## Links\n\n- Amended by [Y](0002-y.md)\n- a\n");
        let m = mark_amended("# X\n\n- Status: accepted\n", "ADR-0002", "Y", "0002-y.md");
        assert_eq!(m, "# X\n\n- Status: accepted\n\n## Links\n\n- Amended by [Y](0002-y.md)\n");
    }
}
