//! `dossier mcp` driven over stdio with JSON-RPC, as an assistant drives it: the handshake, each
//! tool, resources, unknown IDs, an edit followed by a new answer; and its search checked
//! against the theme's search.js (run in node) on the query set in
//! tests/fixtures/search-parity/queries.txt.

mod common;

use common::*;
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

/// A running `dossier mcp DIR` and the lines it prints on stdout.
struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    next: u64,
}

impl Client {
    fn start(dir: &Path) -> Client {
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("dossier"))
            .arg("mcp")
            .arg(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let (tx, lines) = channel();
        let stdout = child.stdout.take().unwrap();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let stdin = child.stdin.take();
        Client { child, stdin, lines, next: 1 }
    }

    fn send(&mut self, v: &Value) {
        let stdin = self.stdin.as_mut().unwrap();
        writeln!(stdin, "{v}").unwrap();
        stdin.flush().unwrap();
    }

    /// Sends a request and returns its response (`result` or `error`), skipping notifications.
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next;
        self.next += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let line = self
                .lines
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|_| panic!("no answer to {method}"));
            let v: Value =
                serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON-RPC on stdout: {line}: {e}"));
            if v["id"] == id {
                return v;
            }
        }
    }

    fn initialize(&mut self) -> Value {
        let r = self.request(
            "initialize",
            json!({"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "test", "version": "1"}}),
        );
        self.send(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
        r
    }

    /// Calls a tool and returns its structured result; panics on an error.
    fn call(&mut self, tool: &str, args: Value) -> Value {
        let r = self.request("tools/call", json!({"name": tool, "arguments": args}));
        assert!(r["error"].is_null() && r["result"]["isError"] != true, "{tool} failed: {r}");
        let structured = r["result"]["structuredContent"].clone();
        let text: Value = serde_json::from_str(r["result"]["content"][0]["text"].as_str().unwrap()).unwrap();
        assert_eq!(structured, text, "the text content is the structured content");
        structured
    }

    /// Closes stdin and waits for the server to exit; its exit status.
    fn close(mut self) -> std::process::ExitStatus {
        drop(self.stdin.take());
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                return s;
            }
            assert!(Instant::now() < deadline, "dossier mcp did not exit when stdin closed");
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn ids(v: &Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|d| d["id"].as_str().unwrap().to_string()).collect()
}

/// Retries `f` until it returns true (20 s at most): file events arrive asynchronously.
fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for: {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn mcp_over_stdio_handshake_tools_and_resources() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("llms"), tmp.path());
    let before: Vec<String> = tree(tmp.path()).into_iter().map(|(p, _)| p).collect();
    let mut c = Client::start(tmp.path());
    let init = c.initialize();
    assert_eq!(init["result"]["protocolVersion"], "2025-06-18", "{init}");
    assert_eq!(init["result"]["serverInfo"]["name"], "dossier");
    assert!(init["result"]["capabilities"]["tools"].is_object(), "{init}");
    assert!(init["result"]["capabilities"]["resources"].is_object(), "{init}");

    let tools = c.request("tools/list", json!({}));
    let mut names: Vec<&str> =
        tools["result"]["tools"].as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["check", "decision_chain", "get_document", "list_documents", "search"]);
    let search_tool = tools["result"]["tools"].as_array().unwrap().iter().find(|t| t["name"] == "search").unwrap();
    assert_eq!(search_tool["inputSchema"]["required"], json!(["query"]), "{search_tool}");

    let found = c.call("search", json!({"query": "cockroachdb"}));
    let first = &found["results"][0];
    assert_eq!(first["id"], "ADR-0003", "{found}");
    assert_eq!(first["status"], "accepted");
    assert_eq!(first["url"], "docs/adr/0003-use-cockroachdb/");
    assert!(first["snippet"].as_str().unwrap().contains("CockroachDB"), "{found}");
    let rejected = c.call("search", json!({"query": "orders", "status": "rejected"}));
    assert_eq!(ids(&rejected["results"]), ["ADR-0004"], "{rejected}");
    let by_id = c.call("search", json!({"query": "adr 2", "limit": 1}));
    assert_eq!(ids(&by_id["results"]), ["ADR-0002"], "{by_id}");

    let doc = c.call("get_document", json!({"id_or_path": "adr-3"}));
    assert_eq!(doc["id"], "ADR-0003");
    assert_eq!(doc["supersedes"], json!(["ADR-0001"]));
    assert_eq!(ids(&doc["backlinks"]), ["ADR-0001", "ADR-0002", "docs/design/search"], "{doc}");
    assert!(doc["markdown"].as_str().unwrap().starts_with("# 3. Use CockroachDB\n"), "{doc}");
    let by_path = c.call("get_document", json!({"id_or_path": "docs/adr/0002-use-rust.md"}));
    assert_eq!(by_path["id"], "ADR-0002");
    assert_eq!(by_path["tags"], json!(["language", "services"]));

    let accepted = c.call("list_documents", json!({"kind": "adr", "status": "accepted"}));
    assert_eq!(ids(&accepted["documents"]), ["ADR-0002", "ADR-0003"], "{accepted}");
    let by_author = c.call("list_documents", json!({"author": "jane doe"}));
    assert_eq!(ids(&by_author["documents"]), ["ADR-0002"]);
    assert_eq!(c.call("list_documents", json!({}))["total"], 7);

    let old = c.call("decision_chain", json!({"id": "ADR-0001"}));
    assert_eq!(ids(&old["superseded_by"]), ["ADR-0003"], "{old}");
    assert_eq!(old["newest"], json!(["ADR-0003"]));
    assert_eq!(old["in_force"], false);
    let new = c.call("decision_chain", json!({"id": "ADR-0003"}));
    assert_eq!(ids(&new["supersedes"]), ["ADR-0001"]);
    assert_eq!(new["in_force"], true);

    let check = c.call("check", json!({}));
    assert_eq!(check["documents"], 7, "{check}");
    assert_eq!(check["errors"], 0, "{check}");

    let list = c.request("resources/list", json!({}));
    let uris: Vec<&str> =
        list["result"]["resources"].as_array().unwrap().iter().map(|r| r["uri"].as_str().unwrap()).collect();
    assert!(uris.contains(&"dossier://ADR-0003") && uris.len() == 7, "{list}");
    let read = c.request("resources/read", json!({"uri": "dossier://ADR-0003"}));
    let contents = &read["result"]["contents"][0];
    assert_eq!(contents["mimeType"], "text/markdown", "{read}");
    let text = contents["text"].as_str().unwrap();
    assert!(
        text.starts_with("---\nid: \"ADR-0003\"\ntitle: \"Use CockroachDB\"\nkind: adr\nstatus: accepted\n"),
        "{text}"
    );
    assert!(text.contains("Move orders to CockroachDB."), "{text}");

    assert_eq!(c.close().code(), Some(0));
    let after: Vec<String> = tree(tmp.path()).into_iter().map(|(p, _)| p).collect();
    assert_eq!(before, after, "dossier mcp wrote into DIR");
}

#[test]
fn mcp_unknown_ids_are_errors_naming_the_closest() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("llms"), tmp.path());
    let mut c = Client::start(tmp.path());
    c.initialize();
    let r = c.request("tools/call", json!({"name": "get_document", "arguments": {"id_or_path": "ADR-0033"}}));
    assert_eq!(r["error"]["code"], -32602, "{r}");
    let message = r["error"]["message"].as_str().unwrap();
    assert!(message.starts_with("no document `ADR-0033`; the closest IDs are ADR-0003, "), "{message}");
    let r = c.request("tools/call", json!({"name": "decision_chain", "arguments": {"id": "ADR-9"}}));
    assert!(r["error"]["message"].as_str().unwrap().starts_with("no document `ADR-9`"), "{r}");
    let r = c.request("tools/call", json!({"name": "list_documents", "arguments": {"status": "approved"}}));
    assert!(
        r["error"]["message"].as_str().unwrap().starts_with("unknown status `approved`; use one of draft, "),
        "{r}"
    );
    let r = c.request("resources/read", json!({"uri": "dossier://ADR-0042"}));
    assert_eq!(r["error"]["code"], -32002, "{r}");
    assert!(r["error"]["message"].as_str().unwrap().contains("the closest IDs are"), "{r}");
}

#[test]
fn mcp_answers_follow_edits() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("llms"), tmp.path());
    let mut c = Client::start(tmp.path());
    c.initialize();
    assert_eq!(c.call("search", json!({"query": "dynamodb"}))["total"], 0);
    let path = tmp.path().join("docs/adr/0004-use-mongodb.md");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text.replace("Rejected", "Accepted").replace("A document store", "DynamoDB, a document store,");
    std::fs::write(&path, text).unwrap();
    eventually("the edited status in list_documents", || {
        ids(&c.call("list_documents", json!({"status": "accepted", "kind": "adr"}))["documents"]).len() == 3
    });
    let found = c.call("search", json!({"query": "dynamodb"}));
    assert_eq!(ids(&found["results"]), ["ADR-0004"], "{found}");
    // A new document, and a broken link that `check` reports.
    std::fs::write(tmp.path().join("docs/adr/0005-use-kafka.md"), "# 5. Use Kafka\n\nSee [gone](missing.md).\n")
        .unwrap();
    eventually("the new document", || c.call("check", json!({}))["documents"] == 8);
    let check = c.call("check", json!({}));
    assert_eq!(check["errors"], 1, "{check}");
    assert_eq!(check["diagnostics"][0]["file"], "docs/adr/0005-use-kafka.md", "{check}");
}

/// The query set, each line run by search.js in node over the built site and by `dossier mcp`,
/// must give the same first results in the same order. Data-driven: re-run it after any change
/// to search.js or the index.
#[test]
fn mcp_search_matches_search_js_on_the_query_set() {
    if Command::new("node").arg("--version").output().is_err() {
        assert!(std::env::var("DOSSIER_REQUIRE_SHARED").is_err(), "node is required with DOSSIER_REQUIRE_SHARED");
        eprintln!("skipped: node is not installed");
        return;
    }
    let mut corpora = vec![fixture("search"), manifest_dir().join("example-docs")];
    if let Some(shared) = shared() {
        corpora.push(shared.join("corpora/rust-rfcs"));
    }
    let queries = manifest_dir().join("tests/fixtures/search-parity/queries.txt");
    let mut compared = 0;
    for corpus in corpora.iter().filter(|c| c.is_dir()) {
        let out = tempfile::tempdir().unwrap();
        let o = dossier().arg("build").arg(corpus).arg("-o").arg(out.path()).output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let js = Command::new("node")
            .arg(manifest_dir().join("tests/support/search-parity.js"))
            .arg(out.path())
            .arg(manifest_dir().join("themes/default/static/search.js"))
            .arg(&queries)
            .output()
            .unwrap();
        assert!(js.status.success(), "{}", String::from_utf8_lossy(&js.stderr));
        let expected: Vec<(String, Vec<String>)> = serde_json::from_slice(&js.stdout).unwrap();
        let base =
            serde_json::from_slice::<Value>(&std::fs::read(out.path().join("dossier.json")).unwrap()).unwrap()["site"]
                ["base_url"]
                .as_str()
                .unwrap_or("")
                .to_string();
        let mut c = Client::start(corpus);
        c.initialize();
        for (line, want) in expected {
            let (spec, q) = line.split_once(" :: ").unwrap_or(("", &line));
            let mut args = json!({"query": q, "limit": 10});
            for kv in spec.split_whitespace() {
                let (k, v) = kv.split_once('=').unwrap();
                args[k] = v.into();
            }
            let got = c.call("search", args);
            let urls: Vec<String> = got["results"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["url"].as_str().unwrap().trim_start_matches(base.as_str()).to_string())
                .collect();
            assert_eq!(urls, want, "{}: query {line:?}", corpus.display());
            compared += 1;
        }
    }
    assert!(compared >= 50, "only {compared} queries compared");
}
