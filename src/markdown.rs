//! Markdown to HTML for one side of a block, with links to other pages rewritten to
//! their pretty URLs and dangerous URL schemes neutralised.

use std::path::Path;

use pulldown_cmark::{CodeBlockKind, CowStr, Event, Parser, Tag, TagEnd};

use crate::commonmark::parser_options;
use crate::highlight::{self, Fence};

mod contain;

use crate::diagnostics::{Diagnostic, Location};
use crate::links::{resolve_target, AnchorLink, LinkTargets, SITE_ROOT, VIEW_ROOT};

/// Where a piece of Markdown comes from, to resolve its relative links.
pub struct LinkContext<'a> {
    /// Where each source file's page lives, to resolve links against.
    pub targets: &'a LinkTargets,
    /// The source file of this side.
    pub file: &'a Path,
    /// Line of the file the Markdown starts on.
    pub line: usize,
}

/// Renders `md` to HTML. Problems (unresolved links) come back as diagnostics.
pub fn render(md: &str, ctx: &LinkContext<'_>, diags: &mut Vec<Diagnostic>) -> String {
    render_with_links(md, ctx, diags, &mut Vec::new())
}

/// Renders `md` to HTML like [`render`], and adds its links to anchors (`#id`,
/// `page.md#id`) to `links`, to be checked once every page is rendered.
pub fn render_with_links(
    md: &str,
    ctx: &LinkContext<'_>,
    diags: &mut Vec<Diagnostic>,
    links: &mut Vec<AnchorLink>,
) -> String {
    let mut found = Vec::new();
    let html = render_events(md, ctx, diags, &mut found);
    links.extend(found.into_iter().map(|f| f.placed(md, ctx, None)));
    html
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
        let loc = Location::of_offset(md, offset);
        AnchorLink {
            file: ctx.file.to_path_buf(),
            location: Location::new(ctx.line + loc.line - 1, loc.col),
            dest: self.dest,
            page: self.page,
            fragment: self.fragment,
        }
    }
}

fn render_events(
    md: &str,
    ctx: &LinkContext<'_>,
    diags: &mut Vec<Diagnostic>,
    links: &mut Vec<FoundLink>,
) -> String {
    let mut html = String::with_capacity(md.len() * 3 / 2 + 16);
    let mut events: Vec<Event<'_>> = Vec::new();
    // A fenced block's options and text, while inside it.
    let mut code: Option<(Fence, String)> = None;
    let mut raw_html = false;
    for (event, range) in Parser::new_ext(md, parser_options()).into_offset_iter() {
        match event {
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
    if raw_html {
        for leak in contain::contain(&mut html) {
            let offset = md
                .to_ascii_lowercase()
                .match_indices(&leak.opener)
                .nth(leak.nth)
                .map_or(0, |(at, _)| at);
            let loc = Location::of_offset(md, offset);
            let location = Location::new(ctx.line + loc.line - 1, loc.col);
            diags.push(
                Diagnostic::warning(ctx.file, Some(location), leak.message).with_hint(leak.hint),
            );
        }
    }
    html
}

/// Renders inline Markdown (a heading's text) without the surrounding `<p>`.
pub fn render_inline(md: &str, ctx: &LinkContext<'_>, diags: &mut Vec<Diagnostic>) -> String {
    render_inline_with_links(md, ctx, diags, &mut Vec::new())
}

/// [`render_inline`], adding its links to anchors to `links`.
pub fn render_inline_with_links(
    md: &str,
    ctx: &LinkContext<'_>,
    diags: &mut Vec<Diagnostic>,
    links: &mut Vec<AnchorLink>,
) -> String {
    let (escaped, inserted) = escape_block_start(md);
    let mut found = Vec::new();
    let html = render_events(&escaped, ctx, diags, &mut found);
    links.extend(found.into_iter().map(|f| f.placed(md, ctx, inserted)));
    let trimmed = html.trim_end();
    trimmed
        .strip_prefix("<p>")
        .and_then(|s| s.strip_suffix("</p>"))
        .map(str::to_string)
        .unwrap_or_else(|| trimmed.to_string())
}

/// Inline Markdown (a heading's text) as plain text: markup dropped, code and link text kept.
pub(crate) fn inline_plain_text(md: &str) -> String {
    let (escaped, _) = escape_block_start(md);
    crate::search::plain_text(&escaped)
}

/// Inline text that would start a block on its own (`1. Phase` reads as a list, `# x` as a
/// heading, `> x` as a quote) gets its marker escaped, so a heading's side stays text.
/// Returns the text and where the escape went, if one was needed.
fn escape_block_start(md: &str) -> (std::borrow::Cow<'_, str>, Option<usize>) {
    let trimmed = md.trim_start();
    let lead = md.len() - trimmed.len();
    let digits = trimmed.len()
        - trimmed
            .trim_start_matches(|c: char| c.is_ascii_digit())
            .len();
    let marker_at = if digits > 0 && digits <= 9 && trimmed[digits..].starts_with(['.', ')']) {
        Some(lead + digits)
    } else if trimmed.starts_with(['#', '>', '=']) || starts_list_or_rule(trimmed) {
        Some(lead)
    } else {
        None
    };
    match marker_at {
        Some(at) => (
            std::borrow::Cow::Owned(format!("{}\\{}", &md[..at], &md[at..])),
            Some(at),
        ),
        None => (std::borrow::Cow::Borrowed(md), None),
    }
}

/// `- x`, `* x`, `+ x` (a bullet) or `***`, `- - -` (a rule); `*emphasis*` is neither.
fn starts_list_or_rule(text: &str) -> bool {
    let mut chars = text.chars();
    let Some(first @ ('-' | '+' | '*')) = chars.next() else {
        return false;
    };
    let bullet = chars.next().is_none_or(char::is_whitespace);
    let rule = first != '+' && text.chars().all(|c| c == first || c == ' ' || c == '\t');
    bullet || rule
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
    let loc = Location::of_offset(md, offset);
    let location = Location::new(ctx.line + loc.line - 1, loc.col);
    diags.push(
        Diagnostic::warning(ctx.file, Some(location), format!("link `{dest}` {what}"))
            .with_hint("link to another page by its Markdown file, relative to this file (e.g. `../phase/page.md#heading`)"),
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
