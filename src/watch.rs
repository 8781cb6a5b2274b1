//! Watching the book's files: debounced file-system events turned into the change that
//! decides how much to rebuild. Editors' swap and backup files, and the output, are ignored.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError};
use std::time::{Duration, Instant};

use notify::RecursiveMode;
use notify_debouncer_full::{
    new_debouncer, new_debouncer_opt, DebounceEventResult, Debouncer, RecommendedCache,
};

use crate::build::{self, BuildReport};
use crate::config::{Config, CONFIG_FILE};
use crate::diagnostics::{Diagnostic, Error};
use crate::lang::Side;
use crate::paths::is_ignored_name;
use crate::site::{BuildOptions, Change, Site};

/// How long the files must be quiet before a rebuild starts. Short, so that a save shows
/// up at once; long enough that one save (write, rename, delete) gives one event batch.
const QUIET: Duration = Duration::from_millis(10);
/// This many files changed together are a burst (a branch checkout), not a save.
const BURST_FILES: usize = 8;
/// A burst is over when nothing has changed for this long…
const BURST_QUIET: Duration = Duration::from_millis(60);
/// …or, for one that never stops, after this long.
const BURST_LIMIT: Duration = Duration::from_secs(3);
/// How often a missing content root or theme folder is looked for.
const LOOK_FOR_ROOTS: Duration = Duration::from_millis(500);

/// `diglot watch`: builds the book into its output folder, then again after every change
/// (reading only what changed), until `stop` is set. Every build's outcome goes to
/// `on_build`; a failed build leaves the previous output as it was. `Err` when the book
/// cannot be read at the start (no `book.toml`, a broken one) or cannot be watched.
pub fn watch(
    opts: &BuildOptions,
    stop: &AtomicBool,
    on_build: &mut dyn FnMut(Result<BuildReport, Error>),
) -> Result<(), Error> {
    let started = Instant::now();
    let mut site = Site::load_kept(opts)?;
    // Watching starts before the first write, so that nothing saved meanwhile is missed.
    let mut watcher =
        ChangeWatcher::new(site.config(), opts.poll).map_err(|d| Error::Failed(vec![d]))?;
    watcher.watch_included(site.included_dirs());
    on_build(build::write(&site, started));
    while let Some(change) = watcher.next_change(stop) {
        let started = Instant::now();
        let outcome = site
            .reload(change)
            .and_then(|_| build::write(&site, started));
        watcher.watch_included(site.included_dirs());
        on_build(outcome);
    }
    Ok(())
}

/// How often the polling watcher looks at the files.
const POLL_INTERVAL: Duration = Duration::from_millis(300);

/// The file-system watcher: the operating system's events, or polling for folders where
/// they do not arrive (network drives, WSL2 and Docker mounts).
enum Watching {
    Native(Debouncer<notify::RecommendedWatcher, RecommendedCache>),
    Poll(Debouncer<notify::PollWatcher, RecommendedCache>),
}

impl Watching {
    fn watch(&mut self, path: &Path, mode: RecursiveMode) -> notify::Result<()> {
        match self {
            Watching::Native(d) => d.watch(path, mode),
            Watching::Poll(d) => d.watch(path, mode),
        }
    }

    fn unwatch(&mut self, path: &Path) -> notify::Result<()> {
        match self {
            Watching::Native(d) => d.unwatch(path),
            Watching::Poll(d) => d.unwatch(path),
        }
    }
}

pub(crate) struct ChangeWatcher {
    debouncer: Watching,
    events: Receiver<DebounceEventResult>,
    scope: Scope,
    /// The folders watched recursively: the content roots and the themes.
    roots: Vec<Root>,
}

/// A folder watched with everything below it. When it is removed or moved away (`git
/// checkout`, `rm -rf content && cp -r …`, an editor replacing it), the operating system
/// drops its watch; its parent is watched too, so its return is seen and the watch set again.
struct Root {
    path: PathBuf,
    /// Whether it is being watched; false while it is missing.
    watched: bool,
}

/// Which paths matter, and what a change to each means.
struct Scope {
    config_file: PathBuf,
    themes: PathBuf,
    content: Vec<PathBuf>,
    output: PathBuf,
    /// Folders outside the content roots that pages include files from (`listings/…`),
    /// each watched on its own, not recursively.
    included: std::collections::HashSet<PathBuf>,
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
        if let Some(root) = self.content.iter().find(|c| path.starts_with(c)) {
            return (!ignored(root)).then_some(Change::Content);
        }
        let included = path.parent().is_some_and(|d| self.included.contains(d));
        let name = path.file_name().map(|n| n.to_string_lossy());
        (included && !name.is_some_and(|n| is_ignored_name(&n))).then_some(Change::Content)
    }
}

fn cannot_watch(e: notify::Error, path: &Path) -> Diagnostic {
    Diagnostic::error(path, None, format!("cannot watch for changes: {e}"))
        .with_hint("on Linux, raise fs.inotify.max_user_watches, or use `diglot build`")
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
    /// the book's themes, never the output. A root missing now is watched once it appears.
    /// With `poll`, files are looked at every few hundred milliseconds instead of waiting for
    /// the system's events.
    pub(crate) fn new(config: &Config, poll: bool) -> Result<ChangeWatcher, Diagnostic> {
        let (tx, events) = channel();
        let root = absolute(&config.root);
        let mut debouncer = if poll {
            let settings = notify::Config::default()
                .with_poll_interval(POLL_INTERVAL)
                .with_compare_contents(false);
            new_debouncer_opt(QUIET, None, tx, RecommendedCache::new(), settings)
                .map(Watching::Poll)
        } else {
            new_debouncer(QUIET, None, tx).map(Watching::Native)
        }
        .map_err(|e| cannot_watch(e, &root))?;
        let mut content: Vec<PathBuf> = Side::BOTH
            .iter()
            .map(|s| absolute(config.content_dir(*s)))
            .collect();
        content.dedup();
        let themes = root.join("themes");
        // Themes inside a content root (`content-dir = "."`) are watched with it.
        let themes_apart = !content.iter().any(|c| themes.starts_with(c));
        let roots: Vec<Root> = content
            .iter()
            .chain(themes_apart.then_some(&themes))
            .map(|path| Root {
                path: path.clone(),
                watched: false,
            })
            .collect();
        // The book's folder (for book.toml) and each root's parent (for the root's return),
        // unless a recursive watch covers them already.
        let mut shallow = vec![root.clone()];
        shallow.extend(
            roots
                .iter()
                .filter_map(|r| r.path.parent().map(Path::to_path_buf)),
        );
        shallow.sort();
        shallow.dedup();
        for dir in shallow
            .iter()
            .filter(|d| !content.iter().any(|c| d.starts_with(c)))
        {
            match debouncer.watch(dir, RecursiveMode::NonRecursive) {
                Ok(()) => {}
                // A mirrored tree's parent may be missing too: its root is then looked for
                // now and then (see `next_change`).
                Err(_) if dir != &root && !dir.exists() => {}
                Err(e) => return Err(cannot_watch(e, dir)),
            }
        }
        let scope = Scope {
            config_file: root.join(CONFIG_FILE),
            themes,
            content,
            output: absolute(&config.output_dir),
            included: Default::default(),
        };
        let mut watcher = ChangeWatcher {
            debouncer,
            events,
            scope,
            roots,
        };
        for i in 0..watcher.roots.len() {
            watcher.rewatch(i)?;
        }
        Ok(watcher)
    }

    /// Also watches the folders of `dirs` (where pages include files from) that no watch
    /// covers yet, never the output. One that cannot be watched is tried again next time.
    pub(crate) fn watch_included(&mut self, dirs: Vec<PathBuf>) {
        for dir in dirs {
            let Ok(dir) = dir.canonicalize() else {
                continue;
            };
            let covered = self.scope.content.iter().any(|c| dir.starts_with(c))
                || dir.starts_with(&self.scope.themes)
                || dir.starts_with(&self.scope.output)
                || self.scope.included.contains(&dir);
            if !covered
                && self
                    .debouncer
                    .watch(&dir, RecursiveMode::NonRecursive)
                    .is_ok()
            {
                self.scope.included.insert(dir);
            }
        }
    }

    /// Sets root `i`'s recursive watch again if the folder is there (a watch that survived is
    /// replaced, so one left on a removed folder's inode goes). Returns whether it is watched;
    /// an error only when the folder is there and cannot be watched.
    fn rewatch(&mut self, i: usize) -> Result<bool, Diagnostic> {
        let Some(root) = self.roots.get_mut(i) else {
            return Ok(false);
        };
        // An error here only means the watch was already dropped with its folder.
        let _ = self.debouncer.unwatch(&root.path);
        root.watched = false;
        if !root.path.is_dir() {
            return Ok(false);
        }
        match self.debouncer.watch(&root.path, RecursiveMode::Recursive) {
            Ok(()) => root.watched = true,
            // Gone again between the look and the watch: its parent tells when it is back.
            Err(_) if !root.path.is_dir() => {}
            Err(e) => return Err(cannot_watch(e, &root.path)),
        }
        Ok(root.watched)
    }

    /// Watches again each root named by an event (itself or a folder above it: removed,
    /// moved, created) or missing and now back. `Some(Everything)` when one is watched anew:
    /// events from before its watch was set are lost, so all files are read afresh.
    fn restore_roots(&mut self, named: &[PathBuf]) -> Option<Change> {
        let mut found = None;
        for i in 0..self.roots.len() {
            let root = &self.roots[i];
            let touched = named.iter().any(|p| root.path.starts_with(p));
            if !touched && (root.watched || !root.path.is_dir()) {
                continue;
            }
            // A watch that cannot be set (the watch limit) is tried again at the next look.
            if self.rewatch(i).unwrap_or(false) {
                found = Some(Change::Everything);
            }
        }
        found
    }

    /// Waits for a relevant change, then takes every batch already queued behind it, so a
    /// burst (a branch checkout) gives one rebuild. `None` once `stop` is set.
    pub(crate) fn next_change(&mut self, stop: &AtomicBool) -> Option<Change> {
        let mut found: Option<Change> = None;
        let mut files = std::collections::HashSet::new();
        let mut looked = Instant::now();
        loop {
            if stop.load(Ordering::Relaxed) {
                return None;
            }
            match self.events.recv_timeout(Duration::from_millis(100)) {
                Ok(batch) => found = strongest(found, self.classify(batch, &mut files)),
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => return None,
            }
            // A root can come back without an event naming it (its parent was replaced too).
            if looked.elapsed() >= LOOK_FOR_ROOTS {
                looked = Instant::now();
                found = strongest(found, self.restore_roots(&[]));
            }
            if found.is_some() {
                while let Ok(batch) = self.events.try_recv() {
                    found = strongest(found, self.classify(batch, &mut files));
                }
                // A save touches a file or two; many files at once is a checkout or a copy
                // under way: wait until it is over, so it gives one rebuild, not several.
                if files.len() >= BURST_FILES {
                    let started = Instant::now();
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
        &mut self,
        batch: DebounceEventResult,
        files: &mut std::collections::HashSet<PathBuf>,
    ) -> Option<Change> {
        let events = batch.unwrap_or_default();
        let mut found = None;
        let mut named = Vec::new();
        // Reads (our own rebuild opening the folders) are not changes.
        for event in events.iter().filter(|e| !e.kind.is_access()) {
            // A folder above a root matters when it is created, removed or renamed; a new
            // time on it (a poll sees every build's output appear) is nothing.
            let replaced = !matches!(
                event.kind,
                notify::EventKind::Modify(
                    notify::event::ModifyKind::Metadata(_) | notify::event::ModifyKind::Data(_)
                )
            );
            for path in &event.paths {
                if replaced && self.roots.iter().any(|r| r.path.starts_with(path)) {
                    named.push(path.clone());
                }
                if let Some(change) = self.scope.classify(path) {
                    files.insert(path.clone());
                    found = strongest(found, Some(change));
                }
            }
        }
        if !named.is_empty() {
            found = strongest(found, self.restore_roots(&named));
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
            included: [PathBuf::from("/tmp/.hidden/b/listings/ch01")].into(),
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
        assert_eq!(
            s.classify(&p("b/listings/ch01/main.rs")),
            Some(Change::Content)
        );
        for ignored in [
            "b/content/.a.md.swp",
            "b/content/a.md~",
            "b/content/4913",
            "b/content/.#a.md",
            "b/content/.git/x",
            "b/public/index.html",
            "b/README.md",
            "b/listings/ch01/.main.rs.swp",
            "b/listings/ch02/main.rs",
        ] {
            assert_eq!(s.classify(&p(ignored)), None, "{ignored}");
        }
    }
}
