//! Writing the site: into a staging folder beside the output, swapped in only when the
//! whole build succeeded, so a failed build never leaves a half-written site.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;

use crate::paths::OUTPUT_MARKER;

static STAGING_COUNTER: AtomicU32 = AtomicU32::new(0);

pub(crate) struct Staging {
    dir: PathBuf,
    target: PathBuf,
    committed: bool,
    /// Folders made so far: most files go into a folder an earlier file made, and asking
    /// the file system again for each costs a large site thousands of calls.
    made: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
}

/// Folders that must never be replaced by a build's output.
/// `force` allows replacing a non-empty folder Diglot did not create (never the others).
pub(crate) fn check_target(
    target: &Path,
    protected: &[&Path],
    force: bool,
) -> Result<(), Diagnostic> {
    let resolved = resolve(target);
    let home = std::env::var_os("HOME")
        .map(PathBuf::from)
        .map(|h| resolve(&h));
    let refuse = |why: &str| {
        Err(Diagnostic::error(
            target,
            None,
            format!(
                "refusing to write the site into {}: {why}",
                target.display()
            ),
        )
        .with_hint("choose another output folder with `-o` or `output-dir` in book.toml"))
    };
    if resolved.exists() && !resolved.is_dir() {
        let moved_aside = resolved.file_name().and_then(|n| {
            let old = resolved.with_file_name(format!(".{}.old", n.to_string_lossy()));
            old.exists().then_some(old)
        });
        let mut d = Diagnostic::error(
            target,
            None,
            format!(
                "refusing to write the site into {}: it is a file, not a folder",
                target.display()
            ),
        );
        d = d.with_hint(match moved_aside {
            Some(old) => format!("choose a folder with `-o` or `output-dir` in book.toml; {} may hold a copy of this file moved aside by an earlier version of Diglot", old.display()),
            None => "choose a folder with `-o` or `output-dir` in book.toml; the file is left as it is".to_string(),
        });
        return Err(d);
    }
    if resolved.parent().is_none() {
        return refuse("it is the file system root");
    }
    if home.as_deref() == Some(resolved.as_path()) {
        return refuse("it is your home folder");
    }
    for p in protected {
        let p = resolve(p);
        if p.starts_with(&resolved) {
            return refuse("it holds the book's own sources");
        }
    }
    if !force && resolved.is_dir() && !resolved.join(OUTPUT_MARKER).exists() {
        let empty = std::fs::read_dir(&resolved)
            .map(|mut d| d.next().is_none())
            .unwrap_or(false);
        if !empty {
            return Err(Diagnostic::error(target, None, format!("refusing to replace {}: it is a non-empty folder that Diglot did not create", target.display()))
                .with_hint("choose another output folder with `-o`, empty this one, or pass `--force` to replace it"));
        }
    }
    Ok(())
}

/// An absolute, lexically normalised path, resolving symbolic links where the path exists.
fn resolve(path: &Path) -> PathBuf {
    if let Ok(p) = path.canonicalize() {
        return p;
    }
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    let mut out = PathBuf::new();
    for c in abs.components() {
        match c {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    match (out.parent(), out.file_name()) {
        (Some(parent), Some(name)) => parent.canonicalize().map(|p| p.join(name)).unwrap_or(out),
        _ => out,
    }
}

impl Staging {
    pub(crate) fn create(target: &Path) -> Result<Staging, Diagnostic> {
        let target = resolve(target);
        let parent = target
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "site".into());
        remove_stale_staging(&parent, &name);
        let n = STAGING_COUNTER.fetch_add(1, Ordering::Relaxed);
        let pid = std::process::id();
        let dir = parent.join(format!(".{name}{STAGING_INFIX}{pid}-{n}"));
        let io = |e: std::io::Error| {
            Diagnostic::error(&dir, None, format!("cannot create the staging folder: {e}"))
                .with_hint("check that the output's parent folder is writable")
        };
        std::fs::create_dir_all(&parent).map_err(io)?;
        clear_leftover(&dir)?;
        std::fs::create_dir(&dir).map_err(io)?;
        std::fs::write(
            dir.join(OUTPUT_MARKER),
            format!("{MARKER_TEXT}pid: {pid}\n"),
        )
        .map_err(io)?;
        Ok(Staging {
            dir,
            target,
            committed: false,
            made: Default::default(),
        })
    }

    /// Puts the staged site in place of the target, replacing a previous build.
    pub(crate) fn commit(mut self) -> Result<(), Diagnostic> {
        let fail = |e: std::io::Error, target: &Path| {
            Diagnostic::error(
                target,
                None,
                format!("cannot replace the output folder: {e}"),
            )
        };
        // The PID only marks a build under way: the published site is the same whoever built it.
        std::fs::write(self.dir.join(OUTPUT_MARKER), MARKER_TEXT)
            .map_err(|e| fail(e, &self.dir))?;
        if self.target.exists() {
            let mut old = self.dir.clone().into_os_string();
            old.push(".old");
            let old = PathBuf::from(old);
            clear_leftover(&old)?;
            std::fs::rename(&self.target, &old).map_err(|e| fail(e, &self.target))?;
            if let Err(e) = std::fs::rename(&self.dir, &self.target) {
                let _ = std::fs::rename(&old, &self.target);
                return Err(fail(e, &self.target));
            }
            remove_tree(&old);
        } else {
            std::fs::rename(&self.dir, &self.target).map_err(|e| fail(e, &self.target))?;
        }
        self.committed = true;
        Ok(())
    }
}

/// What the marker says; a staging folder's marker adds the PID of the build writing it.
const MARKER_TEXT: &str =
    "This folder is written by diglot build; it is replaced whole on every build.\n";

/// Staging folders are named `.<output>.diglot-tmp-<pid>-<n>`; the previous output, moved
/// aside during the swap, the same with `.old` appended.
const STAGING_INFIX: &str = ".diglot-tmp-";

/// A folder in the way of one this process is about to create: removed when Diglot made it
/// (it holds the marker), otherwise named in an error and left alone.
fn clear_leftover(dir: &Path) -> Result<(), Diagnostic> {
    if !dir.exists() && dir.symlink_metadata().is_err() {
        return Ok(());
    }
    if dir.is_dir() && !dir.is_symlink() && dir.join(OUTPUT_MARKER).is_file() {
        remove_tree(dir);
        if !dir.exists() {
            return Ok(());
        }
    }
    Err(Diagnostic::error(
        dir,
        None,
        format!(
            "{} is in the way of the build and was not left by Diglot (or cannot be removed)",
            dir.display()
        ),
    )
    .with_hint("move or delete it, then build again"))
}

/// Removes the staging folders (and moved-aside outputs) of earlier builds of `name` that
/// were killed before cleaning up: only folders carrying Diglot's marker whose build
/// process is gone. A folder without the marker, or of a build still running, stays.
fn remove_stale_staging(parent: &Path, name: &str) {
    let prefix = format!(".{name}{STAGING_INFIX}");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name.strip_prefix(&prefix) else {
            continue;
        };
        let (rest, moved_aside) = match rest.strip_suffix(".old") {
            Some(r) => (r, true),
            None => (rest, false),
        };
        let Some(pid) = rest
            .split_once('-')
            .and_then(|(pid, n)| n.parse::<u32>().ok().and(pid.parse::<u32>().ok()))
        else {
            continue;
        };
        let path = entry.path();
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        let Ok(marker) = std::fs::read_to_string(path.join(OUTPUT_MARKER)) else {
            continue;
        };
        // A staging folder's marker names the build writing it; the output moved aside
        // carries the marker of the build that made it, and the swapping build's PID is
        // in the folder's name.
        let marked = moved_aside || marker_pid(&marker) == Some(pid);
        if is_dir && marked && pid != std::process::id() && !process_alive(pid) {
            remove_tree(&path);
        }
    }
}

fn marker_pid(marker: &str) -> Option<u32> {
    marker
        .lines()
        .find_map(|l| l.strip_prefix("pid: "))
        .and_then(|p| p.trim().parse().ok())
}

/// Whether a process with this id exists. When unsure, it does: a folder is never removed
/// on a guess.
#[cfg(unix)]
fn process_alive(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return true;
    };
    if pid <= 0 {
        return true;
    }
    // SAFETY: signal 0 only checks that the process exists and may be signalled; nothing
    // is sent.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

#[cfg(not(unix))]
fn process_alive(_pid: u32) -> bool {
    true
}

/// Removes a folder and everything in it, its sub-folders in parallel: a large site's old
/// output goes away in a fraction of the time one thread takes. Links are removed, never
/// followed.
fn remove_tree(dir: &Path) {
    let subdirs: Vec<PathBuf> = walkdir::WalkDir::new(dir)
        .min_depth(2)
        .max_depth(2)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_dir())
        .map(walkdir::DirEntry::into_path)
        .collect();
    subdirs.par_iter().for_each(|d| {
        let _ = std::fs::remove_dir_all(d);
    });
    let _ = std::fs::remove_dir_all(dir);
}

impl Staging {
    /// Makes the folder `path` goes in, unless an earlier file's made it.
    fn make_parent(&self, path: &Path) -> Result<(), Diagnostic> {
        let Some(parent) = path.parent() else {
            return Ok(());
        };
        let known = |made: &std::collections::HashSet<PathBuf>| made.contains(parent);
        if self.made.lock().is_ok_and(|m| known(&m)) {
            return Ok(());
        }
        std::fs::create_dir_all(parent).map_err(|e| write_error(path, e))?;
        if let Ok(mut made) = self.made.lock() {
            made.insert(parent.to_path_buf());
        }
        Ok(())
    }
}

impl Sink for Staging {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        let path = self.dir.join(rel);
        self.make_parent(&path)?;
        std::fs::write(&path, bytes).map_err(|e| write_error(&path, e))
    }

    fn write_parts(
        &self,
        rel: &str,
        parts: &mut dyn Iterator<Item = String>,
    ) -> Result<(), Diagnostic> {
        let path = self.dir.join(rel);
        self.make_parent(&path)?;
        let file = std::fs::File::create(&path).map_err(|e| write_error(&path, e))?;
        let mut writer = std::io::BufWriter::new(file);
        for part in parts {
            writer
                .write_all(part.as_bytes())
                .map_err(|e| write_error(&path, e))?;
        }
        writer.flush().map_err(|e| write_error(&path, e))
    }

    fn copy(&self, from: &Path, rel: &Path) -> Result<(), Diagnostic> {
        let path = self.dir.join(rel);
        self.make_parent(&path)?;
        std::fs::copy(from, &path)
            .map(|_| ())
            .map_err(|e| write_error(&path, e))
    }
}

/// Where a rendered site goes: a staging folder on disk, or memory for the preview server.
/// Site paths use `/` and never start with one (`zh/design/index.html`).
pub(crate) trait Sink: Sync {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic>;
    /// A file written piece by piece (the print page can be as large as the book).
    fn write_parts(
        &self,
        rel: &str,
        parts: &mut dyn Iterator<Item = String>,
    ) -> Result<(), Diagnostic>;
    fn copy(&self, from: &Path, rel: &Path) -> Result<(), Diagnostic>;
}

/// A sink that keeps nothing: `check` renders every page to find template and link
/// problems, and writes no file.
pub(crate) struct Discard;

impl Sink for Discard {
    fn write(&self, _: &str, _: &[u8]) -> Result<(), Diagnostic> {
        Ok(())
    }
    fn write_parts(
        &self,
        _: &str,
        parts: &mut dyn Iterator<Item = String>,
    ) -> Result<(), Diagnostic> {
        parts.for_each(drop);
        Ok(())
    }
    fn copy(&self, _: &Path, _: &Path) -> Result<(), Diagnostic> {
        Ok(())
    }
}

/// A site held in memory: site path → file contents.
#[derive(Debug, Default, Clone)]
pub(crate) struct SiteFiles {
    pub(crate) files: std::collections::HashMap<String, std::sync::Arc<Vec<u8>>>,
}

/// Collects written files in memory, for the preview server.
#[derive(Debug, Default)]
pub(crate) struct MemorySink {
    files: std::sync::Mutex<Vec<(String, Vec<u8>)>>,
}

impl MemorySink {
    /// The files written, to be merged into a [`SiteFiles`].
    pub(crate) fn into_files(self) -> Vec<(String, Vec<u8>)> {
        self.files.into_inner().unwrap_or_else(|e| e.into_inner())
    }

    fn put(&self, rel: &str, bytes: Vec<u8>) {
        let mut files = self.files.lock().unwrap_or_else(|e| e.into_inner());
        files.push((rel.replace('\\', "/"), bytes));
    }
}

impl Sink for MemorySink {
    fn write(&self, rel: &str, bytes: &[u8]) -> Result<(), Diagnostic> {
        self.put(rel, bytes.to_vec());
        Ok(())
    }

    fn write_parts(
        &self,
        rel: &str,
        parts: &mut dyn Iterator<Item = String>,
    ) -> Result<(), Diagnostic> {
        let mut all = String::new();
        for part in parts {
            all.push_str(&part);
        }
        self.put(rel, all.into_bytes());
        Ok(())
    }

    fn copy(&self, from: &Path, rel: &Path) -> Result<(), Diagnostic> {
        let bytes = std::fs::read(from)
            .map_err(|e| Diagnostic::error(from, None, format!("cannot read: {e}")))?;
        self.put(&rel.to_string_lossy(), bytes);
        Ok(())
    }
}

fn write_error(path: &Path, e: std::io::Error) -> Diagnostic {
    Diagnostic::error(path, None, format!("cannot write: {e}"))
        .with_hint("check free disk space and permissions")
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}
