//! Applying the theme: every page in its three forms, plus the home page, the print page,
//! the 404 page, the sitemap and the table of contents script.

pub(crate) mod body_html;
pub(crate) mod checklists;
pub(crate) mod chrome;
pub(crate) mod interface;
pub(crate) mod nav;
mod page_meta;
pub(crate) mod pages;
mod print;
mod renderer;
pub(crate) mod segments;
pub(crate) mod site_files;
pub(crate) mod status_page;

pub(crate) use checklists::checklists_json;
pub(crate) use pages::has_code;
pub(crate) use renderer::{RenderedPage, SiteRenderer};

use crate::config::Config;
use crate::content::load::Loaded;
use crate::diagnostics::Diagnostic;
use crate::links::PageAnchors;
use crate::output::Sink;
use crate::theme::Theme;

/// The theme applied to a loaded book: every product the site renders, each on its own, so
/// that a preview can render only what a change touched.
pub(crate) struct Renderer<'a> {
    pages: SiteRenderer<'a>,
}

impl<'a> Renderer<'a> {
    pub(crate) fn new(config: &'a Config, loaded: &'a Loaded, theme: &'a Theme) -> Self {
        Renderer {
            pages: SiteRenderer::new(config, loaded, theme),
        }
    }

    /// The number of pages, in reading order (home, loose pages, phases and their pages).
    pub(crate) fn page_count(&self) -> usize {
        self.pages.page_count()
    }

    /// Site path of page `i` (its bilingual form).
    pub(crate) fn page_path(&self, i: usize) -> &str {
        self.pages.page_path(i)
    }

    /// Pages `which` in their three forms, in parallel; with each page's bilingual body and
    /// anchors.
    pub(crate) fn pages(
        &self,
        which: &[usize],
        out: &dyn Sink,
    ) -> (Vec<Diagnostic>, Vec<RenderedPage>) {
        self.pages.render_pages(which, out)
    }

    /// Every page, and the print page streamed from their bodies; with every page's anchors.
    pub(crate) fn pages_and_print(&self, out: &dyn Sink) -> (Vec<Diagnostic>, Vec<PageAnchors>) {
        site_files::pages_and_print(&self.pages, out)
    }

    /// The print page, from every page's bilingual body in reading order.
    pub(crate) fn print(&self, out: &dyn Sink, bodies: &[String]) -> Vec<Diagnostic> {
        site_files::print(&self.pages, out, bodies)
    }

    /// The 404 page, sitemap, table of contents, theme files, static files and the
    /// translation status page.
    pub(crate) fn site_files(&self, out: &dyn Sink) -> Vec<Diagnostic> {
        site_files::write_all(&self.pages, out)
    }

    /// The translation status page alone (nothing unless `[translation] status-page`): it
    /// depends on every page's state, so a preview writes it again after an edit.
    pub(crate) fn status_page(&self, out: &dyn Sink) -> Vec<Diagnostic> {
        status_page::write_all(&self.pages, out)
    }

    /// The checklist pages and `checklists.json` (nothing when the book has no checklist).
    pub(crate) fn checklists(&self, out: &dyn Sink) -> Vec<Diagnostic> {
        checklists::write_all(&self.pages, out)
    }
}
