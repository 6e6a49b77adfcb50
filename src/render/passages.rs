//! The text search snippets are cut from: `search/p/<n>.json` holds the plain text of document
//! `n` (numbered as in the search index, templates left out), whitespace collapsed, so the
//! browser can show the passage where a query's words occur anywhere in the document. One small
//! file per document: a query fetches only the texts of the results it shows.

use crate::model::{LinkedDoc, Site};
use crate::write::OutputFile;
use rayon::prelude::*;

/// Characters of a document's text kept for snippets (a passage past them is not shown; the
/// document is still found by the index).
pub const PASSAGE_MAX: usize = 64 * 1024;

/// The folder of the passage files, under the output root.
pub const DIR: &str = "search/p";

/// The documents the search index numbers, in its order (see `search::index`).
fn indexed(site: &Site) -> Vec<&LinkedDoc> {
    site.docs.iter().filter(|d| !d.doc.is_template).collect()
}

/// One file per indexed document: its text as a JSON string.
pub fn files(site: &Site) -> Vec<OutputFile> {
    indexed(site)
        .par_iter()
        .enumerate()
        .map(|(n, d)| OutputFile::Bytes {
            path: format!("{DIR}/{n}.json"),
            bytes: serde_json::to_vec(&collapse(&d.doc.text, PASSAGE_MAX)).unwrap_or_default(),
        })
        .collect()
}

/// `text` with each run of whitespace made one space, at most `max` characters, cut at a word.
pub fn collapse(text: &str, max: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max + 16));
    let mut chars = 0;
    for w in text.split_whitespace() {
        let n = w.chars().count() + usize::from(!out.is_empty());
        if chars + n > max {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
        chars += n;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapse_joins_whitespace_and_cuts_at_a_word() {
        assert_eq!(collapse("  one\n\ntwo \t three ", 100), "one two three");
        assert_eq!(collapse("one two three", 8), "one two");
        assert_eq!(collapse("één twee", 3), "één");
        assert_eq!(collapse("toolongword", 4), "");
    }
}
