//! Reading the book's sources: finding the files, splitting front matter, and turning each
//! page into the bilingual model.
//!
//! `load` reads top to bottom: `discover` finds the files, `summary` takes `SUMMARY.md`
//! out, `cache` reads each `page` (or reuses it), its `includes` expanded, with its `titles`
//! and `drift` warnings (a gettext book's pages from `po_page`), and `assemble` places the pages in the book, giving each its `urls`.

pub(crate) mod assemble;
pub(crate) mod cache;
pub(crate) mod definitions;
pub(crate) mod discover;
pub(crate) mod drift;
pub mod frontmatter;
pub(crate) mod includes;
pub(crate) mod load;
pub(crate) mod page;
pub(crate) mod po_page;
pub mod slug;
pub(crate) mod summary;
pub(crate) mod titles;
pub(crate) mod urls;
