//! Diglot: a static site generator for bilingual guides.
//!
//! The pipeline reads top-down: [`config`] → [`content`] (discover, front matter, load) →
//! [`bilingual`] (pair the two languages) → [`markdown`] → [`render`] (theme templates) →
//! [`output`] (atomic). [`build::build`] runs it all.

pub mod anchors;
pub mod bilingual;
pub mod build;
pub mod check;
pub mod checklist;
pub mod commonmark;
pub mod config;
pub mod content;
pub mod diagnostics;
pub mod escape;
pub mod hash;
pub mod highlight;
pub mod import;
pub mod lang;
pub mod links;
pub mod live;
pub mod markdown;
pub mod model;
pub mod output;
pub mod paths;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod script;
pub mod search;
pub mod serve;
pub mod text;
pub mod theme;
mod toml_doc;
pub mod watch;

pub use build::{build, BuildOptions, BuildReport, Error};
