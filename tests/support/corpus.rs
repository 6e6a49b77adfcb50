//! Deterministic generator of a synthetic dossier input corpus (adr-tools, MADR 4, log4brains and
//! design-doc files) plus the ground truth (`expected.json`) that dossier should extract from it.
#![allow(dead_code)]

use std::collections::{BTreeSet, HashSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// Version of the corpus layout, written to `expected.json` as `generator`.
pub const GENERATOR: u64 = 1;

/// What to generate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// Number of documents (files), all formats together.
    pub count: usize,
    /// Seed of the pseudo-random generator: same options, byte-identical corpus.
    pub seed: u64,
    /// Number of distinct documents that get one extra link to a missing file (capped at `count`).
    pub broken: usize,
}

impl Default for Options {
    fn default() -> Self {
        Options { count: 100, seed: 42, broken: 0 }
    }
}

/// A generated corpus: the documents and the ground truth.
#[derive(Clone, Debug)]
pub struct Corpus {
    /// `(relative path with '/', content)`, sorted by path. `expected.json` is not included.
    pub files: Vec<(String, String)>,
    /// The ground truth written as `expected.json` by [`write_to`].
    pub expected: Value,
}

/// Writes every file of `corpus` under `dir` (creating folders) and `expected.json` at its root.
pub fn write_to(corpus: &Corpus, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let mut made: HashSet<&str> = HashSet::new();
    for (rel, content) in &corpus.files {
        if let Some((parent, _)) = rel.rsplit_once('/')
            && made.insert(parent)
        {
            std::fs::create_dir_all(join(dir, parent))?;
        }
        std::fs::write(join(dir, rel), content)?;
    }
    let mut text = serde_json::to_string_pretty(&corpus.expected).map_err(std::io::Error::other)?;
    text.push('\n');
    std::fs::write(dir.join("expected.json"), text)
}

fn join(dir: &Path, rel: &str) -> PathBuf {
    let mut path = dir.to_path_buf();
    for part in rel.split('/') {
        path.push(part);
    }
    path
}

// ---------------------------------------------------------------------------------------------
// Pseudo-random numbers (splitmix64) and dates
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform-ish in `0..n`; 0 when `n == 0`.
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

fn mix(a: u64, b: u64) -> u64 {
    Rng::new(a ^ b.wrapping_mul(0xD6E8_FEB8_6659_FD93)).next_u64()
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

fn iso_date(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
}

fn compact_date(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}{m:02}{d:02}")
}

// ---------------------------------------------------------------------------------------------
// Word lists (all ASCII, no Markdown-significant characters)
// ---------------------------------------------------------------------------------------------

const TECHS: &[&str] = &[
    "Postgres",
    "SQLite",
    "Redis",
    "Kafka",
    "RabbitMQ",
    "NATS",
    "gRPC",
    "GraphQL",
    "OpenAPI",
    "Terraform",
    "Kubernetes",
    "Nomad",
    "Envoy",
    "nginx",
    "Prometheus",
    "Grafana",
    "OpenTelemetry",
    "Jaeger",
    "Vault",
    "Consul",
    "etcd",
    "ClickHouse",
    "DuckDB",
    "Parquet",
    "Avro",
    "Protobuf",
    "Elasticsearch",
    "Meilisearch",
    "Tantivy",
    "MinIO",
    "WebAssembly",
    "Rust",
    "Go",
    "Python",
    "TypeScript",
    "React",
    "htmx",
    "Bazel",
    "Nix",
    "Docker",
    "Podman",
    "GitHub Actions",
    "Buildkite",
    "Argo CD",
    "Istio",
    "Linkerd",
    "Temporal",
    "Airflow",
    "Snowflake",
    "BigQuery",
    "Spark",
    "Flink",
    "Memcached",
    "CockroachDB",
    "DynamoDB",
    "Cassandra",
    "MongoDB",
    "Keycloak",
    "WebSockets",
    "Pulsar",
    "Caddy",
    "HAProxy",
    "Celery",
    "Loki",
    "Sentry",
    "Fluent Bit",
];

const PRACTICES: &[&str] = &[
    "event sourcing",
    "feature flags",
    "trunk based development",
    "semantic versioning",
    "contract tests",
    "property based tests",
    "blue green deploys",
    "canary releases",
    "structured logging",
    "schema registries",
    "code owners",
    "chaos drills",
    "load shedding",
    "idempotency keys",
    "outbox tables",
    "read replicas",
    "request hedging",
    "circuit breakers",
    "service level objectives",
    "golden signals",
];

const AREAS: &[&str] = &[
    "billing",
    "search",
    "checkout",
    "notifications",
    "audit logs",
    "identity",
    "payments",
    "reporting",
    "inventory",
    "shipping",
    "pricing",
    "recommendations",
    "mobile sync",
    "admin tooling",
    "the public API",
    "event ingestion",
    "analytics",
    "warehouse loads",
    "session storage",
    "rate limiting",
    "email delivery",
    "image processing",
    "document storage",
    "scheduling",
    "background jobs",
    "configuration",
    "secrets",
    "deployments",
    "metrics",
    "tracing",
    "alerting",
    "error tracking",
    "localisation",
    "caching",
    "builds",
    "releases",
    "support tooling",
    "fraud checks",
    "access control",
    "tenant isolation",
    "data retention",
    "backups",
    "schema migrations",
    "load balancing",
    "service discovery",
    "webhooks",
    "user profiles",
    "file uploads",
    "exports",
    "onboarding",
];

const COMPONENTS: &[&str] = &[
    "event pipeline",
    "ingest service",
    "API gateway",
    "job scheduler",
    "search indexer",
    "cache layer",
    "export job",
    "status dashboard",
    "bulk importer",
    "retry queue",
    "audit trail",
    "rate limiter",
    "sync engine",
    "webhook dispatcher",
    "migration tool",
    "config loader",
    "permission model",
    "plugin host",
    "report builder",
    "batch processor",
    "session store",
    "notification fanout",
    "usage meter",
    "quota service",
    "asset store",
    "toggle service",
    "tenant router",
    "ledger",
    "billing engine",
    "query planner",
];

const ADJECTIVES: &[&str] = &[
    "incremental",
    "multi region",
    "resilient",
    "lightweight",
    "unified",
    "tenant aware",
    "streaming",
    "offline first",
    "cost aware",
    "self service",
    "versioned",
    "zero downtime",
    "pluggable",
    "observable",
    "horizontally scaled",
    "hardened",
    "cached",
    "asynchronous",
    "event driven",
    "simplified",
    "second generation",
    "regional",
    "shared",
    "federated",
];

const FIRST_NAMES: &[&str] = &[
    "Ana", "Bruno", "Chen", "Dara", "Elif", "Farid", "Greta", "Hugo", "Ines", "Jonas", "Kemal", "Lena", "Mateo",
    "Nadia", "Oskar", "Priya", "Quinn", "Rosa", "Samir", "Tariq", "Uma", "Viktor", "Wen", "Ximena", "Yusuf", "Zara",
    "Amara", "Bjorn", "Chloe", "Diego",
];

const LAST_NAMES: &[&str] = &[
    "Silva",
    "Okafor",
    "Nakamura",
    "Schmidt",
    "Kowalski",
    "Haddad",
    "Lindqvist",
    "Moreau",
    "Patel",
    "Rossi",
    "Novak",
    "Tanaka",
    "Dubois",
    "Andersen",
    "Costa",
    "Mensah",
    "Ivanova",
    "Fischer",
    "Lopez",
    "Byrne",
    "Kaya",
    "Horvat",
    "Jensen",
    "Reyes",
    "Sato",
    "Varga",
    "Weber",
    "Yilmaz",
    "Zhou",
    "Murphy",
];

const TAGS: &[&str] = &[
    "api",
    "storage",
    "security",
    "performance",
    "frontend",
    "backend",
    "data",
    "infrastructure",
    "observability",
    "testing",
    "ci",
    "networking",
    "billing",
    "search",
    "mobile",
    "compliance",
    "reliability",
    "cost",
    "developer-experience",
    "messaging",
    "identity",
    "migration",
    "caching",
    "deployment",
];

// Templates use `%key%` placeholders, filled by `Filler::fill`:
// t, t2 (techs), pr (practice), a, a2 (areas), c (component), j (adjective), p (person),
// n (2..=90), big (100..=5000), pct (5..=60), idx (document index), ai (area identifier),
// cc (component in CamelCase); callers add their own keys (uw, id, link, ...).
// Sentences never end in a number, so hard-wrapped lines never start like a list item.

const ADR_TITLES: &[&str] = &[
    "Use %t% for %a%",
    "Adopt %pr% for %a%",
    "Move %a% to %t%",
    "Replace %t2% with %t% in %a%",
    "Keep %a% on %t%",
    "Split %a% out of the monolith",
    "Stop using %t2% for %a%",
    "Run %a% workloads on %t%",
    "Store %a% data in %t%",
    "Expose %a% through %t%",
    "Introduce %pr% in %a%",
    "Standardise %a% on %t%",
    "Retire the legacy %c%",
    "Build a dedicated %c% for %a%",
    "Cache %a% lookups in %t%",
    "Encrypt %a% data with %t%",
];

const DESIGN_TITLES: &[&str] = &[
    "%j% %a% %c%",
    "%a% %c% on %t%",
    "%j% %c%",
    "%c% for %a%",
    "%a% %c% redesign",
    "moving the %c% to %t%",
    "%j% %c% with %pr%",
];

const QUALIFIERS: &[&str] = &[
    "for new tenants",
    "in the second region",
    "during the migration",
    "for internal tools",
    "for batch workloads",
    "at the edge",
    "for mobile clients",
    "for partner integrations",
    "under peak load",
    "for enterprise customers",
    "in the staging fleet",
    "for the free tier",
    "across all regions",
    "for regulated data",
    "before the freeze",
    "after the reorg",
    "in the next quarter",
    "with fewer dependencies",
    "without downtime",
    "as a pilot",
];

const PLAIN_SENTENCES: &[&str] = &[
    "The %a% team has run %t% in production for about %n% months.",
    "Most of the load on %a% arrives in short bursts around the start of each hour.",
    "We measured a median latency of %n% ms, with a long tail during deploys.",
    "Our current setup already runs %t% in several services, so the operational knowledge exists.",
    "Nobody on the current rotation has deep experience with %t2%.",
    "The existing %c% was written quickly and has collected many special cases.",
    "Support tickets about %a% doubled over the last two quarters.",
    "A spike in the staging environment showed that %t% handles our peak volume with room to spare.",
    "Licensing costs for %t2% would grow with every new tenant.",
    "The %c% must keep working while the migration is in progress.",
    "%p% raised the concern that on-call engineers would need new runbooks.",
    "Teams outside %a% depend on the current behaviour and cannot change quickly.",
    "We prefer boring technology where the problem is not a differentiator.",
    "Storage for %a% grows by roughly %n% gigabytes per week.",
    "Failures in %a% are often noticed by customers before our alerts fire.",
    "A rollback has to be possible at every step without data loss.",
    "The change touches %n% repositories and three deployment pipelines.",
    "Local development should not need more than a laptop and a container runtime.",
    "The vendor behind %t2% announced the end of support for the version we use.",
    "Schema changes in %a% are reviewed by hand, which slows every release.",
    "The %c% keeps its state in memory and loses it on restart.",
    "Our security review asked for encryption of %a% data at rest and in transit.",
    "Capacity planning for %a% is guesswork because we lack good metrics.",
    "Two earlier attempts stalled because the scope kept growing.",
    "Costs for %a% rose by %pct% percent after the last pricing change.",
    "A small proof of concept took %n% days and answered most open questions.",
    "The community around %t% is healthy and releases arrive on a steady schedule.",
    "Operating %t2% ourselves would need at least one more engineer.",
    "The decision can be revisited once traffic on %a% doubles again.",
    "We will write down the known limits of %t% in the team handbook.",
    "New services will follow this approach by default.",
    "Existing services will move over when they are next touched.",
    "Dashboards for %a% will show error rates and saturation side by side.",
    "The %c% gets a clear owner and its own on-call rotation.",
    "This trades some flexibility for a simpler mental model.",
    "Integration tests will run against a real %t% instance in CI.",
    "Data older than %n% days moves to cheaper storage.",
    "The interface between %a% and %a2% becomes an explicit contract.",
    "Batch jobs that feed %a2% will be rescheduled outside business hours.",
    "Engineers will need a short training session before the rollout.",
    "%p% paired with the %a2% team on the first prototype of the %c%.",
    "Peak traffic reaches about %big% requests per second on busy days.",
    "Adopting %pr% here would remove a whole class of incidents.",
    "The %j% variant of the %c% was considered and set aside for now.",
    "Every tenant currently shares one %c%, which couples their failure modes.",
    "Reads outnumber writes by a wide margin in %a%.",
    "The migration can run in the background over several weeks.",
    "We expect the first results from the pilot within a month.",
];

// `Writer::used` has one bit per plain sentence.
const _: () = assert!(PLAIN_SENTENCES.len() <= 64);

const UNIQUE_SENTENCES: &[&str] = &[
    "Internally the prototype went by the code name %uw%.",
    "The tracking label for this work is %uw% on the planning board.",
    "Search the chat history for %uw% to find the original discussion.",
    "Metrics from the trial were tagged %uw% so they can be filtered later.",
    "The spike branch was called %uw% and has since been merged.",
];

const MENTION_SENTENCES: &[&str] = &[
    "See %id% for the earlier reasoning about %a%.",
    "As %id% decided, %a2% keeps its own data store.",
    "This builds on %id% and does not reopen it.",
    "The constraints recorded in %id% still apply here.",
    "The related question of %a2% is covered by %id% instead.",
    "Nothing here changes what %id% settled for %a%.",
];

const LINK_SENTENCES: &[&str] = &[
    "Background is in [%title%](%path%).",
    "The trade-offs were also discussed in [%title%](%path%).",
    "Compare this with [%label%](%path%), which took a different route.",
    "For the rollout details, read [this document](%path%).",
    "The earlier write-up [%title%](%path%) has the measurements.",
];

const BROKEN_SENTENCES: &[&str] = &[
    "Older notes were kept in [the %a% notes](%target%), which has since been removed.",
    "A first draft lived at [the draft page](%target%) for a while.",
    "[The archived analysis](%target%) described the original approach.",
];

const LIST_ITEMS: &[&str] = &[
    "%t% becomes a required skill for the on-call rotation",
    "Dashboards for %a% need an update",
    "The %c% gets a single owning team",
    "Fewer moving parts in %a%",
    "Faster feedback in CI for changes to %a2%",
    "Better visibility into %a2%",
    "Less manual work during releases",
    "Predictable latency under load",
    "One more system to patch and upgrade",
    "Runbooks for %a% must be rewritten",
    "Hosting costs drop for small tenants",
    "A short freeze on schema changes during the switch",
    "Clearer error messages for API clients",
    "Retries become safe thanks to %pr%",
];

const POSITIVE_ITEMS: &[&str] = &[
    "Fewer moving parts in %a%",
    "Faster feedback in CI for changes to %a2%",
    "Better visibility into %a2%",
    "Less manual work during releases",
    "Predictable latency under load",
    "Hosting costs drop for small tenants",
    "Retries become safe thanks to %pr%",
];

const NEGATIVE_ITEMS: &[&str] = &[
    "%t% becomes a required skill for the on-call rotation",
    "One more system to patch and upgrade",
    "Runbooks for %a% must be rewritten",
    "A short freeze on schema changes during the switch",
    "Dashboards for %a% need an update",
];

const GOOD_ITEMS: &[&str] = &[
    "Good, because %t% is already familiar to most of the team",
    "Good, because it removes a manual step from every release",
    "Good, because failures in %a% become visible within minutes",
    "Good, because the %c% gets a single owner",
    "Good, because hosting costs drop for small tenants",
    "Good, because local development stays simple",
    "Good, because it makes %pr% the default",
];

const BAD_ITEMS: &[&str] = &[
    "Bad, because the migration needs a freeze window",
    "Bad, because experience with %t2% on the team is thin",
    "Bad, because we run one more stateful system",
    "Bad, because reporting on %a2% lags during the transition",
    "Bad, because the first version will lack some features",
];

const NEUTRAL_ITEMS: &[&str] = &[
    "Neutral, because the licence terms are unchanged",
    "Neutral, because the data model stays the same",
    "Neutral, because the team size does not change",
];

const DRIVERS: &[&str] = &[
    "Predictable latency for %a%",
    "Low operational effort",
    "Clear ownership of the %c%",
    "Cost that grows slower than traffic",
    "Easy local development",
    "Auditability of every change to %a%",
    "Compatibility with the existing %c%",
    "Fast recovery after an outage",
];

const REASONS: &[&str] = &[
    "it is the only option that meets the latency target",
    "it comes out best in the comparison below",
    "it keeps the %c% simple to operate",
    "the team already knows it well",
    "it fits the budget for %a%",
];

const CONTEXTS: &[&str] = &[
    "Quarterly planning for %a%",
    "Follow-up to an incident in %a%",
    "Request from the %a2% team",
    "Platform roadmap item for the %c%",
    "Cost review of %a%",
];

const CODE_SNIPPETS: &[(&str, &str)] = &[
    (
        "rust",
        "pub fn handle_%ai%_%idx%(req: &Request) -> Result<Response, Error> {\n    let limit = %n%;\n    let rows = fetch_%idx%(req.tenant(), limit)?;\n    Ok(Response::from_rows(rows))\n}\n",
    ),
    (
        "rust",
        "#[derive(Debug, Clone)]\npub struct %cc%Config%idx% {\n    pub retries: u32,\n    pub timeout_ms: u64,\n}\n\nimpl Default for %cc%Config%idx% {\n    fn default() -> Self {\n        Self { retries: %n%, timeout_ms: %big% }\n    }\n}\n",
    ),
    (
        "python",
        "def process_%ai%_%idx%(batch):\n    total = 0\n    for item in batch:\n        total += item.size\n    return total > %big%\n",
    ),
    (
        "python",
        "class %cc%Client%idx%:\n    def __init__(self, base_url, timeout=%n%):\n        self.base_url = base_url\n        self.timeout = timeout\n\n    def fetch(self, key):\n        return self._get(f\"{self.base_url}/items/{key}\")\n",
    ),
    (
        "sql",
        "CREATE TABLE %ai%_events_%idx% (\n    id BIGINT PRIMARY KEY,\n    tenant_id BIGINT NOT NULL,\n    payload TEXT,\n    created_at TIMESTAMP NOT NULL\n);\n\nCREATE INDEX idx_%ai%_%idx%_tenant ON %ai%_events_%idx% (tenant_id);\n",
    ),
    (
        "sql",
        "SELECT tenant_id, count(*) AS total\nFROM %ai%_requests_%idx%\nWHERE created_at > now() - interval '%n% days'\nGROUP BY tenant_id\nORDER BY total DESC\nLIMIT %n%;\n",
    ),
    ("bash", "#!/usr/bin/env bash\nset -euo pipefail\n./scripts/migrate-%idx%.sh --batch-size %big% --dry-run\n"),
    ("bash", "for shard in $(seq 1 %n%); do\n  ./bin/reindex_%idx% --shard \"$shard\" --area %ai%\ndone\n"),
    (
        "toml",
        "[service_%idx%]\nname = \"%ai%\"\nreplicas = %n%\ntimeout_ms = %big%\n\n[service_%idx%.limits]\nburst = %n%\n",
    ),
    (
        "json",
        "{\n  \"service\": \"%ai%_%idx%\",\n  \"replicas\": %n%,\n  \"regions\": [\"eu-west\", \"us-east\"],\n  \"max_batch\": %big%\n}\n",
    ),
];

const MERMAID_LABELS: &[&str] = &[
    "Client",
    "Load Balancer",
    "API Gateway",
    "Worker",
    "Queue",
    "Scheduler",
    "Object Store",
    "Search Index",
    "Cache",
    "Audit Log",
    "Admin UI",
    "Metrics",
];

const ADR_TOOLS_STATUSES: &[(&str, usize)] =
    &[("Accepted", 65), ("Proposed", 15), ("Deprecated", 10), ("Rejected", 10)];
const MADR_STATUSES: &[(&str, usize)] = &[("accepted", 60), ("proposed", 20), ("deprecated", 10), ("rejected", 10)];
const LOG4BRAINS_STATUSES: &[(&str, usize)] =
    &[("accepted", 60), ("proposed", 15), ("draft", 5), ("deprecated", 10), ("rejected", 10)];
const DESIGN_STATUSES: &[(&str, usize)] = &[("Draft", 20), ("Under Review", 25), ("Approved", 35), ("Implemented", 20)];

/// The normalised status of a status word as written (before any supersede relation).
fn normalise_status(written: &str) -> &'static str {
    match written.to_ascii_lowercase().as_str() {
        "accepted" | "approved" => "accepted",
        "proposed" | "under review" => "proposed",
        "draft" => "draft",
        "implemented" => "implemented",
        "deprecated" => "deprecated",
        "rejected" => "rejected",
        _ => "superseded",
    }
}

// ---------------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    AdrTools,
    Madr,
    Log4brains,
    Design,
}

impl Format {
    fn name(self) -> &'static str {
        match self {
            Format::AdrTools => "adr-tools",
            Format::Madr => "madr",
            Format::Log4brains => "log4brains",
            Format::Design => "design",
        }
    }

    fn kind(self) -> &'static str {
        match self {
            Format::Design => "design",
            _ => "adr",
        }
    }

    fn folder(self) -> &'static str {
        match self {
            Format::AdrTools | Format::Madr => "adr",
            Format::Log4brains => "decisions",
            Format::Design => "design",
        }
    }

    /// Heading anchors that every document of this format has exactly once.
    fn anchors(self) -> &'static [&'static str] {
        match self {
            Format::AdrTools => &["context", "decision", "consequences"],
            Format::Madr | Format::Log4brains => {
                &["context-and-problem-statement", "considered-options", "decision-outcome"]
            }
            Format::Design => &["problem-statement", "goals", "alternatives-considered", "performance-considerations"],
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct Topic {
    tech: &'static str,
    tech2: &'static str,
    practice: &'static str,
    area: &'static str,
    area2: &'static str,
    comp: &'static str,
    adj: &'static str,
}

impl Topic {
    fn random(rng: &mut Rng) -> Topic {
        let tech = rng.below(TECHS.len());
        let tech2 = (tech + 1 + rng.below(TECHS.len() - 1)) % TECHS.len();
        let area = rng.below(AREAS.len());
        let area2 = (area + 1 + rng.below(AREAS.len() - 1)) % AREAS.len();
        Topic {
            tech: TECHS[tech],
            tech2: TECHS[tech2],
            practice: rng.pick(PRACTICES),
            area: AREAS[area],
            area2: AREAS[area2],
            comp: rng.pick(COMPONENTS),
            adj: rng.pick(ADJECTIVES),
        }
    }
}

#[derive(Clone, Debug)]
struct Doc {
    format: Format,
    number: Option<usize>,
    title: String,
    /// File name inside its folder.
    file: String,
    source: String,
    id: String,
    day: i64,
    /// Status word as written when the document is not superseded.
    status: &'static str,
    authors: Vec<String>,
    consulted: Vec<String>,
    tags: Vec<&'static str>,
    supersedes: Vec<usize>,
    superseded_by: Vec<usize>,
    topic: Topic,
    unique_word: String,
}

impl Doc {
    fn norm_status(&self) -> &'static str {
        if self.superseded_by.is_empty() { normalise_status(self.status) } else { "superseded" }
    }
}

/// Fills `%key%` placeholders of a template.
struct Filler<'a> {
    rng: &'a mut Rng,
    topic: Topic,
    idx: usize,
}

impl Filler<'_> {
    fn fill(&mut self, tpl: &str, extra: &[(&str, &str)], out: &mut String) {
        let mut rest = tpl;
        while let Some(start) = rest.find('%') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            let end = after.find('%').expect("unterminated placeholder");
            self.value(&after[..end], extra, out);
            rest = &after[end + 1..];
        }
        out.push_str(rest);
    }

    fn value(&mut self, key: &str, extra: &[(&str, &str)], out: &mut String) {
        if let Some((_, v)) = extra.iter().find(|(k, _)| *k == key) {
            out.push_str(v);
            return;
        }
        let t = self.topic;
        match key {
            "" => out.push('%'),
            "t" => out.push_str(t.tech),
            "t2" => out.push_str(t.tech2),
            "pr" => out.push_str(t.practice),
            "a" => out.push_str(t.area),
            "a2" => out.push_str(t.area2),
            "c" => out.push_str(t.comp),
            "j" => out.push_str(t.adj),
            "p" => {
                let (first, last) = (self.rng.pick(FIRST_NAMES), self.rng.pick(LAST_NAMES));
                let _ = write!(out, "{first} {last}");
            }
            "n" => {
                let n = self.rng.range(2, 90);
                let _ = write!(out, "{n}");
            }
            "big" => {
                let n = self.rng.range(100, 5000);
                let _ = write!(out, "{n}");
            }
            "pct" => {
                let n = self.rng.range(5, 60);
                let _ = write!(out, "{n}");
            }
            "idx" => {
                let _ = write!(out, "{}", self.idx);
            }
            "ai" => out.push_str(&identifier(t.area.trim_start_matches("the "))),
            "cc" => {
                for word in t.comp.split(' ') {
                    let mut chars = word.chars();
                    if let Some(first) = chars.next() {
                        out.push(first.to_ascii_uppercase());
                        out.push_str(chars.as_str());
                    }
                }
            }
            _ => panic!("unknown placeholder {key}"),
        }
    }
}

fn identifier(words: &str) -> String {
    words.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '_' }).collect()
}

fn slugify(title: &str) -> String {
    let mut slug = String::with_capacity(title.len());
    for c in title.chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

fn capitalise_first(s: &mut String) {
    if let Some(first) = s.chars().next() {
        let upper = first.to_ascii_uppercase();
        s.replace_range(..first.len_utf8(), upper.encode_utf8(&mut [0; 4]));
    }
}

fn title_case(s: &str) -> String {
    const SMALL: &[&str] = &["a", "an", "and", "at", "for", "in", "of", "on", "the", "to", "with"];
    let mut out = String::with_capacity(s.len());
    for (i, word) in s.split(' ').enumerate() {
        if i > 0 {
            out.push(' ');
        }
        let all_lower = word.chars().all(|c| c.is_ascii_lowercase());
        if all_lower && (i == 0 || !SMALL.contains(&word)) {
            let mut w = word.to_string();
            capitalise_first(&mut w);
            out.push_str(&w);
        } else {
            out.push_str(word);
        }
    }
    out
}

fn spelled_digits(n: usize) -> String {
    const DIGITS: [&str; 10] = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
    n.to_string().bytes().map(|b| DIGITS[usize::from(b - b'0')]).collect::<Vec<_>>().join(" ")
}

/// `zq` + `width` base-26 letters of `idx` + `x`: fixed length, so no unique word is a substring
/// of another, and the final `x` keeps stemmers from trimming a suffix.
fn unique_word(idx: usize, width: usize) -> String {
    let mut letters = vec![b'a'; width];
    let mut n = idx;
    for slot in letters.iter_mut().rev() {
        *slot = b'a' + (n % 26) as u8;
        n /= 26;
    }
    let mut word = String::with_capacity(width + 3);
    word.push_str("zq");
    word.push_str(std::str::from_utf8(&letters).expect("ascii"));
    word.push('x');
    word
}

fn unique_width(count: usize) -> usize {
    let mut width = 4;
    let mut capacity = 26usize.pow(4);
    while capacity < count {
        width += 1;
        capacity = capacity.saturating_mul(26);
    }
    width
}

/// Numbers of adr-tools, MADR and log4brains documents (the rest are design docs).
fn split_counts(n: usize) -> (usize, usize, usize) {
    let tools = (n * 25 + 50) / 100;
    let madr = ((n * 20 + 50) / 100).min(n - tools);
    let l4b = ((n * 15 + 50) / 100).min(n - tools - madr);
    (tools, madr, l4b)
}

fn pick_status(rng: &mut Rng, table: &[(&'static str, usize)]) -> &'static str {
    let total: usize = table.iter().map(|(_, w)| w).sum();
    let mut roll = rng.below(total);
    for &(status, weight) in table {
        if roll < weight {
            return status;
        }
        roll -= weight;
    }
    table[0].0
}

fn people(rng: &mut Rng, lo: usize, hi: usize) -> Vec<String> {
    let want = rng.range(lo, hi);
    let mut out: Vec<String> = Vec::with_capacity(want);
    while out.len() < want {
        let name = format!("{} {}", rng.pick(FIRST_NAMES), rng.pick(LAST_NAMES));
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

fn pick_tags(rng: &mut Rng) -> Vec<&'static str> {
    let want = rng.range(1, 3);
    let mut out = Vec::with_capacity(want);
    while out.len() < want {
        let tag = rng.pick(TAGS);
        if !out.contains(&tag) {
            out.push(tag);
        }
    }
    out
}

/// A title unique (by slug) among all documents generated so far.
fn unique_title(base: String, idx: usize, design: bool, rng: &mut Rng, seen: &mut HashSet<String>) -> String {
    let finish = |s: &str| if design { title_case(s) } else { s.to_string() };
    let title = finish(&base);
    if seen.insert(slugify(&title)) {
        return title;
    }
    let start = rng.below(QUALIFIERS.len());
    for k in 0..QUALIFIERS.len() {
        let title = finish(&format!("{base} {}", QUALIFIERS[(start + k) % QUALIFIERS.len()]));
        if seen.insert(slugify(&title)) {
            return title;
        }
    }
    // No template produces the word "edition", and idx is unique.
    let title = finish(&format!("{base} edition {}", spelled_digits(idx)));
    seen.insert(slugify(&title));
    title
}

/// Links each chosen member of one format family to a later member that supersedes it.
/// Chains stay at most 3 documents long.
fn supersede_family(docs: &mut [Doc], members: &[usize], cap: usize, rng: &mut Rng) {
    for pos in 0..members.len().saturating_sub(1) {
        let i = members[pos];
        let depth = chain_depth(docs, i);
        if depth >= 3 {
            continue;
        }
        // Docs that already supersede something are more likely to be superseded: chains of 3.
        let percent = if depth == 1 { 10 } else { 20 };
        if !rng.chance(percent) {
            continue;
        }
        let window = (members.len() - pos - 1).min(12);
        for _ in 0..4 {
            let j = members[pos + 1 + rng.below(window)];
            if docs[j].supersedes.len() < cap {
                docs[j].supersedes.push(i);
                docs[i].superseded_by.push(j);
                break;
            }
        }
    }
}

/// Length of the longest supersede chain ending at `i` (1 when it supersedes nothing).
fn chain_depth(docs: &[Doc], i: usize) -> usize {
    1 + docs[i].supersedes.iter().map(|&s| chain_depth(docs, s)).max().unwrap_or(0)
}

struct Broken {
    line: usize,
    col: usize,
    target: String,
}

struct Rendered {
    content: String,
    links: Vec<usize>,
    mentions: Vec<usize>,
    broken: Option<Broken>,
}

/// Generates the corpus described by `opts`. Same options, byte-identical result.
pub fn generate(opts: &Options) -> Corpus {
    let n = opts.count;
    let (n_tools, n_madr, n_l4b) = split_counts(n);
    let n_adr = n_tools + n_madr;
    let n_design = n - n_adr - n_l4b;
    let mut rng = Rng::new(mix(opts.seed, 0x00C0_FFEE));
    let width = unique_width(n);
    let mut seen: HashSet<String> = HashSet::with_capacity(n * 2);
    let mut docs: Vec<Doc> = Vec::with_capacity(n);

    let first_day = days_from_civil(2015, 1, 1);
    let last_day = days_from_civil(2026, 6, 30);
    let span = (last_day - first_day) as usize;
    // Non-decreasing dates for position k of m.
    let monotone =
        |k: usize, m: usize, rng: &mut Rng| -> i64 { first_day + ((k * span + rng.below(span)) / m.max(1)) as i64 };

    // Numbered ADRs: adr-tools and MADR interleaved in docs/adr.
    let mut formats = vec![Format::AdrTools; n_tools];
    formats.extend(std::iter::repeat_n(Format::Madr, n_madr));
    rng.shuffle(&mut formats);
    let all_formats = formats
        .into_iter()
        .chain(std::iter::repeat_n(Format::Log4brains, n_l4b))
        .chain(std::iter::repeat_n(Format::Design, n_design));
    for (idx, format) in all_formats.enumerate() {
        let topic = Topic::random(&mut rng);
        let design = format == Format::Design;
        let template = if design { rng.pick(DESIGN_TITLES) } else { rng.pick(ADR_TITLES) };
        let mut base = String::new();
        Filler { rng: &mut rng, topic, idx }.fill(template, &[], &mut base);
        capitalise_first(&mut base);
        let title = unique_title(base, idx, design, &mut rng, &mut seen);
        let slug = slugify(&title);
        let (number, day, file) = match format {
            Format::AdrTools | Format::Madr => {
                let number = idx + 1;
                (Some(number), monotone(idx, n_adr, &mut rng), format!("{number:04}-{slug}.md"))
            }
            Format::Log4brains => {
                let day = monotone(idx - n_adr, n_l4b, &mut rng);
                (None, day, format!("{}-{slug}.md", compact_date(day)))
            }
            Format::Design => (None, first_day + rng.below(span + 1) as i64, format!("{slug}.md")),
        };
        let source = format!("docs/{}/{file}", format.folder());
        let id = match number {
            Some(number) => format!("ADR-{number:04}"),
            None => source.trim_end_matches(".md").to_string(),
        };
        let (authors, consulted, tags) = match format {
            Format::AdrTools => (Vec::new(), Vec::new(), Vec::new()),
            Format::Madr => {
                let authors = people(&mut rng, 1, 3);
                let consulted = if rng.chance(30) { people(&mut rng, 1, 2) } else { Vec::new() };
                (authors, consulted, pick_tags(&mut rng))
            }
            Format::Log4brains => (people(&mut rng, 1, 3), Vec::new(), pick_tags(&mut rng)),
            Format::Design => (people(&mut rng, 1, 1), Vec::new(), pick_tags(&mut rng)),
        };
        docs.push(Doc {
            format,
            number,
            title,
            file,
            source,
            id,
            day,
            status: "",
            authors,
            consulted,
            tags,
            supersedes: Vec::new(),
            superseded_by: Vec::new(),
            topic,
            unique_word: unique_word(idx, width),
        });
    }

    // Supersede chains, each within one format family.
    for (format, cap) in [(Format::AdrTools, 1), (Format::Madr, 2), (Format::Log4brains, 1)] {
        let members: Vec<usize> = (0..n_adr + n_l4b).filter(|&i| docs[i].format == format).collect();
        supersede_family(&mut docs, &members, cap, &mut rng);
    }

    // Statuses: superseders are accepted; superseded documents get their status from the writer.
    for doc in &mut docs {
        let table = match doc.format {
            Format::AdrTools => ADR_TOOLS_STATUSES,
            Format::Madr => MADR_STATUSES,
            Format::Log4brains => LOG4BRAINS_STATUSES,
            Format::Design => DESIGN_STATUSES,
        };
        let picked = pick_status(&mut rng, table);
        doc.status = if doc.supersedes.is_empty() { picked } else { table[0].0 };
    }

    // Documents with one broken link, numbered 1..=K in source order.
    let k = opts.broken.min(n);
    let mut order: Vec<usize> = (0..n).collect();
    for i in 0..k {
        let j = i + rng.below(n - i);
        order.swap(i, j);
    }
    let mut chosen: Vec<usize> = order[..k].to_vec();
    chosen.sort_by(|&a, &b| docs[a].source.cmp(&docs[b].source));
    let mut broken_target: Vec<Option<String>> = vec![None; n];
    for (pos, &i) in chosen.iter().enumerate() {
        let num = pos + 1;
        broken_target[i] = Some(match num % 4 {
            0 => format!("../adr/0000-missing-doc-{num}.md"),
            1 => format!("./does-not-exist-{num}.md"),
            2 => format!("../design/no-such-design-{num}.md"),
            _ => format!("../decisions/19990101-missing-{num}.md"),
        });
    }

    // Bodies.
    let rendered: Vec<Rendered> = (0..n)
        .map(|i| Writer::new(&docs, n_adr, n_adr + n_l4b, i, opts.seed, broken_target[i].take()).render())
        .collect();

    // Ground truth.
    let refs: Vec<BTreeSet<usize>> = (0..n)
        .map(|i| {
            let d = &docs[i];
            let r = &rendered[i];
            r.links
                .iter()
                .chain(&r.mentions)
                .chain(&d.supersedes)
                .chain(&d.superseded_by)
                .copied()
                .filter(|&t| t != i)
                .collect()
        })
        .collect();
    let mut backlinks: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, set) in refs.iter().enumerate() {
        for &t in set {
            backlinks[t].push(i);
        }
    }
    let ids = |items: &mut dyn Iterator<Item = &usize>| -> Vec<String> {
        items.map(|&t| docs[t].id.as_str()).collect::<BTreeSet<&str>>().into_iter().map(str::to_string).collect()
    };
    let sorted = |items: &[String]| -> Vec<String> {
        let mut v = items.to_vec();
        v.sort();
        v
    };

    let mut by_source: Vec<usize> = (0..n).collect();
    by_source.sort_by(|&a, &b| docs[a].source.cmp(&docs[b].source));
    let mut documents = Vec::with_capacity(n);
    let mut broken_links = Vec::new();
    let mut files = Vec::with_capacity(n);
    let mut rendered: Vec<Option<Rendered>> = rendered.into_iter().map(Some).collect();
    for &i in &by_source {
        let d = &docs[i];
        let r = rendered[i].take().expect("rendered once");
        let mut tags: Vec<String> = d.tags.iter().map(|t| t.to_string()).collect();
        tags.sort();
        // Built field by field: `json!` would deep-copy every value.
        let fields: [(&str, Value); 17] = [
            ("source", d.source.clone().into()),
            ("id", d.id.clone().into()),
            ("kind", d.format.kind().into()),
            ("format", d.format.name().into()),
            ("title", d.title.clone().into()),
            ("status", d.norm_status().into()),
            ("number", d.number.map_or(Value::Null, Value::from)),
            ("date", iso_date(d.day).into()),
            ("authors", sorted(&d.authors).into()),
            ("tags", tags.into()),
            ("supersedes", ids(&mut d.supersedes.iter()).into()),
            ("superseded_by", ids(&mut d.superseded_by.iter()).into()),
            ("links", ids(&mut r.links.iter()).into()),
            ("mentions", ids(&mut r.mentions.iter()).into()),
            ("references", ids(&mut refs[i].iter()).into()),
            ("backlinks", ids(&mut backlinks[i].iter()).into()),
            ("unique_word", d.unique_word.clone().into()),
        ];
        documents.push(object(fields));
        if let Some(b) = r.broken {
            broken_links.push(object([
                ("source", d.source.clone().into()),
                ("line", b.line.into()),
                ("col", b.col.into()),
                ("target", b.target.into()),
            ]));
        }
        files.push((d.source.clone(), r.content));
    }

    Corpus {
        files,
        expected: object([
            ("generator", GENERATOR.into()),
            ("seed", opts.seed.into()),
            ("count", n.into()),
            ("documents", Value::Array(documents)),
            ("broken_links", Value::Array(broken_links)),
        ]),
    }
}

fn object<const N: usize>(fields: [(&str, Value); N]) -> Value {
    Value::Object(fields.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
}

// ---------------------------------------------------------------------------------------------
// Rendering one document
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Eq)]
enum Sentence {
    Plain,
    Mention,
    Link,
    Unique,
}

struct Writer<'a> {
    docs: &'a [Doc],
    /// Documents `0..numbered` are the numbered ADRs; `0..decisions` are all ADRs.
    numbered: usize,
    decisions: usize,
    me: usize,
    rng: Rng,
    out: String,
    links: Vec<usize>,
    mentions: Vec<usize>,
    paragraphs: usize,
    unique_at: usize,
    /// Plain sentences used so far (bit per template), to avoid repeats within a document.
    used: u64,
    pending_broken: Option<String>,
    broken: Option<Broken>,
}

impl<'a> Writer<'a> {
    fn new(docs: &'a [Doc], numbered: usize, decisions: usize, me: usize, seed: u64, broken: Option<String>) -> Self {
        let mut rng = Rng::new(mix(seed, 0x1000_0000 + me as u64));
        let unique_at = rng.below(3);
        Writer {
            docs,
            numbered,
            decisions,
            me,
            rng,
            out: String::with_capacity(if docs[me].format == Format::Design { 8192 } else { 4096 }),
            links: Vec::new(),
            mentions: Vec::new(),
            paragraphs: 0,
            unique_at,
            used: 0,
            pending_broken: broken,
            broken: None,
        }
    }

    fn doc(&self) -> &'a Doc {
        &self.docs[self.me]
    }

    fn render(mut self) -> Rendered {
        match self.doc().format {
            Format::AdrTools => self.adr_tools(),
            Format::Madr => self.madr(),
            Format::Log4brains => self.log4brains(),
            Format::Design => self.design(),
        }
        assert!(self.paragraphs > self.unique_at, "unique word not placed");
        assert!(self.pending_broken.is_none(), "broken link not placed");
        Rendered { content: self.out, links: self.links, mentions: self.mentions, broken: self.broken }
    }

    // --- building blocks ---------------------------------------------------------------------

    fn fill_into(&mut self, tpl: &str, extra: &[(&str, &str)], out: &mut String) {
        let topic = self.doc().topic;
        Filler { rng: &mut self.rng, topic, idx: self.me }.fill(tpl, extra, out);
    }

    /// Appends a filled template to the document.
    fn put(&mut self, tpl: &str) {
        let mut out = std::mem::take(&mut self.out);
        self.fill_into(tpl, &[], &mut out);
        self.out = out;
    }

    fn put_pick(&mut self, list: &[&str]) {
        let tpl = self.rng.pick(list);
        self.put(tpl);
    }

    fn heading(&mut self, level: usize, text: &str) {
        for _ in 0..level {
            self.out.push('#');
        }
        self.out.push(' ');
        self.out.push_str(text);
        self.out.push_str("\n\n");
    }

    /// A paragraph of a few sentences, maybe with an ID mention or a relative link; the
    /// `unique_at`-th paragraph carries the unique word. Plain paragraphs may be hard-wrapped.
    fn paragraph(&mut self, wrap: bool) {
        let mut kinds = vec![Sentence::Plain; self.rng.range(2, 4)];
        if self.paragraphs == self.unique_at {
            let pos = self.rng.below(kinds.len() + 1);
            kinds.insert(pos, Sentence::Unique);
        }
        if self.rng.chance(25) {
            let pos = self.rng.below(kinds.len() + 1);
            kinds.insert(pos, Sentence::Mention);
        }
        if self.rng.chance(22) {
            let pos = self.rng.below(kinds.len() + 1);
            kinds.insert(pos, Sentence::Link);
        }
        self.paragraphs += 1;
        let mut text = String::with_capacity(400);
        let mut has_link = false;
        for kind in kinds {
            if !text.is_empty() {
                text.push(' ');
            }
            match kind {
                Sentence::Plain => self.plain_sentence(&mut text),
                Sentence::Unique => {
                    let tpl = self.rng.pick(UNIQUE_SENTENCES);
                    let word = &self.doc().unique_word;
                    self.fill_into(tpl, &[("uw", word)], &mut text);
                }
                Sentence::Mention => self.mention_sentence(&mut text),
                Sentence::Link => has_link |= self.link_sentence(&mut text),
            }
        }
        if wrap && !has_link && self.rng.chance(50) {
            wrap_into(&mut self.out, &text, 72);
        } else {
            self.out.push_str(&text);
        }
        self.out.push_str("\n\n");
    }

    fn plain_sentence(&mut self, out: &mut String) {
        let mut k = self.rng.below(PLAIN_SENTENCES.len());
        for _ in 0..4 {
            if self.used & (1 << k) == 0 {
                break;
            }
            k = self.rng.below(PLAIN_SENTENCES.len());
        }
        self.used |= 1 << k;
        self.fill_into(PLAIN_SENTENCES[k], &[], out);
    }

    /// `ADR-0007` or `ADR-7` naming another numbered ADR; plain sentence when there is none.
    fn mention_sentence(&mut self, out: &mut String) {
        let m = self.numbered;
        let target = if self.me < m {
            if self.me > 0 && self.rng.chance(75) {
                // Mostly earlier decisions.
                Some(self.rng.below(self.me))
            } else if m < 2 {
                None
            } else {
                let t = self.rng.below(m - 1);
                Some(if t >= self.me { t + 1 } else { t })
            }
        } else if m == 0 {
            None
        } else {
            Some(self.rng.below(m))
        };
        let Some(target) = target else {
            return self.plain_sentence(out);
        };
        let number = self.docs[target].number.expect("numbered");
        let id = if self.rng.chance(25) { format!("ADR-{number}") } else { format!("ADR-{number:04}") };
        let tpl = self.rng.pick(MENTION_SENTENCES);
        self.fill_into(tpl, &[("id", &id)], out);
        self.mentions.push(target);
    }

    /// Relative path from this document to `target`, sometimes with a heading anchor.
    fn rel_path(&mut self, target: usize) -> String {
        let to = &self.docs[target];
        let mut path = if to.format.folder() == self.doc().format.folder() {
            if self.rng.chance(25) { format!("./{}", to.file) } else { to.file.clone() }
        } else {
            format!("../{}/{}", to.format.folder(), to.file)
        };
        if self.rng.chance(12) {
            path.push('#');
            path.push_str(self.rng.pick(to.format.anchors()));
        }
        path
    }

    /// Records and returns a link to another document in `range`, if there is one.
    fn link_to(&mut self, range: std::ops::Range<usize>) -> Option<(usize, String)> {
        let len = range.len();
        let inside = range.contains(&self.me);
        if len == 0 || (inside && len == 1) {
            return None;
        }
        let mut t = range.start + self.rng.below(if inside { len - 1 } else { len });
        if inside && t >= self.me {
            t += 1;
        }
        let path = self.rel_path(t);
        self.links.push(t);
        Some((t, path))
    }

    fn link_sentence(&mut self, out: &mut String) -> bool {
        let Some((target, path)) = self.link_to(0..self.docs.len()) else {
            self.plain_sentence(out);
            return false;
        };
        let to = &self.docs[target];
        let label = if to.number.is_some() { to.id.as_str() } else { "the earlier write-up" };
        let tpl = self.rng.pick(LINK_SENTENCES);
        self.fill_into(tpl, &[("title", &to.title), ("path", &path), ("label", label)], out);
        true
    }

    /// The extra broken link, in its own single-line paragraph, if this document gets one.
    fn maybe_broken(&mut self) {
        let Some(target) = self.pending_broken.take() else {
            return;
        };
        let mut line = String::new();
        if self.rng.chance(60) {
            self.plain_sentence(&mut line);
            line.push(' ');
        }
        let tpl = self.rng.pick(BROKEN_SENTENCES);
        let mut sentence = String::new();
        self.fill_into(tpl, &[("target", &target)], &mut sentence);
        let col = line.len() + sentence.find('[').expect("link") + 1;
        line.push_str(&sentence);
        debug_assert!(line.is_ascii());
        let line_no = self.out.bytes().filter(|&b| b == b'\n').count() + 1;
        self.out.push_str(&line);
        self.out.push_str("\n\n");
        self.broken = Some(Broken { line: line_no, col, target });
    }

    fn list(&mut self, marker: &str, items: &[&str], lo: usize, hi: usize) {
        let want = self.rng.range(lo, hi.min(items.len()));
        let start = self.rng.below(items.len());
        for k in 0..want {
            self.out.push_str(marker);
            self.out.push(' ');
            self.put(items[(start + k * 3) % items.len()]);
            self.out.push('\n');
        }
        self.out.push('\n');
    }

    fn code_block(&mut self, lang: Option<&str>) {
        let candidates: Vec<&(&str, &str)> =
            CODE_SNIPPETS.iter().filter(|(l, _)| lang.is_none_or(|want| want == *l)).collect();
        let &&(lang, body) = &candidates[self.rng.below(candidates.len())];
        self.out.push_str("```");
        self.out.push_str(lang);
        self.out.push('\n');
        self.put(body);
        self.out.push_str("```\n\n");
    }

    fn options_table(&mut self) {
        let t = self.doc().topic;
        self.out.push_str("| Option | Cost | Effort | Risk |\n|---|---|---|---|\n");
        let levels = ["low", "medium", "high"];
        for name in [t.tech, t.tech2, "Keep the current setup"] {
            let (a, b, c) = (self.rng.pick(&levels), self.rng.pick(&levels), self.rng.pick(&levels));
            let _ = writeln!(self.out, "| {name} | {a} | {b} | {c} |");
        }
        self.out.push('\n');
    }

    fn mermaid(&mut self) {
        let idx = self.me;
        let t = self.doc().topic;
        let dir = self.rng.pick(&["LR", "TD", "TB", "RL"]);
        let _ = writeln!(self.out, "```mermaid\nflowchart {dir}");
        let count = self.rng.range(3, 6);
        let mut labels: Vec<String> = Vec::with_capacity(count);
        labels.push("Client".to_string());
        labels.push(title_case(t.comp));
        while labels.len() < count {
            let l = self.rng.pick(MERMAID_LABELS).to_string();
            if !labels.contains(&l) {
                labels.push(l);
            }
        }
        for (k, label) in labels.iter().enumerate() {
            let (open, close) = match (k + idx) % 5 {
                0 | 1 => ("[", "]"),
                2 => ("(", ")"),
                3 => ("[(", ")]"),
                _ => ("{", "}"),
            };
            let _ = writeln!(self.out, "    n{idx}x{k}{open}{label}{close}");
        }
        for k in 1..count {
            let from = if k == 1 { 0 } else { self.rng.below(k) };
            if self.rng.chance(30) {
                let verb = self.rng.pick(&["calls", "reads", "writes", "emits", "polls"]);
                let _ = writeln!(self.out, "    n{idx}x{from} -->|{verb}| n{idx}x{k}");
            } else {
                let _ = writeln!(self.out, "    n{idx}x{from} --> n{idx}x{k}");
            }
        }
        self.out.push_str("```\n\n");
    }

    // --- formats -----------------------------------------------------------------------------

    fn adr_tools(&mut self) {
        let d = self.doc();
        let _ = write!(self.out, "# {}. {}\n\nDate: {}\n\n", d.number.expect("numbered"), d.title, iso_date(d.day));
        self.heading(2, "Status");
        let docs = self.docs;
        if let Some(&by) = d.superseded_by.first() {
            let s = &docs[by];
            let _ = write!(self.out, "Superseded by [{}. {}]({})\n\n", s.number.expect("numbered"), s.title, s.file);
            self.links.push(by);
        } else {
            let _ = write!(self.out, "{}\n\n", d.status);
        }
        for &old in &d.supersedes {
            let s = &docs[old];
            let _ = write!(self.out, "Supersedes [{}. {}]({})\n\n", s.number.expect("numbered"), s.title, s.file);
            self.links.push(old);
        }
        self.heading(2, "Context");
        self.paragraph(true);
        self.maybe_broken();
        self.paragraph(true);
        if self.rng.chance(40) {
            self.list("-", LIST_ITEMS, 2, 4);
        }
        self.heading(2, "Decision");
        self.paragraph(true);
        if self.rng.chance(70) {
            self.code_block(None);
        }
        if self.rng.chance(40) {
            self.paragraph(true);
        }
        self.heading(2, "Consequences");
        self.paragraph(true);
        self.list(if self.me.is_multiple_of(2) { "-" } else { "*" }, LIST_ITEMS, 2, 5);
        if self.rng.chance(25) {
            self.options_table();
        }
    }

    fn madr(&mut self) {
        let d = self.doc();
        let docs = self.docs;
        self.out.push_str("---\n");
        if let Some(&by) = d.superseded_by.first() {
            let _ = writeln!(self.out, "status: \"superseded by {}\"", docs[by].id);
        } else {
            let _ = writeln!(self.out, "status: {}", d.status);
        }
        let _ = writeln!(self.out, "date: {}", iso_date(d.day));
        let _ = writeln!(self.out, "decision-makers: [{}]", d.authors.join(", "));
        if !d.consulted.is_empty() {
            let _ = writeln!(self.out, "consulted: [{}]", d.consulted.join(", "));
        }
        match d.supersedes.as_slice() {
            [] => {}
            [one] if self.rng.chance(70) => {
                let _ = writeln!(self.out, "supersedes: {}", docs[*one].id);
            }
            many => {
                let list: Vec<&str> = many.iter().map(|&i| docs[i].id.as_str()).collect();
                let _ = writeln!(self.out, "supersedes: [{}]", list.join(", "));
            }
        }
        let _ = writeln!(self.out, "tags: [{}]", d.tags.join(", "));
        let _ = write!(self.out, "---\n\n# {}\n\n", d.title);
        self.heading(2, "Context and Problem Statement");
        self.paragraph(false);
        self.maybe_broken();
        self.paragraph(false);
        if self.rng.chance(60) {
            self.heading(2, "Decision Drivers");
            self.list("*", DRIVERS, 2, 4);
        }
        self.heading(2, "Considered Options");
        let t = d.topic;
        let _ = write!(self.out, "* {}\n* {}\n* Keep the current {}\n\n", t.tech, t.tech2, t.comp);
        self.heading(2, "Decision Outcome");
        let _ = write!(self.out, "Chosen option: \"{}\", because ", t.tech);
        self.put_pick(REASONS);
        self.out.push_str(".\n\n");
        self.paragraph(false);
        if self.rng.chance(70) {
            self.heading(3, "Consequences");
            self.list("*", GOOD_ITEMS, 1, 2);
            self.out.pop();
            self.list("*", BAD_ITEMS, 1, 2);
        }
        if self.rng.chance(30) {
            self.heading(3, "Confirmation");
            self.paragraph(false);
        }
        self.heading(2, "Pros and Cons of the Options");
        self.heading(3, t.tech);
        self.paragraph(false);
        self.list("*", GOOD_ITEMS, 1, 2);
        self.out.pop();
        self.list("*", NEUTRAL_ITEMS, 0, 1);
        self.out.pop();
        self.list("*", BAD_ITEMS, 1, 2);
        self.heading(3, t.tech2);
        self.list("*", GOOD_ITEMS, 1, 2);
        self.out.pop();
        self.list("*", BAD_ITEMS, 1, 2);
        if self.rng.chance(25) {
            self.options_table();
        }
        if self.rng.chance(50) {
            self.heading(2, "More Information");
            self.paragraph(false);
            if self.rng.chance(60) {
                self.code_block(None);
            }
        }
    }

    fn log4brains(&mut self) {
        let d = self.doc();
        let docs = self.docs;
        let _ = write!(self.out, "# {}\n\n", d.title);
        if let Some(&by) = d.superseded_by.first() {
            let s = &docs[by];
            let name = s.file.trim_end_matches(".md");
            let _ = writeln!(self.out, "- Status: superseded by [{name}]({})", s.file);
            self.links.push(by);
        } else {
            let _ = writeln!(self.out, "- Status: {}", d.status);
        }
        let _ = writeln!(self.out, "- Date: {}", iso_date(d.day));
        let _ = writeln!(self.out, "- Deciders: {}", d.authors.join(", "));
        let _ = write!(self.out, "- Tags: {}\n\n", d.tags.join(", "));
        self.heading(2, "Context and Problem Statement");
        self.paragraph(false);
        self.maybe_broken();
        self.paragraph(false);
        if self.rng.chance(50) {
            self.heading(2, "Decision Drivers");
            self.list("-", DRIVERS, 2, 4);
        }
        self.heading(2, "Considered Options");
        let t = d.topic;
        let _ = write!(self.out, "- {}\n- {}\n- Keep the current {}\n\n", t.tech, t.tech2, t.comp);
        self.heading(2, "Decision Outcome");
        let _ = write!(self.out, "Chosen option: \"{}\", because ", t.tech);
        self.put_pick(REASONS);
        self.out.push_str(".\n\n");
        self.paragraph(false);
        self.heading(3, "Positive Consequences");
        self.list("-", POSITIVE_ITEMS, 1, 3);
        self.heading(3, "Negative Consequences");
        self.list("-", NEGATIVE_ITEMS, 1, 2);
        self.heading(2, "Pros and Cons of the Options");
        self.heading(3, t.tech);
        self.paragraph(false);
        if self.rng.chance(50) {
            self.code_block(None);
        }
        self.list("-", GOOD_ITEMS, 1, 2);
        self.out.pop();
        self.list("-", BAD_ITEMS, 1, 2);
        self.heading(3, t.tech2);
        self.list("-", GOOD_ITEMS, 1, 2);
        self.out.pop();
        self.list("-", BAD_ITEMS, 1, 2);
        let mut links = String::new();
        for &old in &d.supersedes {
            let s = &docs[old];
            let name = s.file.trim_end_matches(".md");
            let _ = writeln!(links, "- Supersedes [{name}]({})", s.file);
            self.links.push(old);
        }
        if self.rng.chance(30)
            && let Some((target, path)) = self.link_to(0..self.decisions)
        {
            let _ = writeln!(links, "- Relates to [{}]({path})", docs[target].title);
        }
        if !links.is_empty() {
            self.heading(2, "Links");
            self.out.push_str(&links);
            self.out.push('\n');
        }
    }

    fn design(&mut self) {
        let d = self.doc();
        let docs = self.docs;
        let t = d.topic;
        let _ = write!(
            self.out,
            "# Technical Design: {}\n\n**Date:** {}\n**Author:** {}\n**Status:** {}\n**Context:** ",
            d.title,
            iso_date(d.day),
            d.authors[0],
            d.status
        );
        self.put_pick(CONTEXTS);
        let _ = write!(self.out, "\n**Tags:** {}\n\n", d.tags.join(", "));

        self.heading(2, "Problem Statement");
        self.paragraph(false);
        self.maybe_broken();
        self.paragraph(false);

        self.heading(2, "Goals");
        for (k, tpl) in [
            "Keep the p99 latency of %a% below %n% ms",
            "Cut the monthly cost of %a% by %pct% percent",
            "Let the %c% recover from a node loss without manual steps",
        ]
        .iter()
        .enumerate()
        {
            let _ = write!(self.out, "- Goal {}: ", k + 1);
            self.put(tpl);
            self.out.push('\n');
        }
        self.out.push('\n');
        self.heading(2, "Non-Goals");
        self.put("- Non-goal 1: Replacing %t2% everywhere in this iteration\n- Non-goal 2: Changes to %a2%, which will be addressed in future work\n\n");

        self.heading(2, "Proposed Solution");
        self.heading(3, "Architecture Overview");
        self.paragraph(false);
        self.mermaid();

        self.heading(3, "Component Design");
        let comp = title_case(t.comp);
        self.heading(4, &comp);
        self.out.push_str("**Responsibility:** ");
        self.plain_sentence_into_out();
        self.out.push_str("\n\n**Key Endpoints:**\n");
        self.put("- `POST /api/%ai%` - Creates a record\n- `GET /api/%ai%/{id}` - Returns one record\n\n");
        self.out.push_str("**Request/Response Schemas:**\n");
        self.put("```python\nclass %cc%Request%idx%(BaseModel):\n    tenant_id: str\n    limit: int = %n%\n\nclass %cc%Response%idx%(BaseModel):\n    id: UUID\n    status: str\n```\n\n");
        self.out.push_str(
            "**Error Handling:**\n- 400: Invalid request\n- 404: Resource not found\n- 429: Rate limit exceeded\n\n",
        );

        self.heading(3, "Alternatives Considered");
        self.out.push_str("| Approach | Pros | Cons | Decision |\n|----------|------|------|----------|\n");
        let _ = writeln!(
            self.out,
            "| **{}** | Familiar to the team | Needs a migration | \u{2705} **Chosen** - best fit for {} |",
            t.tech, t.area
        );
        let _ = writeln!(
            self.out,
            "| **{}** | Managed offering exists | Cost grows per tenant | \u{274c} Rejected - too expensive |",
            t.tech2
        );
        let _ = writeln!(
            self.out,
            "| **Keep the current {}** | No work now | Incidents continue | \u{274c} Future consideration - revisit next year |",
            t.comp
        );
        self.out.push_str("\n**Decision Rationale:**\n\n");
        self.paragraph(false);

        if self.rng.chance(50) {
            self.heading(3, "Data Schema");
            self.code_block(Some("sql"));
        }
        if self.rng.chance(50) {
            self.heading(3, "Security Considerations");
            self.put("- **Authorization:** Only members of the %a% team can change settings\n- **Authentication:** Service tokens issued by %t%\n- **Rate Limiting:** %big% requests per minute per tenant\n- **Audit Logging:** Every change is written to the audit trail\n\n");
        }

        self.heading(3, "Performance Considerations");
        self.put("**Expected Load:**\n- Concurrent users: %big%\n- Requests per second: %big%\n- Data volume: %n% GB per day\n\n");
        self.paragraph(false);
        if self.rng.chance(60) {
            let lang = self.rng.pick(&["rust", "python", "bash", "toml", "json"]);
            self.code_block(Some(lang));
        }

        if self.rng.chance(50) {
            self.heading(3, "Rollout Plan");
            self.put("**Phase 1: Pilot** (two weeks)\n- Enable for internal tenants\n- Success criteria: error rate below %n% per million\n\n**Phase 2: General availability** (one month)\n- Enable for all tenants in %a%\n- Success criteria: no rollback needed\n\n");
        }
        if self.rng.chance(40) {
            self.paragraph(false);
        }

        self.heading(2, "Open Questions");
        self.put("1. **Q:** Who owns the %c% after launch?\n   **A:** TBD - needs discussion\n\n2. **Q:** Do we need a second region for %a%?\n   **A:** Not in the first phase\n\n");

        self.heading(2, "Success Metrics");
        self.put("- **Performance:** 95th percentile latency under %n% ms\n- **Reliability:** fewer than %n% failed requests per million\n\n");

        self.heading(2, "References");
        if self.rng.chance(30) {
            let _ = writeln!(self.out, "- PRD: [Product brief](https://example.com/prd/{})", self.me);
        }
        self.out.push_str("- Related ADRs:\n");
        let want = self.rng.range(1, 3);
        let mut any = false;
        for _ in 0..want {
            if let Some((target, path)) = self.link_to(0..self.decisions) {
                let s = &docs[target];
                let label = if s.number.is_some() { s.id.as_str() } else { s.file.trim_end_matches(".md") };
                let _ = writeln!(self.out, "  - [{label}]({path}): {}", s.title);
                any = true;
            }
        }
        if !any {
            self.out.push_str("  - None so far\n");
        }
        if self.rng.chance(50) {
            self.out.push_str("- Related Documentation:\n");
            let designs = self.decisions..self.docs.len();
            if let Some((target, path)) = self.link_to(designs) {
                let _ = writeln!(self.out, "  - [{}]({path})", docs[target].title);
            }
            self.out.push_str("  - Runbook: kept in the team wiki\n");
        }
    }

    fn plain_sentence_into_out(&mut self) {
        let mut out = std::mem::take(&mut self.out);
        self.plain_sentence(&mut out);
        self.out = out;
    }
}

/// Appends `text` hard-wrapped at `width` columns (at spaces only).
fn wrap_into(out: &mut String, text: &str, width: usize) {
    let mut col = 0;
    for word in text.split(' ') {
        if col > 0 && col + 1 + word.len() > width {
            out.push('\n');
            col = 0;
        } else if col > 0 {
            out.push(' ');
            col += 1;
        }
        out.push_str(word);
        col += word.len();
    }
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeMap, HashMap};

    fn opts(count: usize, seed: u64, broken: usize) -> Options {
        Options { count, seed, broken }
    }

    fn documents(c: &Corpus) -> &Vec<Value> {
        c.expected["documents"].as_array().expect("documents")
    }

    fn strs(v: &Value) -> Vec<String> {
        v.as_array().expect("array").iter().map(|s| s.as_str().expect("string").to_string()).collect()
    }

    /// Resolves `target` (relative to the folder of `source`) to a corpus path.
    fn resolve(source: &str, target: &str) -> String {
        let target = target.split('#').next().unwrap_or_default();
        let mut parts: Vec<&str> = source.split('/').collect();
        parts.pop();
        for seg in target.split('/') {
            match seg {
                "." | "" => {}
                ".." => {
                    parts.pop();
                }
                s => parts.push(s),
            }
        }
        parts.join("/")
    }

    /// `(text, target)` of every inline link `[text](target)` outside code fences.
    fn inline_links(content: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut in_code = false;
        for line in content.lines() {
            if line.starts_with("```") {
                in_code = !in_code;
                continue;
            }
            if in_code {
                continue;
            }
            let mut rest = line;
            while let Some(mid) = rest.find("](") {
                let open = rest[..mid].rfind('[').expect("link text");
                let close = rest[mid..].find(')').expect("link end") + mid;
                out.push((rest[open + 1..mid].to_string(), rest[mid + 2..close].to_string()));
                rest = &rest[close + 1..];
            }
        }
        out
    }

    #[test]
    fn deterministic() {
        let a = generate(&opts(300, 7, 4));
        let b = generate(&opts(300, 7, 4));
        assert_eq!(a.files, b.files);
        assert_eq!(a.expected, b.expected);
        let c = generate(&opts(300, 8, 4));
        assert_ne!(a.files, c.files);
    }

    #[test]
    fn counts_and_layout() {
        for count in [0, 1, 2, 3, 5, 17, 400] {
            let c = generate(&opts(count, 42, 2));
            assert_eq!(c.files.len(), count);
            assert_eq!(documents(&c).len(), count);
            let paths: HashSet<&str> = c.files.iter().map(|(p, _)| p.as_str()).collect();
            assert_eq!(paths.len(), count, "paths are unique");
            let mut sorted: Vec<&str> = c.files.iter().map(|(p, _)| p.as_str()).collect();
            sorted.sort_unstable();
            assert!(sorted.iter().copied().eq(c.files.iter().map(|(p, _)| p.as_str())));
        }
        let c = generate(&opts(1000, 42, 0));
        let mut by_format: BTreeMap<&str, usize> = BTreeMap::new();
        let mut numbers = Vec::new();
        for d in documents(&c) {
            *by_format.entry(d["format"].as_str().unwrap()).or_default() += 1;
            if let Some(n) = d["number"].as_u64() {
                numbers.push(n);
            }
            let date = d["date"].as_str().unwrap();
            assert!(("2015-01-01"..="2026-12-31").contains(&date), "{date}");
            let source = d["source"].as_str().unwrap();
            if d["format"] == "log4brains" {
                assert!(source.starts_with(&format!("docs/decisions/{}-", date.replace('-', ""))));
            }
        }
        assert_eq!(by_format["adr-tools"], 250);
        assert_eq!(by_format["madr"], 200);
        assert_eq!(by_format["log4brains"], 150);
        assert_eq!(by_format["design"], 400);
        numbers.sort_unstable();
        assert!(numbers.iter().copied().eq(1..=450));
    }

    #[test]
    fn unique_words_are_distinct_and_appear_once() {
        let c = generate(&opts(2000, 3, 0));
        let docs = documents(&c);
        let words: HashSet<&str> = docs.iter().map(|d| d["unique_word"].as_str().unwrap()).collect();
        assert_eq!(words.len(), docs.len());
        let len = words.iter().next().unwrap().len();
        assert!(words.iter().all(|w| w.len() == len && w.bytes().all(|b| b.is_ascii_lowercase())));
        let by_source: HashMap<&str, &str> =
            docs.iter().map(|d| (d["source"].as_str().unwrap(), d["unique_word"].as_str().unwrap())).collect();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (path, content) in &c.files {
            let tokens: Vec<&str> =
                content.split(|ch: char| !ch.is_ascii_alphanumeric()).filter(|t| t.contains("zq")).collect();
            assert_eq!(tokens, [by_source[path.as_str()]], "{path}");
            *seen.entry(tokens[0].to_string()).or_default() += 1;
            let title_line = content.lines().find(|l| l.starts_with("# ")).unwrap();
            assert!(!title_line.contains("zq"));
        }
        assert!(seen.values().all(|&n| n == 1));
    }

    #[test]
    fn links_resolve_and_match_ground_truth() {
        let c = generate(&opts(1500, 11, 9));
        let paths: HashMap<&str, &str> =
            documents(&c).iter().map(|d| (d["source"].as_str().unwrap(), d["id"].as_str().unwrap())).collect();
        let broken: HashSet<(String, String)> = c.expected["broken_links"]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| (b["source"].as_str().unwrap().to_string(), b["target"].as_str().unwrap().to_string()))
            .collect();
        let mut broken_seen = 0;
        let mut total_links = 0;
        for ((path, content), doc) in c.files.iter().zip(documents(&c)) {
            assert_eq!(doc["source"].as_str().unwrap(), path);
            let mut ids = BTreeSet::new();
            for (_, target) in inline_links(content) {
                if target.starts_with("https://") {
                    continue;
                }
                let resolved = resolve(path, &target);
                match paths.get(resolved.as_str()) {
                    Some(id) => {
                        ids.insert(id.to_string());
                    }
                    None => {
                        assert!(broken.contains(&(path.clone(), target.clone())), "{path}: {target}");
                        broken_seen += 1;
                    }
                }
            }
            total_links += ids.len();
            assert_eq!(ids.into_iter().collect::<Vec<_>>(), strs(&doc["links"]), "{path}");
        }
        assert_eq!(broken_seen, 9);
        assert!(total_links > 1500, "plenty of links: {total_links}");
    }

    #[test]
    fn broken_links_are_located() {
        for k in [0, 1, 5, 40] {
            let c = generate(&opts(300, 5, k));
            let list = c.expected["broken_links"].as_array().unwrap();
            assert_eq!(list.len(), k);
            let sources: HashSet<&str> = list.iter().map(|b| b["source"].as_str().unwrap()).collect();
            assert_eq!(sources.len(), k, "distinct documents");
            let files: HashMap<&str, &str> = c.files.iter().map(|(p, s)| (p.as_str(), s.as_str())).collect();
            for b in list {
                let content = files[b["source"].as_str().unwrap()];
                let line = content.lines().nth(b["line"].as_u64().unwrap() as usize - 1).unwrap();
                let col = b["col"].as_u64().unwrap() as usize;
                let target = b["target"].as_str().unwrap();
                assert_eq!(&line[col - 1..col], "[");
                let link_end = line[col..].find("](").unwrap() + col;
                assert!(line[link_end..].starts_with(&format!("]({target})")));
            }
        }
        let c = generate(&opts(3, 5, 10));
        assert_eq!(c.expected["broken_links"].as_array().unwrap().len(), 3);
    }

    #[test]
    fn mentions_and_relations_match_text() {
        let c = generate(&opts(1200, 99, 0));
        let docs = documents(&c);
        let by_id: HashMap<&str, &Value> = docs.iter().map(|d| (d["id"].as_str().unwrap(), d)).collect();
        let mut superseded = 0;
        let mut adrs = 0;
        for ((path, content), d) in c.files.iter().zip(docs) {
            // Mentions: `ADR-<digits>` not preceded by `[` and outside front matter.
            let body = match content.strip_prefix("---\n") {
                Some(rest) => &rest[rest.find("\n---\n").unwrap() + 5..],
                None => content.as_str(),
            };
            let mut mentions = BTreeSet::new();
            for (pos, _) in body.match_indices("ADR-") {
                if pos > 0 && body.as_bytes()[pos - 1] == b'[' {
                    continue;
                }
                let digits: String = body[pos + 4..].chars().take_while(char::is_ascii_digit).collect();
                let id = format!("ADR-{:04}", digits.parse::<usize>().unwrap());
                assert!(by_id.contains_key(id.as_str()), "{path}: {id}");
                mentions.insert(id);
            }
            assert_eq!(mentions.into_iter().collect::<Vec<_>>(), strs(&d["mentions"]), "{path}");
            assert!(content.contains(d["date"].as_str().unwrap()));
            assert!(content.contains(d["title"].as_str().unwrap()));
            if d["kind"] == "adr" {
                adrs += 1;
            }
            // Relations are symmetric, and only within one format.
            for other in strs(&d["superseded_by"]) {
                assert_eq!(by_id[other.as_str()]["format"], d["format"]);
                assert!(strs(&by_id[other.as_str()]["supersedes"]).contains(&d["id"].as_str().unwrap().to_string()));
            }
            let mut chain = 1;
            let mut cur: &Value = d;
            while let Some(next) = strs(&cur["superseded_by"]).first() {
                cur = by_id[next.as_str()];
                chain += 1;
            }
            assert!(chain <= 3, "{path}: supersede chain of {chain}");
            if !strs(&d["superseded_by"]).is_empty() {
                superseded += 1;
                assert_eq!(d["status"], "superseded");
            }
            // References and backlinks.
            let mut refs: BTreeSet<String> = BTreeSet::new();
            for key in ["links", "mentions", "supersedes", "superseded_by"] {
                refs.extend(strs(&d[key]));
            }
            assert_eq!(refs.into_iter().collect::<Vec<_>>(), strs(&d["references"]));
            for r in strs(&d["references"]) {
                assert!(strs(&by_id[r.as_str()]["backlinks"]).contains(&d["id"].as_str().unwrap().to_string()));
            }
        }
        let share = superseded * 100 / adrs;
        assert!((5..=15).contains(&share), "superseded share {share}%");
    }
}
