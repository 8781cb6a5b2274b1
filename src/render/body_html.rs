//! A rendered body written in one form: each pair as one `.seg` element whose children
//! carry their language (the bilingual form), or one language's side alone; a stale pair's
//! marker or notice after it.

use std::fmt::Write;

use super::segments::{Form, Html, Mark, PageBody, Rendered, RenderedItem};
use crate::escape::{escape_attr, push_text};
use crate::lang::{Languages, Side};
use crate::links::SITE_ROOT;

impl PageBody {
    /// The body's HTML in one form.
    pub(crate) fn html(&self, form: Form, langs: &Languages) -> String {
        let mut out = String::with_capacity(4096);
        for part in &self.parts {
            match part {
                Rendered::Block {
                    class,
                    tag,
                    id,
                    secondary_id,
                    html,
                    mark,
                } => {
                    let frame = Frame {
                        outer: "div",
                        class: format!(" {class}"),
                        attrs: format!("{}{}", id_attr(id.as_deref()), state_attr(mark.as_ref())),
                        inner: tag,
                        secondary_id: secondary_id.as_deref(),
                        prefix: String::new(),
                        suffix: String::new(),
                    };
                    let after = self.mark_html(mark.as_ref(), form, langs);
                    write_seg(&mut out, form, langs, &frame, html, &after);
                }
                Rendered::List { start, items } => {
                    let list_tag = if start.is_some() { "ol" } else { "ul" };
                    let checklist = if items.iter().any(|i| i.check.is_some()) {
                        " checklist"
                    } else {
                        ""
                    };
                    let _ = write!(out, "<{list_tag} class=\"seg-list{checklist}\"");
                    if let Some(n) = start.filter(|n| *n != 1) {
                        let _ = write!(out, " start=\"{n}\"");
                    }
                    out.push('>');
                    for item in items {
                        let after = self.mark_html(item.mark.as_ref(), form, langs);
                        let mut frame = item_frame(item);
                        frame.attrs.push_str(state_attr(item.mark.as_ref()));
                        write_seg(&mut out, form, langs, &frame, &item.html, &after);
                    }
                    let _ = write!(out, "</{list_tag}>");
                }
                Rendered::Footnotes(notes) => {
                    // A pair even when one side has none, so each language's notes show
                    // and hide with that language; a form without the side's notes has none.
                    let html = notes.clone().map(Option::unwrap_or_default);
                    if Side::BOTH
                        .iter()
                        .any(|s| form.shows(*s) && notes[s.index()].is_some())
                    {
                        let frame = Frame {
                            outer: "div",
                            class: " seg-footnotes".into(),
                            attrs: String::new(),
                            inner: "div",
                            secondary_id: None,
                            prefix: String::new(),
                            suffix: String::new(),
                        };
                        write_seg(&mut out, form, langs, &frame, &Html::Pair(html), "");
                    }
                }
            }
        }
        out
    }
}

impl PageBody {
    /// What goes after a pair's sides: a stale pair's marker in the bilingual form, a
    /// notice in the monolingual form of the language that is behind.
    fn mark_html(&self, mark: Option<&Mark>, form: Form, langs: &Languages) -> String {
        let Some(Mark::Stale {
            behind,
            diff,
            anchor,
        }) = mark
        else {
            return String::new();
        };
        let tr = langs.get(*behind);
        let src = langs.get(behind.other());
        let words = &self.words[behind.index()];
        match form {
            Form::Bilingual => format!(
                "<details class=\"stale-mark\" data-behind=\"l{}\"><summary lang=\"{}\">{}</summary><p class=\"stale-diff\" lang=\"{}\">{diff}</p></details>",
                behind.index() + 1,
                escape_attr(&tr.tag),
                escape_attr(&words.marker),
                escape_attr(&src.tag),
            ),
            Form::Only(side) if side == *behind && self.notices => {
                let hash = anchor
                    .as_ref()
                    .map(|a| format!("#{}", escape_attr(a)))
                    .unwrap_or_default();
                format!(
                    "<p class=\"stale-notice\" role=\"note\" lang=\"{}\">{} <a href=\"{SITE_ROOT}{}/{}index.html{hash}\" lang=\"{}\" hreflang=\"{}\">{}</a></p>",
                    escape_attr(&tr.tag),
                    escape_attr(&words.notice),
                    escape_attr(&src.code),
                    escape_attr(&self.page_path),
                    escape_attr(&tr.tag),
                    escape_attr(&src.tag),
                    escape_attr(&words.link),
                )
            }
            Form::Only(_) => String::new(),
        }
    }
}

/// ` data-state="…"` for a pair that is not current.
fn state_attr(mark: Option<&Mark>) -> &'static str {
    match mark {
        None => "",
        Some(Mark::Untranslated) => " data-state=\"untranslated\"",
        Some(Mark::Stale { .. }) => " data-state=\"stale\"",
    }
}

/// A list item: a checklist item gets a real checkbox in each side, bound by its id.
fn item_frame(item: &RenderedItem) -> Frame<'static> {
    let mut frame = Frame {
        outer: "li",
        class: String::new(),
        attrs: String::new(),
        inner: "div",
        secondary_id: None,
        prefix: String::new(),
        suffix: String::new(),
    };
    match (&item.check, item.task) {
        (Some(check), _) => {
            let id = escape_attr(&check.id);
            let checked = if check.checked { " checked" } else { "" };
            frame.class = " check".into();
            frame.attrs = format!(
                " data-check-id=\"{id}\" id=\"check-{}\"",
                id.replace('.', "-")
            );
            if check.checked {
                frame.attrs.push_str(" data-default-checked=\"true\"");
            }
            frame.prefix = format!("<label><input type=\"checkbox\" class=\"check-box\" data-check-id=\"{id}\"{checked}> ");
            frame.suffix = "</label>".into();
            if let Some(back) = &check.back {
                frame.suffix.push_str(&format!(
                    " <a class=\"check-source\" href=\"{}\">↩</a>",
                    escape_attr(back)
                ));
            }
        }
        (None, Some(checked)) => {
            frame.class = " task".into();
            frame.prefix = format!(
                "<input type=\"checkbox\" disabled{}> ",
                if checked { " checked" } else { "" }
            );
        }
        (None, None) => {}
    }
    frame
}

/// How content is framed: the `.seg` element and each side's element within it.
struct Frame<'a> {
    outer: &'a str,
    /// Extra classes, each with a leading space.
    class: String,
    /// Extra attributes, escaped, each with a leading space.
    attrs: String,
    inner: &'a str,
    /// An id of its own for the secondary side (a heading from a two-file page).
    secondary_id: Option<&'a str>,
    prefix: String,
    suffix: String,
}

fn id_attr(id: Option<&str>) -> String {
    let mut out = String::new();
    push_id_attr(&mut out, id);
    out
}

/// Appends ` id="…"` (escaped) when there is an id.
fn push_id_attr(out: &mut String, id: Option<&str>) {
    if let Some(id) = id {
        out.push_str(" id=\"");
        push_text(out, id);
        out.push('"');
    }
}

/// Writes `<outer class="seg…"><inner lang=…>…</inner>…</outer>` for the sides `form` shows.
fn write_seg(
    out: &mut String,
    form: Form,
    langs: &Languages,
    frame: &Frame<'_>,
    html: &Html,
    after: &str,
) {
    let Frame {
        outer,
        class,
        attrs,
        inner,
        prefix,
        suffix,
        ..
    } = frame;
    let open = |out: &mut String, kind: &str| {
        push_all(
            out,
            &["<", outer, " class=\"seg", kind, class, "\"", attrs, ">"],
        );
    };
    match html {
        Html::Shared(h) => {
            open(out, " shared");
            if *inner == "div" {
                push_all(out, &[prefix, h, suffix]);
            } else {
                push_all(out, &["<", inner, ">", prefix, h, suffix, "</", inner, ">"]);
            }
        }
        Html::Pair(sides) => {
            open(out, "");
            for side in Side::BOTH.into_iter().filter(|s| form.shows(*s)) {
                let id = if side == Side::Secondary {
                    frame.secondary_id
                } else {
                    None
                };
                write_side(out, langs, side, frame, id, &sides[side.index()]);
            }
        }
        Html::Lone(side, h) => {
            open(out, " lone");
            write_side(out, langs, *side, frame, None, h);
        }
    }
    push_all(out, &[after, "</", outer, ">"]);
}

/// Appends `parts` in order (what `write!` would do, without formatting machinery: a
/// page's body is assembled from many of these).
fn push_all(out: &mut String, parts: &[&str]) {
    for part in parts {
        out.push_str(part);
    }
}

fn write_side(
    out: &mut String,
    langs: &Languages,
    side: Side,
    frame: &Frame<'_>,
    id: Option<&str>,
    html: &str,
) {
    let class = ["l1", "l2"][side.index()];
    let Frame {
        inner,
        prefix,
        suffix,
        ..
    } = frame;
    push_all(out, &["<", inner, " class=\"", class, "\" lang=\""]);
    push_text(out, &langs.get(side).tag);
    out.push('"');
    push_id_attr(out, id);
    push_all(out, &[">", prefix, html, suffix, "</", inner, ">"]);
}
