//! Applying the theme: every page in its three forms, plus the home page, the print page,
//! the 404 page, the sitemap and the table of contents script.

pub mod checklists;
pub mod pages;
pub mod segments;
pub mod site_files;

pub use checklists::checklists_json;
pub use pages::{form_prefix, has_code, title_label, RenderedPage, SiteRenderer};

use crate::config::Config;
use crate::content::load::Loaded;
use crate::diagnostics::Diagnostic;
use crate::links::PageAnchors;
use crate::output::Sink;
use crate::theme::Theme;

/// The theme applied to a loaded book: every product the site renders, each on its own, so
/// that a preview can render only what a change touched.
pub struct Renderer<'a> {
    pages: SiteRenderer<'a>,
}

impl<'a> Renderer<'a> {
    pub fn new(config: &'a Config, loaded: &'a Loaded, theme: &'a Theme) -> Self {
        Renderer {
            pages: SiteRenderer::new(config, loaded, theme),
        }
    }

    /// The number of pages, in reading order (home, loose pages, phases and their pages).
    pub fn page_count(&self) -> usize {
        self.pages.page_count()
    }

    /// Site path of page `i` (its bilingual form).
    pub fn page_path(&self, i: usize) -> &str {
        self.pages.page_path(i)
    }

    /// Pages `which` in their three forms, in parallel; with each page's bilingual body and
    /// anchors.
    pub fn pages(&self, which: &[usize], out: &dyn Sink) -> (Vec<Diagnostic>, Vec<RenderedPage>) {
        self.pages.render_pages(which, out)
    }

    /// Every page, and the print page streamed from their bodies; with every page's anchors.
    pub fn pages_and_print(&self, out: &dyn Sink) -> (Vec<Diagnostic>, Vec<PageAnchors>) {
        site_files::pages_and_print(&self.pages, out)
    }

    /// The print page, from every page's bilingual body in reading order.
    pub fn print(&self, out: &dyn Sink, bodies: &[String]) -> Vec<Diagnostic> {
        site_files::print(&self.pages, out, bodies)
    }

    /// The 404 page, sitemap, table of contents, theme files and static files.
    pub fn site_files(&self, out: &dyn Sink) -> Vec<Diagnostic> {
        site_files::write_all(&self.pages, out)
    }

    /// The checklist pages and `checklists.json` (nothing when the book has no checklist).
    pub fn checklists(&self, out: &dyn Sink) -> Vec<Diagnostic> {
        checklists::write_all(&self.pages, out)
    }
}
