//! The preview's site in memory: the book's pages rendered into files the server hands out,
//! updated after every reload with only the pages the reload says changed. Loading and
//! rendering are the `Site`'s; this keeps the rendered files, the print page's bodies and
//! the live-reload script.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::diagnostics::{Diagnostic, Error};
use crate::links::PageAnchors;
use crate::output::{MemorySink, SiteFiles};
use crate::site::{Change, Site};

/// What one rebuild of the preview did.
#[derive(Debug, Clone)]
pub struct RebuildReport {
    /// Site paths of the pages rendered again (each in its three forms).
    pub rendered: Vec<String>,
    /// Whether everything was rendered (structure, configuration or theme changed).
    pub full: bool,
    /// Pages whose files were read again.
    pub read: usize,
    /// Problems the rebuild found that did not stop it.
    pub warnings: Vec<Diagnostic>,
    /// How long the rebuild took.
    pub elapsed: Duration,
}

pub(crate) struct LiveBuild {
    site: Site,
    /// Each page's bilingual body, in reading order, for the print page.
    bodies: Vec<String>,
    /// Each page's anchors, in reading order, to check every link after an edit.
    anchors: Vec<PageAnchors>,
    files: Arc<SiteFiles>,
    /// Added to every HTML file before `</body>` (the live-reload script).
    inject: String,
    /// The print page and search index lag behind the last edit.
    derived_stale: bool,
}

impl LiveBuild {
    /// Renders the whole of `site` into memory; `inject` goes into every HTML file.
    pub(crate) fn new(site: Site, inject: String) -> Result<(LiveBuild, RebuildReport), Error> {
        let started = Instant::now();
        let diags = site.finish(site.diagnostics().cloned())?;
        let mut live = LiveBuild {
            site,
            bodies: Vec::new(),
            anchors: Vec::new(),
            files: Arc::new(SiteFiles::default()),
            inject,
            derived_stale: false,
        };
        let report = live.render(None, true, diags, started)?;
        Ok((live, report))
    }

    /// The rendered site, shared with readers; replaced whole on every successful rebuild.
    pub(crate) fn site(&self) -> &Site {
        &self.site
    }

    pub(crate) fn files(&self) -> Arc<SiteFiles> {
        Arc::clone(&self.files)
    }

    /// Brings the print page, the search index and the translation status page up to date
    /// after an edit. Returns whether anything changed (the files were replaced).
    pub(crate) fn refresh_derived(&mut self) -> bool {
        if !self.derived_stale {
            return false;
        }
        self.derived_stale = false;
        let Some(renderer) = self.site.renderer() else {
            return false;
        };
        let sink = MemorySink::default();
        let mut diags = renderer.print(&sink, &self.bodies);
        diags.extend(self.site.render_search(&sink));
        diags.extend(renderer.status_page(&sink));
        if diags.iter().any(Diagnostic::is_error) {
            return false;
        }
        self.files = self.merged((*self.files).clone(), sink);
        true
    }

    /// `files` with those written to `sink` added, the live-reload script in each page.
    fn merged(&self, mut files: SiteFiles, sink: MemorySink) -> Arc<SiteFiles> {
        for (path, bytes) in sink.into_files() {
            let bytes = if path.ends_with(".html") {
                inject_before_body_end(bytes, &self.inject)
            } else {
                bytes
            };
            files.files.insert(path, Arc::new(bytes));
        }
        Arc::new(files)
    }

    /// Reloads after `change` and renders what it touched. On failure the previous site
    /// stays as it was, in memory and in the book.
    pub(crate) fn rebuild(&mut self, change: Change) -> Result<RebuildReport, Error> {
        let started = Instant::now();
        let reload = self.site.reload(change)?;
        let (pages, checklists) = (reload.pages.clone(), reload.checklists_changed);
        let diags = reload.diagnostics.clone();
        self.render(pages, checklists, diags, started)
            .inspect_err(|_| self.site.revert(reload))
    }

    /// Renders pages `which` (all when `None`) and swaps the new files in.
    fn render(
        &mut self,
        which: Option<Vec<usize>>,
        checklists_changed: bool,
        diags: Vec<Diagnostic>,
        started: Instant,
    ) -> Result<RebuildReport, Error> {
        let Some(renderer) = self.site.renderer() else {
            return Err(Error::Failed(self.site.judged(diags)));
        };
        let full = which.is_none();
        let which = which.unwrap_or_else(|| (0..renderer.page_count()).collect());
        let sink = MemorySink::default();
        let mut all = diags;
        let (render_diags, pages) = renderer.pages(&which, &sink);
        all.extend(crate::diagnostics::collapse_repeated(render_diags));
        let (mut new_bodies, mut new_anchors) = if full {
            let n = renderer.page_count();
            (vec![String::new(); n], vec![PageAnchors::default(); n])
        } else {
            (self.bodies.clone(), self.anchors.clone())
        };
        for page in pages {
            new_bodies[page.index] = page.body;
            new_anchors[page.index] = page.anchors;
        }
        // A page's links may point to anchors of another page: all are checked again.
        all.extend(self.site.check_anchors(&new_anchors));
        // The print page and the search index depend on every page: after a full build they are
        // written now; after an edit, later (see `refresh_derived`), so the reload goes first.
        if full {
            all.extend(renderer.print(&sink, &new_bodies));
            all.extend(self.site.render_search(&sink));
            all.extend(renderer.site_files(&sink));
        }
        if full || checklists_changed {
            all.extend(renderer.checklists(&sink));
        }
        let warnings = self.site.finish(all)?;
        let rendered = which
            .iter()
            .map(|&i| renderer.page_path(i).to_string())
            .collect();
        let base = if full {
            SiteFiles::default()
        } else {
            (*self.files).clone()
        };
        self.files = self.merged(base, sink);
        self.bodies = new_bodies;
        self.anchors = new_anchors;
        self.derived_stale = !full && !which.is_empty();
        Ok(RebuildReport {
            rendered,
            full,
            read: self.site.pages_read(),
            warnings,
            elapsed: started.elapsed(),
        })
    }
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
