//! Diagnostics: what went wrong where, collected across the whole pipeline and printed sorted.

use serde::Serialize;
use std::fmt;

pub mod sarif;

/// How bad a diagnostic is. Errors fail the build; warnings fail it only with `--strict`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// Every kind of problem dossier reports. The severity belongs to the code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Code {
    UnreadableFile,
    UrlCollision,
    InvalidConfig,
    InvalidFrontMatter,
    InvalidUtf8,
    InvalidDate,
    DuplicateId,
    UnknownStatus,
    StaleProposal,
    UnknownConfigKey,
    BrokenLink,
    BrokenAnchor,
    DanglingWikiLink,
    SupersedeCycle,
    UnknownId,
    RelationConflict,
    MissingSection,
    TemplatePlaceholder,
    MalformedLink,
    OpenQuestions,
    InvalidDiagram,
    NumberMismatch,
    MissingCollection,
    DuplicatePrefix,
    EmptySource,
    EmptyTheme,
    SpecialFile,
    FileTooLarge,
    SkippedSymlink,
    SelfRelation,
    UnsafeUrl,
    HighlightLimit,
    UnknownLanguage,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::UnreadableFile => "unreadable-file",
            Code::UrlCollision => "url-collision",
            Code::InvalidConfig => "invalid-config",
            Code::InvalidFrontMatter => "invalid-front-matter",
            Code::InvalidUtf8 => "invalid-utf8",
            Code::InvalidDate => "invalid-date",
            Code::DuplicateId => "duplicate-id",
            Code::UnknownStatus => "unknown-status",
            Code::StaleProposal => "stale-proposal",
            Code::UnknownConfigKey => "unknown-config-key",
            Code::UnknownLanguage => "unknown-language",
            Code::BrokenLink => "broken-link",
            Code::BrokenAnchor => "broken-anchor",
            Code::DanglingWikiLink => "dangling-wiki-link",
            Code::SupersedeCycle => "supersede-cycle",
            Code::UnknownId => "unknown-id",
            Code::RelationConflict => "relation-conflict",
            Code::MissingSection => "missing-section",
            Code::TemplatePlaceholder => "template-placeholder",
            Code::MalformedLink => "malformed-link",
            Code::OpenQuestions => "open-questions",
            Code::InvalidDiagram => "invalid-diagram",
            Code::NumberMismatch => "number-mismatch",
            Code::MissingCollection => "missing-collection",
            Code::DuplicatePrefix => "duplicate-prefix",
            Code::EmptySource => "empty-source",
            Code::EmptyTheme => "empty-theme",
            Code::SpecialFile => "special-file",
            Code::FileTooLarge => "file-too-large",
            Code::SkippedSymlink => "skipped-symlink",
            Code::SelfRelation => "self-relation",
            Code::UnsafeUrl => "unsafe-url",
            Code::HighlightLimit => "highlight-limit",
        }
    }

    /// One line on what the code means (the README's diagnostics table; SARIF rules).
    pub fn describe(self) -> &'static str {
        match self {
            Code::UnreadableFile => "A file could not be read",
            Code::UrlCollision => "Two files, or a file and a generated page, would have one URL",
            Code::InvalidConfig => "dossier.toml or a theme template is invalid",
            Code::InvalidFrontMatter => "Front matter could not be read",
            Code::InvalidUtf8 => "The file is not UTF-8",
            Code::InvalidDate => "A date that is not a real YYYY-MM-DD date",
            Code::DuplicateId => "Two documents claim one ID",
            Code::UnknownStatus => "A status word dossier does not know",
            Code::StaleProposal => "A proposal or draft waiting longer than `[review] stale_after`",
            Code::UnknownConfigKey => "A key in dossier.toml that dossier does not know",
            Code::UnknownLanguage => "A language code whose words the search index cannot stem or segment",
            Code::BrokenLink => "A relative link or image whose target does not exist",
            Code::BrokenAnchor => "A #fragment that is not a heading of the target",
            Code::DanglingWikiLink => "A [[wiki link]] that matches no ID or file name",
            Code::SupersedeCycle => "Documents that supersede each other in a circle",
            Code::UnknownId => "An ID mention or relation target that matches no document",
            Code::RelationConflict => "Two documents state the two sides of a relation with different partners",
            Code::MissingSection => "A section the collection requires is missing",
            Code::TemplatePlaceholder => "An unfilled template placeholder",
            Code::MalformedLink => "A link written with a space between ] and (",
            Code::OpenQuestions => "An accepted design whose open questions still say TBD",
            Code::InvalidDiagram => "A Mermaid block the renderer cannot read",
            Code::MissingCollection => "A [[collections]] path that is not a folder",
            Code::DuplicatePrefix => "Two collections share one ID prefix",
            Code::EmptySource => "The source folder holds no Markdown documents",
            Code::EmptyTheme => "theme_dir has no templates or static files",
            Code::SpecialFile => "A FIFO, device or socket (or a symlink to one), never read",
            Code::FileTooLarge => "A Markdown file over [check] max_file_size, not rendered",
            Code::SkippedSymlink => "A symlink leading outside the repository, broken, or in a loop",
            Code::SelfRelation => "A document that supersedes (or amends, or relates to) itself",
            Code::NumberMismatch => "A title's number that differs from the file name's",
            Code::UnsafeUrl => "A link whose scheme is not http, https or mailto (javascript:, data:…), shown as text",
            Code::HighlightLimit => "A code block past the highlighting limits, shown as plain code",
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            Code::UnreadableFile
            | Code::UrlCollision
            | Code::InvalidConfig
            | Code::BrokenLink
            | Code::BrokenAnchor
            | Code::DanglingWikiLink
            | Code::SupersedeCycle => Severity::Error,
            Code::InvalidFrontMatter
            | Code::InvalidUtf8
            | Code::InvalidDate
            | Code::DuplicateId
            | Code::UnknownStatus
            | Code::StaleProposal
            | Code::UnknownConfigKey
            | Code::InvalidDiagram
            | Code::NumberMismatch
            | Code::UnknownId
            | Code::RelationConflict
            | Code::MissingSection
            | Code::TemplatePlaceholder
            | Code::MalformedLink
            | Code::OpenQuestions
            | Code::MissingCollection
            | Code::DuplicatePrefix
            | Code::EmptySource
            | Code::EmptyTheme
            | Code::SpecialFile
            | Code::FileTooLarge
            | Code::SkippedSymlink
            | Code::SelfRelation
            | Code::UnsafeUrl
            | Code::HighlightLimit
            | Code::UnknownLanguage => Severity::Warning,
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem at one place. `path` is relative to the source folder, with forward slashes;
/// `line` and `col` count from 1 (0 means "the whole file").
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub code: Code,
    pub path: String,
    pub line: u32,
    pub col: u32,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(code: Code, path: impl Into<String>, line: u32, col: u32, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: code.severity(),
            code,
            path: path.into(),
            line,
            col,
            message: message.into(),
            help: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Lowers an error to a warning (used where the user asked for leniency, e.g. `broken_links = "warn"`).
    pub fn as_warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn sort_key(&self) -> (&str, u32, u32, Severity, Code, &str) {
        (&self.path, self.line, self.col, self.severity, self.code, &self.message)
    }

    /// `path:line:col: severity[code]: message` and an indented `help:` line.
    pub fn render(&self, color: bool) -> String {
        use anstyle::{AnsiColor, Style};
        let (bold, sev_style, help_style) = if color {
            let sev = match self.severity {
                Severity::Error => AnsiColor::Red,
                Severity::Warning => AnsiColor::Yellow,
            };
            (
                Style::new().bold(),
                Style::new().bold().fg_color(Some(sev.into())),
                Style::new().bold().fg_color(Some(AnsiColor::Cyan.into())),
            )
        } else {
            (Style::new(), Style::new(), Style::new())
        };
        let mut out = format!(
            "{bold}{}{bold:#}: {sev_style}{}[{}]{sev_style:#}: {}",
            printable(&self.location(), false),
            self.severity.as_str(),
            self.code,
            printable(&self.message, true)
        );
        if let Some(help) = &self.help {
            out.push_str(&format!("\n  {help_style}help{help_style:#}: {}", printable(help, true)));
        }
        out
    }

    /// `path:line:col`, or just `path` for whole-file problems.
    pub fn location(&self) -> String {
        if self.line == 0 { self.path.clone() } else { format!("{}:{}:{}", self.path, self.line, self.col.max(1)) }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// `s` with every control character (C0 but, where `newlines`, the line feed; DEL; C1) shown as
/// `\x1B`, so that a file name or a document's text printed to a terminal cannot move the
/// cursor, set the window title or clear the screen.
pub fn printable(s: &str, newlines: bool) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| c.is_control() && !(newlines && c == '\n');
    if !s.chars().any(bad) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if bad(c) {
            out.push_str(&format!("\\x{:02X}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Sorts diagnostics by place, then severity and code, and drops exact duplicates.
pub fn sort(diags: &mut Vec<Diagnostic>) {
    diags.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    diags.dedup();
}

/// Counts errors and warnings.
pub fn counts(diags: &[Diagnostic]) -> (usize, usize) {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    (errors, diags.len() - errors)
}

/// The closing line, e.g. `2 errors, 1 warning`.
pub fn summary(diags: &[Diagnostic]) -> String {
    let (e, w) = counts(diags);
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    format!("{}, {}", plural(e, "error"), plural(w, "warning"))
}

/// `path` (relative to the source folder) as its git repository names it: under `prefix`, the
/// source folder's own path in the repository (`docs`). `.` is the source folder itself.
/// Absolute paths and paths outside a repository (`prefix` is `None`) stay as they are.
pub fn repo_path(path: &str, prefix: Option<&str>) -> String {
    let path = path.replace('\\', "/");
    match prefix {
        Some(p) if !p.is_empty() && !std::path::Path::new(&path).is_absolute() => {
            if path == "." || path.is_empty() {
                p.to_string()
            } else {
                format!("{p}/{path}")
            }
        }
        _ => path,
    }
}

/// The `--format json` report of `check` and `build`: one object with the counts and the
/// `diagnostics` list (paths relative to the source folder).
pub fn json_report(documents: usize, diags: &[Diagnostic]) -> serde_json::Value {
    let (errors, warnings) = counts(diags);
    serde_json::json!({
        "documents": documents,
        "errors": errors,
        "warnings": warnings,
        "diagnostics": diags,
    })
}

/// A GitHub Actions workflow command (`::error file=…,line=…,col=…,title=code::message`), with
/// the path relative to the repository root so that it lands on the pull request's lines.
pub fn github_annotation(d: &Diagnostic, prefix: Option<&str>) -> String {
    let esc = |s: &str| s.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A");
    let prop = |s: &str| esc(s).replace(':', "%3A").replace(',', "%2C");
    let mut msg = d.message.clone();
    if let Some(h) = &d.help {
        msg.push_str(&format!("\nhelp: {h}"));
    }
    format!(
        "::{} file={},line={},col={},title={}::{}",
        d.severity.as_str(),
        prop(&repo_path(&d.path, prefix)),
        d.line.max(1),
        d.col.max(1),
        d.code,
        esc(&msg)
    )
}

/// Converts a byte offset into a 1-based line and column (column counted in characters).
pub struct LineIndex {
    starts: Vec<usize>,
    /// The last column counted: (line start, offset, characters from the line start). Offsets
    /// asked in order along one line (every link of a 1 MB line) count on from it, so that
    /// the columns of a line cost its length once, not once per offset (issue 20).
    last: std::cell::Cell<(usize, usize, usize)>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts, last: std::cell::Cell::new((usize::MAX, 0, 0)) }
    }

    pub fn line_col(&self, text: &str, offset: usize) -> (u32, u32) {
        let line = match self.starts.binary_search(&offset) {
            Ok(i) => i,
            Err(i) => i - 1,
        };
        let start = self.starts[line];
        let end = offset.min(text.len());
        let (last_start, last_end, last_chars) = self.last.get();
        let chars = match text.get(last_end..end) {
            Some(more) if last_start == start && last_end <= end => last_chars + more.chars().count(),
            _ => match text.get(start..end) {
                Some(s) => s.chars().count(),
                None => return (line as u32 + 1, (end - start) as u32 + 1),
            },
        };
        self.last.set((start, end, chars));
        (line as u32 + 1, chars as u32 + 1)
    }

    pub fn line(&self, offset: usize) -> u32 {
        match self.starts.binary_search(&offset) {
            Ok(i) => i as u32 + 1,
            Err(i) => i as u32,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_location_code_and_help() {
        let d = Diagnostic::new(Code::InvalidDate, "adr/0001-x.md", 3, 7, "invalid date \"2014-19-19\"")
            .help("write dates as YYYY-MM-DD");
        assert_eq!(
            d.render(false),
            "adr/0001-x.md:3:7: warning[invalid-date]: invalid date \"2014-19-19\"\n  help: write dates as YYYY-MM-DD"
        );
    }

    #[test]
    fn sorts_by_path_then_line() {
        let mut v = vec![
            Diagnostic::new(Code::UnknownStatus, "b.md", 1, 1, "x"),
            Diagnostic::new(Code::UnknownStatus, "a.md", 9, 1, "x"),
            Diagnostic::new(Code::UnknownStatus, "a.md", 2, 1, "x"),
            Diagnostic::new(Code::UnknownStatus, "a.md", 2, 1, "x"),
        ];
        sort(&mut v);
        let locs: Vec<_> = v.iter().map(|d| d.location()).collect();
        assert_eq!(locs, ["a.md:2:1", "a.md:9:1", "b.md:1:1"]);
        assert_eq!(summary(&v), "0 errors, 3 warnings");
    }

    #[test]
    fn terminal_text_shows_control_characters_instead_of_sending_them() {
        let d =
            Diagnostic::new(Code::BrokenLink, "notes/\u{1b}]0;pwned\u{7}\u{1b}[2J.md", 2, 1, "target `a\u{9b}2J\rb`")
                .help("x\u{1b}[1Ay");
        let text = d.render(false);
        assert_eq!(
            text,
            "notes/\\x1B]0;pwned\\x07\\x1B[2J.md:2:1: error[broken-link]: target `a\\x9B2J\\x0Db`\n  help: x\\x1B[1Ay"
        );
        assert_eq!(printable("line\nnext\ttab", true), "line\nnext\\x09tab");
        assert_eq!(printable("a\nb", false), "a\\x0Ab");
    }

    #[test]
    fn github_annotations_escape_paths_and_messages() {
        let d =
            Diagnostic::new(Code::BrokenLink, "a,b:c%\n::error::x.md", 3, 2, "50% done\r\n::warning::forged").help("h");
        assert_eq!(
            github_annotation(&d, Some("docs")),
            "::error file=docs/a%2Cb%3Ac%25%0A%3A%3Aerror%3A%3Ax.md,line=3,col=2,title=broken-link::50%25 done%0D%0A::warning::forged%0Ahelp: h"
        );
    }

    #[test]
    fn line_index_counts_chars() {
        let text = "ab\néé x\n";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_col(text, 0), (1, 1));
        let x = text.find('x').unwrap();
        assert_eq!(idx.line_col(text, x), (2, 4));
    }

    #[test]
    fn many_links_on_one_line_count_columns_in_linear_time_and_right_in_any_order() {
        // Columns counted on from the last one asked, forwards; afresh backwards or on another line.
        let text = format!("{}\né[a](b)", "é[a](b) ".repeat(20_000));
        let idx = LineIndex::new(&text);
        let offsets: Vec<usize> = text.match_indices('[').map(|(i, _)| i).collect();
        for (n, &o) in offsets.iter().enumerate().take(20_000) {
            assert_eq!(idx.line_col(&text, o), (1, 2 + 8 * n as u32));
        }
        assert_eq!(idx.line_col(&text, offsets[3]), (1, 26));
        assert_eq!(idx.line_col(&text, *offsets.last().unwrap()), (2, 2));
        assert_eq!(idx.line_col(&text, offsets[1]), (1, 10));
    }
}
