//! Translation-drift warnings: blocks one language has and the other does not. In a
//! parallel page a lone block is a missing translation beside it; between two files it
//! means the files' structures differ, and the warning says where the last match was.

use crate::diagnostics::{shown, Diagnostic, Location};
use crate::lang::{Language, Languages, Side};
use crate::model::{BlockKind, Content, Segment, Sources, Text};

/// Warns about every block without a counterpart in the other language. A heading only one
/// file has is reported once for its whole section.
pub(crate) fn report_lone(
    segments: &[Segment],
    sources: &Sources,
    langs: &Languages,
    diags: &mut Vec<Diagnostic>,
) {
    let two_files = sources.files[0] != sources.files[1];
    // The line of the last pair in each file: where to look in the other file.
    let mut last_pair = [1usize, 1usize];
    let mut i = 0;
    while i < segments.len() {
        let seg = &segments[i];
        i += 1;
        let what = seg.name();
        for content in seg.contents() {
            match content {
                Content::Pair([p, s]) => last_pair = [p.line, s.line],
                Content::Shared(_) => {}
                Content::Lone(side, text) if !two_files => {
                    diags.push(lone_beside(what, *side, text, sources, langs));
                }
                Content::Lone(side, text) => {
                    let missing = langs.get(side.other());
                    let other = sources.file(side.other());
                    let near = format!("{}:{}", shown(other), last_pair[side.other().index()]);
                    let (message, skipped) =
                        drift_message(what, *side, text, &segments[i..], &near, missing);
                    i += skipped;
                    diags.push(
                        Diagnostic::warning(sources.file(*side), Some(Location::new(text.line, 1)), message)
                            .with_hint(format!("translate it in {}, or remove it if the translation dropped it on purpose", shown(other))),
                    );
                }
            }
        }
    }
}

/// A lone block in a page holding both languages: its translation belongs right after it.
fn lone_beside(
    what: &str,
    side: Side,
    text: &Text,
    sources: &Sources,
    langs: &Languages,
) -> Diagnostic {
    let missing = langs.get(side.other());
    Diagnostic::warning(sources.file(side), Some(Location::new(text.line, 1)), format!("{what} has no {} counterpart", missing.name))
        .with_hint(format!(
            "add its {} translation right after it, or mark a language-neutral block with `<!-- diglot: shared -->`",
            missing.name
        ))
}

/// The message for a lone block between two files, and how many of the following
/// segments it covers (a heading covers the rest of its section on the same side).
fn drift_message(
    what: &str,
    side: Side,
    text: &Text,
    rest: &[Segment],
    near: &str,
    missing: &Language,
) -> (String, usize) {
    if what == "heading" {
        // A section only one file has is one finding, not one per block.
        let rest = section_length(rest, side);
        let message = format!(
            "translation drift: section `{}` ({} block{}) has no counterpart in the {} file; the files' structures differ after {near}",
            text.md.trim(),
            rest + 1,
            if rest == 0 { "" } else { "s" },
            missing.name
        );
        (message, rest)
    } else if what == "paragraph" || what == "quote" {
        let message = format!(
            "{what} has no {} counterpart (nothing matches it after {near})",
            missing.name
        );
        (message, 0)
    } else {
        let message = format!("translation drift: {what} has no counterpart in the {} file; the files' structures differ after {near}", missing.name);
        (message, 0)
    }
}

/// How many segments after a lone heading are lone on the same side, up to the next heading.
fn section_length(rest: &[Segment], side: Side) -> usize {
    rest.iter()
        .take_while(|s| {
            s.contents()
                .all(|c| matches!(c, Content::Lone(s2, _) if *s2 == side))
                && !matches!(
                    s,
                    Segment::Block {
                        kind: BlockKind::Heading(_),
                        ..
                    }
                )
        })
        .count()
}
