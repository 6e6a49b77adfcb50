//! `dossier mcp [DIR]`: a Model Context Protocol server over stdio (the official Rust SDK,
//! `rmcp`; ADR-0025). It loads DIR with the `check` pipeline, watches it as `serve` does and
//! answers from the latest load: tools `search`, `get_document`, `list_documents`,
//! `decision_chain` and `check`, and each document as a resource `dossier://ID`. It writes
//! nothing. tokio runs here alone, on one thread; loading and watching stay on std threads.

pub mod engine;
pub mod snippet;
pub mod state;
mod watch;

use crate::build::Failure;
use crate::serve::watch::relevant;
use crate::session::Session;
use rmcp::handler::server::{router::tool::ToolRouter, wrapper::Parameters};
use rmcp::model::{
    CallToolResult, ErrorData, ListResourceTemplatesResult, ListResourcesResult, PaginatedRequestParams,
    ReadResourceRequestParams, ReadResourceResponse, ReadResourceResult, Resource, ResourceContents, ResourceTemplate,
    ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{RoleServer, ServerHandler, ServiceExt, tool, tool_handler, tool_router};
use schemars::JsonSchema;
use serde::Deserialize;
use state::{NotFound, Snapshot};
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

/// The latest snapshot, replaced whole by the watcher.
type Shared = Arc<RwLock<Arc<Snapshot>>>;

#[derive(Debug, Deserialize, JsonSchema)]
pub struct SearchArgs {
    /// Words to search for, or an ID such as ADR-12.
    pub query: String,
    /// Only this kind: adr, design or page.
    pub kind: Option<String>,
    /// Only this status: draft, proposed, accepted, implemented, rejected, deprecated, superseded.
    pub status: Option<String>,
    /// Only documents with this tag.
    pub tag: Option<String>,
    /// At most this many results (default 10).
    pub limit: Option<usize>,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct DocArgs {
    /// An ID (ADR-0012, ADR-12), a source path (docs/adr/0012-x.md) or a page URL.
    pub id_or_path: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct ChainArgs {
    /// The document's ID (or path).
    pub id: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub struct ListArgs {
    /// Only this kind: adr, design or page.
    pub kind: Option<String>,
    /// Only this status.
    pub status: Option<String>,
    /// Only documents with this tag.
    pub tag: Option<String>,
    /// Only documents by this author (as written, or a git contributor).
    pub author: Option<String>,
}

/// The MCP server: the tools over the shared snapshot.
#[derive(Clone)]
pub struct Server {
    shared: Shared,
    tool_router: ToolRouter<Server>,
}

fn invalid(e: NotFound) -> ErrorData {
    ErrorData::invalid_params(e.message, Some(serde_json::json!({ "closest": e.closest })))
}

/// An optional argument, an empty string counting as absent (as the search page's "any").
fn given(a: Option<String>) -> Option<String> {
    a.filter(|s| !s.trim().is_empty())
}

fn answer(v: serde_json::Value) -> Result<CallToolResult, ErrorData> {
    Ok(CallToolResult::structured(v))
}

#[tool_router]
impl Server {
    fn new(shared: Shared) -> Server {
        Server { shared, tool_router: Self::tool_router() }
    }

    fn snapshot(&self) -> Arc<Snapshot> {
        self.shared.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    #[tool(
        description = "Search the documents as the site's search does: IDs, titles, statuses, URLs and snippets, best first."
    )]
    async fn search(&self, Parameters(a): Parameters<SearchArgs>) -> Result<CallToolResult, ErrorData> {
        let s = self.snapshot();
        let filters = engine::Filters {
            kind: given(a.kind).map(|k| state::kind_arg(&k)).transpose().map_err(invalid)?.map(|k| k.as_str().into()),
            status: given(a.status)
                .map(|x| state::status_arg(&x))
                .transpose()
                .map_err(invalid)?
                .map(|x| x.as_str().into()),
            tag: given(a.tag).map(|t| s.tag_arg(&t)).transpose().map_err(invalid)?,
        };
        answer(s.search(&a.query, &filters, a.limit.unwrap_or(10)))
    }

    #[tool(
        description = "One document: metadata, status, relations (supersedes, superseded by, amends, related), backlinks and its Markdown body."
    )]
    async fn get_document(&self, Parameters(a): Parameters<DocArgs>) -> Result<CallToolResult, ErrorData> {
        let s = self.snapshot();
        let d = s.resolve(&a.id_or_path).map_err(invalid)?;
        answer(s.document(d))
    }

    #[tool(
        description = "Every document, optionally only of a kind, status, tag or author: ID, title, status, date, URL."
    )]
    async fn list_documents(&self, Parameters(a): Parameters<ListArgs>) -> Result<CallToolResult, ErrorData> {
        let s = self.snapshot();
        let kind = given(a.kind).map(|k| state::kind_arg(&k)).transpose().map_err(invalid)?;
        let status = given(a.status).map(|x| state::status_arg(&x)).transpose().map_err(invalid)?;
        answer(s.list(kind, status, given(a.tag).as_deref(), given(a.author).as_deref()))
    }

    #[tool(
        description = "The supersede chain of a decision: what it supersedes and what supersedes it, up to the newest, and whether it is in force."
    )]
    async fn decision_chain(&self, Parameters(a): Parameters<ChainArgs>) -> Result<CallToolResult, ErrorData> {
        let s = self.snapshot();
        let d = s.resolve(&a.id).map_err(invalid)?;
        answer(s.chain(d))
    }

    #[tool(
        description = "The current diagnostics of the documents (broken links, missing sections…), as `dossier check` reports them."
    )]
    async fn check(&self) -> Result<CallToolResult, ErrorData> {
        answer(self.snapshot().check())
    }
}

const URI: &str = "dossier://";

#[tool_handler(router = self.tool_router)]
impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        let caps = ServerCapabilities::builder().enable_tools().enable_resources().build();
        let mut info = ServerConfig::new(caps);
        info.protocol_version = rmcp::model::ProtocolVersion::LATEST_WITH_INITIALIZE;
        info.server_info = rmcp::model::Implementation::new("dossier", env!("CARGO_PKG_VERSION"));
        info.instructions = Some(
            "The design docs and architecture decision records of this repository, as dossier reads them. \
             An accepted or implemented decision that nothing supersedes is in force; use decision_chain \
             before relying on one, search to find documents, get_document to read one."
                .into(),
        );
        info
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        let resources = self
            .snapshot()
            .resources()
            .into_iter()
            .map(|(id, title)| {
                Resource::new(format!("{URI}{id}"), id).with_title(title).with_mime_type("text/markdown")
            })
            .collect();
        Ok(ListResourcesResult::with_all_items(resources))
    }

    async fn list_resource_templates(
        &self,
        _request: Option<PaginatedRequestParams>,
        _context: RequestContext<RoleServer>,
    ) -> Result<ListResourceTemplatesResult, ErrorData> {
        let t = ResourceTemplate::new(format!("{URI}{{id}}"), "document")
            .with_description("A document by ID (ADR-0012) or path, as Markdown with dossier's fields")
            .with_mime_type("text/markdown");
        Ok(ListResourceTemplatesResult::with_all_items(vec![t]))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        _context: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        let s = self.snapshot();
        let Some(id) = request.uri.strip_prefix(URI) else {
            return Err(ErrorData::resource_not_found(
                format!("`{}` is not a dossier resource; they are named {URI}ID", request.uri),
                None,
            ));
        };
        let d = s
            .resolve(id)
            .map_err(|e| ErrorData::resource_not_found(e.message, Some(serde_json::json!({ "closest": e.closest }))))?;
        let text = s.resource_text(d);
        let contents = ResourceContents::text(text, request.uri.clone()).with_mime_type("text/markdown");
        Ok(ReadResourceResult::new(vec![contents]).into())
    }
}

/// Serves DIR on stdin/stdout until the client closes stdin.
pub fn run(root: &Path) -> Result<(), Failure> {
    if !root.is_dir() {
        return Err(Failure::Usage(format!("the source folder {} does not exist or is not a folder", root.display())));
    }
    let root = &root.canonicalize().map_err(|e| Failure::Usage(format!("{}: {e}", root.display())))?;
    let first_config = crate::build::load_config(root).map(|(c, _)| c).unwrap_or_default();
    let out = first_config.output_dir.as_ref().map_or_else(|| root.join(crate::write::MARKER), |d| root.join(d));
    let skip = first_config.output_dir.iter().map(|d| root.join(d)).collect();
    let settings = crate::session::Settings { skip, ..Default::default() };
    let mut session = Session::new(root, settings);
    let first = state::load(&mut session, &[], None)?;
    let shared: Shared = Arc::new(RwLock::new(Arc::new(first)));
    // Watch before serving, so that no edit made from now on is missed.
    let (tx, rx) = std::sync::mpsc::channel();
    let watcher = watch::watch(root, tx).map_err(|e| Failure::Io(format!("cannot watch {}: {e}", root.display())))?;
    let reloader = {
        let (root, shared) = (root.to_path_buf(), shared.clone());
        std::thread::spawn(move || reload_loop(&root, &out, &shared, &rx, session))
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::Io(format!("cannot start the MCP runtime: {e}")))?;
    let served = runtime.block_on(async {
        let service = Server::new(shared).serve(rmcp::transport::stdio()).await.map_err(|e| e.to_string())?;
        service.waiting().await.map(|_| ()).map_err(|e| e.to_string())
    });
    drop(watcher);
    let _ = reloader.join();
    served.map_err(|e| Failure::Io(format!("MCP server: {e}")))
}

/// Loads DIR again after every relevant batch of changes, until the watcher is dropped.
fn reload_loop(
    root: &Path,
    out: &Path,
    shared: &Shared,
    rx: &std::sync::mpsc::Receiver<Vec<PathBuf>>,
    mut session: Session,
) {
    while let Ok(batch) = rx.recv() {
        let mut touched: Vec<PathBuf> = batch.into_iter().filter(|p| relevant(root, out, p)).collect();
        while let Ok(more) = rx.try_recv() {
            touched.extend(more.into_iter().filter(|p| relevant(root, out, p)));
        }
        if touched.is_empty() {
            continue;
        }
        let previous = shared.read().unwrap_or_else(|e| e.into_inner()).clone();
        if let Ok(next) = state::load(&mut session, &touched, Some(&previous)) {
            *shared.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(next);
        }
    }
}
