//! The search index, built with the site: every page cut into sections at its headings,
//! their words stemmed and their Chinese (and other CJK) text cut into pairs of characters,
//! so that `缓存` finds 缓存策略 and `cach` finds "caching". Every CJK character is also a
//! term of its own in the index, holding the sections with a pair it starts (the best
//! [`UNIGRAM_DOCS`] of them): that is what one character typed alone finds. A word in very
//! many sections (`the`) is cut the same way ([`WORD_DOCS`]), and its shard says so.
//!
//! The index ships as script files (they load from `file://`, where JSON fetches are blocked),
//! in shards: the page loads the manifest, a query one shard per word (per pair, for a CJK
//! run), and the documents it shows.
//! The browser side (`static/search.js`) tokenises queries with the same rules.

use std::borrow::Cow;

use hashbrown::HashMap;

use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use rayon::prelude::*;
use serde::Serialize;

use crate::anchors::heading_anchors;
use crate::commonmark::parser_options;
use crate::hash::fnv1a32;
use crate::lang::Side;
use crate::model::{BlockKind, Book, Content, Page, Segment, Titles};

/// The index format; `static/search.js` reads only this one.
pub const INDEX_VERSION: u32 = 4;
/// Documents per document chunk.
pub const CHUNK: usize = 4;
/// Characters of each side's text kept for snippets.
const SNIPPET_TEXT: usize = 400;
const TITLE_WEIGHT: u32 = 8;
const HEADING_WEIGHT: u32 = 4;
/// A word repeated in a section counts at most this many times.
const MAX_TF: u32 = 4;
/// One CJK character is a term of its own holding every section with a pair it starts (or
/// with it at the end of a run), by the weight of those pairs; only the best this many
/// sections are kept, so that a one-character query (的) loads a few KB, not every pair.
pub const UNIGRAM_DOCS: usize = 256;
/// A word (or stem, or piece of code) in more sections than this keeps only the best this
/// many, like a character: `the` costs a query a few KB, not a list of every section. The
/// shard names such terms, so that the browser does not read their absence from a section
/// as the word being absent (a query's other words still find every page).
pub const WORD_DOCS: usize = 256;
/// The most weight a character gathers in a section from the pairs it starts.
const MAX_UNIGRAM_WEIGHT: u32 = 64;

fn is_cjk(c: char) -> bool {
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
    let lower = lowercase(text);
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

/// A piece of code among words, kept whole as a term of its own besides its words:
/// `as_str`, `std::mem::swap`, `#[no_std]`, `vec<t>` (sentence punctuation around it cut off).
pub fn identifier(chunk: &str) -> Option<&str> {
    let t = chunk.trim_start_matches(|c: char| !(c.is_alphanumeric() || c == '#'));
    let t = t.trim_end_matches(|c: char| !(c.is_alphanumeric() || c == '>' || c == ']'));
    let joined = t.contains('_') || t.contains("::") || t.contains('<') || t.contains("#[");
    (joined && t.chars().any(char::is_alphanumeric) && t.chars().count() <= 64).then_some(t)
}

/// `text.to_lowercase()`, with a short way through ASCII and CJK (which has no case).
fn lowercase(text: &str) -> String {
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

/// The shard of a term: by its first two characters, so that every word a query's last word
/// can match as a prefix is in that word's shard. A CJK pair is its own key, so that a
/// common character (的) does not pull every pair it starts into one shard: a character typed
/// alone is looked up as a term of its own (see [`UNIGRAM_DOCS`]).
pub fn shard_of(term: &str, shards: usize) -> usize {
    let key_len = term.chars().take(2).map(char::len_utf8).sum();
    // The browser computes the same: FNV-1a of the key's UTF-8 bytes.
    fnv1a32(&term[..key_len]) as usize % shards.max(1)
}

/// One searchable section of a page.
#[derive(Debug, Clone, Serialize)]
struct Doc(String, Titles, DocHeading, Titles);

/// A section's heading, or `0` for the part of a page before its first heading.
#[derive(Debug, Clone)]
enum DocHeading {
    None,
    Some(Titles),
}

impl Serialize for DocHeading {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            DocHeading::None => s.serialize_u8(0),
            DocHeading::Some(t) => t.serialize(s),
        }
    }
}

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

fn side_text(content: &Content, side: Side) -> String {
    content
        .side(side)
        .map(|t| plain_text(&t.md))
        .unwrap_or_default()
}

fn truncate(text: &str) -> String {
    match text.char_indices().nth(SNIPPET_TEXT) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}

/// A document's terms with their weights and, for CJK pairs, their positions (so that a
/// query's pairs can be required next to each other, in order: a phrase).
type Weights = Vec<(String, Posting)>;

#[derive(Debug, Default)]
struct Posting {
    weight: u32,
    positions: Vec<u32>,
}

/// A pair of CJK characters: the terms whose positions are kept.
pub fn is_cjk_pair(term: &str) -> bool {
    let mut chars = term.chars();
    matches!((chars.next(), chars.next(), chars.next()), (Some(a), Some(b), None) if is_cjk(a) && is_cjk(b))
}

/// Terms of a section with their running position: consecutive pairs of a run are at
/// consecutive positions, and every new text starts past a gap.
#[derive(Default)]
struct SectionTerms {
    terms: HashMap<String, Posting>,
    next: u32,
}

impl SectionTerms {
    fn add(&mut self, text: &str, w: u32) {
        let (terms, next) = (&mut self.terms, &mut self.next);
        each_term(text, &mut |t| {
            let e = terms.entry_ref(t).or_default();
            e.weight = (e.weight + w).min(w.max(MAX_TF) * MAX_TF);
            if is_cjk_pair(t) {
                e.positions.push(*next);
            }
            *next += 1;
        });
        self.next += 1;
    }

    fn drain(&mut self) -> Weights {
        self.next = 0;
        self.terms.drain().collect()
    }
}

/// A page's documents with their weighted terms.
fn page_docs(page: &Page) -> Vec<(Doc, Weights)> {
    let anchors = heading_anchors(page);
    let mut docs = Vec::new();
    let mut heading = DocHeading::None;
    let mut anchor: Option<String> = None;
    let mut body = [String::new(), String::new()];
    let mut weights = SectionTerms::default();
    for title in &page.titles {
        weights.add(title, TITLE_WEIGHT);
    }
    let finish = |heading: DocHeading,
                  anchor: &Option<String>,
                  body: &mut [String; 2],
                  weights: &mut SectionTerms| {
        let url = match anchor {
            Some(a) => format!("{}#{a}", page.path),
            None => page.path.clone(),
        };
        let text = [truncate(body[0].trim()), truncate(body[1].trim())];
        body[0].clear();
        body[1].clear();
        (
            Doc(url, page.titles.clone(), heading, text),
            weights.drain(),
        )
    };
    for (i, seg) in page.segments.iter().enumerate() {
        if let Segment::Block {
            kind: BlockKind::Heading(_),
            content,
        } = seg
        {
            // The part before the first heading is a document too: it carries the page title.
            let has_content = !body[0].trim().is_empty()
                || !body[1].trim().is_empty()
                || !matches!(heading, DocHeading::None);
            if has_content || docs.is_empty() {
                docs.push(finish(
                    std::mem::replace(&mut heading, DocHeading::None),
                    &anchor,
                    &mut body,
                    &mut weights,
                ));
            }
            let titles = [
                side_text(content, Side::Primary),
                side_text(content, Side::Secondary),
            ];
            for t in &titles {
                weights.add(t, HEADING_WEIGHT);
            }
            heading = DocHeading::Some(titles);
            anchor = anchors[i].0.clone();
            continue;
        }
        for content in seg.contents() {
            for side in Side::BOTH {
                // A shared block (code, a table) is indexed once.
                if matches!(content, Content::Shared(_)) && side == Side::Secondary {
                    continue;
                }
                let text = side_text(content, side);
                if !text.is_empty() {
                    weights.add(&text, 1);
                    let b = &mut body[side.index()];
                    if b.chars().count() < SNIPPET_TEXT {
                        b.push_str(&text);
                        b.push(' ');
                    }
                }
            }
        }
    }
    docs.push(finish(heading, &anchor, &mut body, &mut weights));
    docs
}

/// The index files: site path → JavaScript text.
/// Pages tokenised at once; the next batch waits until these are merged, which bounds memory.
const BATCH: usize = 256;

/// Builds the index and hands each file (site path, JavaScript text) to `write` as soon as it
/// is ready, so the whole index is never held as text at once.
pub(crate) fn build_index(book: &Book, write: &mut dyn FnMut(String, String)) {
    let pages: Vec<&Page> = book.pages().collect();
    let wrap = |json: &str| {
        format!(
            "(window.DIGLOT_SEARCH = window.DIGLOT_SEARCH || []).push({});\n",
            crate::escape::script_safe_json(json)
        )
    };
    // Documents are written a chunk at a time as soon as a chunk is full.
    let mut docs: Vec<Doc> = Vec::new();
    let mut doc_count: u32 = 0;
    let mut chunks_written = 0;
    let mut write_chunk = |docs: &[Doc], write: &mut dyn FnMut(String, String)| {
        let json =
            serde_json::to_string(&("docs", chunks_written, docs)).unwrap_or_else(|_| "[]".into());
        write(format!("search/d/{chunks_written}.js"), wrap(&json));
        chunks_written += 1;
    };
    // Term → flat postings, documents ascending: `document, weight` and, for a CJK pair,
    // `count, position deltas…` after them.
    let mut postings: HashMap<String, Vec<u32>> = HashMap::new();
    // CJK character → (document, weight), documents ascending.
    let mut unigram_postings: HashMap<char, Vec<(u32, u32)>> = HashMap::new();
    // Sections per page: the documents of a page are consecutive.
    let mut sections: Vec<u32> = Vec::with_capacity(pages.len());
    for batch in pages.chunks(BATCH) {
        let per_page: Vec<Vec<(Doc, Weights)>> = batch.par_iter().map(|p| page_docs(p)).collect();
        for page in per_page {
            sections.push(page.len() as u32);
            for (doc, weights) in page {
                let id = doc_count;
                doc_count += 1;
                docs.push(doc);
                // The section's characters, by the weight of the pairs they start.
                let mut unigrams: HashMap<char, u32> = HashMap::new();
                for (term, posting) in weights {
                    if let Some(c) = term.chars().next().filter(|&c| is_cjk(c)) {
                        let w = unigrams.entry(c).or_default();
                        *w = (*w + posting.weight).min(MAX_UNIGRAM_WEIGHT);
                        if term.len() == c.len_utf8() {
                            continue;
                        }
                    }
                    let pair = is_cjk_pair(&term);
                    let list = postings.entry(term).or_default();
                    list.push(id);
                    list.push(posting.weight);
                    if pair {
                        list.push(posting.positions.len() as u32);
                        let mut last = 0;
                        for p in posting.positions {
                            list.push(p - last);
                            last = p;
                        }
                    }
                }
                for (c, w) in unigrams {
                    let list = unigram_postings.entry(c).or_default();
                    list.push((id, w));
                }
            }
        }
        let full = docs.len() / CHUNK * CHUNK;
        for chunk in docs[..full].chunks(CHUNK) {
            write_chunk(chunk, write);
        }
        docs.drain(..full);
    }
    if !docs.is_empty() {
        write_chunk(&docs, write);
    }
    // Terms kept for their best sections only.
    let mut capped: hashbrown::HashSet<String> = hashbrown::HashSet::new();
    for (term, list) in postings.iter_mut() {
        if list.len() > 2 * WORD_DOCS && !is_cjk_pair(term) {
            let mut pairs: Vec<(u32, u32)> = list.chunks_exact(2).map(|p| (p[0], p[1])).collect();
            best_sections(&mut pairs, WORD_DOCS);
            list.clear();
            list.extend(pairs.into_iter().flat_map(|(d, w)| [d, w]));
            capped.insert(term.clone());
        }
    }
    for (c, mut list) in unigram_postings {
        let term = c.to_string();
        if list.len() > UNIGRAM_DOCS {
            best_sections(&mut list, UNIGRAM_DOCS);
            capped.insert(term.clone());
        }
        postings.insert(term, list.into_iter().flat_map(|(d, w)| [d, w]).collect());
    }
    // Shards of about 8 KB: a query loads one per term (its pairs, for a CJK run).
    let total_numbers: usize = postings.values().map(Vec::len).sum();
    let shards = (total_numbers / 2000).clamp(1, 2048);
    let mut by_shard: Vec<Vec<(String, Vec<u32>)>> = vec![Vec::new(); shards];
    for (term, list) in postings {
        by_shard[shard_of(&term, shards)].push((term, list));
    }
    let manifest = serde_json::json!(["manifest", { "version": INDEX_VERSION, "docs": doc_count, "chunk": CHUNK, "shards": shards, "pages": sections }]);
    write("search/index.js".to_string(), wrap(&manifest.to_string()));
    for (n, mut terms) in by_shard.into_iter().enumerate() {
        // Sorted, so the files are the same from one build to the next.
        terms.sort_by(|a, b| a.0.cmp(&b.0));
        let mut json = format!("[\"shard\",{n},{{");
        for (i, (term, list)) in terms.iter().enumerate() {
            if i > 0 {
                json.push(',');
            }
            json.push_str(&serde_json::to_string(term).unwrap_or_else(|_| "\"\"".into()));
            json.push_str(":[");
            for (k, v) in list.iter().enumerate() {
                if k > 0 {
                    json.push(',');
                }
                json.push_str(itoa::Buffer::new().format(*v));
            }
            json.push(']');
        }
        json.push_str("},[");
        let mut first = true;
        for (term, _) in terms.iter().filter(|(t, _)| capped.contains(t)) {
            if !first {
                json.push(',');
            }
            first = false;
            json.push_str(&serde_json::to_string(term).unwrap_or_else(|_| "\"\"".into()));
        }
        json.push_str("]]");
        write(format!("search/s/{n}.js"), wrap(&json));
    }
}

/// Keeps the `n` best (document, weight) entries, the first ones among equals, back in
/// document order.
fn best_sections(list: &mut Vec<(u32, u32)>, n: usize) {
    if list.len() > n {
        list.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        list.truncate(n);
        list.sort_unstable();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn shards_group_terms_by_their_first_two_characters() {
        assert_eq!(shard_of("cach", 32), shard_of("cachet", 32));
        assert_eq!(shard_of("缓存", 32), shard_of("缓存策略", 32));
    }
}
