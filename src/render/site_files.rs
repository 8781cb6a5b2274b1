//! The site-wide files: print page, 404 page, sitemap, table of contents, static files.

use rayon::prelude::*;
use serde::Serialize;

use super::chrome::title_elements;
use super::pages::resolve_roots;
use super::renderer::{form_prefix, Kind, SiteRenderer};
use super::segments::Form;
use crate::diagnostics::Diagnostic;
use crate::escape::{escape_attr, script_safe_json};
use crate::lang::Side;
use crate::links::PageAnchors;
use crate::model::{Page, Titles};
use crate::output::Sink;
use crate::paths::STATUS_PAGE_DIR;

pub(crate) fn write_all(r: &SiteRenderer<'_>, out: &dyn Sink) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    let mut push = |res: Result<(), Diagnostic>| {
        if let Err(d) = res {
            diags.push(d);
        }
    };
    push(not_found_pages(r, out));
    for d in super::status_page::write_all(r, out) {
        push(Err(d));
    }
    // A sitemap's URLs must be absolute: without a host in `base-url` there is none (the
    // build says so).
    if r.config.base_url.contains("://") {
        for (name, xml) in sitemap_files(&r.config.base_url, sitemap_urls(r), SITEMAP_URL_LIMIT) {
            push(out.write(&name, xml.as_bytes()));
        }
    }
    push(out.write("toc.js", toc_script(r).as_bytes()));
    push(out.write("ui.js", r.interface.script().as_bytes()));
    if super::pages::has_code(&r.loaded.book) {
        push(out.write(
            "static/highlight.css",
            crate::highlight::stylesheet().as_bytes(),
        ));
    }
    for (name, bytes) in &r.theme.statics {
        push(out.write(&format!("static/{name}"), bytes));
    }
    let generated = generated_paths(r);
    let codes = Side::BOTH.map(|s| r.config.languages.get(s).code.to_lowercase());
    push(extra_files(r, out, &generated, &codes));
    let copied: Vec<Result<(), Diagnostic>> = r
        .loaded
        .assets
        .par_iter()
        .map(|(from, rel)| {
            let site_path = rel.to_string_lossy().replace('\\', "/");
            match generated_path_taken(&generated, &codes, &site_path) {
                Some(what) => Err(Diagnostic::error(
                    from,
                    None,
                    format!("this file would replace {what} that Diglot writes at `{site_path}`"),
                )
                .with_hint("rename or move the file; to change a generated file, override the theme in themes/<name>/ instead")),
                None => out.copy(from, rel),
            }
        })
        .collect();
    for res in copied {
        push(res);
    }
    diags
}

/// The book's `extra-css` and `extra-js` files, at their path in the book; one that would
/// replace a file Diglot writes is an error.
fn extra_files(
    r: &SiteRenderer<'_>,
    out: &dyn Sink,
    generated: &std::collections::HashSet<String>,
    codes: &[String],
) -> Result<(), Diagnostic> {
    for (site_path, bytes) in &r.theme.extra_files {
        if let Some(what) = generated_path_taken(generated, codes, site_path) {
            let book_toml = r.config.root.join(crate::config::CONFIG_FILE);
            let entry = (r.config.extra_css.iter().chain(&r.config.extra_js))
                .chain(&r.config.favicon)
                .find(|f| f.rel == *site_path)
                .and_then(|f| f.location);
            return Err(Diagnostic::error(
                book_toml,
                entry,
                format!("extra file `{site_path}` would replace {what} that Diglot writes there"),
            )
            .with_hint("move the file to a folder of its own, such as css/ or js/"));
        }
        out.write(site_path, bytes)?;
    }
    Ok(())
}

/// Renders every page, a batch at a time, and streams each batch's bilingual bodies into
/// the print page before the next batch starts: the bodies of the whole book are never
/// held at once.
pub(crate) fn pages_and_print(
    r: &SiteRenderer<'_>,
    out: &dyn Sink,
) -> (Vec<Diagnostic>, Vec<PageAnchors>) {
    const BATCH: usize = 512;
    let all: Vec<usize> = (0..r.page_count()).collect();
    let mut diags = Vec::new();
    let mut anchors = Vec::with_capacity(all.len());
    let print = {
        let mut bodies = all.chunks(BATCH).flat_map(|batch| {
            let (batch_diags, pages) = r.render_pages(batch, out);
            diags.extend(batch_diags);
            let (bodies, batch_anchors): (Vec<String>, Vec<PageAnchors>) =
                pages.into_iter().map(|p| (p.body, p.anchors)).unzip();
            anchors.extend(batch_anchors);
            bodies
        });
        let print = print_page(r, out, &mut bodies);
        // Whatever happened to the print page, every page is rendered.
        bodies.for_each(drop);
        print
    };
    diags.extend(print.err());
    (diags, anchors)
}

/// The print page, from every page's bilingual body in reading order.
pub(crate) fn print(r: &SiteRenderer<'_>, out: &dyn Sink, bodies: &[String]) -> Vec<Diagnostic> {
    print_page(r, out, &mut bodies.iter().cloned())
        .err()
        .into_iter()
        .collect()
}

/// Site paths (lowercase: case-insensitive file systems mix them up) of the files Diglot
/// writes apart from the search index, checklist pages and translation status page, whose
/// folders are reserved whole.
fn generated_paths(r: &SiteRenderer<'_>) -> std::collections::HashSet<String> {
    let mut paths: std::collections::HashSet<String> = [
        "index.html",
        "404.html",
        "sitemap.xml",
        "toc.js",
        "ui.js",
        "checklists.json",
        "static/highlight.css",
    ]
    .iter()
    .map(|p| p.to_string())
    .collect();
    paths.extend(
        r.theme
            .statics
            .iter()
            .map(|(name, _)| format!("static/{name}").to_lowercase()),
    );
    for form in Form::ALL {
        paths.insert(format!("{}404.html", form_prefix(form, r.config)).to_lowercase());
    }
    for entry in &r.entries {
        for form in Form::ALL {
            paths.insert(
                format!(
                    "{}{}index.html",
                    form_prefix(form, r.config),
                    entry.page.path
                )
                .to_lowercase(),
            );
        }
    }
    paths
}

/// What a content file at `site_path` would replace, if anything. `codes` are the
/// languages' codes, lowercase: each language's form has its own checklist and status pages.
fn generated_path_taken(
    generated: &std::collections::HashSet<String>,
    codes: &[String],
    site_path: &str,
) -> Option<&'static str> {
    let lower = site_path.to_lowercase();
    let mut parts = lower.split('/');
    let first = parts.next().unwrap_or("");
    let in_every_form = |folder: &str| folder == "checklists" || folder == STATUS_PAGE_DIR;
    let in_a_form = codes.iter().any(|c| c == first) && parts.next().is_some_and(in_every_form);
    if generated.contains(&lower) {
        Some(if lower.ends_with("index.html") {
            "the page"
        } else {
            "the file"
        })
    } else if matches!(first, "print" | "search")
        || in_every_form(first)
        || in_a_form
        || (!lower.contains('/') && crate::paths::is_reserved_name(&lower))
    {
        Some("a file in the folder")
    } else {
        None
    }
}

/// The whole guide on one page, in reading order, for printing, from each page's bilingual
/// body in reading order. The page can be as large as the book, so it is streamed to disk
/// body by body as `bodies` yields them rather than built in memory.
pub(crate) fn print_page(
    r: &SiteRenderer<'_>,
    out: &dyn Sink,
    bodies: &mut dyn Iterator<Item = String>,
) -> Result<(), Diagnostic> {
    const PLACEHOLDER: &str = "\u{0}diglot-print-body\u{0}";
    let mut ctx = r.form_context(Form::Bilingual, "print/");
    r.insert_titles(&mut ctx, Form::Bilingual, "print/", &r.config.title);
    ctx.insert("description", &r.config.description);
    ctx.insert("content", PLACEHOLDER);
    ctx.insert("canonical", &format!("{}print/", r.config.base_url));
    ctx.insert("print_contents", &super::print::contents(r));
    ctx.insert("switcher", &super::print::switcher(r));
    let html = r.theme.render("print.html", &ctx)?;
    let (head, tail) = html.split_once(PLACEHOLDER).unwrap_or((&html, ""));
    let sections = r.entries.iter().zip(bodies).flat_map(|(entry, body)| {
        let id = escape_attr(&super::print::section_id(&entry.page.path));
        // The home page's title is the book's, which heads the print page already.
        let header = match entry.kind {
            Kind::Home => String::new(),
            _ => format!(
                "<header class=\"seg seg-title\">{}</header>",
                title_html(&entry.page.titles, r)
            ),
        };
        let class = match entry.kind {
            Kind::PhaseIndex(_) => "print-page print-phase",
            _ => "print-page",
        };
        [
            format!("<section class=\"{class}\" id=\"{id}\">{header}"),
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
    title_elements(titles, Form::Bilingual, &r.config.languages, "h1", "")
}

/// The 404 pages: `404.html` in both languages and `<code>/404.html` in each language, for
/// hosts that serve the nearest one up the missing path's folders. A host serves one for any
/// missing path, so its links start from the base URL.
fn not_found_pages(r: &SiteRenderer<'_>, out: &dyn Sink) -> Result<(), Diagnostic> {
    let base = r.config.base_path().to_string();
    for form in Form::ALL {
        let prefix = form_prefix(form, r.config);
        let mut ctx = r.form_context(form, "");
        ctx.insert("root", &base);
        ctx.insert("view_root", &format!("{base}{prefix}"));
        r.insert_titles(&mut ctx, form, "", &r.interface.titles("not_found_title"));
        ctx.insert("description", &r.described(&r.config.description, form));
        ctx.insert(
            "canonical",
            &format!("{}{prefix}404.html", r.config.base_url),
        );
        let html = r.theme.render("404.html", &ctx)?;
        out.write(&format!("{prefix}404.html"), html.as_bytes())?;
    }
    Ok(())
}

/// The sitemap protocol's limit of URLs in one file; a larger site gets a sitemap index.
const SITEMAP_URL_LIMIT: usize = 50_000;

/// Every URL of the site with its alternates in the other forms, one `<url>` element each.
fn sitemap_urls(r: &SiteRenderer<'_>) -> Vec<String> {
    let base = &r.config.base_url;
    let langs = &r.config.languages;
    let mut urls = Vec::with_capacity(r.entries.len() * Form::ALL.len());
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
            urls.push(format!(
                "  <url>\n    <loc>{}</loc>\n{alternates}  </url>\n",
                escape_attr(&loc)
            ));
        }
    }
    urls
}

/// `sitemap.xml` holding every URL, or, past `limit` URLs, `sitemap-1.xml`, `sitemap-2.xml`…
/// of `limit` URLs each and `sitemap.xml` as their index.
fn sitemap_files(base: &str, urls: Vec<String>, limit: usize) -> Vec<(String, String)> {
    const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
    let urlset = |urls: &[String]| {
        let mut xml = format!("{HEAD}<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n");
        urls.iter().for_each(|u| xml.push_str(u));
        xml.push_str("</urlset>\n");
        xml
    };
    let limit = limit.max(1);
    if urls.len() <= limit {
        return vec![("sitemap.xml".into(), urlset(&urls))];
    }
    let mut files = Vec::new();
    let mut index =
        format!("{HEAD}<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (i, part) in urls.chunks(limit).enumerate() {
        let name = format!("sitemap-{}.xml", i + 1);
        index.push_str(&format!(
            "  <sitemap><loc>{}</loc></sitemap>\n",
            escape_attr(&format!("{base}{name}"))
        ));
        files.push((name, urlset(part)));
    }
    index.push_str("</sitemapindex>\n");
    files.insert(0, ("sitemap.xml".into(), index));
    files
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
        title: page.nav_titles(),
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
                title: p.index.nav_titles(),
                url: &p.index.path,
                pages: p.pages.iter().map(toc_entry).collect(),
            })
            .collect(),
    };
    let json = serde_json::to_string(&toc).unwrap_or_else(|_| "{}".into());
    format!("window.DIGLOT_TOC = {};\n", script_safe_json(&json))
}

#[cfg(test)]
mod tests {
    use super::sitemap_files;

    #[test]
    fn a_sitemap_past_the_limit_is_split_under_an_index() {
        let urls: Vec<String> = (0..5)
            .map(|i| format!("  <url><loc>https://e.org/p{i}/</loc></url>\n"))
            .collect();
        let one = sitemap_files("https://e.org/", urls.clone(), 5);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].0, "sitemap.xml");
        assert_eq!(one[0].1.matches("<url>").count(), 5);

        let split = sitemap_files("https://e.org/", urls, 2);
        let names: Vec<&str> = split.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "sitemap.xml",
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml"
            ]
        );
        let index = &split[0].1;
        assert!(index.contains("<sitemapindex"), "{index}");
        for n in 1..=3 {
            assert!(index.contains(&format!("<loc>https://e.org/sitemap-{n}.xml</loc>")));
        }
        let counts: Vec<usize> = split[1..]
            .iter()
            .map(|(_, x)| x.matches("<url>").count())
            .collect();
        assert_eq!(counts, [2, 2, 1]);
        assert!(split[3].1.contains("https://e.org/p4/"));
        assert!(split[1..]
            .iter()
            .all(|(_, x)| x.starts_with("<?xml") && x.ends_with("</urlset>\n")));
    }
}
