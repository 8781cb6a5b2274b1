//! Segments to HTML: each side rendered once ([`render_body`]), ready to be written in the
//! bilingual form and in each language's own form ([`super::body_html`]).

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use crate::anchors::{heading_anchors, heading_attributes};
use crate::diagnostics::{Diagnostic, Location};
use crate::escape::escape_attr;
use crate::lang::{Languages, Side};
use crate::links::AnchorLink;
use crate::links::{LinkTargets, PageAnchors};
use crate::markdown::{render_block, render_inline_block, LinkContext, SideDocument};
use crate::model::Definitions;
use crate::model::{BlockKind, Content, Page, Segment, Text};
use crate::translation::{word_diff, DiffPart, PageStatus};

/// Which of a page's three forms is being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Form {
    Bilingual,
    Only(Side),
}

impl Form {
    pub(crate) const ALL: [Form; 3] = [
        Form::Bilingual,
        Form::Only(Side::Primary),
        Form::Only(Side::Secondary),
    ];

    /// The form's place in [`Form::ALL`].
    pub(crate) fn index(self) -> usize {
        match self {
            Form::Bilingual => 0,
            Form::Only(side) => 1 + side.index(),
        }
    }

    pub(crate) fn shows(self, side: Side) -> bool {
        match self {
            Form::Bilingual => true,
            Form::Only(s) => s == side,
        }
    }
}

/// HTML of one piece of content, per side.
pub(super) enum Html {
    Pair([String; 2]),
    Shared(String),
    Lone(Side, String),
}

/// A pair's translation state as the page shows it (nothing for a current pair).
#[derive(Debug, Clone)]
pub(super) enum Mark {
    /// A source block without its translation.
    Untranslated,
    /// The translation on side `behind` is older than the source's last change.
    Stale {
        behind: Side,
        /// What changed in the source, word by word, as HTML.
        diff: String,
        /// The source language's heading this block follows, to link to.
        anchor: Option<String>,
    },
}

/// What a page's translation state needs from the book: which pairs are stale, which
/// language is the source, and whether monolingual pages say so.
pub(crate) struct Marks<'a> {
    pub(crate) status: &'a PageStatus,
    pub(crate) source: Option<Side>,
    pub(crate) notices: bool,
    /// The marker's and notice's words in each language.
    pub(crate) words: &'a [StaleWords; 2],
}

pub(super) enum Rendered {
    Block {
        class: &'static str,
        tag: &'static str,
        id: Option<String>,
        secondary_id: Option<String>,
        html: Html,
        mark: Option<Mark>,
    },
    List {
        start: Option<u64>,
        items: Vec<RenderedItem>,
    },
    /// Each side's footnotes, after the body; a side without any has none.
    Footnotes([Option<String>; 2]),
}

pub(super) struct RenderedItem {
    pub(super) task: Option<bool>,
    pub(super) html: Html,
    pub(super) check: Option<CheckRef>,
    pub(super) mark: Option<Mark>,
}

/// A list item that is a checklist item: its id, its default, and (on checklist pages) the
/// way back to its place in the guide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CheckRef {
    pub(crate) id: String,
    pub(crate) checked: bool,
    pub(crate) back: Option<String>,
}

/// The words of a stale marker and notice, in the language that is behind (from the
/// theme's interface strings).
#[derive(Debug, Clone, Default)]
pub(crate) struct StaleWords {
    pub(crate) marker: String,
    pub(crate) notice: String,
    pub(crate) link: String,
}

/// A page's body, rendered once and ready to be written in every form.
pub(crate) struct PageBody {
    pub(super) parts: Vec<Rendered>,
    /// The page's ids and its links to anchors, checked once every page is rendered.
    pub(crate) anchors: PageAnchors,
    /// Definitions no block of the page uses: reported for the page, not for the partial
    /// bodies (checklists) rendered from it.
    pub(crate) unused_definitions: Vec<Diagnostic>,
    /// The page's site path, and whether monolingual forms show notices at stale blocks.
    pub(super) page_path: String,
    pub(super) notices: bool,
    pub(super) words: [StaleWords; 2],
}

/// Renders a page's segments; `checks` maps (segment, item) indices to checklist items.
pub(crate) fn render_body(
    page: &Page,
    targets: &LinkTargets,
    checks: Option<&HashMap<(usize, usize), CheckRef>>,
    marks: Option<&Marks<'_>>,
    langs: &Languages,
    diags: &mut Vec<Diagnostic>,
) -> PageBody {
    let anchors = heading_anchors(page);
    // The last heading id of each language's form, for a notice to link to.
    let mut last_anchor: [Option<String>; 2] = [None, None];
    let mark_of = |si: usize, ii: usize, content: &Content, last: &[Option<String>; 2]| {
        let marks = marks?;
        if let Some(stale) = marks.status.stale.get(&(si, ii)) {
            return Some(Mark::Stale {
                behind: stale.behind,
                diff: diff_html(&stale.then, &stale.now),
                anchor: last[stale.behind.other().index()].clone(),
            });
        }
        match content {
            Content::Lone(side, _) if *side == marks.source.unwrap_or(Side::Primary) => {
                Some(Mark::Untranslated)
            }
            _ => None,
        }
    };
    let mut found = page_ids(page, &anchors, checks);
    let mut parts = Vec::with_capacity(page.segments.len());
    let defs = &page.definitions;
    let mut docs = Side::BOTH.map(|side| {
        SideDocument::new(
            &defs[side.index()],
            &defs[side.other().index()],
            id_token(&langs.get(side).code, side),
        )
    });
    let mut side_html = |side: Side, text: &Text, inline: bool, diags: &mut Vec<Diagnostic>| {
        let ctx = LinkContext {
            targets,
            file: page.sources.file(side),
            line: text.line,
        };
        let links = &mut found.links[side.index()];
        let doc = Some(&mut docs[side.index()]);
        if inline {
            let (md, _) = heading_attributes(&text.md);
            render_inline_block(md, &ctx, doc, diags, links)
        } else {
            render_block(&text.md, &ctx, doc, diags, links)
        }
    };
    for (si, seg) in page.segments.iter().enumerate() {
        match seg {
            Segment::Block { kind, content } => {
                let inline = matches!(kind, BlockKind::Heading(_));
                let numbered = inline.then(|| numbered_heading(content)).flatten();
                let shown = numbered.as_ref().unwrap_or(content);
                let html = content_html(shown, &mut |s, t, d| side_html(s, t, inline, d), diags);
                let (class, tag) = block_class(*kind);
                let (id, secondary_id) = match kind {
                    BlockKind::Heading(_) => anchors[si].clone(),
                    _ => (None, None),
                };
                if id.is_some() {
                    last_anchor = [id.clone(), secondary_id.clone().or_else(|| id.clone())];
                }
                let mark = mark_of(si, 0, content, &last_anchor);
                let html = match kind {
                    BlockKind::Quote => wrap(html, "<blockquote>", "</blockquote>"),
                    BlockKind::Table => wrap(html, "<div class=\"table-wrap\">", "</div>"),
                    _ => html,
                };
                parts.push(Rendered::Block {
                    class,
                    tag,
                    id,
                    secondary_id,
                    html,
                    mark,
                });
            }
            Segment::List { start, items } => {
                let items = items
                    .iter()
                    .enumerate()
                    .map(|(ii, item)| {
                        let html = content_html(
                            &item.content,
                            &mut |s, t, d| strip_single_paragraph(side_html(s, t, false, d)),
                            diags,
                        );
                        let check = checks.and_then(|c| c.get(&(si, ii))).cloned();
                        RenderedItem {
                            task: item.task,
                            html,
                            check,
                            mark: mark_of(si, ii, &item.content, &last_anchor),
                        }
                    })
                    .collect();
                parts.push(Rendered::List {
                    start: *start,
                    items,
                });
            }
        }
    }
    let notes = Side::BOTH.map(|side| {
        let links = &mut found.links[side.index()];
        let doc = &mut docs[side.index()];
        footnotes_html(page, targets, langs, side, doc, diags, links)
    });
    if notes.iter().any(Option::is_some) {
        parts.push(Rendered::Footnotes(notes));
    }
    PageBody {
        parts,
        anchors: found,
        unused_definitions: unused_definitions(page, &docs),
        page_path: page.path.clone(),
        notices: marks.is_some_and(|m| m.notices),
        words: marks.map(|m| m.words.clone()).unwrap_or_default(),
    }
}

/// The source's change, word by word: removed words in `<del>`, added ones in `<ins>`.
fn diff_html(then: &str, now: &str) -> String {
    let mut out = String::new();
    word_diff(then, now, &mut |part| match part {
        DiffPart::Same(t) => out.push_str(&escape_attr(t)),
        DiffPart::Removed(t) => {
            let _ = write!(out, "<del>{}</del>", escape_attr(t));
        }
        DiffPart::Added(t) => {
            let _ = write!(out, "<ins>{}</ins>", escape_attr(t));
        }
    });
    out
}

/// A language code as it goes into an id: letters, digits and `-` (the side's number if
/// nothing is left).
fn id_token(code: &str, side: Side) -> String {
    let token: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    if token.is_empty() {
        (side.index() + 1).to_string()
    } else {
        token
    }
}

/// The footnotes a side referenced, in the order of their first reference, each with links
/// back to its references. A footnote may reference another: it is numbered then, and
/// shown in its turn (each once, so this ends).
fn footnotes_html(
    page: &Page,
    targets: &LinkTargets,
    langs: &Languages,
    side: Side,
    doc: &mut SideDocument<'_>,
    diags: &mut Vec<Diagnostic>,
    links: &mut Vec<AnchorLink>,
) -> Option<String> {
    if doc.numbered.is_empty() {
        return None;
    }
    let prefix = escape_attr(&doc.id_prefix);
    let mut items = String::new();
    let mut n = 0;
    while n < doc.numbered.len() {
        let key = doc.numbered[n].0.clone();
        let found = [(doc.own, side), (doc.other, side.other())]
            .into_iter()
            .find_map(|(defs, from)| defs.footnotes.get(&key).map(|d| (d, from)));
        n += 1;
        let Some((def, from)) = found else {
            continue;
        };
        let ctx = LinkContext {
            targets,
            file: page.sources.file(from),
            line: def.text.line,
        };
        let body = render_block(&def.text.md, &ctx, Some(&mut *doc), diags, links);
        let mut back = String::new();
        for r in 1..=doc.numbered[n - 1].1 {
            let suffix = if r == 1 {
                String::new()
            } else {
                format!("-{r}")
            };
            let _ = write!(
                back,
                " <a href=\"#fnref-{prefix}-{n}{suffix}\" class=\"footnote-backref\" role=\"doc-backlink\">↩</a>"
            );
        }
        let body = body.trim_end();
        let body = match body.strip_suffix("</p>") {
            Some(open) => format!("{open}{back}</p>"),
            None => format!("{body}<p>{back}</p>"),
        };
        // A note only the other language's file defines is in that language.
        let lang = if from == side {
            String::new()
        } else {
            format!(" lang=\"{}\"", escape_attr(&langs.get(from).tag))
        };
        let _ = write!(items, "<li id=\"fn-{prefix}-{n}\"{lang}>{body}</li>");
    }
    Some(format!(
        "<section class=\"footnotes\" role=\"doc-endnotes\"><ol>{items}</ol></section>"
    ))
}

/// Link and footnote definitions nothing on the page uses, at their lines. A parallel
/// file's definitions serve both languages and are reported once.
fn unused_definitions(page: &Page, docs: &[SideDocument<'_>; 2]) -> Vec<Diagnostic> {
    let parallel = page.sources.files[0] == page.sources.files[1];
    let mut out = Vec::new();
    for side in Side::BOTH {
        if parallel && side == Side::Secondary {
            continue;
        }
        let mut used: HashSet<&String> = docs[side.index()].used[0].iter().collect();
        used.extend(&docs[side.other().index()].used[1]);
        if parallel {
            used.extend(docs.iter().flat_map(|d| d.used.iter().flatten()));
        }
        let defs: &Definitions = &page.definitions[side.index()];
        let file = page.sources.file(side);
        for (key, def) in &defs.links {
            if !used.contains(key) {
                out.push(
                    Diagnostic::warning(
                        file,
                        Some(Location::new(def.line, 1)),
                        format!("link reference definition `[{key}]` is not used"),
                    )
                    .with_hint("remove it, or link to it with `[text][label]`"),
                );
            }
        }
        for (key, def) in &defs.footnotes {
            if !used.contains(&format!("^{key}")) {
                out.push(
                    Diagnostic::warning(
                        file,
                        Some(Location::new(def.text.line, 1)),
                        format!(
                            "footnote `[^{}]` is defined but never referenced",
                            def.label
                        ),
                    )
                    .with_hint(format!(
                        "reference it with `[^{}]`, or remove it",
                        def.label
                    )),
                );
            }
        }
    }
    out
}

/// The ids a page has in each language's form: its headings' (a two-file page's secondary
/// heading keeps its own in the secondary form), its checklist items', and those written in
/// raw HTML.
fn page_ids(
    page: &Page,
    headings: &[(Option<String>, Option<String>)],
    checks: Option<&HashMap<(usize, usize), CheckRef>>,
) -> PageAnchors {
    let mut ids: [HashSet<String>; 2] = [HashSet::new(), HashSet::new()];
    for (own, secondary) in headings {
        if let Some(id) = own {
            ids[0].insert(id.clone());
            ids[1].insert(id.clone());
        }
        if let Some(id) = secondary {
            ids[1].insert(id.clone());
        }
    }
    for check in checks.into_iter().flat_map(HashMap::values) {
        let anchor = format!("check-{}", check.id.replace('.', "-"));
        ids[0].insert(anchor.clone());
        ids[1].insert(anchor);
    }
    for content in page.segments.iter().flat_map(Segment::contents) {
        for side in Side::BOTH {
            if let Some(text) = content.side(side) {
                for piece in text.md.split(" id=\"").skip(1) {
                    if let Some(end) = piece.find('"') {
                        ids[side.index()].insert(piece[..end].to_string());
                    }
                }
            }
        }
    }
    PageAnchors {
        path: page.path.clone(),
        ids,
        links: [Vec::new(), Vec::new()],
    }
}

fn content_html(
    content: &Content,
    render_side: &mut dyn FnMut(Side, &Text, &mut Vec<Diagnostic>) -> String,
    diags: &mut Vec<Diagnostic>,
) -> Html {
    match content {
        Content::Pair([p, s]) => Html::Pair([
            render_side(Side::Primary, p, diags),
            render_side(Side::Secondary, s, diags),
        ]),
        Content::Shared(t) => Html::Shared(render_side(Side::Primary, t, diags)),
        Content::Lone(side, t) => Html::Lone(*side, render_side(*side, t, diags)),
    }
}

/// A heading pair with a section number on one side only, numbered on both (for display:
/// the heading ids stay those of the texts as written).
fn numbered_heading(content: &Content) -> Option<Content> {
    let Content::Pair([p, s]) = content else {
        return None;
    };
    let [a, b] = crate::bilingual::numbers::share_prefix([&p.md, &s.md])?;
    Some(Content::Pair([Text::new(a, p.line), Text::new(b, s.line)]))
}

fn wrap(html: Html, open: &str, close: &str) -> Html {
    let w = |s: String| format!("{open}{s}{close}");
    match html {
        Html::Pair([a, b]) => Html::Pair([w(a), w(b)]),
        Html::Shared(a) => Html::Shared(w(a)),
        Html::Lone(side, a) => Html::Lone(side, w(a)),
    }
}

fn strip_single_paragraph(html: String) -> String {
    let t = html.trim_end();
    match t.strip_prefix("<p>").and_then(|s| s.strip_suffix("</p>")) {
        Some(inner) if !inner.contains("<p>") => inner.to_string(),
        _ => html,
    }
}

fn block_class(kind: BlockKind) -> (&'static str, &'static str) {
    match kind {
        BlockKind::Heading(1) => ("seg-heading", "h1"),
        BlockKind::Heading(2) => ("seg-heading", "h2"),
        BlockKind::Heading(3) => ("seg-heading", "h3"),
        BlockKind::Heading(4) => ("seg-heading", "h4"),
        BlockKind::Heading(5) => ("seg-heading", "h5"),
        BlockKind::Heading(_) => ("seg-heading", "h6"),
        BlockKind::Paragraph => ("seg-p", "div"),
        BlockKind::Quote => ("seg-quote", "div"),
        BlockKind::Code => ("seg-code", "div"),
        BlockKind::Table => ("seg-table", "div"),
        BlockKind::Html => ("seg-html", "div"),
        BlockKind::Rule => ("seg-rule", "div"),
        BlockKind::Other => ("seg-other", "div"),
    }
}
