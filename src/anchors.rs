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
        Content::Pair([p, s]) if parallel => {
            let (p_text, p_id) = heading_attributes(&p.md);
            let (s_text, s_id) = heading_attributes(&s.md);
            let id = p_id
                .or(s_id)
                .map(str::to_string)
                .unwrap_or_else(|| heading_id(&format!("{p_text} | {s_text}")));
            (Some(ids.unique(id)), None)
        }
        Content::Pair([p, s]) => {
            let first = ids.unique(own_id(&p.md));
            let second = own_id(&s.md);
            let second = (second != first && !second.is_empty()).then(|| ids.unique(second));
            (Some(first), second)
        }
        Content::Shared(t) | Content::Lone(_, t) => (Some(ids.unique(own_id(&t.md))), None),
    }
}

/// A heading's id: the one its attributes give (`{#custom-id}`), or GitHub's for its text.
fn own_id(md: &str) -> String {
    match heading_attributes(md) {
        (_, Some(id)) => id.to_string(),
        (text, None) => heading_id(text),
    }
}

/// A heading's text without a trailing attribute block (`{#id .class key=value}`, as
/// pulldown-cmark reads it), and the id that block gives. Text whose braces are not an
/// attribute block (`{a, b}`) is left whole.
pub(crate) fn heading_attributes(md: &str) -> (&str, Option<&str>) {
    let trimmed = md.trim_end();
    let Some(inner) = trimmed.strip_suffix('}') else {
        return (md, None);
    };
    let Some(open) = inner.rfind('{') else {
        return (md, None);
    };
    let attrs = &inner[open + 1..];
    let tokens: Vec<&str> = attrs.split_ascii_whitespace().collect();
    let is_attr = |t: &&str| {
        (t.starts_with('#') || t.starts_with('.')) && t.len() > 1
            || t.find('=').is_some_and(|i| i > 0)
    };
    if tokens.is_empty() || !tokens.iter().all(is_attr) || attrs.contains(['{', '}']) {
        return (md, None);
    }
    let id = tokens.iter().rev().find_map(|t| t.strip_prefix('#'));
    (inner[..open].trim_end(), id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attribute_blocks_give_the_id_and_leave_the_text() {
        assert_eq!(
            heading_attributes("所有权 {#ownership}"),
            ("所有权", Some("ownership"))
        );
        assert_eq!(
            heading_attributes("T {.wide #a data-x=1 } "),
            ("T", Some("a"))
        );
        assert_eq!(heading_attributes("T {.wide}"), ("T", None));
        assert_eq!(heading_attributes("Sets {a, b}"), ("Sets {a, b}", None));
        assert_eq!(heading_attributes("Empty {}"), ("Empty {}", None));
        assert_eq!(heading_attributes("Plain"), ("Plain", None));
        assert_eq!(own_id("所有权 {#ownership}"), "ownership");
        assert_eq!(own_id("What's new?"), "whats-new");
    }
}
