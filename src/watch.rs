//! Watching the book's files: debounced file-system events turned into the change that
//! decides how much to rebuild. Editors' swap and backup files, and the output, are ignored.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::Duration;

use notify::RecursiveMode;
use notify_debouncer_full::{new_debouncer, DebounceEventResult, Debouncer, RecommendedCache};

use crate::config::{Config, CONFIG_FILE};
use crate::content::discover::is_ignored_name;
use crate::diagnostics::Diagnostic;
use crate::lang::Side;
use crate::live::Change;

/// How long the files must be quiet before a rebuild starts. Short, so that a save shows
/// up at once; long enough that one save (write, rename, delete) gives one event batch.
const QUIET: Duration = Duration::from_millis(10);
/// This many files changed together are a burst (a branch checkout), not a save.
const BURST_FILES: usize = 8;
/// A burst is over when nothing has changed for this long…
const BURST_QUIET: Duration = Duration::from_millis(60);
/// …or, for one that never stops, after this long.
const BURST_LIMIT: Duration = Duration::from_secs(3);

pub struct ChangeWatcher {
    _debouncer: Debouncer<notify::RecommendedWatcher, RecommendedCache>,
    events: Receiver<DebounceEventResult>,
    scope: Scope,
}

/// Which paths matter, and what a change to each means.
struct Scope {
    config_file: PathBuf,
    themes: PathBuf,
    content: Vec<PathBuf>,
    output: PathBuf,
}

impl Scope {
    fn classify(&self, path: &Path) -> Option<Change> {
        if path.starts_with(&self.output) {
            return None;
        }
        if path == self.config_file {
            return Some(Change::Everything);
        }
        // Only the part below the watched folder is the book's business: the folder itself
        // may well sit under a hidden one (a temporary folder, `~/.cache`).
        let ignored = |root: &Path| {
            path.strip_prefix(root).is_ok_and(|rel| {
                rel.components()
                    .any(|c| is_ignored_name(&c.as_os_str().to_string_lossy()))
            })
        };
        if path.starts_with(&self.themes) {
            return (!ignored(&self.themes)).then_some(Change::Everything);
        }
        let root = self.content.iter().find(|c| path.starts_with(c))?;
        (!ignored(root)).then_some(Change::Content)
    }
}

fn absolute(p: &Path) -> PathBuf {
    p.canonicalize().unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|d| d.join(p))
            .unwrap_or_else(|_| p.to_path_buf())
    })
}

impl ChangeWatcher {
    /// Watches `book.toml`, the content roots (a mirrored tree outside the book included) and
    /// the book's themes, never the output.
    pub fn new(config: &Config) -> Result<ChangeWatcher, Diagnostic> {
        let (tx, events) = channel();
        let fail = |e: notify::Error, path: &Path| {
            Diagnostic::error(path, None, format!("cannot watch for changes: {e}"))
                .with_hint("on Linux, raise fs.inotify.max_user_watches, or use `diglot build`")
        };
        let root = absolute(&config.root);
        let mut debouncer = new_debouncer(QUIET, None, tx).map_err(|e| fail(e, &root))?;
        let mut content: Vec<PathBuf> = Side::BOTH
            .iter()
            .map(|s| absolute(config.content_dir(*s)))
            .collect();
        content.dedup();
        if !content.contains(&root) {
            debouncer
                .watch(&root, RecursiveMode::NonRecursive)
                .map_err(|e| fail(e, &root))?;
        }
        for dir in &content {
            debouncer
                .watch(dir, RecursiveMode::Recursive)
                .map_err(|e| fail(e, dir))?;
        }
        let themes = root.join("themes");
        if themes.is_dir() {
            debouncer
                .watch(&themes, RecursiveMode::Recursive)
                .map_err(|e| fail(e, &themes))?;
        }
        let scope = Scope {
            config_file: root.join(CONFIG_FILE),
            themes,
            content,
            output: absolute(&config.output_dir),
        };
        Ok(ChangeWatcher {
            _debouncer: debouncer,
            events,
            scope,
        })
    }

    /// Waits for a relevant change, then takes every batch already queued behind it, so a
    /// burst (a branch checkout) gives one rebuild. `None` once `stop` is set.
    pub fn next_change(&self, stop: &AtomicBool) -> Option<Change> {
        let mut found: Option<Change> = None;
        let mut files = std::collections::HashSet::new();
        loop {
            if stop.load(Ordering::Relaxed) {
                return None;
            }
            match self.events.recv_timeout(Duration::from_millis(100)) {
                Ok(batch) => found = strongest(found, self.classify(batch, &mut files)),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return None,
            }
            if found.is_some() {
                while let Ok(batch) = self.events.try_recv() {
                    found = strongest(found, self.classify(batch, &mut files));
                }
                // A save touches a file or two; many files at once is a checkout or a copy
                // under way: wait until it is over, so it gives one rebuild, not several.
                if files.len() >= BURST_FILES {
                    let started = std::time::Instant::now();
                    while started.elapsed() < BURST_LIMIT {
                        match self.events.recv_timeout(BURST_QUIET) {
                            Ok(batch) => found = strongest(found, self.classify(batch, &mut files)),
                            Err(_) => break,
                        }
                    }
                }
                return found;
            }
        }
    }

    fn classify(
        &self,
        batch: DebounceEventResult,
        files: &mut std::collections::HashSet<PathBuf>,
    ) -> Option<Change> {
        let events = batch.unwrap_or_default();
        let mut found = None;
        for path in events
            .iter()
            .filter(|e| !e.kind.is_access())
            .flat_map(|e| e.paths.iter())
        {
            if let Some(change) = self.scope.classify(path) {
                files.insert(path.clone());
                found = strongest(found, Some(change));
            }
        }
        found
    }
}

fn strongest(a: Option<Change>, b: Option<Change>) -> Option<Change> {
    match (a, b) {
        (Some(Change::Everything), _) | (_, Some(Change::Everything)) => Some(Change::Everything),
        (Some(c), _) | (None, Some(c)) => Some(c),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope() -> Scope {
        Scope {
            config_file: PathBuf::from("/tmp/.hidden/b/book.toml"),
            themes: PathBuf::from("/tmp/.hidden/b/themes"),
            content: vec![
                PathBuf::from("/tmp/.hidden/b/content"),
                PathBuf::from("/tmp/.hidden/b-en/src"),
            ],
            output: PathBuf::from("/tmp/.hidden/b/public"),
        }
    }

    #[test]
    fn classifies_paths_and_ignores_editor_files() {
        let s = scope();
        let p = |rel: &str| PathBuf::from("/tmp/.hidden").join(rel);
        assert_eq!(s.classify(&p("b/book.toml")), Some(Change::Everything));
        assert_eq!(
            s.classify(&p("b/themes/x/templates/page.html")),
            Some(Change::Everything)
        );
        assert_eq!(s.classify(&p("b/content/a.md")), Some(Change::Content));
        assert_eq!(s.classify(&p("b-en/src/a.md")), Some(Change::Content));
        for ignored in [
            "b/content/.a.md.swp",
            "b/content/a.md~",
            "b/content/4913",
            "b/content/.#a.md",
            "b/content/.git/x",
            "b/public/index.html",
            "b/README.md",
        ] {
            assert_eq!(s.classify(&p(ignored)), None, "{ignored}");
        }
    }
}
