//! `ceasefire serve`: the classroom explorer, a local web app. The page, its script, its style and its font are
//! compiled into the binary, so it works with no internet. Every answer comes from [`crate::classroom`], the same
//! computation and charts as `compare` and the handout.
//!
//! Safety: it binds 127.0.0.1 unless told otherwise; a request only *selects* among the scenarios loaded at start
//! (it never names a file) and writes nothing; every value goes through the scenario validator; requests are
//! bounded in size ([`MAX_URI`]), seeds ([`classroom::MAX_RUNS`]), work ([`classroom::MAX_ROUNDS_SIMULATED`]) and
//! concurrency ([`MAX_COMPUTING`]); a bad request gets a 4xx with the validator's message.

pub mod api;
pub mod controls;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::classroom::{self, Source};
use crate::error::{Result, UsageError};
use crate::scenario;

/// The longest request line the server reads (path and query): far above what the page sends.
pub const MAX_URI: usize = 16 * 1024;

/// How many answers (and, apart, how many one-seed histories or whys) are computed at once; later requests wait (up
/// to [`api::WAIT`]) for one to finish.
pub const MAX_COMPUTING: usize = 2;

#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// A scenario file (or bundled name) to start from; every bundled scenario is offered as well.
    pub scenario: Option<String>,
    pub bind: std::net::IpAddr,
    pub port: u16,
    /// Seeds per answer unless the page asks for others.
    pub runs: u64,
}

/// What the server knows: the scenarios it offers (a request picks one by name), the default one and the default
/// number of seeds.
pub struct App {
    pub sources: Vec<Offered>,
    pub default: String,
    pub runs: u64,
    pub(crate) computing: Arc<tokio::sync::Semaphore>,
    /// One-seed work (a history, a why), queued apart from the answers.
    pub(crate) light: Arc<tokio::sync::Semaphore>,
    pub(crate) clients: api::Clients,
}

/// A scenario the page may pick.
pub struct Offered {
    /// The name a request gives: a bundled name, or the file's path as given on the command line.
    pub name: String,
    pub source: Source,
    pub title: String,
    pub bundled: bool,
}

impl App {
    /// Every bundled scenario, and `file` (a path or bundled name) first when given; the file is validated now, so a
    /// bad one stops the server before it starts.
    pub fn new(file: Option<&str>, runs: u64) -> Result<App> {
        if !(1..=classroom::MAX_RUNS).contains(&runs) {
            return Err(UsageError::Runs {
                runs,
                max: classroom::MAX_RUNS,
            }
            .into());
        }
        let mut sources = Vec::new();
        let mut default = "astana-2017".to_string();
        if let Some(f) = file {
            let source = scenario::resolve(f)?;
            let sc = scenario::load_source(&source.name, &source.text, &[])?;
            default = f.to_string();
            if scenario::bundled::exact(f).is_none() || scenario::load::looks_like_path(f) {
                sources.push(Offered {
                    name: f.to_string(),
                    title: sc.meta.title.clone(),
                    source,
                    bundled: false,
                });
            }
        }
        for (name, text) in scenario::bundled::BUNDLED {
            let source = Source {
                name: format!("{name} (bundled)"),
                text: (*text).to_string(),
            };
            let title = scenario::load_source(&source.name, text, &[])
                .map(|s| s.meta.title)
                .unwrap_or_default();
            sources.push(Offered {
                name: (*name).to_string(),
                source,
                title,
                bundled: true,
            });
        }
        Ok(App {
            sources,
            default,
            runs,
            computing: Arc::new(tokio::sync::Semaphore::new(MAX_COMPUTING)),
            light: Arc::new(tokio::sync::Semaphore::new(MAX_COMPUTING)),
            clients: api::Clients::default(),
        })
    }

    pub fn find(&self, name: &str) -> Option<&Offered> {
        self.sources.iter().find(|s| s.name == name)
    }
}

/// The page's files, compiled in.
const INDEX: &str = include_str!("page/index.html");
const SCRIPT: &str = include_str!("page/app.js");
const STYLE: &str = include_str!("page/style.css");

fn asset(content_type: &'static str, body: impl Into<axum::body::Body>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body.into(),
    )
        .into_response()
}

/// The routes: the page and its assets, and the API ([`api`]).
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route(
            "/",
            get(|| async { asset("text/html; charset=utf-8", INDEX) }),
        )
        .route(
            "/app.js",
            get(|| async { asset("text/javascript; charset=utf-8", SCRIPT) }),
        )
        .route(
            "/style.css",
            get(|| async { asset("text/css; charset=utf-8", STYLE) }),
        )
        .route(
            "/fonts/DejaVuSans.ttf",
            get(|| async { asset("font/ttf", crate::chart::theme::REGULAR) }),
        )
        .route(
            "/fonts/DejaVuSans-Bold.ttf",
            get(|| async { asset("font/ttf", crate::chart::theme::BOLD) }),
        )
        .route("/api/scenarios", get(api::scenarios))
        .route("/api/controls", get(api::controls))
        .route("/api/answer", get(api::answer))
        .route("/api/history", get(api::history))
        .route("/api/why", get(api::why))
        .route("/api/report", get(api::report))
        .route("/api/scenario.toml", get(api::scenario_toml))
        .fallback(|| async {
            api::refuse(
                StatusCode::NOT_FOUND,
                "no such page; the explorer is at /".to_string(),
            )
        })
        .layer(axum::middleware::from_fn(guard))
        .with_state(app)
}

/// Refuse what no page sends (a method other than GET or HEAD, a request line over [`MAX_URI`], a body) and add the
/// headers that keep the page to its own origin.
async fn guard(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    let uri_len = req.uri().path_and_query().map_or(0, |p| p.as_str().len());
    let mut response = if uri_len > MAX_URI {
        api::refuse(
            StatusCode::URI_TOO_LONG,
            format!(
                "the request is {uri_len} bytes long; the explorer's requests are at most {MAX_URI}"
            ),
        )
    } else if req.method() != axum::http::Method::GET && req.method() != axum::http::Method::HEAD {
        api::refuse(
            StatusCode::METHOD_NOT_ALLOWED,
            format!(
                "{} is not accepted: the explorer only reads (GET)",
                req.method()
            ),
        )
    } else if req
        .headers()
        .get(header::CONTENT_LENGTH)
        .is_some_and(|v| v.as_bytes() != b"0")
        || req.headers().contains_key(header::TRANSFER_ENCODING)
    {
        api::refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "the explorer's requests carry no body".to_string(),
        )
    } else {
        next.run(req).await
    };
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
        ),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

/// Whether an address is reachable only from this machine.
pub fn is_local(ip: std::net::IpAddr) -> bool {
    ip.is_loopback()
}

/// Serve until the process is stopped. `ready` is told the address once the server listens (so the caller can print
/// it); the library prints nothing.
pub fn serve(opts: &ServeOptions, ready: impl FnOnce(SocketAddr)) -> Result<()> {
    let app = Arc::new(App::new(opts.scenario.as_deref(), opts.runs)?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| crate::error::Error::Threads {
            reason: format!("cannot start the server: {e}"),
        })?;
    runtime.block_on(async move {
        let addr = SocketAddr::new(opts.bind, opts.port);
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| UsageError::Bind {
                addr: addr.to_string(),
                reason: source.to_string(),
            })?;
        let local = listener.local_addr().unwrap_or(addr);
        ready(local);
        axum::serve(listener, router(app))
            .await
            .map_err(|e| crate::error::Error::Threads {
                reason: format!("the server stopped: {e}"),
            })
    })
}
