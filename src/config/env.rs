//! `DIGLOT_*` environment variables: any key of `book.toml` set from outside the file, as
//! mdBook's `MDBOOK_*` do. `DIGLOT_BOOK__BASE_URL=/guide/` sets `[book] base-url`: the
//! prefix goes, `__` separates tables and keys, `_` stands for `-`. They apply over the
//! file and under the command line's flags.

use std::path::Path;

use super::RawConfig;
use crate::diagnostics::Diagnostic;
use crate::toml_doc;

/// The prefix of the variables read.
pub(crate) const PREFIX: &str = "DIGLOT_";

/// The `DIGLOT_*` variables naming a key (`TABLE__KEY`) of this process, sorted so the
/// outcome does not depend on their order. Others (`DIGLOT_LOG`…) are left to their owners.
pub(super) fn from_process() -> Vec<(String, String)> {
    let mut vars: Vec<(String, String)> = std::env::vars_os()
        .filter_map(|(name, value)| {
            let name = name.into_string().ok()?;
            let value = value.to_string_lossy().into_owned();
            let key = name.strip_prefix(PREFIX)?;
            key.contains("__").then_some((name, value))
        })
        .collect();
    vars.sort();
    vars
}

/// `raw` with every override applied. An override naming no key is a warning (with the
/// closest variable that would); a value of the wrong type an error (`None`).
pub(super) fn apply(
    raw: RawConfig,
    path: &Path,
    overrides: &[(String, String)],
    diags: &mut Vec<Diagnostic>,
) -> Option<RawConfig> {
    if overrides.is_empty() {
        return Some(raw);
    }
    let schema = toml::Value::try_from(RawConfig::default()).ok()?;
    let mut doc = toml::Value::try_from(&raw).ok()?;
    for (name, value) in overrides {
        let keys = key_path(name);
        match known(&schema, &keys) {
            Ok(is_string) => set(&mut doc, &keys, typed(value, is_string)),
            Err(suggestion) => {
                let mut d = Diagnostic::warning(
                    path,
                    None,
                    format!(
                        "the environment variable {name} names no book.toml key (`{}`)",
                        keys.join(".")
                    ),
                );
                d = d.with_hint(match suggestion {
                    Some(s) => format!("did you mean {}?", variable(&s)),
                    None => {
                        "unset it, or name a key as DIGLOT_TABLE__KEY, e.g. DIGLOT_BOOK__BASE_URL"
                            .into()
                    }
                });
                diags.push(d);
            }
        }
    }
    match doc.try_into::<RawConfig>() {
        Ok(raw) => Some(raw),
        Err(e) => {
            let names: Vec<&str> = overrides.iter().map(|(n, _)| n.as_str()).collect();
            diags.push(
                Diagnostic::error(
                    path,
                    None,
                    format!(
                        "invalid value in the environment ({}): {}",
                        names.join(", "),
                        e.message().trim().replace('\n', " ")
                    ),
                )
                .with_hint("write the value as in book.toml: true or false, a number, or an array like [\"a\", \"b\"]; text needs no quotes"),
            );
            None
        }
    }
}

/// `DIGLOT_LANGUAGES__ZH__CONTENT_DIR` → `["languages", "zh", "content-dir"]`.
fn key_path(name: &str) -> Vec<String> {
    let rest = name.strip_prefix(PREFIX).unwrap_or(name);
    rest.split("__")
        .map(|k| k.to_ascii_lowercase().replace('_', "-"))
        .collect()
}

/// The variable that sets the key at `keys`.
fn variable(keys: &[String]) -> String {
    let parts: Vec<String> = keys
        .iter()
        .map(|k| k.to_ascii_uppercase().replace('-', "_"))
        .collect();
    format!("{PREFIX}{}", parts.join("__"))
}

/// Whether `keys` names a key of the schema (`Ok(is a string)`), or the closest that does.
/// `[languages.<code>]` tables take the keys of a language.
fn known(schema: &toml::Value, keys: &[String]) -> Result<bool, Option<Vec<String>>> {
    let language_keys = ["name", "tag", "script", "content-dir"];
    // `[extra]` holds whatever the book's templates read: any key, of any type.
    if keys.len() > 1 && keys[0] == "extra" && keys.iter().all(|k| !k.is_empty()) {
        return Ok(false);
    }
    if let [table, code, key] = keys {
        if table == "languages" && !code.is_empty() && language_keys.contains(&key.as_str()) {
            return Ok(true);
        }
    }
    let mut cur = schema;
    for (i, key) in keys.iter().enumerate() {
        let table = cur.as_table().ok_or(None)?;
        match table.get(key) {
            Some(v) => cur = v,
            None => {
                let names: Vec<String> = table.keys().cloned().collect();
                let best = toml_doc::closest(key, &names).ok_or(None)?;
                let mut s = keys[..i].to_vec();
                s.push(best.to_string());
                return Err(Some(s));
            }
        }
    }
    match cur {
        toml::Value::Table(_) => Err(None),
        v => Ok(v.is_str()),
    }
}

/// The value as TOML would have it: text for a string key, else a TOML value (`true`, `3`,
/// `["a", "b"]`), falling back to text so that a wrong type is reported by the schema.
fn typed(value: &str, is_string: bool) -> toml::Value {
    if !is_string {
        if let Ok(t) = format!("v = {value}").parse::<toml::Table>() {
            if let Some(v) = t.get("v") {
                return v.clone();
            }
        }
    }
    toml::Value::String(value.to_string())
}

fn set(doc: &mut toml::Value, keys: &[String], value: toml::Value) {
    let Some((last, tables)) = keys.split_last() else {
        return;
    };
    let mut cur = doc;
    for key in tables {
        let Some(t) = cur.as_table_mut() else { return };
        cur = t
            .entry(key.clone())
            .or_insert_with(|| toml::Value::Table(toml::Table::new()));
    }
    if let Some(t) = cur.as_table_mut() {
        t.insert(last.clone(), value);
    }
}

#[cfg(test)]
mod tests {
    use crate::config::parse;
    use std::path::Path;

    fn read(
        text: &str,
        vars: &[(&str, &str)],
    ) -> Result<
        (crate::config::Config, Vec<crate::diagnostics::Diagnostic>),
        Vec<crate::diagnostics::Diagnostic>,
    > {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        parse(Path::new("/b"), Path::new("/b/book.toml"), text, &vars)
    }

    #[test]
    fn variables_override_the_file_with_typed_values() {
        let (c, d) = read(
            "[book]\ntitle = \"A | B\"\nbase-url = \"/\"\n[build]\nraw-html = true\n",
            &[
                ("DIGLOT_BOOK__BASE_URL", "/guide/"),
                ("DIGLOT_BOOK__TITLE", "标题 | Title"),
                ("DIGLOT_BUILD__RAW_HTML", "false"),
                ("DIGLOT_BUILD__OUTPUT_DIR", "site"),
                ("DIGLOT_CHECKLISTS__LEAD_INS", "[\"Bring:\"]"),
                ("DIGLOT_LANGUAGES__EN__CONTENT_DIR", "../en"),
            ],
        )
        .expect("valid");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.base_url, "/guide/");
        assert_eq!(c.title, ["标题".to_string(), "Title".to_string()]);
        assert!(!c.raw_html);
        assert_eq!(c.output_dir, Path::new("/b/site"));
        assert_eq!(c.lead_ins, ["Bring:"]);
        assert_eq!(c.content_dirs[1], Path::new("/b/../en"));
    }

    #[test]
    fn a_misspelt_variable_is_a_warning_naming_the_right_one() {
        let (c, d) = read("", &[("DIGLOT_BOOK__BASE_UR", "/x/")]).expect("valid");
        assert_eq!(c.base_url, "/");
        assert_eq!(d.len(), 1);
        assert!(
            d[0].message.contains("DIGLOT_BOOK__BASE_UR"),
            "{}",
            d[0].message
        );
        assert_eq!(
            d[0].hint.as_deref(),
            Some("did you mean DIGLOT_BOOK__BASE_URL?")
        );
    }

    #[test]
    fn a_value_of_the_wrong_type_is_an_error_naming_the_variable() {
        let errs = read("", &[("DIGLOT_BUILD__RAW_HTML", "maybe")]).expect_err("bad bool");
        assert!(errs[0].is_error());
        assert!(
            errs[0].message.contains("DIGLOT_BUILD__RAW_HTML"),
            "{}",
            errs[0].message
        );
    }

    #[test]
    fn extra_values_and_files_are_set_from_the_environment() {
        let (c, d) = read(
            "[extra]\nrepo = \"a\"\n",
            &[
                ("DIGLOT_EXTRA__REPO", "https://example.org/b"),
                ("DIGLOT_EXTRA__STARS", "3"),
                ("DIGLOT_BUILD__EXTRA_CSS", "[\"css/a.css\"]"),
            ],
        )
        .expect("valid");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(
            c.extra.get("repo").and_then(|v| v.as_str()),
            Some("https://example.org/b")
        );
        assert_eq!(c.extra.get("stars").and_then(|v| v.as_integer()), Some(3));
        assert_eq!(c.extra_css[0].rel, "css/a.css");
    }

    #[test]
    fn mdbook_keys_in_the_file_survive_an_override() {
        let (c, d) = read(
            "[book]\nsrc = \"src\"\n",
            &[("DIGLOT_BOOK__DESCRIPTION", "d")],
        )
        .expect("valid");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.content_dirs[0], Path::new("/b/src"));
        assert_eq!(c.description, "d");
    }
}
