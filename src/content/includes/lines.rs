//! Line numbers across an expansion: where a directive was in the file, and which file line
//! each line of the expanded text comes from.

use std::path::Path;

use crate::diagnostics::Diagnostic;
use crate::model::{Content, Segment};

/// Line and column of offsets taken in increasing order, in time linear in the text.
#[derive(Debug, Default)]
pub(super) struct LineCursor {
    offset: usize,
    line: usize,
    /// Characters between the start of the line and `offset`.
    col: usize,
}

impl LineCursor {
    /// 1-based line and column (in characters) of `offset`, which must not be before the
    /// last one asked for; `text` may have grown since.
    pub(super) fn at(&mut self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len()).max(self.offset);
        let span = text.get(self.offset..offset).unwrap_or("");
        match span.rfind('\n') {
            Some(last) => {
                self.line += span.matches('\n').count();
                self.col = span[last + 1..].chars().count();
            }
            None => self.col += span.chars().count(),
        }
        self.offset = offset;
        (self.line + 1, self.col + 1)
    }
}

/// From lines of an expanded text back to lines of its file: an included text maps to the
/// line of its directive, the text after it to where it is in the file.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct LineMap {
    /// From this expanded line on, in increasing order.
    entries: Vec<Entry>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    at: usize,
    file_line: usize,
    /// Every line from `at` maps to `file_line` (an included text), rather than counting on.
    fixed: bool,
}

impl LineMap {
    /// A directive on file line `line` that ran to file line `end_line` was replaced by
    /// expanded lines `from..=to`.
    pub(super) fn moved(&mut self, from: usize, line: usize, to: usize, end_line: usize) {
        self.entries.push(Entry {
            at: from,
            file_line: line,
            fixed: true,
        });
        self.entries.push(Entry {
            at: to,
            file_line: end_line,
            fixed: false,
        });
    }

    /// The file line expanded line `line` comes from.
    pub(crate) fn file_line(&self, line: usize) -> usize {
        let i = self.entries.partition_point(|e| e.at <= line);
        match i.checked_sub(1).map(|i| self.entries[i]) {
            None => line,
            Some(e) if e.fixed => e.file_line,
            Some(e) => e.file_line + (line - e.at),
        }
    }

    /// Puts every text of `segments` (read from the expanded text) on its file line.
    pub(crate) fn remap_segments(&self, segments: &mut [Segment]) {
        if self.entries.is_empty() {
            return;
        }
        for segment in segments {
            match segment {
                Segment::Block { content, .. } => self.remap_content(content),
                Segment::List { items, .. } => {
                    for item in items {
                        self.remap_content(&mut item.content);
                    }
                }
            }
        }
    }

    fn remap_content(&self, content: &mut Content) {
        match content {
            Content::Pair(texts) => {
                for t in texts {
                    t.line = self.file_line(t.line);
                }
            }
            Content::Shared(t) | Content::Lone(_, t) => t.line = self.file_line(t.line),
        }
    }

    /// Puts the diagnostics about `path` (found in the expanded text) on their file lines.
    pub(crate) fn remap_diagnostics(&self, path: &Path, diags: &mut [Diagnostic]) {
        for d in diags.iter_mut().filter(|d| d.path == path) {
            if let Some(loc) = d.location.as_mut() {
                loc.line = self.file_line(loc.line);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cursor_counts_lines_and_characters() {
        let text = "ab\n你好 x\nz";
        let mut c = LineCursor::default();
        assert_eq!(c.at(text, 1), (1, 2));
        assert_eq!(c.at(text, 3), (2, 1));
        assert_eq!(c.at(text, text.find('x').unwrap()), (2, 4));
        assert_eq!(c.at(text, text.len()), (3, 2));
    }

    #[test]
    fn lines_after_an_include_map_back_to_the_file() {
        // File lines 1-2 as they are; the directive on line 3 became expanded lines 3-7;
        // file line 4 is expanded line 8.
        let mut map = LineMap::default();
        map.moved(3, 3, 7, 3);
        assert_eq!(map.file_line(2), 2);
        assert_eq!(map.file_line(5), 3);
        assert_eq!(map.file_line(7), 3);
        assert_eq!(map.file_line(8), 4);
        assert_eq!(map.file_line(20), 16);
    }
}
