//! `dossier new adr|design "Title"`: a new document in the right collection, with the next
//! number (or today's date prefix), in the collection's own format; `--supersedes N` also marks
//! the old decision as superseded in its format. Never overwrites a file.

use crate::build;
use crate::config::Collection;
use crate::discover;
use crate::model::Kind;
use crate::parse::meta::{file_name, normalize_status};
use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

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
    pub supersedes: Option<u32>,
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
    /// The superseded document, when `--supersedes` updated one.
    pub updated: Option<PathBuf>,
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

/// Creates the document (and updates the superseded one).
pub fn run(opts: &Options) -> Result<Created, NewError> {
    if opts.title.trim().is_empty() {
        return Err(NewError::Usage("the title is empty".into()));
    }
    let (config, _) = build::load_config(&opts.root).map_err(|e| NewError::Usage(format!("dossier.toml: {e}")))?;
    let found = discover::discover(&opts.root, &config, &[]);
    let (coll_path, collection) = pick_collection(&found.collections, opts)?;
    let dir = opts.root.join(&coll_path);
    let members: Vec<&discover::SourceFile> = found
        .sources
        .iter()
        .filter(|s| s.collection.is_some_and(|c| found.collections[c].path == coll_path) && s.kind == opts.kind)
        .collect();
    let texts: Vec<(String, String)> =
        members.iter().filter_map(|s| std::fs::read_to_string(&s.abs).ok().map(|t| (s.rel.clone(), t))).collect();
    let status_word = opts
        .status
        .clone()
        .unwrap_or_else(|| if opts.kind == Kind::Design { "Draft".into() } else { "Proposed".into() });
    if normalize_status(&status_word, &config.statuses).status.is_none() {
        return Err(NewError::Usage(format!(
            "unknown status \"{status_word}\"; use draft, proposed, accepted, implemented, rejected, deprecated or superseded"
        )));
    }
    let prefix = collection.and_then(|c| c.prefix.clone()).unwrap_or_else(|| "ADR".into());
    let stems: Vec<String> = members.iter().map(|s| stem(&s.rel)).collect();
    let date_named =
        !stems.is_empty() && stems.iter().filter(|s| file_name(s).date.is_some()).count() * 2 > stems.len();
    let number = stems.iter().filter_map(|s| file_name(s).number).max().unwrap_or(0) + 1;
    let slug = slug(&opts.title);
    if slug.is_empty() {
        return Err(NewError::Usage("the title has no letters or digits to name the file after".into()));
    }

    // The superseded document, if any.
    let old = match opts.supersedes {
        None => None,
        Some(n) => {
            if opts.kind != Kind::Adr {
                return Err(NewError::Usage("--supersedes is for decisions (dossier new adr)".into()));
            }
            let found = texts.iter().find(|(rel, _)| file_name(&stem(rel)).number == Some(n));
            match found {
                Some((rel, text)) => Some((rel.clone(), text.clone())),
                None => return Err(NewError::Usage(format!("no decision number {n} in {coll_path}/"))),
            }
        }
    };

    let (file, content) = match opts.kind {
        Kind::Design => (format!("{slug}.md"), design_doc(opts, &status_word)),
        _ => {
            let format = opts
                .format
                .or_else(|| majority(texts.iter().filter_map(|(_, t)| detect_format(t))))
                .unwrap_or(if date_named { Format::Log4brains } else { Format::Nygard });
            let file = if date_named {
                format!("{}-{slug}.md", opts.today.replace('-', ""))
            } else {
                format!("{number:04}-{slug}.md")
            };
            let old_ref = old.as_ref().map(|(rel, text)| OldRef {
                file: rel.rsplit('/').next().unwrap_or(rel).to_string(),
                number: file_name(&stem(rel)).number.unwrap_or(0),
                title: title_of(text),
                id: format!("{prefix}-{:04}", file_name(&stem(rel)).number.unwrap_or(0)),
            });
            let template = collection.and_then(|c| c.template.as_ref()).map(|t| dir.join(t)).filter(|p| p.is_file());
            let content = match template {
                Some(t) => {
                    fill_template(&std::fs::read_to_string(&t).unwrap_or_default(), opts, format, number, &status_word)
                }
                None => adr_doc(opts, format, number, &status_word, old_ref.as_ref()),
            };
            (file, content)
        }
    };
    let path = dir.join(&file);
    std::fs::create_dir_all(&dir).map_err(|e| NewError::Refused(format!("cannot create {}: {e}", dir.display())))?;
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(&path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            NewError::Refused(format!(
                "{} already exists; dossier never overwrites a document (choose another title)",
                path.display()
            ))
        } else {
            NewError::Refused(format!("cannot create {}: {e}", path.display()))
        }
    })?;
    f.write_all(content.as_bytes()).map_err(|e| NewError::Refused(format!("cannot write {}: {e}", path.display())))?;

    let mut updated = None;
    if let Some((rel, text)) = old {
        let new_id = format!("{prefix}-{number:04}");
        let new_title = opts.title.trim();
        let marked = mark_superseded(&text, &new_id, number, new_title, &file)
            .ok_or_else(|| NewError::Refused(format!("{rel} has no status to mark as superseded; edit it by hand")))?;
        let old_path = opts.root.join(&rel);
        std::fs::write(&old_path, marked).map_err(|e| NewError::Refused(format!("cannot update {rel}: {e}")))?;
        updated = Some(old_path);
    }
    Ok(Created { path, updated })
}

struct OldRef {
    file: String,
    number: u32,
    title: String,
    id: String,
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

fn adr_doc(opts: &Options, format: Format, number: u32, status: &str, old: Option<&OldRef>) -> String {
    let title = opts.title.trim();
    let date = &opts.today;
    let st = status_text(format, status);
    let author = opts.author.clone().unwrap_or_default();
    match format {
        Format::Nygard => {
            let mut s = format!("# {number}. {title}\n\nDate: {date}\n\n## Status\n\n{st}\n");
            if let Some(o) = old {
                s.push_str(&format!("\nSupersedes [{}. {}]({})\n", o.number, o.title, o.file));
            }
            s.push_str(
                "\n## Context\n\nWhat is the issue that we're seeing that is motivating this decision or change?\n\n\
                 ## Decision\n\nWhat is the change that we're proposing and/or doing?\n\n\
                 ## Consequences\n\nWhat becomes easier or more difficult to do because of this change?\n",
            );
            s
        }
        Format::Madr => {
            let mut s = format!("---\nstatus: {st}\ndate: {date}\n");
            if !author.is_empty() {
                s.push_str(&format!("decision-makers: [{}]\n", yaml_str(&author)));
            }
            if let Some(o) = old {
                s.push_str(&format!("supersedes: {}\n", o.id));
            }
            s.push_str(&format!(
                "---\n# {title}\n\n## Context and Problem Statement\n\nDescribe the context and the problem in two or three sentences.\n\n\
                 ## Considered Options\n\n* The option we chose\n* An alternative\n\n\
                 ## Decision Outcome\n\nChosen option: \"The option we chose\", because it meets the decision drivers best.\n\n\
                 ### Consequences\n\n* Good, because …\n* Bad, because …\n"
            ));
            s
        }
        Format::Log4brains => {
            let mut s = format!("# {title}\n\n- Status: {st}\n- Date: {date}\n");
            if !author.is_empty() {
                s.push_str(&format!("- Deciders: {author}\n"));
            }
            s.push_str(
                "\n## Context and Problem Statement\n\nDescribe the context and the problem in two or three sentences.\n\n\
                 ## Decision Outcome\n\nChosen option: the one that meets the decision drivers best.\n",
            );
            if let Some(o) = old {
                s.push_str(&format!("\n## Links\n\n- Supersedes [{}]({})\n", o.title, o.file));
            }
            s
        }
    }
}

/// The text of every template `dossier new` writes (design doc, Nygard, MADR, log4brains), for
/// the lint stage: with no template of its own, a collection's placeholders are those of these.
pub fn shipped_templates() -> String {
    let opts = Options {
        root: PathBuf::new(),
        kind: Kind::Adr,
        title: String::new(),
        supersedes: None,
        status: None,
        format: None,
        collection: None,
        today: String::new(),
        author: None,
    };
    let mut out = design_doc(&opts, "");
    for f in [Format::Nygard, Format::Madr, Format::Log4brains] {
        out.push_str(&adr_doc(&opts, f, 0, "", None));
    }
    out
}

fn yaml_str(s: &str) -> String {
    if s.contains([':', '#', '[', ']', ',', '"', '\'']) {
        format!("\"{}\"", s.replace('"', "\\\""))
    } else {
        s.to_string()
    }
}

fn design_doc(opts: &Options, status: &str) -> String {
    let title = opts.title.trim();
    let author = opts.author.clone().unwrap_or_else(|| "Unknown".into());
    format!(
        "# Technical Design: {title}\n\n**Date:** {}\n**Author:** {author}\n**Status:** {status}\n**Context:** the ticket, epic or PRD this design answers\n\n\
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
         ## References\n\n- Related ADRs: none yet.\n",
        opts.today
    )
}

/// Fills a collection's own template: its first heading becomes the title (numbered for
/// adr-tools), date and status placeholders are replaced.
fn fill_template(template: &str, opts: &Options, format: Format, number: u32, status: &str) -> String {
    let title = opts.title.trim();
    let mut out = String::with_capacity(template.len() + 64);
    let mut titled = false;
    for line in template.split_inclusive('\n') {
        if !titled && line.starts_with("# ") {
            titled = true;
            if format == Format::Nygard {
                out.push_str(&format!("# {number}. {title}\n"));
            } else {
                out.push_str(&format!("# {title}\n"));
            }
            continue;
        }
        out.push_str(line);
    }
    // Both patterns are constant and tested; should one ever fail to compile, the text stays as is.
    let out = match regex::Regex::new(r"\[?\{?YYYY-MM-DD[^\]\}\n]*\}?\]?") {
        Ok(re) => re.replace_all(&out, opts.today.as_str()).into_owned(),
        Err(_) => out,
    };
    // A bracketed status placeholder, as a bullet, bold key, plain key or Status-section line.
    let status_line = regex::Regex::new(r"(?m)^(\s*[-*]?\s*\**[Ss]tatus\**:\**\s*)\[.*\]\s*$");
    let section = regex::Regex::new(r"(?m)(^## [Ss]tatus\s*\n\s*\n)\[[^\]\n]*\]");
    let mut out = match status_line {
        Ok(re) => re.replace_all(&out, format!("${{1}}{}", status_text(format, status))).into_owned(),
        Err(_) => out,
    };
    if let Ok(re) = section {
        out = re.replace_all(&out, format!("${{1}}{}", status_text(format, status))).into_owned();
    }
    out
}

/// The old decision's text with its status marked as superseded by the new one, in its own
/// format. `None` when it states no status dossier can find.
pub fn mark_superseded(text: &str, new_id: &str, new_number: u32, new_title: &str, new_file: &str) -> Option<String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    // Front matter `status:`.
    if lines.first().is_some_and(|l| l.trim_end() == "---") {
        let end = lines.iter().skip(1).position(|l| l.trim_end() == "---").map(|i| i + 1)?;
        let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        let new_line = format!("status: \"superseded by {new_id}\"\n");
        match (1..end).find(|&i| lines[i].trim_start().to_lowercase().starts_with("status:")) {
            Some(i) => out[i] = new_line,
            None => out.insert(1, new_line),
        }
        return Some(out.concat());
    }
    // A `- Status:` bullet.
    if let Some(i) = lines.iter().position(|l| {
        let t = l.trim_start().to_lowercase();
        t.starts_with("- status:") || t.starts_with("* status:")
    }) {
        let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        let marker = &lines[i].trim_start()[..1];
        out[i] = format!("{marker} Status: superseded by [{new_id}]({new_file})\n");
        return Some(out.concat());
    }
    // The `## Status` section's first paragraph.
    let h = lines.iter().position(|l| l.trim().eq_ignore_ascii_case("## status"))?;
    let start = (h + 1..lines.len()).find(|&i| !lines[i].trim().is_empty())?;
    let end = (start..lines.len()).find(|&i| lines[i].trim().is_empty()).unwrap_or(lines.len());
    let mut out: Vec<String> = lines[..start].iter().map(|l| l.to_string()).collect();
    out.push(format!("Superseded by [{new_number}. {new_title}]({new_file})\n"));
    out.extend(lines[end..].iter().map(|l| l.to_string()));
    Some(out.concat())
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
    fn marks_superseded_in_each_format() {
        let m = mark_superseded("---\nstatus: accepted\ndate: 2020-01-01\n---\n# X\n", "ADR-0002", 2, "Y", "0002-y.md")
            .unwrap();
        assert_eq!(m, "---\nstatus: \"superseded by ADR-0002\"\ndate: 2020-01-01\n---\n# X\n");
        let m = mark_superseded("# X\n\n- Status: accepted\n- Date: 2020\n", "ADR-0002", 2, "Y", "0002-y.md").unwrap();
        assert_eq!(m, "# X\n\n- Status: superseded by [ADR-0002](0002-y.md)\n- Date: 2020\n");
        let m = mark_superseded("# 1. X\n\n## Status\n\nAccepted\n\n## Context\n", "ADR-0002", 2, "Y", "0002-y.md")
            .unwrap();
        assert_eq!(m, "# 1. X\n\n## Status\n\nSuperseded by [2. Y](0002-y.md)\n\n## Context\n");
        assert!(mark_superseded("# X\n\nno status\n", "ADR-0002", 2, "Y", "f.md").is_none());
    }
}
