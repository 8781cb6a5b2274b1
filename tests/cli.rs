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
    assert!(stderr.contains("warning: content/02-operations/01-incidents.md:6:1: paragraph has no English counterpart"), "{stderr}");
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
        stderr.contains("book.toml:3:1: unknown key `book.default-veiw`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("did you mean `book.default-view`?"),
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
        stderr.contains("book.toml:3:12: invalid book.toml"),
        "{stderr}"
    );
}
