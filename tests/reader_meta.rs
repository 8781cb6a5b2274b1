//! What every page carries about itself: the site's icon (the theme's or the book's), a link
//! to edit its source file(s) (`[book] edit-url`) and the day it last changed in git, read
//! from repositories built here with fixed commit dates.

mod common;

use std::path::Path;

use common::{build_at, copy_fixture, read, run_diglot, GitRepo};

/// Appends `lines` to the `[book]` table of the book.toml in `dir` (it opens with `[book]`).
fn set_book_keys(dir: &Path, lines: &str) {
    let path = dir.join("book.toml");
    let text = std::fs::read_to_string(&path).expect("read book.toml");
    let text = text.replacen("[book]\n", &format!("[book]\n{lines}"), 1);
    assert!(text.contains(lines), "book.toml has no [book] table");
    std::fs::write(path, text).expect("write book.toml");
}

/// The `<link rel="icon" …>` tag of a page.
fn icon_link(html: &str) -> Option<String> {
    let start = html.find("<link rel=\"icon\"")?;
    let end = start + html[start..].find('>')?;
    Some(html[start..=end].to_string())
}

/// The `(class, lang, href, label)` of each edit link of a page.
fn edit_links(html: &str) -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<a class=\"edit-link") {
        let tag_end = i + rest[i..].find('>').expect("tag end");
        let tag = &rest[i..tag_end];
        let close = tag_end + rest[tag_end..].find("</a>").expect("link end");
        let attr = |name: &str| {
            let key = format!(" {name}=\"");
            tag.find(&key)
                .map(|s| {
                    let v = &tag[s + key.len()..];
                    v[..v.find('"').unwrap_or(v.len())].to_string()
                })
                .unwrap_or_default()
        };
        let class = tag["<a class=\"".len()..]
            .split('"')
            .next()
            .unwrap_or_default()
            .to_string();
        out.push((
            class,
            attr("lang"),
            attr("href"),
            rest[tag_end + 1..close].to_string(),
        ));
        rest = &rest[close..];
    }
    out
}

/// The `(class, datetime)` of each last-updated date of a page.
fn updated(html: &str) -> Vec<(String, String)> {
    html.split("<p class=\"page-updated")
        .skip(1)
        .map(|p| {
            let class = p.split('"').next().unwrap_or_default().trim().to_string();
            let at = p.find("<time datetime=\"").expect("a time element") + 16;
            (class, p[at..at + 10].to_string())
        })
        .collect()
}

#[test]
fn every_page_links_the_themes_icon_which_makes_no_request() {
    let book = copy_fixture("suffix");
    let out = book.path().join("out");
    build_at(book.path(), &out);
    let icon = read(&out, "static/favicon.svg");
    assert!(icon.starts_with("<svg"), "{icon}");
    // The only address in the icon is its XML namespace: nothing is fetched.
    assert_eq!(icon.matches("://").count(), 1, "{icon}");
    assert!(!icon.contains("href") && !icon.contains("url("), "{icon}");
    for (page, root) in [
        ("index.html", ""),
        ("guide/intro/index.html", "../../"),
        ("en/guide/intro/index.html", "../../../"),
        ("zh/index.html", "../"),
        ("404.html", "/"),
        ("print/index.html", "../"),
    ] {
        assert_eq!(
            icon_link(&read(&out, page)).as_deref(),
            Some(
                format!(
                    "<link rel=\"icon\" href=\"{root}static/favicon.svg\" type=\"image/svg+xml\">"
                )
                .as_str()
            ),
            "{page}"
        );
    }
}

#[test]
fn a_configured_icon_is_copied_and_linked_instead() {
    let book = copy_fixture("suffix");
    std::fs::create_dir_all(book.path().join("img")).expect("mkdir");
    std::fs::write(book.path().join("img/my icon.png"), b"\x89PNG\r\n").expect("write");
    set_book_keys(book.path(), "favicon = \"img/my icon.png\"\n");
    let out = book.path().join("out");
    build_at(book.path(), &out);
    assert_eq!(
        std::fs::read(out.join("img/my icon.png")).expect("copied"),
        b"\x89PNG\r\n"
    );
    assert_eq!(
        icon_link(&read(&out, "en/guide/intro/index.html")).as_deref(),
        Some("<link rel=\"icon\" href=\"../../../img/my%20icon.png\" type=\"image/png\">")
    );
}

#[test]
fn a_wrong_icon_or_edit_url_is_an_error_at_its_line_in_book_toml() {
    for (lines, message) in [
        ("favicon = \"icon.svg\"\n", "`icon.svg` not found"),
        ("favicon = \"../icon.svg\"\n", "leaves the book's folder"),
        ("favicon = \"/etc/icon.svg\"\n", "is an absolute path"),
        ("favicon = \"icon.gif\"\n", "not an .svg, .png or .ico file"),
        (
            "edit-url = \"https://github.com/o/r/edit/main/\"\n",
            "has no `{path}`",
        ),
        (
            "edit-url = \"javascript:alert(1)//{path}\"\n",
            "not an http:// or https:// address",
        ),
    ] {
        let book = copy_fixture("suffix");
        std::fs::write(book.path().join("icon.gif"), "GIF89a").expect("write");
        set_book_keys(book.path(), lines);
        let run = run_diglot(book.path(), &["build", "-o", "out"]);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(!run.status.success(), "{lines}: built anyway");
        assert!(stderr.contains("book.toml:2:1"), "{lines}: {stderr}");
        assert!(stderr.contains(message), "{lines}: {stderr}");
        assert!(!book.path().join("out").exists(), "{lines}: wrote a site");
    }
}

#[test]
fn a_favicon_linking_out_of_the_book_is_refused() {
    let outside = tempfile::tempdir().expect("temp dir");
    std::fs::write(outside.path().join("icon.svg"), "<svg/>").expect("write");
    let book = copy_fixture("suffix");
    std::os::unix::fs::symlink(
        outside.path().join("icon.svg"),
        book.path().join("icon.svg"),
    )
    .expect("symlink");
    set_book_keys(book.path(), "favicon = \"icon.svg\"\n");
    let run = run_diglot(book.path(), &["build", "-o", "out"]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success());
    assert!(
        stderr.contains("book.toml:2:1") && stderr.contains("leading outside the book"),
        "{stderr}"
    );
}

const EDIT: &str = "edit-url = \"https://github.com/o/r/edit/main/docs/{path}\"\n";

#[test]
fn suffix_pairs_get_one_edit_link_per_language_and_a_language_its_own() {
    let book = copy_fixture("suffix");
    set_book_keys(book.path(), EDIT);
    let out = book.path().join("out");
    build_at(book.path(), &out);
    let base = "https://github.com/o/r/edit/main/docs/";
    let link = |class: &str, lang: &str, file: &str, label: &str| {
        (
            class.to_string(),
            lang.to_string(),
            format!("{base}{file}"),
            label.to_string(),
        )
    };
    assert_eq!(
        edit_links(&read(&out, "guide/intro/index.html")),
        [
            link(
                "edit-link l1",
                "zh-CN",
                "content/guide/intro.md",
                "编辑此页"
            ),
            link(
                "edit-link l2",
                "en",
                "content/guide/intro.en.md",
                "Edit this page"
            ),
        ]
    );
    assert_eq!(
        edit_links(&read(&out, "en/guide/intro/index.html")),
        [link(
            "edit-link",
            "en",
            "content/guide/intro.en.md",
            "Edit this page"
        )]
    );
    assert_eq!(
        edit_links(&read(&out, "zh/guide/intro/index.html")),
        [link(
            "edit-link",
            "zh-CN",
            "content/guide/intro.md",
            "编辑此页"
        )]
    );
}

#[test]
fn a_parallel_file_gets_one_edit_link_labelled_in_both_languages() {
    let book = copy_fixture("parallel");
    set_book_keys(book.path(), EDIT);
    let out = book.path().join("out");
    build_at(book.path(), &out);
    let links = edit_links(&read(&out, "planning/capacity/index.html"));
    assert_eq!(links.len(), 1, "{links:?}");
    let (class, lang, href, label) = &links[0];
    assert_eq!((class.as_str(), lang.as_str()), ("edit-link", ""));
    assert_eq!(
        href,
        "https://github.com/o/r/edit/main/docs/content/01-planning/01-capacity.md"
    );
    assert!(
        label.contains("编辑此页") && label.contains("Edit this page"),
        "{label}"
    );
    // The home page's file is the content folder's `_index.md`.
    assert_eq!(
        edit_links(&read(&out, "index.html"))[0].2,
        "https://github.com/o/r/edit/main/docs/content/_index.md"
    );
}

#[test]
fn a_mirrored_tree_beside_the_book_is_named_from_the_books_folder() {
    let tmp = copy_fixture("mirrored");
    let book = tmp.path().join("book");
    set_book_keys(&book, EDIT);
    let out = tmp.path().join("out");
    build_at(&book, &out);
    let hrefs: Vec<String> = edit_links(&read(&out, "getting-started/index.html"))
        .into_iter()
        .map(|l| l.2)
        .collect();
    assert_eq!(
        hrefs,
        [
            "https://github.com/o/r/edit/main/docs/src/01-getting-started.md",
            // The browser resolves `..`: …/main/book-en/src/01-getting-started.md.
            "https://github.com/o/r/edit/main/docs/../book-en/src/01-getting-started.md",
        ]
    );
}

#[test]
fn without_edit_url_no_page_has_an_edit_link() {
    let book = copy_fixture("suffix");
    let out = book.path().join("out");
    build_at(book.path(), &out);
    for page in [
        "index.html",
        "guide/intro/index.html",
        "en/guide/intro/index.html",
    ] {
        let html = read(&out, page);
        assert!(edit_links(&html).is_empty(), "{page}");
        assert!(!html.contains("edit-link"), "{page}");
    }
}

/// A git repository in a temporary folder whose commits are made on fixed days.
#[test]
fn each_page_shows_the_day_its_files_last_changed_in_git() {
    let repo = GitRepo::at(copy_fixture("suffix"));
    let root = repo.path();
    repo.commit_on("2026-02-14");
    let en = root.join("content/guide/intro.en.md");
    let text = std::fs::read_to_string(&en).expect("read");
    std::fs::write(&en, format!("{text}\nOne more line.\n")).expect("write");
    repo.commit_on("2026-03-01");
    // An edit not yet committed leaves the date as the last commit made it.
    std::fs::write(
        root.join("content/guide/intro.md"),
        std::fs::read_to_string(root.join("content/guide/intro.md")).expect("read")
            + "\n新的一行。\n",
    )
    .expect("write");
    let out = tempfile::tempdir().expect("temp dir");
    build_at(root, out.path());

    let page = read(out.path(), "guide/intro/index.html");
    assert_eq!(
        updated(&page),
        [
            ("l1".to_string(), "2026-02-14".to_string()),
            ("l2".to_string(), "2026-03-01".to_string()),
        ]
    );
    assert!(
        page.contains("lang=\"zh-CN\">最后更新 <time datetime=\"2026-02-14\">2026-02-14</time>"),
        "{page}"
    );
    assert_eq!(
        updated(&read(out.path(), "zh/guide/intro/index.html")),
        [(String::new(), "2026-02-14".to_string())]
    );
    let en_page = read(out.path(), "en/guide/intro/index.html");
    assert_eq!(
        updated(&en_page),
        [(String::new(), "2026-03-01".to_string())]
    );
    assert!(
        en_page.contains("Last updated <time datetime=\"2026-03-01\">"),
        "{en_page}"
    );
    // Both languages of the section page changed together: one date, labelled in both.
    let index = read(out.path(), "guide/index.html");
    assert_eq!(updated(&index), [(String::new(), "2026-02-14".to_string())]);
    assert!(index.contains("最后更新") && index.contains("Last updated"));
}

#[test]
fn outside_git_no_page_has_a_date() {
    let book = copy_fixture("suffix");
    let out = book.path().join("out");
    build_at(book.path(), &out);
    for page in [
        "index.html",
        "guide/intro/index.html",
        "en/guide/intro/index.html",
    ] {
        let html = read(&out, page);
        assert!(!html.contains("<time"), "{page}");
        assert!(updated(&html).is_empty(), "{page}");
    }
}
