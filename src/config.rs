//! `dossier.toml`: the raw serde shape, its validation into `Config`, and the built-in defaults.

use crate::diag::{Code, Diagnostic, LineIndex};
use crate::model::{Kind, Status};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

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
    review: RawReview,
    language: Option<String>,
    strings: BTreeMap<String, String>,
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
    max_file_size: Option<toml::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct RawReview {
    stale_after: Option<String>,
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
    llms: Option<bool>,
    markdown_pages: Option<bool>,
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
    /// `[review] stale_after`: a proposal or draft whose status has not changed for this many
    /// days before HEAD's commit is a `stale-proposal` warning; `None` (the default): off.
    pub stale_after_days: Option<u32>,
    /// Markdown files larger than this many bytes are not read (`[check] max_file_size`).
    pub max_file_size: u64,
    pub links: Vec<LinkPattern>,
    pub highlight: bool,
    pub diagrams: bool,
    /// `llms.txt` and `llms-full.txt` at the site root (`[render] llms`, on by default).
    pub llms: bool,
    /// Each page's Markdown beside it, `…/index.md` (`[render] markdown_pages`, off by default).
    pub markdown_pages: bool,
    /// The site's language (`language`, default `en`): the search index's stemmer for
    /// documents without a `lang` key.
    pub language: String,
    /// `[strings]`: the default theme's interface strings replaced by key (`render::strings`).
    pub strings: BTreeMap<String, String>,
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
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            stale_after_days: None,
            links: Vec::new(),
            highlight: true,
            diagrams: true,
            llms: true,
            markdown_pages: false,
            language: "en".to_string(),
            strings: BTreeMap::new(),
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
    "review",
    "language",
    "strings",
];
const COLLECTION_KEYS: &[&str] = &["path", "kind", "prefix", "template", "required_sections"];
const CHECK_KEYS: &[&str] = &["broken_links", "max_file_size"];
/// `[check] max_file_size` when unset: 10 MB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1000 * 1000;
const LINK_KEYS: &[&str] = &["pattern", "url"];
const RENDER_KEYS: &[&str] = &["highlight", "diagrams", "llms", "markdown_pages"];
const REVIEW_KEYS: &[&str] = &["stale_after"];

/// The outcome of reading `dossier.toml`: a config (defaults where invalid) and diagnostics.
/// Any `invalid-config` error makes the caller stop with exit code 2.
pub struct Loaded {
    pub config: Config,
    pub diagnostics: Vec<Diagnostic>,
    /// Where the keys that `check_folders` points at are written.
    pub places: Places,
}

/// The 1-based lines of the keys in `dossier.toml` that the folder checks point at.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Places {
    pub theme_dir: Option<u32>,
    /// One per entry of `Config::collections`, in order.
    pub collections: Vec<CollectionPlaces>,
}

/// The lines of one `[[collections]]` entry's keys (the entry's first key when `path` is absent).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CollectionPlaces {
    pub path: u32,
    pub prefix: Option<u32>,
    pub kind: Option<u32>,
}

/// The lines of the top-level keys and of each `[[collections]]` entry's keys, from the TOML
/// parser's spans (empty when the text does not parse).
#[derive(Default)]
struct KeyLines {
    top: BTreeMap<String, u32>,
    collections: Vec<BTreeMap<String, u32>>,
}

impl KeyLines {
    fn new(text: &str) -> KeyLines {
        let mut out = KeyLines::default();
        let Ok(doc) = toml::de::DeTable::parse(text) else {
            return out;
        };
        let lines = LineIndex::new(text);
        for (key, value) in doc.get_ref().iter() {
            out.top.insert(key.get_ref().to_string(), lines.line(key.span().start));
            if key.get_ref() != "collections" {
                continue;
            }
            for item in value.get_ref().as_array().map(|a| a.iter()).into_iter().flatten() {
                let keys = item.get_ref().as_table().map(|t| t.iter()).into_iter().flatten();
                out.collections
                    .push(keys.map(|(k, _)| (k.get_ref().to_string(), lines.line(k.span().start))).collect());
            }
        }
        out
    }

    /// The places of the `i`th `[[collections]]` entry as written.
    fn collection(&self, i: usize) -> CollectionPlaces {
        let Some(keys) = self.collections.get(i) else {
            return CollectionPlaces { path: 1, prefix: None, kind: None };
        };
        let first = keys.values().min().copied().unwrap_or(1);
        CollectionPlaces {
            path: keys.get("path").copied().unwrap_or(first),
            prefix: keys.get("prefix").copied(),
            kind: keys.get("kind").copied(),
        }
    }
}

/// Parses and validates the text of `dossier.toml`. Pure: `path` is only used in messages.
pub fn parse(text: &str, path: &str) -> Loaded {
    let mut diags = Vec::new();
    let lines = LineIndex::new(text);
    let at = |span: Option<std::ops::Range<usize>>| span.map_or((1, 1), |s| lines.line_col(text, s.start));
    let raw: RawConfig = match toml::from_str(text) {
        Ok(raw) => raw,
        Err(e) => {
            // A type error: every key's, not only the first. A syntax error: the one.
            let each = toml::from_str::<toml::Table>(text).map(|t| type_errors(&t, text, path)).unwrap_or_default();
            if each.is_empty() {
                let (line, col) = at(e.span());
                diags.push(
                    Diagnostic::new(Code::InvalidConfig, path, line, col, e.message().trim().to_string())
                        .help("fix the TOML syntax or value; the README lists every key of dossier.toml"),
                );
            }
            diags.extend(each);
            return Loaded { config: Config::default(), diagnostics: diags, places: Places::default() };
        }
    };
    let keys = KeyLines::new(text);
    let mut places = Places { theme_dir: keys.top.get("theme_dir").copied(), collections: Vec::new() };
    // Unknown keys: warn, with the line of the key when it can be found.
    if let Ok(table) = toml::from_str::<toml::Table>(text) {
        let mut unknown = Vec::new();
        check_keys(&table, TOP_KEYS, "", &mut unknown);
        for (name, allowed) in [("check", CHECK_KEYS), ("render", RENDER_KEYS), ("review", REVIEW_KEYS)] {
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
    // A `javascript:` (or `data:`…) URL never becomes the pages' "Edit" link (issue 20).
    for (key, value) in [("repo_url", &mut config.repo_url), ("edit_url", &mut config.edit_url)] {
        if let Some(u) = value.take_if(|u| !crate::render::url::safe_scheme(u)) {
            let line = find_key_line(text, key);
            let message = format!("`{key}` \"{u}\" is not linked: only http, https and mailto URLs are");
            diags.push(Diagnostic::new(Code::UnsafeUrl, path, line, 1, message).help("use an https:// URL"));
        }
    }
    for (i, c) in raw.collections.into_iter().enumerate() {
        let place = keys.collection(i);
        if let Some(c) = collection(c, place, path, &mut diags) {
            config.collections.push(c);
            places.collections.push(place);
        }
    }
    diags.extend(duplicate_prefixes(&config.collections, &places, path));
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
    if let Some(v) = &raw.check.max_file_size {
        match parse_size(v) {
            Some(n) => config.max_file_size = n,
            None => invalid(
                &mut diags,
                "max_file_size",
                format!("max_file_size = {v} is not a size"),
                "write a number of bytes (1000000) or a size such as \"10 MB\" or \"512 KB\"",
            ),
        }
    }
    if let Some(v) = &raw.review.stale_after {
        match parse_days(v) {
            Some(n) => config.stale_after_days = Some(n),
            None => invalid(
                &mut diags,
                "stale_after",
                format!("stale_after = \"{v}\" is not a duration"),
                "write a number of days or weeks, such as \"90d\" or \"12w\"",
            ),
        }
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
    if let Some(l) = raw.render.llms {
        config.llms = l;
    }
    if let Some(m) = raw.render.markdown_pages {
        config.markdown_pages = m;
    }
    if let Some(l) = raw.language {
        if !crate::search::is_known_language(&l) {
            let line = find_key_line(text, "language");
            let message = format!("language `{l}` is not one the search index knows: its words are not stemmed");
            let help = "use a code such as en, de, fr, es, ja or zh (the README lists them)";
            diags.push(Diagnostic::new(Code::UnknownLanguage, path, line, 1, message).help(help.to_string()));
        }
        config.language = l;
    }
    config.strings = raw.strings;
    Loaded { config, diagnostics: diags, places }
}

/// One `[[collections]]` entry validated; `None` (with an `invalid-config` error) when its kind
/// is unknown or its path missing.
fn collection(
    c: RawCollection,
    place: CollectionPlaces,
    file: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<Collection> {
    let mut invalid = |line: u32, message: String, help: &str| {
        diags.push(Diagnostic::new(Code::InvalidConfig, file, line, 1, message).help(help.to_string()));
    };
    let kind = match c.kind.as_deref() {
        None => Kind::Page,
        Some(k) => match Kind::parse(k) {
            Some(kind) => kind,
            None => {
                invalid(
                    place.kind.unwrap_or(place.path),
                    format!("unknown collection kind \"{k}\" for `{}`", c.path),
                    "use kind = \"adr\", \"design\" or \"page\"",
                );
                return None;
            }
        },
    };
    if c.path.trim().is_empty() && kind != Kind::Page {
        invalid(
            place.path,
            "a collection needs a `path`".to_string(),
            "set path to the folder, relative to dossier.toml, e.g. path = \"docs/adr\"",
        );
        return None;
    }
    let prefix = match c.prefix {
        Some(p) if !p.trim().is_empty() => Some(p.trim().to_string()),
        Some(_) => None,
        None if kind == Kind::Adr => Some("ADR".to_string()),
        None => None,
    };
    Some(Collection {
        path: clean_rel_path(&c.path),
        kind,
        prefix,
        template: c.template,
        required_sections: c.required_sections,
        origin: FILE_NAME.to_string(),
    })
}

/// `duplicate-prefix`: a collection whose ID prefix an earlier one already has, at its `prefix`
/// key (or its `path` when the prefix is the ADR default).
fn duplicate_prefixes(collections: &[Collection], places: &Places, file: &str) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (i, c) in collections.iter().enumerate() {
        let Some(prefix) = c.prefix.as_deref() else {
            continue;
        };
        let Some(first) = collections[..i].iter().find(|o| o.prefix.as_deref() == Some(prefix)) else {
            continue;
        };
        let place = places.collections.get(i).copied().unwrap_or_default();
        let name = c.path.rsplit('/').next().unwrap_or(&c.path);
        let mut own: String = name.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_uppercase();
        if own.is_empty() || own == prefix {
            own = format!("{prefix}2");
        }
        let help = match place.prefix {
            Some(_) => format!("give `{}` its own prefix, e.g. prefix = \"{own}\"", c.path),
            None => format!(
                "adr collections take the prefix \"{prefix}\" by default; give `{}` its own, e.g. prefix = \"{own}\"",
                c.path
            ),
        };
        out.push(
            Diagnostic::new(
                Code::DuplicatePrefix,
                file,
                place.prefix.unwrap_or(place.path).max(1),
                1,
                format!(
                    "collections `{}` and `{}` share the ID prefix `{prefix}`: `{prefix}-0001` would name two documents",
                    first.path, c.path
                ),
            )
            .help(help),
        );
    }
    out
}

/// The mistakes only the file system shows: a `[[collections]]` folder that does not exist
/// (`missing-collection`), and a `theme_dir` with no templates or static files (`empty-theme`).
/// `root` is the source folder, which holds `dossier.toml`.
pub fn check_folders(root: &Path, config: &Config, places: &Places) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for (c, place) in config.collections.iter().zip(&places.collections) {
        if c.path.is_empty() || root.join(&c.path).is_dir() {
            continue;
        }
        let what = if root.join(&c.path).exists() { "is not a folder" } else { "does not exist" };
        let help = match closest_folder(root, &c.path) {
            Some(near) => format!("did you mean path = \"{near}\"? paths are relative to the folder of dossier.toml"),
            None => "create the folder, or correct `path`: it is relative to the folder of dossier.toml".to_string(),
        };
        out.push(
            Diagnostic::new(
                Code::MissingCollection,
                FILE_NAME,
                place.path.max(1),
                1,
                format!(
                    "collection path `{}` {what}: the {} collection has no documents, and files meant for it are read as plain pages",
                    c.path,
                    c.kind.as_str()
                ),
            )
            .help(help),
        );
    }
    if let Some(dir) = &config.theme_dir {
        out.extend(check_theme(root, dir, places.theme_dir.unwrap_or(1)));
    }
    out
}

/// `empty-theme` when `theme_dir` overrides nothing.
fn check_theme(root: &Path, dir: &str, line: u32) -> Option<Diagnostic> {
    let abs = root.join(dir);
    let has_files =
        |sub: &str| walkdir::WalkDir::new(abs.join(sub)).into_iter().flatten().any(|e| e.file_type().is_file());
    let (message, help) = if !abs.is_dir() {
        (
            format!("theme_dir `{dir}` does not exist: the default theme is used"),
            format!("create {dir}/templates/ or {dir}/static/ with the files to override, or remove theme_dir"),
        )
    } else if has_files("templates") || has_files("static") {
        return None;
    } else {
        let loose = std::fs::read_dir(&abs).into_iter().flatten().flatten().any(|e| {
            let name = e.file_name().to_string_lossy().to_ascii_lowercase();
            name.ends_with(".html") || name.ends_with(".css")
        });
        let help = if loose {
            format!("move templates into {dir}/templates/ (e.g. doc.html) and assets into {dir}/static/")
        } else {
            format!(
                "put templates in {dir}/templates/ (e.g. doc.html) and assets in {dir}/static/, or remove theme_dir"
            )
        };
        (format!("theme_dir `{dir}` has no files in templates/ or static/: the default theme is used unchanged"), help)
    };
    Some(Diagnostic::new(Code::EmptyTheme, FILE_NAME, line.max(1), 1, message).help(help))
}

/// The folder under `root` most like `wanted`: one with the same last name, else the closest
/// by edit distance (at least 60% alike).
fn closest_folder(root: &Path, wanted: &str) -> Option<String> {
    let last = wanted.rsplit('/').next().unwrap_or(wanted);
    let walker = walkdir::WalkDir::new(root).max_depth(6).sort_by_file_name().into_iter();
    let dirs = walker
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            e.depth() == 0
                || (e.file_type().is_dir() && !name.starts_with('.') && name != "node_modules" && name != "target")
        })
        .flatten()
        .filter(|e| e.depth() > 0)
        .filter_map(|e| {
            let rel = e.path().strip_prefix(root).ok()?;
            Some(rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"))
        });
    let mut best: Option<(f64, String)> = None;
    for rel in dirs {
        let same_name = rel.rsplit('/').next() == Some(last);
        let score =
            if same_name { 2.0 - rel.len() as f64 / 1000.0 } else { strsim::normalized_levenshtein(&rel, wanted) };
        if score >= 0.6 && best.as_ref().is_none_or(|(b, _)| score > *b) {
            best = Some((score, rel));
        }
    }
    best.map(|(_, rel)| rel)
}

/// `90d`, `12w` or `90` (days) as a number of days.
fn parse_days(v: &str) -> Option<u32> {
    let v = v.trim().to_ascii_lowercase();
    let (num, unit) = match v.strip_suffix('w') {
        Some(n) => (n, 7),
        None => (v.strip_suffix('d').unwrap_or(&v), 1),
    };
    let n: u32 = num.trim().parse().ok()?;
    n.checked_mul(unit).filter(|&d| d > 0)
}

/// Every key of `table` whose value has the wrong type, each tried alone, on its key's line.
fn type_errors(table: &toml::Table, text: &str, path: &str) -> Vec<Diagnostic> {
    let mut singles: Vec<(String, String, toml::Table)> = Vec::new();
    let one = |k: &str, v: toml::Value| toml::Table::from_iter([(k.to_string(), v)]);
    for (k, v) in table {
        match v {
            toml::Value::Table(t) if k == "check" || k == "render" || k == "review" => {
                for (sk, sv) in t {
                    singles.push((format!("{k}.{sk}"), sk.clone(), one(k, toml::Value::Table(one(sk, sv.clone())))));
                }
            }
            toml::Value::Array(items) if k == "collections" || k == "links" => {
                for (sk, sv) in items.iter().filter_map(toml::Value::as_table).flatten() {
                    let item = toml::Value::Table(one(sk, sv.clone()));
                    singles.push((format!("{k}[].{sk}"), sk.clone(), one(k, toml::Value::Array(vec![item]))));
                }
            }
            _ => singles.push((k.clone(), k.clone(), one(k, v.clone()))),
        }
    }
    let mut out: Vec<Diagnostic> = singles
        .into_iter()
        .filter_map(|(key, leaf, single)| {
            let e = toml::Value::Table(single).try_into::<RawConfig>().err()?;
            let message = format!("`{key}`: {}", e.message().trim());
            Some(
                Diagnostic::new(Code::InvalidConfig, path, find_key_line(text, &leaf), 1, message)
                    .help("fix the value's type; the README lists every key of dossier.toml"),
            )
        })
        .collect();
    crate::diag::sort(&mut out);
    out
}

/// A size in bytes: an integer, or a string such as `"10 MB"`, `"512KB"`, `"1 GB"`, `"2000"`.
fn parse_size(v: &toml::Value) -> Option<u64> {
    if let Some(n) = v.as_integer() {
        return u64::try_from(n).ok().filter(|n| *n > 0);
    }
    let s = v.as_str()?.trim().to_ascii_uppercase();
    let digits = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let n: u64 = s[..digits].parse().ok()?;
    let unit = match s[digits..].trim() {
        "" | "B" => 1,
        "KB" | "K" => 1000,
        "MB" | "M" => 1000 * 1000,
        "GB" | "G" => 1000 * 1000 * 1000,
        _ => return None,
    };
    n.checked_mul(unit).filter(|n| *n > 0)
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
    fn language_is_the_sites_and_an_unknown_one_is_a_warning() {
        assert_eq!(parse("title = \"KB\"\n", "dossier.toml").config.language, "en");
        let l = parse("language = \"de-CH\"\n", "dossier.toml");
        assert!(l.diagnostics.is_empty() && l.config.language == "de-CH", "{:?}", l.diagnostics);
        let l = parse("title = \"KB\"\nlanguage = \"klingon\"\n", "dossier.toml");
        let d = &l.diagnostics[0];
        assert_eq!((d.code, d.line, d.severity), (Code::UnknownLanguage, 2, crate::diag::Severity::Warning));
        assert!(d.message.contains("klingon"), "{}", d.message);
    }

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

    #[test]
    fn key_lines_come_from_the_parser_spans() {
        let text = "theme_dir = \"t\"\n[[collections]]\npath = \"a\"\n\n[[collections]]\nkind = \"adr\"\n  path = \"b\"\nprefix = \"B\"\n";
        let l = parse(text, "dossier.toml");
        assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
        assert_eq!(l.places.theme_dir, Some(1));
        assert_eq!(
            l.places.collections,
            [
                CollectionPlaces { path: 3, prefix: None, kind: None },
                CollectionPlaces { path: 7, prefix: Some(8), kind: Some(6) }
            ]
        );
    }

    #[test]
    fn two_adr_collections_share_the_default_prefix() {
        let text = "[[collections]]\npath = \"adr\"\nkind = \"adr\"\n[[collections]]\npath = \"team/decisions\"\nkind = \"adr\"\n";
        let l = parse(text, "dossier.toml");
        assert_eq!(l.diagnostics.len(), 1);
        let d = &l.diagnostics[0];
        assert_eq!((d.code, d.line, d.severity), (Code::DuplicatePrefix, 5, crate::diag::Severity::Warning));
        assert_eq!(
            d.help.as_deref(),
            Some(
                "adr collections take the prefix \"ADR\" by default; give `team/decisions` its own, e.g. prefix = \"DECISIONS\""
            )
        );
        // Distinct prefixes are fine.
        let l = parse(&format!("{text}prefix = \"TEAM\"\n"), "dossier.toml");
        assert!(l.diagnostics.is_empty(), "{:?}", l.diagnostics);
    }

    #[test]
    fn folder_checks_suggest_the_closest_folder() {
        let tmp = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(tmp.path().join("docs/decisions")).unwrap();
        std::fs::create_dir_all(tmp.path().join("theme/static")).unwrap();
        std::fs::write(tmp.path().join("theme/static/style.css"), "body {}").unwrap();
        let l = parse(
            "theme_dir = \"theme\"\n[[collections]]\npath = \"decisions\"\nkind = \"adr\"\n[[collections]]\npath = \"docs/decisions\"\nprefix = \"D\"\n",
            "dossier.toml",
        );
        let d = check_folders(tmp.path(), &l.config, &l.places);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!((d[0].code, d[0].line), (Code::MissingCollection, 3));
        assert_eq!(
            d[0].help.as_deref(),
            Some("did you mean path = \"docs/decisions\"? paths are relative to the folder of dossier.toml")
        );
    }
}
