//! The catalogue of broken input: every book under `tests/fixtures/broken/<case>/` is built
//! and must exit as its `expected.txt` says (`exit: N`), with every `stderr:` line in the
//! diagnostics; `args:` adds build flags. A case that should build cleanly says `exit: 0`
//! and gets `--strict`. Nothing is ever written outside the output folder.

mod common;

use std::path::Path;

use assert_cmd::Command;
use common::*;

struct Expected {
    exit: i32,
    args: Vec<String>,
    stderr: Vec<String>,
}

fn expected(dir: &Path) -> Expected {
    let text = std::fs::read_to_string(dir.join("expected.txt")).expect("expected.txt");
    let mut e = Expected {
        exit: -1,
        args: Vec::new(),
        stderr: Vec::new(),
    };
    for line in text.lines() {
        if let Some(v) = line.strip_prefix("exit: ") {
            e.exit = v.trim().parse().expect("exit code");
        } else if let Some(v) = line.strip_prefix("args: ") {
            e.args = v.split_whitespace().map(str::to_string).collect();
        } else if let Some(v) = line.strip_prefix("stderr: ") {
            e.stderr.push(v.to_string());
        }
    }
    e
}

#[test]
fn every_broken_book_fails_or_builds_as_catalogued() {
    let root = fixtures().join("broken");
    let mut cases: Vec<_> = std::fs::read_dir(&root)
        .expect("catalogue")
        .flatten()
        .map(|e| e.path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 16, "the catalogue shrank");
    let mut failures = Vec::new();
    for case in &cases {
        let name = case
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let want = expected(case);
        let tmp = copy_fixture(&format!("broken/{name}"));
        let out = tmp.path().join("out");
        // A marker next to the book: nothing may be written beside the output.
        let before: Vec<_> = std::fs::read_dir(tmp.path())
            .expect("list")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        let run = Command::cargo_bin("diglot")
            .expect("bin")
            .args(["build", "-o", "out"])
            .args(&want.args)
            .current_dir(tmp.path())
            .env("NO_COLOR", "1")
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .expect("run");
        let stderr = String::from_utf8_lossy(&run.stderr);
        if run.status.code() != Some(want.exit) {
            failures.push(format!(
                "{name}: exit {:?}, expected {}\n{stderr}",
                run.status.code(),
                want.exit
            ));
            continue;
        }
        for line in &want.stderr {
            if !stderr.contains(line.as_str()) {
                failures.push(format!("{name}: stderr lacks `{line}`:\n{stderr}"));
            }
        }
        if want.exit == 0 {
            assert!(out.join("index.html").is_file(), "{name}: no site");
        } else {
            assert!(!out.exists(), "{name}: a failed build wrote output");
        }
        let after: Vec<_> = std::fs::read_dir(tmp.path())
            .expect("list")
            .flatten()
            .map(|e| e.file_name())
            .filter(|n| n != "out")
            .collect();
        assert_eq!(before, after, "{name}: files appeared beside the output");
        assert!(
            !Path::new("/tmp/escaped").exists(),
            "{name}: wrote outside the output folder"
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
