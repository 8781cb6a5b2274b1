//! Stale translations found from git history: repositories built here commit by commit
//! (fixed authors and dates), then `check --format json` and the built pages say exactly
//! which pairs are behind.

mod common;

use common::{run_diglot, GitRepo};

type Repo = GitRepo;

/// What `check` and `build` say about a repository's pairs.
trait Stale {
    fn stale(&self) -> Vec<(String, u64, String, String, String)>;
    fn stale_places(&self) -> Vec<(String, u64)>;
    fn states(&self, rel: &str) -> Vec<(String, String)>;
}

impl Stale for GitRepo {
    /// The stale warnings of `check --format json`: (file, line, source file, then, now).
    fn stale(&self) -> Vec<(String, u64, String, String, String)> {
        let out = run_diglot(self.path(), &["check", "--format", "json"]);
        let json: serde_json::Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
        json["diagnostics"]
            .as_array()
            .expect("diagnostics")
            .iter()
            .filter(|d| d["kind"] == "stale")
            .map(|d| {
                (
                    d["path"].as_str().expect("path").to_string(),
                    d["line"].as_u64().expect("line"),
                    d["source"]["path"].as_str().expect("source").to_string(),
                    d["source"]["then"].as_str().expect("then").to_string(),
                    d["source"]["now"].as_str().expect("now").to_string(),
                )
            })
            .collect()
    }

    /// `(file, line)` of each stale pair.
    fn stale_places(&self) -> Vec<(String, u64)> {
        self.stale().into_iter().map(|s| (s.0, s.1)).collect()
    }

    /// The `data-state` of every pair of the built page at `rel` (bilingual form), with the
    /// start of its first side's text.
    fn states(&self, rel: &str) -> Vec<(String, String)> {
        let out = self.path().join("public");
        let built = run_diglot(self.path(), &["build"]);
        assert!(
            built.status.success(),
            "{}",
            String::from_utf8_lossy(&built.stderr)
        );
        let html = std::fs::read_to_string(out.join(rel)).expect("page");
        html.split("data-state=\"")
            .skip(1)
            .map(|rest| {
                let state = rest.split('"').next().unwrap_or("").to_string();
                let text = common::text_of(rest.split_once('>').map_or("", |r| r.1));
                (state, text.chars().take(24).collect())
            })
            .collect()
    }
}

const SUFFIX_BOOK: &str =
    "[book]\ntitle = \"T\"\n[languages]\nprimary = \"zh\"\nsecondary = \"en\"\nsource = \"en\"\n";

const EN: &str = "# Guide\n\nThe first paragraph talks about caching\nin two lines.\n\nThe second paragraph stays.\n\n## Setup\n\n- install the tool\n- run it once\n\nThe last paragraph.\n";
const ZH: &str =
    "# 指南\n\n第一段讲缓存。\n\n第二段不变。\n\n## 安装\n\n- 安装工具\n- 运行一次\n\n最后一段。\n";

fn suffix_repo() -> Repo {
    let mut repo = Repo::new(SUFFIX_BOOK);
    repo.write("content/_index.md", "# 首页 | Home\n");
    repo.write("content/guide.en.md", EN);
    repo.write("content/guide.md", ZH);
    repo.commit("first translation");
    repo
}

#[test]
fn a_source_paragraph_changed_in_substance_is_stale_and_a_rewrap_is_not() {
    let mut repo = suffix_repo();
    let en = EN
        .replace(
            "The first paragraph talks about caching\nin two lines.",
            "The first paragraph talks\nabout caching in two lines.",
        )
        .replace("The last paragraph.", "The last paragraph, changed.");
    repo.write("content/guide.en.md", &en);
    repo.commit("edit the English");
    let stale = repo.stale();
    assert_eq!(
        stale,
        vec![(
            "content/guide.md".to_string(),
            12,
            "content/guide.en.md".to_string(),
            "The last paragraph.".to_string(),
            "The last paragraph, changed.".to_string()
        )]
    );
    let states = repo.states("guide/index.html");
    assert_eq!(states.len(), 1, "{states:?}");
    assert_eq!(states[0].0, "stale");
    assert!(states[0].1.starts_with("最后一段。"), "{states:?}");
    let zh_only =
        std::fs::read_to_string(repo.path().join("public/zh/guide/index.html")).expect("zh page");
    assert!(zh_only.contains("class=\"stale-notice\""), "{zh_only}");
    assert!(zh_only.contains("href=\"../../en/guide/"), "{zh_only}");
}

#[test]
fn a_heading_and_a_list_item_changed_are_stale_and_an_added_item_is_untranslated() {
    let mut repo = suffix_repo();
    let en = EN
        .replace("## Setup", "## Installation")
        .replace("- run it once\n", "- run it twice\n- check the log\n");
    repo.write("content/guide.en.md", &en);
    repo.commit("edit the English");
    assert_eq!(
        repo.stale_places(),
        vec![
            ("content/guide.md".to_string(), 7),
            ("content/guide.md".to_string(), 10)
        ]
    );
    let states = repo.states("guide/index.html");
    let mut kinds: Vec<&str> = states.iter().map(|(s, _)| s.as_str()).collect();
    kinds.sort_unstable();
    assert_eq!(kinds, vec!["stale", "stale", "untranslated"]);
}

#[test]
fn a_translation_updated_later_or_in_the_same_commit_is_current() {
    let mut repo = suffix_repo();
    repo.write(
        "content/guide.en.md",
        &EN.replace("The second paragraph stays.", "The second paragraph moves."),
    );
    repo.commit("edit the English");
    assert_eq!(repo.stale_places().len(), 1);
    repo.write(
        "content/guide.md",
        &ZH.replace("第二段不变。", "第二段移动了。"),
    );
    repo.commit("follow in Chinese");
    assert!(repo.stale_places().is_empty());
    // Both sides in one commit.
    repo.write(
        "content/guide.en.md",
        &EN.replace("The second paragraph stays.", "The second paragraph, both."),
    );
    repo.write(
        "content/guide.md",
        &ZH.replace("第二段不变。", "第二段，两边。"),
    );
    repo.commit("both");
    assert!(repo.stale_places().is_empty());
}

#[test]
fn renamed_files_keep_their_history() {
    let mut repo = suffix_repo();
    repo.git(&["mv", "content/guide.en.md", "content/manual.en.md"]);
    repo.git(&["mv", "content/guide.md", "content/manual.md"]);
    repo.commit("rename");
    repo.write(
        "content/manual.en.md",
        &EN.replace(
            "The second paragraph stays.",
            "The second paragraph changed.",
        ),
    );
    repo.commit("edit after the rename");
    assert_eq!(
        repo.stale_places(),
        vec![("content/manual.md".to_string(), 5)]
    );
}

#[test]
fn an_accepted_pair_is_current_until_its_source_changes_again() {
    let mut repo = suffix_repo();
    repo.write(
        "content/guide.en.md",
        &EN.replace("The second paragraph stays.", "The second paragraph stays!"),
    );
    repo.commit("typo");
    assert_eq!(
        repo.stale_places(),
        vec![("content/guide.md".to_string(), 5)]
    );
    let out = run_diglot(repo.path(), &["status", "--accept", "content/guide.md:5"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reviewed = std::fs::read_to_string(repo.path().join("translation-reviewed.txt"))
        .expect("reviewed file written");
    assert!(
        reviewed.contains("  content/guide.md  # The second paragraph stays!"),
        "{reviewed}"
    );
    assert!(repo.stale_places().is_empty());
    repo.commit("accept");
    repo.write(
        "content/guide.en.md",
        &EN.replace("The second paragraph stays.", "The second paragraph went."),
    );
    repo.commit("edit again");
    assert_eq!(
        repo.stale_places(),
        vec![("content/guide.md".to_string(), 5)]
    );
    let none = run_diglot(repo.path(), &["status", "--accept", "content/guide.md:1"]);
    assert_eq!(none.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&none.stderr).contains("stale pairs start at lines 5"),
        "{}",
        String::from_utf8_lossy(&none.stderr)
    );
}

#[test]
fn uncommitted_source_edits_count_as_changed_now() {
    let repo = suffix_repo();
    repo.write(
        "content/guide.en.md",
        &EN.replace(
            "The second paragraph stays.",
            "The second paragraph, edited.",
        ),
    );
    assert_eq!(
        repo.stale_places(),
        vec![("content/guide.md".to_string(), 5)]
    );
    // An uncommitted edit to the translation catches up.
    repo.write(
        "content/guide.md",
        &ZH.replace("第二段不变。", "第二段，已改。"),
    );
    assert!(repo.stale_places().is_empty());
}

#[test]
fn without_a_source_each_side_is_measured_against_the_other() {
    let book = SUFFIX_BOOK.replace("source = \"en\"\n", "");
    let mut repo = Repo::new(&book);
    repo.write("content/_index.md", "# 首页 | Home\n");
    repo.write("content/guide.en.md", EN);
    repo.write("content/guide.md", ZH);
    repo.commit("first");
    repo.write(
        "content/guide.md",
        &ZH.replace("最后一段。", "最后一段，改了。"),
    );
    repo.commit("Chinese first");
    assert_eq!(
        repo.stale_places(),
        vec![("content/guide.en.md".to_string(), 13)]
    );
}

#[test]
fn a_parallel_file_and_mirrored_trees_work_the_same() {
    let mut repo = Repo::new(SUFFIX_BOOK);
    repo.write(
        "content/page.md",
        "# 页 | Page\n\n第一段。\n\nFirst paragraph.\n\n第二段。\n\nSecond paragraph.\n",
    );
    repo.commit("parallel");
    repo.write(
        "content/page.md",
        "# 页 | Page\n\n第一段。\n\nFirst paragraph.\n\n第二段。\n\nSecond paragraph, edited.\n",
    );
    repo.commit("edit");
    assert_eq!(
        repo.stale_places(),
        vec![("content/page.md".to_string(), 7)]
    );

    let mirrored = "[book]\ntitle = \"T\"\n[languages]\nprimary = \"zh\"\nsecondary = \"en\"\nsource = \"en\"\n[languages.zh]\ncontent-dir = \"zh\"\n[languages.en]\ncontent-dir = \"en\"\n";
    let mut repo = Repo::new(mirrored);
    repo.write("en/guide.md", EN);
    repo.write("zh/guide.md", ZH);
    repo.commit("mirrored");
    repo.write(
        "en/guide.md",
        &EN.replace("The last paragraph.", "The final paragraph."),
    );
    repo.commit("edit");
    assert_eq!(repo.stale_places(), vec![("zh/guide.md".to_string(), 12)]);
}

#[test]
fn a_shallow_clone_says_so_and_outside_a_repository_it_is_off_with_a_note() {
    let mut repo = suffix_repo();
    repo.write(
        "content/guide.en.md",
        &EN.replace("The last paragraph.", "The final paragraph."),
    );
    repo.commit("edit");
    let (_clone, shallow) = repo.shallow_clone();
    let check = run_diglot(&shallow, &["check"]);
    let err = String::from_utf8_lossy(&check.stderr);
    assert!(check.status.success(), "{err}");
    assert!(
        err.contains("shallow") && err.contains("fetch-depth: 0"),
        "{err}"
    );
    assert!(!err.contains("stale translation"), "{err}");

    let plain = tempfile::tempdir().expect("temp dir");
    common::copy_dir(&repo.path().join("content"), &plain.path().join("content"));
    std::fs::write(plain.path().join("book.toml"), SUFFIX_BOOK).expect("book.toml");
    let check = run_diglot(plain.path(), &["check"]);
    let err = String::from_utf8_lossy(&check.stderr);
    assert!(check.status.success(), "{err}");
    assert_eq!(err.matches("not in a git repository").count(), 1, "{err}");
}

#[test]
fn status_counts_pairs_per_page_and_strict_fails_only_when_asked() {
    let mut repo = suffix_repo();
    repo.write(
        "content/guide.en.md",
        &EN.replace(
            "The last paragraph.",
            "The final paragraph.\n\nA new paragraph.",
        ),
    );
    repo.commit("edit");
    let out = run_diglot(repo.path(), &["status", "--format", "json"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["history"], "full");
    assert_eq!(json["source"], "en");
    let page = &json["phases"][0]["pages"][1];
    assert_eq!(page["translation_file"], "content/guide.md");
    assert_eq!(
        (
            page["current"].as_u64(),
            page["stale"].as_u64(),
            page["untranslated"].as_u64()
        ),
        (Some(5), Some(1), Some(1))
    );
    let human = run_diglot(repo.path(), &["status"]);
    let table = String::from_utf8_lossy(&human.stdout);
    assert!(table.contains("content/guide.md"), "{table}");

    // A stale pair is a warning, even under --strict, unless the book asks for an error.
    repo.write(
        "content/guide.en.md",
        &EN.replace("The last paragraph.", "The final paragraph."),
    );
    repo.commit("no untranslated paragraph");
    let strict = run_diglot(repo.path(), &["check", "--strict"]);
    assert!(
        strict.status.success(),
        "{}",
        String::from_utf8_lossy(&strict.stderr)
    );
    assert!(String::from_utf8_lossy(&strict.stderr).contains("(1 stale)"));
    let toml = format!("{SUFFIX_BOOK}[translation]\nstale = \"error\"\n");
    repo.write("book.toml", &toml);
    let strict = run_diglot(repo.path(), &["check", "--strict"]);
    assert_eq!(strict.status.code(), Some(1));
    let github = run_diglot(repo.path(), &["check", "--format", "github"]);
    let annotations = String::from_utf8_lossy(&github.stdout);
    assert!(
        annotations.contains("::warning file=content/guide.md,line=12,col=1::stale translation"),
        "{annotations}"
    );
}
