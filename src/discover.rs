//! Discovery: walks the source folder, detects collections, and classifies every Markdown file.

use crate::config::{Collection, Config, clean_rel_path};
use crate::diag::{Code, Diagnostic};
use crate::model::Kind;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

/// Folder names that make an ADR collection when `dossier.toml` names none.
pub const ADR_DIRS: &[&str] = &["adr", "adrs", "decisions", "architecture-decisions", "decision-records"];
/// Folder names that make a design-doc collection.
pub const DESIGN_DIRS: &[&str] = &["design", "designs", "design-docs", "rfcs", "proposals"];
/// Folders never walked into (besides hidden ones and the output folder).
const SKIP_DIRS: &[&str] = &["node_modules", "target"];

/// A Markdown file found in the source folder, classified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    /// Relative to the source folder, forward slashes.
    pub rel: String,
    pub abs: PathBuf,
    pub kind: Kind,
    pub collection: Option<usize>,
    pub is_template: bool,
}

/// Everything discovery found.
#[derive(Debug, Default)]
pub struct Discovered {
    pub sources: Vec<SourceFile>,
    /// Every other file (relative paths), for resolving links to images and attachments.
    pub files: BTreeSet<String>,
    pub collections: Vec<Collection>,
    pub diagnostics: Vec<Diagnostic>,
}

/// Walks `root`, skipping hidden folders, `node_modules`, `target` and every path in `skip`.
pub fn discover(root: &Path, config: &Config, skip: &[PathBuf]) -> Discovered {
    let mut out = Discovered::default();
    let skip: Vec<PathBuf> = skip.iter().map(|p| p.canonicalize().unwrap_or_else(|_| p.clone())).collect();
    let mut md = Vec::new();
    let mut dirs = BTreeSet::new();
    let walker = WalkDir::new(root).follow_links(false).sort_by_file_name().into_iter();
    let walker = walker.filter_entry(|e| {
        if e.depth() == 0 {
            return true;
        }
        let name = e.file_name().to_string_lossy();
        if e.file_type().is_dir() {
            if name.starts_with('.') || SKIP_DIRS.contains(&name.as_ref()) {
                return false;
            }
            let p = e.path().canonicalize().unwrap_or_else(|_| e.path().to_path_buf());
            return !skip.contains(&p);
        }
        !name.starts_with('.')
    });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e.path().map(|p| rel_path(root, p)).unwrap_or_default();
                out.diagnostics.push(
                    Diagnostic::new(Code::UnreadableFile, path, 0, 0, format!("cannot read: {e}"))
                        .help("check the file's permissions, or move it out of the source folder"),
                );
                continue;
            }
        };
        let rel = rel_path(root, entry.path());
        if entry.file_type().is_dir() {
            if entry.depth() > 0 {
                dirs.insert(rel);
            }
            continue;
        }
        if is_markdown(&rel) {
            md.push((rel, entry.path().to_path_buf()));
        } else if entry.depth() > 0 {
            out.files.insert(rel);
        }
    }
    out.collections =
        if config.collections.is_empty() { detect_collections(root, &dirs) } else { config.collections.clone() };
    out.sources = md
        .into_iter()
        .map(|(rel, abs)| {
            let (kind, collection, is_template) = classify(&rel, &out.collections);
            SourceFile { rel, abs, kind, collection, is_template }
        })
        .collect();
    out
}

/// Reads a source file's bytes; an unreadable file becomes an error diagnostic.
pub fn read(source: &SourceFile) -> Result<Vec<u8>, Diagnostic> {
    std::fs::read(&source.abs).map_err(|e| {
        Diagnostic::new(Code::UnreadableFile, &source.rel, 0, 0, format!("cannot read: {e}"))
            .help("check the file's permissions, or move it out of the source folder")
    })
}

pub fn is_markdown(rel: &str) -> bool {
    let lower = rel.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

fn rel_path(root: &Path, p: &Path) -> String {
    let rel = p.strip_prefix(root).unwrap_or(p);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Collections when `dossier.toml` names none: adr-tools' `.adr-dir`, log4brains'
/// `.log4brains.yml`, then well-known folder names anywhere in the tree.
pub fn detect_collections(root: &Path, dirs: &BTreeSet<String>) -> Vec<Collection> {
    let mut found: Vec<Collection> = Vec::new();
    let mut add = |path: String, kind: Kind, origin: &str| {
        if !found.iter().any(|c| c.path == path) {
            found.push(Collection {
                path,
                prefix: (kind == Kind::Adr).then(|| "ADR".to_string()),
                kind,
                template: None,
                required_sections: None,
                origin: origin.to_string(),
            });
        }
    };
    if let Ok(text) = std::fs::read_to_string(root.join(".adr-dir")) {
        let p = clean_rel_path(text.lines().next().unwrap_or(""));
        if !p.is_empty() {
            add(p, Kind::Adr, ".adr-dir");
        }
    }
    if let Ok(text) = std::fs::read_to_string(root.join(".log4brains.yml"))
        && let Some(p) = log4brains_adr_folder(&text)
    {
        add(p, Kind::Adr, ".log4brains.yml");
    }
    for dir in dirs {
        let name = dir.rsplit('/').next().unwrap_or(dir).to_ascii_lowercase();
        if ADR_DIRS.contains(&name.as_str()) {
            add(dir.clone(), Kind::Adr, "folder name");
        } else if DESIGN_DIRS.contains(&name.as_str()) {
            add(dir.clone(), Kind::Design, "folder name");
        }
    }
    found.sort_by(|a, b| a.path.cmp(&b.path));
    found
}

/// Reads `project.adrFolder` from a `.log4brains.yml`.
fn log4brains_adr_folder(text: &str) -> Option<String> {
    let value: serde_json::Value = serde_saphyr::from_str(text).ok()?;
    let folder = value.get("project")?.get("adrFolder")?.as_str()?;
    let p = clean_rel_path(folder);
    (!p.is_empty()).then_some(p)
}

/// Classifies one Markdown file: its kind, its collection (the innermost one containing it),
/// and whether it is the collection's template. `index.md`/`README.md` are always pages.
pub fn classify(rel: &str, collections: &[Collection]) -> (Kind, Option<usize>, bool) {
    let (dir, file) = rel.rsplit_once('/').unwrap_or(("", rel));
    let collection = collections
        .iter()
        .enumerate()
        .filter(|(_, c)| c.path.is_empty() || dir == c.path || dir.starts_with(&format!("{}/", c.path)))
        .max_by_key(|(_, c)| c.path.len())
        .map(|(i, _)| i);
    let lower = file.to_ascii_lowercase();
    let stem = lower.rsplit_once('.').map_or(lower.as_str(), |(s, _)| s);
    if stem == "index" || stem == "readme" {
        return (Kind::Page, collection, false);
    }
    let Some(ci) = collection else {
        return (Kind::Page, None, false);
    };
    let c = &collections[ci];
    let is_template = match &c.template {
        Some(t) => {
            let t = clean_rel_path(t);
            let in_collection = rel.strip_prefix(&format!("{}/", c.path)).unwrap_or(rel);
            in_collection == t || rel == t
        }
        None => stem == "template" || stem.ends_with("-template") || stem.ends_with("_template"),
    };
    if is_template { (Kind::Page, collection, true) } else { (c.kind, collection, false) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn coll(path: &str, kind: Kind) -> Collection {
        Collection {
            path: path.into(),
            kind,
            prefix: None,
            template: None,
            required_sections: None,
            origin: "test".into(),
        }
    }

    #[test]
    fn classify_by_innermost_collection() {
        let cs = vec![coll("docs", Kind::Design), coll("docs/adr", Kind::Adr)];
        assert_eq!(classify("docs/adr/0001-x.md", &cs), (Kind::Adr, Some(1), false));
        assert_eq!(classify("docs/adr/sub/0001-x.md", &cs), (Kind::Adr, Some(1), false));
        assert_eq!(classify("docs/adrs.md", &cs), (Kind::Design, Some(0), false));
        assert_eq!(classify("other/x.md", &cs), (Kind::Page, None, false));
        assert_eq!(classify("README.md", &cs), (Kind::Page, None, false));
    }

    #[test]
    fn index_readme_and_templates_are_pages() {
        let cs = vec![coll("adr", Kind::Adr)];
        assert_eq!(classify("adr/README.md", &cs), (Kind::Page, Some(0), false));
        assert_eq!(classify("adr/index.md", &cs), (Kind::Page, Some(0), false));
        assert_eq!(classify("adr/template.md", &cs), (Kind::Page, Some(0), true));
        assert_eq!(classify("adr/adr-template.md", &cs), (Kind::Page, Some(0), true));
        let mut c = coll("adr", Kind::Adr);
        c.template = Some("0000-skeleton.md".into());
        assert_eq!(classify("adr/0000-skeleton.md", &[c.clone()]), (Kind::Page, Some(0), true));
        assert_eq!(classify("adr/template.md", &[c]), (Kind::Adr, Some(0), false));
    }

    #[test]
    fn detects_folder_names_and_adr_dir() {
        let tmp = std::env::temp_dir().join(format!("dossier-detect-{}", std::process::id()));
        std::fs::create_dir_all(&tmp).unwrap();
        std::fs::write(tmp.join(".adr-dir"), "doc/arch\n").unwrap();
        let dirs: BTreeSet<String> =
            ["doc", "doc/arch", "docs/decisions", "rfcs", "notes"].iter().map(|s| s.to_string()).collect();
        let cs = detect_collections(&tmp, &dirs);
        let got: Vec<_> = cs.iter().map(|c| (c.path.as_str(), c.kind, c.origin.as_str())).collect();
        assert_eq!(
            got,
            [
                ("doc/arch", Kind::Adr, ".adr-dir"),
                ("docs/decisions", Kind::Adr, "folder name"),
                ("rfcs", Kind::Design, "folder name")
            ]
        );
        std::fs::remove_dir_all(&tmp).unwrap();
    }

    #[test]
    fn log4brains_config() {
        assert_eq!(
            log4brains_adr_folder("project:\n  name: x\n  tz: Europe/Paris\n  adrFolder: ./docs/adr\n"),
            Some("docs/adr".to_string())
        );
        assert_eq!(log4brains_adr_folder("project: [\n"), None);
    }
}
