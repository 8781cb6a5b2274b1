//! Telling the two languages apart by script, for books that keep both in one file.

use crate::lang::{Languages, Script, Side};

/// How much of a text is written in each script. A Han character carries about as much
/// meaning as a short word, so it weighs more than a Latin letter: `使用 Redis 缓存` reads as
/// Chinese and `the 缓存 layer` as English.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ScriptWeight {
    pub(crate) cjk: usize,
    pub(crate) alphabetic: usize,
}

const IDEOGRAPH_WEIGHT: usize = 3;

impl ScriptWeight {
    pub(crate) fn of(text: &str) -> ScriptWeight {
        let mut w = ScriptWeight::default();
        visible_runs(text, |run| {
            for c in run.chars() {
                if c.is_ascii() {
                    w.alphabetic += usize::from(c.is_ascii_alphabetic());
                } else if is_cjk_letter(c) {
                    w.cjk += IDEOGRAPH_WEIGHT;
                } else if is_cjk_punctuation(c) {
                    w.cjk += 1;
                } else if c.is_alphabetic() {
                    w.alphabetic += 1;
                }
            }
        });
        w
    }

    /// The script that dominates, or `None` for text with no letters (numbers, symbols).
    pub(crate) fn dominant(self) -> Option<Script> {
        match (self.cjk, self.alphabetic) {
            (0, 0) => None,
            (c, a) if c >= a => Some(Script::Cjk),
            _ => Some(Script::Alphabetic),
        }
    }
}

fn is_cjk_letter(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'   // Hiragana, Katakana
        | '\u{3400}'..='\u{4DBF}' // CJK Extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK Unified Ideographs
        | '\u{AC00}'..='\u{D7AF}' // Hangul syllables
        | '\u{1100}'..='\u{11FF}' // Hangul Jamo
        | '\u{F900}'..='\u{FAFF}' // CJK Compatibility Ideographs
        | '\u{20000}'..='\u{2FA1F}')
}

fn is_cjk_punctuation(c: char) -> bool {
    matches!(c, '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}')
}

/// Calls `f` with each run of the text a reader sees: link targets `](…)` and `<…>` tags or
/// autolinks are left out (up to their closing bracket or the end of the line), since URLs are
/// Latin whatever the language of the sentence. Works on bytes: every bracket is ASCII.
fn visible_runs(text: &str, mut f: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let (mut start, mut i, mut prev) = (0, 0, 0u8);
    while i < bytes.len() {
        let c = bytes[i];
        if (prev == b']' && c == b'(') || c == b'<' {
            f(&text[start..i]);
            let close = if c == b'(' { b')' } else { b'>' };
            let skipped = bytes[i + 1..]
                .iter()
                .position(|&d| d == close || d == b'\n')
                .map_or(bytes.len(), |at| i + 1 + at + 1);
            i = skipped;
            start = skipped;
            prev = close;
            continue;
        }
        prev = c;
        i += 1;
    }
    f(&text[start..]);
}

/// Characters a reader sees in a Markdown text (link targets and tags left out).
pub(crate) fn visible_len(text: &str) -> usize {
    let mut n = 0;
    visible_runs(text, |run| {
        // A character is a byte that does not continue another one.
        n += run.bytes().filter(|b| b & 0xC0 != 0x80).count();
    });
    n
}

/// Which side of the book a text is written in, if the languages differ in script.
pub(crate) fn side_of(text: &str, langs: &Languages) -> Option<Side> {
    ScriptWeight::of(text)
        .dominant()
        .and_then(|s| langs.side_of_script(s))
}

/// Splits `中文 | English` into `[primary, secondary]`. The separator is ` | ` (or a
/// full-width `｜`); when there are several, the one where the script changes is taken.
/// Returns `None` when the text is not a two-language string.
pub(crate) fn split_bilingual(text: &str, langs: &Languages) -> Option<[String; 2]> {
    let candidates: Vec<(usize, usize)> = separators(text).collect();
    if candidates.is_empty() {
        return None;
    }
    if langs.scripts_differ() {
        for &(start, end) in &candidates {
            let (left, right) = (text[..start].trim(), text[end..].trim());
            match (side_of(left, langs), side_of(right, langs)) {
                (Some(Side::Primary), Some(Side::Secondary)) => {
                    return Some([left.into(), right.into()])
                }
                (Some(Side::Secondary), Some(Side::Primary)) => {
                    return Some([right.into(), left.into()])
                }
                _ => {}
            }
        }
        // The scripts did not tell; a lone separator still splits in the configured order.
    }
    if let [(start, end)] = candidates[..] {
        let (left, right) = (text[..start].trim(), text[end..].trim());
        if !left.is_empty() && !right.is_empty() {
            return Some([left.into(), right.into()]);
        }
    }
    None
}

fn separators(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let ascii = text.match_indices(" | ").map(|(i, s)| (i, i + s.len()));
    let wide = text.match_indices('｜').map(|(i, s)| (i, i + s.len()));
    ascii.chain(wide)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The characters a reader sees, one by one: the rule [`visible_runs`] implements on
    /// bytes, written plainly.
    fn visible_chars(text: &str) -> Vec<char> {
        let mut chars = text.chars();
        let (mut out, mut prev) = (Vec::new(), '\0');
        while let Some(c) = chars.next() {
            if (prev == ']' && c == '(') || c == '<' {
                let close = if c == '(' { ')' } else { '>' };
                for d in chars.by_ref() {
                    if d == close || d == '\n' {
                        break;
                    }
                }
                prev = close;
                continue;
            }
            prev = c;
            out.push(c);
        }
        out
    }

    #[test]
    fn visible_runs_leave_out_link_targets_and_tags_as_the_plain_rule_does() {
        let table = [
            "",
            "plain text",
            "中文 and English",
            "[链接](https://example.org/很长) 之后",
            "[a](b)[c](d)](e)",
            "a <b>粗体</b> c <https://x.y> d",
            "unclosed <tag and more\nnext line",
            "unclosed [x](target\n下一行",
            "](( nested ) ) <<>>",
            "] (not a target)",
            "ends with ](",
            "ends with <",
            "é ü ß → 😀 ]《(》",
        ];
        for text in table {
            let mut runs = String::new();
            visible_runs(text, |r| runs.push_str(r));
            let expected: String = visible_chars(text).into_iter().collect();
            assert_eq!(runs, expected, "{text:?}");
            assert_eq!(visible_len(text), expected.chars().count(), "{text:?}");
        }
    }

    fn side(text: &str) -> Option<Side> {
        side_of(text, &Languages::default())
    }

    #[test]
    fn mixed_lines_go_by_dominant_script() {
        assert_eq!(side("使用 Redis 缓存"), Some(Side::Primary));
        assert_eq!(side("the 缓存 layer"), Some(Side::Secondary));
        assert_eq!(side("设计 RESTful 接口"), Some(Side::Primary));
        assert_eq!(side("Designing RESTful interfaces"), Some(Side::Secondary));
        assert_eq!(side("API 设计"), Some(Side::Primary));
        assert_eq!(side("2024-01-01"), None);
    }

    #[test]
    fn link_targets_do_not_count() {
        assert_eq!(
            side("另请参阅[指南](../chapter-001/page-00017-long-english-name.md)。"),
            Some(Side::Primary)
        );
    }

    #[test]
    fn splits_titles_in_either_order() {
        let l = Languages::default();
        assert_eq!(
            split_bilingual("1.1 需求分析 | Requirements Analysis", &l),
            Some([
                "1.1 需求分析".to_string(),
                "Requirements Analysis".to_string()
            ])
        );
        assert_eq!(
            split_bilingual("Guide | 指南", &l),
            Some(["指南".to_string(), "Guide".to_string()])
        );
        assert_eq!(
            split_bilingual("A | B | 中文 | English", &l).map(|s| s[1].clone()),
            Some("English".to_string())
        );
        assert_eq!(split_bilingual("no separator", &l), None);
    }
}
