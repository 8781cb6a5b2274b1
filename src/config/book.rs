//! The `[book]` and `[build]` values that take more than a copy: the default view, each
//! language's content folder, the base URL and the title in each language.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::base_url::{parse_base_url, BASE_URL_HINT};
use super::{PoSource, RawLanguage, View};
use crate::diagnostics::{Diagnostic, Location};
use crate::lang::{Languages, Side};
use crate::script::split_bilingual;

/// `[book] default-view`: a language's code, `side-by-side` or `interleaved`.
pub(super) fn default_view(
    name: &str,
    languages: &Languages,
    path: &Path,
    locate: &dyn Fn(&[&str]) -> Option<Location>,
    diags: &mut Vec<Diagnostic>,
) -> View {
    View::parse(name, languages).unwrap_or_else(|| {
        diags.push(
            Diagnostic::error(
                path,
                locate(&["book", "default-view"]),
                format!("unknown default-view `{name}`"),
            )
            .with_hint(format!(
                "use one of `{}`, `{}`, `side-by-side`, `interleaved`",
                languages.primary.code, languages.secondary.code
            )),
        );
        View::SideBySide
    })
}

/// Each language's content folder: the book's, or a language's own `content-dir`; a
/// PO-translated language has no folder of its own (its pages are the source's).
pub(super) fn content_dirs(
    root: &Path,
    content_dir: &Path,
    entries: &BTreeMap<String, RawLanguage>,
    languages: &Languages,
    po: Option<&PoSource>,
) -> [PathBuf; 2] {
    let content_dir = root.join(content_dir);
    let own = |side: Side| {
        entries
            .get(&languages.get(side).code)
            .and_then(|l| l.content_dir.as_ref())
            .map_or_else(|| content_dir.clone(), |d| root.join(d))
    };
    let (primary, secondary) = (own(Side::Primary), own(Side::Secondary));
    match po {
        Some(po) if po.side == Side::Primary => [secondary.clone(), secondary],
        Some(_) => [primary.clone(), primary],
        None => [primary, secondary],
    }
}

/// `[book] base-url`, normalised; `/` after an error.
pub(super) fn book_base_url(
    value: &str,
    path: &Path,
    locate: &dyn Fn(&[&str]) -> Option<Location>,
    diags: &mut Vec<Diagnostic>,
) -> String {
    parse_base_url(value).unwrap_or_else(|why| {
        diags.push(
            Diagnostic::error(
                path,
                locate(&["book", "base-url"]),
                format!("invalid base-url `{}`: {why}", value.escape_debug()),
            )
            .with_hint(BASE_URL_HINT),
        );
        "/".into()
    })
}

/// `[book] title` in each language (`中文 | English`, or one title for both); the book's
/// folder name when it has none.
pub(super) fn book_title(root: &Path, title: &str, languages: &Languages) -> [String; 2] {
    if title.trim().is_empty() {
        let name = root
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "Book".into());
        [name.clone(), name]
    } else {
        split_bilingual(title, languages).unwrap_or_else(|| [title.to_string(), title.to_string()])
    }
}
