//! Building the book from its pages: the home page, loose pages at the root, and phases (the
//! top-level folders), each in order and each with its URL.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::config::Config;
use crate::content::discover::SourceFiles;
use crate::content::frontmatter::FrontMatter;
use crate::content::page::LoadedPage;
use crate::content::slug::{is_index_key, order_prefix, url_slug};
use crate::content::titles::humanize;
use crate::content::urls::{check_reserved, custom_slug, page_slug, UrlTable};
use crate::diagnostics::Diagnostic;
use crate::lang::Side;
use crate::links::LinkTargets;
use crate::model::{Book, Page, Phase, Sources};

/// The pages sorted by where they sit in the content tree.
#[derive(Default)]
struct Grouped {
    /// The root's own page (`_index.md`, `index.md` or `README.md`).
    home: Option<Page>,
    /// Pages at the root.
    loose: Vec<LoadedPage>,
    /// Each top-level folder: its own page, if it has one, and everything else under it.
    phases: BTreeMap<String, (Option<LoadedPage>, Vec<LoadedPage>)>,
}

/// Places pages into home, phases and loose pages, orders them and gives them URLs.
pub(crate) fn assemble(
    pages: Vec<LoadedPage>,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> (Book, LinkTargets) {
    let grouped = group_by_place(pages);
    let mut urls = UrlTable::new(config);
    let mut home = grouped.home.unwrap_or_else(|| default_home(config));
    urls.place_home(&mut home);
    let loose = place_loose(grouped.loose, config, &mut urls, diags);
    let phases = place_phases(grouped.phases, config, &mut urls, diags);
    (
        Book {
            home,
            phases,
            loose,
        },
        urls.into_links(),
    )
}

/// The parts of a page key (`design/api/01-intro` → `design`, `api`, `01-intro`).
fn key_parts(key: &std::path::Path) -> Vec<String> {
    key.components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect()
}

fn group_by_place(pages: Vec<LoadedPage>) -> Grouped {
    let mut grouped = Grouped::default();
    for p in pages {
        let parts = key_parts(&p.source.key);
        let is_index = is_index_key(&p.source.key);
        match parts.len() {
            1 if is_index => grouped.home = Some(p.page),
            1 => grouped.loose.push(p),
            _ => {
                let entry = grouped.phases.entry(parts[0].clone()).or_default();
                if is_index && parts.len() == 2 {
                    entry.0 = Some(p);
                } else {
                    entry.1.push(p);
                }
            }
        }
    }
    // mdBook keeps a chapter as `basics.md` beside its sub-chapters' folder `basics/`: the
    // file is the folder's own page.
    for (dir, entry) in grouped.phases.iter_mut() {
        if entry.0.is_none() {
            let own = grouped
                .loose
                .iter()
                .position(|p| key_parts(&p.source.key) == [dir.clone()]);
            if let Some(i) = own {
                entry.0 = Some(grouped.loose.remove(i));
            }
        }
    }
    grouped
}

/// A book without a home page gets an empty one titled and described by `book.toml`.
fn default_home(config: &Config) -> Page {
    let file = config.content_dir(Side::Primary).join("_index.md");
    Page {
        titles: config.title.clone(),
        description: config.description.clone(),
        path: String::new(),
        weight: 0,
        sources: Sources {
            files: [file.clone(), file],
        },
        segments: Vec::new(),
        definitions: Default::default(),
        fuzzy: Vec::new(),
        nav: None,
    }
}

/// Root pages, in order, each at `/<slug>/`.
fn place_loose(
    mut loose: Vec<LoadedPage>,
    config: &Config,
    urls: &mut UrlTable,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Page> {
    sort_pages(&mut loose);
    let mut placed = Vec::new();
    for mut lp in loose {
        let slug = page_slug(&lp, diags);
        check_reserved(&slug, &lp, config, diags);
        urls.place(&mut lp, format!("{slug}/"), diags);
        placed.push(lp.page);
    }
    placed
}

/// Phases in order (their own page's weight, else the folder's number, then the name), each
/// with its pages.
fn place_phases(
    phases: BTreeMap<String, (Option<LoadedPage>, Vec<LoadedPage>)>,
    config: &Config,
    urls: &mut UrlTable,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Phase> {
    let mut ordered: Vec<(String, Option<LoadedPage>, Vec<LoadedPage>)> =
        phases.into_iter().map(|(d, (i, p))| (d, i, p)).collect();
    ordered.sort_by_key(|(dir, index, _)| {
        (
            index
                .as_ref()
                .map(|i| i.page.weight)
                .or_else(|| order_prefix(dir))
                .unwrap_or(0),
            dir.clone(),
        )
    });
    ordered
        .into_iter()
        .map(|(dir, index, members)| place_phase(&dir, index, members, config, urls, diags))
        .collect()
}

/// One phase: its own page at `/<slug>/` (made up when the folder has none), then its pages
/// under it.
fn place_phase(
    dir: &str,
    index: Option<LoadedPage>,
    mut members: Vec<LoadedPage>,
    config: &Config,
    urls: &mut UrlTable,
    diags: &mut Vec<Diagnostic>,
) -> Phase {
    let slug = match &index {
        Some(i) => custom_slug(i, diags).unwrap_or_else(|| url_slug(dir)),
        None => url_slug(dir),
    };
    let mut index = index.unwrap_or_else(|| synthetic_index(dir, config));
    check_reserved(&slug, &index, config, diags);
    urls.place(&mut index, format!("{slug}/"), diags);
    sort_pages(&mut members);
    let mut pages = Vec::new();
    for mut lp in members {
        let path = phase_page_path(&slug, &lp, diags);
        urls.place(&mut lp, path, diags);
        pages.push(lp.page);
    }
    Phase {
        index: index.page,
        slug,
        pages,
    }
}

/// A page's URL inside its phase: the phase's slug, each folder's slug, then the page's own
/// (nothing for a folder's own page).
fn phase_page_path(phase_slug: &str, lp: &LoadedPage, diags: &mut Vec<Diagnostic>) -> String {
    let parts = key_parts(&lp.source.key);
    // Computed for a folder's own page too, so that a bad `slug` there is still reported.
    let own = page_slug(lp, diags);
    let mut path = format!("{phase_slug}/");
    for folder in &parts[1..parts.len() - 1] {
        path.push_str(&url_slug(folder));
        path.push('/');
    }
    if !is_index_key(&lp.source.key) {
        path.push_str(&own);
        path.push('/');
    }
    path
}

/// The page of a phase folder without `_index.md`: titled after the folder, empty.
fn synthetic_index(dir: &str, config: &Config) -> LoadedPage {
    let name = humanize(dir);
    let file = config
        .content_dir(Side::Primary)
        .join(dir)
        .join("_index.md");
    LoadedPage {
        source: SourceFiles {
            key: PathBuf::from(dir).join("_index"),
            files: [None, None],
        },
        front: FrontMatter::default(),
        page: Page {
            titles: [name.clone(), name],
            description: String::new(),
            path: String::new(),
            weight: order_prefix(dir).unwrap_or(0),
            sources: Sources {
                files: [file.clone(), file],
            },
            segments: Vec::new(),
            definitions: Default::default(),
            fuzzy: Vec::new(),
            nav: None,
        },
        po_used: Vec::new(),
        po_unpaired: Vec::new(),
    }
}

/// By weight, then by key.
fn sort_pages(pages: &mut [LoadedPage]) {
    pages.sort_by(|a, b| (a.page.weight, &a.source.key).cmp(&(b.page.weight, &b.source.key)));
}
