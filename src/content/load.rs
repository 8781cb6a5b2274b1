//! Turning discovered files into the book model: each page read (or reused from the cache),
//! ordered by `SUMMARY.md` when there is one, assembled into home, phases and loose pages
//! with their URLs, and its checklists extracted.

use std::path::PathBuf;

use crate::config::Config;
use crate::content::assemble::assemble;
use crate::content::cache::read_pages;
use crate::content::discover::discover;
use crate::content::summary::{apply_summary_order, take_summary};
use crate::diagnostics::Diagnostic;
use crate::links::LinkTargets;
use crate::model::Book;

pub(crate) use crate::content::cache::PageCache;

/// The loaded book and what rendering needs to resolve links.
#[derive(Debug)]
pub(crate) struct Loaded {
    pub(crate) book: Book,
    /// The checklist items of every phase.
    pub checklists: crate::checklist::Checklists,
    pub(crate) links: LinkTargets,
    /// Static files to copy: absolute source and site path.
    pub assets: Vec<(PathBuf, PathBuf)>,
    /// Which pairs are behind their source (filled in once the book is loaded).
    pub(crate) translation: crate::translation::Status,
}

/// Reads the whole book (once: nothing is kept for a later load).
pub(crate) fn load(config: &Config) -> (Option<Loaded>, Vec<Diagnostic>) {
    load_with(config, None)
}

/// Reads the book, reusing from `cache` every page whose files did not change.
pub(crate) fn load_cached(
    config: &Config,
    cache: &mut PageCache,
) -> (Option<Loaded>, Vec<Diagnostic>) {
    load_with(config, Some(cache))
}

fn load_with(config: &Config, cache: Option<&mut PageCache>) -> (Option<Loaded>, Vec<Diagnostic>) {
    let (mut found, mut diags) = discover(config);
    let summary = take_summary(&mut found.pages);
    let mut pages = read_pages(&found.pages, config, cache, &mut diags);
    if let Some(order) = summary {
        apply_summary_order(&mut pages, &order);
    }
    let (book, mut links) = assemble(pages, config, &mut diags);
    links.assets = found.assets.iter().map(|(_, rel)| rel.clone()).collect();
    let (checklists, checklist_diags) =
        crate::checklist::extract(&book, &config.lead_ins, &config.root);
    diags.extend(checklist_diags);
    (
        Some(Loaded {
            checklists,
            book,
            links,
            assets: found.assets,
            translation: Default::default(),
        }),
        diags,
    )
}
