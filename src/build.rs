//! The pipeline, top to bottom: config → content (paired) → render → atomic output.

use std::path::{Path, PathBuf};
use std::time::Instant;

use crate::config::{self, Config, CONFIG_FILE};
use crate::content::load::{self, Loaded};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::lang::Side;
use crate::output::{check_target, Staging};
use crate::render::SiteRenderer;
use crate::theme;

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
}

#[derive(Debug)]
pub struct BuildReport {
    pub output: PathBuf,
    /// Pages of the book (each written in three forms).
    pub pages: usize,
    pub warnings: Vec<Diagnostic>,
    /// What the build chose to leave out and why (no sitemap without an absolute base URL).
    pub notes: Vec<String>,
    pub elapsed: std::time::Duration,
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}", no_book_message(.0))]
    NoBook(PathBuf),
    #[error("the build failed: {} error(s)", .0.iter().filter(|d| d.is_error()).count())]
    Failed(Vec<Diagnostic>),
}

/// What is wrong when `dir` holds no book: the folder may not exist at all.
pub fn no_book_message(dir: &Path) -> String {
    let shown = crate::report::display_path(dir);
    if dir.is_dir() {
        format!("no {CONFIG_FILE} in {shown}")
    } else if dir.exists() {
        format!("{shown} is a file, not a book's folder")
    } else {
        format!("the folder {shown} does not exist")
    }
}

/// Reads the configuration and the whole book into memory, with every diagnostic found.
pub fn load_book(
    root: &Path,
    base_url: Option<&str>,
) -> Result<(Config, Loaded, Diagnostics), Error> {
    if !root.join(CONFIG_FILE).is_file() {
        return Err(Error::NoBook(root.to_path_buf()));
    }
    let mut diags = Diagnostics::default();
    let (mut config, config_diags) = config::load(root).map_err(Error::Failed)?;
    diags.extend(config_diags);
    if let Some(url) = base_url {
        config.base_url = config::base_url_flag(url).map_err(|d| Error::Failed(vec![d]))?;
    }
    let (loaded, load_diags) = load::load(&config);
    diags.extend(load_diags);
    if let Some(l) = &loaded {
        diags.extend(crate::check::validate(&config, l));
    }
    match loaded {
        Some(l) => Ok((config, l, diags)),
        None => Err(Error::Failed(diags.into_sorted())),
    }
}

/// Builds the site. On any error nothing in the output folder changes.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Error> {
    let started = Instant::now();
    let (mut config, loaded, mut diags) = load_book(&opts.root, opts.base_url.as_deref())?;
    if let Some(out) = &opts.output {
        config.output_dir = out.clone();
    }
    let finish = |mut diags: Diagnostics| -> Result<Vec<Diagnostic>, Error> {
        if opts.strict {
            diags.promote_warnings();
        }
        if diags.has_errors() {
            Err(Error::Failed(diags.into_sorted()))
        } else {
            Ok(diags.into_sorted())
        }
    };
    let theme = match theme::load(&config) {
        Ok(t) => t,
        Err(d) => {
            diags.extend(d);
            return Err(Error::Failed(diags.into_sorted()));
        }
    };
    let diags = finish(diags)?;
    let protected: Vec<&Path> = vec![
        &config.root,
        config.content_dir(Side::Primary),
        config.content_dir(Side::Secondary),
    ];
    check_target(&config.output_dir, &protected, opts.force).map_err(|d| Error::Failed(vec![d]))?;
    let staging = Staging::create(&config.output_dir).map_err(|d| Error::Failed(vec![d]))?;
    let renderer = SiteRenderer::new(&config, &loaded, &theme);
    let mut all = Diagnostics::default();
    all.extend(diags);
    all.extend(renderer.render_all(&staging));
    let warnings = finish(all)?;
    staging.commit().map_err(|d| Error::Failed(vec![d]))?;
    let mut notes = Vec::new();
    if !config.base_url.contains("://") {
        notes.push(format!(
            "note: no sitemap.xml: a sitemap needs absolute URLs, and base-url `{}` has no host; set `base-url = \"https://your.site{}\"` in book.toml (or pass --base-url) to get one",
            config.base_url, config.base_url
        ));
    }
    Ok(BuildReport {
        notes,
        output: config.output_dir.clone(),
        pages: loaded.book.pages().count(),
        warnings,
        elapsed: started.elapsed(),
    })
}
