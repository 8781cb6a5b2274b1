//! Pairing the two languages: splitting a parallel file, or aligning two documents.

pub mod align;
pub(crate) mod anchors;
pub(crate) mod blocks;
pub(crate) mod numbers;
pub mod parallel;
mod programme;
pub(crate) mod sides;
