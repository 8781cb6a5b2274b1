//! The book as one value, and the pipeline as its named steps.
//!
//! [`Site::load`] reads everything in order — configuration (with the command line's
//! overrides), theme, content (discover, front matter, split or align the two languages,
//! checklists, the link table) and validation — and keeps it in memory. [`Site::render_all`]
//! writes every product (pages, print page, search index, site files, checklists) into a
//! sink; [`Site::write`] does it into a staging folder and swaps that in. `serve` and `watch`
//! keep the value and call [`Site::reload`] with what changed: pages whose files did not
//! change are not read again, and the returned [`Reload`] says which pages to render.

use std::path::{Path, PathBuf};

use crate::config::{self, Config, CONFIG_FILE};
use crate::content::load::{self, Loaded, PageCache};
use crate::diagnostics::{terminal_safe, Diagnostic, Error};
use crate::history::History;
use crate::lang::Side;
use crate::links::PageAnchors;
use crate::model::{Page, Titles};
use crate::output::{check_target, Sink, Staging};
use crate::render::Renderer;
use crate::theme::{self, Theme};
use crate::translation::{self, HistoryState, Reviewed};
use crate::validate::{self, Coverage};

/// What a command asks of the book: where it is, and the command line's overrides.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// The folder holding `book.toml`.
    pub root: PathBuf,
    /// Overrides `output-dir`.
    pub output: Option<PathBuf>,
    /// Overrides `base-url`.
    pub base_url: Option<String>,
    /// Every warning is an error.
    pub strict: bool,
    /// Replace an output folder Diglot did not create.
    pub force: bool,
    /// Include pages marked `draft = true`.
    pub drafts: bool,
    /// `watch` and `serve`: poll the files instead of waiting for the system's events.
    pub poll: bool,
}

/// What changed on disk, as far as rebuilding is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Change {
    /// Pages or static files under a content root.
    Content,
    /// `book.toml` or the theme: everything is read again.
    Everything,
}

pub(crate) struct Site {
    opts: BuildOptions,
    setup: Setup,
    /// Kept for `serve` and `watch`, so that a reload reads only the files that changed.
    cache: Option<PageCache>,
    loaded: Loaded,
    /// What the last load found, before `--strict` (see [`Site::finish`]).
    diagnostics: Vec<Diagnostic>,
}

/// What `book.toml` and the theme give, read again only when one of them changes.
struct Setup {
    config: Config,
    /// Warnings about `book.toml`, found once and repeated with every reload.
    config_warnings: Vec<Diagnostic>,
    /// `None` when the theme failed to load (its errors are in `theme_errors`).
    theme: Option<Theme>,
    theme_errors: Vec<Diagnostic>,
    /// The git history of the content, read once: a reload compares the files as they are
    /// now with it.
    history: Option<History>,
    history_state: HistoryState,
}

impl Setup {
    /// Reads `book.toml`, then the theme beside the git history and the content (neither
    /// needs the other; parsing the templates is a fixed cost a build need not wait for).
    /// Returns the setup and the content as [`read_content`] does.
    fn read_with_content(
        opts: &BuildOptions,
        cache: Option<&mut PageCache>,
    ) -> Result<(Setup, Loaded, Vec<Diagnostic>), Error> {
        let (config, config_warnings) = read_config(opts)?;
        let (theme, (history, history_state, content)) = rayon::join(
            || theme::load(&config),
            || {
                let (history, history_state) = translation::read_history(&config);
                let content = read_content(
                    &config,
                    &config_warnings,
                    (history.as_ref(), &history_state),
                    cache,
                );
                (history, history_state, content)
            },
        );
        let (loaded, diagnostics) = content?;
        let (theme, theme_errors) = match theme {
            Ok(theme) => (Some(theme), Vec::new()),
            Err(errors) => (None, errors),
        };
        let setup = Setup {
            config,
            config_warnings,
            theme,
            theme_errors,
            history,
            history_state,
        };
        Ok((setup, loaded, diagnostics))
    }

    /// The content read again with this setup (see [`read_content`]).
    fn read_content(
        &self,
        cache: Option<&mut PageCache>,
    ) -> Result<(Loaded, Vec<Diagnostic>), Error> {
        read_content(
            &self.config,
            &self.config_warnings,
            (self.history.as_ref(), &self.history_state),
            cache,
        )
    }
}

/// The outcome of [`Site::reload`]: what to render again, and what the reload found.
pub(crate) struct Reload {
    /// Indices (in reading order) of the pages to render again; `None` for all of them.
    pub pages: Option<Vec<usize>>,
    /// Whether the checklist pages need rendering again.
    pub checklists_changed: bool,
    /// Everything the reload found (warnings only: a reload with errors is refused).
    pub diagnostics: Vec<Diagnostic>,
    previous: Previous,
}

/// The state a reload replaced, to put back with [`Site::revert`].
enum Previous {
    Content(Box<Loaded>),
    Everything(Box<(Setup, Loaded)>),
}

impl Site {
    /// Reads the book once, for a command that builds or checks and ends.
    pub(crate) fn load(opts: &BuildOptions) -> Result<Site, Error> {
        Site::open(opts, None)
    }

    /// Reads the book and keeps what a later [`Site::reload`] needs to read only what changed.
    pub(crate) fn load_kept(opts: &BuildOptions) -> Result<Site, Error> {
        Site::open(opts, Some(PageCache::default()))
    }

    fn open(opts: &BuildOptions, mut cache: Option<PageCache>) -> Result<Site, Error> {
        let (setup, loaded, diagnostics) = Setup::read_with_content(opts, cache.as_mut())?;
        Ok(Site {
            opts: opts.clone(),
            setup,
            cache,
            loaded,
            diagnostics,
        })
    }

    pub(crate) fn config(&self) -> &Config {
        &self.setup.config
    }

    pub(crate) fn loaded(&self) -> &Loaded {
        &self.loaded
    }

    /// The book's pages, in reading order.
    pub(crate) fn pages(&self) -> impl Iterator<Item = &Page> {
        self.loaded.book.pages()
    }

    /// What loading found (the theme's errors included), before `--strict` is applied.
    pub(crate) fn diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().chain(&self.setup.theme_errors)
    }

    /// What loading the configuration and the content found, the theme left out: for
    /// commands that render nothing.
    pub(crate) fn content_diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The folders holding files the book's pages include: a preview watches them too.
    pub(crate) fn included_dirs(&self) -> Vec<PathBuf> {
        self.cache
            .as_ref()
            .map_or_else(Vec::new, |c| c.included_dirs())
    }

    /// How many pages the last load read from disk (the rest were unchanged).
    pub(crate) fn pages_read(&self) -> usize {
        self.cache.as_ref().map_or(0, |c| c.last_read)
    }

    /// Translation coverage per phase.
    pub(crate) fn coverage(&self) -> Vec<Coverage> {
        validate::coverage(&self.loaded)
    }

    /// `diags` as the command line asked for them: sorted, and with `--strict` every
    /// warning an error. `Err` when any is an error.
    pub(crate) fn finish(
        &self,
        diags: impl IntoIterator<Item = Diagnostic>,
    ) -> Result<Vec<Diagnostic>, Error> {
        let all = self.judged(diags);
        if all.iter().any(Diagnostic::is_error) {
            Err(Error::Failed(all))
        } else {
            Ok(all)
        }
    }

    /// `diags` sorted, with `--strict` every warning an error: the one place it is applied.
    pub(crate) fn judged(&self, diags: impl IntoIterator<Item = Diagnostic>) -> Vec<Diagnostic> {
        crate::diagnostics::arranged(diags.into_iter().collect(), self.opts.strict)
    }

    /// The renderer over the loaded book; `None` when the theme did not load.
    pub(crate) fn renderer(&self) -> Option<Renderer<'_>> {
        let theme = self.setup.theme.as_ref()?;
        Some(Renderer::new(&self.setup.config, &self.loaded, theme))
    }

    /// Renders every product of the book into `out`: the pages in their three forms and the
    /// print page, and beside them the search index, the site-wide files and the checklist
    /// pages (they need only the model, which keeps both cores busy). Returns what went
    /// wrong or looked wrong; nothing when the theme did not load.
    pub(crate) fn render_all(&self, out: &dyn Sink) -> Vec<Diagnostic> {
        let Some(renderer) = self.renderer() else {
            return Vec::new();
        };
        let ((mut diags, anchors), other) = rayon::join(
            || renderer.pages_and_print(out),
            || {
                let mut diags = self.render_search(out);
                diags.extend(renderer.site_files(out));
                diags.extend(renderer.checklists(out));
                diags
            },
        );
        diags.extend(other);
        diags.extend(self.check_anchors(&anchors));
        crate::diagnostics::collapse_repeated(diags)
    }

    /// Links to anchors that no page has, from every page's rendered anchors (in reading
    /// order).
    pub(crate) fn check_anchors(&self, pages: &[PageAnchors]) -> Vec<Diagnostic> {
        validate::anchor_links(pages, &self.config().languages)
    }

    /// The search index (`search/`).
    pub(crate) fn render_search(&self, out: &dyn Sink) -> Vec<Diagnostic> {
        let mut diags = Vec::new();
        crate::search::build_index(&self.loaded.book, &mut |path, js| {
            if let Err(d) = out.write(&path, js.as_bytes()) {
                diags.push(d);
            }
        });
        diags
    }

    /// Builds the site into the output folder: rendered into a staging folder beside it and
    /// swapped in only when everything succeeded. Returns the warnings.
    pub(crate) fn write(&self) -> Result<Vec<Diagnostic>, Error> {
        let loaded = self.finish(self.diagnostics().cloned())?;
        let config = self.config();
        let out = &config.output_dir;
        let protected: Vec<&Path> = vec![
            &config.root,
            config.content_dir(Side::Primary),
            config.content_dir(Side::Secondary),
        ];
        check_target(out, &protected, self.opts.force).map_err(|d| Error::Failed(vec![d]))?;
        let staging = Staging::create(out).map_err(|d| Error::Failed(vec![d]))?;
        let mut all = loaded;
        all.extend(self.render_all(&staging));
        let warnings = self.finish(all)?;
        staging.commit().map_err(|d| Error::Failed(vec![d]))?;
        Ok(warnings)
    }

    /// Reads again what `change` touched. On success the site holds the new state and the
    /// result says what to render; on failure nothing changed. A reload whose rendering then
    /// fails is undone with [`Site::revert`].
    pub(crate) fn reload(&mut self, change: Change) -> Result<Reload, Error> {
        if change == Change::Everything {
            let mut cache = PageCache::default();
            let (setup, loaded, diags) = Setup::read_with_content(&self.opts, Some(&mut cache))?;
            let diagnostics = self.finish(diags.into_iter().chain(setup.theme_errors.clone()))?;
            self.cache = Some(cache);
            let previous = Previous::Everything(Box::new((
                std::mem::replace(&mut self.setup, setup),
                std::mem::replace(&mut self.loaded, loaded),
            )));
            self.diagnostics = diagnostics.clone();
            return Ok(Reload {
                pages: None,
                checklists_changed: true,
                diagnostics,
                previous,
            });
        }
        let cache = self.cache.get_or_insert_with(PageCache::default);
        let (loaded, diags) = self.setup.read_content(Some(cache))?;
        let diagnostics = self.finish(diags.into_iter().chain(self.setup.theme_errors.clone()))?;
        let pages = changed_pages(&self.loaded, &loaded);
        let checklists_changed = self.loaded.checklists != loaded.checklists;
        let previous = Previous::Content(Box::new(std::mem::replace(&mut self.loaded, loaded)));
        self.diagnostics = diagnostics.clone();
        Ok(Reload {
            pages,
            checklists_changed,
            diagnostics,
            previous,
        })
    }

    /// Puts back the state `reload` replaced (its rendering failed).
    pub(crate) fn revert(&mut self, reload: Reload) {
        match reload.previous {
            Previous::Content(loaded) => self.loaded = *loaded,
            Previous::Everything(state) => (self.setup, self.loaded) = *state,
        }
    }

    /// What a build says besides its warnings: how `book.toml` was read (an mdBook's). Why
    /// something was left out is `check`'s to say, not every build's.
    pub(crate) fn build_notes(&self) -> Vec<String> {
        self.config().notes.clone()
    }

    /// Why the build leaves the sitemap out: it needs an absolute base URL.
    fn sitemap_note(&self) -> Option<String> {
        let base = &self.config().base_url;
        (!base.contains("://")).then(|| format!(
            "note: no sitemap.xml: a sitemap needs absolute URLs, and base-url `{base}` has no host; set `base-url = \"https://your.site{base}\"` in book.toml (or pass --base-url) to get one"
        ))
    }

    /// Facts worth knowing that are neither errors nor warnings: a content folder outside the
    /// book's folder is read as part of it.
    pub(crate) fn check_notes(&self) -> Vec<String> {
        let history = translation::history_note(&self.setup.history_state)
            .into_iter()
            .chain(self.sitemap_note());
        let dirs = self.config().content_dirs_outside();
        let outside = dirs
            .iter()
            .map(|d| {
                let shown = d.display().to_string();
                format!(
                    "note: the content folder {} is outside the book's folder; its files are read as part of the book",
                    terminal_safe(&shown, false)
                )
            });
        self.config()
            .notes
            .iter()
            .cloned()
            .chain(outside)
            .chain(history)
            .collect()
    }
}

/// `book.toml`, with the command line's overrides applied: the one place they are.
fn read_config(opts: &BuildOptions) -> Result<(Config, Vec<Diagnostic>), Error> {
    let root = &opts.root;
    if !root.join(CONFIG_FILE).is_file() {
        return Err(Error::NoBook(root.to_path_buf()));
    }
    let (mut config, warnings) = config::load(root).map_err(Error::Failed)?;
    if let Some(url) = &opts.base_url {
        config.base_url = config::base_url_flag(url).map_err(|d| Error::Failed(vec![d]))?;
    }
    if let Some(out) = &opts.output {
        config.output_dir = out.clone();
    }
    config.drafts = opts.drafts;
    Ok((config, warnings))
}

/// The content (read, paired, its checklists and links found) and its validation, with
/// `book.toml`'s warnings first.
fn read_content(
    config: &Config,
    config_warnings: &[Diagnostic],
    (history, history_state): (Option<&History>, &HistoryState),
    cache: Option<&mut PageCache>,
) -> Result<(Loaded, Vec<Diagnostic>), Error> {
    let (loaded, load_diags) = match cache {
        Some(cache) => load::load_cached(config, cache),
        None => load::load(config),
    };
    let mut diags = config_warnings.to_vec();
    diags.extend(load_diags);
    let Some(loaded) = loaded else {
        return Err(Error::Failed(diags));
    };
    diags.extend(validate::validate(config, &loaded));
    let mut loaded = loaded;
    let (reviewed, reviewed_diags) = Reviewed::load(&config.root);
    diags.extend(reviewed_diags);
    loaded.translation = translation::assess(
        config,
        &loaded.book,
        history,
        history_state.clone(),
        &reviewed,
    );
    diags.extend(translation::diagnostics(
        config,
        &loaded.book,
        &loaded.translation,
    ));
    Ok((loaded, diags))
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
    let states = |l: &'_ Loaded| l.translation.pages.clone();
    let (old_states, new_states) = (states(old), states(new));
    let pairs = old.book.pages().zip(new.book.pages()).enumerate();
    Some(
        pairs
            .filter(|(i, (a, b))| a != b || old_states.get(*i) != new_states.get(*i))
            .map(|(i, _)| i)
            .collect(),
    )
}
