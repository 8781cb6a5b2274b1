//! What changed in a source block, word by word: for messages (`[-old-]{+new+}`, as
//! `git diff --word-diff` writes it) and for the page's marker.

use similar::{ChangeTag, TextDiff};

/// A run of words the two texts share, or that only one has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DiffPart<'a> {
    Same(&'a str),
    Removed(&'a str),
    Added(&'a str),
}

/// The two texts with spacing evened out (a re-wrap shows no change).
fn even(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `then` → `now`, word by word: the words both have, and each changed stretch as what
/// was removed followed by what was added.
pub(crate) fn word_diff(then: &str, now: &str, out: &mut dyn FnMut(DiffPart<'_>)) {
    let (then, now) = (even(then), even(now));
    let diff = TextDiff::configure()
        .algorithm(similar::Algorithm::Patience)
        .diff_words(&then, &now);
    // A changed stretch runs from one changed word to the last one before an unchanged
    // word; the spaces between its words belong to it.
    let mut same = String::new();
    let (mut removed, mut added) = (String::new(), String::new());
    let flush_change =
        |removed: &mut String, added: &mut String, out: &mut dyn FnMut(DiffPart<'_>)| {
            if !removed.is_empty() {
                out(DiffPart::Removed(removed.trim()));
            }
            if !added.is_empty() {
                out(DiffPart::Added(added.trim()));
            }
            removed.clear();
            added.clear();
        };
    let mut pending_space = String::new();
    for change in diff.iter_all_changes() {
        let value = change.value();
        let in_change = !removed.is_empty() || !added.is_empty();
        if value.trim().is_empty() {
            if in_change {
                pending_space.push_str(value);
            } else {
                same.push_str(value);
            }
            continue;
        }
        match change.tag() {
            ChangeTag::Equal => {
                flush_change(&mut removed, &mut added, out);
                same.push_str(&pending_space);
                pending_space.clear();
                same.push_str(value);
            }
            tag => {
                if !same.is_empty() {
                    out(DiffPart::Same(&same));
                    same.clear();
                }
                let (this, other) = if tag == ChangeTag::Delete {
                    (&mut removed, &mut added)
                } else {
                    (&mut added, &mut removed)
                };
                if !this.is_empty() {
                    this.push(' ');
                }
                this.push_str(value);
                if !other.is_empty() && !pending_space.is_empty() {
                    other.push(' ');
                }
                pending_space.clear();
            }
        }
    }
    flush_change(&mut removed, &mut added, out);
    same.push_str(&pending_space);
    if !same.is_empty() {
        out(DiffPart::Same(&same));
    }
}

/// Words of context kept on each side of a change in a message.
const CONTEXT: usize = 6;

/// The change in one line: `…words [-old-]{+new+} words…`, long unchanged runs cut.
pub(crate) fn changes_text(then: &str, now: &str) -> String {
    let mut parts: Vec<(u8, String)> = Vec::new();
    word_diff(then, now, &mut |p| match p {
        DiffPart::Same(t) => parts.push((0, t.to_string())),
        DiffPart::Removed(t) => parts.push((1, format!("[-{t}-]"))),
        DiffPart::Added(t) => parts.push((2, format!("{{+{t}+}}"))),
    });
    let mut out = String::new();
    let last = parts.len().saturating_sub(1);
    for (i, (kind, text)) in parts.iter().enumerate() {
        if *kind != 0 {
            out.push_str(text);
            continue;
        }
        let words: Vec<&str> = text.split(' ').collect();
        let keep_start = if i == 0 { 0 } else { CONTEXT };
        let keep_end = if i == last { 0 } else { CONTEXT };
        if words.len() <= keep_start + keep_end + 1 {
            out.push_str(text);
        } else {
            out.push_str(&words[..keep_start].join(" "));
            out.push_str(if keep_start > 0 { " … " } else { "… " });
            out.push_str(&words[words.len() - keep_end..].join(" "));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_changed_word_reads_as_removed_and_added() {
        assert_eq!(
            changes_text("Wait five seconds.", "Wait ten seconds."),
            "Wait [-five-]{+ten+} seconds."
        );
    }

    #[test]
    fn rewrapping_shows_no_change_and_long_runs_are_cut() {
        let then = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen";
        let now = "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen!";
        let text = changes_text(then, now);
        assert!(text.starts_with("… "), "{text}");
        assert!(text.contains("[-sixteen-]{+sixteen!+}"), "{text}");
        assert_eq!(
            changes_text("The second paragraph.", "The second paragraph changed."),
            "The second [-paragraph.-]{+paragraph changed.+}"
        );
        assert!(!text.contains("one two"), "{text}");
    }
}
