//! gettext books: an mdBook translated with a PO file builds side by side (fuzzy = stale,
//! untranslated = the source alone), `check` and `status` read the catalog as msgfmt does,
//! and `po export` / `po apply` take any book to a translation platform and back.

mod common;

use std::path::Path;
use std::process::Command;

use common::{copy_fixture, copy_guide, run_diglot};

/// `msgfmt`, when installed (CI installs gettext; elsewhere these checks skip with a note).
fn msgfmt() -> Option<&'static str> {
    let found = Command::new("msgfmt").arg("--version").output().is_ok();
    if !found {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have gettext installed (apt-get install gettext)"
        );
        eprintln!("skipping msgfmt checks: install gettext to run them");
    }
    found.then_some("msgfmt")
}

fn msgfmt_check(po: &Path) {
    if let Some(cmd) = msgfmt() {
        let out = Command::new(cmd)
            .args(["--check", "-o", "/dev/null"])
            .arg(po)
            .output()
            .expect("msgfmt runs");
        assert!(
            out.status.success(),
            "msgfmt --check {}: {}",
            po.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

fn json(out: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

/// Every file under `dir` with its bytes, for comparing a book before and after.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .display()
                .to_string();
            (rel, std::fs::read(e.path()).expect("read"))
        })
        .collect();
    files.sort();
    files
}

#[test]
fn a_po_translated_mdbook_builds_side_by_side_with_fuzzy_and_untranslated_marked() {
    let book = copy_fixture("po-book");
    let out = book.path().join("public");
    let built = run_diglot(book.path(), &["build", "-o", out.to_str().expect("utf-8")]);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let page = common::read(&out, "basics/variables/index.html");
    let pairs = common::pairs(&page);
    assert!(
        pairs.contains(&(
            "A variable holds a value.".to_string(),
            "变量保存一个值。".to_string()
        )),
        "{pairs:?}"
    );
    assert!(
        pairs.contains(&(
            "shadowing reuses a name".to_string(),
            "遮蔽重用一个名字".to_string()
        )),
        "{pairs:?}"
    );
    // The untranslated item stands alone, marked; the skipped paragraph is not translated.
    assert!(page.contains("data-state=\"untranslated\""), "{page}");
    assert!(page.contains("<code>mut</code> makes it changeable"));
    assert!(page.contains("This paragraph is never translated."));
    // The code's comment is translated on the Chinese side.
    assert!(page.contains("声明一个变量"), "{page}");
    // The fuzzy message is a stale pair showing its old translation and the change.
    let basics = common::read(&out, "basics/index.html");
    assert!(basics.contains("data-state=\"stale\""), "{basics}");
    assert!(basics.contains("第一部分讲常量。"));
    assert!(
        basics.contains("<del>constants.</del><ins>variables.</ins>"),
        "{basics}"
    );
    // The Chinese page falls back to the English text for what has no translation, marked.
    let zh = common::read(&out, "zh/basics/variables/index.html");
    assert!(zh.contains("changeable") && zh.contains("data-state=\"untranslated\""));
    // The sidebar names the chapter as SUMMARY.md does, in both languages; the page keeps
    // its heading as title.
    let toc = common::read(&out, "toc.js");
    assert!(
        toc.contains("变量与值") && toc.contains("Variables and values"),
        "{toc}"
    );
    assert!(
        page.contains("<title>变量") || page.contains(">变量<"),
        "{page}"
    );
    // The reference link and the footnote resolve on the Chinese side too.
    let welcome = common::read(&out, "welcome/index.html");
    assert!(welcome.contains("两个部分"), "{welcome}");
    assert!(welcome.contains("测验是可选的。"), "{welcome}");
}

#[test]
fn check_and_status_read_the_catalog_as_msgfmt_does() {
    let book = copy_fixture("po-book");
    let check = run_diglot(book.path(), &["check", "--format", "json"]);
    let report = json(&check);
    let found: Vec<(String, u64, String)> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["kind"]
                    .as_str()
                    .unwrap_or(d["message"].as_str().unwrap_or(""))
                    .chars()
                    .take(40)
                    .collect(),
            )
        })
        .collect();
    assert_eq!(
        found,
        vec![
            ("po/zh-CN.po".to_string(), 34, "stale".to_string()),
            (
                "po/zh-CN.po".to_string(),
                77,
                "msgid `A page that was removed.` matches".to_string()
            ),
        ]
    );
    let stale = &report["diagnostics"][0]["source"];
    assert_eq!(stale["then"], "The first part covers constants.");
    assert_eq!(stale["now"], "The first part covers variables.");

    let status = json(&run_diglot(book.path(), &["status", "--format", "json"]));
    let po = &status["po"];
    let counts = (
        po["translated"].as_u64(),
        po["fuzzy"].as_u64(),
        po["untranslated"].as_u64(),
    );
    assert_eq!(counts, (Some(15), Some(1), Some(1)));
    if let Some(cmd) = msgfmt() {
        let out = Command::new(cmd)
            .args(["--statistics", "-o", "/dev/null", "po/zh-CN.po"])
            .current_dir(book.path())
            .output()
            .expect("msgfmt");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(
            said.starts_with("15 translated messages, 1 fuzzy translation, 1 untranslated message"),
            "{said}"
        );
    }
    // Every translated message but the removed page's shows as a pair (the summary's name
    // for a chapter in the sidebar).
    assert_eq!(po["paired"].as_u64(), Some(14));
}

#[test]
fn a_broken_po_file_is_an_error_at_its_line() {
    let book = copy_fixture("po-book");
    let po = book.path().join("po/zh-CN.po");
    let text = std::fs::read_to_string(&po).expect("po");
    std::fs::write(
        &po,
        text.replace("msgstr \"变量保存一个值。\"", "msgstr \"变量保存一个值。"),
    )
    .expect("write");
    let out = run_diglot(book.path(), &["check", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let report = json(&out);
    let errors: Vec<(String, u64, String)> = report["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (
                d["path"].as_str().unwrap_or("").to_string(),
                d["line"].as_u64().unwrap_or(0),
                d["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        vec![(
            "po/zh-CN.po".to_string(),
            46,
            "the string has no closing quote".to_string()
        )]
    );
}

#[test]
fn export_passes_msgfmt_and_apply_of_an_unchanged_catalog_changes_no_byte() {
    for (book, sub) in [
        (copy_guide(), ""),
        (copy_fixture("suffix"), ""),
        (copy_fixture("mirrored"), "book"),
    ] {
        let root = book.path().join(sub);
        let before = snapshot(book.path());
        let dir = book.path().join("po-out");
        let out = run_diglot(&root, &["po", "export", "-o", dir.to_str().expect("utf-8")]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let po = std::fs::read_dir(&dir)
            .expect("po folder")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .find(|p| p.extension().is_some_and(|e| e == "po"))
            .expect("a PO file");
        msgfmt_check(&po);
        msgfmt_check(&dir.join("messages.pot"));
        let applied = run_diglot(&root, &["po", "apply", po.to_str().expect("utf-8")]);
        assert!(
            applied.status.success(),
            "{}",
            String::from_utf8_lossy(&applied.stderr)
        );
        std::fs::remove_dir_all(&dir).expect("remove the export");
        assert_eq!(
            snapshot(book.path()),
            before,
            "{}",
            String::from_utf8_lossy(&applied.stderr)
        );
    }
}

#[test]
fn apply_writes_changed_translations_into_the_books_own_files() {
    let book = copy_guide();
    let out = run_diglot(book.path(), &["po", "export"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let po = book.path().join("po/en.po");
    let text = std::fs::read_to_string(&po).expect("po");
    let text = text
        .replace(
            "msgstr \"I can help with:\"",
            "msgstr \"I can help you with:\"",
        )
        .replacen(
            "msgstr \"Analyzing business requirements\"",
            "msgstr \"Analysing the business requirements\"",
            1,
        );
    std::fs::write(&po, text).expect("write");
    let applied = run_diglot(book.path(), &["po", "apply", "po/en.po"]);
    assert!(
        applied.status.success(),
        "{}",
        String::from_utf8_lossy(&applied.stderr)
    );
    let page = std::fs::read_to_string(
        book.path()
            .join("content/01-architecture-design-phase/01-requirements-analysis.md"),
    )
    .expect("page");
    assert!(
        page.contains("\n我可以帮助：\nI can help you with:\n"),
        "{page}"
    );
    assert!(
        page.contains("- 分析业务需求\n  Analysing the business requirements\n"),
        "{page}"
    );
    // The book still builds strictly, and a second apply changes nothing.
    let check = run_diglot(book.path(), &["check", "--strict"]);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let before = snapshot(book.path());
    let again = run_diglot(book.path(), &["po", "apply", "po/en.po"]);
    assert!(again.status.success());
    assert_eq!(snapshot(book.path()), before);
}

#[test]
fn a_gettext_book_exports_its_own_catalog_back() {
    let book = copy_fixture("po-book");
    let out = run_diglot(book.path(), &["po", "export", "-o", "out"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let po = std::fs::read_to_string(book.path().join("out/zh.po")).expect("zh.po");
    assert!(
        po.contains("msgid \"A variable holds a value.\"\nmsgstr \"变量保存一个值。\""),
        "{po}"
    );
    assert!(po.contains("#, fuzzy\n#| msgid \"The first part covers constants.\"\nmsgid \"The first part covers variables.\""), "{po}");
    assert!(po.contains("#: src/basics/variables.md:3\n"), "{po}");
    msgfmt_check(&book.path().join("out/zh.po"));
}
