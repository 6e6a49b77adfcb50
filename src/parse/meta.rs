//! Metadata values: key/value lines (bold, plain, bullet), keys, statuses, dates, file names
//! and title prefixes. Every function here is pure and small.

use crate::model::Status;
use std::collections::BTreeMap;

/// Normalises a key for lookup: lower-case, `_`/space → `-`, no trailing colon.
/// `Decision Makers`, `decision_makers` and `decision-makers` are one key.
pub fn norm_key(key: &str) -> String {
    let k = key.trim().trim_end_matches(':').trim().to_lowercase();
    let mut out = String::with_capacity(k.len());
    for ch in k.chars() {
        let ch = if ch == '_' || ch.is_whitespace() { '-' } else { ch };
        if ch == '-' && out.ends_with('-') {
            continue;
        }
        out.push(ch);
    }
    out
}

/// Keys that make a plain (not bold) `Key: value` block count as metadata.
const KNOWN_KEYS: &[&str] = &[
    "status",
    "date",
    "author",
    "authors",
    "deciders",
    "decision-makers",
    "consulted",
    "informed",
    "tags",
    "tag",
    "context",
    "id",
    "title",
    "feature-name",
    "start-date",
    "rfc-pr",
    "rust-issue",
    "technical-story",
    "supersedes",
    "superseded-by",
    "amends",
    "amended-by",
    "related",
    "reviewers",
    "owner",
    "owners",
    "created",
    "updated",
    "last-updated",
    "category",
    "team",
    "teams",
    "author(s)",
    "owner(s)",
    "introduced",
    "creation-date",
    "created-at",
    "created-on",
    "date-created",
    "last-update",
    "last-modified",
    "modified",
    "revised",
    "proposed",
    "proposed-by",
    "submitted",
    "proposal",
    "review-manager",
    "implementation",
    "sponsor",
    "sponsors",
    "approvers",
    "discussion",
    "discussions",
    "type",
    "bug",
    "issue",
    "issues",
    "tracking-issue",
    "decision-notes",
    "rfc",
    "rfc-#",
    "kep",
    "kep-number",
    "state",
    "champion",
    "champions",
    "contributors",
    "obsoletes",
    "obsoleted-by",
    "replaces",
    "replaced-by",
    "see-also",
    "milestone",
    "stage",
    "epic",
    "ticket",
    "pr",
    "prs",
    "keywords",
    "labels",
    "priority",
    "component",
    "area",
    "scope",
    "version",
    "release",
    "target-version",
];

pub fn is_known_key(norm: &str) -> bool {
    // Every key the parse stage reads a field from counts too, so the two lists cannot drift.
    KNOWN_KEYS.contains(&norm) || super::FIELD_KEYS.iter().any(|keys| keys.contains(&norm))
}

/// One `Key: value` line: the key as written, the raw value, the value's byte offset in the
/// line, and whether the key was bold.
#[derive(Debug, PartialEq, Eq)]
pub struct KeyValue<'a> {
    pub key: &'a str,
    pub value: &'a str,
    pub value_offset: usize,
    pub bold: bool,
}

/// Parses `**Key:** value`, `**Key**: value`, `__Key:__ value` or `Key: value` (the line with any
/// list marker already removed). Plain keys are short (≤ 5 words, ≤ 40 bytes) and start with a letter.
pub fn key_value(line: &str) -> Option<KeyValue<'_>> {
    let trimmed_start = line.len() - line.trim_start().len();
    let l = line.trim_start();
    for marker in ["**", "__"] {
        if let Some(rest) = l.strip_prefix(marker) {
            let close = rest.find(marker)?;
            let inner = &rest[..close];
            let after = &rest[close + marker.len()..];
            let (key, after) = if let Some(k) = inner.trim_end().strip_suffix(':') {
                (k.trim(), after)
            } else {
                (inner.trim(), after.strip_prefix(':')?)
            };
            if key.is_empty() || key.len() > 60 {
                return None;
            }
            let value = after.trim();
            let value_offset = line.len() - after.trim_start().len();
            return Some(KeyValue { key, value, value_offset, bold: true });
        }
    }
    let colon = l.find(':')?;
    let key = l[..colon].trim();
    let after = &l[colon + 1..];
    let valid_key = !key.is_empty()
        && key.len() <= 40
        && key.split_whitespace().count() <= 5
        && key.chars().next().is_some_and(|c| c.is_alphabetic())
        && key.chars().all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '/' | '(' | ')'));
    if !valid_key || !(after.is_empty() || after.starts_with([' ', '\t'])) {
        return None;
    }
    let _ = trimmed_start;
    let value = after.trim();
    let value_offset = line.len() - after.trim_start().len();
    Some(KeyValue { key, value, value_offset, bold: false })
}

/// Whether a value is a template placeholder rather than real data (`N/A`, `TBD`, `[Name]`, `YYYY-MM-DD`).
pub fn is_placeholder(value: &str) -> bool {
    let v = value.trim();
    let lower = v.to_ascii_lowercase();
    v.is_empty()
        || matches!(
            lower.as_str(),
            "n/a" | "na" | "none" | "tbd" | "tba" | "-" | "--" | "—" | "todo" | "?" | "null" | "(none)"
        )
        || (v.starts_with('[') && v.ends_with(']') && !v.contains("]("))
        || (v.starts_with('{') && v.ends_with('}'))
        || lower.contains("yyyy")
}

/// The built-in status phrases, lower-case. A status text maps by its longest phrase at the
/// start (at a word boundary); what follows is a qualifier kept for display. Extra phrases come
/// from `[statuses]` in `dossier.toml` and win over these.
pub const STATUS_PHRASES: &[(&str, Status)] = &[
    // Draft: being written.
    ("draft", Status::Draft),
    ("drafting", Status::Draft),
    ("early draft", Status::Draft),
    ("wip", Status::Draft),
    ("work in progress", Status::Draft),
    ("in progress", Status::Draft),
    ("exploratory", Status::Draft),
    ("idea", Status::Draft),
    ("sketch", Status::Draft),
    ("pre-draft", Status::Draft),
    ("exploring", Status::Draft),
    ("exploration", Status::Draft),
    ("pitch", Status::Draft),
    ("brainstorming", Status::Draft),
    // Proposed: waiting for a decision.
    ("proposed", Status::Proposed),
    ("proposal", Status::Proposed),
    ("provisional", Status::Proposed),
    ("under review", Status::Proposed),
    ("in review", Status::Proposed),
    ("review", Status::Proposed),
    ("design review", Status::Proposed),
    ("reviewing", Status::Proposed),
    ("active review", Status::Proposed),
    ("scheduled for review", Status::Proposed),
    ("awaiting review", Status::Proposed),
    ("ready for review", Status::Proposed),
    ("needs review", Status::Proposed),
    ("pending", Status::Proposed),
    ("pending review", Status::Proposed),
    ("open", Status::Proposed),
    ("rfc", Status::Proposed),
    ("discussing", Status::Proposed),
    ("discussion", Status::Proposed),
    ("under discussion", Status::Proposed),
    ("in discussion", Status::Proposed),
    ("public discussion", Status::Proposed),
    ("under consideration", Status::Proposed),
    ("suggested", Status::Proposed),
    ("requested", Status::Proposed),
    ("submitted", Status::Proposed),
    ("on hold", Status::Proposed),
    ("on-hold", Status::Proposed),
    ("deferred", Status::Proposed),
    ("postponed", Status::Proposed),
    ("parked", Status::Proposed),
    ("returned for revision", Status::Proposed),
    ("returned", Status::Proposed),
    ("needs revision", Status::Proposed),
    ("revise", Status::Proposed),
    ("revision", Status::Proposed),
    ("final comment period", Status::Proposed),
    ("fcp", Status::Proposed),
    ("last call", Status::Proposed),
    ("candidate", Status::Proposed),
    ("prototype available", Status::Proposed),
    ("awaiting implementation", Status::Accepted),
    // Accepted: decided, not (known to be) done.
    ("accepted", Status::Accepted),
    ("approved", Status::Accepted),
    ("agreed", Status::Accepted),
    ("decided", Status::Accepted),
    ("adopted", Status::Accepted),
    ("active", Status::Accepted),
    ("final", Status::Accepted),
    ("ratified", Status::Accepted),
    ("current", Status::Accepted),
    ("implementable", Status::Accepted),
    ("in effect", Status::Accepted),
    ("effective", Status::Accepted),
    ("valid", Status::Accepted),
    ("living", Status::Accepted),
    ("partly superseded", Status::Accepted),
    ("partially superseded", Status::Accepted),
    ("amended", Status::Accepted),
    ("experimental", Status::Accepted),
    ("prototyped", Status::Accepted),
    ("prototype", Status::Accepted),
    ("previewing", Status::Accepted),
    ("preview", Status::Accepted),
    ("beta", Status::Accepted),
    ("alpha", Status::Accepted),
    ("in development", Status::Accepted),
    ("in implementation", Status::Accepted),
    ("being implemented", Status::Accepted),
    ("implementing", Status::Accepted),
    ("planned", Status::Accepted),
    ("ready for release", Status::Accepted),
    ("ready-for-release", Status::Accepted),
    ("scheduled", Status::Accepted),
    // Implemented: done.
    ("implemented", Status::Implemented),
    ("done", Status::Implemented),
    ("completed", Status::Implemented),
    ("complete", Status::Implemented),
    ("shipped", Status::Implemented),
    ("merged", Status::Implemented),
    ("released", Status::Implemented),
    ("in production", Status::Implemented),
    ("stable", Status::Implemented),
    ("stabilized", Status::Implemented),
    ("stabilised", Status::Implemented),
    ("landed", Status::Implemented),
    ("delivered", Status::Implemented),
    ("finished", Status::Implemented),
    ("live", Status::Implemented),
    ("deployed", Status::Implemented),
    ("recommended", Status::Implemented),
    // Rejected: decided against, or given up.
    ("rejected", Status::Rejected),
    ("declined", Status::Rejected),
    ("denied", Status::Rejected),
    ("refused", Status::Rejected),
    ("abandoned", Status::Rejected),
    ("withdrawn", Status::Rejected),
    ("won't do", Status::Rejected),
    ("wont do", Status::Rejected),
    ("won't fix", Status::Rejected),
    ("dropped", Status::Rejected),
    ("cancelled", Status::Rejected),
    ("canceled", Status::Rejected),
    ("expired", Status::Rejected),
    ("inactive", Status::Rejected),
    ("dormant", Status::Rejected),
    ("stalled", Status::Rejected),
    ("not accepted", Status::Rejected),
    ("not implemented", Status::Rejected),
    ("postponed indefinitely", Status::Rejected),
    // Deprecated: no longer followed.
    ("deprecated", Status::Deprecated),
    ("obsolete", Status::Deprecated),
    ("obsoleted", Status::Deprecated),
    ("retired", Status::Deprecated),
    ("archived", Status::Deprecated),
    ("sunset", Status::Deprecated),
    ("outdated", Status::Deprecated),
    ("removed", Status::Deprecated),
    ("reverted", Status::Deprecated),
    ("no longer relevant", Status::Deprecated),
    ("discontinued", Status::Deprecated),
    // Superseded: replaced by another document.
    ("superseded", Status::Superseded),
    ("superceded", Status::Superseded),
    ("replaced", Status::Superseded),
    ("unknown", Status::Unknown),
];

/// Words that may stand before a status phrase without changing it: `Partially implemented`,
/// `Provisionally accepted`, `Status: Accepted` (a value that repeats its key).
const STATUS_QUALIFIERS: &[&str] =
    &["partially", "partly", "mostly", "fully", "provisionally", "conditionally", "tentatively", "status:", "status"];

/// A status as written, normalised. `display` is the author's wording (without a trailing
/// "by …" clause); `status` is `None` when the wording is not recognised. `choice` is set when
/// the text is an unfilled template choice (`Proposed | Accepted`, `{Draft|Final}`, `[Status]`).
#[derive(Debug, PartialEq, Eq)]
pub struct StatusText {
    pub status: Option<Status>,
    pub display: String,
    pub choice: bool,
}

/// Normalises a status text (already plain text, no Markdown): the first non-empty line, then the
/// longest known phrase at its start (configured phrases first), after optional qualifiers.
pub fn normalize_status(text: &str, extra: &BTreeMap<String, Status>) -> StatusText {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    if is_status_choice(line, extra) {
        return StatusText { status: None, display: line.to_string(), choice: true };
    }
    let line = line.trim_start_matches(|c: char| !c.is_alphanumeric()).trim();
    let clean = line.trim_end_matches(['.', ':', ';', ',', '!']).trim();
    let display = without_by_clause(clean);
    let lower = display.to_lowercase();
    let status = extra
        .get(lower.as_str())
        .copied()
        .or_else(|| extra.get(&clean.to_lowercase()).copied())
        .or_else(|| status_prefix(&lower, extra));
    StatusText { status, display, choice: false }
}

/// "Superseded by X" shows as "Superseded"; the relation itself is read elsewhere.
fn without_by_clause(clean: &str) -> String {
    // ASCII lower-casing keeps byte offsets, so `i` is an offset into `clean` too.
    let ascii = clean.to_ascii_lowercase();
    match ascii.find(" by ") {
        Some(i)
            if ["superseded", "superceded", "amended", "replaced", "deprecated", "obsoleted"]
                .iter()
                .any(|w| ascii.starts_with(w)) =>
        {
            clean[..i].trim().to_string()
        }
        _ => clean.to_string(),
    }
}

/// The status of the longest phrase at the start of `lower` (after qualifiers), configured
/// phrases first.
fn status_prefix(lower: &str, extra: &BTreeMap<String, Status>) -> Option<Status> {
    let mut rest = lower.trim();
    loop {
        let found = longest_phrase(rest, extra);
        if found.is_some() {
            return found;
        }
        let (word, after) = rest.split_once(char::is_whitespace)?;
        if !STATUS_QUALIFIERS.contains(&word) {
            return None;
        }
        rest = after.trim_start();
    }
}

fn longest_phrase(text: &str, extra: &BTreeMap<String, Status>) -> Option<Status> {
    let at_boundary =
        |p: &str| text.strip_prefix(p).is_some_and(|r| r.is_empty() || !r.starts_with(|c: char| c.is_alphanumeric()));
    let configured = extra.iter().filter(|(p, _)| at_boundary(p)).max_by_key(|(p, _)| p.len());
    let builtin = STATUS_PHRASES.iter().filter(|(p, _)| at_boundary(p)).max_by_key(|(p, _)| p.len());
    match (configured, builtin) {
        (Some((p, s)), Some((b, _))) if p.len() >= b.len() => Some(*s),
        (Some((_, s)), None) => Some(*s),
        (_, Some((_, s))) => Some(*s),
        (None, None) => None,
    }
}

/// Whether a status text is a template's unfilled choice: `{Draft | Final}`, `[Status]`,
/// `<status>`, or two or more status words separated by `|` or `/` (`Proposed | Accepted`,
/// `(Proposed / Accepted / Implemented)`).
pub fn is_status_choice(line: &str, extra: &BTreeMap<String, Status>) -> bool {
    let t = line.trim();
    let wrapped = |o: char, c: char| t.starts_with(o) && t.ends_with(c) && t.len() > 2;
    if wrapped('{', '}') || wrapped('<', '>') || (wrapped('[', ']') && !t.contains("](")) {
        return true;
    }
    let in_parens = wrapped('(', ')');
    let inner = t.trim_start_matches(['(', '{', '[']).trim_end_matches([')', '}', ']']);
    let (sep, min) = if inner.contains('|') {
        ('|', 2)
    } else if inner.contains('/') {
        ('/', if in_parens { 2 } else { 3 })
    } else {
        return false;
    };
    let parts: Vec<&str> = inner.split(sep).map(str::trim).collect();
    parts.len() >= min
        && parts.iter().all(|p| {
            let l = p.to_lowercase();
            extra.contains_key(&l) || STATUS_PHRASES.iter().any(|(w, _)| *w == l)
        })
}

/// Parses a date into `YYYY-MM-DD`, or a month into `YYYY-MM`. Accepts `YYYY-MM-DD`,
/// `YYYY/MM/DD`, `YYYY.MM.DD` (either followed by a time), dates in words (`June 16, 2016`,
/// `15 September 2021`, `Sept. 5th, 2021`), and months (`July 2020`, `2020-07`). `None`: the
/// caller keeps the text as written and warns.
pub fn parse_date(text: &str) -> Option<String> {
    let t = text.trim().trim_start_matches(['(', '[', '*', '_']).trim_end_matches([')', ']', '*', '_', '.']).trim();
    numeric_date(t).or_else(|| words_date(t))
}

fn numeric_date(t: &str) -> Option<String> {
    let date_part = t.split(['T', ' ']).next().unwrap_or(t);
    let parts: Vec<&str> = date_part.split(['-', '/', '.']).collect();
    let num = |s: &str| s.parse::<i16>().ok();
    if parts.len() == 2 && parts[0].len() == 4 && (1..=2).contains(&parts[1].len()) && date_part == t {
        let (y, m) = (num(parts[0])?, num(parts[1])?);
        return (1..=12).contains(&m).then(|| format!("{y:04}-{m:02}"));
    }
    if parts.len() != 3
        || parts[0].len() != 4
        || parts[1].is_empty()
        || parts[1].len() > 2
        || parts[2].is_empty()
        || parts[2].len() > 2
    {
        return None;
    }
    let (y, m, d) = (num(parts[0])?, num(parts[1])?, num(parts[2])?);
    let date = jiff::civil::Date::new(y, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()?;
    Some(date.to_string())
}

/// The month a word names (`Jan`, `January`, `Sept.`), 1–12.
fn month_of(word: &str) -> Option<i8> {
    const MONTHS: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let w = word.trim_end_matches('.').to_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS.iter().position(|m| *m == w || (m.starts_with(&w) && (w.len() == 3 || w == "sept"))).map(|i| i as i8 + 1)
}

/// A day of the month written `5`, `05` or `5th`.
fn day_of(word: &str) -> Option<i8> {
    let w = word.trim_end_matches(['.', ',']);
    let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &w[digits.len()..];
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") || digits.is_empty() || digits.len() > 2 {
        return None;
    }
    digits.parse().ok()
}

fn year_of(word: &str) -> Option<i16> {
    let w = word.trim_end_matches(['.', ',']);
    (w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit())).then(|| w.parse().ok()).flatten()
}

/// `June 16, 2016`, `16 June 2016`, `June 2016`; a trailing time or note in parentheses is allowed.
fn words_date(t: &str) -> Option<String> {
    // `5th of January 2020`: the `of` is dropped.
    let words: Vec<&str> =
        t.split([' ', ',', '\t']).filter(|w| !w.is_empty() && !w.eq_ignore_ascii_case("of")).collect();
    let rest_ok = |from: usize| {
        words.get(from).is_none_or(|w| w.starts_with('(') || w.contains(':') || w.eq_ignore_ascii_case("utc"))
    };
    let full = |y: i16, m: i8, d: i8| jiff::civil::Date::new(y, m, d).ok().map(|d| d.to_string());
    match words.as_slice() {
        [m, d, y, ..] if rest_ok(3) => {
            if let (Some(m), Some(d), Some(y)) = (month_of(m), day_of(d), year_of(y)) {
                return full(y, m, d);
            }
            let (d, m, y) = (day_of(words[0])?, month_of(words[1])?, year_of(words[2])?);
            full(y, m, d)
        }
        [m, y] => Some(format!("{:04}-{:02}", year_of(y)?, month_of(m)?)),
        _ => None,
    }
}

/// The calendar day a document date stands for: the date itself, or a month's first day.
pub fn calendar_day(date: &str) -> Option<String> {
    let d = parse_date(date)?;
    Some(if d.len() == 7 { format!("{d}-01") } else { d })
}

/// What a file name says: a number (`0012-x`, `adr-012-x`, `ADR-12`), a date prefix
/// (`20200925-x`, `2020-09-25-x`), and the rest as a slug.
#[derive(Debug, PartialEq, Eq)]
pub struct FileName {
    pub number: Option<u32>,
    pub date: Option<String>,
    pub slug: String,
    /// The ID prefix written before the number (`KEEP` in `KEEP-0031-x`, `ADR` in `adr-012-x`).
    pub prefix: Option<String>,
}

/// ID prefixes a file name may carry in any case (`adr-012-x`, `rfc-0042`); any other prefix
/// counts only in capitals (`KEEP-0031-x`, `SE-0001`).
const FILE_PREFIXES: &[&str] = &["adr", "rfc", "kep", "keep", "pep", "rfd", "dep", "proposal", "decision"];

pub fn file_name(stem: &str) -> FileName {
    let digits_at = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    let plain = |slug: &str| FileName { number: None, date: None, slug: slug.to_string(), prefix: None };
    // Date prefixes first: they are never numbers.
    if let Some((date, rest)) = date_prefix(stem) {
        return FileName { date: Some(date), ..plain(rest.trim_start_matches(['-', '_', ' ', '.'])) };
    }
    let (prefix, after_prefix) = id_prefix(stem);
    let n = digits_at(after_prefix);
    if n > 0 && n <= 7 {
        let rest = &after_prefix[n..];
        if rest.is_empty() || rest.starts_with(['-', '_', ' ', '.']) {
            let number = after_prefix[..n].parse().ok();
            let slug = rest.trim_start_matches(['-', '_', ' ', '.']);
            return FileName { number, prefix: prefix.map(str::to_ascii_uppercase), ..plain(slug) };
        }
    }
    plain(stem)
}

/// A date prefix (`20200925-x`, `2020-09-25-x`, `2010-06-x` for a month) and the rest.
fn date_prefix(stem: &str) -> Option<(String, &str)> {
    let digits = stem.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 8 {
        let d = &stem[..8];
        let date = parse_date(&format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..]))?;
        return Some((date, &stem[8..]));
    }
    if digits != 4 || stem.as_bytes().get(4) != Some(&b'-') {
        return None;
    }
    let boundary = |i: usize| stem.get(i..).is_some_and(|r| r.is_empty() || r.starts_with(['-', '_', ' ', '.']));
    if stem.len() >= 10 && stem.as_bytes()[7] == b'-' && boundary(10) {
        return stem.get(..10).and_then(parse_date).map(|d| (d, &stem[10..]));
    }
    let year: u32 = stem[..4].parse().ok()?;
    if (1970..=2100).contains(&year) && boundary(7) {
        let month = stem.get(5..7)?;
        return parse_date(&format!("{}-{month}", &stem[..4])).map(|d| (d, &stem[7..]));
    }
    None
}

/// An ID prefix before the number: a known word in any case, or capitals (`KEEP-`, `SE-`).
fn id_prefix(stem: &str) -> (Option<&str>, &str) {
    let letters = stem.bytes().take_while(u8::is_ascii_alphabetic).count();
    if letters == 0 || letters > 8 {
        return (None, stem);
    }
    let word = &stem[..letters];
    let rest = stem[letters..].trim_start_matches(['-', '_', ' ', '#']);
    let separated = rest.len() < stem.len() - letters;
    let known = FILE_PREFIXES.contains(&word.to_ascii_lowercase().as_str());
    let capitals = letters >= 2 && word.bytes().all(|b| b.is_ascii_uppercase()) && separated;
    if (known || capitals) && rest.starts_with(|c: char| c.is_ascii_digit()) {
        (Some(word), rest)
    } else {
        (None, stem)
    }
}

/// A readable title from a file-name slug: `use-postgres_now` → `Use postgres now`.
pub fn title_from_slug(slug: &str) -> String {
    let words: Vec<&str> = slug.split(['-', '_', ' ']).filter(|w| !w.is_empty()).collect();
    let joined = words.join(" ");
    let mut chars = joined.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Labels a title may start with before a colon or dash (`Technical Design: X`, `Proposal: X`).
const TITLE_LABELS: &[&str] = &[
    "technical design document",
    "technical design",
    "design document",
    "design doc",
    "design proposal",
    "design",
    "feature specification",
    "feature spec",
    "specification",
    "architecture decision record",
    "architectural decision record",
    "architecture decision",
    "decision record",
    "decision",
    "proposal",
    "rfc",
    "adr",
    "kep",
    "pep",
    "spec",
    "feature",
];

/// Strips the prefixes titles carry in the formats dossier reads, repeatedly:
/// `Technical Design: X`, `Proposal: X`, `12. X`, `ADR-0012: X`, `ADR 12 - X`, `SE-0001: X`,
/// `[ADR-12] X`.
pub fn strip_title_prefix(title: &str) -> String {
    let mut t = title.trim();
    for _ in 0..3 {
        match strip_once(t) {
            Some((rest, _)) if !rest.is_empty() => t = rest,
            _ => break,
        }
    }
    t.to_string()
}

/// The number a title states in its prefix (`# 12. X`, `# ADR-0012: X`), if any.
pub fn title_number(title: &str) -> Option<u32> {
    let mut t = title.trim();
    for _ in 0..3 {
        match strip_once(t) {
            Some((_, Some(n))) => return Some(n),
            Some((rest, None)) if !rest.is_empty() => t = rest,
            _ => return None,
        }
    }
    None
}

/// The ID a title states in its prefix (`# KEP-1234: X` → (`KEP`, 1234)): capitals or a known
/// ID word, then a number.
pub fn title_id(title: &str) -> Option<(String, u32)> {
    let t = title.trim().trim_start_matches('[');
    let letters = t.bytes().take_while(u8::is_ascii_alphabetic).count();
    let word = &t[..letters];
    let id_word = (2..=8).contains(&letters)
        && (word.bytes().all(|b| b.is_ascii_uppercase())
            || FILE_PREFIXES.contains(&word.to_ascii_lowercase().as_str()));
    if !id_word || !t[letters..].starts_with(['-', '_', ' ', '#']) {
        return None;
    }
    Some((word.to_ascii_uppercase(), title_number(title)?))
}

/// One prefix off the front of a title: the rest, and the number it stated.
fn strip_once(t: &str) -> Option<(&str, Option<u32>)> {
    // ASCII lower-casing keeps byte offsets, so slices of `lower` are slices of `t`.
    let lower = t.to_ascii_lowercase();
    // A separator stands alone: `12. X`, `ADR-12 - X`, `RFC 42: X`; not `128-bit` or `1.0 X`.
    let sep = |r: &str| -> Option<usize> {
        let x = r.trim_start().strip_prefix([':', '-', '–', '—', '.', ')', '|'])?;
        (x.is_empty() || x.starts_with(char::is_whitespace)).then(|| r.len() - x.len())
    };
    // `[ADR-12] X`
    if let Some(inner) = t.strip_prefix('[')
        && let Some(close) = inner.find(']')
        && crate::link::split_id(&inner[..close]).is_some()
    {
        let n = crate::link::split_id(&inner[..close]).map(|(_, n)| n);
        return Some((inner[close + 1..].trim_start_matches([':', '-', ' ']).trim(), n));
    }
    // A label: `Proposal: X`, `Design - X`; an ID word with a number is handled below.
    for label in TITLE_LABELS {
        if let Some(rest) = lower.strip_prefix(label)
            && !rest.starts_with(|c: char| c.is_alphanumeric())
            && let Some(skip) = sep(rest)
        {
            return Some((t[label.len() + skip..].trim(), None));
        }
    }
    // An ID (`ADR-0012`, `SE-0001`, `RFC 42`, `ADR #12`) or a bare number, then a separator (or,
    // after an ID word, a space).
    let letters = t.bytes().take_while(u8::is_ascii_alphabetic).count();
    let word = &t[..letters];
    let known = FILE_PREFIXES.contains(&&lower[..letters]);
    let id_word =
        letters > 0 && letters <= 8 && (known || word.bytes().all(|b| b.is_ascii_uppercase()) && letters >= 2);
    if letters > 0 && !id_word {
        return None;
    }
    let after_word = t[letters..].trim_start_matches(['-', '_', ' ', '#']);
    if letters > 0 && after_word.len() == t.len() - letters && !known {
        return None; // `MP3` is a word, not an ID (`ADR001` is one)
    }
    let digits = after_word.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 7 {
        return None;
    }
    let n = after_word[..digits].parse().ok();
    let after = &after_word[digits..];
    if let Some(skip) = sep(after) {
        return Some((after[skip..].trim(), n));
    }
    if known && after.starts_with(' ') {
        return Some((after.trim(), n));
    }
    None
}

/// A template's own title: placeholder text (`<number>. <title>`, `[short title]`, `{Title}`),
/// or nothing left once the prefix is dropped.
pub fn is_placeholder_title(title: &str) -> bool {
    let t = strip_title_prefix(title);
    let lower = title.to_lowercase();
    t.is_empty()
        || t == "."
        || is_placeholder(&t)
        || (t.starts_with('<') && t.ends_with('>'))
        || lower.contains("<title>")
        || lower.contains("<number>")
        || lower.contains("short title")
        || lower.contains("title of")
        || lower.contains("{title}")
        || lower.contains("[title]")
}

/// Author names from metadata values, in the order written: links give their text; lists split
/// at `,`, `;`, `&` and `and` (not inside parentheses); emails, `@handles`, parenthesised
/// affiliations and trailing hard-break backslashes are dropped; duplicates are merged by name.
pub fn clean_authors(items: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for item in items {
        let text = super::markdown::plain_text(&reference_links_as_text(item));
        for part in split_people(&text) {
            let name = clean_person(&part);
            if name.is_empty() || is_placeholder(&name) {
                continue;
            }
            if !out.iter().any(|n| n.eq_ignore_ascii_case(&name)) {
                out.push(name);
            }
        }
    }
    out
}

/// `[Ann][]` and `[Ann][ann]` (reference links whose definitions are elsewhere) as `Ann`.
fn reference_links_as_text(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find("][").map(|c| open + c) else { break };
        let Some(end) = rest[close + 2..].find(']').map(|e| close + 2 + e) else { break };
        let label = &rest[open + 1..close];
        if label.contains('[') || label.contains(']') {
            out.push_str(&rest[..open + 1]);
            rest = &rest[open + 1..];
            continue;
        }
        out.push_str(&rest[..open]);
        out.push_str(label);
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

/// Splits a list of people at separators outside parentheses and angle brackets.
fn split_people(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut depth = 0i32;
    let mut cur = String::new();
    let flush = |cur: &mut String, parts: &mut Vec<String>| {
        for p in cur.split(" and ").flat_map(|p| p.split(" & ")) {
            parts.push(p.to_string());
        }
        cur.clear();
    };
    for c in text.chars() {
        match c {
            '(' | '<' | '[' => depth += 1,
            ')' | '>' | ']' => depth -= 1,
            _ => {}
        }
        if depth <= 0 && matches!(c, ',' | ';' | '\n' | '&') {
            flush(&mut cur, &mut parts);
            depth = 0;
            continue;
        }
        cur.push(c);
    }
    flush(&mut cur, &mut parts);
    parts
}

/// One person: `Ann Lee <ann@example.com>`, `Ann Lee (Acme)`, `Ann Lee (@ann)`, `Ann Lee\` → `Ann Lee`.
fn clean_person(part: &str) -> String {
    let mut s = String::new();
    let mut depth = 0i32;
    for c in part.chars() {
        match c {
            '(' | '<' => depth += 1,
            ')' | '>' => depth = (depth - 1).max(0),
            _ if depth == 0 => s.push(c),
            _ => {}
        }
    }
    let s = s.trim().trim_end_matches('\\').trim();
    let words: Vec<&str> = s
        .split_whitespace()
        .filter(|w| !(w.contains('@') && w.len() > 1 && s.split_whitespace().count() > 1))
        .collect();
    let name = words.join(" ");
    let name =
        name.trim_matches(|c: char| matches!(c, '"' | '\'' | '`' | '*' | '_' | ':' | '.' | '-') || c.is_whitespace());
    if name.is_empty() {
        // Only an email or handle was given: keep it.
        return part.trim().trim_matches(['<', '>', '(', ')', '\\']).trim().to_string();
    }
    name.to_string()
}

/// Whether a text reads as a person's name (for bylines): one to four words, each starting with
/// a capital (or a particle such as `van`), no digits.
pub fn looks_like_name(s: &str) -> bool {
    const PARTICLES: &[&str] =
        &["van", "von", "de", "der", "den", "da", "di", "du", "le", "la", "bin", "al", "del", "dos"];
    let words: Vec<&str> = s.split_whitespace().collect();
    (1..=4).contains(&words.len())
        && words.iter().any(|w| w.chars().next().is_some_and(char::is_uppercase))
        && words.iter().all(|w| {
            PARTICLES.contains(w)
                || (w.chars().next().is_some_and(char::is_uppercase)
                    && w.chars().all(|c| c.is_alphabetic() || matches!(c, '.' | '-' | '\'' | '’')))
        })
}

/// Splits a list value written as text: `a, b and c` → `[a, b, c]`.
pub fn split_list(value: &str) -> Vec<String> {
    value
        .split([',', ';'])
        .flat_map(|s| s.split(" and "))
        .map(|s| s.trim().trim_matches(['"', '\'', '`']).trim().to_string())
        .filter(|s| !s.is_empty() && !is_placeholder(s))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(t: &str) -> Option<Status> {
        normalize_status(t, &BTreeMap::new()).status
    }

    #[test]
    fn status_phrases_longest_prefix_wins() {
        // The examples.
        assert_eq!(st("Implemented (Swift 2.2)"), Some(Status::Implemented));
        assert_eq!(st("Partially implemented"), Some(Status::Implemented));
        assert_eq!(st("Active review (Aug 10...Aug 24)"), Some(Status::Proposed));
        assert_eq!(st("Returned for revision"), Some(Status::Proposed));
        assert_eq!(st("Implementable"), Some(Status::Accepted));
        assert_eq!(st("Accepted (for the GitHub package pipeline)"), Some(Status::Accepted));
        // Words the issue does not name.
        assert_eq!(st("Provisionally accepted"), Some(Status::Accepted));
        assert_eq!(st("Stable in 1.9.0"), Some(Status::Implemented));
        assert_eq!(st("Partially stable in 1.5, see details"), Some(Status::Implemented));
        assert_eq!(st("Public discussion"), Some(Status::Proposed));
        assert_eq!(st("Final comment period"), Some(Status::Proposed));
        assert_eq!(st("Withdrawn by the author"), Some(Status::Rejected));
        assert_eq!(st("Obsoleted by ADR-0009"), Some(Status::Deprecated));
        assert_eq!(st("Accepted with modifications"), Some(Status::Accepted));
        assert_eq!(st("Status: Active Review (June 1 - June 14)"), Some(Status::Proposed));
        assert_eq!(st("Deferred until Q3"), Some(Status::Proposed));
        assert_eq!(st("Completed in v2"), Some(Status::Implemented));
        // Word boundaries: a phrase must end at a word boundary.
        assert_eq!(st("Openness"), None);
        assert_eq!(st("Finalized-ish"), None);
        // Configured phrases win over the built-in ones, and may be longer.
        let mut extra = BTreeMap::new();
        extra.insert("accepted pending review".to_string(), Status::Proposed);
        assert_eq!(normalize_status("Accepted pending review by legal", &extra).status, Some(Status::Proposed));
        assert_eq!(normalize_status("Accepted", &extra).status, Some(Status::Accepted));
    }

    #[test]
    fn template_choices_are_not_statuses() {
        for t in [
            "{Deprecated|Proposed|Accepted}",
            "Proposed | Accepted | Rejected",
            "[Status]",
            "(Proposed / Accepted / Implemented / Obsolete)",
            "<status>",
        ] {
            let s = normalize_status(t, &BTreeMap::new());
            assert!(s.choice && s.status.is_none(), "{t}: {s:?}");
        }
        let s = normalize_status("Accepted / superseded", &BTreeMap::new());
        assert!(!s.choice, "two words with a slash and no parentheses are a status: {s:?}");
    }

    fn status(t: &str) -> (Option<Status>, String) {
        let s = normalize_status(t, &BTreeMap::new());
        (s.status, s.display)
    }

    #[test]
    fn keys_normalise() {
        assert_eq!(norm_key("Decision Makers:"), "decision-makers");
        assert_eq!(norm_key("superseded_by"), "superseded-by");
        assert_eq!(norm_key("RFC  PR"), "rfc-pr");
        // Keys the parse stage reads make a block credible without being listed twice.
        assert!(is_known_key("decision-date") && is_known_key("written-by") && is_known_key("kep-number"));
    }

    #[test]
    fn key_value_forms() {
        let kv = key_value("**Status:** Approved").unwrap();
        assert_eq!((kv.key, kv.value, kv.bold), ("Status", "Approved", true));
        assert_eq!(&"**Status:** Approved"[kv.value_offset..], "Approved");
        let kv = key_value("**Status**: Draft").unwrap();
        assert_eq!((kv.key, kv.value), ("Status", "Draft"));
        let kv = key_value("Date: 2017-02-21").unwrap();
        assert_eq!((kv.key, kv.value, kv.bold), ("Date", "2017-02-21", false));
        let kv = key_value("RFC PR: [rust-lang/rfcs#1](https://x/1)").unwrap();
        assert_eq!(kv.value, "[rust-lang/rfcs#1](https://x/1)");
        assert!(key_value("This is a sentence: with a colon").is_some_and(|kv| kv.key.split_whitespace().count() <= 5));
        assert!(key_value("A much longer sentence that has many words: yes").is_none());
        assert!(key_value("http://example.com").is_none());
        assert!(key_value("no colon here").is_none());
        assert!(key_value("**unclosed bold: x").is_none());
    }

    #[test]
    fn statuses() {
        assert_eq!(status("Accepted"), (Some(Status::Accepted), "Accepted".into()));
        assert_eq!(status("Under Review"), (Some(Status::Proposed), "Under Review".into()));
        assert_eq!(status("Approved"), (Some(Status::Accepted), "Approved".into()));
        assert_eq!(status("Superseded by 5. Use X"), (Some(Status::Superseded), "Superseded".into()));
        assert_eq!(status("superseded by 20201016-use-slug"), (Some(Status::Superseded), "superseded".into()));
        assert_eq!(status("Partly superseded"), (Some(Status::Accepted), "Partly superseded".into()));
        assert_eq!(status("Pending"), (Some(Status::Proposed), "Pending".into()));
        assert_eq!(status("Accepted (2020-01-01)").0, Some(Status::Accepted));
        assert_eq!(status("✅ Implemented.").0, Some(Status::Implemented));
        assert_eq!(status("Acceptd"), (None, "Acceptd".into()));
        assert_eq!(status("İİİ superseded by x").0, None, "no panic on case changes that alter lengths");
        assert_eq!(strip_title_prefix("İİ Design: x"), "İİ Design: x");
        // An unfilled template choice is no status (the parse stage warns about it).
        assert_eq!(status("Draft | Under Review | Approved").0, None);
        assert!(normalize_status("Draft | Under Review | Approved", &BTreeMap::new()).choice);
        let mut extra = BTreeMap::new();
        extra.insert("in flight".to_string(), Status::Proposed);
        assert_eq!(normalize_status("In Flight", &extra).status, Some(Status::Proposed));
    }

    #[test]
    fn dates() {
        assert_eq!(parse_date("2017-02-21"), Some("2017-02-21".into()));
        assert_eq!(parse_date("2017/2/1"), Some("2017-02-01".into()));
        assert_eq!(parse_date("2020-09-25T10:00:00Z"), Some("2020-09-25".into()));
        assert_eq!(parse_date("2014-19-19"), None);
        assert_eq!(parse_date("23-07-2014"), None);
        assert_eq!(parse_date("2021-02-30"), None);
        assert_eq!(parse_date("soon"), None);
        assert_eq!(parse_date("(2023-06-27)"), Some("2023-06-27".into()));
        // Dates in words, and months.
        assert_eq!(parse_date("June 16, 2016"), Some("2016-06-16".into()));
        assert_eq!(parse_date("15 September 2021"), Some("2021-09-15".into()));
        assert_eq!(parse_date("Sept. 5th, 2021"), Some("2021-09-05".into()));
        assert_eq!(parse_date("Mar 3 2020"), Some("2020-03-03".into()));
        assert_eq!(parse_date("5th of January 2020"), Some("2020-01-05".into()));
        assert_eq!(parse_date("2021-07-20T10:00Z"), Some("2021-07-20".into()));
        assert_eq!(parse_date("July 2020"), Some("2020-07".into()));
        assert_eq!(parse_date("2020-07"), Some("2020-07".into()));
        assert_eq!(calendar_day("July 2020"), Some("2020-07-01".into()));
        assert_eq!(parse_date("February 30, 2020"), None);
        assert_eq!(parse_date("Maybe 2020"), None);
        assert_eq!(parse_date("2020-13"), None);
        assert_eq!(status("On hold").0, Some(Status::Proposed));
    }

    #[test]
    fn file_names() {
        assert_eq!(
            file_name("0012-use-postgres"),
            FileName { number: Some(12), date: None, slug: "use-postgres".into(), prefix: None }
        );
        assert_eq!(file_name("adr-012-x").number, Some(12));
        assert_eq!(file_name("ADR-12").number, Some(12));
        assert_eq!(file_name("ADR-12").slug, "");
        assert_eq!(
            file_name("20200925-multi-packages"),
            FileName { number: None, date: Some("2020-09-25".into()), slug: "multi-packages".into(), prefix: None }
        );
        assert_eq!(file_name("2020-09-25-x").date.as_deref(), Some("2020-09-25"));
        assert_eq!(file_name("1096-remove-static-assert").number, Some(1096));
        assert_eq!(file_name("search").number, None);
        assert_eq!(file_name("3d-rendering").number, None);
        assert_eq!(file_name("adrenaline").number, None);
        assert_eq!(
            file_name("2020-01-\u{2603}x").date.as_deref(),
            Some("2020-01"),
            "no panic on a multi-byte character at byte 8"
        );
        assert_eq!(file_name("2020-0\u{2603}").date, None, "no panic on a multi-byte character at byte 6");
        // Date prefixes are dates, never numbers; a month prefix is a month.
        assert_eq!(file_name("2010-06-slug").date.as_deref(), Some("2010-06"));
        assert_eq!(file_name("2010-06-slug").number, None);
        assert_eq!(file_name("20180507-cond-v2").number, None);
        assert_eq!(file_name("2001-use-x").number, Some(2001));
        // ID prefixes: known words in any case, other prefixes in capitals.
        let k = file_name("KEEP-0031-data-class-inheritance");
        assert_eq!(
            (k.number, k.prefix.as_deref(), k.slug.as_str()),
            (Some(31), Some("KEEP"), "data-class-inheritance")
        );
        assert_eq!(file_name("adr_0007_x").number, Some(7));
        assert_eq!(file_name("0001_slug").number, Some(1));
        assert_eq!(file_name("ui-2-plan").number, None);
        assert_eq!(file_name("SE-12").prefix.as_deref(), Some("SE"));
        assert_eq!(file_name("2010-13-x").number, Some(2010), "not a month");
    }

    #[test]
    fn titles() {
        assert_eq!(strip_title_prefix("Technical Design: Search Index"), "Search Index");
        assert_eq!(strip_title_prefix("12. Use Postgres"), "Use Postgres");
        assert_eq!(strip_title_prefix("ADR-0012: Use Postgres"), "Use Postgres");
        assert_eq!(strip_title_prefix("ADR 12 - Use Postgres"), "Use Postgres");
        assert_eq!(strip_title_prefix("RFC-42: Tabs"), "Tabs");
        assert_eq!(strip_title_prefix("3D rendering"), "3D rendering");
        assert_eq!(strip_title_prefix("2024 roadmap"), "2024 roadmap");
        assert_eq!(strip_title_prefix("Designing for scale"), "Designing for scale");
        assert_eq!(title_from_slug("use-postgres_now"), "Use postgres now");
        for (raw, want) in [
            ("ADR 0009: Use X", "Use X"),
            ("ADR-0009 - Use X", "Use X"),
            ("SE-0001: Allow keywords", "Allow keywords"),
            ("RFC 42: Tabs", "Tabs"),
            ("Proposal: Go install", "Go install"),
            ("Design: Caching", "Caching"),
            ("KEP-1234: Sidecars", "Sidecars"),
            ("[ADR-12] Use X", "Use X"),
            ("ADR 0037: ADR 0037: Twice", "Twice"),
            ("Design of the cache", "Design of the cache"),
            ("API 2 design", "API 2 design"),
            ("HTTP/2 support", "HTTP/2 support"),
            ("128-bit Integer Types", "128-bit Integer Types"),
            ("1.0 Roadmap", "1.0 Roadmap"),
            ("12.Use X", "12.Use X"),
        ] {
            assert_eq!(strip_title_prefix(raw), want, "{raw}");
        }
        assert_eq!(title_number("41. X"), Some(41));
        assert_eq!(title_number("ADR-0042: X"), Some(42));
        assert_eq!(title_number("Proposal: X"), None);
        assert_eq!(title_id("KEP-1234: Sidecars"), Some(("KEP".into(), 1234)));
        assert_eq!(title_id("[ADR-12] Use X"), Some(("ADR".into(), 12)));
        assert_eq!(title_id("12. Use X"), None);
        assert_eq!(title_id("Use 2 databases"), None);
        assert!(is_placeholder_title("<number>. <title>"));
        assert!(is_placeholder_title("[short title of solved problem and solution]"));
        assert!(!is_placeholder_title("Use Postgres"));
    }

    #[test]
    fn placeholders_and_lists() {
        assert!(is_placeholder("N/A"));
        assert!(is_placeholder("[Feature Name]"));
        assert!(is_placeholder("[YYYY-MM-DD]"));
        assert!(!is_placeholder("[link](x.md)"));
        assert!(!is_placeholder("remove-static-assert"));
        assert_eq!(split_list("Ann, Bob and Cy; [Name]"), ["Ann", "Bob", "Cy"]);
    }

    #[test]
    fn authors_are_cleaned_in_order() {
        let a = |s: &str| clean_authors(&[s.to_string()]);
        assert_eq!(a("Ann Lee <ann@example.com>, Bo Chen"), ["Ann Lee", "Bo Chen"]);
        assert_eq!(a("Zed Ray & Ann Lee and Bo Chen; Cy Dee"), ["Zed Ray", "Ann Lee", "Bo Chen", "Cy Dee"]);
        assert_eq!(a("Ann Lee (Acme, Inc.), Bo Chen (bo@example.com)"), ["Ann Lee", "Bo Chen"]);
        assert_eq!(a("Ann Lee\\"), ["Ann Lee"]);
        assert_eq!(a("[Ann Lee](https://e.org/ann), [Bo Chen](https://e.org/bo)"), ["Ann Lee", "Bo Chen"]);
        assert_eq!(a("[Ann Lee][], [Bo Chen][bo]"), ["Ann Lee", "Bo Chen"]);
        assert_eq!(a("Ann Lee (@annlee), ann lee"), ["Ann Lee"]);
        assert_eq!(a("ann@example.com"), ["ann@example.com"]);
        assert!(looks_like_name("Ann van Lee"));
        assert!(!looks_like_name("This proposal adds a cache"));
        assert!(!looks_like_name("Version 2"));
    }
}
