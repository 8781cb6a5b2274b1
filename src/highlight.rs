//! Code highlighting at build time with syntect and two-face's grammars (TOML, YAML,
//! Dockerfile, nginx, SQL, shell, JSON, Protobuf, Go, Rust, Java, TypeScript and ~200 more),
//! emitting CSS classes, not inline styles, so a light and a dark theme can share the HTML.
//!
//! The grammars load once, on the first fenced block: a book without code pays nothing.
//!
//! Fence options follow the language after a comma: ```` ```toml,linenos,hl_lines=2-3 5 ````.

use std::fmt::Write;
use std::sync::OnceLock;

use crate::escape::push_text;

use syntect::highlighting::Theme;
use syntect::html::{css_for_theme_with_class_style, line_tokens_to_classed_spans, ClassStyle};
use syntect::parsing::{ParseState, Scope, ScopeStack, SyntaxSet};
use two_face::theme::EmbeddedThemeName;

const CLASS_STYLE: ClassStyle = ClassStyle::SpacedPrefixed { prefix: "hl-" };

fn syntaxes() -> &'static SyntaxSet {
    static SET: OnceLock<SyntaxSet> = OnceLock::new();
    SET.get_or_init(two_face::syntax::extra_newlines)
}

/// What a fence's info string asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Fence {
    pub(crate) lang: Option<String>,
    pub(crate) linenos: bool,
    /// Line ranges to highlight, 1-based and inclusive.
    pub(crate) hl_lines: Vec<(usize, usize)>,
}

impl Fence {
    /// Parses `toml,linenos,hl_lines=2-3 5` (spaces after commas allowed).
    pub(crate) fn parse(info: &str) -> Fence {
        let mut parts = info.split(',').map(str::trim);
        let mut fence = Fence::default();
        let first = parts.next().unwrap_or("");
        // `rust linenos` (space-separated) is accepted too.
        let mut words = first.split_whitespace();
        fence.lang = words
            .next()
            .filter(|l| !l.is_empty() && !l.contains('=') && *l != "linenos")
            .map(str::to_string);
        let rest: Vec<&str> = words.chain(parts).collect();
        for option in rest {
            if option == "linenos" {
                fence.linenos = true;
            } else if let Some(ranges) = option.strip_prefix("hl_lines=") {
                for range in ranges.split([' ', ';']).filter(|r| !r.is_empty()) {
                    let (a, b) = range.split_once('-').unwrap_or((range, range));
                    if let (Ok(a), Ok(b)) = (a.trim().parse::<usize>(), b.trim().parse::<usize>()) {
                        fence.hl_lines.push((a.min(b), a.max(b)));
                    }
                }
            }
        }
        fence
    }

    fn highlighted(&self, line: usize) -> bool {
        self.hl_lines.iter().any(|(a, b)| (*a..=*b).contains(&line))
    }
}

/// The CSS classes syntect gives a scope (`source.rust` → `hl-source hl-rust`), cached per
/// thread: the same few scopes are reopened at the start of every line.
fn classes(scope: &Scope) -> String {
    thread_local! {
        static CACHE: std::cell::RefCell<std::collections::HashMap<Scope, String>> = Default::default();
    }
    CACHE.with(|cache| {
        cache
            .borrow_mut()
            .entry(*scope)
            .or_insert_with(|| {
                scope
                    .build_string()
                    .split('.')
                    .map(|atom| format!("hl-{atom}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .clone()
    })
}

/// A Rust block as readers see it in mdBook and rustdoc: a line that is `#` alone or starts
/// with `# ` (after indentation) is hidden, code the example needs but does not show (what
/// `{{#rustdoc_include}}` leaves outside its selection); `##` shows as `#`.
pub(crate) fn without_hidden_lines(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    for line in code.split_inclusive('\n') {
        let body = line.trim_start();
        let indent = &line[..line.len() - body.len()];
        let rest = body.strip_prefix('#');
        match rest {
            Some(r) if r.trim_end_matches(['\n', '\r']).is_empty() || r.starts_with(' ') => {}
            Some(r) if r.starts_with('#') => {
                out.push_str(indent);
                out.push_str(r);
            }
            _ => out.push_str(line),
        }
    }
    out
}

/// A code block as HTML: `<pre class="code">` with one `<span class="line">` per line, each
/// highlighted if the language is known (an unknown language is plain, escaped text).
pub(crate) fn code_block(code: &str, fence: &Fence) -> String {
    let shown;
    let code = if fence.lang.as_deref() == Some("rust") {
        shown = without_hidden_lines(code);
        shown.as_str()
    } else {
        code
    };
    let set = fence.lang.as_deref().and_then(|lang| {
        let set = syntaxes();
        set.find_syntax_by_token(lang).map(|syntax| (set, syntax))
    });
    let mut html = String::with_capacity(code.len() * 3);
    let lang_class = fence.lang.as_deref().map(|l| {
        let mut escaped = String::new();
        push_text(&mut escaped, l);
        escaped
    });
    html.push_str("<pre class=\"code hl-code");
    if fence.linenos {
        html.push_str(" linenos");
    }
    html.push('"');
    if let Some(lang) = &lang_class {
        let _ = write!(
            html,
            " data-lang=\"{lang}\"><code class=\"language-{lang}\">"
        );
    } else {
        html.push_str("><code>");
    }
    let mut state = set.map(|(_, syntax)| (ParseState::new(syntax), ScopeStack::new()));
    let previous = LAST_BLOCK.with(|last| last.borrow_mut().take());
    let previous = previous.filter(|m| set.is_some_and(|(_, syntax)| syntax.name == m.syntax));
    let mut memo = set.map(|(_, syntax)| Memo {
        syntax: syntax.name.clone(),
        lines: Vec::new(),
        states: Vec::new(),
    });
    for (n, line) in code.split_inclusive('\n').enumerate() {
        html.push_str(if fence.highlighted(n + 1) {
            "<span class=\"line hl\">"
        } else {
            "<span class=\"line\">"
        });
        let highlighted = match (&mut state, set) {
            (Some(current), Some((set, _))) => {
                let before = current.clone();
                let spans = match previous.as_ref().and_then(|m| m.reuse(n, line, current)) {
                    Some(spans) => Some(spans),
                    None => highlight_line(line, &mut current.0, &mut current.1, set),
                };
                if let (Some(m), Some(spans)) = (memo.as_mut(), &spans) {
                    m.lines.push((line.to_string(), spans.clone()));
                    m.states.push(before);
                }
                spans
            }
            _ => None,
        };
        match highlighted {
            Some(spans) => html.push_str(&spans),
            None => {
                // Unknown language, or the grammar failed on this line: plain from here on.
                state = None;
                push_text(&mut html, line.trim_end_matches('\n'));
            }
        }
        html.push_str("\n</span>");
    }
    html.push_str("</code></pre>");
    if let (Some(mut m), Some(end)) = (memo, state) {
        m.states.push(end);
        LAST_BLOCK.with(|last| *last.borrow_mut() = Some(m));
    }
    html
}

/// The last block this thread highlighted, line by line. Two-file books often hold the same
/// code twice with only its comments translated: the second copy reuses every line that
/// starts in the same state with the same text, and highlights only the others. The output
/// is the same either way.
struct Memo {
    syntax: String,
    /// Each line's text and spans.
    lines: Vec<(String, String)>,
    /// The parser state before each line, and after the last.
    states: Vec<(ParseState, ScopeStack)>,
}

thread_local! {
    static LAST_BLOCK: std::cell::RefCell<Option<Memo>> = const { std::cell::RefCell::new(None) };
}

impl Memo {
    /// Line `n`'s spans if the remembered block had the same line in the same state; the
    /// state moves past the line.
    fn reuse(&self, n: usize, line: &str, state: &mut (ParseState, ScopeStack)) -> Option<String> {
        let (text, spans) = self.lines.get(n)?;
        let after = self.states.get(n + 1)?;
        if text != line || self.states.get(n)? != state {
            return None;
        }
        *state = after.clone();
        Some(spans.clone())
    }
}

/// One line's spans, with the scopes still open from earlier lines re-opened at its start
/// and closed at its end, so each line stands alone in its `<span class="line">`.
fn highlight_line(
    line: &str,
    parse: &mut ParseState,
    stack: &mut ScopeStack,
    set: &SyntaxSet,
) -> Option<String> {
    let mut html = String::new();
    for scope in stack.as_slice() {
        let _ = write!(html, "<span class=\"{}\">", classes(scope));
    }
    let ops = parse.parse_line(line, set).ok()?;
    let (spans, _) = line_tokens_to_classed_spans(line, &ops, CLASS_STYLE, stack).ok()?;
    html.push_str(&spans.replace('\n', ""));
    for _ in 0..stack.len() {
        html.push_str("</span>");
    }
    Some(html)
}

/// The stylesheet for highlighted code: a light theme, and a dark one that follows the
/// reader's colour scheme (the system's, or the one chosen with the toggle).
pub(crate) fn stylesheet() -> String {
    let themes = two_face::theme::extra();
    let css =
        |theme: &Theme| css_for_theme_with_class_style(theme, CLASS_STYLE).unwrap_or_default();
    let light = css(themes.get(EmbeddedThemeName::InspiredGithub));
    let dark = css(themes.get(EmbeddedThemeName::OneHalfDark));
    format!(
        "/* Code highlighting, generated by Diglot from syntect themes. */\n{light}\n{}\n@media (prefers-color-scheme: dark) {{\n{}\n}}\n",
        scope_rules(&dark, "html[data-scheme=\"dark\"]"),
        scope_rules(&dark, "html:not([data-scheme=\"light\"])")
    )
}

/// Prefixes every selector of a stylesheet (rules only, no at-rules) with `prefix`.
fn scope_rules(css: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(css.len() * 2);
    for rule in css.split_inclusive('}') {
        match rule.split_once('{') {
            Some((selectors, body)) => {
                let selectors = strip_comments(selectors);
                let scoped: Vec<String> = selectors
                    .split(',')
                    .map(|s| s.trim())
                    .filter(|s| !s.is_empty())
                    .map(|s| format!("{prefix} {s}"))
                    .collect();
                if !scoped.is_empty() {
                    let _ = writeln!(out, "{} {{{body}", scoped.join(", "));
                }
            }
            None => out.push_str(rule),
        }
    }
    out
}

fn strip_comments(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        match rest[start..].find("*/") {
            Some(end) => rest = &rest[start + end + 2..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_translated_twin_reuses_only_lines_in_the_same_state() {
        let a = "// 计算总数\nfn total(x: &[u32]) -> u32 {\n    x.iter().sum() // 求和\n}\n";
        let b =
            "// Compute the total\nfn total(x: &[u32]) -> u32 {\n    x.iter().sum() // sum\n}\n";
        // Line 2 has the same text, but starts inside a comment here.
        let c = "/* an open comment\nfn total(x: &[u32]) -> u32 {\n*/\n}\n";
        let alone = |code: &'static str| {
            std::thread::spawn(move || code_block(code, &Fence::parse("rust")))
                .join()
                .expect("thread")
        };
        let (b_alone, c_alone) = (alone(b), alone(c));
        assert!(c_alone.contains("hl-comment") && c_alone != b_alone);
        std::thread::spawn(move || {
            let fence = Fence::parse("rust");
            code_block(a, &fence);
            assert_eq!(code_block(b, &fence), b_alone);
            assert_eq!(code_block(c, &fence), c_alone);
        })
        .join()
        .expect("thread");
    }

    #[test]
    fn rust_blocks_hide_their_hidden_lines() {
        let code = "# use std::io;\n#\nfn main() {\n    # let x = 1;\n    #[derive(Debug)]\n    ## not hidden\n}\n";
        assert_eq!(
            without_hidden_lines(code),
            "fn main() {\n    #[derive(Debug)]\n    # not hidden\n}\n"
        );
        let html = code_block(code, &Fence::parse("rust,ignore"));
        assert!(!html.contains("use std"), "{html}");
        let html = code_block("# heading\n", &Fence::parse("text"));
        assert!(html.contains("# heading"), "{html}");
    }

    #[test]
    fn fence_options() {
        assert_eq!(
            Fence::parse("toml,linenos,hl_lines=2-3 5"),
            Fence {
                lang: Some("toml".into()),
                linenos: true,
                hl_lines: vec![(2, 3), (5, 5)]
            }
        );
        assert_eq!(
            Fence::parse("rust"),
            Fence {
                lang: Some("rust".into()),
                ..Fence::default()
            }
        );
        assert_eq!(Fence::parse(""), Fence::default());
        assert!(Fence::parse("sh linenos").linenos);
    }

    #[test]
    fn highlights_with_classes_line_by_line() {
        let html = code_block("[a]\nb = \"x\"\n", &Fence::parse("toml,hl_lines=2"));
        assert!(
            html.starts_with(
                "<pre class=\"code hl-code\" data-lang=\"toml\"><code class=\"language-toml\">"
            ),
            "{html}"
        );
        assert!(html.contains("hl-toml"), "{html}");
        assert!(!html.contains("style="));
        assert_eq!(html.matches("<span class=\"line").count(), 2);
        assert!(html.contains("<span class=\"line hl\">"));
        assert_eq!(
            html.matches("<span").count(),
            html.matches("</span>").count()
        );
    }

    #[test]
    fn a_multi_line_comment_stays_balanced_per_line() {
        let html = code_block("/* one\ntwo */ fn main() {}\n", &Fence::parse("rust"));
        for line in html.split("<span class=\"line\">").skip(1) {
            let line = &line[..line.find("\n</span>").expect("line end")];
            assert_eq!(
                line.matches("<span").count(),
                line.matches("</span>").count(),
                "{line}"
            );
        }
    }

    #[test]
    fn unknown_languages_are_plain_and_escaped() {
        let html = code_block("<script>x</script>\n", &Fence::parse("no-such-lang"));
        assert!(html.contains("&lt;script&gt;x&lt;/script&gt;") && !html.contains("<script>"));
        assert!(!html.contains("hl-source"));
    }

    #[test]
    fn the_grammars_a_server_guide_needs_are_there() {
        let set = syntaxes();
        for lang in [
            "toml",
            "yaml",
            "dockerfile",
            "nginx",
            "sql",
            "sh",
            "bash",
            "json",
            "proto",
            "go",
            "rust",
            "java",
            "ts",
            "typescript",
        ] {
            assert!(set.find_syntax_by_token(lang).is_some(), "{lang}");
        }
    }

    #[test]
    fn dark_theme_follows_the_colour_scheme() {
        let css = stylesheet();
        assert!(css.contains("html[data-scheme=\"dark\"] .hl-"));
        assert!(css.contains("@media (prefers-color-scheme: dark)"));
    }
}
