//! The search client (themes/default/static/search.js) run in node on built sites: posting
//! lists past `MAX_POSTINGS` are not lost to a filter or a second word; a title that is the
//! query ranks first; an ID jump needs the ID.

mod common;

use common::*;
use std::process::Command;

/// Ranks `q` with `filters` (JSON) in node against the built site at `out`; the URLs, best first.
fn rank(out: &std::path::Path, q: &str, filters: &str) -> Option<Vec<String>> {
    let script = format!(
        "global.self = global; const fs = require('fs'), path = require('path'), site = {site};
         require(path.join(site, 'assets/search.js'));
         const read = p => {{ try {{ return JSON.parse(fs.readFileSync(p, 'utf8')); }} catch (e) {{ return null; }} }};
         const e = self.dossierSearchEngine({{ json: p => Promise.resolve(read(path.join(site, 'search', p))) }});
         e.rank({q}, {filters}).then(r => Promise.all(r.map(x => e.docInfo(x.doc)))).then(i => console.log(JSON.stringify(i.map(x => x.url))));",
        site = serde_json::to_string(out).unwrap(),
        q = serde_json::to_string(q).unwrap(),
    );
    let o = match Command::new("node").arg("-e").arg(script).output() {
        Ok(o) => o,
        Err(_) => {
            assert!(std::env::var("CI").is_err(), "node is needed");
            return None;
        }
    };
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    Some(serde_json::from_slice(&o.stdout).unwrap())
}

#[test]
fn filter_and_second_word_find_documents_past_the_best_400_postings() {
    // 1,050 documents (tiers start past 1,000) say "unsafe" often; the one proposed document and
    // the one that also says "zebra" say it once, so their "unsafe" postings are past the best 400.
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir_all(src.join("design")).unwrap();
    for i in 0..1050 {
        let (status, body) = match i {
            7 => ("proposed", "unsafe once.".to_string()),
            8 => ("accepted", "unsafe once, and a zebra.".to_string()),
            _ => ("accepted", "unsafe unsafe unsafe unsafe code everywhere.".repeat(3)),
        };
        let text = format!("---\ntitle: Note {i}\nstatus: {status}\n---\n{body}\n");
        std::fs::write(src.join(format!("design/note-{i:04}.md")), text).unwrap();
    }
    let built = build_in(tmp, src, &[]);
    assert_eq!(built.code, 0, "{}", built.stderr);
    let Some(all) = rank(&built.out, "unsafe", "{}") else { return };
    assert_eq!(all.len(), 400, "a plain query loads only the best postings");
    // The rest is in the first tier file of the shard "unsafe" is in, beside its neighbours'.
    let tiers: Vec<serde_json::Value> = std::fs::read_dir(built.out.join("search/o"))
        .unwrap()
        .map(|e| serde_json::from_str(&std::fs::read_to_string(e.unwrap().path()).unwrap()).unwrap())
        .collect();
    let first_tier = |l: &Vec<serde_json::Value>| {
        l.len() == 2 && l[1].as_str().and_then(dossier::search::decode_postings).is_some_and(|p| p.len() == 400)
    };
    assert!(tiers.iter().any(|t| t["unsafe"].as_array().is_some_and(first_tier)), "{tiers:?}");
    let r = rank(&built.out, "unsafe", "{status: 'proposed'}").unwrap();
    assert_eq!(r, ["design/note-0007/"]);
    let r = rank(&built.out, "unsafe zebra", "{}").unwrap();
    assert_eq!(r.first().map(String::as_str), Some("design/note-0008/"), "{r:?}");
}

#[test]
fn html_lang_is_the_documents_else_the_sites() {
    let b = build(&fixture("search-i18n"), &[]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let lang = |b: &Built, page: &str| {
        let html = b.read(page);
        let start = html.find("<html lang=\"").unwrap() + 12;
        html[start..start + html[start..].find('"').unwrap()].to_string()
    };
    assert_eq!(lang(&b, "design/ja-cache/index.html"), "ja");
    assert_eq!(lang(&b, "design/de-vertrag/index.html"), "de");
    assert_eq!(lang(&b, "index.html"), "en");
    // The site's language, from dossier.toml; an unknown one is a warning.
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    copy_tree(&fixture("search-i18n"), &src);
    std::fs::write(src.join("dossier.toml"), "language = \"fr\"\n").unwrap();
    let b = build_in(tmp, src, &[]);
    assert_eq!(lang(&b, "search/index.html"), "fr");
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    copy_tree(&fixture("search-i18n"), &src);
    std::fs::write(src.join("dossier.toml"), "language = \"xx\"\n").unwrap();
    let b = build_in(tmp, src, &[]);
    assert!(b.stderr.contains("dossier.toml:1:1: warning[unknown-language]"), "{}", b.stderr);
}

#[test]
fn a_title_that_is_the_query_ranks_above_longer_titles_and_other_forms() {
    let b = build(&fixture("search-titles"), &[]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let first = |q: &str| rank(&b.out, q, "{}").map(|r| r[0].clone());
    let Some(got) = first("private fields") else { return };
    assert_eq!(got, "design/private-fields/", "not the longer title with the same words");
    // Other forms of the title's words still make it the whole title, above a title that has
    // one of them in the typed form ("No privates in public").
    assert_eq!(first("privates field").unwrap(), "design/private-fields/");
    assert_eq!(first("private field").unwrap(), "design/private-fields/");
}

#[test]
fn an_id_jump_needs_the_documents_id_not_a_word_of_its_text() {
    // "edition 2024" reads like an ID (`adr 12`); "Reserved prefixes" has the word edition2024
    // in its text, which made it jump to the top.
    let b = build(&fixture("search-titles"), &[]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let Some(r) = rank(&b.out, "edition 2024", "{}") else { return };
    assert_eq!(r[0], "design/edition-2024/", "{r:?}");
}

#[test]
fn a_document_with_the_words_as_typed_ranks_above_other_forms_used_more_often() {
    // "Stakeholders" and "confident" occur once in the first note; the second says other forms
    // of both (stakeholder, confidence) many times. Stemming finds both, but the note with the
    // query's own words comes first; a title that is the query's words in another form still
    // ranks above both.
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    std::fs::create_dir_all(src.join("design")).unwrap();
    let notes = [
        ("typed", "Review process", "We make stakeholders confident before a release.".to_string()),
        ("forms", "Release train", "Each stakeholder gains confidence. ".repeat(12)),
        ("other", "Unrelated", "Nothing about it here.".to_string()),
    ];
    for (name, title, body) in notes {
        std::fs::write(src.join(format!("design/{name}.md")), format!("# {title}\n\n{body}\n")).unwrap();
    }
    let built = build_in(tmp, src, &[]);
    assert_eq!(built.code, 0, "{}", built.stderr);
    let Some(r) = rank(&built.out, "stakeholders confident", "{}") else { return };
    assert_eq!(r, ["design/typed/", "design/forms/"]);
    // Other forms alone still find the documents, the one using them more often first.
    let r = rank(&built.out, "stakeholder confidence", "{}").unwrap();
    assert_eq!(r, ["design/forms/", "design/typed/"]);
    let r = rank(&built.out, "release trains", "{}").unwrap();
    assert_eq!(r.first().map(String::as_str), Some("design/forms/"), "{r:?}");
}
