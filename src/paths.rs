//! What file and folder names mean to Diglot: the names it owns at the root of a site, and
//! the names editors and tools leave behind that are never content.

/// The file that makes a folder a book.
pub(crate) const CONFIG_FILE: &str = "book.toml";

/// Present in every output folder Diglot writes; a folder without it is never replaced.
pub(crate) const OUTPUT_MARKER: &str = ".diglot-output";

/// The folder of the translation status page (`[translation] status-page`); reserved even
/// when the page is off, so that turning it on never takes a page's place.
pub(crate) const STATUS_PAGE_DIR: &str = "translation-status";

/// Names Diglot itself writes at the site's root (and `__diglot`, the preview server's own
/// path). No language code, page or phase may take one of them.
pub(crate) const RESERVED_ROOT_NAMES: &[&str] = &[
    "static",
    "print",
    "checklists",
    STATUS_PAGE_DIR,
    "search",
    "__diglot",
    "index.html",
    "404.html",
    "sitemap.xml",
    "toc.js",
    "checklists.json",
    OUTPUT_MARKER,
];

/// Whether `name` is one of [`RESERVED_ROOT_NAMES`], in any letter case (case-insensitive
/// file systems would mix them up), or a sitemap part (`sitemap-2.xml`).
pub(crate) fn is_reserved_name(name: &str) -> bool {
    let lower = name.to_lowercase();
    RESERVED_ROOT_NAMES.contains(&lower.as_str())
        || lower
            .strip_prefix("sitemap-")
            .and_then(|r| r.strip_suffix(".xml"))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// Names editors and tools leave behind that are never content.
pub(crate) fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}
