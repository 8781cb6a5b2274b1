//! `diglot status`: how far the translation has come and how much of it is behind, per page
//! and per phase; and `--accept`, which records that a source change needs no new
//! translation.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::diagnostics::{display_path, shown, Diagnostic, Error};
use crate::model::Page;
use crate::site::{BuildOptions, Site};
use crate::translation::{self, Counts, HistoryState, PageStatus, Reviewed};

/// One page's line of the report.
#[derive(Debug, Clone, Serialize)]
pub struct PageRow {
    /// The page's site path (`""` for the home page).
    pub path: String,
    /// The source language's file (without `[languages] source`, the primary one's).
    pub source_file: String,
    /// The translation's file (the same as the source's for a parallel file).
    pub translation_file: String,
    /// Its pairs in each state.
    #[serde(flatten)]
    pub counts: Counts,
}

/// One phase (or the pages outside phases, `-`) and its pages.
#[derive(Debug, Clone, Serialize)]
pub struct PhaseRow {
    /// The phase's slug; `-` for the home page and the pages outside phases.
    pub phase: String,
    /// Its pages' pairs added up.
    #[serde(flatten)]
    pub counts: Counts,
    /// Its pages, in reading order.
    pub pages: Vec<PageRow>,
}

/// What `diglot status` found.
#[derive(Debug, Clone)]
pub struct StatusReport {
    /// The source language's code, when `[languages] source` names one.
    pub source: Option<String>,
    /// The other language's code (the translation), or the secondary one.
    pub translation: String,
    /// `full`, `shallow`, `none` (no repository or git) or `off`.
    pub history: &'static str,
    /// Every phase's pages.
    pub phases: Vec<PhaseRow>,
    /// The whole book's pairs.
    pub total: Counts,
    /// Facts about the history worth knowing (a shallow clone, no repository).
    pub notes: Vec<String>,
    /// Problems met on the way (the reviewed file's unreadable lines).
    pub warnings: Vec<Diagnostic>,
    /// A gettext book's PO file, counted.
    pub po: Option<PoCounts>,
}

/// A PO file's messages, counted as `msgfmt --statistics` counts them, and how many of the
/// translated ones the pages show as pairs.
#[derive(Debug, Clone, Serialize)]
pub struct PoCounts {
    /// The PO file.
    pub file: String,
    /// Translated and not fuzzy.
    pub translated: usize,
    /// Marked fuzzy.
    pub fuzzy: usize,
    /// Without a translation.
    pub untranslated: usize,
    /// Translated, not fuzzy, and shown as a pair on a page.
    pub paired: usize,
}

/// Reads the book and its history and counts every page's pairs.
pub fn status(root: &Path) -> Result<StatusReport, Error> {
    let site = Site::load(&BuildOptions {
        root: root.to_path_buf(),
        ..BuildOptions::default()
    })?;
    let config = site.config();
    let loaded = site.loaded();
    let status = &loaded.translation;
    let langs = &config.languages;
    let book = &loaded.book;
    let file_of = |p: &Path| shown(p.strip_prefix(&config.root).unwrap_or(p));
    let from = status.source.unwrap_or(crate::lang::Side::Primary);
    let row = |page: &Page, st: &PageStatus| PageRow {
        path: page.path.clone(),
        source_file: file_of(page.sources.file(from)),
        translation_file: file_of(page.sources.file(from.other())),
        counts: st.counts,
    };
    let mut phases = Vec::new();
    let mut statuses = status.pages.iter();
    let mut take = |pages: &mut dyn Iterator<Item = &Page>, name: String| {
        let rows: Vec<PageRow> = pages
            .filter_map(|p| statuses.next().map(|s| row(p, s)))
            .collect();
        let mut counts = Counts::default();
        rows.iter().for_each(|r| counts.add(&r.counts));
        PhaseRow {
            phase: name,
            counts,
            pages: rows,
        }
    };
    phases.push(take(
        &mut std::iter::once(&book.home).chain(book.loose.iter()),
        "-".into(),
    ));
    for phase in &book.phases {
        phases.push(take(
            &mut std::iter::once(&phase.index).chain(phase.pages.iter()),
            phase.slug.clone(),
        ));
    }
    let mut total = Counts::default();
    phases.iter().for_each(|p| total.add(&p.counts));
    let source = status.source;
    let translation_side = from.other();
    let warnings = site
        .content_diagnostics()
        .iter()
        .filter(|d| d.path.ends_with(translation::reviewed::REVIEWED_FILE))
        .cloned()
        .collect();
    Ok(StatusReport {
        source: source.map(|s| langs.get(s).code.clone()),
        translation: langs.get(translation_side).code.clone(),
        history: match status.history {
            HistoryState::Full => "full",
            HistoryState::Shallow => "shallow",
            HistoryState::Off => "off",
            HistoryState::Unavailable(_) => "none",
        },
        phases,
        total,
        notes: translation::history_note(&status.history)
            .into_iter()
            .collect(),
        warnings,
        po: loaded.po.as_ref().map(|p| PoCounts {
            file: file_of(&p.file),
            translated: p.statistics[0],
            fuzzy: p.statistics[1],
            untranslated: p.statistics[2],
            paired: p.matched,
        }),
    })
}

/// The JSON schema of `diglot status --format json` (documented in docs/, "check and status").
pub fn json(report: &StatusReport) -> String {
    #[derive(Serialize)]
    struct Percent<'a> {
        #[serde(flatten)]
        counts: &'a Counts,
        translated_percent: f64,
        current_percent: f64,
    }
    #[derive(Serialize)]
    struct Json<'a> {
        version: u32,
        source: Option<&'a str>,
        translation: &'a str,
        history: &'a str,
        total: Percent<'a>,
        #[serde(skip_serializing_if = "Option::is_none")]
        po: Option<&'a PoCounts>,
        phases: &'a [PhaseRow],
    }
    let value = Json {
        version: 1,
        source: report.source.as_deref(),
        translation: &report.translation,
        history: report.history,
        total: Percent {
            counts: &report.total,
            translated_percent: report.total.translated_percent(),
            current_percent: report.total.current_percent(),
        },
        po: report.po.as_ref(),
        phases: &report.phases,
    };
    serde_json::to_string_pretty(&value).unwrap_or_else(|_| "{}".into())
}

/// A table for people: one line per page, a line per phase, and the total.
pub fn human(report: &StatusReport) -> String {
    let mut out = String::new();
    let direction = match &report.source {
        Some(s) => format!("{s} → {}", report.translation),
        None => "each language against the other".into(),
    };
    out.push_str(&format!("translation status ({direction})\n"));
    out.push_str(&format!(
        "{:<44} {:>7} {:>6} {:>12} {:>6} {:>11}\n",
        "page", "current", "stale", "untranslated", "extra", "up to date"
    ));
    let line = |name: &str, c: &Counts| {
        format!(
            "{:<44} {:>7} {:>6} {:>12} {:>6} {:>10.1}%\n",
            crate::diagnostics::terminal_safe(&clip(name, 44), false),
            c.current,
            c.stale,
            c.untranslated,
            c.extra,
            c.current_percent()
        )
    };
    for phase in &report.phases {
        if phase.pages.is_empty() {
            continue;
        }
        out.push_str(&line(&format!("[{}]", phase.phase), &phase.counts));
        for page in &phase.pages {
            out.push_str(&line(&format!("  {}", page.translation_file), &page.counts));
        }
    }
    out.push_str(&line("total", &report.total));
    if let Some(po) = &report.po {
        out.push_str(&format!(
            "{}: {} translated messages, {} fuzzy translations, {} untranslated messages; {} of the translated shown as pairs\n",
            crate::diagnostics::terminal_safe(&po.file, false),
            po.translated,
            po.fuzzy,
            po.untranslated,
            po.paired
        ));
    }
    out
}

fn clip(name: &str, width: usize) -> String {
    let count = name.chars().count();
    if count <= width {
        return name.to_string();
    }
    let tail: String = name.chars().skip(count - (width - 1)).collect();
    format!("…{tail}")
}

/// What `--accept` did: the pairs it recorded and the file it wrote.
#[derive(Debug, Clone)]
pub struct Accepted {
    /// How many stale pairs were accepted.
    pub pairs: usize,
    /// The reviewed file.
    pub file: PathBuf,
}

/// Records every stale pair at `target` (`FILE` or `FILE:LINE`, either side's file; a
/// line anywhere in the block) as reviewed.
pub fn accept(root: &Path, target: &str) -> Result<Accepted, Error> {
    let (file, line) = match target.rsplit_once(':') {
        Some((f, l)) if !f.is_empty() && l.parse::<usize>().is_ok() => {
            (PathBuf::from(f), l.parse::<usize>().ok())
        }
        _ => (PathBuf::from(target), None),
    };
    let wanted = file
        .canonicalize()
        .or_else(|_| root.join(&file).canonicalize())
        .map_err(|_| Error::Usage {
            message: format!("no file {}", display_path(&file)),
            hint: "name a page's file as `diglot check` shows it, e.g. `zh/intro.md:12`".into(),
        })?;
    let site = Site::load(&BuildOptions {
        root: root.to_path_buf(),
        ..BuildOptions::default()
    })?;
    let config = site.config();
    let loaded = site.loaded();
    let (mut reviewed, _) = Reviewed::load(&config.root);
    let mut found = 0;
    let mut elsewhere = Vec::new();
    for (page, st) in loaded.book.pages().zip(&loaded.translation.pages) {
        for stale in st.stale.values() {
            let sides = [
                (page.sources.file(stale.behind), stale.lines),
                (page.sources.file(stale.behind.other()), stale.source_lines),
            ];
            let here = sides.iter().any(|(f, (first, last))| {
                same_file(f, &wanted) && line.is_none_or(|l| (*first..=*last).contains(&l))
            });
            if here {
                reviewed.accept(
                    &config.root,
                    page.sources.file(stale.behind),
                    &stale.fingerprint,
                    &stale.now,
                );
                found += 1;
            } else if same_file(page.sources.file(stale.behind), &wanted) {
                elsewhere.push(stale.lines.0.to_string());
            }
        }
    }
    if found == 0 {
        let hint = if elsewhere.is_empty() {
            "`diglot check` lists the stale pairs with the place to accept each".to_string()
        } else {
            format!(
                "this file's stale pairs start at lines {}",
                elsewhere.join(", ")
            )
        };
        return Err(Error::Usage {
            message: format!(
                "no stale translation at {}",
                crate::diagnostics::terminal_safe(target, false)
            ),
            hint,
        });
    }
    let file = reviewed.save(&config.root).map_err(|e| {
        Error::Failed(vec![Diagnostic::error(
            config.root.join(translation::reviewed::REVIEWED_FILE),
            None,
            format!("cannot write the reviewed file: {e}"),
        )])
    })?;
    Ok(Accepted { pairs: found, file })
}

fn same_file(a: &Path, wanted: &Path) -> bool {
    a.canonicalize().is_ok_and(|a| a == wanted)
}
