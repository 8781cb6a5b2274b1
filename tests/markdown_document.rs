//! Markdown read as a whole document per side: link reference definitions and footnotes
//! reach every block of their side, heading attributes set ids, and titles show no markup;
//! in all three layouts (mirrored trees, suffix pairs, parallel file).

mod common;

use std::path::PathBuf;

use common::*;

/// The fixture books, one per layout: the folder to copy and the book root inside it.
const LAYOUTS: [(&str, &str); 3] = [
    ("md-mirrored", "book"),
    ("md-suffix", ""),
    ("md-parallel", ""),
];

struct Built {
    layout: &'static str,
    _tmp: tempfile::TempDir,
    root: PathBuf,
    out: PathBuf,
    report: diglot::BuildReport,
}

fn build_layout(layout: &'static str, sub: &str) -> Built {
    let tmp = copy_fixture(layout);
    let root = tmp.path().join(sub);
    let out = tmp.path().join("out");
    let report = build_at(&root, &out);
    Built {
        layout,
        root,
        out,
        report,
        _tmp: tmp,
    }
}

fn all_layouts() -> Vec<Built> {
    LAYOUTS.iter().map(|(l, s)| build_layout(l, s)).collect()
}

/// The page's warnings as `file:line: message`, relative to the book root.
fn warnings_of(built: &Built, file_part: &str) -> Vec<String> {
    let mut out: Vec<String> = built
        .report
        .warnings
        .iter()
        .map(|d| d.clone().relative_to(&built.root))
        .filter(|d| d.place().contains(file_part))
        .map(|d| format!("{}: {}", d.place(), d.message))
        .collect();
    out.sort();
    out
}

fn article(html: &str) -> &str {
    let start = html.find("<article").expect("article");
    let end = html[start..]
        .find("</article>")
        .map_or(html.len(), |e| start + e);
    &html[start..end]
}

/// How often `needle` occurs in the page's article.
fn count(html: &str, needle: &str) -> usize {
    article(html).matches(needle).count()
}

#[test]
fn heading_attributes_set_the_id_and_links_to_it_pass() {
    for built in all_layouts() {
        let html = read(&built.out, "refs/index.html");
        assert_eq!(count(&html, "id=\"ownership\""), 1, "{}", built.layout);
        assert!(
            !article(&html).contains("{#"),
            "{}: attribute shown",
            built.layout
        );
        let anchor_warnings: Vec<String> = warnings_of(&built, "refs")
            .into_iter()
            .filter(|w| w.contains("#ownership"))
            .collect();
        assert_eq!(anchor_warnings, Vec::<String>::new(), "{}", built.layout);
    }
}

#[test]
fn titles_from_headings_show_no_backticks() {
    for built in all_layouts() {
        for form in [
            "refs/index.html",
            "zh/refs/index.html",
            "en/refs/index.html",
        ] {
            let html = read(&built.out, form);
            let title = html
                .split("<title>")
                .nth(1)
                .and_then(|t| t.split("</title>").next())
                .expect("title");
            assert!(!title.contains('`'), "{} {form}: {title}", built.layout);
            assert!(
                title.contains("在 std 之下") || title.contains("Under std"),
                "{} {form}: {title}",
                built.layout
            );
        }
    }
}

#[test]
fn reference_links_resolve_against_their_sides_definitions() {
    for built in all_layouts() {
        let html = read(&built.out, "refs/index.html");
        let body = article(&html);
        assert!(
            !body.contains("]["),
            "{}: literal reference left",
            built.layout
        );
        assert_eq!(
            count(&html, "href=\"https://doc.rust-lang.org/std/\""),
            2,
            "{}",
            built.layout
        );
        // `[指南][]` and `[The Guide][]` (collapsed, case-insensitive) and a link inside a footnote.
        assert_eq!(
            count(&html, "href=\"https://example.com/guide\""),
            2,
            "{}",
            built.layout
        );
        assert_eq!(
            count(&html, "href=\"https://en.wikipedia.org/wiki/SipHash\""),
            2,
            "{}",
            built.layout
        );
        // Definition-only blocks are neither shown nor reported as lone.
        assert_eq!(
            warnings_of(&built, "refs"),
            Vec::<String>::new(),
            "{}",
            built.layout
        );
        assert!(!body.contains("]:"), "{}: definition shown", built.layout);
    }
}

#[test]
fn footnotes_are_numbered_per_side_with_back_links_and_unique_ids() {
    for built in all_layouts() {
        let html = read(&built.out, "refs/index.html");
        let body = article(&html);
        assert!(
            !body.contains("[^"),
            "{}: literal footnote left",
            built.layout
        );
        assert!(
            !body.contains("footnote-definition"),
            "{}: stray definition",
            built.layout
        );
        for lang in ["zh", "en"] {
            for n in 1..=2 {
                let note = format!("id=\"fn-{lang}-{n}\"");
                let reference = format!("id=\"fnref-{lang}-{n}\"");
                assert_eq!(count(&html, &note), 1, "{} {note}", built.layout);
                assert_eq!(count(&html, &reference), 1, "{} {reference}", built.layout);
                assert_eq!(
                    count(&html, &format!("href=\"#fn-{lang}-{n}\"")),
                    1,
                    "{}",
                    built.layout
                );
                assert_eq!(
                    count(&html, &format!("href=\"#fnref-{lang}-{n}\"")),
                    1,
                    "{}",
                    built.layout
                );
            }
        }
        // Each side's notes in its own order, once, after the body.
        let zh = body.find("译者注：中文的注释").expect("zh note");
        let en = body.find("An English note.").expect("en note");
        assert!(
            body.find("一种哈希函数").expect("zh 1") < zh,
            "{}",
            built.layout
        );
        assert!(
            zh > body.find("seg-footnotes").expect("section"),
            "{}",
            built.layout
        );
        assert_eq!(body.matches("An English note.").count(), 1);
        let _ = en;
        // Each language's form shows its own notes only.
        let zh_only = read(&built.out, "zh/refs/index.html");
        assert!(
            article(&zh_only).contains("fn-zh-2") && !article(&zh_only).contains("fn-en-"),
            "{}",
            built.layout
        );
        let en_only = read(&built.out, "en/refs/index.html");
        assert!(
            article(&en_only).contains("fn-en-2") && !article(&en_only).contains("fn-zh-"),
            "{}",
            built.layout
        );
    }
}

#[test]
fn drifted_definitions_are_warnings_at_their_lines() {
    for built in all_layouts() {
        let warnings = warnings_of(&built, "drift");
        let has = |place: &str, what: &str| {
            warnings
                .iter()
                .any(|w| w.contains(place) && w.contains(what))
        };
        let zh = if built.layout == "md-mirrored" {
            "src/drift.md"
        } else {
            "content/drift.md"
        };
        assert!(
            has(
                &format!("{zh}:3:4"),
                "link reference `[nowhere]` has no definition"
            ),
            "{}: {warnings:#?}",
            built.layout
        );
        assert!(
            has(zh, "footnote `[^ghost]` has no definition"),
            "{}: {warnings:#?}",
            built.layout
        );
        let unused_line = if built.layout == "md-parallel" { 11 } else { 7 };
        assert!(
            has(&format!("{zh}:{unused_line}:1"), "`[unused]` is not used"),
            "{}: {warnings:#?}",
            built.layout
        );
        if built.layout != "md-parallel" {
            assert!(
                has(
                    &format!("{zh}:3:30"),
                    "`[en-only]` is defined only in the other language's file"
                ),
                "{}: {warnings:#?}",
                built.layout
            );
            assert!(
                has(
                    &format!("{zh}:5:10"),
                    "footnote `[^en-note]` is defined only in the other"
                ),
                "{}: {warnings:#?}",
                built.layout
            );
            // The zh form shows the English note, marked as English, under its own id.
            let zh_only = read(&built.out, "zh/drift/index.html");
            assert!(
                article(&zh_only).contains("<li id=\"fn-zh-1\" lang=\"en\">"),
                "{}",
                built.layout
            );
            assert!(
                article(&zh_only).contains("href=\"https://example.com/en\""),
                "{}",
                built.layout
            );
        }
    }
}

#[test]
fn check_reports_the_drift() {
    let book = copy_fixture("md-suffix");
    let report = diglot::check::check(book.path(), true).expect("checked");
    let messages: Vec<&str> = report
        .diagnostics
        .iter()
        .map(|d| d.message.as_str())
        .collect();
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`[^ghost]` has no definition")),
        "{messages:#?}"
    );
    assert!(
        messages
            .iter()
            .any(|m| m.contains("`[unused]` is not used")),
        "{messages:#?}"
    );
}
