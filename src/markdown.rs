//! Markdown to HTML for one side of a block, with links to other pages rewritten to
//! their pretty URLs and dangerous URL schemes neutralised.

use std::path::Path;

use std::collections::HashSet;

use pulldown_cmark::{BrokenLink, CodeBlockKind, CowStr, Event, LinkType, Parser, Tag, TagEnd};

use crate::commonmark::{escape_block_start, parser_options};
use crate::highlight::{self, Fence};

mod contain;

use crate::content::definitions::label_key;
use crate::diagnostics::{Diagnostic, Location};
use crate::escape::escape_attr;
use crate::links::{resolve_target, AnchorLink, LinkTargets, SITE_ROOT, VIEW_ROOT};
use crate::model::Definitions;

/// Where a piece of Markdown comes from, to resolve its relative links.
pub struct LinkContext<'a> {
    /// Where each source file's page lives, to resolve links against.
    pub targets: &'a LinkTargets,
    /// The source file of this side.
    pub file: &'a Path,
    /// Line of the file the Markdown starts on.
    pub line: usize,
}

impl LinkContext<'_> {
    /// Where byte `offset` of this piece of Markdown stands in its file.
    fn location(&self, md: &str, offset: usize) -> Location {
        let loc = Location::of_offset(md, offset);
        Location::new(self.line + loc.line - 1, loc.col)
    }
}

/// Renders `md` to HTML. Problems (unresolved links) come back as diagnostics.
pub fn render(md: &str, ctx: &LinkContext<'_>, diags: &mut Vec<Diagnostic>) -> String {
    render_block(md, ctx, None, diags, &mut Vec::new())
}

/// Renders one block of a side's document like [`render`], with the document's link
/// reference definitions and footnotes (numbered in `doc`) when `doc` is given, and adds its
/// links to anchors (`#id`, `page.md#id`) to `links`, to be checked once every page is
/// rendered.
pub(crate) fn render_block(
    md: &str,
    ctx: &LinkContext<'_>,
    doc: Option<&mut SideDocument<'_>>,
    diags: &mut Vec<Diagnostic>,
    links: &mut Vec<AnchorLink>,
) -> String {
    let mut found = Vec::new();
    let html = render_events(md, ctx, doc, diags, &mut found);
    links.extend(found.into_iter().map(|f| f.placed(md, ctx, None)));
    html
}

/// One side's document while its blocks are rendered: the definitions its blocks resolve
/// against (the other side's as a fallback, with a warning), and its footnotes numbered
/// in the order they are first referenced.
pub(crate) struct SideDocument<'a> {
    pub(crate) own: &'a Definitions,
    pub(crate) other: &'a Definitions,
    /// Ids of footnotes are `fn-{prefix}-{n}`, of references `fnref-{prefix}-{n}`.
    pub(crate) id_prefix: String,
    /// Footnote keys in the order of their first reference, and their reference counts.
    pub(crate) numbered: Vec<(String, usize)>,
    /// Keys of the link and footnote definitions used, of this side's and the other's.
    pub(crate) used: [HashSet<String>; 2],
}

impl<'a> SideDocument<'a> {
    pub(crate) fn new(own: &'a Definitions, other: &'a Definitions, id_prefix: String) -> Self {
        SideDocument {
            own,
            other,
            id_prefix,
            numbered: Vec::new(),
            used: [HashSet::new(), HashSet::new()],
        }
    }

    /// The reference's HTML for footnote `key`, numbering it at its first reference.
    fn footnote_ref(&mut self, key: &str) -> String {
        let n = match self.numbered.iter().position(|(k, _)| k == key) {
            Some(i) => i,
            None => {
                self.numbered.push((key.to_string(), 0));
                self.numbered.len() - 1
            }
        };
        self.numbered[n].1 += 1;
        let count = self.numbered[n].1;
        let prefix = escape_attr(&self.id_prefix);
        let number = n + 1;
        let id = if count == 1 {
            format!("fnref-{prefix}-{number}")
        } else {
            format!("fnref-{prefix}-{number}-{count}")
        };
        format!("<sup class=\"footnote-ref\" id=\"{id}\"><a href=\"#fn-{prefix}-{number}\">{number}</a></sup>")
    }
}

/// The `[^label]` footnote references a block may hold, as written.
fn footnote_labels(md: &str) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for (at, _) in md.match_indices("[^") {
        let rest = &md[at + 2..];
        let Some(end) = rest.find(']') else { continue };
        let label = &rest[..end];
        if !label.is_empty() && !label.contains(['\n', '[']) && !out.contains(&label) {
            out.push(label);
        }
    }
    out
}

/// A link reference the parser could not resolve in the block, as the callback met it.
struct Reference {
    offset: usize,
    kind: LinkType,
    key: String,
    label: String,
    /// Whose definition resolved it: 0 this side's, 1 the other's.
    from: Option<usize>,
}

/// A link to an anchor as the renderer meets it: its byte offset in the Markdown.
struct FoundLink {
    offset: usize,
    dest: String,
    page: Option<String>,
    fragment: String,
}

impl FoundLink {
    /// The link with its place in the file; `inserted` is where one character was added to
    /// the Markdown before rendering, so offsets past it are one too far.
    fn placed(self, md: &str, ctx: &LinkContext<'_>, inserted: Option<usize>) -> AnchorLink {
        let offset = match inserted {
            Some(at) if self.offset > at => self.offset - 1,
            _ => self.offset,
        };
        AnchorLink {
            file: ctx.file.to_path_buf(),
            location: ctx.location(md, offset),
            dest: self.dest,
            page: self.page,
            fragment: self.fragment,
        }
    }
}

fn render_events(
    md: &str,
    ctx: &LinkContext<'_>,
    mut doc: Option<&mut SideDocument<'_>>,
    diags: &mut Vec<Diagnostic>,
    links: &mut Vec<FoundLink>,
) -> String {
    // Footnote references only parse with a definition in the same text: each label the
    // block names gets a stand-in definition after it, dropped from the output.
    let source = match &doc {
        Some(_) if md.contains("[^") => {
            let mut s = md.to_string();
            for label in footnote_labels(md) {
                s.push_str(&format!("\n\n[^{label}]: .\n"));
            }
            std::borrow::Cow::Owned(s)
        }
        _ => std::borrow::Cow::Borrowed(md),
    };
    let mut html = String::with_capacity(md.len() * 3 / 2 + 16);
    let mut events: Vec<Event<'_>> = Vec::new();
    // A fenced block's options and text, while inside it.
    let mut code: Option<(Fence, String)> = None;
    let mut raw_html = false;
    let defs = doc.as_ref().map(|d| [d.own, d.other]);
    let mut references: Vec<Reference> = Vec::new();
    let callback = |link: BrokenLink<'_>| {
        let defs = defs?;
        let key = label_key(&link.reference);
        let from = (0..2).find(|&i| defs[i].links.contains_key(&key));
        if !references.iter().any(|r| r.offset == link.span.start) {
            references.push(Reference {
                offset: link.span.start,
                kind: link.link_type,
                key: key.clone(),
                label: link.reference.to_string(),
                from,
            });
        }
        let def = defs[from?].links.get(&key)?;
        Some((
            CowStr::from(def.dest.clone()),
            CowStr::from(def.title.clone()),
        ))
    };
    let parser = Parser::new_with_broken_link_callback(&source, parser_options(), Some(callback));
    // Depth inside a stand-in footnote definition.
    let mut stand_in = 0usize;
    for (event, range) in parser.into_offset_iter() {
        if stand_in > 0 || range.start >= md.len() && !matches!(event, Event::End(_)) {
            match event {
                Event::Start(_) => stand_in += 1,
                Event::End(_) => stand_in = stand_in.saturating_sub(1),
                _ => {}
            }
            continue;
        }
        match event {
            Event::FootnoteReference(label) => {
                let key = label_key(&label);
                let Some(doc) = doc.as_deref_mut() else {
                    events.push(Event::Text(format!("[^{label}]").into()));
                    continue;
                };
                let from = [doc.own, doc.other]
                    .iter()
                    .position(|d| d.footnotes.contains_key(&key));
                match from {
                    Some(i) => {
                        doc.used[i].insert(format!("^{key}"));
                        if i == 1 {
                            warn_at(ctx, range.start, md, format!("footnote `[^{label}]` is defined only in the other language's file; its text is shown from there"), "add the footnote's definition to this file too", diags);
                        }
                        events.push(Event::InlineHtml(doc.footnote_ref(&key).into()));
                    }
                    None => {
                        warn_at(
                            ctx,
                            range.start,
                            md,
                            format!("footnote `[^{label}]` has no definition"),
                            format!("add `[^{label}]: …` to this file, or remove the reference"),
                            diags,
                        );
                        events.push(Event::Text(format!("[^{label}]").into()));
                    }
                }
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let info = match kind {
                    CodeBlockKind::Fenced(info) => info.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((Fence::parse(&info), String::new()));
            }
            Event::Text(text) if code.is_some() => {
                if let Some((_, body)) = code.as_mut() {
                    body.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => {
                if let Some((fence, body)) = code.take() {
                    events.push(Event::Html(CowStr::from(highlight::code_block(
                        &body, &fence,
                    ))));
                }
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                if let Some((page, fragment)) = anchor_of(&dest_url, ctx) {
                    links.push(FoundLink {
                        offset: range.start,
                        dest: dest_url.to_string(),
                        page,
                        fragment,
                    });
                }
                let dest_url = rewrite(dest_url, ctx, range.start, md, false, diags);
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = rewrite(dest_url, ctx, range.start, md, true, diags);
                events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            // With raw HTML switched off, it shows as the text it is.
            Event::Html(raw) | Event::InlineHtml(raw) if !ctx.targets.raw_html => {
                events.push(Event::Text(raw))
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                raw_html = true;
                events.push(event);
            }
            other => events.push(other),
        }
    }
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    if let Some(doc) = doc {
        reference_warnings(&references, doc, ctx, md, diags);
    }
    if raw_html {
        for leak in contain::contain(&mut html) {
            let offset = md
                .to_ascii_lowercase()
                .match_indices(&leak.opener)
                .nth(leak.nth)
                .map_or(0, |(at, _)| at);
            warn_at(ctx, offset, md, leak.message, leak.hint, diags);
        }
    }
    html
}

/// Marks the definitions the block's references used, and warns about those that resolved
/// only from the other side's file or not at all. A `[shortcut]` with no definition is
/// plain text in brackets, as often meant as not: it is not warned about.
fn reference_warnings(
    references: &[Reference],
    doc: &mut SideDocument<'_>,
    ctx: &LinkContext<'_>,
    md: &str,
    diags: &mut Vec<Diagnostic>,
) {
    for r in references {
        let label = &r.label;
        match r.from {
            Some(i) => {
                doc.used[i].insert(r.key.clone());
                if i == 1 {
                    warn_at(ctx, r.offset, md, format!("link reference `[{label}]` is defined only in the other language's file; its URL is taken from there"), format!("add `[{label}]: …` to this file too"), diags);
                }
            }
            None if matches!(r.kind, LinkType::Reference | LinkType::Collapsed) => {
                warn_at(
                    ctx,
                    r.offset,
                    md,
                    format!("link reference `[{label}]` has no definition; it is shown as text"),
                    format!("add `[{label}]: https://…` to this file, or fix the label"),
                    diags,
                );
            }
            None => {}
        }
    }
}

fn warn_at(
    ctx: &LinkContext<'_>,
    offset: usize,
    md: &str,
    message: String,
    hint: impl Into<String>,
    diags: &mut Vec<Diagnostic>,
) {
    let location = ctx.location(md, offset);
    diags.push(Diagnostic::warning(ctx.file, Some(location), message).with_hint(hint.into()));
}

/// Renders inline Markdown (a heading's text) without the surrounding `<p>`.
pub fn render_inline(md: &str, ctx: &LinkContext<'_>, diags: &mut Vec<Diagnostic>) -> String {
    render_inline_block(md, ctx, None, diags, &mut Vec::new())
}

/// [`render_inline`] for a block of a side's document (see [`render_block`]).
pub(crate) fn render_inline_block(
    md: &str,
    ctx: &LinkContext<'_>,
    doc: Option<&mut SideDocument<'_>>,
    diags: &mut Vec<Diagnostic>,
    links: &mut Vec<AnchorLink>,
) -> String {
    let (escaped, inserted) = escape_block_start(md);
    let mut found = Vec::new();
    let html = render_events(&escaped, ctx, doc, diags, &mut found);
    links.extend(found.into_iter().map(|f| f.placed(md, ctx, inserted)));
    let trimmed = html.trim_end();
    trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
        .map(str::to_string)
        .unwrap_or_else(|| trimmed.to_string())
}

/// Is this URL one a browser would run as script or HTML, in any spelling?
pub fn is_dangerous_url(url: &str) -> bool {
    // Percent-encoded spellings are not schemes to a browser, but decoding first costs
    // nothing and closes the door on any that are.
    let url = &crate::links::percent_decode(url);
    let cleaned: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    cleaned.starts_with("javascript:")
        || cleaned.starts_with("vbscript:")
        || (cleaned.starts_with("data:") && !cleaned.starts_with("data:image/")
            || cleaned.starts_with("data:image/svg"))
}

fn has_scheme(url: &str) -> bool {
    let scheme = match url.find(':') {
        Some(i) => {
            i > 0
                && url[..i]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    };
    scheme || url.starts_with("//")
}

/// The page (`None`: this one) and anchor a link points to, when it points to an anchor of
/// a page of the book: `#id`, or `other.md#id` for a page the book has.
fn anchor_of(dest: &str, ctx: &LinkContext<'_>) -> Option<(Option<String>, String)> {
    let (target, fragment) = dest.split_once('#')?;
    if fragment.is_empty() || target.contains("://") {
        return None;
    }
    if target.is_empty() {
        return Some((None, fragment.to_string()));
    }
    if !target.ends_with(".md") {
        return None;
    }
    let rel = ctx.targets.relative(ctx.file)?;
    let page = ctx.targets.pages.get(&resolve_target(&rel, target)?)?;
    Some((Some(page.clone()), fragment.to_string()))
}

fn rewrite<'a>(
    dest: CowStr<'a>,
    ctx: &LinkContext<'_>,
    offset: usize,
    md: &str,
    image: bool,
    diags: &mut Vec<Diagnostic>,
) -> CowStr<'a> {
    if is_dangerous_url(&dest) {
        return CowStr::Borrowed("#");
    }
    if dest.is_empty() || dest.starts_with('#') || has_scheme(&dest) {
        return dest;
    }
    let (path_part, suffix) = match dest.find(['#', '?']) {
        Some(i) => (&dest[..i], &dest[i..]),
        None => (&dest[..], ""),
    };
    let Some(rel_file) = ctx.targets.relative(ctx.file) else {
        return dest;
    };
    let Some(target) = resolve_target(&rel_file, path_part) else {
        warn(
            ctx,
            offset,
            md,
            &dest,
            "leads outside the content folder",
            diags,
        );
        return dest;
    };
    let is_md = target.extension().is_some_and(|e| e == "md");
    if is_md {
        return match ctx.targets.pages.get(&target) {
            Some(page) => CowStr::from(format!("{VIEW_ROOT}{page}{suffix}")),
            None => {
                warn(
                    ctx,
                    offset,
                    md,
                    &dest,
                    "points to no page of the book",
                    diags,
                );
                dest
            }
        };
    }
    if ctx.targets.assets.contains(&target) {
        return CowStr::from(format!("{SITE_ROOT}{}{}", encode_path(&target), suffix));
    }
    if image {
        warn(
            ctx,
            offset,
            md,
            &dest,
            "is not a file in the content folder",
            diags,
        );
    }
    dest
}

fn warn(
    ctx: &LinkContext<'_>,
    offset: usize,
    md: &str,
    dest: &str,
    what: &str,
    diags: &mut Vec<Diagnostic>,
) {
    warn_at(
        ctx,
        offset,
        md,
        format!("link `{dest}` {what}"),
        "link to another page by its Markdown file, relative to this file (e.g. `../phase/page.md#heading`)",
        diags,
    );
}

fn encode_path(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            ' ' => out.push_str("%20"),
            '#' => out.push_str("%23"),
            '?' => out.push_str("%3F"),
            '%' => out.push_str("%25"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    #[test]
    fn heading_text_that_looks_like_a_block_stays_text() {
        let targets = LinkTargets::default();
        let ctx = LinkContext {
            targets: &targets,
            file: Path::new("/c/a.md"),
            line: 1,
        };
        let mut diags = Vec::new();
        assert_eq!(
            render_inline("1. 架构设计阶段", &ctx, &mut diags),
            "1. 架构设计阶段"
        );
        assert_eq!(render_inline("- dash", &ctx, &mut diags), "- dash");
        assert_eq!(render_inline("***", &ctx, &mut diags), "***");
        assert_eq!(
            render_inline("*所有权* rules", &ctx, &mut diags),
            "<em>所有权</em> rules"
        );
        assert_eq!(
            render_inline("# not a heading", &ctx, &mut diags),
            "# not a heading"
        );
        assert_eq!(render_inline("2024 plans", &ctx, &mut diags), "2024 plans");
    }

    #[test]
    fn dangerous_schemes_in_any_spelling() {
        assert!(is_dangerous_url("JavaScript:alert(1)"));
        assert!(is_dangerous_url("java\tscript:alert(1)"));
        assert!(is_dangerous_url(" vbscript:x"));
        assert!(is_dangerous_url("data:text/html;base64,xx"));
        assert!(!is_dangerous_url("data:image/png;base64,xx"));
        assert!(!is_dangerous_url("https://example.com"));
    }

    #[test]
    fn links_to_pages_are_rewritten_and_missing_ones_reported() {
        let mut targets = LinkTargets {
            roots: [PathBuf::from("/c"), PathBuf::from("/c")],
            ..Default::default()
        };
        targets
            .pages
            .insert(PathBuf::from("b/other.md"), "b/other/".into());
        let ctx = LinkContext {
            targets: &targets,
            file: Path::new("/c/a/page.md"),
            line: 10,
        };
        let mut diags = Vec::new();
        let html = render(
            "See [x](../b/other.md#sec) and\n[y](missing.md).",
            &ctx,
            &mut diags,
        );
        assert!(
            html.contains(&format!(r#"href="{VIEW_ROOT}b/other/#sec""#)),
            "{html}"
        );
        assert_eq!(diags.len(), 1);
        assert_eq!(diags[0].location, Some(Location::new(11, 1)));
    }
}
