//! Front matter: YAML between `---` lines or TOML between `+++` lines, split off by hand
//! (pulldown-cmark's metadata-block option swallows a mid-document `---`).

use serde_json::{Map, Value};

/// Where the front matter was and what it held.
#[derive(Debug)]
pub struct FrontMatter {
    /// Keys in the order written.
    pub map: Map<String, Value>,
    /// The front matter's text (without fences) and its first line number in the file.
    pub text_start_line: u32,
    pub raw: String,
}

/// A front matter block that could not be read, with its position in the file.
#[derive(Debug, PartialEq, Eq)]
pub struct FrontMatterError {
    pub line: u32,
    pub col: u32,
    pub message: String,
}

/// The result of splitting: the parsed block (if any) and the byte offset where the body starts.
pub struct Split {
    pub front_matter: Option<Result<FrontMatter, FrontMatterError>>,
    pub body_start: usize,
}

/// Splits front matter from the start of `text`. An opening fence without a closing one is not
/// front matter (it is a thematic break), so nothing is lost.
pub fn split(text: &str) -> Split {
    let none = Split { front_matter: None, body_start: 0 };
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    let fence = text[..first_line_end].trim_end();
    let yaml = match fence {
        "---" => true,
        "+++" => false,
        _ => return none,
    };
    // Find the closing fence.
    let mut offset = first_line_end;
    while offset < text.len() {
        let end = text[offset..].find('\n').map_or(text.len(), |i| offset + i + 1);
        let line = text[offset..end].trim_end();
        let closes = if yaml { line == "---" || line == "..." } else { line == "+++" };
        if closes {
            let raw = &text[first_line_end..offset];
            let parsed = if yaml { parse_yaml(raw) } else { parse_toml(raw) };
            let fm = parsed
                .map(|map| FrontMatter { map, text_start_line: 2, raw: raw.to_string() })
                .map_err(|(l, c, message)| FrontMatterError { line: l + 1, col: c, message });
            return Split { front_matter: Some(fm), body_start: end };
        }
        offset = end;
    }
    unclosed(text, first_line_end, yaml).unwrap_or(none)
}

/// An opening fence never closed, followed by a line that reads as a key (`title: X`,
/// `title = "X"`): front matter whose keys would vanish silently, so an error to warn about
/// (the body still starts at the top, so nothing is lost). A `---` rule before text is not.
fn unclosed(text: &str, first_line_end: usize, yaml: bool) -> Option<Split> {
    let next = text[first_line_end..].lines().next()?.trim();
    let (key, _) = next.split_once(if yaml { ':' } else { '=' })?;
    let key = key.trim().trim_matches('"');
    let keyish = !key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' '));
    keyish.then(|| Split {
        front_matter: Some(Err(FrontMatterError {
            line: 1,
            col: 1,
            message: format!(
                "the front matter opened with `{}` on line 1 is never closed, so its keys (such as `{key}`) are not read",
                if yaml { "---" } else { "+++" }
            ),
        })),
        body_start: 0,
    })
}

/// YAML → ordered JSON map. Errors carry a line relative to the YAML text (1-based).
fn parse_yaml(raw: &str) -> Result<Map<String, Value>, (u32, u32, String)> {
    if raw.trim().is_empty() {
        return Ok(Map::new());
    }
    match serde_saphyr::from_str::<Value>(raw) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(Value::Null) => Ok(Map::new()),
        Ok(other) => Err((1, 1, format!("front matter is a {}, not a mapping of keys to values", kind_name(&other)))),
        Err(e) => {
            let (line, col) = e.location().map_or((1, 1), |l| (l.line() as u32, l.column() as u32));
            let message = first_line(&e.to_string());
            Err((line.max(1), col.max(1), message))
        }
    }
}

/// TOML → ordered JSON map; dates become strings.
fn parse_toml(raw: &str) -> Result<Map<String, Value>, (u32, u32, String)> {
    match raw.parse::<toml::Table>() {
        Ok(table) => Ok(table.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect()),
        Err(e) => {
            let (line, col) = e.span().map_or((1, 1), |s| {
                let before = &raw[..s.start.min(raw.len())];
                let line = before.matches('\n').count() as u32 + 1;
                let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
                (line, col)
            });
            Err((line, col, e.message().trim().to_string()))
        }
    }
}

fn toml_to_json(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::from(i),
        toml::Value::Float(f) => Value::from(f),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect()),
    }
}

fn kind_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "list",
        Value::Object(_) => "mapping",
    }
}

/// The first line of a parser message, without its own `error:` and `line N column M:` prefixes
/// (the diagnostic carries the position).
fn first_line(s: &str) -> String {
    let mut t = s.lines().next().unwrap_or(s).trim();
    t = t.strip_prefix("error:").unwrap_or(t).trim_start();
    if let Some(rest) = t.strip_prefix("line ")
        && let Some(i) = rest.find(": ")
        && rest[..i].split_whitespace().all(|w| w == "column" || w.chars().all(|c| c.is_ascii_digit() || c == ','))
    {
        t = &rest[i + 2..];
    }
    t.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_front_matter() {
        let text = "---\nstatus: accepted\ndate: 2024-01-02\ntags: [a, b]\n---\n# Title\n";
        let s = split(text);
        let fm = s.front_matter.unwrap().unwrap();
        assert_eq!(fm.map["status"], "accepted");
        assert_eq!(fm.map["date"], "2024-01-02");
        assert_eq!(fm.map["tags"][1], "b");
        assert_eq!(&text[s.body_start..], "# Title\n");
    }

    #[test]
    fn toml_front_matter_with_dates() {
        let text = "+++\ntitle = \"X\"\ndate = 2024-01-02\n+++\nbody";
        let s = split(text);
        let fm = s.front_matter.unwrap().unwrap();
        assert_eq!(fm.map["title"], "X");
        assert_eq!(fm.map["date"], "2024-01-02");
        assert_eq!(&text[s.body_start..], "body");
    }

    #[test]
    fn unterminated_front_matter_is_a_warning_with_its_line() {
        let s = split("---\nnot: closed\n\n# Heading\n");
        let err = s.front_matter.unwrap().unwrap_err();
        assert_eq!((err.line, err.col), (1, 1));
        assert!(err.message.contains("never closed, so its keys (such as `not`) are not read"), "{}", err.message);
        assert_eq!(s.body_start, 0, "the body starts at the top: nothing is lost");
        // A rule before text is not front matter.
        assert!(split("---\nJust a rule, then text.\n").front_matter.is_none());
        assert!(split("+++\ntitle = \"x\"\n").front_matter.unwrap().is_err());
    }

    #[test]
    fn mid_document_rule_is_left_alone() {
        let s = split("# T\n\n---\nfoo\n---\n");
        assert!(s.front_matter.is_none());
    }

    #[test]
    fn malformed_yaml_reports_file_line() {
        let text = "---\nstatus: accepted\ntitle: ADR-12: Foo\n---\nbody\n";
        let s = split(text);
        let err = s.front_matter.unwrap().unwrap_err();
        assert_eq!(err.line, 3, "{err:?}");
        assert_eq!(err.message, "mapping values are not allowed in this context");
        assert_eq!(&text[s.body_start..], "body\n");
    }

    #[test]
    fn scalar_front_matter_is_an_error() {
        let err = split("---\njust text\n---\n").front_matter.unwrap().unwrap_err();
        assert!(err.message.contains("not a mapping"), "{}", err.message);
    }

    #[test]
    fn malformed_toml_reports_line() {
        let err = split("+++\ntitle = \"x\"\ndate = \n+++\n").front_matter.unwrap().unwrap_err();
        assert_eq!(err.line, 3, "{err:?}");
    }

    #[test]
    fn empty_front_matter() {
        let s = split("---\n---\nbody");
        assert!(s.front_matter.unwrap().unwrap().map.is_empty());
    }
}
