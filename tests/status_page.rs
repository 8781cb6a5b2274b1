//! The translation status page (`[translation] status-page = true`): written only when asked,
//! in the three forms, with the counts `diglot status` gives for a repository built here
//! commit by commit, links that name files, and a word when history was missing.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use common::{run_diglot, GitRepo};

type Repo = GitRepo;

fn book_toml(status_page: bool) -> String {
    format!(
        "[book]\ntitle = \"T\"\n[languages]\nprimary = \"zh\"\nsecondary = \"en\"\nsource = \"en\"\n[translation]\nstatus-page = {status_page}\n"
    )
}

const GUIDE_EN: &str = "# Guide\n\nThe first paragraph talks about caching.\n\nThe second paragraph stays.\n\n- install the tool\n- run it once\n\nThe last paragraph.\n";
const GUIDE_ZH: &str =
    "# 指南\n\n第一段讲缓存。\n\n第二段不变。\n\n- 安装工具\n- 运行一次\n\n最后一段。\n";
const TIPS_EN: &str = "# Tips\n\nKeep it short.\n\nWrite it down.\n";
/// With a translator's note that has no source: an extra block.
const TIPS_ZH: &str = "# 提示\n\n保持简短。\n\n> 译者注：这一条在中文版里另有说明。\n\n写下来。\n";

/// A book of two phases: the first translation, then an English edit that leaves one pair
/// of `intro/guide` stale and a code block untranslated; `more/tips` has an extra block.
fn repo(status_page: bool) -> Repo {
    let mut repo = Repo::new(&book_toml(status_page));
    repo.write("content/_index.md", "# 首页 | Home\n\n欢迎。\n\nWelcome.\n");
    repo.write("content/01-intro/_index.md", "# 入门 | Intro\n");
    repo.write("content/01-intro/guide.en.md", GUIDE_EN);
    repo.write("content/01-intro/guide.md", GUIDE_ZH);
    repo.write("content/02-more/_index.md", "# 更多 | More\n");
    repo.write("content/02-more/tips.en.md", TIPS_EN);
    repo.write("content/02-more/tips.md", TIPS_ZH);
    repo.commit("first translation");
    repo.write(
        "content/01-intro/guide.en.md",
        &GUIDE_EN.replace(
            "The last paragraph.",
            "The final paragraph.\n\n```sh\nmake install\n```",
        ),
    );
    repo.commit("edit the English");
    repo
}

fn build(dir: &Path) -> PathBuf {
    let out = run_diglot(dir, &["build", "-o", "public"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    dir.join("public")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The four counts of a piece of the status page (`data-count="…"` followed by the number).
fn counts(html: &str) -> [u64; 4] {
    ["current", "stale", "untranslated", "extra"].map(|kind| {
        let marker = format!("data-count=\"{kind}\"");
        let at = html
            .find(&marker)
            .unwrap_or_else(|| panic!("no {kind} in {html}"));
        let rest = &html[at..];
        // The number is the first text made of digits after the marker.
        rest.split(['>', '<'])
            .find_map(|t| t.trim().parse().ok())
            .unwrap_or_else(|| panic!("no number for {kind} in {rest}"))
    })
}

/// Each table row of the status page: the link's `href` and the row's counts.
fn rows(html: &str) -> Vec<(String, [u64; 4])> {
    let body: Vec<&str> = html.split("<tbody>").skip(1).collect();
    body.iter()
        .flat_map(|b| {
            b.split("</tbody>")
                .next()
                .unwrap_or("")
                .split("<tr")
                .skip(1)
        })
        .map(|row| {
            let href = row
                .split("href=\"")
                .nth(1)
                .and_then(|r| r.split('"').next())
                .expect("row link")
                .to_string();
            (href, counts(row))
        })
        .collect()
}

/// The counts `diglot status --format json` gives for each translation file, and in total.
fn status_json(dir: &Path) -> (BTreeMap<String, [u64; 4]>, [u64; 4]) {
    let out = run_diglot(dir, &["status", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let four = |v: &serde_json::Value| {
        ["current", "stale", "untranslated", "extra"].map(|k| v[k].as_u64().expect("count"))
    };
    let mut pages = BTreeMap::new();
    for phase in json["phases"].as_array().expect("phases") {
        for page in phase["pages"].as_array().expect("pages") {
            pages.insert(page["path"].as_str().expect("path").to_string(), four(page));
        }
    }
    (pages, four(&json["total"]))
}

#[test]
fn the_page_is_written_in_three_forms_only_when_asked() {
    let off = repo(false);
    let out = build(off.path());
    for rel in [
        "translation-status",
        "zh/translation-status",
        "en/translation-status",
    ] {
        assert!(!out.join(rel).exists(), "{rel} written while off");
    }
    let page = read(&out.join("intro/guide/index.html"));
    assert!(!page.contains("translation-status/"), "linked while off");

    let on = repo(true);
    let out = build(on.path());
    let page = read(&out.join("intro/guide/index.html"));
    assert!(
        page.contains("href=\"../../translation-status/index.html\""),
        "no sidebar link"
    );
    for (rel, lang, title) in [
        ("translation-status/index.html", "zh-CN", "翻译状态"),
        ("zh/translation-status/index.html", "zh-CN", "翻译状态"),
        (
            "en/translation-status/index.html",
            "en",
            "Translation status",
        ),
    ] {
        let html = read(&out.join(rel));
        assert!(html.contains(&format!("<html lang=\"{lang}\"")), "{rel}");
        assert!(html.contains(title), "{rel}");
        assert!(html.contains("data-history=\"full\""), "{rel}");
        assert!(!html.contains("status-history"), "{rel}: history note");
    }
    let en = read(&out.join("en/translation-status/index.html"));
    assert!(en.contains("Translation: English → 中文"), "{en}");
    assert!(
        !en.contains("翻译状态"),
        "Chinese chrome on the English page"
    );
    let en_page = read(&out.join("en/intro/guide/index.html"));
    assert!(
        en_page.contains("href=\"../../translation-status/index.html\">Translation status</a>"),
        "{en_page}"
    );
}

#[test]
fn its_counts_are_those_of_status_per_page_phase_and_book() {
    let repo = repo(true);
    let out = build(repo.path());
    let (by_path, total) = status_json(repo.path());
    // The edit left "The final paragraph." stale and the code block untranslated.
    assert_eq!(by_path["intro/guide/"], [4, 1, 1, 0]);
    assert_eq!(by_path["more/tips/"], [2, 0, 0, 1]);
    for rel in [
        "translation-status/index.html",
        "en/translation-status/index.html",
    ] {
        let html = read(&out.join(rel));
        let total_part = html.split("class=\"status-total\"").nth(1).expect("totals");
        assert_eq!(counts(total_part), total, "{rel}: totals");
        assert_eq!(total, [7, 1, 1, 1]);
        let rows = rows(&html);
        let hrefs: Vec<&str> = rows.iter().map(|(h, _)| h.as_str()).collect();
        assert_eq!(
            hrefs,
            [
                "../index.html",
                "../intro/index.html",
                "../intro/guide/index.html",
                "../more/index.html",
                "../more/tips/index.html",
            ],
            "{rel}: every page once, in reading order"
        );
        for (href, row) in &rows {
            let path = href
                .trim_start_matches("../")
                .trim_end_matches("index.html");
            assert_eq!(Some(row), by_path.get(path), "{rel}: {href}");
        }
        // Each phase's own line adds up its pages.
        let phases: Vec<[u64; 4]> = html
            .split("<section class=\"status-phase\">")
            .skip(1)
            .map(|s| counts(s.split("<tfoot>").nth(1).expect("phase total")))
            .collect();
        assert_eq!(phases, [[1, 0, 0, 0], [4, 1, 1, 0], [2, 0, 0, 1]], "{rel}");
        assert!(html.contains("66.6 %"), "{rel}: guide's share up to date");
    }
}

/// Every relative `href` and `src` of every HTML file names a file that exists (the site
/// opened from disk), the status page's links and the sidebar's link to it included.
#[test]
fn every_link_of_a_site_with_the_page_names_a_file() {
    let repo = repo(true);
    let out = build(repo.path());
    let mut checked = 0;
    let mut to_status = 0;
    let mut broken = Vec::new();
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.expect("walk");
        let file = entry.path();
        if file.extension().is_none_or(|e| e != "html") || file.ends_with("404.html") {
            continue;
        }
        let html = read(file);
        let dir = file.parent().expect("parent");
        for attr in ["href=\"", "src=\""] {
            for piece in html.split(attr).skip(1) {
                let url = piece.split('"').next().unwrap_or("");
                if url.is_empty()
                    || url.starts_with(['#', '?', '/'])
                    || url.contains("://")
                    || url.starts_with("mailto:")
                {
                    continue;
                }
                let path = url.split(['#', '?']).next().unwrap_or("");
                if path.is_empty() {
                    continue;
                }
                checked += 1;
                if path.contains("translation-status/") {
                    to_status += 1;
                }
                if !dir.join(path).is_file() {
                    broken.push(format!("{}: {url}", file.display()));
                }
            }
        }
    }
    assert!(
        broken.is_empty(),
        "links to no file:\n{}",
        broken.join("\n")
    );
    assert!(checked > 200, "only {checked} links checked");
    // Each of the 5 pages and the status page itself, in 3 forms, links to the status page.
    assert!(to_status >= 18, "{to_status} links to the status page");
    let check = run_diglot(repo.path(), &["check"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
}

#[test]
fn the_page_says_when_history_was_shallow_or_missing() {
    let repo = repo(true);
    let (_clone, shallow) = repo.shallow_clone();
    let out = build(&shallow);
    let en = read(&out.join("en/translation-status/index.html"));
    assert!(en.contains("data-history=\"shallow\""), "{en}");
    assert!(en.contains("built from a shallow clone"), "{en}");
    assert!(en.contains("fetch-depth: 0"), "{en}");
    let zh = read(&out.join("zh/translation-status/index.html"));
    assert!(zh.contains("浅克隆"), "{zh}");

    let plain = tempfile::tempdir().expect("temp dir");
    common::copy_dir(&repo.path().join("content"), &plain.path().join("content"));
    std::fs::write(plain.path().join("book.toml"), book_toml(true)).expect("book.toml");
    let out = build(plain.path());
    let en = read(&out.join("en/translation-status/index.html"));
    assert!(en.contains("data-history=\"none\""), "{en}");
    assert!(en.contains("without the repository’s history"), "{en}");
    // Without history nothing is stale: the pair counts as current.
    let total = en.split("class=\"status-total\"").nth(1).expect("totals");
    assert_eq!(counts(total)[1], 0);

    std::fs::write(
        plain.path().join("book.toml"),
        book_toml(true) + "stale = \"off\"\n",
    )
    .expect("book.toml");
    let out = build(plain.path());
    let en = read(&out.join("en/translation-status/index.html"));
    assert!(en.contains("data-history=\"off\""), "{en}");
    assert!(en.contains("checks are off"), "{en}");
}

#[test]
fn no_page_or_content_file_can_take_the_pages_place() {
    let mut repo = repo(false);
    repo.write(
        "content/translation-status.md",
        "# 状态 | Status\n\n文字。\n\nText.\n",
    );
    repo.commit("a page at the reserved name");
    let run = run_diglot(repo.path(), &["build", "-o", "public"]);
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(!run.status.success(), "{err}");
    assert!(
        err.contains("`translation-status` is reserved for the generated site"),
        "{err}"
    );
    std::fs::remove_file(repo.path().join("content/translation-status.md")).expect("rm");
    for file in [
        "content/translation-status/index.html",
        "content/en/translation-status/index.html",
        "content/zh/checklists/index.html",
    ] {
        repo.write(file, "forged");
        let run = run_diglot(repo.path(), &["build", "-o", "public"]);
        let err = String::from_utf8_lossy(&run.stderr);
        assert!(!run.status.success(), "{file}: {err}");
        assert!(err.contains("that Diglot writes at"), "{file}: {err}");
        std::fs::remove_file(repo.path().join(file)).expect("rm");
    }
}

/// The page body `diglot serve` answers at `path`.
fn served(server: &diglot::serve::Server, path: &str) -> String {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(std::time::Duration::from_secs(10)))
        .build()
        .into();
    agent
        .get(&format!("http://{}{path}", server.addr))
        .call()
        .expect("request")
        .body_mut()
        .read_to_string()
        .unwrap_or_default()
}

#[test]
fn the_preview_counts_again_after_an_edit() {
    let repo = repo(true);
    let server = diglot::serve::start(
        &diglot::serve::ServeOptions::loopback(repo.path()),
        std::sync::Arc::new(|_| {}),
    )
    .expect("server starts");
    let stale_total = |server: &diglot::serve::Server| {
        let html = served(server, "/en/translation-status/");
        let total = html.split("class=\"status-total\"").nth(1).map(counts);
        total.map(|c| c[1])
    };
    assert_eq!(stale_total(&server), Some(1));
    // The translation follows the source, uncommitted: the pair is current again.
    repo.write(
        "content/01-intro/guide.md",
        &GUIDE_ZH.replace("最后一段。", "最终一段。"),
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while stale_total(&server) != Some(0) {
        assert!(
            std::time::Instant::now() < deadline,
            "the status page still counts the pair stale"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    server.stop();
}

#[test]
fn titles_and_language_names_are_escaped_on_the_page() {
    let mut repo = repo(true);
    repo.write(
        "book.toml",
        &(book_toml(true) + "[languages.en]\nname = \"<i>E</i>\"\n"),
    );
    repo.write(
        "content/02-more/tips.en.md",
        &TIPS_EN.replace("# Tips", "# <img src=x onerror=alert(1)>"),
    );
    repo.commit("hostile title");
    let out = build(repo.path());
    for rel in [
        "translation-status/index.html",
        "en/translation-status/index.html",
    ] {
        let html = read(&out.join(rel));
        assert!(!html.contains("<img src=x"), "{rel}: title not escaped");
        assert!(
            !html.contains("<i>E</i>"),
            "{rel}: language name not escaped"
        );
        assert!(
            html.contains("&lt;i&gt;E&lt;"),
            "{rel}: language name missing"
        );
    }
}
