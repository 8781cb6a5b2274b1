//! Two documents translated apart over revisions align on what translations keep: each
//! fixture under `tests/fixtures/align-*/` holds a Chinese `zh.md` (primary) and the English
//! `en.md` it drifted from, in a shape met in published translations.

use std::path::Path;

use diglot::bilingual::align::{align, document_segments};
use diglot::lang::Side;
use diglot::model::{Content, Segment};

/// One aligned row, as the first line of each side (`-` for a side it lacks).
#[derive(Debug, Clone, PartialEq)]
struct Row {
    kind: String,
    shared: bool,
    zh: String,
    en: String,
}

fn aligned(case: &str) -> Vec<Row> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(case);
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).expect("fixture");
    let (zh, en) = (read("zh.md"), read("en.md"));
    let segs = align(
        document_segments(&zh, 1, Side::Primary),
        document_segments(&en, 1, Side::Secondary),
    );
    segs.iter()
        .map(|seg| {
            let first = |side: Side| {
                seg.contents()
                    .filter_map(|c| c.side(side))
                    .map(|t| t.md.lines().next().unwrap_or("").to_string())
                    .next()
                    .unwrap_or_else(|| "-".to_string())
            };
            let (kind, shared) = match seg {
                Segment::Block { kind, content } => {
                    (format!("{kind:?}"), matches!(content, Content::Shared(_)))
                }
                Segment::List { .. } => ("List".to_string(), false),
            };
            Row {
                kind,
                shared,
                zh: first(Side::Primary),
                en: first(Side::Secondary),
            }
        })
        .collect()
}

/// The rows where both sides have text, as (zh, en) first lines.
fn pairs(rows: &[Row]) -> Vec<(&str, &str)> {
    rows.iter()
        .filter(|r| !r.shared && r.zh != "-" && r.en != "-")
        .map(|r| (r.zh.as_str(), r.en.as_str()))
        .collect()
}

/// The paired headings.
fn headings(rows: &[Row]) -> Vec<(&str, &str)> {
    rows.iter()
        .filter(|r| r.kind.starts_with("Heading") && r.zh != "-" && r.en != "-")
        .map(|r| (r.zh.as_str(), r.en.as_str()))
        .collect()
}

fn code_rows(rows: &[Row]) -> Vec<&Row> {
    rows.iter().filter(|r| r.kind == "Code").collect()
}

#[test]
fn a_section_the_translation_lacks_shifts_nothing_after_it() {
    // The source grew a section ("Depending on an External Package") and lengthened the
    // others; the translation, a revision behind, still has its sections one level deeper.
    let rows = aligned("align-dropped-section");
    assert_eq!(
        headings(&rows),
        [
            ("工作空间", "Workspaces"),
            (
                "在工作空间中创建第二个包",
                "Creating the Second Package in the Workspace"
            ),
            ("为工作空间增加测试", "Adding a Test to a Workspace"),
        ],
        "{rows:#?}"
    );
    assert!(
        rows.iter()
            .any(|r| r.zh == "-" && r.en == "Depending on an External Package"),
        "the added section stands alone: {rows:#?}"
    );
    let code = code_rows(&rows);
    assert_eq!(code.len(), 8, "seven shared, one lone: {code:#?}");
    assert_eq!(code.iter().filter(|r| r.shared).count(), 7, "{code:#?}");
}

#[test]
fn a_translators_note_does_not_take_the_next_section() {
    // A note only the translation has, and code whose comments were translated.
    let rows = aligned("align-translator-note");
    assert_eq!(
        headings(&rows),
        [("方法", "Methods"), ("参见：", "See also:")],
        "{rows:#?}"
    );
    assert!(
        pairs(&rows).contains(&("```rust,editable", "```rust,editable")),
        "the code with translated comments is paired: {rows:#?}"
    );
    assert!(
        rows.iter()
            .any(|r| r.kind == "Quote" && r.zh.starts_with("译注") && r.en == "-"),
        "{rows:#?}"
    );
}

#[test]
fn listings_rewrapped_in_html_are_still_shown_once() {
    // The source wraps listings in `<Listing …>`; the translation keeps the old
    // `<span class="filename">` and `<span class="caption">` paragraphs.
    let rows = aligned("align-listing-wrapper");
    let code = code_rows(&rows);
    assert_eq!(code.len(), 3, "{rows:#?}");
    assert!(code.iter().all(|r| r.shared), "{code:#?}");
    assert_eq!(
        headings(&rows),
        [
            ("处理一次猜测", "Processing a Guess"),
            ("生成一个秘密数字", "Generating a Secret Number"),
        ]
    );
    // Prose pairs with prose; the wrappers and captions stand alone.
    for (zh, en) in pairs(&rows) {
        assert_eq!(
            zh.starts_with('<'),
            en.starts_with('<'),
            "{zh} / {en}: {rows:#?}"
        );
    }
    let prose = pairs(&rows)
        .into_iter()
        .filter(|(zh, _)| !zh.starts_with('<'))
        .count();
    assert_eq!(prose, 7, "{rows:#?}");
}

#[test]
fn raw_html_pairs_only_with_the_same_tags() {
    // A comment only the source has and an old anchor only the translation kept sit at the
    // same place: different tags, so both stand alone; the two warnings pair.
    let rows = aligned("align-html-tags");
    let html: Vec<&Row> = rows.iter().filter(|r| r.kind == "Html").collect();
    assert_eq!(html.len(), 3, "{rows:#?}");
    assert!(
        html.iter()
            .any(|r| r.zh == "<div class=\"warning\">" && r.en == r.zh && !r.shared),
        "the warnings pair: {rows:#?}"
    );
    assert!(
        html.iter()
            .any(|r| r.zh == "-" && r.en == "<!-- manual-regeneration"),
        "{rows:#?}"
    );
    assert!(
        html.iter()
            .any(|r| r.zh == "<div id=\"the-old-heading\"></div>" && r.en == "-"),
        "{rows:#?}"
    );
    assert_eq!(
        pairs(&rows).len(),
        5,
        "heading, three paragraphs, the warning: {rows:#?}"
    );
}

#[test]
fn split_and_merged_paragraphs_pair_as_groups() {
    // The translation merged two paragraphs and split one.
    let rows = aligned("align-split-merged");
    let para: Vec<(&str, &str)> = pairs(&rows)
        .into_iter()
        .filter(|(zh, _)| !zh.starts_with("读取"))
        .collect();
    assert_eq!(para.len(), 3, "{rows:#?}");
    assert!(para[0].0.starts_with("现在我们要") && para[0].1.starts_with("Now we'll"));
    assert!(para[1].0.starts_with("代码应当") && para[1].1.starts_with("The code should"));
    assert!(para[2].0.starts_with("在这些代码") && para[2].1.starts_with("After that"));
    assert!(
        rows.iter().all(|r| r.zh != "-" && r.en != "-"),
        "nothing left alone: {rows:#?}"
    );
}
