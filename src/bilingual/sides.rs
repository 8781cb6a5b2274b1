//! Folding segments back into one Markdown text per language, for blocks nested inside a
//! list item or a quote, which show as a single pair.

use crate::lang::Side;
use crate::model::{BlockKind, Content, Segment, Text};

/// The Markdown a side shows for `seg`, or `None` if the side has nothing there.
pub(crate) fn side_markdown(seg: &Segment, side: Side) -> Option<String> {
    match seg {
        Segment::Block { kind, content } => {
            let text = content.side(side)?;
            Some(match kind {
                BlockKind::Heading(level) => {
                    format!("{} {}", "#".repeat(usize::from(*level)), text.md)
                }
                BlockKind::Quote => prefix_lines(&text.md, "> ", "> "),
                _ => text.md.clone(),
            })
        }
        Segment::List { start, items } => {
            let mut out = Vec::new();
            for (n, item) in items.iter().enumerate() {
                let Some(text) = item.content.side(side) else {
                    continue;
                };
                let mut marker = match start {
                    Some(s) => format!("{}. ", s + n as u64),
                    None => "- ".to_string(),
                };
                if let Some(checked) = item.task {
                    marker.push_str(if checked { "[x] " } else { "[ ] " });
                }
                let indent = " ".repeat(marker.chars().count().min(4));
                out.push(prefix_lines(&text.md, &marker, &indent));
            }
            (!out.is_empty()).then(|| out.join("\n"))
        }
    }
}

fn prefix_lines(text: &str, first: &str, rest: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, line) in text.lines().enumerate() {
        if i > 0 {
            out.push('\n');
            if !line.is_empty() {
                out.push_str(rest);
            }
        } else {
            out.push_str(first);
        }
        out.push_str(line);
    }
    out
}

/// Does the segment carry text in one language (as opposed to shared material only)?
fn has_language(seg: &Segment, side: Side) -> bool {
    seg.contents().any(|c| match c {
        Content::Pair(_) => true,
        Content::Lone(s, _) => *s == side,
        Content::Shared(_) => false,
    })
}

/// Folds a nested sequence of segments into one content: a pair when both languages have
/// text, lone when one has, shared when neither does.
pub(crate) fn flatten(segments: &[Segment], line: usize) -> Content {
    let side_text = |side: Side| {
        let mut md = String::new();
        let mut first_line = None;
        for seg in segments {
            if let Some(part) = side_markdown(seg, side) {
                if !md.is_empty() {
                    md.push_str("\n\n");
                }
                md.push_str(&part);
                first_line = first_line
                    .or_else(|| seg.contents().find_map(|c| c.side(side)).map(|t| t.line));
            }
        }
        Text::new(md, first_line.unwrap_or(line))
    };
    let [p, s] = Side::BOTH.map(|side| segments.iter().any(|seg| has_language(seg, side)));
    match (p, s) {
        (true, true) => Content::Pair([side_text(Side::Primary), side_text(Side::Secondary)]),
        (true, false) => Content::Lone(Side::Primary, side_text(Side::Primary)),
        (false, true) => Content::Lone(Side::Secondary, side_text(Side::Secondary)),
        (false, false) => Content::Shared(side_text(Side::Primary)),
    }
}

/// Two texts as one, separated by a blank line.
pub(crate) fn join_texts(a: &Text, b: &Text) -> Text {
    Text::new(format!("{}\n\n{}", a.md, b.md), a.line.min(b.line))
}
