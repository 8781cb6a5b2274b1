//! Index terms: words as written and by their stem, pieces of code whole, CJK runs cut into
//! pairs of characters. The browser (`static/search.js`) repeats these rules exactly.

use std::borrow::Cow;

use crate::hash::fnv1a32;

pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{4E00}'..='\u{9FFF}'
        | '\u{AC00}'..='\u{D7AF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2FA1F}')
}

/// A light English stemmer that the browser repeats exactly: plurals, `-ing`, `-ed`, a final
/// `e`. `cache`, `caches`, `cached` and `caching` all become `cach`. Only `-ies` → `-y`
/// makes a new string; every other stem is a prefix of the word.
pub fn stem(word: &str) -> Cow<'_, str> {
    if word.len() < 4 || !word.bytes().all(|b| b.is_ascii_lowercase()) {
        return Cow::Borrowed(word);
    }
    if word.len() > 4 && word.ends_with("ies") {
        return Cow::Owned(format!("{}y", &word[..word.len() - 3]));
    }
    let mut w = word;
    if w.len() > 4
        && w.ends_with("es")
        && ["s", "x", "z", "ch", "sh"]
            .iter()
            .any(|e| w[..w.len() - 2].ends_with(e))
    {
        w = &w[..w.len() - 2];
    } else if w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us") && !w.ends_with("is") {
        w = &w[..w.len() - 1];
    }
    let mut stripped = false;
    if w.ends_with("ing") && w.len() - 3 >= 3 {
        w = &w[..w.len() - 3];
        stripped = true;
    } else if w.ends_with("ed") && w.len() - 2 >= 3 {
        w = &w[..w.len() - 2];
        stripped = true;
    }
    if stripped {
        let b = w.as_bytes();
        let n = b.len();
        if n >= 2 && b[n - 1] == b[n - 2] && !b"aeioulsz".contains(&b[n - 1]) {
            w = &w[..n - 1];
        }
    }
    if w.len() > 3 && w.ends_with('e') {
        w = &w[..w.len() - 1];
    }
    Cow::Borrowed(w)
}

/// Marks a stem in the index, apart from the same letters written as a word (`cach~`).
pub const STEM_MARK: char = '~';

/// The index terms of a text: words as written and their stems, and every adjacent pair of characters of each
/// CJK run followed by the run's last character (`缓存策略` → 缓存, 存策, 策略, 略;
/// `caching` → caching, cach~). Every
/// character thus starts at least one term, which is how a one-character query finds it.
pub fn terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_term(text, &mut |t| out.push(t.to_string()));
    out
}

/// Calls `f` with each term of `text` in the order [`terms`] lists them. Terms are slices of
/// the lower-cased text (a CJK pair or character, a word) or one reused buffer (a stem), so
/// no string is made per term.
pub fn each_term(text: &str, f: &mut dyn FnMut(&str)) {
    each_term_kind(text, &mut |t, _| f(t));
}

/// Separates the chunks that [`identifier`] looks at.
fn is_separator(c: char) -> bool {
    c.is_whitespace() || is_cjk(c)
}

/// [`each_term`], telling `f` besides whether a term is a CJK pair (whose positions are kept).
/// ASCII, most of any text, is read a byte at a time, a word at once.
pub(super) fn each_term_kind(text: &str, f: &mut impl FnMut(&str, bool)) {
    let lower = lowercase(text);
    let lower: &str = &lower;
    let bytes = lower.as_bytes();
    // Identifiers whole first (`as_str`, `std::mem::swap`), then every word and pair. Only a
    // chunk (between white space and CJK characters) holding `_`, `:`, `<` or `#` can be one,
    // so only those chunks are looked at, each once, in order.
    let mut done = 0;
    for at in 0..bytes.len() {
        if at < done || !matches!(bytes[at], b'_' | b':' | b'<' | b'#') {
            continue;
        }
        let start = match lower[done..at].rfind(is_separator) {
            Some(i) => {
                let i = done + i;
                i + lower[i..].chars().next().map_or(1, char::len_utf8)
            }
            None => done,
        };
        let end = lower[at..]
            .find(is_separator)
            .map_or(lower.len(), |i| at + i);
        if let Some(id) = identifier(&lower[start..end]) {
            f(id, false);
        }
        done = end;
    }
    let mut stem_term = String::new();
    // Where the last CJK character of the current run starts.
    let mut last_cjk: Option<usize> = None;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b.is_ascii() {
            if let Some(start) = last_cjk.take() {
                f(&lower[start..i], false);
            }
            if b.is_ascii_alphanumeric() {
                let start = i;
                i += 1;
                while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
                    i += 1;
                }
                // A word goes on through letters beyond ASCII (`café`).
                if i < bytes.len() && !bytes[i].is_ascii() {
                    i = word_end(lower, i);
                }
                word(&lower[start..i], &mut stem_term, f);
            } else {
                i += 1;
            }
            continue;
        }
        let c = lower[i..]
            .chars()
            .next()
            .unwrap_or(char::REPLACEMENT_CHARACTER);
        let len = c.len_utf8();
        if is_cjk(c) {
            if let Some(p) = last_cjk {
                f(&lower[p..i + len], true);
            }
            last_cjk = Some(i);
        } else {
            if let Some(start) = last_cjk.take() {
                f(&lower[start..i], false);
            }
            if c.is_alphanumeric() {
                let start = i;
                i = word_end(lower, i + len);
                word(&lower[start..i], &mut stem_term, f);
                continue;
            }
        }
        i += len;
    }
    if let Some(start) = last_cjk {
        f(&lower[start..], false);
    }
}

/// Where the word going on at `from` ends: at the first character that is not a letter or a
/// digit, or is CJK.
fn word_end(text: &str, from: usize) -> usize {
    text[from..]
        .char_indices()
        .find(|&(_, c)| is_cjk(c) || !c.is_alphanumeric())
        .map_or(text.len(), |(k, _)| from + k)
}

/// A word as it is written, then its stem marked `~` when that differs (`caching`, `cach~`):
/// a query finds every form through the stem and ranks the word itself first.
fn word(raw: &str, stem_term: &mut String, f: &mut impl FnMut(&str, bool)) {
    f(raw, false);
    let stemmed = stem(raw);
    if stemmed != raw {
        stem_term.clear();
        stem_term.push_str(&stemmed);
        stem_term.push(STEM_MARK);
        f(stem_term, false);
    }
}

/// A piece of code among words, kept whole as a term of its own besides its words:
/// `as_str`, `std::mem::swap`, `#[no_std]`, `vec<t>` (sentence punctuation around it cut off).
pub fn identifier(chunk: &str) -> Option<&str> {
    // Most chunks are plain words: one pass over their bytes settles them.
    if !chunk
        .bytes()
        .any(|b| matches!(b, b'_' | b':' | b'<' | b'#'))
    {
        return None;
    }
    let t = chunk.trim_start_matches(|c: char| !(c.is_alphanumeric() || c == '#'));
    let t = t.trim_end_matches(|c: char| !(c.is_alphanumeric() || c == '>' || c == ']'));
    let joined = t.contains('_') || t.contains("::") || t.contains('<') || t.contains("#[");
    (joined && t.chars().any(char::is_alphanumeric) && t.chars().count() <= 64).then_some(t)
}

/// `text.to_lowercase()`, with a short way through ASCII and CJK (which has no case), and
/// no copy at all when nothing changes.
fn lowercase(text: &str) -> Cow<'_, str> {
    if is_lowercase(text) {
        return Cow::Borrowed(text);
    }
    if text.contains('Σ') {
        // A word-final capital sigma lowers to ς: only the whole-string rule knows.
        return Cow::Owned(text.to_lowercase());
    }
    if text.is_ascii() {
        return Cow::Owned(text.to_ascii_lowercase());
    }
    let mut out = String::with_capacity(text.len());
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // Runs of ASCII and of U+3000…U+9FFF (see `is_lowercase`) are copied whole.
        let start = i;
        while i < bytes.len() && (bytes[i].is_ascii() || (0xE3..=0xE9).contains(&bytes[i])) {
            i += if bytes[i].is_ascii() { 1 } else { 3 };
        }
        if i > start {
            let from = out.len();
            out.push_str(&text[start..i]);
            out[from..].make_ascii_lowercase();
            continue;
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        if is_caseless(c) {
            out.push(c);
        } else {
            out.extend(c.to_lowercase());
        }
        i += c.len_utf8();
    }
    Cow::Owned(out)
}

/// Whether `text` lowers to itself. U+3000…U+9FFF (CJK characters, kana, CJK punctuation),
/// whose UTF-8 starts with E3…E9, has no case: those characters are skipped unread.
fn is_lowercase(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b if b.is_ascii() => {
                if b.is_ascii_uppercase() {
                    return false;
                }
                i += 1;
            }
            0xE3..=0xE9 => i += 3,
            _ => {
                let Some(c) = text[i..].chars().next() else {
                    return false;
                };
                let mut lower = c.to_lowercase();
                if !(is_caseless(c) || (lower.next() == Some(c) && lower.next().is_none())) {
                    return false;
                }
                i += c.len_utf8();
            }
        }
    }
    true
}

/// CJK characters and the punctuation around them (`，`, `。`, `“`): no case to lower.
fn is_caseless(c: char) -> bool {
    is_cjk(c)
        || matches!(c,
            '\u{2000}'..='\u{206F}'
            | '\u{3000}'..='\u{303F}'
            | '\u{FF01}'..='\u{FF20}'
            | '\u{FF3B}'..='\u{FF40}'
            | '\u{FF5B}'..='\u{FF65}')
}

/// A pair of CJK characters: the terms whose positions are kept.
pub fn is_cjk_pair(term: &str) -> bool {
    let mut chars = term.chars();
    matches!((chars.next(), chars.next(), chars.next()), (Some(a), Some(b), None) if is_cjk(a) && is_cjk(b))
}

/// The shard of a term: by its first two characters, so that every word a query's last word
/// can match as a prefix is in that word's shard. A CJK pair is its own key, so that a
/// common character (的) does not pull every pair it starts into one shard: a character typed
/// alone is looked up as a term of its own (see [`super::UNIGRAM_DOCS`]).
pub fn shard_of(term: &str, shards: usize) -> usize {
    let key_len = term.chars().take(2).map(char::len_utf8).sum();
    // The browser computes the same: FNV-1a of the key's UTF-8 bytes.
    fnv1a32(&term[..key_len]) as usize % shards.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::plain_text;

    #[test]
    fn stems_match_the_browser_table() {
        for (word, expected) in [
            ("cache", "cach"),
            ("caching", "cach"),
            ("cached", "cach"),
            ("caches", "cach"),
            ("cach", "cach"),
            ("strategies", "strategy"),
            ("strategy", "strategy"),
            ("balancing", "balanc"),
            ("balance", "balanc"),
            ("running", "run"),
            ("requirements", "requirement"),
            ("planned", "plan"),
            ("class", "class"),
            ("status", "status"),
            ("api", "api"),
            ("redis", "redis"),
            ("uses", "use"),
            ("go", "go"),
        ] {
            assert_eq!(stem(word), expected, "{word}");
        }
    }

    #[test]
    fn terms_cut_cjk_into_characters_and_pairs_and_stem_words() {
        assert_eq!(terms("缓存策略"), ["缓存", "存策", "策略", "略"]);
        assert_eq!(
            terms("Redis 缓存, Caching!"),
            ["redis", "缓存", "存", "caching", "cach~"]
        );
        assert_eq!(terms("用Go写"), ["用", "go", "写"]);
        assert_eq!(
            terms("调用`as_str`。"),
            ["as_str", "调用", "用", "as", "str"]
        );
        for (text, whole) in [
            ("std::mem::swap,", "std::mem::swap"),
            ("(#[no_std])", "#[no_std]"),
            ("Vec<T>.", "vec<t>"),
            ("用as_str方法", "as_str"),
        ] {
            assert_eq!(terms(text)[0], whole, "{text}");
        }
        for text in ["e.g.", "v1.2", "well-known", "__init__", "<T>", "don't"] {
            assert!(
                terms(text)
                    .iter()
                    .all(|t| t.chars().all(char::is_alphanumeric)),
                "{text}"
            );
        }
        assert_eq!(terms("v1.2"), ["v1", "2"]);
        for text in [
            "ΟΔΟΣ ΣΑΣ",
            "Straße İstanbul",
            "缓存 Ǆ ß ＡＢＣ",
            "MiXeD 123",
        ] {
            assert_eq!(lowercase(text), text.to_lowercase(), "{text}");
        }
        assert_eq!(plain_text("**a**b *c*\n\n- d `e`\n"), "ab c d e");
    }

    #[test]
    fn caseless_characters_lower_to_themselves() {
        for c in ('\u{2000}'..='\u{FFFF}').chain('\u{20000}'..='\u{2FA1F}') {
            if is_caseless(c) || ('\u{3000}'..='\u{9FFF}').contains(&c) {
                assert_eq!(c.to_lowercase().collect::<String>(), c.to_string(), "{c}");
            }
        }
    }

    #[test]
    fn shards_group_terms_by_their_first_two_characters() {
        assert_eq!(shard_of("cach", 32), shard_of("cachet", 32));
        assert_eq!(shard_of("缓存", 32), shard_of("缓存策略", 32));
    }

    /// The tokeniser as it was first written, a character at a time: the fast one must give
    /// the very same terms.
    fn reference_each_term(text: &str, f: &mut dyn FnMut(&str)) {
        let lower = reference_lowercase(text);
        // Identifiers whole first (`as_str`, `std::mem::swap`), then every word and pair.
        for chunk in lower.split(|c: char| c.is_whitespace() || is_cjk(c)) {
            if let Some(id) = identifier(chunk) {
                f(id);
            }
        }
        let mut word: Option<usize> = None;
        // Where the last CJK character of the current run starts.
        let mut last_cjk: Option<usize> = None;
        let mut stem_term = String::new();
        // A word as it is written, then its stem marked `~` when that differs (`caching`,
        // `cach~`): a query finds every form through the stem and ranks the word itself first.
        let mut end_word = |word: &mut Option<usize>, end: usize, f: &mut dyn FnMut(&str)| {
            if let Some(start) = word.take() {
                let raw = &lower[start..end];
                f(raw);
                let stemmed = stem(raw);
                if stemmed != raw {
                    stem_term.clear();
                    stem_term.push_str(&stemmed);
                    stem_term.push(STEM_MARK);
                    f(&stem_term);
                }
            }
        };
        let end_run = |last: &mut Option<usize>, end: usize, f: &mut dyn FnMut(&str)| {
            if let Some(start) = last.take() {
                f(&lower[start..end]);
            }
        };
        for (i, c) in lower.char_indices() {
            if is_cjk(c) {
                end_word(&mut word, i, f);
                if let Some(p) = last_cjk {
                    f(&lower[p..i + c.len_utf8()]);
                }
                last_cjk = Some(i);
            } else {
                end_run(&mut last_cjk, i, f);
                if c.is_alphanumeric() {
                    word.get_or_insert(i);
                } else {
                    end_word(&mut word, i, f);
                }
            }
        }
        end_word(&mut word, lower.len(), f);
        end_run(&mut last_cjk, lower.len(), f);
    }
    fn reference_lowercase(text: &str) -> String {
        if text.contains('Σ') {
            // A word-final capital sigma lowers to ς: only the whole-string rule knows.
            return text.to_lowercase();
        }
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            if c.is_ascii() {
                out.push(c.to_ascii_lowercase());
            } else if is_cjk(c) {
                out.push(c);
            } else {
                out.extend(c.to_lowercase());
            }
        }
        out
    }

    #[test]
    fn the_byte_level_tokeniser_gives_the_terms_of_the_character_level_one() {
        let samples = [
            "",
            "Redis 缓存, Caching! strategies RUNNING planned",
            "调用`as_str`。用Go写 std::mem::swap, (#[no_std]) Vec<T>. 用as_str方法",
            "e.g. v1.2 well-known __init__ <T> don't a:b ::x x:: _ # #[ <",
            "café Straße İstanbul ΟΔΟΣ ΣΑΣ Ǆ ß ＡＢＣ MiXeD 123 naïve résumé",
            "缓存策略，测试。（1000）中文ｗｏｒｄ日本語カタカナ한국어 𠀀𠀁 x",
            "“引号”——《书名》、『括』…Ｗｏｒｄ［Ａ］｛Ｚ｝＠ａ",
            "Rust 语言：ÀB 缓存Ｗ ｘ かなカナ DŽ",
            "tab\tsep\u{3000}full\u{a0}nbsp end_of-line\nnext::line",
            "a_b_c:d<e>f#g 字_符 x<缓存>y",
            "ÀÉÎ õü ñ ÿ 12ab ab12 ١٢٣ ٤x",
        ];
        for text in samples {
            let mut expected = Vec::new();
            reference_each_term(text, &mut |t| expected.push(t.to_string()));
            let mut pairs = Vec::new();
            each_term_kind(text, &mut |t, pair| pairs.push((t.to_string(), pair)));
            let got: Vec<String> = pairs.iter().map(|(t, _)| t.clone()).collect();
            assert_eq!(got, expected, "{text}");
            for (t, pair) in pairs {
                assert_eq!(pair, is_cjk_pair(&t), "{t}");
            }
            assert_eq!(lowercase(text), reference_lowercase(text), "{text}");
        }
    }
}
