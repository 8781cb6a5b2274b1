//! The ids of a page's headings, found once and used by everything that links to a heading:
//! the rendered page, the search index and the link checks.

use std::collections::HashMap;

use crate::content::slug::heading_id;
use crate::model::{BlockKind, Content, Page, Segment};

/// Gives heading ids the way GitHub does: repeats get `-1`, `-2`.
#[derive(Default)]
pub(crate) struct IdSet {
    seen: HashMap<String, usize>,
}

impl IdSet {
    pub(crate) fn unique(&mut self, base: String) -> String {
        match self.seen.get_mut(&base) {
            None => {
                self.seen.insert(base.clone(), 0);
                base
            }
            Some(n) => {
                *n += 1;
                let id = format!("{base}-{n}");
                self.seen.insert(id.clone(), 0);
                id
            }
        }
    }
}

/// The ids of a page's headings, by segment: the seg's own and, for a two-file page, the
/// secondary heading's. Search links to them, so they are computed in one place.
pub(crate) fn heading_anchors(page: &Page) -> Vec<(Option<String>, Option<String>)> {
    let parallel = page.sources.files[0] == page.sources.files[1];
    let mut ids = IdSet::default();
    page.segments
        .iter()
        .map(|seg| match seg {
            Segment::Block {
                kind: BlockKind::Heading(_),
                content,
            } => heading_ids(content, parallel, &mut ids),
            _ => (None, None),
        })
        .collect()
}

/// A parallel file's heading keeps GitHub's id for its full text (`中文 | English`); in two
/// files each side keeps its own file's id.
fn heading_ids(
    content: &Content,
    parallel: bool,
    ids: &mut IdSet,
) -> (Option<String>, Option<String>) {
    match content {
        Content::Pair([p, s]) if parallel => (
            Some(ids.unique(heading_id(&format!("{} | {}", p.md, s.md)))),
            None,
        ),
        Content::Pair([p, s]) => {
            let first = ids.unique(heading_id(&p.md));
            let second = heading_id(&s.md);
            let second = (second != first && !second.is_empty()).then(|| ids.unique(second));
            (Some(first), second)
        }
        Content::Shared(t) | Content::Lone(_, t) => (Some(ids.unique(heading_id(&t.md))), None),
    }
}
