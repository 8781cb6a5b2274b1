//! Links between pages as templates receive them: breadcrumbs, pager, the fallback sidebar
//! and the home and phase pages' lists, each titled for the form being rendered.

use std::borrow::Cow;

use serde::Serialize;
use tera::Context;

use super::renderer::{Kind, SiteRenderer};
use super::segments::Form;
use crate::links::relative_url;
use crate::model::Titles;

#[derive(Serialize)]
pub(super) struct Link<'a> {
    pub(super) titles: &'a Titles,
    /// The title as HTML in the current form (see [`title_label`]).
    pub(super) label: Cow<'a, str>,
    pub(super) href: String,
    pub(super) current: bool,
}

#[derive(Serialize)]
pub(super) struct PhaseCard<'a> {
    titles: &'a Titles,
    label: &'a str,
    href: String,
    pages: Vec<Link<'a>>,
}

/// The pages a page's chrome links to, each with its relative URL: the same in the page's
/// three forms (only the titles' languages differ), so found once per page.
pub(super) struct Neighbours {
    breadcrumbs: Vec<(usize, String)>,
    prev: Option<(usize, String)>,
    next: Option<(usize, String)>,
    phase: Option<(usize, String)>,
    window: Vec<(usize, String)>,
    more_before: bool,
    more_after: bool,
}

/// A page's links as template values (`breadcrumbs`, `prev`, `next`, `nav`), made once per
/// page: its forms differ only in the links' labels, which [`PageLinks::relabel`] sets.
pub(super) struct PageLinks {
    values: serde_json::Map<String, tera::Value>,
}

impl PageLinks {
    const KEYS: [&'static str; 4] = ["breadcrumbs", "prev", "next", "nav"];

    pub(super) fn new(r: &SiteRenderer<'_>, i: usize, near: &Neighbours) -> Self {
        let form = Form::Bilingual;
        let link = |(to, href): &(usize, String)| r.link_to(i, *to, href, form);
        let breadcrumbs: Vec<Link<'_>> = near.breadcrumbs.iter().map(link).collect();
        let nav = Nav {
            phase: near.phase.as_ref().map(link),
            pages: near.window.iter().map(link).collect(),
            more_before: near.more_before,
            more_after: near.more_after,
        };
        let mut values = serde_json::Map::new();
        let mut put = |key: &str, value: Result<tera::Value, serde_json::Error>| {
            values.insert(key.to_string(), value.unwrap_or(tera::Value::Null));
        };
        put("breadcrumbs", serde_json::to_value(&breadcrumbs));
        put("prev", serde_json::to_value(near.prev.as_ref().map(link)));
        put("next", serde_json::to_value(near.next.as_ref().map(link)));
        put("nav", serde_json::to_value(&nav));
        PageLinks { values }
    }

    /// Moves the links' values into `ctx` for one render of the page, with its `content`
    /// (moved too: a body is not copied into the context).
    pub(super) fn lend(&mut self, ctx: &mut Context, content: String) {
        let mut values = std::mem::take(&mut self.values);
        values.insert("content".to_string(), tera::Value::String(content));
        if let Ok(values) = Context::from_value(tera::Value::Object(values)) {
            ctx.extend(values);
        }
    }

    /// Takes the links' values back from `ctx` after a render, for the page's next form.
    pub(super) fn take_back(&mut self, ctx: &mut Context) {
        for key in Self::KEYS {
            if let Some(value) = ctx.remove(key) {
                self.values.insert(key.to_string(), value);
            }
        }
    }

    /// Sets every link's `label` to its title in `form`.
    pub(super) fn relabel(&mut self, r: &SiteRenderer<'_>, near: &Neighbours, form: Form) {
        let label = |link: &mut tera::Value, (to, _): &(usize, String)| {
            if let Some(slot) = link.get_mut("label") {
                *slot = tera::Value::String(r.labels[*to][form.index()].clone());
            }
        };
        let v = &mut self.values;
        if let Some(tera::Value::Array(links)) = v.get_mut("breadcrumbs") {
            links
                .iter_mut()
                .zip(&near.breadcrumbs)
                .for_each(|(l, t)| label(l, t));
        }
        for (key, target) in [("prev", &near.prev), ("next", &near.next)] {
            if let (Some(l), Some(t)) = (v.get_mut(key), target) {
                label(l, t);
            }
        }
        if let Some(nav) = v.get_mut("nav") {
            if let (Some(l), Some(t)) = (nav.get_mut("phase"), &near.phase) {
                label(l, t);
            }
            if let Some(tera::Value::Array(links)) = nav.get_mut("pages") {
                links
                    .iter_mut()
                    .zip(&near.window)
                    .for_each(|(l, t)| label(l, t));
            }
        }
    }
}

/// The fallback sidebar (`nav` in templates): the current phase and the pages near the
/// current one; `toc.js` replaces it with the whole book.
#[derive(Serialize)]
pub(super) struct Nav<'a> {
    phase: Option<Link<'a>>,
    pages: Vec<Link<'a>>,
    more_before: bool,
    more_after: bool,
}

/// Pages in the fallback sidebar on each side of the current one: enough to move around
/// without JavaScript (the pager, the phase and the contents link do the rest), while
/// keeping each file's size independent of the book's size. Every page carries it three
/// times, so each entry costs a large book three files' worth of links.
const NAV_WINDOW: usize = 5;

/// The relative URL from the page at site path `from` to the page at `to`, naming its
/// `index.html`: opened from disk (`file://`) a link to a folder shows a directory listing,
/// while every server serves the file as it serves the folder.
pub(crate) fn page_link(from: &str, to: &str) -> String {
    in_folder(&relative_url(from, to))
}

/// A URL of a page's folder (`../a/`, `./`, empty for the current folder) made to name the
/// folder's `index.html`.
pub(crate) fn in_folder(folder: &str) -> String {
    match folder {
        "" | "./" => "index.html".to_string(),
        f if f.ends_with('/') => format!("{f}index.html"),
        f => format!("{f}/index.html"),
    }
}

impl SiteRenderer<'_> {
    pub(super) fn home_link(&self, from: &str, form: Form) -> Link<'_> {
        self.entry_link(from, 0, form)
    }

    /// A link from the page at `from` to entry `to`, titled for `form`.
    pub(super) fn entry_link(&self, from: &str, to: usize, form: Form) -> Link<'_> {
        let target = self.entries[to].page;
        Link {
            titles: &target.titles,
            label: Cow::Borrowed(&self.labels[to][form.index()]),
            href: page_link(from, &target.path),
            current: from == target.path,
        }
    }

    /// The entries of the pages of phase `p`, or of the loose pages.
    pub(super) fn pages_of(&self, phase: Option<usize>) -> std::ops::Range<usize> {
        let book = &self.loaded.book;
        match phase {
            Some(p) => {
                let start = self.phase_entries[p] + 1;
                start..start + book.phases[p].pages.len()
            }
            None => 1..1 + book.loose.len(),
        }
    }

    /// A link from entry `from` to entry `to` whose relative URL is known, titled for `form`.
    pub(super) fn link_to(&self, from: usize, to: usize, href: &str, form: Form) -> Link<'_> {
        Link {
            titles: &self.entries[to].page.titles,
            label: Cow::Borrowed(&self.labels[to][form.index()]),
            href: href.to_string(),
            current: from == to,
        }
    }

    /// What page `i` links to around its content, with the relative URLs: breadcrumbs,
    /// pager, and the fallback sidebar (its phase and the pages near it).
    pub(super) fn neighbours(&self, i: usize) -> Neighbours {
        let path = self.entries[i].page.path.as_str();
        let to = |j: usize| (j, page_link(path, &self.entries[j].page.path));
        let breadcrumbs = match self.entries[i].kind {
            Kind::Home => Vec::new(),
            Kind::PhaseIndex(_) | Kind::Page(None) => vec![to(0), to(i)],
            Kind::Page(Some(p)) => vec![to(0), to(self.phase_entries[p]), to(i)],
        };
        let phase = match self.entries[i].kind {
            Kind::PhaseIndex(p) | Kind::Page(Some(p)) => Some(p),
            _ => None,
        };
        let pages = self.pages_of(phase);
        let centre = if pages.contains(&i) { i } else { pages.start };
        let start = centre.saturating_sub(NAV_WINDOW).max(pages.start);
        let end = (centre + NAV_WINDOW + 1).min(pages.end);
        Neighbours {
            breadcrumbs,
            prev: i.checked_sub(1).map(to),
            next: (i + 1 < self.entries.len()).then(|| to(i + 1)),
            phase: phase.map(|p| to(self.phase_entries[p])),
            window: (start..end).map(to).collect(),
            more_before: start > pages.start,
            more_after: end < pages.end,
        }
    }

    pub(super) fn phase_cards(
        &self,
        from: &str,
        only: Option<usize>,
        form: Form,
    ) -> Vec<PhaseCard<'_>> {
        let book = &self.loaded.book;
        (0..book.phases.len())
            .filter(|i| only.is_none_or(|o| o == *i))
            .map(|p| {
                let index = self.phase_entries[p];
                PhaseCard {
                    titles: &book.phases[p].index.titles,
                    label: &self.labels[index][form.index()],
                    href: page_link(from, &book.phases[p].index.path),
                    pages: self
                        .pages_of(Some(p))
                        .map(|j| self.entry_link(from, j, form))
                        .collect(),
                }
            })
            .collect()
    }

    pub(super) fn loose_links(&self, from: &str, form: Form) -> Vec<Link<'_>> {
        self.pages_of(None)
            .map(|j| self.entry_link(from, j, form))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_links_name_the_folders_index_file() {
        assert_eq!(page_link("a/b/", "a/c/"), "../c/index.html");
        assert_eq!(page_link("a/", "a/"), "index.html");
        assert_eq!(page_link("a/b/", ""), "../../index.html");
        assert_eq!(in_folder("../zh/a"), "../zh/a/index.html");
    }
}
