//! Command-line arguments (clap) and one `run` per command. Printing happens here and in `main`.

use anstream::{eprint, eprintln, print, println};
use clap::{Parser, Subcommand, ValueEnum};
use dossier::build::{self, Failure, Mode, Report};
use dossier::diag::{self, Diagnostic};
use std::path::PathBuf;
use std::process::ExitCode;

/// A static site generator for design docs and architecture decision records.
#[derive(Parser, Debug)]
#[command(name = "dossier", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Build the site into OUT (default ./site); exit 1 on errors, leaving the previous site untouched.
    Build(BuildArgs),
    /// Report every diagnostic without writing anything (for CI).
    Check(CheckArgs),
    /// Preview the site: build, serve on loopback, rebuild on every save and reload the browser.
    Serve(ServeArgs),
    /// Create a new decision or design doc in the right collection, in its format.
    New(NewArgs),
    /// Write a dossier.toml for the collections found here (and a GitHub Pages workflow).
    Init(InitArgs),
    /// What a change does to the knowledge base: documents added, removed and renamed, status,
    /// title and relation changes, problems introduced and fixed (from git; nothing is written).
    Diff(DiffArgs),
    /// Serve the documents to coding assistants: a Model Context Protocol server on stdin/stdout
    /// that follows edits.
    Mcp(McpArgs),
}

#[derive(clap::Args, Debug)]
pub struct DiffArgs {
    /// The revision to compare from (default: the merge base with the default branch).
    pub base: Option<String>,
    /// The revision to compare to (default: the work tree).
    pub head: Option<String>,
    /// The folder of documents (default: the current folder).
    #[arg(long, default_value = ".")]
    pub dir: PathBuf,
    /// `text` for a terminal, `markdown` for a pull-request comment, `json` for tools.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Exit 1 when the change introduces an error (`new-errors`); otherwise diff exits 0
    /// whatever changed.
    #[arg(long, value_enum, value_name = "WHAT")]
    pub fail_on: Option<FailOn>,
    /// Link the documents to their pages under this URL (default: `base_url` in dossier.toml).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Write the report to FILE instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffFormat {
    Text,
    Markdown,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum FailOn {
    NewErrors,
}

#[derive(clap::Args, Debug)]
pub struct McpArgs {
    /// The folder of documents (default: the current folder).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
}

#[derive(clap::Args, Debug)]
pub struct InitArgs {
    /// The folder of documents (default: the current folder).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Also write .github/workflows/dossier.yml that builds and deploys to GitHub Pages.
    #[arg(long)]
    pub github_pages: bool,
    /// How the workflow gets dossier: `release` downloads the prebuilt binary through the
    /// project's action; `cargo` compiles it from crates.io (cached by version).
    #[arg(long, value_enum, default_value_t = InstallFrom::Release)]
    pub install: InstallFrom,
    /// Compile dossier from this git repository instead of crates.io (implies --install cargo;
    /// the option `--install cargo` replaced).
    #[arg(long, value_name = "URL")]
    pub install_from: Option<String>,
    /// Replace values you set in dossier.toml (and a changed workflow) with what init finds;
    /// without it init only adds what is missing.
    #[arg(long)]
    pub force: bool,
    /// Print only the files written, not the collections found.
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(clap::Args, Debug)]
pub struct NewArgs {
    /// What to create.
    #[arg(value_enum)]
    pub kind: NewKind,
    /// The document's title, as it should read (quoted).
    pub title: Option<String>,
    /// A decision this one supersedes, by number, ID, slug, file name or path (marked as
    /// superseded in its own file). Repeatable.
    #[arg(long, value_name = "REF")]
    pub supersedes: Vec<String>,
    /// A decision this one amends, named the same ways (an "amended by" line is added to it).
    /// Repeatable.
    #[arg(long, value_name = "REF")]
    pub amends: Vec<String>,
    /// The status to start with (default: proposed for decisions, draft for designs).
    #[arg(long)]
    pub status: Option<String>,
    /// The ADR format (default: the one the collection's documents use).
    #[arg(long, value_enum)]
    pub format: Option<NewFormat>,
    /// The collection's folder, relative to DIR, when there are several (or none yet).
    #[arg(long, value_name = "PATH")]
    pub collection: Option<String>,
    /// The folder of documents (default: the current folder).
    #[arg(long, default_value = ".")]
    pub dir: PathBuf,
}

/// `init --install`.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum InstallFrom {
    Release,
    Cargo,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum NewKind {
    Adr,
    Design,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum NewFormat {
    Nygard,
    Madr,
    Log4brains,
}

#[derive(clap::Args, Debug)]
pub struct ServeArgs {
    /// The folder of documents (default: the current folder).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The port to listen on; the next free one is used when it is busy (0: any free port).
    #[arg(long, default_value_t = 4000)]
    pub port: u16,
    /// The address to listen on. Anything but loopback makes the docs reachable from the network.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Serve under this URL's path, as the published site will be (e.g. https://org.github.io/repo/).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Poll for changes instead of using native file events (network drives, some containers).
    #[arg(long)]
    pub poll: bool,
    /// Print the wall time of each stage of every rebuild.
    #[arg(long)]
    pub timings: bool,
}

#[derive(clap::Args, Debug)]
pub struct BuildArgs {
    /// The folder of documents (default: the current folder).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// When another build is writing OUT, wait for it to finish instead of failing.
    #[arg(long)]
    pub wait: bool,
    /// Where to write the site (default: `output_dir` in dossier.toml, else ./site).
    #[arg(short, long, value_name = "OUT")]
    pub out: Option<PathBuf>,
    /// The URL the site is served from, e.g. https://org.github.io/repo/.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Treat warnings as errors.
    #[arg(long)]
    pub strict: bool,
    /// Print only diagnostics, no summary.
    #[arg(short, long)]
    pub quiet: bool,
    /// Print the wall time of each stage and document/byte counts after the build.
    #[arg(long)]
    pub timings: bool,
    /// How to print diagnostics: text (stderr), or on stdout JSON, GitHub Actions annotations or SARIF.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(clap::Args, Debug)]
pub struct CheckArgs {
    /// The folder of documents (default: the current folder).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// Treat warnings as errors.
    #[arg(long)]
    pub strict: bool,
    /// Print only diagnostics and the summary, not the collections found.
    #[arg(short, long)]
    pub quiet: bool,
    /// How to print diagnostics: text (stderr), or on stdout JSON, GitHub Actions annotations or SARIF.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

/// How `check` and `build` print diagnostics.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// `path:line:col: severity[code]: message` on stderr.
    Text,
    /// One object with the counts and a `diagnostics` list, on stdout.
    Json,
    /// GitHub Actions workflow annotations, paths relative to the repository root, on stdout.
    Github,
    /// SARIF 2.1.0 for code scanning, paths relative to the repository root, on stdout.
    Sarif,
}

pub fn run(cli: Cli) -> ExitCode {
    match cli.command {
        Command::Build(a) => build_cmd(a),
        Command::Check(a) => check_cmd(a),
        Command::Serve(a) => serve_cmd(a),
        Command::New(a) => new_cmd(a),
        Command::Init(a) => init_cmd(a),
        Command::Diff(a) => diff_cmd(a),
        Command::Mcp(a) => mcp_cmd(a),
    }
}

/// `dossier mcp`: stdout carries the protocol alone; errors go to stderr.
fn mcp_cmd(a: McpArgs) -> ExitCode {
    match dossier::mcp::run(&a.dir) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => failure(f, Format::Text, None),
    }
}

fn diff_cmd(a: DiffArgs) -> ExitCode {
    use dossier::diff;
    let base_url = match a.base_url.as_deref().map(dossier::config::normalize_base_url).transpose() {
        Ok(u) => u,
        Err(m) => {
            eprintln!("dossier: error: --base-url: {m}");
            return ExitCode::from(2);
        }
    };
    let opts = diff::Options { dir: a.dir.clone(), base: a.base.clone(), head: a.head.clone() };
    let mut compared = match diff::run(&opts) {
        Ok(c) => c,
        Err(m) => {
            eprintln!("dossier: error: {m}");
            return ExitCode::from(2);
        }
    };
    if base_url.is_some() {
        compared.base_url = base_url;
    }
    let out = match a.format {
        DiffFormat::Text => diff::report::text(&compared),
        DiffFormat::Markdown => diff::report::markdown(&compared),
        DiffFormat::Json => diff::report::json(&compared),
    };
    match &a.output {
        Some(path) => {
            if let Err(e) = std::fs::write(path, &out) {
                eprintln!("dossier: error: cannot write {}: {e}", path.display());
                return ExitCode::from(2);
            }
        }
        None => print!("{out}"),
    }
    let failed = a.fail_on == Some(FailOn::NewErrors) && compared.diff.new_errors() > 0;
    if failed {
        eprintln!("dossier: the change introduces {} error(s)", compared.diff.new_errors());
    }
    if failed { ExitCode::from(1) } else { ExitCode::SUCCESS }
}

/// `--install-from URL` implies `--install cargo` from that repository.
fn install_of(a: &InitArgs) -> dossier::init::Install {
    match (&a.install_from, a.install) {
        (Some(url), _) => dossier::init::Install::Cargo { git: Some(url.clone()) },
        (None, InstallFrom::Cargo) => dossier::init::Install::Cargo { git: None },
        (None, InstallFrom::Release) => dossier::init::Install::Release,
    }
}

fn init_cmd(a: InitArgs) -> ExitCode {
    use dossier::init;
    if !a.dir.is_dir() {
        eprintln!("dossier: error: {} is not a folder", a.dir.display());
        return ExitCode::from(2);
    }
    let install = install_of(&a);
    let opts = init::Options { root: a.dir, github_pages: a.github_pages, install, force: a.force };
    match init::run(&opts) {
        Ok(report) => {
            if !a.quiet {
                print_collections(&report.collections);
            }
            for n in &report.notes {
                eprintln!("dossier: {n}");
            }
            for f in report.written {
                println!("{}", f.display());
            }
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("dossier: error: {e}");
            ExitCode::from(1)
        }
    }
}

fn new_cmd(a: NewArgs) -> ExitCode {
    use dossier::new::{self, Format, NewError};
    let Some(title) = a.title else {
        let kind = if a.kind == NewKind::Adr { "adr \"Use Postgres for storage\"" } else { "design \"Search index\"" };
        eprintln!("dossier: error: the new document needs a title, e.g. dossier new {kind}");
        return ExitCode::from(2);
    };
    let opts = new::Options {
        author: new::git_author(&a.dir),
        root: a.dir,
        kind: match a.kind {
            NewKind::Adr => dossier::model::Kind::Adr,
            NewKind::Design => dossier::model::Kind::Design,
        },
        title,
        supersedes: a.supersedes,
        amends: a.amends,
        status: a.status,
        format: a.format.map(|f| match f {
            NewFormat::Nygard => Format::Nygard,
            NewFormat::Madr => Format::Madr,
            NewFormat::Log4brains => Format::Log4brains,
        }),
        collection: a.collection,
        today: new::today(),
    };
    match new::run(&opts) {
        Ok(c) => {
            println!("{}", c.path.display());
            for (u, how) in c.updated {
                eprintln!("dossier: marked {} as {how}", u.display());
            }
            ExitCode::SUCCESS
        }
        Err(NewError::Usage(m)) => {
            eprintln!("dossier: error: {m}");
            ExitCode::from(2)
        }
        Err(NewError::Refused(m)) => {
            eprintln!("dossier: error: {m}");
            ExitCode::from(1)
        }
    }
}

fn serve_cmd(a: ServeArgs) -> ExitCode {
    use dossier::serve::{self, Event};
    let (tx, rx) = std::sync::mpsc::channel();
    if let Err(e) = ctrlc::set_handler(move || {
        let _ = tx.send(());
    }) {
        eprintln!("dossier: warning: cannot catch Ctrl-C: {e}");
    }
    let opts = serve::Options {
        root: a.dir.clone(),
        port: a.port,
        bind: a.bind.clone(),
        base_url: a.base_url.clone(),
        poll: a.poll,
    };
    let open = a.open;
    let timings = a.timings;
    let report = move |e: Event<'_>| match e {
        Event::PortBusy { port } => eprintln!("dossier: port {port} is busy, trying the next one"),
        Event::Listening { url, output, public } => {
            if public {
                eprintln!("dossier: warning: listening on {} makes these docs reachable from the network", a.bind);
            }
            println!("dossier: serving {} at {url} (Ctrl-C to stop)", a.dir.display());
            eprintln!("dossier: preview files in {}", output.display());
            if open {
                open_browser(&url);
            }
        }
        Event::Rebuilt { documents, written, work, elapsed, diagnostics, stages } => {
            let parsed = work.parsed;
            print_diagnostics(diagnostics);
            let errors = diag::counts(diagnostics).0;
            let state = if errors > 0 { " — errors: showing the last good site with an overlay" } else { "" };
            eprintln!(
                "dossier: rebuilt {documents} documents in {:.0} ms ({parsed} parsed, {written} files written); {}{state}",
                elapsed.as_secs_f64() * 1000.0,
                diag::summary(diagnostics)
            );
            if timings {
                let parts: Vec<String> =
                    stages.iter().map(|(s, d)| format!("{s} {:.0} ms", d.as_secs_f64() * 1000.0)).collect();
                eprintln!("dossier: stages: {}", parts.join(", "));
                eprintln!(
                    "dossier: work: {} stat'ed, {} parsed, {} linted, {} re-linked, {} pages rendered, {} files hashed, {} files written, {} removed, folder {}",
                    work.stated,
                    work.parsed,
                    work.linted,
                    work.relinked,
                    work.rendered,
                    work.hashed,
                    work.written,
                    work.removed,
                    if work.walked { "walked" } else { "not walked" }
                );
            }
        }
        Event::WatchError(m) => eprintln!("dossier: warning: {m}"),
        Event::Watching(m) => eprintln!("dossier: {m}"),
        Event::Stopped => eprintln!("dossier: stopped"),
    };
    match serve::run(&opts, rx, &report) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => failure(f, Format::Text, None),
    }
}

/// Opens `url` in the desktop's browser, if there is one.
fn open_browser(url: &str) {
    let cmd = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    if let Err(e) = std::process::Command::new(cmd.0)
        .args(cmd.1)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
    {
        eprintln!("dossier: cannot open a browser ({e}); open {url} yourself");
    }
}

fn build_cmd(a: BuildArgs) -> ExitCode {
    let opts = build::Options {
        root: a.dir.clone(),
        out: a.out,
        base_url: a.base_url,
        strict: a.strict,
        mode: Mode::Build,
        wait: a.wait,
    };
    match build::run(&opts) {
        Ok(report) => {
            print_report(a.format, &report);
            if report.failed() {
                let why = if a.strict && diag::counts(&report.diagnostics).0 == 0 { " (--strict)" } else { "" };
                eprintln!("dossier: build failed{why}: {}; nothing was written", diag::summary(&report.diagnostics));
                return ExitCode::from(1);
            }
            if !a.quiet {
                for n in &report.notes {
                    eprintln!("dossier: note: {}", diag::printable(n, false));
                }
                eprintln!("{}", build_summary(&report));
            }
            if a.timings {
                eprint!("{}", timings_table(&report));
            }
            ExitCode::SUCCESS
        }
        Err(f) => failure(f, a.format, build::repo_prefix(&a.dir)),
    }
}

fn check_cmd(a: CheckArgs) -> ExitCode {
    let opts = build::Options {
        root: a.dir.clone(),
        out: None,
        base_url: None,
        strict: a.strict,
        mode: Mode::Check,
        wait: false,
    };
    match build::run(&opts) {
        Ok(report) => {
            if !a.quiet {
                print_collections(&report.collections);
            }
            print_report(a.format, &report);
            if matches!(a.format, Format::Text | Format::Github) {
                eprintln!("dossier: checked {} documents: {}", report.documents(), report.summary());
            }
            if report.failed() { ExitCode::from(1) } else { ExitCode::SUCCESS }
        }
        Err(f) => failure(f, a.format, build::repo_prefix(&a.dir)),
    }
}

/// The report's diagnostics in `format`: text on stderr, the machine formats on stdout.
fn print_report(format: Format, report: &Report) {
    if format == Format::Json {
        let mut v = diag::json_report(report.documents(), &report.diagnostics);
        v["not_checked"] = report.outside_links.into();
        println!("{}", pretty(&v));
        return;
    }
    print_diagnostics_as(format, report.documents(), &report.diagnostics, report.repo_prefix.as_deref());
}

fn print_diagnostics_as(format: Format, documents: usize, diags: &[Diagnostic], prefix: Option<&str>) {
    match format {
        Format::Text => print_diagnostics(diags),
        Format::Json => println!("{}", pretty(&diag::json_report(documents, diags))),
        Format::Github => {
            for d in diags {
                println!("{}", diag::github_annotation(d, prefix));
            }
        }
        Format::Sarif => println!("{}", pretty(&diag::sarif::log(diags, prefix))),
    }
}

fn pretty(v: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

fn build_summary(r: &Report) -> String {
    let kinds: Vec<String> = r.counts.iter().map(|(k, n)| format!("{n} {}", k.as_str())).collect();
    let out = r.out.as_ref().map(|o| o.display().to_string()).unwrap_or_default();
    format!(
        "dossier: built {} documents ({}) into {out} in {:.2}s; {}",
        r.documents(),
        kinds.join(", "),
        r.elapsed.as_secs_f64(),
        r.summary()
    )
}

fn timings_table(r: &Report) -> String {
    let t = &r.timings;
    let mut out = String::from("stage            wall time\n");
    for (stage, d) in &t.stages {
        out.push_str(&format!("{stage:<16} {:>8.1} ms\n", d.as_secs_f64() * 1000.0));
        if let ("indexes + search", Some((ix, search))) = (*stage, t.side_by_side) {
            // Two jobs at once: each line is its own wall time.
            out.push_str(&format!("  render indexes {:>8.1} ms, alongside:\n", ix.as_secs_f64() * 1000.0));
            if let Some(g) = t.graph {
                out.push_str(&format!("    graph pages  {:>8.1} ms\n", g.as_secs_f64() * 1000.0));
            }
            out.push_str(&format!("  search index   {:>8.1} ms\n", search.as_secs_f64() * 1000.0));
        }
        if let ("render pages", Some(w)) = (*stage, t.pages_written) {
            // Document pages are written as they are rendered: that part of render is I/O.
            out.push_str(&format!("  writing pages  {:>8.1} ms, summed over threads\n", w.as_secs_f64() * 1000.0));
        }
        if *stage == "read + parse" {
            // Parts of the parse stage, as CPU time summed over the worker threads.
            if let Some((n, cpu)) = t.highlight {
                out.push_str(&format!(
                    "  highlight      {:>8.1} ms CPU, {n} code blocks\n",
                    cpu.as_secs_f64() * 1000.0
                ));
            }
            if let Some((n, cpu, median)) = t.diagrams {
                out.push_str(&format!(
                    "  diagrams       {:>8.1} ms CPU, {n} diagrams, median {:.2} ms\n",
                    cpu.as_secs_f64() * 1000.0,
                    median.as_secs_f64() * 1000.0
                ));
            }
        }
    }
    out.push_str(&format!("{:<16} {:>8.1} ms\n", "total", r.elapsed.as_secs_f64() * 1000.0));
    out.push_str(&format!(
        "{} documents, {:.1} MB of Markdown read, {} files ({:.1} MB) written\n",
        r.documents(),
        t.source_bytes as f64 / 1e6,
        r.files,
        t.output_bytes as f64 / 1e6
    ));
    out
}

/// The detection report, one line per collection (on stderr, so `--format json` stays JSON).
fn print_collections(lines: &[String]) {
    if lines.is_empty() {
        eprintln!("dossier: no collections found: every file is a page (name them in dossier.toml)");
    }
    for l in lines {
        eprintln!("dossier: {}", diag::printable(l, false));
    }
}

fn print_diagnostics(diags: &[Diagnostic]) {
    for d in diags {
        eprintln!("{}", d.render(true));
    }
}

/// Reports a run that stopped early; an invalid `dossier.toml` in the asked `format`.
fn failure(f: Failure, format: Format, prefix: Option<String>) -> ExitCode {
    match &f {
        Failure::Config(diags) => {
            print_diagnostics_as(format, 0, diags, prefix.as_deref());
            eprintln!("dossier: invalid dossier.toml: {}", diag::summary(diags));
        }
        Failure::Theme(diags) => {
            print_diagnostics_as(format, 0, diags, prefix.as_deref());
            eprintln!("dossier: theme template error: {}", diag::summary(diags));
        }
        other => eprintln!("dossier: error: {other}"),
    }
    ExitCode::from(f.exit_code())
}
