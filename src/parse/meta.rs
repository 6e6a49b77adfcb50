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
];

pub fn is_known_key(norm: &str) -> bool {
    KNOWN_KEYS.contains(&norm)
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

/// The built-in status vocabulary. Extra words come from `[statuses]` in `dossier.toml`.
fn builtin_status(word: &str) -> Option<Status> {
    Some(match word {
        "draft" | "drafting" | "wip" | "work in progress" | "in progress" | "idea" | "early draft" | "sketch" => {
            Status::Draft
        }
        "proposed" | "proposal" | "under review" | "in review" | "review" | "reviewing" | "pending" | "open"
        | "rfc" | "discussing" | "under discussion" | "in discussion" | "suggested" | "requested" | "submitted"
        | "ready for review" | "on hold" | "on-hold" | "deferred" | "postponed" | "parked" => Status::Proposed,
        "accepted"
        | "approved"
        | "agreed"
        | "decided"
        | "adopted"
        | "active"
        | "final"
        | "ratified"
        | "current"
        | "partly superseded"
        | "partially superseded" => Status::Accepted,
        "implemented" | "done" | "completed" | "complete" | "shipped" | "merged" | "released" | "in production"
        | "stable" | "landed" => Status::Implemented,
        "rejected" | "declined" | "denied" | "abandoned" | "withdrawn" | "won't do" | "wont do" | "dropped" => {
            Status::Rejected
        }
        "deprecated" | "obsolete" | "retired" | "archived" | "sunset" | "outdated" => Status::Deprecated,
        "superseded" | "superceded" | "replaced" => Status::Superseded,
        "unknown" => Status::Unknown,
        _ => return None,
    })
}

/// A status as written, normalised. `display` is the author's wording (without a trailing
/// "by …" clause); `status` is `None` when the wording is not recognised.
#[derive(Debug, PartialEq, Eq)]
pub struct StatusText {
    pub status: Option<Status>,
    pub display: String,
}

/// Normalises a status text (already plain text, no Markdown): the first line, trimmed,
/// then the configured words, the built-in vocabulary, and finally the first word.
pub fn normalize_status(text: &str, extra: &BTreeMap<String, Status>) -> StatusText {
    let line = text.lines().map(str::trim).find(|l| !l.is_empty()).unwrap_or("");
    let line = line.trim_start_matches(|c: char| !c.is_alphanumeric()).trim();
    let clean = line.trim_end_matches(['.', ':', ';', ',', '!']).trim();
    let lower = clean.to_lowercase();
    // "Superseded by X" shows as "Superseded"; the relation itself is read elsewhere. ASCII
    // lower-casing keeps byte offsets, so `i` is an offset into `clean` too.
    let ascii = clean.to_ascii_lowercase();
    let display = match ascii.find(" by ") {
        Some(i)
            if ascii.starts_with("superseded")
                || ascii.starts_with("superceded")
                || ascii.starts_with("amended")
                || ascii.starts_with("replaced")
                || ascii.starts_with("deprecated") =>
        {
            clean[..i].trim().to_string()
        }
        _ => clean.to_string(),
    };
    let lower_display = display.to_lowercase();
    let lookup = |w: &str| extra.get(w).copied().or_else(|| builtin_status(w));
    let mut status = lookup(&lower_display).or_else(|| lookup(&lower));
    if status.is_none() && lower_display.starts_with("amended") {
        status = Some(Status::Accepted);
    }
    if status.is_none() {
        // "Accepted (2020-01-01)", "Approved - see notes", "✅ Accepted".
        let first: String = lower_display
            .split(|c: char| !c.is_alphanumeric() && c != '\'')
            .find(|w| !w.is_empty())
            .unwrap_or("")
            .to_string();
        status = lookup(&first);
    }
    StatusText { status, display }
}

/// Parses a date into `YYYY-MM-DD`. Accepts `YYYY-MM-DD`, `YYYY/MM/DD`, and either followed by a
/// time. `None`: the caller keeps the text as written and warns.
pub fn parse_date(text: &str) -> Option<String> {
    let t = text.trim().trim_start_matches(['(', '[']).trim_end_matches([')', ']']).trim();
    let date_part = t.split(['T', ' ']).next().unwrap_or(t);
    let parts: Vec<&str> = date_part.split(['-', '/', '.']).collect();
    if parts.len() != 3
        || parts[0].len() != 4
        || parts[1].is_empty()
        || parts[1].len() > 2
        || parts[2].is_empty()
        || parts[2].len() > 2
    {
        return None;
    }
    let num = |s: &str| s.parse::<i16>().ok();
    let (y, m, d) = (num(parts[0])?, num(parts[1])?, num(parts[2])?);
    let date = jiff::civil::Date::new(y, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()?;
    Some(date.to_string())
}

/// What a file name says: a number (`0012-x`, `adr-012-x`, `ADR-12`), a date prefix
/// (`20200925-x`, `2020-09-25-x`), and the rest as a slug.
#[derive(Debug, PartialEq, Eq)]
pub struct FileName {
    pub number: Option<u32>,
    pub date: Option<String>,
    pub slug: String,
}

pub fn file_name(stem: &str) -> FileName {
    let digits_at = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
    // Date prefixes first: they are never numbers.
    let n = digits_at(stem);
    if n == 8 {
        let (d, rest) = stem.split_at(8);
        if let Some(date) = parse_date(&format!("{}-{}-{}", &d[..4], &d[4..6], &d[6..])) {
            return FileName {
                number: None,
                date: Some(date),
                slug: rest.trim_start_matches(['-', '_', ' ']).to_string(),
            };
        }
    }
    if n == 4
        && stem.len() >= 10
        && stem.as_bytes()[4] == b'-'
        && stem.as_bytes()[7] == b'-'
        && let Some(date) = stem.get(..10).and_then(parse_date)
    {
        {
            let rest = stem.get(10..).unwrap_or("");
            if rest.is_empty() || rest.starts_with(['-', '_', ' ']) {
                return FileName {
                    number: None,
                    date: Some(date),
                    slug: rest.trim_start_matches(['-', '_', ' ']).to_string(),
                };
            }
        }
    }
    if let Some(month) = year_month_prefix(stem) {
        let rest = &stem[7..];
        return FileName {
            number: None,
            date: Some(month),
            slug: rest.trim_start_matches(['-', '_', ' ']).to_string(),
        };
    }
    let lower = stem.to_ascii_lowercase();
    let after_prefix = ["adr", "rfc"]
        .iter()
        .find_map(|p| lower.strip_prefix(p).map(|r| &stem[stem.len() - r.len()..]))
        .map(|r| r.trim_start_matches(['-', '_', ' ']))
        .unwrap_or(stem);
    let n = digits_at(after_prefix);
    if n > 0 && n <= 7 {
        let rest = &after_prefix[n..];
        if rest.is_empty() || rest.starts_with(['-', '_', ' ', '.']) {
            let number = after_prefix[..n].parse().ok();
            return FileName { number, date: None, slug: rest.trim_start_matches(['-', '_', ' ', '.']).to_string() };
        }
    }
    FileName { number: None, date: None, slug: stem.to_string() }
}

/// `2010-06-slug` → `2010-06`: a year from 1900 to 2199 and a month, then the end or a separator
/// and the slug (a month prefix is a date, never the number 2010).
fn year_month_prefix(stem: &str) -> Option<String> {
    let b = stem.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    if !(digits(0..4) && b.get(4) == Some(&b'-') && digits(5..7)) {
        return None;
    }
    // The end, or a separator and an ASCII slug.
    if b.get(7).is_some_and(|c| !matches!(c, b'-' | b'_' | b' '))
        || b.get(8).is_some_and(|c| !c.is_ascii_alphanumeric())
    {
        return None;
    }
    let year: u32 = stem[..4].parse().ok()?;
    let month: u32 = stem[5..7].parse().ok()?;
    ((1900..2200).contains(&year) && (1..=12).contains(&month)).then(|| stem[..7].to_string())
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

/// Strips the prefixes titles carry in the formats dossier reads: `Technical Design: X`,
/// `12. X`, `ADR-0012: X`, `ADR 12 - X`, `RFC-42: X`.
pub fn strip_title_prefix(title: &str) -> String {
    let t = title.trim();
    // ASCII lower-casing keeps byte offsets, so slices of `lower` are slices of `t`.
    let lower = t.to_ascii_lowercase();
    for label in [
        "technical design",
        "design doc",
        "design document",
        "design",
        "architecture decision record",
        "decision record",
    ] {
        if let Some(rest) = lower.strip_prefix(label)
            && let Some(r) = rest.trim_start().strip_prefix([':', '-', '–', '—'])
        {
            let stripped = t[t.len() - r.len()..].trim();
            if !stripped.is_empty() {
                return stripped.to_string();
            }
        }
    }
    // Optional ID prefix word, then a number, then a separator.
    let mut rest = t;
    for word in ["adr", "rfc"] {
        if lower.starts_with(word) {
            rest = t[word.len()..].trim_start_matches(['-', '_', ' ', '#']);
            break;
        }
    }
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 {
        let after = rest[digits..].trim_start();
        if let Some(r) = after.strip_prefix([':', '.', '-', '–', '—', ')']) {
            let r = r.trim();
            if !r.is_empty() {
                return r.to_string();
            }
        }
    }
    t.to_string()
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

    fn status(t: &str) -> (Option<Status>, String) {
        let s = normalize_status(t, &BTreeMap::new());
        (s.status, s.display)
    }

    #[test]
    fn keys_normalise() {
        assert_eq!(norm_key("Decision Makers:"), "decision-makers");
        assert_eq!(norm_key("superseded_by"), "superseded-by");
        assert_eq!(norm_key("RFC  PR"), "rfc-pr");
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
        assert_eq!(status("Draft | Under Review | Approved").0, Some(Status::Draft));
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
        assert_eq!(status("On hold").0, Some(Status::Proposed));
    }

    #[test]
    fn file_names() {
        assert_eq!(
            file_name("0012-use-postgres"),
            FileName { number: Some(12), date: None, slug: "use-postgres".into() }
        );
        assert_eq!(file_name("adr-012-x").number, Some(12));
        assert_eq!(file_name("ADR-12").number, Some(12));
        assert_eq!(file_name("ADR-12").slug, "");
        assert_eq!(
            file_name("20200925-multi-packages"),
            FileName { number: None, date: Some("2020-09-25".into()), slug: "multi-packages".into() }
        );
        assert_eq!(file_name("2020-09-25-x").date.as_deref(), Some("2020-09-25"));
        assert_eq!(file_name("1096-remove-static-assert").number, Some(1096));
        assert_eq!(file_name("search").number, None);
        assert_eq!(file_name("3d-rendering").number, None);
        assert_eq!(file_name("adrenaline").number, None);
        assert_eq!(file_name("2020-01-\u{2603}x").date, None, "no panic on a multi-byte character at byte 8");
        let month = file_name("2010-06-slug");
        assert_eq!((month.number, month.date.as_deref(), month.slug.as_str()), (None, Some("2010-06"), "slug"));
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
}
