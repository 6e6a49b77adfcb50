//! Filling a collection's template in its own syntax: front matter keys (YAML or TOML, commented
//! keys uncommented), bullet and bold metadata, metadata table rows, the H1 and the Status
//! section. Comments, optional markers and every other line stay as written.

use crate::parse::front_matter;
use crate::parse::meta::{key_value, norm_key};

/// The values dossier writes into a template.
#[derive(Debug)]
pub struct Values<'a> {
    pub title: &'a str,
    /// The number for a numbered H1 (`# 12. Title`), when the format numbers titles.
    pub number: Option<u32>,
    /// The status as the format writes it (`Proposed` in a Status section, `proposed` elsewhere).
    pub status: &'a str,
    pub date: &'a str,
    pub author: Option<&'a str>,
    /// Relations to state: verb (`Supersedes`, `Amends`), key ID, link text and target file.
    pub relations: &'a [Relation],
}

/// One relation of the new record to an older one.
#[derive(Clone, Debug)]
pub struct Relation {
    /// `Supersedes` or `Amends`.
    pub verb: &'static str,
    /// How a front matter key names the old record (`ADR-0001`, or its file name).
    pub id: String,
    /// The link text in a Markdown relation line (`1. Record decisions`).
    pub text: String,
    pub file: String,
}

/// What a field of the template is, by its normalised key.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    Status,
    Date,
    Author,
    Title,
}

fn field(norm: &str) -> Option<Field> {
    match norm {
        "status" => Some(Field::Status),
        "date" | "last-updated" | "updated" | "created" => Some(Field::Date),
        "deciders" | "decision-makers" | "author" | "authors" | "owner" | "owners" => Some(Field::Author),
        "title" => Some(Field::Title),
        _ => None,
    }
}

impl Values<'_> {
    fn value(&self, f: Field) -> Option<&str> {
        match f {
            Field::Status => Some(self.status),
            Field::Date => Some(self.date),
            Field::Author => self.author,
            Field::Title => Some(self.title),
        }
    }
}

/// The template filled with `v`.
pub fn fill(template: &str, v: &Values<'_>) -> String {
    let split = front_matter::split(template);
    let (head, body) = template.split_at(split.body_start);
    let mut out = String::with_capacity(template.len() + 128);
    // A template with nowhere to state a status (MADR's minimal one) gets MADR's front matter.
    let in_front_matter = split.front_matter.is_some() || !has_status_place(body);
    if split.front_matter.is_some() {
        out.push_str(&fill_front_matter(head, v));
    } else if in_front_matter {
        let author = if v.author.is_some() { "decision-makers:\n" } else { "" };
        out.push_str(&fill_front_matter(&format!("---\nstatus:\ndate:\n{author}---\n"), v));
    }
    out.push_str(&fill_body(body, v, !in_front_matter));
    out
}

/// Whether a body has a status field or a Status section for `fill_body` to set.
fn has_status_place(body: &str) -> bool {
    body.lines().any(|l| {
        let t = l.trim();
        if t.eq_ignore_ascii_case("## status") {
            return true;
        }
        let cell = t.strip_prefix('|').and_then(|r| r.split('|').next()).map(|c| c.trim().trim_matches('*'));
        if cell.is_some_and(|c| norm_key(c) == "status") {
            return true;
        }
        let item = t.trim_start_matches(['-', '*', '+']).trim_start();
        key_value(item).is_some_and(|kv| norm_key(kv.key) == "status")
    })
}

/// The front matter block (fences included) with the fields dossier knows set.
fn fill_front_matter(block: &str, v: &Values<'_>) -> String {
    let lines: Vec<&str> = block.split_inclusive('\n').collect();
    let toml = lines.first().is_some_and(|l| l.trim_end() == "+++");
    let last = lines.len().saturating_sub(1);
    let mut out: Vec<String> = vec![lines.first().copied().unwrap_or("---\n").to_string()];
    let mut seen: Vec<Field> = Vec::new();
    let mut i = 1;
    while i < last {
        let line = lines[i];
        i += 1;
        let Some((key, commented)) = fm_key(line, toml) else {
            out.push(line.to_string());
            continue;
        };
        let Some(f) = field(&norm_key(key)).filter(|f| !seen.contains(f)) else {
            out.push(line.to_string());
            continue;
        };
        let Some(value) = v.value(f) else {
            out.push(line.to_string());
            continue;
        };
        seen.push(f);
        // A multi-line value (indented lines or a YAML list) of an active key goes with it.
        if !commented {
            while i < last && (lines[i].starts_with([' ', '\t']) || lines[i].starts_with("- ")) {
                i += 1;
            }
        }
        out.push(fm_line(key, value, toml));
    }
    for f in [Field::Status, Field::Date] {
        if !seen.contains(&f) {
            let key = if f == Field::Status { "status" } else { "date" };
            out.push(fm_line(key, v.value(f).unwrap_or_default(), toml));
        }
    }
    for verb in ["Supersedes", "Amends"] {
        let ids: Vec<&str> = v.relations.iter().filter(|r| r.verb == verb).map(|r| r.id.as_str()).collect();
        match ids.as_slice() {
            [] => {}
            [one] => out.push(fm_line(&verb.to_lowercase(), one, toml)),
            many => out.push(fm_list(&verb.to_lowercase(), many, toml)),
        }
    }
    out.push(lines.get(last).copied().unwrap_or("---\n").to_string());
    out.concat()
}

/// The key of a front matter line at the top level, and whether it is commented out
/// (`# status: …`, MADR's optional elements).
fn fm_key(line: &str, toml: bool) -> Option<(&str, bool)> {
    let (rest, commented) = match line.strip_prefix('#') {
        Some(r) => (r.trim_start(), true),
        None => (line, false),
    };
    if rest.starts_with([' ', '\t']) {
        return None;
    }
    let sep = if toml { '=' } else { ':' };
    let (key, _) = rest.split_once(sep)?;
    let key = key.trim();
    let ok = !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_'));
    ok.then_some((key, commented))
}

fn fm_line(key: &str, value: &str, toml: bool) -> String {
    if toml { format!("{key} = {}\n", toml_str(value)) } else { format!("{key}: {}\n", yaml_str(value)) }
}

fn fm_list(key: &str, values: &[&str], toml: bool) -> String {
    let items: Vec<String> = values.iter().map(|s| if toml { toml_str(s) } else { yaml_str(s) }).collect();
    if toml { format!("{key} = [{}]\n", items.join(", ")) } else { format!("{key}: [{}]\n", items.join(", ")) }
}

/// A YAML scalar, quoted when plain style would change its meaning.
pub fn yaml_str(s: &str) -> String {
    let risky = s.is_empty()
        || s.contains([':', '#', '[', ']', '{', '}', ',', '"', '\'', '|', '>', '&', '*', '!', '%', '@', '`'])
        || s.starts_with(['-', '?', ' '])
        || s.ends_with(' ');
    if risky { format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"")) } else { s.to_string() }
}

fn toml_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// Where the body scan is.
#[derive(Default)]
struct Scan {
    titled: bool,
    /// Inside a fenced code block or a multi-line HTML comment.
    fence: bool,
    comment: bool,
    /// Before the first `##` heading: metadata lives here.
    in_head: bool,
    /// Inside the `## Status` section, waiting for its first paragraph.
    status_section: bool,
    status_done: bool,
    links_at: Option<usize>,
    author_set: bool,
}

/// The body with the H1, metadata lines and Status section filled, and relation lines added
/// when the front matter does not hold them.
fn fill_body(body: &str, v: &Values<'_>, relations_here: bool) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut s = Scan { in_head: true, ..Scan::default() };
    let lines: Vec<&str> = body.split_inclusive('\n').collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        let t = line.trim();
        if s.fence || t.starts_with("```") || t.starts_with("~~~") {
            if t.starts_with("```") || t.starts_with("~~~") {
                s.fence = !s.fence;
            }
            out.push(line.to_string());
            continue;
        }
        if s.comment || (t.starts_with("<!--") && !t.contains("-->")) {
            s.comment = !t.contains("-->");
            out.push(line.to_string());
            continue;
        }
        if let Some(h) = t.strip_prefix("# ").or((t == "#").then_some("")).filter(|_| !s.titled) {
            s.titled = true;
            out.push(format!("# {}\n", title_line(h, v)));
            continue;
        }
        if let Some(h2) = t.strip_prefix("## ") {
            s.in_head = false;
            let name = crate::parse::markdown::strip_comments(h2).trim().to_lowercase();
            s.status_section = name == "status" && !s.status_done;
            if name == "links" {
                s.links_at = Some(out.len() + 1);
            }
            out.push(line.to_string());
            continue;
        }
        if s.status_section && !t.is_empty() && !t.starts_with("<!--") {
            // The section's first paragraph is the template's status text.
            while i < lines.len() && !lines[i].trim().is_empty() {
                i += 1;
            }
            s.status_section = false;
            s.status_done = true;
            out.push(format!("{}\n", v.status));
            if relations_here {
                for r in v.relations {
                    out.push(format!("\n{} [{}]({})\n", r.verb, r.text, r.file));
                }
            }
            continue;
        }
        if s.in_head
            && let Some(filled) = fill_meta_line(line, v, &mut s)
        {
            out.push(filled);
            continue;
        }
        out.push(line.to_string());
    }
    if relations_here && !s.status_done && !v.relations.is_empty() {
        add_link_lines(&mut out, s.links_at, v.relations, bullet_marker(body));
    }
    out.concat()
}

/// Relation bullets in the Links section (after its heading), or a new Links section at the end.
fn add_link_lines(out: &mut Vec<String>, links_at: Option<usize>, relations: &[Relation], marker: char) {
    let bullets: Vec<String> =
        relations.iter().map(|r| format!("{marker} {} [{}]({})\n", r.verb, r.text, r.file)).collect();
    match links_at {
        Some(at) => {
            // Skip the blank line after the heading.
            let at = if out.get(at).is_some_and(|l| l.trim().is_empty()) { at + 1 } else { at };
            for (k, b) in bullets.into_iter().enumerate() {
                out.insert(at + k, b);
            }
        }
        None => {
            if out.last().is_some_and(|l| !l.ends_with('\n')) {
                out.push("\n".into());
            }
            out.push("\n## Links\n\n".into());
            out.extend(bullets);
        }
    }
}

/// The list marker a document uses (`*` in MADR, `-` in log4brains): its first bullet's, else `-`.
pub fn bullet_marker(text: &str) -> char {
    text.lines()
        .find_map(|l| {
            let t = l.trim_start();
            ["- ", "* ", "+ "].iter().find(|m| t.starts_with(**m)).and_then(|m| m.chars().next())
        })
        .unwrap_or('-')
}

/// The H1 text: a placeholder in it (`[Feature Name]`, `{short title}`, `TITLE`) is replaced by the
/// title and a number placeholder (`NUMBER`, `<number>`) by the number; otherwise the whole text
/// is the title (numbered when the format numbers titles).
fn title_line(h1: &str, v: &Values<'_>) -> String {
    let re = regex::Regex::new(r"\[[^\]]*\]|\{[^}]*\}|<[^>]*>|\bTITLE\b");
    let num_re = regex::Regex::new(r"(?i)^(\[?\{?<?(number|nnnn|nnn|n)>?\}?\]?)([.:]\s*)");
    let mut text = h1.trim().to_string();
    let mut numbered = false;
    if let Ok(num_re) = num_re
        && let Some(c) = num_re.captures(&text)
    {
        let sep = c.get(3).map_or(". ", |m| m.as_str()).to_string();
        let rest = &text[c.get(0).map_or(0, |m| m.end())..];
        text = match v.number {
            Some(n) => format!("{n}{sep}{rest}"),
            None => rest.to_string(),
        };
        numbered = true;
    }
    let placeholder = re.ok().and_then(|re| re.find(&text).map(|m| m.range()));
    match placeholder {
        Some(r) => format!("{}{}{}", &text[..r.start], v.title, &text[r.end..]),
        None if numbered => text,
        None => match v.number {
            Some(n) => format!("{n}. {}", v.title),
            None => v.title.to_string(),
        },
    }
}

/// A metadata line (`- Status: …`, `**Date:** …`, `Date: …`, `| Status | … |`) with its value
/// replaced and any trailing comment kept; `None` for other lines.
fn fill_meta_line(line: &str, v: &Values<'_>, s: &mut Scan) -> Option<String> {
    let eol = &line[line.trim_end().len()..];
    let text = line.trim_end();
    if let Some(row) = fill_table_row(text, v) {
        return Some(format!("{row}{eol}"));
    }
    let indent = text.len() - text.trim_start().len();
    let after_indent = &text[indent..];
    let marker = ["- ", "* ", "+ "].iter().find(|m| after_indent.starts_with(**m)).map_or(0, |m| m.len());
    let start = indent + marker;
    let item = &text[start..];
    let (content, comment) = match item.find("<!--") {
        Some(c) => (&item[..c], &item[c..]),
        None => (item, ""),
    };
    let kv = key_value(content)?;
    let f = field(&norm_key(kv.key)).filter(|f| *f != Field::Title)?;
    if f == Field::Author {
        if s.author_set {
            return None;
        }
        s.author_set = true;
    }
    let value = v.value(f)?;
    // Keep a hard-break backslash or two trailing spaces of a bold-key block.
    let hard_break = if content.trim_end().ends_with('\\') { "\\" } else { "" };
    let space = if comment.is_empty() { "" } else { " " };
    // `eol` keeps a trailing two-space hard break with the newline.
    Some(format!("{}{value}{hard_break}{space}{comment}{eol}", &text[..start + kv.value_offset],))
}

/// A `| Status | [Draft] |` table row with its value cell replaced.
fn fill_table_row(text: &str, v: &Values<'_>) -> Option<String> {
    let t = text.trim();
    if !t.starts_with('|') {
        return None;
    }
    let cells: Vec<&str> = t.trim_matches('|').split('|').collect();
    if cells.len() < 2 {
        return None;
    }
    let key = cells[0].trim().trim_matches('*').trim_end_matches(':').trim();
    let f = field(&norm_key(key)).filter(|f| *f != Field::Title)?;
    let value = v.value(f)?;
    let mut out = cells.iter().map(|c| c.to_string()).collect::<Vec<_>>();
    out[1] = format!(" {value} ");
    Some(format!("|{}|", out.join("|")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values<'a>(relations: &'a [Relation]) -> Values<'a> {
        Values {
            title: "Use Postgres",
            number: Some(7),
            status: "proposed",
            date: "2026-12-01",
            author: Some("Ada Lovelace"),
            relations,
        }
    }

    #[test]
    fn yaml_keys_are_set_and_commented_keys_uncommented() {
        let t = "---\nparent: Decisions\n# These are optional elements.\n# status: \"{proposed | accepted}\"\n# date: {YYYY-MM-DD}\n# consulted: {list}\n---\n# {short title}\n\n## Context\n";
        let got = fill(t, &values(&[]));
        assert_eq!(
            got,
            "---\nparent: Decisions\n# These are optional elements.\nstatus: proposed\ndate: 2026-12-01\n# consulted: {list}\n---\n# Use Postgres\n\n## Context\n"
        );
    }

    #[test]
    fn bullets_keep_their_comments_and_the_h1_its_prefix() {
        let t = "# Technical Design: [Feature Name]\n\n- Status: [draft | proposed] <!-- optional -->\n- Deciders: [list] <!-- optional -->\n**Date:** [YYYY-MM-DD]  \n\n## Context\n\n- Status: not metadata here\n";
        let got = fill(t, &values(&[]));
        assert_eq!(
            got,
            "# Technical Design: Use Postgres\n\n- Status: proposed <!-- optional -->\n- Deciders: Ada Lovelace <!-- optional -->\n**Date:** 2026-12-01  \n\n## Context\n\n- Status: not metadata here\n"
        );
    }

    #[test]
    fn toml_front_matter_keys_are_set_in_toml() {
        let t = "+++\ntitle = \"{title}\"\nstatus = \"{draft | proposed}\"\nweight = 3\n+++\n\n# {title}\n";
        let rel =
            [Relation { verb: "Supersedes", id: "ADR-0001".into(), text: "Old".into(), file: "0001-old.md".into() }];
        assert_eq!(
            fill(t, &values(&rel)),
            "+++\ntitle = \"Use Postgres\"\nstatus = \"proposed\"\nweight = 3\ndate = \"2026-12-01\"\nsupersedes = \"ADR-0001\"\n+++\n\n# Use Postgres\n"
        );
    }

    #[test]
    fn nygard_status_section_number_and_relations() {
        let rel =
            [Relation { verb: "Supersedes", id: "ADR-0001".into(), text: "1. Old".into(), file: "0001-old.md".into() }];
        let t = "# NUMBER. TITLE\n\nDate: DATE\n\n## Status\n\nSTATUS\n\n## Context\n";
        let v = Values { status: "Proposed", ..values(&rel) };
        assert_eq!(
            fill(t, &v),
            "# 7. Use Postgres\n\nDate: 2026-12-01\n\n## Status\n\nProposed\n\nSupersedes [1. Old](0001-old.md)\n\n## Context\n"
        );
        let t = "| Field | Value |\n|---|---|\n| Status | [Draft] |\n\n# X\n";
        assert!(fill(t, &v).starts_with("| Field | Value |\n|---|---|\n| Status | Proposed |\n"));
    }
}
