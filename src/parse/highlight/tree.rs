//! The tree-sitter engine (ADR-0016): Rust, Python, JSON and TOML, the languages most code
//! blocks in design docs are written in. Tree-sitter parses a block into a syntax tree and its
//! highlight queries name the tokens (`keyword`, `string`, `function.macro`…); each name takes
//! the colours of the TextMate scope beside it in [`NAMES`], so both engines draw from the same
//! two themes and the same stylesheet.

use std::cell::RefCell;
use std::sync::OnceLock;
use tree_sitter_highlight::{HighlightConfiguration, HighlightEvent, Highlighter};

/// The token names the grammars' queries use, and the TextMate scope whose theme style each
/// takes. A query's name matches its longest listed prefix (`comment.documentation` is a
/// `comment`); names not listed (`variable`, `embedded`) stay in the default colour.
pub const NAMES: &[(&str, &str)] = &[
    ("attribute", "entity.other.attribute-name"),
    ("boolean", "constant.language"),
    ("comment", "comment"),
    ("constant", "constant.other"),
    ("constant.builtin", "constant.language"),
    ("constructor", "support.class"),
    ("escape", "constant.character.escape"),
    ("function", "entity.name.function"),
    ("function.builtin", "support.function"),
    ("function.macro", "support.function"),
    ("keyword", "keyword"),
    ("label", "storage.modifier"),
    ("number", "constant.numeric"),
    ("operator", "keyword.operator"),
    ("property", "entity.name.tag"),
    ("punctuation", "punctuation"),
    ("string", "string"),
    ("string.special", "string.regexp"),
    ("string.special.key", "entity.name.tag"),
    ("type", "support.class"),
    ("type.builtin", "storage.type"),
    ("variable.builtin", "variable.language"),
    ("variable.parameter", "variable.parameter"),
];

/// One grammar: the language tokens it answers to, and how to build its highlighting setup.
struct Grammar {
    name: &'static str,
    language: fn() -> tree_sitter::Language,
    query: &'static str,
}

const GRAMMARS: [Grammar; 4] = [
    Grammar { name: "rust", language: || tree_sitter_rust::LANGUAGE.into(), query: tree_sitter_rust::HIGHLIGHTS_QUERY },
    Grammar {
        name: "python",
        language: || tree_sitter_python::LANGUAGE.into(),
        query: tree_sitter_python::HIGHLIGHTS_QUERY,
    },
    Grammar { name: "json", language: || tree_sitter_json::LANGUAGE.into(), query: tree_sitter_json::HIGHLIGHTS_QUERY },
    Grammar {
        name: "toml",
        language: || tree_sitter_toml_ng::LANGUAGE.into(),
        query: tree_sitter_toml_ng::HIGHLIGHTS_QUERY,
    },
];

/// The grammars, each compiled on first use (a query takes 5 to 16 ms to compile: a build with
/// no Python pays nothing for it). Shared by all threads.
#[derive(Default)]
pub struct Grammars {
    configs: [OnceLock<Option<HighlightConfiguration>>; 4],
}

impl Grammars {
    /// Whether tree-sitter handles a language token (without compiling its grammar).
    pub fn knows(&self, lang: &str) -> bool {
        GRAMMARS.iter().any(|g| g.name == lang)
    }

    /// The highlighting setup for a language token (already lower-cased and de-aliased), or
    /// `None` when tree-sitter does not handle it.
    pub fn get(&self, lang: &str) -> Option<&HighlightConfiguration> {
        let i = GRAMMARS.iter().position(|g| g.name == lang)?;
        self.configs[i]
            .get_or_init(|| {
                let g = &GRAMMARS[i];
                // The queries ship with the grammars and are tested below; a failure leaves the
                // language to syntect.
                let mut config = HighlightConfiguration::new((g.language)(), g.name, g.query, "", "").ok()?;
                let names: Vec<&str> = NAMES.iter().map(|(n, _)| *n).collect();
                config.configure(&names);
                Some(config)
            })
            .as_ref()
    }
}

/// Highlights `code`, calling `token(text, index into NAMES)` for each run of text in order
/// (`None`: no highlight). `None` when tree-sitter gives up (it was cancelled or the tree does
/// not cover the text), and the caller falls back to syntect.
pub fn highlight(
    config: &HighlightConfiguration,
    code: &str,
    mut token: impl FnMut(&str, Option<usize>),
) -> Option<()> {
    thread_local! {
        static HIGHLIGHTER: RefCell<Highlighter> = RefCell::new(Highlighter::new());
    }
    HIGHLIGHTER.with_borrow_mut(|hl| {
        let events = hl.highlight(config, code.as_bytes(), None, None, |_| None).ok()?;
        let mut stack: Vec<usize> = Vec::new();
        let mut covered = 0;
        for event in events {
            match event.ok()? {
                HighlightEvent::HighlightStart(h) => stack.push(h.0),
                HighlightEvent::HighlightEnd => {
                    stack.pop();
                }
                HighlightEvent::Source { start, end } => {
                    if start != covered {
                        return None;
                    }
                    token(code.get(start..end)?, stack.last().copied());
                    covered = end;
                }
            }
        }
        (covered == code.len()).then_some(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_grammar_compiles_and_names_tokens() {
        let grammars = Grammars::default();
        for (lang, code, word, name) in [
            ("rust", "fn main() { println!(\"hi\"); }\n", "fn", "keyword"),
            ("python", "def f(x):\n    return \"s\"  # c\n", "def", "keyword"),
            ("json", "{\"key\": [1, true, null]}\n", "1", "number"),
            ("toml", "[package]\nname = \"x\" # c\n", "\"x\"", "string"),
        ] {
            let config = grammars.get(lang).unwrap_or_else(|| panic!("{lang} compiles"));
            let mut text = String::new();
            let mut found = None;
            highlight(config, code, |t, n| {
                text.push_str(t);
                if t == word {
                    found = n.map(|i| NAMES[i].0);
                }
            })
            .unwrap();
            assert_eq!(text, code, "{lang}: the text is all there, in order");
            assert_eq!(found, Some(name), "{lang}: {word}");
        }
        assert!(grammars.get("go").is_none());
    }
}
