//! Collection detection when `dossier.toml` names none: adr-tools' and log4brains' marker
//! files, well-known folder names, and folders whose files are mostly numbered records (judged
//! by their names and by the first few KB of a sample of them).

use super::shape::{self, Name};
use super::{ADR_DIRS, DESIGN_DIRS, Folder, Folders, Heads, Verdicts, join};
use crate::config::{Collection, clean_rel_path};
use crate::diag::{Code, Diagnostic};
use crate::model::Kind;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// A folder needs at least this many numbered or dated records to be a collection by content.
pub const MIN_RECORDS: usize = 2;
/// How many records of a folder are read to judge their shape (evenly spread over the folder).
pub const SAMPLE: usize = 16;

/// What detection found.
#[derive(Debug, Default)]
pub struct Found {
    pub collections: Vec<Collection>,
    pub diagnostics: Vec<Diagnostic>,
}

/// One record of a folder: a numbered or dated file, or a numbered sub-folder's README.
#[derive(Clone, Debug)]
struct Record {
    /// The file to read (relative to the source folder).
    rel: String,
    number: Option<u32>,
    /// Letters before the number in the file name (`KEEP`), upper-cased.
    name_prefix: Option<String>,
}

/// A folder's records and the files they are counted against.
#[derive(Debug, Default)]
struct Records {
    records: Vec<Record>,
    /// Markdown files other than README/index and templates, plus record sub-folders.
    total: usize,
    /// How many of the records are sub-folders (`1234-name/README.md`).
    record_folders: usize,
    templates: Vec<String>,
}

/// Collections by marker files and folder names only (no file is read), for callers that know
/// only the folder names.
pub fn detect_collections(root: &Path, dirs: &BTreeSet<String>) -> Vec<Collection> {
    let folders: Folders = dirs.iter().map(|d| (d.clone(), Folder::default())).collect();
    detect(root, &folders, &BTreeMap::new(), &mut Heads::new(root)).collections
}

/// Detects the collections of `root` from its marker files, folder names and file shapes.
pub(crate) fn detect(
    root: &Path,
    folders: &Folders,
    sidecars: &BTreeMap<String, String>,
    heads: &mut Heads<'_>,
) -> Found {
    let markers = markers(root);
    let root_name = root.canonicalize().ok().and_then(|p| p.file_name().map(|n| n.to_string_lossy().to_lowercase()));
    // READMEs of numbered sub-folders: records when they state a status (or have a sidecar).
    let readmes: Vec<String> = folders
        .iter()
        .flat_map(|(dir, f)| f.subdirs.iter().map(move |s| join(dir, s)))
        .filter(|sub| numbered_folder(sub))
        .filter_map(|sub| folders.get(&sub).and_then(|f| readme_of(&sub, f)))
        .collect();
    heads.load(&readmes);
    let per_folder: Vec<(&String, Records)> =
        folders.iter().map(|(dir, f)| (dir, records(dir, f, folders, sidecars, heads))).collect();
    let by_name = |dir: &str| if dir.is_empty() { root_name.as_deref().and_then(kind_of_name) } else { name_kind(dir) };
    let to_read: Vec<String> = per_folder
        .iter()
        .filter(|(dir, r)| is_candidate(r) || markers.contains_key(*dir) || by_name(dir).is_some())
        .flat_map(|(_, r)| sample(&r.records).into_iter().map(|x| x.rel.clone()).chain(r.templates.iter().cloned()))
        .collect();
    heads.load(&to_read);
    let mut found = Found::default();
    for (dir, recs) in &per_folder {
        if let Some(c) = judge(dir, recs, markers.get(*dir).copied(), by_name(dir), heads) {
            found.collections.push(c);
        }
    }
    for (path, origin) in &markers {
        if !found.collections.iter().any(|c| &c.path == path) {
            found.collections.push(collection(path.clone(), Kind::Adr, Some("ADR".into()), origin.to_string()));
        }
    }
    found.collections.sort_by(|a, b| a.path.cmp(&b.path));
    inherit_prefixes(&mut found.collections);
    found.diagnostics = shared_numbers(&found.collections, &per_folder);
    found
}

fn collection(path: String, kind: Kind, prefix: Option<String>, origin: String) -> Collection {
    Collection { path, kind, prefix, template: None, required_sections: None, origin }
}

/// Folders named by adr-tools' `.adr-dir` and log4brains' `.log4brains.yml`, with the file's name.
fn markers(root: &Path) -> BTreeMap<String, &'static str> {
    let mut m = BTreeMap::new();
    if let Ok(text) = std::fs::read_to_string(root.join(".adr-dir")) {
        let p = clean_rel_path(text.lines().next().unwrap_or(""));
        if !p.is_empty() {
            m.insert(p, ".adr-dir");
        }
    }
    if let Ok(text) = std::fs::read_to_string(root.join(".log4brains.yml"))
        && let Some(p) = log4brains_adr_folder(&text)
    {
        m.entry(p).or_insert(".log4brains.yml");
    }
    m
}

/// Reads `project.adrFolder` from a `.log4brains.yml`.
pub(super) fn log4brains_adr_folder(text: &str) -> Option<String> {
    let value: serde_json::Value = serde_saphyr::from_str(text).ok()?;
    let folder = value.get("project")?.get("adrFolder")?.as_str()?;
    let p = clean_rel_path(folder);
    (!p.is_empty()).then_some(p)
}

/// The kind a folder's own name gives it (`adr`, `decisions`, `rfcs`, `proposals`, …).
fn name_kind(dir: &str) -> Option<Kind> {
    kind_of_name(&dir.rsplit('/').next().unwrap_or(dir).to_ascii_lowercase())
}

fn kind_of_name(name: &str) -> Option<Kind> {
    if ADR_DIRS.contains(&name) {
        Some(Kind::Adr)
    } else if DESIGN_DIRS.contains(&name) {
        Some(Kind::Design)
    } else {
        None
    }
}

/// Whether a folder's own name is numbered (`1234-name`, `20190506-x`).
fn numbered_folder(dir: &str) -> bool {
    shape::name(dir.rsplit('/').next().unwrap_or(dir)).is_record()
}

/// The README.md (else index.md) of a folder, relative to the source folder.
fn readme_of(dir: &str, f: &Folder) -> Option<String> {
    ["readme.md", "index.md"]
        .iter()
        .find_map(|want| f.md.iter().find(|m| m.to_ascii_lowercase() == *want))
        .map(|m| join(dir, m))
}

fn stem_of(name: &str) -> &str {
    name.rsplit_once('.').map_or(name, |(s, _)| s)
}

/// Counts a folder's records: numbered or dated Markdown files, and numbered sub-folders whose
/// README has a sidecar or states a status (their heads must be loaded).
fn records(dir: &str, f: &Folder, folders: &Folders, sidecars: &BTreeMap<String, String>, heads: &Heads) -> Records {
    let mut r = Records::default();
    for m in &f.md {
        let stem = stem_of(m);
        let lower = stem.to_ascii_lowercase();
        if lower == "readme" || lower == "index" {
            continue;
        }
        if shape::is_template_stem(stem) {
            r.templates.push(join(dir, m));
            continue;
        }
        r.total += 1;
        if let n @ (Name::Numbered { .. } | Name::Dated) = shape::name(stem) {
            let name_prefix = match &n {
                Name::Numbered { prefix, .. } => prefix.clone(),
                _ => None,
            };
            r.records.push(Record { rel: join(dir, m), number: n.number(), name_prefix });
        }
    }
    for s in &f.subdirs {
        let sub = join(dir, s);
        let Some(readme) = folders.get(&sub).and_then(|sf| readme_of(&sub, sf)) else { continue };
        if numbered_folder(&sub) && (sidecars.contains_key(&readme) || heads.get(&readme).status) {
            r.total += 1;
            r.record_folders += 1;
            r.records.push(Record { rel: readme, number: shape::name(s).number(), name_prefix: None });
        }
    }
    r
}

/// Mostly records: at least `MIN_RECORDS`, and more than half of the folder's files.
fn is_candidate(r: &Records) -> bool {
    r.records.len() >= MIN_RECORDS && r.records.len() * 2 > r.total
}

/// Up to `SAMPLE` records, evenly spread.
fn sample(records: &[Record]) -> Vec<&Record> {
    let n = records.len();
    if n <= SAMPLE {
        return records.iter().collect();
    }
    (0..SAMPLE).map(|i| &records[i * n / SAMPLE]).collect()
}

/// Whether a folder is a collection, and which: a marker file or its name decide at once; else
/// its records must be mostly numbered and record-shaped (or sit beside a template).
fn judge(
    dir: &str,
    recs: &Records,
    marker: Option<&'static str>,
    by_name: Option<Kind>,
    heads: &Heads,
) -> Option<Collection> {
    let sampled = sample(&recs.records);
    let shaped =
        sampled.iter().filter(|r| r.name_prefix.as_deref() == Some("ADR") || heads.get(&r.rel).is_record()).count();
    let shaped_ok = !sampled.is_empty() && (shaped * 2 >= sampled.len() || !recs.templates.is_empty());
    let by_content = is_candidate(recs) && shaped_ok;
    if marker.is_none() && by_name.is_none() && !by_content {
        return None;
    }
    let kind = marker.map(|_| Kind::Adr).or(by_name).unwrap_or_else(|| content_kind(dir, recs, heads));
    let origin = match (marker, by_name) {
        (Some(m), _) => m.to_string(),
        (None, Some(_)) => "folder name".to_string(),
        (None, None) => {
            let looks = if kind == Kind::Adr { "decisions" } else { "design docs" };
            let beside = match recs.templates.first() {
                Some(t) if shaped * 2 < sampled.len() => format!(", beside {}", t.rsplit('/').next().unwrap_or(t)),
                _ => String::new(),
            };
            let what = if recs.record_folders > 0 { "Markdown files and record folders" } else { "Markdown files" };
            format!(
                "numbered records: {} of {} {what} numbered or dated, {shaped} of {} read look like {looks}{beside}",
                recs.records.len(),
                recs.total,
                sampled.len()
            )
        }
    };
    let prefix = detect_prefix(&recs.records, heads);
    Some(collection(dir.to_string(), kind, prefix, origin))
}

/// ADR or design, from the records' shapes: an ADR template beside them, else the majority of
/// ADR-shaped against design-shaped records, else the folder path's words, else ADR.
fn content_kind(dir: &str, recs: &Records, heads: &Heads) -> Kind {
    let adr_template = recs.templates.iter().any(|t| {
        let l = t.rsplit('/').next().unwrap_or(t).to_ascii_lowercase();
        l.contains("adr") || l.contains("decision") || heads.get(t).is_adr()
    });
    if adr_template {
        return Kind::Adr;
    }
    let sampled = sample(&recs.records);
    let adr = sampled.iter().filter(|r| r.name_prefix.as_deref() == Some("ADR") || heads.get(&r.rel).is_adr()).count();
    let design = sampled.iter().filter(|r| heads.get(&r.rel).is_design()).count();
    if adr != design {
        return if adr > design { Kind::Adr } else { Kind::Design };
    }
    let design_words = ["proposal", "rfc", "design", "kep", "enhancement"];
    let lower = dir.to_ascii_lowercase();
    if lower.split('/').any(|part| design_words.iter().any(|w| part.contains(w))) { Kind::Design } else { Kind::Adr }
}

/// The ID prefix the files state: letters most file names carry before the number
/// (`KEEP-0004-x`), else an ID in the metadata of most records read whose number is the file's
/// (`* Proposal: [SE-0001](0001-x.md)`, `id: ST-0001`). ADR collections default to `ADR`.
fn detect_prefix(records: &[Record], heads: &Heads) -> Option<String> {
    let numbered: Vec<&Record> = records.iter().filter(|r| r.number.is_some()).collect();
    let majority = |votes: BTreeMap<String, usize>, of: usize| {
        votes.into_iter().max_by_key(|(p, n)| (*n, std::cmp::Reverse(p.clone()))).filter(|(_, n)| n * 2 > of)
    };
    let mut by_name: BTreeMap<String, usize> = BTreeMap::new();
    for r in &numbered {
        if let Some(p) = &r.name_prefix {
            *by_name.entry(p.clone()).or_default() += 1;
        }
    }
    if let Some((p, _)) = majority(by_name, numbered.len()) {
        return Some(p);
    }
    let read: Vec<&Record> = sample(records).into_iter().filter(|r| r.number.is_some()).collect();
    let mut by_head: BTreeMap<String, usize> = BTreeMap::new();
    for r in &read {
        let ids: BTreeSet<String> =
            heads.get(&r.rel).ids.into_iter().filter(|(_, n)| Some(*n) == r.number).map(|(p, _)| p).collect();
        for p in ids {
            *by_head.entry(p).or_default() += 1;
        }
    }
    majority(by_head, read.len()).map(|(p, _)| p)
}

/// A collection whose files state no prefix takes its enclosing collection's (so that two
/// numberings nobody told apart collide visibly); an ADR collection without either gets `ADR`.
fn inherit_prefixes(collections: &mut [Collection]) {
    for i in 0..collections.len() {
        if collections[i].prefix.is_some() {
            continue;
        }
        let path = collections[i].path.clone();
        let parent = collections[..i]
            .iter()
            .filter(|c| c.path.is_empty() || path.starts_with(&format!("{}/", c.path)))
            .max_by_key(|c| c.path.len())
            .and_then(|c| c.prefix.clone());
        collections[i].prefix = parent.or_else(|| (collections[i].kind == Kind::Adr).then(|| "ADR".to_string()));
    }
}

/// One `duplicate-id` warning per pair of collections that number their files alike: same
/// prefix, and a number used in both.
fn shared_numbers(collections: &[Collection], per_folder: &[(&String, Records)]) -> Vec<Diagnostic> {
    let mut first: BTreeMap<(String, u32), (usize, String)> = BTreeMap::new();
    let mut warned: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut out = Vec::new();
    for (ci, c) in collections.iter().enumerate() {
        let (Some(prefix), Some((_, recs))) = (&c.prefix, per_folder.iter().find(|(d, _)| **d == c.path)) else {
            continue;
        };
        for r in &recs.records {
            let Some(n) = r.number else { continue };
            match first.get(&(prefix.clone(), n)) {
                Some((other, rel)) if *other != ci && warned.insert((*other, ci)) => out.push(
                    Diagnostic::new(
                        Code::DuplicateId,
                        &r.rel,
                        1,
                        1,
                        format!(
                            "the collections `{}` and `{}` both number their documents {prefix}-NNNN: {prefix}-{n:04} is `{rel}` and this file",
                            display_path(&collections[*other].path),
                            display_path(&c.path)
                        ),
                    )
                    .help(format!(
                        "tell them apart: state each file's ID (front matter `id: XX-{n:04}`, or a metadata line such as `* Proposal: [XX-{n:04}]({})`), or give one collection its own prefix in dossier.toml",
                        r.rel.rsplit('/').next().unwrap_or(&r.rel)
                    )),
                ),
                Some(_) => {}
                None => {
                    first.insert((prefix.clone(), n), (ci, r.rel.clone()));
                }
            }
        }
    }
    out
}

/// A collection path for messages: `.` for the source folder itself.
pub fn display_path(path: &str) -> &str {
    if path.is_empty() { "." } else { path }
}

/// Whether a collection's folder holds numbered records (at least `MIN_RECORDS` numbered or
/// dated Markdown files or numbered sub-folders with a README): a record folder.
fn is_record_folder(path: &str, folders: &Folders) -> bool {
    let Some(f) = folders.get(path) else { return false };
    let files = f.md.iter().filter(|m| shape::name(stem_of(m)).is_record()).count();
    let subs = f
        .subdirs
        .iter()
        .filter(|s| {
            shape::name(s).is_record() && folders.get(&join(path, s)).and_then(|sf| readme_of("", sf)).is_some()
        })
        .count();
    files + subs >= MIN_RECORDS
}

/// Which files of record folders are pages (no number, no date, no record shape) and which
/// READMEs are documents (a sidecar, or a status in a numbered folder). A collection without
/// numbered records (`design/` of slug-named docs) keeps every file a document. In
/// `configured` collections (named in dossier.toml) only files directly in the collection's
/// folder can be pages: files in its sub-folders stay documents, as configured.
pub(crate) fn verdicts(
    md: &[(String, std::path::PathBuf)],
    collections: &[Collection],
    folders: &Folders,
    sidecars: &BTreeMap<String, String>,
    configured: bool,
    heads: &mut Heads<'_>,
) -> Verdicts {
    let mut v = Verdicts::default();
    let mut plain = Vec::new();
    let mut readmes = Vec::new();
    let record_folders: Vec<bool> = collections.iter().map(|c| is_record_folder(&c.path, folders)).collect();
    for (rel, _) in md {
        let (_, Some(ci), false) = super::classify(rel, collections) else { continue };
        let (dir, file) = rel.rsplit_once('/').unwrap_or(("", rel));
        let stem = stem_of(file);
        let lower = stem.to_ascii_lowercase();
        if lower == "readme" || lower == "index" {
            if sidecars.contains_key(rel) {
                v.documents.insert(rel.clone());
            } else if dir != collections[ci].path && numbered_folder(dir) {
                readmes.push(rel.clone());
            }
        } else if record_folders[ci] && !shape::name(stem).is_record() && (!configured || dir == collections[ci].path) {
            plain.push(rel.clone());
        }
    }
    heads.load(&plain);
    heads.load(&readmes);
    v.pages = plain.into_iter().filter(|r| !heads.get(r).is_record()).collect();
    v.documents.extend(readmes.into_iter().filter(|r| heads.get(r).status));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(rel: &str, number: u32, name_prefix: Option<&str>) -> Record {
        Record { rel: rel.into(), number: Some(number), name_prefix: name_prefix.map(String::from) }
    }

    fn heads_of<'a>(root: &'a Path, files: &[(&str, &str)]) -> Heads<'a> {
        let mut h = Heads::new(root);
        for (rel, text) in files {
            h.read.insert(rel.to_string(), shape::head(text));
        }
        h
    }

    #[test]
    fn prefix_from_names_needs_more_than_half() {
        let h = heads_of(Path::new("."), &[]);
        let two_of_three =
            [rec("KEEP-1-a.md", 1, Some("KEEP")), rec("KEEP-2-b.md", 2, Some("KEEP")), rec("3-c.md", 3, None)];
        assert_eq!(detect_prefix(&two_of_three, &h), Some("KEEP".into()));
        let half = [rec("KEEP-1-a.md", 1, Some("KEEP")), rec("2-b.md", 2, None)];
        assert_eq!(detect_prefix(&half, &h), None);
    }

    #[test]
    fn prefix_from_heads_needs_the_file_number_in_most() {
        let files = [
            ("1.md", "* Proposal: [SE-0001](1.md)\n"),
            ("2.md", "* Proposal: [SE-0002](2.md)\n"),
            ("3.md", "* Proposal: [SE-0009](3.md)\n"),
        ];
        let h = heads_of(Path::new("."), &files);
        let recs = [rec("1.md", 1, None), rec("2.md", 2, None), rec("3.md", 3, None)];
        assert_eq!(detect_prefix(&recs, &h), Some("SE".into()), "2 of 3 state their own number");
        let recs = [rec("1.md", 1, None), rec("3.md", 3, None)];
        assert_eq!(detect_prefix(&recs, &h), None, "1 of 2 is not more than half");
    }

    #[test]
    fn nested_collections_inherit_a_prefix_and_adr_defaults() {
        let c = |path: &str, kind, prefix: Option<&str>| {
            collection(path.into(), kind, prefix.map(String::from), "t".into())
        };
        let mut cs = vec![
            c("proposals", Kind::Design, Some("SE")),
            c("proposals/extra", Kind::Design, None),
            c("proposalsx", Kind::Design, None),
            c("records", Kind::Adr, None),
        ];
        inherit_prefixes(&mut cs);
        let got: Vec<Option<&str>> = cs.iter().map(|c| c.prefix.as_deref()).collect();
        assert_eq!(got, [Some("SE"), Some("SE"), None, Some("ADR")]);
    }

    #[test]
    fn sample_spreads_over_the_folder() {
        let recs: Vec<Record> = (0..40).map(|i| rec(&format!("{i}.md"), i, None)).collect();
        let s = sample(&recs);
        assert_eq!(s.len(), SAMPLE);
        assert_eq!((s[0].number, s[SAMPLE - 1].number), (Some(0), Some(37)));
    }
}
