//! Segments to HTML: each side rendered once, then assembled for the bilingual form and
//! for each language's own form.

use std::collections::HashMap;
use std::fmt::Write;

use crate::content::load::LinkTargets;
use crate::content::slug::heading_id;
use crate::diagnostics::Diagnostic;
use crate::lang::{Languages, Side};
use crate::markdown::{render, render_inline, LinkContext};
use crate::model::{BlockKind, Content, Page, Segment, Text};

/// Which of a page's three forms is being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Form {
    Bilingual,
    Only(Side),
}

impl Form {
    pub const ALL: [Form; 3] = [
        Form::Bilingual,
        Form::Only(Side::Primary),
        Form::Only(Side::Secondary),
    ];

    pub fn shows(self, side: Side) -> bool {
        match self {
            Form::Bilingual => true,
            Form::Only(s) => s == side,
        }
    }
}

/// HTML of one piece of content, per side.
enum Html {
    Pair([String; 2]),
    Shared(String),
    Lone(Side, String),
}

enum Rendered {
    Block {
        class: &'static str,
        tag: &'static str,
        id: Option<String>,
        secondary_id: Option<String>,
        html: Html,
    },
    List {
        start: Option<u64>,
        items: Vec<(Option<bool>, Html)>,
    },
}

/// A page's body, rendered once and ready to be written in every form.
pub struct PageBody {
    parts: Vec<Rendered>,
}

/// Gives heading ids the way GitHub does: repeats get `-1`, `-2`.
#[derive(Default)]
pub struct IdSet {
    seen: HashMap<String, usize>,
}

impl IdSet {
    pub fn unique(&mut self, base: String) -> String {
        match self.seen.get_mut(&base) {
            None => {
                self.seen.insert(base.clone(), 0);
                base
            }
            Some(n) => {
                *n += 1;
                let id = format!("{base}-{n}");
                self.seen.insert(id.clone(), 0);
                id
            }
        }
    }
}

pub fn render_body(page: &Page, targets: &LinkTargets, diags: &mut Vec<Diagnostic>) -> PageBody {
    let parallel = page.sources.files[0] == page.sources.files[1];
    let mut ids = IdSet::default();
    let mut parts = Vec::with_capacity(page.segments.len());
    let side_html = |side: Side, text: &Text, inline: bool, diags: &mut Vec<Diagnostic>| {
        let ctx = LinkContext {
            targets,
            file: page.sources.file(side),
            line: text.line,
        };
        if inline {
            render_inline(&text.md, &ctx, diags)
        } else {
            render(&text.md, &ctx, diags)
        }
    };
    for seg in &page.segments {
        match seg {
            Segment::Block { kind, content } => {
                let inline = matches!(kind, BlockKind::Heading(_));
                let html = content_html(content, &mut |s, t, d| side_html(s, t, inline, d), diags);
                let (class, tag) = block_class(*kind);
                let (id, secondary_id) = match kind {
                    BlockKind::Heading(_) => heading_ids(content, parallel, &mut ids),
                    _ => (None, None),
                };
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
                });
            }
            Segment::List { start, items } => {
                let items = items
                    .iter()
                    .map(|item| {
                        let html = content_html(
                            &item.content,
                            &mut |s, t, d| strip_single_paragraph(side_html(s, t, false, d)),
                            diags,
                        );
                        (item.task, html)
                    })
                    .collect();
                parts.push(Rendered::List {
                    start: *start,
                    items,
                });
            }
        }
    }
    PageBody { parts }
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

/// A parallel file's heading keeps GitHub's id for its full text (`中文 | English`); in two
/// files each side keeps its own file's id.
fn heading_ids(
    content: &Content,
    parallel: bool,
    ids: &mut IdSet,
) -> (Option<String>, Option<String>) {
    match content {
        Content::Pair([p, s]) if parallel => (
            Some(ids.unique(heading_id(&format!("{} | {}", p.md, s.md)))),
            None,
        ),
        Content::Pair([p, s]) => {
            let first = ids.unique(heading_id(&p.md));
            let second = heading_id(&s.md);
            let second = (second != first && !second.is_empty()).then(|| ids.unique(second));
            (Some(first), second)
        }
        Content::Shared(t) | Content::Lone(_, t) => (Some(ids.unique(heading_id(&t.md))), None),
    }
}

impl PageBody {
    /// The body's HTML in one form.
    pub fn html(&self, form: Form, langs: &Languages) -> String {
        let mut out = String::with_capacity(4096);
        for part in &self.parts {
            match part {
                Rendered::Block {
                    class,
                    tag,
                    id,
                    secondary_id,
                    html,
                } => {
                    write_block(
                        &mut out,
                        form,
                        langs,
                        class,
                        tag,
                        id.as_deref(),
                        secondary_id.as_deref(),
                        html,
                    );
                }
                Rendered::List { start, items } => {
                    let list_tag = if start.is_some() { "ol" } else { "ul" };
                    let _ = write!(out, "<{list_tag} class=\"seg-list\"");
                    if let Some(n) = start.filter(|n| *n != 1) {
                        let _ = write!(out, " start=\"{n}\"");
                    }
                    out.push('>');
                    for (task, html) in items {
                        let class = if task.is_some() { " task" } else { "" };
                        let box_html = match task {
                            Some(true) => "<input type=\"checkbox\" disabled checked> ",
                            Some(false) => "<input type=\"checkbox\" disabled> ",
                            None => "",
                        };
                        write_children(
                            &mut out, form, langs, "li", class, None, "div", None, html, box_html,
                        );
                    }
                    let _ = write!(out, "</{list_tag}>");
                }
            }
        }
        out
    }
}

#[allow(clippy::too_many_arguments)]
fn write_block(
    out: &mut String,
    form: Form,
    langs: &Languages,
    class: &str,
    tag: &str,
    id: Option<&str>,
    secondary_id: Option<&str>,
    html: &Html,
) {
    let extra = format!(" {class}");
    write_children(
        out,
        form,
        langs,
        "div",
        &extra,
        id,
        tag,
        secondary_id,
        html,
        "",
    );
}

/// Writes `<outer class="seg…"><inner lang=…>…</inner>…</outer>` for the sides `form` shows.
#[allow(clippy::too_many_arguments)]
fn write_children(
    out: &mut String,
    form: Form,
    langs: &Languages,
    outer: &str,
    class: &str,
    id: Option<&str>,
    inner: &str,
    secondary_id: Option<&str>,
    html: &Html,
    prefix: &str,
) {
    let id_attr = id
        .map(|i| format!(" id=\"{}\"", escape_attr(i)))
        .unwrap_or_default();
    match html {
        Html::Shared(h) => {
            let _ = write!(out, "<{outer} class=\"seg shared{class}\"{id_attr}>");
            if inner == "div" {
                let _ = write!(out, "{prefix}{h}");
            } else {
                let _ = write!(out, "<{inner}>{prefix}{h}</{inner}>");
            }
            let _ = write!(out, "</{outer}>");
        }
        Html::Pair(sides) => {
            let _ = write!(out, "<{outer} class=\"seg{class}\"{id_attr}>");
            for side in Side::BOTH {
                if form.shows(side) {
                    let sid = if side == Side::Secondary {
                        secondary_id
                    } else {
                        None
                    };
                    write_side(out, langs, side, inner, sid, prefix, &sides[side.index()]);
                }
            }
            let _ = write!(out, "</{outer}>");
        }
        Html::Lone(side, h) => {
            let _ = write!(out, "<{outer} class=\"seg lone{class}\"{id_attr}>");
            write_side(out, langs, *side, inner, None, prefix, h);
            let _ = write!(out, "</{outer}>");
        }
    }
}

fn write_side(
    out: &mut String,
    langs: &Languages,
    side: Side,
    tag: &str,
    id: Option<&str>,
    prefix: &str,
    html: &str,
) {
    let n = side.index() + 1;
    let lang = &langs.get(side).tag;
    let id_attr = id
        .map(|i| format!(" id=\"{}\"", escape_attr(i)))
        .unwrap_or_default();
    let _ = write!(
        out,
        "<{tag} class=\"l{n}\" lang=\"{}\"{id_attr}>{prefix}{html}</{tag}>",
        escape_attr(lang)
    );
}

/// Escapes text for an HTML attribute value or element content.
pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}
