//! `diglot po export` and `diglot po apply`: any Diglot book to gettext PO files for a
//! translation platform, and the platform's PO back into the book's own layout.
//!
//! Messages are split as `mdbook-xgettext` splits them (one per paragraph, heading, list item,
//! table cell, code comment…), block by block, so a catalog made here also serves an mdBook
//! translated with `mdbook-gettext`. A pair's translation becomes the msgstr of its source's
//! message when both sides split into the same number of messages; a stale pair is fuzzy.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::diagnostics::{display_path, shown, Diagnostic, Error};
use crate::lang::Side;
use crate::model::Definitions;
use crate::model::{Content, Page, Text};
use crate::po::{messages, quote, Catalog};
use crate::site::{BuildOptions, Site};

/// One message of the export: its msgid, where it is, its translation.
#[derive(Debug, Clone, Default)]
struct Message {
    msgid: String,
    references: Vec<String>,
    msgstr: String,
    fuzzy: bool,
    previous: Option<String>,
    comments: Vec<String>,
}

/// What `po export` wrote.
#[derive(Debug, Clone)]
pub struct Exported {
    /// The template (`messages.pot`) and each language's PO file.
    pub files: Vec<PathBuf>,
    /// Messages in the template.
    pub messages: usize,
    /// Messages with a translation (fuzzy ones included).
    pub translated: usize,
}

/// Writes `messages.pot` and `<code>.po` of the translation (or only `lang`'s) into `out`
/// (default: `po/` in the book).
pub fn export(root: &Path, lang: Option<&str>, out: Option<&Path>) -> Result<Exported, Error> {
    let site = Site::load(&BuildOptions {
        root: root.to_path_buf(),
        ..BuildOptions::default()
    })?;
    let config = site.config();
    let langs = &config.languages;
    let source = config.translation.source.unwrap_or(Side::Primary);
    let target = source.other();
    if let Some(code) = lang {
        if langs.side_of_code(code) != Some(target) {
            return Err(Error::Usage {
                message: format!(
                    "`{}` is not the book's translation language",
                    crate::diagnostics::terminal_safe(code, false)
                ),
                hint: format!(
                    "the book translates {} into {}: pass `--lang {}`",
                    langs.get(source).code,
                    langs.get(target).code,
                    langs.get(target).code
                ),
            });
        }
    }
    let loaded = site.loaded();
    let mut order: Vec<Message> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let rel = |p: &Path| shown(p.strip_prefix(&config.root).unwrap_or(p)).replace('\\', "/");
    for (page, status) in loaded.book.pages().zip(&loaded.translation.pages) {
        let file = rel(page.sources.file(source));
        for (si, seg) in page.segments.iter().enumerate() {
            for (ii, content) in seg.contents().enumerate() {
                let stale = status.stale.get(&(si, ii));
                let defs = &page.definitions;
                let then = stale.map(|s| s.then.as_str());
                for m in block_messages(content, source, &file, then, defs) {
                    let m = Message {
                        fuzzy: stale.is_some() && !m.msgstr.is_empty(),
                        ..m
                    };
                    match index.get(&m.msgid) {
                        Some(&i) => {
                            let e = &mut order[i];
                            e.references.extend(m.references);
                            if e.msgstr.is_empty() && !m.msgstr.is_empty() {
                                e.msgstr = m.msgstr;
                                e.fuzzy = m.fuzzy;
                                e.previous = m.previous;
                            }
                        }
                        None => {
                            index.insert(m.msgid.clone(), order.len());
                            order.push(m);
                        }
                    }
                }
            }
        }
    }
    let dir = out.map_or_else(|| config.root.join("po"), Path::to_path_buf);
    std::fs::create_dir_all(&dir).map_err(|e| write_error(&dir, &e))?;
    let title = &config.title[source.index()];
    let pot = dir.join("messages.pot");
    write_file(&pot, &render(&order, title, None, false))?;
    let tag = &langs.get(target).tag;
    let po = dir.join(format!("{}.po", langs.get(target).code));
    write_file(&po, &render(&order, title, Some(tag), true))?;
    Ok(Exported {
        files: vec![pot, po],
        messages: order.len(),
        translated: order.iter().filter(|m| !m.msgstr.is_empty()).count(),
    })
}

/// The messages of one piece of content, with their translations when it is a pair whose
/// sides split alike.
fn block_messages(
    content: &Content,
    source: Side,
    file: &str,
    then: Option<&str>,
    defs: &[Definitions; 2],
) -> Vec<Message> {
    let (src, tr): (&Text, Option<&Text>) = match content {
        Content::Pair(texts) => (&texts[source.index()], Some(&texts[source.other().index()])),
        Content::Lone(side, t) if *side == source => (t, None),
        Content::Shared(t) => (t, None),
        Content::Lone(..) => return Vec::new(),
    };
    let ids = block_only(&src.md, &defs[source.index()]);
    let strs = tr
        .map(|t| block_only(&t.md, &defs[source.other().index()]))
        .unwrap_or_default();
    let alike = strs.len() == ids.len();
    let previous = then.map(messages).filter(|p| p.len() == ids.len());
    ids.into_iter()
        .enumerate()
        .map(|(i, (line, msgid))| Message {
            references: vec![format!("{file}:{}", src.line + line - 1)],
            msgstr: if alike {
                strs[i].1.clone()
            } else {
                String::new()
            },
            previous: previous.as_ref().map(|p| p[i].1.clone()),
            comments: if !alike && !strs.is_empty() {
                vec![
                    "the translation of this block splits into other messages; translate it again"
                        .into(),
                ]
            } else {
                Vec::new()
            },
            msgid,
            fuzzy: false,
        })
        .collect()
}

/// The messages of one block as `mdbook-xgettext` extracts them from its whole chapter:
/// the chapter's link reference definitions are added after it, so that `[text][label]`
/// reads as the link it is, and the messages of what was added are left out.
fn block_only(md: &str, defs: &Definitions) -> Vec<(usize, String)> {
    if defs.links.is_empty() {
        return messages(md);
    }
    let lines = md.lines().count();
    let text = with_definitions(md, defs);
    messages(&text)
        .into_iter()
        .filter(|(line, _)| *line <= lines)
        .collect()
}

/// `md` with the chapter's link reference definitions after it, so that its reference links
/// read as the links they are.
fn with_definitions(md: &str, defs: &Definitions) -> String {
    let mut text = format!("{}\n\n", md.trim_end());
    for (label, def) in &defs.links {
        let title = if def.title.is_empty() {
            String::new()
        } else {
            format!(" \"{}\"", def.title.replace('"', "\\\""))
        };
        text.push_str(&format!(
            "[{label}]: <{}>{title}\n",
            def.dest.replace(['<', '>'], "")
        ));
    }
    text
}

/// The catalog's text: a header, then each message in the order the book shows them.
fn render(
    messages: &[Message],
    title: &str,
    lang: Option<&str>,
    with_translations: bool,
) -> String {
    let mut header = format!(
        "Project-Id-Version: {}\nPOT-Creation-Date: \nPO-Revision-Date: \nLast-Translator: \nLanguage-Team: \nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: 8bit\n",
        title.replace('\n', " ")
    );
    header.push_str(&format!(
        "Language: {}\nPlural-Forms: nplurals=2; plural=(n != 1);\n",
        lang.map_or(String::new(), |t| t.replace('-', "_"))
    ));
    let mut out = String::from(
        "# Made by diglot po export; messages split as mdbook-xgettext splits them.\n",
    );
    out.push_str(&quote("msgid", ""));
    out.push_str(&quote("msgstr", &header));
    for m in messages {
        out.push('\n');
        for c in &m.comments {
            out.push_str(&format!("#. {c}\n"));
        }
        out.push_str(&format!("#: {}\n", m.references.join(" ")));
        let translated = with_translations && !m.msgstr.is_empty();
        if translated && m.fuzzy {
            out.push_str("#, fuzzy\n");
            if let Some(prev) = &m.previous {
                for line in quote("msgid", prev).lines() {
                    out.push_str(&format!("#| {line}\n"));
                }
            }
        }
        out.push_str(&quote("msgid", &m.msgid));
        out.push_str(&quote("msgstr", if translated { &m.msgstr } else { "" }));
    }
    out
}

fn write_file(path: &Path, text: &str) -> Result<(), Error> {
    std::fs::write(path, text).map_err(|e| write_error(path, &e))
}

fn write_error(path: &Path, e: &std::io::Error) -> Error {
    Error::Failed(vec![Diagnostic::error(
        path,
        None,
        format!("cannot write {}: {e}", display_path(path)),
    )
    .with_hint(
        "check that the folder exists and is writable, or pass another with -o",
    )])
}

/// Reads a PO file for `apply`, refusing it when it has syntax errors.
fn read_catalog(path: &Path) -> Result<Catalog, Error> {
    let (catalog, diags) = Catalog::load(path);
    if diags.iter().any(Diagnostic::is_error) {
        return Err(Error::Failed(diags));
    }
    catalog.ok_or(Error::Failed(diags))
}

/// What `po apply` did.
#[derive(Debug, Clone, Default)]
pub struct Applied {
    /// Files written.
    pub files: Vec<PathBuf>,
    /// Translation blocks replaced or added.
    pub blocks: usize,
    /// Blocks whose translation could not be placed (a two-file page whose translation file
    /// is missing), with where.
    pub skipped: Vec<String>,
}

/// Writes the translations of `po` into the book's translation files: each pair whose
/// translation differs from what the catalog gives is rewritten; a source block without a
/// translation gets one after it (in a parallel file) or after the translation of the block
/// before it (in a translation file). A pair whose translation already says what the
/// catalog says is left byte for byte.
pub fn apply(po: &Path, root: &Path) -> Result<Applied, Error> {
    let catalog = read_catalog(po)?;
    let site = Site::load(&BuildOptions {
        root: root.to_path_buf(),
        ..BuildOptions::default()
    })?;
    let config = site.config();
    if config.po.is_some() {
        return Err(Error::Usage {
            message: "this book's translation already is a PO file".into(),
            hint: "apply is for books whose translation is Markdown; replace the PO file instead"
                .into(),
        });
    }
    let source = config.translation.source.unwrap_or(Side::Primary);
    let target = source.other();
    let mut edits: HashMap<PathBuf, Vec<Edit>> = HashMap::new();
    let mut applied = Applied::default();
    for page in site.loaded().book.pages() {
        plan_page(page, source, target, &catalog, &mut edits, &mut applied);
    }
    let mut files: Vec<PathBuf> = edits.keys().cloned().collect();
    files.sort();
    for file in files {
        let Some(list) = edits.remove(&file) else {
            continue;
        };
        let text = crate::text::read_text(&file).map_err(|d| Error::Failed(vec![d]))?;
        let new = apply_edits(&text, list);
        if new != text {
            std::fs::write(&file, new).map_err(|e| write_error(&file, &e))?;
            applied.files.push(file);
        }
    }
    Ok(applied)
}

/// A change to one file: replace lines `first..=last` (1-based) with `text`, or insert
/// `text` after line `last` when `first` is 0.
#[derive(Debug, Clone)]
struct Edit {
    first: usize,
    last: usize,
    text: String,
    /// A list item: the replaced first line's marker and indentation are kept.
    item: bool,
}

fn plan_page(
    page: &Page,
    source: Side,
    target: Side,
    catalog: &Catalog,
    edits: &mut HashMap<PathBuf, Vec<Edit>>,
    applied: &mut Applied,
) {
    let target_file = page.sources.file(target).clone();
    let parallel = page.sources.files[0] == page.sources.files[1];
    // Where the translation of the last block seen ends, to add a missing one after it.
    let mut last_target_line = 0;
    for seg in &page.segments {
        let item = matches!(seg, crate::model::Segment::List { .. });
        for content in seg.contents() {
            match content {
                Content::Pair(texts) => {
                    let (src, tr) = (&texts[source.index()], &texts[target.index()]);
                    let (first, last) = tr.lines();
                    last_target_line = last;
                    let (src_first, src_last) = src.lines();
                    let shares_lines = parallel && first <= src_last && src_first <= last;
                    let Some(wanted) =
                        translated(&src.md, &page.definitions[source.index()], catalog)
                    else {
                        continue;
                    };
                    let now: Vec<String> = block_only(&tr.md, &page.definitions[target.index()])
                        .into_iter()
                        .map(|(_, m)| m)
                        .collect();
                    let want: Vec<String> = messages(&wanted).into_iter().map(|(_, m)| m).collect();
                    if now == want {
                        continue;
                    }
                    if shares_lines {
                        // `## 标题 | Title`: both languages on one line.
                        applied
                            .skipped
                            .push(format!("{}:{first}", display_path(&target_file)));
                        continue;
                    }
                    edits.entry(target_file.clone()).or_default().push(Edit {
                        first,
                        last,
                        text: wanted,
                        item,
                    });
                    applied.blocks += 1;
                }
                Content::Lone(side, src) if *side == source => {
                    let Some(wanted) =
                        translated(&src.md, &page.definitions[source.index()], catalog)
                    else {
                        continue;
                    };
                    let after = if parallel {
                        src.lines().1
                    } else {
                        last_target_line
                    };
                    if item || (!parallel && !target_file.is_file()) {
                        // A list item only one language has, or a page without its
                        // translation file: said, not guessed.
                        let at = display_path(page.sources.file(source));
                        applied.skipped.push(format!("{at}:{}", src.line));
                        continue;
                    }
                    edits.entry(target_file.clone()).or_default().push(Edit {
                        first: 0,
                        last: after,
                        text: wanted,
                        item: false,
                    });
                    applied.blocks += 1;
                }
                Content::Lone(_, t) | Content::Shared(t) => {
                    if page.sources.file(target) == page.sources.file(source)
                        || matches!(content, Content::Lone(..))
                    {
                        last_target_line = t.lines().1.max(last_target_line);
                    }
                }
            }
        }
    }
}

/// `md` translated by the catalog, when every one of its messages has a translation (fuzzy
/// ones included: they are what the translator left), else `None`.
fn translated(md: &str, defs: &Definitions, catalog: &Catalog) -> Option<String> {
    let ids = block_only(md, defs);
    if ids.is_empty()
        || ids
            .iter()
            .any(|(_, m)| !catalog.lookup(m).is_some_and(|(_, e)| e.is_translated()))
    {
        return None;
    }
    // The definitions themselves do not come out again.
    catalog
        .translate(&with_definitions(md, defs))
        .ok()
        .map(|t| t.trim_end().to_string())
}

/// How much of a list item's first line is its marker: indentation, `-`/`*`/`+` or `1.`/`1)`,
/// the spaces after it and a task box.
fn marker_len(line: &str) -> usize {
    let indent = line.len() - line.trim_start().len();
    let rest = &line[indent..];
    let marker = if rest.starts_with(['-', '+', '*']) {
        1
    } else {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 && rest[digits..].starts_with(['.', ')']) {
            digits + 1
        } else {
            0
        }
    };
    let after = &rest[marker..];
    let spaces = after.len() - after.trim_start_matches(' ').len();
    let mut len = indent + marker + spaces;
    let tail = &line[len..];
    if ["[ ] ", "[x] ", "[X] "].iter().any(|b| tail.starts_with(b)) {
        len += 4;
    }
    len
}

/// `text` with the edits made, from the last line up so that line numbers hold.
fn apply_edits(text: &str, mut edits: Vec<Edit>) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    edits.sort_by_key(|e| std::cmp::Reverse((e.last, e.first)));
    for e in edits {
        let new: Vec<String> = e.text.lines().map(str::to_string).collect();
        if e.first == 0 {
            let at = e.last.min(lines.len());
            let mut block = vec![String::new()];
            block.extend(new);
            lines.splice(at..at, block);
        } else {
            let from = (e.first - 1).min(lines.len());
            let to = e.last.min(lines.len()).max(from);
            let new = match lines.get(from).filter(|_| e.item) {
                Some(first) => {
                    let n = marker_len(first);
                    let (prefix, pad) = (
                        first[..n].to_string(),
                        " ".repeat(first[..n].chars().count()),
                    );
                    new.iter()
                        .enumerate()
                        .map(|(i, l)| match (i, l.is_empty()) {
                            (0, _) => format!("{prefix}{l}"),
                            (_, true) => String::new(),
                            _ => format!("{pad}{l}"),
                        })
                        .collect()
                }
                None => new,
            };
            lines.splice(from..to, new);
        }
    }
    let mut out = lines.join("\n");
    if text.ends_with('\n') {
        out.push('\n');
    }
    out
}
