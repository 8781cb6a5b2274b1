//! Diagnostics: what went wrong or looks wrong, where, and what to do about it.

use std::fmt;
use std::path::{Path, PathBuf};

/// A path as written in a message: without a leading `./`.
pub fn shown(path: &Path) -> String {
    let s = path.to_string_lossy();
    s.strip_prefix("./")
        .map(str::to_string)
        .unwrap_or_else(|| s.into_owned())
}

/// Whether `c` would act on a terminal instead of showing: C0 and C1 controls and DEL
/// (ESC starts colour and cursor commands, BEL rings), and the bidirectional overrides and
/// isolates that make text display in another order than it is read ("Trojan Source").
pub fn is_unsafe_for_terminal(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Text from input made safe to print on a terminal or a CI log: every character that
/// [`is_unsafe_for_terminal`] is written visibly as `\u{1b}`. Newlines and tabs are kept
/// when `keep_layout` is set (messages use them to lay out several lines).
pub fn terminal_safe(text: &str, keep_layout: bool) -> std::borrow::Cow<'_, str> {
    let unsafe_char =
        |c: char| is_unsafe_for_terminal(c) && !(keep_layout && matches!(c, '\n' | '\t'));
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if unsafe_char(c) {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Shows `path` relative to the current folder when it lies inside it.
pub fn display_path(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let shown = cwd
        .as_deref()
        .and_then(|c| path.strip_prefix(c).ok())
        .unwrap_or(path);
    let s = shown.to_string_lossy();
    s.strip_prefix("./")
        .map(str::to_string)
        .unwrap_or_else(|| s.into_owned())
}

/// Why the library could not do what it was asked: the one error type it returns. Every
/// problem is a [`Diagnostic`]; the warnings found on the way come with the errors.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The folder given holds no `book.toml`, or is not a folder.
    #[error("{}", no_book_message(.0))]
    NoBook(PathBuf),
    /// The book has errors; the warnings found with them come along.
    #[error("the build failed: {} error(s)", .0.iter().filter(|d| d.is_error()).count())]
    Failed(Vec<Diagnostic>),
    /// The command was asked for something the book does not have (a language, a phase).
    #[error("{message}")]
    Usage {
        /// What was asked for that does not exist.
        message: String,
        /// What to do about it, such as the names that do exist.
        hint: String,
    },
}

/// What is wrong when `dir` holds no book: the folder may not exist at all.
pub fn no_book_message(dir: &Path) -> String {
    let shown = display_path(dir);
    if dir.is_dir() {
        format!("no {} in {shown}", crate::paths::CONFIG_FILE)
    } else if dir.exists() {
        format!("{shown} is a file, not a book's folder")
    } else {
        format!("the folder {shown} does not exist")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Severity {
    Warning,
    Error,
}

/// A position in a source file, 1-based.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub struct Location {
    pub(crate) line: usize,
    pub(crate) col: usize,
}

impl Location {
    pub(crate) fn new(line: usize, col: usize) -> Self {
        Location { line, col }
    }

    /// The line and column of byte `offset` in `text`; columns count characters.
    pub fn of_offset(text: &str, offset: usize) -> Self {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        Location { line, col }
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// One problem in the book: how bad, where, what, and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub(crate) severity: Severity,
    pub(crate) path: PathBuf,
    pub(crate) location: Option<Location>,
    /// What is wrong.
    pub message: String,
    pub(crate) hint: Option<String>,
    /// For a stale translation: the source it is behind.
    pub(crate) stale: Option<Box<StaleDetail>>,
}

/// What a stale-translation warning knows beyond its message: where the source block is,
/// and its text when the translation was last changed and now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StaleDetail {
    pub(crate) source_path: PathBuf,
    pub(crate) source_line: usize,
    pub(crate) then: String,
    pub(crate) now: String,
    /// `--strict` makes it an error (`[translation] stale = "error"`).
    pub(crate) strict_error: bool,
}

/// Errors with the same message and hint and no position, from different files, become one:
/// a broken template fails every page that uses it in the same way, and ten thousand copies
/// of one error hide what to fix. The first one stays and says how many more there were.
pub fn collapse_repeated(diags: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let mut first: std::collections::HashMap<(String, Option<String>), usize> =
        std::collections::HashMap::new();
    let mut out: Vec<(Diagnostic, usize)> = Vec::with_capacity(diags.len());
    for d in diags {
        if d.is_error() && d.location.is_none() {
            let key = (d.message.clone(), d.hint.clone());
            if let Some(&at) = first.get(&key) {
                if out[at].0.path != d.path {
                    out[at].1 += 1;
                    continue;
                }
            } else {
                first.insert(key, out.len());
            }
        }
        out.push((d, 0));
    }
    out.into_iter()
        .map(|(mut d, more)| {
            if more > 0 {
                let pages = if more == 1 { "file" } else { "files" };
                d.message
                    .push_str(&format!("\n(and {more} more {pages} with the same error)"));
            }
            d
        })
        .collect()
}

impl Diagnostic {
    pub(crate) fn error(
        path: impl Into<PathBuf>,
        location: Option<Location>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            location,
            message: message.into(),
            hint: None,
            stale: None,
        }
    }

    pub(crate) fn warning(
        path: impl Into<PathBuf>,
        location: Option<Location>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, location, message)
        }
    }

    pub(crate) fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Whether it is an error rather than a warning.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col` (or just the path when the whole file is meant).
    pub fn place(&self) -> String {
        match self.location {
            Some(loc) => format!("{}:{}:{}", self.path.display(), loc.line, loc.col),
            None => self.path.display().to_string(),
        }
    }

    /// `shown:line:col`, with the path written as given.
    pub fn place_with(&self, shown: &str) -> String {
        match self.location {
            Some(loc) => format!("{shown}:{}:{}", loc.line, loc.col),
            None => shown.to_string(),
        }
    }

    /// Paths in messages are shown relative to the book root when they lie inside it.
    pub fn relative_to(mut self, root: &Path) -> Self {
        if let Ok(rel) = self.path.strip_prefix(root) {
            self.path = rel.to_path_buf();
        }
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(
            f,
            "{label}: {}: {}",
            terminal_safe(&self.place(), false),
            terminal_safe(&self.message, true)
        )?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  = help: {}", terminal_safe(hint, true))?;
        }
        Ok(())
    }
}

/// `diags` in a stable order (by path and position, so output does not depend on thread
/// scheduling), duplicates dropped; with `strict` every warning is an error.
pub(crate) fn arranged(mut diags: Vec<Diagnostic>, strict: bool) -> Vec<Diagnostic> {
    if strict {
        // A stale translation is a warning even then, unless the book says otherwise.
        for d in diags
            .iter_mut()
            .filter(|d| d.stale.as_ref().is_none_or(|s| s.strict_error))
        {
            d.severity = Severity::Error;
        }
    }
    diags.sort_by(|a, b| (&a.path, a.location, &a.message).cmp(&(&b.path, b.location, &b.message)));
    diags.dedup();
    diags
}

#[cfg(test)]
mod collapse_tests {
    use super::*;

    #[test]
    fn terminal_safe_shows_controls_and_bidi_overrides_visibly() {
        assert_eq!(
            terminal_safe("a\u{1b}[31mb\u{7}", false),
            "a\\u{1b}[31mb\\u{7}"
        );
        assert_eq!(
            terminal_safe("x\u{202E}y\u{2066}\u{9b}", false),
            "x\\u{202e}y\\u{2066}\\u{9b}"
        );
        assert_eq!(terminal_safe("one\ntwo\tthree", true), "one\ntwo\tthree");
        assert_eq!(terminal_safe("one\ntwo", false), "one\\u{a}two");
        assert_eq!(terminal_safe("中文 | plain", false), "中文 | plain");
        let d =
            Diagnostic::error("a\u{1b}]0;x\u{7}.md", None, "bad \u{1b}[2J").with_hint("\u{202E}h");
        let shown = d.to_string();
        assert!(
            !shown.chars().any(is_unsafe_for_terminal_but_newline),
            "{shown:?}"
        );
    }

    fn is_unsafe_for_terminal_but_newline(c: char) -> bool {
        c != '\n' && is_unsafe_for_terminal(c)
    }

    #[test]
    fn one_error_for_the_same_failure_in_many_files_and_nothing_else_merged() {
        let broken = |file: &str| Diagnostic::error(file, None, "template failed");
        let placed = |file: &str| Diagnostic::error(file, Some(Location::new(2, 1)), "bad key");
        let diags = vec![
            broken("a.md"),
            placed("a.md"),
            broken("b.md"),
            placed("b.md"),
            broken("c.md"),
            Diagnostic::warning("d.md", None, "template failed"),
        ];
        let out = collapse_repeated(diags);
        let messages: Vec<(&Path, &str)> = out
            .iter()
            .map(|d| (d.path.as_path(), d.message.as_str()))
            .collect();
        assert_eq!(
            messages,
            [
                (
                    Path::new("a.md"),
                    "template failed\n(and 2 more files with the same error)"
                ),
                (Path::new("a.md"), "bad key"),
                (Path::new("b.md"), "bad key"),
                (Path::new("d.md"), "template failed"),
            ]
        );
    }
}
