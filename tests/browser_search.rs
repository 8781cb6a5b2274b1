//! Search in the browser: phrases, inline markup, identifiers, a query across a page's
//! sections. Runs in headless Chromium; skips with a reason when it is missing, except under CI.

mod common;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use common::*;
use headless_chrome::{Browser, LaunchOptions, Tab};

fn chromium_path() -> Option<PathBuf> {
    [
        std::env::var_os("CHROMIUM").map(PathBuf::from),
        Some(PathBuf::from("/usr/bin/chromium")),
        Some(PathBuf::from("/usr/bin/chromium-browser")),
    ]
    .into_iter()
    .flatten()
    .find(|p| p.is_file())
}

fn browser() -> Option<Browser> {
    let Some(path) = chromium_path() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have Chromium installed (apt-get install chromium)"
        );
        eprintln!("skipping browser tests: no Chromium at /usr/bin/chromium (install the `chromium` package or set CHROMIUM)");
        return None;
    };
    let args: Vec<&OsStr> = [
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
    ]
    .iter()
    .map(OsStr::new)
    .collect();
    let options = LaunchOptions::default_builder()
        .path(Some(path))
        .sandbox(false)
        .headless(true)
        .idle_browser_timeout(Duration::from_secs(120))
        .args(args)
        .build()
        .expect("launch options");
    Some(Browser::new(options).expect("Chromium starts"))
}

/// The parallel fixture with pages that tell phrases from scattered pairs, code from words,
/// and a page whose two terms sit in two sections.
fn search_book() -> (tempfile::TempDir, PathBuf) {
    let book = copy_fixture("parallel");
    let dir = book.path().join("content/02-operations");
    for (name, text) in [
        ("03-phrase.md", "# 短语 | Phrase\n\n我们不是这样做的，这些值*确实*映射到别处。\nWe do not do it like that.\n"),
        ("04-scattered.md", "# 分散 | Scattered\n\n我们去了。他们不在。不是吗？\nWe went. They were away.\n"),
        ("05-code.md", "# 代码 | Code\n\n调用 `as_str` 方法，或者 `std::mem::swap`。\nCall `as_str`, or `std::mem::swap`.\n"),
        ("06-words.md", "# 单词 | Words\n\n这里有字。\nUse it as a struct, or as a string.\n"),
        ("08-wrap.md", "# 包装 | Wrap\n\n用它包装。\nWe wrap it.\n"),
        ("09-wrapping.md", "# 包装中 | Wrapping\n\n包装中。\nWrapping, wrapped, wrapping, wraps.\n"),
        ("07-sections.md", "# 两节 | Two sections\n\n## 甲 | First\n\n而没有别的办法。\nNothing else.\n\n## 乙 | Second\n\n看这个。\nSee MySuperSliceable here.\n"),
        ("10-requires.md", "# 需要 | Needs\n\n需要小心。\nIt requires care.\n"),
        ("11-required.md", "# 必需 | Required\n\n必需的。\nRequired, required, required before.\n"),
        ("13-quokka.md", "# 短尾矮袋鼠 | Quokka\n\n短尾矮袋鼠坐着的样子。\nThe quokka sits.\n"),
    ] {
        std::fs::write(dir.join(name), text).expect("write");
    }
    // `the` and 的 in 300 sections of a page before the quokka's: their terms keep the best
    // sections only, which the quokka's page is not among.
    let mut common = String::from("# 常见 | Common\n\n");
    for i in 0..300 {
        common.push_str(&format!(
            "## 第{i}节 | Section {i}\n\n的的的的的的。\nThe the the one {i}.\n\n"
        ));
    }
    std::fs::write(dir.join("12-common.md"), common).expect("write");
    let out = book.path().join("public");
    build_at(book.path(), &out);
    (book, out)
}

fn eval(tab: &Tab, js: &str) -> serde_json::Value {
    tab.evaluate(js, true)
        .unwrap_or_else(|e| panic!("{js}: {e}"))
        .value
        .unwrap_or(serde_json::Value::Null)
}

fn wait_for(tab: &Tab, js: &str) {
    let start = Instant::now();
    while eval(tab, js) != serde_json::Value::Bool(true) {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{js} stayed false"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The result URLs of a query, through the page's own search.
fn search(tab: &Tab, query: &str) -> Vec<String> {
    let js = format!(
        "window.DiglotSearch.query({}).then(r => JSON.stringify(r.map(x => x.url)))",
        serde_json::to_string(query).expect("json")
    );
    let value = eval(tab, &js);
    serde_json::from_str(value.as_str().unwrap_or("[]")).expect("urls")
}

static BOOK: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();

fn open(browser: &Browser) -> std::sync::Arc<Tab> {
    let (_, out) = BOOK.get_or_init(search_book);
    let out: &Path = out;
    let tab = browser.new_tab().expect("tab");
    tab.navigate_to(&format!("file://{}/index.html", out.display()))
        .expect("navigate");
    tab.wait_until_navigated().expect("loaded");
    wait_for(&tab, "typeof window.DiglotSearch === 'object'");
    tab
}

#[test]
fn phrases_identifiers_and_pages_match_as_the_reader_means_them() {
    let Some(browser) = browser() else { return };
    let tab = open(&browser);
    // A Chinese query is a phrase: its pairs next to each other, in order.
    let urls = search(&tab, "我们不是");
    assert!(
        urls.len() == 1 && urls[0].contains("operations/phrase/"),
        "{urls:?}"
    );
    // Text split by emphasis is found whole.
    let urls = search(&tab, "实映射到");
    assert!(
        urls.len() == 1 && urls[0].contains("operations/phrase/"),
        "{urls:?}"
    );
    // Code is matched whole: not "as" and "str…" anywhere.
    for query in ["as_str", "std::mem::swap", "std::mem::sw"] {
        let urls = search(&tab, query);
        assert!(
            urls.len() == 1 && urls[0].contains("operations/code/"),
            "{query}: {urls:?}"
        );
    }
    // Two terms in two sections of one page: the page is found, opening at a section.
    let urls = search(&tab, "而没有 MySuperSliceable");
    assert!(
        urls.len() == 1 && urls[0].contains("operations/sections/") && urls[0].contains('#'),
        "{urls:?}"
    );
    assert!(
        search(&tab, "不是我们").is_empty(),
        "reversed: found nowhere"
    );
    // The word itself ranks above its other forms, typed whole or still being typed.
    for query in ["wrap ", "wrap"] {
        let urls = search(&tab, query);
        assert!(
            urls.len() == 2 && urls[0].contains("operations/wrap/"),
            "{query:?}: {urls:?}"
        );
    }
}

/// A page holding the query's words as typed ranks above pages holding only other forms of
/// them; a word on nearly every page (its index term cut to the best sections) rules out no
/// page, alone or beside a Chinese character.
#[test]
fn exact_words_rank_first_and_a_very_common_word_rules_out_no_page() {
    let Some(browser) = browser() else { return };
    let tab = open(&browser);
    for query in ["requires", "requires ", "需要 requires"] {
        let urls = search(&tab, query);
        assert!(
            urls.first()
                .is_some_and(|u| u.contains("operations/requires/")),
            "{query:?}: {urls:?}"
        );
    }
    for query in ["the quokka", "quokka the", "的 quokka", "quokka 的 the"] {
        let urls = search(&tab, query);
        assert!(
            urls.len() == 1 && urls[0].contains("operations/quokka/"),
            "{query:?}: {urls:?}"
        );
    }
    // A query of common words alone still finds their best sections.
    assert!(!search(&tab, "the").is_empty());
}

/// A search opened from a link (`?search=` on page load) waits for no more than two of its
/// own fetches, one after the other: the shards of its terms, then the documents it shows.
/// The manifest comes with the page, fetched beside search.js.
#[test]
fn a_cold_search_makes_at_most_two_sequential_fetches() {
    let Some(browser) = browser() else { return };
    // Over HTTP, where the browser keeps the timing of every file (not from file://).
    let (book, _) = BOOK.get_or_init(search_book);
    let server = diglot::serve::start(
        &diglot::serve::ServeOptions::loopback(book.path().to_path_buf()),
        std::sync::Arc::new(|_| {}),
    )
    .expect("server starts");
    let tab = browser.new_tab().expect("tab");
    tab.navigate_to(&format!(
        "http://{}/?search=%E6%88%91%E4%BB%AC%E4%B8%8D%E6%98%AF",
        server.addr
    ))
    .expect("navigate");
    tab.wait_until_navigated().expect("loaded");
    wait_for(
        &tab,
        "document.querySelectorAll('#search-panel .search-hit').length === 1",
    );
    // Each search file with the depth of its chain: 1 + the deepest file that had ended
    // before it started. The manifest must start before search.js has arrived.
    let report = eval(
        &tab,
        r#"(() => {
          const all = performance.getEntriesByType('resource');
          const script = all.find((e) => /static\/search\.js$/.test(e.name));
          const files = all.filter((e) => /\/search\/(index|s\/\d+|d\/\d+)\.js$/.test(e.name));
          const manifest = files.find((e) => /\/search\/index\.js$/.test(e.name));
          const own = files.filter((e) => e !== manifest);
          const depth = new Map();
          own.sort((a, b) => a.startTime - b.startTime).forEach((e) => {
            let d = 1;
            own.forEach((f) => { if (depth.has(f) && f.responseEnd <= e.startTime) d = Math.max(d, depth.get(f) + 1); });
            depth.set(e, d);
          });
          return JSON.stringify({
            manifestFirst: Boolean(manifest && script && manifest.startTime < script.responseEnd),
            manifests: files.filter((e) => e === manifest || /\/search\/index\.js$/.test(e.name)).length,
            own: own.length,
            depth: Math.max(0, ...depth.values()),
          });
        })()"#,
    );
    let report: serde_json::Value =
        serde_json::from_str(report.as_str().unwrap_or("{}")).expect("report");
    assert_eq!(report["manifestFirst"], true, "{report}");
    assert_eq!(report["manifests"], 1, "asked once: {report}");
    assert!(report["own"].as_u64().is_some_and(|n| n >= 2), "{report}");
    assert_eq!(report["depth"], 2, "{report}");
}

/// A chosen result opens at its section with the query marked in the page, and the mark
/// leaves the address clean.
#[test]
fn a_result_opens_with_the_query_marked_in_view() {
    let Some(browser) = browser() else { return };
    let (_, out) = BOOK.get_or_init(search_book);
    let tab = browser.new_tab().expect("tab");
    tab.navigate_to(&format!(
        "file://{}/index.html?search=MySuperSliceable",
        out.display()
    ))
    .expect("navigate");
    tab.wait_until_navigated().expect("loaded");
    wait_for(&tab, "!!document.querySelector('a.search-hit')");
    let href = eval(&tab, "document.querySelector('a.search-hit').href");
    let href = href.as_str().expect("a link").to_string();
    assert!(href.contains("hl=") && href.contains("#"), "{href}");
    tab.navigate_to(&href).expect("navigate");
    tab.wait_until_navigated().expect("loaded");
    wait_for(&tab, "!!document.querySelector('mark.search-mark')");
    let marked = eval(
        &tab,
        "[...document.querySelectorAll('mark.search-mark')].map(m => m.textContent).join('|')",
    );
    assert_eq!(marked.as_str(), Some("MySuperSliceable"));
    let in_view = eval(
        &tab,
        "(() => { const r = document.querySelector('mark.search-mark').getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; })()",
    );
    assert_eq!(in_view, serde_json::Value::Bool(true));
    assert_eq!(
        eval(&tab, "location.search.includes('hl=')"),
        serde_json::Value::Bool(false)
    );
}
