//! What templates receive around a page's body: the form's and the page's values (titles,
//! view switcher, alternates, canonical URL), and titles written as HTML.

use serde::Serialize;
use tera::Context;

use super::nav::in_folder;
use super::renderer::{form_prefix, SiteRenderer};
use super::segments::Form;
use crate::bilingual::numbers::repeated_prefix;
use crate::config::{Config, View};
use crate::escape::escape_attr;
use crate::lang::{Languages, Side};
use crate::links::root_prefix;
use crate::model::Titles;
use crate::script::split_bilingual;
use crate::theme::Theme;

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

/// A view's document title (`view_titles` in templates).
#[derive(Serialize)]
pub(super) struct ViewTitle {
    form: &'static str,
    text: String,
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
pub(super) fn form_values(ctx: &mut Context, config: &Config, form: Form, book_label: &str) {
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

pub(super) fn favicon(config: &Config, theme: &Theme) -> Option<Favicon> {
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

impl SiteRenderer<'_> {
    /// What every page-like template needs: its form, titles, switcher, alternates, canonical.
    pub(super) fn page_context(&self, form: Form, path: &str, titles: &Titles) -> Context {
        let mut ctx = self.form_bases[form.index()].clone();
        self.fill_page(&mut ctx, form, path, titles);
        ctx
    }

    /// Sets in `ctx` (a copy of the form's base) what [`SiteRenderer::page_context`] gives.
    pub(super) fn fill_page(&self, ctx: &mut Context, form: Form, path: &str, titles: &Titles) {
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
}
