//! The preview's front door: dossier accepts TCP connections itself, with a cap on open
//! connections, an idle timeout, a write timeout and `TCP_NODELAY`, and bridges each admitted
//! connection to tiny_http over a private Unix socket. tiny_http 0.12 cannot be handed an
//! accepted connection (`Server::from_listener` takes a listener and runs its own accept loop,
//! which has no timeouts and stops for good at the first accept error, such as running out of
//! file descriptors), so tiny_http listens on that Unix socket only (ADR-0020).

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::os::unix::net::UnixStream;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The limits the front door enforces.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Open connections at most; past it, the one idle longest is closed to admit a new one.
    pub max_connections: usize,
    /// A connection with no byte in either direction for this long is closed.
    pub idle: Duration,
    /// A write to a client that does not read fails after this long.
    pub write: Duration,
}

impl Limits {
    /// The defaults: 256 connections (fewer when the file-descriptor limit is low: each uses
    /// five or six), 30 s idle (twice the event stream's ping interval), 10 s per write.
    pub fn default_for_this_process() -> Limits {
        Limits { max_connections: connection_cap(), idle: Duration::from_secs(30), write: Duration::from_secs(10) }
    }
}

/// Raises the soft limit on open files to the hard one, and keeps the connections' descriptors
/// (five each: the socket, its clone, both ends of the bridge and one clone) well under it.
fn connection_cap() -> usize {
    use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
    let lim = getrlimit(Resource::Nofile);
    if let (Some(cur), Some(max)) = (lim.current, lim.maximum)
        && cur < max
    {
        let _ = setrlimit(Resource::Nofile, Rlimit { current: Some(max), maximum: Some(max) });
    }
    let soft = getrlimit(Resource::Nofile).current.unwrap_or(u64::MAX);
    // 96 descriptors for the rest of the server (watcher, files being read, the build), and a
    // sixth per connection for tiny_http's side while it notices a close.
    let cap = soft.saturating_sub(96) / 6;
    cap.clamp(4, 256) as usize
}

/// One admitted connection, as the registry sees it.
struct Conn {
    id: u64,
    /// A clone of the client's socket, to close it from outside (eviction).
    socket: TcpStream,
    /// Milliseconds since `Gate::epoch` of the last byte either way.
    last: AtomicU64,
}

/// One connection's share of the cap, given back when the last of its threads ends.
struct Slot(Arc<Gate>);

impl Slot {
    fn take(gate: &Arc<Gate>) -> Slot {
        gate.live.fetch_add(1, Ordering::SeqCst);
        Slot(Arc::clone(gate))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.live.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The accept loop's shared state.
pub struct Gate {
    backend: PathBuf,
    limits: Limits,
    epoch: Instant,
    conns: Mutex<Vec<Arc<Conn>>>,
    /// Connections whose descriptors are not all closed yet (an evicted one stays here until
    /// both of its threads have ended): what the cap counts.
    live: AtomicUsize,
    next_id: AtomicU64,
    stop: AtomicBool,
}

impl Gate {
    pub fn new(backend: PathBuf, limits: Limits) -> Arc<Gate> {
        Arc::new(Gate {
            backend,
            limits,
            epoch: Instant::now(),
            conns: Mutex::new(Vec::new()),
            live: AtomicUsize::new(0),
            next_id: AtomicU64::new(0),
            stop: AtomicBool::new(false),
        })
    }

    /// Accepts until `stop`; call `stop` and connect once to end it.
    pub fn run(self: &Arc<Self>, listener: &TcpListener) {
        while !self.stop.load(Ordering::Relaxed) {
            match listener.accept() {
                Ok((socket, _)) if !self.stop.load(Ordering::Relaxed) => self.admit(socket),
                Ok(_) => break,
                Err(e) => {
                    // Out of file descriptors (EMFILE, ENFILE): make room instead of dying.
                    if matches!(e.raw_os_error(), Some(23 | 24)) {
                        self.evict_idlest();
                    }
                    std::thread::sleep(Duration::from_millis(10));
                }
            }
        }
    }

    /// Tells `run` to return at its next connection.
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
    }

    /// How many connections still hold descriptors.
    pub fn open(&self) -> usize {
        self.live.load(Ordering::SeqCst)
    }

    /// Makes room for one more connection: closes the ones idle longest, and waits (a second
    /// at most) for their threads to let go of their descriptors.
    fn make_room(&self) {
        for _ in 0..200 {
            if self.open() < self.limits.max_connections {
                return;
            }
            let in_registry = self.conns.lock().unwrap_or_else(|e| e.into_inner()).len();
            // One at a time: none while an evicted or closing one still holds descriptors.
            if in_registry == self.open() {
                self.evict_idlest();
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    fn now(&self) -> u64 {
        self.epoch.elapsed().as_millis() as u64
    }

    fn admit(self: &Arc<Self>, socket: TcpStream) {
        // Small writes go out at once: no wait for the client's delayed ACK (Nagle's algorithm).
        let _ = socket.set_nodelay(true);
        let _ = socket.set_write_timeout(Some(self.limits.write));
        // Reads wake up every second to check the idle timeout.
        let _ = socket.set_read_timeout(Some(Duration::from_secs(1)));
        self.make_room();
        let Ok(clone) = socket.try_clone() else { return };
        let Ok(bridge) = UnixStream::connect(&self.backend) else { return };
        let Ok(bridge_in) = bridge.try_clone() else { return };
        let conn = Arc::new(Conn {
            id: self.next_id.fetch_add(1, Ordering::Relaxed),
            socket: clone,
            last: AtomicU64::new(self.now()),
        });
        let Ok(socket_out) = socket.try_clone() else { return };
        self.conns.lock().unwrap_or_else(|e| e.into_inner()).push(Arc::clone(&conn));
        let slot = Arc::new(Slot::take(self));
        let keep = Arc::clone(&conn);
        let (gate, c, s) = (Arc::clone(self), Arc::clone(&conn), Arc::clone(&slot));
        let spawned = std::thread::Builder::new()
            .stack_size(64 * 1024)
            .spawn(move || {
                gate.inbound(socket, bridge_in, &c);
                drop(s);
            })
            .is_ok();
        let gate = Arc::clone(self);
        let spawned = spawned
            && std::thread::Builder::new()
                .stack_size(64 * 1024)
                .spawn(move || {
                    gate.outbound(bridge, socket_out, &conn);
                    drop(slot);
                })
                .is_ok();
        if !spawned {
            let _ = keep.socket.shutdown(Shutdown::Both);
            self.forget(&keep);
        }
    }

    /// Client → tiny_http, closing the connection when it has been idle too long.
    fn inbound(&self, mut socket: TcpStream, mut bridge: UnixStream, conn: &Conn) {
        let mut buf = [0u8; 8192];
        loop {
            match socket.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    conn.last.store(self.now(), Ordering::Relaxed);
                    if bridge.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    let idle = self.now().saturating_sub(conn.last.load(Ordering::Relaxed));
                    if idle >= self.limits.idle.as_millis() as u64 || self.stop.load(Ordering::Relaxed) {
                        let _ = socket.shutdown(Shutdown::Both);
                        break;
                    }
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        // tiny_http sees the end of the request stream; the response side finishes by itself.
        let _ = bridge.shutdown(Shutdown::Write);
    }

    /// tiny_http → client. A client that stops reading fails the write after `limits.write`.
    fn outbound(&self, mut bridge: UnixStream, mut socket: TcpStream, conn: &Arc<Conn>) {
        let mut buf = [0u8; 16 * 1024];
        loop {
            match bridge.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    conn.last.store(self.now(), Ordering::Relaxed);
                    if socket.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        let _ = socket.shutdown(Shutdown::Both);
        let _ = bridge.shutdown(Shutdown::Both);
        self.forget(conn);
    }

    fn forget(&self, conn: &Conn) {
        self.conns.lock().unwrap_or_else(|e| e.into_inner()).retain(|c| c.id != conn.id);
    }

    /// Closes the connection idle longest; false when there is none.
    fn evict_idlest(&self) -> bool {
        let mut conns = self.conns.lock().unwrap_or_else(|e| e.into_inner());
        let Some(pos) = conns.iter().enumerate().min_by_key(|(_, c)| c.last.load(Ordering::Relaxed)).map(|(i, _)| i)
        else {
            return false;
        };
        let c = conns.swap_remove(pos);
        let _ = c.socket.shutdown(Shutdown::Both);
        true
    }
}
