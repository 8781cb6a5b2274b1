//! How well the two-file aligner pairs a real translated book, measured against what the
//! sources themselves say.
//!
//!     cargo run --release --example pairing -- PRIMARY_DIR SECONDARY_DIR [--details] [--rows PAGE.md]
//!
//! The two folders are mirrored content trees (e.g. `zh/src` and `en/src` of an mdBook and its
//! translation); every `.md` file present in both, except a root `SUMMARY.md`, is one page.
//! Each page goes through the same functions the build uses (front matter split,
//! `document_segments`, `align`), and two figures come out:
//!
//! - **Code blocks shared.** A top-level code block is *identical* when the same text (fence
//!   and info string included) is a code block of the other side's file too; per distinct
//!   text, `min(count in primary, count in secondary)` blocks are identical. Of those, the share
//!   shown once, in a shared row, by the aligner. Reported for all identical blocks, and again
//!   excluding blocks whose body is nothing but `{{#include …}}` / `{{#rustdoc_include …}}`
//!   lines (identical on both sides of a book that includes its listings).
//! - **Headings paired.** In pages whose two files have the same number of headings, the
//!   n-th heading of one is taken as the translation of the n-th heading of the other; the
//!   share of those headings the aligner put in a pair with exactly that counterpart.
//!
//! `--details` lists, per page, the identical code blocks left unshared and the headings
//! mispaired, with their lines; `--rows PAGE.md` prints that page's aligned rows.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use diglot::bilingual::align::{align, document_segments};
use diglot::content::frontmatter;
use diglot::lang::Side;
use diglot::model::{BlockKind, Content, Segment};

#[derive(Default)]
struct Tally {
    pages: usize,
    identical: usize,
    shared: usize,
    identical_own: usize,
    shared_own: usize,
    heading_pages: usize,
    heading_pages_skipped: usize,
    headings: usize,
    headings_paired: usize,
    align_time: std::time::Duration,
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let details = args.iter().any(|a| a == "--details");
    let dump = args
        .iter()
        .position(|a| a == "--rows")
        .and_then(|i| args.get(i + 1))
        .map(String::as_str);
    let dirs: Vec<&String> = args
        .iter()
        .enumerate()
        .filter(|(i, a)| !a.starts_with("--") && (*i == 0 || args[i - 1] != "--rows"))
        .map(|(_, a)| a)
        .collect();
    let [primary, secondary] = dirs.as_slice() else {
        eprintln!("usage: pairing PRIMARY_DIR SECONDARY_DIR [--details] [--rows PAGE.md]");
        std::process::exit(2);
    };
    let (primary, secondary) = (Path::new(primary.as_str()), Path::new(secondary.as_str()));
    let mut tally = Tally::default();
    for rel in page_pairs(primary, secondary) {
        let (Some(a), Some(b)) = (
            read(&primary.join(&rel), Side::Primary),
            read(&secondary.join(&rel), Side::Secondary),
        ) else {
            continue;
        };
        if dump.is_some_and(|d| rel.ends_with(d)) {
            print_rows(&align(a.clone(), b.clone()));
        }
        measure(&rel, a, b, details, &mut tally);
    }
    print(&tally);
}

/// The aligned rows of one page, one line each: primary line, secondary line, kind, text.
fn print_rows(segs: &[Segment]) {
    let short = |s: &str| s.chars().take(40).collect::<String>().replace('\n', " ");
    for seg in segs {
        let kind = match seg {
            Segment::Block { kind, .. } => format!("{kind:?}"),
            Segment::List { .. } => "List".to_string(),
        };
        let line = |side: Side| {
            seg.contents()
                .filter_map(|c| c.side(side))
                .map(|t| t.line.to_string())
                .next()
                .unwrap_or_else(|| "-".to_string())
        };
        let text = |side: Side| {
            seg.contents()
                .filter_map(|c| c.side(side))
                .map(|t| short(&t.md))
                .next()
                .unwrap_or_default()
        };
        println!(
            "{:>5} {:>5} {kind:<12} {:<42} | {}",
            line(Side::Primary),
            line(Side::Secondary),
            text(Side::Primary),
            text(Side::Secondary)
        );
    }
}

/// Relative paths of the `.md` files both trees have, in order.
fn page_pairs(primary: &Path, secondary: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = walkdir::WalkDir::new(primary)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.path().strip_prefix(primary).ok().map(Path::to_path_buf))
        .filter(|rel| rel.extension().is_some_and(|x| x == "md"))
        .filter(|rel| rel != Path::new("SUMMARY.md"))
        .filter(|rel| secondary.join(rel).is_file())
        .collect();
    out.sort();
    out
}

fn read(path: &Path, side: Side) -> Option<Vec<Segment>> {
    let text = std::fs::read_to_string(path).ok()?;
    let (split, _) = frontmatter::split(path, &text);
    let split = split?;
    Some(document_segments(split.body, split.body_line, side))
}

/// Lone blocks of one kind, as (text, line), in order.
fn lone_blocks(segs: &[Segment], side: Side, want: fn(BlockKind) -> bool) -> Vec<(String, usize)> {
    segs.iter()
        .filter_map(|s| match s {
            Segment::Block { kind, content } if want(*kind) => {
                content.side(side).map(|t| (t.md.clone(), t.line))
            }
            _ => None,
        })
        .collect()
}

fn is_code(kind: BlockKind) -> bool {
    kind == BlockKind::Code
}

fn is_heading(kind: BlockKind) -> bool {
    matches!(kind, BlockKind::Heading(_))
}

/// A code block whose body only includes other files.
fn include_only(code: &str) -> bool {
    let mut body = code.lines().skip(1).filter(|l| !l.trim().is_empty());
    let body: Vec<&str> = body.by_ref().collect();
    let body = body.split_last().map_or(&[][..], |(_, rest)| rest);
    !body.is_empty()
        && body.iter().all(|l| {
            let l = l.trim();
            l.starts_with("{{#include") || l.starts_with("{{#rustdoc_include")
        })
}

fn measure(rel: &Path, a: Vec<Segment>, b: Vec<Segment>, details: bool, t: &mut Tally) {
    t.pages += 1;
    let (code_a, code_b) = (
        lone_blocks(&a, Side::Primary, is_code),
        lone_blocks(&b, Side::Secondary, is_code),
    );
    let (head_a, head_b) = (
        lone_blocks(&a, Side::Primary, is_heading),
        lone_blocks(&b, Side::Secondary, is_heading),
    );
    let started = std::time::Instant::now();
    let out = align(a, b);
    t.align_time += started.elapsed();

    // Identical code blocks, counted per distinct text.
    let mut counts: HashMap<&str, [usize; 2]> = HashMap::new();
    for (text, _) in &code_a {
        counts.entry(text).or_default()[0] += 1;
    }
    for (text, _) in &code_b {
        counts.entry(text).or_default()[1] += 1;
    }
    let mut shared: HashMap<&str, usize> = HashMap::new();
    for seg in &out {
        if let Segment::Block {
            kind: BlockKind::Code,
            content: Content::Shared(text),
        } = seg
        {
            *shared.entry(text.md.as_str()).or_default() += 1;
        }
    }
    for (text, [x, y]) in &counts {
        let identical = (*x).min(*y);
        let got = shared.get(text).copied().unwrap_or(0).min(identical);
        t.identical += identical;
        t.shared += got;
        if !include_only(text) {
            t.identical_own += identical;
            t.shared_own += got;
        }
        if details && got < identical {
            let lines: Vec<usize> = code_a
                .iter()
                .filter(|(c, _)| c == text)
                .map(|(_, l)| *l)
                .collect();
            println!(
                "{}: code at primary lines {lines:?}: {got} of {identical} shared",
                rel.display()
            );
        }
    }

    // Headings, where both files have as many.
    if head_a.len() != head_b.len() {
        t.heading_pages_skipped += 1;
        return;
    }
    t.heading_pages += 1;
    let paired: Vec<(usize, usize)> = out
        .iter()
        .filter_map(|s| match s {
            Segment::Block {
                kind: BlockKind::Heading(_),
                content: Content::Pair([x, y]),
            } => Some((x.line, y.line)),
            _ => None,
        })
        .collect();
    for ((ta, la), (tb, lb)) in head_a.iter().zip(&head_b) {
        t.headings += 1;
        if paired.contains(&(*la, *lb)) {
            t.headings_paired += 1;
        } else if details {
            println!(
                "{}: heading {la} «{ta}» not paired with {lb} «{tb}»",
                rel.display()
            );
        }
    }
}

fn share(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "n/a".to_string();
    }
    format!(
        "{:.1} % ({part} of {whole})",
        100.0 * part as f64 / whole as f64
    )
}

fn print(t: &Tally) {
    println!(
        "pages compared: {} (aligned in {} ms)",
        t.pages,
        t.align_time.as_millis()
    );
    println!(
        "identical code blocks shown once, shared: {}",
        share(t.shared, t.identical)
    );
    println!(
        "  excluding include-only blocks:          {}",
        share(t.shared_own, t.identical_own)
    );
    println!(
        "headings paired with their translation:  {} in {} pages whose heading counts match ({} pages differ)",
        share(t.headings_paired, t.headings),
        t.heading_pages,
        t.heading_pages_skipped
    );
}
