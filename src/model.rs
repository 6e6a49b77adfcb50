//! The data model shared by the stages: kinds, statuses, parsed documents and the linked site.

use crate::diag::Diagnostic;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a collection holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Adr,
    Design,
    Page,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Adr => "adr",
            Kind::Design => "design",
            Kind::Page => "page",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "adr" | "adrs" | "decision" | "decisions" => Some(Kind::Adr),
            "design" | "designs" | "rfc" | "rfcs" => Some(Kind::Design),
            "page" | "pages" => Some(Kind::Page),
            _ => None,
        }
    }
}

/// The normalised status of a document; the author's own wording is kept beside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Draft,
    Proposed,
    Accepted,
    Implemented,
    Rejected,
    Deprecated,
    Superseded,
    Unknown,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Draft,
        Status::Proposed,
        Status::Accepted,
        Status::Implemented,
        Status::Rejected,
        Status::Deprecated,
        Status::Superseded,
        Status::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Proposed => "proposed",
            Status::Accepted => "accepted",
            Status::Implemented => "implemented",
            Status::Rejected => "rejected",
            Status::Deprecated => "deprecated",
            Status::Superseded => "superseded",
            Status::Unknown => "unknown",
        }
    }

    pub fn from_name(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }
}

/// The kind of a relation between two documents, as seen from the document that states it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RelKind {
    Supersedes,
    SupersededBy,
    Amends,
    AmendedBy,
    /// Any other verb ("Depends on", "Related to"), kept as written.
    Related,
}

impl RelKind {
    pub fn inverse(self) -> RelKind {
        match self {
            RelKind::Supersedes => RelKind::SupersededBy,
            RelKind::SupersededBy => RelKind::Supersedes,
            RelKind::Amends => RelKind::AmendedBy,
            RelKind::AmendedBy => RelKind::Amends,
            RelKind::Related => RelKind::Related,
        }
    }

    /// Recognises a relation verb at the start of a line or value, returning it and the rest.
    pub fn from_verb_prefix(text: &str) -> Option<(RelKind, &str)> {
        const VERBS: [(&str, RelKind); 10] = [
            ("superseded by", RelKind::SupersededBy),
            ("superceded by", RelKind::SupersededBy),
            ("replaced by", RelKind::SupersededBy),
            ("obsoleted by", RelKind::SupersededBy),
            ("supersedes", RelKind::Supersedes),
            ("supercedes", RelKind::Supersedes),
            ("amended by", RelKind::AmendedBy),
            ("amends", RelKind::Amends),
            ("related to", RelKind::Related),
            ("relates to", RelKind::Related),
        ];
        let lower = text.trim_start().to_ascii_lowercase();
        let skipped = text.len() - text.trim_start().len();
        for (verb, kind) in VERBS {
            if let Some(rest) = lower.strip_prefix(verb)
                && (rest.is_empty() || rest.starts_with([' ', ':', '\t']))
            {
                let rest = &text[skipped + verb.len()..];
                return Some((kind, rest.trim_start_matches([':', ' ', '\t'])));
            }
        }
        None
    }
}

/// What a relation or link points at before linking: an ID-like text or a relative path.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    Id(String),
    Path(String),
}

/// A relation as written in one document, unresolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RawRelation {
    pub kind: RelKind,
    /// The verb as written, for `Related` relations ("Depends on").
    pub verb: String,
    pub target: Target,
    pub line: u32,
    pub col: u32,
}

/// A relative link or image in the body, unresolved. `index` is its placeholder number in `html`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RawLink {
    pub href: String,
    pub line: u32,
    pub col: u32,
    pub image: bool,
    /// A `[[wiki link]]`: `href` is an ID or slug, not a path.
    pub wiki: bool,
}

/// An ID mention in prose (`ADR-0012`, `ADR 12`), unresolved. Its placeholder is `\0m{n}\0`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct RawMention {
    pub text: String,
    pub line: u32,
    pub col: u32,
}

/// A heading of the body with its GitHub-compatible id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub text: String,
}

/// One metadata entry as written (key as written, value as plain text), for display.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MetaEntry {
    pub key: String,
    pub value: String,
    /// The value as inline HTML (relative links as placeholders, resolved at render time).
    pub html: String,
}

/// A moment in a document's history: a commit that changed its status, title or relations,
/// or (with `by`) another document's commit that superseded it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StatusChange {
    pub status: Status,
    pub status_raw: Option<String>,
    pub title: String,
    /// `YYYY-MM-DD`, the commit's date (UTC).
    pub date: String,
    pub commit: String,
    pub author: String,
    /// What changed: `created`, `status`, `title`, `relations` or `superseded-by`.
    pub changed: Vec<&'static str>,
    /// The document that superseded this one, for a `superseded-by` change.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    /// What the document said it supersedes at this change, as written (for the link stage).
    #[serde(skip)]
    pub supersedes: Vec<Target>,
}

/// A document after the parse stage: everything that can be known from its own text.
#[derive(Clone, Debug)]
pub struct Doc {
    pub source: String,
    pub kind: Kind,
    pub collection: Option<usize>,
    /// A template file of a collection: rendered as a page, never counted as a document of the collection.
    pub is_template: bool,
    /// The preferred ID (`ADR-0012`, the `id` key, or the path without `.md`).
    pub id: String,
    /// The ID this document would have if its preferred ID is taken (its path without `.md`).
    pub path_id: String,
    pub number: Option<u32>,
    pub title: String,
    /// The anchor id of the title heading, when the title came from an H1.
    pub title_id: Option<String>,
    pub status: Status,
    pub status_raw: Option<String>,
    pub date: Option<String>,
    /// Where `date` came from: `document` or `git`.
    pub date_source: Option<&'static str>,
    /// The last commit that touched the file (from git), `YYYY-MM-DD`.
    pub updated: Option<String>,
    /// Commit authors of the file (from git).
    pub contributors: Vec<String>,
    /// When the status, title or relations changed, oldest first (from git; empty without it).
    pub history: Vec<StatusChange>,
    pub authors: Vec<String>,
    pub tags: Vec<String>,
    pub meta: Vec<MetaEntry>,
    pub relations: Vec<RawRelation>,
    pub links: Vec<RawLink>,
    pub mentions: Vec<RawMention>,
    pub headings: Vec<Heading>,
    /// Ids given in raw HTML (`id="…"`, `name="…"`), valid link anchors besides the headings.
    pub anchors: Vec<String>,
    /// Unfilled template placeholders (`[Feature Name]`) in the prose and metadata.
    pub placeholders: Vec<RawMention>,
    /// Where an Open Questions section still says `TBD`, if it does.
    pub open_tbd: Option<(u32, u32)>,
    /// The line of the title heading (1 when there is none), for whole-document diagnostics.
    pub title_line: u32,
    /// Body HTML, with relative links replaced by placeholders (see `render::links`).
    pub html: std::sync::Arc<str>,
    /// Plain text of the body, for search and summaries.
    pub text: std::sync::Arc<str>,
    /// A hash of the body HTML and of the links and mentions its placeholders stand for: with
    /// the resolved targets, everything the page body depends on (the page memo of `serve`).
    pub body_hash: u64,
    pub diagnostics: Vec<Diagnostic>,
}

/// A resolved related document with its verb.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Related {
    pub id: String,
    pub verb: String,
}

/// A document after linking: IDs resolved, inverse relations inferred, backlinks known.
#[derive(Clone, Debug)]
pub struct LinkedDoc {
    pub doc: Doc,
    /// The final ID (the preferred one unless another document took it first).
    pub id: String,
    /// Site-relative URL of the page: `docs/adr/0012-x/`, or `` for the home page.
    pub url: String,
    pub supersedes: Vec<String>,
    pub superseded_by: Vec<String>,
    pub amends: Vec<String>,
    pub amended_by: Vec<String>,
    pub related: Vec<Related>,
    pub references: Vec<String>,
    pub backlinks: Vec<String>,
    /// The newest successors, following superseded-by to the end of each chain.
    pub newest: Vec<String>,
    /// Who refers to this document and how ("links to it, mentions it").
    pub backlink_details: Vec<Backlink>,
    /// Resolved target of each `doc.links` entry (same order).
    pub link_targets: Vec<LinkTarget>,
    /// Resolved target of each `doc.mentions` entry: site-relative URL and title.
    pub mention_targets: Vec<MentionTarget>,
}

/// Where a link points after linking.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum LinkTarget {
    /// A site-relative URL (page with fragment, or copied file).
    Site(String),
    /// An absolute URL (a link into the repository).
    External(String),
    /// Unresolved or unresolvable: the href stays as written.
    AsWritten,
    /// A root-relative link that leaves the source folder, without `repo_url`: it has no URL on
    /// the site, so the page shows its text without a link.
    Unlinked,
}

/// A resolved mention: the page's site-relative URL and the document's title.
pub type MentionTarget = Option<(String, String)>;

/// One entry of "Referenced by".
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Backlink {
    pub id: String,
    /// How it refers: "supersedes it, links to it".
    pub how: String,
}

/// The linked site: every document, sorted by source path, plus the index maps.
#[derive(Clone, Debug, Default)]
pub struct Site {
    pub docs: Vec<LinkedDoc>,
    pub by_id: BTreeMap<String, usize>,
    /// Non-Markdown files that documents link to, to be copied (site-relative paths).
    pub assets: Vec<String>,
    /// Links that leave the source folder: not checked (repository links with `repo_url`).
    pub outside_links: usize,
}

impl Site {
    pub fn get(&self, id: &str) -> Option<&LinkedDoc> {
        self.by_id.get(id).map(|&i| &self.docs[i])
    }
}
