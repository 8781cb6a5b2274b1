//! `book.toml`: the book's settings, every key optional.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Location};
use crate::lang::{Languages, Script, Side};
use crate::toml_doc::{self, TomlSource};

pub(crate) use crate::paths::CONFIG_FILE;

mod base_url;
mod book;
mod env;
mod extra;
mod languages;
mod mdbook;

pub(crate) use base_url::base_url_flag;
use book::{book_base_url, book_title, content_dirs, default_view};
pub(crate) use extra::{favicon_type, ExtraFile};
use languages::{language_entries, languages};

/// The lead-ins that make a list a checklist, unless `[checklists] lead-ins` says otherwise.
pub(crate) const DEFAULT_LEAD_INS: [&str; 4] = [
    "您需要提供",
    "您需要确认",
    "You need to provide",
    "You need to confirm",
];

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default, rename_all = "kebab-case")]
struct RawConfig {
    book: RawBook,
    build: RawBuild,
    languages: RawLanguages,
    checklists: RawChecklists,
    /// mdBook's renderers, preprocessors and Rust settings: noted once, not used. Left out
    /// of the schema (`None` is not serialized), so hints name only Diglot's keys.
    #[serde(skip_serializing_if = "Option::is_none")]
    output: Option<toml::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    preprocessor: Option<toml::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    rust: Option<toml::Value>,
    translation: RawTranslation,
    /// The book's own values for its templates, as `extra` (Zola's `[extra]`).
    extra: toml::Table,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(default, rename_all = "kebab-case")]
struct RawTranslation {
    stale: String,
    notices: bool,
    status_page: bool,
}

impl Default for RawTranslation {
    fn default() -> Self {
        RawTranslation {
            stale: "warn".into(),
            notices: true,
            status_page: false,
        }
    }
}

/// What `check` makes of a stale translation (`[translation] stale`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StaleLevel {
    /// Not looked for: the history is not read.
    Off,
    /// A warning, even under `--strict`.
    Warn,
    /// A warning, and an error under `--strict`.
    Error,
}

/// `[translation]` and `[languages] source`: how a living translation is followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Translation {
    /// The language translated from; `None`: each side is measured against the other.
    pub(crate) source: Option<Side>,
    pub(crate) stale: StaleLevel,
    /// A monolingual page of the translation says where a block is behind.
    pub(crate) notices: bool,
    /// Write a translation status page.
    pub(crate) status_page: bool,
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(default, rename_all = "kebab-case")]
struct RawChecklists {
    lead_ins: Vec<String>,
}

impl Default for RawChecklists {
    fn default() -> Self {
        RawChecklists {
            lead_ins: DEFAULT_LEAD_INS.iter().map(|s| s.to_string()).collect(),
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
    /// The site's icon, relative to the book's folder (the theme's when empty).
    favicon: String,
    /// A link to edit each page's source: `{path}` is the file relative to the book.
    edit_url: String,
    /// mdBook's keys of `[book]` (see `mdbook.rs`): `src` and `language` are mapped, the
    /// others noted. Not in the schema, like `RawConfig::output`.
    #[serde(skip_serializing_if = "Option::is_none")]
    src: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    authors: Option<toml::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    multilingual: Option<toml::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text_direction: Option<toml::Value>,
}

impl Default for RawBook {
    fn default() -> Self {
        RawBook {
            title: String::new(),
            description: String::new(),
            base_url: "/".into(),
            default_view: "side-by-side".into(),
            favicon: String::new(),
            edit_url: String::new(),
            src: None,
            language: None,
            authors: None,
            multilingual: None,
            text_direction: None,
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
    /// Stylesheets and scripts of the book, relative to its folder (see `extra.rs`).
    extra_css: Vec<String>,
    extra_js: Vec<String>,
    /// mdBook's keys of `[build]`: `build-dir` is mapped, the others noted.
    #[serde(skip_serializing_if = "Option::is_none")]
    build_dir: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    create_missing: Option<toml::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    use_default_preprocessors: Option<toml::Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    extra_watch_dirs: Option<toml::Value>,
}

impl Default for RawBuild {
    fn default() -> Self {
        RawBuild {
            content_dir: "content".into(),
            output_dir: "public".into(),
            theme: "default".into(),
            raw_html: true,
            extra_css: Vec::new(),
            extra_js: Vec::new(),
            build_dir: None,
            create_missing: None,
            use_default_preprocessors: None,
            extra_watch_dirs: None,
        }
    }
}

#[derive(Debug, Deserialize, Serialize)]
#[serde(default, rename_all = "kebab-case")]
struct RawLanguages {
    primary: String,
    secondary: String,
    /// The language the other is translated from.
    source: Option<String>,
    /// `[languages.<code>]` tables, and any other key (a typo such as `primry`), read as
    /// plain values and checked by [`language_entries`].
    #[serde(flatten)]
    entries: BTreeMap<String, toml::Value>,
}

impl Default for RawLanguages {
    fn default() -> Self {
        RawLanguages {
            primary: "zh".into(),
            secondary: "en".into(),
            source: None,
            entries: BTreeMap::new(),
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
    /// The language's text comes from this gettext PO file, translating the other's.
    po_file: Option<PathBuf>,
}

/// How a page is shown: one language, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub(crate) enum View {
    Only(Side),
    SideBySide,
    Interleaved,
}

impl View {
    /// The name used in `data-view`, `?view=` and `default-view`.
    pub(crate) fn name(self, langs: &Languages) -> String {
        match self {
            View::Only(side) => langs.get(side).code.clone(),
            View::SideBySide => "side-by-side".into(),
            View::Interleaved => "interleaved".into(),
        }
    }

    /// The generic mode the stylesheet keys on, whatever the language codes are.
    pub(crate) fn mode(self) -> &'static str {
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
pub(crate) struct Config {
    /// The folder holding `book.toml`.
    pub root: PathBuf,
    pub(crate) title: [String; 2],
    pub(crate) description: String,
    /// Always starts and ends with `/`; may carry a scheme and host.
    pub base_url: String,
    pub(crate) default_view: View,
    /// Content root of each language; the secondary one equals the primary one unless the
    /// book keeps its translation in a mirrored tree.
    pub content_dirs: [PathBuf; 2],
    pub(crate) output_dir: PathBuf,
    pub(crate) theme: String,
    pub(crate) languages: Languages,
    /// Paragraphs starting with one of these introduce a checklist.
    pub lead_ins: Vec<String>,
    /// Raw HTML in Markdown passes through; `false` shows it as text (untrusted content).
    pub raw_html: bool,
    pub(crate) translation: Translation,
    /// The language whose text comes from a PO file, and the file.
    pub(crate) po: Option<PoSource>,
    /// An mdBook `book.toml`: pages may open with the YAML front matter of mdBook
    /// preprocessors (mdbook-course…), which is skipped rather than refused.
    pub(crate) mdbook: bool,
    /// Pages marked `draft = true` are built too (`--drafts`).
    pub(crate) drafts: bool,
    /// `[build] extra-css`, linked from every page after the theme's stylesheets, in order.
    pub(crate) extra_css: Vec<ExtraFile>,
    /// `[build] extra-js`, loaded by every page after the theme's scripts, in order.
    pub(crate) extra_js: Vec<ExtraFile>,
    /// `[book] favicon`: the book's own icon, copied into the site (the theme's otherwise).
    pub(crate) favicon: Option<ExtraFile>,
    /// `[book] edit-url`: an `http(s)` address holding `{path}`.
    pub(crate) edit_url: Option<String>,
    /// `[extra]`: whatever the book gives its templates.
    pub(crate) extra: toml::Table,
    /// Facts about the settings worth a line (an mdBook `book.toml` read), each a `note: …`.
    pub(crate) notes: Vec<String>,
}

impl Config {
    pub(crate) fn content_dir(&self, side: Side) -> &Path {
        &self.content_dirs[side.index()]
    }

    /// Whether the translation lives in its own tree.
    pub(crate) fn mirrored(&self) -> bool {
        self.content_dirs[0] != self.content_dirs[1]
    }

    /// Content folders that lie outside the book's folder (links resolved). Legitimate for a
    /// translation kept in a mirrored tree, but worth saying: the book reads files from there.
    pub(crate) fn content_dirs_outside(&self) -> Vec<&Path> {
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
    pub(crate) fn base_path(&self) -> &str {
        match self.base_url.find("://") {
            Some(i) => {
                let rest = &self.base_url[i + 3..];
                rest.find('/').map_or("/", |j| &rest[j..])
            }
            None => &self.base_url,
        }
    }
}

/// Reads `root/book.toml`, with the `DIGLOT_*` environment variables applied over it.
/// Returns the config (when usable) and every diagnostic found.
pub(crate) fn load(root: &Path) -> Result<(Config, Vec<Diagnostic>), Vec<Diagnostic>> {
    let path = root.join(CONFIG_FILE);
    let text = crate::text::read_text(&path).map_err(|d| vec![d])?;
    parse(root, &path, &text, &env::from_process())
}

/// Reads a `book.toml` text, then the overrides (`DIGLOT_*` variables, as name and value).
pub(crate) fn parse(
    root: &Path,
    path: &Path,
    text: &str,
    overrides: &[(String, String)],
) -> Result<(Config, Vec<Diagnostic>), Vec<Diagnostic>> {
    let src = TomlSource {
        path,
        text,
        first_line: 1,
        what: "book.toml",
    };
    let (raw, mut diags) = toml_doc::parse::<RawConfig>(&src);
    let Some(mut raw) = raw else {
        return Err(diags);
    };
    let locate = |keys: &[&str]| toml_doc::locate_key(text, keys);
    let notes: Vec<String> = mdbook::map_keys(&mut raw, path, &locate, &mut diags)
        .into_iter()
        .collect();
    let mdbook = !notes.is_empty();
    let Some(raw) = env::apply(raw, path, overrides, &mut diags) else {
        return Err(diags);
    };

    let entries = language_entries(&src, &raw.languages, &mut diags);
    let languages = languages(&raw.languages, &entries, path, &locate, &mut diags);
    let default_view = default_view(
        &raw.book.default_view,
        &languages,
        path,
        &locate,
        &mut diags,
    );
    let po = po_source(root, path, &entries, &languages, &locate, &mut diags);
    let content_dirs = content_dirs(
        root,
        &raw.build.content_dir,
        &entries,
        &languages,
        po.as_ref(),
    );
    let base_url = book_base_url(&raw.book.base_url, path, &locate, &mut diags);
    let title = book_title(root, &raw.book.title, &languages);
    let mut translation = translation(&raw, &languages, path, &locate, &mut diags);
    if let Some(po) = &po {
        if translation.source == Some(po.side) {
            diags.push(
                Diagnostic::error(
                    path,
                    locate(&["languages", "source"]),
                    "the language with a `po-file` is the translation, not the source",
                )
                .with_hint("set `source` to the other language, or remove it"),
            );
        }
        translation.source = Some(po.side.other());
    }
    let [extra_css, extra_js] = [
        ("extra-css", &raw.build.extra_css),
        ("extra-js", &raw.build.extra_js),
    ]
    .map(|(key, entries)| extra::extra_files(root, key, entries, path, text, &mut diags));
    let favicon = extra::favicon(root, &raw.book.favicon, path, text, &mut diags);
    let edit_url = extra::edit_url(&raw.book.edit_url, path, text, &mut diags);

    if diags.iter().any(Diagnostic::is_error) {
        return Err(diags);
    }
    Ok((
        Config {
            root: root.to_path_buf(),
            title,
            description: raw.book.description,
            base_url,
            default_view,
            content_dirs,
            output_dir: root.join(&raw.build.output_dir),
            theme: raw.build.theme,
            languages,
            lead_ins: raw.checklists.lead_ins,
            raw_html: raw.build.raw_html,
            translation,
            po,
            mdbook,
            drafts: false,
            extra_css,
            extra_js,
            favicon,
            edit_url,
            extra: raw.extra,
            notes,
        },
        diags,
    ))
}

/// A language translated with gettext: `[languages.<code>] po-file`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PoSource {
    /// The language the PO file translates into.
    pub(crate) side: Side,
    pub(crate) file: PathBuf,
}

/// The `po-file` of one language, checked: at most one language has one, and not beside a
/// `content-dir` of its own.
fn po_source(
    root: &Path,
    path: &Path,
    entries: &BTreeMap<String, RawLanguage>,
    languages: &Languages,
    locate: &dyn Fn(&[&str]) -> Option<Location>,
    diags: &mut Vec<Diagnostic>,
) -> Option<PoSource> {
    let mut found = None;
    for side in Side::BOTH {
        let code = &languages.get(side).code;
        let Some(entry) = entries.get(code) else {
            continue;
        };
        let Some(file) = &entry.po_file else { continue };
        let at = locate(&["languages", code, "po-file"]);
        if found.is_some() {
            diags.push(
                Diagnostic::error(path, at, "both languages have a `po-file`").with_hint(
                    "one language is the source, in Markdown; the other may come from a PO file",
                ),
            );
            continue;
        }
        if entry.content_dir.is_some() {
            diags.push(
                Diagnostic::error(
                    path,
                    at,
                    format!("`[languages.{code}]` has both `po-file` and `content-dir`"),
                )
                .with_hint("a language's text comes from Markdown (`content-dir`) or from a PO file, not both"),
            );
        }
        if file.is_absolute()
            || file
                .components()
                .any(|c| matches!(c, std::path::Component::ParentDir))
        {
            diags.push(
                Diagnostic::error(
                    path,
                    at,
                    "`po-file` must be a path inside the book's folder",
                )
                .with_hint("write it relative to book.toml, e.g. `po/zh-CN.po`"),
            );
            continue;
        }
        found = Some(PoSource {
            side,
            file: root.join(file),
        });
    }
    found
}

/// `[translation]` and `[languages] source`, checked.
fn translation(
    raw: &RawConfig,
    languages: &Languages,
    path: &Path,
    locate: &dyn Fn(&[&str]) -> Option<Location>,
    diags: &mut Vec<Diagnostic>,
) -> Translation {
    let source = raw.languages.source.as_ref().and_then(|code| {
        let side = languages.side_of_code(code);
        if side.is_none() {
            diags.push(
                Diagnostic::error(
                    path,
                    locate(&["languages", "source"]),
                    format!("`source = \"{}\"` is not one of the book's languages", code.escape_debug()),
                )
                .with_hint(format!(
                    "use `{}` or `{}`, or remove `source` to measure each language against the other",
                    languages.primary.code, languages.secondary.code
                )),
            );
        }
        side
    });
    let stale = match raw.translation.stale.as_str() {
        "warn" => StaleLevel::Warn,
        "error" => StaleLevel::Error,
        "off" => StaleLevel::Off,
        other => {
            diags.push(
                Diagnostic::error(
                    path,
                    locate(&["translation", "stale"]),
                    format!("unknown `stale = \"{}\"`", other.escape_debug()),
                )
                .with_hint("use `warn` (the default), `error` (an error under --strict) or `off`"),
            );
            StaleLevel::Warn
        }
    };
    Translation {
        source,
        stale,
        notices: raw.translation.notices,
        status_page: raw.translation.status_page,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Location;

    fn parse_str(text: &str) -> Result<(Config, Vec<Diagnostic>), Vec<Diagnostic>> {
        parse(Path::new("/book"), Path::new("/book/book.toml"), text, &[])
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
    fn typos_in_languages_are_unknown_keys_with_a_suggestion() {
        let text =
            "[languages]\nprimry = \"zh\"\nsecondary = \"en\"\n[languages.zh]\nnmae = \"中文\"\n";
        let (c, d) = parse_str(text).expect("typos are warnings, not errors");
        assert_eq!(c.languages.primary.code, "zh");
        let shown: Vec<(String, Option<Location>, Option<String>)> = d
            .iter()
            .map(|d| (d.message.clone(), d.location, d.hint.clone()))
            .collect();
        assert_eq!(
            shown,
            vec![
                (
                    "unknown key `languages.primry` in book.toml".to_string(),
                    Some(Location::new(2, 1)),
                    Some("did you mean `languages.primary`?".to_string())
                ),
                (
                    "unknown key `languages.zh.nmae` in book.toml".to_string(),
                    Some(Location::new(5, 1)),
                    Some("did you mean `languages.zh.name`?".to_string())
                ),
            ]
        );
        assert!(d.iter().all(|d| !d.is_error()));
    }

    #[test]
    fn a_language_table_of_the_wrong_type_is_an_error_at_its_key() {
        let text = "[languages.zh]\nname = 3\n";
        let errs = parse_str(text).expect_err("wrong type");
        assert_eq!(errs[0].location, Some(Location::new(1, 12)));
        assert!(
            errs[0].message.contains("[languages.zh]"),
            "{}",
            errs[0].message
        );
        assert_eq!(
            errs[0].hint.as_deref(),
            Some("expected a string: put the value in double quotes")
        );
    }

    #[test]
    fn bad_base_url_is_an_error_at_its_line() {
        let errs =
            parse_str("[book]\ntitle = \"T\"\nbase-url = \"//evil.com/\"\n").expect_err("invalid");
        assert_eq!(errs[0].location, Some(Location::new(3, 1)));
        assert!(
            errs[0].message.contains("another host"),
            "{}",
            errs[0].message
        );
    }

    #[test]
    fn the_extra_table_takes_any_key_and_extra_files_their_order() {
        let text = "[build]\nextra-css = [\"b.css\", \"a.css\"]\nextra-js = [\"x.js\"]\n[extra]\nrepo = \"r\"\n[extra.nested]\nlist = [1, 2]\n";
        let (c, d) = parse_str(text).expect("valid");
        assert!(d.is_empty(), "{d:?}");
        let rels: Vec<&str> = c.extra_css.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(rels, ["b.css", "a.css"]);
        assert_eq!(c.extra_js[0].path, Path::new("/book/x.js"));
        assert_eq!(c.extra["nested"]["list"][1].as_integer(), Some(2));
    }

    /// Dotted names of the keys in `value`, tables left out (`extra` is a table of the user's).
    fn dotted_keys(
        value: &toml::Value,
        prefix: &str,
        out: &mut std::collections::BTreeSet<String>,
    ) {
        let Some(table) = value.as_table() else {
            return;
        };
        for (k, v) in table {
            let name = format!("{prefix}{k}");
            match v {
                toml::Value::Table(_) if k != "extra" => dotted_keys(v, &format!("{name}."), out),
                _ => {
                    out.insert(name);
                }
            }
        }
    }

    #[test]
    fn the_configuration_reference_in_docs_names_every_key() {
        let page = include_str!("../../docs/content/04-reference/01-configuration.en.md");
        let start = page.find("```toml\n").expect("a toml block") + 8;
        let block = &page[start..start + page[start..].find("```").expect("its end")];
        let documented: toml::Value =
            toml::from_str(block).expect("the documented book.toml parses");
        let mut listed = std::collections::BTreeSet::new();
        dotted_keys(&documented, "", &mut listed);

        let schema = toml::Value::try_from(RawConfig::default()).expect("schema");
        let mut known = std::collections::BTreeSet::new();
        dotted_keys(&schema, "", &mut known);
        // Keys whose default is "unset", which the schema leaves out, and one language's table.
        known.insert("languages.source".into());
        for key in ["name", "tag", "script", "content-dir", "po-file"] {
            known.insert(format!("languages.zh.{key}"));
        }
        assert_eq!(
            listed, known,
            "docs/content/04-reference/01-configuration*.md"
        );
        let zh = include_str!("../../docs/content/04-reference/01-configuration.md");
        assert!(
            zh.contains(block),
            "the Chinese page shows another book.toml"
        );
        // `po-file` and `content-dir` are two ways for one language: each is valid alone.
        let one_way: String = block
            .lines()
            .filter(|l| !l.starts_with("po-file"))
            .map(|l| format!("{l}\n"))
            .collect();
        let (_, diags) = parse_str(&one_way).expect("the documented book.toml is valid");
        assert!(diags.is_empty(), "{diags:?}");
    }

    #[test]
    fn bad_default_view_is_an_error_at_its_line() {
        let errs = parse_str("[book]\n\ndefault-view = \"both\"\n").expect_err("invalid view");
        assert_eq!(errs[0].location.map(|l| l.line), Some(3));
    }
}
