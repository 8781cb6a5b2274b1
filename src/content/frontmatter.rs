//! TOML front matter between `+++` lines.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Location};
use crate::toml_doc::{self, TomlSource};

/// A title as `"中文 | English"` or as a table keyed by language code.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(untagged)]
pub(crate) enum TitleValue {
    Text(String),
    PerLanguage(BTreeMap<String, String>),
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(default, rename_all = "kebab-case")]
pub(crate) struct FrontMatter {
    pub(crate) title: Option<TitleValue>,
    pub(crate) weight: Option<i64>,
    pub(crate) slug: Option<String>,
    pub(crate) draft: bool,
    pub(crate) description: Option<String>,
}

/// A file split into its front matter and its body.
#[derive(Debug)]
pub struct Split<'a> {
    pub(crate) front_matter: FrontMatter,
    /// The text after the front matter (all of it when there is none).
    pub body: &'a str,
    /// Line of the file on which `body` starts.
    pub body_line: usize,
}

/// Splits and parses the front matter of `text`, read from `path`.
pub fn split<'a>(path: &Path, text: &'a str) -> (Option<Split<'a>>, Vec<Diagnostic>) {
    split_with(path, text, false)
}

/// [`split`]; with `skip_yaml`, YAML front matter is skipped (an mdBook book, whose
/// preprocessors read it) instead of refused.
pub(crate) fn split_with<'a>(
    path: &Path,
    text: &'a str,
    skip_yaml: bool,
) -> (Option<Split<'a>>, Vec<Diagnostic>) {
    let Some(after_open) = text.strip_prefix("+++").filter(|rest| {
        rest.starts_with('\n') || rest.trim_start_matches([' ', '\t']).starts_with('\n')
    }) else {
        if let Some(d) = yaml_front_matter(path, text) {
            if skip_yaml {
                if let Some((body, body_line)) = after_yaml(text) {
                    let split = Split {
                        front_matter: FrontMatter::default(),
                        body,
                        body_line,
                    };
                    return (Some(split), Vec::new());
                }
            }
            return (None, vec![d]);
        }
        return (
            Some(Split {
                front_matter: FrontMatter::default(),
                body: text,
                body_line: 1,
            }),
            Vec::new(),
        );
    };
    let open_end = 3 + after_open.find('\n').map_or(after_open.len(), |i| i + 1);
    let mut offset = open_end;
    let mut close = None;
    for line in text[open_end..].split_inclusive('\n') {
        if line.trim_end() == "+++" {
            close = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((close_start, close_end)) = close else {
        let d = Diagnostic::error(
            path,
            Some(Location::new(1, 1)),
            "front matter opened with `+++` is never closed",
        )
        .with_hint("add a line holding only `+++` after the last front matter key");
        return (None, vec![d]);
    };
    let toml_text = &text[open_end..close_start];
    let src = TomlSource {
        path,
        text: toml_text,
        first_line: 2,
        what: "front matter",
    };
    let (fm, diags) = toml_doc::parse::<FrontMatter>(&src);
    let body_line = text[..close_end].matches('\n').count() + 1;
    let split = fm.map(|front_matter| Split {
        front_matter,
        body: &text[close_end..],
        body_line,
    });
    (split, diags)
}

/// The text after a YAML front matter block, and its first line.
fn after_yaml(text: &str) -> Option<(&str, usize)> {
    let mut offset = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        offset += line.len();
        if i > 0 && line.trim_end() == "---" {
            return Some((&text[offset..], i + 2));
        }
    }
    None
}

/// YAML front matter (`---` lines around `key: value`), as Hugo, Jekyll and most imported
/// books write it, would otherwise be published as a heading and a rule. Diglot reads TOML
/// only: one front-matter language, with exact types and positions in every error.
fn yaml_front_matter(path: &Path, text: &str) -> Option<Diagnostic> {
    let mut lines = text.lines();
    if lines.next()?.trim_end() != "---" {
        return None;
    }
    let mut keys = Vec::new();
    for line in lines {
        if line.trim_end() == "---" {
            break;
        }
        // Nested values, list items, comments and blank lines belong to a key above.
        if line.starts_with([' ', '\t', '-', '#']) || line.trim().is_empty() {
            continue;
        }
        let key = line.split_once(':').map(|(k, _)| k.trim())?;
        if key.is_empty()
            || !key
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-')
        {
            return None;
        }
        keys.push(key.to_string());
    }
    let first = keys.first()?;
    Some(
        Diagnostic::error(
            path,
            Some(Location::new(1, 1)),
            "YAML front matter (`---`) is not supported; Diglot reads TOML front matter between `+++` lines",
        )
        .with_hint(format!(
            "replace both `---` lines with `+++` and write each key as TOML, e.g. `{first} = \"…\"` (strings in quotes, `weight = 3`, `draft = true`)"
        )),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_counts_body_lines() {
        let (s, d) = split(
            Path::new("a.md"),
            "+++\ntitle = \"甲 | A\"\nweight = 2\n+++\n\nBody\n",
        );
        assert!(d.is_empty());
        let s = s.expect("valid");
        assert_eq!(s.front_matter.weight, Some(2));
        assert_eq!(s.body_line, 5);
        assert_eq!(s.body, "\nBody\n");
    }

    #[test]
    fn errors_count_lines_in_the_whole_file() {
        let (s, d) = split(
            Path::new("a.md"),
            "+++\ntitle = \"x\"\nweight = \"heavy\"\n+++\n",
        );
        assert!(s.is_none());
        assert_eq!(d[0].location.map(|l| l.line), Some(3));
        let (_, d) = split(Path::new("a.md"), "+++\ntitle = \"x\"\n");
        assert!(d[0].message.contains("never closed"));
    }

    #[test]
    fn yaml_front_matter_is_an_error_and_a_leading_rule_is_not() {
        let (s, d) = split(
            Path::new("a.md"),
            "---\ntitle: Start\nweight: 3\ntags:\n  - a\n---\n\nBody\n",
        );
        assert!(s.is_none());
        assert!(
            d[0].message.starts_with("YAML front matter"),
            "{}",
            d[0].message
        );
        assert_eq!(d[0].location, Some(Location::new(1, 1)));
        assert!(d[0]
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("`title = ")));
        let (s, d) = split(Path::new("a.md"), "---\n\nSome text. Not: a key\n");
        assert!(d.is_empty() && s.is_some());
    }

    #[test]
    fn no_front_matter_means_defaults() {
        let (s, d) = split(Path::new("a.md"), "# Title\n");
        assert!(d.is_empty());
        assert_eq!(s.map(|s| s.body_line), Some(1));
    }
}
