//! The theme: Tera templates, static files and interface strings, embedded in the binary,
//! which a book can override file by file (strings key by key) under `themes/<name>/`.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use include_dir::{include_dir, Dir};
use tera::Tera;
use walkdir::WalkDir;

use crate::config::{Config, ExtraFile};
use crate::diagnostics::Diagnostic;
use crate::lang::Language;

static DEFAULT_THEME: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

pub(crate) struct Theme {
    pub(crate) tera: Tera,
    /// Files copied to `static/` in the output, by path relative to it.
    pub(crate) statics: Vec<(String, Vec<u8>)>,
    /// Where each template comes from: the book's file, or the built-in theme.
    sources: HashMap<String, PathBuf>,
    /// Interface strings by the name of their file (`i18n/en.toml` → `en`), lowercase.
    translations: BTreeMap<String, Strings>,
    /// The book's `extra-css` and `extra-js` files, by their path in the site.
    pub(crate) extra_files: Vec<(String, Vec<u8>)>,
    /// The URLs of `extra-css` and `extra-js`, relative to the site's root, for templates.
    pub(crate) extra_css: Vec<String>,
    pub(crate) extra_js: Vec<String>,
}

/// Interface strings of one language, by key (`search` → `Search`).
pub(crate) type Strings = BTreeMap<String, String>;

/// The translation every language falls back to, whole or key by key.
const FALLBACK_LANGUAGE: &str = "en";

impl Theme {
    /// The interface strings for `lang`, from the first translation file named by its tag,
    /// its code, or their shorter forms (`zh-hant-tw`, `zh-hant`, `zh`); a language without
    /// one, and every key a translation leaves out, reads English.
    pub(crate) fn interface_strings(&self, lang: &Language) -> Strings {
        let mut strings = self
            .translations
            .get(FALLBACK_LANGUAGE)
            .cloned()
            .unwrap_or_default();
        let found = [&lang.tag, &lang.code]
            .into_iter()
            .flat_map(|name| {
                let name = name.to_lowercase();
                let parts: Vec<String> = name.split('-').map(str::to_string).collect();
                (1..=parts.len()).rev().map(move |n| parts[..n].join("-"))
            })
            .find_map(|name| self.translations.get(&name));
        if let Some(own) = found {
            strings.extend(own.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        strings
    }

    /// Renders `template` with `ctx`.
    pub(crate) fn render(&self, template: &str, ctx: &tera::Context) -> Result<String, Diagnostic> {
        self.tera
            .render(template, ctx)
            .map_err(|e| self.render_error(template, &e, None))
    }

    /// Renders `template` with `ctx` into `out`, for page `page` (its source file).
    pub(crate) fn render_page(
        &self,
        template: &str,
        ctx: &tera::Context,
        page: &Path,
        out: &mut Vec<u8>,
    ) -> Result<(), Diagnostic> {
        self.tera
            .render_to(template, ctx, out)
            .map_err(|e| self.render_error(template, &e, Some(page)))
    }

    /// Where template `name` comes from: the book's own file, or the built-in theme's.
    pub(crate) fn source_of(&self, name: &str) -> PathBuf {
        self.sources
            .get(name)
            .cloned()
            .unwrap_or_else(|| Path::new(BUILT_IN).join("templates").join(name))
    }

    /// What went wrong rendering `template`: placed at the page being rendered when there is
    /// one (the same template usually fails for every page, and the error is merged), else at
    /// the template's own file; the hint names the file of the template that failed, which
    /// may be one that `template` includes or extends.
    fn render_error(&self, template: &str, e: &tera::Error, page: Option<&Path>) -> Diagnostic {
        let chain = error_chain(e);
        let failing = innermost_template(&chain, &self.sources).unwrap_or(template);
        let source = crate::diagnostics::shown(&self.source_of(failing));
        match page {
            Some(page) => Diagnostic::error(
                page,
                None,
                format!("template `{template}` failed while rendering this page: {chain}"),
            )
            .with_hint(format!(
                "fix the template ({source}) or the value it expects; the previous site is left untouched"
            )),
            None => Diagnostic::error(
                self.source_of(failing),
                None,
                format!("template `{template}` failed: {chain}"),
            )
            .with_hint("fix the template; the previous site is left untouched"),
        }
    }
}

/// What the built-in theme's files are called in messages.
const BUILT_IN: &str = "(built-in theme)";

/// The last template Tera's message names (`while rendering 'partial.html'`): the one the
/// error happened in.
fn innermost_template<'a>(chain: &str, known: &'a HashMap<String, PathBuf>) -> Option<&'a str> {
    chain
        .split('\'')
        .skip(1)
        .step_by(2)
        .filter_map(|name| known.get_key_value(name).map(|(k, _)| k.as_str()))
        .last()
}

/// The embedded default theme's files, for `diglot init` and for reading.
pub(crate) fn default_files() -> impl Iterator<Item = (&'static Path, &'static [u8])> {
    fn walk<'a>(dir: &'a Dir<'a>, out: &mut Vec<(&'a Path, &'a [u8])>) {
        for f in dir.files() {
            out.push((f.path(), f.contents()));
        }
        for d in dir.dirs() {
            walk(d, out);
        }
    }
    let mut out = Vec::new();
    walk(&DEFAULT_THEME, &mut out);
    out.into_iter()
}

pub(crate) fn load(config: &Config) -> Result<Theme, Vec<Diagnostic>> {
    let mut templates: Vec<(String, String, PathBuf)> = Vec::new();
    let mut statics: Vec<(String, Vec<u8>)> = Vec::new();
    let mut translations: BTreeMap<String, Strings> = BTreeMap::new();
    for (path, bytes) in default_files() {
        let rel = path.to_string_lossy().replace('\\', "/");
        if let Some(name) = translation_name(&rel) {
            let text = String::from_utf8_lossy(bytes);
            let strings = read_translation(&Path::new(BUILT_IN).join(&rel), &text)?;
            translations.insert(name, strings);
        } else if let Some(name) = rel.strip_prefix("templates/") {
            let text = String::from_utf8_lossy(bytes).into_owned();
            templates.push((name.to_string(), text, PathBuf::from(BUILT_IN).join(&rel)));
        } else if let Some(name) = rel.strip_prefix("static/") {
            statics.push((name.to_string(), bytes.to_vec()));
        }
    }
    let dir = theme_dir(config)?;
    if let Some(dir) = &dir {
        overlay(dir, &mut templates, &mut statics, &mut translations)?;
    }
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    // Tera's default also escapes `/`, which bloats every URL; these five are what HTML needs.
    tera.set_escape_fn(crate::escape::escape_attr);
    // A theme may come with a pull request: it must not read the builder's environment
    // (CI secrets). Tera registers `get_env` itself; this replaces it with a refusal.
    tera.register_function("get_env", refuse_get_env);
    let raw: Vec<(&str, &str)> = templates
        .iter()
        .map(|(n, t, _)| (n.as_str(), t.as_str()))
        .collect();
    if let Err(e) = tera.add_raw_templates(raw) {
        let name = template_named_in(&e);
        let path = templates
            .iter()
            .find(|(n, _, _)| Some(n.as_str()) == name.as_deref())
            .map(|(_, _, p)| p.clone())
            .unwrap_or_else(|| {
                dir.as_deref()
                    .unwrap_or(Path::new(BUILT_IN))
                    .join("templates")
            });
        let chain = error_chain(&e);
        return Err(vec![Diagnostic::error(
            path,
            parse_position(&chain),
            format!(
                "template error: {}{}",
                chain.lines().next().unwrap_or("").trim(),
                chain
                    .lines()
                    .find_map(|l| l.trim().strip_prefix("= "))
                    .map(|why| format!(": {why}"))
                    .unwrap_or_default()
            ),
        )
        .with_hint(
            "fix the template syntax; see the Tera documentation for tags and filters",
        )]);
    }
    statics.sort_by(|a, b| a.0.cmp(&b.0));
    let sources = templates.into_iter().map(|(n, _, p)| (n, p)).collect();
    let extra_files = read_extra_files(config)?;
    let url = |f: &ExtraFile| site_url(&f.rel);
    Ok(Theme {
        tera,
        statics,
        sources,
        translations,
        extra_files,
        extra_css: config.extra_css.iter().map(url).collect(),
        extra_js: config.extra_js.iter().map(url).collect(),
    })
}

/// The contents of `extra-css` and `extra-js`, each by its path in the site. A file that is
/// missing, is a link leading out of the book or lies in the output folder is an error at
/// its entry in book.toml.
fn read_extra_files(config: &Config) -> Result<Vec<(String, Vec<u8>)>, Vec<Diagnostic>> {
    let book_toml = config.root.join(crate::config::CONFIG_FILE);
    let root = config.root.canonicalize().ok();
    let output = config.output_dir.canonicalize().ok();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut errors = Vec::new();
    for file in config
        .extra_css
        .iter()
        .chain(&config.extra_js)
        .chain(&config.favicon)
    {
        let refuse = |why: String, hint: &str| {
            Diagnostic::error(&book_toml, file.location, why).with_hint(hint.to_string())
        };
        let real = file.path.canonicalize().ok();
        let problem = match (&real, &root) {
            (None, _) => Some(refuse(
                format!(
                    "extra file `{}` not found at {}",
                    file.rel,
                    file.path.display()
                ),
                "create the file, or fix the path (relative to the folder holding book.toml)",
            )),
            (Some(real), Some(root)) if !real.starts_with(root) => Some(refuse(
                format!(
                    "extra file `{}` is a link leading outside the book",
                    file.rel
                ),
                "copy the file into the book instead of linking to it",
            )),
            (Some(real), _) if output.as_ref().is_some_and(|o| real.starts_with(o)) => {
                Some(refuse(
                    format!(
                        "extra file `{}` lies in the output folder, which every build replaces",
                        file.rel
                    ),
                    "keep the file in the book's own folders, e.g. css/ or themes/",
                ))
            }
            (Some(real), _) if !real.is_file() => Some(refuse(
                format!("extra file `{}` is not a file", file.rel),
                "name a file, not a folder",
            )),
            _ => None,
        };
        if let Some(d) = problem {
            errors.push(d);
            continue;
        }
        if files.iter().any(|(rel, _)| *rel == file.rel) {
            continue;
        }
        match std::fs::read(&file.path) {
            Ok(bytes) => files.push((file.rel.clone(), bytes)),
            Err(e) => errors.push(refuse(
                format!("cannot read extra file `{}`: {e}", file.rel),
                "check the file's permissions",
            )),
        }
    }
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

/// A site path as a URL path: each folder and file name percent-encoded.
pub(crate) fn site_url(rel: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    rel.split('/')
        .map(|part| percent_encoding::utf8_percent_encode(part, SEGMENT).to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// The language a theme file translates the interface into: `i18n/<name>.toml`.
fn translation_name(rel: &str) -> Option<String> {
    let name = rel.strip_prefix("i18n/")?.strip_suffix(".toml")?;
    (!name.is_empty() && !name.contains('/')).then(|| name.to_lowercase())
}

/// A translation file: a table of strings, each a key of the interface.
fn read_translation(path: &Path, text: &str) -> Result<Strings, Vec<Diagnostic>> {
    let source = crate::toml_doc::TomlSource {
        path,
        text,
        first_line: 1,
        what: "translation file",
    };
    match crate::toml_doc::parse::<Strings>(&source) {
        (Some(strings), _) => Ok(strings),
        (None, diags) => Err(diags),
    }
}

/// The folder of the book's theme, `themes/<name>/`, or `None` for the embedded default.
/// The name is one folder name, and the folder (links resolved) lies inside the book's
/// `themes/`: a theme is never read from elsewhere on the machine.
fn theme_dir(config: &Config) -> Result<Option<PathBuf>, Vec<Diagnostic>> {
    let name = config.theme.as_str();
    let book_toml = config.root.join(crate::config::CONFIG_FILE);
    let locate = || {
        std::fs::read_to_string(&book_toml)
            .ok()
            .and_then(|t| crate::toml_doc::locate_key(&t, &["build", "theme"]))
    };
    let refuse = |why: String, hint: &str| {
        Err(vec![
            Diagnostic::error(&book_toml, locate(), why).with_hint(hint.to_string())
        ])
    };
    if !is_theme_name(name) {
        return refuse(
            format!("invalid theme name `{}`", name.escape_debug()),
            "a theme is a folder name inside the book's `themes/` folder, such as `theme = \"mine\"` for themes/mine/",
        );
    }
    let themes = config.root.join("themes");
    let dir = themes.join(name);
    if !dir.is_dir() {
        if name == "default" {
            return Ok(None);
        }
        return refuse(
            format!("theme `{name}` not found at {}", dir.display()),
            "create the folder with templates/ and static/ overrides, or set `theme = \"default\"`",
        );
    }
    let inside = match (dir.canonicalize(), config.root.canonicalize()) {
        (Ok(d), Ok(root)) => d.starts_with(root.join("themes")),
        _ => false,
    };
    if !inside {
        return refuse(
            format!(
                "theme `{name}` at {} is a link leading outside the book's themes/ folder",
                dir.display()
            ),
            "copy the theme into themes/ instead of linking to it",
        );
    }
    Ok(Some(dir))
}

/// Whether `name` can name a theme: one folder name (letters, digits, `-`, `_`, `.`), not
/// hidden, so that `themes/<name>/` stays inside `themes/`.
pub(crate) fn is_theme_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

fn refuse_get_env(_: &std::collections::HashMap<String, tera::Value>) -> tera::Result<tera::Value> {
    Err(tera::Error::msg(
        "`get_env` is not available in Diglot themes: templates cannot read environment variables",
    ))
}

fn overlay(
    dir: &Path,
    templates: &mut Vec<(String, String, PathBuf)>,
    statics: &mut Vec<(String, Vec<u8>)>,
    translations: &mut BTreeMap<String, Strings>,
) -> Result<(), Vec<Diagnostic>> {
    for entry in WalkDir::new(dir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .flatten()
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(rel) = entry.path().strip_prefix(dir) else {
            continue;
        };
        let rel = rel.to_string_lossy().replace('\\', "/");
        if rel.split('/').any(crate::paths::is_ignored_name) {
            continue;
        }
        let bytes = std::fs::read(entry.path()).map_err(|e| {
            vec![Diagnostic::error(
                entry.path(),
                None,
                format!("cannot read theme file: {e}"),
            )]
        })?;
        if let Some(name) = translation_name(&rel) {
            let text = String::from_utf8(bytes).map_err(|_| {
                vec![
                    Diagnostic::error(entry.path(), None, "translation file is not valid UTF-8")
                        .with_hint("save it as UTF-8"),
                ]
            })?;
            // Key by key over the built-in translation: a book changes only what it names.
            let strings = read_translation(entry.path(), &text)?;
            translations.entry(name).or_default().extend(strings);
        } else if let Some(name) = rel.strip_prefix("templates/") {
            let text = String::from_utf8(bytes).map_err(|_| {
                vec![
                    Diagnostic::error(entry.path(), None, "template is not valid UTF-8")
                        .with_hint("save it as UTF-8"),
                ]
            })?;
            templates.retain(|(n, _, _)| n != name);
            templates.push((name.to_string(), text, entry.path().to_path_buf()));
        } else if let Some(name) = rel.strip_prefix("static/") {
            statics.retain(|(n, _)| n != name);
            statics.push((name.to_string(), bytes));
        }
    }
    Ok(())
}

/// Tera's parse errors carry ` --> line:col`; the diagnostic points there.
fn parse_position(message: &str) -> Option<crate::diagnostics::Location> {
    let rest = &message[message.find("--> ")? + 4..];
    let (line, rest) = rest.split_once(':')?;
    let col: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some(crate::diagnostics::Location::new(
        line.trim().parse().ok()?,
        col.parse().ok()?,
    ))
}

/// Tera names the failing template in its message: "Failed to parse 'page.html'".
fn template_named_in(e: &tera::Error) -> Option<String> {
    let text = error_chain(e);
    let start = text.find('\'')? + 1;
    let end = start + text[start..].find('\'')?;
    Some(text[start..end].to_string())
}

/// A Tera error with its causes, which hold the line and column.
pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cur = e.source();
    while let Some(s) = cur {
        out.push_str(": ");
        out.push_str(&s.to_string());
        cur = s.source();
    }
    out
}
