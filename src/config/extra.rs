//! `[build] extra-css` / `extra-js`: the book's own stylesheets and scripts, linked from
//! every page after the theme's, so that one rule needs no copy of a template. Each is a
//! path relative to the book's folder, checked here for its shape (never leaving the book);
//! the theme reads the files and says where one is missing or a link leads out.

use std::path::{Component, Path, PathBuf};

use toml::de::{DeTable, DeValue};

use crate::diagnostics::{Diagnostic, Location};

/// A file of `extra-css` or `extra-js`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ExtraFile {
    /// Relative to the book's folder with `/` between folders (`css/site.css`): also where
    /// the file lands in the site.
    pub(crate) rel: String,
    /// The file on disk.
    pub(crate) path: PathBuf,
    /// The entry in book.toml, for errors found when the file is read.
    pub(crate) location: Option<Location>,
}

/// The entries of `[build] <key>` checked: each a relative path that stays inside the
/// book; one that does not is an error at its place in book.toml.
pub(super) fn extra_files(
    root: &Path,
    key: &str,
    entries: &[String],
    book_toml: &Path,
    text: &str,
    diags: &mut Vec<Diagnostic>,
) -> Vec<ExtraFile> {
    let mut out = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        let location = locate_item(text, &["build", key], i);
        match book_relative(entry) {
            Ok(rel) => out.push(ExtraFile {
                path: root.join(&rel),
                rel,
                location,
            }),
            Err(why) => diags.push(
                Diagnostic::error(
                    book_toml,
                    location,
                    format!("`{key}` entry `{}` {why}", entry.escape_debug()),
                )
                .with_hint(format!(
                    "give a path relative to the book's folder, such as `{key} = [\"{}\"]`, and keep the file inside the book",
                    if key == "extra-js" { "js/site.js" } else { "css/site.css" }
                )),
            ),
        }
    }
    out
}

/// `[book] favicon`, checked like an extra file (the theme reads it and says where it is
/// missing or leads out), and for its kind: browsers take SVG, PNG and ICO icons.
pub(super) fn favicon(
    root: &Path,
    entry: &str,
    book_toml: &Path,
    text: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<ExtraFile> {
    if entry.is_empty() {
        return None;
    }
    let location = locate_item(text, &["book", "favicon"], 0);
    let hint = "give the icon's path relative to the book's folder, such as `favicon = \"images/icon.svg\"` (an .svg, .png or .ico file inside the book)";
    let rel = match book_relative(entry) {
        Ok(rel) => rel,
        Err(why) => {
            diags.push(
                Diagnostic::error(
                    book_toml,
                    location,
                    format!("`favicon` `{}` {why}", entry.escape_debug()),
                )
                .with_hint(hint),
            );
            return None;
        }
    };
    if favicon_type(&rel).is_none() {
        diags.push(
            Diagnostic::error(
                book_toml,
                location,
                format!(
                    "`favicon` `{}` is not an .svg, .png or .ico file",
                    entry.escape_debug()
                ),
            )
            .with_hint(hint),
        );
        return None;
    }
    Some(ExtraFile {
        path: root.join(&rel),
        rel,
        location,
    })
}

/// The media type of an icon by its file name's ending, for `<link rel="icon" type>`.
pub(crate) fn favicon_type(rel: &str) -> Option<&'static str> {
    let ext = rel.rsplit_once('.')?.1.to_ascii_lowercase();
    match ext.as_str() {
        "svg" => Some("image/svg+xml"),
        "png" => Some("image/png"),
        "ico" => Some("image/x-icon"),
        _ => None,
    }
}

/// `[book] edit-url`, checked: an `http://` or `https://` address holding `{path}`.
pub(super) fn edit_url(
    entry: &str,
    book_toml: &Path,
    text: &str,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    if entry.is_empty() {
        return None;
    }
    let lower = entry.trim_start().to_ascii_lowercase();
    let why = if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        Some("is not an http:// or https:// address")
    } else if !entry.contains("{path}") {
        Some("has no `{path}` for the page's file")
    } else if entry.chars().any(|c| c.is_whitespace() || c.is_control()) {
        Some("holds a space or control character")
    } else {
        None
    };
    match why {
        Some(why) => {
            diags.push(
                Diagnostic::error(
                    book_toml,
                    locate_item(text, &["book", "edit-url"], 0),
                    format!("`edit-url` `{}` {why}", entry.escape_debug()),
                )
                .with_hint("write the address of your repository's editor with `{path}` where the page's file goes, such as `edit-url = \"https://github.com/owner/repo/edit/main/{path}\"`"),
            );
            None
        }
        None => Some(entry.trim().to_string()),
    }
}

/// `entry` as a plain relative path (`./a/b.css` → `a/b.css`, `\` read as `/`), or why not.
fn book_relative(entry: &str) -> Result<String, &'static str> {
    let unified = entry.replace('\\', "/");
    if unified.trim().is_empty() {
        return Err("is empty");
    }
    let path = Path::new(&unified);
    // `C:/x` is not absolute on Unix, but it is not inside the book either.
    let drive = unified.len() >= 2 && unified.as_bytes()[1] == b':';
    if path.has_root() || drive {
        return Err("is an absolute path");
    }
    let mut parts = Vec::new();
    for c in path.components() {
        match c {
            Component::Normal(name) => parts.push(name.to_string_lossy().into_owned()),
            Component::CurDir => {}
            Component::ParentDir => return Err("leaves the book's folder (`..`)"),
            Component::RootDir | Component::Prefix(_) => return Err("is an absolute path"),
        }
    }
    if unified.ends_with('/') || parts.is_empty() {
        return Err("names a folder, not a file");
    }
    Ok(parts.join("/"))
}

/// Where item `index` of the array at `keys` stands in the text (the key when the items
/// cannot be told apart).
fn locate_item(text: &str, keys: &[&str], index: usize) -> Option<Location> {
    let table = DeTable::parse(text).ok()?;
    let mut cur: &DeTable<'_> = table.get_ref();
    let (last, tables) = keys.split_last()?;
    for key in tables {
        match cur.get(*key)?.get_ref() {
            DeValue::Table(t) => cur = t,
            _ => return None,
        }
    }
    let (k, v) = cur.get_key_value(*last)?;
    let offset = match v.get_ref() {
        DeValue::Array(items) => items
            .get(index)
            .map_or(k.span().start, |item| item.span().start),
        _ => k.span().start,
    };
    Some(Location::of_offset(text, offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_stay_inside_the_book() {
        assert_eq!(book_relative("css/a.css"), Ok("css/a.css".into()));
        assert_eq!(book_relative("./css/./a.css"), Ok("css/a.css".into()));
        assert_eq!(book_relative("css\\a.css"), Ok("css/a.css".into()));
        for bad in [
            "",
            " ",
            "/etc/x.css",
            "../x.css",
            "a/../../x.css",
            "C:/x.css",
            "css/",
            ".",
        ] {
            assert!(book_relative(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn a_favicon_and_an_edit_url_are_checked_at_their_line() {
        let text = "[book]\nfavicon = \"icon.gif\"\nedit-url = \"javascript:alert(1)//{path}\"\n";
        let mut diags = Vec::new();
        let root = Path::new("/b");
        let toml = Path::new("/b/book.toml");
        assert_eq!(favicon(root, "icon.gif", toml, text, &mut diags), None);
        assert_eq!(
            edit_url("javascript:alert(1)//{path}", toml, text, &mut diags),
            None
        );
        assert_eq!(edit_url("https://e.org/edit", toml, text, &mut diags), None);
        let at: Vec<_> = diags.iter().map(|d| d.location.map(|l| l.line)).collect();
        assert_eq!(at, [Some(2), Some(3), Some(3)]);
        assert!(diags[2].message.contains("{path}"), "{}", diags[2].message);
        let icon = favicon(root, "./img/i.SVG", toml, text, &mut diags).expect("valid");
        assert_eq!(icon.rel, "img/i.SVG");
        assert_eq!(favicon_type(&icon.rel), Some("image/svg+xml"));
        assert_eq!(
            edit_url("https://e.org/{path}", toml, text, &mut diags).as_deref(),
            Some("https://e.org/{path}")
        );
    }

    #[test]
    fn each_entry_is_placed_at_its_line() {
        let text = "[build]\nextra-css = [\n  \"a.css\",\n  \"../b.css\",\n]\n";
        let mut diags = Vec::new();
        let files = extra_files(
            Path::new("/b"),
            "extra-css",
            &["a.css".into(), "../b.css".into()],
            Path::new("/b/book.toml"),
            text,
            &mut diags,
        );
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].path, Path::new("/b/a.css"));
        assert_eq!(files[0].location, Some(Location::new(3, 3)));
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].location, Some(Location::new(4, 3)));
        assert!(diags[0].message.contains("`..`"), "{}", diags[0].message);
    }
}
