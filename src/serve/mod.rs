//! `dossier serve`: build into a private temporary folder, serve it on loopback, watch the
//! sources, rebuild incrementally (the same pipeline, with parse results memoised and only
//! changed files written), and tell open pages to reload. Errors show as an overlay while the
//! last good site stays up. The library reports through a callback and never prints.

pub mod gate;
pub mod http;
pub mod watch;

use crate::build::Failure;
use crate::config;
use crate::diag::{self, Code, Diagnostic};
use crate::session::{self, Session};
use crate::write;
use http::Route;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, channel, sync_channel};
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
        /// What the rebuild did: files parsed, pages rendered.
        work: &'a session::Work,
        elapsed: Duration,
        diagnostics: &'a [Diagnostic],
        /// Wall time per stage of this rebuild.
        stages: &'a [(&'static str, Duration)],
    },
    WatchError(String),
    /// News about watching that is not a problem (the folder is back).
    Watching(String),
    Stopped,
}

/// State shared by the request threads and the rebuild loop.
struct Shared {
    out: PathBuf,
    base: String,
    errors: RwLock<Vec<Diagnostic>>,
    /// Whether some build succeeded: until then every page is the error list itself.
    good: AtomicBool,
    build: AtomicU64,
    /// The open event streams: each has its own writer thread and a bounded queue.
    clients: Mutex<Vec<SyncSender<Arc<str>>>>,
    stop: AtomicBool,
}

/// Events queued for one event stream at most; a client that falls further behind (it stopped
/// reading) is dropped, so that it never holds up a rebuild or another client.
const CLIENT_QUEUE: usize = 32;

impl Shared {
    /// Sends an event to every open event stream, dropping the ones that are gone or behind.
    fn broadcast(&self, event: &str, data: &str) {
        self.send_all(&format!("event: {event}\ndata: {data}\n\n"));
    }

    /// Queues `msg` for every event stream without ever blocking.
    fn send_all(&self, msg: &str) {
        let msg: Arc<str> = Arc::from(msg);
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        clients.retain(|tx| tx.try_send(Arc::clone(&msg)).is_ok());
    }

    /// Registers an event stream: a thread writes its queue to `w` until a write fails.
    fn add_client(&self, mut w: Box<dyn std::io::Write + Send>) {
        let (tx, rx) = sync_channel::<Arc<str>>(CLIENT_QUEUE);
        let spawned = std::thread::Builder::new().stack_size(64 * 1024).spawn(move || {
            for msg in rx {
                if w.write_all(msg.as_bytes()).and_then(|()| w.flush()).is_err() {
                    break;
                }
            }
        });
        if spawned.is_ok() {
            self.clients.lock().unwrap_or_else(|e| e.into_inner()).push(tx);
        }
    }
}

/// `serve`'s sink: writes each changed file into the preview folder and, once the document
/// pages are out, tells `pages_done` which of them changed (their pages reload at once).
struct Live<'a> {
    preview: write::Preview,
    pages_done: &'a (dyn Fn(&[String]) + Sync),
}

impl session::Sink for Live<'_> {
    fn put(&self, file: &write::OutputFile) -> Result<(), String> {
        self.preview.put(file).map_err(|e| e.to_string())
    }

    fn remove(&self, path: &str) -> Result<(), String> {
        self.preview.remove(path).map_err(|e| e.to_string())
    }

    fn pages_done(&self, changed: &[String]) {
        (self.pages_done)(changed);
    }
}

/// One rebuild of `session` after `touched` into the preview folder `out`: a failed write is
/// a diagnostic on the folder.
fn rebuild(
    session: &mut Session,
    out: &Path,
    touched: &[PathBuf],
    pages_done: &(dyn Fn(&[String]) + Sync),
) -> session::Outcome {
    let preview = match write::Preview::open(out) {
        Ok(p) => p,
        Err(e) => {
            let d = Diagnostic::new(Code::UnreadableFile, out.display().to_string(), 0, 0, e.to_string());
            return session::Outcome { diagnostics: vec![d], ..Default::default() };
        }
    };
    session.run(touched, &Live { preview, pages_done })
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
    let settings = session::Settings { base_url: base_url.clone(), skip: vec![out.clone()], one_shot: false };
    let mut session = Session::new(root.clone(), settings);

    // Watch first, so that no change made while building or starting is missed.
    let (tx, rx) = channel::<Vec<PathBuf>>();
    let mut watcher = start_watching(&root, opts.poll, &tx, report);
    let mut folder = watch::identity(&root);

    // The first build; the server starts even when it has errors (the overlay shows them).
    let start = Instant::now();
    let first = rebuild(&mut session, &out, &[], &|_| {});
    report(Event::Rebuilt {
        documents: first.documents,
        written: first.changed.len(),
        work: &first.work,
        elapsed: start.elapsed(),
        diagnostics: &first.diagnostics,
        stages: &first.stages,
    });
    // The rule of `base_url` in force (the flag, else the configuration) is the session's.
    let base = config::base_path(session.base_url());
    let shared = Arc::new(Shared {
        out: out.clone(),
        base: base.clone(),
        errors: RwLock::new(errors_of(&first.diagnostics)),
        good: AtomicBool::new(errors_of(&first.diagnostics).is_empty()),
        // Build ids start from the clock, so that a page reconnecting to a restarted server sees
        // a new id and reloads.
        build: AtomicU64::new(
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_millis() as u64),
        ),
        clients: Mutex::new(Vec::new()),
        stop: AtomicBool::new(false),
    });

    let running = Running::start(opts, &base, &shared, report)?;
    let mut had_errors = !shared.errors.read().unwrap_or_else(|e| e.into_inner()).is_empty();
    loop {
        match shutdown.try_recv() {
            Ok(()) | Err(std::sync::mpsc::TryRecvError::Disconnected) => break,
            Err(std::sync::mpsc::TryRecvError::Empty) => {}
        }
        let batch = match rx.recv_timeout(Duration::from_millis(100)) {
            Ok(b) => b,
            Err(RecvTimeoutError::Timeout) => Vec::new(),
            Err(RecvTimeoutError::Disconnected) => {
                std::thread::sleep(Duration::from_millis(100));
                Vec::new()
            }
        };
        let mut touched: Vec<PathBuf> = batch.into_iter().filter(|p| watch::relevant(&root, &out, p)).collect();
        while let Ok(more) = rx.try_recv() {
            touched.extend(more.into_iter().filter(|p| watch::relevant(&root, &out, p)));
        }
        // Files gone: maybe the whole folder is going (`rm -rf`, a `git checkout`), or an
        // editor saves by rename. Let it finish before rebuilding, so that the last good site is
        // not torn down to half.
        if touched.iter().any(|p| !p.exists()) {
            settle_deletions(
                &rx,
                &mut touched,
                |p| watch::relevant(&root, &out, p),
                || watch::identity(&root) != folder,
            );
        }
        // The folder itself removed, or replaced by a new one (a `git checkout` can do either):
        // its watch is gone with it.
        if watch::identity(&root) != folder {
            drop(watcher.take());
            if !await_folder(&root, &shared, &shutdown, report) {
                break;
            }
            had_errors = true;
            watcher = start_watching(&root, opts.poll, &tx, report);
            folder = watch::identity(&root);
            // Let a checkout or a copy finish: the full rebuild below covers what it wrote.
            std::thread::sleep(Duration::from_millis(300));
            while rx.try_recv().is_ok() {}
            report(Event::Watching(format!("{} is back: watching it again", root.display())));
            // A full rebuild: any file may have changed meanwhile.
            touched = vec![root.join(config::FILE_NAME)];
        }
        if touched.is_empty() {
            continue;
        }
        let start = Instant::now();
        // Document pages are written first: the pages among them that changed reload at once,
        // while the index pages and the search index are still being made. Not while an error
        // overlay is up: the reload after the whole rebuild clears it.
        let early: Mutex<Vec<String>> = Default::default();
        let pages_done = |changed: &[String]| {
            early.lock().unwrap_or_else(|e| e.into_inner()).extend_from_slice(changed);
            let (paths, _) = touched_pages(&base, changed);
            if !had_errors && !paths.is_empty() {
                let build = shared.build.fetch_add(1, Ordering::SeqCst) + 1;
                shared.broadcast(
                    "reload",
                    &serde_json::json!({"build": build, "all": false, "paths": paths}).to_string(),
                );
            }
        };
        let outcome = rebuild(&mut session, &out, &touched, &pages_done);
        let errors = errors_of(&outcome.diagnostics);
        let has_errors = !errors.is_empty();
        *shared.errors.write().unwrap_or_else(|e| e.into_inner()) = errors;
        if !has_errors {
            shared.good.store(true, Ordering::SeqCst);
        }
        let build = shared.build.fetch_add(1, Ordering::SeqCst) + 1;
        let early: std::collections::HashSet<String> =
            early.into_inner().unwrap_or_else(|e| e.into_inner()).into_iter().collect();
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
            work: &outcome.work,
            elapsed: start.elapsed(),
            diagnostics: &outcome.diagnostics,
            stages: &outcome.stages,
        });
    }
    running.stop(&shared);
    report(Event::Stopped);
    drop(tmp);
    Ok(())
}

/// Watches `root`, saying so when it cannot.
fn start_watching(
    root: &Path,
    poll: bool,
    tx: &std::sync::mpsc::Sender<Vec<PathBuf>>,
    report: &dyn Fn(Event<'_>),
) -> Option<watch::Watcher> {
    match watch::watch(root, poll, tx.clone()) {
        Ok(w) => Some(w),
        Err(e) => {
            report(Event::WatchError(format!("cannot watch {}: {e}; try --poll", root.display())));
            None
        }
    }
}

/// The watched folder went away: says so in the log and in every page's overlay (the last good
/// site stays up), then waits for a folder at that path again. False when told to stop first.
fn await_folder(root: &Path, shared: &Shared, shutdown: &Receiver<()>, report: &dyn Fn(Event<'_>)) -> bool {
    let gone = !root.is_dir();
    if gone {
        let what = format!("the watched folder {} was removed; waiting for it to come back", root.display());
        let d = Diagnostic::new(Code::UnreadableFile, root.display().to_string(), 0, 0, what.clone())
            .help("restore the folder (or check out a branch that has it): the preview rebuilds by itself");
        *shared.errors.write().unwrap_or_else(|e| e.into_inner()) = vec![d];
        let build = shared.build.fetch_add(1, Ordering::SeqCst) + 1;
        shared.broadcast("reload", &serde_json::json!({"build": build, "all": true, "paths": []}).to_string());
        report(Event::WatchError(what));
    }
    // One stat of the folder itself per tick; its files are watched with native events again
    // once it is back.
    loop {
        match shutdown.try_recv() {
            Ok(()) | Err(std::sync::mpsc::TryRecvError::Disconnected) => return false,
            Err(std::sync::mpsc::TryRecvError::Empty) => {}
        }
        if root.is_dir() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
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
        } else if !is_data_file(p) {
            assets = true;
        }
    }
    paths.sort();
    paths.dedup();
    (paths, assets)
}

/// An output no page shows or loads (the model, feeds, files for assistants, a page's Markdown):
/// a change to one reloads nothing.
fn is_data_file(p: &str) -> bool {
    matches!(p, "dossier.json" | "llms.txt" | "llms-full.txt" | "feed.xml" | "sitemap.xml" | "robots.txt")
        || p.ends_with("/index.md")
        || p == "index.md"
}

/// The URL path a browser shows for an output file: `adr/x/index.html` → `/kb/adr/x/`.
fn url_path(base: &str, file: &str) -> String {
    match file.strip_suffix("index.html") {
        Some(dir) => format!("{base}{dir}"),
        None => format!("{base}{file}"),
    }
}

/// The HTTP side while serving: dossier's own listener and front door ([`gate`]), tiny_http
/// behind it on a private Unix socket, its request threads and the keep-alive pinger.
struct Running {
    gate: Arc<gate::Gate>,
    server: Arc<tiny_http::Server>,
    /// Where to connect to wake the front door's accept loop.
    wake: std::net::SocketAddr,
    threads: Vec<std::thread::JoinHandle<()>>,
    /// Holds the Unix socket's private folder.
    _sock_dir: tempfile::TempDir,
}

impl Running {
    fn start(opts: &Options, base: &str, shared: &Arc<Shared>, report: &dyn Fn(Event<'_>)) -> Result<Running, Failure> {
        let listener = bind(&opts.bind, opts.port, report)?;
        let addr = listener.local_addr().map_err(|e| Failure::Io(e.to_string()))?;
        let sock_dir = tempfile::Builder::new()
            .prefix("dossier-serve-sock-")
            .tempdir()
            .map_err(|e| Failure::Io(format!("cannot create a temporary folder: {e}")))?;
        let sock = sock_dir.path().join("http.sock");
        let unix = std::os::unix::net::UnixListener::bind(&sock)
            .map_err(|e| Failure::Io(format!("cannot listen on {}: {e}", sock.display())))?;
        let server = tiny_http::Server::from_listener(unix, None).map_err(|e| Failure::Io(e.to_string()))?;
        let server = Arc::new(server);
        let public = !addr.ip().is_loopback();
        let host = if addr.is_ipv6() { format!("[{}]", addr.ip()) } else { addr.ip().to_string() };
        report(Event::Listening { url: format!("http://{host}:{}{base}", addr.port()), output: &shared.out, public });

        let gate = gate::Gate::new(sock.clone(), gate::Limits::default_for_this_process());
        let mut threads = Vec::new();
        let g = Arc::clone(&gate);
        threads.push(std::thread::spawn(move || g.run(&listener)));
        for _ in 0..8 {
            let (server, shared) = (Arc::clone(&server), Arc::clone(shared));
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
        threads.push(pinger(Arc::clone(shared), sock));
        let wake = std::net::SocketAddr::new(
            if addr.ip().is_unspecified() {
                if addr.is_ipv6() { std::net::Ipv6Addr::LOCALHOST.into() } else { std::net::Ipv4Addr::LOCALHOST.into() }
            } else {
                addr.ip()
            },
            addr.port(),
        );
        Ok(Running { gate, server, wake, threads, _sock_dir: sock_dir })
    }

    fn stop(self, shared: &Shared) {
        shared.stop.store(true, Ordering::SeqCst);
        self.gate.stop();
        let _ = std::net::TcpStream::connect_timeout(&self.wake, Duration::from_millis(200));
        self.server.unblock();
        for t in self.threads {
            let _ = t.join();
        }
    }
}

/// How long a deletion waits for the events that may follow it: a little more than the
/// watcher's debounce (25 ms), so that an editor's save by rename (the old file moved away,
/// the new one created) arrives whole. When more events come meanwhile (a burst: `rm -rf`, a
/// checkout) it waits until none has come for [`BURST_QUIET`], 2 s at most.
const DELETE_QUIET: Duration = Duration::from_millis(40);
/// The quiet time that ends a burst of changes.
const BURST_QUIET: Duration = Duration::from_millis(200);

/// Waits after a batch in which files are gone: a deletion is final once no event has come
/// for [`DELETE_QUIET`] (a save by rename creates the file again within the debounce); a burst
/// goes on until [`BURST_QUIET`] passes without events, or `folder_changed`. The events that
/// came (those `relevant` keeps) join `touched`.
fn settle_deletions(
    rx: &std::sync::mpsc::Receiver<Vec<PathBuf>>,
    touched: &mut Vec<PathBuf>,
    relevant: impl Fn(&Path) -> bool,
    folder_changed: impl Fn() -> bool,
) {
    let mut quiet = DELETE_QUIET;
    let mut waited = Duration::ZERO;
    while waited < Duration::from_secs(2) {
        std::thread::sleep(quiet);
        waited += quiet;
        let mut more_came = false;
        while let Ok(more) = rx.try_recv() {
            more_came = true;
            touched.extend(more.into_iter().filter(|p| relevant(p)));
        }
        if !more_came || folder_changed() {
            break;
        }
        quiet = BURST_QUIET;
    }
}

/// Keep-alive pings every 15 s: dead event streams only show up on write.
///
/// The same thread also opens (and at once closes) a connection to tiny_http every 200 ms.
/// tiny_http 0.12 hands each connection to a thread pool that can lose a wake-up when two
/// connections arrive together (`util/task_pool.rs`: `spawn` trusts a stale count of waiting
/// threads); the lost connection is only picked up when the next one arrives, so a page could
/// wait for one file forever. Arriving connections unstick it.
fn pinger(shared: Arc<Shared>, sock: PathBuf) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut last = Instant::now();
        while !shared.stop.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(200));
            let _ = std::os::unix::net::UnixStream::connect(&sock);
            if last.elapsed() >= Duration::from_secs(15) {
                shared.send_all(": ping\n\n");
                last = Instant::now();
            }
        }
    })
}

/// Binds to `bind:port`, trying the next ports when it is busy (port 0 picks a free one).
fn bind(bind: &str, port: u16, report: &dyn Fn(Event<'_>)) -> Result<std::net::TcpListener, Failure> {
    let mut last_err = String::new();
    for p in port..port.saturating_add(if port == 0 { 1 } else { 20 }) {
        match std::net::TcpListener::bind((bind, p)) {
            Ok(s) => return Ok(s),
            Err(e) => {
                if e.kind() != std::io::ErrorKind::AddrInUse {
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
    if !shared.good.load(Ordering::SeqCst) && !errors.is_empty() && http::wants_page(req.url()) {
        let _ = req.respond(
            Response::from_data(http::first_failure(&shared.base, &errors))
                .with_header(header("Content-Type", "text/html; charset=utf-8"))
                .with_header(no_store),
        );
        return;
    }
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
                shared.add_client(w);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deletion_takes_in_the_create_of_a_save_by_rename_and_a_burst_to_its_end() {
        let (tx, rx) = channel();
        let doc = PathBuf::from("/r/adr/0001-x.md");
        // The editor's new file, after the batch that saw the old one go.
        tx.send(vec![doc.clone(), PathBuf::from("/r/adr/0001-x.md~")]).unwrap();
        // Then a burst (a checkout), each event well within the burst's quiet time.
        let burst = std::thread::spawn(move || {
            for i in 0..3 {
                tx.send(vec![PathBuf::from(format!("/r/adr/{i}.md"))]).unwrap();
                std::thread::sleep(Duration::from_millis(30));
            }
        });
        let mut touched = vec![doc.clone()];
        settle_deletions(&rx, &mut touched, |p| !p.to_string_lossy().ends_with('~'), || false);
        burst.join().unwrap();
        let names: Vec<String> = touched.iter().map(|p| p.to_string_lossy().into_owned()).collect();
        assert_eq!(names, ["/r/adr/0001-x.md", "/r/adr/0001-x.md", "/r/adr/0.md", "/r/adr/1.md", "/r/adr/2.md"]);
    }

    #[test]
    fn a_change_to_llms_txt_or_the_feed_reloads_no_page() {
        let changed = ["llms.txt", "llms-full.txt", "feed.xml", "adr/x/index.md", "dossier.json"].map(String::from);
        assert_eq!(touched_pages("/", &changed), (vec![], false));
        let changed = ["assets/style.css", "adr/x/index.html"].map(String::from);
        assert_eq!(touched_pages("/", &changed), (vec!["/adr/x/".to_string()], true));
    }

    /// A writer that never returns, as a client that stopped reading, once its buffers are full.
    struct Stuck(Arc<Mutex<()>>);
    impl std::io::Write for Stuck {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            let _held = self.0.lock();
            Err(std::io::Error::other("released"))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// A client that reads everything, telling the test about each event.
    struct Reader(std::sync::mpsc::Sender<()>);
    impl std::io::Write for Reader {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            let _ = self.0.send(());
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_client_that_falls_behind_is_dropped_without_blocking() {
        let shared = Shared {
            out: PathBuf::new(),
            base: "/".into(),
            errors: RwLock::new(Vec::new()),
            good: AtomicBool::new(true),
            build: AtomicU64::new(0),
            clients: Mutex::new(Vec::new()),
            stop: AtomicBool::new(false),
        };
        let gate = Arc::new(Mutex::new(()));
        let held = gate.lock().unwrap();
        shared.add_client(Box::new(Stuck(Arc::clone(&gate))));
        let (tx, read) = channel();
        shared.add_client(Box::new(Reader(tx)));
        for i in 0..CLIENT_QUEUE + 3 {
            shared.broadcast("reload", &i.to_string());
            read.recv_timeout(Duration::from_secs(10)).unwrap();
        }
        // The stuck one is gone once its queue is full; the good one stays.
        assert_eq!(shared.clients.lock().unwrap().len(), 1);
        drop(held);
    }
}
