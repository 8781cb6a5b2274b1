//! What the print page adds to the book's pages: a table of contents linking to each page's
//! section, and a view switcher that stays on the print page.

use serde::Serialize;

use super::chrome::SwitchLink;
use super::renderer::{Kind, SiteRenderer};
use super::segments::Form;

/// One line of the print page's contents: a page, with a phase's pages below it.
#[derive(Serialize)]
pub(super) struct ContentsLine {
    /// The title as HTML in both languages.
    label: String,
    href: String,
    pages: Vec<ContentsLine>,
}

/// The id of the section a page becomes on the print page.
pub(super) fn section_id(path: &str) -> String {
    let slug: String = path
        .trim_matches('/')
        .chars()
        .map(|c| if c == '/' { '-' } else { c })
        .collect();
    format!("print-{slug}")
}

/// The print page's contents: every page but the home page (whose text opens the print
/// page under the book's title), phases with their pages nested.
pub(super) fn contents(r: &SiteRenderer<'_>) -> Vec<ContentsLine> {
    let mut out: Vec<ContentsLine> = Vec::new();
    for (i, entry) in r.entries.iter().enumerate() {
        let line = ContentsLine {
            label: r.labels[i][Form::Bilingual.index()].clone(),
            href: format!("#{}", section_id(&entry.page.path)),
            pages: Vec::new(),
        };
        match entry.kind {
            Kind::Home => {}
            Kind::Page(Some(_)) => match out.last_mut() {
                Some(phase) => phase.pages.push(line),
                None => out.push(line),
            },
            Kind::PhaseIndex(_) | Kind::Page(None) => out.push(line),
        }
    }
    out
}

/// The four views as links that stay on the print page (`?view=…`), so a reader prints the
/// view they choose.
pub(super) fn switcher(r: &SiteRenderer<'_>) -> Vec<SwitchLink> {
    let mut links = r.switcher(Form::Bilingual, "print/");
    for link in &mut links {
        link.href = format!("?view={}", link.view);
        link.hreflang = None;
    }
    links
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_ids_follow_the_page_path() {
        assert_eq!(section_id("phase/page/"), "print-phase-page");
        assert_eq!(section_id(""), "print-");
    }
}
