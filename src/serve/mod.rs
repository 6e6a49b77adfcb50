//! `dossier serve`: build into a private temporary folder, serve it on loopback, watch the
//! sources, rebuild incrementally (the same pipeline, with parse results memoised and only
//! changed files written), and tell open pages to reload. Errors show as an overlay while the
//! last good site stays up. The library reports through a callback and never prints.

pub mod http;
pub mod watch;

use crate::build::{self, Failure, ParseCache};
use crate::config;
use crate::diag::{self, Code, Diagnostic};
use crate::write::{self, Written};
use http::Route;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

/// What the user asked for.
#[derive(Clone, Debug)]
pub struct Options {
    pub root: PathBuf,
    pub port: u16,
    pub bind: String,
    pub base_url: Option<String>,
    pub poll: bool,
}

/// What happens while serving, for the caller to print.
#[derive(Debug)]
pub enum Event<'a> {
    PortBusy {
        port: u16,
    },
    Listening {
        url: String,
        output: &'a Path,
        public: bool,
    },
    Rebuilt {
        documents: usize,
        written: usize,
        parsed: usize,
        elapsed: Duration,
        diagnostics: &'a [Diagnostic],
        /// Wall time per stage of this rebuild.
        stages: &'a [(&'static str, Duration)],
    },
    WatchError(String),
    Stopped,
}

/// State shared by the request threads and the rebuild loop.
struct Shared {
    out: PathBuf,
    base: String,
    errors: RwLock<Vec<Diagnostic>>,
    build: AtomicU64,
    clients: Mutex<Vec<Box<dyn std::io::Write + Send>>>,
    stop: AtomicBool,
}

impl Shared {
    /// Sends an event to every open event stream, dropping the ones that are gone.
    fn broadcast(&self, event: &str, data: &str) {
        let msg = format!("event: {event}\ndata: {data}\n\n");
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        clients.retain_mut(|w| w.write_all(msg.as_bytes()).and_then(|()| w.flush()).is_ok());
    }
}

/// The incremental builder: the same pipeline as `build`, with memoised parsing and writes of
/// changed files only.
struct Rebuilder {
    root: PathBuf,
    out: PathBuf,
    base_url: Option<String>,
    cache: ParseCache,
    /// Document pages of earlier rebuilds, reused while their inputs stay the same.
    pages: crate::render::PageMemo,
    written: Written,
    /// The last rebuild without errors, for the head start.
    last: Option<build::Loaded>,
}

struct Outcome {
    documents: usize,
    stages: Vec<(&'static str, Duration)>,
    /// Output paths that changed.
    changed: Vec<String>,
    diagnostics: Vec<Diagnostic>,
}

impl Rebuilder {
    /// Rebuilds after `touched` changed. The pages of the edited documents are written first,
    /// then the other document pages, and `pages_done` hears which changed each time, before
    /// the index pages and the search index are rendered.
    fn rebuild(&mut self, touched: &[PathBuf], pages_done: &dyn Fn(&[String])) -> Outcome {
        let t = Instant::now();
        let head_start = self.head_start(touched, pages_done).map(|()| ("head start", t.elapsed()));
        let last = self.last.take();
        for p in touched {
            if let Ok(rel) = p.strip_prefix(&self.root) {
                self.cache.invalidate(&rel.to_string_lossy().replace('\\', "/"));
            }
        }
        let fail = |diagnostics: Vec<Diagnostic>| Outcome {
            documents: 0,
            stages: Vec::new(),
            changed: Vec::new(),
            diagnostics,
        };
        let (config, config_diags) = match build::load_config(&self.root) {
            Ok(c) => c,
            Err(Failure::Config(d)) => return fail(d),
            Err(other) => {
                return fail(vec![Diagnostic::new(Code::InvalidConfig, config::FILE_NAME, 0, 0, other.to_string())]);
            }
        };
        // Freeing ten thousand documents takes tens of milliseconds: not on the way to the reload.
        if let Some(last) = last {
            std::thread::spawn(move || drop(last));
        }
        let base_url = self.base_url.clone().or_else(|| config.base_url.clone());
        let loaded =
            build::load_cached(&self.root, config, config_diags, std::slice::from_ref(&self.out), &mut self.cache);
        let documents = loaded.site.docs.len();
        let mut stages: Vec<_> = head_start.into_iter().chain(loaded.timings.stages.iter().copied()).collect();
        let mut diagnostics = loaded.diagnostics.clone();
        if diagnostics.iter().any(Diagnostic::is_error) {
            return Outcome { documents, stages, changed: Vec::new(), diagnostics };
        }
        let mut timings = build::Timings::default();
        let (out, written) = (&self.out, &mut self.written);
        let mut first: Result<Vec<String>, write::WriteError> = Ok(Vec::new());
        // Called for the edited documents' pages, then for all document pages.
        let mut write_pages = |pages: &[write::OutputFile]| {
            let Ok(so_far) = &mut first else { return };
            match write::sync_changed(out, pages, written) {
                Ok(changed) => {
                    pages_done(&changed);
                    so_far.extend(changed);
                }
                Err(e) => first = Err(e),
            }
        };
        let files = match build::outputs(
            &loaded,
            &self.root,
            base_url.as_deref(),
            &mut timings,
            Some(&self.pages),
            None,
            Some(&mut write_pages),
        ) {
            Ok(f) => f,
            Err(Failure::Config(d) | Failure::Theme(d)) => {
                diagnostics.extend(d);
                return Outcome { documents, stages, changed: Vec::new(), diagnostics };
            }
            Err(other) => {
                diagnostics.push(Diagnostic::new(Code::InvalidConfig, config::FILE_NAME, 0, 0, other.to_string()));
                return Outcome { documents, stages, changed: Vec::new(), diagnostics };
            }
        };
        stages.extend(timings.stages);

        let t = Instant::now();
        let result = first.and_then(|mut changed| {
            changed.extend(write::sync(&self.out, &files, &mut self.written)?);
            Ok(changed)
        });
        stages.push(("write", t.elapsed()));
        match result {
            Ok(changed) => {
                self.last = Some(loaded);
                Outcome { documents, stages, changed, diagnostics }
            }
            Err(e) => {
                diagnostics.push(Diagnostic::new(
                    Code::UnreadableFile,
                    self.out.display().to_string(),
                    0,
                    0,
                    e.to_string(),
                ));
                Outcome { documents, stages, changed: Vec::new(), diagnostics }
            }
        }
    }
}

impl Rebuilder {
    /// The head start of a rebuild: when the edits are to the bodies of known documents only
    /// (nothing linking reads changed: `link::swap_body`), their pages are rendered from the
    /// last good site, written and announced at once, before discovery, the parse of every
    /// file and the whole-site link. The full rebuild follows and rewrites only what differs.
    /// `None` (and nothing written) when some edit needs the full rebuild.
    fn head_start(&mut self, touched: &[PathBuf], pages_done: &dyn Fn(&[String])) -> Option<()> {
        let mut rels = Vec::new();
        for p in touched {
            let rel = p.strip_prefix(&self.root).ok()?.to_string_lossy().replace('\\', "/");
            // The configuration, the theme, images: they can change every page.
            if !crate::discover::is_markdown(&rel) {
                return None;
            }
            rels.push(rel);
        }
        rels.sort();
        rels.dedup();
        let last = self.last.as_mut()?;
        let docs = rels.iter().map(|r| build::reparse(&self.root, last, &self.cache, r)).collect::<Option<Vec<_>>>()?;
        for doc in docs {
            if crate::link::swap_body(&mut last.site, doc).is_none() {
                // An earlier file may be swapped in already: this site is not the last good one.
                // (Freed aside, as in `rebuild`.)
                if let Some(last) = self.last.take() {
                    std::thread::spawn(move || drop(last));
                }
                return None;
            }
        }
        let base_url = self.base_url.clone().or_else(|| last.config.base_url.clone());
        let pages = build::pages_of(last, &self.root, base_url.as_deref(), Some(&self.pages), &rels)?;
        let changed = write::sync_changed(&self.out, &pages, &mut self.written).ok()?;
        pages_done(&changed);
        Some(())
    }
}

/// Serves until `shutdown` receives (or its sender is dropped).
pub fn run(opts: &Options, shutdown: Receiver<()>, report: &dyn Fn(Event<'_>)) -> Result<(), Failure> {
    if !opts.root.is_dir() {
        return Err(Failure::Usage(format!(
            "the source folder {} does not exist or is not a folder",
            opts.root.display()
        )));
    }
    let root = opts.root.canonicalize().map_err(|e| Failure::Usage(format!("{}: {e}", opts.root.display())))?;
    // A private output folder, removed when serving stops; never the `build` output.
    let tmp = tempfile::Builder::new()
        .prefix("dossier-serve-")
        .tempdir()
        .map_err(|e| Failure::Io(format!("cannot create a temporary folder: {e}")))?;
    let out = tmp.path().canonicalize().map_err(|e| Failure::Io(e.to_string()))?;
    let base_url = match &opts.base_url {
        Some(u) => Some(config::normalize_base_url(u).map_err(|m| Failure::Usage(format!("--base-url: {m}")))?),
        None => None,
    };
    let mut rebuilder = Rebuilder {
        root: root.clone(),
        out: out.clone(),
        base_url: base_url.clone(),
        cache: ParseCache::default(),
        pages: Default::default(),
        written: Written::new(),
        last: None,
    };

    // Watch first, so that no change made while building or starting is missed.
    let (tx, rx) = channel::<Vec<PathBuf>>();
    let _watcher = match watch::watch(&root, opts.poll, tx) {
        Ok(w) => Some(w),
        Err(e) => {
            report(Event::WatchError(format!("cannot watch {}: {e}; try --poll", root.display())));
            None
        }
    };

    // The first build; the server starts even when it has errors (the overlay shows them).
    let start = Instant::now();
    let first = rebuilder.rebuild(&[], &|_| {});
    report(Event::Rebuilt {
        documents: first.documents,
        written: first.changed.len(),
        parsed: rebuilder.cache.parsed,
        elapsed: start.elapsed(),
        diagnostics: &first.diagnostics,
        stages: &first.stages,
    });
    let config_base = build::load_config(&root).ok().and_then(|(c, _)| c.base_url);
    let base = config::base_path(base_url.as_deref().or(config_base.as_deref()));
    let shared = Arc::new(Shared {
        out: out.clone(),
        base: base.clone(),
        errors: RwLock::new(errors_of(&first.diagnostics)),
        // Build ids start from the clock, so that a page reconnecting to a restarted server sees
        // a new id and reloads.
        build: AtomicU64::new(
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_millis() as u64),
        ),
        clients: Mutex::new(Vec::new()),
        stop: AtomicBool::new(false),
    });

    let server = bind(&opts.bind, opts.port, report)?;
    let addr = server.server_addr().to_ip().ok_or_else(|| Failure::Io("the server has no IP address".into()))?;
    let server = Arc::new(server);
    let public = !addr.ip().is_loopback();
    let host = if addr.is_ipv6() { format!("[{}]", addr.ip()) } else { addr.ip().to_string() };
    report(Event::Listening { url: format!("http://{host}:{}{base}", addr.port()), output: &out, public });

    let mut threads = Vec::new();
    for _ in 0..8 {
        let (server, shared) = (Arc::clone(&server), Arc::clone(&shared));
        threads.push(std::thread::spawn(move || {
            while !shared.stop.load(Ordering::Relaxed) {
                match server.recv_timeout(Duration::from_millis(200)) {
                    Ok(Some(req)) => handle(req, &shared),
                    Ok(None) => {}
                    Err(_) => break,
                }
            }
        }));
    }
    {
        // Keep-alive pings: dead event streams only show up on write.
        //
        // The same thread also opens (and at once closes) a connection to the server every
        // 200 ms. tiny_http 0.12 hands each connection to a thread pool that can lose a wake-up
        // when two connections arrive together (`util/task_pool.rs`: `spawn` trusts a stale
        // count of waiting threads); the lost connection is only picked up when the next one
        // arrives, so a page could wait for one file forever. Arriving connections unstick it.
        let shared = Arc::clone(&shared);
        let poke = std::net::SocketAddr::new(
            if addr.ip().is_unspecified() {
                if addr.is_ipv6() { std::net::Ipv6Addr::LOCALHOST.into() } else { std::net::Ipv4Addr::LOCALHOST.into() }
            } else {
                addr.ip()
            },
            addr.port(),
        );
        threads.push(std::thread::spawn(move || {
            let mut last = Instant::now();
            while !shared.stop.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(200));
                let _ = std::net::TcpStream::connect_timeout(&poke, Duration::from_millis(100));
                if last.elapsed() >= Duration::from_secs(15) {
                    let mut clients = shared.clients.lock().unwrap_or_else(|e| e.into_inner());
                    clients.retain_mut(|w| w.write_all(b": ping\n\n").and_then(|()| w.flush()).is_ok());
                    last = Instant::now();
                }
            }
        }));
    }

    let mut had_errors = !shared.errors.read().unwrap_or_else(|e| e.into_inner()).is_empty();
    loop {
        match shutdown.try_recv() {
            Ok(()) | Err(std::sync::mpsc::TryRecvError::Disconnected) => break,
            Err(std::sync::mpsc::TryRecvError::Empty) => {}
        }
        let batch = match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(b) => b,
            Err(RecvTimeoutError::Timeout) => continue,
            Err(RecvTimeoutError::Disconnected) => {
                std::thread::sleep(Duration::from_millis(100));
                continue;
            }
        };
        let mut touched: Vec<PathBuf> = batch.into_iter().filter(|p| watch::relevant(&root, &out, p)).collect();
        while let Ok(more) = rx.try_recv() {
            touched.extend(more.into_iter().filter(|p| watch::relevant(&root, &out, p)));
        }
        if touched.is_empty() {
            continue;
        }
        let start = Instant::now();
        // Document pages are written first: the pages among them that changed reload at once,
        // while the index pages and the search index are still being made. Not while an error
        // overlay is up: the reload after the whole rebuild clears it.
        let early: std::cell::RefCell<Vec<String>> = Default::default();
        let pages_done = |changed: &[String]| {
            early.borrow_mut().extend_from_slice(changed);
            let (paths, _) = touched_pages(&base, changed);
            if !had_errors && !paths.is_empty() {
                let build = shared.build.fetch_add(1, Ordering::SeqCst) + 1;
                shared.broadcast(
                    "reload",
                    &serde_json::json!({"build": build, "all": false, "paths": paths}).to_string(),
                );
            }
        };
        let outcome = rebuilder.rebuild(&touched, &pages_done);
        let errors = errors_of(&outcome.diagnostics);
        let has_errors = !errors.is_empty();
        *shared.errors.write().unwrap_or_else(|e| e.into_inner()) = errors;
        let build = shared.build.fetch_add(1, Ordering::SeqCst) + 1;
        let early: std::collections::HashSet<String> = early.take().into_iter().collect();
        let late: Vec<String> = outcome.changed.iter().filter(|p| !early.contains(*p)).cloned().collect();
        let (paths, assets_changed) = touched_pages(&base, &late);
        let all = has_errors != had_errors || has_errors || assets_changed;
        had_errors = has_errors;
        if all || !paths.is_empty() {
            let data = serde_json::json!({"build": build, "all": all, "paths": paths});
            shared.broadcast("reload", &data.to_string());
        }
        report(Event::Rebuilt {
            documents: outcome.documents,
            written: outcome.changed.len(),
            parsed: rebuilder.cache.parsed,
            elapsed: start.elapsed(),
            diagnostics: &outcome.diagnostics,
            stages: &outcome.stages,
        });
    }
    shared.stop.store(true, Ordering::SeqCst);
    server.unblock();
    for t in threads {
        let _ = t.join();
    }
    report(Event::Stopped);
    drop(tmp);
    Ok(())
}

/// The errors among `diags` (warnings do not raise the overlay).
fn errors_of(diags: &[Diagnostic]) -> Vec<Diagnostic> {
    let mut e: Vec<Diagnostic> = diags.iter().filter(|d| d.is_error()).cloned().collect();
    diag::sort(&mut e);
    e
}

/// The pages a rebuild touched (URL paths), and whether a file every page may use (stylesheet,
/// script, image) changed. Search index parts only concern the search page; `dossier.json` none.
fn touched_pages(base: &str, changed: &[String]) -> (Vec<String>, bool) {
    let mut paths = Vec::new();
    let mut assets = false;
    for p in changed {
        if p.ends_with(".html") {
            paths.push(url_path(base, p));
        } else if p.starts_with("search/") {
            paths.push(format!("{base}search/"));
        } else if p != "dossier.json" {
            assets = true;
        }
    }
    paths.sort();
    paths.dedup();
    (paths, assets)
}

/// The URL path a browser shows for an output file: `adr/x/index.html` → `/kb/adr/x/`.
fn url_path(base: &str, file: &str) -> String {
    match file.strip_suffix("index.html") {
        Some(dir) => format!("{base}{dir}"),
        None => format!("{base}{file}"),
    }
}

/// Binds to `bind:port`, trying the next ports when it is busy (port 0 picks a free one).
fn bind(bind: &str, port: u16, report: &dyn Fn(Event<'_>)) -> Result<tiny_http::Server, Failure> {
    let mut last_err = String::new();
    for p in port..port.saturating_add(if port == 0 { 1 } else { 20 }) {
        match tiny_http::Server::http((bind, p)) {
            Ok(s) => return Ok(s),
            Err(e) => {
                let in_use =
                    e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::AddrInUse);
                if !in_use {
                    return Err(Failure::Usage(format!("cannot listen on {bind}:{p}: {e}")));
                }
                report(Event::PortBusy { port: p });
                last_err = e.to_string();
            }
        }
    }
    Err(Failure::Refused(format!(
        "no free port from {port} to {}: {last_err}; choose one with --port",
        port.saturating_add(19)
    )))
}

/// A path made safe for a `Location` header: non-ASCII bytes, controls and spaces escaped.
fn location(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_graphic() {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("valid header")
}

/// Answers one request.
fn handle(req: tiny_http::Request, shared: &Shared) {
    use tiny_http::{Method, Response};
    if !matches!(req.method(), Method::Get | Method::Head) {
        let _ = req.respond(
            Response::from_string("method not allowed\n")
                .with_status_code(405)
                .with_header(header("Allow", "GET, HEAD")),
        );
        return;
    }
    let no_store = header("Cache-Control", "no-store");
    let errors = shared.errors.read().unwrap_or_else(|e| e.into_inner()).clone();
    match http::route(req.url(), &shared.base, &shared.out) {
        Route::File(path) => match std::fs::read(&path) {
            Ok(bytes) => {
                let mime = http::mime(&path);
                let body =
                    if mime.starts_with("text/html") { http::inject(&bytes, &shared.base, &errors) } else { bytes };
                let _ = req
                    .respond(Response::from_data(body).with_header(header("Content-Type", mime)).with_header(no_store));
            }
            Err(_) => not_found(req, shared, &errors),
        },
        Route::Redirect(to) => {
            let _ =
                req.respond(Response::empty(301).with_header(header("Location", &location(&to))).with_header(no_store));
        }
        Route::Script => {
            let _ = req.respond(
                Response::from_string(http::script(&shared.base))
                    .with_header(header("Content-Type", "text/javascript; charset=utf-8"))
                    .with_header(no_store),
            );
        }
        Route::Events => {
            let mut w = req.into_writer();
            let build = shared.build.load(Ordering::SeqCst);
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: keep-alive\r\n\r\nretry: 500\n\nevent: hello\ndata: {{\"build\":{build}}}\n\n"
            );
            if w.write_all(head.as_bytes()).and_then(|()| w.flush()).is_ok() {
                shared.clients.lock().unwrap_or_else(|e| e.into_inner()).push(w);
            }
        }
        Route::NotFound => not_found(req, shared, &errors),
        Route::BadRequest => {
            let _ = req.respond(Response::from_string("bad request\n").with_status_code(400).with_header(no_store));
        }
    }
}

fn not_found(req: tiny_http::Request, shared: &Shared, errors: &[Diagnostic]) {
    let page = std::fs::read(shared.out.join("404.html"))
        .unwrap_or_else(|_| b"<!DOCTYPE html><html><body><h1>Not found</h1></body></html>".to_vec());
    let body = http::inject(&page, &shared.base, errors);
    let _ = req.respond(
        tiny_http::Response::from_data(body)
            .with_status_code(404)
            .with_header(header("Content-Type", "text/html; charset=utf-8"))
            .with_header(header("Cache-Control", "no-store")),
    );
}
