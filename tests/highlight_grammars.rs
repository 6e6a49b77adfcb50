//! Every tree-sitter grammar highlights a real fence in a built page (ADR-0016, ADR-0028): its
//! keyword, string and comment come out as spans with the same classes (the same theme colours)
//! as Rust's keyword, string and comment, since every grammar's token names map onto the same
//! TextMate scopes.

mod common;
use common::*;
use scraper::{Html, Selector};

/// A fence's spans: (text, classes).
fn spans(code: scraper::ElementRef<'_>) -> Vec<(String, String)> {
    let span = Selector::parse("span").unwrap();
    code.select(&span)
        .map(|s| (s.text().collect::<String>(), s.value().attr("class").unwrap_or("").to_string()))
        .collect()
}

/// The classes of the span whose text contains `word` (exactly `word`, for a keyword).
fn class_of(spans: &[(String, String)], word: &str, exact: bool) -> Option<String> {
    spans.iter().find(|(t, _)| if exact { t.trim() == word } else { t.contains(word) }).map(|(_, c)| c.clone())
}

/// Per language: its keyword (empty: none in the sample), string and comment words.
const SAMPLES: &[(&str, &str, &str, &str)] = &[
    ("swift", "func", "swiftstr", "swiftnote"),
    ("python", "def", "pystr", "pynote"),
    ("toml", "", "tomlstr", "tomlnote"),
    ("json", "", "jsonstr", ""),
    ("java", "class", "javastr", "javanote"),
    ("go", "func", "gostr", "gonote"),
    ("yaml", "", "yamlstr", "yamlnote"),
    ("js", "const", "jsstr", "jsnote"),
    ("proto", "message", "protostr", "protonote"),
];

#[test]
fn every_grammar_colours_keywords_strings_and_comments_like_rust() {
    let b = build(&fixture("highlight-grammars"), &[]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let page = Html::parse_document(&b.read("code-in-every-language/index.html"));
    let fences = Selector::parse("pre.highlight > code").unwrap();
    let by_lang = |lang: &str| {
        let class = format!("language-{lang}");
        let code = page.select(&fences).find(|c| c.value().attr("class") == Some(class.as_str()));
        spans(code.unwrap_or_else(|| panic!("no highlighted {lang} fence")))
    };
    let rust = by_lang("rust");
    let keyword = class_of(&rust, "fn", true).expect("rust keyword");
    let string = class_of(&rust, "rsstr", false).expect("rust string");
    let comment = class_of(&rust, "rsnote", false).expect("rust comment");
    assert!(keyword != string && string != comment && keyword != comment, "{rust:?}");
    let mut wrong = Vec::new();
    for (lang, kw, s, c) in SAMPLES {
        let got = by_lang(lang);
        for (word, want, exact) in [(kw, &keyword, true), (s, &string, false), (c, &comment, false)] {
            if word.is_empty() {
                continue;
            }
            let class = class_of(&got, word, exact);
            if class.as_ref() != Some(want) {
                wrong.push(format!("{lang}: {word} has {class:?}, want {want:?}; spans {got:?}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
