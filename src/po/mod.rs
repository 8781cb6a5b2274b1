//! gettext PO translations, as `mdbook-i18n-helpers` makes and uses them: the source
//! Markdown is split into messages by that crate's own extraction (one per paragraph,
//! heading, list item, table cell…, `<!-- i18n:skip -->` honoured), so every msgid of a real
//! PO file finds its block; a catalog read from the PO file (with each entry's line) gives
//! each message its translation and state.

pub(crate) mod parse;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{Diagnostic, Location};
pub(crate) use parse::{quote, Entry};

/// How a message of the source stands in the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    /// Translated and not fuzzy.
    Translated,
    /// Translated for an earlier source text (`#, fuzzy`).
    Fuzzy,
    /// In the catalog with an empty msgstr, or not in it at all.
    Untranslated,
}

/// A PO file, read.
pub(crate) struct Catalog {
    pub(crate) path: PathBuf,
    pub(crate) entries: Vec<Entry>,
    /// Live (not obsolete), context-free entries by msgid.
    by_msgid: HashMap<String, usize>,
    /// The translated and fuzzy messages, as the translation functions of
    /// `mdbook-i18n-helpers` look them up (fuzzy ones included: a stale pair shows its old
    /// translation, marked).
    shown: polib::catalog::Catalog,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field("path", &self.path)
            .field("entries", &self.entries.len())
            .finish()
    }
}

impl Catalog {
    /// Reads and parses `path`. `None` when it cannot be read; syntax errors come back as
    /// diagnostics (with what could be read).
    pub(crate) fn load(path: &Path) -> (Option<Catalog>, Vec<Diagnostic>) {
        let text = match crate::text::read_text(path) {
            Ok(t) => t,
            Err(d) => return (None, vec![d]),
        };
        let (entries, diags) = parse::parse(path, &text);
        (Some(Catalog::new(path, entries)), diags)
    }

    pub(crate) fn new(path: &Path, entries: Vec<Entry>) -> Catalog {
        let mut by_msgid = HashMap::new();
        let mut shown = polib::catalog::Catalog::new(polib::metadata::CatalogMetadata::new());
        for (i, e) in entries.iter().enumerate() {
            if e.obsolete || e.is_header() || e.msgctxt.is_some() {
                continue;
            }
            by_msgid.entry(e.msgid.clone()).or_insert(i);
            if e.is_translated() {
                shown.append_or_update(
                    polib::message::Message::build_singular()
                        .with_msgid(e.msgid.clone())
                        .with_msgstr(e.msgstr.clone())
                        .done(),
                );
            }
        }
        Catalog {
            path: path.to_path_buf(),
            entries,
            by_msgid,
            shown,
        }
    }

    /// The live entry for `msgid`, with its index.
    pub(crate) fn lookup(&self, msgid: &str) -> Option<(usize, &Entry)> {
        let i = *self.by_msgid.get(msgid)?;
        Some((i, &self.entries[i]))
    }

    /// How `msgid` stands.
    pub(crate) fn state(&self, msgid: &str) -> State {
        match self.lookup(msgid) {
            Some((_, e)) if e.is_translated() && e.is_fuzzy() => State::Fuzzy,
            Some((_, e)) if e.is_translated() => State::Translated,
            _ => State::Untranslated,
        }
    }

    /// `md` with every message the catalog translates (fuzzy ones too) replaced by its
    /// translation, the structure kept: what `mdbook-gettext` does to a chapter.
    pub(crate) fn translate(&self, md: &str) -> Result<String, String> {
        let events = mdbook_i18n_helpers::extract_events(md, None);
        let translated = mdbook_i18n_helpers::translate_events(&events, &self.shown)
            .map_err(|e| e.to_string())?;
        mdbook_i18n_helpers::reconstruct_markdown(&translated, None)
            .map(|(text, _)| text)
            .map_err(|e| e.to_string())
    }

    /// The file's messages counted as `msgfmt --statistics` counts them: translated (not
    /// fuzzy), fuzzy, untranslated; the header and obsolete entries left out.
    pub(crate) fn statistics(&self) -> [usize; 3] {
        let mut counts = [0; 3];
        for e in self
            .entries
            .iter()
            .filter(|e| !e.obsolete && !e.is_header())
        {
            let i = match (e.is_translated(), e.is_fuzzy()) {
                (true, false) => 0,
                (true, true) => 1,
                (false, _) => 2,
            };
            counts[i] += 1;
        }
        counts
    }

    /// A diagnostic at entry `i`'s msgid line.
    pub(crate) fn at(&self, i: usize) -> Option<Location> {
        self.entries.get(i).map(|e| Location::new(e.line, 1))
    }
}

/// The messages of `md` as `mdbook-xgettext` extracts them: (line, msgid).
pub(crate) fn messages(md: &str) -> Vec<(usize, String)> {
    mdbook_i18n_helpers::extract_messages(md)
        .map(|found| found.into_iter().map(|(l, m)| (l, m.message)).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog(po: &str) -> Catalog {
        let (entries, diags) = parse::parse(Path::new("zh.po"), po);
        assert!(diags.is_empty(), "{diags:?}");
        Catalog::new(Path::new("zh.po"), entries)
    }

    #[test]
    fn messages_are_split_as_mdbook_xgettext_splits_them() {
        let md = "# A heading\n\nA paragraph\nwrapped.\n\n- one\n- two\n\n<!-- i18n:skip -->\n\nSkipped.\n";
        let found: Vec<String> = messages(md).into_iter().map(|(_, m)| m).collect();
        assert_eq!(
            found,
            vec!["A heading", "A paragraph wrapped.", "one", "two"]
        );
    }

    #[test]
    fn translation_keeps_the_structure_and_states_follow_the_flags() {
        let c = catalog(
            "msgid \"A heading\"\nmsgstr \"标题\"\n\n#, fuzzy\nmsgid \"one\"\nmsgstr \"一\"\n\nmsgid \"two\"\nmsgstr \"\"\n",
        );
        let out = c
            .translate("# A heading\n\n- one\n- two\n")
            .expect("translated");
        assert_eq!(out, "# 标题\n\n- 一\n- two");
        assert_eq!(c.state("A heading"), State::Translated);
        assert_eq!(c.state("one"), State::Fuzzy);
        assert_eq!(c.state("two"), State::Untranslated);
        assert_eq!(c.state("absent"), State::Untranslated);
    }
}
