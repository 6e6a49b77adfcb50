//! `dossier.toml`: the raw serde shape, its validation into `Config`, and the built-in defaults.

use crate::diag::{Code, Diagnostic, LineIndex};
use crate::model::{Kind, Status};
use serde::Deserialize;
use std::collections::BTreeMap;

pub const FILE_NAME: &str = "dossier.toml";

/// `dossier.toml` as written. Every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawConfig {
    title: Option<String>,
    base_url: Option<String>,
    output_dir: Option<String>,
    theme_dir: Option<String>,
    repo_url: Option<String>,
    edit_url: Option<String>,
    collections: Vec<RawCollection>,
    statuses: BTreeMap<String, String>,
    check: RawCheck,
    links: Vec<RawLinkPattern>,
    render: RawRender,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawCollection {
    path: String,
    kind: Option<String>,
    prefix: Option<String>,
    template: Option<String>,
    required_sections: Option<Vec<String>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawCheck {
    broken_links: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawLinkPattern {
    pattern: String,
    url: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawRender {
    highlight: Option<bool>,
    diagrams: Option<bool>,
}

/// A folder of documents of one kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Collection {
    /// Relative to the source folder, forward slashes, no trailing slash ("" for the root).
    pub path: String,
    pub kind: Kind,
    /// ID prefix for numbered documents (`ADR` → `ADR-0012`).
    pub prefix: Option<String>,
    /// The collection's template file name or path, relative to the collection.
    pub template: Option<String>,
    /// Sections every document must have (`None`: the defaults for the kind; empty: none).
    pub required_sections: Option<Vec<String>>,
    /// Where the collection came from (for messages): `dossier.toml`, `.adr-dir`, a folder name.
    pub origin: String,
}

/// Whether a broken link fails the build.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Level {
    #[default]
    Error,
    Warn,
}

/// A pattern that turns external ticket IDs into links (`PROJ-123` → URL template).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkPattern {
    pub pattern: String,
    pub url: String,
}

/// The validated configuration of one source folder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub title: String,
    pub base_url: Option<String>,
    pub output_dir: Option<String>,
    pub theme_dir: Option<String>,
    pub repo_url: Option<String>,
    pub edit_url: Option<String>,
    /// Collections from `dossier.toml`; when empty, discovery detects them.
    pub collections: Vec<Collection>,
    /// Extra status words (lower-case) mapped to normalised statuses.
    pub statuses: BTreeMap<String, Status>,
    pub broken_links: Level,
    pub links: Vec<LinkPattern>,
    pub highlight: bool,
    pub diagrams: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            title: "Knowledge base".to_string(),
            base_url: None,
            output_dir: None,
            theme_dir: None,
            repo_url: None,
            edit_url: None,
            collections: Vec::new(),
            statuses: BTreeMap::new(),
            broken_links: Level::Error,
            links: Vec::new(),
            highlight: true,
            diagrams: true,
        }
    }
}

const TOP_KEYS: &[&str] = &[
    "title",
    "base_url",
    "output_dir",
    "theme_dir",
    "repo_url",
    "edit_url",
    "collections",
    "statuses",
    "check",
    "links",
    "render",
];
const COLLECTION_KEYS: &[&str] = &["path", "kind", "prefix", "template", "required_sections"];
const CHECK_KEYS: &[&str] = &["broken_links"];
const LINK_KEYS: &[&str] = &["pattern", "url"];
const RENDER_KEYS: &[&str] = &["highlight", "diagrams"];

/// The outcome of reading `dossier.toml`: a config (defaults where invalid) and diagnostics.
/// Any `invalid-config` error makes the caller stop with exit code 2.
pub struct Loaded {
    pub config: Config,
    pub diagnostics: Vec<Diagnostic>,
}

/// Parses and validates the text of `dossier.toml`. Pure: `path` is only used in messages.
pub fn parse(text: &str, path: &str) -> Loaded {
    let mut diags = Vec::new();
    let lines = LineIndex::new(text);
    let at = |span: Option<std::ops::Range<usize>>| span.map_or((1, 1), |s| lines.line_col(text, s.start));
    let raw: RawConfig = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            let (line, col) = at(e.span());
            diags.push(
                Diagnostic::new(Code::InvalidConfig, path, line, col, e.message().trim().to_string())
                    .help("fix the TOML syntax or value; the README lists every key of dossier.toml"),
            );
            return Loaded { config: Config::default(), diagnostics: diags };
        }
    };
    // Unknown keys: warn, with the line of the key when it can be found.
    if let Ok(table) = toml::from_str::<toml::Table>(text) {
        let mut unknown = Vec::new();
        check_keys(&table, TOP_KEYS, "", &mut unknown);
        for (name, allowed) in [("check", CHECK_KEYS), ("render", RENDER_KEYS)] {
            if let Some(toml::Value::Table(t)) = table.get(name) {
                check_keys(t, allowed, &format!("{name}."), &mut unknown);
            }
        }
        for (name, allowed) in [("collections", COLLECTION_KEYS), ("links", LINK_KEYS)] {
            if let Some(toml::Value::Array(items)) = table.get(name) {
                for item in items {
                    if let toml::Value::Table(t) = item {
                        check_keys(t, allowed, &format!("{name}[]."), &mut unknown);
                    }
                }
            }
        }
        for key in unknown {
            let leaf = key.rsplit(['.']).next().unwrap_or(&key).to_string();
            let line = find_key_line(text, &leaf);
            diags.push(
                Diagnostic::new(
                    Code::UnknownConfigKey,
                    path,
                    line,
                    1,
                    format!("unknown key `{key}` in dossier.toml is ignored"),
                )
                .help("check the spelling; the README lists every key of dossier.toml"),
            );
        }
    }

    let mut config = Config::default();
    let invalid = |diags: &mut Vec<Diagnostic>, key: &str, message: String, help: &str| {
        let line = find_key_line(text, key);
        diags.push(Diagnostic::new(Code::InvalidConfig, path, line, 1, message).help(help.to_string()));
    };
    if let Some(t) = raw.title {
        config.title = t;
    }
    if let Some(url) = raw.base_url {
        match normalize_base_url(&url) {
            Ok(u) => config.base_url = Some(u),
            Err(m) => invalid(
                &mut diags,
                "base_url",
                m,
                "use an absolute URL such as \"https://org.github.io/repo/\" or a path such as \"/repo/\"",
            ),
        }
    }
    config.output_dir = raw.output_dir.filter(|s| !s.trim().is_empty());
    config.theme_dir = raw.theme_dir.filter(|s| !s.trim().is_empty());
    config.repo_url = raw.repo_url.map(|s| s.trim_end_matches('/').to_string());
    config.edit_url = raw.edit_url;
    for c in raw.collections {
        let path = clean_rel_path(&c.path);
        let kind = match c.kind.as_deref() {
            None => Kind::Page,
            Some(k) => match Kind::parse(k) {
                Some(kind) => kind,
                None => {
                    invalid(
                        &mut diags,
                        "kind",
                        format!("unknown collection kind \"{k}\" for `{}`", c.path),
                        "use kind = \"adr\", \"design\" or \"page\"",
                    );
                    continue;
                }
            },
        };
        if c.path.trim().is_empty() && kind != Kind::Page {
            invalid(
                &mut diags,
                "path",
                "a collection needs a `path`".to_string(),
                "set path to the folder, relative to dossier.toml, e.g. path = \"docs/adr\"",
            );
            continue;
        }
        let prefix = match c.prefix {
            Some(p) if !p.trim().is_empty() => Some(p.trim().to_string()),
            Some(_) => None,
            None if kind == Kind::Adr => Some("ADR".to_string()),
            None => None,
        };
        config.collections.push(Collection {
            path,
            kind,
            prefix,
            template: c.template,
            required_sections: c.required_sections,
            origin: FILE_NAME.to_string(),
        });
    }
    for (word, status) in raw.statuses {
        match Status::from_name(status.trim().to_ascii_lowercase().as_str()) {
            Some(s) => {
                config.statuses.insert(word.trim().to_lowercase(), s);
            }
            None => invalid(
                &mut diags,
                &word,
                format!("status \"{word}\" maps to \"{status}\", which is not a status"),
                "map it to one of draft, proposed, accepted, implemented, rejected, deprecated, superseded",
            ),
        }
    }
    match raw.check.broken_links.as_deref().map(str::trim) {
        None | Some("error") => {}
        Some("warn") | Some("warning") => config.broken_links = Level::Warn,
        Some(other) => invalid(
            &mut diags,
            "broken_links",
            format!("broken_links = \"{other}\" is not a level"),
            "use \"error\" (the default) or \"warn\"",
        ),
    }
    for l in raw.links {
        if l.pattern.trim().is_empty() || l.url.trim().is_empty() {
            invalid(
                &mut diags,
                "pattern",
                "a [[links]] entry needs both `pattern` and `url`".to_string(),
                "e.g. pattern = \"PROJ-(\\\\d+)\", url = \"https://tracker.example/browse/PROJ-$1\"",
            );
            continue;
        }
        if let Err(e) = regex::Regex::new(&l.pattern) {
            invalid(
                &mut diags,
                "pattern",
                format!(
                    "[[links]] pattern `{}` is not a valid regular expression: {}",
                    l.pattern,
                    e.to_string().lines().last().unwrap_or("")
                ),
                "write a regular expression such as \"PROJ-(\\\\d+)\", with $1 in url for the group",
            );
            continue;
        }
        config.links.push(LinkPattern { pattern: l.pattern, url: l.url });
    }
    if let Some(h) = raw.render.highlight {
        config.highlight = h;
    }
    if let Some(d) = raw.render.diagrams {
        config.diagrams = d;
    }
    Loaded { config, diagnostics: diags }
}

fn check_keys(table: &toml::Table, allowed: &[&str], prefix: &str, out: &mut Vec<String>) {
    for key in table.keys() {
        if !allowed.contains(&key.as_str()) {
            out.push(format!("{prefix}{key}"));
        }
    }
}

/// The line on which `key = ` first appears, or 1.
fn find_key_line(text: &str, key: &str) -> u32 {
    text.lines()
        .position(|l| {
            let l = l.trim_start().trim_start_matches('"');
            l.starts_with(key) && l[key.len()..].trim_start().trim_start_matches('"').trim_start().starts_with('=')
        })
        .map_or(1, |i| i as u32 + 1)
}

/// Trims `./`, trailing slashes and backslashes from a relative folder path.
pub fn clean_rel_path(p: &str) -> String {
    let p = p.trim().replace('\\', "/");
    let mut parts: Vec<&str> = Vec::new();
    for part in p.split('/') {
        match part {
            "" | "." => {}
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// Validates a base URL and makes it end with `/`. Accepts absolute http(s) URLs and `/path/`.
pub fn normalize_base_url(url: &str) -> Result<String, String> {
    let url = url.trim();
    if url.is_empty() {
        return Err("base_url is empty".to_string());
    }
    let ok = url.starts_with('/') || url.starts_with("https://") || url.starts_with("http://");
    if !ok || url.contains(char::is_whitespace) {
        return Err(format!("base_url \"{url}\" is not an absolute URL or path"));
    }
    let mut u = url.split(['?', '#']).next().unwrap_or(url).to_string();
    if !u.ends_with('/') {
        u.push('/');
    }
    Ok(u)
}

/// The path part of a base URL, always starting and ending with `/` (`/` when none is set).
pub fn base_path(base_url: Option<&str>) -> String {
    let Some(url) = base_url else {
        return "/".to_string();
    };
    let path = if let Some(rest) = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")) {
        rest.find('/').map_or("/", |i| &rest[i..])
    } else {
        url
    };
    let mut p = path.to_string();
    if !p.ends_with('/') {
        p.push('/');
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_is_defaults() {
        let l = parse("", "dossier.toml");
        assert!(l.diagnostics.is_empty());
        assert_eq!(l.config, Config::default());
    }

    #[test]
    fn full_schema() {
        let text = r#"
title = "KB"
base_url = "https://org.github.io/kb"
output_dir = "public"
repo_url = "https://github.com/org/kb/"
[[collections]]
path = "./docs/rfcs/"
kind = "design"
prefix = "RFC"
required_sections = ["Goals"]
[[collections]]
path = "docs/adr"
kind = "adr"
template = "template.md"
[statuses]
"In Flight" = "proposed"
[check]
broken_links = "warn"
[[links]]
pattern = "PROJ-\\d+"
url = "https://t.example/{0}"
[render]
highlight = false
"#;
        let l = parse(text, "dossier.toml");
        assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
        let c = l.config;
        assert_eq!(c.title, "KB");
        assert_eq!(c.base_url.as_deref(), Some("https://org.github.io/kb/"));
        assert_eq!(c.repo_url.as_deref(), Some("https://github.com/org/kb"));
        assert_eq!(c.collections[0].path, "docs/rfcs");
        assert_eq!(c.collections[0].prefix.as_deref(), Some("RFC"));
        assert_eq!(c.collections[1].prefix.as_deref(), Some("ADR"));
        assert_eq!(c.statuses.get("in flight"), Some(&Status::Proposed));
        assert_eq!(c.broken_links, Level::Warn);
        assert!(!c.highlight && c.diagrams);
        assert_eq!(base_path(c.base_url.as_deref()), "/kb/");
    }

    #[test]
    fn syntax_error_has_line() {
        let l = parse("title = \"x\"\n[check\n", "dossier.toml");
        assert_eq!(l.diagnostics.len(), 1);
        assert_eq!(l.diagnostics[0].code, Code::InvalidConfig);
        assert_eq!(l.diagnostics[0].line, 2);
    }

    #[test]
    fn unknown_keys_warn_and_bad_values_error() {
        let l =
            parse("titel = \"x\"\n[check]\nbroken_links = \"sometimes\"\n[render]\nmermaid = true\n", "dossier.toml");
        let codes: Vec<_> = l.diagnostics.iter().map(|d| (d.code, d.line)).collect();
        assert!(codes.contains(&(Code::UnknownConfigKey, 1)), "{codes:?}");
        assert!(codes.contains(&(Code::UnknownConfigKey, 5)), "{codes:?}");
        assert!(codes.contains(&(Code::InvalidConfig, 3)), "{codes:?}");
    }

    #[test]
    fn bad_status_mapping_and_kind() {
        let l =
            parse("[statuses]\nwip = \"half-done\"\n[[collections]]\npath = \"x\"\nkind = \"blog\"\n", "dossier.toml");
        assert_eq!(l.diagnostics.iter().filter(|d| d.code == Code::InvalidConfig).count(), 2);
    }
}
