//! The GitHub Actions workflow `init --github-pages` writes: a `check` job with annotations on
//! pull requests, and on the default branch a build with the Pages URL and a deploy with the
//! official Pages actions. dossier comes from the release binary through the project's own
//! action pinned to this version, or with `--install cargo` is compiled (cached by version).

/// The project's repository on GitHub (Cargo.toml's `repository`).
pub const REPOSITORY: &str = env!("CARGO_PKG_REPOSITORY");
/// The version the workflow pins: the running binary's.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
/// The crates.io package (`cargo install dossier-ssg` installs the `dossier` binary).
pub const PACKAGE: &str = env!("CARGO_PKG_NAME");

/// The actions the workflow uses, at their current major versions.
pub const CHECKOUT: &str = "actions/checkout@v6";
pub const CONFIGURE_PAGES: &str = "actions/configure-pages@v6";
pub const UPLOAD_PAGES_ARTIFACT: &str = "actions/upload-pages-artifact@v5";
pub const DEPLOY_PAGES: &str = "actions/deploy-pages@v5";
pub const CACHE: &str = "actions/cache@v5";
pub const RUST_TOOLCHAIN: &str = "dtolnay/rust-toolchain@stable";

/// How the workflow gets dossier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Install {
    /// The prebuilt release binary, through the project's action (seconds).
    Release,
    /// `cargo install --locked` from crates.io, or from a git repository when `git` is set
    /// (minutes on a cache miss), for teams that cannot download binaries.
    Cargo { git: Option<String> },
}

/// `owner/name@vVERSION`: the project's action pinned to the running binary's release.
pub fn action_ref() -> String {
    let repo = REPOSITORY.trim_end_matches('/');
    let slug = repo.strip_prefix("https://github.com/").unwrap_or(repo);
    format!("{slug}@v{VERSION}")
}

/// The workflow for documents in `dir` (relative to the repository root) of a repository whose
/// default branch is `branch`.
pub fn workflow(dir: &str, install: &Install, branch: &str) -> String {
    let mut s = header(branch, install);
    s.push_str(&check_job(dir, install));
    s.push_str(&build_job(dir, install, branch));
    s.push_str(&deploy_job());
    s
}

fn header(branch: &str, install: &Install) -> String {
    let how = match install {
        Install::Release => format!("the prebuilt dossier {VERSION} through its action"),
        Install::Cargo { .. } => format!("dossier {VERSION} compiled with cargo (cached)"),
    };
    format!(
        r#"# Written by `dossier init --github-pages`, with {how}.
# Pull requests: `dossier check`, its problems as annotations on the changed lines.
# Pushes to {branch}: build with the Pages URL and deploy to GitHub Pages.
name: dossier
on:
  push:
    branches: [{branch}]
  pull_request:
  workflow_dispatch:
permissions:
  contents: read
jobs:
"#
    )
}

fn check_job(dir: &str, install: &Install) -> String {
    let mut s = String::from(
        r#"  check:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    concurrency:
      group: dossier-check-${{ github.ref }}
      cancel-in-progress: true
    steps:
"#,
    );
    s.push_str(&format!("      - uses: {CHECKOUT}\n"));
    match install {
        Install::Release => s.push_str(&format!(
            "      - uses: {}\n        with:\n          command: check\n          source: {dir}\n          args: --format github\n",
            action_ref()
        )),
        Install::Cargo { git } => {
            s.push_str(&cargo_steps(git.as_deref()));
            s.push_str(&format!("      - name: Check\n        run: dossier check {dir} --format github\n"));
        }
    }
    s
}

fn build_job(dir: &str, install: &Install, branch: &str) -> String {
    let mut s = format!(
        r#"  build:
    if: github.ref == 'refs/heads/{branch}'
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pages: write            # configure-pages reads the site's URL
    steps:
      - uses: {CHECKOUT}
        with:
          fetch-depth: 0          # full history, for dates from git
"#
    );
    match install {
        Install::Release => s.push_str(&format!(
            "      - uses: {}\n        with:\n          source: {dir}\n          args: -o _site\n",
            action_ref()
        )),
        Install::Cargo { git } => {
            s.push_str(&format!("      - id: pages\n        uses: {CONFIGURE_PAGES}\n"));
            s.push_str(&cargo_steps(git.as_deref()));
            s.push_str(&format!(
                "      - name: Build\n        run: dossier build {dir} -o _site --base-url \"${{{{ steps.pages.outputs.base_url }}}}/\"\n"
            ));
        }
    }
    s.push_str(&format!("      - uses: {UPLOAD_PAGES_ARTIFACT}\n        with:\n          path: _site\n"));
    s
}

fn deploy_job() -> String {
    format!(
        r#"  deploy:
    needs: build
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    concurrency:
      group: pages
      cancel-in-progress: false
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: {DEPLOY_PAGES}
"#
    )
}

/// The toolchain, the cached binary (keyed on the version, so a new pin compiles once) and
/// `cargo install --locked` on a miss.
fn cargo_steps(git: Option<&str>) -> String {
    let from = match git {
        Some(url) => format!("--git {url} --tag v{VERSION} {PACKAGE}"),
        None => format!("{PACKAGE} --version {VERSION}"),
    };
    format!(
        r#"      - uses: {RUST_TOOLCHAIN}
      - id: cache
        uses: {CACHE}
        with:
          path: ~/.cargo/bin/dossier
          key: dossier-${{{{ runner.os }}}}-{VERSION}
      - name: Install dossier (compiles for several minutes on a cache miss)
        if: steps.cache.outputs.cache-hit != 'true'
        run: cargo install --locked {from}
"#
    )
}
