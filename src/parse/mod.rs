//! The parse stage: one source file's bytes → a `Doc`. Pure: no I/O, no knowledge of other files.

pub mod diagram;
pub mod front_matter;
pub mod gfm;
pub mod highlight;
pub mod markdown;
pub mod meta;
pub mod scan;

use crate::diag::{Code, Diagnostic, LineIndex};
use crate::discover::SourceFile;
use crate::model::{Doc, Kind, MetaEntry, RawRelation, RelKind, Status, Target};
use markdown::{LinkSink, is_relative, plain_text, render_inline};
use meta::{norm_key, normalize_status, parse_date};
use serde_json::Value;
use std::collections::BTreeMap;

/// What the parse stage needs besides the bytes: the file's place and the collection's rules.
pub struct Input<'a> {
    pub source: &'a SourceFile,
    pub bytes: &'a [u8],
    /// The collection's ID prefix (`ADR`), if it has one.
    pub prefix: Option<&'a str>,
    /// Extra status words from `dossier.toml`.
    pub statuses: &'a BTreeMap<String, Status>,
    /// ID prefixes and ticket patterns to find in prose.
    pub scanner: &'a scan::Scanner,
    /// Syntax highlighting, unless `[render] highlight = false`.
    pub highlighter: Option<&'a highlight::Highlighter>,
    /// Mermaid rendering, unless `[render] diagrams = false`.
    pub diagrams: Option<&'a diagram::Diagrammer>,
    /// The document's YAML sidecar (`kep.yaml` beside a record folder's `README.md`): its path
    /// relative to DIR and its text.
    pub sidecar: Option<(&'a str, &'a str)>,
}

/// A metadata field from front matter or the metadata block.
struct Field {
    key: String,
    norm: String,
    /// Items: one for a scalar, several for a list. Markdown as written.
    items: Vec<String>,
    /// Byte offset of the value in the file.
    offset: usize,
    /// Where to report a problem with the value when it is not in the document itself (a
    /// sidecar's path, line and column).
    elsewhere: Option<(String, u32, u32)>,
}

impl Field {
    fn text(&self) -> String {
        self.items.join(", ")
    }
}

const TITLE_KEYS: &[&str] = &["title"];
const FALLBACK_TITLE_KEYS: &[&str] = &["title", "feature-name", "name"];
const DATE_KEYS: &[&str] = &[
    "date",
    "created",
    "creation-date",
    "created-at",
    "created-on",
    "date-created",
    "start-date",
    "introduced",
    "proposed",
    "date-proposed",
    "proposed-on",
    "submitted",
    "date-submitted",
    "opened",
    "decision-date",
    "date-decided",
    "decided-on",
];
const UPDATED_KEYS: &[&str] = &[
    "updated",
    "last-updated",
    "last-update",
    "last-modified",
    "modified",
    "date-updated",
    "updated-at",
    "updated-on",
    "revised",
    "last-revised",
];
const AUTHOR_KEYS: &[&str] = &[
    "authors",
    "author",
    "author(s)",
    "authors(s)",
    "deciders",
    "decision-makers",
    "decider",
    "owners",
    "owner",
    "owner(s)",
    "proposed-by",
    "proposer",
    "proposers",
    "written-by",
    "by",
];
const TAG_KEYS: &[&str] = &["tags", "tag", "keywords", "labels"];
/// Keys whose value may be the document's ID (`Proposal: [SE-0001](0001-x.md)`, `id: ST-0002`).
const ID_KEYS: &[&str] = &["id", "proposal", "proposal-id", "rfc-id", "kep", "adr", "adr-id", "document-id"];
/// Keys whose value may be the document's number (`kep-number: 1234`).
const NUMBER_KEYS: &[&str] = &["number", "kep-number", "rfc-number", "adr", "adr-number", "proposal-number", "no"];
const HIDDEN_KEYS: &[&str] = &["title", "id"];
/// The keys fields are read from, for `meta::is_known_key`.
const FIELD_KEYS: &[&[&str]] = &[DATE_KEYS, UPDATED_KEYS, AUTHOR_KEYS, TAG_KEYS, ID_KEYS, NUMBER_KEYS];

/// Where a metadata field was written, in the order the fields are consulted: the first match
/// per field wins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Origin {
    FrontMatter,
    Sidecar,
    Block,
    Byline,
}

/// The metadata fields of one document, consulted by priority.
struct Fields {
    list: Vec<(Origin, Field)>,
}

impl Fields {
    /// The first field with one of `keys`, by origin first, then in the order of `keys`.
    fn find(&self, keys: &[&str]) -> Option<&Field> {
        self.find_where(keys, |_| true)
    }

    fn find_where(&self, keys: &[&str], ok: impl Fn(&Field) -> bool) -> Option<&Field> {
        let origins = [Origin::FrontMatter, Origin::Sidecar, Origin::Block, Origin::Byline];
        origins.iter().find_map(|o| {
            keys.iter().find_map(|k| {
                self.list.iter().find(|(fo, f)| fo == o && f.norm == *k && !f.items.is_empty() && ok(f)).map(|(_, f)| f)
            })
        })
    }

    fn iter(&self) -> impl Iterator<Item = &Field> {
        self.list.iter().map(|(_, f)| f)
    }
}

/// Parses one document.
pub fn parse(input: &Input<'_>) -> Doc {
    let rel = input.source.rel.as_str();
    let mut diags = Vec::new();
    let text = decode(input.bytes, rel, &mut diags);
    let lines = LineIndex::new(&text);
    let at = |offset: usize| lines.line_col(&text, offset);

    // 1. Front matter, then the body: title, metadata block, Status section, HTML.
    let split = front_matter::split(&text);
    let mut sink = LinkSink::new(&text, &lines, input.scanner);
    let body = markdown::parse_body(&text, split.body_start, &mut sink, input.highlighter, input.diagrams);
    diagram_diagnostics(&body, &text, &lines, rel, &mut diags);
    let fields = fields_of(&text, &split, &body, input.sidecar, rel, &mut diags);

    // 2. Metadata for display (with relative links recorded, so they resolve like body links).
    let meta_entries = display_meta(&fields, &mut sink);

    // 3. File name (a record folder's README is named by its folder): number and date prefix.
    let is_doc = input.source.kind != Kind::Page;
    let stem = record_stem(rel, is_doc);
    let fname = meta::file_name(crate::discover::strip_id_prefix(stem, input.prefix));

    // 4. Title.
    let titled = title_of(&fields, &body, &fname, stem, input.source.is_template, input.source.kind);
    if is_doc && !input.source.is_template {
        diags.extend(number_mismatch(titled.number, fname.number, &body, rel, &at));
    }

    // 5. Status and relations.
    let mut placeholders = std::mem::take(&mut sink.placeholders);
    diags.extend(sink.malformed.iter().map(|m| crate::lint::malformed_link(rel, m)));
    diags.extend(sink.unsafe_urls.iter().map(|m| crate::lint::unsafe_url(rel, m)));
    let mut relations: Vec<RawRelation> = Vec::new();
    let (status, status_raw) = status_of(&fields, &body, input, &at, &mut relations, &mut placeholders, &mut diags);
    relations_from_keys(&fields, &at, &mut relations);

    // 6. Dates, authors, tags.
    let date =
        date_of(&fields, DATE_KEYS, input.source.is_template, rel, &at, &mut diags).or_else(|| fname.date.clone());
    let updated = date_of(&fields, UPDATED_KEYS, input.source.is_template, rel, &at, &mut diags);
    if input.source.is_template {
        // A template's metadata are placeholders (MADR 3's `status: {a | [b](c)}` is no valid
        // YAML), never something to fix.
        diags.retain(|d| d.code != Code::InvalidFrontMatter);
    }
    let authors = fields.find(AUTHOR_KEYS).map(|f| meta::clean_authors(&f.items)).unwrap_or_default();
    let mut tags = fields.find(TAG_KEYS).map(list_values).unwrap_or_default();
    tags.sort();
    tags.dedup();

    // 7. Leftovers of a template: bracket placeholders in metadata values, and `TBD` answers in
    // the Open Questions section.
    value_placeholders(&fields, &at, &mut placeholders);
    placeholders.sort_by_key(|p| (p.line, p.col));
    placeholders.dedup_by_key(|p| (p.line, p.col));
    let open_tbd = body.open_questions.iter().find_map(|l| l.text.find("TBD").map(|i| at(l.offset + i)));
    let title_line = body.title.as_ref().map_or(1, |(_, off)| lines.line(*off));

    // 8. Number and ID.
    let path_id = rel.rsplit_once('.').map_or(rel, |(s, _)| s).to_string();
    let heading_id = body.title.as_ref().and_then(|(t, _)| meta::title_id(t));
    let (number, id) = number_and_id(&fields, &fname, heading_id, input.prefix, is_doc, &path_id);

    let body_hash = crate::fx_hash(&(&body.html, &sink.links, &sink.mentions));
    // Shared, not copied, by every rebuild of `serve` that reuses this parse (and sized to fit:
    // the document lives until the site is written).
    let (html, text): (std::sync::Arc<str>, std::sync::Arc<str>) = (body.html.into(), body.text.into());
    Doc {
        body_hash,
        source: rel.to_string(),
        kind: input.source.kind,
        collection: input.source.collection,
        is_template: input.source.is_template,
        id,
        path_id,
        number,
        title: titled.title,
        title_id: body.title_id,
        status,
        status_raw,
        date_source: date.as_ref().map(|_| "document"),
        date,
        updated,
        contributors: Vec::new(),
        history: Vec::new(),
        authors,
        tags,
        meta: meta_entries,
        relations,
        links: sink.links,
        mentions: sink.mentions,
        headings: body.headings,
        anchors: body.anchors,
        placeholders,
        open_tbd,
        title_line,
        html,
        text,
        diagnostics: diags,
    }
}

/// Every metadata field of the document by origin: front matter, sidecar, the metadata block
/// under the title, and a byline.
fn fields_of(
    text: &str,
    split: &front_matter::Split,
    body: &markdown::Body,
    sidecar: Option<(&str, &str)>,
    rel: &str,
    diags: &mut Vec<Diagnostic>,
) -> Fields {
    let mut fields = Fields { list: front_matter_fields(text, split, rel, diags) };
    if let Some((path, yaml)) = sidecar {
        fields.list.extend(sidecar_fields(path, yaml, diags).into_iter().map(|f| (Origin::Sidecar, f)));
    }
    for f in &body.fields {
        let norm = norm_key(&f.key);
        fields.list.push((
            Origin::Block,
            Field { key: f.key.clone(), norm, items: vec![f.value.clone()], offset: f.offset, elsewhere: None },
        ));
    }
    if let Some((line, offset)) = &body.byline {
        fields.list.extend(byline_fields(line, *offset).into_iter().map(|f| (Origin::Byline, f)));
    }
    fields
}

/// The metadata shown in the page header: every field but the title, the ID and a byline's.
fn display_meta(fields: &Fields, sink: &mut LinkSink<'_>) -> Vec<MetaEntry> {
    let mut out = Vec::new();
    for (origin, f) in &fields.list {
        if HIDDEN_KEYS.contains(&f.norm.as_str()) || *origin == Origin::Byline {
            continue;
        }
        let (html, plain) = render_inline(&f.text(), f.offset, sink);
        out.push(MetaEntry { key: f.key.clone(), value: plain, html });
    }
    out
}

/// `number-mismatch`: the title's number (`# 41. X`) is not the file name's (`0042-x.md`).
fn number_mismatch(
    heading: Option<u32>,
    file: Option<u32>,
    body: &markdown::Body,
    rel: &str,
    at: &dyn Fn(usize) -> (u32, u32),
) -> Option<Diagnostic> {
    let (h, f, (_, off)) = (heading?, file?, body.title.as_ref()?);
    if h == f {
        return None;
    }
    let (line, col) = at(*off);
    Some(
        Diagnostic::new(
            Code::NumberMismatch,
            rel,
            line,
            col,
            format!("the title says number {h} but the file name says {f}"),
        )
        .help("renumber the heading or rename the file so that they agree"),
    )
}

/// The fields of the front matter, in the order written; an unreadable block is a warning.
fn front_matter_fields(
    text: &str,
    split: &front_matter::Split,
    rel: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(Origin, Field)> {
    match &split.front_matter {
        Some(Ok(fm)) => fm
            .map
            .iter()
            .map(|(key, value)| {
                let offset = key_offset(text, &fm.raw, key);
                (
                    Origin::FrontMatter,
                    Field { key: key.clone(), norm: norm_key(key), items: value_items(value), offset, elsewhere: None },
                )
            })
            .collect(),
        Some(Err(e)) => {
            diags.push(
                Diagnostic::new(
                    Code::InvalidFrontMatter,
                    rel,
                    e.line,
                    e.col,
                    format!("front matter ignored: {}", e.message),
                )
                .help("fix the YAML/TOML (quote values that contain `: `); the rest of the document is still read"),
            );
            Vec::new()
        }
        None => Vec::new(),
    }
}

fn diagram_diagnostics(body: &markdown::Body, text: &str, lines: &LineIndex, rel: &str, diags: &mut Vec<Diagnostic>) {
    for (offset, line_in_block, message) in &body.diagram_errors {
        let (line, _) = lines.line_col(text, *offset);
        diags.push(
            Diagnostic::new(
                Code::InvalidDiagram,
                rel,
                line + 1 + *line_in_block as u32,
                1,
                format!("Mermaid diagram not rendered: {message}"),
            )
            .help("fix the diagram (its source is shown as code on the page), or mark the block ```text to show it as code"),
        );
    }
    for (offset, line_in_block, message) in &body.highlight_limits {
        let (line, _) = lines.line_col(text, *offset);
        diags.push(
            Diagnostic::new(
                Code::HighlightLimit,
                rel,
                line + *line_in_block as u32,
                1,
                format!("code block shown without highlighting: {message}"),
            )
            .help(
                "split the block or its long lines, or mark it ```text to show it as plain code without this warning",
            ),
        );
    }
}

/// The name that numbers a document: its file name without the extension, or for a record
/// folder's `README.md`/`index.md` (`keps/1234-name/README.md`), the folder's name.
fn record_stem(rel: &str, is_doc: bool) -> &str {
    let (dir, file) = rel.rsplit_once('/').unwrap_or(("", rel));
    let stem = file.rsplit_once('.').map_or(file, |(s, _)| s);
    if is_doc && (stem.eq_ignore_ascii_case("readme") || stem.eq_ignore_ascii_case("index")) && !dir.is_empty() {
        return dir.rsplit('/').next().unwrap_or(dir);
    }
    stem
}

/// A document's title and the number its heading states (`# 12. X` → 12), if any.
struct Titled {
    title: String,
    number: Option<u32>,
}

/// The title: a `title` key, else the title heading (prefixes dropped), else a `Feature Name`
/// key, else the file name made readable. A template's own placeholder title gives the
/// template's name.
fn title_of(
    fields: &Fields,
    body: &markdown::Body,
    fname: &meta::FileName,
    stem: &str,
    is_template: bool,
    kind: Kind,
) -> Titled {
    let heading = body.title.as_ref().map(|(t, _)| t.as_str());
    let number = heading.and_then(meta::title_number);
    if is_template {
        let raw = fields.find(TITLE_KEYS).map(|f| plain_text(&f.text())).or(heading.map(str::to_string));
        if raw.as_deref().is_none_or(meta::is_placeholder_title) {
            return Titled { title: template_title(kind), number: None };
        }
    }
    let title = fields
        .find(TITLE_KEYS)
        .map(|f| meta::strip_title_prefix(&plain_text(&f.text())))
        .filter(|t| !meta::is_placeholder(t))
        .or_else(|| heading.map(meta::strip_title_prefix).filter(|t| !t.is_empty()))
        .or_else(|| {
            fields
                .find_where(FALLBACK_TITLE_KEYS, |f| !meta::is_placeholder(&plain_text(&f.text())))
                .map(|f| meta::strip_title_prefix(&plain_text(&f.text())))
        })
        .unwrap_or_else(|| {
            let t = meta::title_from_slug(&fname.slug);
            if t.is_empty() { stem.to_string() } else { t }
        });
    Titled { title, number }
}

fn template_title(kind: Kind) -> String {
    match kind {
        Kind::Design => "Template for new design docs",
        _ => "Template for new decisions",
    }
    .to_string()
}

/// The status (normalised, and as written) from the metadata, else from the first line of the
/// document's own Status section that is a status (relation lines such as `Supersedes […](…)`
/// are relations). Records relations stated in the status text, and an unfilled template choice
/// (`Proposed | Accepted`) as a placeholder.
fn status_of(
    fields: &Fields,
    body: &markdown::Body,
    input: &Input<'_>,
    at: &dyn Fn(usize) -> (u32, u32),
    relations: &mut Vec<RawRelation>,
    placeholders: &mut Vec<crate::model::RawMention>,
    diags: &mut Vec<Diagnostic>,
) -> (Status, Option<String>) {
    // A checklist (`- [x] Accepted`, `- [ ] Rejected`) states the checked item.
    let checked = body.status_lines.iter().position(|l| checked_item(&l.text).is_some());
    let status_line = checked.or_else(|| {
        body.status_lines.iter().position(|l| !is_relation_line(&l.text) && unchecked_item(&l.text).is_none())
    });
    // `stage` last: Ember's RFC stage is its status (a KEP's stage is a maturity, after its status).
    let field = fields.find(&["status", "state", "decision-status", "current-status", "stage"]);
    let src: Option<(String, usize)> = field
        .map(|f| (f.text(), f.offset))
        .or_else(|| status_line.map(|i| (body.status_lines[i].text.clone(), body.status_lines[i].offset)));
    let elsewhere = field.and_then(|f| f.elsewhere.clone());
    // Relation lines of the Status and Links sections.
    for (i, line) in body.status_lines.iter().chain(&body.link_lines).enumerate() {
        if Some(i) != status_line || src.as_ref().is_some_and(|(_, o)| *o != line.offset) {
            relation_line(&line.text, line.offset, at, relations);
        }
    }
    let Some((md, offset)) = src else { return (Status::Unknown, None) };
    let (md, offset) = match checked_item(&md) {
        Some(rest) => (rest.to_string(), offset + md.len() - rest.len()),
        None => (md, offset),
    };
    let plain = plain_text(&markdown::strip_comments(&md));
    let st = normalize_status(&plain, input.statuses);
    if let Some((kind, rest)) = RelKind::from_verb_prefix(&md) {
        push_relations(relations, kind, "", rest, offset + md.len() - rest.len(), at);
    } else if let Some(i) = later_superseded_by(&md) {
        // `Accepted, superseded by ADR-0012`: the relation stands later in the text.
        let tail = &md[i..];
        if let Some((kind, rest)) = RelKind::from_verb_prefix(tail) {
            push_relations(relations, kind, "", rest, offset + md.len() - rest.len(), at);
        }
    }
    let (line, col) = at(offset);
    if st.choice {
        placeholders.push(crate::model::RawMention { text: st.display.clone(), line, col });
        return (Status::Unknown, None);
    }
    let status = match st.status {
        Some(s) => s,
        None => {
            if !input.source.is_template && !meta::is_placeholder(&plain) {
                let (path, line, col) = elsewhere.unwrap_or((input.source.rel.clone(), line, col));
                diags.push(
                    Diagnostic::new(Code::UnknownStatus, path, line, col, format!("unknown status \"{}\"", st.display))
                        .help("use draft, proposed, accepted, implemented, rejected, deprecated or superseded, or map the word under [statuses] in dossier.toml"),
                );
            }
            Status::Unknown
        }
    };
    (status, (!st.display.is_empty()).then_some(st.display))
}

/// Where a "superseded by" / "replaced by" clause starts after the status word, if anywhere.
fn later_superseded_by(md: &str) -> Option<usize> {
    // ASCII lower-casing keeps byte offsets.
    let lower = md.to_ascii_lowercase();
    ["superseded by", "superceded by", "replaced by"].iter().filter_map(|p| lower.find(p)).filter(|&i| i > 0).min()
}

/// The text of a checked task-list item (`[x] Accepted`).
fn checked_item(line: &str) -> Option<&str> {
    let l = line.trim_start();
    l.strip_prefix("[x]").or_else(|| l.strip_prefix("[X]")).map(str::trim_start)
}

/// The text of an unchecked task-list item (`[ ] Rejected`).
fn unchecked_item(line: &str) -> Option<&str> {
    line.trim_start().strip_prefix("[ ]").map(str::trim_start)
}

/// A line that states a relation and not a status: `Supersedes […](…)`, `Amends …`,
/// `Clarifies […](…)`. "Superseded by …" is both, and counts as the status.
fn is_relation_line(line: &str) -> bool {
    match RelKind::from_verb_prefix(line) {
        Some((RelKind::SupersededBy, _)) => false,
        Some(_) => true,
        None => {
            custom_verb(line).is_some() && meta::normalize_status(&plain_text(line), &BTreeMap::new()).status.is_none()
        }
    }
}

/// The relation stated by one line of the Status or Links section, if any, with its verb.
fn relation_line(text: &str, offset: usize, at: &dyn Fn(usize) -> (u32, u32), relations: &mut Vec<RawRelation>) {
    if let Some((kind, rest)) = RelKind::from_verb_prefix(text) {
        let verb = verb_of(text, rest);
        push_relations(relations, kind, verb, rest, offset + text.len() - rest.len(), at);
    } else if let Some((verb, rest)) = custom_verb(text) {
        push_relations(relations, RelKind::Related, verb, rest, offset + text.len() - rest.len(), at);
    }
}

/// Relations stated by keys (`supersedes: ADR-0005`, `superseded-by`, `see-also`, …).
fn relations_from_keys(fields: &Fields, at: &dyn Fn(usize) -> (u32, u32), relations: &mut Vec<RawRelation>) {
    for f in fields.iter() {
        let kind = match f.norm.as_str() {
            "supersedes" | "replaces" | "obsoletes" => RelKind::Supersedes,
            "superseded-by" | "replaced-by" | "obsoleted-by" => RelKind::SupersededBy,
            "amends" => RelKind::Amends,
            "amended-by" => RelKind::AmendedBy,
            "related" | "related-to" | "see-also" => RelKind::Related,
            _ => continue,
        };
        let verb = if kind == RelKind::Related { "Related" } else { "" };
        for item in &f.items {
            push_relations(relations, kind, verb, item, f.offset, at);
        }
    }
}

/// A date from the first field with one of `keys`: `YYYY-MM-DD`, a date in words or a month;
/// anything else is kept as written with a warning.
fn date_of(
    fields: &Fields,
    keys: &[&str],
    is_template: bool,
    rel: &str,
    at: &dyn Fn(usize) -> (u32, u32),
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let f = fields.find_where(keys, |f| !meta::is_placeholder(&plain_text(&markdown::strip_comments(&f.text()))))?;
    let raw = plain_text(&markdown::strip_comments(&f.text()));
    if let Some(d) = parse_date(&raw) {
        return Some(d);
    }
    if is_template {
        return None; // a template's `Date: DATE` is its placeholder
    }
    let (path, line, col) = locate(f, rel, at);
    diags.push(
        Diagnostic::new(
            Code::InvalidDate,
            path,
            line,
            col,
            format!("\"{raw}\" is not a valid date; it is kept as written"),
        )
        .help("write dates as YYYY-MM-DD, e.g. 2024-03-31"),
    );
    Some(raw)
}

/// Bracketed placeholders left as metadata values (`Date: [YYYY-MM-DD]`).
fn value_placeholders(fields: &Fields, at: &dyn Fn(usize) -> (u32, u32), out: &mut Vec<crate::model::RawMention>) {
    for f in fields.iter() {
        for item in &f.items {
            let v = item.trim();
            if v.starts_with('[')
                && v.ends_with(']')
                && !v.contains("](")
                && !v.ends_with("][]")
                && !v[1..].starts_with(|c: char| c.is_ascii_digit())
            {
                let (line, col) = at(f.offset);
                out.push(crate::model::RawMention { text: v.to_string(), line, col });
            }
        }
    }
}

/// The number (from the file name, else a number or ID key) and the ID: the collection's prefix
/// (else the prefix the file name or ID key states) with the number, else an `id` key, else the path.
fn number_and_id(
    fields: &Fields,
    fname: &meta::FileName,
    heading_id: Option<(String, u32)>,
    prefix: Option<&str>,
    is_doc: bool,
    path_id: &str,
) -> (Option<u32>, String) {
    if !is_doc {
        return (None, path_id.to_string());
    }
    let stated_id = fields.find_where(ID_KEYS, |f| stated_id(f).is_some()).and_then(stated_id);
    let stated = stated_id.as_deref().and_then(crate::link::split_id);
    let number = fname
        .number
        .or_else(|| stated.map(|(_, n)| n))
        .or_else(|| fields.find(NUMBER_KEYS).and_then(|f| plain_text(&f.text()).trim().parse().ok()))
        .or_else(|| heading_id.as_ref().map(|(_, n)| *n));
    let prefix = prefix.map(str::to_string).or_else(|| fname.prefix.clone()).or_else(|| {
        stated.filter(|(_, n)| fname.number.is_some() && Some(*n) == number).map(|(p, _)| p.to_ascii_uppercase())
    });
    // The title's own ID (`# KEP-1234: X`) names the prefix when its number is the document's.
    let prefix = prefix.or_else(|| heading_id.filter(|(_, n)| Some(*n) == number).map(|(p, _)| p));
    let id = match (number, prefix) {
        (Some(n), Some(p)) => format!("{p}-{n:04}"),
        _ => stated_id.unwrap_or_else(|| path_id.to_string()),
    };
    (number, id)
}

/// The ID a field states: an `id` key's text, or for other ID keys a `PREFIX-N` value.
fn stated_id(f: &Field) -> Option<String> {
    let v = plain_text(&f.text());
    let v = v.trim().trim_matches(['[', ']']).trim();
    if v.is_empty() || v.contains(char::is_whitespace) && f.norm != "id" {
        return None;
    }
    if f.norm == "id" {
        return Some(v.to_string());
    }
    crate::link::split_id(v).filter(|(p, _)| p.chars().all(|c| c.is_ascii_alphabetic())).map(|_| v.to_string())
}

/// Where a field's problems are reported: its own place when it is elsewhere (a sidecar), else
/// its offset in the document.
fn locate(f: &Field, rel: &str, at: &dyn Fn(usize) -> (u32, u32)) -> (String, u32, u32) {
    match &f.elsewhere {
        Some(e) => e.clone(),
        None => {
            let (line, col) = at(f.offset);
            (rel.to_string(), line, col)
        }
    }
}

/// The fields of a YAML sidecar (`kep.yaml`: title, status, authors, creation-date,
/// last-updated, kep-number, see-also, replaces, superseded-by, …), each located in the sidecar
/// for its diagnostics; an unreadable sidecar is a warning naming its own line.
fn sidecar_fields(path: &str, yaml: &str, diags: &mut Vec<Diagnostic>) -> Vec<Field> {
    let map = match serde_saphyr::from_str::<Value>(yaml) {
        Ok(Value::Object(map)) => map,
        Ok(_) => return Vec::new(),
        Err(e) => {
            let (line, col) = e.location().map_or((1, 1), |l| (l.line() as u32, l.column() as u32));
            let message = e.to_string().lines().next().unwrap_or("").to_string();
            diags.push(
                Diagnostic::new(
                    Code::InvalidFrontMatter,
                    path,
                    line.max(1),
                    col.max(1),
                    format!("sidecar ignored: {message}"),
                )
                .help("fix the YAML (quote values that contain `: `); the document is still read"),
            );
            return Vec::new();
        }
    };
    let lines = LineIndex::new(yaml);
    map.iter()
        .map(|(key, value)| {
            let (line, col) = lines.line_col(yaml, key_offset(yaml, yaml, key));
            Field {
                key: key.clone(),
                norm: norm_key(key),
                items: value_items(value),
                offset: 0,
                elsewhere: Some((path.to_string(), line, col)),
            }
        })
        .collect()
}

/// Fields from a byline under the title: names and/or a date (`Ann Lee, Bo Chen`, `July 2020`,
/// `Ann Lee · 2020-07-01`), only when every part of it is one of those.
fn byline_fields(line: &str, offset: usize) -> Vec<Field> {
    let mut out = Vec::new();
    let plain = plain_text(line);
    let plain = plain.trim().strip_prefix("By ").or_else(|| plain.trim().strip_prefix("by ")).unwrap_or(plain.trim());
    let mut names: Vec<String> = Vec::new();
    let mut date = None;
    for part in plain.split(['\n', '·', '|', '—', '–']).map(str::trim).filter(|p| !p.is_empty()) {
        if date.is_none() && parse_date(part).is_some() {
            date = Some(part.to_string());
            continue;
        }
        let people = meta::clean_authors(&[part.to_string()]);
        if people.is_empty() || !people.iter().all(|p| meta::looks_like_name(p)) {
            return Vec::new();
        }
        names.extend(people);
    }
    if !names.is_empty() {
        out.push(Field {
            key: "Authors".into(),
            norm: "authors".into(),
            items: vec![names.join(", ")],
            offset,
            elsewhere: None,
        });
    }
    if let Some(d) = date {
        out.push(Field { key: "Date".into(), norm: "date".into(), items: vec![d], offset, elsewhere: None });
    }
    out
}

/// Decodes UTF-8 (lossily, with a warning), drops a BOM and replaces NUL (reserved for placeholders).
fn decode(bytes: &[u8], rel: &str, diags: &mut Vec<Diagnostic>) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(e) => {
            let before = &bytes[..e.valid_up_to()];
            let line = before.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
            let col = before.rsplit(|&b| b == b'\n').next().map_or(0, |l| String::from_utf8_lossy(l).chars().count())
                as u32
                + 1;
            diags.push(
                Diagnostic::new(
                    Code::InvalidUtf8,
                    rel,
                    line,
                    col,
                    "the file is not valid UTF-8; invalid bytes are shown as \u{FFFD}",
                )
                .help("re-save the file as UTF-8"),
            );
            String::from_utf8_lossy(bytes).into_owned()
        }
    };
    if text.contains('\0') { text.replace('\0', "\u{FFFD}") } else { text }
}

/// A front matter value as Markdown items: scalars give one, lists give one per element.
fn value_items(v: &Value) -> Vec<String> {
    match v {
        Value::Null => Vec::new(),
        Value::String(s) => {
            if s.trim().is_empty() {
                Vec::new()
            } else {
                vec![s.clone()]
            }
        }
        Value::Array(a) => a.iter().flat_map(value_items).collect(),
        // `authors: [{name: Ann, email: …}]`: the name stands for the entry.
        Value::Object(m) => match m.get("name").and_then(Value::as_str) {
            Some(name) => vec![name.to_string()],
            None => vec![v.to_string()],
        },
        other => vec![other.to_string()],
    }
}

/// The byte offset of a front matter key's value in the file (start of its line if not found).
fn key_offset(text: &str, raw: &str, key: &str) -> usize {
    let base = text.find(raw).unwrap_or(0);
    let mut off = base;
    for line in raw.split_inclusive('\n') {
        let l = line.trim_start_matches(['"', '\'']);
        if let Some(rest) = l.strip_prefix(key) {
            let rest = rest.trim_start_matches(['"', '\'']).trim_start();
            if let Some(r) = rest.strip_prefix(':').or_else(|| rest.strip_prefix('=')) {
                let value_start = line.len() - r.trim_start().len();
                return off + value_start.min(line.trim_end().len());
            }
        }
        off += line.len();
    }
    base
}

/// Author and tag lists: list items, or comma-separated text.
fn list_values(f: &Field) -> Vec<String> {
    f.items.iter().flat_map(|i| meta::split_list(&plain_text(i))).collect()
}

/// Relation targets in a value: Markdown links give paths; otherwise comma-separated IDs or paths.
fn push_relations(
    out: &mut Vec<RawRelation>,
    kind: RelKind,
    verb: &str,
    value: &str,
    offset: usize,
    at: &dyn Fn(usize) -> (u32, u32),
) {
    let verb = if verb.is_empty() { default_verb(kind) } else { verb.to_string() };
    let mut found = false;
    for (ev, range) in pulldown_cmark::Parser::new(value).into_offset_iter() {
        if let pulldown_cmark::Event::Start(pulldown_cmark::Tag::Link { dest_url, .. }) = ev
            && is_relative(&dest_url)
        {
            let (line, col) = at(offset + range.start);
            out.push(RawRelation { kind, verb: verb.clone(), target: Target::Path(dest_url.to_string()), line, col });
            found = true;
        }
    }
    if found {
        return;
    }
    let (line, col) = at(offset);
    for piece in plain_text(value).split([',', ';']).flat_map(|p| p.split(" and ")) {
        let p = piece.trim().trim_end_matches('.').trim();
        if p.is_empty() || meta::is_placeholder(p) {
            continue;
        }
        let target =
            if p.ends_with(".md") || p.contains('/') { Target::Path(p.to_string()) } else { Target::Id(p.to_string()) };
        out.push(RawRelation { kind, verb: verb.clone(), target, line, col });
    }
}

fn default_verb(kind: RelKind) -> String {
    match kind {
        RelKind::Supersedes => "Supersedes",
        RelKind::SupersededBy => "Superseded by",
        RelKind::Amends => "Amends",
        RelKind::AmendedBy => "Amended by",
        RelKind::Related => "Related to",
    }
    .to_string()
}

/// The verb as written at the start of `line`, before `rest`.
fn verb_of<'a>(line: &'a str, rest: &str) -> &'a str {
    line[..line.len() - rest.len()].trim().trim_end_matches(':').trim()
}

/// adr-tools' custom link lines: `Depends on [5. Title](0005-title.md)`.
fn custom_verb(line: &str) -> Option<(&str, &str)> {
    let bracket = line.find('[')?;
    let verb = line[..bracket].trim().trim_end_matches(':').trim();
    let words = verb.split_whitespace().count();
    let ok = (1..=4).contains(&words)
        && verb.chars().all(|c| c.is_alphabetic() || c == ' ' || c == '-')
        && line[bracket..].contains("](");
    ok.then(|| (verb, &line[bracket..]))
}

#[cfg(test)]
mod tests;
