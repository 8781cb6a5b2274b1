//! The renderer every render module shares: the book's pages in reading order with what
//! each is (home, phase index, page), their titles as HTML made once, and each form's base
//! context. It is made by [`super::pages`]; the modules that render use it.

use tera::Context;

use super::interface::Interface;
use super::page_meta::MetaWords;
use super::segments::{Form, StaleWords};
use crate::config::Config;
use crate::content::load::Loaded;
use crate::diagnostics::Diagnostic;
use crate::links::PageAnchors;
use crate::model::Page;
use crate::output::Sink;
use crate::theme::Theme;

/// What a page is, which picks its template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    Home,
    PhaseIndex(usize),
    Page(Option<usize>),
}

pub(super) struct Entry<'a> {
    pub(super) page: &'a Page,
    pub(super) kind: Kind,
}

/// A page as rendered: its place in reading order, its bilingual body (the print page
/// reuses it) and its anchors.
pub(crate) struct RenderedPage {
    pub(crate) index: usize,
    pub(crate) body: String,
    pub(crate) anchors: PageAnchors,
}

pub(crate) struct SiteRenderer<'a> {
    pub(super) config: &'a Config,
    pub(super) loaded: &'a Loaded,
    pub(super) theme: &'a Theme,
    pub(super) entries: Vec<Entry<'a>>,
    /// Each entry's title as HTML in each form: a page's title is shown by the sidebars,
    /// breadcrumbs and pagers of many other pages, so it is made once here.
    pub(super) labels: Vec<[String; 3]>,
    /// The entry of each phase's index page (its pages follow it).
    pub(super) phase_entries: Vec<usize>,
    /// What every page of each form shares, its interface strings included.
    pub(super) form_bases: [Context; 3],
    /// The switcher's "side by side" and "interleaved" in each form, made once.
    pub(super) view_labels: [[String; 2]; 3],
    pub(super) interface: Interface,
    /// A stale block's marker and notice, in each language.
    pub(super) stale_words: [StaleWords; 2],
    /// The words of a page's edit links and date.
    pub(super) meta_words: MetaWords,
}

impl SiteRenderer<'_> {
    /// Renders `template` and writes it at site path `rel`.
    pub(super) fn render_to(
        &self,
        out: &dyn Sink,
        template: &str,
        ctx: &Context,
        rel: &str,
    ) -> Result<(), Diagnostic> {
        let html = self.theme.render(template, ctx)?;
        out.write(rel, html.as_bytes())
    }

    /// The number of pages, in reading order (home, loose pages, phases and their pages).
    pub(crate) fn page_count(&self) -> usize {
        self.entries.len()
    }

    /// Site path of page `i` (its bilingual form).
    pub(crate) fn page_path(&self, i: usize) -> &str {
        &self.entries[i].page.path
    }
}

/// Where a form lives: the bilingual pages at the root, each language under its code.
pub(crate) fn form_prefix(form: Form, config: &Config) -> String {
    match form {
        Form::Bilingual => String::new(),
        Form::Only(side) => format!("{}/", config.languages.get(side).code),
    }
}
