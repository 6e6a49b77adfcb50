//! The site's search in Rust: the files `search::index` writes, read back, and ranked as the
//! theme's `search.js` ranks them (`rank` there, ported step by step), so that `dossier mcp`
//! answers a query as the site's search box does. `tests/mcp.rs` checks the two agree on a
//! query set, with the JavaScript running in node.

use crate::write::OutputFile;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};

/// search.js's stop words (the index leaves the same out).
const STOP: &str = "a an and are as at be but by for from has have if in into is it its of on or that the their \
                    then there these this to was we were will with";

/// One document as the index's metadata chunk holds it.
#[derive(Clone, Debug, PartialEq)]
pub struct Info {
    pub doc: usize,
    pub title: String,
    pub url: String,
    /// Empty when the document has no ID of its own.
    pub id: String,
    pub kind: String,
    pub status: String,
    pub date: String,
}

/// What a query may be narrowed to, as the search page's filters do.
#[derive(Clone, Debug, Default)]
pub struct Filters {
    pub kind: Option<String>,
    pub status: Option<String>,
    pub tag: Option<String>,
}

/// The search index, read from its files.
#[derive(Default)]
pub struct Index {
    shard: usize,
    splits: Vec<String>,
    split_set: HashSet<String>,
    /// Shard file name → its terms in the order `JSON.parse` enumerates them.
    shards: HashMap<String, Vec<(String, Vec<u32>)>>,
    infos: Vec<Info>,
    excerpts: Vec<String>,
    /// Per document: kind, status and tags, by name.
    facets: Vec<(String, String, Vec<String>)>,
}

impl Index {
    /// Reads the index from the files `search::index` made (other files are ignored).
    pub fn from_files(files: &[OutputFile]) -> Index {
        let mut raw: BTreeMap<&str, Value> = BTreeMap::new();
        for f in files {
            if let OutputFile::Bytes { path, bytes } = f
                && let Some(rel) = path.strip_prefix("search/")
                && let Ok(v) = serde_json::from_slice(bytes)
            {
                raw.insert(rel, v);
            }
        }
        let meta = raw.get("meta.json").cloned().unwrap_or(Value::Null);
        let strings = |v: &Value| -> Vec<String> {
            v.as_array().map(|a| a.iter().filter_map(|s| s.as_str().map(String::from)).collect()).unwrap_or_default()
        };
        let splits = strings(&meta["splits"]);
        let mut ix = Index {
            shard: meta["shard"].as_u64().unwrap_or(2) as usize,
            split_set: splits.iter().cloned().collect(),
            splits,
            ..Index::default()
        };
        let (kinds, statuses, tags) = (strings(&meta["kinds"]), strings(&meta["statuses"]), strings(&meta["tags"]));
        let name = |v: &[String], i: &Value| v.get(i.as_u64().unwrap_or(0) as usize).cloned().unwrap_or_default();
        for (path, v) in &raw {
            if let Some(key) = path.strip_prefix("t/").and_then(|p| p.strip_suffix(".json")) {
                ix.shards.insert(key.to_string(), js_key_order(v));
            }
        }
        let chunk = meta["chunk"].as_u64().unwrap_or(16) as usize;
        let n = meta["docs"].as_u64().unwrap_or(0) as usize;
        for doc in 0..n {
            let row = &raw.get(format!("d/{}.json", doc / chunk).as_str()).unwrap_or(&Value::Null)[doc % chunk];
            let s = |i: usize| row[i].as_str().unwrap_or("").to_string();
            ix.infos.push(Info { doc, title: s(0), url: s(1), id: s(2), kind: s(3), status: s(4), date: s(6) });
        }
        let per = meta["excerpts"].as_u64().unwrap_or(4) as usize;
        ix.excerpts = (0..n)
            .map(|doc| {
                let texts = raw.get(format!("x/{}.json", doc / per).as_str()).unwrap_or(&Value::Null);
                texts[doc % per].as_str().unwrap_or("").to_string()
            })
            .collect();
        let facets = raw.get("f.json").and_then(Value::as_array).cloned().unwrap_or_default();
        ix.facets = facets
            .iter()
            .map(|f| {
                let t = f[2].as_array().map(|a| a.iter().map(|i| name(&tags, i)).collect()).unwrap_or_default();
                (name(&kinds, &f[0]), name(&statuses, &f[1]), t)
            })
            .collect();
        ix
    }

    pub fn info(&self, doc: usize) -> Option<&Info> {
        self.infos.get(doc)
    }

    /// The document's excerpt around the first query word, as search.js cuts its snippet.
    pub fn snippet(&self, doc: usize, q: &str) -> String {
        let body: Vec<char> = self.excerpts.get(doc).map_or(Vec::new(), |t| t.chars().collect());
        let lower: String = body.iter().collect::<String>().to_lowercase();
        let lower: Vec<char> = lower.chars().collect();
        let mut at: Option<usize> = None;
        for w in tokens(q) {
            let w: Vec<char> = w.chars().collect();
            if let Some(i) = (0..lower.len()).find(|&i| lower[i..].starts_with(&w)) {
                at = Some(at.map_or(i, |a: usize| a.min(i)));
            }
        }
        let start = at.map_or(0, |a| a.saturating_sub(60));
        let end = body.len().min(at.unwrap_or(0) + 160);
        let mut out = String::new();
        if start > 0 {
            out.push_str("… ");
        }
        out.extend(&body[start.min(end)..end]);
        if end < body.len() {
            out.push_str(" …");
        }
        out
    }

    /// search.js `shardOf`: the shard prefix of a term.
    fn shard_of(&self, term: &str) -> String {
        let chars: Vec<char> = term.chars().collect();
        let mut n = self.shard.min(chars.len());
        while n < chars.len() && self.split_set.contains(&chars[..n].iter().collect::<String>()) {
            n += 1;
        }
        chars[..n].iter().collect()
    }

    /// search.js `postings`: document → score of one term; with `prefix`, the best over the
    /// terms it starts (the first 200 of them, at 0.8 of their score).
    fn postings(&self, term: &str, prefix: bool) -> BTreeMap<u32, f64> {
        let mut prefixes = vec![self.shard_of(term)];
        if prefix && self.split_set.contains(term) {
            prefixes = self.splits.iter().filter(|s| s.starts_with(term)).cloned().collect();
            prefixes.push(term.to_string());
        }
        let mut out: BTreeMap<u32, f64> = BTreeMap::new();
        let mut seen = 0;
        for p in prefixes {
            let Some(shard) = self.shards.get(&crate::search::shard_key(&p)) else { continue };
            for (t, list) in shard {
                let take = t == term || {
                    // `seen++ < 200`: counted only when the prefix test passes.
                    prefix && t.starts_with(term) && {
                        seen += 1;
                        seen <= 200
                    }
                };
                if !take {
                    continue;
                }
                let bonus = if t == term { 1.0 } else { 0.8 };
                for pair in list.chunks(2) {
                    let (d, s) = (pair[0], pair.get(1).copied().unwrap_or(0) as f64 * bonus);
                    let e = out.entry(d).or_insert(f64::NEG_INFINITY);
                    if !(*e >= s) {
                        *e = s;
                    }
                }
            }
        }
        out
    }

    fn passes(&self, doc: usize, f: &Filters) -> bool {
        let Some((kind, status, tags)) = self.facets.get(doc) else {
            return f.kind.is_none() && f.status.is_none() && f.tag.is_none();
        };
        f.kind.as_ref().is_none_or(|k| k == kind)
            && f.status.as_ref().is_none_or(|s| s == status)
            && f.tag.as_ref().is_none_or(|t| tags.contains(t))
    }

    /// search.js `rank`: documents by summed term score, those matching every word first, an
    /// ID typed in full on top; ties by document number.
    pub fn rank(&self, q: &str, filters: &Filters) -> Vec<(usize, f64)> {
        let words = tokens(q);
        let Some(last) = words.last() else { return Vec::new() };
        let prefix_last = !q.ends_with(char::is_whitespace) && last.encode_utf16().count() >= 3;
        let lists: Vec<BTreeMap<u32, f64>> =
            words.iter().enumerate().map(|(i, w)| self.postings(w, prefix_last && i == words.len() - 1)).collect();
        let id_hits = id_term(q).map(|t| self.postings(&t, false)).unwrap_or_default();
        let mut scores: BTreeMap<u32, f64> = BTreeMap::new();
        let mut hits: BTreeMap<u32, usize> = BTreeMap::new();
        for list in &lists {
            for (&d, &s) in list {
                *scores.entry(d).or_insert(0.0) += s;
                *hits.entry(d).or_insert(0) += 1;
            }
        }
        for &d in id_hits.keys() {
            *scores.entry(d).or_insert(0.0) += 1e7;
            hits.insert(d, lists.len());
        }
        let mut out: Vec<(usize, f64)> = scores
            .into_iter()
            .map(|(d, s)| {
                let all = if hits.get(&d).copied().unwrap_or(0) >= lists.len() { 1e6 } else { 0.0 };
                (d as usize, s + all)
            })
            .filter(|&(d, _)| self.passes(d, filters))
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }
}

/// A shard's terms in the order JavaScript enumerates an object's keys: array-index keys
/// (`12`, not `012`) first by value, then the rest in the order written.
fn js_key_order(v: &Value) -> Vec<(String, Vec<u32>)> {
    let Some(map) = v.as_object() else { return Vec::new() };
    let list = |v: &Value| -> Vec<u32> {
        v.as_array().map(|a| a.iter().map(|x| x.as_u64().unwrap_or(0) as u32).collect()).unwrap_or_default()
    };
    let index = |k: &str| -> Option<u64> {
        let n: u64 = k.parse().ok()?;
        (n.to_string() == k && n < u32::MAX as u64).then_some(n)
    };
    let mut numeric: Vec<(u64, String, Vec<u32>)> = Vec::new();
    let mut rest = Vec::new();
    for (k, v) in map {
        match index(k) {
            Some(n) => numeric.push((n, k.clone(), list(v))),
            None => rest.push((k.clone(), list(v))),
        }
    }
    numeric.sort_by_key(|e| e.0);
    numeric.into_iter().map(|(_, k, v)| (k, v)).chain(rest).collect()
}

/// search.js `tokens`: lower-case runs of letters and digits, at most 40 UTF-16 units, stop
/// words dropped.
pub fn tokens(q: &str) -> Vec<String> {
    q.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && w.encode_utf16().count() <= 40 && !STOP.split_whitespace().any(|s| s == *w))
        .map(String::from)
        .collect()
}

/// search.js `idTerm`: `ADR-0012`, `adr 12` → `adr12`, for a query that is only an ID.
pub fn id_term(q: &str) -> Option<String> {
    let t = q.trim();
    let letters = t.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(t.len());
    if letters == 0 {
        return None;
    }
    let rest = t[letters..].trim_start_matches(|c: char| c.is_whitespace() || c == '_' || c == '-');
    if rest.is_empty() || !rest.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let digits = rest.trim_start_matches('0');
    let digits = if digits.is_empty() { "0" } else { digits };
    Some(format!("{}{digits}", t[..letters].to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_and_ids() {
        assert_eq!(tokens("The Search-Index of Café"), ["search", "index", "café"]);
        assert_eq!(id_term(" ADR-0012 ").as_deref(), Some("adr12"));
        assert_eq!(id_term("adr 12").as_deref(), Some("adr12"));
        assert_eq!(id_term("ADR_000").as_deref(), Some("adr0"));
        assert_eq!(id_term("adr 12 x"), None);
        assert_eq!(id_term("12"), None);
        let v: Value = serde_json::from_str(r#"{"0012":[1,2],"2024":[3,4],"12":[5,6],"abc":[7,8]}"#).unwrap();
        let keys: Vec<String> = js_key_order(&v).into_iter().map(|e| e.0).collect();
        assert_eq!(keys, ["12", "2024", "0012", "abc"]);
    }
}
