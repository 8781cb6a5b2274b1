//! `book.toml`: the book's settings, every key optional.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::diagnostics::{Diagnostic, Location};
use crate::lang::{Language, Languages, Script, Side};
use crate::script::split_bilingual;
use crate::toml_doc::{self, TomlSource};

pub(crate) use crate::paths::CONFIG_FILE;

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

/// Reads `root/book.toml`. Returns the config (when usable) and every diagnostic found.
pub(crate) fn load(root: &Path) -> Result<(Config, Vec<Diagnostic>), Vec<Diagnostic>> {
    let path = root.join(CONFIG_FILE);
    let text = crate::text::read_text(&path).map_err(|d| vec![d])?;
    parse(root, &path, &text)
}

pub(crate) fn parse(
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

    let entries = language_entries(&src, &raw.languages, &mut diags);
    let languages = languages(&raw.languages, &entries, path, &locate, &mut diags);
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
    let secondary_dir = entries
        .get(&languages.secondary.code)
        .and_then(|l| l.content_dir.as_ref())
        .map_or_else(|| content_dir.clone(), |d| root.join(d));
    let primary_dir = entries
        .get(&languages.primary.code)
        .and_then(|l| l.content_dir.as_ref())
        .map_or(content_dir, |d| root.join(d));

    let base_url = parse_base_url(&raw.book.base_url).unwrap_or_else(|why| {
        diags.push(
            Diagnostic::error(
                path,
                locate(&["book", "base-url"]),
                format!(
                    "invalid base-url `{}`: {why}",
                    raw.book.base_url.escape_debug()
                ),
            )
            .with_hint(BASE_URL_HINT),
        );
        "/".into()
    });

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
            base_url,
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

/// The `[languages.<code>]` tables, read with their own unknown keys warned about; any other
/// key in `[languages]` is unknown (a typo of `primary`, say), not a type error.
fn language_entries(
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
            let known = ["primary".to_string(), "secondary".to_string()];
            diags.push(toml_doc::unknown_key_among(src, &keys, &known));
        }
    }
    entries
}

fn languages(
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

/// Checks and normalises a base URL: a path (`docs` → `/docs/`) or an absolute `http(s)`
/// URL (scheme and host lowercased), always ending with `/`. The reason it is refused
/// otherwise: it lands in every page's links and scripts, so it must not point to another
/// host (`//host/`), carry a query or fragment, or hold characters a URL cannot.
pub(crate) fn parse_base_url(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    if s.is_empty() {
        return Ok("/".into());
    }
    if let Some(c) = s.chars().find(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "it contains {}; write spaces as %20",
            if c == ' ' {
                "a space".to_string()
            } else {
                format!("the character {:?}", c)
            }
        ));
    }
    if s.contains(['?', '#']) {
        return Err("a base URL cannot carry a query (`?`) or a fragment (`#`)".into());
    }
    if s.starts_with("//") || s.starts_with("\\") {
        return Err("`//host/` points to another host without a scheme".into());
    }
    let Some((scheme, rest)) = s.split_once("://") else {
        if s.split('/').next().is_some_and(|first| first.contains(':')) {
            return Err("only `http://` and `https://` URLs (or a path) can be a base URL".into());
        }
        return base_path(s);
    };
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(format!(
            "the scheme `{scheme}` cannot serve a site; use `https://` or `http://`"
        ));
    }
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let host = url_authority(authority)?;
    Ok(format!("{scheme}://{host}{}", base_path(path)?))
}

/// `host`, `host:port`, `[v6]` or `[v6]:port`, lowercased; no user name or password.
fn url_authority(authority: &str) -> Result<String, String> {
    if authority.contains('@') {
        return Err("a base URL cannot carry a user name or password (`user@`)".into());
    }
    let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
        let (addr, after) = v6
            .split_once(']')
            .ok_or("the IPv6 address is not closed with `]`")?;
        addr.parse::<std::net::Ipv6Addr>()
            .map_err(|_| format!("`{addr}` is not an IPv6 address"))?;
        let port = match after {
            "" => None,
            p => Some(
                p.strip_prefix(':')
                    .ok_or("only a `:port` may follow the IPv6 address")?,
            ),
        };
        (format!("[{}]", addr.to_ascii_lowercase()), port)
    } else {
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (authority, None),
        };
        let label_ok = |l: &str| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        };
        if host.is_empty() || host.len() > 253 || !host.split('.').all(label_ok) {
            return Err(format!(
                "`{host}` is not a host name (letters, digits, hyphens and dots; write other scripts in punycode)"
            ));
        }
        (host.to_ascii_lowercase(), port)
    };
    let port = match port {
        None => String::new(),
        Some(p) => match p.parse::<u16>() {
            Ok(n) if n > 0 && p.bytes().all(|b| b.is_ascii_digit()) => format!(":{n}"),
            _ => return Err(format!("`{p}` is not a port number")),
        },
    };
    Ok(format!("{host}{port}"))
}

/// A URL path as a base: starts and ends with `/`, no empty, `.` or `..` segment, only
/// characters a URL path holds as they are (or percent-encoded).
fn base_path(path: &str) -> Result<String, String> {
    let bytes = path.as_bytes();
    for (i, c) in path.char_indices() {
        let plain = c.is_ascii_alphanumeric()
            || "-._~!$&+,;=:@/".contains(c)
            || (!c.is_ascii() && c.is_alphanumeric());
        let escape = c == '%'
            && bytes.get(i + 1).is_some_and(u8::is_ascii_hexdigit)
            && bytes.get(i + 2).is_some_and(u8::is_ascii_hexdigit);
        if !plain && !escape {
            return Err(format!(
                "`{}` cannot stand in a URL path; percent-encode it",
                c.escape_debug()
            ));
        }
    }
    let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if segments.iter().any(|s| *s == "." || *s == "..") {
        return Err("a base URL cannot hold `.` or `..` segments".into());
    }
    let mut out = String::from("/");
    for s in segments {
        out.push_str(s);
        out.push('/');
    }
    Ok(out)
}

/// The `--base-url` given on the command line, checked like the one in book.toml.
pub(crate) fn base_url_flag(raw: &str) -> Result<String, Diagnostic> {
    parse_base_url(raw).map_err(|why| {
        Diagnostic::error(
            "--base-url",
            None,
            format!("invalid --base-url `{}`: {why}", raw.escape_debug()),
        )
        .with_hint(BASE_URL_HINT)
    })
}

const BASE_URL_HINT: &str =
    "use a path such as \"/docs/\" or an absolute URL such as \"https://example.org/docs/\"";

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
    fn base_urls_are_paths_or_http_urls_normalised() {
        for (raw, want) in [
            ("", "/"),
            ("/", "/"),
            ("docs", "/docs/"),
            ("/docs", "/docs/"),
            (" /docs//guide ", "/docs/guide/"),
            ("/指南/", "/指南/"),
            ("/a%20b/", "/a%20b/"),
            ("https://Example.ORG", "https://example.org/"),
            (
                "HTTP://example.org:8080/guide",
                "http://example.org:8080/guide/",
            ),
            ("http://[::1]:3000/", "http://[::1]:3000/"),
            ("http://127.0.0.1/x", "http://127.0.0.1/x/"),
        ] {
            assert_eq!(parse_base_url(raw).as_deref(), Ok(want), "{raw:?}");
        }
        for bad in [
            "//evil.com/",
            "/a b/",
            "/x?q=1",
            "/x#frag",
            "http://[::1/",
            "http://[zz::1]/",
            "http://[::1]x/",
            "ftp://example.org/",
            "javascript:alert(1)",
            "https://",
            "https://exa mple.org/",
            "https://user@example.org/",
            "https://example.org:99999/",
            "https://-bad-.org/",
            "/../up/",
            "/a\"b/",
            "/a<b/",
            "/a\\b/",
            "/%zz/",
        ] {
            assert!(parse_base_url(bad).is_err(), "{bad:?} accepted");
        }
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
    fn bad_default_view_is_an_error_at_its_line() {
        let errs = parse_str("[book]\n\ndefault-view = \"both\"\n").expect_err("invalid view");
        assert_eq!(errs[0].location.map(|l| l.line), Some(3));
    }
}
