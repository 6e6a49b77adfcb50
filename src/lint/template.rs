//! What a collection's template says about its documents: the sections it requires (its
//! top-level headings minus the optional ones) and the placeholders it ships (`[Name]`,
//! `<number>`, `{title of option 1}`, `TBD` in a section). Pure: template text in, facts out.

use regex::Regex;
use std::sync::LazyLock;

/// One line of a Markdown file outside fenced code: 0-based line number, the line with inline
/// code and HTML comments blanked out (columns kept), whether it is in the front matter, and
/// whether it starts inside a comment.
pub struct ProseLine<'a> {
    pub index: usize,
    pub text: String,
    pub raw: &'a str,
    pub front_matter: bool,
    pub in_comment: bool,
}

impl ProseLine<'_> {
    /// The heading this line is, unless it is front matter or commented out.
    pub fn heading(&self) -> Option<(u8, String, bool)> {
        if self.front_matter || self.in_comment { None } else { heading(self.raw) }
    }
}

/// The lines of `text` outside fenced code blocks, inline code replaced by spaces.
pub fn prose_lines(text: &str) -> Vec<ProseLine<'_>> {
    let mut out = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    let mut front = text.starts_with("---\n") || text.starts_with("+++\n") || text.starts_with("---\r\n");
    let front_mark = if text.starts_with("+++") { "+++" } else { "---" };
    let mut comment = false;
    for (index, raw) in text.lines().enumerate() {
        let t = raw.trim_start();
        if front {
            if index > 0 && raw.trim_end() == front_mark {
                front = false;
            }
            out.push(ProseLine { index, text: raw.to_string(), raw, front_matter: true, in_comment: false });
            continue;
        }
        if fence.is_none() && !comment {
            let c = t.chars().next().unwrap_or(' ');
            let n = t.chars().take_while(|&x| x == c).count();
            if (c == '`' || c == '~') && n >= 3 {
                fence = Some((c, n));
                continue;
            }
        }
        if let Some((c, n)) = fence {
            if t.starts_with(&c.to_string().repeat(n)) && t.trim_start_matches(c).trim().is_empty() {
                fence = None;
            }
            continue;
        }
        let in_comment = comment;
        let text = blank_comments(&blank_code_spans(raw), &mut comment);
        out.push(ProseLine { index, text, raw, front_matter: false, in_comment });
    }
    out
}

/// The line with HTML comments (`<!-- … -->`, perhaps opened on an earlier line: `open`)
/// replaced by spaces.
fn blank_comments(line: &str, open: &mut bool) -> String {
    if !*open && !line.contains("<!--") {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len());
    let mut rest = line;
    while !rest.is_empty() {
        let marker = if *open { "-->" } else { "<!--" };
        match rest.find(marker) {
            Some(i) => {
                let (before, after) = rest.split_at(i + marker.len());
                if *open {
                    out.extend(before.chars().map(|_| ' '));
                } else {
                    out.push_str(&before[..i]);
                    out.extend(marker.chars().map(|_| ' '));
                }
                *open = !*open;
                rest = after;
            }
            None => {
                if *open {
                    out.extend(rest.chars().map(|_| ' '));
                } else {
                    out.push_str(rest);
                }
                rest = "";
            }
        }
    }
    out
}

/// The line with the contents of backtick code spans replaced by spaces.
fn blank_code_spans(line: &str) -> String {
    if !line.contains('`') {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len());
    let mut in_code = false;
    for c in line.chars() {
        if c == '`' {
            in_code = !in_code;
            out.push(' ');
        } else {
            out.push(if in_code { ' ' } else { c });
        }
    }
    out
}

/// An ATX heading line: its level and text (comments, emphasis and closing `#`s removed), and
/// whether the line itself marks it optional (`<!-- optional -->`, `(optional)`).
pub fn heading(line: &str) -> Option<(u8, String, bool)> {
    let t =
        line.strip_prefix("   ").or_else(|| line.strip_prefix("  ")).or_else(|| line.strip_prefix(' ')).unwrap_or(line);
    let level = t.chars().take_while(|&c| c == '#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &t[level..];
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let lower = rest.to_lowercase();
    let optional = lower.contains("(optional") || comments(rest).any(|c| c.to_lowercase().contains("optional"));
    let text = strip_comments(rest).replace("(optional)", "").replace("(Optional)", "");
    let text = text.trim().trim_end_matches('#').trim().trim_matches(['*', '_']).trim().to_string();
    Some((level as u8, text, optional))
}

static COMMENT: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"(?s)<!--.*?-->").ok());

fn comments(s: &str) -> impl Iterator<Item = &str> {
    COMMENT.as_ref().into_iter().flat_map(move |re| re.find_iter(s).map(|m| m.as_str()))
}

fn strip_comments(s: &str) -> String {
    match COMMENT.as_ref() {
        Some(re) => re.replace_all(s, "").into_owned(),
        None => s.to_string(),
    }
}

/// A heading of a template with what the template says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub level: u8,
    pub name: String,
    pub optional: bool,
    /// Under (or itself) an appendix: not part of a document's skeleton.
    pub appendix: bool,
}

/// The headings of a template. A heading is optional when its line says so, when the comment
/// right above it does (MADR's `<!-- This is an optional element. Feel free to remove. -->`),
/// or when the first sentence of its text says so ("This section is optional.", "_Optional._").
pub fn sections(text: &str) -> Vec<Section> {
    let lines = prose_lines(text);
    let mut out: Vec<Section> = Vec::new();
    let mut appendix = false;
    let mut prev: Option<&str> = None;
    let mut awaiting_body: Option<usize> = None;
    for l in lines.iter().filter(|l| !l.front_matter) {
        let trimmed = l.raw.trim();
        if let Some((level, name, optional)) = l.heading() {
            let above = prev.is_some_and(|p| p.starts_with("<!--") && p.to_lowercase().contains("optional"));
            if level == 1 {
                appendix = false;
            }
            let in_appendix = appendix || name.to_lowercase().starts_with("appendix");
            if level == 1 && in_appendix {
                appendix = true;
            }
            out.push(Section { level, name, optional: optional || above, appendix: in_appendix });
            awaiting_body = Some(out.len() - 1);
        } else if !trimmed.is_empty()
            && !trimmed.starts_with("<!--")
            && !l.in_comment
            && let Some(i) = awaiting_body.take()
        {
            let start = trimmed.trim_start_matches(['*', '_', '(', '[', '>', ' ']).to_lowercase();
            let sentence = start.split(['.', '!', ';', ':']).next().unwrap_or("");
            if sentence.split(|c: char| !c.is_alphanumeric()).any(|w| w == "optional") {
                out[i].optional = true;
            }
        }
        if !trimmed.is_empty() {
            prev = Some(trimmed);
        }
    }
    out
}

/// The sections a template requires: its top-level sections (level 2, or the shallowest level
/// below the title when it has none), minus optional ones, appendices, tables of contents and
/// headings that are placeholders themselves (`## {title of option 1}`).
pub fn required(text: &str) -> Vec<String> {
    let all = sections(text);
    let body: Vec<&Section> = match all.iter().position(|s| s.level == 1) {
        Some(title) => all.iter().enumerate().filter(|(i, _)| *i != title).map(|(_, s)| s).collect(),
        None => all.iter().collect(),
    };
    let level = if body.iter().any(|s| s.level == 2) {
        2
    } else {
        match body.iter().filter(|s| s.level > 1).map(|s| s.level).min() {
            Some(l) => l,
            None => return Vec::new(),
        }
    };
    // A MADR template (its two signature sections) keeps MADR's own optional elements optional,
    // also in the bare variant, which carries no "optional" comments.
    let madr = ["context and problem statement", "decision outcome"]
        .iter()
        .all(|m| body.iter().any(|s| s.name.to_lowercase().contains(m)));
    let mut out: Vec<String> = Vec::new();
    for s in body {
        let lower = s.name.to_lowercase();
        if madr && MADR_OPTIONAL.iter().any(|o| lower.contains(o)) {
            continue;
        }
        let placeholder = s.name.contains(['[', '{', '<']) || crate::parse::meta::is_placeholder(&s.name);
        let toc = matches!(lower.as_str(), "contents" | "table of contents" | "toc");
        // "3. Outcome" is the section Outcome.
        let name = s.name.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.' || c == ')').trim();
        if s.level == level && !s.optional && !s.appendix && !placeholder && !toc && !out.iter().any(|o| o == name) {
            out.push(name.to_string());
        }
    }
    out
}

/// MADR's optional elements (its documentation marks them so in the full template).
const MADR_OPTIONAL: &[&str] =
    &["decision drivers", "consequences", "confirmation", "pros and cons", "more information", "validation", "links"];

static ANGLE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"<([^<>\n]{1,80})>").ok());
static CURLY: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\{[^{}\n]{1,400}\}").ok());
static BRACKET: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\[[^\[\]\n]{1,200}\]").ok());

/// HTML elements a template may use as markup rather than as placeholders.
const HTML_TAGS: &[&str] = &[
    "a", "abbr", "b", "br", "code", "dd", "del", "details", "div", "dl", "dt", "em", "h1", "h2", "h3", "h4", "hr", "i",
    "img", "ins", "kbd", "li", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "u", "ul", "var",
];

/// An angle-bracket token that is a placeholder (`<number>`, `<your name>`), not HTML, a
/// comment or an autolink.
fn is_angle_placeholder(inner: &str) -> bool {
    let i = inner.trim();
    if i.is_empty() || i.starts_with(['!', '/', '?', '-']) || i.contains(['=', '@', '"']) || i.contains("://") {
        return false;
    }
    let name = i.trim_end_matches('/').trim().to_lowercase();
    let first = name.split_whitespace().next().unwrap_or("");
    !(HTML_TAGS.contains(&name.as_str()) || (HTML_TAGS.contains(&first) && name.contains('=')))
        && i.chars().next().is_some_and(char::is_alphabetic)
}

/// The placeholders a template ships: its angle and curly tokens (written as in the template),
/// the bracketed texts it has (lower-case, for `has_bracket`), and the sections (lower-case
/// heading words, `""` before the first heading) where it writes `TBD` or `TODO`.
#[derive(Debug, Default, Clone)]
pub struct Placeholders {
    pub tokens: Vec<String>,
    pub brackets: Vec<String>,
    pub tbd_sections: Vec<String>,
}

impl Placeholders {
    pub fn of(text: &str) -> Placeholders {
        let mut p = Placeholders::default();
        let mut section = String::new();
        for l in prose_lines(text) {
            if let Some((_, name, _)) = l.heading() {
                section = super::words(&name);
            }
            for m in ANGLE.as_ref().into_iter().flat_map(|re| re.captures_iter(&l.text)) {
                if m.get(1).is_some_and(|i| is_angle_placeholder(i.as_str())) {
                    p.tokens.push(m[0].to_string());
                }
            }
            p.tokens.extend(CURLY.as_ref().into_iter().flat_map(|re| re.find_iter(&l.text)).map(|m| m.as_str().into()));
            p.brackets.extend(
                BRACKET.as_ref().into_iter().flat_map(|re| re.find_iter(&l.text)).map(|m| m.as_str().to_lowercase()),
            );
            if has_tbd(&l.text).is_some() && !p.tbd_sections.contains(&section) {
                p.tbd_sections.push(section.clone());
            }
        }
        p.tokens.sort();
        p.tokens.dedup();
        p
    }

    /// Whether the template has this bracketed text (case aside).
    pub fn has_bracket(&self, text: &str) -> bool {
        let t = text.to_lowercase();
        self.brackets.contains(&t)
    }
}

/// The column (0-based, in characters) of a `TBD` or `TODO` written as a word, if any.
pub fn has_tbd(line: &str) -> Option<usize> {
    let chars: Vec<char> = line.chars().collect();
    for word in ["TBD", "TODO"] {
        let w: Vec<char> = word.chars().collect();
        for i in 0..chars.len().saturating_sub(w.len() - 1) {
            if chars[i..i + w.len()] == w[..]
                && (i == 0 || !chars[i - 1].is_alphanumeric())
                && chars.get(i + w.len()).is_none_or(|c| !c.is_alphanumeric())
            {
                return Some(i);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn madr_templates_keep_madrs_optional_elements_optional() {
        let bare = "---\nstatus:\n---\n# \n\n## Context and Problem Statement\n\n## Decision Drivers\n\n## Considered Options\n\n## Decision Outcome\n\n### Consequences\n\n## Pros and Cons of the Options\n\n## More Information\n";
        assert_eq!(required(bare), ["Context and Problem Statement", "Considered Options", "Decision Outcome"]);
    }

    #[test]
    fn required_sections_leave_out_optional_ones_and_appendices() {
        let t = "# [Title]\n\n## Context\n\n## Decision Drivers <!-- optional -->\n\n<!-- This is an optional element. Feel free to remove. -->\n## More Information\n\n## Rollout (optional)\n\n## Risks\n\n_Optional._ Only when there are some.\n\n## Decision\n\n### Details\n\n# Appendix: questions\n\n## Naming\n";
        assert_eq!(required(t), ["Context", "Decision"]);
    }

    #[test]
    fn headings_in_code_comments_and_front_matter_are_not_sections() {
        let t = "---\n# status: {proposed}\n---\n# T\n\n```\n## Not a section\n```\n\n## Summary\n\n<!-- optional -->\n## Notes\n\n<!--\n## Commented out\n-->\n## Plan\n";
        assert_eq!(required(t), ["Summary", "Plan"]);
    }

    #[test]
    fn template_placeholders() {
        let p = Placeholders::of(
            "# <number>. <title>\n\nDate: [YYYY-MM-DD]\n\n<details><summary>x</summary></details> <https://x.org>\n\n## Risks\n\nTBD\n\nChosen: \"{title of option 1}\" `{not this}`\n",
        );
        assert_eq!(p.tokens, ["<number>", "<title>", "{title of option 1}"]);
        assert!(p.has_bracket("[yyyy-mm-dd]"));
        assert_eq!(p.tbd_sections, ["risks"]);
        assert_eq!(has_tbd("a TODO: b"), Some(2));
        assert_eq!(has_tbd("TBDs and TODOist"), None);
    }
}
