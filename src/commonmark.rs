//! The Markdown dialect: one set of pulldown-cmark options for every stage that parses
//! Markdown (splitting blocks, rendering, the search index, `SUMMARY.md`), so that they all
//! see the same document.

use pulldown_cmark::Options;

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
