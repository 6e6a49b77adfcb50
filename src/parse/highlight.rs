//! Syntax highlighting at build time with syntect (pure-Rust regex engine): CSS classes, not
//! inline styles, so that themes and dark mode restyle it. Unknown languages render plain.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;
use syntect::highlighting::ThemeSet;
use syntect::html::{ClassStyle, ClassedHTMLGenerator, css_for_theme_with_class_style};
use syntect::parsing::SyntaxSet;
use syntect::util::LinesWithEndings;

/// Class prefix, so that highlight classes never clash with the theme's own.
const STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

/// The loaded grammars, and the blocks already highlighted (identical blocks are common: copied
/// snippets, and every unchanged file in `serve`). Build once per build (or per `serve`), share.
pub struct Highlighter {
    syntaxes: SyntaxSet,
    done: Mutex<HashMap<(String, String), Option<String>>>,
    /// Blocks highlighted since the last `take_stats` (memo hits aside), and their CPU time.
    count: AtomicU64,
    cpu_nanos: AtomicU64,
}

/// Highlighted blocks kept at most; past that the memo starts afresh.
const MEMO: usize = 50_000;

impl Default for Highlighter {
    fn default() -> Self {
        Highlighter {
            syntaxes: SyntaxSet::load_defaults_newlines(),
            done: Mutex::new(HashMap::new()),
            count: AtomicU64::new(0),
            cpu_nanos: AtomicU64::new(0),
        }
    }
}

impl Highlighter {
    /// The highlighted HTML of `code` (the inside of `<code>`), or `None` for a language
    /// without a grammar (or one not meant to be highlighted, such as `text` or `mermaid`).
    pub fn highlight(&self, lang: &str, code: &str) -> Option<String> {
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

    fn highlight_uncached(&self, lang: &str, code: &str) -> Option<String> {
        let lang = lang.trim().to_ascii_lowercase();
        if lang.is_empty()
            || matches!(
                lang.as_str(),
                "text" | "txt" | "plain" | "plaintext" | "ascii" | "mermaid" | "console" | "output"
            )
        {
            return None;
        }
        let token = match lang.as_str() {
            "shell" | "sh" | "zsh" | "console-sh" => "bash",
            "rs" => "rust",
            "py" | "python3" => "python",
            "js" | "javascript" | "jsx" | "mjs" => "js",
            "yml" => "yaml",
            "golang" => "go",
            "c++" | "cxx" => "cpp",
            "dockerfile" | "docker" => "Dockerfile",
            other => other,
        };
        let syntax = self.syntaxes.find_syntax_by_token(token)?;
        let mut html = ClassedHTMLGenerator::new_with_class_style(syntax, &self.syntaxes, STYLE);
        for line in LinesWithEndings::from(code) {
            html.parse_html_for_line_which_includes_newline(line).ok()?;
        }
        Some(html.finalize())
    }
}

/// The stylesheet for highlighted code: a light theme, and a dark one under
/// `prefers-color-scheme: dark` and the theme toggle's `data-theme="dark"`.
pub fn css() -> String {
    // A pure function of the embedded themes: computed once per process (`serve` asks on every
    // rebuild).
    static CSS: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    CSS.get_or_init(css_uncached).clone()
}

fn css_uncached() -> String {
    let themes = ThemeSet::load_defaults();
    // Token colours are nudged until they meet WCAG AA (4.5:1) on the theme's code background
    // (`--code-bg` in style.css), in each mode.
    let light = themes
        .themes
        .get("InspiredGitHub")
        .and_then(|t| css_for_theme_with_class_style(t, STYLE).ok())
        .unwrap_or_default();
    let light = crate::render::contrast::ensure_css(&light, "#f3f5f8", 4.5);
    let dark = themes
        .themes
        .get("base16-ocean.dark")
        .and_then(|t| css_for_theme_with_class_style(t, STYLE).ok())
        .unwrap_or_default();
    let dark = crate::render::contrast::ensure_css(&dark, "#1b2030", 4.5);
    let strip_bg = |css: &str| -> String {
        // The page's own code background wins; keep only the token colours.
        css.lines().filter(|l| !l.trim_start().starts_with("background-color")).collect::<Vec<_>>().join("\n")
    };
    let scoped = |css: &str, scope: &str| -> String {
        strip_bg(css)
            .split('}')
            .filter(|r| r.contains('{'))
            .map(|rule| {
                let (sel, body) = rule.split_once('{').unwrap_or((rule, ""));
                let sel: Vec<String> = sel.split(',').map(|s| format!("{scope} {}", s.trim())).collect();
                format!("{} {{{}}}\n", sel.join(", "), body)
            })
            .collect()
    };
    format!(
        "/* Code highlighting (generated by dossier from syntect's themes). */\n{}\n@media (prefers-color-scheme: dark) {{\n{}}}\n{}",
        strip_bg(&light),
        scoped(&dark, ":root:not([data-theme=light])"),
        scoped(&dark, ":root[data-theme=dark]")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_languages_get_classes_unknown_stay_plain() {
        let h = Highlighter::default();
        let html = h.highlight("rust", "fn main() { let x = 1; }\n").unwrap();
        assert_eq!(h.highlight("rust", "fn main() { let x = 1; }\n").as_deref(), Some(html.as_str()), "memoised");
        assert!(html.contains("class=\"hl-"), "{html}");
        assert!(html.contains("main"));
        assert!(h.highlight("sh", "echo hi\n").is_some());
        assert!(h.highlight("no-such-language", "x\n").is_none());
        assert!(h.highlight("mermaid", "graph TD\n").is_none());
        let esc = h.highlight("html", "<script>alert(1)</script>\n").unwrap();
        assert!(!esc.contains("<script>"), "{esc}");
        let css = css();
        assert!(css.contains(".hl-") && css.contains("prefers-color-scheme: dark"));
    }
}
