//! Turning discovered files into the book model: each page read (or reused from the cache),
//! ordered by `SUMMARY.md` when there is one, assembled into home, phases and loose pages
//! with their URLs, and its checklists extracted.

use std::path::PathBuf;

use crate::config::Config;
use crate::content::assemble::assemble;
use crate::content::cache::read_pages;
use crate::content::discover::discover;
use crate::content::summary::{apply_summary_order, apply_summary_titles, take_summary, Summary};
use crate::diagnostics::Diagnostic;
use crate::lang::Side;
use crate::links::LinkTargets;
use crate::model::Book;
use crate::po::Catalog;

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
    /// A gettext book's catalog, counted.
    pub(crate) po: Option<PoSummary>,
}

/// A PO file's messages counted: as `msgfmt --statistics` does, and how many translated
/// ones the book's pages show as pairs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PoSummary {
    pub(crate) file: PathBuf,
    /// Translated (not fuzzy), fuzzy, untranslated.
    pub(crate) statistics: [usize; 3],
    /// Translated, not fuzzy, and found in a page.
    pub(crate) matched: usize,
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
    let catalog = config.po.as_ref().and_then(|po| {
        let (catalog, found) = Catalog::load(&po.file);
        diags.extend(found);
        catalog
    });
    let mut pages = read_pages(&found.pages, config, catalog.as_ref(), cache, &mut diags);
    let po = catalog.as_ref().map(|catalog| {
        let toc = config.content_dir(Side::Primary).join("SUMMARY.md");
        let (found, unmatched) = po_summary(catalog, &pages, summary.as_ref(), &toc);
        diags.extend(unmatched);
        found
    });
    if let Some(summary) = &summary {
        apply_summary_order(&mut pages, &summary.order);
        // A translated message names the page in the PO's language.
        let translate = |side: Side, label: &str| {
            let (catalog, po) = catalog.as_ref().zip(config.po.as_ref())?;
            let (_, e) = catalog.lookup(label).filter(|_| po.side == side)?;
            (e.is_translated() && !e.is_fuzzy()).then(|| e.msgstr.clone())
        };
        apply_summary_titles(&mut pages, summary, &translate);
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
            po,
        }),
        diags,
    )
}

/// The catalog counted, and a warning for each translated message whose msgid no page has
/// any more (the source changed and the catalog was not merged), at its line.
fn po_summary(
    catalog: &Catalog,
    pages: &[crate::content::page::LoadedPage],
    summary: Option<&Summary>,
    summary_file: &std::path::Path,
) -> (PoSummary, Vec<Diagnostic>) {
    // Which entries the pages name, one flag per entry.
    let flags = |of: &dyn Fn(&crate::content::page::LoadedPage) -> &Vec<usize>| {
        let mut set = vec![false; catalog.entries.len()];
        for i in pages.iter().flat_map(of) {
            if let Some(u) = set.get_mut(*i) {
                *u = true;
            }
        }
        set
    };
    let mut used = flags(&|p| &p.po_used);
    let mut one_sided = flags(&|p| &p.po_unpaired);
    // `mdbook-xgettext` extracts the table of contents too: a chapter's name in the sidebar
    // is shown as a pair when its page exists; a part's title is not shown, but no mismatch.
    let keys: std::collections::HashSet<&std::path::Path> =
        pages.iter().map(|p| p.source.key.as_path()).collect();
    for side in summary.map_or(&[][..], |s| &s.titles[..]) {
        for (key, label) in side {
            if let Some((i, _)) = catalog.lookup(label) {
                if keys.contains(key.as_path()) && !used[i] {
                    used[i] = true;
                    one_sided[i] = false;
                }
            }
        }
    }
    let matched = catalog
        .entries
        .iter()
        .enumerate()
        .filter(|(i, e)| {
            used[*i] && !one_sided[*i] && !e.obsolete && e.is_translated() && !e.is_fuzzy()
        })
        .count();
    let toc = std::fs::read_to_string(summary_file).unwrap_or_default();
    for (_, msgid) in crate::po::messages(&toc) {
        if let Some((i, _)) = catalog.lookup(&msgid) {
            used[i] = true;
        }
    }
    let found = PoSummary {
        file: catalog.path.clone(),
        statistics: catalog.statistics(),
        matched,
    };
    let unmatched = catalog
        .entries
        .iter()
        .enumerate()
        .filter(|(i, e)| !used[*i] && !e.obsolete && !e.is_header() && e.is_translated())
        .map(|(i, e)| {
            let words: String = e.msgid.split_whitespace().take(8).collect::<Vec<_>>().join(" ");
            Diagnostic::warning(
                &catalog.path,
                catalog.at(i),
                format!(
                    "msgid `{}` matches no block of the book: its source text changed or was removed",
                    crate::diagnostics::terminal_safe(&words, false)
                ),
            )
            .with_hint("update the catalog from the source (`diglot po export` then `msgmerge`), or remove the entry")
        })
        .collect();
    (found, unmatched)
}
