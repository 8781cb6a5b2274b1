//! The HTTP side of the preview: files from the in-memory site, the live-reload event
//! stream, and a status endpoint. Paths are decoded and checked before any lookup, and
//! only files the build produced can ever be answered.

use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri, Version};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::Router;
use futures_util::stream::{self, Stream};
use tokio::sync::{broadcast, oneshot, watch};

use super::connections::Connections;
use super::{LiveEvent, Shared};

const LIVE_JS: &str = include_str!("live.js");

#[derive(Clone)]
struct AppState {
    shared: Arc<Shared>,
    stopping: watch::Receiver<bool>,
}

/// Connections held at once; at this many, a new one makes the quietest one close (see
/// [`Connections`]), so idle clients can never lock a real request out.
const MAX_CONNECTIONS: usize = 512;
/// A client must send its request headers within this time.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Connections the kernel completes while the server is busy, waiting to be accepted. A
/// burst beyond it has its handshakes dropped and retried a second later.
const BACKLOG: u32 = 1024;

/// Binds `addr` (with the usual address reuse on Unix, as `std` does) and listens.
/// Must be called inside the server's runtime.
pub(super) fn listen(addr: std::net::SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(BACKLOG)
}

pub(super) async fn serve(
    listener: tokio::net::TcpListener,
    shared: Arc<Shared>,
    shutdown: oneshot::Receiver<()>,
) {
    let (stop_tx, stopping) = watch::channel(false);
    let app = Router::new().fallback(handle).with_state(AppState {
        shared,
        stopping: stopping.clone(),
    });
    let connections = Connections::new(MAX_CONNECTIONS);
    let mut shutdown = shutdown;
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of descriptors or a reset before accept: wait a moment, go on.
                Err(_) => {
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                }
            },
            _ = &mut shutdown => break,
        };
        let (stream, admitted) = connections.admit(stream);
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let mut stop = stopping.clone();
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT);
            let connection =
                builder.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = admitted.shed() => {}
                _ = stop.changed() => connection.as_mut().graceful_shutdown(),
            }
        });
    }
    // Ends the event streams, which would otherwise keep their connections open.
    let _ = stop_tx.send(true);
}

/// Whether a `Host` (or an `Origin`'s host) names this server: loopback names, the address
/// it was told to listen on, and names the user allowed. Anything else is a page on another
/// site reaching the preview through DNS rebinding.
pub(crate) fn host_allowed(host: &str, allowed: &[String]) -> bool {
    let name = if host.starts_with('[') {
        host.split_inclusive(']').next().unwrap_or(host)
    } else {
        match host.rsplit_once(':') {
            Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
            _ => host,
        }
    };
    allowed.iter().any(|a| a.eq_ignore_ascii_case(name))
}

fn refused(status: StatusCode, why: &'static str) -> Response {
    let mut response = with_type(Body::from(why), "text/plain; charset=utf-8");
    *response.status_mut() = status;
    response
}

fn forbidden(why: &'static str) -> Response {
    refused(StatusCode::FORBIDDEN, why)
}

/// The preview only reads: anything but GET and HEAD is refused before it is looked at.
fn method_not_allowed() -> Response {
    let mut response = refused(
        StatusCode::METHOD_NOT_ALLOWED,
        "the preview only answers GET and HEAD\n",
    );
    response
        .headers_mut()
        .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
    response
}

/// Refuses a request whose host is ambiguous (two `Host` headers, or none in HTTP/1.1, as
/// RFC 9112 §3.2 requires) or not this server's (DNS rebinding). An absolute request target
/// names the host as well, and is checked too.
fn check_host(
    uri: &Uri,
    version: Version,
    headers: &HeaderMap,
    allowed: &[String],
) -> Option<Response> {
    let mut hosts = headers.get_all(header::HOST).iter();
    let host = hosts.next();
    if hosts.next().is_some() {
        return Some(refused(
            StatusCode::BAD_REQUEST,
            "more than one Host header\n",
        ));
    }
    if host.is_none() && version >= Version::HTTP_11 {
        return Some(refused(
            StatusCode::BAD_REQUEST,
            "an HTTP/1.1 request needs a Host header\n",
        ));
    }
    let named = host
        .map(|h| h.to_str().ok())
        .into_iter()
        .chain(uri.authority().map(|a| Some(a.as_str())));
    for name in named {
        if !name.is_some_and(|h| host_allowed(h, allowed)) {
            return Some(forbidden("this preview answers only to its own host name (see `diglot serve --allow-host`)\n"));
        }
    }
    None
}

async fn handle(
    State(state): State<AppState>,
    method: Method,
    version: Version,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let shared = &state.shared;
    if method != Method::GET && method != Method::HEAD {
        return method_not_allowed();
    }
    if let Some(refusal) = check_host(&uri, version, &headers, &shared.allowed_hosts) {
        return refusal;
    }
    let base = shared.base_path.as_str();
    let path = uri.path();
    let Some(rest) = path.strip_prefix(base) else {
        if path == "/" || path == base.trim_end_matches('/') {
            return redirect(base.to_string());
        }
        return not_found(shared, "");
    };
    match rest {
        "__diglot/events" => {
            // Another site's page must not listen to the preview's events.
            let origin_ok = headers.get(header::ORIGIN).is_none_or(|o| {
                o.to_str()
                    .ok()
                    .and_then(|o| o.split_once("://"))
                    .is_some_and(|(_, host)| host_allowed(host, &shared.allowed_hosts))
            });
            if !origin_ok {
                return forbidden("events are for the preview's own pages\n");
            }
            events(&state).into_response()
        }
        "__diglot/live.js" => with_type(Body::from(LIVE_JS), "text/javascript; charset=utf-8"),
        "__diglot/status" => match serde_json::to_vec(&shared.status()) {
            Ok(json) => with_type(Body::from(json), "application/json"),
            Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
        },
        _ => file(shared, rest, &uri, &headers),
    }
}

/// The site path a request names, or `None` if it could name something outside the site:
/// `..`, backslashes, NUL, dotfiles, invalid UTF-8 after percent-decoding.
pub fn site_path(rest: &str) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(rest)
        .decode_utf8()
        .ok()?;
    if decoded.contains(['\\', '\0']) || decoded.starts_with('/') {
        return None;
    }
    let mut parts = Vec::new();
    for segment in decoded.split('/') {
        match segment {
            "" | "." => continue,
            s if s.starts_with('.') => return None,
            s => parts.push(s),
        }
    }
    let mut key = parts.join("/");
    if decoded.is_empty() || decoded.ends_with('/') {
        if !key.is_empty() {
            key.push('/');
        }
        key.push_str("index.html");
    }
    Some(key)
}

fn file(shared: &Shared, rest: &str, uri: &Uri, headers: &HeaderMap) -> Response {
    let Some(key) = site_path(rest) else {
        return not_found(shared, "");
    };
    let site = shared.site();
    let Some(bytes) = site.files.get(&key) else {
        // `/phase/page` → `/phase/page/`, as static hosts do.
        if !key.ends_with(".html") && site.files.contains_key(&format!("{key}/index.html")) {
            let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
            return redirect(format!("{}/{}", uri.path(), query));
        }
        return not_found(shared, &key);
    };
    let etag = etag_of(bytes);
    if headers.get(header::IF_NONE_MATCH).is_some_and(|v| {
        v.as_bytes()
            .split(|b| *b == b',')
            .any(|t| t.trim_ascii() == etag.as_bytes() || t.trim_ascii() == b"*")
    }) {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        if let Ok(v) = HeaderValue::from_str(&etag) {
            response.headers_mut().insert(header::ETAG, v);
        }
        return response;
    }
    let mut response = with_type(Body::from(bytes.as_ref().clone()), &content_type(&key));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        response.headers_mut().insert(header::ETAG, v);
    }
    response
}

fn content_type(key: &str) -> String {
    let mime = mime_guess::from_path(key).first_or_octet_stream();
    match (mime.type_(), mime.subtype().as_str()) {
        (mime_guess::mime::TEXT, _)
        | (mime_guess::mime::APPLICATION, "javascript" | "json" | "xml") => {
            format!("{mime}; charset=utf-8")
        }
        _ => mime.to_string(),
    }
}

fn etag_of(bytes: &[u8]) -> String {
    format!("\"{:016x}\"", crate::hash::fnv1a64_bytes(bytes))
}

fn with_type(body: Body, content_type: &str) -> Response {
    let mut response = Response::new(body);
    if let Ok(v) = HeaderValue::from_str(content_type) {
        response.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response.headers_mut().insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn redirect(location: String) -> Response {
    let mut response = StatusCode::PERMANENT_REDIRECT.into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        response.headers_mut().insert(header::LOCATION, v);
    }
    response
}

/// The site's own 404 page, with status 404: for a missing `key` in a language's folder
/// (`en/…`), that folder's `en/404.html`, in the reader's language.
fn not_found(shared: &Shared, key: &str) -> Response {
    let site = shared.site();
    let folder_page = key
        .split_once('/')
        .map(|(folder, _)| format!("{folder}/404.html"));
    let body = folder_page
        .and_then(|page| site.files.get(&page))
        .or_else(|| site.files.get("404.html"))
        .map(|b| b.as_ref().clone())
        .unwrap_or_else(|| b"404 Not Found".to_vec());
    let mut response = with_type(Body::from(body), "text/html; charset=utf-8");
    *response.status_mut() = StatusCode::NOT_FOUND;
    response
}

fn to_event(event: &LiveEvent) -> Event {
    match event {
        LiveEvent::Reload(build) => Event::default().event("reload").data(build.to_string()),
        LiveEvent::Failed(diags) => {
            let json = serde_json::json!({ "diagnostics": diags }).to_string();
            Event::default().event("error-report").data(json)
        }
    }
}

/// Server-Sent Events: `reload` after each successful rebuild, `error-report` after a failed
/// one (also sent at once to a page that connects while the last build is failing).
fn events(state: &AppState) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let receiver = state.shared.events.subscribe();
    let first = state
        .shared
        .status()
        .errors
        .map(|d| to_event(&LiveEvent::Failed(d)));
    let hello = Event::default()
        .event("hello")
        .data(state.shared.status().build.to_string());
    let initial: Vec<Event> = std::iter::once(hello).chain(first).collect();
    let stream = stream::unfold(
        (receiver, state.stopping.clone(), initial),
        |(mut receiver, mut stopping, mut pending)| async move {
            if !pending.is_empty() {
                let event = pending.remove(0);
                return Some((Ok(event), (receiver, stopping, pending)));
            }
            if *stopping.borrow() {
                return None;
            }
            let event = tokio::select! {
                message = receiver.recv() => match message {
                    Ok(event) => to_event(&event),
                    // A slow page missed some events: one reload brings it up to date.
                    Err(broadcast::error::RecvError::Lagged(_)) => Event::default().event("reload").data("lagged"),
                    Err(broadcast::error::RecvError::Closed) => return None,
                },
                _ = stopping.changed() => return None,
            };
            Some((Ok(event), (receiver, stopping, pending)))
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_servers_own_host_names_are_answered() {
        let allowed: Vec<String> = ["localhost", "127.0.0.1", "[::1]", "preview.test"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        for ok in [
            "localhost",
            "localhost:3000",
            "127.0.0.1:8080",
            "[::1]:3000",
            "[::1]",
            "PREVIEW.test:1",
        ] {
            assert!(host_allowed(ok, &allowed), "{ok}");
        }
        for bad in [
            "evil.example",
            "evil.example:3000",
            "localhost.evil.example",
            "127.0.0.1.nip.io",
            "[::2]:3000",
            "",
        ] {
            assert!(!host_allowed(bad, &allowed), "{bad}");
        }
    }

    #[test]
    fn request_paths_never_leave_the_site() {
        assert_eq!(site_path("").as_deref(), Some("index.html"));
        assert_eq!(site_path("design/").as_deref(), Some("design/index.html"));
        assert_eq!(
            site_path("static/diglot.css").as_deref(),
            Some("static/diglot.css")
        );
        assert_eq!(
            site_path("%E8%AE%BE%E8%AE%A1/").as_deref(),
            Some("设计/index.html")
        );
        for bad in [
            "../etc/passwd",
            "%2e%2e/x",
            "..%2fx",
            "a/../../b",
            "a\\..\\b",
            "%5c..",
            ".git/config",
            "a/%00",
            "%ff",
        ] {
            assert_eq!(site_path(bad), None, "{bad}");
        }
    }
}
