//! The parallel layout: one file holds both languages, block after block.
//!
//! Rules, in order: an explicit marker decides; a heading `中文 | English` splits at the
//! separator; a paragraph or list item whose lines switch script splits at the switch; code,
//! tables, images and raw HTML are shared; a block in one language directly followed by a
//! block of the same kind in the other pairs with it.

use crate::bilingual::blocks::{blocks, Marker, RawBlock, RawItem, RawKind};
use crate::bilingual::sides::{flatten, join_texts};
use crate::diagnostics::{Diagnostic, Location};
use crate::lang::{Languages, Side};
use crate::model::{BlockKind, Content, ListItem, Segment, Text};
use crate::script::{side_of, split_bilingual};
use crate::toml_doc::closest;

/// Nesting beyond this (lists in quotes in lists…) is kept as one shared block.
const MAX_DEPTH: usize = 8;

/// Splits a parallel-layout Markdown text whose first line is line `first_line` of its file.
pub fn split(md: &str, first_line: usize, langs: &Languages) -> Vec<Segment> {
    split_at_depth(md, first_line, langs, 0)
}

fn split_at_depth(md: &str, first_line: usize, langs: &Languages, depth: usize) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut pending: Option<Marker> = None;
    for block in blocks(md) {
        let line = first_line + block.line - 1;
        if let RawKind::Marker(m) = &block.kind {
            pending = Some(m.clone());
            continue;
        }
        let forced = pending.take().and_then(|m| match m {
            Marker::Shared => Some(None),
            Marker::Lang(code) => langs.side_of_code(&code).map(Some),
        });
        out.extend(split_block(&block, line, langs, depth, forced));
    }
    pair_neighbours(out)
}

/// Markers that would be ignored without a word: an unknown value (`shraed`, `zn`), a
/// `<!-- diglot … -->` comment that is not a marker, or a marker with no block after it.
pub fn marker_warnings(
    path: &std::path::Path,
    md: &str,
    first_line: usize,
    langs: &Languages,
) -> Vec<Diagnostic> {
    let known = [
        "shared".to_string(),
        langs.primary.code.clone(),
        langs.secondary.code.clone(),
    ];
    let hint_known = format!(
        "markers are `<!-- diglot: {} -->`, `<!-- diglot: {} -->` and `<!-- diglot: shared -->`",
        known[1], known[2]
    );
    let list = blocks(md);
    let mut out = Vec::new();
    for (i, block) in list.iter().enumerate() {
        let line = first_line + block.line - 1;
        let first = block.src.lines().next().unwrap_or("");
        let col_of = |needle: &str| {
            first
                .find(needle)
                .map_or(1, |b| first[..b].chars().count() + 1)
        };
        match &block.kind {
            RawKind::Marker(m) => {
                if let Marker::Lang(code) = m {
                    if langs.side_of_code(code).is_none() {
                        let hint = match closest(code, &known) {
                            Some(best) => format!("did you mean `<!-- diglot: {best} -->`?"),
                            None => hint_known.clone(),
                        };
                        out.push(
                            Diagnostic::warning(
                                path,
                                Some(Location::new(line, col_of(code))),
                                format!("unknown marker `diglot: {code}`; it is ignored"),
                            )
                            .with_hint(hint),
                        );
                        continue;
                    }
                }
                let next_is_block = list
                    .get(i + 1)
                    .is_some_and(|b| !matches!(b.kind, RawKind::Marker(_)));
                if !next_is_block {
                    out.push(
                        Diagnostic::warning(path, Some(Location::new(line, col_of("diglot"))), "this marker has no block after it; it is ignored")
                            .with_hint("put the marker on the line right before the block it is for, or remove it"),
                    );
                }
            }
            RawKind::Block(BlockKind::Html) => {
                let trimmed = block.src.trim();
                let inner = trimmed.strip_prefix("<!--").map(str::trim_start);
                if inner.is_some_and(|t| t.starts_with("diglot")) {
                    out.push(
                        Diagnostic::warning(
                            path,
                            Some(Location::new(line, col_of("diglot"))),
                            "this `diglot` comment is not a marker; it is ignored",
                        )
                        .with_hint(hint_known.clone()),
                    );
                }
            }
            _ => {}
        }
    }
    out
}

/// `forced`: `Some(None)` shared, `Some(Some(side))` one language, `None` let the rules decide.
fn split_block(
    block: &RawBlock<'_>,
    line: usize,
    langs: &Languages,
    depth: usize,
    forced: Option<Option<Side>>,
) -> Vec<Segment> {
    let one = |kind: BlockKind, md: String| {
        let text = Text::new(md, line);
        let content = match forced {
            Some(Some(side)) => Content::Lone(side, text),
            _ => Content::Shared(text),
        };
        vec![Segment::block(kind, content)]
    };
    match &block.kind {
        RawKind::Marker(_) => Vec::new(),
        RawKind::Block(BlockKind::Heading(level)) => {
            let text = block.heading_text();
            let kind = BlockKind::Heading(*level);
            if forced.is_some() {
                return one(kind, text);
            }
            let content = match split_bilingual(&text, langs) {
                Some([p, s]) => Content::Pair([Text::new(p, line), Text::new(s, line)]),
                None => by_script(Text::new(text, line), langs),
            };
            vec![Segment::block(kind, content)]
        }
        RawKind::Block(BlockKind::Paragraph) if forced.is_none() => {
            split_lines(block.src, line, langs)
                .into_iter()
                .map(|c| Segment::block(BlockKind::Paragraph, c))
                .collect()
        }
        RawKind::Block(BlockKind::Quote) if forced.is_none() && depth < MAX_DEPTH => {
            let inner = split_at_depth(&block.quote_inner(), line, langs, depth + 1);
            vec![Segment::block(BlockKind::Quote, flatten(&inner, line))]
        }
        RawKind::Block(BlockKind::Quote) => one(BlockKind::Quote, block.quote_inner()),
        RawKind::Block(kind) => one(*kind, block.src.to_string()),
        RawKind::Images => one(BlockKind::Paragraph, block.src.to_string()),
        RawKind::List { start } => {
            let items = block
                .items
                .iter()
                .map(|item| list_item(item, first_line_of(line, block, item), langs, depth, forced))
                .collect();
            vec![Segment::List {
                start: *start,
                items: pair_adjacent_items(items),
            }]
        }
    }
}

fn first_line_of(block_line: usize, block: &RawBlock<'_>, item: &RawItem) -> usize {
    block_line + item.line - block.line
}

fn list_item(
    item: &RawItem,
    line: usize,
    langs: &Languages,
    depth: usize,
    forced: Option<Option<Side>>,
) -> ListItem {
    let text = Text::new(item.content.clone(), line);
    let content = match forced {
        Some(Some(side)) => Content::Lone(side, text),
        Some(None) => Content::Shared(text),
        None if depth >= MAX_DEPTH => Content::Shared(text),
        None => flatten(&split_at_depth(&item.content, line, langs, depth + 1), line),
    };
    ListItem {
        task: item.task,
        content,
    }
}

/// A block of one language, or shared when it has no letters at all.
fn by_script(text: Text, langs: &Languages) -> Content {
    match side_of(&text.md, langs) {
        Some(side) => Content::Lone(side, text),
        None => Content::Shared(text),
    }
}

/// Splits a paragraph where its lines switch language. Lines without letters stay with the
/// run they follow. Consecutive runs in different languages pair up.
fn split_lines(src: &str, first_line: usize, langs: &Languages) -> Vec<Content> {
    // (side, first line, lines)
    let mut runs: Vec<(Option<Side>, usize, Vec<&str>)> = Vec::new();
    for (i, l) in src.lines().enumerate() {
        let side = side_of(l, langs);
        match runs.last_mut() {
            Some(run) if side.is_none() || run.0 == side || run.0.is_none() => {
                run.0 = run.0.or(side);
                run.2.push(l);
            }
            _ => runs.push((side, first_line + i, vec![l])),
        }
    }
    let mut out = Vec::new();
    let mut i = 0;
    while i < runs.len() {
        let text = |r: &(Option<Side>, usize, Vec<&str>)| Text::new(r.2.join("\n"), r.1);
        match (runs.get(i), runs.get(i + 1)) {
            (Some(a), Some(b)) if a.0.is_some() && b.0.is_some() && a.0 != b.0 => {
                let (ta, tb) = (text(a), text(b));
                out.push(if a.0 == Some(Side::Primary) {
                    Content::Pair([ta, tb])
                } else {
                    Content::Pair([tb, ta])
                });
                i += 2;
            }
            (Some(a), _) => {
                out.push(match a.0 {
                    Some(side) => Content::Lone(side, text(a)),
                    None => Content::Shared(text(a)),
                });
                i += 1;
            }
            (None, _) => break,
        }
    }
    out
}

/// A block in one language directly followed by a block of the same kind in the other
/// language becomes a pair; so do two lists of equal length, item by item.
fn pair_neighbours(segments: Vec<Segment>) -> Vec<Segment> {
    let mut out: Vec<Segment> = Vec::with_capacity(segments.len());
    for seg in segments {
        let merged = match (out.last(), &seg) {
            (
                Some(Segment::Block {
                    kind: ka,
                    content: Content::Lone(sa, ta),
                }),
                Segment::Block {
                    kind: kb,
                    content: Content::Lone(sb, tb),
                },
            ) if ka == kb && sa != sb => {
                let texts = if *sa == Side::Primary {
                    [ta.clone(), tb.clone()]
                } else {
                    [tb.clone(), ta.clone()]
                };
                Some(Segment::block(*ka, Content::Pair(texts)))
            }
            (Some(Segment::List { start, items: a }), Segment::List { items: b, .. })
                if a.len() == b.len() =>
            {
                let side_a = lone_side(a);
                let side_b = lone_side(b);
                match (side_a, side_b) {
                    (Some(sa), Some(sb)) if sa != sb => Some(Segment::List {
                        start: *start,
                        items: a
                            .iter()
                            .zip(b)
                            .map(|(x, y)| {
                                let (p, s) = if sa == Side::Primary { (x, y) } else { (y, x) };
                                ListItem {
                                    task: p.task.or(s.task),
                                    content: Content::Pair([
                                        lone_text(&p.content),
                                        lone_text(&s.content),
                                    ]),
                                }
                            })
                            .collect(),
                    }),
                    _ => None,
                }
            }
            _ => None,
        };
        match merged {
            Some(m) => {
                out.pop();
                out.push(m);
            }
            None => out.push(seg),
        }
    }
    out
}

/// Items that alternate languages (`- 中文`, `- English`, …) pair up two by two.
fn pair_adjacent_items(items: Vec<ListItem>) -> Vec<ListItem> {
    let mut out: Vec<ListItem> = Vec::with_capacity(items.len());
    for item in items {
        if let (Some(prev), Content::Lone(side, text)) = (out.last_mut(), &item.content) {
            if let Content::Lone(prev_side, prev_text) = &prev.content {
                if prev_side != side {
                    let texts = if *prev_side == Side::Primary {
                        [prev_text.clone(), text.clone()]
                    } else {
                        [text.clone(), prev_text.clone()]
                    };
                    prev.task = prev.task.or(item.task);
                    prev.content = Content::Pair(texts);
                    continue;
                }
            }
        }
        out.push(item);
    }
    out
}

/// The side every item of a list is lone in, if they all are in the same one.
fn lone_side(items: &[ListItem]) -> Option<Side> {
    let mut side = None;
    for item in items {
        match &item.content {
            Content::Lone(s, _) if side.is_none() || side == Some(*s) => side = Some(*s),
            _ => return None,
        }
    }
    side
}

fn lone_text(content: &Content) -> Text {
    match content {
        Content::Lone(_, t) | Content::Shared(t) => t.clone(),
        Content::Pair(ts) => join_texts(&ts[0], &ts[1]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(c: &Content) -> (&str, &str) {
        match c {
            Content::Pair([a, b]) => (a.md.as_str(), b.md.as_str()),
            other => panic!("expected a pair, got {other:?}"),
        }
    }

    fn split_default(md: &str) -> Vec<Segment> {
        split(md, 1, &Languages::default())
    }

    #[test]
    fn seed_shapes_pair_up() {
        let md = "### 1.1 需求分析 | Requirements Analysis\n\n我可以帮助：\nI can help with:\n- 分析业务需求\n  Analyzing business requirements\n";
        let segs = split_default(md);
        assert_eq!(segs.len(), 3, "{segs:#?}");
        let Segment::Block { kind, content } = &segs[0] else {
            panic!()
        };
        assert_eq!(*kind, BlockKind::Heading(3));
        assert_eq!(pair(content), ("1.1 需求分析", "Requirements Analysis"));
        let Segment::Block { content, .. } = &segs[1] else {
            panic!()
        };
        assert_eq!(pair(content), ("我可以帮助：", "I can help with:"));
        let Segment::List { items, .. } = &segs[2] else {
            panic!()
        };
        assert_eq!(
            pair(&items[0].content),
            ("分析业务需求", "Analyzing business requirements")
        );
        let Content::Pair([_, en]) = &items[0].content else {
            panic!()
        };
        assert_eq!(en.line, 6);
    }

    #[test]
    fn adjacent_paragraphs_and_lists_pair() {
        let md = "中文段落。\n\nAn English paragraph.\n\n- 一\n- 二\n\n* one\n* two\n";
        let segs = split_default(md);
        assert_eq!(segs.len(), 2, "{segs:#?}");
        let Segment::Block { content, .. } = &segs[0] else {
            panic!()
        };
        assert_eq!(pair(content), ("中文段落。", "An English paragraph."));
        let Segment::List { items, .. } = &segs[1] else {
            panic!()
        };
        assert_eq!(pair(&items[1].content), ("二", "two"));
    }

    #[test]
    fn english_first_and_lone_blocks() {
        let segs = split_default("English first.\n中文在后。\n\n只有中文。\n\n```\ncode\n```\n");
        let Segment::Block { content, .. } = &segs[0] else {
            panic!()
        };
        assert_eq!(pair(content), ("中文在后。", "English first."));
        let Segment::Block { content, .. } = &segs[1] else {
            panic!()
        };
        assert!(matches!(content, Content::Lone(Side::Primary, t) if t.line == 4));
        let Segment::Block { content, .. } = &segs[2] else {
            panic!()
        };
        assert!(matches!(content, Content::Shared(_)));
    }

    #[test]
    fn markers_override_the_rules() {
        let segs = split_default("<!-- diglot: zh -->\nRedis Cluster 的配置\n\n<!-- diglot: en -->\nRedis 集群 configuration\n\n<!-- diglot: shared -->\n## v1.2 | v1.3\n");
        assert_eq!(segs.len(), 2, "{segs:#?}");
        let Segment::Block { content, .. } = &segs[0] else {
            panic!()
        };
        assert_eq!(
            pair(content),
            ("Redis Cluster 的配置", "Redis 集群 configuration")
        );
        let Segment::Block { content, .. } = &segs[1] else {
            panic!()
        };
        assert!(matches!(content, Content::Shared(t) if t.md == "v1.2 | v1.3"));
    }

    #[test]
    fn items_alternating_languages_pair_two_by_two() {
        let segs = split_default(
            "- 分析需求\n- Analyzing requirements\n- 评估\n- Evaluating\n- 只有中文\n",
        );
        let Segment::List { items, .. } = &segs[0] else {
            panic!()
        };
        assert_eq!(items.len(), 3, "{items:#?}");
        assert_eq!(pair(&items[1].content), ("评估", "Evaluating"));
        assert!(items[2].content.is_lone());
    }

    #[test]
    fn nested_list_stays_inside_its_item() {
        let segs = split_default("- 步骤\n  Step\n  - 子项\n    Sub item\n");
        let Segment::List { items, .. } = &segs[0] else {
            panic!()
        };
        assert_eq!(items.len(), 1);
        let (zh, en) = pair(&items[0].content);
        assert_eq!(zh, "步骤\n\n- 子项");
        assert_eq!(en, "Step\n\n- Sub item");
    }
}
