//! Hostile and careless input, round two: what reaches a terminal, a spreadsheet or a page
//! from a book must not act there, and input that used to give wrong output silently now
//! gives the right output or a diagnostic at its place.

mod common;

use std::path::Path;

use common::run_diglot;

/// A book in a temporary folder: `book.toml` with a title, and the given files.
fn book(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().expect("temp dir");
    std::fs::write(tmp.path().join("book.toml"), "[book]\ntitle = \"T\"\n").expect("book.toml");
    for (rel, bytes) in files {
        let path = tmp.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, bytes).expect("write");
    }
    tmp
}

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn diglot(dir: &Path, args: &[&str]) -> Run {
    let out = run_diglot(dir, args);
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A character a terminal would act on instead of showing (newline aside).
fn acts_on_terminal(c: char) -> bool {
    c != '\n' && (c.is_control() || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
}

// --- Terminal escape injection ---------------------------------------------------------

/// A file name and a source line with ESC, BEL and a bidi override, in an error.
fn book_with_escapes() -> tempfile::TempDir {
    book(&[(
        "content/a\u{1b}]0;pwned\u{7}.md",
        "+++\ntitle = \"A\"\nweight = \"heavy\u{1b}[31m\u{202E}\"\n+++\n\nText.\n".as_bytes(),
    )])
}

#[test]
fn human_diagnostics_show_control_characters_escaped() {
    let tmp = book_with_escapes();
    let run = diglot(tmp.path(), &["build", "-o", "out"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let bad: Vec<char> = run
        .stderr
        .chars()
        .filter(|&c| acts_on_terminal(c))
        .collect();
    assert!(bad.is_empty(), "raw controls {bad:?} in:\n{}", run.stderr);
    assert!(
        run.stderr.contains(r"a\u{1b}]0;pwned\u{7}.md:3:"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains(r"heavy\u{1b}[31m\u{202e}"),
        "{}",
        run.stderr
    );
}

#[test]
fn check_formats_keep_control_characters_from_acting() {
    let tmp = book_with_escapes();
    for format in ["human", "github", "json"] {
        let run = diglot(tmp.path(), &["check", "--format", format]);
        assert_eq!(run.code, Some(1), "{format}: {}", run.stderr);
        for (stream, text) in [("stdout", &run.stdout), ("stderr", &run.stderr)] {
            let bad: Vec<char> = text.chars().filter(|&c| acts_on_terminal(c)).collect();
            assert!(bad.is_empty(), "{format} {stream}: {bad:?} in:\n{text}");
        }
    }
    let json = diglot(tmp.path(), &["check", "--format", "json"]).stdout;
    let value: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let paths: Vec<&str> = value["diagnostics"]
        .as_array()
        .expect("diagnostics")
        .iter()
        .filter_map(|d| d["path"].as_str())
        .collect();
    assert!(
        paths.contains(&"content/a\u{1b}]0;pwned\u{7}.md"),
        "JSON keeps the exact path: {paths:?}"
    );
}

#[test]
fn a_huge_line_is_cut_to_a_window_around_the_column() {
    let line = format!("title = \"{}\" junk", "x".repeat(2_000_000));
    let page = format!("+++\n{line}\n+++\n\nText.\n");
    let tmp = book(&[("content/a.md", page.as_bytes())]);
    let run = diglot(tmp.path(), &["build", "-o", "out"]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr.len() < 4_000,
        "{} bytes of stderr",
        run.stderr.len()
    );
    assert!(
        run.stderr.contains("content/a.md:2:2000012"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("\" junk"), "{}", run.stderr);
}

// --- Lone CR and NUL --------------------------------------------------------------------

#[test]
fn a_lone_cr_file_has_front_matter_and_right_line_numbers() {
    let tmp = book(&[
        ("content/a.md", b"+++\rtitle = \"Start\"\r+++\r\rText.\r"),
        (
            "content/b.md",
            b"+++\rtitle = \"B\"\rweight = \"heavy\"\r+++\r",
        ),
    ]);
    let run = diglot(tmp.path(), &["build", "-o", "out"]);
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("content/b.md:3:10"), "{}", run.stderr);
    std::fs::remove_file(tmp.path().join("content/b.md")).expect("rm");
    let run = diglot(tmp.path(), &["build", "-o", "out"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let html = common::read(&tmp.path().join("out"), "a/index.html");
    assert!(html.contains("<title>Start"), "front matter read");
    assert!(!html.contains("+++"), "front matter not published");
}

#[test]
fn nul_becomes_the_replacement_character() {
    let tmp = book(&[("content/a.md", b"+++\ntitle = \"A\"\n+++\n\nText\0x.\n")]);
    let run = diglot(tmp.path(), &["build", "-o", "out"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let html = common::read(&tmp.path().join("out"), "a/index.html");
    assert!(!html.contains('\0'));
    assert!(html.contains("Text\u{FFFD}x."), "NUL replaced");
}

// --- CSV formula injection --------------------------------------------------------------

#[test]
fn checklist_csv_cells_never_start_a_formula() {
    let tmp = common::copy_fixture("input-csv-formulas");
    let run = diglot(tmp.path(), &["checklist", "--format", "csv"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let mut reader = csv::Reader::from_reader(run.stdout.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
    assert_eq!(rows.len(), 5, "{}", run.stdout);
    for cell in rows.iter().flat_map(|r| r.iter()) {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "formula cell {cell:?} in\n{}",
            run.stdout
        );
    }
    let en: Vec<&str> = rows.iter().map(|r| &r[4]).collect();
    assert_eq!(
        en,
        [
            "'=HYPERLINK(\"http://evil.example/\",\"click\")",
            "'@SUM(1+1)",
            "'-2+3 minus",
            "'+cmd|' /C calc'!A0",
            "A plain item"
        ]
    );
    assert_eq!(&rows[0][3], "'=超链接(\"点击\")");
}

// --- Raw HTML left open in a block --------------------------------------------------------

/// Each page has one block that leaves something open, then a pair of paragraphs.
const LEAKY_BLOCKS: [(&str, &str, &str); 7] = [
    ("comment", "<!-- open", "-->"),
    ("script", "<script>alert(1)", "</script>"),
    ("style", "<STYLE>p { color: red }", "</style>"),
    ("textarea", "<p>a <textarea>b</p>", "</textarea>"),
    ("iframe", "<iframe src=\"x\">", "</iframe>"),
    ("quote", "<div class=\"x", "\""),
    ("xmp", "<xmp>raw", "</xmp>"),
];

#[test]
fn raw_html_left_open_stays_in_its_block_with_a_warning() {
    let pages: Vec<(String, String)> = LEAKY_BLOCKS
        .iter()
        .map(|(name, block, _)| {
            (
                format!("content/{name}.md"),
                format!("+++\ntitle = \"{name}\"\n+++\n\n文字。\nText.\n\n{block}\n"),
            )
        })
        .collect();
    let files: Vec<(&str, &[u8])> = pages
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_bytes()))
        .collect();
    let tmp = book(&files);
    let run = diglot(tmp.path(), &["build", "-o", "out"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    for (name, block, closer) in LEAKY_BLOCKS {
        let html = common::read(&tmp.path().join("out"), &format!("{name}/index.html"));
        let opened = html
            .find(block)
            .unwrap_or_else(|| panic!("{name}: block in\n{html}"));
        let closed = html[opened + block.len()..]
            .to_ascii_lowercase()
            .find(closer)
            .map(|at| opened + block.len() + at);
        let article_end = html.rfind("</article>").expect("article");
        assert!(
            closed.is_some_and(|c| c < article_end),
            "{name}: `{closer}` must close it inside the article:\n{html}"
        );
        assert!(
            run.stderr.contains(&format!("content/{name}.md:8:")),
            "{name}: warning at its place:\n{}",
            run.stderr
        );
    }
    assert!(run.stderr.contains("never closed"), "{}", run.stderr);
}

#[test]
fn plaintext_is_shown_as_text() {
    let tmp = book(&[(
        "content/a.md",
        b"+++\ntitle = \"A\"\n+++\n\n<PlainText>rest\n\nLater.\n",
    )]);
    let run = diglot(tmp.path(), &["build", "-o", "out"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let html = common::read(&tmp.path().join("out"), "a/index.html");
    assert!(!html.to_ascii_lowercase().contains("<plaintext"), "{html}");
    assert!(html.contains("&lt;PlainText>"), "{html}");
    assert!(run.stderr.contains("content/a.md:5:1"), "{}", run.stderr);
}

// --- Unicode normalisation of suffix pairs ----------------------------------------------

#[test]
fn a_suffix_pair_differing_only_in_normalisation_is_paired() {
    let tmp = book(&[
        (
            "content/caf\u{e9}.md",
            "+++\ntitle = \"咖啡\"\n+++\n\n咖啡馆。\n".as_bytes(),
        ),
        (
            "content/cafe\u{301}.en.md",
            b"+++\ntitle = \"Coffee\"\n+++\n\nA coffee shop.\n",
        ),
    ]);
    let run = diglot(tmp.path(), &["build", "--strict", "-o", "out"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let out = tmp.path().join("out");
    let page = std::fs::read_dir(&out)
        .expect("out")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.to_string_lossy().contains("caf"))
        .expect("one page folder for the pair");
    let html = std::fs::read_to_string(page.join("index.html")).expect("page");
    assert!(
        html.contains("咖啡馆。") && html.contains("A coffee shop."),
        "{html}"
    );
}

// --- import and checklist wording ---------------------------------------------------------

/// The page files an imported book got, in the order its pages are read (by weight).
fn imported_order(dir: &Path) -> Vec<String> {
    let mut phases: Vec<_> = std::fs::read_dir(dir.join("content"))
        .expect("content")
        .flatten()
        .filter(|e| e.path().is_dir())
        .map(|e| e.path())
        .collect();
    phases.sort();
    let mut out = Vec::new();
    for phase in phases {
        let mut files: Vec<_> = std::fs::read_dir(&phase)
            .expect("phase")
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n != "_index.md")
            .collect();
        files.sort();
        let name = phase
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        out.push(name.clone());
        out.extend(files.into_iter().map(|f| format!("{name}/{f}")));
    }
    out
}

#[test]
fn import_keeps_the_file_order_and_warns_about_repeated_numbers() {
    let tmp = tempfile::tempdir().expect("tmp");
    let file = tmp.path().join("guide.md");
    std::fs::write(
        &file,
        "# Guide\n\n## 1. First\n\nA.\n\n### 1.1 Zeta\n\nz.\n\n### 1.1 Alpha\n\na.\n\n## 2. Second\n\nB.\n\n## 1. Again\n\nC.\n",
    )
    .expect("write");
    let run = diglot(tmp.path(), &["import", "guide.md", "--into", "book"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert_eq!(
        imported_order(&tmp.path().join("book")),
        [
            "01-first",
            "01-first/01-zeta.md",
            "01-first/02-alpha.md",
            "02-second",
            "03-again",
        ]
    );
    assert!(
        run.stderr.contains("guide.md:11:1") && run.stderr.contains("guide.md:19:1"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("repeats the number"), "{}", run.stderr);
}

#[test]
fn import_with_force_says_which_files_it_replaced() {
    let tmp = tempfile::tempdir().expect("tmp");
    std::fs::write(
        tmp.path().join("guide.md"),
        "# Guide\n\n## 1. First\n\nA.\n",
    )
    .expect("write");
    let first = diglot(tmp.path(), &["import", "guide.md", "--into", "book"]);
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    assert!(!first.stderr.contains("replaced"), "{}", first.stderr);
    let again = diglot(
        tmp.path(),
        &["import", "guide.md", "--into", "book", "--force"],
    );
    assert_eq!(again.code, Some(0), "{}", again.stderr);
    assert!(
        again.stderr.contains("replaced book/book.toml"),
        "{}",
        again.stderr
    );
    assert!(!again.stderr.contains("created"), "{}", again.stderr);
}

#[test]
fn checklist_errors_do_not_speak_of_output() {
    let tmp = book(&[("content/a.md", b"+++\nweight = \"x\"\n+++\n")]);
    let run = diglot(tmp.path(), &["checklist"]);
    assert_eq!(run.code, Some(1));
    assert!(!run.stderr.contains("previous output"), "{}", run.stderr);
    assert!(
        run.stderr.contains("to export its checklists"),
        "{}",
        run.stderr
    );
}

// --- Marker typos -----------------------------------------------------------------------

#[test]
fn marker_typos_and_dangling_markers_are_warned_about() {
    let page = "+++\ntitle = \"A\"\n+++\n\n<!-- diglot: shraed -->\n\n```\ncode\n```\n\n<!-- diglot: zn -->\n\n文字。\n\n<!-- diglot:   -->\n\nText.\n\n<!-- diglot: en -->\n";
    let tmp = book(&[("content/a.md", page.as_bytes())]);
    let run = diglot(tmp.path(), &["check"]);
    let stderr = &run.stderr;
    assert!(
        stderr.contains("unknown marker `diglot: shraed`"),
        "{stderr}"
    );
    assert!(stderr.contains("content/a.md:5:14"), "{stderr}");
    assert!(
        stderr.contains("did you mean `<!-- diglot: shared -->`?"),
        "{stderr}"
    );
    assert!(stderr.contains("content/a.md:11:14"), "{stderr}");
    assert!(
        stderr.contains("did you mean `<!-- diglot: zh -->`?"),
        "{stderr}"
    );
    assert!(stderr.contains("content/a.md:15:6"), "{stderr}");
    assert!(stderr.contains("is not a marker"), "{stderr}");
    assert!(stderr.contains("content/a.md:19:6"), "{stderr}");
    assert!(stderr.contains("has no block after it"), "{stderr}");
}
