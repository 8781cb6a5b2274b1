//! `diglot check`: everything `build` validates, and more, without writing: the diagnostics,
//! the translation coverage of each phase, and notes.

use std::path::Path;

use crate::diagnostics::{Diagnostic, Error};
use crate::output::Discard;
use crate::site::{BuildOptions, Site};
pub use crate::validate::Coverage;

/// What `diglot check` found.
#[derive(Debug)]
pub struct CheckReport {
    /// Every error and warning, sorted (with `--strict`, warnings are errors).
    pub diagnostics: Vec<Diagnostic>,
    /// Translation coverage of each phase; pages outside phases, if any, come first as `-`.
    pub coverage: Vec<Coverage>,
    /// Facts worth knowing that are neither errors nor warnings (a content folder outside
    /// the book), for the summary.
    pub notes: Vec<String>,
}

impl CheckReport {
    /// How many of the diagnostics are errors.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.is_error()).count()
    }

    /// How many of the diagnostics are warnings.
    pub fn warnings(&self) -> usize {
        self.diagnostics.len() - self.errors()
    }
}

/// Everything `build` validates, and more (every page rendered, to find template and link
/// problems), without writing anything.
pub fn check(root: &Path, strict: bool) -> Result<CheckReport, Error> {
    let opts = BuildOptions {
        root: root.to_path_buf(),
        strict,
        ..BuildOptions::default()
    };
    let site = Site::load(&opts)?;
    let mut diags: Vec<Diagnostic> = site.diagnostics().cloned().collect();
    diags.extend(site.render_all(&Discard));
    Ok(CheckReport {
        diagnostics: site.judged(diags),
        coverage: site.coverage(),
        notes: site.check_notes(),
    })
}
