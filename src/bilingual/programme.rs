//! The costs alignment weighs and the dynamic programme that minimises them: each segment
//! as a unit (its visible length, shape and anchors), what matching, merging or skipping
//! units costs, and the banded programme over two runs of units (see [`super::align`] for
//! how they are used).

use crate::bilingual::anchors::{self, Key};
use crate::lang::Side;
use crate::model::{BlockKind, Segment};
use crate::script::visible_len;

/// Cost of leaving a block without a counterpart and of a 1-1 match (negative logs of Gale
/// and Church's priors), and of a 2-1 merge: dearer than their prior, so that a short note
/// a translator added stands alone (and is reported) rather than being folded into the
/// paragraph before it; a real split or merge still fits far better merged.
pub(super) const SKIP: f64 = 4.6;

pub(super) const MATCH: f64 = 0.12;

pub(super) const MERGE: f64 = 5.0;

/// Variance of the length ratio per unit of length.
pub(super) const VARIANCE: f64 = 6.8;

/// Weight of shared anchors (see `affinity`) in the cost of matching two blocks, two
/// sections, two section headings: enough to outweigh lengths when anchors agree or clash.
pub(super) const BLOCK_ANCHOR: f64 = 2.0;

pub(super) const SECTION_ANCHOR: f64 = 3.0;

pub(super) const HEADING_ANCHOR: f64 = 1.0;

/// Cost per level of pairing headings of different levels.
pub(super) const LEVEL_SHIFT: f64 = 1.5;

/// Half-width of the band of the dynamic programme beyond the length difference.
pub(super) const BAND: usize = 48;

/// What a unit is, for deciding what may match what.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Shape<'a> {
    Heading(u8),
    Code(&'a str),
    List,
    /// Raw HTML, with the signature of its tags: only the same tags pair.
    Html(u64),
    Block(BlockKind),
}

pub(super) struct Unit<'a> {
    pub(super) shape: Shape<'a>,
    pub(super) len: f64,
    /// A section's heading length (sections only).
    pub(super) heading: f64,
    /// What a translation keeps of it (see `anchors`), sorted.
    pub(super) keys: Vec<Key>,
    /// The keys' total strength.
    pub(super) weight: u64,
    /// A section's heading's keys (sections only).
    pub(super) heading_keys: Vec<Key>,
    /// A code or HTML block's whole text, hashed.
    pub(super) whole: Option<Key>,
}

pub(super) fn unit<'a>(seg: &'a Segment, side: Side) -> Unit<'a> {
    let texts = || seg.contents().filter_map(move |c| c.side(side));
    // A list item's code is the same in both languages: only its prose tells the languages'
    // length ratio.
    let len = match seg {
        Segment::List { .. } => texts()
            .map(|t| visible_len(&without_code(&t.md)))
            .sum::<usize>(),
        _ => texts().map(|t| visible_len(&t.md)).sum::<usize>(),
    } as f64;
    let (shape, kind) = match seg {
        Segment::List { .. } => (Shape::List, BlockKind::Paragraph),
        Segment::Block {
            kind: BlockKind::Heading(l),
            ..
        } => (Shape::Heading(*l), BlockKind::Paragraph),
        Segment::Block {
            kind: BlockKind::Code,
            content,
        } => (
            Shape::Code(content.side(side).map_or("", |t| t.md.as_str())),
            BlockKind::Code,
        ),
        Segment::Block {
            kind: BlockKind::Html,
            content,
        } => (
            Shape::Html(
                content
                    .side(side)
                    .map_or(0, |t| anchors::tag_signature(&t.md)),
            ),
            BlockKind::Html,
        ),
        Segment::Block { kind, .. } => (Shape::Block(*kind), *kind),
    };
    let mut keys = Vec::new();
    for t in texts() {
        anchors::add_keys(&t.md, kind, &mut keys);
    }
    keys.sort_unstable();
    keys.dedup();
    let whole = matches!(kind, BlockKind::Code | BlockKind::Html)
        .then(|| texts().next().map(|t| anchors::whole(&t.md)))
        .flatten();
    Unit {
        shape,
        len,
        heading: 0.0,
        weight: anchors::weight(&keys),
        keys,
        heading_keys: Vec::new(),
        whole,
    }
}

/// `md` without its fenced code blocks.
pub(super) fn without_code(md: &str) -> std::borrow::Cow<'_, str> {
    if !md.contains("```") && !md.contains("~~~") {
        return std::borrow::Cow::Borrowed(md);
    }
    let mut out = String::with_capacity(md.len());
    let mut fence: Option<&str> = None;
    for line in md.lines() {
        let t = line.trim_start();
        match fence {
            Some(f) if t.starts_with(f) => fence = None,
            Some(_) => {}
            None if t.starts_with("```") => fence = Some("```"),
            None if t.starts_with("~~~") => fence = Some("~~~"),
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    std::borrow::Cow::Owned(out)
}

/// How much two key sets say two units are each other's translation: from -1 (both hold
/// anchors, none shared) to 1 (all shared); 0 when either holds none.
pub(super) fn affinity(a: &[Key], b: &[Key]) -> f64 {
    let (wa, wb) = (anchors::weight(a), anchors::weight(b));
    if wa == 0 || wb == 0 {
        return 0.0;
    }
    let dice = 2.0 * anchors::shared(a, b) as f64 / (wa + wb) as f64;
    2.0 * dice - 1.0
}

/// `affinity` of groups of units (one unit, or the two of a merge), without building their
/// unions: the dynamic programme asks it in every cell.
pub(super) fn group_affinity(a: &[Unit<'_>], b: &[Unit<'_>]) -> f64 {
    let wa: u64 = a.iter().map(|u| u.weight).sum();
    let wb: u64 = b.iter().map(|u| u.weight).sum();
    if wa == 0 || wb == 0 {
        return 0.0;
    }
    let mut shared = 0;
    for x in a {
        for y in b {
            shared += anchors::shared(&x.keys, &y.keys);
        }
    }
    let dice = (2.0 * shared as f64 / (wa + wb) as f64).min(1.0);
    2.0 * dice - 1.0
}

/// A section seen as one unit: its heading's level, the length of its prose (code and
/// tables read the same in both languages and would blur the ratio) and of its heading.
pub(super) fn section_unit(units: &[Unit<'_>], range: &std::ops::Range<usize>) -> Unit<'static> {
    let shape = match units[range.start].shape {
        Shape::Heading(level) => Shape::Heading(level),
        _ => Shape::Block(BlockKind::Other),
    };
    let prose = |u: &&Unit<'_>| {
        matches!(
            u.shape,
            Shape::List | Shape::Block(BlockKind::Paragraph | BlockKind::Quote)
        )
    };
    let body = units[range.clone()]
        .iter()
        .filter(prose)
        .map(|u| u.len)
        .sum();
    let opened = matches!(units[range.start].shape, Shape::Heading(_));
    let heading = if opened { units[range.start].len } else { 0.0 };
    let mut keys: Vec<Key> = units[range.clone()]
        .iter()
        .flat_map(|u| u.keys.iter().copied())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    Unit {
        shape,
        len: body,
        heading,
        weight: anchors::weight(&keys),
        keys,
        heading_keys: if opened {
            units[range.start].keys.clone()
        } else {
            Vec::new()
        },
        whole: None,
    }
}

/// How far two lengths are from the expected ratio, relatively: sections are paraphrased
/// more freely than sentences, so a proportional measure fits them better than Gale and
/// Church's per-character one. Small lengths are smoothed.
pub(super) fn relative_cost(la: f64, lb: f64, ratio: f64) -> f64 {
    let off = ((lb + 10.0) / (la * ratio + 10.0)).ln();
    4.0 * off * off
}

pub(super) fn length_ratio(a: &[Unit<'_>], b: &[Unit<'_>]) -> f64 {
    let total = |u: &[Unit<'_>]| {
        u.iter()
            .filter(|x| !matches!(x.shape, Shape::Code(_)))
            .map(|x| x.len)
            .sum::<f64>()
    };
    let (ta, tb) = (total(a), total(b));
    if ta < 1.0 || tb < 1.0 {
        1.0
    } else {
        (tb / ta).clamp(0.1, 10.0)
    }
}

pub(super) fn compatible(x: &Shape<'_>, y: &Shape<'_>) -> bool {
    match (x, y) {
        (Shape::Code(_), Shape::Code(_)) | (Shape::Heading(_), Shape::Heading(_)) => true,
        _ => x == y,
    }
}

/// Cost of pairing headings of different levels: a translation a revision behind may
/// still have a section at the level the source has since moved it from.
pub(super) fn level_shift(x: &Shape<'_>, y: &Shape<'_>) -> f64 {
    match (x, y) {
        (Shape::Heading(l), Shape::Heading(m)) => LEVEL_SHIFT * f64::from(l.abs_diff(*m)),
        _ => 0.0,
    }
}

/// Cost of matching `a` units with `b` units (1-1, 2-1 or 1-2).
pub(super) fn match_cost(a: &[Unit<'_>], b: &[Unit<'_>], ratio: f64) -> f64 {
    if a.len() == 1 && b.len() == 1 {
        if !compatible(&a[0].shape, &b[0].shape) {
            return f64::INFINITY;
        }
        let anchored = BLOCK_ANCHOR * group_affinity(a, b);
        return match a[0].shape {
            // Same-level headings match at no cost beyond their lengths, which tell apart
            // two candidates when the translation added a section.
            Shape::Heading(_) => {
                length_cost(a[0].len, b[0].len, ratio) / 2.0 - anchored
                    + level_shift(&a[0].shape, &b[0].shape)
            }
            Shape::Code(_) if a[0].shape == b[0].shape => 0.0,
            Shape::Html(_) if a[0].whole == b[0].whole => 0.0,
            // Code, tables and raw HTML are mostly language-neutral: their length says little,
            // their kind and their order say enough.
            Shape::Code(_)
            | Shape::Html(_)
            | Shape::Block(BlockKind::Table | BlockKind::Rule | BlockKind::Other) => MATCH,
            _ => MATCH + length_cost(a[0].len, b[0].len, ratio) - anchored,
        };
    }
    let paragraphs = a
        .iter()
        .chain(b)
        .all(|u| u.shape == Shape::Block(BlockKind::Paragraph));
    if !paragraphs {
        return f64::INFINITY;
    }
    let la = a.iter().map(|u| u.len).sum();
    let lb = b.iter().map(|u| u.len).sum();
    MERGE + length_cost(la, lb, ratio) - BLOCK_ANCHOR * group_affinity(a, b)
}

pub(super) fn length_cost(la: f64, lb: f64, ratio: f64) -> f64 {
    let expected = la * ratio;
    let delta = (lb - expected) / (VARIANCE * (expected + lb) / 2.0 + 1.0).sqrt();
    delta * delta / 2.0
}

pub(super) const STEPS: [(usize, usize); 5] = [(1, 1), (1, 0), (0, 1), (2, 1), (1, 2)];

/// The cheapest sequence of steps through a region, computed in a band around its diagonal.
pub(super) type Cost = dyn Fn(&[Unit<'_>], &[Unit<'_>], f64) -> f64;

pub(super) fn align_region(
    a: &[Unit<'_>],
    b: &[Unit<'_>],
    ratio: f64,
    cost_of: &Cost,
) -> Vec<(usize, usize)> {
    let (n, m) = (a.len(), b.len());
    if n == 0 || m == 0 {
        return std::iter::repeat_n((1, 0), n)
            .chain(std::iter::repeat_n((0, 1), m))
            .collect();
    }
    let width = BAND + n.abs_diff(m);
    let lo = |i: usize| (i * m / n).saturating_sub(width);
    let hi = |i: usize| (i * m / n + width).min(m);
    let row = 2 * width + 2;
    let mut cost = vec![f64::INFINITY; (n + 1) * row];
    let mut back = vec![0u8; (n + 1) * row];
    let idx = |i: usize, j: usize| -> Option<usize> {
        (j >= lo(i) && j <= hi(i)).then(|| i * row + (j - lo(i)))
    };
    if let Some(k) = idx(0, 0) {
        cost[k] = 0.0;
    }
    for i in 0..=n {
        for j in lo(i)..=hi(i) {
            let Some(here) = idx(i, j) else { continue };
            for (s, &(di, dj)) in STEPS.iter().enumerate() {
                if di > i || dj > j {
                    continue;
                }
                let Some(from) = idx(i - di, j - dj) else {
                    continue;
                };
                if !cost[from].is_finite() {
                    continue;
                }
                let step = if di == 0 || dj == 0 {
                    SKIP
                } else {
                    cost_of(&a[i - di..i], &b[j - dj..j], ratio)
                };
                let total = cost[from] + step;
                if total < cost[here] {
                    cost[here] = total;
                    back[here] = s as u8;
                }
            }
        }
    }
    let mut steps = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let Some(k) = idx(i, j) else { break };
        let (di, dj) = STEPS[usize::from(back[k])];
        steps.push((di, dj));
        i -= di;
        j -= dj;
    }
    steps.reverse();
    steps
}
