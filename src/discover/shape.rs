//! Record shapes for collection detection: what a file name says (a number, a date, an ID
//! prefix) and what the first few KB of a file say (a status, ADR or design sections, an ID).

use crate::parse::meta;

/// How many bytes of a file discovery reads to judge its shape.
pub const HEAD_BYTES: usize = 4096;

/// What a Markdown file's name says about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Name {
    /// `0001-slug`, `adr-001-slug`, `ADR-1`, `0001_slug`, `KEEP-0004-slug`; the letters before
    /// the number, upper-cased, when there are some.
    Numbered { number: u32, prefix: Option<String> },
    /// `20180507-slug`, `2010-06-01-slug`, `2010-06-slug`.
    Dated,
    /// Anything else (`install`, `guide-to-x`).
    Plain,
}

impl Name {
    pub fn is_record(&self) -> bool {
        !matches!(self, Name::Plain)
    }

    pub fn number(&self) -> Option<u32> {
        match self {
            Name::Numbered { number, .. } => Some(*number),
            _ => None,
        }
    }
}

/// Reads a file name's stem (no extension) the way the parse stage does.
pub fn name(stem: &str) -> Name {
    let f = meta::file_name(stem);
    if f.date.is_some() {
        return Name::Dated;
    }
    if let Some(number) = f.number {
        let letters: String = stem.chars().take_while(char::is_ascii_alphabetic).collect();
        let prefix = (!letters.is_empty()).then(|| letters.to_ascii_uppercase());
        return Name::Numbered { number, prefix };
    }
    match split_prefix(stem) {
        Some((prefix, rest)) => match meta::file_name(rest).number {
            Some(number) => Name::Numbered { number, prefix: Some(prefix.to_ascii_uppercase()) },
            None => Name::Plain,
        },
        None => Name::Plain,
    }
}

/// `KEEP-0004-x` → (`KEEP`, `0004-x`): two to eight letters, then `-` or `_`, then a digit.
pub fn split_prefix(stem: &str) -> Option<(&str, &str)> {
    let n = stem.bytes().take_while(u8::is_ascii_alphabetic).count();
    if !(2..=8).contains(&n) {
        return None;
    }
    let rest = stem[n..].strip_prefix(['-', '_'])?;
    rest.starts_with(|c: char| c.is_ascii_digit()).then_some((&stem[..n], rest))
}

/// Whether a file name is a collection template: `template`, `adr-template`, `_template`,
/// `0000-template`, in any case.
/// A numbered record whose slug merely ends in `template` (`0012-adopt-a-doc-template`) is a
/// document; number 0 (`0000-template`, rust-rfcs' and others') is a template.
pub fn is_template_stem(stem: &str) -> bool {
    let s = stem.to_ascii_lowercase();
    let named = s == "template" || s.ends_with("-template") || s.ends_with("_template");
    let f = crate::parse::meta::file_name(stem);
    named && (f.slug.eq_ignore_ascii_case("template") || (f.number.unwrap_or(0) == 0 && f.date.is_none()))
}

/// What the head of a Markdown file shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Head {
    /// A status anywhere in the head: a `status` key, bullet or table row, or a `Status` heading.
    pub status: bool,
    /// Headings of the ADR formats (Context, Decision, Consequences, Considered Options, …).
    pub adr_sections: usize,
    /// Headings of design docs and proposals (Summary, Motivation, Goals, Detailed design, …).
    pub design_sections: usize,
    /// `PREFIX-N` IDs written in metadata lines (front matter `id:`, bullets, key lines, table
    /// rows), in order, with their numbers.
    pub ids: Vec<(String, u32)>,
}

impl Head {
    /// A record: it states a status, or has at least two sections of a decision or a design
    /// (one `Summary` or `Introduction` alone is any article).
    pub fn is_record(&self) -> bool {
        self.status || self.adr_sections + self.design_sections >= 2
    }

    /// Shaped like an ADR: ADR sections, more of them than design sections.
    pub fn is_adr(&self) -> bool {
        self.adr_sections > 0 && self.adr_sections > self.design_sections
    }

    /// Shaped like a design doc: design sections, at least as many as ADR sections.
    pub fn is_design(&self) -> bool {
        self.design_sections > 0 && self.design_sections >= self.adr_sections
    }
}

/// Section names of the ADR formats (Nygard, MADR, log4brains, Y-statements), lower case.
const ADR_SECTIONS: &[&str] = &[
    "context",
    "context and problem statement",
    "decision",
    "decision outcome",
    "decision drivers",
    "considered options",
    "consequences",
    "pros and cons of the options",
];
/// Section names of design docs, RFCs, proposals and enhancement proposals, lower case.
const DESIGN_SECTIONS: &[&str] = &[
    "summary",
    "abstract",
    "objective",
    "introduction",
    "motivation",
    "background",
    "goals",
    "non-goals",
    "goals and non-goals",
    "problem statement",
    "proposal",
    "proposed solution",
    "proposed change",
    "design proposal",
    "detailed design",
    "design details",
    "design",
    "guide-level explanation",
    "reference-level explanation",
    "drawbacks",
    "alternatives",
    "alternatives considered",
    "rationale and alternatives",
    "prior art",
    "unresolved questions",
    "open questions",
    "future possibilities",
    "source compatibility",
    "requirements",
    "implementation",
    "implementation plan",
    "risks",
    "security considerations",
    "test plan",
    "testing plan",
    "rollout",
    "rollout plan",
    "user benefit",
];

/// Judges a file's head (its first `HEAD_BYTES`, possibly cut mid-line).
pub fn head(text: &str) -> Head {
    let mut h = Head::default();
    let mut in_code = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with("```") || t.starts_with("~~~") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        if let Some(title) = heading(t) {
            match section_kind(&title) {
                Some(true) => h.adr_sections += 1,
                Some(false) => h.design_sections += 1,
                None if title == "status" || title.starts_with("status:") => h.status = true,
                None => {}
            }
            // A title that starts with the document's ID: `# KEP-1234: Name`, `# ADR-0012 Use X`.
            if t.starts_with("# ")
                && let Some(id) =
                    id_in(t[2..].trim_start()).filter(|(p, _)| t[2..].trim_start().starts_with(p.as_str()))
            {
                h.ids.push(id);
            }
            continue;
        }
        if let Some((key, value)) = meta_line(t) {
            if key == "status" {
                h.status = true;
            }
            if let Some(id) = id_in(value) {
                h.ids.push(id);
            }
        }
    }
    h
}

/// The text of an ATX heading, normalised: lower case, no numbering (`2.`, `2.1`), no trailing
/// `:` or `#`s, no emphasis.
fn heading(line: &str) -> Option<String> {
    let rest = line.strip_prefix('#')?;
    let rest = rest.trim_start_matches('#');
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None;
    }
    let t = rest.trim().trim_end_matches('#').trim().trim_matches(['*', '_']).trim_end_matches(':');
    let t = t.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.').trim();
    Some(t.to_lowercase())
}

/// `Some(true)` for an ADR section, `Some(false)` for a design section.
fn section_kind(title: &str) -> Option<bool> {
    if ADR_SECTIONS.contains(&title) {
        Some(true)
    } else if DESIGN_SECTIONS.contains(&title) {
        Some(false)
    } else {
        None
    }
}

/// A metadata line's key (lower case, without emphasis) and value: `status: x`, `* Status: x`,
/// `- **Status**: x`, `**Status:** x`, `| Status | x |` (front matter lines are key lines too).
fn meta_line(line: &str) -> Option<(String, &str)> {
    if let Some(row) = line.strip_prefix('|') {
        let mut cells = row.split('|');
        let key = clean_key(cells.next()?);
        let value = cells.next().unwrap_or("").trim();
        return (!key.is_empty()).then_some((key, value));
    }
    let body = line.strip_prefix(['*', '-', '+']).map(str::trim_start).unwrap_or(line);
    let colon = body.find(':')?;
    let (k, v) = body.split_at(colon);
    let value = v[1..].trim_start_matches(['*', '_']).trim();
    let key = clean_key(k);
    let words = key.split(' ').count();
    (!key.is_empty() && words <= 3 && key.len() <= 30).then_some((key, value))
}

fn clean_key(k: &str) -> String {
    k.trim().trim_matches(['*', '_', ' ']).trim_end_matches(':').trim().to_lowercase()
}

/// The first `PREFIX-N` ID in a metadata value (`[SE-0001](0001-x.md)`, `ST-0001`): one to ten
/// ASCII capitals (digits after the first allowed), a hyphen, one to six digits.
pub fn id_in(value: &str) -> Option<(String, u32)> {
    let b = value.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_uppercase() && (i == 0 || !b[i - 1].is_ascii_alphanumeric()) {
            let start = i;
            let mut j = i;
            while j < b.len() && (b[j].is_ascii_uppercase() || (j > start && b[j].is_ascii_digit())) {
                j += 1;
            }
            let letters = j - start;
            if (1..=10).contains(&letters) && b.get(j) == Some(&b'-') {
                let d0 = j + 1;
                let mut k = d0;
                while k < b.len() && b[k].is_ascii_digit() {
                    k += 1;
                }
                let ends = k == b.len() || !b[k].is_ascii_alphanumeric();
                if (1..=6).contains(&(k - d0))
                    && ends
                    && let Ok(n) = value[d0..k].parse()
                {
                    return Some((value[start..j].to_string(), n));
                }
            }
            i = j.max(i + 1);
        } else {
            i += 1;
        }
    }
    None
}

/// Whether a YAML sidecar's top-level keys make it record metadata: at least two of title,
/// status, authors, number (or any `*-number`), creation-date / created, last-updated.
/// Only key names are looked at, never values.
pub fn is_record_yaml(text: &str) -> bool {
    let mut seen: Vec<&str> = Vec::new();
    for line in text.lines() {
        if line.starts_with([' ', '\t', '-', '#']) {
            continue;
        }
        let Some((key, _)) = line.split_once(':') else { continue };
        let key = key.trim().trim_matches(['"', '\'']).to_ascii_lowercase();
        let k = match key.as_str() {
            "title" => "title",
            "status" => "status",
            "authors" | "author" => "authors",
            "number" => "number",
            k if k.ends_with("-number") || k.ends_with("_number") => "number",
            "creation-date" | "creation_date" | "created" => "created",
            "last-updated" | "last_updated" => "updated",
            _ => continue,
        };
        if !seen.contains(&k) {
            seen.push(k);
        }
    }
    seen.len() >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        let n = |s: &str, p: Option<&str>| Name::Numbered { number: s.parse().unwrap(), prefix: p.map(String::from) };
        assert_eq!(name("0001-use-postgres"), n("1", None));
        assert_eq!(name("0001_use_postgres"), n("1", None));
        assert_eq!(name("adr-001-use-postgres"), n("1", Some("ADR")));
        assert_eq!(name("ADR-1"), n("1", Some("ADR")));
        assert_eq!(name("KEEP-0004-type-aliases"), n("4", Some("KEEP")));
        assert_eq!(name("20180507-cond-v2"), Name::Dated);
        assert_eq!(name("2010-06-01-x"), Name::Dated);
        assert_eq!(name("install"), Name::Plain);
        assert_eq!(name("guide-to-adrs"), Name::Plain);
        assert_eq!(name("v2-notes"), Name::Plain, "one letter is not a prefix");
        assert_eq!(name("3d-rendering"), Name::Plain);
    }

    #[test]
    fn heads() {
        let nygard =
            head("# 1. Use X\n\nDate: 2024-01-01\n\n## Status\n\nAccepted\n\n## Context\n\nx\n\n## Decision\n");
        assert!(nygard.status && nygard.is_adr() && !nygard.is_design());
        let madr =
            head("---\nstatus: accepted\n---\n# X\n\n## Context and Problem Statement\n\n## Considered Options\n");
        assert!(madr.status && madr.is_adr());
        let swift = head(
            "# X\n\n* Proposal: [SE-0001](0001-x.md)\n* Status: **Implemented**\n\n## Introduction\n\n## Motivation\n\n## Proposed solution\n",
        );
        assert!(swift.status && swift.is_design() && !swift.is_adr());
        assert_eq!(swift.ids, [("SE".to_string(), 1)]);
        let keep = head(
            "# X\n\n* **Type**: Design proposal\n* **Status**: Stable\n* **Discussion**: [KEEP-14](https://x/14)\n",
        );
        assert!(keep.status);
        assert_eq!(keep.ids, [("KEEP".to_string(), 14)]);
        let table = head("# X\n\n| Status | Accepted |\n|:--|:--|\n| **RFC #** | [NNN](x) |\n");
        assert!(table.status);
        let guide = head("# Installing\n\nRun `make`.\n\n## Usage\n\n```\n## Status\n```\n");
        assert!(!guide.is_record(), "{guide:?}");
        let fm = head("---\nid: ST-0001\ntitle: X\n---\n");
        assert_eq!(fm.ids, [("ST".to_string(), 1)]);
        let kep = head("# KEP-1234: Volume snapshots\n\nSee RFC-9 for more.\n\n## Summary\n");
        assert_eq!(kep.ids, [("KEP".to_string(), 1234)], "the title's ID, not one in prose");
        assert!(!kep.is_record(), "one section alone is not a record");
        assert!(head("# X\n\n## Summary\n\n## Motivation\n").is_record(), "two sections are");
        assert!(head("# X\n\n## Status: Accepted\n").status);
    }

    #[test]
    fn ids_in_values() {
        assert_eq!(id_in("[SE-0001](0001-x.md)"), Some(("SE".into(), 1)));
        assert_eq!(id_in("see ADR-12."), Some(("ADR".into(), 12)));
        assert_eq!(id_in("swiftlang/swift#401"), None);
        assert_eq!(id_in("UTF-8"), Some(("UTF".into(), 8)), "syntax alone cannot tell; numbers must match");
        assert_eq!(id_in("xSE-1"), None);
        assert_eq!(id_in("SE-1a"), None);
    }

    #[test]
    fn record_yaml() {
        assert!(is_record_yaml("title: X\nkep-number: 1234\nauthors:\n  - a\n"));
        assert!(is_record_yaml("status: implemented\ncreation-date: 2020-01-01\n"));
        assert!(!is_record_yaml("title: X\nreplicas: 3\n"), "one record key is not enough");
        assert!(!is_record_yaml("spec:\n  title: X\n  status: y\n"), "nested keys do not count");
    }
}
