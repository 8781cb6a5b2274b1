//! `diglot import`: a single-file bilingual guide (`# 中文 | English`, `## N. …` phases,
//! `### N.M …` sections) turned into a book: `book.toml` and `content/`, one folder per
//! phase and one parallel-layout page per section, every body carried over line for line.

use std::path::{Path, PathBuf};

use crate::bilingual::blocks::{blocks, RawKind};
use crate::content::frontmatter::{self, TitleValue};
use crate::diagnostics::Diagnostic;
use crate::lang::Languages;
use crate::model::BlockKind;
use crate::scaffold::{book_toml, page_file, write_files, NewFile, Overwrite, ScaffoldError};

mod links;
mod names;

use names::{english_slug, heading_number, Numbering, Slugs};

/// A single-file guide cut into the pages of a book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Guide {
    /// The book's title, `中文 | English` as written.
    pub title: String,
    pub(crate) description: Option<String>,
    /// The text before the first `##` heading (the `#` title line left out).
    pub home: String,
    pub(crate) phases: Vec<ImportedPhase>,
    /// Headings whose numbers repeat or go back (they keep the file's order).
    pub warnings: Vec<Diagnostic>,
}

/// A `##` heading and what follows it up to the next `##`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedPhase {
    /// The heading text as written, number included.
    pub title: String,
    pub(crate) weight: u32,
    /// `NN-<slug>`.
    pub folder: String,
    /// The text between the heading and the first `###`.
    pub body: String,
    pub(crate) sections: Vec<ImportedSection>,
}

/// A `###` heading inside a phase and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedSection {
    pub(crate) title: String,
    pub(crate) weight: u32,
    /// `MM-<slug>.md`.
    pub file: String,
    pub(crate) body: String,
}

/// What an import wrote.
#[derive(Debug, Clone)]
pub struct ImportReport {
    /// The new book's folder.
    pub dir: PathBuf,
    /// Files written, relative to `dir`.
    pub files: Vec<PathBuf>,
    /// Those of `files` that existed before and were replaced (`--force`).
    pub replaced: Vec<PathBuf>,
    /// Problems worth a look that did not stop the import.
    pub warnings: Vec<Diagnostic>,
    /// Phases found in the guide.
    pub phases: usize,
    /// Sections found in the guide, over all phases.
    pub sections: usize,
}

/// Why `diglot import` wrote nothing, or stopped writing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The path given is not a file.
    #[error("{} is not a file", .0.display())]
    NoFile(PathBuf),
    /// The guide could not be read, or is not UTF-8 text.
    #[error("cannot read {}: {message}", .path.display())]
    Read {
        /// The guide's path.
        path: PathBuf,
        /// What went wrong.
        message: String,
        /// What to do about it, when known.
        hint: Option<String>,
    },
    /// The guide's front matter is invalid.
    #[error("{place}: {message}")]
    FrontMatter {
        /// Where the problem is, as `path:line:col`.
        place: String,
        /// What is wrong.
        message: String,
        /// What to do about it, when known.
        hint: Option<String>,
    },
    /// The target folder has files and `--force` was not given.
    #[error("{} exists and is not empty", .0.display())]
    NotEmpty(PathBuf),
    /// The target exists and is a file.
    #[error("{} exists and is not a folder", .0.display())]
    NotAFolder(PathBuf),
    /// One of the files to write is the guide itself.
    #[error("the import would overwrite its own input, {}", .0.display())]
    OverwritesInput(PathBuf),
    /// A file or folder could not be written.
    #[error("cannot write {}: {source}", .path.display())]
    Write {
        /// What could not be written.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

impl ImportError {
    /// What the user can do about it.
    pub fn hint(&self) -> String {
        match self {
            ImportError::NoFile(_) => {
                "pass the Markdown file of a single-file guide, e.g. `diglot import guide.md`".into()
            }
            ImportError::Read { hint, .. } | ImportError::FrontMatter { hint, .. } => hint
                .clone()
                .unwrap_or_else(|| "fix the file and import it again".into()),
            ImportError::NotEmpty(_) => "pass a new or empty folder with `--into DIR`, or add `--force` to write into it (only the files the import writes are replaced)".into(),
            ImportError::NotAFolder(_) => "pass a folder with `--into DIR`".into(),
            ImportError::OverwritesInput(_) => {
                "import into another folder with `--into DIR`".into()
            }
            ImportError::Write { .. } => "check that the folder is writable and the disk is not full".into(),
        }
    }

    /// Whether the command line itself was wrong (exit code 2) rather than the input.
    pub fn is_usage(&self) -> bool {
        matches!(self, ImportError::NoFile(_))
    }
}

impl From<ScaffoldError> for ImportError {
    fn from(e: ScaffoldError) -> Self {
        match e {
            ScaffoldError::Write { path, source } => ImportError::Write { path, source },
            ScaffoldError::NotAFolder(path) => ImportError::NotAFolder(path),
            ScaffoldError::Exists { first, .. } => ImportError::NotEmpty(first),
            ScaffoldError::Link(path) => ImportError::NotEmpty(path),
        }
    }
}

/// The folder `import` writes to by default: beside `file`, named after its stem.
pub fn default_dir(file: &Path) -> PathBuf {
    let stem = file
        .file_stem()
        .map_or_else(|| "book".into(), |s| s.to_os_string());
    file.parent().unwrap_or(Path::new("")).join(stem)
}

/// Imports `file` into `into` (default: [`default_dir`]). Refuses a folder that exists and
/// is not empty unless `force`, and then replaces only the files it writes.
pub fn import(file: &Path, into: Option<&Path>, force: bool) -> Result<ImportReport, ImportError> {
    if !file.is_file() {
        return Err(ImportError::NoFile(file.to_path_buf()));
    }
    let text = crate::text::read_text(file).map_err(|d| ImportError::Read {
        path: file.to_path_buf(),
        message: d.message,
        hint: d.hint,
    })?;
    let guide = parse_guide(file, &text)?;
    let dir = into.map_or_else(|| default_dir(file), Path::to_path_buf);
    if dir.exists() {
        if !dir.is_dir() {
            return Err(ImportError::NotAFolder(dir));
        }
        let empty = std::fs::read_dir(&dir)
            .map_err(|source| ImportError::Write {
                path: dir.clone(),
                source,
            })?
            .next()
            .is_none();
        if !empty && !force {
            return Err(ImportError::NotEmpty(dir));
        }
    }
    let files = book_files(&guide);
    if let Ok(input) = file.canonicalize() {
        for f in &files {
            if dir.join(&f.path).canonicalize().is_ok_and(|p| p == input) {
                return Err(ImportError::OverwritesInput(file.to_path_buf()));
            }
        }
    }
    let replaced = files
        .iter()
        .filter(|f| dir.join(&f.path).exists())
        .map(|f| f.path.clone())
        .collect();
    write_files(&dir, &files, Overwrite::Allowed)?;
    Ok(ImportReport {
        dir,
        files: files.into_iter().map(|f| f.path).collect(),
        replaced,
        warnings: guide.warnings,
        phases: guide.phases.len(),
        sections: guide.phases.iter().map(|p| p.sections.len()).sum(),
    })
}

/// The files of the book made from `guide`, relative to its folder.
pub fn book_files(guide: &Guide) -> Vec<NewFile> {
    let mut files = vec![
        NewFile {
            path: "book.toml".into(),
            contents: book_toml(&guide.title, guide.description.as_deref()),
        },
        NewFile {
            path: Path::new("content").join("_index.md"),
            contents: page_file(&guide.title, None, &guide.home),
        },
    ];
    for phase in &guide.phases {
        let folder = Path::new("content").join(&phase.folder);
        files.push(NewFile {
            path: folder.join("_index.md"),
            contents: page_file(&phase.title, Some(phase.weight), &phase.body),
        });
        for section in &phase.sections {
            files.push(NewFile {
                path: folder.join(&section.file),
                contents: page_file(&section.title, Some(section.weight), &section.body),
            });
        }
    }
    files
}

/// A level 1–3 ATX heading on one line of the text.
struct Heading {
    /// 0-based line.
    line: usize,
    level: u8,
    text: String,
}

/// Cuts a single-file guide into its pages. `path` names the file in messages and gives
/// the title when the file has neither front matter nor a `#` heading.
pub fn parse_guide(path: &Path, text: &str) -> Result<Guide, ImportError> {
    let split = front_matter_of(path, text)?;
    let langs = Languages::default();
    let fm_title = split
        .front_matter
        .title
        .as_ref()
        .map(|t| title_text(t, &langs));
    let headings = headings_of(split.body);

    // Page boundaries: every `##`, and every `###` once a phase has begun.
    let first_phase = headings.iter().position(|h| h.level == 2);
    let bounds: Vec<&Heading> = match first_phase {
        Some(i) => headings[i..].iter().filter(|h| h.level >= 2).collect(),
        None => Vec::new(),
    };
    let line_count = split.body.split('\n').count();
    let home_end = bounds.first().map_or(line_count, |h| h.line);
    // As in a build of the file itself: front matter names the page, else its `#` heading.
    let title_heading = match fm_title {
        Some(_) => None,
        None => headings[..first_phase.unwrap_or(headings.len())]
            .iter()
            .find(|h| h.level == 1),
    };
    let title = fm_title
        .or_else(|| title_heading.map(|h| h.text.clone()))
        .unwrap_or_else(|| fallback_title(path));
    // Cut once to name the pages, then again after the links to headings were pointed to
    // the pages they became (the rewrite changes no line, and no heading that names a page).
    let lines: Vec<&str> = split.body.split('\n').collect();
    let (named, mut warnings) = phases_of(&bounds, &lines, path, split.body_line, &langs);
    let spans = page_spans(&named, &bounds, title_heading, home_end, line_count);
    let map = links::HeadingMap::new(split.body, &spans);
    let body = map.rewrite(split.body, &spans, path, split.body_line, &mut warnings);
    let lines: Vec<&str> = body.split('\n').collect();
    let (phases, _) = phases_of(&bounds, &lines, path, split.body_line, &langs);
    let home_lines: Vec<&str> = lines[..home_end]
        .iter()
        .enumerate()
        .filter(|(i, _)| title_heading.is_none_or(|h| h.line != *i))
        .map(|(_, l)| *l)
        .collect();
    Ok(Guide {
        title,
        description: split.front_matter.description.clone(),
        home: trim_blank_lines(&home_lines),
        phases,
        warnings,
    })
}

/// The pages of the book in the guide's order (home, then each phase followed by its
/// sections), with the lines of the guide's body each one holds.
fn page_spans(
    phases: &[ImportedPhase],
    bounds: &[&Heading],
    title_heading: Option<&Heading>,
    home_end: usize,
    line_count: usize,
) -> Vec<links::PageSpan> {
    let mut spans = vec![links::PageSpan {
        file: PathBuf::from("_index.md"),
        heading_line: title_heading.map(|h| h.line),
        first_line: 0,
        end_line: home_end,
    }];
    let files = phases.iter().flat_map(|phase| {
        let folder = PathBuf::from(&phase.folder);
        std::iter::once(folder.join("_index.md"))
            .chain(phase.sections.iter().map(move |s| folder.join(&s.file)))
    });
    for (n, file) in files.enumerate() {
        let Some(h) = bounds.get(n) else { break };
        spans.push(links::PageSpan {
            file,
            heading_line: Some(h.line),
            first_line: h.line + 1,
            end_line: bounds.get(n + 1).map_or(line_count, |next| next.line),
        });
    }
    spans
}

/// The file's front matter, or the first problem with it.
fn front_matter_of<'a>(path: &Path, text: &'a str) -> Result<frontmatter::Split<'a>, ImportError> {
    let (split, diags) = frontmatter::split(path, text);
    match (split, diags.iter().find(|d| d.is_error())) {
        (Some(s), None) => Ok(s),
        (_, error) => {
            let d = error.or(diags.first());
            Err(ImportError::FrontMatter {
                place: d.map_or_else(|| path.display().to_string(), |d| d.place()),
                message: d.map_or_else(|| "invalid front matter".into(), |d| d.message.clone()),
                hint: d.and_then(|d| d.hint.clone()),
            })
        }
    }
}

/// The `#`, `##` and `###` headings of `body` (ATX headings only), with their lines.
fn headings_of(body: &str) -> Vec<Heading> {
    blocks(body)
        .iter()
        .filter_map(|b| match b.kind {
            RawKind::Block(BlockKind::Heading(level @ 1..=3))
                if b.src.trim_start().starts_with('#') =>
            {
                Some(Heading {
                    line: b.line - 1,
                    level,
                    text: b.heading_text(),
                })
            }
            _ => None,
        })
        .collect()
}

/// The phases (`##`) and their sections (`###`) between `bounds`, in the file's order, with
/// warnings for numbers that repeat or go back.
fn phases_of(
    bounds: &[&Heading],
    lines: &[&str],
    path: &Path,
    body_line: usize,
    langs: &Languages,
) -> (Vec<ImportedPhase>, Vec<Diagnostic>) {
    let body_of = |n: usize| -> String {
        let start = bounds[n].line + 1;
        let end = bounds.get(n + 1).map_or(lines.len(), |h| h.line);
        trim_blank_lines(&lines[start..end])
    };
    let mut phases: Vec<ImportedPhase> = Vec::new();
    let mut warnings = Vec::new();
    let mut in_order =
        |number: Option<u32>, position: usize, previous: Option<u32>, h: &Heading| {
            let wanted = number.unwrap_or(position as u32);
            match previous {
                Some(prev) if wanted <= prev => {
                    if number.is_some() {
                        warnings.push(out_of_order(path, body_line + h.line, wanted, prev, h));
                    }
                    prev + 1
                }
                _ => wanted,
            }
        };
    let mut phase_slugs = Slugs::reserved();
    let mut section_slugs = Slugs::default();
    for (n, h) in bounds.iter().enumerate() {
        if h.level == 2 {
            let position = phases.len() + 1;
            let (number, rest) = heading_number(&h.text, Numbering::Phase);
            let weight = in_order(number, position, phases.last().map(|p| p.weight), h);
            let slug = english_slug(rest, langs).unwrap_or_else(|| format!("phase-{position}"));
            phases.push(ImportedPhase {
                title: h.text.clone(),
                weight,
                folder: format!("{weight:02}-{}", phase_slugs.claim(slug)),
                body: body_of(n),
                sections: Vec::new(),
            });
            section_slugs = Slugs::default();
        } else if let Some(phase) = phases.last_mut() {
            let position = phase.sections.len() + 1;
            let (number, rest) = heading_number(&h.text, Numbering::Section);
            let previous = phase.sections.last().map(|s| s.weight);
            let weight = in_order(number, position, previous, h);
            let slug = english_slug(rest, langs).unwrap_or_else(|| format!("section-{position}"));
            phase.sections.push(ImportedSection {
                title: h.text.clone(),
                weight,
                file: format!("{weight:02}-{}.md", section_slugs.claim(slug)),
                body: body_of(n),
            });
        }
    }
    (phases, warnings)
}

/// A heading numbered the same as, or lower than, the one before it: pages are ordered by
/// weight, so it gets the next weight and stays where the file has it.
fn out_of_order(path: &Path, line: usize, number: u32, previous: u32, h: &Heading) -> Diagnostic {
    let what = if number == previous {
        "repeats the number of the heading before it"
    } else {
        "is numbered lower than the heading before it"
    };
    Diagnostic::warning(
        path,
        Some(crate::diagnostics::Location::new(line, 1)),
        format!(
            "heading `{}` {what}; it keeps its place in the file (weight {})",
            h.text,
            previous + 1
        ),
    )
    .with_hint("renumber the headings in the source if the order is not what you meant")
}

fn title_text(title: &TitleValue, langs: &Languages) -> String {
    match title {
        TitleValue::Text(t) => t.clone(),
        TitleValue::PerLanguage(map) => {
            let sides: Vec<&String> = [&langs.primary.code, &langs.secondary.code]
                .iter()
                .filter_map(|code| map.get(*code))
                .collect();
            match sides[..] {
                [] => map.values().next().cloned().unwrap_or_default(),
                _ => sides
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(" | "),
            }
        }
    }
}

/// `server-architecture-guide.md` → `Server architecture guide`.
fn fallback_title(path: &Path) -> String {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().replace(['-', '_'], " "))
        .unwrap_or_default();
    let mut chars = stem.trim().chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => "Guide".into(),
    }
}

/// The lines joined, blank lines at either end left out.
fn trim_blank_lines(lines: &[&str]) -> String {
    let blank = |l: &&str| l.trim().is_empty();
    let start = lines.iter().position(|l| !blank(l)).unwrap_or(lines.len());
    let end = lines
        .iter()
        .rposition(|l| !blank(l))
        .map_or(start, |i| i + 1);
    lines[start..end].join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Guide {
        parse_guide(Path::new("guide.md"), text).expect("parses")
    }

    #[test]
    fn cuts_the_file_at_its_headings() {
        let g = parse(
            "# 指南 | Guide\n\n介绍。\nIntro.\n\n## 1. 设计 | Design\n\n设计。\nDesign.\n\n\
             ### 1.1 需求 | Requirements\n\n- 甲\n  A\n\n### 1.2 选型 | Selection \n选型。\nSelection.\n\n\n\
             ## 2. 运维 | Operations\n### 2.3 监控 | Monitoring\n监控。\nMonitoring.\n",
        );
        assert_eq!(g.title, "指南 | Guide");
        assert_eq!(g.home, "介绍。\nIntro.");
        assert_eq!(g.phases.len(), 2);
        let p = &g.phases[0];
        assert_eq!(
            (
                p.title.as_str(),
                p.weight,
                p.folder.as_str(),
                p.body.as_str()
            ),
            ("1. 设计 | Design", 1, "01-design", "设计。\nDesign.")
        );
        assert_eq!(p.sections[0].file, "01-requirements.md");
        assert_eq!(p.sections[0].body, "- 甲\n  A");
        assert_eq!(p.sections[1].title, "1.2 选型 | Selection");
        assert_eq!(p.sections[1].body, "选型。\nSelection.");
        let s = &g.phases[1].sections[0];
        assert_eq!((s.weight, s.file.as_str()), (3, "03-monitoring.md"));
        assert_eq!(g.phases[1].body, "");
    }

    #[test]
    fn headings_in_code_blocks_do_not_cut() {
        let g = parse(
            "# T | T\n## 一 | One\n```md\n## 不是 | Not a heading\n### 也不是 | Nor this\n```\n",
        );
        assert_eq!(g.phases.len(), 1);
        assert_eq!(g.phases[0].sections.len(), 0);
        assert!(g.phases[0].body.contains("## 不是 | Not a heading"));
    }

    #[test]
    fn unnumbered_headings_take_their_position() {
        let g = parse(
            "# 标题 | Title\n## 开始 | Start\n### 甲 | Alpha\n### 附录\n### 乙 | Alpha\n## Usage | 用法\n",
        );
        let p = &g.phases[0];
        assert_eq!((p.weight, p.folder.as_str()), (1, "01-start"));
        let files: Vec<&str> = p.sections.iter().map(|s| s.file.as_str()).collect();
        assert_eq!(
            files,
            ["01-alpha.md", "02-section-2.md", "03-alpha-2.md"],
            "a missing English side gives a position slug; a repeated slug a suffix"
        );
        assert_eq!(
            g.phases[1].folder, "02-usage",
            "English first still slugs English"
        );
    }

    #[test]
    fn phase_slugs_avoid_reserved_names() {
        let g = parse("## 1. 搜索 | Search\n## 2. 静态 | Static\n");
        let folders: Vec<&str> = g.phases.iter().map(|p| p.folder.as_str()).collect();
        assert_eq!(folders, ["01-search-2", "02-static-2"]);
    }

    #[test]
    fn third_level_headings_before_any_phase_stay_on_the_home_page() {
        let g = parse("# 书 | Book\n\n### 说明 | Note\n说明。\nA note.\n\n## 1. 甲 | A\n");
        assert_eq!(g.home, "### 说明 | Note\n说明。\nA note.");
        assert_eq!(g.phases.len(), 1);
    }

    #[test]
    fn without_a_title_heading_the_file_name_names_the_book() {
        let g = parse_guide(Path::new("dir/my-field_notes.md"), "## 1. 甲 | A\n").expect("parses");
        assert_eq!(g.title, "My field notes");
        let g = parse("+++\ntitle = \"书 | Book\"\ndescription = \"d\"\n+++\n# 第一 | First\n");
        assert_eq!(g.title, "书 | Book");
        assert_eq!(g.description.as_deref(), Some("d"));
        assert_eq!(
            g.home, "# 第一 | First",
            "as in a build, front matter names the page"
        );
    }

    #[test]
    fn bad_front_matter_is_an_error_naming_the_file() {
        let e = parse_guide(Path::new("g.md"), "+++\ntitle = \n+++\n").expect_err("fails");
        assert!(e.to_string().starts_with("g.md:"), "{e}");
    }

    #[test]
    fn titles_with_quotes_and_backslashes_stay_valid_toml() {
        let g = parse("# 书 | \"Quoted\" \\ Book\n## 1. 甲 | \"A\" \\ B\n");
        for f in book_files(&g) {
            if f.path.extension().is_some_and(|e| e == "md") {
                let (split, diags) = frontmatter::split(&f.path, &f.contents);
                assert!(diags.is_empty(), "{diags:?}");
                let title = split.and_then(|s| s.front_matter.title);
                assert!(
                    matches!(title, Some(TitleValue::Text(ref t)) if t.contains("\"") && t.contains('\\')),
                    "{}",
                    f.contents
                );
            } else {
                let parsed: toml::Table = toml::from_str(&f.contents).expect("book.toml");
                assert_eq!(
                    parsed["book"]["title"].as_str(),
                    Some("书 | \"Quoted\" \\ Book")
                );
            }
        }
    }

    #[test]
    fn default_dir_is_beside_the_file() {
        assert_eq!(
            default_dir(Path::new("docs/guide.md")),
            PathBuf::from("docs/guide")
        );
        assert_eq!(default_dir(Path::new("guide.md")), PathBuf::from("guide"));
    }
}
