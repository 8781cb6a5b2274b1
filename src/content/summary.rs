//! An mdBook-style `SUMMARY.md` at the content root: a table of contents, not a page. The
//! order of its links becomes the order of the book.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::content::discover::SourceFiles;
use crate::content::page::LoadedPage;
use crate::content::slug::is_index_key;
use crate::text::read_text;

/// What `SUMMARY.md` says: the order of the pages it links to, and each language's name for
/// them (the link's text, as written).
#[derive(Debug, Default)]
pub(crate) struct Summary {
    pub(crate) order: Vec<PathBuf>,
    /// Page key → link text, per language (a mirrored translation has its own summary).
    pub(crate) titles: [HashMap<PathBuf, String>; 2],
}

/// Takes `SUMMARY.md` out of the pages and returns the page keys (paths without `.md`) it
/// links to, in the order they are linked (the primary language's, when both have one), with
/// each language's link texts.
pub(crate) fn take_summary(pages: &mut Vec<SourceFiles>) -> Option<Summary> {
    let at = pages.iter().position(|s| s.key == Path::new("SUMMARY"))?;
    let source = pages.remove(at);
    let mut summary = Summary::default();
    let mut ordered = false;
    for (side, file) in source.files.iter().enumerate() {
        let Some(text) = file.as_ref().and_then(|f| read_text(f).ok()) else {
            continue;
        };
        for (target, label) in links(&text) {
            if !ordered && !summary.order.contains(&target) {
                summary.order.push(target.clone());
            }
            summary.titles[side].entry(target).or_insert(label);
        }
        ordered = true;
    }
    ordered.then_some(summary)
}

/// The page keys `text` links to, with each link's text as written.
fn links(text: &str) -> Vec<(PathBuf, String)> {
    let mut out = Vec::new();
    let parser = pulldown_cmark::Parser::new_ext(text, crate::commonmark::parser_options());
    for (event, range) in parser.into_offset_iter() {
        if let pulldown_cmark::Event::Start(pulldown_cmark::Tag::Link { dest_url, .. }) = event {
            let path = dest_url.split('#').next().unwrap_or("");
            let Some(target) = path
                .strip_suffix(".md")
                .and_then(|p| crate::links::resolve_target(Path::new("SUMMARY.md"), p))
            else {
                continue;
            };
            let raw = text.get(range).unwrap_or("");
            let label = raw
                .strip_prefix('[')
                .and_then(|r| r.rfind("](").map(|i| &r[..i]))
                .unwrap_or("")
                .trim();
            out.push((target, label.to_string()));
        }
    }
    out
}

/// A link text as a title: Markdown's code and emphasis marks left out.
pub(crate) fn plain(label: &str) -> String {
    label.replace(['`', '*'], "").trim().to_string()
}

/// The summary's key for a page: its own, or for a folder's own page any of the folder's
/// index names.
fn summary_key<'a>(keys: impl Iterator<Item = &'a PathBuf>, key: &Path) -> Option<&'a PathBuf> {
    let index_of_folder = is_index_key(key);
    keys.into_iter()
        .find(|k| *k == key || (index_of_folder && k.parent() == key.parent() && is_index_key(k)))
}

/// Each page `SUMMARY.md` names gets that name in navigation (mdBook's sidebar), in each
/// language whose summary names it; `translate` gives a language without a summary its
/// name from the other's (a PO catalog). Names equal to the page's title change nothing.
pub(crate) fn apply_summary_titles(
    pages: &mut [LoadedPage],
    summary: &Summary,
    translate: &dyn Fn(crate::lang::Side, &str) -> Option<String>,
) {
    use crate::lang::Side;
    for lp in pages.iter_mut() {
        let key = lp.source.key.clone();
        let mut nav = lp.page.titles.clone();
        let mut named = false;
        for side in Side::BOTH {
            let own = summary.titles[side.index()]
                .get(summary_key(summary.titles[side.index()].keys(), &key).unwrap_or(&key))
                .map(|l| plain(l));
            let from_other = || {
                let other = &summary.titles[side.other().index()];
                let label = other.get(summary_key(other.keys(), &key)?)?;
                translate(side, label).map(|t| plain(&t))
            };
            if let Some(name) = own.or_else(from_other).filter(|n| !n.is_empty()) {
                nav[side.index()] = name;
                named = true;
            }
        }
        if named && nav != lp.page.titles {
            lp.page.nav = Some(nav);
        }
    }
}

/// Pages without a weight of their own take their place in `SUMMARY.md`; pages it does not
/// list come after those it does. A folder's own page matches a link to any of the folder's
/// index names (`README.md` in the summary, `_index.md` on disk).
pub(crate) fn apply_summary_order(pages: &mut [LoadedPage], order: &[PathBuf]) {
    for lp in pages.iter_mut().filter(|lp| lp.front.weight.is_none()) {
        let found = summary_key(order.iter(), &lp.source.key)
            .and_then(|k| order.iter().position(|o| o == k));
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
                nav: None,
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
