//! `diglot init` and `diglot import`: what they write, what they refuse, and that what they
//! write builds cleanly under `--strict`.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use common::*;
use diglot::content::slug::url_slug;
use diglot::{build, BuildOptions};

fn diglot() -> Command {
    Command::cargo_bin("diglot").expect("binary built")
}

fn stderr_of(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Builds with `--strict` through the binary and through the library (into `site/`); both
/// must be clean. Returns the library build's site and page count.
fn build_strict(book: &Path) -> (PathBuf, usize) {
    let out = diglot()
        .args(["build", "--strict"])
        .arg(book)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    let site = book.join("site");
    let report = build(&BuildOptions {
        root: book.to_path_buf(),
        output: Some(site.clone()),
        strict: true,
        ..Default::default()
    })
    .unwrap_or_else(|e| panic!("strict build of {} failed: {e:?}", book.display()));
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    (site, report.pages)
}

#[test]
fn init_writes_a_guide_that_builds_strictly_with_a_checklist() {
    let tmp = tempfile::tempdir().expect("tmp");
    let book = tmp.path().join("my-guide");
    let out = diglot().arg("init").arg(&book).output().expect("run");
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        out.stdout.is_empty(),
        "init never waits for input or prints data"
    );
    for f in [
        "book.toml",
        "content/_index.md",
        "content/01-getting-started/_index.md",
        "content/01-getting-started/01-first-steps.md",
        ".gitignore",
        ".github/workflows/diglot.yml",
    ] {
        assert!(book.join(f).is_file(), "{f} missing");
        assert!(stderr.contains(f), "{f} not reported: {stderr}");
    }
    assert!(stderr.contains("next: diglot serve"), "{stderr}");
    assert_eq!(read(&book, ".gitignore"), "public/\n");
    let toml = read(&book, "book.toml");
    assert!(toml.contains("title = \"我的指南 | My Guide\""), "{toml}");
    let workflow = read(&book, ".github/workflows/diglot.yml");
    for needle in [
        "actions/checkout@v",
        "actions/configure-pages@v",
        "actions/upload-pages-artifact@v",
        "actions/deploy-pages@v",
        "pages: write",
        "id-token: write",
        "taiki-e/install-action@",
        "diglot build --strict",
        "path: public",
    ] {
        assert!(workflow.contains(needle), "workflow lacks {needle}");
    }

    let (site, _) = build_strict(&book);
    assert!(
        book.join("public/index.html").is_file(),
        "the default output"
    );
    let checklist = read(&site, "checklists/getting-started/index.html");
    assert_eq!(
        checklist
            .matches("<input type=\"checkbox\" class=\"check-box\"")
            .count(),
        6,
        "three items, one box per language"
    );
    let page = read(&site, "getting-started/first-steps/index.html");
    let p = pairs(&page);
    assert_eq!(p[0], ("1.1 第一步".into(), "1.1 First Steps".into()));
    assert!(p.contains(&("您需要提供：".into(), "You need to provide:".into())));
    assert!(p.contains(&("指南的标题".into(), "The guide's title".into())));
}

#[test]
fn init_defaults_to_the_current_folder() {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::write(tmp.path().join("README.md"), "mine").expect("write");
    let out = diglot()
        .arg("init")
        .current_dir(tmp.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert!(tmp.path().join("book.toml").is_file());
    assert_eq!(
        read(tmp.path(), "README.md"),
        "mine",
        "other files are left alone"
    );
    assert!(stderr_of(&out).contains("next: diglot serve"));
}

#[test]
fn init_refuses_to_overwrite_and_writes_nothing() {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::write(tmp.path().join("book.toml"), "[book]\n").expect("write");
    std::fs::write(tmp.path().join(".gitignore"), "target/\n").expect("write");
    let out = diglot().arg("init").arg(tmp.path()).output().expect("run");
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("book.toml already exists") && stderr.contains("nothing was written"),
        "{stderr}"
    );
    assert!(stderr.contains("= help:"), "{stderr}");
    assert_eq!(
        files(tmp.path()),
        [PathBuf::from(".gitignore"), PathBuf::from("book.toml")]
    );
    assert_eq!(read(tmp.path(), ".gitignore"), "target/\n");

    // A second init over a first one refuses too, naming the first file it would write.
    let book = tmp.path().join("book");
    assert_eq!(
        diglot()
            .arg("init")
            .arg(&book)
            .output()
            .expect("run")
            .status
            .code(),
        Some(0)
    );
    let before: Vec<(PathBuf, String)> = files(&book)
        .into_iter()
        .map(|f| (f.clone(), read(&book, &f.to_string_lossy())))
        .collect();
    let again = diglot().arg("init").arg(&book).output().expect("run");
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr_of(&again).contains("book.toml already exists (and 4 more files)"));
    let after: Vec<(PathBuf, String)> = files(&book)
        .into_iter()
        .map(|f| (f.clone(), read(&book, &f.to_string_lossy())))
        .collect();
    assert_eq!(before, after);
}

/// The first user's guide as they handed it over, kept with the tests.
fn seed() -> PathBuf {
    fixtures().join("seed/server-architecture-workflow-guide.md")
}

fn import_into(file: &Path, dir: &Path) -> std::process::Output {
    let out = diglot()
        .arg("import")
        .arg(file)
        .arg("--into")
        .arg(dir)
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    out
}

/// The `title = "…"` of a page file's front matter.
fn front_matter_title(text: &str) -> String {
    text.lines()
        .find_map(|l| l.strip_prefix("title = "))
        .expect("a title line")
        .to_string()
}

/// Section pages (not `_index.md`) of a book, keyed by their title line.
fn section_pages(content: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for f in files(content) {
        if f.components().count() == 2 && f.file_name().is_some_and(|n| n != "_index.md") {
            let text = read(content, &f.to_string_lossy());
            out.insert(front_matter_title(&text), text);
        }
    }
    out
}

/// Every page of a built book in reading order (home, then each phase and its sections), as
/// its text pairs, read from the content tree's folder and file names.
fn book_pairs(content: &Path, site: &Path) -> Vec<(String, String)> {
    let mut all = pairs(&read(site, "index.html"));
    let mut phases: Vec<PathBuf> = std::fs::read_dir(content)
        .expect("content")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    phases.sort();
    for phase in phases {
        let slug = url_slug(&phase.file_name().expect("name").to_string_lossy());
        all.extend(pairs(&read(site, &format!("{slug}/index.html"))));
        let mut sections: Vec<PathBuf> = std::fs::read_dir(&phase)
            .expect("phase")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.file_name().is_some_and(|n| n != "_index.md"))
            .collect();
        sections.sort();
        for section in sections {
            let stem = section.file_stem().expect("stem").to_string_lossy();
            let page = format!("{slug}/{}/index.html", url_slug(&stem));
            all.extend(pairs(&read(site, &page)));
        }
    }
    all
}

/// Builds `file` as the one page of a book (with the same book title as `imported`) and
/// returns its pairs.
fn single_page_pairs(file: &Path, imported: &Path) -> Vec<(String, String)> {
    let book = tempfile::tempdir().expect("tmp");
    std::fs::copy(imported.join("book.toml"), book.path().join("book.toml")).expect("copy");
    std::fs::create_dir(book.path().join("content")).expect("mkdir");
    std::fs::copy(file, book.path().join("content/_index.md")).expect("copy");
    let site = book.path().join("site");
    let report = build_at(book.path(), &site);
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    pairs(&read(&site, "index.html"))
}

#[test]
fn importing_the_seed_reproduces_the_guide_sections() {
    let seed = seed();
    let tmp = tempfile::tempdir().expect("tmp");
    let book = tmp.path().join("guide");
    import_into(&seed, &book);

    assert!(read(&book, "book.toml")
        .contains("title = \"服务端架构工作流指南 | Server Architecture Workflow Guide\""));
    let content = book.join("content");
    let phases: Vec<PathBuf> = files(&content)
        .into_iter()
        .filter(|f| f.ends_with("_index.md") && f.components().count() == 2)
        .collect();
    assert_eq!(
        phases,
        [
            "01-architecture-design-phase/_index.md",
            "02-core-feature-implementation-phase/_index.md",
            "03-service-governance-phase/_index.md",
            "04-security-and-standards-phase/_index.md",
        ]
        .map(PathBuf::from)
    );
    assert_eq!(
        read(&content, "01-architecture-design-phase/_index.md"),
        "+++\ntitle = \"1. 架构设计阶段 | Architecture Design Phase\"\nweight = 1\n+++\n"
    );

    let imported = section_pages(&content);
    let guide = section_pages(&Path::new(env!("CARGO_MANIFEST_DIR")).join("content"));
    assert_eq!(imported.len(), 8);
    assert_eq!(
        imported.keys().collect::<Vec<_>>(),
        guide.keys().collect::<Vec<_>>()
    );
    for (title, text) in &imported {
        assert_eq!(text, &guide[title], "section {title}");
    }

    let (site, pages) = build_strict(&book);
    assert_eq!(pages, 1 + 4 + 8, "home, four phases, eight sections");
    assert_eq!(
        without_list_numbers(book_pairs(&content, &site)),
        without_list_numbers(single_page_pairs(&seed, &book)),
        "the import keeps every pair of the single file, in order"
    );
}

/// Drops a leading `1. ` from each side. Inside a body, the side `1. 架构设计阶段` of the
/// heading `## 1. 架构设计阶段 | …` renders as an ordered list (`<h2><ol><li>…`), losing
/// its number, while the same text as a page title keeps it; compare without the numbers.
fn without_list_numbers(pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    let strip = |s: String| -> String {
        let digits = s.len() - s.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        match s[digits..].strip_prefix(". ") {
            Some(rest) if digits > 0 => rest.to_string(),
            _ => s,
        }
    };
    pairs
        .into_iter()
        .map(|(a, b)| (strip(a), strip(b)))
        .collect()
}

/// A second single-file guide shaped unlike the seed: English first on some lines, code
/// with `#` lines, a quote, unnumbered headings, a title needing TOML escapes.
const FIELD_NOTES: &str = r#"# Field Notes | 野外笔记

Some of these notes put English first.
有些笔记先写英文。

## 准备 | Preparation

开始之前先检查装备。
Check the equipment before you start.

### 装备 | Equipment

- A tent
  一顶帐篷
- 一个背包
  A backpack

```sh
# a comment, not a heading
## not a heading either
pack --all
```

### Route Planning | 路线规划

Study the map the night before.
前一天晚上研究地图。

## 出发 | Departure

### 第一天 | Day One

天亮就出发。
Leave at dawn.

> 注意天气。
> Watch the weather.

### 2.2 第二天 | Day "Two" \ Rest

Rest the whole day.
休息一整天。
"#;

#[test]
fn importing_another_guide_keeps_its_pairs() {
    let tmp = tempfile::tempdir().expect("tmp");
    let file = tmp.path().join("field-notes.md");
    std::fs::write(&file, FIELD_NOTES).expect("write");
    // Without --into the book goes beside the file, named after it.
    let out = diglot().arg("import").arg(&file).output().expect("run");
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("imported 2 phases and 4 sections"),
        "{stderr}"
    );
    let book = tmp.path().join("field-notes");
    let content = book.join("content");
    assert_eq!(
        files(&content),
        [
            "01-preparation/01-equipment.md",
            "01-preparation/02-route-planning.md",
            "01-preparation/_index.md",
            "02-departure/01-day-one.md",
            "02-departure/02-day-two-rest.md",
            "02-departure/_index.md",
            "_index.md",
        ]
        .map(PathBuf::from)
    );
    assert_eq!(
        read(&content, "02-departure/02-day-two-rest.md"),
        "+++\ntitle = \"2.2 第二天 | Day \\\"Two\\\" \\\\ Rest\"\nweight = 2\n+++\n\nRest the whole day.\n休息一整天。\n"
    );
    assert!(read(&content, "01-preparation/01-equipment.md").contains("## not a heading either"));

    let (site, _) = build_strict(&book);
    let single = single_page_pairs(&file, &book);
    assert!(
        single.contains(&("2.2 第二天".into(), "2.2 Day \"Two\" \\ Rest".into())),
        "{single:?}"
    );
    assert!(single.contains(&("一顶帐篷".into(), "A tent".into())));
    assert_eq!(book_pairs(&content, &site), single);
}

#[test]
fn import_refuses_a_folder_that_is_not_empty_unless_forced() {
    let tmp = tempfile::tempdir().expect("tmp");
    let file = tmp.path().join("notes.md");
    std::fs::write(&file, FIELD_NOTES).expect("write");
    let dir = tmp.path().join("book");
    std::fs::create_dir(&dir).expect("mkdir");
    std::fs::write(dir.join("keep.txt"), "mine").expect("write");

    let out = diglot()
        .arg("import")
        .arg(&file)
        .arg("--into")
        .arg(&dir)
        .output()
        .expect("run");
    let stderr = stderr_of(&out);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("exists and is not empty") && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(files(&dir), [PathBuf::from("keep.txt")], "nothing written");

    let out = diglot()
        .arg("import")
        .arg(&file)
        .arg("--into")
        .arg(&dir)
        .arg("--force")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(0), "{}", stderr_of(&out));
    assert_eq!(read(&dir, "keep.txt"), "mine");
    assert!(dir.join("content/02-departure/01-day-one.md").is_file());
}

#[test]
fn import_of_a_missing_file_is_a_usage_error() {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = diglot()
        .arg("import")
        .arg(tmp.path().join("nope.md"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr_of(&out).contains("nope.md is not a file"));
    assert!(files(tmp.path()).is_empty());
}

/// A guide with a table of contents: links to its own headings point to the pages those
/// headings became (or to their anchors there), and the book builds under `--strict`; a link
/// to a heading the guide does not have is a warning and becomes plain text.
#[test]
fn import_points_links_to_headings_at_the_pages_they_became() {
    let tmp = tempfile::tempdir().expect("tmp");
    let file = fixtures().join("import-toc/guide-with-contents.md");
    let dir = tmp.path().join("book");
    let stderr = stderr_of(&import_into(&file, &dir));
    assert!(
        stderr.contains("guide-with-contents.md:12:3")
            && stderr.contains("guide-with-contents.md:13:3")
            && stderr.contains("link `#removed-section` points to no heading of the guide"),
        "{stderr}"
    );
    let content = dir.join("content");
    let home = read(&content, "_index.md");
    for expected in [
        "- [准备阶段](01-preparation/_index.md)",
        "- [Version planning](01-preparation/01-version-planning.md)",
        "- [回滚步骤](01-preparation/01-version-planning.md#回滚步骤--rollback-steps)",
        "- 已删除的一节\n- A removed section",
    ] {
        assert!(home.contains(expected), "{expected}\n{home}");
    }
    let phase = read(&content, "01-preparation/_index.md");
    assert!(
        phase.contains("[版本规划](01-version-planning.md)"),
        "{phase}"
    );
    let section = read(&content, "01-preparation/01-version-planning.md");
    assert!(
        section.contains("[rollback steps](#回滚步骤--rollback-steps)"),
        "{section}"
    );
    let check = read(&content, "01-preparation/02-launch-check.md");
    assert!(check.contains("[准备阶段](_index.md)"), "{check}");
    let built = diglot()
        .args(["build", "--strict", "-q"])
        .arg(&dir)
        .output()
        .expect("build");
    assert_eq!(built.status.code(), Some(0), "{}", stderr_of(&built));
}
