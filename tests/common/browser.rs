//! Headless Chromium (Debian's `chromium`) driven over the DevTools protocol, for browser tests.
#![allow(dead_code, clippy::print_stderr)]

use serde_json::{Value, json};
use std::io::{BufRead, BufReader};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tungstenite::{Message, WebSocket};

/// The Chromium binary, or `None` (with the reason printed) when it is missing. With
/// `DOSSIER_REQUIRE_CHROMIUM=1` (set by `.ci/run`) a missing browser fails the test.
pub fn chromium() -> Option<String> {
    for c in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] {
        if std::path::Path::new(c).exists() {
            return Some(c.to_string());
        }
    }
    if std::env::var("DOSSIER_REQUIRE_CHROMIUM").is_ok_and(|v| v == "1") {
        panic!("chromium is missing but DOSSIER_REQUIRE_CHROMIUM=1");
    }
    eprintln!("skipped: chromium not found (apt-get install chromium; CI installs it)");
    None
}

/// Browser tests in one test binary run one at a time: a headless Chromium and a server each
/// are heavy for a 2-core machine.
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

pub struct Browser {
    _turn: std::sync::MutexGuard<'static, ()>,
    child: Child,
    ws: WebSocket<TcpStream>,
    next_id: u64,
    session: String,
    _profile: tempfile::TempDir,
}

impl Browser {
    /// Starts headless Chromium with one page (viewport `width`×`height`).
    pub fn start(bin: &str, width: u32, height: u32) -> Browser {
        let turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
        let profile = tempfile::tempdir().unwrap();
        let mut child = Command::new(bin)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--remote-debugging-port=0",
                &format!("--window-size={width},{height}"),
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start chromium");
        let stderr = child.stderr.take().unwrap();
        let mut ws_url = None;
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(u) = line.split("DevTools listening on ").nth(1) {
                ws_url = Some(u.trim().to_string());
                break;
            }
        }
        let ws_url = ws_url.expect("chromium did not print its DevTools address");
        let hostport = ws_url.trim_start_matches("ws://").split('/').next().unwrap().to_string();
        let stream = TcpStream::connect(&hostport).unwrap();
        stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
        let (ws, _) = tungstenite::client(ws_url.as_str(), stream).expect("websocket handshake");
        let mut b = Browser { _turn: turn, child, ws, next_id: 0, session: String::new(), _profile: profile };
        let target = b.call(None, "Target.createTarget", json!({"url": "about:blank"}));
        let target_id = target["targetId"].as_str().unwrap().to_string();
        let attached = b.call(None, "Target.attachToTarget", json!({"targetId": target_id, "flatten": true}));
        b.session = attached["sessionId"].as_str().unwrap().to_string();
        b.page("Page.enable", json!({}));
        b.page("Runtime.enable", json!({}));
        b
    }

    fn call(&mut self, session: Option<&str>, method: &str, params: Value) -> Value {
        self.try_call(session, method, params).unwrap_or_else(|e| panic!("{method}: {e}"))
    }

    /// A DevTools command: its result, or the error the browser answered with.
    fn try_call(&mut self, session: Option<&str>, method: &str, params: Value) -> Result<Value, Value> {
        self.next_id += 1;
        let id = self.next_id;
        let mut msg = json!({"id": id, "method": method, "params": params});
        if let Some(s) = session {
            msg["sessionId"] = json!(s);
        }
        self.ws.send(Message::Text(msg.to_string().into())).unwrap();
        loop {
            let m = self.ws.read().expect("devtools message");
            if let Message::Text(t) = m {
                let v: Value = serde_json::from_str(&t).unwrap();
                if v["id"] == id {
                    return match v.get("error") {
                        Some(e) => Err(e.clone()),
                        None => Ok(v["result"].clone()),
                    };
                }
            }
        }
    }

    /// A DevTools command for the page.
    pub fn page(&mut self, method: &str, params: Value) -> Value {
        let s = self.session.clone();
        self.call(Some(&s), method, params)
    }

    pub fn goto(&mut self, url: &str) {
        self.page("Page.navigate", json!({"url": url}));
        self.wait_for("document.readyState === 'complete'");
    }

    /// Evaluates a JavaScript expression (promises awaited) and returns its value.
    pub fn eval(&mut self, expr: &str) -> Value {
        let r = self.page("Runtime.evaluate", json!({"expression": expr, "returnByValue": true, "awaitPromise": true}));
        r["result"]["value"].clone()
    }

    /// Waits (20 s at most) until `expr` is true.
    pub fn wait_for(&mut self, expr: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            // While the page navigates (a form submitted, a reload) the browser refuses to
            // evaluate ("Inspected target navigated or closed"): that is "not yet", not a failure.
            let s = self.session.clone();
            let check = format!("(function(){{ try {{ return !!({expr}); }} catch (e) {{ return false; }} }})()");
            let r = self.try_call(
                Some(&s),
                "Runtime.evaluate",
                json!({"expression": check, "returnByValue": true, "awaitPromise": true}),
            );
            if r.is_ok_and(|r| r["result"]["value"] == json!(true)) {
                return;
            }
            if Instant::now() >= deadline {
                let state = self.eval(
                    "JSON.stringify({state: document.readyState, url: location.href, resources: performance.getEntriesByType('resource').map(e => e.name + ' ' + Math.round(e.responseEnd))})",
                );
                panic!("timed out waiting for `{expr}`; page: {state}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Saves a PNG screenshot of the page.
    pub fn screenshot(&mut self, path: &std::path::Path) {
        use base64_like::decode;
        let r = self.page("Page.captureScreenshot", json!({"format": "png"}));
        std::fs::write(path, decode(r["data"].as_str().unwrap())).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A small base64 decoder (screenshots only; no dependency for it).
mod base64_like {
    pub fn decode(s: &str) -> Vec<u8> {
        let val = |c: u8| -> Option<u32> {
            Some(match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'+' => 62,
                b'/' => 63,
                _ => return None,
            } as u32)
        };
        let mut out = Vec::with_capacity(s.len() * 3 / 4);
        let (mut acc, mut bits) = (0u32, 0);
        for c in s.bytes().filter_map(val) {
            acc = (acc << 6) | c;
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((acc >> bits) as u8);
            }
        }
        out
    }
}

/// The viewport width and the system colour scheme the page sees.
pub fn set_width(b: &mut Browser, width: u32, dark: bool) {
    b.page(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600}),
    );
    let scheme = if dark { "dark" } else { "light" };
    b.page("Emulation.setEmulatedMedia", json!({"features": [{"name": "prefers-color-scheme", "value": scheme}]}));
}
