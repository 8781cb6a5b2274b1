//! Giving pages their URLs: slugs from front matter or file names, names the generated site
//! reserves, two pages on one URL, and the link table that resolves `page.md` links.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::config::Config;
use crate::content::discover::SourceFiles;
use crate::content::page::LoadedPage;
use crate::content::slug::{custom_slug_problem, url_slug};
use crate::diagnostics::{shown, Diagnostic};
use crate::lang::{Languages, Side};
use crate::links::LinkTargets;
use crate::model::Page;
use crate::text::read_text;

/// The URLs handed out so far (compared without case: `Intro/` and `intro/` are one folder
/// on some file systems) and the link table they fill.
pub(crate) struct UrlTable<'a> {
    taken: HashMap<String, PathBuf>,
    links: LinkTargets,
    langs: &'a Languages,
}

impl<'a> UrlTable<'a> {
    pub(crate) fn new(config: &'a Config) -> UrlTable<'a> {
        UrlTable {
            taken: HashMap::new(),
            links: LinkTargets {
                roots: config.content_dirs.clone(),
                raw_html: config.raw_html,
                ..Default::default()
            },
            langs: &config.languages,
        }
    }

    /// The home page takes the site's root, and links to `_index.md` lead there.
    pub(crate) fn place_home(&mut self, home: &mut Page) {
        self.taken
            .insert(String::new(), home.sources.file(Side::Primary).clone());
        let home_source = SourceFiles {
            key: PathBuf::from("_index"),
            files: [None, None],
        };
        register_links(&home_source, "", self.langs, &mut self.links);
        home.path = String::new();
    }

    /// Gives the page `path`, with an error when another page already has it.
    pub(crate) fn place(&mut self, lp: &mut LoadedPage, path: String, diags: &mut Vec<Diagnostic>) {
        let lowered = path.to_lowercase();
        if let Some(other) = self.taken.get(&lowered) {
            diags.push(
                Diagnostic::error(
                    lp.page.sources.file(Side::Primary),
                    None,
                    format!("URL /{path} is already taken by {}", shown(other)),
                )
                .with_hint(
                    "give one of the pages another `slug` in its front matter, or rename the file",
                ),
            );
        } else {
            self.taken
                .insert(lowered, lp.page.sources.file(Side::Primary).clone());
        }
        register_links(&lp.source, &path, self.langs, &mut self.links);
        lp.page.path = path;
    }

    /// The link table: every page's file names and the URL each leads to.
    pub(crate) fn into_links(self) -> LinkTargets {
        self.links
    }
}

/// Links to the page by any of its file names (`x.md`, `x.zh.md`, `x.en.md`) lead to `path`.
fn register_links(source: &SourceFiles, path: &str, langs: &Languages, links: &mut LinkTargets) {
    let key = source.key.to_string_lossy();
    for name in [
        format!("{key}.md"),
        format!("{key}.{}.md", langs.primary.code),
        format!("{key}.{}.md", langs.secondary.code),
    ] {
        links.pages.insert(PathBuf::from(name), path.to_string());
    }
}

/// The page's own URL segment: its `slug` when usable, else from its file name.
pub(crate) fn page_slug(lp: &LoadedPage, diags: &mut Vec<Diagnostic>) -> String {
    custom_slug(lp, diags).unwrap_or_else(|| url_slug(&lp.source.stem()))
}

/// The page's `slug` from front matter when it is usable; an error at its line when not.
pub(crate) fn custom_slug(lp: &LoadedPage, diags: &mut Vec<Diagnostic>) -> Option<String> {
    let slug = lp.front.slug.as_ref()?;
    let Some(problem) = custom_slug_problem(slug) else {
        return Some(slug.clone());
    };
    let file = lp
        .page
        .sources
        .files
        .iter()
        .find(|f| {
            read_text(f)
                .is_ok_and(|t| crate::toml_doc::locate_front_matter_key(&t, "slug").is_some())
        })
        .unwrap_or(lp.page.sources.file(Side::Primary));
    let location = read_text(file)
        .ok()
        .and_then(|t| crate::toml_doc::locate_front_matter_key(&t, "slug"));
    let suggestion = url_slug(slug);
    diags.push(
        Diagnostic::error(
            file,
            location,
            format!("invalid slug `{}`", slug.escape_debug()),
        )
        .with_hint(format!("{problem}; e.g. slug = \"{suggestion}\"")),
    );
    None
}

/// An error when a top-level slug would take a name the generated site uses (`search`,
/// `print`, a language code, …).
pub(crate) fn check_reserved(
    slug: &str,
    lp: &LoadedPage,
    config: &Config,
    diags: &mut Vec<Diagnostic>,
) {
    let langs = &config.languages;
    if crate::paths::is_reserved_name(slug)
        || slug == langs.primary.code
        || slug == langs.secondary.code
    {
        diags.push(
            Diagnostic::error(
                lp.page.sources.file(Side::Primary),
                None,
                format!(
                    "`{slug}` is reserved for the generated site and cannot name a page or phase"
                ),
            )
            .with_hint("rename the file or folder, or set another `slug` in its front matter"),
        );
    }
}
