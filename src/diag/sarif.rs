//! SARIF 2.1.0 for code-scanning dashboards (GitHub code scanning and others): one run, a rule
//! per diagnostic code met, a result per diagnostic with its repository-relative location.

use super::{Code, Diagnostic, repo_path};
use serde::Serialize;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// A whole SARIF log.
#[derive(Debug, Serialize)]
pub struct Log {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

#[derive(Debug, Serialize)]
struct Run {
    tool: Tool,
    results: Vec<SarifResult>,
}

#[derive(Debug, Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    information_uri: &'static str,
    rules: Vec<Rule>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    short_description: Text,
    default_configuration: Configuration,
}

#[derive(Debug, Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Debug, Serialize)]
struct Text {
    text: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Location {
    physical_location: PhysicalLocation,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Debug, Serialize)]
struct ArtifactLocation {
    uri: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
}

/// The SARIF log of `diags`; `prefix` is the source folder's path in its git repository, so
/// that locations are relative to the repository root.
pub fn log(diags: &[Diagnostic], prefix: Option<&str>) -> Log {
    let mut codes: Vec<Code> = diags.iter().map(|d| d.code).collect();
    codes.sort();
    codes.dedup();
    let rules = codes
        .iter()
        .map(|c| Rule {
            id: c.as_str(),
            short_description: Text { text: c.describe().to_string() },
            default_configuration: Configuration { level: c.severity().as_str() },
        })
        .collect();
    let results = diags
        .iter()
        .map(|d| {
            let mut text = d.message.clone();
            if let Some(h) = &d.help {
                text.push_str(&format!("\nhelp: {h}"));
            }
            SarifResult {
                rule_id: d.code.as_str(),
                rule_index: codes.binary_search(&d.code).unwrap_or_default(),
                level: d.severity.as_str(),
                message: Text { text },
                locations: vec![Location {
                    physical_location: PhysicalLocation {
                        artifact_location: ArtifactLocation { uri: uri(&repo_path(&d.path, prefix)) },
                        region: Region { start_line: d.line.max(1), start_column: d.col.max(1) },
                    },
                }],
            }
        })
        .collect();
    let driver = Driver {
        name: "dossier",
        version: env!("CARGO_PKG_VERSION"),
        information_uri: env!("CARGO_PKG_REPOSITORY"),
        rules,
    };
    Log { schema: SCHEMA, version: "2.1.0", runs: vec![Run { tool: Tool { driver }, results }] }
}

/// A relative path as a URI reference: forward slashes, everything but unreserved characters
/// and `/` percent-encoded.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_are_repository_relative_uris_from_line_one() {
        let diags = vec![
            Diagnostic::new(Code::BrokenLink, "adr/0001 a.md", 4, 2, "link target `x.md` does not exist"),
            Diagnostic::new(Code::UnreadableFile, "adr/0002-b.md", 0, 0, "cannot read"),
            Diagnostic::new(Code::BrokenLink, "adr/0003-c.md", 9, 1, "x").as_warning().help("fix it"),
        ];
        let v = serde_json::to_value(log(&diags, Some("docs"))).unwrap();
        let run = &v["runs"][0];
        let rules: Vec<&str> =
            run["tool"]["driver"]["rules"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect();
        assert_eq!(rules, ["unreadable-file", "broken-link"]);
        let r = &run["results"];
        assert_eq!(r[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "docs/adr/0001%20a.md");
        assert_eq!(r[0]["ruleIndex"], 1);
        assert_eq!(
            r[1]["locations"][0]["physicalLocation"]["region"],
            serde_json::json!({"startLine": 1, "startColumn": 1})
        );
        assert_eq!(r[2]["level"], "warning");
        assert_eq!(r[2]["message"]["text"], "x\nhelp: fix it");
    }
}
