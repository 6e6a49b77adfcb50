//! The tree-sitter engine (ADR-0016, ADR-0028): the languages most code
//! blocks in design docs are written in. Tree-sitter parses a block into a syntax tree and its
//! highlight queries name the tokens (`keyword`, `string`, `function.macro`…); each name takes
//! the colours of the TextMate scope beside it in [`NAMES`], so both engines draw from the same
//! two themes and the same stylesheet.

use std::cell::RefCell;
use std::sync::OnceLock;
use tree_sitter_highlight::{HighlightConfiguration, HighlightEvent, Highlighter};

/// The token names the grammars' queries use, and the TextMate scope whose theme style each
/// takes. A query's name matches its longest listed prefix (`comment.documentation` is a
/// `comment`); names not listed (`variable`, `embedded`) stay in the default colour. Some
/// grammars use the older names of nvim-treesitter (`conditional`, `repeat`, `include`, `float`),
/// and `keyword.function` (`func`, `fun`) would otherwise be a `function`.
pub const NAMES: &[(&str, &str)] = &[
    ("attribute", "entity.other.attribute-name"),
    ("boolean", "constant.language"),
    ("character", "constant.character"),
    ("comment", "comment"),
    ("conditional", "keyword"),
    ("constant", "constant.other"),
    ("constant.builtin", "constant.language"),
    ("constructor", "support.class"),
    ("delimiter", "punctuation"),
    ("escape", "constant.character.escape"),
    ("exception", "keyword"),
    ("float", "constant.numeric"),
    ("function", "entity.name.function"),
    ("function.builtin", "support.function"),
    ("function.macro", "support.function"),
    ("include", "keyword"),
    ("keyword", "keyword"),
    ("keyword.function", "keyword"),
    ("label", "storage.modifier"),
    ("module", "entity.name"),
    ("namespace", "entity.name"),
    ("number", "constant.numeric"),
    ("operator", "keyword.operator"),
    ("parameter", "variable.parameter"),
    ("property", "entity.name.tag"),
    ("punctuation", "punctuation"),
    ("repeat", "keyword"),
    ("string", "string"),
    ("string.special", "string.regexp"),
    ("string.special.key", "entity.name.tag"),
    ("tag", "entity.name.tag"),
    ("type", "support.class"),
    ("type.builtin", "storage.type"),
    ("variable.builtin", "variable.language"),
    ("variable.parameter", "variable.parameter"),
];

/// One grammar: the language token it answers to, its parser, and its highlight query (the
/// parts joined in order: TypeScript's and C++'s queries add to JavaScript's and C's).
struct Grammar {
    name: &'static str,
    language: fn() -> tree_sitter::Language,
    query: &'static [&'static str],
}

/// The grammars: the commonest languages of the shared corpora's fences (Swift, Rust, Python,
/// TOML, JSON, Java) and the languages typical of design docs that the corpora hardly use (Go,
/// YAML, JavaScript, protobuf), within the binary's budget (ADR-0028). Every
/// query ships with its grammar's crate (MIT); protobuf's is the crate's file, which it does not export.
const GRAMMARS: &[Grammar] = &[
    Grammar {
        name: "swift",
        language: || tree_sitter_swift::LANGUAGE.into(),
        query: &[tree_sitter_swift::HIGHLIGHTS_QUERY],
    },
    Grammar {
        name: "rust",
        language: || tree_sitter_rust::LANGUAGE.into(),
        query: &[tree_sitter_rust::HIGHLIGHTS_QUERY],
    },
    Grammar {
        name: "python",
        language: || tree_sitter_python::LANGUAGE.into(),
        query: &[tree_sitter_python::HIGHLIGHTS_QUERY],
    },
    Grammar {
        name: "toml",
        language: || tree_sitter_toml_ng::LANGUAGE.into(),
        query: &[tree_sitter_toml_ng::HIGHLIGHTS_QUERY],
    },
    Grammar {
        name: "json",
        language: || tree_sitter_json::LANGUAGE.into(),
        query: &[tree_sitter_json::HIGHLIGHTS_QUERY],
    },
    Grammar {
        name: "java",
        language: || tree_sitter_java::LANGUAGE.into(),
        query: &[tree_sitter_java::HIGHLIGHTS_QUERY],
    },
    Grammar { name: "go", language: || tree_sitter_go::LANGUAGE.into(), query: &[tree_sitter_go::HIGHLIGHTS_QUERY] },
    Grammar {
        name: "yaml",
        language: || tree_sitter_yaml::LANGUAGE.into(),
        query: &[tree_sitter_yaml::HIGHLIGHTS_QUERY],
    },
    Grammar {
        name: "js",
        language: || tree_sitter_javascript::LANGUAGE.into(),
        query: &[tree_sitter_javascript::HIGHLIGHT_QUERY, tree_sitter_javascript::JSX_HIGHLIGHT_QUERY],
    },
    Grammar {
        name: "proto",
        language: || tree_sitter_proto::LANGUAGE.into(),
        query: &[include_str!("queries/proto.scm")],
    },
];

/// The grammars, each compiled on first use (a query takes 5 to 16 ms to compile: a build with
/// no Python pays nothing for it). Shared by all threads.
pub struct Grammars {
    configs: Vec<OnceLock<Option<HighlightConfiguration>>>,
}

impl Default for Grammars {
    fn default() -> Self {
        Grammars { configs: GRAMMARS.iter().map(|_| OnceLock::new()).collect() }
    }
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
        self.configs[i].get_or_init(|| compile(&GRAMMARS[i]).ok()).as_ref()
    }
}

/// A grammar's highlighting setup. The queries ship with the grammars and are tested below; a
/// failure leaves the language to syntect.
fn compile(g: &Grammar) -> Result<HighlightConfiguration, tree_sitter::QueryError> {
    // nvim-treesitter's `@spell` marks text to spell-check, not a colour; as the last capture
    // on a node it would win over the node's `@comment` and leave it uncoloured.
    static SPELL: OnceLock<Option<regex::Regex>> = OnceLock::new();
    let query = g.query.concat();
    let query = match SPELL.get_or_init(|| regex::Regex::new(r"\s@(no)?spell\b").ok()) {
        Some(spell) => spell.replace_all(&query, "").into_owned(),
        None => query,
    };
    let mut config = HighlightConfiguration::new((g.language)(), g.name, &query, "", "")?;
    let names: Vec<&str> = NAMES.iter().map(|(n, _)| *n).collect();
    config.configure(&names);
    Ok(config)
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

    /// A small block per grammar, a word in it and the TextMate scope its token name must take.
    const SAMPLES: &[(&str, &str, &str, &str)] = &[
        ("swift", "func greet() -> String { return \"hi\" } // c\n", "func", "keyword"),
        ("rust", "fn main() { println!(\"hi\"); }\n", "fn", "keyword"),
        ("python", "def f(x):\n    return \"s\"  # c\n", "def", "keyword"),
        ("toml", "[package]\nname = \"x\" # c\n", "\"x\"", "string"),
        ("json", "{\"key\": [1, true, null]}\n", "1", "constant.numeric"),
        ("java", "class A { String s = \"x\"; } // c\n", "class", "keyword"),
        ("go", "func main() { s := \"x\" } // c\n", "func", "keyword"),
        ("yaml", "key: value # c\n", "# c", "comment"),
        ("js", "const s = \"x\"; // c\n", "const", "keyword"),
        ("proto", "syntax = \"proto3\";\nmessage A { string s = 1; }\n", "message", "keyword"),
    ];

    #[test]
    fn every_grammar_compiles_and_names_tokens() {
        let grammars = Grammars::default();
        assert_eq!(SAMPLES.len(), GRAMMARS.len(), "a sample per grammar");
        let mut wrong = Vec::new();
        for (lang, code, word, name) in SAMPLES {
            let config = grammars.get(lang).unwrap_or_else(|| panic!("{lang}: {:?}", compile_of(lang).err()));
            let mut text = String::new();
            let mut found = None;
            highlight(config, code, |t, n| {
                text.push_str(t);
                if t == *word {
                    // The TextMate scope whose colours it takes (`keyword.function` is a keyword).
                    found = n.map(|i| NAMES[i].1);
                }
            })
            .unwrap();
            assert_eq!(text, *code, "{lang}: the text is all there, in order");
            if found != Some(*name) {
                wrong.push(format!("{lang}: {word} is {found:?}, not {name}"));
            }
        }
        assert!(wrong.is_empty(), "{wrong:?}");
        assert!(grammars.get("haskell").is_none());
    }

    fn compile_of(lang: &str) -> Result<HighlightConfiguration, tree_sitter::QueryError> {
        compile(GRAMMARS.iter().find(|g| g.name == lang).unwrap())
    }

    /// Token names a query uses that deliberately keep the default colour.
    const UNCOLOURED: &[&str] = &["variable", "none", "spell", "nospell", "embedded", "local", "conceal"];

    #[test]
    fn every_token_name_a_query_uses_takes_a_colour_or_is_meant_plain() {
        let mut wrong = Vec::new();
        for g in GRAMMARS {
            let config = compile(g).unwrap();
            let mut plain: Vec<&str> = config
                .names()
                .iter()
                .copied()
                .filter(|n| !n.starts_with('_') && !UNCOLOURED.iter().any(|u| n.split('.').next() == Some(*u)))
                .filter(|n| !NAMES.iter().any(|(known, _)| known.split('.').all(|p| n.split('.').any(|q| q == p))))
                .collect();
            plain.dedup();
            if !plain.is_empty() {
                wrong.push(format!("{}: {plain:?}", g.name));
            }
        }
        assert!(wrong.is_empty(), "token names without a colour: {wrong:?}");
    }
}
