//! The Markdown dialect: one set of pulldown-cmark options for every stage that parses
//! Markdown (splitting blocks, rendering, the search index, `SUMMARY.md`), so that they all
//! see the same document; and inline text (a title) read in it as plain text.

use pulldown_cmark::{Event, Options, Parser};

/// CommonMark with GitHub's extensions (tables, task lists, strikethrough, footnotes,
/// alerts), math, and heading attributes (`## 标题 {#custom-id}`), so a translation can
/// keep the source's anchors.
pub(crate) fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_MATH
        | Options::ENABLE_GFM
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Inline Markdown (a heading's text) as plain text: Markdown's markup dropped, code and
/// link text kept; raw HTML stays the text it was written as (a title is never HTML).
pub(crate) fn inline_plain_text(md: &str) -> String {
    let (escaped, _) = escape_block_start(md);
    let mut out = String::with_capacity(md.len());
    for event in Parser::new_ext(&escaped, parser_options()) {
        match event {
            Event::Text(t)
            | Event::Code(t)
            | Event::InlineMath(t)
            | Event::InlineHtml(t)
            | Event::Html(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Inline text that would start a block on its own (`1. Phase` reads as a list, `# x` as a
/// heading, `> x` as a quote) gets its marker escaped, so a heading's side stays text.
/// Returns the text and where the escape went, if one was needed.
pub(crate) fn escape_block_start(md: &str) -> (std::borrow::Cow<'_, str>, Option<usize>) {
    let trimmed = md.trim_start();
    let lead = md.len() - trimmed.len();
    let digits = trimmed.len()
        - trimmed
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .len();
    let marker_at = if digits > 0 && digits <= 9 && trimmed[digits..].starts_with(['.', ')']) {
        Some(lead + digits)
    } else if trimmed.starts_with(['#', '>', '=']) || starts_list_or_rule(trimmed) {
        Some(lead)
    } else {
        None
    };
    match marker_at {
        Some(at) => (
            std::borrow::Cow::Owned(format!("{}\\{}", &md[..at], &md[at..])),
            Some(at),
        ),
        None => (std::borrow::Cow::Borrowed(md), None),
    }
}

/// `- x`, `* x`, `+ x` (a bullet) or `***`, `- - -` (a rule); `*emphasis*` is neither.
fn starts_list_or_rule(text: &str) -> bool {
    let mut chars = text.chars();
    let Some(first @ ('-' | '+' | '*')) = chars.next() else {
        return false;
    };
    let bullet = chars.next().is_none_or(char::is_whitespace);
    let rule = first != '+' && text.chars().all(|c| c == first || c == ' ' || c == '\t');
    bullet || rule
}
