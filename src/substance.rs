//! What a Markdown block says, as opposed to how it is written: the text a reader sees, its
//! code spans, link targets and heading levels, without the line breaks and spacing a
//! re-wrap changes or the list-marker style. Two blocks with the same substance need the
//! same translation; a changed word, number, link target, code span or heading counts.

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

/// The substance of `md`: equal for a paragraph and its re-wrapped form, different when a
/// word, number, code span, link target or heading level differs.
pub(crate) fn substance(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut in_code_block = false;
    let mut links: Vec<String> = Vec::new();
    for event in Parser::new_ext(md, crate::commonmark::parser_options()) {
        match event {
            Event::Text(t) if in_code_block => {
                // Indentation and line breaks matter in code; trailing spaces do not.
                for line in t.lines() {
                    out.push_str(line.trim_end());
                    out.push('\n');
                }
            }
            Event::Text(t) | Event::InlineMath(t) | Event::DisplayMath(t) => words(&mut out, &t),
            Event::Code(c) => {
                out.push('`');
                words(&mut out, &c);
                out.push('`');
            }
            Event::Html(h) | Event::InlineHtml(h) => words(&mut out, &h),
            Event::SoftBreak => space(&mut out),
            Event::HardBreak => out.push_str("\\\n"),
            Event::FootnoteReference(label) => {
                out.push_str("[^");
                out.push_str(&label);
                out.push(']');
            }
            Event::TaskListMarker(done) => out.push_str(if done { "[x] " } else { "[ ] " }),
            Event::Rule => out.push_str("\n---\n"),
            Event::Start(tag) => {
                if let Tag::CodeBlock(kind) = &tag {
                    in_code_block = true;
                    out.push_str("\n```");
                    if let CodeBlockKind::Fenced(info) = kind {
                        out.push_str(info.trim());
                    }
                    out.push('\n');
                } else {
                    if let Tag::Link { dest_url, .. } | Tag::Image { dest_url, .. } = &tag {
                        links.push(dest_url.to_string());
                    }
                    start(&mut out, &tag);
                }
            }
            Event::End(end) => {
                if end == TagEnd::CodeBlock {
                    in_code_block = false;
                }
                if matches!(end, TagEnd::Link | TagEnd::Image) {
                    out.push_str("](");
                    out.push_str(&links.pop().unwrap_or_default());
                    out.push(')');
                }
                finish(&mut out, end);
            }
        }
    }
    out.trim().to_string()
}

/// One space, unless the text already ends in one (or starts a line).
fn space(out: &mut String) {
    if !out.is_empty() && !out.ends_with([' ', '\n']) {
        out.push(' ');
    }
}

/// Whether two pieces of Markdown say the same thing.
pub(crate) fn same(a: &str, b: &str) -> bool {
    a == b || substance(a) == substance(b)
}

/// `text` with every run of whitespace made one space.
fn words(out: &mut String, text: &str) {
    for (i, w) in text.split_whitespace().enumerate() {
        if i > 0 || text.starts_with(char::is_whitespace) {
            space(out);
        }
        out.push_str(w);
    }
    if text.ends_with(char::is_whitespace) {
        space(out);
    }
}

fn start(out: &mut String, tag: &Tag<'_>) {
    match tag {
        Tag::Heading { level, id, .. } => {
            out.push('\n');
            out.push_str(&"#".repeat(*level as usize));
            out.push(' ');
            if let Some(id) = id {
                out.push_str("{#");
                out.push_str(id);
                out.push_str("} ");
            }
        }
        Tag::Paragraph => out.push('\n'),
        Tag::BlockQuote(_) => out.push_str("\n>"),
        Tag::List(Some(first)) => out.push_str(&format!("\n{first}.")),
        Tag::List(None) => out.push_str("\n-"),
        Tag::Item => out.push_str("\n* "),
        Tag::Emphasis => out.push('*'),
        Tag::Strong => out.push_str("**"),
        Tag::Strikethrough => out.push_str("~~"),
        Tag::Link { .. } | Tag::Image { .. } => out.push('['),
        Tag::Table(_) => out.push_str("\n|"),
        Tag::TableRow | Tag::TableHead => out.push_str("\n|"),
        Tag::TableCell => out.push('|'),
        Tag::FootnoteDefinition(label) => {
            out.push_str("\n[^");
            out.push_str(label);
            out.push_str("]:");
        }
        _ => out.push('\n'),
    }
}

fn finish(out: &mut String, end: TagEnd) {
    match end {
        TagEnd::Emphasis => out.push('*'),
        TagEnd::Strong => out.push_str("**"),
        TagEnd::Strikethrough => out.push_str("~~"),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrapping_and_trailing_spaces_do_not_count() {
        assert!(same(
            "The quick brown fox\njumps over the lazy dog.",
            "The quick brown fox jumps over  \nthe lazy dog."
                .replace("  \n", "\n")
                .as_str()
        ));
        assert!(same("One two three.   ", "One two\nthree."));
    }

    #[test]
    fn list_marker_style_does_not_count() {
        assert!(same("- one\n- two", "* one\n* two"));
        assert!(same("- one\n- two", "+ one\n+ two"));
    }

    #[test]
    fn words_numbers_links_code_and_headings_count() {
        assert!(!same("Wait 5 seconds.", "Wait 10 seconds."));
        assert!(!same("Run the tool.", "Run the tools."));
        assert!(!same("See [the docs](a.md).", "See [the docs](b.md)."));
        assert!(!same("Use `cargo build`.", "Use `cargo check`."));
        assert!(!same("## Setup", "### Setup"));
        assert!(!same("## Setup", "## Set up"));
        assert!(!same("*word*", "**word**"));
    }

    #[test]
    fn indentation_in_code_counts_but_trailing_spaces_do_not() {
        assert!(!same(
            "```py\nif x:\n    y()\n```",
            "```py\nif x:\ny()\n```"
        ));
        assert!(same(
            "```py\nif x:   \n    y()\n```",
            "```py\nif x:\n    y()\n```"
        ));
    }
}
