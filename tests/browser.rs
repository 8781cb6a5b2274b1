//! What only a browser shows: the view switcher, its saved choice, narrow screens.
//! Runs in headless Chromium; skips with a reason when it is missing, except under CI.

mod common;

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use common::*;
use headless_chrome::protocol::cdp::Target::CreateTarget;
use headless_chrome::{Browser, LaunchOptions, Tab};

fn chromium_path() -> Option<PathBuf> {
    let candidates = [
        std::env::var_os("CHROMIUM").map(PathBuf::from),
        Some(PathBuf::from("/usr/bin/chromium")),
        Some(PathBuf::from("/usr/bin/chromium-browser")),
    ];
    candidates.into_iter().flatten().find(|p| p.is_file())
}

/// The tests share one origin (`file://`) and so one localStorage: they take turns.
fn serial() -> std::sync::MutexGuard<'static, ()> {
    static LOCK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    LOCK.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// One browser for all tests of this file: starting one takes seconds.
static BROWSER: OnceLock<Option<Browser>> = OnceLock::new();
/// The guide, and a book with hostile and mixed text, each built once for all tests.
static SITE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();
static SEARCH_SITE: OnceLock<(tempfile::TempDir, PathBuf)> = OnceLock::new();

/// Statics are never dropped, so the browser and the built guide would outlive the test
/// process (a Chromium left running per test run): they are ended when the process exits.
extern "C" fn clean_up_at_exit() {
    if let Some(pid) = BROWSER
        .get()
        .and_then(Option::as_ref)
        .and_then(Browser::get_process_id)
    {
        // SAFETY: signalling a process id we started; no memory is touched.
        unsafe {
            libc::kill(pid as libc::pid_t, libc::SIGTERM);
        }
    }
    for (dir, _) in [SITE.get(), SEARCH_SITE.get()].into_iter().flatten() {
        let _ = std::fs::remove_dir_all(dir.path());
    }
}

fn clean_up_registered() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    // SAFETY: registers a plain function without arguments, once.
    ONCE.call_once(|| unsafe {
        libc::atexit(clean_up_at_exit);
    });
}

fn browser() -> Option<&'static Browser> {
    clean_up_registered();
    BROWSER
        .get_or_init(|| {
            let Some(path) = chromium_path() else {
                assert!(std::env::var_os("CI").is_none(), "CI must have Chromium installed (apt-get install chromium)");
                eprintln!("skipping browser tests: no Chromium at /usr/bin/chromium (install the `chromium` package or set CHROMIUM)");
                return None;
            };
            let args: Vec<&OsStr> = ["--disable-gpu", "--disable-background-networking", "--no-first-run", "--disable-component-update", "--disable-sync"].iter().map(OsStr::new).collect();
            let options = LaunchOptions::default_builder()
                .path(Some(path))
                .sandbox(false)
                .headless(true)
                .window_size(Some((1280, 900)))
                .idle_browser_timeout(Duration::from_secs(120))
                .args(args)
                .build()
                .expect("launch options");
            Some(Browser::new(options).expect("Chromium starts"))
        })
        .as_ref()
}

/// The book `make` gives, built once into `cell` (removed when the test process exits);
/// its output folder.
fn built_once(
    cell: &'static OnceLock<(tempfile::TempDir, PathBuf)>,
    make: impl FnOnce() -> tempfile::TempDir,
) -> &'static Path {
    clean_up_registered();
    let (_, out) = cell.get_or_init(|| {
        let book = make();
        let out = book.path().join("public");
        build_at(book.path(), &out);
        (book, out)
    });
    out
}

/// The guide, built once.
fn site() -> &'static Path {
    built_once(&SITE, copy_guide)
}

fn url(rel: &str) -> String {
    format!("file://{}/{rel}", site().display())
}

fn eval(tab: &Tab, js: &str) -> serde_json::Value {
    tab.evaluate(js, false)
        .unwrap_or_else(|e| panic!("{js}: {e}"))
        .value
        .unwrap_or(serde_json::Value::Null)
}

fn wait_for(tab: &Tab, js: &str, expected: serde_json::Value) {
    let start = Instant::now();
    loop {
        let got = eval(tab, js);
        if got == expected {
            return;
        }
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{js} stayed {got}, expected {expected}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Is the first paired element of this language displayed?
const SHOWN: &str = "(lang) => { const el = document.querySelector(`.seg-list .seg > [lang=\"${lang}\"]`); return !!el && getComputedStyle(el).display !== 'none'; }";

/// Do the two halves of the first list pair sit on one row, English to the right?
const SAME_ROW: &str = "(() => { const li = document.querySelector('.seg-list .seg'); const a = li.children[0].getBoundingClientRect(), b = li.children[1].getBoundingClientRect(); return Math.abs(a.top - b.top) < 4 && b.left > a.right; })()";

fn shown(tab: &Tab, lang: &str) -> bool {
    eval(tab, &format!("({SHOWN})('{lang}')")) == serde_json::Value::Bool(true)
}

/// Opens a page in a window of its own, `width` CSS pixels wide.
fn open_sized(browser: &Browser, rel: &str, width: u32) -> Arc<Tab> {
    let params: CreateTarget = serde_json::from_value(serde_json::json!({
        "url": url(rel), "width": width, "height": 900, "newWindow": true
    }))
    .expect("target params");
    let tab = browser.new_tab_with_options(params).expect("tab");
    tab.wait_until_navigated().expect("loaded");
    wait_for(
        &tab,
        &format!("window.innerWidth >= {}", width - 20),
        true.into(),
    );
    tab
}

fn open(browser: &Browser, rel: &str) -> Arc<Tab> {
    open_sized(browser, rel, 1280)
}

#[test]
fn switching_views_shows_the_right_language_and_the_choice_persists() {
    let _turn = serial();
    let Some(browser) = browser() else { return };
    let tab = open(
        browser,
        "architecture-design-phase/requirements-analysis/index.html",
    );
    eval(&tab, "localStorage.clear(), true");
    tab.reload(false, None)
        .expect("reload")
        .wait_until_navigated()
        .expect("loaded");
    wait_for(
        &tab,
        "document.documentElement.dataset.mode",
        "side-by-side".into(),
    );
    assert!(shown(&tab, "zh-CN") && shown(&tab, "en"));
    assert_eq!(
        eval(&tab, SAME_ROW),
        true,
        "side by side: the pair shares a row"
    );

    tab.find_element(".view-switcher a[data-view=zh]")
        .expect("switcher link")
        .click()
        .expect("click");
    wait_for(
        &tab,
        "document.documentElement.dataset.mode",
        "primary".into(),
    );
    assert!(shown(&tab, "zh-CN"));
    assert!(!shown(&tab, "en"), "English hidden in the Chinese view");
    assert_eq!(
        eval(
            &tab,
            "location.pathname.endsWith('/architecture-design-phase/requirements-analysis/index.html')"
        ),
        true,
        "switched in place"
    );

    tab.reload(false, None)
        .expect("reload")
        .wait_until_navigated()
        .expect("loaded");
    wait_for(
        &tab,
        "document.documentElement.dataset.mode",
        "primary".into(),
    );
    assert!(!shown(&tab, "en"), "the choice survived a reload");

    // Another page of the same book opens in the saved view too.
    let other = open(
        browser,
        "service-governance-phase/availability-design/index.html",
    );
    wait_for(
        &other,
        "document.documentElement.dataset.mode",
        "primary".into(),
    );

    // The keyboard shortcut cycles on to English.
    tab.press_key("v").expect("key");
    wait_for(
        &tab,
        "document.documentElement.dataset.mode",
        "secondary".into(),
    );
    assert!(shown(&tab, "en") && !shown(&tab, "zh-CN"));
    tab.press_key("4").expect("key");
    wait_for(
        &tab,
        "document.documentElement.dataset.mode",
        "interleaved".into(),
    );
    eval(&tab, "localStorage.clear(), true");
}

#[test]
fn a_shared_view_link_wins_and_the_language_pages_hold_one_language() {
    let _turn = serial();
    let Some(browser) = browser() else { return };
    let tab = open(
        browser,
        "core-feature-implementation-phase/api-design/index.html?view=en",
    );
    wait_for(
        &tab,
        "document.documentElement.dataset.mode",
        "secondary".into(),
    );
    assert!(!shown(&tab, "zh-CN"));
    let zh = open(
        browser,
        "zh/core-feature-implementation-phase/api-design/index.html",
    );
    wait_for(
        &zh,
        "document.querySelectorAll('article .seg').length > 10",
        true.into(),
    );
    assert_eq!(
        eval(&zh, "document.querySelectorAll('article [lang=en]').length"),
        0
    );
    assert!(shown(&zh, "zh-CN"));
    eval(&tab, "localStorage.clear(), true");
}

#[test]
fn narrow_screens_read_side_by_side_as_interleaved() {
    let _turn = serial();
    let Some(browser) = browser() else { return };
    let tab = open_sized(
        browser,
        "architecture-design-phase/technology-selection/index.html?view=side-by-side",
        390,
    );
    wait_for(
        &tab,
        "document.documentElement.dataset.mode",
        "side-by-side".into(),
    );
    wait_for(&tab, "window.innerWidth < 800", true.into());
    assert_eq!(
        eval(&tab, SAME_ROW),
        false,
        "narrow: the English line goes below the Chinese one"
    );
    assert!(shown(&tab, "zh-CN") && shown(&tab, "en"));
    eval(&tab, "localStorage.clear(), true");
}

#[test]
fn a_served_page_reloads_itself_after_an_edit_and_keeps_its_view() {
    let _turn = serial();
    let Some(browser) = browser() else { return };
    let book = copy_fixture("parallel");
    let opts = diglot::serve::ServeOptions::loopback(book.path().to_path_buf());
    let server = diglot::serve::start(&opts, Arc::new(|_| {})).expect("server");
    let params: CreateTarget = serde_json::from_value(serde_json::json!({
        "url": format!("{}planning/checklist/", server.url()), "width": 1280, "height": 900, "newWindow": true
    }))
    .expect("target params");
    let tab = browser.new_tab_with_options(params).expect("tab");
    tab.wait_until_navigated().expect("loaded");
    wait_for(&tab, "typeof window.Diglot === 'object'", true.into());
    eval(&tab, "window.Diglot.setView('zh'), true");
    wait_for(
        &tab,
        "document.documentElement.dataset.mode",
        "primary".into(),
    );
    // Marks this document; a reload replaces it.
    eval(&tab, "window.__before_reload = true");

    let page = book.path().join("content/01-planning/02-checklist.md");
    let text = std::fs::read_to_string(&page).expect("read");
    std::fs::write(&page, format!("{text}\n实时更新。\nLive update.\n")).expect("write");
    wait_for(
        &tab,
        "document.body.textContent.includes('实时更新。')",
        true.into(),
    );
    assert_eq!(
        eval(&tab, "window.__before_reload === undefined"),
        true,
        "the page reloaded by itself"
    );
    wait_for(
        &tab,
        "document.documentElement.dataset.mode",
        "primary".into(),
    );

    // A broken file shows an overlay; fixing it reloads the page without it.
    std::fs::write(&page, "+++\ntitle = [\n+++\n").expect("break");
    wait_for(
        &tab,
        "!!document.getElementById('diglot-error-overlay')",
        true.into(),
    );
    let overlay = eval(
        &tab,
        "document.getElementById('diglot-error-overlay').textContent",
    );
    assert!(
        overlay
            .as_str()
            .is_some_and(|t| t.contains("content/01-planning/02-checklist.md:2:")),
        "{overlay}"
    );
    std::fs::write(&page, text).expect("fix");
    wait_for(&tab, "!document.getElementById('diglot-error-overlay') && !document.body.textContent.includes('实时更新。')", true.into());
    eval(&tab, "localStorage.clear(), true");
    server.stop();
}

#[test]
fn ticked_items_are_kept_shown_everywhere_exported_and_reset() {
    let _turn = serial();
    let Some(browser) = browser() else { return };
    let tab = open(browser, "checklists/architecture-design-phase/index.html");
    eval(&tab, "localStorage.clear(), true");
    tab.reload(false, None)
        .expect("reload")
        .wait_until_navigated()
        .expect("loaded");
    wait_for(
        &tab,
        "typeof window.DiglotChecklist === 'object'",
        true.into(),
    );
    let first = eval(
        &tab,
        "document.querySelectorAll('li.check')[0].dataset.checkId",
    );
    let second = eval(
        &tab,
        "document.querySelectorAll('li.check')[6].dataset.checkId",
    );
    tab.find_element("li.check:nth-of-type(1) .l1 input.check-box")
        .expect("first box")
        .click()
        .expect("tick");
    // The second box is ticked from the keyboard.
    eval(
        &tab,
        &format!(
            "document.querySelector('li.check[data-check-id=\"{}\"] .l1 input').focus(), true",
            second.as_str().expect("id")
        ),
    );
    tab.press_key(" ").expect("space");
    wait_for(
        &tab,
        "document.querySelector('[data-progress-phase=architecture-design-phase] .progress-count').textContent",
        "2".into(),
    );
    assert_eq!(
        eval(
            &tab,
            "document.querySelectorAll('input.check-box:checked').length"
        ),
        4,
        "both sides of two items"
    );

    tab.reload(false, None)
        .expect("reload")
        .wait_until_navigated()
        .expect("loaded");
    wait_for(
        &tab,
        "document.querySelectorAll('li.check.is-checked').length",
        2.into(),
    );
    let markdown = eval(&tab, "window.DiglotChecklist.exportMarkdown('both')");
    let markdown = markdown.as_str().expect("markdown");
    assert_eq!(markdown.matches("- [x] ").count(), 2, "{markdown}");
    assert_eq!(markdown.matches("- [ ] ").count(), 8, "{markdown}");
    assert!(
        markdown.contains("- [x] 业务需求文档 · Business requirement documentation"),
        "{markdown}"
    );

    // The section page shows the same item ticked; the overview counts it.
    let section = open(
        browser,
        "architecture-design-phase/requirements-analysis/index.html",
    );
    wait_for(
        &section,
        &format!(
            "document.querySelector('li.check[data-check-id=\"{}\"] input').checked",
            first.as_str().expect("id")
        ),
        true.into(),
    );
    let overview = open(browser, "checklists/index.html");
    wait_for(
        &overview,
        "document.querySelector('[data-progress-phase=\"*\"] .progress-count').textContent",
        "2".into(),
    );
    wait_for(
        &overview,
        "document.querySelector('[data-progress-phase=architecture-design-phase] progress').value",
        2.into(),
    );

    // Reset, confirmed.
    eval(&tab, "window.confirm = () => true, true");
    tab.find_element("button[data-action=reset-phase]")
        .expect("reset")
        .click()
        .expect("click");
    wait_for(
        &tab,
        "document.querySelectorAll('input.check-box:checked').length",
        0.into(),
    );
    wait_for(
        &tab,
        "document.querySelector('[data-progress-phase=architecture-design-phase] .progress-count').textContent",
        "0".into(),
    );
    eval(&tab, "localStorage.clear(), true");
}

/// A book with a hostile title and mixed text, built once.
fn search_site() -> &'static Path {
    built_once(&SEARCH_SITE, || {
        let book = copy_fixture("parallel");
        std::fs::write(
            book.path().join("content/02-operations/02-hostile.md"),
            "# 危险 <img src=x onerror=window.__pwned=1> | Danger <img src=x onerror=window.__pwned=1>\n\n缓存 <script>window.__pwned=2</script> 测试。\nCache <b>test</b>.\n",
        )
        .expect("write");
        book
    })
}

fn search_url(rel: &str) -> String {
    format!("file://{}/{rel}", search_site().display())
}

fn open_url(browser: &Browser, url: &str) -> Arc<Tab> {
    let params: CreateTarget = serde_json::from_value(
        serde_json::json!({ "url": url, "width": 1280, "height": 900, "newWindow": true }),
    )
    .expect("params");
    let tab = browser.new_tab_with_options(params).expect("tab");
    tab.wait_until_navigated().expect("loaded");
    tab
}

/// Runs a search through the page's API and returns the result URLs.
fn search(tab: &Tab, query: &str) -> Vec<String> {
    let js = format!(
        "window.DiglotSearch.query({}).then(r => JSON.stringify(r.map(x => x.url)))",
        serde_json::to_string(query).expect("json")
    );
    let value = tab
        .evaluate(&js, true)
        .expect("query")
        .value
        .unwrap_or_default();
    serde_json::from_str(value.as_str().unwrap_or("[]")).expect("urls")
}

#[test]
fn search_finds_chinese_and_english_and_stays_inert() {
    let _turn = serial();
    let Some(browser) = browser() else { return };
    let tab = open(browser, "index.html");
    wait_for(&tab, "typeof window.DiglotSearch === 'object'", true.into());
    for query in ["缓存", "cache", "cach", "caching"] {
        let urls = search(&tab, query);
        let top: Vec<&str> = urls.iter().take(3).map(String::as_str).collect();
        for page in [
            "technology-selection",
            "database-design",
            "performance-optimization",
        ] {
            assert!(
                top.iter().any(|u| u.contains(page)),
                "{query}: {page} not in the top results {urls:?}"
            );
        }
    }
    assert!(
        search(&tab, "均")
            .iter()
            .any(|u| u.contains("performance-optimization")),
        "a single Han character"
    );
    assert!(search(&tab, "负载均衡")
        .iter()
        .any(|u| u.contains("performance-optimization")));
    assert!(search(&tab, "zzzzqqq").is_empty());

    let mixed = open_url(browser, &search_url("index.html"));
    wait_for(
        &mixed,
        "typeof window.DiglotSearch === 'object'",
        true.into(),
    );
    let urls = search(&mixed, "Redis 缓存");
    assert!(
        urls.first()
            .is_some_and(|u| u.contains("planning/capacity/")),
        "{urls:?}"
    );
    // Hostile text in titles and bodies stays text in the results.
    eval(&mixed, "window.DiglotSearch.open('危险'), true");
    wait_for(
        &mixed,
        "document.querySelectorAll('#search-panel a').length > 0",
        true.into(),
    );
    assert_eq!(eval(&mixed, "document.querySelectorAll('#search-panel img, #search-panel script, #search-panel b').length"), 0);
    assert_eq!(
        eval(
            &mixed,
            "document.getElementById('search-panel').textContent.includes('<img src=x')"
        ),
        true
    );
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(
        eval(&mixed, "window.__pwned === undefined"),
        true,
        "nothing from the index ran"
    );
}

#[test]
fn search_by_keyboard_and_shared_query_links() {
    let _turn = serial();
    let Some(browser) = browser() else { return };
    let tab = open_url(
        browser,
        &search_url("zh/index.html?search=%E7%BC%93%E5%AD%98"),
    );
    wait_for(
        &tab,
        "document.querySelectorAll('#search-panel a').length > 0",
        true.into(),
    );
    assert_eq!(
        eval(&tab, "document.getElementById('search-input').value"),
        "缓存"
    );
    // Results keep the reader in the Chinese pages.
    let href = eval(
        &tab,
        "document.querySelector('#search-panel a').getAttribute('href')",
    );
    assert!(href.as_str().is_some_and(|h| !h.contains("/en/")), "{href}");
    eval(&tab, "window.DiglotSearch.close(), document.activeElement && document.activeElement.blur(), true");
    wait_for(
        &tab,
        "document.getElementById('search-panel').hidden",
        true.into(),
    );

    let page = open_url(browser, &search_url("planning/index.html"));
    wait_for(
        &page,
        "typeof window.DiglotSearch === 'object'",
        true.into(),
    );
    page.press_key("/").expect("slash");
    wait_for(
        &page,
        "document.activeElement && document.activeElement.id",
        "search-input".into(),
    );
    page.type_str("capacity").expect("type");
    wait_for(
        &page,
        "document.querySelectorAll('#search-panel a').length > 0",
        true.into(),
    );
    page.press_key("ArrowDown").expect("down");
    page.press_key("Enter").expect("enter");
    wait_for(
        &page,
        "location.pathname.includes('/planning/capacity/')",
        true.into(),
    );
    page.press_key("Escape").expect("esc");
}

#[test]
fn the_browser_stems_and_cuts_text_like_the_indexer() {
    let _turn = serial();
    let Some(browser) = browser() else { return };
    let tab = open(browser, "index.html");
    wait_for(&tab, "typeof window.DiglotSearch === 'object'", true.into());
    let words = [
        "cache",
        "caching",
        "cached",
        "caches",
        "strategies",
        "balancing",
        "running",
        "requirements",
        "planned",
        "class",
        "status",
        "uses",
        "API",
        "naïve",
        "ⓐbc",
        "x²",
    ];
    for word in words {
        let js = eval(
            &tab,
            &format!(
                "JSON.stringify(window.DiglotSearch.terms({}))",
                serde_json::to_string(word).expect("json")
            ),
        );
        let rust = serde_json::to_string(&diglot::search::terms(word)).expect("json");
        assert_eq!(js.as_str(), Some(rust.as_str()), "{word}");
    }
    // Identifiers and the visible text of inline shapes cut the same way on both sides.
    for md in [
        "*所有*被省略",
        "这*确实*映射到",
        "调用`as_str`方法",
        "按<kbd>Ctrl</kbd>键",
        "(#[no_std]) std::mem::swap, Vec<T>. e.g. v1.2 __init__ <T>",
        "用as_str方法 Option<Box<T>>",
    ] {
        let text = diglot::search::plain_text(md);
        let js = eval(
            &tab,
            &format!(
                "JSON.stringify(window.DiglotSearch.terms({}))",
                serde_json::to_string(&text).expect("json")
            ),
        );
        let rust = serde_json::to_string(&diglot::search::terms(&text)).expect("json");
        assert_eq!(js.as_str(), Some(rust.as_str()), "{md}");
    }
    let text = "使用 Redis 缓存热点数据, caching strategies (v1.2)";
    let js = eval(
        &tab,
        &format!(
            "JSON.stringify(window.DiglotSearch.terms({}))",
            serde_json::to_string(text).expect("json")
        ),
    );
    assert_eq!(
        js.as_str(),
        Some(
            serde_json::to_string(&diglot::search::terms(text))
                .expect("json")
                .as_str()
        )
    );
    // And put every term in the same shard: by its first two characters (a CJK pair whole).
    for term in ["缓", "缓存", "存热", "cach", "c", "naïve", "𠀀𠀁", "x²"] {
        let js = eval(
            &tab,
            &format!(
                "window.DiglotSearch.shardOf({}, 97)",
                serde_json::to_string(term).expect("json")
            ),
        );
        let rust = diglot::search::shard_of(term, 97) as u64;
        assert_eq!(js.as_u64(), Some(rust), "{term}");
    }
}

#[test]
fn checklists_keep_working_when_storage_fails_or_holds_garbage() {
    let _turn = serial();
    let Some(browser) = browser() else { return };
    let page = "checklists/architecture-design-phase/index.html";
    // Corrupt data, then an old schema: the page starts empty and still works.
    for stored in ["{not json", "{\"version\":0,\"items\":[1,2]}", "[]"] {
        let tab = open(browser, page);
        eval(&tab, &format!("localStorage.setItem('diglot:' + document.documentElement.dataset.book + ':checklist', {}), true", serde_json::to_string(stored).expect("json")));
        tab.reload(false, None)
            .expect("reload")
            .wait_until_navigated()
            .expect("loaded");
        wait_for(
            &tab,
            "typeof window.DiglotChecklist === 'object'",
            true.into(),
        );
        wait_for(&tab, "document.querySelector('[data-progress-phase=architecture-design-phase] .progress-count').textContent", "0".into());
        tab.find_element("li.check .l1 input.check-box")
            .expect("box")
            .click()
            .expect("tick");
        wait_for(&tab, "document.querySelector('[data-progress-phase=architecture-design-phase] .progress-count').textContent", "1".into());
        eval(&tab, "localStorage.clear(), true");
    }
    // Storage that throws on every write (full, or disabled): ticking still works, unsaved.
    let tab = open(browser, page);
    wait_for(
        &tab,
        "typeof window.DiglotChecklist === 'object'",
        true.into(),
    );
    eval(&tab, "Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); }, window.__errors = 0, window.addEventListener('error', () => window.__errors++), true");
    tab.find_element("li.check .l1 input.check-box")
        .expect("box")
        .click()
        .expect("tick");
    wait_for(&tab, "document.querySelector('[data-progress-phase=architecture-design-phase] .progress-count').textContent", "1".into());
    assert_eq!(eval(&tab, "window.__errors"), 0);
    assert_eq!(
        eval(
            &tab,
            "document.querySelectorAll('li.check.is-checked').length"
        ),
        1
    );
}

/// Clicks the first element `selector` matches and waits for the page it leads to, whose
/// path must end with `path_end`; the page is one of the book's (not a directory listing).
fn click_through(tab: &Tab, selector: &str, path_end: &str) {
    tab.find_element(selector)
        .unwrap_or_else(|e| panic!("{selector}: {e}"))
        .click()
        .unwrap_or_else(|e| panic!("click {selector}: {e}"));
    wait_for(
        tab,
        &format!("location.pathname.endsWith({path_end:?}) && document.readyState === 'complete' && !!document.querySelector('article.page')"),
        true.into(),
    );
}

#[test]
fn cards_sidebar_and_pager_lead_to_pages_opened_from_disk() {
    let _turn = serial();
    let Some(browser) = browser() else { return };
    let tab = open(browser, "index.html");
    assert!(url("").starts_with("file://"));
    click_through(
        &tab,
        ".phase-card .phase-title a",
        "/architecture-design-phase/index.html",
    );
    // The sidebar toc.js builds from the whole book.
    wait_for(
        &tab,
        "!!document.querySelector('.toc .toc-phase-row')",
        true.into(),
    );
    click_through(
        &tab,
        "#sidebar .toc a[href$='requirements-analysis/index.html']",
        "/architecture-design-phase/requirements-analysis/index.html",
    );
    click_through(
        &tab,
        ".pager a.next",
        "/architecture-design-phase/technology-selection/index.html",
    );
    click_through(&tab, ".breadcrumbs a", "/index.html");
    // A language's own pages, from the English page's switcher on.
    click_through(
        &tab,
        ".pager a.next",
        "/architecture-design-phase/index.html",
    );
    click_through(&tab, ".pager a.next", "/requirements-analysis/index.html");
    let en = open(browser, "en/index.html");
    click_through(
        &en,
        ".phase-card li a",
        "/en/architecture-design-phase/requirements-analysis/index.html",
    );
    click_through(
        &en,
        ".view-switcher a[data-view=zh]",
        "/zh/architecture-design-phase/requirements-analysis/index.html",
    );
    eval(&tab, "localStorage.clear(), true");
}

#[test]
fn switching_views_changes_the_interface_language_title_and_address() {
    let _turn = serial();
    let Some(browser) = browser() else { return };
    let tab = open(
        browser,
        "architecture-design-phase/requirements-analysis/index.html",
    );
    eval(&tab, "localStorage.clear(), true");
    let state = "[document.documentElement.lang, document.title, document.querySelector('.search-input').placeholder, document.querySelector('.toc-all').innerText.trim(), new URLSearchParams(location.search).get('view'), document.querySelector('.sidebar-toggle').getAttribute('aria-label')].join('|')";
    for (view, expected) in [
        (
            "en",
            "en|1.1 Requirements Analysis — Server Architecture Workflow Guide|Search|Contents|en|Contents",
        ),
        ("zh", "zh-CN|1.1 需求分析 — 服务端架构工作流指南|搜索|目录|zh|目录"),
        (
            "side-by-side",
            // (the link's " · " is drawn by the stylesheet, not part of its text)
            "zh-CN|1.1 需求分析 · 1.1 Requirements Analysis — 服务端架构工作流指南 · Server Architecture Workflow Guide|搜索 · Search|目录Contents|side-by-side|目录 · Contents",
        ),
    ] {
        tab.find_element(&format!(".view-switcher a[data-view={view}]"))
            .expect("switcher link")
            .click()
            .expect("click");
        wait_for(&tab, state, expected.into());
    }
    eval(&tab, "localStorage.clear(), true");
}

#[test]
fn drawer_focus_ring_phase_lists_and_bullets_read_right() {
    let _turn = serial();
    let Some(browser) = browser() else { return };
    // The phone drawer reaches the bottom of the screen.
    let phone = open_sized(
        browser,
        "architecture-design-phase/requirements-analysis/index.html",
        390,
    );
    eval(&phone, "localStorage.clear(), true");
    phone
        .find_element(".sidebar-toggle")
        .expect("toggle")
        .click()
        .expect("click");
    wait_for(
        &phone,
        "(() => { const r = document.getElementById('sidebar').getBoundingClientRect(); return r.left >= 0 && Math.abs(r.bottom - window.innerHeight) < 2; })()",
        true.into(),
    );

    // The selected view button shows its focus ring in a colour other than its background.
    let tab = open(
        browser,
        "architecture-design-phase/index.html?view=side-by-side",
    );
    eval(
        &tab,
        "document.querySelector('.view-switcher a[aria-current=true]').focus(), true",
    );
    tab.press_key("Tab").expect("tab");
    tab.press_key("Tab").expect("tab"); // the keyboard in use: focus is shown
    eval(&tab, "document.querySelector('.view-switcher a[aria-current=true]').focus({ focusVisible: true }), true");
    assert_eq!(
        eval(&tab, "(() => { const a = document.querySelector('.view-switcher a[aria-current=true]'); const s = getComputedStyle(a); return a.matches(':focus-visible') ? s.outlineStyle !== 'none' && s.outlineColor !== s.backgroundColor : 'not focus-visible'; })()"),
        true
    );

    // A phase page lists its pages once numbered, the two titles apart.
    assert_eq!(
        eval(
            &tab,
            "getComputedStyle(document.querySelector('.phase-pages')).listStyleType"
        ),
        "none"
    );
    assert_eq!(
        eval(&tab, "getComputedStyle(document.querySelector('.phase-pages span.l2'), '::before').content.includes('·')"),
        true,
        "a separator between the titles"
    );

    // Side by side, both languages' bullets are drawn in the same font.
    let list = open(
        browser,
        "architecture-design-phase/requirements-analysis/index.html?view=side-by-side",
    );
    assert_eq!(
        eval(&list, "(() => { const li = document.querySelector('ul.seg-list > li.seg'); const f = (el) => getComputedStyle(el, '::before').fontFamily; return f(li.children[0]) === f(li.children[1]) && getComputedStyle(li.children[0], '::before').content === '\"•\"'; })()"),
        true
    );
    eval(&list, "localStorage.clear(), true");
}

/// A book in a git repository whose English source changed after its Chinese translation,
/// built into its `public/` folder.
fn stale_book() -> tempfile::TempDir {
    let mut repo = GitRepo::new(
        "[book]\ntitle = \"指南 | Guide\"\n[languages]\nprimary = \"zh\"\nsecondary = \"en\"\nsource = \"en\"\n",
    );
    repo.write("content/_index.md", "# 首页 | Home\n");
    repo.write(
        "content/guide.md",
        "# 指南\n\n## 缓存\n\n缓存保存五分钟。\n",
    );
    repo.write(
        "content/guide.en.md",
        "# Guide\n\n## Caching\n\nThe cache keeps entries for five minutes.\n",
    );
    repo.commit("one");
    repo.write(
        "content/guide.en.md",
        "# Guide\n\n## Caching\n\nThe cache keeps entries for ten minutes.\n",
    );
    repo.commit("two");
    build_at(repo.path(), &repo.path().join("public"));
    repo.dir
}

#[test]
fn a_stale_translation_shows_a_marker_with_the_change_and_a_notice_on_its_own_page() {
    let _turn = serial();
    let Some(browser) = browser() else { return };
    let book = stale_book();
    let page = |rel: &str| format!("file://{}/public/{rel}", book.path().display());
    let tab = open_url(browser, &page("guide/index.html?view=side-by-side"));
    let marker = ".seg[data-state=\"stale\"] > .stale-mark";
    let visible = |tab: &Tab, sel: &str| -> serde_json::Value {
        eval(
            tab,
            &format!("(() => {{ const el = document.querySelector({sel:?}); return !!el && el.checkVisibility(); }})()"),
        )
    };
    assert_eq!(visible(&tab, marker), serde_json::Value::Bool(true));
    assert_eq!(
        eval(
            &tab,
            &format!("document.querySelector('{marker} > summary').textContent")
        ),
        serde_json::Value::from("原文已更新")
    );
    // Closed, the change is hidden; opened, it shows what the source removed and added.
    assert_eq!(visible(&tab, ".stale-diff"), serde_json::Value::Bool(false));
    tab.find_element(&format!("{marker} > summary"))
        .expect("summary")
        .click()
        .expect("click");
    wait_for(
        &tab,
        "!!document.querySelector('.stale-mark[open]')",
        true.into(),
    );
    assert_eq!(visible(&tab, ".stale-diff"), serde_json::Value::Bool(true));
    assert_eq!(
        eval(&tab, "[...document.querySelectorAll('.stale-diff del, .stale-diff ins')].map(e => e.tagName + ':' + e.textContent).join(' ')"),
        serde_json::Value::from("DEL:five INS:ten")
    );
    // The English-only view shows the source alone, without the translation's marker.
    let tab = open_url(browser, &page("guide/index.html?view=en"));
    assert_eq!(visible(&tab, marker), serde_json::Value::Bool(false));
    // The Chinese page says the block is behind and links to the English original.
    let tab = open_url(browser, &page("zh/guide/index.html"));
    assert_eq!(
        visible(&tab, ".stale-notice"),
        serde_json::Value::Bool(true)
    );
    click_through(&tab, ".stale-notice a", "/en/guide/index.html");
    assert_eq!(
        eval(&tab, "location.hash"),
        serde_json::Value::from("#caching")
    );
}

/// Pages of a PDF, counted by its page objects.
fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/Type /Page")
        .filter(|(i, _)| !text[i + "/Type /Page".len()..].starts_with('s'))
        .count()
}

/// The guide prints compactly (13 sheets before: every page and phase introduction
/// started a new one) with its contents at the start, in the view the reader was in.
#[test]
fn the_print_page_is_compact_has_contents_and_prints_the_chosen_view() {
    let _turn = serial();
    let Some(browser) = browser() else { return };
    let tab = open(
        browser,
        "architecture-design-phase/requirements-analysis/index.html",
    );
    eval(&tab, "localStorage.clear(), true");
    tab.find_element(".view-switcher a[data-view=en]")
        .expect("switcher link")
        .click()
        .expect("click");
    wait_for(
        &tab,
        "new URL(document.querySelector('a.toc-print').href).searchParams.get('view')",
        "en".into(),
    );
    let print_url = eval(&tab, "document.querySelector('a.toc-print').href");
    let print = open_url(browser, print_url.as_str().expect("href"));
    wait_for(
        &print,
        "document.documentElement.dataset.mode",
        "secondary".into(),
    );
    // The contents link to every section, the book's title shows once.
    assert_eq!(
        eval(&print, "[...document.querySelectorAll('.print-contents a')].every(a => document.getElementById(a.hash.slice(1)))"),
        true
    );
    assert_eq!(
        eval(
            &print,
            "document.querySelectorAll('.print-contents a').length"
        ),
        12
    );
    assert_eq!(
        eval(&print, "[...document.querySelectorAll('h1')].filter(h => h.textContent.includes('Server Architecture Workflow Guide')).length"),
        1
    );
    let english = print.print_to_pdf(None).expect("pdf");
    eval(&print, "localStorage.clear(), true");
    let both = open_url(browser, &url("print/index.html?view=side-by-side"));
    wait_for(
        &both,
        "document.documentElement.dataset.mode",
        "side-by-side".into(),
    );
    let side_by_side = both.print_to_pdf(None).expect("pdf");
    let zh = open_url(browser, &url("print/index.html?view=zh"));
    wait_for(
        &zh,
        "document.documentElement.dataset.mode",
        "primary".into(),
    );
    let chinese = zh.print_to_pdf(None).expect("pdf");
    eval(&zh, "localStorage.clear(), true");
    let pages = [&english, &side_by_side, &chinese].map(|p| pdf_pages(p));
    eprintln!("print pages (en, side by side, zh): {pages:?}");
    assert!(pages.iter().all(|n| (3..=7).contains(n)), "{pages:?}");
    for tab in [tab, print, both, zh] {
        let _ = tab.close(true);
    }
}

/// On a phone (390 px) side by side says why it shows one language above the other, the
/// book's title keeps its room, the breadcrumbs keep to one line and the checklist tools to
/// one row, so that the first item shows on the first screen.
#[test]
fn a_phone_explains_side_by_side_and_keeps_the_first_screen_for_the_text() {
    let _turn = serial();
    let Some(browser) = browser() else { return };
    let visible = "(s) => { const el = document.querySelector(s); return !!el && getComputedStyle(el).display !== 'none' && el.getBoundingClientRect().height > 0; }";
    let phone = open_sized(
        browser,
        "core-feature-implementation-phase/database-design/index.html?view=side-by-side",
        390,
    );
    wait_for(&phone, "window.innerWidth < 560", true.into());
    wait_for(&phone, &format!("({visible})('.narrow-hint')"), true.into());
    assert_eq!(
        eval(&phone, "document.querySelector('.narrow-hint').textContent.includes('Side by side needs a wider screen')"),
        true
    );
    // The title bar holds the title's first language at full length, and the switcher
    // sits whole below it.
    assert_eq!(
        eval(&phone, "(() => { const t = document.querySelector('.book-title .l1'); const s = document.querySelector('.view-switcher').getBoundingClientRect(); return t.scrollWidth <= t.getBoundingClientRect().width + 1 && s.right <= window.innerWidth && s.top >= document.querySelector('.book-title').getBoundingClientRect().bottom - 1; })()"),
        true
    );
    // One line of breadcrumbs, without the current page (its title follows).
    assert_eq!(
        eval(&phone, "(() => { const b = document.querySelector('.breadcrumbs'); return b.getBoundingClientRect().height < 1.8 * parseFloat(getComputedStyle(b).fontSize) * 1.6; })()"),
        true
    );
    assert_eq!(
        eval(
            &phone,
            &format!("({visible})('.breadcrumbs [aria-current=page]')")
        ),
        false
    );
    // Interleaved needs no note.
    phone
        .find_element(".view-switcher a[data-view=interleaved]")
        .expect("switcher link")
        .click()
        .expect("click");
    wait_for(
        &phone,
        &format!("({visible})('.narrow-hint')"),
        false.into(),
    );

    let checklist = open_sized(
        browser,
        "checklists/core-feature-implementation-phase/index.html?view=side-by-side",
        390,
    );
    wait_for(&checklist, "window.innerWidth < 560", true.into());
    assert_eq!(
        eval(&checklist, "(() => { const t = document.querySelector('.checklist-tools').getBoundingClientRect(); const item = document.querySelector('li.check').getBoundingClientRect(); return t.height < 70 && item.bottom < window.innerHeight || JSON.stringify([t.height, item.bottom, window.innerHeight]); })()"),
        true,
        "the tools in one row, the first item on the first screen"
    );
    // On a wide screen, no note.
    let wide = open(
        browser,
        "core-feature-implementation-phase/database-design/index.html?view=side-by-side",
    );
    assert_eq!(eval(&wide, &format!("({visible})('.narrow-hint')")), false);
    eval(&wide, "localStorage.clear(), true");
    for tab in [phone, checklist, wide] {
        let _ = tab.close(true);
    }
}

/// A two-file page with several sections, built into its `public/` folder.
fn sections_book() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    let write = |rel: &str, text: &str| {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    };
    write("book.toml", "[book]\ntitle = \"指南 | Guide\"\n");
    write("content/_index.md", "# 首页 | Home\n");
    write(
        "content/guide.md",
        "# 指南\n\n## 缓存\n\n缓存保存五分钟。\n\n### 失效\n\n写入时失效。\n\n## 日志\n\n日志保存一周。\n",
    );
    write(
        "content/guide.en.md",
        "# Guide\n\n## Caching\n\nThe cache keeps entries for five minutes.\n\n### Invalidation\n\nWrites invalidate.\n\n## Logs\n\nLogs are kept for a week.\n",
    );
    build_at(root, &root.join("public"));
    dir
}

/// Sections have a link to copy (shown on hover or focus), a page with several sections an
/// outline in the view's languages, and Ctrl+K focuses the search box, whose hint says so.
#[test]
fn section_links_an_outline_and_ctrl_k() {
    let _turn = serial();
    let Some(browser) = browser() else { return };
    let book = sections_book();
    let page = format!("file://{}/public/guide/index.html", book.path().display());
    let tab = open_url(browser, &format!("{page}?view=side-by-side"));
    eval(&tab, "localStorage.clear(), true");
    wait_for(
        &tab,
        "document.querySelectorAll('.on-this-page li').length",
        3.into(),
    );
    assert_eq!(
        eval(
            &tab,
            "document.querySelector('.on-this-page li').innerText.replace(/\\s+/g, ' ').trim()"
        ),
        "缓存Caching"
    );
    assert_eq!(
        eval(&tab, "getComputedStyle(document.querySelector('.on-this-page li span.l2'), '::before').content.includes('·')"),
        true,
        "the stylesheet draws a separator between the titles"
    );
    assert_eq!(
        eval(&tab, "[...document.querySelectorAll('.on-this-page a')].every(a => document.getElementById(decodeURIComponent(a.hash.slice(1))))"),
        true
    );
    // Following the view: English only.
    tab.find_element(".view-switcher a[data-view=en]")
        .expect("switcher link")
        .click()
        .expect("click");
    wait_for(
        &tab,
        "document.querySelector('.on-this-page').innerText.replace(/\\s+/g, ' ').trim()",
        "On this page Caching Invalidation Logs".into(),
    );
    // Each heading has a link to itself, hidden until focused.
    let anchor = "document.querySelector('.seg-heading h2.l2 .heading-anchor')";
    assert_eq!(
        eval(&tab, &format!("[{anchor}.getAttribute('href'), {anchor}.getAttribute('aria-label'), Number(getComputedStyle({anchor}).opacity) < 1].join('|')")),
        "#caching|Link to this section|true"
    );
    eval(
        &tab,
        &format!("{anchor}.focus({{ focusVisible: true }}), true"),
    );
    wait_for(
        &tab,
        &format!("getComputedStyle({anchor}).opacity"),
        "1".into(),
    );
    // Ctrl+K from anywhere, the hint in the box.
    assert_eq!(
        eval(
            &tab,
            "document.querySelector('.search .search-kbd').textContent"
        ),
        "Ctrl K"
    );
    eval(&tab, "document.activeElement.blur(), true");
    tab.press_key_with_modifiers(
        "k",
        Some(&[headless_chrome::browser::tab::ModifierKey::Ctrl]),
    )
    .expect("ctrl k");
    wait_for(&tab, "document.activeElement.id", "search-input".into());
    eval(&tab, "localStorage.clear(), true");
    let _ = tab.close(true);
}

/// axe-core's script: `AXE_CORE_JS`, or `npm install --prefix target/axe axe-core` (or
/// `--prefix /tmp/axe`). Missing, the audit skips with the reason, except under CI.
fn axe_source() -> Option<String> {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let candidates = [
        std::env::var_os("AXE_CORE_JS").map(PathBuf::from),
        Some(repo.join("target/axe/node_modules/axe-core/axe.min.js")),
        Some(PathBuf::from("/tmp/axe/node_modules/axe-core/axe.min.js")),
    ];
    let found = candidates.into_iter().flatten().find(|p| p.is_file());
    let Some(path) = found else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install axe-core: npm install --prefix target/axe axe-core"
        );
        eprintln!("skipping the axe-core audit: no axe.min.js (run `npm install --prefix target/axe axe-core` or set AXE_CORE_JS)");
        return None;
    };
    Some(std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// Runs axe-core on the tab's page; its serious and critical violations and any about
/// landmarks, one line each (rule, impact, the elements' selectors and axe's summary of
/// what to fix).
fn axe_violations(tab: &Tab, axe: &str) -> Vec<String> {
    if eval(tab, "typeof window.axe === 'object'") != true {
        tab.evaluate(axe, false).expect("axe-core loads");
    }
    let js = "axe.run(document, { resultTypes: ['violations'] }).then(r => JSON.stringify(r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical' || v.id === 'region' || v.id.startsWith('landmark')).flatMap(v => v.nodes.map(n => `${v.id} (${v.impact}) ${n.target.join(' ')}: ${n.failureSummary.replace(/\\s+/g, ' ')}`))))";
    let value = tab
        .evaluate(js, true)
        .expect("axe.run")
        .value
        .unwrap_or_default();
    serde_json::from_str(value.as_str().unwrap_or("[]")).expect("violations")
}

/// Loads `address` in `tab` and waits for the page to finish loading: quicker than
/// `navigate_to` + `wait_until_navigated`, which take a second a page.
fn goto(tab: &Tab, address: &str) {
    use headless_chrome::protocol::cdp::Page::Navigate;
    tab.call_method(Navigate {
        url: address.to_string(),
        referrer: None,
        transition_Type: None,
        frame_id: None,
        referrer_policy: None,
    })
    .unwrap_or_else(|e| panic!("{address}: {e}"));
    let done = format!(
        "document.readyState === 'complete' && location.href === {}",
        serde_json::to_string(address).expect("json")
    );
    let start = Instant::now();
    // The old document may answer, or none, while the new one loads.
    while tab.evaluate(&done, false).ok().and_then(|r| r.value) != Some(true.into()) {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{address} did not load"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn emulate_scheme(tab: &Tab, scheme: &str) {
    use headless_chrome::protocol::cdp::Emulation::{MediaFeature, SetEmulatedMedia};
    tab.call_method(SetEmulatedMedia {
        media: None,
        features: Some(vec![MediaFeature {
            name: "prefers-color-scheme".into(),
            value: scheme.into(),
        }]),
    })
    .expect("emulate the colour scheme");
}

#[test]
fn axe_core_finds_no_serious_or_critical_violation() {
    let _turn = serial();
    let Some(browser) = browser() else { return };
    let Some(axe) = axe_source() else { return };
    let page = "architecture-design-phase/requirements-analysis/index.html";
    let pages = [
        "index.html".to_string(),
        format!("{page}?view=side-by-side"),
        format!("{page}?view=interleaved"),
        format!("{page}?view=zh"),
        format!("{page}?view=en"),
        "checklists/architecture-design-phase/index.html".to_string(),
        "index.html?search=%E7%BC%93%E5%AD%98".to_string(),
    ];
    let mut found = Vec::new();
    for width in [1280, 390] {
        // One tab per width, reused for every page and scheme.
        let tab = open_sized(browser, "index.html", width);
        eval(&tab, "localStorage.clear(), true");
        for scheme in ["light", "dark"] {
            emulate_scheme(&tab, scheme);
            for rel in &pages {
                goto(&tab, &url(rel));
                let dark = eval(
                    &tab,
                    "getComputedStyle(document.body).backgroundColor === 'rgb(21, 23, 27)'",
                );
                assert_eq!(dark, scheme == "dark", "{rel}: the {scheme} scheme applies");
                if rel.contains("search=") {
                    wait_for(
                        &tab,
                        "document.querySelectorAll('#search-panel a').length > 0",
                        true.into(),
                    );
                }
                for v in axe_violations(&tab, &axe) {
                    found.push(format!("{width}px {scheme} {rel}: {v}"));
                }
            }
        }
        eval(&tab, "localStorage.clear(), true");
        let _ = tab.close(true);
    }
    assert!(found.is_empty(), "axe-core:\n{}", found.join("\n"));
}

/// Numbers every control a reader can reach in the page's `scope` (a selector) as it is
/// shown (data-kbd) and returns how many there are.
const NUMBER_CONTROLS: &str = r#"((scope) => {
  const all = [...document.querySelectorAll(scope)].flatMap((s) => [s, ...s.querySelectorAll('a[href], button, input, select, textarea, summary, [tabindex]')]).filter((el) => el.matches('a[href], button, input, select, textarea, summary, [tabindex]'));
  const usable = all.filter((el) => el.tabIndex >= 0 && !el.disabled && !el.closest('[hidden], [inert]')
    && (el.classList.contains('skip-link') || (el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden')));
  usable.forEach((el, i) => { el.dataset.kbd = i; });
  return usable.length;
})"#;

/// Logs each focus move (window.__focusLog) with the control's number, a description and
/// whether its focus shows: focus-visible, on screen, opaque, drawn as an outline or a
/// shadow in a colour other than its own background.
const LOG_FOCUS: &str = r#"(() => {
  window.__focusLog = [];
  document.addEventListener('focusin', () => {
    const el = document.activeElement;
    if (!el || el.dataset.kbd === undefined) return;
    const s = getComputedStyle(el);
    const r = el.getBoundingClientRect();
    const onScreen = r.width > 0 && r.height > 0 && r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth;
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 1 && s.outlineColor !== s.backgroundColor;
    const shadow = s.boxShadow !== 'none';
    const shown = el.matches(':focus-visible') && onScreen && parseFloat(s.opacity) > 0.5 && (outline || shadow);
    const name = `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} "${(el.getAttribute('aria-label') || el.textContent || el.placeholder || '').trim().slice(0, 20)}"`;
    window.__focusLog.push([Number(el.dataset.kbd), name, shown]);
  });
  return true;
})()"#;

#[test]
fn the_keyboard_reaches_every_control_and_shows_where_it_is() {
    let _turn = serial();
    let Some(browser) = browser() else { return };
    let pages = [
        "architecture-design-phase/requirements-analysis/index.html",
        "checklists/architecture-design-phase/index.html",
    ];
    let mut problems = Vec::new();
    for width in [1280, 390] {
        let tab = open_sized(browser, pages[0], width);
        eval(&tab, "localStorage.clear(), true");
        for scheme in ["light", "dark"] {
            emulate_scheme(&tab, scheme);
            // Every control of both pages in light at 1280 px (a Tab takes a tenth of a
            // second); the header of the section page otherwise.
            let all = width == 1280 && scheme == "light";
            let scope = if all { "body" } else { ".skip-link, .topbar" };
            for rel in pages.into_iter().take(if all { 2 } else { 1 }) {
                goto(&tab, &url(rel));
                let count = eval(&tab, &format!("({NUMBER_CONTROLS})('{scope}')"))
                    .as_u64()
                    .unwrap_or(0) as usize;
                assert!(count >= 8, "{rel}: {count} controls");
                eval(&tab, LOG_FOCUS);
                for _ in 0..count + 3 {
                    tab.press_key("Tab").expect("tab");
                }
                let log = eval(&tab, "JSON.stringify(window.__focusLog)");
                let log: Vec<(usize, String, bool)> =
                    serde_json::from_str(log.as_str().unwrap_or("[]")).expect("focus log");
                let mut reached = vec![false; count];
                for (i, name, shown) in log {
                    if !shown {
                        problems.push(format!(
                            "{width}px {scheme} {rel}: focus not shown on {name}"
                        ));
                    }
                    if let Some(r) = reached.get_mut(i) {
                        *r = true;
                    }
                }
                let missed = reached.iter().filter(|r| !**r).count();
                if missed > 0 {
                    let names = eval(&tab, "JSON.stringify([...document.querySelectorAll('[data-kbd]')].map((el) => el.tagName + '.' + el.className + ' ' + el.textContent.trim().slice(0, 20)))");
                    problems.push(format!("{width}px {scheme} {rel}: Tab misses {missed} of {count}: {reached:?} {names}"));
                }
            }
        }
        eval(&tab, "localStorage.clear(), true");
        let _ = tab.close(true);
    }
    problems.dedup();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
