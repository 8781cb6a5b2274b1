//! A page of a gettext-translated book: the source chapter, and beside it the chapter as
//! `mdbook-gettext` would render it (every message the PO file translates replaced, the
//! structure kept), aligned block by block. Each pair's state comes from its messages: a
//! block none of whose messages is translated stays the source's alone (untranslated); one
//! with a fuzzy message is a stale pair, shown with its old translation and the source text
//! the translation was made for (`#| msgid`).

use crate::bilingual::align::{align_same_structure, document_segments};
use crate::content::includes::LineMap;
use crate::diagnostics::Diagnostic;
use crate::lang::Side;
use crate::model::{Content, FuzzyPair, FuzzyPairs, Segment};
use crate::po::{messages, Catalog, State};

/// The segments of a PO-translated page, the catalog entries it used, and its fuzzy pairs.
pub(crate) struct PoBody {
    pub(crate) segments: Vec<Segment>,
    /// The translated chapter, for the translation's link and footnote definitions.
    pub(crate) translated: String,
    pub(crate) used: Vec<usize>,
    /// Entries whose message sits in a block that is not a pair (shown on one side only).
    pub(crate) unpaired: Vec<usize>,
    pub(crate) fuzzy: FuzzyPairs,
}

/// `body` (the source chapter with its includes expanded, its first line numbered
/// `first_line`; `map` leads from its lines to the file's) and its translation from
/// `catalog`. Messages are extracted from the whole chapter, as `mdbook-xgettext` does (so
/// reference links and footnotes resolve), and each belongs to the block holding its line.
pub(crate) fn po_body(
    body: &str,
    first_line: usize,
    map: Option<&LineMap>,
    source: Side,
    catalog: &Catalog,
    file: &std::path::Path,
    diags: &mut Vec<Diagnostic>,
) -> PoBody {
    let source_segments = document_segments(body, first_line, source);
    let all: Vec<(usize, String)> = messages(body)
        .into_iter()
        .map(|(line, m)| (line + first_line - 1, m))
        .collect();
    let translated = catalog.translate(body).unwrap_or_else(|why| {
        diags.push(
            Diagnostic::warning(
                file,
                None,
                format!(
                    "the translations in {} cannot be applied to this page: {why}",
                    crate::diagnostics::shown(&catalog.path)
                ),
            )
            .with_hint("a msgstr probably breaks the Markdown of its message (an unclosed code span or list); the page shows the source"),
        );
        body.to_string()
    });
    let target = document_segments(&translated, 1, source.other());
    let mut segments = match source {
        Side::Primary => align_same_structure(source_segments, target),
        Side::Secondary => align_same_structure(target, source_segments),
    };
    // Every message of the chapter the catalog has is found, in a block or in a footnote.
    let used: Vec<usize> = all
        .iter()
        .filter_map(|(_, m)| catalog.lookup(m).map(|(i, _)| i))
        .collect();
    let mut fuzzy = Vec::new();
    let mut unpaired = Vec::new();
    for (si, seg) in segments.iter_mut().enumerate() {
        for (ii, content) in contents_mut(seg).into_iter().enumerate() {
            let Some(mut src) = content.side(source).cloned() else {
                continue;
            };
            // The messages on the block's lines.
            let (_, last) = src.lines();
            let from = all.partition_point(|(l, _)| *l < src.line);
            let to = all.partition_point(|(l, _)| *l <= last);
            let msgs = &all[from..to.max(from)];
            // The source's lines are the file's from here on.
            if let Some(map) = map {
                src.line = map.file_line(src.line);
                set_line(content, source, src.line);
            }
            // Shared code is shown once for both languages (its translation is the same).
            if matches!(content, Content::Lone(..)) {
                unpaired.extend(
                    msgs.iter()
                        .filter_map(|(_, m)| catalog.lookup(m))
                        .map(|(i, _)| i),
                );
            }
            if msgs.is_empty() || matches!(content, Content::Shared(_)) {
                continue;
            }
            let mut states = Vec::with_capacity(msgs.len());
            let mut line = None;
            let mut then = Vec::new();
            for (_, msgid) in msgs {
                if let Some((_, e)) = catalog.lookup(msgid) {
                    line.get_or_insert(e.msgstr_line.max(e.line));
                    if e.is_fuzzy() {
                        then.push(e.previous_msgid.clone().unwrap_or_default());
                    }
                }
                states.push(catalog.state(msgid));
            }
            if let Content::Pair(texts) = content {
                if states.iter().all(|s| *s == State::Untranslated) {
                    *content = Content::Lone(source, src);
                    unpaired.extend(
                        msgs.iter()
                            .filter_map(|(_, m)| catalog.lookup(m))
                            .map(|(i, _)| i),
                    );
                    continue;
                }
                texts[source.other().index()].line = line.unwrap_or(1);
                if states.contains(&State::Fuzzy) {
                    let now: Vec<&str> = msgs.iter().map(|(_, m)| m.as_str()).collect();
                    fuzzy.push((
                        (si, ii),
                        FuzzyPair {
                            line: line.unwrap_or(1),
                            then: then.join("\n\n"),
                            now: now.join("\n\n"),
                        },
                    ));
                }
            }
        }
    }
    PoBody {
        segments,
        translated,
        used,
        unpaired,
        fuzzy,
    }
}

fn set_line(content: &mut Content, side: Side, line: usize) {
    match content {
        Content::Pair(texts) => texts[side.index()].line = line,
        Content::Lone(s, t) if *s == side => t.line = line,
        Content::Shared(t) => t.line = line,
        Content::Lone(..) => {}
    }
}

fn contents_mut(seg: &mut Segment) -> Vec<&mut Content> {
    match seg {
        Segment::Block { content, .. } => vec![content],
        Segment::List { items, .. } => items.iter_mut().map(|i| &mut i.content).collect(),
    }
}

/// The text of a lone translation block, for tests.
#[cfg(test)]
fn side_texts(segments: &[Segment], side: Side) -> Vec<String> {
    segments
        .iter()
        .flat_map(Segment::contents)
        .filter_map(|c| c.side(side).map(|t| t.md.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::po::parse::parse;
    use std::path::Path;

    #[test]
    fn translated_fuzzy_and_untranslated_messages_become_pairs_stale_pairs_and_lone_blocks() {
        let po = "msgid \"Title\"\nmsgstr \"标题\"\n\n#, fuzzy\n#| msgid \"Old text.\"\nmsgid \"New text.\"\nmsgstr \"旧译文。\"\n\nmsgid \"Alone.\"\nmsgstr \"\"\n";
        let (entries, d) = parse(Path::new("zh.po"), po);
        assert!(d.is_empty());
        let catalog = Catalog::new(Path::new("zh.po"), entries);
        let body = "# Title\n\nNew text.\n\nAlone.\n";
        let mut diags = Vec::new();
        let out = po_body(
            body,
            1,
            None,
            Side::Secondary,
            &catalog,
            Path::new("a.md"),
            &mut diags,
        );
        assert!(diags.is_empty(), "{diags:?}");
        let kinds: Vec<&str> = out
            .segments
            .iter()
            .flat_map(Segment::contents)
            .map(|c| match c {
                Content::Pair(_) => "pair",
                Content::Lone(..) => "lone",
                Content::Shared(_) => "shared",
            })
            .collect();
        assert_eq!(kinds, vec!["pair", "pair", "lone"]);
        assert_eq!(
            side_texts(&out.segments, Side::Primary),
            vec!["标题", "旧译文。"]
        );
        assert_eq!(out.fuzzy.len(), 1);
        assert_eq!(out.fuzzy[0].1.then, "Old text.");
        assert_eq!(out.fuzzy[0].1.now, "New text.");
        assert_eq!(out.fuzzy[0].1.line, 7);
        assert_eq!(out.used, vec![0, 1, 2]);
        assert_eq!(catalog.entries.len(), 3);
    }
}
