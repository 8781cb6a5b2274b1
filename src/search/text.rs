//! The text of Markdown as a reader sees it, which is the text the index holds.

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

use crate::commonmark::parser_options;
use crate::highlight::{without_hidden_lines, Fence};

/// Plain text of Markdown: what a reader sees, without markup, each run of white space
/// (breaks and block ends included) one space, none at either end. Inline markup (emphasis,
/// links, code spans, inline HTML such as `<kbd>`) adds no space: `*所有*被省略` reads 所有被省略,
/// and its pair 有被 must be indexed. An image or a `<br>` does break the text. The lines
/// of a Rust block that readers do not see (`# use std::io;`) are left out.
pub fn plain_text(md: &str) -> String {
    if let Some(out) = prose_text(md) {
        debug_assert_eq!(out, parsed_text(md), "{md:?}");
        return out;
    }
    parsed_text(md)
}

/// What a byte of Markdown is to [`prose_text`].
#[derive(Clone, Copy, PartialEq)]
enum Byte {
    /// It may start markup.
    Markup,
    /// Part of a word.
    Word,
    Space,
    Newline,
    /// It may start white space beyond ASCII (U+0085, U+00A0, U+1680, U+2000…, U+3000).
    Lead,
}

const BYTES: [Byte; 256] = {
    let mut table = [Byte::Markup; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = match c {
            b' ' => Byte::Space,
            b'\n' => Byte::Newline,
            0xC2 | 0xE1 | 0xE2 | 0xE3 => Byte::Lead,
            b',' | b'.' | b';' | b'?' | b'(' | b')' | b'/' | b'-' | b'\'' | b'"' | b'%' | b'@'
            | b'=' | b'+' => Byte::Word,
            _ if c.is_ascii_alphanumeric() || !c.is_ascii() => Byte::Word,
            _ => Byte::Markup,
        };
        b += 1;
    }
    table
};

/// The text of Markdown that reads as it is written, in one pass: most prose. `None` unless
/// no byte can start markup (only letters, digits, text beyond ASCII, spaces, line breaks
/// and the punctuation in [`BYTES`]) and every line starts with a letter or a character beyond
/// ASCII, or with `- ` and one of those (a list item, whose marker is not text), so no line
/// opens a block other than a paragraph or a plain list. Its text is its words, one space
/// between each two.
fn prose_text(md: &str) -> Option<String> {
    let bytes = md.as_bytes();
    let n = bytes.len();
    let mut out = String::with_capacity(n);
    let mut i = 0;
    while i < n {
        // A line starts at `i`.
        let item = bytes[i..].starts_with(b"- ");
        if item {
            i += 2;
        }
        let indent = bytes[i..].iter().take_while(|&&b| b == b' ').count();
        match bytes.get(i + indent) {
            None | Some(b'\n') if !item => {}
            Some(&b) if indent < 4 && (b.is_ascii_alphabetic() || !b.is_ascii()) => {}
            _ => return None,
        }
        i += indent;
        while i < n {
            match BYTES[usize::from(bytes[i])] {
                Byte::Space => i += 1,
                Byte::Newline => {
                    i += 1;
                    break;
                }
                Byte::Markup => return None,
                Byte::Word | Byte::Lead => {
                    // A word: up to the next white space or line break.
                    let start = i;
                    while i < n {
                        match BYTES[usize::from(bytes[i])] {
                            Byte::Word => i += 1,
                            Byte::Lead => {
                                let c = md[i..].chars().next()?;
                                if c.is_whitespace() {
                                    break;
                                }
                                i += c.len_utf8();
                            }
                            Byte::Markup => return None,
                            Byte::Space | Byte::Newline => break,
                        }
                    }
                    if i == start {
                        // White space beyond ASCII.
                        i += md[i..].chars().next().map_or(1, char::len_utf8);
                        continue;
                    }
                    if !out.is_empty() {
                        out.push(' ');
                    }
                    // Both ends are next to white space: character boundaries.
                    out.push_str(md.get(start..i)?);
                }
            }
        }
    }
    Some(out)
}

/// [`plain_text`] read off the parsed Markdown.
fn parsed_text(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut gap = false;
    let mut html = HtmlText::default();
    let mut html_text = String::new();
    // The code of a Rust block, gathered to drop the lines readers do not see.
    let mut rust: Option<String> = None;
    for event in Parser::new_ext(md, parser_options()) {
        if let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) = &event {
            if Fence::parse(info).lang.as_deref() == Some("rust") {
                rust = Some(String::new());
            }
        }
        if let Some(code) = &mut rust {
            match &event {
                Event::Text(t) => {
                    code.push_str(t);
                    continue;
                }
                Event::End(TagEnd::CodeBlock) => {
                    push_words(&mut out, &mut gap, &without_hidden_lines(code));
                    rust = None;
                }
                _ => {}
            }
        }
        let text = match event {
            Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => t,
            Event::Html(h) => {
                html_text.clear();
                html.read(&h, &mut html_text);
                push_words(&mut out, &mut gap, &html_text);
                continue;
            }
            Event::InlineHtml(h) if !breaks_text(&h) => continue,
            Event::End(end) if is_inline(end) => continue,
            Event::Start(Tag::Image { .. })
            | Event::End(_)
            | Event::InlineHtml(_)
            | Event::SoftBreak
            | Event::HardBreak => {
                // Whatever an HTML block left open ends with it.
                html = HtmlText::default();
                gap = true;
                continue;
            }
            _ => continue,
        };
        push_words(&mut out, &mut gap, &text);
    }
    out
}

/// Appends `text` to `out`, each run of white space one space (`gap`: one is due before the
/// next word).
fn push_words(out: &mut String, gap: &mut bool, text: &str) {
    let mut words = Words { text, at: 0 }.peekable();
    if words.peek().is_none() {
        *gap |= !text.is_empty();
        return;
    }
    *gap |= text.starts_with(char::is_whitespace);
    for word in words {
        if *gap && !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
        *gap = true;
    }
    *gap = text.ends_with(char::is_whitespace);
}

/// The words of a text, as `split_whitespace` gives them, read a byte at a time: only the
/// first bytes of the white space beyond ASCII (U+0085, U+00A0, U+1680, U+2000…U+205F,
/// U+3000) make it look at a whole character.
struct Words<'a> {
    text: &'a str,
    at: usize,
}

impl Words<'_> {
    /// Whether white space starts at byte `i` (a character boundary or not), and its length.
    #[inline(always)]
    fn space(&self, i: usize) -> (bool, usize) {
        match self.text.as_bytes()[i] {
            0x21..=0x7F => (false, 1),
            b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r' => (true, 1),
            0xC2 | 0xE1 | 0xE2 | 0xE3 => match self.text[i..].chars().next() {
                Some(c) => (c.is_whitespace(), c.len_utf8()),
                None => (false, 1),
            },
            _ => (false, 1),
        }
    }
}

impl<'a> Iterator for Words<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let n = self.text.len();
        while self.at < n {
            let (space, len) = self.space(self.at);
            if !space {
                break;
            }
            self.at += len;
        }
        if self.at >= n {
            return None;
        }
        let start = self.at;
        while self.at < n {
            let (space, len) = self.space(self.at);
            if space {
                break;
            }
            self.at += len;
        }
        Some(&self.text[start..self.at])
    }
}

/// The text of block HTML as the reader sees it, line by line (`<figcaption>示例 1-1…`): tags
/// dropped (a block tag is a break, an inline one nothing), comments, scripts and styles
/// left out, the common entities decoded. What it is skipping carries over to the next line.
#[derive(Default)]
struct HtmlText {
    /// What ends the markup being skipped: `>` (a tag), `-->`, `</script`, `</style`.
    until: Option<&'static str>,
    /// The tag being skipped breaks the text.
    breaks: bool,
}

impl HtmlText {
    fn read(&mut self, html: &str, out: &mut String) {
        let mut rest = html;
        while !rest.is_empty() {
            if let Some(end) = self.until {
                let Some(i) = find_ignoring_case(rest, end) else {
                    return;
                };
                rest = &rest[i + end.len()..];
                self.until = None;
                if end.starts_with("</") {
                    // The rest of `</script …>`.
                    (self.until, self.breaks) = (Some(">"), true);
                } else if end == ">" && self.breaks {
                    out.push(' ');
                }
                continue;
            }
            let Some(at) = rest.find(['<', '&']) else {
                out.push_str(rest);
                return;
            };
            out.push_str(&rest[..at]);
            rest = &rest[at..];
            if rest.starts_with('&') {
                let (text, len) = entity(rest);
                out.push_str(text);
                rest = &rest[len..];
            } else if let Some(after) = rest.strip_prefix("<!--") {
                self.until = Some("-->");
                rest = after;
            } else {
                let closing = rest[1..].starts_with('/');
                let name = tag_name(&rest[1 + usize::from(closing)..]);
                if name.is_empty() {
                    // A `<` that opens no tag is text.
                    out.push('<');
                } else {
                    self.breaks = !is_inline_tag(&name);
                    self.until = Some(match (closing, name.as_str()) {
                        (false, "script") => "</script",
                        (false, "style") => "</style",
                        _ => ">",
                    });
                }
                rest = &rest[1..];
            }
        }
    }
}

/// Where `needle` (ASCII) first occurs in `text`, in any case.
fn find_ignoring_case(text: &str, needle: &str) -> Option<usize> {
    let n = needle.len();
    text.as_bytes()
        .windows(n)
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// A tag's name, lowercased: letters and digits, starting with a letter; empty when `s` does
/// not start one.
fn tag_name(s: &str) -> String {
    if !s.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return String::new();
    }
    s.chars()
        .take_while(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// HTML elements that sit inside a line of text: their tags break nothing.
fn is_inline_tag(name: &str) -> bool {
    matches!(
        name,
        "a" | "abbr"
            | "b"
            | "bdi"
            | "bdo"
            | "cite"
            | "code"
            | "data"
            | "del"
            | "dfn"
            | "em"
            | "i"
            | "ins"
            | "kbd"
            | "mark"
            | "q"
            | "s"
            | "samp"
            | "small"
            | "span"
            | "strong"
            | "sub"
            | "sup"
            | "time"
            | "u"
            | "var"
    )
}

/// The text of the entity `s` starts with, and its length; a `&` that starts none is itself.
fn entity(s: &str) -> (&'static str, usize) {
    for (name, text) in [
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&amp;", "&"),
        ("&quot;", "\""),
        ("&#39;", "'"),
        ("&apos;", "'"),
        ("&nbsp;", " "),
    ] {
        if s.starts_with(name) {
            return (text, name.len());
        }
    }
    ("&", 1)
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
        // Block HTML: its text, without tags, comments, scripts or styles.
        (
            "<figure>\n<img src=\"x.png\" alt=\"替代\">\n<figcaption>图 17-1：任务 A 和任务 B</figcaption>\n</figure>\n\n后文",
            "图 17-1：任务 A 和任务 B 后文",
        ),
        ("<div>\n<!-- 隐藏\n的注释 -->\n可见<b>粗</b>体\n</div>", "可见粗体"),
        (
            "<div>\n<script>var 隐藏 = \"</div>\";</script>\n<STYLE>p { x: 1 }</STYLE>文字\n</div>",
            "文字",
        ),
        ("<div>\na &lt;b&gt; &amp; c&nbsp;d &x 1 < 2\n</div>", "a <b> & c d &x 1 < 2"),
        ("<div>\n第一<br>第二<p>第三</p>\n</div>", "第一 第二 第三"),
        ("<div\n  class=\"x\">\n内容\n</div>", "内容"),
        ("<!-- 注释 -->\n\n正文", "正文"),
        // Prose read as written, list markers dropped; what could open another block is
        // parsed.
        (
            "Prose, with (brackets) and 'quotes' = 2/3 + 50% @home.\n- item one\n-  项目二\nlazy\n\n  Next",
            "Prose, with (brackets) and 'quotes' = 2/3 + 50% @home. item one 项目二 lazy Next",
        ),
        ("a\n    - b", "a - b"),
        ("a\n- ", "a"),
        ("a\n- - b", "a b"),
        ("a\n---", "a"),
        ("1. 一\n2. 二", "一 二"),
        ("    code - x", "code - x"),
    ];

    #[test]
    fn hidden_lines_of_rust_code_are_not_indexed() {
        let md = "```rust,ignore\n# use std::io;\n#\nfn main() {\n    # let hidden = 1;\n    ## shown\n}\n```\n";
        assert_eq!(plain_text(md), "fn main() { # shown }");
        let terms = terms(&plain_text(md));
        assert!(
            !terms.iter().any(|t| t == "hidden" || t == "io"),
            "{terms:?}"
        );
        // Other languages show every line.
        assert_eq!(
            plain_text("```python\n# note\nx = 1\n```\n"),
            "# note x = 1"
        );
    }

    #[test]
    fn words_are_those_split_whitespace_gives() {
        for text in [
            "",
            "  ",
            "a b\tc\nd\re\x0Bf\x0Cg",
            " 所有\u{3000}被\u{a0}省略 \u{85}x\u{1680}y\u{2000}z\u{200A}w\u{2028}v\u{202F}u\u{205F}t ",
            "é\u{e1}\u{2010}\u{2030}\u{3001}中\u{200B}文 ",
        ] {
            let words: Vec<&str> = Words { text, at: 0 }.collect();
            assert_eq!(words, text.split_whitespace().collect::<Vec<_>>(), "{text:?}");
        }
    }

    #[test]
    fn the_indexed_text_is_the_text_the_reader_sees() {
        for (md, seen) in INLINE_SHAPES {
            assert_eq!(plain_text(md), *seen, "{md}");
        }
        assert!(terms(&plain_text("*所有*被省略")).contains(&"有被".to_string()));
        // Prose takes the short way (checked against the parser in debug builds).
        assert_eq!(
            prose_text("Prose, (x) 'y' \"z\" 1/2 - 3%.\n- item\n-  项目\u{3000}甲\n\n下一段 ")
                .as_deref(),
            Some("Prose, (x) 'y' \"z\" 1/2 - 3%. item 项目 甲 下一段")
        );
        for md in [
            "a\n    - b",
            "a\n- ",
            "- - b",
            "a\n---",
            "1. x",
            "a *b*",
            "a\tb",
            "a\r\nb",
        ] {
            assert_eq!(prose_text(md), None, "{md}");
        }
        assert!(terms(&plain_text("*确实*映射到")).contains(&"实映".to_string()));
    }
}
