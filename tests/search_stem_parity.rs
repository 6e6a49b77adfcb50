//! The browser stems and segments like the index: for every language with a stemmer, the stem
//! key search.js computes (the theme's stem/<code>.js, folded) equals the one search.rs indexes,
//! over every distinct word of the shared corpora and a word list per language
//! (tests/fixtures/search-stem/<code>.txt); and search.js splits text into the same tokens.

#![allow(clippy::print_stderr)]

mod common;

use common::*;
use dossier::search::{stem_key, stemmer, tokens};
use std::collections::BTreeSet;
use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `script` in node with `input` on standard input; returns standard output.
fn node(script: &str, input: &str) -> Option<String> {
    let mut child = match Command::new("node")
        .arg("-e")
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
    {
        Ok(c) => c,
        Err(_) => {
            eprintln!("skipped: node is not installed");
            return None;
        }
    };
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    assert!(out.status.success(), "node failed");
    Some(String::from_utf8(out.stdout).unwrap())
}

/// The Markdown texts of the shared corpora (when present) and of the i18n fixture.
fn texts() -> Vec<String> {
    let mut dirs = vec![fixture("search-i18n")];
    if let Some(shared) = shared() {
        dirs.push(shared.join("corpora"));
    }
    dirs.iter()
        .flat_map(|d| walkdir::WalkDir::new(d).into_iter().filter_map(Result::ok))
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect()
}

#[test]
fn browser_stem_keys_equal_the_index_ones() {
    let texts = texts();
    let corpus: BTreeSet<String> = texts.iter().flat_map(|t| tokens(t).map(|w| w.into_owned())).collect();
    assert!(corpus.len() > 500, "{} words", corpus.len());
    let theme = manifest_dir().join("themes/default/static");
    let mut checked = 0;
    for (code, _, _) in dossier::search::STEMMERS {
        let list = std::fs::read_to_string(fixture("search-stem").join(format!("{code}.txt"))).unwrap();
        let own: Vec<String> = list.split_whitespace().map(|w| w.to_lowercase()).collect();
        assert!(own.len() >= 8, "{code}: a word list of the language");
        let words: Vec<&str> = own.iter().map(String::as_str).chain(corpus.iter().map(String::as_str)).collect();
        let s = stemmer(code).map(|s| s.1);
        let want: Vec<String> = words.iter().map(|w| stem_key(s.as_ref(), w)).collect();
        let script = format!(
            "global.self = global; require({search}); require({stem}); const fold = self.dossierSearchEngine.fold, f = self.dossierStem[{code:?}];
             let input = ''; process.stdin.setEncoding('utf8'); process.stdin.on('data', d => input += d); process.stdin.on('end', () => {{
               process.stdout.write(input.split('\\n').filter(Boolean).map(w => fold(f(w))).join('\\n') + '\\n'); }});",
            search = serde_json::to_string(&theme.join("search.js")).unwrap(),
            stem = serde_json::to_string(&theme.join(format!("stem/{code}.js"))).unwrap(),
        );
        let Some(out) = node(&script, &(words.join("\n") + "\n")) else { return };
        let got: Vec<&str> = out.lines().collect();
        assert_eq!(got.len(), words.len(), "{code}");
        let diff: Vec<String> = words
            .iter()
            .zip(want.iter().zip(&got))
            .filter(|(_, (w, g))| w.as_str() != **g)
            .map(|(word, (w, g))| format!("{word}: rust {w}, js {g}"))
            .take(10)
            .collect();
        assert!(diff.is_empty(), "{code}: {} differ, e.g. {diff:?}", diff.len());
        checked += words.len();
    }
    eprintln!("{checked} stem keys identical");
}

#[test]
fn browser_tokens_equal_the_index_ones() {
    let texts = texts();
    let sample: Vec<String> = texts.iter().map(|t| t.chars().take(4000).collect()).collect();
    let theme = manifest_dir().join("themes/default/static/search.js");
    let script = format!(
        "global.self = global; require({}); const e = self.dossierSearchEngine({{json: () => Promise.resolve(null)}});
         let input = ''; process.stdin.setEncoding('utf8'); process.stdin.on('data', d => input += d); process.stdin.on('end', () => {{
           process.stdout.write(input.split('\\u0000').map(t => e.tokens(t).join(' ')).join('\\n') + '\\n'); }});",
        serde_json::to_string(&theme).unwrap()
    );
    let Some(out) = node(&script, &sample.join("\u{0}")) else { return };
    let got: Vec<&str> = out.lines().collect();
    assert_eq!(got.len(), sample.len());
    for (text, js) in sample.iter().zip(got) {
        let rust: Vec<String> = tokens(text).map(|w| w.into_owned()).collect();
        let js: Vec<&str> = js.split(' ').filter(|w| !w.is_empty()).collect();
        let at = rust.iter().zip(&js).position(|(r, j)| r != j).unwrap_or(rust.len().min(js.len()));
        assert!(
            rust.len() == js.len() && at == rust.len(),
            "tokens differ from {at}: rust {:?}, js {:?}",
            &rust[at..rust.len().min(at + 5)],
            &js[at..js.len().min(at + 5)]
        );
    }
}
