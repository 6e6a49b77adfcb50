//! `dossier init`: detect the collections of an existing repository, write a commented
//! `dossier.toml`, and with `--github-pages` a workflow that builds and deploys the site.

use crate::config::Collection;
use crate::discover;
use crate::model::Kind;
use std::path::{Path, PathBuf};

/// Where `init --github-pages` installs dossier from by default (Cargo.toml's `repository`).
pub const DEFAULT_INSTALL_FROM: &str = env!("CARGO_PKG_REPOSITORY");

/// What to write.
#[derive(Clone, Debug)]
pub struct Options {
    pub root: PathBuf,
    pub github_pages: bool,
    pub install_from: String,
    pub force: bool,
}

/// Why nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("{0}")]
    Refused(String),
}

/// Writes the files and returns their paths, with one line per collection found
/// (`discover::describe`).
pub fn run(opts: &Options) -> Result<(Vec<PathBuf>, Vec<String>), InitError> {
    let config = crate::config::Config::default();
    let found = discover::discover(&opts.root, &config, &[]);
    let repo = repo_root(&opts.root);
    let title = title_for(&opts.root, repo.as_deref());
    let toml_path = opts.root.join(crate::config::FILE_NAME);
    let mut written = Vec::new();
    let workflow = opts.github_pages.then(|| {
        let repo = repo.clone().unwrap_or_else(|| opts.root.clone());
        let rel = crate::write::absolute(&opts.root);
        let rel = rel.strip_prefix(crate::write::absolute(&repo)).map(Path::to_path_buf).unwrap_or_default();
        let dir = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        (
            repo.join(".github/workflows/dossier.yml"),
            workflow(if dir.is_empty() { "." } else { &dir }, &opts.install_from),
        )
    });
    for path in std::iter::once(&toml_path).chain(workflow.as_ref().map(|w| &w.0)) {
        if path.exists() && !opts.force {
            return Err(InitError::Refused(format!("{} already exists; use --force to replace it", path.display())));
        }
    }
    // A template file already in a collection is named, so that `dossier new` fills it in.
    let mut collections = found.collections.clone();
    for c in &mut collections {
        let dir = opts.root.join(&c.path);
        c.template = ["template.md", "adr-template.md", "_template.md"]
            .iter()
            .find(|t| dir.join(t).is_file())
            .map(|t| t.to_string())
            .or_else(|| template_beside(&found, c));
    }
    std::fs::write(&toml_path, config_text(&title, &collections))
        .map_err(|e| InitError::Refused(format!("cannot write {}: {e}", toml_path.display())))?;
    written.push(toml_path);
    if let Some((path, text)) = workflow {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| InitError::Refused(format!("cannot create {}: {e}", parent.display())))?;
        }
        std::fs::write(&path, text).map_err(|e| InitError::Refused(format!("cannot write {}: {e}", path.display())))?;
        written.push(path);
    }
    Ok((written, report(&found)))
}

/// Any other template file directly in the collection's folder (`decision-template.md`), as
/// discovery classified it.
fn template_beside(found: &discover::Discovered, c: &Collection) -> Option<String> {
    found.sources.iter().filter(|s| s.is_template).find_map(|s| {
        let (dir, file) = s.rel.rsplit_once('/').unwrap_or(("", &s.rel));
        (dir == c.path).then(|| file.to_string())
    })
}

/// The detection report: each collection with the documents discovery classified into it.
fn report(found: &discover::Discovered) -> Vec<String> {
    found
        .collections
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let n = found
                .sources
                .iter()
                .filter(|s| s.collection == Some(i) && s.kind != Kind::Page && !s.is_template)
                .count();
            discover::describe(c, n)
        })
        .collect()
}

/// The git repository containing `dir`, if any.
fn repo_root(dir: &Path) -> Option<PathBuf> {
    let abs = crate::write::absolute(dir);
    abs.ancestors().find(|d| d.join(".git").exists()).map(Path::to_path_buf)
}

fn title_for(root: &Path, repo: Option<&Path>) -> String {
    let base = repo.unwrap_or(root);
    let name = crate::write::absolute(base).file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if name.is_empty() { "Knowledge base".to_string() } else { format!("{name} knowledge base") }
}

/// A commented `dossier.toml` naming the collections found.
pub fn config_text(title: &str, collections: &[Collection]) -> String {
    let mut s = String::from("# dossier configuration. Every key is optional; see the README for all of them.\n\n");
    s.push_str(&format!("title = {}\n", toml_str(title)));
    s.push_str("# base_url = \"https://org.github.io/repo/\"   # where the site is published (or --base-url)\n");
    s.push_str("# repo_url = \"https://github.com/org/repo\"   # \"Edit this page\" and links to code\n");
    s.push_str("# output_dir = \"site\"\n\n");
    if collections.is_empty() {
        s.push_str("# No collections were detected. Name your folders of decisions and designs:\n");
        s.push_str("# [[collections]]\n# path = \"docs/adr\"\n# kind = \"adr\"\n");
    }
    for c in collections {
        s.push_str(&format!("# Found by {}.\n[[collections]]\n", c.origin));
        let path = if c.path.is_empty() { "." } else { c.path.as_str() };
        s.push_str(&format!("path = {}\nkind = \"{}\"\n", toml_str(path), c.kind.as_str()));
        match (&c.prefix, c.kind) {
            (Some(p), _) => s.push_str(&format!("prefix = {}            # IDs such as {p}-0012\n", toml_str(p))),
            // Without a prefix an ADR collection would still get ADR; say none for designs.
            (None, Kind::Adr) => s.push_str("prefix = \"ADR\"            # IDs such as ADR-0012\n"),
            (None, _) => {
                s.push_str("prefix = \"\"               # no number-based IDs: documents are known by their path\n")
            }
        }
        match &c.template {
            Some(t) => s.push_str(&format!(
                "template = {}   # the collection's template, used by `dossier new`\n",
                toml_str(t)
            )),
            None => s.push_str("# template = \"template.md\"   # the collection's template, used by `dossier new`\n"),
        }
        s.push_str("# required_sections = []      # sections every document must have (default: the format's own)\n\n");
    }
    s.push_str("[check]\nbroken_links = \"error\"   # \"warn\" while old broken links are being fixed\n\n");
    s.push_str("# [statuses]                 # your own status words\n# \"In Flight\" = \"proposed\"\n\n");
    s.push_str("# [[links]]                  # ticket IDs to links ($1 is the first group)\n# pattern = \"PROJ-(\\\\d+)\"\n# url = \"https://tracker.example/browse/PROJ-$1\"\n");
    s
}

fn toml_str(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The GitHub Pages workflow: build with the repository's Pages URL, deploy with the official
/// actions, install dossier with `cargo install --locked` (cached), full history for git dates.
pub fn workflow(dir: &str, install_from: &str) -> String {
    format!(
        r#"name: dossier
on:
  push:
    branches: [main]
  workflow_dispatch:
permissions:
  contents: read
  pages: write
  id-token: write
concurrency:
  group: pages
  cancel-in-progress: true
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0          # full history, for dates from git
      - id: pages
        uses: actions/configure-pages@v5
      - uses: actions/cache@v4
        with:
          path: ~/.cargo/bin/dossier
          key: dossier-${{{{ runner.os }}}}-v1
      - name: Install dossier
        run: command -v dossier || cargo install --locked --git {install_from} dossier
      - name: Build
        run: dossier build {dir} -o _site --base-url "${{{{ steps.pages.outputs.base_url }}}}/"
      - uses: actions/upload-pages-artifact@v3
        with:
          path: _site
  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"#
    )
}
