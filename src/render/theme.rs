//! Theme layering: the default theme is embedded in the binary; `theme_dir` overrides single
//! templates (or single blocks, by extending `default/<name>`) and static files.

use std::collections::BTreeMap;
use std::path::Path;

macro_rules! embedded {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!("../../themes/default/", $name)))),*]
    };
}

/// The default theme's templates, by name.
const TEMPLATES: &[(&str, &str)] = embedded!(
    "templates/base.html",
    "templates/doc.html",
    "templates/home.html",
    "templates/log.html",
    "templates/designs.html",
    "templates/list.html",
    "templates/terms.html",
    "templates/waiting.html",
    "templates/404.html",
    "templates/search.html",
    "templates/timeline.html",
    "templates/graph.html",
    "templates/print.html",
);

/// The default theme's static files, copied to `assets/`.
const STATIC: &[(&str, &str)] = embedded!(
    "static/style.css",
    "static/dossier.js",
    "static/search.js",
    "static/passages.js",
    "static/search-box.js",
    "static/favicon.svg"
);

/// The search scripts, published without their comment lines and indentation (ADR-0030): a
/// first query loads them, within its byte budget. None holds a template literal or a string
/// over several lines (a test checks), so no string changes.
const COMPACTED: &[&str] = &["search.js", "passages.js", "search-box.js"];

/// `src` without whole-line `//` comments, blank lines and indentation. Line breaks stay, so
/// automatic semicolon insertion sees the same code.
fn compact_js(src: &str) -> String {
    let mut out = String::with_capacity(src.len());
    for line in src.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with("//")) {
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// A loaded theme: Tera with every template, and the static files to publish.
pub struct Theme {
    pub tera: tera::Tera,
    /// Output path under `assets/` → bytes.
    pub assets: BTreeMap<String, Vec<u8>>,
    /// A hash of the templates' sources: pages rendered with other templates are not reused.
    pub hash: u64,
}

/// The icon files a theme's `static/` may hold, preferred in this order, with their types; the
/// default theme has `favicon.svg`.
const FAVICONS: &[(&str, &str)] =
    &[("favicon.ico", "image/x-icon"), ("favicon.png", "image/png"), ("favicon.svg", "image/svg+xml")];

impl Theme {
    /// The site's icon under `assets/` and its MIME type: the theme's own when it has one.
    pub fn favicon(&self) -> (&'static str, &'static str) {
        FAVICONS.iter().copied().find(|(f, _)| self.assets.contains_key(*f)).unwrap_or(FAVICONS[2])
    }
}

/// A template or file of a user theme that could not be used.
#[derive(Debug)]
pub struct ThemeError {
    pub path: String,
    pub message: String,
}

/// Loads the default theme, layered under `theme_dir` when given.
pub fn load(theme_dir: Option<&Path>) -> Result<Theme, ThemeError> {
    let mut templates: Vec<(String, String)> = Vec::new();
    for (path, text) in TEMPLATES {
        let name = path.trim_start_matches("templates/");
        templates.push((name.to_string(), text.to_string()));
        templates.push((format!("default/{name}"), text.to_string()));
    }
    let mut assets: BTreeMap<String, Vec<u8>> = STATIC
        .iter()
        .map(|(p, t)| {
            let name = p.trim_start_matches("static/");
            let bytes = if COMPACTED.contains(&name) { compact_js(t).into_bytes() } else { t.as_bytes().to_vec() };
            (name.to_string(), bytes)
        })
        .collect();
    if let Some(dir) = theme_dir {
        let tdir = dir.join("templates");
        if tdir.is_dir() {
            for entry in walkdir::WalkDir::new(&tdir).sort_by_file_name().into_iter().flatten() {
                if !entry.file_type().is_file() {
                    continue;
                }
                let rel = entry.path().strip_prefix(&tdir).unwrap_or(entry.path());
                let name = rel.to_string_lossy().replace('\\', "/");
                let text = std::fs::read_to_string(entry.path())
                    .map_err(|e| ThemeError { path: entry.path().display().to_string(), message: e.to_string() })?;
                templates.retain(|(n, _)| *n != name);
                templates.push((name, text));
            }
        }
        let sdir = dir.join("static");
        if sdir.is_dir() {
            for entry in walkdir::WalkDir::new(&sdir).sort_by_file_name().into_iter().flatten() {
                if entry.file_type().is_file() {
                    let rel =
                        entry.path().strip_prefix(&sdir).unwrap_or(entry.path()).to_string_lossy().replace('\\', "/");
                    let bytes = std::fs::read(entry.path())
                        .map_err(|e| ThemeError { path: entry.path().display().to_string(), message: e.to_string() })?;
                    assets.insert(rel, bytes);
                }
            }
        }
    }
    let mut tera = tera::Tera::default();
    tera.set_escape_fn(escape_html);
    tera.register_filter("local_date", local_date);
    tera.register_filter("count", count);
    tera.add_raw_templates(templates.iter().map(|(n, t)| (n.as_str(), t.as_str()))).map_err(|e| ThemeError {
        path: theme_dir.map_or("themes/default".to_string(), |d| d.join("templates").display().to_string()),
        message: error_chain(&e),
    })?;
    let hash = crate::fx_hash(&templates);
    Ok(Theme { tera, assets, hash })
}

/// `{{ date | local_date(lang=site.lang) }}`: an ISO date as the page's language shows it
/// (`strings::Ui::date`); for `<time>` text whose `datetime` keeps the ISO form.
fn local_date(date: &str, kwargs: tera::Kwargs, _: &tera::State) -> tera::TeraResult<String> {
    let lang = kwargs.get::<&str>("lang")?.unwrap_or("en");
    let none = BTreeMap::new();
    Ok(super::strings::Ui::new(lang, &none).date(date))
}

/// `{{ site.t.key | count(n=rows | length, lang=site.lang) }}`: an interface string for a count,
/// its `one|other` form for `n` in the page's language with `{n}` replaced
/// (`strings::plural`).
fn count(text: &str, kwargs: tera::Kwargs, _: &tera::State) -> tera::TeraResult<String> {
    let n = kwargs.must_get::<u64>("n")?;
    let lang = kwargs.get::<&str>("lang")?.unwrap_or("en");
    Ok(super::strings::plural(text, n, lang))
}

/// Tera's autoescaping, byte for byte (`&`, `<`, `>`, `"` and `'`), but writing the runs between
/// special characters whole: Tera's own writes each byte with a call through `dyn Write`, which
/// was 7% of the instructions of a build of 10,000 documents. (Tera's `fast_escape` feature
/// would leave `'` alone, which a theme's single-quoted attribute needs escaped.)
fn escape_html(input: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let bytes = input.as_bytes();
    let mut done = 0;
    for (i, b) in bytes.iter().enumerate() {
        let entity: &[u8] = match b {
            b'&' => b"&amp;",
            b'<' => b"&lt;",
            b'>' => b"&gt;",
            b'"' => b"&quot;",
            b'\'' => b"&#39;",
            _ => continue,
        };
        out.write_all(&bytes[done..i])?;
        out.write_all(entity)?;
        done = i + 1;
    }
    out.write_all(&bytes[done..])
}

/// A Tera error with its causes, on one line each.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut cur = e.source();
    while let Some(s) = cur {
        msg.push_str(": ");
        msg.push_str(&s.to_string());
        cur = s.source();
    }
    msg
}

#[cfg(test)]
mod tests {
    use crate::render::contrast::ratio;

    #[test]
    fn search_scripts_lose_comment_lines_and_indentation_but_no_code() {
        let src = "// head\n  var a = 1; // kept\n\n    // gone\n  if (a) {\n    f(\"//x\");\n  }\n";
        assert_eq!(super::compact_js(src), "var a = 1; // kept\nif (a) {\nf(\"//x\");\n}\n");
        for (path, text) in super::STATIC.iter().filter(|(p, _)| p.ends_with(".js")) {
            let name = path.trim_start_matches("static/");
            if !super::COMPACTED.contains(&name) {
                continue;
            }
            // Trimming a line would change a template literal or a continued string.
            for line in text.lines().filter(|l| !l.trim().starts_with("//")) {
                assert!(!line.contains('`') && !line.ends_with('\\'), "{name}: {line}");
            }
            let out = super::compact_js(text);
            assert!(out.len() * 10 < text.len() * 9, "{name}: {} of {} bytes", out.len(), text.len());
            let code = |s: &str| s.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with("//")).count();
            assert_eq!(code(&out), code(text), "{name}");
        }
    }

    #[test]
    fn autoescaping_writes_what_teras_own_does() {
        for input in ["", "plain", "<a href=\"x\">Tom & Jerry's</a>", "''", "é <ü> & 日本\"", "&amp;"] {
            let (mut ours, mut teras) = (Vec::new(), Vec::new());
            super::escape_html(input, &mut ours).unwrap();
            tera::escape_html(input, &mut teras).unwrap();
            assert_eq!(String::from_utf8(ours).unwrap(), String::from_utf8(teras).unwrap(), "{input}");
        }
    }

    /// The `--name: #hex` variables of the first rule whose selector is `selector`.
    fn vars(css: &str, selector: &str) -> std::collections::HashMap<String, String> {
        let start = css.find(&format!("{selector} {{")).unwrap_or_else(|| panic!("no {selector}"));
        let open = start + css[start..].find('{').unwrap() + 1;
        let body = &css[open..open + css[open..].find('}').unwrap()];
        body.split(';')
            .filter_map(|d| {
                let (k, v) = d.split_once(':')?;
                let k = k.trim().rsplit(['{', ' ', '\n']).next()?.to_string();
                let v = v.trim().to_string();
                (k.starts_with("--") && v.starts_with('#')).then_some((k, v))
            })
            .collect()
    }

    #[test]
    fn status_colours_meet_wcag_aa_in_both_modes() {
        let css = super::STATIC.iter().find(|(p, _)| *p == "static/style.css").unwrap().1;
        for selector in [":root", ":root[data-theme=dark]"] {
            let v = vars(css, selector);
            for name in [
                "draft",
                "proposed",
                "accepted",
                "implemented",
                "rejected",
                "deprecated",
                "superseded",
                "unknown",
                "muted",
                "accent",
                "fg",
            ] {
                let fg = &v[&format!("--{name}")];
                for bg in ["--bg", "--soft"] {
                    let ratio = ratio(fg, &v[bg]).unwrap();
                    assert!(ratio >= 4.5, "{selector} --{name} {fg} on {bg} {}: {ratio:.2} < 4.5", v[bg]);
                }
            }
        }
    }
}
