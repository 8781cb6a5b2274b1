//! `diglot check`: one precise diagnostic per problem, in three formats, with exit codes.

mod common;

use assert_cmd::Command;
use common::*;

fn check(args: &[&str], dir: &std::path::Path) -> (Option<i32>, String, String) {
    let out = Command::cargo_bin("diglot")
        .expect("bin")
        .arg("check")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("run");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn each_problem_gets_one_diagnostic_at_its_place() {
    let book = copy_fixture("check");
    let report = diglot::check::check(book.path(), false).expect("checked");
    let places: Vec<(String, String)> = report
        .diagnostics
        .iter()
        .map(|d| {
            (
                d.clone().relative_to(book.path()).place(),
                d.message.clone(),
            )
        })
        .collect();
    let expected = [
        ("content/guide/01-start.md:3:1", "unknown key `wieght` in front matter"),
        ("content/guide/01-start.md:8:5", "link to `#settings` works in the other language's page but not on the 中文 page, where this link is shown"),
        ("content/guide/01-start.md:11:1", "paragraph has no English counterpart"),
        ("content/guide/02-config.en.md:9:1", "translation drift: section `Environment` (2 blocks) has no counterpart in the 中文 file; the files' structures differ after "),
    ];
    assert_eq!(places.len(), expected.len(), "{places:#?}");
    for ((place, message), (want_place, want_message)) in places.iter().zip(expected) {
        assert_eq!(place, want_place);
        assert!(message.starts_with(want_message), "{message}");
    }
    assert_eq!(report.errors(), 1);
    assert_eq!(report.warnings(), 3);
    let guide = report
        .coverage
        .iter()
        .find(|c| c.phase == "guide")
        .expect("coverage of the phase");
    assert!(guide.paired < guide.total);
    assert!(!book.path().join("public").exists(), "check writes nothing");
}

#[test]
fn strict_makes_warnings_errors() {
    let book = copy_fixture("check");
    let report = diglot::check::check(book.path(), true).expect("checked");
    assert_eq!(report.errors(), 4);
}

#[test]
fn human_output_shows_the_source_line_and_a_caret_and_exits_one() {
    let book = copy_fixture("check");
    let (code, stdout, stderr) = check(&[], book.path());
    assert_eq!(code, Some(1), "{stderr}");
    assert_eq!(stdout, "", "the human report goes to stderr");
    assert!(
        !stderr.contains("\u{1b}["),
        "no colour when not on a terminal"
    );
    // The whole report, reviewed: each diagnostic's place, source line, caret and hint, then
    // the summary with the coverage.
    insta::assert_snapshot!("human_report", stderr);
}

#[test]
fn github_annotations_and_json_are_stable() {
    let book = copy_fixture("check");
    let (code, stdout, _) = check(&["--format", "github"], book.path());
    assert_eq!(code, Some(1));
    insta::assert_snapshot!("github_annotations", stdout);
    let (code, json, _) = check(&["--format", "json"], book.path());
    assert_eq!(code, Some(1));
    serde_json::from_str::<serde_json::Value>(&json).expect("valid JSON");
    insta::assert_snapshot!("json_report", json);
}

#[test]
fn a_clean_book_exits_zero_and_strict_fails_on_warnings() {
    let guide = copy_guide();
    let (code, _, stderr) = check(&[], guide.path());
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stderr.contains("0 errors, 0 warnings; translation coverage:"),
        "{stderr}"
    );
    assert!(stderr.contains("100%"), "{stderr}");
    let book = copy_fixture("parallel");
    assert_eq!(check(&[], book.path()).0, Some(0));
    assert_eq!(check(&["--strict"], book.path()).0, Some(1));
}

#[test]
fn build_reports_with_the_same_printer() {
    let book = copy_fixture("check");
    let out = Command::cargo_bin("diglot")
        .expect("bin")
        .args(["build"])
        .current_dir(book.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("┌─ content/guide/01-start.md:8:5"),
        "{stderr}"
    );
}
