//! `diglot init`: a new bilingual guide that builds cleanly under `--strict`, with a GitHub
//! Pages workflow. Also the file writing shared with `diglot import`: both plan every file
//! first and only then write, so a refusal leaves the disk untouched.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// A file to write, its path relative to the book's folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFile {
    pub(crate) path: PathBuf,
    pub(crate) contents: String,
}

impl NewFile {
    fn new(path: &str, contents: impl Into<String>) -> NewFile {
        NewFile {
            path: PathBuf::from(path),
            contents: contents.into(),
        }
    }
}

/// Why `diglot init` (or an import) wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ScaffoldError {
    /// Files it would write exist already.
    #[error("{} already exists{}; nothing was written", .first.display(), more(*.others))]
    Exists {
        /// The first file that exists.
        first: PathBuf,
        /// How many more exist.
        others: usize,
    },
    /// The target exists and is a file.
    #[error("{} exists and is not a folder", .0.display())]
    NotAFolder(PathBuf),
    /// A file to replace is a symbolic link, which `--force` does not write through.
    #[error("{} is a symbolic link; nothing was written", .0.display())]
    Link(PathBuf),
    /// A file or folder could not be written; what was written so far is removed.
    #[error("cannot write {}: {source}", .path.display())]
    Write {
        /// What could not be written.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

fn more(others: usize) -> String {
    match others {
        0 => String::new(),
        1 => " (and 1 more file)".into(),
        n => format!(" (and {n} more files)"),
    }
}

impl ScaffoldError {
    /// What the user can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            ScaffoldError::Exists { .. } => {
                "diglot init never overwrites a file: move it away, pass another folder (e.g. `diglot init new-guide`), or pass `--force` to replace it"
            }
            ScaffoldError::NotAFolder(_) => "pass a folder (it is created when missing)",
            ScaffoldError::Link(_) => {
                "remove the link (or replace it with a file), then run diglot init again"
            }
            ScaffoldError::Write { .. } => {
                "check that the folder is writable and the disk is not full; the files written so far were removed"
            }
        }
    }
}

/// The title `init` gives a new guide.
pub const PLACEHOLDER_TITLE: &str = "我的指南 | My Guide";

/// What `diglot init` is asked for besides the folder.
#[derive(Debug, Clone, Default)]
pub struct InitOptions {
    /// The guide's title (`中文 | English`); the placeholder when `None`.
    pub title: Option<String>,
    /// Whether to write the GitHub Actions workflow.
    pub workflow: bool,
    /// Replace files that exist instead of refusing.
    pub force: bool,
}

/// What `diglot init` wrote, paths relative to the book's folder.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct InitReport {
    /// Every file written (created or, with `force`, replaced).
    pub files: Vec<PathBuf>,
    /// Those of `files` that existed and were replaced.
    pub replaced: Vec<PathBuf>,
    /// Whether an existing `.gitignore` got the output folder added.
    pub gitignore_added: bool,
}

/// The line `.gitignore` needs for the default output folder.
const IGNORE_OUTPUT: &str = "public/";

/// Creates a new guide in `dir` (created when missing), which may be an existing
/// repository: an existing `.gitignore` gets the output folder added, never replaced.
/// Refuses, writing nothing, when any other file it writes exists, unless `force`.
pub fn init(dir: &Path, options: &InitOptions) -> Result<InitReport, ScaffoldError> {
    if dir.exists() && !dir.is_dir() {
        return Err(ScaffoldError::NotAFolder(dir.to_path_buf()));
    }
    let title = options.title.as_deref().unwrap_or(PLACEHOLDER_TITLE);
    let mut files = guide_files(title);
    if options.workflow {
        files.push(NewFile::new(".github/workflows/diglot.yml", PAGES_WORKFLOW));
    }
    let gitignore = dir.join(".gitignore");
    let gitignore_exists = gitignore.symlink_metadata().is_ok();
    let ignore_line = if gitignore_exists {
        gitignore_addition(&gitignore)?
    } else {
        files.push(NewFile::new(".gitignore", format!("{IGNORE_OUTPUT}\n")));
        None
    };
    let existing: Vec<PathBuf> = files
        .iter()
        .filter(|f| dir.join(&f.path).symlink_metadata().is_ok())
        .map(|f| f.path.clone())
        .collect();
    if let (Some(first), false) = (existing.first(), options.force) {
        return Err(ScaffoldError::Exists {
            first: dir.join(first),
            others: existing.len() - 1,
        });
    }
    let link = existing
        .iter()
        .map(|f| dir.join(f))
        .find(|p| p.is_symlink());
    if let Some(link) = link {
        return Err(ScaffoldError::Link(link));
    }
    let overwrite = match options.force {
        true => Overwrite::Allowed,
        false => Overwrite::Never,
    };
    write_files(dir, &files, overwrite)?;
    if let Some(line) = &ignore_line {
        append(&gitignore, line)?;
    }
    Ok(InitReport {
        files: files.into_iter().map(|f| f.path).collect(),
        replaced: existing,
        gitignore_added: ignore_line.is_some(),
    })
}

/// What to append to an existing `.gitignore` so that it ignores the output folder (with
/// a newline first when its last line has none), or `None` when it already does.
fn gitignore_addition(path: &Path) -> Result<Option<String>, ScaffoldError> {
    let text = std::fs::read(path).map_err(|source| ScaffoldError::Write {
        path: path.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8_lossy(&text);
    let ignored = text.lines().map(str::trim).any(|l| {
        matches!(
            l.trim_start_matches('/').trim_end_matches('/'),
            "public" | "public/*" | "public/**"
        )
    });
    if ignored {
        return Ok(None);
    }
    let newline = if text.is_empty() || text.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    Ok(Some(format!("{newline}{IGNORE_OUTPUT}\n")))
}

fn append(path: &Path, text: &str) -> Result<(), ScaffoldError> {
    let error = |source| ScaffoldError::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .map_err(error)?;
    f.write_all(text.as_bytes()).map_err(error)
}

/// Whether [`write_files`] may replace a file that exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Overwrite {
    Never,
    Allowed,
}

/// Writes `files` under `dir`, creating folders as needed. On failure the files and folders
/// this call created are removed again (files it overwrote cannot be restored).
pub(crate) fn write_files(
    dir: &Path,
    files: &[NewFile],
    overwrite: Overwrite,
) -> Result<(), ScaffoldError> {
    let mut created_files: Vec<PathBuf> = Vec::new();
    let mut created_dirs: Vec<PathBuf> = Vec::new();
    let result = files.iter().try_for_each(|file| {
        let path = dir.join(&file.path);
        if let Some(parent) = path.parent() {
            create_dirs(parent, &mut created_dirs)?;
        }
        let existed = path.symlink_metadata().is_ok();
        write_one(&path, &file.contents, overwrite)?;
        if !existed {
            created_files.push(path);
        }
        Ok(())
    });
    if result.is_err() {
        for f in &created_files {
            let _ = std::fs::remove_file(f);
        }
        // Deepest first; `remove_dir` leaves any folder that is not empty.
        for d in created_dirs.iter().rev() {
            let _ = std::fs::remove_dir(d);
        }
    }
    result
}

fn create_dirs(dir: &Path, created: &mut Vec<PathBuf>) -> Result<(), ScaffoldError> {
    let mut missing = Vec::new();
    let mut at = Some(dir);
    while let Some(d) = at {
        if d.as_os_str().is_empty() || d.exists() {
            break;
        }
        missing.push(d.to_path_buf());
        at = d.parent();
    }
    for d in missing.into_iter().rev() {
        std::fs::create_dir(&d).map_err(|source| ScaffoldError::Write {
            path: d.clone(),
            source,
        })?;
        created.push(d);
    }
    Ok(())
}

fn write_one(path: &Path, contents: &str, overwrite: Overwrite) -> Result<(), ScaffoldError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    match overwrite {
        // `create_new` also refuses a file that appeared after the check for existing ones.
        Overwrite::Never => options.create_new(true),
        Overwrite::Allowed => options.create(true).truncate(true),
    };
    let error = |source| ScaffoldError::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut f = options.open(path).map_err(error)?;
    f.write_all(contents.as_bytes()).map_err(error)
}

/// A TOML basic string: quotes, backslashes and control characters escaped.
pub fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A page's `+++` front matter with its title (and weight), followed by a blank line.
pub fn front_matter(title: &str, weight: Option<u32>) -> String {
    let mut out = format!("+++\ntitle = {}\n", toml_string(title));
    if let Some(w) = weight {
        let _ = writeln!(out, "weight = {w}");
    }
    out.push_str("+++\n");
    out
}

/// A page file: front matter, a blank line and the body (when there is one), ending with
/// one newline.
pub fn page_file(title: &str, weight: Option<u32>, body: &str) -> String {
    let mut out = front_matter(title, weight);
    let body = body.trim_end_matches('\n');
    if !body.is_empty() {
        out.push('\n');
        out.push_str(body);
        out.push('\n');
    }
    out
}

/// `book.toml` with the title set and the other keys shown, commented out, with their
/// defaults.
pub fn book_toml(title: &str, description: Option<&str>) -> String {
    let description = match description {
        Some(d) => format!("description = {}\n", toml_string(d)),
        None => "# description = \"一句话介绍 | One sentence about the guide\"\n".to_string(),
    };
    format!(
        r#"# Diglot book settings. Every key is optional; the commented ones show their defaults.

[book]
title = {title}  # "中文 | English": one title per language
{description}# base-url = "/"                 # or "/guide/", "https://example.org/guide/" for sub-path deploys
# default-view = "side-by-side"  # zh | en | side-by-side | interleaved

# [build]
# content-dir = "content"
# output-dir = "public"
# theme = "default"              # themes/<name>/ in the book overrides the built-in theme file by file

# [languages]
# primary = "zh"
# secondary = "en"

# [checklists]
# lead-ins = ["您需要提供", "您需要确认", "You need to provide", "You need to confirm"]
"#,
        title = toml_string(title),
    )
}

const HOME_BODY: &str = "\
这是您的双语指南的首页。在 `content/` 中编辑这些文件，每一段中文后面紧跟它的英文翻译。
This is the home page of your bilingual guide. Edit the files in `content/`, each Chinese paragraph directly followed by its English translation.

每个阶段是 `content/` 中的一个文件夹，文件夹中的每个文件是一节。
Each phase is a folder in `content/`, and each file in that folder is a section.
";

const PHASE_BODY: &str = "\
这一阶段介绍如何编写和发布这份指南。
This phase shows how to write and publish this guide.
";

const SECTION_BODY: &str = "\
标题写成“中文 | English”，段落和列表项先写一行中文，再写一行英文。
Write headings as \"中文 | English\", and paragraphs and list items as a line of Chinese followed by a line of English.

## 预览与发布 | Preview and Publish

- 运行 `diglot serve` 预览，保存后页面自动刷新
  Run `diglot serve` to preview; pages reload on every save
- 运行 `diglot build --strict` 检查每一段是否都有翻译
  Run `diglot build --strict` to check that every paragraph has its translation
- 推送到 GitHub，工作流会把网站发布到 GitHub Pages
  Push to GitHub, and the workflow publishes the site to GitHub Pages

```sh
diglot build --strict
```

## 清单 | Checklist

下面的列表会成为可勾选的清单，进度保存在浏览器中。
The list below becomes a checklist that can be ticked off, with progress saved in the browser.

您需要提供：
You need to provide:
- 指南的标题
  The guide's title
- 各阶段的名称
  The names of the phases
- 每一节的内容
  The content of each section
";

/// The guide's own files `init` writes (not `.gitignore` and the workflow), relative to
/// the new book's folder.
fn guide_files(title: &str) -> Vec<NewFile> {
    vec![
        NewFile::new("book.toml", book_toml(title, None)),
        NewFile::new("content/_index.md", page_file(title, None, HOME_BODY)),
        NewFile::new(
            "content/01-getting-started/_index.md",
            page_file("1. 入门 | Getting Started", Some(1), PHASE_BODY),
        ),
        NewFile::new(
            "content/01-getting-started/01-first-steps.md",
            page_file("1.1 第一步 | First Steps", Some(1), SECTION_BODY),
        ),
    ]
}

/// The workflow `init` writes. Pull requests are checked (annotations on the diff); pushes
/// to `main` are built and published. Diglot is installed prebuilt (seconds, nothing to
/// cache) by `taiki-e/install-action`, which falls back to `cargo binstall`. The history is
/// fetched whole because stale-translation detection compares the dates of commits.
const PAGES_WORKFLOW: &str = r#"# Checks pull requests and publishes the guide to GitHub Pages with Diglot.
# In the repository's Settings → Pages, set "Source" to "GitHub Actions".
name: Guide

on:
  push:
    branches: [main]
  pull_request:
  workflow_dispatch:

permissions:
  contents: read

jobs:
  check:
    if: github.event_name == 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v7
        with:
          fetch-depth: 0 # the whole history: stale translations are found by commit dates
      - uses: taiki-e/install-action@v2
        with:
          tool: diglot
      - name: Check (every warning is an error, shown on the pull request's diff)
        run: diglot check --strict --format github

  build:
    if: github.event_name != 'pull_request'
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v7
        with:
          fetch-depth: 0
      - id: pages
        uses: actions/configure-pages@v6
      - uses: taiki-e/install-action@v2
        with:
          tool: diglot
      - name: Build (every warning is an error)
        run: diglot build --strict --output public --base-url "${{ steps.pages.outputs.base_url }}"
      - uses: actions/upload-pages-artifact@v5
        with:
          path: public

  deploy:
    needs: build
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    concurrency:
      group: pages
      cancel-in-progress: false
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v5
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_strings_round_trip_through_the_parser() {
        for s in [
            "plain",
            "中文 | English",
            r#"say "hi""#,
            r"C:\path\to",
            "tab\there",
            "bell\u{7}",
            "'single'",
        ] {
            let doc = format!("v = {}", toml_string(s));
            let parsed: toml::Table = toml::from_str(&doc).expect("valid TOML");
            assert_eq!(parsed["v"].as_str(), Some(s), "{doc}");
        }
    }

    #[test]
    fn page_files_end_with_one_newline() {
        assert_eq!(
            page_file("a", Some(2), "body\n\n"),
            "+++\ntitle = \"a\"\nweight = 2\n+++\n\nbody\n"
        );
        assert_eq!(page_file("a", None, ""), "+++\ntitle = \"a\"\n+++\n");
    }

    #[test]
    fn the_book_toml_parses_and_has_the_placeholder_title() {
        let text = book_toml(PLACEHOLDER_TITLE, None);
        let parsed: toml::Table = toml::from_str(&text).expect("valid TOML");
        assert_eq!(parsed["book"]["title"].as_str(), Some(PLACEHOLDER_TITLE));
        assert!(text.contains("# default-view = \"side-by-side\""));
    }

    fn options() -> InitOptions {
        InitOptions {
            title: None,
            workflow: true,
            force: false,
        }
    }

    #[test]
    fn init_refuses_to_overwrite_and_writes_nothing() {
        let tmp = tempfile::tempdir().expect("tmp");
        std::fs::create_dir_all(tmp.path().join("content")).expect("mkdir");
        std::fs::write(tmp.path().join("content/_index.md"), "mine").expect("write");
        match init(tmp.path(), &options()) {
            Err(ScaffoldError::Exists { first, others: 0 }) => {
                assert_eq!(first, tmp.path().join("content/_index.md"))
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        assert!(!tmp.path().join("book.toml").exists());
        assert_eq!(
            std::fs::read_to_string(tmp.path().join("content/_index.md")).expect("read"),
            "mine"
        );
    }

    #[test]
    fn init_creates_the_folder_and_every_file() {
        let tmp = tempfile::tempdir().expect("tmp");
        let dir = tmp.path().join("new/guide");
        let report = init(&dir, &options()).expect("init");
        assert_eq!(report.files.len(), guide_files("t").len() + 2);
        for f in &report.files {
            assert!(dir.join(f).is_file(), "{}", f.display());
        }
        assert!(report.replaced.is_empty() && !report.gitignore_added);
    }

    #[test]
    fn an_existing_gitignore_is_added_to_once() {
        let tmp = tempfile::tempdir().expect("tmp");
        let gitignore = tmp.path().join(".gitignore");
        std::fs::write(&gitignore, "target/\n*.log").expect("write");
        let report = init(tmp.path(), &options()).expect("init");
        assert!(report.gitignore_added);
        assert!(!report.files.contains(&PathBuf::from(".gitignore")));
        let text = std::fs::read_to_string(&gitignore).expect("read");
        assert_eq!(text, "target/\n*.log\npublic/\n");
        for already in ["/public\n", "public/\n", "x\n /public/ \n"] {
            std::fs::write(&gitignore, already).expect("write");
            assert_eq!(
                gitignore_addition(&gitignore).expect("read"),
                None,
                "{already:?}"
            );
        }
    }

    #[test]
    fn force_replaces_title_and_no_workflow_are_honoured() {
        let tmp = tempfile::tempdir().expect("tmp");
        std::fs::write(tmp.path().join("book.toml"), "old").expect("write");
        let opts = InitOptions {
            title: Some("手册 | Handbook".into()),
            workflow: false,
            force: true,
        };
        let report = init(tmp.path(), &opts).expect("init");
        assert_eq!(report.replaced, [PathBuf::from("book.toml")]);
        let toml = std::fs::read_to_string(tmp.path().join("book.toml")).expect("read");
        assert!(toml.contains("title = \"手册 | Handbook\""), "{toml}");
        assert!(!tmp.path().join(".github").exists());
    }

    #[cfg(unix)]
    #[test]
    fn force_does_not_write_through_a_link() {
        let tmp = tempfile::tempdir().expect("tmp");
        let outside = tmp.path().join("outside.txt");
        std::fs::write(&outside, "keep").expect("write");
        let book = tmp.path().join("book");
        std::fs::create_dir(&book).expect("mkdir");
        std::os::unix::fs::symlink(&outside, book.join("book.toml")).expect("link");
        let opts = InitOptions {
            force: true,
            ..options()
        };
        assert!(matches!(init(&book, &opts), Err(ScaffoldError::Link(_))));
        assert_eq!(std::fs::read_to_string(&outside).expect("read"), "keep");
        assert!(!book.join("content").exists());
    }

    #[test]
    fn a_failed_write_removes_what_it_created() {
        let tmp = tempfile::tempdir().expect("tmp");
        // A folder where the second file should go makes its write fail.
        std::fs::create_dir_all(tmp.path().join("b.md")).expect("mkdir");
        let files = vec![NewFile::new("sub/a.md", "a"), NewFile::new("b.md", "b")];
        assert!(write_files(tmp.path(), &files, Overwrite::Allowed).is_err());
        assert!(!tmp.path().join("sub").exists());
    }
}
