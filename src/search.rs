//! The search index, built from the parse stage's plain text (never from rendered HTML) and
//! packed into few files, so that a browser loads only what a query needs and a site writes far
//! fewer index files than documents (ADR-0027):
//!
//! - `search/t/<k>.json`: shard `k`, the postings of a run of neighbouring terms (in code-point
//!   order; `meta.json`'s `shards` has each shard's separator, see `split_shards`),
//!   `{"term": ["stem", …, -threshold, "postings"]}`: documents by number, scores quantised,
//!   packed into one string (`encode_postings`); first the stem keys of the term where they
//!   differ from it, then, when the term has more than `MAX_POSTINGS` postings, minus the
//!   lowest score kept (the rest are in tiers, `search/o/<k>.1.json` for the first and
//!   `search/o/<k>.2.json` for the others, loaded while they could change the first page); a
//!   stem key `s` has its own entry `s~` (every form of the word) unless only `s` itself has it;
//! - `assets/stem/<code>.js`: the browser's stemmer for each language of the site;
//! - `search/d/<n>.json`: title, URL, ID, kind, status, date and the title's stem keys of
//!   documents `16n … 16n+15`;
//! - `search/x/<n>.json`: the first part of the text of documents `16n … 16n+15`, for "quoted
//!   phrases" (snippets are cut from the result's own page, see `assets/passages.js`);
//! - `search/f.json`: kind, status and tags of every document, loaded only to filter;
//! - `search/meta.json`: counts, shard separators and the filter vocabularies.
//!
//! Scores are BM25 for the body plus boosts for title (normalised by the title's length, as
//! BM25F does: `title_boost`), ID, headings and tags, times the term's IDF, so title and ID
//! matches rank above body matches. Words are lower-cased; runs of unspaced scripts (Chinese,
//! Japanese, Korean, Thai…) are indexed as character bigrams.

mod lang;
pub use lang::{STEMMERS, is_known as is_known_language, primary as primary_language, stem_key, stemmer};

use crate::link::split_id;
use crate::model::{LinkedDoc, Site};
use crate::render::strings::Ui;
use crate::write::OutputFile;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use serde_json::{Value, json};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// Documents per metadata chunk.
pub const CHUNK: usize = 16;
/// Postings kept per term in its shard (the best-scoring ones); the rest go to an overflow file.
pub const MAX_POSTINGS: usize = 400;
/// Sites of at most this many documents keep every posting in the shards: a whole list then
/// costs a few KB, less than the tier files it would take (ADR-0027).
pub const TIERS_FROM_DOCS: usize = 1000;
/// Characters of text kept per document for phrases.
pub const EXCERPT: usize = 800;
/// Documents per excerpt chunk.
pub const EXCERPT_CHUNK: usize = 16;

/// Whether `w` is a stop word, left out of the index (a `match`: cheaper than searching a list
/// for every word of every document). search.js drops the same words from queries.
fn is_stop_word(w: &str) -> bool {
    matches!(
        w,
        "a" | "an"
            | "and"
            | "are"
            | "as"
            | "at"
            | "be"
            | "but"
            | "by"
            | "for"
            | "from"
            | "has"
            | "have"
            | "if"
            | "in"
            | "into"
            | "is"
            | "it"
            | "its"
            | "of"
            | "on"
            | "or"
            | "that"
            | "the"
            | "their"
            | "then"
            | "there"
            | "these"
            | "this"
            | "to"
            | "was"
            | "we"
            | "were"
            | "will"
            | "with"
    )
}

/// Lower-case words of `text`: runs of letters and digits, stop words dropped, runs of unspaced
/// scripts as overlapping character bigrams (a lone character as itself). Words that are
/// already lower-case, and bigrams, are borrowed, not copied.
pub fn tokens(text: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    Words { text, pos: 0 }.flat_map(|(w, class)| {
        if class & UNSPACED == 0 {
            Parts::One(word(w, class & UPPER != 0))
        } else {
            Parts::Many(segments(w).into_iter())
        }
    })
}

/// A word as indexed: lower-case, at most 40 characters, not a stop word.
fn word(w: &str, upper: bool) -> Option<Cow<'_, str>> {
    if w.len() > 40 && w.chars().count() > 40 {
        return None;
    }
    let w = if upper { Cow::Owned(w.to_lowercase()) } else { Cow::Borrowed(w) };
    (!is_stop_word(&w)).then_some(w)
}

/// The tokens of a word with characters of unspaced scripts: its other parts as words, its
/// unspaced runs as bigrams.
fn segments(w: &str) -> Vec<Cow<'_, str>> {
    let mut out = Vec::new();
    let mut chars = w.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        let unspaced = lang::is_unspaced(c);
        let mut bounds = Vec::new();
        while let Some(&(i, c)) = chars.peek() {
            if lang::is_unspaced(c) != unspaced {
                break;
            }
            bounds.push(i);
            chars.next();
        }
        let end = chars.peek().map_or(w.len(), |&(i, _)| i);
        if !unspaced {
            out.extend(word(&w[start..end], true));
        } else if bounds.len() == 1 {
            out.push(Cow::Borrowed(&w[start..end]));
        } else {
            bounds.push(end);
            out.extend(bounds.windows(3).map(|b| Cow::Borrowed(&w[b[0]..b[2]])));
        }
    }
    out
}

/// The tokens of one word: mostly one, several for unspaced scripts.
enum Parts<'a> {
    One(Option<Cow<'a, str>>),
    Many(std::vec::IntoIter<Cow<'a, str>>),
}

impl<'a> Iterator for Parts<'a> {
    type Item = Cow<'a, str>;
    fn next(&mut self) -> Option<Cow<'a, str>> {
        match self {
            Parts::One(w) => w.take(),
            Parts::Many(it) => it.next(),
        }
    }
}

/// Runs of word characters, each with the classes of its characters (upper-case, unspaced
/// script), found in one pass. ASCII bytes, most of any text, are classified by a table without decoding a `char`.
struct Words<'a> {
    text: &'a str,
    pos: usize,
}

/// Byte classes: ASCII letters and digits, ASCII upper-case letters, and bytes of non-ASCII
/// characters (decoded to classify).
const ALNUM: u8 = 1;
const UPPER: u8 = 2;
const WIDE: u8 = 4;
const UNSPACED: u8 = 8;
const CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c >= 0x80 {
            WIDE
        } else if c.is_ascii_uppercase() {
            ALNUM | UPPER
        } else if c.is_ascii_alphanumeric() {
            ALNUM
        } else {
            0
        };
        b += 1;
    }
    t
};

impl<'a> Words<'a> {
    /// The class of the non-ASCII character at `pos`, and its length.
    #[cold]
    fn wide(&self, pos: usize) -> (u8, usize) {
        let c = self.text[pos..].chars().next().unwrap_or(' ');
        let class = if !lang::is_word_char(c) {
            0
        } else if lang::is_unspaced(c) {
            ALNUM | UNSPACED
        } else if c.is_uppercase() {
            ALNUM | UPPER
        } else {
            ALNUM
        };
        (class, c.len_utf8())
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = (&'a str, u8);

    fn next(&mut self) -> Option<(&'a str, u8)> {
        let bytes = self.text.as_bytes();
        let mut i = self.pos;
        loop {
            let class = CLASS[*bytes.get(i)? as usize];
            let (class, n) = if class & WIDE != 0 { self.wide(i) } else { (class, 1) };
            if class & ALNUM != 0 {
                break;
            }
            i += n;
        }
        let start = i;
        let mut upper = 0;
        while let Some(&b) = bytes.get(i) {
            let class = CLASS[b as usize];
            let (class, n) = if class & WIDE != 0 { self.wide(i) } else { (class, 1) };
            if class & ALNUM == 0 {
                break;
            }
            upper |= class;
            i += n;
        }
        self.pos = i;
        Some((&self.text[start..i], upper))
    }
}

/// The term an ID is indexed under: `ADR-0012` → `adr12` (so `adr 12`, `ADR-12` find it).
pub fn id_term(id: &str) -> Option<String> {
    let (prefix, n) = split_id(id)?;
    Some(format!("{}{n}", prefix.to_lowercase()))
}

/// Shards larger than this are split (on a large site; see `shard_cap`).
pub const SHARD_BYTES: usize = 12 * 1024;
/// Documents per shard file at least: on a small site of long documents the shards grow past
/// `SHARD_BYTES` so that the index writes at most one shard per this many documents…
pub const DOCS_PER_SHARD: usize = 12;
/// …or per this many on a site with tiers (more than `TIERS_FROM_DOCS` documents), where a
/// shard brings up to two tier files with it: about three files per shard, which must stay
/// within 1.3 files per document with the pages.
pub const DOCS_PER_TIERED_SHARD: usize = 20;

/// Adds one occurrence of `term` in document `doc` (`tf` 1 for the body, 0 for a boost) to the
/// postings. Documents arrive in order within a fold, so the document's posting, if any, is the
/// last of the list: one map lookup per token.
fn add<'a>(map: &mut RawPostings<'a>, term: Cow<'a, str>, doc: u32, tf: u32, boost: f32) {
    match map.get_mut(term.as_ref()) {
        Some(list) => match list.last_mut() {
            Some(p) if p.0 == doc => {
                p.1 += tf;
                p.2 = p.2.max(boost);
            }
            _ => list.push((doc, tf, boost)),
        },
        None => {
            map.insert(term, vec![(doc, tf, boost)]);
        }
    }
}

/// The boost of a title word before field-length normalisation.
pub const TITLE_BOOST: f32 = 6.0;
/// BM25F's saturation and length normalisation of the title field (`title_boost`).
pub const TITLE_K1: f32 = 1.2;
pub const TITLE_B: f32 = 0.75;

/// The boost of a word of a title of `len` terms where titles have `avg` terms on average
/// (BM25F field-length normalisation, term frequency 1): `TITLE_BOOST` at the average length,
/// more for a shorter title, less for a longer one, so that the title that is all the query's
/// words ranks above a longer title with the same words.
pub fn title_boost(len: usize, avg: f32) -> f32 {
    let rel = len.max(1) as f32 / avg.max(1.0);
    TITLE_BOOST * (TITLE_K1 + 1.0) / (1.0 + TITLE_K1 * (1.0 - TITLE_B + TITLE_B * rel))
}

/// The average number of terms of a title, rounded to a quarter (so that one edit seldom changes
/// every score in `serve`).
fn avg_title_len(docs: &[&LinkedDoc]) -> f32 {
    let total: usize = docs.par_iter().map(|d| tokens(&d.doc.title).count()).sum();
    ((total as f32 / docs.len().max(1) as f32) * 4.0).round().max(4.0) / 4.0
}

/// Folds one document's terms into `map`: body term frequencies, and boosts from the title
/// (normalised by its length against `avg_title`, see `title_boost`), headings, tags and ID.
/// Returns the body length in terms.
fn fold_doc<'a>(map: &mut RawPostings<'a>, i: u32, d: &'a LinkedDoc, avg_title: f32) -> u32 {
    let mut len = 0;
    for t in tokens(&d.doc.text) {
        add(map, t, i, 1, 0.0);
        len += 1;
    }
    let mut boost = |text: &'a str, b: f32| {
        for t in tokens(text) {
            add(map, t, i, 0, b);
        }
    };
    boost(&d.doc.title, title_boost(tokens(&d.doc.title).count(), avg_title));
    for h in &d.doc.headings {
        boost(&h.text, 1.5);
    }
    for t in &d.doc.tags {
        boost(t, 2.0);
    }
    boost(&d.id, 4.0);
    if let Some(t) = id_term(&d.id) {
        add(map, Cow::Owned(t), i, 0, 40.0);
    }
    len
}

/// Postings before scoring: term → (document, body term frequency, boost).
type RawPostings<'a> = HashMap<Cow<'a, str>, Vec<Posting>>;
/// (document, body term frequency, boost).
type Posting = (u32, u32, f32);

/// One term's entry in its shard: the stem keys that differ from it, the postings kept, and
/// the rest (lowest scores) with the lowest score kept.
struct Entry<'a> {
    term: Cow<'a, str>,
    hints: Vec<String>,
    /// The postings kept, encoded (see `encode_postings`).
    kept: String,
    /// The lowest score kept, and the tier files of the rest (see `tiers`).
    overflow: Option<(u16, Vec<String>)>,
}

/// The language of a document: its `lang` or `language` front-matter key, else the site's.
pub fn doc_language<'a>(d: &'a LinkedDoc, site_language: &'a str) -> &'a str {
    d.doc
        .meta
        .iter()
        .find(|m| m.key.eq_ignore_ascii_case("lang") || m.key.eq_ignore_ascii_case("language"))
        .map_or(site_language, |m| m.value.trim())
}

/// The files of the search index for the site, whose documents are in `language` unless they
/// say otherwise.
pub fn index(site: &Site, language: &str, strings: &BTreeMap<String, String>) -> Vec<OutputFile> {
    let ui = Ui::new(language, strings);
    let docs: Vec<&LinkedDoc> = site.docs.iter().filter(|d| !d.doc.is_template).collect();
    let n = docs.len();
    let (mut postings, doc_len) = collect(&docs);
    // The languages of the documents, by number into `langs`.
    let mut langs: Vec<String> = Vec::new();
    let doc_lang: Vec<u8> = docs
        .iter()
        .map(|d| {
            let code = lang::primary(doc_language(d, language));
            let at = langs.iter().position(|l| *l == code).unwrap_or_else(|| {
                langs.push(code);
                langs.len() - 1
            });
            at.min(u8::MAX as usize) as u8
        })
        .collect();
    let hints = add_stems(&mut postings, &langs, &doc_lang);
    let mut lists = score(postings, hints, &doc_len);
    lists.sort_by(|a, b| a.term.cmp(&b.term));
    let shards = split_shards(&lists, shard_cap(&lists, n));
    let seps: Vec<&str> = shards.iter().map(|(s, _)| s.as_str()).collect();
    let mut files: Vec<OutputFile> = shards
        .par_iter()
        .enumerate()
        .map(|(k, (_, terms))| OutputFile::Bytes {
            path: format!("search/t/{k}.json"),
            bytes: shard_json(terms.iter().map(|&i| &lists[i])),
        })
        .collect();
    files.extend(tier_files(&lists, &shards));
    doc_files(&docs, language, ui, &mut files);
    let stemmed: Vec<&str> = lang::STEMMERS.iter().map(|s| s.0).filter(|c| langs.iter().any(|l| l == c)).collect();
    for (code, _, script) in lang::STEMMERS.iter().filter(|s| stemmed.contains(&s.0)) {
        files.push(OutputFile::Bytes { path: format!("assets/stem/{code}.js"), bytes: script.as_bytes().to_vec() });
    }
    facet_files(&docs, (&seps, &stemmed), ui, &mut files);
    files
}

/// Every document's terms, grouped by term (one map per worker thread, merged), and the body
/// length of each document in terms.
fn collect<'a>(docs: &[&'a LinkedDoc]) -> (RawPostings<'a>, Vec<u32>) {
    let avg_title = avg_title_len(docs);
    let (postings, lens): (RawPostings<'_>, Vec<(u32, u32)>) = docs
        .par_iter()
        .enumerate()
        .fold(
            || (RawPostings::default(), Vec::new()),
            |(mut map, mut lens), (i, d)| {
                let len = fold_doc(&mut map, i as u32, d, avg_title);
                lens.push((i as u32, len));
                (map, lens)
            },
        )
        .reduce(
            || (RawPostings::default(), Vec::new()),
            |(mut a, mut alens), (mut b, mut blens)| {
                if a.len() < b.len() {
                    std::mem::swap(&mut a, &mut b);
                }
                for (t, mut list) in b {
                    a.entry(t).or_default().append(&mut list);
                }
                alens.append(&mut blens);
                (a, alens)
            },
        );
    let mut doc_len = vec![0u32; docs.len()];
    for (i, len) in lens {
        doc_len[i as usize] = len;
    }
    (postings, doc_len)
}

/// Adds an entry `key~` for each stem key shared by several terms (or by one term that is not
/// the key itself), with the merged postings of all of them, and returns the stem keys of each
/// term that differ from the term (the hints search.js reads, so that it needs no stemmer for a
/// word the site has).
fn add_stems<'a>(postings: &mut RawPostings<'a>, langs: &[String], doc_lang: &[u8]) -> HashMap<String, Vec<String>> {
    let stemmers: Vec<Option<rust_stemmers::Stemmer>> = langs.iter().map(|l| stemmer(l).map(|s| s.1)).collect();
    let single = langs.len() == 1;
    // (term, language, stem key) for each language the term's documents are in.
    let keyed: Vec<(&str, u8, String)> = postings
        .par_iter()
        .flat_map_iter(|(t, list)| {
            let mut ls: Vec<u8> = if single { vec![0] } else { list.iter().map(|p| doc_lang[p.0 as usize]).collect() };
            ls.sort_unstable();
            ls.dedup();
            let stemmers = &stemmers;
            ls.into_iter().map(move |l| (t.as_ref(), l, stem_key(stemmers[l as usize].as_ref(), t)))
        })
        .collect();
    let mut groups: BTreeMap<&str, Vec<(&str, u8)>> = BTreeMap::new();
    let mut hints: HashMap<String, Vec<String>> = HashMap::default();
    for (t, l, key) in &keyed {
        groups.entry(key.as_str()).or_default().push((t, *l));
        if key != t {
            let h = hints.entry(t.to_string()).or_default();
            if !h.contains(key) {
                h.push(key.clone());
            }
        }
    }
    let merged: Vec<(String, Vec<Posting>)> = groups
        .into_par_iter()
        .filter(|(key, terms)| {
            let whole = single || postings[terms[0].0].iter().all(|p| doc_lang[p.0 as usize] == terms[0].1);
            !(terms.len() == 1 && terms[0].0 == *key && whole)
        })
        .map(|(key, terms)| {
            let mut list: Vec<Posting> = terms
                .iter()
                .flat_map(|&(t, l)| postings[t].iter().filter(move |p| single || doc_lang[p.0 as usize] == l).copied())
                .collect();
            list.sort_by_key(|p| p.0);
            list.dedup_by(|b, a| {
                let same = a.0 == b.0;
                if same {
                    a.1 += b.1;
                    a.2 = a.2.max(b.2);
                }
                same
            });
            (format!("{key}~"), list)
        })
        .collect();
    postings.extend(merged.into_iter().map(|(k, l)| (Cow::Owned(k), l)));
    hints
}

/// Scores every term's postings (BM25 for the body, plus the boosts, times IDF), keeps the best
/// `MAX_POSTINGS` in the shard and the rest apart (on a site of more than `TIERS_FROM_DOCS`
/// documents), both sorted by document.
fn score<'a>(postings: RawPostings<'a>, mut hints: HashMap<String, Vec<String>>, doc_len: &[u32]) -> Vec<Entry<'a>> {
    let n = doc_len.len();
    // Rounded, so that one edit does not change every score in `serve`.
    let avg = (doc_len.iter().map(|&l| l as f64).sum::<f64>() / n.max(1) as f64 / 50.0).round().max(1.0) * 50.0;
    let (k1, b) = (1.2f64, 0.75f64);
    let with_hints: Vec<(Cow<'a, str>, Vec<Posting>, Vec<String>)> = postings
        .into_iter()
        .map(|(t, l)| (hints.remove(t.as_ref()).unwrap_or_default(), t, l))
        .map(|(h, t, l)| (t, l, h))
        .collect();
    with_hints
        .into_par_iter()
        .map(|(term, list, hints)| {
            let dfv = list.len() as f64;
            let idf = (1.0 + (n as f64 - dfv + 0.5) / (dfv + 0.5)).ln();
            let mut scored: Vec<(u32, u16)> = list
                .into_iter()
                .map(|(i, tf, boost)| {
                    let norm = k1 * (1.0 - b + b * doc_len[i as usize] as f64 / avg);
                    let body = if tf > 0 { tf as f64 * (k1 + 1.0) / (tf as f64 + norm) } else { 0.0 };
                    (i, ((body + boost as f64) * idf * 10.0).round().clamp(1.0, u16::MAX as f64) as u16)
                })
                .collect();
            let mut overflow = None;
            if n > TIERS_FROM_DOCS && scored.len() > MAX_POSTINGS {
                scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                let rest = scored.split_off(MAX_POSTINGS);
                let threshold = scored.last().map_or(0, |p| p.1);
                overflow = Some((threshold, tiers(rest)));
            }
            scored.sort_by_key(|p| p.0);
            Entry { term, hints, kept: encode_postings(&scored), overflow }
        })
        .collect()
}

/// The digits of `encode_postings`: values 0–31 end a number, 32–63 continue it.
const DIGITS: &[u8; 64] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_";

/// Postings `(document, score)`, sorted by document, as one string: for each posting the gap to
/// the previous document (the first from 0), then the score, each a number in base 32 written
/// most significant digit first, every digit but the last from the upper half of `DIGITS`.
/// About 2.5 characters a posting where `doc,score,` took 6–8 (ADR-0027); search.js `decode`
/// and the MCP engine read it back.
pub fn encode_postings(list: &[(u32, u16)]) -> String {
    let mut out = Vec::with_capacity(list.len() * 3);
    let mut prev = 0;
    for &(d, s) in list {
        push_number(&mut out, d - prev);
        push_number(&mut out, u32::from(s));
        prev = d;
    }
    String::from_utf8(out).unwrap_or_default()
}

fn push_number(out: &mut Vec<u8>, v: u32) {
    let mut shift = 30;
    while shift > 0 && v >> shift == 0 {
        shift -= 5;
    }
    while shift > 0 {
        out.push(DIGITS[32 + ((v >> shift) & 31) as usize]);
        shift -= 5;
    }
    out.push(DIGITS[(v & 31) as usize]);
}

/// `encode_postings` read back: `(document, score)` pairs, or None for a malformed string.
pub fn decode_postings(s: &str) -> Option<Vec<(u64, u64)>> {
    let mut out = Vec::with_capacity(s.len() / 2);
    let (mut v, mut doc, mut pending) = (0u64, 0u64, None);
    for b in s.bytes() {
        let d = DIGITS.iter().position(|&x| x == b)? as u64;
        v = v.checked_mul(32)? + (d & 31);
        if d < 32 {
            match pending.take() {
                None => {
                    doc += v;
                    pending = Some(doc);
                }
                Some(doc) => out.push((doc, v)),
            }
            v = 0;
        }
    }
    pending.is_none().then_some(out)
}

/// The postings past the best `MAX_POSTINGS` (best first) as tiers (written per shard by
/// `tier_files`) of `MAX_POSTINGS · 2^(k-1)` postings each: `[-threshold, "postings"]`
/// (`encode_postings`), the threshold (the lowest score of the tier) present when another tier
/// follows. search.js loads tier after tier only while a document past the threshold could
/// still reach the first page.
fn tiers(mut rest: Vec<(u32, u16)>) -> Vec<String> {
    use std::fmt::Write;
    let mut out = Vec::new();
    let mut size = MAX_POSTINGS;
    while !rest.is_empty() {
        let after = rest.split_off(size.min(rest.len()));
        let mut tier = rest;
        let mut json = String::from("[");
        if !after.is_empty() {
            let _ = write!(json, "-{},", tier.last().map_or(0, |p| p.1));
        }
        tier.sort_by_key(|p| p.0);
        let _ = write!(json, "\"{}\"]", encode_postings(&tier));
        out.push(json);
        rest = after;
        size *= 2;
    }
    out
}

/// The overflow tiers of a shard's terms, at most two files per shard: `o/<shard>.1.json` holds
/// the first tier of every term of the shard that has one, `{"term": [-threshold, "postings"]}`,
/// and `o/<shard>.2.json` all further tiers, `{"term": [[tier 2], [tier 3], …]}` (needed only
/// when the first did not fill a page; one file instead of one per tier keeps the files per
/// document down).
fn tier_files(lists: &[Entry<'_>], shards: &[(String, Vec<usize>)]) -> Vec<OutputFile> {
    shards
        .par_iter()
        .enumerate()
        .flat_map_iter(|(key, (_, terms))| {
            let (mut first, mut rest) = (String::from("{"), String::from("{"));
            for &i in terms {
                let e = &lists[i];
                let Some((_, t)) = &e.overflow else { continue };
                let term = serde_json::to_string(e.term.as_ref()).unwrap_or_default();
                if let Some((one, more)) = t.split_first() {
                    push_member(&mut first, &term, one);
                    if !more.is_empty() {
                        push_member(&mut rest, &term, &format!("[{}]", more.join(",")));
                    }
                }
            }
            [first, rest].into_iter().enumerate().filter(|(_, json)| json.len() > 1).map(move |(k, mut json)| {
                json.push('}');
                OutputFile::Bytes { path: format!("search/o/{key}.{}.json", k + 1), bytes: json.into_bytes() }
            })
        })
        .collect()
}

/// Appends `"term":value` to a JSON object being written.
fn push_member(out: &mut String, term: &str, value: &str) {
    if out.len() > 1 {
        out.push(',');
    }
    out.push_str(term);
    out.push(':');
    out.push_str(value);
}

/// A shard file: `{"term": ["hint", …, -threshold, "postings"], …}`, terms in order.
fn shard_json<'e, 'a: 'e>(entries: impl Iterator<Item = &'e Entry<'a>>) -> Vec<u8> {
    use std::fmt::Write;
    let mut out = String::from("{");
    for e in entries {
        if out.len() > 1 {
            out.push(',');
        }
        out.push_str(&serde_json::to_string(e.term.as_ref()).unwrap_or_default());
        out.push_str(":[");
        let mut first = true;
        let mut sep = |out: &mut String| {
            if !std::mem::take(&mut first) {
                out.push(',');
            }
        };
        for h in &e.hints {
            sep(&mut out);
            out.push_str(&serde_json::to_string(h).unwrap_or_default());
        }
        if let Some((threshold, _)) = &e.overflow {
            sep(&mut out);
            let _ = write!(out, "-{threshold}");
        }
        sep(&mut out);
        out.push('"');
        out.push_str(&e.kept);
        out.push_str("\"]");
    }
    out.push('}');
    out.into_bytes()
}

/// The stem keys of a title's words, space-separated, in the document's language: what
/// search.js compares with a query's keys to find a title the query's words cover entirely
/// (`privates field` covers "Private fields": keys `privat field`).
pub fn title_keys(title: &str, language: &str) -> String {
    let stemmer = stemmer(language).map(|s| s.1);
    let keys: Vec<String> = tokens(title).map(|t| stem_key(stemmer.as_ref(), &t)).collect();
    keys.join(" ")
}

/// Document metadata in chunks (with the title's stem keys, see `title_keys`), and excerpts
/// for phrases.
fn doc_files(docs: &[&LinkedDoc], language: &str, ui: Ui<'_>, files: &mut Vec<OutputFile>) {
    for (c, chunk) in docs.chunks(CHUNK).enumerate() {
        let rows: Vec<Value> = chunk
            .iter()
            .map(|d| {
                let id = if d.id != d.doc.path_id { d.id.as_str() } else { "" };
                // The status as the site's language shows it; "" where that is the status's
                // name, which search.js takes from meta.json's `ui`.
                let label = ui.status_label(d.doc.status_raw.as_deref(), d.doc.status);
                let label = if label == ui.status(d.doc.status) { "" } else { label.as_ref() };
                json!([
                    d.doc.title,
                    crate::render::url::encode_path(&d.url),
                    id,
                    d.doc.kind.as_str(),
                    d.doc.status.as_str(),
                    label,
                    d.doc.date.as_deref().unwrap_or(""),
                    title_keys(&d.doc.title, doc_language(d, language))
                ])
            })
            .collect();
        files.push(OutputFile::Bytes {
            path: format!("search/d/{c}.json"),
            bytes: serde_json::to_vec(&rows).unwrap_or_default(),
        });
    }
    files.par_extend(docs.par_chunks(EXCERPT_CHUNK).enumerate().map(|(c, chunk)| {
        let texts: Vec<String> = chunk.iter().map(|d| excerpt(&d.doc.text)).collect();
        OutputFile::Bytes { path: format!("search/x/{c}.json"), bytes: serde_json::to_vec(&texts).unwrap_or_default() }
    }));
}

/// Facets for filters, and meta.json with the vocabularies, the split shards, the languages
/// that have a stemmer and the search client's interface text in the site's language (`ui`).
fn facet_files(docs: &[&LinkedDoc], (seps, stemmed): (&[&str], &[&str]), ui: Ui<'_>, files: &mut Vec<OutputFile>) {
    let n = docs.len();
    let kinds: BTreeSet<&str> = docs.iter().map(|d| d.doc.kind.as_str()).collect();
    let statuses: BTreeSet<&str> = docs.iter().map(|d| d.doc.status.as_str()).collect();
    let tags: BTreeSet<&str> = docs.iter().flat_map(|d| d.doc.tags.iter().map(String::as_str)).collect();
    let (kinds, statuses, tags): (Vec<&str>, Vec<&str>, Vec<&str>) =
        (kinds.into_iter().collect(), statuses.into_iter().collect(), tags.into_iter().collect());
    let pos = |v: &[&str], x: &str| v.iter().position(|y| *y == x).unwrap_or(0);
    let facets: Vec<Value> = docs
        .iter()
        .map(|d| {
            let t: Vec<usize> = d.doc.tags.iter().map(|x| pos(&tags, x)).collect();
            json!([pos(&kinds, d.doc.kind.as_str()), pos(&statuses, d.doc.status.as_str()), t])
        })
        .collect();
    files.push(OutputFile::Bytes {
        path: "search/f.json".into(),
        bytes: serde_json::to_vec(&facets).unwrap_or_default(),
    });
    let meta = json!({"version": 3, "docs": n, "chunk": CHUNK, "excerpts": EXCERPT_CHUNK, "shards": seps, "kinds": kinds, "statuses": statuses, "tags": tags, "stemmers": stemmed, "ui": ui.search_client()});
    files.push(OutputFile::Bytes {
        path: "search/meta.json".into(),
        bytes: serde_json::to_vec(&meta).unwrap_or_default(),
    });
}

/// The first `EXCERPT` characters of a text, whitespace collapsed.
fn excerpt(text: &str) -> String {
    let mut out = String::with_capacity(EXCERPT + 64);
    for w in text.split_whitespace() {
        if out.len() >= EXCERPT {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    let cut = out.char_indices().nth(EXCERPT).map_or(out.len(), |(p, _)| p);
    out.truncate(cut);
    out
}

/// The estimated bytes of an entry in its shard file.
fn entry_size(e: &Entry<'_>) -> usize {
    e.term.len() + 10 + e.kept.len() + e.hints.iter().map(|h| h.len() + 3).sum::<usize>()
}

/// The size past which a shard is split: `SHARD_BYTES`, or more where that would write more
/// than one shard per `DOCS_PER_SHARD` documents (`DOCS_PER_TIERED_SHARD` with tiers).
fn shard_cap(lists: &[Entry<'_>], docs: usize) -> usize {
    let total: usize = lists.iter().map(entry_size).sum();
    let per = if docs > TIERS_FROM_DOCS { DOCS_PER_TIERED_SHARD } else { DOCS_PER_SHARD };
    SHARD_BYTES.max(total / (docs / per).max(1))
}

/// Cuts the entries, sorted by term, into shards of neighbouring terms of at most `cap` bytes
/// (estimated; one entry larger than that is a shard of its own). Returns each shard's entries
/// (indexes into `lists`) and its separator: the shortest start of its first term that sorts
/// after the previous shard's last term, so that a term belongs to the last shard whose
/// separator is not after it (the first shard's separator is "").
fn split_shards(lists: &[Entry<'_>], cap: usize) -> Vec<(String, Vec<usize>)> {
    let mut shards: Vec<(String, Vec<usize>)> = Vec::new();
    let mut bytes = 0;
    for (i, e) in lists.iter().enumerate() {
        let size = entry_size(e);
        match shards.last_mut() {
            Some((_, terms)) if bytes + size <= cap => terms.push(i),
            last => {
                let sep = match last {
                    Some((_, terms)) => separator(&lists[terms[terms.len() - 1]].term, &e.term),
                    None => String::new(),
                };
                shards.push((sep, vec![i]));
                bytes = 0;
            }
        }
        bytes += size;
    }
    shards
}

/// The shortest start of `next` (whole characters) that sorts after `prev` (`prev` < `next`).
fn separator(prev: &str, next: &str) -> String {
    let mut end = 0;
    for c in next.chars() {
        end += c.len_utf8();
        if &next[..end] > prev {
            break;
        }
    }
    next[..end].to_string()
}

/// The shard of `term`: the last whose separator (`seps`, sorted) is not after it.
pub fn shard_of(term: &str, seps: &[impl AsRef<str>]) -> usize {
    seps.partition_point(|s| s.as_ref() <= term).saturating_sub(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_keys() {
        let t: Vec<String> = tokens("The Search-Index of ADR-0012, Über café!").map(Cow::into_owned).collect();
        assert_eq!(t, ["search", "index", "adr", "0012", "über", "café"]);
        let seps = ["", "m", "sea", "seb"];
        assert_eq!(shard_of("apple", &seps), 0);
        assert_eq!(shard_of("m", &seps), 1);
        assert_eq!(shard_of("search", &seps), 2);
        assert_eq!(shard_of("seb", &seps), 3);
        assert_eq!(shard_of("zz", &seps), 3);
        assert_eq!(separator("sea", "search"), "sear");
        assert_eq!(separator("scope", "search"), "se");
        assert_eq!(separator("über", "übung"), "übu");
        assert_eq!(id_term("ADR-0012").as_deref(), Some("adr12"));
        assert_eq!(id_term("docs/design/x"), None);
    }

    #[test]
    fn postings_pack_into_few_characters_and_read_back() {
        // Gaps under 32 and scores under 32 are one character each; larger ones take more.
        assert_eq!(encode_postings(&[(3, 9), (4, 10)]), "391A");
        assert_eq!(encode_postings(&[(32, 1)]), "X01");
        let list: Vec<(u32, u16)> = vec![(0, 1), (5, 31), (37, 32), (1_000, 65_535), (4_000_000_000, 7)];
        let back = decode_postings(&encode_postings(&list)).unwrap();
        assert_eq!(back, list.iter().map(|&(d, s)| (d as u64, s as u64)).collect::<Vec<_>>());
        assert!(encode_postings(&list).bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        // A string cut in the middle of a posting, or with a foreign character, is no list.
        assert_eq!(decode_postings("3"), None);
        assert_eq!(decode_postings("3,9"), None);
        assert_eq!(decode_postings(""), Some(vec![]));
    }

    fn toks(text: &str) -> Vec<String> {
        tokens(text).map(Cow::into_owned).collect()
    }

    #[test]
    fn unspaced_runs_become_bigrams() {
        assert_eq!(toks("回归测试。"), ["回归", "归测", "测试"]);
        assert_eq!(
            toks("リーダー・カウンシル"),
            ["リー", "ーダ", "ダー", "カウ", "ウン", "ンシ", "シル"],
            "・ separates"
        );
        assert_eq!(toks("API設計とテスト"), ["api", "設計", "計と", "とテ", "テス", "スト"]);
        assert_eq!(toks("의 검색"), ["의", "검색"]);
        // Thai vowel signs are marks inside the word, not separators.
        assert_eq!(toks("ภาษาไทย"), ["ภา", "าษ", "ษา", "าไ", "ไท", "ทย"]);
        assert_eq!(toks("Straße VERTRÄGE"), ["straße", "verträge"]);
        let long = "x".repeat(41);
        assert!(toks(&long).is_empty() && toks(&"é".repeat(40)).len() == 1);
    }

    #[test]
    fn stems_of_several_forms_share_an_entry() {
        let (mut map, langs) = (RawPostings::default(), ["en".to_string()]);
        map.insert(Cow::Borrowed("fields"), vec![(0, 2, 0.0)]);
        map.insert(Cow::Borrowed("field"), vec![(0, 1, 0.0), (1, 1, 6.0)]);
        map.insert(Cow::Borrowed("capture"), vec![(2, 1, 0.0)]);
        map.insert(Cow::Borrowed("table"), vec![(3, 1, 0.0)]);
        let hints = add_stems(&mut map, &langs, &[0, 0, 0, 0]);
        assert_eq!(map["field~"], [(0, 3, 0.0), (1, 1, 6.0)], "term frequencies add up, boosts keep the best");
        assert_eq!(map["captur~"], [(2, 1, 0.0)], "one form unlike its stem still gets the entry");
        assert!(!map.contains_key("table~"), "a word that is its own only form needs none");
        assert_eq!(hints["fields"], ["field"]);
        assert!(!hints.contains_key("field"));
    }
}
