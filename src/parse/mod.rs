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
}

/// A metadata field from front matter or the metadata block.
struct Field {
    key: String,
    norm: String,
    /// Items: one for a scalar, several for a list. Markdown as written.
    items: Vec<String>,
    /// Byte offset of the value in the file.
    offset: usize,
}

impl Field {
    fn text(&self) -> String {
        self.items.join(", ")
    }
}

const TITLE_KEYS: &[&str] = &["title"];
const FALLBACK_TITLE_KEYS: &[&str] = &["title", "feature-name", "name"];
const DATE_KEYS: &[&str] = &["date", "start-date", "created", "created-at", "date-created"];
const AUTHOR_KEYS: &[&str] = &["authors", "author", "deciders", "decision-makers", "owners", "owner"];
const TAG_KEYS: &[&str] = &["tags", "tag"];
const HIDDEN_KEYS: &[&str] = &["title", "id"];

/// Parses one document.
pub fn parse(input: &Input<'_>) -> Doc {
    let rel = input.source.rel.as_str();
    let mut diags = Vec::new();
    let text = decode(input.bytes, rel, &mut diags);
    let lines = LineIndex::new(&text);

    // 1. Front matter.
    let split = front_matter::split(&text);
    let mut fields: Vec<Field> = Vec::new();
    match split.front_matter {
        Some(Ok(fm)) => {
            for (key, value) in &fm.map {
                let items = value_items(value);
                let offset = key_offset(&text, &fm.raw, key);
                fields.push(Field { key: key.clone(), norm: norm_key(key), items, offset });
            }
        }
        Some(Err(e)) => diags.push(
            Diagnostic::new(
                Code::InvalidFrontMatter,
                rel,
                e.line,
                e.col,
                format!("front matter ignored: {}", e.message),
            )
            .help("fix the YAML/TOML (quote values that contain `: `); the rest of the document is still read"),
        ),
        None => {}
    }
    let fm_count = fields.len();

    // 2. The body: title, metadata block, Status section, HTML.
    let mut sink = LinkSink::new(&text, &lines, input.scanner);
    let body = markdown::parse_body(&text, split.body_start, &mut sink, input.highlighter, input.diagrams);
    for (offset, line_in_block, message) in &body.diagram_errors {
        let (line, _) = lines.line_col(&text, *offset);
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
    for f in &body.fields {
        fields.push(Field {
            key: f.key.clone(),
            norm: norm_key(&f.key),
            items: vec![f.value.clone()],
            offset: f.offset,
        });
    }
    let find = |keys: &[&str]| -> Option<&Field> {
        // Front matter first, then the block; within each, the order of `keys`.
        let (fm, block) = fields.split_at(fm_count);
        [fm, block]
            .into_iter()
            .find_map(|group| keys.iter().find_map(|k| group.iter().find(|f| f.norm == *k && !f.items.is_empty())))
    };
    let at = |offset: usize| lines.line_col(&text, offset);

    // 3. Metadata for display (with relative links recorded, so they resolve like body links).
    let mut meta_entries = Vec::new();
    for f in &fields {
        if HIDDEN_KEYS.contains(&f.norm.as_str()) {
            continue;
        }
        let md = f.text();
        let (html, plain) = render_inline(&md, f.offset, &mut sink);
        meta_entries.push(MetaEntry { key: f.key.clone(), value: plain, html });
    }

    // 4. File name: number and date prefix.
    let stem = rel.rsplit('/').next().unwrap_or(rel);
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
    let fname = meta::file_name(stem);
    let is_doc = input.source.kind != Kind::Page;

    // 5. Title.
    let title = find(TITLE_KEYS)
        .map(|f| plain_text(&f.text()))
        .filter(|t| !meta::is_placeholder(t))
        .or_else(|| body.title.as_ref().map(|(t, _)| meta::strip_title_prefix(t)).filter(|t| !t.is_empty()))
        .or_else(|| {
            let (fm, block) = fields.split_at(fm_count);
            [fm, block].into_iter().find_map(|group| {
                FALLBACK_TITLE_KEYS.iter().find_map(|k| {
                    group
                        .iter()
                        .find(|f| f.norm == *k)
                        .map(|f| plain_text(&f.text()))
                        .filter(|t| !meta::is_placeholder(t))
                })
            })
        })
        .unwrap_or_else(|| {
            let t = meta::title_from_slug(&fname.slug);
            if t.is_empty() { stem.to_string() } else { t }
        });

    // 6. Status, and relations stated in the status text.
    let mut relations: Vec<RawRelation> = Vec::new();
    let status_src: Option<(String, usize)> = find(&["status"])
        .map(|f| (f.text(), f.offset))
        .or_else(|| body.status_lines.first().map(|l| (l.text.clone(), l.offset)));
    let (status, status_raw) = match &status_src {
        Some((md, offset)) => {
            let plain = plain_text(md);
            let st = normalize_status(&plain, input.statuses);
            if let Some((kind, rest)) = RelKind::from_verb_prefix(md) {
                push_relations(&mut relations, kind, "", rest, *offset + md.len() - rest.len(), &at);
            }
            let status = match st.status {
                Some(s) => s,
                None => {
                    if !input.source.is_template && !meta::is_placeholder(&plain) {
                        let (line, col) = at(*offset);
                        diags.push(
                            Diagnostic::new(Code::UnknownStatus, rel, line, col, format!("unknown status \"{}\"", st.display))
                                .help("use draft, proposed, accepted, implemented, rejected, deprecated or superseded, or map the word under [statuses] in dossier.toml"),
                        );
                    }
                    Status::Unknown
                }
            };
            (status, (!st.display.is_empty()).then_some(st.display))
        }
        None => (Status::Unknown, None),
    };

    // 7. Relations from the Status section's other lines and the Links section.
    for (i, line) in body.status_lines.iter().chain(&body.link_lines).enumerate() {
        if i == 0 && status_src.as_ref().is_some_and(|(_, o)| *o == line.offset) {
            continue; // already read as the status text
        }
        if let Some((kind, rest)) = RelKind::from_verb_prefix(&line.text) {
            let verb = verb_of(&line.text, rest);
            push_relations(&mut relations, kind, verb, rest, line.offset + line.text.len() - rest.len(), &at);
        } else if let Some((verb, rest)) = custom_verb(&line.text) {
            push_relations(
                &mut relations,
                RelKind::Related,
                verb,
                rest,
                line.offset + line.text.len() - rest.len(),
                &at,
            );
        }
    }
    // 8. Relations from keys.
    for f in &fields {
        let kind = match f.norm.as_str() {
            "supersedes" | "replaces" => RelKind::Supersedes,
            "superseded-by" | "replaced-by" => RelKind::SupersededBy,
            "amends" => RelKind::Amends,
            "amended-by" => RelKind::AmendedBy,
            "related" | "related-to" | "see-also" => RelKind::Related,
            _ => continue,
        };
        let verb = if kind == RelKind::Related { "Related" } else { "" };
        for item in &f.items {
            push_relations(&mut relations, kind, verb, item, f.offset, &at);
        }
    }

    // 9. Date, authors, tags.
    let date = match find(DATE_KEYS) {
        Some(f) if !meta::is_placeholder(&plain_text(&f.text())) => {
            let raw = plain_text(&f.text());
            match parse_date(&raw) {
                Some(d) => Some(d),
                None => {
                    let (line, col) = at(f.offset);
                    diags.push(
                        Diagnostic::new(
                            Code::InvalidDate,
                            rel,
                            line,
                            col,
                            format!("\"{raw}\" is not a valid date; it is kept as written"),
                        )
                        .help("write dates as YYYY-MM-DD, e.g. 2024-03-31"),
                    );
                    Some(raw)
                }
            }
        }
        _ => fname.date.clone(),
    };
    let mut authors = find(AUTHOR_KEYS).map(list_values).unwrap_or_default();
    authors.sort();
    authors.dedup();
    let mut tags = find(TAG_KEYS).map(list_values).unwrap_or_default();
    tags.sort();
    tags.dedup();

    // 10. Leftovers of a template: bracket placeholders in prose or metadata values, and `TBD`
    // answers in the Open Questions section.
    let mut placeholders = std::mem::take(&mut sink.placeholders);
    for f in &fields {
        for item in &f.items {
            let v = item.trim();
            if v.starts_with('[')
                && v.ends_with(']')
                && !v.contains("](")
                && !v[1..].starts_with(|c: char| c.is_ascii_digit())
            {
                let (line, col) = at(f.offset);
                placeholders.push(crate::model::RawMention { text: v.to_string(), line, col });
            }
        }
    }
    placeholders.sort_by_key(|p| (p.line, p.col));
    let open_tbd = body.open_questions.iter().find_map(|l| l.text.find("TBD").map(|i| at(l.offset + i)));
    let title_line = body.title.as_ref().map_or(1, |(_, off)| lines.line(*off));

    // 11. Number and ID.
    let number = if is_doc { fname.number } else { None };
    let path_id = rel.rsplit_once('.').map_or(rel, |(s, _)| s).to_string();
    let id = match (number, input.prefix) {
        (Some(n), Some(p)) => format!("{p}-{n:04}"),
        _ => find(&["id"])
            .map(|f| plain_text(&f.text()))
            .filter(|s| !s.is_empty() && is_doc)
            .unwrap_or_else(|| path_id.clone()),
    };

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
        title,
        title_id: body.title_id,
        status,
        status_raw,
        date_source: date.as_ref().map(|_| "document"),
        date,
        updated: None,
        contributors: Vec::new(),
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
        Value::Object(_) => vec![v.to_string()],
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
