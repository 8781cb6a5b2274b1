//! The two-file layouts: each language in its own document, aligned block by block.
//!
//! Code and raw HTML blocks whose text is identical and found once in each document are
//! fixed points (the longest chain of them that keeps both orders); everything else aligns
//! between them, so a section one side lacks cannot shift what follows. Between them, what
//! translations keep (`anchors`: inline code, link targets, paths, numbers, tags) weighs in
//! every cost below beside the lengths, which stay the fallback.
//!
//! First sections (a heading and what follows it) are matched: same heading level, similar
//! length, a section present on one side only left standing alone. Then, inside each pair of
//! sections, blocks are matched by a Gale–Church style dynamic programme over their lengths
//! that lets a block stand alone (a note the translator added) or two paragraphs match one
//! (merged or split in translation); identical code blocks match at no cost. The length
//! ratio of the two languages is measured twice: over whole documents, then over what the
//! first pass paired. Every programme runs in a band around its diagonal, so time stays
//! linear in the input.

use super::programme::{
    affinity, align_region, compatible, length_ratio, level_shift, match_cost, relative_cost,
    section_unit, unit, Shape, Unit, HEADING_ANCHOR, MATCH, SECTION_ANCHOR, SKIP,
};
use crate::bilingual::anchors::Key;
use crate::bilingual::blocks::{blocks, RawKind};
use crate::bilingual::sides::join_texts;
use crate::lang::{Script, Side};
use crate::model::{BlockKind, Content, ListItem, Segment, Text};
use crate::script::{visible_len, ScriptWeight};

/// One document's blocks, all in language `side` (lone until aligned).
pub fn document_segments(md: &str, first_line: usize, side: Side) -> Vec<Segment> {
    blocks(md)
        .into_iter()
        .filter_map(|block| {
            let line = first_line + block.line - 1;
            let lone = |md: String| Content::Lone(side, Text::new(md, line));
            Some(match block.kind {
                RawKind::Marker(_) => return None,
                RawKind::Block(BlockKind::Heading(level)) => {
                    Segment::block(BlockKind::Heading(level), lone(block.heading_text()))
                }
                RawKind::Block(BlockKind::Quote) => {
                    Segment::block(BlockKind::Quote, lone(block.quote_inner()))
                }
                RawKind::Block(kind) => Segment::block(kind, lone(block.src.to_string())),
                RawKind::Images => {
                    Segment::block(BlockKind::Paragraph, lone(block.src.to_string()))
                }
                RawKind::List { start } => Segment::List {
                    start,
                    items: block
                        .items
                        .iter()
                        .map(|item| ListItem {
                            task: item.task,
                            content: Content::Lone(
                                side,
                                Text::new(item.content.clone(), line + item.line - block.line),
                            ),
                        })
                        .collect(),
                },
            })
        })
        .collect()
}

/// Aligns the primary document's segments with the secondary's.
pub fn align(primary: Vec<Segment>, secondary: Vec<Segment>) -> Vec<Segment> {
    let a: Vec<Unit<'_>> = primary.iter().map(|s| unit(s, Side::Primary)).collect();
    let b: Vec<Unit<'_>> = secondary.iter().map(|s| unit(s, Side::Secondary)).collect();
    // The length ratio of the two languages, first over whole documents, then again over
    // what that first alignment paired: blocks present on one side only skew the first.
    let cuts = anchor_cuts(&a, &b);
    let first = align_between(
        &a,
        &b,
        &cuts,
        prior_ratio(&primary, &secondary).unwrap_or_else(|| length_ratio(&a, &b)),
    );
    let moves = match paired_ratio(&a, &b, &first) {
        Some(ratio) => align_between(&a, &b, &cuts, ratio),
        None => first,
    };
    drop((a, b));
    build(primary, secondary, &moves)
}

/// Pairs of code or HTML blocks whose text is identical and found once in each document, in
/// the longest chain that keeps both documents' order: fixed points the rest aligns between,
/// so a section one side lacks or a listing rewrapped cannot shift what follows it.
fn anchor_cuts(a: &[Unit<'_>], b: &[Unit<'_>]) -> Vec<(usize, usize)> {
    // (key, side, index), sorted: each run of one key tells how often each side has it.
    let mut wholes: Vec<(Key, u8, usize)> = a
        .iter()
        .enumerate()
        .filter_map(|(i, u)| u.whole.map(|k| (k, 0, i)))
        .chain(
            b.iter()
                .enumerate()
                .filter_map(|(j, u)| u.whole.map(|k| (k, 1, j))),
        )
        .collect();
    wholes.sort_unstable();
    let mut candidates: Vec<(usize, usize)> = wholes
        .chunk_by(|x, y| x.0 == y.0)
        .filter_map(|run| match run {
            [(_, 0, i), (_, 1, j)] => Some((*i, *j)),
            _ => None,
        })
        .collect();
    candidates.sort_unstable();
    longest_chain(&candidates)
}

/// The longest subsequence of `pairs` (sorted by their first index) whose second indices
/// increase too: patience sorting, O(k log k).
fn longest_chain(pairs: &[(usize, usize)]) -> Vec<(usize, usize)> {
    // tails[l]: index into pairs of the smallest tail of a chain of length l + 1.
    let mut tails: Vec<usize> = Vec::new();
    let mut prev: Vec<Option<usize>> = vec![None; pairs.len()];
    for (k, &(_, j)) in pairs.iter().enumerate() {
        let at = tails.partition_point(|&t| pairs[t].1 < j);
        prev[k] = at.checked_sub(1).map(|p| tails[p]);
        if at == tails.len() {
            tails.push(k);
        } else {
            tails[at] = k;
        }
    }
    let mut chain = Vec::with_capacity(tails.len());
    let mut at = tails.last().copied();
    while let Some(k) = at {
        chain.push(pairs[k]);
        at = prev[k];
    }
    chain.reverse();
    chain
}

/// Aligns the stretches between cuts by sections, and pairs each cut.
fn align_between(
    a: &[Unit<'_>],
    b: &[Unit<'_>],
    cuts: &[(usize, usize)],
    ratio: f64,
) -> Vec<(usize, usize)> {
    let mut moves = Vec::new();
    let (mut i0, mut j0) = (0, 0);
    for &(i, j) in cuts {
        moves.extend(align_sections(&a[i0..i], &b[j0..j], ratio));
        moves.push((1, 1));
        (i0, j0) = (i + 1, j + 1);
    }
    moves.extend(align_sections(&a[i0..], &b[j0..], ratio));
    moves
}

/// Characters of English for one of Chinese (or Japanese, Korean), from translated books:
/// a first guess that blocks present on one side only cannot skew.
const CJK_TO_ALPHABETIC: f64 = 3.2;

/// The expected length ratio from the scripts the two documents are written in, when they
/// differ; `None` when both use the same kind of script.
fn prior_ratio(primary: &[Segment], secondary: &[Segment]) -> Option<f64> {
    // A few thousand letters tell a document's script; reading on changes nothing.
    const ENOUGH: usize = 600;
    let script = |segs: &[Segment], side: Side| {
        let mut weight = ScriptWeight::default();
        for text in segs
            .iter()
            .flat_map(|s| s.contents())
            .filter_map(|c| c.side(side))
            .take(200)
        {
            let w = ScriptWeight::of(&text.md);
            weight.cjk += w.cjk;
            weight.alphabetic += w.alphabetic;
            if weight.cjk + weight.alphabetic >= ENOUGH {
                break;
            }
        }
        weight.dominant()
    };
    match (
        script(primary, Side::Primary)?,
        script(secondary, Side::Secondary)?,
    ) {
        (Script::Cjk, Script::Alphabetic) => Some(CJK_TO_ALPHABETIC),
        (Script::Alphabetic, Script::Cjk) => Some(1.0 / CJK_TO_ALPHABETIC),
        _ => None,
    }
}

/// Unit index ranges of sections: each heading opens one; the blocks before the first
/// heading form one too.
fn sections(units: &[Unit<'_>]) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, u) in units.iter().enumerate() {
        if matches!(u.shape, Shape::Heading(_)) && i > start {
            out.push(start..i);
            start = i;
        }
    }
    if start < units.len() {
        out.push(start..units.len());
    }
    out
}

/// Sections match sections of the same heading level, by their lengths; a section only
/// one side has stands alone with everything in it. Blocks then align within matched
/// sections, so an added section never captures its neighbour's paragraphs.
fn align_sections(a: &[Unit<'_>], b: &[Unit<'_>], ratio: f64) -> Vec<(usize, usize)> {
    let (sa, sb) = (sections(a), sections(b));
    let ua: Vec<Unit<'static>> = sa.iter().map(|r| section_unit(a, r)).collect();
    let ub: Vec<Unit<'static>> = sb.iter().map(|r| section_unit(b, r)).collect();
    // Matching two sections never costs more than leaving both alone: sections in the same
    // order stay matched unless lengths clearly say one side has a section the other lacks.
    let section_cost = |x: &[Unit<'_>], y: &[Unit<'_>], ratio: f64| match (x, y) {
        ([x], [y]) if compatible(&x.shape, &y.shape) => {
            MATCH
                + level_shift(&x.shape, &y.shape)
                + (relative_cost(x.len, y.len, ratio) + relative_cost(x.heading, y.heading, ratio))
                    .min(1.5 * SKIP)
                - SECTION_ANCHOR * affinity(&x.keys, &y.keys)
                - HEADING_ANCHOR * affinity(&x.heading_keys, &y.heading_keys)
        }
        _ => f64::INFINITY,
    };
    let mut moves = Vec::new();
    let (mut i, mut j) = (0, 0);
    for (di, dj) in align_region(&ua, &ub, ratio, &section_cost) {
        let ra = if di > 0 { sa[i].clone() } else { 0..0 };
        let rb = if dj > 0 { sb[j].clone() } else { 0..0 };
        moves.extend(align_region(&a[ra], &b[rb], ratio, &match_cost));
        i += di;
        j += dj;
    }
    moves
}

/// The length ratio over paragraphs an alignment matched one to one.
fn paired_ratio(a: &[Unit<'_>], b: &[Unit<'_>], moves: &[(usize, usize)]) -> Option<f64> {
    let (mut i, mut j) = (0, 0);
    let (mut la, mut lb) = (0.0, 0.0);
    for &(di, dj) in moves {
        if (di, dj) == (1, 1)
            && a[i].shape == Shape::Block(BlockKind::Paragraph)
            && b[j].shape == Shape::Block(BlockKind::Paragraph)
        {
            la += a[i].len;
            lb += b[j].len;
        }
        i += di;
        j += dj;
    }
    (la >= 1.0 && lb >= 1.0).then(|| (lb / la).clamp(0.1, 10.0))
}

/// Aligns two documents of the same structure (a chapter and its translation made message
/// by message, as from a PO file) block by block and item by item; documents whose
/// structures differ (a translated message that changed the Markdown) fall back to
/// [`align`].
pub(crate) fn align_same_structure(primary: Vec<Segment>, secondary: Vec<Segment>) -> Vec<Segment> {
    let same = primary.len() == secondary.len()
        && primary.iter().zip(&secondary).all(|pair| match pair {
            (Segment::List { items: a, .. }, Segment::List { items: b, .. }) => a.len() == b.len(),
            (Segment::Block { kind: a, .. }, Segment::Block { kind: b, .. }) => a == b,
            _ => false,
        });
    if !same {
        return align(primary, secondary);
    }
    primary
        .into_iter()
        .zip(secondary)
        .map(|pair| match pair {
            (Segment::List { start, items: xa }, Segment::List { items: ya, .. }) => {
                let items = xa
                    .into_iter()
                    .zip(ya)
                    .map(|(x, y)| {
                        match (
                            x.content.side(Side::Primary),
                            y.content.side(Side::Secondary),
                        ) {
                            (Some(p), Some(s)) => ListItem {
                                task: x.task.or(y.task),
                                content: Content::Pair([p.clone(), s.clone()]),
                            },
                            _ => x,
                        }
                    })
                    .collect();
                Segment::List { start, items }
            }
            (x, y) => pair_segments(x, y),
        })
        .collect()
}

/// Turns steps into segments, consuming both documents in order.
fn build(primary: Vec<Segment>, secondary: Vec<Segment>, steps: &[(usize, usize)]) -> Vec<Segment> {
    let mut a = primary.into_iter();
    let mut b = secondary.into_iter();
    let mut out = Vec::with_capacity(steps.len());
    for &(di, dj) in steps {
        let xs: Vec<Segment> = a.by_ref().take(di).collect();
        let ys: Vec<Segment> = b.by_ref().take(dj).collect();
        match (xs.len(), ys.len()) {
            (1, 1) => {
                let (x, y) = (xs.into_iter().next(), ys.into_iter().next());
                if let (Some(x), Some(y)) = (x, y) {
                    out.push(pair_segments(x, y));
                }
            }
            (_, 0) => out.extend(xs),
            (0, _) => out.extend(ys),
            _ => out.push(Segment::block(
                BlockKind::Paragraph,
                Content::Pair([merge(&xs, Side::Primary), merge(&ys, Side::Secondary)]),
            )),
        }
    }
    // Steps cover every block; anything left (never expected) is kept, not dropped.
    out.extend(a);
    out.extend(b);
    out
}

fn merge(segs: &[Segment], side: Side) -> Text {
    let texts: Vec<&Text> = segs
        .iter()
        .flat_map(|s| s.contents())
        .filter_map(|c| c.side(side))
        .collect();
    match texts.split_first() {
        Some((first, rest)) => rest
            .iter()
            .fold((*first).clone(), |acc, t| join_texts(&acc, t)),
        None => Text::new("", 0),
    }
}

fn pair_segments(x: Segment, y: Segment) -> Segment {
    match (x, y) {
        (Segment::List { start, items: xa }, Segment::List { items: ya, .. }) => Segment::List {
            start,
            items: align_items(xa, ya),
        },
        (Segment::Block { kind, content: cx }, Segment::Block { content: cy, .. }) => {
            let (Some(tx), Some(ty)) = (cx.side(Side::Primary), cy.side(Side::Secondary)) else {
                return Segment::block(kind, cx);
            };
            if kind == BlockKind::Code && tx.md == ty.md {
                return Segment::block(kind, Content::Shared(tx.clone()));
            }
            Segment::block(kind, Content::Pair([tx.clone(), ty.clone()]))
        }
        (x, _) => x,
    }
}

/// Items of two matched lists, aligned with the same programme as blocks.
fn align_items(xa: Vec<ListItem>, ya: Vec<ListItem>) -> Vec<ListItem> {
    let wrap = |items: Vec<ListItem>| -> Vec<Segment> {
        items
            .into_iter()
            .map(|i| Segment::List {
                start: None,
                items: vec![i],
            })
            .collect()
    };
    // Items pair by their lengths, as sentences do; their anchors already tied the lists.
    let to_para = |segs: &[Segment], side: Side| -> Vec<Unit<'static>> {
        segs.iter()
            .map(|s| Unit {
                shape: Shape::Block(BlockKind::Paragraph),
                len: s
                    .contents()
                    .filter_map(|c| c.side(side))
                    .map(|t| visible_len(&t.md))
                    .sum::<usize>() as f64,
                heading: 0.0,
                keys: Vec::new(),
                weight: 0,
                heading_keys: Vec::new(),
                whole: None,
            })
            .collect()
    };
    let (sa, sb) = (wrap(xa), wrap(ya));
    let (ua, ub) = (to_para(&sa, Side::Primary), to_para(&sb, Side::Secondary));
    let steps = align_region(&ua, &ub, length_ratio(&ua, &ub), &match_cost);
    let mut a = sa.into_iter().flat_map(|s| match s {
        Segment::List { items, .. } => items,
        Segment::Block { .. } => Vec::new(),
    });
    let mut b = sb.into_iter().flat_map(|s| match s {
        Segment::List { items, .. } => items,
        Segment::Block { .. } => Vec::new(),
    });
    let mut out = Vec::new();
    for (di, dj) in steps {
        let xs: Vec<ListItem> = a.by_ref().take(di).collect();
        let ys: Vec<ListItem> = b.by_ref().take(dj).collect();
        if xs.is_empty() || ys.is_empty() {
            out.extend(xs);
            out.extend(ys);
            continue;
        }
        let task = xs[0].task.or(ys[0].task);
        let side_text = |items: &[ListItem], side: Side| {
            let texts: Vec<&Text> = items.iter().filter_map(|i| i.content.side(side)).collect();
            texts
                .split_first()
                .map(|(f, r)| r.iter().fold((*f).clone(), |acc, t| join_texts(&acc, t)))
        };
        if let (Some(p), Some(s)) = (
            side_text(&xs, Side::Primary),
            side_text(&ys, Side::Secondary),
        ) {
            out.push(ListItem {
                task,
                content: Content::Pair([p, s]),
            });
        }
    }
    out.extend(a);
    out.extend(b);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paired(segs: &[Segment]) -> Vec<(String, String)> {
        segs.iter()
            .filter_map(|s| match s {
                Segment::Block {
                    content: Content::Pair([a, b]),
                    ..
                } => Some((a.md.clone(), b.md.clone())),
                _ => None,
            })
            .collect()
    }

    fn para(zh_len: usize, tag: &str) -> String {
        format!("{tag}{}", "字".repeat(zh_len))
    }

    fn eng(words: usize, tag: &str) -> String {
        format!("{tag} {}", "word ".repeat(words).trim_end())
    }

    #[test]
    fn an_inserted_note_does_not_shift_later_pairs() {
        let zh = format!(
            "# 标题\n\n{}\n\n{}\n\n{}\n",
            para(40, "A"),
            para(90, "B"),
            para(60, "C")
        );
        let en = format!(
            "# Title\n\n{}\n\n{}\n\nTranslator's note: a short remark.\n\n{}\n",
            eng(25, "A"),
            eng(55, "B"),
            eng(36, "C")
        );
        let segs = align(
            document_segments(&zh, 1, Side::Primary),
            document_segments(&en, 1, Side::Secondary),
        );
        let pairs = paired(&segs);
        assert_eq!(pairs.len(), 4, "{segs:#?}");
        for (zh, en) in &pairs[1..] {
            assert_eq!(zh.chars().next(), en.chars().next(), "{zh} / {en}");
        }
        assert!(segs.iter().any(|s| matches!(s, Segment::Block { content: Content::Lone(Side::Secondary, t), .. } if t.md.starts_with("Translator"))));
    }

    #[test]
    fn merged_paragraphs_match_one() {
        let zh = format!(
            "{}\n\n{}\n\n{}\n",
            para(50, "A"),
            para(50, "A"),
            para(80, "B")
        );
        let en = format!("{}\n\n{}\n", eng(62, "A"), eng(50, "B"));
        let segs = align(
            document_segments(&zh, 1, Side::Primary),
            document_segments(&en, 1, Side::Secondary),
        );
        let pairs = paired(&segs);
        assert_eq!(pairs.len(), 2, "{segs:#?}");
        assert!(pairs[0].0.contains("\n\n"));
    }

    #[test]
    fn identical_code_is_shared_and_lists_pair_item_by_item() {
        let zh = "## 配置\n\n- 一\n- 二\n\n```toml\na = 1\n```\n";
        let en = "## Config\n\n- one\n- two\n\n```toml\na = 1\n```\n";
        let segs = align(
            document_segments(zh, 1, Side::Primary),
            document_segments(en, 1, Side::Secondary),
        );
        assert_eq!(segs.len(), 3);
        assert!(
            matches!(&segs[1], Segment::List { items, .. } if items.len() == 2 && !items[1].content.is_lone())
        );
        assert!(matches!(
            &segs[2],
            Segment::Block {
                content: Content::Shared(_),
                ..
            }
        ));
    }

    #[test]
    fn every_block_appears_once_in_order() {
        let zh: String = (0..300)
            .map(|i| format!("{}\n\n", para(10 + (i * 7) % 50, "z")))
            .collect();
        let en: String = (0..280)
            .map(|i| format!("{}\n\n", eng(5 + (i * 5) % 40, "e")))
            .collect();
        let segs = align(
            document_segments(&zh, 1, Side::Primary),
            document_segments(&en, 1, Side::Secondary),
        );
        let count = |side: Side| {
            segs.iter()
                .flat_map(|s| s.contents())
                .filter_map(|c| c.side(side))
                .map(|t| t.md.matches("\n\n").count() + 1)
                .sum::<usize>()
        };
        assert_eq!(count(Side::Primary), 300);
        assert_eq!(count(Side::Secondary), 280);
        let lines: Vec<usize> = segs
            .iter()
            .flat_map(|s| s.contents())
            .filter_map(|c| c.side(Side::Primary))
            .map(|t| t.line)
            .collect();
        assert!(lines.windows(2).all(|w| w[0] < w[1]));
    }
}
