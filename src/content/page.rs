//! Reading one page: its file or files, front matter, the aligned bilingual body, titles and
//! the warnings about what is missing.

use std::path::{Path, PathBuf};

use crate::bilingual::align::{align, document_segments};
use crate::bilingual::parallel;
use crate::config::Config;
use crate::content::definitions::definitions;
use crate::content::discover::SourceFiles;
use crate::content::drift::report_lone;
use crate::content::frontmatter::{self, FrontMatter, Split, TitleValue};
use crate::content::includes::{expand, Expansion, IncludeScope, LineMap, Stamp};
use crate::content::po_page::po_body;
use crate::content::slug::order_prefix;
use crate::content::titles::{humanize, title_from_heading, titles_of, two_file_titles};
use crate::diagnostics::Diagnostic;
use crate::lang::{Languages, Side};
use crate::model::Definitions;
use crate::model::{FuzzyPairs, Page, Segment, Sources, Titles};
use crate::po::Catalog;
use crate::script::split_bilingual;
use crate::text::read_text;

/// A page as read, before it is placed in the book.
#[derive(Debug, Clone)]
pub(crate) struct LoadedPage {
    pub(crate) source: SourceFiles,
    pub(crate) front: FrontMatter,
    pub(crate) page: Page,
    /// In a PO-translated book, the catalog entries the page's messages found.
    pub(crate) po_used: Vec<usize>,
    /// Of those, the entries whose block is not a pair.
    pub(crate) po_unpaired: Vec<usize>,
}

/// A page's body and front matter, from one file or two, before titles are settled.
struct Body {
    front: FrontMatter,
    segments: Vec<Segment>,
    files: [PathBuf; 2],
    /// The titles front matter gives, if it gives any.
    titles: Option<Titles>,
    /// Each side's link reference and footnote definitions.
    definitions: [Definitions; 2],
    /// What a PO catalog gave the page: the entries used, the fuzzy pairs.
    po: Option<(Vec<usize>, Vec<usize>, FuzzyPairs)>,
}

/// Reads one page. `None` when a file cannot be read or its front matter is broken (the
/// diagnostics say why). Also returns the files its includes read or looked for; `scope`
/// is where includes may read from (found once per load: it resolves links on disk).
pub(crate) fn load_page(
    source: &SourceFiles,
    config: &Config,
    catalog: Option<&Catalog>,
    scope: &IncludeScope,
) -> (Option<LoadedPage>, Vec<Diagnostic>, Vec<Stamp>) {
    let langs = &config.languages;
    let mut diags = Vec::new();
    let mut stamps = Vec::new();
    if let Some(c) = catalog {
        // The page changes with the PO file: a preview reads it again then.
        stamps.push(crate::content::includes::stamp(&c.path));
    }
    let Some(texts) = read_sides(source, &mut diags) else {
        return (None, diags, stamps);
    };
    let mut raw = Vec::new();
    for (path, text) in texts.iter().flatten() {
        let (split, d) = frontmatter::split_with(path, text, config.mdbook);
        diags.extend(d);
        let Some(split) = split else {
            return (None, diags, stamps);
        };
        let expansion = expand(
            path,
            split.body,
            split.body_line,
            scope,
            &mut stamps,
            &mut diags,
        );
        raw.push((path.clone(), split, expansion));
    }
    let splits: Vec<SideText> = raw.iter().map(SideText::of).collect();
    let present = [texts[0].is_some(), texts[1].is_some()];
    let po_side = config.po.as_ref().map(|p| p.side);
    let body = match (present, splits.as_slice(), catalog.zip(po_side)) {
        (_, [one], Some((catalog, side))) => po_page_body(one, side, catalog, langs, &mut diags),
        ([true, true], [p, s], _) => two_file_body(p, s, langs),
        ([true, false], [one], _) if !config.mirrored() => parallel_body(one, langs, &mut diags),
        (_, [one], _) => {
            // Only one language of a two-file page exists.
            let side = if present[0] {
                Side::Primary
            } else {
                Side::Secondary
            };
            one_sided_body(one, side, langs, &mut diags)
        }
        _ => return (None, diags, stamps),
    };
    // A page missing its whole translation was reported once above, not block by block;
    // a PO book's untranslated messages are counted, not warned about one by one.
    let one_sided = !present[0] || (!present[1] && config.mirrored()) || catalog.is_some();
    let page = finish_page(source, body, one_sided, langs, &mut diags);
    (Some(page), diags, stamps)
}

/// One file's text as the page is made of it: its directives expanded, with the title a
/// `{{#title}}` gave when front matter gives none, and the way back to the file's lines.
struct SideText<'a> {
    path: &'a Path,
    split: Split<'a>,
    lines: Option<&'a LineMap>,
}

impl<'a> SideText<'a> {
    fn of((path, split, expansion): &'a (PathBuf, Split<'a>, Option<Expansion>)) -> Self {
        let mut front_matter = split.front_matter.clone();
        if let Some(title) = expansion.as_ref().and_then(|e| e.title.clone()) {
            front_matter.title.get_or_insert(TitleValue::Text(title));
        }
        SideText {
            path,
            split: Split {
                front_matter,
                body: expansion.as_ref().map_or(split.body, |e| e.text.as_str()),
                body_line: split.body_line,
            },
            lines: expansion.as_ref().map(|e| &e.lines),
        }
    }

    /// The file's link reference and footnote definitions (lines after an include are
    /// counted in the expanded text).
    fn definitions(&self) -> Definitions {
        definitions(self.split.body, self.split.body_line)
    }

    /// The file's blocks, on the file's lines.
    fn segments(&self, side: Side) -> Vec<Segment> {
        let mut segments = document_segments(self.split.body, self.split.body_line, side);
        if let Some(map) = self.lines {
            map.remap_segments(&mut segments);
        }
        segments
    }
}

/// The text of each side's file; `None` when a file exists but cannot be read.
fn read_sides(
    source: &SourceFiles,
    diags: &mut Vec<Diagnostic>,
) -> Option<[Option<(PathBuf, String)>; 2]> {
    let mut read = |side: Side| -> Option<(PathBuf, String)> {
        let path = source.files[side.index()].clone()?;
        match read_text(&path) {
            Ok(text) => Some((path, text)),
            Err(d) => {
                diags.push(d);
                None
            }
        }
    };
    let texts = [read(Side::Primary), read(Side::Secondary)];
    let unread = source
        .files
        .iter()
        .zip(&texts)
        .any(|(f, t)| f.is_some() && t.is_none());
    (!unread).then_some(texts)
}

/// A page written as two files, one per language: their blocks aligned.
fn two_file_body(p: &SideText, s: &SideText, langs: &Languages) -> Body {
    let segments = align(p.segments(Side::Primary), s.segments(Side::Secondary));
    let (pf, sf) = (&p.split.front_matter, &s.split.front_matter);
    Body {
        titles: two_file_titles(pf, sf, langs),
        front: merge_front(pf, sf),
        segments,
        files: [p.path.to_path_buf(), s.path.to_path_buf()],
        definitions: [p.definitions(), s.definitions()],
        po: None,
    }
}

/// A page of the source language and its translation from a PO file.
fn po_page_body(
    one: &SideText,
    po_side: Side,
    catalog: &Catalog,
    langs: &Languages,
    diags: &mut Vec<Diagnostic>,
) -> Body {
    let source = po_side.other();
    let split = &one.split;
    let found = po_body(
        split.body,
        split.body_line,
        one.lines,
        source,
        catalog,
        one.path,
        diags,
    );
    let mut defs: [Definitions; 2] = Default::default();
    defs[source.index()] = one.definitions();
    defs[po_side.index()] = definitions(&found.translated, 1);
    let mut files = [one.path.to_path_buf(), one.path.to_path_buf()];
    files[po_side.index()] = catalog.path.clone();
    Body {
        titles: one.split.front_matter.title.as_ref().map(|t| match t {
            TitleValue::Text(text) => {
                let mut pair = [text.clone(), text.clone()];
                if let Some((_, e)) = catalog.lookup(text).filter(|(_, e)| e.is_translated()) {
                    pair[po_side.index()] = e.msgstr.clone();
                }
                pair
            }
            other => titles_of(other, langs),
        }),
        front: one.split.front_matter.clone(),
        segments: found.segments,
        files,
        definitions: defs,
        po: Some((found.used, found.unpaired, found.fuzzy)),
    }
}

/// A page holding both languages in one file, block after block.
fn parallel_body(one: &SideText, langs: &Languages, diags: &mut Vec<Diagnostic>) -> Body {
    let split = &one.split;
    let mut segments = parallel::split(split.body, split.body_line, langs);
    let mut warnings = parallel::marker_warnings(one.path, split.body, split.body_line, langs);
    if let Some(map) = one.lines {
        map.remap_segments(&mut segments);
        map.remap_diagnostics(one.path, &mut warnings);
    }
    diags.extend(warnings);
    let defs = one.definitions();
    single_file_body(one.path, split, segments, langs, [defs.clone(), defs])
}

/// One file of a two-file page whose translation is missing: warned about once.
fn one_sided_body(
    one: &SideText,
    side: Side,
    langs: &Languages,
    diags: &mut Vec<Diagnostic>,
) -> Body {
    let segments = one.segments(side);
    let missing = langs.get(side.other());
    diags.push(
        Diagnostic::warning(
            one.path,
            None,
            format!("page has no {} translation", missing.name),
        )
        .with_hint(format!(
            "add the translation as a `.{}.md` file beside it (or in the mirrored tree)",
            missing.code
        )),
    );
    let mut defs: [Definitions; 2] = Default::default();
    defs[side.index()] = one.definitions();
    single_file_body(one.path, &one.split, segments, langs, defs)
}

fn single_file_body(
    path: &Path,
    split: &Split,
    segments: Vec<Segment>,
    langs: &Languages,
    definitions: [Definitions; 2],
) -> Body {
    Body {
        titles: split
            .front_matter
            .title
            .as_ref()
            .map(|t| titles_of(t, langs)),
        front: split.front_matter.clone(),
        segments,
        files: [path.to_path_buf(), path.to_path_buf()],
        definitions,
        po: None,
    }
}

/// Settles the titles, warns about lone blocks and builds the page.
fn finish_page(
    source: &SourceFiles,
    body: Body,
    one_sided: bool,
    langs: &Languages,
    diags: &mut Vec<Diagnostic>,
) -> LoadedPage {
    let Body {
        front,
        segments,
        files,
        titles,
        definitions,
        po,
    } = body;
    let sources = Sources { files };
    let before = segments.len();
    let (titles, segments) = match titles {
        Some(t) => (t, segments),
        None => title_from_heading(segments).unwrap_or_else(|segs| {
            let name = humanize(&source.stem());
            ([name.clone(), name], segs)
        }),
    };
    // The title's heading left the body: the fuzzy pairs after it move up.
    let removed = before - segments.len();
    let (po_used, po_unpaired, fuzzy) = po.unwrap_or_default();
    let fuzzy = fuzzy
        .into_iter()
        .filter(|((si, _), _)| *si >= removed)
        .map(|((si, ii), f)| ((si - removed, ii), f))
        .collect();
    if !one_sided {
        report_lone(&segments, &sources, langs, diags);
    }
    let description = front
        .description
        .as_deref()
        .map(|d| split_bilingual(d, langs).unwrap_or_else(|| [d.to_string(), d.to_string()]));
    let page = Page {
        titles,
        description: description.map(|d| d[0].clone()).unwrap_or_default(),
        path: String::new(),
        weight: front
            .weight
            .or_else(|| order_prefix(&source.stem()))
            .unwrap_or(0),
        sources,
        segments,
        definitions,
        fuzzy,
        nav: None,
    };
    LoadedPage {
        source: source.clone(),
        front,
        page,
        po_used,
        po_unpaired,
    }
}

/// Front matter of a two-file page: the primary file's value wins, the other fills gaps; a
/// draft in either file makes the page a draft.
fn merge_front(p: &FrontMatter, s: &FrontMatter) -> FrontMatter {
    FrontMatter {
        title: p.title.clone().or_else(|| s.title.clone()),
        weight: p.weight.or(s.weight),
        slug: p.slug.clone().or_else(|| s.slug.clone()),
        draft: p.draft || s.draft,
        description: p.description.clone().or_else(|| s.description.clone()),
    }
}
