//! Reading history with the `git` binary: one `git log --patch` over the book's folders,
//! oldest commit first, replayed hunk by hunk. One process streams the whole history,
//! which is faster than asking for each file or each version.

use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

use super::{rewrap_date, Commit, History, Line, Unavailable, Version, When};

/// Whether a file's history is worth keeping: pages are Markdown.
fn is_page(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("md") || e.eq_ignore_ascii_case("markdown"))
}

fn git(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env_remove("GIT_PAGER")
        .stdin(Stdio::null());
    cmd
}

/// Runs a short git command and returns its output, or why it failed.
fn run(dir: &Path, args: &[&str]) -> Result<String, Unavailable> {
    let out = git(dir)
        .args(args)
        .output()
        .map_err(|e| Unavailable::NoGit(e.to_string()))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
        if err.contains("not a git repository") {
            Err(Unavailable::NotRepository)
        } else {
            Err(Unavailable::Failed(err))
        }
    }
}

pub(super) fn read(book: &Path, folders: &[&Path]) -> Result<History, Unavailable> {
    let found = run(
        book,
        &["rev-parse", "--show-toplevel", "--is-shallow-repository"],
    )?;
    let mut lines = found.lines();
    let top = lines
        .next()
        .map(PathBuf::from)
        .ok_or(Unavailable::NotRepository)?;
    let top = top.canonicalize().unwrap_or(top);
    let shallow = lines.next() == Some("true");
    let mut history = History {
        top,
        shallow,
        ..History::default()
    };
    if run(book, &["rev-parse", "--verify", "--quiet", "HEAD"]).is_err() {
        // A repository without commits yet: every line is an edit not yet committed.
        return Ok(history);
    }
    let mut specs: Vec<String> = folders
        .iter()
        .filter_map(|f| {
            let real = f.canonicalize().ok()?;
            let rel = real.strip_prefix(&history.top).ok()?;
            let rel = rel.to_string_lossy();
            Some(format!(
                ":(literal){}",
                if rel.is_empty() { "." } else { &rel }
            ))
        })
        .collect();
    specs.sort();
    specs.dedup();
    if specs.is_empty() {
        return Ok(history);
    }
    let mut child = git(&history.top)
        .args([
            "-c",
            "core.quotepath=off",
            "-c",
            "diff.mnemonicPrefix=false",
            "-c",
            "log.showSignature=false",
            "log",
            "--first-parent",
            "--diff-merges=first-parent",
            "--reverse",
            "--find-renames",
            "--no-color",
            "--no-ext-diff",
            "--no-textconv",
            "--no-relative",
            "--src-prefix=a/",
            "--dst-prefix=b/",
            "--unified=0",
            "--format=format:%x01%H %ct",
            "--patch",
            "--",
        ])
        .args(&specs)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Unavailable::NoGit(e.to_string()))?;
    let Some(stdout) = child.stdout.take() else {
        return Err(Unavailable::Failed("git log gave no output".into()));
    };
    let mut replay = Replay {
        history: &mut history,
        file: None,
    };
    let mut reader = BufReader::with_capacity(1 << 16, stdout);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => return Err(Unavailable::Failed(e.to_string())),
        }
        while matches!(buf.last(), Some(b'\n' | b'\r')) {
            buf.pop();
        }
        replay.line(&String::from_utf8_lossy(&buf));
    }
    replay.end_file();
    let mut err = String::new();
    if let Some(mut stderr) = child.stderr.take() {
        let _ = stderr.read_to_string(&mut err);
    }
    let status = child
        .wait()
        .map_err(|e| Unavailable::Failed(e.to_string()))?;
    if !status.success() {
        return Err(Unavailable::Failed(err.trim().to_string()));
    }
    Ok(history)
}

/// One file's part of a commit's patch.
#[derive(Default)]
struct FilePatch {
    old: Option<PathBuf>,
    new: Option<PathBuf>,
    deleted: bool,
    binary: bool,
    hunks: Vec<Hunk>,
}

struct Hunk {
    /// First old line the hunk replaces (1-based), or the line it inserts after when it
    /// removes none.
    old_start: usize,
    old_count: usize,
    added: Vec<String>,
}

struct Replay<'a> {
    history: &'a mut History,
    file: Option<FilePatch>,
}

impl Replay<'_> {
    fn when(&self) -> When {
        self.history.commits.len().saturating_sub(1) as When
    }

    fn line(&mut self, line: &str) {
        if let Some(rest) = line.strip_prefix('\u{1}') {
            self.end_file();
            let (id, time) = rest.split_once(' ').unwrap_or((rest, "0"));
            self.history.commits.push(Commit {
                id: id.to_string(),
                time: time.trim().parse().unwrap_or(0),
            });
            return;
        }
        if line.starts_with("diff --git ") {
            self.end_file();
            self.file = Some(FilePatch::default());
            return;
        }
        let Some(file) = self.file.as_mut() else {
            return;
        };
        if let Some(rest) = line.strip_prefix("@@ ") {
            if let Some(hunk) = hunk_header(rest) {
                file.hunks.push(hunk);
            }
        } else if let Some(hunk) = file.hunks.last_mut() {
            // Inside hunks: removed lines are known from the old version; added ones kept.
            if let Some(added) = line.strip_prefix('+') {
                hunk.added.push(added.to_string());
            }
        } else if let Some(p) = line.strip_prefix("rename from ") {
            file.old = Some(unquote(p));
        } else if let Some(p) = line.strip_prefix("rename to ") {
            file.new = Some(unquote(p));
        } else if let Some(p) = line.strip_prefix("--- ") {
            file.old = file.old.take().or_else(|| side_path(p, "a/"));
        } else if let Some(p) = line.strip_prefix("+++ ") {
            file.new = side_path(p, "b/");
            file.deleted = file.new.is_none();
        } else if line.starts_with("deleted file mode") {
            file.deleted = true;
        } else if line.starts_with("Binary files ") || line.starts_with("GIT binary patch") {
            file.binary = true;
        }
    }

    /// Applies the finished file patch to the replayed files.
    fn end_file(&mut self) {
        let Some(patch) = self.file.take() else {
            return;
        };
        let when = self.when();
        let files = &mut self.history.files;
        let previous = patch.old.as_ref().and_then(|old| files.remove(old));
        let Some(new) = patch.new.filter(|_| !patch.deleted) else {
            return;
        };
        if patch.binary || !is_page(&new) {
            files.remove(&new);
            return;
        }
        let mut history = previous.unwrap_or_default();
        let old: &[Line] = history.versions.last().map_or(&[], |v| &v.lines);
        let lines = apply(old, &patch.hunks, when, &mut self.history.next_id);
        history.versions.push(Version {
            when,
            lines: lines.into(),
        });
        files.insert(new, history);
    }
}

/// `@@ -a,b +c,d @@ …` → the old range and an empty hunk.
fn hunk_header(rest: &str) -> Option<Hunk> {
    let old = rest.split_whitespace().next()?.strip_prefix('-')?;
    let (start, count) = match old.split_once(',') {
        Some((s, c)) => (s.parse().ok()?, c.parse().ok()?),
        None => (old.parse().ok()?, 1),
    };
    Some(Hunk {
        old_start: start,
        old_count: count,
        added: Vec::new(),
    })
}

/// `old` with `hunks` applied (in order, as git writes them).
fn apply(old: &[Line], hunks: &[Hunk], when: When, next_id: &mut u32) -> Vec<Line> {
    let mut out = Vec::with_capacity(old.len() + 8);
    let mut pos = 0;
    for h in hunks {
        let start = if h.old_count == 0 {
            h.old_start
        } else {
            h.old_start.saturating_sub(1)
        };
        let start = start.clamp(pos, old.len());
        let end = (start + h.old_count).min(old.len());
        out.extend_from_slice(&old[pos..start]);
        let removed = &old[start..end];
        let added: Vec<&str> = h.added.iter().map(String::as_str).collect();
        let date = rewrap_date(removed, &added).unwrap_or(when);
        for text in &h.added {
            *next_id += 1;
            out.push(Line {
                text: Arc::from(text.as_str()),
                id: *next_id,
                when: date,
            });
        }
        pos = end;
    }
    out.extend_from_slice(&old[pos.min(old.len())..]);
    out
}

/// The path on a `---`/`+++` line; `None` for `/dev/null`.
fn side_path(raw: &str, prefix: &str) -> Option<PathBuf> {
    let raw = raw.strip_suffix('\t').unwrap_or(raw);
    if raw == "/dev/null" {
        return None;
    }
    let path = unquote(raw);
    let s = path.to_string_lossy();
    Some(PathBuf::from(s.strip_prefix(prefix).unwrap_or(&s)))
}

/// A path as git writes it: as is, or in double quotes with C escapes when it holds
/// characters that need them.
fn unquote(raw: &str) -> PathBuf {
    let Some(inner) = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) else {
        return PathBuf::from(raw);
    };
    let mut bytes = Vec::with_capacity(inner.len());
    let mut chars = inner.bytes().peekable();
    while let Some(b) = chars.next() {
        if b != b'\\' {
            bytes.push(b);
            continue;
        }
        match chars.next() {
            Some(b'n') => bytes.push(b'\n'),
            Some(b't') => bytes.push(b'\t'),
            Some(b'r') => bytes.push(b'\r'),
            Some(b'a') => bytes.push(7),
            Some(b'b') => bytes.push(8),
            Some(b'f') => bytes.push(12),
            Some(b'v') => bytes.push(11),
            Some(d @ b'0'..=b'7') => {
                let mut value = u32::from(d - b'0');
                for _ in 0..2 {
                    match chars.peek() {
                        Some(&o @ b'0'..=b'7') => {
                            value = value * 8 + u32::from(o - b'0');
                            chars.next();
                        }
                        _ => break,
                    }
                }
                bytes.push(value as u8);
            }
            Some(other) => bytes.push(other),
            None => {}
        }
    }
    PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
}

/// Commits and versions, for tests: each file's lines with their commit index.
#[cfg(test)]
pub(super) fn dump(history: &History) -> std::collections::HashMap<PathBuf, Vec<(String, When)>> {
    history
        .files
        .iter()
        .filter_map(|(p, f)| {
            let last = f.versions.last()?;
            Some((
                p.clone(),
                last.lines
                    .iter()
                    .map(|l| (l.text.to_string(), l.when))
                    .collect(),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git_in(dir: &Path, args: &[&str]) {
        let out = Command::new("git")
            .args(["-c", "user.name=T", "-c", "user.email=t@example.org"])
            .args(args)
            .current_dir(dir)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .expect("git runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    #[test]
    fn a_rewrap_keeps_the_lines_older_commit_and_renames_are_followed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        std::fs::create_dir(root.join("c")).expect("mkdir");
        git_in(root, &["init", "-q"]);
        std::fs::write(root.join("c/a b.md"), "# T\n\none two\nthree\n\nfour\n").expect("write");
        git_in(root, &["add", "-A"]);
        git_in(root, &["commit", "-qm", "one"]);
        std::fs::write(root.join("c/a b.md"), "# T\n\none\ntwo three\n\nfive\n").expect("write");
        git_in(root, &["commit", "-qam", "two"]);
        git_in(root, &["mv", "c/a b.md", "c/文.md"]);
        git_in(root, &["commit", "-qm", "three"]);
        let history = read(root, &[&root.join("c")]).expect("history");
        assert_eq!(history.commits.len(), 3);
        let files = dump(&history);
        let whens: Vec<(String, When)> = files[Path::new("c/文.md")].clone();
        let expected: Vec<(String, When)> = [
            ("# T", 0),
            ("", 0),
            ("one", 0),
            ("two three", 0),
            ("", 0),
            ("five", 1),
        ]
        .iter()
        .map(|(t, w)| (t.to_string(), *w))
        .collect();
        assert_eq!(whens, expected);
        assert_eq!(files.len(), 1);
    }

    #[test]
    fn quoted_paths_are_unescaped() {
        assert_eq!(
            unquote("\"a/x\\\"y\\\\z.md\""),
            PathBuf::from("a/x\"y\\z.md")
        );
        assert_eq!(
            unquote("\"a/\\346\\226\\207.md\""),
            PathBuf::from("a/文.md")
        );
        assert_eq!(unquote("a/plain name.md"), PathBuf::from("a/plain name.md"));
        assert_eq!(
            side_path("b/with space.md\t", "b/"),
            Some(PathBuf::from("with space.md"))
        );
        assert_eq!(side_path("/dev/null", "a/"), None);
    }

    #[test]
    fn hunks_replace_insert_and_delete() {
        let mut next = 0;
        let base = apply(
            &[],
            &[Hunk {
                old_start: 0,
                old_count: 0,
                added: vec!["a".into(), "b".into(), "c".into()],
            }],
            0,
            &mut next,
        );
        let hunks = vec![
            Hunk {
                old_start: 1,
                old_count: 0,
                added: vec!["a2".into()],
            },
            Hunk {
                old_start: 3,
                old_count: 1,
                added: vec![],
            },
        ];
        let after = apply(&base, &hunks, 1, &mut next);
        let texts: Vec<&str> = after.iter().map(|l| &*l.text).collect();
        assert_eq!(texts, vec!["a", "a2", "b"]);
        assert_eq!(
            after.iter().map(|l| l.when).collect::<Vec<_>>(),
            vec![0, 1, 0]
        );
    }
}
