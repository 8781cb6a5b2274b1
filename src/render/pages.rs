//! Every page of the book in its three forms: the renderer the other render modules share
//! (entries in reading order, each form's base context), and the loop that renders a page's
//! body once and its three forms around it. What a template receives around the body is in
//! [`super::chrome`]; the links between pages in [`super::nav`].

use std::collections::HashMap;

use rayon::prelude::*;
use tera::Context;

use super::chrome::{favicon, form_values, title_label};
use super::interface::Interface;
use super::nav::PageLinks;
use super::page_meta::{self, MetaWords};
use super::renderer::{form_prefix, Entry, Kind, RenderedPage, SiteRenderer};
use super::segments::{render_body, CheckRef, Form, Marks, PageBody, StaleWords};
use crate::config::Config;
use crate::content::load::Loaded;
use crate::diagnostics::Diagnostic;
use crate::lang::{Languages, Side};
use crate::links::{root_prefix, PageAnchors, SITE_ROOT, VIEW_ROOT};
use crate::model::Page;
use crate::output::Sink;
use crate::theme::Theme;

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
        let body = self.body_of(i, &mut diags);
        let neighbours = self.neighbours(i);
        let langs = &self.config.languages;
        let mut bilingual = String::new();
        let mut links = PageLinks::new(self, i, &neighbours);
        for form in Form::ALL {
            let content = body.html(form, langs);
            // The page's folder in this form's tree (`en/a/b/`, or `a/b/` for the bilingual).
            let at = format!("{}{}", form_prefix(form, self.config), entry.page.path);
            let resolved =
                resolve_roots(&content, &root_prefix(&at), &root_prefix(&entry.page.path));
            if form != Form::Bilingual {
                links.relabel(self, &neighbours, form);
            }
            let ctx = &mut bases[form.index()];
            match self.render_page(i, form, resolved, &mut links, ctx) {
                Ok(html) => {
                    if let Err(d) = out.write(&format!("{at}index.html"), &html) {
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

    /// Page `i`'s body, rendered once for its three forms: its checklist items and its
    /// translation state marked.
    fn body_of(&self, i: usize, diags: &mut Vec<Diagnostic>) -> PageBody {
        let page = self.entries[i].page;
        let checks = self.loaded.checklists.items_of(&page.path).map(|items| {
            items
                .iter()
                .map(|(at, (id, checked))| {
                    let check = CheckRef {
                        id: id.clone(),
                        checked: *checked,
                        back: None,
                    };
                    (*at, check)
                })
                .collect::<HashMap<_, _>>()
        });
        let settings = &self.config.translation;
        let marks = self.loaded.translation.pages.get(i).map(|status| Marks {
            status,
            source: settings.source,
            notices: settings.notices,
            words: &self.stale_words,
        });
        let body = render_body(
            page,
            &self.loaded.links,
            checks.as_ref(),
            marks.as_ref(),
            &self.config.languages,
            diags,
        );
        diags.extend(body.unused_definitions.iter().cloned());
        body
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
        links.lend(ctx, content);
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
        links.take_back(ctx);
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

/// A name for the book's saved state in the browser, so two books on one host keep theirs apart.
pub(super) fn book_key(config: &Config) -> String {
    let hash = crate::hash::fnv1a32(&format!("{}|{}", config.base_url, config.title[1]));
    format!("{hash:08x}")
}

#[cfg(test)]
mod tests {
    use super::*;

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
