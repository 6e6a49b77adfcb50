//! Discovery: walks the source folder, detects collections, and classifies every Markdown file.

mod detect;
pub mod shape;

use crate::config::{Collection, Config, clean_rel_path};
use crate::diag::{Code, Diagnostic};
use crate::model::Kind;
use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use walkdir::WalkDir;

pub use detect::{detect_collections, display_path};

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
    /// The record's YAML sidecar beside it (`1234-x/kep.yaml` for `1234-x/README.md`), relative
    /// to the source folder, forward slashes; read by the parse stage.
    pub sidecar: Option<String>,
}

/// One folder's direct contents, by file name.
#[derive(Clone, Debug, Default)]
pub(crate) struct Folder {
    pub md: Vec<String>,
    pub yaml: Vec<String>,
    pub subdirs: Vec<String>,
}

/// Every folder walked, by relative path (`""` for the source folder itself).
pub(crate) type Folders = BTreeMap<String, Folder>;

/// Everything discovery found.
#[derive(Clone, Debug, Default)]
pub struct Discovered {
    pub sources: Vec<SourceFile>,
    /// Every other file (relative paths), for resolving links to images and attachments.
    pub files: BTreeSet<String>,
    pub collections: Vec<Collection>,
    pub diagnostics: Vec<Diagnostic>,
    /// The heads of the Markdown files detection read: discovery depends on no other content.
    pub heads: HashMap<String, shape::Head>,
}

impl Discovered {
    /// Whether discovering again after edits to the files `changed` (relative paths) would find
    /// the same: each is a known Markdown source that still exists, whose head, if detection
    /// read it, shows the same. A new, deleted or non-Markdown file needs a new walk.
    pub fn still_holds(&self, root: &Path, changed: &[String]) -> bool {
        changed.iter().all(|rel| {
            self.sources.iter().any(|s| s.rel == *rel && s.sidecar.is_none())
                && root.join(rel).is_file()
                && self
                    .heads
                    .get(rel)
                    .is_none_or(|h| read_head(&root.join(rel)).map(|t| shape::head(&t)).unwrap_or_default() == *h)
        })
    }
}

/// Walks `root`, skipping hidden folders, `node_modules`, `target`, sites dossier wrote (a
/// `.dossier-site` marker inside) and every path in `skip`.
pub fn discover(root: &Path, config: &Config, skip: &[PathBuf]) -> Discovered {
    let mut out = Discovered::default();
    let (md, folders) = walk(root, skip, &mut out);
    let sidecars = find_sidecars(root, &folders);
    let mut heads = Heads::new(root);
    if config.collections.is_empty() {
        let found = detect::detect(root, &folders, &sidecars, &mut heads);
        out.collections = found.collections;
        out.diagnostics.extend(found.diagnostics);
    } else {
        out.collections = config.collections.clone();
    }
    let configured = !config.collections.is_empty();
    let verdicts = detect::verdicts(&md, &out.collections, &folders, &sidecars, configured, &mut heads);
    out.sources = md
        .into_iter()
        .map(|(rel, abs)| {
            let (mut kind, collection, is_template) = classify(&rel, &out.collections);
            if let Some(ci) = collection.filter(|_| !is_template) {
                if verdicts.pages.contains(&rel) {
                    kind = Kind::Page;
                } else if verdicts.documents.contains(&rel) {
                    kind = out.collections[ci].kind;
                }
            }
            let sidecar = sidecars.get(&rel).cloned();
            SourceFile { rel, abs, kind, collection, is_template, sidecar }
        })
        .collect();
    out.heads = heads.read;
    out
}

/// The walk: Markdown files (relative and absolute paths), every other file into `out.files`,
/// and each folder's direct contents (the root is `""`). Symlinks are followed only when their
/// target stays inside the repository (`boundary`); FIFOs, devices and sockets are never read.
fn walk(root: &Path, skip: &[PathBuf], out: &mut Discovered) -> (Vec<(String, PathBuf)>, Folders) {
    let skip: Vec<PathBuf> = skip.iter().map(|p| p.canonicalize().unwrap_or_else(|_| p.clone())).collect();
    let inside = boundary(root);
    let mut md = Vec::new();
    let mut folders = Folders::new();
    folders.insert(String::new(), Folder::default());
    let mut refused = Vec::new();
    let walker = WalkDir::new(root).follow_links(true).sort_by_file_name().into_iter();
    let walker = walker.filter_entry(|e| {
        if e.depth() == 0 {
            return true;
        }
        let name = e.file_name().to_string_lossy();
        if name.starts_with('.') {
            return false;
        }
        if e.path_is_symlink() && !stays_inside(e.path(), &inside) {
            refused.push(outside_symlink(root, e.path(), &inside));
            return false;
        }
        if e.file_type().is_dir() {
            // A site dossier wrote (its `index.md` pages are Markdown too) is never a source.
            if SKIP_DIRS.contains(&name.as_ref()) || e.path().join(crate::write::MARKER).is_file() {
                return false;
            }
            let p = e.path().canonicalize().unwrap_or_else(|_| e.path().to_path_buf());
            return !skip.contains(&p);
        }
        true
    });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                out.diagnostics.push(walk_error(root, &e));
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let rel = rel_path(root, entry.path());
        let (parent, name) = rel.rsplit_once('/').unwrap_or(("", rel.as_str()));
        let folder = folders.entry(parent.to_string()).or_default();
        if entry.file_type().is_dir() {
            folder.subdirs.push(name.to_string());
            folders.entry(rel).or_default();
            continue;
        }
        if !entry.file_type().is_file() {
            out.diagnostics.push(special_file(&rel, entry.path_is_symlink()));
            continue;
        }
        if is_markdown(&rel) {
            folder.md.push(name.to_string());
            md.push((rel, entry.path().to_path_buf()));
        } else {
            let lower = name.to_ascii_lowercase();
            if lower.ends_with(".yaml") || lower.ends_with(".yml") {
                folder.yaml.push(name.to_string());
            }
            out.files.insert(rel);
        }
    }
    out.diagnostics.extend(refused);
    (md, folders)
}

/// Where symlinks may lead: the git top level holding `root`, else `root` itself (canonical).
pub fn boundary(root: &Path) -> PathBuf {
    let abs = root.canonicalize().unwrap_or_else(|_| crate::write::absolute(root));
    abs.ancestors().find(|d| d.join(".git").exists()).map(Path::to_path_buf).unwrap_or(abs)
}

/// Whether the symlink `path` resolves to a place inside `boundary`.
fn stays_inside(path: &Path, boundary: &Path) -> bool {
    path.canonicalize().is_ok_and(|t| t.starts_with(boundary))
}

fn outside_symlink(root: &Path, path: &Path, boundary: &Path) -> Diagnostic {
    let target = std::fs::read_link(path).map(|t| t.display().to_string()).unwrap_or_default();
    Diagnostic::new(
        Code::SkippedSymlink,
        rel_path(root, path),
        0,
        0,
        format!("skipped: a symlink to `{target}`, which is outside the repository ({})", boundary.display()),
    )
    .help("dossier publishes only files inside the repository; copy the file in, or remove the link")
}

fn special_file(rel: &str, via_symlink: bool) -> Diagnostic {
    let what = if via_symlink { "a symlink to a special file" } else { "a special file" };
    Diagnostic::new(
        Code::SpecialFile,
        rel,
        0,
        0,
        format!("skipped: {what} (a FIFO, device or socket), which dossier never reads"),
    )
    .help("only regular files are published; remove it from the source folder or replace it with a regular file")
}

/// A walk error: a broken symlink or a loop of symlinks is a warning; anything else means a
/// file that cannot be read.
fn walk_error(root: &Path, e: &walkdir::Error) -> Diagnostic {
    let path = e.path().map(|p| rel_path(root, p)).unwrap_or_default();
    let is_link = e.path().is_some_and(|p| p.symlink_metadata().is_ok_and(|m| m.file_type().is_symlink()));
    if e.loop_ancestor().is_some() {
        return Diagnostic::new(
            Code::SkippedSymlink,
            path,
            0,
            0,
            "skipped: a symlink that leads back into a folder containing it",
        )
        .help("remove the link, or point it at a folder outside its own ancestors");
    }
    if is_link && e.io_error().is_some_and(|io| io.kind() == std::io::ErrorKind::NotFound) {
        return Diagnostic::new(
            Code::SkippedSymlink,
            path,
            0,
            0,
            "skipped: a broken symlink (its target does not exist)",
        )
        .help("fix the link's target or remove the link");
    }
    Diagnostic::new(Code::UnreadableFile, path, 0, 0, format!("cannot read: {e}"))
        .help("check the file's permissions, or move it out of the source folder")
}

/// README.md (else index.md) → its sidecar, for every folder holding one of them and exactly one
/// `*.yaml`/`*.yml` whose top-level keys are record metadata (`shape::is_record_yaml`).
fn find_sidecars(root: &Path, folders: &Folders) -> BTreeMap<String, String> {
    let candidates: Vec<(String, String)> = folders
        .iter()
        .filter(|(_, f)| f.yaml.len() == 1)
        .filter_map(|(dir, f)| {
            let page = ["readme.md", "index.md"]
                .iter()
                .find_map(|want| f.md.iter().find(|m| m.to_ascii_lowercase() == *want))?;
            Some((join(dir, page), join(dir, &f.yaml[0])))
        })
        .collect();
    let found: Vec<Option<(String, String)>> = candidates
        .into_par_iter()
        .map(|(page, yaml)| shape::is_record_yaml(&read_head(&root.join(&yaml))?).then_some((page, yaml)))
        .collect();
    found.into_iter().flatten().collect()
}

/// `dir/name`, or `name` at the root.
fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() { name.to_string() } else { format!("{dir}/{name}") }
}

/// The first `shape::HEAD_BYTES` of a file, decoded lossily; `None` when it cannot be read or
/// is not a regular file.
fn read_head(path: &Path) -> Option<String> {
    use std::io::Read;
    let mut buf = Vec::with_capacity(shape::HEAD_BYTES);
    open_regular(path).ok()?.take(shape::HEAD_BYTES as u64).read_to_end(&mut buf).ok()?;
    Some(String::from_utf8_lossy(&buf).into_owned())
}

/// Opens a file for reading without blocking on a FIFO, and refuses anything but a regular file
/// (the walk skips special files; this covers one swapped in after it).
fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(rustix::fs::OFlags::NONBLOCK.bits() as i32);
    }
    let file = options.open(path)?;
    if !file.metadata()?.is_file() {
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, NotRegular));
    }
    Ok(file)
}

/// The error of `open_regular` for a FIFO, device or socket.
#[derive(Debug, thiserror::Error)]
#[error("not a regular file")]
struct NotRegular;

/// The heads of Markdown files read so far, by relative path; reads happen in parallel batches.
pub(crate) struct Heads<'a> {
    root: &'a Path,
    read: HashMap<String, shape::Head>,
}

impl<'a> Heads<'a> {
    fn new(root: &'a Path) -> Self {
        Heads { root, read: HashMap::new() }
    }

    /// Reads every file of `rels` not read yet, in parallel.
    pub(crate) fn load(&mut self, rels: &[String]) {
        let todo: Vec<&String> = rels.iter().filter(|r| !self.read.contains_key(*r)).collect();
        let root = self.root;
        let got: Vec<(String, shape::Head)> = todo
            .into_par_iter()
            .with_min_len(8)
            .map(|r| (r.clone(), read_head(&root.join(r)).map(|t| shape::head(&t)).unwrap_or_default()))
            .collect();
        self.read.extend(got);
    }

    /// A head loaded before (empty when it was not, or could not be read).
    pub(crate) fn get(&self, rel: &str) -> shape::Head {
        self.read.get(rel).cloned().unwrap_or_default()
    }
}

/// Classification overrides that detection decided from the files' shapes.
#[derive(Debug, Default)]
pub(crate) struct Verdicts {
    /// Non-record files inside a detected collection: pages.
    pub pages: BTreeSet<String>,
    /// READMEs that carry record metadata of their own (a sidecar, or a status and a numbered
    /// folder): documents of their collection.
    pub documents: BTreeSet<String>,
}

/// One line saying where a collection is, what it holds and by which rule it was found:
/// `adr collection docs/architecture (prefix ADR-, 12 documents): numbered records: …`.
pub fn describe(c: &Collection, documents: usize) -> String {
    let prefix = c.prefix.as_ref().map(|p| format!("prefix {p}-, ")).unwrap_or_default();
    let docs = if documents == 1 { "1 document".to_string() } else { format!("{documents} documents") };
    let rule = if c.origin == crate::config::FILE_NAME {
        "from dossier.toml".to_string()
    } else {
        format!("found by {}", c.origin)
    };
    format!("{} collection {} ({prefix}{docs}) {rule}", c.kind.as_str(), display_path(&c.path))
}

/// A source file's contents, or its size when it is over the limit.
#[derive(Debug, PartialEq, Eq)]
pub enum Contents {
    Bytes(Vec<u8>),
    TooLarge(u64),
}

/// Reads a source file's bytes, at most `max` of them (`[check] max_file_size`): a larger file
/// is `TooLarge`, never read whole. An unreadable file is an error diagnostic; a special file
/// (swapped in after the walk) a warning.
pub fn read(source: &SourceFile, max: u64) -> Result<Contents, Diagnostic> {
    use std::io::Read;
    let unreadable = |e: std::io::Error| {
        if e.get_ref().is_some_and(|r| r.is::<NotRegular>()) {
            return special_file(&source.rel, false);
        }
        Diagnostic::new(Code::UnreadableFile, &source.rel, 0, 0, format!("cannot read: {e}"))
            .help("check the file's permissions, or move it out of the source folder")
    };
    let file = open_regular(&source.abs).map_err(unreadable)?;
    let size = file.metadata().map_err(unreadable)?.len();
    if size > max {
        return Ok(Contents::TooLarge(size));
    }
    let mut buf = Vec::with_capacity(size as usize);
    file.take(max.saturating_add(1)).read_to_end(&mut buf).map_err(unreadable)?;
    if buf.len() as u64 > max {
        return Ok(Contents::TooLarge(buf.len() as u64));
    }
    Ok(Contents::Bytes(buf))
}

/// The Markdown that stands in for a file over the size limit, so that links to it resolve.
pub fn too_large_page(source: &SourceFile, size: u64, max: u64) -> String {
    let name = source.rel.rsplit('/').next().unwrap_or(&source.rel);
    let name = pulldown_cmark_escape_text(name);
    format!(
        "# {name}\n\nThis file is too large to render: {} (the limit, `[check] max_file_size` in dossier.toml, is {}).\n",
        human_size(size),
        human_size(max)
    )
}

/// `name` with Markdown's punctuation backslash-escaped, so it reads as plain text.
fn pulldown_cmark_escape_text(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `12.3 MB`, `512 KB`, `80 bytes` (decimal units, as `max_file_size` is written).
pub fn human_size(n: u64) -> String {
    match n {
        n if n >= 1_000_000_000 => format!("{:.1} GB", n as f64 / 1e9),
        n if n >= 1_000_000 => format!("{:.1} MB", n as f64 / 1e6),
        n if n >= 1_000 => format!("{:.1} KB", n as f64 / 1e3),
        n => format!("{n} bytes"),
    }
}

/// The warning for a file over the size limit.
pub fn too_large(source: &SourceFile, size: u64, max: u64) -> Diagnostic {
    Diagnostic::new(
        Code::FileTooLarge,
        &source.rel,
        0,
        0,
        format!("not rendered: the file is {}, over the limit of {}", human_size(size), human_size(max)),
    )
    .help("split the file, or raise `max_file_size` under [check] in dossier.toml")
}

pub fn is_markdown(rel: &str) -> bool {
    let lower = rel.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown")
}

fn rel_path(root: &Path, p: &Path) -> String {
    let rel = p.strip_prefix(root).unwrap_or(p);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// Whether folder `dir` is `path` or inside it (`""` contains everything).
fn is_within(dir: &str, path: &str) -> bool {
    path.is_empty() || dir.strip_prefix(path).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// Classifies one Markdown file: its kind, its collection (the innermost one containing it),
/// and whether it is the collection's template. `index.md`/`README.md` are always pages.
pub fn classify(rel: &str, collections: &[Collection]) -> (Kind, Option<usize>, bool) {
    let (dir, file) = rel.rsplit_once('/').unwrap_or(("", rel));
    let collection = collections
        .iter()
        .enumerate()
        .filter(|(_, c)| is_within(dir, &c.path))
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
        None => shape::is_template_stem(stem),
    };
    if is_template { (Kind::Page, collection, true) } else { (c.kind, collection, false) }
}

/// A file stem without the collection's ID prefix (`KEEP-0004-x` → `0004-x` for `KEEP`), so
/// that the number is read after it; other stems unchanged.
pub fn strip_id_prefix<'a>(stem: &'a str, prefix: Option<&str>) -> &'a str {
    match (prefix, shape::split_prefix(stem)) {
        (Some(p), Some((letters, rest))) if letters.eq_ignore_ascii_case(p) => rest,
        _ => stem,
    }
}

#[cfg(test)]
mod tests {
    use super::detect::log4brains_adr_folder;
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
        assert_eq!(classify("adr/0000-template.md", &cs), (Kind::Page, Some(0), true));
        assert_eq!(classify("adr/yyyymmdd-rfc-template.md", &cs), (Kind::Page, Some(0), true));
        // A numbered record whose slug ends in "template" is a record.
        assert_eq!(classify("adr/0012-adopt-a-doc-template.md", &cs), (Kind::Adr, Some(0), false));
        assert_eq!(classify("adr/20240101-new-template.md", &cs), (Kind::Adr, Some(0), false));
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
    fn id_prefix_in_file_names() {
        assert_eq!(strip_id_prefix("KEEP-0004-type-aliases", Some("KEEP")), "0004-type-aliases");
        assert_eq!(strip_id_prefix("keep_0004", Some("KEEP")), "0004");
        assert_eq!(strip_id_prefix("KEEP-0004-x", Some("SE")), "KEEP-0004-x");
        assert_eq!(strip_id_prefix("0004-x", Some("KEEP")), "0004-x");
        assert_eq!(strip_id_prefix("KEEP-0004-x", None), "KEEP-0004-x");
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
