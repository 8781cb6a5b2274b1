//! Load and soak driver for the preview server. Loopback only; every loop is bounded.
//!
//!     cargo run --release --example load -- BOOK_DIR [steady|edit|events|burst|soak] [SECONDS]
//!
//! - steady: 64 keep-alive connections request pages for SECONDS (default 30): p50/p99,
//!   errors.
//! - edit: the same while one page is rewritten every 2 s; every answer for it must be the
//!   old or the new version, whole (no torn page), never a 404 or a 5xx.
//! - events: 200 live-reload clients (20 of them never read) through 20 rebuilds.
//! - burst: 2,000 files written at once: how many rebuilds, and whether the served site then
//!   equals a clean `diglot build`, byte for byte.
//! - soak: steady load with an edit every 2 s for SECONDS (e.g. 600); memory, descriptors
//!   and threads sampled every 10 s.
//!
//! The book is copied to a temporary folder first; the original is never touched.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const CONNECTIONS: usize = 64;
/// Latency samples kept per connection (reservoir sampling), for percentiles.
const RESERVOIR: usize = 20_000;

fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from).into_iter().flatten() {
        let Ok(rel) = entry.path().strip_prefix(from) else {
            continue;
        };
        if ["public", "out", "target", ".git"]
            .iter()
            .any(|skip| rel.starts_with(skip))
        {
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

/// One keep-alive HTTP/1.1 connection.
struct Client {
    reader: BufReader<TcpStream>,
    addr: SocketAddr,
}

impl Client {
    fn connect(addr: SocketAddr) -> Client {
        let stream = TcpStream::connect(addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        stream.set_nodelay(true).expect("nodelay");
        Client {
            reader: BufReader::new(stream),
            addr,
        }
    }

    /// Status and body; reconnects once if the server closed the connection.
    fn get(&mut self, path: &str) -> (u16, Vec<u8>) {
        match self.try_get(path) {
            Some(r) => r,
            None => {
                *self = Client::connect(self.addr);
                self.try_get(path).unwrap_or((0, Vec::new()))
            }
        }
    }

    fn try_get(&mut self, path: &str) -> Option<(u16, Vec<u8>)> {
        let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        self.reader.get_mut().write_all(request.as_bytes()).ok()?;
        let mut line = String::new();
        self.reader.read_line(&mut line).ok()?;
        let status: u16 = line.split_whitespace().nth(1)?.parse().ok()?;
        let mut length = 0usize;
        loop {
            let mut header = String::new();
            self.reader.read_line(&mut header).ok()?;
            let header = header.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().ok()?;
                }
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body).ok()?;
        Some((status, body))
    }
}

fn status(addr: SocketAddr) -> serde_json::Value {
    let (_, body) = Client::connect(addr).get("/__diglot/status");
    serde_json::from_slice(&body).unwrap_or_default()
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// Resident memory (KiB), open descriptors and threads of this process, which runs the server.
fn resources() -> (u64, usize, usize) {
    let rss = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0);
    let count = |dir: &str| std::fs::read_dir(dir).map(|d| d.count()).unwrap_or(0);
    (rss, count("/proc/self/fd"), count("/proc/self/task"))
}

struct Tally {
    latencies: Mutex<Vec<f64>>,
    requests: AtomicU64,
    errors: AtomicU64,
    server_errors: AtomicU64,
    missing: AtomicU64,
    torn: AtomicU64,
    /// Bodies of the edited page not yet known when read; checked once every version is.
    unknown: Mutex<Vec<Vec<u8>>>,
}

/// Requests `pages` from `CONNECTIONS` connections until `stop`; checks the edited page's
/// body against its known versions when `versions` holds any.
fn hammer(
    addr: SocketAddr,
    pages: Arc<Vec<String>>,
    stop: Arc<AtomicBool>,
    versions: Arc<Mutex<Vec<Vec<u8>>>>,
    watched: String,
) -> Arc<Tally> {
    let tally = Arc::new(Tally {
        latencies: Mutex::new(Vec::new()),
        requests: AtomicU64::new(0),
        errors: AtomicU64::new(0),
        server_errors: AtomicU64::new(0),
        missing: AtomicU64::new(0),
        torn: AtomicU64::new(0),
        unknown: Mutex::new(Vec::new()),
    });
    let threads: Vec<_> = (0..CONNECTIONS)
        .map(|n| {
            let (pages, stop, tally, versions, watched) = (
                pages.clone(),
                stop.clone(),
                tally.clone(),
                versions.clone(),
                watched.clone(),
            );
            std::thread::spawn(move || {
                let mut client = Client::connect(addr);
                let mut local = Vec::with_capacity(RESERVOIR);
                let mut seen: u64 = 0;
                let mut rng: u64 = 0x9E37_79B9_7F4A_7C15 ^ n as u64;
                let mut i = n;
                while !stop.load(Ordering::Relaxed) {
                    let path = if i % 4 == 0 {
                        watched.as_str()
                    } else {
                        pages[i % pages.len()].as_str()
                    };
                    i += 7;
                    let started = Instant::now();
                    let (code, body) = client.get(path);
                    // A fixed-size reservoir of samples: memory stays flat however long the run.
                    let ms = started.elapsed().as_secs_f64() * 1000.0;
                    seen += 1;
                    if local.len() < RESERVOIR {
                        local.push(ms);
                    } else {
                        rng ^= rng << 13;
                        rng ^= rng >> 7;
                        rng ^= rng << 17;
                        let slot = (rng % seen) as usize;
                        if slot < RESERVOIR {
                            local[slot] = ms;
                        }
                    }
                    tally.requests.fetch_add(1, Ordering::Relaxed);
                    match code {
                        200 => {
                            if path == watched {
                                let known = versions.lock().unwrap_or_else(|e| e.into_inner());
                                if !known.is_empty() && !known.contains(&body) {
                                    // Maybe a version the editor has not recorded yet.
                                    tally
                                        .unknown
                                        .lock()
                                        .unwrap_or_else(|e| e.into_inner())
                                        .push(body);
                                }
                            }
                        }
                        404 => {
                            tally.missing.fetch_add(1, Ordering::Relaxed);
                        }
                        500..=599 => {
                            tally.server_errors.fetch_add(1, Ordering::Relaxed);
                        }
                        _ => {
                            tally.errors.fetch_add(1, Ordering::Relaxed);
                        }
                    }
                }
                tally
                    .latencies
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .extend(local);
            })
        })
        .collect();
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(50));
    }
    for t in threads {
        let _ = t.join();
    }
    tally
}

fn report(name: &str, tally: &Tally, seconds: f64) {
    let mut l = tally
        .latencies
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    l.sort_by(f64::total_cmp);
    let requests = tally.requests.load(Ordering::Relaxed);
    println!(
        "{name}: {requests} requests in {seconds:.0} s ({:.0}/s), p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms; \
         errors {}, 5xx {}, 404 {}, torn {}",
        requests as f64 / seconds,
        percentile(&l, 0.5),
        percentile(&l, 0.99),
        l.last().copied().unwrap_or(0.0),
        tally.errors.load(Ordering::Relaxed),
        tally.server_errors.load(Ordering::Relaxed),
        tally.missing.load(Ordering::Relaxed),
        tally.torn.load(Ordering::Relaxed)
    );
}

/// Rewrites `file` every two seconds until `stop`, recording each version served for `url`.
fn editor(
    addr: SocketAddr,
    file: PathBuf,
    url: String,
    stop: Arc<AtomicBool>,
    versions: Arc<Mutex<Vec<Vec<u8>>>>,
) -> std::thread::JoinHandle<u64> {
    std::thread::spawn(move || {
        let original = std::fs::read_to_string(&file).expect("page");
        let mut edits = 0;
        let mut client = Client::connect(addr);
        versions
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(client.get(&url).1);
        while !stop.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_secs(2));
            edits += 1;
            let marker = format!("修改 {edits}。\nEdit {edits}.\n");
            // The new version is known before it is written, so a reader never sees an unknown one.
            let before = status(addr)["build"].as_u64().unwrap_or(0);
            std::fs::write(&file, format!("{original}\n{marker}")).expect("edit");
            let deadline = Instant::now() + Duration::from_secs(10);
            while status(addr)["build"].as_u64().unwrap_or(0) == before && Instant::now() < deadline
            {
                std::thread::sleep(Duration::from_millis(5));
            }
            versions
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(client.get(&url).1);
        }
        edits
    })
}

fn pages_of(addr: SocketAddr) -> Vec<String> {
    status(addr)["rendered"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str())
                .map(|p| format!("/{p}"))
                .collect()
        })
        .unwrap_or_default()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let Some(book) = args.get(1) else {
        eprintln!("usage: load BOOK_DIR [steady|edit|events|burst|soak] [SECONDS]");
        std::process::exit(2);
    };
    let mode = args.get(2).map(String::as_str).unwrap_or("steady");
    let seconds: u64 = args
        .get(3)
        .and_then(|s| s.parse().ok())
        .unwrap_or(30)
        .min(3600);
    let tmp = tempfile::tempdir().expect("temp dir");
    copy_dir(Path::new(book), tmp.path());
    let opts = diglot::serve::ServeOptions::loopback(tmp.path().to_path_buf());
    let server = diglot::serve::start(&opts, Arc::new(|_| {})).expect("server");
    let addr = server.addr;
    let pages = Arc::new(pages_of(addr));
    let watched_file = walkdir::WalkDir::new(tmp.path().join("content"))
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .map(|e| e.path().to_path_buf())
        .filter(|p| {
            p.extension().is_some_and(|e| e == "md")
                && !p.to_string_lossy().contains("_index")
                && !p.to_string_lossy().ends_with(".en.md")
        })
        .nth(5)
        .expect("a page to edit");
    let watched = pages
        .iter()
        .find(|p| p.len() > 1 && !p.ends_with("/_index/"))
        .cloned()
        .unwrap_or_else(|| "/".into());
    println!("{} pages; server at {addr}; {}", pages.len(), {
        let (rss, fds, threads) = resources();
        format!("rss {rss} KiB, {fds} fds, {threads} threads")
    });

    match mode {
        "steady" | "edit" | "soak" => {
            let stop = Arc::new(AtomicBool::new(false));
            let versions = Arc::new(Mutex::new(Vec::new()));
            // The page the editor rewrites is found by asking which page re-renders.
            let watched = if mode == "steady" {
                watched
            } else {
                let before = status(addr)["build"].as_u64().unwrap_or(0);
                let text = std::fs::read_to_string(&watched_file).expect("read");
                std::fs::write(&watched_file, format!("{text}\n开始。\nStart.\n")).expect("touch");
                let deadline = Instant::now() + Duration::from_secs(10);
                while status(addr)["build"].as_u64().unwrap_or(0) == before
                    && Instant::now() < deadline
                {
                    std::thread::sleep(Duration::from_millis(10));
                }
                format!("/{}", status(addr)["rendered"][0].as_str().unwrap_or(""))
            };
            let edits = (mode != "steady").then(|| {
                editor(
                    addr,
                    watched_file.clone(),
                    watched.clone(),
                    stop.clone(),
                    versions.clone(),
                )
            });
            let sampler = {
                let stop = stop.clone();
                std::thread::spawn(move || {
                    let mut samples = Vec::new();
                    let started = Instant::now();
                    while !stop.load(Ordering::Relaxed) {
                        samples.push((started.elapsed().as_secs(), resources()));
                        for _ in 0..100 {
                            if stop.load(Ordering::Relaxed) {
                                break;
                            }
                            std::thread::sleep(Duration::from_millis(100));
                        }
                    }
                    samples
                })
            };
            let started = Instant::now();
            let timer = {
                let stop = stop.clone();
                std::thread::spawn(move || {
                    std::thread::sleep(Duration::from_secs(seconds));
                    stop.store(true, Ordering::Relaxed);
                })
            };
            let tally = hammer(
                addr,
                pages.clone(),
                stop.clone(),
                versions.clone(),
                watched.clone(),
            );
            let _ = timer.join();
            let edits = edits.map(|e| e.join().unwrap_or(0));
            {
                let known = versions.lock().unwrap_or_else(|e| e.into_inner());
                let unknown = tally.unknown.lock().unwrap_or_else(|e| e.into_inner());
                let torn = unknown.iter().filter(|b| !known.contains(b)).count();
                tally.torn.store(torn as u64, Ordering::Relaxed);
            }
            report(mode, &tally, started.elapsed().as_secs_f64());
            if let Some(e) = edits {
                println!(
                    "edits of {watched}: {e}; versions seen: {}",
                    versions.lock().unwrap_or_else(|e| e.into_inner()).len()
                );
            }
            for (at, (rss, fds, threads)) in sampler.join().unwrap_or_default() {
                println!("  t={at:>4} s: rss {rss} KiB, {fds} fds, {threads} threads");
            }
        }
        "events" => {
            let readers: Vec<_> = (0..200)
                .map(|n| {
                    let mut stream = TcpStream::connect(addr).expect("connect");
                    stream
                        .write_all(b"GET /__diglot/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                        .expect("send");
                    if n < 20 {
                        // Never reads: its socket buffer fills, and it must not hold up the others.
                        return std::thread::spawn(move || {
                            std::thread::sleep(Duration::from_secs(60));
                            drop(stream);
                            0usize
                        });
                    }
                    std::thread::spawn(move || {
                        stream
                            .set_read_timeout(Some(Duration::from_secs(30)))
                            .expect("timeout");
                        let mut reloads = 0;
                        for line in BufReader::new(stream).lines() {
                            match line {
                                Ok(l) if l == "event: reload" => {
                                    reloads += 1;
                                    if reloads == 20 {
                                        break;
                                    }
                                }
                                Ok(_) => {}
                                Err(_) => break,
                            }
                        }
                        reloads
                    })
                })
                .collect();
            std::thread::sleep(Duration::from_millis(500));
            let text = std::fs::read_to_string(&watched_file).expect("read");
            let started = Instant::now();
            for n in 0..20 {
                let before = status(addr)["build"].as_u64().unwrap_or(0);
                std::fs::write(&watched_file, format!("{text}\n修改 {n}。\nEdit {n}.\n"))
                    .expect("edit");
                let deadline = Instant::now() + Duration::from_secs(10);
                while status(addr)["build"].as_u64().unwrap_or(0) == before
                    && Instant::now() < deadline
                {
                    std::thread::sleep(Duration::from_millis(5));
                }
            }
            let counts: Vec<usize> = readers
                .into_iter()
                .skip(20)
                .map(|t| t.join().unwrap_or(0))
                .collect();
            let full = counts.iter().filter(|c| **c == 20).count();
            let (rss, fds, threads) = resources();
            println!(
                "events: 20 rebuilds in {:.1} s; {full} of 180 reading clients got all 20 reloads (min {}); rss {rss} KiB, {fds} fds, {threads} threads",
                started.elapsed().as_secs_f64(),
                counts.iter().min().copied().unwrap_or(0)
            );
        }
        "burst" => {
            let before = status(addr)["build"].as_u64().unwrap_or(0);
            let dir = tmp.path().join("content/zz-burst");
            std::fs::create_dir_all(&dir).expect("mkdir");
            std::fs::write(dir.join("_index.md"), "# 突发 | Burst\n").expect("write");
            let started = Instant::now();
            for i in 0..2000 {
                std::fs::write(
                    dir.join(format!("p{i:04}.md")),
                    format!("# 页 {i} | Page {i}\n\n文 {i}。\nText {i}.\n"),
                )
                .expect("write");
            }
            let written = started.elapsed();
            let deadline = Instant::now() + Duration::from_secs(120);
            let mut client = Client::connect(addr);
            while client.get("/burst/p1999/").0 != 200 && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(20));
            }
            std::thread::sleep(Duration::from_secs(1));
            let rebuilds = status(addr)["build"].as_u64().unwrap_or(0) - before;
            // The served site must equal a clean build of the same files.
            let out = tmp.path().join("clean");
            diglot::build(&diglot::BuildOptions {
                root: tmp.path().to_path_buf(),
                output: Some(out.clone()),
                ..Default::default()
            })
            .expect("clean build");
            let mut differ = 0;
            let mut compared = 0;
            let mut bodies: HashMap<String, Vec<u8>> = HashMap::new();
            for entry in walkdir::WalkDir::new(&out)
                .into_iter()
                .flatten()
                .filter(|e| e.file_type().is_file())
            {
                let rel = entry
                    .path()
                    .strip_prefix(&out)
                    .expect("inside")
                    .to_string_lossy()
                    .replace('\\', "/");
                if rel == ".diglot-output" || !rel.ends_with(".html") {
                    continue;
                }
                let built = std::fs::read(entry.path()).expect("read");
                let (code, served) = client.get(&format!("/{rel}"));
                compared += 1;
                // The preview adds its live-reload script; nothing else may differ.
                let served = String::from_utf8_lossy(&served).replace(
                    "<script src=\"/__diglot/live.js\" data-base=\"/\"></script>",
                    "",
                );
                if code != 200 || served.as_bytes() != built.as_slice() {
                    differ += 1;
                    bodies.insert(rel, built);
                }
            }
            println!(
                "burst: 2000 files written in {:.2} s gave {rebuilds} rebuild(s); {compared} HTML files compared with a clean build, {differ} differ",
                written.as_secs_f64()
            );
        }
        other => {
            eprintln!("unknown mode `{other}`");
            std::process::exit(2);
        }
    }
    server.stop();
}
