//! `[languages]`: the book's two languages, their codes, names, tags, scripts and content
//! folders, with typos in the table's keys warned about.

use std::collections::BTreeMap;
use std::path::Path;

use super::{RawLanguage, RawLanguages};
use crate::diagnostics::{Diagnostic, Location};
use crate::lang::{Language, Languages};
use crate::toml_doc::{self, TomlSource};

/// The `[languages.<code>]` tables, read with their own unknown keys warned about; any other
/// key in `[languages]` is unknown (a typo of `primary`, say), not a type error.
pub(super) fn language_entries(
    src: &TomlSource<'_>,
    raw: &RawLanguages,
    diags: &mut Vec<Diagnostic>,
) -> BTreeMap<String, RawLanguage> {
    let mut entries = BTreeMap::new();
    for (key, value) in &raw.entries {
        let keys = ["languages".to_string(), key.clone()];
        if value.is_table() {
            let (entry, found) = toml_doc::parse_table::<RawLanguage>(src, &keys, value.clone());
            diags.extend(found);
            if let Some(entry) = entry {
                entries.insert(key.clone(), entry);
            }
        } else {
            let known = [
                "primary".to_string(),
                "secondary".to_string(),
                "source".to_string(),
            ];
            diags.push(toml_doc::unknown_key_among(src, &keys, &known));
        }
    }
    entries
}

pub(super) fn languages(
    raw: &RawLanguages,
    entries: &BTreeMap<String, RawLanguage>,
    path: &Path,
    locate: &dyn Fn(&[&str]) -> Option<Location>,
    diags: &mut Vec<Diagnostic>,
) -> Languages {
    let build = |code: &str| {
        let mut lang = Language::with_defaults(code);
        if let Some(entry) = entries.get(code) {
            if let Some(name) = &entry.name {
                lang.name = name.clone();
            }
            if let Some(tag) = &entry.tag {
                lang.tag = tag.clone();
            }
            if let Some(script) = entry.script {
                lang.script = script;
            }
        }
        lang
    };
    for code in entries.keys() {
        if *code != raw.primary && *code != raw.secondary {
            diags.push(
                Diagnostic::warning(
                    path,
                    locate(&["languages", code]),
                    format!(
                        "`[languages.{code}]` is neither the primary nor the secondary language"
                    ),
                )
                .with_hint(format!(
                    "set `primary` or `secondary` in [languages] to `{code}`, or remove the table"
                )),
            );
        }
    }
    let mut codes_ok = true;
    for (key, code) in [("primary", &raw.primary), ("secondary", &raw.secondary)] {
        if code.is_empty() {
            continue;
        }
        if let Some(problem) = crate::lang::code_problem(code) {
            codes_ok = false;
            diags.push(
                Diagnostic::error(path, locate(&["languages", key]), format!("invalid language code: {problem}"))
                    .with_hint("a language code names a folder of the site: use a tag such as \"zh\", \"en\" or \"pt-BR\""),
            );
        }
    }
    if codes_ok && raw.primary.eq_ignore_ascii_case(&raw.secondary) && raw.primary != raw.secondary
    {
        diags.push(
            Diagnostic::error(
                path,
                locate(&["languages", "secondary"]),
                "the two language codes differ only in letter case, so their folders would be one on some systems",
            )
            .with_hint("use two different codes, e.g. primary = \"zh\", secondary = \"en\""),
        );
    }
    if raw.primary == raw.secondary || raw.primary.is_empty() || raw.secondary.is_empty() {
        diags.push(
            Diagnostic::error(
                path,
                locate(&["languages", "secondary"]),
                "the two languages of a book must be two different, non-empty codes",
            )
            .with_hint("e.g. primary = \"zh\", secondary = \"en\""),
        );
    }
    Languages {
        primary: build(&raw.primary),
        secondary: build(&raw.secondary),
    }
}
