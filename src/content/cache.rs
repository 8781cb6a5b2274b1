//! Pages read by an earlier load, reused while their files are unchanged, so that a preview
//! rebuild reads only what was edited.

use std::collections::HashMap;
use std::path::PathBuf;

use rayon::prelude::*;

use crate::config::Config;
use crate::content::discover::SourceFiles;
use crate::content::includes::{stamp, IncludeScope, Stamp};
use crate::content::page::{load_page, LoadedPage};
use crate::diagnostics::Diagnostic;
use crate::po::Catalog;

/// What a page's files looked like when read: path, size and modification time of each
/// (the files its includes read are kept beside it).
type Fingerprint = [Option<(PathBuf, u64, Option<std::time::SystemTime>)>; 2];

fn fingerprint(source: &SourceFiles) -> Fingerprint {
    source.files.clone().map(|f| {
        f.map(|path| {
            let meta = std::fs::metadata(&path).ok();
            let len = meta.as_ref().map_or(0, |m| m.len());
            let modified = meta.and_then(|m| m.modified().ok());
            (path, len, modified)
        })
    })
}

/// Whether every file a page's includes read (or looked for) is as it was.
fn includes_unchanged(included: &[Stamp]) -> bool {
    included.iter().all(|s| stamp(&s.0) == *s)
}

/// Pages read by an earlier load, reused while their files are unchanged, so that a
/// preview rebuild reads only what was edited.
#[derive(Debug, Default)]
pub(crate) struct PageCache {
    entries: HashMap<PathBuf, CachedPage>,
    /// How many pages the last load read from disk (the rest came from the cache).
    pub last_read: usize,
}

#[derive(Debug)]
struct CachedPage {
    fingerprint: Fingerprint,
    /// The files its includes read, as they were then.
    included: Vec<Stamp>,
    page: Option<LoadedPage>,
    diags: Vec<Diagnostic>,
}

/// Reads every page (in parallel), or takes it from `cache` when its files did not change.
/// Returns the pages that are not drafts, in the order of `sources`; their diagnostics are
/// added to `diags` in the same order. With a cache, the cache then holds exactly these
/// pages.
pub(crate) fn read_pages(
    sources: &[SourceFiles],
    config: &Config,
    catalog: Option<&Catalog>,
    cache: Option<&mut PageCache>,
    diags: &mut Vec<Diagnostic>,
) -> Vec<LoadedPage> {
    let previous = cache.as_deref().map(|c| &c.entries);
    let scope = IncludeScope::of(config);
    let results: Vec<(CachedPage, bool)> = sources
        .par_iter()
        .map(|s| read_or_reuse(s, config, catalog, &scope, previous))
        .collect();
    let read = results.iter().filter(|(_, read)| *read).count();
    let mut entries = HashMap::with_capacity(if cache.is_some() { results.len() } else { 0 });
    let mut pages = Vec::with_capacity(results.len());
    for (source, (mut cached, _)) in sources.iter().zip(results) {
        diags.extend(cached.diags.iter().cloned());
        // A one-off load moves its pages into the book; a cached one keeps a copy.
        let page = match cache {
            Some(_) => cached.page.clone(),
            None => cached.page.take(),
        };
        if let Some(p) = page.filter(|p| !p.front.draft || config.drafts) {
            pages.push(p);
        }
        if cache.is_some() {
            entries.insert(source.key.clone(), cached);
        }
    }
    if let Some(cache) = cache {
        cache.entries = entries;
        cache.last_read = read;
    }
    pages
}

impl PageCache {
    /// The folders holding files the cached pages include (or looked for), as written.
    pub(crate) fn included_dirs(&self) -> Vec<PathBuf> {
        let mut dirs: Vec<PathBuf> = self
            .entries
            .values()
            .flat_map(|c| c.included.iter())
            .filter_map(|(path, _, _)| path.parent().map(PathBuf::from))
            .collect();
        dirs.sort();
        dirs.dedup();
        dirs
    }
}

/// One page from the previous load if its files are unchanged, else read afresh; `true`
/// when it was read.
fn read_or_reuse(
    source: &SourceFiles,
    config: &Config,
    catalog: Option<&Catalog>,
    scope: &IncludeScope,
    previous: Option<&HashMap<PathBuf, CachedPage>>,
) -> (CachedPage, bool) {
    let fingerprint = if previous.is_some() {
        fingerprint(source)
    } else {
        Fingerprint::default()
    };
    match previous.and_then(|entries| entries.get(&source.key)) {
        Some(c) if c.fingerprint == fingerprint && includes_unchanged(&c.included) => (
            CachedPage {
                fingerprint,
                included: c.included.clone(),
                page: c.page.clone(),
                diags: c.diags.clone(),
            },
            false,
        ),
        _ => {
            let (page, diags, included) = load_page(source, config, catalog, scope);
            (
                CachedPage {
                    fingerprint,
                    included,
                    page,
                    diags,
                },
                true,
            )
        }
    }
}
