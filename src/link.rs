//! The link stage: URLs, final IDs, relation targets and their inverses, link targets,
//! references and backlinks. Pure: takes parsed documents, returns the linked site and diagnostics.

use crate::diag::{Code, Diagnostic};
use crate::model::{Doc, Kind, LinkedDoc, RelKind, Related, Site, Status, Target};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A page that dossier generates itself, whose URL documents may not take.
pub struct Reserved<'a> {
    pub url: &'a str,
    pub name: &'a str,
}

/// Links the documents. `files` are the non-Markdown files of the source folder (relative paths),
/// `reserved` the URLs of generated pages.
pub fn link(
    mut docs: Vec<Doc>,
    files: &BTreeSet<String>,
    reserved: &[Reserved<'_>],
) -> (Site, Vec<Diagnostic>) {
    docs.sort_by(|a, b| a.source.cmp(&b.source));
    let mut diags = Vec::new();
    let sources: HashMap<&str, usize> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| (d.source.as_str(), i))
        .collect();

    // URLs, and collisions between documents or with generated pages.
    let urls: Vec<String> = docs.iter().map(|d| url_for(&d.source, &sources)).collect();
    let mut by_url: HashMap<&str, usize> = HashMap::new();
    for (i, url) in urls.iter().enumerate() {
        if let Some(r) = reserved.iter().find(|r| r.url == url) {
            diags.push(
                Diagnostic::new(
                    Code::UrlCollision,
                    &docs[i].source,
                    0,
                    0,
                    format!(
                        "this page's URL `{url}` is taken by the generated {} page",
                        r.name
                    ),
                )
                .help("rename or move the file"),
            );
        } else if let Some(&first) = by_url.get(url.as_str()) {
            diags.push(
                Diagnostic::new(Code::UrlCollision, &docs[i].source, 0, 0, format!("this page and `{}` both map to the URL `{}`", docs[first].source, display_url(url)))
                    .help("rename one of them (`index.md` and `README.md` in one folder, or `x.md` beside `x/index.md`, share a URL)"),
            );
        } else {
            by_url.insert(url, i);
        }
    }

    // Final IDs: the first document by path keeps a contested ID.
    let mut ids: Vec<String> = Vec::with_capacity(docs.len());
    let mut by_id: BTreeMap<String, usize> = BTreeMap::new();
    for (i, d) in docs.iter().enumerate() {
        let id = if let Some(&first) = by_id.get(&d.id) {
            diags.push(
                Diagnostic::new(
                    Code::DuplicateId,
                    &d.source,
                    1,
                    1,
                    format!(
                        "ID `{}` is already used by `{}`; this document is known as `{}`",
                        d.id, docs[first].source, d.path_id
                    ),
                )
                .help("give each document its own number (or `id` key)"),
            );
            d.path_id.clone()
        } else {
            d.id.clone()
        };
        by_id.entry(id.clone()).or_insert(i);
        ids.push(id);
    }
    let resolver = Resolver::new(&docs, &ids, &sources, files);

    // Relations, resolved; then inverses.
    let n = docs.len();
    let mut rels: Vec<BTreeMap<RelKind, BTreeSet<usize>>> = vec![BTreeMap::new(); n];
    let mut related: Vec<BTreeMap<usize, String>> = vec![BTreeMap::new(); n];
    for (i, d) in docs.iter().enumerate() {
        for r in &d.relations {
            let target = match &r.target {
                Target::Path(p) => resolver.path(&d.source, p).and_then(|t| match t {
                    Resolved::Doc(j, _) => Some(j),
                    _ => None,
                }),
                Target::Id(text) => resolver.id(text),
            };
            let Some(j) = target else { continue };
            if i == j {
                continue;
            }
            if r.kind == RelKind::Related {
                related[i].insert(j, r.verb.clone());
                related[j]
                    .entry(i)
                    .or_insert_with(|| "Related to".to_string());
            } else {
                rels[i].entry(r.kind).or_default().insert(j);
                rels[j].entry(r.kind.inverse()).or_default().insert(i);
            }
        }
    }

    // Link targets and references.
    let mut assets = BTreeSet::new();
    let mut link_targets: Vec<Vec<Option<String>>> = Vec::with_capacity(n);
    let mut references: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
    for (i, d) in docs.iter().enumerate() {
        let mut targets = Vec::with_capacity(d.links.len());
        for l in &d.links {
            let t = match resolver.path(&d.source, &l.href) {
                Some(Resolved::Doc(j, frag)) => {
                    if j != i {
                        references[i].insert(j);
                    }
                    Some(format!("{}{}", urls[j], frag))
                }
                Some(Resolved::Fragment(frag)) => Some(format!("{}{}", urls[i], frag)),
                Some(Resolved::File(path, frag)) => {
                    let t = format!("{path}{frag}");
                    assets.insert(path);
                    Some(t)
                }
                None => None,
            };
            targets.push(t);
        }
        link_targets.push(targets);
        for set in rels[i].values() {
            references[i].extend(set.iter().copied().filter(|&j| j != i));
        }
        references[i].extend(related[i].keys().copied());
    }
    let mut backlinks: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
    for (i, refs) in references.iter().enumerate() {
        for &j in refs {
            backlinks[j].insert(i);
        }
    }

    let id_list = |set: Option<&BTreeSet<usize>>| -> Vec<String> {
        let mut v: Vec<String> = set
            .map(|s| s.iter().map(|&j| ids[j].clone()).collect())
            .unwrap_or_default();
        v.sort();
        v
    };
    let mut linked = Vec::with_capacity(n);
    for (i, ((doc, targets), url)) in docs.into_iter().zip(link_targets).zip(urls).enumerate() {
        let mut doc = doc;
        let superseded_by = id_list(rels[i].get(&RelKind::SupersededBy));
        if !superseded_by.is_empty() {
            doc.status = Status::Superseded;
        }
        let mut rel_list: Vec<Related> = related[i]
            .iter()
            .map(|(&j, verb)| Related {
                id: ids[j].clone(),
                verb: verb.clone(),
            })
            .collect();
        rel_list.sort();
        linked.push(LinkedDoc {
            id: ids[i].clone(),
            url,
            supersedes: id_list(rels[i].get(&RelKind::Supersedes)),
            superseded_by,
            amends: id_list(rels[i].get(&RelKind::Amends)),
            amended_by: id_list(rels[i].get(&RelKind::AmendedBy)),
            related: rel_list,
            references: id_list(Some(&references[i])),
            backlinks: id_list(Some(&backlinks[i])),
            link_targets: targets,
            doc,
        });
    }
    (
        Site {
            docs: linked,
            by_id,
            assets: assets.into_iter().collect(),
        },
        diags,
    )
}

/// The site-relative URL of a source file: `a/b.md` → `a/b/`; `a/index.md` → `a/`;
/// `a/README.md` → `a/` unless `a/index.md` exists.
pub fn url_for(source: &str, sources: &HashMap<&str, usize>) -> String {
    let (dir, file) = source
        .rsplit_once('/')
        .map_or(("", source), |(d, f)| (d, f));
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    let dir_url = if dir.is_empty() {
        String::new()
    } else {
        format!("{dir}/")
    };
    match stem.to_ascii_lowercase().as_str() {
        "index" => dir_url,
        "readme" => {
            let has_index = ["index.md", "INDEX.md", "index.markdown"]
                .iter()
                .any(|i| sources.contains_key(format!("{dir_url}{i}").as_str()));
            if has_index {
                format!("{dir_url}{stem}/")
            } else {
                dir_url
            }
        }
        _ => format!("{dir_url}{stem}/"),
    }
}

fn display_url(url: &str) -> &str {
    if url.is_empty() { "/" } else { url }
}

/// Where a link points.
enum Resolved {
    /// A document and the `#fragment` (with `#`, or empty).
    Doc(usize, String),
    /// A fragment of the same page.
    Fragment(String),
    /// A non-Markdown file of the source folder (relative path) and fragment.
    File(String, String),
}

/// Look-up tables for resolving paths and ID-like text.
struct Resolver<'a> {
    sources: &'a HashMap<&'a str, usize>,
    files: &'a BTreeSet<String>,
    by_id: HashMap<String, usize>,
    by_number: HashMap<(String, u32), usize>,
    by_stem: HashMap<String, Option<usize>>,
    prefixes: BTreeSet<String>,
}

impl<'a> Resolver<'a> {
    fn new(
        docs: &[Doc],
        ids: &[String],
        sources: &'a HashMap<&'a str, usize>,
        files: &'a BTreeSet<String>,
    ) -> Self {
        let mut by_id = HashMap::new();
        let mut by_number = HashMap::new();
        let mut by_stem: HashMap<String, Option<usize>> = HashMap::new();
        let mut prefixes = BTreeSet::new();
        for (i, d) in docs.iter().enumerate() {
            by_id.entry(ids[i].to_lowercase()).or_insert(i);
            if let Some((prefix, n)) = split_id(&ids[i])
                && d.kind != Kind::Page
            {
                prefixes.insert(prefix.to_lowercase());
                by_number.entry((prefix.to_lowercase(), n)).or_insert(i);
            }
            let stem = d
                .path_id
                .rsplit('/')
                .next()
                .unwrap_or(&d.path_id)
                .to_lowercase();
            by_stem
                .entry(stem)
                .and_modify(|e| *e = None)
                .or_insert(Some(i));
        }
        Resolver {
            sources,
            files,
            by_id,
            by_number,
            by_stem,
            prefixes,
        }
    }

    /// Resolves ID-like text: `ADR-0012`, `adr 12`, `12. Title` (when one prefix exists), a slug.
    fn id(&self, text: &str) -> Option<usize> {
        let t = text
            .trim()
            .trim_start_matches("[[")
            .trim_end_matches("]]")
            .trim();
        if let Some(&i) = self.by_id.get(&t.to_lowercase()) {
            return Some(i);
        }
        if let Some((prefix, n)) = split_id(t)
            && let Some(&i) = self.by_number.get(&(prefix.to_lowercase(), n))
        {
            return Some(i);
        }
        let digits = t.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0
            && self.prefixes.len() == 1
            && (t.len() == digits || !t.as_bytes()[digits].is_ascii_alphanumeric())
        {
            let n: u32 = t[..digits].parse().ok()?;
            let prefix = self.prefixes.iter().next()?;
            if let Some(&i) = self.by_number.get(&(prefix.clone(), n)) {
                return Some(i);
            }
        }
        self.by_stem.get(&t.to_lowercase()).copied().flatten()
    }

    /// Resolves a relative link from the document at `from`.
    fn path(&self, from: &str, href: &str) -> Option<Resolved> {
        let (path_part, frag) = match href.find('#') {
            Some(i) => (&href[..i], href[i..].to_string()),
            None => (href, String::new()),
        };
        let path_part = path_part.split('?').next().unwrap_or(path_part);
        if path_part.is_empty() {
            return Some(Resolved::Fragment(frag));
        }
        let decoded = percent_decode(path_part);
        let dir = from.rsplit_once('/').map_or("", |(d, _)| d);
        let joined = normalize(&format!("{dir}/{decoded}"))?;
        if let Some(&j) = self.sources.get(joined.as_str()) {
            return Some(Resolved::Doc(j, frag));
        }
        let folder = joined.trim_end_matches('/');
        for name in ["index.md", "README.md", "readme.md", "Readme.md"] {
            let candidate = if folder.is_empty() {
                name.to_string()
            } else {
                format!("{folder}/{name}")
            };
            if let Some(&j) = self.sources.get(candidate.as_str()) {
                return Some(Resolved::Doc(j, frag));
            }
        }
        if self.files.contains(&joined) {
            return Some(Resolved::File(joined, frag));
        }
        None
    }
}

/// Splits `ADR-0012`, `ADR 12`, `adr_12`, `RFC0042` into a prefix and a number.
pub fn split_id(text: &str) -> Option<(&str, u32)> {
    let t = text.trim();
    let letters = t.bytes().take_while(u8::is_ascii_alphabetic).count();
    if letters == 0 || letters > 10 {
        return None;
    }
    let rest = t[letters..].trim_start_matches(['-', '_', ' ']);
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 7 {
        return None;
    }
    let after = &rest[digits..];
    if after
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphanumeric())
    {
        return None;
    }
    Some((&t[..letters], rest[..digits].parse().ok()?))
}

/// Resolves `.` and `..` in a slash path. `None` if it climbs out of the root.
pub fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Some(b) = std::str::from_utf8(&bytes[i + 1..i + 3])
                .ok()
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests;
