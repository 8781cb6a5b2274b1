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

mod section;
mod terms;
mod text;

use hashbrown::HashMap;
use rayon::prelude::*;
use serde::Serialize;

use crate::anchors::heading_anchors;
use crate::lang::Side;
use crate::model::{BlockKind, Book, Content, Page, Segment, Titles};
use section::{SectionIndex, SectionTerms};
use terms::is_cjk;
pub use terms::{each_term, identifier, is_cjk_pair, shard_of, stem, terms, STEM_MARK};
pub use text::plain_text;

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
/// A list that will be cut to its best sections is cut as soon as it holds this many times
/// as many: the best of the best are the best of all, so the index is the same, but the
/// lists of common words and characters stay small while the index is built.
const CUT_AT: usize = 4;
/// The most weight a character gathers in a section from the pairs it starts.
const MAX_UNIGRAM_WEIGHT: u32 = 64;

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

/// A page's documents with their weighted terms.
fn page_docs(page: &Page) -> Vec<(Doc, SectionIndex)> {
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
            weights.finish(),
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

/// How every index file starts: its data pushed onto the page's queue (see `search.js`).
const PUSH: &str = "(window.DIGLOT_SEARCH = window.DIGLOT_SEARCH || []).push(";

/// The index files: site path → JavaScript text.
/// Pages tokenised at once; the next batch waits until these are merged, which bounds memory.
const BATCH: usize = 256;

/// Builds the index and hands each file (site path, JavaScript text) to `write` as soon as it
/// is ready, so the whole index is never held as text at once.
pub(crate) fn build_index(book: &Book, write: &mut dyn FnMut(String, String)) {
    let pages: Vec<&Page> = book.pages().collect();
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
    let mut postings = Postings::default();
    // Sections per page: the documents of a page are consecutive.
    let mut sections: Vec<u32> = Vec::with_capacity(pages.len());
    for batch in pages.chunks(BATCH) {
        let per_page: Vec<Vec<(Doc, SectionIndex)>> =
            batch.par_iter().map(|p| page_docs(p)).collect();
        for page in per_page {
            sections.push(page.len() as u32);
            for (doc, section) in page {
                postings.add(doc_count, &section);
                doc_count += 1;
                docs.push(doc);
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
    let (postings, capped) = postings.finish();
    let manifest = serde_json::json!(["manifest", { "version": INDEX_VERSION, "docs": doc_count, "chunk": CHUNK, "shards": shard_count(&postings), "pages": sections }]);
    write("search/index.js".to_string(), wrap(&manifest.to_string()));
    write_shards(&postings, &capped, write);
}

/// A file's data as the script that pushes it onto the page's queue.
fn wrap(json: &str) -> String {
    format!("{PUSH}{});\n", crate::escape::script_safe_json(json))
}

/// The index's terms as they are gathered, section after section.
#[derive(Default)]
struct Postings {
    /// Term → flat postings, documents ascending: `document, weight` and, for a CJK pair,
    /// `count, position deltas…` after them.
    words: HashMap<String, Vec<u32>>,
    /// CJK character → (document, weight), documents ascending.
    unigrams: HashMap<char, Vec<(u32, u32)>>,
    /// Terms kept for their best sections only: their shards say so.
    capped: hashbrown::HashSet<String>,
    /// One section's characters at a time, reused.
    section_chars: HashMap<char, u32>,
}

impl Postings {
    /// Adds section `id`'s terms.
    fn add(&mut self, id: u32, section: &SectionIndex) {
        // The section's characters, by the weight of the pairs they start.
        self.section_chars.clear();
        for term in section.terms() {
            if let Some(c) = term.text.chars().next().filter(|&c| is_cjk(c)) {
                let w = self.section_chars.entry(c).or_default();
                *w = (*w + term.weight).min(MAX_UNIGRAM_WEIGHT);
                if term.text.len() == c.len_utf8() {
                    continue;
                }
            }
            // A string is made for a term the first time only.
            let list = self.words.entry_ref(term.text).or_default();
            list.push(id);
            list.push(term.weight);
            if let Some(positions) = term.positions {
                list.push(positions.len() as u32);
                let mut last = 0;
                for &p in positions {
                    list.push(p - last);
                    last = p;
                }
            } else if list.len() >= 2 * CUT_AT * WORD_DOCS {
                // Bound to be cut: cut now, so that `the` never holds every section.
                cut_words(list);
                if !self.capped.contains(term.text) {
                    self.capped.insert(term.text.to_string());
                }
            }
        }
        for (&c, &w) in &self.section_chars {
            let list = self.unigrams.entry(c).or_default();
            list.push((id, w));
            if list.len() >= CUT_AT * UNIGRAM_DOCS {
                best_sections(list, UNIGRAM_DOCS);
                self.capped.insert(c.to_string());
            }
        }
    }

    /// Every term's postings (characters among them), each list cut to its best sections
    /// if it is too long, and the terms that were cut.
    fn finish(self) -> (HashMap<String, Vec<u32>>, hashbrown::HashSet<String>) {
        let Postings {
            mut words,
            unigrams,
            mut capped,
            ..
        } = self;
        for (term, list) in words.iter_mut() {
            if list.len() > 2 * WORD_DOCS && !is_cjk_pair(term) {
                cut_words(list);
                capped.insert(term.clone());
            }
        }
        for (c, mut list) in unigrams {
            let term = c.to_string();
            if list.len() > UNIGRAM_DOCS {
                best_sections(&mut list, UNIGRAM_DOCS);
                capped.insert(term.clone());
            }
            words.insert(term, list.into_iter().flat_map(|(d, w)| [d, w]).collect());
        }
        (words, capped)
    }
}

/// Shards of about 8 KB: a query loads one per term (its pairs, for a CJK run).
fn shard_count(postings: &HashMap<String, Vec<u32>>) -> usize {
    let total_numbers: usize = postings.values().map(Vec::len).sum();
    (total_numbers / 2000).clamp(1, 2048)
}

fn write_shards(
    postings: &HashMap<String, Vec<u32>>,
    capped: &hashbrown::HashSet<String>,
    write: &mut dyn FnMut(String, String),
) {
    let shards = shard_count(postings);
    let mut by_shard: Vec<Vec<ShardTerm>> = vec![Vec::new(); shards];
    for (term, list) in postings {
        by_shard[shard_of(term, shards)].push(ShardTerm {
            prefix: prefix(term),
            term,
            list,
        });
    }
    for (n, mut terms) in by_shard.into_iter().enumerate() {
        // Sorted, so the files are the same from one build to the next.
        terms.sort_unstable_by(|a, b| a.prefix.cmp(&b.prefix).then_with(|| a.term.cmp(b.term)));
        let numbers: usize = terms.iter().map(|t| t.list.len()).sum();
        write(
            format!("search/s/{n}.js"),
            shard_script(n, &terms, capped, numbers),
        );
    }
}

/// A term on its way into its shard.
#[derive(Clone)]
struct ShardTerm<'a> {
    /// The term's first eight bytes, big-endian: most terms sort by it alone.
    prefix: u64,
    term: &'a str,
    list: &'a [u32],
}

/// A number that orders strings as their first eight bytes do (shorter ones padded with
/// zeros, which never puts a string after one it starts).
fn prefix(term: &str) -> u64 {
    let mut bytes = [0; 8];
    let n = term.len().min(8);
    bytes[..n].copy_from_slice(&term.as_bytes()[..n]);
    u64::from_be_bytes(bytes)
}

/// Appends `v` in decimal. Most numbers of a shard (weights, counts, position gaps) are
/// below 100: they are written without formatting.
fn push_number(js: &mut String, digits: &mut itoa::Buffer, v: u32) {
    if v < 10 {
        js.push(char::from(b'0' + v as u8));
    } else if v < 100 {
        js.push(char::from(b'0' + (v / 10) as u8));
        js.push(char::from(b'0' + (v % 10) as u8));
    } else {
        js.push_str(digits.format(v));
    }
}

/// Appends `term` as a JSON string that is safe in a script.
fn push_term(js: &mut String, term: &str) {
    let plain = term
        .bytes()
        .all(|b| b >= 0x20 && !matches!(b, b'"' | b'\\' | b'<' | b'>' | b'&' | 0xE2));
    if plain {
        js.push('"');
        js.push_str(term);
        js.push('"');
    } else {
        js.push_str(&crate::escape::script_safe_json(
            &serde_json::to_string(term).unwrap_or_else(|_| "\"\"".into()),
        ));
    }
}

/// A shard's script: `["shard", n, {term: [numbers…]}, [cut terms]]` pushed onto the page's
/// queue. Only the terms need escaping for the script they sit in: the rest is digits and
/// punctuation, written straight into the text.
fn shard_script(
    n: usize,
    terms: &[ShardTerm],
    capped: &hashbrown::HashSet<String>,
    numbers: usize,
) -> String {
    let mut js = String::with_capacity(numbers * 5 + terms.len() * 12 + 80);
    let mut digits = itoa::Buffer::new();
    js.push_str(PUSH);
    js.push_str("[\"shard\",");
    js.push_str(digits.format(n));
    js.push_str(",{");
    for (i, t) in terms.iter().enumerate() {
        if i > 0 {
            js.push(',');
        }
        push_term(&mut js, t.term);
        js.push_str(":[");
        for (k, v) in t.list.iter().enumerate() {
            if k > 0 {
                js.push(',');
            }
            push_number(&mut js, &mut digits, *v);
        }
        js.push(']');
    }
    js.push_str("},[");
    let cut = terms.iter().filter(|t| capped.contains(t.term));
    for (i, t) in cut.enumerate() {
        if i > 0 {
            js.push(',');
        }
        push_term(&mut js, t.term);
    }
    js.push_str("]]);\n");
    js
}

/// A word's list (`document, weight` pairs) cut to its [`WORD_DOCS`] best sections.
fn cut_words(list: &mut Vec<u32>) {
    let mut pairs: Vec<(u32, u32)> = list.chunks_exact(2).map(|p| (p[0], p[1])).collect();
    best_sections(&mut pairs, WORD_DOCS);
    list.clear();
    list.extend(pairs.into_iter().flat_map(|(d, w)| [d, w]));
}

/// Keeps the `n` best (document, weight) entries, the first ones among equals, back in
/// document order.
fn best_sections(list: &mut Vec<(u32, u32)>, n: usize) {
    if n == 0 {
        list.clear();
    } else if list.len() > n {
        // Entries that compare equal are equal, so the `n` best are the same whichever way
        // they are picked: picked in linear time, not by sorting every entry.
        list.select_nth_unstable_by(n - 1, |a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        list.truncate(n);
        list.sort_unstable();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_in_decimal() {
        let mut digits = itoa::Buffer::new();
        for v in [0, 7, 9, 10, 42, 99, 100, 12_345, u32::MAX] {
            let mut js = String::new();
            push_number(&mut js, &mut digits, v);
            assert_eq!(js, v.to_string());
        }
    }

    #[test]
    fn the_best_sections_are_those_a_full_sort_keeps() {
        // A fixed pseudo-random list with many equal weights and a repeated entry.
        let mut state = 7u32;
        let mut list: Vec<(u32, u32)> = (0..5000)
            .map(|d| {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                (d, (state >> 16) % 9)
            })
            .collect();
        list.push(list[10]);
        for n in [0, 1, 256, 4999, 5001, 6000] {
            let mut expected = list.clone();
            if expected.len() > n {
                expected.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
                expected.truncate(n);
                expected.sort_unstable();
            }
            let mut got = list.clone();
            best_sections(&mut got, n);
            assert_eq!(got, expected, "{n}");
        }
    }
}
