//! Measures the preview's save-to-reload latency: the time from writing a page to the
//! reload event reaching a connected client, and to the new text being served.
//!
//!     cargo run --release --example reload_latency -- BOOK_DIR REL_PAGE [EDITS]
//!
//! The book is copied to a temporary folder first; the original is never touched.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::mpsc::channel;
use std::sync::Arc;
use std::time::{Duration, Instant};

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().flatten() {
        let Ok(rel) = entry.path().strip_prefix(from) else {
            continue;
        };
        if rel.starts_with("public") || rel.starts_with("target") || rel.starts_with(".git") {
            continue;
        }
        let dest = to.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
        } else {
            std::fs::copy(entry.path(), &dest).expect("copy");
        }
    }
}

fn fetch(addr: SocketAddr, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).expect("connect");
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut body = String::new();
    let _ = stream.read_to_string(&mut body);
    body
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(book), Some(page)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: reload_latency BOOK_DIR REL_PAGE [EDITS]");
        std::process::exit(2);
    };
    let edits: usize = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(20);
    let tmp = tempfile::tempdir().expect("temp dir");
    copy_dir(Path::new(book), tmp.path());
    let page_file: PathBuf = tmp.path().join(page);
    let original = std::fs::read_to_string(&page_file).expect("page to edit");

    let opts = diglot::serve::ServeOptions::loopback(tmp.path().to_path_buf());
    let server = diglot::serve::start(&opts, Arc::new(|_| {})).expect("server");
    let status: serde_json::Value = {
        let text = fetch(server.addr, "/__diglot/status");
        serde_json::from_str(text.split("\r\n\r\n").nth(1).unwrap_or("{}")).expect("status")
    };
    let pages = status["rendered"].as_array().map_or(0, Vec::len);

    let mut stream = TcpStream::connect(server.addr).expect("connect");
    write!(
        stream,
        "GET /__diglot/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    )
    .expect("send");
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if let Some(name) = line.strip_prefix("event: ") {
                if tx.send((name.to_string(), Instant::now())).is_err() {
                    break;
                }
            }
        }
    });
    let _ = rx.recv_timeout(Duration::from_secs(10)).expect("hello");

    // The page's URL: ask the server which page re-renders after the first edit.
    let mut to_event = Vec::new();
    let mut to_served = Vec::new();
    let mut url = String::new();
    for n in 0..=edits {
        std::thread::sleep(Duration::from_millis(700));
        let marker = format!("标记 {n}。");
        // Events left over from the previous edit are not this edit's.
        while rx.try_recv().is_ok() {}
        let started = Instant::now();
        std::fs::write(&page_file, format!("{original}\n{marker}\nMarker {n}.\n")).expect("write");
        let (name, at) = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("reload event");
        assert_eq!(name, "reload");
        if n == 0 {
            let text = fetch(server.addr, "/__diglot/status");
            let status: serde_json::Value =
                serde_json::from_str(text.split("\r\n\r\n").nth(1).unwrap_or("{}"))
                    .expect("status");
            url = format!(
                "/{}",
                status["rendered"][0].as_str().expect("a rendered page")
            );
            continue; // warm-up
        }
        to_event.push(at.duration_since(started).as_secs_f64() * 1000.0);
        while !fetch(server.addr, &url).contains(&marker) {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "new text never served"
            );
        }
        to_served.push(started.elapsed().as_secs_f64() * 1000.0);
    }
    std::fs::write(&page_file, original).expect("restore");
    server.stop();
    for (what, mut v) in [
        ("save → reload event", to_event),
        ("save → new page served", to_served),
    ] {
        v.sort_by(f64::total_cmp);
        println!(
            "{what}: median {:.1} ms, p90 {:.1} ms, min {:.1} ms, max {:.1} ms ({} edits of {url} in a {pages}-page book)",
            percentile(&v, 0.5),
            percentile(&v, 0.9),
            v[0],
            v[v.len() - 1],
            v.len()
        );
    }
}
