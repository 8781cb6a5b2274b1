//! The three content layouts build into the same model: which Chinese text sits beside
//! which English text.

mod common;

use common::*;

#[test]
fn parallel_file_pairs_headings_lines_and_list_items() {
    let book = copy_fixture("parallel");
    let out = book.path().join("out");
    build_at(book.path(), &out);
    let html = read(&out, "planning/capacity/index.html");
    let pairs = pairs(&html);
    let expect = [
        // The section number is shown on both sides.
        ("1.1 容量规划", "1.1 Capacity Planning"),
        ("1.1 版本规划", "1.1 Version Planning"),
        (
            "我们使用 Redis 缓存热点数据。",
            "We cache hot data in Redis.",
        ),
        ("评估峰值流量", "Estimate peak traffic"),
        ("使用 Redis 缓存", "Use the Redis cache"),
        ("确认预算", "Confirm the budget"),
        ("缓存层的说明。", "An explanation of the cache layer."),
    ];
    for (i, (zh, en)) in expect.iter().enumerate() {
        assert_eq!(
            (pairs[i].0.as_str(), pairs[i].1.as_str()),
            (*zh, *en),
            "pair {i} of {pairs:#?}"
        );
    }
    // Code, the table and the image are shared: shown once.
    let shared: Vec<Seg> = segs(&html)
        .into_iter()
        .filter(|s| s.classes.contains("shared"))
        .collect();
    assert_eq!(shared.len(), 3, "code, table, image: {shared:#?}");
    assert!(shared
        .iter()
        .any(|s| s.text.contains("2GB") && s.text.contains("cache")));
    // Static files keep their place in the content tree; links to them follow.
    assert!(
        html.contains("<img src=\"../../01-planning/diagram.svg\""),
        "image path rewritten to the copied asset"
    );
    assert!(out.join("01-planning/diagram.svg").is_file());
    let zh = read(&out, "zh/planning/capacity/index.html");
    assert!(
        zh.contains("<img src=\"../../../01-planning/diagram.svg\""),
        "one level deeper in a language's own form"
    );
}

#[test]
fn lone_blocks_are_shown_and_reported_with_their_line() {
    let book = copy_fixture("parallel");
    let out = book.path().join("out");
    let report = build_at(book.path(), &out);
    let lone: Vec<String> = report.warnings.iter().map(|d| d.place()).collect();
    assert_eq!(lone.len(), 1, "{:#?}", report.warnings);
    assert!(
        lone[0].ends_with("02-operations/01-incidents.md:6:1"),
        "{lone:?}"
    );
    for rel in [
        "operations/incidents/index.html",
        "en/operations/incidents/index.html",
        "zh/operations/incidents/index.html",
    ] {
        let html = read(&out, rel);
        let seg = segs(&html)
            .into_iter()
            .find(|s| s.classes.contains("lone"))
            .expect("lone seg");
        assert_eq!(
            seg.l1.as_deref(),
            Some("只有中文的一段话，没有翻译。"),
            "{rel}"
        );
    }
}

#[test]
fn suffix_pair_alignment_survives_an_inserted_note() {
    let book = copy_fixture("suffix");
    let out = book.path().join("out");
    let report = build_at(book.path(), &out);
    let html = read(&out, "guide/intro/index.html");
    let pairs = pairs(&html);
    let starts: Vec<(String, String)> = pairs
        .iter()
        .map(|(a, b)| {
            (
                a.chars().take(3).collect(),
                b.split_whitespace().take(2).collect::<Vec<_>>().join(" "),
            )
        })
        .collect();
    let expect = [
        ("简介", "Introduction"),
        ("背景", "Background"),
        ("第一段", "The first"),
        ("第二段", "The second"),
        ("安装", "Installation"),
        ("第三段", "The third"),
        ("下载", "Download"),
        ("配置", "Configure"),
        ("测试", "Test"),
        ("第四段", "The fourth"),
    ];
    let got: Vec<(&str, &str)> = starts
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    assert_eq!(got, expect);
    // The note stands alone (and is reported), the identical code block is shared.
    let segs = segs(&html);
    assert!(segs
        .iter()
        .any(|s| s.classes.contains("lone") && s.text.starts_with("Translator's note")));
    assert!(segs
        .iter()
        .any(|s| s.classes.contains("shared") && s.text.contains("cargo install diglot")));
    assert_eq!(report.warnings.len(), 1);
    assert!(
        report.warnings[0].place().ends_with("intro.en.md:11:1"),
        "{}",
        report.warnings[0]
    );
}

#[test]
fn mirrored_tree_outside_the_book_pairs_by_path_and_merges_paragraphs() {
    let tmp = copy_fixture("mirrored");
    let root = tmp.path().join("book");
    let out = tmp.path().join("site");
    let report = build_at(&root, &out);
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    let html = read(&out, "getting-started/index.html");
    let p = pairs(&html);
    assert_eq!(
        p[0],
        ("入门指南".to_string(), "Getting Started".to_string()),
        "the leading h1 is the title"
    );
    assert_eq!(p[2], ("安装".to_string(), "Installation".to_string()));
    let hello = pairs(&read(&out, "hello/index.html"));
    assert_eq!(hello.len(), 3, "{hello:#?}");
    assert!(
        hello[2].0.contains("第二段") && hello[2].0.contains("第三段"),
        "two paragraphs match the merged one: {hello:#?}"
    );
    // Each file's own anchors keep working: the English link targets the English heading id.
    let en = read(&out, "en/hello/index.html");
    assert!(
        en.contains("href=\"../getting-started/index.html#installation\""),
        "{en}"
    );
    assert!(
        read(&out, "print/index.html")
            .contains("href=\"../getting-started/index.html#installation\""),
        "links work from the print page too"
    );
    let gs = read(&out, "en/getting-started/index.html");
    assert!(
        gs.contains("id=\"installation\""),
        "secondary heading keeps its own id"
    );
}

#[test]
fn flat_book_without_front_matter_orders_by_numeric_prefix() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path();
    std::fs::write(
        root.join("book.toml"),
        "[book]\ntitle = \"手册 | Manual\"\n",
    )
    .expect("write");
    std::fs::create_dir(root.join("content")).expect("mkdir");
    std::fs::write(
        root.join("content/02-usage.md"),
        "# 使用 | Usage\n\n运行命令。\nRun the command.\n",
    )
    .expect("write");
    std::fs::write(
        root.join("content/01-install.md"),
        "# 安装 | Install\n\n下载它。\nDownload it.\n",
    )
    .expect("write");
    std::fs::write(root.join("content/10-faq.md"), "# 问答 | FAQ\n").expect("write");
    let out = root.join("public");
    let report = build_at(root, &out);
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    for page in ["install", "usage", "faq"] {
        assert!(out.join(page).join("index.html").is_file(), "{page}");
    }
    let install = read(&out, "install/index.html");
    assert!(
        install.contains("rel=\"next\" href=\"../usage/index.html\""),
        "numeric prefix orders the pages"
    );
    let usage = read(&out, "usage/index.html");
    assert!(usage.contains("rel=\"next\" href=\"../faq/index.html\""));
    assert_eq!(
        pairs(&install)[0],
        ("安装".to_string(), "Install".to_string())
    );
}

#[test]
fn explicit_markers_override_detection() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path();
    std::fs::write(root.join("book.toml"), "").expect("write");
    std::fs::create_dir(root.join("content")).expect("mkdir");
    let md = "# 标记 | Markers\n\n<!-- diglot: zh -->\nKubernetes 和 Prometheus 的 YAML 配置\n\n<!-- diglot: en -->\nThe 配置 of 服务 in 集群\n\n<!-- diglot: shared -->\nv1.2 → v1.3\n";
    std::fs::write(root.join("content/markers.md"), md).expect("write");
    let out = root.join("public");
    let report = build_at(root, &out);
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    let html = read(&out, "markers/index.html");
    let p = pairs(&html);
    assert_eq!(
        p[1],
        (
            "Kubernetes 和 Prometheus 的 YAML 配置".to_string(),
            "The 配置 of 服务 in 集群".to_string()
        )
    );
    assert!(segs(&html)
        .iter()
        .any(|s| s.classes.contains("shared") && s.text == "v1.2 → v1.3"));
}

#[test]
fn another_language_pair_with_swapped_primary() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path();
    std::fs::write(root.join("book.toml"), "[book]\ntitle = \"Guide | ガイド\"\ndefault-view = \"ja\"\n[languages]\nprimary = \"en\"\nsecondary = \"ja\"\n").expect("write");
    std::fs::create_dir(root.join("content")).expect("mkdir");
    std::fs::write(
        root.join("content/start.md"),
        "# Start | はじめに\n\nRead this first.\n最初にこれを読んでください。\n",
    )
    .expect("write");
    let out = root.join("public");
    let report = build_at(root, &out);
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    let html = read(&out, "start/index.html");
    assert_eq!(
        pairs(&html)[1],
        (
            "Read this first.".to_string(),
            "最初にこれを読んでください。".to_string()
        )
    );
    assert!(html.contains("<div class=\"l2\" lang=\"ja\">"));
    assert!(html.contains("data-view=\"ja\" data-mode=\"secondary\""));
    assert!(out.join("ja/start/index.html").is_file() && out.join("en/start/index.html").is_file());
}

/// The benchmark corpus in both layouts: the two-file build must pair exactly as the
/// parallel one does, with no warning (code whose comments were translated stays a pair).
#[test]
fn suffix_pairs_align_like_the_parallel_corpus() {
    let generator = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("bench/gen_corpus.py");
    let tmp = tempfile::tempdir().expect("tmp");
    for layout in ["diglot", "diglot-parallel"] {
        let status = std::process::Command::new("python3")
            .arg(&generator)
            .args(["--layout", layout, "--pages", "120", "--out"])
            .arg(tmp.path().join(layout))
            .stdout(std::process::Stdio::null())
            .status()
            .expect("python3 runs");
        assert!(status.success());
    }
    let two = tmp.path().join("diglot");
    let one = tmp.path().join("diglot-parallel");
    let report = build_at(&two, &two.join("out"));
    assert!(
        report.warnings.is_empty(),
        "{:#?}",
        &report.warnings[..report.warnings.len().min(3)]
    );
    build_at(&one, &one.join("out"));
    let mut compared = 0;
    for f in files(&two.join("out")) {
        let rel = f.to_string_lossy().into_owned();
        if !rel.ends_with("index.html") || !rel.starts_with("chapter-") {
            continue;
        }
        // Two-file pages show translated code and tables as pairs, the parallel file shares
        // them: leave them out of the comparison.
        let without_code = |html: &str| -> Vec<(String, String)> {
            segs(html)
                .into_iter()
                .filter(|s| !s.classes.contains("seg-code") && !s.classes.contains("seg-table"))
                .filter_map(|s| s.pair().map(|(a, b)| (a.to_string(), b.to_string())))
                .collect()
        };
        let a = without_code(&read(&two.join("out"), &rel));
        let b = without_code(&read(&one.join("out"), &rel));
        assert_eq!(a, b, "{rel}");
        compared += 1;
    }
    assert!(compared >= 120, "{compared}");
}

/// A translated mdBook: `SUMMARY.md` orders the book and is not a page of its own.
#[test]
fn an_mdbook_summary_orders_the_pages() {
    let tmp = tempfile::tempdir().expect("tmp");
    let (zh, en) = (tmp.path().join("book"), tmp.path().join("book-en"));
    std::fs::create_dir_all(zh.join("src")).expect("mkdir");
    std::fs::create_dir_all(en.join("src")).expect("mkdir");
    std::fs::write(
        zh.join("book.toml"),
        "[build]\ncontent-dir = \"src\"\n[languages.en]\ncontent-dir = \"../book-en/src\"\n",
    )
    .expect("write");
    let summary = "# 目录\n\n[前言](foreword.md)\n\n- [入门](getting-started.md)\n- [安装](installation.md)\n- [附录](appendix.md)\n";
    std::fs::write(zh.join("src/SUMMARY.md"), summary).expect("write");
    std::fs::write(
        en.join("src/SUMMARY.md"),
        summary.replace("前言", "Foreword"),
    )
    .expect("write");
    for (name, zh_text, en_text) in [
        ("appendix", "附录", "Appendix"),
        ("foreword", "前言", "Foreword"),
        ("getting-started", "入门", "Getting started"),
        ("installation", "安装", "Installation"),
    ] {
        std::fs::write(
            zh.join("src").join(format!("{name}.md")),
            format!("# {zh_text}\n\n这是{zh_text}的内容，足够长的一段话。\n"),
        )
        .expect("write");
        std::fs::write(
            en.join("src").join(format!("{name}.md")),
            format!("# {en_text}\n\nThis is the text of {en_text}, a long enough sentence.\n"),
        )
        .expect("write");
    }
    let out = zh.join("public");
    let report = build_at(&zh, &out);
    assert!(report.warnings.is_empty(), "{:#?}", report.warnings);
    assert!(
        !out.join("summary/index.html").exists(),
        "SUMMARY.md is not a page"
    );
    let next = |page: &str| -> String {
        let html = read(&out, &format!("{page}/index.html"));
        let i = html.find("rel=\"next\" href=\"").expect("a next link") + 17;
        html[i..i + html[i..].find('"').expect("end")].to_string()
    };
    assert_eq!(next("foreword"), "../getting-started/index.html");
    assert_eq!(next("getting-started"), "../installation/index.html");
    assert_eq!(next("installation"), "../appendix/index.html");
}
