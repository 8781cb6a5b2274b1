//! What a page says about itself below its content: a link to edit its source file (one per
//! language when the languages keep separate files) and the day it last changed in git.

use std::path::{Component, Path, PathBuf};

use serde::Serialize;

use super::interface::Interface;
use super::segments::Form;
use crate::config::Config;
use crate::escape::escape_attr;
use crate::lang::{Languages, Side};
use crate::model::{Page, Titles};

/// One link or date of a page's footer. On a bilingual page that needs one per language,
/// each is marked `l1`/`l2` with its language, so that a view shows the ones of its
/// languages; one item standing for both has neither.
#[derive(Debug, Serialize, PartialEq, Eq)]
pub(super) struct MetaItem {
    /// `l1`, `l2`, or empty.
    class: &'static str,
    /// The language tag of a per-language item.
    lang: Option<String>,
    /// As HTML, in the item's languages.
    label: String,
    /// The edit link's address (`edit_links`), or the date `YYYY-MM-DD` (`updated`).
    value: String,
}

/// The interface strings of the footer, found once.
pub(super) struct MetaWords {
    edit: Titles,
    updated: Titles,
    /// Both languages' strings as a bilingual page shows them.
    edit_both: String,
    updated_both: String,
}

impl MetaWords {
    pub(super) fn new(interface: &Interface) -> Self {
        let both = interface.html(Form::Bilingual);
        let get = |key: &str| both.get(key).cloned().unwrap_or_default();
        MetaWords {
            edit: interface.titles("edit_page"),
            updated: interface.titles("last_updated"),
            edit_both: get("edit_page"),
            updated_both: get("last_updated"),
        }
    }
}

/// One value per language a page of `form` shows, as footer items: one item when the
/// languages share it, else one per language (a language without a value has none).
fn items(
    values: [Option<String>; 2],
    form: Form,
    words: (&Titles, &str),
    langs: &Languages,
) -> Vec<MetaItem> {
    let shown: Vec<Side> = Side::BOTH.into_iter().filter(|s| form.shows(*s)).collect();
    let present: Vec<(Side, &String)> = shown
        .iter()
        .filter_map(|s| values[s.index()].as_ref().map(|v| (*s, v)))
        .collect();
    let (titles, both) = words;
    match (form, present.as_slice()) {
        (_, []) => Vec::new(),
        (Form::Bilingual, [(_, a), (_, b)]) if a == b => vec![MetaItem {
            class: "",
            lang: None,
            label: both.to_string(),
            value: a.to_string(),
        }],
        _ => present
            .iter()
            .map(|(side, value)| MetaItem {
                class: match (form, side) {
                    (Form::Only(_), _) => "",
                    (_, Side::Primary) => "l1",
                    (_, Side::Secondary) => "l2",
                },
                lang: Some(langs.get(*side).tag.clone()),
                label: escape_attr(&titles[side.index()]),
                value: value.to_string(),
            })
            .collect(),
    }
}

/// The links to edit `page`'s files (`[book] edit-url`), for a page of `form`.
pub(super) fn edit_links(
    config: &Config,
    page: &Page,
    form: Form,
    words: &MetaWords,
) -> Vec<MetaItem> {
    let Some(template) = &config.edit_url else {
        return Vec::new();
    };
    let values = Side::BOTH.map(|side| {
        let rel = book_relative(&config.root, page.sources.file(side))?;
        Some(template.replace("{path}", &crate::theme::site_url(&rel)))
    });
    items(
        values,
        form,
        (&words.edit, &words.edit_both),
        &config.languages,
    )
}

/// The day each language's file last changed in a commit, for a page of `form`.
pub(super) fn updated(
    times: [Option<i64>; 2],
    form: Form,
    words: &MetaWords,
    langs: &Languages,
) -> Vec<MetaItem> {
    items(
        times.map(|t| t.map(crate::history::date)),
        form,
        (&words.updated, &words.updated_both),
        langs,
    )
}

/// `file` relative to the book's folder with `/` between folders; a translation kept in a
/// tree beside the book starts with `../`, which the browser resolves against the address
/// (`…/main/book/../book-en/a.md` opens `…/main/book-en/a.md`). `None` for a page without a
/// file of its own.
fn book_relative(root: &Path, file: &Path) -> Option<String> {
    if file.as_os_str().is_empty() || !file.is_file() {
        return None;
    }
    let (root, file) = (normalise(root), normalise(file));
    let common = root
        .components()
        .zip(file.components())
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts = Vec::new();
    for c in root.components().skip(common) {
        match c {
            Component::Normal(_) => parts.push("..".to_string()),
            // A root above where the paths part (`..`, or one relative and one absolute).
            _ => return None,
        }
    }
    for c in file.components().skip(common) {
        match c {
            Component::Normal(name) => parts.push(name.to_string_lossy().into_owned()),
            _ => return None,
        }
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// `path` with `.` and `..` resolved by name (no file system access: links are the
/// book's own business, and the address names the file where the book names it).
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_named_from_the_books_folder() {
        let dir = tempfile::tempdir().expect("temp dir");
        let book = dir.path().join("book");
        std::fs::create_dir_all(book.join("content")).expect("mkdir");
        std::fs::write(book.join("content/a b.md"), "x").expect("write");
        std::fs::write(dir.path().join("out.md"), "x").expect("write");
        assert_eq!(
            book_relative(&book, &book.join("./content/a b.md")).as_deref(),
            Some("content/a b.md")
        );
        assert_eq!(
            book_relative(&book, &book.join("../out.md")).as_deref(),
            Some("../out.md")
        );
        assert_eq!(book_relative(&book, &book.join("content/missing.md")), None);
        assert_eq!(book_relative(&book, Path::new("")), None);
    }
}
