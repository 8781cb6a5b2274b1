//! The checklist pages: an overview of every phase's progress and one page per phase with
//! its items grouped by section, plus `checklists.json` for tools and CI.

use std::collections::HashMap;

use serde::Serialize;

use super::chrome::{title_elements, title_label};
use super::nav::Link;
use super::pages::resolve_roots;
use super::renderer::{form_prefix, SiteRenderer};
use super::segments::{render_body, CheckRef, Form};
use crate::checklist::PhaseChecklist;
use crate::config::Config;
use crate::diagnostics::Diagnostic;
use crate::escape::{escape_attr, script_safe_json};
use crate::lang::Languages;
use crate::links::{root_prefix, VIEW_ROOT};
use crate::model::{BlockKind, Page, Segment, Titles};
use crate::output::Sink;

/// `checklists.json`: the schema is documented in docs/ (the checklists page).
#[derive(Serialize)]
struct ChecklistFile<'a> {
    format: &'static str,
    version: u32,
    book: BookInfo<'a>,
    phases: &'a [PhaseChecklist],
}

#[derive(Serialize)]
struct BookInfo<'a> {
    title: &'a Titles,
    key: &'a str,
    languages: [&'a str; 2],
}

#[derive(Serialize)]
struct Progress<'a> {
    slug: &'a str,
    titles: &'a Titles,
    label: String,
    href: String,
    total: usize,
}

/// The checklists as JSON: the `checklists.json` schema.
pub(crate) fn checklists_json(config: &Config, phases: &[PhaseChecklist]) -> String {
    let key = super::pages::book_key(config);
    let file = ChecklistFile {
        format: "diglot-checklists",
        version: 1,
        book: BookInfo {
            title: &config.title,
            key: &key,
            languages: [
                &config.languages.primary.code,
                &config.languages.secondary.code,
            ],
        },
        phases,
    };
    serde_json::to_string_pretty(&file).unwrap_or_else(|_| "{}".into())
}

pub(crate) fn write_all(r: &SiteRenderer<'_>, out: &dyn Sink) -> Vec<Diagnostic> {
    let checklists = &r.loaded.checklists;
    if checklists.is_empty() {
        return Vec::new();
    }
    let mut diags = Vec::new();
    let phases = &checklists.phases;
    if let Err(d) = out.write(
        "checklists.json",
        checklists_json(r.config, phases).as_bytes(),
    ) {
        diags.push(d);
    }
    let title = r.interface.titles("checklists");
    for form in Form::ALL {
        diags.extend(overview_page(r, out, form, &title).err());
        for phase in phases {
            if let Err(d) = phase_page(r, out, form, &title, phase, &mut diags) {
                diags.push(d);
            }
        }
    }
    diags
}

/// `checklists/`: every phase with its number of items, and the progress saved so far.
fn overview_page(
    r: &SiteRenderer<'_>,
    out: &dyn Sink,
    form: Form,
    title: &Titles,
) -> Result<(), Diagnostic> {
    let phases = &r.loaded.checklists.phases;
    let path = "checklists/";
    let progress: Vec<Progress<'_>> = phases
        .iter()
        .map(|p| Progress {
            slug: &p.slug,
            titles: &p.title,
            label: title_label(&p.title, form, &r.config.languages),
            href: format!("{}/index.html", p.slug),
            total: p.item_count(),
        })
        .collect();
    let mut ctx = r.page_context(form, path, title);
    ctx.insert("checklist_phases", &progress);
    ctx.insert(
        "checklist_total",
        &phases.iter().map(PhaseChecklist::item_count).sum::<usize>(),
    );
    ctx.insert(
        "checklist_data",
        &script_safe_json(&checklists_json(r.config, phases)),
    );
    ctx.insert("content", "");
    ctx.insert(
        "breadcrumbs",
        &[
            r.home_link(path, form),
            Link {
                titles: title,
                label: title_label(title, form, &r.config.languages).into(),
                href: "index.html".into(),
                current: true,
            },
        ],
    );
    let rel = format!("{}{path}index.html", form_prefix(form, r.config));
    r.render_to(out, "checklists.html", &ctx, &rel)
}

/// `checklists/<phase>/`: one phase's items, section by section.
fn phase_page(
    r: &SiteRenderer<'_>,
    out: &dyn Sink,
    form: Form,
    title: &Titles,
    phase: &PhaseChecklist,
    diags: &mut Vec<Diagnostic>,
) -> Result<(), Diagnostic> {
    let path = format!("checklists/{}/", phase.slug);
    let mut ctx = r.page_context(form, &path, &phase.title);
    let body = phase_body(r, phase, form, &path, diags);
    ctx.insert("content", &body);
    ctx.insert(
        "checklist_phase",
        &Progress {
            slug: &phase.slug,
            titles: &phase.title,
            label: title_label(&phase.title, form, &r.config.languages),
            href: "index.html".into(),
            total: phase.item_count(),
        },
    );
    ctx.insert(
        "checklist_data",
        &script_safe_json(&checklists_json(r.config, std::slice::from_ref(phase))),
    );
    ctx.insert(
        "breadcrumbs",
        &[
            r.home_link(&path, form),
            Link {
                titles: title,
                label: title_label(title, form, &r.config.languages).into(),
                href: "../index.html".into(),
                current: false,
            },
            Link {
                titles: &phase.title,
                label: title_label(&phase.title, form, &r.config.languages).into(),
                href: "index.html".into(),
                current: true,
            },
        ],
    );
    let rel = format!("{}{path}index.html", form_prefix(form, r.config));
    r.render_to(out, "checklist.html", &ctx, &rel)
}

/// The items of one phase, section by section, each with the way back to its place in the
/// guide; the section's other lists ("I can help with") follow as a reference.
fn phase_body(
    r: &SiteRenderer<'_>,
    phase: &PhaseChecklist,
    form: Form,
    path: &str,
    diags: &mut Vec<Diagnostic>,
) -> String {
    let langs = &r.config.languages;
    let pages: HashMap<&str, &Page> = r
        .entries
        .iter()
        .map(|e| (e.page.path.as_str(), e.page))
        .collect();
    let mut html = String::new();
    for section in &phase.sections {
        let Some(page) = pages.get(section.url.as_str()) else {
            continue;
        };
        let mut segments = Vec::new();
        let mut checks = HashMap::new();
        let mut used = Vec::new();
        for group in &section.groups {
            if group.lead_in.is_some() && group.segment > 0 {
                segments.push(page.segments[group.segment - 1].clone());
                used.push(group.segment - 1);
            }
            used.push(group.segment);
            let Segment::List { start, items } = &page.segments[group.segment] else {
                continue;
            };
            let index = segments.len();
            let kept: Vec<_> = group
                .items
                .iter()
                .enumerate()
                .filter_map(|(n, item)| {
                    let original = items.get(item.at.1)?.clone();
                    let back = format!(
                        "{VIEW_ROOT}{}#check-{}",
                        section.url,
                        item.id.replace('.', "-")
                    );
                    checks.insert(
                        (index, n),
                        CheckRef {
                            id: item.id.clone(),
                            checked: item.checked,
                            back: Some(back),
                        },
                    );
                    Some(original)
                })
                .collect();
            segments.push(Segment::List {
                start: *start,
                items: kept,
            });
        }
        let reference: Vec<Segment> = reference_segments(&page.segments, &used);
        let body = |segments: Vec<Segment>,
                    checks: Option<&HashMap<(usize, usize), CheckRef>>,
                    diags: &mut Vec<Diagnostic>| {
            let synthetic = Page {
                segments,
                ..(*page).clone()
            };
            render_body(&synthetic, &r.loaded.links, checks, None, langs, diags).html(form, langs)
        };
        let heading = title_html(
            &section.title,
            form,
            langs,
            &format!("{VIEW_ROOT}{}", section.url),
        );
        html.push_str(&format!(
            "<section class=\"checklist-group\" data-section=\"{}\">{heading}",
            escape_attr(&section.slug)
        ));
        html.push_str(&body(segments, Some(&checks), diags));
        if !reference.is_empty() {
            html.push_str("<aside class=\"checklist-reference\">");
            html.push_str(&body(reference, None, diags));
            html.push_str("</aside>");
        }
        html.push_str("</section>");
    }
    let site_root = root_prefix(&format!("{}{path}", form_prefix(form, r.config)));
    resolve_roots(&html, &site_root, &root_prefix(path))
}

/// Lists introduced by a paragraph that are not checklists: shown beside them for reference.
fn reference_segments(segments: &[Segment], used: &[usize]) -> Vec<Segment> {
    let mut out = Vec::new();
    for (i, pair) in segments.windows(2).enumerate() {
        if let [lead @ Segment::Block {
            kind: BlockKind::Paragraph,
            ..
        }, list @ Segment::List { .. }] = pair
        {
            if !used.contains(&i) && !used.contains(&(i + 1)) {
                out.push(lead.clone());
                out.push(list.clone());
            }
        }
    }
    out
}

/// A section title as a heading pair linking to the section.
fn title_html(titles: &Titles, form: Form, langs: &Languages, href: &str) -> String {
    let link = format!(" href=\"{}\"", escape_attr(href));
    format!(
        "<h2 class=\"seg seg-heading\">{}</h2>",
        title_elements(titles, form, langs, "a", &link)
    )
}
