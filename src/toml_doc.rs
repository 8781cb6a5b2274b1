//! Reading TOML (book.toml and front matter) into typed structs, with every problem
//! reported at its line and column and unknown keys answered with a "did you mean".

use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Serialize;
use toml::de::{DeTable, DeValue};

use crate::diagnostics::{Diagnostic, Location};

/// A TOML text and where it sits in its file (front matter starts below the `+++` line).
pub(crate) struct TomlSource<'a> {
    pub(crate) path: &'a Path,
    pub(crate) text: &'a str,
    /// Line of the file on which `text` begins (1-based).
    pub(crate) first_line: usize,
    /// What the table is called in messages ("book.toml", "front matter").
    pub(crate) what: &'a str,
}

impl TomlSource<'_> {
    fn location(&self, offset: usize) -> Location {
        let loc = Location::of_offset(self.text, offset);
        Location::new(loc.line + self.first_line - 1, loc.col)
    }
}

/// Parses `src` into `T`. Syntax and type errors are errors; unknown keys are warnings.
/// `T::default()` must serialize every known key, so the schema is read off the type itself.
pub(crate) fn parse<T>(src: &TomlSource<'_>) -> (Option<T>, Vec<Diagnostic>)
where
    T: DeserializeOwned + Serialize + Default,
{
    let mut unknown: Vec<Vec<String>> = Vec::new();
    let deserializer = match toml::de::Deserializer::parse(src.text) {
        Ok(d) => d,
        Err(e) => return (None, vec![toml_error(src, &e)]),
    };
    let value: Result<T, _> = serde_ignored::deserialize(deserializer, |path| {
        unknown.push(path_keys(&path));
    });
    match value {
        Ok(v) => {
            let diags = unknown
                .iter()
                .map(|keys| unknown_key(src, keys, &schema_of::<T>()))
                .collect();
            (Some(v), diags)
        }
        Err(e) => (None, vec![toml_error(src, &e)]),
    }
}

/// Reads the table at `keys` of `src`, already parsed into `value`, into `T`: unknown keys
/// are warnings and a wrong type an error, both placed at their key in the file. For tables
/// keyed by names the user picks (`[languages.<code>]`), which serde cannot tell from typos.
pub(crate) fn parse_table<T>(
    src: &TomlSource<'_>,
    keys: &[String],
    value: toml::Value,
) -> (Option<T>, Vec<Diagnostic>)
where
    T: DeserializeOwned + Serialize + Default,
{
    let mut unknown: Vec<Vec<String>> = Vec::new();
    let value: Result<T, _> = serde_ignored::deserialize(value, |path| {
        let mut full = keys.to_vec();
        full.extend(path_keys(&path));
        unknown.push(full);
    });
    let known: Vec<String> = match schema_of::<T>() {
        serde_json::Value::Object(o) => o.keys().cloned().collect(),
        _ => Vec::new(),
    };
    match value {
        Ok(v) => {
            let diags = unknown
                .iter()
                .map(|keys| unknown_key_among(src, keys, &known))
                .collect();
            (Some(v), diags)
        }
        Err(e) => {
            let message = e.message().trim().replace('\n', " ");
            let location = key_span(src.text, keys).map(|offset| src.location(offset));
            let d = Diagnostic::error(
                src.path,
                location,
                format!("invalid `[{}]` in {}: {message}", keys.join("."), src.what),
            )
            .with_hint(type_hint(&message).unwrap_or("fix the values of this table"));
            (None, vec![d])
        }
    }
}

fn toml_error(src: &TomlSource<'_>, e: &toml::de::Error) -> Diagnostic {
    let location = e.span().map(|s| src.location(s.start));
    let message = e.message().trim().replace('\n', " ");
    let hint = type_hint(&message).unwrap_or(
        "fix the TOML at the marked position; strings need quotes, tables need [brackets]",
    );
    Diagnostic::error(
        src.path,
        location,
        format!("invalid {}: {message}", src.what),
    )
    .with_hint(hint)
}

/// What to do about a value of the wrong type (serde's "invalid type: X, expected Y"):
/// the general hint about quotes is wrong for `weight = "3"`.
fn type_hint(message: &str) -> Option<&'static str> {
    let rest = message.strip_prefix("invalid type: ")?;
    let (found, expected) = rest.split_once(", expected ")?;
    let wants_integer = [
        "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "usize", "integer",
    ]
    .iter()
    .any(|t| expected.starts_with(t));
    Some(match () {
        _ if found.starts_with("string") && wants_integer => {
            "expected an integer: remove the quotes (e.g. `weight = 3`)"
        }
        _ if found.starts_with("string") && expected.starts_with("a boolean") => {
            "expected `true` or `false` without quotes"
        }
        _ if wants_integer => "expected a whole number without quotes (e.g. `weight = 3`)",
        _ if expected.contains("string") => "expected a string: put the value in double quotes",
        _ if expected.starts_with("a boolean") => "expected `true` or `false`",
        _ => return None,
    })
}

fn path_keys(path: &serde_ignored::Path<'_>) -> Vec<String> {
    let mut keys = Vec::new();
    let mut cur = path;
    loop {
        match cur {
            serde_ignored::Path::Root => break,
            serde_ignored::Path::Map { parent, key } => {
                keys.push(key.clone());
                cur = parent;
            }
            serde_ignored::Path::Seq { parent, index } => {
                keys.push(index.to_string());
                cur = parent;
            }
            serde_ignored::Path::Some { parent }
            | serde_ignored::Path::NewtypeStruct { parent }
            | serde_ignored::Path::NewtypeVariant { parent } => cur = parent,
        }
    }
    keys.reverse();
    keys
}

fn schema_of<T: Serialize + Default>() -> serde_json::Value {
    serde_json::to_value(T::default()).unwrap_or(serde_json::Value::Null)
}

fn unknown_key(src: &TomlSource<'_>, keys: &[String], schema: &serde_json::Value) -> Diagnostic {
    let parent = &keys[..keys.len().saturating_sub(1)];
    unknown_key_among(src, keys, &known_keys_at(schema, parent))
}

/// A warning for the unknown key named by `keys`, suggesting the closest of `known` (the
/// keys allowed beside it).
pub(crate) fn unknown_key_among(
    src: &TomlSource<'_>,
    keys: &[String],
    known: &[String],
) -> Diagnostic {
    let dotted = keys.join(".");
    let location = key_span(src.text, keys).map(|offset| src.location(offset));
    let (parent, last) = keys.split_at(keys.len().saturating_sub(1));
    let mut d = Diagnostic::warning(
        src.path,
        location,
        format!("unknown key `{dotted}` in {}", src.what),
    );
    let name = last.first().map(String::as_str).unwrap_or("");
    if let Some(best) = closest(name, known) {
        let mut suggestion = parent.to_vec();
        suggestion.push(best.to_string());
        d = d.with_hint(format!("did you mean `{}`?", suggestion.join(".")));
    } else if !known.is_empty() {
        d = d.with_hint(format!("known keys here: {}", known.join(", ")));
    }
    d
}

/// Keys allowed at `path` in the schema. Inside a map keyed by user names (such as
/// `[languages.<code>]`) any entry's keys describe them all.
fn known_keys_at(schema: &serde_json::Value, path: &[String]) -> Vec<String> {
    let mut cur = schema;
    for key in path {
        let Some(obj) = cur.as_object() else {
            return Vec::new();
        };
        cur = match obj.get(key) {
            Some(v) => v,
            None => match obj.values().find(|v| v.is_object()) {
                Some(v) => v,
                None => return Vec::new(),
            },
        };
    }
    cur.as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

/// Where the key named by `keys` stands in a TOML text, for errors found after parsing.
pub(crate) fn locate_key(text: &str, keys: &[&str]) -> Option<Location> {
    let keys: Vec<String> = keys.iter().map(|k| k.to_string()).collect();
    key_span(text, &keys).map(|offset| Location::of_offset(text, offset))
}

/// Where `key` stands in the `+++` front matter of a page's whole `text`, for errors found
/// after the page was loaded (lines count in the whole file).
pub(crate) fn locate_front_matter_key(text: &str, key: &str) -> Option<Location> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let rest = text.strip_prefix("+++")?;
    let body = &rest[rest.find('\n')? + 1..];
    let end = body
        .split_inclusive('\n')
        .scan(0, |offset, line| {
            let start = *offset;
            *offset += line.len();
            Some((start, line))
        })
        .find(|(_, line)| line.trim_end() == "+++")
        .map_or(body.len(), |(start, _)| start);
    let loc = locate_key(&body[..end], &[key])?;
    Some(Location::new(loc.line + 1, loc.col))
}

/// Byte offset of the key named by `keys` in the document, found through the parser's spans.
fn key_span(text: &str, keys: &[String]) -> Option<usize> {
    let table = DeTable::parse(text).ok()?;
    let mut cur: &DeTable<'_> = table.get_ref();
    let mut offset = None;
    for key in keys {
        let (k, v) = cur.get_key_value(key.as_str())?;
        offset = Some(k.span().start);
        match v.get_ref() {
            DeValue::Table(t) => cur = t,
            _ => break,
        }
    }
    offset
}

/// The known name closest to `name`, if it is close enough to be a likely typo.
pub(crate) fn closest<'a>(name: &str, known: &'a [String]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (edit_distance(name, k), k))
        .filter(|(d, k)| *d <= 2.max(k.chars().count() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| k.as_str())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != *cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_errors_say_what_type_is_wanted() {
        let hint = |m| type_hint(m);
        assert_eq!(
            hint("invalid type: string \"3\", expected i64"),
            Some("expected an integer: remove the quotes (e.g. `weight = 3`)")
        );
        assert_eq!(
            hint("invalid type: string \"yes\", expected a boolean"),
            Some("expected `true` or `false` without quotes")
        );
        assert_eq!(
            hint("invalid type: integer `3`, expected a string"),
            Some("expected a string: put the value in double quotes")
        );
        assert_eq!(hint("invalid basic string"), None);
    }

    #[derive(serde::Deserialize, Serialize, Default)]
    #[serde(default, rename_all = "kebab-case")]
    struct Doc {
        book: Inner,
    }
    #[derive(serde::Deserialize, Serialize, Default)]
    #[serde(default, rename_all = "kebab-case")]
    struct Inner {
        title: String,
        base_url: String,
    }

    fn src(text: &str) -> TomlSource<'_> {
        TomlSource {
            path: Path::new("book.toml"),
            text,
            first_line: 1,
            what: "book.toml",
        }
    }

    #[test]
    fn unknown_key_is_located_and_suggested() {
        let (doc, diags) = parse::<Doc>(&src("[book]\ntitle = \"x\"\nbase-ur = \"/\"\n"));
        assert_eq!(doc.map(|d| d.book.title), Some("x".to_string()));
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].location, Some(Location::new(3, 1)));
        assert_eq!(
            diags[0].hint.as_deref(),
            Some("did you mean `book.base-url`?")
        );
    }

    #[test]
    fn front_matter_keys_are_located_in_the_whole_file() {
        let text = "+++\ntitle = \"x\"\n  slug = \"a b\"\n+++\n\nslug = \"body\"\n";
        assert_eq!(
            locate_front_matter_key(text, "slug"),
            Some(Location::new(3, 3))
        );
        assert_eq!(locate_front_matter_key("no front matter", "slug"), None);
    }

    #[test]
    fn type_error_points_at_value_line() {
        let text = "\n[book]\ntitle = 5\n";
        let source = TomlSource {
            first_line: 2,
            ..src(text)
        };
        let (doc, diags) = parse::<Doc>(&source);
        assert!(doc.is_none());
        assert_eq!(diags[0].location.map(|l| l.line), Some(4));
        assert!(diags[0].is_error());
    }
}
