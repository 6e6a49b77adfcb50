//! The golden site: the complete output for the `xref` fixture, committed under
//! `tests/golden/xref/`. Every optimisation must reproduce it byte for byte. After an intended
//! change of output, re-bless with `DOSSIER_BLESS=1 cargo test --test golden` and review the diff.

mod common;
use common::*;

#[test]
fn xref_fixture_site_matches_the_golden_copy() {
    let b = build(&fixture("xref"), &["--base-url", "https://example.org/kb/"]);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let golden = manifest_dir().join("tests/golden/xref");
    // Theme files copied verbatim (or, the search scripts, without comment lines and
    // indentation: `render::theme::compact_js`) are the theme's own (`themes/default/static`),
    // not output to pin here: keeping copies would only mean re-blessing on every stylesheet edit.
    let theme = manifest_dir().join("themes/default/static");
    let compact = |src: Vec<u8>| -> Vec<u8> {
        let text = String::from_utf8_lossy(&src).into_owned();
        let lines = text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with("//"));
        lines.flat_map(|l| [l, "\n"]).collect::<String>().into_bytes()
    };
    let own = |f: &str, bytes: &Vec<u8>| {
        let src = std::fs::read(theme.join(f)).ok();
        src.as_ref() == Some(bytes) || (f.ends_with(".js") && src.map(compact).as_ref() == Some(bytes))
    };
    let got: Vec<(String, Vec<u8>)> = tree(&b.out)
        .into_iter()
        .filter(|(p, bytes)| p.strip_prefix("assets/").is_none_or(|f| !own(f, bytes)))
        .collect();
    if std::env::var("DOSSIER_BLESS").is_ok_and(|v| v == "1") {
        let _ = std::fs::remove_dir_all(&golden);
        for (rel, bytes) in &got {
            let p = golden.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, bytes).unwrap();
        }
        return;
    }
    let want = tree(&golden);
    let names = |t: &[(String, Vec<u8>)]| t.iter().map(|(p, _)| p.clone()).collect::<Vec<_>>();
    assert_eq!(names(&got), names(&want), "the set of files differs from tests/golden/xref (re-bless if intended)");
    for ((path, a), (_, b)) in got.iter().zip(&want) {
        assert!(a == b, "{path} differs from tests/golden/xref/{path} (re-bless with DOSSIER_BLESS=1 if intended)");
    }
}
