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
            return Route::Redirect(format!("{path}/"));
        }
        let index = real.join("index.html");
        return if index.is_file() { Route::File(index) } else { Route::NotFound };
    }
    Route::File(real)
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

/// The error overlay: every error with its place, escaped.
pub fn overlay(errors: &[Diagnostic]) -> String {
    let esc = crate::parse::markdown::escape_attr;
    let mut s = String::from(
        "<div id=\"dossier-overlay\" role=\"alertdialog\" aria-label=\"Build errors\" style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,24,.94);color:#f3f3f3;font:14px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:2rem\">",
    );
    s.push_str(&format!(
        "<h2 style=\"color:#ff7b72;margin:0 0 1rem;font-size:1.2rem\">dossier: the last rebuild failed with {} error{}; showing the last good site</h2><ol style=\"padding-left:1.2rem\">",
        errors.len(),
        if errors.len() == 1 { "" } else { "s" }
    ));
    for d in errors {
        s.push_str(&format!(
            "<li style=\"margin:.6rem 0\"><b>{}</b>: {}[{}]: {}",
            esc(&d.location()),
            d.severity.as_str(),
            d.code,
            esc(&d.message)
        ));
        if let Some(h) = &d.help {
            s.push_str(&format!("<br><span style=\"color:#8ab4ff\">help: {}</span>", esc(h)));
        }
        s.push_str("</li>");
    }
    s.push_str("</ol><p style=\"color:#aaa\">Fix the files and save: this page reloads by itself.</p></div>");
    s
}

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
        assert!(s.contains("<script src=\"/kb/__dossier/live.js\"></script><div id=\"dossier-overlay\""));
        assert!(s.contains("a.md:3:4</b>: error[broken-link]: link `&lt;x&gt;` broken"));
        assert!(s.ends_with("</body></html>"));
        assert_eq!(mime(Path::new("a/pagefind.js")), "text/javascript; charset=utf-8");
    }
}
