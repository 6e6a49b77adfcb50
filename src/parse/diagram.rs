//! Mermaid diagrams rendered to inline SVG at build time with merman (see ADR-0014): no
//! JavaScript in the browser, and a diagram the renderer cannot read comes back as an error with
//! its line, so the page keeps the source in a code block and the build warns.

use std::collections::HashMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use merman::{OperationControl, RenderError, RenderOutput, RenderRequest, Renderer, SvgRequest};

/// Why a diagram was not rendered: the 0-based line within the diagram source, if known, and a
/// message for the author.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiagramError {
    pub line: Option<usize>,
    pub message: String,
}

type Rendered = Result<String, DiagramError>;

/// The renderer, and the diagrams already rendered keyed by content and id (every unchanged file
/// in `serve`, and diagrams copied between documents). Build once per build or per `serve`.
pub struct Diagrammer {
    renderer: Renderer,
    done: Mutex<HashMap<(u64, String), Rendered>>,
    /// Render times (microseconds) of the diagrams rendered in this build, for `--timings`.
    times: Mutex<Vec<u32>>,
    cpu_nanos: AtomicU64,
}

/// Rendered diagrams kept at most; past that the memo starts afresh.
const MEMO: usize = 20_000;

impl Default for Diagrammer {
    fn default() -> Self {
        Diagrammer {
            renderer: Renderer::new(),
            done: Mutex::new(HashMap::new()),
            times: Mutex::new(Vec::new()),
            cpu_nanos: AtomicU64::new(0),
        }
    }
}

/// A stable hash of a diagram's source: its SVG id and memo key.
pub fn content_hash(source: &str) -> u64 {
    crate::fx_hash(source)
}

impl Diagrammer {
    /// The SVG for `source`, with `id` as its element id (unique within the page: merman prefixes
    /// its marker and style ids with it).
    pub fn render(&self, source: &str, id: &str) -> Rendered {
        let key = (content_hash(source), id.to_string());
        if let Some(hit) = self.done.lock().unwrap_or_else(|e| e.into_inner()).get(&key) {
            return hit.clone();
        }
        let start = Instant::now();
        let result = self.render_uncached(source, id);
        let took = start.elapsed();
        self.cpu_nanos.fetch_add(took.as_nanos() as u64, Ordering::Relaxed);
        self.times.lock().unwrap_or_else(|e| e.into_inner()).push(took.as_micros().min(u32::MAX as u128) as u32);
        let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        if done.len() >= MEMO {
            done.clear();
        }
        done.insert(key, result.clone());
        result
    }

    fn render_uncached(&self, source: &str, id: &str) -> Rendered {
        let mut request = SvgRequest::default();
        request.options.diagram_id = Some(merman::svg::sanitize_svg_id(id));
        let run = catch_unwind(AssertUnwindSafe(|| {
            self.renderer.render(RenderRequest::svg(source, OperationControl::new(), request))
        }));
        match run {
            // Whatever the renderer wrote, the page gets the SVG rebuilt from an allow-list.
            Ok(Ok(RenderOutput::Svg(Some(svg)))) => {
                crate::render::diagram_svg::clean(svg.svg()).map_err(|message| DiagramError { line: None, message })
            }
            Ok(Ok(_)) | Ok(Err(RenderError::NoDiagram)) => Err(DiagramError {
                line: Some(0),
                message: "no Mermaid diagram found: the first line must name a diagram type such as \
                          `flowchart TD`, `sequenceDiagram`, `classDiagram`, `stateDiagram-v2` or `erDiagram`"
                    .to_string(),
            }),
            Ok(Err(RenderError::Parse(d))) => {
                let line = d.terminal_diagnostic_details().span.map(|s| line_of(source, s.start));
                Err(DiagramError { line, message: one_line(&d.terminal_safe_message()) })
            }
            Ok(Err(e)) => Err(DiagramError { line: None, message: one_line(&e.to_string()) }),
            Err(_) => {
                Err(DiagramError { line: None, message: "the diagram renderer failed on this diagram".to_string() })
            }
        }
    }

    /// Diagrams rendered since the last call (not memo hits), their CPU time in total, and the
    /// median render time in microseconds; resets the counters.
    pub fn take_stats(&self) -> (usize, u64, u32) {
        let mut times = std::mem::take(&mut *self.times.lock().unwrap_or_else(|e| e.into_inner()));
        let nanos = self.cpu_nanos.swap(0, Ordering::Relaxed);
        times.sort_unstable();
        let median = if times.is_empty() { 0 } else { times[times.len() / 2] };
        (times.len(), nanos, median)
    }
}

fn line_of(source: &str, offset: usize) -> usize {
    source.as_bytes()[..offset.min(source.len())].iter().filter(|&&b| b == b'\n').count()
}

fn one_line(message: &str) -> String {
    let m = message.split_whitespace().collect::<Vec<_>>().join(" ");
    if m.is_empty() { "the diagram could not be read".to_string() } else { m }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_common_type_renders() {
        let d = Diagrammer::default();
        for src in [
            "flowchart TD\n  A[Start] --> B{Ok?}\n  B -->|yes| C[Done]\n",
            "graph LR\n  A --> B\n",
            "sequenceDiagram\n  Alice->>Bob: Hello\n  Bob-->>Alice: Hi\n",
            "classDiagram\n  class Animal {\n    +String name\n    +eat()\n  }\n  Animal <|-- Dog\n",
            "stateDiagram-v2\n  [*] --> Draft\n  Draft --> Accepted\n  Accepted --> [*]\n",
            "erDiagram\n  DOC ||--o{ LINK : has\n",
        ] {
            let svg = d.render(src, "d1").unwrap_or_else(|e| panic!("{src}: {e:?}"));
            assert!(svg.starts_with("<svg"), "{src}: {}", &svg[..60.min(svg.len())]);
            assert!(svg.contains("id=\"d1\""), "{src}");
        }
        let (n, _, median) = d.take_stats();
        assert_eq!(n, 6);
        assert!(median > 0);
    }

    #[test]
    fn invalid_diagram_is_an_error_with_a_line() {
        let d = Diagrammer::default();
        let e = d.render("flowchart TD\n  A --> B\n  C -->\n", "x").unwrap_err();
        assert!(!e.message.is_empty());
        assert!(e.line.is_some_and(|l| l >= 1), "{e:?}");
        let e = d.render("this is not a diagram\n", "x").unwrap_err();
        assert!(!e.message.is_empty());
    }

    #[test]
    fn memo_returns_the_same_svg() {
        let d = Diagrammer::default();
        let a = d.render("graph LR\n  A --> B\n", "a").unwrap();
        let b = d.render("graph LR\n  A --> B\n", "a").unwrap();
        assert_eq!(a, b);
        assert_eq!(d.take_stats().0, 1);
    }
}
