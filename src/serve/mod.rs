//! `diglot serve`: builds the book into memory, serves it, watches the files and rebuilds
//! what changed, telling open pages to reload (Server-Sent Events). A failed rebuild keeps
//! the last good site and shows the error in the pages. It never writes the build output.

mod connections;
mod http;
pub mod live;

pub use http::site_path;

use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

use serde::Serialize;
use tokio::sync::broadcast;

use crate::diagnostics::{Diagnostic, Error};
use crate::output::SiteFiles;
use crate::site::{BuildOptions, Site};
use crate::watch::ChangeWatcher;
use live::{LiveBuild, RebuildReport};

/// What `diglot serve` previews, and how.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The folder holding `book.toml`.
    pub root: PathBuf,
    /// Address to listen on; anything but loopback exposes the preview.
    pub host: IpAddr,
    /// 0 picks a free port.
    pub port: u16,
    /// Overrides `base-url`.
    pub base_url: Option<String>,
    /// Every warning is an error.
    pub strict: bool,
    /// Host names besides loopback under which the preview may be reached.
    pub allowed_hosts: Vec<String>,
    /// Include pages marked `draft = true`.
    pub drafts: bool,
    /// Look at the files every few hundred milliseconds instead of waiting for the system's
    /// events (network drives, WSL2 and Docker mounts).
    pub poll: bool,
}

impl ServeOptions {
    /// Loopback on a free port, the book's own base URL, not strict: what tests, benchmarks
    /// and tools that start a preview of their own want.
    pub fn loopback(root: impl Into<PathBuf>) -> ServeOptions {
        ServeOptions {
            root: root.into(),
            host: IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
            port: 0,
            base_url: None,
            strict: false,
            allowed_hosts: Vec::new(),
            drafts: false,
            poll: false,
        }
    }
}

/// Why the preview could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The first build failed.
    #[error(transparent)]
    Build(#[from] Error),
    /// Listening on the address failed (the port may be in use).
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address asked for.
        addr: SocketAddr,
        /// Why it failed.
        source: std::io::Error,
    },
    /// The book's files could not be watched for changes.
    #[error("{0}")]
    Watch(Diagnostic),
    /// The server's runtime could not start or failed.
    #[error("the server stopped: {0}")]
    Runtime(String),
}

/// A problem shown to open pages, as JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportedDiagnostic {
    pub(crate) severity: &'static str,
    pub(crate) place: String,
    pub(crate) message: String,
    pub(crate) hint: Option<String>,
}

impl From<&Diagnostic> for ReportedDiagnostic {
    fn from(d: &Diagnostic) -> Self {
        ReportedDiagnostic {
            severity: if d.is_error() { "error" } else { "warning" },
            place: d.place(),
            message: d.message.clone(),
            hint: d.hint.clone(),
        }
    }
}

/// What the preview knows about its builds, for `/__diglot/status` and new pages.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Status {
    /// Successful builds so far (the first one counts).
    pub build: u64,
    /// Rebuild attempts that failed since the server started.
    pub failures: u64,
    /// Errors of the last attempt, if it failed.
    pub errors: Option<Vec<ReportedDiagnostic>>,
    /// Site paths rendered by the last successful build.
    pub rendered: Vec<String>,
    pub(crate) full: bool,
    pub(crate) read: usize,
    pub(crate) elapsed_ms: f64,
}

#[derive(Debug, Clone)]
pub(crate) enum LiveEvent {
    Reload(u64),
    Failed(Vec<ReportedDiagnostic>),
}

/// State shared by the builder thread and the HTTP handlers.
pub(crate) struct Shared {
    pub site: RwLock<Arc<SiteFiles>>,
    pub status: RwLock<Status>,
    pub events: broadcast::Sender<LiveEvent>,
    /// The base URL's path, `/` or `/guide/`.
    pub base_path: String,
    /// Names a request's `Host` may carry (see [`http::host_allowed`]).
    pub allowed_hosts: Vec<String>,
}

impl Shared {
    pub(crate) fn site(&self) -> Arc<SiteFiles> {
        Arc::clone(&self.site.read().unwrap_or_else(|e| e.into_inner()))
    }

    pub(crate) fn status(&self) -> Status {
        self.status
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn succeeded(&self, site: Arc<SiteFiles>, report: &RebuildReport) {
        *self.site.write().unwrap_or_else(|e| e.into_inner()) = site;
        let build = {
            let mut status = self.status.write().unwrap_or_else(|e| e.into_inner());
            status.build += 1;
            status.errors = None;
            status.rendered = report.rendered.clone();
            status.full = report.full;
            status.read = report.read;
            status.elapsed_ms = report.elapsed.as_secs_f64() * 1000.0;
            status.build
        };
        let _ = self.events.send(LiveEvent::Reload(build));
    }

    fn replace_site(&self, site: Arc<SiteFiles>) {
        *self.site.write().unwrap_or_else(|e| e.into_inner()) = site;
    }

    fn failed(&self, diags: Vec<ReportedDiagnostic>) {
        let already_shown = {
            let mut status = self.status.write().unwrap_or_else(|e| e.into_inner());
            status.failures += 1;
            let same = status.errors.as_ref() == Some(&diags);
            status.errors = Some(diags.clone());
            same
        };
        // An editor writing a file in two steps fails the same way twice: the open pages
        // already show that error.
        if !already_shown {
            let _ = self.events.send(LiveEvent::Failed(diags));
        }
    }
}

/// Called after every rebuild with its outcome (the command line prints it).
pub type BuildObserver = Arc<dyn Fn(Result<&RebuildReport, &Error>) + Send + Sync>;

/// A running preview server.
pub struct Server {
    /// The address it listens on (the actual port when 0 was asked for).
    pub addr: SocketAddr,
    base_path: String,
    stop: Arc<AtomicBool>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Server {
    /// The address to open in a browser.
    pub fn url(&self) -> String {
        format!("http://{}{}", self.addr, self.base_path)
    }

    /// Stops serving and watching, and waits for both to end.
    pub fn stop(mut self) {
        self.shutdown_now();
    }

    fn shutdown_now(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }

    /// Blocks until the server ends (after Ctrl-C or SIGTERM when started by the command line).
    pub fn wait(mut self) {
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.shutdown_now();
    }
}

fn report(diags: &[Diagnostic], root: &Path) -> Vec<ReportedDiagnostic> {
    diags
        .iter()
        .map(|d| ReportedDiagnostic::from(&d.clone().relative_to(root)))
        .collect()
}

fn build_error_report(e: &Error, root: &Path) -> Vec<ReportedDiagnostic> {
    match e {
        Error::Failed(diags) => report(diags, root),
        Error::NoBook(dir) => vec![ReportedDiagnostic::from(&Diagnostic::error(
            dir,
            None,
            "book.toml is missing",
        ))],
        Error::Usage { message, .. } => vec![ReportedDiagnostic::from(&Diagnostic::error(
            root,
            None,
            message.clone(),
        ))],
    }
}

fn allowed_hosts(opts: &ServeOptions) -> Vec<String> {
    let mut hosts: Vec<String> = ["localhost", "127.0.0.1", "[::1]"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    if !opts.host.is_unspecified() {
        hosts.push(match opts.host {
            IpAddr::V6(v6) => format!("[{v6}]"),
            IpAddr::V4(v4) => v4.to_string(),
        });
    }
    hosts.extend(opts.allowed_hosts.iter().cloned());
    hosts
}

/// Rebuilds after every change the watcher reports, until `stop`: the book's reload, then
/// the new files handed to the server and the open pages told to reload.
fn spawn_rebuilder(
    mut watcher: ChangeWatcher,
    mut live: LiveBuild,
    shared: Arc<Shared>,
    stop: Arc<AtomicBool>,
    on_build: BuildObserver,
    root: PathBuf,
) -> Result<std::thread::JoinHandle<()>, ServeError> {
    std::thread::Builder::new()
        .name("diglot-rebuild".into())
        .spawn(move || {
            while let Some(change) = watcher.next_change(&stop) {
                let outcome = live.rebuild(change);
                watcher.watch_included(live.site().included_dirs());
                match outcome {
                    // A save that changed nothing (an editor writing a file twice, a touch)
                    // reloads no page, unless it clears an error shown on the pages.
                    Ok(report)
                        if !report.full
                            && report.rendered.is_empty()
                            && shared.status().errors.is_none() => {}
                    Ok(report) => {
                        shared.succeeded(live.files(), &report);
                        on_build(Ok(&report));
                        // Then the print page and search index, which open pages do not
                        // wait for; a newer change waiting in line goes first.
                        if live.refresh_derived() {
                            shared.replace_site(live.files());
                        }
                    }
                    Err(e) => {
                        shared.failed(build_error_report(&e, &root));
                        on_build(Err(&e));
                    }
                }
            }
        })
        .map_err(|e| ServeError::Runtime(e.to_string()))
}

/// Builds the book, binds the port, starts watching, and serves in background threads.
/// `on_build` is called after every rebuild with its outcome (the CLI prints it).
pub fn start(opts: &ServeOptions, on_build: BuildObserver) -> Result<Server, ServeError> {
    let root = opts
        .root
        .canonicalize()
        .map_err(|_| Error::NoBook(opts.root.clone()))?;
    let site = Site::load_kept(&BuildOptions {
        root: root.clone(),
        base_url: opts.base_url.clone(),
        strict: opts.strict,
        drafts: opts.drafts,
        ..BuildOptions::default()
    })?;
    let base_path = site.config().base_path().to_string();
    let inject =
        format!("<script src=\"{base_path}__diglot/live.js\" data-base=\"{base_path}\"></script>");
    let mut watcher = ChangeWatcher::new(site.config(), opts.poll).map_err(ServeError::Watch)?;
    watcher.watch_included(site.included_dirs());
    let (live, first) = LiveBuild::new(site, inject)?;
    on_build(Ok(&first));

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| ServeError::Runtime(format!("cannot start the server runtime: {e}")))?;
    let addr = SocketAddr::new(opts.host, opts.port);
    let listener = {
        let _entered = runtime.enter();
        http::listen(addr).map_err(|source| ServeError::Bind { addr, source })?
    };
    let addr = listener
        .local_addr()
        .map_err(|source| ServeError::Bind { addr, source })?;

    let (events, _) = broadcast::channel(64);
    let shared = Arc::new(Shared {
        site: RwLock::new(live.files()),
        status: RwLock::new(Status {
            build: 1,
            rendered: first.rendered.clone(),
            full: true,
            read: first.read,
            elapsed_ms: first.elapsed.as_secs_f64() * 1000.0,
            ..Status::default()
        }),
        events,
        base_path: base_path.clone(),
        allowed_hosts: allowed_hosts(opts),
    });
    let stop = Arc::new(AtomicBool::new(false));

    let builder = spawn_rebuilder(
        watcher,
        live,
        Arc::clone(&shared),
        Arc::clone(&stop),
        on_build,
        root,
    )?;

    let (shutdown_tx, shutdown_rx) = tokio::sync::oneshot::channel::<()>();
    let http = {
        let shared = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("diglot-http".into())
            .spawn(move || runtime.block_on(http::serve(listener, shared, shutdown_rx)))
            .map_err(|e| ServeError::Runtime(e.to_string()))?
    };
    Ok(Server {
        addr,
        base_path,
        stop,
        shutdown: Some(shutdown_tx),
        threads: vec![builder, http],
    })
}
