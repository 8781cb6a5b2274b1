//! Printing diagnostics: like a compiler for people (the source line, a caret, a hint), as
//! JSON for tools, and as GitHub workflow annotations for CI. `build`, `check` and `serve`
//! all print through here.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use codespan_reporting::diagnostic::{Diagnostic as Report, Label, Severity as Level};
use codespan_reporting::term::{self, termcolor};
use serde::Serialize;

use crate::diagnostics::display_path;
use crate::diagnostics::{terminal_safe, Diagnostic, Severity};
use crate::validate::Coverage;

/// Whether to colour output written to standard error: only on a terminal, never with
/// `NO_COLOR` set.
pub fn color_for_stderr() -> bool {
    std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Diagnostics for people: each with the source line and a caret under the spot.
///
/// Everything that comes from input (the file name, the source line, messages quoting it)
/// is printed through [`terminal_safe`]: a book from a stranger's pull request must not be
/// able to move the cursor, retitle the terminal or reorder what the reader sees. A long
/// line is cut to a window around the column.
pub fn human(diags: &[Diagnostic], color: bool, out: &mut dyn Write) {
    let mut sources: HashMap<PathBuf, Option<String>> = HashMap::new();
    let config = term::Config::default();
    for d in diags {
        let shown = terminal_safe(&display_path(&d.path), false).into_owned();
        let level = match d.severity {
            Severity::Error => Level::Error,
            Severity::Warning => Level::Warning,
        };
        let message = terminal_safe(&d.message, true).into_owned();
        let mut report = Report::new(level).with_message(&message);
        let source = sources
            .entry(d.path.clone())
            .or_insert_with(|| std::fs::read(&d.path).ok().map(|b| source_text(&b)));
        let excerpt = match (d.location, source.as_deref()) {
            (Some(loc), Some(text)) => Excerpt::at(shown.clone(), text, loc.line, loc.col),
            _ => None,
        };
        match &excerpt {
            Some(e) => report = report.with_labels(vec![Label::primary((), e.caret.clone())]),
            None => report = report.with_message(format!("{}: {message}", d.place_with(&shown))),
        }
        if let Some(hint) = &d.hint {
            report = report.with_notes(vec![format!("help: {}", terminal_safe(hint, true))]);
        }
        let files = excerpt.unwrap_or_default();
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

/// A file's text as the loader sees it: lossy UTF-8, CRLF and lone CR read as LF, so that
/// line numbers agree with the ones in diagnostics.
fn source_text(bytes: &[u8]) -> String {
    crate::text::normalize_line_endings(&String::from_utf8_lossy(bytes)).into_owned()
}

/// How many characters of a source line are shown on each side of the column.
const EXCERPT_REACH: usize = 60;

/// One source line as shown under a diagnostic: cut to a window around the column, with
/// control characters escaped, and the caret's byte range in that shown text. It answers
/// codespan's questions with the real line and column numbers.
#[derive(Debug, Default)]
struct Excerpt {
    name: String,
    line: usize,
    col: usize,
    text: String,
    caret: std::ops::Range<usize>,
}

impl Excerpt {
    fn at(name: String, source: &str, line: usize, col: usize) -> Option<Excerpt> {
        let start_of_line = if line <= 1 {
            0
        } else {
            source
                .match_indices('\n')
                .nth(line - 2)
                .map(|(i, _)| i + 1)?
        };
        let rest = &source[start_of_line..];
        let line_text = &rest[..rest.find('\n').unwrap_or(rest.len())];
        let caret_index = col.saturating_sub(1);
        let first = caret_index.saturating_sub(EXCERPT_REACH);
        let mut text = String::new();
        if first > 0 {
            text.push('…');
        }
        let mut caret = None;
        for (i, c) in line_text.chars().enumerate().skip(first) {
            if i > caret_index + EXCERPT_REACH {
                text.push('…');
                break;
            }
            if i == caret_index {
                caret = Some(text.len());
            }
            if c == '\t' {
                text.push(c);
            } else {
                let mut buf = [0u8; 4];
                text.push_str(&terminal_safe(c.encode_utf8(&mut buf), false));
            }
        }
        let start = caret.unwrap_or(text.len());
        let word = &text[start..];
        let len = word
            .find(char::is_whitespace)
            .unwrap_or(word.len())
            .max(word.chars().next().map_or(0, char::len_utf8));
        let end = (start + len).min(text.len());
        Some(Excerpt {
            name,
            line,
            col,
            caret: start..end,
            text,
        })
    }
}

impl<'a> codespan_reporting::files::Files<'a> for Excerpt {
    type FileId = ();
    type Name = &'a str;
    type Source = &'a str;

    fn name(&'a self, (): ()) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(&self.name)
    }

    fn source(&'a self, (): ()) -> Result<&'a str, codespan_reporting::files::Error> {
        Ok(&self.text)
    }

    fn line_index(
        &'a self,
        (): (),
        _byte: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        Ok(0)
    }

    fn line_number(
        &'a self,
        (): (),
        _index: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        Ok(self.line)
    }

    fn column_number(
        &'a self,
        (): (),
        _index: usize,
        byte: usize,
    ) -> Result<usize, codespan_reporting::files::Error> {
        let byte = byte.min(self.text.len());
        let from_caret = |a: usize, b: usize| self.text.get(a..b).map_or(0, |s| s.chars().count());
        Ok(if byte >= self.caret.start {
            self.col + from_caret(self.caret.start, byte)
        } else {
            self.col.saturating_sub(from_caret(byte, self.caret.start))
        })
    }

    fn line_range(
        &'a self,
        (): (),
        index: usize,
    ) -> Result<std::ops::Range<usize>, codespan_reporting::files::Error> {
        Ok(if index == 0 {
            0..self.text.len()
        } else {
            self.text.len()..self.text.len()
        })
    }
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    severity: &'static str,
    path: String,
    line: Option<usize>,
    column: Option<usize>,
    message: &'a str,
    hint: Option<&'a str>,
    /// `"stale"` for a translation behind its source; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<JsonSource<'a>>,
}

/// The source block a stale translation is behind: where it is, and its text when the
/// translation was last changed (`then`) and now.
#[derive(Serialize)]
struct JsonSource<'a> {
    path: String,
    line: usize,
    then: &'a str,
    now: &'a str,
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

/// The JSON schema of `--format json` (documented in docs/, "check and status").
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
                kind: d.stale.as_ref().map(|_| "stale"),
                source: d.stale.as_ref().map(|s| JsonSource {
                    path: display_path(&s.source_path),
                    line: s.source_line,
                    then: &s.then,
                    now: &s.now,
                }),
            })
            .collect(),
        coverage,
    };
    let text = serde_json::to_string_pretty(&report).unwrap_or_else(|_| "{}".into());
    json_terminal_safe(&text)
}

/// serde_json escapes C0 controls but writes DEL, C1 controls and bidi overrides as they
/// are; a person reading the JSON on a terminal would get them acted on. Outside strings
/// the JSON holds only ASCII punctuation, spaces and newlines, so writing each such
/// character as `\uXXXX` keeps the document (and every decoded value) exactly the same.
fn json_terminal_safe(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c != '\n' && crate::diagnostics::is_unsafe_for_terminal(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
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
        let path = display_path(&d.path);
        let mut props = format!("file={}", escape_prop(&terminal_safe(&path, false)));
        if let Some(loc) = d.location {
            props.push_str(&format!(",line={},col={}", loc.line, loc.col));
        }
        let mut message = d.message.clone();
        if let Some(hint) = &d.hint {
            message.push_str(&format!("\nhelp: {hint}"));
        }
        let message = terminal_safe(&message, true);
        out.push_str(&format!("::{kind} {props}::{}\n", escape_data(&message)));
    }
    out
}

/// One line: counts and the translation coverage of each phase.
pub fn summary(diags: &[Diagnostic], coverage: &[Coverage]) -> String {
    let errors = diags.iter().filter(|d| d.is_error()).count();
    let warnings = diags.len() - errors;
    let stale = diags.iter().filter(|d| d.stale.is_some()).count();
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let phases: Vec<String> = coverage
        .iter()
        .map(|c| format!("{} {:.0}% ({}/{})", c.phase, c.percent(), c.paired, c.total))
        .collect();
    let stale = if stale > 0 {
        format!(" ({stale} stale)")
    } else {
        String::new()
    };
    format!(
        "{}, {}{stale}; translation coverage: {}",
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
        let e = Excerpt::at("a.md".into(), src, 2, 10).expect("line 2");
        assert_eq!(&e.text[e.caret.clone()], "\"heavy\"");
        let e = Excerpt::at("a.md".into(), src, 1, 1).expect("line 1");
        assert_eq!(e.caret, 0..1);
    }

    #[test]
    fn long_lines_are_cut_around_the_column_and_controls_escaped() {
        let line = format!(
            "{}\u{1b}[2Jbad {}",
            "x".repeat(100_000),
            "y".repeat(100_000)
        );
        let e = Excerpt::at("a.md".into(), &line, 1, 100_001).expect("line");
        assert!(
            e.text.chars().count() < 2 * EXCERPT_REACH + 20,
            "{}",
            e.text.len()
        );
        assert!(e.text.starts_with('…') && e.text.ends_with('…'));
        assert_eq!(&e.text[e.caret.clone()], "\\u{1b}[2Jbad");
        let mut out = Vec::new();
        let d = Diagnostic::error("missing\u{7}.md", Some(Location::new(1, 1)), "m\u{1b}");
        human(&[d], false, &mut out);
        let out = String::from_utf8(out).expect("utf-8");
        assert!(out.contains("missing\\u{7}.md:1:1: m\\u{1b}"), "{out}");
    }

    #[test]
    fn json_writes_terminal_controls_as_escapes_and_keeps_the_values() {
        let d = Diagnostic::error("a\u{9b}b.md", None, "x\u{202E}y\u{7f}z\u{1b}");
        let text = json(&[d], None);
        assert!(
            !text
                .chars()
                .any(|c| c != '\n' && crate::diagnostics::is_unsafe_for_terminal(c)),
            "{text}"
        );
        let value: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
        assert_eq!(
            value["diagnostics"][0]["message"],
            "x\u{202E}y\u{7f}z\u{1b}"
        );
        assert_eq!(value["diagnostics"][0]["path"], "a\u{9b}b.md");
    }

    #[test]
    fn github_annotations_show_terminal_controls_visibly() {
        let d = Diagnostic::warning(
            "e\u{1b}.md",
            Some(Location::new(1, 1)),
            "m\u{1b}[31m\r\u{7}",
        );
        assert_eq!(
            github(&[d]),
            "::warning file=e\\u{1b}.md,line=1,col=1::m\\u{1b}[31m\\u{d}\\u{7}\n"
        );
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
