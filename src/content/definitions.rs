//! What one side's whole document defines for its blocks: link reference definitions and
//! footnotes. Blocks are rendered one by one, so these are collected once per file and side.

use pulldown_cmark::{Event, Parser, Tag};

use crate::commonmark::parser_options;
use crate::model::{Definitions, FootnoteDefinition, LinkDefinition, Text};

/// A label as CommonMark matches it: case-insensitive, inner whitespace collapsed.
pub(crate) fn label_key(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The definitions of `md`, whose first line is line `first_line` of its file.
pub(crate) fn definitions(md: &str, first_line: usize) -> Definitions {
    let mut defs = Definitions::default();
    // Most pages define nothing: skip the second parse for them.
    if !md.contains("]:") {
        return defs;
    }
    let line_of = |offset: usize| first_line + md[..offset].matches('\n').count();
    let mut depth = 0usize;
    let mut parser = Parser::new_ext(md, parser_options()).into_offset_iter();
    for (event, range) in parser.by_ref() {
        match event {
            Event::Start(Tag::FootnoteDefinition(label)) if depth == 0 => {
                let key = label_key(&label);
                let text = Text::new(footnote_body(&md[range.clone()]), line_of(range.start));
                defs.footnotes.entry(key).or_insert(FootnoteDefinition {
                    label: label.to_string(),
                    text,
                });
                depth += 1;
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    for (label, def) in parser.reference_definitions().iter() {
        defs.links.insert(
            label_key(label),
            LinkDefinition {
                dest: def.dest.to_string(),
                title: def.title.as_deref().unwrap_or("").to_string(),
                line: line_of(def.span.start.min(md.len())),
            },
        );
    }
    defs
}

/// A footnote definition's text: `[^label]:` removed, continuation lines dedented.
fn footnote_body(src: &str) -> String {
    let after_label = src.find("]:").map_or(src, |i| &src[i + 2..]);
    let mut out = String::with_capacity(after_label.len());
    for (n, line) in after_label.trim_end().lines().enumerate() {
        if n == 0 {
            out.push_str(line.trim_start());
            continue;
        }
        out.push('\n');
        let spaces = line.len() - line.trim_start_matches(' ').len();
        out.push_str(&line[spaces.min(4)..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collects_links_and_footnotes_with_their_lines() {
        let md = "Text[^n].\n\n[Foo  Bar]: /u \"T\"\n\n[^n]: A note\n    that goes on.\n\n```\n[x]: not a definition\n```\n";
        let defs = definitions(md, 10);
        let foo = &defs.links["foo bar"];
        assert_eq!(
            (foo.dest.as_str(), foo.title.as_str(), foo.line),
            ("/u", "T", 12)
        );
        assert!(!defs.links.contains_key("x"));
        let note = &defs.footnotes["n"];
        assert_eq!(note.text, Text::new("A note\nthat goes on.", 14));
    }

    #[test]
    fn a_page_without_definitions_is_not_parsed_again() {
        assert!(definitions("Just [a](b) text.\n", 1).is_empty());
    }
}
