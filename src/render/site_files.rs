//! The site-wide files: print page, 404 page, sitemap, table of contents, static files.

use rayon::prelude::*;
use serde::Serialize;

use super::segments::{escape_attr, Form};
use super::{form_prefix, resolve_roots, SiteRenderer};
use crate::diagnostics::Diagnostic;
use crate::lang::Side;
use crate::model::{Page, Titles};
use crate::output::Sink;

pub fn write_all(r: &SiteRenderer<'_>, out: &dyn Sink) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut push = |res: Result<(), Diagnostic>| {
        if let Err(d) = res {
            diags.push(d);
        }
    };
    push(not_found_page(r, out));
    push(out.write("sitemap.xml", sitemap(r).as_bytes()));
    push(out.write("toc.js", toc_script(r).as_bytes()));
    if super::has_code(&r.loaded.book) {
        push(out.write(
            "static/highlight.css",
            crate::highlight::stylesheet().as_bytes(),
        ));
    }
    for (name, bytes) in &r.theme.statics {
        push(out.write(&format!("static/{name}"), bytes));
    }
    let copied: Vec<Result<(), Diagnostic>> = r
        .loaded
        .assets
        .par_iter()
        .map(|(from, rel)| out.copy(from, rel))
        .collect();
    for res in copied {
        push(res);
    }
    diags
}

/// The whole guide on one page, in reading order, for printing, from each page's bilingual
/// body in reading order. The page can be as large as the book, so it is streamed to disk
/// body by body as `bodies` yields them rather than built in memory.
pub fn print_page(
    r: &SiteRenderer<'_>,
    out: &dyn Sink,
    bodies: &mut dyn Iterator<Item = String>,
) -> Result<(), Diagnostic> {
    const PLACEHOLDER: &str = "\u{0}diglot-print-body\u{0}";
    let mut ctx = r.form_context(Form::Bilingual, "print/");
    ctx.insert("titles", &r.config.title);
    ctx.insert("description", &r.config.description);
    ctx.insert("content", PLACEHOLDER);
    ctx.insert("canonical", &format!("{}print/", r.config.base_url));
    let html = r
        .theme
        .tera
        .render("print.html", &ctx)
        .map_err(|e| template_error("print.html", &e, r))?;
    let (head, tail) = html.split_once(PLACEHOLDER).unwrap_or((&html, ""));
    let sections = r.entries.iter().zip(bodies).flat_map(|(entry, body)| {
        let title = title_html(&entry.page.titles, r);
        [
            format!(
                "<section class=\"print-page\"><header class=\"seg seg-title\">{title}</header>"
            ),
            resolve_roots(&body, "../", "../"),
            "</section>\n".to_string(),
        ]
    });
    let mut parts = std::iter::once(head.to_string())
        .chain(sections)
        .chain(std::iter::once(tail.to_string()));
    out.write_parts("print/index.html", &mut parts)
}

fn title_html(titles: &Titles, r: &SiteRenderer<'_>) -> String {
    let langs = &r.config.languages;
    Side::BOTH
        .iter()
        .map(|s| {
            format!(
                "<h1 class=\"l{}\" lang=\"{}\">{}</h1>",
                s.index() + 1,
                escape_attr(&langs.get(*s).tag),
                escape_attr(&titles[s.index()])
            )
        })
        .collect()
}

/// The 404 page is served for any missing path, so its links start from the base URL.
fn not_found_page(r: &SiteRenderer<'_>, out: &dyn Sink) -> Result<(), Diagnostic> {
    let mut ctx = r.form_context(Form::Bilingual, "");
    let base = r.config.base_path().to_string();
    ctx.insert("root", &base);
    ctx.insert("view_root", &base);
    ctx.insert(
        "titles",
        &["页面未找到".to_string(), "Page not found".to_string()],
    );
    ctx.insert("description", &r.config.description);
    ctx.insert("canonical", &format!("{}404.html", r.config.base_url));
    let html = r
        .theme
        .tera
        .render("404.html", &ctx)
        .map_err(|e| template_error("404.html", &e, r))?;
    out.write("404.html", html.as_bytes())
}

fn template_error(name: &str, e: &tera::Error, r: &SiteRenderer<'_>) -> Diagnostic {
    Diagnostic::error(
        r.config
            .root
            .join("themes")
            .join(&r.config.theme)
            .join("templates")
            .join(name),
        None,
        format!("template `{name}` failed: {}", crate::theme::error_chain(e)),
    )
    .with_hint("fix the template; the previous site is left untouched")
}

/// Every URL of the site with its alternates in the other forms.
fn sitemap(r: &SiteRenderer<'_>) -> String {
    let base = &r.config.base_url;
    let langs = &r.config.languages;
    let mut xml = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
    for entry in &r.entries {
        let path = &entry.page.path;
        let alternates: String = Side::BOTH
            .iter()
            .map(|s| {
                let l = langs.get(*s);
                format!(
                    "    <xhtml:link rel=\"alternate\" hreflang=\"{}\" href=\"{}\"/>\n",
                    escape_attr(&l.tag),
                    escape_attr(&format!("{base}{}/{path}", l.code))
                )
            })
            .chain(std::iter::once(format!(
                "    <xhtml:link rel=\"alternate\" hreflang=\"x-default\" href=\"{}\"/>\n",
                escape_attr(&format!("{base}{path}"))
            )))
            .collect();
        for form in Form::ALL {
            let loc = format!("{base}{}{path}", form_prefix(form, r.config));
            xml.push_str(&format!(
                "  <url>\n    <loc>{}</loc>\n{alternates}  </url>\n",
                escape_attr(&loc)
            ));
        }
    }
    xml.push_str("</urlset>\n");
    xml
}

#[derive(Serialize)]
struct TocEntry<'a> {
    title: &'a Titles,
    url: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pages: Vec<TocEntry<'a>>,
}

fn toc_entry(page: &Page) -> TocEntry<'_> {
    TocEntry {
        title: &page.titles,
        url: &page.path,
        pages: Vec::new(),
    }
}

/// The full sidebar, once for the whole site, as a script (which also loads from `file://`).
fn toc_script(r: &SiteRenderer<'_>) -> String {
    #[derive(Serialize)]
    struct Toc<'a> {
        home: TocEntry<'a>,
        loose: Vec<TocEntry<'a>>,
        root_phases: Vec<TocEntry<'a>>,
    }
    let book = &r.loaded.book;
    let toc = Toc {
        home: toc_entry(&book.home),
        loose: book.loose.iter().map(toc_entry).collect(),
        root_phases: book
            .phases
            .iter()
            .map(|p| TocEntry {
                title: &p.index.titles,
                url: &p.index.path,
                pages: p.pages.iter().map(toc_entry).collect(),
            })
            .collect(),
    };
    let json = serde_json::to_string(&toc).unwrap_or_else(|_| "{}".into());
    format!("window.DIGLOT_TOC = {};\n", script_safe_json(&json))
}

/// JSON that cannot end a `<script>` element or break a JavaScript string.
pub fn script_safe_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + json.len() / 64);
    let mut rest = json;
    while let Some(i) = rest.find(['<', '>', '&', '\u{2028}', '\u{2029}']) {
        out.push_str(&rest[..i]);
        let c = rest[i..].chars().next().unwrap_or('<');
        out.push_str(match c {
            '<' => "\\u003c",
            '>' => "\\u003e",
            '&' => "\\u0026",
            '\u{2028}' => "\\u2028",
            _ => "\\u2029",
        });
        rest = &rest[i + c.len_utf8()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::script_safe_json;

    #[test]
    fn script_safe_json_escapes_what_could_end_a_script_or_a_string() {
        assert_eq!(
            script_safe_json("[\"</script>&\u{2028}\u{2029}缓存\"]"),
            "[\"\\u003c/script\\u003e\\u0026\\u2028\\u2029缓存\"]"
        );
        assert_eq!(script_safe_json("plain"), "plain");
    }
}
