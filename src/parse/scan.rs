//! Scanning prose for references: ID mentions (`ADR-0012`, `ADR-12`, `ADR 12`) and external
//! ticket IDs from `[[links]]` patterns. Built once per build from the configuration.

use crate::config::LinkPattern;
use regex::Regex;

/// One piece of a text run after scanning.
#[derive(Debug, PartialEq, Eq)]
pub enum Piece<'a> {
    Text(&'a str),
    /// An ID mention as written, at this byte offset in the run.
    Mention(&'a str, usize),
    /// A ticket ID and the URL it links to.
    External(&'a str, String),
    /// A `[[target]]` or `[[target|label]]` wiki link at this byte offset in the run.
    Wiki {
        target: &'a str,
        label: &'a str,
        at: usize,
    },
    /// A possible template placeholder such as `[Feature Name]`, at this byte offset (the lint
    /// stage keeps those the collection's template has).
    Placeholder(&'a str, usize),
    /// A link written with a space between `]` and `(`: `[text] (https://…)`, at this byte offset.
    MalformedLink(&'a str, usize),
}

/// The compiled patterns.
#[derive(Debug, Default, Clone)]
pub struct Scanner {
    wiki: Option<Regex>,
    placeholder: Option<Regex>,
    spaced_link: Option<Regex>,
    mention: Option<Regex>,
    external: Vec<(Regex, String)>,
}

impl Scanner {
    /// Compiles the mention pattern for `prefixes` and the `[[links]]` patterns. An invalid
    /// pattern is returned as `Err((index, message))`.
    pub fn new(prefixes: &[String], links: &[LinkPattern]) -> Result<Scanner, (usize, String)> {
        let mut ps: Vec<String> = prefixes.iter().filter(|p| !p.is_empty()).map(|p| regex::escape(p)).collect();
        ps.sort();
        ps.dedup();
        let mention = if ps.is_empty() {
            None
        } else {
            let re = format!(r"\b(?:{})(?:-| )?[0-9]{{1,7}}\b", ps.join("|"));
            Some(Regex::new(&re).map_err(|e| (usize::MAX, e.to_string()))?)
        };
        let mut external = Vec::new();
        for (i, l) in links.iter().enumerate() {
            let re = Regex::new(&format!(r"\b(?:{})\b", l.pattern)).map_err(|e| (i, e.to_string()))?;
            external.push((re, l.url.clone()));
        }
        let wiki =
            Some(Regex::new(r"\[\[([^\[\]|\n]+)(?:\|([^\[\]\n]+))?\]\]").map_err(|e| (usize::MAX, e.to_string()))?);
        // `[Feature Name]`, `[YYYY-MM-DD]`, `[short title of the problem]`: brackets that are not
        // links (pulldown-cmark left them as text), starting with a letter; not IDs like `[ADR-12]`.
        let placeholder = Some(Regex::new(r"\[[^\W\d_][^\[\]\n]{1,80}\]").map_err(|e| (usize::MAX, e.to_string()))?);
        // `[text] (url)`: a link that Markdown does not see because of the space.
        let spaced_link = Some(
            Regex::new(concat!(
                r"\[[^\[\]\n]{1,200}\][ \t]+\(",
                r"(?:(?:https?://|mailto:|\.{0,2}/|#)[^()\s]*",
                r"|[\w./-]+\.(?:md|markdown|html?|png|jpe?g|gif|svg|pdf|txt)(?:#[^()\s]*)?)\)"
            ))
            .map_err(|e| (usize::MAX, e.to_string()))?,
        );
        Ok(Scanner { wiki, placeholder, spaced_link, mention, external })
    }

    /// Splits a run of text into plain text, wiki links, mentions and ticket links, in order.
    /// Where matches overlap, the earliest (then the longest) wins.
    pub fn scan<'a>(&self, text: &'a str) -> Vec<Piece<'a>> {
        let mut found: Vec<(usize, usize, Piece<'a>)> = Vec::new();
        if let Some(re) = &self.wiki
            && text.contains("[[")
        {
            for c in re.captures_iter(text) {
                let (m, t) = (c.get(0).expect("group 0"), c.get(1).expect("group 1"));
                let label = c.get(2).unwrap_or(t).as_str();
                found.push((m.start(), m.end(), Piece::Wiki { target: t.as_str(), label, at: m.start() }));
            }
        }
        if let Some(re) = &self.spaced_link
            && text.contains("] (")
        {
            found.extend(re.find_iter(text).map(|m| (m.start(), m.end(), Piece::MalformedLink(m.as_str(), m.start()))));
        }
        if let Some(re) = &self.placeholder
            && text.contains('[')
        {
            for m in re.find_iter(text) {
                if is_placeholder_like(text, m.start(), m.end()) {
                    found.push((m.start(), m.end(), Piece::Placeholder(m.as_str(), m.start())));
                }
            }
        }
        if let Some(re) = &self.mention {
            found.extend(re.find_iter(text).map(|m| (m.start(), m.end(), Piece::Mention(m.as_str(), m.start()))));
        }
        for (re, url) in &self.external {
            for caps in re.captures_iter(text) {
                let m = caps.get(0).expect("group 0");
                let mut target = String::new();
                caps.expand(url, &mut target);
                found.push((m.start(), m.end(), Piece::External(m.as_str(), target)));
            }
        }
        if found.is_empty() {
            return vec![Piece::Text(text)];
        }
        found.sort_by_key(|f| (f.0, std::cmp::Reverse(f.1)));
        let mut pieces = Vec::new();
        let mut pos = 0;
        for (start, end, piece) in found {
            if start < pos {
                continue; // overlaps an earlier match
            }
            if start > pos {
                pieces.push(Piece::Text(&text[pos..start]));
            }
            pieces.push(piece);
            pos = end;
        }
        if pos < text.len() {
            pieces.push(Piece::Text(&text[pos..]));
        }
        pieces
    }
}

/// Whether the bracketed text at `start..end` of `text` may be a template placeholder: it starts
/// upper-case or has a space, and is not an ID (`[ADR-12]`), a citation (`[Dijkstra '78]`,
/// `[Knuth 1974]`, `[Smith et al.]`), quoted syntax (`"[String: Int]"`, `` `[x]` ``), a subscript
/// or generic (`dict[Key]`), or a reference link (`[text][ref]`, `[text][]`, `[ref]: url`).
fn is_placeholder_like(text: &str, start: usize, end: usize) -> bool {
    let inner = &text[start + 1..end - 1];
    let upper = inner.chars().next().is_some_and(char::is_uppercase);
    let is_id = crate::link::split_id(inner).is_some_and(|(p, _)| p.chars().all(|c| c.is_ascii_uppercase()));
    if !(upper || inner.contains(' ')) || is_id || is_citation(inner) {
        return false;
    }
    let before = text[..start].chars().next_back();
    let after = text[end..].chars().next();
    let quoted = matches!(
        (before, after),
        (Some('"'), Some('"'))
            | (Some('\''), Some('\''))
            | (Some('“'), Some('”'))
            | (Some('‘'), Some('’'))
            | (Some('`'), Some('`'))
    );
    let subscript = before.is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | ')' | ']'));
    let definition = text[..start].trim().is_empty()
        && text[end..]
            .strip_prefix(':')
            .and_then(|r| r.split_whitespace().next())
            .is_some_and(|url| url.contains(['/', '.', '#']));
    !(quoted || subscript || after == Some('[') || definition)
}

/// A citation in brackets: a year (`'78`, `1974`, `2001a`) or "et al.".
fn is_citation(inner: &str) -> bool {
    let lower = inner.to_lowercase();
    if lower.contains("et al") {
        return true;
    }
    inner.split(|c: char| c.is_whitespace() || c == ',' || c == ';').any(|w| {
        let w = w.trim_end_matches(|c: char| c.is_ascii_lowercase() && c < 'g');
        let short = w.strip_prefix(['\'', '’']).is_some_and(|y| y.len() == 2 && y.chars().all(|c| c.is_ascii_digit()));
        let long =
            w.len() == 4 && w.chars().all(|c| c.is_ascii_digit()) && (w.starts_with("19") || w.starts_with("20"));
        short || long
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_in_all_forms() {
        let s = Scanner::new(&["ADR".into(), "RFC".into()], &[]).unwrap();
        let p = s.scan("see ADR-0012, ADR-12 and ADR 7; RFC-42. Not ADRX-1, xADR-1 or ADR-");
        let mentions: Vec<_> =
            p.iter().filter_map(|x| if let Piece::Mention(m, _) = x { Some(*m) } else { None }).collect();
        assert_eq!(mentions, ["ADR-0012", "ADR-12", "ADR 7", "RFC-42"]);
        assert!(matches!(p[0], Piece::Text("see ")));
    }

    #[test]
    fn external_patterns_expand_groups() {
        let links = [LinkPattern { pattern: "PROJ-(\\d+)".into(), url: "https://t.example/browse/PROJ-$1".into() }];
        let s = Scanner::new(&[], &links).unwrap();
        assert_eq!(
            s.scan("fixes PROJ-123."),
            [
                Piece::Text("fixes "),
                Piece::External("PROJ-123", "https://t.example/browse/PROJ-123".into()),
                Piece::Text(".")
            ]
        );
        assert!(Scanner::new(&[], &[LinkPattern { pattern: "(".into(), url: "x".into() }]).is_err());
    }

    #[test]
    fn placeholders() {
        let s = Scanner::new(&["ADR".into()], &[]).unwrap();
        let p = s.scan(
            "By [Name] on [YYYY-MM-DD]: [short title of the problem], [Option 1], not [ADR-0012] or [sic] or [1].",
        );
        let found: Vec<_> =
            p.iter().filter_map(|x| if let Piece::Placeholder(t, _) = x { Some(*t) } else { None }).collect();
        assert_eq!(found, ["[Name]", "[YYYY-MM-DD]", "[short title of the problem]", "[Option 1]"]);
        assert!(p.iter().any(|x| matches!(x, Piece::Mention("ADR-0012", _))));
    }

    #[test]
    fn citations_quoted_syntax_subscripts_and_reference_links_are_no_placeholders() {
        let s = Scanner::new(&[], &[]).unwrap();
        let p = s.scan(
            "[Dijkstra '78], [Knuth 1974], [Smith et al.], \"[String: Int]\", map[Key Type], [Option 1][opt], [Other][], [Real One].",
        );
        let found: Vec<_> =
            p.iter().filter_map(|x| if let Piece::Placeholder(t, _) = x { Some(*t) } else { None }).collect();
        assert_eq!(found, ["[Real One]"]);
        let defined = s.scan("[Some Ref]: https://x.org/a");
        assert!(!defined.iter().any(|x| matches!(x, Piece::Placeholder(..))), "{defined:?}");
        let described = s.scan("[Option 1]: the fast one");
        assert!(matches!(described[0], Piece::Placeholder("[Option 1]", 0)), "{described:?}");
    }

    #[test]
    fn a_link_with_a_space_before_its_url_is_malformed() {
        let s = Scanner::new(&[], &[]).unwrap();
        let p = s.scan(
            "see [the notes] (https://x.org/a) and [Ref] (docs/notes.md#a), not [x] (optional), [Name] (see below), [Knuth 1974] (p.12) or [Y] (e.g.)",
        );
        let found: Vec<_> =
            p.iter().filter_map(|x| if let Piece::MalformedLink(t, _) = x { Some(*t) } else { None }).collect();
        assert_eq!(found, ["[the notes] (https://x.org/a)", "[Ref] (docs/notes.md#a)"]);
    }

    #[test]
    fn wiki_links_hide_mentions_inside_them() {
        let s = Scanner::new(&["ADR".into()], &[]).unwrap();
        assert_eq!(
            s.scan("a [[ADR-0012]] b [[intro|The intro]] c"),
            [
                Piece::Text("a "),
                Piece::Wiki { target: "ADR-0012", label: "ADR-0012", at: 2 },
                Piece::Text(" b "),
                Piece::Wiki { target: "intro", label: "The intro", at: 17 },
                Piece::Text(" c"),
            ]
        );
    }
}
