//! The search index written with the site, and code highlighting.

mod common;

use std::path::Path;

use common::*;

/// The JSON pushed by one index file.
fn entry(out: &Path, rel: &str) -> serde_json::Value {
    let js = read(out, rel);
    let start = js.find(".push(").expect("push call") + 6;
    let end = js.rfind(");").expect("end");
    serde_json::from_str(&js[start..end]).expect("valid JSON")
}

fn index(
    out: &Path,
) -> (
    serde_json::Value,
    Vec<serde_json::Value>,
    Vec<serde_json::Value>,
) {
    let manifest = entry(out, "search/index.js")[1].clone();
    let shards = (0..manifest["shards"].as_u64().expect("shards"))
        .map(|n| entry(out, &format!("search/s/{n}.js"))[2].clone())
        .collect();
    let chunks = manifest["docs"]
        .as_u64()
        .expect("docs")
        .div_ceil(manifest["chunk"].as_u64().expect("chunk"));
    let docs = (0..chunks)
        .flat_map(|n| {
            entry(out, &format!("search/d/{n}.js"))[2]
                .as_array()
                .expect("docs")
                .clone()
        })
        .collect();
    (manifest, shards, docs)
}

fn has_term(shards: &[serde_json::Value], term: &str) -> bool {
    shards.iter().any(|s| s.get(term).is_some())
}

#[test]
fn the_index_holds_sections_terms_and_nothing_from_drafts() {
    let book = copy_fixture("parallel");
    std::fs::write(
        book.path().join("content/01-planning/03-draft.md"),
        "+++\ntitle = \"草稿 | Draft\"\ndraft = true\n+++\n\n秘密词汇。\nZyzzyva secret.\n",
    )
    .expect("write");
    std::fs::write(book.path().join("content/01-planning/04-hostile.md"), "# 标题 <img src=x onerror=alert(1)> | Title <img src=x onerror=alert(1)>\n\n正文。\nBody text.\n").expect("write");
    let out = book.path().join("out");
    build_at(book.path(), &out);
    let (manifest, shards, docs) = index(&out);
    assert_eq!(manifest["version"], diglot::search::INDEX_VERSION);
    assert_eq!(
        manifest["pages"]
            .as_array()
            .map(|p| p.iter().filter_map(|n| n.as_u64()).sum::<u64>()),
        manifest["docs"].as_u64(),
        "sections per page add up to the documents"
    );
    assert_eq!(manifest["docs"].as_u64(), Some(docs.len() as u64));
    // Sections are documents of their own, linking to their heading.
    let section = docs
        .iter()
        .find(|d| d[0] == "planning/capacity/#11-版本规划--version-planning")
        .expect("the section's document");
    assert_eq!(section[2][1], "Version Planning");
    assert!(section[3][0]
        .as_str()
        .is_some_and(|t| t.contains("我们使用 Redis 缓存热点数据")));
    for term in [
        "缓存", "存热", "据", "redis", "cache", "cach~", "estimate", "estimat~",
    ] {
        assert!(has_term(&shards, term), "{term}");
    }
    assert!(
        !has_term(&shards, "zyzzyva") && !has_term(&shards, "秘密"),
        "drafts stay out"
    );
    assert!(!docs.iter().any(|d| d.to_string().contains("Zyzzyva")));
    // Text from content stays text: it is escaped for the script it sits in.
    let chunk = manifest["chunk"].as_u64().expect("chunk");
    let raw = (0..manifest["docs"].as_u64().expect("docs").div_ceil(chunk))
        .map(|n| read(&out, &format!("search/d/{n}.js")))
        .collect::<String>();
    assert!(!raw.contains("<img") && raw.contains("\\u003cimg src=x onerror=alert(1)\\u003e"));
    // Every shard holds the terms hashed to it, so the browser finds them in one file.
    for (n, shard) in shards.iter().enumerate() {
        for term in shard.as_object().expect("object").keys() {
            assert_eq!(diglot::search::shard_of(term, shards.len()), n, "{term}");
        }
    }
}

#[test]
fn code_is_highlighted_with_classes_and_only_books_with_code_get_the_stylesheet() {
    let book = copy_fixture("parallel");
    let out = book.path().join("out");
    build_at(book.path(), &out);
    let page = read(&out, "planning/capacity/index.html");
    assert!(page
        .contains("<pre class=\"code hl-code\" data-lang=\"toml\"><code class=\"language-toml\">"));
    assert!(page.contains("hl-toml"));
    assert!(
        !page[page.find("<pre").expect("pre")..]
            .split("</pre>")
            .next()
            .expect("block")
            .contains("style="),
        "classes, not inline styles"
    );
    assert!(page.contains("static/highlight.css"));
    let css = read(&out, "static/highlight.css");
    assert!(css.contains(".hl-") && css.contains("prefers-color-scheme: dark"));
    // The guide has no code: no stylesheet, no link, no grammar loaded for it.
    let guide = copy_guide();
    let guide_out = guide.path().join("public");
    build_at(guide.path(), &guide_out);
    assert!(!guide_out.join("static/highlight.css").exists());
    assert!(!read(&guide_out, "index.html").contains("highlight.css"));
}

/// A common character (的, in 300 sections, starting 300 different pairs) costs a
/// one-character query one small shard: its own term, the best sections only, while the
/// pairs it starts sit in shards of their own.
#[test]
fn a_common_character_is_one_bounded_term_and_its_pairs_spread_over_shards() {
    let book = copy_fixture("parallel");
    let mut md = String::from("# 常见 | Common\n\n");
    for i in 0..300u32 {
        let c = char::from_u32(0x4E00 + i * 7).expect("a CJK character");
        md.push_str(&format!(
            "## 第{i}节 | Section {i}\n\n这是好的{c}字。\nThis is good.\n\n"
        ));
    }
    std::fs::write(book.path().join("content/01-planning/05-common.md"), md).expect("write");
    let out = book.path().join("out");
    build_at(book.path(), &out);
    let (_, shards, _) = index(&out);
    let n = shards.len();
    let home = diglot::search::shard_of("的", n);
    let list = shards[home]["的"].as_array().expect("的 is a term");
    assert_eq!(
        list.len(),
        2 * diglot::search::UNIGRAM_DOCS,
        "the best sections only"
    );
    let file = std::fs::metadata(out.join(format!("search/s/{home}.js"))).expect("shard");
    assert!(file.len() < 24 * 1024, "{} bytes", file.len());
    let homes: std::collections::HashSet<usize> = (0..300u32)
        .map(|i| {
            let c = char::from_u32(0x4E00 + i * 7).expect("a CJK character");
            let pair = format!("的{c}");
            let home = diglot::search::shard_of(&pair, n);
            assert!(shards[home].get(&pair).is_some(), "{pair}");
            home
        })
        .collect();
    assert!(homes.len() > n / 2, "{} of {n} shards", homes.len());
}

/// A very common English word (`the`, in 300 sections) is bounded like a common character:
/// its own term keeps the best sections only, and its shard names it as cut, so that the
/// browser does not take its absence from a section for the word missing there.
#[test]
fn a_very_common_word_is_one_bounded_term_marked_as_cut() {
    let book = copy_fixture("parallel");
    let mut md = String::from("# 常见 | Common\n\n");
    for i in 0..300u32 {
        md.push_str(&format!(
            "## 第{i}节 | Section {i}\n\n这一节。\nThe word the is the most common, then this and that{i}.\n\n"
        ));
    }
    std::fs::write(book.path().join("content/01-planning/05-common.md"), md).expect("write");
    let out = book.path().join("out");
    build_at(book.path(), &out);
    let (_, shards, _) = index(&out);
    let n = shards.len();
    let home = diglot::search::shard_of("the", n);
    let list = shards[home]["the"].as_array().expect("the is a term");
    assert_eq!(
        list.len(),
        2 * diglot::search::WORD_DOCS,
        "the best sections only"
    );
    let file = format!("search/s/{home}.js");
    let cut = &entry(&out, &file)[3];
    assert!(
        cut.as_array().is_some_and(|c| c.contains(&"the".into())),
        "{cut}"
    );
    // Words in few sections are whole, and not marked.
    let rare = diglot::search::shard_of("that7", n);
    assert_eq!(shards[rare]["that7"].as_array().map(Vec::len), Some(2));
    assert!(!entry(&out, &format!("search/s/{rare}.js"))[3]
        .as_array()
        .is_some_and(|c| c.contains(&"that7".into())));
    let bytes = std::fs::metadata(out.join(&file)).expect("shard").len();
    assert!(bytes < 24 * 1024, "{bytes} bytes");
}

#[test]
fn lines_hidden_in_rust_blocks_are_not_indexed() {
    let book = copy_fixture("parallel");
    std::fs::write(
        book.path().join("content/01-planning/05-code.md"),
        "# 代码 | Code\n\n```rust,ignore\n# use std::hiddenword;\nfn shownword() {\n    # let alsohidden = 1;\n}\n```\n\n```python\n# pycomment\n```\n",
    )
    .expect("write");
    let out = book.path().join("out");
    build_at(book.path(), &out);
    let (_, shards, _) = index(&out);
    assert!(has_term(&shards, "shownword"));
    assert!(
        has_term(&shards, "pycomment"),
        "other languages hide nothing"
    );
    for hidden in ["hiddenword", "alsohidden"] {
        assert!(!has_term(&shards, hidden), "{hidden}");
    }
}

#[test]
fn a_word_in_thousands_of_sections_keeps_the_best_whatever_the_order() {
    // More sections than the index holds a word's list for before cutting it: the heaviest
    // (a heading's word) come last, and must still be the ones kept, with the first of the rest.
    let book = copy_fixture("parallel");
    let mut md = String::from("# 斑马 | Striped page\n\n");
    let sections = 4 * 2 * diglot::search::WORD_DOCS + 200;
    let heavy = 40;
    for i in 0..sections {
        let heading = if i >= sections - heavy {
            format!("Zebra {i}")
        } else {
            format!("Section {i}")
        };
        md.push_str(&format!(
            "## 第{i}节 | {heading}\n\n这一节。\nA zebra here, marker{i}.\n\n"
        ));
    }
    std::fs::write(book.path().join("content/01-planning/05-zebra.md"), md).expect("write");
    let out = book.path().join("out");
    build_at(book.path(), &out);
    let (_, shards, docs) = index(&out);
    let home = diglot::search::shard_of("zebra", shards.len());
    let list: Vec<u64> = shards[home]["zebra"]
        .as_array()
        .expect("zebra is a term")
        .iter()
        .map(|v| v.as_u64().expect("number"))
        .collect();
    assert_eq!(list.len(), 2 * diglot::search::WORD_DOCS);
    // The documents with the word, in order, and which of them have it in their heading.
    let with_word: Vec<(u64, bool)> = docs
        .iter()
        .enumerate()
        .filter(|(_, d)| d[3][1].as_str().is_some_and(|t| t.contains("zebra here")))
        .map(|(i, d)| {
            (
                i as u64,
                d[2][1].as_str().is_some_and(|h| h.starts_with("Zebra")),
            )
        })
        .collect();
    assert_eq!(with_word.len(), sections);
    let heavy_docs: Vec<u64> = with_word.iter().filter(|d| d.1).map(|d| d.0).collect();
    let light_docs = with_word.iter().filter(|d| !d.1).map(|d| d.0);
    let mut expected: Vec<u64> = light_docs
        .take(diglot::search::WORD_DOCS - heavy)
        .chain(heavy_docs)
        .collect();
    expected.sort_unstable();
    let kept: Vec<u64> = list.chunks(2).map(|p| p[0]).collect();
    assert_eq!(kept, expected);
    let entry = entry(&out, &format!("search/s/{home}.js"));
    assert!(entry[3]
        .as_array()
        .is_some_and(|c| c.contains(&"zebra".into())));
}
