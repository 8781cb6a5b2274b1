//! The content model every layout produces: a book of phases of pages, each page a
//! sequence of segments pairing the two languages.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::lang::Side;

/// Markdown of one language's side of a block, and the line of its source file it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    /// The Markdown source.
    pub md: String,
    /// Line of the source file the Markdown starts on.
    pub line: usize,
}

impl Text {
    pub(crate) fn new(md: impl Into<String>, line: usize) -> Text {
        Text {
            md: md.into(),
            line,
        }
    }

    /// The first and last line of the file the Markdown covers.
    pub(crate) fn lines(&self) -> (usize, usize) {
        let n = self.md.trim_end().lines().count().max(1);
        (self.line, self.line + n - 1)
    }
}

/// What a block holds in each language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Content {
    /// The same block in both languages: `[primary, secondary]`.
    Pair([Text; 2]),
    /// Language-neutral (code, tables, images): shown once.
    Shared(Text),
    /// Only one language has it.
    Lone(Side, Text),
}

impl Content {
    /// The text a side shows: its own half of a pair, a shared block, or a lone block in it.
    pub fn side(&self, side: Side) -> Option<&Text> {
        match self {
            Content::Pair(texts) => Some(&texts[side.index()]),
            Content::Shared(text) => Some(text),
            Content::Lone(s, text) if *s == side => Some(text),
            Content::Lone(..) => None,
        }
    }

    /// Whether only one language has it.
    #[cfg(test)]
    pub(crate) fn is_lone(&self) -> bool {
        matches!(self, Content::Lone(..))
    }
}

/// What sort of Markdown block a segment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// A heading and its level, 1 to 6.
    Heading(u8),
    /// A paragraph.
    Paragraph,
    /// A block quote.
    Quote,
    /// A fenced or indented code block.
    Code,
    /// A GFM table.
    Table,
    /// Raw HTML other than a `<!-- diglot: … -->` marker.
    Html,
    /// A thematic break (`---`).
    Rule,
    /// Any other kind of block.
    Other,
}

/// One item of a list segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem {
    /// `Some(checked)` for a GFM task-list item.
    pub task: Option<bool>,
    pub(crate) content: Content,
}

/// One unit of a page, paired across the two languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A single block.
    Block {
        /// Heading, paragraph, code…
        kind: BlockKind,
        /// The block in each language.
        content: Content,
    },
    /// A list, paired item by item.
    List {
        /// The first number of an ordered list; `None` for a bullet list.
        start: Option<u64>,
        /// The items, in order.
        items: Vec<ListItem>,
    },
}

impl Segment {
    pub(crate) fn block(kind: BlockKind, content: Content) -> Segment {
        Segment::Block { kind, content }
    }

    /// What the segment is called in a message: heading, list item, code block, table,
    /// quote or paragraph.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Segment::List { .. } => "list item",
            Segment::Block { kind, .. } => match kind {
                BlockKind::Heading(_) => "heading",
                BlockKind::Code => "code block",
                BlockKind::Table => "table",
                BlockKind::Quote => "quote",
                _ => "paragraph",
            },
        }
    }

    /// Every piece of content in the segment, list items one by one.
    pub fn contents(&self) -> Box<dyn Iterator<Item = &Content> + '_> {
        match self {
            Segment::Block { content, .. } => Box::new(std::iter::once(content)),
            Segment::List { items, .. } => Box::new(items.iter().map(|i| &i.content)),
        }
    }
}

/// A title in both languages.
pub type Titles = [String; 2];

/// How a page's two languages were stored, which decides which file a line number refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sources {
    /// File holding each side's text; both the same for a parallel file.
    pub files: [PathBuf; 2],
}

impl Sources {
    pub(crate) fn file(&self, side: Side) -> &PathBuf {
        &self.files[side.index()]
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Page {
    pub(crate) titles: Titles,
    pub(crate) description: String,
    /// Site path of the bilingual form without leading slash, ending in `/` (home: empty).
    pub path: String,
    pub(crate) weight: i64,
    pub(crate) sources: Sources,
    pub(crate) segments: Vec<Segment>,
    /// Link reference and footnote definitions of each side's document (a parallel file's
    /// are the same on both sides).
    pub(crate) definitions: [Definitions; 2],
    /// In a book translated with a PO file: the pairs whose translation is marked fuzzy,
    /// by (segment, list item) index.
    pub(crate) fuzzy: FuzzyPairs,
    /// What navigation calls the page when it differs from its title: an mdBook's
    /// `SUMMARY.md` names chapters in the sidebar, the chapter's heading heads the page.
    pub(crate) nav: Option<Titles>,
}

/// Fuzzy pairs by (segment, list item) index.
pub(crate) type FuzzyPairs = Vec<((usize, usize), FuzzyPair)>;

/// A pair whose translation a PO file marks fuzzy: made for an earlier source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FuzzyPair {
    /// The PO file's line of the (first) message's translation.
    pub(crate) line: usize,
    /// The source text the translation was made for (`#| msgid`; empty when unknown), and
    /// the source text now.
    pub(crate) then: String,
    pub(crate) now: String,
}

impl Page {
    /// What navigation (sidebar, breadcrumbs, pager) calls the page.
    pub(crate) fn nav_titles(&self) -> &Titles {
        self.nav.as_ref().unwrap_or(&self.titles)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Phase {
    /// The phase's own page (`_index.md`): title and introduction.
    pub index: Page,
    pub(crate) slug: String,
    pub(crate) pages: Vec<Page>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Book {
    pub(crate) home: Page,
    pub(crate) phases: Vec<Phase>,
    /// Pages directly under the content root, outside any phase.
    pub loose: Vec<Page>,
}

impl Book {
    /// Every page in reading order: home, loose pages, then each phase and its pages.
    pub(crate) fn pages(&self) -> impl Iterator<Item = &Page> {
        std::iter::once(&self.home).chain(self.loose.iter()).chain(
            self.phases
                .iter()
                .flat_map(|p| std::iter::once(&p.index).chain(p.pages.iter())),
        )
    }
}

/// A `[label]: url "title"` definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LinkDefinition {
    pub(crate) dest: String,
    pub(crate) title: String,
    /// Line of the file the definition is on.
    pub(crate) line: usize,
}

/// A `[^label]: text` definition: its label as written and its text, dedented.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FootnoteDefinition {
    pub(crate) label: String,
    pub(crate) text: Text,
}

/// The definitions of one side's document, by normalised label.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Definitions {
    pub(crate) links: BTreeMap<String, LinkDefinition>,
    pub(crate) footnotes: BTreeMap<String, FootnoteDefinition>,
}

impl Definitions {
    #[cfg(test)]
    pub(crate) fn is_empty(&self) -> bool {
        self.links.is_empty() && self.footnotes.is_empty()
    }
}
