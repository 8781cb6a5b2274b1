//! An mdBook-style `SUMMARY.md` at the content root: a table of contents, not a page. The
//! order of its links becomes the order of the book.

use std::path::{Path, PathBuf};

use crate::content::discover::SourceFiles;
use crate::content::page::LoadedPage;
use crate::content::slug::is_index_key;
use crate::text::read_text;

/// Takes `SUMMARY.md` out of the pages and returns the page keys (paths without `.md`) it
/// links to, in the order they are linked.
pub(crate) fn take_summary(pages: &mut Vec<SourceFiles>) -> Option<Vec<PathBuf>> {
    let at = pages.iter().position(|s| s.key == Path::new("SUMMARY"))?;
    let source = pages.remove(at);
    let file = source.files.iter().flatten().next()?;
    let text = read_text(file).ok()?;
    let mut order = Vec::new();
    for event in pulldown_cmark::Parser::new_ext(&text, crate::commonmark::parser_options()) {
        if let pulldown_cmark::Event::Start(pulldown_cmark::Tag::Link { dest_url, .. }) = event {
            let path = dest_url.split('#').next().unwrap_or("");
            if let Some(target) = path
                .strip_suffix(".md")
                .and_then(|p| crate::links::resolve_target(Path::new("SUMMARY.md"), p))
            {
                if !order.contains(&target) {
                    order.push(target);
                }
            }
        }
    }
    Some(order)
}

/// Pages without a weight of their own take their place in `SUMMARY.md`; pages it does not
/// list come after those it does. A folder's own page matches a link to any of the folder's
/// index names (`README.md` in the summary, `_index.md` on disk).
pub(crate) fn apply_summary_order(pages: &mut [LoadedPage], order: &[PathBuf]) {
    for lp in pages.iter_mut().filter(|lp| lp.front.weight.is_none()) {
        let key = &lp.source.key;
        let index_of_folder = is_index_key(key);
        let found = order.iter().position(|k| {
            k == key || (index_of_folder && k.parent() == key.parent() && is_index_key(k))
        });
        lp.page.weight = found.map_or(i64::from(u32::MAX), |i| i as i64 + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::frontmatter::FrontMatter;
    use crate::model::{Page, Sources};

    fn page(key: &str, weight: Option<i64>) -> LoadedPage {
        LoadedPage {
            source: SourceFiles {
                key: PathBuf::from(key),
                files: [None, None],
            },
            front: FrontMatter {
                weight,
                ..FrontMatter::default()
            },
            po_used: Vec::new(),
            po_unpaired: Vec::new(),
            page: Page {
                titles: [String::new(), String::new()],
                description: String::new(),
                path: String::new(),
                weight: weight.unwrap_or(0),
                sources: Sources {
                    files: [PathBuf::new(), PathBuf::new()],
                },
                segments: Vec::new(),
                fuzzy: Vec::new(),
                definitions: Default::default(),
            },
        }
    }

    #[test]
    fn summary_order_matches_folder_pages_by_any_index_name() {
        let order: Vec<PathBuf> = ["b/README", "b/intro", "a/index"]
            .iter()
            .map(PathBuf::from)
            .collect();
        let mut pages = vec![
            page("a/_index", None),
            page("b/_index", None),
            page("b/intro", None),
            page("b/other", None),
            page("b/weighted", Some(7)),
        ];
        apply_summary_order(&mut pages, &order);
        let weights: Vec<i64> = pages.iter().map(|p| p.page.weight).collect();
        assert_eq!(weights, [3, 1, 2, i64::from(u32::MAX), 7]);
    }
}
