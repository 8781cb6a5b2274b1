//! `diglot theme eject [NAME]`: the built-in theme's files written into the book's
//! `themes/NAME/`, to change from there. A file that exists is kept, never overwritten, so
//! ejecting into a theme that overrides a few files fills in the rest.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::config::{self, CONFIG_FILE};
use crate::diagnostics::{Diagnostic, Error};
use crate::theme;

/// What `eject` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ejected {
    /// The theme's folder, `themes/NAME` under the book.
    pub dir: PathBuf,
    /// The theme's name.
    pub name: String,
    /// Files written, relative to `dir`.
    pub written: Vec<PathBuf>,
    /// Files that existed and were kept, relative to `dir`.
    pub kept: Vec<PathBuf>,
    /// Whether book.toml already uses this theme (`[build] theme`).
    pub in_use: bool,
}

/// Writes the built-in theme into `root/themes/<name>/` (`name`: the theme book.toml names,
/// "default" unless set), keeping every file that exists.
pub fn eject(root: &Path, name: Option<&str>) -> Result<Ejected, Error> {
    if !root.join(CONFIG_FILE).is_file() {
        return Err(Error::NoBook(root.to_path_buf()));
    }
    let (config, _) = config::load(root).map_err(Error::Failed)?;
    let name = name.unwrap_or(&config.theme).to_string();
    if !theme::is_theme_name(&name) {
        return Err(Error::Usage {
            message: format!("invalid theme name `{}`", name.escape_debug()),
            hint: "a theme is one folder name inside themes/, such as `diglot theme eject mine`"
                .into(),
        });
    }
    let themes = root.join("themes");
    let dir = themes.join(&name);
    let failed = |path: &Path, why: String, hint: &str| {
        Error::Failed(vec![
            Diagnostic::error(path, None, why).with_hint(hint.to_string())
        ])
    };
    std::fs::create_dir_all(&dir).map_err(|e| {
        failed(
            &dir,
            format!("cannot create the theme folder: {e}"),
            "check the permissions of the book's folder",
        )
    })?;
    let inside = match (dir.canonicalize(), root.canonicalize()) {
        (Ok(d), Ok(r)) => d.starts_with(r.join("themes")),
        _ => false,
    };
    if !inside {
        return Err(failed(
            &dir,
            format!(
                "refusing to write the theme: {} leads outside the book's themes/ folder",
                dir.display()
            ),
            "remove the link, or eject under another name",
        ));
    }
    let mut written = Vec::new();
    let mut kept = Vec::new();
    for (rel, bytes) in theme::default_files() {
        let target = dir.join(rel);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                failed(
                    parent,
                    format!("cannot create the folder: {e}"),
                    "a file may stand where the theme needs a folder: move it away",
                )
            })?;
        }
        // `create_new` never replaces a file, nor writes through a link left in its place.
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&target)
        {
            Ok(mut file) => {
                file.write_all(bytes).map_err(|e| {
                    failed(
                        &target,
                        format!("cannot write the theme file: {e}"),
                        "check the free space and permissions",
                    )
                })?;
                written.push(rel.to_path_buf());
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => kept.push(rel.to_path_buf()),
            Err(e) => {
                return Err(failed(
                    &target,
                    format!("cannot write the theme file: {e}"),
                    "check the permissions of the theme's folder",
                ))
            }
        }
    }
    written.sort();
    kept.sort();
    Ok(Ejected {
        in_use: config.theme == name,
        dir,
        name,
        written,
        kept,
    })
}
