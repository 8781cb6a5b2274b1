//! A page's titles in both languages: from front matter, from its first heading, or from
//! its file name.

use crate::anchors::heading_attributes;
use crate::bilingual::numbers::numbered_titles;
use crate::commonmark::inline_plain_text;
use crate::content::frontmatter::{FrontMatter, TitleValue};
use crate::lang::{Languages, Side};
use crate::model::{BlockKind, Content, Segment, Titles};
use crate::script::split_bilingual;

/// The titles one front-matter `title` gives: a bilingual `中文 | English` string split in
/// two, or a table by language code.
pub(crate) fn titles_of(value: &TitleValue, langs: &Languages) -> Titles {
    numbered_titles(given_titles(value, langs))
}

fn given_titles(value: &TitleValue, langs: &Languages) -> Titles {
    match value {
        TitleValue::Text(t) => split_bilingual(t, langs).unwrap_or_else(|| [t.clone(), t.clone()]),
        TitleValue::PerLanguage(map) => {
            let get = |side: Side| map.get(&langs.get(side).code).cloned();
            let (p, s) = (get(Side::Primary), get(Side::Secondary));
            let any = p
                .clone()
                .or_else(|| s.clone())
                .or_else(|| map.values().next().cloned())
                .unwrap_or_default();
            [p.unwrap_or_else(|| any.clone()), s.unwrap_or(any)]
        }
    }
}

/// The titles of a page written as two files, each with its own front matter.
pub(crate) fn two_file_titles(
    p: &FrontMatter,
    s: &FrontMatter,
    langs: &Languages,
) -> Option<Titles> {
    let single = |fm: &FrontMatter, side: Side| -> Option<String> {
        fm.title.as_ref().map(|t| match t {
            TitleValue::Text(t) => t.clone(),
            per => titles_of(per, langs)[side.index()].clone(),
        })
    };
    match (single(p, Side::Primary), single(s, Side::Secondary)) {
        (Some(a), Some(b)) => Some(numbered_titles([a, b])),
        (Some(a), None) => Some(titles_of(p.title.as_ref()?, langs))
            .filter(|t| t[0] != t[1])
            .or(Some([a.clone(), a])),
        (None, Some(b)) => Some([b.clone(), b]),
        (None, None) => None,
    }
}

/// Without a title in front matter, a leading level-1 heading is the title (and is not
/// repeated in the body); failing that, the first heading names the page. A title is plain
/// text: the heading's Markdown (`` `std` ``, `*x*`, `{#id}`) is not shown literally.
pub(crate) fn title_from_heading(
    mut segments: Vec<Segment>,
) -> Result<(Titles, Vec<Segment>), Vec<Segment>> {
    let titles = |c: &Content| -> Titles {
        match c {
            Content::Pair([a, b]) => numbered_titles([heading_title(&a.md), heading_title(&b.md)]),
            Content::Shared(t) | Content::Lone(_, t) => {
                let title = heading_title(&t.md);
                [title.clone(), title]
            }
        }
    };
    if let Some(Segment::Block {
        kind: BlockKind::Heading(1),
        content,
    }) = segments.first()
    {
        let t = titles(content);
        segments.remove(0);
        return Ok((t, segments));
    }
    let first = segments.iter().find_map(|s| match s {
        Segment::Block {
            kind: BlockKind::Heading(_),
            content,
        } => Some(titles(content)),
        _ => None,
    });
    match first {
        Some(t) => Ok((t, segments)),
        None => Err(segments),
    }
}

/// A heading's Markdown as title text: attributes dropped, inline markup reduced to its text.
fn heading_title(md: &str) -> String {
    let (text, _) = heading_attributes(md);
    let plain = inline_plain_text(text);
    if plain.is_empty() {
        text.trim().to_string()
    } else {
        plain
    }
}

/// A title from a file or folder name: `01-getting_started` → `Getting started`.
pub(crate) fn humanize(stem: &str) -> String {
    let base = crate::content::slug::strip_order_prefix(stem).replace(['-', '_'], " ");
    let mut chars = base.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => stem.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_markup_is_not_shown_in_titles() {
        assert_eq!(heading_title("在 `std` 之下"), "在 std 之下");
        assert_eq!(heading_title("*Ownership* {#own}"), "Ownership");
        assert_eq!(heading_title("1. 架构设计阶段"), "1. 架构设计阶段");
        assert_eq!(heading_title("A &amp; B"), "A & B");
        assert_eq!(heading_title("Vec <T> here"), "Vec <T> here");
        assert_eq!(heading_title("[Links](a.md) too"), "Links too");
    }

    #[test]
    fn names_become_titles() {
        assert_eq!(humanize("01-getting_started"), "Getting started");
        assert_eq!(humanize("design"), "Design");
        assert_eq!(humanize(""), "");
    }
}
