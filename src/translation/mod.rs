//! Living translations: for every pair, whether the translation is behind its source.
//!
//! A pair is stale when the source block changed, in what it says, after the last commit
//! that changed the translation block: the source is read as it was at that commit and as
//! it is now, and compared by [`substance`](crate::substance) (a re-wrap is no change). Edits
//! to both sides in one commit keep a pair current; so does an entry in the reviewed file
//! (`diglot status --accept`) until the source block changes again. Without `[languages]
//! source`, both directions count: a side is behind when its partner changed after it.

mod diff;
pub(crate) mod reviewed;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::config::{Config, StaleLevel};
use crate::diagnostics::{shown, Diagnostic, Location, StaleDetail};
use crate::history::{Blame, History, Unavailable, When};
use crate::lang::Side;
use crate::model::{Book, Content, Page, Text};
use crate::substance::substance;
pub(crate) use diff::{word_diff, DiffPart};
pub(crate) use reviewed::Reviewed;

/// How many pairs of a page (or phase, or book) are in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Pairs whose translation follows the source.
    pub current: usize,
    /// Pairs whose source changed after the translation.
    pub stale: usize,
    /// Source blocks without a translation.
    pub untranslated: usize,
    /// Translation blocks without a source block.
    pub extra: usize,
}

impl Counts {
    pub(crate) fn add(&mut self, other: &Counts) {
        self.current += other.current;
        self.stale += other.stale;
        self.untranslated += other.untranslated;
        self.extra += other.extra;
    }

    /// Share of the source blocks that have a translation, in percent (100 with none).
    pub fn translated_percent(&self) -> f64 {
        percent(
            self.current + self.stale,
            self.current + self.stale + self.untranslated,
        )
    }

    /// Share of the source blocks whose translation is there and up to date, in percent.
    pub fn current_percent(&self) -> f64 {
        percent(self.current, self.current + self.stale + self.untranslated)
    }
}

fn percent(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        100.0
    } else {
        (part as f64 * 1000.0 / whole as f64).floor() / 10.0
    }
}

/// A translation behind its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Stale {
    /// The side that is behind.
    pub(crate) behind: Side,
    /// First and last line of the translation block in its file.
    pub(crate) lines: (usize, usize),
    /// First and last line of the source block in its file.
    pub(crate) source_lines: (usize, usize),
    /// The source block when the translation was last changed, and now.
    pub(crate) then: String,
    pub(crate) now: String,
    /// Which change made it stale ("commit 1a2b3c4d5e of 2026-03-01").
    pub(crate) changed: String,
    /// What `--accept` records: the source block's substance, hashed.
    pub(crate) fingerprint: String,
}

/// The translation state of one page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct PageStatus {
    /// Stale pairs by (segment, list item) index (0 for a block).
    pub(crate) stale: BTreeMap<(usize, usize), Stale>,
    pub(crate) counts: Counts,
    /// Stale pairs the reviewed file accepts.
    pub(crate) accepted: usize,
    /// When each language's file last changed in a commit (seconds since the epoch), for
    /// the page's "last updated" date.
    pub(crate) updated: [Option<i64>; 2],
}

/// What the history could tell.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) enum HistoryState {
    /// `[translation] stale = "off"`.
    #[default]
    Off,
    /// Read in full.
    Full,
    /// A shallow clone: changes before its oldest commit cannot be told apart.
    Shallow,
    Unavailable(Unavailable),
}

/// Every page's translation state, in reading order.
#[derive(Debug, Clone, Default)]
pub(crate) struct Status {
    pub(crate) pages: Vec<PageStatus>,
    pub(crate) history: HistoryState,
    /// The source language, when `[languages] source` names one.
    pub(crate) source: Option<Side>,
}

/// The fingerprint of a source block's text, as the reviewed file records it.
pub(crate) fn fingerprint(md: &str) -> String {
    format!("{:016x}", crate::hash::fnv1a64(&substance(md)))
}

/// Reads the history of the book's content folders (once per build).
pub(crate) fn read_history(config: &Config) -> (Option<History>, HistoryState) {
    if config.translation.stale == StaleLevel::Off || config.po.is_some() {
        // A PO file says itself which translations are behind (fuzzy).
        return (None, HistoryState::Off);
    }
    let folders: Vec<&Path> = Side::BOTH.iter().map(|s| config.content_dir(*s)).collect();
    match History::read(&config.root, &folders) {
        Ok(h) => {
            let state = if h.shallow {
                HistoryState::Shallow
            } else {
                HistoryState::Full
            };
            (Some(h), state)
        }
        Err(why) => (None, HistoryState::Unavailable(why)),
    }
}

/// The translation state of every page of `book`.
pub(crate) fn assess(
    config: &Config,
    book: &Book,
    history: Option<&History>,
    state: HistoryState,
    reviewed: &Reviewed,
) -> Status {
    let source = config.translation.source;
    let pages: Vec<&Page> = book.pages().collect();
    let pages = pages
        .par_iter()
        .map(|page| assess_page(config, page, history, source, reviewed))
        .collect();
    Status {
        pages,
        history: state,
        source,
    }
}

/// Each side's file as it is now, with when each line last changed.
struct Blames {
    sides: [Option<Blame>; 2],
}

impl Blames {
    fn of(page: &Page, history: &History) -> Blames {
        let mut cache: HashMap<&PathBuf, Option<Blame>> = HashMap::new();
        let mut blame = |side: Side| {
            let file = page.sources.file(side);
            cache
                .entry(file)
                .or_insert_with(|| {
                    let text = std::fs::read_to_string(file).ok()?;
                    history.blame(file, &text)
                })
                .clone()
        };
        Blames {
            sides: [blame(Side::Primary), blame(Side::Secondary)],
        }
    }
}

fn assess_page(
    config: &Config,
    page: &Page,
    history: Option<&History>,
    source: Option<Side>,
    reviewed: &Reviewed,
) -> PageStatus {
    let mut status = PageStatus::default();
    if let Some(po) = &config.po {
        return assess_po_page(page, po.side, config.translation.stale != StaleLevel::Off);
    }
    status.updated = history.map_or([None, None], |h| {
        Side::BOTH.map(|side| h.last_commit_time(page.sources.file(side)))
    });
    let blames = history.map(|h| (h, Blames::of(page, h)));
    let counted_source = source.unwrap_or(Side::Primary);
    for (si, seg) in page.segments.iter().enumerate() {
        for (ii, content) in seg.contents().enumerate() {
            match content {
                Content::Pair(texts) => {
                    let stale = blames.as_ref().and_then(|(h, b)| {
                        let directions = match source {
                            Some(s) => vec![s],
                            None => Side::BOTH.to_vec(),
                        };
                        directions
                            .into_iter()
                            .find_map(|from| behind(h, b, texts, from))
                    });
                    match stale {
                        Some(stale)
                            if reviewed.accepts(
                                &config.root,
                                page.sources.file(stale.behind),
                                &stale.fingerprint,
                            ) =>
                        {
                            status.accepted += 1;
                            status.counts.current += 1;
                        }
                        Some(stale) => {
                            status.counts.stale += 1;
                            status.stale.insert((si, ii), stale);
                        }
                        None => status.counts.current += 1,
                    }
                }
                Content::Lone(side, _) if *side == counted_source => {
                    status.counts.untranslated += 1
                }
                Content::Lone(..) => status.counts.extra += 1,
                Content::Shared(_) => {}
            }
        }
    }
    status
}

/// A page translated with a PO file: its fuzzy pairs are stale.
fn assess_po_page(page: &Page, po_side: Side, stale_on: bool) -> PageStatus {
    let mut status = PageStatus::default();
    let source = po_side.other();
    let fuzzy: HashMap<(usize, usize), &crate::model::FuzzyPair> =
        page.fuzzy.iter().map(|(at, f)| (*at, f)).collect();
    for (si, seg) in page.segments.iter().enumerate() {
        for (ii, content) in seg.contents().enumerate() {
            match content {
                Content::Pair(texts) => match fuzzy.get(&(si, ii)).filter(|_| stale_on) {
                    Some(f) => {
                        status.counts.stale += 1;
                        status.stale.insert(
                            (si, ii),
                            Stale {
                                behind: po_side,
                                lines: (f.line, f.line),
                                source_lines: texts[source.index()].lines(),
                                then: f.then.clone(),
                                now: f.now.clone(),
                                changed: "its translation is marked fuzzy".into(),
                                fingerprint: fingerprint(&f.now),
                            },
                        );
                    }
                    None => status.counts.current += 1,
                },
                Content::Lone(side, _) if *side == source => status.counts.untranslated += 1,
                Content::Lone(..) => status.counts.extra += 1,
                Content::Shared(_) => {}
            }
        }
    }
    status
}

/// Whether the side opposite `from` is behind `from` in this pair.
fn behind(history: &History, blames: &Blames, texts: &[Text; 2], from: Side) -> Option<Stale> {
    let to = from.other();
    let source_blame = blames.sides[from.index()].as_ref()?;
    let target_blame = blames.sides[to.index()].as_ref()?;
    let (sf, sl) = texts[from.index()].lines();
    let (tf, tl) = texts[to.index()].lines();
    let translated: When = target_blame.last_change(tf, tl);
    let changed: When = source_blame.last_change(sf, sl);
    if changed <= translated {
        return None;
    }
    let then = history.text_then(source_blame, sf, sl, translated)?;
    let now = texts[from.index()].md.trim().to_string();
    if crate::substance::same(&then, &now) {
        return None;
    }
    Some(Stale {
        behind: to,
        lines: (tf, tl),
        source_lines: (sf, sl),
        fingerprint: fingerprint(&now),
        then,
        now,
        changed: history.describe(changed),
    })
}

/// One warning per stale pair, at the translation's line, with the source's change.
pub(crate) fn diagnostics(config: &Config, book: &Book, status: &Status) -> Vec<Diagnostic> {
    let langs = &config.languages;
    let promote = config.translation.stale == StaleLevel::Error;
    let mut out = Vec::new();
    for (page, page_status) in book.pages().zip(&status.pages) {
        for (&(si, _), stale) in &page_status.stale {
            let Some(seg) = page.segments.get(si) else {
                continue;
            };
            let source = stale.behind.other();
            let file = page.sources.file(stale.behind);
            let source_file = page.sources.file(source);
            let source_lang = &langs.get(source).name;
            let rel = |p: &Path| shown(p.strip_prefix(&config.root).unwrap_or(p));
            let changes = diff::changes_text(&stale.then, &stale.now);
            let message = format!(
                "stale translation: the {source_lang} {} it translates changed since ({})",
                seg.name(),
                stale.changed
            );
            let what_to_do = if config.po.is_some() {
                "update the msgstr and remove the `fuzzy` flag (or let a translation platform do it)".to_string()
            } else {
                format!(
                    "update the translation, or if it needs no change run `diglot status --accept {}:{}`",
                    rel(file),
                    stale.lines.0
                )
            };
            let hint = format!(
                "{source_lang} at {}:{} changed: {changes}\n{what_to_do}",
                rel(source_file),
                stale.source_lines.0,
            );
            let mut d = Diagnostic::warning(file, Some(Location::new(stale.lines.0, 1)), message)
                .with_hint(hint);
            d.stale = Some(Box::new(StaleDetail {
                source_path: source_file.clone(),
                source_line: stale.source_lines.0,
                then: stale.then.clone(),
                now: stale.now.clone(),
                strict_error: promote,
            }));
            out.push(d);
        }
    }
    out
}

/// The note to print once about history, if any.
pub(crate) fn history_note(state: &HistoryState) -> Option<String> {
    match state {
        HistoryState::Off | HistoryState::Full => None,
        HistoryState::Shallow => Some(
            "note: this clone's git history is shallow, so a translation last changed before its oldest commit counts as current; fetch the full history to find every stale pair (GitHub Actions: `fetch-depth: 0` in actions/checkout)".into(),
        ),
        HistoryState::Unavailable(Unavailable::NotRepository) => Some(
            "note: the book is not in a git repository: stale translations are not checked (they are found from the history of commits)".into(),
        ),
        HistoryState::Unavailable(Unavailable::NoGit(why)) => Some(format!(
            "note: git could not be run ({}): stale translations are not checked; install git to check them",
            crate::diagnostics::terminal_safe(why, false)
        )),
        HistoryState::Unavailable(Unavailable::Failed(why)) => Some(format!(
            "note: reading the git history failed, so stale translations are not checked: {}",
            crate::diagnostics::terminal_safe(why, false)
        )),
    }
}
