//! The preview's static file server: safe path mapping (pure), MIME types, redirects, 404s,
//! HEAD, no caching, the live-reload script and the error overlay injected into HTML.

use crate::diag::Diagnostic;
use std::path::{Path, PathBuf};

/// Where a request path leads.
#[derive(Debug, PartialEq, Eq)]
pub enum Route {
    /// A file inside the output folder.
    File(PathBuf),
    /// A folder requested without its trailing slash: redirect here.
    Redirect(String),
    /// The live-reload event stream.
    Events,
    /// The live-reload script.
    Script,
    /// Nothing there: serve the site's 404 page.
    NotFound,
    /// A malformed or hostile path (`..`, NUL, backslashes, bad escapes).
    BadRequest,
}

/// Prefix of dossier's own endpoints, under the base path.
pub const ENDPOINT: &str = "__dossier/";

/// Maps a request URL to a route. `base` is the base path (`/` or `/kb/`); `out` the output
/// folder, already canonicalised. Only existence checks touch the file system.
pub fn route(url: &str, base: &str, out: &Path) -> Route {
    let raw = url.split(['?', '#']).next().unwrap_or("");
    let Some(path) = percent_decode(raw) else { return Route::BadRequest };
    if !path.starts_with('/') || path.contains('\0') || path.contains('\\') {
        return Route::BadRequest;
    }
    let rest = if let Some(r) = path.strip_prefix(base) {
        r
    } else if path == "/" || path == base.trim_end_matches('/') {
        return Route::Redirect(base.to_string());
    } else {
        return Route::NotFound;
    };
    match rest {
        r if r == format!("{ENDPOINT}events") => return Route::Events,
        r if r == format!("{ENDPOINT}live.js") => return Route::Script,
        _ => {}
    }
    let mut target = out.to_path_buf();
    for seg in rest.split('/') {
        match seg {
            "" | "." => {}
            ".." => return Route::BadRequest,
            s if s.contains(':') => return Route::BadRequest,
            s => target.push(s),
        }
    }
    // Symlinks may not lead out of the output folder.
    let Ok(real) = target.canonicalize() else { return Route::NotFound };
    if !real.starts_with(out) {
        return Route::NotFound;
    }
    if real.is_dir() {
        if !path.ends_with('/') {
            // Never `//tags/`: a browser reads that as another host (a protocol-relative URL).
            return Route::Redirect(format!("{}/", collapse_slashes(&path)));
        }
        let index = real.join("index.html");
        return if index.is_file() { Route::File(index) } else { Route::NotFound };
    }
    Route::File(real)
}

/// Whether `url` asks for a page (a folder or an `.html` file, not a stylesheet or an image)
/// and not one of dossier's own endpoints.
pub fn wants_page(url: &str) -> bool {
    let path = url.split(['?', '#']).next().unwrap_or("");
    if path.contains(ENDPOINT) {
        return false;
    }
    let last = path.rsplit('/').next().unwrap_or("");
    last.is_empty() || last.ends_with(".html") || !last.contains('.')
}

/// `path` with each run of slashes made one: `//tags` → `/tags`.
fn collapse_slashes(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for c in path.chars() {
        if !(c == '/' && out.ends_with('/')) {
            out.push(c);
        }
    }
    out
}

/// Strict percent-decoding: `None` for malformed escapes or invalid UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let v = u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?;
            out.push(v);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The Content-Type for a file name.
pub fn mime(path: &Path) -> &'static str {
    let ext = path.extension().map(|e| e.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "txt" | "md" => "text/plain; charset=utf-8",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        _ => "application/octet-stream",
    }
}

/// The live-reload script, with the base path filled in.
pub fn script(base: &str) -> String {
    include_str!("live.js").replace("__BASE__", base)
}

/// Inserts the live-reload script (and the overlay, when the last rebuild had errors) before
/// `</body>`. `build` output never contains either: they exist only in responses.
pub fn inject(html: &[u8], base: &str, errors: &[Diagnostic]) -> Vec<u8> {
    let text = String::from_utf8_lossy(html);
    let mut extra = format!("<script src=\"{base}{ENDPOINT}live.js\"></script>");
    if !errors.is_empty() {
        extra.push_str(&overlay(errors));
    }
    let pos = text.rfind("</body>").unwrap_or(text.len());
    let mut out = String::with_capacity(text.len() + extra.len());
    out.push_str(&text[..pos]);
    out.push_str(&extra);
    out.push_str(&text[pos..]);
    out.into_bytes()
}

/// The error overlay: every error with its place, escaped. It can be collapsed to a badge
/// (`live.js` remembers that for the tab); the badge still says how many errors there are.
pub fn overlay(errors: &[Diagnostic]) -> String {
    let n = errors.len();
    let plural = if n == 1 { "" } else { "s" };
    let mut s = String::from(OVERLAY_STYLE);
    s.push_str(&format!(
        "<div id=\"dossier-overlay\"><div class=\"dossier-panel\" role=\"alertdialog\" aria-label=\"Build errors\">\
         <button type=\"button\" id=\"dossier-collapse\" aria-controls=\"dossier-overlay\">Collapse to a badge</button>\
         <h2>dossier: the last rebuild failed with {n} error{plural}; showing the last good site</h2>"
    ));
    s.push_str(&error_list(errors));
    s.push_str(&format!(
        "<p class=\"dossier-note\">Fix the files and save: this page reloads by itself.</p></div>\
         <button type=\"button\" id=\"dossier-badge\" aria-label=\"{n} error{plural}: show the list\">{n} error{plural}</button></div>"
    ));
    s
}

/// The page every HTML request gets while no build has succeeded yet: the error list itself,
/// with the live-reload script, so the browser shows what to fix, never a bare 404.
pub fn first_failure(base: &str, errors: &[Diagnostic]) -> Vec<u8> {
    let n = errors.len();
    let plural = if n == 1 { "" } else { "s" };
    let mut s = String::from(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>dossier: the build failed</title>",
    );
    s.push_str(OVERLAY_STYLE);
    s.push_str(&format!(
        "</head><body class=\"dossier-first-failure\"><main id=\"dossier-errors\"><h1>dossier: the first build failed with {n} error{plural}; there is no site to show yet</h1>"
    ));
    s.push_str(&error_list(errors));
    s.push_str("<p class=\"dossier-note\">Fix the files and save: this page reloads by itself.</p></main>");
    s.push_str(&format!("<script src=\"{base}{ENDPOINT}live.js\"></script></body></html>"));
    s.into_bytes()
}

/// The errors as an ordered list: place, severity, code, message and help, escaped.
fn error_list(errors: &[Diagnostic]) -> String {
    let esc = crate::parse::markdown::escape_attr;
    let mut s = String::from("<ol class=\"dossier-errors\">");
    for d in errors {
        s.push_str(&format!(
            "<li><b>{}</b>: {}[{}]: {}",
            esc(&d.location()),
            d.severity.as_str(),
            d.code,
            esc(&d.message)
        ));
        if let Some(h) = &d.help {
            s.push_str(&format!("<br><span class=\"dossier-help\">help: {}</span>", esc(h)));
        }
        s.push_str("</li>");
    }
    s.push_str("</ol>");
    s
}

/// The overlay's and the error page's styles; `html.dossier-collapsed` (set by `live.js` before
/// the overlay is parsed, so it never flashes) shows the badge instead of the panel.
const OVERLAY_STYLE: &str = "<style>\
.dossier-panel,#dossier-errors{font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;color:#f3f3f3;background:rgba(20,20,24,.96);padding:2rem;box-sizing:border-box}\
.dossier-panel{position:fixed;inset:0;z-index:2147483647;overflow:auto}\
#dossier-errors{min-height:100vh;margin:0}body.dossier-first-failure{margin:0;background:#141418}\
.dossier-panel h2,#dossier-errors h1{color:#ff7b72;margin:0 0 1rem;font-size:1.2rem}\
.dossier-errors{padding-left:1.2rem}.dossier-errors li{margin:.6rem 0}.dossier-help{color:#8ab4ff}.dossier-note{color:#bbb}\
#dossier-collapse{float:right;font:inherit;color:#f3f3f3;background:#33333b;border:1px solid #777;border-radius:4px;padding:.2rem .6rem;cursor:pointer}\
#dossier-badge{display:none;position:fixed;right:1rem;bottom:1rem;z-index:2147483647;font:600 13px/1 system-ui,sans-serif;color:#fff;background:#b3261e;border:0;border-radius:999px;padding:.6rem .9rem;cursor:pointer;box-shadow:0 2px 8px rgba(0,0,0,.4)}\
html.dossier-collapsed .dossier-panel{display:none}html.dossier-collapsed #dossier-badge{display:block}\
#dossier-collapse:focus-visible,#dossier-badge:focus-visible{outline:3px solid #8ab4ff;outline-offset:2px}\
</style>";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_and_traversal() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().canonicalize().unwrap();
        std::fs::create_dir_all(out.join("kb/a")).unwrap();
        std::fs::write(out.join("kb/a/index.html"), "x").unwrap();
        std::fs::write(out.join("kb/s p.css"), "x").unwrap();
        let r = |u: &str| route(u, "/", &out);
        assert_eq!(r("/kb/a/"), Route::File(out.join("kb/a/index.html")));
        assert_eq!(r("/kb/a/?x=1"), Route::File(out.join("kb/a/index.html")));
        assert_eq!(r("/kb/a"), Route::Redirect("/kb/a/".into()));
        // Never a protocol-relative `//kb/a/`, even when encoded.
        assert_eq!(r("//kb/a"), Route::Redirect("/kb/a/".into()));
        assert_eq!(r("/%2Fkb//a"), Route::Redirect("/kb/a/".into()));
        assert_eq!(r("/kb/s%20p.css"), Route::File(out.join("kb/s p.css")));
        assert_eq!(r("/kb/missing"), Route::NotFound);
        assert_eq!(r("/__dossier/events"), Route::Events);
        for bad in [
            "/../etc/passwd",
            "/kb/%2e%2e/%2e%2e/etc/passwd",
            "/kb/..%2f..%2fetc",
            "/kb\\..\\x",
            "/kb/%00",
            "/%zz",
            "/kb/c:/x",
        ] {
            assert_eq!(r(bad), Route::BadRequest, "{bad}");
        }
        // Under a base path.
        let b = |u: &str| route(u, "/kb/", &out);
        assert_eq!(b("/"), Route::Redirect("/kb/".into()));
        assert_eq!(b("/kb"), Route::Redirect("/kb/".into()));
        assert_eq!(b("/kb/kb/a/"), Route::File(out.join("kb/a/index.html")));
        assert_eq!(b("/other/"), Route::NotFound);
        assert_eq!(b("/kb/__dossier/live.js"), Route::Script);
    }

    #[test]
    fn symlinks_out_are_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(tmp.path().join("secret.txt"), "s").unwrap();
        std::os::unix::fs::symlink(tmp.path().join("secret.txt"), out.join("link.txt")).unwrap();
        let out = out.canonicalize().unwrap();
        assert_eq!(route("/link.txt", "/", &out), Route::NotFound);
    }

    #[test]
    fn injection_and_overlay_escape() {
        let d = crate::diag::Diagnostic::new(crate::diag::Code::BrokenLink, "a.md", 3, 4, "link `<x>` broken");
        let html = inject(b"<html><body><p>x</p></body></html>", "/kb/", &[d]);
        let s = String::from_utf8(html).unwrap();
        assert!(s.contains("<script src=\"/kb/__dossier/live.js\"></script><style>"), "{s}");
        assert!(s.contains("<div id=\"dossier-overlay\">") && s.contains(">1 error</button>"), "{s}");
        assert!(s.contains("a.md:3:4</b>: error[broken-link]: link `&lt;x&gt;` broken"));
        assert!(s.ends_with("</body></html>"));
        assert_eq!(mime(Path::new("a/pagefind.js")), "text/javascript; charset=utf-8");
    }
}
