//! What GitHub renders that pulldown-cmark 0.13 does not: closing code fences followed by
//! whitespace, extended autolinks (bare URLs, `www.` and e-mail addresses) and the link targets
//! of raw HTML (`<img src>`, `<a href>`, `<source src|srcset>`). Pure string functions.

use std::borrow::Cow;
use std::ops::Range;

/// Rewrites the spaces and tabs after each closing code fence into more fence characters, so
/// that pulldown-cmark closes the block as CommonMark says (0.13 leaves a fence such as
/// "```\t" open and turns the rest of the page into code). A longer closing fence is still a
/// closing fence, and every byte keeps its offset, so `line:col` positions stay right.
pub fn close_fences(body: &str) -> Cow<'_, str> {
    if !body.contains("```") && !body.contains("~~~") {
        return Cow::Borrowed(body);
    }
    // (byte range of the trailing whitespace, fence character) for each closing fence to fix.
    let mut fixes: Vec<(Range<usize>, u8)> = Vec::new();
    // The open fence: its character, length and indentation.
    let mut open: Option<(u8, usize, usize)> = None;
    let mut offset = 0;
    for line in body.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let indent = content.len() - content.trim_start_matches(' ').len();
        let rest = &content[indent..];
        let ch = rest.bytes().next().unwrap_or(0);
        let run = rest.bytes().take_while(|&b| b == ch).count();
        let is_fence_char = ch == b'`' || ch == b'~';
        match open {
            None if is_fence_char && run >= 3 && indent <= 3 => {
                let info = &rest[run..];
                if ch == b'~' || !info.contains('`') {
                    open = Some((ch, run, indent));
                }
            }
            Some((c, len, open_indent)) if ch == c && run >= len && indent <= open_indent.max(3) => {
                let after = &rest[run..];
                if after.bytes().all(|b| b == b' ' || b == b'\t') {
                    if !after.is_empty() {
                        let start = offset + indent + run;
                        fixes.push((start..start + after.len(), c));
                    }
                    open = None;
                }
            }
            _ => {}
        }
        offset += line.len();
    }
    if fixes.is_empty() {
        return Cow::Borrowed(body);
    }
    let mut bytes = body.as_bytes().to_vec();
    for (range, c) in fixes {
        bytes[range].fill(c);
    }
    // Only ASCII whitespace was replaced by ASCII fence characters.
    Cow::Owned(String::from_utf8(bytes).unwrap_or_else(|_| body.to_string()))
}

/// An extended autolink found in a run of text: its byte range and the href.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Autolink {
    pub range: Range<usize>,
    pub href: String,
}

/// GitHub's extended autolinks in a run of prose: `https://…`, `http://…`, `www.…` and e-mail
/// addresses (as `mailto:`). The caller passes only text outside code, links and raw HTML.
pub fn autolinks(t: &str) -> Vec<Autolink> {
    let mut out = Vec::new();
    // Cheap pre-check: most runs of prose hold no link at all.
    if !t.contains("://") && !t.contains("www.") && !t.contains('@') {
        return out;
    }
    let b = t.as_bytes();
    let mut i = 0;
    while i < b.len() {
        // `www.` follows a space or a delimiter; a scheme anything but a letter (cmark-gfm's
        // rules: `(https://…)` and `（https://…` link, `xhttps://…` does not).
        let prev = if i == 0 { b' ' } else { b[i - 1] };
        let found = if matches!(prev, b' ' | b'\t' | b'\n' | b'\r' | b'*' | b'_' | b'~' | b'(') {
            url_at(t, i, true)
        } else if !prev.is_ascii_alphabetic() && matches!(b[i], b'h' | b'H') {
            url_at(t, i, false)
        } else {
            None
        };
        if let Some(link) = found {
            i = link.range.end;
            out.push(link);
            continue;
        }
        if b[i] == b'@'
            && let Some(link) = email_at(t, i, out.last().map_or(0, |l| l.range.end))
        {
            i = link.range.end;
            out.push(link);
            continue;
        }
        i += 1;
    }
    out
}

/// A `www.` (when `www` allows it), `http://` or `https://` autolink starting at byte `i`.
fn url_at(t: &str, i: usize, www: bool) -> Option<Autolink> {
    let rest = &t[i..];
    let (scheme_len, prefix) = if rest.starts_with("https://") {
        (8, "")
    } else if rest.starts_with("http://") {
        (7, "")
    } else if www && rest.get(..4).is_some_and(|p| p.eq_ignore_ascii_case("www.")) {
        (0, "http://")
    } else {
        return None;
    };
    let domain_len = valid_domain(&rest[scheme_len..])?;
    if !prefix.is_empty() && domain_len <= 4 {
        return None; // `www.` alone
    }
    let mut end = scheme_len + domain_len;
    end += rest[end..].find(|c: char| c.is_whitespace() || c == '<').unwrap_or(rest.len() - end);
    let end = trim_trailing(&rest[..end]);
    if end <= scheme_len {
        return None;
    }
    Some(Autolink { range: i..i + end, href: format!("{prefix}{}", &rest[..end]) })
}

/// The length of a valid domain at the start of `s` (segments of letters, digits, `-` and `_`
/// joined by dots; no `_` in the last two segments), or `None`.
fn valid_domain(s: &str) -> Option<usize> {
    let len = s.find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_' || c == '.')).unwrap_or(s.len());
    let domain = s[..len].trim_end_matches('.');
    if domain.is_empty() {
        return None;
    }
    let segments: Vec<&str> = domain.split('.').collect();
    if segments.iter().any(|s| s.is_empty()) || segments.iter().rev().take(2).any(|s| s.contains('_')) {
        return None;
    }
    Some(domain.len())
}

/// GFM's trailing rules: end punctuation is not part of a link, nor an unbalanced `)`, nor an
/// entity-like `&name;`. Returns the kept length.
fn trim_trailing(s: &str) -> usize {
    let mut end = s.len();
    loop {
        let cur = &s[..end];
        let Some(last) = cur.bytes().last() else { return 0 };
        match last {
            b'?' | b'!' | b'.' | b',' | b':' | b'*' | b'_' | b'~' | b'\'' | b'"' => end -= 1,
            b')' => {
                let opens = cur.bytes().filter(|&c| c == b'(').count();
                let closes = cur.bytes().filter(|&c| c == b')').count();
                if closes > opens {
                    end -= 1;
                } else {
                    return end;
                }
            }
            b';' => {
                let name = cur[..end - 1].bytes().rev().take_while(u8::is_ascii_alphanumeric).count();
                if name > 0 && cur[..end - 1 - name].ends_with('&') {
                    end -= name + 2;
                } else {
                    return end;
                }
            }
            _ => return end,
        }
    }
}

/// An e-mail autolink around the `@` at byte `at`, starting no earlier than `floor`.
fn email_at(t: &str, at: usize, floor: usize) -> Option<Autolink> {
    let b = t.as_bytes();
    let local = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_' | b'+');
    let mut start = at;
    while start > floor && local(b[start - 1]) {
        start -= 1;
    }
    if start == at {
        return None;
    }
    let domain = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_');
    let mut end = at + 1;
    while end < b.len() && domain(b[end]) {
        end += 1;
    }
    while end > at + 1 && b[end - 1] == b'.' {
        end -= 1;
    }
    let d = &t[at + 1..end];
    if !d.contains('.') || d.ends_with(['-', '_']) || d.split('.').any(str::is_empty) {
        return None;
    }
    Some(Autolink { range: start..end, href: format!("mailto:{}", &t[start..end]) })
}

/// A link target in raw HTML: the attribute value's byte range in the HTML, whether it is an
/// image (`<img>`, `<source>`) and the value (with `&amp;` decoded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HtmlTarget {
    pub range: Range<usize>,
    pub image: bool,
    pub value: String,
}

/// The `href` of `<a>` and the `src`/`srcset` URLs of `<img>` and `<source>` (in `<picture>`
/// or `<video>`) in a piece of raw HTML, in order, outside comments. `in_comment` carries an
/// open `<!--` from one piece of an HTML block to the next.
pub fn html_targets(html: &str, in_comment: &mut bool) -> Vec<HtmlTarget> {
    let mut out = Vec::new();
    let mut pos = 0;
    loop {
        if *in_comment {
            match html[pos..].find("-->") {
                Some(e) => {
                    pos += e + 3;
                    *in_comment = false;
                }
                None => return out,
            }
        }
        let Some(lt) = html[pos..].find('<') else { return out };
        let tag_start = pos + lt + 1;
        if html[tag_start..].starts_with("!--") {
            *in_comment = true;
            pos = tag_start + 3;
            continue;
        }
        let name_len = html[tag_start..].bytes().take_while(u8::is_ascii_alphanumeric).count();
        let name = html[tag_start..tag_start + name_len].to_ascii_lowercase();
        pos = tag_start + name_len;
        let wanted: &[&str] = match name.as_str() {
            "a" => &["href"],
            "img" | "source" => &["src", "srcset"],
            _ => continue,
        };
        pos = tag_attributes(html, pos, wanted, name != "a", &mut out);
    }
}

/// Reads the attributes of a tag from `pos` to its `>`, pushing the wanted ones. Returns the
/// position after the tag.
fn tag_attributes(html: &str, mut pos: usize, wanted: &[&str], image: bool, out: &mut Vec<HtmlTarget>) -> usize {
    let b = html.as_bytes();
    loop {
        while pos < b.len() && (b[pos].is_ascii_whitespace() || b[pos] == b'/') {
            pos += 1;
        }
        if pos >= b.len() || b[pos] == b'>' {
            return pos;
        }
        let name_start = pos;
        while pos < b.len() && !b[pos].is_ascii_whitespace() && !matches!(b[pos], b'=' | b'>' | b'/') {
            pos += 1;
        }
        let attr = html[name_start..pos].to_ascii_lowercase();
        if name_start == pos {
            pos += 1;
            continue;
        }
        let mut p = pos;
        while p < b.len() && b[p].is_ascii_whitespace() {
            p += 1;
        }
        if p >= b.len() || b[p] != b'=' {
            continue;
        }
        p += 1;
        while p < b.len() && b[p].is_ascii_whitespace() {
            p += 1;
        }
        let (value, next) = match b.get(p) {
            Some(&q @ (b'"' | b'\'')) => match html[p + 1..].find(q as char) {
                Some(e) => (p + 1..p + 1 + e, p + 2 + e),
                None => return b.len(),
            },
            _ => {
                let e = html[p..].find(|c: char| c.is_ascii_whitespace() || c == '>').unwrap_or(html.len() - p);
                (p..p + e, p + e)
            }
        };
        pos = next;
        if !wanted.contains(&attr.as_str()) {
            continue;
        }
        if attr == "srcset" {
            srcset_urls(html, value, out);
        } else if !value.is_empty() {
            out.push(HtmlTarget { value: html[value.clone()].replace("&amp;", "&"), range: value, image });
        }
    }
}

/// The URLs of a `srcset` value (`a.png 1x, b.png 2x`).
fn srcset_urls(html: &str, value: Range<usize>, out: &mut Vec<HtmlTarget>) {
    let mut at = value.start;
    for candidate in html[value].split(',') {
        let lead = candidate.len() - candidate.trim_start().len();
        let url_len = candidate.trim_start().find(char::is_whitespace).unwrap_or(candidate.trim_start().len());
        if url_len > 0 {
            let start = at + lead;
            out.push(HtmlTarget {
                value: html[start..start + url_len].replace("&amp;", "&"),
                range: start..start + url_len,
                image: true,
            });
        }
        at += candidate.len() + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn links(t: &str) -> Vec<(&str, String)> {
        autolinks(t).into_iter().map(|l| (&t[l.range], l.href)).collect()
    }

    #[test]
    fn closing_fence_whitespace_becomes_fence_characters() {
        let body = "```rust\ncode\n```\t \n\n## After\n";
        let fixed = close_fences(body);
        assert_eq!(fixed, "```rust\ncode\n`````\n\n## After\n");
        assert_eq!(fixed.len(), body.len());
        let tilde = close_fences("~~~~\na\n~~~~  \nb\n");
        assert_eq!(tilde, "~~~~\na\n~~~~~~\nb\n");
    }

    /// The upstream bug `close_fences` works around (see tests/links.rs): when this fails,
    /// pulldown-cmark closes such fences itself and the normalisation can go.
    #[test]
    fn pulldown_cmark_leaves_a_closing_fence_with_a_tab_open() {
        let render = |md: &str| {
            let mut html = String::new();
            pulldown_cmark::html::push_html(&mut html, pulldown_cmark::Parser::new(md));
            html
        };
        assert_eq!(render("```\ncode\n```\t\n\n# After\n"), "<pre><code>code\n```\t\n\n# After\n</code></pre>\n");
        assert_eq!(
            render(&close_fences("```\ncode\n```\t\n\n# After\n")),
            "<pre><code>code\n</code></pre>\n<h1>After</h1>\n"
        );
        assert_eq!(render("```\ncode\n```  \n\n# After\n"), "<pre><code>code\n</code></pre>\n<h1>After</h1>\n");
    }

    #[test]
    fn fences_that_do_not_close_are_left_alone() {
        // Too short, other character, text after the fence, opening fence with trailing tab.
        for body in ["````\na\n```\t\n", "```\na\n~~~\t\n", "```\na\n``` x\t\n", "```\t\na\n```\n", "no fence\t\n"] {
            assert_eq!(close_fences(body), body);
        }
        assert!(matches!(close_fences("plain text\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn bare_urls_and_www() {
        assert_eq!(
            links("Discussion at https://example.org/issue/1. See www.example.com/a_b, (http://x.org/a(b))."),
            [
                ("https://example.org/issue/1", "https://example.org/issue/1".to_string()),
                ("www.example.com/a_b", "http://www.example.com/a_b".to_string()),
                ("http://x.org/a(b)", "http://x.org/a(b)".to_string()),
            ]
        );
        assert_eq!(links("x https://a.org/q?x=1&amp; y"), [("https://a.org/q?x=1", "https://a.org/q?x=1".into())]);
        assert_eq!(links("[[x]]（https://a.org/b"), [("https://a.org/b", "https://a.org/b".into())]);
    }

    #[test]
    fn not_autolinks() {
        for t in ["see xhttps://a.org", "www.", "https://", "awww.example.com", "www.a_b.c_d", "user@host", "@team"] {
            assert_eq!(links(t), [], "{t}");
        }
    }

    #[test]
    fn email_addresses() {
        assert_eq!(
            links("Write to ann.lee+x@example.co.uk. Or bob@example.com"),
            [
                ("ann.lee+x@example.co.uk", "mailto:ann.lee+x@example.co.uk".to_string()),
                ("bob@example.com", "mailto:bob@example.com".to_string()),
            ]
        );
    }

    #[test]
    fn raw_html_targets() {
        let html = r#"<picture><source srcset="a.webp 1x, b.webp 2x"><img alt="x" src='img/a&amp;b.png'></picture> <a href=x.md>x</a><abbr href="no">"#;
        let got: Vec<_> = html_targets(html, &mut false).into_iter().map(|t| (t.value, t.image)).collect();
        let values: Vec<_> = got.iter().map(|g| (g.0.as_str(), g.1)).collect();
        assert_eq!(values, [("a.webp", true), ("b.webp", true), ("img/a&b.png", true), ("x.md", false)]);
        let ranges: Vec<_> = html_targets(html, &mut false).into_iter().map(|t| &html[t.range]).collect();
        assert_eq!(ranges, ["a.webp", "b.webp", "img/a&amp;b.png", "x.md"]);
    }

    #[test]
    fn raw_html_targets_in_comments_are_not_links() {
        let mut in_comment = false;
        let values = |h: &str, c: &mut bool| html_targets(h, c).into_iter().map(|t| t.value).collect::<Vec<_>>();
        assert_eq!(values("<!-- <img src=\"a.png\"> --><img src=\"b.png\"><!--", &mut in_comment), ["b.png"]);
        assert!(in_comment, "the comment goes on in the next piece");
        assert_eq!(values("<img src=\"c.png\">\n", &mut in_comment), Vec::<String>::new());
        assert_eq!(values("--> <a href=\"d.md\">", &mut in_comment), ["d.md"]);
        assert!(!in_comment);
    }
}
