//! Finding the book's files: Markdown pages (pairing `page.md` with `page.en.md`, or a
//! mirrored tree's file with the same relative path) and static files to copy.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::config::Config;
use crate::diagnostics::{shown, Diagnostic};
use crate::lang::Side;
use crate::paths::{is_ignored_name, OUTPUT_MARKER};

/// One page's source files: the same file twice for the parallel layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SourceFiles {
    /// Path relative to the content root, without `.md` or language suffix (`design/01-intro`).
    pub key: PathBuf,
    pub(crate) files: [Option<PathBuf>; 2],
}

impl SourceFiles {
    /// The file name (without extension) that orders and names the page.
    pub(crate) fn stem(&self) -> String {
        self.key
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    }
}

#[derive(Debug, Default)]
pub(crate) struct Discovered {
    /// Sorted by key.
    pub pages: Vec<SourceFiles>,
    /// Static files: absolute source path and path relative to the content root.
    pub assets: Vec<(PathBuf, PathBuf)>,
}

pub(crate) fn discover(config: &Config) -> (Discovered, Vec<Diagnostic>) {
    let mut diags = Vec::new();
    // Hashed while walking, sorted once at the end: a path compares component by component.
    let mut pages: HashMap<PathBuf, [Option<PathBuf>; 2]> = HashMap::new();
    let mut assets = Vec::new();
    // Keys by their NFC form: `café.md` typed on one system and `café.en.md` saved on
    // another (macOS writes NFD) look the same and must pair.
    let mut by_nfc: HashMap<PathBuf, PathBuf> = HashMap::new();
    let roots: Vec<(Side, &Path)> = if config.mirrored() {
        vec![
            (Side::Primary, config.content_dir(Side::Primary)),
            (Side::Secondary, config.content_dir(Side::Secondary)),
        ]
    } else {
        vec![(Side::Primary, config.content_dir(Side::Primary))]
    };
    for (tree_side, root) in roots {
        if !root.is_dir() {
            diags.push(
                Diagnostic::error(root, None, "content folder not found")
                    .with_hint("create it, or set `content-dir` in book.toml to the folder holding your Markdown"),
            );
            continue;
        }
        for (path, rel) in walk(root, config, &mut diags) {
            if rel.extension().is_some_and(|e| e == "md") {
                let (key, side) = page_key(&rel, tree_side, config);
                let key = paired_key(key, side, &mut by_nfc, &pages);
                let slot = &mut pages.entry(key.clone()).or_default()[side.index()];
                if let Some(existing) = slot {
                    diags.push(
                        Diagnostic::error(
                            &path,
                            None,
                            format!(
                                "two files hold the same page: this one and {}",
                                shown(existing)
                            ),
                        )
                        .with_hint("keep one of them, or rename one"),
                    );
                } else {
                    *slot = Some(path);
                }
            } else if tree_side == Side::Primary || !assets.iter().any(|(_, r)| *r == rel) {
                assets.push((path, rel));
            }
        }
    }
    let mut pages: Vec<SourceFiles> = pages
        .into_iter()
        .map(|(key, files)| SourceFiles { key, files })
        .collect();
    pages.sort_unstable_by(|a, b| a.key.cmp(&b.key));
    (Discovered { pages, assets }, diags)
}

/// The key a file joins: an existing page whose key has the same NFC form and no file on
/// this side yet, or its own. Two files of one side stay apart (and collide by URL later).
fn paired_key(
    key: PathBuf,
    side: Side,
    by_nfc: &mut HashMap<PathBuf, PathBuf>,
    pages: &HashMap<PathBuf, [Option<PathBuf>; 2]>,
) -> PathBuf {
    use unicode_normalization::UnicodeNormalization;
    let nfc: PathBuf = key.to_string_lossy().nfc().collect::<String>().into();
    match by_nfc.get(&nfc) {
        Some(existing)
            if *existing != key
                && pages
                    .get(existing)
                    .is_some_and(|f| f[side.index()].is_none()) =>
        {
            existing.clone()
        }
        Some(_) => key,
        None => {
            by_nfc.insert(nfc, key.clone());
            key
        }
    }
}

/// `a/b.en.md` → (`a/b`, secondary). In a mirrored tree every file belongs to its tree's language.
fn page_key(rel: &Path, tree_side: Side, config: &Config) -> (PathBuf, Side) {
    let stem = rel
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let parent = rel.parent().unwrap_or(Path::new(""));
    if let Some(po) = &config.po {
        // A gettext book's files are all the source language's.
        return (parent.join(stem), po.side.other());
    }
    if tree_side == Side::Primary {
        if let Some((base, code)) = stem.rsplit_once('.') {
            if let Some(side) = config.languages.side_of_code(code) {
                if !config.mirrored() || side == Side::Primary {
                    return (parent.join(base), side);
                }
            }
        }
    } else if let Some((base, code)) = stem.rsplit_once('.') {
        if config.languages.side_of_code(code) == Some(Side::Secondary) {
            return (parent.join(base), Side::Secondary);
        }
    }
    (parent.join(stem), tree_side)
}

/// Every file under `root` that belongs to the book: no hidden or editor files, no output
/// folder, no symbolic link leading outside the root.
fn walk(root: &Path, config: &Config, diags: &mut Vec<Diagnostic>) -> Vec<(PathBuf, PathBuf)> {
    let canonical_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
    let output = config.output_dir.canonicalize().ok();
    let mut out = Vec::new();
    let walker = WalkDir::new(root)
        .follow_links(false)
        .max_depth(64)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            if e.depth() > 0 && is_ignored_name(&name) {
                return false;
            }
            if e.file_type().is_dir() {
                let is_output = e.path().join(OUTPUT_MARKER).exists()
                    || output
                        .as_deref()
                        .is_some_and(|o| e.path().canonicalize().is_ok_and(|p| p == o));
                return !is_output;
            }
            true
        });
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| root.to_path_buf());
                diags.push(Diagnostic::warning(path, None, format!("skipped: {e}")));
                continue;
            }
        };
        let path = entry.path().to_path_buf();
        if entry.path_is_symlink() {
            match path.canonicalize() {
                Ok(target) if target.starts_with(&canonical_root) && target.is_file() => {}
                _ => {
                    diags.push(
                        Diagnostic::warning(
                            &path,
                            None,
                            "symbolic link leads outside the content folder (or nowhere); skipped",
                        )
                        .with_hint("copy the file into the book instead of linking to it"),
                    );
                    continue;
                }
            }
        } else if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = path.strip_prefix(root).map(Path::to_path_buf) else {
            continue;
        };
        out.push((path, rel));
    }
    out
}
