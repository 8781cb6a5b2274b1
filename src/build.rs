//! `diglot build`: the book read, rendered and written into its output folder atomically.

use std::path::PathBuf;
use std::time::Instant;

use crate::diagnostics::{Diagnostic, Error};
use crate::site::{BuildOptions, Site};

/// What a build did: where it wrote, what it found, how long it took.
#[derive(Debug)]
pub struct BuildReport {
    /// The folder the site was written to.
    pub output: PathBuf,
    /// Pages of the book (each written in three forms).
    pub pages: usize,
    /// Problems that did not stop the build.
    pub warnings: Vec<Diagnostic>,
    /// What the build chose to leave out and why (no sitemap without an absolute base URL).
    pub notes: Vec<String>,
    /// How long the build took, reading included.
    pub elapsed: std::time::Duration,
}

/// Builds the site. On any error nothing in the output folder changes.
pub fn build(opts: &BuildOptions) -> Result<BuildReport, Error> {
    let started = Instant::now();
    let site = Site::load(opts)?;
    write(&site, started)
}

/// Writes a loaded `site` into its output folder (`started`: when the work began, for the
/// report).
pub(crate) fn write(site: &Site, started: Instant) -> Result<BuildReport, Error> {
    let warnings = site.write()?;
    Ok(BuildReport {
        output: site.config().output_dir.clone(),
        pages: site.pages().count(),
        warnings,
        notes: site.build_notes(),
        elapsed: started.elapsed(),
    })
}
