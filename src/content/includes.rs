//! mdBook's `{{#…}}` directives, expanded in the raw text of each side before it is split
//! into blocks: `include` and `rustdoc_include` (whole file, a line range or an anchor),
//! `playground`, `title`, and `\{{#…}}` escapes. Any other directive is left as text with a
//! warning naming it.
//!
//! Included files are read relative to the file that includes them and must lie inside the
//! book's folder or the parent of a content root (where mdBook books keep `listings/`),
//! symbolic links resolved. Nesting stops at [`MAX_DEPTH`] levels, as in mdBook. A
//! [`LineMap`] keeps diagnostics about the text after an include on the line they come from.

mod directive;
mod lines;
mod select;

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::config::Config;
use crate::diagnostics::{Diagnostic, Location};
use crate::lang::Side;
use crate::text::read_text;
use directive::{Directives, Found, Kind};
use lines::LineCursor;
pub(crate) use lines::LineMap;
use select::{parse_selector, take, take_rustdoc};

/// How deep includes may nest (mdBook's limit too): deeper is almost surely a file that
/// includes itself.
pub(crate) const MAX_DEPTH: usize = 10;
/// The largest file an include reads.
const MAX_FILE: u64 = 16 << 20;
/// The most text one page's includes may add, so that a few files including each other
/// many times cannot fill the memory.
const MAX_EXPANDED: usize = 64 << 20;

/// A file an expansion read or looked for: its path, size and modification time then (no
/// time when it was missing), so that a preview rebuilds the page when it changes.
pub(crate) type Stamp = (PathBuf, u64, Option<SystemTime>);

pub(crate) fn stamp(path: &Path) -> Stamp {
    let meta = std::fs::metadata(path).ok();
    let len = meta.as_ref().map_or(0, |m| m.len());
    (
        path.to_path_buf(),
        len,
        meta.and_then(|m| m.modified().ok()),
    )
}

/// The folders includes may read from, links resolved: the book's folder and the parent of
/// each content root.
#[derive(Debug, Clone)]
pub(crate) struct IncludeScope {
    roots: Vec<PathBuf>,
}

impl IncludeScope {
    pub(crate) fn of(config: &Config) -> IncludeScope {
        let parents = Side::BOTH.iter().filter_map(|s| {
            let dir = config.content_dir(*s).canonicalize().ok()?;
            Some(dir.parent().map_or(dir.clone(), Path::to_path_buf))
        });
        let mut roots: Vec<PathBuf> = config
            .root
            .canonicalize()
            .into_iter()
            .chain(parents)
            .collect();
        roots.sort();
        roots.dedup();
        IncludeScope { roots }
    }

    fn allows(&self, real: &Path) -> bool {
        self.roots.iter().any(|r| real.starts_with(r))
    }
}

/// A body with its directives expanded.
#[derive(Debug)]
pub(crate) struct Expansion {
    pub(crate) text: String,
    /// What `{{#title …}}` set, if anything.
    pub(crate) title: Option<String>,
    /// From lines of `text` back to lines of the file.
    pub(crate) lines: LineMap,
}

/// Expands the directives of `body`, the text of `path` from line `first_line` on. `None`
/// when it has none (the body stands as it is). Files read are added to `stamps`; problems
/// go to `diags`, and a directive that fails stays as text.
pub(crate) fn expand(
    path: &Path,
    body: &str,
    first_line: usize,
    scope: &IncludeScope,
    stamps: &mut Vec<Stamp>,
    diags: &mut Vec<Diagnostic>,
) -> Option<Expansion> {
    if !body.contains("{{") {
        return None;
    }
    let mut expander = Expander {
        scope,
        stamps,
        diags,
        title: None,
        budget: MAX_EXPANDED,
    };
    let mut lines = LineMap::default();
    let source = Source {
        file: path,
        text: body,
        numbers: Numbers::From(first_line),
    };
    let text = expander.expand_text(&source, 0, Some(&mut lines));
    Some(Expansion {
        text,
        title: expander.title,
        lines,
    })
}

/// A text being expanded: the file it comes from and where its lines are in that file.
struct Source<'s> {
    file: &'s Path,
    text: &'s str,
    numbers: Numbers<'s>,
}

enum Numbers<'s> {
    /// Consecutive lines from this one.
    From(usize),
    /// The file line of each line (the lines an include took).
    Each(&'s [usize]),
}

impl Source<'_> {
    fn file_line(&self, line: usize) -> usize {
        match self.numbers {
            Numbers::From(first) => first + line - 1,
            Numbers::Each(n) => n.get(line - 1).or(n.last()).copied().unwrap_or(1),
        }
    }
}

struct Expander<'a> {
    scope: &'a IncludeScope,
    stamps: &'a mut Vec<Stamp>,
    diags: &'a mut Vec<Diagnostic>,
    title: Option<String>,
    /// Bytes includes may still add.
    budget: usize,
}

impl Expander<'_> {
    /// The text with its directives replaced; `map`, for the page's own file, learns where
    /// each replacement moved the lines after it.
    fn expand_text(&mut self, src: &Source, depth: usize, mut map: Option<&mut LineMap>) -> String {
        let text = src.text;
        let mut out = String::with_capacity(text.len());
        let mut out_lines = LineCursor::default();
        let mut in_lines = LineCursor::default();
        let mut copied = 0;
        for found in Directives::new(text) {
            out.push_str(&text[copied..found.start]);
            // A directive that fails stays as text: it is copied with what follows it.
            copied = found.start;
            let (line, col) = in_lines.at(text, found.start);
            let here = (src.file, Location::new(src.file_line(line), col));
            let Some(replacement) = self.replace(src, &found, here, depth, &out) else {
                continue;
            };
            if let Some(map) = map.as_deref_mut() {
                let (before, _) = out_lines.at(&out, out.len());
                out.push_str(&replacement);
                let (after, _) = out_lines.at(&out, out.len());
                let (end_line, _) = in_lines.at(text, found.end);
                map.moved(
                    src.file_line(before),
                    here.1.line,
                    src.file_line(after),
                    src.file_line(end_line),
                );
            } else {
                out.push_str(&replacement);
            }
            copied = found.end;
        }
        out.push_str(&text[copied..]);
        out
    }

    /// What replaces one directive; `None` leaves it as text (after saying why).
    fn replace(
        &mut self,
        src: &Source,
        found: &Found,
        here: (&Path, Location),
        depth: usize,
        out: &str,
    ) -> Option<String> {
        let Kind::Directive { name, args } = found.kind else {
            return Some(src.text[found.start + 1..found.end].to_string());
        };
        match name {
            "title" if !args.is_empty() => {
                self.title = Some(args.to_string());
                Some(String::new())
            }
            "include" | "rustdoc_include" | "playground" | "playpen" if !args.is_empty() => {
                if name == "playpen" {
                    self.diags.push(
                        Diagnostic::warning(here.0, Some(here.1), "`{{#playpen}}` is an old name")
                            .with_hint("write `{{#playground …}}`, as mdBook asks"),
                    );
                }
                let body = self.included(src.file, name, args, here, depth)?;
                // Each line of a file included after some text (indentation, a list
                // marker) repeats that text, as in mdBook, so an indented include stays
                // inside its list item.
                let prefix = out.rsplit('\n').next().unwrap_or("");
                let joined = body
                    .lines()
                    .collect::<Vec<_>>()
                    .join(&format!("\n{prefix}"));
                if joined.len() > self.budget {
                    self.error(here, "includes add too much text to this page", "a file is probably included many times over: check for includes that repeat");
                    self.budget = 0;
                    return None;
                }
                self.budget -= joined.len();
                Some(joined)
            }
            "title" | "include" | "rustdoc_include" | "playground" | "playpen" => {
                self.diags.push(
                    Diagnostic::warning(
                        here.0,
                        Some(here.1),
                        format!("`{{{{#{name}}}}}` names nothing; it is shown as text"),
                    )
                    .with_hint(match name {
                        "title" => "write the title after it: `{{#title My title}}`",
                        _ => "write the file after it: `{{#include ../listings/main.rs}}`",
                    }),
                );
                None
            }
            _ => {
                self.diags.push(
                    Diagnostic::warning(
                        here.0,
                        Some(here.1),
                        format!("Diglot does not know the directive `{{{{#{name}}}}}`; it is shown as text"),
                    )
                    .with_hint("Diglot expands mdBook's include, rustdoc_include, playground and title; write the text it stands for, or `\\{{#…}}` to show it as is"),
                );
                None
            }
        }
    }

    /// The text an include, rustdoc_include or playground directive brings in, its own
    /// directives expanded.
    fn included(
        &mut self,
        from: &Path,
        name: &str,
        args: &str,
        here: (&Path, Location),
        depth: usize,
    ) -> Option<String> {
        let mut words = args.split_whitespace();
        let target = words.next().unwrap_or("");
        let (rel, selector) = match name {
            "playground" | "playpen" => (target, None),
            _ => target
                .split_once(':')
                .map_or((target, None), |(p, s)| (p, Some(s))),
        };
        let directive = format!("{{{{#{name} {target}}}}}");
        let selection = match parse_selector(selector) {
            Ok(s) => s,
            Err(e) => {
                self.error(here, &format!("bad line range in `{directive}`: {e}"), "write `file:start:end` with line numbers counted from 1, `file:start:`, `file::end` or `file:anchor`");
                return None;
            }
        };
        if depth >= MAX_DEPTH {
            self.error(
                here,
                &format!("`{directive}` nests includes more than {MAX_DEPTH} deep"),
                "a file probably includes itself, directly or through another file",
            );
            return None;
        }
        let (file, text) = self.read(from, rel, &directive, here)?;
        let taken = match name {
            "rustdoc_include" => take_rustdoc(&text, &selection),
            _ => take(&text, &selection)
                .map(|lines| lines.into_iter().map(|(n, l)| (n, l.to_string())).collect()),
        };
        let taken = match taken {
            Ok(t) => t,
            Err(e) => {
                self.error(
                    here,
                    &format!("cannot take `{directive}`: {e}"),
                    "check the anchor's name or the line numbers against the file",
                );
                return None;
            }
        };
        let numbers: Vec<usize> = taken.iter().map(|(n, _)| *n).collect();
        let joined = taken
            .into_iter()
            .map(|(_, l)| l)
            .collect::<Vec<_>>()
            .join("\n");
        let inner = Source {
            file: &file,
            text: &joined,
            numbers: Numbers::Each(&numbers),
        };
        let expanded = self.expand_text(&inner, depth + 1, None);
        if matches!(name, "playground" | "playpen") {
            let attrs: Vec<&str> = words.collect();
            let info = if attrs.is_empty() {
                "rust".to_string()
            } else {
                format!("rust,{}", attrs.join(","))
            };
            let newline = if expanded.ends_with('\n') { "" } else { "\n" };
            return Some(format!("```{info}\n{expanded}{newline}```\n"));
        }
        Some(expanded)
    }

    /// Reads the file `rel` names, relative to the folder of `from`, if it stays inside the
    /// book's scope.
    fn read(
        &mut self,
        from: &Path,
        rel: &str,
        directive: &str,
        here: (&Path, Location),
    ) -> Option<(PathBuf, String)> {
        let joined = from.parent().unwrap_or(Path::new("")).join(rel);
        self.stamps.push(stamp(&joined));
        let real = match joined.canonicalize() {
            Ok(r) => r,
            Err(e) => {
                self.error(
                    here,
                    &format!(
                        "cannot include `{rel}`: {} ({})",
                        io_reason(&e),
                        tidy(&joined).display()
                    ),
                    "check the path: it is relative to the file that includes it",
                );
                return None;
            }
        };
        if !self.scope.allows(&real) {
            self.error(here, &format!("`{directive}` reaches outside the book (to {})", real.display()), "included files must lie inside the book's folder or beside its content folder (a `listings/` folder, say); symbolic links out are not followed");
            return None;
        }
        let len = std::fs::metadata(&real).map(|m| (m.is_file(), m.len()));
        match len {
            Ok((true, len)) if len <= MAX_FILE => {}
            Ok((true, _)) => {
                self.error(
                    here,
                    &format!("`{rel}` is larger than {} MiB", MAX_FILE >> 20),
                    "include a part of it (`file:start:end` or `file:anchor`)",
                );
                return None;
            }
            _ => {
                self.error(
                    here,
                    &format!("`{rel}` is not a file"),
                    "name a file, not a folder",
                );
                return None;
            }
        }
        match read_text(&real) {
            Ok(text) => Some((real, text)),
            Err(d) => {
                self.error(
                    here,
                    &format!("cannot include `{rel}`: {}", d.message),
                    "save the included file as UTF-8 text",
                );
                None
            }
        }
    }

    fn error(&mut self, here: (&Path, Location), message: &str, hint: &str) {
        self.diags
            .push(Diagnostic::error(here.0, Some(here.1), message).with_hint(hint));
    }
}

/// `e` said plainly, without the operating system's error number.
fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "there is no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}

/// `path` with its `.` and `..` steps folded away, for messages.
fn tidy(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
