//! Which lines of an included file a directive takes: all of them, a range of lines, or the
//! lines between `ANCHOR: name` and `ANCHOR_END: name`, with the semantics mdBook gives them
//! (so a book renders as it does there); `rustdoc_include` keeps the other lines, hidden
//! behind `# `. Each line taken keeps its line number in the file, for diagnostics.

/// What a directive's `:…` part after the path selects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Selection {
    /// The whole file.
    All,
    /// Lines `start..end`, 0-based, `end` excluded; `None`: to the end of the file.
    Lines { start: usize, end: Option<usize> },
    /// The lines between `ANCHOR: name` and `ANCHOR_END: name`.
    Anchor(String),
}

/// Why a selector or a selection is wrong, said to the user.
pub(crate) type SelectError = String;

/// Parses the part after the path: `name`, `start:end`, `start:`, `:end`, `start` (one
/// line), or nothing. Numbers count from 1 and `end` is included, as in mdBook; anything
/// mdBook would quietly read as a different range is an error here.
pub(crate) fn parse_selector(selector: Option<&str>) -> Result<Selection, SelectError> {
    let Some(selector) = selector else {
        return Ok(Selection::All);
    };
    let mut parts = selector.splitn(3, ':');
    let first = parts.next().unwrap_or("");
    let second = parts.next();
    let start = match first {
        "" => None,
        n if n.bytes().all(|b| b.is_ascii_digit()) => match n.parse::<usize>() {
            Ok(0) | Err(_) => return Err(format!("line `{n}` does not exist: lines count from 1")),
            Ok(n) => Some(n - 1),
        },
        anchor => return Ok(Selection::Anchor(anchor.to_string())),
    };
    let end = match second {
        None | Some("") => None,
        Some(n) => match n.parse::<usize>() {
            Ok(n) => Some(n),
            Err(_) => return Err(format!("`{n}` is not a line number")),
        },
    };
    if let (Some(s), Some(e)) = (start, end) {
        if e <= s {
            return Err(format!(
                "the range ends (line {e}) before it starts (line {})",
                s + 1
            ));
        }
    }
    Ok(match (start, second, end) {
        (Some(s), None, _) => Selection::Lines {
            start: s,
            end: Some(s + 1),
        },
        (Some(s), Some(_), end) => Selection::Lines { start: s, end },
        (None, _, Some(e)) => Selection::Lines {
            start: 0,
            end: Some(e),
        },
        (None, _, None) => Selection::All,
    })
}

/// The lines a plain `include` takes. Anchor lines inside an anchor are dropped (mdBook
/// strips them); a whole file or a range keeps every line as written.
pub(crate) fn take<'t>(
    text: &'t str,
    sel: &Selection,
) -> Result<Vec<(usize, &'t str)>, SelectError> {
    let lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
    match sel {
        Selection::All => Ok(lines.collect()),
        Selection::Lines { start, end } => {
            check_start(text, *start)?;
            let end = end.unwrap_or(usize::MAX);
            Ok(lines.skip(*start).take(end - start).collect())
        }
        Selection::Anchor(name) => {
            let mut kept = Vec::new();
            let mut inside = false;
            let mut found = false;
            for (n, line) in lines {
                if inside {
                    match anchor_end(line) {
                        Some(end) if end == name => break,
                        Some(_) => {}
                        None if anchor_start(line).is_none() => kept.push((n, line)),
                        None => {}
                    }
                } else if anchor_start(line) == Some(name.as_str()) {
                    inside = true;
                    found = true;
                }
            }
            if found {
                Ok(kept)
            } else {
                Err(no_anchor(name))
            }
        }
    }
}

/// The lines a `rustdoc_include` takes: every line of the file, those outside the
/// selection hidden behind `# ` (mdBook's hidden lines), anchor lines dropped.
pub(crate) fn take_rustdoc(
    text: &str,
    sel: &Selection,
) -> Result<Vec<(usize, String)>, SelectError> {
    let lines = text.lines().enumerate().map(|(i, l)| (i + 1, l));
    let hidden = |n: usize, l: &str| (n, format!("# {l}"));
    match sel {
        Selection::All => Ok(lines.map(|(n, l)| (n, l.to_string())).collect()),
        Selection::Lines { start, end } => {
            check_start(text, *start)?;
            let shown = |i: usize| i >= *start && end.is_none_or(|e| i < e);
            Ok(lines
                .map(|(n, l)| {
                    if shown(n - 1) {
                        (n, l.to_string())
                    } else {
                        hidden(n, l)
                    }
                })
                .collect())
        }
        Selection::Anchor(name) => {
            let mut out = Vec::new();
            let mut inside = false;
            let mut found = false;
            for (n, line) in lines {
                let (start, end) = (anchor_start(line), anchor_end(line));
                if inside {
                    match end {
                        Some(e) if e == name => inside = false,
                        Some(_) => {}
                        None if start.is_none() => out.push((n, line.to_string())),
                        None => {}
                    }
                } else if let Some(s) = start {
                    if s == name {
                        inside = true;
                        found = true;
                    }
                } else if end.is_none() {
                    out.push(hidden(n, line));
                }
            }
            if found {
                Ok(out)
            } else {
                Err(no_anchor(name))
            }
        }
    }
}

fn check_start(text: &str, start: usize) -> Result<(), SelectError> {
    let count = text.lines().count();
    if start >= count {
        return Err(format!(
            "the range starts at line {}, but the file has {count} line{}",
            start + 1,
            if count == 1 { "" } else { "s" }
        ));
    }
    Ok(())
}

fn no_anchor(name: &str) -> SelectError {
    format!("the file has no line `ANCHOR: {name}`")
}

/// The name an `ANCHOR: name` on this line opens, if any.
pub(crate) fn anchor_start(line: &str) -> Option<&str> {
    marker_name(line, "ANCHOR:")
}

/// The name an `ANCHOR_END: name` on this line closes, if any.
pub(crate) fn anchor_end(line: &str) -> Option<&str> {
    marker_name(line, "ANCHOR_END:")
}

/// The first `marker` on the line followed (after optional spaces) by a name of word
/// characters and `-`.
fn marker_name<'l>(line: &'l str, marker: &str) -> Option<&'l str> {
    let mut from = 0;
    while let Some(at) = line[from..].find(marker) {
        let after = &line[from + at + marker.len()..];
        let rest = after.trim_start();
        let len = rest
            .char_indices()
            .find(|(_, c)| !(c.is_alphanumeric() || *c == '_' || *c == '-'))
            .map_or(rest.len(), |(i, _)| i);
        if len > 0 {
            return Some(&rest[..len]);
        }
        from += at + marker.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIVE: &str = "Lorem\nipsum\ndolor\nsit\namet";

    fn texts(lines: Vec<(usize, &str)>) -> String {
        lines
            .into_iter()
            .map(|(_, l)| l)
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn sel(s: &str) -> Selection {
        parse_selector(Some(s)).expect("valid selector")
    }

    #[test]
    fn ranges_count_from_one_and_include_their_end() {
        assert_eq!(texts(take(FIVE, &sel("2:3")).unwrap()), "ipsum\ndolor");
        assert_eq!(texts(take(FIVE, &sel("4:")).unwrap()), "sit\namet");
        assert_eq!(
            texts(take(FIVE, &sel(":3")).unwrap()),
            "Lorem\nipsum\ndolor"
        );
        assert_eq!(texts(take(FIVE, &sel("3")).unwrap()), "dolor");
        assert_eq!(texts(take(FIVE, &sel("::")).unwrap()), FIVE);
        assert_eq!(texts(take(FIVE, &sel(":100")).unwrap()), FIVE);
        assert_eq!(take(FIVE, &sel("2:3")).unwrap()[0].0, 2);
    }

    #[test]
    fn bad_ranges_are_errors() {
        for bad in ["0:2", "3:2", "2:x"] {
            assert!(parse_selector(Some(bad)).is_err(), "{bad}");
        }
        assert!(take(FIVE, &sel("6:")).is_err());
        assert!(take(FIVE, &sel("9")).is_err());
    }

    #[test]
    fn anchors_take_their_lines_without_marker_lines() {
        let s = "Lorem\nANCHOR:    test2\nipsum\n// ANCHOR: test\ndolor\nsit\namet\n// ANCHOR_END: test\nlorem\nANCHOR_END:test2\nipsum";
        assert_eq!(
            texts(take(s, &sel("test2")).unwrap()),
            "ipsum\ndolor\nsit\namet\nlorem"
        );
        assert_eq!(texts(take(s, &sel("test")).unwrap()), "dolor\nsit\namet");
        assert!(take(s, &sel("something")).is_err());
        // Unclosed: to the end of the file.
        assert_eq!(
            texts(take("a\nANCHOR: x\nb\nc", &sel("x")).unwrap()),
            "b\nc"
        );
        // A whole file keeps its anchor lines, as in mdBook.
        assert_eq!(texts(take(s, &Selection::All).unwrap()), s);
    }

    #[test]
    fn rustdoc_hides_what_is_not_selected() {
        let t = |s: &str, sl: &str| {
            take_rustdoc(s, &sel(sl))
                .unwrap()
                .into_iter()
                .map(|(_, l)| l)
                .collect::<Vec<_>>()
                .join("\n")
        };
        assert_eq!(t(FIVE, "2:3"), "# Lorem\nipsum\ndolor\n# sit\n# amet");
        assert_eq!(t(FIVE, "4:"), "# Lorem\n# ipsum\n# dolor\nsit\namet");
        let s = "Lorem\nipsum\nANCHOR: test\ndolor\nsit\namet\nANCHOR_END: test\nlorem\nipsum";
        assert_eq!(
            t(s, "test"),
            "# Lorem\n# ipsum\ndolor\nsit\namet\n# lorem\n# ipsum"
        );
        let s = "Lorem\nANCHOR: test\nipsum\nANCHOR_END: test\ndolor\nANCHOR: test\nsit\nANCHOR_END: test\namet";
        assert_eq!(t(s, "test"), "# Lorem\nipsum\n# dolor\nsit\n# amet");
        assert!(take_rustdoc(FIVE, &sel("missing")).is_err());
    }

    #[test]
    fn anchor_names_are_found_anywhere_on_the_line() {
        assert_eq!(anchor_start("    // ANCHOR: here"), Some("here"));
        assert_eq!(anchor_start("/* ANCHOR:all */"), Some("all"));
        assert_eq!(anchor_start("ANCHOR_END: here"), None);
        assert_eq!(anchor_end("// ANCHOR_END: here"), Some("here"));
        assert_eq!(anchor_start("ANCHOR: "), None);
    }
}
