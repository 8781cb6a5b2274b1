//! The `diglot` binary: exit codes and messages.

mod common;

use assert_cmd::Command;
use common::*;

fn diglot() -> Command {
    Command::cargo_bin("diglot").expect("binary built")
}

#[test]
fn build_succeeds_with_warnings_printed_and_exit_zero() {
    let book = copy_fixture("parallel");
    let out = diglot()
        .args(["build", "-o", "site"])
        .current_dir(book.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: paragraph has no English counterpart"),
        "{stderr}"
    );
    assert!(
        stderr.contains("┌─ content/02-operations/01-incidents.md:6:1"),
        "{stderr}"
    );
    assert!(
        stderr.contains("6 │ 只有中文的一段话，没有翻译。"),
        "the source line is shown: {stderr}"
    );
    assert!(stderr.contains("built 6 pages (1 warning)"), "{stderr}");
    assert!(book.path().join("site/index.html").is_file());
}

#[test]
fn strict_exits_one_and_quiet_prints_only_errors() {
    let book = copy_fixture("parallel");
    let out = diglot()
        .args(["build", "--strict", "-q"])
        .arg(book.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: ") && stderr.contains("01-incidents.md:6:1"),
        "{stderr}"
    );
    let ok = diglot()
        .args(["build", "-q"])
        .arg(book.path())
        .output()
        .expect("run");
    assert_eq!(ok.status.code(), Some(0));
    assert!(
        ok.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
}

#[test]
fn missing_book_toml_is_a_usage_error_naming_the_folder() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = diglot()
        .args(["build"])
        .arg(tmp.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no book.toml in") && stderr.contains(&*tmp.path().to_string_lossy()),
        "{stderr}"
    );
}

#[test]
fn unknown_arguments_are_usage_errors() {
    let out = diglot()
        .args(["build", "--no-such-flag"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn config_errors_exit_one_with_line_and_hint() {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::create_dir(tmp.path().join("content")).expect("mkdir");
    std::fs::write(
        tmp.path().join("book.toml"),
        "[book]\ntitle = \"T\"\ndefault-veiw = \"zh\"\n",
    )
    .expect("write");
    let out = diglot()
        .args(["build"])
        .arg(tmp.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "an unknown key is a warning");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: unknown key `book.default-veiw` in book.toml")
            && stderr.contains("book.toml:3:1"),
        "{stderr}"
    );
    assert!(
        stderr.contains("= help: did you mean `book.default-view`?"),
        "{stderr}"
    );
    std::fs::write(
        tmp.path().join("book.toml"),
        "[book]\ntitle = \"T\"\nbase-url = [1]\n",
    )
    .expect("write");
    let out = diglot()
        .args(["build"])
        .arg(tmp.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: invalid book.toml") && stderr.contains("book.toml:3:12"),
        "{stderr}"
    );
}

/// A child process that is killed if the test fails before it stopped by itself.
struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        if let Ok(None) = self.0.try_wait() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// Starts the binary with `args`, returns the child and the first stderr line matching `ready`.
fn spawn_until(
    args: &[&str],
    dir: &std::path::Path,
    ready: &str,
) -> (Running, std::sync::mpsc::Receiver<String>, String) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("diglot"))
        .args(args)
        .current_dir(dir)
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) if line.contains(ready) => return (Running(child), rx, line),
            Ok(_) => {}
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("`{ready}` never printed");
            }
        }
    }
}

fn interrupt_and_wait(child: &mut std::process::Child) -> std::process::ExitStatus {
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        if std::time::Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("did not stop within 2 s of Ctrl-C");
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn serve_prints_its_url_serves_and_stops_cleanly_on_ctrl_c() {
    let book = copy_fixture("parallel");
    let (mut child, _lines, line) = spawn_until(
        &["serve", "--port", "0"],
        book.path(),
        "serving http://127.0.0.1:",
    );
    let url = line.split_whitespace().nth(1).expect("url").to_string();
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(std::time::Duration::from_secs(10)))
        .build()
        .into();
    let body = agent
        .get(&format!("{url}planning/"))
        .call()
        .expect("served")
        .body_mut()
        .read_to_string()
        .expect("body");
    assert!(body.contains("规划"));
    let status = interrupt_and_wait(&mut child.0);
    assert!(status.success(), "{status:?}");
    assert!(
        !book.path().join("public").exists(),
        "serve never writes the build output"
    );
    assert!(staging_leftovers(book.path()).is_empty());
}

#[test]
fn serve_reports_a_port_in_use() {
    let book = copy_fixture("parallel");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port().to_string();
    let out = diglot()
        .args(["serve", "--port", &port])
        .current_dir(book.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("port {port} is already in use")) && stderr.contains("--port 0"),
        "{stderr}"
    );
}

#[test]
fn watch_rebuilds_the_output_on_change_and_stops_cleanly() {
    let book = copy_fixture("parallel");
    let (mut child, lines, _) = spawn_until(&["watch"], book.path(), "watching");
    let page = book.path().join("content/01-planning/02-checklist.md");
    let text = std::fs::read_to_string(&page).expect("read");
    std::fs::write(&page, format!("{text}\n又一行。\nOne more line.\n")).expect("write");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        let line = lines.recv_timeout(left).expect("a rebuild is reported");
        if line.starts_with("built ") {
            break;
        }
    }
    let html = std::fs::read_to_string(book.path().join("public/planning/checklist/index.html"))
        .expect("output");
    assert!(html.contains("One more line."));
    assert!(
        !html.contains("__diglot"),
        "no live-reload script in built output"
    );
    let status = interrupt_and_wait(&mut child.0);
    assert!(status.success(), "{status:?}");
    assert!(staging_leftovers(book.path()).is_empty());
}

/// Unix only: the stand-in browser is a shell script.
#[cfg(unix)]
#[test]
fn serve_takes_a_host_name_and_opens_the_browser_with_dash_o() {
    let book = copy_fixture("parallel");
    // A "browser" that writes down the URL it was asked to open.
    let opened = book.path().join("opened.txt");
    let browser = book.path().join("browser.sh");
    std::fs::write(
        &browser,
        format!("#!/bin/sh\necho \"$1\" > '{}'\n", opened.display()),
    )
    .expect("write");
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&browser, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    std::env::set_var("BROWSER", &browser);
    let (mut child, _lines, line) = spawn_until(
        &["serve", "-n", "localhost", "--port", "0", "-o"],
        book.path(),
        "serving http://127.0.0.1:",
    );
    let url = line.split_whitespace().nth(1).expect("url").to_string();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !opened.is_file() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let told = std::fs::read_to_string(&opened).expect("the browser was started");
    assert_eq!(told.trim(), url);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(std::time::Duration::from_secs(10)))
        .build()
        .into();
    let port = url.rsplit(':').next().unwrap_or("").trim_end_matches('/');
    let body = agent
        .get(&format!("http://localhost:{port}/planning/"))
        .call()
        .expect("served by name")
        .body_mut()
        .read_to_string()
        .expect("body");
    assert!(body.contains("规划"));
    let status = interrupt_and_wait(&mut child.0);
    assert!(status.success(), "{status:?}");
}

#[test]
fn serve_quiet_prints_no_rebuild_lines_or_warnings() {
    let book = copy_fixture("parallel");
    let (mut child, lines, _) = spawn_until(
        &["serve", "--port", "0", "-q"],
        book.path(),
        "serving http://127.0.0.1:",
    );
    let page = book.path().join("content/01-planning/02-checklist.md");
    let original = std::fs::read_to_string(&page).expect("read");
    std::fs::write(&page, format!("{original}\n只有中文。\n")).expect("write");
    std::thread::sleep(std::time::Duration::from_millis(800));
    let status = interrupt_and_wait(&mut child.0);
    assert!(status.success(), "{status:?}");
    let said: Vec<String> = lines.try_iter().collect();
    assert!(
        said.iter()
            .all(|l| !l.contains("rebuilt") && !l.starts_with("warning")),
        "{said:?}"
    );
}
