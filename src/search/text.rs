//! The text of Markdown as a reader sees it, which is the text the index holds.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use crate::commonmark::parser_options;

/// Plain text of Markdown: what a reader sees, without markup, each run of white space
/// (breaks and block ends included) one space, none at either end. Inline markup (emphasis,
/// links, code spans, inline HTML such as `<kbd>`) adds no space: `*所有*被省略` reads 所有被省略,
/// and its pair 有被 must be indexed. An image or a `<br>` does break the text.
pub fn plain_text(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut gap = false;
    for event in Parser::new_ext(md, parser_options()) {
        let text = match event {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => t,
            Event::InlineHtml(h) if !breaks_text(&h) => continue,
            Event::End(end) if is_inline(end) => continue,
            Event::Start(Tag::Image { .. })
            | Event::End(_)
            | Event::InlineHtml(_)
            | Event::SoftBreak
            | Event::HardBreak => {
                gap = true;
                continue;
            }
            _ => continue,
        };
        let mut words = text.split_whitespace().peekable();
        if words.peek().is_none() {
            gap |= !text.is_empty();
            continue;
        }
        gap |= text.starts_with(char::is_whitespace);
        for word in words {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            out.push_str(word);
            gap = true;
        }
        gap = text.ends_with(char::is_whitespace);
    }
    out
}

/// Markup that ends inside a line of text, where the reader sees no break.
fn is_inline(end: TagEnd) -> bool {
    matches!(
        end,
        TagEnd::Emphasis
            | TagEnd::Strong
            | TagEnd::Strikethrough
            | TagEnd::Superscript
            | TagEnd::Subscript
            | TagEnd::Link
    )
}

/// Inline HTML that the reader sees as a break: `<br>`, `<img>`, `<hr>`.
fn breaks_text(html: &str) -> bool {
    let tag = html.trim_start_matches('<').trim_start_matches('/');
    let name: String = tag
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    matches!(
        name.as_str(),
        "br" | "img" | "hr" | "p" | "div" | "li" | "td" | "th" | "tr"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::terms;

    /// Inline markup never cuts the text the reader sees; blocks, breaks and images do.
    const INLINE_SHAPES: &[(&str, &str)] = &[
        ("*所有*被省略", "所有被省略"),
        ("**所有**被省略", "所有被省略"),
        ("~~所有~~被省略", "所有被省略"),
        ("这*确实*映射到", "这确实映射到"),
        ("[链接](https://x.org/)文字", "链接文字"),
        ("见[链接][r]文字\n\n[r]: https://x.org/", "见链接文字"),
        ("<https://x.org/>文字", "https://x.org/文字"),
        ("调用`as_str`方法", "调用as_str方法"),
        ("按<kbd>Ctrl</kbd>键", "按Ctrl键"),
        ("<span>所有</span>被省略", "所有被省略"),
        ("***所有***被省略", "所有被省略"),
        ("a*b*c", "abc"),
        ("re**use**d words", "reused words"),
        ("第一行<br>第二行", "第一行 第二行"),
        ("第一行\n第二行", "第一行 第二行"),
        ("第一行  \n第二行", "第一行 第二行"),
        ("图![图片](x.png)后", "图 图片 后"),
        ("# 标题\n正文", "标题 正文"),
        ("- 一\n- 二", "一 二"),
        ("| 甲 | 乙 |\n|---|---|\n| 丙 | 丁 |", "甲 乙 丙 丁"),
        ("*所有* 被省略", "所有 被省略"),
    ];

    #[test]
    fn the_indexed_text_is_the_text_the_reader_sees() {
        for (md, seen) in INLINE_SHAPES {
            assert_eq!(plain_text(md), *seen, "{md}");
        }
        assert!(terms(&plain_text("*所有*被省略")).contains(&"有被".to_string()));
        assert!(terms(&plain_text("*确实*映射到")).contains(&"实映".to_string()));
    }
}
