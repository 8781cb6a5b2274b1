//! `diglot clean`: removes the book's output folder, as `mdbook clean` does, but only one
//! that Diglot built (it holds the output marker): a folder Diglot did not create is never
//! deleted.

use std::path::{Path, PathBuf};

use crate::config::{self, CONFIG_FILE};
use crate::diagnostics::{Diagnostic, Error};
use crate::paths::OUTPUT_MARKER;

/// What `clean` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cleaned {
    /// The output folder was removed.
    Removed(PathBuf),
    /// There was no output folder.
    Nothing(PathBuf),
}

/// Removes the output folder of the book in `root` (`output` overrides `output-dir`).
pub fn clean(root: &Path, output: Option<&Path>) -> Result<Cleaned, Error> {
    if !root.join(CONFIG_FILE).is_file() {
        return Err(Error::NoBook(root.to_path_buf()));
    }
    let (config, _) = config::load(root).map_err(Error::Failed)?;
    let dir = output.map_or(config.output_dir.clone(), Path::to_path_buf);
    let Ok(meta) = dir.symlink_metadata() else {
        return Ok(Cleaned::Nothing(dir));
    };
    let refuse = |why: &str| {
        Error::Failed(vec![Diagnostic::error(
            &dir,
            None,
            format!("refusing to remove {}: {why}", dir.display()),
        )
        .with_hint(
            "diglot clean removes only an output folder that Diglot built; delete this one yourself if you mean to",
        )])
    };
    if !meta.is_dir() {
        return Err(refuse("it is not a folder"));
    }
    if !dir.join(OUTPUT_MARKER).is_file() {
        return Err(refuse(&format!(
            "Diglot did not create it (it has no {OUTPUT_MARKER} file)"
        )));
    }
    let holds_sources = |p: &Path| {
        let (Ok(p), Ok(d)) = (p.canonicalize(), dir.canonicalize()) else {
            return false;
        };
        p.starts_with(d)
    };
    let mut protected = vec![config.root.as_path()];
    protected.extend(config.content_dirs.iter().map(PathBuf::as_path));
    if protected.into_iter().any(holds_sources) {
        return Err(refuse("it holds the book's own sources"));
    }
    std::fs::remove_dir_all(&dir).map_err(|e| {
        Error::Failed(vec![Diagnostic::error(
            &dir,
            None,
            format!("cannot remove {}: {e}", dir.display()),
        )
        .with_hint(
            "check the folder's permissions, or that no program holds its files open",
        )])
    })?;
    Ok(Cleaned::Removed(dir))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book() -> tempfile::TempDir {
        let tmp = tempfile::tempdir().expect("tmp");
        std::fs::write(tmp.path().join(CONFIG_FILE), "").expect("book.toml");
        tmp
    }

    #[test]
    fn removes_only_a_folder_diglot_built() {
        let tmp = book();
        let out = tmp.path().join("public");
        std::fs::create_dir_all(out.join("a")).expect("mkdir");
        std::fs::write(out.join("a/page.html"), "x").expect("write");
        let refused = clean(tmp.path(), None);
        assert!(matches!(refused, Err(Error::Failed(_))), "{refused:?}");
        assert!(
            out.join("a/page.html").is_file(),
            "a foreign folder is kept"
        );

        std::fs::write(out.join(OUTPUT_MARKER), "").expect("marker");
        assert_eq!(
            clean(tmp.path(), None).ok(),
            Some(Cleaned::Removed(out.clone()))
        );
        assert!(!out.exists());
        assert_eq!(clean(tmp.path(), None).ok(), Some(Cleaned::Nothing(out)));
    }

    #[test]
    fn never_removes_the_book_even_with_a_marker() {
        let tmp = book();
        std::fs::write(tmp.path().join(OUTPUT_MARKER), "").expect("marker");
        let refused = clean(tmp.path(), Some(tmp.path()));
        assert!(matches!(refused, Err(Error::Failed(_))), "{refused:?}");
        assert!(tmp.path().join(CONFIG_FILE).is_file());
    }
}
