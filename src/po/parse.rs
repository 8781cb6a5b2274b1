//! Reading a gettext PO file, line by line, keeping where each entry is: GNU gettext's
//! syntax (`msgctxt`, `msgid`, `msgid_plural`, `msgstr`, `msgstr[N]`, continuation strings,
//! `#.`, `#:`, `#,`, `#|` previous strings and `#~` obsolete entries). Malformed input is a
//! diagnostic at its line and column, never a panic.

use std::path::Path;

use crate::diagnostics::{Diagnostic, Location};

/// One message of a PO file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Entry {
    /// Line of its `msgid` keyword.
    pub(crate) line: usize,
    pub(crate) msgctxt: Option<String>,
    pub(crate) msgid: String,
    pub(crate) msgid_plural: Option<String>,
    /// `msgstr`, or `msgstr[0]` of a plural entry.
    pub(crate) msgstr: String,
    /// Line of its `msgstr` keyword.
    pub(crate) msgstr_line: usize,
    /// `#,` flags (`fuzzy`, `c-format`…).
    pub(crate) flags: Vec<String>,
    /// `#| msgid`: the source text the fuzzy translation was made for.
    pub(crate) previous_msgid: Option<String>,
    /// `#:` references, as written.
    pub(crate) references: Vec<String>,
    /// `#.` comments from the extractor.
    pub(crate) extracted: Vec<String>,
    /// `# ` comments from translators.
    pub(crate) comments: Vec<String>,
    /// A `#~` entry: kept in the file, used by no one.
    pub(crate) obsolete: bool,
}

impl Entry {
    pub(crate) fn is_fuzzy(&self) -> bool {
        self.flags.iter().any(|f| f == "fuzzy")
    }

    /// The header entry (`msgid ""`), which holds the file's metadata.
    pub(crate) fn is_header(&self) -> bool {
        self.msgid.is_empty() && self.msgctxt.is_none()
    }

    pub(crate) fn is_translated(&self) -> bool {
        !self.msgstr.is_empty()
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    None,
    Context,
    Id,
    IdPlural,
    Str,
    StrOther,
    PrevContext,
    PrevId,
    PrevIdPlural,
}

/// Parses `text` (from `path`, for diagnostics): the entries, and the errors found.
pub(crate) fn parse(path: &Path, text: &str) -> (Vec<Entry>, Vec<Diagnostic>) {
    let mut reader = Reader {
        path,
        entries: Vec::new(),
        diags: Vec::new(),
        cur: Entry::default(),
        field: Field::None,
        started: false,
        has_msgstr: false,
    };
    for (i, raw) in text.lines().enumerate() {
        reader.line(i + 1, raw.trim_end_matches('\r'));
    }
    reader.finish();
    (reader.entries, reader.diags)
}

/// The state of a PO file read line by line: the entry being read and the field its next
/// continuation string extends.
struct Reader<'p> {
    path: &'p Path,
    entries: Vec<Entry>,
    diags: Vec<Diagnostic>,
    cur: Entry,
    field: Field,
    /// Whether the current entry has its `msgid`, and its `msgstr`.
    started: bool,
    has_msgstr: bool,
}

impl Reader<'_> {
    fn error(&mut self, line: usize, col: usize, message: String, hint: &str) {
        let at = Some(Location::new(line, col));
        let d = Diagnostic::error(self.path, at, message).with_hint(hint.to_string());
        self.diags.push(d);
    }

    /// Ends the current entry: kept if it has its `msgstr`, an error if it has only a
    /// `msgid`.
    fn finish(&mut self) {
        if self.started && self.has_msgstr {
            self.entries.push(std::mem::take(&mut self.cur));
        } else {
            if self.started {
                self.error(
                    self.cur.line,
                    1,
                    "this entry has a `msgid` but no `msgstr`".into(),
                    "add `msgstr \"\"` after it (msgfmt --check finds the same)",
                );
            }
            self.cur = Entry::default();
        }
        self.started = false;
        self.has_msgstr = false;
    }

    fn append(&mut self, quoted: &str, line: usize, col: usize) {
        append(
            &mut self.cur,
            self.field,
            quoted,
            line,
            col,
            &mut self.diags,
            self.path,
        );
    }

    /// Line `n`: blank, a comment, a continuation string or a keyword.
    fn line(&mut self, n: usize, line: &str) {
        let trimmed = line.trim_start();
        if trimmed.is_empty() {
            if self.started {
                self.finish();
                self.field = Field::None;
            }
            return;
        }
        // An obsolete entry: the same syntax behind `#~`.
        let (body, obsolete) = match trimmed.strip_prefix("#~") {
            Some(rest) => (rest.trim_start(), true),
            None => (trimmed, false),
        };
        if obsolete && body.starts_with('|') {
            // An obsolete entry's previous strings: nothing uses them.
            return;
        }
        if let Some(rest) = body
            .strip_prefix('#')
            .filter(|_| !obsolete || body.starts_with("#|"))
        {
            self.comment(n, line, rest);
            return;
        }
        let col = line.len() - body.len() + 1;
        if body.starts_with('"') {
            if self.field == Field::None {
                self.error(
                    n,
                    col,
                    "a string with no keyword before it".into(),
                    "a continuation string follows `msgid`, `msgstr` or another string",
                );
                return;
            }
            self.append(body, n, col);
            return;
        }
        self.keyword(n, col, body, obsolete);
    }

    /// A comment line (`rest` follows its `#`). One after the keywords starts the next
    /// entry.
    fn comment(&mut self, n: usize, line: &str, rest: &str) {
        if self.started && self.has_msgstr {
            self.finish();
        }
        match rest.chars().next() {
            Some(',') => self.cur.flags.extend(
                rest[1..]
                    .split(',')
                    .map(|f| f.trim().to_string())
                    .filter(|f| !f.is_empty()),
            ),
            Some(':') => self
                .cur
                .references
                .extend(rest[1..].split_whitespace().map(str::to_string)),
            Some('.') => self.cur.extracted.push(rest[1..].trim().to_string()),
            Some('|') => {
                let prev = rest[1..].trim_start();
                let col = line.len() - prev.len() + 1;
                self.previous(n, col, prev);
            }
            _ => self.cur.comments.push(rest.trim_start().to_string()),
        }
    }

    /// A `#|` line: the previous source strings of a fuzzy entry.
    fn previous(&mut self, n: usize, col: usize, prev: &str) {
        match keyword(prev) {
            Some((kw, value)) => {
                self.field = match kw {
                    "msgctxt" => Field::PrevContext,
                    "msgid" => Field::PrevId,
                    "msgid_plural" => Field::PrevIdPlural,
                    _ => {
                        self.error(
                            n,
                            col,
                            format!("`#| {kw}` is not a previous-string keyword"),
                            "`#|` lines hold `msgctxt`, `msgid` or `msgid_plural`",
                        );
                        return;
                    }
                };
                self.append(value, n, col + kw.len() + 1);
            }
            None if prev.starts_with('"') => self.append(prev, n, col),
            None => {}
        }
    }

    /// A keyword line (`msgid "…"`, `msgstr[1] "…"`…).
    fn keyword(&mut self, n: usize, col: usize, body: &str, obsolete: bool) {
        let Some((kw, value)) = keyword(body) else {
            let shown: String = body.chars().take(30).collect();
            self.error(
                n,
                col,
                format!("cannot read `{}`", crate::diagnostics::terminal_safe(&shown, false)),
                "a PO line is a keyword (`msgid`, `msgstr`, `msgctxt`…) with a quoted string, a quoted continuation, a `#` comment or empty",
            );
            return;
        };
        let next = match kw {
            "msgctxt" => Field::Context,
            "msgid" => Field::Id,
            "msgid_plural" => Field::IdPlural,
            "msgstr" | "msgstr[0]" => Field::Str,
            k if k.starts_with("msgstr[")
                && k.ends_with(']')
                && k[7..k.len() - 1].parse::<u32>().is_ok() =>
            {
                Field::StrOther
            }
            other => {
                self.error(
                    n,
                    col,
                    format!(
                        "unknown keyword `{}`",
                        crate::diagnostics::terminal_safe(other, false)
                    ),
                    "PO keywords are `msgctxt`, `msgid`, `msgid_plural`, `msgstr` and `msgstr[N]`",
                );
                return;
            }
        };
        if matches!(next, Field::Context | Field::Id) && self.started && self.has_msgstr {
            self.finish();
        }
        match next {
            Field::Id => {
                self.cur.line = n;
                self.started = true;
            }
            Field::Str | Field::StrOther if !self.started => {
                self.error(
                    n,
                    col,
                    "`msgstr` without a `msgid` before it".into(),
                    "every entry starts with `msgid \"…\"`",
                );
                return;
            }
            Field::Str | Field::StrOther => {
                if next == Field::Str {
                    self.cur.msgstr_line = n;
                }
                self.has_msgstr = true;
            }
            Field::IdPlural => self.cur.msgid_plural = Some(String::new()),
            Field::Context => self.cur.msgctxt = Some(String::new()),
            _ => {}
        }
        self.cur.obsolete |= obsolete;
        self.field = next;
        self.append(value, n, col + kw.len() + 1);
    }
}

/// `msgid "x"` → (`msgid`, `"x"`).
fn keyword(line: &str) -> Option<(&str, &str)> {
    let end = line.find(|c: char| c.is_whitespace())?;
    let (kw, rest) = line.split_at(end);
    let value = rest.trim_start();
    (kw.starts_with("msg") && value.starts_with('"')).then_some((kw, value))
}

/// Appends the quoted string `quoted` to `field` of `entry`.
fn append(
    entry: &mut Entry,
    field: Field,
    quoted: &str,
    line: usize,
    col: usize,
    diags: &mut Vec<Diagnostic>,
    path: &Path,
) {
    let value = match unquote(quoted) {
        Ok(v) => v,
        Err((offset, why)) => {
            diags.push(
                Diagnostic::error(path, Some(Location::new(line, col + offset)), why).with_hint(
                    "a PO string is one line in double quotes, with \\\" \\\\ \\n \\t escapes",
                ),
            );
            return;
        }
    };
    let target = match field {
        Field::Context => entry.msgctxt.get_or_insert_with(String::new),
        Field::Id => &mut entry.msgid,
        Field::IdPlural => entry.msgid_plural.get_or_insert_with(String::new),
        Field::Str => &mut entry.msgstr,
        Field::PrevId => entry.previous_msgid.get_or_insert_with(String::new),
        Field::StrOther | Field::PrevContext | Field::PrevIdPlural | Field::None => return,
    };
    target.push_str(&value);
}

/// The value of a quoted PO string, or the offset and the reason it is malformed.
fn unquote(quoted: &str) -> Result<String, (usize, String)> {
    let quoted = quoted.trim_end();
    let inner = quoted
        .strip_prefix('"')
        .ok_or((0, "expected a string in double quotes".to_string()))?;
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                let rest = inner[i + 1..].trim();
                if !rest.is_empty() {
                    return Err((i + 2, "text after the closing quote".into()));
                }
                return Ok(out);
            }
            '\\' => match chars.next() {
                Some((_, 'n')) => out.push('\n'),
                Some((_, 't')) => out.push('\t'),
                Some((_, 'r')) => out.push('\r'),
                Some((_, 'a')) => out.push('\u{7}'),
                Some((_, 'b')) => out.push('\u{8}'),
                Some((_, 'f')) => out.push('\u{c}'),
                Some((_, 'v')) => out.push('\u{b}'),
                Some((_, '"')) => out.push('"'),
                Some((_, '\\')) => out.push('\\'),
                Some((_, '?')) => out.push('?'),
                Some((_, '\'')) => out.push('\''),
                Some((j, other)) => {
                    return Err((
                        j + 1,
                        format!("unknown escape `\\{}`", other.escape_debug()),
                    ));
                }
                None => return Err((i + 1, "a string ends with a lone backslash".into())),
            },
            c => out.push(c),
        }
    }
    Err((quoted.len(), "the string has no closing quote".into()))
}

/// `text` as a PO string: quoted and escaped, long or multi-line values split after each
/// `\n` as gettext writes them.
pub(crate) fn quote(keyword: &str, text: &str) -> String {
    let escape = |s: &str| {
        let mut out = String::with_capacity(s.len() + 2);
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\t' => out.push_str("\\t"),
                '\r' => out.push_str("\\r"),
                c => out.push(c),
            }
        }
        out
    };
    if !text.contains('\n') || text.trim_end_matches('\n').is_empty() {
        return format!("{keyword} \"{}\"\n", escape(text));
    }
    let mut out = format!("{keyword} \"\"\n");
    for piece in text.split_inclusive('\n') {
        out.push_str(&format!("\"{}\"\n", escape(piece)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(text: &str) -> (Vec<Entry>, Vec<Diagnostic>) {
        parse(Path::new("zh.po"), text)
    }

    #[test]
    fn entries_with_flags_previous_strings_and_obsolete_ones() {
        let text = "msgid \"\"\nmsgstr \"\"\n\"Language: zh_CN\\n\"\n\n#: src/a.md:1\n#, fuzzy\n#| msgid \"Old\"\n#| \" text\"\nmsgid \"New \"\n\"text\"\nmsgstr \"新文本\"\n\nmsgid \"Two\"\nmsgstr \"\"\n\n#~ msgid \"Gone\"\n#~ msgstr \"没了\"\n";
        let (entries, diags) = parse_str(text);
        assert!(diags.is_empty(), "{diags:?}");
        assert_eq!(entries.len(), 4);
        assert!(entries[0].is_header());
        assert_eq!(entries[0].msgstr, "Language: zh_CN\n");
        let e = &entries[1];
        assert_eq!(
            (e.msgid.as_str(), e.msgstr.as_str(), e.line),
            ("New text", "新文本", 9)
        );
        assert!(e.is_fuzzy());
        assert_eq!(e.previous_msgid.as_deref(), Some("Old text"));
        assert_eq!(e.references, vec!["src/a.md:1"]);
        assert!(!entries[2].is_translated());
        assert!(entries[3].obsolete);
        assert_eq!(entries[3].msgid, "Gone");
    }

    #[test]
    fn malformed_lines_are_errors_at_their_place_and_never_panic() {
        let cases = [
            ("msgid \"a\nmsgstr \"\"\n", 1, "no closing quote"),
            ("msgid \"a\"\nmsgstr \"b\\q\"\n", 2, "unknown escape"),
            (
                "msgid \"a\"\nmsgstr \"b\" x\n",
                2,
                "after the closing quote",
            ),
            ("msgid \"a\"\n", 1, "no `msgstr`"),
            ("\"\n", 1, "no keyword"),
            ("msgstr \"x\"\n", 1, "without a `msgid`"),
            ("msgfoo \"x\"\n", 1, "unknown keyword"),
            ("msgid\n", 1, "cannot read"),
            ("msgid \"\\", 1, "lone backslash"),
        ];
        for (text, line, what) in cases {
            let (_, diags) = parse_str(text);
            assert!(
                diags
                    .iter()
                    .any(|d| d.location.map(|l| l.line) == Some(line) && d.message.contains(what)),
                "{text:?}: {diags:?}"
            );
        }
    }

    #[test]
    fn quoting_round_trips() {
        for text in [
            "plain",
            "with \"quotes\" and \\",
            "two\nlines\n",
            "tab\there",
            "",
        ] {
            let po = format!("{}{}", quote("msgid", text), quote("msgstr", "x"));
            let (entries, diags) = parse_str(&po);
            assert!(diags.is_empty(), "{diags:?}");
            assert_eq!(entries[0].msgid, text);
        }
    }
}
