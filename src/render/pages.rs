//! Every page of the book in its three forms: the templates' contexts (titles, switcher,
//! alternates, breadcrumbs, pager, sidebar) and the bodies.

use std::borrow::Cow;
use std::collections::HashMap;

use rayon::prelude::*;
use serde::Serialize;
use tera::Context;

use super::interface::Interface;
use super::page_meta::{self, MetaWords};
use super::segments::{render_body, CheckRef, Form, Marks, StaleWords};
use crate::bilingual::numbers::repeated_prefix;
use crate::config::{Config, View};
use crate::content::load::Loaded;
use crate::diagnostics::Diagnostic;
use crate::escape::escape_attr;
use crate::lang::{Languages, Side};
use crate::links::{relative_url, root_prefix, PageAnchors, SITE_ROOT, VIEW_ROOT};
use crate::model::{Page, Titles};
use crate::output::Sink;
use crate::script::split_bilingual;
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

#[derive(Serialize)]
pub(super) struct SwitchLink {
    pub(super) view: String,
    /// As HTML: on bilingual pages a view's name in both languages.
    label: String,
    pub(super) href: String,
    pub(super) hreflang: Option<String>,
    current: bool,
}

#[derive(Serialize)]
pub(super) struct Alternate {
    hreflang: String,
    href: String,
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

    fn new(r: &SiteRenderer<'_>, i: usize, near: &Neighbours) -> Self {
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

    /// Sets every link's `label` to its title in `form`.
    fn relabel(&mut self, r: &SiteRenderer<'_>, near: &Neighbours, form: Form) {
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

/// A view's document title (`view_titles` in templates).
#[derive(Serialize)]
pub(super) struct ViewTitle {
    form: &'static str,
    text: String,
}

/// A form's name in templates: `bilingual`, `primary` or `secondary`.
fn form_name(form: Form) -> &'static str {
    match form {
        Form::Bilingual => "bilingual",
        Form::Only(Side::Primary) => "primary",
        Form::Only(Side::Secondary) => "secondary",
    }
}

/// The values every page of `form` shares, set once in the form's base context: its name,
/// language, view, which languages it shows, the book's title.
fn form_values(ctx: &mut Context, config: &Config, form: Form, book_label: &str) {
    let langs = &config.languages;
    let (lang, view) = match form {
        Form::Bilingual => (&langs.primary.tag, config.default_view),
        Form::Only(side) => (&langs.get(side).tag, View::Only(side)),
    };
    ctx.insert("form", form_name(form));
    ctx.insert("book_label", book_label);
    ctx.insert("lang", lang);
    ctx.insert("view", &view.name(langs));
    ctx.insert("mode", view.mode());
    ctx.insert("show_primary", &form.shows(Side::Primary));
    ctx.insert("show_secondary", &form.shows(Side::Secondary));
    ctx.insert("book_title_text", &plain_title(&config.title, form));
}

/// A title as plain text in a form (as the theme's `m::plain` macro writes it): one language
/// on a language's own pages, both joined by ` · ` on bilingual ones, one text when both are
/// the same.
fn plain_title(titles: &Titles, form: Form) -> String {
    match form {
        _ if titles[0] == titles[1] => titles[0].clone(),
        Form::Only(side) => titles[side.index()].clone(),
        Form::Bilingual => format!("{} · {}", titles[0], titles[1]),
    }
}

/// Pages in the fallback sidebar on each side of the current one: enough to move around
/// without JavaScript (the pager, the phase and the contents link do the rest), while
/// keeping each file's size independent of the book's size. Every page carries it three
/// times, so each entry costs a large book three files' worth of links.
const NAV_WINDOW: usize = 5;

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
    meta_words: MetaWords,
}

impl<'a> SiteRenderer<'a> {
    pub(crate) fn new(config: &'a Config, loaded: &'a Loaded, theme: &'a Theme) -> Self {
        let book = &loaded.book;
        let mut entries = vec![Entry {
            page: &book.home,
            kind: Kind::Home,
        }];
        entries.extend(book.loose.iter().map(|p| Entry {
            page: p,
            kind: Kind::Page(None),
        }));
        let mut phase_entries = Vec::with_capacity(book.phases.len());
        for (i, phase) in book.phases.iter().enumerate() {
            phase_entries.push(entries.len());
            entries.push(Entry {
                page: &phase.index,
                kind: Kind::PhaseIndex(i),
            });
            entries.extend(phase.pages.iter().map(|p| Entry {
                page: p,
                kind: Kind::Page(Some(i)),
            }));
        }
        let langs = &config.languages;
        let labels = entries
            .par_iter()
            .map(|e| {
                // Navigation names a page as the book's table of contents does.
                Form::ALL.map(|form| title_label(e.page.nav_titles(), form, langs))
            })
            .collect();
        let mut base = Context::new();
        base.insert("book_title", &config.title);
        base.insert("book_description", &config.description);
        base.insert("langs", &config.languages);
        base.insert("base_url", &config.base_url);
        base.insert("default_view", &config.default_view.name(&config.languages));
        base.insert("default_mode", config.default_view.mode());
        base.insert("book_key", &book_key(config));
        base.insert("generator", concat!("Diglot ", env!("CARGO_PKG_VERSION")));
        base.insert("has_checklists", &!loaded.checklists.is_empty());
        base.insert("has_status_page", &config.translation.status_page);
        base.insert("has_code", &has_code(&loaded.book));
        base.insert("extra_css", &theme.extra_css);
        base.insert("extra_js", &theme.extra_js);
        base.insert("extra", &config.extra);
        base.insert("favicon", &favicon(config, theme));
        let interface = Interface::new(theme, langs);
        let book_labels = Form::ALL.map(|form| title_label(&config.title, form, langs));
        let form_bases = Form::ALL.map(|form| {
            let mut ctx = base.clone();
            ctx.insert("ui", &interface.html(form));
            ctx.insert("ui_text", &interface.text(form));
            form_values(&mut ctx, config, form, &book_labels[form.index()]);
            ctx
        });
        SiteRenderer {
            config,
            loaded,
            theme,
            entries,
            labels,
            phase_entries,
            form_bases,
            view_labels: Form::ALL.map(|form| {
                let labels = interface.html(form);
                ["side_by_side", "interleaved"].map(|k| labels.get(k).cloned().unwrap_or_default())
            }),
            stale_words: stale_words(&interface, langs),
            meta_words: MetaWords::new(&interface),
            interface,
        }
    }

    /// What every page-like template needs: its form, titles, switcher, alternates, canonical.
    pub(super) fn page_context(&self, form: Form, path: &str, titles: &Titles) -> Context {
        let mut ctx = self.form_bases[form.index()].clone();
        self.fill_page(&mut ctx, form, path, titles);
        ctx
    }

    /// Sets in `ctx` (a copy of the form's base) what [`SiteRenderer::page_context`] gives.
    fn fill_page(&self, ctx: &mut Context, form: Form, path: &str, titles: &Titles) {
        self.fill_form(ctx, form, path);
        self.insert_titles(ctx, form, path, titles);
        ctx.insert(
            "description",
            &self.described(&self.config.description, form),
        );
        ctx.insert("switcher", &self.switcher(form, path));
        ctx.insert("alternates", &self.alternates(path));
        ctx.insert(
            "canonical",
            &format!(
                "{}{}{}",
                self.config.base_url,
                form_prefix(form, self.config),
                path
            ),
        );
    }

    /// Sets `titles`, the page's title, and the plain texts a page's head shows: `title_text`
    /// in this form (`book_title_text` is in the form's base), and on bilingual pages `view_titles`, the document
    /// title of each view (the script sets it when the reader switches).
    pub(super) fn insert_titles(&self, ctx: &mut Context, form: Form, path: &str, titles: &Titles) {
        let book = &self.config.title;
        ctx.insert("titles", titles);
        ctx.insert("title_text", &plain_title(titles, form));
        let views: Vec<ViewTitle> = match form {
            Form::Bilingual => [
                Form::Only(Side::Primary),
                Form::Only(Side::Secondary),
                Form::Bilingual,
            ]
            .into_iter()
            .map(|view| {
                let book_text = plain_title(book, view);
                let text = if !path.is_empty() && titles != book {
                    format!("{} — {book_text}", plain_title(titles, view))
                } else {
                    book_text
                };
                ViewTitle {
                    form: form_name(view),
                    text,
                }
            })
            .collect(),
            Form::Only(_) => Vec::new(),
        };
        ctx.insert("view_titles", &views);
    }

    /// A description (`中文 | English` or one text) as a page of `form` shows it: a
    /// language's own pages take their half.
    pub(super) fn described(&self, text: &str, form: Form) -> String {
        match (form, split_bilingual(text, &self.config.languages)) {
            (Form::Only(side), Some(halves)) => halves[side.index()].clone(),
            _ => text.to_string(),
        }
    }

    pub(super) fn home_link(&self, from: &str, form: Form) -> Link<'_> {
        self.entry_link(from, 0, form)
    }

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

    /// Renders pages `which` in their three forms, in parallel. Returns the diagnostics and,
    /// for each page, its index and bilingual body (which the print page reuses).
    pub(crate) fn render_pages(
        &self,
        which: &[usize],
        out: &dyn Sink,
    ) -> (Vec<Diagnostic>, Vec<RenderedPage>) {
        // Each thread copies the forms' shared values once (their ~90 interface strings
        // each) and sets only a page's own values on them.
        let results: Vec<(Vec<Diagnostic>, String, PageAnchors)> = which
            .par_iter()
            .map_init(
                || self.form_bases.clone(),
                |bases, &i| self.render_entry(i, out, bases),
            )
            .collect();
        let mut diags = Vec::new();
        let mut pages = Vec::with_capacity(results.len());
        for (&index, (d, body, anchors)) in which.iter().zip(results) {
            diags.extend(d);
            pages.push(RenderedPage {
                index,
                body,
                anchors,
            });
        }
        (diags, pages)
    }

    /// Writes page `i` in its three forms; returns its diagnostics, its bilingual body and
    /// its anchors.
    pub(super) fn render_entry(
        &self,
        i: usize,
        out: &dyn Sink,
        bases: &mut [Context; 3],
    ) -> (Vec<Diagnostic>, String, PageAnchors) {
        let entry = &self.entries[i];
        let mut diags = Vec::new();
        let checks = self
            .loaded
            .checklists
            .items_of(&entry.page.path)
            .map(|items| {
                items
                    .iter()
                    .map(|(at, (id, checked))| {
                        (
                            *at,
                            CheckRef {
                                id: id.clone(),
                                checked: *checked,
                                back: None,
                            },
                        )
                    })
                    .collect::<HashMap<_, _>>()
            });
        let langs = &self.config.languages;
        let settings = &self.config.translation;
        let marks = self.loaded.translation.pages.get(i).map(|status| Marks {
            status,
            source: settings.source,
            notices: settings.notices,
            words: &self.stale_words,
        });
        let body = render_body(
            entry.page,
            &self.loaded.links,
            checks.as_ref(),
            marks.as_ref(),
            langs,
            &mut diags,
        );
        diags.extend(body.unused_definitions.iter().cloned());
        let neighbours = self.neighbours(i);
        let langs = &self.config.languages;
        let mut bilingual = String::new();
        let mut links = PageLinks::new(self, i, &neighbours);
        for form in Form::ALL {
            let content = body.html(form, langs);
            let site_root = root_prefix(&format!(
                "{}{}",
                form_prefix(form, self.config),
                entry.page.path
            ));
            let resolved = resolve_roots(&content, &site_root, &root_prefix(&entry.page.path));
            if form != Form::Bilingual {
                links.relabel(self, &neighbours, form);
            }
            let ctx = &mut bases[form.index()];
            match self.render_page(i, form, resolved, &mut links, ctx) {
                Ok(html) => {
                    let rel = format!(
                        "{}{}index.html",
                        form_prefix(form, self.config),
                        entry.page.path
                    );
                    if let Err(d) = out.write(&rel, &html) {
                        diags.push(d);
                    }
                }
                Err(d) => {
                    diags.push(d);
                    break;
                }
            }
            if form == Form::Bilingual {
                bilingual = content;
            }
        }
        (diags, bilingual, body.anchors)
    }

    /// Renders page `i` in `form` with `ctx`, a copy of the form's base: every value a page
    /// sets is set again by the next, or removed after. `content` and the links' values are
    /// moved into the context and the links taken back for the page's next form.
    pub(super) fn render_page(
        &self,
        i: usize,
        form: Form,
        content: String,
        links: &mut PageLinks,
        ctx: &mut Context,
    ) -> Result<Vec<u8>, Diagnostic> {
        let entry = &self.entries[i];
        let page = entry.page;
        self.fill_page(ctx, form, &page.path, &page.titles);
        if !page.description.is_empty() {
            ctx.insert("description", &self.described(&page.description, form));
        }
        ctx.insert(
            "edit_links",
            &page_meta::edit_links(self.config, page, form, &self.meta_words),
        );
        let times = self.loaded.translation.pages.get(i).map(|s| s.updated);
        ctx.insert(
            "updated",
            &page_meta::updated(
                times.unwrap_or_default(),
                form,
                &self.meta_words,
                &self.config.languages,
            ),
        );
        let from = page.path.as_str();
        let content_len = content.len();
        let mut own = std::mem::take(&mut links.values);
        own.insert("content".to_string(), tera::Value::String(content));
        if let Ok(values) = Context::from_value(tera::Value::Object(own)) {
            ctx.extend(values);
        }
        let template = match entry.kind {
            Kind::Home => {
                ctx.insert("phases", &self.phase_cards(from, None, form));
                ctx.insert("loose", &self.loose_links(from, form));
                "home.html"
            }
            Kind::PhaseIndex(p) => {
                ctx.insert("phases", &self.phase_cards(from, Some(p), form));
                "phase.html"
            }
            Kind::Page(_) => "page.html",
        };
        let html = self.apply(template, ctx, page, content_len);
        for only_some_pages in ["phases", "loose"] {
            ctx.remove(only_some_pages);
        }
        for key in PageLinks::KEYS {
            if let Some(value) = ctx.remove(key) {
                links.values.insert(key.to_string(), value);
            }
        }
        html
    }

    /// Renders a page's template into a buffer sized for its content and the page around it,
    /// so that the page is not copied as it grows.
    pub(super) fn apply(
        &self,
        template: &str,
        ctx: &Context,
        page: &Page,
        content_len: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        let mut html = Vec::with_capacity(content_len + 16 * 1024);
        self.theme
            .render_page(template, ctx, page.sources.file(Side::Primary), &mut html)?;
        Ok(html)
    }

    /// Values every page of a form shares: its language, its view and the way to the root.
    pub(super) fn form_context(&self, form: Form, path: &str) -> Context {
        let mut ctx = self.form_bases[form.index()].clone();
        self.fill_form(&mut ctx, form, path);
        ctx
    }

    /// Sets in `ctx` (a copy of the form's base, which holds the form's own values) what
    /// [`SiteRenderer::form_context`] gives.
    fn fill_form(&self, ctx: &mut Context, form: Form, path: &str) {
        let prefix = form_prefix(form, self.config);
        ctx.insert("root", &root_prefix(&format!("{prefix}{path}")));
        ctx.insert("view_root", &root_prefix(path));
        ctx.insert("page_url", path);
    }

    pub(super) fn switcher(&self, form: Form, path: &str) -> Vec<SwitchLink> {
        let langs = &self.config.languages;
        let root = root_prefix(&format!("{}{}", form_prefix(form, self.config), path));
        let current_view = match form {
            Form::Bilingual => self.config.default_view,
            Form::Only(side) => View::Only(side),
        };
        let mut out = Vec::new();
        for side in Side::BOTH {
            let lang = langs.get(side);
            out.push(SwitchLink {
                view: lang.code.clone(),
                label: escape_attr(&lang.name),
                href: in_folder(&format!("{root}{}/{path}", lang.code)),
                hreflang: Some(lang.tag.clone()),
                current: current_view == View::Only(side),
            });
        }
        for (view, label) in [View::SideBySide, View::Interleaved]
            .into_iter()
            .zip(self.view_labels[form.index()].iter())
        {
            let name = view.name(langs);
            let href = match form {
                Form::Bilingual => format!("?view={name}"),
                Form::Only(_) => format!("{}?view={name}", in_folder(&format!("{root}{path}"))),
            };
            out.push(SwitchLink {
                view: name,
                label: label.clone(),
                href,
                hreflang: None,
                current: current_view == view,
            });
        }
        out
    }

    pub(super) fn alternates(&self, path: &str) -> Vec<Alternate> {
        let base = &self.config.base_url;
        let langs = &self.config.languages;
        let mut out: Vec<Alternate> = Side::BOTH
            .iter()
            .map(|s| Alternate {
                hreflang: langs.get(*s).tag.clone(),
                href: format!("{base}{}/{path}", langs.get(*s).code),
            })
            .collect();
        out.push(Alternate {
            hreflang: "x-default".into(),
            href: format!("{base}{path}"),
        });
        out
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

/// The site's icon (`favicon` in templates): the book's, or the theme's `static/favicon.svg`
/// when it has one.
#[derive(Serialize)]
pub(super) struct Favicon {
    /// Relative to the site's root, percent-encoded.
    href: String,
    #[serde(rename = "type")]
    media_type: &'static str,
}

fn favicon(config: &Config, theme: &Theme) -> Option<Favicon> {
    match &config.favicon {
        Some(file) => Some(Favicon {
            href: crate::theme::site_url(&file.rel),
            media_type: crate::config::favicon_type(&file.rel).unwrap_or("image/x-icon"),
        }),
        None => theme
            .statics
            .iter()
            .any(|(name, _)| name == "favicon.svg")
            .then(|| Favicon {
                href: "static/favicon.svg".into(),
                media_type: "image/svg+xml",
            }),
    }
}

/// The words a stale block shows in each language, `{source}` made the source's name.
fn stale_words(interface: &Interface, langs: &Languages) -> [StaleWords; 2] {
    let [marker, notice, link] =
        ["stale_marker", "stale_notice", "stale_link"].map(|k| interface.titles(k));
    Side::BOTH.map(|side| StaleWords {
        marker: marker[side.index()].clone(),
        notice: notice[side.index()].replace("{source}", &langs.get(side.other()).name),
        link: link[side.index()].clone(),
    })
}

/// A title as HTML for the languages `form` shows, each span marked with its language; one
/// unmarked span when both languages share the title. Page titles in sidebars, breadcrumbs,
/// pagers and lists use it (as a link's `label`); themes may still build their own from
/// `titles`.
pub(crate) fn title_label(titles: &Titles, form: Form, langs: &Languages) -> String {
    if titles[0] == titles[1] {
        return format!("<span class=\"l0\">{}</span>", escape_attr(&titles[0]));
    }
    let repeated = match form {
        Form::Bilingual => repeated_prefix([&titles[0], &titles[1]], &titles[1]),
        _ => None,
    };
    let Some(number) = repeated else {
        return title_elements(titles, form, langs, "span", "");
    };
    // Both languages on one line need the section number once: the second one is marked,
    // and shown only when a view hides the first language.
    let second = format!(
        "<span class=\"num-again\">{}</span>{}",
        escape_attr(number),
        escape_attr(&titles[1][number.len()..])
    );
    format!(
        "<span class=\"l1\" lang=\"{}\">{}</span><span class=\"l2\" lang=\"{}\">{second}</span>",
        escape_attr(&langs.primary.tag),
        escape_attr(&titles[0]),
        escape_attr(&langs.secondary.tag),
    )
}

/// A title as one `<tag class="lN" lang="…" attrs>` element per language `form` shows: the
/// one way Rust writes a title pair into HTML.
pub(crate) fn title_elements(
    titles: &Titles,
    form: Form,
    langs: &Languages,
    tag: &str,
    attrs: &str,
) -> String {
    let mut html = String::new();
    for side in Side::BOTH.into_iter().filter(|s| form.shows(*s)) {
        html.push_str(&format!(
            "<{tag} class=\"l{}\" lang=\"{}\"{attrs}>{}</{tag}>",
            side.index() + 1,
            escape_attr(&langs.get(side).tag),
            escape_attr(&titles[side.index()])
        ));
    }
    html
}

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

/// Puts the relative ways to the site root and to the form's root in place of the
/// placeholders that rendered Markdown leaves in its links, in one pass.
pub(crate) fn resolve_roots(html: &str, site_root: &str, view_root: &str) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    let mut rest = html;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some(after) = tail.strip_prefix(SITE_ROOT) {
            out.push_str(site_root);
            rest = after;
        } else if let Some(after) = tail.strip_prefix(VIEW_ROOT) {
            // What follows is a page's folder and maybe `#id` or `?q` (see `links`).
            let end = after
                .find(|c: char| {
                    matches!(c, '#' | '?' | '"' | '\'' | '<' | '>') || c.is_whitespace()
                })
                .unwrap_or(after.len());
            let folder = &after[..end];
            out.push_str(view_root);
            out.push_str(folder);
            if folder.is_empty() || folder.ends_with('/') {
                out.push_str("index.html");
            }
            rest = &after[end..];
        } else {
            out.push('%');
            rest = &tail[1..];
        }
    }
    out.push_str(rest);
    out
}

/// Whether any page holds a code block, which decides whether the highlighting stylesheet is
/// written and linked (a book without code pays nothing for highlighting).
pub(crate) fn has_code(book: &crate::model::Book) -> bool {
    use crate::model::{BlockKind, Segment};
    book.pages().any(|page| {
        page.segments.iter().any(|seg| {
            matches!(
                seg,
                Segment::Block {
                    kind: BlockKind::Code,
                    ..
                }
            ) || seg
                .contents()
                .flat_map(|c| Side::BOTH.into_iter().filter_map(move |s| c.side(s)))
                .any(|t| t.md.contains("```") || t.md.contains("~~~"))
        })
    })
}

/// Where a form lives: the bilingual pages at the root, each language under its code.
pub(crate) fn form_prefix(form: Form, config: &Config) -> String {
    match form {
        Form::Bilingual => String::new(),
        Form::Only(side) => format!("{}/", config.languages.get(side).code),
    }
}

/// A name for the book's saved state in the browser, so two books on one host keep theirs apart.
pub(super) fn book_key(config: &Config) -> String {
    let hash = crate::hash::fnv1a32(&format!("{}|{}", config.base_url, config.title[1]));
    format!("{hash:08x}")
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

    #[test]
    fn a_page_link_in_markdown_names_the_index_file_before_its_fragment() {
        let html = format!(
            "<a href=\"{VIEW_ROOT}b/c/#x\">1</a><a href=\"{VIEW_ROOT}\">2</a><img src=\"{SITE_ROOT}img/a.png\">"
        );
        assert_eq!(
            resolve_roots(&html, "../../", "../"),
            "<a href=\"../b/c/index.html#x\">1</a><a href=\"../index.html\">2</a><img src=\"../../img/a.png\">"
        );
    }
}
