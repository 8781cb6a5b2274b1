//! Pairing the two languages: splitting a parallel file, or aligning two documents.

pub mod align;
pub mod blocks;
pub mod parallel;
pub mod sides;
