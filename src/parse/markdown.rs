//! One pulldown-cmark pass over a document body: HTML with GitHub-style heading ids, the title
//! heading, the leading metadata block, the Status section, relative links (as placeholders,
//! resolved later by the link stage, in Markdown and in raw HTML), GitHub's extended autolinks
//! and the plain text.

use super::meta::{is_known_key, key_value};
use super::scan::{Piece, Scanner};
use crate::diag::LineIndex;
use crate::model::{Heading, RawLink, RawMention};
use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd, html};
use std::collections::HashMap;
use std::ops::Range;

/// Marks a link placeholder in generated HTML: `\0{n}\0`. NUL never survives into parsed text
/// (sources are cleaned of it before parsing), so a placeholder cannot be forged by content.
pub const MARK: char = '\0';

pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Records relative links with their positions and hands out placeholder numbers.
pub struct LinkSink<'a> {
    pub links: Vec<RawLink>,
    pub mentions: Vec<RawMention>,
    /// Unfilled template placeholders (`[Feature Name]`) left in the prose.
    pub placeholders: Vec<RawMention>,
    /// Links written with a space before the URL (`[text] (url)`).
    pub malformed: Vec<RawMention>,
    /// Links whose scheme a page may not link to (`javascript:`, `data:`…): shown as text.
    pub unsafe_urls: Vec<RawMention>,
    text: &'a str,
    lines: &'a LineIndex,
    scanner: &'a Scanner,
}

impl<'a> LinkSink<'a> {
    pub fn new(text: &'a str, lines: &'a LineIndex, scanner: &'a Scanner) -> Self {
        LinkSink {
            links: Vec::new(),
            mentions: Vec::new(),
            placeholders: Vec::new(),
            malformed: Vec::new(),
            unsafe_urls: Vec::new(),
            text,
            lines,
            scanner,
        }
    }

    /// Records a link at byte `offset` of the file and returns its placeholder.
    fn record(&mut self, href: &str, offset: usize, image: bool, wiki: bool) -> String {
        let (line, col) = self.lines.line_col(self.text, offset);
        self.links.push(RawLink { href: href.to_string(), line, col, image, wiki });
        format!("{MARK}{}{MARK}", self.links.len() - 1)
    }

    /// Whether the link to `href` at byte `offset` may be written: when its scheme is unsafe it
    /// is recorded, to be reported, and the link is shown as text.
    fn allowed(&mut self, href: &str, offset: usize) -> bool {
        if crate::render::url::safe_scheme(href) {
            return true;
        }
        let (line, col) = self.lines.line_col(self.text, offset);
        self.unsafe_urls.push(RawMention { text: href.to_string(), line, col });
        false
    }

    /// Scans a run of prose at byte `offset` for bare URLs and e-mail addresses (GitHub's
    /// extended autolinks), mentions and ticket IDs, pushing events.
    fn scan_prose<'e>(&mut self, t: CowStr<'e>, offset: usize, out: &mut Vec<Event<'e>>) {
        let mut links = super::gfm::autolinks(&t);
        // `[text] (https://…)` is a malformed link, reported whole: its URL is not split out.
        links.retain(|l| !t[..l.range.start].ends_with("] ("));
        if links.is_empty() {
            return self.scan_text(t, offset, out);
        }
        let mut last = 0;
        for l in links {
            if l.range.start > last {
                self.scan_text(CowStr::from(t[last..l.range.start].to_string()), offset + last, out);
            }
            out.push(Event::InlineHtml(
                format!("<a href=\"{}\">{}</a>", escape_attr(&l.href), escape_attr(&t[l.range.clone()])).into(),
            ));
            last = l.range.end;
        }
        if last < t.len() {
            self.scan_text(CowStr::from(t[last..].to_string()), offset + last, out);
        }
    }

    /// Raw HTML with the local targets of its `<a href>`, `<img src>` and `<source src|srcset>`
    /// recorded and replaced by placeholders, or `None` when it has none. `offset` is the HTML's
    /// byte offset in the file; `in_comment` says whether an HTML comment is open.
    fn html_links(&mut self, h: &str, offset: usize, in_comment: &mut bool) -> Option<String> {
        let targets: Vec<_> = super::gfm::html_targets(h, in_comment)
            .into_iter()
            .filter(|t| is_relative(&t.value) && !t.value.is_empty())
            .collect();
        if targets.is_empty() {
            return None;
        }
        let mut out = String::with_capacity(h.len() + 8);
        let mut last = 0;
        for t in targets {
            out.push_str(&h[last..t.range.start]);
            out.push_str(&self.record(&t.value, offset + t.range.start, t.image, false));
            last = t.range.end;
        }
        out.push_str(&h[last..]);
        Some(out)
    }

    /// Scans a run of prose at byte `offset` for mentions and ticket IDs, pushing events.
    fn scan_text<'e>(&mut self, t: CowStr<'e>, offset: usize, out: &mut Vec<Event<'e>>) {
        let pieces = self.scanner.scan(&t);
        if let [Piece::Text(_)] = pieces.as_slice() {
            out.push(Event::Text(t));
            return;
        }
        for p in pieces {
            match p {
                Piece::Text(x) => out.push(Event::Text(CowStr::from(x.to_string()))),
                Piece::Mention(m, at) => {
                    let (line, col) = self.lines.line_col(self.text, offset + at);
                    self.mentions.push(RawMention { text: m.to_string(), line, col });
                    out.push(Event::InlineHtml(format!("{MARK}m{}{MARK}", self.mentions.len() - 1).into()));
                }
                Piece::Placeholder(x, at) => {
                    if let Some(pos) = self.source_bracket(x, offset + at) {
                        let (line, col) = self.lines.line_col(self.text, pos);
                        self.placeholders.push(RawMention { text: x.to_string(), line, col });
                    }
                    out.push(Event::Text(CowStr::from(x.to_string())));
                }
                Piece::MalformedLink(x, at) => {
                    if let Some(pos) = self.source_bracket(x, offset + at) {
                        let (line, col) = self.lines.line_col(self.text, pos);
                        self.malformed.push(RawMention { text: x.to_string(), line, col });
                    }
                    out.push(Event::Text(CowStr::from(x.to_string())));
                }
                Piece::Wiki { target, label, at } => {
                    let ph = self.record(target.trim(), offset + at, false, true);
                    out.push(Event::InlineHtml(format!("<a class=\"wiki\" href=\"{ph}\">").into()));
                    out.push(Event::Text(CowStr::from(label.trim().to_string())));
                    out.push(Event::InlineHtml("</a>".into()));
                }
                Piece::External(x, url) => out.push(Event::InlineHtml(
                    format!("<a class=\"ticket\" href=\"{}\">{}</a>", escape_attr(&url), escape_attr(x)).into(),
                )),
            }
        }
    }

    pub fn line_col(&self, offset: usize) -> (u32, u32) {
        self.lines.line_col(self.text, offset)
    }

    /// Where the bracketed text `x`, found at `from` of the joined prose, opens in the source
    /// (escapes make the source longer than the prose); `None` when the source escapes the
    /// bracket (`\[language specific]`): that is text, not a placeholder.
    fn source_bracket(&self, x: &str, from: usize) -> Option<usize> {
        let rest = x.get(1..)?;
        let head = rest.split(['\\', ']']).next().unwrap_or(rest);
        let window = self.text.get(from..)?;
        let found = window.find(head).map(|p| from + p);
        match found {
            Some(p) if p > 0 && self.text[..p].ends_with("\\[") => None,
            Some(p) if p > 0 && self.text[..p].ends_with('[') => Some(p - 1),
            _ => Some(from),
        }
    }
}

/// What a Markdown link becomes: a placeholder resolved later, the link as written, or (for an
/// unsafe scheme) its text followed by its URL as text.
#[derive(Clone, Copy, PartialEq, Eq)]
enum LinkKind {
    Local,
    External,
    Unsafe,
}

impl LinkKind {
    fn of(href: &str, offset: usize, sink: &mut LinkSink<'_>) -> LinkKind {
        if sink.allowed(href, offset) { LinkKind::External } else { LinkKind::Unsafe }
    }
}

/// Whether a link target is local (and so resolved by dossier): relative, or root-relative
/// (`/docs/a.md`, from the repository's top level); no scheme, not `//host`.
pub fn is_relative(href: &str) -> bool {
    if href.is_empty() || href.starts_with("//") {
        return false;
    }
    let scheme_len = href.bytes().take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'.' | b'-')).count();
    !(scheme_len > 0
        && href.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
        && href[scheme_len..].starts_with(':'))
}

/// A `Key: value` line of the leading metadata block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockField {
    pub key: String,
    /// The value as written (Markdown).
    pub value: String,
    /// Byte offset of the value in the file.
    pub offset: usize,
}

/// A line of the Status section (Markdown as written) and its byte offset in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusLine {
    pub text: String,
    pub offset: usize,
}

/// What one pass over the body found.
#[derive(Debug, Default)]
pub struct Body {
    /// The title heading (see `leading_blocks`): text and offset.
    pub title: Option<(String, usize)>,
    pub title_id: Option<String>,
    pub fields: Vec<BlockField>,
    /// The first paragraph under the title when it is short (a possible byline: names, a date).
    pub byline: Option<(String, usize)>,
    /// The first line is the status paragraph; later lines may state relations.
    pub status_lines: Vec<StatusLine>,
    /// Lines of a `## Links` section (MADR 2 / log4brains), which may state relations.
    pub link_lines: Vec<StatusLine>,
    /// Lines of an `## Open Questions` section.
    pub open_questions: Vec<StatusLine>,
    pub headings: Vec<Heading>,
    /// Ids given in raw HTML.
    pub anchors: Vec<String>,
    pub html: String,
    pub text: String,
    /// Mermaid diagrams not rendered: the code block's offset, the line within the block (the
    /// fence is line 0) and why.
    pub diagram_errors: Vec<(usize, usize, String)>,
    /// Code blocks past a highlighting limit, shown plain: as `diagram_errors`.
    pub highlight_limits: Vec<(usize, usize, String)>,
}

/// A top-level block: its event index range and source byte range.
struct Block {
    events: Range<usize>,
    src: Range<usize>,
}

/// Parses the body `text[body_start..]`. Offsets reported are offsets into `text`.
pub fn parse_body(
    text: &str,
    body_start: usize,
    sink: &mut LinkSink<'_>,
    highlighter: Option<&super::highlight::Highlighter>,
    diagrams: Option<&super::diagram::Diagrammer>,
) -> Body {
    // Closing fences followed by whitespace close their block, as on GitHub (offsets kept).
    let normalised = super::gfm::close_fences(&text[body_start..]);
    let body: &str = &normalised;
    let events: Vec<(Event<'_>, Range<usize>)> = Parser::new_ext(body, options())
        .into_offset_iter()
        .map(|(e, r)| (e, r.start + body_start..r.end + body_start))
        .collect();
    let blocks = top_level_blocks(&events);
    let mut out = Body::default();
    let mut skip = vec![false; events.len()];

    let (title_block, meta_blocks) = leading_blocks(text, &events, &blocks);
    if let Some(ti) = title_block {
        let b = &blocks[ti];
        let t = inline_text(&events[b.events.clone()]);
        out.title = Some((t.trim().to_string(), b.src.start));
        skip[b.events.clone()].fill(true);
    }
    out.byline = title_block.and_then(|ti| byline(text, &events, &blocks, ti));
    for (bi, fields, whole) in meta_blocks {
        out.fields.extend(fields);
        if whole {
            skip[blocks[bi].events.clone()].fill(true);
        }
    }
    let top = top_section_level(&events, &blocks, title_block);
    out.status_lines = section_lines(text, &events, &blocks, &["status"], top);
    out.link_lines = section_lines(text, &events, &blocks, &["links", "relations"], top);
    out.open_questions =
        section_lines(text, &events, &blocks, &["open questions", "open issues", "unresolved questions"], None);

    // Heading ids, GitHub style, unique within the page (the title's id is reserved first).
    let mut seen: HashMap<String, usize> = HashMap::new();
    if let Some((t, _)) = &out.title {
        out.title_id = Some(unique_id(&github_id(t), &mut seen));
    }
    let mut diagram_ids: HashMap<u64, usize> = HashMap::new();
    let mut heading_ids: Vec<Option<String>> = vec![None; events.len()];
    for (i, (ev, _)) in events.iter().enumerate() {
        if skip[i] {
            continue;
        }
        if let Event::Start(Tag::Heading { level, id, .. }) = ev {
            let end = find_end(&events, i);
            let t = inline_text(&events[i..=end]);
            let text_trim = t.trim().to_string();
            let hid = match id {
                Some(explicit) => unique_id(explicit, &mut seen),
                None => unique_id(&github_id(&text_trim), &mut seen),
            };
            out.headings.push(Heading { level: *level as u8, id: hid.clone(), text: text_trim });
            heading_ids[i] = Some(hid);
        }
    }

    // HTML and plain text.
    let mut rendered: Vec<Event<'_>> = Vec::with_capacity(events.len());
    let mut link_stack: Vec<LinkKind> = Vec::new();
    // The URLs of the unsafe links open, shown as text at their end.
    let mut unsafe_links: Vec<String> = Vec::new();
    // Open `<a>` tags of raw HTML: their text is a link's, so no autolinks or mentions in it.
    let mut html_link_depth = 0usize;
    // An HTML comment open across the pieces of an HTML block.
    let mut html_comment = false;
    let mut code_depth = 0usize;
    let mut heading_depth = 0usize;
    let mut current_heading: Option<String> = None;
    let mut text_out = String::with_capacity(body.len() / 2);
    let mut i = 0;
    while i < events.len() {
        if skip[i] {
            i += 1;
            continue;
        }
        let (ev, range) = &events[i];
        match ev {
            Event::Start(Tag::Heading { level, classes, attrs, .. }) => {
                heading_depth += 1;
                current_heading = heading_ids[i].clone();
                rendered.push(Event::Start(Tag::Heading {
                    level: *level,
                    id: heading_ids[i].clone().map(CowStr::from),
                    classes: classes.clone(),
                    attrs: attrs.clone(),
                }));
            }
            Event::Start(Tag::Link { link_type, dest_url, title, .. }) => {
                // `<ann@example.com>`: pulldown-cmark writes the `mailto:`.
                let relative = *link_type != LinkType::Email && is_relative(dest_url);
                let kind = if relative { LinkKind::Local } else { LinkKind::of(dest_url, range.start, sink) };
                link_stack.push(kind);
                match kind {
                    LinkKind::Local => {
                        let ph = sink.record(dest_url, range.start, false, false);
                        rendered.push(Event::InlineHtml(format!("<a href=\"{ph}\"{}>", title_attr(title)).into()));
                    }
                    LinkKind::External => rendered.push(ev.clone()),
                    LinkKind::Unsafe => unsafe_links.push(dest_url.to_string()),
                }
            }
            Event::End(TagEnd::Link) => match link_stack.pop() {
                Some(LinkKind::Local) => rendered.push(Event::InlineHtml("</a>".into())),
                Some(LinkKind::Unsafe) => {
                    let url = unsafe_links.pop().unwrap_or_default();
                    rendered.push(Event::Text(format!(" ({url})").into()));
                }
                _ => rendered.push(ev.clone()),
            },
            Event::Start(Tag::Image { dest_url, title, .. }) if is_relative(dest_url) => {
                let end = find_end(&events, i);
                let alt = inline_text(&events[i..=end]);
                let ph = sink.record(dest_url, range.start, true, false);
                rendered.push(Event::InlineHtml(
                    format!("<img src=\"{ph}\" alt=\"{}\"{}>", escape_attr(&alt), title_attr(title)).into(),
                ));
                text_out.push_str(&alt);
                text_out.push(' ');
                i = end + 1;
                continue;
            }
            Event::Text(t) => {
                if link_stack.is_empty() && html_link_depth == 0 && code_depth == 0 && heading_depth == 0 {
                    // pulldown-cmark splits prose at brackets: join contiguous runs so that
                    // `[[wiki links]]` and mentions are seen whole.
                    let mut end = range.end;
                    let mut j = i + 1;
                    let mut joined: Option<String> = None;
                    while let Some((Event::Text(next), r)) = events.get(j) {
                        if skip[j] || r.start != end {
                            break;
                        }
                        joined.get_or_insert_with(|| t.to_string()).push_str(next);
                        end = r.end;
                        j += 1;
                    }
                    let run: CowStr<'_> = joined.map_or_else(|| t.clone(), CowStr::from);
                    text_out.push_str(&run);
                    sink.scan_prose(run, range.start, &mut rendered);
                    i = j;
                    continue;
                }
                text_out.push_str(t);
                if link_stack.is_empty() && html_link_depth == 0 && code_depth == 0 {
                    // A heading: bare URLs link (as on GitHub), mentions do not.
                    push_autolinked(t, &mut rendered);
                } else {
                    rendered.push(ev.clone());
                }
            }
            Event::Code(t) => {
                text_out.push_str(t);
                rendered.push(ev.clone());
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = match kind {
                    pulldown_cmark::CodeBlockKind::Fenced(info) => {
                        info.split([' ', ',', '{']).next().unwrap_or("").to_string()
                    }
                    pulldown_cmark::CodeBlockKind::Indented => String::new(),
                };
                let end = find_end(&events, i);
                let code: String = events[i + 1..end]
                    .iter()
                    .filter_map(|(e, _)| if let Event::Text(t) = e { Some(t.as_ref()) } else { None })
                    .collect();
                // Mermaid becomes inline SVG; a diagram the renderer cannot read stays code, with a warning.
                if let Some(d) = diagrams.filter(|_| lang.eq_ignore_ascii_case("mermaid")) {
                    let hash = super::diagram::content_hash(&code);
                    let n = diagram_ids.entry(hash).or_insert(0usize);
                    *n += 1;
                    let id = if *n == 1 { format!("mermaid-{hash:016x}") } else { format!("mermaid-{hash:016x}-{n}") };
                    match d.render(&code, &id) {
                        Ok(svg) => {
                            rendered.push(Event::Html(format!("<figure class=\"diagram\">{svg}</figure>\n").into()));
                            i = end + 1;
                            continue;
                        }
                        Err(e) => {
                            let fenced = matches!(kind, pulldown_cmark::CodeBlockKind::Fenced(_));
                            let line = e.line.map_or(0, |l| l + usize::from(fenced));
                            out.diagram_errors.push((events[i].1.start, line, e.message));
                        }
                    }
                }
                // Every code block is rendered here: highlighted when a grammar knows the language,
                // escaped otherwise; focusable (`tabindex`), so that keyboards can scroll it.
                // Past a highlighting limit the block is plain code, with a warning.
                if let Some(limit) =
                    highlighter.filter(|h| h.knows(&lang)).and_then(|_| super::highlight::over_limit(&code))
                {
                    let fenced = matches!(kind, pulldown_cmark::CodeBlockKind::Fenced(_));
                    out.highlight_limits.push((events[i].1.start, limit.line + usize::from(fenced), limit.message));
                }
                let (class, inner) = match highlighter.and_then(|h| h.highlight(&lang, &code)) {
                    Some(html) => (" class=\"highlight\"", html),
                    None => ("", escape_attr(&code)),
                };
                let lang_class =
                    if lang.is_empty() { String::new() } else { format!(" class=\"language-{}\"", escape_attr(&lang)) };
                text_out.push_str(&code);
                text_out.push('\n');
                rendered.push(Event::Html(
                    format!("<pre{class} tabindex=\"0\"><code{lang_class}>{inner}</code></pre>\n").into(),
                ));
                i = end + 1;
                continue;
            }
            Event::Html(h) | Event::InlineHtml(h) => {
                html_anchors(h, &mut out.anchors);
                if let Event::InlineHtml(_) = ev {
                    html_link_depth = html_link_nesting(h, html_link_depth);
                }
                // The HTML's place in the file (an HTML block inside a container is given without
                // the container's prefix).
                let at = text
                    .get(range.clone())
                    .and_then(|src| src.find(h.as_ref()))
                    .map_or(range.start, |k| range.start + k);
                match sink.html_links(h, at, &mut html_comment) {
                    Some(html) if matches!(ev, Event::Html(_)) => rendered.push(Event::Html(html.into())),
                    Some(html) => rendered.push(Event::InlineHtml(html.into())),
                    None => rendered.push(ev.clone()),
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                text_out.push(' ');
                rendered.push(ev.clone());
            }
            Event::End(TagEnd::Heading(_)) if current_heading.is_some() => {
                // A link to the section, shown on hover (GitHub's anchors keep working).
                let id = current_heading.take().unwrap_or_default();
                rendered.push(Event::InlineHtml(
                    format!(
                        "<a class=\"anchor\" href=\"#{}\" aria-label=\"Link to this section\">#</a>",
                        escape_attr(&id)
                    )
                    .into(),
                ));
                heading_depth = heading_depth.saturating_sub(1);
                if !text_out.ends_with('\n') {
                    text_out.push('\n');
                }
                rendered.push(ev.clone());
            }
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Heading(_)
                | TagEnd::Item
                | TagEnd::CodeBlock
                | TagEnd::TableCell
                | TagEnd::BlockQuote(_),
            ) => {
                match ev {
                    Event::End(TagEnd::CodeBlock) => code_depth = code_depth.saturating_sub(1),
                    Event::End(TagEnd::Heading(_)) => heading_depth = heading_depth.saturating_sub(1),
                    _ => {}
                }
                if !text_out.ends_with('\n') {
                    text_out.push('\n');
                }
                rendered.push(ev.clone());
            }
            _ => rendered.push(ev.clone()),
        }
        i += 1;
    }
    let mut html_out = String::with_capacity(body.len() * 3 / 2);
    html::push_html(&mut html_out, rendered.into_iter());
    out.html = html_out;
    out.text = text_out;
    out
}

/// Renders a one-line Markdown value (from a metadata block) to inline HTML and plain text,
/// recording its relative links. `offset` is the value's byte offset in the file.
pub fn render_inline(value: &str, offset: usize, sink: &mut LinkSink<'_>) -> (String, String) {
    let mut rendered = Vec::new();
    let mut text = String::new();
    let mut stack = Vec::new();
    let mut unsafe_links: Vec<String> = Vec::new();
    for (ev, range) in Parser::new_ext(value, options()).into_offset_iter() {
        match ev {
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
            Event::Start(Tag::Link { link_type, ref dest_url, ref title, .. }) => {
                let relative = link_type != LinkType::Email && is_relative(dest_url);
                let kind = if relative { LinkKind::Local } else { LinkKind::of(dest_url, offset + range.start, sink) };
                stack.push(kind);
                match kind {
                    LinkKind::Local => {
                        let ph = sink.record(dest_url, offset + range.start, false, false);
                        rendered.push(Event::InlineHtml(format!("<a href=\"{ph}\"{}>", title_attr(title)).into()));
                    }
                    LinkKind::External => rendered.push(ev),
                    LinkKind::Unsafe => unsafe_links.push(dest_url.to_string()),
                }
            }
            Event::End(TagEnd::Link) => match stack.pop() {
                Some(LinkKind::Local) => rendered.push(Event::InlineHtml("</a>".into())),
                Some(LinkKind::Unsafe) => {
                    let url = unsafe_links.pop().unwrap_or_default();
                    text.push_str(&format!(" ({url})"));
                    rendered.push(Event::Text(format!(" ({url})").into()));
                }
                _ => rendered.push(ev),
            },
            // `RFC PR: https://…`: bare URLs link, as on GitHub.
            Event::Text(ref t) if stack.is_empty() => {
                text.push_str(t);
                push_autolinked(t, &mut rendered);
            }
            Event::Text(ref t) | Event::Code(ref t) => {
                text.push_str(t);
                rendered.push(ev);
            }
            Event::SoftBreak | Event::HardBreak => {
                text.push(' ');
                rendered.push(Event::Text(" ".into()));
            }
            // Metadata never carries markup of its own: raw HTML is shown as text.
            Event::Html(h) | Event::InlineHtml(h) => {
                text.push_str(&h);
                rendered.push(Event::Text(h));
            }
            other => rendered.push(other),
        }
    }
    let mut html_out = String::new();
    html::push_html(&mut html_out, rendered.into_iter());
    (html_out.trim().to_string(), text.trim().to_string())
}

/// Pushes a run of text with its bare URLs and e-mail addresses as links.
fn push_autolinked<'e>(t: &CowStr<'e>, out: &mut Vec<Event<'e>>) {
    let links = super::gfm::autolinks(t);
    if links.is_empty() {
        out.push(Event::Text(t.clone()));
        return;
    }
    let mut last = 0;
    for l in links {
        out.push(Event::Text(CowStr::from(t[last..l.range.start].to_string())));
        out.push(Event::InlineHtml(
            format!("<a href=\"{}\">{}</a>", escape_attr(&l.href), escape_attr(&t[l.range.clone()])).into(),
        ));
        last = l.range.end;
    }
    out.push(Event::Text(CowStr::from(t[last..].to_string())));
}

/// Plain text of a Markdown fragment (link syntax and emphasis dropped; code and any raw HTML
/// kept as literal text: metadata never carries markup).
pub fn plain_text(markdown: &str) -> String {
    let mut text = String::new();
    for ev in Parser::new_ext(markdown, options()) {
        match ev {
            Event::Text(t) | Event::Code(t) | Event::Html(t) | Event::InlineHtml(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push('\n'),
            Event::End(TagEnd::Paragraph) => text.push('\n'),
            _ => {}
        }
    }
    text.trim().to_string()
}

/// The number of open raw-HTML `<a>` tags after the inline HTML `h`.
fn html_link_nesting(h: &str, depth: usize) -> usize {
    let b = h.as_bytes();
    let tag = |rest: &[u8]| {
        rest.first().is_some_and(|c| c.eq_ignore_ascii_case(&b'a'))
            && rest.get(1).is_none_or(|c| c.is_ascii_whitespace() || *c == b'>')
    };
    if b.first() != Some(&b'<') {
        depth
    } else if b.get(1) == Some(&b'/') && tag(&b[2..]) {
        depth.saturating_sub(1)
    } else if tag(&b[1..]) {
        depth + 1
    } else {
        depth
    }
}

/// Collects `id="…"` and `name="…"` attribute values from raw HTML.
fn html_anchors(html: &str, out: &mut Vec<String>) {
    for attr in ["id=", "name="] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            let before_ok = i == 0 || rest.as_bytes()[i - 1].is_ascii_whitespace();
            let after = &rest[i + attr.len()..];
            rest = after;
            if !before_ok {
                continue;
            }
            let Some(q) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else { continue };
            if let Some(end) = after[1..].find(q) {
                out.push(after[1..1 + end].to_string());
            }
        }
    }
}

fn title_attr(title: &str) -> String {
    if title.is_empty() { String::new() } else { format!(" title=\"{}\"", escape_attr(title)) }
}

pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // `&`, `<`, `>`, `"` and `'`; writing to a String cannot fail.
    let _ = pulldown_cmark_escape::escape_html(&mut out, s);
    out
}

fn top_level_blocks(events: &[(Event<'_>, Range<usize>)]) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (i, (ev, range)) in events.iter().enumerate() {
        match ev {
            Event::Start(_) => {
                if depth == 0 {
                    start = i;
                }
                depth += 1;
            }
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    blocks.push(Block { events: start..i + 1, src: events[start].1.start..range.end });
                }
            }
            _ if depth == 0 => blocks.push(Block { events: i..i + 1, src: range.clone() }),
            _ => {}
        }
    }
    blocks
}

/// The index of the `End` matching the `Start` at `start`.
fn find_end(events: &[(Event<'_>, Range<usize>)], start: usize) -> usize {
    let mut depth = 0usize;
    for (i, (ev, _)) in events.iter().enumerate().skip(start) {
        match ev {
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ if depth == 0 => return i,
            _ => {}
        }
    }
    events.len() - 1
}

fn is_comment_block(events: &[(Event<'_>, Range<usize>)], b: &Block) -> bool {
    matches!(events[b.events.start].0, Event::Start(Tag::HtmlBlock))
        && events[b.events.clone()].iter().all(|(e, _)| match e {
            Event::Html(h) => {
                let t = h.trim();
                t.is_empty() || (t.starts_with("<!--") || t.ends_with("-->") || !t.starts_with('<'))
            }
            _ => true,
        })
        && events[b.events.clone()]
            .iter()
            .any(|(e, _)| matches!(e, Event::Html(h) if h.trim_start().starts_with("<!--")))
}

/// Plain text of the inline content between a Start and its End.
fn inline_text(events: &[(Event<'_>, Range<usize>)]) -> String {
    let mut t = String::new();
    for (ev, _) in events {
        match ev {
            Event::Text(s) | Event::Code(s) => t.push_str(s),
            Event::SoftBreak | Event::HardBreak => t.push(' '),
            _ => {}
        }
    }
    t
}

/// The lines of a paragraph or of each list item, with their byte offsets in the file.
fn block_lines(text: &str, events: &[(Event<'_>, Range<usize>)], b: &Block) -> Option<Vec<(String, usize)>> {
    match &events[b.events.start].0 {
        // `> Status: Accepted` / `> Date: …`: the quoted lines, without their markers.
        Event::Start(Tag::BlockQuote(_)) => {
            let mut lines = Vec::new();
            let mut off = b.src.start;
            for line in text[b.src.clone()].split_inclusive('\n') {
                let lead = line.len() - line.trim_start().len();
                if let Some(rest) = line[lead..].strip_prefix('>') {
                    let inner = rest.strip_prefix(' ').unwrap_or(rest);
                    let at = off + line.len() - inner.len();
                    if !inner.trim().is_empty() && !inner.trim_start().starts_with('>') {
                        lines.push((inner.trim_end().to_string(), at));
                    }
                }
                off += line.len();
            }
            Some(lines)
        }
        Event::Start(Tag::Paragraph) => {
            let mut lines = Vec::new();
            let mut off = b.src.start;
            for line in text[b.src.clone()].split_inclusive('\n') {
                let trimmed = line.trim_end();
                if !trimmed.trim().is_empty() {
                    lines.push((trimmed.to_string(), off));
                }
                off += line.len();
            }
            Some(lines)
        }
        Event::Start(Tag::List(None)) | Event::Start(Tag::List(Some(_))) => {
            let mut lines = Vec::new();
            let mut depth = 0usize;
            for (ev, range) in &events[b.events.clone()] {
                match ev {
                    Event::Start(Tag::Item) => {
                        depth += 1;
                        if depth == 1 {
                            let raw = &text[range.clone()];
                            let first = raw.lines().next().unwrap_or("");
                            let lead = first.len() - first.trim_start().len();
                            let rest = &first[lead..];
                            let marker = list_marker_len(rest)?;
                            let mut item = rest[marker..].trim_end().to_string();
                            // `* Authors:` with the names as a nested list: the names are the value.
                            let mut nested: Vec<&str> = Vec::new();
                            for cont in raw.lines().skip(1) {
                                let c = cont.trim();
                                if c.is_empty() && nested.is_empty() {
                                    break;
                                }
                                match list_marker_len(c) {
                                    Some(m) if item.ends_with(':') || !nested.is_empty() => nested.push(c[m..].trim()),
                                    Some(_) => break,
                                    None if c.is_empty() => {}
                                    None if nested.is_empty() => {
                                        item.push(' ');
                                        item.push_str(c);
                                    }
                                    None => break,
                                }
                            }
                            if !nested.is_empty() {
                                item.push(' ');
                                item.push_str(&nested.join(", "));
                            }
                            lines.push((item, range.start + lead + marker));
                        }
                    }
                    Event::End(TagEnd::Item) => depth -= 1,
                    _ => {}
                }
            }
            Some(lines)
        }
        _ => None,
    }
}

fn list_marker_len(s: &str) -> Option<usize> {
    if s.starts_with("- ") || s.starts_with("* ") || s.starts_with("+ ") {
        return Some(2);
    }
    let digits = s.bytes().take_while(u8::is_ascii_digit).count();
    if digits > 0 && (s[digits..].starts_with(". ") || s[digits..].starts_with(") ")) {
        return Some(digits + 2);
    }
    None
}

/// The fields of a metadata block, if `b` is one: `Key: value` lines (a paragraph or list), or a
/// table of key/value rows; a key is bold or one dossier knows. The flag is false when only the
/// first lines of a paragraph are metadata and prose follows (the block then stays in the body).
fn meta_fields(text: &str, events: &[(Event<'_>, Range<usize>)], b: &Block) -> Option<(Vec<BlockField>, bool)> {
    if let Some(fields) = table_fields(text, events, b) {
        return Some((fields, true));
    }
    let lines = block_lines(text, events, b)?;
    if lines.is_empty() {
        return None;
    }
    let mut fields: Vec<BlockField> = Vec::new();
    let mut credible = false;
    let mut whole = true;
    let is_paragraph = matches!(events[b.events.start].0, Event::Start(Tag::Paragraph | Tag::BlockQuote(_)));
    for (line, off) in &lines {
        let Some(kv) = key_value(line) else {
            match fields.last_mut() {
                // A wrapped value continues on the next line of the paragraph.
                Some(last) if is_paragraph && continues(&last.value, line) => {
                    last.value.push(' ');
                    last.value.push_str(&strip_comments(line.trim()));
                    continue;
                }
                // Prose after the metadata lines: keep the paragraph in the body.
                Some(_) if is_paragraph => {
                    whole = false;
                    break;
                }
                // A list item without a key among keyed ones (`* [Review thread](…)`): shown
                // in the metadata table without a key.
                _ if !is_paragraph => {
                    fields.push(BlockField { key: String::new(), value: strip_comments(line), offset: *off });
                    continue;
                }
                _ => return None,
            }
        };
        credible |= kv.bold || is_known_key(&super::meta::norm_key(kv.key));
        let value = strip_comments(kv.value);
        fields.push(BlockField { key: kv.key.to_string(), value, offset: off + kv.value_offset });
    }
    let keyed = fields.iter().filter(|f| !f.key.is_empty()).count();
    (credible && keyed * 2 >= fields.len()).then_some((fields, whole))
}

/// Whether a line without a key continues the value before it (a wrapped author list or story),
/// rather than starting prose: it starts in lower case, or the value ends with a comma or `and`.
fn continues(value: &str, line: &str) -> bool {
    let v = value.trim_end();
    let l = line.trim_start();
    v.ends_with(',') || v.ends_with(" and") || v.ends_with('&') || l.starts_with(|c: char| c.is_lowercase())
}

/// Removes HTML comments (`Ann <!-- optional -->` → `Ann`) from a metadata value.
pub fn strip_comments(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(i) = rest.find("<!--") {
        out.push_str(&rest[..i]);
        match rest[i..].find("-->") {
            Some(j) => rest = &rest[i + j + 3..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out.trim().to_string()
}

/// A key/value table under the title: `| Status | Accepted |`, `| **Author(s)** | Ann |`, with or
/// without a header row (a header of generic words such as `Field | Value` is skipped), separator
/// rows of any alignment. Read from the source lines, so a table that GitHub shows but the
/// Markdown parser read as a paragraph counts too.
fn table_fields(text: &str, events: &[(Event<'_>, Range<usize>)], b: &Block) -> Option<Vec<BlockField>> {
    let is_table = matches!(events[b.events.start].0, Event::Start(Tag::Table(_)));
    let is_paragraph = matches!(events[b.events.start].0, Event::Start(Tag::Paragraph));
    if !is_table && !is_paragraph {
        return None;
    }
    let mut fields: Vec<BlockField> = Vec::new();
    let mut credible = false;
    let mut off = b.src.start;
    let mut rows = 0;
    for line in text[b.src.clone()].split_inclusive('\n') {
        let line_start = off;
        off += line.len();
        let l = line.trim();
        if l.is_empty() {
            continue;
        }
        if !l.contains('|') {
            // `:   : (more text)  :` continues the value above in some hand-made tables.
            let cont = l.strip_prefix(':').and_then(|r| r.trim().strip_suffix(':')).map(str::trim);
            match (cont, fields.last_mut()) {
                (Some(c), Some(last)) => {
                    if !c.is_empty() {
                        last.value.push(' ');
                        last.value.push_str(c);
                    }
                    continue;
                }
                _ => return None,
            }
        }
        let cells = table_cells(line);
        if cells.iter().all(|(c, _)| is_separator_cell(c)) {
            continue;
        }
        rows += 1;
        let n = rows - 1;
        if n == 0 && cells.iter().all(|(c, _)| c.trim().is_empty()) {
            continue; // an empty header row: `| | |`
        }
        if let [(key, _)] = cells.as_slice() {
            // A key with no value cell at all (`| **RFC #** |`): nothing to read.
            table_key(key)?;
            continue;
        }
        let [(key, _), (value, value_at), ..] = cells.as_slice() else { return None };
        if key.trim().is_empty() {
            // A row without a key continues the value above it (a long author list).
            let last: &mut BlockField = fields.last_mut()?;
            let joiner = if last.value.ends_with(',') || value.starts_with(['(', ',']) { " " } else { ", " };
            if !value.trim().is_empty() {
                last.value.push_str(joiner);
                last.value.push_str(&strip_comments(value));
            }
            continue;
        }
        let key = table_key(key)?;
        let norm = super::meta::norm_key(&key);
        if n == 0 && is_header_row(&norm, value) {
            continue;
        }
        credible |= is_known_key(&norm) || is_known_key(norm.trim_end_matches("(s)"));
        let value = strip_comments(value);
        fields.push(BlockField { key, value, offset: line_start + value_at });
    }
    (credible && !fields.is_empty()).then_some(fields)
}

/// The cells of a table row with each cell's trimmed text and its offset in the line; `\|` does
/// not split.
fn table_cells(line: &str) -> Vec<(String, usize)> {
    let body = line.trim_end();
    let lead = body.len() - body.trim_start().len();
    let mut inner = &body[lead..];
    let mut base = lead;
    if let Some(r) = inner.strip_prefix('|') {
        inner = r;
        base += 1;
    }
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut cells = Vec::new();
    let mut start = 0;
    let bytes = inner.as_bytes();
    let push = |from: usize, to: usize, cells: &mut Vec<(String, usize)>| {
        let raw = &inner[from..to];
        let skipped = raw.len() - raw.trim_start().len();
        cells.push((raw.trim().replace("\\|", "|"), base + from + skipped));
    };
    for i in 0..bytes.len() {
        if bytes[i] == b'|' && (i == 0 || bytes[i - 1] != b'\\') {
            push(start, i, &mut cells);
            start = i + 1;
        }
    }
    push(start, inner.len(), &mut cells);
    cells
}

fn is_separator_cell(c: &str) -> bool {
    let t = c.trim();
    !t.is_empty() && t.trim_matches(':').chars().all(|ch| ch == '-') && t.contains('-')
}

/// A table's key cell as a key: emphasis and a trailing colon dropped; short and starting with a
/// letter.
fn table_key(cell: &str) -> Option<String> {
    let k = cell.trim().trim_matches(['*', '_']).trim().trim_end_matches(':').trim().trim_matches(['*', '_']).trim();
    let ok = !k.is_empty()
        && k.len() <= 40
        && k.split_whitespace().count() <= 5
        && k.chars().next().is_some_and(char::is_alphabetic)
        && k.chars().all(|c| c.is_alphanumeric() || " -_/()#'.&".contains(c));
    ok.then(|| k.to_string())
}

/// A header row of generic words (`Field | Value`, `Key | Description`) or with an empty value.
fn is_header_row(norm_key: &str, value: &str) -> bool {
    let v = value.trim().trim_matches(['*', '_']).to_lowercase();
    v.is_empty()
        || (matches!(norm_key, "field" | "key" | "property" | "attribute" | "name" | "item" | "metadata" | "meta")
            && matches!(v.as_str(), "value" | "values" | "details" | "description" | "info"))
}

/// The lines (paragraph lines and list items) of the first section whose heading is one of
/// `names` (case-insensitive), in order. With `level`, only a section at that heading level counts
/// (a document's own Status section, not a `### Status` inside a design section); without it,
/// any level from 2 down.
fn section_lines(
    text: &str,
    events: &[(Event<'_>, Range<usize>)],
    blocks: &[Block],
    names: &[&str],
    level: Option<HeadingLevel>,
) -> Vec<StatusLine> {
    let mut out = Vec::new();
    let mut in_section: Option<HeadingLevel> = None;
    for b in blocks {
        if let Event::Start(Tag::Heading { level: l, .. }) = events[b.events.start].0 {
            if let Some(open) = in_section
                && l <= open
            {
                break;
            }
            let eligible = match level {
                Some(top) => l == top,
                None => l >= HeadingLevel::H2,
            };
            if in_section.is_none() && eligible {
                let t = inline_text(&events[b.events.clone()]);
                let t = t.trim().trim_end_matches(':');
                if names.iter().any(|n| t.eq_ignore_ascii_case(n)) {
                    in_section = Some(l);
                } else if let Some((value, at)) = heading_value(text, b, names) {
                    // `## Status: Accepted`: the heading states the value itself.
                    out.push(StatusLine { text: value, offset: at });
                    in_section = Some(l);
                }
            }
            continue;
        }
        if in_section.is_some()
            && let Some(lines) = block_lines(text, events, b)
        {
            out.extend(lines.into_iter().map(|(t, offset)| StatusLine { text: t.trim().to_string(), offset }));
        }
    }
    out
}

/// The value a heading states after one of `names` and a colon or dash (`## Status: Accepted`),
/// with its offset in the file.
fn heading_value(text: &str, b: &Block, names: &[&str]) -> Option<(String, usize)> {
    let src = &text[b.src.clone()];
    let line = src.lines().next()?;
    let body = line.trim_start_matches('#').trim_start();
    let lower = body.to_ascii_lowercase();
    let name = names.iter().find(|n| lower.starts_with(*n))?;
    let rest = body[name.len()..].trim_start();
    let value = rest.strip_prefix([':', '-', '–', '—'])?.trim().trim_end_matches('#').trim();
    if value.is_empty() {
        return None;
    }
    // `value` is a slice of `src`: its offset in the file follows from the two pointers.
    let at = b.src.start + (value.as_ptr() as usize - src.as_ptr() as usize);
    Some((value.to_string(), at.min(b.src.end)))
}

/// The level of a document's own sections: the level of the first heading after the title, or
/// the highest level used when there is no title heading.
fn top_section_level(
    events: &[(Event<'_>, Range<usize>)],
    blocks: &[Block],
    title: Option<usize>,
) -> Option<HeadingLevel> {
    let headings = blocks.iter().enumerate().filter_map(|(i, b)| match events[b.events.start].0 {
        Event::Start(Tag::Heading { level, .. }) => Some((i, level)),
        _ => None,
    });
    match title {
        Some(t) => headings.filter(|(i, _)| *i > t).map(|(_, l)| l).next(),
        None => headings.map(|(_, l)| l).min(),
    }
}

/// Section names that are never a document's title ("Summary", "Motivation", …): a document
/// that starts with one of them has no title heading.
const SECTION_NAMES: &[&str] = &[
    "summary",
    "abstract",
    "introduction",
    "intro",
    "motivation",
    "background",
    "context",
    "context and problem statement",
    "overview",
    "status",
    "problem",
    "problem statement",
    "goals",
    "objective",
    "objectives",
    "proposal",
    "design",
    "detailed design",
    "decision",
    "decision outcome",
    "table of contents",
    "contents",
    "toc",
    "rationale",
    "description",
    "scope",
    "requirements",
    "terminology",
    "glossary",
    "references",
    "notes",
    "changelog",
    "history",
    "metadata",
    "links",
    "considered options",
    "consequences",
    "alternatives",
    "drawbacks",
    "prior art",
    "unresolved questions",
    "future possibilities",
    "guide-level explanation",
    "reference-level explanation",
    "how we teach this",
    "acknowledgements",
    "acknowledgments",
    "authors",
    "tl;dr",
    "tldr",
];

/// Whether a heading's text is a section name rather than the document's name.
pub fn is_section_name(text: &str) -> bool {
    let t = text.trim().trim_end_matches(':').trim().to_lowercase();
    SECTION_NAMES.contains(&t.as_str())
}

/// A heading text that names its document by a label (`Proposal: Go install`, `Design: X`,
/// `RFC 42: X`): such a heading is the title at any level.
fn is_labelled_title(text: &str) -> bool {
    let stripped = super::meta::strip_title_prefix(text);
    stripped.len() < text.trim().len() && !stripped.is_empty()
}

/// A metadata block: its index among the blocks, its fields, and whether it is metadata as a whole.
type MetaBlock = (usize, Vec<BlockField>, bool);

/// Finds the title heading and the metadata blocks among the leading blocks: HTML comments, badge
/// lines, a table of contents and metadata blocks (key/value lines, bullets, a key/value table)
/// may stand before the title; metadata blocks may follow it. The title is the first H1 unless it
/// is a section name (`# Summary`); with no H1 in the document, the first heading when it names
/// the document. Returns the title's block and each metadata block with its fields and whether the
/// block is metadata as a whole (hidden from the body) or only begins with it.
fn leading_blocks(
    text: &str,
    events: &[(Event<'_>, Range<usize>)],
    blocks: &[Block],
) -> (Option<usize>, Vec<MetaBlock>) {
    let h1s = blocks.iter().filter(|b| heading_level_of(events, b) == Some(1)).count();
    let has_h1 = h1s > 0;
    let mut title = None;
    let mut metas = Vec::new();
    let mut i = 0;
    while let Some(b) = blocks.get(i) {
        if let Some(level) = heading_level_of(events, b) {
            let t = inline_text(&events[b.events.clone()]);
            // A section name (`# Summary`) names the document only when it is the document's one
            // H1 and nothing stands before it (`# Notes` in `notes.md`).
            let section = is_section_name(&t) && !(level == 1 && h1s == 1 && metas.is_empty());
            let names = (level == 1 || !has_h1) && !section;
            if title.is_none() && (names || (!has_h1 && is_labelled_title(&t))) {
                title = Some(i);
                i += 1;
                continue;
            }
            break;
        }
        if is_comment_block(events, b) || is_decoration(events, b) {
            i += 1;
            continue;
        }
        match meta_fields(text, events, b) {
            Some((fields, whole)) => {
                metas.push((i, fields, whole));
                i += 1;
                if !whole {
                    break;
                }
            }
            None => break,
        }
    }
    if title.is_none() {
        // An H1 after an opening paragraph or note is still the title, unless it is a section;
        // metadata blocks may follow it.
        // Only a document's one H1: where several follow an introduction, they are its sections.
        title = blocks.iter().position(|b| heading_level_of(events, b).is_some()).filter(|&h| {
            h1s == 1
                && heading_level_of(events, &blocks[h]) == Some(1)
                && !is_section_name(&inline_text(&events[blocks[h].events.clone()]))
        });
        if let Some(t) = title {
            let mut i = t + 1;
            while let Some(b) = blocks.get(i) {
                if is_comment_block(events, b) || is_decoration(events, b) {
                    i += 1;
                    continue;
                }
                let Some((fields, whole)) = meta_fields(text, events, b) else { break };
                metas.push((i, fields, whole));
                i += 1;
                if !whole {
                    break;
                }
            }
        }
    }
    (title, metas)
}

/// The block right after the title, when it is a short paragraph (at most two lines of at most
/// 100 characters) that is not metadata: the parse stage decides whether it is a byline.
fn byline(text: &str, events: &[(Event<'_>, Range<usize>)], blocks: &[Block], title: usize) -> Option<(String, usize)> {
    let b = blocks.get(title + 1)?;
    if !matches!(events[b.events.start].0, Event::Start(Tag::Paragraph)) {
        return None;
    }
    let src = &text[b.src.clone()];
    let lines: Vec<&str> = src.lines().filter(|l| !l.trim().is_empty()).collect();
    let short = (1..=2).contains(&lines.len()) && lines.iter().all(|l| l.trim().chars().count() <= 100);
    (short && key_value(lines[0]).is_none())
        .then(|| (lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join("\n"), b.src.start))
}

fn heading_level_of(events: &[(Event<'_>, Range<usize>)], b: &Block) -> Option<u8> {
    match events[b.events.start].0 {
        Event::Start(Tag::Heading { level, .. }) => Some(level as u8),
        _ => None,
    }
}

/// Blocks a reader skips on the way to the title: badge lines (only images and links to them),
/// raw HTML blocks (a centred logo), thematic breaks and a table of contents (a list of links to
/// `#anchors`).
fn is_decoration(events: &[(Event<'_>, Range<usize>)], b: &Block) -> bool {
    let evs = &events[b.events.clone()];
    match &evs[0].0 {
        Event::Rule => true,
        Event::Start(Tag::HtmlBlock) => true,
        Event::Start(Tag::Paragraph) => {
            let mut images = 0;
            let mut in_image = 0usize;
            for (e, _) in evs {
                match e {
                    Event::Start(Tag::Image { .. }) => {
                        images += 1;
                        in_image += 1;
                    }
                    Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
                    Event::Text(t) if in_image == 0 && !t.trim().is_empty() => return false,
                    Event::Code(_) => return false,
                    _ => {}
                }
            }
            images > 0
        }
        Event::Start(Tag::List(_)) => {
            let links: Vec<&str> = evs
                .iter()
                .filter_map(|(e, _)| match e {
                    Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.as_ref()),
                    _ => None,
                })
                .collect();
            let items = evs.iter().filter(|(e, _)| matches!(e, Event::Start(Tag::Item))).count();
            !links.is_empty() && links.len() >= items && links.iter().all(|l| l.starts_with('#'))
        }
        _ => false,
    }
}

/// GitHub's heading anchor: lower-case; letters, digits, `-`, `_` kept; spaces become `-`.
pub fn github_id(text: &str) -> String {
    let mut id = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            id.extend(c.to_lowercase());
        } else if c == ' ' {
            id.push('-');
        }
    }
    id
}

fn unique_id(base: &str, seen: &mut HashMap<String, usize>) -> String {
    let base = if base.is_empty() { "section" } else { base };
    let Some(&start) = seen.get(base) else {
        seen.insert(base.to_string(), 0);
        return base.to_string();
    };
    let mut n = start;
    loop {
        n += 1;
        let candidate = format!("{base}-{n}");
        if !seen.contains_key(&candidate) {
            seen.insert(base.to_string(), n);
            seen.insert(candidate.clone(), 0);
            return candidate;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Body, Vec<RawLink>) {
        let lines = LineIndex::new(text);
        let scanner = Scanner::new(&["ADR".to_string()], &[]).unwrap();
        let mut sink = LinkSink::new(text, &lines, &scanner);
        let body = parse_body(text, 0, &mut sink, None, None);
        (body, sink.links)
    }

    #[test]
    fn title_and_bold_metadata_removed_from_body() {
        let (b, _) = parse("# Technical Design: X\n\n**Date:** 2024-01-01\n**Status:** Approved\n\n## Goals\n\nText\n");
        assert_eq!(b.title.as_ref().unwrap().0, "Technical Design: X");
        assert_eq!(
            b.fields.iter().map(|f| (f.key.as_str(), f.value.as_str())).collect::<Vec<_>>(),
            [("Date", "2024-01-01"), ("Status", "Approved")]
        );
        assert!(!b.html.contains("Approved"));
        assert!(b.html.contains("<h2 id=\"goals\">Goals<a class=\"anchor\" href=\"#goals\""), "{}", b.html);
    }

    #[test]
    fn bullet_metadata_without_title() {
        let text = "- Feature Name: `box_syntax`\n- Start Date: 2014-03-11\n- RFC PR: [rust-lang/rfcs#1](https://example.org/1)\n\n# Summary\n\nBody.\n";
        let (b, _) = parse(text);
        assert!(b.title.is_none());
        assert_eq!(b.fields.len(), 3);
        assert_eq!(b.fields[0].value, "`box_syntax`");
        assert_eq!(&text[b.fields[1].offset..b.fields[1].offset + 10], "2014-03-11");
        assert!(b.html.contains("<h1 id=\"summary\">Summary<a class=\"anchor\" href=\"#summary\""));
    }

    #[test]
    fn wrapped_values_continue() {
        let (b, _) =
            parse("# T\n\n- Status: accepted\n\nTechnical Story: a long story\nthat wraps here.\n\n## Context\n");
        let got: Vec<_> = b.fields.iter().map(|f| (f.key.as_str(), f.value.as_str())).collect();
        assert_eq!(got, [("Status", "accepted"), ("Technical Story", "a long story that wraps here.")]);
    }

    #[test]
    fn ordinary_paragraph_is_not_metadata() {
        let (b, _) = parse("# T\n\nNote: this is prose, not metadata.\n");
        assert!(b.fields.is_empty());
        assert!(b.html.contains("Note: this is prose"));
    }

    #[test]
    fn status_section_lines() {
        let (b, _) = parse(
            "# 3. T\n\nDate: 2020-01-01\n\n## Status\n\nAccepted\n\nSupersedes [1. A](0001-a.md)\n\nAmended by [9. B](0009-b.md)\n\n## Context\n\nStatus: none\n",
        );
        let lines: Vec<_> = b.status_lines.iter().map(|l| l.text.as_str()).collect();
        assert_eq!(lines, ["Accepted", "Supersedes [1. A](0001-a.md)", "Amended by [9. B](0009-b.md)"]);
    }

    #[test]
    fn heading_ids_are_github_compatible() {
        let (b, _) = parse(
            "# Title\n\n## Pros & Cons\n\n## Pros & Cons\n\n### `code` Here_now!\n\n## Title\n\n## Über Straße {#custom}\n",
        );
        let ids: Vec<_> = b.headings.iter().map(|h| h.id.as_str()).collect();
        assert_eq!(ids, ["pros--cons", "pros--cons-1", "code-here_now", "title-1", "custom"]);
        assert_eq!(b.title_id.as_deref(), Some("title"));
    }

    #[test]
    fn relative_links_become_placeholders_with_positions() {
        let (b, links) =
            parse("# T\n\nSee [a](../adr/0001-a.md#x) and [b](https://e.org) and ![fig](fig.png \"F\").\n");
        assert_eq!(links.len(), 2);
        assert_eq!((links[0].href.as_str(), links[0].line, links[0].col), ("../adr/0001-a.md#x", 3, 5));
        assert!(links[1].image);
        assert!(b.html.contains("<a href=\"\u{0}0\u{0}\">a</a>"), "{}", b.html);
        assert!(b.html.contains("<img src=\"\u{0}1\u{0}\" alt=\"fig\" title=\"F\">"), "{}", b.html);
        assert!(b.html.contains("href=\"https://e.org\""));
    }

    #[test]
    fn mentions_and_wiki_links_outside_code_and_links() {
        let text = "# T\n\nSee ADR-0002 and [[ADR-0003]] and [[intro|the intro]].\n\n`ADR-0004` [ADR-0005](x.md) [[4]](https://e.org/4)\n\n```\nADR-0006 [[x]]\n```\n\n## ADR-0007 heading\n\n<a id=\"raw-anchor\"></a>\n";
        let lines = LineIndex::new(text);
        let scanner = Scanner::new(&["ADR".to_string()], &[]).unwrap();
        let mut sink = LinkSink::new(text, &lines, &scanner);
        let body = parse_body(text, 0, &mut sink, None, None);
        let m: Vec<_> = sink.mentions.iter().map(|m| (m.text.as_str(), m.line, m.col)).collect();
        assert_eq!(m, [("ADR-0002", 3, 5)]);
        let wiki: Vec<_> = sink.links.iter().filter(|l| l.wiki).map(|l| (l.href.as_str(), l.col)).collect();
        assert_eq!(wiki, [("ADR-0003", 18), ("intro", 35)]);
        assert!(body.html.contains("See \u{0}m0\u{0} and"), "{}", body.html);
        assert!(body.html.contains("<a class=\"wiki\" href=\"\u{0}1\u{0}\">the intro</a>"), "{}", body.html);
        assert!(
            body.html.contains("<a href=\"https://e.org/4\">[4]</a>"),
            "GitHub's reading of [[4]](url): {}",
            body.html
        );
        assert_eq!(body.anchors, ["raw-anchor"]);
    }

    #[test]
    fn autolinks_email_and_raw_html_targets() {
        let text = "# T\n\nMail <ann@example.com>, see https://e.org/x. `https://e.org/code`\n\n<img src=\"fig.png\"> <a href=\"b.md\">https://e.org/in-a</a>\n";
        let (b, links) = parse(text);
        assert!(b.html.contains("<a href=\"mailto:ann@example.com\">ann@example.com</a>"), "{}", b.html);
        assert!(b.html.contains("see <a href=\"https://e.org/x\">https://e.org/x</a>."), "{}", b.html);
        assert!(b.html.contains("<code>https://e.org/code</code>"), "{}", b.html);
        assert!(b.html.contains("<a href=\"\u{0}1\u{0}\">https://e.org/in-a</a>"), "{}", b.html);
        let got: Vec<_> = links.iter().map(|l| (l.href.as_str(), l.line, l.col, l.image)).collect();
        assert_eq!(got, [("fig.png", 5, 11, true), ("b.md", 5, 30, false)]);
        let lines = LineIndex::new(text);
        let scanner = Scanner::new(&[], &[]).unwrap();
        let mut sink = LinkSink::new(text, &lines, &scanner);
        let (html, _) = render_inline("https://github.com/r/1 and <a@b.org>", 0, &mut sink);
        assert_eq!(
            html,
            "<a href=\"https://github.com/r/1\">https://github.com/r/1</a> and <a href=\"mailto:a@b.org\">a@b.org</a>"
        );
    }

    #[test]
    fn relative_detection() {
        assert!(is_relative("a.md"));
        assert!(is_relative("../a.md#x"));
        assert!(is_relative("#x"));
        assert!(!is_relative("https://x"));
        assert!(!is_relative("mailto:a@b"));
        assert!(is_relative("/docs/abs.md"));
        assert!(!is_relative("//cdn"));
    }

    #[test]
    fn mid_document_rule_keeps_content() {
        let (b, _) = parse("# T\n\nintro\n\n---\nfoo: bar\n## Kept heading\n\n---\n");
        assert!(b.html.contains("Kept heading"));
    }

    #[test]
    fn comment_before_title_is_skipped() {
        let (b, _) = parse("<!-- note -->\n\n# Architecture knowledge base\n\nWelcome.\n");
        assert_eq!(b.title.unwrap().0, "Architecture knowledge base");
    }
}
