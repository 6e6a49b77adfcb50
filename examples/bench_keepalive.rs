//! Benchmark: time per response of a running `dossier serve` over one kept-alive connection,
//! as a browser fetches a page and its assets.
//!
//! `cargo run --example bench_keepalive -- HOST:PORT [REQUESTS] [PATH...]` sends REQUESTS
//! (default 200) GETs one after another on a single HTTP/1.1 connection, cycling through the
//! PATHs (default `/` and `/assets/style.css`), reads each response whole (by Content-Length)
//! and prints the median, p90 and maximum time from request to the end of its response.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// Reads one response: the head line by line, then Content-Length bytes of body.
fn read_response(r: &mut BufReader<TcpStream>) -> (u16, usize) {
    let mut status = 0;
    let mut len = 0;
    let mut line = String::new();
    loop {
        line.clear();
        r.read_line(&mut line).expect("read the response head");
        if line.is_empty() {
            panic!("the server closed the connection");
        }
        if status == 0 {
            status = line.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            len = v.trim().parse().unwrap_or(0);
        }
        if line == "\r\n" {
            break;
        }
    }
    let mut body = vec![0; len];
    r.read_exact(&mut body).expect("read the body");
    (status, len)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let addr = args.next().expect("usage: bench_keepalive HOST:PORT [REQUESTS] [PATH...]");
    let n: usize = args.next().map_or(200, |s| s.parse().expect("REQUESTS is a number"));
    let mut paths: Vec<String> = args.collect();
    if paths.is_empty() {
        paths = vec!["/".into(), "/assets/style.css".into()];
    }
    let stream = TcpStream::connect(&addr).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
    let mut w = stream.try_clone().expect("clone");
    let mut r = BufReader::new(stream);
    let mut times = Vec::with_capacity(n);
    for i in 0..n {
        let path = &paths[i % paths.len()];
        let t = Instant::now();
        // In one write, as a browser does: `write!` would send the request in pieces.
        let req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: keep-alive\r\n\r\n");
        w.write_all(req.as_bytes()).expect("send");
        let (status, len) = read_response(&mut r);
        times.push(t.elapsed());
        if i < paths.len() {
            eprintln!("{path}: {status}, {len} bytes");
        }
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{n} responses over one kept-alive connection: p50 {:.2} ms, p90 {:.2} ms, max {:.2} ms",
        ms(times[n / 2]),
        ms(times[n * 9 / 10]),
        ms(times[n - 1])
    );
}
