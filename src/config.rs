//! `book.toml`: the book's settings, every key optional.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::bilingual::script::split_bilingual;
use crate::diagnostics::{Diagnostic, Location};
use crate::lang::{Language, Languages, Script, Side};
use crate::toml_doc::{self, TomlSource};

pub const CONFIG_FILE: &str = "book.toml";

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "kebab-case")]
struct RawConfig {
    book: RawBook,
    build: RawBuild,
    languages: RawLanguages,
    checklists: RawChecklists,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(default, rename_all = "kebab-case")]
struct RawChecklists {
    lead_ins: Vec<String>,
}

impl Default for RawChecklists {
    fn default() -> Self {
        RawChecklists {
            lead_ins: crate::checklist::DEFAULT_LEAD_INS
                .iter()
                .map(|s| s.to_string())
                .collect(),
        }
    }
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(default, rename_all = "kebab-case")]
struct RawBook {
    title: String,
    description: String,
    base_url: String,
    default_view: String,
}

impl Default for RawBook {
    fn default() -> Self {
        RawBook {
            title: String::new(),
            description: String::new(),
            base_url: "/".into(),
            default_view: "side-by-side".into(),
        }
    }
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(default, rename_all = "kebab-case")]
struct RawBuild {
    content_dir: PathBuf,
    output_dir: PathBuf,
    theme: String,
    raw_html: bool,
}

impl Default for RawBuild {
    fn default() -> Self {
        RawBuild {
            content_dir: "content".into(),
            output_dir: "public".into(),
            theme: "default".into(),
            raw_html: true,
        }
    }
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(default, rename_all = "kebab-case")]
struct RawLanguages {
    primary: String,
    secondary: String,
    #[serde(flatten)]
    entries: BTreeMap<String, RawLanguage>,
}

impl Default for RawLanguages {
    fn default() -> Self {
        RawLanguages {
            primary: "zh".into(),
            secondary: "en".into(),
            // One entry so the schema used for "did you mean" knows a language's keys.
            entries: BTreeMap::from([("zh".to_string(), RawLanguage::default())]),
        }
    }
}

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "kebab-case")]
struct RawLanguage {
    name: Option<String>,
    tag: Option<String>,
    script: Option<Script>,
    content_dir: Option<PathBuf>,
}

/// How a page is shown: one language, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum View {
    Only(Side),
    SideBySide,
    Interleaved,
}

impl View {
    /// The name used in `data-view`, `?view=` and `default-view`.
    pub fn name(self, langs: &Languages) -> String {
        match self {
            View::Only(side) => langs.get(side).code.clone(),
            View::SideBySide => "side-by-side".into(),
            View::Interleaved => "interleaved".into(),
        }
    }

    /// The generic mode the stylesheet keys on, whatever the language codes are.
    pub fn mode(self) -> &'static str {
        match self {
            View::Only(Side::Primary) => "primary",
            View::Only(Side::Secondary) => "secondary",
            View::SideBySide => "side-by-side",
            View::Interleaved => "interleaved",
        }
    }

    fn parse(name: &str, langs: &Languages) -> Option<View> {
        match name {
            "side-by-side" => Some(View::SideBySide),
            "interleaved" => Some(View::Interleaved),
            code => langs.side_of_code(code).map(View::Only),
        }
    }
}

/// The validated configuration of one book.
#[derive(Debug, Clone)]
pub struct Config {
    /// The folder holding `book.toml`.
    pub root: PathBuf,
    pub title: [String; 2],
    pub description: String,
    /// Always starts and ends with `/`; may carry a scheme and host.
    pub base_url: String,
    pub default_view: View,
    /// Content root of each language; the secondary one equals the primary one unless the
    /// book keeps its translation in a mirrored tree.
    pub content_dirs: [PathBuf; 2],
    pub output_dir: PathBuf,
    pub theme: String,
    pub languages: Languages,
    /// Paragraphs starting with one of these introduce a checklist.
    pub lead_ins: Vec<String>,
    /// Raw HTML in Markdown passes through; `false` shows it as text (untrusted content).
    pub raw_html: bool,
}

impl Config {
    pub fn content_dir(&self, side: Side) -> &Path {
        &self.content_dirs[side.index()]
    }

    /// Whether the translation lives in its own tree.
    pub fn mirrored(&self) -> bool {
        self.content_dirs[0] != self.content_dirs[1]
    }

    /// Content folders that lie outside the book's folder (links resolved). Legitimate for a
    /// translation kept in a mirrored tree, but worth saying: the book reads files from there.
    pub fn content_dirs_outside(&self) -> Vec<&Path> {
        let Ok(root) = self.root.canonicalize() else {
            return Vec::new();
        };
        let mut out: Vec<&Path> = Vec::new();
        for dir in &self.content_dirs {
            let outside = dir.canonicalize().is_ok_and(|d| !d.starts_with(&root));
            if outside && !out.contains(&dir.as_path()) {
                out.push(dir);
            }
        }
        out
    }

    /// The base URL's path part (`/guide/`), for links that must be absolute.
    pub fn base_path(&self) -> &str {
        match self.base_url.find("://") {
            Some(i) => {
                let rest = &self.base_url[i + 3..];
                rest.find('/').map_or("/", |j| &rest[j..])
            }
            None => &self.base_url,
        }
    }
}

/// Reads `root/book.toml`. Returns the config (when usable) and every diagnostic found.
pub fn load(root: &Path) -> Result<(Config, Vec<Diagnostic>), Vec<Diagnostic>> {
    let path = root.join(CONFIG_FILE);
    let text = crate::content::read_text(&path).map_err(|d| vec![d])?;
    parse(root, &path, &text)
}

pub fn parse(
    root: &Path,
    path: &Path,
    text: &str,
) -> Result<(Config, Vec<Diagnostic>), Vec<Diagnostic>> {
    let src = TomlSource {
        path,
        text,
        first_line: 1,
        what: "book.toml",
    };
    let (raw, mut diags) = toml_doc::parse::<RawConfig>(&src);
    let Some(raw) = raw else { return Err(diags) };
    let locate = |keys: &[&str]| toml_doc::locate_key(text, keys);

    let languages = languages(&raw.languages, path, &locate, &mut diags);
    let default_view = View::parse(&raw.book.default_view, &languages).unwrap_or_else(|| {
        diags.push(
            Diagnostic::error(
                path,
                locate(&["book", "default-view"]),
                format!("unknown default-view `{}`", raw.book.default_view),
            )
            .with_hint(format!(
                "use one of `{}`, `{}`, `side-by-side`, `interleaved`",
                languages.primary.code, languages.secondary.code
            )),
        );
        View::SideBySide
    });

    let content_dir = root.join(&raw.build.content_dir);
    let secondary_dir = raw
        .languages
        .entries
        .get(&languages.secondary.code)
        .and_then(|l| l.content_dir.as_ref())
        .map_or_else(|| content_dir.clone(), |d| root.join(d));
    let primary_dir = raw
        .languages
        .entries
        .get(&languages.primary.code)
        .and_then(|l| l.content_dir.as_ref())
        .map_or(content_dir, |d| root.join(d));

    let title = if raw.book.title.trim().is_empty() {
        let name = root
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "Book".into());
        [name.clone(), name]
    } else {
        split_bilingual(&raw.book.title, &languages)
            .unwrap_or_else(|| [raw.book.title.clone(), raw.book.title.clone()])
    };

    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    Ok((
        Config {
            root: root.to_path_buf(),
            title,
            description: raw.book.description,
            base_url: normalize_base_url(&raw.book.base_url),
            default_view,
            content_dirs: [primary_dir, secondary_dir],
            output_dir: root.join(&raw.build.output_dir),
            theme: raw.build.theme,
            languages,
            lead_ins: raw.checklists.lead_ins,
            raw_html: raw.build.raw_html,
        },
        diags,
    ))
}

fn languages(
    raw: &RawLanguages,
    path: &Path,
    locate: &dyn Fn(&[&str]) -> Option<Location>,
    diags: &mut Vec<Diagnostic>,
) -> Languages {
    let build = |code: &str| {
        let mut lang = Language::with_defaults(code);
        if let Some(entry) = raw.entries.get(code) {
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
    for code in raw.entries.keys() {
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

pub fn normalize_base_url(raw: &str) -> String {
    let trimmed = raw.trim();
    let mut url = if trimmed.is_empty() {
        "/".to_string()
    } else {
        trimmed.to_string()
    };
    if !url.contains("://") && !url.starts_with('/') {
        url.insert(0, '/');
    }
    if !url.ends_with('/') {
        url.push('/');
    }
    url
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> Result<(Config, Vec<Diagnostic>), Vec<Diagnostic>> {
        parse(Path::new("/book"), Path::new("/book/book.toml"), text)
    }

    #[test]
    fn defaults_apply_to_an_empty_file() {
        let (c, d) = parse_str("").expect("empty config is valid");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.languages.primary.tag, "zh-CN");
        assert_eq!(c.default_view, View::SideBySide);
        assert_eq!(c.base_url, "/");
        assert_eq!(c.output_dir, Path::new("/book/public"));
    }

    #[test]
    fn title_splits_into_languages_and_base_url_is_normalised() {
        let (c, _) =
            parse_str("[book]\ntitle = \"指南 | Guide\"\nbase-url = \"guide\"\n").expect("valid");
        assert_eq!(c.title, ["指南".to_string(), "Guide".to_string()]);
        assert_eq!(c.base_url, "/guide/");
    }

    #[test]
    fn another_pair_and_a_mirrored_tree() {
        let text = "[languages]\nprimary = \"en\"\nsecondary = \"ja\"\n[languages.ja]\ncontent-dir = \"../ja/src\"\n";
        let (c, d) = parse_str(text).expect("valid");
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(c.languages.secondary.name, "日本語");
        assert!(c.mirrored());
        assert_eq!(c.content_dir(Side::Secondary), Path::new("/book/../ja/src"));
    }

    #[test]
    fn bad_default_view_is_an_error_at_its_line() {
        let errs = parse_str("[book]\n\ndefault-view = \"both\"\n").expect_err("invalid view");
        assert_eq!(errs[0].location.map(|l| l.line), Some(3));
    }
}
