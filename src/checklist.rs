//! Checklists: the items of lists introduced by a lead-in ("您需要提供：", "You need to
//! provide:") and every GFM task-list item, grouped by phase and section, each with an id
//! that survives rebuilds and reordering.
//!
//! An item's id is `<phase slug>.<section slug>.<hash>`, the hash taken from the item's
//! primary-language text with case and spacing normalised. Editing an item's text gives it a
//! new id (and drops its saved state); moving sections or adding items changes nothing.

use std::collections::HashMap;
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use crate::diagnostics::{shown, Diagnostic, Location};
use crate::hash::fnv1a64;
use crate::lang::Side;
use crate::model::{BlockKind, Book, Content, Page, Segment, Text, Titles};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Item {
    pub(crate) id: String,
    /// Markdown text of each side, lines joined.
    pub text: Titles,
    /// `path:line` of the item in the primary source (relative to the book).
    pub source: String,
    /// Checked by default (`- [x]`).
    pub checked: bool,
    /// Where it renders: segment and item index within its page.
    #[serde(skip)]
    pub at: (usize, usize),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Group {
    /// The paragraph that introduced the list, if any.
    pub lead_in: Option<Titles>,
    pub(crate) items: Vec<Item>,
    /// Where the list is: segment index within its page.
    #[serde(skip)]
    pub segment: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct Section {
    pub(crate) slug: String,
    pub(crate) title: Titles,
    /// Site path of the section's page.
    pub url: String,
    pub(crate) groups: Vec<Group>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct PhaseChecklist {
    pub(crate) slug: String,
    pub(crate) title: Titles,
    /// Site path of the phase's checklist page.
    pub url: String,
    pub(crate) sections: Vec<Section>,
}

impl PhaseChecklist {
    pub(crate) fn item_count(&self) -> usize {
        self.sections
            .iter()
            .flat_map(|s| &s.groups)
            .map(|g| g.items.len())
            .sum()
    }
}

/// A page's checklist items: (segment, item) index → item id and default.
pub(crate) type PageChecks = HashMap<(usize, usize), (String, bool)>;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Checklists {
    pub(crate) phases: Vec<PhaseChecklist>,
    /// Page path → (segment, item) → item id and default, for rendering the guide's pages.
    by_page: HashMap<String, PageChecks>,
}

impl Checklists {
    /// The checklist items of a page, by segment and item index.
    pub(crate) fn items_of(&self, page_path: &str) -> Option<&PageChecks> {
        self.by_page.get(page_path)
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.phases.is_empty()
    }
}

/// Lowercased, trailing colons (`:` and `：`) and surrounding space removed.
fn normalise_lead(text: &str) -> String {
    text.trim()
        .trim_end_matches([':', '：'])
        .trim()
        .to_lowercase()
}

/// An item's text as one line: trimmed, inner whitespace collapsed.
fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The id of an item: phase, section and a hash of its normalised primary text.
pub(crate) fn item_id(phase: &str, section: &str, primary_text: &str) -> String {
    let normalised = one_line(primary_text).to_lowercase();
    format!("{phase}.{section}.{:08x}", fnv1a64(&normalised) as u32)
}

fn is_lead_in(content: &Content, lead_ins: &[String]) -> Option<Titles> {
    let texts: Vec<&Text> = Side::BOTH.iter().filter_map(|s| content.side(*s)).collect();
    let matches = texts.iter().any(|t| {
        let text = normalise_lead(&t.md);
        lead_ins
            .iter()
            .any(|l| !l.is_empty() && text.starts_with(l.as_str()))
    });
    matches.then(|| {
        let get = |s: Side| content.side(s).map(|t| one_line(&t.md)).unwrap_or_default();
        [get(Side::Primary), get(Side::Secondary)]
    })
}

/// Finds every checklist item of the book's phases.
pub(crate) fn extract(
    book: &Book,
    lead_ins: &[String],
    root: &Path,
) -> (Checklists, Vec<Diagnostic>) {
    let lead_ins: Vec<String> = lead_ins.iter().map(|l| normalise_lead(l)).collect();
    let mut out = Checklists::default();
    let mut diags = Vec::new();
    for phase in &book.phases {
        let mut sections = Vec::new();
        let mut seen: HashMap<String, (std::path::PathBuf, usize)> = HashMap::new();
        let pages: Vec<&Page> = std::iter::once(&phase.index).chain(&phase.pages).collect();
        let found: Vec<(String, Vec<Group>)> = pages
            .par_iter()
            .map(|page| {
                let slug = section_slug(page, &phase.slug);
                let groups = page_groups(page, &phase.slug, &slug, &lead_ins, root);
                (slug, groups)
            })
            .collect();
        for (page, (slug, groups)) in pages.into_iter().zip(found) {
            if groups.is_empty() {
                continue;
            }
            let mut refs = HashMap::new();
            for item in groups.iter().flat_map(|g| &g.items) {
                let file = page.sources.file(Side::Primary).clone();
                let line = item
                    .source
                    .rsplit(':')
                    .next()
                    .and_then(|l| l.parse().ok())
                    .unwrap_or(1);
                if let Some((other_file, other_line)) = seen.get(&item.id) {
                    diags.push(
                        Diagnostic::error(&file, Some(Location::new(line, 1)), format!("checklist item `{}` appears twice in phase `{}`: also at {}:{other_line}", item.text[0], phase.slug, shown(other_file)))
                            .with_hint("two items of one phase need different texts; reword one of them"),
                    );
                } else {
                    seen.insert(item.id.clone(), (file, line));
                }
                refs.insert(item.at, (item.id.clone(), item.checked));
            }
            out.by_page.insert(page.path.clone(), refs);
            sections.push(Section {
                slug,
                title: page.titles.clone(),
                url: page.path.clone(),
                groups,
            });
        }
        if !sections.is_empty() {
            out.phases.push(PhaseChecklist {
                slug: phase.slug.clone(),
                title: phase.index.titles.clone(),
                url: format!("checklists/{}/", phase.slug),
                sections,
            });
        }
    }
    (out, diags)
}

/// A section's slug: the last part of its page's URL (the phase's own page: `_index`).
fn section_slug(page: &Page, phase_slug: &str) -> String {
    let trimmed = page.path.trim_end_matches('/');
    if trimmed == phase_slug {
        return "_index".to_string();
    }
    trimmed.rsplit('/').next().unwrap_or(trimmed).to_string()
}

fn page_groups(
    page: &Page,
    phase: &str,
    section: &str,
    lead_ins: &[String],
    root: &Path,
) -> Vec<Group> {
    let mut groups = Vec::new();
    let mut lead: Option<Titles> = None;
    for (si, seg) in page.segments.iter().enumerate() {
        match seg {
            Segment::Block {
                kind: BlockKind::Paragraph,
                content,
            } => lead = is_lead_in(content, lead_ins),
            Segment::List { items, .. } => {
                let introduced = lead.take();
                let picked: Vec<Item> = items
                    .iter()
                    .enumerate()
                    .filter(|(_, item)| introduced.is_some() || item.task.is_some())
                    .filter_map(|(ii, item)| {
                        let primary = item
                            .content
                            .side(Side::Primary)
                            .or_else(|| item.content.side(Side::Secondary))?;
                        let secondary = item.content.side(Side::Secondary).unwrap_or(primary);
                        let file = page.sources.file(Side::Primary);
                        let shown = file.strip_prefix(root).unwrap_or(file);
                        Some(Item {
                            id: item_id(phase, section, &primary.md),
                            text: [one_line(&primary.md), one_line(&secondary.md)],
                            source: format!("{}:{}", shown.display(), primary.line),
                            checked: item.task == Some(true),
                            at: (si, ii),
                        })
                    })
                    .collect();
                if !picked.is_empty() {
                    groups.push(Group {
                        lead_in: introduced,
                        items: picked,
                        segment: si,
                    });
                }
            }
            _ => lead = None,
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bilingual::parallel::split;
    use crate::lang::Languages;
    use crate::model::{Phase, Sources};

    fn page(path: &str, md: &str) -> Page {
        let file = std::path::PathBuf::from(format!("/b/content/{path}.md"));
        Page {
            titles: ["标题".into(), "Title".into()],
            description: String::new(),
            path: path.to_string(),
            weight: 0,
            sources: Sources {
                files: [file.clone(), file],
            },
            segments: split(md, 1, &Languages::default()),
            definitions: Default::default(),
            fuzzy: Vec::new(),
            nav: None,
        }
    }

    fn book(pages: Vec<Page>) -> Book {
        Book {
            home: page("", ""),
            phases: vec![Phase {
                index: page("design/", ""),
                slug: "design".into(),
                pages,
            }],
            loose: Vec::new(),
        }
    }

    fn defaults() -> Vec<String> {
        crate::config::DEFAULT_LEAD_INS
            .iter()
            .map(|s| s.to_string())
            .collect()
    }

    fn ids(c: &Checklists) -> Vec<String> {
        c.phases
            .iter()
            .flat_map(|p| &p.sections)
            .flat_map(|s| &s.groups)
            .flat_map(|g| &g.items)
            .map(|i| i.id.clone())
            .collect()
    }

    const SECTION: &str = "我可以帮助：\nI can help with:\n- 分析\n  Analyzing\n\n您需要提供：\nYou need to provide:\n- 文档\n  Documents\n- 数据\n  Data\n";

    #[test]
    fn lead_ins_in_either_language_make_checklists() {
        let (c, d) = extract(
            &book(vec![page("design/req/", SECTION)]),
            &defaults(),
            Path::new("/b"),
        );
        assert!(d.is_empty());
        let groups = &c.phases[0].sections[0].groups;
        assert_eq!(groups.len(), 1, "the help list is not a checklist");
        assert_eq!(
            groups[0].lead_in,
            Some([
                "您需要提供：".to_string(),
                "You need to provide:".to_string()
            ])
        );
        assert_eq!(
            groups[0].items[1].text,
            ["数据".to_string(), "Data".to_string()]
        );
        assert_eq!(groups[0].items[0].source, "content/design/req/.md:8");
        let english_only = "You need to confirm\n\n- Budget\n";
        let (c, _) = extract(
            &book(vec![page("design/x/", english_only)]),
            &defaults(),
            Path::new("/b"),
        );
        assert_eq!(ids(&c).len(), 1);
    }

    #[test]
    fn task_lists_anywhere_and_no_lead_in_no_items() {
        let md =
            "Some text.\n\n- plain\n- items\n\n文字。\n\n- [ ] 任务\n  Task\n- [x] 完成\n  Done\n";
        let (c, _) = extract(
            &book(vec![page("design/t/", md)]),
            &defaults(),
            Path::new("/b"),
        );
        let items: Vec<&Item> = c.phases[0].sections[0]
            .groups
            .iter()
            .flat_map(|g| &g.items)
            .collect();
        assert_eq!(items.len(), 2);
        assert!(!items[0].checked && items[1].checked);
        let (c, _) = extract(
            &book(vec![page("design/n/", "- 甲\n  A\n")]),
            &defaults(),
            Path::new("/b"),
        );
        assert!(c.is_empty());
    }

    #[test]
    fn nested_lists_stay_in_their_item_and_custom_lead_ins_work() {
        let md = "Bring:\n\n- 笔记本\n  Laptop\n  - 充电器\n    Charger\n";
        let (c, _) = extract(
            &book(vec![page("design/b/", md)]),
            &["Bring".to_string()],
            Path::new("/b"),
        );
        let items = &c.phases[0].sections[0].groups[0].items;
        assert_eq!(items.len(), 1);
        assert!(items[0].text[1].contains("Charger"));
    }

    #[test]
    fn ids_survive_rebuilds_reordering_and_new_items() {
        let a = page("design/a/", SECTION);
        let b = page(
            "design/b/",
            "您需要确认：\nYou need to confirm:\n- 预算\n  Budget\n",
        );
        let (first, _) = extract(
            &book(vec![a.clone(), b.clone()]),
            &defaults(),
            Path::new("/b"),
        );
        let (again, _) = extract(
            &book(vec![a.clone(), b.clone()]),
            &defaults(),
            Path::new("/b"),
        );
        assert_eq!(ids(&first), ids(&again));
        let (swapped, _) = extract(
            &book(vec![b.clone(), a.clone()]),
            &defaults(),
            Path::new("/b"),
        );
        let mut x = ids(&first);
        let mut y = ids(&swapped);
        x.sort();
        y.sort();
        assert_eq!(x, y);
        let more = page(
            "design/a/",
            &SECTION.replace("- 文档", "- 新的\n  New\n- 文档"),
        );
        let (added, _) = extract(&book(vec![more, b]), &defaults(), Path::new("/b"));
        assert!(ids(&first).iter().all(|id| ids(&added).contains(id)));
        assert_eq!(
            ids(&first)[0],
            format!("design.a.{:08x}", crate::hash::fnv1a64("文档") as u32)
        );
    }

    #[test]
    fn duplicate_items_in_a_phase_are_errors_naming_both() {
        let md = "您需要提供：\nYou need to provide:\n- 文档\n  Documents\n- 文档\n  Documents\n";
        let (_, d) = extract(
            &book(vec![page("design/d/", md)]),
            &defaults(),
            Path::new("/b"),
        );
        assert_eq!(d.len(), 1);
        assert!(d[0].is_error() && d[0].message.contains(":3"), "{}", d[0]);
        assert_eq!(d[0].location.map(|l| l.line), Some(5));
    }
}

/// Which language(s) an export shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExportLang {
    Both,
    Only(Side),
}

impl ExportLang {
    fn text(self, pair: &Titles) -> String {
        match self {
            ExportLang::Only(side) => pair[side.index()].clone(),
            ExportLang::Both if pair[0] == pair[1] || pair[1].is_empty() => pair[0].clone(),
            ExportLang::Both => format!("{} · {}", pair[0], pair[1]),
        }
    }
}

/// The checklists as a Markdown task list, ready to paste into an issue tracker.
pub(crate) fn to_markdown(
    phases: &[PhaseChecklist],
    book_title: &Titles,
    lang: ExportLang,
) -> String {
    let mut out = format!("# {}\n", lang.text(book_title));
    for phase in phases {
        out.push_str(&format!("\n## {}\n", lang.text(&phase.title)));
        for section in &phase.sections {
            out.push_str(&format!("\n### {}\n", lang.text(&section.title)));
            for group in &section.groups {
                if let Some(lead) = &group.lead_in {
                    out.push_str(&format!("\n{}\n", lang.text(lead)));
                }
                out.push('\n');
                for item in &group.items {
                    out.push_str(&format!(
                        "- [{}] {}\n",
                        if item.checked { "x" } else { " " },
                        lang.text(&item.text)
                    ));
                }
            }
        }
    }
    out
}

/// A CSV cell that a spreadsheet will show as text: one starting with `=`, `+`, `-`, `@`, a
/// tab or a CR would be read as a formula (`=HYPERLINK(…)`, `=cmd|…` run a command or leak
/// data), so it gets a leading `'`, as OWASP's CSV-injection advice says. Checklists come
/// from content, which may come from a stranger's pull request.
pub(crate) fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// The checklists as CSV: one row per item, every cell [`spreadsheet_safe`].
pub(crate) fn to_csv(
    phases: &[PhaseChecklist],
    codes: [&str; 2],
    lang: ExportLang,
) -> Result<String, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let text_columns: Vec<String> = match lang {
        ExportLang::Both => codes.iter().map(|c| format!("text_{c}")).collect(),
        ExportLang::Only(side) => vec![format!("text_{}", codes[side.index()])],
    };
    let mut header = vec!["phase".to_string(), "section".to_string(), "id".to_string()];
    header.extend(text_columns);
    header.extend(["checked".to_string(), "source".to_string()]);
    writer.write_record(header.iter().map(|c| spreadsheet_safe(c).into_owned()))?;
    for phase in phases {
        for section in &phase.sections {
            for item in section.groups.iter().flat_map(|g| &g.items) {
                let mut row = vec![phase.slug.clone(), section.slug.clone(), item.id.clone()];
                match lang {
                    ExportLang::Both => row.extend(item.text.iter().cloned()),
                    ExportLang::Only(side) => row.push(item.text[side.index()].clone()),
                }
                row.push(item.checked.to_string());
                row.push(item.source.clone());
                writer.write_record(row.iter().map(|c| spreadsheet_safe(c).into_owned()))?;
            }
        }
    }
    let bytes = writer.into_inner().map_err(|e| e.into_error())?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}
