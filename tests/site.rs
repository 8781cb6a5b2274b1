//! The built site: URLs, languages, alternates, links, sitemap, 404, base URL, determinism
//! and the atomic output.

mod common;

use std::path::Path;

use common::*;
use diglot::{build, BuildOptions, Error};

fn built(name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let book = copy_fixture(name);
    let out = book.path().join("out");
    build_at(book.path(), &out);
    (book, out)
}

#[test]
fn every_page_has_three_forms_with_languages_and_alternates() {
    let (_book, out) = built("parallel");
    for (rel, lang, mode) in [
        ("planning/capacity/index.html", "zh-CN", "interleaved"),
        ("zh/planning/capacity/index.html", "zh-CN", "primary"),
        ("en/planning/capacity/index.html", "en", "secondary"),
    ] {
        let html = read(&out, rel);
        assert!(html.contains(&format!("<html lang=\"{lang}\"")), "{rel}");
        assert!(html.contains(&format!("data-mode=\"{mode}\"")), "{rel}");
        assert!(
            html.contains(
                "<link rel=\"alternate\" hreflang=\"zh-CN\" href=\"/zh/planning/capacity/\">"
            ),
            "{rel}"
        );
        assert!(
            html.contains(
                "<link rel=\"alternate\" hreflang=\"en\" href=\"/en/planning/capacity/\">"
            ),
            "{rel}"
        );
        assert!(
            html.contains(
                "<link rel=\"alternate\" hreflang=\"x-default\" href=\"/planning/capacity/\">"
            ),
            "{rel}"
        );
    }
    assert!(read(&out, "en/planning/capacity/index.html")
        .contains("<link rel=\"canonical\" href=\"/en/planning/capacity/\">"));
    // The English form holds English only (plus shared blocks), with its lang attribute.
    let en = read(&out, "en/planning/capacity/index.html");
    let segs = segs(&en);
    assert!(
        segs.iter()
            .all(|s| s.l1.is_none() || s.classes.contains("lone")),
        "{segs:#?}"
    );
    assert!(segs
        .iter()
        .any(|s| s.l2.as_deref() == Some("Estimate peak traffic")));
    for rel in [
        "index.html",
        "zh/index.html",
        "en/index.html",
        "planning/index.html",
        "404.html",
        "print/index.html",
        "toc.js",
        "static/diglot.css",
        "static/diglot.js",
    ] {
        assert!(out.join(rel).is_file(), "{rel} missing");
    }
}

#[test]
fn markup_contract_pairs_titles_and_carries_the_view() {
    let (_book, out) = built("parallel");
    let html = read(&out, "planning/capacity/index.html");
    assert!(html.contains("<header class=\"seg seg-title\"><h1 class=\"l1\" lang=\"zh-CN\">1.1 容量规划</h1><h1 class=\"l2\" lang=\"en\">1.1 Capacity Planning</h1></header>"));
    assert!(
        html.contains("data-view=\"interleaved\""),
        "page root carries the configured default view"
    );
    // Every seg child carries a lang attribute.
    for seg in html.split("class=\"l1\"").skip(1) {
        assert!(
            seg.starts_with(" lang=\"zh-CN\""),
            "{}",
            &seg[..40.min(seg.len())]
        );
    }
}

#[test]
fn heading_ids_follow_github_and_md_links_become_pretty_urls() {
    let (_book, out) = built("parallel");
    // Links are percent-encoded as in any URL; browsers decode fragments to match ids.
    let encode = |s: &str| {
        s.bytes()
            .map(|b| {
                if b.is_ascii() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect::<String>()
    };
    for (rel, root) in [
        ("planning/capacity/index.html", "../../"),
        ("en/planning/capacity/index.html", "../../"),
    ] {
        let html = read(&out, rel);
        assert!(
            html.contains("id=\"11-版本规划--version-planning\""),
            "{rel}"
        );
        assert!(
            html.contains(&format!(
                "href=\"{root}planning/checklist/index.html#{}\"",
                encode("检查清单--checklist")
            )),
            "{rel}"
        );
        assert!(
            html.contains(&format!(
                "href=\"#{}\"",
                encode("11-版本规划--version-planning")
            )),
            "{rel}"
        );
    }
    let zh = read(&out, "zh/planning/capacity/index.html");
    assert!(zh.contains("id=\"11-版本规划--version-planning\""));
    assert!(
        zh.contains("<a href=\"../../planning/checklist/index.html\">检查清单</a>"),
        "the link stays within the Chinese pages"
    );
}

#[test]
fn unresolved_links_are_warnings_with_file_and_line() {
    let book = copy_fixture("parallel");
    let page = book.path().join("content/01-planning/02-checklist.md");
    let mut text = std::fs::read_to_string(&page).expect("read");
    text.push_str("\n另见[丢失](missing.md)。\nSee [lost](missing.md).\n");
    std::fs::write(&page, text).expect("write");
    let report = build_at(book.path(), &book.path().join("out"));
    let link: Vec<_> = report
        .warnings
        .iter()
        .filter(|d| d.message.contains("missing.md"))
        .collect();
    assert_eq!(link.len(), 2, "{:#?}", report.warnings);
    assert!(
        link[0].place().ends_with("02-checklist.md:11:3"),
        "{}",
        link[0]
    );
    assert!(
        link[1].place().ends_with("02-checklist.md:12:5"),
        "{}",
        link[1]
    );
}

/// Follows every relative `href` and `src` of every page and checks a file answers it.
fn assert_links_resolve(out: &Path) {
    let mut checked = 0;
    for rel in files(out) {
        if rel.extension().is_none_or(|e| e != "html") || rel == Path::new("404.html") {
            continue;
        }
        let html = std::fs::read_to_string(out.join(&rel)).expect("read page");
        let dir = out.join(&rel).parent().expect("parent").to_path_buf();
        for attr in ["href=\"", "src=\""] {
            for piece in html.split(attr).skip(1) {
                let url = &piece[..piece.find('"').expect("closing quote")];
                if url.is_empty()
                    || url.starts_with('#')
                    || url.starts_with('?')
                    || url.contains("://")
                    || url.starts_with('/')
                {
                    continue;
                }
                let path = url.split(['#', '?']).next().unwrap_or("");
                let target = dir.join(path);
                let ok = if path.ends_with('/') || path.is_empty() {
                    target.join("index.html").is_file()
                } else {
                    target.is_file()
                };
                assert!(ok, "{}: link {url} leads nowhere", rel.display());
                checked += 1;
            }
        }
    }
    assert!(checked > 100, "only {checked} links checked");
}

#[test]
fn every_internal_link_resolves_in_every_form() {
    let (_book, out) = built("parallel");
    assert_links_resolve(&out);
    let guide = copy_guide();
    let out = guide.path().join("public");
    build_at(guide.path(), &out);
    assert_links_resolve(&out);
}

#[test]
fn sub_path_base_url_gives_working_links_404_and_sitemap() {
    let book = copy_fixture("parallel");
    let out = book.path().join("out");
    let opts = BuildOptions {
        root: book.path().to_path_buf(),
        output: Some(out.clone()),
        base_url: Some("https://example.org/guide/".into()),
        ..BuildOptions::default()
    };
    build(&opts).expect("build");
    assert_links_resolve(&out);
    let not_found = read(&out, "404.html");
    assert!(
        not_found.contains("href=\"/guide/static/diglot.css\""),
        "404 links are absolute from the base path"
    );
    assert!(not_found.contains("src=\"/guide/static/diglot.js\""));
    let sitemap = read(&out, "sitemap.xml");
    assert!(sitemap.contains("<loc>https://example.org/guide/planning/capacity/</loc>"));
    assert!(sitemap.contains("<xhtml:link rel=\"alternate\" hreflang=\"en\" href=\"https://example.org/guide/en/planning/capacity/\"/>"));
    assert!(sitemap.contains("<loc>https://example.org/guide/zh/</loc>"));
    let page = read(&out, "planning/capacity/index.html");
    assert!(page.contains(
        "<link rel=\"canonical\" href=\"https://example.org/guide/planning/capacity/\">"
    ));
    // Every page appears in each of its three forms.
    assert_eq!(sitemap.matches("<url>").count(), 6 * 3);
}

#[test]
fn builds_are_byte_identical() {
    let book = copy_fixture("parallel");
    let (a, b) = (book.path().join("a"), book.path().join("b"));
    build_at(book.path(), &a);
    // The second build in a process of its own: nothing of the process may reach the output.
    let run = assert_cmd::Command::cargo_bin("diglot")
        .expect("bin")
        .args(["build", "-q", "-o"])
        .arg(&b)
        .arg(book.path())
        .output()
        .expect("run");
    assert!(run.status.success(), "{run:?}");
    let (fa, fb) = (files(&a), files(&b));
    assert_eq!(fa, fb);
    for f in fa {
        assert_eq!(
            std::fs::read(a.join(&f)).expect("a"),
            std::fs::read(b.join(&f)).expect("b"),
            "{} differs",
            f.display()
        );
    }
}

#[test]
fn a_failing_build_keeps_the_previous_output_and_leaves_no_temporary_folder() {
    let book = copy_fixture("parallel");
    let out = book.path().join("out");
    build_at(book.path(), &out);
    let before: Vec<(std::path::PathBuf, Vec<u8>)> = files(&out)
        .into_iter()
        .map(|f| (f.clone(), std::fs::read(out.join(&f)).expect("read")))
        .collect();
    std::fs::write(
        book.path().join("content/01-planning/02-checklist.md"),
        "+++\ntitle = \"x\"\nweight = \"heavy\"\n+++\nBody\n",
    )
    .expect("break");
    let opts = BuildOptions {
        root: book.path().to_path_buf(),
        output: Some(out.clone()),
        ..Default::default()
    };
    match build(&opts) {
        Err(Error::Failed(diags)) => {
            assert!(
                diags
                    .iter()
                    .any(|d| d.is_error() && d.place().ends_with("02-checklist.md:3:10")),
                "{diags:#?}"
            );
        }
        other => panic!("expected failure, got {other:?}"),
    }
    let after: Vec<(std::path::PathBuf, Vec<u8>)> = files(&out)
        .into_iter()
        .map(|f| (f.clone(), std::fs::read(out.join(&f)).expect("read")))
        .collect();
    assert_eq!(before, after, "output changed after a failed build");
    let leftovers = staging_leftovers(book.path());
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_rebuild_replaces_the_old_output_whole_without_following_links_in_it() {
    let book = copy_fixture("parallel");
    let out = book.path().join("out");
    build_at(book.path(), &out);
    // Leftovers at several depths, and a link to a folder that must survive.
    let keep = tempfile::tempdir().expect("tmp");
    std::fs::write(keep.path().join("precious.txt"), "mine").expect("write");
    std::fs::create_dir_all(out.join("zh/gone/deeper")).expect("mkdir");
    std::fs::write(out.join("zh/gone/deeper/stale.html"), "old").expect("write");
    std::fs::write(out.join("stale.html"), "old").expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink(keep.path(), out.join("zh/linked")).expect("symlink");
    let expected = files(&out).len() - 2;
    build_at(book.path(), &out);
    assert!(!out.join("stale.html").exists() && !out.join("zh/gone").exists());
    assert!(std::fs::symlink_metadata(out.join("zh/linked")).is_err());
    assert_eq!(
        std::fs::read_to_string(keep.path().join("precious.txt")).expect("kept"),
        "mine"
    );
    assert_eq!(files(&out).len(), expected);
    let leftovers = staging_leftovers(book.path());
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn strict_turns_warnings_into_errors_and_writes_nothing() {
    let book = copy_fixture("parallel");
    let out = book.path().join("out");
    let opts = BuildOptions {
        root: book.path().to_path_buf(),
        output: Some(out.clone()),
        strict: true,
        ..Default::default()
    };
    match build(&opts) {
        Err(Error::Failed(diags)) => {
            assert!(diags.iter().all(|d| d.is_error()) && !diags.is_empty())
        }
        other => panic!("expected failure, got {other:?}"),
    }
    assert!(!out.exists());
}

#[test]
fn refuses_to_replace_a_folder_it_did_not_create() {
    let book = copy_fixture("parallel");
    let out = book.path().join("precious");
    std::fs::create_dir(&out).expect("mkdir");
    std::fs::write(out.join("notes.txt"), "keep me").expect("write");
    let opts = BuildOptions {
        root: book.path().to_path_buf(),
        output: Some(out.clone()),
        ..Default::default()
    };
    assert!(matches!(build(&opts), Err(Error::Failed(_))));
    assert_eq!(
        std::fs::read_to_string(out.join("notes.txt")).expect("kept"),
        "keep me"
    );
    let opts = BuildOptions {
        root: book.path().to_path_buf(),
        output: Some(book.path().to_path_buf()),
        ..Default::default()
    };
    assert!(
        matches!(build(&opts), Err(Error::Failed(_))),
        "the book's own folder is refused"
    );
    assert!(book.path().join("book.toml").is_file());
}

#[test]
fn output_size_grows_linearly_no_whole_site_sidebar_per_page() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path();
    std::fs::write(root.join("book.toml"), "").expect("write");
    let size_per_page = |phases: usize| -> usize {
        let content = root.join("content");
        let _ = std::fs::remove_dir_all(&content);
        for p in 0..phases {
            let dir = content.join(format!("phase-{p:03}"));
            std::fs::create_dir_all(&dir).expect("mkdir");
            for i in 0..5 {
                std::fs::write(
                    dir.join(format!("page-{i}.md")),
                    format!("# 页面 {p} {i} | Page {p} {i}\n\n内容。\nContent.\n"),
                )
                .expect("write");
            }
        }
        let out = root.join(format!("out-{phases}"));
        build_at(root, &out);
        std::fs::metadata(out.join("phase-000/page-2/index.html"))
            .expect("page")
            .len() as usize
    };
    let small = size_per_page(4);
    let large = size_per_page(80);
    assert!(
        large < small + 200,
        "a page grew from {small} to {large} bytes with the number of phases"
    );
}
