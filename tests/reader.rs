//! The reader's side of the built site, read from the files: links that work opened from
//! disk, the interface in the reader's language, titles and numbers.

mod common;

use std::path::Path;

use common::*;

/// Every `href="…"` and `src="…"` value of an HTML file.
fn urls(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap_or(rest.len());
            out.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    out
}

/// Where a relative URL written in `page` leads on disk, or `None` for one a browser does
/// not resolve against the file (`#x`, `?x`, `https:`, `mailto:`, `/`-rooted).
fn on_disk(out: &Path, page: &Path, url: &str) -> Option<std::path::PathBuf> {
    let path = url.split(['#', '?']).next().unwrap_or("");
    if path.is_empty() || path.starts_with('/') || path.contains(':') {
        return None;
    }
    let mut at = page.parent().unwrap_or(out).to_path_buf();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                at.pop();
            }
            p => at.push(percent_decode(p)),
        }
    }
    Some(at)
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(s.get(i + 1..i + 3).unwrap_or(""), 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Opened from disk (`file://`) without JavaScript, a link to a folder shows a directory
/// listing: every relative link of every page names a file that exists.
#[test]
fn every_link_opened_from_disk_names_a_file() {
    let book = copy_guide();
    let out = book.path().join("public");
    build_at(book.path(), &out);
    let mut checked = 0;
    let mut folders = Vec::new();
    for rel in files(&out) {
        let file = out.join(&rel);
        if file.extension().is_none_or(|e| e != "html") || file.ends_with("404.html") {
            continue;
        }
        let html = std::fs::read_to_string(&file).expect("page");
        for url in urls(&html) {
            let Some(target) = on_disk(&out, &file, &url) else {
                continue;
            };
            checked += 1;
            if !target.is_file() {
                folders.push(format!("{}: {url}", rel.display()));
            }
        }
    }
    assert!(checked > 1000, "only {checked} links checked");
    assert!(
        folders.is_empty(),
        "{} links lead to no file, e.g.\n{}",
        folders.len(),
        folders[..folders.len().min(20)].join("\n")
    );
}

/// Han, kana and hangul characters of `text`, apart from those of `allowed` words.
fn cjk_in(text: &str, allowed: &[&str]) -> String {
    let mut text = text.to_string();
    for word in allowed {
        text = text.replace(word, "");
    }
    text.chars()
        .filter(|c| {
            matches!(*c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF)
        })
        .collect()
}

/// A page without its article and JSON data: the interface around the book's own text.
fn chrome(html: &str) -> String {
    let mut out = html.to_string();
    for (open, close) in [
        ("<article", "</article>"),
        ("<script type=\"application/json\"", "</script>"),
    ] {
        while let (Some(i), Some(j)) = (out.find(open), out.find(close)) {
            if j < i {
                break;
            }
            out.replace_range(i..j + close.len(), "");
        }
    }
    out
}

fn en_ja_book() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path();
    // The Japanese side is romanised: any CJK character in the site is the interface's.
    std::fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"Guide | Gaido\"\n[languages]\nprimary = \"en\"\nsecondary = \"ja\"\n[languages.ja]\nscript = \"alphabetic\"\n",
    )
    .expect("write");
    std::fs::create_dir_all(root.join("content/01-start")).expect("mkdir");
    std::fs::write(
        root.join("content/_index.md"),
        "# Home | Hoomu\n\nWelcome.\n\nYoukoso.\n",
    )
    .expect("write");
    std::fs::write(
        root.join("content/01-start/_index.md"),
        "# Start | Hajime\n\nFirst.\n\nSaisho.\n",
    )
    .expect("write");
    std::fs::write(
        root.join("content/01-start/01-read.md"),
        "# Read | Yomu\n\n```sh\nls\n```\n\n- [ ] Check it.\n- [ ] Kakunin.\n",
    )
    .expect("write");
    tmp
}

/// A book in another pair than Chinese and English shows no Chinese interface text: the
/// Japanese side has no translation file and falls back to English.
#[test]
fn a_book_in_english_and_japanese_has_no_chinese_interface_text() {
    let book = en_ja_book();
    let out = book.path().join("public");
    let report = build_at(book.path(), &out);
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    let mut seen = 0;
    for rel in files(&out) {
        let ext = rel.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(ext, "html" | "js") {
            continue;
        }
        let text = std::fs::read_to_string(out.join(&rel)).expect("read");
        // The language's own name in the switcher and export menus is not interface text.
        let found = cjk_in(&text, &["日本語"]);
        assert!(found.is_empty(), "{}: {found}", rel.display());
        seen += 1;
    }
    assert!(seen > 10, "only {seen} files");
    let ja = read(&out, "ja/start/read/index.html");
    assert!(ja.contains(">Skip to content</a>"), "English fallback");
    assert!(read(&out, "ja/404.html").contains("Page not found"));
}

/// A language's own pages speak its language around the text; the bilingual pages both.
#[test]
fn monolingual_pages_show_one_languages_interface() {
    let book = copy_guide();
    let out = book.path().join("public");
    build_at(book.path(), &out);
    let page = "architecture-design-phase/requirements-analysis/index.html";
    let en = chrome(&read(&out, &format!("en/{page}")));
    // The description meta and every title are the English halves; the only Chinese is
    // the name of the Chinese pages in the switcher.
    assert_eq!(cjk_in(&en, &["中文"]), "", "{en}");
    assert!(en.contains(">Skip to content</a>") && en.contains("placeholder=\"Search\""));
    let zh = chrome(&read(&out, &format!("zh/{page}")));
    for english in [
        ">Skip to content<",
        "\"Search\"",
        ">Contents<",
        "\"Contents\"",
        "\"Colour scheme\"",
        ">Print<",
        ">Side by side<",
    ] {
        assert!(!zh.contains(english), "{english} on a Chinese page");
    }
    assert!(zh.contains(">跳到正文</a>") && zh.contains("placeholder=\"搜索\""));
    let both = read(&out, page);
    assert!(both.contains("placeholder=\"搜索 · Search\""));
    assert!(both.contains("<span class=\"l1\" lang=\"zh-CN\">跳到正文</span><span class=\"l2\" lang=\"en\">Skip to content</span>"));
    // The 404 page of each language's folder is in that language.
    let en_404 = read(&out, "en/404.html");
    assert_eq!(cjk_in(&chrome(&en_404), &["中文"]), "");
    assert!(en_404.contains("This page does not exist."));
    let zh_404 = read(&out, "zh/404.html");
    assert!(
        zh_404.contains("您要找的页面不存在。") && !zh_404.contains("This page does not exist")
    );
    // Checklist pages too.
    let tools = read(&out, "en/checklists/index.html");
    assert!(tools.contains("Copy Markdown") && !tools.contains("复制"));
}

/// A book overrides interface strings key by key in its theme's `i18n/<language>.toml`,
/// and adds languages the theme does not ship.
#[test]
fn a_book_overrides_interface_strings_key_by_key() {
    let book = en_ja_book();
    let i18n = book.path().join("themes/default/i18n");
    std::fs::create_dir_all(&i18n).expect("mkdir");
    std::fs::write(i18n.join("en.toml"), "search = \"Find\"\n").expect("write");
    std::fs::write(i18n.join("ja.toml"), "search = \"Sagasu\"\n").expect("write");
    let out = book.path().join("public");
    build_at(book.path(), &out);
    let en = read(&out, "en/start/index.html");
    assert!(en.contains("placeholder=\"Find\""), "overridden");
    assert!(en.contains(">Skip to content</a>"), "the other keys kept");
    let ja = read(&out, "ja/start/index.html");
    assert!(ja.contains("placeholder=\"Sagasu\"") && ja.contains(">Skip to content</a>"));
    assert!(read(&out, "start/index.html").contains("placeholder=\"Find · Sagasu\""));
    assert!(read(&out, "ui.js").contains("\"Sagasu\""));

    // A broken translation file is an error at its line.
    std::fs::write(i18n.join("ja.toml"), "search = \"Sagasu\"\nprint = [1]\n").expect("write");
    let err = diglot::build(&diglot::BuildOptions {
        root: book.path().to_path_buf(),
        output: Some(out.clone()),
        ..Default::default()
    })
    .expect_err("a list is not a string");
    let shown = format!("{err:?}");
    assert!(
        shown.contains("ja.toml") && shown.contains("line: 2"),
        "{shown}"
    );
}

/// A section number only the Chinese title carries numbers the English title, the English
/// sidebar and the English heading too; the heading ids stay those of the written text.
#[test]
fn a_number_on_one_side_numbers_both() {
    let book = copy_guide();
    let page = book
        .path()
        .join("content/02-core-feature-implementation-phase/01-database-design.md");
    let text = std::fs::read_to_string(&page).expect("read");
    std::fs::write(
        &page,
        format!("{text}\n## 2.1.1 表结构\n\n## Tables\n\n表。\n\nTables.\n"),
    )
    .expect("write");
    let out = book.path().join("public");
    build_at(book.path(), &out);
    let rel = "core-feature-implementation-phase/database-design/index.html";
    let en = read(&out, &format!("en/{rel}"));
    assert!(en.contains("<title>2.1 Database Design"), "tab title");
    assert!(en.contains(">2.1 Database Design</h1>"), "page title");
    assert!(
        en.contains(">2. Core Feature Implementation Phase<"),
        "sidebar phase"
    );
    assert!(en.contains(">2.1.1 Tables</h2>"), "heading");
    let both = read(&out, rel);
    assert!(
        both.contains("lang=\"en\">2.1.1 Tables</h2>"),
        "bilingual heading"
    );
    assert!(both.contains("id=\"211-表结构--tables\""), "id as written");
    // Navigation showing both titles on one line marks the repeated number, which the
    // stylesheet hides while both languages show.
    assert!(
        both.contains("<span class=\"l2\" lang=\"en\"><span class=\"num-again\">2. </span>Core Feature Implementation Phase</span>"),
        "sidebar"
    );
    assert!(read(&out, "static/diglot.css").contains(".l2 > .num-again { display: none; }"));
}

/// The print page: the book's title once, a contents list linking to each page's section,
/// phase introductions flowing on (no sheet each), and a view switcher staying on the page.
#[test]
fn the_print_page_has_contents_and_the_title_once() {
    let book = copy_guide();
    let out = book.path().join("public");
    build_at(book.path(), &out);
    let print = read(&out, "print/index.html");
    assert_eq!(
        print
            .matches(">Server Architecture Workflow Guide</h1>")
            .count(),
        1
    );
    let contents = print
        .split_once("<nav class=\"print-contents\"")
        .and_then(|(_, rest)| rest.split_once("</nav>"))
        .map(|(nav, _)| nav.to_string())
        .expect("a contents list");
    let links: Vec<String> = urls(&contents);
    assert_eq!(links.len(), 12, "four phases and eight pages: {links:?}");
    for link in &links {
        let id = link.strip_prefix('#').expect("a link into the page");
        assert!(print.contains(&format!(" id=\"{id}\"")), "{id}");
    }
    assert!(
        print.contains("class=\"print-page print-phase\" id=\"print-architecture-design-phase\"")
    );
    assert!(
        print.contains("<a href=\"?view=en\" data-view=\"en\""),
        "view switcher"
    );
    assert!(!print.contains(
        "data-title-bilingual=\"服务端架构工作流指南 · Server Architecture Workflow Guide — "
    ));
    let css = read(&out, "static/diglot.css");
    assert!(!css.contains("break-before: page"), "no sheet per page");
}

/// The start tags of an HTML text that carry `attr`.
fn tags_with<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    html.split('<')
        .filter_map(|t| t.split('>').next())
        .filter(|t| t.contains(attr))
        .collect()
}

#[test]
fn before_scripts_run_aria_states_sit_on_elements_that_allow_them() {
    // A search box is a combobox only once search.js makes it one: `aria-expanded` on a
    // plain text box is an error to screen readers (axe-core: aria-allowed-attr).
    let book = copy_guide();
    let out = book.path().join("public");
    build_at(book.path(), &out);
    let mut wrong = Vec::new();
    let mut pages = 0;
    for rel in files(&out) {
        if rel.extension().is_none_or(|e| e != "html") {
            continue;
        }
        pages += 1;
        let html = std::fs::read_to_string(out.join(&rel)).expect("page");
        for tag in tags_with(&html, "aria-expanded=") {
            let allowed = tag.starts_with("button ")
                || ["combobox", "button", "tab", "treeitem", "menuitem"]
                    .iter()
                    .any(|r| tag.contains(&format!("role=\"{r}\"")));
            if !allowed {
                wrong.push(format!("{}: <{tag}>", rel.display()));
            }
        }
    }
    assert!(pages > 20, "only {pages} pages");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
