//! Cutting a Markdown text into its top-level blocks, with their source and line.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::commonmark::parser_options;
use crate::model::BlockKind;

/// An explicit instruction in the source: `<!-- diglot: zh -->` (or the other language's code)
/// gives the next block to that language; `<!-- diglot: shared -->` shows it once for both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Marker {
    Lang(String),
    Shared,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RawKind {
    Block(BlockKind),
    /// A paragraph holding nothing but images: language-neutral.
    Images,
    List {
        start: Option<u64>,
    },
    Marker(Marker),
}

#[derive(Debug, Clone)]
pub(crate) struct RawItem {
    /// The item's content with its marker (and task box) removed and indentation undone.
    pub content: String,
    pub(crate) line: usize,
    pub(crate) task: Option<bool>,
}

#[derive(Debug, Clone)]
pub(crate) struct RawBlock<'a> {
    pub(crate) kind: RawKind,
    /// The block's source, trailing newlines trimmed.
    pub src: &'a str,
    /// 1-based line within the text that was cut.
    pub line: usize,
    pub(crate) items: Vec<RawItem>,
}

impl RawBlock<'_> {
    /// A heading's inline text, without `#` marks or a setext underline.
    pub(crate) fn heading_text(&self) -> String {
        let src = self.src.trim();
        if src.starts_with('#') {
            let text = src.trim_start_matches('#');
            let text = text.trim();
            // A closing sequence of #s is not part of the heading.
            let without_close = text.trim_end_matches('#');
            if without_close.len() != text.len()
                && (without_close.is_empty() || without_close.ends_with(' '))
            {
                return without_close.trim().to_string();
            }
            text.to_string()
        } else {
            let mut lines: Vec<&str> = src.lines().collect();
            lines.pop();
            lines.iter().map(|l| l.trim()).collect::<Vec<_>>().join(" ")
        }
    }

    /// A block quote's content with its `>` marks removed.
    pub(crate) fn quote_inner(&self) -> String {
        self.src
            .lines()
            .map(|l| {
                let t = l.trim_start();
                match t.strip_prefix('>') {
                    Some(rest) => rest.strip_prefix(' ').unwrap_or(rest),
                    None => t,
                }
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

/// Line numbers of byte offsets, looked up in one pass over the text.
struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    fn line(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }
}

/// Cuts `md` into its top-level blocks.
pub(crate) fn blocks(md: &str) -> Vec<RawBlock<'_>> {
    let lines = LineIndex::new(md);
    let mut out: Vec<RawBlock<'_>> = Vec::new();
    let mut depth = 0usize;
    let mut image_depth = 0usize;
    let mut text_outside_images = false;
    // Inside a footnote definition: its text is shown in the page's footnotes, not as a block.
    let mut in_footnote = false;
    for (event, range) in Parser::new_ext(md, parser_options()).into_offset_iter() {
        if in_footnote {
            match event {
                Event::Start(_) => depth += 1,
                Event::End(_) => {
                    depth = depth.saturating_sub(1);
                    in_footnote = depth > 0;
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::FootnoteDefinition(_)) if depth == 0 => {
                in_footnote = true;
                depth += 1;
            }
            Event::Start(tag) => {
                if depth == 0 {
                    text_outside_images = false;
                    let src = md[range.clone()].trim_end();
                    out.push(RawBlock {
                        kind: kind_of(&tag, src),
                        src,
                        line: lines.line(range.start),
                        items: Vec::new(),
                    });
                } else if depth == 1 && matches!(tag, Tag::Item) {
                    if let Some(block) = out.last_mut() {
                        block
                            .items
                            .push(item(&md[range.clone()], lines.line(range.start)));
                    }
                }
                if matches!(tag, Tag::Image { .. }) {
                    image_depth += 1;
                }
                depth += 1;
            }
            Event::End(end) => {
                depth = depth.saturating_sub(1);
                if matches!(end, TagEnd::Image) {
                    image_depth = image_depth.saturating_sub(1);
                }
                if depth == 0 && matches!(end, TagEnd::Paragraph) && !text_outside_images {
                    if let Some(block) = out.last_mut() {
                        if block.src.contains("![") {
                            block.kind = RawKind::Images;
                        }
                    }
                }
            }
            // Depth 2 in a tight item, 3 inside a loose item's paragraph; deeper ones are nested items'.
            Event::TaskListMarker(checked) if depth == 2 || depth == 3 => {
                if let Some(item) = out.last_mut().and_then(|b| b.items.last_mut()) {
                    if item.task.is_none() {
                        item.task = Some(checked);
                        item.content = strip_task_box(&item.content);
                    }
                }
            }
            Event::Rule if depth == 0 => out.push(RawBlock {
                kind: RawKind::Block(BlockKind::Rule),
                src: md[range.clone()].trim_end(),
                line: lines.line(range.start),
                items: Vec::new(),
            }),
            Event::Text(t) | Event::Code(t) if image_depth == 0 && !t.trim().is_empty() => {
                text_outside_images = true;
            }
            Event::InlineHtml(_)
            | Event::InlineMath(_)
            | Event::DisplayMath(_)
            | Event::FootnoteReference(_)
                if image_depth == 0 =>
            {
                text_outside_images = true;
            }
            _ => {}
        }
    }
    out
}

fn kind_of(tag: &Tag<'_>, src: &str) -> RawKind {
    let kind = match tag {
        Tag::Heading { level, .. } => BlockKind::Heading(*level as u8),
        Tag::Paragraph => BlockKind::Paragraph,
        Tag::BlockQuote(_) => BlockKind::Quote,
        Tag::CodeBlock(_) => BlockKind::Code,
        Tag::Table(_) => BlockKind::Table,
        Tag::HtmlBlock => match marker(src) {
            Some(m) => return RawKind::Marker(m),
            None => BlockKind::Html,
        },
        Tag::List(start) => return RawKind::List { start: *start },
        _ => BlockKind::Other,
    };
    RawKind::Block(kind)
}

fn marker(src: &str) -> Option<Marker> {
    let inner = src.trim().strip_prefix("<!--")?.strip_suffix("-->")?.trim();
    let value = inner.strip_prefix("diglot:")?.trim();
    match value {
        "shared" => Some(Marker::Shared),
        code if !code.is_empty() && !code.contains(char::is_whitespace) => {
            Some(Marker::Lang(code.to_string()))
        }
        _ => None,
    }
}

/// The content of a list item: marker removed, continuation lines dedented.
fn item(src: &str, line: usize) -> RawItem {
    let first = src.lines().next().unwrap_or("");
    let leading = first.len() - first.trim_start().len();
    let rest = &first[leading..];
    let marker_len = if rest.starts_with(['-', '+', '*']) {
        1
    } else {
        rest.find(|c: char| !c.is_ascii_digit())
            .map_or(rest.len(), |i| i + 1)
    };
    let after_marker = rest.get(marker_len..).unwrap_or("");
    let spaces = after_marker.len() - after_marker.trim_start_matches(' ').len();
    let spaces = if (1..=4).contains(&spaces) {
        spaces
    } else {
        1.min(spaces)
    };
    let indent = leading + marker_len + spaces;
    let mut content = String::with_capacity(src.len());
    content.push_str(first.get(indent.min(first.len())..).unwrap_or(""));
    for l in src.lines().skip(1) {
        content.push('\n');
        let strip = l.len() - l.trim_start_matches(' ').len();
        content.push_str(&l[strip.min(indent)..]);
    }
    RawItem {
        content: content.trim_end().to_string(),
        line,
        task: None,
    }
}

fn strip_task_box(content: &str) -> String {
    for prefix in ["[ ]", "[x]", "[X]"] {
        if let Some(rest) = content.strip_prefix(prefix) {
            return rest.trim_start_matches([' ', '\t']).to_string();
        }
    }
    content.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_blocks_with_lines_and_items() {
        let md = "# T | U\n\n我可以帮助：\nI can help with:\n\n- 分析\n  Analyzing\n- [x] 评估\n  Evaluating\n\n```toml\na = 1\n```\n";
        let b = blocks(md);
        assert_eq!(b.len(), 4);
        assert_eq!(b[0].kind, RawKind::Block(BlockKind::Heading(1)));
        assert_eq!(b[0].heading_text(), "T | U");
        assert_eq!(b[1].line, 3);
        assert_eq!(b[2].items.len(), 2);
        assert_eq!(b[2].items[0].content, "分析\nAnalyzing");
        assert_eq!(b[2].items[1].task, Some(true));
        assert_eq!(b[2].items[1].content, "评估\nEvaluating");
        assert_eq!(b[2].items[1].line, 8);
        assert_eq!(b[3].kind, RawKind::Block(BlockKind::Code));
    }

    #[test]
    fn markers_and_image_paragraphs() {
        let b = blocks("<!-- diglot: en -->\n\n![图](a.png)\n\n<!-- note -->\n");
        assert_eq!(b[0].kind, RawKind::Marker(Marker::Lang("en".into())));
        assert_eq!(b[1].kind, RawKind::Images);
        assert_eq!(b[2].kind, RawKind::Block(BlockKind::Html));
    }

    #[test]
    fn footnote_definitions_are_not_blocks() {
        let b = blocks("Text[^1].\n\n[^1]: A note\n\n    - with a list\n\nAfter.\n\n[d]: /url\n");
        let srcs: Vec<&str> = b.iter().map(|b| b.src).collect();
        assert_eq!(srcs, ["Text[^1].", "After."]);
    }
}
