//! URL helpers (issue 20): which URLs from metadata a page may link to, and file names
//! percent-encoded into URLs.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use std::borrow::Cow;

/// The characters of a file path that cannot stand as they are in a URL's path (besides
/// controls and non-ASCII, always encoded): `?` and `#` would start a query or fragment, `%` an
/// escape, and the rest are not allowed in a URL.
const PATH: &AsciiSet =
    &CONTROLS.add(b' ').add(b'"').add(b'#').add(b'%').add(b'<').add(b'>').add(b'?').add(b'`').add(b'{').add(b'}');
const PATH_MORE: &AsciiSet = &PATH.add(b'\\').add(b'^').add(b'|').add(b'[').add(b']').add(b'\'');

/// A site-relative path made from file names (`notes/a?b/`), percent-encoded for a URL
/// (`notes/a%3Fb/`): for links, the sitemap, the feed and `edit_url`'s `{path}`. The preview
/// server decodes it back.
pub fn encode_path(path: &str) -> Cow<'_, str> {
    utf8_percent_encode(path, PATH_MORE).into()
}

/// Whether `url` may be a link's target: an `http`, `https` or `mailto` URL, or a relative
/// path or fragment. Anything else with a scheme (`javascript:`, `data:`, `vbscript:`, `file:`…)
/// is refused. Browsers drop tabs and newlines and ignore leading spaces and control
/// characters before reading a scheme, and so does this check.
pub fn safe_scheme(url: &str) -> bool {
    let plain: String =
        url.trim_start_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    let Some(colon) = plain.find(':') else { return true };
    // A colon after the first `/`, `?` or `#` is part of a path, query or fragment.
    if plain[..colon].contains(['/', '?', '#']) {
        return true;
    }
    let scheme = plain[..colon].to_ascii_lowercase();
    matches!(scheme.as_str(), "http" | "https" | "mailto")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_percent_encoded_slashes_kept() {
        assert_eq!(encode_path("notes/a?b/"), "notes/a%3Fb/");
        assert_eq!(encode_path("n/#1 100% done/"), "n/%231%20100%25%20done/");
        assert_eq!(encode_path("café/ü.md"), "caf%C3%A9/%C3%BC.md");
        assert_eq!(encode_path("plain/path-1_x.y/"), "plain/path-1_x.y/");
    }

    #[test]
    fn only_web_and_mail_schemes_or_relative_urls_are_safe() {
        for ok in ["https://e.x/a", "HTTP://e.x", "mailto:a@e.x", "../adr/0001.md", "#top", "a/b:c", "?q=a:b", ""] {
            assert!(safe_scheme(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            " JavaScript:alert(1)",
            "java\tscript:x",
            "\u{1}javascript:x",
            "data:text/html,x",
            "vbscript:x",
            "file:///etc/passwd",
        ] {
            assert!(!safe_scheme(bad), "{bad}");
        }
    }
}
