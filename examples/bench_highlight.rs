//! Benchmark: highlighting CPU per code block, per language (issue 24).
//!
//! `cargo run --profile quick --example bench_highlight -- [CORPORA] [--runs R] [--per N]`
//! highlights every fenced block of the Markdown under CORPORA (default `../shared/corpora`)
//! and N generated blocks (default 40) of each language typical of design docs that the corpora
//! hardly use (YAML, Go, SQL, HCL, JavaScript, TypeScript, protobuf, Bash, Java, C), each block R
//! times (default 3) on one thread, without the memo, timing the thread's CPU clock. Prints per language, most frequent first:
//! blocks, where they come from, the engine, the median µs per block (the median over blocks of
//! each block's median over runs), the mean, and the same with syntect alone (as before
//! tree-sitter took the language), then the totals and the machine's load.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use dossier::parse::highlight::Highlighter;
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// One language's blocks: where they come from and their code.
#[derive(Default)]
struct Lang {
    from: &'static str,
    blocks: Vec<String>,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |name: &str, default: usize| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let (runs, per) = (flag("--runs", 3), flag("--per", 40));
    let corpora = args
        .iter()
        .enumerate()
        .find(|(i, a)| !a.starts_with("--") && (*i == 0 || !args[i - 1].starts_with("--")))
        .map(|(_, a)| PathBuf::from(a))
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora"));
    let tree = Highlighter::default();
    let syntect = Highlighter::syntect_only();
    let mut langs: BTreeMap<String, Lang> = BTreeMap::new();
    for (lang, code) in fences(&corpora) {
        let (_, token) = tree.engine(&lang);
        let entry = langs.entry(token).or_default();
        entry.from = "corpora";
        entry.blocks.push(code);
    }
    for (lang, make) in GENERATED {
        let entry = langs.entry(lang.to_string()).or_default();
        entry.from = if entry.blocks.is_empty() { "generated" } else { "both" };
        entry.blocks.extend((0..per).map(make));
    }
    let mut rows: Vec<(&String, &Lang)> = langs.iter().collect();
    rows.sort_by(|a, b| b.1.blocks.len().cmp(&a.1.blocks.len()).then(a.0.cmp(b.0)));
    println!("load: {}", std::fs::read_to_string("/proc/loadavg").unwrap_or_default().trim());
    println!(
        "{:<12} {:>6} {:>9} {:>11} {:>9} {:>9} {:>12} {:>12}",
        "language", "blocks", "from", "engine", "median µs", "mean µs", "syntect med", "syntect mean"
    );
    let (mut all_tree, mut all_syntect) = (Vec::new(), Vec::new());
    for (name, lang) in rows {
        let (engine, _) = tree.engine(name);
        let now = time_blocks(&tree, name, &lang.blocks, runs);
        let before =
            if engine == "tree-sitter" { time_blocks(&syntect, name, &lang.blocks, runs) } else { now.clone() };
        println!(
            "{:<12} {:>6} {:>9} {:>11} {:>9.0} {:>9.0} {:>12.0} {:>12.0}",
            name,
            lang.blocks.len(),
            lang.from,
            engine,
            median(&now),
            mean(&now),
            median(&before),
            mean(&before)
        );
        all_tree.extend(now);
        all_syntect.extend(before);
    }
    println!(
        "all: {} blocks, median {:.0} µs, mean {:.0} µs, total {:.0} ms (syntect alone: median {:.0} µs, mean {:.0} µs, total {:.0} ms)",
        all_tree.len(),
        median(&all_tree),
        mean(&all_tree),
        all_tree.iter().sum::<f64>() / 1000.0,
        median(&all_syntect),
        mean(&all_syntect),
        all_syntect.iter().sum::<f64>() / 1000.0
    );
}

/// Each block's median CPU time over `runs`, in µs, after one untimed pass (which compiles the
/// grammar's query and warms the caches).
fn time_blocks(h: &Highlighter, lang: &str, blocks: &[String], runs: usize) -> Vec<f64> {
    for b in blocks {
        h.highlight_unmemoised(lang, b);
    }
    blocks
        .iter()
        .map(|b| {
            let mut t: Vec<f64> = (0..runs.max(1))
                .map(|_| {
                    let start = cpu_now();
                    std::hint::black_box(h.highlight_unmemoised(lang, b));
                    (cpu_now() - start) * 1e6
                })
                .collect();
            median_of(&mut t)
        })
        .collect()
}

/// This thread's CPU time in seconds: on a shared machine wall time would also count the time
/// spent waiting for a core.
fn cpu_now() -> f64 {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    t.tv_sec as f64 + t.tv_nsec as f64 * 1e-9
}

fn median(v: &[f64]) -> f64 {
    median_of(&mut v.to_vec())
}

fn median_of(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() { 0.0 } else { v.iter().sum::<f64>() / v.len() as f64 }
}

/// The fenced code blocks of every Markdown file under `root`: (language, code), with the
/// language as dossier reads it (the info string's first word).
fn fences(root: &std::path::Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(root).sort_by_file_name().into_iter().filter_map(Result::ok) {
        if entry.path().extension().is_none_or(|e| e != "md") {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(entry.path()) else { continue };
        let mut lang: Option<String> = None;
        let mut code = String::new();
        for event in Parser::new(&text) {
            match event {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                    lang = Some(info.split([' ', ',', '{']).next().unwrap_or("").to_string());
                    code.clear();
                }
                Event::Text(t) if lang.is_some() => code.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    if let Some(l) = lang.take().filter(|l| !l.is_empty()) {
                        out.push((l, std::mem::take(&mut code)));
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// Generated blocks for the languages the corpora lack: block `n` of each, a typical design-doc
/// snippet with its names and sizes varied by `n`.
type Generate = fn(usize) -> String;

const GENERATED: &[(&str, Generate)] = &[
    ("yaml", |n| {
        let env: String = (0..n % 5 + 2)
            .map(|i| {
                format!("            - name: SETTING_{i}\n              value: \"{}\"  # tuned in review {n}\n", i * n)
            })
            .collect();
        format!(
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: service-{n}\n  labels:\n    app: service-{n}\n    tier: backend\nspec:\n  replicas: {}\n  selector:\n    matchLabels:\n      app: service-{n}\n  template:\n    spec:\n      containers:\n        - name: app\n          image: registry.example.com/service:{n}.0.1\n          ports:\n            - containerPort: 8080\n          env:\n{env}          resources:\n            limits: {{ cpu: \"500m\", memory: 256Mi }}\n",
            n % 4 + 1
        )
    }),
    ("go", |n| {
        let fields: String = (0..n % 4 + 2).map(|i| format!("\tField{i} string `json:\"field_{i}\"`\n")).collect();
        format!(
            "package store{n}\n\nimport (\n\t\"context\"\n\t\"errors\"\n\t\"time\"\n)\n\n// Record is one stored entry (proposal {n}).\ntype Record struct {{\n\tID      int64\n{fields}\tUpdated time.Time\n}}\n\nvar ErrNotFound = errors.New(\"record not found\")\n\nfunc (s *Store) Get(ctx context.Context, id int64) (*Record, error) {{\n\tctx, cancel := context.WithTimeout(ctx, {}*time.Second)\n\tdefer cancel()\n\tr, ok := s.cache[id]\n\tif !ok {{\n\t\treturn nil, ErrNotFound\n\t}}\n\tfor i := 0; i < len(r.Field0); i++ {{\n\t\t_ = i\n\t}}\n\treturn r, nil\n}}\n",
            n % 9 + 1
        )
    }),
    ("sql", |n| {
        format!(
            "-- Migration {n}: the audit table\nCREATE TABLE audit_{n} (\n    id BIGSERIAL PRIMARY KEY,\n    actor TEXT NOT NULL,\n    action VARCHAR(64) NOT NULL DEFAULT 'read',\n    created_at TIMESTAMPTZ NOT NULL DEFAULT now()\n);\nCREATE INDEX audit_{n}_actor ON audit_{n} (actor);\n\nSELECT a.actor, count(*) AS actions\nFROM audit_{n} a\nJOIN users u ON u.name = a.actor\nWHERE a.created_at > now() - interval '{} days'\nGROUP BY a.actor\nORDER BY actions DESC\nLIMIT 10;\n",
            n % 30 + 1
        )
    }),
    ("hcl", |n| {
        format!(
            "# Storage for proposal {n}\nresource \"aws_s3_bucket\" \"docs_{n}\" {{\n  bucket = \"docs-{n}-${{var.env}}\"\n  tags = {{\n    Team = \"platform\"\n    Cost = {}\n  }}\n}}\n\nvariable \"env\" {{\n  type    = string\n  default = \"staging\"\n}}\n\nmodule \"vpc\" {{\n  source  = \"./modules/vpc\"\n  cidr    = \"10.{}.0.0/16\"\n  enabled = true\n}}\n",
            n * 10,
            n % 255
        )
    }),
    ("js", |n| {
        format!(
            "// Client for proposal {n}\nimport {{ fetchJson }} from './http.js';\n\nexport async function loadDocs(base, limit = {}) {{\n  const url = `${{base}}/docs?limit=${{limit}}`;\n  const res = await fetchJson(url, {{ retries: 3 }});\n  if (!res.ok) {{\n    throw new Error(`failed: ${{res.status}}`);\n  }}\n  return res.items.filter((d) => d.status === 'accepted').map((d) => ({{ id: d.id, title: d.title }}));\n}}\n\nclass Cache {{\n  #items = new Map();\n  get(key) {{ return this.#items.get(key) ?? null; }}\n}}\n",
            n % 50 + 10
        )
    }),
    ("ts", |n| {
        format!(
            "// Types for proposal {n}\nexport interface Decision{n} {{\n  id: string;\n  status: 'proposed' | 'accepted' | 'superseded';\n  date?: Date;\n  tags: readonly string[];\n}}\n\nexport function byStatus<T extends Decision{n}>(items: T[], status: T['status']): T[] {{\n  return items.filter((d): d is T => d.status === status);\n}}\n\nconst limit: number = {};\nenum Level {{ Low = 1, High = {} }}\n",
            n % 100,
            n + 2
        )
    }),
    ("proto", |n| {
        let fields: String =
            (0..n % 5 + 2).map(|i| format!("  string field_{i} = {}; // documented\n", i + 3)).collect();
        format!(
            "syntax = \"proto3\";\n\npackage docs.v{n};\n\nimport \"google/protobuf/timestamp.proto\";\n\n// A decision record.\nmessage Decision {{\n  int64 id = 1;\n  google.protobuf.Timestamp decided = 2;\n{fields}  repeated string tags = 20;\n  map<string, string> labels = 21;\n}}\n\nenum Status {{\n  STATUS_UNSPECIFIED = 0;\n  ACCEPTED = 1;\n}}\n\nservice Decisions {{\n  rpc Get(GetRequest) returns (Decision);\n}}\n"
        )
    }),
    ("bash", |n| {
        format!(
            "#!/usr/bin/env bash\n# Deploy step {n}\nset -euo pipefail\nREGION=${{REGION:-eu-west-{}}}\nfor svc in api worker web; do\n  if [[ -f \"deploy/$svc.yaml\" ]]; then\n    kubectl apply -f \"deploy/$svc.yaml\" --namespace \"team-{n}\"\n  else\n    echo \"skip $svc\" >&2\n  fi\ndone\ncount=$(kubectl get pods | grep -c Running || true)\necho \"running: $count in $REGION\"\n",
            n % 3 + 1
        )
    }),
    ("java", |n| {
        format!(
            "package com.example.docs{n};\n\nimport java.util.List;\nimport java.util.Optional;\n\n/** Looks up decisions (proposal {n}). */\npublic final class DecisionService {{\n    private static final int LIMIT = {};\n    private final Repository repo;\n\n    public DecisionService(Repository repo) {{\n        this.repo = repo;\n    }}\n\n    @Override\n    public Optional<Decision> find(String id) {{\n        // Cached lookups first.\n        List<Decision> all = repo.findAll(LIMIT);\n        return all.stream().filter(d -> d.id().equals(id)).findFirst();\n    }}\n}}\n",
            n * 7
        )
    }),
    ("c", |n| {
        format!(
            "#include <stdint.h>\n#include <stdlib.h>\n\n/* Ring buffer for proposal {n}. */\ntypedef struct {{\n    uint8_t *data;\n    size_t head, tail, cap;\n}} ring_t;\n\nstatic int ring_push(ring_t *r, uint8_t byte) {{\n    size_t next = (r->head + 1) % r->cap;\n    if (next == r->tail) {{\n        return -1; // full\n    }}\n    r->data[r->head] = byte;\n    r->head = next;\n    return {};\n}}\n",
            n % 2
        )
    }),
];
