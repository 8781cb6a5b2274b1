//! A book kept in memory between rebuilds, for the preview server: a change to one page
//! reads that page's files and re-renders what depends on it, nothing more.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::build::Error;
use crate::config::{self, Config};
use crate::content::load::{load_cached, Loaded, PageCache};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::{Page, Titles};
use crate::output::{MemorySink, SiteFiles};
use crate::render::SiteRenderer;
use crate::theme::{self, Theme};

/// What changed on disk, as far as rebuilding is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Pages or static files under a content root.
    Content,
    /// `book.toml` or the theme: everything is rebuilt.
    Everything,
}

#[derive(Debug, Clone)]
pub struct RebuildReport {
    /// Site paths of the pages rendered again (each in its three forms).
    pub rendered: Vec<String>,
    /// Whether everything was rendered (structure, configuration or theme changed).
    pub full: bool,
    /// Pages whose files were read again.
    pub read: usize,
    pub warnings: Vec<Diagnostic>,
    pub elapsed: Duration,
}

pub struct LiveBuild {
    root: PathBuf,
    base_url: Option<String>,
    strict: bool,
    config: Config,
    /// Warnings about book.toml, repeated with every rebuild's report.
    config_warnings: Vec<Diagnostic>,
    theme: Theme,
    cache: PageCache,
    loaded: Loaded,
    /// Each page's bilingual body, in reading order, for the print page.
    bodies: Vec<String>,
    site: Arc<SiteFiles>,
    /// Added to every HTML file before `</body>` (the live-reload script).
    inject: String,
    /// The print page and search index lag behind the last edit.
    derived_stale: bool,
}

impl LiveBuild {
    /// Reads and renders the whole book into memory.
    pub fn new(
        root: &Path,
        base_url: Option<String>,
        strict: bool,
        inject: String,
    ) -> Result<(LiveBuild, RebuildReport), Error> {
        let started = Instant::now();
        let (config, config_warnings, theme) = load_config_and_theme(root, base_url.as_deref())?;
        let mut cache = PageCache::default();
        let (loaded, diags) = load_book(&config, &config_warnings, &mut cache, strict)?;
        let mut live = LiveBuild {
            root: root.to_path_buf(),
            base_url,
            strict,
            config,
            config_warnings,
            theme,
            cache,
            loaded,
            bodies: Vec::new(),
            site: Arc::new(SiteFiles::default()),
            inject,
            derived_stale: false,
        };
        let report = live.render(None, true, diags, started)?;
        Ok((live, report))
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The rendered site, shared with readers; replaced whole on every successful rebuild.
    pub fn site(&self) -> Arc<SiteFiles> {
        Arc::clone(&self.site)
    }

    /// Brings the print page and the search index up to date after an edit. Returns whether
    /// anything changed (the site was replaced).
    pub fn refresh_derived(&mut self) -> bool {
        if !self.derived_stale {
            return false;
        }
        self.derived_stale = false;
        let renderer = SiteRenderer::new(&self.config, &self.loaded, &self.theme);
        let sink = MemorySink::default();
        let mut diags = renderer.render_print(&sink, &self.bodies);
        diags.extend(renderer.render_search(&sink));
        if diags.iter().any(Diagnostic::is_error) {
            return false;
        }
        self.site = self.merged((*self.site).clone(), sink);
        true
    }

    /// `site` with the files written to `sink` added, the live-reload script in each page.
    fn merged(&self, mut site: SiteFiles, sink: MemorySink) -> Arc<SiteFiles> {
        for (path, bytes) in sink.into_files() {
            let bytes = if path.ends_with(".html") {
                inject_before_body_end(bytes, &self.inject)
            } else {
                bytes
            };
            site.files.insert(path, Arc::new(bytes));
        }
        Arc::new(site)
    }

    /// Rebuilds after `change`. On failure the previous site stays as it was.
    pub fn rebuild(&mut self, change: Change) -> Result<RebuildReport, Error> {
        let started = Instant::now();
        if change == Change::Everything {
            let (config, config_warnings, theme) =
                load_config_and_theme(&self.root, self.base_url.as_deref())?;
            let mut cache = PageCache::default();
            let (loaded, diags) = load_book(&config, &config_warnings, &mut cache, self.strict)?;
            let previous = (
                std::mem::replace(&mut self.config, config),
                std::mem::replace(&mut self.config_warnings, config_warnings),
                std::mem::replace(&mut self.theme, theme),
                std::mem::replace(&mut self.cache, cache),
                std::mem::replace(&mut self.loaded, loaded),
            );
            return self.render(None, true, diags, started).inspect_err(|_| {
                (
                    self.config,
                    self.config_warnings,
                    self.theme,
                    self.cache,
                    self.loaded,
                ) = previous;
            });
        }
        let (loaded, diags) = load_book(
            &self.config,
            &self.config_warnings,
            &mut self.cache,
            self.strict,
        )?;
        let changed = changed_pages(&self.loaded, &loaded);
        let checklists_changed = self.loaded.checklists != loaded.checklists;
        let previous = std::mem::replace(&mut self.loaded, loaded);
        self.render(changed, checklists_changed, diags, started)
            .inspect_err(|_| self.loaded = previous)
    }

    /// Renders pages `which` (all when `None`) and swaps the new site in.
    fn render(
        &mut self,
        which: Option<Vec<usize>>,
        checklists_changed: bool,
        diags: Diagnostics,
        started: Instant,
    ) -> Result<RebuildReport, Error> {
        let renderer = SiteRenderer::new(&self.config, &self.loaded, &self.theme);
        let full = which.is_none();
        let which = which.unwrap_or_else(|| (0..renderer.page_count()).collect());
        let sink = MemorySink::default();
        let mut all = diags;
        let (render_diags, bodies) = renderer.render_pages(&which, &sink);
        all.extend(crate::diagnostics::collapse_repeated(render_diags));
        let mut new_bodies = if full {
            vec![String::new(); renderer.page_count()]
        } else {
            self.bodies.clone()
        };
        for (i, body) in bodies {
            new_bodies[i] = body;
        }
        // The print page and the search index depend on every page: after a full build they are
        // written now; after an edit, later (see `refresh_derived`), so the reload goes first.
        if full {
            all.extend(renderer.render_print(&sink, &new_bodies));
            all.extend(renderer.render_search(&sink));
        }
        if full {
            all.extend(renderer.render_site_files(&sink));
        }
        if full || checklists_changed {
            all.extend(renderer.render_checklists(&sink));
        }
        if self.strict {
            all.promote_warnings();
        }
        if all.has_errors() {
            return Err(Error::Failed(all.into_sorted()));
        }
        let rendered = which
            .iter()
            .map(|&i| renderer.page_path(i).to_string())
            .collect();
        let base = if full {
            SiteFiles::default()
        } else {
            (*self.site).clone()
        };
        self.site = self.merged(base, sink);
        self.bodies = new_bodies;
        self.derived_stale = !full && !which.is_empty();
        Ok(RebuildReport {
            rendered,
            full,
            read: self.cache.last_read,
            warnings: all.into_sorted(),
            elapsed: started.elapsed(),
        })
    }
}

fn load_config_and_theme(
    root: &Path,
    base_url: Option<&str>,
) -> Result<(Config, Vec<Diagnostic>, Theme), Error> {
    if !root.join(config::CONFIG_FILE).is_file() {
        return Err(Error::NoBook(root.to_path_buf()));
    }
    let (mut config, warnings) = config::load(root).map_err(Error::Failed)?;
    if let Some(url) = base_url {
        config.base_url = config::base_url_flag(url).map_err(|d| Error::Failed(vec![d]))?;
    }
    let theme = theme::load(&config).map_err(Error::Failed)?;
    Ok((config, warnings, theme))
}

fn load_book(
    config: &Config,
    config_warnings: &[Diagnostic],
    cache: &mut PageCache,
    strict: bool,
) -> Result<(Loaded, Diagnostics), Error> {
    let (loaded, load_diags) = load_cached(config, cache);
    let mut diags = Diagnostics::default();
    diags.extend(config_warnings.iter().cloned());
    diags.extend(load_diags);
    if let Some(l) = &loaded {
        diags.extend(crate::check::validate(config, l));
    }
    if strict {
        diags.promote_warnings();
    }
    match loaded {
        Some(l) if !diags.has_errors() => Ok((l, diags)),
        _ => Err(Error::Failed(diags.into_sorted())),
    }
}

/// What the sidebar, breadcrumbs, neighbours and links of every page depend on: the pages,
/// their order, URLs and titles, and the static files links may point to.
type Structure<'a> = (
    Vec<(&'a str, &'a Titles, i64)>,
    Vec<&'a PathBuf>,
    Vec<&'a str>,
);

fn structure(loaded: &Loaded) -> Structure<'_> {
    let pages = loaded
        .book
        .pages()
        .map(|p: &Page| (p.path.as_str(), &p.titles, p.weight))
        .collect();
    let mut assets: Vec<&PathBuf> = loaded.links.assets.iter().collect();
    assets.sort();
    // A phase gaining or losing its checklist page changes the site's files.
    let checklists = loaded
        .checklists
        .phases
        .iter()
        .map(|p| p.slug.as_str())
        .collect();
    (pages, assets, checklists)
}

/// Indices (in reading order) of the pages to render again, or `None` for all of them.
fn changed_pages(old: &Loaded, new: &Loaded) -> Option<Vec<usize>> {
    let has_code = crate::render::has_code;
    if structure(old) != structure(new) || has_code(&old.book) != has_code(&new.book) {
        return None;
    }
    let pairs = old.book.pages().zip(new.book.pages()).enumerate();
    Some(pairs.filter(|(_, (a, b))| a != b).map(|(i, _)| i).collect())
}

fn inject_before_body_end(mut html: Vec<u8>, snippet: &str) -> Vec<u8> {
    if snippet.is_empty() {
        return html;
    }
    let at = html
        .windows(7)
        .rposition(|w| w == b"</body>")
        .unwrap_or(html.len());
    html.splice(at..at, snippet.bytes());
    html
}
