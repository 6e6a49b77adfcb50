//! Syntax highlighting at build time: CSS classes, not inline styles, so that themes and dark
//! mode restyle it. Two engines: tree-sitter for Rust, Python, JSON and TOML (ADR-0016, in
//! [`tree`]), and syntect with Oniguruma (ADR-0015) for every other language it has a grammar
//! for.
//!
//! Each token gets at most one class per colour scheme: `l3` is the light theme's third colour,
//! `d5` the dark theme's fifth, `lb`/`li`/`lu` (and `db`/`di`/`du`) bold, italic and underline.
//! Text in a theme's default style gets no class, and runs of one style share one `<span>`.
//! (syntect's own HTML nests a span per grammar scope, with every scope name as classes: half
//! the bytes of a page full of code, for the same colours.) The stylesheet is a pure function of
//! the two themes, so it never depends on the pages.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::Instant;
use syntect::highlighting::{Color, FontStyle, Highlighter as ThemeHighlighter, Style, Theme, ThemeSet};
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxSet};
use syntect::util::LinesWithEndings;

mod tree;

/// One colour scheme: a syntect theme, its colours in order (index 0 is the default), and the
/// class prefix.
struct Scheme {
    theme: &'static Theme,
    colours: Vec<Color>,
    prefix: char,
}

impl Scheme {
    fn new(theme: &'static Theme, prefix: char) -> Scheme {
        let mut colours = vec![theme.settings.foreground.unwrap_or(Color::BLACK)];
        for item in &theme.scopes {
            if let Some(c) = item.style.foreground
                && !colours.contains(&c)
            {
                colours.push(c);
            }
        }
        Scheme { theme, colours, prefix }
    }

    /// The classes of `style` (empty for the default style), appended to `out`.
    fn classes(&self, style: &Style, out: &mut String) {
        let i = self.colours.iter().position(|c| *c == style.foreground).unwrap_or(0);
        let mut add = |class: std::fmt::Arguments<'_>| {
            if !out.is_empty() {
                out.push(' ');
            }
            let _ = out.write_fmt(class);
        };
        if i > 0 {
            add(format_args!("{}{i}", self.prefix));
        }
        for (flag, c) in [(FontStyle::BOLD, 'b'), (FontStyle::ITALIC, 'i'), (FontStyle::UNDERLINE, 'u')] {
            if style.font_style.contains(flag) {
                add(format_args!("{}{c}", self.prefix));
            }
        }
    }
}

/// The light and dark themes, loaded once per process.
fn schemes() -> &'static (Scheme, Scheme) {
    static SCHEMES: OnceLock<(Scheme, Scheme)> = OnceLock::new();
    SCHEMES.get_or_init(|| {
        let mut set = ThemeSet::load_defaults();
        let mut take =
            |name: &str| -> &'static Theme { Box::leak(Box::new(set.themes.remove(name).unwrap_or_default())) };
        (Scheme::new(take("InspiredGitHub"), 'l'), Scheme::new(take("base16-ocean.dark"), 'd'))
    })
}

/// The loaded grammars, and the blocks already highlighted (identical blocks are common: copied
/// snippets, and every unchanged file in `serve`). Build once per build (or per `serve`), share.
pub struct Highlighter {
    syntaxes: SyntaxSet,
    light: ThemeHighlighter<'static>,
    dark: ThemeHighlighter<'static>,
    grammars: tree::Grammars,
    /// The classes of each of tree-sitter's token names (`tree::NAMES`).
    tree_classes: Vec<Box<str>>,
    done: Mutex<HashMap<(String, String), Option<String>>>,
    /// Blocks highlighted since the last `take_stats` (memo hits aside), and their CPU time.
    count: AtomicU64,
    cpu_nanos: AtomicU64,
}

/// Highlighted blocks kept at most; past that the memo starts afresh.
const MEMO: usize = 50_000;

/// Highlighting limits (issue 20): past any of them a block is plain (escaped) code and
/// `check` says so. The grammars' regexes and parsers are super-linear on some inputs (a
/// 20,000-character shell line took 6 s, 40,000 `(` in Python 4 s); within these limits a
/// block costs time in proportion to its size. Limits on the input, never a time budget, so a
/// build gives the same pages on any machine.
pub const MAX_BLOCK_BYTES: usize = 256 * 1024;
/// Characters in one line of a block.
pub const MAX_LINE_CHARS: usize = 1_000;
/// Depth of `(`, `[` and `{` nesting (counted over the whole block, strings included).
pub const MAX_NESTING: usize = 100;

/// A limit a block is past: the 0-based line within the block where it is passed, and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limit {
    pub line: usize,
    pub message: String,
}

/// The first highlighting limit `code` is past, if any (one pass, in linear time).
pub fn over_limit(code: &str) -> Option<Limit> {
    if code.len() > MAX_BLOCK_BYTES {
        return Some(Limit {
            line: 0,
            message: format!(
                "the block is {} KB, over the {} KB highlighting limit",
                code.len() / 1024,
                MAX_BLOCK_BYTES / 1024
            ),
        });
    }
    let mut depth = 0usize;
    for (n, line) in code.split('\n').enumerate() {
        let chars = line.chars().count();
        if chars > MAX_LINE_CHARS {
            let message =
                format!("a line of {chars} characters, over the {MAX_LINE_CHARS}-character highlighting limit");
            return Some(Limit { line: n, message });
        }
        for b in line.bytes() {
            match b {
                b'(' | b'[' | b'{' => depth += 1,
                b')' | b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
            if depth > MAX_NESTING {
                let message = format!("brackets nested over {MAX_NESTING} deep, the highlighting limit");
                return Some(Limit { line: n, message });
            }
        }
    }
    None
}

impl Default for Highlighter {
    fn default() -> Self {
        let (light, dark) = schemes();
        let (light_hl, dark_hl) = (ThemeHighlighter::new(light.theme), ThemeHighlighter::new(dark.theme));
        let tree_classes = tree::NAMES
            .iter()
            .map(|(_, scope)| {
                // The scopes are fixed, valid names (checked by the tests).
                let stack = [Scope::new(scope).unwrap_or_default()];
                let mut classes = String::new();
                light.classes(&light_hl.style_for_stack(&stack), &mut classes);
                dark.classes(&dark_hl.style_for_stack(&stack), &mut classes);
                classes.into_boxed_str()
            })
            .collect();
        Highlighter {
            syntaxes: SyntaxSet::load_defaults_newlines(),
            light: light_hl,
            dark: dark_hl,
            grammars: tree::Grammars::default(),
            tree_classes,
            done: Mutex::new(HashMap::new()),
            count: AtomicU64::new(0),
            cpu_nanos: AtomicU64::new(0),
        }
    }
}

impl Highlighter {
    /// The highlighted HTML of `code` (the inside of `<code>`), or `None` for a language
    /// without a grammar (or one not meant to be highlighted, such as `text` or `mermaid`).
    /// A block past a highlighting limit ([`over_limit`]) is `None`, as plain code.
    pub fn highlight(&self, lang: &str, code: &str) -> Option<String> {
        if over_limit(code).is_some() {
            return None;
        }
        let key = (lang.to_string(), code.to_string());
        if let Some(hit) = self.done.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return hit.clone();
        }
        let start = Instant::now();
        let html = self.highlight_uncached(lang, code);
        if html.is_some() {
            self.count.fetch_add(1, Ordering::Relaxed);
            self.cpu_nanos.fetch_add(start.elapsed().as_nanos() as u64, Ordering::Relaxed);
        }
        let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        if done.len() >= MEMO {
            done.clear();
        }
        done.insert(key, html.clone());
        html
    }

    /// Blocks highlighted since the last call (memo hits aside) and their CPU time in
    /// nanoseconds, summed over threads; resets the counters.
    pub fn take_stats(&self) -> (usize, u64) {
        (self.count.swap(0, Ordering::Relaxed) as usize, self.cpu_nanos.swap(0, Ordering::Relaxed))
    }

    /// Whether blocks in `lang` are highlighted (a grammar knows the language).
    pub fn knows(&self, lang: &str) -> bool {
        let lang = lang.trim().to_ascii_lowercase();
        let token = Self::token_of(&lang);
        !Self::plain(&lang) && (self.grammars.knows(token) || self.syntaxes.find_syntax_by_token(token).is_some())
    }

    fn plain(lang: &str) -> bool {
        lang.is_empty()
            || matches!(lang, "text" | "txt" | "plain" | "plaintext" | "ascii" | "mermaid" | "console" | "output")
    }

    /// The grammar token of a lower-cased language name.
    fn token_of(lang: &str) -> &str {
        match lang {
            "shell" | "sh" | "zsh" | "console-sh" => "bash",
            "rs" => "rust",
            "py" | "python3" => "python",
            "js" | "javascript" | "jsx" | "mjs" => "js",
            "yml" => "yaml",
            "golang" => "go",
            "c++" | "cxx" => "cpp",
            "dockerfile" | "docker" => "Dockerfile",
            other => other,
        }
    }

    fn highlight_uncached(&self, lang: &str, code: &str) -> Option<String> {
        let lang = lang.trim().to_ascii_lowercase();
        if Self::plain(&lang) {
            return None;
        }
        let token = Self::token_of(&lang);
        let mut html = String::with_capacity(code.len() * 2);
        // The classes of the open span (empty: none open).
        let mut open = String::new();
        if let Some(config) = self.grammars.get(token) {
            let spans = tree::highlight(config, code, |text, name| {
                Self::token(text, name.map_or("", |i| &self.tree_classes[i]), &mut open, &mut html)
            });
            if spans.is_some() {
                if !open.is_empty() {
                    html.push_str("</span>");
                }
                return Some(html);
            }
            html.clear();
            open.clear();
        }
        let syntax = self.syntaxes.find_syntax_by_token(token)?;
        let mut parse = ParseState::new(syntax);
        let mut stack = ScopeStack::new();
        // The classes of the token at hand.
        let mut classes = String::new();
        for line in LinesWithEndings::from(code) {
            let ops = parse.parse_line(line, &self.syntaxes).ok()?;
            let mut pos = 0;
            for (end, op) in ops.iter().map(|(i, op)| (*i, Some(op))).chain([(line.len(), None)]) {
                let text = line.get(pos..end.max(pos)).unwrap_or("");
                pos = end.max(pos);
                if !text.is_empty() {
                    self.classes_for(stack.as_slice(), &mut classes);
                    Self::token(text, &classes, &mut open, &mut html);
                }
                if let Some(op) = op {
                    stack.apply(op).ok()?;
                }
            }
        }
        if !open.is_empty() {
            html.push_str("</span>");
        }
        Some(html)
    }

    /// The classes of text under the grammar scopes `stack`, into `out`. Theme matching is most
    /// of the cost of highlighting and the same stacks come back all the time: remembered per
    /// thread.
    fn classes_for(&self, stack: &[Scope], out: &mut String) {
        thread_local! {
            static KNOWN: RefCell<HashMap<Vec<Scope>, Box<str>>> = RefCell::new(HashMap::new());
        }
        out.clear();
        KNOWN.with_borrow_mut(|known| {
            if let Some(c) = known.get(stack) {
                out.push_str(c);
                return;
            }
            let (light, dark) = schemes();
            light.classes(&self.light.style_for_stack(stack), out);
            dark.classes(&self.dark.style_for_stack(stack), out);
            known.insert(stack.to_vec(), out.as_str().into());
        });
    }

    /// Appends one token: closes the open span and opens another when the classes change.
    fn token(text: &str, classes: &str, open: &mut String, html: &mut String) {
        // Whitespace takes any colour: it extends the open span rather than closing it.
        let blank = text.bytes().all(|b| b.is_ascii_whitespace());
        if classes != open.as_str() && (open.is_empty() || !blank) {
            if !open.is_empty() {
                html.push_str("</span>");
            }
            open.clear();
            if !classes.is_empty() && !blank {
                html.push_str("<span class=\"");
                html.push_str(classes);
                html.push_str("\">");
                open.push_str(classes);
            }
        }
        // As pulldown-cmark escapes the text of a plain code block; writing to a String cannot fail.
        let _ = pulldown_cmark_escape::escape_html_body_text(&mut *html, text);
    }
}

/// The stylesheet for highlighted code: the light theme's classes, and the dark theme's under
/// `prefers-color-scheme: dark` and the theme toggle's `data-theme="dark"`. Token colours are
/// nudged until they meet WCAG AA (4.5:1) on the page's code background (`--code-bg` in
/// style.css) in each mode.
pub fn css() -> String {
    // A pure function of the embedded themes: computed once per process (`serve` asks on every
    // rebuild).
    static CSS: OnceLock<String> = OnceLock::new();
    CSS.get_or_init(css_uncached).clone()
}

fn css_uncached() -> String {
    let (light, dark) = schemes();
    let hex = |c: &Color| format!("#{:02x}{:02x}{:02x}", c.r, c.g, c.b);
    let rules = |s: &Scheme, bg: &str, scope: &str, out: &mut String| {
        for (i, c) in s.colours.iter().enumerate().skip(1) {
            let colour = crate::render::contrast::ensure(&hex(c), bg, 4.5);
            let _ = writeln!(out, "{scope}.{}{i} {{ color: {colour}; }}", s.prefix);
        }
        let p = s.prefix;
        let _ = writeln!(out, "{scope}.{p}b {{ font-weight: bold; }}");
        let _ = writeln!(out, "{scope}.{p}i {{ font-style: italic; }}");
        let _ = writeln!(out, "{scope}.{p}u {{ text-decoration: underline; }}");
    };
    let mut out = String::from(
        "/* Code highlighting, generated by dossier from syntect's InspiredGitHub (light) and base16-ocean.dark\n   (dark) themes: l* classes are light colours, d* dark ones; b bold, i italic, u underline. */\n",
    );
    rules(light, "#f3f5f8", "", &mut out);
    for (open, scope, close) in [
        ("@media (prefers-color-scheme: dark) {\n", ":root:not([data-theme=light]) ", "}\n"),
        ("", ":root[data-theme=dark] ", ""),
    ] {
        out.push_str(open);
        // The light theme's colours and font styles give way to the dark theme's.
        let _ = writeln!(
            out,
            "{scope}.highlight span {{ color: inherit; font-weight: inherit; font-style: inherit; text-decoration: inherit; }}"
        );
        // Under `.highlight` as well, to outrank the reset just above (its `span` counts).
        rules(dark, "#1b2030", &format!("{scope}.highlight "), &mut out);
        out.push_str(close);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_languages_get_classes_unknown_stay_plain() {
        let h = Highlighter::default();
        let html = h.highlight("rust", "fn main() { let x = 1; }\n").unwrap();
        assert_eq!(h.highlight("rust", "fn main() { let x = 1; }\n").as_deref(), Some(html.as_str()), "memoised");
        assert!(html.contains("<span class=\"l"), "{html}");
        assert!(html.contains(" d"), "dark classes beside the light ones: {html}");
        assert!(html.contains("main"));
        assert!(h.highlight("sh", "echo hi\n").is_some());
        assert!(h.highlight("no-such-language", "x\n").is_none());
        assert!(h.highlight("mermaid", "graph TD\n").is_none());
        let esc = h.highlight("html", "<script>alert(1)</script>\n").unwrap();
        assert!(!esc.contains("<script>"), "{esc}");
        let css = css();
        assert!(css.contains(".l1 ") && css.contains(".d1 ") && css.contains("prefers-color-scheme: dark"));
    }

    #[test]
    fn flat_spans_with_classes_the_stylesheet_defines() {
        let h = Highlighter::default();
        let code = "// say hi\nfn main() {\n    let s = \"a < b\";\n    println!(\"{s}\");\n}\n";
        let html = h.highlight("rust", code).unwrap();
        let css = css();
        let mut rest = html.as_str();
        let mut spans = 0;
        while let Some(i) = rest.find("<span class=\"") {
            let after = &rest[i + 13..];
            let (classes, body) = after.split_once("\">").unwrap();
            for c in classes.split(' ') {
                assert!(css.contains(&format!(".{c} {{")), "no rule for {c} in the stylesheet");
            }
            let end = body.find("</span>").unwrap();
            assert!(!body[..end].contains("<span"), "nested span in {html}");
            rest = &body[end..];
            spans += 1;
        }
        assert!(spans >= 4, "{html}");
        assert!(html.contains("&lt;") && !html.contains("a < b"), "{html}");
        // The text is all there, in order.
        let text = regex::Regex::new("<[^>]+>").unwrap().replace_all(&html, "");
        assert_eq!(text.replace("&lt;", "<").replace("&quot;", "\""), code);
        // A comment is italic in the light theme and coloured in both.
        assert!(html.contains("li") && html.contains(" d"), "{html}");
    }

    #[test]
    fn tree_sitter_tokens_take_both_themes_colours() {
        let h = Highlighter::default();
        for name in ["comment", "keyword", "string", "function", "function.macro", "type", "number", "property"] {
            let i = tree::NAMES.iter().position(|(n, _)| *n == name).unwrap();
            let classes = &h.tree_classes[i];
            assert!(classes.contains('l') && classes.contains('d'), "{name}: {classes:?}");
        }
        // Syntect still answers for languages tree-sitter does not handle.
        let go = h.highlight("go", "package main\nfunc main() {}\n").unwrap();
        assert!(go.contains("<span class=\"l"), "{go}");
        // TOML has no syntect grammar: tree-sitter's is the only one.
        let toml = h.highlight("toml", "[a]\nb = \"c\"\n").unwrap();
        assert!(toml.contains("<span class=\"l"), "{toml}");
    }
}
