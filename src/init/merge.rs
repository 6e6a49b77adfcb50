//! Merging what `init` found into an existing `dossier.toml` with `toml_edit`: missing keys,
//! tables and collections are added; the user's keys, comments and order stay; a value the user
//! set differently is replaced only with `--force`, and every such value is named.

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table};

/// Keys whose value is only a default guess: never replaced, even with `--force`.
const GUESSES: &[&str] = &["title"];

/// `old` with what `fresh` (the config init would write) adds. Notes say which values were kept
/// or replaced.
/// `blocks`: the `[[collections]]` text init writes for each collection found, by path; a
/// collection the file does not name is added as that text after the last collection.
pub fn merge(
    old: &str,
    fresh: &str,
    blocks: &[(String, String)],
    force: bool,
    notes: &mut Vec<String>,
) -> Result<String, String> {
    let mut doc: DocumentMut = old.parse().map_err(|e: toml_edit::TomlError| located(old, &e))?;
    let new: DocumentMut = fresh.parse().map_err(|e: toml_edit::TomlError| e.to_string())?;
    for (key, item) in new.iter() {
        if key == "collections" {
            continue;
        }
        merge_item(doc.as_table_mut(), key, item, force, key, notes);
    }
    let missing = match new.get("collections") {
        Some(Item::ArrayOfTables(found)) => merge_collections(&mut doc, found, force, notes),
        _ => Vec::new(),
    };
    // Nothing changed: keep the bytes exactly as the user wrote them.
    let unchanged = doc.to_string() == old.parse::<DocumentMut>().map(|d| d.to_string()).unwrap_or_default();
    let mut text = if unchanged { old.to_string() } else { doc.to_string() };
    let added: String =
        blocks.iter().filter(|(p, _)| missing.contains(p)).map(|(_, b)| b.as_str()).collect::<Vec<_>>().concat();
    if !added.is_empty() {
        let at = insertion_point(&text);
        if at == text.len() && !text.is_empty() && !text.ends_with("\n\n") {
            text.push_str(if text.ends_with('\n') { "\n" } else { "\n\n" });
        }
        let at = at.min(text.len());
        text.insert_str(at, &added);
    }
    text.parse::<DocumentMut>().map_err(|e| format!("the merged file does not parse ({e}); nothing was written"))?;
    Ok(text)
}

/// Where new collections go: before the first table header after the last `[[collections]]`
/// (or before the first table header when there is none), else at the end.
fn insertion_point(text: &str) -> usize {
    let mut offset = 0;
    let mut after_collections = !text.lines().any(|l| l.trim() == "[[collections]]");
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if t == "[[collections]]" {
            after_collections = true;
        } else if after_collections && t.starts_with('[') {
            return offset;
        }
        offset += line.len();
    }
    text.len()
}

/// A TOML error as `line N: message`.
fn located(text: &str, e: &toml_edit::TomlError) -> String {
    let line = e.span().map_or(1, |s| text[..s.start.min(text.len())].matches('\n').count() + 1);
    format!("line {line}: {}; fix it, then run `dossier init` again", e.message())
}

/// Adds `item` under `key` in `table` when missing; merges tables key by key; a differing value
/// is replaced only with `force`.
fn merge_item(table: &mut Table, key: &str, item: &Item, force: bool, path: &str, notes: &mut Vec<String>) {
    match (table.get_mut(key), item) {
        (None, Item::Table(t)) => {
            // Its comments in the new file may belong to what came before it there.
            let mut t = t.clone();
            t.decor_mut().set_prefix("\n");
            t.set_position(None);
            table.insert(key, Item::Table(t));
        }
        (None, _) => {
            table.insert(key, item.clone());
        }
        (Some(Item::Table(mine)), Item::Table(theirs)) => {
            for (k, v) in theirs.iter() {
                merge_item(mine, k, v, force, &format!("{path}.{k}"), notes);
            }
        }
        (Some(Item::Value(mine)), Item::Value(theirs)) => {
            let (was, now) = (bare(mine), bare(theirs));
            if was == now || GUESSES.contains(&path) {
                return;
            }
            if force {
                let decor = mine.decor().clone();
                *mine = theirs.clone();
                *mine.decor_mut() = decor;
                notes.push(format!("replaced {path} = {was} with {now} (--force)"));
            } else {
                notes.push(format!("kept {path} = {was} (init found {now}; --force replaces it)"));
            }
        }
        _ => {}
    }
}

/// A value as written, without its comments and spacing.
fn bare(v: &toml_edit::Value) -> String {
    let mut v = v.clone();
    v.decor_mut().clear();
    v.to_string()
}

/// Merges the keys of each collection found that the file names; returns the paths of the others.
fn merge_collections(
    doc: &mut DocumentMut,
    found: &ArrayOfTables,
    force: bool,
    notes: &mut Vec<String>,
) -> Vec<String> {
    let path_of = |t: &Table| t.get("path").and_then(|v| v.as_str()).map(crate::config::clean_rel_path);
    let mut missing = Vec::new();
    let Some(Item::ArrayOfTables(mine)) = doc.get_mut("collections") else {
        if doc.get("collections").is_some() {
            notes.push("kept collections: it is not a list of [[collections]] tables".into());
            return missing;
        }
        return found.iter().filter_map(path_of).collect();
    };
    for theirs in found.iter() {
        let p = path_of(theirs);
        let at = mine.iter().position(|t| path_of(t) == p);
        match at.and_then(|i| mine.get_mut(i)) {
            Some(t) => {
                let name = format!("collections[path = \"{}\"]", p.clone().unwrap_or_default());
                for (k, v) in theirs.iter() {
                    merge_item(t, k, v, force, &format!("{name}.{k}"), notes);
                }
            }
            None => missing.extend(p),
        }
    }
    missing
}
