//! Checks on the book that loading itself does not make: headings written in the wrong
//! language, empty sides, empty phases (on the loaded book); links to anchors in every view
//! (on what rendering found, so Markdown is parsed once); and the translation coverage of
//! each phase.

use std::collections::{HashMap, HashSet};

use rayon::prelude::*;
use serde::Serialize;

use crate::config::Config;
use crate::content::load::Loaded;
use crate::diagnostics::{Diagnostic, Location};
use crate::lang::{Languages, Side};
use crate::links::PageAnchors;
use crate::model::{BlockKind, Content, Page, Segment};
use crate::script::side_of;

/// The share of a phase's blocks that are paired with their translation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// The phase's slug; `-` for the pages outside phases.
    pub phase: String,
    /// Blocks present in both languages.
    pub paired: usize,
    /// Blocks that have a language (shared blocks such as code are not counted).
    pub total: usize,
}

impl Coverage {
    pub(crate) fn percent(&self) -> f64 {
        if self.total == 0 {
            100.0
        } else {
            self.paired as f64 * 100.0 / self.total as f64
        }
    }
}

/// Translation coverage per phase (pages outside phases count as "-").
pub(crate) fn coverage(loaded: &Loaded) -> Vec<Coverage> {
    let count = |pages: &mut dyn Iterator<Item = &Page>, name: &str| {
        let mut c = Coverage {
            phase: name.to_string(),
            paired: 0,
            total: 0,
        };
        for content in pages
            .flat_map(|p| p.segments.iter())
            .flat_map(Segment::contents)
        {
            match content {
                Content::Pair(_) => {
                    c.paired += 1;
                    c.total += 1;
                }
                Content::Lone(..) => c.total += 1,
                Content::Shared(_) => {}
            }
        }
        c
    };
    let book = &loaded.book;
    let mut out: Vec<Coverage> = book
        .phases
        .iter()
        .map(|p| count(&mut std::iter::once(&p.index).chain(&p.pages), &p.slug))
        .collect();
    if !book.loose.is_empty() || !book.home.segments.is_empty() {
        out.insert(
            0,
            count(&mut std::iter::once(&book.home).chain(&book.loose), "-"),
        );
    }
    out
}

/// The checks on the loaded book that loading itself does not make.
pub(crate) fn validate(config: &Config, loaded: &Loaded) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let book = &loaded.book;
    for phase in &book.phases {
        if phase.pages.is_empty() {
            diags.push(
                Diagnostic::warning(
                    phase.index.sources.file(Side::Primary),
                    None,
                    format!("phase `{}` has no pages", phase.slug),
                )
                .with_hint("add section pages to its folder, or remove the folder"),
            );
        }
    }
    let pages: Vec<&Page> = book.pages().collect();
    let per_page: Vec<Vec<Diagnostic>> = pages
        .par_iter()
        .map(|page| {
            let mut found = Vec::new();
            language_checks(page, &config.languages, &mut found);
            found
        })
        .collect();
    diags.extend(per_page.into_iter().flatten());
    diags
}

/// Pairs whose sides are empty or written in the wrong language.
fn language_checks(page: &Page, langs: &Languages, diags: &mut Vec<Diagnostic>) {
    for seg in &page.segments {
        let heading = matches!(
            seg,
            Segment::Block {
                kind: BlockKind::Heading(_),
                ..
            }
        );
        for content in seg.contents() {
            let Content::Pair(texts) = content else {
                continue;
            };
            for side in Side::BOTH {
                let text = &texts[side.index()];
                let file = page.sources.file(side);
                let here = Some(Location::new(text.line, 1));
                let lang = langs.get(side);
                if text.md.trim().is_empty() {
                    diags.push(
                        Diagnostic::warning(
                            file,
                            here,
                            format!("the {} side of this block is empty", lang.name),
                        )
                        .with_hint(format!("write its {} text", lang.name)),
                    );
                } else if heading && side_of(&text.md, langs) == Some(side.other()) {
                    diags.push(
                        Diagnostic::warning(
                            file,
                            here,
                            format!(
                                "the {} side of heading `{}` is written in {}",
                                lang.name,
                                text.md.trim(),
                                langs.get(side.other()).name
                            ),
                        )
                        .with_hint(format!(
                            "write the heading as `{} | {}`",
                            langs.primary.name, langs.secondary.name
                        )),
                    );
                }
            }
        }
    }
}

/// Links with a `#fragment` must reach an anchor in the form their side is shown in: a
/// link on the Chinese side must work on the Chinese page too. `pages` are every page's
/// ids and links, as rendering found them.
pub(crate) fn anchor_links(pages: &[PageAnchors], langs: &Languages) -> Vec<Diagnostic> {
    let by_path: HashMap<&str, &[HashSet<String>; 2]> =
        pages.iter().map(|p| (p.path.as_str(), &p.ids)).collect();
    let mut diags = Vec::new();
    for page in pages {
        for side in Side::BOTH {
            for link in &page.links[side.index()] {
                let target = link.page.as_deref().unwrap_or(&page.path);
                let Some(ids) = by_path.get(target) else {
                    continue;
                };
                let fragment = crate::links::percent_decode(&link.fragment);
                if ids[side.index()].contains(&fragment) {
                    continue;
                }
                let lang = &langs.get(side).name;
                let message = if ids[side.other().index()].contains(&fragment) {
                    format!("link to `#{fragment}` works in the other language's page but not on the {lang} page, where this link is shown")
                } else {
                    format!(
                        "link to `{}`: no heading or anchor `#{fragment}` on the target page",
                        link.dest
                    )
                };
                diags.push(
                    Diagnostic::error(&link.file, Some(link.location), message)
                        .with_hint("use the target heading's id (GitHub's rules: lowercase, spaces to `-`, punctuation dropped)"),
                );
            }
        }
    }
    diags
}
