//! The reviewed file: source changes a translator checked and found need no change to the
//! translation (a typo fixed in the source, say). It lives in the book's folder, is meant to
//! be committed, and is plain text, one pair per line, sorted, so that two branches adding
//! lines merge cleanly:
//!
//! ```text
//! # comment lines start with #
//! 0f3c9a1b2d4e5f60  zh/guide/intro.md  # The first words of the source…
//! ```
//!
//! The first field is the fingerprint of the source block's text as it was accepted, the
//! second the translation's file relative to the book's folder; the rest is a reminder for
//! people. A pair stays accepted until its source block changes again.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Location};

/// The reviewed file's name, in the book's folder.
pub(crate) const REVIEWED_FILE: &str = "translation-reviewed.txt";

const HEADER: &str = "\
# Source changes reviewed as needing no new translation: `diglot status --accept FILE:LINE`
# adds a line. Each line: the fingerprint of the source block's text, the translation's
# file, and a reminder of the source. A pair counts as current until its source changes
# again; delete a line to undo. Keep this file in version control.
";

/// The accepted pairs: (translation file relative to the book, fingerprint), and the
/// reminder written after each.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Reviewed {
    entries: BTreeSet<(String, String)>,
    notes: std::collections::BTreeMap<(String, String), String>,
}

fn relative(root: &Path, file: &Path) -> String {
    let rel = file
        .strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| file.to_path_buf());
    rel.to_string_lossy().replace('\\', "/")
}

impl Reviewed {
    /// Reads the book's reviewed file (none is an empty one). Lines that are not entries
    /// are warned about.
    pub(crate) fn load(root: &Path) -> (Reviewed, Vec<Diagnostic>) {
        let path = root.join(REVIEWED_FILE);
        let mut reviewed = Reviewed::default();
        let mut diags = Vec::new();
        let Ok(text) = std::fs::read_to_string(&path) else {
            return (reviewed, diags);
        };
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (entry, note) = match line.split_once("  #") {
                Some((e, n)) => (e.trim(), n.trim()),
                None => (line, ""),
            };
            let Some((print, file)) = entry.split_once(char::is_whitespace) else {
                diags.push(bad_line(&path, i + 1));
                continue;
            };
            let file = file.trim();
            if print.len() != 16 || !print.bytes().all(|b| b.is_ascii_hexdigit()) || file.is_empty()
            {
                diags.push(bad_line(&path, i + 1));
                continue;
            }
            let key = (file.to_string(), print.to_ascii_lowercase());
            reviewed.notes.insert(key.clone(), note.to_string());
            reviewed.entries.insert(key);
        }
        (reviewed, diags)
    }

    /// Whether the stale pair of translation `file` whose source now has `fingerprint` was
    /// accepted.
    pub(crate) fn accepts(&self, root: &Path, file: &Path, fingerprint: &str) -> bool {
        !self.entries.is_empty()
            && self
                .entries
                .contains(&(relative(root, file), fingerprint.to_string()))
    }

    /// Records a pair as accepted.
    pub(crate) fn accept(&mut self, root: &Path, file: &Path, fingerprint: &str, source: &str) {
        let key = (relative(root, file), fingerprint.to_string());
        let words: Vec<&str> = source.split_whitespace().take(12).collect();
        let mut note: String = words
            .join(" ")
            .chars()
            .filter(|c| !crate::diagnostics::is_unsafe_for_terminal(*c))
            .take(80)
            .collect();
        if source.split_whitespace().count() > 12 || note.chars().count() == 80 {
            note.push('…');
        }
        self.notes.insert(key.clone(), note);
        self.entries.insert(key);
    }

    /// The file's text: the header, then the entries sorted by file and fingerprint.
    pub(crate) fn to_text(&self) -> String {
        let mut out = String::from(HEADER);
        for key in &self.entries {
            let (file, print) = key;
            out.push_str(&format!("{print}  {file}"));
            match self.notes.get(key).filter(|n| !n.is_empty()) {
                Some(note) => out.push_str(&format!("  # {note}\n")),
                None => out.push('\n'),
            }
        }
        out
    }

    /// Writes the file into the book's folder (replacing it in one step).
    pub(crate) fn save(&self, root: &Path) -> std::io::Result<PathBuf> {
        let path = root.join(REVIEWED_FILE);
        let tmp = root.join(format!(".{REVIEWED_FILE}.tmp"));
        std::fs::write(&tmp, self.to_text())?;
        std::fs::rename(&tmp, &path)?;
        Ok(path)
    }
}

fn bad_line(path: &Path, line: usize) -> Diagnostic {
    Diagnostic::warning(
        path,
        Some(Location::new(line, 1)),
        "this line of the reviewed file is not an entry, so it is ignored",
    )
    .with_hint("an entry is a 16-digit hex fingerprint, two spaces and the translation's file; `diglot status --accept FILE:LINE` writes them")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_sorted_and_bad_lines_are_warned_about() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path();
        let mut r = Reviewed::default();
        r.accept(
            root,
            &root.join("zh/b.md"),
            "00000000000000ff",
            "Second source",
        );
        r.accept(
            root,
            &root.join("zh/a.md"),
            "0000000000000001",
            "First\u{1b}[31m source",
        );
        r.save(root).expect("saved");
        let text = std::fs::read_to_string(root.join(REVIEWED_FILE)).expect("read");
        let entries: Vec<&str> = text.lines().filter(|l| !l.starts_with('#')).collect();
        assert_eq!(
            entries,
            vec![
                "0000000000000001  zh/a.md  # First[31m source",
                "00000000000000ff  zh/b.md  # Second source"
            ]
        );
        std::fs::write(root.join(REVIEWED_FILE), format!("{text}not an entry\n")).expect("write");
        let (back, diags) = Reviewed::load(root);
        assert!(back.accepts(root, &root.join("zh/a.md"), "0000000000000001"));
        assert!(!back.accepts(root, &root.join("zh/a.md"), "00000000000000ff"));
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].location.map(|l| l.line), Some(entries.len() + 5));
    }
}
