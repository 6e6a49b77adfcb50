//! The site's search engine in Rust: `dossierSearchEngine` of the theme's `search.js`
//! (themes/default/static/search.js), ported function by function over the same index files
//! that `search::index` makes for the site (held in memory, parsed when a query needs them), so
//! that `dossier mcp` ranks a query as the search page does: words and prefixes, stem keys,
//! typo matches, "quoted phrases", -excluded words, documents matching every word first
//! (OR-then-AND), posting tiers and ID jumps. Each function names the JavaScript function it
//! mirrors; `tests/mcp.rs` runs both over query sets (the JavaScript in node) and compares
//! their answers, so a change to search.js that is not made here fails that test.
//!
//! JavaScript strings are UTF-16: where search.js counts or compares code units (`length`,
//! `distance`), this does too.

use crate::write::OutputFile;
use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::Value;
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

/// search.js `STOP`: the stop words a query drops (the index leaves them out too).
const STOP: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "if", "in", "into", "is",
    "it", "its", "of", "on", "or", "that", "the", "their", "then", "there", "these", "this", "to", "was", "we", "were",
    "will", "with",
];

/// The score added for matching every word, and for an ID typed in full (search.js `combine`),
/// and for having every quoted phrase (search.js `phrased`).
const ALL_WORDS: f64 = 1e6;
const ID_HIT: f64 = 1e7;
/// search.js `TYPED_WORDS`: a document with every word as typed, over one with some only in
/// another form (see `combine`).
const TYPED_WORDS: f64 = 3e5;
const PHRASE: f64 = 2e6;

/// search.js `UNSPACED`: scripts written without spaces (Han, kana, Hangul, Thai, Lao, Khmer,
/// Myanmar), whose runs become bigrams.
fn unspaced(c: char) -> bool {
    matches!(c as u32,
        0x0E00..=0x0EFF | 0x1000..=0x109F | 0x1100..=0x11FF | 0x1780..=0x17FF | 0x3040..=0x30FF
        | 0x3130..=0x318F | 0x31F0..=0x31FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF
        | 0xF900..=0xFAFF | 0xFF66..=0xFF9F | 0x20000..=0x2FA1F)
}

/// A character of `[\p{L}\p{N}\p{M}]` (search.js `tokens`' word characters). Rust's
/// alphabetic also holds the circled and squared Latin letters (symbols with Other_Alphabetic),
/// which `\p{L}` does not.
fn word_char(c: char) -> bool {
    let symbol_letter = matches!(c as u32, 0x24B6..=0x24E9 | 0x1F130..=0x1F149 | 0x1F150..=0x1F169 | 0x1F170..=0x1F189);
    (c.is_alphanumeric() && !symbol_letter) || unicode_normalization::char::is_combining_mark(c)
}

/// JavaScript's `\s`: the ECMAScript white space and line terminators.
fn js_space(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}' | '\u{2028}' | '\u{2029}' | '\u{202f}' | '\u{205f}' | '\u{3000}' | '\u{feff}'
    )
}

/// Length in UTF-16 code units (JavaScript's `length`).
fn js_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// search.js `fold`: a word with its diacritics removed.
fn fold(w: &str) -> String {
    crate::search::stem_key(None, w)
}

/// search.js `tokens`: the words of a text as the index has them (lower-case, stop words
/// dropped, runs of unspaced scripts as overlapping bigrams).
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for w in text.split(|c: char| !word_char(c)) {
        let chars: Vec<char> = w.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let u = unspaced(chars[i]);
            let mut j = i;
            while j < chars.len() && unspaced(chars[j]) == u {
                j += 1;
            }
            let part = &chars[i..j];
            let x: String = part.iter().collect::<String>().to_lowercase();
            if !u {
                if part.len() <= 40 && !STOP.contains(&x.as_str()) {
                    out.push(x);
                }
            } else if part.len() == 1 {
                out.push(x);
            } else {
                out.extend(part.windows(2).map(|p| p.iter().collect::<String>()));
            }
            i = j;
        }
    }
    out
}

/// A query, as search.js `parse` reads it.
#[derive(Debug, Default, PartialEq)]
pub struct Parsed {
    pub words: Vec<String>,
    pub phrases: Vec<Vec<String>>,
    pub exclude: Vec<String>,
    /// The last word may be a prefix (no space or quote after it).
    pub open: bool,
}

/// search.js `parse`: words to find, "quoted phrases" (their words in order), -excluded words.
pub fn parse(q: &str) -> Parsed {
    let mut texts = Vec::new();
    let rest = replace_phrases(q, &mut texts);
    let mut p =
        Parsed { phrases: texts.iter().map(|t| tokens(t)).filter(|w| !w.is_empty()).collect(), ..Parsed::default() };
    let rest = drop_excluded(&rest, &mut p.exclude);
    p.words = tokens(&rest);
    p.open = !q.chars().last().is_some_and(|c| js_space(c) || c == '"');
    p
}

/// `q.replace(/"([^"]*)"?/g, …)`: each quoted part (to the next quote, or the end) replaced by
/// itself between spaces; the phrases' texts in `found`.
fn replace_phrases(q: &str, found: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(q.len() + 8);
    let mut rest = q;
    while let Some(open) = rest.find('"') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let (inside, next) = match after.find('"') {
            Some(close) => (&after[..close], &after[close + 1..]),
            None => (after, ""),
        };
        found.push(inside.to_string());
        out.push(' ');
        out.push_str(inside);
        out.push(' ');
        rest = next;
    }
    out.push_str(rest);
    out
}

/// `rest.replace(/(^|\s)-(\S+)/g, s)`: each word that starts with `-` dropped (the space before
/// it kept), its tokens added to `exclude`.
fn drop_excluded(rest: &str, exclude: &mut Vec<String>) -> String {
    let chars: Vec<char> = rest.chars().collect();
    let mut out = String::with_capacity(rest.len());
    let mut i = 0;
    while i < chars.len() {
        // `^` is tried first at the start, then `\s`, each followed by `-` and a non-space.
        let lead = if i == 0 && chars[0] == '-' { Some(0) } else { None };
        let lead = lead.filter(|_| chars.get(1).is_some_and(|&c| !js_space(c))).or_else(|| {
            (js_space(chars[i]) && chars.get(i + 1) == Some(&'-') && chars.get(i + 2).is_some_and(|&c| !js_space(c)))
                .then_some(1)
        });
        let Some(lead) = lead else {
            out.push(chars[i]);
            i += 1;
            continue;
        };
        if lead == 1 {
            out.push(chars[i]);
        }
        let start = i + lead + 1;
        let mut end = start;
        while end < chars.len() && !js_space(chars[end]) {
            end += 1;
        }
        exclude.extend(tokens(&chars[start..end].iter().collect::<String>()));
        i = end;
    }
    out
}

/// search.js `idTerm`: `ADR-0012`, `adr 12` → `adr12`, for a query that is only an ID.
pub fn id_term(q: &str) -> Option<String> {
    let t = q.trim_matches(js_space);
    let letters = t.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(t.len());
    if letters == 0 {
        return None;
    }
    let rest = t[letters..].trim_start_matches(|c: char| js_space(c) || c == '_' || c == '-');
    if rest.is_empty() || !rest.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    // `0*([0-9]+)`: the zeros go, but one digit stays.
    let digits = rest.trim_start_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    Some(format!("{}{digits}", t[..letters].to_ascii_lowercase()))
}

/// search.js `distance`: the optimal string alignment distance of `a` and `b` (UTF-16 code
/// units), or `max + 1` once it must exceed `max`.
fn distance(a: &[u16], b: &[u16], max: usize) -> usize {
    if a.len().abs_diff(b.len()) > max {
        return max + 1;
    }
    let mut prev2: Vec<usize> = Vec::new();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        let mut low = i;
        for j in 1..=b.len() {
            let mut c = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + usize::from(a[i - 1] != b[j - 1]));
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                c = c.min(prev2[j - 2] + 1);
            }
            cur[j] = c;
            low = low.min(c);
        }
        if low > max {
            return max + 1;
        }
        prev2 = std::mem::replace(&mut prev, cur);
    }
    prev[b.len()]
}

/// What a query may be narrowed to (search.js `filters`): the exact names the index's
/// vocabularies hold.
#[derive(Clone, Debug, Default)]
pub struct Filters {
    pub kind: Option<String>,
    pub status: Option<String>,
    pub tag: Option<String>,
}

/// search.js's `meta.json`, with the defaults `metaPromise` gives a missing one.
struct Meta {
    chunk: usize,
    excerpts: usize,
    /// Each shard's separator, in order: the first term of shard `k` (search.rs `shard_of`).
    shards: Vec<String>,
    stemmers: Vec<String>,
    kinds: Vec<Value>,
    statuses: Vec<Value>,
    tags: Vec<Value>,
}

/// A shard or other JSON object with its keys in the order JavaScript enumerates them:
/// array-index keys (`12`, not `012`) first by value, then the rest as written.
#[derive(Default)]
struct Object(Vec<(String, Value)>);

impl<'de> Deserialize<'de> for Object {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Object, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Object;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Object, A::Error> {
                let mut v: Vec<(String, Value)> = Vec::new();
                while let Some((k, x)) = map.next_entry::<String, Value>()? {
                    match v.iter_mut().find(|e| e.0 == k) {
                        Some(e) => e.1 = x,
                        None => v.push((k, x)),
                    }
                }
                let index = |k: &str| k.parse::<u32>().ok().filter(|n| n.to_string() == k && *n < u32::MAX);
                v.sort_by_key(|e| index(&e.0).map_or((1, 0), |n| (0, n)));
                Ok(Object(v))
            }
        }
        d.deserialize_map(V)
    }
}

/// A shard: term → entry, in JavaScript's key order.
struct Shard {
    terms: Object,
    /// Term → its place in `terms`.
    at: HashMap<String, usize>,
}

impl Shard {
    fn get(&self, term: &str) -> Option<&Value> {
        self.at.get(term).map(|&i| &self.terms.0[i].1)
    }
}

/// search.js `entry`: a shard's entry `["stem key", …, -threshold, "postings"]` read, the
/// postings decoded (`search::decode_postings`).
struct Entry {
    hints: Vec<String>,
    thr: f64,
    list: Vec<(u64, u64)>,
    tier: usize,
}

fn entry(list: &[Value]) -> Entry {
    let mut i = 0;
    let mut hints = Vec::new();
    while i + 1 < list.len()
        && let Some(Value::String(s)) = list.get(i)
    {
        hints.push(s.clone());
        i += 1;
    }
    let mut thr = 0.0;
    if let Some(x) = list.get(i).and_then(Value::as_f64).filter(|x| *x < 0.0) {
        thr = -x;
        i += 1;
    }
    let list = list.get(i).and_then(Value::as_str).and_then(crate::search::decode_postings).unwrap_or_default();
    Entry { hints, thr, list, tier: 0 }
}

/// A posting list cut at a threshold: where the rest is (search.js `addEntry`'s `cut`).
#[derive(Clone)]
struct Cut {
    term: String,
    bonus: f64,
    tier: usize,
}

/// search.js `postings`' `hits`: the best score per document, the lists cut at a threshold,
/// the terms a typo or a prefix matched (`near`) and the word's stem keys with the word and its
/// folded form (`keys`), for `titleMatch`.
#[derive(Default)]
struct Hits {
    docs: BTreeMap<u64, f64>,
    cut: Vec<Cut>,
    near: Vec<String>,
    keys: Vec<String>,
    /// The documents of the word's own entry (bonus 1): the word as typed.
    typed: BTreeSet<u64>,
}

/// search.js `addEntry`: adds an entry's postings times `bonus` (the best score per document),
/// and notes where its overflow is when the entry was cut.
fn add_entry(hits: &mut Hits, e: &Entry, bonus: f64, term: &str) {
    for &(doc, score) in &e.list {
        if bonus == 1.0 {
            hits.typed.insert(doc);
        }
        let s = score as f64 * bonus;
        let slot = hits.docs.entry(doc).or_insert(f64::NAN);
        // `!(hits.docs[d] >= s)`: a lower score, or a NaN on either side, is replaced.
        if !matches!((*slot).partial_cmp(&s), Some(Ordering::Greater | Ordering::Equal)) {
            *slot = s;
        }
    }
    if e.thr != 0.0 {
        hits.cut.push(Cut { term: term.to_string(), bonus, tier: e.tier + 1 });
    }
}

/// The search index of one load: the files `search::index` made, by path under `search/`.
pub struct Engine {
    files: HashMap<String, Vec<u8>>,
    meta: Meta,
}

/// One query's loaded files (search.js `json`'s cache), parsed once per query.
struct Loads<'e> {
    engine: &'e Engine,
    values: HashMap<String, Option<Rc<Value>>>,
    shards: HashMap<String, Option<Rc<Shard>>>,
}

impl<'e> Loads<'e> {
    /// search.js `json`: the parsed file `search/<path>`, or None.
    fn json(&mut self, path: &str) -> Option<Rc<Value>> {
        let files = &self.engine.files;
        self.values
            .entry(path.to_string())
            .or_insert_with(|| files.get(path).and_then(|b| serde_json::from_slice(b).ok()).map(Rc::new))
            .clone()
    }

    /// A shard file (`t/<k>.json`) with its keys in JavaScript's order.
    fn shard_file(&mut self, key: usize) -> Option<Rc<Shard>> {
        let files = &self.engine.files;
        let path = format!("t/{key}.json");
        self.shards
            .entry(path.clone())
            .or_insert_with(|| {
                let terms: Object = serde_json::from_slice(files.get(&path)?).ok()?;
                let at = terms.0.iter().enumerate().map(|(i, e)| (e.0.clone(), i)).collect();
                Some(Rc::new(Shard { terms, at }))
            })
            .clone()
    }

    /// search.js `shard`: the shard a term is in.
    fn shard(&mut self, term: &str) -> Option<Rc<Shard>> {
        self.shard_file(self.engine.shard_of(term))
    }
}

impl Engine {
    /// The engine over the index files of a site (other files are ignored).
    pub fn new(files: Vec<OutputFile>) -> Engine {
        let files: HashMap<String, Vec<u8>> = files
            .into_iter()
            .filter_map(|f| match f {
                OutputFile::Bytes { path, bytes } => Some((path.strip_prefix("search/")?.to_string(), bytes)),
                _ => None,
            })
            .collect();
        let meta = Engine::read_meta(&files);
        Engine { files, meta }
    }

    /// search.js `metaPromise`: meta.json, or the defaults.
    fn read_meta(files: &HashMap<String, Vec<u8>>) -> Meta {
        let m: Value = files.get("meta.json").and_then(|b| serde_json::from_slice(b).ok()).unwrap_or(Value::Null);
        let num = |k: &str, d: usize| m[k].as_u64().map_or(d, |n| n as usize);
        let strings = |k: &str| -> Vec<String> {
            m[k].as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(String::from)).collect()).unwrap_or_default()
        };
        let values = |k: &str| m[k].as_array().cloned().unwrap_or_default();
        let shards = if m.is_null() { vec![String::new()] } else { strings("shards") };
        Meta {
            chunk: num("chunk", 16),
            excerpts: num("excerpts", 16),
            shards,
            stemmers: strings("stemmers"),
            kinds: values("kinds"),
            statuses: values("statuses"),
            tags: values("tags"),
        }
    }

    /// The index's tag names (meta.json `tags`).
    pub fn tags(&self) -> Vec<&str> {
        self.meta.tags.iter().filter_map(Value::as_str).collect()
    }

    /// search.js `shardOf`: the last shard whose separator is not after the term, in
    /// code-point order (search.js `cmp`; Rust orders `str` by UTF-8 bytes, which is the same).
    fn shard_of(&self, term: &str) -> usize {
        self.meta.shards.partition_point(|sep| sep.as_str() <= term).saturating_sub(1)
    }

    /// search.js `stemKeys`: the stem keys of a word the index does not have: the word folded,
    /// and its stem in each language of the site.
    fn stem_keys(&self, w: &str) -> Vec<String> {
        let mut keys = vec![fold(w)];
        for code in &self.meta.stemmers {
            if let Some((_, s)) = crate::search::stemmer(code) {
                keys.push(crate::search::stem_key(Some(&s), w));
            }
        }
        keys
    }
}

impl<'e> Loads<'e> {
    /// search.js `postings`: the postings of one query word. The exact word scores in full,
    /// other forms of it (its stem key's entry) at 0.7, with `prefix` longer words at 0.8; a
    /// word the index lacks in every form matches terms one typo away (two for long words).
    fn postings(&mut self, w: &str, prefix: bool) -> Hits {
        let mut hits = Hits::default();
        let sh = self.shard(w);
        let found = sh.as_ref().and_then(|s| s.get(w)).and_then(Value::as_array).map(|l| entry(l));
        if let Some(f) = &found {
            add_entry(&mut hits, f, 1.0, w);
        }
        let keys = match &found {
            Some(f) => f.hints.iter().cloned().chain([w.to_string()]).collect(),
            None => self.engine.stem_keys(w),
        };
        if prefix && (js_len(w) >= 3 || w.chars().any(unspaced)) {
            self.prefixed(&mut hits, w, sh.clone());
        }
        let mut unique: Vec<String> = Vec::new();
        for k in keys {
            if !unique.contains(&k) {
                unique.push(k);
            }
        }
        hits.keys = unique.iter().cloned().chain([w.to_string(), fold(w)]).collect();
        for k in &unique {
            let tilde = format!("{k}~");
            if let Some(l) = self.shard(&tilde).as_ref().and_then(|s| s.get(&tilde)).and_then(Value::as_array) {
                add_entry(&mut hits, &entry(l), 0.7, &tilde);
            } else if k != w
                && let Some(l) = self.shard(k).as_ref().and_then(|s| s.get(k)).and_then(Value::as_array)
            {
                add_entry(&mut hits, &entry(l), 0.7, k);
            }
        }
        if found.is_none()
            && hits.docs.is_empty()
            && let Some(sh) = sh
        {
            typos(&mut hits, w, &sh);
        }
        hits
    }

    /// search.js `postings`' prefix step: the terms that start with `w` in its shard and the
    /// shards after it that still hold such terms (at most 3 more), at most 200, at 0.8.
    fn prefixed(&mut self, hits: &mut Hits, w: &str, sh: Option<Rc<Shard>>) {
        let first = self.engine.shard_of(w);
        let last = self.engine.shard_of(&format!("{w}\u{10FFFF}")).min(first + 3);
        let mut shards = vec![sh];
        shards.extend((first + 1..=last).map(|k| self.shard_file(k)));
        let mut seen = 0;
        for s2 in shards.into_iter().flatten() {
            for (t, list) in &s2.terms.0 {
                if t != w && t.starts_with(w) && !t.ends_with('~') {
                    seen += 1;
                    if seen <= 200 {
                        add_entry(hits, &entry(list.as_array().map_or(&[][..], Vec::as_slice)), 0.8, t);
                        hits.near.push(t.clone());
                    }
                }
            }
        }
    }

    /// search.js `nextTier`: adds the next tier of every posting list cut at a threshold (the
    /// first tier of a shard's terms is in its file .1, the others in its file .2).
    fn next_tier(&mut self, hits: &mut Hits) {
        for c in std::mem::take(&mut hits.cut) {
            let tiers = self.json(&format!("o/{}.{}.json", self.engine.shard_of(&c.term), c.tier.min(2)));
            let empty = Vec::new();
            let mut item = tiers.as_deref().and_then(|t| t.get(&c.term));
            if c.tier > 1 {
                item = item.and_then(|t| t.get(c.tier - 2));
            }
            let items = item.and_then(Value::as_array).unwrap_or(&empty);
            let mut e = entry(items);
            e.tier = c.tier;
            add_entry(hits, &e, c.bonus, &c.term);
        }
    }

    /// search.js `complete`: every posting of a word (for an exclusion).
    fn complete(&mut self, mut hits: Hits) -> Hits {
        while !hits.cut.is_empty() {
            self.next_tier(&mut hits);
        }
        hits
    }
}

/// search.js `postings`' last step: terms of the word's shard one typo away (two for words of
/// eight characters or more) at 0.5 (0.3 for two).
fn typos(hits: &mut Hits, w: &str, sh: &Shard) {
    let n = w.chars().count();
    let max = if n >= 8 {
        2
    } else if n >= 4 {
        1
    } else {
        0
    };
    if max == 0 {
        return;
    }
    let a: Vec<u16> = w.encode_utf16().collect();
    for (t, list) in &sh.terms.0 {
        if t.ends_with('~') {
            continue;
        }
        let d = distance(&a, &t.encode_utf16().collect::<Vec<u16>>(), max);
        if d <= max
            && let Some(l) = list.as_array()
        {
            add_entry(hits, &entry(l), if d == 1 { 0.5 } else { 0.3 }, t);
            hits.near.push(t.clone());
        }
    }
}

/// One ranked document: its number in the index and its score.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ranked {
    pub doc: u64,
    pub score: f64,
}

/// search.js `titleMatch`: whether a title is the query's words (every title word is a query
/// word's form, every query word is in the title): the share of its words typed as written,
/// or None. Word i matches title word j typed as written, typo'd or completed to it (its
/// `near` terms), or with a stem key in common.
fn title_match(title: &str, keys: &[&str], lists: &[Hits], words: &[String]) -> Option<f64> {
    let typed = tokens(title);
    if keys.is_empty() || typed.len() != keys.len() {
        return None;
    }
    let matches = |i: usize, j: usize| {
        let l = &lists[i];
        words[i] == typed[j] || l.near.contains(&typed[j]) || l.keys.iter().any(|k| k == keys[j])
    };
    let whole = (0..keys.len()).all(|j| (0..words.len()).any(|i| matches(i, j)))
        && (0..words.len()).all(|i| (0..keys.len()).any(|j| matches(i, j)));
    let exact = typed.iter().filter(|t| words.contains(t)).count() as f64 / typed.len() as f64;
    whole.then_some(exact)
}

/// search.js `combine`: summed scores per document, documents that match every word first
/// (OR-then-AND), of those the ones with every word as typed first, an ID hit on top.
fn combine(lists: &[Hits], id_hits: &Hits) -> Vec<Ranked> {
    let mut scores: BTreeMap<u64, f64> = BTreeMap::new();
    let mut count: BTreeMap<u64, usize> = BTreeMap::new();
    let mut typed: BTreeMap<u64, usize> = BTreeMap::new();
    for l in lists {
        for (&d, &s) in &l.docs {
            *scores.entry(d).or_insert(0.0) += s;
            *count.entry(d).or_insert(0) += 1;
            if l.typed.contains(&d) {
                *typed.entry(d).or_insert(0) += 1;
            }
        }
    }
    for &d in id_hits.docs.keys() {
        *scores.entry(d).or_insert(0.0) += ID_HIT;
        count.insert(d, lists.len());
    }
    scores
        .into_iter()
        .map(|(doc, s)| {
            let all = count.get(&doc).copied().unwrap_or(0) >= lists.len();
            let typed = all && typed.get(&doc).copied().unwrap_or(0) >= lists.len();
            let tier = if all { ALL_WORDS } else { 0.0 } + if typed { TYPED_WORDS } else { 0.0 };
            Ranked { doc, score: s + tier }
        })
        .collect()
}

/// search.js `mustComplete`: whether to load another tier of the cut lists: while fewer than
/// `want` documents match every word.
fn must_complete(lists: &[Hits], ranked: &[Ranked], want: usize) -> bool {
    if !lists.iter().any(|l| !l.cut.is_empty()) {
        return false;
    }
    if lists.iter().any(|l| l.docs.is_empty()) {
        return false;
    }
    ranked.iter().filter(|r| r.score >= ALL_WORDS).take(want).count() < want
}

/// The name a facet's number stands for in one of meta.json's vocabularies.
fn name<'v>(vocab: &'v [Value], i: &Value) -> Option<&'v str> {
    vocab.get(usize::try_from(i.as_u64()?).ok()?)?.as_str()
}

/// search.js's sort: best score first, then by document number.
fn sort(out: &mut [Ranked]) {
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
}

impl Engine {
    /// search.js `passes`: whether a document passes the filters.
    fn passes(&self, doc: u64, facets: Option<&Value>, filters: &Filters) -> bool {
        if filters.kind.is_none() && filters.status.is_none() && filters.tag.is_none() {
            return true;
        }
        let Some(f) = facets.and_then(|f| f.get(doc as usize)) else { return false };
        let m = &self.meta;
        if filters.kind.as_deref().is_some_and(|k| name(&m.kinds, &f[0]) != Some(k)) {
            return false;
        }
        if filters.status.as_deref().is_some_and(|s| name(&m.statuses, &f[1]) != Some(s)) {
            return false;
        }
        if let Some(t) = filters.tag.as_deref() {
            let tags = f[2].as_array().map(|a| a.iter().filter_map(|i| name(&m.tags, i)).collect::<Vec<_>>());
            if !tags.unwrap_or_default().contains(&t) {
                return false;
            }
        }
        true
    }

    /// search.js `rank`: ranks documents for a query: summed term scores, documents that match
    /// every word first, quoted phrases found in order above those, -words left out, an ID
    /// typed in full (`ADR-12`, `adr 12`) on top. `want` (search.js's default 10): how many
    /// results must be complete. Best first.
    pub fn rank(&self, q: &str, filters: &Filters, want: usize) -> Vec<Ranked> {
        let p = parse(q);
        if p.words.is_empty() {
            return Vec::new();
        }
        let mut loads = Loads { engine: self, values: HashMap::new(), shards: HashMap::new() };
        let idt = id_term(q);
        let last = p.words.len() - 1;
        let mut lists: Vec<Hits> = p
            .words
            .iter()
            .enumerate()
            .map(|(i, w)| loads.postings(w, p.open && p.phrases.is_empty() && i == last))
            .collect();
        let excluded: Vec<Hits> = p.exclude.iter().map(|w| loads.postings(w, false)).collect();
        let excluded: Vec<Hits> = excluded.into_iter().map(|h| loads.complete(h)).collect();
        let id_hits = idt.as_deref().map(|t| self.own_ids(loads.postings(t, false), t)).unwrap_or_default();
        let need_facets = filters.kind.is_some() || filters.status.is_some() || filters.tag.is_some();
        let facets = if need_facets { loads.json("f.json") } else { None };
        let keep = |r: &Ranked| {
            self.passes(r.doc, facets.as_deref(), filters) && !excluded.iter().any(|x| x.docs.contains_key(&r.doc))
        };
        let ranked = |lists: &[Hits]| {
            let mut out: Vec<Ranked> = combine(lists, &id_hits).into_iter().filter(keep).collect();
            sort(&mut out);
            out
        };
        let mut out = ranked(&lists);
        // search.js `more`: further tiers of cut lists while they could change the first page.
        while idt.is_none() && must_complete(&lists, &out, want) {
            for l in &mut lists {
                loads.next_tier(l);
            }
            out = ranked(&lists);
        }
        self.whole_titles(&mut out, &lists, &p.words);
        if !p.phrases.is_empty() {
            loads.phrased(&mut out, &p.phrases);
        }
        out
    }

    /// search.js `ownIds`: the postings of an ID term whose documents have that ID (a document
    /// whose text has the word `edition2021` is no jump target for `edition 2021`); of the
    /// first 8 documents, in JavaScript's order of integer keys (ascending).
    fn own_ids(&self, hits: Hits, idt: &str) -> Hits {
        let mut own = Hits::default();
        for (&doc, &score) in hits.docs.iter().take(8) {
            let id = self.doc_info(doc).and_then(|r| r.get(2).and_then(Value::as_str).map(String::from));
            if id.is_some_and(|id| !id.is_empty() && id_term(&id).as_deref() == Some(idt)) {
                own.docs.insert(doc, score);
            }
        }
        own
    }

    /// search.js `wholeTitles`: of the first `TITLE_CANDIDATES` documents that match every
    /// word, one whose title is the query's words gains `WHOLE_TITLE`, plus `EXACT_TITLE` times
    /// the share of its title's words typed in that form; then sorted again.
    fn whole_titles(&self, out: &mut [Ranked], lists: &[Hits], words: &[String]) {
        const TITLE_CANDIDATES: usize = 10;
        const WHOLE_TITLE: f64 = 5e5;
        const EXACT_TITLE: f64 = 1e5;
        let head: Vec<usize> = (0..out.len().min(TITLE_CANDIDATES)).filter(|&i| out[i].score >= 1e6).collect();
        if head.is_empty() {
            return;
        }
        for i in head {
            let Some(info) = self.doc_info(out[i].doc) else { continue };
            let title = info.get(0).and_then(Value::as_str).unwrap_or("");
            // search.js: `r[7] ? r[7].split(" ") : []` (an empty column is no keys).
            let keys: Vec<&str> = info
                .get(7)
                .and_then(Value::as_str)
                .filter(|k| !k.is_empty())
                .map(|k| k.split(' ').collect())
                .unwrap_or_default();
            if let Some(exact) = title_match(title, &keys, lists, words) {
                out[i].score += WHOLE_TITLE + EXACT_TITLE * exact;
            }
        }
        sort(out);
    }

    /// search.js `docInfo`: a document's row of the index's metadata (title, URL, ID, kind,
    /// status, label, date, title stem keys).
    pub fn doc_info(&self, doc: u64) -> Option<Value> {
        let chunk = self.meta.chunk.max(1) as u64;
        let rows: Value = serde_json::from_slice(self.files.get(&format!("d/{}.json", doc / chunk))?).ok()?;
        rows.get((doc % chunk) as usize).cloned()
    }

    /// search.js `marks`: the words a snippet marks: the query's and its phrases', not
    /// -excluded ones.
    pub fn marks(q: &str) -> Vec<String> {
        let p = parse(q);
        let mut out: Vec<String> = Vec::new();
        for w in p.words.iter().chain(p.phrases.iter().flatten()) {
            if !out.contains(w) && !p.exclude.contains(w) {
                out.push(w.clone());
            }
        }
        out
    }
}

impl<'e> Loads<'e> {
    /// search.js `excerpt`: the start of a document's text (what phrases are looked for in).
    fn excerpt(&mut self, doc: u64) -> String {
        let per = self.engine.meta.excerpts.max(1) as u64;
        let texts = self.json(&format!("x/{}.json", doc / per));
        texts.as_deref().and_then(|t| t.get((doc % per) as usize)?.as_str().map(String::from)).unwrap_or_default()
    }

    /// search.js `phrased`: moves documents whose title or kept text has every phrase, words in
    /// order, above the rest (only among the first 20 that match every word).
    fn phrased(&mut self, out: &mut [Ranked], phrases: &[Vec<String>]) {
        let head = out.len().min(20);
        for r in out[..head].iter_mut().filter(|r| r.score >= ALL_WORDS) {
            let info = self.engine.doc_info(r.doc);
            let title = info.as_ref().and_then(|i| i[0].as_str()).unwrap_or("");
            let text = format!(" {} ", tokens(&format!("{title} \u{2029} {}", self.excerpt(r.doc))).join(" "));
            if phrases.iter().all(|ph| text.contains(&format!(" {} ", ph.join(" ")))) {
                r.score += PHRASE;
            }
        }
        sort(out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_as_search_js() {
        assert_eq!(
            tokens("The Search-Index of ADR-0012, Über café!"),
            ["search", "index", "adr", "0012", "über", "café"]
        );
        assert_eq!(tokens("回归测试"), ["回归", "归测", "测试"]);
        assert_eq!(tokens("Ⓐbc"), ["bc"], "a circled letter is not a letter to \\p{{L}}");
    }

    #[test]
    fn parse_as_search_js() {
        let p = parse("\"search index\" cache -redis -\"x\" stor");
        assert_eq!(p.phrases, [vec!["search".to_string(), "index".to_string()], vec!["x".to_string()]]);
        assert_eq!(p.words, ["search", "index", "cache", "x", "stor"]);
        assert_eq!(p.exclude, ["redis"]);
        assert!(p.open);
        let p = parse("-a-b c \"open");
        assert_eq!(
            (p.exclude.clone(), p.words.clone(), p.open),
            (vec!["b".to_string()], vec!["c".into(), "open".into()], true)
        );
        assert!(!parse("cache ").open && !parse("\"cache\"").open);
        assert_eq!(parse("a--b").words, ["b"], "a dash inside a word excludes nothing");
    }

    #[test]
    fn ids_and_distance_as_search_js() {
        assert_eq!(id_term(" ADR-0012 ").as_deref(), Some("adr12"));
        assert_eq!(id_term("adr 12").as_deref(), Some("adr12"));
        assert_eq!(id_term("ADR_000").as_deref(), Some("adr0"));
        assert_eq!(id_term("adr 12 x"), None);
        assert_eq!(id_term("12"), None);
        let u = |s: &str| s.encode_utf16().collect::<Vec<u16>>();
        assert_eq!(distance(&u("cache"), &u("cahce"), 1), 1, "a transposition is one edit");
        assert_eq!(distance(&u("postgres"), &u("postgrse"), 2), 1);
        assert_eq!(distance(&u("abc"), &u("xyz"), 1), 2);
    }

    #[test]
    fn object_keys_in_javascript_order() {
        let o: Object = serde_json::from_str(r#"{"zz":1,"0012":2,"2024":3,"12":4,"abc":5}"#).unwrap();
        let keys: Vec<&str> = o.0.iter().map(|e| e.0.as_str()).collect();
        assert_eq!(keys, ["12", "2024", "zz", "0012", "abc"]);
    }
}
