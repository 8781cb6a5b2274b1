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
