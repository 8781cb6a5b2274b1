//! The preview server, started for real on a free port, with every wait bounded.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::mpsc::Receiver;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use diglot::serve::{start, ServeError, ServeOptions, Server};

const WAIT: Duration = Duration::from_secs(10);

fn serve(root: &Path, base_url: Option<&str>) -> Server {
    let opts = ServeOptions {
        base_url: base_url.map(str::to_string),
        ..ServeOptions::loopback(root.to_path_buf())
    };
    start(&opts, Arc::new(|_| {})).expect("server starts")
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(WAIT))
        .build()
        .into()
}

struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn get(server: &Server, path: &str) -> Reply {
    let mut response = agent()
        .get(&format!("http://{}{path}", server.addr))
        .call()
        .expect("request");
    let headers = response
        .headers()
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    Reply {
        status: response.status().as_u16(),
        headers,
        body: response.body_mut().read_to_string().unwrap_or_default(),
    }
}

/// Sends a request line exactly as written (no client-side normalisation) and returns the
/// status code and body.
fn raw_get(addr: SocketAddr, target: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(WAIT)).expect("timeout");
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut text = String::new();
    let _ = stream.read_to_string(&mut text);
    let status = text
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, text)
}

/// A live-reload client: the names (and data) of the events it receives, in order.
fn events(server: &Server) -> Receiver<(String, String)> {
    live_events(server.addr, WAIT)
}

fn next_event(rx: &Receiver<(String, String)>) -> (String, String) {
    rx.recv_timeout(WAIT)
        .expect("an event within the time limit")
}

fn wait_until(what: &str, mut check: impl FnMut() -> bool) {
    let start = Instant::now();
    while !check() {
        assert!(start.elapsed() < WAIT, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn status(server: &Server) -> serde_json::Value {
    serde_json::from_str(&get(server, "/__diglot/status").body).expect("status json")
}

#[test]
fn pages_and_assets_are_served_with_their_types_and_revalidation() {
    let book = copy_fixture("parallel");
    let server = serve(book.path(), None);
    for (path, ty) in [
        ("/", "text/html; charset=utf-8"),
        ("/zh/planning/capacity/", "text/html; charset=utf-8"),
        ("/static/diglot.css", "text/css; charset=utf-8"),
        ("/static/diglot.js", "text/javascript; charset=utf-8"),
        ("/toc.js", "text/javascript; charset=utf-8"),
        ("/01-planning/diagram.svg", "image/svg+xml"),
        ("/__diglot/status", "application/json"),
    ] {
        let r = get(&server, path);
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.header("content-type"), Some(ty), "{path}");
    }
    let page = get(&server, "/planning/capacity/");
    assert!(
        page.body.contains("<script src=\"/__diglot/live.js\""),
        "live reload script injected"
    );
    let etag = page.header("etag").expect("etag").to_string();
    let again = agent()
        .get(&format!("http://{}/planning/capacity/", server.addr))
        .header("If-None-Match", &etag)
        .call()
        .expect("request");
    assert_eq!(again.status().as_u16(), 304);
    let head = agent()
        .head(&format!("http://{}/planning/capacity/", server.addr))
        .call()
        .expect("head");
    assert_eq!(head.status().as_u16(), 200);
    let redirect = get(&server, "/planning/capacity?view=en");
    assert_eq!(redirect.status, 308);
    assert_eq!(
        redirect.header("location"),
        Some("/planning/capacity/?view=en")
    );
    let missing = get(&server, "/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(
        missing.body.contains("Page not found"),
        "the site's own 404 page"
    );
    assert_eq!(get(&server, "/planning/").status, 200);
    server.stop();
}

#[test]
fn traversal_and_hidden_paths_are_refused() {
    let book = copy_fixture("parallel");
    std::fs::write(book.path().join("secret.txt"), "top secret").expect("write");
    let server = serve(book.path(), None);
    for target in [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/..%2fsecret.txt",
        "/static/..%5c..%5csecret.txt",
        "//etc/passwd",
        "/.diglot-output",
        "/%2e/%2e%2e/book.toml",
        "/static/../../book.toml",
    ] {
        let (status, text) = raw_get(server.addr, target);
        assert!(status == 404 || status == 400, "{target}: {status}");
        assert!(
            !text.contains("top secret") && !text.contains("[book]"),
            "{target} leaked a file"
        );
    }
    server.stop();
}

#[test]
fn edits_in_place_and_by_rename_reload_and_serve_the_new_content() {
    let book = copy_fixture("parallel");
    let server = serve(book.path(), None);
    let rx = events(&server);
    let page = book.path().join("content/01-planning/02-checklist.md");
    let original = std::fs::read_to_string(&page).expect("read");

    std::fs::write(&page, format!("{original}\n就地修改。\nEdited in place.\n")).expect("write");
    assert_eq!(next_event(&rx).0, "reload");
    assert!(get(&server, "/planning/checklist/")
        .body
        .contains("Edited in place."));

    // Editors such as vim write a temporary file and rename it over the original.
    let tmp = page.with_file_name(".02-checklist.md.swp");
    std::fs::write(&tmp, format!("{original}\n改名保存。\nSaved by rename.\n")).expect("write");
    std::fs::rename(&tmp, &page).expect("rename");
    assert_eq!(next_event(&rx).0, "reload");
    let body = get(&server, "/en/planning/checklist/").body;
    assert!(body.contains("Saved by rename.") && !body.contains("Edited in place."));

    // A new page appears, a deleted page answers 404.
    std::fs::write(
        book.path().join("content/01-planning/03-new.md"),
        "# 新页 | New page\n",
    )
    .expect("write");
    assert_eq!(next_event(&rx).0, "reload");
    assert_eq!(get(&server, "/planning/new/").status, 200);
    std::fs::remove_file(&page).expect("delete");
    assert_eq!(next_event(&rx).0, "reload");
    assert_eq!(get(&server, "/planning/checklist/").status, 404);
    server.stop();
}

#[test]
fn a_broken_file_shows_its_error_and_the_last_good_site_stays() {
    let book = copy_fixture("parallel");
    let server = serve(book.path(), None);
    let rx = events(&server);
    let page = book.path().join("content/01-planning/02-checklist.md");
    let original = std::fs::read_to_string(&page).expect("read");
    std::fs::write(&page, "+++\ntitle = \"x\"\nweight = \"heavy\"\n+++\n").expect("write");
    let (name, data) = next_event(&rx);
    assert_eq!(name, "error-report");
    assert!(
        data.contains("content/01-planning/02-checklist.md:3:10"),
        "{data}"
    );
    let still = get(&server, "/planning/checklist/");
    assert_eq!(still.status, 200);
    assert!(
        still.body.contains("备份数据库"),
        "the last good page is still served"
    );
    // A page opened now learns of the error at once.
    let late = events(&server);
    assert_eq!(next_event(&late).0, "error-report");
    std::fs::write(&page, original).expect("fix");
    assert_eq!(next_event(&rx).0, "reload");
    assert!(status(&server)["errors"].is_null());
    server.stop();
}

#[test]
fn the_same_error_twice_is_reported_to_open_pages_once() {
    let book = copy_fixture("parallel");
    let server = serve(book.path(), None);
    let rx = events(&server);
    let page = book.path().join("content/01-planning/02-checklist.md");
    let original = std::fs::read_to_string(&page).expect("read");
    let broken = "+++\ntitle = \"x\"\nweight = \"heavy\"\n+++\n";
    std::fs::write(&page, broken).expect("break");
    assert_eq!(next_event(&rx).0, "error-report");
    std::fs::write(&page, broken).expect("break again, the same way");
    // Nothing to wait for but time: the watcher reacts within milliseconds.
    assert!(
        rx.recv_timeout(Duration::from_millis(800)).is_err(),
        "the same error was sent again"
    );
    assert_eq!(status(&server)["failures"], 2);
    std::fs::write(&page, original).expect("fix");
    assert_eq!(next_event(&rx).0, "reload");
    server.stop();
}

#[test]
fn a_save_that_changes_nothing_reloads_no_page() {
    let book = copy_fixture("parallel");
    let server = serve(book.path(), None);
    let rx = events(&server);
    let page = book.path().join("content/02-operations/01-incidents.md");
    let text = std::fs::read_to_string(&page).expect("read");
    std::fs::write(&page, &text).expect("write the same text");
    // Nothing to wait for but time: the watcher reacts within milliseconds.
    assert!(
        rx.recv_timeout(Duration::from_millis(800)).is_err(),
        "a save without a change sent a reload"
    );
    assert_eq!(status(&server)["build"], 1);
    std::fs::write(&page, text.replace("先确认影响范围", "先确认影响的范围")).expect("edit");
    assert_eq!(next_event(&rx).0, "reload");
    assert_eq!(
        status(&server)["rendered"],
        serde_json::json!(["operations/incidents/"])
    );
    server.stop();
}

#[test]
fn an_edit_that_breaks_another_pages_link_is_reported_though_only_it_is_rendered() {
    let book = copy_fixture("parallel");
    let server = serve(book.path(), None);
    let rx = events(&server);
    let target = book.path().join("content/01-planning/02-checklist.md");
    let original = std::fs::read_to_string(&target).expect("read");
    // The capacity page links to `#检查清单--checklist`; renaming the heading breaks it. Only
    // the edited page is rendered again, so the capacity page's link is checked from what
    // its last rendering found.
    std::fs::write(
        &target,
        original.replace("## 检查清单 | Checklist", "## 清单 | List"),
    )
    .expect("write");
    let (name, data) = next_event(&rx);
    assert_eq!(name, "error-report");
    assert!(
        data.contains("content/01-planning/01-capacity.md:33:5")
            && data.contains("检查清单--checklist"),
        "{data}"
    );
    std::fs::write(&target, original).expect("fix");
    assert_eq!(next_event(&rx).0, "reload");
    assert!(status(&server)["errors"].is_null());
    server.stop();
}

#[test]
fn one_edit_renders_only_that_page_and_a_burst_gives_few_rebuilds() {
    let book = copy_fixture("parallel");
    let server = serve(book.path(), None);
    let rx = events(&server);
    let page = book.path().join("content/02-operations/01-incidents.md");
    let text = std::fs::read_to_string(&page).expect("read");
    std::fs::write(&page, text.replace("先确认影响范围", "先确认影响的范围")).expect("write");
    assert_eq!(next_event(&rx).0, "reload");
    let s = status(&server);
    assert_eq!(
        s["rendered"],
        serde_json::json!(["operations/incidents/"]),
        "only the edited page: {s}"
    );
    assert_eq!(s["full"], false);
    assert_eq!(s["read"], 1, "only the edited file was read again");

    // A title change re-renders everything (the sidebar and neighbours show titles).
    std::fs::write(
        &page,
        text.replace(
            "# 事故处理 | Incident Handling",
            "# 故障处理 | Incident Response",
        ),
    )
    .expect("write");
    assert_eq!(next_event(&rx).0, "reload");
    assert_eq!(status(&server)["full"], true);

    let before = status(&server)["build"].as_u64().expect("build");
    let dir = book.path().join("content/02-operations");
    for i in 0..50 {
        std::fs::write(
            dir.join(format!("burst-{i:02}.md")),
            format!("# 页 {i} | Page {i}\n"),
        )
        .expect("write");
    }
    assert_eq!(next_event(&rx).0, "reload");
    wait_until("all 50 pages", || {
        get(&server, "/operations/burst-49/").status == 200
    });
    std::thread::sleep(Duration::from_millis(300));
    let after = status(&server)["build"].as_u64().expect("build");
    assert!(
        after - before <= 2,
        "{} rebuilds for one burst",
        after - before
    );
    server.stop();
}

/// Sends a GET with the given extra header lines and returns the status.
fn get_with(addr: SocketAddr, target: &str, headers: &str) -> u16 {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(WAIT)).expect("timeout");
    write!(
        stream,
        "GET {target} HTTP/1.1\r\n{headers}Connection: close\r\n\r\n"
    )
    .expect("send");
    let mut text = String::new();
    let _ = stream.take(4096).read_to_string(&mut text);
    text.split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

#[test]
fn foreign_hosts_and_origins_are_refused() {
    let book = copy_fixture("parallel");
    let opts = ServeOptions {
        allowed_hosts: vec!["docs.internal".into()],
        ..ServeOptions::loopback(book.path().to_path_buf())
    };
    let server = start(&opts, Arc::new(|_| {})).expect("server");
    let port = server.addr.port();
    assert_eq!(
        get_with(server.addr, "/", &format!("Host: localhost:{port}\r\n")),
        200
    );
    assert_eq!(
        get_with(server.addr, "/", &format!("Host: 127.0.0.1:{port}\r\n")),
        200
    );
    assert_eq!(
        get_with(server.addr, "/", "Host: docs.internal\r\n"),
        200,
        "a name the user allowed"
    );
    assert_eq!(
        get_with(server.addr, "/", "Host: evil.example\r\n"),
        403,
        "DNS rebinding"
    );
    assert_eq!(
        get_with(
            server.addr,
            "/",
            &format!("Host: localhost.evil.example:{port}\r\n")
        ),
        403
    );
    assert_eq!(
        get_with(
            server.addr,
            "/__diglot/events",
            &format!("Host: localhost:{port}\r\nOrigin: http://evil.example\r\n")
        ),
        403
    );
    assert_eq!(
        get_with(
            server.addr,
            "/__diglot/events",
            &format!("Host: localhost:{port}\r\nOrigin: null\r\n")
        ),
        403
    );
    let page = get(&server, "/");
    assert!(page.header("access-control-allow-origin").is_none());
    server.stop();
}

#[test]
fn slow_clients_cannot_hold_the_server() {
    let book = copy_fixture("parallel");
    let server = serve(book.path(), None);
    // Connections that never finish their headers.
    let idle: Vec<TcpStream> = (0..50)
        .map(|_| {
            let mut s = TcpStream::connect(server.addr).expect("connect");
            let _ = s.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\n");
            s
        })
        .collect();
    let started = Instant::now();
    assert_eq!(get(&server, "/planning/").status, 200);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "others are still served"
    );
    drop(idle);
    server.stop();
}

#[test]
fn a_base_url_sub_path_is_served_under_it() {
    let book = copy_fixture("parallel");
    let server = serve(book.path(), Some("/guide/"));
    assert!(server.url().ends_with("/guide/"));
    assert_eq!(get(&server, "/guide/").status, 200);
    assert_eq!(get(&server, "/guide/static/diglot.css").status, 200);
    let root = get(&server, "/");
    assert_eq!(
        (root.status, root.header("location")),
        (308, Some("/guide/"))
    );
    assert_eq!(get(&server, "/static/diglot.css").status, 404);
    assert!(get(&server, "/guide/planning/")
        .body
        .contains("src=\"/guide/__diglot/live.js\""));
    server.stop();
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let book = copy_fixture("parallel");
    let server = serve(book.path(), None);
    let opts = ServeOptions {
        port: server.addr.port(),
        ..ServeOptions::loopback(book.path().to_path_buf())
    };
    match start(&opts, Arc::new(|_| {})) {
        Err(ServeError::Bind { source, .. }) => {
            assert_eq!(source.kind(), std::io::ErrorKind::AddrInUse)
        }
        Err(e) => panic!("expected a bind error, got {e}"),
        Ok(_) => panic!("expected a bind error, got a server"),
    }
    server.stop();
}

#[test]
fn a_changed_po_file_reloads_the_pages_it_translates() {
    let book = copy_fixture("po-book");
    let server = serve(book.path(), None);
    let rx = events(&server);
    assert!(get(&server, "/basics/variables/")
        .body
        .contains("变量保存一个值。"));
    let po = book.path().join("po/zh-CN.po");
    let text = std::fs::read_to_string(&po).expect("read");
    std::fs::write(&po, text.replace("变量保存一个值。", "变量存放一个值。")).expect("write");
    assert_eq!(next_event(&rx).0, "reload");
    let body = get(&server, "/basics/variables/").body;
    assert!(body.contains("变量存放一个值。") && !body.contains("变量保存一个值。"));
    server.stop();
}

#[test]
fn the_polling_watcher_notices_an_edit_too() {
    let book = copy_fixture("parallel");
    let opts = ServeOptions {
        poll: true,
        ..ServeOptions::loopback(book.path().to_path_buf())
    };
    let server = start(&opts, Arc::new(|_| {})).expect("server starts");
    let rx = events(&server);
    let page = book.path().join("content/01-planning/02-checklist.md");
    let original = std::fs::read_to_string(&page).expect("read");
    // The poller takes its first look at the files in its own time (later on a busy
    // machine): an edit made before that look is its starting point, not a change. Edit
    // again until a reload comes.
    let start = Instant::now();
    let mut edits = 0;
    let event = loop {
        edits += 1;
        let text = format!("{original}\n轮询发现 {edits}。\nSeen by polling {edits}.\n");
        std::fs::write(&page, text).expect("write");
        match rx.recv_timeout(Duration::from_secs(2)) {
            Ok(event) => break event,
            Err(_) => assert!(start.elapsed() < WAIT, "no reload within the time limit"),
        }
    };
    assert_eq!(event.0, "reload");
    let last = format!("Seen by polling {edits}.");
    wait_until("the last edit to be served", || {
        get(&server, "/planning/checklist/").body.contains(&last)
    });
    server.stop();
}

#[test]
fn drafts_are_served_only_when_asked() {
    let book = copy_fixture("parallel");
    std::fs::write(
        book.path().join("content/01-planning/09-draft.md"),
        "+++\ndraft = true\n+++\n\n# 草稿 | Draft\n\n草稿。\n\nA draft.\n",
    )
    .expect("write");
    let server = serve(book.path(), None);
    assert_eq!(get(&server, "/planning/draft/").status, 404);
    server.stop();
    let opts = ServeOptions {
        drafts: true,
        ..ServeOptions::loopback(book.path().to_path_buf())
    };
    let server = start(&opts, Arc::new(|_| {})).expect("server starts");
    assert!(get(&server, "/planning/draft/").body.contains("A draft."));
    server.stop();
    // `build --drafts` too.
    let out = book.path().join("out");
    let built = run_diglot(
        book.path(),
        &["build", "--drafts", "-o", out.to_str().expect("utf-8")],
    );
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    assert!(out.join("planning/draft/index.html").is_file());
}
