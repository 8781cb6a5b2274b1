//! The preview server and the watcher under hostile or careless use: clients that hold
//! connections open, methods and headers the preview does not serve, and content folders
//! that vanish and come back. The real server on port 0 in a temporary copy; every wait is
//! bounded.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::mpsc::{channel, Receiver};
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

/// A live-reload client: the names (and data) of the events it receives, in order.
fn events(server: &Server) -> Receiver<(String, String)> {
    live_events(server.addr, WAIT)
}

/// Skips events until one named `name`, and returns its data.
fn wait_for_event(rx: &Receiver<(String, String)>, name: &str) -> String {
    let deadline = Instant::now() + WAIT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok((n, data)) if n == name => return data,
            Ok(_) => {}
            Err(_) => panic!("no `{name}` event within {WAIT:?}"),
        }
    }
}

fn wait_until(what: &str, mut check: impl FnMut() -> bool) {
    let start = Instant::now();
    while !check() {
        assert!(start.elapsed() < WAIT, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Status code and body of a GET.
fn fetch(server: &Server, path: &str) -> (u16, String) {
    let response = raw(
        server.addr,
        &format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"),
    );
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status_of(&response), body)
}

/// How a tool takes the content folder away and brings it back.
#[derive(Clone, Copy, Debug)]
enum Replace {
    /// `rm -rf content && cp -r saved content`
    RemoveAndCopy,
    /// `mv content away && mv away content`
    MoveAwayAndBack,
}

impl Replace {
    fn take_away(self, content: &Path, aside: &Path) {
        match self {
            Replace::RemoveAndCopy => {
                copy_dir(content, aside);
                std::fs::remove_dir_all(content).expect("rm -rf content");
            }
            Replace::MoveAwayAndBack => std::fs::rename(content, aside).expect("mv away"),
        }
    }

    fn bring_back(self, content: &Path, aside: &Path) {
        match self {
            Replace::RemoveAndCopy => copy_dir(aside, content),
            Replace::MoveAwayAndBack => std::fs::rename(aside, content).expect("mv back"),
        }
    }
}

fn serve_follows_a_content_folder_that_comes_back(how: Replace) {
    let book = copy_fixture("parallel");
    let aside_dir = tempfile::tempdir().expect("temp dir");
    let aside = match how {
        // Next to the book's files, as `git checkout` or an editor's backup would.
        Replace::MoveAwayAndBack => book.path().join("content-away"),
        Replace::RemoveAndCopy => aside_dir.path().join("content"),
    };
    let content = book.path().join("content");
    let server = serve(book.path());
    let rx = events(&server);

    how.take_away(&content, &aside);
    let report = wait_for_event(&rx, "error-report");
    assert!(
        report.contains("content folder not found"),
        "{how:?}: {report}"
    );
    let (status, body) = fetch(&server, "/__diglot/status");
    assert_eq!(status, 200);
    assert!(body.contains("content folder not found"), "{how:?}: {body}");
    if let Replace::MoveAwayAndBack = how {
        // (`rm -rf` deletes file by file: a rebuild may see some pages gone first.)
        let (status, body) = fetch(&server, "/planning/checklist/");
        assert_eq!(status, 200, "{how:?}: the last good site stays");
        assert!(body.contains("备份数据库"));
    }

    // Edited while away: the return shows it.
    let away_page = aside.join("01-planning/02-checklist.md");
    let text = std::fs::read_to_string(&away_page).expect("read");
    std::fs::write(
        &away_page,
        format!("{text}\n离开时修改。\nEdited while away.\n"),
    )
    .expect("write");
    how.bring_back(&content, &aside);
    wait_until("the edit made while away", || {
        fetch(&server, "/planning/checklist/")
            .1
            .contains("Edited while away.")
    });
    wait_until("the error to clear", || {
        fetch(&server, "/__diglot/status")
            .1
            .contains("\"errors\":null")
    });

    // The watch is back: a new page and an edit after the return both show.
    std::fs::write(content.join("01-planning/03-new.md"), "# 新页 | New page\n").expect("write");
    wait_until("the new page", || fetch(&server, "/planning/new/").0 == 200);
    let page = content.join("01-planning/02-checklist.md");
    let text = std::fs::read_to_string(&page).expect("read");
    std::fs::write(
        &page,
        format!("{text}\n回来后修改。\nEdited after the return.\n"),
    )
    .expect("write");
    wait_until("the edit after the return", || {
        fetch(&server, "/planning/checklist/")
            .1
            .contains("Edited after the return.")
    });
    server.stop();
}

#[test]
fn serve_follows_a_content_folder_removed_and_copied_back() {
    serve_follows_a_content_folder_that_comes_back(Replace::RemoveAndCopy);
}

#[test]
fn serve_follows_a_content_folder_moved_away_and_back() {
    serve_follows_a_content_folder_that_comes_back(Replace::MoveAwayAndBack);
}

#[test]
fn serve_follows_a_content_folder_replaced_at_once() {
    // `rm -rf content && cp -r …` in one go: the folder is back before the watcher looks.
    let book = copy_fixture("parallel");
    let saved = tempfile::tempdir().expect("temp dir");
    let content = book.path().join("content");
    copy_dir(&content, saved.path());
    let server = serve(book.path());
    let rx = events(&server);
    std::fs::remove_dir_all(&content).expect("rm -rf");
    copy_dir(saved.path(), &content);
    wait_for_event(&rx, "reload");
    wait_until("the error, if any, to clear", || {
        fetch(&server, "/__diglot/status")
            .1
            .contains("\"errors\":null")
    });
    std::fs::write(content.join("01-planning/03-new.md"), "# 新页 | New page\n").expect("write");
    wait_until("the new page", || fetch(&server, "/planning/new/").0 == 200);
    server.stop();
}

/// `diglot watch`, ended when dropped.
struct Watching(std::process::Child);

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `diglot watch` in `dir`; its stderr lines arrive on the receiver.
fn watch(dir: &Path) -> (Watching, Receiver<String>) {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("diglot"))
        .arg("watch")
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let running = Watching(child);
    wait_for_line(&rx, "watching");
    (running, rx)
}

fn wait_for_line(rx: &Receiver<String>, start: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) if line.starts_with(start) => return line,
            Ok(_) => {}
            Err(_) => panic!("no line starting with `{start}`"),
        }
    }
}

#[test]
fn watch_follows_a_content_folder_that_comes_back() {
    for how in [Replace::RemoveAndCopy, Replace::MoveAwayAndBack] {
        let book = copy_fixture("parallel");
        let aside_dir = tempfile::tempdir().expect("temp dir");
        let aside = aside_dir.path().join("content");
        let content = book.path().join("content");
        let output = book.path().join("public/planning/checklist/index.html");
        let (_watching, lines) = watch(book.path());

        how.take_away(&content, &aside);
        let error = wait_for_line(&lines, "error:");
        assert!(
            error.contains("content folder not found"),
            "{how:?}: {error}"
        );
        if let Replace::MoveAwayAndBack = how {
            // (`rm -rf` deletes file by file: a build may see some pages gone first.)
            assert!(output.is_file(), "{how:?}: the last good output stays");
        }

        how.bring_back(&content, &aside);
        wait_for_line(&lines, "built ");
        let page = content.join("01-planning/02-checklist.md");
        let text = std::fs::read_to_string(&page).expect("read");
        std::fs::write(
            &page,
            format!("{text}\n回来后修改。\nEdited after the return.\n"),
        )
        .expect("write");
        built_until(
            &lines,
            &format!("{how:?}: the edit after the return never reached the output"),
            || {
                std::fs::read_to_string(&output)
                    .unwrap_or_default()
                    .contains("Edited after the return.")
            },
        );
    }
}

/// Waits for `watch`'s builds until `done`, for at most 20 s (`what` says what never came).
fn built_until(lines: &Receiver<String>, what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while !done() {
        assert!(Instant::now() < deadline, "{what}");
        wait_for_line(lines, "built ");
    }
}

#[test]
fn watch_starts_before_the_content_folder_exists_and_builds_when_it_appears() {
    let book = copy_fixture("parallel");
    let saved = tempfile::tempdir().expect("temp dir");
    let content = book.path().join("content");
    copy_dir(&content, saved.path());
    std::fs::remove_dir_all(&content).expect("rm -rf");
    let (_watching, lines) = watch(book.path());
    copy_dir(saved.path(), &content);
    let output = book.path().join("public/planning/checklist/index.html");
    built_until(&lines, "never built once content appeared", || {
        output.is_file()
    });
}

#[test]
fn serve_follows_a_themes_folder_moved_away_and_back() {
    let book = copy_fixture("parallel");
    let themes = book.path().join("themes");
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    copy_dir(&repo.join("themes/default"), &themes.join("custom"));
    let config = book.path().join("book.toml");
    let text = std::fs::read_to_string(&config).expect("read");
    std::fs::write(&config, format!("{text}\n[build]\ntheme = \"custom\"\n")).expect("write");
    let server = serve(book.path());
    let rx = events(&server);
    let aside = book.path().join("themes-away");
    std::fs::rename(&themes, &aside).expect("mv away");
    wait_for_event(&rx, "error-report");
    std::fs::rename(&aside, &themes).expect("mv back");
    wait_for_event(&rx, "reload");
    let page = themes.join("custom/templates/base.html");
    let template = std::fs::read_to_string(&page).expect("read");
    std::fs::write(
        &page,
        format!("{template}\n<!-- theme edited after its return -->\n"),
    )
    .expect("write");
    wait_until("the theme edit", || {
        fetch(&server, "/planning/checklist/")
            .1
            .contains("theme edited after its return")
    });
    server.stop();
}
