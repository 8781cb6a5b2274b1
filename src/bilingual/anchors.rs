//! What a translation keeps of its source: code, inline code, URLs and link targets, image
//! paths, heading ids, file paths, numbers and raw HTML tags. Each block gets the set of
//! these it holds, as hashed keys; two blocks sharing keys are likely each other's
//! translation, two blocks holding keys but sharing none likely are not.

use crate::hash::fnv1a64;
use crate::model::BlockKind;

/// How telling a key is: a shared URL says more than a shared number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Strength {
    /// Numbers: kept, but common.
    Weak = 1,
    /// Inline code, file paths, HTML tags and attributes.
    Normal = 2,
    /// The whole text of a code or HTML block, a URL or link target, a heading id.
    Strong = 4,
}

/// A hashed anchor; the low bits carry its strength.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Key(u64);

impl Key {
    fn new(class: &str, text: &str, strength: Strength) -> Key {
        let h = fnv1a64(class) ^ fnv1a64(text).rotate_left(17);
        Key((h & !0b111) | strength as u64)
    }

    pub(crate) fn strength(self) -> u64 {
        self.0 & 0b111
    }
}

/// The anchors of one block's Markdown, sorted and without repeats.
#[cfg(test)]
pub(crate) fn keys(md: &str, kind: BlockKind) -> Vec<Key> {
    let mut out = Vec::new();
    add_keys(md, kind, &mut out);
    out.sort_unstable();
    out.dedup();
    out
}

/// Adds the anchors of one block's Markdown to `out`, unsorted.
pub(crate) fn add_keys(md: &str, kind: BlockKind, out: &mut Vec<Key>) {
    match kind {
        BlockKind::Code => {
            out.push(whole(md));
            // A translation may translate the comments: the other lines stay.
            out.extend(
                md.lines()
                    .map(str::trim)
                    .filter(|l| l.len() >= 4)
                    .map(|l| Key::new("line", l, Strength::Weak)),
            );
        }
        BlockKind::Html => {
            out.push(whole(md));
            tags(md, out, true);
        }
        _ => inline(md, out),
    }
}

/// The key standing for a block's whole text: equal only for identical blocks.
pub(crate) fn whole(md: &str) -> Key {
    Key::new("whole", md.trim(), Strength::Strong)
}

/// Anchors inside prose: inline code, link targets, heading ids, inline HTML, paths, numbers.
fn inline(md: &str, out: &mut Vec<Key>) {
    if !md.contains('`') {
        links(md, out);
        tags(md, out, true);
        words(md, out);
        return;
    }
    let mut rest = md;
    let mut prose = String::with_capacity(md.len());
    while let Some(tick) = rest.find('`') {
        prose.push_str(&rest[..tick]);
        let run = rest[tick..].len() - rest[tick..].trim_start_matches('`').len();
        let after = &rest[tick + run..];
        let fence = &rest[tick..tick + run];
        match after.find(fence) {
            Some(end) => {
                let code = after[..end].trim();
                if !code.is_empty() {
                    out.push(Key::new("code", code, Strength::Normal));
                }
                rest = &after[end + run..];
            }
            None => {
                rest = after;
            }
        }
    }
    prose.push_str(rest);
    links(&prose, out);
    tags(&prose, out, true);
    words(&prose, out);
}

/// Link and image targets `](target)`, reference definitions `]: target`, heading ids
/// `{#id}` and autolinks `<https://…>`: all kept as written by translations.
fn links(md: &str, out: &mut Vec<Key>) {
    fn target(s: &str) -> Option<&str> {
        let s = s.trim_start();
        let s = s.strip_prefix('<').unwrap_or(s);
        let end = s.find([')', ' ', '>', '\n', '"']).unwrap_or(s.len());
        Some(&s[..end]).filter(|t| !t.is_empty())
    }
    let bytes = md.as_bytes();
    // Each marker is found with a single-character search (fast: memchr); they are ASCII,
    // so the offsets after them fall on character boundaries.
    for (i, _) in md.match_indices(']') {
        if matches!(bytes.get(i + 1), Some(b'(' | b':')) {
            if let Some(t) = md.get(i + 2..).and_then(target) {
                out.push(Key::new("link", t, Strength::Strong));
            }
        }
    }
    for (i, _) in md.match_indices('{') {
        if bytes.get(i + 1) != Some(&b'#') {
            continue;
        }
        let id = md.get(i + 2..).unwrap_or("");
        if let Some(end) = id.find('}') {
            let id = id[..end].split_whitespace().next().unwrap_or("");
            if !id.is_empty() {
                out.push(Key::new("link", &format!("#{id}"), Strength::Strong));
            }
        }
    }
    for (i, _) in md.match_indices(':') {
        if bytes.get(i + 1..i + 3) != Some(b"//") {
            continue;
        }
        let start = md[..i]
            .rfind(|c: char| !c.is_ascii_alphabetic())
            .map_or(0, |p| p + 1);
        let end = md[i..]
            .find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | '"' | '\'' | ']'))
            .map_or(md.len(), |p| i + p);
        out.push(Key::new("link", &md[start..end], Strength::Strong));
    }
}

/// Raw HTML tags: each tag name, and each attribute with its value when the value has no
/// letters of a translated language (ids, numbers, file names, classes are kept; captions
/// are not).
fn tags(md: &str, out: &mut Vec<Key>, attributes: bool) {
    let mut rest = md;
    while let Some(open) = rest.find('<') {
        let tag = &rest[open + 1..];
        let end = tag.find('>').unwrap_or(tag.len());
        let body = &tag[..end];
        rest = &tag[end..];
        if body.starts_with("!--") {
            out.push(Key::new("tag", "!--", Strength::Normal));
            continue;
        }
        let name: String = body
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        if name.is_empty() || body.contains("://") && !body.contains(' ') {
            continue;
        }
        let closing = if body.starts_with('/') { "/" } else { "" };
        out.push(Key::new(
            "tag",
            &format!("{closing}{}", name.to_ascii_lowercase()),
            Strength::Normal,
        ));
        if !attributes {
            continue;
        }
        for (i, _) in body.match_indices("=\"") {
            let attr = body[..i]
                .rsplit(|c: char| c.is_whitespace())
                .next()
                .unwrap_or("");
            let value = &body[i + 2..];
            let value = &value[..value.find('"').unwrap_or(value.len())];
            if !attr.is_empty() && value.is_ascii() {
                out.push(Key::new(
                    "attr",
                    &format!("{attr}={value}"),
                    Strength::Normal,
                ));
            }
        }
    }
}

/// File paths and qualified names (`src/main.rs`, `std::io`, `Cargo.toml`) and numbers
/// (`14-7`, `0.8.5`), as runs of ASCII outside code spans.
fn words(md: &str, out: &mut Vec<Key>) {
    let word = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'/' | b':' | b'-');
    // A token of letters only is a plain word: look only around the other word characters.
    let special = |b: u8| b.is_ascii_digit() || matches!(b, b'_' | b'.' | b'/' | b':' | b'-');
    let bytes = md.as_bytes();
    let mut i = 0;
    while let Some(p) = bytes[i..].iter().position(|&b| special(b)) {
        let at = i + p;
        let start = bytes[..at]
            .iter()
            .rposition(|&b| !word(b))
            .map_or(0, |q| q + 1);
        let end = bytes[at..]
            .iter()
            .position(|&b| !word(b))
            .map_or(bytes.len(), |q| at + q);
        i = end;
        // ASCII bytes on both ends: `start..end` falls on character boundaries.
        let Some(token) = md.get(start..end) else {
            continue;
        };
        let token = token.trim_matches(|c: char| matches!(c, '_' | '.' | ':' | '-' | '/'));
        // URLs were counted as links.
        if token.is_empty() || token.contains("://") {
            continue;
        }
        if token
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
        {
            out.push(Key::new("num", token, Strength::Weak));
        } else if token.contains('/') || token.contains("::") || dotted(token) {
            out.push(Key::new("path", token, Strength::Normal));
        }
    }
}

/// `Cargo.toml`, `lib.rs`: a dot between letters or digits.
fn dotted(token: &str) -> bool {
    let b = token.as_bytes();
    b.windows(3)
        .any(|w| w[1] == b'.' && w[0].is_ascii_alphanumeric() && w[2].is_ascii_alphabetic())
}

/// The tags an HTML block is made of, in order, as one hash: blocks of the same tags may
/// pair, blocks of different tags (a comment and an anchor, a new wrapper and an old
/// caption) may not.
pub(crate) fn tag_signature(md: &str) -> u64 {
    let mut names = Vec::new();
    tags(md, &mut names, false);
    let mut h: u64 = 0;
    // Attributes and comments' text differ in translation; names do not.
    for key in names {
        h = h.rotate_left(5) ^ key.0;
    }
    h
}

/// Sum of the strengths of the keys two sorted sets share.
pub(crate) fn shared(a: &[Key], b: &[Key]) -> u64 {
    let (mut i, mut j, mut sum) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].strength();
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

/// Total strength of a key set.
pub(crate) fn weight(a: &[Key]) -> u64 {
    a.iter().map(|k| k.strength()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(md: &str) -> Vec<Key> {
        keys(md, BlockKind::Paragraph)
    }

    #[test]
    fn translations_share_what_they_keep() {
        let zh =
            para("在 *add_one/src/lib.rs* 中使用 `rand` 0.8.5，见[文档](https://docs.rs/rand)。");
        let en = para(
            "In _add_one/src/lib.rs_, use `rand` 0.8.5; see [the docs](https://docs.rs/rand).",
        );
        // The path, the inline code, the number and the URL: 2 + 2 + 1 + 4.
        assert_eq!(shared(&zh, &en), 9, "{zh:?} {en:?}");
        assert_eq!(weight(&zh), 9);
    }

    #[test]
    fn prose_words_and_translated_attributes_are_not_anchors() {
        let en = para("The quick brown fox.");
        assert!(en.is_empty(), "{en:?}");
        let zh = keys(
            "<Listing number=\"2-1\" caption=\"用户输入\">",
            BlockKind::Html,
        );
        let en = keys(
            "<Listing number=\"2-1\" caption=\"User input\">",
            BlockKind::Html,
        );
        // The tag name and `number`, not the caption nor the whole text.
        assert_eq!(shared(&zh, &en), 4);
    }

    #[test]
    fn code_keys_are_the_whole_text_and_its_lines() {
        let a = keys("```rust\nfn main() {}\n```", BlockKind::Code);
        let b = keys("```rust\nfn main() {}\n```\n", BlockKind::Code);
        assert_eq!(a, b);
        assert!(a.contains(&whole("```rust\nfn main() {}\n```")));
        // Comments translated: the whole differs, the code lines are still shared.
        let en = keys("```rust\n// Print it\nprintln!(x);\n```", BlockKind::Code);
        let zh = keys("```rust\n// 打印\nprintln!(x);\n```", BlockKind::Code);
        assert_eq!(shared(&en, &zh), 2, "the info string and the statement");
    }

    #[test]
    fn heading_ids_match_link_targets() {
        let h = para("安装 {#installation}");
        let p = para("see [above](#installation)");
        assert_eq!(shared(&h, &p), 4);
    }

    #[test]
    fn unterminated_markup_is_harmless() {
        for md in ["`open", "<a href=\"x", "[x](", "{#", "http://", "<", "]:"] {
            let _ = para(md);
        }
    }
}
