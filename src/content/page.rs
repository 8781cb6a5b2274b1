//! Reading one page: its file or files, front matter, the aligned bilingual body, titles and
//! the warnings about what is missing.

use std::path::{Path, PathBuf};

use crate::bilingual::align::{align, document_segments};
use crate::bilingual::parallel;
use crate::config::Config;
use crate::content::discover::SourceFiles;
use crate::content::drift::report_lone;
use crate::content::frontmatter::{self, FrontMatter, Split};
use crate::content::slug::order_prefix;
use crate::content::titles::{humanize, title_from_heading, titles_of, two_file_titles};
use crate::diagnostics::Diagnostic;
use crate::lang::{Languages, Side};
use crate::markdown::document::{definitions, Definitions};
use crate::model::{Page, Segment, Sources, Titles};
use crate::script::split_bilingual;
use crate::text::read_text;

/// A page as read, before it is placed in the book.
#[derive(Debug, Clone)]
pub(crate) struct LoadedPage {
    pub(crate) source: SourceFiles,
    pub(crate) front: FrontMatter,
    pub(crate) page: Page,
}

/// A page's body and front matter, from one file or two, before titles are settled.
struct Body {
    front: FrontMatter,
    segments: Vec<Segment>,
    files: [PathBuf; 2],
    /// The titles front matter gives, if it gives any.
    titles: Option<Titles>,
    definitions: [Definitions; 2],
}

/// Reads one page. `None` when a file cannot be read or its front matter is broken (the
/// diagnostics say why).
pub(crate) fn load_page(
    source: &SourceFiles,
    config: &Config,
) -> (Option<LoadedPage>, Vec<Diagnostic>) {
    let langs = &config.languages;
    let mut diags = Vec::new();
    let Some(texts) = read_sides(source, &mut diags) else {
        return (None, diags);
    };
    let mut splits = Vec::new();
    for (path, text) in texts.iter().flatten() {
        let (split, d) = frontmatter::split(path, text);
        diags.extend(d);
        match split {
            Some(s) => splits.push((path.clone(), s)),
            None => return (None, diags),
        }
    }
    let present = [texts[0].is_some(), texts[1].is_some()];
    let body = match (present, splits.as_slice()) {
        ([true, true], [(pp, ps), (sp, ss)]) => two_file_body(pp, ps, sp, ss, langs),
        ([true, false], [(path, split)]) if !config.mirrored() => {
            parallel_body(path, split, langs, &mut diags)
        }
        (_, [(path, split)]) => {
            // Only one language of a two-file page exists.
            let side = if present[0] {
                Side::Primary
            } else {
                Side::Secondary
            };
            one_sided_body(path, split, side, langs, &mut diags)
        }
        _ => return (None, diags),
    };
    // A page missing its whole translation was reported once above, not block by block.
    let one_sided = !present[0] || (!present[1] && config.mirrored());
    let page = finish_page(source, body, one_sided, langs, &mut diags);
    (Some(page), diags)
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
fn two_file_body(pp: &Path, ps: &Split, sp: &Path, ss: &Split, langs: &Languages) -> Body {
    let segments = align(
        document_segments(ps.body, ps.body_line, Side::Primary),
        document_segments(ss.body, ss.body_line, Side::Secondary),
    );
    Body {
        titles: two_file_titles(&ps.front_matter, &ss.front_matter, langs),
        front: merge_front(&ps.front_matter, &ss.front_matter),
        segments,
        files: [pp.to_path_buf(), sp.to_path_buf()],
        definitions: [
            definitions(ps.body, ps.body_line),
            definitions(ss.body, ss.body_line),
        ],
    }
}

/// A page holding both languages in one file, block after block.
fn parallel_body(
    path: &Path,
    split: &Split,
    langs: &Languages,
    diags: &mut Vec<Diagnostic>,
) -> Body {
    let segments = parallel::split(split.body, split.body_line, langs);
    diags.extend(parallel::marker_warnings(
        path,
        split.body,
        split.body_line,
        langs,
    ));
    let defs = definitions(split.body, split.body_line);
    single_file_body(path, split, segments, langs, [defs.clone(), defs])
}

/// One file of a two-file page whose translation is missing: warned about once.
fn one_sided_body(
    path: &Path,
    split: &Split,
    side: Side,
    langs: &Languages,
    diags: &mut Vec<Diagnostic>,
) -> Body {
    let segments = document_segments(split.body, split.body_line, side);
    let missing = langs.get(side.other());
    diags.push(
        Diagnostic::warning(
            path,
            None,
            format!("page has no {} translation", missing.name),
        )
        .with_hint(format!(
            "add the translation as a `.{}.md` file beside it (or in the mirrored tree)",
            missing.code
        )),
    );
    let mut defs: [Definitions; 2] = Default::default();
    defs[side.index()] = definitions(split.body, split.body_line);
    single_file_body(path, split, segments, langs, defs)
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
    } = body;
    let sources = Sources { files };
    let (titles, segments) = match titles {
        Some(t) => (t, segments),
        None => title_from_heading(segments).unwrap_or_else(|segs| {
            let name = humanize(&source.stem());
            ([name.clone(), name], segs)
        }),
    };
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
    };
    LoadedPage {
        source: source.clone(),
        front,
        page,
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
