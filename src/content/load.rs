//! Turning discovered files into the book model: front matter, pairing, titles, order, URLs.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::bilingual::align::{align, document_segments};
use crate::bilingual::parallel;
use crate::config::Config;
use crate::content::discover::{discover, SourceFiles};
use crate::content::frontmatter::{self, FrontMatter, TitleValue};
use crate::content::slug::{custom_slug_problem, order_prefix, url_slug};
use crate::diagnostics::{shown, Diagnostic, Location};
use crate::lang::{Languages, Side};
use crate::links::LinkTargets;
use crate::model::{BlockKind, Book, Content, Page, Phase, Segment, Sources, Titles};
use crate::script::split_bilingual;
use crate::text::read_text;

/// The loaded book and what rendering needs to resolve links.
#[derive(Debug)]
pub struct Loaded {
    pub book: Book,
    /// The checklist items of every phase.
    pub checklists: crate::checklist::Checklists,
    pub links: LinkTargets,
    /// Static files to copy: absolute source and site path.
    pub assets: Vec<(PathBuf, PathBuf)>,
}

/// A page as read, before it is placed in the book.
#[derive(Debug, Clone)]
struct LoadedPage {
    source: SourceFiles,
    front: FrontMatter,
    page: Page,
}

/// An mdBook-style `SUMMARY.md` at the content root is a table of contents, not a page: it
/// is taken out of the pages, and the order of its links becomes the order of the book.
/// Returns page keys (paths without `.md`) in the order they are linked.
fn take_summary(pages: &mut Vec<SourceFiles>) -> Option<Vec<PathBuf>> {
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
/// list come after those it does.
fn apply_summary_order(pages: &mut [LoadedPage], order: &[PathBuf]) {
    for lp in pages.iter_mut().filter(|lp| lp.front.weight.is_none()) {
        let index_of_folder = lp
            .source
            .key
            .file_name()
            .is_some_and(|n| n == "_index" || n == "index" || n == "README");
        let found = order.iter().position(|k| {
            *k == lp.source.key
                || (index_of_folder
                    && k.parent() == lp.source.key.parent()
                    && k.file_name()
                        .is_some_and(|n| n == "README" || n == "index" || n == "_index"))
        });
        lp.page.weight = found.map_or(i64::from(u32::MAX), |i| i as i64 + 1);
    }
}

/// What a page's files looked like when read: path, size and modification time of each.
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

/// Pages read by an earlier load, reused while their files are unchanged, so that a
/// preview rebuild reads only what was edited.
#[derive(Debug, Default)]
pub struct PageCache {
    entries: HashMap<PathBuf, CachedPage>,
    /// How many pages the last load read from disk (the rest came from the cache).
    pub last_read: usize,
}

#[derive(Debug)]
struct CachedPage {
    fingerprint: Fingerprint,
    page: Option<LoadedPage>,
    diags: Vec<Diagnostic>,
}

/// Reads the whole book (once: nothing is kept for a later load).
pub fn load(config: &Config) -> (Option<Loaded>, Vec<Diagnostic>) {
    load_with(config, None)
}

/// Reads the book, reusing from `cache` every page whose files did not change.
pub fn load_cached(config: &Config, cache: &mut PageCache) -> (Option<Loaded>, Vec<Diagnostic>) {
    load_with(config, Some(cache))
}

fn load_with(config: &Config, cache: Option<&mut PageCache>) -> (Option<Loaded>, Vec<Diagnostic>) {
    let (mut found, mut diags) = discover(config);
    let summary = take_summary(&mut found.pages);
    let previous = cache.as_deref().map(|c| &c.entries);
    let results: Vec<(CachedPage, bool)> = found
        .pages
        .par_iter()
        .map(|s| {
            let fingerprint = if previous.is_some() {
                fingerprint(s)
            } else {
                Fingerprint::default()
            };
            match previous.and_then(|entries| entries.get(&s.key)) {
                Some(c) if c.fingerprint == fingerprint => (
                    CachedPage {
                        fingerprint,
                        page: c.page.clone(),
                        diags: c.diags.clone(),
                    },
                    false,
                ),
                _ => {
                    let (page, diags) = load_page(s, config);
                    (
                        CachedPage {
                            fingerprint,
                            page,
                            diags,
                        },
                        true,
                    )
                }
            }
        })
        .collect();
    let read = results.iter().filter(|(_, read)| *read).count();
    let mut entries = HashMap::with_capacity(if cache.is_some() { results.len() } else { 0 });
    let mut pages = Vec::with_capacity(results.len());
    for (source, (mut cached, _)) in found.pages.iter().zip(results) {
        diags.extend(cached.diags.iter().cloned());
        // A one-off load moves its pages into the book; a cached one keeps a copy.
        let page = match cache {
            Some(_) => cached.page.clone(),
            None => cached.page.take(),
        };
        if let Some(p) = page.filter(|p| !p.front.draft) {
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
    if let Some(order) = summary {
        apply_summary_order(&mut pages, &order);
    }
    let assets: Vec<(PathBuf, PathBuf)> = found.assets;
    let (book, links) = assemble(pages, config, &mut diags);
    let mut links = links;
    links.assets = assets.iter().map(|(_, rel)| rel.clone()).collect();
    let (checklists, checklist_diags) =
        crate::checklist::extract(&book, &config.lead_ins, &config.root);
    diags.extend(checklist_diags);
    (
        Some(Loaded {
            checklists,
            book,
            links,
            assets,
        }),
        diags,
    )
}

fn load_page(source: &SourceFiles, config: &Config) -> (Option<LoadedPage>, Vec<Diagnostic>) {
    let langs = &config.languages;
    let mut diags = Vec::new();
    let mut read = |side: Side| -> Option<(PathBuf, String)> {
        let path = source.files[side.index()].clone()?;
        match read_text(&path) {
            Ok(text) => Some((path, text)),
            Err(d) => {
                diags.push(d);
                None
            }
        }
    };
    let texts = [read(Side::Primary), read(Side::Secondary)];
    if source
        .files
        .iter()
        .zip(&texts)
        .any(|(f, t)| f.is_some() && t.is_none())
    {
        return (None, diags);
    }
    let mut splits = Vec::new();
    for (path, text) in texts.iter().flatten() {
        let (split, d) = frontmatter::split(path, text);
        diags.extend(d);
        match split {
            Some(s) => splits.push((path.clone(), s)),
            None => return (None, diags),
        }
    }
    let (front, segments, files, titles_from_fm) = match (&texts, splits.as_slice()) {
        ([Some(_), Some(_)], [(pp, ps), (sp, ss)]) => {
            let segments = align(
                document_segments(ps.body, ps.body_line, Side::Primary),
                document_segments(ss.body, ss.body_line, Side::Secondary),
            );
            let titles = two_file_titles(&ps.front_matter, &ss.front_matter, langs);
            let front = merge_front(&ps.front_matter, &ss.front_matter);
            (front, segments, [pp.clone(), sp.clone()], titles)
        }
        ([Some(_), None], [(path, split)]) if !config.mirrored() => {
            let segments = parallel::split(split.body, split.body_line, langs);
            diags.extend(parallel::marker_warnings(
                path,
                split.body,
                split.body_line,
                langs,
            ));
            let titles = split
                .front_matter
                .title
                .as_ref()
                .map(|t| titles_of(t, langs));
            (
                split.front_matter.clone(),
                segments,
                [path.clone(), path.clone()],
                titles,
            )
        }
        (_, [(path, split)]) => {
            // Only one language of a two-file page exists.
            let side = if texts[0].is_some() {
                Side::Primary
            } else {
                Side::Secondary
            };
            let segments = document_segments(split.body, split.body_line, side);
            let missing = langs.get(side.other());
            diags.push(
                Diagnostic::warning(
                    path,
                    None,
                    format!("page has no {} translation", missing.name),
                )
                .with_hint(format!(
                    "add the translation as a `.{}.md` file beside it (or in the mirrored tree)",
                    missing.code
                )),
            );
            let titles = split
                .front_matter
                .title
                .as_ref()
                .map(|t| titles_of(t, langs));
            (
                split.front_matter.clone(),
                segments,
                [path.clone(), path.clone()],
                titles,
            )
        }
        _ => return (None, diags),
    };
    let sources = Sources { files };
    let (titles, segments) = match titles_from_fm {
        Some(t) => (t, segments),
        None => title_from_heading(segments).unwrap_or_else(|segs| {
            let name = humanize(&source.stem());
            ([name.clone(), name], segs)
        }),
    };
    // A page missing its whole translation was reported once above, not block by block.
    let one_sided = texts[0].is_none() || (texts[1].is_none() && config.mirrored());
    if !one_sided {
        report_lone(&segments, &sources, langs, &mut diags);
    }
    let description = front
        .description
        .as_deref()
        .map(|d| split_bilingual(d, langs).unwrap_or_else(|| [d.to_string(), d.to_string()]));
    let page = Page {
        titles,
        description: description.map(|d| d[0].clone()).unwrap_or_default(),
        path: String::new(),
        weight: front
            .weight
            .or_else(|| order_prefix(&source.stem()))
            .unwrap_or(0),
        sources,
        segments,
    };
    (
        Some(LoadedPage {
            source: source.clone(),
            front,
            page,
        }),
        diags,
    )
}

fn merge_front(p: &FrontMatter, s: &FrontMatter) -> FrontMatter {
    FrontMatter {
        title: p.title.clone().or_else(|| s.title.clone()),
        weight: p.weight.or(s.weight),
        slug: p.slug.clone().or_else(|| s.slug.clone()),
        draft: p.draft || s.draft,
        description: p.description.clone().or_else(|| s.description.clone()),
    }
}

fn titles_of(value: &TitleValue, langs: &Languages) -> Titles {
    match value {
        TitleValue::Text(t) => split_bilingual(t, langs).unwrap_or_else(|| [t.clone(), t.clone()]),
        TitleValue::PerLanguage(map) => {
            let get = |side: Side| map.get(&langs.get(side).code).cloned();
            let (p, s) = (get(Side::Primary), get(Side::Secondary));
            let any = p
                .clone()
                .or_else(|| s.clone())
                .or_else(|| map.values().next().cloned())
                .unwrap_or_default();
            [p.unwrap_or_else(|| any.clone()), s.unwrap_or(any)]
        }
    }
}

fn two_file_titles(p: &FrontMatter, s: &FrontMatter, langs: &Languages) -> Option<Titles> {
    let single = |fm: &FrontMatter, side: Side| -> Option<String> {
        fm.title.as_ref().map(|t| match t {
            TitleValue::Text(t) => t.clone(),
            per => titles_of(per, langs)[side.index()].clone(),
        })
    };
    match (single(p, Side::Primary), single(s, Side::Secondary)) {
        (Some(a), Some(b)) => Some([a, b]),
        (Some(a), None) => Some(titles_of(p.title.as_ref()?, langs))
            .filter(|t| t[0] != t[1])
            .or(Some([a.clone(), a])),
        (None, Some(b)) => Some([b.clone(), b]),
        (None, None) => None,
    }
}

/// Without a title in front matter, a leading level-1 heading is the title (and is not
/// repeated in the body); failing that, the first heading names the page.
fn title_from_heading(mut segments: Vec<Segment>) -> Result<(Titles, Vec<Segment>), Vec<Segment>> {
    let titles = |c: &Content| -> Titles {
        match c {
            Content::Pair([a, b]) => [a.md.clone(), b.md.clone()],
            Content::Shared(t) | Content::Lone(_, t) => [t.md.clone(), t.md.clone()],
        }
    };
    if let Some(Segment::Block {
        kind: BlockKind::Heading(1),
        content,
    }) = segments.first()
    {
        let t = titles(content);
        segments.remove(0);
        return Ok((t, segments));
    }
    let first = segments.iter().find_map(|s| match s {
        Segment::Block {
            kind: BlockKind::Heading(_),
            content,
        } => Some(titles(content)),
        _ => None,
    });
    match first {
        Some(t) => Ok((t, segments)),
        None => Err(segments),
    }
}

fn humanize(stem: &str) -> String {
    let base = crate::content::slug::strip_order_prefix(stem).replace(['-', '_'], " ");
    let mut chars = base.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => stem.to_string(),
    }
}

fn report_lone(
    segments: &[Segment],
    sources: &Sources,
    langs: &Languages,
    diags: &mut Vec<Diagnostic>,
) {
    let two_files = sources.files[0] != sources.files[1];
    // The line of the last pair in each file: where to look in the other file.
    let mut last_pair = [1usize, 1usize];
    let mut i = 0;
    while i < segments.len() {
        let seg = &segments[i];
        i += 1;
        let what = match seg {
            Segment::Block {
                kind: BlockKind::Heading(_),
                ..
            } => "heading",
            Segment::List { .. } => "list item",
            Segment::Block {
                kind: BlockKind::Code,
                ..
            } => "code block",
            Segment::Block {
                kind: BlockKind::Table,
                ..
            } => "table",
            Segment::Block {
                kind: BlockKind::Quote,
                ..
            } => "quote",
            Segment::Block { .. } => "paragraph",
        };
        for content in seg.contents() {
            match content {
                Content::Pair([p, s]) => last_pair = [p.line, s.line],
                Content::Shared(_) => {}
                Content::Lone(side, text) if !two_files => {
                    let missing = langs.get(side.other());
                    diags.push(
                        Diagnostic::warning(sources.file(*side), Some(Location::new(text.line, 1)), format!("{what} has no {} counterpart", missing.name))
                            .with_hint(format!(
                                "add its {} translation right after it, or mark a language-neutral block with `<!-- diglot: shared -->`",
                                missing.name
                            )),
                    );
                }
                Content::Lone(side, text) => {
                    let missing = langs.get(side.other());
                    let other = sources.file(side.other());
                    let near = format!("{}:{}", shown(other), last_pair[side.other().index()]);
                    let message = if what == "heading" {
                        // A section only one file has is one finding, not one per block.
                        let rest = segments[i..]
                            .iter()
                            .take_while(|s| {
                                s.contents()
                                    .all(|c| matches!(c, Content::Lone(s2, _) if s2 == side))
                                    && !matches!(
                                        s,
                                        Segment::Block {
                                            kind: BlockKind::Heading(_),
                                            ..
                                        }
                                    )
                            })
                            .count();
                        i += rest;
                        format!(
                            "translation drift: section `{}` ({} block{}) has no counterpart in the {} file; the files' structures differ after {near}",
                            text.md.trim(),
                            rest + 1,
                            if rest == 0 { "" } else { "s" },
                            missing.name
                        )
                    } else if what == "paragraph" || what == "quote" {
                        format!(
                            "{what} has no {} counterpart (nothing matches it after {near})",
                            missing.name
                        )
                    } else {
                        format!("translation drift: {what} has no counterpart in the {} file; the files' structures differ after {near}", missing.name)
                    };
                    diags.push(
                        Diagnostic::warning(sources.file(*side), Some(Location::new(text.line, 1)), message)
                            .with_hint(format!("translate it in {}, or remove it if the translation dropped it on purpose", shown(other))),
                    );
                }
            }
        }
    }
}

/// Places pages into home, phases and loose pages, orders them and gives them URLs.
fn assemble(
    pages: Vec<LoadedPage>,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) -> (Book, LinkTargets) {
    let mut home: Option<Page> = None;
    let mut loose: Vec<LoadedPage> = Vec::new();
    let mut phases: BTreeMap<String, (Option<LoadedPage>, Vec<LoadedPage>)> = BTreeMap::new();
    for p in pages {
        let parts: Vec<String> = p
            .source
            .key
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let is_index = parts
            .last()
            .is_some_and(|l| l == "_index" || l == "index" || l == "README");
        match parts.len() {
            1 if is_index => home = Some(p.page),
            1 => loose.push(p),
            _ => {
                let entry = phases.entry(parts[0].clone()).or_default();
                if is_index && parts.len() == 2 {
                    entry.0 = Some(p);
                } else {
                    entry.1.push(p);
                }
            }
        }
    }
    let mut links = LinkTargets {
        roots: config.content_dirs.clone(),
        raw_html: config.raw_html,
        ..Default::default()
    };
    let mut taken: HashMap<String, PathBuf> = HashMap::new();
    let mut home = home.unwrap_or_else(|| Page {
        titles: config.title.clone(),
        description: config.description.clone(),
        path: String::new(),
        weight: 0,
        sources: Sources {
            files: [
                config.content_dir(Side::Primary).join("_index.md"),
                config.content_dir(Side::Primary).join("_index.md"),
            ],
        },
        segments: Vec::new(),
    });

    taken.insert(String::new(), home.sources.file(Side::Primary).clone());
    let home_source = SourceFiles {
        key: PathBuf::from("_index"),
        files: [None, None],
    };
    register_links(&home_source, "", &config.languages, &mut links);
    home.path = String::new();
    let mut place = |lp: &mut LoadedPage, path: String, diags: &mut Vec<Diagnostic>| {
        let lowered = path.to_lowercase();
        if let Some(other) = taken.get(&lowered) {
            diags.push(
                Diagnostic::error(
                    lp.page.sources.file(Side::Primary),
                    None,
                    format!("URL /{path} is already taken by {}", shown(other)),
                )
                .with_hint(
                    "give one of the pages another `slug` in its front matter, or rename the file",
                ),
            );
        } else {
            taken.insert(lowered, lp.page.sources.file(Side::Primary).clone());
        }
        register_links(&lp.source, &path, &config.languages, &mut links);
        lp.page.path = path;
    };

    sort_pages(&mut loose);
    let mut loose_pages = Vec::new();
    for mut lp in loose {
        let slug = page_slug(&lp, diags);
        check_reserved(&slug, &lp, config, diags);
        place(&mut lp, format!("{slug}/"), diags);
        loose_pages.push(lp.page);
    }

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
    let mut book_phases = Vec::new();
    for (dir, index, mut members) in ordered {
        let slug = match &index {
            Some(i) => custom_slug(i, diags).unwrap_or_else(|| url_slug(&dir)),
            None => url_slug(&dir),
        };
        let mut index = index.unwrap_or_else(|| synthetic_index(&dir, config));
        check_reserved(&slug, &index, config, diags);
        place(&mut index, format!("{slug}/"), diags);
        sort_pages(&mut members);
        let mut phase_pages = Vec::new();
        for mut lp in members {
            let parts: Vec<String> = lp
                .source
                .key
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let middle: Vec<String> = parts[1..parts.len() - 1]
                .iter()
                .map(|p| url_slug(p))
                .collect();
            let own = page_slug(&lp, diags);
            let own = if parts
                .last()
                .is_some_and(|l| l == "_index" || l == "index" || l == "README")
            {
                String::new()
            } else {
                format!("{own}/")
            };
            let mut path = format!("{slug}/");
            for m in middle {
                path.push_str(&m);
                path.push('/');
            }
            path.push_str(&own);
            place(&mut lp, path, diags);
            phase_pages.push(lp.page);
        }
        book_phases.push(Phase {
            index: index.page,
            slug,
            pages: phase_pages,
        });
    }
    (
        Book {
            home,
            phases: book_phases,
            loose: loose_pages,
        },
        links,
    )
}

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
        },
    }
}

fn sort_pages(pages: &mut [LoadedPage]) {
    pages.sort_by(|a, b| (a.page.weight, &a.source.key).cmp(&(b.page.weight, &b.source.key)));
}

fn page_slug(lp: &LoadedPage, diags: &mut Vec<Diagnostic>) -> String {
    custom_slug(lp, diags).unwrap_or_else(|| url_slug(&lp.source.stem()))
}

/// The page's `slug` from front matter when it is usable; an error at its line when not.
fn custom_slug(lp: &LoadedPage, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let slug = lp.front.slug.as_ref()?;
    let Some(problem) = custom_slug_problem(slug) else {
        return Some(slug.clone());
    };
    let file = lp
        .page
        .sources
        .files
        .iter()
        .find(|f| {
            read_text(f)
                .is_ok_and(|t| crate::toml_doc::locate_front_matter_key(&t, "slug").is_some())
        })
        .unwrap_or(lp.page.sources.file(Side::Primary));
    let location = read_text(file)
        .ok()
        .and_then(|t| crate::toml_doc::locate_front_matter_key(&t, "slug"));
    let suggestion = url_slug(slug);
    diags.push(
        Diagnostic::error(
            file,
            location,
            format!("invalid slug `{}`", slug.escape_debug()),
        )
        .with_hint(format!("{problem}; e.g. slug = \"{suggestion}\"")),
    );
    None
}

fn check_reserved(slug: &str, lp: &LoadedPage, config: &Config, diags: &mut Vec<Diagnostic>) {
    let langs = &config.languages;
    if crate::paths::is_reserved_name(slug)
        || slug == langs.primary.code
        || slug == langs.secondary.code
    {
        diags.push(
            Diagnostic::error(
                lp.page.sources.file(Side::Primary),
                None,
                format!(
                    "`{slug}` is reserved for the generated site and cannot name a page or phase"
                ),
            )
            .with_hint("rename the file or folder, or set another `slug` in its front matter"),
        );
    }
}

fn register_links(source: &SourceFiles, path: &str, langs: &Languages, links: &mut LinkTargets) {
    let key = source.key.to_string_lossy();
    for name in [
        format!("{key}.md"),
        format!("{key}.{}.md", langs.primary.code),
        format!("{key}.{}.md", langs.secondary.code),
    ] {
        links.pages.insert(PathBuf::from(name), path.to_string());
    }
}
