//! Properties of the parsers and resolvers over generated input (proptest, on stable Rust):
//! no panic, nothing lost, nothing escapes.

use std::path::Path;

use diglot::bilingual::align::{align, document_segments};
use diglot::bilingual::parallel::split;
use diglot::content::frontmatter;
use diglot::content::slug::url_slug;
use diglot::lang::{Languages, Side};
use diglot::links::LinkTargets;
use diglot::markdown::{render, LinkContext};
use diglot::model::Segment;
use proptest::prelude::*;

fn letters(text: &str) -> Vec<char> {
    let mut v: Vec<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    v.sort_unstable();
    v
}

fn segment_text(segs: &[Segment]) -> String {
    segs.iter()
        .flat_map(|s| s.contents())
        .flat_map(|c| {
            Side::BOTH
                .into_iter()
                .filter_map(move |s| c.side(s))
                .map(|t| t.md.clone())
                .take(if matches!(c, diglot::model::Content::Shared(_)) {
                    1
                } else {
                    2
                })
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Lines a bilingual guide is made of.
fn line() -> impl Strategy<Value = String> {
    prop_oneof![
        "[一-龥]{1,12}。?".prop_map(|s| s),
        "[A-Za-z]{1,8}( [a-z]{1,8}){0,6}\\.?".prop_map(|s| s),
        ("[一-龥]{1,6}", "[A-Za-z]{1,8}").prop_map(|(z, e)| format!("## {z} | {e}")),
        ("[一-龥]{1,6}", "[A-Za-z]{1,8}").prop_map(|(z, e)| format!("- {z}\n  {e}")),
        "[一-龥]{1,4}".prop_map(|z| format!("- {z}")),
        Just(String::new()),
        Just("```\ncode\n```".to_string()),
        "[a-z]{1,6}".prop_map(|w| format!("> {w} 引用")),
    ]
}

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec(line(), 0..40).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn front_matter_splitting_never_panics_and_keeps_the_body(text in "(\\+\\+\\+\n)?[ -~\n一-龥]{0,200}(\n\\+\\+\\+\n)?[ -~\n]{0,50}") {
        let (split, _) = frontmatter::split(Path::new("a.md"), &text);
        if let Some(s) = split {
            prop_assert!(text.ends_with(s.body));
            prop_assert!(s.body_line >= 1);
        }
    }

    #[test]
    fn the_parallel_splitter_keeps_every_letter_once(md in document()) {
        let segs = split(&md, 1, &Languages::default());
        prop_assert_eq!(letters(&segment_text(&segs)), letters(&md));
        // Blocks come out in the order they were written.
        let firsts: Vec<usize> = segs.iter().filter_map(|s| s.contents().flat_map(|c| Side::BOTH.into_iter().filter_map(move |sd| c.side(sd)).map(|t| t.line)).min()).collect();
        prop_assert!(firsts.windows(2).all(|w| w[0] <= w[1]), "{:?}", firsts);
    }

    #[test]
    fn the_aligner_keeps_every_block_once_in_order(zh in prop::collection::vec(line(), 0..30), en in prop::collection::vec(line(), 0..30)) {
        let (a, b) = (zh.join("\n\n"), en.join("\n\n"));
        let pa = document_segments(&a, 1, Side::Primary);
        let pb = document_segments(&b, 1, Side::Secondary);
        let count = |segs: &[Segment], side: Side| segs.iter().flat_map(|s| s.contents()).filter(|c| c.side(side).is_some()).count();
        let (na, nb) = (count(&pa, Side::Primary), count(&pb, Side::Secondary));
        let aligned = align(pa, pb);
        // A shared block (identical code) carries the primary document's line: leave it out.
        let lines = |side: Side| -> Vec<usize> {
            aligned.iter().flat_map(|s| s.contents()).filter(|c| !matches!(c, diglot::model::Content::Shared(_))).filter_map(|c| c.side(side)).map(|t| t.line).collect()
        };
        let text = |side: Side| -> String { aligned.iter().flat_map(|s| s.contents()).filter_map(|c| c.side(side)).map(|t| t.md.clone()).collect::<Vec<_>>().join("\n") };
        prop_assert!(lines(Side::Primary).windows(2).all(|w| w[0] <= w[1]));
        prop_assert!(lines(Side::Secondary).windows(2).all(|w| w[0] <= w[1]));
        prop_assert!(count(&aligned, Side::Primary) <= na && count(&aligned, Side::Secondary) <= nb);
        prop_assert_eq!(letters(&text(Side::Primary)).len() + letters(&text(Side::Secondary)).len() >= letters(&a).len().min(letters(&b).len()), true);
        prop_assert_eq!(letters(&text(Side::Primary)), letters(&segment_text(&document_segments(&a, 1, Side::Primary))));
        prop_assert_eq!(letters(&text(Side::Secondary)), letters(&segment_text(&document_segments(&b, 1, Side::Secondary))));
    }

    #[test]
    fn rendered_links_never_run_script(scheme in "(?i)(javascript|vbscript|data|java\tscript|jav&#x09;ascript|&#106;avascript| javascript)", rest in "[:a-z(1)/;,]{0,20}", text in "[a-z ]{0,10}") {
        let md = format!("[{text}]({scheme}:{rest}) <{scheme}:{rest}> [r][ref]\n\n[ref]: {scheme}:{rest}\n");
        let targets = LinkTargets::default();
        let html = render(&md, &LinkContext { targets: &targets, file: Path::new("/c/a.md"), line: 1 }, &mut Vec::new()).to_lowercase();
        prop_assert!(!html.contains("href=\"javascript:") && !html.contains("href=\"vbscript:") && !html.contains("href=\"data:text"), "{}", html);
    }

    #[test]
    fn slugs_never_leave_their_folder(name in "\\PC{0,30}") {
        let slug = url_slug(&name);
        prop_assert!(!slug.is_empty());
        prop_assert!(!slug.contains(['/', '\\']) && slug != ".." && !slug.starts_with('.'), "{}", slug);
    }

    #[test]
    fn request_paths_never_leave_the_site(path in "[a-z./%\\\\2eEfF0-9]{0,30}") {
        if let Some(key) = diglot::serve::site_path(&path) {
            prop_assert!(!key.starts_with('/') && !key.contains('\\'));
            prop_assert!(key.split('/').all(|seg| seg != ".." && seg != "." && !seg.starts_with('.')), "{}", key);
        }
    }
}
