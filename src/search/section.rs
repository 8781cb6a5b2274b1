//! A section's terms, gathered while its text is read: each term once, with its weight and,
//! for a CJK pair, its positions (so that a query's pairs can be required next to each other,
//! in order: a phrase). They sit in a few flat buffers, not a string and a list per term:
//! a 10,000-page book has millions of them.

use std::hash::BuildHasher;

use hashbrown::{DefaultHashBuilder, HashTable};

use super::terms::each_term_kind;
use super::MAX_TF;

/// One term of a section.
#[derive(Debug, Clone, Copy)]
struct Entry {
    /// Where the term's text is in [`SectionIndex::text`].
    start: usize,
    end: usize,
    weight: u32,
    /// Where its positions are in [`SectionIndex::positions`] (a CJK pair only); while the
    /// section is read, `(0, how many)`.
    positions: (usize, usize),
    pair: bool,
}

/// The terms of one section, as the index takes them.
#[derive(Debug, Default)]
pub(super) struct SectionIndex {
    text: String,
    entries: Vec<Entry>,
    positions: Vec<u32>,
}

/// One term of a section as [`SectionIndex::terms`] gives it.
pub(super) struct SectionTerm<'a> {
    pub(super) text: &'a str,
    pub(super) weight: u32,
    /// The term's positions, ascending, when it is a CJK pair.
    pub(super) positions: Option<&'a [u32]>,
}

impl SectionIndex {
    fn term(&self, i: usize) -> &str {
        let e = &self.entries[i];
        &self.text[e.start..e.end]
    }

    pub(super) fn terms(&self) -> impl Iterator<Item = SectionTerm<'_>> {
        self.entries.iter().map(|e| SectionTerm {
            text: &self.text[e.start..e.end],
            weight: e.weight,
            positions: e
                .pair
                .then(|| &self.positions[e.positions.0..e.positions.1]),
        })
    }
}

/// Terms of a section with their running position: consecutive pairs of a run are at
/// consecutive positions, and every new text starts past a gap.
#[derive(Default)]
pub(super) struct SectionTerms {
    /// Entry numbers, by the hash of their term.
    table: HashTable<usize>,
    hasher: DefaultHashBuilder,
    index: SectionIndex,
    /// (entry, position) of every pair met, grouped by entry when the section ends.
    marks: Vec<(usize, u32)>,
    next: u32,
}

impl SectionTerms {
    pub(super) fn add(&mut self, text: &str, w: u32) {
        let Self {
            table,
            hasher,
            index,
            marks,
            next,
        } = self;
        each_term_kind(text, &mut |t, pair| {
            let hash = hasher.hash_one(t);
            let i = match table.find(hash, |&i| index.term(i) == t) {
                Some(&i) => i,
                None => {
                    let i = index.entries.len();
                    let start = index.text.len();
                    index.text.push_str(t);
                    index.entries.push(Entry {
                        start,
                        end: index.text.len(),
                        weight: 0,
                        positions: (0, 0),
                        pair,
                    });
                    table.insert_unique(hash, i, |&j| hasher.hash_one(index.term(j)));
                    i
                }
            };
            let e = &mut index.entries[i];
            e.weight = (e.weight + w).min(w.max(MAX_TF) * MAX_TF);
            if e.pair {
                e.positions.1 += 1;
                marks.push((i, *next));
            }
            *next += 1;
        });
        self.next += 1;
    }

    /// The section's terms; the next section starts empty.
    pub(super) fn finish(&mut self) -> SectionIndex {
        self.next = 0;
        self.table.clear();
        // The next section is likely as big as this one: its buffers start that big, so
        // that they do not grow from nothing, one reallocation after another.
        let next = SectionIndex {
            text: String::with_capacity(self.index.text.len()),
            entries: Vec::with_capacity(self.index.entries.len()),
            positions: Vec::new(),
        };
        let mut index = std::mem::replace(&mut self.index, next);
        // By entry, each entry's positions ascending (they were met in that order): each
        // entry's room is counted while reading, so the positions are put in place in one pass.
        let mut at = 0;
        for e in &mut index.entries {
            let count = e.positions.1;
            e.positions = (at, at);
            at += count;
        }
        index.positions.resize(at, 0);
        for &(i, p) in &self.marks {
            let e = &mut index.entries[i];
            index.positions[e.positions.1] = p;
            e.positions.1 += 1;
        }
        self.marks.clear();
        index
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_section_keeps_each_term_once_with_its_weight_and_pair_positions() {
        let mut s = SectionTerms::default();
        s.add("缓存 cache 缓存", 1);
        s.add("缓存", 4);
        let index = s.finish();
        let terms: Vec<(String, u32, Option<Vec<u32>>)> = index
            .terms()
            .map(|t| {
                (
                    t.text.to_string(),
                    t.weight,
                    t.positions.map(<[u32]>::to_vec),
                )
            })
            .collect();
        assert_eq!(
            terms,
            [
                ("缓存".to_string(), 6, Some(vec![0, 4, 7])),
                ("存".to_string(), 6, None),
                ("cache".to_string(), 1, None),
                ("cach~".to_string(), 1, None),
            ]
        );
        // The next section starts from nothing.
        s.add("cache", 1);
        assert_eq!(s.finish().terms().count(), 2);
    }
}
