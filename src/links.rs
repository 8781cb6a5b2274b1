//! Links between the pages of a site: where each source file's page lives, how a link
//! written in Markdown resolves, and the relative URLs written into pages (every link in the
//! site is relative, so sub-path deploys and `file://` work).

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

/// Stands for the relative path from a rendered file to the site root; replaced per view.
/// Built from a control character that input cannot hold (it is stripped on reading), as
/// pulldown-cmark percent-encodes it in URLs.
pub const SITE_ROOT: &str = "%01site%01";
/// Stands for the relative path from a rendered file to the root of its form (the site
/// root for the bilingual pages, `zh/` or `en/` for a language's own pages).
pub const VIEW_ROOT: &str = "%01view%01";

/// Where each source file's page lives, to rewrite `[x](other.md)` links.
#[derive(Debug, Default)]
pub struct LinkTargets {
    /// Source path relative to a content root (`design/intro.md`, `design/intro.en.md`) → site path.
    pub pages: HashMap<PathBuf, String>,
    /// Content roots, to turn a page's source file into a relative path.
    pub roots: [PathBuf; 2],
    /// Static files by path relative to the content root.
    pub assets: HashSet<PathBuf>,
    /// Whether raw HTML in Markdown passes through (`[build] raw-html`); when not, it is
    /// shown as text.
    pub raw_html: bool,
}

impl LinkTargets {
    /// A source file's path relative to its content root.
    pub fn relative(&self, file: &Path) -> Option<PathBuf> {
        self.roots
            .iter()
            .find_map(|r| file.strip_prefix(r).ok())
            .map(Path::to_path_buf)
    }
}

/// A link to an anchor, found while rendering and checked once every page is rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorLink {
    /// The source file it is written in, and where.
    pub file: PathBuf,
    pub(crate) location: crate::diagnostics::Location,
    /// The link as written.
    pub dest: String,
    /// The site path of the page it points to; `None` for the page it is on.
    pub page: Option<String>,
    /// The anchor, as written (percent-encoded or not).
    pub fragment: String,
}

/// What one page offers and asks of others' anchors: its ids in each language's form, and
/// its links to anchors, by the side of the block they are written in.
#[derive(Debug, Clone, Default)]
pub struct PageAnchors {
    /// The page's site path.
    pub path: String,
    /// Ids present in the primary language's form, and in the secondary's.
    pub ids: [HashSet<String>; 2],
    /// Links written on the primary side (and in shared blocks), and on the secondary side.
    pub links: [Vec<AnchorLink>; 2],
}

/// The content-relative path a link's path part names, seen from the content-relative file
/// it is written in (`/x.md` starts at the content root); `None` when it climbs out.
pub fn resolve_target(rel_file: &Path, path_part: &str) -> Option<PathBuf> {
    let decoded = percent_decode(path_part);
    let base = if decoded.starts_with('/') {
        PathBuf::new()
    } else {
        rel_file.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    normalize(&base.join(decoded.trim_start_matches('/')))
}

/// Resolves `.` and `..`; `None` when the path climbs above its root.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(p) => out.push(p),
            Component::RootDir | Component::Prefix(_) => {}
        }
    }
    Some(out)
}

/// The relative URL from the page at site path `from` to site path `to`, both directories.
pub fn relative_url(from: &str, to: &str) -> String {
    let from_parts: Vec<&str> = from.split('/').filter(|s| !s.is_empty()).collect();
    let to_parts: Vec<&str> = to.split('/').filter(|s| !s.is_empty()).collect();
    let common = from_parts
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut out = "../".repeat(from_parts.len() - common);
    for p in &to_parts[common..] {
        out.push_str(p);
        out.push('/');
    }
    if out.is_empty() {
        out.push_str("./");
    }
    out
}

/// `../` once per folder of a site path: the way from a page back to the root.
pub fn root_prefix(path: &str) -> String {
    "../".repeat(path.split('/').filter(|s| !s.is_empty()).count())
}

/// `%XX` escapes decoded; invalid UTF-8 replaced.
pub fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_urls_between_pages() {
        assert_eq!(relative_url("a/b/", "a/c/"), "../c/");
        assert_eq!(relative_url("", "a/c/"), "a/c/");
        assert_eq!(relative_url("a/b/", ""), "../../");
        assert_eq!(relative_url("a/", "a/"), "./");
    }

    #[test]
    fn link_paths_resolve_inside_the_content_root() {
        let file = Path::new("design/intro.md");
        assert_eq!(
            resolve_target(file, "../ops/run%20book.md"),
            Some(PathBuf::from("ops/run book.md"))
        );
        assert_eq!(
            resolve_target(file, "/top.md"),
            Some(PathBuf::from("top.md"))
        );
        assert_eq!(resolve_target(file, "../../out.md"), None);
        assert_eq!(percent_decode("%E7%BC%93%zz"), "缓%zz");
    }
}
