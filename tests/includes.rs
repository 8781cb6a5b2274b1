//! mdBook's `{{#include}}` family in real-book shapes: listings beside the content root,
//! anchors, line ranges, `rustdoc_include`'s hidden lines, `{{#title}}`, escapes; line
//! numbers after an include; the book's boundary; and previews that follow a listing's edits.

mod common;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::channel;
use std::sync::Arc;
use std::time::{Duration, Instant};

use common::*;
use diglot::{build, BuildOptions, Error};

const WAIT: Duration = Duration::from_secs(10);

/// The text of each code block of a page's article, in order, whitespace collapsed.
fn code_blocks(html: &str) -> Vec<String> {
    let start = html.find("<article").expect("article");
    html[start..]
        .split("<pre")
        .skip(1)
        .map(|chunk| {
            let body = &chunk[chunk.find('>').map_or(0, |i| i + 1)..];
            let body = &body[..body.find("</pre>").unwrap_or(body.len())];
            let mut text = String::new();
            let mut in_tag = false;
            for c in body.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => in_tag = false,
                    c if !in_tag => text.push(c),
                    _ => {}
                }
            }
            // `text_of` decodes the entities (and collapses the whitespace).
            text_of(&text)
        })
        .collect()
}

fn failed_build(root: &Path) -> String {
    let opts = BuildOptions {
        root: root.to_path_buf(),
        output: Some(root.join("out")),
        ..Default::default()
    };
    match build(&opts) {
        Err(Error::Failed(diags)) => diags
            .iter()
            .map(|d| format!("{}: {}", d.place(), d.message))
            .collect::<Vec<_>>()
            .join("\n"),
        other => panic!("the build should fail, got {other:?}"),
    }
}

#[test]
fn listings_anchors_ranges_and_escapes_render_as_in_mdbook() {
    let book = copy_fixture("inc-mdbook");
    let out = book.path().join("out");
    build_at(book.path(), &out);
    for page in ["ch01-hello/index.html", "en/ch01-hello/index.html"] {
        let html = read(&out, page);
        assert!(!html.contains("{{#include ../"), "{page}: a raw include");
        assert!(
            !html.contains("{{#rustdoc_include"),
            "{page}: a raw include"
        );
        let blocks = code_blocks(&html);
        assert_eq!(blocks.len(), 4, "{page}: {blocks:#?}");
        // A whole file, as written (mdBook keeps its anchor lines).
        assert!(blocks[0].starts_with("use std::io;"), "{}", blocks[0]);
        assert!(blocks[0].contains("ANCHOR: greet") && blocks[0].contains("greet(\"world\")"));
        // An anchor: its lines only, the inner anchor's marker lines dropped.
        assert_eq!(
            blocks[1],
            "fn greet(name: &str) { println!(\"hello, {name}\"); }"
        );
        // rustdoc_include shows the anchor and hides the rest of the file.
        assert_eq!(blocks[2], "println!(\"hello, {name}\");");
        // Lines 2 to 3, counted from 1, the end included.
        assert_eq!(blocks[3], "second line third line");
    }
    let zh = read(&out, "zh/ch01-hello/index.html");
    assert!(
        zh.contains("<title>第一章：你好"),
        "{{#title}} sets the title"
    );
    // The escape shows the directive as written, without its backslash.
    assert!(zh.contains("{{#include file.rs}}") && !zh.contains("\\{{#include"));
}

#[test]
fn text_after_an_include_is_reported_on_its_own_line() {
    // One file holding both languages: the lone paragraph is on line 11, after a
    // 12-line listing included on line 8.
    let book = copy_fixture("inc-parallel");
    let report = build_at(book.path(), &book.path().join("out"));
    let places: Vec<String> = report
        .warnings
        .iter()
        .filter(|d| d.message.contains("has no English counterpart"))
        .map(|d| d.place())
        .collect();
    assert_eq!(places.len(), 1, "{places:?}");
    assert!(places[0].ends_with("content/a.md:11:1"), "{places:?}");

    // Two files: the English-only section after four includes is on line 29 of its file.
    let book = copy_fixture("inc-mdbook");
    let report = build_at(book.path(), &book.path().join("out"));
    let drift: Vec<String> = report
        .warnings
        .iter()
        .filter(|d| d.message.contains("section `Notes`"))
        .map(|d| d.place())
        .collect();
    assert_eq!(drift.len(), 1, "{:?}", report.warnings);
    assert!(drift[0].ends_with("en/src/ch01-hello.md:29:1"), "{drift:?}");
}

#[test]
fn includes_stay_inside_the_book_and_do_not_follow_links_out() {
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::write(outside.path().join("secret.txt"), "SECRET").expect("write");
    let book = copy_fixture("inc-parallel");
    let page = book.path().join("content/a.md");
    let listings = book.path().join("listings");
    #[cfg(unix)]
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), listings.join("link.rs"))
        .expect("symlink");
    let secret = outside.path().join("secret.txt");
    for (include, expected) in [
        (
            "../listings/link.rs".to_string(),
            "reaches outside the book",
        ),
        (secret.display().to_string(), "reaches outside the book"),
        (
            "../listings/long.rs:3:1".to_string(),
            "the range ends (line 1) before it starts (line 3)",
        ),
        (
            "../listings/long.rs:nowhere".to_string(),
            "the file has no line `ANCHOR: nowhere`",
        ),
        ("../listings".to_string(), "is not a file"),
    ] {
        if cfg!(not(unix)) && include.contains("link") {
            continue;
        }
        std::fs::write(
            &page,
            format!("# 页 | Page\n\n中文。\n\nEnglish.\n\n```\n{{{{#include {include}}}}}\n```\n"),
        )
        .expect("write");
        let errors = failed_build(book.path());
        assert!(errors.contains(expected), "{include}: {errors}");
        assert!(errors.contains("content/a.md:8:1"), "{include}: {errors}");
        assert!(!errors.contains("SECRET"));
    }
}

#[test]
fn a_translation_tree_outside_the_book_may_include_its_own_listings() {
    // mdBook's layout for a translation kept apart: `book-en/src` beside `book-en/listings`.
    let book = copy_fixture("mirrored");
    let en = book.path().join("book-en");
    std::fs::create_dir_all(en.join("listings")).expect("mkdir");
    std::fs::write(en.join("listings/hello.rs"), "fn hello_from_listing() {}\n").expect("write");
    let page = en.join("src/02-hello.md");
    let text = std::fs::read_to_string(&page).expect("read");
    std::fs::write(
        &page,
        format!("{text}\n```rust\n{{{{#include ../listings/hello.rs}}}}\n```\n"),
    )
    .expect("write");
    let out = book.path().join("out");
    build_at(&book.path().join("book"), &out);
    let html = read(&out, "en/hello/index.html");
    assert!(
        html.contains("hello_from_listing"),
        "the listing is missing"
    );

    // Above the translation tree's parent is out of bounds.
    std::fs::write(book.path().join("secret.txt"), "SECRET").expect("write");
    std::fs::write(
        &page,
        format!("{text}\n{{{{#include ../../secret.txt}}}}\n"),
    )
    .expect("write");
    let errors = failed_build(&book.path().join("book"));
    assert!(errors.contains("reaches outside the book"), "{errors}");
}

fn wait_for(what: &str, mut check: impl FnMut() -> bool) {
    let start = Instant::now();
    while !check() {
        assert!(start.elapsed() < WAIT, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn serve_rebuilds_a_page_when_a_listing_it_includes_changes() {
    let book = copy_fixture("inc-mdbook");
    let opts = diglot::serve::ServeOptions::loopback(book.path().to_path_buf());
    let server = diglot::serve::start(&opts, Arc::new(|_| {})).expect("server starts");
    let url = format!("http://{}/en/ch01-hello/", server.addr);
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(WAIT))
        .build()
        .into();
    let page = || {
        agent
            .get(&url)
            .call()
            .ok()
            .and_then(|mut r| r.body_mut().read_to_string().ok())
            .unwrap_or_default()
    };
    assert!(page().contains("greet"));
    // The listing lies outside the content root (`en/listings`, beside `en/src`).
    let listing = book.path().join("en/listings/ch01/lines.txt");
    std::fs::write(&listing, "first\nan edited second line\nthird\n").expect("write");
    wait_for("the edited listing to be served", || {
        page().contains("an edited second line")
    });
    server.stop();
}

#[test]
fn watch_rebuilds_a_page_when_a_listing_it_includes_changes() {
    let book = copy_fixture("inc-mdbook");
    let out = book.path().join("public");
    let opts = BuildOptions {
        root: book.path().to_path_buf(),
        output: Some(out.clone()),
        ..Default::default()
    };
    let stop = Arc::new(AtomicBool::new(false));
    let (tx, builds) = channel();
    let watcher = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            diglot::watch::watch(&opts, &stop, &mut |outcome| {
                let _ = tx.send(outcome.is_ok());
            })
        })
    };
    assert_eq!(builds.recv_timeout(WAIT), Ok(true), "the first build");
    let listing = book.path().join("zh/listings/ch01/main.rs");
    std::fs::write(&listing, "// ANCHOR: greet\nfn greet_edited() {}\n// ANCHOR_END: greet\n// ANCHOR: inner\n// ANCHOR_END: inner\nfn main() {}\n").expect("write");
    assert_eq!(
        builds.recv_timeout(WAIT),
        Ok(true),
        "a rebuild after the edit"
    );
    let html = read(&out, "zh/ch01-hello/index.html");
    assert!(
        html.contains("greet_edited"),
        "the page lacks the edited listing"
    );
    stop.store(true, Ordering::Relaxed);
    watcher
        .join()
        .expect("watch thread")
        .expect("watch ends cleanly");
}
