//! One engine for `build`, `check` and `serve`: a [`Session`] owns every memo (file stamps and
//! parses, the linked model, rendered pages, the hashes of written files) behind one entry point,
//! [`Session::run`]. `build` is a session run once with a sink that stages and swaps; `serve`
//! keeps one session and a sink that writes the changed files and announces them. Incremental
//! means memoised, here and nowhere else: the stages themselves are pure functions of their
//! inputs.
//!
//! To load a folder into the linked model and its diagnostics without writing anything (the
//! entry point for other front ends): `Session::new(root, Settings::default())` then
//! [`Session::load`], or [`Session::model`] after a run.

use crate::build::{self, Failure, Loaded, ParseCache, Timings};
use crate::config;
use crate::diag::Diagnostic;
use crate::render::{self, PageMemo};
use crate::search;
use crate::write::{self, OutputFile, Written};
use rayon::prelude::*;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Where a session's output goes. Called from the render threads: `put` as each changed file is
/// ready, `pages_done` after the document pages (first those of the documents just edited,
/// then all), before the index pages and the search index.
pub trait Sink: Sync {
    /// Takes one new or changed output file; an `Err` stops the run.
    fn put(&self, file: &OutputFile) -> Result<(), String>;
    /// An output file of the previous run that this run no longer makes.
    fn remove(&self, _path: &str) -> Result<(), String> {
        Ok(())
    }
    /// The document pages are out: `changed` are the paths put since the last call.
    fn pages_done(&self, _changed: &[String]) {}
}

/// What a session is told besides its folder.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    /// `--base-url`, normalised; `None` leaves `base_url` of `dossier.toml` in force.
    pub base_url: Option<String>,
    /// Folders the walk skips (the output folder).
    pub skip: Vec<PathBuf>,
    /// A single run (`build`, `check`): keep no memo that only a second run would read.
    pub one_shot: bool,
}

/// Counts of the work one run did, for `--timings` and tests.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Work {
    /// Source files whose stamp was read (a `stat` each): none but the edited ones when the
    /// watcher named every change.
    pub stated: usize,
    /// Source files read and parsed afresh.
    pub parsed: usize,
    /// Documents linted (their own checks and their sections).
    pub linted: usize,
    /// Whether the folder was walked again (not when the edits could not change discovery).
    pub walked: bool,
    /// Documents linked again (all of them when linking ran).
    pub relinked: usize,
    /// Pages rendered (not taken from the page memo).
    pub rendered: usize,
    /// Output files hashed to find the changed ones.
    pub hashed: usize,
    /// Output files put into the sink (new or changed).
    pub written: usize,
    /// Output files of the previous run removed.
    pub removed: usize,
}

/// What one run of [`Session::run`] produced.
#[derive(Debug, Default)]
pub struct Outcome {
    pub documents: usize,
    /// Wall time per stage.
    pub stages: Vec<(&'static str, Duration)>,
    /// Output paths put or removed, sorted.
    pub changed: Vec<String>,
    pub diagnostics: Vec<Diagnostic>,
    pub work: Work,
}

/// The incremental engine; see the module documentation.
pub struct Session {
    root: PathBuf,
    settings: Settings,
    cache: ParseCache,
    pages: PageMemo,
    /// Output path → hash of the bytes last put (not kept by a one-shot session).
    written: Mutex<Written>,
    model: Option<Loaded>,
    /// The default theme, compiled once (a theme folder's files may change: it is loaded again
    /// each run).
    theme: Option<render::theme::Theme>,
    work: Work,
    /// The files changed since the last load (relative), when known.
    changed: Option<Vec<String>>,
}

impl Session {
    /// A session over the source folder `root`; nothing is read until [`Session::load`] or
    /// [`Session::run`].
    pub fn new(root: impl Into<PathBuf>, settings: Settings) -> Session {
        let cache = if settings.one_shot { ParseCache::one_shot() } else { ParseCache::default() };
        let pages = if settings.one_shot { PageMemo::off() } else { PageMemo::default() };
        Session {
            root: root.into(),
            settings,
            cache,
            pages,
            written: Mutex::default(),
            model: None,
            theme: None,
            work: Work::default(),
            changed: None,
        }
    }

    /// The source folder.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The model of the last load: the linked site, its configuration and diagnostics.
    pub fn model(&self) -> Option<&Loaded> {
        self.model.as_ref()
    }

    /// The base URL in force: `--base-url`, else `base_url` of `dossier.toml`.
    pub fn base_url(&self) -> Option<&str> {
        self.settings.base_url.as_deref().or_else(|| self.model.as_ref()?.config.base_url.as_deref())
    }

    /// Brings the model up to date after `changed` (absolute paths; empty for the first load or
    /// when unknown: unchanged files are recognised by their stamps either way) and returns it.
    /// Reads `dossier.toml` again each time; an invalid one is a `Failure::Config` and leaves
    /// the last model in place.
    pub fn load(&mut self, changed: &[PathBuf]) -> Result<&Loaded, Failure> {
        let mut rels = Vec::new();
        for p in changed {
            match p.strip_prefix(&self.root) {
                Ok(rel) => rels.push(rel.to_string_lossy().replace('\\', "/")),
                // Outside the folder: nothing tells what changed.
                Err(_) => rels.push(String::new()),
            }
        }
        self.changed = (!changed.is_empty()).then_some(rels);
        let (config, config_diags) = build::load_config(&self.root)?;
        Ok(self.load_with(config, config_diags))
    }

    /// [`Session::load`] with the configuration already read (and its diagnostics), after the
    /// changes given to [`Session::load`] or none.
    pub fn load_with(&mut self, config: config::Config, config_diags: Vec<Diagnostic>) -> &Loaded {
        let previous = self.model.take().filter(|_| !self.settings.one_shot);
        let changed = self.changed.take();
        let (root, skip) = (&self.root, &self.settings.skip);
        let loaded =
            build::load_cached(root, config, config_diags, skip, &mut self.cache, previous, changed.as_deref());
        self.work = Work {
            stated: self.cache.stated.load(std::sync::atomic::Ordering::Relaxed),
            parsed: self.cache.parsed,
            linted: self.cache.linted,
            walked: self.cache.walked,
            relinked: loaded.relinked,
            ..Work::default()
        };
        self.model.insert(loaded)
    }

    /// Loads after `changed`, then, when the model has no errors, renders and puts into `sink`
    /// what changed since the last run. Invalid configuration, templates and failed writes come
    /// back as diagnostics in the outcome; the sink then holds what the last good run made.
    pub fn run(&mut self, changed: &[PathBuf], sink: &dyn Sink) -> Outcome {
        let fail = |diagnostics: Vec<Diagnostic>| Outcome { diagnostics, ..Outcome::default() };
        let loaded = match self.load(changed) {
            Ok(l) => l,
            Err(Failure::Config(d)) => return fail(d),
            Err(other) => return fail(vec![other_failure(other)]),
        };
        let mut outcome = Outcome {
            documents: loaded.site.docs.len(),
            stages: loaded.timings.stages.clone(),
            diagnostics: loaded.diagnostics.clone(),
            ..Outcome::default()
        };
        if outcome.diagnostics.iter().any(Diagnostic::is_error) {
            outcome.work = self.work.clone();
            return outcome;
        }
        let mut timings = Timings::default();
        match self.write(sink, &mut timings) {
            Ok(changed) => outcome.changed = changed,
            Err(Failure::Config(d) | Failure::Theme(d)) => outcome.diagnostics.extend(d),
            Err(other) => outcome.diagnostics.push(other_failure(other)),
        }
        outcome.stages.extend(timings.stages);
        outcome.work = self.work.clone();
        outcome
    }

    /// The work of the last run.
    pub fn work(&self) -> &Work {
        &self.work
    }

    /// Renders the loaded model and puts what changed into `sink`: the pages of the documents
    /// parsed afresh first (when only some were), then all document pages, then the index
    /// pages and the search index side by side; last, removes what is gone. Returns the
    /// changed paths, sorted. Theme and template errors come back as `Failure::Theme`, a failed
    /// put or removal as `Failure::Io`.
    pub fn write(&mut self, sink: &dyn Sink, timings: &mut Timings) -> Result<Vec<String>, Failure> {
        let Some(loaded) = self.model.as_ref() else { return Ok(Vec::new()) };
        let base_url = self.settings.base_url.as_deref().or(loaded.config.base_url.as_deref());
        let t = Instant::now();
        let default_theme = loaded.config.theme_dir.is_none() && !self.settings.one_shot;
        let theme = match self.theme.take() {
            Some(t) if default_theme => t,
            _ => build::load_theme(loaded, &self.root)?,
        };
        let ropts = render::Options {
            config: &loaded.config,
            base_url,
            root: &self.root,
            repo_prefix: loaded.repo_prefix.as_deref(),
        };
        let put = Put::new(sink, (!self.settings.one_shot).then_some(&self.written));
        let stop = |s| match s {
            render::Stop::Template(d) => Failure::Theme(vec![d]),
            render::Stop::Emit(m) => Failure::Io(m),
        };
        let emit = |f: OutputFile| put.file(f);
        if !loaded.fresh.is_empty() && loaded.fresh.len() < loaded.site.docs.len() {
            // The pages of the files just edited first (`serve`): the rest only re-checks them.
            let fresh: HashSet<&str> = loaded.fresh.iter().map(String::as_str).collect();
            render::doc_pages(&loaded.site, &theme, &ropts, &self.pages, Some(&fresh), &emit).map_err(stop)?;
            sink.pages_done(&put.take_new());
            timings.push("edited pages", t);
        }
        let t = Instant::now();
        if self.work.walked || self.work.relinked > 0 || self.settings.one_shot {
            render::doc_pages(&loaded.site, &theme, &ropts, &self.pages, None, &emit).map_err(stop)?;
            sink.pages_done(&put.take_new());
            timings.push("render pages", t);
        } else {
            // Only known sources changed (no walk) and the link was reused: no title, status,
            // relation, link or neighbour changed, so the other documents' pages show the same
            // as before. They stay as written.
            put.keep(loaded.site.docs.iter().filter(|d| !d.url.is_empty()).map(|d| format!("{}index.html", d.url)));
        }
        // The index pages and the search index side by side: each has sequential parts (merging
        // the postings, the big list pages) that the other's threads fill.
        let t = Instant::now();
        let ((site_pages, indexes_took), (search_files, search_took)) = rayon::join(
            || {
                let t = Instant::now();
                (render::site_pages(&loaded.site, &theme, &ropts, &self.pages), t.elapsed())
            },
            || {
                let t = Instant::now();
                (search::index(&loaded.site, &loaded.config.language, &loaded.config.strings), t.elapsed())
            },
        );
        let (mut files, graph) = site_pages.map_err(stop)?;
        files.extend(search_files);
        timings.push("indexes + search", t);
        timings.graph = Some(graph);
        timings.side_by_side = Some((indexes_took, search_took));
        let t = Instant::now();
        files.into_par_iter().try_for_each(|f| put.file(f)).map_err(Failure::Io)?;
        let removed = put.remove_gone(sink).map_err(Failure::Io)?;
        timings.push("write", t);
        let live = put.seen.lock().unwrap_or_else(|e| e.into_inner());
        self.pages.retain(|p| live.contains(p));
        timings.output_bytes = put.bytes.load(std::sync::atomic::Ordering::Relaxed);
        timings.pages_written = Some(Duration::from_nanos(put.nanos.load(std::sync::atomic::Ordering::Relaxed)));
        let mut changed = put.all.into_inner().unwrap_or_else(|e| e.into_inner());
        self.work.written = changed.len();
        self.work.hashed = put.hashed.load(std::sync::atomic::Ordering::Relaxed);
        self.work.removed = removed.len();
        self.work.rendered = self.pages.take_rendered();
        if default_theme {
            self.theme = Some(theme);
        }
        changed.extend(removed);
        changed.sort();
        Ok(changed)
    }
}

/// A failure that is not the configuration's, as a diagnostic on `dossier.toml`.
fn other_failure(f: Failure) -> Diagnostic {
    Diagnostic::new(crate::diag::Code::InvalidConfig, config::FILE_NAME, 0, 0, f.to_string())
}

/// The session's side of a sink: skips files whose bytes were put before unchanged (when it
/// keeps `written`), and keeps account of what it put.
struct Put<'a> {
    sink: &'a dyn Sink,
    written: Option<&'a Mutex<Written>>,
    /// Every path of this run.
    seen: Mutex<HashSet<String>>,
    /// The paths put since the last `take_new`, and all of them.
    new: Mutex<Vec<String>>,
    all: Mutex<Vec<String>>,
    bytes: std::sync::atomic::AtomicU64,
    nanos: std::sync::atomic::AtomicU64,
    /// Files hashed to compare with what was put before.
    hashed: std::sync::atomic::AtomicUsize,
}

impl<'a> Put<'a> {
    fn new(sink: &'a dyn Sink, written: Option<&'a Mutex<Written>>) -> Put<'a> {
        Put {
            sink,
            written,
            seen: Mutex::default(),
            new: Mutex::default(),
            all: Mutex::default(),
            bytes: Default::default(),
            nanos: Default::default(),
            hashed: Default::default(),
        }
    }

    fn file(&self, f: OutputFile) -> Result<(), String> {
        use std::sync::atomic::Ordering::Relaxed;
        let t = Instant::now();
        if let OutputFile::Bytes { bytes, .. } = &f {
            self.bytes.fetch_add(bytes.len() as u64, Relaxed);
        }
        let f = match self.written {
            None => f,
            Some(written) => {
                // A copied file is read to see whether it changed, and put as bytes.
                let f = match f {
                    OutputFile::Copy { path, from } => {
                        let bytes = std::fs::read(&from).map_err(|e| format!("{}: {e}", from.display()))?;
                        OutputFile::Bytes { path, bytes }
                    }
                    b => b,
                };
                let OutputFile::Bytes { path, bytes } = &f else { return Ok(()) };
                let h = write::digest(bytes);
                self.hashed.fetch_add(1, Relaxed);
                self.seen.lock().unwrap_or_else(|e| e.into_inner()).insert(path.clone());
                if written.lock().unwrap_or_else(|e| e.into_inner()).get(path) == Some(&h) {
                    return Ok(());
                }
                self.sink.put(&f)?;
                written.lock().unwrap_or_else(|e| e.into_inner()).insert(path.clone(), h);
                self.note(path);
                self.nanos.fetch_add(t.elapsed().as_nanos() as u64, Relaxed);
                return Ok(());
            }
        };
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).insert(f.path().to_string());
        self.sink.put(&f)?;
        self.note(f.path());
        self.nanos.fetch_add(t.elapsed().as_nanos() as u64, Relaxed);
        Ok(())
    }

    /// Counts `paths` as made by this run without putting them (unchanged since the last).
    fn keep(&self, paths: impl Iterator<Item = String>) {
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).extend(paths);
    }

    fn note(&self, path: &str) {
        self.new.lock().unwrap_or_else(|e| e.into_inner()).push(path.to_string());
        self.all.lock().unwrap_or_else(|e| e.into_inner()).push(path.to_string());
    }

    /// The paths put since the last call, sorted.
    fn take_new(&self) -> Vec<String> {
        let mut v = std::mem::take(&mut *self.new.lock().unwrap_or_else(|e| e.into_inner()));
        v.sort();
        v
    }

    /// Removes from the sink (and forgets) the files of the previous run that this one did not
    /// make; returns their paths, sorted.
    fn remove_gone(&self, sink: &dyn Sink) -> Result<Vec<String>, String> {
        let Some(written) = self.written else { return Ok(Vec::new()) };
        let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let mut written = written.lock().unwrap_or_else(|e| e.into_inner());
        let mut gone: Vec<String> = written.keys().filter(|p| !seen.contains(p.as_str())).cloned().collect();
        gone.sort();
        for p in &gone {
            sink.remove(p)?;
            written.remove(p);
        }
        Ok(gone)
    }
}

/// `build`'s sink: every file into a staging folder, swapped in for the output at the end by
/// the caller ([`write::Staging::finish`]).
pub struct Staged(pub write::Staging);

impl Sink for Staged {
    fn put(&self, file: &OutputFile) -> Result<(), String> {
        self.0.put(file).map_err(|e| format!("{e}; the previous output was left untouched"))
    }
}

/// A sink that keeps nothing: renders the site (so that template errors show) without writing.
pub struct Discard;

impl Sink for Discard {
    fn put(&self, _file: &OutputFile) -> Result<(), String> {
        Ok(())
    }
}
