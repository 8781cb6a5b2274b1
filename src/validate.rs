//! Checks on the loaded book that loading itself does not make: anchors of links in every
//! view, headings written in the wrong language, empty sides, empty phases; and the
//! translation coverage of each phase.

use std::collections::{HashMap, HashSet};

use pulldown_cmark::{Event, Parser, Tag};
use rayon::prelude::*;
use serde::Serialize;

use crate::anchors::heading_anchors;
use crate::commonmark::parser_options;
use crate::config::Config;
use crate::content::load::Loaded;
use crate::diagnostics::{Diagnostic, Location};
use crate::lang::{Languages, Side};
use crate::links::resolve_target;
use crate::model::{BlockKind, Content, Page, Segment};
use crate::script::side_of;

/// The share of a phase's blocks that are paired with their translation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coverage {
    pub phase: String,
    pub paired: usize,
    pub total: usize,
}

impl Coverage {
    pub fn percent(&self) -> f64 {
        if self.total == 0 {
            100.0
        } else {
            self.paired as f64 * 100.0 / self.total as f64
        }
    }
}

/// Translation coverage per phase (pages outside phases count as "-").
pub fn coverage(loaded: &Loaded) -> Vec<Coverage> {
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
pub fn validate(config: &Config, loaded: &Loaded) -> Vec<Diagnostic> {
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
    let anchors = Anchors::of(loaded);
    let pages: Vec<&Page> = book.pages().collect();
    let per_page: Vec<Vec<Diagnostic>> = pages
        .par_iter()
        .map(|page| {
            let mut found = Vec::new();
            language_checks(page, &config.languages, &mut found);
            link_checks(page, loaded, &config.languages, &anchors, &mut found);
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

/// The anchors each page has in each language's form.
struct Anchors {
    /// Page path → ids present in the primary form, and in the secondary form.
    by_page: HashMap<String, [HashSet<String>; 2]>,
}

impl Anchors {
    fn of(loaded: &Loaded) -> Anchors {
        let pages: Vec<&Page> = loaded.book.pages().collect();
        let by_page = pages.par_iter().map(|page| {
            let mut ids: [HashSet<String>; 2] = [HashSet::new(), HashSet::new()];
            for (own, secondary) in heading_anchors(page) {
                if let Some(id) = own {
                    ids[0].insert(id.clone());
                    ids[1].insert(id);
                }
                if let Some(id) = secondary {
                    ids[1].insert(id);
                }
            }
            if let Some(items) = loaded.checklists.items_of(&page.path) {
                for (id, _) in items.values() {
                    let anchor = format!("check-{}", id.replace('.', "-"));
                    ids[0].insert(anchor.clone());
                    ids[1].insert(anchor);
                }
            }
            // Ids written in raw HTML count too.
            for content in page.segments.iter().flat_map(Segment::contents) {
                for side in Side::BOTH {
                    if let Some(text) = content.side(side) {
                        for piece in text.md.split(" id=\"").skip(1) {
                            if let Some(end) = piece.find('"') {
                                ids[side.index()].insert(piece[..end].to_string());
                            }
                        }
                    }
                }
            }
            (page.path.clone(), ids)
        });
        Anchors {
            by_page: by_page.collect(),
        }
    }
}

/// Links with a `#fragment` must reach an anchor in the form their side is shown in: a
/// link on the Chinese side must work on the Chinese page too.
fn link_checks(
    page: &Page,
    loaded: &Loaded,
    langs: &Languages,
    anchors: &Anchors,
    diags: &mut Vec<Diagnostic>,
) {
    let links = &loaded.links;
    for content in page.segments.iter().flat_map(Segment::contents) {
        for side in Side::BOTH {
            let Some(text) = content.side(side) else {
                continue;
            };
            if matches!(content, Content::Shared(_)) && side == Side::Secondary {
                continue;
            }
            if !text.md.contains('#') {
                continue;
            }
            let file = page.sources.file(side);
            for (event, range) in Parser::new_ext(&text.md, parser_options()).into_offset_iter() {
                let Event::Start(Tag::Link { dest_url, .. }) = event else {
                    continue;
                };
                let Some((target, fragment)) = dest_url.split_once('#') else {
                    continue;
                };
                if fragment.is_empty() || target.contains("://") {
                    continue;
                }
                let target_path = if target.is_empty() {
                    Some(page.path.clone())
                } else if target.ends_with(".md") {
                    links
                        .relative(file)
                        .and_then(|rel| resolve_target(&rel, target))
                        .and_then(|t| links.pages.get(&t).cloned())
                } else {
                    None
                };
                let Some(target_path) = target_path else {
                    continue;
                };
                let fragment = percent_encoding::percent_decode_str(fragment)
                    .decode_utf8_lossy()
                    .to_string();
                let found = anchors
                    .by_page
                    .get(&target_path)
                    .is_some_and(|ids| ids[side.index()].contains(&fragment));
                if !found {
                    let loc = Location::of_offset(&text.md, range.start);
                    let other_has = anchors
                        .by_page
                        .get(&target_path)
                        .is_some_and(|ids| ids[side.other().index()].contains(&fragment));
                    let lang = &langs.get(side).name;
                    let message = if other_has {
                        format!("link to `#{fragment}` works in the other language's page but not on the {lang} page, where this link is shown")
                    } else {
                        format!("link to `{dest_url}`: no heading or anchor `#{fragment}` on the target page")
                    };
                    diags.push(
                        Diagnostic::error(file, Some(Location::new(text.line + loc.line - 1, loc.col)), message)
                            .with_hint("use the target heading's id (GitHub's rules: lowercase, spaces to `-`, punctuation dropped)"),
                    );
                }
            }
        }
    }
}
