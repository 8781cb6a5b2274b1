//! Printing diagnostics: like a compiler for people (the source line, a caret, a hint), as
//! JSON for tools, and as GitHub workflow annotations for CI. `build`, `check` and `serve`
//! all print through here.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as Level};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;

use crate::check::Coverage;
use crate::diagnostics::{Diagnostic, Severity};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Human,
    Json,
    Github,
}

/// Whether to colour output written to standard error: only on a terminal, never with
/// `NO_COLOR` set.
pub fn color_for_stderr() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Shows `path` relative to the current folder when it lies inside it.
pub fn display_path(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    let shown = cwd
        .as_deref()
        .and_then(|c| path.strip_prefix(c).ok())
        .unwrap_or(path);
    let s = shown.to_string_lossy();
    s.strip_prefix("./")
        .map(str::to_string)
        .unwrap_or_else(|| s.into_owned())
}

/// Diagnostics for people: each with the source line and a caret under the spot.
pub fn human(diags: &[Diagnostic], color: bool, out: &mut dyn Write) {
    let mut files = SimpleFiles::new();
    let mut ids: HashMap<PathBuf, Option<usize>> = HashMap::new();
    let config = term::Config::default();
    for d in diags {
        let shown = display_path(&d.path);
        let level = match d.severity {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
        };
        let mut report = Report::new(level).with_message(&d.message);
        let file = ids.entry(d.path.clone()).or_insert_with(|| {
            std::fs::read(&d.path)
                .ok()
                .map(|bytes| files.add(shown.clone(), String::from_utf8_lossy(&bytes).into_owned()))
        });
        let span = match (d.location, *file) {
            (Some(loc), Some(id)) => files
                .get(id)
                .ok()
                .and_then(|f| span_at(f.source(), loc.line, loc.col))
                .map(|s| (id, s)),
            _ => None,
        };
        match span {
            Some((id, range)) => report = report.with_labels(vec![Label::primary(id, range)]),
            None => {
                report = report.with_message(format!("{}: {}", d.place_with(&shown), d.message))
            }
        }
        if let Some(hint) = &d.hint {
            report = report.with_notes(vec![format!("help: {hint}")]);
        }
        let written = if color {
            let mut stream = termcolor::Ansi::new(Vec::new());
            let ok = term::emit_to_write_style(&mut stream, &config, &files, &report).is_ok();
            ok.then(|| stream.into_inner())
        } else {
            let mut buffer = Vec::new();
            term::emit_to_io_write(&mut buffer, &config, &files, &report)
                .is_ok()
                .then_some(buffer)
        };
        match written {
            Some(bytes) => {
                let _ = out.write_all(&bytes);
            }
            None => {
                let _ = writeln!(out, "{d}");
            }
        }
    }
}

/// The byte range of the character at `line`:`col` (1-based), through the end of its word.
fn span_at(source: &str, line: usize, col: usize) -> Option<std::ops::Range<usize>> {
    let start_of_line = if line <= 1 {
        0
    } else {
        source
            .match_indices('\n')
            .nth(line - 2)
            .map(|(i, _)| i + 1)?
    };
    let text = &source[start_of_line..];
    let line_text = &text[..text.find('\n').unwrap_or(text.len())];
    let offset = line_text
        .char_indices()
        .nth(col.saturating_sub(1))
        .map_or(line_text.len(), |(i, _)| i);
    let rest = &line_text[offset..];
    let len = rest
        .find(char::is_whitespace)
        .unwrap_or(rest.len())
        .max(rest.chars().next().map_or(0, char::len_utf8));
    Some(start_of_line + offset..start_of_line + offset + len)
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: &'static str,
    path: String,
    line: Option<usize>,
    column: Option<usize>,
    message: &'a str,
    hint: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    errors: usize,
    warnings: usize,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    coverage: Option<&'a [Coverage]>,
}

/// The JSON schema of `--format json` (documented in the README).
pub fn json(diags: &[Diagnostic], coverage: Option<&[Coverage]>) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let report = JsonReport {
        version: 1,
        errors,
        warnings: diags.len() - errors,
        diagnostics: diags
            .iter()
            .map(|d| JsonDiagnostic {
                severity: if d.is_error() { "error" } else { "warning" },
                path: display_path(&d.path),
                line: d.location.map(|l| l.line),
                column: d.location.map(|l| l.col),
                message: &d.message,
                hint: d.hint.as_deref(),
            })
            .collect(),
        coverage,
    };
    serde_json::to_string_pretty(&report).unwrap_or_else(|_| "{}".into())
}

/// GitHub Actions workflow commands: `::error file=…,line=…,col=…::message`.
pub fn github(diags: &[Diagnostic]) -> String {
    let escape_data = |s: &str| {
        s.replace('%', "%25")
            .replace('\r', "%0D")
            .replace('\n', "%0A")
    };
    let escape_prop = |s: &str| escape_data(s).replace(':', "%3A").replace(',', "%2C");
    let mut out = String::new();
    for d in diags {
        let kind = if d.is_error() { "error" } else { "warning" };
        let mut props = format!("file={}", escape_prop(&display_path(&d.path)));
        if let Some(loc) = d.location {
            props.push_str(&format!(",line={},col={}", loc.line, loc.col));
        }
        let mut message = d.message.clone();
        if let Some(hint) = &d.hint {
            message.push_str(&format!("\nhelp: {hint}"));
        }
        out.push_str(&format!("::{kind} {props}::{}\n", escape_data(&message)));
    }
    out
}

/// One line: counts and the translation coverage of each phase.
pub fn summary(diags: &[Diagnostic], coverage: &[Coverage]) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let phases: Vec<String> = coverage
        .iter()
        .map(|c| format!("{} {:.0}% ({}/{})", c.phase, c.percent(), c.paired, c.total))
        .collect();
    format!(
        "{}, {}; translation coverage: {}",
        plural(errors, "error"),
        plural(warnings, "warning"),
        if phases.is_empty() {
            "no pages".into()
        } else {
            phases.join(", ")
        }
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Location;

    #[test]
    fn spans_cover_the_word_at_the_position() {
        let src = "a = 1\nweight = \"heavy\"\n";
        assert_eq!(span_at(src, 2, 10), Some(15..22));
        assert_eq!(&src[15..22], "\"heavy\"");
        assert_eq!(span_at(src, 1, 1), Some(0..1));
    }

    #[test]
    fn github_annotations_escape_what_they_must() {
        let d = Diagnostic::error("a,b:c.md", Some(Location::new(3, 4)), "50% done\nnext")
            .with_hint("fix");
        assert_eq!(
            github(&[d]),
            "::error file=a%2Cb%3Ac.md,line=3,col=4::50%25 done%0Anext%0Ahelp: fix\n"
        );
    }
}
