//! The load after a body edit: the last load patched with the new parses of the edited files,
//! when nothing but what linking does not read changed in them (ADR-0024, "Amendment: a body
//! edit touches nothing else"). No other file is stat'ed, parsed, linted or linked.

use super::{
    CacheEntry, Loaded, ParseCache, ParseCx, SnapshotInputs, Timings, apply_git, discover_settings, id_prefixes,
    link_input_hash, parse_settings, read_templates, status_histories, take_engine_stats,
};
use crate::config::Config;
use crate::diag::Diagnostic;
use crate::discover::SourceFile;
use crate::git;
use crate::model::Doc;
use crate::parse::scan::Scanner;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// `previous` with the edited files `changed` parsed again, when each is a known non-template
/// source whose parse context is unchanged and whose new parse gives linking the same input
/// (`link_input_hash`), under the same configuration, discovery and git HEAD. Then every other
/// document, every site-wide check (sections per collection, stale proposals: they read only
/// what linking reads) and the link hold as they were. Otherwise `previous` comes back, and
/// the cache is as it was.
pub(super) fn body_edit(
    root: &Path,
    (config, config_diags): (&Config, &[Diagnostic]),
    skip: &[PathBuf],
    cache: &mut ParseCache,
    previous: Loaded,
    changed: &[String],
) -> Result<Loaded, Box<Loaded>> {
    let t = Instant::now();
    if changed.is_empty() || previous.config != *config || previous.parts.config != config_diags {
        return Err(Box::new(previous));
    }
    let Some(sources) = edited_sources(root, config, skip, cache, changed) else { return Err(Box::new(previous)) };
    let head = git::head(root);
    if cache.git.as_ref().map(|h| &h.head) != head.as_ref() || previous.link_key.head != head {
        return Err(Box::new(previous));
    }
    let Some((parsed, timings)) = parse_edited(config, cache, &previous, &sources) else {
        return Err(Box::new(previous));
    };
    let mut docs: Vec<Doc> = parsed.iter().map(|(d, _)| d.clone()).collect();
    if let Some(h) = &cache.git {
        let (collections, prefixes) = (&previous.collections, id_prefixes(&previous.collections));
        let scanner = Scanner::new(&prefixes, &config.links).unwrap_or_default();
        let inputs = SnapshotInputs { collections, config, scanner: &scanner };
        for d in &mut docs {
            apply_git(h, d);
        }
        status_histories(root, &mut docs, &sources, h, &inputs, &mut cache.snapshots);
    }
    let same = docs.iter().all(|d| {
        let i = previous.link_key.docs.binary_search_by(|(s, _)| s.as_str().cmp(&d.source));
        i.is_ok_and(|i| previous.link_key.docs[i].1 == link_input_hash(d))
    });
    if !same {
        return Err(Box::new(previous));
    }
    Ok(apply(previous, cache, parsed, docs, (timings, t)))
}

/// The sources of `changed`, when the last discovery still holds for them (same settings,
/// each a known Markdown source without a sidecar, its head unchanged) and none is a template.
fn edited_sources(
    root: &Path,
    config: &Config,
    skip: &[PathBuf],
    cache: &ParseCache,
    changed: &[String],
) -> Option<Vec<SourceFile>> {
    let (settings, found) = cache.discovered.as_ref()?;
    if *settings != discover_settings(config, skip) || !found.still_holds(root, changed) {
        return None;
    }
    let mut sources = Vec::with_capacity(changed.len());
    for rel in changed {
        let s = found.sources.iter().find(|s| s.rel == *rel)?;
        if s.is_template {
            return None;
        }
        sources.push(s.clone());
    }
    Some(sources)
}

/// One edited file, parsed: the cache entry to keep, and the size before (from the cache).
type Edited = (Doc, (CacheEntry, usize));

/// Parses the edited `sources`, when the parse settings and each one's context are unchanged.
fn parse_edited(
    config: &Config,
    cache: &ParseCache,
    previous: &Loaded,
    sources: &[SourceFile],
) -> Option<(Vec<Edited>, Timings)> {
    let found = &cache.discovered.as_ref()?.1;
    let prefixes = id_prefixes(&previous.collections);
    if cache.settings != parse_settings(config, &prefixes) {
        return None;
    }
    let scanner = Scanner::new(&prefixes, &config.links).unwrap_or_default();
    let templates = read_templates(&found.sources);
    let cx = ParseCx {
        collections: &previous.collections,
        config,
        scanner: &scanner,
        templates: &templates,
        engines: cache.engines(config),
    };
    let mut out = Vec::with_capacity(sources.len());
    for s in sources {
        let context = cx.context(s);
        let old = cache.entries.get(&s.rel).filter(|e| e.context == context)?;
        let Ok((doc, len, Some((stamp, context)))) = cx.parse(s, context) else { return None };
        out.push((doc.clone(), (CacheEntry { stamp, context, doc, len }, old.len)));
    }
    let mut timings = Timings::default();
    take_engine_stats(cx.engines, &mut timings);
    Some((out, timings))
}

/// `previous` with the edited documents `docs` in place (keeping what linking set on them: a
/// superseded status, the "superseded by" changes in their history), their own diagnostics
/// and cache entries replaced.
fn apply(
    mut previous: Loaded,
    cache: &mut ParseCache,
    parsed: Vec<Edited>,
    docs: Vec<Doc>,
    (mut timings, t): (Timings, Instant),
) -> Loaded {
    let mut fresh = Vec::with_capacity(docs.len());
    let mut bytes = previous.timings.source_bytes;
    for ((_, (entry, old_len)), mut d) in parsed.into_iter().zip(docs) {
        let source = d.source.clone();
        bytes = bytes + entry.len as u64 - old_len as u64;
        cache.entries.insert(source.clone(), entry);
        let own = std::mem::take(&mut d.diagnostics);
        if own.is_empty() {
            previous.parts.own.remove(&source);
        } else {
            previous.parts.own.insert(source.clone(), own);
        }
        if let Ok(i) = previous.site.docs.binary_search_by(|l| l.doc.source.as_str().cmp(&source)) {
            let l = &mut previous.site.docs[i];
            d.status = l.doc.status;
            d.history = std::mem::take(&mut l.doc.history);
            l.doc = d;
        }
        fresh.push(source);
    }
    cache.parsed = fresh.len();
    cache.linted = fresh.len();
    cache.walked = false;
    cache.stated.store(fresh.len(), std::sync::atomic::Ordering::Relaxed);
    timings.source_bytes = bytes;
    timings.push("read + parse", t);
    let diagnostics = previous.parts.all(&previous.link_diags);
    Loaded { diagnostics, timings, fresh, relinked: 0, ..previous }
}
