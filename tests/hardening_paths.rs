//! Values from the book that become paths (language codes, themes, slugs, output folders,
//! the base URL) stay inside their root, and what Diglot writes is never silently replaced.

mod common;

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use common::*;

fn book(files: &[(&str, &str)], config: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("book");
    std::fs::create_dir_all(&root).expect("mkdir");
    std::fs::write(root.join("book.toml"), config).expect("write");
    std::fs::create_dir_all(root.join("content")).expect("mkdir");
    for (path, text) in files {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }
    tmp
}

fn root(tmp: &tempfile::TempDir) -> std::path::PathBuf {
    tmp.path().join("book")
}

const HOME: (&str, &str) = ("content/_index.md", "# 首页 | Home\n\n你好。\n\nHello.\n");

struct Run {
    code: Option<i32>,
    stderr: String,
}

fn diglot(dir: &Path, args: &[&str]) -> Run {
    let out = Command::cargo_bin("diglot")
        .expect("bin")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .timeout(Duration::from_secs(60))
        .output()
        .expect("run");
    Run {
        code: out.status.code(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn build(dir: &Path, args: &[&str]) -> Run {
    let mut all = vec!["build"];
    all.extend_from_slice(args);
    diglot(dir, &all)
}

/// Names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("list")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn language_codes_that_are_not_tags_or_name_diglot_folders_are_refused() {
    for code in [
        "../victim",
        "/tmp/diglot-abs-victim",
        ".",
        "..",
        "print",
        "static",
        "search",
        "checklists",
        "Search",
        "e n",
        "zh/x",
    ] {
        for key in ["primary", "secondary"] {
            let other = if key == "primary" { "en" } else { "zh" };
            let other_key = if key == "primary" {
                "secondary"
            } else {
                "primary"
            };
            let config = format!("[languages]\n{other_key} = \"{other}\"\n{key} = \"{code}\"\n");
            let tmp = book(&[HOME], &config);
            let run = build(&root(&tmp), &["-o", "out"]);
            assert_eq!(run.code, Some(1), "{key} = {code:?}: {}", run.stderr);
            assert!(
                run.stderr.contains("book.toml:3:1")
                    && run.stderr.contains("invalid language code"),
                "{key} = {code:?}: {}",
                run.stderr
            );
            assert!(run.stderr.contains("help:"), "{}", run.stderr);
            assert_eq!(
                names(tmp.path()),
                ["book"],
                "{code:?} wrote beside the book"
            );
            assert!(!root(&tmp).join("out").exists());
        }
    }
    assert!(!Path::new("/tmp/diglot-abs-victim").exists());
}

#[test]
fn a_well_formed_language_tag_builds_its_folder() {
    let tmp = book(
        &[HOME, ("content/a.md", "# 甲 | A\n\n文字。\n\nText.\n")],
        "[languages]\nprimary = \"zh-Hant\"\nsecondary = \"pt-BR\"\n",
    );
    let run = build(&root(&tmp), &["-o", "out"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(root(&tmp).join("out/pt-BR/a/index.html").is_file());
    assert!(root(&tmp).join("out/zh-Hant/a/index.html").is_file());
}

#[test]
fn themes_load_only_from_the_books_themes_folder() {
    let template = "<html><body>OUTSIDE-THEME</body></html>\n";
    for theme in ["../../outside", "../outside", "/tmp", "", ".hidden", "a/b"] {
        let tmp = book(&[HOME], &format!("[build]\ntheme = \"{theme}\"\n"));
        let outside = tmp.path().join("outside/templates");
        std::fs::create_dir_all(&outside).expect("mkdir");
        std::fs::write(outside.join("404.html"), template).expect("write");
        std::fs::create_dir_all(root(&tmp).join("themes/.hidden/templates")).expect("mkdir");
        let run = build(&root(&tmp), &["-o", "out"]);
        assert_eq!(run.code, Some(1), "theme {theme:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("book.toml:2:1") && run.stderr.contains("invalid theme name"),
            "theme {theme:?}: {}",
            run.stderr
        );
    }
}

#[cfg(unix)]
#[test]
fn a_theme_linked_from_outside_the_book_is_refused() {
    let tmp = book(&[HOME], "[build]\ntheme = \"linked\"\n");
    let outside = tmp.path().join("outside");
    std::fs::create_dir_all(outside.join("templates")).expect("mkdir");
    std::fs::write(outside.join("templates/404.html"), "OUTSIDE-THEME").expect("write");
    std::fs::create_dir_all(root(&tmp).join("themes")).expect("mkdir");
    std::os::unix::fs::symlink(&outside, root(&tmp).join("themes/linked")).expect("link");
    let run = build(&root(&tmp), &["-o", "out"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("leading outside the book's themes/ folder"),
        "{}",
        run.stderr
    );
    assert!(!root(&tmp).join("out").exists());
}

#[test]
fn a_theme_cannot_read_environment_variables() {
    const SECRET: &str = "s3cr3t-token-9f2c";
    let tmp = book(
        &[
            HOME,
            (
                "themes/evil/templates/404.html",
                "<html><body>[{{ get_env(name=\"DIGLOT_TEST_SECRET\", default=\"none\") }}]</body></html>\n",
            ),
        ],
        "[build]\ntheme = \"evil\"\n",
    );
    let out = Command::cargo_bin("diglot")
        .expect("bin")
        .args(["build", "-o", "out"])
        .current_dir(root(&tmp))
        .env("NO_COLOR", "1")
        .env("DIGLOT_TEST_SECRET", SECRET)
        .timeout(Duration::from_secs(60))
        .output()
        .expect("run");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains(SECRET));
    assert!(!String::from_utf8_lossy(&out.stdout).contains(SECRET));
    assert!(stderr.contains("get_env"), "{stderr}");
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    let site = root(&tmp).join("out");
    if site.exists() {
        for f in files(&site) {
            let bytes = std::fs::read(site.join(&f)).expect("read");
            assert!(!String::from_utf8_lossy(&bytes).contains(SECRET), "{f:?}");
        }
    }
}

#[test]
fn check_says_when_a_content_folder_is_outside_the_book() {
    let tmp = book(&[], "[languages.en]\ncontent-dir = \"../en-src\"\n");
    std::fs::write(root(&tmp).join("content/a.md"), "# 甲\n\n文字。\n").expect("write");
    std::fs::create_dir_all(tmp.path().join("en-src")).expect("mkdir");
    std::fs::write(tmp.path().join("en-src/a.md"), "# A\n\nText.\n").expect("write");
    let run = diglot(&root(&tmp), &["check"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.contains("en-src is outside the book's folder"),
        "{}",
        run.stderr
    );
    // The primary tree inside the book is not mentioned.
    assert_eq!(run.stderr.matches("outside the book's folder").count(), 1);
    // Building such a book stays allowed.
    assert_eq!(build(&root(&tmp), &["-o", "out"]).code, Some(0));
}

#[test]
fn an_existing_file_given_as_output_is_refused_and_left_alone() {
    let tmp = book(&[HOME], "");
    let notes = root(&tmp).join("notes.txt");
    std::fs::write(&notes, "my notes\n").expect("write");
    let before = names(&root(&tmp));
    for _ in 0..2 {
        let run = build(&root(&tmp), &["-o", "notes.txt"]);
        assert_eq!(run.code, Some(1), "{}", run.stderr);
        assert!(
            run.stderr.contains("notes.txt: it is a file, not a folder"),
            "{}",
            run.stderr
        );
    }
    assert_eq!(
        std::fs::read_to_string(&notes).expect("still a file"),
        "my notes\n"
    );
    assert_eq!(names(&root(&tmp)), before, "something was moved aside");
}

/// A process id that is certainly not running: a child that has exited and been reaped.
fn dead_pid() -> u32 {
    let mut child = std::process::Command::new("true").spawn().expect("spawn");
    let pid = child.id();
    child.wait().expect("wait");
    pid
}

fn fake_staging(dir: &Path, marker_pid: Option<u32>) {
    std::fs::create_dir_all(dir.join("sub")).expect("mkdir");
    std::fs::write(dir.join("sub/page.html"), "old").expect("write");
    if let Some(pid) = marker_pid {
        std::fs::write(
            dir.join(".diglot-output"),
            format!("This folder is written by diglot build.\npid: {pid}\n"),
        )
        .expect("marker");
    }
}

#[cfg(unix)]
#[test]
fn staging_folders_of_killed_builds_are_removed_and_no_other() {
    let tmp = book(&[HOME], "");
    let r = root(&tmp);
    let dead = dead_pid();
    let live = std::process::id();
    let dead_staging = r.join(format!(".out.diglot-tmp-{dead}-0"));
    let dead_moved_aside = r.join(format!(".out.diglot-tmp-{dead}-1.old"));
    let unmarked = r.join(format!(".out.diglot-tmp-{dead}-2"));
    let running = r.join(format!(".out.diglot-tmp-{live}-0"));
    let other_output = r.join(format!(".other.diglot-tmp-{dead}-0"));
    fake_staging(&dead_staging, Some(dead));
    fake_staging(&dead_moved_aside, Some(live));
    fake_staging(&unmarked, None);
    fake_staging(&running, Some(live));
    fake_staging(&other_output, Some(dead));
    let run = build(&r, &["-o", "out"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        !dead_staging.exists(),
        "a killed build's staging folder stayed"
    );
    assert!(
        !dead_moved_aside.exists(),
        "a killed build's old output stayed"
    );
    assert!(
        unmarked.join("sub/page.html").is_file(),
        "a folder without the marker was removed"
    );
    assert!(
        running.join("sub/page.html").is_file(),
        "a running build's folder was removed"
    );
    assert!(
        other_output.join("sub/page.html").is_file(),
        "another output's folder was removed"
    );
    // A second build (replacing the first) leaves nothing new behind.
    assert_eq!(build(&r, &["-o", "out"]).code, Some(0));
    let mut left = staging_leftovers(&r);
    left.sort();
    assert_eq!(left.len(), 3, "{left:?}");
}

#[test]
fn base_urls_that_leave_the_site_or_are_not_urls_are_refused() {
    for bad in [
        "//evil.com/",
        "/a b/",
        "/docs/?q=1#top",
        "http://[::1/",
        "ftp://example.org/",
        "javascript:alert(1)",
    ] {
        let tmp = book(
            &[HOME],
            &format!("[book]\ntitle = \"T\"\nbase-url = \"{bad}\"\n"),
        );
        let run = build(&root(&tmp), &["-o", "out"]);
        assert_eq!(run.code, Some(1), "{bad:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("invalid base-url") && run.stderr.contains("book.toml:3:1"),
            "{bad:?}: {}",
            run.stderr
        );
        assert!(!root(&tmp).join("out").exists());

        let tmp = book(&[HOME], "");
        let run = build(&root(&tmp), &["-o", "out", "--base-url", bad]);
        assert_eq!(run.code, Some(1), "--base-url {bad:?}: {}", run.stderr);
        assert!(run.stderr.contains("invalid --base-url"), "{}", run.stderr);
        assert!(!root(&tmp).join("out").exists());
    }
}

#[test]
fn a_base_url_is_normalised_and_the_sitemap_needs_a_host() {
    let tmp = book(&[HOME], "[book]\nbase-url = \"docs\"\n");
    let run = build(&root(&tmp), &["-o", "out"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let out = root(&tmp).join("out");
    assert!(read(&out, "404.html").contains("/docs/static/"));
    assert!(
        !out.join("sitemap.xml").exists(),
        "a sitemap with relative URLs"
    );
    // A build does not repeat it; `check` says why there is none.
    assert!(!run.stderr.contains("note: no sitemap"), "{}", run.stderr);
    let checked = common::run_diglot(&root(&tmp), &["check"]);
    let said = String::from_utf8_lossy(&checked.stderr);
    assert!(said.contains("note: no sitemap.xml"), "{said}");

    let run = build(
        &root(&tmp),
        &["-o", "out", "--base-url", "HTTPS://Example.org/guide"],
    );
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let sitemap = read(&out, "sitemap.xml");
    assert!(
        sitemap.contains("<loc>https://example.org/guide/</loc>"),
        "{sitemap}"
    );
    assert!(!run.stderr.contains("note: no sitemap"), "{}", run.stderr);
}

#[test]
fn the_build_summary_counts_pages_in_good_english() {
    let tmp = book(&[], "");
    std::fs::write(root(&tmp).join("content/_index.md"), "# 首页 | Home\n").expect("write");
    let run = build(&root(&tmp), &["-o", "out"]);
    assert!(run.stderr.contains("built 1 page ("), "{}", run.stderr);
}

#[test]
fn a_missing_book_folder_is_said_not_to_exist() {
    let tmp = tempfile::tempdir().expect("tmp");
    let run = build(tmp.path(), &["nope"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("nope does not exist"), "{}", run.stderr);
    std::fs::create_dir(tmp.path().join("empty")).expect("mkdir");
    let run = build(tmp.path(), &["empty"]);
    assert!(
        run.stderr.contains("no book.toml in empty"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_content_file_at_a_generated_path_is_an_error_naming_both() {
    let page = ("content/guide.md", "# 指南 | Guide\n\n文字。\n\nText.\n");
    for (file, generated) in [
        ("content/toc.js", "`toc.js`"),
        ("content/static/diglot.js", "`static/diglot.js`"),
        ("content/index.html", "`index.html`"),
        ("content/404.html", "`404.html`"),
        ("content/sitemap.xml", "`sitemap.xml`"),
        ("content/checklists.json", "`checklists.json`"),
        ("content/guide/index.html", "`guide/index.html`"),
        ("content/EN/guide/index.html", "`EN/guide/index.html`"),
        ("content/search/index.js", "`search/index.js`"),
    ] {
        let tmp = book(
            &[HOME, page, (file, "forged")],
            "[book]\nbase-url = \"https://e.org/\"\n",
        );
        let run = build(&root(&tmp), &["-o", "out"]);
        assert_eq!(run.code, Some(1), "{file}: {}", run.stderr);
        let shown = file.trim_start_matches("content/");
        assert!(
            run.stderr.contains(&format!("{file}\n")) || run.stderr.contains(&format!("{file}:")),
            "{file} not named: {}",
            run.stderr
        );
        assert!(
            run.stderr
                .contains(&format!("that Diglot writes at {generated}")),
            "{shown}: {}",
            run.stderr
        );
        assert!(!root(&tmp).join("out").exists());
    }
    let tmp = book(&[HOME, ("content/toc.js", "forged")], "");
    let run = diglot(&root(&tmp), &["check"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("that Diglot writes at `toc.js`"),
        "{}",
        run.stderr
    );
    // A file of the book's own beside the generated ones is fine.
    let tmp = book(&[HOME, ("content/static/logo.png", "png")], "");
    let run = build(&root(&tmp), &["-o", "out"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(root(&tmp).join("out/static/logo.png").is_file());
}

#[test]
fn slugs_that_hide_pages_or_break_links_are_refused_at_their_line() {
    for (slug, says) in [
        (".hidden", "cannot start with `.`"),
        (" sp ace ", "cannot hold spaces"),
        (
            "index.html",
            "`index.html` is the file of every page's folder",
        ),
        ("a\\\"b", "letters, digits"),
    ] {
        for file in [
            "content/a.md",
            "content/01-phase/_index.md",
            "content/01-phase/b.md",
        ] {
            let page =
                format!("+++\ntitle = \"甲 | A\"\nslug = \"{slug}\"\n+++\n\n文字。\n\nText.\n");
            let tmp = book(
                &[HOME, ("content/01-phase/c.md", "# 丙 | C\n"), (file, &page)],
                "",
            );
            let run = build(&root(&tmp), &["-o", "out"]);
            assert_eq!(run.code, Some(1), "{slug:?} in {file}: {}", run.stderr);
            assert!(
                run.stderr.contains(&format!("{file}:3:1")) && run.stderr.contains(says),
                "{slug:?} in {file}: {}",
                run.stderr
            );
            assert!(!run.stderr.contains("staging"), "{}", run.stderr);
        }
    }
}

#[test]
fn file_names_become_slugs_that_serve_and_link() {
    let tmp = book(
        &[
            HOME,
            ("content/ sp ace .md", "# 甲 | A\n"),
            ("content/index.html.md", "# 乙 | B\n"),
        ],
        "",
    );
    let run = build(&root(&tmp), &["-o", "out", "--strict"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let out = root(&tmp).join("out");
    assert!(out.join("sp-ace/index.html").is_file(), "{:?}", files(&out));
    assert!(
        out.join("index-html/index.html").is_file(),
        "{:?}",
        files(&out)
    );
    assert!(out.join("index.html").is_file());
}
