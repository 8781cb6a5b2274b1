//! Diglot: a static site generator for bilingual guides.
//!
//! The pipeline, read top to bottom (`site::Site` runs it as named steps):
//!
//! ```text
//! book.toml ─▶ config ─▶ theme
//!                 │
//!                 ▼
//!            content: discover files, split front matter, expand includes, read pages
//!                     (cached for serve), each side's link and footnote definitions
//!                 │
//!                 ▼
//!            bilingual: split a parallel file | align two documents ─▶ Page { segments }
//!                 │
//!                 ▼
//!            model: Book → Phase → Page; URLs, link table, checklists, anchors
//!                 │
//!                 ▼
//!            validate: languages, empty sides, empty phases; coverage
//!                 │
//!                 ▼
//!            translation: git history (read once) ─▶ each pair current or stale
//!                 │
//!                 ▼
//!            render: pages (markdown, highlight) · print · site files · checklists
//!            search: the index
//!                 │
//!                 ▼
//!            links to anchors checked (collected while rendering) ─▶ output (staging, swap)
//!
//! build · check · checklist: Site::load, then write / render into nothing / export
//! serve · watch: Site::load_kept, then Site::reload(change) and render what it says
//! ```
//!
//! Layers, bottom to top; a module uses only modules of its own layer or below, and no two
//! modules use each other (`tests/layering.rs` reads this table and checks both):
//!
//! | layer | modules |
//! |---|---|
//! | leaf | `diagnostics`, `lang`, `paths`, `text`, `escape`, `hash`, `links`, `commonmark`, `substance`, `script` |
//! | model | `toml_doc`, `config`, `model` |
//! | stages | `content`, `bilingual`, `checklist`, `anchors`, `validate`, `history`, `po`, `translation` |
//! | products | `highlight`, `markdown`, `theme`, `render`, `search`, `output` |
//! | the book | `site` |
//! | commands | `build`, `check`, `status`, `gettext`, `checklist_export`, `clean`, `eject`, `serve`, `watch`, `import`, `scaffold`, `report` |

mod commonmark;
pub mod diagnostics;
mod escape;
mod hash;
pub mod lang;
pub mod links;
mod paths;
mod script;
mod substance;
mod text;

pub(crate) mod config;
pub mod model;
mod toml_doc;

mod anchors;
pub mod bilingual;
pub(crate) mod checklist;
pub mod content;
mod history;
mod po;
mod translation;
mod validate;

mod highlight;
pub mod markdown;
mod output;
mod render;
pub mod search;
mod theme;

pub(crate) mod site;

pub mod build;
pub mod check;
pub mod checklist_export;
pub mod clean;
pub mod eject;
pub mod gettext;
pub mod import;
pub mod report;
pub mod scaffold;
pub mod serve;
pub mod status;
pub mod watch;

pub use build::{build, BuildReport};
pub use diagnostics::Error;
pub use site::BuildOptions;
