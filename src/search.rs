//! The search index, built from the parse stage's plain text (never from rendered HTML) and
//! split so that a browser loads only what a query needs:
//!
//! - `search/t/<key>.json`: postings of the terms whose first three characters are `key`,
//!   `{"term": [doc, score, doc, score, …]}` (documents by number, scores quantised);
//! - `search/d/<n>.json`: title, URL, ID, kind, status and date of documents `16n … 16n+15`;
//! - `search/x/<n>.json`: the first part of the text of documents `4n … 4n+3`, for snippets;
//! - `search/f.json`: kind, status and tags of every document, loaded only to filter;
//! - `search/meta.json`: counts and the filter vocabularies.
//!
//! Scores are BM25 for the body plus boosts for title, ID, headings and tags, times the term's
//! IDF, so title and ID matches rank above body matches.

use crate::link::split_id;
use crate::model::{LinkedDoc, Site};
use crate::render::view::status_label;
use crate::write::OutputFile;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;
use serde_json::{Value, json};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

/// Documents per metadata chunk.
pub const CHUNK: usize = 16;
/// Postings kept per term (the best-scoring ones).
pub const MAX_POSTINGS: usize = 400;
/// Characters of text kept per document for snippets.
pub const EXCERPT: usize = 800;
/// Documents per excerpt chunk.
pub const EXCERPT_CHUNK: usize = 4;
/// Characters of a term that choose its shard.
pub const SHARD_CHARS: usize = 2;

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

/// Lower-case words of `text`: runs of letters and digits, stop words dropped. Words that are
/// already lower-case are borrowed, not copied.
pub fn tokens(text: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    Words { text, pos: 0 }
        .filter(|(w, _)| w.len() <= 40)
        .map(|(w, upper)| if upper { Cow::Owned(w.to_lowercase()) } else { Cow::Borrowed(w) })
        .filter(|w| !is_stop_word(w))
}

/// Runs of alphanumeric characters, each with whether it has an upper-case letter, found in one
/// pass. ASCII bytes, most of any text, are classified by a table without decoding a `char`.
struct Words<'a> {
    text: &'a str,
    pos: usize,
}

/// Byte classes: ASCII letters and digits, ASCII upper-case letters, and bytes of non-ASCII
/// characters (decoded to classify).
const ALNUM: u8 = 1;
const UPPER: u8 = 2;
const WIDE: u8 = 4;
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
        let class = match (c.is_alphanumeric(), c.is_uppercase()) {
            (true, true) => ALNUM | UPPER,
            (true, false) => ALNUM,
            _ => 0,
        };
        (class, c.len_utf8())
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = (&'a str, bool);

    fn next(&mut self) -> Option<(&'a str, bool)> {
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
        Some((&self.text[start..i], upper & UPPER != 0))
    }
}

/// The term an ID is indexed under: `ADR-0012` → `adr12` (so `adr 12`, `ADR-12` find it).
pub fn id_term(id: &str) -> Option<String> {
    let (prefix, n) = split_id(id)?;
    Some(format!("{}{n}", prefix.to_lowercase()))
}

/// Shards larger than this are split by one more character.
pub const SHARD_BYTES: usize = 24 * 1024;

/// The shard of a term: its first `SHARD_CHARS` characters, or more where that prefix was
/// split (`splits`), never more than the whole term.
pub fn shard_of<'t>(term: &'t str, splits: &BTreeSet<String>) -> &'t str {
    let mut end = term.char_indices().nth(SHARD_CHARS).map_or(term.len(), |(i, _)| i);
    while end < term.len() && splits.contains(&term[..end]) {
        end = term[end..].chars().next().map_or(term.len(), |c| end + c.len_utf8());
    }
    &term[..end]
}

/// The file name of a shard: its prefix, file-name safe.
pub fn shard_key(prefix: &str) -> String {
    let mut key = String::new();
    for c in prefix.chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            key.push(c);
        } else {
            key.push_str(&format!("_{:x}", c as u32));
        }
    }
    key
}

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

/// Folds one document's terms into `map`: body term frequencies, and boosts from the title,
/// headings, tags and ID. Returns the body length in terms.
fn fold_doc<'a>(map: &mut RawPostings<'a>, i: u32, d: &'a LinkedDoc) -> u32 {
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
    boost(&d.doc.title, 6.0);
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
type RawPostings<'a> = HashMap<Cow<'a, str>, Vec<(u32, u32, f32)>>;

/// The files of the search index for the site.
pub fn index(site: &Site) -> Vec<OutputFile> {
    let docs: Vec<&LinkedDoc> = site.docs.iter().filter(|d| !d.doc.is_template).collect();
    let n = docs.len();
    // Group by term as each document's terms are found: one map per worker thread, merged. A
    // document's own term map lives only while it is folded in.
    let (postings, lens): (RawPostings<'_>, Vec<(u32, u32)>) = docs
        .par_iter()
        .enumerate()
        .fold(
            || (RawPostings::default(), Vec::new()),
            |(mut map, mut lens), (i, d)| {
                let len = fold_doc(&mut map, i as u32, d);
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
    let mut doc_len = vec![0u32; n];
    for (i, len) in lens {
        doc_len[i as usize] = len;
    }
    // Rounded, so that one edit does not change every score in `serve`.
    let avg = (doc_len.iter().map(|&l| l as f64).sum::<f64>() / n.max(1) as f64 / 50.0).round().max(1.0) * 50.0;
    // Score (BM25 for the body, plus the boosts, times IDF), keep the best, sort by document.
    let (k1, b) = (1.2f64, 0.75f64);
    let mut lists: Vec<(Cow<'_, str>, Vec<u32>)> = postings
        .into_par_iter()
        .map(|(term, list)| {
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
            if scored.len() > MAX_POSTINGS {
                scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                scored.truncate(MAX_POSTINGS);
            }
            scored.sort_by_key(|p| p.0);
            (term, scored.iter().flat_map(|&(d, s)| [d, s as u32]).collect())
        })
        .collect();
    lists.sort_by(|a, b| a.0.cmp(&b.0));
    let (shards, splits) = split_shards(&lists);
    let mut files: Vec<OutputFile> = shards
        .into_par_iter()
        .map(|(prefix, terms)| {
            let map: BTreeMap<&str, &Vec<u32>> = terms.iter().map(|&i| (lists[i].0.as_ref(), &lists[i].1)).collect();
            OutputFile::Bytes {
                path: format!("search/t/{}.json", shard_key(&prefix)),
                bytes: serde_json::to_vec(&map).unwrap_or_default(),
            }
        })
        .collect();

    // Document metadata, in chunks.
    for (c, chunk) in docs.chunks(CHUNK).enumerate() {
        let rows: Vec<Value> = chunk
            .iter()
            .map(|d| {
                let id = if d.id != d.doc.path_id { d.id.as_str() } else { "" };
                json!([
                    d.doc.title,
                    d.url,
                    id,
                    d.doc.kind.as_str(),
                    d.doc.status.as_str(),
                    status_label(d),
                    d.doc.date.as_deref().unwrap_or("")
                ])
            })
            .collect();
        files.push(OutputFile::Bytes {
            path: format!("search/d/{c}.json"),
            bytes: serde_json::to_vec(&rows).unwrap_or_default(),
        });
    }
    // Excerpts for snippets.
    files.par_extend(docs.par_chunks(EXCERPT_CHUNK).enumerate().map(|(c, chunk)| {
        let texts: Vec<String> = chunk.iter().map(|d| excerpt(&d.doc.text)).collect();
        OutputFile::Bytes { path: format!("search/x/{c}.json"), bytes: serde_json::to_vec(&texts).unwrap_or_default() }
    }));
    // Facets for filters, and the vocabularies.
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
    let meta = json!({"version": 1, "docs": n, "chunk": CHUNK, "excerpts": EXCERPT_CHUNK, "shard": SHARD_CHARS, "splits": splits, "kinds": kinds, "statuses": statuses, "tags": tags});
    files.push(OutputFile::Bytes {
        path: "search/meta.json".into(),
        bytes: serde_json::to_vec(&meta).unwrap_or_default(),
    });
    files
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

/// Groups sorted `(term, postings)` into shards by prefix, splitting any prefix whose shard
/// would exceed `SHARD_BYTES` (estimated) by one more character. Returns the shards (prefix →
/// indexes into `lists`) and the split prefixes.
fn split_shards(lists: &[(Cow<'_, str>, Vec<u32>)]) -> (Vec<(String, Vec<usize>)>, BTreeSet<String>) {
    let size = |i: usize| lists[i].0.len() + 6 + lists[i].1.len() * 5;
    let mut splits: BTreeSet<String> = BTreeSet::new();
    loop {
        // `lists` is sorted by term, so the terms of a shard are neighbours and the shards come
        // out sorted by prefix: one pass, one string per shard.
        let mut shards: Vec<(String, Vec<usize>)> = Vec::new();
        for (i, (term, _)) in lists.iter().enumerate() {
            let prefix = shard_of(term, &splits);
            match shards.last_mut() {
                Some((p, terms)) if p == prefix => terms.push(i),
                _ => shards.push((prefix.to_string(), vec![i])),
            }
        }
        let mut grew = false;
        for (prefix, terms) in &shards {
            let bytes: usize = terms.iter().map(|&i| size(i)).sum();
            // Split only if some term is longer than the prefix (else there is nothing to split by).
            if bytes > SHARD_BYTES
                && terms.iter().any(|&i| lists[i].0.len() > prefix.len())
                && splits.insert(prefix.clone())
            {
                grew = true;
            }
        }
        if !grew {
            debug_assert!(shards.windows(2).all(|w| w[0].0 < w[1].0), "shards are contiguous and sorted");
            return (shards, splits);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_keys() {
        let t: Vec<String> = tokens("The Search-Index of ADR-0012, Über café!").map(Cow::into_owned).collect();
        assert_eq!(t, ["search", "index", "adr", "0012", "über", "café"]);
        let none = BTreeSet::new();
        assert_eq!(shard_of("search", &none), "se");
        assert_eq!(shard_of("a", &none), "a");
        let splits: BTreeSet<String> = ["se".to_string(), "sea".to_string(), "sear".to_string()].into();
        assert_eq!(shard_of("search", &splits), "searc");
        assert_eq!(shard_of("seat", &splits), "seat");
        assert_eq!(shard_of("sea", &splits), "sea");
        assert_eq!(shard_key("über"), "_fcber");
        assert_eq!(id_term("ADR-0012").as_deref(), Some("adr12"));
        assert_eq!(id_term("docs/design/x"), None);
    }
}
