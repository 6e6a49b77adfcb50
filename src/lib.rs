//! dossier: a static site generator for design docs and architecture decision records.
//!
//! The pipeline runs one way: `discover` → `parse` → `link` → `render` → `write`; `build` drives it.

pub mod build;
pub mod config;
pub mod diag;
pub mod diff;
pub mod discover;
pub mod git;
pub mod history;
pub mod init;
pub mod link;
pub mod lint;
pub mod mcp;
pub mod model;
pub mod new;
pub mod parse;
pub mod render;
pub mod search;
pub mod serve;
pub mod session;
pub mod write;

/// A fast 64-bit hash (Fx) of `value`, for memo keys and change detection (not for security).
pub fn fx_hash<T: std::hash::Hash + ?Sized>(value: &T) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    value.hash(&mut h);
    h.finish()
}
