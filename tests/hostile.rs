//! Hostile input: nothing a page contains may run or escape, pathological Markdown builds
//! in bounded time, symbolic links never lead out of the book, and output folders that are
//! not Diglot's are never replaced.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use common::*;

fn book(files: &[(&str, &str)], config: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::write(tmp.path().join("book.toml"), config).expect("write");
    for (path, text) in files {
        let p = tmp.path().join("content").join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    }
    tmp
}

fn build_cmd(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("diglot")
        .expect("bin")
        .arg("build")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .timeout(Duration::from_secs(60))
        .output()
        .expect("run")
}

#[test]
fn dangerous_links_in_any_spelling_are_neutralised() {
    let page = "# 链接 | Links\n\n\
        [a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](jav&#x09;ascript:alert(1)) [d](&#106;avascript:alert(1))\n\
        [e](vbscript:msgbox(1)) [f](data:text/html;base64,PHNjcmlwdD4=) [g](%20javascript:alert(1)) [h](<java\tscript:alert(1)>)\n\
        [ok](https://example.org/) ![img](data:image/png;base64,iVBOR)\n";
    let tmp = book(&[("links.md", page)], "");
    let out = tmp.path().join("public");
    build_at(tmp.path(), &out);
    for rel in [
        "links/index.html",
        "zh/links/index.html",
        "en/links/index.html",
        "print/index.html",
    ] {
        let html = read(&out, rel).to_lowercase();
        for bad in [
            "href=\"javascript:",
            "href=\"vbscript:",
            "href=\"data:text/html",
            "href=\"jav",
            "href=\"%20javascript",
        ] {
            assert!(!html.contains(bad), "{rel} keeps {bad}");
        }
        assert!(html.contains("href=\"https://example.org/\""));
    }
}

#[test]
fn values_are_escaped_in_every_context_and_templates_stay_literal() {
    let page = "+++\ntitle = \"<script>alert('t')</script> | T\\\"><svg onload=alert(2)>\"\ndescription = \"\\\" onmouseover=\\\"alert(3)\"\n+++\n\n\
        一段 {{ 7*7 }} 文字。\nText {{ 7*7 }} {% raw %} here.\n\n\
        [x](a.md \"t\\\"><script>alert(4)</script>\") ![a\"><script>alert(5)</script>](pic.png)\n\n\
        ```\"><script>alert(6)</script>\nplain\n```\n\n\
        名\u{2028}字</script>。\nName\u{2028}</script><script>alert(7)</script>.\n";
    let tmp = book(
        &[("01-p/_index.md", "# 阶段 | Phase\n"), ("01-p/a.md", page)],
        "",
    );
    let out = tmp.path().join("public");
    build_at(tmp.path(), &out);
    let html = read(&out, "p/a/index.html");
    // (alert 7 is raw HTML in the text, which passes by policy: see the next test.)
    for n in 1..=6 {
        assert!(
            !html.contains(&format!("<script>alert({n})")),
            "alert({n}) came through as markup"
        );
    }
    assert!(!html.contains("<script>alert('t')"));
    assert!(!html.contains("<svg onload"));
    assert!(
        !html.contains("\" onmouseover=\""),
        "description escaped in its attribute"
    );
    assert!(
        html.contains("{{ 7*7 }}") && !html.contains(">49"),
        "Markdown text is never a template"
    );
    assert!(html.contains("{% raw %}"));
    // Inline JSON cannot end its script or break a JavaScript string.
    for rel in ["toc.js", "search/d/0.js"] {
        let js = read(&out, rel);
        assert!(
            !js.contains("</script") && !js.contains('\u{2028}'),
            "{rel}"
        );
        assert!(js.contains("\\u003c"), "{rel} escapes <");
    }
}

#[test]
fn raw_html_can_be_switched_off_for_untrusted_content() {
    let page = "# 页 | Page\n\n<b onclick=\"x()\">粗</b>体。\n<b onclick=\"x()\">Bold</b> text.\n\n<div onmouseover=\"x()\">block</div>\n";
    let on = book(&[("a.md", page)], "");
    build_at(on.path(), &on.path().join("public"));
    assert!(
        read(&on.path().join("public"), "a/index.html").contains("<b onclick=\"x()\">Bold</b>"),
        "raw HTML passes by default"
    );
    let off = book(&[("a.md", page)], "[build]\nraw-html = false\n");
    build_at(off.path(), &off.path().join("public"));
    let html = read(&off.path().join("public"), "a/index.html");
    assert!(!html.contains("<b onclick") && !html.contains("<div onmouseover"));
    assert!(
        html.contains("&lt;b onclick=\"x()\"&gt;Bold&lt;/b&gt;"),
        "shown as text"
    );
}

#[test]
fn pathological_markdown_builds_in_bounded_time() {
    let depth = 10_000;
    // 10,000 levels on one line, and 1,000 levels of indented items (a 1 MB file).
    let lists = format!(
        "{}x\n\n{}y\n\n{}z\n\n{}",
        "- ".repeat(depth),
        "1. ".repeat(depth),
        "> - ".repeat(depth / 2),
        (0..1000)
            .map(|i| format!("{}- 项 item\n", "  ".repeat(i)))
            .collect::<String>()
    );
    let quotes = format!("{} 引用 quote\n", ">".repeat(depth));
    let brackets = format!("{}x{}\n", "[".repeat(depth), "](u)".repeat(depth));
    let emphasis = format!("{}a{}\n", "*_".repeat(depth), "_*".repeat(depth));
    let long_line = format!("{} 中文\n", "word ".repeat(200_000));
    let files = [
        ("lists.md", lists),
        ("quotes.md", quotes),
        ("brackets.md", brackets),
        ("emphasis.md", emphasis),
        ("long.md", long_line),
    ];
    let files: Vec<(&str, &str)> = files.iter().map(|(n, t)| (*n, t.as_str())).collect();
    let tmp = book(&files, "");
    let started = Instant::now();
    let run = build_cmd(tmp.path(), &["-q"]);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "took {:?}",
        started.elapsed()
    );
    assert!(tmp.path().join("public/lists/index.html").is_file());
}

#[cfg(unix)]
#[test]
fn symbolic_links_never_lead_out_of_the_book_and_loops_end() {
    let outside = tempfile::tempdir().expect("outside");
    std::fs::write(
        outside.path().join("secret.md"),
        "# 秘密 | Secret\n\nTOP-SECRET-TEXT\n",
    )
    .expect("write");
    std::fs::write(outside.path().join("secret.png"), "TOP-SECRET-BYTES").expect("write");
    let tmp = book(&[("a.md", "# 页 | Page\n\n文。\nText.\n")], "");
    let content = tmp.path().join("content");
    std::os::unix::fs::symlink(outside.path().join("secret.md"), content.join("leak.md"))
        .expect("link");
    std::os::unix::fs::symlink(outside.path().join("secret.png"), content.join("leak.png"))
        .expect("link");
    std::os::unix::fs::symlink(outside.path(), content.join("outside-dir")).expect("link");
    std::os::unix::fs::symlink(&content, content.join("loop")).expect("link");
    let run = build_cmd(tmp.path(), &[]);
    assert_eq!(run.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("symbolic link leads outside the content folder"),
        "{stderr}"
    );
    let out = tmp.path().join("public");
    for f in files(&out) {
        let bytes = std::fs::read(out.join(&f)).expect("read");
        assert!(
            !String::from_utf8_lossy(&bytes).contains("TOP-SECRET"),
            "{} leaked",
            f.display()
        );
    }
}

#[test]
fn output_folders_that_are_not_diglots_are_never_replaced() {
    let tmp = book(&[("a.md", "# 页 | Page\n\n文。\nText.\n")], "");
    let home = tempfile::tempdir().expect("home");
    std::fs::write(home.path().join("notes.txt"), "mine").expect("write");
    for (target, why) in [
        (".", "the book"),
        ("content", "its content"),
        ("/", "the root"),
    ] {
        let run = build_cmd(tmp.path(), &["-o", target, "--force"]);
        assert_eq!(run.status.code(), Some(1), "{why}");
        assert!(
            String::from_utf8_lossy(&run.stderr).contains("refusing to write the site into"),
            "{why}"
        );
    }
    let run = Command::cargo_bin("diglot")
        .expect("bin")
        .args(["build", "--force", "-o"])
        .arg(home.path())
        .current_dir(tmp.path())
        .env("HOME", home.path())
        .output()
        .expect("run");
    assert_eq!(run.status.code(), Some(1), "the home folder");
    assert_eq!(
        std::fs::read_to_string(home.path().join("notes.txt")).expect("kept"),
        "mine"
    );
    // A folder of someone else's: refused, unless --force.
    let other = tmp.path().join("other");
    std::fs::create_dir(&other).expect("mkdir");
    std::fs::write(other.join("keep.txt"), "x").expect("write");
    assert_eq!(
        build_cmd(tmp.path(), &["-o", "other"]).status.code(),
        Some(1)
    );
    assert!(other.join("keep.txt").is_file());
    assert_eq!(
        build_cmd(tmp.path(), &["-o", "other", "--force"])
            .status
            .code(),
        Some(0)
    );
    assert!(other.join("index.html").is_file() && !other.join("keep.txt").exists());
}

#[test]
fn a_build_failing_at_page_500_of_1000_leaves_the_previous_site_untouched() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path();
    std::fs::write(root.join("book.toml"), "").expect("write");
    for i in 0..1000 {
        let dir = root.join("content").join(format!("c{:02}", i / 50));
        std::fs::create_dir_all(&dir).expect("mkdir");
        std::fs::write(
            dir.join(format!("p{i:04}.md")),
            format!("# 页 {i} | Page {i}\n\n文 {i}。\nText {i}.\n"),
        )
        .expect("write");
    }
    let out = root.join("public");
    build_at(root, &out);
    let snapshot = |dir: &Path| -> Vec<(std::path::PathBuf, Vec<u8>)> {
        files(dir)
            .into_iter()
            .map(|f| (f.clone(), std::fs::read(dir.join(&f)).expect("read")))
            .collect()
    };
    let before = snapshot(&out);
    // A theme that fails on one page only, in the middle of the parallel rendering.
    let templates = root.join("themes/default/templates");
    std::fs::create_dir_all(&templates).expect("mkdir");
    std::fs::write(templates.join("page.html"), "{% extends \"base.html\" %}{% block main %}{% if page_url == \"c10/p0500/\" %}{{ missing.value }}{% endif %}{{ content | safe }}{% endblock main %}").expect("write");
    let run = build_cmd(root, &[]);
    assert_eq!(run.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&run.stderr).contains("p0500.md"),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    assert_eq!(before, snapshot(&out), "the previous site changed");
    let leftovers = staging_leftovers(root);
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
