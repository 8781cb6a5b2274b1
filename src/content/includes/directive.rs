//! Finding mdBook's `{{#name args}}` directives and their `\{{#…}}` escapes in raw text, as
//! mdBook's own pattern finds them (so the same text is taken as a directive in both).

/// A directive or escape found in a text: its byte range and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Found<'t> {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) kind: Kind<'t>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Kind<'t> {
    /// `\{{#…}}`: shown as written, without the backslash. Runs to the last `}}` of its line.
    Escaped,
    /// `{{#name args}}`; `args` may span lines and is empty when the directive has none.
    Directive { name: &'t str, args: &'t str },
}

/// Finds directives one after the other. Remembers where the next `}` is, so a text full of
/// unclosed `{{#` is still scanned in linear time.
pub(crate) struct Directives<'t> {
    text: &'t str,
    pos: usize,
    next_close: Option<usize>,
    /// The line whose last `}}` was looked up: its start, and that `}}`'s offset.
    line_close: Option<(usize, Option<usize>)>,
}

impl<'t> Directives<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        Directives {
            text,
            pos: 0,
            next_close: None,
            line_close: None,
        }
    }

    /// The first `}` at or after `from`.
    fn close_after(&mut self, from: usize) -> Option<usize> {
        match self.next_close {
            Some(c) if c >= from => Some(c),
            _ => {
                let found = self.text[from..].find('}').map(|i| from + i);
                self.next_close = found;
                found
            }
        }
    }

    /// `\{{#…}}` at `slash`: up to the last `}}` on the line.
    fn escaped(&mut self, slash: usize) -> Option<usize> {
        let text = self.text;
        let line_start = text[..slash].rfind('\n').map_or(0, |i| i + 1);
        let last = match self.line_close {
            Some((start, last)) if start == line_start => last,
            _ => {
                let line_end = text[slash..].find('\n').map_or(text.len(), |i| slash + i);
                let last = text[line_start..line_end]
                    .rfind("}}")
                    .map(|i| line_start + i);
                self.line_close = Some((line_start, last));
                last
            }
        };
        last.filter(|&l| l >= slash + 4).map(|l| l + 2)
    }

    /// `{{ #name args}}` at `open`.
    fn directive(&mut self, open: usize) -> Option<(usize, Kind<'t>)> {
        let text = self.text;
        let after_braces = &text[open + 2..];
        let hash = open + 2 + (after_braces.len() - after_braces.trim_start().len());
        let rest = text[hash..].strip_prefix('#')?;
        let name_len = rest
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
            .count();
        if name_len == 0 {
            return None;
        }
        let name_end = hash + 1 + name_len;
        let close = self.close_after(name_end)?;
        if !text[close..].starts_with("}}") {
            return None;
        }
        let between = &text[name_end..close];
        // The name must end at a space (or at the closing braces, which mdBook leaves as
        // text and Diglot warns about).
        if !between.is_empty() && !between.starts_with(char::is_whitespace) {
            return None;
        }
        let kind = Kind::Directive {
            name: &text[hash + 1..name_end],
            args: between.trim(),
        };
        Some((close + 2, kind))
    }
}

impl<'t> Iterator for Directives<'t> {
    type Item = Found<'t>;

    fn next(&mut self) -> Option<Found<'t>> {
        while let Some(i) = self.text[self.pos..].find("{{").map(|i| self.pos + i) {
            let slash = i.checked_sub(1).filter(|&s| {
                s >= self.pos
                    && self.text.as_bytes()[s] == b'\\'
                    && self.text[i..].starts_with("{{#")
            });
            if let Some(end) = slash.and_then(|s| self.escaped(s)) {
                self.pos = end;
                return Some(Found {
                    start: i - 1,
                    end,
                    kind: Kind::Escaped,
                });
            }
            if let Some((end, kind)) = self.directive(i) {
                self.pos = end;
                return Some(Found {
                    start: i,
                    end,
                    kind,
                });
            }
            self.pos = i + 1;
        }
        self.pos = self.text.len();
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(&str, Kind<'_>)> {
        Directives::new(text)
            .map(|f| (&text[f.start..f.end], f.kind))
            .collect()
    }

    fn directive<'t>(name: &'t str, args: &'t str) -> Kind<'t> {
        Kind::Directive { name, args }
    }

    #[test]
    fn finds_directives_with_their_arguments() {
        let t = "a {{#include file.rs}} b {{ #rustdoc_include ../x.rs:here }} c";
        assert_eq!(
            found(t),
            vec![
                ("{{#include file.rs}}", directive("include", "file.rs")),
                (
                    "{{ #rustdoc_include ../x.rs:here }}",
                    directive("rustdoc_include", "../x.rs:here")
                ),
            ]
        );
    }

    #[test]
    fn escapes_run_to_the_last_braces_of_their_line() {
        let t = "\\{{#include a}} and {{#include b}}\n{{#include c}}";
        let f = found(t);
        assert_eq!(f[0], ("\\{{#include a}} and {{#include b}}", Kind::Escaped));
        assert_eq!(f[1], ("{{#include c}}", directive("include", "c")));
    }

    #[test]
    fn what_is_not_a_directive() {
        for t in [
            "{{#include.rs}}",
            "{{#}}",
            "{{ nothing }}",
            "{{#include a",
            "{{#include a} }",
            "text only",
        ] {
            assert_eq!(found(t), vec![], "{t}");
        }
        assert_eq!(
            found("{{#title}}"),
            vec![("{{#title}}", directive("title", ""))]
        );
        assert_eq!(
            found("{{{#include a}}"),
            vec![("{{#include a}}", directive("include", "a"))]
        );
    }

    #[test]
    fn unclosed_directives_take_linear_time() {
        let t = "{{#include a ".repeat(50_000);
        let started = std::time::Instant::now();
        assert_eq!(found(&t), vec![]);
        assert!(started.elapsed() < std::time::Duration::from_secs(2));
    }
}
