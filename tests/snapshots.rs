//! Snapshots of what a user sees, reviewed by a person: the diagnostics of `diglot check` in its
//! three formats and of `diglot build`, and the HTML shape of one page in its three forms.
//!
//! The `.snap` files live in `tests/snapshots/`. After a deliberate change, run the tests with
//! `INSTA_UPDATE=always` (or `cargo insta review`), then read every changed `.snap` before
//! committing it: a snapshot is only as good as its review. Under `CI=true` a missing or
//! changed snapshot fails.

mod common;

use std::path::Path;

use common::*;

/// Runs the binary in `dir` as a user would in a pipe (no colour) and lays out what they see:
/// the exit code, then stdout, then stderr, with machine-specific parts normalised.
fn run(args: &[&str], dir: &Path) -> String {
    let out = run_diglot(dir, args);
    let text = format!(
        "exit: {:?}\n--- stdout\n{}\n--- stderr\n{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr),
    );
    normalise(&text, dir)
}

/// Replaces what differs between machines and runs: the book's temporary folder becomes
/// `[BOOK]` and a duration such as `143 ms` or `12.5 ms` becomes `[N] ms`. Fails if any
/// other absolute temporary path is left, so no snapshot ever holds one.
fn normalise(text: &str, book: &Path) -> String {
    let mut roots = vec![book.display().to_string()];
    if let Ok(canonical) = book.canonicalize() {
        roots.push(canonical.display().to_string());
    }
    roots.sort_by_key(|r| std::cmp::Reverse(r.len()));
    let mut text = text.to_string();
    for root in &roots {
        text = text.replace(root.as_str(), "[BOOK]");
    }
    let text = mask_durations(&text);
    let temp = std::env::temp_dir().display().to_string();
    assert!(
        !text.contains(temp.trim_end_matches('/')),
        "an absolute path is left in:\n{text}"
    );
    text
}

/// `in 143 ms` → `in [N] ms`: every number (digits and dots) that stands before ` ms`.
fn mask_durations(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(" ms") {
        let before = &rest[..at];
        let number_start = before
            .rfind(|c: char| !(c.is_ascii_digit() || c == '.'))
            .map_or(0, |i| i + 1);
        let number = &before[number_start..];
        out.push_str(&before[..number_start]);
        if number.chars().any(|c| c.is_ascii_digit()) {
            out.push_str("[N]");
        } else {
            out.push_str(number);
        }
        out.push_str(" ms");
        rest = &rest[at + 3..];
    }
    out.push_str(rest);
    out
}

#[test]
fn durations_and_the_book_folder_are_masked() {
    let book = Path::new("/nowhere/book");
    assert_eq!(
        normalise(
            "built 3 pages into /nowhere/book/out in 143 ms\nrebuilt in 12.5 ms; 5 ms",
            book
        ),
        "built 3 pages into [BOOK]/out in [N] ms\nrebuilt in [N] ms; [N] ms"
    );
    assert_eq!(mask_durations("terms and items"), "terms and items");
}

// The book `snap-check` has one problem of each kind: an unknown `book.toml` key
// (`descripton`), an unknown front-matter key (`wieght`), a link to a missing anchor on both
// sides of a pair, a lone paragraph and a misspelt marker (`shraed`).

#[test]
fn check_human() {
    let book = copy_fixture("snap-check");
    insta::assert_snapshot!("check_human", run(&["check"], book.path()));
}

#[test]
fn check_json() {
    let book = copy_fixture("snap-check");
    insta::assert_snapshot!(
        "check_json",
        run(&["check", "--format", "json"], book.path())
    );
}

#[test]
fn check_github() {
    let book = copy_fixture("snap-check");
    insta::assert_snapshot!(
        "check_github",
        run(&["check", "--format", "github"], book.path())
    );
}

#[test]
fn build_of_a_broken_book() {
    let book = copy_fixture("snap-check");
    insta::assert_snapshot!("build_broken", run(&["build", "-o", "out"], book.path()));
    assert!(!book.path().join("out").exists(), "a failed build wrote");
}

#[test]
fn build_with_a_warning_summarises() {
    let book = copy_fixture("snap-html");
    insta::assert_snapshot!("build_warning", run(&["build", "-o", "out"], book.path()));
}

/// The first `<open ...>...</close>` of `html`, both included.
fn element<'a>(html: &'a str, open: &str, close: &str) -> &'a str {
    let start = html
        .find(open)
        .unwrap_or_else(|| panic!("no `{open}` in:\n{html}"));
    let end = html[start..]
        .find(close)
        .map(|e| start + e + close.len())
        .unwrap_or_else(|| panic!("`{open}` is never closed"));
    &html[start..end]
}

/// The page of `snap-html` in its three forms: the bilingual page and the two single-language
/// pages. It holds a heading pair, a paragraph pair, a list of paired items with a checklist
/// item, a shared code block and a lone paragraph.
fn shapes_page() -> [String; 3] {
    let book = copy_fixture("snap-html");
    let out = book.path().join("out");
    build_at(book.path(), &out);
    [
        read(&out, "guide/shapes/index.html"),
        read(&out, "zh/guide/shapes/index.html"),
        read(&out, "en/guide/shapes/index.html"),
    ]
}

#[test]
fn article_in_three_forms() {
    let [bilingual, zh, en] = shapes_page();
    insta::assert_snapshot!(
        "article_bilingual",
        element(&bilingual, "<article", "</article>")
    );
    insta::assert_snapshot!("article_zh", element(&zh, "<article", "</article>"));
    insta::assert_snapshot!("article_en", element(&en, "<article", "</article>"));
}

#[test]
fn view_switcher_in_three_forms() {
    let pages = shapes_page();
    let navs: Vec<String> = ["bilingual", "zh", "en"]
        .iter()
        .zip(&pages)
        .map(|(form, html)| {
            format!(
                "--- {form}\n{}",
                element(html, "<nav class=\"view-switcher\"", "</nav>")
            )
        })
        .collect();
    insta::assert_snapshot!("view_switcher", navs.join("\n"));
}
