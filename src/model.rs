//! The content model every layout produces: a book of phases of pages, each page a
//! sequence of segments pairing the two languages.

use std::path::PathBuf;

use crate::lang::Side;

/// Markdown of one language's side of a block, and the line of its source file it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub md: String,
    pub line: usize,
}

impl Text {
    pub fn new(md: impl Into<String>, line: usize) -> Text {
        Text {
            md: md.into(),
            line,
        }
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

    pub fn is_lone(&self) -> bool {
        matches!(self, Content::Lone(..))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    Heading(u8),
    Paragraph,
    Quote,
    Code,
    Table,
    Html,
    Rule,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem {
    /// `Some(checked)` for a GFM task-list item.
    pub task: Option<bool>,
    pub content: Content,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    Block {
        kind: BlockKind,
        content: Content,
    },
    List {
        start: Option<u64>,
        items: Vec<ListItem>,
    },
}

impl Segment {
    pub fn block(kind: BlockKind, content: Content) -> Segment {
        Segment::Block { kind, content }
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
    pub fn file(&self, side: Side) -> &PathBuf {
        &self.files[side.index()]
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub titles: Titles,
    pub description: String,
    /// Site path of the bilingual form without leading slash, ending in `/` (home: empty).
    pub path: String,
    pub weight: i64,
    pub sources: Sources,
    pub segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Phase {
    /// The phase's own page (`_index.md`): title and introduction.
    pub index: Page,
    pub slug: String,
    pub pages: Vec<Page>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Book {
    pub home: Page,
    pub phases: Vec<Phase>,
    /// Pages directly under the content root, outside any phase.
    pub loose: Vec<Page>,
}

impl Book {
    /// Every page in reading order: home, loose pages, then each phase and its pages.
    pub fn pages(&self) -> impl Iterator<Item = &Page> {
        std::iter::once(&self.home).chain(self.loose.iter()).chain(
            self.phases
                .iter()
                .flat_map(|p| std::iter::once(&p.index).chain(p.pages.iter())),
        )
    }
}
