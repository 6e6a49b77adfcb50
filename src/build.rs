//! The pipeline, top-down: config → discover → read+parse (parallel) → link → render
//! (parallel) → write. `check` is the same pipeline stopping after link.

use crate::config::{self, Config};
use crate::diag::{self, Diagnostic};
use crate::discover::{self, SourceFile};
use crate::git;
use crate::history;
use crate::link;
use crate::lint;
use crate::model::{Doc, Kind, Site};
use crate::parse;
use crate::parse::scan::Scanner;
use crate::render;
use crate::session::{Session, Settings, Staged};
use crate::write::{self, WriteError};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

mod patch;

/// What to do with the linked site.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Build,
    Check,
}

/// What the user asked for, already parsed from the command line.
#[derive(Clone, Debug)]
pub struct Options {
    pub root: PathBuf,
    pub out: Option<PathBuf>,
    pub base_url: Option<String>,
    pub strict: bool,
    pub mode: Mode,
    /// Wait for another build writing the same output instead of failing (`--wait`).
    pub wait: bool,
}

/// How a run ended when it produced a site (or could have).
#[derive(Debug)]
pub struct Report {
    pub diagnostics: Vec<Diagnostic>,
    pub counts: BTreeMap<Kind, usize>,
    pub out: Option<PathBuf>,
    pub written: bool,
    pub files: usize,
    pub elapsed: Duration,
    pub strict: bool,
    pub timings: Timings,
    /// One-line remarks (no git history, a shallow clone).
    pub notes: Vec<String>,
    /// The source folder's path inside its git repository, for repository-relative paths in
    /// `--format github` and `sarif`.
    pub repo_prefix: Option<String>,
    /// One line per collection: where it is, what it holds and by which rule it was found.
    pub collections: Vec<String>,
    /// Links that leave the source folder, which are not checked.
    pub outside_links: usize,
}

impl Report {
    pub fn documents(&self) -> usize {
        self.counts.values().sum()
    }

    /// The summary's counts: `0 errors, 1 warning`, and the links that leave DIR when there are
    /// any (`; 2 links leave DIR (not checked)`).
    pub fn summary(&self) -> String {
        let s = diag::summary(&self.diagnostics);
        match self.outside_links {
            0 => s,
            1 => format!("{s}; 1 link leaves DIR (not checked)"),
            n => format!("{s}; {n} links leave DIR (not checked)"),
        }
    }

    /// Errors, or warnings under `--strict`.
    pub fn failed(&self) -> bool {
        let (e, w) = diag::counts(&self.diagnostics);
        e > 0 || (self.strict && w > 0)
    }
}

/// Why a run stopped before producing a report.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// Bad arguments (exit 2).
    #[error("{0}")]
    Usage(String),
    /// `dossier.toml` is invalid (exit 2); the diagnostics say where.
    #[error("invalid dossier.toml")]
    Config(Vec<Diagnostic>),
    /// A theme template is invalid (exit 2, in `check` as in `build`); the diagnostics say where.
    #[error("theme template error")]
    Theme(Vec<Diagnostic>),
    /// dossier will not write there (exit 1).
    #[error("{0}")]
    Refused(String),
    /// Writing failed (exit 1); the previous output is untouched.
    #[error("{0}")]
    Io(String),
}

impl Failure {
    pub fn exit_code(&self) -> u8 {
        match self {
            Failure::Usage(_) | Failure::Config(_) | Failure::Theme(_) => 2,
            Failure::Refused(_) | Failure::Io(_) => 1,
        }
    }
}

/// Reads and validates `DIR/dossier.toml` (defaults when absent).
pub fn load_config(root: &Path) -> Result<(Config, Vec<Diagnostic>), Failure> {
    let path = root.join(config::FILE_NAME);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok((Config::default(), Vec::new()));
        }
        Err(e) => {
            return Err(Failure::Config(vec![Diagnostic::new(
                diag::Code::InvalidConfig,
                config::FILE_NAME,
                0,
                0,
                format!("cannot read: {e}"),
            )]));
        }
    };
    let mut loaded = config::parse(&text, config::FILE_NAME);
    if loaded.diagnostics.iter().any(Diagnostic::is_error) {
        let mut d = loaded.diagnostics;
        diag::sort(&mut d);
        return Err(Failure::Config(d));
    }
    loaded.diagnostics.extend(config::check_folders(root, &loaded.config, &loaded.places));
    Ok((loaded.config, loaded.diagnostics))
}

/// Where the site goes: `-o`, else `output_dir` (relative to DIR), else `./site`.
pub fn output_dir(opts: &Options, config: &Config) -> PathBuf {
    match (&opts.out, &config.output_dir) {
        (Some(o), _) => o.clone(),
        (None, Some(d)) => opts.root.join(d),
        (None, None) => PathBuf::from("site"),
    }
}

/// The parsed and linked site with everything needed to render it.
pub struct Loaded {
    pub config: Config,
    pub site: Site,
    pub diagnostics: Vec<Diagnostic>,
    /// What `diagnostics` is made of, for the next load to patch.
    pub parts: DiagParts,
    pub collections: Vec<config::Collection>,
    /// The source folder's path inside its git repository, when it is in one.
    pub repo_prefix: Option<String>,
    pub timings: Timings,
    /// One-line remarks for the user (no git history, a shallow clone).
    pub notes: Vec<String>,
    /// The sources read and parsed afresh by this load (all of them but in `serve`).
    pub fresh: Vec<String>,
    /// The diagnostics of the link stage (also in `diagnostics`), for the next load to reuse.
    pub link_diags: Vec<Diagnostic>,
    /// What linking read: unchanged, the next load reuses this link.
    pub link_key: LinkKey,
    /// Documents whose relations, links and mentions this load resolved again (not taken
    /// from the link memo).
    pub relinked: usize,
    /// Each document's last resolution, for the next load's link (empty in a one-shot load).
    pub link_memo: link::Memo,
}

/// What the link stage reads, hashed: its options and, per document, everything but the body
/// (the HTML, the search text, the body hash, placeholders and open questions). Equal keys mean
/// an equal link: a body edit re-links nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LinkKey {
    options: u64,
    /// Git's HEAD when the dates and histories were read.
    head: Option<String>,
    /// Per document by source (sorted), the hash of what linking reads of it.
    docs: Vec<(String, u64)>,
}

/// The hash of what linking reads of `d`: every field but those of its body (a conservative
/// superset of what `link::link` reads: IDs, kind, title, status, dates, history, relations,
/// links and mentions with their positions, headings and anchors, metadata).
fn link_input_hash(d: &Doc) -> u64 {
    struct HashWriter(rustc_hash::FxHasher);
    impl std::fmt::Write for HashWriter {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            std::hash::Hasher::write(&mut self.0, s.as_bytes());
            Ok(())
        }
    }
    let mut w = HashWriter(rustc_hash::FxHasher::default());
    let _ = std::fmt::Write::write_fmt(
        &mut w,
        format_args!(
            "{:?}",
            (
                (&d.source, d.kind, d.collection, d.is_template, &d.id, &d.path_id, d.number, &d.title, &d.title_id),
                (d.status, &d.status_raw, &d.date, d.date_source, &d.updated, &d.contributors, &d.history),
                (&d.authors, &d.tags, &d.meta, &d.relations, &d.links, &d.mentions, &d.headings, &d.anchors),
                d.title_line,
            )
        ),
    );
    std::hash::Hasher::finish(&w.0)
}

/// The link key of `docs` under `options`; the hashes of documents not in `fresh` are taken
/// from `previous` when git's HEAD did not move (their parse and git data are the same).
fn link_key(docs: &[Doc], options: u64, head: Option<String>, fresh: &[String], previous: Option<&LinkKey>) -> LinkKey {
    let fresh: std::collections::HashSet<&str> = fresh.iter().map(String::as_str).collect();
    let known: HashMap<&str, u64> = previous
        .filter(|p| p.head == head)
        .map(|p| p.docs.iter().map(|(s, h)| (s.as_str(), *h)).collect())
        .unwrap_or_default();
    let mut v: Vec<(String, u64)> = docs
        .par_iter()
        .map(|d| {
            let h = match known.get(d.source.as_str()) {
                Some(&h) if !fresh.contains(d.source.as_str()) => h,
                _ => link_input_hash(d),
            };
            (d.source.clone(), h)
        })
        .collect();
    v.sort();
    LinkKey { options, head, docs: v }
}

/// The link of `previous`, whose link key equals this load's, with the new parses of the same
/// documents in place of the old (keeping what linking set on them: a superseded status, the
/// "superseded by" changes in their history).
fn reuse_link(previous: Loaded, mut docs: Vec<Doc>) -> (Site, Vec<Diagnostic>) {
    docs.sort_by(|a, b| a.source.cmp(&b.source));
    let mut site = previous.site;
    for (l, mut d) in site.docs.iter_mut().zip(docs) {
        d.status = l.doc.status;
        d.history = std::mem::take(&mut l.doc.history);
        l.doc = d;
    }
    (site, previous.link_diags)
}

/// Wall time per stage, in order, for `--timings`.
#[derive(Debug, Default, Clone)]
pub struct Timings {
    pub stages: Vec<(&'static str, Duration)>,
    /// Bytes of Markdown read.
    pub source_bytes: u64,
    /// Bytes of output rendered.
    pub output_bytes: u64,
    /// Code blocks highlighted (memo hits aside) and their CPU time, summed over threads.
    pub highlight: Option<(usize, Duration)>,
    /// Diagrams rendered (memo hits aside), their CPU time, and the median time of one.
    pub diagrams: Option<(usize, Duration, Duration)>,
    /// Wall time of the two relation-graph pages, part of render.
    pub graph: Option<Duration>,
    /// Wall times of rendering the index pages and of building the search index, which run
    /// side by side.
    pub side_by_side: Option<(Duration, Duration)>,
    /// Time spent writing document pages as they were rendered (part of render), summed over
    /// threads.
    pub pages_written: Option<Duration>,
}

impl Timings {
    pub(crate) fn push(&mut self, stage: &'static str, since: Instant) {
        self.stages.push((stage, since.elapsed()));
    }
}

/// A file's size and modification time: unchanged stamps mean unchanged files.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl Stamp {
    fn of(path: &Path) -> Option<Stamp> {
        let m = std::fs::metadata(path).ok()?;
        Some(Stamp { len: m.len(), modified: m.modified().ok() })
    }
}

/// One file after reading: the document, its size, and (when parsed afresh) what to cache.
type Parsed = (Doc, usize, Option<(Stamp, String)>);

struct CacheEntry {
    stamp: Stamp,
    /// What else the parse depended on: kind, collection, template flag, prefix.
    context: String,
    doc: Doc,
    len: usize,
}

/// Parse results kept between rebuilds (`serve`). A file is read and parsed again only when
/// its size or modification time changed, when the watcher named it, or when the settings the
/// parse depends on changed. Everything after parsing re-runs: linking is cheap.
#[derive(Default)]
pub struct ParseCache {
    settings: String,
    entries: HashMap<String, CacheEntry>,
    /// Files parsed afresh by the last `load` (for reports and tests).
    pub parsed: usize,
    /// Source files whose stamp the last `load` read (a `stat` each).
    pub stated: std::sync::atomic::AtomicUsize,
    /// Documents the last `load` linted (per document, and their sections).
    pub linted: usize,
    /// The git history, read again only when HEAD moves.
    git: Option<git::History>,
    /// Each revision's parse for status histories, by path and blob (a blob never changes).
    snapshots: HashMap<(String, String), history::Snapshot>,
    /// The last discovery with the settings it ran under, for a rebuild after edits that cannot
    /// change it.
    discovered: Option<(String, discover::Discovered)>,
    /// Whether the last load walked the folder.
    pub walked: bool,
    /// The highlighting grammars, loaded once.
    highlighter: Option<parse::highlight::Highlighter>,
    /// The Mermaid renderer and the diagrams it rendered, by content.
    diagrammer: Option<parse::diagram::Diagrammer>,
    /// A one-shot `build` or `check`: keep no copy of the documents (they would double the
    /// memory and never be read again).
    one_shot: bool,
}

impl ParseCache {
    /// The cache of a single `build` or `check`: it keeps no copy of the documents.
    pub fn one_shot() -> ParseCache {
        ParseCache { one_shot: true, ..ParseCache::default() }
    }

    /// The highlighter and diagram renderer, where `config` turns them on (and they are loaded).
    fn engines(
        &self,
        config: &Config,
    ) -> (Option<&parse::highlight::Highlighter>, Option<&parse::diagram::Diagrammer>) {
        (self.highlighter.as_ref().filter(|_| config.highlight), self.diagrammer.as_ref().filter(|_| config.diagrams))
    }

    /// Loads the highlighter and diagram renderer where `config` turns them on, and empties the
    /// cache when the parse `settings` changed.
    fn prepare(&mut self, config: &Config, settings: String) {
        if config.highlight && self.highlighter.is_none() {
            self.highlighter = Some(parse::highlight::Highlighter::default());
        }
        if config.diagrams && self.diagrammer.is_none() {
            self.diagrammer = Some(parse::diagram::Diagrammer::default());
        }
        if self.settings != settings {
            self.entries.clear();
            self.snapshots.clear();
            self.settings = settings;
        }
    }

    /// Forgets a file, so the next load reads it again.
    pub fn invalidate(&mut self, rel: &str) {
        self.entries.remove(rel);
    }
}

/// Discovers, reads, parses and links. Pure stages in parallel; I/O only in discovery and reading.
pub fn load(root: &Path, config: Config, diagnostics: Vec<Diagnostic>, skip: &[PathBuf]) -> Loaded {
    load_cached(root, config, diagnostics, skip, &mut ParseCache::one_shot(), None, None)
}

/// What a load's diagnostics are made of, so that a body edit's load ([`patch`]) can put them
/// together again with only the edited documents' own diagnostics replaced.
#[derive(Clone, Debug, Default)]
pub struct DiagParts {
    /// `dossier.toml`'s, as given to the load.
    config: Vec<Diagnostic>,
    /// Discovery's.
    discovery: Vec<Diagnostic>,
    /// Each source's own (reading it, parsing it, its per-document lint), for those with any.
    own: BTreeMap<String, Vec<Diagnostic>>,
    /// The checks over many documents: sections per collection, stale proposals.
    site: Vec<Diagnostic>,
}

impl DiagParts {
    /// Every diagnostic of the load, the link's included, sorted.
    fn all(&self, link_diags: &[Diagnostic]) -> Vec<Diagnostic> {
        let own = self.own.values().flatten();
        let mut d: Vec<Diagnostic> =
            self.config.iter().chain(&self.discovery).chain(own).chain(&self.site).chain(link_diags).cloned().collect();
        diag::sort(&mut d);
        d
    }
}

/// What parsing one source reads besides its bytes.
struct ParseCx<'a> {
    collections: &'a [config::Collection],
    config: &'a Config,
    scanner: &'a Scanner,
    templates: &'a lint::Templates,
    engines: (Option<&'a parse::highlight::Highlighter>, Option<&'a parse::diagram::Diagrammer>),
}

impl ParseCx<'_> {
    /// What else the parse of `s` depends on: kind, collection, template flag, prefix, required
    /// sections, the templates that govern it and its sidecar's stamp (one `stat` when it has one).
    fn context(&self, s: &SourceFile) -> String {
        let coll = s.collection.map(|c| &self.collections[c]);
        let context = format!(
            "{:?}|{:?}|{}|{:?}|{:?}|{}",
            s.kind,
            s.collection,
            s.is_template,
            coll.and_then(|c| c.prefix.as_deref()),
            coll.map(|c| &c.required_sections),
            self.templates.fingerprint(&s.rel, s.collection)
        );
        match sidecar_path(s) {
            Some(p) => format!("{context}|{:?}", Stamp::of(&p)),
            None => context,
        }
    }

    /// Reads and parses `s` afresh, with its stamp and `context` for the cache.
    fn parse(&self, s: &SourceFile, context: String) -> Result<Parsed, Diagnostic> {
        let stamp = Stamp::of(&s.abs);
        let max = self.config.max_file_size;
        let (bytes, too_large) = match discover::read(s, max)? {
            discover::Contents::Bytes(b) => (b, None),
            discover::Contents::TooLarge(size) => {
                (discover::too_large_page(s, size, max).into_bytes(), Some(discover::too_large(s, size, max)))
            }
        };
        let sidecar = sidecar_path(s).and_then(|p| std::fs::read_to_string(p).ok());
        let mut doc = parse_file(s, &bytes, sidecar.as_deref(), self);
        doc.diagnostics.extend(too_large);
        Ok((doc, bytes.len(), stamp.map(|st| (st, context))))
    }
}

/// Where `s`'s sidecar file is, when it has one.
fn sidecar_path(s: &SourceFile) -> Option<PathBuf> {
    s.sidecar.as_ref().and_then(|p| p.rsplit('/').next()).map(|f| s.abs.with_file_name(f))
}

/// The settings every parse depends on; a change empties the parse cache.
fn parse_settings(config: &Config, prefixes: &[String]) -> String {
    format!(
        "{:?}|{:?}|{:?}|{}|{}|{}",
        config.statuses, prefixes, config.links, config.highlight, config.diagrams, config.max_file_size
    )
}

/// `load`, re-using the parse results in `cache` for unchanged files and updating it, and the
/// link of `previous` (the last load) when what linking reads is unchanged. `changed` lists the
/// files edited since the last load (relative paths), when known: the last discovery holds
/// when they cannot change it ([`discover::Discovered::still_holds`]), the other files are
/// taken from the cache without a `stat` ([`trusted`]), and when only their bodies changed
/// the last load is patched ([`patch::body_edit`]); `None` walks the folder and stats every
/// file.
pub fn load_cached(
    root: &Path,
    config: Config,
    diagnostics: Vec<Diagnostic>,
    skip: &[PathBuf],
    cache: &mut ParseCache,
    previous: Option<Loaded>,
    changed: Option<&[String]>,
) -> Loaded {
    let previous = match (previous, changed) {
        (Some(p), Some(ch)) if !cache.one_shot => {
            match patch::body_edit(root, (&config, &diagnostics), skip, cache, p, ch) {
                Ok(loaded) => return loaded,
                Err(p) => Some(*p),
            }
        }
        (p, _) => p,
    };
    for rel in changed.unwrap_or_default() {
        cache.invalidate(rel);
    }
    let mut timings = Timings::default();
    let t = Instant::now();
    let found = discover_cached(root, &config, skip, cache, changed);
    timings.push("discover", t);
    let t = Instant::now();
    let mut parts = DiagParts { config: diagnostics, discovery: found.diagnostics, ..DiagParts::default() };
    let collections = found.collections;
    let templates = read_templates(&found.sources);
    let prefixes = id_prefixes(&collections);
    // Patterns were validated with the configuration, so this cannot fail here.
    let scanner = Scanner::new(&prefixes, &config.links).unwrap_or_default();
    cache.prepare(&config, parse_settings(&config, &prefixes));
    let cx = ParseCx {
        collections: &collections,
        config: &config,
        scanner: &scanner,
        templates: &templates,
        engines: cache.engines(&config),
    };
    let parsed = parse_all(&found.sources, &cx, cache, trusted(changed).as_ref());
    take_engine_stats(cx.engines, &mut timings);
    let (mut docs, fresh_sources) = keep_parsed(parsed, &found.sources, cache, &mut parts, &mut timings);
    parts.site.extend(lint::structure(&docs, &collections, &templates));
    cache.linted = docs.len();
    timings.push("read + parse", t);
    // Dates and contributors from one walk of the git history, where the document states none.
    let t = Instant::now();
    let notes = git_dates(root, &mut docs, cache);
    timings.push("git", t);
    let t = Instant::now();
    if let Some(h) = &cache.git {
        let inputs = SnapshotInputs { collections: &collections, config: &config, scanner: &scanner };
        status_histories(root, &mut docs, &found.sources, h, &inputs, &mut cache.snapshots);
        if let Some(days) = config.stale_after_days {
            parts.site.extend(history::stale_proposals(&docs, h.head_time, days));
        }
    }
    timings.push("history", t);
    let t = Instant::now();
    let input =
        LinkInput { root, config: &config, files: &found.files, collections: &collections, fresh: &fresh_sources };
    let (linked, repo_prefix) = link_step(&input, docs, cache, previous);
    timings.push("link", t);
    let diagnostics = parts.all(&linked.link_diags);
    Loaded {
        config,
        site: linked.site,
        diagnostics,
        parts,
        collections,
        repo_prefix,
        timings,
        notes,
        fresh: fresh_sources,
        link_diags: linked.link_diags,
        link_key: linked.key,
        relinked: linked.relinked,
        link_memo: linked.memo,
    }
}

/// The templates among `sources`, read.
fn read_templates(sources: &[SourceFile]) -> lint::Templates {
    lint::Templates::read(
        sources.iter().filter(|s| s.is_template).map(|s| (s.rel.as_str(), s.abs.as_path(), s.collection)),
    )
}

/// The files the watcher did not name, when it named them all (`changed` is known, names no
/// folder above the sources, and is not the "anything may have changed" signal of a changed
/// `dossier.toml`): those are unchanged, and their cached parses are taken without a `stat`.
fn trusted(changed: Option<&[String]>) -> Option<std::collections::HashSet<&str>> {
    let changed = changed?;
    let full = changed.iter().any(|rel| rel.is_empty() || rel == config::FILE_NAME);
    (!full).then(|| changed.iter().map(String::as_str).collect())
}

/// Reads and parses every source (in parallel), taking the cached parse of those unchanged:
/// with `trusted` (the files the watcher named) those it did not name, else those whose stamp
/// (one `stat`) is the cached one. Counts the `stat`s in `cache.stated`.
fn parse_all(
    sources: &[SourceFile],
    cx: &ParseCx<'_>,
    cache: &ParseCache,
    trusted: Option<&std::collections::HashSet<&str>>,
) -> Vec<Result<Parsed, Diagnostic>> {
    let stated = std::sync::atomic::AtomicUsize::new(0);
    let parsed = sources
        .par_iter()
        .map(|s: &SourceFile| {
            let context = cx.context(s);
            if let Some(e) = cache.entries.get(&s.rel).filter(|e| e.context == context) {
                if trusted.is_some_and(|t| !t.contains(s.rel.as_str())) {
                    return Ok((e.doc.clone(), e.len, None));
                }
                if Stamp::of(&s.abs).is_some_and(|st| st == e.stamp) {
                    stated.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    return Ok((e.doc.clone(), e.len, None));
                }
            }
            // The parse takes the file's stamp.
            stated.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            cx.parse(s, context)
        })
        .collect();
    cache.stated.store(stated.into_inner(), std::sync::atomic::Ordering::Relaxed);
    parsed
}

/// The highlighter's and diagram renderer's counts of this load, into `timings`.
fn take_engine_stats(
    (highlighter, diagrams): (Option<&parse::highlight::Highlighter>, Option<&parse::diagram::Diagrammer>),
    timings: &mut Timings,
) {
    if let Some(h) = highlighter {
        let (n, nanos) = h.take_stats();
        timings.highlight = Some((n, Duration::from_nanos(nanos)));
    }
    if let Some(d) = diagrams {
        let (n, nanos, median) = d.take_stats();
        timings.diagrams = Some((n, Duration::from_nanos(nanos), Duration::from_micros(median as u64)));
    }
}

/// The documents of `parsed` (of `sources`, in order) with their own diagnostics moved into
/// `parts`; the fresh parses go into the cache. Returns the documents and the sources parsed
/// afresh.
fn keep_parsed(
    parsed: Vec<Result<Parsed, Diagnostic>>,
    sources: &[SourceFile],
    cache: &mut ParseCache,
    parts: &mut DiagParts,
    timings: &mut Timings,
) -> (Vec<Doc>, Vec<String>) {
    let live: std::collections::HashSet<&str> = sources.iter().map(|s| s.rel.as_str()).collect();
    cache.entries.retain(|k, _| live.contains(k.as_str()));
    cache.parsed = 0;
    let mut fresh_sources = Vec::new();
    let mut docs = Vec::with_capacity(parsed.len());
    for (p, s) in parsed.into_iter().zip(sources) {
        match p {
            Ok((mut d, len, fresh)) => {
                if let Some((stamp, context)) = fresh {
                    cache.parsed += 1;
                    fresh_sources.push(d.source.clone());
                    if !cache.one_shot {
                        cache.entries.insert(d.source.clone(), CacheEntry { stamp, context, doc: d.clone(), len });
                    }
                }
                if !d.diagnostics.is_empty() {
                    parts.own.insert(d.source.clone(), std::mem::take(&mut d.diagnostics));
                }
                timings.source_bytes += len as u64;
                docs.push(d);
            }
            Err(d) => parts.own.entry(s.rel.clone()).or_default().push(d),
        }
    }
    (docs, fresh_sources)
}

/// What the link step reads besides the documents.
struct LinkInput<'a> {
    root: &'a Path,
    config: &'a Config,
    files: &'a std::collections::BTreeSet<String>,
    collections: &'a [config::Collection],
    /// The sources parsed afresh by this load.
    fresh: &'a [String],
}

/// The link step's result.
struct LinkStep {
    site: Site,
    link_diags: Vec<Diagnostic>,
    key: LinkKey,
    relinked: usize,
    memo: link::Memo,
}

/// Links `docs`: the last link of `previous` with the new parses in place when the link key
/// is unchanged, else an incremental link from its memo (a full one in a one-shot load).
/// Also returns the repository prefix.
fn link_step(
    input: &LinkInput<'_>,
    docs: Vec<Doc>,
    cache: &ParseCache,
    previous: Option<Loaded>,
) -> (LinkStep, Option<String>) {
    let (config, collections) = (input.config, input.collections);
    let repo_prefix = repo_prefix(input.root);
    let repo = config
        .repo_url
        .as_ref()
        .and_then(|url| repo_prefix.clone().map(|prefix| link::RepoLinks { repo_url: url.clone(), prefix }));
    let collection_pages: Vec<(String, String)> = collections
        .iter()
        .filter_map(|c| match c.kind {
            Kind::Adr => Some((c.path.clone(), "log/".to_string())),
            Kind::Design => Some((c.path.clone(), "designs/".to_string())),
            Kind::Page => None,
        })
        .collect();
    let lopts = link::Options {
        files: input.files,
        reserved: render::RESERVED,
        broken_links: config.broken_links,
        repo: repo.as_ref(),
        collection_pages: &collection_pages,
        root_prefix: repo_prefix.as_deref(),
    };
    let options = crate::fx_hash(&(
        format!("{:?}|{:?}", config.broken_links, repo.as_ref().map(|r| (&r.repo_url, &r.prefix))),
        input.files,
        &collection_pages,
        &repo_prefix,
    ));
    let head = cache.git.as_ref().map(|h| h.head.clone());
    let key = link_key(&docs, options, head, input.fresh, previous.as_ref().map(|p| &p.link_key));
    let step = match previous {
        Some(mut p) if p.link_key == key => {
            let memo = std::mem::take(&mut p.link_memo);
            let (site, link_diags) = reuse_link(p, docs);
            LinkStep { site, link_diags, key, relinked: 0, memo }
        }
        previous => {
            let memo = previous.map(|mut p| {
                let memo = std::mem::take(&mut p.link_memo);
                // Freeing ten thousand documents takes tens of milliseconds: not on the way.
                std::thread::spawn(move || drop(p));
                memo
            });
            let inc = (!cache.one_shot).then(|| link::Incremental {
                inputs: &key.docs,
                options: key.options,
                previous: memo.unwrap_or_default(),
            });
            let linked = link::link_incremental(docs, &lopts, inc);
            LinkStep {
                site: linked.site,
                link_diags: linked.diagnostics,
                key,
                relinked: linked.relinked,
                memo: linked.memo,
            }
        }
    };
    (step, repo_prefix)
}

/// The last discovery when `changed` cannot change it (same configuration and skip list),
/// else a new walk, kept for the next load (but by a one-shot cache).
fn discover_cached(
    root: &Path,
    config: &Config,
    skip: &[PathBuf],
    cache: &mut ParseCache,
    changed: Option<&[String]>,
) -> discover::Discovered {
    let settings = discover_settings(config, skip);
    if let (Some(changed), Some((s, found))) = (changed, &cache.discovered)
        && *s == settings
        && found.still_holds(root, changed)
    {
        cache.walked = false;
        return found.clone();
    }
    cache.walked = true;
    let found = discover::discover(root, config, skip);
    if !cache.one_shot {
        cache.discovered = Some((settings, found.clone()));
    }
    found
}

/// The settings discovery runs under: a change walks the folder again.
fn discover_settings(config: &Config, skip: &[PathBuf]) -> String {
    format!("{:?}|{:?}|{:?}", config.collections, config.max_file_size, skip)
}

/// Dates and contributors from one walk of the git history (read again only when HEAD moves),
/// where the document states none; the notes say when there is no history or only a shallow one.
fn git_dates(root: &Path, docs: &mut [Doc], cache: &mut ParseCache) -> Vec<String> {
    let mut notes = Vec::new();
    let head = git::head(root);
    if head.is_some() && cache.git.as_ref().map(|h| &h.head) != head.as_ref() {
        cache.git = git::history(root).ok();
    } else if head.is_none() {
        cache.git = None;
    }
    let Some(h) = &cache.git else {
        notes.push("no git history here: pages show no \"Last updated\" dates".to_string());
        return notes;
    };
    if h.shallow {
        notes.push(
            "git history is shallow (a shallow clone): created dates may be wrong; fetch with fetch-depth: 0"
                .to_string(),
        );
    }
    for d in docs.iter_mut() {
        apply_git(h, d);
    }
    notes
}

/// `d`'s created and updated dates from the history, where it states none, and its contributors.
fn apply_git(h: &git::History, d: &mut Doc) {
    if let Some(f) = h.files.get(&d.source) {
        if d.date.is_none() {
            d.date = Some(f.created.clone());
            d.date_source = Some("git");
        }
        // A date the document states ("Last updated: …") wins over the last commit.
        if d.updated.is_none() {
            d.updated = Some(f.updated.clone());
        }
        d.contributors = f.contributors.clone();
    }
}

/// What parsing a past revision needs besides its bytes.
struct SnapshotInputs<'a> {
    collections: &'a [config::Collection],
    config: &'a Config,
    scanner: &'a Scanner,
}

/// Each collection document's status history: its revisions from the one git walk, each
/// parsed once with the normal parser (without highlighting or diagrams) after one batch read
/// of the blobs not parsed before. Parses are kept in `snapshots` across `serve` rebuilds.
fn status_histories(
    root: &Path,
    docs: &mut [Doc],
    sources: &[SourceFile],
    h: &git::History,
    inputs: &SnapshotInputs<'_>,
    snapshots: &mut HashMap<(String, String), history::Snapshot>,
) {
    let by_rel: HashMap<&str, &SourceFile> = sources.iter().map(|s| (s.rel.as_str(), s)).collect();
    let revisions = |d: &Doc| -> Option<&[history::Revision]> {
        if d.collection.is_none() || d.is_template {
            return None;
        }
        h.revisions.by_path.get(&d.source).map(Vec::as_slice)
    };
    let todo: std::collections::BTreeSet<(&str, &str)> = docs
        .iter()
        .filter_map(|d| Some((d.source.as_str(), revisions(d)?)))
        .flat_map(|(rel, revs)| revs.iter().map(move |r| (rel, r.blob.as_str())))
        .filter(|&(rel, blob)| !snapshots.contains_key(&(rel.to_string(), blob.to_string())))
        .collect();
    // A document unchanged since HEAD is its newest revision: its parse is the snapshot.
    let dirty = history::changed_since_head(root);
    let clean = |d: &Doc| {
        by_rel.get(d.source.as_str()).is_some_and(|s| s.sidecar.is_none())
            && dirty.as_ref().is_some_and(|dirty| !dirty.contains(&d.source))
    };
    for d in docs.iter().filter(|d| clean(d)) {
        if let Some(last) = revisions(d).and_then(<[_]>::last) {
            snapshots.entry((d.source.clone(), last.blob.clone())).or_insert_with(|| history::Snapshot::of(d));
        }
    }
    let todo: std::collections::BTreeSet<(&str, &str)> =
        todo.into_iter().filter(|&(rel, blob)| !snapshots.contains_key(&(rel.to_string(), blob.to_string()))).collect();
    if !todo.is_empty() {
        let wanted: std::collections::BTreeSet<&str> = todo.iter().map(|&(_, b)| b).collect();
        let blobs = history::blobs(root, &wanted.into_iter().collect::<Vec<_>>()).unwrap_or_default();
        let fresh: Vec<((String, String), history::Snapshot)> = todo
            .par_iter()
            .filter_map(|&(rel, blob)| {
                let s = by_rel.get(rel)?;
                Some(((rel.to_string(), blob.to_string()), snapshot(s, blobs.get(blob)?, inputs)))
            })
            .collect();
        snapshots.extend(fresh);
    }
    for d in docs.iter_mut() {
        if let Some(revs) = revisions(d) {
            let rel = d.source.clone();
            d.history = history::changes(revs, |blob| snapshots.get(&(rel.clone(), blob.to_string())));
        }
    }
}

/// What a past revision of `s` said: its status, title and relations.
fn snapshot(s: &SourceFile, bytes: &[u8], inputs: &SnapshotInputs<'_>) -> history::Snapshot {
    let coll = s.collection.map(|c| &inputs.collections[c]);
    let doc = parse::parse(&parse::Input {
        source: s,
        bytes,
        prefix: coll.and_then(|c| c.prefix.as_deref()),
        statuses: &inputs.config.statuses,
        scanner: inputs.scanner,
        highlighter: None,
        diagrams: None,
        sidecar: None,
    });
    history::Snapshot::of(&doc)
}

/// The ID prefixes of the collections (`ADR`), for the mention scanner.
fn id_prefixes(collections: &[config::Collection]) -> Vec<String> {
    collections.iter().filter_map(|c| c.prefix.clone()).collect()
}

/// Parses one source file's bytes: the document, with its own lint warnings (placeholders,
/// open questions; the sections are linted per collection once all are parsed).
fn parse_file(s: &SourceFile, bytes: &[u8], sidecar: Option<&str>, cx: &ParseCx<'_>) -> Doc {
    let coll = s.collection.map(|c| &cx.collections[c]);
    let mut doc = parse::parse(&parse::Input {
        source: s,
        bytes,
        prefix: coll.and_then(|c| c.prefix.as_deref()),
        statuses: &cx.config.statuses,
        scanner: cx.scanner,
        highlighter: cx.engines.0,
        diagrams: cx.engines.1,
        sidecar: s.sidecar.as_deref().zip(sidecar),
    });
    doc.diagnostics.extend(lint::check(&doc, &String::from_utf8_lossy(bytes), cx.templates));
    doc
}

/// The source folder's path inside its git repository (`docs`), empty at the root, or `None`
/// outside a repository.
pub fn repo_prefix(root: &Path) -> Option<String> {
    let abs = write::absolute(root);
    let mut cur = Some(abs.as_path());
    while let Some(dir) = cur {
        if dir.join(".git").exists() {
            let rel = abs.strip_prefix(dir).ok()?;
            return Some(rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"));
        }
        cur = dir.parent();
    }
    None
}

/// The theme `loaded` asks for; a template error as a `Failure::Theme` diagnostic.
pub(crate) fn load_theme(loaded: &Loaded, root: &Path) -> Result<render::theme::Theme, Failure> {
    let theme_dir = loaded.config.theme_dir.as_ref().map(|d| root.join(d));
    render::theme::load(theme_dir.as_deref()).map_err(|e| {
        // Relative to the source folder, like every other diagnostic's path.
        let path =
            Path::new(&e.path).strip_prefix(root).map_or(e.path.clone(), |p| p.to_string_lossy().replace('\\', "/"));
        Failure::Theme(vec![
            Diagnostic::new(
                diag::Code::InvalidConfig,
                path,
                0,
                0,
                format!("theme template failed to load: {}", e.message),
            )
            .help("fix the template syntax; see the README's theme guide"),
        ])
    })
}

/// Runs `build` or `check`.
pub fn run(opts: &Options) -> Result<Report, Failure> {
    let start = Instant::now();
    if !opts.root.is_dir() {
        return Err(Failure::Usage(format!(
            "the source folder {} does not exist or is not a folder",
            opts.root.display()
        )));
    }
    let (config, config_diags) = load_config(&opts.root)?;
    let base_url = match opts.base_url.as_deref() {
        Some(u) => Some(config::normalize_base_url(u).map_err(|m| Failure::Usage(format!("--base-url: {m}")))?),
        None => config.base_url.clone(),
    };
    let out = output_dir(opts, &config);
    let settings = Settings { base_url, skip: vec![write::absolute(&out)], one_shot: true };
    let mut session = Session::new(&opts.root, settings);
    let loaded = session.load_with(config, config_diags);
    let mut timings = loaded.timings.clone();
    let mut report = Report {
        diagnostics: loaded.diagnostics.clone(),
        counts: BTreeMap::new(),
        out: None,
        written: false,
        files: 0,
        elapsed: Duration::ZERO,
        strict: opts.strict,
        timings: Timings::default(),
        notes: loaded.notes.clone(),
        repo_prefix: loaded.repo_prefix.clone(),
        collections: Vec::new(),
        outside_links: loaded.site.outside_links,
    };
    let mut per_collection = vec![0; loaded.collections.len()];
    for d in &loaded.site.docs {
        if !d.doc.is_template {
            *report.counts.entry(d.doc.kind).or_default() += 1;
            if let Some(c) = d.doc.collection.filter(|_| d.doc.kind != Kind::Page) {
                per_collection[c] += 1;
            }
        }
    }
    if loaded.site.docs.is_empty() {
        report.diagnostics.push(empty_source(&opts.root));
        diag::sort(&mut report.diagnostics);
    }
    report.collections = loaded.collections.iter().zip(per_collection).map(|(c, n)| discover::describe(c, n)).collect();
    preflight(opts, &out, loaded)?;
    if opts.mode == Mode::Check || report.failed() {
        report.elapsed = start.elapsed();
        report.timings = timings;
        return Ok(report);
    }
    // Pages go into the staging folder as they are rendered, so that the site is never held
    // in memory whole; then the staging folder is swapped in. Any failure drops the staging
    // folder and leaves the previous site as it was. A theme or template that fails is an
    // invalid configuration (exit 2).
    let sink = Staged(write::Staging::begin(&out, opts.wait).map_err(write_failure)?);
    session.write(&sink, &mut timings)?;
    let t = Instant::now();
    let Staged(staging) = sink;
    if let Some(note) = staging.finish().map_err(write_failure)? {
        report.notes.push(note);
    }
    timings.push("swap", t);
    report.timings = timings;
    report.files = session.work().written;
    report.out = Some(out);
    report.written = true;
    report.elapsed = start.elapsed();
    Ok(report)
}

/// What stops a run before its diagnostics count: `check` loads the theme, so that a broken
/// template fails it as it fails `build`; `build` checks OUT's location first, since an OUT
/// inside a collection hides it from the walk and the refusal, not the broken links that
/// follow from it, is the problem.
fn preflight(opts: &Options, out: &Path, loaded: &Loaded) -> Result<(), Failure> {
    match opts.mode {
        Mode::Check => load_theme(loaded, &opts.root).map(|_| ()),
        Mode::Build => {
            write::check_location(&opts.root, out, &collections_around(&opts.root, out, loaded)).map_err(write_failure)
        }
    }
}

/// The collections' paths for `write::check_location`. An existing OUT inside DIR that is not a
/// site of ours was skipped by the walk, and a collection in it with it: then DIR is walked
/// again without skipping, so that the collection is found and the refusal names it.
fn collections_around(root: &Path, out: &Path, loaded: &Loaded) -> Vec<String> {
    let inside = write::absolute(out).starts_with(write::absolute(root));
    let foreign = out.is_dir() && !out.join(write::MARKER).is_file();
    let collections = if inside && foreign {
        discover::discover(root, &loaded.config, &[]).collections
    } else {
        loaded.collections.clone()
    };
    collections.into_iter().map(|c| c.path).collect()
}

/// `empty-source`: a run that found no Markdown file at all (a template alone is not reported),
/// on the source folder itself (`.`).
fn empty_source(root: &Path) -> Diagnostic {
    Diagnostic::new(
        diag::Code::EmptySource,
        ".",
        0,
        0,
        format!("0 documents: the source folder `{}` holds no Markdown files", root.display()),
    )
    .help(
        "dossier reads the .md and .markdown files under DIR (but in hidden folders, node_modules and target); \
         pass the folder that holds them, e.g. `dossier build docs`",
    )
}

fn write_failure(e: WriteError) -> Failure {
    match e {
        WriteError::Refused(m) => Failure::Refused(m),
        e @ WriteError::Busy(_) => Failure::Refused(e.to_string()),
        e @ WriteError::Io { .. } => Failure::Io(format!("{e}; the previous output was left untouched")),
    }
}
