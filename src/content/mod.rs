//! Reading the book's sources: finding the files, splitting front matter, and turning each
//! page into the bilingual model.

pub mod discover;
pub mod frontmatter;
pub mod load;
pub mod slug;
