//! The corpus generator's ground truth against what dossier extracts, on 1,000 documents.

mod common;
#[path = "support/corpus.rs"]
mod corpus;

use common::*;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

fn strings(v: &Value) -> BTreeSet<String> {
    v.as_array().map(|a| a.iter().filter_map(|x| x.as_str().map(String::from)).collect()).unwrap_or_default()
}

#[test]
fn dossier_json_matches_ground_truth_on_1000_documents() {
    let c = corpus::generate(&corpus::Options { count: 1000, seed: 7, broken: 0 });
    let tmp = tempfile::tempdir().unwrap();
    let src = tmp.path().join("src");
    corpus::write_to(&c, &src).unwrap();
    let out = tmp.path().join("out");
    let o = dossier().arg("build").arg(&src).arg("-o").arg(&out).output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("0 errors, "), "{stderr}");
    // The only warnings are structure lint on generated text (accepted designs with TBD questions).
    for line in stderr.lines().filter(|l| l.contains("warning[")) {
        assert!(line.contains("warning[open-questions]"), "{line}");
    }

    let got: Value = serde_json::from_slice(&std::fs::read(out.join("dossier.json")).unwrap()).unwrap();
    let got: BTreeMap<String, Value> = got["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["source"].as_str().unwrap().to_string(), d.clone()))
        .collect();
    let expected = c.expected["documents"].as_array().unwrap();
    assert_eq!(got.len(), expected.len(), "one document per file");

    let mut mismatches = Vec::new();
    for e in expected {
        let source = e["source"].as_str().unwrap();
        let g = &got[source];
        for key in ["id", "kind", "title", "status", "number", "date"] {
            if g[key] != e[key] {
                mismatches.push(format!("{source}: {key}: got {} expected {}", g[key], e[key]));
            }
        }
        for key in ["authors", "tags", "supersedes", "superseded_by"] {
            if strings(&g[key]) != strings(&e[key]) {
                mismatches.push(format!("{source}: {key}: got {} expected {}", g[key], e[key]));
            }
        }
        // Links, mentions and relations are references; backlinks are their inverse.
        for key in ["references", "backlinks"] {
            if strings(&g[key]) != strings(&e[key]) {
                mismatches.push(format!("{source}: {key}: got {} expected {}", g[key], e[key]));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} mismatches, first ones:\n{}",
        mismatches.len(),
        mismatches.iter().take(20).cloned().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn check_reports_exactly_the_broken_links() {
    let c = corpus::generate(&corpus::Options { count: 600, seed: 11, broken: 9 });
    let tmp = tempfile::tempdir().unwrap();
    corpus::write_to(&c, tmp.path()).unwrap();
    let o = dossier().arg("check").arg(tmp.path()).args(["--format", "json"]).output().unwrap();
    assert_eq!(o.status.code(), Some(1), "broken links are errors");
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let got: BTreeSet<(String, u64, u64)> = v["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["code"] != "open-questions")
        .map(|d| {
            assert_eq!(d["code"], "broken-link", "only broken links are reported: {d}");
            assert_eq!(d["severity"], "error");
            (d["path"].as_str().unwrap().to_string(), d["line"].as_u64().unwrap(), d["col"].as_u64().unwrap())
        })
        .collect();
    let expected: BTreeSet<(String, u64, u64)> = c.expected["broken_links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| (b["source"].as_str().unwrap().to_string(), b["line"].as_u64().unwrap(), b["col"].as_u64().unwrap()))
        .collect();
    assert_eq!(expected.len(), 9);
    assert_eq!(got, expected);
}
