//! The translation status page (`[translation] status-page = true`): the book's pairs
//! current, stale, untranslated and extra, then each phase and its pages with the same
//! counts and a link to each, in the three forms like every page. Nothing is written when
//! the setting is off.

use std::borrow::Cow;

use serde::Serialize;

use super::chrome::title_label;
use super::nav::{page_link, Link};
use super::renderer::{form_prefix, SiteRenderer};
use super::segments::Form;
use crate::diagnostics::Diagnostic;
use crate::output::Sink;
use crate::paths::STATUS_PAGE_DIR;
use crate::translation::{Counts, HistoryState};

/// Counts as the page shows them, with the shares worked out (one decimal).
#[derive(Serialize)]
struct Figures {
    current: usize,
    stale: usize,
    untranslated: usize,
    extra: usize,
    translated_percent: String,
    current_percent: String,
    /// The share up to date as a number, for a `<progress>` bar.
    current_value: f64,
}

impl From<&Counts> for Figures {
    fn from(c: &Counts) -> Self {
        Figures {
            current: c.current,
            stale: c.stale,
            untranslated: c.untranslated,
            extra: c.extra,
            translated_percent: format!("{:.1}", c.translated_percent()),
            current_percent: format!("{:.1}", c.current_percent()),
            current_value: c.current_percent(),
        }
    }
}

/// One page's row: a link to it and its figures.
#[derive(Serialize)]
struct PageRow<'a> {
    link: Link<'a>,
    #[serde(flatten)]
    figures: Figures,
}

/// A phase (or the home page and the pages outside phases) with its pages' figures.
#[derive(Serialize)]
struct PhaseGroup<'a> {
    /// The phase's index page; the home page for the pages outside phases.
    link: Link<'a>,
    #[serde(flatten)]
    figures: Figures,
    pages: Vec<PageRow<'a>>,
}

/// The page's site path in its bilingual form.
fn site_path() -> String {
    format!("{STATUS_PAGE_DIR}/")
}

/// The status page in its three forms; nothing when `[translation] status-page` is off.
pub(crate) fn write_all(r: &SiteRenderer<'_>, out: &dyn Sink) -> Vec<Diagnostic> {
    if !r.config.translation.status_page {
        return Vec::new();
    }
    Form::ALL
        .into_iter()
        .filter_map(|form| status_page(r, out, form).err())
        .collect()
}

/// The groups of the page in reading order: the home page with the pages outside phases,
/// then each phase with its index page and its pages.
fn groups<'a>(r: &'a SiteRenderer<'a>, from: &str, form: Form) -> Vec<PhaseGroup<'a>> {
    let statuses = &r.loaded.translation.pages;
    let row = |i: usize| PageRow {
        link: link(r, from, i, form),
        figures: statuses
            .get(i)
            .map_or_else(|| Figures::from(&Counts::default()), |s| (&s.counts).into()),
    };
    let group = |head: usize, pages: std::ops::Range<usize>| {
        let members: Vec<usize> = std::iter::once(head).chain(pages).collect();
        let mut counts = Counts::default();
        for s in members.iter().filter_map(|&i| statuses.get(i)) {
            counts.add(&s.counts);
        }
        PhaseGroup {
            link: link(r, from, head, form),
            figures: (&counts).into(),
            pages: members.into_iter().map(row).collect(),
        }
    };
    let mut out = vec![group(0, r.pages_of(None))];
    for (p, &index) in r.phase_entries.iter().enumerate() {
        out.push(group(index, r.pages_of(Some(p))));
    }
    out
}

/// A link from the status page to entry `to`, naming its `index.html`.
fn link<'a>(r: &'a SiteRenderer<'a>, from: &str, to: usize, form: Form) -> Link<'a> {
    let page = r.entries[to].page;
    Link {
        titles: &page.titles,
        label: Cow::Borrowed(&r.labels[to][form.index()]),
        href: page_link(from, &page.path),
        current: false,
    }
}

/// `translation-status/`: the totals, then every phase and its pages.
fn status_page(r: &SiteRenderer<'_>, out: &dyn Sink, form: Form) -> Result<(), Diagnostic> {
    let path = site_path();
    let title = r.interface.titles("translation_status");
    let langs = &r.config.languages;
    let status = &r.loaded.translation;
    let mut total = Counts::default();
    status.pages.iter().for_each(|p| total.add(&p.counts));
    let mut ctx = r.page_context(form, &path, &title);
    ctx.insert("content", "");
    ctx.insert("status_total", &Figures::from(&total));
    ctx.insert("status_groups", &groups(r, &path, form));
    ctx.insert(
        "status_history",
        match status.history {
            HistoryState::Full => "full",
            HistoryState::Shallow => "shallow",
            HistoryState::Off => "off",
            HistoryState::Unavailable(_) => "none",
        },
    );
    let direction = status.source.map(|s| {
        [
            langs.get(s).name.as_str(),
            langs.get(s.other()).name.as_str(),
        ]
    });
    ctx.insert("status_direction", &direction);
    ctx.insert(
        "breadcrumbs",
        &[
            r.home_link(&path, form),
            Link {
                titles: &title,
                label: title_label(&title, form, langs).into(),
                href: "index.html".into(),
                current: true,
            },
        ],
    );
    let rel = format!("{}{path}index.html", form_prefix(form, r.config));
    r.render_to(out, "translation_status.html", &ctx, &rel)
}
