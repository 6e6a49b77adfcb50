//! `dossier mcp` driven over stdio with JSON-RPC, as an assistant drives it: the handshake, each
//! tool, resources, unknown IDs, an edit followed by a new answer, nothing written and nothing
//! read outside the repository; and its search checked against the site's search.js (run in
//! node) on the query sets of tests/fixtures/search-parity.
#![allow(clippy::print_stderr)]

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
        Client::spawn(Command::new(assert_cmd::cargo::cargo_bin("dossier")).arg("mcp").arg(dir))
    }

    fn spawn(cmd: &mut Command) -> Client {
        let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().unwrap();
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
        let deadline = Instant::now() + Duration::from_secs(120);
        loop {
            let line = self
                .lines
                .recv_timeout(deadline.saturating_duration_since(Instant::now()))
                .unwrap_or_else(|_| panic!("no answer to {method}"));
            let v: Value =
                serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON-RPC on stdout: {line}: {e}"));
            assert_eq!(v["jsonrpc"], "2.0", "{v}");
            if v["id"] == id {
                return v;
            }
        }
    }

    fn initialize_as(&mut self, version: &str) -> Value {
        let r = self.request(
            "initialize",
            json!({"protocolVersion": version, "capabilities": {}, "clientInfo": {"name": "test", "version": "1"}}),
        );
        self.send(&json!({"jsonrpc": "2.0", "method": "notifications/initialized"}));
        r
    }

    fn initialize(&mut self) -> Value {
        self.initialize_as("2025-06-18")
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

    /// Calls a tool that must fail; the JSON-RPC error.
    fn error(&mut self, tool: &str, args: Value) -> Value {
        let r = self.request("tools/call", json!({"name": tool, "arguments": args}));
        assert!(r["result"].is_null(), "{tool} {args} did not fail: {r}");
        r["error"].clone()
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

/// Retries `f` until it returns true (60 s at most): file events arrive asynchronously.
fn eventually(what: &str, mut f: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !f() {
        assert!(Instant::now() < deadline, "timed out waiting for: {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// The mcp fixture in a temp dir, and a client serving it, initialized.
fn serve_fixture() -> (tempfile::TempDir, Client) {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("mcp"), tmp.path());
    let mut c = Client::start(tmp.path());
    c.initialize();
    (tmp, c)
}

#[test]
fn mcp_handshake_negotiates_the_protocol_and_lists_the_tools() {
    let tmp = tempfile::tempdir().unwrap();
    copy_tree(&fixture("mcp"), tmp.path());
    let mut c = Client::start(tmp.path());
    let init = c.initialize_as("2025-06-18");
    let result = &init["result"];
    assert_eq!(result["protocolVersion"], "2025-06-18", "{init}");
    assert_eq!(result["serverInfo"]["name"], "dossier");
    assert_eq!(result["serverInfo"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(result["capabilities"], json!({"resources": {}, "tools": {}}), "{init}");
    assert!(result["instructions"].as_str().unwrap().contains("decision_chain"), "{init}");

    let tools = c.request("tools/list", json!({}));
    let tools = tools["result"]["tools"].as_array().unwrap();
    let mut names: Vec<&str> = tools.iter().map(|t| t["name"].as_str().unwrap()).collect();
    names.sort();
    assert_eq!(names, ["check", "decision_chain", "get_document", "list_documents", "search"]);
    let schema = |name: &str| tools.iter().find(|t| t["name"] == name).unwrap()["inputSchema"].clone();
    let search = schema("search");
    assert_eq!(search["required"], json!(["query"]), "{search}");
    let mut props: Vec<&str> = search["properties"].as_object().unwrap().keys().map(String::as_str).collect();
    props.sort();
    assert_eq!(props, ["kind", "limit", "query", "status", "tag"]);
    assert_eq!(search["properties"]["query"]["type"], "string");
    assert_eq!(schema("get_document")["required"], json!(["id_or_path"]));
    assert_eq!(schema("decision_chain")["required"], json!(["id"]));
    assert!(schema("list_documents")["required"].is_null());
    assert_eq!(schema("check")["type"], "object");

    // A client asking for the newest revision with a handshake gets it.
    let mut newer = Client::start(tmp.path());
    assert_eq!(newer.initialize_as("2025-11-25")["result"]["protocolVersion"], "2025-11-25");
    assert_eq!(c.close().code(), Some(0), "stdin closed: the server exits cleanly");
}

#[test]
fn mcp_tools_answer_from_the_model_and_write_nothing() {
    let (tmp, mut c) = serve_fixture();
    let before = tree(tmp.path());

    let found = c.call("search", json!({"query": "cockroachdb"}));
    assert_eq!(found["query"], "cockroachdb");
    assert_eq!(found["total"], 2, "{found}");
    let first = &found["results"][0];
    assert_eq!(first["id"], "ADR-0003", "{found}");
    assert_eq!(first["title"], "Use CockroachDB");
    assert_eq!(first["kind"], "adr");
    assert_eq!(first["status"], "superseded");
    assert_eq!(first["date"], "2024-03-05");
    assert_eq!(first["url"], "docs/adr/0003-use-cockroachdb/");
    assert!(first["score"].as_f64().unwrap() > 1e6, "{first}");
    assert_eq!(
        first["snippet"], "\u{2026} now come from three continents. Decision Move orders to CockroachDB.",
        "{found}"
    );
    let rejected = c.call("search", json!({"query": "orders", "status": "Rejected"}));
    assert_eq!(ids(&rejected["results"]), ["ADR-0004"], "{rejected}");
    let tagged = c.call("search", json!({"query": "services", "tag": "LANGUAGE"}));
    assert_eq!(ids(&tagged["results"]), ["ADR-0002"], "a tag in any case: {tagged}");
    let by_id = c.call("search", json!({"query": "adr 5", "limit": 1}));
    assert_eq!(ids(&by_id["results"]), ["ADR-0005"], "{by_id}");
    assert_eq!(by_id["total"], 6, "the ID on top, then every document with `adr`: {by_id}");
    assert!(by_id["results"][0]["score"].as_f64().unwrap() > 1e7, "{by_id}");

    let doc = c.call("get_document", json!({"id_or_path": "adr-3"}));
    assert_eq!(
        doc,
        json!({
            "id": "ADR-0003", "title": "Use CockroachDB", "kind": "adr", "status": "superseded",
            "status_raw": "Superseded", "date": "2024-03-05", "updated": null,
            "url": "docs/adr/0003-use-cockroachdb/", "source": "docs/adr/0003-use-cockroachdb.md",
            "authors": [], "tags": [],
            "supersedes": ["ADR-0001"], "superseded_by": ["ADR-0005"], "newest": ["ADR-0005"],
            "amends": [], "amended_by": [], "related": [], "references": ["ADR-0001", "ADR-0005"],
            "backlinks": [
                {"id": "ADR-0001", "how": "is superseded by it, links to it"},
                {"id": "ADR-0005", "how": "supersedes it, links to it"},
            ],
            "markdown": std::fs::read_to_string(tmp.path().join("docs/adr/0003-use-cockroachdb.md")).unwrap(),
        }),
        "{doc:#}"
    );
    let by_path = c.call("get_document", json!({"id_or_path": "docs/adr/0002-use-rust.md"}));
    assert_eq!(by_path["id"], "ADR-0002");
    assert_eq!(by_path["tags"], json!(["language", "services"]));
    assert_eq!(by_path["authors"], json!(["Jane Doe"]));
    assert!(by_path["markdown"].as_str().unwrap().starts_with("\n# Use Rust for services\n"), "{by_path}");
    let by_url = c.call("get_document", json!({"id_or_path": "docs/design/order-search/"}));
    assert_eq!(by_url["id"], "docs/design/order-search");

    let accepted = c.call("list_documents", json!({"kind": "decisions", "status": "accepted"}));
    assert_eq!(
        accepted,
        json!({"total": 2, "documents": [
            {"id": "ADR-0002", "title": "Use Rust for services", "kind": "adr", "status": "accepted", "date": "2024-02-01",
             "url": "docs/adr/0002-use-rust/", "tags": ["language", "services"], "authors": ["Jane Doe"], "superseded_by": []},
            {"id": "ADR-0005", "title": "Use Spanner", "kind": "adr", "status": "accepted", "date": "2024-06-20",
             "url": "docs/adr/0005-use-spanner/", "tags": [], "authors": [], "superseded_by": []},
        ]}),
        "{accepted:#}"
    );
    assert_eq!(ids(&c.call("list_documents", json!({"author": "jane doe"}))["documents"]), ["ADR-0002"]);
    assert_eq!(ids(&c.call("list_documents", json!({"tag": "search"}))["documents"]), ["docs/design/order-search"]);
    assert_eq!(c.call("list_documents", json!({}))["total"], 7);

    let old = c.call("decision_chain", json!({"id": "ADR-0001"}));
    let row = |id: &str, title: &str, status: &str, date: &str, url: &str, depth: u64| json!({"id": id, "title": title, "kind": "adr", "status": status, "date": date, "url": url, "depth": depth});
    assert_eq!(
        old,
        json!({
            "document": {"id": "ADR-0001", "title": "Use Postgres", "kind": "adr", "status": "superseded",
                         "date": "2024-01-10", "url": "docs/adr/0001-use-postgres/"},
            "supersedes": [],
            "superseded_by": [
                row("ADR-0003", "Use CockroachDB", "superseded", "2024-03-05", "docs/adr/0003-use-cockroachdb/", 1),
                row("ADR-0005", "Use Spanner", "accepted", "2024-06-20", "docs/adr/0005-use-spanner/", 2),
            ],
            "newest": ["ADR-0005"],
            "in_force": false,
        }),
        "{old:#}"
    );
    let new = c.call("decision_chain", json!({"id": "ADR-0005"}));
    assert_eq!(ids(&new["supersedes"]), ["ADR-0003", "ADR-0001"]);
    assert_eq!(new["superseded_by"], json!([]));
    assert_eq!(new["in_force"], true);

    let check = c.call("check", json!({}));
    assert_eq!(check["documents"], 7, "{check}");
    assert_eq!((check["errors"].clone(), check["warnings"].clone()), (json!(0), json!(0)), "{check}");

    assert_eq!(c.close().code(), Some(0));
    assert!(tree(tmp.path()) == before, "dossier mcp changed or added files in DIR");
}

#[test]
fn mcp_documents_are_resources() {
    let (tmp, mut c) = serve_fixture();
    let list = c.request("resources/list", json!({}));
    let resources = list["result"]["resources"].as_array().unwrap();
    assert_eq!(resources.len(), 7, "{list}");
    let adr3 = resources.iter().find(|r| r["uri"] == "dossier://ADR-0003").unwrap();
    assert_eq!(
        adr3,
        &json!({"uri": "dossier://ADR-0003", "name": "ADR-0003", "title": "Use CockroachDB", "mimeType": "text/markdown"})
    );
    let templates = c.request("resources/templates/list", json!({}));
    assert_eq!(templates["result"]["resourceTemplates"][0]["uriTemplate"], "dossier://{id}", "{templates}");

    let read = c.request("resources/read", json!({"uri": "dossier://ADR-0003"}));
    let source = std::fs::read_to_string(tmp.path().join("docs/adr/0003-use-cockroachdb.md")).unwrap();
    let text = format!(
        "---\nid: \"ADR-0003\"\ntitle: \"Use CockroachDB\"\nkind: adr\nstatus: superseded\ndate: \"2024-03-05\"\n\
         supersedes: [\"ADR-0001\"]\nsuperseded_by: [\"ADR-0005\"]\nurl: \"docs/adr/0003-use-cockroachdb/\"\n---\n\n{}\n",
        source.trim()
    );
    assert_eq!(
        read["result"],
        json!({"contents": [{"uri": "dossier://ADR-0003", "mimeType": "text/markdown", "text": text}]}),
        "{read:#}"
    );
    let by_number = c.request("resources/read", json!({"uri": "dossier://adr-5"}));
    assert!(by_number["result"]["contents"][0]["text"].as_str().unwrap().contains("title: \"Use Spanner\""));
}

#[test]
fn mcp_unknown_ids_are_errors_naming_the_closest() {
    let (_tmp, mut c) = serve_fixture();
    let e = c.error("get_document", json!({"id_or_path": "ADR-0033"}));
    assert_eq!(e["code"], -32602, "{e}");
    assert_eq!(e["message"], "no document `ADR-0033`; the closest IDs are ADR-0003, ADR-0001, ADR-0002", "{e}");
    assert_eq!(e["data"], json!({"closest": ["ADR-0003", "ADR-0001", "ADR-0002"]}));
    let e = c.error("decision_chain", json!({"id": "ADR-9"}));
    assert!(e["message"].as_str().unwrap().starts_with("no document `ADR-9`; the closest IDs are "), "{e}");
    let e = c.error("list_documents", json!({"status": "approved"}));
    assert_eq!(
        e["message"],
        "unknown status `approved`; use one of draft, proposed, accepted, implemented, rejected, deprecated, superseded, unknown"
    );
    let e = c.error("search", json!({"query": "orders", "tag": "databse"}));
    assert!(e["message"].as_str().unwrap().starts_with("unknown tag `databse`; the closest tags are "), "{e}");
    let e = c.error("search", json!({"query": "orders", "kind": "memo"}));
    assert_eq!(e["message"], "unknown kind `memo`; use adr, design or page");
    // A path outside the folder names no document: nothing is read for it.
    let e = c.error("get_document", json!({"id_or_path": "../../etc/passwd"}));
    assert_eq!(e["code"], -32602, "{e}");

    let r = c.request("resources/read", json!({"uri": "dossier://ADR-0042"}));
    assert_eq!(r["error"]["code"], -32002, "{r}");
    assert_eq!(r["error"]["message"], "no document `ADR-0042`; the closest IDs are ADR-0002, ADR-0004, ADR-0001");
    let r = c.request("resources/read", json!({"uri": "file:///etc/passwd"}));
    assert_eq!(r["error"]["message"], "`file:///etc/passwd` is not a dossier resource; they are named dossier://ID");
}

#[test]
fn mcp_answers_follow_edits() {
    let (tmp, mut c) = serve_fixture();
    assert_eq!(c.call("search", json!({"query": "dynamodb"}))["total"], 0);
    let path = tmp.path().join("docs/adr/0004-use-mongodb.md");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(
        &path,
        text.replace("Rejected", "Accepted").replace("A document store", "DynamoDB, a document store,"),
    )
    .unwrap();
    eventually("the edited status in list_documents", || {
        ids(&c.call("list_documents", json!({"status": "accepted"}))["documents"])
            == ["ADR-0002", "ADR-0004", "ADR-0005"]
    });
    let found = c.call("search", json!({"query": "dynamodb"}));
    assert_eq!(ids(&found["results"]), ["ADR-0004"], "{found}");
    assert!(
        c.call("get_document", json!({"id_or_path": "ADR-0004"}))["markdown"].as_str().unwrap().contains("DynamoDB")
    );
    // A new document with a broken link: `check` reports it, and it is a resource.
    let kafka = "# 6. Use Kafka\n\n## Context\n\nSee [gone](missing.md).\n\n## Decision\n\nUse Kafka.\n";
    std::fs::write(tmp.path().join("docs/adr/0006-use-kafka.md"), kafka).unwrap();
    eventually("the new document", || c.call("check", json!({}))["documents"] == 8);
    let check = c.call("check", json!({}));
    assert_eq!(check["errors"], 1, "{check}");
    assert_eq!(
        check["diagnostics"],
        json!([{"severity": "error", "code": "broken-link", "path": "docs/adr/0006-use-kafka.md", "line": 5, "col": 5,
                "message": "link target `missing.md` does not exist",
                "help": "check the path; links are relative to this file's folder"}]),
        "{check}"
    );
    let read = c.request("resources/read", json!({"uri": "dossier://ADR-0006"}));
    assert!(read["result"]["contents"][0]["text"].as_str().unwrap().contains("title: \"Use Kafka\""), "{read}");
    // A broken dossier.toml keeps the documents and says what is wrong.
    std::fs::write(tmp.path().join("dossier.toml"), "title = [\n").unwrap();
    eventually("the configuration error", || {
        c.call("check", json!({}))["errors"] == 1 && {
            let check = c.call("check", json!({}));
            check["diagnostics"][0]["path"] == "dossier.toml"
        }
    });
    assert_eq!(c.call("list_documents", json!({}))["total"], 8);
}

/// strace, if it can trace here (a container may forbid ptrace).
fn strace() -> bool {
    Command::new("strace").args(["-f", "-o", "/dev/null", "true"]).output().is_ok_and(|o| o.status.success())
}

#[test]
fn mcp_reads_nothing_outside_the_repository() {
    if !strace() {
        assert!(
            std::env::var("DOSSIER_REQUIRE_STRACE").is_err(),
            "strace cannot trace here, and DOSSIER_REQUIRE_STRACE is set (.ci/run sets it where strace works)"
        );
        eprintln!("skipped: strace cannot trace here");
        return;
    }
    // repo/ is a git repository with the documents in repo/kb; outside/ is beside it, and
    // links into it are not followed.
    let tmp = tempfile::tempdir().unwrap();
    let (repo, outside) = (tmp.path().join("repo"), tmp.path().join("outside"));
    copy_tree(&fixture("mcp"), &repo.join("kb"));
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::create_dir_all(outside.join("adr")).unwrap();
    std::fs::write(outside.join("0009-secret.md"), "# 9. Secret\n\nThe secret word is aardvark.\n").unwrap();
    std::fs::write(outside.join("adr/0010-more.md"), "# 10. More\n\naardvark again.\n").unwrap();
    std::os::unix::fs::symlink(outside.join("0009-secret.md"), repo.join("kb/docs/adr/0009-secret.md")).unwrap();
    std::os::unix::fs::symlink(outside.join("adr"), repo.join("kb/docs/more")).unwrap();
    std::fs::write(repo.join("kb/docs/notes.md"), "# Notes\n\nSee [the root readme](../../README.md).\n").unwrap();
    std::fs::write(repo.join("README.md"), "# Repo\n").unwrap();
    let trace = tmp.path().join("trace");
    let mut c = Client::spawn(
        Command::new("strace")
            .args(["-f", "-qq", "-e", "trace=open,openat,openat2,execve", "-o"])
            .arg(&trace)
            .arg(assert_cmd::cargo::cargo_bin("dossier"))
            .arg("mcp")
            .arg(repo.join("kb")),
    );
    c.initialize();
    assert_eq!(c.call("search", json!({"query": "aardvark"}))["total"], 0);
    assert_eq!(c.call("list_documents", json!({}))["total"], 8, "the fixture and notes.md");
    let check = c.call("check", json!({}));
    let skipped: Vec<&str> = check["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["message"].as_str().unwrap().contains("outside the repository"))
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(skipped, ["docs/adr/0009-secret.md", "docs/more"], "{check}");
    assert_eq!(c.close().code(), Some(0));
    let trace = std::fs::read_to_string(&trace).unwrap();
    // Neither the targets nor anything through the links. (Discovery's walk opens the linked
    // folder itself once, as walkdir checks a followed link for loops before it is skipped:
    // that lists the folder but reads no file in it.)
    let links = ["kb/docs/adr/0009-secret.md\"", "kb/docs/more/"];
    let opened: Vec<&str> = trace
        .lines()
        .filter(|l| l.contains(outside.to_str().unwrap()) || links.iter().any(|k| l.contains(k)))
        .collect();
    assert!(opened.is_empty(), "opened outside the repository:\n{}", opened.join("\n"));
    assert!(trace.contains("kb/docs/adr/0005-use-spanner.md"), "the trace sees the documents opened");
}

// The search parity test.

/// A query of a parity set, with its filters.
#[derive(serde::Serialize, Clone)]
struct Query {
    q: String,
    kind: String,
    status: String,
    tag: String,
    want: usize,
}

/// The queries of tests/fixtures/search-parity/queries.txt.
fn query_lines() -> Vec<Query> {
    let text = std::fs::read_to_string(fixture("search-parity/queries.txt")).unwrap();
    let lines = text.lines().filter(|l| !l.trim().is_empty() && !l.starts_with('#'));
    lines
        .map(|line| {
            let line = line.replace('␠', " ");
            let (spec, q) = line.split_once(" :: ").unwrap_or(("", &line));
            let mut query = Query { q: q.to_string(), kind: "".into(), status: "".into(), tag: "".into(), want: 10 };
            for kv in spec.split_whitespace() {
                match kv.split_once('=') {
                    Some(("kind", v)) => query.kind = v.into(),
                    Some(("status", v)) => query.status = v.into(),
                    Some(("tag", v)) => query.tag = v.into(),
                    _ => panic!("queries.txt: unknown filter `{kv}` in {line:?}"),
                }
            }
            query
        })
        .collect()
}

/// Every `step`-th query of a query set of tests/search-queries (`{"queries": [{"q"}]}`), and
/// the set's `config`.
fn query_set(name: &str, step: usize) -> (Vec<Query>, Option<String>) {
    let path = manifest_dir().join("tests/search-queries").join(name);
    let set: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let queries = set["queries"].as_array().unwrap().iter().step_by(step);
    let queries = queries.map(|q| Query {
        q: q["q"].as_str().unwrap().to_string(),
        kind: "".into(),
        status: "".into(),
        tag: "".into(),
        want: 10,
    });
    (queries.collect(), set["config"].as_str().map(String::from))
}

/// 450 generated decisions, so that words most of them use have posting lists cut into tiers
/// (past the best 400) and filters and second words must load further tiers.
fn generated_corpus(dir: &Path) {
    const WORDS: &[&str] = &[
        "unsafe",
        "rust",
        "type",
        "trait",
        "error",
        "cache",
        "storage",
        "postgres",
        "render",
        "pages",
        "search",
        "index",
        "object",
        "build",
        "markdown",
        "decision",
        "record",
        "stores",
        "cached",
        "rendering",
        "borrow",
        "lifetime",
        "macro",
        "async",
        "module",
        "crate",
        "compiler",
        "generic",
        "closure",
        "iterator",
    ];
    let statuses = ["accepted", "proposed", "superseded", "deprecated", "accepted"];
    let tags = ["storage", "search", "language"];
    let mut seed: u64 = 7;
    let mut next = |n: usize| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) as usize % n
    };
    std::fs::create_dir_all(dir.join("adr")).unwrap();
    for i in 1..=450 {
        let title = format!("{} {} {}", WORDS[next(WORDS.len())], WORDS[next(WORDS.len())], i);
        let mut body = String::new();
        for _ in 0..(5 + next(40)) {
            body.push_str(WORDS[next(WORDS.len())]);
            body.push(if next(8) == 0 { '.' } else { ' ' });
        }
        if i % 97 == 0 {
            body.push_str(" zebra");
        }
        let text = format!(
            "---\ntitle: {title}\nstatus: {}\ntags: [{}]\n---\n\n# {title}\n\n## Context\n\n{body}\n",
            statuses[i % statuses.len()],
            tags[next(tags.len())]
        );
        std::fs::write(dir.join(format!("adr/{i:04}-note.md")), text).unwrap();
    }
}

/// Runs the queries through search.js in node over the site built from `src`, and through
/// `dossier mcp src`; both must give the same number of results and the same first ten, with
/// the same scores. Returns how many queries were compared.
fn compare(src: &Path, queries: &[Query]) -> usize {
    let (out, tmp) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let o = dossier().arg("build").arg(src).arg("-o").arg(out.path()).arg("-q").output().unwrap();
    assert!(o.status.code() != Some(2), "{}: {}", src.display(), String::from_utf8_lossy(&o.stderr));
    let file = tmp.path().join("queries.json");
    std::fs::write(&file, serde_json::to_vec(queries).unwrap()).unwrap();
    let js = Command::new("node")
        .arg(manifest_dir().join("tests/support/search-parity.js"))
        .arg(out.path())
        .arg(&file)
        .output()
        .unwrap();
    assert!(js.status.success(), "{}", String::from_utf8_lossy(&js.stderr));
    let expected: Vec<Value> = serde_json::from_slice(&js.stdout).unwrap();
    let mut c = Client::start(src);
    c.initialize();
    for (q, want) in queries.iter().zip(&expected) {
        let mut args = json!({"query": q.q, "limit": q.want});
        for (k, v) in [("kind", &q.kind), ("status", &q.status), ("tag", &q.tag)] {
            if !v.is_empty() {
                args[k] = v.as_str().into();
            }
        }
        let r = c.request("tools/call", json!({"name": "search", "arguments": args}));
        if !q.tag.is_empty() && r["error"]["message"].as_str().is_some_and(|m| m.starts_with("unknown tag")) {
            // A tag the corpus does not have: an error to an assistant, no results on the page.
            assert_eq!(want["total"], 0, "{}: query {:?} tag {}: {r}", src.display(), q.q, q.tag);
            continue;
        }
        let got = &r["result"]["structuredContent"];
        let results: Vec<Value> =
            got["results"].as_array().unwrap().iter().map(|r| json!({"url": r["url"], "score": r["score"]})).collect();
        let got = json!({"q": q.q, "total": got["total"], "results": results});
        let want = &scores_as_floats(want);
        assert_eq!(
            &got,
            want,
            "{}: query {:?} ({} {} {}): dossier mcp, then search.js",
            src.display(),
            q.q,
            q.kind,
            q.status,
            q.tag
        );
    }
    queries.len()
}

/// search.js's answer with its scores as floats (JSON from node writes `12`, serde `12.0`).
fn scores_as_floats(v: &Value) -> Value {
    let mut v = v.clone();
    for r in v["results"].as_array_mut().into_iter().flatten() {
        r["score"] = r["score"].as_f64().map_or(Value::Null, Value::from);
    }
    v
}

fn node() -> bool {
    Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success())
}

/// `dossier mcp`'s search is the site's: the same results, order and scores as search.js on the
/// query sets (queries.txt on every corpus; the sets of tests/search-queries on the corpora
/// they were written for). Data-driven: re-run after any change to search.js or the index.
#[test]
fn mcp_search_matches_search_js_on_the_query_sets() {
    if !node() {
        assert!(std::env::var("CI").is_err(), "node is needed in CI");
        eprintln!("skipped: node is not installed");
        return;
    }
    let lines = query_lines();
    let tmp = tempfile::tempdir().unwrap();
    let generated = tmp.path().join("generated");
    generated_corpus(&generated);
    let mut compared = 0;
    for corpus in [fixture("search"), fixture("mcp"), manifest_dir().join("example-docs"), generated] {
        compared += compare(&corpus, &lines);
    }
    let i18n: Vec<Query> = ["i18n-inflected.json", "i18n-words.json"].iter().flat_map(|s| query_set(s, 1).0).collect();
    compared += compare(&fixture("search-i18n"), &lines.iter().cloned().chain(i18n).collect::<Vec<_>>());
    if let Some(shared) = shared() {
        let copy = tmp.path().join("rust-rfcs");
        copy_tree(&shared.join("corpora/rust-rfcs"), &copy);
        let mut queries: Vec<Query> = lines.to_vec();
        for set in ["rust-rfcs-exact.json", "rust-rfcs-inflected.json", "rust-rfcs-typo.json"] {
            let (q, config) = query_set(set, 5);
            if let Some(config) = config.filter(|_| !copy.join("dossier.toml").exists()) {
                std::fs::write(copy.join("dossier.toml"), config).unwrap();
            }
            queries.extend(q);
        }
        compared += compare(&copy, &queries);
    }
    assert!(compared >= 5 * lines.len(), "only {compared} queries compared");
}
