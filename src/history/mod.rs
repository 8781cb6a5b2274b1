//! The git history of the book's pages, read once per build with one `git log`: for every
//! line of every page, the last commit that changed what it says (a re-wrap keeps the
//! line's older commit), and every earlier version of each file, so that a block can be
//! read as it was at any commit.
//!
//! History is replayed along the first-parent chain (a merged branch counts as its merge
//! commit), following renames. Edits not yet committed count as the newest change.

mod git;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A commit of the replayed history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Commit {
    /// The full hash.
    pub(crate) id: String,
    /// Committer time, seconds since the epoch.
    pub(crate) time: i64,
}

/// When a line last changed: an index into [`History::commits`], or [`UNCOMMITTED`].
pub(crate) type When = u32;

/// What an edit not yet committed is dated: after every commit.
pub(crate) const UNCOMMITTED: When = u32::MAX;

/// One line of a version of a file.
#[derive(Debug, Clone)]
pub(crate) struct Line {
    pub(crate) text: Arc<str>,
    /// Stays with the line through the versions that keep it unchanged.
    id: u32,
    /// The last commit that changed what the line says.
    pub(crate) when: When,
}

/// A file as a commit left it.
#[derive(Debug, Clone)]
struct Version {
    when: When,
    lines: Arc<[Line]>,
}

/// Every version of one file, oldest first.
#[derive(Debug, Clone, Default)]
struct FileHistory {
    versions: Vec<Version>,
}

/// Why there is no history to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Unavailable {
    /// The book is not in a git repository.
    NotRepository,
    /// `git` could not be run.
    NoGit(String),
    /// `git log` failed.
    Failed(String),
}

/// The replayed history of the pages under some folders of one repository.
#[derive(Debug, Default)]
pub(crate) struct History {
    /// The repository's top folder, links resolved.
    top: PathBuf,
    pub(crate) commits: Vec<Commit>,
    files: HashMap<PathBuf, FileHistory>,
    /// The clone holds only the newest part of the history: its oldest commit stands for
    /// everything before it.
    pub(crate) shallow: bool,
    next_id: u32,
}

/// A file as it is now, line by line: its text and when each line last changed.
#[derive(Debug, Clone)]
pub(crate) struct Blame {
    key: PathBuf,
    lines: Vec<Line>,
}

impl Blame {
    /// The last change to any of lines `first..=last` (1-based; clamped to the file).
    pub(crate) fn last_change(&self, first: usize, last: usize) -> When {
        let (from, to) = self.range(first, last);
        self.lines[from..to]
            .iter()
            .map(|l| l.when)
            .max()
            .unwrap_or(0)
    }

    fn range(&self, first: usize, last: usize) -> (usize, usize) {
        let from = first.saturating_sub(1).min(self.lines.len());
        let to = last.min(self.lines.len()).max(from);
        (from, to)
    }
}

impl History {
    /// Reads the history of the Markdown files under `folders` (which must lie in the
    /// repository holding `book`).
    pub(crate) fn read(book: &Path, folders: &[&Path]) -> Result<History, Unavailable> {
        git::read(book, folders)
    }

    /// The file at `path` as it is now (`text`), each line with the last commit that changed
    /// it; lines that differ from the last commit count as [`UNCOMMITTED`]. `None` for a
    /// file outside the repository.
    pub(crate) fn blame(&self, path: &Path, text: &str) -> Option<Blame> {
        let key = self.key(path)?;
        let now: Vec<&str> = text.lines().map(|l| l.trim_end_matches('\r')).collect();
        let committed: &[Line] = self
            .files
            .get(&key)
            .and_then(|f| f.versions.last())
            .map_or(&[], |v| &v.lines);
        let same =
            committed.len() == now.len() && committed.iter().zip(&now).all(|(l, n)| &*l.text == *n);
        let lines = if same {
            committed.to_vec()
        } else {
            // Ids above every committed one: nothing earlier has these lines.
            let mut next = self.next_id;
            edit(committed, &now, UNCOMMITTED, &mut next)
        };
        Some(Blame { key, lines })
    }

    /// Lines `first..=last` of `blame`'s file as they were when commit `when` was made: the
    /// lines between the nearest lines around them that were already there then. `None`
    /// when the file did not exist then.
    pub(crate) fn text_then(
        &self,
        blame: &Blame,
        first: usize,
        last: usize,
        when: When,
    ) -> Option<String> {
        let versions = &self.files.get(&blame.key)?.versions;
        let at = versions.partition_point(|v| v.when <= when);
        let then = &versions.get(at.checked_sub(1)?)?.lines;
        let index: HashMap<u32, usize> = then.iter().enumerate().map(|(i, l)| (l.id, i)).collect();
        let (from, to) = blame.range(first, last);
        let before = blame.lines[..from]
            .iter()
            .rev()
            .find_map(|l| index.get(&l.id))
            .map_or(0, |i| i + 1);
        let after = blame.lines[to..]
            .iter()
            .find_map(|l| index.get(&l.id))
            .copied()
            .unwrap_or(then.len());
        let lines = then.get(before..after.max(before)).unwrap_or(&[]);
        let text: Vec<&str> = lines.iter().map(|l| &*l.text).collect();
        Some(text.join("\n").trim().to_string())
    }

    /// A commit's short hash and date, for messages.
    pub(crate) fn describe(&self, when: When) -> String {
        match self.commits.get(when as usize) {
            Some(c) => format!("commit {} of {}", short(&c.id), date(c.time)),
            None => "edits not yet committed".into(),
        }
    }

    /// When the last commit that changed the file at `path` was made (seconds since the
    /// epoch); edits not yet committed do not count, so that a build dates a page the same
    /// way every time. `None` for a file git does not know, and in a shallow clone for one
    /// last changed at its oldest commit, which stands for every change before it.
    pub(crate) fn last_commit_time(&self, path: &Path) -> Option<i64> {
        let last = self.files.get(&self.key(path)?)?.versions.last()?;
        if self.shallow && last.when == 0 {
            return None;
        }
        self.commits.get(last.when as usize).map(|c| c.time)
    }

    /// `path` relative to the repository's top folder.
    fn key(&self, path: &Path) -> Option<PathBuf> {
        let real = path.canonicalize().ok()?;
        real.strip_prefix(&self.top).ok().map(Path::to_path_buf)
    }
}

fn short(id: &str) -> &str {
    id.get(..10).unwrap_or(id)
}

/// `YYYY-MM-DD` (UTC) of a time in seconds since the epoch.
pub(crate) fn date(secs: i64) -> String {
    // Howard Hinnant's days-from-civil, inverted.
    let days = secs.div_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// `old` with its lines edited into `new`: unchanged lines keep their id and date; changed
/// ones get new ids, and the date `when` unless the change only re-wrapped or re-spaced
/// what they say (then they keep the newest date of the lines they replace).
fn edit(old: &[Line], new: &[&str], when: When, next_id: &mut u32) -> Vec<Line> {
    let old_text: Vec<&str> = old.iter().map(|l| &*l.text).collect();
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, &old_text, new);
    let mut out = Vec::with_capacity(new.len());
    for op in ops {
        let (_, old_range, new_range) = op.as_tag_tuple();
        if op.tag() == similar::DiffTag::Equal {
            out.extend_from_slice(&old[old_range]);
        } else {
            let removed = &old[old_range];
            let added = &new[new_range];
            let date = rewrap_date(removed, added).unwrap_or(when);
            out.extend(added.iter().map(|t| {
                *next_id += 1;
                Line {
                    text: Arc::from(*t),
                    id: *next_id,
                    when: date,
                }
            }));
        }
    }
    out
}

/// When `added` says what `removed` said, only wrapped or spaced differently: the newest
/// date of the removed lines.
fn rewrap_date(removed: &[Line], added: &[&str]) -> Option<When> {
    if removed.is_empty() || added.is_empty() {
        return None;
    }
    let before: Vec<&str> = removed.iter().map(|l| &*l.text).collect();
    let (before, after) = (before.join("\n"), added.join("\n"));
    crate::substance::same(&before, &after).then(|| removed.iter().map(|l| l.when).max())?
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(texts: &[&str], when: When) -> Vec<Line> {
        texts
            .iter()
            .enumerate()
            .map(|(i, t)| Line {
                text: Arc::from(*t),
                id: i as u32,
                when,
            })
            .collect()
    }

    #[test]
    fn an_edit_dates_the_changed_lines_and_a_rewrap_keeps_the_old_date() {
        let old = lines(&["# T", "", "one two", "three", "", "keep"], 1);
        let mut next = 100;
        let new = edit(
            &old,
            &["# T", "", "one", "two three", "", "kept"],
            5,
            &mut next,
        );
        let whens: Vec<When> = new.iter().map(|l| l.when).collect();
        assert_eq!(whens, vec![1, 1, 1, 1, 1, 5]);
        assert_eq!(new[0].id, 0);
        assert!(new[2].id > 100);
    }

    #[test]
    fn dates_read_as_calendar_days() {
        assert_eq!(date(0), "1970-01-01");
        assert_eq!(date(1_700_000_000), "2023-11-14");
        assert_eq!(date(951_782_400), "2000-02-29");
    }
}
