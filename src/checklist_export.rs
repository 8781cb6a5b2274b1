//! `diglot checklist`: a book's checklists as Markdown, JSON or CSV, for one phase or all,
//! in one language or both.

use crate::checklist::{to_csv, to_markdown, ExportLang};
use crate::diagnostics::{terminal_safe, Diagnostic, Error};
use crate::site::{BuildOptions, Site};

/// The formats `diglot checklist` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Task lists under a heading per phase and section.
    Markdown,
    /// The `checklists.json` schema the site publishes.
    Json,
    /// One row per item, every cell safe to open in a spreadsheet.
    Csv,
}

/// The checklists of the book at `opts.root` as text: of the phase whose slug is `phase`
/// (every phase when `None`), in language `lang` (a language code, or `both`).
/// `Err(Error::Failed)` when the book has errors; `Err(Error::Usage)` for an unknown phase or
/// language.
pub fn export(
    opts: &BuildOptions,
    phase: Option<&str>,
    lang: &str,
    format: Format,
) -> Result<String, Error> {
    let site = Site::load(opts)?;
    let found = site.content_diagnostics();
    if found.iter().any(Diagnostic::is_error) {
        return Err(Error::Failed(site.judged(found.iter().cloned())));
    }
    let config = site.config();
    let langs = &config.languages;
    let lang = match lang {
        "both" => ExportLang::Both,
        code => match langs.side_of_code(code) {
            Some(side) => ExportLang::Only(side),
            None => {
                return Err(Error::Usage {
                    message: format!("unknown language `{}`", terminal_safe(code, false)),
                    hint: format!(
                        "use `{}`, `{}` or `both`",
                        terminal_safe(&langs.primary.code, false),
                        terminal_safe(&langs.secondary.code, false)
                    ),
                })
            }
        },
    };
    let all = &site.loaded().checklists.phases;
    let phases: Vec<_> = match phase {
        Some(slug) => {
            let found: Vec<_> = all.iter().filter(|p| p.slug == slug).cloned().collect();
            if found.is_empty() {
                let known: Vec<&str> = all.iter().map(|p| p.slug.as_str()).collect();
                return Err(Error::Usage {
                    message: format!("no checklist for phase `{}`", terminal_safe(slug, false)),
                    hint: format!(
                        "phases with checklists: {}",
                        if known.is_empty() {
                            "none".to_string()
                        } else {
                            terminal_safe(&known.join(", "), false).into_owned()
                        }
                    ),
                });
            }
            found
        }
        None => all.clone(),
    };
    Ok(match format {
        Format::Markdown => to_markdown(&phases, &config.title, lang),
        Format::Json => crate::render::checklists_json(config, &phases),
        Format::Csv => to_csv(&phases, [&langs.primary.code, &langs.secondary.code], lang)
            .map_err(|e| {
                Error::Failed(vec![Diagnostic::error(
                    &config.root,
                    None,
                    format!("cannot write CSV: {e}"),
                )])
            })?,
    })
}
