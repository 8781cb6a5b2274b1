//! An mdBook `book.toml` read as a Diglot one: `[book] src`, `[build] build-dir` and
//! `[book] language` are mapped to Diglot's keys; the settings of mdBook's renderers and
//! preprocessors, which Diglot has no use for, are named in one note instead of a warning
//! per key (a `--strict` build of a book moved from mdBook must not fail on them).

use std::path::Path;

use super::RawConfig;
use crate::diagnostics::{Diagnostic, Location};

/// mdBook settings that have a Diglot counterpart Diglot does not read from them.
const EQUIVALENTS: [(&str, &str); 4] = [
    ("site-url", "`base-url` in [book]"),
    ("theme", "`theme` in [build] (a folder under themes/)"),
    ("additional-css", "`extra-css` in [build]"),
    ("additional-js", "`extra-js` in [build]"),
];

/// Maps the mdBook keys of `raw` to Diglot's and returns the note that says so (`None` for
/// a book without mdBook keys). A key set both ways is a warning at the mdBook one.
pub(super) fn map_keys(
    raw: &mut RawConfig,
    path: &Path,
    locate: &dyn Fn(&[&str]) -> Option<Location>,
    diags: &mut Vec<Diagnostic>,
) -> Option<String> {
    let mut mapped: Vec<&str> = Vec::new();
    let mut ignored: Vec<String> = Vec::new();
    let mut both_set = |mdbook: [&str; 2], diglot: [&str; 2]| {
        diags.push(
            Diagnostic::warning(
                path,
                locate(&mdbook),
                format!(
                    "both `{}` (mdBook's name) and `{}` are set; using `{}`",
                    mdbook.join("."),
                    diglot.join("."),
                    diglot.join(".")
                ),
            )
            .with_hint(format!("remove `{}`", mdbook[1])),
        );
    };
    if let Some(src) = raw.book.src.take() {
        if locate(&["build", "content-dir"]).is_some() {
            both_set(["book", "src"], ["build", "content-dir"]);
        } else {
            raw.build.content_dir = src;
            mapped.push("`book.src` as `build.content-dir`");
        }
    }
    if let Some(dir) = raw.build.build_dir.take() {
        if locate(&["build", "output-dir"]).is_some() {
            both_set(["build", "build-dir"], ["build", "output-dir"]);
        } else {
            raw.build.output_dir = dir;
            mapped.push("`build.build-dir` as `build.output-dir`");
        }
    }
    if let Some(language) = raw.book.language.take() {
        match map_language(raw, &language, locate) {
            true => mapped.push("`book.language` as the primary language"),
            false => ignored.push("`book.language` (`languages.primary` is set)".into()),
        }
    }
    let book_keys = [
        ("authors", raw.book.authors.take()),
        ("multilingual", raw.book.multilingual.take()),
        ("text-direction", raw.book.text_direction.take()),
    ];
    let build_keys = [
        ("create-missing", raw.build.create_missing.take()),
        (
            "use-default-preprocessors",
            raw.build.use_default_preprocessors.take(),
        ),
        ("extra-watch-dirs", raw.build.extra_watch_dirs.take()),
    ];
    for (table, keys) in [("book", book_keys), ("build", build_keys)] {
        let present = keys.iter().filter(|(_, v)| v.is_some());
        ignored.extend(present.map(|(k, _)| format!("`{table}.{k}`")));
    }
    let mut counterparts = Vec::new();
    for (name, table) in [
        ("output", raw.output.take()),
        ("preprocessor", raw.preprocessor.take()),
        ("rust", raw.rust.take()),
    ] {
        let Some(table) = table else { continue };
        ignored.extend(sub_tables(name, &table));
        if name == "output" {
            counterparts.extend(counterparts_in(&table));
        }
    }
    if mapped.is_empty() && ignored.is_empty() {
        return None;
    }
    let content_dir_set = locate(&["build", "content-dir"]).is_some();
    if !content_dir_set && !mapped.iter().any(|m| m.starts_with("`book.src`")) {
        // mdBook's content folder when `src` is left out.
        raw.build.content_dir = "src".into();
        mapped.push("the content from src/ (mdBook's default)");
    }
    let mut note = String::from("note: book.toml has mdBook settings");
    if !mapped.is_empty() {
        note.push_str(&format!("; read {}", mapped.join(", ")));
    }
    if !ignored.is_empty() {
        note.push_str(&format!(
            "; not used (Diglot has its own renderer): {}",
            ignored.join(", ")
        ));
    }
    for (key, instead) in counterparts {
        note.push_str(&format!("; for `{key}` use {instead}"));
    }
    Some(note)
}

/// `[output.html]`, `[output.html.search]`…: the tables of `[name]`, as the user wrote
/// them, or `[name]` itself when it holds plain keys.
fn sub_tables(name: &str, table: &toml::Value) -> Vec<String> {
    let Some(t) = table.as_table() else {
        return vec![format!("`{name}`")];
    };
    let subs: Vec<String> = t
        .iter()
        .filter(|(_, v)| v.is_table())
        .map(|(k, _)| format!("`[{name}.{k}]`"))
        .collect();
    if subs.is_empty() || subs.len() < t.len() {
        let mut all = vec![format!("`[{name}]`")];
        all.extend(subs);
        return all;
    }
    subs
}

/// The mdBook keys of `[output.html]` that have a Diglot counterpart, with it.
fn counterparts_in(output: &toml::Value) -> Vec<(String, &'static str)> {
    let Some(html) = output.get("html").and_then(toml::Value::as_table) else {
        return Vec::new();
    };
    EQUIVALENTS
        .iter()
        .filter(|(key, _)| html.contains_key(*key))
        .map(|(key, instead)| (format!("output.html.{key}"), *instead))
        .collect()
}

/// mdBook's single `language` becomes the primary language (its tag too, when it has a
/// region), unless `[languages] primary` says otherwise. Returns whether it was used.
fn map_language(
    raw: &mut RawConfig,
    language: &str,
    locate: &dyn Fn(&[&str]) -> Option<Location>,
) -> bool {
    if locate(&["languages", "primary"]).is_some() {
        return false;
    }
    let code = language
        .split(['-', '_'])
        .next()
        .unwrap_or(language)
        .to_ascii_lowercase();
    if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphabetic()) {
        return false;
    }
    let langs = &mut raw.languages;
    if code == langs.secondary && locate(&["languages", "secondary"]).is_none() {
        // A translation into the other language of the default pair.
        langs.secondary = if code == "en" { "zh" } else { "en" }.into();
    }
    langs.primary = code.clone();
    if language.len() > code.len() {
        let entry = langs
            .entries
            .entry(code)
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
        if let Some(t) = entry.as_table_mut() {
            t.entry("tag")
                .or_insert_with(|| toml::Value::String(language.to_string()));
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use crate::config::{parse, View};
    use std::path::Path;

    fn read(text: &str) -> (crate::config::Config, Vec<crate::diagnostics::Diagnostic>) {
        parse(Path::new("/b"), Path::new("/b/book.toml"), text, &[]).expect("valid")
    }

    const MDBOOK: &str = r#"[book]
title = "The Guide"
authors = ["A. Author", "B. Author"]
language = "en"
multilingual = false
src = "src"

[output.html]
additional-css = ["theme/custom.css"]
git-repository-url = "https://example.org/repo"

[output.html.search]
use-boolean-and = true

[output.html.redirect]
"old.html" = "new.html"

[preprocessor.links]

[rust]
edition = "2021"
"#;

    #[test]
    fn an_mdbook_book_toml_is_read_with_one_note_and_no_warning() {
        let (c, diags) = read(MDBOOK);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(c.content_dirs[0], Path::new("/b/src"));
        assert_eq!(c.languages.primary.code, "en");
        assert_eq!(c.languages.secondary.code, "zh");
        assert_eq!(c.default_view, View::SideBySide);
        assert_eq!(c.notes.len(), 1, "{:?}", c.notes);
        let note = &c.notes[0];
        for said in [
            "`book.src` as `build.content-dir`",
            "`book.language` as the primary language",
            "`book.authors`",
            "`book.multilingual`",
            "`[output.html]`",
            "`[preprocessor.links]`",
            "`[rust]`",
            "for `output.html.additional-css` use `extra-css`",
        ] {
            assert!(note.contains(said), "{said} missing from {note}");
        }
    }

    #[test]
    fn a_region_becomes_the_tag_and_build_dir_the_output() {
        let (c, diags) = read("[book]\nlanguage = \"zh-TW\"\n[build]\nbuild-dir = \"out\"\n");
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(c.languages.primary.code, "zh");
        assert_eq!(c.languages.primary.tag, "zh-TW");
        assert_eq!(c.languages.secondary.code, "en");
        assert_eq!(c.output_dir, Path::new("/b/out"));
    }

    #[test]
    fn diglot_keys_win_over_mdbook_ones_with_a_warning() {
        let text = "[book]\nsrc = \"src\"\nlanguage = \"fr\"\n[build]\ncontent-dir = \"content\"\n[languages]\nprimary = \"zh\"\n";
        let (c, diags) = read(text);
        assert_eq!(c.content_dirs[0], Path::new("/b/content"));
        assert_eq!(c.languages.primary.code, "zh");
        assert_eq!(diags.len(), 1, "{diags:?}");
        assert_eq!(diags[0].location.map(|l| l.line), Some(2));
        assert!(
            diags[0].message.contains("`book.src`"),
            "{}",
            diags[0].message
        );
        assert!(c.notes[0].contains("`book.language` (`languages.primary` is set)"));
    }

    #[test]
    fn an_mdbook_book_without_src_reads_src() {
        let (c, _) = read("[book]\nauthors = [\"A\"]\n");
        assert_eq!(c.content_dirs[0], Path::new("/b/src"));
        assert!(
            c.notes[0].contains("src/ (mdBook's default)"),
            "{}",
            c.notes[0]
        );
        let (c, _) = read("[book]\nauthors = [\"A\"]\n[build]\ncontent-dir = \"c\"\n");
        assert_eq!(c.content_dirs[0], Path::new("/b/c"));
    }

    #[test]
    fn a_diglot_book_has_no_note() {
        let (c, _) = read("[book]\ntitle = \"a | b\"\n");
        assert!(c.notes.is_empty());
    }
}
