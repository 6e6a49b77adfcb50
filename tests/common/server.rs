//! A running `dossier serve` for tests: start on a free port, raw HTTP requests, event stream.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

pub struct Serve {
    pub child: Child,
    pub addr: String,
    pub base_url: String,
    pub preview: PathBuf,
    pub log: Receiver<String>,
}

impl Serve {
    /// Starts `dossier serve DIR --port 0 [args]` and waits until it listens.
    pub fn start(dir: &Path, args: &[&str]) -> Serve {
        Serve::start_with(dir, args, |_| {})
    }

    /// `start`, with `prepare` adjusting the command first (environment, limits).
    pub fn start_with(dir: &Path, args: &[&str], prepare: impl FnOnce(&mut Command)) -> Serve {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("dossier"));
        cmd.arg("serve")
            .arg(dir)
            .args(if args.contains(&"--port") { &[][..] } else { &["--port", "0"][..] })
            .args(args)
            .env("NO_COLOR", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        prepare(&mut cmd);
        let mut child = cmd.spawn().unwrap();
        let (tx, log) = channel();
        for stream in
            [Box::new(child.stdout.take().unwrap()) as Box<dyn Read + Send>, Box::new(child.stderr.take().unwrap())]
        {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    let _ = tx.send(line);
                }
            });
        }
        let deadline = Instant::now() + Duration::from_secs(30);
        let (mut url, mut preview) = (None, None);
        while url.is_none() || preview.is_none() {
            let line =
                log.recv_timeout(deadline.saturating_duration_since(Instant::now())).expect("serve did not start");
            if let Some(rest) = line.split(" at http://").nth(1) {
                url = Some(format!("http://{}", rest.split(' ').next().unwrap()));
            }
            if let Some(p) = line.strip_prefix("dossier: preview files in ") {
                preview = Some(PathBuf::from(p));
            }
        }
        let base_url = url.unwrap();
        let addr = base_url.trim_start_matches("http://").split('/').next().unwrap().to_string();
        Serve { child, addr, base_url, preview: preview.unwrap(), log }
    }

    /// Sends a raw request line (the path is sent exactly as given) and returns status, headers, body.
    pub fn raw(&self, method: &str, path: &str) -> (u16, String, Vec<u8>) {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
        write!(s, "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", self.addr).unwrap();
        let mut buf = Vec::new();
        s.read_to_end(&mut buf).unwrap();
        let split = buf.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or(buf.len());
        let head = String::from_utf8_lossy(&buf[..split]).into_owned();
        let body = buf.get(split + 4..).unwrap_or(&[]).to_vec();
        let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
        (status, head, body)
    }

    pub fn get(&self, path: &str) -> (u16, String) {
        let (s, _, b) = self.raw("GET", path);
        (s, String::from_utf8_lossy(&b).into_owned())
    }

    /// Opens the event stream; lines arrive on the returned channel.
    pub fn events(&self, base: &str) -> Receiver<String> {
        let mut s = TcpStream::connect(&self.addr).unwrap();
        write!(s, "GET {base}__dossier/events HTTP/1.1\r\nHost: {}\r\n\r\n", self.addr).unwrap();
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(s).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        rx
    }

    /// Waits for a log line containing `needle`.
    pub fn wait_log(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let line = self
                .log
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|_| panic!("no log line with {needle:?}"));
            if line.contains(needle) {
                return line;
            }
        }
    }

    /// Stops the server with Ctrl-C (SIGINT) and waits for it to exit.
    pub fn stop(mut self) -> std::process::ExitStatus {
        let _ = Command::new("kill").args(["-INT", &self.child.id().to_string()]).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(st) = self.child.try_wait().unwrap() {
                return st;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("serve did not stop on Ctrl-C");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Serve {
    /// Ctrl-C first, so that the server removes its preview folder (a kill leaves it in /tmp),
    /// then a kill if it has not stopped within 3 s.
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = Command::new("kill").args(["-INT", &self.child.id().to_string()]).status();
            let deadline = Instant::now() + Duration::from_secs(3);
            while matches!(self.child.try_wait(), Ok(None)) && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits (10 s at most) for an event line on `rx` that contains `needle`, returning it.
pub fn wait_event(rx: &Receiver<String>, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let line = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .unwrap_or_else(|_| panic!("no event with {needle:?}"));
        if line.contains(needle) {
            return line;
        }
    }
}
