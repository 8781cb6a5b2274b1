//! The preview server and the watcher under hostile or careless use: clients that hold
//! connections open, methods and headers the preview does not serve, and content folders
//! that vanish and come back. The real server on port 0 in a temporary copy; every wait is
//! bounded.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use diglot::serve::{start, ServeOptions, Server};

const WAIT: Duration = Duration::from_secs(10);

fn serve(root: &Path) -> Server {
    start(
        &ServeOptions::loopback(root.to_path_buf()),
        Arc::new(|_| {}),
    )
    .expect("server starts")
}

/// Sends `request` exactly as written and returns the response's head and body as text.
fn raw(addr: SocketAddr, request: &str) -> String {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(WAIT)).expect("timeout");
    stream.write_all(request.as_bytes()).expect("send");
    let mut text = String::new();
    let _ = stream.take(64 * 1024).read_to_string(&mut text);
    text
}

fn status_of(response: &str) -> u16 {
    response
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

fn header<'a>(response: &'a str, name: &str) -> Option<&'a str> {
    let head = response.split("\r\n\r\n").next()?;
    head.lines().skip(1).find_map(|line| {
        let (n, v) = line.split_once(':')?;
        n.eq_ignore_ascii_case(name).then_some(v.trim())
    })
}

/// A GET on a fresh connection; the status and how long the answer took.
fn timed_get(addr: SocketAddr, path: &str) -> (u16, Duration) {
    let started = Instant::now();
    let Ok(mut stream) = TcpStream::connect_timeout(&addr, WAIT) else {
        return (0, started.elapsed());
    };
    let _ = stream.set_read_timeout(Some(WAIT));
    let _ = write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    );
    let mut line = String::new();
    let _ = BufReader::new(stream).read_line(&mut line);
    (status_of(&line), started.elapsed())
}

/// Enough file descriptors for a thousand client sockets and the server's side of them.
fn raise_open_file_limit(wanted: u64) {
    // SAFETY: getrlimit/setrlimit only read and write the struct passed in.
    unsafe {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return;
        }
        if limit.rlim_cur < wanted as libc::rlim_t {
            limit.rlim_cur = (wanted as libc::rlim_t).min(limit.rlim_max);
            libc::setrlimit(libc::RLIMIT_NOFILE, &limit);
        }
    }
}

/// How long a connection may take to be accepted: long enough for a handshake dropped once
/// under load (the kernel retries after a second), short of the server's header timeout.
const CONNECT_WAIT: Duration = Duration::from_secs(4);

/// Opens a connection. One the server does not take in time is a client locked out: a server
/// that stops accepting leaves the rest to the kernel's queue, then drops their handshakes.
fn connect(addr: SocketAddr, opened: usize) -> TcpStream {
    TcpStream::connect_timeout(&addr, CONNECT_WAIT)
        .unwrap_or_else(|e| panic!("connection {} was not accepted: {e}", opened + 1))
}

#[test]
fn a_thousand_idle_connections_do_not_lock_out_a_real_request() {
    raise_open_file_limit(4096);
    let book = copy_fixture("parallel");
    let server = serve(book.path());
    let mut held = Vec::new();
    // Keep-alive connections that finished a request and now sit idle.
    for _ in 0..300 {
        let mut s = connect(server.addr, held.len());
        let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
        let _ = s.write_all(b"GET /__diglot/status HTTP/1.1\r\nHost: localhost\r\n\r\n");
        let mut first = [0u8; 12];
        let _ = s.read_exact(&mut first);
        assert_eq!(&first, b"HTTP/1.1 200", "a keep-alive request is answered");
        held.push(s);
    }
    // Slowloris: request headers begun and never finished.
    for _ in 0..350 {
        let mut s = connect(server.addr, held.len());
        let _ = s.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Wait: ");
        held.push(s);
    }
    // Connections that send nothing at all.
    for _ in 0..350 {
        held.push(connect(server.addr, held.len()));
    }
    let (status, took) = timed_get(server.addr, "/planning/");
    assert_eq!(status, 200, "a fresh request is answered");
    assert!(
        took < Duration::from_secs(1),
        "a fresh request took {took:?} with {} idle connections open",
        held.len()
    );
    // And it keeps being so while the idle ones are still held.
    for _ in 0..5 {
        let (status, took) = timed_get(server.addr, "/");
        assert_eq!(status, 200);
        assert!(took < Duration::from_secs(1), "took {took:?}");
    }
    drop(held);
    server.stop();
}

#[test]
fn a_trickling_header_holder_does_not_block_others() {
    raise_open_file_limit(4096);
    let book = copy_fixture("parallel");
    let server = serve(book.path());
    let mut held: Vec<TcpStream> = (0..1000)
        .map(|i| {
            let mut s = connect(server.addr, i);
            let _ = s.write_all(b"GET / HTTP/1.1\r\n");
            s
        })
        .collect();
    // Each holder sends one more header byte: all are now recently active.
    for s in &mut held {
        let _ = s.write_all(b"X");
    }
    let (status, took) = timed_get(server.addr, "/planning/");
    assert_eq!(status, 200);
    assert!(took < Duration::from_secs(1), "took {took:?}");
    drop(held);
    server.stop();
}

#[test]
fn methods_other_than_get_and_head_are_refused_with_405() {
    let book = copy_fixture("parallel");
    let server = serve(book.path());
    for method in [
        "POST", "PUT", "DELETE", "PATCH", "TRACE", "OPTIONS", "PROPFIND", "BREW",
    ] {
        let response = raw(
            server.addr,
            &format!(
                "{method} /planning/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"
            ),
        );
        assert_eq!(status_of(&response), 405, "{method}: {response}");
        assert_eq!(header(&response, "allow"), Some("GET, HEAD"), "{method}");
    }
    // Also on the preview's own endpoints and on paths that do not exist.
    for path in ["/__diglot/status", "/__diglot/events", "/no/such/"] {
        let response = raw(
            server.addr,
            &format!("DELETE {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
        );
        assert_eq!(status_of(&response), 405, "{path}");
    }
    let connect = raw(
        server.addr,
        "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status_of(&connect), 405, "CONNECT: {connect}");
    assert_eq!(header(&connect, "allow"), Some("GET, HEAD"));
    // GET and HEAD still work.
    let head = raw(
        server.addr,
        "HEAD /planning/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status_of(&head), 200, "{head}");
    server.stop();
}

#[test]
fn ambiguous_or_missing_hosts_are_refused() {
    let book = copy_fixture("parallel");
    let server = serve(book.path());
    let two = raw(
        server.addr,
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status_of(&two), 400, "two Host headers: {two}");
    let same_twice = raw(
        server.addr,
        "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status_of(&same_twice), 400, "two Host headers, same value");
    let none = raw(server.addr, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert_eq!(status_of(&none), 400, "HTTP/1.1 without Host: {none}");
    // An absolute request target names the host too, and wins over the header.
    let absolute = raw(
        server.addr,
        "GET http://evil.example/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(status_of(&absolute), 403, "{absolute}");
    let absolute_ok = raw(
        server.addr,
        &format!(
            "GET http://localhost:{}/planning/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
            server.addr.port()
        ),
    );
    assert_eq!(status_of(&absolute_ok), 200, "{absolute_ok}");
    // HTTP/1.0 has no Host requirement.
    let old = raw(server.addr, "GET /planning/ HTTP/1.0\r\n\r\n");
    assert_eq!(status_of(&old), 200, "{old}");
    server.stop();
}
