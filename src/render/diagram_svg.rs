//! The inline SVG of a diagram, rebuilt from an allow-list (issue 20): whatever the renderer
//! writes, the page gets only known SVG elements (and plain-text HTML inside `foreignObject`),
//! known presentation attributes, escaped text, and no event handler, script, or link to
//! anything but a safe URL. A tag outside the allow-list is shown as the text of its source
//! (`<img src=x onerror=alert(1)>` in a label reads as that text), so labels stay visible.

use quick_xml::Reader;
use quick_xml::events::{BytesRef, BytesStart, Event};
use rustc_hash::FxHashSet;
use std::borrow::Cow;
use std::sync::OnceLock;

/// SVG elements kept (names as SVG spells them; the HTML parser matches them case-blind).
pub const SVG_ELEMENTS: &[&str] = &[
    "svg",
    "g",
    "path",
    "rect",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "text",
    "tspan",
    "textPath",
    "defs",
    "marker",
    "style",
    "title",
    "desc",
    "foreignObject",
    "linearGradient",
    "radialGradient",
    "stop",
    "clipPath",
    "mask",
    "pattern",
    "symbol",
    "use",
    "switch",
    "filter",
    "feDropShadow",
    "feGaussianBlur",
    "feOffset",
    "feBlend",
    "feFlood",
    "feComposite",
    "feMerge",
    "feMergeNode",
    "feColorMatrix",
    "a",
];

/// HTML elements kept inside `foreignObject` (a label's formatted text); elsewhere the HTML
/// parser would close the SVG at them.
pub const HTML_ELEMENTS: &[&str] =
    &["div", "span", "p", "br", "b", "strong", "i", "em", "u", "s", "del", "code", "sub", "sup", "small"];

/// Attributes kept on any kept element, besides `data-*` and `aria-*`.
pub const ATTRIBUTES: &[&str] = &[
    "id",
    "class",
    "style",
    "role",
    "transform",
    "transform-origin",
    "d",
    "x",
    "y",
    "x1",
    "x2",
    "y1",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "dx",
    "dy",
    "width",
    "height",
    "viewBox",
    "points",
    "fill",
    "fill-opacity",
    "fill-rule",
    "clip-path",
    "clip-rule",
    "clipPathUnits",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-opacity",
    "stroke-miterlimit",
    "opacity",
    "filter",
    "flood-color",
    "flood-opacity",
    "stdDeviation",
    "in",
    "in2",
    "result",
    "mode",
    "operator",
    "values",
    "type",
    "font-family",
    "font-size",
    "font-style",
    "font-weight",
    "text-anchor",
    "dominant-baseline",
    "alignment-baseline",
    "baseline-shift",
    "letter-spacing",
    "textLength",
    "lengthAdjust",
    "startOffset",
    "marker-end",
    "marker-start",
    "marker-mid",
    "markerHeight",
    "markerWidth",
    "markerUnits",
    "orient",
    "refX",
    "refY",
    "offset",
    "stop-color",
    "stop-opacity",
    "gradientUnits",
    "gradientTransform",
    "x-height",
    "fx",
    "fy",
    "spreadMethod",
    "patternUnits",
    "patternContentUnits",
    "maskUnits",
    "preserveAspectRatio",
    "overflow",
    "visibility",
    "display",
    "xmlns",
    "xmlns:xlink",
    "xml:space",
    "name",
    "href",
    "xlink:href",
    "target",
    "rel",
    "title",
];

/// Elements whose content goes with them when they are not kept: shown as text, a script's
/// source is noise.
const DROP_CONTENT: &[&str] = &["script", "noscript", "iframe", "object", "embed", "template"];

/// A list as a set, built once (a diagram has thousands of tags and attributes to look up).
fn set(
    list: &'static [&'static str],
    cell: &'static OnceLock<FxHashSet<&'static str>>,
) -> &'static FxHashSet<&'static str> {
    cell.get_or_init(|| list.iter().copied().collect())
}

fn svg_element(name: &str) -> bool {
    static SET: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    set(SVG_ELEMENTS, &SET).contains(name)
}

fn html_element(name: &str) -> bool {
    static SET: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    set(HTML_ELEMENTS, &SET).contains(name)
}

fn listed_attribute(name: &str) -> bool {
    static SET: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    set(ATTRIBUTES, &SET).contains(name)
}

/// `svg` rebuilt from the allow-list, or why it could not be read.
pub fn clean(svg: &str) -> Result<String, String> {
    let mut reader = Reader::from_str(svg);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    config.allow_dangling_amp = true;
    config.check_comments = false;
    let mut out = Cleaner { html: String::with_capacity(svg.len()), open: Vec::new(), dropping: 0 };
    loop {
        let event = reader.read_event().map_err(|e| format!("the diagram's SVG could not be checked: {e}"))?;
        match event {
            Event::Eof => break,
            Event::Start(e) => out.start(&e, false),
            Event::Empty(e) => out.start(&e, true),
            Event::End(e) => out.end(e.name().as_ref()),
            Event::Text(t) => out.text(&t.html_content()),
            Event::CData(t) => out.text(&t),
            Event::GeneralRef(r) => out.text(&entity(&r)),
            Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    out.close_all();
    Ok(out.html)
}

/// The text an entity reference stands for (an unknown name stays as written, to be escaped).
fn entity(r: &BytesRef<'_>) -> String {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        return c.to_string();
    }
    let name: &str = r;
    match name {
        "amp" => "&".into(),
        "lt" => "<".into(),
        "gt" => ">".into(),
        "quot" => "\"".into(),
        "apos" => "'".into(),
        "nbsp" => "\u{a0}".into(),
        _ => format!("&{name};"),
    }
}

struct Cleaner {
    html: String,
    /// The kept elements open, innermost last.
    open: Vec<String>,
    /// Inside an element whose content is dropped (its depth).
    dropping: usize,
}

impl Cleaner {
    fn in_foreign_object(&self) -> bool {
        self.open.iter().any(|n| n == "foreignObject")
    }

    fn kept(&self, name: &str) -> bool {
        if self.in_foreign_object() { html_element(name) } else { svg_element(name) }
    }

    fn start(&mut self, e: &BytesStart<'_>, empty: bool) {
        let name = e.name().as_ref().to_string();
        if self.dropping > 0 {
            self.dropping += usize::from(!empty);
            return;
        }
        if !self.kept(&name) {
            if DROP_CONTENT.iter().any(|d| d.eq_ignore_ascii_case(&name)) {
                self.dropping = usize::from(!empty);
                return;
            }
            // The tag as the renderer wrote it, shown as text.
            let source: &str = e;
            self.text(&format!("<{source}{}>", if empty { "/" } else { "" }));
            return;
        }
        self.html.push('<');
        self.html.push_str(&name);
        for attr in e.html_attributes().flatten() {
            let key = attr.key.as_ref().to_string();
            let value =
                attr.normalized_value(quick_xml::XmlVersion::Implicit1_0).unwrap_or_else(|_| attr.value.clone());
            if let Some(value) = attribute(&name, &key, &value) {
                self.html.push(' ');
                self.html.push_str(&key);
                self.html.push_str("=\"");
                // Writing to a String cannot fail.
                let _ = pulldown_cmark_escape::escape_html(&mut self.html, &value);
                self.html.push('"');
            }
        }
        // `br` is void in HTML: never left open.
        if empty || name == "br" {
            self.html.push_str("/>");
        } else {
            self.html.push('>');
            self.open.push(name);
        }
    }

    fn end(&mut self, name: &str) {
        if self.dropping > 0 {
            self.dropping -= 1;
            return;
        }
        match self.open.iter().rposition(|n| n == name) {
            Some(i) => {
                while self.open.len() > i {
                    self.close_one();
                }
            }
            None if self.kept(name) || name == "br" => {}
            None => self.text(&format!("</{name}>")),
        }
    }

    fn close_one(&mut self) {
        if let Some(n) = self.open.pop() {
            self.html.push_str("</");
            self.html.push_str(&n);
            self.html.push('>');
        }
    }

    fn close_all(&mut self) {
        while !self.open.is_empty() {
            self.close_one();
        }
    }

    fn text(&mut self, text: &str) {
        if self.dropping > 0 {
            return;
        }
        if self.open.last().is_some_and(|n| n == "style") {
            let _ = pulldown_cmark_escape::escape_html_body_text(&mut self.html, &safe_css(text));
        } else {
            let _ = pulldown_cmark_escape::escape_html_body_text(&mut self.html, text);
        }
    }
}

/// The value kept for attribute `key` of element `element`, if any.
fn attribute<'v>(element: &str, key: &str, value: &'v str) -> Option<Cow<'v, str>> {
    let prefix = |p: &str| key.get(..p.len()).is_some_and(|k| k.eq_ignore_ascii_case(p));
    if prefix("on") {
        return None;
    }
    let listed = listed_attribute(key) || prefix("data-") || prefix("aria-");
    if !listed || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_:.".contains(&b)) {
        return None;
    }
    match key {
        // Links: a diagram's own `#id`s, and on `<a>` the URLs metadata may hold.
        "href" | "xlink:href" => {
            let ok = value.starts_with('#') || (element == "a" && super::url::safe_scheme(value));
            ok.then_some(Cow::Borrowed(value))
        }
        "style" => Some(safe_css(value)),
        _ if value.contains('(') && value.to_ascii_lowercase().contains("url(") => {
            // `fill="url(#gradient)"`, `marker-end="url(#arrow)"`: only references within the page.
            css_urls_local(value).then_some(Cow::Borrowed(value))
        }
        _ => Some(Cow::Borrowed(value)),
    }
}

/// What in CSS could load or run anything: `url()` other than `#id`, `@import`, `expression(`,
/// a `javascript:` or `vbscript:` scheme, `-moz-binding` (a compiled regex: diagrams carry
/// kilobytes of CSS each).
fn css_danger() -> Option<&'static regex::Regex> {
    static RE: OnceLock<Option<regex::Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        regex::Regex::new(
            r#"(?i)@import|expression\s*\(|javascript\s*:|vbscript\s*:|-moz-binding|url\(\s*(?:[^#'"\s]|['"]\s*[^#\s])"#,
        )
        .ok()
    })
    .as_ref()
}

/// Whether `css` holds anything [`css_danger`] names (everything is, should the regex fail).
fn dangerous(css: &str) -> bool {
    css_danger().is_none_or(|re| re.is_match(css))
}

/// `css`, or nothing when it could load or run anything (CSS escapes removed before looking).
fn safe_css(css: &str) -> Cow<'_, str> {
    let danger = if css.contains('\\') { dangerous(&css.replace('\\', "")) } else { dangerous(css) };
    if danger { Cow::Borrowed("") } else { Cow::Borrowed(css) }
}

/// Every `url(` in `value` refers to an element of the page (`url(#x)`, quoted or not).
fn css_urls_local(value: &str) -> bool {
    !dangerous(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_tag_becomes_its_text_and_handlers_go() {
        let svg = r#"<svg id="d" viewBox="0 0 1 1" onload="x()"><g><foreignObject><div><span class="nodeLabel"><img src=x onerror=alert(1)></span></div></foreignObject></g><script>alert(2)</script><text>a &lt; b &amp; c</text></svg>"#;
        let out = clean(svg).unwrap();
        assert!(!out.contains("onload") && !out.contains("<img") && !out.contains("<script"), "{out}");
        assert!(out.contains("&lt;img src=x onerror=alert(1)&gt;"), "{out}");
        assert!(!out.contains("alert(2)"), "{out}");
        assert!(out.contains("<text>a &lt; b &amp; c</text>"), "{out}");
        assert!(out.contains(r#"viewBox="0 0 1 1""#), "{out}");
        assert!(out.ends_with("</svg>"), "{out}");
    }

    #[test]
    fn css_checks_compile_and_keep_page_references() {
        assert!(css_danger().is_some());
        for ok in ["fill:#fff;stroke:url(#g)", "marker-end: url( '#arrow' )", "font-family:\"trebuchet ms\",arial"] {
            assert!(!dangerous(ok), "{ok}");
        }
        for bad in ["background:URL(//e.x/i)", "a{b:url( \"https://e.x\")}", "@IMPORT 'x'", "x:expression (alert(1))"] {
            assert!(dangerous(bad), "{bad}");
        }
        assert_eq!(safe_css("b:u\\rl(//e.x)"), "");
    }

    #[test]
    fn links_and_css_may_only_point_inside_the_page_or_to_safe_urls() {
        let out = clean(
            r##"<svg><a href="javascript:alert(1)"><use xlink:href="https://e.x/s.svg#a"/></a><a href="https://ok.example/">k</a><path marker-end="url(#arrow)" fill="url(https://e.x/t)" style="background:url(//e.x/i)"/><style>@import "//e.x/a.css";</style><p>out</p></svg>"##,
        )
        .unwrap();
        assert!(!out.contains("javascript") && !out.contains("e.x"), "{out}");
        assert!(out.contains(r#"<a href="https://ok.example/">"#), "{out}");
        assert!(out.contains(r##"marker-end="url(#arrow)""##), "{out}");
        // An HTML element outside foreignObject would end the SVG in the HTML parser.
        assert!(out.contains("&lt;p&gt;out&lt;/p&gt;"), "{out}");
    }
}
