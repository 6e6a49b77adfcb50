//! Search snippets as the site shows them: the passage of a document's text where the query's
//! words occur (the theme's `passages.js`, ported function by function), as plain text. The
//! text is the document's, whitespace collapsed, at most `PASSAGE_MAX` characters, as
//! passages.js reads it from the page ([`collapse`]). Positions are in
//! characters where passages.js counts UTF-16 code units: the same passage but for text
//! outside the Basic Multilingual Plane.

/// passages.js `PASSAGE_MAX`: the characters of a document's text a passage is cut from.
pub const PASSAGE_MAX: usize = 64 * 1024;

/// `text` with each run of whitespace made one space, at most `max` characters, cut at a word
/// (passages.js `pageText` on the page's body).
pub fn collapse(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max + 16));
    let mut chars = 0;
    for w in text.split_whitespace() {
        let n = w.chars().count() + usize::from(!out.is_empty());
        if chars + n > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
        chars += n;
    }
    out
}

/// passages.js `WINDOW`, `BEFORE` and `LENGTH`: words per window, characters of context before
/// the first match, characters of the passage.
const WINDOW: usize = 28;
const BEFORE: usize = 60;
const LENGTH: usize = 240;

/// passages.js `SUFFIX`: the endings two forms of a word may differ by.
const SUFFIX: &[&str] =
    &["", "e", "s", "es", "ed", "d", "ing", "ion", "ions", "er", "ers", "ly", "ment", "ments", "ies", "y", "al"];

/// passages.js `WIDE`: kana, CJK and Hangul, matched anywhere inside a word.
fn wide(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30ff | 0x3400..=0x9fff | 0xac00..=0xd7af)
}

/// passages.js `fold`.
fn fold(w: &str) -> String {
    crate::search::stem_key(None, w)
}

/// passages.js `match`: whether the text's word `t` (lower-case, folded) matches the query
/// word `q`: `q` a prefix of it, for CJK `q` inside it, or a long common start with both
/// differing only by a common ending.
fn matches(t: &[char], q: &[char]) -> bool {
    if t.starts_with(q) {
        return true;
    }
    if q.iter().any(|&c| wide(c)) {
        return t.windows(q.len().max(1)).any(|w| w == q);
    }
    let n = t.iter().zip(q).take_while(|(a, b)| a == b).count();
    let ending = |s: &[char]| SUFFIX.contains(&s.iter().collect::<String>().as_str());
    n >= 4 && ending(&q[n..]) && ending(&t[n..])
}

/// passages.js `words`' entries: a word's place (in characters), the query word it matches
/// and whether it is found as typed.
struct Word {
    at: usize,
    end: usize,
    hit: Option<usize>,
    exact: bool,
}

/// passages.js `words`: every word of `body` (runs of `[\p{L}\p{N}]`) with its match.
fn words(body: &[char], query: &[Vec<char>]) -> Vec<Word> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < body.len() {
        if !body[i].is_alphanumeric() {
            i += 1;
            continue;
        }
        let at = i;
        while i < body.len() && body[i].is_alphanumeric() {
            i += 1;
        }
        let t: Vec<char> = fold(&body[at..i].iter().collect::<String>().to_lowercase()).chars().collect();
        let hit = query.iter().position(|q| matches(&t, q));
        let exact = hit.is_some_and(|h| t.starts_with(&query[h]));
        out.push(Word { at, end: i, hit, exact });
    }
    out
}

/// passages.js `best`: the first word of the window of `WINDOW` words with the most distinct
/// query words, then the most found as typed, then the most matches.
fn best(ws: &[Word], n: usize) -> Option<usize> {
    let (mut best_at, mut best_score) = (None, 0);
    for i in 0..ws.len() {
        if ws[i].hit.is_none() {
            continue;
        }
        // 0: not seen, 1: seen, 2: seen as typed.
        let mut seen = vec![0u8; n];
        let (mut distinct, mut exact, mut total) = (0, 0, 0);
        for w in &ws[i..ws.len().min(i + WINDOW)] {
            let Some(h) = w.hit else { continue };
            total += 1;
            if seen[h] == 0 {
                seen[h] = 1;
                distinct += 1;
            }
            if w.exact && seen[h] != 2 {
                seen[h] = 2;
                exact += 1;
            }
        }
        let score = distinct * 10000 + exact * 100 + total;
        if score > best_score {
            (best_score, best_at) = (score, Some(i));
        }
        if exact == n {
            break;
        }
    }
    best_at
}

/// passages.js `passage`: the passage of `body` for the query words (`Engine::marks`), about
/// `BEFORE` characters before the first match and `LENGTH` in all, in whole words, with `… `
/// where it is cut.
pub fn passage(body: &str, query: &[String]) -> String {
    let body: Vec<char> = body.chars().collect();
    let query: Vec<Vec<char>> = query.iter().map(|q| fold(q).chars().collect()).collect();
    let ws = words(&body, &query);
    if ws.is_empty() {
        return String::new();
    }
    let at = best(&ws, query.len());
    let mut first = 0;
    if let Some(at) = at.filter(|&a| a > 0) {
        first = at;
        while first > 0 && ws[first - 1].at + BEFORE >= ws[at].at {
            first -= 1;
        }
    }
    let mut last = 0;
    while last < ws.len() && ws[last].end <= ws[first].at + LENGTH {
        last += 1;
    }
    // `Math.min(ws.length, at + 1)`, with `at` -1 when nothing matched.
    last = last.max(at.map_or(0, |a| (a + 1).min(ws.len()))).max(1);
    let start = ws[first].at;
    let end = if last < ws.len() { ws[last - 1].end } else { body.len() };
    let mut out = String::new();
    if start > 0 {
        out.push_str("\u{2026} ");
    }
    out.extend(&body[start..end]);
    if end < body.len() {
        out.push_str(" \u{2026}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_passage_where_the_words_are() {
        let filler = "lorem ipsum dolor sit amet ".repeat(12);
        let body = format!("{filler}we cache the rendered pages in Redis. {filler}");
        let p = passage(&body, &["redis".to_string(), "caching".to_string()]);
        assert!(p.starts_with("\u{2026} ") && p.ends_with(" \u{2026}"), "{p}");
        assert!(p.contains("we cache the rendered pages in Redis."), "{p}");
        assert_eq!(passage("Short text.", &["none".to_string()]), "Short text.");
        assert_eq!(passage("", &["x".to_string()]), "");
    }
}
