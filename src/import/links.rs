//! Links inside a single-file guide to its own headings (`[版本规划](#11-版本规划--version-planning)`,
//! as every guide with a table of contents has) point, after the import, to the page that
//! heading became, or to the heading's anchor on its new page.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use pulldown_cmark::{Event, LinkType, Parser, Tag};

use crate::anchors::IdSet;
use crate::bilingual::blocks::{blocks, RawKind};
use crate::commonmark::parser_options;
use crate::content::slug::heading_id;
use crate::diagnostics::{Diagnostic, Location};
use crate::model::BlockKind;

/// A page of the imported book: its file (relative to `content/`), where its text starts in
/// the guide (0-based line of the guide's body), and the line of its own heading, if any.
pub(super) struct PageSpan {
    pub(super) file: PathBuf,
    pub(super) heading_line: Option<usize>,
    pub(super) first_line: usize,
    pub(super) end_line: usize,
}

/// Where each heading of the guide went: GitHub's id of the heading in the whole file → the
/// page it is on and its id there (`None` when the heading became the page's title).
pub(super) struct HeadingMap {
    by_id: HashMap<String, (usize, Option<String>)>,
}

impl HeadingMap {
    /// Maps the headings of the guide's `body` onto `pages` (in the guide's order).
    pub(super) fn new(body: &str, pages: &[PageSpan]) -> HeadingMap {
        let mut in_file = IdSet::default();
        let mut on_page: Vec<IdSet> = pages.iter().map(|_| IdSet::default()).collect();
        let mut by_id = HashMap::new();
        for block in blocks(body) {
            let RawKind::Block(BlockKind::Heading(_)) = block.kind else {
                continue;
            };
            let line = block.line - 1;
            let id = in_file.unique(heading_id(&block.heading_text()));
            let Some(page) = pages.iter().position(|p| {
                p.heading_line == Some(line) || (p.first_line..p.end_line).contains(&line)
            }) else {
                continue;
            };
            let anchor = if pages[page].heading_line == Some(line) {
                None
            } else {
                Some(on_page[page].unique(heading_id(&block.heading_text())))
            };
            by_id.entry(id).or_insert((page, anchor));
        }
        HeadingMap { by_id }
    }

    /// The guide's `body` with its links to its own headings pointing to their new places;
    /// a link to a heading the guide does not have keeps only its text, with a warning in
    /// `path` (the body starts on line `body_line` of the file). Links on the headings that
    /// became pages are left as they are (the headings name the pages).
    pub(super) fn rewrite(
        &self,
        body: &str,
        pages: &[PageSpan],
        path: &Path,
        body_line: usize,
        warnings: &mut Vec<Diagnostic>,
    ) -> String {
        let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
        for (event, range) in Parser::new_ext(body, parser_options()).into_offset_iter() {
            let Event::Start(Tag::Link {
                link_type: LinkType::Inline,
                dest_url,
                ..
            }) = event
            else {
                continue;
            };
            let Some(fragment) = dest_url.strip_prefix('#') else {
                continue;
            };
            let loc = Location::of_offset(body, range.start);
            let line = loc.line - 1;
            let Some(page) = pages
                .iter()
                .position(|p| (p.first_line..p.end_line).contains(&line))
            else {
                continue;
            };
            let written = &body[range.clone()];
            let Some(at) = written.rfind("](").map(|i| i + 2) else {
                continue;
            };
            let Some(dest_at) = written[at..].find(&*dest_url).map(|i| at + i) else {
                continue;
            };
            match self.by_id.get(&crate::links::percent_decode(fragment)) {
                Some((to, anchor)) => {
                    let start = range.start + dest_at;
                    let new = destination(page, *to, anchor.as_deref(), pages);
                    edits.push((start..start + dest_url.len(), new));
                }
                None => {
                    warnings.push(
                        Diagnostic::warning(
                            path,
                            Some(Location::new(body_line + line, loc.col)),
                            format!("link `{dest_url}` points to no heading of the guide; it was imported as plain text"),
                        )
                        .with_hint("link to a heading of the guide by its GitHub id, e.g. `#11-版本规划--version-planning`"),
                    );
                    edits.push((range.clone(), link_text(written).to_string()));
                }
            }
        }
        let mut out = body.to_string();
        for (range, new) in edits.into_iter().rev() {
            out.replace_range(range, &new);
        }
        out
    }
}

/// The text between a link's brackets, as written.
fn link_text(written: &str) -> &str {
    let inner = written.strip_prefix('[').unwrap_or(written);
    match inner.rfind("](") {
        Some(end) => &inner[..end],
        None => inner,
    }
}

/// What a link from page `from` to heading `anchor` of page `to` becomes.
fn destination(from: usize, to: usize, anchor: Option<&str>, pages: &[PageSpan]) -> String {
    let fragment = anchor.map(|a| format!("#{a}")).unwrap_or_default();
    if from == to {
        return if fragment.is_empty() {
            "#".into()
        } else {
            fragment
        };
    }
    let here = pages[from].file.parent().unwrap_or(Path::new(""));
    format!("{}{fragment}", relative_path(here, &pages[to].file))
}

/// The path from folder `from` to file `to`, both relative to the same root, with `/`.
fn relative_path(from: &Path, to: &Path) -> String {
    let from: Vec<Component<'_>> = from.components().collect();
    let to_parts: Vec<Component<'_>> = to.components().collect();
    let common = from
        .iter()
        .zip(&to_parts)
        .take_while(|(a, b)| a == b)
        .count();
    let mut parts: Vec<String> = vec!["..".to_string(); from.len() - common];
    parts.extend(
        to_parts[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_between_pages() {
        assert_eq!(
            relative_path(Path::new(""), Path::new("01-a/_index.md")),
            "01-a/_index.md"
        );
        assert_eq!(
            relative_path(Path::new("01-a"), Path::new("02-b/01-x.md")),
            "../02-b/01-x.md"
        );
        assert_eq!(
            relative_path(Path::new("01-a"), Path::new("01-a/02-y.md")),
            "02-y.md"
        );
        assert_eq!(
            relative_path(Path::new("01-a"), Path::new("_index.md")),
            "../_index.md"
        );
    }
}
